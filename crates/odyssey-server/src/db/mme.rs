//! Matchmaker Exchange tables (migration 0003): which cases are shared and with which contact
//! (`mme_shares`), the outgoing queries' per-node outcomes (`mme_queries`) and the queries other
//! nodes sent us (`mme_incoming`). See `docs/mme.md`.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The contact shown to other centres with a shared case (MME `patient.contact`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareContact {
    /// Person or team to contact about a match.
    pub name: String,
    /// Where to reach them: a `mailto:` or `http(s):` URL.
    pub href: String,
    /// Institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
}

/// A case's sharing record (current or withdrawn).
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Share {
    /// Case id.
    pub case_id: String,
    /// The contact sent with the case.
    pub contact: ShareContact,
    /// Who shared it.
    pub shared_by: String,
    /// When (UTC, RFC 3339).
    pub shared_at: String,
    /// Who withdrew it, if withdrawn.
    pub withdrawn_by: Option<String>,
    /// When it was withdrawn (UTC, RFC 3339); `None` while shared.
    pub withdrawn_at: Option<String>,
}

impl Share {
    /// Whether other nodes may match the case now.
    pub fn active(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

const SHARE_COLUMNS: &str = "case_id, contact_name, contact_href, contact_institution, \
    shared_by, shared_at, withdrawn_by, withdrawn_at";

fn share(r: &AnyRow) -> Share {
    Share {
        case_id: r.get(0),
        contact: ShareContact {
            name: r.get(1),
            href: r.get(2),
            institution: r.get(3),
        },
        shared_by: r.get(4),
        shared_at: r.get(5),
        withdrawn_by: r.get(6),
        withdrawn_at: r.get(7),
    }
}

/// The sharing record of a case, if it was ever shared.
pub async fn get_share(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Option<Share>, sqlx::Error> {
    let q = format!("SELECT {SHARE_COLUMNS} FROM mme_shares WHERE case_id = $1");
    Ok(sqlx::query(sqlx::AssertSqlSafe(q))
        .bind(case_id)
        .fetch_optional(conn)
        .await?
        .map(|r| share(&r)))
}

/// Every case shared now, by case id.
pub async fn active_shares(conn: &mut AnyConnection) -> Result<Vec<Share>, sqlx::Error> {
    let q = format!(
        "SELECT {SHARE_COLUMNS} FROM mme_shares WHERE withdrawn_at IS NULL ORDER BY case_id"
    );
    Ok(sqlx::query(sqlx::AssertSqlSafe(q))
        .fetch_all(conn)
        .await?
        .iter()
        .map(share)
        .collect())
}

/// Shares a case (or shares it again, with a new contact, after a withdrawal) and sets the
/// case's `mme_shared` flag.
pub async fn upsert_share(
    conn: &mut AnyConnection,
    case_id: &str,
    contact: &ShareContact,
    user: &str,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mme_shares (case_id, contact_name, contact_href, contact_institution, \
         shared_by, shared_at, withdrawn_by, withdrawn_at) VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL) \
         ON CONFLICT (case_id) DO UPDATE SET contact_name = excluded.contact_name, \
         contact_href = excluded.contact_href, contact_institution = excluded.contact_institution, \
         shared_by = excluded.shared_by, shared_at = excluded.shared_at, withdrawn_by = NULL, \
         withdrawn_at = NULL",
    )
    .bind(case_id)
    .bind(&contact.name)
    .bind(&contact.href)
    .bind(contact.institution.as_deref())
    .bind(user)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    set_case_flag(conn, case_id, Some(contact)).await
}

/// Withdraws a shared case; false when it was not shared.
pub async fn withdraw(
    conn: &mut AnyConnection,
    case_id: &str,
    user: &str,
    at: &str,
) -> Result<bool, sqlx::Error> {
    let r = sqlx::query(
        "UPDATE mme_shares SET withdrawn_by = $1, withdrawn_at = $2 \
         WHERE case_id = $3 AND withdrawn_at IS NULL",
    )
    .bind(user)
    .bind(at)
    .bind(case_id)
    .execute(&mut *conn)
    .await?;
    set_case_flag(conn, case_id, None).await?;
    Ok(r.rows_affected() == 1)
}

/// Keeps `cases.mme_shared` / `cases.mme_contact` (migration 0001) in step with `mme_shares`.
async fn set_case_flag(
    conn: &mut AnyConnection,
    case_id: &str,
    contact: Option<&ShareContact>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET mme_shared = $1, mme_contact = $2 WHERE id = $3")
        .bind(i64::from(contact.is_some()))
        .bind(contact.map(|c| serde_json::to_string(c).unwrap_or_default()))
        .bind(case_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The genes reviewers kept as candidates for a case (gene reviews with status `candidate`,
/// `likely_causative` or `causative`), by symbol.
pub async fn candidate_genes(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT target FROM reviews WHERE case_id = $1 AND target_kind = 'gene' \
         AND status IN ('candidate', 'likely_causative', 'causative') ORDER BY target",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| r.get(0))
    .collect())
}

/// One node's outcome of an outgoing query, as stored.
#[derive(Clone, Debug)]
pub struct StoredQuery<'a> {
    /// The query run.
    pub run_id: &'a str,
    /// Case queried.
    pub case_id: &'a str,
    /// Node name.
    pub node: &'a str,
    /// URL queried.
    pub url: &'a str,
    /// Place of the node in the configuration.
    pub position: i64,
    /// User.
    pub queried_by: &'a str,
    /// When (UTC, RFC 3339).
    pub queried_at: &'a str,
    /// Time to answer, ms (`None` without an answer).
    pub elapsed_ms: Option<i64>,
    /// `{"kind", "message"}`, or `None`.
    pub error: Option<serde_json::Value>,
    /// The summarised matches, or `None`.
    pub results: Option<serde_json::Value>,
    /// The answer as received, or `None`.
    pub response: Option<serde_json::Value>,
}

/// Stores one node's outcome.
pub async fn insert_query(
    conn: &mut AnyConnection,
    q: &StoredQuery<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mme_queries (id, run_id, case_id, node, url, position, queried_by, \
         queried_at, elapsed_ms, error, results, response) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(super::new_id("q_"))
    .bind(q.run_id)
    .bind(q.case_id)
    .bind(q.node)
    .bind(q.url)
    .bind(q.position)
    .bind(q.queried_by)
    .bind(q.queried_at)
    .bind(q.elapsed_ms)
    .bind(q.error.as_ref().map(|v| v.to_string()))
    .bind(q.results.as_ref().map(|v| v.to_string()))
    .bind(q.response.as_ref().map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored node outcome read back: (run, node, url, queried_by, queried_at, elapsed_ms,
/// error, results, response).
#[derive(Clone, Debug)]
pub struct QueryRow {
    /// Run id.
    pub run_id: String,
    /// Node name.
    pub node: String,
    /// URL.
    pub url: String,
    /// User.
    pub queried_by: String,
    /// When.
    pub queried_at: String,
    /// Time to answer, ms.
    pub elapsed_ms: Option<i64>,
    /// Error JSON.
    pub error: Option<serde_json::Value>,
    /// Summarised matches JSON.
    pub results: Option<serde_json::Value>,
    /// The answer as received.
    pub response: Option<serde_json::Value>,
}

/// The node outcomes of the case's latest query run, in configuration order (empty when the
/// case was never queried).
pub async fn latest_queries(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Vec<QueryRow>, sqlx::Error> {
    let run: Option<String> = sqlx::query(
        "SELECT run_id FROM mme_queries WHERE case_id = $1 \
         ORDER BY queried_at DESC, run_id DESC LIMIT 1",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| r.get(0));
    let Some(run) = run else {
        return Ok(Vec::new());
    };
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(sqlx::query(
        "SELECT run_id, node, url, queried_by, queried_at, elapsed_ms, error, results, response \
         FROM mme_queries WHERE run_id = $1 ORDER BY position, node",
    )
    .bind(&run)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| QueryRow {
        run_id: r.get(0),
        node: r.get(1),
        url: r.get(2),
        queried_by: r.get(3),
        queried_at: r.get(4),
        elapsed_ms: r.get(5),
        error: json(r.get(6)),
        results: json(r.get(7)),
        response: json(r.get(8)),
    })
    .collect())
}

/// Logs a query another node sent us.
pub async fn insert_incoming(
    conn: &mut AnyConnection,
    e: &odyssey_mme::MatchEvent,
    at: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO mme_incoming (id, at, node, query_patient_id, test, api_version, results, \
         genes_matched) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(super::new_id("in_"))
    .bind(at)
    .bind(&e.node)
    .bind(&e.query_patient_id)
    .bind(i64::from(e.test))
    .bind(&e.api_version)
    .bind(serde_json::to_string(&e.results).unwrap_or_default())
    .bind(serde_json::to_string(&e.genes_matched).unwrap_or_default())
    .execute(conn)
    .await?;
    Ok(())
}

/// The project of each of these cases (cases that do not exist are left out).
pub async fn projects_of(
    conn: &mut AnyConnection,
    case_ids: &[String],
) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut out = Vec::new();
    for id in case_ids {
        if let Some(r) = sqlx::query("SELECT id, project FROM cases WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
        {
            out.push((r.get(0), r.get(1)));
        }
    }
    Ok(out)
}
