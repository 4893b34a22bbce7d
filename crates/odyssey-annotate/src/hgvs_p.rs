//! HGVS `p.` descriptions of coding changes, in three-letter amino-acid code.
//!
//! Notation from the HGVS recommendations (den Dunnen et al. 2016, Hum Mutat 37:564;
//! varnomen.hgvs.org/recommendations/protein): missense `p.Trp24Cys`, nonsense `p.Trp24Ter`,
//! silent `p.Cys188=`, deletion `p.Lys2_Met3del`, duplication `p.Gly4_Gln6dup`, insertion
//! `p.Lys2_Gly3insGlnSerLys`, deletion-insertion `p.Cys28_Lys29delinsTrp`, frameshift
//! `p.Arg97ProfsTer23` (new stop counted from the first changed residue as 1; `Ter?` when the
//! transcript holds no new stop), extension `p.Ter110GlnextTer17`, and `p.Met1?` for a lost
//! start codon. Predicted consequences are written without parentheses.
//!
//! The derivation reproduces Ensembl VEP's (McLaren et al. 2016) so that descriptions compare
//! equal: the change is taken at the 3'-shifted position of the DNA variant; the reference and
//! alternate peptides of the touched codons are trimmed of shared leading and trailing residues;
//! insertions and deletions are then moved C-terminally along the protein, and an insertion that
//! repeats the residues before it becomes a duplication. Differences from the letter of HGVS
//! that VEP makes (an inserted stop written as `insTer`, a multi-residue silent change written
//! with all residues, extensions of in-frame deletions of the stop) are kept for comparability
//! and listed in `docs/annotation.md`.

use odyssey_genome::Consequence as C;

/// Rewrites a protein description as an HGVS *predicted* consequence, in parentheses
/// (`NP_000050.3:p.Glu23ValfsTer17` → `NP_000050.3:p.(Glu23ValfsTer17)`; `p.Leu5=` →
/// `p.(Leu5=)`), as the recommendations ask for changes deduced from DNA only. `p.?` and
/// descriptions already in parentheses are returned unchanged. Odyssey, like VEP, writes the
/// bare form by default.
pub fn predicted(p: &str) -> String {
    let (acc, desc) = match p.find("p.") {
        Some(i) => (&p[..i], &p[i + 2..]),
        None => return p.to_string(),
    };
    if desc == "?" || desc.starts_with('(') || desc.is_empty() {
        return p.to_string();
    }
    format!("{acc}p.({desc})")
}

use crate::allele::Allele;
use crate::cds::{codon_change, CdsView};
use crate::codon::three_letter;
use crate::effect::{cdna_ends, protein_len, Ctx, Effect};
use crate::model::Strand;
use crate::seq::revcomp;

/// Longest stretch of transcript translated when looking for a new stop codon.
const MAX_TAIL: u32 = 3_000_000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Fs,
    Ins,
    Del,
    Sub,
    Delins,
    Dup,
    Unknown,
}

fn three(p: &[u8]) -> String {
    let mut s = String::with_capacity(p.len() * 3);
    for &aa in p {
        // VEP writes every stop, including one from `X`, as Ter
        s.push_str(if aa == b'X' { "Ter" } else { three_letter(aa) });
    }
    s
}

/// Reference protein residue `k` (1-based) with the terminal stop appended, as VEP's
/// `_peptide . '*'`; `None` past it. `plen` is [`protein_len`].
fn ref_aa(v: &CdsView, plen: u32, k: u32) -> Option<u8> {
    if k == 0 {
        return None;
    }
    if k <= plen {
        v.aa(k)
    } else if k == plen + 1 {
        Some(b'*')
    } else {
        None
    }
}

