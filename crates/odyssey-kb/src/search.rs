//! Term search by name and synonym, for clinicians typing a feature.

use serde::Serialize;

use crate::kb::KnowledgeBase;
use crate::ontology::TermIdx;

/// One search hit.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SearchHit {
    /// The term.
    pub term: TermIdx,
    /// The text that matched (the name or a synonym).
    pub matched: String,
    /// True when a synonym matched rather than the name.
    pub via_synonym: bool,
    /// Match class score: higher is better (see [`search`]).
    pub score: u32,
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// Match class of `text` for the query; 0 when it does not match.
fn class(text: &str, query: &str, qwords: &[String]) -> u32 {
    let t = text.to_lowercase();
    if t == query {
        return 6;
    }
    if t.starts_with(query) {
        return 5;
    }
    let twords = words(&t);
    if qwords.iter().all(|q| twords.iter().any(|w| w == q)) {
        return 4;
    }
    if qwords
        .iter()
        .all(|q| twords.iter().any(|w| w.starts_with(q.as_str())))
    {
        return 3;
    }
    if t.contains(query) {
        return 2;
    }
    0
}

/// Searches current terms by name and synonyms, case-insensitively.
///
/// Ranking, best first: exact text (6), text starts with the query (5), every query word is a
/// word of the text (4), every query word starts a word of the text (3), substring (2). A name
/// match beats a synonym match of the same class; ties go to the term annotated to more
/// diseases (more commonly used), then to the shorter text, then to the lower HPO id. An HPO
/// id (`HP:0001250`) as query returns that term (resolving alternative and obsolete ids).
pub fn search(kb: &KnowledgeBase, query: &str, limit: usize) -> Vec<SearchHit> {
    let o = kb.ontology();
    let q = query.trim().to_lowercase();
    if q.is_empty() {
        return Vec::new();
    }
    if let Ok(id) = query.trim().parse::<crate::id::HpoId>() {
        return o
            .resolve(id)
            .ok()
            .and_then(|r| r.term())
            .map(|t| SearchHit {
                term: t,
                matched: o.name(t).to_string(),
                via_synonym: false,
                score: 7 * 2 + 1,
            })
            .into_iter()
            .collect();
    }
    let qwords = words(&q);
    let mut hits: Vec<SearchHit> = Vec::new();
    for t in o.terms() {
        let mut best: Option<SearchHit> = None;
        let name_class = class(o.name(t), &q, &qwords);
        if name_class > 0 {
            best = Some(SearchHit {
                term: t,
                matched: o.name(t).to_string(),
                via_synonym: false,
                score: name_class * 2 + 1,
            });
        }
        for (text, _) in o.synonyms(t) {
            let c = class(text, &q, &qwords);
            if c > 0 && best.as_ref().is_none_or(|b| c * 2 > b.score) {
                best = Some(SearchHit {
                    term: t,
                    matched: text.to_string(),
                    via_synonym: true,
                    score: c * 2,
                });
            }
        }
        hits.extend(best);
    }
    hits.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(
                kb.diseases_annotated(b.term)
                    .cmp(&kb.diseases_annotated(a.term)),
            )
            .then(a.matched.len().cmp(&b.matched.len()))
            .then(a.term.cmp(&b.term))
    });
    hits.truncate(limit);
    hits
}
