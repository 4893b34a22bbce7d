//! `GET /metrics` figures (metrics-api.md): counts over the shared (non-test) patients and
//! request counters kept by the router since it started; test queries counted apart.

use std::collections::BTreeSet;

use crate::genes::GeneResolver;
use crate::model::{Metrics, Patient};

/// Request counters since start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counters {
    /// Non-test match requests answered.
    pub requests: u64,
    /// Results sent to non-test requests.
    pub matches_sent: u64,
    /// Test match requests answered.
    pub test_requests: u64,
    /// Results sent to test requests.
    pub test_matches_sent: u64,
    /// Genes matched on in answers to non-test requests.
    pub genes_matched: BTreeSet<String>,
}

/// The metrics of `patients` (test records skipped) with `counters`, dated `date`.
pub fn compute(
    patients: &[Patient],
    genes: &GeneResolver,
    counters: &Counters,
    date: String,
) -> Metrics {
    let ps: Vec<&Patient> = patients.iter().filter(|p| !p.test).collect();
    let mut submitters = BTreeSet::new();
    let mut gene_set = BTreeSet::new();
    let mut variant_set = BTreeSet::new();
    let mut feature_set = BTreeSet::new();
    let mut m = Metrics {
        number_of_cases: ps.len() as u64,
        date_generated: date,
        number_of_unique_genes_matched: counters.genes_matched.len() as u64,
        number_of_requests_received: counters.requests,
        number_of_potential_matches_sent: counters.matches_sent,
        test_requests_received: counters.test_requests,
        test_potential_matches_sent: counters.test_matches_sent,
        ..Metrics::default()
    };
    for p in &ps {
        submitters.insert(p.contact.href.clone());
        if !p.disorders.is_empty() {
            m.number_of_cases_with_diagnosis += 1;
        }
        if !p.features.is_empty() {
            m.number_of_feature_sets += 1;
        }
        for f in &p.features {
            m.number_of_features += 1;
            feature_set.insert(f.id.clone());
        }
        for g in &p.genomic_features {
            m.number_of_genes += 1;
            gene_set.insert(genes.key(&g.gene.id));
            if let Some(v) = &g.variant {
                m.number_of_variants += 1;
                variant_set.insert(format!(
                    "{}-{}-{:?}-{:?}-{:?}",
                    crate::profile::assembly_base(&v.assembly),
                    v.reference_name,
                    v.start,
                    v.reference_bases,
                    v.alternate_bases
                ));
            }
        }
    }
    m.number_of_submitters = submitters.len() as u64;
    m.number_of_unique_genes = gene_set.len() as u64;
    m.number_of_unique_variants = variant_set.len() as u64;
    m.number_of_unique_features = feature_set.len() as u64;
    m
}

/// Today's date (UTC) as `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`
/// algorithm, <https://howardhinnant.github.io/date_algorithms.html>).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}
