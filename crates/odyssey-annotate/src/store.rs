//! The compiled reference-data file: transcript models (+ optional sequence) for one assembly.
//!
//! Layout: the 8-byte magic `ODYREFDT`, a little-endian `u32` format version, then one zstd frame
//! holding the postcard encoding of [`RefData`]. A reader refuses other magics or versions with
//! [`Error::BadStore`] instead of misreading them.

use std::io::{Read, Write};
use std::path::Path;

use odyssey_genome::Assembly;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::model::Transcript;
use crate::seq::SequenceStore;

/// File magic of compiled reference data.
pub const MAGIC: &[u8; 8] = b"ODYREFDT";
/// Format version written and read by this build. Bump on any change of [`RefData`]'s shape.
pub const FORMAT_VERSION: u32 = 1;

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
        w.write_all(MAGIC)?;
        w.write_all(&FORMAT_VERSION.to_le_bytes())?;
        let body = postcard::to_allocvec(self).map_err(std::io::Error::other)?;
        let mut enc = zstd::stream::Encoder::new(w, level)?;
        enc.write_all(&body)?;
        enc.finish()?;
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
    pub fn from_bytes(bytes: &[u8], origin: &Path) -> Result<Self, Error> {
        let bad = |found: String| Error::BadStore {
            path: origin.to_path_buf(),
            expected: FORMAT_VERSION,
            found,
        };
        if bytes.len() < 12 || &bytes[..8] != MAGIC {
            return Err(bad("missing ODYREFDT magic".into()));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(bad(format!("format version {version}")));
        }
        let mut body = Vec::new();
        zstd::stream::Decoder::new(&bytes[12..])
            .and_then(|mut d| d.read_to_end(&mut body))
            .map_err(|e| bad(format!("corrupt zstd body: {e}")))?;
        postcard::from_bytes(&body).map_err(|e| bad(format!("corrupt body: {e}")))
    }

    /// Reads a compiled file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        Self::from_bytes(&bytes, path)
    }
}
