//! # odyssey-report
//!
//! The result model of an Odyssey analysis ([`AnalysisReport`], the JSON contract documented in
//! `docs/json-output.md` and `docs/odyssey-result.schema.json`) and its renderers, one module
//! each. No scoring happens here.
//!
//! | format | function | documented in |
//! |---|---|---|
//! | JSON | [`write_json`] | `docs/json-output.md` |
//! | TSV | [`write_genes_tsv`], [`write_diseases_tsv`], [`write_variants_tsv`] | `docs/tsv-output.md` |
//! | HTML | [`write_html`] | `docs/output-formats.md` |
//! | Phenopacket v2 | [`phenopacket::add_interpretations`] | `docs/output-formats.md` |
//! | VCF | [`vcf::annotate_vcf`] | `docs/output-formats.md` |

mod error;
pub mod html;
pub mod links;
pub mod model;
pub mod phenopacket;
mod tsv;
pub mod vcf;

pub use error::ReportError;
pub use html::{render_html, write_html, HtmlOptions};
pub use model::*;
pub use tsv::{has_variant_analysis, write_diseases_tsv, write_genes_tsv, write_variants_tsv};

/// Writes the JSON contract, pretty-printed, with a trailing newline.
pub fn write_json<W: std::io::Write>(report: &AnalysisReport, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, report)?;
    out.write_all(b"\n")
}

/// The genome assembly of the analysis, when the pipeline recorded it in
/// `odyssey.parameters` (`assembly`, `genome_assembly` or `genomeAssembly`), e.g. `GRCh38`.
pub fn report_assembly(report: &AnalysisReport) -> Option<&str> {
    let p = &report.odyssey.parameters;
    ["assembly", "genome_assembly", "genomeAssembly"]
        .iter()
        .find_map(|k| p.get(*k).and_then(|v| v.as_str()))
        .filter(|s| !s.is_empty())
}

/// The path of the first input file with this role (`phenopacket`, `vcf`, ...), as given.
pub fn input_path<'a>(report: &'a AnalysisReport, role: &str) -> Option<&'a str> {
    report
        .odyssey
        .inputs
        .iter()
        .find(|i| i.role == role)
        .map(|i| i.path.as_str())
}
