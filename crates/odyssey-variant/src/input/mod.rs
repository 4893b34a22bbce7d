//! VCF and BCF input with noodles: plain, gzip and BGZF-compressed VCF 4.1-4.4, and BCF 2.x,
//! multi-sample. Records are read with noodles' lazy record API over a multi-threaded BGZF
//! reader; BCF records are converted to the same lazy VCF record so that every later step sees
//! one representation.
//!
//! [`VcfReader::open`] checks the header (with the line of any malformed header line), maps
//! contig names to [`Chrom`] (`chr1`/`1`/`NC_000001.11`, `chrM`/`MT`), and settles the assembly
//! from the header's contig lengths and the requested assembly ([`resolve_assembly`]).

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use noodles::bcf;
use noodles::bgzf;
use noodles::vcf;
use noodles::vcf::variant::io::Write as _;
use odyssey_genome::{Assembly, Chrom};

use crate::error::{Error, Location, Result};

/// Container format of a variant file, detected from its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum VcfFormat {
    /// Uncompressed VCF text.
    Vcf,
    /// BGZF-compressed VCF (`.vcf.gz`/`.vcf.bgz`, indexable).
    VcfBgzf,
    /// Plain gzip-compressed VCF (not BGZF; readable, not indexable).
    VcfGzip,
    /// BCF (BGZF-compressed or uncompressed).
    Bcf,
}

enum Records {
    Text(Box<dyn BufRead + Send>),
    Bcf {
        reader: bcf::io::Reader<Box<dyn BufRead + Send>>,
        record: bcf::Record,
        writer: vcf::io::Writer<Vec<u8>>,
    },
}

/// An open VCF/BCF file positioned at its first record.
pub struct VcfReader {
    path: PathBuf,
    format: VcfFormat,
    header: vcf::Header,
    sample_names: Vec<String>,
    records: Records,
    location: Location,
    contigs: HashMap<String, Option<Chrom>>,
    /// Text of the record last read (VCF line without its end of line; BCF record as VCF).
    line: Vec<u8>,
    /// Stated doubts about the file as a whole (missing BGZF end-of-file marker, last line
    /// without a newline).
    warnings: Vec<String>,
}

/// The 28-byte empty BGZF block that ends every complete BGZF file (SAM/BAM format
/// specification, §4.1.2 "End-of-file marker").
pub const BGZF_EOF: [u8; 28] = [
    0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43, 0x02, 0x00,
    0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];

/// Whether a seekable BGZF file ends with the [`BGZF_EOF`] block. A file cut at a block
/// boundary decompresses without error, so this is the only sign of its truncation.
/// Errors: the file cannot be read.
pub fn has_bgzf_eof(path: &Path) -> Result<bool> {
    use std::io::{Seek, SeekFrom};
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let len = f.metadata().map_err(|e| Error::io(path, e))?.len();
    if len < BGZF_EOF.len() as u64 {
        return Ok(false);
    }
    let mut tail = [0u8; 28];
    f.seek(SeekFrom::End(-(BGZF_EOF.len() as i64)))
        .map_err(|e| Error::io(path, e))?;
    f.read_exact(&mut tail).map_err(|e| Error::io(path, e))?;
    Ok(tail == BGZF_EOF)
}

fn is_base(b: u8) -> bool {
    matches!(b.to_ascii_uppercase(), b'A' | b'C' | b'G' | b'T' | b'N')
}

/// Checks a REF column as written: one or more of A, C, G, T, N (case-insensitive; VCF 4.3
/// §1.6.1). Returns the message for [`Error::Parse`].
pub fn check_ref(reference: &[u8]) -> std::result::Result<(), String> {
    if !reference.is_empty() && reference.iter().all(|&b| is_base(b)) {
        return Ok(());
    }
    Err(format!(
        "REF {:?} is not a sequence of reference bases: expected one or more of A, C, G, T, N (write IUPAC ambiguity codes as N)",
        String::from_utf8_lossy(reference)
    ))
}

