//! The `spiked` mode: each case's causal variants (their `vcfRecord`s) are inserted into a real
//! background exome with genotypes from their allelic state ([`crate::spike`]), lifted to the
//! background's assembly when needed ([`crate::liftover`]), and the spiked VCF goes through
//! the full variant analysis, behind the [`VariantPipeline`] trait, side by side with the
//! phenotype-only models on the same cases.
//!
//! REF checks (no reference FASTA is available here):
//! 1. the phenopacket's own consistency: for SNVs with an `hgvs.g` expression, its RefSeq
//!    accession must be the chromosome of the `vcfRecord` in the record's assembly, and its
//!    position and REF base must equal the record's;
//! 2. the liftover: the whole REF span must lie in one ungapped chain block; on a minus-strand
//!    block SNVs/MNVs are reverse-complemented and indels refused (their anchor base would
//!    need the sequence);
//! 3. optionally, agreement with an independent liftover (`cases.tsv` of phenopacket-store,
//!    GRCh37 positions): a different position drops the case;
//! 4. the background itself: wherever a background record overlaps a spiked variant, the
//!    background's REF bases (real sequence of its assembly) must equal the spiked REF.
//!
//! A case is spiked only when every causal variant passes; the others are counted by reason.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Instant;

use odyssey_genome::{Assembly, Chrom, VariantKey};
use odyssey_kb::Sex;
use odyssey_pheno::{Case, Method, PhenotypeScorer, Scratch};
use rayon::prelude::*;
use serde::Serialize;

use crate::corpus::{AllelicState, BenchCase, CaseVariant};
use crate::error::{BenchError, Result};
use crate::evaluate::{CaseOutcome, Evaluator, LevelRanks, RankingSink, RunSpec};
use crate::liftover::{lift_variant, ChainMap, LiftFailure};
use crate::metrics::best_rank;
use crate::phenotype::{
    consistency_info, corpus_info, count_ranked_genes, leakage_info, time_default_batch,
    BenchOutput, Corpus,
};
use crate::pheval::{PhenotypePheval, PhevalWriter, Row};
use crate::report::{conventions, BenchReport, KbInfo, SpeedInfo, SCHEMA};
use crate::spike::{Background, Genotype, SpikeError, SpikeVariant};
use crate::structural::Skip;
use crate::summary::summarize;
use crate::timing::Latency;

/// One spiked case handed to the variant pipeline. It carries no truth: only what a user
/// would give Odyssey.
pub struct SpikedJob<'a> {
    /// Case id.
    pub case_id: &'a str,
    /// Sex of the proband.
    pub sex: Option<Sex>,
    /// The resolved phenotype.
    pub phenotype: &'a Case,
    /// The spiked VCF (single sample).
    pub vcf: &'a Path,
    /// Its assembly.
    pub assembly: Assembly,
    /// Its sample.
    pub sample: &'a str,
    /// The scorer whose index orders `phenotype_scores` (default options, same KB).
    pub scorer: &'a PhenotypeScorer<'a>,
    /// Phenotype method of the run.
    pub method: Method,
    /// The run applies leave-publication-out (`phenotype_scores` are computed without the
    /// annotations citing the case's publication).
    pub leave_publication_out: bool,
    /// Raw phenotype score of every indexed disease, in `scorer.index()` order (natural-log
    /// LR for the LR model), with leave-publication-out already applied when the run asks
    /// for it. The pipeline must use these instead of scoring the phenotype itself, so that
    /// leakage control applies to the full analysis too.
    pub phenotype_scores: &'a [f64],
}

/// A gene of a pipeline ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineGene {
    /// HGNC symbol.
    pub symbol: String,
    /// Pessimistic rank.
    pub rank: usize,
    /// Score.
    pub score: f64,
    /// Post-test probability that this gene is the diagnosis (0..1), when the pipeline gives
    /// one; the top gene's goes into the calibration table ([`crate::calibration`]).
    pub probability: Option<f64>,
}

/// A disease of a pipeline ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineDisease {
    /// Disease id (`OMIM:...`).
    pub id: String,
    /// Pessimistic rank.
    pub rank: usize,
    /// Score.
    pub score: f64,
}

/// A variant of a pipeline ranking, in the VCF's coordinates.
#[derive(Clone, Debug, PartialEq)]
pub struct PipelineVariant {
    /// Chromosome as in the VCF.
    pub chrom: String,
    /// 1-based position.
    pub pos: u64,
    /// REF.
    pub reference: String,
    /// ALT.
    pub alternate: String,
    /// Pessimistic rank.
    pub rank: usize,
    /// Score.
    pub score: f64,
}

/// What the variant pipeline returns for one case (each list best first).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipelineRanking {
    /// Genes.
    pub genes: Vec<PipelineGene>,
    /// Diseases.
    pub diseases: Vec<PipelineDisease>,
    /// Variants.
    pub variants: Vec<PipelineVariant>,
}

/// What the pipeline says about itself, for the report.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PipelineInfo {
    /// Name and version.
    pub name: String,
    /// The annotation sources it used (population frequencies, ClinVar, scores, gene
    /// models), each with version and coverage, stated plainly.
    pub annotation_sources: Vec<String>,
}

/// Odyssey's full variant analysis, as the benchmark calls it. The lead plugs the pipeline of
/// `crates/odyssey` in here.
pub trait VariantPipeline: Sync {
    /// Name, version and annotation sources.
    fn info(&self) -> PipelineInfo;
    /// Analyses one spiked case. Errors are reported per case (the case counts as not found).
    fn analyse(&self, job: &SpikedJob) -> std::result::Result<PipelineRanking, String>;
}

/// Why a case was not spiked.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// No causal variant with a `vcfRecord`.
    NoVcfRecord,
    /// A causal variant has no `vcfRecord` (structural variant): the genotype would be
    /// incomplete.
    StructuralVariant,
    /// A structural variant's label could not be placed, with the reason
    /// ([`crate::structural::place`]).
    StructuralLabel(crate::structural::Skip),
    /// `genomeAssembly` not GRCh37/GRCh38.
    UnknownAssembly,
    /// Not a primary chromosome, or REF/ALT not plain sequence.
    BadVariant,
    /// The `hgvs.g` expression contradicts the `vcfRecord`.
    HgvsMismatch,
    /// Liftover failed.
    Liftover(LiftFailure),
    /// No chain file for the needed direction.
    NoChain,
    /// Our liftover and `cases.tsv`'s disagree.
    LiftoverDisagrees,
    /// The background's REF differs from the spiked REF.
    BackgroundRefConflict,
}

/// The plan for one case.
#[derive(Clone, Debug, PartialEq)]
pub enum SpikePlan {
    /// Variants to insert (background assembly) and the number of background records they
    /// replace.
    Spiked(Vec<SpikeVariant>, usize),
    /// Not spiked.
    Dropped(DropReason),
}

