//! HPO term search for the new-case form's search-as-you-type box: `GET /hpo/search?q=…`
//! answers JSON `[{"id": "HP:0001250", "label": "Seizure", "matched": "…"}]` from the knowledge
//! base's term search (name and synonyms; see `odyssey_kb::search` for the ranking).

use std::sync::OnceLock;

use axum::extract::{Query, State};
use axum::Json;
use odyssey_kb::KnowledgeBase;
use serde::{Deserialize, Serialize};

use super::session::WebUser;
use crate::error::ApiError;
use crate::AppState;

/// The knowledge base of the server (`--kb`, or the embedded one), loaded on first use and
/// kept for the life of the process.
fn kb(s: &AppState) -> Result<&'static KnowledgeBase, String> {
    static KB: OnceLock<Result<KnowledgeBase, String>> = OnceLock::new();
    KB.get_or_init(|| match &s.config.kb {
        Some(p) => KnowledgeBase::load(p).map_err(|e| format!("{}: {e}", p.display())),
        None => KnowledgeBase::embedded().map_err(|e| e.to_string()),
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// The search query.
#[derive(Deserialize)]
pub struct SearchQuery {
    /// Words of a term's name or synonym, or an HPO id.
    #[serde(default)]
    pub q: String,
}

/// One hit.
#[derive(Serialize)]
pub struct Hit {
    /// HPO id.
    pub id: String,
    /// Term name.
    pub label: String,
    /// The synonym that matched, when not the name.
    pub synonym: Option<String>,
}

/// `GET /hpo/search?q=`: at most 15 terms, best first.
pub async fn search(
    State(s): State<AppState>,
    _web: WebUser,
    Query(q): Query<SearchQuery>,
) -> Result<Json<Vec<Hit>>, ApiError> {
    let kb = kb(&s).map_err(ApiError::Internal)?;
    let o = kb.ontology();
    let hits = odyssey_kb::search(kb, &q.q, 15)
        .into_iter()
        .map(|h| Hit {
            id: o.id(h.term).to_string(),
            label: o.name(h.term).to_string(),
            synonym: h.via_synonym.then_some(h.matched),
        })
        .collect();
    Ok(Json(hits))
}

/// The current label of an HPO id (alternative and replaced ids resolve to their term).
pub fn label(s: &AppState, id: &str) -> Result<String, String> {
    let kb = kb(s)?;
    let hpo: odyssey_kb::HpoId = id
        .parse()
        .map_err(|_| format!("{id:?} is not an HPO id (HP:0000000)"))?;
    let o = kb.ontology();
    let t = o
        .resolve(hpo)
        .map_err(|e| e.to_string())?
        .term()
        .ok_or_else(|| format!("{id} is obsolete without a replacement"))?;
    Ok(o.name(t).to_string())
}
