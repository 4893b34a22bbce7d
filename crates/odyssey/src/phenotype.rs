//! Phenotype-only analysis: a resolved case in, the report model out.

use odyssey_kb::{KnowledgeBase, TermIdx};
use odyssey_pheno::{Case, Method, PhenotypeScorer, Ranking};
use odyssey_report::{
    AnalysisReport, CaseSummary, DiseaseResult, GeneRef, GeneResult, IgnoredTerm, InputFile,
    Provenance, RemappedTerm, TermEvidence, TermRef,
};

use crate::KbHandle;

/// What to put in a report.
#[derive(Clone, Debug)]
pub struct ReportOptions {
    /// Number of diseases and genes listed.
    pub top: usize,
    /// Input files (provenance).
    pub inputs: Vec<InputFile>,
    /// The command line (provenance).
    pub command: Vec<String>,
}

fn term_label(kb: &KnowledgeBase, t: TermIdx) -> (String, String) {
    let o = kb.ontology();
    (o.id(t).to_string(), o.name(t).to_string())
}

/// The case as the report shows it.
pub(crate) fn case_summary(kb: &KnowledgeBase, case: &Case) -> CaseSummary {
    let mut terms = Vec::new();
    for (&t, observed) in case
        .observed
        .iter()
        .map(|t| (t, true))
        .chain(case.excluded.iter().map(|t| (t, false)))
    {
        let (id, label) = term_label(kb, t);
        terms.push(TermRef {
            id,
            label,
            observed,
        });
    }
    CaseSummary {
        id: case.id.clone(),
        subject_id: case.subject_id.clone(),
        sex: case.sex.map(|s| format!("{s:?}").to_lowercase()),
        age: case.age.clone(),
        observed: case
            .observed
            .iter()
            .map(|&t| kb.ontology().id(t).to_string())
            .collect(),
        excluded: case
            .excluded
            .iter()
            .map(|&t| kb.ontology().id(t).to_string())
            .collect(),
        terms,
        ignored: case
            .ignored
            .iter()
            .map(|i| IgnoredTerm {
                id: i.id.clone(),
                excluded: i.excluded,
                reason: i.reason.clone(),
            })
            .collect(),
        remapped: case
            .remapped
            .iter()
            .map(|r| RemappedTerm {
                from: r.from.clone(),
                to: r.to.clone(),
                how: r.how.clone(),
            })
            .collect(),
        family: Vec::new(),
        family_id: None,
    }
}

/// Disease results for the top `top` diseases of a ranking, with evidence (LR model).
pub(crate) fn disease_results(
    scorer: &PhenotypeScorer,
    case: &Case,
    ranking: &Ranking,
    top: usize,
) -> Vec<DiseaseResult> {
    let rows = ranking.diseases.iter().take(top).map(|rd| {
        (
            rd.disease,
            rd.rank,
            rd.tie_size,
            rd.score,
            rd.post_test_probability,
        )
    });
    let mut out = disease_results_with(scorer, case, rows);
    if ranking.method != Method::LikelihoodRatio {
        for d in &mut out {
            d.evidence.clear();
        }
    }
    out
}

/// Disease results from (disease, rank, tie size, score, post-test probability) rows, with
/// the phenotype evidence of each term.
pub(crate) fn disease_results_with(
    scorer: &PhenotypeScorer,
    case: &Case,
    rows: impl Iterator<Item = (odyssey_kb::DiseaseIdx, usize, usize, f64, Option<f64>)>,
) -> Vec<DiseaseResult> {
    let kb = scorer.kb();
    let o = kb.ontology();
    rows.map(|(di, rank, tie_size, score, post)| {
        let d = kb.disease(di);
        let evidence = scorer
            .explain(case, di)
            .unwrap_or_default()
            .into_iter()
            .map(|e| TermEvidence {
                term: o.id(e.term).to_string(),
                label: o.name(e.term).to_string(),
                observed: e.observed,
                match_kind: serde_json::to_value(e.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(String::from))
                    .unwrap_or_default(),
                disease_term: e.disease_term.map(|t| o.id(t).to_string()),
                disease_term_label: e.disease_term.map(|t| o.name(t).to_string()),
                frequency: e.frequency,
                lr: e.lr,
            })
            .collect();
        DiseaseResult {
            rank,
            tie_size,
            id: d.id.to_string(),
            equivalent_ids: kb.equivalent_ids(di).to_vec(),
            label: d.name.clone(),
            score,
            post_test_probability: post,
            modes_of_inheritance: kb
                .modes_of_inheritance(di)
                .iter()
                .map(|m| m.abbreviation().to_string())
                .collect(),
            genes: d
                .genes
                .iter()
                .map(|&g| GeneRef {
                    symbol: kb.gene(g).symbol.clone(),
                    ncbi_gene_id: kb.gene(g).id.to_string(),
                })
                .collect(),
            evidence,
        }
    })
    .collect()
}

/// The modes of inheritance of `diseases` (a gene's `disease_modes`): their union, as
/// abbreviations (AD, AR, XD, XR, XL, MT, YL, other) in that order.
pub(crate) fn disease_modes(
    kb: &KnowledgeBase,
    diseases: impl Iterator<Item = odyssey_kb::DiseaseIdx>,
) -> Vec<String> {
    let modes: std::collections::BTreeSet<odyssey_kb::ModeOfInheritance> =
        diseases.flat_map(|d| kb.modes_of_inheritance(d)).collect();
    modes.iter().map(|m| m.abbreviation().to_string()).collect()
}