/// An independent liftover of the corpus' variants: `cases.tsv` of phenopacket-store, columns
/// `file`, `variants_hg38(chrom:pos:ref:alt:zygosity)` and `variants_hg19_liftover`
/// (`chrom:pos:strand`, `NA` when it failed, listed in the order of the variants that have
/// coordinates).
#[derive(Default)]
pub struct TsvLiftover {
    /// (case path relative to the cases folder, hg38 chrom, hg38 pos) -> GRCh37 (chrom, pos),
    /// `None` for `NA`.
    map: HashMap<(String, Chrom, u64), Option<(Chrom, u64)>>,
}

impl TsvLiftover {
    /// Reads `cases.tsv`. Errors: unreadable file; missing columns (named).
    pub fn read(path: &Path) -> Result<TsvLiftover> {
        let text = std::fs::read_to_string(path).map_err(|e| BenchError::io(path, e))?;
        let mut lines = text.lines();
        let head: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col = |name: &str| {
            head.iter()
                .position(|h| *h == name)
                .ok_or_else(|| BenchError::Line {
                    path: path.into(),
                    line: 1,
                    message: format!("no column {name:?}"),
                })
        };
        let (cf, cv, cl) = (
            col("file")?,
            col("variants_hg38(chrom:pos:ref:alt:zygosity)")?,
            col("variants_hg19_liftover")?,
        );
        let mut map = HashMap::new();
        for l in lines {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() <= cf.max(cv).max(cl) {
                continue;
            }
            let file = f[cf].strip_prefix("cases/").unwrap_or(f[cf]).to_string();
            let hg38: Vec<(Chrom, u64)> = f[cv]
                .split(';')
                .filter_map(|v| {
                    let p: Vec<&str> = v.split(':').collect();
                    (p.len() == 5)
                        .then(|| Some((p[0].parse::<Chrom>().ok()?, p[1].parse::<u64>().ok()?)))
                        .flatten()
                })
                .collect();
            let lifted: Vec<&str> = if f[cl].is_empty() {
                Vec::new()
            } else {
                f[cl].split(';').collect()
            };
            if lifted.len() != hg38.len() {
                continue;
            }
            for ((c, p), l) in hg38.into_iter().zip(lifted) {
                let parts: Vec<&str> = l.split(':').collect();
                let v = if parts.len() >= 2 {
                    parts[0]
                        .parse::<Chrom>()
                        .ok()
                        .zip(parts[1].parse::<u64>().ok())
                } else {
                    None
                };
                map.insert((file.clone(), c, p), v);
            }
        }
        Ok(TsvLiftover { map })
    }

    /// The recorded GRCh37 position of a case's hg38 variant: `Some(None)` for `NA`, `None`
    /// when not listed.
    pub fn get(&self, rel_path: &str, chrom: Chrom, pos: u64) -> Option<Option<(Chrom, u64)>> {
        self.map.get(&(rel_path.to_string(), chrom, pos)).copied()
    }

