//! The only module that calls the analysis library: [`EngineAnalyzer`] runs
//! `odyssey::Engine::analyze` on a stored case, and [`render`] turns a stored JSON report into
//! the other formats with `odyssey::output`, the renderers `odyssey analyze` uses.

use std::path::PathBuf;

use odyssey::output::Format;
use odyssey::{AnalysisReport, AnalysisRequest, CaseSource, Engine};

use crate::analysis::{Analyzer, CaseInputs, Outcome};

/// Formats a stored JSON report can be rendered to.
#[derive(Clone, Copy, Debug)]
pub enum RenderFormat {
    /// The HTML report (`--format html`).
    Html,
    /// The genes table (`--format tsv`).
    Tsv,
}

/// Renders a stored JSON report as `odyssey analyze --format html|tsv` would.
pub fn render(json: &str, format: RenderFormat) -> Result<Vec<u8>, String> {
    let report: AnalysisReport =
        serde_json::from_str(json).map_err(|e| format!("stored report unreadable: {e}"))?;
    let f = match format {
        RenderFormat::Html => Format::Html,
        RenderFormat::Tsv => Format::Tsv,
    };
    odyssey::output::render(&report, f).map_err(|e| e.to_string())
}

/// The analyzer over `odyssey::Engine`: one engine (knowledge base and scorer, built once),
/// the annotation sources, and the number of candidates reported.
pub struct EngineAnalyzer {
    engine: Engine,
    sources: Option<PathBuf>,
    sources_checksum: String,
    top_n: usize,
}

impl EngineAnalyzer {
    /// Loads the knowledge base (`None`: the embedded one) and checks that the sources file
    /// can be read. Errors are texts naming the file.
    pub fn open(
        kb: Option<PathBuf>,
        sources: Option<PathBuf>,
        top_n: usize,
    ) -> Result<EngineAnalyzer, String> {
        let engine = Engine::open(kb.as_deref()).map_err(|e| e.to_string())?;
        let sources = match sources {
            Some(p) => {
                Some(std::fs::canonicalize(&p).map_err(|e| format!("{}: {e}", p.display()))?)
            }
            None => None,
        };
        let sources_checksum = match &sources {
            Some(p) => {
                let b = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
                crate::db::hex(&<sha2::Sha256 as sha2::Digest>::digest(&b))
            }
            None => String::new(),
        };
        Ok(EngineAnalyzer {
            engine,
            sources,
            sources_checksum,
            top_n,
        })
    }
}

impl Analyzer for EngineAnalyzer {
    fn engine_key(&self) -> String {
        format!(
            "kb:{}|sources:{}|top:{}",
            self.engine.kb().checksum,
            self.sources_checksum,
            self.top_n
        )
    }

    fn settings(&self) -> serde_json::Value {
        let kb = self.engine.kb().info();
        serde_json::json!({
            "odyssey": env!("CARGO_PKG_VERSION"),
            "knowledge_base": kb,
            "sources": self.sources.as_ref().map(|p| p.display().to_string()),
            "sources_sha256": (!self.sources_checksum.is_empty()).then_some(&self.sources_checksum),
            "top": self.top_n,
        })
    }

    fn kb_release(&self) -> String {
        self.engine.kb().kb.meta().hpo_release.clone()
    }

    fn analyze(
        &self,
        inputs: &CaseInputs,
        progress: &dyn Fn(f64, &str),
    ) -> Result<Outcome, String> {
        let mut r = AnalysisRequest::new(CaseSource::Document {
            name: inputs.case_name.clone(),
            text: inputs.case_text.clone(),
        });
        r.vcf = inputs.vcf.clone();
        r.ped = inputs.ped.clone();
        r.sources = if r.vcf.is_some() {
            self.sources.clone()
        } else {
            None
        };
        r.options.top = self.top_n;
        r.command = inputs.command.clone();
        progress(
            0.1,
            if r.vcf.is_some() {
                "analysing phenotype and variants"
            } else {
                "analysing phenotype"
            },
        );
        let report = self.engine.analyze(&r).map_err(|e| e.to_string())?;
        progress(0.95, "storing the report");
        let bytes = odyssey::output::render(&report, Format::Json).map_err(|e| e.to_string())?;
        let report_json =
            String::from_utf8(bytes).map_err(|e| format!("report is not UTF-8: {e}"))?;
        Ok(Outcome { report_json })
    }
}
