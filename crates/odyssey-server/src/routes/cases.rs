//! Cases: upload (multipart), list, read, change status and assignee, and the audit trail.

use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

use crate::analysis::case_label;
use crate::auth::AuthUser;
use crate::db::users::User;
use crate::db::{analyses, audit, cases, new_id, review, users};
use crate::error::{ApiError, ApiResult};
use crate::routes::extract::{Json, Multipart, Path, Query};
use crate::storage::{Blob, BlobWriter};
use crate::AppState;

/// The multipart form of `POST /api/v1/cases`.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct CaseUpload {
    /// Project the case belongs to (the uploader must be a member).
    project: String,
    /// Phenopacket v1/v2 or GA4GH Family, JSON or YAML.
    #[schema(value_type = String, format = Binary)]
    case: Vec<u8>,
    /// VCF (plain, bgzip) or BCF of the proband or family.
    #[schema(value_type = Option<String>, format = Binary)]
    vcf: Option<Vec<u8>>,
    /// PED pedigree.
    #[schema(value_type = Option<String>, format = Binary)]
    ped: Option<Vec<u8>>,
}

/// The id of something created.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Created {
    /// Id.
    pub id: String,
}

struct Upload {
    name: String,
    writer: BlobWriter,
}

#[derive(Default)]
struct Form {
    project: Option<String>,
    case: Option<(String, Vec<u8>)>,
    vcf: Option<Upload>,
    ped: Option<Upload>,
}

impl Form {
    async fn discard(self) {
        for u in [self.vcf, self.ped].into_iter().flatten() {
            u.writer.discard().await;
        }
    }
}

/// Bytes of an uploaded VCF or PED kept to check what it is.
const UPLOAD_HEAD: usize = 8192;

/// Refuses (422, naming the file) an upload that is plainly not what its field says: a VCF must
/// be one by its first bytes as the analysis recognises them (`odyssey::vcf::sniff_format`:
/// VCF text, gzip/BGZF or BCF); a PED's first line that is not blank or a `#` comment must
/// have the 6 columns (family, individual, father, mother, sex, phenotype). The full check is
/// the analysis's, which names the line.
fn check_upload_head(field: &str, file: &str, head: &[u8]) -> ApiResult<()> {
    let bad = |what: &str| Err(ApiError::Unprocessable(format!("{file}: {what}")));
    if field == "vcf" {
        return match odyssey::vcf::sniff_format(head) {
            Some(_) => Ok(()),
            None => bad(odyssey::vcf::NOT_VCF),
        };
    }
    let text = String::from_utf8_lossy(head);
    let mut lines = text.lines();
    if head.len() == UPLOAD_HEAD {
        lines.next_back(); // the last line may be cut
    }
    let first = lines
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    match first {
        None if head.len() < UPLOAD_HEAD => bad("the PED file has no individual"),
        Some((i, l)) if l.split_whitespace().count() < 6 => bad(&format!(
            "line {}: expected 6 columns (family, individual, father, mother, sex, phenotype), found {}",
            i + 1,
            l.split_whitespace().count()
        )),
        _ => Ok(()),
    }
}

/// Largest case document (phenopacket or family) accepted: 20 MB.
const MAX_CASE_DOCUMENT: usize = 20 << 20;

async fn read_form(state: &AppState, Multipart(mut mp): Multipart) -> ApiResult<Form> {
    let mut form = Form::default();
    let res = async {
        while let Some(mut field) = mp.next_field().await? {
            let name = field.name().unwrap_or_default().to_string();
            let file_name = field.file_name().unwrap_or(&name).to_string();
            let dup = || ApiError::BadRequest(format!("form field {name:?} given twice"));
            match name.as_str() {
                "project" => {
                    if form.project.is_some() {
                        return Err(dup());
                    }
                    form.project = Some(field.text().await?.trim().to_string());
                }
                "case" => {
                    if form.case.is_some() {
                        return Err(dup());
                    }
                    let mut bytes = Vec::new();
                    while let Some(chunk) = field.chunk().await? {
                        bytes.extend_from_slice(&chunk);
                        if bytes.len() > MAX_CASE_DOCUMENT {
                            return Err(ApiError::PayloadTooLarge(format!(
                                "the case document is larger than {MAX_CASE_DOCUMENT} bytes"
                            )));
                        }
                    }
                    form.case = Some((file_name, bytes));
                }
                "vcf" | "ped" => {
                    let slot = if name == "vcf" {
                        &mut form.vcf
                    } else {
                        &mut form.ped
                    };
                    if slot.is_some() {
                        return Err(dup());
                    }
                    let mut writer = state.blobs.writer().await?;
                    let mut head = Vec::new();
                    let r = async {
                        while let Some(chunk) = field.chunk().await? {
                            if head.len() < UPLOAD_HEAD {
                                let k = chunk.len().min(UPLOAD_HEAD - head.len());
                                head.extend_from_slice(&chunk[..k]);
                            }
                            writer.write(&chunk).await?;
                        }
                        check_upload_head(&name, &file_name, &head)
                    }
                    .await;
                    if let Err(e) = r {
                        writer.discard().await;
                        return Err(e);
                    }
                    *slot = Some(Upload {
                        name: file_name,
                        writer,
                    });
                }
                other => {
                    return Err(ApiError::BadRequest(format!(
                        "unknown form field {other:?}: expected project, case, vcf, ped"
                    )))
                }
            }
        }
        Ok(())
    }
    .await;
    match res {
        Ok(()) => Ok(form),
        Err(e) => {
            form.discard().await;
            Err(e)
        }
    }
}

