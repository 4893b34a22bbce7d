//! Evidence for structural events, configured as `[[structural]]` tables in the sources TOML
//! (docs/structural-variants.md):
//!
//! * `kind = "population"`: a sites VCF of structural variants with an allele frequency
//!   (gnomAD-SV v2.1/v4 `AF`; gnomAD-CNV v4 `SF`, a carrier frequency, with
//!   `carrier_frequency = true`, read as AF = SF/2). An event matches a record of the same
//!   class (deletion and copy-number loss; duplication and gain; inversion) whose
//!   **reciprocal overlap** with it is at least `min_overlap` (default
//!   [`DEFAULT_MIN_OVERLAP`]); an insertion matches an insertion whose position is within
//!   [`INSERTION_DISTANCE`] bp and whose length ratio is at least `min_overlap`. The highest
//!   AF of the matches is the event's population AF.
//! * `kind = "clinvar"`: ClinVar structural records as JSON lines (the
//!   `clinvar-variants-<assembly>-strucvars.jsonl` files of the clinvar-data-jsonl releases,
//!   one ClinVar variation per line with `sequenceLocation`, `variationType` and the germline
//!   classification), matched by class and reciprocal overlap like population records.
//! * `kind = "dosage"`: ClinGen Dosage Sensitivity curation lists (gene list with `Gene
//!   Symbol`, or region list with `ISCA ID` and `Genomic Location`), their
//!   haploinsufficiency and triplosensitivity scores (0, 1, 2, 3; 30 autosomal recessive;
//!   40 dosage sensitivity unlikely).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use odyssey_genome::{Assembly, Chrom, SvClass, SvInterval};
use serde::{Deserialize, Serialize};

use super::StructuralEvent;
use crate::annotation::vcf_csq::info_value;
use crate::error::{Error, Result};
use crate::sources::{review_stars, ClinVarRecord, ClinicalSignificance};

/// Default minimum reciprocal overlap for a population or ClinVar match: 70 %. The common
/// convention for calling two CNVs the same is 50 % (Conrad et al., Nature 2010; sveval's
/// default); Odyssey asks more because a frequency wrongly borrowed from a larger or smaller
/// common event would remove a rare pathogenic one.
pub const DEFAULT_MIN_OVERLAP: f64 = 0.7;

/// Largest distance in bp between two insertions' positions for a match.
pub const INSERTION_DISTANCE: u32 = 100;

/// What a `[[structural]]` source gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StructuralKind {
    /// Population frequencies (gnomAD-SV, gnomAD-CNV).
    Population,
    /// ClinVar structural records (JSON lines).
    Clinvar,
    /// ClinGen dosage sensitivity (gene or region curation list).
    Dosage,
}

/// One `[[structural]]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StructuralConfig {
    name: String,
    kind: StructuralKind,
    #[serde(default)]
    path: Option<PathBuf>,
    #[serde(default)]
    paths: Vec<PathBuf>,
    #[serde(default)]
    af: Option<String>,
    #[serde(default)]
    carrier_frequency: bool,
    #[serde(default)]
    min_overlap: Option<f64>,
    #[serde(default)]
    pass_only: bool,
}

#[derive(Deserialize)]
struct StructuralFile {
    #[serde(default)]
    structural: Vec<StructuralConfig>,
}

/// A `[[structural]]` source with its paths resolved.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructuralSource {
    /// Unique label.
    pub name: String,
    /// What it gives.
    pub kind: StructuralKind,
    /// Files.
    pub paths: Vec<PathBuf>,
    /// INFO key of the frequency (population sources), default `AF`.
    pub af: String,
    /// The frequency is a carrier (site) frequency: AF = value / 2.
    pub carrier_frequency: bool,
    /// Minimum reciprocal overlap of a match.
    pub min_overlap: f64,
    /// Skip records whose FILTER is not PASS/`.` (population sources).
    pub pass_only: bool,
}

