//! The REST API under `/api/v1`: one module per resource, and the OpenAPI document built from
//! the handlers' annotations.

pub mod admin;
pub mod analyses;
pub mod cases;
pub mod extract;
pub mod health;
pub mod mme;
pub mod review;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, Router};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::ApiError;
use crate::AppState;

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Odyssey workspace API",
        description = "Cases, analyses, review and reanalysis. Authenticate with `Authorization: Bearer TOKEN` (`odyssey users add`)."
    ),
    paths(
        health::health,
        cases::create_case,
        cases::list_cases,
        cases::get_case,
        cases::update_case,
        cases::case_audit,
        review::set_review,
        review::list_reviews,
        review::add_comment,
        analyses::start_analysis,
        analyses::get_analysis,
        analyses::get_report,
        admin::inbox,
        admin::start_reanalysis,
        admin::get_reanalysis,
        mme::get_share,
        mme::share_case,
        mme::withdraw_case,
        mme::query_matches,
        mme::get_matches,
    ),
    components(schemas(analyses::ReportFormat, cases::CaseUpload)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API endpoint (see /api/v1/openapi.json)".into())
}

/// The application: every route, with the upload size limit. Tests call it in-process.
pub fn build_router(state: AppState) -> Router {
    let limit = state.config.max_upload_bytes;
    let api = Router::new()
        .route("/health", get(health::health))
        .route("/openapi.json", get(openapi_json))
        .route(
            "/cases",
            post(cases::create_case)
                .get(cases::list_cases)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .route(
            "/cases/{id}",
            get(cases::get_case).patch(cases::update_case),
        )
        .route("/cases/{id}/audit", get(cases::case_audit))
        .route(
            "/cases/{id}/reviews",
            get(review::list_reviews).put(review::set_review),
        )
        .route("/cases/{id}/comments", post(review::add_comment))
        .route("/cases/{id}/analyses", post(analyses::start_analysis))
        .route("/analyses/{id}", get(analyses::get_analysis))
        .route("/analyses/{id}/report", get(analyses::get_report))
        .route("/inbox", get(admin::inbox))
        .route("/admin/reanalyses", post(admin::start_reanalysis))
        .route("/admin/reanalyses/{id}", get(admin::get_reanalysis))
        // Matchmaker Exchange (routes/mme.rs)
        .route(
            "/cases/{id}/mme",
            get(mme::get_share)
                .post(mme::share_case)
                .delete(mme::withdraw_case),
        )
        .route(
            "/cases/{id}/matches",
            get(mme::get_matches).post(mme::query_matches),
        )
        .fallback(not_found);
    let mme_node = state.mme.clone();
    let app = Router::new()
        .nest("/api/v1", api)
        .merge(crate::pages::router(limit))
        .layer(DefaultBodyLimit::max(1 << 20))
        .with_state(state);
    // `/mme`: the MME node's own router (its own body limit and JSON errors), or a JSON 404
    crate::mme::mount(app, mme_node.as_deref()).layer(tower_http::trace::TraceLayer::new_for_http())
}
