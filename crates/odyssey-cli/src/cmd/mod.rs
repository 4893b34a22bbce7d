//! Subcommands, one module each, and the options they share.

pub mod kb;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use odyssey_kb::KnowledgeBase;

/// Options every subcommand accepts.
#[derive(clap::Args, Clone, Debug)]
pub struct Global {
    /// Compiled knowledge base (.odkb) to use instead of the embedded HPO 2025-01-16.
    #[arg(long, global = true, value_name = "FILE", env = "ODYSSEY_KB")]
    pub kb: Option<PathBuf>,
}

/// A loaded knowledge base and where it came from (for provenance in every output).
pub struct LoadedKb {
    pub kb: KnowledgeBase,
    /// `embedded` or the file path.
    pub source: String,
    /// Checksum of the compiled image (16 hex digits).
    pub checksum: String,
}

impl Global {
    /// Loads `--kb FILE` or the embedded knowledge base.
    pub fn load_kb(&self) -> anyhow::Result<LoadedKb> {
        let t = Instant::now();
        let loaded = match &self.kb {
            Some(path) => {
                let bytes = std::fs::read(path).with_context(|| format!("reading knowledge base {}", path.display()))?;
                let kb = KnowledgeBase::from_bytes(&bytes, &path.display().to_string())?;
                let checksum = KnowledgeBase::image_checksum(&bytes).unwrap_or_default();
                LoadedKb { kb, source: path.display().to_string(), checksum }
            }
            None => LoadedKb { kb: KnowledgeBase::embedded()?, source: "embedded".into(), checksum: KnowledgeBase::embedded_checksum() },
        };
        tracing::info!(elapsed_ms = t.elapsed().as_secs_f64() * 1e3, source = %loaded.source, "knowledge base loaded");
        Ok(loaded)
    }
}
