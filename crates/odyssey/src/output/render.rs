//! Rendering a report into each artifact, and writing a run's artifacts all or nothing.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use odyssey_report::phenopacket::{
    add_interpretations, read_phenopacket_value, write_phenopacket, PhenopacketOptions,
};
use odyssey_report::vcf::{annotate_vcf, index_bgzf_vcf, index_path, Compression};
use odyssey_report::AnalysisReport;

use super::files::{check_not_input, parent_dir, target_exists, Staged};
use super::{plan, with_suffix, Artifact, Destination, Format, Planned};
use crate::error::{Error, Result};

/// What the renderers read besides the report: the annotated phenopacket (built once per run)
/// and the input VCF.
struct Inputs {
    packet: Option<serde_json::Value>,
    vcf: Option<PathBuf>,
}

impl Inputs {
    /// Reads what the artifacts need: the input VCF must be in the report's inputs for a VCF
    /// artifact; the input phenopacket (if any) is read for a phenopacket artifact, its
    /// relative `files[].uri` made absolute when `absolute_uris`.
    fn for_artifacts(
        report: &AnalysisReport,
        artifacts: impl Iterator<Item = Artifact> + Clone,
        absolute_uris: bool,
    ) -> Result<Inputs> {
        let vcf = odyssey_report::input_path(report, "vcf").map(PathBuf::from);
        if artifacts.clone().any(|a| matches!(a, Artifact::Vcf(_))) && vcf.is_none() {
            return Err(Error::Request("--format vcf (or vcf.gz) writes the annotated input VCF and needs a variant analysis: this run has no input VCF (give --vcf FILE)".into()));
        }
        let packet = if artifacts.clone().any(|a| a == Artifact::Phenopacket) {
            let input_packet = odyssey_report::input_path(report, "phenopacket").map(Path::new);
            let input = input_packet.map(read_phenopacket_value).transpose()?;
            let mut opts = PhenopacketOptions::default();
            if absolute_uris {
                opts.resolve_files_against = input_packet.map(phenopacket_folder);
            }
            Some(add_interpretations(input, report, &opts)?)
        } else {
            None
        };
        Ok(Inputs { packet, vcf })
    }

    /// Renders one artifact into `w`; returns warnings (report variants missing from the VCF).
    fn render(
        &self,
        report: &AnalysisReport,
        artifact: Artifact,
        w: &mut dyn Write,
    ) -> std::io::Result<Vec<String>> {
        match artifact {
            Artifact::Json => odyssey_report::write_json(report, w)?,
            Artifact::Html => odyssey_report::write_html(report, w).map_err(io_err)?,
            Artifact::GenesTsv => odyssey_report::write_genes_tsv(report, w)?,
            Artifact::DiseasesTsv => odyssey_report::write_diseases_tsv(report, w)?,
            Artifact::VariantsTsv => odyssey_report::write_variants_tsv(report, w)?,
            Artifact::Phenopacket => {
                write_phenopacket(self.packet.as_ref().expect("read for the artifact"), w)?
            }
            Artifact::Vcf(c) => {
                let input = self.vcf.as_deref().expect("checked for the artifact");
                let s = annotate_vcf(input, report, w, c).map_err(io_err)?;
                tracing::info!(records = s.records, annotated = s.annotated, "VCF rendered");
                return Ok(s
                    .unmatched
                    .iter()
                    .map(|v| {
                        format!(
                            "report variant {v} is not in the input VCF {}",
                            input.display()
                        )
                    })
                    .collect());
            }
        }
        Ok(Vec::new())
    }
}

fn io_err(e: odyssey_report::ReportError) -> std::io::Error {
    std::io::Error::other(e)
}

/// Renders one artifact of a report into `out` (a phenopacket keeps the input's relative
/// file URIs, as on standard output). Returns warnings: report variants that are not in the
/// input VCF. Errors: a VCF artifact without an input VCF in the report; unreadable inputs.
pub fn render_to(
    report: &AnalysisReport,
    artifact: Artifact,
    out: &mut dyn Write,
) -> Result<Vec<String>> {
    let inputs = Inputs::for_artifacts(report, std::iter::once(artifact), false)?;
    Ok(inputs.render(report, artifact, out)?)
}

/// One format of a report as bytes: its main artifact (the genes table for
/// [`Format::Tsv`]; see [`render_to`] for the others).
pub fn render(report: &AnalysisReport, format: Format) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    render_to(report, format.main_artifact(), &mut out)?;
    Ok(out)
}

/// The folder against which the relative file URIs of the input phenopacket resolve, made
/// absolute (so they stay valid wherever the output phenopacket is read from).
fn phenopacket_folder(input: &Path) -> PathBuf {
    let dir = parent_dir(input);
    dir.canonicalize()
        .or_else(|_| std::path::absolute(&dir))
        .unwrap_or(dir)
}

/// An indexing failure names the output requested (not its temporary file) and the input VCF.
fn index_error(e: odyssey_report::ReportError, target: &Path, input: &Path) -> Error {
    let detail = match e {
        odyssey_report::ReportError::Vcf { message, .. } => message,
        e => e.to_string(),
    };
    let detail = detail
        .split_once("?): ")
        .map_or(detail.as_str(), |(_, d)| d);
    Error::Output(format!(
        "cannot index {}: {detail} (the records of the input VCF {} must be sorted by contig and position; nothing was written)",
        target.display(),
        input.display()
    ))
}