    /// Variants listed.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when nothing is listed.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Checks an SNV against its `hgvs.g` expression (`NC_000015.10:g.67236720C>T`): `Some(true)`
/// consistent, `Some(false)` contradicting, `None` when not checkable (not an SNV, no
/// expression, or another HGVS form).
pub fn hgvs_g_consistent(v: &CaseVariant, assembly: Assembly, chrom: Chrom) -> Option<bool> {
    let h = v.hgvs_g.as_deref()?;
    if v.reference.len() != 1 || v.alternate.len() != 1 {
        return None;
    }
    let (acc, rest) = h.split_once(":g.")?;
    let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let tail = &rest[digits.len()..];
    let (r, a) = tail.split_once('>')?;
    if r.len() != 1 || a.len() != 1 {
        return None;
    }
    let pos: u64 = digits.parse().ok()?;
    Some(
        acc.trim() == assembly.refseq_accession(chrom)
            && pos == v.pos
            && r.eq_ignore_ascii_case(&v.reference)
            && a.eq_ignore_ascii_case(&v.alternate),
    )
}

/// The genotype of a causal variant (see the [`crate::spike`] docs).
pub fn genotype_of(state: AllelicState, chrom: Chrom, sex: Option<Sex>) -> Genotype {
    match state {
        AllelicState::Homozygous => Genotype::HomozygousAlt,
        AllelicState::Hemizygous
            if (chrom == Chrom::X || chrom == Chrom::Y) && sex != Some(Sex::Female) =>
        {
            Genotype::Hemizygous
        }
        AllelicState::Hemizygous => Genotype::HomozygousAlt,
        AllelicState::Heterozygous | AllelicState::Unknown => Genotype::Heterozygous,
    }
}

/// Everything needed to spike cases.
pub struct Spiker {
    /// The background.
    pub background: Background,
    /// Chain from the cases' assembly to the background's, when they differ.
    pub chain: Option<ChainMap>,
    /// Independent liftover to check against.
    pub tsv: Option<TsvLiftover>,
}

impl Spiker {
    /// Plans a case: the variants to insert, or why not.
    pub fn plan(&self, case: &BenchCase) -> SpikePlan {
        use SpikePlan::Dropped;
        let target = self.background.assembly;
        let mut out = Vec::new();
        if case.variants_without_vcf_record > 0 {
            match self.structural_spikes(case) {
                Ok(v) => out.extend(v.into_iter().map(|(_, v)| v)),
                Err(None) => return Dropped(DropReason::StructuralVariant),
                Err(Some(r)) => return Dropped(DropReason::StructuralLabel(r)),
            }
        } else if case.variants.is_empty() {
            return Dropped(DropReason::NoVcfRecord);
        }
        for v in &case.variants {
            let Ok(asm) = v.assembly.parse::<Assembly>() else {
                return Dropped(DropReason::UnknownAssembly);
            };
            let Ok(chrom) = v.chrom.parse::<Chrom>() else {
                return Dropped(DropReason::BadVariant);
            };
            if VariantKey::new(
                chrom,
                v.pos.min(u64::from(u32::MAX)) as u32,
                &v.reference,
                &v.alternate,
            )
            .is_err()
            {
                return Dropped(DropReason::BadVariant);
            }
            if hgvs_g_consistent(v, asm, chrom) == Some(false) {
                return Dropped(DropReason::HgvsMismatch);
            }
            // chrM: GRCh37 (b37 `MT`) and GRCh38 both use the rCRS (NC_012920.1), so positions
            // are kept; UCSC's hg19 chrM is another sequence and its chain does not apply
            let (c, pos, r, a) = if asm == target || chrom == Chrom::MT {
                (
                    chrom,
                    v.pos,
                    v.reference.to_ascii_uppercase(),
                    v.alternate.to_ascii_uppercase(),
                )
            } else {
                let Some(chain) = &self.chain else {
                    return Dropped(DropReason::NoChain);
                };
                match lift_variant(chain, chrom, v.pos, &v.reference, &v.alternate) {
                    Ok(l) => {
                        // a position recorded by the independent liftover must agree; `NA`
                        // there (its tool failed) is no contradiction
                        if let Some(Some(rec)) = self
                            .tsv
                            .as_ref()
                            .and_then(|t| t.get(&case.rel_path, chrom, v.pos))
                        {
                            if rec != (l.chrom, l.pos) {
                                return Dropped(DropReason::LiftoverDisagrees);
                            }
                        }
                        (l.chrom, l.pos, l.reference, l.alternate)
                    }
                    Err(f) => return Dropped(DropReason::Liftover(f)),
                }
            };
            out.push(SpikeVariant {
                chrom: c,
                pos,
                reference: r,
                alternate: a,
                genotype: genotype_of(v.allelic_state, c, case.sex),
                info: None,
            });
        }
        match self.background.check(&out) {
            Ok(n) => SpikePlan::Spiked(out, n),
            Err(SpikeError::RefConflict { .. }) => Dropped(DropReason::BackgroundRefConflict),
        }
    }
}

impl Spiker {
    /// The symbolic records of a case's structural variants, each with the label form that
    /// placed it ([`crate::structural::place`], with the descriptor's gene or else the case's
    /// single causal gene, on the embedded gene models), lifted to the background's assembly
    /// (both ends, which must stay on one chromosome in order). `Err(Some(reason))` for the
    /// first label that cannot be placed or lifted, `Err(None)` when the labels do not
    /// account for every variant without a `vcfRecord`. Genotype: copy number 0 homozygous,
    /// other changes heterozygous, else the allelic state.
    pub fn structural_spikes(
        &self,
        case: &BenchCase,
    ) -> std::result::Result<Vec<(crate::structural::Form, SpikeVariant)>, Option<Skip>> {
        if case.structural.len() != case.variants_without_vcf_record {
            return Err(None);
        }
        let target = self.background.assembly;
        let single_gene = match &case.gold_genes[..] {
            [g] => Some(g.as_str()),
            _ => None,
        };
        let mut out = Vec::new();
        for s in &case.structural {
            let gene = s.gene.as_deref().or(single_gene);
            let (form, p) =
                crate::structural::place(s, gene, &crate::structural::embedded_gene_model, target)
                    .map_err(Some)?;
            let (chrom, start, end) = if p.assembly == target {
                (p.chrom, p.start, p.end)
            } else {
                let chain = self.chain.as_ref().ok_or(Some(Skip::Liftover))?;
                let lift = |pos| lift_variant(chain, p.chrom, pos, "A", "C").ok();
                let (Some(a), Some(b)) = (lift(p.start), lift(p.end)) else {
                    return Err(Some(Skip::Liftover));
                };
                if a.chrom != b.chrom || b.pos <= a.pos {
                    return Err(Some(Skip::Liftover));
                }
                (a.chrom, a.pos, b.pos)
            };
            let genotype = match p.copy_number {
                Some(0) => Genotype::HomozygousAlt,
                Some(_) => Genotype::Heterozygous,
                None => genotype_of(s.allelic_state, chrom, case.sex),
            };
            let svtype = if p.loss { "DEL" } else { "DUP" };
            out.push((
                form,
                SpikeVariant {
                    chrom,
                    pos: start - 1,
                    reference: "N".into(),
                    alternate: format!("<{svtype}>"),
                    genotype,
                    info: Some(format!("SVTYPE={svtype};END={end}")),
                },
            ));
        }
        Ok(out)
    }
}

/// Settings of a spiked-mode run.
pub struct SpikedConfig {
    /// Leave-publication-out runs too (the headline).
    pub leave_publication_out: bool,
    /// Model settings.
    pub options: odyssey_pheno::ScorerOptions,
    /// Keep the spiked VCFs in this folder (`<stem>.vcf`); otherwise they are written to a
    /// temporary folder only when a pipeline needs them.
    pub keep_vcfs: Option<PathBuf>,
    /// The command line.
    pub command: String,
    /// Date stamp.
    pub date: String,
    /// What the caller knows of the annotation sources available on this machine, stated in
    /// the report.
    pub annotation_note: String,
    /// Write PhEval results under this folder, keeping the best `usize` items per file.
    pub pheval: Option<(PathBuf, usize)>,
}

/// Spike-in statistics for the report.
#[derive(Clone, Debug, Default, Serialize)]
pub struct SpikeStats {
    /// Background file.
    pub background: String,
    /// Its assembly.
    pub background_assembly: String,
    /// Its records (after removing earlier `SPIKED` ones).
    pub background_records: usize,
    /// Earlier `SPIKED` records removed from it.
    pub background_spiked_removed: usize,
    /// Its chromosomes.
    pub background_chromosomes: Vec<String>,
    /// Chain file chains, when a liftover was needed.
    pub chain_chains: Option<usize>,
    /// Variants listed by the independent liftover (`cases.tsv`).
    pub tsv_liftover_variants: Option<usize>,
    /// Cases considered.
    pub cases: usize,
    /// Cases spiked.
    pub spiked: usize,
    /// Cases dropped, by reason.
    pub dropped: BTreeMap<String, usize>,
    /// Structural variants of the spiked cases, by the label form that placed them
    /// ([`crate::structural::Form`]).
    pub structural_placed: BTreeMap<String, usize>,
    /// Spiked variants by genotype.
    pub genotypes: BTreeMap<String, usize>,
    /// Spiked variants lifted over (cases' assembly differs from the background's; chrM
    /// excepted).
    pub variants_lifted: usize,
    /// Lifted variants whose position the independent liftover (`cases.tsv`) confirms.
    pub lifted_confirmed_by_tsv: usize,
    /// Lifted variants the independent liftover failed on (`NA`), kept.
    pub lifted_tsv_na: usize,
    /// Background records replaced by spiked variants.
    pub background_records_replaced: usize,
    /// SNVs checked against their `hgvs.g` expression.
    pub hgvs_g_snvs_checked: usize,
    /// SNVs contradicting their `hgvs.g` expression (accession, position or bases).
    pub hgvs_g_snvs_contradicting: usize,
    /// The variant pipeline, or `null` when none is plugged in (figures pending).
    pub pipeline: Option<PipelineInfo>,
    /// Annotation sources available here, as stated by the caller.
    pub annotation_sources_note: String,
    /// Spiked VCFs written per second (when written).
    pub vcf_write_per_s: Option<f64>,
    /// Per-case latency of the pipeline (all its runs), when one is plugged in.
    pub pipeline_latency: Option<Latency>,
    /// Pipeline failures (the case then counts as not found in that run).
    pub pipeline_errors: usize,
    /// The first pipeline failures.
    pub pipeline_error_examples: Vec<String>,
}

/// The runs of the spiked mode: the full pipeline (when plugged in) and the phenotype-only LR
/// and Resnik models, each with and without leave-publication-out.
pub fn spiked_runs(lpo: bool, pipeline: bool) -> Vec<RunSpec> {
    let mut out = Vec::new();
    for l in if lpo { vec![true, false] } else { vec![false] } {
        if pipeline {
            out.push(RunSpec {
                key: if l {
                    "pipeline-lpo".into()
                } else {
                    "pipeline".into()
                },
                label: "Odyssey full analysis (default)".into(),
                method: Method::LikelihoodRatio,
                leave_publication_out: l,
            });
        }
        for r in RunSpec::phenotype_runs(l)
            .into_iter()
            .filter(|r| r.leave_publication_out == l)
        {
            out.push(RunSpec {
                label: format!("{} (phenotype only)", r.label),
                ..r
            });
        }
    }
    out
}

fn drop_key(r: &DropReason) -> String {
    match r {
        DropReason::StructuralLabel(k) => format!(
            "structural_{}",
            serde_json::to_value(k)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        ),
        DropReason::Liftover(f) => format!(
            "liftover_{}",
            serde_json::to_value(f)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default()
        ),
        other => serde_json::to_value(other)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
    }
}

/// Runs the spiked mode. Without a pipeline the spike-in is still planned and checked for
/// every case (and the VCFs written when `keep_vcfs`), and the phenotype-only models run on
/// the spiked cases; the report then says that the full-analysis figures are pending.
pub fn run_spiked(
    kb: &odyssey_kb::KnowledgeBase,
    kb_info: KbInfo,
    corpus: &Corpus,
    spiker: &Spiker,
    cfg: &SpikedConfig,
    pipeline: Option<&dyn VariantPipeline>,
) -> Result<BenchOutput> {
    let t = Instant::now();
    let ev = Evaluator::new(kb, cfg.options.clone());
    let index_ms = t.elapsed().as_secs_f64() * 1e3;
    let plans: Vec<SpikePlan> = corpus.cases.par_iter().map(|c| spiker.plan(c)).collect();
    let mut stats = plan_stats(corpus, spiker, &plans, cfg, pipeline);
    // the evaluated cases: those spiked
    let idx: Vec<usize> = plans
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p, SpikePlan::Spiked(..)))
        .map(|(i, _)| i)
        .collect();
    let runs = spiked_runs(cfg.leave_publication_out, pipeline.is_some());
    let tmp = spiked_vcf_folder(cfg, pipeline)?;
    let writer = match &cfg.pheval {
        Some((dir, top)) => Some(PhevalWriter::new(
            dir,
            &runs,
            &["gene", "disease", "variant"],
            *top,
        )?),
        None => None,
    };
    let sink = writer.as_ref().map(|w| PhenotypePheval { writer: w, kb });
    let sub: Vec<BenchCase> = idx.iter().map(|&i| corpus.cases[i].clone()).collect();
    let (default_batch_s, nanos) = time_default_batch(&ev, &sub);
    let t = Instant::now();
    let cases = SpikedCases {
        ev: &ev,
        corpus,
        plans: &plans,
        runs: &runs,
        spiker,
        cfg,
        pipeline,
        vcf_folder: tmp.as_deref(),
        writer: writer.as_ref(),
        sink: sink.as_ref().map(|s| s as &dyn RankingSink),
        written: std::sync::atomic::AtomicUsize::new(0),
        pipeline_nanos: std::sync::Mutex::new(Vec::new()),
        pipeline_errors: std::sync::Mutex::new(Vec::new()),
    };
    let outcomes: Vec<CaseOutcome> = idx
        .par_iter()
        .map_init(Scratch::default, |scratch, &i| cases.evaluate(i, scratch))
        .collect();
    let evaluation_s = t.elapsed().as_secs_f64();
    if let Some(w) = &writer {
        w.finish()?;
    }
    if cfg.keep_vcfs.is_none() {
        if let Some(d) = &tmp {
            let _ = std::fs::remove_dir(d);
        }
    }
    cases.record_figures(&mut stats, evaluation_s);
    let sub_corpus = Corpus {
        dir: corpus.dir.clone(),
        sample: corpus.sample.clone(),
        files: corpus.files,
        cases: sub,
        errors: corpus.errors.clone(),
        read_s: corpus.read_s,
    };
    let speed = SpeedInfo::measured(
        sub_corpus.cases.len(),
        corpus.read_s,
        index_ms,
        default_batch_s,
        &nanos,
        evaluation_s,
    );
    let notes = spiked_notes(&stats, pipeline.is_some());
    let kb_info = KbInfo {
        ranked_diseases: ev.scorer().index().diseases().len(),
        genes: count_ranked_genes(&ev),
        cited_pmids: ev.publications().len(),
        ..kb_info
    };
    let report = BenchReport {
        schema: SCHEMA.into(),
        date: cfg.date.clone(),
        mode: "spiked".into(),
        odyssey_version: env!("CARGO_PKG_VERSION").into(),
        command: cfg.command.clone(),
        corpus: corpus_info(&sub_corpus, &outcomes),
        knowledge_base: kb_info,
        model: serde_json::to_value(&cfg.options).unwrap_or_default(),
        conventions: conventions(),
        runs: summarize(&runs, &outcomes, pipeline.is_some()),
        leakage: cfg
            .leave_publication_out
            .then(|| leakage_info(&sub_corpus, &outcomes)),
        consistency: consistency_info(&outcomes),
        speed,
        spiked: serde_json::to_value(&stats).ok(),
        calibration: crate::calibration::of_runs(&runs, &outcomes),
        notes,
    };
    Ok(BenchOutput {
        report,
        outcomes,
        runs,
    })
}

