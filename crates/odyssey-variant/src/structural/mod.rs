//! Structural variants and copy-number changes (docs/structural-variants.md): VCF records
//! with symbolic alleles (`<DEL>`, `<DUP>`, `<DUP:TANDEM>`, `<INV>`, `<INS>`, `<CNV>`,
//! `<CN0>`...), breakends, and explicit-sequence indels of at least [`MIN_SV_LENGTH`] bp,
//! read into a [`StructuralEvent`]; copy numbers (`FORMAT/CN`) turned into genotypes; gene
//! effects per gene ([`SvGeneDetail`]); population, ClinVar and dosage evidence
//! ([`sources`]).
//!
//! Coordinates follow VCF 4.4 §5.3 (symbolic structural alleles): `POS` is the base before
//! the event (the padding base), `END` its last base, so a `<DEL>` at `POS` with `END`
//! removes `POS + 1..=END`; `SVLEN` is the length (its sign, negative for deletions in VCF
//! 4.2, is ignored); `CIPOS`/`CIEND` are confidence intervals around `POS` and `END`.

mod score;
pub mod sources;

pub use score::structural_score;

use std::collections::BTreeMap;

use odyssey_genome::{Chrom, SvClass, SvInterval, VariantKey};
use serde::{Deserialize, Serialize};

use crate::annotation::vcf_csq::info_value;
use crate::genotype::SampleCall;
use crate::inheritance::ChromClass;
use crate::pedigree::Sex;

/// Explicit-sequence indels whose length change is at least this many bases are analysed
/// as structural events (the 50 bp convention of SV callers and of gnomAD-SV; Collins et
/// al., Nature 2020).
pub const MIN_SV_LENGTH: u32 = 50;

/// The structural type as called (`SVTYPE`, or the symbolic ALT).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SvType {
    /// Deletion (`<DEL>`).
    #[serde(rename = "DEL")]
    Del,
    /// Duplication (`<DUP>`).
    #[serde(rename = "DUP")]
    Dup,
    /// Tandem duplication (`<DUP:TANDEM>`).
    #[serde(rename = "DUP:TANDEM")]
    DupTandem,
    /// Inversion (`<INV>`).
    #[serde(rename = "INV")]
    Inv,
    /// Insertion (`<INS>`, mobile elements `<INS:ME:ALU>`).
    #[serde(rename = "INS")]
    Ins,
    /// Copy-number variant (`<CNV>`, `<CN0>`, `<CN3>`...): loss or gain from the copy number.
    #[serde(rename = "CNV")]
    Cnv,
    /// Breakend of a rearrangement (`BND`).
    #[serde(rename = "BND")]
    Bnd,
}

impl SvType {
    /// The VCF name (`DEL`, `DUP`, `DUP:TANDEM`, `INV`, `INS`, `CNV`, `BND`).
    pub fn as_str(self) -> &'static str {
        match self {
            SvType::Del => "DEL",
            SvType::Dup => "DUP",
            SvType::DupTandem => "DUP:TANDEM",
            SvType::Inv => "INV",
            SvType::Ins => "INS",
            SvType::Cnv => "CNV",
            SvType::Bnd => "BND",
        }
    }

    /// The type of a symbolic ALT's first component or an `SVTYPE` value (`DEL`,
    /// `DEL:ME:ALU`, `DUP:TANDEM`, `CN0`...); `None` for others (`<NON_REF>`, `<*>`).
    fn parse(s: &str) -> Option<SvType> {
        let up = s.to_ascii_uppercase();
        let head = up.split(':').next().unwrap_or("");
        Some(match head {
            "DEL" => SvType::Del,
            "DUP" if up.starts_with("DUP:TANDEM") => SvType::DupTandem,
            "DUP" => SvType::Dup,
            "INV" => SvType::Inv,
            "INS" => SvType::Ins,
            "CNV" => SvType::Cnv,
            "BND" | "TRA" => SvType::Bnd,
            h if h.len() > 2
                && h.starts_with("CN")
                && h[2..].bytes().all(|b| b.is_ascii_digit()) =>
            {
                SvType::Cnv
            }
            _ => return None,
        })
    }
}

