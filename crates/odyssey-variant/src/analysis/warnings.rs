//! The warnings of the pass: the reader's (truncation...), skipped contigs, sex checks,
//! unknown consequence terms, ambiguous gene symbols, ALT equal to REF, missing call-quality fields, duplicate
//! records, REF alleles that differ from the reference sequence, and the filter outcome (regions, panel, nothing passing, frequency sources).

use super::pass::{Input, Pass};
use super::{AnalysisConfig, Ctx};
use crate::filter::{FilterReason, FilterSummary};
use crate::input::VcfReader;
use crate::pedigree::Family;
use crate::sources::Role;

/// The warnings after the pass, in a fixed order (see the module docs).
pub(super) fn pass_warnings(
    reader: &VcfReader,
    pass: &Pass,
    ctx: &Ctx,
    family: &Family,
    input: &Input,
) -> Vec<String> {
    let path = input.path;
    let mut warnings: Vec<String> = reader.warnings().to_vec();
    warnings.extend(pass.skipped_contigs.warning(path, input.assembly));
    warnings.extend(pass.sex_checks.warnings(family));
    warnings.extend(ctx.annotator.unknown_terms_warning());
    warnings.extend(ctx.annotator.symbol_log.ambiguous_warning(20));
    let identical = &pass.identical_alt;
    if identical.count > 0 {
        warnings.push(format!(
            "{}: {} allele(s) have an ALT identical to REF (first at {}): not variants; counted under {}",
            path.display(),
            identical.count,
            identical.first.map_or_else(|| "?".to_string(), |l| l.to_string()),
            FilterReason::UnsupportedAllele
        ));
    }
    warnings.extend(ctx.quality.warning(path));
    if let Some((loc, m, issue)) = pass.sv_checks.first() {
        warnings.push(format!(
            "{}: {} structural call(s) contradict their event (first: {loc}, {}: {issue}); check the caller's genotypes and copy numbers (FORMAT/CN) and the sexes in the pedigree",
            path.display(),
            pass.sv_checks.len(),
            family.members[*m].id
        ));
    }
    if let Some((dup, first)) = pass.duplicates.first() {
        warnings.push(format!(
            "{}: {} record(s) repeat an allele already read (first: {dup} repeats {first}); each duplicate was removed ({}) and the first record kept",
            path.display(),
            pass.duplicates.len(),
            FilterReason::DuplicateRecord
        ));
    }
    let (n, first) = &pass.ref_mismatches;
    if *n > 0 {
        warnings.push(format!(
            "{}: {n} record(s) have a REF that differs from the reference sequence of the reference data (first: {}): their consequences are computed from the VCF's REF and may be wrong (a synonymous call may hide a missense one); check that the VCF and the reference data are of the same assembly and reference FASTA",
            path.display(),
            first.join("; ")
        ));
    }
    warnings.extend(filter_warnings(ctx.cfg, ctx, &pass.summary));
    warnings
}

/// Warnings about the filter outcome: regions or a gene panel that leave no variant, no
/// allele passing at all, no population frequency source, a frequency source that matched
/// nothing.
fn filter_warnings(cfg: &AnalysisConfig, ctx: &Ctx, summary: &FilterSummary) -> Vec<String> {
    let mut w = Vec::new();
    if let Some(r) = &cfg.filters.regions {
        if ctx.region_checked > 0 && ctx.region_passed == 0 {
            w.push(format!(
                "--regions: none of the {} allele(s) that reached the region filter overlaps the {} BED interval(s): every variant was removed (check the BED's assembly and chromosomes)",
                ctx.region_checked,
                r.len()
            ));
        }
    }
    if let Some(panel) = &cfg.filters.gene_panel {
        if ctx.panel_checked > 0 && ctx.panel_passed == 0 {
            let shown: Vec<&str> = panel.iter().take(10).map(String::as_str).collect();
            w.push(format!(
                "--panel: none of the {} annotated allele(s) that reached the panel filter is in a panel gene ({}{}): every variant was removed (check the HGNC symbols)",
                ctx.panel_checked,
                shown.join(", "),
                if panel.len() > 10 { format!(", ... {} genes", panel.len()) } else { String::new() }
            ));
        }
    }
    if summary.passed == 0 {
        let mut reasons: Vec<(FilterReason, u64)> = summary
            .removed
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(r, n)| (*r, *n))
            .collect();
        reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let shown: Vec<String> = reasons
            .iter()
            .take(4)
            .map(|(r, n)| format!("{r} {n}"))
            .collect();
        w.push(format!(
            "no variant passed the filters ({} record(s), {} allele(s){}): the genotype evidence is empty",
            summary.records,
            summary.alleles,
            if shown.is_empty() { String::new() } else { format!("; removed: {}", shown.join(", ")) }
        ));
    }
    if !cfg.sources.iter().any(|s| s.role == Role::Frequency) {
        w.push(
            "no population frequency source (--sources): common variants are not removed and genotype evidence is weak; configure gnomAD, see docs/sources.md"
                .into(),
        );
    }
    for p in ctx.sources.provenance() {
        if matches!(p.role, Role::Frequency | Role::LocalFrequency) && p.lookups > 0 && p.hits == 0
        {
            w.push(format!(
                "frequency source {:?} matched none of the {} variant(s) looked up: likely the wrong assembly, chromosome naming or file ({})",
                p.name,
                p.lookups,
                p.paths.iter().map(|x| x.display().to_string()).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    w
}
