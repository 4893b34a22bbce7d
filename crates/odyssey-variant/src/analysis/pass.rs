//! The per-record pass over the VCF: each record read, each of its alleles normalised,
//! annotated and filtered, and the passing alleles kept as candidates for the gene step.

use std::collections::HashMap;
use std::path::Path;

use noodles::vcf;
use odyssey_genome::{Assembly, Chrom, VariantKey};

use super::contigs::SkippedContigs;
use super::explain::Explainer;
use super::normalise::{allele_key, IdenticalAlts};
use super::record::{read_alts, read_qual, MemberCalls};
use super::removed::{count, RemovedList};
use super::sex_check::SexChecks;
use super::{Candidate, Ctx, RecordView, RemovedVariant};
use crate::error::{Error, Location, Result};
use crate::filter::{FilterReason, FilterSummary};
use crate::inheritance::{chrom_class, ChromClass};
use crate::input::VcfReader;
use crate::pedigree::Family;

/// What the pass reads against: the VCF's path and samples, the analysis assembly, and
/// whether `chrM` is hg19's (not rCRS: skipped).
pub(super) struct Input<'a> {
    pub(super) path: &'a Path,
    pub(super) samples: &'a [String],
    pub(super) assembly: Assembly,
    pub(super) mt_not_rcrs: bool,
}

/// Where an allele comes from: chromosome, position and record.
#[derive(Clone, Copy)]
struct Site {
    chrom: Chrom,
    pos: u32,
    location: Location,
}

/// What the pass found.
pub(super) struct Pass {
    pub(super) summary: FilterSummary,
    /// The passing alleles, in record order.
    pub(super) candidates: Vec<Candidate>,
    pub(super) removed: RemovedList,
    pub(super) explain: Explainer,
    pub(super) identical_alt: IdenticalAlts,
    pub(super) skipped_contigs: SkippedContigs,
    /// Passing alleles by key (duplicate records are removed, never paired with themselves).
    passed_keys: HashMap<VariantKey, Location>,
    /// Duplicate records: (the duplicate, the first record of the allele).
    pub(super) duplicates: Vec<(Location, Location)>,
    pub(super) sex_checks: SexChecks,
}

/// Reads every record of `reader` for `family`. Errors: malformed records (file and
/// line/record), a position beyond its chromosome's end, source look-up failures.
pub(super) fn run(
    ctx: &mut Ctx,
    reader: &mut VcfReader,
    family: &Family,
    input: &Input,
) -> Result<Pass> {
    let mut pass = Pass {
        summary: FilterSummary::new(),
        candidates: Vec::new(),
        removed: RemovedList::new(ctx.cfg.keep_removed),
        explain: Explainer::new(&ctx.cfg.explain),
        identical_alt: IdenticalAlts::default(),
        skipped_contigs: SkippedContigs::default(),
        passed_keys: HashMap::new(),
        duplicates: Vec::new(),
        sex_checks: SexChecks::new(family.members.len()),
    };
    let mut calls = MemberCalls::new(family);
    let mut rec = vcf::Record::default();
    let mut alts = Vec::new();
    while reader.read(&mut rec)? {
        pass.record(ctx, reader, &rec, &mut alts, &mut calls, input)?;
    }
    Ok(pass)
}

impl Pass {
    /// One record: its position and ALTs read, its contig normalised (non-primary contigs
    /// skipped), the members' genotypes and QUAL read, then each ALT through [`Pass::allele`].
    fn record(
        &mut self,
        ctx: &mut Ctx,
        reader: &mut VcfReader,
        rec: &vcf::Record,
        alts_buf: &mut Vec<String>,
        calls: &mut MemberCalls,
        input: &Input,
    ) -> Result<()> {
        let location = reader.location();
        self.summary.records += 1;
        // POS is checked on every record, as written (no silent 32-bit wrap-around)
        let pos_opt = reader.position()?;
        read_alts(rec, alts_buf);
        let n_alts = alts_buf.len();
        self.summary.alleles += n_alts as u64;
        let vcf_chrom = rec.reference_sequence_name();
        let Some(chrom) = reader
            .chrom(vcf_chrom)
            .filter(|c| !(input.mt_not_rcrs && *c == Chrom::MT))
        else {
            count(
                &mut self.summary,
                FilterReason::NonPrimaryContig,
                n_alts as u64,
            );
            self.skipped_contigs.add(vcf_chrom, location);
            return Ok(());
        };
        if let Some(p) = pos_opt {
            let assembly = input.assembly;
            if p > assembly.length(chrom) {
                return Err(Error::AssemblyMismatch {
                    path: input.path.to_path_buf(),
                    message: format!(
                        "{location}: position {vcf_chrom}:{} is beyond the end of chromosome {chrom} in {assembly} ({} bp)",
                        reader.raw_field(1),
                        assembly.length(chrom)
                    ),
                });
            }
            self.explain.observe_record(chrom, p, n_alts > 0, location);
        }
        if n_alts == 0 {
            return Ok(());
        }
        let Some(pos) = pos_opt else {
            self.position_zero(vcf_chrom, rec.reference_bases(), alts_buf, location);
            return Ok(());
        };
        calls.read(rec, n_alts, input.samples, input.path, location)?;
        let class = chrom_class(input.assembly, chrom, pos);
        let qual = read_qual(rec, input.path, location)?;
        if class == ChromClass::XNonPar {
            self.sex_checks.observe(&calls.calls);
        }
        let filters_raw = rec.filters();
        let info_raw = rec.info();
        let alts: Vec<&str> = alts_buf.iter().map(String::as_str).collect();
        let rv = RecordView {
            vcf_chrom,
            reference: rec.reference_bases(),
            alts: &alts,
            qual,
            filter: filters_raw.as_ref(),
            info: info_raw.as_ref(),
            class,
        };
        let site = Site {
            chrom,
            pos,
            location,
        };
        for a in 1..=n_alts {
            self.allele(ctx, &rv, calls, site, a)?;
        }
        Ok(())
    }

