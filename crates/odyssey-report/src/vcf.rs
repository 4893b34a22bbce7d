//! VCF output: the input VCF with an `ODYSSEY` INFO field on the records of the report's
//! candidate variants.
//!
//! `ODYSSEY=rank|gene|score|mode`, one entry per candidate gene of an allele (`Number=.`):
//! the gene's rank in the report, its HGNC symbol, its score (log10 likelihood ratio, four
//! decimals) and the modes of inheritance the variant fits in this family joined by `&`
//! (spaces as `_`; `.` when none). On a multi-allelic record, `ODYSSEY_ALT` gives the
//! 1-based ALT allele of each entry, in the same order. Header lines `##INFO` for both keys and
//! the provenance the other outputs carry are added: `##odysseyVersion`, `##odysseyMethod`,
//! `##odysseyKnowledgeBase` (HPO and annotations releases, source, checksum),
//! `##odysseyCalibration` (when the knowledge base records one), `##odysseyCase`,
//! `##odysseyCreated`, one `##odysseyInput` per input file and one `##odysseyWarning` per
//! warning of the analysis; any of these lines and any `ODYSSEY` or `ODYSSEY_ALT` values
//! already in the input (a re-annotated Odyssey VCF) are replaced.
//!
//! Plain-text and gzip/BGZF VCF inputs are copied record by record, byte for byte except for the
//! INFO column of matched records. BCF inputs are decoded and re-encoded as VCF text by noodles.
//! Report variants are matched to VCF alleles by chromosome (with or without `chr`), and by
//! position and alleles in minimal representation ([`odyssey_genome::VariantKey`]), so a
//! padded or multi-allelic input record still matches. Output is plain text or BGZF
//! ([`index_bgzf_vcf`] builds its tabix index). Spec: VCF v4.3 (samtools/hts-specs).

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use noodles::{bcf, bgzf, csi, tabix, vcf};
use odyssey_genome::{Chrom, VariantKey};

use crate::model::AnalysisReport;
use crate::ReportError;

/// INFO key of the annotation.
pub const INFO_KEY: &str = "ODYSSEY";
/// INFO key of the ALT allele index on multi-allelic records.
pub const INFO_ALT_KEY: &str = "ODYSSEY_ALT";
const INFO_DESCRIPTION: &str = "Odyssey candidate gene of this allele: rank|gene|score|mode (gene rank in the report; HGNC symbol; log10 likelihood-ratio score of the gene; modes of inheritance the variant fits, joined by &)";
const INFO_ALT_DESCRIPTION: &str =
    "1-based ALT allele of each ODYSSEY entry, in the same order (multi-allelic records only)";

/// What happened while annotating.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VcfSummary {
    /// Records copied.
    pub records: u64,
    /// Records that got an `ODYSSEY` value.
    pub annotated: u64,
    /// Report variants (`chrom:pos:ref:alt gene`) that no input record matched.
    pub unmatched: Vec<String>,
}

/// Output compression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// Plain text.
    None,
    /// BGZF (blocked gzip), indexable with tabix.
    Bgzf,
}

type Key = (String, u32, String, String);
/// `ODYSSEY` values per allele, and a printable name for every report variant.
type Annotations = (HashMap<Key, Vec<String>>, Vec<(Key, String)>);

fn chrom_key(chrom: &str) -> String {
    Chrom::from_str(chrom)
        .map(|c| c.name().to_string())
        .unwrap_or_else(|_| chrom.to_string())
}

/// Position and alleles in minimal representation (the chromosome plays no part in trimming);
/// symbolic or odd alleles are kept as written, upper-cased.
fn allele_key(chrom: &str, pos: u32, reference: &str, alt: &str) -> Key {
    let dummy = Chrom::autosome(1).expect("chromosome 1");
    match VariantKey::new(dummy, pos, reference, alt) {
        Ok(k) => (chrom_key(chrom), k.pos, k.reference, k.alternate),
        Err(_) => (
            chrom_key(chrom),
            pos,
            reference.to_ascii_uppercase(),
            alt.to_ascii_uppercase(),
        ),
    }
}

fn info_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_whitespace() || matches!(c, ';' | '=' | ',' | '|' | '&') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

