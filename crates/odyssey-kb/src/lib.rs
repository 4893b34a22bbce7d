//! # odyssey-kb
//!
//! The knowledge base every Odyssey analysis stands on: the Human Phenotype Ontology (HPO)
//! with its disease and gene annotations, compiled into one versioned, checksummed file.
//!
//! * Readers for the official release files, with errors naming file, line and field:
//!   [`obo::read_obo`] (`hp.obo`), [`hpoa::read_hpoa`] (`phenotype.hpoa`),
//!   [`g2p::read_genes_to_phenotype`] (`genes_to_phenotype.txt`).
//! * [`KnowledgeBase`]: terms with their ancestor closure ([`Ontology`]), information content
//!   (nats, true-path rule; see [`KnowledgeBase::ic`]), diseases (OMIM, ORPHA, DECIPHER) with
//!   every annotation, modes of inheritance, genes (NCBI Gene id, HGNC symbol) and their
//!   diseases, and a resolver for alternative and obsolete ids ([`Ontology::resolve`]).
//! * [`KnowledgeBase::embedded`]: HPO 2025-01-16 compiled into the library.
//!
//! HPO content: Köhler et al., "The Human Phenotype Ontology in 2024", NAR 2024; used under
//! the HPO terms of use (<https://hpo.jax.org/license>); see `data/hpo/LICENSE-HPO.md`.

mod annotation;
pub mod asof;
mod csr;
mod disease;
mod embedded;
pub mod equivalents;
mod error;
mod file;
pub mod g2p;
pub mod hpoa;
mod ic;
mod id;
mod kb;
mod newer;
pub mod obo;
mod ontology;
mod pool;
mod search;
mod supplement;
mod textfile;

pub use annotation::{Annotation, Aspect, Evidence, Frequency, Sex};
pub use asof::{AsOfReport, CurationDate};
pub use disease::{Disease, DiseaseIdx, Gene, GeneIdx, ModeOfInheritance};
pub use error::{Error, Result};
pub use file::{FORMAT_VERSION, MAGIC};
pub use id::{DiseaseDb, DiseaseId, HpoId, NcbiGeneId, ParseIdError};
pub use kb::{BuildReport, ExtraKnowledge, KbMeta, KbStats, KnowledgeBase, POOLED_CURATION};
pub use newer::NewerTerms;
pub use ontology::{
    Ontology, Resolution, TermIdx, MODE_OF_INHERITANCE, ONSET, PHENOTYPIC_ABNORMALITY, ROOT,
};
pub use pool::Span;
pub use search::{search, SearchHit};
pub use supplement::{ProbabilityCalibration, Supplement, MAX_RANK_PRIOR};
