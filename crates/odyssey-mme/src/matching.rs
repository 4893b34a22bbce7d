//! Patient-to-patient match scores in [0, 1] (definition in `docs/mme.md`).
//!
//! * Phenotype, `p`: Resnik's term similarity (IC of the most informative common ancestor,
//!   IC in nats from the knowledge base) summed by best match in both directions, divided
//!   by the two patients' self-similarities (the default [`Normalisation::Pooled`]):
//!   `p = [ Σ_q max_c sim(q,c) + Σ_c max_q sim(q,c) ] / [ Σ_q IC(q) + Σ_c IC(c) ]`
//!   over the observed phenotypic-abnormality terms Q of the query and C of the candidate.
//!   Since `sim(q,c) ≤ IC(q)`, `p` lies in [0, 1]; `p = 1` exactly when every term of each
//!   patient is an ancestor-or-self of a term of the other. (Best-match average: Pesquita et
//!   al., PLoS Comput Biol 5:e1000443, 2009; as used by Phenomizer, Köhler et al., AJHG
//!   85:457, 2009.) Excluded terms are not scored. Other normalisations are available for
//!   comparison ([`Normalisation`]).
//! * Genotype, `g`: 0 when the patients share no gene; for a shared gene, the best pair of
//!   its genomic features scores 1.0 for the same variant with the same zygosity, 0.85 for
//!   the same variant, 0.7 for the same effect (SO term), 0.6 otherwise; `g` is the best
//!   shared gene.
//! * Patient score: `w·g + (1−w)·p` (w = [`MatchOptions::genotype_weight`], 0.5 by default)
//!   when the query has both genes and features; `g` alone or `p` alone when it has only one
//!   kind (a component the candidate lacks counts 0).
//!
//! Results are sorted by score, highest first, then by candidate patient id (byte order);
//! equal scores are ties: they share the worst rank of their group and report its size.

use odyssey_kb::{KnowledgeBase, TermIdx};
use serde::{Deserialize, Serialize};

use crate::genes::GeneResolver;
use crate::model::Patient;
use crate::profile::{GeneCall, PatientProfile};

/// Score levels of a shared gene (see the module documentation).
pub const SAME_VARIANT_AND_ZYGOSITY: f64 = 1.0;
/// Same variant, zygosity different or unknown.
pub const SAME_VARIANT: f64 = 0.85;
/// Same Sequence Ontology effect.
pub const SAME_EFFECT: f64 = 0.7;
/// Same gene only.
pub const SAME_GENE: f64 = 0.6;

/// How the best-match sums of the phenotype score are mapped to [0, 1]. With
/// `R = Σ_q max_c sim(q,c)`, `K = Σ_c max_q sim(q,c)`, `S_Q = Σ_q IC(q)`, `S_C = Σ_c IC(c)`
/// (each direction's self-similarity, so `R ≤ S_Q` and `K ≤ S_C`):
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Normalisation {
    /// `(R + K) / (S_Q + S_C)` (default).
    #[default]
    Pooled,
    /// `½ (R / S_Q + K / S_C)`.
    MeanOfDirections,
    /// `√(R / S_Q · K / S_C)`.
    GeometricMean,
    /// `R / S_Q` (how much of the query the candidate explains).
    QueryOnly,
}

impl Normalisation {
    /// Every variant, default first.
    pub const ALL: [Normalisation; 4] = [
        Normalisation::Pooled,
        Normalisation::MeanOfDirections,
        Normalisation::GeometricMean,
        Normalisation::QueryOnly,
    ];

    /// `pooled`, `mean_of_directions`, `geometric_mean`, `query_only`.
    pub fn name(self) -> &'static str {
        match self {
            Normalisation::Pooled => "pooled",
            Normalisation::MeanOfDirections => "mean_of_directions",
            Normalisation::GeometricMean => "geometric_mean",
            Normalisation::QueryOnly => "query_only",
        }
    }
}

/// Matching settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchOptions {
    /// Weight w of the genotype score in [0, 1] (0 scores phenotype alone).
    pub genotype_weight: f64,
    /// Candidates scoring below this are dropped (0 keeps all).
    pub min_score: f64,
    /// At most this many results.
    pub max_results: usize,
    /// Mapping of the phenotype similarity to [0, 1].
    pub normalisation: Normalisation,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            genotype_weight: 0.5,
            min_score: 0.0,
            max_results: usize::MAX,
            normalisation: Normalisation::Pooled,
        }
    }
}

