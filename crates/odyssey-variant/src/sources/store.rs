//! Odyssey's compiled annotation store (`.ostore`): a sorted, chunked, columnar file read
//! through a memory map, for gnomAD-scale sources (the columnar, chunked, zstd-compressed layout
//! follows the idea of echtvar, Pedersen et al. 2023; no code is shared).
//!
//! Layout (little-endian):
//!
//! ```text
//! "ODYSTORE" | u32 version | u32 meta_len | meta (JSON: StoreMeta)
//! chunk 0 | chunk 1 | ...                         each a zstd frame
//! index: per chunk 40 bytes
//!        u8 chrom index, 3 pad, u32 first_pos, u32 last_pos, u32 records,
//!        u64 offset, u32 compressed_len, u32 uncompressed_len, u64 xxh3 of the compressed chunk
//! footer: u64 index_offset | u64 chunk_count | u64 xxh3 of (header ++ index) | "ODYSEND2"
//! ```
//!
//! Integrity (format version 2): opening checks the magic, version, declared sizes (against the
//! file size, before anything is read), the header-and-index checksum, and that the chunk index
//! is sorted, non-overlapping and inside the file; each chunk's checksum is checked when it is
//! first decompressed (a whole-file checksum on open would read a gnomAD-scale store in full),
//! and its contents are checked against its index entry. Any damage is an error naming the file.
//!
//! A chunk holds up to 65,536 records of one chromosome, never splitting a position:
//! `u32 n | u32 nfields | u32 n_overflow | n×u32 position deltas | n×u32 allele codes |
//! overflow alleles (u16 ref_len, u16 alt_len, bytes) | nfields×n×f32 values (NaN = missing)`.
//! Allele pairs of up to 12 bases (A/C/G/T only, each allele ≤ 11) are packed in the code
//! (`ref_len<<28 | alt_len<<24 | 2-bit bases`); longer ones point into the overflow list
//! (`0xF000_0000 | index`). Chunks are sorted by (chromosome, position) and do not overlap.
//!
//! Lookups in position order decompress each chunk once; a lookup is a binary search in the
//! chunk index (skipped while the current chunk covers the position) and one in the chunk.
//!
//! Measured (`cargo run --release -p odyssey-variant --example bench`, 2 cores): a synthetic
//! frequency source of 2.5 M records with 4 fields compiles in about 3 s into 16.5 MB
//! (6.6 bytes per record, from a 29 MB bgzipped VCF), and serves the 5 M-record trio genome's
//! lookups inside the 14-25 s whole analysis.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use memmap2::Mmap;
use odyssey_genome::{Chrom, VariantKey};
use serde::{Deserialize, Serialize};

use super::config::ResolvedSource;
use super::parse::{merge_values, Entry};
use super::text::for_each_line;
use crate::error::{Error, Location, Result};

const MAGIC: &[u8; 8] = b"ODYSTORE";
const FOOTER_MAGIC: &[u8; 8] = b"ODYSEND2";
const FOOTER: usize = 32;
/// Store format version written and read by this crate.
pub const STORE_VERSION: u32 = 2;
const CHUNK_RECORDS: usize = 1 << 16;
const INDEX_ENTRY: usize = 40;
/// Largest uncompressed chunk accepted on reading (a bound against a damaged length).
const MAX_CHUNK_BYTES: u32 = 1 << 30;
const OVERFLOW: u32 = 0xF000_0000;

/// Metadata stored in the file header.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StoreMeta {
    /// Format version.
    pub version: u32,
    /// The source definition it was built from (role, fields, keys).
    pub source: ResolvedSource,
    /// Input files and their sizes in bytes.
    pub inputs: Vec<(PathBuf, u64)>,
    /// Tool that wrote it.
    pub created_by: String,
}

