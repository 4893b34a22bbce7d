//! Writing results safely: never over an existing file unless `--force`, and always through a
//! temporary file renamed into place, so an interrupted run leaves no half-written output.
//! Every file of a run is checked before the first one is written, so a refused run writes
//! nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use odyssey_report::phenopacket::{add_interpretations, read_phenopacket_value, write_phenopacket, PhenopacketOptions};
use odyssey_report::vcf::{annotate_vcf, index_bgzf_vcf, index_path, Compression};
use odyssey_report::AnalysisReport;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
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
    #[value(name = "vcf.gz", alias = "vcfgz")]
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
    fn names_file(self, path: &Path) -> bool {
        let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
        name.ends_with(&format!(".{}", self.extension())) || (self == Format::Phenopacket && name.ends_with(".json"))
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
            None => bail!("several formats need -o PREFIX (files PREFIX.json, PREFIX.genes.tsv, PREFIX.html, ...)"),
            Some(p) => {
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
enum Artifact {
    Json,
    Html,
    GenesTsv,
    DiseasesTsv,
    VariantsTsv,
    Phenopacket,
    Vcf(Compression),
}

/// The files of a run: `None` is standard output.
fn plan(report: &AnalysisReport, formats: &[Format], dest: &Destination) -> Vec<(Option<PathBuf>, Artifact)> {
    let variants = odyssey_report::has_variant_analysis(report);
    let mut out = Vec::new();
    for &f in formats {
        let main = match f {
            Format::Json => Artifact::Json,
            Format::Tsv => Artifact::GenesTsv,
            Format::Html => Artifact::Html,
            Format::Phenopacket => Artifact::Phenopacket,
            Format::Vcf => Artifact::Vcf(Compression::None),
            Format::VcfGz => Artifact::Vcf(Compression::Bgzf),
        };
        match dest {
            Destination::Stdout => out.push((None, main)),
            Destination::File(p) => {
                out.push((Some(p.clone()), main));
                if f == Format::Tsv {
                    let stem = p.with_extension("");
                    out.push((Some(with_suffix(&stem, "diseases.tsv")), Artifact::DiseasesTsv));
                    if variants {
                        out.push((Some(with_suffix(&stem, "variants.tsv")), Artifact::VariantsTsv));
                    }
                }
            }
            Destination::Prefix(p) => {
                if f == Format::Tsv {
                    out.push((Some(with_suffix(p, "genes.tsv")), Artifact::GenesTsv));
                    out.push((Some(with_suffix(p, "diseases.tsv")), Artifact::DiseasesTsv));
                    if variants {
                        out.push((Some(with_suffix(p, "variants.tsv")), Artifact::VariantsTsv));
                    }
                } else {
                    out.push((Some(with_suffix(p, f.extension())), main));
                }
            }
        }
    }
    out
}

fn io_err(e: odyssey_report::ReportError) -> std::io::Error {
    std::io::Error::other(e)
}

/// Writes every requested format of a report. All target files are checked first: if one
/// exists and `force` is false, nothing is written. A VCF output needs the analysis' input VCF
/// (the report's `vcf` input) and `vcf.gz` also gets a tabix (or CSI) index beside it.
pub fn write_report(report: &AnalysisReport, formats: &[Format], dest: &Destination, force: bool) -> anyhow::Result<()> {
    let plan = plan(report, formats, dest);
    if !force {
        let existing: Vec<String> = plan.iter().filter_map(|(p, _)| p.as_ref()).filter(|p| p.exists()).map(|p| p.display().to_string()).collect();
        if !existing.is_empty() {
            bail!("{} exist{}; pass --force to overwrite", existing.join(", "), if existing.len() == 1 { "s" } else { "" });
        }
    }
    let vcf_input = odyssey_report::input_path(report, "vcf").map(PathBuf::from);
    if plan.iter().any(|(_, a)| matches!(a, Artifact::Vcf(_))) && vcf_input.is_none() {
        bail!("--format vcf needs a variant analysis: this report has no input VCF");
    }
    let packet = if plan.iter().any(|(_, a)| *a == Artifact::Phenopacket) {
        let input = match odyssey_report::input_path(report, "phenopacket") {
            Some(p) => Some(read_phenopacket_value(Path::new(p))?),
            None => None,
        };
        Some(add_interpretations(input, report, &PhenopacketOptions::default())?)
    } else {
        None
    };

    for (path, artifact) in &plan {
        let mut vcf_summary = None;
        let mut render = |w: &mut dyn Write| -> std::io::Result<()> {
            match artifact {
                Artifact::Json => odyssey_report::write_json(report, w),
                Artifact::Html => odyssey_report::write_html(report, w).map_err(io_err),
                Artifact::GenesTsv => odyssey_report::write_genes_tsv(report, w),
                Artifact::DiseasesTsv => odyssey_report::write_diseases_tsv(report, w),
                Artifact::VariantsTsv => odyssey_report::write_variants_tsv(report, w),
                Artifact::Phenopacket => write_phenopacket(packet.as_ref().expect("built above"), w),
                Artifact::Vcf(c) => {
                    let input = vcf_input.as_deref().expect("checked above");
                    vcf_summary = Some(annotate_vcf(input, report, w, *c).map_err(io_err)?);
                    Ok(())
                }
            }
        };
        match path {
            None => {
                let mut out = std::io::stdout().lock();
                render(&mut out)?;
                out.flush()?;
            }
            Some(p) => write_file(p, force, render)?,
        }
        if let Some(s) = vcf_summary {
            for v in &s.unmatched {
                eprintln!("warning: report variant {v} is not in the input VCF {}", vcf_input.as_deref().unwrap_or(Path::new("")).display());
            }
            tracing::info!(records = s.records, annotated = s.annotated, "VCF written");
        }
        if let (Some(p), Artifact::Vcf(Compression::Bgzf)) = (path, artifact) {
            let index = index_bgzf_vcf(p)?;
            write_file(&index_path(p, &index), force, |w| index.write(w))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_by_name() {
        let f = |o: &str, fs: &[Format]| Destination::choose(Some(Path::new(o)), fs).unwrap();
        assert!(matches!(f("out.html", &[Format::Html]), Destination::File(_)));
        assert!(matches!(f("out.vcf.gz", &[Format::VcfGz]), Destination::File(_)));
        assert!(matches!(f("out.vcf.gz", &[Format::Vcf]), Destination::Prefix(_)));
        assert!(matches!(f("out.json", &[Format::Phenopacket]), Destination::File(_)));
        assert!(matches!(f("run/case1", &[Format::Html, Format::Json]), Destination::Prefix(_)));
        assert!(Destination::choose(None, &[Format::Html, Format::Json]).is_err());
    }

    fn report() -> AnalysisReport {
        serde_json::from_value(serde_json::json!({
            "odyssey": { "version": "0", "knowledge_base": { "hpo_release": "r", "annotations_release": "r", "source": "embedded", "checksum": "0" },
                "method": "lr", "parameters": {}, "inputs": [], "command": [], "created": "2026-01-01T00:00:00Z" },
            "case": { "id": "c", "observed": [], "excluded": [], "terms": [], "ignored": [], "remapped": [] },
            "diseases": [], "genes": []
        }))
        .unwrap()
    }

    #[test]
    fn several_formats_all_or_nothing() {
        let dir = std::env::temp_dir().join(format!("odyssey-output-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let prefix = dir.join("run/case");
        let formats = [Format::Html, Format::Json, Format::Tsv, Format::Phenopacket];
        let dest = Destination::choose(Some(&prefix), &formats).unwrap();
        write_report(&report(), &formats, &dest, false).unwrap();
        let mut names: Vec<String> = std::fs::read_dir(dir.join("run")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        // no temporary file left behind; no variants table without a variant analysis
        assert_eq!(names, ["case.diseases.tsv", "case.genes.tsv", "case.html", "case.json", "case.phenopacket.json"]);
        // one existing file: the run is refused before anything is written
        std::fs::remove_file(dir.join("run/case.json")).unwrap();
        std::fs::write(dir.join("run/case.html"), "mine").unwrap();
        let e = write_report(&report(), &formats, &dest, false).unwrap_err().to_string();
        assert!(e.contains("case.html") && e.contains("--force"), "{e}");
        assert!(!dir.join("run/case.json").exists());
        assert_eq!(std::fs::read_to_string(dir.join("run/case.html")).unwrap(), "mine");
        // --force replaces
        write_report(&report(), &formats, &dest, true).unwrap();
        assert!(std::fs::read_to_string(dir.join("run/case.html")).unwrap().starts_with("<!DOCTYPE html>"));
        // VCF output needs a variant analysis
        let e = write_report(&report(), &[Format::VcfGz], &Destination::Prefix(prefix.clone()), true).unwrap_err().to_string();
        assert!(e.contains("no input VCF"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
