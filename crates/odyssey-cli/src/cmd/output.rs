//! Writing results safely: never over an existing file unless `--force`, and always through a
//! temporary file renamed into place, so an interrupted run leaves no half-written output.
//! Every file of a run is checked before the first one is written, so a refused run writes
//! nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use anyhow::{bail, Context};
use odyssey_report::phenopacket::{
    add_interpretations, read_phenopacket_value, write_phenopacket, PhenopacketOptions,
};
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
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        name.ends_with(&format!(".{}", self.extension()))
            || (self == Format::Phenopacket && name.ends_with(".json"))
    }
}

/// Temporary files of this process are told apart by this counter (with the process id), so
/// threads writing the same output name at once (batch mode) never share a temporary file.
static TMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// An I/O error for people: `permission denied`, `read-only file system`, ... (the OS message,
/// lower-cased, without its `(os error N)` suffix).
fn reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::PermissionDenied => "permission denied".into(),
        K::ReadOnlyFilesystem => "read-only file system".into(),
        K::StorageFull => "no space left on device".into(),
        K::QuotaExceeded => "disk quota exceeded".into(),
        _ => {
            let s = e.to_string();
            let s = s
                .find(" (os error")
                .map_or(s.as_str(), |i| &s[..i])
                .to_string();
            let mut c = s.chars();
            c.next()
                .map(|f| f.to_lowercase().chain(c).collect())
                .unwrap_or(s)
        }
    }
}

/// The folder a file goes into (`.` for a bare name).
fn parent_dir(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Checks that `path` can be created: it names a file, its nearest existing ancestor is a
/// folder, and it is not itself a folder. Returns whether the file exists (a dangling
/// symbolic link counts). Errors name `path` and say what is wrong.
pub fn target_exists(path: &Path) -> anyhow::Result<bool> {
    let shown = path.display();
    if path.file_name().is_none() {
        bail!("cannot write {shown}: not a file name");
    }
    for a in parent_dir(path)
        .ancestors()
        .take_while(|a| !a.as_os_str().is_empty())
    {
        match std::fs::metadata(a) {
            Ok(m) if m.is_dir() => break,
            Ok(_) => bail!(
                "cannot write {shown}: parent {} is not a directory",
                a.display()
            ),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
                ) =>
            {
                continue
            }
            Err(e) => bail!(
                "cannot write {shown}: cannot reach {}: {}",
                a.display(),
                reason(&e)
            ),
        }
    }
    match std::fs::symlink_metadata(path) {
        Ok(_) if path.is_dir() => bail!("cannot write {shown}: it is a directory"),
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(false)
        }
        Err(e) => bail!("cannot write {shown}: {}", reason(&e)),
    }
}

/// Checks, before any work, that `path` can be written: see [`target_exists`]; an existing file
/// is refused unless `force`.
pub fn check_target(path: &Path, force: bool) -> anyhow::Result<()> {
    if target_exists(path)? && !force {
        bail!("{} exists; pass --force to overwrite it", path.display());
    }
    Ok(())
}

/// True when `a` and `b` are the same file (same device and inode: `./x`, symbolic and hard
/// links count).
fn same_file(a: &std::fs::Metadata, b: &std::fs::Metadata) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (a, b);
        false
    }
}

/// Refuses an output that is one of the inputs, even with `--force` (the run would replace
/// what it reads). Inputs named `-` (standard input) and missing files are skipped.
pub fn check_not_input<'a>(
    output: &Path,
    inputs: impl IntoIterator<Item = &'a Path>,
) -> anyhow::Result<()> {
    if output.as_os_str() == "-" {
        return Ok(());
    }
    let Ok(out) = std::fs::metadata(output) else {
        return Ok(());
    };
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        let same = match std::fs::metadata(input) {
            Ok(m) => {
                same_file(&out, &m)
                    || matches!((output.canonicalize(), input.canonicalize()), (Ok(a), Ok(b)) if a == b)
            }
            Err(_) => false,
        };
        if same {
            bail!(
                "the output {} is the input {}: write the output to another file",
                output.display(),
                input.display()
            );
        }
    }
    Ok(())
}

