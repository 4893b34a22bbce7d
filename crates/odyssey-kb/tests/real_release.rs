//! The committed HPO 2025-01-16 release (data/hpo/2025-01-16): counts of the compiled
//! knowledge base checked against counts taken a second way, by scanning the raw files
//! line by line with filters written here, and the embedded image checked against a fresh
//! build of the same files.

use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use odyssey_kb::{HpoId, KnowledgeBase, Resolution};

fn release() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/hpo/2025-01-16")
}

fn gunzip(name: &str) -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(release().join(name)).unwrap())
        .read_to_string(&mut s)
        .unwrap();
    s
}

fn built() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::build(&release()).unwrap().0)
}

/// (id, obsolete, alt_ids, replaced_by) per [Term] frame, by plain text scanning.
fn frames(obo: &str) -> Vec<(String, bool, Vec<String>, Option<String>)> {
    let mut out = Vec::new();
    for block in obo.split("\n[").skip(1) {
        if !block.starts_with("Term]") {
            continue;
        }
        let mut id = String::new();
        let (mut obsolete, mut alts, mut repl) = (false, Vec::new(), None);
        for l in block.lines() {
            if let Some(v) = l.strip_prefix("id: ") {
                id = v.trim().to_string();
            } else if l.trim() == "is_obsolete: true" {
                obsolete = true;
            } else if let Some(v) = l.strip_prefix("alt_id: ") {
                alts.push(v.trim().to_string());
            } else if let Some(v) = l.strip_prefix("replaced_by: ") {
                repl = Some(v.trim().to_string());
            }
        }
        out.push((id, obsolete, alts, repl));
    }
    out
}

#[test]
fn counts_agree_with_a_plain_scan() {
    let kb = built();
    let stats = kb.stats();
    let obo = gunzip("hp.obo.gz");
    let fr = frames(&obo);
    let current = fr.iter().filter(|f| !f.1).count();
    assert_eq!(current, 19_034); // 19,484 frames minus 450 obsolete (grep counts of the file)
    assert_eq!(stats.terms, current);

    let hpoa = gunzip("phenotype.hpoa.gz");
    let rows: Vec<Vec<&str>> = hpoa
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').collect())
        .collect();
    let omim: BTreeSet<&str> = rows
        .iter()
        .map(|r| r[0])
        .filter(|d| d.starts_with("OMIM:"))
        .collect();
    let orpha: BTreeSet<&str> = rows
        .iter()
        .map(|r| r[0])
        .filter(|d| d.starts_with("ORPHA:"))
        .collect();
    let not = rows.iter().filter(|r| r[2] == "NOT").count();
    let db = |p: &str| stats.diseases.iter().find(|d| d.0 == p).unwrap().1;
    assert_eq!(db("OMIM"), omim.len());
    assert_eq!(db("ORPHA"), orpha.len());
    assert_eq!(stats.negated_annotations, not);
    assert_eq!(stats.annotations, rows.len());

    // genes: distinct NCBI ids of genes_to_phenotype whose disease has annotations
    let diseases: BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
    let g2p = gunzip("genes_to_phenotype.txt.gz");
    let genes: BTreeSet<&str> = g2p
        .lines()
        .skip(1)
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|f| diseases.contains(f[5]))
        .map(|f| f[0])
        .collect();
    assert_eq!(stats.genes, genes.len());
    println!(
        "terms {current}, OMIM {}, ORPHA {}, NOT {not}, genes {}",
        omim.len(),
        orpha.len(),
        genes.len()
    );
}

#[test]
fn every_alt_and_obsolete_id_maps_as_the_file_says() {
    let kb = built();
    let o = kb.ontology();
    let obo = gunzip("hp.obo.gz");
    let (mut alts, mut replaced) = (0, 0);
    let fr = frames(&obo);
    let alt_of: BTreeSet<String> = fr
        .iter()
        .filter(|f| !f.1)
        .flat_map(|f| f.2.clone())
        .collect();
    for (id, obsolete, alt_ids, repl) in fr {
        if obsolete && alt_of.contains(&id) {
            continue; // also an alt_id of a current term: checked as such (the alt_id wins)
        }
        let id: HpoId = id.parse().unwrap();
        if !obsolete {
            for a in alt_ids {
                let r = o.resolve(a.parse().unwrap()).unwrap();
                assert_eq!(r, Resolution::Alternative(o.index(id).unwrap()), "{a}");
                alts += 1;
            }
        } else if let Some(r) = repl {
            let want = o.index(r.parse().unwrap()).unwrap();
            assert!(
                matches!(o.resolve(id).unwrap(), Resolution::Replaced { term, .. } if term == want),
                "{id}"
            );
            replaced += 1;
        } else {
            assert!(
                matches!(
                    o.resolve(id).unwrap(),
                    Resolution::ObsoleteUnreplaced { .. }
                ),
                "{id}"
            );
        }
    }
    // 3,832 `alt_id:` lines in the file (grep -c); 5 obsolete terms are replaced without also
    // being an alt_id of their replacement
    assert_eq!((alts, replaced), (3832, 5));
}