/// The `[[structural]]` sources of a sources TOML file (paths relative to it). Errors: an
/// unreadable file, malformed TOML, a source without paths, a `min_overlap` outside (0, 1],
/// two sources of one name.
pub fn read_structural_toml(path: &Path) -> Result<Vec<StructuralSource>> {
    let text = odyssey_genome::text::read_text_file(path).map_err(|e| Error::io(path, e))?;
    parse_structural_toml(&text, path)
}

/// [`read_structural_toml`] on TOML text.
pub fn parse_structural_toml(text: &str, path: &Path) -> Result<Vec<StructuralSource>> {
    let ctx = path.display().to_string();
    let value: toml::Table =
        toml::from_str(text).map_err(|e| Error::config(&ctx, e.message().to_string()))?;
    let Some(list) = value.get("structural") else {
        return Ok(Vec::new());
    };
    let mut t = toml::Table::new();
    t.insert("structural".into(), list.clone());
    let file: StructuralFile = t.try_into().map_err(|e: toml::de::Error| {
        Error::config(&ctx, format!("[[structural]]: {}", e.message()))
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    let mut out: Vec<StructuralSource> = Vec::new();
    for c in file.structural {
        if out.iter().any(|s| s.name == c.name) {
            return Err(Error::config(
                &ctx,
                format!("two [[structural]] sources are named {:?}", c.name),
            ));
        }
        let mut paths: Vec<PathBuf> = c.path.into_iter().chain(c.paths).collect();
        if paths.is_empty() {
            return Err(Error::config(
                &ctx,
                format!("[[structural]] {:?}: no path or paths", c.name),
            ));
        }
        for p in &mut paths {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        let min_overlap = c.min_overlap.unwrap_or(DEFAULT_MIN_OVERLAP);
        if !(min_overlap > 0.0 && min_overlap <= 1.0) {
            return Err(Error::config(
                &ctx,
                format!(
                    "[[structural]] {:?}: min_overlap {min_overlap} is not in (0, 1]",
                    c.name
                ),
            ));
        }
        out.push(StructuralSource {
            name: c.name,
            kind: c.kind,
            paths,
            af: c.af.unwrap_or_else(|| "AF".into()),
            carrier_frequency: c.carrier_frequency,
            min_overlap,
            pass_only: c.pass_only,
        });
    }
    Ok(out)
}

/// A population match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PopulationMatch {
    /// Source name.
    pub source: String,
    /// Record id (`gnomAD-SV_v2.1_DEL_1_1`).
    pub id: String,
    /// Affected interval of the record.
    pub start: u32,
    /// Last base.
    pub end: u32,
    /// Allele frequency (carrier frequency / 2 for carrier-frequency sources).
    pub af: f32,
    /// Reciprocal overlap with the event (insertions: length ratio), 0-1.
    pub overlap: f64,
}

/// A ClinVar structural match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClinvarSvMatch {
    /// Source name.
    pub source: String,
    /// Variation accession (`VCV000057627`).
    pub accession: String,
    /// ClinVar's name of the variation.
    pub name: String,
    /// Germline classification.
    pub significance: ClinicalSignificance,
    /// Review stars.
    pub stars: u8,
    /// Interval of the record.
    pub start: u32,
    /// Last base.
    pub end: u32,
    /// Reciprocal overlap with the event, 0-1.
    pub overlap: f64,
}

/// A ClinGen dosage curation of a gene or region.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DosageCuration {
    /// Source name.
    pub source: String,
    /// HGNC symbol, or the ISCA id and name of a region.
    pub label: String,
    /// Haploinsufficiency score (0-3, 30, 40), when evaluated.
    pub haploinsufficiency: Option<u8>,
    /// Triplosensitivity score, when evaluated.
    pub triplosensitivity: Option<u8>,
}

/// What the structural sources know about one event (and, per gene, its dosage).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StructuralEvidence {
    /// Population matches, highest AF first (at most 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub population: Vec<PopulationMatch>,
    /// ClinVar matches, highest overlap first (at most 5).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clinvar: Vec<ClinvarSvMatch>,
    /// ClinGen regions the event covers whole.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<DosageCuration>,
    /// ClinGen curation of the gene (filled per gene).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gene_dosage: Option<DosageCuration>,
}

