//! The variant score of a structural event in one gene (docs/structural-variants.md).
//!
//! Pathogenicity from the effect on the gene, in the spirit of the ACMG/ClinGen CNV
//! standards (Riggs et al., Genet Med 2020: loss of a whole gene or of coding exons with a
//! frameshift predicts loss of function; a whole-gene gain matters only for
//! triplosensitive genes; an intragenic duplication can disrupt the reading frame):
//!
//! | effect | pathogenicity |
//! |---|---|
//! | whole-gene deletion (`transcript_ablation`) | 1 |
//! | exon deletion, out of frame | 1 |
//! | exon deletion, in frame | 0.7 |
//! | exon deletion, coding effect unknown (no CDS, UTR exons) | 0.5 |
//! | breakpoint of an inversion or breakend in the gene (`feature_truncation`) | 0.9 |
//! | insertion in a coding exon: out of frame / in frame / length unknown | 0.9 / 0.6 / 0.7 |
//! | intragenic duplication of exons: out of frame / in frame or unknown | 0.8 / 0.5 |
//! | duplication with one end outside the gene (an intact copy remains) | 0.2 |
//! | whole-gene duplication (`transcript_amplification`) | 0.3 |
//! | other terms (intronic, flanking, whole-gene inversion) | the small-variant prior |
//!
//! ClinGen dosage (scores 3 sufficient, 2 some, 1 little evidence, 30 autosomal recessive,
//! 40 dosage sensitivity unlikely): a deletion of a whole gene or of its exons in a gene with
//! haploinsufficiency 3 scores 1, with 2 at least 0.9, with 40 at most 0.5; a whole-gene
//! duplication of a gene with triplosensitivity 3 scores 1, 2 → 0.8, 1 → 0.5, 40 → at most
//! 0.05. A loss or gain that covers a whole ClinGen region with score 3 for its direction
//! scores 1. Then, as for small variants, ClinVar (a match by reciprocal overlap: P/LP with
//! stars 1, B/LB with stars at most 0.1) and the frequency factor.

use odyssey_genome::{Consequence, SvClass};

use super::sources::{DosageCuration, StructuralEvidence};
use super::SvGeneDetail;
use crate::score::{consequence_prior, frequency_factor, with_clinvar_and_frequency, VariantScore};
use crate::sources::SourceAnnotations;

/// The pathogenicity of the effect alone, and its basis (table of the module docs).
fn effect_prior(c: Consequence, class: SvClass, d: Option<&SvGeneDetail>) -> (f32, String) {
    use Consequence::*;
    let in_frame = d.and_then(|d| d.in_frame);
    let intragenic = d.is_some_and(|d| d.intragenic);
    let (p, b): (f32, &str) = match (class, c) {
        (SvClass::Loss, TranscriptAblation) => (1.0, "whole-gene deletion"),
        (SvClass::Loss, ExonLossVariant) => match in_frame {
            Some(false) => (1.0, "exon deletion, out of frame"),
            Some(true) => (0.7, "exon deletion, in frame"),
            None => (0.5, "exon deletion, coding effect unknown"),
        },
        (SvClass::Inversion | SvClass::Breakend, FeatureTruncation) => {
            (0.9, "breakpoint in the gene")
        }
        (SvClass::Insertion, FeatureElongation) => match in_frame {
            Some(false) => (0.9, "exonic insertion, out of frame"),
            Some(true) => (0.6, "exonic insertion, in frame"),
            None => (0.7, "exonic insertion"),
        },
        (SvClass::Gain, FeatureElongation) if intragenic => match in_frame {
            Some(false) => (0.8, "intragenic duplication, out of frame"),
            _ => (0.5, "intragenic duplication"),
        },
        (SvClass::Gain, FeatureElongation) => (0.2, "partial duplication, intact copy"),
        (SvClass::Gain, TranscriptAmplification) => (0.3, "whole-gene duplication"),
        (_, c) => return (consequence_prior(c), c.as_str().to_string()),
    };
    (p, b.to_string())
}

/// Raises or caps `p` by a ClinGen score (see the module docs).
fn apply_dosage(
    p: f32,
    basis: String,
    c: Consequence,
    class: SvClass,
    dosage: Option<&DosageCuration>,
) -> (f32, String) {
    let Some(d) = dosage else {
        return (p, basis);
    };
    let loss = class == SvClass::Loss
        && matches!(
            c,
            Consequence::TranscriptAblation | Consequence::ExonLossVariant
        );
    let gain = class == SvClass::Gain && c == Consequence::TranscriptAmplification;
    let (score, label) = if loss {
        (d.haploinsufficiency, "HI")
    } else if gain {
        (d.triplosensitivity, "TS")
    } else {
        return (p, basis);
    };
    let new = match (label, score) {
        (_, Some(3)) => 1.0,
        ("HI", Some(2)) => p.max(0.9),
        ("TS", Some(2)) => 0.8,
        ("TS", Some(1)) => 0.5,
        ("HI", Some(40)) => p.min(0.5),
        ("TS", Some(40)) => p.min(0.05),
        _ => return (p, basis),
    };
    (
        new,
        format!(
            "{basis}; ClinGen {label} {} ({})",
            score.unwrap_or(0),
            d.label
        ),
    )
}

