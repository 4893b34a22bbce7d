//! The MME endpoints as an axum router: `POST /match`, `GET /heartbeat`, `GET /metrics`
//! (search-api.md, heartbeat-api.md, metrics-api.md), to be nested under `/mme`.
//!
//! Every endpoint needs an `X-Auth-Token` listed in the configuration's `[[incoming]]`
//! (401 otherwise). `POST /match` takes `Content-Type:
//! application/vnd.ga4gh.matchmaker.v1.x+json` (406 with `supportedVersions` for another
//! major version, 415 for another media type), a body of at most
//! [`NodeSettings::max_body_bytes`] (413), valid JSON (400) that follows the specification
//! (422, every violation named in `errors`). Every error body is JSON with a `message`.

use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use odyssey_kb::KnowledgeBase;
use serde::Serialize;

use crate::backend::{MatchBackend, MatchEvent};
use crate::config::MmeConfig;
use crate::genes::GeneResolver;
use crate::matching::{score_profiles, MatchOptions};
use crate::media::{self, ContentType};
use crate::metrics::{self, Counters};
use crate::model::{
    ErrorBody, Heartbeat, HeartbeatResponse, MatchRequest, MatchResponse, MatchResult,
    MetricsResponse, Score, SUPPORTED_VERSIONS,
};
use crate::profile::PatientProfile;
use crate::validate::{self, Level};

/// The header carrying the token.
pub const AUTH_HEADER: &str = "x-auth-token";

/// Settings of this node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeSettings {
    /// Heartbeat `production`.
    pub production: bool,
    /// Heartbeat `version` (software version).
    pub version: String,
    /// Disclaimer sent with every answer.
    pub disclaimer: Option<String>,
    /// Terms sent with every answer.
    pub terms: Option<String>,
    /// Largest accepted `POST /match` body, bytes (default 1 MiB).
    pub max_body_bytes: usize,
    /// Matching settings (default: w = 0.5, results scoring at least 0.05, at most 50).
    pub matching: MatchOptions,
    /// Most `features` and most `genomicFeatures` a query may list (default 500 and 100;
    /// more is answered with a 422), bounding the matching work of one request.
    pub max_features: (usize, usize),
}

impl Default for NodeSettings {
    fn default() -> Self {
        NodeSettings {
            production: true,
            version: format!("odyssey {}", env!("CARGO_PKG_VERSION")),
            disclaimer: None,
            terms: None,
            max_body_bytes: 1 << 20,
            matching: MatchOptions {
                min_score: 0.05,
                max_results: 50,
                ..MatchOptions::default()
            },
            max_features: (500, 100),
        }
    }
}

/// Everything the handlers need; cheap to clone.
#[derive(Clone)]
pub struct MmeState {
    inner: Arc<Inner>,
}

struct Inner {
    backend: Arc<dyn MatchBackend>,
    config: MmeConfig,
    kb: Arc<KnowledgeBase>,
    genes: GeneResolver,
    settings: NodeSettings,
    counters: Mutex<Counters>,
}

impl MmeState {
    /// State over a backend, the node configuration (its `[[incoming]]` tokens are checked),
    /// the knowledge base and settings; genes are resolved with [`GeneResolver::from_kb`].
    pub fn new(
        backend: Arc<dyn MatchBackend>,
        config: MmeConfig,
        kb: Arc<KnowledgeBase>,
        settings: NodeSettings,
    ) -> Self {
        let genes = GeneResolver::from_kb(&kb);
        Self::with_genes(backend, config, kb, settings, genes)
    }

    /// As [`MmeState::new`] with a given gene resolver (e.g. one that knows Ensembl ids).
    pub fn with_genes(
        backend: Arc<dyn MatchBackend>,
        config: MmeConfig,
        kb: Arc<KnowledgeBase>,
        settings: NodeSettings,
        genes: GeneResolver,
    ) -> Self {
        MmeState {
            inner: Arc::new(Inner {
                backend,
                config,
                kb,
                genes,
                settings,
                counters: Mutex::new(Counters::default()),
            }),
        }
    }

