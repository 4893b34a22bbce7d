//! A harder partner-ranking benchmark than the 50 MME patients (see docs/mme.md): published
//! patients of phenopacket-store as MME records (HPO features and causal gene), each gene's
//! first case (file order) querying every case of the store published elsewhere (another
//! PMID: another "centre"). Partners are the candidates with the query's gene. Scores:
//! phenotype alone (the genotype would put every partner first).
//!
//! ```sh
//! cargo run --release -p odyssey-mme --example mme_phenopacket_store -- [../shared/data/phenopacket-store]
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use odyssey_kb::KnowledgeBase;
use odyssey_mme::benchmark::{rank_partners, summarise, PartnerRank};
use odyssey_mme::convert::{patient_from_phenopacket, ConvertOptions};
use odyssey_mme::model::{Contact, GeneRef, GenomicFeature};
use odyssey_mme::{GeneResolver, MatchOptions, Normalisation, Patient, PatientProfile};
use rayon::prelude::*;

struct Row {
    file: String,
    gene: String,
    pmid: String,
}

fn read_rows(dir: &std::path::Path) -> Vec<Row> {
    let path = dir.join("cases.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("{}: cannot read: {e}", path.display());
        std::process::exit(2)
    });
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    let col = |name: &str| {
        header.iter().position(|h| *h == name).unwrap_or_else(|| {
            eprintln!("{}: no column {name:?}", path.display());
            std::process::exit(2)
        })
    };
    let (f, g, p) = (col("file"), col("gene_symbol"), col("pmid"));
    lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|c| c.len() > f.max(g).max(p) && !c[g].is_empty() && !c[p].is_empty())
        .map(|c| Row {
            file: c[f].to_string(),
            gene: c[g].to_string(),
            pmid: c[p].to_string(),
        })
        .collect()
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/data/phenopacket-store"));
    let rows = read_rows(&dir);
    let kb = KnowledgeBase::embedded().expect("embedded knowledge base");
    let genes = GeneResolver::from_kb(&kb);
    let contact = Contact {
        name: "benchmark".into(),
        href: "https://example.org".into(),
        ..Contact::default()
    };
    let t = Instant::now();
    let patients: Vec<Patient> = rows
        .par_iter()
        .map(|r| {
            let case = odyssey_pheno::phenopacket::read_case_file(&dir.join(&r.file));
            let mut p = match case {
                Ok(c) => patient_from_phenopacket(
                    c.proband(),
                    &r.file,
                    contact.clone(),
                    &ConvertOptions::default(),
                ),
                Err(e) => {
                    eprintln!("skipped {}: {e}", r.file);
                    Patient::default()
                }
            };
            // the gene of record, as cases.tsv gives it (some cases have no variant descriptor)
            p.genomic_features = vec![GenomicFeature {
                gene: GeneRef { id: r.gene.clone() },
                variant: None,
                zygosity: None,
                effect: None,
            }];
            p
        })
        .collect();
    let profiles: Vec<PatientProfile> = patients
        .iter()
        .map(|p| PatientProfile::new(p, &kb, &genes))
        .collect();
    let ids: Vec<&str> = rows.iter().map(|r| r.file.as_str()).collect();
    // one query per gene: its first case with observed terms whose gene also has a case
    // with observed terms in another publication
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if !profiles[i].observed.is_empty() {
            first.entry(r.gene.as_str()).or_insert(i);
        }
    }
    let usable = |c: usize, q: usize| {
        c != q && rows[c].pmid != rows[q].pmid && !profiles[c].observed.is_empty()
    };
    let queries: Vec<usize> = first.values().copied().collect();
    let load = t.elapsed();
    let mut table = Vec::new();
    let mut ranks: Vec<PartnerRank> = Vec::new();
    let t = Instant::now();
    for norm in Normalisation::ALL {
        let options = MatchOptions {
            genotype_weight: 0.0,
            normalisation: norm,
            ..MatchOptions::default()
        };
        let r: Vec<PartnerRank> = queries
            .par_iter()
            .filter_map(|&q| rank_partners(&kb, &options, &profiles, &ids, q, &|c| usable(c, q)))
            .collect();
        table.push((norm, summarise(&r)));
        if ranks.is_empty() {
            ranks = r;
        }
    }
    let s = table[0].1;
    let mut partners: Vec<usize> = ranks.iter().map(|r| r.partners).collect();
    partners.sort_unstable();
    let mut cands: Vec<usize> = ranks.iter().map(|r| r.candidates).collect();
    cands.sort_unstable();
    println!(
        "phenopacket-store: {} cases ({} with observed terms), {} genes; {} queries (one per gene with a case in another publication); HPO {}; loaded in {:.1} s, ranked (4 normalisations) in {:.1} s",
        rows.len(),
        profiles.iter().filter(|p| !p.observed.is_empty()).count(),
        first.len(),
        s.queries,
        kb.meta().hpo_release,
        load.as_secs_f64(),
        t.elapsed().as_secs_f64()
    );
    println!(
        "candidates per query: median {}; partners per query: median {}, min {}, max {}",
        cands.get(cands.len() / 2).copied().unwrap_or(0),
        partners.get(partners.len() / 2).copied().unwrap_or(0),
        partners.first().copied().unwrap_or(0),
        partners.last().copied().unwrap_or(0)
    );
    println!();
    println!("| phenotype alone, normalisation | queries | top-1 | top-5 | top-10 | MRR | MAP |");
    println!("|---|---|---|---|---|---|---|");
    for (norm, s) in table {
        println!(
            "| {} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |",
            norm.name(),
            s.queries,
            s.top1,
            s.top5,
            s.top10,
            s.mrr,
            s.map
        );
    }
}
