//! The fuzz targets: each feeds one input to one parser or compiled-file reader. A target
//! returns normally for any input (errors are expected and ignored); a panic is a finding.

use std::path::{Path, PathBuf};

use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::vcf::{annotate_vcf, VcfOptions};
use odyssey_annotate::{Annotator, RefData};
use odyssey_genome::{Assembly, Chrom, VariantKey};
use odyssey_kb::KnowledgeBase;
use odyssey_variant::sources::config::parse_sources_toml;
use odyssey_variant::sources::{build_store, SourceSet, StoreReader};

/// Shared state: a scratch folder, a small annotator, the seed files of the HPO fixture.
pub struct Ctx {
    /// Scratch folder for targets that read files.
    pub dir: PathBuf,
    /// Annotator over `seeds/gff3/small.gff3` (with `seeds/fasta/ref.fa`).
    pub ann: Annotator,
    /// The three HPO fixture files: hp.obo, phenotype.hpoa, genes_to_phenotype.txt.
    pub hpo: [Vec<u8>; 3],
}

/// A named target.
pub struct Target {
    /// Name (also the seed folder under `seeds/`).
    pub name: &'static str,
    /// Runs the parser on one input.
    pub run: fn(&[u8], &Ctx),
}

fn opts(models: Vec<PathBuf>, fasta: Vec<PathBuf>) -> BuildOptions {
    BuildOptions {
        models,
        fasta,
        assembly: Assembly::GRCh38,
        label: Some("fuzz".into()),
        flank: 10,
        whole_transcripts: false,
    }
}

fn put(ctx: &Ctx, name: &str, data: &[u8]) -> PathBuf {
    let p = ctx.dir.join(name);
    std::fs::write(&p, data).expect("scratch folder is writable");
    p
}

fn odyref(data: &[u8], ctx: &Ctx) {
    if let Ok(d) = RefData::from_bytes(data, Path::new("fuzz.odyref")) {
        let a = Annotator::new(d);
        let k = VariantKey::new(Chrom::autosome(1).expect("chr1"), 24, "A", "C").expect("key");
        let _ = a.annotate(&k);
    }
    let _ = ctx;
}

fn odkb(data: &[u8], _: &Ctx) {
    let _ = KnowledgeBase::from_bytes(data, "fuzz.odkb");
}

fn ostore(data: &[u8], ctx: &Ctx) {
    let p = put(ctx, "f.ostore", data);
    if let Ok(mut r) = StoreReader::open(&p) {
        let c1 = Chrom::autosome(1).expect("chr1");
        let c2 = Chrom::autosome(2).expect("chr2");
        for k in [
            VariantKey::new(c1, 100, "C", "T"),
            VariantKey::new(c1, 200, "ACGTACGTACGTA", "A"),
            VariantKey::new(c2, 50, "A", "T"),
        ]
        .into_iter()
        .flatten()
        {
            let _ = r.get(&k);
        }
    }
}

fn sources_toml(data: &[u8], ctx: &Ctx) {
    if let Ok(t) = std::str::from_utf8(data) {
        let _ = parse_sources_toml(t, &ctx.dir.join("s.toml"));
    }
}

fn gff3(data: &[u8], ctx: &Ctx) {
    let p = put(ctx, "m.gff3", data);
    let _ = build(&opts(vec![p], vec![]));
}

fn gtf(data: &[u8], ctx: &Ctx) {
    let p = put(ctx, "m.gtf", data);
    let _ = build(&opts(vec![p], vec![ctx.dir.join("seed.fa")]));
}

/// Keys looked up in the source targets: the seeds' records (trimmed as the sources trim
/// them) and a miss.
fn source_keys() -> Vec<VariantKey> {
    let c1 = Chrom::autosome(1).expect("chr1");
    let c2 = Chrom::autosome(2).expect("chr2");
    [
        VariantKey::new(c1, 100, "C", "T"),
        VariantKey::new(c1, 200, "ACGTACGTACGTA", "A"),
        VariantKey::new(c1, 150, "G", "GA"),
        VariantKey::new(c2, 50, "A", "G"),
        VariantKey::new(c2, 61, "A", "C"),
        VariantKey::new(Chrom::MT, 200, "A", "G"),
    ]
    .into_iter()
    .flatten()
    .collect()
}

