//! The `--explain` entries: for the alleles asked about (by position or gene) every failing
//! filter or, for a passing allele, the modes it fits; a gene's alleles that the proband does
//! not carry summarised in one entry; a `not found` entry with hints for a query that matched
//! nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use odyssey_genome::{Chrom, SvInterval, VariantKey};

use super::annotator::{Annotator, Source};
use super::{Evaluation, ExplainEntry, ExplainReason, GeneGenotypeEvidence, RecordView};
use crate::annotation::GeneConsequence;
use crate::error::Location;
use crate::filter::{ExplainQuery, FilterReason};
use crate::genotype::SampleCall;

/// A `--explain CHROM:POS` query and what the pass saw around it.
struct PositionQuery {
    chrom: Chrom,
    pos: u32,
    /// A record with ALT alleles starts at the position.
    matched: bool,
    /// A reference-only record (ALT `.`) starts at the position.
    ref_only: Option<Location>,
    /// Nearest record before and after on the chromosome (position, location).
    before: Option<(u32, Location)>,
    after: Option<(u32, Location)>,
}

/// Alleles of an `--explain GENE` query that the proband does not carry, summarised.
#[derive(Default)]
struct NotCarried {
    count: u64,
    /// Proband GT strings and their counts.
    gts: BTreeMap<String, u64>,
    first: Option<Location>,
    last: Option<Location>,
}

/// The `--explain` queries, what the pass saw of them, and the entries so far (in record
/// order).
pub(super) struct Explainer {
    positions: Vec<PositionQuery>,
    /// Symbols of the gene queries, as the knowledge base names the genes.
    genes: HashSet<String>,
    /// Each gene query as asked → the knowledge-base symbol it stands for.
    current: HashMap<String, String>,
    /// Queried symbols found in the annotation.
    genes_seen: HashSet<String>,
    /// Differently-cased look-alikes of each queried symbol in the annotation.
    case_hints: BTreeMap<String, BTreeSet<String>>,
    not_carried: BTreeMap<String, NotCarried>,
    entries: Vec<ExplainEntry>,
}

/// An `--explain` entry for a query that matched no allele (outcome `not found`).
fn not_found(query: String, notes: Vec<String>) -> ExplainEntry {
    ExplainEntry {
        query,
        variant: "-".into(),
        vcf_location: "-".into(),
        genes: vec![],
        outcome: "not found".into(),
        reasons: vec![],
        notes,
    }
}

impl Explainer {
    /// The explainer of `queries` (none: every method is a no-op).
    /// The explainer of `queries`; gene queries by a previous symbol or alias of one
    /// knowledge-base gene match that gene's variants (the annotation's symbols are
    /// normalised to the knowledge base's by `annotator`).
    pub(super) fn new(queries: &[ExplainQuery], annotator: &Annotator) -> Self {
        let positions = queries
            .iter()
            .filter_map(|q| match q {
                ExplainQuery::Position { chrom, pos } => Some(PositionQuery {
                    chrom: *chrom,
                    pos: *pos,
                    matched: false,
                    ref_only: None,
                    before: None,
                    after: None,
                }),
                _ => None,
            })
            .collect();
        let mut current = HashMap::new();
        for q in queries {
            if let ExplainQuery::Gene(g) = q {
                current.insert(g.clone(), annotator.current_symbol(g));
            }
        }
        Explainer {
            positions,
            genes: current.values().cloned().collect(),
            current,
            genes_seen: HashSet::new(),
            case_hints: BTreeMap::new(),
            not_carried: BTreeMap::new(),
            entries: Vec::new(),
        }
    }

