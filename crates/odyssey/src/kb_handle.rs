//! A loaded knowledge base with the facts provenance needs.

use std::path::Path;

use odyssey_kb::KnowledgeBase;
use odyssey_report::KnowledgeBaseInfo;

/// The knowledge base and where it came from.
pub struct KbHandle {
    /// The knowledge base.
    pub kb: KnowledgeBase,
    /// `embedded` or the file path.
    pub source: String,
    /// xxh3-64 checksum of the compiled image (hex).
    pub checksum: String,
}

impl KbHandle {
    /// The embedded HPO 2025-01-16 knowledge base.
    pub fn embedded() -> odyssey_kb::Result<KbHandle> {
        Ok(KbHandle {
            kb: KnowledgeBase::embedded()?,
            source: "embedded".into(),
            checksum: KnowledgeBase::embedded_checksum(),
        })
    }

    /// A compiled `.odkb` file, read header first so that a device or an oversized file is
    /// refused before its payload is read ([`KnowledgeBase::read_image`]).
    pub fn load(path: &Path) -> odyssey_kb::Result<KbHandle> {
        let bytes = KnowledgeBase::read_image(path)?;
        let kb = KnowledgeBase::from_bytes(&bytes, &path.display().to_string())?;
        Ok(KbHandle {
            kb,
            source: path.display().to_string(),
            checksum: KnowledgeBase::image_checksum(&bytes).unwrap_or_default(),
        })
    }

    /// `--kb FILE` when given, else the embedded one.
    pub fn open(path: Option<&Path>) -> odyssey_kb::Result<KbHandle> {
        match path {
            Some(p) => Self::load(p),
            None => Self::embedded(),
        }
    }

    /// The knowledge base with a newer HPO release's `hp.obo` (plain or gzip): an observed
    /// term of that release it does not know is analysed as its nearest known ancestors
    /// ([`KnowledgeBase::load_newer_ontology`]).
    ///
    /// Errors: the OBO reader's (file, line), or a file without a release date.
    pub fn with_newer_ontology(mut self, obo: &Path) -> odyssey_kb::Result<KbHandle> {
        self.kb.load_newer_ontology(obo)?;
        Ok(self)
    }

    /// Provenance record.
    pub fn info(&self) -> KnowledgeBaseInfo {
        KnowledgeBaseInfo {
            hpo_release: self.kb.meta().hpo_release.clone(),
            annotations_release: self.kb.meta().annotations_release.clone(),
            source: self.source.clone(),
            checksum: self.checksum.clone(),
            calibration: self.kb.calibration().cloned(),
        }
    }
}
