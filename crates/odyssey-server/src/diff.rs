//! What changed between two reports of the same case (reanalysis): genes entering or leaving
//! the top N, rank moves, new gene–disease links and new ClinVar pathogenic / likely
//! pathogenic variants. Works on the JSON contract (docs/json-output.md), so reports written
//! by older Odyssey versions compare as well.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

/// A gene and its rank.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GeneRank {
    /// HGNC symbol.
    pub symbol: String,
    /// Rank (pessimistic, as in the report).
    pub rank: u64,
}

/// A gene whose rank changed within the top N.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct RankMove {
    /// HGNC symbol.
    pub symbol: String,
    /// Rank before.
    pub from: u64,
    /// Rank now.
    pub to: u64,
}

/// A disease newly linked to a top-N gene.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NewLink {
    /// HGNC symbol.
    pub symbol: String,
    /// Disease id (CURIE).
    pub disease: String,
    /// Disease name, when the report has it.
    pub label: Option<String>,
}

/// A candidate variant newly classified pathogenic or likely pathogenic in ClinVar.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct NewClinvar {
    /// `chrom:pos:ref:alt`.
    pub variant: String,
    /// HGNC symbol.
    pub gene: String,
    /// ClinVar significance now.
    pub significance: String,
}

/// The changes of one case.
#[derive(Clone, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ReportDiff {
    /// The N compared.
    pub top_n: u64,
    /// Genes in the new top N that were not in the old one.
    pub entered: Vec<GeneRank>,
    /// Genes of the old top N no longer in it (with their old rank).
    pub left: Vec<GeneRank>,
    /// Genes in both whose rank changed.
    pub moved: Vec<RankMove>,
    /// New gene–disease links of genes in the new top N.
    pub new_links: Vec<NewLink>,
    /// Candidate variants of top-N genes now ClinVar P/LP and not before.
    pub new_clinvar: Vec<NewClinvar>,
}

impl ReportDiff {
    /// Worth a look: a gene entered the top N, a top-N gene gained a disease, a variant
    /// became ClinVar P/LP, or a gene rose into the top 5 from further down.
    pub fn noteworthy(&self) -> bool {
        !self.entered.is_empty()
            || !self.new_links.is_empty()
            || !self.new_clinvar.is_empty()
            || self.moved.iter().any(|m| m.to <= 5 && m.from > 5)
    }
}

fn genes(report: &Value, n: u64) -> Vec<&Value> {
    report["genes"]
        .as_array()
        .map(|g| {
            g.iter()
                .filter(|g| g["rank"].as_u64().is_some_and(|r| r <= n))
                .collect()
        })
        .unwrap_or_default()
}

fn symbol(g: &Value) -> String {
    g["symbol"].as_str().unwrap_or_default().to_string()
}

fn is_plp(sig: &str) -> bool {
    let s = sig.to_ascii_lowercase();
    (s.contains("pathogenic") && !s.contains("conflicting")) && !s.contains("benign")
}

/// Pathogenic/likely pathogenic candidate variants of a gene: `chrom:pos:ref:alt` → CLNSIG.
fn plp_variants(g: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for v in g["variants"].as_array().into_iter().flatten() {
        let sig = v["clinvar"]["significance"].as_str().unwrap_or_default();
        if is_plp(sig) {
            let key = format!(
                "{}:{}:{}:{}",
                v["chrom"].as_str().unwrap_or_default(),
                v["pos"].as_u64().unwrap_or_default(),
                v["ref"].as_str().unwrap_or_default(),
                v["alt"].as_str().unwrap_or_default()
            );
            out.insert(key, sig.to_string());
        }
    }
    out
}

