//! Gene symbols of gene models and VCF annotations normalised to the knowledge base's.
//!
//! Gene models name genes by the symbol current when they were built: the embedded GRCh37
//! models' GENCODE v24 fallback chains say `LARGE` and `SEPN1` where the knowledge base (HPO
//! 2025-01-16, current HGNC symbols) says `LARGE1` and `SELENON`, and a VEP cache of an older
//! release does the same. Without normalisation such a gene's variants are never linked to its
//! diseases. [`GeneSymbols::resolve`] decides, in this order:
//!
//! 1. the annotation's NCBI Gene id, when it has one: the knowledge-base gene of that id (its
//!    symbol), or, for an id the knowledge base does not have, the symbol as it is (another
//!    gene; no alias is consulted);
//! 2. a knowledge-base symbol: kept;
//! 3. the alias table (below): the candidate genes of the symbol, narrowed to those NCBI
//!    places on the variant's chromosome when it is known. One candidate left: the
//!    knowledge-base symbol of that gene (`LARGE` on chromosome 22 → `LARGE1`; `TAZ` on X →
//!    `TAFAZZIN`, not `WWTR1` on 3). Several: **ambiguous**, never used, and reported (`GBA`
//!    on 1: `GBA1` or `GBAP1`). None: kept (the model names another gene);
//! 4. anything else: kept (a gene the knowledge base does not know).
//!
//! [`SymbolLog::normalise`] applies it to the effects of one allele; an effect renamed through
//! the alias table is dropped when another effect of the same allele names the same gene by
//! its NCBI Gene id (the embedded GRCh37 models hold some genes twice, as a MANE Select model
//! with ids and as an older GENCODE v24 chain under the previous symbol: the MANE model
//! decides).
//!
//! The alias table ([`GENE_ALIASES`], `data/gene-aliases.tsv.gz` of this crate) is derived by
//! `scripts/gene-aliases.py` from NCBI Gene's symbols, synonyms and chromosomes as packaged in
//! Bioconductor's org.Hs.eg.db 3.16.0 (NCBI Gene 2022-09-12; Artistic-2.0, licence in
//! `data/LICENSE-org.Hs.eg.db.txt`), for the genes of the embedded knowledge base: every
//! symbol other than the knowledge base's under which NCBI lists one of its genes, with its
//! candidates in HGNC's order (a gene's own NCBI symbol first; else every gene having it as a
//! previous symbol or alias). The knowledge base holds NCBI Gene ids, not HGNC ids, so
//! matching is by NCBI Gene id.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read};

use super::GeneEffect;

/// The gzip-compressed alias table: `#` comment lines, then `symbol<TAB>candidates`, each
/// candidate `ncbi_gene_id:symbol:chromosomes` (chromosomes `|`-separated, empty when unknown),
/// comma-separated: one when the symbol names that gene, several when it is ambiguous.
pub static GENE_ALIASES: &[u8] = include_bytes!("../../data/gene-aliases.tsv.gz");

/// A candidate gene of a symbol of the alias table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// NCBI Gene id.
    pub id: u32,
    /// The knowledge base's symbol for its genes, else NCBI's.
    pub symbol: String,
    /// Chromosomes NCBI places the gene on (`1`...`22`, `X`, `Y`, `MT`); empty: unknown.
    pub chromosomes: Vec<String>,
}

impl Candidate {
    /// True when the gene may lie on `chrom` (NCBI name; an unplaced gene may lie anywhere).
    fn on(&self, chrom: &str) -> bool {
        self.chromosomes.is_empty() || self.chromosomes.iter().any(|c| c == chrom)
    }
}