/// Step 1 of [`write_report`]: every target (and the index beside a `vcf.gz`, and the
/// [`stale_members`] of an older set) checked before any work; existing ones are refused
/// together unless `force`.
fn check_targets(
    report: &AnalysisReport,
    plan: &[Planned],
    stale: &[PathBuf],
    force: bool,
) -> Result<()> {
    let inputs: Vec<&Path> = report
        .odyssey
        .inputs
        .iter()
        .map(|i| Path::new(i.path.as_str()))
        .collect();
    let mut existing = Vec::new();
    for Planned { path, artifact } in plan {
        let Some(p) = path else { continue };
        let mut targets = vec![p.clone()];
        if *artifact == Artifact::Vcf(Compression::Bgzf) {
            targets.extend(["tbi", "csi"].map(|x| with_suffix(p, x)));
        }
        for t in targets {
            check_not_input(&t, inputs.iter().copied())?;
            if target_exists(&t)? {
                existing.push(t);
            }
        }
    }
    for t in stale {
        check_not_input(t, inputs.iter().copied())?;
        if target_exists(t)? {
            existing.push(t.clone());
        }
    }
    if !force && !existing.is_empty() {
        return Err(Error::Exists { paths: existing });
    }
    Ok(())
}

/// Files of an older set under the same names that this run does not make: the variants
/// table of a `tsv` set when this run has no variant analysis. Replacing a set with `--force`
/// removes them, so the folder never holds a new genes table beside an old variants table.
fn stale_members(
    report: &AnalysisReport,
    formats: &[Format],
    dest: &Destination,
    plan: &[Planned],
) -> Vec<PathBuf> {
    if !formats.contains(&Format::Tsv) || odyssey_report::has_variant_analysis(report) {
        return Vec::new();
    }
    let variants = match dest {
        Destination::Stdout => return Vec::new(),
        Destination::File(p) => with_suffix(&p.with_extension(""), "variants.tsv"),
        Destination::Prefix(p) => with_suffix(p, "variants.tsv"),
    };
    if plan.iter().any(|x| x.path.as_ref() == Some(&variants)) {
        return Vec::new();
    }
    vec![variants]
}

/// Step 2 of [`write_report`]: one artifact rendered into a temporary file beside its target;
/// a `vcf.gz` is indexed there too. Returns the render warnings.
fn stage_file(
    staged: &mut Staged,
    inputs: &Inputs,
    report: &AnalysisReport,
    (p, artifact): (&Path, Artifact),
    force: bool,
) -> Result<Vec<String>> {
    let write_err = |source| Error::Write {
        path: p.to_path_buf(),
        source,
    };
    let (f, tmp) = staged.add(p, force)?;
    let mut w = BufWriter::new(f);
    let warnings = inputs.render(report, artifact, &mut w).map_err(write_err)?;
    w.into_inner().map_err(|e| write_err(e.into_error()))?;
    if artifact == Artifact::Vcf(Compression::Bgzf) {
        let input = inputs.vcf.as_deref().expect("checked for the artifact");
        let index = index_bgzf_vcf(&tmp).map_err(|e| index_error(e, p, input))?;
        let index_file = index_path(p, &index);
        let (f, _) = staged.add(&index_file, force)?;
        let mut w = BufWriter::new(f);
        index
            .write(&mut w)
            .and_then(|()| w.flush())
            .map_err(|source| Error::Write {
                path: index_file.clone(),
                source,
            })?;
        // an index of the other kind beside it would describe the old file
        for x in ["tbi", "csi"].map(|x| with_suffix(p, x)) {
            if x != index_file {
                staged.remove_on_commit(&x);
            }
        }
    }
    Ok(warnings)
}

/// Writes every requested format of a report, all or nothing; what goes to standard output
/// ([`Destination::Stdout`]) is written to `stdout`. Returns warnings for the user (report
/// variants not found in the input VCF).
///
/// 1. Every target file is checked before any work: an existing file (or an older set's
///    member that this run would not replace) is refused unless `force` ([`Error::Exists`] names all of them), as is a target that is one of the
///    report's input files (even with `force`), a folder, or a path whose parent is a file.
/// 2. Every artifact, including the tabix (or CSI) index of `vcf.gz`, is rendered into a
///    temporary file beside its target.
/// 3. Only when all succeeded are they moved into place together ([`Staged::commit`]), and
///    members of an older set that this one does not make ([`stale_members`]) removed; on any
///    error the temporary files are removed and nothing is written.
///
/// A VCF output needs the analysis' input VCF (the report's `vcf` input). A phenopacket written
/// to a file gets its relative `files[].uri` rewritten as absolute `file://` URIs (resolved
/// against the input phenopacket's folder), so it stays valid wherever it is read from.
pub fn write_report(
    report: &AnalysisReport,
    formats: &[Format],
    dest: &Destination,
    force: bool,
    stdout: &mut dyn Write,
) -> Result<Vec<String>> {
    let plan = plan(report, formats, dest);
    let stale = stale_members(report, formats, dest, &plan);
    check_targets(report, &plan, &stale, force)?;
    let absolute_uris = plan
        .iter()
        .any(|p| p.artifact == Artifact::Phenopacket && p.path.is_some());
    let inputs = Inputs::for_artifacts(report, plan.iter().map(|p| p.artifact), absolute_uris)?;
    let mut staged = Staged::default();
    for x in &stale {
        staged.remove_on_commit(x);
    }
    let mut warnings = Vec::new();
    for Planned { path, artifact } in &plan {
        match path {
            None => {
                warnings.extend(inputs.render(report, *artifact, stdout)?);
                stdout.flush()?;
            }
            Some(p) => warnings.extend(stage_file(
                &mut staged,
                &inputs,
                report,
                (p, *artifact),
                force,
            )?),
        }
    }
    // old members that the new set does not have go with the commit (only reachable with
    // force: an existing file refuses the run without it)
    staged.commit()?;
    Ok(warnings)
}
