//! Compiling gene models (GFF3/GTF) and an optional reference FASTA into [`RefData`].
//!
//! `odyssey refdata build --gff FILE [--fasta FILE] --assembly GRCh38 -o FILE` calls [`build`].

mod assemble;
mod contig;
pub mod embedded;
mod fasta;
mod gff;
mod gtf;
mod input;

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::PathBuf;

use odyssey_genome::{Assembly, Chrom};

use crate::error::Error;
use crate::model::Transcript;
use crate::store::{Meta, RefData};

pub(crate) use assemble::Interner;
pub(crate) use input::open_text as input_open;

/// What to compile.
#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// Gene-model files: GFF3 (`.gff3`, `.gff`) or GTF (`.gtf`), plain or gzip/bgzip.
    pub models: Vec<PathBuf>,
    /// Reference FASTA files with `.fai` (bgzip: also `.gzi`); optional.
    pub fasta: Vec<PathBuf>,
    /// Assembly of all inputs.
    pub assembly: Assembly,
    /// Provenance label stored in the file (`release()`); derived from file names if `None`.
    pub label: Option<String>,
    /// Bases of sequence kept on each side of every exon (default 100).
    pub flank: u32,
    /// Keep the sequence of whole transcripts (introns included) instead of exons ± flank:
    /// HGVS for indels anywhere in introns, at the cost of a larger file (whole human genome:
    /// the genic half of it).
    pub whole_transcripts: bool,
}

/// Counts reported after a build.
#[derive(Clone, Debug, Default)]
pub struct BuildStats {
    /// Transcripts compiled.
    pub transcripts: usize,
    /// Of which with a CDS.
    pub coding: usize,
    /// Features skipped because they lie on non-primary contigs.
    pub skipped_features: u64,
    /// Exons whose parent is a gene rather than a transcript (RefSeq pseudogenes): skipped,
    /// as Ensembl VEP does.
    pub gene_level_exons: u64,
    /// Transcript records without any exon (GTF), skipped.
    pub without_exons: u64,
    /// Transcript ids seen twice (kept once each, later copies renamed with `_2`, `_3`…).
    pub duplicate_ids: usize,
    /// Bases of reference sequence stored.
    pub sequence_bases: u64,
    /// With a FASTA: transcripts some of whose exons it does not hold (their HGVS and
    /// protein changes cannot be computed).
    pub uncovered_transcripts: usize,
    /// Up to five ids of [`BuildStats::uncovered_transcripts`].
    pub uncovered_examples: Vec<String>,
    /// Transcripts with two exons that overlap (share a base) in the gene models: the exons
    /// are merged into one, which is right only if the file split one exon in two.
    pub overlapping_exons: usize,
    /// The first five of [`BuildStats::overlapping_exons`]: file, both lines, transcript and
    /// exon bounds.
    pub overlapping_exon_examples: Vec<String>,
}