/// Writes `data` as `file` and reads it as each `[[source]]` table of `tomls` (paths relative
/// to the scratch folder): opened for lookups (`memory` back end) and compiled into a store
/// that is then read back.
fn source_file(data: &[u8], ctx: &Ctx, file: &str, tomls: &[&str]) {
    put(ctx, file, data);
    let keys = source_keys();
    for t in tomls {
        let Ok((_, srcs)) = parse_sources_toml(t, &ctx.dir.join("s.toml")) else {
            continue;
        };
        if let Ok(mut set) = SourceSet::open(&srcs, Assembly::GRCh38) {
            for k in &keys {
                let _ = set.annotate(k);
            }
        }
        let store = ctx.dir.join("src.ostore");
        if build_store(&srcs[0], &store).is_ok() {
            if let Ok(mut r) = StoreReader::open(&store) {
                for k in &keys {
                    let _ = r.get(k);
                }
            }
        }
    }
}

/// Source VCF data: read as a frequency source (overall and population AF, homozygotes), a
/// ClinVar source and a SpliceAI score source.
fn source_vcf(data: &[u8], ctx: &Ctx) {
    source_file(
        data,
        ctx,
        "src.vcf",
        &[
            "[[source]]\nname='g'\nrole='frequency'\npath='src.vcf'\npopulations=['afr']\nnhomalt='nhomalt'\n",
            "[[source]]\nname='c'\nrole='clinvar'\npath='src.vcf'\n",
            "[[source]]\nname='s'\nrole='score'\nscore='spliceai'\npath='src.vcf'\n",
        ],
    )
}

/// Source TSV/CSV data: read as a CADD score table, a REVEL CSV and an in-house frequency
/// table.
fn source_tsv(data: &[u8], ctx: &Ctx) {
    source_file(
        data,
        ctx,
        "src.txt",
        &[
            "[[source]]\nname='cadd'\nrole='score'\nscore='cadd_phred'\npath='src.txt'\n",
            "[[source]]\nname='revel'\nrole='score'\nscore='revel'\npath='src.txt'\n",
            "[[source]]\nname='local'\nrole='local_frequency'\npath='src.txt'\n",
        ],
    )
}

fn fasta(data: &[u8], ctx: &Ctx) {
    let p = put(ctx, "r.fa", data);
    let _ = build(&opts(vec![ctx.dir.join("seed.gff3")], vec![p]));
}

fn vcf(data: &[u8], ctx: &Ctx) {
    let p = put(ctx, "in.vcf", data);
    let _ = annotate_vcf(
        &p,
        &ctx.dir.join("out.vcf"),
        &ctx.ann,
        &VcfOptions::default(),
    );
}

fn ped(data: &[u8], ctx: &Ctx) {
    if let Ok(t) = std::str::from_utf8(data) {
        if let Ok(p) = odyssey_variant::Pedigree::from_ped_str(t, &ctx.dir.join("f.ped")) {
            for f in p.family_ids() {
                let _ = p.family(Some(f), None);
            }
        }
    }
}

fn phenopacket(data: &[u8], ctx: &Ctx) {
    if let Ok(t) = std::str::from_utf8(data) {
        for ext in ["json", "yaml"] {
            let _ =
                odyssey_pheno::phenopacket::parse_case_file(t, &ctx.dir.join(format!("c.{ext}")));
        }
    }
}

/// Builds a knowledge base from the HPO fixture with file `which` replaced by `data`.
fn hpo_release(which: usize, data: &[u8], ctx: &Ctx) {
    let d = ctx.dir.join("kb");
    for (i, n) in HPO_FILES.iter().enumerate() {
        let bytes = if i == which { data } else { &ctx.hpo[i] };
        std::fs::write(d.join(n), bytes).expect("scratch folder is writable");
    }
    let _ = KnowledgeBase::build(&d);
}

/// The three files of an HPO release, in the order of [`Ctx::hpo`].
const HPO_FILES: [&str; 3] = ["hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"];

/// The HPO targets: `parse` is the in-memory parser of the mutated file. Inputs it refuses
/// never reach a build (the build would parse the base `hp.obo` again, most of an execution
/// once the MONDO table is parsed once per process (perf), and stop at the same error);
/// inputs it accepts, and inputs that are not UTF-8 (refused by the file
/// reader, which names the line), are built into a whole knowledge base from the files.
fn hpo_target(which: usize, data: &[u8], ctx: &Ctx, parse: fn(&str, &Path) -> bool) {
    if let Ok(t) = std::str::from_utf8(data) {
        if !parse(t, Path::new(HPO_FILES[which])) {
            return;
        }
    }
    hpo_release(which, data, ctx)
}

