//! Uploaded files, stored by content: `blobs/ab/abcdef…` named by their SHA-256. A file is
//! written to a temporary name, flushed to disk (`fsync`) and renamed before the transaction
//! that refers to it commits, so an acknowledged upload is never missing or half-written, and
//! its checksum is verified when read back for an analysis.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use crate::db::hex;

/// The folder of uploaded files.
#[derive(Clone, Debug)]
pub struct BlobStore {
    dir: PathBuf,
}

/// A stored file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blob {
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
}

/// A file being written: feed it chunks, then [`BlobWriter::finish`].
pub struct BlobWriter {
    tmp: PathBuf,
    file: tokio::fs::File,
    hasher: Sha256,
    size: u64,
    dir: PathBuf,
}

impl BlobStore {
    /// A store in `dir` (created if missing).
    pub fn open(dir: &Path) -> std::io::Result<BlobStore> {
        std::fs::create_dir_all(dir.join("tmp"))?;
        Ok(BlobStore {
            dir: dir.to_path_buf(),
        })
    }

    /// Where a blob lives.
    pub fn path(&self, sha256: &str) -> PathBuf {
        self.dir.join(&sha256[..2.min(sha256.len())]).join(sha256)
    }

    /// Starts writing a new file.
    pub async fn writer(&self) -> std::io::Result<BlobWriter> {
        let tmp = self.dir.join("tmp").join(crate::db::new_id("upload-"));
        let file = tokio::fs::File::create(&tmp).await?;
        Ok(BlobWriter {
            tmp,
            file,
            hasher: Sha256::new(),
            size: 0,
            dir: self.dir.clone(),
        })
    }

    /// Stores bytes in one go.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<Blob> {
        let mut w = self.writer().await?;
        w.write(bytes).await?;
        w.finish().await
    }

    /// Reads a blob back, verifying its checksum.
    pub fn read_verified(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        let path = self.path(sha256);
        let bytes = std::fs::read(&path)?;
        let got = hex(&Sha256::digest(&bytes));
        if got != sha256 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{}: checksum mismatch (stored {sha256}, now {got}): the file was altered",
                    path.display()
                ),
            ));
        }
        Ok(bytes)
    }
}

impl BlobStore {
    /// Links (or copies) a blob to `dest` after verifying its checksum, streaming.
    pub fn read_verified_to(&self, sha256: &str, dest: &Path) -> std::io::Result<()> {
        use std::io::Read;
        let path = self.path(sha256);
        let mut f = std::fs::File::open(&path)?;
        let mut h = Sha256::new();
        let mut buf = vec![0u8; 1 << 20];
        loop {
            let n = f.read(&mut buf)?;
            if n == 0 {
                break;
            }
            h.update(&buf[..n]);
        }
        let got = hex(&h.finalize());
        if got != sha256 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{}: checksum mismatch (stored {sha256}, now {got}): the file was altered",
                    path.display()
                ),
            ));
        }
        if std::fs::hard_link(&path, dest).is_err() {
            std::fs::copy(&path, dest)?;
        }
        Ok(())
    }
}

impl BlobWriter {
    /// Appends a chunk.
    pub async fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        self.file.write_all(chunk).await
    }

    /// Flushes the file to disk and moves it to its content address.
    pub async fn finish(mut self) -> std::io::Result<Blob> {
        self.file.flush().await?;
        self.file.sync_all().await?;
        drop(self.file);
        let sha256 = hex(&self.hasher.finalize());
        let sub = self.dir.join(&sha256[..2]);
        tokio::fs::create_dir_all(&sub).await?;
        let dest = sub.join(&sha256);
        tokio::fs::rename(&self.tmp, &dest).await?;
        // the rename itself must reach the disk too
        let d = tokio::fs::File::open(&sub).await?;
        d.sync_all().await?;
        Ok(Blob {
            sha256,
            size: self.size,
        })
    }

    /// Abandons the file.
    pub async fn discard(self) {
        drop(self.file);
        let _ = tokio::fs::remove_file(&self.tmp).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn stores_by_sha256_and_detects_tampering() {
        let dir = tempfile::tempdir().unwrap();
        let store = BlobStore::open(dir.path()).unwrap();
        let b = store.put(b"abc").await.unwrap();
        // SHA-256("abc"), FIPS 180-2 appendix B.1
        assert_eq!(
            b.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(b.size, 3);
        assert_eq!(store.read_verified(&b.sha256).unwrap(), b"abc");
        std::fs::write(store.path(&b.sha256), b"abd").unwrap();
        let e = store.read_verified(&b.sha256).unwrap_err();
        assert!(e.to_string().contains("checksum mismatch"), "{e}");
    }
}
