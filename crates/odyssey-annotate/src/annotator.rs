//! The public entry point: [`Annotator`] annotates a [`VariantKey`] against every transcript
//! within 5 kb, returning one [`TranscriptAnnotation`] per transcript (or one intergenic record).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use odyssey_genome::{Assembly, Consequence, Impact, VariantKey};

use crate::allele::Allele;
use crate::effect::{effect, Ctx, FLANK_DISTANCE};
use crate::error::Error;
use crate::hgvs_c::{hgvs_allele, hgvs_c};
use crate::hgvs_p::hgvs_p;
use crate::index::TxIndex;
use crate::layout::Layout;
use crate::model::{Strand, Transcript};
use crate::store::RefData;

/// A 1-based rank range out of a total, e.g. exon `3/12` or, for a variant spanning two,
/// `3-4/12` (VEP's `EXON`/`INTRON` fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rank {
    /// First feature touched (1-based, transcript order).
    pub first: u32,
    /// Last feature touched.
    pub last: u32,
    /// Number of such features in the transcript.
    pub total: u32,
}

impl Rank {
    pub(crate) fn push_to(&self, out: &mut String) {
        use crate::fmtnum::push_u64;
        push_u64(out, u64::from(self.first));
        if self.first != self.last {
            out.push('-');
            push_u64(out, u64::from(self.last));
        }
        out.push('/');
        push_u64(out, u64::from(self.total));
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last {
            write!(f, "{}/{}", self.first, self.total)
        } else {
            write!(f, "{}-{}/{}", self.first, self.last, self.total)
        }
    }
}

/// The annotation of one variant on one transcript.
///
/// An intergenic variant (no transcript within 5 kb) yields a single annotation whose
/// `consequences` is `[IntergenicVariant]` and whose gene and transcript fields are `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TranscriptAnnotation {
    /// Gene symbol (HGNC symbol for human genes).
    pub gene_symbol: Option<Arc<str>>,
    /// Gene identifier: Ensembl `ENSG…` or NCBI Gene id, whichever the model gives.
    pub gene_id: Option<Arc<str>>,
    /// NCBI Gene id when the model carries it (RefSeq models, embedded MANE models).
    pub ncbi_gene_id: Option<u32>,
    /// HGNC identifier when the model carries it.
    pub hgnc_id: Option<Arc<str>>,
    /// Versioned transcript accession; `None` for embedded exon chains without identifier.
    pub transcript_id: Option<Arc<str>>,
    /// Protein accession when known.
    pub protein_id: Option<Arc<str>>,
    /// Accession of the identical RefSeq transcript (MANE: `NM_…` beside an `ENST…`).
    pub refseq_transcript_id: Option<Arc<str>>,
    /// Transcript biotype.
    pub biotype: Option<Arc<str>>,
    /// Transcript strand.
    pub strand: Option<Strand>,
    /// MANE Select transcript.
    pub is_mane_select: bool,
    /// MANE Plus Clinical transcript.
    pub is_mane_plus_clinical: bool,
    /// Ensembl canonical transcript.
    pub is_canonical: bool,
    /// Sequence Ontology consequences, most severe first (VEP order).
    pub consequences: Vec<Consequence>,
    /// Exon(s) touched.
    pub exon: Option<Rank>,
    /// Intron(s) touched.
    pub intron: Option<Rank>,
    /// HGVS coding (`c.`) or non-coding (`n.`) description, prefixed by the transcript
    /// accession when known (`NM_000059.4:c.68_69del`).
    pub hgvs_c: Option<String>,
    /// HGVS protein description prefixed by the protein accession when known
    /// (`NP_000050.3:p.Glu23ValfsTer17`); predicted, written without parentheses as VEP does.
    /// `p.?` when the variant touches the CDS but no reference sequence is available.
    pub hgvs_p: Option<String>,
    /// Distance (bp) to the transcript for upstream/downstream variants.
    pub distance: Option<u32>,
    /// cDNA positions of the variant (start, end; an insertion has end = start − 1).
    pub cdna_position: Option<(u32, u32)>,
    /// CDS positions (1-based; `c.` numbering inside the CDS).
    pub cds_position: Option<(u32, u32)>,
    /// Codon numbers (protein positions) touched.
    pub protein_position: Option<(u32, u32)>,
    /// Reference/alternate amino acids (`R/W`, VEP's `Amino_acids`).
    pub amino_acids: Option<String>,
    /// Reference/alternate codons with changed bases in upper case (`cGg/cAg`).
    pub codons: Option<String>,
    /// Whether the reference sequence was available: without it, coding SNVs are
    /// `coding_sequence_variant` with `hgvs_p` `p.?`, and indels get no `hgvs_c`.
    pub sequence_available: bool,
}

