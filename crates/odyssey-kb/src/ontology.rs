//! The compiled Human Phenotype Ontology: current terms with dense indices, parents, children,
//! the ancestor closure, and a resolver for alternative and obsolete ids.

use serde::{Deserialize, Serialize};

use crate::csr::Csr;
use crate::error::{Error, Result};
use crate::id::HpoId;
use crate::obo::{OboFile, OboTerm, SynonymKind};
use crate::pool::StrPool;

/// A dense index of a current (non-obsolete) term: `0..Ontology::len()`, in HPO id order.
pub type TermIdx = u32;

/// HP:0000001, the root ("All").
pub const ROOT: HpoId = HpoId::new(1);
/// HP:0000118, Phenotypic abnormality: the root of the terms used to describe patients.
pub const PHENOTYPIC_ABNORMALITY: HpoId = HpoId::new(118);
/// HP:0000005, Mode of inheritance.
pub const MODE_OF_INHERITANCE: HpoId = HpoId::new(5);
/// HP:0003674, Onset.
pub const ONSET: HpoId = HpoId::new(3674);

/// How a secondary id maps to a current term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Secondary {
    /// `alt_id` of a current term.
    Alt(TermIdx),
    /// Obsolete, with `replaced_by`.
    Replaced { term: TermIdx, name: String },
    /// Obsolete without replacement; `consider` suggestions.
    Unreplaced { name: String, consider: Vec<HpoId> },
}

/// What [`Ontology::resolve`] found for an id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// A current term.
    Current(TermIdx),
    /// An `alt_id` of the given current term.
    Alternative(TermIdx),
    /// An obsolete term replaced by the given current term.
    Replaced {
        /// The replacement.
        term: TermIdx,
        /// Name of the obsolete term.
        obsolete_name: String,
    },
    /// An obsolete term without replacement.
    ObsoleteUnreplaced {
        /// Name of the obsolete term.
        obsolete_name: String,
        /// `consider` suggestions.
        consider: Vec<HpoId>,
    },
}

impl Resolution {
    /// The current term, unless obsolete without replacement.
    pub fn term(&self) -> Option<TermIdx> {
        match self {
            Resolution::Current(t)
            | Resolution::Alternative(t)
            | Resolution::Replaced { term: t, .. } => Some(*t),
            Resolution::ObsoleteUnreplaced { .. } => None,
        }
    }
}

/// The ontology. Terms are addressed by [`TermIdx`]; [`Ontology::index`] and
/// [`Ontology::resolve`] map ids to indices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ontology {
    ids: Vec<HpoId>,
    names: StrPool,
    definitions: StrPool,
    synonym_text: StrPool,
    synonym_kind: Vec<SynonymKind>,
    synonyms: Csr,
    parents: Csr,
    children: Csr,
    ancestors: Csr,
    depth: Vec<u16>,
    secondary: Vec<(HpoId, Secondary)>,
    phenotype_root: TermIdx,
}

impl Ontology {
    /// Compiles the parsed file: drops obsolete terms (keeping them as secondary ids),
    /// computes children and the reflexive ancestor closure (`is_a` only).
    ///
    /// Errors ([`Error::Malformed`] with the line of the frame): a duplicate id, an `is_a`,
    /// `replaced_by` or `alt_id` pointing to an unknown or obsolete term, a cycle, or a missing
    /// HP:0000118 root.
    pub fn from_obo(obo: &OboFile, path: &std::path::Path) -> Result<Ontology> {
        let current = current_terms(obo, path)?;
        let ids: Vec<HpoId> = current
            .iter()
            .map(|t| t.id.expect("id set by reader"))
            .collect();
        let parents = resolve_parents(&current, &ids, path)?;
        let children = invert(&parents);
        let ancestors = closure(&parents).map_err(|i| {
            Error::malformed(
                path,
                current[i].line,
                "is_a",
                format!("cycle in is_a through {}", ids[i]),
            )
        })?;
        let depth = depths(&parents);
        let secondary = secondary_ids(obo, &ids, path)?;
        let phenotype_root = find(&ids, PHENOTYPIC_ABNORMALITY).ok_or_else(|| Error::Invalid {
            path: path.to_path_buf(),
            message: "no HP:0000118 (Phenotypic abnormality): not the HPO".into(),
        })?;
        let text = TermText::collect(&current);
        Ok(Ontology {
            names: text.names,
            definitions: text.definitions,
            synonym_text: text.synonym_text,
            synonym_kind: text.synonym_kind,
            synonyms: Csr::from_rows(text.synonym_rows),
            parents: Csr::from_rows(parents),
            children: Csr::from_rows(children),
            ancestors: Csr::from_rows(ancestors),
            depth,
            secondary,
            ids,
            phenotype_root,
        })
    }