/// Figures of a finished build.
#[derive(Clone, Debug, Serialize)]
pub struct BuildSummary {
    /// Output file.
    pub path: PathBuf,
    /// Records written (after merging duplicates).
    pub records: u64,
    /// Chunks written.
    pub chunks: u64,
    /// Input lines with a primary chromosome.
    pub input_lines: u64,
    /// Output size in bytes.
    pub bytes: u64,
    /// Notes (population keys of a preset that the input lacks, `##contig` lengths of
    /// neither GRCh37 nor GRCh38).
    pub warnings: Vec<String>,
}

#[derive(Clone, Copy, Debug)]
struct ChunkEntry {
    chrom: u8,
    first: u32,
    last: u32,
    n: u32,
    offset: u64,
    clen: u32,
    ulen: u32,
    checksum: u64,
}

fn base2(b: u8) -> Option<u32> {
    match b {
        b'A' => Some(0),
        b'C' => Some(1),
        b'G' => Some(2),
        b'T' => Some(3),
        _ => None,
    }
}

/// Packs an allele pair into a code, `None` when it needs the overflow list.
fn pack(reference: &str, alternate: &str) -> Option<u32> {
    let (r, a) = (reference.as_bytes(), alternate.as_bytes());
    if r.len() + a.len() > 12 || r.len() > 11 || a.len() > 11 {
        return None;
    }
    let mut bits = 0u32;
    for &b in r.iter().chain(a) {
        bits = (bits << 2) | base2(b)?;
    }
    Some(((r.len() as u32) << 28) | ((a.len() as u32) << 24) | bits)
}

struct ChunkBuf {
    chrom: Option<Chrom>,
    pos: Vec<u32>,
    codes: Vec<u32>,
    overflow: Vec<(String, String)>,
    values: Vec<Vec<f32>>,
    last_key: Option<VariantKey>,
}

