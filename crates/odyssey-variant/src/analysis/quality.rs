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

    /// One warning saying which quality filters could not be applied, to how many of the
    /// proband's calls and why (the field is absent), and what that means for them: kept
    /// without that check, the missing field not lowering their call confidence. `None` when no
    /// field was missing.
    pub(super) fn warning(&self, path: &Path) -> Option<String> {
        let parts: Vec<String> = [
            (self.gq, "GQ", "GQ"),
            (self.dp, "DP", "DP"),
            (self.ad, "AD", "allele-balance"),
        ]
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .enumerate()
        .map(|(i, (n, k, f))| {
            let have = if i == 0 { "have " } else { "" };
            format!("{n} {have}no {k} ({f} filter)")
        })
        .collect();
        if parts.is_empty() {
            return None;
        }
        Some(format!(
            "{}: some quality filters could not be applied to the proband's calls that lack the FORMAT fields they read: of the {} call(s) that reached these filters, {}. Those calls were kept without that check, and the missing fields do not lower their call confidence; the other filters and the ranking are unaffected",
            path.display(),
            self.checked,
            parts.join(", ")
        ))
    }
}
