//! Sequence Ontology consequences of one allele on one transcript.
//!
//! The predicates reproduce Ensembl VEP's documented definitions and their precedence ("Calculated
//! variant consequences"; McLaren et al. 2016, Genome Biol 17:122): the same location tests
//! (upstream/downstream within 5 kb, UTR, CDS, intron and splice regions in [`crate::splice`]),
//! the same codon-level tests for coding changes (reference and alternate codons of the touched
//! codons, see [`crate::cds::codon_change`]), and the same handling of indels that change the
//! start or stop codon. When the reference sequence is missing only what the gene model alone
//! determines is reported: coding SNVs/MNVs become `coding_sequence_variant`, coding indels
//! `frameshift_variant` or `inframe_insertion`/`inframe_deletion` from their length.

use odyssey_genome::Consequence as C;

use crate::allele::{overlap, Allele};
use crate::cds::{codon_change, CdsView, CodonChange};
use crate::codon::GeneticCode;
use crate::layout::Layout;
use crate::model::{CodingRegion, Strand, Transcript};
use crate::seq::{revcomp, SequenceStore};
use crate::splice::intron_effects;

/// Distance (bp) within which upstream/downstream consequences are reported (VEP default).
pub const FLANK_DISTANCE: u32 = 5000;

/// Everything computed for one (allele, transcript) pair.
#[derive(Clone, Debug, Default)]
pub(crate) struct Effect {
    pub consequences: Vec<C>,
    /// Exons touched (1-based ranks, transcript order).
    pub exons: Option<(u32, u32)>,
    /// Introns touched (1-based ranks).
    pub introns: Option<(u32, u32)>,
    /// Distance to the transcript for upstream/downstream variants.
    pub distance: Option<u32>,
    /// cDNA positions of the variant's 5' and 3' ends (insertions: start = end + 1).
    pub cdna: (Option<u32>, Option<u32>),
    /// Padded CDS positions.
    pub cds: (Option<u32>, Option<u32>),
    /// Codon-level change when the variant lies inside the CDS and sequence was available.
    pub codon: Option<CodonChange>,
    /// Whether the reference sequence was available for this transcript.
    pub had_sequence: bool,
}

pub(crate) struct Ctx<'a> {
    pub t: &'a Transcript,
    pub l: &'a Layout,
    pub a: &'a Allele,
    pub seq: Option<&'a SequenceStore>,
    /// Alternate allele in transcript orientation (computed on first use).
    alt_tx: std::cell::OnceCell<Vec<u8>>,
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(
        t: &'a Transcript,
        l: &'a Layout,
        a: &'a Allele,
        seq: Option<&'a SequenceStore>,
    ) -> Self {
        Ctx {
            t,
            l,
            a,
            seq,
            alt_tx: std::cell::OnceCell::new(),
        }
    }

    /// The alternate allele in transcript orientation.
    pub(crate) fn alt_tx(&self) -> &[u8] {
        self.alt_tx.get_or_init(|| match self.t.strand {
            Strand::Forward => self.a.alternate.clone(),
            Strand::Reverse => revcomp(&self.a.alternate),
        })
    }

    pub(crate) fn code(&self) -> GeneticCode {
        if self.t.chrom == odyssey_genome::Chrom::MT {
            GeneticCode::VertebrateMitochondrial
        } else {
            GeneticCode::Standard
        }
    }

    pub(crate) fn view(&self) -> Option<CdsView<'a>> {
        CdsView::new(self.l, self.seq?, self.code())
    }
}

/// cDNA positions of the allele's 5' and 3' ends in transcript orientation, `None` for an end
/// outside the exons. An insertion (`start = end + 1`) with at least one exonic flank maps
/// between cDNA positions like Ensembl's coordinate mapper does: next to its exonic flank.
pub(crate) fn cdna_ends(l: &Layout, a: &Allele) -> (Option<u32>, Option<u32>) {
    let fwd = l.strand == Strand::Forward;
    if a.is_insertion() {
        // flanks: g = a.end (genomic lower), g + 1 = a.start
        let lo = l.g_to_n(a.end);
        let hi = l.g_to_n(a.start);
        // in transcript order the insertion lies after `before` and before `after`
        let (before, after) = if fwd { (lo, hi) } else { (hi, lo) };
        return match (before, after) {
            (Some(b), Some(x)) => (Some(x), Some(b)),
            (Some(b), None) => (Some(b + 1), Some(b)),
            (None, Some(x)) => (Some(x), Some(x - 1)),
            (None, None) => (None, None),
        };
    }
    let (g5, g3) = if fwd {
        (a.start, a.end)
    } else {
        (a.end, a.start)
    };
    (l.g_to_n(g5), l.g_to_n(g3))
}