impl StructuralEvidence {
    /// The highest population AF and its `source:id (overlap)` label.
    pub fn max_af(&self) -> Option<(f32, String)> {
        self.population.first().map(|m| {
            (
                m.af,
                format!("{}:{} ({:.0}% overlap)", m.source, m.id, m.overlap * 100.0),
            )
        })
    }

    /// The evidence in words, one line per match or curation: population and ClinVar
    /// matches with their reciprocal overlap, regions covered, the gene's dosage.
    pub fn lines(&self) -> Vec<String> {
        let score = |s: Option<u8>| s.map_or("-".to_string(), |x| x.to_string());
        let mut out = Vec::new();
        for m in &self.population {
            out.push(format!(
                "population: {} {} {}-{} AF {} ({:.0}% reciprocal overlap)",
                m.source,
                m.id,
                m.start,
                m.end,
                m.af,
                m.overlap * 100.0
            ));
        }
        for m in &self.clinvar {
            out.push(format!(
                "ClinVar: {} {} {:?} ({}★), {}-{} ({:.0}% reciprocal overlap)",
                m.accession,
                m.name,
                m.significance,
                m.stars,
                m.start,
                m.end,
                m.overlap * 100.0
            ));
        }
        for r in &self.regions {
            out.push(format!(
                "covers ClinGen region {} (HI {}, TS {})",
                r.label.trim(),
                score(r.haploinsufficiency),
                score(r.triplosensitivity)
            ));
        }
        if let Some(g) = &self.gene_dosage {
            out.push(format!(
                "ClinGen dosage of {}: HI {}, TS {}",
                g.label,
                score(g.haploinsufficiency),
                score(g.triplosensitivity)
            ));
        }
        out
    }

    /// The best ClinVar match as the assertion the scores read (`None` without matches).
    pub fn clinvar_record(&self) -> Option<ClinVarRecord> {
        self.clinvar.first().map(|m| ClinVarRecord {
            source: format!("{}:{}", m.source, m.accession),
            significance: m.significance,
            stars: m.stars,
        })
    }
}

/// One interval record of a population or ClinVar source.
#[derive(Clone, Debug)]
struct IntervalRecord {
    start: u32,
    end: u32,
    class: SvClass,
    /// Insertion length.
    length: Option<u32>,
    id: String,
    af: f32,
    clinvar: Option<(ClinicalSignificance, u8, String)>,
}

/// Interval records of one source, per chromosome, sorted by start.
struct IntervalSet {
    name: String,
    min_overlap: f64,
    by_chrom: BTreeMap<Chrom, Vec<IntervalRecord>>,
}

struct RegionRecord {
    chrom: Chrom,
    start: u32,
    end: u32,
    curation: DosageCuration,
}

/// Provenance of one `[[structural]]` source after an analysis: what was read, from where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StructuralSourceProvenance {
    /// Source name (unique label in the sources TOML).
    pub name: String,
    /// What it gives (population, ClinVar, dosage).
    pub kind: StructuralKind,
    /// Files read.
    pub paths: Vec<PathBuf>,
    /// Records loaded into memory from those files.
    pub records: usize,
}

/// The loaded structural sources.
#[derive(Default)]
pub struct StructuralSources {
    population: Vec<IntervalSet>,
    clinvar: Vec<IntervalSet>,
    genes: BTreeMap<String, DosageCuration>,
    regions: Vec<RegionRecord>,
    /// Records read per source (for provenance and warnings).
    pub counts: Vec<(String, usize)>,
}

fn open_text(path: &Path) -> Result<Box<dyn BufRead>> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut r = BufReader::new(f);
    let gz = r
        .fill_buf()
        .map_err(|e| Error::io(path, e))?
        .starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(r)))
    } else {
        Box::new(r) as Box<dyn BufRead>
    })
}

