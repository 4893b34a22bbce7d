use odyssey_kb::KnowledgeBase;
use odyssey_pheno::*;
use std::collections::BTreeMap;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let kb = KnowledgeBase::embedded().unwrap();
    let mut opts = ScorerOptions::default();
    opts.lr.pertinent_negative = 16.0; opts.lr.excluded_floor = 0.2; opts.lr.no_match = 0.05; opts.lr.partial_match = 0.1;
    let scorer = PhenotypeScorer::new(&kb, opts);
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flat_map(|c| std::fs::read_dir(c.unwrap().path()).unwrap()).map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut kinds_fail: BTreeMap<String, usize> = BTreeMap::new();
    let mut kinds_ok: BTreeMap<String, usize> = BTreeMap::new();
    let (mut notkb, mut fail, mut okc) = (0, 0, 0);
    let mut shown = 0; let mut faild: BTreeMap<String, usize> = BTreeMap::new();
    let mut hist_fail = [0usize; 11]; let mut hist_ok = [0usize; 11];
    for f in files.iter().step_by(5) {
        let Ok(cf) = phenopacket::read_case_file(f) else { continue };
        let p = cf.proband();
        let Some(gold) = p.interpretations.first().and_then(|i| i.diagnosis.as_ref()).and_then(|d| d.disease.as_ref()).map(|d| d.id.clone()) else { continue };
        let Ok(case) = Case::resolve(&CaseInput::from_phenopacket(p), &kb) else { continue };
        let Some(gd) = gold.parse().ok().and_then(|g| kb.disease_index(g)) else { notkb += 1; continue };
        let r = scorer.rank(&case);
        let Some(rd) = r.diseases.iter().find(|x| x.disease == gd) else { notkb += 1; continue };
        let ev = scorer.explain(&case, gd).unwrap();
        let nann = scorer.index().disease_terms_len(scorer.index().position(gd).unwrap());
        if rd.rank > 10 { *faild.entry(format!("{} {}", gold, kb.disease(gd).name)).or_insert(0usize) += 1; }
        if rd.rank > 10 { hist_fail[(nann/5).min(10)] += 1 } else { hist_ok[(nann/5).min(10)] += 1 }
        let target = if rd.rank > 10 { fail += 1; &mut kinds_fail } else { okc += 1; &mut kinds_ok };
        for e in &ev { *target.entry(format!("{}{:?}", if e.observed {"+"} else {"-"}, e.kind)).or_default() += 1; }
        if rd.rank > 10 && shown < 6 && std::env::var("SHOW").is_ok() {
            shown += 1;
            let o = kb.ontology();
            println!("FAIL {} gold {} {} rank {} top {} {}", f.display(), gold, kb.disease(gd).name, rd.rank, kb.disease(r.diseases[0].disease).id, kb.disease(r.diseases[0].disease).name);
            for e in ev.iter().filter(|e| e.observed) { println!("   {:?} {} {} lr {:.3}", e.kind, o.id(e.term), o.name(e.term), e.lr); }
        }
    }
    println!("not in kb {notkb}, fail {fail}, ok {okc}");
    let mut fv: Vec<_> = faild.into_iter().collect(); fv.sort_by_key(|x| std::cmp::Reverse(x.1)); for x in fv.iter().take(15) { println!("{:4} {}", x.1, x.0); }
    println!("annotations/5 fail {:?}\n                ok {:?}", hist_fail, hist_ok);
    println!("fail per case: {:?}", kinds_fail.iter().map(|(k, v)| (k.clone(), format!("{:.2}", *v as f64 / fail as f64))).collect::<Vec<_>>());
    println!("ok per case: {:?}", kinds_ok.iter().map(|(k, v)| (k.clone(), format!("{:.2}", *v as f64 / okc as f64))).collect::<Vec<_>>());
}