/// Checks an ALT column as written (VCF 4.3 §1.6.1): `.`, or comma-separated alleles each a
/// sequence of A, C, G, T, N (case-insensitive), a symbolic allele `<ID>`, the spanning
/// deletion `*`, or a breakend (`t[p[`, `]p]t`..., or single `.t`/`t.`). Symbolic alleles,
/// breakends and `*` pass here; the analysis counts them as unsupported. Returns the message
/// for [`Error::Parse`].
pub fn check_alt(alt: &[u8]) -> std::result::Result<(), String> {
    if alt == b"." {
        return Ok(());
    }
    for a in alt.split(|&b| b == b',') {
        let seq = |x: &[u8]| !x.is_empty() && x.iter().all(|&b| is_base(b));
        let ok = a == b"*"
            || (a.len() > 2 && a[0] == b'<' && a[a.len() - 1] == b'>')
            || a.contains(&b'[')
            || a.contains(&b']')
            || (a.len() > 1 && a[0] == b'.' && seq(&a[1..]))
            || (a.len() > 1 && a[a.len() - 1] == b'.' && seq(&a[..a.len() - 1]))
            || seq(a);
        if !ok {
            return Err(format!(
                "ALT allele {:?} (column {:?}) is not valid: expected a sequence of A, C, G, T, N, a symbolic allele like <DEL>, a breakend, '*', or '.' for no ALT",
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(alt)
            ));
        }
    }
    Ok(())
}

/// The fixed VCF columns, for messages.
const COLUMNS: [&str; 9] = [
    "CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO", "FORMAT",
];

/// Largest POS Odyssey reads (positions are 32-bit; the longest human chromosome, chr1, has
/// 248,956,422 bp in GRCh38).
pub const MAX_POS: u64 = u32::MAX as u64;

/// Parses a VCF POS as written: `Ok(None)` for `0` (telomere), the position for 1 to
/// [`MAX_POS`]; an error message quoting the value otherwise (negative, not a number, too
/// large).
pub fn parse_pos(raw: &str) -> std::result::Result<Option<u32>, String> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "POS {raw:?} is not a position: expected a whole number from 1 to {MAX_POS} (0 for a telomere), without sign or decimals"
        ));
    }
    match raw.parse::<u64>() {
        Ok(0) => Ok(None),
        Ok(v) if v <= MAX_POS => Ok(Some(v as u32)),
        _ => Err(format!(
            "POS {raw} is too large: positions above {MAX_POS} are not supported (no human chromosome is longer than 248956422 bp)"
        )),
    }
}

/// The `i`-th tab-separated field of a record line (empty when absent).
fn field(line: &[u8], i: usize) -> &[u8] {
    line.split(|&b| b == b'\t').nth(i).unwrap_or(&[])
}

fn is_bgzf(magic: &[u8]) -> bool {
    magic.len() >= 14
        && magic[0] == 0x1f
        && magic[1] == 0x8b
        && magic[3] & 4 != 0
        && magic[12] == b'B'
        && magic[13] == b'C'
}

fn bgzf_reader(file: File, threads: usize) -> Box<dyn BufRead + Send> {
    if threads > 1 {
        let n = NonZeroUsize::new(threads).expect("threads > 1");
        Box::new(bgzf::io::MultithreadedReader::with_worker_count(n, file))
    } else {
        Box::new(bgzf::io::Reader::new(file))
    }
}

/// What [`detect_format`] and [`sniff_format`] say of a file that is neither VCF nor BCF.
pub const NOT_VCF: &str =
    "not a VCF or BCF file (expected '##fileformat', gzip/BGZF or 'BCF' magic)";

/// Bytes [`detect_format`] reads: the largest BGZF block (SAM/BAM format specification §4.1),
/// so that the first block of a BGZF file is whole and its first bytes can be decompressed.
pub const SNIFF_LEN: usize = 65_536;

/// The container format told by a file's first bytes `head` (any length; with
/// [`SNIFF_LEN`] bytes a BGZF-compressed BCF is always told apart from a BGZF VCF):
/// BGZF (gzip with the `BC` extra field) holding `BCF` → [`VcfFormat::Bcf`], other BGZF →
/// [`VcfFormat::VcfBgzf`] (also when `head` ends before the first decompressed bytes), other
/// gzip → [`VcfFormat::VcfGzip`], `BCF` → uncompressed BCF, `##` or `#CHROM` → VCF text.
/// `None` for anything else, including an empty head. Used by [`detect_format`] and by the
/// server's upload check, so that both accept the same files.
pub fn sniff_format(head: &[u8]) -> Option<VcfFormat> {
    if is_bgzf(head) {
        // BGZF is gzip: decompress the first bytes of the first member
        let mut first = [0u8; 3];
        let mut n = 0;
        let mut d = flate2::read::GzDecoder::new(head);
        while n < first.len() {
            match d.read(&mut first[n..]) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        return Some(if &first[..n] == b"BCF" {
            VcfFormat::Bcf
        } else {
            VcfFormat::VcfBgzf
        });
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        return Some(VcfFormat::VcfGzip);
    }
    if head.starts_with(b"BCF") {
        return Some(VcfFormat::Bcf);
    }
    if head.starts_with(b"##") || head.starts_with(b"#CHROM") {
        return Some(VcfFormat::Vcf);
    }
    None
}

/// Detects the container format from the file's first [`SNIFF_LEN`] bytes ([`sniff_format`]).
///
/// Errors: the file cannot be read; it is empty or not VCF/BCF ([`Error::Parse`], [`NOT_VCF`]).
pub fn detect_format(path: &Path) -> Result<VcfFormat> {
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut head = Vec::with_capacity(SNIFF_LEN);
    f.take(SNIFF_LEN as u64)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(path, e))?;
    if head.is_empty() {
        return Err(Error::parse(
            path,
            Location::File,
            "empty file (expected VCF or BCF)",
        ));
    }
    sniff_format(&head).ok_or_else(|| Error::parse(path, Location::File, NOT_VCF))
}

