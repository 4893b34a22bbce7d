//! The sources TOML file (`--sources FILE`).
//!
//! ```toml
//! # paths are relative to this file
//! assembly = "GRCh38"            # optional; checked against the analysis assembly
//!
//! [[source]]
//! name = "gnomad_exomes"
//! role = "frequency"             # frequency | local_frequency | clinvar | score
//! path = "gnomad.exomes.v4.1.sites.ostore"   # or paths = ["a.vcf.bgz", "b.vcf.bgz"]
//! preset = "gnomad4"             # gnomad2 | gnomad3 | gnomad4: INFO keys of gnomAD releases
//! ignore_populations = ["asj", "fin", "mid", "remaining"]
//!
//! [[source]]
//! name = "clinvar"
//! role = "clinvar"               # INFO CLNSIG and CLNREVSTAT
//! path = "clinvar_20250101.vcf.gz"
//!
//! [[source]]
//! name = "revel"
//! role = "score"
//! score = "revel"                # revel | cadd_phred | alphamissense | spliceai
//! path = "revel_with_transcript_ids.csv.gz"
//! ```
//!
//! Keys of a `[[source]]`:
//!
//! | key | meaning | default |
//! |---|---|---|
//! | `name` | unique label used in the output (`af_source`, provenance) | required |
//! | `role` | `frequency` (population AFs), `local_frequency` (in-house AF), `clinvar`, `score` | required |
//! | `score` | for `role = "score"`: `revel`, `cadd_phred`, `alphamissense`, `spliceai` | required for scores |
//! | `path` / `paths` | VCF (bgzip, `.tbi`/`.csi` optional), TSV/CSV (bgzip or plain) or a compiled `.ostore` | required |
//! | `format` | `vcf`, `tsv`, `store` | from the file name |
//! | `mode` | `auto`, `memory` (load whole file), `stream` (ordered reading with the index) | `auto`: stream when indexed and larger than 32 MiB, else memory |
//! | `preset` | frequency INFO keys of `gnomad2` (v2.1), `gnomad3` (v3.1), `gnomad4` (v4.x) | none |
//! | `af`, `popmax`, `nhomalt`, `hemizygotes` | INFO keys (VCF) or columns (TSV) | from `preset`; `af = "AF"` |
//! | `populations`, `population_prefix` | population AF keys are `prefix + population` | from `preset`, prefix `AF_` |
//! | `ignore_populations` | populations left out of the maximum population AF | `["asj", "fin", "oth", "ami", "mid", "remaining"]` with a preset |
//! | `pass_only` | skip source records whose FILTER is not PASS/`.` | `false` |
//! | `clnsig`, `clnrevstat` | ClinVar INFO keys | `CLNSIG`, `CLNREVSTAT` |
//! | `field` | score INFO key or column | `REVEL`, `PHRED`, `am_pathogenicity`, `SpliceAI` |
//! | `columns` | TSV columns `{ chrom, pos, ref, alt }` by header name or 1-based number | per score kind, else `CHROM POS REF ALT` |
//! | `delimiter` | TSV delimiter | `","` for REVEL, else tab |
//!
//! REVEL's file has both `hg19_pos` and `grch38_pos`; the position column follows the file's
//! top-level `assembly` (GRCh38 when absent) unless `columns.pos` is given.
//!
//! ## The public sources, as distributed
//!
//! | source | role / settings | distributed as |
//! |---|---|---|
//! | gnomAD v2.1.1 exomes/genomes (GRCh37) | `frequency`, `preset = "gnomad2"` | bgzipped sites VCF (+ `.tbi`), one per chromosome or whole-genome |
//! | gnomAD v3.1 / v4.x (GRCh38) | `frequency`, `preset = "gnomad3"` / `"gnomad4"` | bgzipped sites VCF per chromosome (+ `.tbi`); list them in `paths` |
//! | ClinVar | `clinvar` | `clinvar_YYYYMMDD.vcf.gz` (+ `.tbi`), `1`/`MT` contig names |
//! | REVEL | `score`, `score = "revel"` | CSV (`chr,hg19_pos,grch38_pos,ref,alt,...,REVEL,...`), not position-sorted for GRCh38 |
//! | CADD | `score`, `score = "cadd_phred"` | bgzipped TSV with `## CADD` comment and `#Chrom Pos Ref Alt RawScore PHRED` header (+ `.tbi`) |
//! | AlphaMissense | `score`, `score = "alphamissense"` | gzipped TSV, `#CHROM POS REF ALT ... am_pathogenicity am_class`, one row per transcript |
//! | SpliceAI | `score`, `score = "spliceai"` | bgzipped VCF with `INFO/SpliceAI=ALLELE\|SYMBOL\|DS_AG\|DS_AL\|DS_DG\|DS_DL\|...` (+ `.tbi`) |
//! | in-house | `local_frequency`, `af = "AF"` | any VCF/TSV with an AF |
//!
//! Genome-wide files (gnomAD, CADD, SpliceAI) are far too large for `memory` mode: stream them
//! with their index, or better compile them once with `odyssey sources build` (see
//! [`super::store`]); REVEL on GRCh38 must be compiled (it is not sorted by GRCh38 position).