/// Alternate translation from codon `ts` on, through the first stop codon: padded CDS with the
/// allele applied, then the 3' UTR, read in chunks. Index 0 is residue `ts`.
fn alt_translation(
    v: &CdsView,
    cx: &Ctx,
    cds_start: u32,
    cds_end: u32,
    alt: &[u8],
    ts: u32,
) -> Option<Vec<u8>> {
    const CHUNK: u32 = 600;
    let codon_start = 3 * ts - 2;
    let mut s = if cds_start > codon_start {
        v.bases(codon_start, cds_start - 1)?
    } else {
        Vec::new()
    };
    s.extend_from_slice(alt);
    let mut out: Vec<u8> = Vec::new();
    let mut done = 0usize; // bases of `s` translated
    let mut next = cds_end + 1; // next padded CDS position to read
    loop {
        while s.len() - done >= 3 {
            let aa = v.code.translate_codon(&s[done..done + 3]);
            done += 3;
            out.push(aa);
            if aa == b'*' {
                return Some(out);
            }
        }
        let n0 = v.to_cdna(next.max(v.phase + 1));
        if n0 > cx.l.len || out.len() as u32 * 3 > MAX_TAIL {
            return Some(out);
        }
        let chunk = v.tail(next.max(v.phase + 1), CHUNK)?;
        if chunk.is_empty() {
            return Some(out);
        }
        next = next.max(v.phase + 1) + chunk.len() as u32;
        s.extend_from_slice(&chunk);
    }
}

/// The `p.` description (without the protein accession), or `None` outside the CDS, when the
/// sequence is unavailable, or when the change cannot be described at protein level.
/// `shifted` is the allele after the 3' rule (the original one for substitutions).
///
/// Steps (the module docs): the codons of the shifted allele → the peptides clipped of shared
/// residues → the kind of change → frameshifts followed to their first changed residue,
/// insertions and deletions moved C-terminally → the description.
pub(crate) fn hgvs_p(cx: &Ctx, e: &Effect, shifted: &Allele) -> Option<String> {
    let v = cx.view()?;
    if !shifted
        .alternate
        .iter()
        .all(|b| matches!(b, b'A' | b'C' | b'G' | b'T'))
    {
        return None;
    }
    let p = Protein::prepare(cx, &v, e, shifted)?;
    let mut ch = p.clipped_change();
    match ch.kind {
        Kind::Fs => {
            if let Some(text) = p.follow_frameshift(&mut ch)? {
                return Some(text);
            }
        }
        Kind::Ins => p.shift_insertion(&mut ch)?,
        Kind::Del => p.shift_deletion(&mut ch),
        _ => {}
    }
    p.describe(&ch)
}

/// The protein-level facts of one allele on one transcript.
struct Protein<'c, 'v> {
    cx: &'c Ctx<'c>,
    v: &'v CdsView<'v>,
    /// Padded CDS positions of the shifted allele.
    cds_start: u32,
    cds_end: u32,
    /// Alternate bases in transcript orientation.
    alt_tx: Vec<u8>,
    /// First codon touched.
    ts: u32,
    /// The touched codons' reference and alternate peptides (unclipped).
    ref_pep: Vec<u8>,
    alt_pep: Vec<u8>,
    translation_end: u32,
    frameshift: bool,
    start_lost: bool,
    stop_lost: bool,
    /// The protein length needs the whole CDS: computed only for changes that need it.
    plen: std::cell::OnceCell<u32>,
}

/// The change being described: residues `start..=end`, reference `r`, alternate `a`.
struct Change {
    kind: Kind,
    start: i64,
    end: i64,
    r: Vec<u8>,
    a: Vec<u8>,
    /// The reference peptide before clipping.
    original_ref: Vec<u8>,
}

