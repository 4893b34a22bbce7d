//! Published patients as knowledge: a folder of GA4GH Phenopacket v2 case reports (each with a
//! diagnosis and the publication it comes from, as in phenopacket-store) turned into extra
//! phenotype annotations of the knowledge base ([`odyssey_kb::ExtraKnowledge`], compiled by
//! `odyssey kb build --cases`).
//!
//! Cases are grouped by (diagnosis, publications). For each group of `n` patients and each
//! HPO term recorded in it, one row: frequency `k/n` with `k` the patients in whom the term
//! was observed, reference the group's PubMed ids, evidence PCS, biocuration
//! [`odyssey_kb::POOLED_CURATION`]. The phenotype model pools the rows of one disease and term
//! that remain after leave-publication-out into Σk/Σn (`odyssey_pheno::ProfileBuilder`), so
//! a case never counts in its own knowledge: leave-publication-out removes every row citing
//! its publication. Terms only ever excluded in a group give `0/n` rows
//! ([`ExcludedTerms::ZeroCount`]), which, pooled to zero, act as a `NOT` annotation, or are
//! left out ([`ExcludedTerms::Ignore`]). Cases without a PubMed id are left out of the
//! knowledge (they could not be left out of their own scoring); so are diagnoses that are not
//! OMIM, ORPHA or DECIPHER ids and HPO ids that do not parse (counted in the report). Each
//! causal gene of a case (HGNC symbol) is offered as a gene link of its diagnosis, used by the
//! build only for diseases that `genes_to_phenotype.txt` links to no gene.

use std::collections::BTreeMap;

use odyssey_kb::hpoa::HpoaRecord;
use odyssey_kb::{Aspect, DiseaseId, Evidence, ExtraKnowledge, Frequency, HpoId, POOLED_CURATION};
use serde::Serialize;

use crate::corpus::BenchCase;

/// The calibration of post-test probabilities recorded in a knowledge base built with case
/// knowledge (`odyssey kb build --cases`, unless `--calibration` is given): θ, κ and p_u of
/// the case's temperature θ n^-κ and the gene-rank prior's weight ε, fitted by least log loss of the top gene's probability
/// under leave-publication-out on the case-knowledge knowledge base of the 8,719 development
/// cases, cohort-grouped 2-fold (`ODYSSEY_KB=FILE cargo run --release -p odyssey-bench
/// --example calibrate`; docs/phenotype-model.md, "Published patients as knowledge"), and
/// the prior's rank-1 mass c, the measured top-1 rate (0.315). One
/// set for every case-knowledge knowledge base, never per case or gene.
pub fn case_knowledge_calibration() -> odyssey_kb::ProbabilityCalibration {
    odyssey_kb::ProbabilityCalibration {
        temperature: CASE_KNOWLEDGE_TEMPERATURE,
        term_decay: CASE_KNOWLEDGE_TERM_DECAY,
        pretest_unknown: CASE_KNOWLEDGE_PRETEST_UNKNOWN,
        rank_mixture: CASE_KNOWLEDGE_RANK_MIXTURE,
        rank_prior: CASE_KNOWLEDGE_RANK_PRIOR,
        fitted: "fitted for case-knowledge knowledge bases: least log loss under leave-publication-out, cohort-grouped 2-fold, phenopacket-store 2026-06-25 (docs/phenotype-model.md)".into(),
    }
}

/// θ of [`case_knowledge_calibration`].
pub const CASE_KNOWLEDGE_TEMPERATURE: f64 = 9.0;
/// κ of [`case_knowledge_calibration`].
pub const CASE_KNOWLEDGE_TERM_DECAY: f64 = 0.8;
/// p_u of [`case_knowledge_calibration`].
pub const CASE_KNOWLEDGE_PRETEST_UNKNOWN: f64 = 0.0;
/// ε (gene-rank prior weight) of [`case_knowledge_calibration`].
pub const CASE_KNOWLEDGE_RANK_MIXTURE: f64 = 0.15;
/// c (gene-rank prior's rank-1 mass: the measured top-1 rate under leave-publication-out)
/// of [`case_knowledge_calibration`].
pub const CASE_KNOWLEDGE_RANK_PRIOR: f64 = 0.315;

/// What an excluded term (phenopacket `excluded: true`) contributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum ExcludedTerms {
    /// A term excluded in some patients of a group and observed in none gives a `0/n` row;
    /// where all remaining rows of a term are `0/n`, the pooled frequency 0 is a `NOT`.
    ZeroCount,
    /// Excluded terms give no row (a term observed in `k` of `n` patients is `k/n` either
    /// way).
    Ignore,
}