/// One output file being written: an empty temporary file created beside the target (same
/// folder, so the final rename is atomic), named `.NAME.tmpPID-N`. [`PendingFile::commit`]
/// moves it into place; dropping it uncommitted removes it and the folders made for it.
struct PendingFile {
    target: PathBuf,
    tmp: PathBuf,
    force: bool,
    /// Folders created for this file, deepest first.
    created_dirs: Vec<PathBuf>,
    /// Moved into place (the temporary file is gone).
    committed: bool,
}

fn remove_dirs(dirs: &[PathBuf]) {
    for d in dirs {
        // only empty folders go: another file of the run may have been written there
        if std::fs::remove_dir(d).is_err() {
            break;
        }
    }
}

impl PendingFile {
    fn create(target: &Path, force: bool) -> anyhow::Result<(PendingFile, File)> {
        check_target(target, force)?;
        let shown = target.display();
        let dir = parent_dir(target);
        let mut created_dirs = Vec::new();
        if !dir.is_dir() {
            created_dirs = dir
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && !a.exists())
                .map(Path::to_path_buf)
                .collect();
            if let Err(e) = std::fs::create_dir_all(&dir) {
                remove_dirs(&created_dirs);
                bail!(
                    "cannot write {shown}: cannot create the folder {}: {}",
                    dir.display(),
                    reason(&e)
                );
            }
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let n = TMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.tmp{}-{n}", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => Ok((
                PendingFile {
                    target: target.to_path_buf(),
                    tmp,
                    force,
                    created_dirs,
                    committed: false,
                },
                f,
            )),
            Err(e) => {
                remove_dirs(&created_dirs);
                let why = match e.kind() {
                    // e.g. /proc: the folder exists but its file system takes no new files
                    std::io::ErrorKind::NotFound if dir.is_dir() => {
                        "its file system does not accept new files".to_string()
                    }
                    _ => reason(&e),
                };
                bail!(
                    "cannot write {shown}: cannot write in {}: {why}",
                    dir.display()
                )
            }
        }
    }

    /// Moves the finished temporary file into place: over an existing file only with `force`
    /// (without it, a hard link that fails if the target appeared meanwhile, so a concurrent
    /// writer is never overwritten). Returns true when the target did not exist before.
    fn commit(&mut self) -> anyhow::Result<bool> {
        let shown = self.target.display();
        // the data reaches the disk before the name points at it
        File::open(&self.tmp)
            .and_then(|f| f.sync_all())
            .map_err(|e| anyhow::anyhow!("cannot write {shown}: {}", reason(&e)))?;
        let existed = std::fs::symlink_metadata(&self.target).is_ok();
        if existed && !self.force {
            bail!("{shown} exists; pass --force to overwrite it");
        }
        let moved = if self.force {
            std::fs::rename(&self.tmp, &self.target)
        } else {
            match std::fs::hard_link(&self.tmp, &self.target) {
                Ok(()) => {
                    let _ = std::fs::remove_file(&self.tmp);
                    Ok(())
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    bail!("{shown} exists; pass --force to overwrite it")
                }
                // a file system without hard links: checked above, then renamed
                Err(_) => std::fs::rename(&self.tmp, &self.target),
            }
        };
        moved.map_err(|e| {
            anyhow::anyhow!(
                "cannot write {shown}: moving the finished file into place: {}",
                reason(&e)
            )
        })?;
        self.committed = true;
        Ok(!existed)
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
            remove_dirs(&self.created_dirs);
        }
    }
}

/// Files written together, all or nothing: each is written to its temporary file first
/// ([`Staged::add`]); [`Staged::commit`] then moves them all into place. Dropping a `Staged`
/// before the commit (an error while rendering) removes every temporary file and the folders
/// made for them, so nothing is written.
#[derive(Default)]
pub struct Staged {
    files: Vec<PendingFile>,
}

