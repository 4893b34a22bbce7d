//! Web sign-in: argon2id password hashes, sessions in cookies, and the CSRF token every form
//! carries.
//!
//! - Passwords are hashed with Argon2id (RFC 9106) at the `argon2` crate's defaults (19 MiB,
//!   2 passes, 1 lane: OWASP's recommended minimum), stored as a PHC string in
//!   `users.password_hash`.
//! - A session is 32 random bytes (hex) in the cookie `odyssey_session`; the database keeps only
//!   its SHA-256 (`web_sessions`), with a per-session CSRF token and an expiry
//!   [`SESSION_HOURS`] after sign-in.
//! - The cookie is `HttpOnly; SameSite=Strict; Path=/`, and `Secure` when the request reached us
//!   over TLS (a TLS-terminating proxy sends `X-Forwarded-Proto: https`). `odyssey serve` itself
//!   speaks plain HTTP, meant for loopback or behind such a proxy: on plain HTTP a `Secure` cookie
//!   would never be sent back, so it is left off there.
//! - Every state-changing form has a hidden `csrf` field checked against the session's token
//!   (constant-time); the sign-in form, before any session exists, uses a double-submit cookie.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use sqlx::{AnyConnection, Row};

use crate::db::users::{token_hash, Role, User};
use crate::db::{hex, now};
use crate::AppState;

/// Cookie holding the session id.
pub const COOKIE: &str = "odyssey_session";
/// Cookie holding the sign-in form's CSRF token (double submit).
pub const SIGNIN_COOKIE: &str = "odyssey_signin";
/// Hours a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 12;

/// Hashes a password (Argon2id, random 128-bit salt) into a PHC string.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| format!("random source: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| format!("password hash: {e}"))
}

/// Whether `password` matches the PHC string `hash` (false for a malformed hash).
pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a new password: 8 to 1,000 characters.
pub fn check_password_rules(password: &str) -> Result<(), String> {
    let n = password.chars().count();
    if (8..=1000).contains(&n) {
        Ok(())
    } else {
        Err(format!("a password needs 8 to 1,000 characters (got {n})"))
    }
}

/// Sets the password of user `name`; false when there is no such user. Passwords need 8 to
/// 1,000 characters.
pub async fn set_password(
    conn: &mut AnyConnection,
    name: &str,
    password: &str,
) -> Result<bool, String> {
    check_password_rules(password)?;
    let hash = hash_password(password)?;
    let r = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
        .bind(hash)
        .bind(name)
        .execute(conn)
        .await
        .map_err(|e| format!("database: {e}"))?;
    Ok(r.rows_affected() == 1)
}

/// `odyssey users add --password-stdin`: opens the configured database and sets the password
/// of user `name` (who must exist).
pub async fn set_user_password(
    config: &crate::Config,
    name: &str,
    password: &str,
) -> Result<(), String> {
    let db = crate::db::Db::open(&config.database_url(), 2)
        .await
        .map_err(|e| e.to_string())?;
    let mut tx = db
        .begin_write()
        .await
        .map_err(|e| format!("database: {e}"))?;
    if !set_password(&mut tx, name, password).await? {
        return Err(format!("no user {name:?}"));
    }
    tx.commit().await.map_err(|e| format!("database: {e}"))?;
    db.pool.close().await;
    Ok(())
}

/// 32 random bytes, hex.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).expect("the operating system's random source failed");
    hex(&b)
}

/// Constant-time equality of two texts.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The UTC time `hours` from now, in the database's text format.
fn stamp_in(hours: i64) -> String {
    let t = time::OffsetDateTime::now_utc() + time::Duration::hours(hours);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Checks a name and password; the user's id when they match. Unknown names cost one hash too,
/// so timing does not tell which names exist.
pub async fn check_password(
    conn: &mut AnyConnection,
    name: &str,
    password: &str,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(conn)
        .await?;
    let (id, hash): (Option<String>, Option<String>) = match row {
        Some(r) => (Some(r.get(0)), r.get(1)),
        None => (None, None),
    };
    let ok = match &hash {
        Some(h) => verify_password(h, password),
        None => {
            let _ = hash_password(password);
            false
        }
    };
    Ok(id.filter(|_| ok))
}

/// Opens a session for a user: (cookie value, CSRF token).
pub async fn open_session(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<(String, String), sqlx::Error> {
    let sid = random_token();
    let csrf = random_token();
    sqlx::query(
        "INSERT INTO web_sessions (id_hash, user_id, csrf, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&sid))
    .bind(user_id)
    .bind(&csrf)
    .bind(now())
    .bind(stamp_in(SESSION_HOURS))
    .execute(conn)
    .await?;
    Ok((sid, csrf))
}

/// Ends a session (sign out).
pub async fn close_session(conn: &mut AnyConnection, sid: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1")
        .bind(token_hash(sid))
        .execute(conn)
        .await?;
    Ok(())
}

/// The user and CSRF token of an unexpired session.
async fn session_user(
    conn: &mut AnyConnection,
    sid: &str,
) -> Result<Option<(User, String)>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.name, u.role, s.csrf FROM web_sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.id_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash(sid))
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let id: String = row.get(0);
    let projects =
        sqlx::query("SELECT project FROM memberships WHERE user_id = $1 ORDER BY project")
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
    let role: String = row.get(2);
    let user = User {
        id,
        name: row.get(1),
        role: Role::parse(&role).unwrap_or(Role::Clinician),
        projects,
    };
    Ok(Some((user, row.get(3))))
}

/// The value of cookie `name` in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Whether the request reached us over TLS (through a proxy saying so).
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value; `max_age` 0 deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age: i64, tls: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{}",
        if tls { "; Secure" } else { "" }
    )
}

/// A signed-in user of the pages (the extractor redirects to the sign-in page otherwise).
pub struct WebUser {
    /// The user.
    pub user: User,
    /// The session's CSRF token, put into every form.
    pub csrf: String,
    /// The session id (cookie value).
    pub sid: String,
}

impl WebUser {
    /// 403 unless `token` is this session's CSRF token.
    pub fn check_csrf(&self, token: &str) -> Result<(), super::PageError> {
        if same(token, &self.csrf) {
            Ok(())
        } else {
            Err(super::PageError::Forbidden(
                "This form has expired or did not come from this site (CSRF check failed). \
                 Go back, reload the page and try again."
                    .into(),
            ))
        }
    }
}

impl FromRequestParts<AppState> for WebUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let to_signin = || {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str().to_string())
                .unwrap_or_default();
            let next: String = url_encode(&next);
            Redirect::to(&format!("/signin?next={next}")).into_response()
        };
        let Some(sid) = cookie(&parts.headers, COOKIE).map(str::to_string) else {
            return Err(to_signin());
        };
        let mut conn = state
            .db
            .pool
            .acquire()
            .await
            .map_err(|e| super::PageError::from(e).into_response())?;
        match session_user(&mut conn, &sid).await {
            Ok(Some((user, csrf))) => Ok(WebUser { user, csrf, sid }),
            Ok(None) => Err(to_signin()),
            Err(e) => Err(super::PageError::from(e).into_response()),
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986 §2.3).
pub fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct horsE"));
        assert!(!verify_password("not a hash", "x"));
    }

    #[test]
    fn constant_time_compare() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }

    #[test]
    fn cookies_parse() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "a=1; odyssey_session=xyz; b=2".parse().unwrap());
        assert_eq!(cookie(&h, COOKIE), Some("xyz"));
        assert_eq!(cookie(&h, "c"), None);
        assert_eq!(url_encode("/cases?x=1 2"), "/cases%3Fx%3D1%202");
    }
}
