//! `odyssey sources`: compile annotation sources (gnomAD, ClinVar, REVEL, CADD, AlphaMissense,
//! SpliceAI, in-house frequencies) into compact sorted stores, and inspect stores.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};

use super::output::{check_not_input, target_exists, Staged};
use odyssey_variant::sources::{build_store, read_sources_toml, SourceFormat, StoreReader};

/// `odyssey sources ...`
#[derive(clap::Subcommand, Debug)]
pub enum SourcesCommand {
    /// Compile the VCF/TSV sources of a sources TOML into `.ostore` files (sorted, chunked,
    /// zstd-compressed, memory-mapped at analysis time) and write a TOML that uses them.
    Build(BuildArgs),
    /// Print the metadata of a compiled store as JSON.
    Info {
        /// A `.ostore` file.
        store: PathBuf,
    },
}

/// Options of `odyssey sources build`.
#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// Sources TOML (`--sources` format); its VCF/TSV sources are compiled.
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Compile only these sources (by name); repeatable.
    #[arg(long = "source", value_name = "NAME")]
    pub sources: Vec<String>,
    /// Directory for `NAME.ostore` and `sources.ostore.toml` (default: the TOML's directory).
    /// Every file is written through a temporary file; they are moved into place together once
    /// all are complete.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Overwrite existing output files.
    #[arg(long)]
    pub force: bool,
}

/// Runs `odyssey sources`.
pub fn run(cmd: SourcesCommand) -> anyhow::Result<()> {
    match cmd {
        SourcesCommand::Info { store } => {
            let r = StoreReader::open(&store)?;
            let mut v = serde_json::to_value(r.meta())?;
            v["records"] = r.records().into();
            out!("{}", serde_json::to_string_pretty(&v)?);
            Ok(())
        }
        SourcesCommand::Build(a) => build(a),
    }
}

fn build(a: BuildArgs) -> anyhow::Result<()> {
    let (assembly, sources) = read_sources_toml(&a.config)?;
    for name in &a.sources {
        if !sources.iter().any(|s| &s.name == name) {
            bail!("no source named {name:?} in {}", a.config.display());
        }
    }
    let out_dir = match a.out_dir {
        Some(d) => d,
        None => a
            .config
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(".")),
    };
    let selected = |s: &odyssey_variant::sources::ResolvedSource| {
        a.sources.is_empty() || a.sources.contains(&s.name)
    };
    let store_path =
        |s: &odyssey_variant::sources::ResolvedSource| out_dir.join(format!("{}.ostore", s.name));
    let out_toml = out_dir.join("sources.ostore.toml");
    // before any work: every output checked, none of them an input, none existing without --force
    let mut targets: Vec<PathBuf> = sources
        .iter()
        .filter(|s| s.format != SourceFormat::Store && selected(s))
        .map(store_path)
        .collect();
    targets.push(out_toml.clone());
    let inputs: Vec<&Path> = std::iter::once(a.config.as_path())
        .chain(
            sources
                .iter()
                .flat_map(|s| s.paths.iter().map(PathBuf::as_path)),
        )
        .collect();
    let mut existing = Vec::new();
    for t in &targets {
        check_not_input(t, inputs.iter().copied())?;
        if target_exists(t)? {
            existing.push(t.display().to_string());
        }
    }
    if !a.force && !existing.is_empty() {
        bail!(
            "{} exist{}; pass --force to overwrite",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        );
    }
    // all or nothing: stores and TOML go to temporary files, moved into place together at the end
    let mut staged = Staged::default();
    let mut toml = String::from("# written by `odyssey sources build`\n");
    if let Some(asm) = assembly {
        toml.push_str(&format!("assembly = \"{asm}\"\n"));
    }
    for s in &sources {
        let selected = selected(s);
        let path = if s.format == SourceFormat::Store || !selected {
            s.paths[0].clone()
        } else {
            let out = store_path(s);
            let t = Instant::now();
            let (file, tmp) = staged.add(&out, a.force)?;
            drop(file);
            let sum =
                build_store(s, &tmp).with_context(|| format!("building {}", out.display()))?;
            note!(
                "{}: {} input lines -> {} records in {} chunks, {:.1} MB, {:.1} s -> {}",
                s.name,
                sum.input_lines,
                sum.records,
                sum.chunks,
                sum.bytes as f64 / 1e6,
                t.elapsed().as_secs_f64(),
                out.display()
            );
            for w in &sum.warnings {
                note!("warning: {w}");
            }
            absolute(&out_dir).join(out.file_name().expect("a file name"))
        };
        let mut entry = format!(
            "\n[[source]]\nname = {:?}\nrole = {:?}\n",
            s.name,
            role_name(s)
        );
        if let Some(k) = s.score {
            entry.push_str(&format!("score = {:?}\n", k.as_str()));
        }
        if s.format == SourceFormat::Store || selected {
            entry.push_str(&format!("path = {:?}\n", path.display().to_string()));
        } else {
            // unselected sources keep their original definition: refer to the original TOML
            entry = format!(
                "\n# {:?} not compiled: copy its entry from {}\n",
                s.name,
                a.config.display()
            );
        }
        toml.push_str(&entry);
    }
    let (mut file, _) = staged.add(&out_toml, a.force)?;
    file.write_all(toml.as_bytes())
        .with_context(|| format!("writing {}", out_toml.display()))?;
    drop(file);
    staged.commit()?;
    note!("wrote {} (use it with --sources)", out_toml.display());
    Ok(())
}

/// `dir` made absolute (symbolic links resolved when it exists).
fn absolute(dir: &Path) -> PathBuf {
    dir.canonicalize()
        .or_else(|_| std::path::absolute(dir))
        .unwrap_or_else(|_| dir.to_path_buf())
}

fn role_name(s: &odyssey_variant::sources::ResolvedSource) -> &'static str {
    use odyssey_variant::sources::Role;
    match s.role {
        Role::Frequency => "frequency",
        Role::LocalFrequency => "local_frequency",
        Role::Clinvar => "clinvar",
        Role::Score => "score",
    }
}
