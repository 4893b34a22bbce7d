//! Subcommands, one module each, and the options they share.

pub mod analyze;
pub mod annotate;
mod batch_walk;
pub mod bench;
pub mod kb;
pub mod output;
pub mod refdata;
pub mod sources;
mod tsv_text;
pub mod workspace;

use std::path::PathBuf;
use std::time::Instant;

use odyssey::KbHandle;

/// Options every subcommand accepts.
#[derive(clap::Args, Clone, Debug)]
pub struct Global {
    /// Compiled knowledge base (.odkb) to use instead of the embedded HPO 2025-01-16.
    #[arg(long, global = true, value_name = "FILE", env = "ODYSSEY_KB")]
    pub kb: Option<PathBuf>,
    /// `hp.obo` of a newer HPO release than the knowledge base's (plain or gzip): an observed
    /// phenopacket term of that release the knowledge base does not know is analysed (and
    /// benchmarked) as its nearest ancestors the knowledge base knows, said in every report.
    #[arg(
        long,
        global = true,
        value_name = "HP_OBO",
        env = "ODYSSEY_NEWER_ONTOLOGY"
    )]
    pub newer_ontology: Option<PathBuf>,
}

impl Global {
    /// Loads `--kb FILE` or the embedded knowledge base.
    pub fn load_kb(&self) -> anyhow::Result<KbHandle> {
        let t = Instant::now();
        let mut h = KbHandle::open(self.kb.as_deref())?;
        if let Some(p) = &self.newer_ontology {
            h = h.with_newer_ontology(p)?;
        }
        tracing::info!(elapsed_ms = t.elapsed().as_secs_f64() * 1e3, source = %h.source, "knowledge base loaded");
        Ok(h)
    }

    /// The analysis engine on `--kb FILE` or the embedded knowledge base, its scorer built
    /// with `options` and the probability calibration the knowledge base records, if any.
    pub fn engine(&self, options: odyssey::ScorerOptions) -> anyhow::Result<odyssey::Engine> {
        let kb = self.load_kb()?;
        let mut options = options;
        options.calibrate_for(&kb.kb);
        Ok(odyssey::Engine::with_options(kb, options))
    }
}

/// The error and its causes, joined by `: `, leaving out a cause whose text the previous
/// message already contains (library errors often print their source themselves).
pub fn error_chain(e: &anyhow::Error) -> String {
    let mut out = String::new();
    let mut prev = String::new();
    for c in e.chain() {
        let s = c.to_string();
        if !prev.contains(&s) {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&s);
        }
        prev = s;
    }
    out
}
