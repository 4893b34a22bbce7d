//! Rebuilds the embedded default models (same as `odyssey refdata build-embedded`).
//! `cargo run --release -p odyssey-annotate --example build_embedded -- ../shared/data crates/odyssey-annotate/data`
use std::path::PathBuf;

use odyssey_annotate::build::embedded::build_embedded;
use odyssey_genome::Assembly;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shared = PathBuf::from(&args[0]);
    let out = PathBuf::from(&args[1]);
    std::fs::create_dir_all(&out).unwrap();
    for asm in [Assembly::GRCh38, Assembly::GRCh37] {
        let (d, rep) = build_embedded(&shared, asm).unwrap_or_else(|e| panic!("{e}"));
        let path = out.join(format!("{}.odyref", asm.to_string().to_ascii_lowercase()));
        d.save(&path, 19).unwrap();
        let size = std::fs::metadata(&path).unwrap().len();
        println!(
            "{}: {} transcripts, {:.2} MB; {rep:?}",
            path.display(),
            d.transcripts.len(),
            size as f64 / 1e6
        );
    }
}
