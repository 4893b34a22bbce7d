//! Review decisions: per gene or variant a status, the ACMG/AMP criteria the reviewer
//! recorded and the resulting class; and free comments.

use serde::{Deserialize, Serialize};
use sqlx::{AnyConnection, Row};

/// A review decision as stored and returned.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, utoipa::ToSchema)]
pub struct Review {
    /// `gene` or `variant`.
    pub target_kind: String,
    /// HGNC symbol, or variant `chrom:pos:ref:alt`.
    pub target: String,
    /// `candidate`, `causative`, `likely_causative` or `dismissed`.
    pub status: String,
    /// ACMG/AMP criteria as recorded (e.g. `PVS1`, `PM2_Supporting`).
    pub acmg_criteria: Vec<String>,
    /// ACMG/AMP class as recorded: `pathogenic`, `likely_pathogenic`, `uncertain_significance`,
    /// `likely_benign`, `benign`.
    pub acmg_class: Option<String>,
    /// Who recorded it last.
    pub updated_by: String,
    /// When (UTC, RFC 3339).
    pub updated_at: String,
}

/// The review of one target, if any.
pub async fn get(
    conn: &mut AnyConnection,
    case_id: &str,
    kind: &str,
    target: &str,
) -> Result<Option<Review>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT target_kind, target, status, acmg_criteria, acmg_class, updated_by, updated_at \
         FROM reviews WHERE case_id = $1 AND target_kind = $2 AND target = $3",
    )
    .bind(case_id)
    .bind(kind)
    .bind(target)
    .fetch_optional(conn)
    .await?
    .map(|r| row(&r)))
}

fn row(r: &sqlx::any::AnyRow) -> Review {
    Review {
        target_kind: r.get(0),
        target: r.get(1),
        status: r.get(2),
        acmg_criteria: serde_json::from_str(&r.get::<String, _>(3)).unwrap_or_default(),
        acmg_class: r.get(4),
        updated_by: r.get(5),
        updated_at: r.get(6),
    }
}

/// Every review of a case, genes then variants, by target.
pub async fn for_case(conn: &mut AnyConnection, case_id: &str) -> Result<Vec<Review>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT target_kind, target, status, acmg_criteria, acmg_class, updated_by, updated_at \
         FROM reviews WHERE case_id = $1 ORDER BY target_kind, target",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?
    .iter()
    .map(row)
    .collect())
}

/// Inserts or replaces the review of a target.
pub async fn upsert(
    conn: &mut AnyConnection,
    case_id: &str,
    r: &Review,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO reviews (case_id, target_kind, target, status, acmg_criteria, acmg_class, \
         updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (case_id, target_kind, target) DO UPDATE SET status = excluded.status, \
         acmg_criteria = excluded.acmg_criteria, acmg_class = excluded.acmg_class, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(case_id)
    .bind(&r.target_kind)
    .bind(&r.target)
    .bind(&r.status)
    .bind(serde_json::to_string(&r.acmg_criteria).unwrap_or_else(|_| "[]".into()))
    .bind(&r.acmg_class)
    .bind(&r.updated_by)
    .bind(&r.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// A comment.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Comment {
    /// Comment id.
    pub id: String,
    /// `gene` or `variant` when the comment is about one, else absent (about the case).
    pub target_kind: Option<String>,
    /// The gene or variant.
    pub target: Option<String>,
    /// Author.
    pub author: String,
    /// Text.
    pub body: String,
    /// When (UTC, RFC 3339).
    pub created_at: String,
}

/// Adds a comment.
pub async fn add_comment(
    conn: &mut AnyConnection,
    case_id: &str,
    c: &Comment,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO comments (id, case_id, target_kind, target, author, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&c.id)
    .bind(case_id)
    .bind(&c.target_kind)
    .bind(&c.target)
    .bind(&c.author)
    .bind(&c.body)
    .bind(&c.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// The comments of a case, oldest first.
pub async fn comments(
    conn: &mut AnyConnection,
    case_id: &str,
) -> Result<Vec<Comment>, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT id, target_kind, target, author, body, created_at FROM comments \
         WHERE case_id = $1 ORDER BY created_at, id",
    )
    .bind(case_id)
    .fetch_all(conn)
    .await?
    .into_iter()
    .map(|r| Comment {
        id: r.get(0),
        target_kind: r.get(1),
        target: r.get(2),
        author: r.get(3),
        body: r.get(4),
        created_at: r.get(5),
    })
    .collect())
}
