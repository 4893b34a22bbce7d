//! Proband calls that reached the call-quality filters without GQ, DP or AD (those filters
//! cannot apply to them): counted, one warning.

use std::path::Path;

use crate::genotype::Genotype;

/// How many proband calls that reached the GQ/DP/allele-balance filters lacked each field
/// (those filters were not applied to them).
#[derive(Default)]
pub(super) struct MissingQuality {
    checked: u64,
    gq: u64,
    dp: u64,
    ad: u64,
}

impl MissingQuality {
    pub(super) fn count(&mut self, g: &Genotype) {
        self.checked += 1;
        self.gq += u64::from(g.gq.is_none());
        self.dp += u64::from(g.dp.is_none());
        self.ad += u64::from(g.ad_alt.is_none());
    }

    /// One warning naming the missing fields and the filters skipped, `None` when none.
    pub(super) fn warning(&self, path: &Path) -> Option<String> {
        let parts: Vec<String> = [
            (self.gq, "GQ", "the GQ filter"),
            (self.dp, "DP", "the DP filter"),
            (self.ad, "AD", "the allele-balance filter"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, k, f)| format!("{k} missing in {n} ({f} was not applied to them)"))
        .collect();
        if parts.is_empty() {
            return None;
        }
        Some(format!(
            "{}: of {} proband call(s) that reached the call-quality filters, {}",
            path.display(),
            self.checked,
            parts.join("; ")
        ))
    }
}