/// What [`GeneSymbols::resolve`] decided for a symbol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolution<'a> {
    /// The symbol stays: a knowledge-base symbol, or a gene the knowledge base does not have.
    Kept,
    /// The knowledge-base gene the symbol names by its NCBI Gene id: its symbol.
    RenamedById(&'a str),
    /// The knowledge-base gene the symbol names as a previous symbol or alias of that gene
    /// alone (on the variant's chromosome): its symbol.
    RenamedByAlias(&'a str),
    /// A previous symbol or alias of several genes on the variant's chromosome, at least one
    /// of them a knowledge-base gene: not linked to any. The candidates' symbols.
    Ambiguous(Vec<&'a str>),
}

impl<'a> Resolution<'a> {
    /// The knowledge-base symbol when the symbol was renamed (by id or alias).
    pub fn renamed(&self) -> Option<&'a str> {
        match self {
            Resolution::RenamedById(s) | Resolution::RenamedByAlias(s) => Some(s),
            _ => None,
        }
    }
}

/// The knowledge base's genes (NCBI Gene id, symbol) with the alias table: see the module
/// docs.
#[derive(Clone, Debug, Default)]
pub struct GeneSymbols {
    current: HashSet<String>,
    by_id: HashMap<u32, String>,
    table: HashMap<String, Vec<Candidate>>,
}

impl GeneSymbols {
    /// The knowledge base's `genes` (NCBI Gene id, current symbol) with the embedded alias
    /// table ([`GENE_ALIASES`]).
    ///
    /// Errors: the embedded table cannot be decompressed or has a malformed line (a build
    /// defect; the message names the line).
    pub fn embedded<'s>(genes: impl IntoIterator<Item = (u32, &'s str)>) -> Result<Self, String> {
        let gz = flate2::read::GzDecoder::new(GENE_ALIASES);
        Self::from_table(genes, BufReader::new(gz), "embedded gene-aliases.tsv.gz")
    }

    /// The knowledge base's `genes` with an alias table in the format of [`GENE_ALIASES`]
    /// (uncompressed), named `name` in errors.
    ///
    /// Errors: an unreadable table, or a line that is not `symbol<TAB>candidates` (message:
    /// `name`, line number, the line).
    pub fn from_table<'s, R: Read>(
        genes: impl IntoIterator<Item = (u32, &'s str)>,
        table: BufReader<R>,
        name: &str,
    ) -> Result<Self, String> {
        let mut out = GeneSymbols::default();
        for (id, symbol) in genes {
            out.current.insert(symbol.to_string());
            out.by_id.insert(id, symbol.to_string());
        }
        for (n, line) in table.lines().enumerate() {
            let line = line.map_err(|e| format!("{name}: line {}: {e}", n + 1))?;
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let bad = || {
                format!(
                    "{name}: line {}: expected symbol<TAB>id:symbol:chromosomes[,...], found {line:?}",
                    n + 1
                )
            };
            let (symbol, targets) = line.split_once('\t').ok_or_else(bad)?;
            if symbol.is_empty() {
                return Err(bad());
            }
            let mut candidates = Vec::new();
            for part in targets.split(',') {
                let mut f = part.split(':');
                let (Some(id), Some(s), Some(c), None) = (f.next(), f.next(), f.next(), f.next())
                else {
                    return Err(bad());
                };
                if s.is_empty() {
                    return Err(bad());
                }
                candidates.push(Candidate {
                    id: id.parse().map_err(|_| bad())?,
                    symbol: s.to_string(),
                    chromosomes: c
                        .split('|')
                        .filter(|x| !x.is_empty())
                        .map(String::from)
                        .collect(),
                });
            }
            out.table.insert(symbol.to_string(), candidates);
        }
        Ok(out)
    }

    /// How a gene model's or annotation's `symbol` (with its NCBI Gene id when known, and the
    /// variant's chromosome, NCBI-style `1`...`22`, `X`, `Y`, `MT`, when known) names a
    /// knowledge-base gene (order: the module docs).
    pub fn resolve(
        &self,
        symbol: &str,
        ncbi_gene_id: Option<u32>,
        chrom: Option<&str>,
    ) -> Resolution<'_> {
        if let Some(id) = ncbi_gene_id {
            return match self.by_id.get(&id) {
                Some(s) if s != symbol => Resolution::RenamedById(s),
                _ => Resolution::Kept,
            };
        }
        if self.current.contains(symbol) {
            return Resolution::Kept;
        }
        let Some(all) = self.table.get(symbol) else {
            return Resolution::Kept;
        };
        let here: Vec<&Candidate> = all
            .iter()
            .filter(|c| chrom.is_none_or(|x| c.on(x)))
            .collect();
        match here.as_slice() {
            [one] => match self.by_id.get(&one.id) {
                Some(s) => Resolution::RenamedByAlias(s),
                None => Resolution::Kept,
            },
            many if many.iter().any(|c| self.by_id.contains_key(&c.id)) => {
                Resolution::Ambiguous(many.iter().map(|c| c.symbol.as_str()).collect())
            }
            _ => Resolution::Kept,
        }
    }

    /// The other symbols (previous symbols, aliases) of the alias table naming the
    /// knowledge-base gene `symbol`, sorted; empty for a symbol the knowledge base does not
    /// have. Used to tell whether gene models know a gene under an older name.
    pub fn other_names(&self, symbol: &str) -> Vec<&str> {
        let mut out: Vec<&str> = self
            .table
            .iter()
            .filter(|(_, c)| {
                c.iter()
                    .any(|c| self.by_id.get(&c.id).map(String::as_str) == Some(symbol))
            })
            .map(|(s, _)| s.as_str())
            .collect();
        out.sort_unstable();
        out
    }
}

