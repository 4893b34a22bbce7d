//! The removed alleles listed individually ([`RemovedVariant`]), up to a limit; the counts
//! per reason ([`FilterSummary::removed`]) are always complete.

use super::RemovedVariant;
use crate::filter::{FilterReason, FilterSummary};

/// Removed alleles, the first `keep` of them, and whether more were removed than listed.
pub(super) struct RemovedList {
    keep: usize,
    pub(super) list: Vec<RemovedVariant>,
    pub(super) truncated: bool,
}

impl RemovedList {
    /// An empty list keeping at most `keep` entries.
    pub(super) fn new(keep: usize) -> Self {
        RemovedList {
            keep,
            list: Vec::new(),
            truncated: false,
        }
    }

    /// Lists the variant `make` builds when there is room, else marks the list truncated.
    pub(super) fn push(&mut self, make: impl FnOnce() -> RemovedVariant) {
        if self.list.len() < self.keep {
            self.list.push(make());
        } else {
            self.truncated = true;
        }
    }
}

/// Adds `n` alleles removed for `reason` to the summary.
pub(super) fn count(summary: &mut FilterSummary, reason: FilterReason, n: u64) {
    *summary
        .removed
        .get_mut(&reason)
        .expect("FilterSummary::new lists every reason") += n;
}