    /// Number of current terms.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no terms (never for a valid ontology).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The index of a current term id; `None` for alternative, obsolete or unknown ids
    /// (see [`Ontology::resolve`]).
    pub fn index(&self, id: HpoId) -> Option<TermIdx> {
        self.ids.binary_search(&id).ok().map(|i| i as TermIdx)
    }

    /// Maps any id of this release (current, `alt_id`, obsolete) to its current term.
    /// Returns [`Error::UnknownTerm`] for ids the release does not know.
    pub fn resolve(&self, id: HpoId) -> Result<Resolution> {
        if let Some(i) = self.index(id) {
            return Ok(Resolution::Current(i));
        }
        match self.secondary.binary_search_by_key(&id, |(k, _)| *k) {
            Ok(p) => Ok(match &self.secondary[p].1 {
                Secondary::Alt(t) => Resolution::Alternative(*t),
                Secondary::Replaced { term, name } => Resolution::Replaced {
                    term: *term,
                    obsolete_name: name.clone(),
                },
                Secondary::Unreplaced { name, consider } => Resolution::ObsoleteUnreplaced {
                    obsolete_name: name.clone(),
                    consider: consider.clone(),
                },
            }),
            Err(_) => Err(Error::UnknownTerm(id.to_string())),
        }
    }

    /// Number of alternative and obsolete ids known to the resolver.
    pub fn secondary_id_count(&self) -> usize {
        self.secondary.len()
    }

    /// The id of a term.
    pub fn id(&self, t: TermIdx) -> HpoId {
        self.ids[t as usize]
    }

    /// The name (label) of a term.
    pub fn name(&self, t: TermIdx) -> &str {
        self.names.get(t)
    }

    /// The definition, if the term has one.
    pub fn definition(&self, t: TermIdx) -> Option<&str> {
        let d = self.definitions.get(t);
        (!d.is_empty()).then_some(d)
    }