impl TranscriptAnnotation {
    /// The most severe consequence (VEP order).
    pub fn most_severe(&self) -> Consequence {
        self.consequences
            .iter()
            .copied()
            .min()
            .unwrap_or(Consequence::SequenceVariant)
    }

    /// VEP impact class of the most severe consequence.
    pub fn impact(&self) -> Impact {
        self.most_severe().impact()
    }

    fn intergenic() -> Self {
        TranscriptAnnotation {
            gene_symbol: None,
            gene_id: None,
            ncbi_gene_id: None,
            hgnc_id: None,
            transcript_id: None,
            protein_id: None,
            refseq_transcript_id: None,
            biotype: None,
            strand: None,
            is_mane_select: false,
            is_mane_plus_clinical: false,
            is_canonical: false,
            consequences: vec![Consequence::IntergenicVariant],
            exon: None,
            intron: None,
            hgvs_c: None,
            hgvs_p: None,
            distance: None,
            cdna_position: None,
            cds_position: None,
            protein_position: None,
            amino_acids: None,
            codons: None,
            sequence_available: false,
        }
    }
}

/// Picks one annotation per gene: the most severe consequence, ties broken by MANE Select,
/// then MANE Plus Clinical, then Ensembl canonical, then transcript id (lexicographic).
/// Annotations without a gene (intergenic) are kept as one entry. Output is ordered by gene
/// symbol (then gene id).
pub fn most_severe_per_gene(anns: &[TranscriptAnnotation]) -> Vec<&TranscriptAnnotation> {
    let key = |a: &TranscriptAnnotation| {
        (
            a.most_severe(),
            !a.is_mane_select,
            !a.is_mane_plus_clinical,
            !a.is_canonical,
            a.transcript_id.clone(),
        )
    };
    let mut best: Vec<&TranscriptAnnotation> = Vec::new();
    for a in anns {
        let gene = (a.gene_symbol.clone(), a.gene_id.clone());
        match best
            .iter_mut()
            .find(|b| (b.gene_symbol.clone(), b.gene_id.clone()) == gene)
        {
            Some(b) => {
                if key(a) < key(b) {
                    *b = a;
                }
            }
            None => best.push(a),
        }
    }
    best.sort_by(|a, b| (&a.gene_symbol, &a.gene_id).cmp(&(&b.gene_symbol, &b.gene_id)));
    best
}

/// 3'-shifted alleles of one variant, per strand: shifting ignores transcript bounds unless the
/// result leaves the transcript, so transcripts on one strand share the computation.
#[derive(Default)]
struct ShiftCache {
    fwd: Option<Option<Allele>>,
    rev: Option<Option<Allele>>,
}

impl ShiftCache {
    /// The allele HGVS describes for this transcript (see [`hgvs_allele`]).
    fn get<'s>(&'s mut self, a: &'s Allele, cx: &Ctx) -> Option<std::borrow::Cow<'s, Allele>> {
        use std::borrow::Cow;
        if !a.reference.is_empty() && !a.alternate.is_empty() {
            return Some(Cow::Borrowed(a));
        }
        let seq = cx.seq?;
        let slot = match cx.t.strand {
            Strand::Forward => &mut self.fwd,
            Strand::Reverse => &mut self.rev,
        };
        let s = slot
            .get_or_insert_with(|| {
                crate::shift::shift_3prime(a, cx.t.strand, cx.t.chrom, seq, 1, u32::MAX)
            })
            .as_ref()?;
        let (lo, hi) = (cx.t.start(), cx.t.end());
        let inside = if s.is_insertion() {
            s.end >= lo && s.start <= hi
        } else {
            s.start >= lo && s.end <= hi
        };
        if inside {
            Some(Cow::Borrowed(s))
        } else {
            hgvs_allele(cx).map(Cow::Owned)
        }
    }
}

struct Inner {
    data: RefData,
    layouts: Vec<Layout>,
    index: TxIndex,
    distance: u32,
}

/// Consequence and HGVS annotator over one compiled set of transcript models.
///
/// Cheap to clone and `Sync`: share it across rayon workers. `annotate` is a pure function of
/// the variant.
#[derive(Clone)]
pub struct Annotator {
    inner: Arc<Inner>,
}

impl fmt::Debug for Annotator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Annotator")
            .field("assembly", &self.assembly())
            .field("release", &self.release())
            .field("transcripts", &self.inner.data.transcripts.len())
            .field("has_sequence", &self.has_sequence())
            .finish()
    }
}