/// The report's annotations per allele, in gene rank order, with a printable name per variant.
fn annotations(report: &AnalysisReport) -> Annotations {
    let mut map: HashMap<Key, Vec<String>> = HashMap::new();
    let mut names = Vec::new();
    for g in &report.genes {
        for v in &g.variants {
            let key = allele_key(&v.chrom, v.pos, &v.reference, &v.alt);
            let modes = if v.modes_of_inheritance.is_empty() {
                &g.modes_of_inheritance
            } else {
                &v.modes_of_inheritance
            };
            let mode = if modes.is_empty() {
                ".".to_string()
            } else {
                modes
                    .iter()
                    .map(|m| info_safe(m))
                    .collect::<Vec<_>>()
                    .join("&")
            };
            let value = format!(
                "{}|{}|{:.4}|{}",
                g.rank,
                info_safe(&g.symbol),
                g.score,
                mode
            );
            let entry = map.entry(key.clone()).or_default();
            if !entry.contains(&value) {
                entry.push(value);
            }
            names.push((
                key,
                format!(
                    "{}:{}:{}:{} {}",
                    v.chrom, v.pos, v.reference, v.alt, g.symbol
                ),
            ));
        }
    }
    (map, names)
}

/// The keys of Odyssey's own unstructured header lines (replaced when a VCF is annotated
/// again).
const OWN_KEYS: [&str; 8] = [
    "odysseyVersion",
    "odysseyMethod",
    "odysseyKnowledgeBase",
    "odysseyCalibration",
    "odysseyCase",
    "odysseyCreated",
    "odysseyInput",
    "odysseyWarning",
];

/// A header value on one line: line breaks and tabs become spaces, and a leading `<` (which
/// would make the line a structured one) is dropped.
fn header_safe(s: &str) -> String {
    let one_line: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    one_line.trim().trim_start_matches('<').to_string()
}

/// Odyssey's unstructured header lines as (key, value), in order: version, method, knowledge
/// base (HPO and annotations releases, source, checksum), its calibration when it records
/// one, case, date, one line per input file, one per warning of the analysis.
fn own_header_values(report: &AnalysisReport) -> Vec<(&'static str, String)> {
    let o = &report.odyssey;
    let k = &o.knowledge_base;
    let mut v = vec![
        ("odysseyVersion", header_safe(&o.version)),
        ("odysseyMethod", header_safe(&o.method)),
        (
            "odysseyKnowledgeBase",
            header_safe(&format!(
                "hpo_release={} annotations_release={} source={} checksum={}",
                k.hpo_release, k.annotations_release, k.source, k.checksum
            )),
        ),
    ];
    if let Some(c) = &k.calibration {
        v.push((
            "odysseyCalibration",
            header_safe(&format!(
                "theta={} kappa={} p_u={} epsilon={} c={} ({})",
                c.temperature,
                c.term_decay,
                c.pretest_unknown,
                c.rank_mixture,
                c.rank_prior,
                c.fitted
            )),
        ));
    }
    v.push(("odysseyCase", info_safe(&report.case.id)));
    v.push(("odysseyCreated", header_safe(&o.created)));
    for i in &o.inputs {
        let sum = i
            .checksum
            .as_deref()
            .map(|c| format!(" xxh3={c}"))
            .unwrap_or_default();
        v.push((
            "odysseyInput",
            header_safe(&format!("{}={}{sum}", i.role, i.path)),
        ));
    }
    for w in &report.warnings {
        v.push(("odysseyWarning", header_safe(w)));
    }
    v
}

fn header_lines(report: &AnalysisReport) -> Vec<String> {
    let mut lines = vec![
        format!("##INFO=<ID={INFO_KEY},Number=.,Type=String,Description=\"{INFO_DESCRIPTION}\">"),
        format!("##INFO=<ID={INFO_ALT_KEY},Number=.,Type=Integer,Description=\"{INFO_ALT_DESCRIPTION}\">"),
    ];
    lines.extend(
        own_header_values(report)
            .into_iter()
            .map(|(k, v)| format!("##{k}={v}")),
    );
    lines
}

fn is_own_header_line(line: &str) -> bool {
    line.starts_with(&format!("##INFO=<ID={INFO_KEY},"))
        || line.starts_with(&format!("##INFO=<ID={INFO_ALT_KEY},"))
        || OWN_KEYS.iter().any(|k| {
            line.strip_prefix("##")
                .and_then(|l| l.strip_prefix(k))
                .is_some_and(|r| r.starts_with('='))
        })
}

