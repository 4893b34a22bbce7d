//! Variant pathogenicity score and the genotype likelihood ratio per gene and mode.
//!
//! ## Variant score (0-1)
//!
//! `score = pathogenicity × frequency_factor`, in the spirit of Exomiser's variant score
//! (Smedley et al. 2015, Nat Protoc 10:2004) but with Odyssey's own table and rules:
//!
//! 1. **Consequence prior** ([`consequence_prior`]): 1.0 for transcript ablation, stop gained
//!    and frameshift; 0.95 splice acceptor/donor; 0.9 start lost; 0.85 stop lost; 0.7 other
//!    feature truncation/elongation; 0.6 missense, in-frame indels and other protein-altering
//!    changes; 0.5 `coding_sequence_variant` (a coding change of unknown effect, as annotators
//!    without reference sequence report coding SNVs: most such SNVs are missense or nonsense);
//!    0.4 splice donor 5th base; 0.3 mature miRNA; 0.25 other splice-region terms; 0.1 UTR and
//!    non-coding exon; lower for the rest.
//! 2. **Predictors** for missense/in-frame/protein-altering changes: when REVEL (Ioannidis et
//!    al. 2016), AlphaMissense (Cheng et al. 2023) or CADD (Rentzsch et al. 2019; PHRED/40,
//!    capped at 1) is known, their maximum replaces the 0.6 prior. A SpliceAI maximum delta
//!    score (Jaganathan et al. 2019) raises any variant to at least that value.
//! 3. **ClinVar**: Pathogenic/Likely pathogenic with ≥ 1 review star sets the score to 1
//!    (frequency factor ignored); with 0 stars it raises pathogenicity to at least 0.8;
//!    Benign/Likely benign with ≥ 1 star caps it at 0.1.
//! 4. **Frequency factor** `1 - (AF / AFmax)²` for the highest population or in-house AF,
//!    where `AFmax` is the highest per-mode maximum (2% by default); 1 when the variant is
//!    absent from every source, 0 at or above `AFmax`.
//!
//! ## Genotype likelihood ratio
//!
//! Following LIRICAL (Robinson et al. 2020, AJHG 107:403), the weighted count `k` of
//! pathogenic alleles observed in the gene under a mode is compared between a Poisson model
//! with the mode's expected count `λD` (1 for dominant, 2 for recessive; 1 for a hemizygous
//! male) and a Poisson model with the gene's background count `λB` of predicted-pathogenic
//! alleles in the population:
//!
//! `LR = Pois(k; λD) / Pois(k; λB) = (λD/λB)^k · e^(λB − λD)`.
//!
//! `k` is the score of the best single allele for dominant patterns, 2 × score for a
//! homozygote, and the sum of the best compatible pair for compound heterozygotes (LIRICAL
//! issue #662's proposal: the best allele, or the best two, not the sum of all). `λB` comes from
//! a per-gene table when given, else 0.1 (LIRICAL's value for genes without background data);
//! when `λB ≥ 1` it is replaced by `min(λD, λB)` (LIRICAL issue #162). A gene without any
//! qualifying allele gets `Pois(0; λD)/Pois(0; λB) = e^(λB − λD)`.
//!
//! Two further factors multiply the LR:
//! * **de novo**: a confirmed de novo allele (both parents sequenced and homozygous reference
//!   with adequate depth) multiplies by 18.7, the odds of one *strong* criterion (PS2) in the
//!   Bayesian formulation of the ACMG/AMP guidelines (Tavtigian et al. 2018, Genet Med 20:1054);
//! * **co-segregation**: each informative relative multiplies by the inverse of the chance
//!   of the observed genotype without causation, assuming full penetrance (Jarvik & Browning
//!   2016, AJHG 98:1077): 2 for an affected parent, sibling or child who carries a dominant
//!   allele or an unaffected sibling/child who does not; 4 for an affected sibling with the
//!   same recessive genotype and 4/3 for an unaffected sibling without it; capped at 1024.

use std::collections::BTreeMap;