#[test]
fn gene_disease_links_match_the_file() {
    let kb = built();
    let g2p = gunzip("genes_to_phenotype.txt.gz");
    let mut links: HashMap<&str, BTreeSet<&str>> = HashMap::new();
    for l in g2p.lines().skip(1) {
        let f: Vec<&str> = l.split('\t').collect();
        links.entry(f[1]).or_default().insert(f[5]);
    }
    for symbol in ["FGFR2", "SCN1A", "KMT2D", "AAGAB"] {
        let g = kb.gene_by_symbol(symbol).unwrap();
        let got: BTreeSet<String> = kb
            .gene(g)
            .diseases
            .iter()
            .map(|&d| kb.disease(d).id.to_string())
            .collect();
        let want: BTreeSet<String> = links[symbol].iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "{symbol}");
    }
}

#[test]
fn embedded_image_is_a_build_of_the_committed_release() {
    let embedded = KnowledgeBase::embedded().unwrap();
    let fresh = built();
    assert_eq!(embedded.meta().hpo_release, "2025-01-16");
    assert_eq!(
        embedded.meta().sources,
        fresh.meta().sources,
        "source checksums differ: rebuild data/kb"
    );
    let mut e = embedded.clone();
    let mut f = fresh.clone();
    // the builder version is allowed to differ; everything else must be identical
    e.meta_mut_for_tests().built_with.clear();
    f.meta_mut_for_tests().built_with.clear();
    assert!(
        e == f,
        "the embedded knowledge base differs from a fresh build of data/hpo/2025-01-16: \
        run `odyssey kb build --hpo data/hpo/2025-01-16 -o data/kb/hpo-2025-01-16.odkb --force`"
    );
}

/// The knowledge base as of 2022-01-01 against a second count: every `phenotype.hpoa` row's
/// dates found by plain text scanning (`[` ten characters `]`), compared as strings.
#[test]
fn as_of_build_keeps_the_rows_curated_by_that_date() {
    let hpoa = gunzip("phenotype.hpoa.gz");
    let (mut kept, mut after, mut orpha) = (0, 0, 0);
    let mut diseases = BTreeSet::new();
    for line in hpoa.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        let earliest = f[11]
            .split('[')
            .skip(1)
            .filter_map(|s| s.get(..11).filter(|d| d.ends_with(']')))
            .map(|d| &d[..10])
            .min();
        match earliest {
            Some(d) if d > "2022-01-01" && f[0].starts_with("ORPHA:") => orpha += 1,
            Some(d) if d > "2022-01-01" => after += 1,
            _ => {
                kept += 1;
                diseases.insert(f[0].to_string());
            }
        }
    }
    let date = "2022-01-01".parse().unwrap();
    let (kb, report) = KnowledgeBase::build_as_of(&release(), Some(date)).unwrap();
    let r = report.as_of.unwrap();
    assert_eq!(
        (r.kept, r.dropped_after, r.dropped_orpha),
        (kept, after, orpha)
    );
    assert_eq!(r.undated_kept, 0, "every row of this release is dated");
    // every Orphanet row carries the import date, so none is left
    assert_eq!(
        orpha,
        hpoa.lines().filter(|l| l.starts_with("ORPHA:")).count()
    );
    let got: BTreeSet<String> = kb.diseases().iter().map(|d| d.id.to_string()).collect();
    assert_eq!(got, diseases);
    assert_eq!(kb.meta().annotations_release, "2025-01-16 as of 2022-01-01");
    assert_eq!(kb.meta().hpo_release, "2025-01-16");
    // an older KB is a subset: fewer genes, each of them in the full release
    assert!(kb.genes().len() < built().genes().len());
    assert!(kb
        .genes()
        .iter()
        .all(|g| built().gene_by_id(g.id).is_some()));
}
