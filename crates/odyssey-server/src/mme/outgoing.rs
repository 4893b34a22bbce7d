//! Outgoing queries: a shared case sent to every `[[outgoing]]` node at once
//! ([`odyssey_mme::MmeClient::query_all`], each node within its own timeout), each node's
//! answer summarised and stored (`mme_queries`), the call audited (`mme.query`).
//!
//! Each returned patient is shown with the node's score (`score.patient`, in [0, 1]) and, to
//! help judge it, two scores computed here on our own knowledge base with the same definitions
//! as our node's answers (`docs/mme.md`): the phenotype similarity of the two HPO profiles and
//! the genotype level of the genes both name. Results are ordered by the node's score, highest
//! first, then by patient id (byte order).

use odyssey_mme::matching::score_profiles;
use odyssey_mme::model::MatchResult;
use odyssey_mme::validate::{self, Level};
use odyssey_mme::{MatchOptions, MatchRequest, NodeOutcome, Patient, PatientProfile};
use serde::{Deserialize, Serialize};

use super::MmeNode;
use crate::db::mme::{self, QueryRow, StoredQuery};
use crate::db::{audit, new_id, now};
use crate::error::{ApiError, ApiResult};
use crate::AppState;

/// The contact of a returned patient.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RemoteContact {
    /// Person or organisation.
    pub name: String,
    /// URL to follow up the match (`mailto:` or `http(s):`).
    pub href: String,
    /// Institution.
    pub institution: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
}

/// One patient a node returned.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RemoteMatch {
    /// 1-based position in this node's results (node's score, then patient id).
    pub rank: usize,
    /// The node's patient score, in [0, 1].
    pub score: f64,
    /// The patient's id at that node.
    pub patient_id: String,
    /// The patient's label at that node, if given.
    pub label: Option<String>,
    /// Who to contact about the match.
    pub contact: RemoteContact,
    /// Gene ids the patient's record names (as given).
    pub genes: Vec<String>,
    /// Genes both our case and this patient name (canonical keys: HGNC symbols when known).
    pub shared_genes: Vec<String>,
    /// Phenotype similarity computed here, in [0, 1] (`None` when our case has no observed
    /// phenotypic-abnormality term).
    pub phenotype_score: Option<f64>,
    /// Genotype level computed here, in [0, 1] (`None` when our case names no gene).
    pub genotype_score: Option<f64>,
    /// The patient record as the node sent it (MME `patient`).
    #[schema(value_type = Object)]
    pub patient: serde_json::Value,
}

/// Why a node gave no results.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeFailure {
    /// `timeout`, `transport`, `status`, `unreadable` or `invalid`.
    pub kind: String,
    /// What happened, for people.
    pub message: String,
}

/// One node's outcome.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NodeMatches {
    /// The node's `[[outgoing]]` name.
    pub node: String,
    /// URL queried.
    pub url: String,
    /// Time to answer, ms (`None` when it did not answer).
    pub elapsed_ms: Option<i64>,
    /// The error, when the node gave no usable answer.
    pub error: Option<NodeFailure>,
    /// Its results, best first (empty on error).
    pub results: Vec<RemoteMatch>,
}

/// The latest query of a case's matches, one entry per node in configuration order.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MatchesView {
    /// Case id.
    pub case_id: String,
    /// Id of the query run (`None`: never queried).
    pub run_id: Option<String>,
    /// When (UTC, RFC 3339).
    pub queried_at: Option<String>,
    /// Who queried.
    pub queried_by: Option<String>,
    /// Per node.
    pub nodes: Vec<NodeMatches>,
}

/// Checks a record against the MME specification before it leaves: 422 naming the fields.
pub fn check_record(case_id: &str, p: &Patient) -> ApiResult<()> {
    let v = serde_json::to_value(p).map_err(|e| ApiError::Internal(e.to_string()))?;
    let violations = validate::patient("patient", &v, Level::Server);
    if violations.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Unprocessable(format!(
            "case {case_id} cannot be sent to Matchmaker Exchange nodes: {}",
            validate::summary(&violations)
        )))
    }
}

