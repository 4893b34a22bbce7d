//! Review decisions (per gene or variant: status, ACMG/AMP criteria and class) and comments;
//! each change is written with its audit entry in one transaction.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use crate::auth::AuthUser;
use crate::db::review::{self, Comment, Review};
use crate::db::{audit, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::routes::cases::load_case;
use crate::routes::extract::{Json, Path};
use crate::AppState;

/// Kind of reviewed thing.
#[derive(Clone, Copy, Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    /// A gene (HGNC symbol).
    Gene,
    /// A variant (`chrom:pos:ref:alt`).
    Variant,
}

impl TargetKind {
    fn as_str(self) -> &'static str {
        match self {
            TargetKind::Gene => "gene",
            TargetKind::Variant => "variant",
        }
    }
}

/// Review status of a gene or variant.
#[derive(Clone, Copy, Debug, serde::Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Still a candidate.
    Candidate,
    /// Causes the disease.
    Causative,
    /// Likely causes the disease.
    LikelyCausative,
    /// Ruled out.
    Dismissed,
}

/// ACMG/AMP class (Richards et al. 2015, Genet Med 17:405).
#[derive(Clone, Copy, Debug, serde::Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AcmgClass {
    /// Pathogenic.
    Pathogenic,
    /// Likely pathogenic.
    LikelyPathogenic,
    /// Uncertain significance.
    UncertainSignificance,
    /// Likely benign.
    LikelyBenign,
    /// Benign.
    Benign,
}

fn json_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A review decision to record.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// `gene` or `variant`.
    pub target_kind: TargetKind,
    /// HGNC symbol, or `chrom:pos:ref:alt`.
    pub target: String,
    /// Status.
    pub status: ReviewStatus,
    /// ACMG/AMP criteria met, e.g. `["PVS1", "PM2_Supporting"]` (codes of Richards et al.
    /// 2015, optionally with a strength suffix `_VeryStrong`, `_Strong`, `_Moderate`,
    /// `_Supporting`).
    #[serde(default)]
    pub acmg_criteria: Vec<String>,
    /// ACMG/AMP class as the reviewer concluded.
    pub acmg_class: Option<AcmgClass>,
}

/// Whether `c` is an ACMG/AMP criterion code (with an optional strength suffix).
pub fn valid_criterion(c: &str) -> bool {
    let (code, suffix) = match c.split_once('_') {
        Some((a, b)) => (a, Some(b)),
        None => (c, None),
    };
    let max = |prefix: &str| -> Option<u32> {
        match prefix {
            "PVS" => Some(1),
            "PS" => Some(4),
            "PM" => Some(6),
            "PP" => Some(5),
            "BA" => Some(1),
            "BS" => Some(4),
            "BP" => Some(7),
            _ => None,
        }
    };
    let split = code
        .find(|ch: char| ch.is_ascii_digit())
        .unwrap_or(code.len());
    let (prefix, num) = code.split_at(split);
    let ok_code = match (max(prefix), num.parse::<u32>()) {
        (Some(m), Ok(n)) => n >= 1 && n <= m,
        _ => false,
    };
    ok_code
        && suffix.is_none_or(|s| matches!(s, "VeryStrong" | "Strong" | "Moderate" | "Supporting"))
}

fn check_target(kind: TargetKind, t: &str) -> ApiResult<()> {
    let ok = match kind {
        TargetKind::Gene => {
            !t.is_empty()
                && t.len() <= 64
                && t.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._@".contains(c))
        }
        TargetKind::Variant => {
            let p: Vec<&str> = t.split(':').collect();
            p.len() == 4
                && !p[0].is_empty()
                && p[1].parse::<u64>().is_ok_and(|x| x > 0)
                && [p[2], p[3]].iter().all(|a| {
                    !a.is_empty()
                        && a.chars()
                            .all(|c| "ACGTNacgtn*<>.".contains(c) || c.is_ascii_alphanumeric())
                })
        }
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::Unprocessable(format!(
            "invalid {} {t:?}: expected {}",
            kind.as_str(),
            match kind {
                TargetKind::Gene => "an HGNC symbol",
                TargetKind::Variant => "chrom:pos:ref:alt",
            }
        )))
    }
}

