//! Per-sample genotypes: parsing of the VCF FORMAT fields Odyssey uses (GT, GQ, DP, AD, PS and
//! GATK's PGT/PID physical phasing) and the view of a genotype relative to one ALT allele after a
//! multi-allelic record is split.

use serde::{Deserialize, Serialize};

/// The largest `FORMAT/CN` accepted. Germline copy numbers stay far below it (the largest
/// common CNVs reach a few tens of copies); anything above is a malformed value, not a call.
pub const MAX_COPY_NUMBER: f32 = 1000.0;

/// Phase of a heterozygous call: which haplotype (0 = first GT allele, 1 = second) carries the
/// ALT allele, within a phase set. Two calls of one sample can be compared only when their
/// phase sets are equal (VCF 4.4 §1.6.2, `PS`; GATK `PID` for physical phasing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Phase {
    /// Phase set id (`PS` value; 0 when `|` is used without `PS`, meaning one set per
    /// chromosome; a hash of `PID` for GATK physical phasing).
    pub set: u64,
    /// Haplotype carrying the ALT allele (0 or 1).
    pub haplotype: u8,
}

/// The genotype of one sample for one ALT allele of a (split) record.
///
/// Allele counts are relative to that ALT: `alt_copies` counts it, `other_alt` counts other
/// ALT alleles of the original multi-allelic record, `missing` counts `.` alleles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Genotype {
    /// The GT string as written in the VCF (e.g. `0/1`, `1|2`, `./.`, `1`).
    pub gt: String,
    /// Number of GT alleles (1 for haploid calls, 2 for diploid).
    pub ploidy: u8,
    /// Copies of this ALT allele.
    pub alt_copies: u8,
    /// Copies of other ALT alleles of the same record.
    pub other_alt: u8,
    /// Missing (`.`) alleles.
    pub missing: u8,
    /// Phase of a heterozygous call, when known.
    pub phase: Option<Phase>,
    /// Genotype quality (FORMAT/GQ), Phred.
    pub gq: Option<f32>,
    /// Read depth (FORMAT/DP; when absent, the sum of AD).
    pub dp: Option<u32>,
    /// Reads supporting the reference allele (FORMAT/AD).
    pub ad_ref: Option<u32>,
    /// Reads supporting this ALT allele (FORMAT/AD).
    pub ad_alt: Option<u32>,
}

impl Genotype {
    /// A genotype for an individual who is not in the VCF or has no call.
    pub fn no_call() -> Genotype {
        Genotype {
            gt: ".".into(),
            ploidy: 0,
            alt_copies: 0,
            other_alt: 0,
            missing: 0,
            phase: None,
            gq: None,
            dp: None,
            ad_ref: None,
            ad_alt: None,
        }
    }

    /// True when no allele is called.
    pub fn is_no_call(&self) -> bool {
        self.alt_copies == 0 && self.other_alt == 0 && self.missing == self.ploidy
    }

    /// True when at least one copy of the ALT allele is called.
    pub fn carries(&self) -> bool {
        self.alt_copies > 0
    }

    /// True when every allele is called and is this ALT (`1/1`, or `1` for a haploid call).
    pub fn is_hom_alt(&self) -> bool {
        self.ploidy > 0 && self.alt_copies == self.ploidy
    }

    /// True for exactly one ALT copy in a diploid call (`0/1`, `1/2`, `./1`).
    pub fn is_het(&self) -> bool {
        self.ploidy == 2 && self.alt_copies == 1
    }

    /// True when every allele is called and none is this ALT (`0/0`, `0/2`, `0`).
    pub fn is_ref_for_allele(&self) -> bool {
        self.ploidy > 0 && self.alt_copies == 0 && self.missing == 0
    }

    /// Fraction of reads supporting the ALT, `AD_alt / (AD_ref + AD_alt)`; `None` without AD or
    /// with zero depth.
    pub fn allele_balance(&self) -> Option<f32> {
        let (r, a) = (self.ad_ref?, self.ad_alt?);
        let t = r + a;
        (t > 0).then(|| a as f32 / t as f32)
    }
}

/// Positions of the FORMAT keys Odyssey reads, for one FORMAT key list.
#[derive(Clone, Debug, Default)]
pub(crate) struct FormatIndex {
    keys: Vec<String>,
    gt: Option<usize>,
    gq: Option<usize>,
    dp: Option<usize>,
    ad: Option<usize>,
    ps: Option<usize>,
    pgt: Option<usize>,
    pid: Option<usize>,
    cn: Option<usize>,
}