fn check_form(user: &User, form: &Form) -> ApiResult<(String, String)> {
    let project = form
        .project
        .clone()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| ApiError::BadRequest("missing form field \"project\"".into()))?;
    if !user.in_project(&project) {
        return Err(ApiError::Forbidden(format!(
            "user {} is not a member of project {project:?}",
            user.name
        )));
    }
    let (name, bytes) = form.case.as_ref().ok_or_else(|| {
        ApiError::BadRequest("missing form field \"case\" (a phenopacket or family file)".into())
    })?;
    let text = std::str::from_utf8(bytes).map_err(|_| {
        ApiError::Unprocessable(format!("{name}: the case document is not UTF-8 text"))
    })?;
    let label = case_label(name, text).map_err(ApiError::Unprocessable)?;
    Ok((project, label))
}

/// Upload a case.
#[utoipa::path(post, path = "/api/v1/cases",
    request_body(content = CaseUpload, content_type = "multipart/form-data"),
    responses(
        (status = 201, body = Created, description = "stored"),
        (status = 400, body = crate::error::ErrorBody), (status = 401, body = crate::error::ErrorBody),
        (status = 403, body = crate::error::ErrorBody), (status = 413, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_case(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<Created>)> {
    let form = read_form(&s, mp).await?;
    let (project, label) = match check_form(&user, &form) {
        Ok(x) => x,
        Err(e) => {
            form.discard().await;
            return Err(e);
        }
    };
    let (case_name, case_bytes) = form.case.expect("checked");
    let case_blob = s.blobs.put(&case_bytes).await?;
    let finish = |u: Option<Upload>| async move {
        match u {
            None => Ok::<_, std::io::Error>(None),
            Some(u) => Ok(Some((u.name, u.writer.finish().await?))),
        }
    };
    let vcf = finish(form.vcf).await?;
    let ped = finish(form.ped).await?;
    let id = new_id("c_");
    let mut tx = s.db.begin_write().await?;
    let blobs: Vec<&Blob> = std::iter::once(&case_blob)
        .chain(vcf.iter().map(|v| &v.1))
        .chain(ped.iter().map(|v| &v.1))
        .collect();
    for b in blobs {
        cases::insert_blob(&mut tx, &b.sha256, b.size).await?;
    }
    let pair = |x: &Option<(String, Blob)>| x.as_ref().map(|(n, b)| (n.clone(), b.sha256.clone()));
    let (vcf_p, ped_p) = (pair(&vcf), pair(&ped));
    cases::insert(
        &mut tx,
        &cases::NewCase {
            id: &id,
            project: &project,
            label: &label,
            case_file: (&case_name, &case_blob.sha256),
            vcf: vcf_p.as_ref().map(|(n, h)| (n.as_str(), h.as_str())),
            ped: ped_p.as_ref().map(|(n, h)| (n.as_str(), h.as_str())),
            created_by: &user.name,
        },
    )
    .await?;
    let after = serde_json::json!({
        "label": label, "case_file": case_name, "case_sha256": case_blob.sha256,
        "vcf": vcf_p, "ped": ped_p,
    });
    audit::record(
        &mut tx,
        audit::Change {
            actor: &user.name,
            project: Some(&project),
            case_id: Some(&id),
            action: "case.create",
            target: None,
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, axum::Json(Created { id })))
}

/// Loads a case the caller may see: 404 when it does not exist or belongs to a project the
/// caller is not a member of (so other projects' case ids are not revealed).
pub async fn load_case(s: &AppState, user: &User, id: &str) -> ApiResult<cases::CaseView> {
    let mut conn = s.db.pool.acquire().await?;
    match cases::get(&mut conn, id).await? {
        Some(c) if user.in_project(&c.project) => Ok(c),
        _ => Err(ApiError::NotFound(format!(
            "no case {id:?} in your projects"
        ))),
    }
}

/// Cases per page of `GET /api/v1/cases` when `limit` is not given.
pub const DEFAULT_PAGE: u32 = 100;
/// Largest `limit` of `GET /api/v1/cases`.
pub const MAX_PAGE: u32 = 1000;

/// Filters and page of the case list.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct CaseFilter {
    /// Only this project.
    pub project: Option<String>,
    /// Only this status (`new`, `in_review`, `solved`, `unsolved`).
    pub status: Option<cases::CaseStatus>,
    /// Cases per page, 1 to 1000 (default 100).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<u32>,
    /// Cases to skip, newest first (default 0).
    #[param(minimum = 0)]
    pub offset: Option<u64>,
}

/// One page of the caller's cases.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CasePage {
    /// The cases of this page, newest first (ties by id).
    pub cases: Vec<cases::CaseView>,
    /// All cases matching the filters.
    pub total: u64,
    /// Page size used.
    pub limit: u32,
    /// Cases skipped.
    pub offset: u64,
    /// Path and query of the next page; null on the last page.
    pub next: Option<String>,
    /// Path and query of the previous page; null on the first page.
    pub previous: Option<String>,
}