fn lines(path: &Path) -> Result<impl Iterator<Item = Result<(usize, String)>> + '_> {
    let r = open_text(path)?;
    Ok(r.lines()
        .enumerate()
        .map(move |(i, l)| l.map(|l| (i + 1, l)).map_err(|e| Error::io(path, e))))
}

fn config_error(path: &Path, line: usize, msg: String) -> Error {
    Error::config(format!("{}: line {line}", path.display()), msg)
}

impl StructuralSources {
    /// Loads every source into memory. Errors: unreadable files, malformed lines (file,
    /// line and what was expected), a dosage list without its score columns.
    pub fn open(sources: &[StructuralSource], assembly: Assembly) -> Result<Self> {
        let mut out = StructuralSources::default();
        for s in sources {
            if let Some(p) = s.paths.iter().find(|p| !p.is_file()) {
                return Err(Error::config(
                    format!("[[structural]] {:?}", s.name),
                    format!(
                        "file {} not found or not a regular file (relative paths are read from the sources TOML's folder)",
                        p.display()
                    ),
                ));
            }
            let before = out.total();
            match s.kind {
                StructuralKind::Population => {
                    let mut set = IntervalSet::new(s);
                    for p in &s.paths {
                        read_population(p, s, &mut set)?;
                    }
                    set.sort();
                    out.population.push(set);
                }
                StructuralKind::Clinvar => {
                    let mut set = IntervalSet::new(s);
                    for p in &s.paths {
                        read_clinvar_jsonl(p, assembly, &mut set)?;
                    }
                    set.sort();
                    out.clinvar.push(set);
                }
                StructuralKind::Dosage => {
                    for p in &s.paths {
                        out.read_dosage(p, &s.name)?;
                    }
                }
            }
            out.counts.push((s.name.clone(), out.total() - before));
        }
        Ok(out)
    }

    fn total(&self) -> usize {
        let n = |v: &[IntervalSet]| -> usize {
            v.iter()
                .map(|s| s.by_chrom.values().map(Vec::len).sum::<usize>())
                .sum()
        };
        n(&self.population) + n(&self.clinvar) + self.genes.len() + self.regions.len()
    }

    /// Provenance of each configured source (`sources`, as given to [`Self::open`]) with the
    /// number of records it gave.
    pub fn provenance(&self, sources: &[StructuralSource]) -> Vec<StructuralSourceProvenance> {
        sources
            .iter()
            .map(|s| StructuralSourceProvenance {
                name: s.name.clone(),
                kind: s.kind,
                paths: s.paths.clone(),
                records: self
                    .counts
                    .iter()
                    .find(|(n, _)| *n == s.name)
                    .map_or(0, |(_, c)| *c),
            })
            .collect()
    }

    /// True when no source is configured.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The population, ClinVar and region evidence of an event (gene dosage: see
    /// [`StructuralSources::gene_dosage`]). Ties: population matches by AF (highest first),
    /// then overlap, then id; ClinVar matches by overlap, then stars, then accession.
    pub fn evidence(&self, ev: &StructuralEvent) -> StructuralEvidence {
        let sv = ev.interval();
        let mut out = StructuralEvidence::default();
        for set in &self.population {
            for (r, ov) in set.matches(&sv) {
                out.population.push(PopulationMatch {
                    source: set.name.clone(),
                    id: r.id.clone(),
                    start: r.start,
                    end: r.end,
                    af: r.af,
                    overlap: ov,
                });
            }
        }
        out.population.sort_by(|a, b| {
            b.af.total_cmp(&a.af)
                .then(b.overlap.total_cmp(&a.overlap))
                .then_with(|| a.id.cmp(&b.id))
        });
        out.population.truncate(5);
        for set in &self.clinvar {
            for (r, ov) in set.matches(&sv) {
                let (significance, stars, name) = r.clinvar.clone().expect("clinvar record");
                out.clinvar.push(ClinvarSvMatch {
                    source: set.name.clone(),
                    accession: r.id.clone(),
                    name,
                    significance,
                    stars,
                    start: r.start,
                    end: r.end,
                    overlap: ov,
                });
            }
        }
        out.clinvar.sort_by(|a, b| {
            b.overlap
                .total_cmp(&a.overlap)
                .then(b.stars.cmp(&a.stars))
                .then_with(|| a.accession.cmp(&b.accession))
        });
        out.clinvar.truncate(5);
        if matches!(sv.class, SvClass::Loss | SvClass::Gain) {
            out.regions = self
                .regions
                .iter()
                .filter(|r| r.chrom == sv.chrom && sv.start <= r.start && sv.end >= r.end)
                .map(|r| r.curation.clone())
                .collect();
        }
        out
    }