/// Annotates `input` (VCF, gzip/BGZF VCF, or BCF by the `.bcf` extension) with the report's
/// candidates and writes VCF text to `out`, BGZF-compressed when asked (with the BGZF end
/// marker).
///
/// Errors: [`ReportError::Read`] for a missing file; [`ReportError::Vcf`] naming the file and
/// the 1-based record for a malformed header or record (fewer than 8 columns, a position that
/// is not a positive integer); [`ReportError::Io`] when writing fails.
pub fn annotate_vcf<W: Write>(
    input: &Path,
    report: &AnalysisReport,
    out: W,
    compression: Compression,
) -> Result<VcfSummary, ReportError> {
    let (map, names) = annotations(report);
    let mut matched: std::collections::HashSet<Key> = std::collections::HashSet::new();
    let mut summary = match compression {
        Compression::None => annotate_into(input, report, &map, &mut matched, out)?,
        Compression::Bgzf => {
            let mut w = bgzf::io::Writer::new(out);
            let s = annotate_into(input, report, &map, &mut matched, &mut w)?;
            w.finish()?;
            s
        }
    };
    summary.unmatched = names
        .into_iter()
        .filter(|(k, _)| !matched.contains(k))
        .map(|(_, n)| n)
        .collect();
    Ok(summary)
}

fn annotate_into<W: Write>(
    input: &Path,
    report: &AnalysisReport,
    map: &HashMap<Key, Vec<String>>,
    matched: &mut std::collections::HashSet<Key>,
    out: W,
) -> Result<VcfSummary, ReportError> {
    let file = File::open(input).map_err(|source| ReportError::Read {
        path: input.to_path_buf(),
        source,
    })?;
    let is_bcf = input
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("bcf"));
    if is_bcf {
        return annotate_bcf(input, file, report, map, matched, out);
    }
    let mut buffered = BufReader::new(file);
    let gz = buffered
        .fill_buf()
        .map_err(|source| ReportError::Read {
            path: input.to_path_buf(),
            source,
        })?
        .starts_with(&[0x1f, 0x8b]);
    let reader: Box<dyn BufRead> = if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(buffered)))
    } else {
        Box::new(buffered)
    };
    annotate_text(input, reader, report, map, matched, out)
}

fn vcf_err(path: &Path, record: Option<u64>, message: impl Into<String>) -> ReportError {
    ReportError::Vcf {
        path: path.to_path_buf(),
        record,
        message: message.into(),
    }
}

/// Removes earlier Odyssey values from an INFO column.
fn strip_info(info: &str) -> String {
    if info == "." {
        return info.to_string();
    }
    let kept: Vec<&str> = info
        .split(';')
        .filter(|f| {
            let k = f.split('=').next().unwrap_or("");
            k != INFO_KEY && k != INFO_ALT_KEY
        })
        .collect();
    if kept.is_empty() {
        ".".to_string()
    } else {
        kept.join(";")
    }
}

/// The `ODYSSEY` (and `ODYSSEY_ALT`) values of a record, if any allele matches.
fn record_values(
    chrom: &str,
    pos: u32,
    reference: &str,
    alts: &[&str],
    map: &HashMap<Key, Vec<String>>,
    matched: &mut std::collections::HashSet<Key>,
) -> Option<String> {
    let mut values = Vec::new();
    let mut alt_idx = Vec::new();
    for (i, alt) in alts.iter().enumerate() {
        let key = allele_key(chrom, pos, reference, alt);
        if let Some(vs) = map.get(&key) {
            for v in vs {
                values.push(v.clone());
                alt_idx.push((i + 1).to_string());
            }
            matched.insert(key);
        }
    }
    if values.is_empty() {
        return None;
    }
    let mut s = format!("{INFO_KEY}={}", values.join(","));
    if alts.len() > 1 {
        s.push_str(&format!(";{INFO_ALT_KEY}={}", alt_idx.join(",")));
    }
    Some(s)
}

