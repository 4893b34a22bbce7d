//! Writing results safely: never over an existing file unless `--force`, and always through a
//! temporary file renamed into place, so an interrupted run leaves no half-written output.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The JSON contract (docs/json-output.md).
    Json,
    /// Tab-separated tables: genes (and diseases, variants when writing to a prefix).
    Tsv,
}

impl Format {
    /// File suffixes written for this format under a prefix.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Tsv => "tsv",
        }
    }
}

/// Writes `path` through `path.tmp<pid>` and a rename. Refuses to replace an existing file
/// unless `force`.
pub fn write_file(path: &Path, force: bool, fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> anyhow::Result<()> {
    if path.exists() && !force {
        bail!("{} exists; pass --force to overwrite it", path.display());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let res = (|| -> anyhow::Result<()> {
        let f = File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        let mut w = BufWriter::new(f);
        fill(&mut w).with_context(|| format!("writing {}", path.display()))?;
        let f = w.into_inner().map_err(|e| e.into_error())?;
        f.sync_all()?;
        std::fs::rename(&tmp, path).with_context(|| format!("moving the output into {}", path.display()))?;
        Ok(())
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

/// Where each format's files go.
#[derive(Clone, Debug)]
pub enum Destination {
    /// Standard output (one format only).
    Stdout,
    /// An exact file (one format whose extension matches).
    File(PathBuf),
    /// `PREFIX.json`, `PREFIX.genes.tsv`, `PREFIX.diseases.tsv`, ...
    Prefix(PathBuf),
}

impl Destination {
    /// Chooses the destination from `-o` and the formats: no `-o` means standard output (one
    /// format only); `-o FILE` with one format and FILE ending in its extension means that
    /// file; anything else is a prefix.
    pub fn choose(output: Option<&Path>, formats: &[Format]) -> anyhow::Result<Destination> {
        match output {
            None if formats.len() == 1 => Ok(Destination::Stdout),
            None => bail!("several formats need -o PREFIX (files PREFIX.json, PREFIX.genes.tsv, ...)"),
            Some(p) => {
                let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("");
                if formats.len() == 1 && ext == formats[0].extension() {
                    Ok(Destination::File(p.to_path_buf()))
                } else {
                    Ok(Destination::Prefix(p.to_path_buf()))
                }
            }
        }
    }
}

/// `PREFIX` + `.suffix` (appended, not replacing an extension).
pub fn with_suffix(prefix: &Path, suffix: &str) -> PathBuf {
    let mut s = prefix.as_os_str().to_os_string();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}
