//! Structural causal variants of the corpus for the spiked mode: phenopacket-store gives
//! them without a `vcfRecord`, as a label. A label that states coordinates, a copy number
//! or direction, and the assembly, e.g. `deletion of 105 kb at 12q12(46125066-46230365)x1
//! (GRCh37/hg19)` or `del hg38; Chr7:146,711,006-146,914,175`, becomes a symbolic record
//! (`<DEL>`/`<DUP>` with `END`) spiked into the background (docs/structural-variants.md).
//! Labels without an assembly are not guessed: the case is dropped.

use odyssey_genome::{Assembly, Chrom};

/// A structural variant as a phenopacket labels it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructuralLabel {
    /// The `variationDescriptor.label`.
    pub label: String,
    /// Zygosity.
    pub allelic_state: crate::corpus::AllelicState,
    /// `structuralType` label (`chromosomal_deletion`), used for the direction when the
    /// label states none.
    pub structural_type: String,
}

/// What a label states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedLabel {
    /// Assembly named in the label.
    pub assembly: Assembly,
    /// Chromosome (from the cytoband or `ChrN:`).
    pub chrom: Chrom,
    /// First affected base.
    pub start: u64,
    /// Last affected base.
    pub end: u64,
    /// Copy number (`x1`), when given.
    pub copy_number: Option<u32>,
    /// Loss (true) or gain.
    pub loss: bool,
}

/// The assembly a label names (`GRCh37`, `hg19`, `GRCh38`, `hg38`), if exactly one.
fn label_assembly(l: &str) -> Option<Assembly> {
    let low = l.to_ascii_lowercase();
    let a37 = low.contains("grch37") || low.contains("hg19");
    let a38 = low.contains("grch38") || low.contains("hg38");
    match (a37, a38) {
        (true, false) => Some(Assembly::GRCh37),
        (false, true) => Some(Assembly::GRCh38),
        _ => None,
    }
}

/// A number written with optional thousands separators.
fn number(s: &str) -> Option<u64> {
    let t: String = s.chars().filter(|c| *c != ',').collect();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// `(46125066-46230365)x1` after a cytoband (`12q12`, `16q24.2-q24.3 `): chromosome,
/// interval, copy number.
fn iscn(l: &str) -> Option<(Chrom, u64, u64, Option<u32>)> {
    let open = l.find('(')?;
    let close = open + l[open..].find(')')?;
    let (a, b) = l[open + 1..close].split_once('-')?;
    let (start, end) = (number(a.trim())?, number(b.trim())?);
    let cn = l[close + 1..]
        .strip_prefix('x')
        .and_then(|r| r.chars().next())
        .and_then(|c| c.to_digit(10));
    // the cytoband ends the last word before '(' (`12q12`, `arr{hg38}9q34.11`): its
    // chromosome is the digits/X/Y before the arm letter
    let word = l[..open].trim_end().rsplit(' ').next()?;
    let chrom = (0..word.len()).find_map(|i| {
        let prev_digit = i > 0 && word.as_bytes()[i - 1].is_ascii_digit();
        let band = &word[i..];
        let c: String = band
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == 'X' || *c == 'Y')
            .collect();
        let arm = band[c.len()..].starts_with('p') || band[c.len()..].starts_with('q');
        (!prev_digit && !c.is_empty() && arm)
            .then(|| c.parse::<Chrom>().ok())
            .flatten()
    })?;
    Some((chrom, start, end, cn))
}

/// `Chr7:146,711,006-146,914,175`: chromosome and interval.
fn colon_interval(l: &str) -> Option<(Chrom, u64, u64)> {
    let low = l.to_ascii_lowercase();
    let i = low.find("chr")?;
    let rest = &l[i + 3..];
    let (c, r) = rest.split_once(':')?;
    let r: String = r
        .chars()
        .take_while(|ch| ch.is_ascii_digit() || *ch == ',' || *ch == '-')
        .collect();
    let (a, b) = r.split_once('-')?;
    Some((c.trim().parse().ok()?, number(a)?, number(b)?))
}

/// Parses a label (module docs) with the variant's `structuralType` label. `None` when it
/// lacks coordinates, the assembly, or a direction (a copy number other than 2, the words
/// deletion/del/duplication/dup in the label, or a deletion/duplication structural type).
pub fn parse_label(l: &str, structural_type: &str) -> Option<ParsedLabel> {
    let assembly = label_assembly(l)?;
    let low = format!("{} {}", l, structural_type).to_ascii_lowercase();
    let (chrom, start, end, cn) = match iscn(l) {
        Some(x) => x,
        None => {
            let (c, s, e) = colon_interval(l)?;
            (c, s, e, None)
        }
    };
    if start == 0 || end <= start {
        return None;
    }
    let loss = match cn {
        Some(n) if n < 2 => true,
        Some(n) if n > 2 => false,
        Some(_) => return None,
        None if low.contains("del") => true,
        None if low.contains("dup") => false,
        None => return None,
    };
    Some(ParsedLabel {
        assembly,
        chrom,
        start,
        end,
        copy_number: cn,
        loss,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_phenopacket_store() {
        let p = parse_label(
            "deletion of 105 kb at 12q12(46125066-46230365)x1 (GRCh37/hg19)",
            "chromosome_structure_variation",
        )
        .unwrap();
        assert_eq!(
            (p.assembly, p.chrom, p.start, p.end, p.copy_number, p.loss),
            (
                Assembly::GRCh37,
                Chrom::autosome(12).unwrap(),
                46_125_066,
                46_230_365,
                Some(1),
                true
            )
        );
        let p = parse_label("del hg38; Chr7:146,711,006-146,914,175", "").unwrap();
        assert_eq!(
            (p.assembly, p.chrom, p.start, p.end, p.loss),
            (
                Assembly::GRCh38,
                Chrom::autosome(7).unwrap(),
                146_711_006,
                146_914_175,
                true
            )
        );
        let p = parse_label("GRCh37 16q24.2-q24.3 (88641808-89332049)x3", "").unwrap();
        assert_eq!((p.chrom, p.loss), (Chrom::autosome(16).unwrap(), false));
        // a cytoband after an `arr{hg38}` prefix, thousands separators
        let p = parse_label("arr{hg38}9q34.11 (128,582,754-128,587,726)x1", "").unwrap();
        assert_eq!(
            (p.assembly, p.chrom, p.start, p.end),
            (
                Assembly::GRCh38,
                Chrom::autosome(9).unwrap(),
                128_582_754,
                128_587_726
            )
        );
        // the direction from the structural type when the label has none
        let p = parse_label("Chr9:108,331,353-110,707,332(hg19)", "chromosomal_deletion").unwrap();
        assert!(p.loss);
        assert!(parse_label("Chr9:108,331,353-110,707,332(hg19)", "").is_none());
        // start after end (a typo in the source): refused
        assert!(parse_label("arr[GRCh37] 1p31.1(705835088-70682550)x1", "").is_none());
        // no assembly stated: not guessed
        assert!(parse_label("16q24.3(89161684-89505106)x1", "").is_none());
        // no coordinates
        assert!(parse_label("deletion of exons 2-9 (GRCh37)", "").is_none());
        // copy number 2 is no change
        assert!(parse_label("1p36(1000-2000)x2 hg19", "").is_none());
    }
}
