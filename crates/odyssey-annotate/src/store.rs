//! The compiled reference-data file: transcript models (+ optional sequence) for one assembly.
//!
//! Layout, all integers little-endian:
//!
//! | bytes  | content                                                      |
//! |--------|--------------------------------------------------------------|
//! | 0..8   | magic `ODYREFDT`                                             |
//! | 8..12  | format version (u32), [`FORMAT_VERSION`]                     |
//! | 12..20 | xxh3-64 checksum of the payload (u64)                        |
//! | 20..28 | payload length in bytes (u64)                                |
//! | 28..   | payload: one zstd frame holding the postcard encoding of [`RefData`] |
//!
//! A reader checks the magic, version and declared length before reading the payload (so
//! `/dev/zero` or a huge file is refused after 28 bytes), then the checksum, then decodes and
//! validates every transcript model; any failure is an [`Error::BadStore`] naming the file.

use std::io::{Read, Write};

use std::path::Path;
use xxhash_rust::xxh3::xxh3_64;

use odyssey_genome::Assembly;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::Transcript;
use crate::seq::SequenceStore;

/// File magic of compiled reference data.
pub const MAGIC: &[u8; 8] = b"ODYREFDT";
/// Format version written and read by this build. Bump on any change of [`RefData`]'s shape.
pub const FORMAT_VERSION: u32 = 2;
/// Header length in bytes (magic, version, checksum, payload length).
pub const HEADER: usize = 28;
/// Largest decoded payload accepted (4 GiB), a bound against decompression bombs.
const MAX_DECODED: u64 = 4 << 30;

/// Provenance of a compiled file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    /// Genome assembly of all coordinates.
    pub assembly: Assembly,
    /// Short provenance label, e.g. `Ensembl 115 GFF3 + GRCh38 FASTA`.
    pub release: String,
    /// Source files (names and sizes) the file was compiled from.
    pub sources: Vec<String>,
    /// Bases of flank kept around each exon when a FASTA was given.
    pub flank: u32,
    /// Odyssey version that wrote the file.
    pub written_by: String,
}

/// Transcript models and optional genomic sequence for one assembly.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RefData {
    /// Provenance.
    pub meta: Meta,
    /// Transcripts, sorted by (chromosome, start, end, id).
    pub transcripts: Vec<Transcript>,
    /// Sequence around exons, when compiled with a FASTA.
    pub sequence: Option<SequenceStore>,
}

impl RefData {
    /// Sorts transcripts into the canonical order and validates each model.
    pub fn new(
        meta: Meta,
        mut transcripts: Vec<Transcript>,
        sequence: Option<SequenceStore>,
    ) -> Result<Self, Error> {
        for t in &transcripts {
            t.validate().map_err(Error::Invalid)?;
        }
        transcripts.sort_by(|a, b| {
            (
                a.chrom,
                a.start(),
                a.end(),
                a.id.as_deref(),
                a.gene_symbol.as_deref(),
            )
                .cmp(&(
                    b.chrom,
                    b.start(),
                    b.end(),
                    b.id.as_deref(),
                    b.gene_symbol.as_deref(),
                ))
        });
        Ok(RefData {
            meta,
            transcripts,
            sequence,
        })
    }