/// The spike-in figures of every case's plan: background, liftover and `hgvs.g` checks,
/// spiked and dropped counts (by reason), genotypes.
fn plan_stats(
    corpus: &Corpus,
    spiker: &Spiker,
    plans: &[SpikePlan],
    cfg: &SpikedConfig,
    pipeline: Option<&dyn VariantPipeline>,
) -> SpikeStats {
    let mut stats = SpikeStats {
        background: spiker.background.path.display().to_string(),
        background_assembly: spiker.background.assembly.to_string(),
        background_records: spiker.background.len(),
        background_spiked_removed: spiker.background.removed_spiked,
        background_chromosomes: spiker
            .background
            .chromosomes()
            .iter()
            .map(|c| c.to_string())
            .collect(),
        chain_chains: spiker.chain.as_ref().map(ChainMap::chains),
        tsv_liftover_variants: spiker.tsv.as_ref().map(TsvLiftover::len),
        cases: corpus.cases.len(),
        pipeline: pipeline.map(|p| p.info()),
        annotation_sources_note: cfg.annotation_note.clone(),
        ..Default::default()
    };
    for (c, p) in corpus.cases.iter().zip(plans) {
        for v in &c.variants {
            if let (Ok(a), Ok(ch)) = (v.assembly.parse::<Assembly>(), v.chrom.parse::<Chrom>()) {
                if let Some(ok) = hgvs_g_consistent(v, a, ch) {
                    stats.hgvs_g_snvs_checked += 1;
                    stats.hgvs_g_snvs_contradicting += usize::from(!ok);
                }
            }
        }
        match p {
            SpikePlan::Spiked(vs, n) => {
                stats.spiked += 1;
                for (form, _) in spiker.structural_spikes(c).unwrap_or_default() {
                    *stats
                        .structural_placed
                        .entry(form.key().to_string())
                        .or_default() += 1;
                }
                for v in &c.variants {
                    let (Ok(a), Ok(ch)) =
                        (v.assembly.parse::<Assembly>(), v.chrom.parse::<Chrom>())
                    else {
                        continue;
                    };
                    if a == spiker.background.assembly || ch == Chrom::MT {
                        continue;
                    }
                    stats.variants_lifted += 1;
                    match spiker
                        .tsv
                        .as_ref()
                        .and_then(|t| t.get(&c.rel_path, ch, v.pos))
                    {
                        Some(Some(_)) => stats.lifted_confirmed_by_tsv += 1,
                        Some(None) => stats.lifted_tsv_na += 1,
                        None => {}
                    }
                }
                stats.background_records_replaced += n;
                for v in vs {
                    *stats
                        .genotypes
                        .entry(v.genotype.gt().to_string())
                        .or_default() += 1;
                }
            }
            SpikePlan::Dropped(r) => *stats.dropped.entry(drop_key(r)).or_default() += 1,
        }
    }
    stats
}

