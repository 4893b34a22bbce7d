//! What a knowledge base records besides its annotations (calibration, case report ids):
//! written with it (format version 2) and read back; older files (version 1, written before
//! the supplement existed, e.g. the embedded image) still read, with nothing recorded.

use std::path::Path;

use odyssey_kb::{ExtraKnowledge, KnowledgeBase, ProbabilityCalibration};

fn mini() -> KnowledgeBase {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    KnowledgeBase::build(&dir).unwrap().0
}

fn calibration() -> ProbabilityCalibration {
    ProbabilityCalibration {
        temperature: 3.5,
        term_decay: 0.65,
        pretest_unknown: 0.125,
        rank_mixture: 0.15,
        rank_prior: 0.5,
        fitted: "a test".into(),
    }
}

/// The format version in a `.odkb` image's header (bytes 8..12, little-endian).
fn version(bytes: &[u8]) -> u32 {
    u32::from_le_bytes(bytes[8..12].try_into().unwrap())
}

#[test]
fn a_calibration_written_with_the_kb_reads_back() {
    let mut kb = mini();
    assert_eq!(kb.calibration(), None);
    kb.set_calibration(Some(calibration())).unwrap();
    let bytes = kb.to_bytes();
    assert_eq!(version(&bytes), 2);
    let back = KnowledgeBase::from_bytes(&bytes, "t.odkb").unwrap();
    assert_eq!(back.calibration(), Some(&calibration()));
    assert_eq!(back, kb);
    // and through a file
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("c.odkb");
    kb.save(&path).unwrap();
    assert_eq!(
        KnowledgeBase::load(&path).unwrap().calibration(),
        Some(&calibration())
    );
    // removing it writes a version-1 file again, byte for byte the plain build's
    kb.set_calibration(None).unwrap();
    assert_eq!(kb.to_bytes(), mini().to_bytes());
}

#[test]
fn a_plain_build_is_still_a_version_1_file_without_calibration() {
    let bytes = mini().to_bytes();
    assert_eq!(version(&bytes), 1);
    let kb = KnowledgeBase::from_bytes(&bytes, "t.odkb").unwrap();
    assert_eq!(kb.calibration(), None);
    assert!(kb.case_reports().is_empty());
    // the embedded image was written before the supplement existed (version 1)
    let image = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/kb/hpo-2025-01-16.odkb");
    assert_eq!(version(&std::fs::read(image).unwrap()), 1);
    let e = KnowledgeBase::embedded().unwrap();
    assert_eq!(e.calibration(), None);
    assert!(e.case_reports().is_empty());
}

#[test]
fn out_of_range_calibrations_are_refused() {
    let mut kb = mini();
    for (t, k, p, e, c, what) in [
        (0.0, 0.8, 0.0, 0.0, 0.0, "temperature θ 0"),
        (f64::NAN, 0.8, 0.0, 0.0, 0.0, "temperature θ NaN"),
        (7.0, -0.1, 0.0, 0.0, 0.0, "term decay κ -0.1"),
        (7.0, 0.8, 1.0, 0.0, 0.0, "pretest probability p_u 1"),
        (7.0, 0.8, 0.0, 1.0, 0.5, "rank mixture ε 1"),
        (7.0, 0.8, 0.0, -0.1, 0.5, "rank mixture ε -0.1"),
        (7.0, 0.8, 0.0, 0.1, 0.7, "rank prior c 0.7"),
        (7.0, 0.8, 0.0, 0.1, f64::NAN, "rank prior c NaN"),
    ] {
        let c = ProbabilityCalibration {
            temperature: t,
            term_decay: k,
            pretest_unknown: p,
            rank_mixture: e,
            rank_prior: c,
            fitted: String::new(),
        };
        let e = kb.set_calibration(Some(c)).unwrap_err();
        assert!(e.contains(what), "{e}");
    }
    assert_eq!(kb.calibration(), None);
}