impl<'c, 'v> Protein<'c, 'v> {
    /// Translation coordinates and codons of the shifted allele. The consequence terms
    /// describe the allele as given; when it reaches outside the CDS but its 3'-shifted
    /// equivalent lies inside (an insertion before the ATG that repeats it, a deletion across
    /// an exon start), the protein change is that of the shifted allele.
    fn prepare(cx: &'c Ctx<'c>, v: &'v CdsView<'v>, e: &Effect, shifted: &Allele) -> Option<Self> {
        let unshifted_in_cds = e.cds.0.is_some() && e.cds.1.is_some();
        let (n5, n3) = cdna_ends(cx.l, shifted);
        let to_cds = |n: Option<u32>| -> Option<u32> {
            let n = n?;
            (n >= v.cs && n <= v.ce).then(|| n - v.cs + 1 + v.phase)
        };
        let (cds_start, cds_end) = (to_cds(n5)?, to_cds(n3)?);
        let alt_tx = match cx.t.strand {
            Strand::Forward => shifted.alternate.clone(),
            Strand::Reverse => revcomp(&shifted.alternate),
        };
        // the codons of the unshifted allele when shifting did not move it
        let reuse = e.codon.as_ref().filter(|_| {
            shifted.start == cx.a.start
                && shifted.end == cx.a.end
                && shifted.alternate == cx.a.alternate
        });
        let owned;
        let cc = match reuse {
            Some(c) => c,
            None => {
                owned = codon_change(v, cds_start, cds_end, &alt_tx)?;
                &owned
            }
        };
        let has = |c: C| e.consequences.contains(&c);
        let frameshift = if unshifted_in_cds {
            has(C::FrameshiftVariant)
        } else {
            (shifted.reference.len() as i64 - shifted.alternate.len() as i64) % 3 != 0
        };
        Some(Protein {
            cx,
            v,
            cds_start,
            cds_end,
            alt_tx,
            ts: cc.translation_start,
            ref_pep: cc.ref_pep.clone(),
            alt_pep: cc.alt_pep.clone(),
            translation_end: cc.translation_end,
            frameshift,
            start_lost: has(C::StartLost),
            stop_lost: has(C::StopLost),
            plen: std::cell::OnceCell::new(),
        })
    }

    fn plen(&self) -> u32 {
        *self.plen.get_or_init(|| protein_len(self.v))
    }

    fn alt_translation(&self) -> Option<Vec<u8>> {
        alt_translation(
            self.v,
            self.cx,
            self.cds_start,
            self.cds_end,
            &self.alt_tx,
            self.ts,
        )
    }

    /// The peptides clipped of shared leading and trailing residues, and the kind of change.
    fn clipped_change(&self) -> Change {
        let mut start = i64::from(self.ts);
        let mut end = i64::from(self.translation_end);
        let mut r = self.ref_pep.clone();
        let mut a = self.alt_pep.clone();
        if r != a {
            while !r.is_empty() && !a.is_empty() && r[0] == a[0] {
                if r[0] == b'*' {
                    break;
                }
                r.remove(0);
                a.remove(0);
                start += 1;
            }
            while !r.is_empty() && !a.is_empty() && r.last() == a.last() {
                r.pop();
                a.pop();
                end -= 1;
            }
        }
        let kind = if self.frameshift {
            Kind::Fs
        } else if r.is_empty() && !a.is_empty() {
            Kind::Ins
        } else if a.is_empty() && !r.is_empty() {
            Kind::Del
        } else if r.len() == 1 && a.len() == 1 {
            Kind::Sub
        } else if (!a.is_empty() && !r.is_empty() && a.len() != r.len())
            || (a.len() > 1 && r.len() > 1)
        {
            Kind::Delins
        } else if r.is_empty() && a.is_empty() {
            Kind::Unknown
        } else {
            Kind::Sub
        };
        Change {
            kind,
            start,
            end,
            r,
            a,
            original_ref: self.ref_pep.clone(),
        }
    }