/// The link to the page at `offset` with the same filters and page size.
fn page_link(f: &CaseFilter, limit: u32, offset: u64) -> String {
    let mut q = format!("/api/v1/cases?limit={limit}&offset={offset}");
    if let Some(p) = &f.project {
        q.push_str(&format!(
            "&project={}",
            crate::pages::session::url_encode(p)
        ));
    }
    if let Some(st) = f.status {
        q.push_str(&format!("&status={}", st.as_str()));
    }
    q
}

/// The caller's cases, newest first, a page at a time (`limit` default 100, at most 1000;
/// `offset`), with the total and links to the next and previous pages.
#[utoipa::path(get, path = "/api/v1/cases", params(CaseFilter),
    responses((status = 200, body = CasePage), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_cases(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Query(f): Query<CaseFilter>,
) -> ApiResult<axum::Json<CasePage>> {
    let projects = match &f.project {
        Some(p) if user.in_project(p) => vec![p.clone()],
        Some(p) => {
            return Err(ApiError::Forbidden(format!(
                "user {} is not a member of project {p:?}",
                user.name
            )))
        }
        None => user.projects.clone(),
    };
    let limit = f.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit {limit}: expected 1 to {MAX_PAGE}"
        )));
    }
    // offsets beyond i64 cannot be bound by SQL and match nothing anyway
    let offset = f.offset.unwrap_or(0).min(i64::MAX as u64);
    let mut conn = s.db.pool.acquire().await?;
    let (list, total) = cases::list_page(
        &mut conn,
        &projects,
        f.status.map(|s| s.as_str()),
        limit,
        offset,
    )
    .await?;
    let end = offset.saturating_add(list.len() as u64);
    let next = (end < total).then(|| page_link(&f, limit, end));
    let previous = (offset > 0).then(|| page_link(&f, limit, offset.saturating_sub(limit.into())));
    Ok(axum::Json(CasePage {
        cases: list,
        total,
        limit,
        offset,
        next,
        previous,
    }))
}

/// A case with its review, comments and analyses.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseDetail {
    /// The case.
    #[serde(flatten)]
    pub case: cases::CaseView,
    /// Review decisions.
    pub reviews: Vec<review::Review>,
    /// Comments, oldest first.
    pub comments: Vec<review::Comment>,
    /// Analyses, newest first.
    pub analyses: Vec<analyses::AnalysisView>,
}

/// One case.
#[utoipa::path(get, path = "/api/v1/cases/{id}", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = CaseDetail), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_case(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<CaseDetail>> {
    let case = load_case(&s, &user, &id).await?;
    let mut conn = s.db.pool.acquire().await?;
    Ok(axum::Json(CaseDetail {
        reviews: review::for_case(&mut conn, &id).await?,
        comments: review::comments(&mut conn, &id).await?,
        analyses: analyses::for_case(&mut conn, &id).await?,
        case,
    }))
}

