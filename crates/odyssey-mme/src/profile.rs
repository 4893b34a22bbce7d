//! A patient as the matcher sees it: observed and excluded HPO terms resolved on the
//! knowledge base, and candidate genes with their variants, keyed by [`GeneResolver`].

use odyssey_kb::{HpoId, KnowledgeBase, TermIdx};
use serde::{Deserialize, Serialize};

use crate::genes::GeneResolver;
use crate::model::Patient;

/// A feature the matcher could not use, with the field it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredFeature {
    /// E.g. `patient.features[3].id`.
    pub field: String,
    /// The id as given.
    pub id: String,
    /// Why it was not used.
    pub reason: String,
}

/// A variant reduced to what identifies it: assembly without patch (`GRCh37`), chromosome
/// without `chr`, 0-based start, end and alleles when given.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VariantKey {
    /// `GRCh37`, `GRCh38`, `NCBI36`, ... (`hg19`/`hg38` mapped to GRCh).
    pub assembly: String,
    /// `1`..`22`, `X`, `Y`, `MT`.
    pub chrom: String,
    /// 0-based start.
    pub start: u64,
    /// 0-based exclusive end.
    pub end: Option<u64>,
    /// Reference allele.
    pub reference: Option<String>,
    /// Alternate allele.
    pub alternate: Option<String>,
}

impl VariantKey {
    /// Same variant: same assembly, chromosome and start, and the same end and alleles
    /// wherever both records give them.
    pub fn same_as(&self, other: &VariantKey) -> bool {
        fn agree<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            match (a, b) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
        }
        self.assembly == other.assembly
            && self.chrom == other.chrom
            && self.start == other.start
            && agree(&self.end, &other.end)
            && agree(&self.reference, &other.reference)
            && agree(&self.alternate, &other.alternate)
    }
}

/// The assembly name without patch, with UCSC names mapped to GRC: `GRCh37.p13` → `GRCh37`,
/// `hg19` → `GRCh37`, `hg38` → `GRCh38`.
pub fn assembly_base(a: &str) -> String {
    let base = a.split('.').next().unwrap_or(a);
    match base.to_ascii_lowercase().as_str() {
        "hg19" | "grch37" => "GRCh37".to_string(),
        "hg38" | "grch38" => "GRCh38".to_string(),
        "hg18" | "ncbi36" => "NCBI36".to_string(),
        _ => base.to_string(),
    }
}

/// One candidate gene of a patient.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneCall {
    /// Canonical gene key (see [`GeneResolver::key`]).
    pub gene: String,
    /// The variant, when given with a start.
    pub variant: Option<VariantKey>,
    /// 1 heterozygous/hemizygous, 2 homozygous.
    pub zygosity: Option<u8>,
    /// SO id of the effect.
    pub effect: Option<String>,
}

/// What the matcher uses of a patient.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PatientProfile {
    /// Observed phenotype terms (current ids, sorted, deduplicated).
    pub observed: Vec<TermIdx>,
    /// Terms explicitly not observed (sorted, deduplicated).
    pub excluded: Vec<TermIdx>,
    /// Candidate genes.
    pub genes: Vec<GeneCall>,
    /// Features that could not be used.
    pub ignored: Vec<IgnoredFeature>,
}

impl PatientProfile {
    /// Resolves `p`'s features on the knowledge base (alternative ids and obsolete ids with
    /// a replacement map to the current term; ids the release does not know, obsolete ids
    /// without replacement and terms outside the phenotypic-abnormality branch are ignored
    /// and listed) and keys its genes with `genes`.
    pub fn new(p: &Patient, kb: &KnowledgeBase, genes: &GeneResolver) -> Self {
        let o = kb.ontology();
        let mut prof = PatientProfile::default();
        for (i, f) in p.features.iter().enumerate() {
            let field = format!("patient.features[{i}].id");
            let ignore = |reason: String| IgnoredFeature {
                field: field.clone(),
                id: f.id.clone(),
                reason,
            };
            let id: HpoId = match f.id.parse() {
                Ok(id) => id,
                Err(e) => {
                    prof.ignored.push(ignore(e.to_string()));
                    continue;
                }
            };
            let term = match o.resolve(id) {
                Ok(r) => match r.term() {
                    Some(t) => t,
                    None => {
                        prof.ignored
                            .push(ignore("obsolete HPO term without replacement".into()));
                        continue;
                    }
                },
                Err(_) => {
                    prof.ignored.push(ignore(format!(
                        "not in HPO release {}",
                        kb.meta().hpo_release
                    )));
                    continue;
                }
            };
            if !o.is_phenotype(term) {
                prof.ignored.push(ignore(
                    "not a phenotypic abnormality (HP:0000118) term".into(),
                ));
                continue;
            }
            if f.is_observed() {
                prof.observed.push(term);
            } else {
                prof.excluded.push(term);
            }
        }
        for v in [&mut prof.observed, &mut prof.excluded] {
            v.sort_unstable();
            v.dedup();
        }
        prof.genes = p
            .genomic_features
            .iter()
            .map(|g| GeneCall {
                gene: genes.key(&g.gene.id),
                variant: g.variant.as_ref().and_then(|v| {
                    Some(VariantKey {
                        assembly: assembly_base(&v.assembly),
                        chrom: v.reference_name.trim_start_matches("chr").to_string(),
                        start: v.start?,
                        end: v.end,
                        reference: v.reference_bases.clone(),
                        alternate: v.alternate_bases.clone(),
                    })
                }),
                zygosity: g.zygosity,
                effect: g.effect.as_ref().map(|t| t.id.clone()),
            })
            .collect();
        prof
    }
}
