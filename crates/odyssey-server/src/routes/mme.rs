//! Matchmaker Exchange for a case (`docs/mme.md`): share it with the MME nodes (with the
//! contact shown to other centres) or withdraw it, see what is shared, query every outgoing
//! node and read the stored matches. Sharing, withdrawing and querying are audited
//! (`mme.share`, `mme.withdraw`, `mme.query`).
//!
//! A server started without `--mme` answers every call here with 409 and a JSON `message`
//! (the request is valid, the server's configuration does not allow it). Cases of another
//! project are 404, as everywhere in the API.

use axum::extract::State;
use serde::{Deserialize, Serialize};

use crate::auth::AuthUser;
use crate::db::mme::{self as db_mme, Share, ShareContact};
use crate::db::{audit, now};
use crate::error::{ApiError, ApiResult};
use crate::mme::outgoing::{self, MatchesView};
use crate::mme::{self, record};
use crate::routes::cases::load_case;
use crate::routes::extract::{Json, Path};
use crate::AppState;

/// `POST /api/v1/cases/{id}/mme` body.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShareInput {
    /// The contact other centres see with every match of this case.
    pub contact: ShareContact,
}

/// What a case shares with the Matchmaker Exchange.
#[derive(Serialize, utoipa::ToSchema)]
pub struct MmeStatus {
    /// Case id (also the MME patient id other centres see).
    pub case_id: String,
    /// Whether other nodes may match the case now.
    pub shared: bool,
    /// The sharing record (also after a withdrawal), if the case was ever shared.
    pub share: Option<Share>,
    /// The MME patient record other nodes receive, while shared.
    #[schema(value_type = Option<Object>)]
    pub record: Option<serde_json::Value>,
}

/// Longest contact name, institution and href accepted, in bytes.
const MAX_CONTACT_FIELD: usize = 1000;

fn clean_contact(c: ShareContact) -> ApiResult<ShareContact> {
    let c = ShareContact {
        name: c.name.trim().to_string(),
        href: c.href.trim().to_string(),
        institution: c
            .institution
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty()),
    };
    for (field, v) in [
        ("name", c.name.as_str()),
        ("href", c.href.as_str()),
        ("institution", c.institution.as_deref().unwrap_or("")),
    ] {
        if v.len() > MAX_CONTACT_FIELD {
            return Err(ApiError::Unprocessable(format!(
                "contact.{field} is longer than {MAX_CONTACT_FIELD} bytes"
            )));
        }
    }
    if c.name.is_empty() {
        return Err(ApiError::Unprocessable(
            "contact.name must not be empty (the person or team other centres contact)".into(),
        ));
    }
    Ok(c)
}

async fn status(s: &AppState, case_id: &str) -> ApiResult<MmeStatus> {
    let share = {
        let mut conn = s.db.pool.acquire().await?;
        db_mme::get_share(&mut conn, case_id).await?
    };
    let record = match share.as_ref().filter(|sh| sh.active()) {
        Some(sh) => {
            let p = record::case_patient(&s.db, &s.blobs, case_id, record::contact(&sh.contact))
                .await
                .map_err(ApiError::Internal)?;
            Some(serde_json::to_value(p).map_err(|e| ApiError::Internal(e.to_string()))?)
        }
        None => None,
    };
    Ok(MmeStatus {
        case_id: case_id.to_string(),
        shared: share.as_ref().is_some_and(Share::active),
        share,
        record,
    })
}