/// Record the review of a gene or variant (audited, with the previous decision).
#[utoipa::path(put, path = "/api/v1/cases/{id}/reviews", params(("id" = String, Path, description = "case id")),
    request_body = ReviewInput,
    responses((status = 200, body = Review), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn set_review(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Json(input): Json<ReviewInput>,
) -> ApiResult<axum::Json<Review>> {
    let case = load_case(&s, &user, &id).await?;
    check_target(input.target_kind, &input.target)?;
    if let Some(bad) = input.acmg_criteria.iter().find(|c| !valid_criterion(c)) {
        return Err(ApiError::Unprocessable(format!(
            "unknown ACMG/AMP criterion {bad:?} (expected e.g. PVS1, PS3, PM2_Supporting, BP4)"
        )));
    }
    let kind = input.target_kind.as_str();
    let r = Review {
        target_kind: kind.into(),
        target: input.target.clone(),
        status: json_name(&input.status),
        acmg_criteria: input.acmg_criteria.clone(),
        acmg_class: input.acmg_class.map(|c| json_name(&c)),
        updated_by: user.name.clone(),
        updated_at: now(),
    };
    let mut tx = s.db.begin_write().await?;
    let before = review::get(&mut tx, &id, kind, &input.target).await?;
    review::upsert(&mut tx, &id, &r).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor: &user.name,
            project: Some(&case.project),
            case_id: Some(&id),
            action: "review.set",
            target: Some(&format!("{kind}:{}", input.target)),
            before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
            after: Some(serde_json::to_value(&r).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(axum::Json(r))
}

/// The review decisions of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/reviews", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = Vec<Review>), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_reviews(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<Review>>> {
    load_case(&s, &user, &id).await?;
    let mut conn = s.db.pool.acquire().await?;
    Ok(axum::Json(review::for_case(&mut conn, &id).await?))
}

/// A comment to add.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommentInput {
    /// The text (1 to 20,000 characters).
    pub body: String,
    /// About a gene or variant (optional; with `target`).
    pub target_kind: Option<TargetKind>,
    /// The gene or variant.
    pub target: Option<String>,
}

/// Add a comment to a case, or to one of its genes or variants (audited).
#[utoipa::path(post, path = "/api/v1/cases/{id}/comments", params(("id" = String, Path, description = "case id")),
    request_body = CommentInput,
    responses((status = 201, body = Comment), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_comment(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Json(input): Json<CommentInput>,
) -> ApiResult<(StatusCode, axum::Json<Comment>)> {
    let case = load_case(&s, &user, &id).await?;
    let body = input.body.trim();
    if body.is_empty() || body.chars().count() > 20_000 {
        return Err(ApiError::Unprocessable(
            "a comment needs 1 to 20,000 characters".into(),
        ));
    }
    let target = match (input.target_kind, &input.target) {
        (None, None) => None,
        (Some(k), Some(t)) => {
            check_target(k, t)?;
            Some((k.as_str().to_string(), t.clone()))
        }
        _ => {
            return Err(ApiError::Unprocessable(
                "give both target_kind and target, or neither".into(),
            ))
        }
    };
    let c = Comment {
        id: new_id("m_"),
        target_kind: target.as_ref().map(|t| t.0.clone()),
        target: target.as_ref().map(|t| t.1.clone()),
        author: user.name.clone(),
        body: body.to_string(),
        created_at: now(),
    };
    let mut tx = s.db.begin_write().await?;
    review::add_comment(&mut tx, &id, &c).await?;
    let t = target.map(|(k, t)| format!("{k}:{t}"));
    audit::record(
        &mut tx,
        audit::Change {
            actor: &user.name,
            project: Some(&case.project),
            case_id: Some(&id),
            action: "comment.add",
            target: t.as_deref(),
            before: None,
            after: Some(serde_json::to_value(&c).unwrap_or_default()),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(c)))
}

#[cfg(test)]
mod tests {
    use super::valid_criterion;

    #[test]
    fn acmg_codes() {
        for ok in [
            "PVS1",
            "PS4",
            "PM6",
            "PP5",
            "BA1",
            "BS4",
            "BP7",
            "PM2_Supporting",
            "PVS1_Strong",
        ] {
            assert!(valid_criterion(ok), "{ok}");
        }
        for bad in [
            "PVS2", "PS5", "PM7", "BP8", "PM0", "XX1", "PM2_Weak", "", "PM",
        ] {
            assert!(!valid_criterion(bad), "{bad}");
        }
    }
}