/// Writes a store from entries pushed in (chromosome, position) order.
pub struct StoreWriter {
    path: PathBuf,
    out: BufWriter<File>,
    offset: u64,
    nfields: usize,
    index: Vec<ChunkEntry>,
    buf: ChunkBuf,
    records: u64,
    role: super::config::Role,
    /// The first variant pushed twice with different values (frequency sources).
    conflict: Option<VariantKey>,
    /// Checksum of the header, then of the index.
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl StoreWriter {
    /// Creates the file and writes the header.
    fn create(path: &Path, meta: &StoreMeta) -> Result<StoreWriter> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        let json = serde_json::to_vec(meta).expect("meta serialises");
        let io = |e| Error::io(path, e);
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&STORE_VERSION.to_le_bytes());
        header.extend_from_slice(&(json.len() as u32).to_le_bytes());
        header.extend_from_slice(&json);
        out.write_all(&header).map_err(io)?;
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        hasher.update(&header);
        let nfields = meta.source.fields.len();
        Ok(StoreWriter {
            path: path.to_path_buf(),
            out,
            offset: (16 + json.len()) as u64,
            nfields,
            index: Vec::new(),
            buf: ChunkBuf {
                chrom: None,
                pos: Vec::new(),
                codes: Vec::new(),
                overflow: Vec::new(),
                values: vec![Vec::new(); nfields],
                last_key: None,
            },
            records: 0,
            role: meta.source.role,
            conflict: None,
            hasher,
        })
    }

    /// Appends one entry; entries must come sorted by position within a chromosome, and
    /// an entry equal to the previous key is merged into it.
    fn push(&mut self, e: &Entry) -> Result<()> {
        if let Some(last) = &self.buf.last_key {
            if *last == e.key {
                let i = self.buf.pos.len() - 1;
                let mut cur: Vec<f32> = (0..self.nfields).map(|f| self.buf.values[f][i]).collect();
                if self.conflict.is_none() && super::checks::conflicting(self.role, &cur, &e.values)
                {
                    self.conflict = Some(e.key.clone());
                }
                merge_values(self.role, &mut cur, &e.values);
                for (f, v) in cur.into_iter().enumerate() {
                    self.buf.values[f][i] = v;
                }
                return Ok(());
            }
        }
        let new_chrom = self.buf.chrom != Some(e.key.chrom);
        let full = self.buf.pos.len() >= CHUNK_RECORDS && self.buf.pos.last() != Some(&e.key.pos);
        if (new_chrom || full) && !self.buf.pos.is_empty() {
            self.flush()?;
        }
        self.buf.chrom = Some(e.key.chrom);
        self.buf.pos.push(e.key.pos);
        let code = match pack(&e.key.reference, &e.key.alternate) {
            Some(c) => c,
            None => {
                self.buf
                    .overflow
                    .push((e.key.reference.clone(), e.key.alternate.clone()));
                OVERFLOW | (self.buf.overflow.len() as u32 - 1)
            }
        };
        self.buf.codes.push(code);
        for f in 0..self.nfields {
            self.buf.values[f].push(e.values.get(f).copied().unwrap_or(f32::NAN));
        }
        self.buf.last_key = Some(e.key.clone());
        self.records += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        let b = &mut self.buf;
        let n = b.pos.len();
        if n == 0 {
            return Ok(());
        }
        let mut raw: Vec<u8> = Vec::with_capacity(12 + n * (8 + 4 * self.nfields));
        raw.extend_from_slice(&(n as u32).to_le_bytes());
        raw.extend_from_slice(&(self.nfields as u32).to_le_bytes());
        raw.extend_from_slice(&(b.overflow.len() as u32).to_le_bytes());
        let mut prev = 0u32;
        for &p in &b.pos {
            raw.extend_from_slice(&(p - prev).to_le_bytes());
            prev = p;
        }
        for &c in &b.codes {
            raw.extend_from_slice(&c.to_le_bytes());
        }
        for (r, a) in &b.overflow {
            raw.extend_from_slice(&(r.len() as u16).to_le_bytes());
            raw.extend_from_slice(&(a.len() as u16).to_le_bytes());
            raw.extend_from_slice(r.as_bytes());
            raw.extend_from_slice(a.as_bytes());
        }
        for f in &b.values {
            for v in f {
                raw.extend_from_slice(&v.to_le_bytes());
            }
        }
        let z = zstd::bulk::compress(&raw, 3).map_err(|e| Error::io(&self.path, e))?;
        self.out
            .write_all(&z)
            .map_err(|e| Error::io(&self.path, e))?;
        self.index.push(ChunkEntry {
            chrom: b.chrom.expect("chunk has a chromosome").index() as u8,
            first: b.pos[0],
            last: *b.pos.last().unwrap(),
            n: n as u32,
            offset: self.offset,
            clen: z.len() as u32,
            ulen: raw.len() as u32,
            checksum: xxhash_rust::xxh3::xxh3_64(&z),
        });
        self.offset += z.len() as u64;
        b.pos.clear();
        b.codes.clear();
        b.overflow.clear();
        for f in &mut b.values {
            f.clear();
        }
        b.last_key = None;
        Ok(())
    }

    /// Writes the index and footer. Errors when two blocks of one chromosome overlap (input
    /// not grouped by chromosome and sorted by position).
    fn finish(mut self) -> Result<(u64, u64)> {
        self.flush()?;
        self.index.sort_by_key(|c| (c.chrom, c.first));
        for w in self.index.windows(2) {
            if w[0].chrom == w[1].chrom && w[1].first <= w[0].last {
                return Err(Error::parse(
                    &self.path,
                    Location::File,
                    format!(
                        "chromosome {} appears in separate, overlapping blocks of the input (positions {}-{} and {}-{}): sort the input by chromosome and position",
                        Chrom::from_index(usize::from(w[0].chrom)).unwrap(),
                        w[0].first,
                        w[0].last,
                        w[1].first,
                        w[1].last
                    ),
                ));
            }
        }
        let io = |e| Error::io(&self.path, e);
        let index_offset = self.offset;
        for c in &self.index {
            let mut b = [0u8; INDEX_ENTRY];
            b[0] = c.chrom;
            b[4..8].copy_from_slice(&c.first.to_le_bytes());
            b[8..12].copy_from_slice(&c.last.to_le_bytes());
            b[12..16].copy_from_slice(&c.n.to_le_bytes());
            b[16..24].copy_from_slice(&c.offset.to_le_bytes());
            b[24..28].copy_from_slice(&c.clen.to_le_bytes());
            b[28..32].copy_from_slice(&c.ulen.to_le_bytes());
            b[32..40].copy_from_slice(&c.checksum.to_le_bytes());
            self.hasher.update(&b);
            self.out.write_all(&b).map_err(io)?;
        }
        self.out
            .write_all(&index_offset.to_le_bytes())
            .map_err(io)?;
        self.out
            .write_all(&(self.index.len() as u64).to_le_bytes())
            .map_err(io)?;
        self.out
            .write_all(&self.hasher.digest().to_le_bytes())
            .map_err(io)?;
        self.out.write_all(FOOTER_MAGIC).map_err(io)?;
        self.out.flush().map_err(io)?;
        Ok((self.records, self.index.len() as u64))
    }
}

