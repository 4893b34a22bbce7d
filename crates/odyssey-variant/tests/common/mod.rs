//! Fixtures written by the tests: small VCFs, PEDs and a table annotator.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use odyssey_genome::{Chrom, Consequence, VariantKey};
use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice, GenotypeAnalysis};
use odyssey_variant::annotation::{GeneAnnotator, GeneEffect};
use odyssey_variant::pedigree::Pedigree;

/// Genes by interval with a default consequence and per-position overrides.
pub struct TableAnnotator {
    pub genes: Vec<(Chrom, u32, u32, &'static str, Consequence)>,
    pub overrides: HashMap<(Chrom, u32), Consequence>,
}

impl GeneAnnotator for TableAnnotator {
    fn describe(&self) -> String {
        "test table".into()
    }
    fn annotate(&self, key: &VariantKey) -> Vec<GeneEffect> {
        self.genes
            .iter()
            .filter(|(c, s, e, _, _)| *c == key.chrom && *s <= key.pos && key.pos <= *e)
            .map(|(_, _, _, g, c)| GeneEffect {
                gene_symbol: g.to_string(),
                ncbi_gene_id: None,
                transcript: Some(format!("NM_{g}.1")),
                consequences: vec![*self.overrides.get(&(key.chrom, key.pos)).unwrap_or(c)],
                hgvs_c: None,
                hgvs_p: None,
                preferred: true,
            })
            .collect()
    }
    fn knows_gene(&self, symbol: &str) -> Option<bool> {
        Some(self.genes.iter().any(|g| g.3 == symbol))
    }
}

pub fn chr(n: u8) -> Chrom {
    Chrom::autosome(n).unwrap()
}

pub fn annotator() -> TableAnnotator {
    TableAnnotator {
        genes: vec![
            (chr(1), 1000, 2000, "GENEA", Consequence::MissenseVariant),
            (chr(1), 5000, 6000, "GENEB", Consequence::MissenseVariant),
            (chr(1), 9000, 9500, "GENEC", Consequence::StopGained),
            (
                Chrom::X,
                10_000_000,
                10_010_000,
                "XGENE",
                Consequence::MissenseVariant,
            ),
            (Chrom::MT, 100, 500, "MT-GENE", Consequence::MissenseVariant),
            (
                Chrom::Y,
                3_000_000,
                3_100_000,
                "YGENE",
                Consequence::MissenseVariant,
            ),
        ],
        overrides: HashMap::new(),
    }
}

/// Expands a short genotype into GT:AD:DP:GQ with good quality.
pub fn g(gt: &str) -> String {
    match gt {
        "0/0" | "0|0" => format!("{gt}:30,0:30:99"),
        "0/1" | "1/0" | "0|1" | "1|0" => format!("{gt}:15,15:30:99"),
        "1/1" | "1|1" => format!("{gt}:0,30:30:99"),
        "1" => "1:0,30:30:99".into(),
        "0" => "0:30,0:30:99".into(),
        "./." | "." => format!("{gt}:.:.:."),
        other => other.to_string(),
    }
}

pub const HEADER: &str = "##fileformat=VCFv4.2
##contig=<ID=chr1,length=248956422>
##contig=<ID=chrX,length=156040895>
##contig=<ID=chrY,length=57227415>
##contig=<ID=chrM,length=16569>
##contig=<ID=chrUn_KI270302v1,length=2274>
##FILTER=<ID=PASS,Description=\"All filters passed\">
##FILTER=<ID=LowQual,Description=\"Low quality\">
##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">
##FORMAT=<ID=AD,Number=R,Type=Integer,Description=\"Allelic depths\">
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">
##FORMAT=<ID=GQ,Number=1,Type=Integer,Description=\"Genotype quality\">
##FORMAT=<ID=PS,Number=1,Type=Integer,Description=\"Phase set\">
";

/// One record line: `chrom pos ref alt` with QUAL 50, PASS, and samples (expanded by `g`).
pub fn rec(chrom: &str, pos: u32, r: &str, a: &str, samples: &[&str]) -> String {
    let s: Vec<String> = samples.iter().map(|x| g(x)).collect();
    let fmt = if samples.iter().any(|x| x.split(':').count() == 5) {
        "GT:AD:DP:GQ:PS"
    } else {
        "GT:AD:DP:GQ"
    };
    format!(
        "{chrom}\t{pos}\t.\t{r}\t{a}\t50\tPASS\tDP=90\t{fmt}\t{}\n",
        s.join("\t")
    )
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub vcf: PathBuf,
    pub pedigree: Option<Pedigree>,
}

pub fn fixture(samples: &[&str], records: &[String], ped: Option<&str>) -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let vcf = dir.path().join("fam.vcf");
    let mut text = HEADER.to_string();
    text.push_str("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT");
    for s in samples {
        text.push('\t');
        text.push_str(s);
    }
    text.push('\n');
    for r in records {
        text.push_str(r);
    }
    std::fs::write(&vcf, text).unwrap();
    let pedigree = ped.map(|p| {
        let path = dir.path().join("fam.ped");
        std::fs::write(&path, p).unwrap();
        Pedigree::from_ped_file(&path).unwrap()
    });
    Fixture { dir, vcf, pedigree }
}

pub fn config(f: &Fixture) -> AnalysisConfig {
    let mut c = AnalysisConfig::new(&f.vcf, AnnotationChoice::Annotator(Arc::new(annotator())));
    c.pedigree = f.pedigree.clone();
    c.threads = 1;
    c
}

pub fn run(f: &Fixture) -> GenotypeAnalysis {
    analyze(&config(f)).unwrap()
}

pub fn run_proband(f: &Fixture, proband: &str) -> GenotypeAnalysis {
    let mut c = config(f);
    c.proband = Some(proband.to_string());
    analyze(&c).unwrap()
}

/// A trio: affected son, unaffected parents.
pub const TRIO: &str = "F kid dad mum 1 2\nF dad 0 0 1 1\nF mum 0 0 2 1\n";

pub fn path_str(p: &Path) -> String {
    p.display().to_string()
}

/// LIRICAL-style LR computed here by hand: (λD/λB)^k e^(λB-λD).
pub fn lr(k: f64, ld: f64, lb: f64) -> f64 {
    (ld / lb).powf(k) * (lb - ld).exp()
}
