//! The annotate step: the gene consequences of one allele, from the VCF's own annotation
//! (VEP CSQ, SnpEff ANN, bcftools BCSQ) or an external annotator; the most severe per gene.

use std::path::Path;
use std::sync::Arc;

use noodles::vcf;
use std::collections::BTreeMap;

use odyssey_genome::{SvInterval, VariantKey};

use super::{AnnotationChoice, RecordView};
use crate::annotation::{
    worst_per_gene, GeneAnnotator, GeneConsequence, GeneEffect, GeneSymbols, SymbolLog,
    VcfAnnotations,
};
use crate::error::{Error, Location, Result};
use crate::structural::{worst_structural_per_gene, SvGeneDetail};

/// Where the consequences come from.
pub(super) enum Source {
    Vcf(VcfAnnotations),
    External(Arc<dyn GeneAnnotator>),
}

/// The annotate step: the source, and the knowledge base's gene symbols the annotation's are
/// normalised to (when given), with what the normalisation did.
pub(super) struct Annotator {
    pub(super) source: Source,
    symbols: Option<Arc<GeneSymbols>>,
    pub(super) symbol_log: SymbolLog,
}

impl Annotator {
    /// The annotator for `choice`, normalising gene symbols to `symbols` when given. Errors:
    /// the VCF's header lacks the requested (or any) consequence field.
    pub(super) fn open(
        choice: &AnnotationChoice,
        symbols: Option<Arc<GeneSymbols>>,
        header: &vcf::Header,
        path: &Path,
    ) -> Result<Annotator> {
        let source = match choice {
            AnnotationChoice::Vcf(kind) => {
                Source::Vcf(VcfAnnotations::from_header(header, *kind).map_err(|m| {
                    Error::parse(
                        path,
                        Location::File,
                        format!("{m}; annotate the VCF or use Odyssey's annotator"),
                    )
                })?)
            }
            AnnotationChoice::Annotator(a) => Source::External(a.clone()),
        };
        Ok(Annotator {
            source,
            symbols,
            symbol_log: SymbolLog::default(),
        })
    }

    /// `effects` of an allele on `chrom` with their gene symbols normalised to the knowledge
    /// base's (when symbols were given), logged.
    fn normalised(
        &mut self,
        chrom: odyssey_genome::Chrom,
        effects: Vec<GeneEffect>,
    ) -> Vec<GeneEffect> {
        match &self.symbols {
            Some(s) => self.symbol_log.normalise(s, Some(chrom.name()), effects),
            None => effects,
        }
    }

    /// The knowledge-base symbol a user's gene symbol (an `--explain` query) stands for: the
    /// same, or the current symbol of a previous symbol or alias of one gene.
    pub(super) fn current_symbol(&self, symbol: &str) -> String {
        self.symbols
            .as_ref()
            .and_then(|s| s.resolve(symbol, None, None).renamed())
            .unwrap_or(symbol)
            .to_string()
    }

    /// The other symbols under which gene models may know the knowledge-base gene `symbol`.
    pub(super) fn other_names(&self, symbol: &str) -> Vec<String> {
        self.symbols
            .as_ref()
            .map(|s| {
                s.other_names(symbol)
                    .into_iter()
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The annotation's description for the outputs.
    pub(super) fn describe(&self) -> String {
        match &self.source {
            Source::Vcf(p) => p.describe(),
            Source::External(a) => a.describe(),
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
        let effects = match &mut self.source {
            Source::Vcf(p) => p.effects(rv.info, rv.reference, rv.alts, alt_index),
            Source::External(a) => a.annotate(key),
        };
        let effects = self.normalised(key.chrom, effects);
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
        match &mut self.source {
            Source::Vcf(p) => {
                let effects = p.effects(rv.info, rv.reference, rv.alts, alt_index);
                let effects = self.normalised(sv.chrom, effects);
                (worst_per_gene(&effects), BTreeMap::new())
            }
            Source::External(a) => {
                let mut effects = a.annotate_structural(sv);
                if let Some(s) = &self.symbols {
                    let mut e: Vec<GeneEffect> = effects.iter().map(|(e, _)| e.clone()).collect();
                    let keep = self
                        .symbol_log
                        .normalise_in_place(s, Some(sv.chrom.name()), &mut e);
                    effects = effects
                        .into_iter()
                        .zip(e)
                        .zip(keep)
                        .filter_map(|(((_, d), e), k)| k.then_some((e, d)))
                        .collect();
                }
                worst_structural_per_gene(&effects)
            }
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
        match &self.source {
            Source::Vcf(_) => None,
            Source::External(a) => a.reference_bases(chrom, start, end),
        }
    }

    /// A warning listing consequence terms outside the Sequence Ontology set (read as
    /// `sequence_variant`), `None` when there were none or the annotation is external.
    pub(super) fn unknown_terms_warning(&self) -> Option<String> {
        match &self.source {
            Source::Vcf(p) if !p.unknown_terms().is_empty() => Some(format!(
                "consequence terms not in the Sequence Ontology set were read as sequence_variant: {}",
                p.unknown_terms().iter().cloned().collect::<Vec<_>>().join(", ")
            )),
            _ => None,
        }
    }
}
