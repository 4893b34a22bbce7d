//! `odyssey annotate`: consequences and HGVS for every ALT allele of a VCF, written as a
//! VEP-style `CSQ` INFO field (subfields listed in its header).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use odyssey_annotate::vcf::{annotate_vcf, annotate_vcf_to_file, bgzf_output, VcfOptions};
use odyssey_annotate::Annotator;
use odyssey_genome::Assembly;

/// Annotate a VCF with Sequence Ontology consequences and HGVS c./n./p.
#[derive(clap::Args, Debug)]
pub struct AnnotateArgs {
    /// Input VCF (plain, gzip or bgzip; `-` for standard input).
    pub input: PathBuf,
    /// Output VCF; a name ending in `.gz` is written bgzip-compressed; `-` for standard output.
    /// Written through a temporary file renamed into place when complete; never the input.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Overwrite an existing output file.
    #[arg(long)]
    pub force: bool,
    /// Compiled reference data (`odyssey refdata build`); default: the embedded gene models.
    #[arg(long, value_name = "FILE", env = "ODYSSEY_REFDATA")]
    pub refdata: Option<PathBuf>,
    /// Assembly of the input: GRCh37 or GRCh38. Default: read from the header's contig lengths.
    #[arg(long)]
    pub assembly: Option<String>,
    /// INFO field to write.
    #[arg(long, default_value = "CSQ")]
    pub field: String,
    /// Annotation threads.
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Write HGVSp as HGVS predicted consequences in parentheses, `p.(Arg97Cys)` (default: the
    /// bare form VEP writes, `p.Arg97Cys`).
    #[arg(long)]
    pub hgvs_predicted: bool,
}

fn header_assembly(path: &std::path::Path) -> anyhow::Result<Option<Assembly>> {
    use std::io::{BufRead, BufReader, Read};
    if path.as_os_str() == "-" {
        return Ok(None);
    }
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut magic = [0u8; 2];
    let mut probe = std::fs::File::open(path)?;
    let n = probe.read(&mut magic)?;
    let r: Box<dyn BufRead> = if n == 2 && magic == [0x1f, 0x8b] {
        Box::new(BufReader::new(flate2_reader(f)))
    } else {
        Box::new(BufReader::new(f))
    };
    let mut contigs: Vec<(String, u64)> = Vec::new();
    for line in r.lines() {
        let line = line?;
        if !line.starts_with("##") {
            break;
        }
        if let Some(rest) = line.strip_prefix("##contig=<") {
            let mut id = None;
            let mut len = None;
            for kv in rest.trim_end_matches('>').split(',') {
                if let Some(v) = kv.strip_prefix("ID=") {
                    id = Some(v.to_string());
                }
                if let Some(v) = kv.strip_prefix("length=") {
                    len = v.parse::<u64>().ok();
                }
            }
            if let (Some(i), Some(l)) = (id, len) {
                contigs.push((i, l));
            }
        }
    }
    Ok(Assembly::from_contig_lengths(
        contigs.iter().map(|(a, b)| (a.as_str(), *b)),
    ))
}

fn flate2_reader(f: std::fs::File) -> impl std::io::Read {
    odyssey_annotate::vcf::gz_reader(f)
}

pub fn run(args: AnnotateArgs) -> anyhow::Result<()> {
    let to_file = args.output.as_os_str() != "-";
    if to_file {
        // before any work: never over the input, never over an existing file without --force
        super::output::check_not_input(
            &args.output,
            [args.input.as_path()]
                .into_iter()
                .chain(args.refdata.as_deref()),
        )?;
        super::output::check_target(&args.output, args.force)?;
    }
    let requested = args
        .assembly
        .as_deref()
        .map(str::parse::<Assembly>)
        .transpose()?;
    let from_header = header_assembly(&args.input)?;
    if let (Some(r), Some(h)) = (requested, from_header) {
        if r != h {
            bail!("--assembly {r} contradicts the contig lengths in the VCF header ({h})");
        }
    }
    let t = Instant::now();
    let ann = match &args.refdata {
        Some(p) => {
            let a = Annotator::from_path(p)?;
            if let Some(want) = requested.or(from_header) {
                if a.assembly() != want {
                    bail!(
                        "{} holds {} models but the VCF is {want}",
                        p.display(),
                        a.assembly()
                    );
                }
            }
            a
        }
        None => {
            let asm = requested.or(from_header).context(
                "cannot tell the assembly from the VCF header (no ##contig lengths): pass --assembly GRCh37 or GRCh38",
            )?;
            Annotator::embedded(asm)?
        }
    };
    tracing::info!(
        release = ann.release(),
        elapsed_ms = t.elapsed().as_secs_f64() * 1e3,
        "reference data loaded"
    );
    if !ann.has_sequence() {
        note!(
            "note: {} has no reference sequence: coding SNVs are reported as coding_sequence_variant with p.? (effect unknown), \
             and indels get no HGVS c. (use --refdata with a build that includes a FASTA)",
            ann.release()
        );
    }
    let opts = VcfOptions {
        field: args.field.clone(),
        threads: args.threads.max(1),
        predicted_parentheses: args.hgvs_predicted,
        ..Default::default()
    };
    let t = Instant::now();
    let stats = if to_file {
        // all or nothing: an error removes the temporary file, leaving any old output as it was
        let mut staged = super::output::Staged::default();
        let (file, _) = staged.add(&args.output, args.force)?;
        let (stats, _) = annotate_vcf_to_file(
            &args.input,
            file,
            bgzf_output(&args.output),
            &args.output,
            &ann,
            &opts,
        )?;
        staged.commit()?;
        stats
    } else {
        annotate_vcf(&args.input, &args.output, &ann, &opts)?
    };
    note!(
        "annotated {} records ({} alleles; {} skipped: symbolic or off the primary chromosomes) in {:.2?}",
        stats.records,
        stats.alleles,
        stats.skipped_alleles,
        t.elapsed()
    );
    if stats.ref_mismatches > 0 {
        note!(
            "warning: {} records have a REF that differs from the reference sequence (first: {}): is the VCF of another assembly, or the reference data stale?",
            stats.ref_mismatches,
            stats.ref_mismatch_examples.join("; ")
        );
    }
    Ok(())
}