impl FormatIndex {
    fn push(&mut self, i: usize, k: &str) {
        self.keys.push(k.to_string());
        match k {
            "GT" => self.gt = Some(i),
            "GQ" => self.gq = Some(i),
            "DP" => self.dp = Some(i),
            "AD" => self.ad = Some(i),
            "PS" => self.ps = Some(i),
            "PGT" => self.pgt = Some(i),
            "PID" => self.pid = Some(i),
            "CN" => self.cn = Some(i),
            _ => {}
        }
    }

    /// Re-indexes when the FORMAT keys differ from the cached ones (one pass, no allocation
    /// when they are the same).
    pub(crate) fn update<'a, I: Iterator<Item = &'a str>>(&mut self, keys: I) {
        let mut n = 0usize;
        let mut rebuilt: Option<FormatIndex> = None;
        for (i, k) in keys.enumerate() {
            match &mut rebuilt {
                None if self.keys.get(i).map(String::as_str) == Some(k) => n += 1,
                None => {
                    let mut f = FormatIndex::default();
                    for (j, kk) in self.keys[..i].iter().enumerate() {
                        f.push(j, kk);
                    }
                    f.push(i, k);
                    rebuilt = Some(f);
                }
                Some(f) => f.push(i, k),
            }
        }
        match rebuilt {
            Some(f) => *self = f,
            None if n == self.keys.len() => {}
            None => {
                let mut f = FormatIndex::default();
                for (j, kk) in self.keys[..n].iter().enumerate() {
                    f.push(j, kk);
                }
                *self = f;
            }
        }
    }

    /// Re-indexes from a colon-separated FORMAT string.
    #[cfg(test)]
    pub(crate) fn update_str(&mut self, keys: &str) {
        self.update(keys.split(':'));
    }
}

/// A parsed sample column of one record (all ALT alleles), reused between records.
#[derive(Clone, Debug, Default)]
pub(crate) struct SampleCall {
    /// GT string.
    pub gt: String,
    /// Allele indices, -1 for missing; only the first `ploidy` are used.
    pub alleles: [i32; 2],
    pub ploidy: u8,
    pub phased: bool,
    pub gq: Option<f32>,
    pub dp: Option<u32>,
    /// AD values (REF first), empty when absent.
    pub ad: Vec<u32>,
    /// Phase set when phased.
    pub phase_set: Option<u64>,
    /// Set for pedigree members without a VCF column: every view is a no call.
    pub unsupported: bool,
    /// Copy number (FORMAT/CN, structural and copy-number records), when given.
    pub cn: Option<f32>,
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    h | 1 // never 0, which means "chromosome-wide" for `|` without PS
}

/// Parses a GT string into alleles; returns (alleles, ploidy, phased) or an error message.
/// Allele indices are `.` or non-negative integers (VCF 4.4 §1.6.2); calls of ploidy above 2
/// are an error (`ploidy N not supported`), as are leading or trailing separators other than
/// the VCF 4.4 leading phase indicator.
fn parse_gt(gt: &str) -> Result<([i32; 2], u8, bool), String> {
    let mut alleles = [-1i32; 2];
    let mut n = 0usize;
    let mut phased = false;
    let mut all_phased = true;
    let bytes = gt.as_bytes();
    let mut i = 0;
    // a leading phasing indicator (VCF 4.4) is allowed
    if matches!(bytes.first(), Some(b'|') | Some(b'/')) {
        phased = bytes[0] == b'|';
        i = 1;
    }
    loop {
        let start = i;
        while i < bytes.len() && bytes[i] != b'/' && bytes[i] != b'|' {
            i += 1;
        }
        let tok = &gt[start..i];
        let v = if tok == "." {
            -1
        } else if !tok.is_empty() && tok.bytes().all(|b| b.is_ascii_digit()) {
            tok.parse::<i32>()
                .map_err(|_| format!("GT {gt:?} has an allele index {tok} that is too large"))?
        } else {
            return Err(format!("GT {gt:?} has a non-numeric allele {tok:?} (expected '.' or an allele index 0, 1, 2...)"));
        };
        if n < 2 {
            alleles[n] = v;
        }
        n += 1;
        if i >= bytes.len() {
            break;
        }
        let sep = bytes[i];
        if n == 1 {
            phased = sep == b'|';
        }
        all_phased &= sep == b'|';
        i += 1;
    }
    if n > 2 {
        return Err(format!(
            "GT {gt:?}: ploidy {n} not supported (only haploid and diploid calls are; remove or re-genotype such calls before the analysis)"
        ));
    }
    let phased = if n == 2 { all_phased && phased } else { false };
    Ok((alleles, n as u8, phased))
}