    /// Synonyms of a term with their scope, in file order.
    pub fn synonyms(&self, t: TermIdx) -> impl Iterator<Item = (&str, SynonymKind)> + '_ {
        self.synonyms
            .row(t as usize)
            .iter()
            .map(|&s| (self.synonym_text.get(s), self.synonym_kind[s as usize]))
    }

    /// Direct `is_a` parents, sorted by index.
    pub fn parents(&self, t: TermIdx) -> &[TermIdx] {
        self.parents.row(t as usize)
    }

    /// Direct children, sorted by index.
    pub fn children(&self, t: TermIdx) -> &[TermIdx] {
        self.children.row(t as usize)
    }

    /// All ancestors including the term itself (reflexive-transitive `is_a` closure), sorted by
    /// index.
    pub fn ancestors(&self, t: TermIdx) -> &[TermIdx] {
        self.ancestors.row(t as usize)
    }

    /// True when `a` is `t` or an ancestor of `t`.
    pub fn is_ancestor_or_self(&self, a: TermIdx, t: TermIdx) -> bool {
        self.ancestors(t).binary_search(&a).is_ok()
    }

    /// Length of the shortest `is_a` path to the root.
    pub fn depth(&self, t: TermIdx) -> u16 {
        self.depth[t as usize]
    }

    /// True for terms under HP:0000118 Phenotypic abnormality (the terms that describe a
    /// patient's features, as opposed to inheritance, onset, frequency and modifier terms).
    pub fn is_phenotype(&self, t: TermIdx) -> bool {
        self.is_ancestor_or_self(self.phenotype_root, t)
    }

    /// Index of HP:0000118.
    pub fn phenotype_root(&self) -> TermIdx {
        self.phenotype_root
    }

    /// Iterator over all current term indices.
    pub fn terms(&self) -> impl Iterator<Item = TermIdx> {
        0..self.ids.len() as TermIdx
    }

    /// Total size of the ancestor closure (for statistics).
    pub fn closure_size(&self) -> usize {
        self.ancestors.total()
    }

    /// All descendants of `t` including itself, sorted by index.
    pub fn descendants(&self, t: TermIdx) -> Vec<TermIdx> {
        let mut seen = vec![false; self.len()];
        let mut stack = vec![t];
        let mut out = Vec::new();
        while let Some(x) = stack.pop() {
            if std::mem::replace(&mut seen[x as usize], true) {
                continue;
            }
            out.push(x);
            stack.extend_from_slice(self.children(x));
        }
        out.sort_unstable();
        out
    }

    pub(crate) fn check_rows(&self) -> bool {
        let n = self.len();
        let in_range =
            |c: &Csr| c.len() == n && (0..n).all(|i| c.row(i).iter().all(|&v| (v as usize) < n));
        in_range(&self.parents)
            && in_range(&self.children)
            && in_range(&self.ancestors)
            && self.names.len() == n
            && self.definitions.len() == n
            && self.names.is_valid()
            && self.definitions.is_valid()
            && self.synonym_text.is_valid()
            && self.synonym_kind.len() == self.synonym_text.len()
            && self.synonyms.len() == n
            && (0..n).all(|i| {
                self.synonyms
                    .row(i)
                    .iter()
                    .all(|&s| (s as usize) < self.synonym_kind.len())
            })
            && self.depth.len() == n
            && (self.phenotype_root as usize) < n
            && self.secondary.iter().all(|(_, s)| match s {
                Secondary::Alt(t) | Secondary::Replaced { term: t, .. } => (*t as usize) < n,
                Secondary::Unreplaced { .. } => true,
            })
    }
}

/// The dense index of a current term id in the sorted `ids`.
fn find(ids: &[HpoId], id: HpoId) -> Option<TermIdx> {
    ids.binary_search(&id).ok().map(|i| i as TermIdx)
}

/// The current (non-obsolete) frames sorted by id, after checking that every frame id,
/// obsolete or not, is unique.
///
/// Errors: [`Error::Malformed`] naming the later line of a duplicate id.
fn current_terms<'a>(obo: &'a OboFile, path: &std::path::Path) -> Result<Vec<&'a OboTerm>> {
    let mut all: Vec<(&HpoId, usize)> = obo
        .terms
        .iter()
        .filter_map(|t| t.id.as_ref().map(|id| (id, t.line)))
        .collect();
    all.sort();
    for w in all.windows(2) {
        if w[0].0 == w[1].0 {
            return Err(Error::malformed(
                path,
                w[1].1.max(w[0].1),
                "id",
                format!(
                    "duplicate term id {} (also on line {})",
                    w[1].0,
                    w[1].1.min(w[0].1)
                ),
            ));
        }
    }
    let mut current: Vec<&OboTerm> = obo.terms.iter().filter(|t| !t.obsolete).collect();
    current.sort_by_key(|t| t.id);
    for w in current.windows(2) {
        if w[0].id == w[1].id {
            return Err(Error::malformed(
                path,
                w[1].line,
                "id",
                format!("duplicate term id {}", w[1].id.unwrap()),
            ));
        }
    }
    Ok(current)
}

