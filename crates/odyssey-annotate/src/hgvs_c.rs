//! HGVS `c.` (coding transcripts) and `n.` (non-coding transcripts) descriptions.
//!
//! Follows the HGVS recommendations (den Dunnen et al. 2016; varnomen.hgvs.org): substitution
//! `c.76A>T`, deletion `c.76_78del`, duplication `c.76dup`, insertion `c.76_77insTG`,
//! inversion `c.76_83inv`, deletion-insertion `c.76_77delinsTT`; deletions and duplications
//! are shifted to their most 3' position in the transcript (the 3' rule), and an insertion
//! that copies the preceding bases is written as a duplication. Deleted bases are not listed
//! (the current recommendation). Without reference sequence only substitutions and
//! deletion-insertions are described: the 3' rule cannot be applied to an indel whose
//! flanking sequence is unknown.

use crate::allele::Allele;
use crate::effect::Ctx;
use crate::layout::Layout;
use crate::model::Strand;
use crate::seq::revcomp;
use crate::shift::{duplication, shift_3prime};

fn range_text(l: &Layout, glo: u32, ghi: u32, out: &mut String) -> bool {
    let (first, last) = match l.strand {
        Strand::Forward => (glo, ghi),
        Strand::Reverse => (ghi, glo),
    };
    if !l.g_pos_text(first, out) {
        return false;
    }
    if glo != ghi {
        out.push('_');
        if !l.g_pos_text(last, out) {
            return false;
        }
    }
    true
}

fn push_tx_bases(strand: Strand, b: &[u8], out: &mut String) {
    match strand {
        Strand::Forward => out.extend(b.iter().map(|&c| c as char)),
        Strand::Reverse => out.extend(b.iter().rev().map(|&c| crate::seq::complement(c) as char)),
    }
}

/// The allele HGVS describes: insertions and deletions moved 3' in the transcript (within
/// its span); `None` for an indel when the sequence is unavailable.
pub(crate) fn hgvs_allele(cx: &Ctx) -> Option<Allele> {
    let (t, a) = (cx.t, cx.a);
    if a.reference.is_empty() || a.alternate.is_empty() {
        shift_3prime(a, t.strand, t.chrom, cx.seq?, t.start(), t.end())
    } else {
        Some(a.clone())
    }
}

/// The `c.`/`n.` description of `a` (from [`hgvs_allele`]), prefixed by `accession:` when
/// given, or `None` when the variant is not inside the transcript.
pub(crate) fn hgvs_c(cx: &Ctx, a: &Allele, accession: Option<&str>) -> Option<String> {
    let (t, l) = (cx.t, cx.l);
    let mut out = String::with_capacity(48);
    if let Some(acc) = accession {
        out.push_str(acc);
        out.push(':');
    }
    out.push_str(if l.cds.is_some() { "c." } else { "n." });
    let a = a.clone();
    if a.is_insertion() {
        // an insertion whose neighbourhood is not stored cannot be told from a duplication
        if let Some((lo, hi)) = duplication(&a, t.strand, t.chrom, cx.seq?)? {
            // a copied stretch reaching outside the transcript cannot be numbered on it: the
            // change is then written as an insertion
            let mark = out.len();
            if range_text(l, lo, hi, &mut out) {
                out.push_str("dup");
                return Some(out);
            }
            out.truncate(mark);
        }
        let (first, last) = match t.strand {
            Strand::Forward => (a.end, a.start),
            Strand::Reverse => (a.start, a.end),
        };
        if !l.g_pos_text(first, &mut out) {
            return None;
        }
        out.push('_');
        if !l.g_pos_text(last, &mut out) {
            return None;
        }
        out.push_str("ins");
        push_tx_bases(t.strand, &a.alternate, &mut out);
        return Some(out);
    }
    let substitution = a.reference.len() == 1 && a.alternate.len() == 1;
    if substitution {
        if !l.g_pos_text_padded(a.start, true, &mut out) {
            return None;
        }
    } else if !range_text(l, a.start, a.end, &mut out) {
        return None;
    }
    if a.is_deletion() {
        out.push_str("del");
    } else if a.reference.len() == 1 && a.alternate.len() == 1 {
        push_tx_bases(t.strand, &a.reference, &mut out);
        out.push('>');
        push_tx_bases(t.strand, &a.alternate, &mut out);
    } else if a.reference.len() > 1 && a.alternate == revcomp(&a.reference) {
        out.push_str("inv");
    } else {
        out.push_str("delins");
        push_tx_bases(t.strand, &a.alternate, &mut out);
    }
    Some(out)
}
