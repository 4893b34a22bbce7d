//! Gene consequences of structural events (deletions, duplications, inversions, insertions,
//! breakends) on the same transcript models as the small-variant annotator.
//!
//! Per transcript, from the event's class and affected interval ([`SvInterval`]):
//!
//! | event | on the transcript | terms (most severe first) |
//! |---|---|---|
//! | loss | covers the whole transcript | `transcript_ablation` |
//! | loss | removes exon bases | `exon_loss_variant` (when a whole exon is lost), `frameshift_variant` (deleted coding length not a multiple of 3) or `inframe_deletion`, then `feature_truncation` |
//! | gain | covers the whole transcript | `transcript_amplification` |
//! | gain | both ends inside the transcript, exon bases duplicated | `feature_elongation` (partial intragenic duplication; frame from the duplicated coding length) |
//! | gain | one end inside the transcript | `feature_elongation` (part of the gene duplicated, one intact copy kept) |
//! | inversion, breakend | a breakpoint inside the transcript | `feature_truncation` (gene disrupted) |
//! | inversion | covers the whole transcript | `sequence_variant` (gene inverted whole, intact) |
//! | insertion | inside an exon | `feature_elongation` (frame from the inserted length when known) |
//! | any | only intron bases (no breakpoint that disrupts) | `intron_variant` |
//! | any | within the flank distance, no overlap | `upstream_gene_variant` / `downstream_gene_variant` |
//!
//! Terms are Sequence Ontology's (Eilbeck et al., Genome Biol 2005); the whole-transcript
//! and truncation terms are the ones Ensembl VEP writes for structural variants
//! ("Calculated variant consequences"); `exon_loss_variant` (SO:0001572) is SnpEff's term
//! for a deletion of whole exons. The frame rule is the reading-frame rule of the ACMG/ClinGen
//! CNV standards (Riggs et al., Genet Med 2020, section 2: an intragenic deletion whose
//! deleted coding length is not a multiple of 3 is predicted to cause loss of function).

use odyssey_genome::{Consequence, SvClass, SvInterval};
use serde::{Deserialize, Serialize};

use crate::model::{Strand, Transcript};

/// The effect of a structural event on one transcript.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructuralEffect {
    /// Sequence Ontology terms, most severe first.
    pub consequences: Vec<Consequence>,
    /// The whole transcript lies inside the event.
    pub whole_transcript: bool,
    /// Both ends of the event lie inside the transcript (an intragenic event).
    pub intragenic: bool,
    /// Exons touched, as the first and last exon number in transcript orientation.
    pub exons: Option<(u32, u32)>,
    /// Number of exons of the transcript.
    pub exon_count: u32,
    /// Coding bases (CDS, stop codon included) inside the event; `None` without a known CDS.
    pub coding_bases: Option<u32>,
    /// Whether the coding change keeps the reading frame (a multiple of 3), when the coding
    /// length is known and the change is partial.
    pub in_frame: Option<bool>,
    /// Distance in bp to the transcript when the event only flanks it.
    pub distance: Option<u32>,
    /// The effect in words, e.g. `exons 3-5 of 12 deleted (412 coding bp, out of frame)`.
    pub description: String,
}

/// Bases of `(s, e)` inside `lo..=hi` (both 1-based inclusive).
fn overlap_len(s: u32, e: u32, lo: u32, hi: u32) -> u32 {
    let a = s.max(lo);
    let b = e.min(hi);
    if b < a {
        0
    } else {
        b - a + 1
    }
}

/// Exon number (1-based, transcript orientation) of exon index `i` (genomic order).
fn exon_number(t: &Transcript, i: usize) -> u32 {
    match t.strand {
        Strand::Forward => i as u32 + 1,
        Strand::Reverse => (t.exons.len() - i) as u32,
    }
}

/// First and last exon number touched by `lo..=hi`, in transcript orientation.
fn exons_touched(t: &Transcript, lo: u32, hi: u32) -> Option<(u32, u32)> {
    let nums: Vec<u32> = t
        .exons
        .iter()
        .enumerate()
        .filter(|(_, &(s, e))| overlap_len(s, e, lo, hi) > 0)
        .map(|(i, _)| exon_number(t, i))
        .collect();
    Some((*nums.iter().min()?, *nums.iter().max()?))
}

/// Coding bases of the transcript inside `lo..=hi` (`None` without a known CDS).
fn coding_inside(t: &Transcript, lo: u32, hi: u32) -> Option<u32> {
    let c = t.cds()?;
    Some(
        t.exons
            .iter()
            .map(|&(s, e)| overlap_len(s.max(c.start), e.min(c.end), lo, hi))
            .sum(),
    )
}

