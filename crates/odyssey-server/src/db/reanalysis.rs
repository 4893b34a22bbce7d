//! Reanalysis: one queued analysis per stored case with the new knowledge base or sources, and
//! per finished one the changes against the case's previous analysis (`reanalysis_changes`),
//! which the inbox lists.

use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::{analyses, audit, cases, new_id, now};
use crate::diff::ReportDiff;

/// Records the changes a reanalysis found.
pub async fn insert_change(
    conn: &mut AnyConnection,
    analysis_id: &str,
    case_id: &str,
    previous: &str,
    diff: &ReportDiff,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reanalysis_changes (analysis_id, case_id, previous_analysis_id, noteworthy, \
         diff, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(analysis_id)
    .bind(case_id)
    .bind(previous)
    .bind(i64::from(diff.noteworthy()))
    .bind(serde_json::to_string(diff).unwrap_or_default())
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// A case worth a look after a reanalysis.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct InboxItem {
    /// Case id.
    pub case_id: String,
    /// Project.
    pub project: String,
    /// The case file's own id.
    pub label: String,
    /// Case status.
    pub case_status: String,
    /// The reanalysis.
    pub analysis_id: String,
    /// The analysis it was compared with.
    pub previous_analysis_id: String,
    /// When the reanalysis finished.
    pub created_at: String,
    /// What changed.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

/// The latest noteworthy change of each case of the given projects, newest first; solved cases
/// are left out.
pub async fn inbox(
    conn: &mut AnyConnection,
    projects: &[String],
) -> Result<Vec<InboxItem>, sqlx::Error> {
    let mut out = Vec::new();
    for p in projects {
        let rows = sqlx::query(
            "SELECT r.case_id, c.project, c.label, c.status, r.analysis_id, \
             r.previous_analysis_id, r.created_at, r.diff FROM reanalysis_changes r \
             JOIN cases c ON c.id = r.case_id \
             WHERE c.project = $1 AND r.noteworthy = 1 AND c.status <> 'solved' \
             AND r.created_at = (SELECT MAX(r2.created_at) FROM reanalysis_changes r2 \
                                 WHERE r2.case_id = r.case_id) \
             ORDER BY r.created_at DESC, r.case_id",
        )
        .bind(p)
        .fetch_all(&mut *conn)
        .await?;
        out.extend(rows.into_iter().map(|r| InboxItem {
            case_id: r.get(0),
            project: r.get(1),
            label: r.get(2),
            case_status: r.get(3),
            analysis_id: r.get(4),
            previous_analysis_id: r.get(5),
            created_at: r.get(6),
            changes: serde_json::from_str(&r.get::<String, _>(7)).unwrap_or_default(),
        }));
    }
    out.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then(a.case_id.cmp(&b.case_id))
    });
    Ok(out)
}

/// The changes recorded for one analysis, if it was a reanalysis.
pub async fn change_of(
    conn: &mut AnyConnection,
    analysis_id: &str,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    Ok(
        sqlx::query("SELECT diff FROM reanalysis_changes WHERE analysis_id = $1")
            .bind(analysis_id)
            .fetch_optional(conn)
            .await?
            .and_then(|r| serde_json::from_str(&r.get::<String, _>(0)).ok()),
    )
}

/// Queues a reanalysis of every stored case for the engine `engine_key`, each against the
/// case's latest finished analysis (a case never analysed gets a first analysis). Returns the
/// run id and the number of jobs. Runs in the caller's transaction, with an audit entry.
pub async fn queue_all(
    conn: &mut AnyConnection,
    engine_key: &str,
    settings: &serde_json::Value,
    actor: &str,
) -> Result<(String, usize), sqlx::Error> {
    let run = new_id("r_");
    let ids = cases::all_ids(conn).await?;
    for case_id in &ids {
        let prev = analyses::latest_done(conn, case_id).await?;
        let id = new_id("a_");
        analyses::insert(
            conn,
            &analyses::NewAnalysis {
                id: &id,
                case_id,
                engine_key,
                settings,
                requested_by: actor,
                reanalysis_of: prev.as_deref(),
                reanalysis_run: Some(&run),
            },
        )
        .await?;
    }
    audit::record(
        conn,
        audit::Change {
            actor,
            project: None,
            case_id: None,
            action: "reanalysis.start",
            target: Some(&run),
            before: None,
            after: Some(serde_json::json!({ "cases": ids.len(), "settings": settings })),
        },
    )
    .await?;
    Ok((run, ids.len()))
}

/// Summary of a reanalysis run: jobs per status and the number of noteworthy cases.
pub async fn run_summary(
    conn: &mut AnyConnection,
    run: &str,
) -> Result<(Vec<(String, i64)>, i64), sqlx::Error> {
    let statuses = sqlx::query(
        "SELECT status, COUNT(*) FROM analyses WHERE reanalysis_run = $1 GROUP BY status ORDER BY status",
    )
    .bind(run)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    let noteworthy: i64 = sqlx::query(
        "SELECT COUNT(*) FROM reanalysis_changes r JOIN analyses a ON a.id = r.analysis_id \
         WHERE a.reanalysis_run = $1 AND r.noteworthy = 1",
    )
    .bind(run)
    .fetch_one(conn)
    .await?
    .get(0);
    Ok((statuses, noteworthy))
}