fn hp_obo(data: &[u8], ctx: &Ctx) {
    hpo_target(0, data, ctx, |t, p| {
        odyssey_kb::obo::parse_obo(t, p)
            .and_then(|obo| odyssey_kb::Ontology::from_obo(&obo, p))
            .is_ok()
    })
}
fn hpoa(data: &[u8], ctx: &Ctx) {
    hpo_target(1, data, ctx, |t, p| {
        odyssey_kb::hpoa::parse_hpoa(t, p).is_ok()
    })
}
fn g2p(data: &[u8], ctx: &Ctx) {
    hpo_target(2, data, ctx, |t, p| {
        odyssey_kb::g2p::parse_genes_to_phenotype(t, p).is_ok()
    })
}

/// Every target, in a fixed order.
pub const TARGETS: &[Target] = &[
    Target {
        name: "odyref",
        run: odyref,
    },
    Target {
        name: "odkb",
        run: odkb,
    },
    Target {
        name: "ostore",
        run: ostore,
    },
    Target {
        name: "sources_toml",
        run: sources_toml,
    },
    Target {
        name: "gff3",
        run: gff3,
    },
    Target {
        name: "gtf",
        run: gtf,
    },
    Target {
        name: "fasta",
        run: fasta,
    },
    Target {
        name: "vcf",
        run: vcf,
    },
    Target {
        name: "ped",
        run: ped,
    },
    Target {
        name: "phenopacket",
        run: phenopacket,
    },
    Target {
        name: "hp_obo",
        run: hp_obo,
    },
    Target {
        name: "hpoa",
        run: hpoa,
    },
    Target {
        name: "g2p",
        run: g2p,
    },
    Target {
        name: "source_vcf",
        run: source_vcf,
    },
    Target {
        name: "source_tsv",
        run: source_tsv,
    },
];

/// A seed compiled at start-up: (target name, bytes).
pub type Generated = (&'static str, Vec<u8>);

/// Sets up the scratch folder and the compiled seeds; returns the context and the generated
/// binary seeds `(target, bytes)`.
pub fn setup(seeds: &Path, dir: &Path) -> Result<(Ctx, Vec<Generated>), String> {
    let s = |p: &str| {
        std::fs::read(seeds.join(p)).map_err(|e| format!("{}: {e}", seeds.join(p).display()))
    };
    std::fs::create_dir_all(dir.join("kb")).map_err(|e| e.to_string())?;
    let gff = dir.join("seed.gff3");
    std::fs::write(&gff, s("gff3/small.gff3")?).map_err(|e| e.to_string())?;
    let fa = dir.join("seed.fa");
    std::fs::write(&fa, s("fasta/ref.fa")?).map_err(|e| e.to_string())?;
    let (data, _) = build(&opts(vec![gff], vec![fa])).map_err(|e| e.to_string())?;
    let mut odyref_seed = Vec::new();
    data.write_to(&mut odyref_seed, 3)
        .map_err(|e| e.to_string())?;
    let ann = Annotator::new(data);
    let hpo = [
        s("hp_obo/hp.obo")?,
        s("hpoa/phenotype.hpoa")?,
        s("g2p/genes_to_phenotype.txt")?,
    ];
    let kbdir = dir.join("kb");
    for (n, b) in HPO_FILES.iter().zip(&hpo) {
        std::fs::write(kbdir.join(n), b).map_err(|e| e.to_string())?;
    }
    let (kb, _) = KnowledgeBase::build(&kbdir).map_err(|e| e.to_string())?;
    let src_vcf = dir.join("source.vcf");
    std::fs::write(&src_vcf, s("ostore/source.vcf")?).map_err(|e| e.to_string())?;
    let toml = format!(
        "[[source]]\nname='f'\nrole='frequency'\npath='{}'\n",
        src_vcf.display()
    );
    let src = parse_sources_toml(&toml, &dir.join("s.toml"))
        .map_err(|e| e.to_string())?
        .1
        .remove(0);
    let store = dir.join("seed.ostore");
    build_store(&src, &store).map_err(|e| e.to_string())?;
    let store_seed = std::fs::read(&store).map_err(|e| e.to_string())?;
    let ctx = Ctx {
        dir: dir.to_path_buf(),
        ann,
        hpo,
    };
    Ok((
        ctx,
        vec![
            ("odyref", odyref_seed),
            ("odkb", kb.to_bytes()),
            ("ostore", store_seed),
        ],
    ))
}
