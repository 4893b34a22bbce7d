//! Variant analysis of many single-sample VCFs against one set of gene models, as the spiked
//! benchmark runs it: each VCF is analysed exactly as `odyssey analyze --vcf` does (embedded
//! gene models and annotator, default filters, no sources) and combined with phenotype scores
//! computed elsewhere (so that leave-publication-out applies to the full analysis).
//!
//! Two things make it fast without changing results: the annotator's answers are remembered per
//! variant across VCFs ([`MemoAnnotator`]; an annotation depends on the variant alone), and the
//! last genotype analysis of each thread is kept, since a benchmark scores one VCF several
//! times with different phenotype scores.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::ThreadId;

use odyssey_annotate::Annotator;
use odyssey_genome::{Assembly, VariantKey};
use odyssey_pheno::PhenotypeScorer;
use odyssey_variant::analysis::{
    analyze, AnalysisConfig, AnnotationChoice, GenotypeAnalysis, VariantCall,
};
use odyssey_variant::annotation::{GeneAnnotator, GeneEffect, GeneSymbols};
use odyssey_variant::pedigree::Sex as VarSex;

use super::{combined_ranking, CombinedRanking};

/// An annotator whose answers are remembered per variant. The background's records recur in
/// every spiked VCF and `GeneAnnotator::annotate` is a pure function of the key, so the memo
/// changes speed, not results.
struct MemoAnnotator {
    inner: Arc<Annotator>,
    memo: RwLock<HashMap<VariantKey, Vec<GeneEffect>>>,
}

impl GeneAnnotator for MemoAnnotator {
    fn describe(&self) -> String {
        GeneAnnotator::describe(&*self.inner)
    }

    fn annotate(&self, key: &VariantKey) -> Vec<GeneEffect> {
        if let Some(e) = self.memo.read().unwrap_or_else(|e| e.into_inner()).get(key) {
            return e.clone();
        }
        let e = GeneAnnotator::annotate(&*self.inner, key);
        self.memo
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.clone(), e.clone());
        e
    }

    fn knows_gene(&self, symbol: &str) -> Option<bool> {
        GeneAnnotator::knows_gene(&*self.inner, symbol)
    }

    fn reference_bases(
        &self,
        chrom: odyssey_genome::Chrom,
        start: u32,
        end: u32,
    ) -> Option<Vec<u8>> {
        GeneAnnotator::reference_bases(&*self.inner, chrom, start, end)
    }

    /// Structural events (spiked ones) are few: not remembered.
    fn annotate_structural(
        &self,
        sv: &odyssey_genome::SvInterval,
    ) -> Vec<(GeneEffect, odyssey_variant::structural::SvGeneDetail)> {
        GeneAnnotator::annotate_structural(&*self.inner, sv)
    }
}

/// One VCF to analyse: its path, assembly, sample and the proband's sex.
#[derive(Clone, Copy, Debug)]
pub struct SampleVcf<'a> {
    /// The (single-sample) VCF.
    pub vcf: &'a Path,
    /// Its assembly.
    pub assembly: Assembly,
    /// The proband's sample name in it.
    pub sample: &'a str,
    /// The proband's sex, when known.
    pub sex: Option<odyssey_kb::Sex>,
}

/// A ranked candidate: its id (HGNC symbol, disease id, or `chrom:pos:ref:alt`), its
/// pessimistic rank (the worst rank of its tie group), its score (log10 of the combined
/// likelihood-ratio sum; for a variant, its variant score) and, for genes and diseases, its
/// post-test probability as the report gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked<T> {
    /// What is ranked.
    pub item: T,
    /// 1-based pessimistic rank.
    pub rank: usize,
    /// Score (see above).
    pub score: f64,
    /// Post-test probability (0..1) of a gene or disease; `None` for a variant.
    pub probability: Option<f64>,
}

/// A variant as (chromosome as written in the VCF, 1-based position, REF, ALT).
pub type VariantId = (String, u64, String, String);

/// The combined ranking of one VCF: genes, diseases and variants, best first.
#[derive(Clone, Debug, Default)]
pub struct SpikedRanking {
    /// Genes by HGNC symbol.
    pub genes: Vec<Ranked<String>>,
    /// Diseases by id (`OMIM:…`, `ORPHA:…`).
    pub diseases: Vec<Ranked<String>>,
    /// Qualifying variants in the order of their genes, then by variant score; a variant's
    /// rank is pessimistic over its group (same gene rank and same variant score).
    pub variants: Vec<Ranked<VariantId>>,
}

/// The analyser: embedded gene models of one assembly, optionally memoised.
pub struct SpikedAnalyzer {
    annotator: Arc<Annotator>,
    gene_annotator: Arc<dyn GeneAnnotator>,
    last: Mutex<HashMap<ThreadId, (PathBuf, Arc<GenotypeAnalysis>)>>,
    /// The gene symbols of the first knowledge base analysed with (one per benchmark run), to
    /// which the annotation's symbols are normalised as in `odyssey analyze`.
    symbols: std::sync::OnceLock<Arc<GeneSymbols>>,
}

impl SpikedAnalyzer {
    /// The embedded gene models of `assembly`; `memo` remembers annotations across VCFs.
    ///
    /// # Errors
    /// When the embedded gene models cannot be opened.
    pub fn embedded(
        assembly: Assembly,
        memo: bool,
    ) -> Result<SpikedAnalyzer, odyssey_annotate::Error> {
        let annotator = Arc::new(Annotator::embedded(assembly)?);
        let gene_annotator: Arc<dyn GeneAnnotator> = if memo {
            Arc::new(MemoAnnotator {
                inner: annotator.clone(),
                memo: Default::default(),
            })
        } else {
            annotator.clone()
        };
        Ok(SpikedAnalyzer {
            annotator,
            gene_annotator,
            last: Default::default(),
            symbols: Default::default(),
        })
    }