/// What the case shares with the Matchmaker Exchange.
#[utoipa::path(get, path = "/api/v1/cases/{id}/mme", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = MmeStatus), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "MME not configured")))]
pub async fn get_share(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MmeStatus>> {
    mme::require(&s)?;
    load_case(&s, &user, &id).await?;
    Ok(axum::Json(status(&s, &id).await?))
}

/// Share the case with the Matchmaker Exchange nodes (audited `mme.share`; sharing again
/// replaces the contact). The case's record must follow the MME specification: at least one
/// HPO feature or one gene (422 otherwise, naming the field).
#[utoipa::path(post, path = "/api/v1/cases/{id}/mme", params(("id" = String, Path, description = "case id")),
    request_body = ShareInput,
    responses((status = 200, body = MmeStatus), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "MME not configured"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn share_case(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Json(input): Json<ShareInput>,
) -> ApiResult<axum::Json<MmeStatus>> {
    mme::require(&s)?;
    let case = load_case(&s, &user, &id).await?;
    let contact = clean_contact(input.contact)?;
    let p = record::case_patient(&s.db, &s.blobs, &id, record::contact(&contact))
        .await
        .map_err(ApiError::Internal)?;
    outgoing::check_record(&id, &p)?;
    let mut tx = s.db.begin_write().await?;
    let before = db_mme::get_share(&mut tx, &id).await?.filter(Share::active);
    db_mme::upsert_share(&mut tx, &id, &contact, &user.name, &now()).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor: &user.name,
            project: Some(&case.project),
            case_id: Some(&id),
            action: "mme.share",
            target: None,
            before: before.map(|b| serde_json::json!(b.contact)),
            after: Some(serde_json::json!(contact)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(status(&s, &id).await?))
}

/// Withdraw the case from the Matchmaker Exchange (audited `mme.withdraw`): other nodes no
/// longer match it. 409 when it is not shared.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/mme", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = MmeStatus), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "MME not configured, or the case is not shared")))]
pub async fn withdraw_case(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MmeStatus>> {
    mme::require(&s)?;
    let case = load_case(&s, &user, &id).await?;
    let mut tx = s.db.begin_write().await?;
    let before = db_mme::get_share(&mut tx, &id)
        .await?
        .filter(Share::active)
        .ok_or_else(|| ApiError::Conflict(format!("case {id} is not shared")))?;
    db_mme::withdraw(&mut tx, &id, &user.name, &now()).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor: &user.name,
            project: Some(&case.project),
            case_id: Some(&id),
            action: "mme.withdraw",
            target: None,
            before: Some(serde_json::json!(before.contact)),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(status(&s, &id).await?))
}

/// Query every outgoing node about the case, in parallel, each within its timeout; one node
/// down or slow is reported as that node's error. The results are stored (audited
/// `mme.query`). The case must be shared: the query carries its contact.
#[utoipa::path(post, path = "/api/v1/cases/{id}/matches", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = MatchesView), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "MME not configured, no outgoing node, or the case is not shared"),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn query_matches(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MatchesView>> {
    let node = mme::require(&s)?;
    let case = load_case(&s, &user, &id).await?;
    if node.config.outgoing.is_empty() {
        return Err(ApiError::Conflict(
            "the MME configuration lists no [[outgoing]] node to query".into(),
        ));
    }
    let share = {
        let mut conn = s.db.pool.acquire().await?;
        db_mme::get_share(&mut conn, &id).await?
    }
    .filter(Share::active)
    .ok_or_else(|| {
        ApiError::Conflict(format!(
            "share case {id} first (POST /api/v1/cases/{id}/mme): a query carries the contact \
             other centres see"
        ))
    })?;
    let p = record::case_patient(&s.db, &s.blobs, &id, record::contact(&share.contact))
        .await
        .map_err(ApiError::Internal)?;
    outgoing::check_record(&id, &p)?;
    let view = outgoing::query_nodes(&s, node, &case.project, p, &user.name).await?;
    Ok(axum::Json(view))
}

/// The stored results of the case's latest query (no query yet: `run_id` null, no nodes).
#[utoipa::path(get, path = "/api/v1/cases/{id}/matches", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = MatchesView), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody),
              (status = 409, body = crate::error::ErrorBody, description = "MME not configured")))]
pub async fn get_matches(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MatchesView>> {
    mme::require(&s)?;
    load_case(&s, &user, &id).await?;
    let mut conn = s.db.pool.acquire().await?;
    let rows = db_mme::latest_queries(&mut conn, &id).await?;
    Ok(axum::Json(outgoing::view(&id, rows)))
}
