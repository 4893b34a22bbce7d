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
use super::{Candidate, Ctx, RecordView, RemovedVariant, SvCandidate};
use crate::error::{Error, Location, Result};
use crate::filter::{FilterReason, FilterSummary};
use crate::genotype::SampleCall;
use crate::inheritance::{chrom_class, ChromClass};
use crate::input::VcfReader;
use crate::pedigree::Family;
use crate::structural::{self, StructuralEvent};

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
    /// Structural calls contradicting their event: (record, member index, issue).
    pub(super) sv_checks: Vec<(Location, usize, String)>,
    /// Records whose REF differs from the annotator's reference sequence: the count and the
    /// first five (`line 4: 1:25 REF C, reference A`).
    pub(super) ref_mismatches: (u64, Vec<String>),
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
        explain: Explainer::new(&ctx.cfg.explain, &ctx.annotator),
        identical_alt: IdenticalAlts::default(),
        skipped_contigs: SkippedContigs::default(),
        passed_keys: HashMap::new(),
        duplicates: Vec::new(),
        sex_checks: SexChecks::new(family.members.len()),
        sv_checks: Vec::new(),
        ref_mismatches: (0, Vec::new()),
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
        self.check_reference(ctx, chrom, pos, rec.reference_bases(), vcf_chrom, location);
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

    /// Compares a REF of plain bases with the annotator's reference sequence, where it has
    /// one (positions holding N in the reference are not compared).
    fn check_reference(
        &mut self,
        ctx: &Ctx,
        chrom: Chrom,
        pos: u32,
        reference: &str,
        vcf_chrom: &str,
        location: Location,
    ) {
        let r = reference.as_bytes();
        if r.is_empty() || !r.iter().all(|b| b"ACGTacgt".contains(b)) {
            return;
        }
        let end = pos.saturating_add(r.len() as u32 - 1);
        let Some(seq) = ctx.annotator.reference_bases(chrom, pos, end) else {
            return;
        };
        let differs = r
            .iter()
            .zip(&seq)
            .any(|(a, b)| *b != b'N' && !a.eq_ignore_ascii_case(b));
        if differs {
            self.ref_mismatches.0 += 1;
            if self.ref_mismatches.1.len() < 5 {
                self.ref_mismatches.1.push(format!(
                    "{location}: {vcf_chrom}:{pos} REF {reference}, reference {}",
                    String::from_utf8_lossy(&seq)
                ));
            }
        }
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
        let keyed = match structural::parse_symbolic(chrom, pos, alt, rv.info) {
            Some(Ok(ev)) => Ok((structural_key(chrom, pos, rv.reference, alt), Some(ev))),
            Some(Err(detail)) => Err(detail),
            None => allele_key(
                chrom,
                pos,
                rv.reference,
                alt,
                location,
                &mut self.identical_alt,
            )
            .map(|k| {
                let sv = structural::from_sequence(&k);
                (k, sv)
            }),
        };
        // copy numbers: a <CNV>'s direction, genotypes of CN-only calls, sanity checks
        let keyed = keyed.and_then(|(k, sv)| match sv {
            None => Ok((k, None, None)),
            Some(mut e) => {
                let c = self.copy_number_calls(ctx, rv, calls, &mut e, a, location)?;
                Ok((k, Some(e), Some(c)))
            }
        });
        let (key, sv, sv_calls) = match keyed {
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
        let member_calls: &[SampleCall] = sv_calls.as_deref().unwrap_or(&calls.calls);
        let interval = sv.as_ref().map(StructuralEvent::interval);
        let (pre_genes, gene_query) = self.explain.gene_query(
            &mut ctx.annotator,
            rv,
            a,
            &key,
            &member_calls[ctx.proband],
            pos_explained,
            location,
            interval.as_ref(),
        );
        let explained = pos_explained || gene_query.is_some();
        let genes_for_explain = pre_genes.clone();
        let ev = ctx.evaluate(rv, a, &key, member_calls, pre_genes, explained, sv.as_ref())?;
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
        // two structural alleles of one POS and type differ by their END
        let passed_key = match &sv {
            Some(e) if !e.explicit => VariantKey {
                alternate: format!("{}:{}", key.alternate, e.end),
                ..key.clone()
            },
            _ => key.clone(),
        };
        if let Some(first) = self.passed_keys.get(&passed_key) {
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
        self.passed_keys.insert(passed_key, location);
        self.summary.passed += 1;
        let genotypes = calls.genotypes_of(member_calls, a);
        let sv = sv.map(|event| {
            let e = ev.sv.unwrap_or_default();
            Box::new(SvCandidate {
                event,
                details: e.details,
                dosage: e.dosage,
                evidence: e.evidence,
                copy_numbers: member_calls.iter().map(|c| c.cn).collect(),
            })
        });
        self.candidates.push(Candidate {
            key,
            vcf_record: vcf_record(),
            location,
            qual: rv.qual,
            filter: rv.filter.to_string(),
            genes: ev.genes,
            ann: ev.ann.unwrap_or_default(),
            genotypes,
            class: rv.class,
            sv,
        });
        Ok(())
    }

    /// The members' calls for a structural allele: a `<CNV>`'s direction set from the
    /// proband's copy number, genotypes from `FORMAT/CN` where GT calls no allele, and each
    /// sequenced member's call checked against the event (counted for a warning). Errors
    /// (the detail of an `unsupported_allele` removal): a `<CNV>` without a copy-number
    /// change.
    fn copy_number_calls(
        &mut self,
        ctx: &Ctx,
        rv: &RecordView,
        calls: &MemberCalls,
        ev: &mut StructuralEvent,
        a: usize,
        location: Location,
    ) -> std::result::Result<Vec<SampleCall>, String> {
        let p = ctx.proband;
        let expected = |m: usize| structural::expected_copies(rv.class, calls.sexes[m]);
        structural::resolve_copy_number(ev, calls.calls[p].cn, expected(p))?;
        let mut out = calls.calls.clone();
        for (m, c) in out.iter_mut().enumerate() {
            structural::genotype_from_copy_number(c, ev.class, expected(m), a);
            if c.unsupported {
                continue;
            }
            let issue =
                structural::sanity_issue(c, ev.class, expected(m), rv.class, calls.sexes[m], a);
            if let Some(issue) = issue {
                self.sv_checks.push((location, m, issue));
            }
        }
        Ok(out)
    }
}

/// The key of a symbolic or breakend allele: `POS`, REF as written (upper case), ALT as
/// written (`<DEL>`, `N[chr2:321682[`).
fn structural_key(chrom: Chrom, pos: u32, reference: &str, alt: &str) -> VariantKey {
    VariantKey {
        chrom,
        pos,
        reference: reference.to_ascii_uppercase(),
        alternate: alt.to_string(),
    }
}
