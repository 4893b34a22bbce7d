//! Prints the internal computation for one variant and transcript (debugging aid).
//! `explain --gff G [--fasta F]... --assembly A CHROM POS REF ALT TRANSCRIPT`
use std::path::PathBuf;

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::Annotator;
use odyssey_genome::VariantKey;

fn main() {
    let mut gff = Vec::new();
    let mut fasta = Vec::new();
    let mut assembly = odyssey_genome::Assembly::GRCh38;
    let mut rest = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--gff" => gff.push(PathBuf::from(args.next().unwrap())),
            "--fasta" => fasta.push(PathBuf::from(args.next().unwrap())),
            "--assembly" => assembly = args.next().unwrap().parse().unwrap(),
            _ => rest.push(a),
        }
    }
    let (data, _) = build(&BuildOptions {
        models: gff,
        fasta,
        assembly,
        label: None,
        flank: 100,
        whole_transcripts: false,
    })
    .unwrap();
    let ann = Annotator::new(data);
    let v = VariantKey::new(
        rest[0].parse().unwrap(),
        rest[1].parse().unwrap(),
        &rest[2],
        &rest[3],
    )
    .unwrap();
    println!("{}", ann.explain(&v, &rest[4]));
    for a in ann.annotate(&v) {
        if a.transcript_id
            .as_deref()
            .is_some_and(|t| t.starts_with(rest[4].as_str()))
        {
            println!("{a:#?}");
        }
    }
}