    /// A record at POS 0 (telomere): no allele Odyssey can place; each ALT removed.
    fn position_zero(
        &mut self,
        vcf_chrom: &str,
        reference: &str,
        alts: &[String],
        location: Location,
    ) {
        count(
            &mut self.summary,
            FilterReason::UnsupportedAllele,
            alts.len() as u64,
        );
        for alt in alts {
            self.removed.push(|| RemovedVariant {
                variant: format!("{vcf_chrom}:0:{reference}:{alt}"),
                vcf_location: location.to_string(),
                genes: vec![],
                reason: FilterReason::UnsupportedAllele,
                detail: "POS 0 (telomere): no base to place the allele on".into(),
            });
        }
    }

    /// ALT `a` (1-based) of the record: normalised, annotated (first, for a gene query),
    /// filtered ([`Ctx::evaluate`]), explained when asked about, then removed (first failing
    /// reason, or a duplicate of an allele already passed) or kept as a candidate.
    fn allele(
        &mut self,
        ctx: &mut Ctx,
        rv: &RecordView,
        calls: &MemberCalls,
        site: Site,
        a: usize,
    ) -> Result<()> {
        let Site {
            chrom,
            pos,
            location,
        } = site;
        let alt = rv.alts[a - 1];
        let vcf_record = || format!("{}:{}:{}:{}", rv.vcf_chrom, pos, rv.reference, alt);
        let pos_explained = self.explain.asks_position(chrom, pos);
        let key = match allele_key(
            chrom,
            pos,
            rv.reference,
            alt,
            location,
            &mut self.identical_alt,
        ) {
            Ok(k) => k,
            Err(detail) => {
                count(&mut self.summary, FilterReason::UnsupportedAllele, 1);
                if pos_explained {
                    self.explain
                        .unsupported(chrom, pos, vcf_record(), location, detail.clone());
                }
                self.removed.push(|| RemovedVariant {
                    variant: vcf_record(),
                    vcf_location: location.to_string(),
                    genes: vec![],
                    reason: FilterReason::UnsupportedAllele,
                    detail,
                });
                return Ok(());
            }
        };
        let (pre_genes, gene_query) = self.explain.gene_query(
            &mut ctx.annotator,
            rv,
            a,
            &key,
            &calls.calls[ctx.proband],
            pos_explained,
            location,
        );
        let explained = pos_explained || gene_query.is_some();
        let genes_for_explain = pre_genes.clone();
        let ev = ctx.evaluate(rv, a, &key, &calls.calls, pre_genes, explained)?;
        if explained {
            let query = gene_query.unwrap_or_else(|| format!("{chrom}:{pos}"));
            self.explain
                .evaluated(query, &key, location, genes_for_explain, &ev);
        }
        let gene_symbols = || ev.genes.iter().map(|g| g.gene_symbol.clone()).collect();
        if let Some(r) = ev.reasons.first() {
            count(&mut self.summary, r.reason, 1);
            self.removed.push(|| RemovedVariant {
                variant: key.to_string(),
                vcf_location: location.to_string(),
                genes: gene_symbols(),
                reason: r.reason,
                detail: r.detail.clone(),
            });
            return Ok(());
        }
        if let Some(first) = self.passed_keys.get(&key) {
            let detail = format!("the same allele as the record at {first}");
            self.duplicates.push((location, *first));
            count(&mut self.summary, FilterReason::DuplicateRecord, 1);
            self.removed.push(|| RemovedVariant {
                variant: key.to_string(),
                vcf_location: location.to_string(),
                genes: gene_symbols(),
                reason: FilterReason::DuplicateRecord,
                detail,
            });
            return Ok(());
        }
        self.passed_keys.insert(key.clone(), location);
        self.summary.passed += 1;
        self.candidates.push(Candidate {
            key,
            vcf_record: vcf_record(),
            location,
            qual: rv.qual,
            filter: rv.filter.to_string(),
            genes: ev.genes,
            ann: ev.ann.unwrap_or_default(),
            genotypes: calls.genotypes(a),
            class: rv.class,
        });
        Ok(())
    }
}