fn exon_text(exons: (u32, u32), n: u32) -> String {
    if exons.0 == exons.1 {
        format!("exon {} of {n}", exons.0)
    } else {
        format!("exons {}-{} of {n}", exons.0, exons.1)
    }
}

fn frame_text(coding: Option<u32>) -> (Option<bool>, String) {
    match coding {
        Some(0) => (None, " (no coding bases)".into()),
        Some(c) => {
            let f = c.is_multiple_of(3);
            (
                Some(f),
                format!(
                    " ({c} coding bp, {})",
                    if f { "in frame" } else { "out of frame" }
                ),
            )
        }
        None => (None, String::new()),
    }
}

/// The effect of `sv` on transcript `t`, or `None` when the event is farther than
/// `flank` bp from it. Rules: see the module docs.
pub fn structural_effect(t: &Transcript, sv: &SvInterval, flank: u32) -> Option<StructuralEffect> {
    if sv.chrom != t.chrom {
        return None;
    }
    let (ts, te) = (t.start(), t.end());
    let (lo, hi) = (sv.start, sv.end);
    let n = t.exons.len() as u32;
    let mut fx = StructuralEffect {
        consequences: Vec::new(),
        whole_transcript: false,
        intragenic: false,
        exons: None,
        exon_count: n,
        coding_bases: None,
        in_frame: None,
        distance: None,
        description: String::new(),
    };
    // a point event (insertion, breakend) lies between `lo` and `lo + 1`
    let point = matches!(sv.class, SvClass::Insertion | SvClass::Breakend);
    let touches = if point {
        lo >= ts && lo < te
    } else {
        hi >= ts && lo <= te
    };
    if !touches {
        let d = if hi < ts {
            ts - hi
        } else {
            lo.saturating_sub(te)
        };
        if d > flank {
            return None;
        }
        let before = hi < ts;
        let upstream = before == (t.strand == Strand::Forward);
        fx.distance = Some(d);
        fx.consequences.push(if upstream {
            Consequence::UpstreamGeneVariant
        } else {
            Consequence::DownstreamGeneVariant
        });
        fx.description = format!(
            "{} bp {} of the transcript",
            d,
            if upstream { "upstream" } else { "downstream" }
        );
        return Some(fx);
    }
    let whole = !point && lo <= ts && hi >= te;
    fx.whole_transcript = whole;
    fx.intragenic = lo > ts && hi < te;
    match sv.class {
        SvClass::Loss | SvClass::Gain => interval_effect(t, sv, whole, &mut fx),
        SvClass::Inversion => inversion_effect(t, sv, whole, &mut fx),
        SvClass::Insertion | SvClass::Breakend => point_effect(t, sv, &mut fx),
    }
    Some(fx)
}

/// A loss or gain overlapping the transcript.
fn interval_effect(t: &Transcript, sv: &SvInterval, whole: bool, fx: &mut StructuralEffect) {
    let loss = sv.class == SvClass::Loss;
    let (lo, hi) = (sv.start, sv.end);
    if whole {
        fx.consequences.push(if loss {
            Consequence::TranscriptAblation
        } else {
            Consequence::TranscriptAmplification
        });
        fx.exons = Some((1, fx.exon_count));
        fx.coding_bases = coding_inside(t, lo, hi);
        fx.description = format!(
            "whole transcript {} ({} exons)",
            if loss { "deleted" } else { "duplicated" },
            fx.exon_count
        );
        return;
    }
    fx.exons = exons_touched(t, lo, hi);
    let Some(exons) = fx.exons else {
        fx.consequences.push(Consequence::IntronVariant);
        fx.description = format!(
            "intronic {} (no exon bases)",
            if loss { "deletion" } else { "duplication" }
        );
        return;
    };
    fx.coding_bases = coding_inside(t, lo, hi);
    let (in_frame, ftext) = frame_text(fx.coding_bases);
    fx.in_frame = in_frame;
    let inside = fx.intragenic;
    if loss {
        // a whole exon lost, or only part of one (a large indel inside an exon)
        let whole_exon = t.exons.iter().any(|&(s, e)| lo <= s && e <= hi);
        if whole_exon {
            fx.consequences.push(Consequence::ExonLossVariant);
        }
        match in_frame {
            Some(false) => fx.consequences.push(Consequence::FrameshiftVariant),
            Some(true) => fx.consequences.push(Consequence::InframeDeletion),
            None => {}
        }
        fx.consequences.push(Consequence::FeatureTruncation);
        fx.description = format!(
            "{}{} deleted{ftext}",
            if whole_exon { "" } else { "part of " },
            exon_text(exons, fx.exon_count)
        );
    } else {
        fx.consequences.push(Consequence::FeatureElongation);
        if inside {
            fx.description = format!(
                "{} duplicated inside the gene{ftext}",
                exon_text(exons, fx.exon_count)
            );
        } else {
            // one breakpoint outside: one copy of the gene stays whole
            fx.in_frame = None;
            fx.description = format!(
                "{} duplicated, one breakpoint outside the gene (an intact copy remains)",
                exon_text(exons, fx.exon_count)
            );
        }
    }
}