    /// A frameshift from its first changed residue: `Some(Some(text))` when described here
    /// (`fsTer`, a stop, a silent stop, a lost start), `Some(None)` when the alternate
    /// protein ends before it (then a deletion), `None` when the transcript cannot be read.
    fn follow_frameshift(&self, ch: &mut Change) -> Option<Option<String>> {
        let ts = self.ts;
        let alt_tr = self.alt_translation()?;
        let alt_len = i64::from(ts) - 1 + alt_tr.len() as i64;
        ch.start = i64::from(ts);
        if ch.start > alt_len {
            ch.kind = Kind::Del;
            ch.a.clear();
            return Some(None);
        }
        while ch.start <= alt_len {
            let ra = ref_aa(self.v, self.plen(), ch.start as u32);
            let aa = alt_tr[(ch.start - i64::from(ts)) as usize];
            if ra == Some(b'*') && aa == b'*' {
                return Some(Some(format!("p.Ter{}=", ch.start)));
            }
            if ra != Some(aa) {
                ch.r = ra.map(|x| vec![x]).unwrap_or_default();
                ch.a = vec![aa];
                break;
            }
            ch.start += 1;
        }
        let start = ch.start;
        if self.start_lost {
            return Some(Some(start_lost_text(&ch.r, start, ch.end)));
        }
        let refs = three(&ch.r);
        let refs = refs.get(..3).unwrap_or(&refs);
        let alts = three(&ch.a);
        if alts == "Ter" {
            return Some(Some(format!("p.{refs}{start}Ter")));
        }
        // new stop counted from the first changed residue (as 1)
        let stop = alt_tr
            .iter()
            .position(|&x| x == b'*')
            .map(|i| i64::from(ts) + i as i64);
        let extra = stop.map(|p| p - (start - 1)).filter(|&x| x > 0);
        Some(Some(match extra {
            Some(n) => format!("p.{refs}{start}{alts}fsTer{n}"),
            None => format!("p.{refs}{start}{alts}fsTer?"),
        }))
    }

    /// Moves an insertion C-terminally along the protein; one that repeats the residues
    /// before it becomes a duplication. `None` when the flanking residues are past the
    /// protein's end.
    fn shift_insertion(&self, ch: &mut Change) -> Option<()> {
        let v = self.v;
        let mut k = ch.end + 1;
        while let Some(x) = post_aa(v, self.plen(), k, &ch.original_ref) {
            if x != ch.a[0] {
                break;
            }
            ch.a.rotate_left(1);
            ch.start += 1;
            ch.end += 1;
            k += 1;
        }
        if !ch.a.contains(&b'*') {
            let n = ch.a.len() as i64;
            let first = ch.start - n;
            if first >= 1
                && (0..n)
                    .all(|i| ref_aa(v, self.plen(), (first + i) as u32) == Some(ch.a[i as usize]))
            {
                ch.kind = Kind::Dup;
                ch.end = ch.start - 1;
                ch.start = first;
            }
        }
        if ch.kind == Kind::Ins {
            let min = ch.start.min(ch.end);
            let plen = self.plen();
            let avail = i64::from(plen) + i64::from(ch.original_ref.first() == Some(&b'*'));
            if avail <= min {
                return None;
            }
            ch.r = [ref_aa(v, plen, min as u32), ref_aa(v, plen, min as u32 + 1)]
                .into_iter()
                .flatten()
                .collect();
        }
        Some(())
    }

    /// Moves a deletion C-terminally along the protein.
    fn shift_deletion(&self, ch: &mut Change) {
        let mut k = ch.end + 1;
        while let Some(x) = post_aa(self.v, self.plen(), k, &ch.original_ref) {
            if x != ch.r[0] {
                break;
            }
            ch.r.rotate_left(1);
            ch.start += 1;
            ch.end += 1;
            k += 1;
        }
    }