    /// The ClinGen curation of a gene (HGNC symbol), when a dosage source lists it.
    pub fn gene_dosage(&self, symbol: &str) -> Option<&DosageCuration> {
        self.genes.get(symbol)
    }

    fn read_dosage(&mut self, path: &Path, name: &str) -> Result<()> {
        let mut header: Option<Vec<String>> = None;
        for l in lines(path)? {
            let (n, line) = l?;
            if line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            if header.is_none() {
                let h = line.trim_start_matches('#');
                if h.starts_with("Gene Symbol") || h.starts_with("ISCA ID") {
                    header = Some(h.split('\t').map(|c| c.trim().to_string()).collect());
                }
                continue;
            }
            let h = header.as_ref().expect("header");
            let col = |k: &str| h.iter().position(|c| c == k);
            let (Some(hi), Some(ts)) = (
                col("Haploinsufficiency Score"),
                col("Triplosensitivity Score"),
            ) else {
                return Err(config_error(
                    path,
                    n,
                    "a ClinGen dosage list needs the columns 'Haploinsufficiency Score' and 'Triplosensitivity Score'".into(),
                ));
            };
            let score = |i: usize| cols.get(i).and_then(|v| v.trim().parse::<u8>().ok());
            if let Some(g) = col("Gene Symbol") {
                let sym = cols.get(g).copied().unwrap_or("").trim().to_string();
                if sym.is_empty() {
                    continue;
                }
                self.genes.insert(
                    sym.clone(),
                    DosageCuration {
                        source: name.into(),
                        label: sym,
                        haploinsufficiency: score(hi),
                        triplosensitivity: score(ts),
                    },
                );
            } else if let (Some(id), Some(loc)) = (col("ISCA ID"), col("Genomic Location")) {
                // `chr22:23119415-24994433`; `tbd` regions have no coordinates yet
                let Some((chrom, start, end)) = cols.get(loc).and_then(|l| parse_location(l))
                else {
                    continue;
                };
                let region_name = col("ISCA Region Name")
                    .and_then(|i| cols.get(i))
                    .copied()
                    .unwrap_or("");
                self.regions.push(RegionRecord {
                    chrom,
                    start,
                    end,
                    curation: DosageCuration {
                        source: name.into(),
                        label: format!("{} {}", cols.get(id).copied().unwrap_or(""), region_name),
                        haploinsufficiency: score(hi),
                        triplosensitivity: score(ts),
                    },
                });
            }
        }
        if header.is_none() {
            return Err(Error::config(
                path.display().to_string(),
                "no header line starting with '#Gene Symbol' or '#ISCA ID' anywhere in the file: not a ClinGen dosage curation list",
            ));
        }
        Ok(())
    }
}

/// `chr22:23119415-24994433` → (22, 23119415, 24994433).
fn parse_location(s: &str) -> Option<(Chrom, u32, u32)> {
    let (c, r) = s.trim().split_once(':')?;
    let (a, b) = r.split_once('-')?;
    let chrom = c.parse::<Chrom>().ok()?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a <= b).then_some((chrom, a, b))
}

impl IntervalSet {
    fn new(s: &StructuralSource) -> Self {
        IntervalSet {
            name: s.name.clone(),
            min_overlap: s.min_overlap,
            by_chrom: BTreeMap::new(),
        }
    }

