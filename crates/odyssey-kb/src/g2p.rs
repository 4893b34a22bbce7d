//! Reader for `genes_to_phenotype.txt`: the gene-disease links of an HPO release.
//!
//! Columns: ncbi_gene_id, gene_symbol, hpo_id, hpo_name, frequency, disease_id. Only the gene
//! and disease columns are used to link genes to diseases; the phenotype columns repeat
//! `phenotype.hpoa`, but they are still checked so that a damaged file is noticed.

use std::path::Path;

use crate::error::{Error, Result};
use crate::id::{DiseaseId, HpoId, NcbiGeneId};
use crate::textfile::read_text;

/// Expected header columns.
pub const G2P_COLUMNS: [&str; 6] = [
    "ncbi_gene_id",
    "gene_symbol",
    "hpo_id",
    "hpo_name",
    "frequency",
    "disease_id",
];

/// One gene-disease link (deduplicated), with the first line it was seen on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneDiseaseLink {
    /// NCBI Gene id.
    pub gene: NcbiGeneId,
    /// HGNC symbol.
    pub symbol: String,
    /// Disease.
    pub disease: DiseaseId,
    /// 1-based line of its first occurrence.
    pub line: usize,
}

/// Reads `genes_to_phenotype.txt` (plain or gzip) into unique gene-disease links, in order of
/// first occurrence. Errors name line and column ([`Error::Malformed`]).
pub fn read_genes_to_phenotype(path: &Path) -> Result<Vec<GeneDiseaseLink>> {
    let text = read_text(path)?;
    parse_genes_to_phenotype(&text, path)
}

/// As [`read_genes_to_phenotype`], and every `hpo_id` must be an id of the HPO release
/// (`known`: current, alternative or obsolete), as in `phenotype.hpoa`. Errors:
/// [`Error::Malformed`] naming the line and the `hpo_id` column ("HP:9999999 is not a term of
/// this HPO release (OBO)").
pub fn read_genes_to_phenotype_checked(
    path: &Path,
    known: &dyn Fn(HpoId) -> bool,
    obo: &Path,
) -> Result<Vec<GeneDiseaseLink>> {
    let text = read_text(path)?;
    parse_checked(&text, path, Some((known, obo)))
}

/// Parses the text; see [`read_genes_to_phenotype`].
pub fn parse_genes_to_phenotype(text: &str, path: &Path) -> Result<Vec<GeneDiseaseLink>> {
    parse_checked(text, path, None)
}

/// Parses the text, checking `hpo_id` against `known` when given.
fn parse_checked(
    text: &str,
    path: &Path,
    known: Option<(&dyn Fn(HpoId) -> bool, &Path)>,
) -> Result<Vec<GeneDiseaseLink>> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.split('\t').eq(G2P_COLUMNS) => {}
        _ => {
            return Err(Error::malformed(
                path,
                1,
                "header",
                format!("expected the header `{}`", G2P_COLUMNS.join("\t")),
            ))
        }
    }
    for (i, line) in lines {
        let n = i + 1;
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 6 {
            return Err(Error::malformed(
                path,
                n,
                "line",
                format!("expected 6 tab-separated columns, found {}", f.len()),
            ));
        }
        let bad = |col: usize, m: String| Error::malformed(path, n, G2P_COLUMNS[col], m);
        let gene = f[0]
            .parse::<NcbiGeneId>()
            .map_err(|e| bad(0, e.to_string()))?;
        if f[1].is_empty() {
            return Err(bad(1, "empty gene symbol".into()));
        }
        let term = f[2].parse::<HpoId>().map_err(|e| bad(2, e.to_string()))?;
        if let Some((known, obo)) = known {
            if !known(term) {
                return Err(bad(
                    2,
                    format!(
                        "{term} is not a term of this HPO release ({})",
                        obo.display()
                    ),
                ));
            }
        }
        let disease = f[5]
            .parse::<DiseaseId>()
            .map_err(|e| bad(5, e.to_string()))?;
        if seen.insert((gene, disease)) {
            out.push(GeneDiseaseLink {
                gene,
                symbol: f[1].to_string(),
                disease,
                line: n,
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedups_and_checks() {
        let text = "ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id\n2263\tFGFR2\tHP:0000001\tAll\t-\tOMIM:101600\n2263\tFGFR2\tHP:0000002\tX\t1/2\tOMIM:101600\n2263\tFGFR2\tHP:0000002\tX\t-\tORPHA:1\n";
        let links = parse_genes_to_phenotype(text, Path::new("g")).unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(links[1].line, 4);
        let err = parse_genes_to_phenotype("ncbi_gene_id\tgene_symbol\thpo_id\thpo_name\tfrequency\tdisease_id\nx\tFGFR2\tHP:0000001\tAll\t-\tOMIM:1\n", Path::new("g")).unwrap_err();
        assert!(
            err.to_string().starts_with("g:2: field `ncbi_gene_id`"),
            "{err}"
        );
    }
}