/// Reads header lines up to and including `#CHROM`, parsing each with noodles so that errors
/// carry their line. Returns the header and the number of header lines.
fn read_text_header(reader: &mut dyn BufRead, path: &Path) -> Result<(vcf::Header, u64)> {
    let mut parser = vcf::header::Parser::default();
    let mut line = Vec::new();
    let mut n = 0u64;
    loop {
        line.clear();
        let k = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, e))?;
        if k == 0 {
            return Err(Error::parse(
                path,
                Location::Line(n + 1),
                "end of file inside the header (expected a '#CHROM' line)",
            ));
        }
        n += 1;
        while matches!(line.last(), Some(b'\n' | b'\r')) {
            line.pop();
        }
        if n == 1 && !line.starts_with(b"##fileformat=") {
            let shown = String::from_utf8_lossy(&line[..line.len().min(60)]).into_owned();
            return Err(Error::parse(
                path,
                Location::Line(1),
                format!("the first line must be '##fileformat=VCFv4.x' (e.g. ##fileformat=VCFv4.2), found {shown:?}"),
            ));
        }
        if !line.starts_with(b"#") {
            return Err(Error::parse(
                path,
                Location::Line(n),
                "data line before the '#CHROM' header line",
            ));
        }
        let done = line.starts_with(b"#CHROM");
        if done {
            // #CHROM POS ID REF ALT QUAL FILTER INFO [FORMAT samples...]: tab-separated
            let tabs = line.split(|&b| b == b'\t').count();
            let words = line
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .count();
            if tabs < 8 && words >= 8 {
                return Err(Error::parse(
                    path,
                    Location::Line(n),
                    format!(
                        "the '#CHROM' header line has {tabs} tab-separated column(s) but {words} words: columns must be separated by tabs, not spaces"
                    ),
                ));
            }
        }
        if let Err(e) = parser.parse_partial(&line) {
            let mut msg = format!("invalid VCF header line: {e}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            let shown = String::from_utf8_lossy(&line[..line.len().min(120)]).into_owned();
            msg.push_str(&format!(" (line starts {shown:?})"));
            return Err(Error::parse(path, Location::Line(n), msg));
        }
        if done {
            break;
        }
    }
    let header = parser
        .finish()
        .map_err(|e| Error::parse(path, Location::File, format!("invalid VCF header: {e}")))?;
    Ok((header, n))
}

