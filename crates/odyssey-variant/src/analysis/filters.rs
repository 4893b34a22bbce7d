//! The filter step (docs/variant-analysis.md): one allele through the call, region, gene,
//! frequency, consequence and ClinVar filters, in that order, with the reason for each failure.

use odyssey_genome::VariantKey;

use super::{Ctx, Evaluation, ExplainReason, RecordView, SvEvaluation};
use crate::annotation::GeneConsequence;
use crate::error::Result;
use crate::filter::FilterReason;
use crate::genotype::{Genotype, SampleCall};
use crate::inheritance::ChromClass;
use crate::sources::SourceAnnotations;
use crate::structural::StructuralEvent;

/// Records a failure in `$ev`; returns from the enclosing step unless `$all` (every failure
/// is wanted, for `--explain`).
macro_rules! fail {
    ($ev:expr, $all:expr, $r:expr, $($d:tt)*) => {{
        $ev.reasons.push(ExplainReason { reason: $r, detail: format!($($d)*) });
        if !$all { return; }
    }};
}

/// Whether the evaluation stops here: a failure seen and only the first one wanted.
fn stop(ev: &Evaluation, all: bool) -> bool {
    !all && !ev.reasons.is_empty()
}

impl Ctx<'_> {
    /// Evaluates the filters of one allele (`sv`: its structural event, when it is one);
    /// stops at the first failure unless `all`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn evaluate(
        &mut self,
        rv: &RecordView,
        alt_index: usize,
        key: &VariantKey,
        calls: &[SampleCall],
        pre_genes: Option<Vec<GeneConsequence>>,
        all: bool,
        sv: Option<&StructuralEvent>,
    ) -> Result<Evaluation> {
        let mut ev = Evaluation {
            reasons: Vec::new(),
            genes: Vec::new(),
            ann: None,
            proband: None,
            sv: None,
        };
        let pcall = &calls[self.proband];
        self.record_filters(&mut ev, rv, pcall, alt_index, all);
        if stop(&ev, all) {
            return Ok(ev);
        }
        let pg = pcall.for_allele(alt_index);
        if pg.carries() && ev.reasons.is_empty() {
            self.quality.count(&pg);
        }
        if pg.carries() {
            self.call_quality_filters(&mut ev, rv, &pg, all);
            if stop(&ev, all) {
                return Ok(ev);
            }
        }
        ev.proband = Some(pg);
        let span = sv.map_or((key.pos, key.end()), |s| (s.start, s.end));
        self.region_filter(&mut ev, key.chrom, span, all);
        if stop(&ev, all) {
            return Ok(ev);
        }
        let mut genes = match sv {
            Some(s) => {
                let (g, details) = self
                    .annotator
                    .structural_genes(rv, alt_index, &s.interval());
                let dosage = g
                    .iter()
                    .filter_map(|x| {
                        let d = self.structural.gene_dosage(&x.gene_symbol)?;
                        Some((x.gene_symbol.clone(), d.clone()))
                    })
                    .collect();
                ev.sv = Some(SvEvaluation {
                    details,
                    dosage,
                    evidence: self.structural.evidence(s),
                });
                g
            }
            None => match pre_genes {
                Some(g) => g,
                None => self.annotator.genes(rv, alt_index, key, None),
            },
        };
        self.gene_filters(&mut ev, &mut genes, all);
        if stop(&ev, all) {
            return Ok(ev);
        }
        // symbolic alleles have no sequence to look up; explicit large indels do
        let mut ann = if self.sources.is_empty() || sv.is_some_and(|s| !s.explicit) {
            SourceAnnotations::default()
        } else {
            self.sources.annotate(key)?
        };
        if let Some(e) = ev.sv.as_ref().map(|x| &x.evidence) {
            if let Some((af, label)) = e.max_af() {
                if ann.max_af.is_none_or(|a| af > a) {
                    ann.max_af = Some(af);
                    ann.af_source = Some(label);
                }
            }
            if ann.clinvar.is_none() {
                ann.clinvar = e.clinvar_record();
            }
        }
        self.annotation_filters(&mut ev, &mut genes, &ann, all);
        if stop(&ev, all) {
            return Ok(ev);
        }
        ev.genes = genes;
        ev.ann = Some(ann);
        Ok(ev)
    }

    /// Proband carries the allele, FILTER, QUAL.
    fn record_filters(
        &self,
        ev: &mut Evaluation,
        rv: &RecordView,
        pcall: &SampleCall,
        alt_index: usize,
        all: bool,
    ) {
        let f = &self.cfg.filters;
        if pcall.alt_copies(alt_index) == 0 {
            fail!(
                ev,
                all,
                FilterReason::NotInProband,
                "proband GT {}",
                if pcall.gt.is_empty() { "." } else { &pcall.gt }
            );
        }
        if f.require_pass && !(rv.filter == "PASS" || rv.filter == "." || rv.filter.is_empty()) {
            fail!(ev, all, FilterReason::FailedFilter, "FILTER {}", rv.filter);
        }
        if let Some(q) = rv.qual {
            if q.is_nan() {
                fail!(
                    ev,
                    all,
                    FilterReason::LowQual,
                    "QUAL nan is not a number (minimum {})",
                    f.min_qual
                );
            } else if q < f.min_qual {
                fail!(ev, all, FilterReason::LowQual, "QUAL {q} < {}", f.min_qual);
            }
        }
    }

    /// The proband call's GQ, DP and allele balance (a field that is missing is not checked).
    fn call_quality_filters(&self, ev: &mut Evaluation, rv: &RecordView, pg: &Genotype, all: bool) {
        let f = &self.cfg.filters;
        if let Some(gq) = pg.gq {
            if gq < f.min_gq {
                fail!(
                    ev,
                    all,
                    FilterReason::LowGenotypeQuality,
                    "proband GQ {gq} < {}",
                    f.min_gq
                );
            }
        }
        if let Some(dp) = pg.dp {
            if dp < f.min_dp {
                fail!(
                    ev,
                    all,
                    FilterReason::LowDepth,
                    "proband DP {dp} < {}",
                    f.min_dp
                );
            }
        }
        if let Some(ab) = pg.allele_balance() {
            let (lo, hi) = f.het_allele_balance;
            let hom = pg.is_hom_alt() || pg.ploidy == 1;
            if hom && ab < f.hom_alt_min_allele_balance {
                fail!(
                    ev,
                    all,
                    FilterReason::AlleleBalance,
                    "homozygous call with ALT fraction {ab:.2} < {}",
                    f.hom_alt_min_allele_balance
                );
            } else if !hom
                && pg.is_het()
                && pg.other_alt == 0
                && rv.class != ChromClass::Mitochondrial
                && !(lo..=hi).contains(&ab)
            {
                // mitochondrial calls are exempt: heteroplasmy is any fraction
                fail!(
                    ev,
                    all,
                    FilterReason::AlleleBalance,
                    "heterozygous call with ALT fraction {ab:.2} outside {lo}-{hi}"
                );
            }
        }
    }

    /// The `--regions` BED filter (counted for the "no allele in the regions" warning).
    fn region_filter(
        &mut self,
        ev: &mut Evaluation,
        chrom: odyssey_genome::Chrom,
        (start, end): (u32, u32),
        all: bool,
    ) {
        let Some(regions) = &self.cfg.filters.regions else {
            return;
        };
        let reached = ev.reasons.is_empty();
        let inside = regions.overlaps(chrom, start, end);
        if reached {
            self.region_checked += 1;
            self.region_passed += u64::from(inside);
        }
        if !inside {
            fail!(
                ev,
                all,
                FilterReason::OutsideRegions,
                "{chrom}:{start}-{end} outside the BED regions"
            );
        }
    }

    /// A gene annotation, then the `--panel` filter (which keeps only panel genes).
    fn gene_filters(&mut self, ev: &mut Evaluation, genes: &mut Vec<GeneConsequence>, all: bool) {
        if genes.is_empty() {
            fail!(ev, all, FilterReason::NoGene, "no gene annotation");
        }
        let Some(panel) = &self.cfg.filters.gene_panel else {
            return;
        };
        let reached = ev.reasons.is_empty() && !genes.is_empty();
        let before: Vec<String> = genes.iter().map(|g| g.gene_symbol.clone()).collect();
        genes.retain(|g| panel.contains(&g.gene_symbol));
        if reached {
            self.panel_checked += 1;
            self.panel_passed += u64::from(!genes.is_empty());
        }
        if genes.is_empty() && !before.is_empty() {
            fail!(
                ev,
                all,
                FilterReason::NotInPanel,
                "genes {} not in the panel",
                before.join(",")
            );
        }
    }

    /// Population and in-house allele frequency, consequences (unless rescued by ClinVar or
    /// SpliceAI), ClinVar benign.
    fn annotation_filters(
        &self,
        ev: &mut Evaluation,
        genes: &mut Vec<GeneConsequence>,
        ann: &SourceAnnotations,
        all: bool,
    ) {
        let f = &self.cfg.filters;
        let highest = f.max_af.highest();
        if let Some(af) = ann.max_af {
            if af > highest {
                fail!(
                    ev,
                    all,
                    FilterReason::Frequency,
                    "AF {af} ({}) > {highest}",
                    ann.af_source.as_deref().unwrap_or("?")
                );
            }
        }
        if let Some(af) = ann.local_af {
            if af > highest {
                fail!(
                    ev,
                    all,
                    FilterReason::LocalFrequency,
                    "in-house AF {af} > {highest}"
                );
            }
        }
        let rescue = ann.clinvar.as_ref().is_some_and(|c| {
            c.significance.is_pathogenic_or_likely() && c.stars >= f.clinvar_rescue_min_stars
        }) || ann
            .score(crate::sources::ScoreKind::Spliceai)
            .is_some_and(|s| s >= f.splice_rescue);
        if !rescue && !genes.is_empty() {
            let removed: Vec<String> = genes
                .iter()
                .filter(|g| f.remove_consequences.contains(&g.consequence))
                .map(|g| format!("{}:{}", g.gene_symbol, g.consequence))
                .collect();
            genes.retain(|g| !f.remove_consequences.contains(&g.consequence));
            if genes.is_empty() {
                fail!(ev, all, FilterReason::Consequence, "{}", removed.join(","));
            }
        }
        if let (Some(min), Some(cv)) = (f.clinvar_benign_min_stars, &ann.clinvar) {
            if cv.significance.is_benign_or_likely() && cv.stars >= min {
                fail!(
                    ev,
                    all,
                    FilterReason::ClinvarBenign,
                    "ClinVar {:?} ({}★)",
                    cv.significance,
                    cv.stars
                );
            }
        }
    }
}