    /// Notes a record at `chrom:pos` (with ALTs or reference-only) against the position
    /// queries: a match, or the nearest record before or after.
    pub(super) fn observe_record(
        &mut self,
        chrom: Chrom,
        pos: u32,
        has_alts: bool,
        location: Location,
    ) {
        for q in self.positions.iter_mut().filter(|q| q.chrom == chrom) {
            if pos == q.pos {
                if has_alts {
                    q.matched = true;
                } else {
                    q.ref_only.get_or_insert(location);
                }
            } else if pos < q.pos {
                if q.before.is_none_or(|b| pos >= b.0) {
                    q.before = Some((pos, location));
                }
            } else if q.after.is_none_or(|a| pos < a.0) {
                q.after = Some((pos, location));
            }
        }
    }

    /// Whether `chrom:pos` is a position query.
    pub(super) fn asks_position(&self, chrom: Chrom, pos: u32) -> bool {
        self.positions
            .iter()
            .any(|q| q.chrom == chrom && q.pos == pos)
    }

    /// The entry of an allele at a queried position that cannot be analysed (`variant`: the
    /// record's allele as written).
    pub(super) fn unsupported(
        &mut self,
        chrom: Chrom,
        pos: u32,
        variant: String,
        location: Location,
        detail: String,
    ) {
        self.entries.push(ExplainEntry {
            query: format!("{chrom}:{pos}"),
            variant,
            vcf_location: location.to_string(),
            genes: vec![],
            outcome: "removed".into(),
            reasons: vec![ExplainReason {
                reason: FilterReason::UnsupportedAllele,
                detail,
            }],
            notes: vec![],
        });
    }

