//! # odyssey-report
//!
//! The result model of an Odyssey analysis ([`AnalysisReport`], the JSON contract) and its
//! renderers. No scoring happens here.

pub mod model;
mod tsv;

pub use model::*;
pub use tsv::{write_diseases_tsv, write_genes_tsv};

/// Writes the JSON contract, pretty-printed, with a trailing newline.
pub fn write_json<W: std::io::Write>(report: &AnalysisReport, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")
}