    fn sort(&mut self) {
        for v in self.by_chrom.values_mut() {
            v.sort_by(|a, b| (a.start, a.end, &a.id).cmp(&(b.start, b.end, &b.id)));
        }
    }

    /// Records of the event's class matching it, with their overlap (see the module docs).
    fn matches<'a>(&'a self, sv: &SvInterval) -> Vec<(&'a IntervalRecord, f64)> {
        let Some(recs) = self.by_chrom.get(&sv.chrom) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for r in recs.iter().filter(|r| r.class == sv.class) {
            let ov = match sv.class {
                SvClass::Insertion => {
                    if r.start.abs_diff(sv.start) > INSERTION_DISTANCE {
                        continue;
                    }
                    match (r.length, sv.inserted) {
                        (Some(a), Some(b)) if a > 0 && b > 0 => {
                            f64::from(a.min(b)) / f64::from(a.max(b))
                        }
                        _ => 1.0,
                    }
                }
                SvClass::Breakend => continue,
                _ => SvInterval::reciprocal_overlap((sv.start, sv.end), (r.start, r.end)),
            };
            if ov >= self.min_overlap {
                out.push((r, ov));
            }
        }
        out
    }
}

/// The class of a population record's `SVTYPE`/ALT (`None`: breakends, complex events).
fn record_class(svtype: &str) -> Option<SvClass> {
    let head = svtype
        .trim_matches(['<', '>'])
        .split(':')
        .next()
        .unwrap_or("");
    Some(match head.to_ascii_uppercase().as_str() {
        "DEL" | "LOSS" => SvClass::Loss,
        "DUP" | "GAIN" => SvClass::Gain,
        "INV" => SvClass::Inversion,
        "INS" | "MEI" => SvClass::Insertion,
        _ => return None,
    })
}

fn read_population(path: &Path, s: &StructuralSource, set: &mut IntervalSet) -> Result<()> {
    let mut seen_header = false;
    for l in lines(path)? {
        let (n, line) = l?;
        if line.starts_with("##") {
            continue;
        }
        if line.starts_with('#') {
            seen_header = true;
            continue;
        }
        if !seen_header {
            return Err(config_error(
                path,
                n,
                "a record before the #CHROM header line: not a VCF".into(),
            ));
        }
        let cols: Vec<&str> = line.splitn(9, '\t').collect();
        if cols.len() < 8 {
            return Err(config_error(
                path,
                n,
                format!("{} columns, a VCF record needs 8", cols.len()),
            ));
        }
        let Ok(chrom) = cols[0].parse::<Chrom>() else {
            continue;
        };
        if s.pass_only && !(cols[6] == "PASS" || cols[6] == ".") {
            continue;
        }
        let info = cols[7];
        let svtype = info_value(info, "SVTYPE").unwrap_or(cols[4]);
        let Some(class) = record_class(svtype) else {
            continue;
        };
        let pos: u32 = cols[1]
            .parse()
            .map_err(|_| config_error(path, n, format!("POS {:?} is not a number", cols[1])))?;
        let num = |k: &str| -> Result<Option<f64>> {
            match info_value(info, k) {
                None | Some(".") => Ok(None),
                Some(v) => v
                    .split(',')
                    .next()
                    .unwrap_or(v)
                    .parse::<f64>()
                    .map(Some)
                    .map_err(|_| config_error(path, n, format!("INFO {k}={v:?} is not a number"))),
            }
        };
        let Some(af) = num(&s.af)? else {
            continue;
        };
        let af = if s.carrier_frequency { af / 2.0 } else { af };
        let end = num("END")?.map(|e| e as u32).unwrap_or(pos);
        let svlen = num("SVLEN")?.map(|l| l.abs() as u32);
        let (start, end) = if class == SvClass::Insertion {
            (pos, pos)
        } else {
            (pos + 1, end.max(pos + 1))
        };
        set.by_chrom.entry(chrom).or_default().push(IntervalRecord {
            start,
            end,
            class,
            length: svlen,
            id: cols[2].to_string(),
            af: af as f32,
            clinvar: None,
        });
    }
    Ok(())
}