/// Computes the consequences; `None` when the allele is farther than `distance` bp.
pub(crate) fn effect(cx: &Ctx, distance: u32) -> Option<Effect> {
    let (t, l, a) = (cx.t, cx.l, cx.a);
    let (vs, ve) = (i64::from(a.start), i64::from(a.end));
    let (ts, te) = (i64::from(t.start()), i64::from(t.end()));
    let fwd = t.strand == Strand::Forward;
    let mut e = Effect::default();
    if !overlap(vs, ve, ts, te) {
        let dist = i64::from(distance);
        let before = ve >= ts - dist && ve < ts;
        let after = vs <= te + dist && vs > te;
        let (term, d) = if before {
            (
                if fwd {
                    C::UpstreamGeneVariant
                } else {
                    C::DownstreamGeneVariant
                },
                ts - ve,
            )
        } else if after {
            (
                if fwd {
                    C::DownstreamGeneVariant
                } else {
                    C::UpstreamGeneVariant
                },
                vs - te,
            )
        } else {
            return None;
        };
        e.consequences.push(term);
        e.distance = Some(d as u32);
        return Some(e);
    }

    let ie = intron_effects(l, a);
    let mut cons: Vec<C> = Vec::with_capacity(6);
    if ie.donor {
        cons.push(C::SpliceDonorVariant);
    }
    if ie.acceptor {
        cons.push(C::SpliceAcceptorVariant);
    }
    if ie.donor_5th {
        cons.push(C::SpliceDonor5thBaseVariant);
    }
    if ie.donor_region {
        cons.push(C::SpliceDonorRegionVariant);
    }
    if ie.polypyrimidine {
        cons.push(C::SplicePolypyrimidineTractVariant);
    }
    if ie.splice_region() {
        cons.push(C::SpliceRegionVariant);
    }
    if ie.intronic {
        cons.push(C::IntronVariant);
    }
    if t.is_nmd() {
        cons.push(C::NmdTranscriptVariant);
    }
    e.introns = ie.introns.map(|(x, y)| (x as u32 + 1, y as u32 + 1));

    // exons touched (VEP overlap semantics: an insertion must have both flanks in the exon)
    let mut exon_ranks: Option<(u32, u32)> = None;
    for (k, &(s, en, _)) in l.exons.iter().enumerate() {
        if overlap(vs, ve, i64::from(s), i64::from(en)) {
            let r = k as u32 + 1;
            exon_ranks = Some(match exon_ranks {
                None => (r, r),
                Some((x, y)) => (x.min(r), y.max(r)),
            });
        }
    }
    e.exons = exon_ranks;
    let exonic = exon_ranks.is_some();

    // cDNA ends in transcript orientation (insertion: start = end + 1)
    let (n5, n3) = cdna_ends(l, a);
    e.cdna = (n5, n3);

    match &t.coding {
        CodingRegion::NonCoding => {
            if exonic {
                cons.push(C::NonCodingTranscriptExonVariant);
            } else {
                cons.push(C::NonCodingTranscriptVariant);
            }
        }
        CodingRegion::Unknown => {
            if exonic {
                cons.push(C::CodingTranscriptVariant);
            }
        }
        CodingRegion::Coding(cds) => {
            let within_cdna = exonic || (a.is_insertion() && (n5.is_some() || n3.is_some()));
            coding_effects(
                cx,
                &mut e,
                &mut cons,
                within_cdna,
                i64::from(cds.start),
                i64::from(cds.end),
                n5,
                n3,
            );
        }
    }
    cons.sort_unstable();
    cons.dedup();
    e.consequences = cons;
    Some(e)
}

/// Where a coding allele sits: CDS coordinates, the codons it changes, and whether it
/// shifts the frame (the facts the VEP predicates of [`coding_terms`] read).
struct CodingFacts<'a> {
    /// Padded CDS positions of the allele's ends (`None` outside the CDS).
    cds_start: Option<u32>,
    cds_end: Option<u32>,
    /// Both ends in the CDS.
    both: bool,
    /// Some exonic base inside the CDS (an insertion: between two CDS bases).
    within_cds: bool,
    /// The allele touches an incomplete terminal codon.
    partial_codon: bool,
    frameshift: bool,
    length_change: bool,
    view: Option<CdsView<'a>>,
    codon: Option<CodonChange>,
    /// cDNA positions of both ends, when both are exonic.
    cdna_both: Option<(i64, i64)>,
}

