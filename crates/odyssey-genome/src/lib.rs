//! Genome primitives shared by Odyssey's annotator and variant analysis.
//!
//! * [`Assembly`]: GRCh37 or GRCh38, with the lengths and RefSeq accessions of the primary
//!   chromosomes (NCBI assembly reports GRCh37.p13 / GRCh38.p13).
//! * [`Chrom`]: one of the 25 primary chromosomes (1-22, X, Y, MT); every common spelling
//!   (`chr1`, `1`, `NC_000001.11`, `chrM`, `M`, `MT`) parses to the same value.
//! * [`VariantKey`]: a biallelic variant in minimal representation (shared prefix and suffix trimmed,
//!   VCF-style anchor base kept for indels).
//! * [`Consequence`]: Sequence Ontology consequence terms in Ensembl VEP's severity order.
//! * [`text`]: whole text files (plain or gzip) read with errors that name line and byte.

mod assembly;
mod chrom;
mod consequence;
mod structural;
pub mod text;
mod variant;

pub use assembly::{Assembly, ParseAssemblyError};
pub use chrom::{Chrom, ParseChromError};
pub use consequence::{Consequence, Impact, UnknownConsequence};
pub use structural::{SvClass, SvInterval};
pub use variant::{AlleleError, VariantKey};
