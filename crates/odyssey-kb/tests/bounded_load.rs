//! Loading a `.odkb` reads the header first and never more than the declared payload
//! (issue 13: `--kb /dev/zero` grew until memory ran out; a valid header with a huge payload
//! was read whole before the size check).

use odyssey_kb::KnowledgeBase;

#[cfg(unix)]
#[test]
fn dev_zero_is_refused_after_the_header() {
    let e = KnowledgeBase::load(std::path::Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("/dev/zero") && e.contains("wrong magic bytes"),
        "{e}"
    );
}

#[test]
fn declared_length_is_checked_against_the_file_size_first() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.odkb");
    let mut b = b"ODYSSKB\0".to_vec();
    b.extend_from_slice(&1u32.to_le_bytes());
    b.extend_from_slice(&0u64.to_le_bytes());
    b.extend_from_slice(&(1u64 << 40).to_le_bytes());
    b.extend_from_slice(b"12345678");
    std::fs::write(&p, &b).unwrap();
    let e = KnowledgeBase::load(&p).unwrap_err().to_string();
    // 28 header bytes + 8 payload bytes on disk; the header declares 28 + 2^40
    assert!(
        e.contains("big.odkb")
            && e.contains("truncated or padded: file is 36 bytes, header says 1099511627804"),
        "{e}"
    );
}

/// A file with the right magic bytes but shorter than the header is called truncated (it was
/// reported as "wrong magic bytes").
#[test]
fn a_file_shorter_than_the_header_is_truncated_not_foreign() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("short.odkb");
    let mut b = b"ODYSSKB\0".to_vec();
    b.extend_from_slice(&2u32.to_le_bytes());
    b.extend_from_slice(&[0u8; 8]);
    std::fs::write(&p, &b).unwrap();
    let e = KnowledgeBase::load(&p).unwrap_err().to_string();
    assert!(e.contains("truncated: 20 bytes"), "{e}");
}
