//! The case page: the case, its analyses (start one, watch its progress), the ranked genes and
//! variants of the latest analysis with review actions, the full report view (odyssey-report's
//! HTML: term-by-term likelihood ratios, genotypes per family member, why variants were
//! filtered), comments and the audit trail. Actions go through the REST handlers' functions.

use std::collections::BTreeMap;

use axum::extract::{Form, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use super::session::WebUser;
use super::{render, see_other, ser, PageError, PageResult};
use crate::auth::AuthUser;
use crate::db::{analyses, audit, review};
use crate::routes::cases::load_case;
use crate::routes::extract::{Json as ApiJson, Path};
use crate::routes::{analyses as api_analyses, cases as api_cases, review as api_review};
use crate::AppState;
use odyssey_report::model::{AnalysisReport, GeneResult, VariantResult};

/// Genes shown with review actions on the case page.
const GENES_SHOWN: usize = 10;

#[derive(Serialize)]
struct VariantRow {
    key: String,
    hgvs: String,
    consequence: String,
    genotypes: Vec<(String, String)>,
    frequency: String,
    clinvar: Option<String>,
    pathogenicity: String,
    modes: String,
    filter: String,
    review: Option<review::Review>,
}

#[derive(Serialize)]
struct GeneRow {
    rank: usize,
    tie_size: usize,
    symbol: String,
    probability: String,
    modes: String,
    diseases: Vec<String>,
    variants: Vec<VariantRow>,
    review: Option<review::Review>,
}

/// `chrom:pos:ref:alt`, the review target of a variant.
pub fn variant_key(v: &VariantResult) -> String {
    format!("{}:{}:{}:{}", v.chrom, v.pos, v.reference, v.alt)
}

fn variant_row(
    v: &VariantResult,
    reviews: &BTreeMap<(String, String), review::Review>,
) -> VariantRow {
    let key = variant_key(v);
    let hgvs = [v.hgvs_c.as_deref(), v.hgvs_p.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    VariantRow {
        review: reviews.get(&("variant".into(), key.clone())).cloned(),
        key,
        hgvs: match (&v.transcript, hgvs.is_empty()) {
            (Some(t), false) => format!("{t}: {hgvs}"),
            (_, false) => hgvs,
            _ => "–".into(),
        },
        consequence: v.consequence.replace('_', " "),
        genotypes: v
            .genotypes
            .iter()
            .map(|g| (g.label(), g.genotype.clone()))
            .collect(),
        frequency: v
            .allele_frequency
            .map_or("not seen".into(), |f| format!("{f:.2e}")),
        clinvar: v
            .clinvar
            .as_ref()
            .map(|c| format!("{} ({}★)", c.significance, c.stars)),
        pathogenicity: format!("{:.2}", v.pathogenicity),
        modes: v.modes_of_inheritance.join(", "),
        filter: v.filter.clone(),
    }
}

fn gene_row(
    g: &GeneResult,
    report: &AnalysisReport,
    reviews: &BTreeMap<(String, String), review::Review>,
) -> GeneRow {
    GeneRow {
        rank: g.rank,
        tie_size: g.tie_size,
        symbol: g.symbol.clone(),
        probability: odyssey_report::html::format_probability(g.post_test_probability),
        modes: g.modes_of_inheritance.join(", "),
        diseases: g
            .diseases
            .iter()
            .take(3)
            .map(|d| match report.disease_labels.get(d) {
                Some(n) => format!("{n} ({d})"),
                None => d.clone(),
            })
            .collect(),
        variants: g.variants.iter().map(|v| variant_row(v, reviews)).collect(),
        review: reviews.get(&("gene".into(), g.symbol.clone())).cloned(),
    }
}

async fn members(s: &AppState, project: &str) -> Result<Vec<String>, sqlx::Error> {
    let mut conn = s.db.pool.acquire().await?;
    Ok(sqlx::query(
        "SELECT u.name FROM users u JOIN memberships m ON m.user_id = u.id \
         WHERE m.project = $1 ORDER BY u.name",
    )
    .bind(project)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| r.get(0))
    .collect())
}

/// The latest finished report of a case, parsed: (analysis id, report).
async fn latest_report(s: &AppState, id: &str) -> PageResult<Option<(String, AnalysisReport)>> {
    let mut conn = s.db.pool.acquire().await?;
    let Some(aid) = analyses::latest_done(&mut conn, id).await? else {
        return Ok(None);
    };
    let json = analyses::report(&mut conn, &aid).await?.unwrap_or_default();
    let report: AnalysisReport = serde_json::from_str(&json).map_err(|e| {
        PageError::Internal(format!("analysis {aid}: stored report unreadable: {e}"))
    })?;
    Ok(Some((aid, report)))
}

/// `GET /cases/{id}`.
pub async fn page(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> PageResult<Html<String>> {
    let case = load_case(&s, &web.user, &id).await?;
    let (reviews, comments, runs, trail) = {
        let mut conn = s.db.pool.acquire().await?;
        (
            review::for_case(&mut conn, &id).await?,
            review::comments(&mut conn, &id).await?,
            analyses::for_case(&mut conn, &id).await?,
            audit::for_case(&mut conn, &id).await?,
        )
    };
    let by_target: BTreeMap<(String, String), review::Review> = reviews
        .iter()
        .map(|r| ((r.target_kind.clone(), r.target.clone()), r.clone()))
        .collect();
    let latest = latest_report(&s, &id).await?;
    let (genes, warnings, report_info) = match &latest {
        Some((aid, r)) => (
            r.genes
                .iter()
                .take(GENES_SHOWN)
                .map(|g| gene_row(g, r, &by_target))
                .collect::<Vec<_>>(),
            r.warnings.clone(),
            Some(minijinja::context! {
                id => aid, hpo_release => r.odyssey.knowledge_base.hpo_release.clone(),
                annotations_release => r.odyssey.knowledge_base.annotations_release.clone(),
                version => r.odyssey.version.clone(), created => r.odyssey.created.clone(),
                genes => r.genes.len(),
            }),
        ),
        None => (Vec::new(), Vec::new(), None),
    };
    let trail: Vec<_> = trail.iter().rev().map(audit_row).collect();
    render(
        "case.html",
        minijinja::context! {
            title => format!("Case {}", case.label), user => web.user.name, csrf => web.csrf,
            nav => "cases", members => members(&s, &case.project).await?,
            statuses => ser(super::cases::STATUSES), case => ser(&case), runs => ser(&runs),
            latest_run => ser(&runs.first()), genes => ser(&genes), warnings => warnings,
            report => report_info, comments => ser(&comments), trail => trail,
            acmg_classes => ser(ACMG_CLASSES), review_statuses => ser(REVIEW_STATUSES),
            mme => super::mme::section(&s, &id).await?,
        },
    )
}

const ACMG_CLASSES: &[(&str, &str)] = &[
    ("pathogenic", "Pathogenic"),
    ("likely_pathogenic", "Likely pathogenic"),
    ("uncertain_significance", "Uncertain significance"),
    ("likely_benign", "Likely benign"),
    ("benign", "Benign"),
];

const REVIEW_STATUSES: &[(&str, &str)] = &[
    ("candidate", "Candidate"),
    ("causative", "Causative"),
    ("likely_causative", "Likely causative"),
    ("dismissed", "Dismissed"),
];

/// A JSON value for people: strings as they are (checksums shortened to 12 hex digits), arrays
/// joined with commas, objects as `key: value` pairs; bookkeeping fields left out.
fn plain(v: &serde_json::Value) -> String {
    use serde_json::Value;
    match v {
        Value::Null => "–".into(),
        Value::String(s) if s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("{}…", &s[..12])
        }
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(plain).collect::<Vec<_>>().join(", "),
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| {
                !matches!(
                    k.as_str(),
                    "updated_at"
                        | "updated_by"
                        | "id"
                        | "created_at"
                        | "author"
                        | "target_kind"
                        | "target"
                )
            })
            .map(|(k, v)| format!("{}: {}", k.replace('_', " "), plain(v)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn short(v: &Option<serde_json::Value>) -> String {
    v.as_ref().map(plain).unwrap_or_default()
}

fn audit_row(e: &audit::AuditEntry) -> minijinja::Value {
    minijinja::context! {
        at => e.at.replace('T', " ").trim_end_matches('Z').get(..19).unwrap_or(&e.at).to_string(),
        actor => e.actor.clone(), action => e.action.clone(), target => e.target.clone(),
        before => short(&e.before), after => short(&e.after),
    }
}

/// `GET /cases/{id}/report`: the latest analysis as odyssey-report's HTML report.
pub async fn report(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> PageResult<Response> {
    load_case(&s, &web.user, &id).await?;
    let (_, r) = latest_report(&s, &id)
        .await?
        .ok_or_else(|| PageError::NotFound(format!("case {id} has no finished analysis yet")))?;
    let html = odyssey_report::html::render_html(&r, &odyssey_report::html::HtmlOptions::default())
        .map_err(|e| PageError::Internal(format!("report: {e}")))?;
    Ok(Html(html).into_response())
}

/// A form with only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

/// `POST /cases/{id}/run`: queues an analysis.
pub async fn run(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<CsrfOnly>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let _ = api_analyses::start_analysis(State(s), AuthUser(web.user), Path(id.clone())).await?;
    Ok(see_other(&format!("/cases/{id}#analysis")))
}

/// `GET /cases/{id}/progress`: the latest analysis, JSON (`status`, `progress`, `stage`,
/// `error`), or `{"status": "none"}`.
pub async fn progress(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> PageResult<Json<serde_json::Value>> {
    load_case(&s, &web.user, &id).await?;
    let mut conn = s.db.pool.acquire().await?;
    let runs = analyses::for_case(&mut conn, &id).await?;
    Ok(Json(match runs.first() {
        Some(a) => serde_json::json!({
            "id": a.id, "status": a.status, "progress": a.progress, "stage": a.stage, "error": a.error,
        }),
        None => serde_json::json!({ "status": "none" }),
    }))
}

/// The review form of a gene or variant.
#[derive(Deserialize)]
pub struct ReviewForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// `gene` or `variant`.
    pub target_kind: String,
    /// Gene symbol or `chrom:pos:ref:alt`.
    pub target: String,
    /// Review status.
    pub status: String,
    /// ACMG/AMP criteria, separated by commas or spaces.
    #[serde(default)]
    pub acmg_criteria: String,
    /// ACMG/AMP class (empty: none).
    #[serde(default)]
    pub acmg_class: String,
    /// Optional comment about the gene or variant.
    #[serde(default)]
    pub comment: String,
}

fn from_form<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> PageResult<T> {
    serde_json::from_value(v)
        .map_err(|e| PageError::Client(axum::http::StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))
}

/// `POST /cases/{id}/review`: records the decision, then the comment if any.
pub async fn review(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<ReviewForm>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let criteria: Vec<String> = f
        .acmg_criteria
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    let class = (!f.acmg_class.is_empty()).then_some(f.acmg_class.clone());
    let input: api_review::ReviewInput = from_form(serde_json::json!({
        "target_kind": f.target_kind, "target": f.target, "status": f.status,
        "acmg_criteria": criteria, "acmg_class": class,
    }))?;
    let _ = api_review::set_review(
        State(s.clone()),
        AuthUser(web.user.clone()),
        Path(id.clone()),
        ApiJson(input),
    )
    .await?;
    if !f.comment.trim().is_empty() {
        let c: api_review::CommentInput = from_form(serde_json::json!({
            "body": f.comment, "target_kind": f.target_kind, "target": f.target,
        }))?;
        let _ = api_review::add_comment(State(s), AuthUser(web.user), Path(id.clone()), ApiJson(c))
            .await?;
    }
    Ok(see_other(&format!("/cases/{id}#review-saved")))
}

/// A comment on the case.
#[derive(Deserialize)]
pub struct CommentForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Text.
    pub body: String,
}

/// `POST /cases/{id}/comment`.
pub async fn comment(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<CommentForm>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let c: api_review::CommentInput = from_form(serde_json::json!({ "body": f.body }))?;
    let _ =
        api_review::add_comment(State(s), AuthUser(web.user), Path(id.clone()), ApiJson(c)).await?;
    Ok(see_other(&format!("/cases/{id}#comments")))
}

/// Case status and assignee.
#[derive(Deserialize)]
pub struct WorkflowForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Case status.
    pub status: String,
    /// Assignee (empty: nobody).
    #[serde(default)]
    pub assignee: String,
}

/// `POST /cases/{id}/workflow`.
pub async fn workflow(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<WorkflowForm>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let u: api_cases::CaseUpdate =
        from_form(serde_json::json!({ "status": f.status, "assignee": f.assignee }))?;
    let _ =
        api_cases::update_case(State(s), AuthUser(web.user), Path(id.clone()), ApiJson(u)).await?;
    Ok(see_other(&format!("/cases/{id}")))
}