/// The score of a structural event's effect `consequence` on one gene (module docs):
/// `detail` is the gene's structural detail (absent with in-VCF annotations), `dosage` the
/// gene's ClinGen curation, `evidence` the event's region curations, `ann` its population AF
/// and ClinVar match, `af_max` the frequency ceiling of the frequency factor.
pub fn structural_score(
    consequence: Consequence,
    class: SvClass,
    detail: Option<&SvGeneDetail>,
    dosage: Option<&DosageCuration>,
    evidence: &StructuralEvidence,
    ann: &SourceAnnotations,
    af_max: f32,
) -> VariantScore {
    let (p, basis) = effect_prior(consequence, class, detail);
    let (mut p, mut basis) = apply_dosage(p, basis, consequence, class, dosage);
    let region = evidence.regions.iter().find(|r| match class {
        SvClass::Loss => r.haploinsufficiency == Some(3),
        SvClass::Gain => r.triplosensitivity == Some(3),
        _ => false,
    });
    if let Some(r) = region {
        p = 1.0;
        basis = format!("{basis}; covers ClinGen region {}", r.label.trim());
    }
    let af = match (ann.max_af, ann.local_af) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    with_clinvar_and_frequency(p, basis, ann, frequency_factor(af, af_max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{ClinVarRecord, ClinicalSignificance};

    fn detail(in_frame: Option<bool>, intragenic: bool) -> SvGeneDetail {
        SvGeneDetail {
            in_frame,
            intragenic,
            ..SvGeneDetail::default()
        }
    }

    fn dosage(hi: Option<u8>, ts: Option<u8>) -> DosageCuration {
        DosageCuration {
            source: "clingen".into(),
            label: "GENE1".into(),
            haploinsufficiency: hi,
            triplosensitivity: ts,
        }
    }

    #[test]
    fn effects_frame_and_dosage() {
        let none = StructuralEvidence::default();
        let ann = SourceAnnotations::default();
        let s = |c, class, d: Option<&SvGeneDetail>, g: Option<&DosageCuration>| {
            structural_score(c, class, d, g, &none, &ann, 0.02).score
        };
        use Consequence::*;
        assert_eq!(s(TranscriptAblation, SvClass::Loss, None, None), 1.0);
        let out = detail(Some(false), true);
        let inf = detail(Some(true), true);
        assert_eq!(s(ExonLossVariant, SvClass::Loss, Some(&out), None), 1.0);
        assert_eq!(s(ExonLossVariant, SvClass::Loss, Some(&inf), None), 0.7);
        // HI 3 raises an in-frame exon deletion to 1; HI 40 caps it at 0.5
        let hi3 = dosage(Some(3), None);
        let hi40 = dosage(Some(40), None);
        assert_eq!(
            s(ExonLossVariant, SvClass::Loss, Some(&inf), Some(&hi3)),
            1.0
        );
        assert_eq!(
            s(ExonLossVariant, SvClass::Loss, Some(&inf), Some(&hi40)),
            0.5
        );
        // whole-gene duplication: 0.3, TS 3 → 1, TS 1 → 0.5; HI does not apply to a gain
        assert_eq!(s(TranscriptAmplification, SvClass::Gain, None, None), 0.3);
        let ts3 = dosage(None, Some(3));
        let ts1 = dosage(Some(3), Some(1));
        assert_eq!(
            s(TranscriptAmplification, SvClass::Gain, None, Some(&ts3)),
            1.0
        );
        assert_eq!(
            s(TranscriptAmplification, SvClass::Gain, None, Some(&ts1)),
            0.5
        );
        assert_eq!(s(FeatureElongation, SvClass::Gain, Some(&out), None), 0.8);
        assert_eq!(
            s(
                FeatureElongation,
                SvClass::Gain,
                Some(&detail(None, false)),
                None
            ),
            0.2
        );
    }

    #[test]
    fn frequency_and_clinvar() {
        let none = StructuralEvidence::default();
        // AF 0.01 against a ceiling of 0.02: factor 1 − 0.5² = 0.75
        let ann = SourceAnnotations {
            max_af: Some(0.01),
            ..SourceAnnotations::default()
        };
        let v = structural_score(
            Consequence::TranscriptAblation,
            SvClass::Loss,
            None,
            None,
            &none,
            &ann,
            0.02,
        );
        assert_eq!(
            (v.pathogenicity, v.frequency_factor, v.score),
            (1.0, 0.75, 0.75)
        );
        // a 2-star benign ClinVar match caps a whole-gene duplication's 0.3 at 0.1
        let ann = SourceAnnotations {
            clinvar: Some(ClinVarRecord {
                source: "clinvar_sv:VCV1".into(),
                significance: ClinicalSignificance::Benign,
                stars: 2,
            }),
            ..SourceAnnotations::default()
        };
        let v = structural_score(
            Consequence::TranscriptAmplification,
            SvClass::Gain,
            None,
            None,
            &none,
            &ann,
            0.02,
        );
        assert_eq!(v.score, 0.1);
    }
}
