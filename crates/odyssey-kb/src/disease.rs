//! Diseases, genes and modes of inheritance in the compiled knowledge base.

use serde::{Deserialize, Serialize};

use crate::annotation::Annotation;
use crate::id::{DiseaseId, HpoId, NcbiGeneId};
use crate::ontology::TermIdx;

/// Dense index of a disease in the knowledge base (sorted by [`DiseaseId`]).
pub type DiseaseIdx = u32;
/// Dense index of a gene in the knowledge base (sorted by NCBI Gene id).
pub type GeneIdx = u32;

/// A disease with all its `phenotype.hpoa` annotations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disease {
    /// OMIM, ORPHA or DECIPHER id.
    pub id: DiseaseId,
    /// `disease_name` as given by HPO.
    pub name: String,
    /// Every annotation line (all aspects, `NOT` included), in file order.
    pub annotations: Vec<Annotation>,
    /// Mode-of-inheritance terms (aspect I, without `NOT`), deduplicated.
    pub inheritance: Vec<TermIdx>,
    /// Genes linked to this disease by `genes_to_phenotype.txt`.
    pub genes: Vec<GeneIdx>,
}

/// A gene with the diseases it is linked to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gene {
    /// NCBI Gene id.
    pub id: NcbiGeneId,
    /// HGNC symbol.
    pub symbol: String,
    /// Linked diseases.
    pub diseases: Vec<DiseaseIdx>,
}

/// Modes of inheritance that genotype analysis distinguishes, derived from HPO's mode of
/// inheritance subontology (HP:0000005).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ModeOfInheritance {
    /// HP:0000006 Autosomal dominant inheritance (and its subclasses).
    AutosomalDominant,
    /// HP:0000007 Autosomal recessive inheritance (and its subclasses).
    AutosomalRecessive,
    /// HP:0001423 X-linked dominant inheritance.
    XLinkedDominant,
    /// HP:0001419 X-linked recessive inheritance.
    XLinkedRecessive,
    /// HP:0001417 X-linked inheritance without further detail.
    XLinked,
    /// HP:0001427 Mitochondrial inheritance.
    Mitochondrial,
    /// HP:0001450 Y-linked inheritance.
    YLinked,
    /// Any other mode (somatic, digenic, multifactorial, ...).
    Other,
}

impl ModeOfInheritance {
    /// The HPO term that defines this mode (HP:0000005 for `Other`).
    pub fn hpo_id(self) -> HpoId {
        HpoId::new(match self {
            ModeOfInheritance::AutosomalDominant => 6,
            ModeOfInheritance::AutosomalRecessive => 7,
            ModeOfInheritance::XLinkedDominant => 1423,
            ModeOfInheritance::XLinkedRecessive => 1419,
            ModeOfInheritance::XLinked => 1417,
            ModeOfInheritance::Mitochondrial => 1427,
            ModeOfInheritance::YLinked => 1450,
            ModeOfInheritance::Other => 5,
        })
    }

    /// The usual abbreviation: AD, AR, XD, XR, XL, MT, YL, other.
    pub fn abbreviation(self) -> &'static str {
        match self {
            ModeOfInheritance::AutosomalDominant => "AD",
            ModeOfInheritance::AutosomalRecessive => "AR",
            ModeOfInheritance::XLinkedDominant => "XD",
            ModeOfInheritance::XLinkedRecessive => "XR",
            ModeOfInheritance::XLinked => "XL",
            ModeOfInheritance::Mitochondrial => "MT",
            ModeOfInheritance::YLinked => "YL",
            ModeOfInheritance::Other => "other",
        }
    }
}