/// Where the spiked VCFs go (created): `--keep-vcfs`, else a temporary folder when a
/// pipeline needs them, else nowhere.
fn spiked_vcf_folder(
    cfg: &SpikedConfig,
    pipeline: Option<&dyn VariantPipeline>,
) -> Result<Option<PathBuf>> {
    let tmp = match (&cfg.keep_vcfs, pipeline) {
        (Some(d), _) => Some(d.clone()),
        (None, Some(_)) => {
            Some(std::env::temp_dir().join(format!("odyssey-bench-{}", std::process::id())))
        }
        (None, None) => None,
    };
    if let Some(d) = &tmp {
        std::fs::create_dir_all(d).map_err(|e| BenchError::io(d, e))?;
    }
    Ok(tmp)
}

/// The report's notes for spiked mode.
fn spiked_notes(stats: &SpikeStats, has_pipeline: bool) -> Vec<String> {
    let mut notes = vec![format!(
        "Spiked mode evaluates the {} of {} cases whose every causal variant could be spiked into the background; the others are counted by reason under `spiked.dropped`.",
        stats.spiked, stats.cases
    )];
    if !has_pipeline {
        notes.push("PENDING INTEGRATION: no variant pipeline is plugged in (crates/odyssey is being integrated), so the full-analysis rows and the variant level are absent. The spike-in planning (liftover, REF checks, genotypes) ran for every case; spiked VCFs are written only for a pipeline or with --keep-vcfs. The phenotype-only rows are computed on exactly the spiked cases.".into());
    }
    notes
}

/// The shared state of evaluating the spiked cases in parallel: inputs, and the counters
/// the workers fill (VCFs written, pipeline latencies and errors).
struct SpikedCases<'a> {
    ev: &'a Evaluator<'a>,
    corpus: &'a Corpus,
    plans: &'a [SpikePlan],
    runs: &'a [RunSpec],
    spiker: &'a Spiker,
    cfg: &'a SpikedConfig,
    pipeline: Option<&'a dyn VariantPipeline>,
    vcf_folder: Option<&'a Path>,
    writer: Option<&'a PhevalWriter>,
    sink: Option<&'a dyn RankingSink>,
    written: std::sync::atomic::AtomicUsize,
    pipeline_nanos: std::sync::Mutex<Vec<u64>>,
    pipeline_errors: std::sync::Mutex<Vec<String>>,
}

impl SpikedCases<'_> {
    /// Evaluates spiked case `i`: the phenotype-only runs, then its spiked VCF is written and
    /// each pipeline run analyses it. Ranks are in the order of `runs`.
    fn evaluate(&self, i: usize, scratch: &mut Scratch) -> CaseOutcome {
        let case = &self.corpus.cases[i];
        let SpikePlan::Spiked(spikes, _) = &self.plans[i] else {
            unreachable!("filtered")
        };
        let pheno_runs: Vec<RunSpec> = self
            .runs
            .iter()
            .filter(|r| !r.key.starts_with("pipeline"))
            .cloned()
            .collect();
        let mut o = self.ev.evaluate(case, i, &pheno_runs, scratch, self.sink);
        o.has_gold_variant = true;
        // ranks in the order of `runs`
        let mut ranks = vec![LevelRanks::default(); self.runs.len()];
        let mut top_p = vec![None; self.runs.len()];
        let mut k = 0;
        let vcf_path = self.vcf_folder.map(|d| {
            if self.cfg.keep_vcfs.is_some() {
                d.join(format!("{}.vcf", case.stem()))
            } else {
                d.join(format!("case-{i}.vcf"))
            }
        });
        if let Some(p) = &vcf_path {
            if let Err(e) = self.write_vcf(spikes, p) {
                o.unscored = Some(format!("{}: {e}", p.display()));
            }
        }
        for (ri, run) in self.runs.iter().enumerate() {
            if !run.key.starts_with("pipeline") {
                ranks[ri] = o.ranks[k];
                top_p[ri] = o.top_gene_probability[k];
                k += 1;
                continue;
            }
            let (Some(pl), Some(vcf)) = (self.pipeline, &vcf_path) else {
                continue;
            };
            if o.unscored.is_some() {
                continue;
            }
            let t = Instant::now();
            match run_pipeline(
                self.ev,
                pl,
                case,
                run,
                spikes,
                vcf,
                &self.spiker.background,
                scratch,
                self.writer,
            ) {
                Ok((r, p)) => {
                    ranks[ri] = r;
                    top_p[ri] = p;
                }
                Err(e) => self
                    .pipeline_errors
                    .lock()
                    .expect("not poisoned")
                    .push(format!("{} ({}): {e}", case.rel_path, run.key)),
            }
            self.pipeline_nanos
                .lock()
                .expect("not poisoned")
                .push(t.elapsed().as_nanos() as u64);
        }
        if self.cfg.keep_vcfs.is_none() {
            if let Some(p) = &vcf_path {
                let _ = std::fs::remove_file(p);
            }
        }
        o.ranks = ranks;
        o.top_gene_probability = top_p;
        o
    }

    /// Writes the background with `spikes` inserted to `path`, counting it as written.
    fn write_vcf(&self, spikes: &[SpikeVariant], path: &Path) -> std::result::Result<(), String> {
        std::fs::File::create(path)
            .map_err(|e| e.to_string())
            .and_then(|mut f| {
                self.spiker
                    .background
                    .write_spiked(spikes, &mut f)
                    .map_err(|e| e.to_string())
            })?;
        self.written
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    }

    /// Puts the workers' figures into `stats`: pipeline latency and errors, VCF write rate.
    fn record_figures(self, stats: &mut SpikeStats, evaluation_s: f64) {
        let nanos_pl = self.pipeline_nanos.into_inner().expect("not poisoned");
        if !nanos_pl.is_empty() {
            stats.pipeline_latency = Some(Latency::from_nanos(&nanos_pl));
        }
        let errs = self.pipeline_errors.into_inner().expect("not poisoned");
        stats.pipeline_errors = errs.len();
        stats.pipeline_error_examples = errs.into_iter().take(10).collect();
        let w = self.written.into_inner();
        if w > 0 {
            stats.vcf_write_per_s = Some(w as f64 / evaluation_s.max(1e-9));
        }
    }
}