impl VcfReader {
    /// Opens a VCF/BCF file, reads and checks its header.
    ///
    /// `threads` is the number of BGZF decompression workers (1 = no worker threads).
    /// Errors: [`Error::Io`]; [`Error::Parse`] with the header line that is malformed (a
    /// first line other than `##fileformat=...`, a `#CHROM` line separated by spaces).
    /// A BGZF file without its end-of-file marker adds a [`VcfReader::warnings`] entry.
    pub fn open(path: &Path, threads: usize) -> Result<VcfReader> {
        let format = detect_format(path)?;
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let (header, records, location) = match format {
            VcfFormat::Vcf | VcfFormat::VcfBgzf | VcfFormat::VcfGzip => {
                let mut inner: Box<dyn BufRead + Send> = match format {
                    VcfFormat::Vcf => Box::new(BufReader::with_capacity(1 << 16, file)),
                    VcfFormat::VcfBgzf => bgzf_reader(file, threads),
                    _ => Box::new(BufReader::with_capacity(
                        1 << 16,
                        flate2::read::MultiGzDecoder::new(file),
                    )),
                };
                let (header, n) = read_text_header(&mut inner, path)?;
                (header, Records::Text(inner), Location::Line(n))
            }
            VcfFormat::Bcf => {
                let mut head = [0u8; 3];
                let compressed = {
                    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
                    f.read_exact(&mut head).map_err(|e| Error::io(path, e))?;
                    &head != b"BCF"
                };
                let inner: Box<dyn BufRead + Send> = if compressed {
                    bgzf_reader(file, threads)
                } else {
                    Box::new(BufReader::new(file))
                };
                let mut reader = bcf::io::Reader::from(inner);
                let header = reader.read_header().map_err(|e| {
                    Error::parse(path, Location::File, format!("invalid BCF header: {e}"))
                })?;
                let writer = vcf::io::Writer::new(Vec::new());
                (
                    header,
                    Records::Bcf {
                        reader,
                        record: bcf::Record::default(),
                        writer,
                    },
                    Location::Record(0),
                )
            }
        };
        let sample_names = header.sample_names().iter().cloned().collect();
        let mut warnings = Vec::new();
        let bgzf = match format {
            VcfFormat::VcfBgzf => true,
            VcfFormat::Bcf => is_bgzf(&{
                let mut m = [0u8; 14];
                let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
                let k = f.read(&mut m).map_err(|e| Error::io(path, e))?;
                m[..k].to_vec()
            }),
            _ => false,
        };
        if bgzf && !has_bgzf_eof(path)? {
            warnings.push(format!(
                "{}: no BGZF end-of-file marker: the file may be truncated (records after the last complete block would be missing)",
                path.display()
            ));
        }
        Ok(VcfReader {
            path: path.to_path_buf(),
            format,
            header,
            sample_names,
            records,
            location,
            contigs: HashMap::new(),
            line: Vec::new(),
            warnings,
        })
    }

    /// Path of the file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Container format.
    pub fn format(&self) -> VcfFormat {
        self.format
    }

    /// The parsed header.
    pub fn header(&self) -> &vcf::Header {
        &self.header
    }

    /// Sample names in column order.
    pub fn sample_names(&self) -> &[String] {
        &self.sample_names
    }

    /// Line (VCF) or record number (BCF) of the record last read.
    pub fn location(&self) -> Location {
        self.location
    }

    /// Doubts about the file as a whole, each starting with the file: a BGZF file (VCF or
    /// BCF) without the end-of-file marker ([`has_bgzf_eof`], checked at open), a text VCF
    /// whose last line has no newline (known once that line is read).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Header `##contig` entries that have a length, as (name, length).
    pub fn contig_lengths(&self) -> Vec<(String, u64)> {
        self.header
            .contigs()
            .iter()
            .filter_map(|(name, c)| c.length().map(|l| (name.clone(), l as u64)))
            .collect()
    }