/// A change of case status and/or assignee.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseUpdate {
    /// New status.
    pub status: Option<cases::CaseStatus>,
    /// New assignee (a member of the case's project), or `""` to unassign.
    pub assignee: Option<String>,
}

/// Change a case's status or assignee (audited).
#[utoipa::path(patch, path = "/api/v1/cases/{id}", params(("id" = String, Path, description = "case id")),
    request_body = CaseUpdate,
    responses((status = 200, body = cases::CaseView), (status = 400, body = crate::error::ErrorBody),
              (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)))]
pub async fn update_case(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
    Json(u): Json<CaseUpdate>,
) -> ApiResult<axum::Json<cases::CaseView>> {
    load_case(&s, &user, &id).await?;
    let mut tx = s.db.begin_write().await?;
    // re-read inside the transaction: "before" is what this change replaced
    let before = cases::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no case {id:?}")))?;
    let status = u
        .status
        .map_or(before.status.clone(), |s| s.as_str().to_string());
    let assignee = match &u.assignee {
        None => before.assignee.clone(),
        Some(a) if a.is_empty() => None,
        Some(a) => {
            if !users::is_member(&mut tx, a, &before.project).await? {
                return Err(ApiError::Unprocessable(format!(
                    "assignee {a:?} is not a member of project {:?}",
                    before.project
                )));
            }
            Some(a.clone())
        }
    };
    cases::update_workflow(&mut tx, &id, &status, assignee.as_deref()).await?;
    for (action, old, new) in [
        (
            "case.status",
            serde_json::json!(before.status),
            serde_json::json!(status),
        ),
        (
            "case.assignee",
            serde_json::json!(before.assignee),
            serde_json::json!(assignee),
        ),
    ] {
        if old != new {
            audit::record(
                &mut tx,
                audit::Change {
                    actor: &user.name,
                    project: Some(&before.project),
                    case_id: Some(&id),
                    action,
                    target: None,
                    before: Some(old),
                    after: Some(new),
                },
            )
            .await?;
        }
    }
    let after = cases::get(&mut tx, &id)
        .await?
        .ok_or_else(|| ApiError::NotFound(id.clone()))?;
    tx.commit().await?;
    Ok(axum::Json(after))
}

/// The audit trail of a case, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/audit", params(("id" = String, Path, description = "case id")),
    responses((status = 200, body = Vec<audit::AuditEntry>), (status = 401, body = crate::error::ErrorBody),
              (status = 404, body = crate::error::ErrorBody)))]
pub async fn case_audit(
    State(s): State<AppState>,
    AuthUser(user): AuthUser,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<Vec<audit::AuditEntry>>> {
    load_case(&s, &user, &id).await?;
    let mut conn = s.db.pool.acquire().await?;
    Ok(axum::Json(audit::for_case(&mut conn, &id).await?))
}

#[cfg(test)]
mod upload_head_tests {
    use super::check_upload_head;

    #[test]
    fn plainly_wrong_vcf_and_ped_uploads_are_refused() {
        assert!(check_upload_head("vcf", "a.vcf", b"##fileformat=VCFv4.2\n").is_ok());
        assert!(check_upload_head("vcf", "a.vcf.gz", &[0x1f, 0x8b, 8, 4]).is_ok());
        assert!(check_upload_head("vcf", "a.bcf", b"BCF\x02\x02").is_ok());
        let e = check_upload_head("vcf", "bad.vcf", b"not a VCF at all").unwrap_err();
        assert!(e.to_string().contains("bad.vcf: not a VCF"), "{e}");
        // the analysis's own recognition: an empty upload and a lone '#' are not VCFs either
        for head in [&b""[..], b"#"] {
            let e = check_upload_head("vcf", "x.vcf", head).unwrap_err();
            assert!(e.to_string().ends_with(odyssey::vcf::NOT_VCF), "{e}");
        }
        assert!(check_upload_head("ped", "f.ped", b"# comment\nF1 P1 0 0 1 2\n").is_ok());
        let e = check_upload_head("ped", "bad.ped", b"garbage\n").unwrap_err();
        assert!(
            e.to_string()
                .contains("bad.ped: line 1: expected 6 columns"),
            "{e}"
        );
        let e = check_upload_head("ped", "bad.ped", b"# only a comment\n\n").unwrap_err();
        assert!(e.to_string().contains("no individual"), "{e}");
    }
}