/// Compares the gene rankings of `old` and `new` (two reports of one case) over the top `n`.
/// Gene–disease links and ClinVar classes are compared over every gene the old report lists
/// (a gene absent from the old report counts as having no links and no P/LP variant).
pub fn diff_reports(old: &Value, new: &Value, n: u64) -> ReportDiff {
    let old_all: BTreeMap<String, &Value> = old["genes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|g| (symbol(g), g))
        .collect();
    let old_top: BTreeMap<String, u64> = genes(old, n)
        .into_iter()
        .map(|g| (symbol(g), g["rank"].as_u64().unwrap_or(0)))
        .collect();
    let new_top = genes(new, n);
    let new_symbols: BTreeSet<String> = new_top.iter().map(|g| symbol(g)).collect();
    let mut d = ReportDiff {
        top_n: n,
        ..ReportDiff::default()
    };
    for g in &new_top {
        let s = symbol(g);
        let rank = g["rank"].as_u64().unwrap_or(0);
        match old_top.get(&s) {
            None => d.entered.push(GeneRank {
                symbol: s.clone(),
                rank,
            }),
            Some(&from) if from != rank => d.moved.push(RankMove {
                symbol: s.clone(),
                from,
                to: rank,
            }),
            Some(_) => {}
        }
        let old_g = old_all.get(&s);
        let old_links: BTreeSet<&str> = old_g
            .and_then(|o| o["diseases"].as_array())
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for dis in g["diseases"].as_array().into_iter().flatten() {
            let Some(id) = dis.as_str() else { continue };
            if !old_links.contains(id) {
                d.new_links.push(NewLink {
                    symbol: s.clone(),
                    disease: id.to_string(),
                    label: new["disease_labels"][id].as_str().map(str::to_string),
                });
            }
        }
        let old_plp = old_g.map(|o| plp_variants(o)).unwrap_or_default();
        for (variant, significance) in plp_variants(g) {
            if !old_plp.contains_key(&variant) {
                d.new_clinvar.push(NewClinvar {
                    variant,
                    gene: s.clone(),
                    significance,
                });
            }
        }
    }
    for (s, &rank) in &old_top {
        if !new_symbols.contains(s) {
            d.left.push(GeneRank {
                symbol: s.clone(),
                rank,
            });
        }
    }
    d.left
        .sort_by(|a, b| a.rank.cmp(&b.rank).then(a.symbol.cmp(&b.symbol)));
    d
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn report(genes: Value) -> Value {
        json!({ "genes": genes, "disease_labels": { "OMIM:2": "New disease" } })
    }

    #[test]
    fn entering_leaving_moving_and_new_links() {
        let old = report(json!([
            { "rank": 1, "symbol": "A", "diseases": ["OMIM:1"] },
            { "rank": 2, "symbol": "B", "diseases": [] },
            { "rank": 3, "symbol": "C", "diseases": ["OMIM:3"] },
            { "rank": 4, "symbol": "D", "diseases": [] },
        ]));
        let new = report(json!([
            { "rank": 1, "symbol": "D", "diseases": ["OMIM:2"] },
            { "rank": 2, "symbol": "A", "diseases": ["OMIM:1"] },
            { "rank": 3, "symbol": "E", "diseases": [] },
            { "rank": 4, "symbol": "B", "diseases": [] },
        ]));
        let d = diff_reports(&old, &new, 3);
        // top 3 before: A B C; after: D A E
        assert_eq!(
            d.entered,
            vec![
                GeneRank {
                    symbol: "D".into(),
                    rank: 1
                },
                GeneRank {
                    symbol: "E".into(),
                    rank: 3
                }
            ]
        );
        assert_eq!(
            d.left,
            vec![
                GeneRank {
                    symbol: "B".into(),
                    rank: 2
                },
                GeneRank {
                    symbol: "C".into(),
                    rank: 3
                }
            ]
        );
        assert_eq!(
            d.moved,
            vec![RankMove {
                symbol: "A".into(),
                from: 1,
                to: 2
            }]
        );
        assert_eq!(
            d.new_links,
            vec![NewLink {
                symbol: "D".into(),
                disease: "OMIM:2".into(),
                label: Some("New disease".into())
            }]
        );
        assert!(d.noteworthy());
    }

    #[test]
    fn same_report_has_no_changes() {
        let r = report(json!([{ "rank": 1, "symbol": "A", "diseases": ["OMIM:1"] }]));
        let d = diff_reports(&r, &r, 10);
        assert_eq!(
            d,
            ReportDiff {
                top_n: 10,
                ..ReportDiff::default()
            }
        );
        assert!(!d.noteworthy());
    }

    #[test]
    fn new_clinvar_pathogenic_only() {
        let v = |sig: &str| json!({ "chrom": "1", "pos": 5, "ref": "A", "alt": "G", "clinvar": { "significance": sig } });
        let old = report(
            json!([{ "rank": 1, "symbol": "A", "diseases": [], "variants": [v("Uncertain_significance")] }]),
        );
        let new = report(
            json!([{ "rank": 1, "symbol": "A", "diseases": [], "variants": [v("Likely_pathogenic")] }]),
        );
        let d = diff_reports(&old, &new, 10);
        assert_eq!(d.new_clinvar.len(), 1);
        assert_eq!(d.new_clinvar[0].variant, "1:5:A:G");
        let conflicting = report(
            json!([{ "rank": 1, "symbol": "A", "diseases": [], "variants": [v("Conflicting_interpretations_of_pathogenicity")] }]),
        );
        assert!(diff_reports(&old, &conflicting, 10).new_clinvar.is_empty());
    }
}
