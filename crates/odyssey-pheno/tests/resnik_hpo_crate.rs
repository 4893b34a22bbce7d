//! Resnik best-match average against an independent implementation, the `hpo` crate
//! (0.12), loaded from the same committed HPO 2025-01-16 files. The `hpo` crate computes its
//! own information content (over OMIM diseases, in f32); Odyssey's fast path is given those
//! IC values, so the comparison checks the ontology closure, the MICA and the BMA.

use std::io::Read;
use std::path::Path;

use hpo::similarity::{GroupSimilarity, Resnik, StandardCombiner};
use hpo::term::{HpoGroup, InformationContentKind};
use hpo::{HpoSet, Ontology};
use odyssey_kb::{HpoId, KnowledgeBase};
use odyssey_pheno::*;

#[test]
fn bma_matches_the_hpo_crate() {
    let release = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/hpo/2025-01-16");
    let tmp = tempfile::tempdir().unwrap();
    for name in ["hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"] {
        let mut s = String::new();
        flate2::read::GzDecoder::new(
            std::fs::File::open(release.join(format!("{name}.gz"))).unwrap(),
        )
        .read_to_string(&mut s)
        .unwrap();
        std::fs::write(tmp.path().join(name), s).unwrap();
    }
    let hpo = Ontology::from_standard(tmp.path().to_str().unwrap()).unwrap();
    let kb = KnowledgeBase::embedded().unwrap();
    let o = kb.ontology();
    // the hpo crate's OMIM IC for every Odyssey term
    let ic: Vec<f64> = o
        .terms()
        .map(|t| {
            hpo.hpo(o.id(t).number())
                .map_or(0.0, |x| f64::from(x.information_content().omim_disease()))
        })
        .collect();
    // Phenomizer's symmetric average is the hpo crate's FunSimAvg (½ mean row max + ½ mean column max)
    let sim = GroupSimilarity::new(
        StandardCombiner::FunSimAvg,
        Resnik::new(InformationContentKind::Omim),
    );
    let group = |terms: &[odyssey_kb::TermIdx]| -> HpoGroup {
        terms
            .iter()
            .map(|&t| hpo::HpoTermId::from(o.id(t).number()))
            .collect()
    };
    // query sets: well-known combinations
    let queries: Vec<Vec<u32>> = vec![
        vec![1250, 1263, 252],  // seizure, global developmental delay, microcephaly
        vec![1166, 1083, 2616], // arachnodactyly, ectopia lentis, aortic root aneurysm
        vec![7530, 45059],      // punctate palmoplantar hyperkeratosis, hyperkeratotic papule
        vec![2187, 1344, 1252, 2069], // profound ID, absent speech, hypotonia, bilateral tonic-clonic seizure
    ];
    let s = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let mut scratch = Scratch::default();
    let mut compared = 0;
    for q in &queries {
        let terms: Vec<TermInput> = q
            .iter()
            .map(|&n| TermInput {
                id: HpoId::new(n).to_string(),
                label: None,
                excluded: false,
            })
            .collect();
        let case = Case::resolve(
            &CaseInput {
                id: "q".into(),
                terms,
                ..Default::default()
            },
            &kb,
        )
        .unwrap();
        let mut fast = Vec::new();
        s.resnik_scores_with_ic(&case, &ic, &mut scratch, &mut fast);
        let qset = HpoSet::new(&hpo, group(&case.observed));
        // every 97th OMIM disease, plus the ones with the highest scores
        let mut order: Vec<usize> = (0..fast.len()).collect();
        order.sort_by(|&a, &b| fast[b].total_cmp(&fast[a]));
        let picks: Vec<usize> = order
            .iter()
            .take(10)
            .copied()
            .chain((0..fast.len()).step_by(97))
            .collect();
        for pos in picks {
            let d = kb.disease(s.index().diseases()[pos]);
            if d.id.db != odyssey_kb::DiseaseDb::Omim {
                continue;
            }
            let dset = HpoSet::new(&hpo, group(s.disease_terms(pos)));
            let theirs = f64::from(sim.calculate(&qset, &dset));
            assert!(
                (fast[pos] - theirs).abs() <= 1e-4 * theirs.max(1.0),
                "{:?} vs {}: odyssey {} hpo crate {}",
                q,
                d.id,
                fast[pos],
                theirs
            );
            compared += 1;
        }
    }
    assert!(compared > 300, "{compared}");
}