fn key_order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    (a.key.pos, &a.key.reference, &a.key.alternate).cmp(&(
        b.key.pos,
        &b.key.reference,
        &b.key.alternate,
    ))
}

/// Compiles a VCF/TSV source into a store at `out`.
///
/// Input files are read in order; records are normalised (split, trimmed) like the analysed
/// VCF. Each chromosome must be contiguous within a file; positions may be unsorted (the
/// chromosome is then sorted in memory, which for a gnomAD-scale chromosome 1 needs about
/// 100 bytes per record), and sorted input is flushed as it goes. Duplicate keys are merged
/// (scores: maximum; ClinVar: first); in a frequency source they must carry the same values.
/// The store records the TOML's `assembly`, or else the assembly the VCF `##contig` lengths
/// show, so that an analysis of the other assembly refuses it.
///
/// Errors: a configured INFO key or column missing from an input's header (see
/// [`super::SourceSet::open`]), any parse error of the inputs (file and line), I/O errors,
/// overlapping blocks, inputs that give no record at all; a `##contig` length of the other
/// assembly than the declared one (file and line; lengths matching neither assembly are a
/// warning); two records of one variant with different
/// values in a frequency source (both lines named).
pub fn build_store(src: &ResolvedSource, out: &Path) -> Result<BuildSummary> {
    let mut warnings = super::keys::check_source_keys(src)?;
    let inputs: Vec<(PathBuf, u64)> = src
        .paths
        .iter()
        .map(|p| {
            std::fs::metadata(p)
                .map(|m| (p.clone(), m.len()))
                .map_err(|e| Error::io(p, e))
        })
        .collect::<Result<_>>()?;
    // the assembly recorded in the store (checked when it is opened for an analysis): the
    // declared one, whose ##contig lengths must agree, else the one the lengths show
    let mut source = src.clone();
    match src.assembly {
        Some(a) => {
            for p in &src.paths {
                warnings.extend(super::checks::check_contig_lengths(src, p, a)?);
            }
        }
        None => {
            source.assembly = super::checks::contig_assembly(src)?;
            if src.format == super::config::SourceFormat::Vcf {
                for p in &src.paths {
                    let contigs = super::checks::read_vcf_contigs(p)?;
                    warnings.extend(super::checks::unknown_contig_lengths(src, p, &contigs));
                }
            }
        }
    }
    let meta = StoreMeta {
        version: STORE_VERSION,
        source,
        inputs,
        created_by: format!("odyssey-variant {}", env!("CARGO_PKG_VERSION")),
    };
    let mut w = StoreWriter::create(out, &meta)?;
    let mut lines = 0u64;
    for path in &src.paths {
        let mut pending: Vec<Entry> = Vec::new();
        let mut chrom: Option<Chrom> = None;
        let mut last_orig = 0u32;
        let mut sorted = true;
        let mut done: Vec<Chrom> = Vec::new();
        let drain_all = |pending: &mut Vec<Entry>, w: &mut StoreWriter| -> Result<()> {
            pending.sort_by(key_order);
            for e in pending.drain(..) {
                w.push(&e)?;
            }
            Ok(())
        };
        for_each_line(src, path, |entries, c, p, _| {
            lines += 1;
            if chrom != Some(c) {
                drain_all(&mut pending, &mut w)?;
                if done.contains(&c) {
                    return Err(Error::parse(
                        path,
                        Location::File,
                        format!("chromosome {c} appears again after other chromosomes: group the input by chromosome (e.g. bcftools sort)"),
                    ));
                }
                if let Some(prev) = chrom {
                    done.push(prev);
                }
                chrom = Some(c);
                last_orig = 0;
                sorted = true;
            }
            if p < last_orig {
                sorted = false;
            }
            last_orig = last_orig.max(p);
            pending.append(entries);
            if sorted && pending.len() >= 1 << 20 {
                // everything before the current input position is final
                pending.sort_by(key_order);
                let cut = pending.partition_point(|e| e.key.pos < p);
                for e in pending.drain(..cut) {
                    w.push(&e)?;
                }
            }
            Ok(())
        })?;
        drain_all(&mut pending, &mut w)?;
    }
    if let Some(key) = w.conflict.take() {
        let _ = std::fs::remove_file(out);
        return Err(super::checks::conflict_error(src, &key));
    }
    let (records, chunks) = w.finish()?;
    if records == 0 {
        let _ = std::fs::remove_file(out);
        return Err(Error::parse(
            &src.paths[0],
            Location::File,
            format!(
                "source {:?}: {lines} data lines on primary chromosomes gave 0 records (expected at least one with a value: check the keys or columns, FILTER = PASS, and the contig names)",
                src.name
            ),
        ));
    }
    let bytes = std::fs::metadata(out).map_err(|e| Error::io(out, e))?.len();
    Ok(BuildSummary {
        path: out.to_path_buf(),
        records,
        chunks,
        input_lines: lines,
        bytes,
        warnings,
    })
}

