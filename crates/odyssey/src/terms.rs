//! HPO term lookup and search for front ends (`odyssey kb term`, `odyssey kb search`, a
//! server's term picker): plain data, serialisable, no printing.

use odyssey_kb::{HpoId, KnowledgeBase, Resolution, TermIdx};
use serde::Serialize;

use crate::error::{Error, TermProblem};

/// A term's id and name.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermName {
    /// `HP:0001250`.
    pub id: String,
    /// `Seizure`.
    pub name: String,
}

/// One term as people read it. Fields are in alphabetical order, the order of its JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermView {
    /// Number of diseases annotated with the term or a descendant.
    pub annotated_diseases: u32,
    /// Number of direct children.
    pub children: usize,
    /// Definition, when the ontology gives one.
    pub definition: Option<String>,
    /// Information content in nats (−ln of the annotated fraction of diseases).
    pub ic_nats: f64,
    /// Current id.
    pub id: String,
    /// Under Phenotypic abnormality (HP:0000118).
    pub is_phenotype: bool,
    /// Name.
    pub name: String,
    /// How the id asked for led here (`HP:x is an alternative id of HP:y`), if not directly.
    pub note: Option<String>,
    /// Direct parents.
    pub parents: Vec<TermName>,
    /// Synonyms.
    pub synonyms: Vec<String>,
}

/// One search hit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TermHit {
    /// Term id.
    pub id: String,
    /// The text that matched (the name or a synonym).
    pub matched: String,
    /// Term name.
    pub name: String,
    /// True when a synonym matched rather than the name.
    pub via_synonym: bool,
}

/// Looks a term up by id (alternative and obsolete ids are followed to the current term,
/// with a note).
///
/// Errors: [`Error::Term`] for a malformed or unknown id, or an obsolete term without
/// replacement (its message lists the terms the ontology suggests considering).
pub fn term_view(kb: &KnowledgeBase, id: &str) -> Result<TermView, Error> {
    let term_err = |problem, source: Box<dyn std::error::Error + Send + Sync>| Error::Term {
        id: id.to_string(),
        problem,
        source,
    };
    let o = kb.ontology();
    let hpo: HpoId = id
        .parse()
        .map_err(|e| term_err(TermProblem::Malformed, Box::new(e)))?;
    let res = o
        .resolve(hpo)
        .map_err(|e| term_err(TermProblem::Unknown, Box::new(e)))?;
    let t: TermIdx = match &res {
        Resolution::ObsoleteUnreplaced {
            obsolete_name,
            consider,
        } => {
            let c: Vec<String> = consider.iter().map(|c| c.to_string()).collect();
            let c = if c.is_empty() {
                "-".into()
            } else {
                c.join(", ")
            };
            return Err(Error::Request(format!(
                "{hpo} ({obsolete_name}) is obsolete without replacement; consider: {c}"
            )));
        }
        r => r
            .term()
            .ok_or_else(|| Error::Request("unresolvable term".into()))?,
    };
    let note = match &res {
        Resolution::Alternative(_) => Some(format!("{hpo} is an alternative id of {}", o.id(t))),
        Resolution::Replaced { obsolete_name, .. } => Some(format!(
            "{hpo} ({obsolete_name}) is obsolete, replaced by {}",
            o.id(t)
        )),
        _ => None,
    };
    Ok(TermView {
        annotated_diseases: kb.diseases_annotated(t),
        children: o.children(t).len(),
        definition: o.definition(t).map(String::from),
        ic_nats: kb.ic(t) + 0.0, // + 0.0 turns -0 into 0
        id: o.id(t).to_string(),
        is_phenotype: o.is_phenotype(t),
        name: o.name(t).to_string(),
        note,
        parents: o
            .parents(t)
            .iter()
            .map(|&p| TermName {
                id: o.id(p).to_string(),
                name: o.name(p).to_string(),
            })
            .collect(),
        synonyms: o.synonyms(t).map(|s| s.0.to_string()).collect(),
    })
}

/// Terms by name and synonym, best first, at most `limit` (`odyssey_kb::search`'s ranking).
pub fn search_terms(kb: &KnowledgeBase, query: &str, limit: usize) -> Vec<TermHit> {
    let o = kb.ontology();
    odyssey_kb::search(kb, query, limit)
        .into_iter()
        .map(|h| TermHit {
            id: o.id(h.term).to_string(),
            matched: h.matched,
            name: o.name(h.term).to_string(),
            via_synonym: h.via_synonym,
        })
        .collect()
}