/// One structural allele of a VCF record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructuralEvent {
    /// Type as called.
    pub svtype: SvType,
    /// Loss, gain, inversion, insertion or breakend (a `<CNV>` from the proband's copy
    /// number).
    pub class: SvClass,
    /// Chromosome.
    pub chrom: Chrom,
    /// `POS` of the record.
    pub pos: u32,
    /// First affected base (`POS + 1` for symbolic intervals, see the module docs).
    pub start: u32,
    /// Last affected base (`END`); `start` for insertions and breakends.
    pub end: u32,
    /// Length in bp: affected bases of an interval, `SVLEN` of an insertion (when given).
    pub length: Option<u32>,
    /// `CIPOS` and `CIEND` when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cipos: Option<(i64, i64)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ciend: Option<(i64, i64)>,
    /// The mate of a breakend, as written (`chr2:321682`), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mate: Option<String>,
    /// The copy number a `<CNn>` ALT states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alt_copy_number: Option<u32>,
    /// An explicit-sequence indel of at least [`MIN_SV_LENGTH`] bp (not symbolic).
    pub explicit: bool,
}

impl StructuralEvent {
    /// The interval the gene annotator reads.
    pub fn interval(&self) -> SvInterval {
        SvInterval {
            chrom: self.chrom,
            start: self.start,
            end: self.end,
            class: self.class,
            inserted: if self.class == SvClass::Insertion {
                self.length
            } else {
                None
            },
        }
    }

    /// `DEL 12:46125067-46230365 (105,299 bp)`, `INS 1:1000 (300 bp)`, `BND 1:1000 → 2:500`.
    pub fn describe(&self) -> String {
        let len = self
            .length
            .map(|l| format!(" ({} bp)", thousands(l)))
            .unwrap_or_default();
        match self.class {
            SvClass::Breakend => format!(
                "{} {}:{}{}",
                self.svtype.as_str(),
                self.chrom,
                self.start,
                self.mate
                    .as_ref()
                    .map(|m| format!(" → {m}"))
                    .unwrap_or_default()
            ),
            SvClass::Insertion => {
                format!(
                    "{} {}:{}{len}",
                    self.svtype.as_str(),
                    self.chrom,
                    self.start
                )
            }
            _ => format!(
                "{} {}:{}-{}{len}",
                self.svtype.as_str(),
                self.chrom,
                self.start,
                self.end
            ),
        }
    }
}

/// `105299` → `105,299`.
fn thousands(n: u32) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An integer INFO value (the first of a list).
fn info_int(info: &str, key: &str) -> Result<Option<i64>, String> {
    match info_value(info, key) {
        None | Some(".") => Ok(None),
        Some(v) => {
            let first = v.split(',').next().unwrap_or(v);
            first
                .parse::<i64>()
                .map(Some)
                .map_err(|_| format!("INFO {key}={v:?} is not an integer"))
        }
    }
}

/// A confidence interval `CIPOS=-10,20`.
fn info_ci(info: &str, key: &str) -> Result<Option<(i64, i64)>, String> {
    match info_value(info, key) {
        None | Some(".") => Ok(None),
        Some(v) => {
            let mut it = v.split(',').map(str::parse::<i64>);
            match (it.next(), it.next(), it.next()) {
                (Some(Ok(a)), Some(Ok(b)), None) if a <= b => Ok(Some((a, b))),
                _ => Err(format!(
                    "INFO {key}={v:?} is not a confidence interval (two integers, lower first)"
                )),
            }
        }
    }
}

/// The mate of a breakend ALT, checked against the four bracket forms of VCF 4.3 §5.4
/// (`t[p[`, `t]p]`, `]p]t`, `[p[t`, with `t` bases and `p` `chrom:pos`) and the single
/// breakends `.t`/`t.` (no mate). Errors: any other shape, named with the ALT.
fn bnd_mate(alt: &str) -> Result<Option<String>, String> {
    let bad = || {
        format!(
            "breakend ALT {alt:?} is not of the form t[p[, t]p], ]p]t, [p[t or .t/t. \
             (t bases, p chrom:pos; VCF 4.3 section 5.4)"
        )
    };
    let bases = |t: &str| !t.is_empty() && t.bytes().all(|b| b"ACGTNacgtn".contains(&b));
    let Some(bracket) = alt.chars().find(|c| *c == '[' || *c == ']') else {
        let t = alt.strip_prefix('.').or_else(|| alt.strip_suffix('.'));
        return t.filter(|t| bases(t)).map(|_| None).ok_or_else(bad);
    };
    let other = if bracket == '[' { ']' } else { '[' };
    let parts: Vec<&str> = alt.split(bracket).collect();
    let [pre, mate, post] = parts[..] else {
        return Err(bad());
    };
    let (chrom, pos) = mate.rsplit_once(':').ok_or_else(bad)?;
    let mate_ok = !chrom.is_empty() && !alt.contains(other) && pos.parse::<u32>().is_ok();
    if mate_ok && (bases(pre) != bases(post)) && (pre.is_empty() || post.is_empty()) {
        Ok(Some(mate.to_string()))
    } else {
        Err(bad())
    }
}

