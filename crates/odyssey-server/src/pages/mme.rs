//! The case page's "Matchmaker Exchange" section (`templates/case_mme.html`): share or
//! withdraw the case with its contact, query the nodes, and the stored matches per node with
//! each node's error. The forms call the REST handlers of [`crate::routes::mme`], so the page
//! and `/api/v1` write the same audit entries.

use axum::extract::{Form, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use serde::{Deserialize, Serialize};

use super::case::CsrfOnly;
use super::session::WebUser;
use super::{see_other, ser, PageResult};
use crate::auth::AuthUser;
use crate::db::mme::{self as db_mme, ShareContact};
use crate::mme::outgoing;
use crate::routes::extract::{Json as ApiJson, Path};
use crate::routes::mme as api_mme;
use crate::AppState;

/// The section's routes (merged into the pages' router).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases/{id}/mme/share", post(share))
        .route("/cases/{id}/mme/withdraw", post(withdraw))
        .route("/cases/{id}/mme/query", post(query))
}

#[derive(Serialize)]
struct MatchRow {
    rank: usize,
    score: String,
    patient_id: String,
    genes: String,
    shared_genes: String,
    phenotype: String,
    contact: String,
    institution: Option<String>,
    /// Only `http:`, `https:` and `mailto:` links are made clickable.
    link: Option<String>,
    href: String,
}

#[derive(Serialize)]
struct NodeRow {
    node: String,
    error: Option<String>,
    elapsed_ms: Option<i64>,
    results: Vec<MatchRow>,
}

fn safe_link(href: &str) -> Option<String> {
    let lower = href.to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
        .then(|| href.to_string())
}

fn node_rows(view: &outgoing::MatchesView) -> Vec<NodeRow> {
    let two = |x: Option<f64>| x.map_or("–".to_string(), |v| format!("{v:.2}"));
    view.nodes
        .iter()
        .map(|n| NodeRow {
            node: n.node.clone(),
            error: n.error.as_ref().map(|e| e.message.clone()),
            elapsed_ms: n.elapsed_ms,
            results: n
                .results
                .iter()
                .map(|m| MatchRow {
                    rank: m.rank,
                    score: format!("{:.2}", m.score),
                    patient_id: m.patient_id.clone(),
                    genes: m.genes.join(", "),
                    shared_genes: m.shared_genes.join(", "),
                    phenotype: two(m.phenotype_score),
                    contact: m.contact.name.clone(),
                    institution: m.contact.institution.clone(),
                    link: safe_link(&m.contact.href),
                    href: m.contact.href.clone(),
                })
                .collect(),
        })
        .collect()
}

/// The section's template values: `configured` false without `--mme`; otherwise the share,
/// the outgoing node names and the latest stored matches.
pub async fn section(s: &AppState, case_id: &str) -> PageResult<minijinja::Value> {
    let Some(node) = s.mme.as_deref() else {
        return Ok(minijinja::context! { configured => false });
    };
    let (share, rows) = {
        let mut conn = s.db.pool.acquire().await?;
        (
            db_mme::get_share(&mut conn, case_id).await?,
            db_mme::latest_queries(&mut conn, case_id).await?,
        )
    };
    let view = outgoing::view(case_id, rows);
    let node_rows = node_rows(&view);
    let has_results = node_rows.iter().any(|n| !n.results.is_empty());
    let nodes: Vec<String> = node
        .config
        .outgoing
        .iter()
        .map(|o| o.name.clone())
        .collect();
    Ok(minijinja::context! {
        configured => true,
        shared => share.as_ref().is_some_and(|s| s.active()),
        share => ser(&share),
        outgoing => nodes,
        queried_at => view.queried_at.clone(),
        queried_by => view.queried_by.clone(),
        nodes => ser(&node_rows),
        has_results => has_results,
    })
}

/// The share form.
#[derive(Deserialize)]
pub struct ShareForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Contact name.
    #[serde(default)]
    pub name: String,
    /// Contact URL (`mailto:` or `https:`).
    #[serde(default)]
    pub href: String,
    /// Institution (optional).
    #[serde(default)]
    pub institution: String,
}

/// `POST /cases/{id}/mme/share`.
pub async fn share(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<ShareForm>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let input = api_mme::ShareInput {
        contact: ShareContact {
            name: f.name,
            href: f.href,
            institution: Some(f.institution),
        },
    };
    let _ = api_mme::share_case(
        State(s),
        AuthUser(web.user),
        Path(id.clone()),
        ApiJson(input),
    )
    .await?;
    Ok(see_other(&format!("/cases/{id}#mme")))
}

/// `POST /cases/{id}/mme/withdraw`.
pub async fn withdraw(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<CsrfOnly>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let _ = api_mme::withdraw_case(State(s), AuthUser(web.user), Path(id.clone())).await?;
    Ok(see_other(&format!("/cases/{id}#mme")))
}

/// `POST /cases/{id}/mme/query`: queries every outgoing node (waits for the answers, each
/// node within its timeout).
pub async fn query(
    State(s): State<AppState>,
    web: WebUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    Form(f): Form<CsrfOnly>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let _ = api_mme::query_matches(State(s), AuthUser(web.user), Path(id.clone())).await?;
    Ok(see_other(&format!("/cases/{id}#mme-matches")))
}

#[cfg(test)]
mod tests {
    use super::safe_link;

    #[test]
    fn only_web_and_mail_links_are_clickable() {
        assert_eq!(
            safe_link("mailto:a@b.org").as_deref(),
            Some("mailto:a@b.org")
        );
        assert_eq!(
            safe_link("HTTPS://b.org/x").as_deref(),
            Some("HTTPS://b.org/x")
        );
        assert_eq!(safe_link("javascript:alert(1)"), None);
        assert_eq!(safe_link("data:text/html,x"), None);
    }
}