    /// Reads the next record into `record`; `false` at end of file. Blank lines are skipped.
    ///
    /// Errors: [`Error::Parse`] naming the line (VCF) or record (BCF): fewer than 8
    /// tab-separated columns, an empty column, a number of sample columns other than the
    /// header's (checked on every record), a REF or ALT that is not a valid allele
    /// ([`check_ref`], [`check_alt`]), text that is not UTF-8, a truncated compressed file;
    /// [`Error::Io`] for other read failures. A last line without a newline adds a
    /// [`VcfReader::warnings`] entry.
    pub fn read(&mut self, record: &mut vcf::Record) -> Result<bool> {
        let path = &self.path;
        match &mut self.records {
            Records::Text(r) => {
                let Location::Line(n) = &mut self.location else {
                    unreachable!()
                };
                loop {
                    self.line.clear();
                    *n += 1;
                    let k = r.read_until(b'\n', &mut self.line).map_err(|e| match e.kind() {
                        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof => Error::parse(
                            path,
                            Location::Line(*n),
                            format!("cannot read the record: {e} (truncated or corrupt compressed file?)"),
                        ),
                        _ => Error::io(path, e),
                    })?;
                    if k == 0 {
                        return Ok(false);
                    }
                    let unterminated = self.line.last() != Some(&b'\n');
                    while matches!(self.line.last(), Some(b'\n' | b'\r')) {
                        self.line.pop();
                    }
                    if !self.line.iter().all(u8::is_ascii_whitespace) {
                        if unterminated {
                            self.warnings.push(format!(
                                "{}: line {n}: the file does not end with a newline: the last record may be truncated",
                                path.display()
                            ));
                        }
                        break;
                    }
                }
                let loc = Location::Line(*n);
                let n_samples = self.sample_names.len();
                let cols = self.line.iter().filter(|&&b| b == b'\t').count() + 1;
                if cols < 8 {
                    let mut msg =
                        "expected at least 8 tab-separated columns (10 with samples".to_string();
                    if n_samples > 0 {
                        msg.push_str(&format!(
                            "; the header names {n_samples} sample(s), so {}",
                            9 + n_samples
                        ));
                    }
                    msg.push_str(&format!("), found {cols}"));
                    if self.line.contains(&b' ') {
                        msg.push_str(": columns must be separated by tabs, not spaces");
                    }
                    return Err(Error::parse(path, loc, msg));
                }
                if let Err(e) = vcf::io::Reader::new(&self.line[..]).read_record(record) {
                    if !matches!(
                        e.kind(),
                        io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
                    ) {
                        return Err(Error::io(path, e));
                    }
                    // an empty column is the usual cause: name it
                    let msg = match self.line.split(|&b| b == b'\t').position(<[u8]>::is_empty) {
                        Some(i) => {
                            let name = COLUMNS.get(i).map_or_else(
                                || format!("sample column {}", i - 8),
                                |c| (*c).to_string(),
                            );
                            format!(
                                "column {} ({name}) is empty (write '.' for a missing value)",
                                i + 1
                            )
                        }
                        None => format!("malformed VCF record: {e}"),
                    };
                    return Err(Error::parse(path, loc, msg));
                }
                if n_samples > 0 && cols != 9 + n_samples {
                    return Err(Error::parse(
                        path,
                        loc,
                        format!(
                            "the record has {} sample columns but the header names {n_samples} (expected {} tab-separated columns, found {cols})",
                            cols.saturating_sub(9),
                            9 + n_samples
                        ),
                    ));
                }
                if n_samples == 0 && cols > 9 {
                    return Err(Error::parse(
                        path,
                        loc,
                        format!("the record has {} sample columns but the header names no samples (expected 8 tab-separated columns, found {cols})", cols - 9),
                    ));
                }
                self.check_alleles()?;
                Ok(true)
            }
            Records::Bcf {
                reader,
                record: brec,
                writer,
            } => {
                let Location::Record(n) = &mut self.location else {
                    unreachable!()
                };
                *n += 1;
                let loc = Location::Record(*n);
                match reader.read_record(brec) {
                    Ok(0) => return Ok(false),
                    Ok(_) => {}
                    Err(e) => {
                        return Err(Error::parse(
                            path,
                            loc,
                            format!("malformed BCF record: {e}"),
                        ))
                    }
                }
                writer.get_mut().clear();
                writer
                    .write_variant_record(&self.header, brec)
                    .map_err(|e| Error::parse(path, loc, format!("malformed BCF record: {e}")))?;
                let buf = writer.get_ref();
                let text = if buf.last() == Some(&b'\n') {
                    &buf[..buf.len() - 1]
                } else {
                    &buf[..]
                };
                self.line.clear();
                self.line.extend_from_slice(text);
                vcf::io::Reader::new(&self.line[..])
                    .read_record(record)
                    .map_err(|e| Error::parse(path, loc, format!("malformed BCF record: {e}")))?;
                self.check_alleles()?;
                Ok(true)
            }
        }
    }

    /// REF and ALT of the record last read, as written ([`check_ref`], [`check_alt`]).
    fn check_alleles(&self) -> Result<()> {
        check_ref(field(&self.line, 3))
            .and_then(|_| check_alt(field(&self.line, 4)))
            .map_err(|m| Error::parse(&self.path, self.location, m))
    }

    /// Column `i` (0-based: 0 = CHROM, 1 = POS...) of the record last read, as written
    /// (lossy UTF-8; empty when absent).
    pub fn raw_field(&self, i: usize) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(field(&self.line, i))
    }

    /// POS of the record last read ([`parse_pos`]): `None` for `0` (telomere).
    /// Errors: [`Error::Parse`] with the line and the POS as written.
    pub fn position(&self) -> Result<Option<u32>> {
        parse_pos(&self.raw_field(1)).map_err(|m| Error::parse(&self.path, self.location, m))
    }

    /// Maps a contig name to a primary chromosome, caching the answer; `None` for alts,
    /// decoys and unplaced contigs.
    pub fn chrom(&mut self, name: &str) -> Option<Chrom> {
        if let Some(c) = self.contigs.get(name) {
            return *c;
        }
        let c = name.parse::<Chrom>().ok();
        self.contigs.insert(name.to_string(), c);
        c
    }
}

