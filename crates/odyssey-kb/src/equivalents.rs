//! One disease, several ids: the MONDO exact matches (`skos:exactMatch`) between MONDO, OMIM
//! and Orphanet, so that an OMIM and an Orphanet entry of one condition are known to be one
//! entity.
//!
//! Source: the MONDO mapping sets `mondo_exactmatch_omim.sssom.tsv` and
//! `mondo_exactmatch_orphanet.sssom.tsv` (monarch-initiative/mondo release 2026-08-04, CC0),
//! reduced by `scripts/mondo-equivalents.py` to `data/mondo-equivalents.tsv.gz` in this crate
//! (one line per MONDO id: `MONDO:n`, OMIM ids, ORPHA ids). The file is compiled into the
//! library and attached to every knowledge base when it is built or loaded (parsed once per
//! process, a few milliseconds), not stored in the `.odkb`.
//!
//! Entities: diseases of the knowledge base that share a MONDO id are one entity (taken
//! transitively, so two MONDO ids linked by a shared OMIM or Orphanet id are one entity too).
//! The entity's **representative** is its OMIM disease with the lowest number, else its
//! ORPHA disease with the lowest number (OMIM entries are the diagnoses phenopacket-store and
//! most laboratories report).

use std::collections::HashMap;
use std::io::Read;

use crate::disease::{Disease, DiseaseIdx};
use crate::id::{DiseaseDb, DiseaseId};

/// The compiled mapping file (gzip).
pub static MONDO_EQUIVALENTS: &[u8] = include_bytes!("../data/mondo-equivalents.tsv.gz");

/// Equivalent ids and entity representatives of the diseases of one knowledge base.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Equivalents {
    /// MONDO release of the mappings (`YYYY-MM-DD`).
    pub(crate) release: String,
    /// Per disease (knowledge-base order): its other ids (MONDO, then OMIM, then ORPHA, each
    /// ascending), empty when it has none.
    pub(crate) ids: Vec<Vec<String>>,
    /// Per disease: the representative of its entity (itself when alone).
    pub(crate) representative: Vec<DiseaseIdx>,
}

/// A disease id of the mapping file (`OMIM:n`, `ORPHA:n`, `MONDO:n`) as (namespace, number),
/// namespaces ordered MONDO < OMIM < ORPHA.
fn sort_key(id: &str) -> (u8, u64) {
    let (ns, num) = id.split_once(':').unwrap_or((id, "0"));
    let rank = match ns {
        "MONDO" => 0,
        "OMIM" => 1,
        _ => 2,
    };
    (rank, num.parse().unwrap_or(u64::MAX))
}