impl CodingFacts<'_> {
    fn peps(&self) -> Option<(&[u8], &[u8])> {
        self.codon
            .as_ref()
            .map(|c| (c.ref_pep.as_slice(), c.alt_pep.as_slice()))
    }

    fn codons(&self) -> Option<(&[u8], &[u8])> {
        if self.frameshift {
            return None;
        }
        self.codon
            .as_ref()
            .map(|c| (c.ref_codons.as_slice(), c.alt_codons.as_slice()))
    }
}

/// The consequences of an allele on a coding transcript, after VEP's predicates: the UTR
/// terms, then (from the allele's [`CodingFacts`] and its overlap with the start and stop
/// codons) the coding terms ([`coding_terms`]). Records the CDS positions and codons in `e`.
#[allow(clippy::too_many_arguments)]
fn coding_effects(
    cx: &Ctx,
    e: &mut Effect,
    cons: &mut Vec<C>,
    within_cdna: bool,
    cds_lo: i64,
    cds_hi: i64,
    n5: Option<u32>,
    n3: Option<u32>,
) {
    utr_terms(cx, cons, within_cdna, cds_lo, cds_hi);
    let facts = coding_facts(cx, cds_lo, cds_hi, (n5, n3));
    e.cds = (facts.cds_start, facts.cds_end);
    e.had_sequence = facts.view.is_some();
    let codons = codon_overlaps(cx, &facts);
    coding_terms(cx, &facts, &codons, cons);
    e.codon = facts.codon;
}

/// UTR terms (VEP `_before_coding`/`_after_coding`, with its special case for insertions at
/// the CDS ends).
fn utr_terms(cx: &Ctx, cons: &mut Vec<C>, within_cdna: bool, cds_lo: i64, cds_hi: i64) {
    let (t, a) = (cx.t, cx.a);
    let (vs, ve) = (i64::from(a.start), i64::from(a.end));
    let (ts, te) = (i64::from(t.start()), i64::from(t.end()));
    let ins = a.is_insertion();
    let before = (ins && vs == cds_lo) || overlap(vs, ve, ts, cds_lo - 1);
    let after = (ins && ve == cds_hi) || overlap(vs, ve, cds_hi + 1, te);
    let (five, three) = if t.strand == Strand::Forward {
        (before, after)
    } else {
        (after, before)
    };
    if five && within_cdna {
        cons.push(C::FivePrimeUtrVariant);
    }
    if three && within_cdna {
        cons.push(C::ThreePrimeUtrVariant);
    }
}

/// The allele's CDS coordinates, frame and codons (`(n5, n3)`: its cDNA ends).
fn coding_facts<'a>(
    cx: &Ctx<'a>,
    cds_lo: i64,
    cds_hi: i64,
    (n5, n3): (Option<u32>, Option<u32>),
) -> CodingFacts<'a> {
    let (l, a) = (cx.l, cx.a);
    let (vs, ve) = (i64::from(a.start), i64::from(a.end));
    let ins = a.is_insertion();
    let (cs, ce) = l.cds.expect("coding layout");
    let phase = u32::from(l.phase);
    let padded_len = phase + ce - cs + 1;
    let to_cds = |n: Option<u32>| -> Option<u32> {
        let n = n?;
        if n < cs || n > ce {
            return None;
        }
        Some(n - cs + 1 + phase)
    };
    let cds_start = to_cds(n5);
    let cds_end = to_cds(n3);
    let both = cds_start.is_some() && cds_end.is_some();
    // within the CDS: some exonic base inside the CDS; an insertion must map between two CDS
    // bases (VEP's cds_coords test)
    let within_cds = if ins {
        both
    } else {
        l.exons.iter().any(|&(s, en, _)| {
            let lo = i64::from(s).max(cds_lo);
            let hi = i64::from(en).min(cds_hi);
            lo <= hi && overlap(vs, ve, lo, hi)
        })
    };
    let var_len: i64 = match (cds_start, cds_end) {
        (Some(s), Some(x)) => i64::from(x) - i64::from(s) + 1,
        _ => 0,
    };
    let alt_len = a.alternate.len() as i64;
    let partial_codon = cds_start.is_some_and(|s| {
        let tstart = s.div_ceil(3);
        let last = i64::from(padded_len) - (3 * i64::from(tstart) - 3);
        last > 0 && last < 3
    });
    let frameshift = !partial_codon && both && (alt_len - var_len).rem_euclid(3) != 0;
    let view = cx.view();
    // an ambiguous alternate allele (N) has no defined peptide: its effect stays unknown
    let unambiguous = a
        .alternate
        .iter()
        .all(|b| matches!(b, b'A' | b'C' | b'G' | b'T'));
    let codon = match (&view, cds_start, cds_end) {
        (Some(v), Some(s), Some(x)) if within_cds && unambiguous => {
            codon_change(v, s, x, cx.alt_tx())
        }
        _ => None,
    };
    let cdna_both = match (n5, n3) {
        (Some(x), Some(y)) => Some((i64::from(x), i64::from(y))),
        _ => None,
    };
    CodingFacts {
        cds_start,
        cds_end,
        both,
        within_cds,
        partial_codon,
        frameshift,
        length_change: a.delta() != 0,
        view,
        codon,
        cdna_both,
    }
}