fn annotate_text<W: Write>(
    path: &Path,
    mut reader: Box<dyn BufRead>,
    report: &AnalysisReport,
    map: &HashMap<Key, Vec<String>>,
    matched: &mut std::collections::HashSet<Key>,
    mut out: W,
) -> Result<VcfSummary, ReportError> {
    let read_err = |source: std::io::Error| ReportError::Read {
        path: path.to_path_buf(),
        source,
    };
    // header: `##` lines then the `#CHROM` line
    let mut header = String::new();
    let mut line = String::new();
    let mut n_header = 0u64;
    loop {
        line.clear();
        if reader.read_line(&mut line).map_err(read_err)? == 0 {
            return Err(vcf_err(
                path,
                None,
                "the header ends before the #CHROM line",
            ));
        }
        n_header += 1;
        if n_header == 1 && !line.starts_with("##fileformat=VCF") {
            return Err(vcf_err(
                path,
                None,
                format!(
                    "line 1 is not a ##fileformat=VCF line: {:?}",
                    line.trim_end()
                ),
            ));
        }
        header.push_str(&line);
        if !line.ends_with('\n') {
            header.push('\n');
        }
        if line.starts_with("#CHROM") {
            break;
        }
        if !line.starts_with("##") {
            return Err(vcf_err(
                path,
                None,
                format!("header line {n_header} does not start with ## or #CHROM"),
            ));
        }
    }
    header
        .parse::<vcf::Header>()
        .map_err(|e| vcf_err(path, None, format!("invalid header: {e}")))?;
    let mut lines: Vec<&str> = header.lines().filter(|l| !is_own_header_line(l)).collect();
    let chrom_line = lines.pop().expect("#CHROM line");
    for l in &lines {
        writeln!(out, "{l}")?;
    }
    for l in header_lines(report) {
        writeln!(out, "{l}")?;
    }
    writeln!(out, "{chrom_line}")?;

    let mut summary = VcfSummary::default();
    let mut buf = String::new();
    let mut line_no = n_header;
    loop {
        buf.clear();
        if reader.read_line(&mut buf).map_err(read_err)? == 0 {
            break;
        }
        line_no += 1;
        let rec = buf.trim_end_matches(['\n', '\r']);
        if rec.is_empty() {
            continue;
        }
        summary.records += 1;
        let n = summary.records;
        let cols: Vec<&str> = rec.splitn(9, '\t').collect();
        if cols.len() < 8 {
            return Err(vcf_err(path, Some(n), format!("line {line_no}: expected at least 8 tab-separated columns (CHROM POS ID REF ALT QUAL FILTER INFO), found {}", cols.len())));
        }
        let pos: u32 = cols[1].parse().ok().filter(|&p| p > 0).ok_or_else(|| {
            vcf_err(
                path,
                Some(n),
                format!(
                    "line {line_no}: POS {:?} is not a positive integer",
                    cols[1]
                ),
            )
        })?;
        let alts: Vec<&str> = cols[4].split(',').collect();
        let info_has_own = cols[7].split(';').any(|f| {
            let k = f.split('=').next().unwrap_or("");
            k == INFO_KEY || k == INFO_ALT_KEY
        });
        let values = record_values(cols[0], pos, cols[3], &alts, map, matched);
        if values.is_none() && !info_has_own {
            out.write_all(rec.as_bytes())?;
            out.write_all(b"\n")?;
            continue;
        }
        let info = strip_info(cols[7]);
        let info = match values {
            Some(v) => {
                summary.annotated += 1;
                if info == "." {
                    v
                } else {
                    format!("{info};{v}")
                }
            }
            None => info,
        };
        let mut fields: Vec<&str> = cols[..7].to_vec();
        fields.push(&info);
        if let Some(rest) = cols.get(8) {
            fields.push(rest);
        }
        out.write_all(fields.join("\t").as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(summary)
}

fn annotate_bcf<W: Write>(
    path: &Path,
    file: File,
    report: &AnalysisReport,
    map: &HashMap<Key, Vec<String>>,
    matched: &mut std::collections::HashSet<Key>,
    out: W,
) -> Result<VcfSummary, ReportError> {
    use vcf::header::record::value::map::{info::Number, info::Type, Info, Map};
    use vcf::variant::io::Write as _;
    use vcf::variant::record::AlternateBases as _;
    use vcf::variant::record_buf::info::field::{value::Array as ArrayBuf, Value as ValueBuf};

    let mut reader = bcf::io::Reader::new(file);
    let header = reader
        .read_header()
        .map_err(|e| vcf_err(path, None, format!("invalid BCF header: {e}")))?;
    let mut out_header = header.clone();
    out_header.infos_mut().insert(
        INFO_KEY.into(),
        Map::<Info>::new(Number::Unknown, Type::String, INFO_DESCRIPTION),
    );
    out_header.infos_mut().insert(
        INFO_ALT_KEY.into(),
        Map::<Info>::new(Number::Unknown, Type::Integer, INFO_ALT_DESCRIPTION),
    );
    for k in OWN_KEYS {
        if let Ok(key) = k.parse::<vcf::header::record::key::Other>() {
            out_header.other_records_mut().shift_remove(&key);
        }
    }
    for (k, v) in own_header_values(report) {
        if let Ok(key) = k.parse() {
            let _ = out_header.insert(key, vcf::header::record::Value::from(v));
        }
    }
    let mut writer = vcf::io::Writer::new(out);
    writer.write_header(&out_header)?;
    let mut summary = VcfSummary::default();
    let mut record = bcf::Record::default();
    loop {
        let n = summary.records + 1;
        let rerr = |e: std::io::Error| vcf_err(path, Some(n), e.to_string());
        if reader.read_record(&mut record).map_err(rerr)? == 0 {
            break;
        }
        summary.records = n;
        let chrom = record
            .reference_sequence_name(header.string_maps())
            .map_err(rerr)?
            .to_string();
        let pos = record
            .variant_start()
            .transpose()
            .map_err(rerr)?
            .map(usize::from)
            .unwrap_or(0);
        let pos = u32::try_from(pos).map_err(|_| vcf_err(path, Some(n), "position beyond 2^32"))?;
        let reference: String = vcf::variant::Record::reference_bases(&record)
            .iter()
            .map(|b| b.map(char::from))
            .collect::<Result<_, _>>()
            .map_err(rerr)?;
        let alt_box = vcf::variant::Record::alternate_bases(&record);
        let alts: Vec<String> = alt_box
            .iter()
            .map(|a| a.map(String::from))
            .collect::<Result<_, _>>()
            .map_err(rerr)?;
        let alt_refs: Vec<&str> = alts.iter().map(String::as_str).collect();
        let info = vcf::variant::Record::info(&record);
        let has_own =
            info.get(&header, INFO_KEY).is_some() || info.get(&header, INFO_ALT_KEY).is_some();
        let values = record_values(&chrom, pos, &reference, &alt_refs, map, matched);
        if values.is_none() && !has_own {
            writer
                .write_variant_record(&out_header, &record)
                .map_err(|e| vcf_err(path, Some(n), e.to_string()))?;
            continue;
        }
        let mut buf =
            vcf::variant::RecordBuf::try_from_variant_record(&header, &record).map_err(rerr)?;
        let kept: vcf::variant::record_buf::Info = buf
            .info()
            .as_ref()
            .iter()
            .filter(|(k, _)| k.as_str() != INFO_KEY && k.as_str() != INFO_ALT_KEY)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        *buf.info_mut() = kept;
        if let Some(v) = values {
            summary.annotated += 1;
            for field in v.split(';') {
                let (k, vals) = field.split_once('=').expect("key=value");
                let value = if k == INFO_KEY {
                    ValueBuf::Array(ArrayBuf::String(
                        vals.split(',').map(|s| Some(s.to_string())).collect(),
                    ))
                } else {
                    ValueBuf::Array(ArrayBuf::Integer(
                        vals.split(',').map(|s| s.parse().ok()).collect(),
                    ))
                };
                buf.info_mut().insert(k.to_string(), Some(value));
            }
        }
        writer
            .write_variant_record(&out_header, &buf)
            .map_err(|e| vcf_err(path, Some(n), e.to_string()))?;
    }
    Ok(summary)
}

/// An index of a BGZF VCF: tabix, or CSI when a contig is longer than 2^29 - 1.
pub enum VcfIndex {
    /// Tabix (`.tbi`).
    Tabix(tabix::Index),
    /// Coordinate-sorted index (`.csi`).
    Csi(csi::Index),
}

impl VcfIndex {
    /// File suffix appended to the VCF name: `tbi` or `csi`.
    pub fn extension(&self) -> &'static str {
        match self {
            VcfIndex::Tabix(_) => "tbi",
            VcfIndex::Csi(_) => "csi",
        }
    }

    /// Writes the index (BGZF-compressed, as tabix and CSI files are).
    pub fn write<W: Write>(&self, out: W) -> std::io::Result<()> {
        match self {
            VcfIndex::Tabix(i) => {
                let mut w = tabix::io::Writer::new(out);
                w.write_index(i)?;
                w.try_finish()
            }
            VcfIndex::Csi(i) => {
                let mut w = csi::io::Writer::new(out);
                w.write_index(i)?;
                w.into_inner().finish().map(|_| ())
            }
        }
    }
}

/// Indexes a BGZF-compressed VCF (records must be sorted by contig and position).
///
/// Errors: [`ReportError::Vcf`] with noodles' message (e.g. unsorted records).
pub fn index_bgzf_vcf(path: &Path) -> Result<VcfIndex, ReportError> {
    match vcf::fs::index(path) {
        Ok(vcf::Index::Tabix(i)) => Ok(VcfIndex::Tabix(i)),
        Ok(vcf::Index::Csi(i)) => Ok(VcfIndex::Csi(i)),
        Err(e) => Err(vcf_err(
            path,
            None,
            format!("cannot index (are the records sorted by contig and position?): {e}"),
        )),
    }
}

/// `PATH.tbi` / `PATH.csi`.
pub fn index_path(vcf: &Path, index: &VcfIndex) -> PathBuf {
    let mut s = vcf.as_os_str().to_os_string();
    s.push(".");
    s.push(index.extension());
    PathBuf::from(s)
}
