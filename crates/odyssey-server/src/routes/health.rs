//! `GET /api/v1/health`: liveness, version, knowledge base and the job queue.

use std::collections::BTreeMap;

use axum::extract::State;
use serde::Serialize;

use crate::db::analyses;
use crate::error::ApiResult;
use crate::AppState;

/// Health answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// Odyssey version.
    pub version: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// HPO release of the knowledge base analyses use.
    pub kb_release: String,
    /// Analyses per status (`queued`, `running`, `done`, `failed`).
    pub analyses: BTreeMap<String, i64>,
}

/// Liveness and state; no token needed.
#[utoipa::path(get, path = "/api/v1/health", security(()), responses((status = 200, body = Health)))]
pub async fn health(State(s): State<AppState>) -> ApiResult<axum::Json<Health>> {
    let mut conn = s.db.pool.acquire().await?;
    let counts = analyses::counts(&mut conn).await?;
    Ok(axum::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: match s.db.backend {
            crate::db::Backend::Sqlite => "sqlite".into(),
            crate::db::Backend::Postgres => "postgres".into(),
        },
        kb_release: s.analyzer.kb_release(),
        analyses: counts.into_iter().collect(),
    }))
}
