//! API tokens: the user's tokens (fingerprint, when created, whether revoked), a new one
//! shown once (only its SHA-256 is stored), and revocation of one's own tokens.

use axum::extract::{Form, State};
use axum::response::Html;
use sqlx::Row;

use super::case::CsrfOnly;
use super::session::WebUser;
use super::{render, PageResult};
use crate::db::users::{new_token, token_hash};
use crate::db::{audit, now};
use crate::AppState;

async fn show(
    s: &AppState,
    web: &WebUser,
    new: Option<String>,
    revoked: bool,
) -> PageResult<Html<String>> {
    let mut conn = s.db.pool.acquire().await?;
    let tokens: Vec<(String, Option<String>, String)> = sqlx::query(
        "SELECT created_at, revoked_at, token_hash FROM api_tokens WHERE user_id = $1 \
         ORDER BY created_at DESC, token_hash",
    )
    .bind(&web.user.id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.get(0), r.get(1), r.get(2)))
    .collect();
    render(
        "tokens.html",
        minijinja::context! {
            title => "API tokens", user => web.user.name.clone(), csrf => web.csrf.clone(), nav => "tokens",
            tokens => tokens, new_token => new, revoked => revoked,
        },
    )
}

/// `GET /tokens`.
pub async fn page(State(s): State<AppState>, web: WebUser) -> PageResult<Html<String>> {
    show(&s, &web, None, false).await
}

/// `POST /tokens`: issues a new token and shows it once.
pub async fn create(
    State(s): State<AppState>,
    web: WebUser,
    Form(f): Form<CsrfOnly>,
) -> PageResult<Html<String>> {
    web.check_csrf(&f.csrf)?;
    let token = new_token();
    let mut tx = s.db.begin_write().await?;
    sqlx::query("INSERT INTO api_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(token_hash(&token))
        .bind(&web.user.id)
        .bind(now())
        .execute(&mut **tx)
        .await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor: &web.user.name,
            project: None,
            case_id: None,
            action: "token.create",
            target: None,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    show(&s, &web, Some(token), false).await
}

/// The revocation form: the CSRF token and the SHA-256 (hex) of the token to revoke, which
/// identifies it without revealing it.
#[derive(serde::Deserialize)]
pub struct RevokeForm {
    csrf: String,
    token_hash: String,
}

/// `POST /tokens/revoke`: revokes one of the signed-in user's own active tokens (another
/// user's token, an unknown or an already revoked one: 404, nothing changed). Audited.
pub async fn revoke(
    State(s): State<AppState>,
    web: WebUser,
    Form(f): Form<RevokeForm>,
) -> PageResult<Html<String>> {
    web.check_csrf(&f.csrf)?;
    let mut tx = s.db.begin_write().await?;
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = $1 \
         WHERE token_hash = $2 AND user_id = $3 AND revoked_at IS NULL",
    )
    .bind(now())
    .bind(&f.token_hash)
    .bind(&web.user.id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if done != 1 {
        return Err(super::PageError::NotFound(
            "no such active token of yours".into(),
        ));
    }
    let fingerprint = f.token_hash.get(..12).unwrap_or_default().to_string();
    audit::record(
        &mut tx,
        audit::Change {
            actor: &web.user.name,
            project: None,
            case_id: None,
            action: "token.revoke",
            target: Some(&fingerprint),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    show(&s, &web, None, true).await
}
