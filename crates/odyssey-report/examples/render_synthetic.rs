//! Writes the SYNTHETIC test report (a made-up trio with variants, family and filters; see
//! `tests/common/mod.rs`) as HTML, JSON and TSV into a folder, for looking at the layout of
//! the variant sections: `cargo run -p odyssey-report --example render_synthetic -- OUTDIR`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs::File;
use std::io::BufWriter;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .ok_or("usage: render_synthetic OUTDIR")?,
    );
    std::fs::create_dir_all(&dir)?;
    let r = common::full_report();
    odyssey_report::write_html(
        &r,
        BufWriter::new(File::create(dir.join("synthetic.html"))?),
    )?;
    odyssey_report::write_json(
        &r,
        BufWriter::new(File::create(dir.join("synthetic.json"))?),
    )?;
    odyssey_report::write_genes_tsv(
        &r,
        BufWriter::new(File::create(dir.join("synthetic.genes.tsv"))?),
    )?;
    odyssey_report::write_variants_tsv(
        &r,
        BufWriter::new(File::create(dir.join("synthetic.variants.tsv"))?),
    )?;
    eprintln!(
        "wrote {}/synthetic.{{html,json,genes.tsv,variants.tsv}}",
        dir.display()
    );
    Ok(())
}