/// One scored candidate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoredMatch {
    /// Index of the candidate in the slice given to the matcher.
    pub candidate: usize,
    /// The candidate's patient id.
    pub patient_id: String,
    /// Patient score in [0, 1].
    pub score: f64,
    /// Genotype component, when the query names genes.
    pub genotype: Option<f64>,
    /// Phenotype component, when the query has observed features.
    pub phenotype: Option<f64>,
    /// Canonical keys of the genes both patients name, sorted.
    pub shared_genes: Vec<String>,
    /// 1-based rank; tied candidates share the worst rank of their group.
    pub rank: usize,
    /// Number of candidates with exactly this score.
    pub tie_size: usize,
}

/// Scores patients against a query on one knowledge base.
pub struct Matcher<'kb> {
    kb: &'kb KnowledgeBase,
    genes: GeneResolver,
    options: MatchOptions,
}

impl<'kb> Matcher<'kb> {
    /// A matcher with the knowledge base's genes and default options.
    pub fn new(kb: &'kb KnowledgeBase) -> Self {
        Matcher {
            kb,
            genes: GeneResolver::from_kb(kb),
            options: MatchOptions::default(),
        }
    }

    /// Replaces the gene resolver (e.g. one that also knows Ensembl ids).
    pub fn with_genes(mut self, genes: GeneResolver) -> Self {
        self.genes = genes;
        self
    }

    /// Replaces the options.
    pub fn with_options(mut self, options: MatchOptions) -> Self {
        self.options = options;
        self
    }

    /// The options.
    pub fn options(&self) -> &MatchOptions {
        &self.options
    }

    /// The gene resolver.
    pub fn genes(&self) -> &GeneResolver {
        &self.genes
    }

    /// The profile of a patient (resolved terms, keyed genes).
    pub fn profile(&self, p: &Patient) -> PatientProfile {
        PatientProfile::new(p, self.kb, &self.genes)
    }

    /// Scores and ranks `candidates` against `query` (see the module documentation).
    pub fn match_patients(&self, query: &Patient, candidates: &[Patient]) -> Vec<ScoredMatch> {
        let q = self.profile(query);
        let profiles: Vec<PatientProfile> = candidates.iter().map(|c| self.profile(c)).collect();
        let ids: Vec<&str> = candidates.iter().map(|c| c.id.as_str()).collect();
        self.match_profiles(&q, &profiles, &ids)
    }

    /// As [`Matcher::match_patients`] on prepared profiles; `ids[i]` is candidate i's id.
    pub fn match_profiles(
        &self,
        q: &PatientProfile,
        candidates: &[PatientProfile],
        ids: &[&str],
    ) -> Vec<ScoredMatch> {
        score_profiles(self.kb, &self.options, q, candidates, ids)
    }
}

/// Scores and ranks prepared candidate profiles against a query profile with `options`
/// (see the module documentation); `ids[i]` is candidate i's patient id.
pub fn score_profiles(
    kb: &KnowledgeBase,
    options: &MatchOptions,
    q: &PatientProfile,
    candidates: &[PatientProfile],
    ids: &[&str],
) -> Vec<ScoredMatch> {
    let w = options.genotype_weight.clamp(0.0, 1.0);
    let has_genes = !q.genes.is_empty();
    let has_pheno = !q.observed.is_empty();
    let mut out: Vec<ScoredMatch> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (g, shared) = if has_genes {
                genotype_score(&q.genes, &c.genes)
            } else {
                (0.0, Vec::new())
            };
            let p = if has_pheno {
                phenotype_score_with(kb, &q.observed, &c.observed, options.normalisation)
            } else {
                0.0
            };
            let score = match (has_genes, has_pheno) {
                (true, true) => w * g + (1.0 - w) * p,
                (true, false) => g,
                (false, true) => p,
                (false, false) => 0.0,
            };
            ScoredMatch {
                candidate: i,
                patient_id: ids[i].to_string(),
                score: score.clamp(0.0, 1.0),
                genotype: has_genes.then_some(g),
                phenotype: has_pheno.then_some(p),
                shared_genes: shared,
                rank: 0,
                tie_size: 0,
            }
        })
        .filter(|m| m.score >= options.min_score)
        .collect();
    rank(&mut out);
    out.truncate(options.max_results);
    out
}