#[test]
fn case_report_ids_are_recorded_sorted_and_looked_up() {
    let extra = ExtraKnowledge {
        name: "case-knowledge".into(),
        description: "test".into(),
        records: Vec::new(),
        gene_links: Vec::new(),
        case_reports: vec!["PMID_2_b".into(), "PMID_1_a".into(), "PMID_2_b".into()],
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini");
    let (kb, _) = KnowledgeBase::build_with(&dir, None, Some(&extra)).unwrap();
    assert_eq!(kb.case_reports(), ["PMID_1_a", "PMID_2_b"]);
    let back = KnowledgeBase::from_bytes(&kb.to_bytes(), "t").unwrap();
    assert_eq!(back.case_reports(), ["PMID_1_a", "PMID_2_b"]);
    assert!(back.holds_case_report("PMID_1_a") && back.holds_case_report("PMID_2_b"));
    assert!(!back.holds_case_report("PMID_1") && !back.holds_case_report(""));
}

#[test]
fn a_damaged_supplement_is_an_error_naming_it() {
    // a version-2 payload whose supplement is not JSON: rebuild the image by hand (zstd of
    // the postcard record followed by bad bytes, checksum recomputed) from the version-1
    // image of the same knowledge base
    let plain = mini().to_bytes();
    let raw = zstd::stream::decode_all(&plain[28..]).unwrap();
    let mut bad = raw.clone();
    bad.extend_from_slice(b"{not json");
    let payload = zstd::bulk::compress(&bad, 3).unwrap();
    let mut img = plain[..8].to_vec();
    img.extend_from_slice(&2u32.to_le_bytes());
    img.extend_from_slice(&xxhash_rust::xxh3::xxh3_64(&payload).to_le_bytes());
    img.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    img.extend_from_slice(&payload);
    let e = KnowledgeBase::from_bytes(&img, "bad.odkb")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("bad.odkb") && e.contains("decoding the supplement"),
        "{e}"
    );
}

/// A calibration record written before the gene-rank prior existed (no `rank_mixture`,
/// `rank_prior`) reads as ε = 0, c = 0: the probabilities it gave are unchanged.
#[test]
fn calibration_without_rank_prior_fields_reads_as_none() {
    let old = r#"{"temperature":7.0,"term_decay":0.7,"pretest_unknown":0.0,"fitted":"old"}"#;
    let c: ProbabilityCalibration = serde_json::from_str(old).unwrap();
    assert_eq!((c.rank_mixture, c.rank_prior), (0.0, 0.0));
    assert_eq!(c.check(), Ok(()));
    assert_eq!(c.short(), "θ 7, κ 0.7, p_u 0, no gene-rank prior");
    let new = ProbabilityCalibration {
        rank_mixture: 0.15,
        rank_prior: 0.5,
        ..c
    };
    assert_eq!(new.short(), "θ 7, κ 0.7, p_u 0, ε 0.15, c 0.5");
}

/// The version field is outside the checksum: a version-2 image whose version reads 1 is
/// refused (its supplement would otherwise be dropped silently), and a file shorter than the
/// header but with the right magic is called truncated, not foreign.
#[test]
fn a_damaged_version_field_is_refused_not_read_without_the_supplement() {
    let mut kb = mini();
    kb.set_calibration(Some(calibration())).unwrap();
    let mut bytes = kb.to_bytes();
    assert_eq!(version(&bytes), 2);
    bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
    let e = KnowledgeBase::from_bytes(&bytes, "v.odkb")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("v.odkb") && e.contains("version field is damaged"),
        "{e}"
    );
    // a genuine version-1 file still reads
    let plain = mini().to_bytes();
    assert_eq!(version(&plain), 1);
    assert!(KnowledgeBase::from_bytes(&plain, "p.odkb").is_ok());
    let e = KnowledgeBase::from_bytes(&plain[..27], "t.odkb")
        .unwrap_err()
        .to_string();
    assert!(e.contains("truncated: 27 bytes"), "{e}");
}
