use odyssey_kb::KnowledgeBase;
use odyssey_pheno::*;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let kb = KnowledgeBase::embedded().unwrap();
    let mut opts = ScorerOptions::default(); opts.lr.pertinent_negative = 16.0; opts.lr.excluded_floor = 0.2; opts.lr.no_match = 0.05; opts.lr.partial_match = 0.1;
    let scorer = PhenotypeScorer::new(&kb, opts);
    let cf = phenopacket::read_case_file(std::path::Path::new(&path)).unwrap();
    let p = cf.proband();
    let gold = p.interpretations[0].diagnosis.as_ref().unwrap().disease.as_ref().unwrap().id.clone();
    let case = Case::resolve(&CaseInput::from_phenopacket(p), &kb).unwrap();
    let r = scorer.rank(&case);
    let o = kb.ontology();
    let gd = kb.disease_index(gold.parse().unwrap());
    println!("gold {gold} in kb: {:?}", gd.is_some());
    let show = |d: u32| {
        let rd = r.diseases.iter().find(|x| x.disease == d).unwrap();
        println!("== rank {} {} {} score {:.2}", rd.rank, kb.disease(d).id, kb.disease(d).name, rd.score);
        for e in scorer.explain(&case, d).unwrap() {
            println!("  {} {:5} {:45} {:?} {} f={:?} lr={:.3} bg={:.4}", if e.observed {"+"} else {"-"}, o.id(e.term), &o.name(e.term)[..o.name(e.term).len().min(45)], e.kind,
                e.disease_term.map(|t| o.name(t).to_string()).unwrap_or_default(), e.frequency, e.lr, scorer.index().background(e.term));
        }
    };
    for x in r.diseases.iter().take(2) { show(x.disease); }
    if let Some(d) = gd { show(d); }
}
