//! The read step: one VCF record's ALT alleles, QUAL and the genotypes of the family's
//! sequenced members (unsequenced members get an unsupported call).

use std::path::Path;

use noodles::vcf;

use crate::error::{Error, Location, Result};
use crate::genotype::{FormatIndex, Genotype, SampleCall};
use crate::pedigree::{Family, Sex};

/// The record's ALT alleles into `buf` (empty for ALT `.`).
pub(super) fn read_alts(rec: &vcf::Record, buf: &mut Vec<String>) {
    let alts_raw = rec.alternate_bases();
    let alts_str: &str = alts_raw.as_ref();
    buf.clear();
    if alts_str != "." && !alts_str.is_empty() {
        buf.extend(alts_str.split(',').map(str::to_string));
    }
}

/// The record's QUAL (`None`: `.`). Errors: a QUAL that is not a number.
pub(super) fn read_qual(rec: &vcf::Record, path: &Path, location: Location) -> Result<Option<f32>> {
    match rec.quality_score() {
        None => Ok(None),
        Some(Ok(q)) => Ok(Some(q)),
        Some(Err(e)) => Err(Error::parse(path, location, format!("invalid QUAL: {e}"))),
    }
}

/// The genotypes of the family's members on the current record, parsed from their sample
/// columns (a VCF sample may stand for several members).
pub(super) struct MemberCalls {
    /// Sample column of each member (`None`: unsequenced).
    cols: Vec<Option<usize>>,
    /// Members of each sample column up to the last one used.
    col_to_member: Vec<Vec<usize>>,
    max_col: usize,
    /// The current record's call of each member.
    pub(super) calls: Vec<SampleCall>,
    fmt: FormatIndex,
    unsequenced: SampleCall,
    /// Sex of each member (the copy number expected on X and Y).
    pub(super) sexes: Vec<Sex>,
}

impl MemberCalls {
    /// Empty calls for the members of `family`.
    pub(super) fn new(family: &Family) -> Self {
        let cols: Vec<Option<usize>> = family.members.iter().map(|m| m.sample).collect();
        let max_col = cols.iter().flatten().copied().max().unwrap_or(0);
        let mut col_to_member: Vec<Vec<usize>> = vec![Vec::new(); max_col + 1];
        for (m, c) in cols.iter().enumerate() {
            if let Some(c) = c {
                col_to_member[*c].push(m);
            }
        }
        MemberCalls {
            calls: vec![SampleCall::default(); cols.len()],
            cols,
            col_to_member,
            max_col,
            fmt: FormatIndex::default(),
            sexes: family.members.iter().map(|m| m.sex).collect(),
            unsequenced: SampleCall {
                unsupported: true,
                ..SampleCall::default()
            },
        }
    }

    /// Parses the members' calls of `rec` (with `n_alts` ALTs). Errors: a malformed call
    /// (naming the sample), fewer sample columns than the header names.
    pub(super) fn read(
        &mut self,
        rec: &vcf::Record,
        n_alts: usize,
        samples: &[String],
        path: &Path,
        location: Location,
    ) -> Result<()> {
        let samples_rec = rec.samples();
        self.fmt.update(samples_rec.keys().iter());
        let mut seen_cols = 0usize;
        for (i, s) in samples_rec.iter().enumerate() {
            if i > self.max_col {
                break;
            }
            seen_cols = i + 1;
            for &m in &self.col_to_member[i] {
                self.calls[m]
                    .parse(&self.fmt, s.as_ref(), n_alts)
                    .map_err(|msg| {
                        Error::parse(path, location, format!("sample {}: {msg}", samples[i]))
                    })?;
            }
        }
        if seen_cols <= self.max_col {
            return Err(Error::parse(
                path,
                location,
                format!(
                    "the record has {seen_cols} sample columns but the header names {}",
                    samples.len()
                ),
            ));
        }
        for (m, c) in self.cols.iter().enumerate() {
            if c.is_none() {
                self.calls[m] = self.unsequenced.clone();
            }
        }
        Ok(())
    }

    /// Each member's genotype for ALT `alt_index` (1-based) from `calls` (the record's calls,
    /// or a structural allele's copy-number genotypes); no call for unsequenced members.
    pub(super) fn genotypes_of(&self, calls: &[SampleCall], alt_index: usize) -> Vec<Genotype> {
        self.cols
            .iter()
            .zip(calls)
            .map(|(c, call)| {
                if c.is_some() {
                    call.for_allele(alt_index)
                } else {
                    Genotype::no_call()
                }
            })
            .collect()
    }
}