use std::path::{Path, PathBuf};

use odyssey_genome::Assembly;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// What a source contributes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Population allele frequencies (gnomAD exomes/genomes, ExAC...).
    Frequency,
    /// An in-house (local cohort) allele frequency.
    LocalFrequency,
    /// ClinVar clinical significance and review status.
    Clinvar,
    /// A per-variant pathogenicity score.
    Score,
}

/// The pathogenicity scores Odyssey uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreKind {
    /// REVEL missense meta-score, 0-1 (Ioannidis et al. 2016).
    Revel,
    /// CADD scaled (PHRED-like) score (Rentzsch et al. 2019).
    CaddPhred,
    /// AlphaMissense pathogenicity, 0-1 (Cheng et al. 2023).
    Alphamissense,
    /// SpliceAI maximum delta score, 0-1 (Jaganathan et al. 2019).
    Spliceai,
}

impl ScoreKind {
    /// Name used in output (`revel`, `cadd_phred`, `alphamissense`, `spliceai`).
    pub fn as_str(self) -> &'static str {
        match self {
            ScoreKind::Revel => "revel",
            ScoreKind::CaddPhred => "cadd_phred",
            ScoreKind::Alphamissense => "alphamissense",
            ScoreKind::Spliceai => "spliceai",
        }
    }
}

/// Container format of a source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// VCF (plain, gzip or BGZF).
    Vcf,
    /// Tab- or comma-separated text with a header line.
    Tsv,
    /// Odyssey's compiled store (`odyssey sources build`).
    Store,
}

/// How a VCF/TSV source is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessMode {
    /// Stream when indexed and larger than 32 MiB, else load into memory.
    #[default]
    Auto,
    /// Load the whole file into memory.
    Memory,
    /// Read in position order alongside the VCF, seeking with the tabix/CSI index once per
    /// chromosome (and when the VCF goes backwards).
    Stream,
}

/// gnomAD INFO key sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyPreset {
    /// gnomAD v2.1 (GRCh37): `AF`, `AF_popmax`, `nhomalt`, `AC_male`, 8 populations.
    Gnomad2,
    /// gnomAD v3.1 (GRCh38): `AF`, `AF_popmax`, `nhomalt`, `AC_XY`, 10 populations.
    Gnomad3,
    /// gnomAD v4.x (GRCh38): `AF`, `AF_grpmax`, `nhomalt`, `AC_XY`, 10 groups.
    Gnomad4,
}

/// TSV column names (header names or 1-based numbers).
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Chromosome column.
    pub chrom: Option<String>,
    /// Position column (1-based positions).
    pub pos: Option<String>,
    /// Reference allele column.
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// Alternate allele column.
    pub alt: Option<String>,
}