/// How the allele meets the start and stop codons (cDNA coordinates); `None` in an
/// `*_altered` field when the sequence needed is unavailable.
struct CodonOverlaps {
    overlaps_start: bool,
    overlaps_stop: bool,
    /// An indel over the start codon changes it.
    start_altered: Option<bool>,
    /// An indel over the stop codon changes it.
    stop_altered: Option<bool>,
    /// Any change over the start codon changes it.
    inv_start_altered: Option<bool>,
}

fn codon_overlaps(cx: &Ctx, f: &CodingFacts) -> CodonOverlaps {
    let (t, l) = (cx.t, cx.l);
    let (cs, ce) = l.cds.expect("coding layout");
    let overlaps_start = !t.flags.cds_start_nf
        && f.cdna_both
            .is_some_and(|(x, y)| overlap(x, y, i64::from(cs), i64::from(cs) + 2));
    let overlaps_stop = !t.flags.cds_end_nf
        && f.cdna_both
            .is_some_and(|(x, y)| overlap(x, y, i64::from(ce) - 2, i64::from(ce)));
    let view = f.view.as_ref();
    let start_altered = if overlaps_start && f.length_change {
        view.and_then(|v| ins_del_start_altered(cx, v, f.cdna_both.unwrap()))
    } else {
        Some(false)
    };
    let stop_altered = if overlaps_stop && f.length_change && f.cds_start.is_some() {
        view.and_then(|v| ins_del_stop_altered(cx, v, f.cdna_both.unwrap(), f.cds_start.unwrap()))
    } else {
        Some(false)
    };
    let inv_start_altered = if overlaps_start {
        view.and_then(|v| start_codon_altered(cx, v, f.cdna_both.unwrap()))
    } else {
        Some(false)
    };
    CodonOverlaps {
        overlaps_start,
        overlaps_stop,
        start_altered,
        stop_altered,
        inv_start_altered,
    }
}

