//! Terms of a newer HPO release than the knowledge base's: each is mapped to its nearest
//! ancestors that the knowledge base knows, so that a phenopacket written against a newer
//! release loses as little as possible.
//!
//! Built at analysis time from the newer release's `hp.obo` (`odyssey analyze
//! --newer-ontology FILE`, `odyssey bench --newer-ontology FILE`); nothing is stored in the
//! compiled knowledge base, so one `.odkb` serves with any newer release.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use crate::error::{Error, Result};
use crate::id::HpoId;
use crate::obo::{read_obo, OboFile};
use crate::ontology::{Ontology, TermIdx};

/// The map from ids of a newer HPO release, unknown to the knowledge base's release, to their
/// nearest known ancestors.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewerTerms {
    release: String,
    map: HashMap<HpoId, Vec<TermIdx>>,
}

impl NewerTerms {
    /// Reads a newer `hp.obo` (plain or gzip) and maps its terms against `known`.
    ///
    /// Errors: the OBO reader's ([`read_obo`]: file, line), and [`Error::Invalid`] when the
    /// file has no `data-version` release date.
    pub fn read(path: &Path, known: &Ontology) -> Result<NewerTerms> {
        let obo = read_obo(path)?;
        NewerTerms::from_obo(&obo, known, path)
    }

    /// Maps every current term of `obo` whose id (and every `alt_id` of it) `known` does not
    /// know to its nearest known ancestors: walking `is_a` upwards in the newer release, a
    /// branch stops at the first term `known` resolves (current, alternative or replaced id);
    /// of the terms reached, those that are ancestors of another reached term are dropped
    /// (only the most specific are kept), and the rest are sorted by id. Obsolete terms of
    /// the newer release are not mapped. `path` is used in messages.
    ///
    /// Errors: [`Error::Invalid`] when `obo` has no `data-version` release date.
    pub fn from_obo(obo: &OboFile, known: &Ontology, path: &Path) -> Result<NewerTerms> {
        let release = obo.release_date().ok_or_else(|| Error::Invalid {
            path: path.to_path_buf(),
            message: "no data-version with a release date (YYYY-MM-DD): not an HPO release".into(),
        })?;
        let parents: BTreeMap<HpoId, &[HpoId]> = obo
            .terms
            .iter()
            .filter(|t| !t.obsolete)
            .filter_map(|t| Some((t.id?, t.parents.as_slice())))
            .collect();
        let resolve = |id: HpoId| known.resolve(id).ok().and_then(|r| r.term());
        let mut map = HashMap::new();
        for t in obo.terms.iter().filter(|t| !t.obsolete) {
            let Some(id) = t.id else { continue };
            if known.resolve(id).is_ok() {
                continue;
            }
            let reached = nearest_known(id, &parents, &resolve);
            let mut kept: Vec<TermIdx> = reached
                .iter()
                .copied()
                .filter(|&a| {
                    !reached
                        .iter()
                        .any(|&b| b != a && known.is_ancestor_or_self(a, b))
                })
                .collect();
            kept.sort_by_key(|&x| known.id(x));
            kept.dedup();
            if kept.is_empty() {
                continue;
            }
            for alt in t.alt_ids.iter().filter(|a| known.resolve(**a).is_err()) {
                map.insert(*alt, kept.clone());
            }
            map.insert(id, kept);
        }
        Ok(NewerTerms { release, map })
    }

    /// The newer release's date (`YYYY-MM-DD`).
    pub fn release(&self) -> &str {
        &self.release
    }

    /// The nearest known ancestors of an id of the newer release that the knowledge base does
    /// not know (sorted by id, at least one), or `None` when the id is not such an id.
    pub fn ancestors(&self, id: HpoId) -> Option<&[TermIdx]> {
        self.map.get(&id).map(Vec::as_slice)
    }

