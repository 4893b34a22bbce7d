//! Cases: the uploaded phenopacket or family (and VCF, PED), the project they belong to, the
//! case status (new, in review, solved, unsolved), the assignee and the Matchmaker Exchange
//! sharing flag.

use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// The status of a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Uploaded, not looked at yet.
    New,
    /// Being reviewed.
    InReview,
    /// The cause was found.
    Solved,
    /// Reviewed, no cause found (a candidate for reanalysis).
    Unsolved,
}

impl CaseStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::InReview => "in_review",
            CaseStatus::Solved => "solved",
            CaseStatus::Unsolved => "unsolved",
        }
    }
}

/// A stored file of a case.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CaseFileInfo {
    /// File name as uploaded.
    pub filename: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

/// A case as the API returns it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CaseView {
    /// Case id (server-assigned).
    pub id: String,
    /// Project.
    pub project: String,
    /// The phenopacket's or family's own id.
    pub label: String,
    /// Case status: `new`, `in_review`, `solved`, `unsolved`.
    pub status: String,
    /// Assigned user, if any.
    pub assignee: Option<String>,
    /// The case file (phenopacket or family).
    pub case_file: CaseFileInfo,
    /// VCF, if uploaded.
    pub vcf: Option<CaseFileInfo>,
    /// PED, if uploaded.
    pub ped: Option<CaseFileInfo>,
    /// Shared with Matchmaker Exchange nodes.
    pub mme_shared: bool,
    /// Who uploaded it.
    pub created_by: String,
    /// When (UTC, RFC 3339).
    pub created_at: String,
    /// Last change of status or assignee.
    pub updated_at: String,
}

const COLUMNS: &str = "id, project, label, status, assignee, case_filename, case_sha256, \
    vcf_filename, vcf_sha256, ped_filename, ped_sha256, mme_shared, created_by, created_at, updated_at";

fn file(name: Option<String>, sha: Option<String>) -> Option<CaseFileInfo> {
    Some(CaseFileInfo {
        filename: name?,
        sha256: sha?,
    })
}

fn view(r: &AnyRow) -> CaseView {
    CaseView {
        id: r.get(0),
        project: r.get(1),
        label: r.get(2),
        status: r.get(3),
        assignee: r.get(4),
        case_file: CaseFileInfo {
            filename: r.get(5),
            sha256: r.get(6),
        },
        vcf: file(r.get(7), r.get(8)),
        ped: file(r.get(9), r.get(10)),
        mme_shared: r.get::<i64, _>(11) != 0,
        created_by: r.get(12),
        created_at: r.get(13),
        updated_at: r.get(14),
    }
}

/// A new case's row.
pub struct NewCase<'a> {
    /// Server-assigned id.
    pub id: &'a str,
    /// Project.
    pub project: &'a str,
    /// The case file's own id.
    pub label: &'a str,
    /// Case file (name, sha256).
    pub case_file: (&'a str, &'a str),
    /// VCF (name, sha256).
    pub vcf: Option<(&'a str, &'a str)>,
    /// PED (name, sha256).
    pub ped: Option<(&'a str, &'a str)>,
    /// Uploader.
    pub created_by: &'a str,
}

/// Records a blob (idempotent: the same content is stored once).
pub async fn insert_blob(
    conn: &mut AnyConnection,
    sha256: &str,
    size: u64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO blobs (sha256, size, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(sha256)
    .bind(size as i64)
    .bind(super::now())
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts a case.
pub async fn insert(conn: &mut AnyConnection, c: &NewCase<'_>) -> Result<(), sqlx::Error> {
    let now = super::now();
    sqlx::query(
        "INSERT INTO cases (id, project, label, case_filename, case_sha256, vcf_filename, \
         vcf_sha256, ped_filename, ped_sha256, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(c.id)
    .bind(c.project)
    .bind(c.label)
    .bind(c.case_file.0)
    .bind(c.case_file.1)
    .bind(c.vcf.map(|v| v.0))
    .bind(c.vcf.map(|v| v.1))
    .bind(c.ped.map(|v| v.0))
    .bind(c.ped.map(|v| v.1))
    .bind(c.created_by)
    .bind(&now)
    .bind(&now)
    .execute(conn)
    .await?;
    Ok(())
}

/// One case, whatever its project (the caller checks access).
pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<CaseView>, sqlx::Error> {
    let q = format!("SELECT {COLUMNS} FROM cases WHERE id = $1");
    Ok(sqlx::query(sqlx::AssertSqlSafe(q))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(|r| view(&r)))
}

/// The cases of the given projects, newest first, optionally of one project and one status.
pub async fn list(
    conn: &mut AnyConnection,
    projects: &[String],
    status: Option<&str>,
) -> Result<Vec<CaseView>, sqlx::Error> {
    let mut out = Vec::new();
    for p in projects {
        let q = format!(
            "SELECT {COLUMNS} FROM cases WHERE project = $1 AND ($2 = '' OR status = $2) \
             ORDER BY created_at DESC, id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(q))
            .bind(p)
            .bind(status.unwrap_or(""))
            .fetch_all(&mut *conn)
            .await?;
        out.extend(rows.iter().map(view));
    }
    out.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// One page of [`list`]: the cases of `projects` (optionally of one status), newest first
/// (ties by id), skipping `offset` and returning at most `limit`, with the count of all
/// matching cases. No project: an empty page.
pub async fn list_page(
    conn: &mut AnyConnection,
    projects: &[String],
    status: Option<&str>,
    limit: u32,
    offset: u64,
) -> Result<(Vec<CaseView>, u64), sqlx::Error> {
    if projects.is_empty() {
        return Ok((Vec::new(), 0));
    }
    // $1 is the status, $2.. the projects; values are bound, never formatted into the SQL
    let marks: Vec<String> = (0..projects.len()).map(|i| format!("${}", i + 2)).collect();
    let filter = format!(
        "FROM cases WHERE ($1 = '' OR status = $1) AND project IN ({})",
        marks.join(", ")
    );
    let count_sql = format!("SELECT COUNT(*) {filter}");
    let mut count = sqlx::query(sqlx::AssertSqlSafe(count_sql)).bind(status.unwrap_or(""));
    for p in projects {
        count = count.bind(p);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?.get(0);
    let page_sql = format!(
        "SELECT {COLUMNS} {filter} ORDER BY created_at DESC, id LIMIT {limit} OFFSET {offset}"
    );
    let mut page = sqlx::query(sqlx::AssertSqlSafe(page_sql)).bind(status.unwrap_or(""));
    for p in projects {
        page = page.bind(p);
    }
    let rows = page.fetch_all(&mut *conn).await?;
    Ok((rows.iter().map(view).collect(), total.max(0) as u64))
}

/// Every case id (reanalysis).
pub async fn all_ids(conn: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    Ok(sqlx::query("SELECT id FROM cases ORDER BY created_at, id")
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| r.get(0))
        .collect())
}

/// Sets status and assignee.
pub async fn update_workflow(
    conn: &mut AnyConnection,
    id: &str,
    status: &str,
    assignee: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE cases SET status = $1, assignee = $2, updated_at = $3 WHERE id = $4")
        .bind(status)
        .bind(assignee)
        .bind(super::now())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
