//! Server configuration: the data folder, the listening address, the database, the analysis
//! inputs (knowledge base and annotation sources) and the limits.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything `odyssey serve` needs. Built by the CLI from its flags (and `ODYSSEY_*`
/// environment variables through clap); tests build it directly.
#[derive(Clone, Debug)]
pub struct Config {
    /// Folder holding the SQLite database (`odyssey.sqlite3`) and the uploaded files (`blobs/`).
    pub data_dir: PathBuf,
    /// Address to listen on (default `127.0.0.1:8080`).
    pub listen: SocketAddr,
    /// `sqlite://…` or `postgres://…`; `None` = SQLite in `data_dir`.
    pub database_url: Option<String>,
    /// Compiled knowledge base (`.odkb`); `None` = the embedded one.
    pub kb: Option<PathBuf>,
    /// Annotation sources (TOML) for variant analyses; `None` = none.
    pub sources: Option<PathBuf>,
    /// Largest accepted request body in bytes (uploads); larger requests get 413.
    pub max_upload_bytes: usize,
    /// Analyses run at the same time (CPU-bound, each on a blocking thread).
    pub workers: usize,
    /// Candidates kept in a report, and the N of the reanalysis "top N" comparison.
    pub top_n: usize,
    /// Matchmaker Exchange node configuration (TOML, `docs/mme.md`); `None` = not an MME node.
    pub mme: Option<PathBuf>,
}

/// Default upload limit: 2 GiB, enough for a compressed exome or a small genome VCF.
pub const DEFAULT_MAX_UPLOAD: usize = 2 << 30;

impl Config {
    /// Defaults for a data folder: loopback port 8080, SQLite, embedded knowledge base, one
    /// worker per core, top 20.
    pub fn new(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database_url: None,
            kb: None,
            sources: None,
            max_upload_bytes: DEFAULT_MAX_UPLOAD,
            workers: std::thread::available_parallelism().map_or(1, |n| n.get()),
            top_n: 20,
            mme: None,
        }
    }

    /// The database URL in use: the configured one, or `sqlite://DIR/odyssey.sqlite3`.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("odyssey.sqlite3").display()
            ),
        }
    }

    /// Folder of the uploaded files.
    pub fn blob_dir(&self) -> PathBuf {
        self.data_dir.join("blobs")
    }
}
