//! The sex check: each member's heterozygous and homozygous non-reference chrX calls outside
//! the pseudo-autosomal regions, against the sex the pedigree records.

use crate::genotype::SampleCall;
use crate::pedigree::{Family, Sex};

/// Per member, the confident (GQ ≥ 20 or missing) diploid non-reference chrX calls outside
/// the PARs: heterozygous and homozygous.
pub(super) struct SexChecks(Vec<(u64, u64)>);

impl SexChecks {
    /// Zero counts for `members` members.
    pub(super) fn new(members: usize) -> Self {
        SexChecks(vec![(0, 0); members])
    }

    /// Counts one chrX non-PAR record's calls (`calls` by member).
    pub(super) fn observe(&mut self, calls: &[SampleCall]) {
        for (m, sc) in self.0.iter_mut().enumerate() {
            let c = &calls[m];
            if c.unsupported || c.ploidy != 2 || c.gq.is_some_and(|q| q < 20.0) {
                continue;
            }
            let (a, b) = (c.alleles[0], c.alleles[1]);
            if a < 0 || b < 0 {
                continue;
            }
            if a != b {
                sc.0 += 1;
            } else if a > 0 {
                sc.1 += 1;
            }
        }
    }

    /// Warnings for sequenced members whose chrX contradicts their sex: a male with ≥ 10
    /// heterozygous calls making over 20% of them, a female with none heterozygous and ≥ 20
    /// homozygous.
    pub(super) fn warnings(&self, family: &Family) -> Vec<String> {
        let mut warnings = Vec::new();
        for (m, &(het, hom)) in self.0.iter().enumerate() {
            let mem = &family.members[m];
            if mem.sample.is_none() {
                continue;
            }
            let total = het + hom;
            if mem.sex == Sex::Male && het >= 10 && het as f64 > 0.2 * total as f64 {
                warnings.push(format!(
                    "{:?} is recorded as male but {} of {} non-reference chrX calls outside the PARs are heterozygous (check the sex or sample identity)",
                    mem.label(), het, total
                ));
            }
            if mem.sex == Sex::Female && het == 0 && hom >= 20 {
                warnings.push(format!(
                    "{:?} is recorded as female but has no heterozygous chrX calls outside the PARs ({} homozygous): check the sex or sample identity",
                    mem.label(), hom
                ));
            }
        }
        warnings
    }
}