    /// The request counters so far.
    pub fn counters(&self) -> Counters {
        self.inner
            .counters
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

/// The router: `POST /match`, `GET /heartbeat`, `GET /metrics`; JSON 404/405 otherwise, JSON
/// 500 if a handler panics. Nest it: `Router::new().nest("/mme", mme_router(state))`.
pub fn mme_router(state: MmeState) -> Router {
    Router::new()
        .route("/match", post(match_handler))
        .route("/heartbeat", get(heartbeat_handler))
        .route("/metrics", get(metrics_handler))
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed: POST /match, GET /heartbeat, GET /metrics".into(),
            )
        })
        .fallback(|| async {
            error(
                StatusCode::NOT_FOUND,
                "not found: the MME endpoints are POST /match, GET /heartbeat, GET /metrics".into(),
            )
        })
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            error(StatusCode::INTERNAL_SERVER_ERROR, "internal error".into())
        }))
        .with_state(state)
}

fn json_response<T: Serialize>(status: StatusCode, media: &str, body: &T) -> Response {
    let bytes =
        serde_json::to_vec(body).unwrap_or_else(|_| b"{\"message\":\"internal error\"}".to_vec());
    let mut r = (status, bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(media) {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

fn error(status: StatusCode, message: String) -> Response {
    json_response(
        status,
        "application/json",
        &ErrorBody {
            message,
            ..ErrorBody::default()
        },
    )
}

fn not_acceptable(message: String) -> Response {
    let body = ErrorBody {
        message,
        supported_versions: SUPPORTED_VERSIONS.iter().map(|s| s.to_string()).collect(),
        ..ErrorBody::default()
    };
    json_response(
        StatusCode::NOT_ACCEPTABLE,
        &media::latest_media_type(),
        &body,
    )
}

/// The node name of the request's token, or the 401 answer.
fn authenticate(state: &MmeState, headers: &HeaderMap) -> Result<String, Response> {
    let token = headers.get(AUTH_HEADER).and_then(|v| v.to_str().ok());
    match token {
        None => Err(error(
            StatusCode::UNAUTHORIZED,
            "missing X-Auth-Token header".into(),
        )),
        Some(t) => state
            .inner
            .config
            .incoming_node(t)
            .map(str::to_string)
            .ok_or_else(|| error(StatusCode::UNAUTHORIZED, "unknown X-Auth-Token".into())),
    }
}

/// Checks headers and reads the body; the minor API version and the body, or the answer.
async fn read_match_body(
    state: &MmeState,
    headers: &HeaderMap,
    body: Body,
) -> Result<(u32, Bytes), Response> {
    let header_str = |h| headers.get(h).and_then(|v: &HeaderValue| v.to_str().ok());
    let minor = match media::content_type(header_str(header::CONTENT_TYPE)) {
        ContentType::V1(minor) => minor,
        ContentType::OtherVersion(v) => {
            return Err(not_acceptable(format!(
                "unsupported API version {v}; supported: {}",
                SUPPORTED_VERSIONS.join(", ")
            )))
        }
        ContentType::Other => {
            return Err(error(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "Content-Type must be {} (any v1.x)",
                    crate::model::media_type(0)
                ),
            ))
        }
    };
    if !media::accepts_v1(header_str(header::ACCEPT)) {
        return Err(not_acceptable(
            "the Accept header allows no MME v1.x answer".into(),
        ));
    }
    let limit = state.inner.settings.max_body_bytes;
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("request body larger than {limit} bytes"),
        )
    };
    if header_str(header::CONTENT_LENGTH)
        .and_then(|l| l.parse::<usize>().ok())
        .is_some_and(|l| l > limit)
    {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())?;
    Ok((minor, bytes))
}

/// Parses and validates a match request body.
fn parse_request(bytes: &[u8], max_features: (usize, usize)) -> Result<MatchRequest, Response> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        error(
            StatusCode::BAD_REQUEST,
            format!("request body is not JSON: {e}"),
        )
    })?;
    let mut violations = validate::request(&value, Level::Server);
    for (key, max) in [
        ("features", max_features.0),
        ("genomicFeatures", max_features.1),
    ] {
        let n = value["patient"][key].as_array().map_or(0, Vec::len);
        if n > max {
            violations.push(validate::Violation {
                field: format!("patient.{key}"),
                problem: format!("this node accepts at most {max} entries, found {n}"),
            });
        }
    }
    if !violations.is_empty() {
        let body = ErrorBody {
            message: format!(
                "request does not follow the MME specification: {}",
                validate::summary(&violations)
            ),
            errors: violations,
            ..ErrorBody::default()
        };
        return Err(json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            "application/json",
            &body,
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        error(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("request does not follow the MME specification: {e}"),
        )
    })
}

