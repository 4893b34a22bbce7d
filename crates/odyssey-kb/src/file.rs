//! The compiled knowledge base file format (`.odkb`).
//!
//! Layout, all integers little-endian:
//!
//! | bytes  | content                                             |
//! |--------|-----------------------------------------------------|
//! | 0..8   | magic `ODYSSKB\0`                                   |
//! | 8..12  | format version (u32), [`FORMAT_VERSION`]            |
//! | 12..20 | xxh3-64 checksum of the payload (u64)               |
//! | 20..28 | payload length in bytes (u64)                       |
//! | 28..   | payload: zstd-compressed postcard encoding of the KB |
//!
//! Version 1: the payload is the postcard record alone. Version 2 (written only when the
//! knowledge base records a calibration or case reports, [`crate::Supplement`]): the postcard
//! record followed by the supplement as JSON (self-describing, so fields can be added). Both
//! are read; a plain HPO build is still written as version 1, byte for byte as before.
//!
//! A file whose magic, version, length or checksum does not match is rejected before decoding.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};
use crate::kb::KnowledgeBase;

/// Magic bytes at the start of every compiled knowledge base.
pub const MAGIC: &[u8; 8] = b"ODYSSKB\0";
/// Newest version of the file layout and payload schema (bumped on any incompatible change);
/// versions 1 (no supplement) and 2 (with a supplement) are read.
pub const FORMAT_VERSION: u32 = 2;
const HEADER: usize = 28;

impl KnowledgeBase {
    /// Serialises to the `.odkb` format (see the module docs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = postcard::to_allocvec(self).expect("in-memory KB always serialises");
        let version = if self.supplement.is_empty() {
            1
        } else {
            serde_json::to_writer(&mut raw, &self.supplement)
                .expect("the supplement always serialises");
            2
        };
        let payload = zstd::bulk::compress(&raw, 19).expect("zstd compression of a buffer");
        let mut out = Vec::with_capacity(HEADER + payload.len());
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&u32::to_le_bytes(version));
        out.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// Parses a `.odkb` image; `source_name` (a path or `embedded`) is used in errors.
    ///
    /// Errors: [`Error::BadKb`] for a wrong magic, an unsupported format version, a truncated
    /// file, a checksum mismatch or a payload that does not decode.
    pub fn from_bytes(bytes: &[u8], source_name: &str) -> Result<KnowledgeBase> {
        let bad = |message: String| Error::BadKb {
            source_name: source_name.to_string(),
            message,
        };
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(bad("not an Odyssey knowledge base (wrong magic bytes); build one with `odyssey kb build`".into()));
        }
        if bytes.len() < HEADER {
            return Err(bad(format!(
                "truncated: {} bytes, shorter than the {HEADER}-byte header",
                bytes.len()
            )));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
        if !(1..=FORMAT_VERSION).contains(&version) {
            return Err(bad(format!("format version {version}, this Odyssey reads versions 1 to {FORMAT_VERSION}; rebuild it with `odyssey kb build`")));
        }
        let checksum = u64::from_le_bytes(bytes[12..20].try_into().unwrap());
        let len = u64::from_le_bytes(bytes[20..28].try_into().unwrap());
        let payload = &bytes[HEADER..];
        if payload.len() as u64 != len {
            return Err(bad(format!(
                "truncated or padded: payload is {} bytes, header says {len}",
                payload.len()
            )));
        }
        if xxhash_rust::xxh3::xxh3_64(payload) != checksum {
            return Err(bad("checksum mismatch: the file is damaged".into()));
        }
        let raw = zstd::stream::decode_all(payload)
            .map_err(|e| bad(format!("decompression failed: {e}")))?;
        let (mut kb, rest): (KnowledgeBase, &[u8]) =
            postcard::take_from_bytes(&raw).map_err(|e| bad(format!("decoding failed: {e}")))?;
        if version >= 2 {
            let supplement: crate::Supplement = serde_json::from_slice(rest).map_err(|e| {
                bad(format!(
                    "decoding the supplement (calibration, case reports) failed: {e}"
                ))
            })?;
            supplement
                .check()
                .map_err(|e| bad(format!("supplement: {e}")))?;
            kb.supplement = supplement;
        } else if !rest.is_empty() {
            // the version is outside the checksum: a version-2 file whose version field reads
            // 1 would otherwise lose its calibration and case report ids silently
            return Err(bad(format!(
                "{} bytes after the main record of a version-1 file (a supplement?): the header's version field is damaged",
                rest.len()
            )));
        }
        kb.check().map_err(bad)?;
        Ok(kb.with_equivalents())
    }

    /// The checksum recorded in a `.odkb` image's header, as 16 hex digits (provenance).
    pub fn image_checksum(bytes: &[u8]) -> Option<String> {
        (bytes.len() >= HEADER && &bytes[..8] == MAGIC).then(|| {
            format!(
                "{:016x}",
                u64::from_le_bytes(bytes[12..20].try_into().unwrap())
            )
        })
    }

    /// Loads a compiled knowledge base file ([`KnowledgeBase::read_image`], then decoded and
    /// checked as [`KnowledgeBase::from_bytes`]).
    pub fn load(path: &Path) -> Result<KnowledgeBase> {
        let bytes = Self::read_image(path)?;
        Self::from_bytes(&bytes, &path.display().to_string())
    }

    /// Reads a compiled knowledge base file's bytes without decoding them: the 28-byte header
    /// first (magic, declared length checked against the file size), then exactly the
    /// declared payload, so that `/dev/zero` or an oversized file fails after the header
    /// instead of being read whole.
    ///
    /// Errors: [`Error::Io`] naming the file; [`Error::BadKb`] for wrong magic bytes or a file
    /// size that differs from the header's.
    pub fn read_image(path: &Path) -> Result<Vec<u8>> {
        use std::io::Read;
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let bad = |message: String| Error::BadKb {
            source_name: path.display().to_string(),
            message,
        };
        let mut f = std::fs::File::open(path).map_err(io)?;
        let mut head = Vec::with_capacity(HEADER);
        (&mut f)
            .take(HEADER as u64)
            .read_to_end(&mut head)
            .map_err(io)?;
        if head.len() < 8 || &head[..8] != MAGIC {
            return Err(bad("not an Odyssey knowledge base (wrong magic bytes); build one with `odyssey kb build`".into()));
        }
        if head.len() < HEADER {
            return Err(bad(format!(
                "truncated: {} bytes, shorter than the {HEADER}-byte header",
                head.len()
            )));
        }
        let len = u64::from_le_bytes(head[20..28].try_into().unwrap());
        let size = f.metadata().map_err(io)?;
        if size.is_file() && size.len() != HEADER as u64 + len {
            return Err(bad(format!(
                "truncated or padded: file is {} bytes, header says {}",
                size.len(),
                HEADER as u64 + len
            )));
        }
        let mut bytes = head;
        f.take(len.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(io)?;
        Ok(bytes)
    }

    /// Writes the compiled file, through a temporary file renamed into place so that an
    /// interrupted write never leaves a damaged file under `path`.
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| Error::Io {
            path: path.to_path_buf(),
            source,
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(&self.to_bytes())
            .and_then(|_| f.sync_all())
            .map_err(io)?;
        std::fs::rename(&tmp, path).map_err(io)
    }
}