/// The mapping file parsed (once per process for the embedded file): its release and its
/// rows (the ids of one MONDO line: the MONDO id, then its OMIM and ORPHA ids), with an index
/// from each parsable disease id to the rows that name it.
struct Table {
    release: String,
    rows: Vec<Vec<String>>,
    by_id: HashMap<DiseaseId, Vec<usize>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let release = text
            .lines()
            .take_while(|l| l.starts_with('#'))
            .find_map(|l| {
                let i = l.find("release ")?;
                l.get(i + 8..i + 18).map(str::to_string)
            })
            .unwrap_or_default();
        let mut rows = Vec::new();
        let mut by_id: HashMap<DiseaseId, Vec<usize>> = HashMap::new();
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(mondo), Some(omim), Some(orpha)) = (cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            if !mondo.starts_with("MONDO:") {
                continue;
            }
            let all: Vec<String> = std::iter::once(mondo)
                .chain(omim.split(',').chain(orpha.split(',')))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            for id in all.iter().filter_map(|id| id.parse::<DiseaseId>().ok()) {
                let v = by_id.entry(id).or_default();
                if v.last() != Some(&rows.len()) {
                    v.push(rows.len());
                }
            }
            rows.push(all);
        }
        Table {
            release,
            rows,
            by_id,
        }
    }

    /// The equivalents of `diseases` (sorted by id): only the rows naming one of them are
    /// visited, so a small knowledge base costs microseconds.
    fn resolve(&self, diseases: &[Disease]) -> Equivalents {
        let index = |id: &str| -> Option<DiseaseIdx> {
            let id: DiseaseId = id.parse().ok()?;
            diseases
                .binary_search_by_key(&id, |d| d.id)
                .ok()
                .map(|i| i as DiseaseIdx)
        };
        let n = diseases.len();
        let mut parent: Vec<DiseaseIdx> = (0..n as DiseaseIdx).collect();
        let mut ids = vec![Vec::new(); n];
        for (d, disease) in diseases.iter().enumerate() {
            let Some(rows) = self.by_id.get(&disease.id) else {
                continue;
            };
            let mut names: Vec<String> = Vec::new();
            for &r in rows {
                let all = &self.rows[r];
                let members: Vec<DiseaseIdx> = all.iter().filter_map(|id| index(id)).collect();
                for w in members.windows(2) {
                    union(&mut parent, w[0], w[1]);
                }
                names.extend(all.iter().cloned());
            }
            let own = disease.id.to_string();
            names.retain(|s| *s != own);
            names.sort_by_key(|s| sort_key(s));
            names.dedup();
            ids[d] = names;
        }
        // representative per entity: lowest OMIM, else lowest ORPHA (diseases are sorted
        // by id, OMIM before ORPHA, so the first member visited is the representative)
        let mut rep_of_root: HashMap<DiseaseIdx, DiseaseIdx> = HashMap::new();
        let mut representative = vec![0; n];
        for d in 0..n as DiseaseIdx {
            let r = find(&mut parent, d);
            let best = *rep_of_root.entry(r).or_insert(d);
            let better = |a: DiseaseIdx, b: DiseaseIdx| {
                let rank = |x: DiseaseIdx| match diseases[x as usize].id.db {
                    DiseaseDb::Omim => 0,
                    DiseaseDb::Orpha => 1,
                    DiseaseDb::Decipher => 2,
                };
                (rank(a), a) < (rank(b), b)
            };
            if better(d, best) {
                rep_of_root.insert(r, d);
            }
        }
        for d in 0..n as DiseaseIdx {
            let r = find(&mut parent, d);
            representative[d as usize] = rep_of_root[&r];
        }
        Equivalents {
            release: self.release.clone(),
            ids,
            representative,
        }
    }
}

impl Equivalents {
    /// Builds the table for `diseases` (sorted by id, as in the knowledge base) from the
    /// mapping file's text. Lines starting with `#` and the `mondo` header are skipped;
    /// malformed lines are skipped too (the compiled file has none; a unit test checks it).
    pub fn from_text(text: &str, diseases: &[Disease]) -> Equivalents {
        Table::parse(text).resolve(diseases)
    }

    /// The table from the compiled mapping file, decompressed and parsed once per process
    /// (about 5 ms; each knowledge base built or loaded afterwards only visits the rows
    /// naming its diseases).
    pub fn embedded(diseases: &[Disease]) -> Equivalents {
        static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
        TABLE
            .get_or_init(|| {
                let mut text = String::new();
                // the compiled file is valid gzip UTF-8 (checked by a unit test)
                let _ = flate2::read::GzDecoder::new(MONDO_EQUIVALENTS).read_to_string(&mut text);
                Table::parse(&text)
            })
            .resolve(diseases)
    }
}

fn find(parent: &mut [DiseaseIdx], mut x: DiseaseIdx) -> DiseaseIdx {
    while parent[x as usize] != x {
        let p = parent[x as usize];
        parent[x as usize] = parent[p as usize];
        x = p;
    }
    x
}