/// Whether an ALT is a breakend (`N[chr2:1[`, `.A`, `A.`, `<BND>`, `<TRA>`).
fn is_breakend(alt: &str) -> bool {
    alt.contains('[')
        || alt.contains(']')
        || (alt.len() > 1 && (alt.starts_with('.') || alt.ends_with('.')))
}

/// The structural event of a symbolic or breakend ALT at `chrom:pos`, read with the
/// record's INFO (`SVTYPE`, `END`, `SVLEN`, `CIPOS`, `CIEND`). `None`: the ALT is not a
/// structural allele (`*`, `<NON_REF>`, `<*>`, a sequence). Errors (the detail of an
/// `unsupported_allele` removal): an interval without `END` or `SVLEN`, an `END` before
/// `POS`, malformed `END`/`SVLEN`/`CIPOS`/`CIEND`.
pub fn parse_symbolic(
    chrom: Chrom,
    pos: u32,
    alt: &str,
    info: &str,
) -> Option<Result<StructuralEvent, String>> {
    let svtype = if is_breakend(alt) {
        SvType::Bnd
    } else if let Some(inner) = alt.strip_prefix('<').and_then(|a| a.strip_suffix('>')) {
        SvType::parse(inner)?
    } else {
        return None;
    };
    Some(read_event(chrom, pos, alt, info, svtype))
}

fn read_event(
    chrom: Chrom,
    pos: u32,
    alt: &str,
    info: &str,
    svtype: SvType,
) -> Result<StructuralEvent, String> {
    let end = info_int(info, "END")?;
    let svlen = info_int(info, "SVLEN")?.map(i64::unsigned_abs);
    let cipos = info_ci(info, "CIPOS")?;
    let ciend = info_ci(info, "CIEND")?;
    // `<CNV>` may come with SVTYPE=DEL/DUP from depth callers: the SVTYPE decides
    let svtype = match (svtype, info_value(info, "SVTYPE").and_then(SvType::parse)) {
        (SvType::Cnv, Some(t @ (SvType::Del | SvType::Dup))) => t,
        (t, _) => t,
    };
    let alt_cn = alt
        .strip_prefix("<CN")
        .and_then(|a| a.strip_suffix('>'))
        .and_then(|n| n.parse::<u32>().ok());
    let mut ev = StructuralEvent {
        svtype,
        class: SvClass::Loss,
        chrom,
        pos,
        start: pos,
        end: pos,
        length: None,
        cipos,
        ciend,
        mate: None,
        alt_copy_number: alt_cn,
        explicit: false,
    };
    match svtype {
        SvType::Bnd => {
            ev.class = SvClass::Breakend;
            let written = if alt.starts_with('<') {
                None
            } else {
                bnd_mate(alt)?
            };
            ev.mate = written.or_else(|| {
                let c2 = info_value(info, "CHR2")?;
                let p2 = info_value(info, "POS2").or(info_value(info, "END2"))?;
                Some(format!("{c2}:{p2}"))
            });
            Ok(ev)
        }
        SvType::Ins => {
            ev.class = SvClass::Insertion;
            ev.length = svlen.map(|l| l.min(u64::from(u32::MAX)) as u32);
            Ok(ev)
        }
        _ => {
            let end = match (end, svlen) {
                (Some(e), _) => e,
                (None, Some(l)) => i64::from(pos) + l as i64,
                (None, None) => {
                    return Err(format!(
                        "{} allele without INFO END or SVLEN: its extent is unknown",
                        alt
                    ))
                }
            };
            if end > i64::from(u32::MAX) {
                return Err(format!(
                    "{alt} allele with END {end}: beyond any chromosome's length (at most {})",
                    u32::MAX
                ));
            }
            if end <= i64::from(pos) {
                return Err(format!(
                    "{alt} allele with END {end} not after POS {pos}: no bases affected"
                ));
            }
            ev.start = pos + 1;
            ev.end = end as u32;
            ev.length = Some(ev.end - ev.start + 1);
            ev.class = match svtype {
                SvType::Dup | SvType::DupTandem => SvClass::Gain,
                SvType::Inv => SvClass::Inversion,
                // a CNV's direction comes from the copy number (resolve_copy_number)
                _ => SvClass::Loss,
            };
            Ok(ev)
        }
    }
}

