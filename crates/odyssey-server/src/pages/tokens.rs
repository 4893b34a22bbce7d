//! API tokens: the user's tokens (when created, whether revoked) and a new one, shown once
//! (only its SHA-256 is stored).

use axum::extract::{Form, State};
use axum::response::Html;
use sqlx::Row;

use super::case::CsrfOnly;
use super::session::WebUser;
use super::{render, PageResult};
use crate::db::users::{new_token, token_hash};
use crate::db::{audit, now};
use crate::AppState;

async fn show(s: &AppState, web: &WebUser, new: Option<String>) -> PageResult<Html<String>> {
    let mut conn = s.db.pool.acquire().await?;
    let tokens: Vec<(String, Option<String>)> = sqlx::query(
        "SELECT created_at, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC",
    )
    .bind(&web.user.id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.get(0), r.get(1)))
    .collect();
    render(
        "tokens.html",
        minijinja::context! {
            title => "API tokens", user => web.user.name.clone(), csrf => web.csrf.clone(), nav => "tokens",
            tokens => tokens, new_token => new,
        },
    )
}

/// `GET /tokens`.
pub async fn page(State(s): State<AppState>, web: WebUser) -> PageResult<Html<String>> {
    show(&s, &web, None).await
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
    show(&s, &web, Some(token)).await
}
