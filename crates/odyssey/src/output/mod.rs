//! Outputs of an analysis: the formats, the files each format makes (the plan), rendering a
//! report into each of them, and writing them all or nothing.
//!
//! - [`Format`]: what the user asks for (`json`, `tsv`, `html`, `phenopacket`, `vcf`, `vcf.gz`);
//! - [`Destination::choose`] and [`plan`]: the files (or standard output) of a run, as
//!   [`Planned`] artifacts;
//! - [`render`] / [`render_to`]: one [`Artifact`] of a report, as bytes (`odyssey-report`'s
//!   renderers do the work);
//! - [`write_report`]: every artifact of a run, all or nothing, never over an existing file
//!   unless `force`, never over an input (see its steps);
//! - [`Staged`], [`write_file`], [`check_target`], [`check_not_input`]: the same safety for
//!   other writers (annotated VCFs, compiled stores).

mod cleanup;
mod files;
mod mover;
mod render;
#[cfg(test)]
mod special_tests;
#[cfg(test)]
mod tests;

use std::path::{Path, PathBuf};

pub use cleanup::install_signal_cleanup;
pub use files::{check_not_input, check_target, target_exists, write_file, Staged};
pub use odyssey_report::vcf::Compression;
pub use render::{render, render_to, write_report};

use crate::error::{Error, Result};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// The JSON contract (docs/json-output.md).
    Json,
    /// Tab-separated tables: genes; with a file or prefix also diseases and, after a variant
    /// analysis, variants (docs/tsv-output.md).
    Tsv,
    /// A self-contained HTML report for people (docs/output-formats.md).
    Html,
    /// The input GA4GH Phenopacket v2 with Odyssey's candidates added as interpretations.
    Phenopacket,
    /// The input VCF with an ODYSSEY INFO field on the candidate variants (plain text).
    Vcf,
    /// As `vcf`, BGZF-compressed, with a tabix index.
    VcfGz,
}

impl Format {
    /// File suffix of this format's main file under a prefix.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Tsv => "tsv",
            Format::Html => "html",
            Format::Phenopacket => "phenopacket.json",
            Format::Vcf => "vcf",
            Format::VcfGz => "vcf.gz",
        }
    }

    /// True when `path` names a file of this format (`-o out.html` for `--format html`).
    pub fn names_file(self, path: &Path) -> bool {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        name.ends_with(&format!(".{}", self.extension()))
            || (self == Format::Phenopacket && name.ends_with(".json"))
    }

    /// The artifact of this format's main file (the genes table for `tsv`).
    pub fn main_artifact(self) -> Artifact {
        match self {
            Format::Json => Artifact::Json,
            Format::Tsv => Artifact::GenesTsv,
            Format::Html => Artifact::Html,
            Format::Phenopacket => Artifact::Phenopacket,
            Format::Vcf => Artifact::Vcf(Compression::None),
            Format::VcfGz => Artifact::Vcf(Compression::Bgzf),
        }
    }
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
    /// Chooses the destination from `-o` and the formats: no `-o`, or `-o -`, means standard
    /// output (one format only); `-o FILE` with one format and FILE ending in its extension means that
    /// file; anything else is a prefix. Errors: several formats without `-o` or with
    /// `-o -`; `-o` a folder.
    pub fn choose(output: Option<&Path>, formats: &[Format]) -> Result<Destination> {
        match output {
            None if formats.len() == 1 => Ok(Destination::Stdout),
            None => Err(Error::Request("several formats need -o PREFIX (files PREFIX.json, PREFIX.genes.tsv, PREFIX.html, ...)".into())),
            Some(p) if p.as_os_str() == "-" => match formats {
                [_] => Ok(Destination::Stdout),
                _ => Err(Error::Request(format!(
                    "-o - writes one format to standard output, but {} were asked for ({}): ask for one --format, or give -o PREFIX",
                    formats.len(),
                    formats.iter().map(|f| f.extension()).collect::<Vec<_>>().join(", ")
                ))),
            },
            Some(p) => {
                let text = p.as_os_str().to_string_lossy();
                if p.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || p.file_name().is_none() {
                    return Err(Error::Request(format!(
                        "-o {}: is a folder; give a file name, or a prefix inside the folder (e.g. -o {}): the outputs are PREFIX.json, PREFIX.genes.tsv, ...",
                        p.display(),
                        p.join("case").display()
                    )));
                }
                if formats.len() == 1 && formats[0].names_file(p) {
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

/// One file (or standard output) of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Artifact {
    /// The JSON contract.
    Json,
    /// The HTML report.
    Html,
    /// The genes table (TSV).
    GenesTsv,
    /// The diseases table (TSV).
    DiseasesTsv,
    /// The variants table (TSV), after a variant analysis.
    VariantsTsv,
    /// The input phenopacket with interpretations added.
    Phenopacket,
    /// The annotated input VCF (its tabix or CSI index is made with a BGZF file).
    Vcf(Compression),
}

/// One planned output: a file, or standard output when `path` is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// Target file; `None` is standard output.
    pub path: Option<PathBuf>,
    /// What goes in it.
    pub artifact: Artifact,
}

/// The files of a run, in format order, without repeats: `tsv` makes the genes and diseases
/// tables and, after a variant analysis (a report with a filter summary), the variants table.
pub fn plan(
    report: &odyssey_report::AnalysisReport,
    formats: &[Format],
    dest: &Destination,
) -> Vec<Planned> {
    let variants = odyssey_report::has_variant_analysis(report);
    let mut out = Vec::new();
    let mut push = |path: Option<PathBuf>, artifact| out.push(Planned { path, artifact });
    for &f in formats {
        let main = f.main_artifact();
        match dest {
            Destination::Stdout => push(None, main),
            Destination::File(p) => {
                push(Some(p.clone()), main);
                if f == Format::Tsv {
                    let stem = p.with_extension("");
                    push(
                        Some(with_suffix(&stem, "diseases.tsv")),
                        Artifact::DiseasesTsv,
                    );
                    if variants {
                        push(
                            Some(with_suffix(&stem, "variants.tsv")),
                            Artifact::VariantsTsv,
                        );
                    }
                }
            }
            Destination::Prefix(p) => {
                if f == Format::Tsv {
                    push(Some(with_suffix(p, "genes.tsv")), Artifact::GenesTsv);
                    push(Some(with_suffix(p, "diseases.tsv")), Artifact::DiseasesTsv);
                    if variants {
                        push(Some(with_suffix(p, "variants.tsv")), Artifact::VariantsTsv);
                    }
                } else {
                    push(Some(with_suffix(p, f.extension())), main);
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    out.retain(|p| p.path.is_none() || seen.insert(p.path.clone()));
    out
}
