//! PhEval-compatible result files.
//!
//! PhEval (Bridges et al., "PhEval: a framework for the evaluation of variant and gene
//! prioritisation algorithms", 2024; <https://github.com/monarch-initiative/pheval>, module
//! `pheval.post_processing`) compares prioritisers through standardised per-case results,
//! one file per phenopacket and level, named after the phenopacket's file stem:
//!
//! * `pheval_gene_results/<stem>-gene_result.tsv`: `rank`, `score`, `gene_symbol`,
//!   `gene_identifier`, `true_positive`;
//! * `pheval_disease_results/<stem>-disease_result.tsv`: `rank`, `score`,
//!   `disease_identifier`, `disease_name`, `true_positive`;
//! * `pheval_variant_results/<stem>-variant_result.tsv`: `rank`, `score`, `chrom`, `start`,
//!   `end`, `ref`, `alt`, `variant_id` (`chrom-start-ref-alt`), `true_positive`.
//!
//! These are the columns of PhEval's current standardised results (which PhEval itself stores
//! as zstd Parquet, e.g. `polars.read_csv(f, separator="\t").write_parquet(...)` converts
//! them), and a superset of the earlier PhEval TSV results (`rank`, `score`, `gene_symbol`,
//! `gene_identifier` / `disease_name`, `disease_identifier` / `chromosome`, `start`, `end`,
//! `ref`, `alt`). Ranks are already computed, pessimistically for ties, as PhEval does
//! (`rank(method="max")`); items of one tie group are written with one score so that
//! re-ranking by score gives the same ranks. Gene identifiers are NCBI Gene ids
//! (`NCBIGene:2263`); PhEval matches a gene on its symbol **or** identifier, so the HGNC ids of
//! phenopacket-store are matched through the symbol. Variant start/end are 1-based and
//! inclusive (`end = start + len(ref) - 1`, PhEval's `calculate_end_pos`).
//!
//! Only the `top` best items are written, followed by every true positive ranked below them
//! at its true rank (so that top-k and MRR computed by PhEval equal Odyssey's, up to MRR
//! terms below rank `top` of items that are not true positives, which carry no weight).

use std::io::Write;
use std::path::{Path, PathBuf};

use odyssey_kb::DiseaseIdx;
use odyssey_pheno::Ranking;

use crate::corpus::BenchCase;
use crate::error::{BenchError, Result};
use crate::evaluate::{Gold, RankingSink, RunSpec};

/// One row to write: (rank, score, columns after the score, true positive).
pub struct Row {
    /// Pessimistic rank.
    pub rank: usize,
    /// Score.
    pub score: f64,
    /// Level-specific columns.
    pub fields: Vec<String>,
    /// True positive.
    pub true_positive: bool,
}

/// Header of a level's file.
pub fn header(level: &str) -> &'static str {
    match level {
        "gene" => "rank\tscore\tgene_symbol\tgene_identifier\ttrue_positive",
        "disease" => "rank\tscore\tdisease_identifier\tdisease_name\ttrue_positive",
        _ => "rank\tscore\tchrom\tstart\tend\tref\talt\tvariant_id\ttrue_positive",
    }
}

/// Writes rows (sorted by rank) as a PhEval TSV: the first `top` rows, then the true positives
/// below them; tie groups share the score of their first member.
pub fn write_rows(path: &Path, level: &str, rows: &[Row], top: usize) -> Result<()> {
    let mut buf = Vec::with_capacity(64 * top.min(rows.len()) + 128);
    writeln!(buf, "{}", header(level)).expect("in memory");
    let mut group_rank = 0;
    let mut group_score = 0.0;
    for (i, r) in rows.iter().enumerate() {
        if r.rank != group_rank {
            group_rank = r.rank;
            group_score = r.score;
        }
        if i < top || r.true_positive {
            let tp = if r.true_positive { "true" } else { "false" };
            let fields: Vec<&str> = r.fields.iter().map(|f| f.as_str()).collect();
            writeln!(
                buf,
                "{}\t{}\t{}\t{}",
                r.rank,
                group_score,
                fields.join("\t").replace(['\n', '\r'], " "),
                tp
            )
            .expect("in memory");
        }
    }
    std::fs::write(path, buf).map_err(|e| BenchError::io(path, e))
}

/// Writes PhEval result files for every run under `root/<run key>/pheval_*_results/`.
pub struct PhevalWriter {
    root: PathBuf,
    top: usize,
    errors: std::sync::Mutex<Vec<String>>,
}