/// Reads the models (and FASTA), validates every transcript and returns the compiled data.
/// Errors name the file and line of the first bad record.
pub fn build(opts: &BuildOptions) -> Result<(RefData, BuildStats), Error> {
    let mut stats = BuildStats::default();
    let mut interner = Interner::default();
    let mut transcripts: Vec<Transcript> = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut sources = Vec::new();
    for path in &opts.models {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let lower = name.to_ascii_lowercase();
        let is_gtf = lower.ends_with(".gtf") || lower.ends_with(".gtf.gz");
        if input::open_text(path)?
            .fill_buf()
            .map_err(|e| Error::io(path, e))?
            .is_empty()
        {
            return Err(Error::parse(
                path,
                0,
                format!(
                    "empty file: expected {} feature lines",
                    if is_gtf { "GTF" } else { "GFF3" }
                ),
            ));
        }
        let raws = if is_gtf {
            gtf::read_gtf(path, opts.assembly, &mut stats)?
        } else {
            gff::read_gff3(path, opts.assembly, &mut stats)?
        };
        for mut raw in raws {
            let line = raw.line;
            let count = seen.entry(raw.id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 {
                stats.duplicate_ids += 1;
                raw.id = format!("{}_{}", raw.id, count);
            }
            if let Some(((l1, s1, e1), (l2, s2, e2))) = assemble::overlapping_exons(&raw) {
                stats.overlapping_exons += 1;
                if stats.overlapping_exon_examples.len() < 5 {
                    stats.overlapping_exon_examples.push(format!(
                        "{}: lines {l1} and {l2}: transcript {} has exons {s1}-{e1} and {s2}-{e2}, which overlap",
                        path.display(),
                        raw.id
                    ));
                }
            }
            let t =
                assemble::finish(raw, &mut interner).map_err(|m| Error::parse(path, line, m))?;
            transcripts.push(t);
        }
        sources.push(describe(path));
    }
    if transcripts.is_empty() {
        let names: Vec<String> = opts
            .models
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        return Err(Error::Invalid(format!(
            "no transcripts on primary chromosomes in the gene-model files ({}): expected mRNA/transcript features with exons on chromosomes 1-22, X, Y or MT",
            names.join(", ")
        )));
    }
    let sequence = if opts.fasta.is_empty() {
        None
    } else {
        let ivs = intervals(&transcripts, opts.flank, opts.whole_transcripts);
        let s = fasta::extract(&opts.fasta, opts.assembly, &ivs)?;
        stats.sequence_bases = s.total_bases();
        check_coverage(&transcripts, &s, &opts.fasta, &mut stats)?;
        for p in &opts.fasta {
            sources.push(describe(p));
        }
        Some(s)
    };
    stats.transcripts = transcripts.len();
    stats.coding = transcripts.iter().filter(|t| t.cds().is_some()).count();
    let label = opts.label.clone().unwrap_or_else(|| {
        let models: Vec<String> = opts
            .models
            .iter()
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
            .collect();
        let mut l = models.join(" + ");
        if sequence.is_some() {
            l.push_str(" + FASTA");
        }
        l
    });
    let meta = Meta {
        assembly: opts.assembly,
        release: label,
        sources,
        flank: if opts.whole_transcripts {
            u32::MAX
        } else {
            opts.flank
        },
        written_by: format!("odyssey-annotate {}", env!("CARGO_PKG_VERSION")),
    };
    Ok((RefData::new(meta, transcripts, sequence)?, stats))
}

/// Counts the transcripts whose exons the FASTA does not hold entirely
/// ([`BuildStats::uncovered_transcripts`]). Errors when it holds none of any transcript (a
/// FASTA of other chromosomes, or naming them in a way Odyssey does not read): the build
/// would otherwise succeed with no sequence at all.
fn check_coverage(
    transcripts: &[Transcript],
    seq: &crate::seq::SequenceStore,
    fasta: &[PathBuf],
    stats: &mut BuildStats,
) -> Result<(), Error> {
    let mut buf = Vec::new();
    let mut touched = 0usize;
    for t in transcripts {
        let mut all = true;
        let mut any = false;
        for &(s, e) in &t.exons {
            buf.clear();
            let held = seq.fetch_into(t.chrom, s, e, &mut buf);
            all &= held;
            any |= held || seq.fetch_into(t.chrom, s, s, &mut buf);
        }
        touched += usize::from(any);
        if !all {
            stats.uncovered_transcripts += 1;
            if stats.uncovered_examples.len() < 5 {
                stats
                    .uncovered_examples
                    .push(t.id.as_deref().unwrap_or("(no id)").to_string());
            }
        }
    }
    if touched == 0 {
        let names: Vec<String> = fasta.iter().map(|p| p.display().to_string()).collect();
        let chroms: std::collections::BTreeSet<String> =
            transcripts.iter().map(|t| t.chrom.to_string()).collect();
        return Err(Error::Invalid(format!(
            "the FASTA {} holds none of the sequence of the {} transcripts (on chromosomes {}): is it of another assembly, or are its sequences named differently (1, chr1 or NC_000001.11 are read)?",
            names.join(", "),
            transcripts.len(),
            chroms.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(())
}

fn describe(p: &std::path::Path) -> String {
    let size = std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    format!(
        "{} ({} bytes)",
        p.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default(),
        size
    )
}

/// Exons (or whole transcripts) ± `flank`, merged per chromosome.
fn intervals(
    transcripts: &[Transcript],
    flank: u32,
    whole: bool,
) -> BTreeMap<Chrom, Vec<(u32, u32)>> {
    let mut m: BTreeMap<Chrom, Vec<(u32, u32)>> = BTreeMap::new();
    for t in transcripts {
        let v = m.entry(t.chrom).or_default();
        if whole {
            v.push((
                t.start().saturating_sub(flank).max(1),
                t.end().saturating_add(flank),
            ));
            continue;
        }
        for &(s, e) in &t.exons {
            v.push((s.saturating_sub(flank).max(1), e.saturating_add(flank)));
        }
    }
    for v in m.values_mut() {
        v.sort_unstable();
        let mut merged: Vec<(u32, u32)> = Vec::with_capacity(v.len());
        for &(s, e) in v.iter() {
            match merged.last_mut() {
                Some(last) if s <= last.1 + 1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        *v = merged;
    }
    m
}