use odyssey_genome::Consequence;
use serde::{Deserialize, Serialize};

use crate::sources::{ScoreKind, SourceAnnotations};

/// Parameters of the genotype likelihood ratio.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoringConfig {
    /// Background count λB for genes absent from `gene_background`.
    pub default_background: f64,
    /// Per-gene λB (HGNC symbol → expected predicted-pathogenic alleles per individual).
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub gene_background: BTreeMap<String, f64>,
    /// Factor for a confirmed de novo allele.
    pub de_novo_factor: f64,
    /// Cap of the co-segregation factor.
    pub max_segregation_factor: f64,
    /// Factor per ClinVar Pathogenic/Likely pathogenic allele (≥ 1 review star) in the
    /// genotype that decides a mode.
    #[serde(default = "default_clinvar_factor")]
    pub clinvar_factor: f64,
    /// Factor for a compound heterozygote confirmed in trans (parents' genotypes or phase).
    #[serde(default = "default_in_trans_factor")]
    pub in_trans_factor: f64,
}

fn default_clinvar_factor() -> f64 {
    18.7
}

fn default_in_trans_factor() -> f64 {
    4.33
}

impl Default for ScoringConfig {
    fn default() -> Self {
        ScoringConfig {
            default_background: 0.1,
            gene_background: BTreeMap::new(),
            de_novo_factor: 18.7,
            max_segregation_factor: 1024.0,
            clinvar_factor: default_clinvar_factor(),
            in_trans_factor: default_in_trans_factor(),
        }
    }
}

impl ScoringConfig {
    /// λB of a gene.
    pub fn background(&self, symbol: &str) -> f64 {
        self.gene_background
            .get(symbol)
            .copied()
            .unwrap_or(self.default_background)
    }

    /// Reads a per-gene background table: TSV `symbol<TAB>lambda`, `#` comments and a
    /// non-numeric first line (header) skipped. Errors name the file and line.
    pub fn read_background(path: &std::path::Path) -> crate::Result<BTreeMap<String, f64>> {
        use crate::error::{Error, Location};
        let text = odyssey_genome::text::read_text_file(path).map_err(|e| Error::io(path, e))?;
        let mut out = BTreeMap::new();
        for (i, line) in text.lines().enumerate() {
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = t.split('\t').collect();
            if f.len() < 2 {
                return Err(Error::parse(
                    path,
                    Location::Line(i as u64 + 1),
                    "expected gene symbol and background λ separated by a tab",
                ));
            }
            match f[1].trim().parse::<f64>() {
                Ok(v) if v > 0.0 && v.is_finite() => {
                    out.insert(f[0].trim().to_string(), v);
                }
                _ if i == 0 => continue,
                _ => {
                    return Err(Error::parse(
                        path,
                        Location::Line(i as u64 + 1),
                        format!("background {:?} is not a positive number", f[1]),
                    ))
                }
            }
        }
        Ok(out)
    }
}

/// Prior pathogenicity of a consequence (see the module docs).
pub fn consequence_prior(c: Consequence) -> f32 {
    use Consequence::*;
    match c {
        TranscriptAblation | StopGained | FrameshiftVariant => 1.0,
        SpliceAcceptorVariant | SpliceDonorVariant => 0.95,
        StartLost => 0.9,
        StopLost => 0.85,
        TranscriptAmplification | FeatureElongation | FeatureTruncation | ExonLossVariant => 0.7,
        InframeInsertion | InframeDeletion | MissenseVariant | ProteinAlteringVariant => 0.6,
        CodingSequenceVariant => 0.5,
        SpliceDonor5thBaseVariant => 0.4,
        MatureMirnaVariant => 0.3,
        SpliceRegionVariant | SpliceDonorRegionVariant | SplicePolypyrimidineTractVariant => 0.25,
        IncompleteTerminalCodonVariant => 0.2,
        FivePrimeUtrVariant | ThreePrimeUtrVariant | NonCodingTranscriptExonVariant => 0.1,
        StartRetainedVariant | StopRetainedVariant | SynonymousVariant => 0.05,
        TfbsAblation
        | TfbsAmplification
        | TfBindingSiteVariant
        | RegulatoryRegionAblation
        | RegulatoryRegionAmplification
        | RegulatoryRegionVariant
        | SequenceVariant => 0.05,
        IntronVariant
        | NmdTranscriptVariant
        | NonCodingTranscriptVariant
        | CodingTranscriptVariant => 0.02,
        UpstreamGeneVariant | DownstreamGeneVariant => 0.01,
        IntergenicVariant => 0.0,
    }
}