impl PhevalWriter {
    /// Creates the folders of every run. Errors: a folder cannot be created.
    pub fn new(root: &Path, runs: &[RunSpec], levels: &[&str], top: usize) -> Result<PhevalWriter> {
        for run in runs {
            for level in levels {
                let d = root.join(&run.key).join(format!("pheval_{level}_results"));
                std::fs::create_dir_all(&d).map_err(|e| BenchError::io(&d, e))?;
            }
        }
        Ok(PhevalWriter {
            root: root.to_path_buf(),
            top,
            errors: Default::default(),
        })
    }

    /// The file of a run, level and case.
    pub fn path(&self, run: &str, level: &str, stem: &str) -> PathBuf {
        self.root
            .join(run)
            .join(format!("pheval_{level}_results"))
            .join(format!("{stem}-{level}_result.tsv"))
    }

    /// Writes one level's rows; errors are collected (see [`PhevalWriter::finish`]).
    pub fn write(&self, run: &str, level: &str, stem: &str, rows: &[Row]) {
        if let Err(e) = write_rows(&self.path(run, level, stem), level, rows, self.top) {
            self.errors
                .lock()
                .expect("not poisoned")
                .push(e.to_string());
        }
    }

    /// The first write error, if any.
    pub fn finish(&self) -> Result<()> {
        match self.errors.lock().expect("not poisoned").first() {
            Some(e) => Err(BenchError::Config(format!("writing PhEval results: {e}"))),
            None => Ok(()),
        }
    }

    /// Gene and disease rows of a phenotype ranking.
    pub fn phenotype_rows(
        kb: &odyssey_kb::KnowledgeBase,
        ranking: &Ranking,
        gold: &Gold,
        emptied: &[DiseaseIdx],
    ) -> (Vec<Row>, Vec<Row>) {
        let genes = ranking
            .genes
            .iter()
            .map(|g| {
                let gene = kb.gene(g.gene);
                Row {
                    rank: g.rank,
                    score: g.score,
                    fields: vec![gene.symbol.clone(), gene.id.to_string()],
                    true_positive: gold.genes.contains(&g.gene),
                }
            })
            .collect();
        let diseases = ranking
            .diseases
            .iter()
            .map(|d| {
                let dis = kb.disease(d.disease);
                let tp = gold.diseases.contains(&d.disease) && !emptied.contains(&d.disease);
                Row {
                    rank: d.rank,
                    score: d.score,
                    fields: vec![dis.id.to_string(), dis.name.clone()],
                    true_positive: tp,
                }
            })
            .collect();
        (genes, diseases)
    }
}

/// A [`RankingSink`] writing phenotype rankings as PhEval gene and disease results.
pub struct PhenotypePheval<'a> {
    /// The writer.
    pub writer: &'a PhevalWriter,
    /// The knowledge base.
    pub kb: &'a odyssey_kb::KnowledgeBase,
}

impl RankingSink for PhenotypePheval<'_> {
    fn ranking(
        &self,
        run: &RunSpec,
        case: &BenchCase,
        ranking: &Ranking,
        gold: &Gold,
        emptied: &[DiseaseIdx],
    ) {
        let (genes, diseases) = PhevalWriter::phenotype_rows(self.kb, ranking, gold, emptied);
        self.writer.write(&run.key, "gene", case.stem(), &genes);
        self.writer
            .write(&run.key, "disease", case.stem(), &diseases);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_rows_then_true_positives_with_tie_scores() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x-gene_result.tsv");
        let row = |rank, score, s: &str, tp| Row {
            rank,
            score,
            fields: vec![s.into(), format!("NCBIGene:{}", s.len())],
            true_positive: tp,
        };
        // A and B tied (scores equal within the ranking's tolerance but not bit-equal)
        let rows = vec![
            row(2, 5.0, "A", false),
            row(2, 5.0 - 1e-12, "B", false),
            row(3, 1.0, "C", false),
            row(4, 0.5, "GOLD", true),
            row(5, 0.1, "D", false),
        ];
        write_rows(&p, "gene", &rows, 2).unwrap();
        let text = std::fs::read_to_string(&p).unwrap();
        assert_eq!(text, "rank\tscore\tgene_symbol\tgene_identifier\ttrue_positive\n2\t5\tA\tNCBIGene:1\tfalse\n2\t5\tB\tNCBIGene:1\tfalse\n4\t0.5\tGOLD\tNCBIGene:4\ttrue\n");
    }
}
