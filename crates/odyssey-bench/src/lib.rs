//! # odyssey-bench
//!
//! Odyssey's benchmark harness: how often, on real published patients, the causal gene,
//! diagnosis and variant are ranked first, in the top 3, 5 and 10, next to a baseline, and how
//! fast. Run it with `odyssey bench` (see `bench/README.md` in the repository).
//!
//! * [`corpus`]: cases from a phenopacket-store folder: HPO terms, causal genes, diagnoses,
//!   variants and the publication each case comes from.
//! * [`metrics`]: top-k recall, mean reciprocal rank and not-found counts with pessimistic ties.
//! * [`case_knowledge`]: published cases turned into phenotype annotations (k/n per
//!   publication) for `odyssey kb build --cases`.
//! * [`leakage`]: leave-publication-out, without rebuilding the knowledge base per case.
//! * [`evaluate`], [`summary`], [`phenotype`]: the `phenotype` mode.
//! * [`stability`]: the 2-fold cohort split and a small parameter grid per half.
//! * [`liftover`], [`spike`], [`spiked`]: the `spiked` mode (causal variants inserted into a
//!   real background exome, then the full variant analysis behind [`spiked::VariantPipeline`]).
//! * [`pheval`]: PhEval-compatible per-case result files.
//! * [`report`], [`timing`]: JSON and Markdown results, speed and memory figures.

pub mod calibration;
pub mod case_knowledge;
pub mod corpus;
pub mod error;
pub mod evaluate;
pub mod leakage;
pub mod liftover;
pub mod metrics;
pub mod phenotype;
pub mod pheval;
pub mod report;
pub mod spike;
pub mod spiked;
pub mod split;
pub mod stability;
pub mod structural;
pub mod summary;
pub mod timing;

pub use error::{BenchError, Result};
