//! Temporary: calibration of post-test probabilities under LR tempering tau.
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::*;
use rayon::prelude::*;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let kb = KnowledgeBase::embedded().unwrap();
    let scorer = PhenotypeScorer::new(&kb, ScorerOptions::default());
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flat_map(|c| std::fs::read_dir(c.unwrap().path()).unwrap()).map(|e| e.unwrap().path()).collect();
    files.sort();
    let data: Vec<(Vec<f64>, Option<usize>)> = files.par_iter().step_by(3).filter_map(|f| {
        let cf = phenopacket::read_case_file(f).ok()?;
        let p = cf.proband();
        let gold = p.interpretations.first()?.diagnosis.as_ref()?.disease.as_ref()?.id.parse().ok().and_then(|d| kb.disease_index(d));
        let case = Case::resolve(&CaseInput::from_phenopacket(p), &kb).ok()?;
        let mut s = Vec::new();
        scorer.scores(&case, &mut Scratch::default(), &mut s);
        Some((s, gold.and_then(|g| scorer.index().position(g))))
    }).collect();
    for tau in [1.0, 0.7, 0.5, 0.35, 0.25] {
        for p0 in [0.5] {
            let mut bins = vec![(0usize, 0usize, 0.0f64); 10];
            let mut ll = 0.0; let mut n = 0;
            for (s, g) in &data {
                let t: Vec<f64> = s.iter().map(|x| x * tau).collect();
                let post = rank::post_test_probabilities(&t, p0);
                let (top, &ptop) = post.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1)).unwrap();
                let b = ((ptop * 10.0) as usize).min(9);
                bins[b].0 += 1; bins[b].2 += ptop;
                if Some(top) == *g { bins[b].1 += 1; }
                if let Some(g) = g { ll += -(post[*g].max(1e-12)).ln(); n += 1; }
            }
            print!("tau {tau} p0 {p0} logloss {:.3} |", ll / n as f64);
            for (c, k, sp) in &bins { if *c > 0 { print!(" {:.2}:{:.2}({})", sp / *c as f64, *k as f64 / *c as f64, c); } }
            println!();
        }
    }
}