/// The class of a ClinVar `variationType`.
fn clinvar_class(t: &str) -> Option<SvClass> {
    let t = t.trim_start_matches("VARIATION_TYPE_");
    Some(match t {
        "COPY_NUMBER_LOSS" | "DELETION" => SvClass::Loss,
        "COPY_NUMBER_GAIN" | "DUPLICATION" | "TANDEM_DUPLICATION" => SvClass::Gain,
        "INVERSION" => SvClass::Inversion,
        "INSERTION" => SvClass::Insertion,
        _ => return None,
    })
}

/// The first and last base of a ClinVar `sequenceLocation` (the first of `start`,
/// `innerStart`, `displayStart`, `outerStart` given, and the same for the stops). `None` for a
/// bound not given. Errors: a bound given but not a non-negative integer, or a stop before the
/// start.
fn clinvar_bounds(
    loc: &serde_json::Value,
) -> std::result::Result<(Option<u64>, Option<u64>), String> {
    let bound = |keys: [&str; 4]| -> std::result::Result<Option<u64>, String> {
        for k in keys {
            match &loc[k] {
                serde_json::Value::Null => continue,
                v => {
                    return v.as_u64().map(Some).ok_or_else(|| {
                        format!("sequenceLocation.{k} {v} is not a non-negative integer")
                    })
                }
            }
        }
        Ok(None)
    };
    let start = bound(["start", "innerStart", "displayStart", "outerStart"])?;
    let end = bound(["stop", "innerStop", "displayStop", "outerStop"])?;
    if let (Some(a), Some(b)) = (start, end) {
        if b < a {
            return Err(format!("sequenceLocation stop {b} is before its start {a}"));
        }
    }
    Ok((start, end))
}

fn read_clinvar_jsonl(path: &Path, assembly: Assembly, set: &mut IntervalSet) -> Result<()> {
    for l in lines(path)? {
        let (n, line) = l?;
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| config_error(path, n, format!("not a JSON object: {e}")))?;
        let Some(class) = v["variationType"].as_str().and_then(clinvar_class) else {
            continue;
        };
        let loc = &v["sequenceLocation"];
        if let Some(a) = loc["assembly"]
            .as_str()
            .and_then(|a| a.parse::<Assembly>().ok())
        {
            if a != assembly {
                continue;
            }
        }
        let chrom = loc["chr"]
            .as_str()
            .map(|c| c.trim_start_matches("CHROMOSOME_"))
            .and_then(|c| c.parse::<Chrom>().ok());
        let (start, end) = clinvar_bounds(loc).map_err(|m| config_error(path, n, m))?;
        if loc["chr"].is_string() && chrom.is_none() {
            return Err(config_error(
                path,
                n,
                format!("sequenceLocation.chr {} is not a chromosome", loc["chr"]),
            ));
        }
        let (Some(chrom), Some(start), Some(end)) = (chrom, start, end) else {
            continue;
        };
        let germline = &v["classifications"]["germlineClassification"];
        let description = germline["description"].as_str().unwrap_or("");
        let significance = ClinicalSignificance::parse(&description.replace(' ', "_"));
        let stars = review_stars(germline["reviewStatus"].as_str().unwrap_or(""));
        let accession = v["accession"]["accession"]
            .as_str()
            .unwrap_or("?")
            .to_string();
        let name = v["name"].as_str().unwrap_or("").to_string();
        set.by_chrom.entry(chrom).or_default().push(IntervalRecord {
            start: start.min(u64::from(u32::MAX)) as u32,
            end: end.min(u64::from(u32::MAX)) as u32,
            class,
            length: None,
            id: accession,
            af: 0.0,
            clinvar: Some((significance, stars, name)),
        });
    }
    Ok(())
}