impl Annotator {
    /// Wraps compiled reference data.
    pub fn new(data: RefData) -> Annotator {
        Self::with_distance(data, FLANK_DISTANCE)
    }

    /// Like [`Annotator::new`] with another upstream/downstream distance in bp (VEP's
    /// `--distance`; 0 reports only transcripts the variant overlaps).
    pub fn with_distance(data: RefData, distance: u32) -> Annotator {
        let layouts = data.transcripts.iter().map(Layout::new).collect();
        let index = TxIndex::build(&data.transcripts, distance + 1);
        Annotator {
            inner: Arc::new(Inner {
                data,
                layouts,
                index,
                distance,
            }),
        }
    }

    /// The same models with another upstream/downstream distance (see
    /// [`Annotator::with_distance`]); rebuilds the index, shares nothing mutable.
    pub fn distance(&self, distance: u32) -> Annotator {
        Self::with_distance(self.inner.data.clone(), distance)
    }

    /// The gene models compiled into the binary for `assembly` (see `docs/annotation.md`
    /// for what they contain and lack). Decoded on first use, then shared.
    pub fn embedded(assembly: Assembly) -> Result<Annotator, Error> {
        crate::embedded::annotator(assembly)
    }

    /// Loads a file written by `odyssey refdata build`. Errors: [`Error::Io`],
    /// [`Error::BadStore`].
    pub fn from_path(path: &Path) -> Result<Annotator, Error> {
        Ok(Annotator::new(RefData::load(path)?))
    }

    /// Assembly of the models.
    pub fn assembly(&self) -> Assembly {
        self.inner.data.meta.assembly
    }

    /// Whether reference sequence is available (full consequences and HGVS for indels).
    pub fn has_sequence(&self) -> bool {
        self.inner
            .data
            .sequence
            .as_ref()
            .is_some_and(|s| !s.is_empty())
    }

    /// Provenance label, e.g. `GENCODE v44 MANE Select (embedded)`.
    pub fn release(&self) -> &str {
        &self.inner.data.meta.release
    }

    /// The compiled data.
    pub fn data(&self) -> &RefData {
        &self.inner.data
    }

    /// Annotates a variant on every transcript within 5 kb; one intergenic annotation when
    /// there is none. Order: transcripts by genomic start, then end, then id.
    pub fn annotate(&self, v: &VariantKey) -> Vec<TranscriptAnnotation> {
        let a = Allele::from_key(v);
        let inner = &*self.inner;
        let txs = &inner.data.transcripts;
        let (lo, hi) = (a.start.min(a.end), a.start.max(a.end));
        let mut hits: Vec<usize> = Vec::new();
        inner.index.for_each(txs, v.chrom, lo, hi, |i| hits.push(i));
        hits.sort_unstable();
        let seq = inner.data.sequence.as_ref().filter(|s| !s.is_empty());
        let mut out = Vec::with_capacity(hits.len().max(1));
        let mut shifts = ShiftCache::default();
        for i in hits {
            let t = &txs[i];
            let cx = Ctx::new(t, &inner.layouts[i], &a, seq);
            if let Some(e) = effect(&cx, inner.distance) {
                out.push(self.build(&cx, t, e, &mut shifts));
            }
        }
        if out.is_empty() {
            out.push(TranscriptAnnotation::intergenic());
        }
        out
    }

    /// The effect of a structural event on every transcript within the flank distance
    /// (5 kb by default) of its affected interval, as `(transcript, effect)` pairs ordered by
    /// transcript start, end and id; empty when no transcript is that close. Rules:
    /// [`crate::structural`].
    pub fn annotate_structural(
        &self,
        sv: &odyssey_genome::SvInterval,
    ) -> Vec<(&Transcript, crate::structural::StructuralEffect)> {
        let inner = &*self.inner;
        let txs = &inner.data.transcripts;
        let mut hits: Vec<usize> = Vec::new();
        inner
            .index
            .for_each(txs, sv.chrom, sv.start, sv.end, |i| hits.push(i));
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter()
            .filter_map(|i| {
                let t = &txs[i];
                crate::structural::structural_effect(t, sv, inner.distance).map(|e| (t, e))
            })
            .collect()
    }