/// The variant score and how it was reached.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariantScore {
    /// Pathogenicity before the frequency factor, 0-1.
    pub pathogenicity: f32,
    /// Frequency factor, 0-1.
    pub frequency_factor: f32,
    /// `pathogenicity × frequency_factor` (or 1 for ClinVar P/LP with stars).
    pub score: f32,
    /// What decided the pathogenicity, e.g. `REVEL 0.91`, `stop_gained`, `ClinVar P/LP (2★)`.
    pub basis: String,
}

/// Frequency factor `1 − (AF/AFmax)²`, 1 for an absent variant, 0 at or above `af_max`.
pub fn frequency_factor(af: Option<f32>, af_max: f32) -> f32 {
    match af {
        None => 1.0,
        Some(a) if a >= af_max => 0.0,
        Some(a) => 1.0 - (a / af_max) * (a / af_max),
    }
}

/// Scores one allele for one gene's consequence (see the module docs).
pub fn variant_score(
    consequence: Consequence,
    ann: &SourceAnnotations,
    af_max: f32,
) -> VariantScore {
    let af = match (ann.max_af, ann.local_af) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    let ff = frequency_factor(af, af_max);
    let mut p = consequence_prior(consequence);
    let mut basis = consequence.as_str().to_string();
    let missense_like = matches!(
        consequence,
        Consequence::MissenseVariant
            | Consequence::InframeInsertion
            | Consequence::InframeDeletion
            | Consequence::ProteinAlteringVariant
    );
    if missense_like {
        let preds = [
            (ScoreKind::Revel, "REVEL", ann.score(ScoreKind::Revel)),
            (
                ScoreKind::Alphamissense,
                "AlphaMissense",
                ann.score(ScoreKind::Alphamissense),
            ),
            (
                ScoreKind::CaddPhred,
                "CADD",
                ann.score(ScoreKind::CaddPhred).map(|c| (c / 40.0).min(1.0)),
            ),
        ];
        let best = preds
            .iter()
            .filter_map(|(_, n, v)| v.map(|v| (v.clamp(0.0, 1.0), *n)))
            .fold(None::<(f32, &str)>, |b, c| match b {
                Some(b) if b.0 >= c.0 => Some(b),
                _ => Some(c),
            });
        if let Some((v, n)) = best {
            p = v;
            basis = format!("{n} {v:.2}");
        }
    }
    if let Some(s) = ann.score(ScoreKind::Spliceai) {
        if s > p {
            p = s.min(1.0);
            basis = format!("SpliceAI {s:.2}");
        }
    }
    with_clinvar_and_frequency(p, basis, ann, ff)
}

/// The score from a pathogenicity `p` (and its basis) with the ClinVar rules (P/LP with
/// stars: 1; P/LP without: at least 0.8; B/LB with stars: at most 0.1) and the frequency
/// factor `ff`.
pub(crate) fn with_clinvar_and_frequency(
    mut p: f32,
    mut basis: String,
    ann: &SourceAnnotations,
    ff: f32,
) -> VariantScore {
    if let Some(cv) = &ann.clinvar {
        if cv.significance.is_pathogenic_or_likely() {
            if cv.stars >= 1 {
                return VariantScore {
                    pathogenicity: 1.0,
                    frequency_factor: ff,
                    score: 1.0,
                    basis: format!("ClinVar P/LP ({}★)", cv.stars),
                };
            }
            if p < 0.8 {
                p = 0.8;
                basis = "ClinVar P/LP (0★)".into();
            }
        } else if cv.significance.is_benign_or_likely() && cv.stars >= 1 && p > 0.1 {
            p = 0.1;
            basis = format!("ClinVar B/LB ({}★)", cv.stars);
        }
    }
    VariantScore {
        pathogenicity: p,
        frequency_factor: ff,
        score: p * ff,
        basis,
    }
}