/// The coding terms, VEP's peptide-level predicates in VEP's order of evaluation; pushed in
/// the order stop gained, frameshift, stop lost, start lost, in-frame insertion and deletion,
/// missense, protein altering, incomplete terminal codon, start and stop retained,
/// synonymous, coding sequence variant.
fn coding_terms(cx: &Ctx, f: &CodingFacts, o: &CodonOverlaps, cons: &mut Vec<C>) {
    let a = cx.a;
    let (peps, codons, frameshift) = (f.peps(), f.codons(), f.frameshift);
    let contains = |s: &[u8], b: u8| s.contains(&b);
    let starts_with = |s: &[u8], p: &[u8]| s.starts_with(p);
    let ends_with = |s: &[u8], p: &[u8]| s.ends_with(p);

    // for frameshifts the stop codon's fate is judged on the edited sequence, not on peptides
    let pep_stop = if frameshift { None } else { peps };
    let stop_retained = match pep_stop {
        Some((r, alt)) if !alt.is_empty() => {
            if alt[0] != b'*' {
                false
            } else if f
                .codon
                .as_ref()
                .zip(f.view.as_ref())
                .is_some_and(|(c, v)| c.translation_start > protein_len(v))
            {
                true
            } else {
                !r.is_empty() && r[0] == b'*'
            }
        }
        _ => f.length_change && o.overlaps_stop && o.stop_altered == Some(false),
    };
    let stop_gained =
        !stop_retained && peps.is_some_and(|(r, alt)| contains(alt, b'*') && !contains(r, b'*'));
    let stop_lost = match pep_stop {
        Some((r, alt)) => !contains(alt, b'*') && contains(r, b'*'),
        None => o.stop_altered == Some(true),
    };
    let start_retained = f.length_change && o.overlaps_start && o.start_altered == Some(false);
    let inframe_insertion_pre = |start_lost: bool| -> bool {
        let Some((rc, ac)) = codons else { return false };
        if start_lost || ac.len() <= rc.len() {
            return false;
        }
        let Some((r, alt)) = peps else { return false };
        if start_retained && ends_with(alt, r) {
            return false;
        }
        let alt_trim: &[u8] = match alt.iter().position(|&x| x == b'*') {
            Some(i) if i + 1 < alt.len() => &alt[..=i],
            _ => alt,
        };
        starts_with(alt_trim, r) || ends_with(alt_trim, r)
    };
    let inframe_deletion = !f.partial_codon
        && codons.is_some_and(|(rc, ac)| {
            if ac.len() >= rc.len() {
                return false;
            }
            if starts_with(rc, ac) || ends_with(rc, ac) {
                return true;
            }
            let p = rc.iter().zip(ac).take_while(|(x, y)| x == y).count();
            let (r2, a2) = (&rc[p..], &ac[p..]);
            let q = r2
                .iter()
                .rev()
                .zip(a2.iter().rev())
                .take_while(|(x, y)| x == y)
                .count();
            a2.len() - q == 0 && (r2.len() - q) % 3 == 0
        });
    let start_lost = o.overlaps_start
        && (o.inv_start_altered == Some(true)
            || peps.is_some_and(|(r, alt)| {
                !r.is_empty()
                    && f.codon.as_ref().is_some_and(|c| c.translation_start == 1)
                    && !ends_with(alt, r)
                    && !starts_with(alt, r)
            }));
    let inframe_insertion = inframe_insertion_pre(start_lost);
    let missense = !frameshift
        && peps.is_some_and(|(r, alt)| r != alt && r.len() == alt.len())
        && !start_lost
        && !stop_lost
        && !stop_gained
        && !f.partial_codon;
    let synonymous = !frameshift
        && peps.is_some_and(|(r, alt)| {
            !r.is_empty()
                && r == alt
                && !stop_retained
                && !contains(alt, b'X')
                && !contains(r, b'X')
        });
    let protein_altering = !frameshift
        && peps.is_some_and(|(r, alt)| {
            r.len() != alt.len()
                && !(r.first() == Some(&b'*') || alt.first() == Some(&b'*'))
                && !(starts_with(alt, r) || ends_with(alt, r))
        })
        && !inframe_deletion
        && !start_lost;

    // sequence-free fallbacks: in-frame indels from their length alone
    let (nos_ins, nos_del) =
        if f.view.is_none() && f.both && !frameshift && !f.partial_codon && f.length_change {
            (a.delta() > 0, a.delta() < 0)
        } else {
            (false, false)
        };

    let coding_unknown = f.within_cds
        && peps.is_none_or(|(r, alt)| contains(alt, b'X') || contains(r, b'X'))
        && !(frameshift
            || inframe_deletion
            || protein_altering
            || start_retained
            || start_lost
            || stop_retained
            || stop_lost
            || nos_ins
            || nos_del);

    let mut push = |c: bool, term: C| {
        if c {
            cons.push(term);
        }
    };
    push(stop_gained, C::StopGained);
    push(frameshift, C::FrameshiftVariant);
    push(stop_lost, C::StopLost);
    push(start_lost, C::StartLost);
    push(inframe_insertion || nos_ins, C::InframeInsertion);
    push(inframe_deletion || nos_del, C::InframeDeletion);
    push(missense, C::MissenseVariant);
    push(protein_altering, C::ProteinAlteringVariant);
    push(
        f.partial_codon && f.within_cds,
        C::IncompleteTerminalCodonVariant,
    );
    push(start_retained, C::StartRetainedVariant);
    push(stop_retained, C::StopRetainedVariant);
    push(synonymous, C::SynonymousVariant);
    push(coding_unknown, C::CodingSequenceVariant);
}

/// Length of the reference protein: complete codons, less a terminal stop codon.
pub(crate) fn protein_len(v: &CdsView) -> u32 {
    let n = v.codons();
    if n > 0 && v.aa(n) == Some(b'*') {
        n - 1
    } else {
        n
    }
}