/// Gene results for the top `top` genes: each lists its diseases in disease-rank order.
pub(crate) fn gene_results(kb: &KnowledgeBase, ranking: &Ranking, top: usize) -> Vec<GeneResult> {
    let mut disease_rank = std::collections::HashMap::new();
    for (i, d) in ranking.diseases.iter().enumerate() {
        disease_rank.insert(d.disease, i);
    }
    ranking
        .genes
        .iter()
        .take(top)
        .map(|rg| {
            let g = kb.gene(rg.gene);
            let mut ds: Vec<_> = g
                .diseases
                .iter()
                .filter_map(|d| disease_rank.get(d).map(|&r| (r, *d)))
                .collect();
            ds.sort_unstable();
            GeneResult {
                rank: rg.rank,
                tie_size: rg.tie_size,
                symbol: g.symbol.clone(),
                ncbi_gene_id: g.id.to_string(),
                score: rg.score,
                post_test_probability: rg.post_test_probability,
                disease_modes: disease_modes(kb, ds.iter().map(|&(_, d)| d)),
                diseases: ds
                    .into_iter()
                    .map(|(_, d)| kb.disease(d).id.to_string())
                    .collect(),
                phenotype_score: None,
                genotype_score: None,
                modes_of_inheritance: Vec::new(),
                genotype_fits: Vec::new(),
                evidence: None,
                variants: Vec::new(),
            }
        })
        .collect()
}

/// The names of every disease of the reported genes, by id (the report's `disease_labels`), so
/// that a gene's disease outside the top N diseases is still named.
pub(crate) fn disease_labels(
    kb: &KnowledgeBase,
    genes: &[GeneResult],
) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for g in genes {
        let Some(gi) = kb.gene_by_symbol(&g.symbol) else {
            continue;
        };
        for &d in &kb.gene(gi).diseases {
            let d = kb.disease(d);
            let id = d.id.to_string();
            if g.diseases.contains(&id) {
                out.insert(id, d.name.clone());
            }
        }
    }
    out
}

/// Warnings about the case itself (the report's `warnings`, hence the JSON, the TSV header
/// and the HTML): input ids left out because they are malformed or unknown to the HPO
/// release, ids of a newer release analysed as their nearest known ancestors, and a ranking
/// resting on excluded terms alone.
pub(crate) fn case_warnings(kb: &KnowledgeBase, case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    for i in case.ignored.iter().filter(|i| i.invalid_id) {
        let what = if i.excluded { "excluded" } else { "observed" };
        out.push(format!(
            "{what} term {:?} left out of the analysis: {}",
            i.id, i.reason
        ));
    }
    let mut newer: Vec<(&str, Vec<String>, &str)> = Vec::new();
    for r in case.remapped.iter().filter(|r| r.via_newer_release) {
        let to =
            r.to.parse::<odyssey_kb::HpoId>()
                .ok()
                .and_then(|id| kb.ontology().index(id))
                .map(|t| format!("{} ({})", r.to, kb.ontology().name(t)))
                .unwrap_or_else(|| r.to.clone());
        match newer.iter_mut().find(|(from, _, _)| *from == r.from) {
            Some(x) => x.1.push(to),
            None => newer.push((&r.from, vec![to], &r.how)),
        }
    }
    for (from, to, how) in newer {
        let how = how.trim_end_matches(", nearest known ancestor");
        out.push(format!(
            "observed term {from:?} ({how}) analysed as its nearest known ancestor{}: {}",
            if to.len() == 1 { "" } else { "s" },
            to.join(", ")
        ));
    }
    if case.observed.is_empty() {
        out.push(format!(
            "no observed phenotypic abnormality: the ranking rests on the {} excluded term(s) alone",
            case.excluded.len()
        ));
    }
    out
}

/// Provenance of an analysis.
pub(crate) fn provenance(
    kb: &KbHandle,
    scorer: &PhenotypeScorer,
    method: Method,
    opts: &ReportOptions,
) -> Provenance {
    Provenance {
        version: env!("CARGO_PKG_VERSION").to_string(),
        knowledge_base: kb.info(),
        method: method.name().to_string(),
        parameters: serde_json::to_value(scorer.options()).unwrap_or_default(),
        inputs: opts.inputs.clone(),
        sources: Vec::new(),
        command: opts.command.clone(),
        created: crate::provenance::now_rfc3339(),
    }
}

/// Ranks the case by phenotype alone and builds the report (top `opts.top` diseases, with
/// term-by-term evidence, and genes).
pub fn phenotype_report(
    kb: &KbHandle,
    scorer: &PhenotypeScorer,
    case: &Case,
    method: Method,
    opts: &ReportOptions,
) -> AnalysisReport {
    let ranking = scorer.rank_with(case, method, &mut odyssey_pheno::Scratch::default());
    let genes = gene_results(&kb.kb, &ranking, opts.top);
    AnalysisReport {
        odyssey: provenance(kb, scorer, method, opts),
        case: case_summary(&kb.kb, case),
        diseases: disease_results(scorer, case, &ranking, opts.top),
        disease_labels: disease_labels(&kb.kb, &genes),
        genes,
        filters: None,
        warnings: case_warnings(&kb.kb, case),
    }
}