/// One `[[source]]` entry as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Unique label.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Score kind for `role = "score"`.
    #[serde(default)]
    pub score: Option<ScoreKind>,
    /// One file.
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Several files (e.g. one per chromosome).
    #[serde(default)]
    pub paths: Vec<PathBuf>,
    /// Container format.
    #[serde(default)]
    pub format: Option<SourceFormat>,
    /// Access mode.
    #[serde(default)]
    pub mode: AccessMode,
    /// gnomAD key preset.
    #[serde(default)]
    pub preset: Option<FrequencyPreset>,
    /// Overall AF key.
    #[serde(default)]
    pub af: Option<String>,
    /// popmax/grpmax AF key.
    #[serde(default)]
    pub popmax: Option<String>,
    /// Populations with their own AF key.
    #[serde(default)]
    pub populations: Option<Vec<String>>,
    /// Prefix of population AF keys.
    #[serde(default)]
    pub population_prefix: Option<String>,
    /// Populations left out of the maximum.
    #[serde(default)]
    pub ignore_populations: Option<Vec<String>>,
    /// Homozygote count key.
    #[serde(default)]
    pub nhomalt: Option<String>,
    /// Hemizygote (XY allele count) key.
    #[serde(default)]
    pub hemizygotes: Option<String>,
    /// Only FILTER=PASS source records.
    #[serde(default)]
    pub pass_only: bool,
    /// ClinVar significance key.
    #[serde(default)]
    pub clnsig: Option<String>,
    /// ClinVar review-status key.
    #[serde(default)]
    pub clnrevstat: Option<String>,
    /// Score key or column.
    #[serde(default)]
    pub field: Option<String>,
    /// TSV columns.
    #[serde(default)]
    pub columns: Option<Columns>,
    /// TSV delimiter (one character).
    #[serde(default)]
    pub delimiter: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourcesFile {
    #[serde(default)]
    assembly: Option<String>,
    #[serde(default, rename = "source")]
    sources: Vec<SourceConfig>,
    /// `[[structural]]` tables, read by `crate::structural::sources::read_structural_toml`.
    #[serde(default)]
    #[allow(dead_code)]
    structural: Vec<toml::Value>,
}

/// A source with its settings resolved (paths absolute, presets expanded, defaults applied).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolvedSource {
    /// Unique label.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Score kind (role = score).
    pub score: Option<ScoreKind>,
    /// Files, in the order given.
    pub paths: Vec<PathBuf>,
    /// Container format.
    pub format: SourceFormat,
    /// Access mode.
    pub mode: AccessMode,
    /// Names of the numeric fields kept, in store order (see [`ResolvedSource::field_names`]).
    pub fields: Vec<String>,
    /// Key or column read for each field (parallel to `fields`).
    pub keys: Vec<String>,
    /// Populations left out of the maximum population AF.
    pub ignore_populations: Vec<String>,
    /// Skip non-PASS records.
    pub pass_only: bool,
    /// TSV columns chrom, pos, ref, alt.
    pub columns: [String; 4],
    /// TSV delimiter.
    pub delimiter: u8,
    /// Assembly declared in the TOML file.
    pub assembly: Option<Assembly>,
    /// Keys (of `keys`) that may be absent from a source file: the population AF keys a
    /// `preset` implies when `populations` is not given (gnomAD v2 genomes have no `AF_sas`,
    /// v4 exomes no `AF_ami`). Every other key must be declared in the file's header.
    #[serde(default)]
    pub optional_keys: Vec<String>,
    /// The sources TOML file this entry was read from and the 1-based position of its
    /// `[[source]]` table there, for messages; `None` for a source built in code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<(PathBuf, usize)>,
}

/// Field names for frequency sources: `af`, `popmax`, `nhomalt`, `hemizygotes`, then
/// `pop:<name>` per population.
pub(crate) const F_AF: usize = 0;
pub(crate) const F_POPMAX: usize = 1;
pub(crate) const F_NHOMALT: usize = 2;
pub(crate) const F_HEMI: usize = 3;

fn preset_keys(
    p: FrequencyPreset,
) -> (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
) {
    match p {
        FrequencyPreset::Gnomad2 => (
            "AF_popmax",
            "nhomalt",
            "AC_male",
            &["afr", "amr", "asj", "eas", "fin", "nfe", "oth", "sas"],
        ),
        FrequencyPreset::Gnomad3 => (
            "AF_popmax",
            "nhomalt",
            "AC_XY",
            &[
                "afr", "ami", "amr", "asj", "eas", "fin", "mid", "nfe", "oth", "sas",
            ],
        ),
        FrequencyPreset::Gnomad4 => (
            "AF_grpmax",
            "nhomalt",
            "AC_XY",
            &[
                "afr",
                "ami",
                "amr",
                "asj",
                "eas",
                "fin",
                "mid",
                "nfe",
                "remaining",
                "sas",
            ],
        ),
    }
}

/// Default populations left out of the maximum population AF when a preset is used:
/// founder/bottlenecked groups and unassigned samples, as in Exomiser's default frequency
/// sources (AFR, AMR, EAS, NFE, SAS).
pub const DEFAULT_IGNORED_POPULATIONS: &[&str] = &["asj", "fin", "oth", "ami", "mid", "remaining"];

