//! Odyssey's variant analysis: VCF/BCF input, pedigrees, annotation sources, filters that
//! explain themselves, modes of inheritance per gene and family, and the genotype likelihood
//! ratio per gene and mode that the pipeline combines with the phenotype likelihood ratios.
//!
//! # Using it from the pipeline
//!
//! ```no_run
//! use std::sync::Arc;
//! use odyssey_variant::analysis::{analyze, AnalysisConfig, AnnotationChoice};
//! use odyssey_variant::inheritance::ModeOfInheritance;
//! use odyssey_variant::pedigree::{Pedigree, Sex};
//! use odyssey_variant::sources::read_sources_toml;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let annotator: Arc<dyn odyssey_variant::annotation::GeneAnnotator> = unimplemented!();
//! // raw VCF: Odyssey's annotator (feature `annotate` implements GeneAnnotator for
//! // odyssey_annotate::Annotator); pre-annotated VCF: AnnotationChoice::Vcf(None)
//! let mut cfg = AnalysisConfig::new("family.vcf.gz", AnnotationChoice::Annotator(annotator));
//! cfg.assembly = Some(odyssey_genome::Assembly::GRCh38);       // --assembly / genomeAssembly
//! cfg.proband = Some("child".into());                           // phenopacket subject / --proband
//! cfg.proband_sex = Some(Sex::Female);                          // phenopacket subject.sex
//! cfg.pedigree = Some(Pedigree::from_ped_file("family.ped".as_ref())?); // or Pedigree::from_records
//! cfg.sources = read_sources_toml("sources.toml".as_ref())?.1;  // --sources
//! cfg.explain = vec!["FGFR2".parse()?];                         // --explain
//! let genotypes = analyze(&cfg)?;
//!
//! // joining with the knowledge base: per disease, its gene (HGNC symbol) and modes (HPO ids)
//! let modes = ModeOfInheritance::from_hpo("HP:0000006");
//! let lr = genotypes.best_genotype_lr("FGFR2", &modes);         // all modes when `modes` is empty
//! println!("genotype LR {} ({})", lr.lr, lr.explanation);
//! # Ok(()) }
//! ```
//!
//! [`analysis::GenotypeAnalysis`] is serde-serialisable: `genes[]` (each with `variants[]`:
//! chrom, pos, ref, alt, gene, consequence, HGVS, genotype per family member, AF and its
//! source, ClinVar, scores, compatible modes, filter status; and `modes_of_inheritance[]` with
//! the LR per mode and its explanation), the `filters` summary (counts per reason), `explain`
//! entries, source provenance and warnings. [`analysis::GenotypeAnalysis::write_variant_tsv`]
//! writes the variant TSV.
//!
//! # Steps of [`analysis::analyze`]
//!
//! 1. **Input** ([`input`]): VCF 4.1-4.4 plain, gzip, BGZF (multi-threaded decompression) or
//!    BCF, read with noodles' lazy records; malformed header lines and records are errors with
//!    file and line (record number for BCF): too few columns, a sample-column count other than
//!    the header's (every record), a POS that is not a whole number or above 2^32 − 1 (quoted
//!    as written), GT allele indices beyond the record's ALTs, GT ploidy above 2, a REF
//!    other than A/C/G/T/N bases or an ALT that is neither bases nor symbolic/breakend/`*`,
//!    a first line other than `##fileformat=`, a `#CHROM` line separated by spaces.
//!    Warnings: a BGZF file (VCF or BCF) without its end-of-file marker, a last line without
//!    a newline (both signs of truncation), records on contigs outside the primary assembly
//!    (counted per contig with their first line).
//! 2. **Assembly** ([`input::resolve_assembly`]): `##contig` lengths are checked against the
//!    requested assembly (a contig with the other assembly's length is an error) and
//!    positions beyond a chromosome's end are errors; contig names `chr1`/`1`/`NC_000001.11`
//!    and `chrM`/`MT` are reconciled ([`odyssey_genome::Chrom`]).
//! 3. **Family** ([`pedigree`]): PED or GA4GH pedigree records, checked (parents' sexes,
//!    cycles, unknown parents, several families with `--family`); members are matched to VCF
//!    samples, the proband must be present; a parent without a PED row who is a VCF sample
//!    is a sequenced member of unknown affection status (which constrains no segregation);
//!    sexes are checked against chrX heterozygosity.
//! 4. **Alleles**: multi-allelic records are split, alleles trimmed to a minimal
//!    representation ([`odyssey_genome::VariantKey`]); genotypes per member are read relative
//!    to each ALT ([`genotype`]), with phase from `|`+`PS` or GATK `PGT`/`PID`.
//! 5. **Filters** ([`filter`]): FILTER, QUAL, proband GQ/DP/allele balance, BED regions, gene
//!    annotation ([`annotation`]: a [`annotation::GeneAnnotator`], or VEP CSQ / SnpEff ANN /
//!    bcftools BCSQ parsed from the header description; the most severe consequence per gene),
//!    gene panel, population and in-house frequency from the [`sources`], consequence
//!    (synonymous, deep intronic... removed unless ClinVar P/LP or SpliceAI ≥ 0.5), optional
//!    ClinVar benign. Each removed allele counts under its first failing reason;
//!    `--explain CHROM:POS|GENE` evaluates every filter for the alleles asked about (a gene's
//!    alleles the proband does not carry are summarised in one count entry; a query matching
//!    nothing gets a `not found` entry). Warnings flag regions or a panel that leave no variant,
//!    no passing variant at all, no population frequency source, and a frequency source that
//!    matched none of the variants looked up. Sources' configured INFO keys/columns must exist
//!    in their files' headers.
//! 6. **Inheritance** ([`inheritance`]): per gene and family, AD, de novo, AR homozygous and
//!    compound heterozygous (phase-aware, one allele per parent), XR, XD, MT and Y-linked, with
//!    frequency maxima per mode.
//! 7. **Scores** ([`score`]): a variant pathogenicity score (consequence, REVEL/AlphaMissense/
//!    CADD, SpliceAI, ClinVar, frequency) and a LIRICAL-style genotype likelihood ratio per
//!    gene and mode, with de novo and co-segregation factors.
//!
//! Annotation sources are configured in a TOML file ([`sources::config`]): memory, ordered
//! streaming with a tabix/CSI index, or a compiled `.ostore` ([`sources::store`], built by
//! `odyssey sources build`) for gnomAD-scale data.
//!
//! # Features
//!
//! * `annotate`: implements [`annotation::GeneAnnotator`] for `odyssey_annotate::Annotator`.

pub mod analysis;
pub mod annotation;
pub mod error;
pub mod filter;
pub mod genotype;
pub mod inheritance;
pub mod input;
pub mod pedigree;
pub mod score;
pub mod sources;
pub mod structural;

pub use analysis::{
    analyze, AnalysisConfig, AnnotationChoice, GeneGenotypeEvidence, GenotypeAnalysis, GenotypeLr,
};
pub use error::{Error, Location, Result};
pub use inheritance::{ModeOfInheritance, Pattern};
pub use pedigree::{Pedigree, Sex};
