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
        let m = self.engine.kb().kb.meta();
        if m.annotations_release == m.hpo_release {
            m.hpo_release.clone()
        } else {
            // e.g. a knowledge base built `--as-of`: "2025-01-16 (annotations 2025-01-16 as of 2022-01-01)"
            format!("{} (annotations {})", m.hpo_release, m.annotations_release)
        }
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
        let work_dirs = work_dirs(&r);
        let mut report = self
            .engine
            .analyze(&r)
            .map_err(|e| scrub_work_dirs(&e.to_string(), &work_dirs))?;
        scrub_report(&mut report, &work_dirs);
        progress(0.95, "storing the report");
        let bytes = odyssey::output::render(&report, Format::Json).map_err(|e| e.to_string())?;
        let report_json =
            String::from_utf8(bytes).map_err(|e| format!("report is not UTF-8: {e}"))?;
        Ok(Outcome { report_json })
    }
}

/// The job's working folders (where the uploaded VCF/PED were copied), each with a trailing
/// `/`: the server's storage layout, which reports and errors must not show.
fn work_dirs(r: &AnalysisRequest) -> Vec<String> {
    let mut dirs: Vec<String> = [r.vcf.as_ref(), r.ped.as_ref()]
        .into_iter()
        .flatten()
        .filter_map(|p| p.parent())
        .map(|d| format!("{}/", d.display()))
        .collect();
    dirs.sort();
    dirs.dedup();
    dirs
}

/// `text` with the working folders removed, so that a message names the uploaded file
/// (`family.vcf.gz: …`) as the user knows it rather than the server's copy.
fn scrub_work_dirs(text: &str, dirs: &[String]) -> String {
    dirs.iter()
        .fold(text.to_string(), |t, d| t.replace(d.as_str(), ""))
}

/// Warnings and input paths of a report without the server's working folders.
fn scrub_report(report: &mut AnalysisReport, dirs: &[String]) {
    for w in &mut report.warnings {
        *w = scrub_work_dirs(w, dirs);
    }
    for i in &mut report.odyssey.inputs {
        i.path = scrub_work_dirs(&i.path, dirs);
    }
}

#[cfg(test)]
mod scrub_tests {
    use super::scrub_work_dirs;

    #[test]
    fn work_folders_are_removed_from_messages() {
        let dirs = vec!["/srv/ody/work/a_1/".to_string()];
        assert_eq!(
            scrub_work_dirs("/srv/ody/work/a_1/trio.vcf.gz: GQ missing in 3", &dirs),
            "trio.vcf.gz: GQ missing in 3"
        );
        assert_eq!(
            scrub_work_dirs("/elsewhere/x.vcf", &dirs),
            "/elsewhere/x.vcf"
        );
    }
}