    /// Number of mapped ids.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no id is mapped.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// The known terms first reached from `id` walking `is_a` upwards (breadth-first, each
/// branch stopping at a known term).
fn nearest_known(
    id: HpoId,
    parents: &BTreeMap<HpoId, &[HpoId]>,
    resolve: &dyn Fn(HpoId) -> Option<TermIdx>,
) -> Vec<TermIdx> {
    let mut seen: HashSet<HpoId> = HashSet::from([id]);
    let mut queue: Vec<HpoId> = parents.get(&id).map(|p| p.to_vec()).unwrap_or_default();
    let mut reached = Vec::new();
    while let Some(p) = queue.pop() {
        if !seen.insert(p) {
            continue;
        }
        match resolve(p) {
            Some(t) => reached.push(t),
            None => queue.extend(parents.get(&p).copied().unwrap_or_default()),
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obo::parse_obo;

    const HEAD: &str = "format-version: 1.2\ndata-version: hp/releases/2025-01-16\n\n";

    fn term(id: &str, name: &str, parents: &[&str]) -> String {
        let mut s = format!("[Term]\nid: {id}\nname: {name}\n");
        for p in parents {
            s.push_str(&format!("is_a: {p}\n"));
        }
        s.push('\n');
        s
    }

    /// A KB ontology: root 1 > 118 > 2 > 3, and 118 > 4.
    fn known() -> Ontology {
        let mut t = HEAD.to_string();
        t += &term("HP:0000001", "All", &[]);
        t += &term("HP:0000118", "Phenotypic abnormality", &["HP:0000001"]);
        t += &term("HP:0000002", "A", &["HP:0000118"]);
        t += &term("HP:0000003", "A1", &["HP:0000002"]);
        t += &term("HP:0000004", "B", &["HP:0000118"]);
        let obo = parse_obo(&t, Path::new("old.obo")).unwrap();
        Ontology::from_obo(&obo, Path::new("old.obo")).unwrap()
    }

    /// The newer release adds 10 under 3, 11 under 10 and 4 (two branches, one through an
    /// unknown term), 12 under 2 and 3 (2 is implied by 3), and 13 with an alt_id.
    fn newer_text() -> String {
        let mut t = HEAD.replace("2025-01-16", "2025-11-24");
        for (id, name, p) in [
            ("HP:0000001", "All", vec![]),
            ("HP:0000118", "Phenotypic abnormality", vec!["HP:0000001"]),
            ("HP:0000002", "A", vec!["HP:0000118"]),
            ("HP:0000003", "A1", vec!["HP:0000002"]),
            ("HP:0000004", "B", vec!["HP:0000118"]),
            ("HP:0000010", "A1x", vec!["HP:0000003"]),
            ("HP:0000011", "A1x and B", vec!["HP:0000010", "HP:0000004"]),
            ("HP:0000012", "A1 or A", vec!["HP:0000002", "HP:0000003"]),
        ] {
            t += &term(id, name, &p);
        }
        t += "[Term]\nid: HP:0000013\nname: B2\nalt_id: HP:0000014\nis_a: HP:0000004\n\n";
        t
    }

    #[test]
    fn maps_unknown_terms_to_nearest_known_ancestors() {
        let k = known();
        let obo = parse_obo(&newer_text(), Path::new("new.obo")).unwrap();
        let n = NewerTerms::from_obo(&obo, &k, Path::new("new.obo")).unwrap();
        assert_eq!(n.release(), "2025-11-24");
        let ids = |id: &str| -> Option<Vec<String>> {
            n.ancestors(id.parse().unwrap())
                .map(|v| v.iter().map(|&t| k.id(t).to_string()).collect())
        };
        // by hand: 10 -> 3; 11 -> {3 via 10, 4}; 12 -> {2, 3} minus 2 (ancestor of 3)
        assert_eq!(ids("HP:0000010"), Some(vec!["HP:0000003".to_string()]));
        assert_eq!(
            ids("HP:0000011"),
            Some(vec!["HP:0000003".to_string(), "HP:0000004".to_string()])
        );
        assert_eq!(ids("HP:0000012"), Some(vec!["HP:0000003".to_string()]));
        assert_eq!(ids("HP:0000014"), Some(vec!["HP:0000004".to_string()]));
        // known ids and ids of neither release are not mapped
        assert_eq!(ids("HP:0000003"), None);
        assert_eq!(ids("HP:0000099"), None);
        assert_eq!(n.len(), 5);
    }

    #[test]
    fn a_file_without_release_date_is_refused() {
        let text = newer_text().replace("data-version: hp/releases/2025-11-24\n", "");
        let obo = parse_obo(&text, Path::new("new.obo")).unwrap();
        let e = NewerTerms::from_obo(&obo, &known(), Path::new("new.obo")).unwrap_err();
        assert!(e.to_string().contains("new.obo"), "{e}");
        assert!(e.to_string().contains("data-version"), "{e}");
    }
}