/// The node's results summarised against our query patient.
fn summarise(node: &MmeNode, query: &Patient, results: &[MatchResult]) -> Vec<RemoteMatch> {
    let q = PatientProfile::new(query, &node.kb, &node.genes);
    let profiles: Vec<PatientProfile> = results
        .iter()
        .map(|r| PatientProfile::new(&r.patient, &node.kb, &node.genes))
        .collect();
    let ids: Vec<&str> = results.iter().map(|r| r.patient.id.as_str()).collect();
    let options = MatchOptions {
        min_score: 0.0,
        max_results: usize::MAX,
        ..MatchOptions::default()
    };
    let local = score_profiles(&node.kb, &options, &q, &profiles, &ids);
    let mut out: Vec<RemoteMatch> = local
        .into_iter()
        .map(|m| {
            let r = &results[m.candidate];
            let c = &r.patient.contact;
            RemoteMatch {
                rank: 0,
                score: r.score.patient,
                patient_id: r.patient.id.clone(),
                label: r.patient.label.clone(),
                contact: RemoteContact {
                    name: c.name.clone(),
                    href: c.href.clone(),
                    institution: c.institution.clone(),
                    email: c.email.clone(),
                },
                genes: r
                    .patient
                    .genomic_features
                    .iter()
                    .map(|g| g.gene.id.clone())
                    .collect(),
                shared_genes: m.shared_genes,
                phenotype_score: m.phenotype,
                genotype_score: m.genotype,
                patient: serde_json::to_value(&r.patient).unwrap_or_default(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.patient_id.cmp(&b.patient_id))
    });
    for (i, m) in out.iter_mut().enumerate() {
        m.rank = i + 1;
    }
    out
}

fn node_matches(
    node: &MmeNode,
    query: &Patient,
    o: &NodeOutcome,
) -> (NodeMatches, Option<serde_json::Value>) {
    match &o.result {
        Ok(answer) => (
            NodeMatches {
                node: o.node.clone(),
                url: o.url.clone(),
                elapsed_ms: Some(answer.elapsed_ms as i64),
                error: None,
                results: summarise(node, query, &answer.response.results),
            },
            Some(answer.raw.clone()),
        ),
        Err(e) => {
            let kind = serde_json::to_value(e)
                .ok()
                .and_then(|v| v["kind"].as_str().map(str::to_string))
                .unwrap_or_else(|| "error".into());
            (
                NodeMatches {
                    node: o.node.clone(),
                    url: o.url.clone(),
                    elapsed_ms: None,
                    error: Some(NodeFailure {
                        kind,
                        message: e.to_string(),
                    }),
                    results: Vec::new(),
                },
                None,
            )
        }
    }
}

/// Sends `query` (the case's MME record) to every outgoing node, stores each node's outcome
/// and audits the call; the outcomes in configuration order.
pub async fn query_nodes(
    s: &AppState,
    node: &MmeNode,
    project: &str,
    query: Patient,
    user: &str,
) -> ApiResult<MatchesView> {
    let case_id = query.id.clone();
    let request = MatchRequest {
        disclaimer: None,
        terms: None,
        patient: query,
    };
    let outcomes = node.client.query_all(&node.config.outgoing, &request).await;
    let (run_id, at) = (new_id("run_"), now());
    let nodes: Vec<(NodeMatches, Option<serde_json::Value>)> = outcomes
        .iter()
        .map(|o| node_matches(node, &request.patient, o))
        .collect();
    let mut tx = s.db.begin_write().await?;
    for (i, (n, raw)) in nodes.iter().enumerate() {
        mme::insert_query(
            &mut tx,
            &StoredQuery {
                run_id: &run_id,
                case_id: &case_id,
                node: &n.node,
                url: &n.url,
                position: i as i64,
                queried_by: user,
                queried_at: &at,
                elapsed_ms: n.elapsed_ms,
                error: n
                    .error
                    .as_ref()
                    .map(|e| serde_json::to_value(e).unwrap_or_default()),
                results: n
                    .error
                    .is_none()
                    .then(|| serde_json::to_value(&n.results).unwrap_or_default()),
                response: raw.clone(),
            },
        )
        .await?;
    }
    let summary: Vec<serde_json::Value> = nodes
        .iter()
        .map(|(n, _)| match &n.error {
            None => serde_json::json!({ "node": n.node, "results": n.results.len() }),
            Some(e) => serde_json::json!({ "node": n.node, "error": e.message }),
        })
        .collect();
    audit::record(
        &mut tx,
        audit::Change {
            actor: user,
            project: Some(project),
            case_id: Some(&case_id),
            action: "mme.query",
            target: None,
            before: None,
            after: Some(serde_json::json!({ "nodes": summary })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(MatchesView {
        case_id,
        run_id: Some(run_id),
        queried_at: Some(at),
        queried_by: Some(user.to_string()),
        nodes: nodes.into_iter().map(|(n, _)| n).collect(),
    })
}

/// The case's latest stored query (no run: `run_id` `None`, no nodes).
pub fn view(case_id: &str, rows: Vec<QueryRow>) -> MatchesView {
    let first = rows.first().cloned();
    MatchesView {
        case_id: case_id.to_string(),
        run_id: first.as_ref().map(|r| r.run_id.clone()),
        queried_at: first.as_ref().map(|r| r.queried_at.clone()),
        queried_by: first.map(|r| r.queried_by),
        nodes: rows
            .into_iter()
            .map(|r| NodeMatches {
                node: r.node,
                url: r.url,
                elapsed_ms: r.elapsed_ms,
                error: r.error.and_then(|e| serde_json::from_value(e).ok()),
                results: r
                    .results
                    .and_then(|v| serde_json::from_value(v).ok())
                    .unwrap_or_default(),
            })
            .collect(),
    }
}