/// The assembly a VCF/BCF header's `##contig` lengths point to, without reading records:
/// `None` when they name no primary chromosome with a GRCh37 or GRCh38 length. Used to pick
/// gene models before the analysis. Errors: the file cannot be opened or its header parsed.
pub fn sniff_assembly(path: &Path) -> Result<Option<Assembly>> {
    let reader = VcfReader::open(path, 1)?;
    let contigs = reader.contig_lengths();
    Ok(Assembly::from_contig_lengths(
        contigs.iter().map(|(n, l)| (n.as_str(), *l)),
    ))
}

/// Length of hg19's `chrM` (the Yoruba mitochondrial sequence, GenBank NC_001807), which is
/// not the revised Cambridge Reference Sequence (rCRS, NC_012920, 16,569 bp) of GRCh37's `MT`
/// and GRCh38's `chrM`: the two sequences are aligned differently, so positions do not carry over.
pub const HG19_CHRM_LENGTH: u32 = 16_571;

/// The warning for a header whose mitochondrial contig is hg19's non-rCRS `chrM`.
pub fn hg19_chrm_warning(path: &Path, name: &str) -> String {
    format!(
        "{}: contig {name} has length 16571: this is hg19's chrM (NC_001807), not the rCRS (NC_012920, 16569 bp) of GRCh37 MT and GRCh38 chrM; its positions do not match rCRS, so its records are skipped (lift them over to rCRS, or call against GRCh37's MT, to analyse mitochondrial variants)",
        path.display()
    )
}

