//! Checks the embedded models against independent gene models:
//! * GRCh38: the Ensembl 84 GFF3 of chr21 (VEP test data) — transcripts with the same stable id
//!   and the same exon chain must have the same CDS;
//! * GRCh37 and GRCh38: the cdot RefSeq models of BRCA1/OPA1 (mehari test data) — MANE models
//!   whose RefSeq match is in cdot must have the same exons and CDS in both assemblies.
//!
//! `cargo run --release -p odyssey-annotate --example check_embedded -- ../shared/data`
use std::collections::HashMap;
use std::path::PathBuf;

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::{Annotator, Transcript};
use odyssey_genome::Assembly;

fn base(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

fn main() {
    let shared = PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: check_embedded SHARED_DATA_DIR"),
    );
    let e38 = Annotator::embedded(Assembly::GRCh38).unwrap();
    let e37 = Annotator::embedded(Assembly::GRCh37).unwrap();
    // Ensembl 84 chr21
    let (ens, _) = build(&BuildOptions {
        models: vec![shared.join("transcripts/vep-testdata/test.gff.gz")],
        fasta: vec![],
        assembly: Assembly::GRCh38,
        label: None,
        flank: 0,
        whole_transcripts: false,
    })
    .unwrap();
    let by_id: HashMap<&str, &Transcript> = ens
        .transcripts
        .iter()
        .filter_map(|t| Some((base(t.id.as_deref()?), t)))
        .collect();
    let (mut same_chain, mut same_cds, mut coding_pairs) = (0, 0, 0);
    for t in &e38.data().transcripts {
        let Some(id) = t.id.as_deref() else { continue };
        let Some(o) = by_id.get(base(id)) else {
            continue;
        };
        if o.exons != t.exons {
            continue;
        }
        same_chain += 1;
        if let (Some(a), Some(b)) = (t.cds(), o.cds()) {
            coding_pairs += 1;
            if (a.start, a.end) == (b.start, b.end) {
                same_cds += 1;
            } else {
                println!(
                    "CDS differs {id}: embedded {}-{} Ensembl84 {}-{}",
                    a.start, a.end, b.start, b.end
                );
            }
        }
    }
    println!("GRCh38 vs Ensembl 84 chr21: {same_chain} transcripts with identical exon chains; CDS identical for {same_cds}/{coding_pairs}");
    let mut failed = same_cds != coding_pairs;
    // cdot RefSeq BRCA1/OPA1
    let cdot: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("annotation-validation/mehari-history/tests/data/db/create/txs/cdot-0.2.12.refseq.grch37_grch38.brca1_opa1.json")).unwrap(),
    )
    .unwrap();
    for (asm, ann) in [("GRCh38", &e38), ("GRCh37", &e37)] {
        let (mut n, mut ok) = (0, 0);
        for t in &ann.data().transcripts {
            let Some(nm) = t.refseq_match.as_deref() else {
                continue;
            };
            let Some(b) = cdot["transcripts"][nm]["genome_builds"][asm].as_object() else {
                continue;
            };
            n += 1;
            let mut ex: Vec<(u32, u32)> = b["exons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    (
                        e[0].as_u64().unwrap() as u32 + 1,
                        e[1].as_u64().unwrap() as u32,
                    )
                })
                .collect();
            ex.sort_unstable();
            let cds = (
                b["cds_start"].as_u64().unwrap() as u32 + 1,
                b["cds_end"].as_u64().unwrap() as u32,
            );
            let ours = t.cds().map(|c| (c.start, c.end));
            if ex == t.exons && ours == Some(cds) {
                ok += 1;
            } else {
                println!(
                    "{asm} {nm}: exons equal {}; CDS ours {ours:?} cdot {cds:?}",
                    ex == t.exons
                );
            }
        }
        println!("{asm} vs cdot RefSeq (BRCA1/OPA1 MANE): {ok}/{n} identical exons and CDS");
        failed |= ok != n || n == 0;
    }
    if failed {
        println!("FAIL");
        std::process::exit(1);
    }
}
