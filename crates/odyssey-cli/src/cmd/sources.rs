//! `odyssey sources`: compile annotation sources (gnomAD, ClinVar, REVEL, CADD, AlphaMissense,
//! SpliceAI, in-house frequencies) into compact sorted stores, and inspect stores.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
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
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// Runs `odyssey sources`.
pub fn run(cmd: SourcesCommand) -> anyhow::Result<()> {
    match cmd {
        SourcesCommand::Info { store } => {
            let r = StoreReader::open(&store)?;
            let mut v = serde_json::to_value(r.meta())?;
            v["records"] = r.records().into();
            println!("{}", serde_json::to_string_pretty(&v)?);
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
        None => a.config.parent().map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".")),
    };
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let mut toml = String::from("# written by `odyssey sources build`\n");
    if let Some(asm) = assembly {
        toml.push_str(&format!("assembly = \"{asm}\"\n"));
    }
    for s in &sources {
        let selected = a.sources.is_empty() || a.sources.contains(&s.name);
        let path = if s.format == SourceFormat::Store || !selected {
            s.paths[0].clone()
        } else {
            let out = out_dir.join(format!("{}.ostore", s.name));
            let t = Instant::now();
            let sum = build_store(s, &out)?;
            eprintln!(
                "{}: {} input lines -> {} records in {} chunks, {:.1} MB, {:.1} s -> {}",
                s.name,
                sum.input_lines,
                sum.records,
                sum.chunks,
                sum.bytes as f64 / 1e6,
                t.elapsed().as_secs_f64(),
                out.display()
            );
            out.canonicalize().unwrap_or(out)
        };
        let mut entry = format!("\n[[source]]\nname = {:?}\nrole = {:?}\n", s.name, role_name(s));
        if let Some(k) = s.score {
            entry.push_str(&format!("score = {:?}\n", k.as_str()));
        }
        if s.format == SourceFormat::Store || selected {
            entry.push_str(&format!("path = {:?}\n", path.display().to_string()));
        } else {
            // unselected sources keep their original definition: refer to the original TOML
            entry = format!("\n# {:?} not compiled: copy its entry from {}\n", s.name, a.config.display());
        }
        toml.push_str(&entry);
    }
    let out_toml = out_dir.join("sources.ostore.toml");
    std::fs::write(&out_toml, &toml).with_context(|| format!("writing {}", out_toml.display()))?;
    eprintln!("wrote {} (use it with --sources)", out_toml.display());
    Ok(())
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
