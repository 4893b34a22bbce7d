//! # odyssey
//!
//! The analysis pipeline: loads the knowledge base, resolves a case, ranks diseases and genes
//! and fills the result model of `odyssey-report`. The `odyssey` binary is a thin layer over
//! this crate.

mod kb_handle;
mod phenotype;
pub mod provenance;
mod variant;

pub use kb_handle::KbHandle;
pub use phenotype::{phenotype_report, ReportOptions};
pub use variant::{
    combined_ranking, combined_report, variant_config, CombinedRanking, Pair, VariantError,
    VariantOptions, VariantSetup,
};