    /// Release of the gene models, for reports.
    pub fn gene_models(&self) -> String {
        self.annotator.release().to_string()
    }

    /// Analyses `vcf` (or reuses this thread's last analysis of the same path) and combines it
    /// with `phenotype_scores`: the raw score of every disease in `scorer.index()` order
    /// (natural-log LR), as [`combined_ranking`] takes them, of a case with `observed`
    /// observed terms.
    ///
    /// # Errors
    /// The variant analysis's error, as text naming the VCF.
    pub fn combined(
        &self,
        vcf: SampleVcf<'_>,
        scorer: &PhenotypeScorer<'_>,
        phenotype_scores: &[f64],
        observed: usize,
    ) -> Result<(CombinedRanking, Arc<GenotypeAnalysis>), String> {
        let g = self.genotypes(vcf, scorer.kb())?;
        let cr = combined_ranking(scorer.kb(), scorer, phenotype_scores, observed, &g);
        Ok((cr, g))
    }

    /// [`SpikedAnalyzer::combined`] as ranked lists of genes, diseases and variants.
    ///
    /// # Errors
    /// The variant analysis's error, as text naming the VCF.
    pub fn rank(
        &self,
        vcf: SampleVcf<'_>,
        scorer: &PhenotypeScorer<'_>,
        phenotype_scores: &[f64],
        observed: usize,
    ) -> Result<SpikedRanking, String> {
        let (cr, g) = self.combined(vcf, scorer, phenotype_scores, observed)?;
        let kb = scorer.kb();
        let ln10 = std::f64::consts::LN_10;
        let genes = cr
            .genes
            .iter()
            .map(|&(gi, rank, _)| Ranked {
                item: kb.gene(gi).symbol.clone(),
                rank,
                score: (cr.gene_sum[&gi].0.ln() + cr.scale) / ln10,
                probability: Some(cr.gene_probability[&gi]),
            })
            .collect();
        let diseases = cr
            .diseases
            .iter()
            .map(|&(pos, rank, _)| Ranked {
                item: kb.disease(scorer.index().diseases()[pos]).id.to_string(),
                rank,
                score: (cr.disease_sum[&pos].ln() + cr.scale) / ln10,
                probability: Some(cr.disease_probability[&pos]),
            })
            .collect();
        let mut items: Vec<(usize, f32, &VariantCall)> = Vec::new();
        for &(gi, rank, _) in &cr.genes {
            if let Some(e) = g.gene(&kb.gene(gi).symbol) {
                items.extend(e.variants.iter().map(|v| (rank, v.score.score, v)));
            }
        }
        Ok(SpikedRanking {
            genes,
            diseases,
            variants: rank_variants(items),
        })
    }

    /// This thread's last genotype analysis when it was of `vcf.vcf`, else a fresh one.
    fn genotypes(
        &self,
        vcf: SampleVcf<'_>,
        kb: &odyssey_kb::KnowledgeBase,
    ) -> Result<Arc<GenotypeAnalysis>, String> {
        let me = std::thread::current().id();
        let cached = self
            .last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&me)
            .filter(|(p, _)| p == vcf.vcf)
            .map(|(_, g)| g.clone());
        if let Some(g) = cached {
            return Ok(g);
        }
        let mut cfg = AnalysisConfig::new(
            vcf.vcf,
            AnnotationChoice::Annotator(self.gene_annotator.clone()),
        );
        cfg.assembly = Some(vcf.assembly);
        cfg.proband = Some(vcf.sample.to_string());
        cfg.proband_sex = vcf.sex.map(|s| match s {
            odyssey_kb::Sex::Male => VarSex::Male,
            odyssey_kb::Sex::Female => VarSex::Female,
        });
        cfg.threads = 1;
        cfg.keep_removed = 0;
        let symbols = match self.symbols.get() {
            Some(s) => s.clone(),
            None => {
                let s = Arc::new(super::gene_symbols(kb).map_err(|e| e.to_string())?);
                self.symbols.get_or_init(|| s).clone()
            }
        };
        cfg.gene_symbols = Some(symbols);
        let g = Arc::new(analyze(&cfg).map_err(|e| e.to_string())?);
        self.last
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(me, (vcf.vcf.to_path_buf(), g.clone()));
        Ok(g)
    }
}

/// Variants (gene rank, variant score, call) ordered by gene rank, then score descending;
/// each gets the pessimistic rank of its group of equal (gene rank, score); a variant listed
/// under several genes is kept at its first (best) place.
fn rank_variants(mut items: Vec<(usize, f32, &VariantCall)>) -> Vec<Ranked<VariantId>> {
    items.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
    let mut out = Vec::with_capacity(items.len());
    let mut seen = HashSet::new();
    let mut i = 0;
    while i < items.len() {
        let mut j = i + 1;
        while j < items.len() && items[j].0 == items[i].0 && items[j].1 == items[i].1 {
            j += 1;
        }
        for &(_, score, v) in &items[i..j] {
            let id = (
                v.chrom.clone(),
                u64::from(v.pos),
                v.reference.clone(),
                v.alt.clone(),
            );
            if seen.insert(id.clone()) {
                out.push(Ranked {
                    item: id,
                    rank: j,
                    score: f64::from(score),
                    probability: None,
                });
            }
        }
        i = j;
    }
    out
}