    /// With gene queries, annotates the allele first (before any filter): returns its genes
    /// and the queried gene it falls in, if any. An allele of a queried gene that the proband
    /// does not carry (and no position query asks about) is counted in that gene's summary
    /// entry instead and gets no query.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn gene_query(
        &mut self,
        annotator: &mut Annotator,
        rv: &RecordView,
        alt_index: usize,
        key: &VariantKey,
        proband: &SampleCall,
        position_asked: bool,
        location: Location,
        sv: Option<&SvInterval>,
    ) -> (Option<Vec<GeneConsequence>>, Option<String>) {
        if self.genes.is_empty() {
            return (None, None);
        }
        let g = annotator.genes(rv, alt_index, key, sv);
        for x in &g {
            let sym = &x.gene_symbol;
            if self.genes.contains(sym) && !self.genes_seen.contains(sym) {
                self.genes_seen.insert(sym.clone());
            }
            for q in self
                .genes
                .iter()
                .filter(|q| *q != sym && q.eq_ignore_ascii_case(sym))
            {
                let h = self.case_hints.entry(q.clone()).or_default();
                if !h.contains(sym) {
                    h.insert(sym.clone());
                }
            }
        }
        let mut query = g
            .iter()
            .find(|x| self.genes.contains(&x.gene_symbol))
            .map(|x| x.gene_symbol.clone());
        if !position_asked {
            if let Some(gq) = &query {
                if proband.alt_copies(alt_index) == 0 {
                    self.count_not_carried(gq, proband, location);
                    query = None;
                }
            }
        }
        (Some(g), query)
    }

    fn count_not_carried(&mut self, gene: &str, proband: &SampleCall, location: Location) {
        let nc = self.not_carried.entry(gene.to_string()).or_default();
        nc.count += 1;
        let gt = if proband.gt.is_empty() {
            "."
        } else {
            proband.gt.as_str()
        };
        match nc.gts.get_mut(gt) {
            Some(c) => *c += 1,
            None => {
                nc.gts.insert(gt.to_string(), 1);
            }
        }
        nc.first.get_or_insert(location);
        nc.last = Some(location);
    }

    /// The entry of an evaluated allele: every failing reason, or `passed`. `genes`: the
    /// genes annotated for a gene query (else those of the evaluation).
    pub(super) fn evaluated(
        &mut self,
        query: String,
        key: &VariantKey,
        location: Location,
        genes: Option<Vec<GeneConsequence>>,
        ev: &Evaluation,
    ) {
        let genes_shown: Vec<String> = genes
            .unwrap_or_else(|| ev.genes.clone())
            .iter()
            .map(|g| format!("{}:{}", g.gene_symbol, g.consequence))
            .collect();
        self.entries.push(ExplainEntry {
            query,
            variant: key.to_string(),
            vcf_location: location.to_string(),
            genes: genes_shown,
            outcome: if ev.reasons.is_empty() {
                "passed".into()
            } else {
                "removed".into()
            },
            reasons: ev.reasons.clone(),
            notes: ev.sv.as_ref().map(structural_notes).unwrap_or_default(),
        });
    }

    /// Adds to each passed entry the modes its allele fits, the gene's best mode and LR, and
    /// why other modes do not fit.
    pub(super) fn add_modes(&mut self, genes: &[GeneGenotypeEvidence]) {
        for e in &mut self.entries {
            if e.outcome != "passed" {
                continue;
            }
            for g in genes {
                if let Some(v) = g.variants.iter().find(|v| {
                    format!("{}-{}-{}-{}", v.chrom, v.pos, v.reference, v.alt) == e.variant
                }) {
                    let modes: Vec<&str> = v.compatible_modes.iter().map(|p| p.label()).collect();
                    e.notes.push(format!(
                        "{}: fits {}; gene best mode {} with genotype LR {:.3}",
                        g.symbol,
                        if modes.is_empty() {
                            "no pattern".to_string()
                        } else {
                            modes.join(", ")
                        },
                        g.best_mode.map_or("-", |m| m.short()),
                        g.best_lr
                    ));
                    for why in &v.incompatible_modes {
                        e.notes.push(format!("{}: {why}", g.symbol));
                    }
                }
            }
        }
    }

    /// All entries: those of the pass, then one per gene summarising the alleles the proband
    /// does not carry, then `not found` entries for the queries (in `queries` order) that
    /// matched nothing.
    pub(super) fn finish(
        mut self,
        queries: &[ExplainQuery],
        annotator: &Annotator,
    ) -> Vec<ExplainEntry> {
        let not_carried = std::mem::take(&mut self.not_carried);
        for (gene, nc) in &not_carried {
            self.entries.push(not_carried_entry(gene, nc));
        }
        for q in queries {
            let entry = match q {
                ExplainQuery::Gene(gene) => self.gene_not_found(gene, annotator),
                ExplainQuery::Position { chrom, pos } => self.position_not_found(*chrom, *pos),
            };
            self.entries.extend(entry);
        }
        self.entries
    }

    /// The `not found` entry of a gene query that no allele was annotated to.
    fn gene_not_found(&self, gene: &str, annotator: &Annotator) -> Option<ExplainEntry> {
        if self
            .genes_seen
            .contains(self.current.get(gene).map_or(gene, String::as_str))
        {
            return None;
        }
        let known = |a: &std::sync::Arc<dyn crate::annotation::GeneAnnotator>| {
            let mut k = a.knows_gene(gene);
            if k == Some(false) {
                // the models may know the gene under a previous symbol
                if annotator
                    .other_names(gene)
                    .iter()
                    .any(|o| a.knows_gene(o) == Some(true))
                {
                    k = Some(true);
                }
            }
            k
        };
        let mut notes = vec![match &annotator.source {
            Source::External(a) => match known(a) {
                Some(true) => format!(
                    "{gene} is in the gene models ({}) but no allele of the VCF was annotated to it: the VCF has no variant in or near the gene",
                    a.describe()
                ),
                Some(false) => format!(
                    "{gene} is not a gene symbol of the gene models ({}): check the spelling (HGNC symbols, case-sensitive) and the assembly",
                    a.describe()
                ),
                None => format!(
                    "no allele of the VCF was annotated to {gene} ({}): the symbol is misspelt (HGNC symbols are case-sensitive), or the VCF has no variant in the gene",
                    a.describe()
                ),
            },
            Source::Vcf(p) => format!(
                "{gene} does not occur in the VCF's annotation ({}): the symbol is misspelt (HGNC symbols are case-sensitive), or the VCF has no variant in the gene",
                p.describe()
            ),
        }];
        if let Some(h) = self.case_hints.get(gene) {
            notes.push(format!(
                "the annotation has {} (differently cased)",
                h.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
        Some(not_found(gene.to_string(), notes))
    }

    /// The `not found` entry of a position query no record with ALTs starts at: why, and the
    /// nearest records.
    fn position_not_found(&self, chrom: Chrom, pos: u32) -> Option<ExplainEntry> {
        let pq = self
            .positions
            .iter()
            .find(|x| x.chrom == chrom && x.pos == pos)?;
        if pq.matched {
            return None;
        }
        let mut notes = Vec::new();
        if let Some(l) = pq.ref_only {
            notes.push(format!(
                "the record at {chrom}:{pos} ({l}) has no ALT allele (ALT '.'): nothing to analyse"
            ));
        } else {
            notes.push(format!(
                "no VCF record starts at {chrom}:{pos} (a deletion or other allele that starts before it is listed under its own POS)"
            ));
        }
        match (pq.before, pq.after) {
            (None, None) => notes.push(format!("the VCF has no record on chromosome {chrom}")),
            (b, a) => {
                let near: Vec<String> = [("before", b), ("after", a)]
                    .into_iter()
                    .filter_map(|(w, x)| x.map(|(p, l)| format!("{w}: {chrom}:{p} ({l})")))
                    .collect();
                notes.push(format!("nearest records {}", near.join("; ")));
            }
        }
        Some(not_found(format!("{chrom}:{pos}"), notes))
    }
}

/// The entry summarising the alleles of `gene` the proband does not carry: their count, the
/// proband's GTs (most frequent first, ties by GT), the first and last record.
fn not_carried_entry(gene: &str, nc: &NotCarried) -> ExplainEntry {
    let mut gts: Vec<(&String, &u64)> = nc.gts.iter().collect();
    gts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown: Vec<String> = gts
        .iter()
        .take(6)
        .map(|(g, c)| format!("{g} ×{c}"))
        .collect();
    let (first, last) = (nc.first.expect("counted"), nc.last.expect("counted"));
    ExplainEntry {
        query: gene.to_string(),
        variant: format!("{} allele(s) not carried by the proband", nc.count),
        vcf_location: if first == last {
            first.to_string()
        } else {
            format!("{first} to {last}")
        },
        genes: vec![gene.to_string()],
        outcome: "removed".into(),
        reasons: vec![ExplainReason {
            reason: FilterReason::NotInProband,
            detail: format!(
                "proband GT {}{}",
                shown.join(", "),
                if gts.len() > 6 { ", ..." } else { "" }
            ),
        }],
        notes: vec![format!(
            "{} allele(s) annotated to {gene} that the proband does not carry are summarised in this entry; explain one with --explain CHROM:POS",
            nc.count
        )],
    }
}

/// The `--explain` notes of a structural allele: its effect on each gene, the dosage
/// curations, and the population, ClinVar and region matches with their overlap.
fn structural_notes(sv: &super::SvEvaluation) -> Vec<String> {
    let mut notes: Vec<String> = sv
        .details
        .iter()
        .map(|(gene, d)| {
            let dosage = sv
                .dosage
                .get(gene)
                .map(|c| {
                    format!(
                        "; ClinGen HI {} TS {}",
                        c.haploinsufficiency
                            .map_or("-".to_string(), |x| x.to_string()),
                        c.triplosensitivity
                            .map_or("-".to_string(), |x| x.to_string())
                    )
                })
                .unwrap_or_default();
            format!("structural effect on {gene}: {}{dosage}", d.description)
        })
        .collect();
    notes.extend(sv.evidence.lines());
    if sv.evidence.population.is_empty() && sv.evidence.clinvar.is_empty() {
        notes.push("no population or ClinVar structural record matches (reciprocal overlap below the threshold, or no structural source)".into());
    }
    notes
}
