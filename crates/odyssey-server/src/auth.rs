//! Authentication: `Authorization: Bearer TOKEN` → the [`AuthUser`] extractor. Missing,
//! malformed or unknown tokens are 401; access to a case of another project is decided by
//! [`crate::routes::cases::load_case`] (404, so the existence of other projects' cases is not
//! revealed).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::db::users::{user_by_token, Role, User};
use crate::error::ApiError;
use crate::AppState;

/// The authenticated caller.
pub struct AuthUser(pub User);

impl AuthUser {
    /// 403 unless the caller is an admin.
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.0.role == Role::Admin {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "user {} is not an admin (odyssey users add NAME --role admin)",
                self.0.name
            )))
        }
    }
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ApiError::Unauthorized)?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::Unauthorized)?;
        let mut conn = state.db.pool.acquire().await?;
        match user_by_token(&mut conn, token).await? {
            Some(u) => Ok(AuthUser(u)),
            None => Err(ApiError::Unauthorized),
        }
    }
}