impl SampleCall {
    /// Parses one sample column (`0/1:12,9:21:99`) with the given FORMAT index, for a record
    /// with `n_alts` ALT alleles.
    ///
    /// Errors name the offending field and value (the caller adds file, line and sample): a
    /// non-numeric GQ/DP/AD, a GT allele that is neither `.` nor an integer, a GT allele index
    /// above `n_alts` (e.g. `0/2` with one ALT), a GT of ploidy above 2, an AD whose number of
    /// values is not `n_alts + 1` (VCF 4.2 §1.6.2: AD is `Number=R`).
    pub(crate) fn parse(
        &mut self,
        fmt: &FormatIndex,
        sample: &str,
        n_alts: usize,
    ) -> Result<(), String> {
        self.gt.clear();
        self.alleles = [-1, -1];
        self.ploidy = 0;
        self.phased = false;
        self.gq = None;
        self.dp = None;
        self.ad.clear();
        self.phase_set = None;
        self.unsupported = false;
        self.cn = None;
        let (mut ps, mut pgt, mut pid) = (None, None, None);
        for (i, v) in sample.split(':').enumerate() {
            if Some(i) == fmt.gt {
                self.gt.push_str(v);
            } else if Some(i) == fmt.gq {
                if v != "." {
                    self.gq = Some(
                        v.parse::<f32>()
                            .map_err(|_| format!("GQ {v:?} is not a number"))?,
                    );
                }
            } else if Some(i) == fmt.dp {
                if v != "." {
                    self.dp = Some(
                        v.parse::<u32>()
                            .map_err(|_| format!("DP {v:?} is not a non-negative integer"))?,
                    );
                }
            } else if Some(i) == fmt.ad {
                if v != "." {
                    for x in v.split(',') {
                        if x == "." {
                            self.ad.clear();
                            break;
                        }
                        self.ad.push(
                            x.parse::<u32>()
                                .map_err(|_| format!("AD {v:?} is not a list of counts"))?,
                        );
                    }
                }
            } else if Some(i) == fmt.cn {
                if v != "." {
                    let cn = v
                        .parse::<f32>()
                        .ok()
                        .filter(|c| c.is_finite() && (0.0..=MAX_COPY_NUMBER).contains(c))
                        .ok_or_else(|| {
                            format!(
                                "CN {v:?} is not a copy number (a number from 0 to {MAX_COPY_NUMBER})"
                            )
                        })?;
                    self.cn = Some(cn);
                }
            } else if Some(i) == fmt.ps {
                ps = Some(v);
            } else if Some(i) == fmt.pgt {
                pgt = Some(v);
            } else if Some(i) == fmt.pid {
                pid = Some(v);
            }
        }
        if self.gt.is_empty() {
            self.gt.push('.');
        }
        let (a, p, ph) = parse_gt(&self.gt)?;
        if let Some(&bad) = a[..usize::from(p)]
            .iter()
            .find(|&&x| x > 0 && x as usize > n_alts)
        {
            return Err(format!(
                "GT {:?} refers to allele {bad} but the record has {n_alts} ALT allele(s) (indices 0 to {n_alts})",
                self.gt
            ));
        }
        self.alleles = a;
        self.ploidy = p;
        self.phased = ph;
        if !self.ad.is_empty() && self.ad.len() != n_alts + 1 {
            return Err(format!(
                "AD {:?} has {} value(s) but the record has {} allele(s) (REF and {n_alts} ALT): AD needs one read count per allele",
                self.ad.iter().map(u32::to_string).collect::<Vec<_>>().join(","),
                self.ad.len(),
                n_alts + 1
            ));
        }
        if self.dp.is_none() && !self.ad.is_empty() {
            self.dp = Some(self.ad.iter().sum());
        }
        if self.phased {
            self.phase_set = match ps {
                None | Some(".") => Some(0),
                Some(v) => Some(v.parse::<u64>().unwrap_or_else(|_| fnv(v))),
            };
        } else if let (Some(pgt), Some(pid)) = (pgt, pid) {
            // GATK physical phasing: PGT carries the phased alleles, PID names the set
            if pid != "." {
                if let Ok((a, 2, true)) = parse_gt(pgt) {
                    if a.iter().all(|&x| x >= 0 && x as usize <= n_alts) && a[0] != a[1] {
                        self.alleles = a;
                        self.phased = true;
                        self.phase_set = Some(fnv(pid));
                    }
                }
            }
        }
        Ok(())
    }