impl Staged {
    /// Checks `target` ([`check_target`]), creates its folder if needed and a temporary file
    /// beside it, and returns that file (to fill) and its path (for writers that open the path
    /// themselves). Errors name `target`.
    pub fn add(&mut self, target: &Path, force: bool) -> anyhow::Result<(File, PathBuf)> {
        let (p, f) = PendingFile::create(target, force)?;
        let tmp = p.tmp.clone();
        self.files.push(p);
        Ok((f, tmp))
    }

    /// Moves every file into place, in the order added. If one fails, the files this call
    /// created are removed again (files replaced with `--force` cannot be restored) and the
    /// remaining temporary files are removed.
    pub fn commit(mut self) -> anyhow::Result<()> {
        let mut new = Vec::new();
        for i in 0..self.files.len() {
            match self.files[i].commit() {
                Ok(was_new) => new.push((i, was_new)),
                Err(e) => {
                    for &(j, was_new) in new.iter().rev() {
                        if was_new {
                            let _ = std::fs::remove_file(&self.files[j].target);
                            remove_dirs(&self.files[j].created_dirs);
                        }
                    }
                    return Err(e);
                }
            }
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // last first, so a folder made for the first file is empty when its turn comes
        while let Some(p) = self.files.pop() {
            drop(p);
        }
    }
}

/// Writes `path` through a temporary file in the same folder (`.NAME.tmpPID-N`, unique per
/// call) renamed into place once complete; on error the temporary file is removed. Refuses to
/// replace an existing file unless `force`. Errors name `path`: "parent x is not a directory",
/// "cannot write in /dir: permission denied", "x exists; pass --force".
pub fn write_file(
    path: &Path,
    force: bool,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut staged = Staged::default();
    let (f, _) = staged.add(path, force)?;
    let mut w = BufWriter::new(f);
    fill(&mut w).with_context(|| format!("writing {}", path.display()))?;
    w.into_inner()
        .map_err(|e| e.into_error())
        .with_context(|| format!("writing {}", path.display()))?;
    staged.commit()
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
                let text = p.as_os_str().to_string_lossy();
                if p.is_dir() || text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) || p.file_name().is_none() {
                    bail!(
                        "-o {}: is a folder; give a file name, or a prefix inside the folder (e.g. -o {}): the outputs are PREFIX.json, PREFIX.genes.tsv, ...",
                        p.display(),
                        p.join("case").display()
                    );
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
fn plan(
    report: &AnalysisReport,
    formats: &[Format],
    dest: &Destination,
) -> Vec<(Option<PathBuf>, Artifact)> {
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
                    out.push((
                        Some(with_suffix(&stem, "diseases.tsv")),
                        Artifact::DiseasesTsv,
                    ));
                    if variants {
                        out.push((
                            Some(with_suffix(&stem, "variants.tsv")),
                            Artifact::VariantsTsv,
                        ));
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

/// The folder against which the relative file URIs of the input phenopacket resolve, made
/// absolute (so they stay valid wherever the output phenopacket is read from).
fn phenopacket_folder(input: &Path) -> PathBuf {
    let dir = parent_dir(input);
    dir.canonicalize()
        .or_else(|_| std::path::absolute(&dir))
        .unwrap_or(dir)
}

/// An indexing failure names the output requested (not its temporary file) and the input VCF.
fn index_error(e: odyssey_report::ReportError, target: &Path, input: &Path) -> anyhow::Error {
    let detail = match e {
        odyssey_report::ReportError::Vcf { message, .. } => message,
        e => e.to_string(),
    };
    let detail = detail
        .split_once("?): ")
        .map_or(detail.as_str(), |(_, d)| d);
    anyhow::anyhow!(
        "cannot index {}: {detail} (the records of the input VCF {} must be sorted by contig and position; nothing was written)",
        target.display(),
        input.display()
    )
}

/// Writes every requested format of a report, all or nothing.
///
/// 1. Every target file is checked before any work: an existing file is refused unless
///    `force` (all of them are named), as is a target that is one of the report's input files
///    (even with `force`), a folder, or a path whose parent is a file.
/// 2. Every artifact, including the tabix (or CSI) index of `vcf.gz`, is rendered into a
///    temporary file beside its target.
/// 3. Only when all succeeded are they renamed into place; on any error the temporary files are
///    removed and nothing is written.
///
/// A VCF output needs the analysis' input VCF (the report's `vcf` input). A phenopacket written
/// to a file gets its relative `files[].uri` rewritten as absolute `file://` URIs (resolved
/// against the input phenopacket's folder), so it stays valid wherever it is read from.
pub fn write_report(
    report: &AnalysisReport,
    formats: &[Format],
    dest: &Destination,
    force: bool,
) -> anyhow::Result<()> {
    let mut plan = plan(report, formats, dest);
    let mut seen = std::collections::HashSet::new();
    plan.retain(|(p, _)| p.is_none() || seen.insert(p.clone()));
    let inputs: Vec<&Path> = report
        .odyssey
        .inputs
        .iter()
        .map(|i| Path::new(i.path.as_str()))
        .collect();
    let mut existing = Vec::new();
    for (path, artifact) in &plan {
        let Some(p) = path else { continue };
        let mut targets = vec![p.clone()];
        if *artifact == Artifact::Vcf(Compression::Bgzf) {
            targets.extend(["tbi", "csi"].map(|x| with_suffix(p, x)));
        }
        for t in targets {
            check_not_input(&t, inputs.iter().copied())?;
            if target_exists(&t)? {
                existing.push(t.display().to_string());
            }
        }
    }
    if !force && !existing.is_empty() {
        bail!(
            "{} exist{}; pass --force to overwrite",
            existing.join(", "),
            if existing.len() == 1 { "s" } else { "" }
        );
    }
    let vcf_input = odyssey_report::input_path(report, "vcf").map(PathBuf::from);
    if plan.iter().any(|(_, a)| matches!(a, Artifact::Vcf(_))) && vcf_input.is_none() {
        bail!("--format vcf (or vcf.gz) writes the annotated input VCF and needs a variant analysis: this run has no input VCF (give --vcf FILE)");
    }
    let packet = if plan.iter().any(|(_, a)| *a == Artifact::Phenopacket) {
        let input_packet = odyssey_report::input_path(report, "phenopacket").map(Path::new);
        let input = input_packet.map(read_phenopacket_value).transpose()?;
        let mut opts = PhenopacketOptions::default();
        if plan
            .iter()
            .any(|(p, a)| *a == Artifact::Phenopacket && p.is_some())
        {
            opts.resolve_files_against = input_packet.map(phenopacket_folder);
        }
        Some(add_interpretations(input, report, &opts)?)
    } else {
        None
    };

    let mut staged = Staged::default();
    let mut warnings = Vec::new();
    let mut stale_indexes = Vec::new();
    for (path, artifact) in &plan {
        let mut vcf_summary = None;
        let mut render = |w: &mut dyn Write| -> std::io::Result<()> {
            match artifact {
                Artifact::Json => odyssey_report::write_json(report, w),
                Artifact::Html => odyssey_report::write_html(report, w).map_err(io_err),
                Artifact::GenesTsv => odyssey_report::write_genes_tsv(report, w),
                Artifact::DiseasesTsv => odyssey_report::write_diseases_tsv(report, w),
                Artifact::VariantsTsv => odyssey_report::write_variants_tsv(report, w),
                Artifact::Phenopacket => {
                    write_phenopacket(packet.as_ref().expect("built above"), w)
                }
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
            Some(p) => {
                let (f, tmp) = staged.add(p, force)?;
                let mut w = BufWriter::new(f);
                render(&mut w).with_context(|| format!("writing {}", p.display()))?;
                w.into_inner()
                    .map_err(|e| e.into_error())
                    .with_context(|| format!("writing {}", p.display()))?;
                if *artifact == Artifact::Vcf(Compression::Bgzf) {
                    let input = vcf_input.as_deref().expect("checked above");
                    let index = index_bgzf_vcf(&tmp).map_err(|e| index_error(e, p, input))?;
                    let index_file = index_path(p, &index);
                    let (f, _) = staged.add(&index_file, force)?;
                    let mut w = BufWriter::new(f);
                    index
                        .write(&mut w)
                        .and_then(|()| w.flush())
                        .with_context(|| format!("writing {}", index_file.display()))?;
                    // an index of the other kind beside it would describe the old file
                    stale_indexes.extend(
                        ["tbi", "csi"]
                            .map(|x| with_suffix(p, x))
                            .into_iter()
                            .filter(|x| *x != index_file),
                    );
                }
            }
        }
        if let Some(s) = vcf_summary {
            for v in &s.unmatched {
                warnings.push(format!(
                    "warning: report variant {v} is not in the input VCF {}",
                    vcf_input.as_deref().unwrap_or(Path::new("")).display()
                ));
            }
            tracing::info!(records = s.records, annotated = s.annotated, "VCF rendered");
        }
    }
    staged.commit()?;
    for x in stale_indexes {
        // only reachable with --force (an existing index refuses the run without it)
        let _ = std::fs::remove_file(x);
    }
    for w in warnings {
        eprintln!("{w}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destination_by_name() {
        let f = |o: &str, fs: &[Format]| Destination::choose(Some(Path::new(o)), fs).unwrap();
        assert!(matches!(
            f("out.html", &[Format::Html]),
            Destination::File(_)
        ));
        assert!(matches!(
            f("out.vcf.gz", &[Format::VcfGz]),
            Destination::File(_)
        ));
        assert!(matches!(
            f("out.vcf.gz", &[Format::Vcf]),
            Destination::Prefix(_)
        ));
        assert!(matches!(
            f("out.json", &[Format::Phenopacket]),
            Destination::File(_)
        ));
        assert!(matches!(
            f("run/case1", &[Format::Html, Format::Json]),
            Destination::Prefix(_)
        ));
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
        let mut names: Vec<String> = std::fs::read_dir(dir.join("run"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        // no temporary file left behind; no variants table without a variant analysis
        assert_eq!(
            names,
            [
                "case.diseases.tsv",
                "case.genes.tsv",
                "case.html",
                "case.json",
                "case.phenopacket.json"
            ]
        );
        // one existing file: the run is refused before anything is written
        std::fs::remove_file(dir.join("run/case.json")).unwrap();
        std::fs::write(dir.join("run/case.html"), "mine").unwrap();
        let e = write_report(&report(), &formats, &dest, false)
            .unwrap_err()
            .to_string();
        assert!(e.contains("case.html") && e.contains("--force"), "{e}");
        assert!(!dir.join("run/case.json").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("run/case.html")).unwrap(),
            "mine"
        );
        // --force replaces
        write_report(&report(), &formats, &dest, true).unwrap();
        assert!(std::fs::read_to_string(dir.join("run/case.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>"));
        // VCF output needs a variant analysis
        let e = write_report(
            &report(),
            &[Format::VcfGz],
            &Destination::Prefix(prefix.clone()),
            true,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("no input VCF"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A fresh, empty scratch folder for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("odyssey-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Many threads writing the same output at once (batch mode, two cases with one name): each
    /// has its own temporary file. With --force every write succeeds and the file is one
    /// writer's whole content; without it exactly one succeeds and the others are refused.
    #[test]
    fn concurrent_writes_of_one_name() {
        let dir = scratch("concurrent");
        let path = dir.join("case.json");
        let contents: Vec<String> = (0..16)
            .map(|i| format!("writer {i} ").repeat(20_000))
            .collect();
        let results: Vec<anyhow::Result<()>> = std::thread::scope(|s| {
            let handles: Vec<_> = contents
                .iter()
                .map(|c| s.spawn(|| write_file(&path, true, |w| w.write_all(c.as_bytes()))))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for r in &results {
            assert!(r.is_ok(), "{:#}", r.as_ref().unwrap_err());
        }
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(contents.contains(&written), "a mix of writers");
        assert_eq!(names(&dir), ["case.json"], "temporary files left");

        std::fs::remove_file(&path).unwrap();
        let results: Vec<anyhow::Result<()>> = std::thread::scope(|s| {
            let handles: Vec<_> = contents
                .iter()
                .map(|c| s.spawn(|| write_file(&path, false, |w| w.write_all(c.as_bytes()))))
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1);
        for e in results.iter().filter_map(|r| r.as_ref().err()) {
            assert!(e.to_string().contains("exists; pass --force"), "{e:#}");
        }
        assert!(contents.contains(&std::fs::read_to_string(&path).unwrap()));
        assert_eq!(names(&dir), ["case.json"], "temporary files left");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A failure while writing leaves nothing: no file, no temporary file, no folder made for it;
    /// an existing file is kept as it was.
    #[test]
    fn a_failed_write_leaves_nothing() {
        let dir = scratch("failed");
        let path = dir.join("new/deeper/out.json");
        let e = write_file(&path, false, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("interrupted"))
        })
        .unwrap_err();
        assert!(
            format!("{e:#}").contains("out.json") && format!("{e:#}").contains("interrupted"),
            "{e:#}"
        );
        assert!(names(&dir).is_empty(), "{:?}", names(&dir));
        std::fs::write(dir.join("old.json"), "old").unwrap();
        assert!(
            write_file(&dir.join("old.json"), true, |_| Err(std::io::Error::other(
                "no"
            )))
            .is_err()
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("old.json")).unwrap(),
            "old"
        );
        assert_eq!(names(&dir), ["old.json"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Errors name the output asked for and what is wrong with it.
    #[test]
    fn output_path_errors() {
        let dir = scratch("paths");
        std::fs::write(dir.join("r.json"), "x").unwrap();
        let ok = |_: &mut dyn Write| Ok(());
        let e = write_file(&dir.join("r.json/sub.json"), false, ok)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "cannot write {0}/r.json/sub.json: parent {0}/r.json is not a directory",
                dir.display()
            )
        );
        let e = write_file(&dir.join("r.json/a/b.json"), true, ok)
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with(&format!(
                "parent {}/r.json is not a directory",
                dir.display()
            )),
            "{e}"
        );
        let e = write_file(&dir, true, ok).unwrap_err().to_string();
        assert_eq!(
            e,
            format!("cannot write {}: it is a directory", dir.display())
        );
        let e = write_file(&dir.join("r.json"), false, ok)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "{}/r.json exists; pass --force to overwrite it",
                dir.display()
            )
        );
        // a folder that takes no new files: the message names the target, not a temporary file
        if Path::new("/proc/self").exists() {
            let e = write_file(Path::new("/proc/out.json"), false, ok)
                .unwrap_err()
                .to_string();
            assert!(
                e.starts_with("cannot write /proc/out.json: cannot write in /proc: "),
                "{e}"
            );
            assert!(!e.contains(".tmp"), "{e}");
        }
        // permission denied (not testable as root, who may write anywhere)
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let ro = dir.join("ro");
            std::fs::create_dir(&ro).unwrap();
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
            if std::fs::write(ro.join("probe"), "").is_err() {
                let e = write_file(&ro.join("out.json"), false, ok)
                    .unwrap_err()
                    .to_string();
                assert_eq!(
                    e,
                    format!(
                        "cannot write {0}/out.json: cannot write in {0}: permission denied",
                        ro.display()
                    )
                );
            }
            std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A VCF for `write_report`: records out of order, so its BGZF copy cannot be indexed.
    const UNSORTED_VCF: &str = "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t2000\t.\tA\tG\t.\tPASS\t.\n1\t1000\t.\tC\tT\t.\tPASS\t.\n";

    /// Several formats are all or nothing: when the last step (indexing the `vcf.gz`) fails,
    /// none of the files rendered before it is written, nor the folder made for them.
    #[test]
    fn a_failing_format_writes_no_other() {
        let dir = scratch("all-or-nothing");
        let vcf = dir.join("unsorted.vcf");
        std::fs::write(&vcf, UNSORTED_VCF).unwrap();
        let mut r = report();
        r.odyssey.inputs.push(odyssey_report::InputFile {
            role: "vcf".into(),
            path: vcf.display().to_string(),
            checksum: None,
        });
        let formats = [Format::Json, Format::Html, Format::VcfGz];
        let prefix = dir.join("us/case");
        let e = write_report(&r, &formats, &Destination::Prefix(prefix.clone()), false)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("us/case.vcf.gz") && e.contains("sorted") && !e.contains(".tmp"),
            "{e}"
        );
        assert_eq!(
            names(&dir),
            ["unsorted.vcf"],
            "files written by a failed run"
        );
        // sorted, the same run writes the VCF and its index
        std::fs::write(
            &vcf,
            UNSORTED_VCF
                .replace("1\t2000\t.\tA\tG\t.\tPASS\t.\n", "")
                .replace("PASS\t.\n", "PASS\t.\n1\t2000\t.\tA\tG\t.\tPASS\t.\n"),
        )
        .unwrap();
        write_report(&r, &formats, &Destination::Prefix(prefix.clone()), false).unwrap();
        assert_eq!(
            names(&dir.join("us")),
            ["case.html", "case.json", "case.vcf.gz", "case.vcf.gz.tbi"]
        );
        // an existing index refuses the run too, naming it
        std::fs::remove_file(dir.join("us/case.json")).unwrap();
        let e = write_report(
            &r,
            &[Format::Json, Format::VcfGz],
            &Destination::Prefix(prefix),
            false,
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("case.vcf.gz.tbi") && e.contains("--force"),
            "{e}"
        );
        assert!(!dir.join("us/case.json").exists());
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// An output that is one of the report's inputs is refused, even with --force.
    #[test]
    fn never_over_an_input() {
        let dir = scratch("input");
        let input = dir.join("case.json");
        std::fs::write(&input, "{\"id\": \"c\"}").unwrap();
        let mut r = report();
        r.odyssey.inputs.push(odyssey_report::InputFile {
            role: "phenopacket".into(),
            path: input.display().to_string(),
            checksum: None,
        });
        let aliased = dir.join(".").join("case.json");
        let e = write_report(&r, &[Format::Json], &Destination::File(aliased), true)
            .unwrap_err()
            .to_string();
        assert!(e.contains("is the input"), "{e}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), "{\"id\": \"c\"}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// A phenopacket written to another folder keeps pointing at the input's VCF.
    #[test]
    fn phenopacket_file_uris_stay_valid() {
        let dir = scratch("uris");
        std::fs::create_dir_all(dir.join("in")).unwrap();
        let input = dir.join("in/case.json");
        std::fs::write(&input, r#"{"id": "c", "subject": {"id": "s"}, "files": [{"uri": "file://case.vcf.gz"}], "metaData": {"phenopacketSchemaVersion": "2.0"}}"#).unwrap();
        let mut r = report();
        r.odyssey.inputs.push(odyssey_report::InputFile {
            role: "phenopacket".into(),
            path: input.display().to_string(),
            checksum: None,
        });
        let out = dir.join("out/c.phenopacket.json");
        write_report(
            &r,
            &[Format::Phenopacket],
            &Destination::File(out.clone()),
            false,
        )
        .unwrap();
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let expected = format!(
            "file://{}",
            dir.canonicalize().unwrap().join("in/case.vcf.gz").display()
        );
        assert_eq!(doc["files"][0]["uri"], serde_json::json!(expected));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