/// Settles the genome assembly from `##contig` lengths and the requested assembly.
///
/// * With `requested`: every primary contig whose length equals the *other* assembly's length
///   is a mismatch ([`Error::AssemblyMismatch`], listing up to three contigs); lengths matching
///   neither assembly give a warning, except hg19's `chrM` of length 16,571, which gets its
///   own warning ([`hg19_chrm_warning`]; the analysis skips its records).
/// * With `requested` and no primary-chromosome length that confirms it: a "could not
///   verify" warning.
/// * Without: the assembly the lengths agree on ([`Assembly::from_contig_lengths`]); when
///   there are no usable lengths, [`Error::AssemblyMismatch`] asking for `--assembly`.
///
/// Returns the assembly and warnings.
pub fn resolve_assembly(
    contigs: &[(String, u64)],
    requested: Option<Assembly>,
    path: &Path,
) -> Result<(Assembly, Vec<String>)> {
    let mut warnings = Vec::new();
    let inferred = Assembly::from_contig_lengths(contigs.iter().map(|(n, l)| (n.as_str(), *l)));
    let assembly = match (requested, inferred) {
        (Some(a), _) => a,
        (None, Some(a)) => a,
        (None, None) => {
            return Err(Error::AssemblyMismatch {
                path: path.to_path_buf(),
                message: "the header's ##contig lines give no primary-chromosome lengths to recognise GRCh37 or GRCh38; give the assembly (--assembly GRCh37|GRCh38)".into(),
            })
        }
    };
    let other = match assembly {
        Assembly::GRCh37 => Assembly::GRCh38,
        Assembly::GRCh38 => Assembly::GRCh37,
    };
    let mut bad = Vec::new();
    let mut verified = false;
    for (name, len) in contigs {
        let Ok(chrom) = name.parse::<Chrom>() else {
            continue;
        };
        let here = u64::from(assembly.length(chrom));
        if *len == here {
            verified |= chrom != Chrom::MT;
            continue;
        }
        if chrom == Chrom::MT && *len == u64::from(HG19_CHRM_LENGTH) {
            warnings.push(hg19_chrm_warning(path, name));
            continue;
        }
        if *len == u64::from(other.length(chrom)) {
            bad.push(format!(
                "{name} has length {len}, which is {other}'s (expected {here} for {assembly})"
            ));
        } else {
            warnings.push(format!(
                "{}: contig {name} has length {len}, matching neither GRCh37 nor GRCh38",
                path.display()
            ));
        }
    }
    if requested.is_some() && !verified && bad.is_empty() {
        warnings.push(format!(
            "{}: could not verify that the VCF is {assembly}: its header has no ##contig line with the length of a {assembly} chromosome; positions are read as {assembly} (a VCF of the other assembly gives wrong genes and frequencies)",
            path.display()
        ));
    }
    if !bad.is_empty() {
        let n = bad.len();
        bad.truncate(3);
        return Err(Error::AssemblyMismatch {
            path: path.to_path_buf(),
            message: format!(
                "the analysis assembly is {assembly} but {n} contig(s) disagree: {}{}",
                bad.join("; "),
                if n > 3 { "; ..." } else { "" }
            ),
        });
    }
    Ok((assembly, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::File::create(&p)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        p
    }

    const VCF: &str = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\tb\nchr1\t100\t.\tA\tC,G\t50\tPASS\t.\tGT\t0/1\t1/2\n";

    #[test]
    fn reads_plain_bgzf_and_gzip() {
        let dir = tempfile::tempdir().unwrap();
        let plain = write(dir.path(), "a.vcf", VCF);
        let bgz = dir.path().join("a.vcf.gz");
        {
            let mut w = bgzf::io::Writer::new(File::create(&bgz).unwrap());
            w.write_all(VCF.as_bytes()).unwrap();
            w.finish().unwrap();
        }
        let gz = dir.path().join("b.vcf.gz");
        {
            let mut w = flate2::write::GzEncoder::new(
                File::create(&gz).unwrap(),
                flate2::Compression::default(),
            );
            w.write_all(VCF.as_bytes()).unwrap();
            w.finish().unwrap();
        }
        for (p, f, threads) in [
            (plain, VcfFormat::Vcf, 1),
            (bgz, VcfFormat::VcfBgzf, 2),
            (gz, VcfFormat::VcfGzip, 1),
        ] {
            let mut r = VcfReader::open(&p, threads).unwrap();
            assert_eq!(r.format(), f);
            assert_eq!(r.sample_names(), &["a".to_string(), "b".to_string()]);
            let mut rec = vcf::Record::default();
            assert!(r.read(&mut rec).unwrap());
            assert_eq!(r.location(), Location::Line(5));
            assert_eq!(rec.reference_sequence_name(), "chr1");
            assert_eq!(r.chrom("chr1"), Chrom::autosome(1));
            assert!(!r.read(&mut rec).unwrap());
            let (a, w) = resolve_assembly(&r.contig_lengths(), None, &p).unwrap();
            assert_eq!((a, w.len()), (Assembly::GRCh38, 0));
        }
    }

    /// The bytes-level sniff on heads built here: each container by its magic, a BGZF BCF
    /// told from a BGZF VCF by its decompressed first bytes (also from a head cut to the
    /// server's 8 KiB), and nothing else accepted.
    #[test]
    fn sniff_format_tells_containers_from_bytes() {
        let bgzf_of = |bytes: &[u8]| {
            let mut w = bgzf::io::Writer::new(Vec::new());
            w.write_all(bytes).unwrap();
            w.finish().unwrap()
        };
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(VCF.as_bytes()).unwrap();
        let gz = gz.finish().unwrap();
        // a BCF: magic, version 2.2, then the header; padded so that the BGZF block is large
        let mut reader = vcf::io::Reader::new(VCF.as_bytes());
        let header = reader.read_header().unwrap();
        let mut w = bcf::io::Writer::from(Vec::new());
        w.write_header(&header).unwrap();
        let mut rec = vcf::Record::default();
        while reader.read_record(&mut rec).unwrap() != 0 {
            w.write_variant_record(&header, &rec).unwrap();
        }
        let raw_bcf = w.into_inner();
        assert!(raw_bcf.starts_with(b"BCF\x02"));
        // incompressible filler (xorshift32), so that the compressed block passes 8 KiB
        let mut x = 2_463_534_242u32;
        let noisy: Vec<u8> = (0..60_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                (x >> 24) as u8
            })
            .collect();
        let big_bcf = bgzf_of(&[raw_bcf.as_slice(), &noisy].concat());
        assert!(big_bcf.len() > 8192);
        assert_eq!(sniff_format(VCF.as_bytes()), Some(VcfFormat::Vcf));
        assert_eq!(sniff_format(b"#CHROM\tPOS"), Some(VcfFormat::Vcf));
        assert_eq!(
            sniff_format(&bgzf_of(VCF.as_bytes())),
            Some(VcfFormat::VcfBgzf)
        );
        assert_eq!(sniff_format(&gz), Some(VcfFormat::VcfGzip));
        assert_eq!(sniff_format(&raw_bcf), Some(VcfFormat::Bcf));
        assert_eq!(sniff_format(&bgzf_of(&raw_bcf)), Some(VcfFormat::Bcf));
        assert_eq!(sniff_format(&big_bcf[..8192]), Some(VcfFormat::Bcf));
        // cut inside the gzip header: BGZF, the container is all that can be said
        assert_eq!(sniff_format(&big_bcf[..20]), Some(VcfFormat::VcfBgzf));
        for bad in [&b""[..], b"#", b"chr1\t100\t.\tA\tC", b"hello\n", b"\x1f"] {
            assert_eq!(sniff_format(bad), None, "{bad:?}");
        }
        // detect_format reads the same answer from files
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.bcf");
        std::fs::write(&p, &big_bcf).unwrap();
        assert_eq!(detect_format(&p).unwrap(), VcfFormat::Bcf);
        std::fs::write(&p, b"hello\n").unwrap();
        assert!(detect_format(&p).unwrap_err().to_string().contains(NOT_VCF));
    }

    #[test]
    fn header_errors_have_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = write(dir.path(), "bad.vcf", "##fileformat=VCFv4.2\n##INFO=<ID=X,Number=1,Type=Bogus,Description=\"x\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n");
        let e = VcfReader::open(&p, 1).err().unwrap().to_string();
        assert!(
            e.contains("bad.vcf: line 2: invalid VCF header line"),
            "{e}"
        );
        let p = write(dir.path(), "trunc.vcf", "##fileformat=VCFv4.2\n");
        let e = VcfReader::open(&p, 1).err().unwrap().to_string();
        assert!(e.contains("line 2") && e.contains("#CHROM"), "{e}");
        let p = write(dir.path(), "x.txt", "hello\n");
        assert!(VcfReader::open(&p, 1)
            .err()
            .unwrap()
            .to_string()
            .contains("not a VCF or BCF"));
    }

    /// Regression (QA): POS above 2^32 wrapped silently through a `u32` cast.
    #[test]
    fn positions_are_parsed_as_written() {
        assert_eq!(parse_pos("0"), Ok(None));
        assert_eq!(parse_pos("007"), Ok(Some(7)));
        assert_eq!(parse_pos("4294967295"), Ok(Some(u32::MAX)));
        assert!(parse_pos("4294967296")
            .unwrap_err()
            .starts_with("POS 4294967296 is too large"));
        assert!(parse_pos("99999999999999999999999")
            .unwrap_err()
            .starts_with("POS 99999999999999999999999 is too large"));
        for bad in ["-5", "+5", "1.5", "", " 5", "1e3"] {
            assert!(
                parse_pos(bad)
                    .unwrap_err()
                    .starts_with(&format!("POS {bad:?} is not a position")),
                "{bad}"
            );
        }
    }

    #[test]
    fn assembly_checks() {
        let p = Path::new("t.vcf");
        let g37 = vec![
            ("1".to_string(), 249_250_621u64),
            ("2".to_string(), 243_199_373),
        ];
        assert_eq!(resolve_assembly(&g37, None, p).unwrap().0, Assembly::GRCh37);
        let e = resolve_assembly(&g37, Some(Assembly::GRCh38), p)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("assembly mismatch") && e.contains("2 contig(s)") && e.contains("GRCh37's"),
            "{e}"
        );
        assert!(resolve_assembly(&[], None, p)
            .unwrap_err()
            .to_string()
            .contains("--assembly"));
        // a length matching neither assembly: warned, and the assembly is not verified
        let (a, w) = resolve_assembly(&[("chr1".into(), 5)], Some(Assembly::GRCh38), p).unwrap();
        assert_eq!((a, w.len()), (Assembly::GRCh38, 2));
        assert!(
            w[1].contains("could not verify that the VCF is GRCh38"),
            "{w:?}"
        );
        // regression (issue 12): no ##contig lines under a requested assembly said nothing
        let (a, w) = resolve_assembly(&[], Some(Assembly::GRCh37), p).unwrap();
        assert_eq!(a, Assembly::GRCh37);
        assert!(
            w.len() == 1 && w[0].contains("could not verify that the VCF is GRCh37"),
            "{w:?}"
        );
        // a confirming length: no warning
        assert!(resolve_assembly(&g37, Some(Assembly::GRCh37), p)
            .unwrap()
            .1
            .is_empty());
        // hg19's chrM (16,571 bp) is named as not rCRS; GRCh37's MT (16,569 bp) verifies nothing
        let hg19 = vec![
            ("chr1".to_string(), 249_250_621u64),
            ("chrM".to_string(), 16_571),
        ];
        let w = resolve_assembly(&hg19, Some(Assembly::GRCh37), p)
            .unwrap()
            .1;
        assert!(
            w.len() == 1 && w[0].contains("hg19's chrM") && w[0].contains("skipped"),
            "{w:?}"
        );
        let w = resolve_assembly(&[("MT".into(), 16_569)], Some(Assembly::GRCh37), p)
            .unwrap()
            .1;
        assert!(w.len() == 1 && w[0].contains("could not verify"), "{w:?}");
    }
}
