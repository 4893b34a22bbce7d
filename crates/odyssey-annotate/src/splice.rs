//! Intron and splice-site effects of a variant on one transcript.
//!
//! Regions, in transcript orientation, as Ensembl VEP defines its terms ("Calculated variant
//! consequences", Ensembl documentation; McLaren et al. 2016):
//! * splice donor: intron bases +1..+2; splice acceptor: −2..−1;
//! * splice_donor_5th_base: +5; splice_donor_region: +3..+6 (not reported with the 5th base);
//! * splice_polypyrimidine_tract: −17..−3, for changes that stay within the intron;
//! * splice_region: exon bases within 3 of the junction, intron +3..+8 and −8..−3, and insertions
//!   right at a junction or between intron bases 2 and 3; not reported together with a donor,
//!   acceptor, donor-region or donor-5th-base term;
//! * intron_variant: intron bases from +3 to −3.
//!
//! Junctions at the transcript's two ends are not splice sites.

use crate::allele::{overlap, Allele};
use crate::layout::Layout;
use crate::model::Strand;

/// Which intron-related regions a variant touches.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct IntronEffects {
    pub donor: bool,
    pub acceptor: bool,
    pub donor_5th: bool,
    /// +3..+6 touched (cleared when `donor_5th` is set).
    pub donor_region: bool,
    pub polypyrimidine: bool,
    pub region: bool,
    pub intronic: bool,
    /// Introns touched (0-based, transcript order), first and last.
    pub introns: Option<(usize, usize)>,
}

impl IntronEffects {
    /// The splice-region flag after VEP's exclusions.
    pub(crate) fn splice_region(&self) -> bool {
        self.region && !self.donor && !self.acceptor && !self.donor_region && !self.donor_5th
    }
}

/// Sub-intervals of the allele that actually change: for a same-length substitution (MNV) the
/// runs of differing bases, otherwise the whole allele (VEP's `_get_differing_regions`).
fn differing_regions(a: &Allele) -> Vec<(i64, i64)> {
    let (s, e) = (i64::from(a.start), i64::from(a.end));
    if a.reference.len() != a.alternate.len() || a.reference.len() < 2 {
        return vec![(s, e)];
    }
    let mut out = Vec::new();
    let mut run: Option<(i64, i64)> = None;
    for (i, (x, y)) in a.reference.iter().zip(&a.alternate).enumerate() {
        let p = s + i as i64;
        if x != y {
            run = Some(match run {
                Some((a0, _)) => (a0, p),
                None => (p, p),
            });
        } else if let Some(r) = run.take() {
            out.push(r);
        }
    }
    out.extend(run);
    out
}

pub(crate) fn intron_effects(l: &Layout, a: &Allele) -> IntronEffects {
    let mut ie = IntronEffects::default();
    let fwd = l.strand == Strand::Forward;
    // introns in genomic order, so that the last boundary evaluated is the 3'-most on the
    // plus strand (the order VEP's overwrite of splice_region follows)
    let n = l.intron_count();
    let order = (0..n).map(|i| if fwd { i } else { n - 1 - i });
    for (rs, re) in differing_regions(a) {
        let ins = rs == re + 1;
        let (min, max) = if rs > re { (re, rs) } else { (rs, re) };
        let mut splice_site = false;
        for k in order.clone() {
            let (lo, hi) = l.intron(k);
            let (lo, hi) = (i64::from(lo), i64::from(hi));
            if max < lo - 17 || min > hi + 17 {
                continue;
            }
            // artificial short introns (≤ 13 bp, frameshift fixes in the genebuild) are not
            // introns for VEP: no intronic or splice terms
            if hi - lo <= 12 && overlap(rs, re, lo, hi) {
                continue;
            }
            if overlap(min, max, lo - 3, hi + 3) {
                if overlap(rs, re, lo + 2, hi - 2) || (ins && (rs == lo + 2 || re == hi - 2)) {
                    ie.intronic = true;
                }
                if overlap(rs, re, lo, hi) {
                    ie.introns = Some(match ie.introns {
                        None => (k, k),
                        Some((a0, b0)) => (a0.min(k), b0.max(k)),
                    });
                }
            }
            // polypyrimidine tract (acceptor −17..−3), insertions touching it included
            let (p_lo, p_hi) = if fwd {
                (hi - 16, hi - 2)
            } else {
                (lo + 2, lo + 16)
            };
            // only for changes that stay inside the intron (VEP reports no tract variant for
            // a deletion-insertion reaching into the exon)
            let inside = if ins {
                re >= lo - 1 && rs <= hi + 1
            } else {
                rs >= lo && re <= hi
            };
            if inside && (overlap(rs, re, p_lo, p_hi) || (ins && (rs == p_lo || re == p_hi))) {
                ie.polypyrimidine = true;
            }
            let boundary = overlap(min, max, lo - 3, lo + 7) || overlap(min, max, hi - 7, hi + 3);
            if !boundary {
                continue;
            }
            let low_site = overlap(rs, re, lo, lo + 1);
            let high_site = overlap(rs, re, hi - 1, hi);
            if low_site || high_site {
                splice_site = true;
            }
            let (donor, acceptor) = if fwd {
                (low_site, high_site)
            } else {
                (high_site, low_site)
            };
            ie.donor |= donor;
            ie.acceptor |= acceptor;
            let (r_lo, r_hi, fifth) = if fwd {
                (lo + 2, lo + 5, lo + 4)
            } else {
                (hi - 5, hi - 2, hi - 4)
            };
            let d5 = overlap(rs, re, fifth, fifth);
            ie.donor_5th |= d5;
            if overlap(rs, re, r_lo, r_hi) {
                ie.donor_region = true;
            }
            if !splice_site {
                // VEP assigns (not ORs) this flag for each boundary it examines
                ie.region = overlap(rs, re, lo + 2, lo + 7)
                    || overlap(rs, re, hi - 7, hi - 2)
                    || overlap(rs, re, lo - 3, lo - 1)
                    || overlap(rs, re, hi + 1, hi + 3)
                    || (ins && (rs == lo || re == hi || rs == lo + 2 || re == hi - 2));
            }
        }
    }
    // the donor region term is not reported together with the 5th-base term
    if ie.donor_5th {
        ie.donor_region = false;
    }
    ie
}
