//! The web interface at `/`: server-rendered pages (minijinja templates compiled into the
//! binary) with one small script of our own, nothing fetched from elsewhere.
//!
//! Pages: sign in / sign out ([`signin`]), the case list and a new case ([`cases`], [`new_case`]),
//! the case page with its analysis, review and audit trail ([`case`]), the reanalysis inbox
//! ([`inbox`]) and API tokens ([`tokens`]); `/hpo/search` answers the term box's
//! search-as-you-type ([`hpo`]). The actions call the REST handlers' own functions, so the pages
//! and `/api/v1` record the same audit entries.

pub mod case;
pub mod cases;
pub mod hpo;
pub mod inbox;
pub mod mme;
pub mod new_case;
pub mod session;
pub mod signin;
pub mod tokens;

use std::sync::OnceLock;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use minijinja::Environment;

use crate::error::ApiError;
use crate::AppState;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("signin.html", include_str!("../../templates/signin.html")),
    ("cases.html", include_str!("../../templates/cases.html")),
    (
        "new_case.html",
        include_str!("../../templates/new_case.html"),
    ),
    ("case.html", include_str!("../../templates/case.html")),
    (
        "case_mme.html",
        include_str!("../../templates/case_mme.html"),
    ),
    ("inbox.html", include_str!("../../templates/inbox.html")),
    ("tokens.html", include_str!("../../templates/tokens.html")),
    ("error.html", include_str!("../../templates/error.html")),
];
const CSS: &str = include_str!("../../static/app.css");
const JS: &str = include_str!("../../static/app.js");

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        for (name, src) in TEMPLATES {
            env.add_template(name, src)
                .unwrap_or_else(|e| panic!("embedded template {name} is broken: {e}"));
        }
        env
    })
}

/// Any serializable value as a template value.
pub fn ser<T: serde::Serialize + ?Sized>(v: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(v))
}

/// Renders an embedded template (HTML auto-escaped).
pub fn render(name: &str, ctx: minijinja::Value) -> Result<Html<String>, PageError> {
    env()
        .get_template(name)
        .and_then(|t| t.render(ctx))
        .map(Html)
        .map_err(|e| PageError::Internal(format!("template {name}: {e:#}")))
}

/// An error answered with an HTML page.
#[derive(Debug)]
pub enum PageError {
    /// 400/413/422 and other client errors: the message is shown.
    Client(StatusCode, String),
    /// 403.
    Forbidden(String),
    /// 404.
    NotFound(String),
    /// 500; the detail is logged.
    Internal(String),
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        match e {
            ApiError::NotFound(m) => PageError::NotFound(m),
            ApiError::Forbidden(m) => PageError::Forbidden(m),
            ApiError::Internal(m) => PageError::Internal(m),
            other => PageError::Client(other.status(), other.to_string()),
        }
    }
}

impl From<sqlx::Error> for PageError {
    fn from(e: sqlx::Error) -> PageError {
        PageError::Internal(format!("database: {e}"))
    }
}

impl From<std::io::Error> for PageError {
    fn from(e: std::io::Error) -> PageError {
        PageError::Internal(format!("storage: {e}"))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            PageError::Client(s, m) => (s, m),
            PageError::Forbidden(m) => (StatusCode::FORBIDDEN, m),
            PageError::NotFound(m) => (StatusCode::NOT_FOUND, m),
            PageError::Internal(detail) => {
                tracing::error!(%detail, "internal error (page)");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Internal error (see the server log).".to_string(),
                )
            }
        };
        let body = env()
            .get_template("error.html")
            .and_then(|t| {
                t.render(minijinja::context! {
                    title => status.canonical_reason().unwrap_or("Error"),
                    status => status.as_u16(),
                    message => message.clone(),
                })
            })
            .unwrap_or(message);
        (status, Html(body)).into_response()
    }
}

/// Result of a page handler.
pub type PageResult<T> = Result<T, PageError>;

/// A redirect after a successful form POST (303: the browser follows with GET).
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        CSS,
    )
        .into_response()
}

async fn js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        JS,
    )
        .into_response()
}

async fn favicon() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// The pages' routes (merged at `/` by [`crate::build_router`]).
pub fn router(max_upload: usize) -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/cases") }))
        .route("/static/app.css", get(css))
        .route("/static/app.js", get(js))
        .route("/favicon.ico", get(favicon))
        .route("/signin", get(signin::form).post(signin::submit))
        .route("/signout", post(signin::signout))
        .route("/cases", get(cases::list))
        .route(
            "/cases/new",
            get(new_case::form)
                .post(new_case::submit)
                .layer(DefaultBodyLimit::max(max_upload)),
        )
        .route("/cases/{id}", get(case::page))
        .route("/cases/{id}/report", get(case::report))
        .route("/cases/{id}/run", post(case::run))
        .route("/cases/{id}/progress", get(case::progress))
        .route("/cases/{id}/review", post(case::review))
        .route("/cases/{id}/comment", post(case::comment))
        .route("/cases/{id}/workflow", post(case::workflow))
        .route("/inbox", get(inbox::page))
        .route("/tokens", get(tokens::page).post(tokens::create))
        .route("/tokens/revoke", post(tokens::revoke))
        .route("/hpo/search", get(hpo::search))
        .merge(mme::router())
}
