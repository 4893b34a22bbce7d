//! Assembling the [`GenotypeAnalysis`]: the family as reported, the input, annotation and
//! sources, the filter counts, the genes, `--explain` entries, removed alleles and warnings.

use std::path::PathBuf;

use odyssey_genome::Assembly;

use super::removed::RemovedList;
use super::{Ctx, ExplainEntry, GeneGenotypeEvidence, GenotypeAnalysis, MemberReport};
use crate::filter::FilterSummary;
use crate::input::VcfReader;
use crate::pedigree::Family;

/// The parts of the result the steps produced.
pub(super) struct Parts<'a> {
    pub(super) reader: &'a VcfReader,
    pub(super) path: PathBuf,
    pub(super) assembly: Assembly,
    pub(super) family: &'a Family,
    /// The annotation's description.
    pub(super) annotation: String,
    pub(super) ctx: &'a Ctx<'a>,
    pub(super) summary: FilterSummary,
    pub(super) genes: Vec<GeneGenotypeEvidence>,
    pub(super) explain: Vec<ExplainEntry>,
    pub(super) removed: RemovedList,
    pub(super) warnings: Vec<String>,
}

/// Each member as reported: id, sex, affection, parents' ids, sequenced, proband.
fn members(family: &Family) -> Vec<MemberReport> {
    family
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| MemberReport {
            id: m.id.clone(),
            sex: m.sex,
            affection: m.affection,
            father: m.father.map(|f| family.members[f].id.clone()),
            mother: m.mother.map(|f| family.members[f].id.clone()),
            sequenced: m.sample.is_some(),
            proband: i == family.proband,
        })
        .collect()
}

/// The analysis result.
pub(super) fn assemble(p: Parts) -> GenotypeAnalysis {
    let family = p.family;
    let cfg = p.ctx.cfg;
    GenotypeAnalysis {
        vcf: p.path,
        vcf_format: p.reader.format(),
        assembly: p.assembly,
        proband: family.proband().id.clone(),
        proband_sex: family.proband().sex,
        family_id: family.id.clone(),
        family_structure: family.structure(),
        family: members(family),
        annotation: p.annotation,
        sources: p.ctx.sources.provenance(),
        structural_sources: p.ctx.structural.provenance(&cfg.structural),
        filters: p.summary,
        filter_config: cfg.filters.clone(),
        scoring: cfg.scoring.clone(),
        genes: p.genes,
        explain: p.explain,
        removed: p.removed.list,
        removed_truncated: p.removed.truncated,
        warnings: p.warnings,
        gene_index: Default::default(),
    }
}
