//! The only module that calls the analysis library (`odyssey::Engine`), and the report
//! renderers. Placeholder until the Engine API lands: analyses fail with a clear message.

use std::path::PathBuf;

use crate::analysis::{Analyzer, CaseInputs, Outcome};

/// Formats a stored JSON report can be rendered to.
#[derive(Clone, Copy, Debug)]
pub enum RenderFormat {
    /// HTML report.
    Html,
    /// Genes TSV.
    Tsv,
}

/// Renders a stored JSON report.
pub fn render(_json: &str, _format: RenderFormat) -> Result<Vec<u8>, String> {
    Err("rendering is not available in this build".into())
}

/// The analyzer over `odyssey::Engine`.
pub struct EngineAnalyzer {
    kb: Option<PathBuf>,
    sources: Option<PathBuf>,
    top_n: usize,
}

impl EngineAnalyzer {
    /// Loads the knowledge base (`None`: embedded) and notes the sources file.
    pub fn open(
        kb: Option<PathBuf>,
        sources: Option<PathBuf>,
        top_n: usize,
    ) -> Result<EngineAnalyzer, String> {
        Ok(EngineAnalyzer { kb, sources, top_n })
    }
}

impl Analyzer for EngineAnalyzer {
    fn engine_key(&self) -> String {
        format!("{:?}|{:?}", self.kb, self.sources)
    }
    fn settings(&self) -> serde_json::Value {
        serde_json::json!({ "top": self.top_n })
    }
    fn kb_release(&self) -> String {
        String::new()
    }
    fn analyze(&self, _inputs: &CaseInputs, _progress: &dyn Fn(f64, &str)) -> Result<Outcome, String> {
        Err("the analysis engine is not wired yet".into())
    }
}