impl ResolvedSource {
    /// Resolves one entry; `base` is the directory of the TOML file.
    pub fn resolve(
        c: &SourceConfig,
        base: &Path,
        file_assembly: Option<Assembly>,
        ctx: &str,
    ) -> Result<ResolvedSource> {
        let err = |m: String| Error::config(format!("{ctx}: source {:?}", c.name), m);
        if c.name.trim().is_empty() {
            return Err(Error::config(ctx, "a [[source]] has an empty name"));
        }
        let mut paths: Vec<PathBuf> = c
            .path
            .iter()
            .chain(c.paths.iter())
            .map(|p| base.join(p))
            .collect();
        paths.dedup();
        if paths.is_empty() {
            return Err(err("no `path` or `paths`".into()));
        }
        let format = c.format.unwrap_or_else(|| format_from_name(&paths[0]));
        let mut rk = match c.role {
            Role::Frequency | Role::LocalFrequency => frequency_keys(c, &err)?,
            Role::Clinvar => clinvar_keys(c),
            Role::Score => score_keys(c, file_assembly, &err)?,
        };
        if let Some(d) = &c.delimiter {
            rk.delimiter = match d.as_str() {
                "\\t" | "tab" => b'\t',
                s if s.len() == 1 => s.as_bytes()[0],
                s => return Err(err(format!("delimiter {s:?} must be one character"))),
            };
        }
        if c.role != Role::Clinvar && (c.clnsig.is_some() || c.clnrevstat.is_some()) {
            return Err(err(
                "`clnsig`/`clnrevstat` are only for role = \"clinvar\"".into()
            ));
        }
        let columns = rk.columns;
        let columns = [
            columns.chrom.unwrap_or_else(|| "CHROM".into()),
            columns.pos.unwrap_or_else(|| "POS".into()),
            columns.reference.unwrap_or_else(|| "REF".into()),
            columns.alt.unwrap_or_else(|| "ALT".into()),
        ];
        Ok(ResolvedSource {
            name: c.name.clone(),
            role: c.role,
            score: c.score,
            paths,
            format,
            mode: c.mode,
            fields: rk.fields,
            keys: rk.keys,
            ignore_populations: rk.ignore.iter().map(|s| s.to_ascii_lowercase()).collect(),
            pass_only: c.pass_only,
            columns,
            delimiter: rk.delimiter,
            assembly: file_assembly,
            optional_keys: rk.optional_keys,
            origin: None,
        })
    }

    /// Names of the numeric fields this source yields, in value order.
    pub fn field_names(&self) -> &[String] {
        &self.fields
    }

    /// The TOML setting that names key `i` of [`ResolvedSource::keys`] (`af`, `popmax`,
    /// `nhomalt`, `hemizygotes`, `populations`, `clnsig`, `clnrevstat`, `field`), for messages.
    pub fn setting_of_key(&self, i: usize) -> &'static str {
        match (self.role, self.fields.get(i).map(String::as_str)) {
            (Role::Clinvar, Some("clnsig")) => "clnsig",
            (Role::Clinvar, _) => "clnrevstat",
            (Role::Score, _) => "field",
            (_, Some("af")) => "af",
            (_, Some("popmax")) => "popmax",
            (_, Some("nhomalt")) => "nhomalt",
            (_, Some("hemizygotes")) => "hemizygotes",
            _ => "populations",
        }
    }
}

/// Reads and resolves a sources TOML file.
///
/// Errors ([`Error::Config`] naming the file): TOML syntax (with line and column), unknown
/// keys, duplicate source names, a missing `score` kind, an unknown assembly.
pub fn read_sources_toml(path: &Path) -> Result<(Option<Assembly>, Vec<ResolvedSource>)> {
    let text = odyssey_genome::text::read_text_file(path).map_err(|e| Error::io(path, e))?;
    parse_sources_toml(&text, path)
}