/// Symbols renamed and ambiguous symbols met while normalising, for the provenance and the
/// warnings.
#[derive(Clone, Debug, Default)]
pub struct SymbolLog {
    /// (symbol of the annotation, knowledge-base symbol) → alleles.
    pub renamed: BTreeMap<(String, String), u64>,
    /// Ambiguous symbol → (alleles, candidate genes' symbols).
    pub ambiguous: BTreeMap<String, (u64, Vec<String>)>,
}

impl SymbolLog {
    /// The effects of one allele on chromosome `chrom` (NCBI-style name, when known) with
    /// their gene symbols renamed to the knowledge base's where `symbols` resolves them (see
    /// [`GeneSymbols::resolve`]); an effect renamed through the alias table is dropped when
    /// another effect names the same gene by NCBI Gene id. Renamed and ambiguous symbols are
    /// logged once per allele.
    pub fn normalise(
        &mut self,
        symbols: &GeneSymbols,
        chrom: Option<&str>,
        mut effects: Vec<GeneEffect>,
    ) -> Vec<GeneEffect> {
        let keep = self.normalise_in_place(symbols, chrom, &mut effects);
        effects
            .into_iter()
            .zip(keep)
            .filter_map(|(e, k)| k.then_some(e))
            .collect()
    }

    /// [`SymbolLog::normalise`] in place: renames the symbols and returns, per effect,
    /// whether to keep it.
    pub fn normalise_in_place(
        &mut self,
        symbols: &GeneSymbols,
        chrom: Option<&str>,
        effects: &mut [GeneEffect],
    ) -> Vec<bool> {
        let mut ambiguous: HashSet<String> = HashSet::new();
        // per effect: (its symbol before renaming, renamed through the alias table)
        let mut was: Vec<Option<(String, bool)>> = Vec::with_capacity(effects.len());
        for e in effects.iter_mut() {
            let r = symbols.resolve(&e.gene_symbol, e.ncbi_gene_id, chrom);
            match (r.renamed(), r) {
                (Some(to), r) if to != e.gene_symbol => {
                    let from = std::mem::replace(&mut e.gene_symbol, to.to_string());
                    was.push(Some((from, matches!(r, Resolution::RenamedByAlias(_)))));
                }
                (_, Resolution::Ambiguous(c)) => {
                    if ambiguous.insert(e.gene_symbol.clone()) {
                        let entry = self
                            .ambiguous
                            .entry(e.gene_symbol.clone())
                            .or_insert_with(|| (0, c.iter().map(|s| s.to_string()).collect()));
                        entry.0 += 1;
                    }
                    was.push(None);
                }
                _ => was.push(None),
            }
        }
        let identified: HashSet<&str> = effects
            .iter()
            .filter(|e| e.ncbi_gene_id.is_some())
            .map(|e| e.gene_symbol.as_str())
            .collect();
        let mut renamed: HashSet<(String, String)> = HashSet::new();
        let mut keep = Vec::with_capacity(effects.len());
        for (e, w) in effects.iter().zip(was) {
            match w {
                Some((_, true)) if identified.contains(e.gene_symbol.as_str()) => keep.push(false),
                Some((from, _)) => {
                    renamed.insert((from, e.gene_symbol.clone()));
                    keep.push(true);
                }
                None => keep.push(true),
            }
        }
        for pair in renamed {
            *self.renamed.entry(pair).or_default() += 1;
        }
        keep
    }

    /// `"N gene symbol(s) of the annotation renamed to the knowledge base's current ones: A →
    /// B, ..."` (at most `max` pairs listed), `None` when none was.
    pub fn renamed_note(&self, max: usize) -> Option<String> {
        if self.renamed.is_empty() {
            return None;
        }
        let mut pairs: Vec<String> = self
            .renamed
            .keys()
            .take(max)
            .map(|(a, b)| format!("{a} → {b}"))
            .collect();
        if self.renamed.len() > max {
            pairs.push(format!("{} more", self.renamed.len() - max));
        }
        Some(format!(
            "{} gene symbol(s) of the annotation renamed to the knowledge base's current ones: {}",
            self.renamed.len(),
            pairs.join(", ")
        ))
    }