/// An inversion overlapping the transcript.
fn inversion_effect(t: &Transcript, sv: &SvInterval, whole: bool, fx: &mut StructuralEffect) {
    let (lo, hi) = (sv.start, sv.end);
    if whole {
        fx.consequences.push(Consequence::SequenceVariant);
        fx.exons = Some((1, fx.exon_count));
        fx.description = "whole transcript inverted (gene intact)".into();
        return;
    }
    fx.exons = exons_touched(t, lo, hi);
    let breaks_inside = [lo, hi]
        .iter()
        .filter(|&&p| p > t.start() && p < t.end())
        .count();
    let both_in_one_intron = breaks_inside == 2 && fx.exons.is_none();
    if both_in_one_intron {
        fx.consequences.push(Consequence::IntronVariant);
        fx.description = "inversion inside an intron (no exon bases)".into();
        return;
    }
    fx.consequences.push(Consequence::FeatureTruncation);
    fx.coding_bases = coding_inside(t, lo, hi);
    fx.description = match fx.exons {
        Some(e) => format!(
            "inversion breakpoint in the gene, {} inverted",
            exon_text(e, fx.exon_count)
        ),
        None => "inversion breakpoint in an intron: gene disrupted".into(),
    };
}

/// An insertion or breakend inside the transcript (between `start` and `start + 1`).
fn point_effect(t: &Transcript, sv: &SvInterval, fx: &mut StructuralEffect) {
    let p = sv.start;
    let exon = t
        .exons
        .iter()
        .position(|&(s, e)| s <= p && p < e)
        .map(|i| exon_number(t, i));
    let intron = if exon.is_none() {
        t.exons
            .windows(2)
            .position(|w| p >= w[0].1 && p < w[1].0)
            .map(|i| match t.strand {
                Strand::Forward => i as u32 + 1,
                Strand::Reverse => (t.exons.len() - 1 - i) as u32,
            })
    } else {
        None
    };
    fx.exons = exon.map(|e| (e, e));
    if sv.class == SvClass::Breakend {
        fx.consequences.push(Consequence::FeatureTruncation);
        fx.description = match (exon, intron) {
            (Some(e), _) => format!("breakend in exon {e} of {}: gene disrupted", fx.exon_count),
            (None, Some(i)) => format!("breakend in intron {i}: gene disrupted"),
            _ => "breakend in the gene: gene disrupted".into(),
        };
        return;
    }
    match exon {
        Some(e) => {
            let coding = t.cds().is_some_and(|c| p >= c.start && p < c.end);
            fx.consequences.push(Consequence::FeatureElongation);
            let ftext = match (coding, sv.inserted) {
                (true, Some(len)) => {
                    fx.coding_bases = Some(len);
                    fx.in_frame = Some(len.is_multiple_of(3));
                    frame_text(Some(len)).1
                }
                _ => String::new(),
            };
            fx.description = format!("insertion in exon {e} of {}{ftext}", fx.exon_count);
        }
        None => {
            fx.consequences.push(Consequence::IntronVariant);
            fx.description = match intron {
                Some(i) => format!("insertion in intron {i}"),
                None => "insertion in an intron".into(),
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use odyssey_genome::Chrom;

    use super::*;
    use crate::model::{Cds, CodingRegion, TranscriptFlags};

    /// A forward-strand transcript with exons 1001-1100, 2001-2100, 3001-3100, 4001-4100 and
    /// a CDS 1051-4050: coding bases per exon 50, 100, 100, 50 (300 = 100 codons).
    fn tx(strand: Strand) -> Transcript {
        Transcript {
            id: Some(Arc::from("T1")),
            gene_id: None,
            gene_symbol: Some(Arc::from("GENE1")),
            ncbi_gene_id: None,
            hgnc_id: None,
            protein_id: None,
            biotype: Arc::from("protein_coding"),
            chrom: Chrom::autosome(1).unwrap(),
            strand,
            exons: vec![(1001, 1100), (2001, 2100), (3001, 3100), (4001, 4100)],
            coding: CodingRegion::Coding(Cds {
                start: 1051,
                end: 4050,
                phase: 0,
            }),
            flags: TranscriptFlags::default(),
            refseq_match: None,
            refseq_protein: None,
        }
    }

    fn sv(class: SvClass, start: u32, end: u32) -> SvInterval {
        SvInterval {
            chrom: Chrom::autosome(1).unwrap(),
            start,
            end,
            class,
            inserted: None,
        }
    }

    #[test]
    fn whole_gene_loss_and_gain() {
        let t = tx(Strand::Forward);
        let f = structural_effect(&t, &sv(SvClass::Loss, 500, 5000), 5000).unwrap();
        assert_eq!(f.consequences, vec![Consequence::TranscriptAblation]);
        assert!(f.whole_transcript);
        assert_eq!(f.coding_bases, Some(300));
        let f = structural_effect(&t, &sv(SvClass::Gain, 1001, 4100), 5000).unwrap();
        assert_eq!(f.consequences, vec![Consequence::TranscriptAmplification]);
    }

    #[test]
    fn exon_deletion_frame() {
        let t = tx(Strand::Forward);
        // exon 2 alone: 100 coding bases, 100 % 3 = 1 → out of frame
        let f = structural_effect(&t, &sv(SvClass::Loss, 1500, 2500), 5000).unwrap();
        assert_eq!(f.exons, Some((2, 2)));
        assert_eq!(f.coding_bases, Some(100));
        assert_eq!(f.in_frame, Some(false));
        assert_eq!(
            f.consequences,
            vec![
                Consequence::ExonLossVariant,
                Consequence::FrameshiftVariant,
                Consequence::FeatureTruncation
            ]
        );
        // exons 2-3 plus 50 bases of exon 4 (4001-4050 coding): 100+100+50 = 250, 250 % 3 = 1
        let f = structural_effect(&t, &sv(SvClass::Loss, 1500, 4050), 5000).unwrap();
        assert_eq!((f.exons, f.coding_bases), (Some((2, 4)), Some(250)));
        // exon 2 and 50 coding bases of exon 1 (1051-1100): 150 → in frame
        let f = structural_effect(&t, &sv(SvClass::Loss, 1051, 2500), 5000).unwrap();
        assert_eq!(f.coding_bases, Some(150));
        assert_eq!(f.in_frame, Some(true));
        assert_eq!(f.consequences[1], Consequence::InframeDeletion);
        assert_eq!(
            f.description,
            "exons 1-2 of 4 deleted (150 coding bp, in frame)"
        );
        // 60 bases inside exon 3 (3021-3080, all coding): no whole exon lost, in frame
        let f = structural_effect(&t, &sv(SvClass::Loss, 3021, 3080), 5000).unwrap();
        assert_eq!(
            f.consequences,
            vec![Consequence::InframeDeletion, Consequence::FeatureTruncation]
        );
        assert_eq!(
            f.description,
            "part of exon 3 of 4 deleted (60 coding bp, in frame)"
        );
        // on the reverse strand, genomic exon 2 is exon 3 of 4
        let r = tx(Strand::Reverse);
        let f = structural_effect(&r, &sv(SvClass::Loss, 1500, 2500), 5000).unwrap();
        assert_eq!(f.exons, Some((3, 3)));
    }

    #[test]
    fn intronic_flanking_and_breakpoints() {
        let t = tx(Strand::Forward);
        let f = structural_effect(&t, &sv(SvClass::Loss, 1200, 1900), 5000).unwrap();
        assert_eq!(f.consequences, vec![Consequence::IntronVariant]);
        // 600 bp before the transcript start on the forward strand: upstream, distance 601
        let f = structural_effect(&t, &sv(SvClass::Loss, 100, 400), 5000).unwrap();
        assert_eq!(f.consequences, vec![Consequence::UpstreamGeneVariant]);
        assert_eq!(f.distance, Some(601));
        assert!(structural_effect(&t, &sv(SvClass::Loss, 100, 400), 500).is_none());
        // partial duplication inside the gene: exons 2-3, 200 coding bp → out of frame
        let f = structural_effect(&t, &sv(SvClass::Gain, 1500, 3500), 5000).unwrap();
        assert_eq!(f.consequences, vec![Consequence::FeatureElongation]);
        assert_eq!((f.exons, f.in_frame), (Some((2, 3)), Some(false)));
        // inversion with one breakpoint in intron 2 disrupts the gene
        let f = structural_effect(&t, &sv(SvClass::Inversion, 2500, 9000), 5000).unwrap();
        assert_eq!(f.consequences, vec![Consequence::FeatureTruncation]);
        let f = structural_effect(&t, &sv(SvClass::Breakend, 2500, 2500), 5000).unwrap();
        assert_eq!(f.description, "breakend in intron 2: gene disrupted");
        let mut ins = sv(SvClass::Insertion, 2050, 2050);
        ins.inserted = Some(300);
        let f = structural_effect(&t, &ins, 5000).unwrap();
        assert_eq!((f.exons, f.in_frame), (Some((2, 2)), Some(true)));
    }
}
