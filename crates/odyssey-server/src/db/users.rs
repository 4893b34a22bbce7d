//! Users, their projects and their API tokens. A token is 32 random bytes shown once (hex,
//! prefixed `ody_`); only its SHA-256 is stored, so a copy of the database reveals no token.

use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};

use super::{hex, new_id, now};

/// A user's role.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Sees and works on the cases of their projects.
    Clinician,
    /// A clinician who may also run server-wide operations (reanalysis of every case).
    Admin,
}

impl Role {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Clinician => "clinician",
            Role::Admin => "admin",
        }
    }

    /// Parses `clinician` or `admin`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "clinician" => Some(Role::Clinician),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }
}

/// The authenticated caller.
#[derive(Clone, Debug)]
pub struct User {
    /// User id.
    pub id: String,
    /// User name (unique).
    pub name: String,
    /// Role.
    pub role: Role,
    /// Projects whose cases the user sees.
    pub projects: Vec<String>,
}

impl User {
    /// Whether the user is a member of `project`.
    pub fn in_project(&self, project: &str) -> bool {
        self.projects.iter().any(|p| p == project)
    }
}

/// SHA-256 of a token, hex.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new token: `ody_` and 64 hex digits (256 random bits).
pub fn new_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source failed");
    format!("ody_{}", hex(&b))
}

/// Error adding a user.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// Name empty or with characters other than letters, digits, `.`, `_`, `-`, `@`.
    #[error("invalid user name {0:?}: use letters, digits, '.', '_', '-' or '@'")]
    Name(String),
    /// Project name invalid.
    #[error("invalid project name {0:?}: use letters, digits, '.', '_' or '-'")]
    Project(String),
    /// Database error.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn valid_name(s: &str, extra: &[char]) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' || extra.contains(&c)
        })
}

/// Whether `p` is a valid project name.
pub fn valid_project(p: &str) -> bool {
    valid_name(p, &[])
}

/// Adds a user (or, if the name exists, adds the projects to it and keeps its role unless
/// given), issues a new API token and returns it. Runs inside the caller's transaction.
pub async fn add_user(
    conn: &mut AnyConnection,
    name: &str,
    role: Role,
    projects: &[String],
) -> Result<(String, String), UserError> {
    if !valid_name(name, &['@']) {
        return Err(UserError::Name(name.into()));
    }
    if let Some(p) = projects.iter().find(|p| !valid_project(p)) {
        return Err(UserError::Project(p.clone()));
    }
    let existing: Option<String> = sqlx::query("SELECT id FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.get(0));
    let id = match existing {
        Some(id) => {
            sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
                .bind(role.as_str())
                .bind(&id)
                .execute(&mut *conn)
                .await?;
            id
        }
        None => {
            let id = new_id("u_");
            sqlx::query("INSERT INTO users (id, name, role, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&id)
                .bind(name)
                .bind(role.as_str())
                .bind(now())
                .execute(&mut *conn)
                .await?;
            id
        }
    };
    for p in projects {
        sqlx::query(
            "INSERT INTO memberships (user_id, project) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(p)
        .execute(&mut *conn)
        .await?;
    }
    let token = new_token();
    sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(token_hash(&token))
        .bind(&id)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok((id, token))
}

/// The user holding an unrevoked token, with their projects; `None` for an unknown token.
pub async fn user_by_token(
    conn: &mut AnyConnection,
    token: &str,
) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
    )
    .bind(token_hash(token))
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: String = row.get(0);
    let role: String = row.get(2);
    let projects =
        sqlx::query("SELECT project FROM memberships WHERE user_id = $1 ORDER BY project")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
    Ok(Some(User {
        id,
        name: row.get(1),
        role: Role::parse(&role).unwrap_or(Role::Clinician),
        projects,
    }))
}

/// Whether a user with this name exists and belongs to `project` (for assignees).
pub async fn is_member(
    conn: &mut AnyConnection,
    name: &str,
    project: &str,
) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(
        "SELECT 1 FROM users u JOIN memberships m ON m.user_id = u.id \
         WHERE u.name = $1 AND m.project = $2",
    )
    .bind(name)
    .bind(project)
    .fetch_optional(&mut *conn)
    .await?
    .is_some())
}