/// How much a genotype call is trusted, 0.1-1: the weight of its allele in the genotype
/// likelihood ratio's count `k` (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallConfidence {
    /// Product of the GQ, QUAL and allele-balance factors, at least 0.1.
    pub weight: f32,
    /// The factors below 1, e.g. `GQ 22 → 0.55, QUAL 30 → 0.75`; `full` when none is.
    pub basis: String,
}

/// A linear ramp: `low_weight` at `low`, 1 at `high` and above, clamped to `[floor, 1]`.
fn ramp(x: f32, low: f32, high: f32, low_weight: f32, floor: f32) -> f32 {
    (low_weight + (1.0 - low_weight) * (x - low) / (high - low)).clamp(floor, 1.0)
}

/// The confidence of the proband's call of an allele (see the module docs): GQ and QUAL
/// ramp from 0.5 at 20 (the default filter minimum) to 1 at 40; the heterozygous ALT read
/// fraction is trusted fully within 0.35-0.65 and ramps down to 0.5 at 0.2 and 0.8 (the filter
/// bounds), a homozygous one fully from 0.9, ramping to 0.5 at 0.8. A missing field (or a
/// mitochondrial call's allele fraction, which is heteroplasmy, not balance) costs nothing.
pub fn call_confidence(
    g: &crate::genotype::Genotype,
    qual: Option<f32>,
    mitochondrial: bool,
) -> CallConfidence {
    let mut weight = 1.0f32;
    let mut parts = Vec::new();
    let mut apply = |w: f32, what: String| {
        if w < 1.0 {
            weight *= w;
            parts.push(format!("{what} → {w:.2}"));
        }
    };
    if let Some(gq) = g.gq {
        apply(ramp(gq, 20.0, 40.0, 0.5, 0.1), format!("GQ {gq}"));
    }
    if let Some(q) = qual.filter(|q| q.is_finite()) {
        apply(ramp(q, 20.0, 40.0, 0.5, 0.1), format!("QUAL {q}"));
    }
    if let (Some(ab), false) = (g.allele_balance(), mitochondrial) {
        let w = if g.is_hom_alt() || g.ploidy == 1 {
            ramp(ab, 0.8, 0.9, 0.5, 0.1)
        } else if g.is_het() && g.other_alt == 0 {
            ramp(0.5 - (ab - 0.5).abs(), 0.2, 0.35, 0.5, 0.1)
        } else {
            1.0
        };
        apply(w, format!("allele balance {ab:.2}"));
    }
    CallConfidence {
        weight: weight.max(0.1),
        basis: if parts.is_empty() {
            "full".into()
        } else {
            parts.join(", ")
        },
    }
}

/// Pathogenicity floor of a change in a mitochondrial tRNA or rRNA gene (a
/// `non_coding_transcript_exon_variant` on the mitochondrial genome): most confirmed pathogenic
/// mtDNA variants lie in tRNA genes (MITOMAP), so such a change is scored like a coding change
/// of unknown effect (0.5) rather than a nuclear non-coding exon (0.1).
pub const MT_RNA_PRIOR: f32 = 0.5;

/// [`variant_score`] for an allele on the mitochondrial genome: raises a tRNA/rRNA change to
/// [`MT_RNA_PRIOR`] (frequency factor kept).
pub fn mitochondrial_score(consequence: Consequence, s: VariantScore) -> VariantScore {
    if consequence == Consequence::NonCodingTranscriptExonVariant && s.pathogenicity < MT_RNA_PRIOR
    {
        VariantScore {
            pathogenicity: MT_RNA_PRIOR,
            frequency_factor: s.frequency_factor,
            score: MT_RNA_PRIOR * s.frequency_factor,
            basis: "mitochondrial tRNA/rRNA change".into(),
        }
    } else {
        s
    }
}

