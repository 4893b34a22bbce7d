//! Interval index over transcripts: fixed 64 kb bins per chromosome holding every transcript
//! whose span, widened by the upstream/downstream distance, touches the bin.

use odyssey_genome::Chrom;

use crate::model::Transcript;

const BIN_SHIFT: u32 = 16;

/// Binned index answering "which transcripts lie within `flank` bases of this range".
#[derive(Clone, Debug, Default)]
pub(crate) struct TxIndex {
    /// Per chromosome: offsets into `entries` for each bin (CSR layout).
    offsets: Vec<Vec<u32>>,
    entries: Vec<Vec<u32>>,
    flank: u32,
}

impl TxIndex {
    /// Builds the index; `flank` widens every transcript span on both sides.
    pub(crate) fn build(transcripts: &[Transcript], flank: u32) -> Self {
        let mut per_chrom: Vec<Vec<(u32, u32)>> = vec![Vec::new(); 25];
        for (i, t) in transcripts.iter().enumerate() {
            let a = t.start().saturating_sub(flank) >> BIN_SHIFT;
            let b = t.end().saturating_add(flank) >> BIN_SHIFT;
            for bin in a..=b {
                per_chrom[t.chrom.index()].push((bin, i as u32));
            }
        }
        let mut offsets = Vec::with_capacity(25);
        let mut entries = Vec::with_capacity(25);
        for mut v in per_chrom {
            v.sort_unstable();
            let nbins = v.last().map_or(0, |&(b, _)| b as usize + 1);
            let mut off = vec![0u32; nbins + 1];
            for &(b, _) in &v {
                off[b as usize + 1] += 1;
            }
            for k in 1..off.len() {
                off[k] += off[k - 1];
            }
            entries.push(v.into_iter().map(|(_, i)| i).collect());
            offsets.push(off);
        }
        TxIndex {
            offsets,
            entries,
            flank,
        }
    }

    /// Calls `f` once for each transcript whose widened span overlaps `start..=end`, in index
    /// order within bins (callers sort if they need an order).
    pub(crate) fn for_each(
        &self,
        transcripts: &[Transcript],
        chrom: Chrom,
        start: u32,
        end: u32,
        mut f: impl FnMut(usize),
    ) {
        let c = chrom.index();
        let off = &self.offsets[c];
        if off.len() < 2 {
            return;
        }
        let nbins = off.len() - 1;
        let qa = (start >> BIN_SHIFT) as usize;
        let qb = ((end >> BIN_SHIFT) as usize).min(nbins - 1);
        if qa >= nbins {
            return;
        }
        for bin in qa..=qb {
            for &i in &self.entries[c][off[bin] as usize..off[bin + 1] as usize] {
                let t = &transcripts[i as usize];
                let ts = t.start().saturating_sub(self.flank);
                let te = t.end().saturating_add(self.flank);
                if te < start || ts > end {
                    continue;
                }
                // report each transcript only from the first bin both it and the query touch
                let first = ((ts >> BIN_SHIFT) as usize).max(qa);
                if first == bin {
                    f(i as usize);
                }
            }
        }
    }
}
