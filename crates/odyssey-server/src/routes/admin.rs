//! The reanalysis inbox (every user, their projects) and reanalysis runs (admins).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;

use crate::auth::AuthUser;
use crate::db::reanalysis::{self, InboxItem};
use crate::error::{ApiError, ApiResult};
use crate::routes::extract::Path;
use crate::AppState;

/// Cases of the caller's projects whose candidates changed noteworthily at their latest
/// reanalysis (solved cases left out), newest first.
#[utoipa::path(get, path = "/api/v1/inbox",
    responses((status = 200, body = Vec<InboxItem>), (status = 401, body = crate::error::ErrorBody)))]
pub async fn inbox(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
) -> ApiResult<axum::Json<Vec<InboxItem>>> {
    let mut conn = s.db.pool.acquire().await?;
    Ok(axum::Json(
        reanalysis::inbox(&mut conn, &user.projects).await?,
    ))
}

/// A reanalysis run.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReanalysisRun {
    /// Run id.
    pub id: String,
    /// Cases queued.
    pub queued: usize,
}

/// Reanalyse every stored case (all projects) with the server's current knowledge base and
/// sources; admins only.
#[utoipa::path(post, path = "/api/v1/admin/reanalyses",
    responses((status = 202, body = ReanalysisRun), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody)))]
pub async fn start_reanalysis(
    State(s): State<AppState>,
    user: AuthUser,
) -> ApiResult<(StatusCode, axum::Json<ReanalysisRun>)> {
    user.require_admin()?;
    let mut tx = s.db.begin_write().await?;
    let (id, queued) = reanalysis::queue_all(
        &mut tx,
        &s.analyzer.engine_key(),
        &s.analyzer.settings(),
        &user.0.name,
    )
    .await?;
    tx.commit().await?;
    s.wake.notify_waiters();
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(ReanalysisRun { id, queued }),
    ))
}

/// Progress of a reanalysis run.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ReanalysisStatus {
    /// Run id.
    pub id: String,
    /// Jobs per status.
    pub analyses: std::collections::BTreeMap<String, i64>,
    /// Cases with noteworthy changes so far.
    pub noteworthy: i64,
}

/// Progress of a reanalysis run; admins only.
#[utoipa::path(get, path = "/api/v1/admin/reanalyses/{id}", params(("id" = String, Path, description = "run id")),
    responses((status = 200, body = ReanalysisStatus), (status = 401, body = crate::error::ErrorBody),
              (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_reanalysis(
    State(s): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<ReanalysisStatus>> {
    user.require_admin()?;
    let mut conn = s.db.pool.acquire().await?;
    let (statuses, noteworthy) = reanalysis::run_summary(&mut conn, &id).await?;
    if statuses.is_empty() {
        return Err(ApiError::NotFound(format!("no reanalysis run {id:?}")));
    }
    Ok(axum::Json(ReanalysisStatus {
        id,
        analyses: statuses.into_iter().collect(),
        noteworthy,
    }))
}