/// Spliced bases of cDNA positions `a..=b`, `None` without sequence.
fn cdna_bases(cx: &Ctx, v: &CdsView, a: i64, b: i64) -> Option<Vec<u8>> {
    if b < a {
        return Some(Vec::new());
    }
    if a < 1 || b > i64::from(cx.l.len) {
        return None;
    }
    cx.l.spliced(v.seq, a as u32, b as u32)
}

/// VEP's `_ins_del_start_altered`: after applying an indel to 5' UTR + CDS, is the CDS no longer
/// a suffix of the edited sequence? Works on a local window around the start codon.
fn ins_del_start_altered(cx: &Ctx, v: &CdsView, (c5, c3): (i64, i64)) -> Option<bool> {
    let u = i64::from(v.cs) - 1; // 5' UTR length (cDNA bases before the CDS)
    let p = c5 - 1; // 0-based start of the replaced part
    let q = c3; // 0-based end (exclusive); for insertions q = p
    let k = q - u; // CDS bases up to the end of the edit
    if k <= 0 {
        return Some(false);
    }
    let x = cx.alt_tx();
    let need = &cdna_bases(cx, v, u + 1, q)?; // CDS bases 1..=k
    let xl = x.len() as i64;
    if xl >= k {
        return Some(&x[(xl - k) as usize..] != need.as_slice());
    }
    let from_prefix = k - xl;
    if p - from_prefix < 0 {
        return Some(true); // edited sequence shorter than the CDS
    }
    let mut tail = cdna_bases(cx, v, p - from_prefix + 1, p)?;
    tail.extend_from_slice(x);
    Some(tail != *need)
}

/// VEP's `_inv_start_altered`: after applying the allele to 5' UTR + CDS, is the codon at the
/// original start position still ATG? (Only evaluated when the transcript has a 5' UTR.)
fn start_codon_altered(cx: &Ctx, v: &CdsView, (c5, c3): (i64, i64)) -> Option<bool> {
    if v.cs <= 1 {
        return Some(false);
    }
    let u = i64::from(v.cs) - 1;
    // edited = full[..c5-1] + alt + full[c3..]; read edited[u..u+3]
    let lo = (c5 - 1).min(u);
    let hi = c3.max(u + 3) + 3;
    let hi = hi.min(i64::from(cx.l.len));
    let window = cdna_bases(cx, v, lo + 1, hi)?; // full[lo..hi]
    let mut edited: Vec<u8> = Vec::with_capacity(window.len() + cx.alt_tx().len());
    let pre = (c5 - 1 - lo).max(0) as usize;
    edited.extend_from_slice(&window[..pre.min(window.len())]);
    edited.extend_from_slice(cx.alt_tx());
    let post = (c3 - lo).max(0) as usize;
    if post <= window.len() {
        edited.extend_from_slice(&window[post..]);
    }
    let off = (u - lo) as usize;
    Some(edited.get(off..off + 3) != Some(b"ATG".as_slice()))
}

/// VEP's `_ins_del_stop_altered`: after applying an indel to CDS + 3' UTR (anchored at the CDS
/// start of the variant), is the codon at the original stop position still a stop?
fn ins_del_stop_altered(
    cx: &Ctx,
    v: &CdsView,
    (c5, c3): (i64, i64),
    cds_start: u32,
) -> Option<bool> {
    let l = i64::from(v.len());
    let utr3 = i64::from(cx.l.len) - i64::from(v.ce);
    let s = i64::from(cds_start) - 1; // 0-based start of the edit in padded CDS
    let vlen = c3 - c5 + 1; // replaced length (0 for insertions)
    let x = cx.alt_tx();
    let xl = x.len() as i64;
    if l + utr3 - vlen + xl < l {
        return Some(true);
    }
    // edited[i] for i in l-3..l
    let mut codon = Vec::with_capacity(3);
    for i in l - 3..l {
        let b = if i < s {
            v.bases(i as u32 + 1, i as u32 + 1)?[0]
        } else if i < s + xl {
            x[(i - s) as usize]
        } else {
            let j = i - xl + vlen; // index in CDS + 3' UTR
            if j < l {
                v.bases(j as u32 + 1, j as u32 + 1)?[0]
            } else {
                let n = i64::from(v.ce) + (j - l) + 1;
                cdna_bases(cx, v, n, n)?[0]
            }
        };
        codon.push(b);
    }
    Some(v.code.translate_codon(&codon) != b'*')
}