fn union(parent: &mut [DiseaseIdx], a: DiseaseIdx, b: DiseaseIdx) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn disease(id: &str) -> Disease {
        Disease {
            id: id.parse().unwrap(),
            name: id.into(),
            annotations: Vec::new(),
            inheritance: Vec::new(),
            genes: Vec::new(),
        }
    }

    #[test]
    fn entities_and_representatives_by_hand() {
        // sorted as in a knowledge base: OMIM, then ORPHA
        let ds: Vec<Disease> = [
            "OMIM:100100",
            "OMIM:200200",
            "OMIM:300300",
            "ORPHA:5",
            "ORPHA:7",
            "ORPHA:9",
        ]
        .iter()
        .map(|s| disease(s))
        .collect();
        ds.windows(2).for_each(|w| assert!(w[0].id < w[1].id));
        let text = "# source: x release 2026-08-04, y\nmondo\tomim\torpha\n\
                    MONDO:0000002\tOMIM:200200\tORPHA:7\n\
                    MONDO:0000003\t\tORPHA:7,ORPHA:9\n\
                    MONDO:0000004\tOMIM:999999\tORPHA:5\n\
                    MONDO:0000005\tOMIM:300300\t\n";
        let e = Equivalents::from_text(text, &ds);
        assert_eq!(e.release, "2026-08-04");
        // OMIM:200200, ORPHA:7 and ORPHA:9 are one entity through MONDO:2 and MONDO:3
        assert_eq!(e.representative, vec![0, 1, 2, 3, 1, 1]);
        assert_eq!(e.ids[1], ["MONDO:0000002", "ORPHA:7"]);
        assert_eq!(
            e.ids[4],
            ["MONDO:0000002", "MONDO:0000003", "OMIM:200200", "ORPHA:9"]
        );
        // an OMIM id absent from the KB is still listed as an equivalent id
        assert_eq!(e.ids[3], ["MONDO:0000004", "OMIM:999999"]);
        assert_eq!(e.ids[2], ["MONDO:0000005"]);
        assert!(e.ids[0].is_empty());
    }

    /// The row index (only the rows naming a disease of the knowledge base are visited)
    /// gives what a scan of every row gives (the method used before the index), on the
    /// embedded knowledge base and the compiled file.
    #[test]
    fn the_row_index_gives_what_a_scan_of_every_row_gives() {
        let kb = crate::KnowledgeBase::embedded().unwrap();
        let diseases = &kb.diseases;
        let mut text = String::new();
        flate2::read::GzDecoder::new(MONDO_EQUIVALENTS)
            .read_to_string(&mut text)
            .unwrap();
        // the scan: every row, every id parsed and looked up
        let n = diseases.len();
        let mut parent: Vec<DiseaseIdx> = (0..n as DiseaseIdx).collect();
        let mut names: Vec<Vec<String>> = vec![Vec::new(); n];
        for line in text.lines().filter(|l| l.starts_with("MONDO:")) {
            let all: Vec<&str> = line.split(['\t', ',']).filter(|s| !s.is_empty()).collect();
            let members: Vec<DiseaseIdx> = all
                .iter()
                .filter_map(|id| {
                    let id: DiseaseId = id.parse().ok()?;
                    diseases.binary_search_by_key(&id, |d| d.id).ok()
                })
                .map(|i| i as DiseaseIdx)
                .collect();
            for &m in &members {
                names[m as usize].extend(all.iter().map(|s| s.to_string()));
                union(&mut parent, members[0], m);
            }
        }
        let e = Equivalents::embedded(diseases);
        assert_eq!(e.release, "2026-08-04");
        let mut linked = 0;
        for d in 0..n {
            let own = diseases[d].id.to_string();
            let mut want: Vec<String> = names[d].iter().filter(|s| **s != own).cloned().collect();
            want.sort_by_key(|s| sort_key(s));
            want.dedup();
            assert_eq!(e.ids[d], want, "{own}");
            linked += usize::from(!want.is_empty());
            // same entity as its representative, and two diseases of one entity share it
            let r = e.representative[d] as usize;
            assert_eq!(
                find(&mut parent, d as DiseaseIdx),
                find(&mut parent, r as DiseaseIdx)
            );
        }
        for (a, disease) in diseases.iter().enumerate() {
            let ra = find(&mut parent, a as DiseaseIdx);
            assert_eq!(
                e.representative[a], e.representative[ra as usize],
                "{}",
                disease.id
            );
        }
        assert!(linked > 5_000, "{linked} diseases with an equivalent id");
    }

    #[test]
    fn the_compiled_file_is_well_formed() {
        let mut text = String::new();
        flate2::read::GzDecoder::new(MONDO_EQUIVALENTS)
            .read_to_string(&mut text)
            .unwrap();
        let mut rows = 0;
        for l in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 3, "{l}");
            assert!(c[0].starts_with("MONDO:"), "{l}");
            assert!(c[1]
                .split(',')
                .all(|x| x.is_empty() || x.starts_with("OMIM:")));
            assert!(c[2]
                .split(',')
                .all(|x| x.is_empty() || x.starts_with("ORPHA:")));
            rows += 1;
        }
        // zcat | awk: 16,234 MONDO ids with an OMIM or Orphanet exact match
        assert_eq!(rows, 16_234);
        assert!(text.contains("release 2026-08-04"));
    }
}
