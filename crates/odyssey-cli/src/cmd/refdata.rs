//! `odyssey refdata`: compile gene models (+ reference FASTA) into the annotator's reference-data
//! file, inspect one, or rebuild the embedded defaults.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use odyssey_annotate::build::{build, embedded::build_embedded, BuildOptions};
use odyssey_annotate::RefData;
use odyssey_genome::Assembly;

use super::output::{check_not_input, check_target, write_file};

#[derive(clap::Subcommand, Debug)]
pub enum RefdataCommand {
    /// Compile GFF3/GTF gene models (Ensembl, GENCODE, RefSeq) and optionally the reference
    /// FASTA (.fai / bgzip .gzi random access, or streamed gzip) into one indexed, versioned file.
    Build(BuildArgs),
    /// Print what a compiled reference-data file contains.
    Info {
        /// The file.
        file: PathBuf,
    },
    /// Rebuild the embedded default models from the shared data directory (maintainers).
    #[command(hide = true)]
    BuildEmbedded {
        /// The shared data directory (`../shared/data`).
        #[arg(long)]
        shared: PathBuf,
        /// Directory receiving `grch37.odyref` and `grch38.odyref`.
        #[arg(long)]
        out_dir: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Gene-model file (GFF3 or GTF, plain or gzipped); repeat to combine several.
    #[arg(long = "gff", required = true, value_name = "FILE")]
    pub models: Vec<PathBuf>,
    /// Reference FASTA: plain (a missing .fai is built in memory), bgzip with .fai + .gzi (random
    /// access), or any gzip FASTA without them (read once, start to end); repeatable.
    #[arg(long, value_name = "FILE")]
    pub fasta: Vec<PathBuf>,
    /// Assembly of the inputs: GRCh37 or GRCh38.
    #[arg(long)]
    pub assembly: String,
    /// Output file, written through a temporary file renamed into place when complete.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Provenance label shown by the annotator (default: the input file names).
    #[arg(long)]
    pub label: Option<String>,
    /// Bases of reference sequence kept on each side of every exon.
    #[arg(long, default_value_t = 100)]
    pub flank: u32,
    /// Keep the sequence of whole transcripts, introns included (HGVS for deep intronic
    /// indels; for a whole genome the file grows to several hundred MB).
    #[arg(long)]
    pub whole_transcripts: bool,
}

pub fn run(cmd: RefdataCommand) -> anyhow::Result<()> {
    match cmd {
        RefdataCommand::Build(a) => {
            let t = Instant::now();
            let assembly: Assembly = a.assembly.parse()?;
            // before the (long) build: never over an input, never over a file without --force
            check_not_input(
                &a.output,
                a.models.iter().chain(&a.fasta).map(PathBuf::as_path),
            )?;
            check_target(&a.output, a.force)?;
            let opts = BuildOptions {
                models: a.models,
                fasta: a.fasta,
                assembly,
                label: a.label,
                flank: a.flank,
                whole_transcripts: a.whole_transcripts,
            };
            let (data, stats) = build(&opts)?;
            if stats.uncovered_transcripts > 0 {
                note!(
                    "warning: the FASTA does not hold every exon of {} of {} transcripts (e.g. {}): their HGVS and protein changes will be missing",
                    stats.uncovered_transcripts,
                    stats.transcripts,
                    stats.uncovered_examples.join(", ")
                );
            }
            if stats.overlapping_exons > 0 {
                note!(
                    "warning: {} transcript(s) have exons that overlap, merged into one exon each (first: {}); check the gene models",
                    stats.overlapping_exons,
                    stats.overlapping_exon_examples.join("; ")
                );
            }
            write_file(&a.output, a.force, |w| data.write_to(w, 19))?;
            let size = std::fs::metadata(&a.output).map(|m| m.len()).unwrap_or(0);
            note!(
                "{}: {} transcripts ({} coding), {} bases of sequence, {} features on other contigs skipped, \
                 {} duplicate transcript ids renamed; {:.1} MB written in {:.1?}",
                a.output.display(),
                stats.transcripts,
                stats.coding,
                stats.sequence_bases,
                stats.skipped_features,
                stats.duplicate_ids,
                size as f64 / 1e6,
                t.elapsed()
            );
            Ok(())
        }
        RefdataCommand::Info { file } => {
            let d = RefData::load(&file)?;
            print_info(&d)
        }
        RefdataCommand::BuildEmbedded { shared, out_dir } => {
            std::fs::create_dir_all(&out_dir)
                .with_context(|| format!("cannot create {}", out_dir.display()))?;
            for asm in [Assembly::GRCh38, Assembly::GRCh37] {
                let (d, rep) = build_embedded(&shared, asm)?;
                let path = out_dir.join(format!("{}.odyref", asm.to_string().to_ascii_lowercase()));
                write_file(&path, true, |w| d.write_to(w, 19))?;
                let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
                note!(
                    "{}: {} transcripts, {:.2} MB; {rep:?}",
                    path.display(),
                    d.transcripts.len(),
                    size as f64 / 1e6
                );
            }
            Ok(())
        }
    }
}

fn print_info(d: &RefData) -> anyhow::Result<()> {
    let coding = d.transcripts.iter().filter(|t| t.cds().is_some()).count();
    let mane = d.transcripts.iter().filter(|t| t.flags.mane_select).count();
    out!("assembly\t{}", d.meta.assembly);
    out!("release\t{}", d.meta.release);
    out!("written_by\t{}", d.meta.written_by);
    out!("transcripts\t{}", d.transcripts.len());
    out!("coding\t{coding}");
    out!("mane_select\t{mane}");
    out!(
        "sequence_bases\t{}",
        d.sequence.as_ref().map_or(0, |s| s.total_bases())
    );
    out!("flank\t{}", d.meta.flank);
    for s in &d.meta.sources {
        out!("source\t{s}");
    }
    Ok(())
}
