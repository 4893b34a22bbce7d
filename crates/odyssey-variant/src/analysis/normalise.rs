//! The normalise step: one ALT of a record as a minimal allele on a primary chromosome
//! ([`VariantKey`]), or the reason Odyssey cannot analyse it.

use odyssey_genome::{AlleleError, Chrom, VariantKey};

use crate::error::Location;

/// A sequence ALT (not `*`, `.`, symbolic `<...>` or a breakend, including single
/// breakends `.A`/`A.`); [`crate::input::check_alt`] has already rejected anything else.
fn is_supported_alt(a: &str) -> bool {
    !(a == "*"
        || a.starts_with('.')
        || a.ends_with('.')
        || a.starts_with('<')
        || a.contains('[')
        || a.contains(']'))
}

/// Alleles whose ALT equals REF (not variants): how many, and the first record's location.
#[derive(Default)]
pub(super) struct IdenticalAlts {
    pub(super) count: u64,
    pub(super) first: Option<Location>,
}

/// The minimal allele of `alt` at `chrom:pos` (REF `reference`), split from its record and
/// trimmed. Errors (the detail for an `unsupported_allele` removal): a symbolic, breakend or
/// spanning-deletion ALT, an ALT equal to REF (also counted in `identical`), or an allele
/// [`VariantKey::new`] rejects.
pub(super) fn allele_key(
    chrom: Chrom,
    pos: u32,
    reference: &str,
    alt: &str,
    location: Location,
    identical: &mut IdenticalAlts,
) -> Result<VariantKey, String> {
    if !is_supported_alt(alt) {
        return Err(format!(
            "ALT {alt:?} is symbolic, a breakend or a spanning deletion"
        ));
    }
    VariantKey::new(chrom, pos, reference, alt).map_err(|e| match e {
        AlleleError::Identical(_) => {
            identical.count += 1;
            identical.first.get_or_insert(location);
            format!("ALT {alt:?} equals REF {reference:?}: the record states no change")
        }
        e => e.to_string(),
    })
}