    /// The genotype relative to ALT allele `allele` (1-based index in the record's ALT list).
    pub(crate) fn for_allele(&self, allele: usize) -> Genotype {
        let mut g = Genotype::no_call();
        g.gt = self.gt.clone();
        if self.unsupported {
            return g;
        }
        g.ploidy = self.ploidy;
        for &a in &self.alleles[..usize::from(self.ploidy)] {
            match a {
                -1 => g.missing += 1,
                0 => {}
                a if a as usize == allele => g.alt_copies += 1,
                _ => g.other_alt += 1,
            }
        }
        if self.phased && self.ploidy == 2 && g.alt_copies == 1 {
            let hap = if self.alleles[0] as usize == allele {
                0
            } else {
                1
            };
            g.phase = Some(Phase {
                set: self.phase_set.unwrap_or(0),
                haplotype: hap,
            });
        }
        g.gq = self.gq;
        g.dp = self.dp;
        if self.ad.len() > allele {
            g.ad_ref = Some(self.ad[0]);
            g.ad_alt = Some(self.ad[allele]);
        }
        g
    }

    /// Copies of ALT allele `allele` without building a [`Genotype`] (fast pre-filter).
    pub(crate) fn alt_copies(&self, allele: usize) -> u8 {
        if self.unsupported {
            return 0;
        }
        self.alleles[..usize::from(self.ploidy)]
            .iter()
            .filter(|&&a| a > 0 && a as usize == allele)
            .count() as u8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(keys: &str, s: &str) -> SampleCall {
        let mut f = FormatIndex::default();
        f.update_str(keys);
        let mut c = SampleCall::default();
        // as many ALTs as the AD values say (two when there is no AD)
        let n_alts =
            f.ad.and_then(|i| s.split(':').nth(i))
                .filter(|v| *v != ".")
                .map_or(2, |v| v.split(',').count() - 1);
        c.parse(&f, s, n_alts).unwrap();
        c
    }

    /// Regression (issue 12): an AD with a wrong number of values was accepted.
    #[test]
    fn ad_with_the_wrong_number_of_values_is_an_error() {
        let mut f = FormatIndex::default();
        f.update_str("GT:AD:DP:GQ");
        let mut c = SampleCall::default();
        // a real HapMap exome call (chr22:17060707 G>A), with AD cut to one value / given three
        assert!(c.parse(&f, "0/1:12,10:22:99", 1).is_ok());
        let e = c.parse(&f, "0/1:12:22:99", 1).unwrap_err();
        assert!(
            e.contains("AD \"12\" has 1 value(s)") && e.contains("2 allele(s)"),
            "{e}"
        );
        let e = c.parse(&f, "0/1:12,10,3:22:99", 1).unwrap_err();
        assert!(e.contains("has 3 value(s)"), "{e}");
        // a missing AD is not an error
        assert!(c.parse(&f, "0/1:.:22:99", 1).is_ok());
    }

    #[test]
    fn format_index_follows_changes() {
        let mut f = FormatIndex::default();
        f.update_str("GT:AD:DP");
        assert_eq!((f.gt, f.ad, f.dp, f.gq), (Some(0), Some(1), Some(2), None));
        f.update_str("GT:AD:DP:GQ");
        assert_eq!((f.gq, f.keys.len()), (Some(3), 4));
        f.update_str("GT:AD");
        assert_eq!((f.dp, f.gq, f.keys.len()), (None, None, 2));
        f.update_str("DP:GT");
        assert_eq!((f.dp, f.gt), (Some(0), Some(1)));
    }

    #[test]
    fn parses_fields() {
        let c = call("GT:AD:DP:GQ:PL", "0/1:14,7:21:99:181,0,367");
        let g = c.for_allele(1);
        assert!(g.is_het() && !g.is_hom_alt());
        assert_eq!(
            (g.ad_ref, g.ad_alt, g.dp, g.gq),
            (Some(14), Some(7), Some(21), Some(99.0))
        );
        assert!((g.allele_balance().unwrap() - 7.0 / 21.0).abs() < 1e-6);
        assert_eq!(g.phase, None);
    }

    #[test]
    fn multiallelic_relative_to_allele() {
        let c = call("GT:AD", "1/2:3,10,12");
        let g1 = c.for_allele(1);
        let g2 = c.for_allele(2);
        assert_eq!((g1.alt_copies, g1.other_alt, g1.ad_alt), (1, 1, Some(10)));
        assert_eq!((g2.alt_copies, g2.other_alt, g2.ad_alt), (1, 1, Some(12)));
        let g3 = call("GT", "2/2").for_allele(1);
        assert!(g3.is_ref_for_allele() && !g3.carries());
    }

    #[test]
    fn phase_sets() {
        let c = call("GT:PS", "0|1:1234");
        assert_eq!(
            c.for_allele(1).phase,
            Some(Phase {
                set: 1234,
                haplotype: 1
            })
        );
        let c = call("GT", "1|0");
        assert_eq!(
            c.for_allele(1).phase,
            Some(Phase {
                set: 0,
                haplotype: 0
            })
        );
        // GATK physical phasing
        let c = call("GT:PGT:PID", "0/1:0|1:100_A_G");
        let p = c.for_allele(1).phase.unwrap();
        assert_eq!(p.haplotype, 1);
        let c2 = call("GT:PGT:PID", "0/1:1|0:100_A_G");
        assert_eq!(c2.for_allele(1).phase.unwrap().set, p.set);
        assert_eq!(c2.for_allele(1).phase.unwrap().haplotype, 0);
        // hom-alt calls carry no phase
        assert_eq!(call("GT", "1|1").for_allele(1).phase, None);
    }

    #[test]
    fn haploid_missing_and_errors() {
        let g = call("GT", "1").for_allele(1);
        assert!(g.is_hom_alt() && g.ploidy == 1);
        let g = call("GT", "./.").for_allele(1);
        assert!(g.is_no_call());
        let g = call("GT", "./1").for_allele(1);
        assert!(g.carries() && g.is_het());
        let g = call("GT:DP", ".:.").for_allele(1);
        assert!(g.is_no_call() && g.dp.is_none());
        // DP from AD when missing
        assert_eq!(call("GT:AD", "0/1:5,6").dp, Some(11));
        let mut f = FormatIndex::default();
        f.update_str("GT:DP");
        let mut c = SampleCall::default();
        assert!(c.parse(&f, "0/x:3", 1).unwrap_err().contains("non-numeric"));
        assert!(c.parse(&f, "0/1:abc", 1).unwrap_err().contains("DP"));
    }

    /// Regression (QA): `0/2` with one ALT was read as hom-ref, `0/1/1` as a no call, and a
    /// negative index as missing; all are errors naming the GT now.
    #[test]
    fn genotypes_outside_the_record_are_errors() {
        let mut f = FormatIndex::default();
        f.update_str("GT:DP");
        let mut c = SampleCall::default();
        let e = c.parse(&f, "0/2:30", 1).unwrap_err();
        assert_eq!(
            e,
            "GT \"0/2\" refers to allele 2 but the record has 1 ALT allele(s) (indices 0 to 1)"
        );
        assert!(c.parse(&f, "2|1:30", 2).is_ok());
        assert!(c.parse(&f, "3:30", 2).unwrap_err().contains("allele 3"));
        let e = c.parse(&f, "0/1/1:30", 1).unwrap_err();
        assert!(e.contains("ploidy 3 not supported"), "{e}");
        assert!(c
            .parse(&f, "0/-1:30", 1)
            .unwrap_err()
            .contains("non-numeric allele \"-1\""));
        assert!(c
            .parse(&f, "0/:30", 1)
            .unwrap_err()
            .contains("non-numeric allele \"\""));
        // GATK physical phasing with an out-of-range PGT allele is not used for phase
        f.update_str("GT:PGT:PID");
        c.parse(&f, "0/1:0|2:100_A_G", 1).unwrap();
        assert!(!c.phased && c.for_allele(1).phase.is_none());
    }
}
