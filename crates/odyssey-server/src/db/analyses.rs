//! Analyses: jobs in a table. A job is `queued`, then `running` (with progress), then `done`
//! (with its JSON report) or `failed` (with the error). The queue lives in the database, so
//! queued and interrupted jobs survive a restart: on start, `running` jobs go back to `queued`.

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{now, now_ms};

/// An analysis as the API returns it (without the report).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AnalysisView {
    /// Analysis id.
    pub id: String,
    /// The case analysed.
    pub case_id: String,
    /// `queued`, `running`, `done` or `failed`.
    pub status: String,
    /// Progress in 0..1.
    pub progress: f64,
    /// What the job is doing (or did last).
    pub stage: String,
    /// Knowledge base, sources and settings the analysis ran with.
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    /// HPO release of the knowledge base used (when known).
    pub kb_release: Option<String>,
    /// Who asked for it (`system` for reanalysis).
    pub requested_by: String,
    /// The analysis this one re-ran, for a reanalysis.
    pub reanalysis_of: Option<String>,
    /// When it was requested, started and finished (UTC, RFC 3339).
    pub created_at: String,
    /// Start time.
    pub started_at: Option<String>,
    /// End time.
    pub finished_at: Option<String>,
    /// Why it failed.
    pub error: Option<String>,
}

const COLUMNS: &str = "id, case_id, status, progress, stage, settings, kb_release, requested_by, \
    reanalysis_of, created_at, started_at, finished_at, error";

fn view(r: &AnyRow) -> AnalysisView {
    AnalysisView {
        id: r.get(0),
        case_id: r.get(1),
        status: r.get(2),
        progress: r.get(3),
        stage: r.get(4),
        settings: serde_json::from_str(&r.get::<String, _>(5)).unwrap_or_default(),
        kb_release: r.get(6),
        requested_by: r.get(7),
        reanalysis_of: r.get(8),
        created_at: r.get(9),
        started_at: r.get(10),
        finished_at: r.get(11),
        error: r.get(12),
    }
}

/// A job to queue.
pub struct NewAnalysis<'a> {
    /// New id.
    pub id: &'a str,
    /// Case.
    pub case_id: &'a str,
    /// Engine the job needs (knowledge base checksum and sources).
    pub engine_key: &'a str,
    /// Settings (JSON).
    pub settings: &'a serde_json::Value,
    /// Requester.
    pub requested_by: &'a str,
    /// Previous analysis, for a reanalysis.
    pub reanalysis_of: Option<&'a str>,
    /// Reanalysis run id.
    pub reanalysis_run: Option<&'a str>,
}

/// Queues a job.
pub async fn insert(conn: &mut AnyConnection, a: &NewAnalysis<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO analyses (id, case_id, seq, status, engine_key, settings, requested_by, \
         reanalysis_of, reanalysis_run, created_at) VALUES ($1, $2, $3, 'queued', $4, $5, $6, $7, $8, $9)",
    )
    .bind(a.id)
    .bind(a.case_id)
    .bind(now_ms())
    .bind(a.engine_key)
    .bind(a.settings.to_string())
    .bind(a.requested_by)
    .bind(a.reanalysis_of)
    .bind(a.reanalysis_run)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// One analysis.
pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<AnalysisView>, sqlx::Error> {
    let q = format!("SELECT {COLUMNS} FROM analyses WHERE id = $1");
    Ok(sqlx::query(sqlx::AssertSqlSafe(q))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|r| view(&r)))
}

/// The analyses of a case, newest first.
pub async fn for_case(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Vec<AnalysisView>, sqlx::Error> {
    let q = format!("SELECT {COLUMNS} FROM analyses WHERE case_id = $1 ORDER BY seq DESC, id");
    Ok(sqlx::query(sqlx::AssertSqlSafe(q))
        .bind(case_id)
        .fetch_all(conn)
        .await?
        .iter()
        .map(view)
        .collect())
}

/// The stored JSON report of a finished analysis.
pub async fn report(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT report FROM analyses WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?
        .and_then(|r| r.get(0)))
}

/// The latest finished analysis of a case (id), if any.
pub async fn latest_done(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id FROM analyses WHERE case_id = $1 AND status = 'done' ORDER BY seq DESC, id LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(conn)
    .await?
    .map(|r| r.get(0)))
}

/// A claimed job: what the worker needs.
#[derive(Clone, Debug)]
pub struct Claimed {
    /// Analysis id.
    pub id: String,
    /// Case id.
    pub case_id: String,
    /// Previous analysis, for a reanalysis.
    pub reanalysis_of: Option<String>,
}

/// Takes the oldest queued job for `engine_key` and marks it running; `None` when the queue
/// is empty. The conditional update makes a job go to exactly one worker, even with several
/// servers on one PostgreSQL database.
pub async fn claim_next(
    conn: &mut AnyConnection,
    engine_key: &str,
) -> Result<Option<Claimed>, sqlx::Error> {
    loop {
        let row = sqlx::query(
            "SELECT id, case_id, reanalysis_of FROM analyses WHERE status = 'queued' \
             AND engine_key = $1 ORDER BY seq, id LIMIT 1",
        )
        .bind(engine_key)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let id: String = row.get(0);
        let done = sqlx::query(
            "UPDATE analyses SET status = 'running', stage = 'starting', progress = 0, \
             started_at = $1 WHERE id = $2 AND status = 'queued'",
        )
        .bind(now())
        .bind(&id)
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() == 1 {
            return Ok(Some(Claimed {
                id,
                case_id: row.get(1),
                reanalysis_of: row.get(2),
            }));
        }
    }
}

/// Records progress.
pub async fn set_progress(
    conn: &mut AnyConnection,
    id: &str,
    progress: f64,
    stage: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE analyses SET progress = $1, stage = $2 WHERE id = $3 AND status = 'running'",
    )
    .bind(progress)
    .bind(stage)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Stores the report of a finished job.
pub async fn finish_done(
    conn: &mut AnyConnection,
    id: &str,
    report: &str,
    kb_release: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE analyses SET status = 'done', progress = 1, stage = 'done', finished_at = $1, \
         report = $2, kb_release = $3 WHERE id = $4",
    )
    .bind(now())
    .bind(report)
    .bind(kb_release)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failure.
pub async fn finish_failed(
    conn: &mut AnyConnection,
    id: &str,
    error: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE analyses SET status = 'failed', stage = 'failed', finished_at = $1, error = $2 \
         WHERE id = $3",
    )
    .bind(now())
    .bind(error)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Puts jobs interrupted by a stop or crash back in the queue; returns how many.
pub async fn requeue_interrupted(conn: &mut AnyConnection) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE analyses SET status = 'queued', progress = 0, \
         stage = 'queued again after a server restart' WHERE status = 'running'",
    )
    .execute(conn)
    .await?
    .rows_affected())
}

/// Number of jobs per status.
pub async fn counts(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>, sqlx::Error> {
    Ok(
        sqlx::query("SELECT status, COUNT(*) FROM analyses GROUP BY status ORDER BY status")
            .fetch_all(conn)
            .await?
            .into_iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect(),
    )
}
