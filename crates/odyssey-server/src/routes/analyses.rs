//! Analyses: start one (a queued job), follow its progress, fetch its report.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use crate::auth::AuthUser;
use crate::db::{analyses, audit, new_id, reanalysis};
use crate::error::{ApiError, ApiResult};
use crate::routes::cases::{load_case, Created};
use crate::routes::extract::{Path, Query};
use crate::AppState;

/// Queue an analysis of the case with the server's knowledge base and sources.
#[utoipa::path(post, path = "/api/v1/cases/{id}/analyses", params(("id" = String, Path, description = "case id")),
    responses((status = 202, body = Created, description = "queued"), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn start_analysis(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<(StatusCode, axum::Json<Created>)> {
    let case = load_case(&s, &user, &id).await?;
    let aid = new_id("a_");
    let settings = s.analyzer.settings();
    let mut tx = s.db.begin_write().await?;
    analyses::insert(
        &mut tx,
        &analyses::NewAnalysis {
            id: &aid,
            case_id: &id,
            engine_key: &s.analyzer.engine_key(),
            settings: &settings,
            requested_by: &user.name,
            reanalysis_of: None,
            reanalysis_run: None,
        },
    )
    .await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor: &user.name,
            project: Some(&case.project),
            case_id: Some(&id),
            action: "analysis.request",
            target: Some(&aid),
            before: None,
            after: Some(settings),
        },
    )
    .await?;
    tx.commit().await?;
    s.wake.notify_waiters();
    Ok((StatusCode::ACCEPTED, axum::Json(Created { id: aid })))
}

/// An analysis with what a reanalysis changed.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AnalysisDetail {
    /// The analysis.
    #[serde(flatten)]
    pub analysis: analyses::AnalysisView,
    /// For a reanalysis: what changed against the previous analysis.
    #[schema(value_type = Option<Object>)]
    pub changes: Option<serde_json::Value>,
}

async fn load_analysis(
    s: &AppState,
    user: &crate::db::users::User,
    id: &str,
) -> ApiResult<analyses::AnalysisView> {
    let a = {
        let mut conn = s.db.pool.acquire().await?;
        analyses::get(&mut conn, id).await?
    };
    let a = a.ok_or_else(|| ApiError::NotFound(format!("no analysis {id:?} in your projects")))?;
    load_case(s, user, &a.case_id)
        .await
        .map_err(|_| ApiError::NotFound(format!("no analysis {id:?} in your projects")))?;
    Ok(a)
}

/// Status and progress of an analysis.
#[utoipa::path(get, path = "/api/v1/analyses/{id}", params(("id" = String, Path, description = "analysis id")),
    responses((status = 200, body = AnalysisDetail), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_analysis(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<AnalysisDetail>> {
    let analysis = load_analysis(&s, &user, &id).await?;
    let mut conn = s.db.pool.acquire().await?;
    let changes = reanalysis::change_of(&mut conn, &id).await?;
    Ok(axum::Json(AnalysisDetail { analysis, changes }))
}

/// Report format.
#[derive(Clone, Copy, Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    /// The JSON contract (docs/json-output.md), as `odyssey analyze --format json`.
    #[default]
    Json,
    /// The clinician's HTML report.
    Html,
    /// Ranked genes, TSV.
    Tsv,
}

/// Report query.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct ReportQuery {
    /// `json` (default), `html` or `tsv`.
    pub format: Option<ReportFormat>,
}

/// The report of a finished analysis.
#[utoipa::path(get, path = "/api/v1/analyses/{id}/report",
    params(("id" = String, Path, description = "analysis id"), ReportQuery),
    responses((status = 200, description = "the report", content(
                  (Object = "application/json"), (String = "text/html"), (String = "text/tab-separated-values"))),
              (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "not finished")))]
pub async fn get_report(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Query(q): Query<ReportQuery>,
) -> ApiResult<Response> {
    let a = load_analysis(&s, &user, &id).await?;
    if a.status != "done" {
        return Err(ApiError::Conflict(format!(
            "analysis {id} is {} ({}): no report yet",
            a.status,
            a.error.as_deref().unwrap_or(&a.stage)
        )));
    }
    let json = {
        let mut conn = s.db.pool.acquire().await?;
        analyses::report(&mut conn, &id).await?
    }
    .ok_or_else(|| ApiError::Internal(format!("analysis {id} is done but has no report")))?;
    let format = q.format.unwrap_or_default();
    let (mime, body) = match format {
        ReportFormat::Json => ("application/json", json.into_bytes()),
        other => {
            let fmt = match other {
                ReportFormat::Html => crate::engine::RenderFormat::Html,
                _ => crate::engine::RenderFormat::Tsv,
            };
            let body = tokio::task::spawn_blocking(move || crate::engine::render(&json, fmt))
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .map_err(ApiError::Internal)?;
            let mime = match other {
                ReportFormat::Html => "text/html; charset=utf-8",
                _ => "text/tab-separated-values; charset=utf-8",
            };
            (mime, body)
        }
    };
    Ok(([(header::CONTENT_TYPE, mime)], body).into_response())
}
