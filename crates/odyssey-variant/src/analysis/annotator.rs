//! The annotate step: the gene consequences of one allele, from the VCF's own annotation
//! (VEP CSQ, SnpEff ANN, bcftools BCSQ) or an external annotator; the most severe per gene.

use std::path::Path;
use std::sync::Arc;

use noodles::vcf;
use std::collections::BTreeMap;

use odyssey_genome::{SvInterval, VariantKey};

use super::{AnnotationChoice, RecordView};
use crate::annotation::{worst_per_gene, GeneAnnotator, GeneConsequence, VcfAnnotations};
use crate::error::{Error, Location, Result};
use crate::structural::{worst_structural_per_gene, SvGeneDetail};

pub(super) enum Annotator {
    Vcf(VcfAnnotations),
    External(Arc<dyn GeneAnnotator>),
}

impl Annotator {
    /// The annotator for `choice`. Errors: the VCF's header lacks the requested (or any)
    /// consequence field.
    pub(super) fn open(
        choice: &AnnotationChoice,
        header: &vcf::Header,
        path: &Path,
    ) -> Result<Annotator> {
        Ok(match choice {
            AnnotationChoice::Vcf(kind) => {
                Annotator::Vcf(VcfAnnotations::from_header(header, *kind).map_err(|m| {
                    Error::parse(
                        path,
                        Location::File,
                        format!("{m}; annotate the VCF or use Odyssey's annotator"),
                    )
                })?)
            }
            AnnotationChoice::Annotator(a) => Annotator::External(a.clone()),
        })
    }

    /// The annotation's description for the outputs.
    pub(super) fn describe(&self) -> String {
        match self {
            Annotator::Vcf(p) => p.describe(),
            Annotator::External(a) => a.describe(),
        }
    }

    /// The most severe consequence per gene of ALT `alt_index` (1-based) of the record, or
    /// of the structural event `sv` when the allele is one.
    pub(super) fn genes(
        &mut self,
        rv: &RecordView,
        alt_index: usize,
        key: &VariantKey,
        sv: Option<&SvInterval>,
    ) -> Vec<GeneConsequence> {
        if let Some(sv) = sv {
            return self.structural_genes(rv, alt_index, sv).0;
        }
        let effects = match self {
            Annotator::Vcf(p) => p.effects(rv.info, rv.reference, rv.alts, alt_index),
            Annotator::External(a) => a.annotate(key),
        };
        worst_per_gene(&effects)
    }

    /// The most severe consequence per gene of a structural event and the structural detail
    /// of each gene's chosen transcript (none from in-VCF annotations, which are read as for
    /// small variants: VEP writes structural terms in CSQ too).
    pub(super) fn structural_genes(
        &mut self,
        rv: &RecordView,
        alt_index: usize,
        sv: &SvInterval,
    ) -> (Vec<GeneConsequence>, BTreeMap<String, SvGeneDetail>) {
        match self {
            Annotator::Vcf(p) => (
                worst_per_gene(&p.effects(rv.info, rv.reference, rv.alts, alt_index)),
                BTreeMap::new(),
            ),
            Annotator::External(a) => worst_structural_per_gene(&a.annotate_structural(sv)),
        }
    }

    /// The reference bases of `chrom:start-end` when an external annotator holds them (see
    /// [`GeneAnnotator::reference_bases`]); `None` for in-VCF annotations.
    pub(super) fn reference_bases(
        &self,
        chrom: odyssey_genome::Chrom,
        start: u32,
        end: u32,
    ) -> Option<Vec<u8>> {
        match self {
            Annotator::Vcf(_) => None,
            Annotator::External(a) => a.reference_bases(chrom, start, end),
        }
    }

    /// A warning listing consequence terms outside the Sequence Ontology set (read as
    /// `sequence_variant`), `None` when there were none or the annotation is external.
    pub(super) fn unknown_terms_warning(&self) -> Option<String> {
        match self {
            Annotator::Vcf(p) if !p.unknown_terms().is_empty() => Some(format!(
                "consequence terms not in the Sequence Ontology set were read as sequence_variant: {}",
                p.unknown_terms().iter().cloned().collect::<Vec<_>>().join(", ")
            )),
            _ => None,
        }
    }
}