    /// A warning listing the ambiguous symbols met (at most `max`), `None` when none was.
    pub fn ambiguous_warning(&self, max: usize) -> Option<String> {
        if self.ambiguous.is_empty() {
            return None;
        }
        let mut items: Vec<String> = self
            .ambiguous
            .iter()
            .take(max)
            .map(|(s, (n, c))| format!("{s} ({}; {n} allele(s))", c.join(" or ")))
            .collect();
        if self.ambiguous.len() > max {
            items.push(format!("{} more", self.ambiguous.len() - max));
        }
        Some(format!(
            "gene symbols of the annotation that are previous symbols or aliases of several genes on the variant's chromosome were not linked to any knowledge-base gene (their variants keep the annotation's symbol): {}",
            items.join(", ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-made table over three knowledge-base genes (LARGE1, A, B).
    fn symbols() -> GeneSymbols {
        let table = "# c\nLARGE\t9215:LARGE1:22\nX\t1:A:1,2:B:1\nT\t1:A:X,5:W:3\nY\t3:C:1,4:D:2\nZ\t99:Q:4\n";
        GeneSymbols::from_table(
            [(9215, "LARGE1"), (1, "A"), (2, "B")],
            BufReader::new(table.as_bytes()),
            "t",
        )
        .unwrap()
    }

    fn effect(symbol: &str, id: Option<u32>) -> GeneEffect {
        GeneEffect {
            gene_symbol: symbol.into(),
            ncbi_gene_id: id,
            transcript: None,
            consequences: vec![odyssey_genome::Consequence::IntronVariant],
            hgvs_c: None,
            hgvs_p: None,
            preferred: true,
        }
    }

    #[test]
    fn resolution_order() {
        let s = symbols();
        assert_eq!(
            s.resolve("LARGE", None, Some("22")),
            Resolution::RenamedByAlias("LARGE1")
        );
        assert_eq!(
            s.resolve("LARGE", None, None),
            Resolution::RenamedByAlias("LARGE1")
        );
        // an alias on another chromosome than its gene's names some other gene
        assert_eq!(s.resolve("LARGE", None, Some("3")), Resolution::Kept);
        assert_eq!(s.resolve("LARGE1", None, Some("22")), Resolution::Kept);
        // the id decides when there is one
        assert_eq!(
            s.resolve("OLD", Some(9215), None),
            Resolution::RenamedById("LARGE1")
        );
        assert_eq!(s.resolve("LARGE", Some(77), Some("22")), Resolution::Kept);
        assert_eq!(
            s.resolve("X", None, Some("1")),
            Resolution::Ambiguous(vec!["A", "B"])
        );
        // the chromosome tells the candidates apart
        assert_eq!(
            s.resolve("T", None, Some("X")),
            Resolution::RenamedByAlias("A")
        );
        assert_eq!(s.resolve("T", None, Some("3")), Resolution::Kept);
        assert_eq!(
            s.resolve("T", None, None),
            Resolution::Ambiguous(vec!["A", "W"])
        );
        // ambiguous between genes the knowledge base does not have, or naming another gene
        assert_eq!(s.resolve("Y", None, None), Resolution::Kept);
        assert_eq!(s.resolve("Z", None, Some("4")), Resolution::Kept);
        assert_eq!(s.resolve("NEW", None, None), Resolution::Kept);
        assert_eq!(s.other_names("LARGE1"), vec!["LARGE"]);
        assert_eq!(s.other_names("A"), vec!["T", "X"]);
        assert!(s.other_names("Q").is_empty());
    }

    #[test]
    fn normalising_one_allele() {
        let s = symbols();
        let mut log = SymbolLog::default();
        // the old chain of a gene beside its identified model is dropped; alone it is renamed
        let out = log.normalise(
            &s,
            Some("22"),
            vec![effect("LARGE", None), effect("LARGE1", Some(9215))],
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].ncbi_gene_id, Some(9215));
        let out = log.normalise(&s, Some("22"), vec![effect("LARGE", None)]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].gene_symbol, "LARGE1");
        assert_eq!(log.renamed[&("LARGE".to_string(), "LARGE1".to_string())], 1);
        // an ambiguous symbol stays, and is logged with its candidates
        let out = log.normalise(&s, Some("1"), vec![effect("X", None), effect("X", None)]);
        assert_eq!(out.len(), 2);
        assert!(out.iter().all(|e| e.gene_symbol == "X"));
        assert_eq!(
            log.ambiguous["X"],
            (1, vec!["A".to_string(), "B".to_string()])
        );
        let w = log.ambiguous_warning(10).unwrap();
        assert!(w.ends_with("X (A or B; 1 allele(s))"), "{w}");
        assert_eq!(
            log.renamed_note(10).unwrap(),
            "1 gene symbol(s) of the annotation renamed to the knowledge base's current ones: LARGE → LARGE1"
        );
    }

    #[test]
    fn malformed_lines_are_errors_naming_the_line() {
        for bad in [
            "LARGE",
            "LARGE\tx",
            "X\t1:A",
            "X\t1:A:1,B",
            "\t5:A:1",
            "X\tq:A:1",
            "X\t1::1",
            "X\t1:A:1:2",
        ] {
            let e = GeneSymbols::from_table(
                [(1, "A")],
                BufReader::new(format!("# h\n{bad}\n").as_bytes()),
                "t.tsv",
            )
            .unwrap_err();
            assert!(e.starts_with("t.tsv: line 2: expected"), "{bad}: {e}");
        }
    }
}