/// One pipeline run on one spiked case: gold gene, disease and variant ranks, and the top
/// gene's post-test probability with whether it is a causal gene at pessimistic rank 1 (when
/// the pipeline gives probabilities and the case has a causal gene).
#[allow(clippy::too_many_arguments)]
fn run_pipeline(
    ev: &Evaluator,
    pl: &dyn VariantPipeline,
    case: &BenchCase,
    run: &RunSpec,
    spikes: &[SpikeVariant],
    vcf: &Path,
    bg: &Background,
    scratch: &mut Scratch,
    pheval: Option<&PhevalWriter>,
) -> std::result::Result<(LevelRanks, Option<(f64, bool)>), String> {
    let resolved = ev.resolve(case)?;
    let (scores, effect) = ev.scores(
        &resolved,
        run.method,
        run.leave_publication_out.then_some(&case.publications[..]),
        scratch,
    );
    let job = SpikedJob {
        case_id: &case.id,
        sex: case.sex,
        phenotype: &resolved,
        vcf,
        assembly: bg.assembly,
        sample: &bg.sample,
        scorer: ev.scorer(),
        method: run.method,
        leave_publication_out: run.leave_publication_out,
        phenotype_scores: &scores,
    };
    let r = pl.analyse(&job)?;
    let (gold, _) = ev.gold(case);
    let kb = ev.scorer().kb();
    let gold_disease_ids: Vec<String> = gold
        .diseases
        .iter()
        .filter(|d| !effect.diseases_emptied.contains(d))
        .map(|&d| kb.disease(d).id.to_string())
        .collect();
    // symbolic spikes (structural variants) are compared as written
    let key = |c: Chrom, pos: u64, r: &str, a: &str| {
        if a.starts_with('<') {
            Some(VariantKey {
                chrom: c,
                pos: pos as u32,
                reference: r.to_ascii_uppercase(),
                alternate: a.to_string(),
            })
        } else {
            VariantKey::new(c, pos as u32, r, a).ok()
        }
    };
    let gold_keys: Vec<VariantKey> = spikes
        .iter()
        .filter_map(|s| key(s.chrom, s.pos, &s.reference, &s.alternate))
        .collect();
    let is_gold_variant = |v: &PipelineVariant| {
        let Ok(c) = v.chrom.parse::<Chrom>() else {
            return false;
        };
        key(c, v.pos, &v.reference, &v.alternate).is_some_and(|k| gold_keys.contains(&k))
    };
    if let Some(w) = pheval {
        let genes: Vec<Row> = r
            .genes
            .iter()
            .map(|g| {
                let id = kb
                    .gene_by_symbol(&g.symbol)
                    .map_or_else(|| g.symbol.clone(), |i| kb.gene(i).id.to_string());
                Row {
                    rank: g.rank,
                    score: g.score,
                    fields: vec![g.symbol.clone(), id],
                    true_positive: case.gold_genes.contains(&g.symbol),
                }
            })
            .collect();
        let diseases: Vec<Row> = r
            .diseases
            .iter()
            .map(|d| {
                let name =
                    d.id.parse::<odyssey_kb::DiseaseId>()
                        .ok()
                        .and_then(|x| kb.disease_index(x))
                        .map(|i| kb.disease(i).name.clone())
                        .unwrap_or_default();
                Row {
                    rank: d.rank,
                    score: d.score,
                    fields: vec![d.id.clone(), name],
                    true_positive: gold_disease_ids.contains(&d.id),
                }
            })
            .collect();
        let variants: Vec<Row> = r
            .variants
            .iter()
            .map(|v| {
                let end = v.pos + v.reference.len().max(1) as u64 - 1;
                let id = format!("{}-{}-{}-{}", v.chrom, v.pos, v.reference, v.alternate);
                Row {
                    rank: v.rank,
                    score: v.score,
                    fields: vec![
                        v.chrom.clone(),
                        v.pos.to_string(),
                        end.to_string(),
                        v.reference.clone(),
                        v.alternate.clone(),
                        id,
                    ],
                    true_positive: is_gold_variant(v),
                }
            })
            .collect();
        w.write(&run.key, "gene", case.stem(), &genes);
        w.write(&run.key, "disease", case.stem(), &diseases);
        w.write(&run.key, "variant", case.stem(), &variants);
    }
    let ranks = LevelRanks {
        gene: best_rank(
            r.genes
                .iter()
                .filter(|g| case.gold_genes.contains(&g.symbol))
                .map(|g| Some(g.rank)),
        ),
        disease: best_rank(
            r.diseases
                .iter()
                .filter(|d| gold_disease_ids.contains(&d.id))
                .map(|d| Some(d.rank)),
        ),
        variant: best_rank(
            r.variants
                .iter()
                .filter(|v| is_gold_variant(v))
                .map(|v| Some(v.rank)),
        ),
    };
    // as for the phenotype runs: every case naming a causal gene (one the KB does not know is
    // always a miss), hit = causal gene at rank 1
    let top = (gold.genes_given > 0)
        .then(|| r.genes.first().and_then(|g| g.probability))
        .flatten()
        .map(|p| (p, ranks.gene == Some(1)));
    Ok((ranks, top))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(chrom: &str, pos: u64, r: &str, a: &str, hgvs: Option<&str>) -> CaseVariant {
        CaseVariant {
            assembly: "hg38".into(),
            chrom: chrom.into(),
            pos,
            reference: r.into(),
            alternate: a.into(),
            allelic_state: AllelicState::Heterozygous,
            gene: None,
            hgvs_g: hgvs.map(String::from),
        }
    }

    #[test]
    fn hgvs_g_check() {
        let c15: Chrom = "chr15".parse().unwrap();
        assert_eq!(
            hgvs_g_consistent(
                &var("chr15", 100, "C", "T", Some("NC_000015.10:g.100C>T")),
                Assembly::GRCh38,
                c15
            ),
            Some(true)
        );
        // GRCh37 accession version for a GRCh38 record
        assert_eq!(
            hgvs_g_consistent(
                &var("chr15", 100, "C", "T", Some("NC_000015.9:g.100C>T")),
                Assembly::GRCh38,
                c15
            ),
            Some(false)
        );
        assert_eq!(
            hgvs_g_consistent(
                &var("chr15", 100, "C", "T", Some("NC_000015.10:g.101C>T")),
                Assembly::GRCh38,
                c15
            ),
            Some(false)
        );
        assert_eq!(
            hgvs_g_consistent(
                &var("chr15", 100, "C", "T", Some("NC_000015.10:g.100G>T")),
                Assembly::GRCh38,
                c15
            ),
            Some(false)
        );
        assert_eq!(
            hgvs_g_consistent(
                &var("chr15", 100, "TG", "T", Some("NC_000015.10:g.101del")),
                Assembly::GRCh38,
                c15
            ),
            None
        );
        assert_eq!(
            hgvs_g_consistent(&var("chr15", 100, "C", "T", None), Assembly::GRCh38, c15),
            None
        );
    }

    #[test]
    fn genotypes_from_allelic_state() {
        let c1 = Chrom::autosome(1).unwrap();
        assert_eq!(
            genotype_of(AllelicState::Heterozygous, c1, None),
            Genotype::Heterozygous
        );
        assert_eq!(
            genotype_of(AllelicState::Homozygous, Chrom::X, Some(Sex::Male)),
            Genotype::HomozygousAlt
        );
        assert_eq!(
            genotype_of(AllelicState::Hemizygous, Chrom::X, Some(Sex::Male)),
            Genotype::Hemizygous
        );
        assert_eq!(
            genotype_of(AllelicState::Hemizygous, Chrom::X, None),
            Genotype::Hemizygous
        );
        assert_eq!(
            genotype_of(AllelicState::Hemizygous, Chrom::X, Some(Sex::Female)),
            Genotype::HomozygousAlt
        );
        assert_eq!(
            genotype_of(AllelicState::Hemizygous, c1, Some(Sex::Male)),
            Genotype::HomozygousAlt
        );
    }

    #[test]
    fn run_lists() {
        let keys: Vec<String> = spiked_runs(true, true).into_iter().map(|r| r.key).collect();
        assert_eq!(
            keys,
            vec![
                "pipeline-lpo",
                "lr-lpo",
                "resnik-lpo",
                "pipeline",
                "lr",
                "resnik"
            ]
        );
        let keys: Vec<String> = spiked_runs(false, false)
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(keys, vec!["lr", "resnik"]);
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// A stand-in pipeline: ranks the VCF's variants by position, and returns fixed gene and
    /// disease rankings; it checks what the harness hands it.
    struct ByPosition;

    impl VariantPipeline for ByPosition {
        fn info(&self) -> PipelineInfo {
            PipelineInfo {
                name: "by-position (test)".into(),
                annotation_sources: vec![],
            }
        }
        fn analyse(&self, job: &SpikedJob) -> std::result::Result<PipelineRanking, String> {
            assert_eq!(
                job.phenotype_scores.len(),
                job.scorer.index().diseases().len()
            );
            assert_eq!(job.sample, "S");
            let mut r = noodles::vcf::io::reader::Builder::default()
                .build_from_path(job.vcf)
                .map_err(|e| e.to_string())?;
            r.read_header().map_err(|e| e.to_string())?;
            let mut variants = Vec::new();
            for (i, rec) in r.records().enumerate() {
                let rec = rec.map_err(|e| e.to_string())?;
                let pos = usize::from(rec.variant_start().unwrap().unwrap()) as u64;
                let alt = rec
                    .alternate_bases()
                    .as_ref()
                    .split(',')
                    .next()
                    .unwrap()
                    .to_string();
                variants.push(PipelineVariant {
                    chrom: rec.reference_sequence_name().into(),
                    pos,
                    reference: rec.reference_bases().into(),
                    alternate: alt,
                    rank: i + 1,
                    score: 0.0,
                });
            }
            Ok(PipelineRanking {
                genes: vec![
                    PipelineGene {
                        symbol: "ABC".into(),
                        rank: 1,
                        score: 2.0,
                        probability: Some(0.64),
                    },
                    PipelineGene {
                        symbol: "FGFR2".into(),
                        rank: 2,
                        score: 1.0,
                        probability: Some(0.2),
                    },
                ],
                diseases: vec![
                    PipelineDisease {
                        id: "OMIM:1".into(),
                        rank: 2,
                        score: 1.0,
                    },
                    PipelineDisease {
                        id: "OMIM:101600".into(),
                        rank: 3,
                        score: 0.5,
                    },
                ],
                variants,
            })
        }
    }

    #[test]
    fn spiked_mode_end_to_end_with_a_stand_in_pipeline() {
        let dir = tempfile::tempdir().unwrap();
        let vcf = "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n##contig=<ID=10,length=135534747>\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\n10\t1000\t.\tA\tG\t9\tPASS\t.\tGT\t0/1\n10\t123256300\t.\tC\tT\t9\tPASS\t.\tGT\t0/1\n";
        let background = Background::read(&write(dir.path(), "bg.vcf", vcf), None).unwrap();
        let kb = odyssey_kb::KnowledgeBase::embedded().unwrap();
        let terms = ["HP:0000244", "HP:0011304", "HP:0010055"];
        let input = odyssey_pheno::CaseInput {
            id: "c1".into(),
            terms: terms
                .iter()
                .map(|t| odyssey_pheno::TermInput {
                    id: (*t).into(),
                    label: None,
                    excluded: false,
                })
                .collect(),
            ..Default::default()
        };
        let mut v = var("10", 123256215, "T", "G", None);
        v.assembly = "GRCh37".into();
        let case = BenchCase {
            rel_path: "FGFR2/c1.json".into(),
            cohort: "FGFR2".into(),
            id: "c1".into(),
            publications: vec!["PMID:1".into()],
            gold_genes: vec!["FGFR2".into()],
            gold_diseases: vec!["OMIM:101600".into()],
            variants: vec![v],
            variants_without_vcf_record: 0,
            structural: vec![],
            disease_labels: vec![],
            sex: None,
            input,
        };
        let corpus = Corpus {
            dir: dir.path().into(),
            sample: None,
            files: 1,
            cases: vec![case],
            errors: vec![],
            read_s: 0.0,
        };
        let spiker = Spiker {
            background,
            chain: None,
            tsv: None,
        };
        let cfg = SpikedConfig {
            leave_publication_out: true,
            options: Default::default(),
            keep_vcfs: None,
            command: "t".into(),
            date: "2000-01-01".into(),
            annotation_note: "none".into(),
            pheval: Some((dir.path().join("pheval"), 10)),
        };
        let out = run_spiked(
            &kb,
            KbInfo::default(),
            &corpus,
            &spiker,
            &cfg,
            Some(&ByPosition),
        )
        .unwrap();
        let keys: Vec<&str> = out.runs.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "pipeline-lpo",
                "lr-lpo",
                "resnik-lpo",
                "pipeline",
                "lr",
                "resnik"
            ]
        );
        let o = &out.outcomes[0];
        assert_eq!(o.unscored, None);
        // spiked 10:123256215 is the second record by position
        assert_eq!(
            o.ranks[0],
            LevelRanks {
                gene: Some(2),
                disease: Some(3),
                variant: Some(2)
            }
        );
        assert_eq!(o.ranks[3], o.ranks[0]);
        // the top gene ABC (probability 0.64) is not the causal FGFR2: a miss in bin 0.6-0.7
        assert_eq!(o.top_gene_probability[0], Some((0.64, false)));
        assert_eq!(o.top_gene_probability[3], Some((0.64, false)));
        let cal = &out.report.calibration;
        let keys: Vec<&str> = cal.iter().map(|c| c.run.as_str()).collect();
        assert_eq!(keys, ["pipeline-lpo", "lr-lpo", "pipeline", "lr"]);
        assert_eq!((cal[0].cases, cal[0].bins[6].cases), (1, 1));
        assert!((cal[0].ece - 0.64).abs() < 1e-12, "{}", cal[0].ece);
        // the phenotype-only LR runs keep their own probabilities, in the order of `runs`
        assert!(o.top_gene_probability[1].is_some());
        assert_eq!(o.top_gene_probability[2], None);
        // phenotype-only runs rank no variant
        assert_eq!(o.ranks[1].variant, None);
        let head = &out.report.runs[0].overall;
        assert_eq!(head.variant.as_ref().unwrap().found_within, [0, 1, 1, 1]);
        assert_eq!(head.gene.found_within, [0, 1, 1, 1]);
        let stats = out.report.spiked.as_ref().unwrap();
        assert_eq!(stats["spiked"], 1);
        assert_eq!(stats["pipeline_errors"], 0);
        assert_eq!(stats["pipeline_latency"]["n"], 2);
        // PhEval variant result of the full analysis: 3 records by position, the spiked one a true positive
        let text = std::fs::read_to_string(
            dir.path()
                .join("pheval/pipeline-lpo/pheval_variant_results/c1-variant_result.tsv"),
        )
        .unwrap();
        assert_eq!(
            text.lines().nth(2).unwrap(),
            "2\t0\t10\t123256215\t123256215\tT\tG\t10-123256215-T-G\ttrue"
        );
        assert!(dir
            .path()
            .join("pheval/lr/pheval_gene_results/c1-gene_result.tsv")
            .is_file());
    }

    #[test]
    fn plans_with_liftover_and_checks() {
        let dir = tempfile::tempdir().unwrap();
        // background GRCh37 with one record on chr1 at 1101 (REF T)
        let vcf = "##fileformat=VCFv4.2\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"g\">\n##contig=<ID=1,length=249250621>\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS\n1\t1101\t.\tT\tC\t9\tPASS\t.\tGT\t0/1\n";
        let bg = Background::read(&write(dir.path(), "bg.vcf", vcf), None).unwrap();
        // hg38 chr1 [100,200) -> hg19 chr1 [1100, 1200)
        let chain = ChainMap::from_reader(
            "chain 1 chr1 1000 + 100 200 chr1 2000 + 1100 1200 1\n100\n".as_bytes(),
            Path::new("c"),
        )
        .unwrap();
        let tsv = TsvLiftover::read(&write(dir.path(), "cases.tsv", "file\tvariants_hg38(chrom:pos:ref:alt:zygosity)\tvariants_hg19_liftover\n\
cases/G/a.json\tchr1:105:A:G:heterozygous\tchr1:1105:+\ncases/G/b.json\tchr1:106:A:G:heterozygous\tchr1:9999:+\n\
cases/G/c.json\t1:107:A:G:heterozygous\tNA\n")).unwrap();
        assert_eq!(tsv.len(), 3);
        let spiker = Spiker {
            background: bg,
            chain: Some(chain),
            tsv: Some(tsv),
        };
        let mut case = BenchCase {
            rel_path: "G/a.json".into(),
            cohort: "G".into(),
            id: "a".into(),
            publications: vec![],
            gold_genes: vec!["G".into()],
            gold_diseases: vec![],
            variants: vec![var("chr1", 105, "A", "G", None)],
            variants_without_vcf_record: 0,
            structural: vec![],
            disease_labels: vec![],
            sex: None,
            input: Default::default(),
        };
        let c1 = Chrom::autosome(1).unwrap();
        assert_eq!(
            spiker.plan(&case),
            SpikePlan::Spiked(
                vec![SpikeVariant {
                    info: None,
                    chrom: c1,
                    pos: 1105,
                    reference: "A".into(),
                    alternate: "G".into(),
                    genotype: Genotype::Heterozygous
                }],
                0
            )
        );
        // independent liftover disagrees
        case.rel_path = "G/b.json".into();
        case.variants = vec![var("chr1", 106, "A", "G", None)];
        assert_eq!(
            spiker.plan(&case),
            SpikePlan::Dropped(DropReason::LiftoverDisagrees)
        );
        // `NA` in the independent liftover is no contradiction
        case.rel_path = "G/c.json".into();
        case.variants = vec![var("1", 107, "A", "G", None)];
        assert!(matches!(spiker.plan(&case), SpikePlan::Spiked(ref v, 0) if v[0].pos == 1107));
        // chrM keeps its position (the rCRS in both assemblies)
        case.variants = vec![var("MT", 1661, "A", "G", None)];
        assert_eq!(
            spiker.plan(&case),
            SpikePlan::Spiked(
                vec![SpikeVariant {
                    info: None,
                    chrom: Chrom::MT,
                    pos: 1661,
                    reference: "A".into(),
                    alternate: "G".into(),
                    genotype: Genotype::Heterozygous
                }],
                0
            )
        );
        // background REF at hg19 1101 is T: a variant claiming REF A there is refused
        case.variants = vec![var("chr1", 101, "A", "G", None)];
        assert_eq!(
            spiker.plan(&case),
            SpikePlan::Dropped(DropReason::BackgroundRefConflict)
        );
        case.variants = vec![var("chr1", 101, "T", "G", None)];
        assert_eq!(
            spiker.plan(&case),
            SpikePlan::Spiked(
                vec![SpikeVariant {
                    info: None,
                    chrom: c1,
                    pos: 1101,
                    reference: "T".into(),
                    alternate: "G".into(),
                    genotype: Genotype::Heterozygous
                }],
                1
            )
        );
        case.variants = vec![var("chr1", 300, "T", "G", None)];
        assert_eq!(
            spiker.plan(&case),
            SpikePlan::Dropped(DropReason::Liftover(LiftFailure::Unmapped))
        );
        case.variants_without_vcf_record = 1;
        assert_eq!(
            spiker.plan(&case),
            SpikePlan::Dropped(DropReason::StructuralVariant)
        );
    }
}