    /// Serialises into the file format described in the module docs (zstd level `level`).
    pub fn write_to<W: Write>(&self, mut w: W, level: i32) -> std::io::Result<()> {
        let body = postcard::to_allocvec(self).map_err(std::io::Error::other)?;
        let payload = zstd::bulk::compress(&body, level)?;
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT_VERSION.to_le_bytes())?;
        w.write_all(&xxh3_64(&payload).to_le_bytes())?;
        w.write_all(&(payload.len() as u64).to_le_bytes())?;
        w.write_all(&payload)?;
        Ok(())
    }

    /// Writes the file at `path`.
    pub fn save(&self, path: &Path, level: i32) -> Result<(), Error> {
        let f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
        let mut w = std::io::BufWriter::new(f);
        self.write_to(&mut w, level)
            .map_err(|e| Error::io(path, e))?;
        w.flush().map_err(|e| Error::io(path, e))
    }

    /// Decodes a compiled file's bytes; `origin` names the source in errors.
    ///
    /// Errors: [`Error::BadStore`] for a wrong magic, another version, a length that differs
    /// from the header's, a checksum mismatch, a body that does not decode or an invalid model.
    pub fn from_bytes(bytes: &[u8], origin: &Path) -> Result<Self, Error> {
        let (checksum, len) = check_header(bytes, origin)?;
        let payload = &bytes[HEADER..];
        if payload.len() as u64 != len {
            return Err(bad_store(
                origin,
                format!(
                    "truncated or padded: payload is {} bytes, header says {len}",
                    payload.len()
                ),
            ));
        }
        decode_payload(payload, checksum, origin)
    }

    /// Reads a compiled file: the header first, then exactly the declared payload.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let mut f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let mut head = [0u8; HEADER];
        let got = read_up_to(&mut f, &mut head).map_err(|e| Error::io(path, e))?;
        let (checksum, len) = check_header(&head[..got], path)?;
        if let Ok(m) = f.metadata() {
            if m.is_file() && m.len() != HEADER as u64 + len {
                return Err(bad_store(
                    path,
                    format!(
                        "truncated or padded: file is {} bytes, header says {}",
                        m.len(),
                        HEADER as u64 + len
                    ),
                ));
            }
        }
        let mut payload = Vec::new();
        f.take(len + 1)
            .read_to_end(&mut payload)
            .map_err(|e| Error::io(path, e))?;
        if payload.len() as u64 != len {
            return Err(bad_store(
                path,
                format!(
                    "truncated or padded: payload is at least {} bytes, header says {len}",
                    payload.len()
                ),
            ));
        }
        decode_payload(&payload, checksum, path)
    }

    /// Checks every model and the canonical order (a damaged file must not reach the
    /// annotator, whose consequence code relies on valid models).
    fn check(&self) -> Result<(), String> {
        for t in &self.transcripts {
            t.validate()?;
        }
        let key = |t: &Transcript| (t.chrom, t.start(), t.end());
        if self.transcripts.windows(2).any(|w| key(&w[0]) > key(&w[1])) {
            return Err("transcripts are not in (chromosome, start, end) order".into());
        }
        Ok(())
    }
}

fn bad_store(path: &Path, found: String) -> Error {
    Error::BadStore {
        path: path.to_path_buf(),
        expected: FORMAT_VERSION,
        found,
    }
}

/// Fills `buf` as far as the reader allows; returns the bytes read.
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Checks magic and version; returns (checksum, payload length).
fn check_header(head: &[u8], origin: &Path) -> Result<(u64, u64), Error> {
    if head.len() < 8 || &head[..8] != MAGIC {
        return Err(bad_store(
            origin,
            "missing ODYREFDT magic: not Odyssey reference data (build it with `odyssey refdata build`)".into(),
        ));
    }
    if head.len() < HEADER {
        return Err(bad_store(
            origin,
            format!("truncated header ({} of {HEADER} bytes)", head.len()),
        ));
    }
    let version = u32::from_le_bytes(head[8..12].try_into().expect("4 bytes"));
    if version != FORMAT_VERSION {
        return Err(bad_store(
            origin,
            format!("format version {version}: rebuild it with `odyssey refdata build`"),
        ));
    }
    let checksum = u64::from_le_bytes(head[12..20].try_into().expect("8 bytes"));
    let len = u64::from_le_bytes(head[20..28].try_into().expect("8 bytes"));
    Ok((checksum, len))
}

fn decode_payload(payload: &[u8], checksum: u64, origin: &Path) -> Result<RefData, Error> {
    if xxh3_64(payload) != checksum {
        return Err(bad_store(
            origin,
            "checksum mismatch: the file is damaged".into(),
        ));
    }
    let mut body = Vec::new();
    zstd::stream::Decoder::new(payload)
        .and_then(|d| d.take(MAX_DECODED + 1).read_to_end(&mut body))
        .map_err(|e| bad_store(origin, format!("corrupt zstd body: {e}")))?;
    if body.len() as u64 > MAX_DECODED {
        return Err(bad_store(
            origin,
            format!("decoded body exceeds {MAX_DECODED} bytes"),
        ));
    }
    let data: RefData =
        postcard::from_bytes(&body).map_err(|e| bad_store(origin, format!("corrupt body: {e}")))?;
    data.check()
        .map_err(|m| bad_store(origin, format!("invalid model: {m}")))?;
    Ok(data)
}