/// Parses sources TOML text; relative paths are resolved against `path`'s directory.
pub fn parse_sources_toml(
    text: &str,
    path: &Path,
) -> Result<(Option<Assembly>, Vec<ResolvedSource>)> {
    let ctx = path.display().to_string();
    let file: SourcesFile = toml::from_str(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| {
                let before = &text[..s.start.min(text.len())];
                (
                    before.matches('\n').count() + 1,
                    s.start - before.rfind('\n').map_or(0, |i| i + 1) + 1,
                )
            })
            .unwrap_or((0, 0));
        Error::config(
            format!("{ctx}: line {line}, column {col}"),
            e.message().to_string(),
        )
    })?;
    let assembly = match &file.assembly {
        None => None,
        Some(a) => Some(
            a.parse::<Assembly>()
                .map_err(|e| Error::config(&ctx, e.to_string()))?,
        ),
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let mut out: Vec<ResolvedSource> = Vec::new();
    for (i, c) in file.sources.iter().enumerate() {
        if out.iter().any(|s| s.name == c.name) {
            return Err(Error::config(
                &ctx,
                format!("two sources are named {:?}", c.name),
            ));
        }
        let mut r = ResolvedSource::resolve(c, base, assembly, &ctx)?;
        super::dupes::check_duplicate_files(&out, &r, i + 1, &ctx)?;
        r.origin = Some((path.to_path_buf(), i + 1));
        out.push(r);
    }
    Ok((assembly, out))
}

/// What a role reads: field names with their keys (INFO keys or columns), keys that may be
/// missing, populations left out of the maximum AF, and the TSV layout before the user's
/// `delimiter`.
struct RoleKeys {
    fields: Vec<String>,
    keys: Vec<String>,
    optional_keys: Vec<String>,
    ignore: Vec<String>,
    columns: Columns,
    delimiter: u8,
}

impl RoleKeys {
    fn new(c: &SourceConfig) -> Self {
        RoleKeys {
            fields: Vec::new(),
            keys: Vec::new(),
            optional_keys: Vec::new(),
            ignore: Vec::new(),
            columns: c.columns.clone().unwrap_or_default(),
            delimiter: b'\t',
        }
    }
}

/// The format a file name implies: `.ostore` a store, `.vcf*`/`.bcf` VCF, else TSV.
fn format_from_name(first: &Path) -> SourceFormat {
    let first = first.to_string_lossy().to_ascii_lowercase();
    if first.ends_with(".ostore") {
        SourceFormat::Store
    } else if first.contains(".vcf") || first.ends_with(".bcf") {
        SourceFormat::Vcf
    } else {
        SourceFormat::Tsv
    }
}

/// Keys of a `frequency`/`local_frequency` source: `af`, `popmax`, `nhomalt`, `hemizygotes`
/// and one `pop:NAME` per population, from the settings or the preset.
fn frequency_keys(c: &SourceConfig, err: &impl Fn(String) -> Error) -> Result<RoleKeys> {
    if c.score.is_some() {
        return Err(err("`score` is only for role = \"score\"".into()));
    }
    let mut rk = RoleKeys::new(c);
    let preset = c.preset.map(preset_keys);
    let af = c.af.clone().unwrap_or_else(|| "AF".into());
    let popmax = c
        .popmax
        .clone()
        .or(preset.map(|p| p.0.to_string()))
        .unwrap_or_default();
    let nhomalt = c
        .nhomalt
        .clone()
        .or(preset.map(|p| p.1.to_string()))
        .unwrap_or_default();
    let hemi = c
        .hemizygotes
        .clone()
        .or(preset.map(|p| p.2.to_string()))
        .unwrap_or_default();
    for (f, k) in [
        ("af", af),
        ("popmax", popmax),
        ("nhomalt", nhomalt),
        ("hemizygotes", hemi),
    ] {
        rk.fields.push(f.into());
        rk.keys.push(k);
    }
    let pops: Vec<String> = c
        .populations
        .clone()
        .or(preset.map(|p| p.3.iter().map(|s| s.to_string()).collect()))
        .unwrap_or_default();
    let prefix = c.population_prefix.clone().unwrap_or_else(|| "AF_".into());
    for p in &pops {
        rk.fields.push(format!("pop:{p}"));
        rk.keys.push(format!("{prefix}{p}"));
        if c.populations.is_none() {
            rk.optional_keys.push(format!("{prefix}{p}"));
        }
    }
    rk.ignore = c.ignore_populations.clone().unwrap_or_else(|| {
        if c.preset.is_some() {
            DEFAULT_IGNORED_POPULATIONS
                .iter()
                .map(|s| s.to_string())
                .collect()
        } else {
            Vec::new()
        }
    });
    Ok(rk)
}

/// Keys of a `clinvar` source: `clnsig` and `stars` (from CLNREVSTAT).
fn clinvar_keys(c: &SourceConfig) -> RoleKeys {
    let mut rk = RoleKeys::new(c);
    rk.fields = vec!["clnsig".into(), "stars".into()];
    rk.keys = vec![
        c.clnsig.clone().unwrap_or_else(|| "CLNSIG".into()),
        c.clnrevstat.clone().unwrap_or_else(|| "CLNREVSTAT".into()),
    ];
    rk
}

