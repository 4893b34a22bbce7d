//! Odyssey's built-in variant annotator: which transcripts a variant hits, its Sequence
//! Ontology consequences (Ensembl VEP's terms and precedence) and its HGVS `c.`/`n.`/`p.`
//! descriptions, from transcript models compiled out of Ensembl/GENCODE/RefSeq GFF3 or GTF
//! and, optionally, the reference FASTA.
//!
//! * [`Annotator`]: load compiled models ([`Annotator::from_path`]) or the embedded defaults
//!   ([`Annotator::embedded`]) and [`Annotator::annotate`] a [`odyssey_genome::VariantKey`].
//! * [`build`]: compile GFF3/GTF (+ FASTA) into one versioned reference-data file.
//! * [`vcf`]: annotate a VCF, writing a VEP-style `CSQ` INFO field.
//!
//! Without reference sequence (the embedded models) the annotator reports only what the gene
//! model determines: coding SNVs are `coding_sequence_variant` with `p.?`, indels get no
//! `c.` (the 3' rule needs the flanking sequence), in-frame vs frameshift comes from length.
//!
//! User documentation, rules and validation figures: `docs/annotation.md`.

mod allele;
mod annotator;
pub mod build;
mod bytes_serde;
mod cds;
mod codon;
mod effect;
mod embedded;
mod error;
mod fmtnum;
mod hgvs_c;
mod hgvs_p;
mod index;
mod layout;
mod model;
mod seq;
mod shift;
mod splice;
mod store;
pub mod structural;
pub mod vcf;

pub use annotator::{most_severe_per_gene, Annotator, Rank, TranscriptAnnotation};
pub use codon::GeneticCode;
pub use effect::FLANK_DISTANCE;
pub use error::Error;
pub use hgvs_p::predicted as hgvs_p_predicted;
pub use model::{Cds, CodingRegion, Strand, Transcript, TranscriptFlags};
pub use seq::SequenceStore;
pub use store::{Meta, RefData, FORMAT_VERSION};