/// Scores `candidates` against `query` with the knowledge base's genes and default options
/// (see [`Matcher`]).
pub fn match_patients(
    query: &Patient,
    candidates: &[Patient],
    kb: &KnowledgeBase,
) -> Vec<ScoredMatch> {
    Matcher::new(kb).match_patients(query, candidates)
}

/// Sorts by score (highest first), then patient id, then input position, and assigns ranks
/// with ties sharing the worst rank of their group.
pub fn rank(ms: &mut [ScoredMatch]) {
    ms.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.patient_id.cmp(&b.patient_id))
            .then_with(|| a.candidate.cmp(&b.candidate))
    });
    let mut i = 0;
    while i < ms.len() {
        let mut j = i;
        while j < ms.len() && ms[j].score == ms[i].score {
            j += 1;
        }
        for m in &mut ms[i..j] {
            m.rank = j;
            m.tie_size = j - i;
        }
        i = j;
    }
}

/// Genotype score of a candidate and the genes both name (module documentation).
pub fn genotype_score(q: &[GeneCall], c: &[GeneCall]) -> (f64, Vec<String>) {
    let mut best = 0.0f64;
    let mut shared: Vec<String> = Vec::new();
    for a in q {
        for b in c.iter().filter(|b| b.gene == a.gene) {
            if !shared.contains(&a.gene) {
                shared.push(a.gene.clone());
            }
            best = best.max(pair_level(a, b));
        }
    }
    shared.sort();
    (best, shared)
}

fn pair_level(a: &GeneCall, b: &GeneCall) -> f64 {
    let same_variant = matches!((&a.variant, &b.variant), (Some(x), Some(y)) if x.same_as(y));
    let same_zygosity = matches!((a.zygosity, b.zygosity), (Some(x), Some(y)) if x == y);
    let same_effect = matches!((&a.effect, &b.effect), (Some(x), Some(y)) if x == y);
    if same_variant && same_zygosity {
        SAME_VARIANT_AND_ZYGOSITY
    } else if same_variant {
        SAME_VARIANT
    } else if same_effect {
        SAME_EFFECT
    } else {
        SAME_GENE
    }
}

/// Phenotype score in [0, 1] of two sets of current phenotype terms with the default
/// normalisation (module documentation); 0 when either set is empty or carries no information.
pub fn phenotype_score(kb: &KnowledgeBase, q: &[TermIdx], c: &[TermIdx]) -> f64 {
    phenotype_score_with(kb, q, c, Normalisation::Pooled)
}

/// Phenotype score in [0, 1] with the given normalisation.
pub fn phenotype_score_with(
    kb: &KnowledgeBase,
    q: &[TermIdx],
    c: &[TermIdx],
    norm: Normalisation,
) -> f64 {
    if q.is_empty() || c.is_empty() {
        return 0.0;
    }
    let sim: Vec<f64> = q
        .iter()
        .flat_map(|&a| {
            c.iter()
                .map(move |&b| odyssey_pheno::resnik::resnik(kb, a, b))
        })
        .collect();
    let n = c.len();
    let row: f64 = (0..q.len())
        .map(|i| sim[i * n..(i + 1) * n].iter().copied().fold(0.0, f64::max))
        .sum();
    let col: f64 = (0..n)
        .map(|j| (0..q.len()).map(|i| sim[i * n + j]).fold(0.0, f64::max))
        .sum();
    let self_q: f64 = q.iter().map(|&t| kb.ic(t)).sum();
    let self_c: f64 = c.iter().map(|&t| kb.ic(t)).sum();
    let ratio = |x: f64, s: f64| if s > 0.0 { (x / s).min(1.0) } else { 0.0 };
    match norm {
        Normalisation::Pooled => ratio(row + col, self_q + self_c),
        Normalisation::MeanOfDirections => 0.5 * (ratio(row, self_q) + ratio(col, self_c)),
        Normalisation::GeometricMean => (ratio(row, self_q) * ratio(col, self_c)).sqrt(),
        Normalisation::QueryOnly => ratio(row, self_q),
    }
}
