//! The case list: the user's cases, filtered by project, status and assignee, and searched by
//! case id or label, gene (a ranked gene of the latest analysis, or a reviewed gene) or HPO term
//! (id or label, as written in the case document).

use axum::extract::{Query, State};
use axum::response::Html;
use serde::{Deserialize, Serialize};

use super::session::WebUser;
use super::{render, ser, PageResult};
use crate::db::{analyses, cases, review};
use crate::AppState;

/// Filters and search of the list.
#[derive(Deserialize, Default, Serialize)]
pub struct ListQuery {
    /// Project (empty: all of the user's).
    #[serde(default)]
    pub project: String,
    /// Case status (empty: any).
    #[serde(default)]
    pub status: String,
    /// Assignee user name (empty: anyone; `-` for unassigned).
    #[serde(default)]
    pub assignee: String,
    /// Case id, gene symbol or HPO term (id or words of its label).
    #[serde(default)]
    pub q: String,
    /// Page number, from 1 (empty or not a number: 1).
    #[serde(default)]
    pub page: String,
}

/// Cases per page of the web list.
pub const WEB_PAGE: usize = 50;

/// One row of the list.
#[derive(Serialize)]
struct Row {
    case: cases::CaseView,
    top_gene: Option<String>,
    analysis: Option<String>,
    matched: Option<String>,
}

/// The statuses with their labels for people.
pub const STATUSES: &[(&str, &str)] = &[
    ("new", "New"),
    ("in_review", "In review"),
    ("solved", "Solved"),
    ("unsolved", "Unsolved"),
];

/// Genes of the latest finished analysis, best first.
pub async fn latest_genes(
    conn: &mut sqlx::AnyConnection,
    case_id: &str,
) -> Result<Vec<String>, sqlx::Error> {
    let Some(aid) = analyses::latest_done(&mut *conn, case_id).await? else {
        return Ok(Vec::new());
    };
    let Some(json) = analyses::report(&mut *conn, &aid).await? else {
        return Ok(Vec::new());
    };
    #[derive(Deserialize)]
    struct G {
        symbol: String,
    }
    #[derive(Deserialize)]
    struct R {
        genes: Vec<G>,
    }
    Ok(serde_json::from_str::<R>(&json)
        .map(|r| r.genes.into_iter().map(|g| g.symbol).collect())
        .unwrap_or_default())
}

/// What `q` matched in the case, if anything.
async fn matches(
    s: &AppState,
    conn: &mut sqlx::AnyConnection,
    c: &cases::CaseView,
    genes: &[String],
    q: &str,
) -> Result<Option<String>, sqlx::Error> {
    let ql = q.to_lowercase();
    if c.id.to_lowercase().contains(&ql) || c.label.to_lowercase().contains(&ql) {
        return Ok(Some("case".into()));
    }
    if let Some(g) = genes.iter().find(|g| g.eq_ignore_ascii_case(q)) {
        return Ok(Some(format!("gene {g}")));
    }
    let reviewed = review::for_case(&mut *conn, &c.id).await?;
    if let Some(r) = reviewed.iter().find(|r| r.target.eq_ignore_ascii_case(q)) {
        return Ok(Some(format!("reviewed {} {}", r.target_kind, r.target)));
    }
    // HPO terms: the case document holds term ids and labels
    let text = s
        .blobs
        .read_verified(&c.case_file.sha256)
        .map(|b| String::from_utf8_lossy(&b).to_lowercase())
        .unwrap_or_default();
    if ql.len() >= 3 && text.contains(&ql) {
        return Ok(Some("phenotype".into()));
    }
    Ok(None)
}

/// Position in the list and links to the neighbouring pages (filters kept).
#[derive(Serialize)]
struct Pager {
    /// First and last case shown, 1-based (0, 0 when none).
    first: usize,
    last: usize,
    /// Cases matching the filters.
    total: usize,
    previous: Option<String>,
    next: Option<String>,
}

impl Pager {
    fn new(f: &ListQuery, page: usize, total: usize) -> Pager {
        let first = (page - 1) * WEB_PAGE;
        let last = (first + WEB_PAGE).min(total);
        let link = |p: usize| {
            let params = [
                ("q", f.q.as_str()),
                ("project", f.project.as_str()),
                ("status", f.status.as_str()),
                ("assignee", f.assignee.as_str()),
            ];
            let mut q: Vec<String> = params
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}={}", super::session::url_encode(v)))
                .collect();
            if p > 1 {
                q.push(format!("page={p}"));
            }
            format!("/cases?{}", q.join("&"))
        };
        Pager {
            first: if first < total { first + 1 } else { 0 },
            last: if first < total { last } else { 0 },
            total,
            previous: (page > 1).then(|| link(page - 1)),
            next: (last < total).then(|| link(page + 1)),
        }
    }
}

/// `GET /cases`.
pub async fn list(
    State(s): State<AppState>,
    web: WebUser,
    Query(f): Query<ListQuery>,
) -> PageResult<Html<String>> {
    let projects = if f.project.is_empty() {
        web.user.projects.clone()
    } else {
        web.user
            .projects
            .iter()
            .filter(|p| **p == f.project)
            .cloned()
            .collect()
    };
    let mut conn = s.db.pool.acquire().await?;
    let status = (!f.status.is_empty()).then_some(f.status.as_str());
    let all: Vec<cases::CaseView> = cases::list(&mut conn, &projects, status)
        .await?
        .into_iter()
        .filter(|c| match f.assignee.as_str() {
            "" => true,
            "-" => c.assignee.is_none(),
            a => c.assignee.as_deref() == Some(a),
        })
        .collect();
    let q = f.q.trim();
    let page = f.page.trim().parse::<usize>().unwrap_or(1).max(1);
    // without a search, only the shown page's cases are looked into; a search looks into all
    let (candidates, total) = if q.is_empty() {
        let total = all.len();
        let shown = all.into_iter().skip((page - 1) * WEB_PAGE).take(WEB_PAGE);
        (shown.collect::<Vec<_>>(), Some(total))
    } else {
        (all, None)
    };
    let mut rows = Vec::new();
    for c in candidates {
        let genes = latest_genes(&mut conn, &c.id).await?;
        let matched = if q.is_empty() {
            None
        } else {
            match matches(&s, &mut conn, &c, &genes, q).await? {
                Some(m) => Some(m),
                None => continue,
            }
        };
        let analysis = analyses::for_case(&mut conn, &c.id)
            .await?
            .first()
            .map(|a| a.status.clone());
        rows.push(Row {
            top_gene: genes.first().cloned(),
            analysis,
            matched,
            case: c,
        });
    }
    let total = total.unwrap_or(rows.len());
    if !q.is_empty() {
        rows = rows
            .into_iter()
            .skip((page - 1) * WEB_PAGE)
            .take(WEB_PAGE)
            .collect();
    }
    let pager = Pager::new(&f, page, total);
    let assignees: Vec<String> = {
        let mut a: Vec<String> = rows
            .iter()
            .filter_map(|r| r.case.assignee.clone())
            .collect();
        a.push(web.user.name.clone());
        a.sort();
        a.dedup();
        a
    };
    render(
        "cases.html",
        minijinja::context! {
            title => "Cases", user => web.user.name, csrf => web.csrf, nav => "cases",
            projects => web.user.projects, statuses => ser(STATUSES), assignees => assignees,
            filter => ser(&f), rows => ser(&rows), pager => ser(&pager),
        },
    )
}
