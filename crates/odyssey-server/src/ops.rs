//! The operations behind the `odyssey` subcommands: `serve`, `users add`, `reanalyze`.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use crate::analysis::Analyzer;
use crate::config::Config;
use crate::db::users::{Role, UserError};
use crate::db::{analyses, reanalysis, Db, DbError};
use crate::engine::EngineAnalyzer;
use crate::storage::BlobStore;
use crate::AppState;

/// Error of an operation.
#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    /// Opening or migrating the database.
    #[error(transparent)]
    Db(#[from] DbError),
    /// A query.
    #[error("database: {0}")]
    Sql(#[from] sqlx::Error),
    /// Files.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The knowledge base or sources.
    #[error("{0}")]
    Analyzer(String),
    /// Adding a user.
    #[error(transparent)]
    User(#[from] UserError),
    /// The Matchmaker Exchange configuration or its knowledge base.
    #[error("{0}")]
    Mme(String),
}

/// Opens the data folder and the database (migrating it) and builds the shared state.
pub async fn open_state(config: Config, analyzer: Arc<dyn Analyzer>) -> Result<AppState, OpsError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        std::io::Error::new(e.kind(), format!("{}: {e}", config.data_dir.display()))
    })?;
    let db = Db::open(&config.database_url(), (config.workers as u32 + 8).max(10)).await?;
    let blobs = BlobStore::open(&config.blob_dir())?;
    let mme = match &config.mme {
        Some(p) => Some(Arc::new(
            crate::mme::MmeNode::open(p, config.kb.as_deref(), db.clone(), blobs.clone())
                .map_err(OpsError::Mme)?,
        )),
        None => None,
    };
    Ok(AppState {
        config: Arc::new(config),
        db,
        blobs,
        analyzer,
        wake: Arc::new(tokio::sync::Notify::new()),
        mme,
    })
}

/// The analyzer for a configuration (its knowledge base and sources).
pub fn analyzer_for(config: &Config) -> Result<Arc<dyn Analyzer>, OpsError> {
    Ok(Arc::new(
        EngineAnalyzer::open(config.kb.clone(), config.sources.clone(), config.top_n)
            .map_err(OpsError::Analyzer)?,
    ))
}

/// Serves on an already bound listener until `shutdown` completes: requeues interrupted
/// jobs, starts the workers, answers requests.
pub async fn serve_on(
    state: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), OpsError> {
    let requeued = {
        let mut tx = state.db.begin_write().await?;
        let n = analyses::requeue_interrupted(&mut tx).await?;
        tx.commit().await?;
        n
    };
    if requeued > 0 {
        tracing::warn!(
            requeued,
            "analyses interrupted by the last stop are queued again"
        );
    }
    let workers = crate::jobs::spawn_workers(state.job_context(), state.config.workers, false);
    let app = crate::build_router(state);
    let r = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await;
    for w in workers {
        w.abort();
    }
    Ok(r?)
}

/// `odyssey serve`: opens everything, binds `config.listen`, prints `listening on ADDR` to
/// standard error and serves until Ctrl-C or SIGTERM.
pub async fn serve(config: Config) -> Result<(), OpsError> {
    let analyzer = analyzer_for(&config)?;
    let listen = config.listen;
    let state = open_state(config, analyzer).await?;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot listen on {listen}: {e}")))?;
    eprintln!("listening on {}", listener.local_addr()?);
    serve_on(state, listener, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// `odyssey users add`: adds the user (or adds projects to an existing one, with the given
/// role) and returns a new API token.
pub async fn add_user(
    config: &Config,
    name: &str,
    role: Role,
    projects: &[String],
) -> Result<String, OpsError> {
    std::fs::create_dir_all(&config.data_dir)?;
    let db = Db::open(&config.database_url(), 2).await?;
    let mut tx = db.begin_write().await?;
    let (_, token) = crate::db::users::add_user(&mut tx, name, role, projects).await?;
    crate::db::audit::record(
        &mut tx,
        crate::db::audit::Change {
            actor: "system",
            project: None,
            case_id: None,
            action: "user.add",
            target: Some(name),
            before: None,
            after: Some(serde_json::json!({ "role": role.as_str(), "projects": projects })),
        },
    )
    .await?;
    tx.commit().await?;
    db.pool.close().await;
    Ok(token)
}

/// What `odyssey reanalyze` did.
#[derive(Clone, Debug)]
pub struct ReanalysisSummary {
    /// Run id.
    pub run: String,
    /// Cases reanalysed.
    pub cases: usize,
    /// Jobs per final status.
    pub statuses: Vec<(String, i64)>,
    /// Cases with noteworthy changes.
    pub noteworthy: i64,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// `odyssey reanalyze`: queues every stored case for the engine of `config` (its knowledge base
/// and sources) and runs the jobs here on `config.workers` threads, recording per case what
/// changed against its previous analysis.
pub async fn reanalyze(config: Config) -> Result<ReanalysisSummary, OpsError> {
    let analyzer = analyzer_for(&config)?;
    reanalyze_with(config, analyzer).await
}

/// [`reanalyze`] with a given analyzer.
pub async fn reanalyze_with(
    config: Config,
    analyzer: Arc<dyn Analyzer>,
) -> Result<ReanalysisSummary, OpsError> {
    let t = Instant::now();
    let state = open_state(config, analyzer).await?;
    let (run, cases) = {
        let mut tx = state.db.begin_write().await?;
        let r = reanalysis::queue_all(
            &mut tx,
            &state.analyzer.engine_key(),
            &state.analyzer.settings(),
            "system",
        )
        .await?;
        tx.commit().await?;
        r
    };
    for w in crate::jobs::spawn_workers(state.job_context(), state.config.workers, true) {
        let _ = w.await;
    }
    let mut conn = state.db.pool.acquire().await?;
    let (statuses, noteworthy) = reanalysis::run_summary(&mut conn, &run).await?;
    Ok(ReanalysisSummary {
        run,
        cases,
        statuses,
        noteworthy,
        seconds: t.elapsed().as_secs_f64(),
    })
}