/// The structural event of an explicit-sequence allele whose length change is at least
/// [`MIN_SV_LENGTH`] bp (after trimming, [`VariantKey`]); `None` for smaller alleles.
pub fn from_sequence(key: &VariantKey) -> Option<StructuralEvent> {
    let (r, a) = (key.reference.len() as u32, key.alternate.len() as u32);
    let mut ev = StructuralEvent {
        svtype: SvType::Del,
        class: SvClass::Loss,
        chrom: key.chrom,
        pos: key.pos,
        start: key.pos,
        end: key.end(),
        length: None,
        cipos: None,
        ciend: None,
        mate: None,
        alt_copy_number: None,
        explicit: true,
    };
    if r >= a + MIN_SV_LENGTH {
        // an anchored deletion removes the bases after the shared first base
        if a == 1 && key.reference.as_bytes()[0] == key.alternate.as_bytes()[0] {
            ev.start = key.pos + 1;
        }
        ev.length = Some(ev.end - ev.start + 1);
        Some(ev)
    } else if a >= r + MIN_SV_LENGTH {
        ev.svtype = SvType::Ins;
        ev.class = SvClass::Insertion;
        ev.start = key.end();
        ev.end = key.end();
        ev.length = Some(a - r);
        Some(ev)
    } else {
        None
    }
}

/// The copy number a member of `sex` normally has at a locus of `class` (2 on autosomes,
/// 1 on a male's X outside the pseudo-autosomal regions and on Y, 0 on a female's Y).
pub fn expected_copies(class: ChromClass, sex: Sex) -> u8 {
    match (class, sex) {
        (ChromClass::XNonPar | ChromClass::YNonPar, Sex::Male) => 1,
        (ChromClass::YNonPar, Sex::Female) => 0,
        _ => 2,
    }
}

/// Sets the class of a `<CNV>`/`<CNn>` event from the proband's copy number (`FORMAT/CN`,
/// else the ALT's): below `expected` a loss, above a gain. Errors: no copy number, or one
/// equal to the expected (no change).
pub fn resolve_copy_number(
    ev: &mut StructuralEvent,
    proband_cn: Option<f32>,
    expected: u8,
) -> Result<(), String> {
    if ev.svtype != SvType::Cnv {
        return Ok(());
    }
    let cn = proband_cn.or(ev.alt_copy_number.map(|c| c as f32));
    match cn {
        None => Err("<CNV> allele without a copy number (FORMAT/CN): loss or gain unknown".into()),
        Some(c) if c.round() < f32::from(expected) => {
            ev.class = SvClass::Loss;
            Ok(())
        }
        Some(c) if c.round() > f32::from(expected) => {
            ev.class = SvClass::Gain;
            Ok(())
        }
        Some(c) => Err(format!(
            "<CNV> allele with copy number {c} = the expected {expected}: no copy-number change"
        )),
    }
}

/// A genotype from the copy number when the GT calls no allele (`./.`, `.`, absent), as
/// depth-based CNV callers write: for a loss, `expected − 1` copies is heterozygous and 0
/// homozygous (hemizygous on a male X); for a gain, more copies than `expected` is
/// heterozygous (a second extra copy may sit on either haplotype, so it is not called
/// homozygous); `expected` copies is reference. Only the call's alleles and ploidy change.
pub(crate) fn genotype_from_copy_number(
    call: &mut SampleCall,
    class: SvClass,
    expected: u8,
    alt_index: usize,
) {
    let Some(cn) = call.cn else {
        return;
    };
    let called = call.alleles[..usize::from(call.ploidy)]
        .iter()
        .any(|&a| a >= 0);
    if called || call.unsupported || expected == 0 {
        return;
    }
    let cn = cn.round().max(0.0) as u32;
    let e = u32::from(expected);
    let a = alt_index as i32;
    let alleles: [i32; 2] = match class {
        SvClass::Loss if cn == 0 => [a, a],
        SvClass::Loss if cn < e => [0, a],
        SvClass::Gain if cn > e && e == 1 => [a, a],
        SvClass::Gain if cn > e => [0, a],
        _ => [0, 0],
    };
    call.alleles = alleles;
    call.ploidy = expected.min(2);
    call.phased = false;
    call.gt = if call.ploidy == 1 {
        alleles[0].to_string()
    } else {
        format!("{}/{}", alleles[0], alleles[1])
    };
    call.gt.push_str(&format!(" (CN {cn})"));
}

