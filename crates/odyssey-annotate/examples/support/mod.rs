//! Helpers shared by the agreement examples (`#[path = "support/mod.rs"] mod support;`).
#![allow(dead_code)] // each example uses part of it

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use odyssey_annotate::SequenceStore;
use odyssey_genome::{Chrom, VariantKey};

/// A bcftools csq consequence term (a leading `*`, bcftools' mark of a consequence on
/// another record's haplotype, is dropped) as its Sequence Ontology term; `None` for terms
/// with no SO counterpart (`NMD_transcript`) and unknown ones.
pub fn bcftools_so(t: &str) -> Option<&'static str> {
    Some(match t.trim_start_matches('*') {
        "missense" => "missense_variant",
        "synonymous" => "synonymous_variant",
        "frameshift" => "frameshift_variant",
        "splice_region" => "splice_region_variant",
        "splice_donor" => "splice_donor_variant",
        "splice_acceptor" => "splice_acceptor_variant",
        "5_prime_utr" => "5_prime_UTR_variant",
        "3_prime_utr" => "3_prime_UTR_variant",
        "intron" => "intron_variant",
        "coding_sequence" => "coding_sequence_variant",
        "non_coding" => "non_coding_transcript_variant",
        "stop_retained" => "stop_retained_variant",
        "start_retained" => "start_retained_variant",
        "inframe_altering" => "protein_altering_variant",
        "stop_gained" => "stop_gained",
        "stop_lost" => "stop_lost",
        "start_lost" => "start_lost",
        "inframe_deletion" => "inframe_deletion",
        "inframe_insertion" => "inframe_insertion",
        "feature_elongation" => "feature_elongation",
        "feature_truncation" => "feature_truncation",
        _ => return None,
    })
}

/// A sequence store from single reference bases keyed by (chromosome, 1-based position):
/// each run of consecutive positions becomes one stored slice.
pub fn sequence_store(bases: &BTreeMap<(Chrom, u32), u8>) -> SequenceStore {
    let mut store = SequenceStore::new();
    let mut run: Option<(Chrom, u32, Vec<u8>)> = None;
    for (&(c, p), &b) in bases {
        match &mut run {
            Some((rc, rs, v)) if *rc == c && *rs + v.len() as u32 == p => v.push(b),
            _ => {
                if let Some((rc, rs, v)) = run.take() {
                    store.add(rc, rs, &v).unwrap();
                }
                run = Some((c, p, vec![b]));
            }
        }
    }
    if let Some((rc, rs, v)) = run {
        store.add(rc, rs, &v).unwrap();
    }
    store
}

/// The data records of a gzip VCF with their minimal variant key, as (tab-separated fields,
/// key); records whose alleles give no key are skipped.
pub fn gz_vcf_records(path: &Path) -> impl Iterator<Item = (Vec<String>, VariantKey)> {
    let r = BufReader::new(flate2::read::MultiGzDecoder::new(
        std::fs::File::open(path).unwrap(),
    ));
    r.lines()
        .map(Result::unwrap)
        .filter(|l| !l.starts_with('#'))
        .filter_map(|line| {
            let f: Vec<String> = line.split('\t').map(String::from).collect();
            let key =
                VariantKey::new(f[0].parse().unwrap(), f[1].parse().unwrap(), &f[3], &f[4]).ok()?;
            Some((f, key))
        })
}
