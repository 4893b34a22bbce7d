//! The knowledge base compiled into the binary: HPO release 2025-01-16.
//!
//! The image is `data/kb/hpo-2025-01-16.odkb` at the repository root, built from the
//! committed release files in `data/hpo/2025-01-16/` with
//! `odyssey kb build --hpo data/hpo/2025-01-16 -o data/kb/hpo-2025-01-16.odkb`.
//! A test rebuilds it from those files and checks that the two agree.

use crate::error::Result;
use crate::kb::KnowledgeBase;

/// The compiled image (zstd-compressed, checksummed; see the `file` module).
pub static EMBEDDED_KB: &[u8] = include_bytes!("../../../data/kb/hpo-2025-01-16.odkb");

impl KnowledgeBase {
    /// Decodes the embedded knowledge base (HPO 2025-01-16). Takes tens of milliseconds;
    /// callers keep the result.
    pub fn embedded() -> Result<KnowledgeBase> {
        KnowledgeBase::from_bytes(EMBEDDED_KB, "embedded")
    }

    /// The checksum of the embedded image (16 hex digits).
    pub fn embedded_checksum() -> String {
        KnowledgeBase::image_checksum(EMBEDDED_KB).unwrap_or_default()
    }
}
