//! Temporary tuning harness: top-k of gold gene/disease over phenopacket-store.
use odyssey_kb::{DiseaseDb, KnowledgeBase};
use odyssey_pheno::*;
use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).cloned().unwrap_or("../shared/data/phenopacket-store/cases".into());
    let get = |k: &str, d: f64| std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(d);
    let kb = KnowledgeBase::embedded().unwrap();
    let mut opts = ScorerOptions::default();
    opts.lr.partial_match = get("PM", opts.lr.partial_match);
    opts.lr.no_match = get("NM", opts.lr.no_match);
    opts.lr.contradiction = get("CT", opts.lr.contradiction);
    opts.lr.excluded_floor = get("EF", opts.lr.excluded_floor);
    opts.lr.pertinent_negative = get("PN", opts.lr.pertinent_negative);
    opts.index.unknown_frequency = get("UF", opts.index.unknown_frequency);
    opts.evidence_weight = get("TAU", opts.evidence_weight);
    if std::env::var("NOISY").is_ok() { opts.index.propagation = Propagation::NoisyOr; }
    if std::env::var("ORPHA").is_ok() { opts.index.databases.push(DiseaseDb::Orpha); }
    let no_exc = std::env::var("NOEXC").is_ok();
    let t = std::time::Instant::now();
    let scorer = PhenotypeScorer::new(&kb, opts);
    eprintln!("index {:?}", t.elapsed());
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flat_map(|c| std::fs::read_dir(c.unwrap().path()).unwrap()).map(|e| e.unwrap().path()).collect();
    files.sort();
    let stride: usize = get("STRIDE", 1.0) as usize;
    let files: Vec<_> = files.into_iter().step_by(stride).collect();
    let t = std::time::Instant::now();
    let res: Vec<Option<[(usize, usize); 2]>> = files.par_iter().map_init(Scratch::default, |scr, f| {
        let cf = phenopacket::read_case_file(f).ok()?;
        let p = cf.proband();
        let mut genes = std::collections::BTreeSet::new();
        let mut dis = None;
        for i in &p.interpretations { if let Some(d) = &i.diagnosis {
            if let Some(x) = &d.disease { dis = Some(x.id.clone()); }
            for g in &d.genomic_interpretations { if let Some(vi) = &g.variant_interpretation { if let Some(vd) = &vi.variation_descriptor { if let Some(gc) = &vd.gene_context { genes.insert(gc.symbol.clone()); } } } }
        }}
        if genes.len() != 1 { return None; }
        let mut input = CaseInput::from_phenopacket(p);
        if no_exc { input.terms.retain(|t| !t.excluded); }
        let case = Case::resolve(&input, &kb).ok()?;
        let mut out = [(0usize, 0usize); 2];
        let methods: Vec<Method> = if std::env::var("ONLY_LR").is_ok() { vec![Method::LikelihoodRatio] } else { vec![Method::LikelihoodRatio, Method::Resnik] };
        for (mi, m) in methods.into_iter().enumerate() {
            let r = scorer.rank_with(&case, m, scr);
            let g = genes.iter().next().unwrap();
            let gr = r.genes.iter().find(|x| &kb.gene(x.gene).symbol == g).map(|x| x.rank).unwrap_or(usize::MAX);
            let did = dis.as_ref().and_then(|d| d.parse::<odyssey_kb::DiseaseId>().ok()).and_then(|d| kb.disease_index(d));
            let dr = did.and_then(|d| r.diseases.iter().find(|x| x.disease == d)).map(|x| x.rank).unwrap_or(usize::MAX);
            if mi == 0 { out[0] = (gr, dr) } else { out[1] = (gr, dr) }
        }
        Some(out)
    }).collect();
    let el = t.elapsed();
    let ok: Vec<_> = res.iter().flatten().collect();
    let n = ok.len() as f64;
    for (mi, name) in ["lr", "resnik"].iter().enumerate() {
        let s = |lvl: usize, k: usize| ok.iter().filter(|o| (if lvl == 0 { o[mi].0 } else { o[mi].1 }) <= k).count() as f64 / n * 100.0;
        let mrr = |lvl: usize| ok.iter().map(|o| { let r = if lvl == 0 { o[mi].0 } else { o[mi].1 }; if r == usize::MAX { 0.0 } else { 1.0 / r as f64 } }).sum::<f64>() / n;
        println!("{name:7} gene top1 {:.1} top3 {:.1} top10 {:.1} mrr {:.3} | disease top1 {:.1} top10 {:.1} mrr {:.3}", s(0,1), s(0,3), s(0,10), mrr(0), s(1,1), s(1,10), mrr(1));
    }
    eprintln!("{} cases scored of {} files in {:?}", ok.len(), files.len(), el);
}
#[allow(dead_code)]
fn unused() {}
