//! The server's one error type: each variant maps to an HTTP status and a JSON body
//! `{"message": "…"}`. Internal errors are logged in full and answered with a generic text.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// An error answered to a client.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (a missing field, an unreadable form).
    #[error("{0}")]
    BadRequest(String),
    /// 401: no token, or a token we do not know.
    #[error("missing or unknown API token (send `Authorization: Bearer TOKEN`)")]
    Unauthorized,
    /// 403: authenticated, but not allowed (another project, an admin-only call).
    #[error("{0}")]
    Forbidden(String),
    /// 404: no such thing (or one the caller may not know about).
    #[error("{0}")]
    NotFound(String),
    /// 409: the request conflicts with the current state (e.g. a report not ready yet).
    #[error("{0}")]
    Conflict(String),
    /// 413: the upload is larger than the configured limit.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// 422: well-formed but unusable content (a phenopacket that does not parse, an unknown status).
    #[error("{0}")]
    Unprocessable(String),
    /// 500: a failure on our side; the detail is logged, not shown.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The JSON body of every error answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, for people.
    pub message: String,
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            ApiError::Internal(detail) => {
                tracing::error!(%detail, "internal error");
                "internal error (see the server log)".to_string()
            }
            other => other.to_string(),
        };
        let mut resp = (status, Json(ErrorBody { message })).into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::Internal(format!("database: {e}"))
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> ApiError {
        ApiError::Internal(format!("storage: {e}"))
    }
}

impl From<axum::extract::multipart::MultipartError> for ApiError {
    fn from(e: axum::extract::multipart::MultipartError) -> ApiError {
        match e.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(format!(
                "upload too large: {} (the server's limit is set with --max-upload)",
                e.body_text()
            )),
            _ => ApiError::BadRequest(format!("malformed multipart form: {}", e.body_text())),
        }
    }
}

/// Result of a handler.
pub type ApiResult<T> = Result<T, ApiError>;