/// Whether a member's call contradicts the event: a copy number that is not a loss (or gain)
/// at the expected ploidy, a heterozygous deletion on a male X outside the
/// pseudo-autosomal regions, or a GT that disagrees with the copy number. The reason, or
/// `None`.
pub(crate) fn sanity_issue(
    call: &SampleCall,
    class: SvClass,
    expected: u8,
    chrom_class: ChromClass,
    sex: Sex,
    alt_index: usize,
) -> Option<String> {
    let copies = call.alt_copies(alt_index);
    if class == SvClass::Loss
        && chrom_class == ChromClass::XNonPar
        && sex == Sex::Male
        && call.ploidy == 2
        && copies == 1
    {
        return Some(format!(
            "heterozygous deletion (GT {}) on a male's X outside the pseudo-autosomal regions",
            call.gt
        ));
    }
    let cn = call.cn?;
    let e = f32::from(expected);
    match class {
        SvClass::Loss if copies > 0 && cn.round() >= e => Some(format!(
            "deletion called (GT {}) with copy number {cn}, not below the expected {expected}",
            call.gt
        )),
        SvClass::Gain if copies > 0 && cn.round() <= e => Some(format!(
            "duplication called (GT {}) with copy number {cn}, not above the expected {expected}",
            call.gt
        )),
        SvClass::Loss if copies == 2 && cn.round() > 0.0 => Some(format!(
            "homozygous deletion (GT {}) with copy number {cn} (expected 0)",
            call.gt
        )),
        _ => None,
    }
}

/// A structural event's effect on one gene, from its most severe transcript (the detail
/// behind the gene's consequence term).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SvGeneDetail {
    /// Transcript of the effect.
    pub transcript: Option<String>,
    /// The whole transcript lies inside the event.
    pub whole_transcript: bool,
    /// Both ends of the event lie inside the transcript.
    pub intragenic: bool,
    /// First and last exon touched (transcript orientation).
    pub exons: Option<(u32, u32)>,
    /// Exons of the transcript.
    pub exon_count: u32,
    /// Coding bases inside the event.
    pub coding_bases: Option<u32>,
    /// Whether the coding change keeps the reading frame (partial changes with a known CDS).
    pub in_frame: Option<bool>,
    /// The effect in words.
    pub description: String,
}

/// The structural facts of a reported variant: the event, its effect on the gene, the
/// evidence found for it and how its score was reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructuralCall {
    /// The event.
    pub event: StructuralEvent,
    /// `DEL 12:46125067-46230365 (105,299 bp)`.
    pub summary: String,
    /// Copy number of each family member (pedigree order), when called.
    pub copy_numbers: Vec<Option<f32>>,
    /// The effect on this gene.
    pub gene_effect: SvGeneDetail,
    /// Population, ClinVar and dosage evidence.
    pub evidence: sources::StructuralEvidence,
}

/// Reduces per-transcript structural effects to the most severe per gene symbol, by the
/// rule of [`crate::annotation::worst_per_gene`] (consequence, then the preferred
/// transcript, then the smallest transcript id): the gene consequences and the detail of
/// each gene's chosen transcript.
pub fn worst_structural_per_gene(
    effects: &[(crate::annotation::GeneEffect, SvGeneDetail)],
) -> (
    Vec<crate::annotation::GeneConsequence>,
    BTreeMap<String, SvGeneDetail>,
) {
    let plain: Vec<crate::annotation::GeneEffect> =
        effects.iter().map(|(e, _)| e.clone()).collect();
    let genes = crate::annotation::worst_per_gene(&plain);
    let mut details = BTreeMap::new();
    for g in &genes {
        if let Some((_, d)) = effects.iter().find(|(e, _)| {
            e.gene_symbol == g.gene_symbol
                && e.transcript == g.transcript
                && e.consequences.iter().min() == Some(&g.consequence)
        }) {
            details.insert(g.gene_symbol.clone(), d.clone());
        }
    }
    (genes, details)
}

#[cfg(test)]
mod tests;
