//! `--format` values. Writing itself (the plan, the renderers, the all-or-nothing,
//! never-overwrite writer) lives in [`odyssey::output`], shared with every front end.

pub use odyssey::output::{check_not_input, check_target, target_exists, write_file, Staged};

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The JSON contract (docs/json-output.md).
    Json,
    /// Tab-separated tables: genes; with a file or prefix also diseases and, after a variant
    /// analysis, variants (docs/tsv-output.md).
    Tsv,
    /// A self-contained HTML report for people (docs/output-formats.md).
    Html,
    /// The input GA4GH Phenopacket v2 with Odyssey's candidates added as interpretations.
    Phenopacket,
    /// The input VCF with an ODYSSEY INFO field on the candidate variants (plain text).
    Vcf,
    /// As `vcf`, BGZF-compressed, with a tabix index.
    #[value(name = "vcf.gz", alias = "vcfgz")]
    VcfGz,
}

impl From<Format> for odyssey::output::Format {
    fn from(f: Format) -> Self {
        use odyssey::output::Format as F;
        match f {
            Format::Json => F::Json,
            Format::Tsv => F::Tsv,
            Format::Html => F::Html,
            Format::Phenopacket => F::Phenopacket,
            Format::Vcf => F::Vcf,
            Format::VcfGz => F::VcfGz,
        }
    }
}