/// What the conversion used and left out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CaseKnowledgeReport {
    /// Cases whose terms became knowledge.
    pub cases_used: usize,
    /// Cases left out: no PubMed id.
    pub without_publication: usize,
    /// Cases left out: no diagnosis with an OMIM, ORPHA or DECIPHER id.
    pub without_diagnosis: usize,
    /// Term entries left out because their id is not an HPO id.
    pub bad_terms: usize,
    /// (diagnosis, publications) groups.
    pub groups: usize,
    /// Annotation rows written.
    pub rows: usize,
    /// Of which `0/n` rows.
    pub zero_rows: usize,
    /// Cases left out, or terms dropped, with why: (case path relative to the folder, reason),
    /// in case order.
    pub left_out: Vec<(String, String)>,
    /// Cases left out as repeats of an earlier case with the same phenopacket id: (the case
    /// kept, the repeat), paths relative to the folder. One patient counts once.
    pub duplicates: Vec<(String, String)>,
}

#[derive(Default)]
struct Group {
    patients: u32,
    /// term -> (patients observed, patients excluded)
    terms: BTreeMap<HpoId, (u32, u32)>,
}

/// Converts cases into extra annotations and gene links; see the module documentation for
/// the rules. Deterministic: rows are ordered by disease, publications, term.
pub fn case_knowledge(
    cases: &[&BenchCase],
    excluded: ExcludedTerms,
) -> (ExtraKnowledge, CaseKnowledgeReport) {
    let mut report = CaseKnowledgeReport::default();
    let mut groups: BTreeMap<(DiseaseId, Vec<String>), Group> = BTreeMap::new();
    let mut gene_links: Vec<(DiseaseId, String)> = Vec::new();
    let mut labels: BTreeMap<DiseaseId, String> = BTreeMap::new();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut case_reports: Vec<String> = Vec::new();
    for c in cases {
        if let Some(first) = seen.get(c.id.as_str()) {
            report
                .duplicates
                .push((first.to_string(), c.rel_path.clone()));
            continue;
        }
        seen.insert(&c.id, &c.rel_path);
        if c.publications.is_empty() {
            report.without_publication += 1;
            report
                .left_out
                .push((c.rel_path.clone(), "no PubMed id".into()));
            continue;
        }
        let diseases: Vec<DiseaseId> = c
            .gold_diseases
            .iter()
            .filter_map(|d| d.parse().ok())
            .collect();
        if diseases.is_empty() {
            report.without_diagnosis += 1;
            report.left_out.push((
                c.rel_path.clone(),
                format!(
                    "no OMIM, ORPHA or DECIPHER diagnosis (found {:?})",
                    c.gold_diseases
                ),
            ));
            continue;
        }
        report.cases_used += 1;
        case_reports.push(c.id.clone());
        for (id, label) in &c.disease_labels {
            if let Ok(d) = id.parse::<DiseaseId>() {
                labels.entry(d).or_insert_with(|| label.clone());
            }
        }
        // one patient: observed wins over excluded for a term written both ways
        let mut terms: BTreeMap<HpoId, bool> = BTreeMap::new();
        for t in &c.input.terms {
            match t.id.trim().parse::<HpoId>() {
                Ok(id) => *terms.entry(id).or_insert(false) |= !t.excluded,
                Err(_) => {
                    report.bad_terms += 1;
                    report.left_out.push((
                        c.rel_path.clone(),
                        format!(
                            "term {:?} is not an HPO id (HP:0000000); term dropped",
                            t.id
                        ),
                    ));
                }
            }
        }
        for &d in &diseases {
            let g = groups.entry((d, c.publications.clone())).or_default();
            g.patients += 1;
            for (&t, &observed) in &terms {
                let e = g.terms.entry(t).or_default();
                if observed {
                    e.0 += 1;
                } else {
                    e.1 += 1;
                }
            }
            for gene in &c.gold_genes {
                gene_links.push((d, gene.clone()));
            }
        }
    }
    let mut records = Vec::new();
    for ((d, pubs), g) in &groups {
        for (&term, &(k, _)) in &g.terms {
            if k == 0 && excluded == ExcludedTerms::Ignore {
                continue;
            }
            report.zero_rows += usize::from(k == 0);
            records.push(HpoaRecord {
                line: records.len() + 1,
                disease: *d,
                disease_name: labels.get(d).cloned().unwrap_or_else(|| d.to_string()),
                negated: false,
                term,
                references: pubs.clone(),
                evidence: Evidence::Pcs,
                onset: None,
                frequency: Frequency::Ratio {
                    n: k,
                    m: g.patients,
                },
                sex: None,
                modifiers: Vec::new(),
                aspect: Aspect::Phenotype,
                biocuration: POOLED_CURATION.to_string(),
            });
        }
    }
    gene_links.sort();
    gene_links.dedup();
    report.groups = groups.len();
    report.rows = records.len();
    let extra = ExtraKnowledge {
        name: "case-knowledge".into(),
        description: format!("{} case reports", report.cases_used),
        records,
        gene_links,
        case_reports,
    };
    (extra, report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A phenopacket with `observed` and `excluded` HPO numbers, diagnosis `disease`, gene
    /// `gene` and, when given, a PubMed id in `metaData.externalReferences`.
    fn case(
        id: &str,
        pmid: Option<&str>,
        disease: &str,
        observed: &[u32],
        excluded: &[u32],
    ) -> BenchCase {
        let mut features: Vec<String> = observed
            .iter()
            .map(|t| format!(r#"{{"type":{{"id":"HP:{t:07}","label":"x"}}}}"#))
            .collect();
        features.extend(
            excluded
                .iter()
                .map(|t| format!(r#"{{"type":{{"id":"HP:{t:07}","label":"x"}},"excluded":true}}"#)),
        );
        let refs = pmid.map_or(String::new(), |p| format!(r#"{{"id":"{p}"}}"#));
        let text = format!(
            r#"{{"id":"{id}","subject":{{"id":"s"}},"phenotypicFeatures":[{}],
            "interpretations":[{{"id":"i","progressStatus":"SOLVED","diagnosis":{{"disease":{{"id":"{disease}","label":"d"}},
            "genomicInterpretations":[{{"subjectOrBiosampleId":"s","interpretationStatus":"CAUSATIVE",
            "variantInterpretation":{{"variationDescriptor":{{"id":"v","geneContext":{{"valueId":"HGNC:1","symbol":"GENEX"}}}}}}}}]}}}}],
            "metaData":{{"created":"2020-01-01T00:00:00Z","createdBy":"t","resources":[],"phenopacketSchemaVersion":"2.0","externalReferences":[{refs}]}}}}"#,
            features.join(",")
        );
        BenchCase::parse(&text, Path::new("c.json"), &format!("C/{id}.json")).unwrap()
    }

    fn rows(x: &ExtraKnowledge) -> Vec<(String, u32, String, String)> {
        x.records
            .iter()
            .map(|r| {
                (
                    r.disease.to_string(),
                    r.term.number(),
                    r.references.join(";"),
                    r.frequency.to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn groups_by_diagnosis_and_publication_with_k_of_n() {
        // publication 51: two patients of OMIM:100; term 1 observed in both, term 2 excluded
        // in the first and not recorded in the second, term 3 observed in the second only.
        // Publication 52: one patient, term 2 observed. A case without any PubMed id (its
        // id does not start with PMID_ either) and one with a MONDO diagnosis are left out.
        let cs = [
            case("p1", Some("PMID:51"), "OMIM:100", &[1], &[2]),
            case("p2", Some("PMID:51"), "OMIM:100", &[1, 3], &[]),
            case("p3", Some("PMID:52"), "OMIM:100", &[2], &[]),
            case("nopub", None, "OMIM:100", &[5], &[]),
            case("mondo", Some("PMID:53"), "MONDO:0000001", &[5], &[]),
            // the same phenopacket again (same id, another file name would do the same): one
            // patient counts once, so publication 51 keeps n = 2
            case("p2", Some("PMID:51"), "OMIM:100", &[1, 3], &[]),
        ];
        let refs: Vec<&BenchCase> = cs.iter().collect();
        let (x, r) = case_knowledge(&refs, ExcludedTerms::ZeroCount);
        let want = |v: &[(&str, u32, &str, &str)]| -> Vec<(String, u32, String, String)> {
            v.iter()
                .map(|&(d, t, p, f)| (d.into(), t, p.into(), f.into()))
                .collect()
        };
        assert_eq!(
            rows(&x),
            want(&[
                ("OMIM:100", 1, "PMID:51", "2/2"),
                ("OMIM:100", 2, "PMID:51", "0/2"),
                ("OMIM:100", 3, "PMID:51", "1/2"),
                ("OMIM:100", 2, "PMID:52", "1/1"),
            ])
        );
        assert!(x
            .records
            .iter()
            .all(|r| r.biocuration == POOLED_CURATION && !r.negated));
        // the disease is named as the phenopacket names its diagnosis (label "d")
        assert!(x.records.iter().all(|r| r.disease_name == "d"));
        assert_eq!(
            x.gene_links,
            vec![("OMIM:100".parse().unwrap(), "GENEX".to_string())]
        );
        assert_eq!(
            (
                r.cases_used,
                r.without_publication,
                r.without_diagnosis,
                r.groups,
                r.rows,
                r.zero_rows
            ),
            (3, 1, 1, 2, 4, 1)
        );
        assert_eq!(
            r.duplicates,
            vec![("C/p2.json".to_string(), "C/p2.json".to_string())]
        );
        let left: Vec<&str> = r.left_out.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(left, ["C/nopub.json", "C/mondo.json"]);
        assert!(
            r.left_out[1].1.contains("MONDO:0000001"),
            "{:?}",
            r.left_out
        );
        // ignoring excluded terms drops the 0/2 row only
        let (x, r) = case_knowledge(&refs, ExcludedTerms::Ignore);
        assert_eq!(
            rows(&x),
            want(&[
                ("OMIM:100", 1, "PMID:51", "2/2"),
                ("OMIM:100", 3, "PMID:51", "1/2"),
                ("OMIM:100", 2, "PMID:52", "1/1"),
            ])
        );
        assert_eq!(r.zero_rows, 0);
    }
}