/// Per current term, the sorted distinct indices of its `is_a` parents.
///
/// Errors: [`Error::Malformed`] when a parent is not a current term.
fn resolve_parents(
    current: &[&OboTerm],
    ids: &[HpoId],
    path: &std::path::Path,
) -> Result<Vec<Vec<TermIdx>>> {
    let mut parents = Vec::with_capacity(ids.len());
    for t in current {
        let mut ps = Vec::new();
        for p in &t.parents {
            let pi = find(ids, *p).ok_or_else(|| {
                Error::malformed(
                    path,
                    t.line,
                    "is_a",
                    format!(
                        "{} has parent {p}, which is not a current term",
                        t.id.unwrap()
                    ),
                )
            })?;
            ps.push(pi);
        }
        ps.sort_unstable();
        ps.dedup();
        parents.push(ps);
    }
    Ok(parents)
}

/// Children lists from parent lists (each child list in increasing term order).
fn invert(parents: &[Vec<TermIdx>]) -> Vec<Vec<TermIdx>> {
    let mut children = vec![Vec::new(); parents.len()];
    for (i, ps) in parents.iter().enumerate() {
        for &p in ps {
            children[p as usize].push(i as TermIdx);
        }
    }
    children
}

/// Depth of each term: the length of its shortest `is_a` path to a root (0 for a root).
fn depths(parents: &[Vec<TermIdx>]) -> Vec<u16> {
    let mut depth = vec![0u16; parents.len()];
    for &i in &topo_order(parents) {
        depth[i] = parents[i]
            .iter()
            .map(|&p| depth[p as usize] + 1)
            .min()
            .unwrap_or(0);
    }
    depth
}

/// Checks that the `alt_id` `alt` of the current term `t` names no other term: neither a
/// current term's own id nor an `alt_id` of another current term (`claimed`: alt_id -> the
/// claiming term's id), so every id resolves to one term (issue 13).
///
/// Errors: [`Error::Malformed`] naming the `alt_id` line's term and the other term.
fn alt_claim(
    obo: &OboFile,
    ids: &[HpoId],
    claimed: &mut std::collections::HashMap<HpoId, HpoId>,
    (t, alt): (&OboTerm, HpoId),
    path: &std::path::Path,
) -> Result<()> {
    let id = t.id.unwrap();
    if find(ids, alt).is_some() {
        let other = obo.terms.iter().find(|x| x.id == Some(alt) && !x.obsolete);
        return Err(Error::malformed(
            path,
            t.line,
            "alt_id",
            format!(
                "{alt} is an alt_id of {id} but also the id of the current term {:?} (line {}): an id must name one term",
                other.map_or("", |x| x.name.as_str()),
                other.map_or(0, |x| x.line)
            ),
        ));
    }
    if let Some(first) = claimed.insert(alt, id) {
        return Err(Error::malformed(
            path,
            t.line,
            "alt_id",
            format!("{alt} is an alt_id of both {first} and {id}: an id must name one term"),
        ));
    }
    Ok(())
}

