//! The append-only audit log: who, when, what, before and after. Rows are only ever inserted,
//! in the same transaction as the change they record; the database refuses updates and
//! deletes (triggers in the first migration).

use serde::Serialize;
use sqlx::{AnyConnection, Row};

use super::now;

/// One change to record.
pub struct Change<'a> {
    /// User name, or `system`.
    pub actor: &'a str,
    /// Project of the case, when the change concerns one.
    pub project: Option<&'a str>,
    /// Case id, when the change concerns one.
    pub case_id: Option<&'a str>,
    /// What happened: `case.create`, `case.status`, `case.assignee`, `review.set`,
    /// `comment.add`, `analysis.request`, `reanalysis.start`, `mme.share`, ...
    pub action: &'a str,
    /// The thing changed (a gene symbol, a variant `chrom:pos:ref:alt`), if any.
    pub target: Option<&'a str>,
    /// State before (JSON), `None` for a creation.
    pub before: Option<serde_json::Value>,
    /// State after (JSON), `None` for a deletion.
    pub after: Option<serde_json::Value>,
}

/// Appends a change to the log (inside the caller's transaction).
pub async fn record(conn: &mut AnyConnection, c: Change<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, project, case_id, action, target, before, after) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now())
    .bind(c.actor)
    .bind(c.project)
    .bind(c.case_id)
    .bind(c.action)
    .bind(c.target)
    .bind(c.before.map(|v| v.to_string()))
    .bind(c.after.map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// An audit log entry as the API returns it.
#[derive(Serialize, utoipa::ToSchema, Debug, Clone)]
pub struct AuditEntry {
    /// Position in the log (increasing).
    pub seq: i64,
    /// When (UTC, RFC 3339).
    pub at: String,
    /// Who (user name or `system`).
    pub actor: String,
    /// What happened.
    pub action: String,
    /// The thing changed, if any.
    pub target: Option<String>,
    /// State before.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// State after.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
}

/// The log entries of a case, oldest first.
pub async fn for_case(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT seq, at, actor, action, target, before, after FROM audit_log \
         WHERE case_id = $1 ORDER BY seq",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            seq: r.get(0),
            at: r.get(1),
            actor: r.get(2),
            action: r.get(3),
            target: r.get(4),
            before: r
                .get::<Option<String>, _>(5)
                .and_then(|s| serde_json::from_str(&s).ok()),
            after: r
                .get::<Option<String>, _>(6)
                .and_then(|s| serde_json::from_str(&s).ok()),
        })
        .collect())
}