/// LIRICAL-style Poisson likelihood ratio `(λD/λB)^k · e^(λB − λD)` with `λB` replaced by
/// `min(λD, λB)` when `λB ≥ 1`.
pub fn poisson_lr(k: f64, lambda_disease: f64, lambda_background: f64) -> f64 {
    let lb = if lambda_background >= 1.0 {
        lambda_background.min(lambda_disease)
    } else {
        lambda_background
    };
    (lambda_disease / lb).powf(k) * (lb - lambda_disease).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::{ClinVarRecord, ClinicalSignificance};

    #[test]
    fn poisson_lr_by_hand() {
        // k = 1, λD = 1, λB = 0.1: 10 · e^-0.9 = 4.0657
        assert!((poisson_lr(1.0, 1.0, 0.1) - 10.0 * (-0.9f64).exp()).abs() < 1e-12);
        // k = 2, λD = 2, λB = 0.1: 20² · e^-1.9
        assert!((poisson_lr(2.0, 2.0, 0.1) - 400.0 * (-1.9f64).exp()).abs() < 1e-9);
        // no allele: e^(λB-λD)
        assert!((poisson_lr(0.0, 1.0, 0.1) - (-0.9f64).exp()).abs() < 1e-12);
        // λB ≥ 1 capped at λD: ratio 1, exponent 0
        assert!((poisson_lr(1.0, 1.0, 9.4) - 1.0).abs() < 1e-12);
        // a direct evaluation of the two Poisson densities agrees (k integer)
        let pois =
            |k: i32, l: f64| l.powi(k) * (-l).exp() / (1..=k).map(f64::from).product::<f64>();
        assert!((poisson_lr(2.0, 2.0, 0.3) - pois(2, 2.0) / pois(2, 0.3)).abs() < 1e-9);
    }

    #[test]
    fn scores() {
        let mut ann = SourceAnnotations::default();
        let s = variant_score(Consequence::StopGained, &ann, 0.02);
        assert_eq!(
            (s.pathogenicity, s.frequency_factor, s.score),
            (1.0, 1.0, 1.0)
        );
        ann.max_af = Some(0.01);
        let s = variant_score(Consequence::StopGained, &ann, 0.02);
        assert!((s.score - 0.75).abs() < 1e-6); // 1 - (0.5)^2
        ann.max_af = None;
        ann.scores.insert("revel".into(), 0.3);
        ann.scores.insert("cadd_phred".into(), 30.0);
        let s = variant_score(Consequence::MissenseVariant, &ann, 0.02);
        assert_eq!((s.pathogenicity, s.basis.as_str()), (0.75, "CADD 0.75"));
        // predictors do not lower a LoF
        assert_eq!(
            variant_score(Consequence::FrameshiftVariant, &ann, 0.02).pathogenicity,
            1.0
        );
        ann.scores.insert("spliceai".into(), 0.9);
        assert_eq!(
            variant_score(Consequence::SynonymousVariant, &ann, 0.02).pathogenicity,
            0.9
        );
        ann.clinvar = Some(ClinVarRecord {
            source: "cv".into(),
            significance: ClinicalSignificance::Pathogenic,
            stars: 2,
        });
        ann.max_af = Some(0.015);
        let s = variant_score(Consequence::IntronVariant, &ann, 0.02);
        assert_eq!(s.score, 1.0);
        ann.clinvar = Some(ClinVarRecord {
            source: "cv".into(),
            significance: ClinicalSignificance::Benign,
            stars: 1,
        });
        assert_eq!(
            variant_score(
                Consequence::StopGained,
                &SourceAnnotations {
                    clinvar: ann.clinvar.clone(),
                    ..Default::default()
                },
                0.02
            )
            .pathogenicity,
            0.1
        );
        assert_eq!(frequency_factor(Some(0.02), 0.02), 0.0);
    }
}
