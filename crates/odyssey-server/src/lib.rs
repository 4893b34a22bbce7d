//! # odyssey-server
//!
//! The case workspace: a REST service (`/api/v1`, documented by the OpenAPI document at
//! `/api/v1/openapi.json`) where a genetics team uploads cases (Phenopacket or GA4GH Family,
//! with VCF and PED), runs analyses as jobs, reviews genes and variants (statuses, ACMG/AMP
//! criteria and class, comments, case status and assignee; every change in an append-only
//! audit log) and reanalyses every case when the knowledge base or the sources change.
//!
//! The `odyssey` binary's `serve`, `users add` and `reanalyze` subcommands are thin layers
//! over [`serve`], [`add_user`] and [`reanalyze`]. Storage is SQLite in the data folder by
//! default, or PostgreSQL (`--database postgres://…`), with the same migrations. See
//! `docs/workspace.md` for the data model, the roles and the reanalysis rules.

pub mod analysis;
pub mod auth;
pub mod config;
pub mod db;
pub mod diff;
pub mod engine;
pub mod error;
pub mod jobs;
pub mod mme;
pub mod ops;
pub mod pages;
pub mod routes;
pub mod storage;

use std::sync::Arc;

pub use config::Config;
pub use ops::{add_user, reanalyze, serve, ReanalysisSummary};
pub use routes::build_router;

use analysis::Analyzer;
use db::Db;
use storage::BlobStore;

/// What every request handler shares (cheap to clone).
#[derive(Clone)]
pub struct AppState {
    /// Configuration.
    pub config: Arc<Config>,
    /// Database.
    pub db: Db,
    /// Uploaded files.
    pub blobs: BlobStore,
    /// The analysis.
    pub analyzer: Arc<dyn Analyzer>,
    /// Wakes the job workers when a job is queued.
    pub wake: Arc<tokio::sync::Notify>,
    /// The Matchmaker Exchange node (`--mme FILE`), if configured.
    pub mme: Option<Arc<mme::MmeNode>>,
}

impl AppState {
    /// The job runner's view of the state.
    pub fn job_context(&self) -> jobs::JobContext {
        jobs::JobContext {
            db: self.db.clone(),
            blobs: self.blobs.clone(),
            analyzer: self.analyzer.clone(),
            wake: self.wake.clone(),
            work_dir: self.config.data_dir.join("work"),
            top_n: self.config.top_n as u64,
        }
    }
}