/// Key of a `score` source, and the column layout of the distributed REVEL (CSV, position
/// column per assembly) and CADD files.
fn score_keys(
    c: &SourceConfig,
    file_assembly: Option<Assembly>,
    err: &impl Fn(String) -> Error,
) -> Result<RoleKeys> {
    let kind = c.score.ok_or_else(|| {
        err("role = \"score\" needs `score` = revel | cadd_phred | alphamissense | spliceai".into())
    })?;
    let mut rk = RoleKeys::new(c);
    let default_field = match kind {
        ScoreKind::Revel => "REVEL",
        ScoreKind::CaddPhred => "PHRED",
        ScoreKind::Alphamissense => "am_pathogenicity",
        ScoreKind::Spliceai => "SpliceAI",
    };
    rk.fields = vec![kind.as_str().into()];
    rk.keys = vec![c.field.clone().unwrap_or_else(|| default_field.into())];
    let columns = &mut rk.columns;
    match kind {
        ScoreKind::Revel => {
            rk.delimiter = b',';
            let pos = match file_assembly {
                Some(Assembly::GRCh37) => "hg19_pos",
                _ => "grch38_pos",
            };
            columns.chrom.get_or_insert_with(|| "chr".into());
            columns.pos.get_or_insert_with(|| pos.into());
            columns.reference.get_or_insert_with(|| "ref".into());
            columns.alt.get_or_insert_with(|| "alt".into());
        }
        ScoreKind::CaddPhred => {
            columns.chrom.get_or_insert_with(|| "Chrom".into());
            columns.pos.get_or_insert_with(|| "Pos".into());
            columns.reference.get_or_insert_with(|| "Ref".into());
            columns.alt.get_or_insert_with(|| "Alt".into());
        }
        _ => {}
    }
    Ok(rk)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_presets_and_defaults() {
        let t = r#"
assembly = "hg19"
[[source]]
name = "gnomad"
role = "frequency"
path = "g.vcf.bgz"
preset = "gnomad2"

[[source]]
name = "revel"
role = "score"
score = "revel"
path = "revel.csv.gz"

[[source]]
name = "cv"
role = "clinvar"
paths = ["cv.vcf.gz"]
"#;
        let (a, s) = parse_sources_toml(t, Path::new("/data/sources.toml")).unwrap();
        assert_eq!(a, Some(Assembly::GRCh37));
        assert_eq!(s[0].paths, vec![PathBuf::from("/data/g.vcf.bgz")]);
        assert_eq!(s[0].format, SourceFormat::Vcf);
        assert_eq!(&s[0].keys[..4], &["AF", "AF_popmax", "nhomalt", "AC_male"]);
        assert_eq!(s[0].fields[4], "pop:afr");
        assert_eq!(s[0].keys[4], "AF_afr");
        assert!(s[0].ignore_populations.contains(&"fin".to_string()));
        assert_eq!(s[1].format, SourceFormat::Tsv);
        assert_eq!(s[1].delimiter, b',');
        assert_eq!(s[1].columns[1], "hg19_pos");
        assert_eq!(s[2].keys, vec!["CLNSIG", "CLNREVSTAT"]);
    }

    #[test]
    fn errors_are_located() {
        let e = parse_sources_toml(
            "[[source]]\nname = \"x\"\nrole = \"frequncy\"\npath = \"a\"\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("s.toml: line 3"), "{e}");
        let e = parse_sources_toml(
            "[[source]]\nname = \"x\"\nrole = \"score\"\npath = \"a.tsv\"\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("needs `score`"), "{e}");
        let e = parse_sources_toml(
            "[[source]]\nname = \"x\"\nrole = \"clinvar\"\npath = \"a\"\n[[source]]\nname = \"x\"\nrole = \"clinvar\"\npath = \"b\"\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("two sources"), "{e}");
        let e = parse_sources_toml(
            "[[source]]\nname = \"x\"\nrole = \"clinvar\"\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("no `path`"), "{e}");
        let e = parse_sources_toml(
            "[[source]]\nname = \"x\"\nrole = \"clinvar\"\npath = \"a\"\ncolour = 1\n",
            Path::new("s.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("colour"), "{e}");
    }
}