/// The secondary ids sorted by id: obsolete frames (replaced or not) and the `alt_id`s of
/// current terms; an id claimed both ways resolves as the current term's `alt_id`.
///
/// Errors: [`Error::Malformed`] when `replaced_by` names no current term.
fn secondary_ids(
    obo: &OboFile,
    ids: &[HpoId],
    path: &std::path::Path,
) -> Result<Vec<(HpoId, Secondary)>> {
    let mut secondary = Vec::new();
    let mut claimed = std::collections::HashMap::new();
    for t in &obo.terms {
        let id = t.id.unwrap();
        if t.obsolete {
            let entry = match t.replaced_by {
                Some(r) => Secondary::Replaced {
                    term: find(ids, r).ok_or_else(|| {
                        Error::malformed(
                            path,
                            t.line,
                            "replaced_by",
                            format!("{id} is replaced by {r}, which is not a current term"),
                        )
                    })?,
                    name: t.name.clone(),
                },
                None => Secondary::Unreplaced {
                    name: t.name.clone(),
                    consider: t.consider.clone(),
                },
            };
            secondary.push((id, entry));
        }
        for a in &t.alt_ids {
            if t.obsolete {
                continue;
            }
            alt_claim(obo, ids, &mut claimed, (t, *a), path)?;
            secondary.push((*a, Secondary::Alt(find(ids, id).unwrap())));
        }
    }
    // An id can be both an obsolete frame and an alt_id of a current term (e.g. HP:0000284
    // in 2025-01-16); the current term's alt_id claim wins.
    secondary.sort_by_key(|(id, s)| (*id, !matches!(s, Secondary::Alt(_))));
    secondary.dedup_by_key(|(id, _)| *id);
    Ok(secondary)
}

/// Names, definitions and synonyms of the current terms, in term order.
struct TermText {
    names: StrPool,
    definitions: StrPool,
    synonym_text: StrPool,
    synonym_kind: Vec<SynonymKind>,
    synonym_rows: Vec<Vec<u32>>,
}

impl TermText {
    fn collect(current: &[&OboTerm]) -> TermText {
        let (mut names, mut definitions, mut synonym_text) =
            (StrPool::default(), StrPool::default(), StrPool::default());
        let mut synonym_kind = Vec::new();
        let mut synonym_rows = Vec::with_capacity(current.len());
        for t in current {
            names.push(&t.name);
            definitions.push(t.definition.as_deref().unwrap_or(""));
            let row: Vec<u32> = t
                .synonyms
                .iter()
                .map(|s| {
                    synonym_kind.push(s.kind);
                    synonym_text.push(&s.text)
                })
                .collect();
            synonym_rows.push(row);
        }
        TermText {
            names,
            definitions,
            synonym_text,
            synonym_kind,
            synonym_rows,
        }
    }
}

/// Topological order (parents before children); assumes no cycle.
fn topo_order(parents: &[Vec<TermIdx>]) -> Vec<usize> {
    let n = parents.len();
    let mut state = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        state[start] = 1;
        while let Some((node, k)) = stack.pop() {
            if k < parents[node].len() {
                stack.push((node, k + 1));
                let p = parents[node][k] as usize;
                if state[p] == 0 {
                    state[p] = 1;
                    stack.push((p, 0));
                }
            } else {
                state[node] = 2;
                order.push(node);
            }
        }
    }
    order
}

/// Reflexive-transitive closure over parents; `Err(i)` if term `i` lies on a cycle.
fn closure(parents: &[Vec<TermIdx>]) -> std::result::Result<Vec<Vec<TermIdx>>, usize> {
    let n = parents.len();
    // cycle check by iterative DFS colouring
    let mut color = vec![0u8; n];
    for start in 0..n {
        if color[start] != 0 {
            continue;
        }
        let mut stack = vec![(start, 0usize)];
        color[start] = 1;
        while let Some(&mut (node, ref mut k)) = stack.last_mut() {
            if *k < parents[node].len() {
                let p = parents[node][*k] as usize;
                *k += 1;
                match color[p] {
                    0 => {
                        color[p] = 1;
                        stack.push((p, 0));
                    }
                    1 => return Err(p),
                    _ => {}
                }
            } else {
                color[node] = 2;
                stack.pop();
            }
        }
    }
    let mut out: Vec<Vec<TermIdx>> = vec![Vec::new(); n];
    for i in topo_order(parents) {
        let mut a: Vec<TermIdx> = vec![i as TermIdx];
        for &p in &parents[i] {
            a.extend_from_slice(&out[p as usize]);
        }
        a.sort_unstable();
        a.dedup();
        out[i] = a;
    }
    Ok(out)
}