    /// The description of a settled change: lost start, silent, stop loss (extension), then
    /// by kind.
    fn describe(&self, ch: &Change) -> Option<String> {
        let (kind, start, end) = (ch.kind, ch.start, ch.end);
        if self.start_lost {
            return Some(start_lost_text(&ch.r, start, end));
        }
        let refs = three(&ch.r);
        let mut alts = if ch.a.is_empty() && matches!(kind, Kind::Del) {
            "del".to_string()
        } else {
            three(&ch.a)
        };
        if refs == alts && !matches!(kind, Kind::Fs | Kind::Ins) {
            if refs.is_empty() {
                return None;
            }
            return Some(format!("p.{refs}{start}="));
        }
        if self.stop_lost && matches!(kind, Kind::Del | Kind::Sub) {
            let head: String = alts.chars().take(3).collect();
            let extra = stop_loss_extra(
                self.v,
                self.plen(),
                self.cx,
                self.cds_start,
                self.cds_end,
                &self.alt_tx,
                self.ts,
            );
            return Some(match extra {
                Some(n) => format!("p.{refs}{start}{head}extTer{n}"),
                None => format!("p.{refs}{start}{head}extTer?"),
            });
        }
        let first = refs.get(..3).unwrap_or(&refs).to_string();
        let last = refs
            .get(refs.len().saturating_sub(3)..)
            .unwrap_or(&refs)
            .to_string();
        Some(match kind {
            Kind::Dup => {
                if start < end {
                    let alt3 = three(&ch.a);
                    format!(
                        "p.{}{start}_{}{end}dup",
                        &alt3[..3],
                        &alt3[alt3.len() - 3..]
                    )
                } else {
                    format!("p.{}{start}dup", three(&ch.a))
                }
            }
            Kind::Sub => format!("p.{refs}{start}{alts}"),
            Kind::Delins | Kind::Ins => {
                if let Some(i) = alts.find("Ter") {
                    alts.truncate(i + 3);
                }
                let word = if kind == Kind::Ins { "ins" } else { "delins" };
                if start == end && kind == Kind::Delins {
                    format!("p.{first}{start}delins{alts}")
                } else {
                    let (s, x) = if start > end {
                        (end, start)
                    } else {
                        (start, end)
                    };
                    format!("p.{first}{s}_{last}{x}{word}{alts}")
                }
            }
            Kind::Del => {
                if refs.len() > 3 {
                    format!("p.{first}{start}_{last}{end}del")
                } else {
                    format!("p.{refs}{start}del")
                }
            }
            Kind::Fs | Kind::Unknown => {
                if start != end {
                    format!("p.{refs}{start}_{alts}{end}")
                } else {
                    format!("p.{refs}{start}{alts}")
                }
            }
        })
    }
}

/// Reference residue `k` for the C-terminal shift of an insertion or deletion: the protein,
/// then the original reference peptide when it started with the stop.
fn post_aa(v: &CdsView, plen: u32, k: i64, original_ref: &[u8]) -> Option<u8> {
    if k < 1 {
        return None;
    }
    let plen = i64::from(plen);
    if k <= plen {
        return v.aa(k as u32);
    }
    if original_ref.first() == Some(&b'*') {
        return original_ref.get((k - plen - 1) as usize).copied();
    }
    None
}

fn start_lost_text(r: &[u8], start: i64, end: i64) -> String {
    let refs = three(r);
    if start != end {
        format!("p.{refs}{start}_?{end}")
    } else {
        format!("p.{refs}{start}?")
    }
}

/// Residues between the original stop and the new one for a stop-loss (VEP's
/// `_stop_loss_extra_AA` outside frameshifts): new stop position − former stop position.
fn stop_loss_extra(
    v: &CdsView,
    plen: u32,
    cx: &Ctx,
    cds_start: u32,
    cds_end: u32,
    alt: &[u8],
    ts: u32,
) -> Option<i64> {
    let alt_tr = alt_translation(v, cx, cds_start, cds_end, alt, ts)?;
    let stop = alt_tr
        .iter()
        .position(|&x| x == b'*')
        .map(|i| i64::from(ts) + i as i64)?;
    let extra = stop - 1 - i64::from(plen);
    (extra > 0).then_some(extra)
}