    /// Internal details of one (variant, transcript) computation, for debugging comparisons.
    #[doc(hidden)]
    pub fn explain(&self, v: &VariantKey, transcript_id: &str) -> String {
        let a = Allele::from_key(v);
        let inner = &*self.inner;
        let seq = inner.data.sequence.as_ref().filter(|s| !s.is_empty());
        let mut out = String::new();
        for (i, t) in inner.data.transcripts.iter().enumerate() {
            if t.id
                .as_deref()
                .is_none_or(|id| !id.starts_with(transcript_id))
            {
                continue;
            }
            let cx = Ctx::new(t, &inner.layouts[i], &a, seq);
            let e = effect(&cx, inner.distance);
            let sh = hgvs_allele(&cx);
            out.push_str(&format!(
                "{t:?}\nlayout cds={:?} phase={} len={}\nallele={a:?}\nshifted={sh:?}\neffect={e:?}\n",
                inner.layouts[i].cds, inner.layouts[i].phase, inner.layouts[i].len
            ));
            if let Some(s) = &sh {
                if let Some(v) = cx.view() {
                    let (n5, n3) = crate::effect::cdna_ends(cx.l, s);
                    out.push_str(&format!("shifted cdna {n5:?} {n3:?}\n"));
                    let _ = v;
                }
            }
        }
        out
    }

    fn build(
        &self,
        cx: &Ctx,
        t: &Transcript,
        mut e: crate::effect::Effect,
        shifts: &mut ShiftCache,
    ) -> TranscriptAnnotation {
        let l = cx.l;
        let flanking = e.distance.is_some();
        let shifted = if flanking { None } else { shifts.get(cx.a, cx) };
        let hc = shifted
            .as_deref()
            .and_then(|s| hgvs_c(cx, s, t.id.as_deref()));
        let mut hp = shifted.as_deref().and_then(|s| hgvs_p(cx, &e, s));
        if hp.is_none()
            && !e.had_sequence
            && t.cds().is_some()
            && (e.cds.0.is_some() || e.cds.1.is_some())
        {
            // the variant touches the CDS but the codons are unknown: HGVS "p.?"
            hp = Some("p.?".to_string());
        }
        let prefix = |acc: &Option<Arc<str>>, s: String| match acc {
            Some(id) => {
                let mut p = String::with_capacity(id.len() + 1 + s.len());
                p.push_str(id);
                p.push(':');
                p.push_str(&s);
                p
            }
            None => s,
        };
        let n_exons = l.exons.len() as u32;
        let cdna_position = match e.cdna {
            (Some(x), Some(y)) => Some((x, y)),
            _ => None,
        };
        let phase = u32::from(l.phase);
        let cds_position = match e.cds {
            (Some(x), Some(y)) => Some((x.saturating_sub(phase), y.saturating_sub(phase))),
            _ => None,
        };
        let (protein_position, amino_acids, codons) = match &e.codon {
            Some(c) => {
                let pp = Some((
                    c.translation_start,
                    c.translation_end.max(c.translation_start),
                ));
                let aa = |p: &[u8]| {
                    if p.is_empty() {
                        "-".to_string()
                    } else {
                        String::from_utf8_lossy(p).into_owned()
                    }
                };
                let amino = if c.ref_pep == c.alt_pep {
                    aa(&c.ref_pep)
                } else {
                    format!("{}/{}", aa(&c.ref_pep), aa(&c.alt_pep))
                };
                let cod = |p: &[u8]| {
                    if p.is_empty() {
                        "-".to_string()
                    } else {
                        String::from_utf8_lossy(p).into_owned()
                    }
                };
                (
                    pp,
                    Some(amino),
                    Some(format!("{}/{}", cod(&c.ref_codons), cod(&c.alt_codons))),
                )
            }
            None => (None, None, None),
        };
        TranscriptAnnotation {
            gene_symbol: t.gene_symbol.clone(),
            gene_id: t.gene_id.clone(),
            ncbi_gene_id: t.ncbi_gene_id,
            hgnc_id: t.hgnc_id.clone(),
            transcript_id: t.id.clone(),
            protein_id: t.protein_id.clone(),
            refseq_transcript_id: t.refseq_match.clone(),
            biotype: Some(t.biotype.clone()),
            strand: Some(t.strand),
            is_mane_select: t.flags.mane_select,
            is_mane_plus_clinical: t.flags.mane_plus_clinical,
            is_canonical: t.flags.canonical,
            consequences: std::mem::take(&mut e.consequences),
            exon: e.exons.map(|(a, b)| Rank {
                first: a,
                last: b,
                total: n_exons,
            }),
            intron: e.introns.map(|(a, b)| Rank {
                first: a,
                last: b,
                total: n_exons - 1,
            }),
            hgvs_c: hc,
            hgvs_p: hp.map(|s| prefix(&t.protein_id, s)),
            distance: e.distance,
            cdna_position,
            cds_position,
            protein_position,
            amino_acids,
            codons,
            sequence_available: e.had_sequence || (cx.seq.is_some() && t.cds().is_none()),
        }
    }
}