struct Decoded {
    pos: Vec<u32>,
    codes: Vec<u32>,
    overflow: Vec<(Box<str>, Box<str>)>,
    values: Vec<f32>,
    n: usize,
}

/// A memory-mapped store opened for lookups.
pub struct StoreReader {
    path: PathBuf,
    mmap: Mmap,
    meta: StoreMeta,
    index: Vec<ChunkEntry>,
    current: Option<(usize, Decoded)>,
    result: Vec<f32>,
    /// Chunks decompressed so far.
    pub(crate) chunks_decoded: u64,
}

fn le_u32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}
fn le_u64(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().unwrap())
}

/// Checks a store image's header, footer, checksum and chunk index (module docs); returns the
/// metadata and the index. Every size is checked against the image before it is used.
fn check_image(b: &[u8], path: &Path) -> Result<(StoreMeta, Vec<ChunkEntry>)> {
    let bad = |m: &str| Error::parse(path, Location::File, m.to_string());
    if b.len() < 16 || &b[..8] != MAGIC {
        return Err(bad("not an Odyssey store (expected the 'ODYSTORE' magic; build one with `odyssey sources build`)"));
    }
    let version = le_u32(b, 8);
    if version != STORE_VERSION {
        return Err(bad(&format!(
            "store format version {version}, this build reads version {STORE_VERSION}: rebuild it"
        )));
    }
    let meta_end = 16 + le_u32(b, 12) as usize;
    if meta_end + FOOTER > b.len() {
        return Err(bad("truncated store header"));
    }
    let end = b.len();
    if &b[end - 8..] != FOOTER_MAGIC {
        return Err(bad(
            "truncated store (footer missing): the build did not finish",
        ));
    }
    let index_offset = le_u64(b, end - FOOTER);
    let count = le_u64(b, end - FOOTER + 8);
    let index_end = (end - FOOTER) as u64;
    if index_offset < meta_end as u64
        || count
            .checked_mul(INDEX_ENTRY as u64)
            .and_then(|x| x.checked_add(index_offset))
            != Some(index_end)
    {
        return Err(bad(
            "corrupt store index (sizes in the footer do not fit the file)",
        ));
    }
    let (index_offset, count) = (index_offset as usize, count as usize);
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&b[..meta_end]);
    hasher.update(&b[index_offset..end - FOOTER]);
    if hasher.digest() != le_u64(b, end - 16) {
        return Err(bad("checksum mismatch in the store header or index: the file is damaged; rebuild it with `odyssey sources build`"));
    }
    let meta: StoreMeta = serde_json::from_slice(&b[16..meta_end])
        .map_err(|e| bad(&format!("invalid store metadata: {e}")))?;
    let mut index: Vec<ChunkEntry> = Vec::with_capacity(count);
    for i in 0..count {
        let e = &b[index_offset + i * INDEX_ENTRY..index_offset + (i + 1) * INDEX_ENTRY];
        let c = ChunkEntry {
            chrom: e[0],
            first: le_u32(e, 4),
            last: le_u32(e, 8),
            n: le_u32(e, 12),
            offset: le_u64(e, 16),
            clen: le_u32(e, 24),
            ulen: le_u32(e, 28),
            checksum: le_u64(e, 32),
        };
        let inside = c.offset >= meta_end as u64
            && c.offset.saturating_add(u64::from(c.clen)) <= index_offset as u64;
        let ordered = index
            .last()
            .is_none_or(|p: &ChunkEntry| (p.chrom, p.last) < (c.chrom, c.first));
        if !inside
            || c.chrom >= 25
            || c.first > c.last
            || c.n == 0
            || c.ulen > MAX_CHUNK_BYTES
            || !ordered
        {
            return Err(bad(&format!("corrupt store index entry {}", i + 1)));
        }
        index.push(c);
    }
    Ok((meta, index))
}