async fn match_handler(State(state): State<MmeState>, headers: HeaderMap, body: Body) -> Response {
    let node = match authenticate(&state, &headers) {
        Ok(n) => n,
        Err(r) => return r,
    };
    let (minor, bytes) = match read_match_body(&state, &headers, body).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let request = match parse_request(&bytes, state.inner.settings.max_features) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let inner = &state.inner;
    let test = request.patient.test;
    let shared = match inner.backend.shared_patients(Some(&request.patient)).await {
        Ok(ps) => ps
            .into_iter()
            .filter(|p| test || !p.test)
            .collect::<Vec<_>>(),
        Err(e) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the shared cases could not be read: {e}"),
            )
        }
    };
    let st = state.clone();
    let query = request.patient;
    let scored = tokio::task::spawn_blocking(move || {
        let i = &st.inner;
        let q = PatientProfile::new(&query, &i.kb, &i.genes);
        let profiles: Vec<PatientProfile> = shared
            .iter()
            .map(|p| PatientProfile::new(p, &i.kb, &i.genes))
            .collect();
        let ids: Vec<&str> = shared.iter().map(|p| p.id.as_str()).collect();
        let scored = score_profiles(&i.kb, &i.settings.matching, &q, &profiles, &ids);
        (query, shared, scored)
    })
    .await;
    let (query, mut shared, scored) = match scored {
        Ok(x) => x,
        Err(_) => return error(StatusCode::INTERNAL_SERVER_ERROR, "matching failed".into()),
    };
    let mut genes_matched: Vec<String> = scored
        .iter()
        .flat_map(|m| m.shared_genes.iter().cloned())
        .collect();
    genes_matched.sort();
    genes_matched.dedup();
    let event = MatchEvent {
        node,
        query_patient_id: query.id.clone(),
        test,
        api_version: format!("1.{minor}"),
        results: scored
            .iter()
            .map(|m| (m.patient_id.clone(), m.score))
            .collect(),
        genes_matched: genes_matched.clone(),
    };
    if let Err(e) = inner.backend.record(&event).await {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the request could not be recorded: {e}"),
        );
    }
    {
        let mut c = inner.counters.lock().unwrap_or_else(|e| e.into_inner());
        if test {
            c.test_requests += 1;
            c.test_matches_sent += scored.len() as u64;
        } else {
            c.requests += 1;
            c.matches_sent += scored.len() as u64;
            c.genes_matched.extend(genes_matched);
        }
    }
    let results = scored
        .iter()
        .map(|m| MatchResult {
            score: Score { patient: m.score },
            patient: std::mem::take(&mut shared[m.candidate]),
        })
        .collect();
    let response = MatchResponse {
        disclaimer: inner.settings.disclaimer.clone(),
        terms: inner.settings.terms.clone(),
        results,
    };
    json_response(StatusCode::OK, &media::answer_media_type(minor), &response)
}

async fn heartbeat_handler(State(state): State<MmeState>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&state, &headers) {
        return r;
    }
    let s = &state.inner.settings;
    let body = HeartbeatResponse {
        heartbeat: Heartbeat {
            production: s.production,
            version: s.version.clone(),
            accept: (0..=1).map(crate::model::media_type).collect(),
        },
        disclaimer: s.disclaimer.clone(),
    };
    json_response(StatusCode::OK, "application/json", &body)
}

async fn metrics_handler(State(state): State<MmeState>, headers: HeaderMap) -> Response {
    if let Err(r) = authenticate(&state, &headers) {
        return r;
    }
    let inner = &state.inner;
    let patients = match inner.backend.shared_patients(None).await {
        Ok(ps) => ps,
        Err(e) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("the shared cases could not be read: {e}"),
            )
        }
    };
    let counters = state.counters();
    let body = MetricsResponse {
        metrics: metrics::compute(&patients, &inner.genes, &counters, metrics::today()),
        disclaimer: inner.settings.disclaimer.clone(),
        terms: inner.settings.terms.clone(),
    };
    json_response(StatusCode::OK, "application/json", &body)
}