impl StoreReader {
    /// Opens and checks a store.
    /// Errors: not a store, unsupported version, truncated file or index.
    pub fn open(path: &Path) -> Result<StoreReader> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        // SAFETY: the file is opened read-only and not modified while mapped; stores are
        // written once by `build_store`.
        let mmap = unsafe { Mmap::map(&file) }.map_err(|e| Error::io(path, e))?;
        let (meta, index) = check_image(&mmap[..], path)?;
        Ok(StoreReader {
            path: path.to_path_buf(),
            mmap,
            meta,
            index,
            current: None,
            result: Vec::new(),
            chunks_decoded: 0,
        })
    }

    /// The metadata.
    pub fn meta(&self) -> &StoreMeta {
        &self.meta
    }

    /// Total records (sum over chunks).
    pub fn records(&self) -> u64 {
        self.index.iter().map(|c| u64::from(c.n)).sum()
    }

    fn decode(&self, i: usize) -> Result<Decoded> {
        let c = self.index[i];
        let data = &self.mmap[c.offset as usize..(c.offset + u64::from(c.clen)) as usize];
        let bad = |m: &str| {
            Error::parse(
                &self.path,
                Location::Record(i as u64 + 1),
                format!("corrupt chunk (the file is damaged; rebuild it with `odyssey sources build`): {m}"),
            )
        };
        if xxhash_rust::xxh3::xxh3_64(data) != c.checksum {
            return Err(bad("checksum mismatch"));
        }
        let raw = zstd::bulk::decompress(data, c.ulen as usize).map_err(|e| bad(&e.to_string()))?;
        if raw.len() != c.ulen as usize {
            return Err(bad("uncompressed length differs from the index"));
        }
        if raw.len() < 12 {
            return Err(bad("too short"));
        }
        let n = le_u32(&raw, 0) as usize;
        let nf = le_u32(&raw, 4) as usize;
        let no = le_u32(&raw, 8) as usize;
        let mut at = 12;
        if n != c.n as usize || no > n || raw.len() < at + n * 8 {
            return Err(bad("record count"));
        }
        let mut pos = Vec::with_capacity(n);
        let mut p = 0u32;
        for k in 0..n {
            p = p
                .checked_add(le_u32(&raw, at + 4 * k))
                .ok_or_else(|| bad("position overflow"))?;
            pos.push(p);
        }
        if pos.first() != Some(&c.first) || pos.last() != Some(&c.last) {
            return Err(bad("positions differ from the index"));
        }
        at += 4 * n;
        let codes: Vec<u32> = (0..n).map(|k| le_u32(&raw, at + 4 * k)).collect();
        at += 4 * n;
        let mut overflow = Vec::with_capacity(no);
        for _ in 0..no {
            if raw.len() < at + 4 {
                return Err(bad("overflow alleles"));
            }
            let rl = u16::from_le_bytes([raw[at], raw[at + 1]]) as usize;
            let al = u16::from_le_bytes([raw[at + 2], raw[at + 3]]) as usize;
            at += 4;
            if raw.len() < at + rl + al {
                return Err(bad("overflow alleles"));
            }
            let r = String::from_utf8_lossy(&raw[at..at + rl]).into();
            let a = String::from_utf8_lossy(&raw[at + rl..at + rl + al]).into();
            at += rl + al;
            overflow.push((r, a));
        }
        if codes
            .iter()
            .any(|&c| c & OVERFLOW == OVERFLOW && (c & !OVERFLOW) as usize >= no)
        {
            return Err(bad("allele code points past the overflow list"));
        }
        if raw.len() != at + nf * n * 4 || nf != self.meta.source.fields.len() {
            return Err(bad("value columns"));
        }
        let values = (0..nf * n)
            .map(|k| f32::from_le_bytes(raw[at + 4 * k..at + 4 * k + 4].try_into().unwrap()))
            .collect();
        Ok(Decoded {
            pos,
            codes,
            overflow,
            values,
            n,
        })
    }

    /// Values for `key` (in the order of [`ResolvedSource::field_names`]), or `None`.
    pub fn get(&mut self, key: &VariantKey) -> Result<Option<&[f32]>> {
        let chrom = key.chrom.index() as u8;
        let covers = |c: &ChunkEntry| c.chrom == chrom && c.first <= key.pos && key.pos <= c.last;
        let ci = match &self.current {
            Some((i, _)) if covers(&self.index[*i]) => *i,
            _ => {
                let k = self
                    .index
                    .partition_point(|c| (c.chrom, c.first) <= (chrom, key.pos));
                if k == 0 || !covers(&self.index[k - 1]) {
                    return Ok(None);
                }
                let d = self.decode(k - 1)?;
                self.chunks_decoded += 1;
                self.current = Some((k - 1, d));
                k - 1
            }
        };
        let d = &self.current.as_ref().expect("decoded").1;
        let _ = ci;
        let start = d.pos.partition_point(|&p| p < key.pos);
        let packed = pack(&key.reference, &key.alternate);
        let mut hit = None;
        for j in start..d.n {
            if d.pos[j] != key.pos {
                break;
            }
            let c = d.codes[j];
            let eq = match packed {
                Some(q) => c == q,
                None => {
                    c & OVERFLOW == OVERFLOW && {
                        let (r, a) = &d.overflow[(c & !OVERFLOW) as usize];
                        **r == *key.reference && **a == *key.alternate
                    }
                }
            };
            if eq {
                hit = Some(j);
                break;
            }
        }
        let Some(j) = hit else { return Ok(None) };
        self.result.clear();
        let nf = self.meta.source.fields.len();
        for f in 0..nf {
            self.result.push(d.values[f * d.n + j]);
        }
        Ok(Some(&self.result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::config::parse_sources_toml;

    #[test]
    fn packing_is_injective_on_small_alleles() {
        let alleles = [
            "A",
            "C",
            "G",
            "T",
            "AC",
            "CA",
            "AAA",
            "AAAAAAAAAAA",
            "ACGTACGTACG",
        ];
        let mut seen = std::collections::HashSet::new();
        for r in alleles {
            for a in alleles {
                if let Some(c) = pack(r, a) {
                    assert!(seen.insert(c), "{r}>{a}");
                    assert!(c & OVERFLOW != OVERFLOW);
                }
            }
        }
        assert_eq!(pack("AAAAAAAAAAAA", "A"), None);
        assert_eq!(pack("N", "A"), None);
    }

    #[test]
    fn build_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let vcf = dir.path().join("f.vcf");
        // chr2 before chr1, unsorted positions within chr1, a multi-allelic record, a long
        // indel (overflow), a duplicate key, and many records to force several chunks
        let mut text = String::from(
            "##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
        );
        text.push_str("2\t50\t.\tA\tG\t.\tPASS\tAF=0.5\n");
        for i in 0..70_000u32 {
            text.push_str(&format!(
                "1\t{}\t.\tC\tT\t.\tPASS\tAF={}\n",
                1000 + i,
                f64::from(i) * 1e-6
            ));
        }
        text.push_str("1\t500\t.\tAT\tA,ATT\t.\tPASS\tAF=0.1,0.2\n");
        text.push_str("1\t600\t.\tACGTACGTACGTA\tA\t.\tPASS\tAF=0.3\n");
        std::fs::write(&vcf, text).unwrap();
        let toml = format!(
            "[[source]]\nname='f'\nrole='frequency'\npath='{}'\n",
            vcf.display()
        );
        let src = parse_sources_toml(&toml, &dir.path().join("s.toml"))
            .unwrap()
            .1
            .remove(0);
        let out = dir.path().join("f.ostore");
        let s = build_store(&src, &out).unwrap();
        assert_eq!(s.records, 70_004);
        assert!(s.chunks >= 3, "{}", s.chunks);
        let mut r = StoreReader::open(&out).unwrap();
        assert_eq!(r.records(), 70_004);
        let k = |c: u8, p: u32, a: &str, b: &str| {
            VariantKey::new(Chrom::autosome(c).unwrap(), p, a, b).unwrap()
        };
        assert_eq!(
            r.get(&k(1, 500, "AT", "A")).unwrap().map(|v| v[0]),
            Some(0.1)
        );
        assert_eq!(
            r.get(&k(1, 500, "A", "AT")).unwrap().map(|v| v[0]),
            Some(0.2)
        );
        assert_eq!(
            r.get(&k(1, 600, "ACGTACGTACGTA", "A"))
                .unwrap()
                .map(|v| v[0]),
            Some(0.3)
        );
        assert_eq!(r.get(&k(1, 600, "ACGTACGTACGTA", "C")).unwrap(), None);
        assert_eq!(
            r.get(&k(1, 1000 + 65_600, "C", "T")).unwrap().map(|v| v[0]),
            Some(65_600.0 * 1e-6)
        );
        assert_eq!(r.get(&k(1, 1000 + 65_600, "C", "G")).unwrap(), None);
        assert_eq!(r.get(&k(1, 999_999, "C", "T")).unwrap(), None);
        assert_eq!(r.get(&k(2, 50, "A", "G")).unwrap().map(|v| v[0]), Some(0.5));
        assert_eq!(r.get(&k(3, 50, "A", "G")).unwrap(), None);
        // backwards lookups work too
        assert_eq!(
            r.get(&k(1, 1001, "C", "T")).unwrap().map(|v| v[0]),
            Some(1e-6)
        );
        // missing fields are NaN
        assert!(r.get(&k(1, 1001, "C", "T")).unwrap().unwrap()[2].is_nan());
    }

    #[test]
    fn rejects_garbage_and_truncation() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.ostore");
        std::fs::write(&p, vec![0u8; 100]).unwrap();
        assert!(StoreReader::open(&p)
            .err()
            .unwrap()
            .to_string()
            .contains("not an Odyssey store"));
        let mut b = b"ODYSTORE".to_vec();
        b.extend_from_slice(&STORE_VERSION.to_le_bytes());
        b.extend_from_slice(&[0u8; 60]);
        std::fs::write(&p, b).unwrap();
        assert!(StoreReader::open(&p).is_err());
    }
}
