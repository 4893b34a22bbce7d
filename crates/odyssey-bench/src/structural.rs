//! Structural causal variants of the corpus for the spiked mode: phenopacket-store gives
//! them without a `vcfRecord`, as a label. A label that states coordinates, a copy number
//! or direction, and the assembly, e.g. `deletion of 105 kb at 12q12(46125066-46230365)x1
//! (GRCh37/hg19)` or `del hg38; Chr7:146,711,006-146,914,175`, becomes a symbolic record
//! (`<DEL>`/`<DUP>` with `END`) spiked into the background (docs/structural-variants.md).
//! Further label forms are placed by [`place`] with the case's causal gene (as all spiking
//! uses the known answer): intervals without an assembly (the assembly inferred from the
//! causal gene), exon ranges of the causal gene and whole-gene deletions/duplications, both
//! placed on the gene's canonical transcript in the embedded gene models. The rules are in
//! docs/structural-variants.md; labels that cannot be placed are counted by [`Skip`] reason.

use odyssey_genome::{Assembly, Chrom};

/// A structural variant as a phenopacket labels it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StructuralLabel {
    /// The `variationDescriptor.label`.
    pub label: String,
    /// HGNC symbol of the descriptor's `geneContext`, when given.
    pub gene: Option<String>,
    /// Zygosity.
    pub allelic_state: crate::corpus::AllelicState,
    /// `structuralType` label (`chromosomal_deletion`), used for the direction when the
    /// label states none.
    pub structural_type: String,
}

/// What a label states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedLabel {
    /// Assembly named in the label.
    pub assembly: Assembly,
    /// Chromosome (from the cytoband or `ChrN:`).
    pub chrom: Chrom,
    /// First affected base.
    pub start: u64,
    /// Last affected base.
    pub end: u64,
    /// Copy number (`x1`), when given.
    pub copy_number: Option<u32>,
    /// Loss (true) or gain.
    pub loss: bool,
}

/// The assembly a label names (`GRCh37`, `hg19`, `GRCh38`, `hg38`), if exactly one.
fn label_assembly(l: &str) -> Option<Assembly> {
    let low = l.to_ascii_lowercase();
    let a37 = low.contains("grch37") || low.contains("hg19");
    let a38 = low.contains("grch38") || low.contains("hg38");
    match (a37, a38) {
        (true, false) => Some(Assembly::GRCh37),
        (false, true) => Some(Assembly::GRCh38),
        _ => None,
    }
}

/// A number written with optional thousands separators.
fn number(s: &str) -> Option<u64> {
    let t: String = s.chars().filter(|c| *c != ',').collect();
    (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
        .then(|| t.parse().ok())
        .flatten()
}

/// `(46125066-46230365)x1` after a cytoband (`12q12`, `16q24.2-q24.3 `): chromosome,
/// interval, copy number.
fn iscn(l: &str) -> Option<(Chrom, u64, u64, Option<u32>)> {
    let open = l.find('(')?;
    let close = open + l[open..].find(')')?;
    let inner = &l[open + 1..close];
    let (a, b) = inner.split_once('-').or_else(|| inner.split_once('_'))?;
    let (start, end) = (number(a.trim())?, number(b.trim())?);
    let cn = l[close + 1..]
        .strip_prefix('x')
        .and_then(|r| r.chars().next())
        .and_then(|c| c.to_digit(10));
    // the cytoband ends the last word before '(' (`12q12`, `arr{hg38}9q34.11`): its
    // chromosome is the digits/X/Y before the arm letter
    let word = l[..open].trim_end().rsplit(' ').next()?;
    let chrom = (0..word.len()).find_map(|i| {
        let prev_digit = i > 0 && word.as_bytes()[i - 1].is_ascii_digit();
        let band = &word[i..];
        let c: String = band
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == 'X' || *c == 'Y')
            .collect();
        let arm = band[c.len()..].starts_with('p') || band[c.len()..].starts_with('q');
        (!prev_digit && !c.is_empty() && arm)
            .then(|| c.parse::<Chrom>().ok())
            .flatten()
    })?;
    Some((chrom, start, end, cn))
}

/// `Chr7:146,711,006-146,914,175`: chromosome and interval.
fn colon_interval(l: &str) -> Option<(Chrom, u64, u64)> {
    let low = l.to_ascii_lowercase();
    let i = low.find("chr")?;
    let rest = &l[i + 3..];
    let (c, r) = rest.split_once(':')?;
    let r: String = r
        .chars()
        .take_while(|ch| ch.is_ascii_digit() || *ch == ',' || *ch == '-')
        .collect();
    let (a, b) = r.split_once('-')?;
    Some((c.trim().parse().ok()?, number(a)?, number(b)?))
}

/// Parses a label (module docs) with the variant's `structuralType` label. `None` when it
/// lacks coordinates, the assembly, or a direction (a copy number other than 2, the words
/// deletion/del/duplication/dup in the label, or a deletion/duplication structural type).
pub fn parse_label(l: &str, structural_type: &str) -> Option<ParsedLabel> {
    let assembly = label_assembly(l)?;
    let low = format!("{} {}", l, structural_type).to_ascii_lowercase();
    let (chrom, start, end, cn) = match iscn(l) {
        Some(x) => x,
        None => {
            let (c, s, e) = colon_interval(l)?;
            (c, s, e, None)
        }
    };
    if start == 0 || end <= start {
        return None;
    }
    let loss = match cn {
        Some(n) if n < 2 => true,
        Some(n) if n > 2 => false,
        Some(_) => return None,
        None if low.contains("del") => true,
        None if low.contains("dup") => false,
        None => return None,
    };
    Some(ParsedLabel {
        assembly,
        chrom,
        start,
        end,
        copy_number: cn,
        loss,
    })
}

/// Bases added beyond a gene's outermost exon when a placed event reaches past it (a whole
/// gene, or an exon range that includes the first or last exon): the label does not say
/// where the event ends outside the gene, so the smallest event consistent with it plus this
/// margin is spiked.
pub const GENE_MARGIN: u64 = 1_000;

/// A gene's canonical transcript in one assembly, on which exon-range and whole-gene labels
/// are placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneModel {
    /// Chromosome.
    pub chrom: Chrom,
    /// Transcribed on the forward strand (exon 1 is the leftmost exon).
    pub forward: bool,
    /// Exons as (start, end), 1-based inclusive, ascending by position.
    pub exons: Vec<(u64, u64)>,
}

impl GeneModel {
    /// First and last transcribed base (genomic order).
    pub fn span(&self) -> Option<(u64, u64)> {
        Some((self.exons.first()?.0, self.exons.last()?.1))
    }
}

/// Which label form placed an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Form {
    /// Coordinates and an assembly in the label ([`parse_label`]).
    IntervalWithAssembly,
    /// Coordinates (ISCN, `g.` HGVS, `chrN:a-b`) without an assembly, which was inferred.
    IntervalInferredAssembly,
    /// An exon range of the causal gene.
    ExonRange,
    /// The whole causal gene.
    WholeGene,
}

impl Form {
    /// snake_case name for the report.
    pub fn key(self) -> &'static str {
        match self {
            Form::IntervalWithAssembly => "interval_with_assembly",
            Form::IntervalInferredAssembly => "interval_inferred_assembly",
            Form::ExonRange => "exon_range",
            Form::WholeGene => "whole_gene",
        }
    }
}

/// Why a label was not placed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    /// A translocation or inversion: not a copy-number event.
    Translocation,
    /// No position: a named region (`Type-1 microdeletion`), a size (`DEL 12kb`), a band.
    NoPosition,
    /// An interval in an assembly other than GRCh37/GRCh38 (NCBI36/hg18).
    UnsupportedAssembly,
    /// An interval without a chromosome (`g.8783887_9068578del`).
    NoChromosome,
    /// An interval without an assembly that overlaps the causal gene in both GRCh37 and
    /// GRCh38.
    AssemblyAmbiguous,
    /// An interval without an assembly that overlaps the causal gene in neither assembly.
    AssemblyNotInferred,
    /// No single causal gene to place an exon range or whole-gene event on.
    NoCausalGene,
    /// The causal gene is not in the embedded gene models.
    GeneNotInModels,
    /// An exon number beyond the canonical transcript's exon count (or a range in reverse).
    ExonOutOfRange,
    /// Neither loss nor gain stated (no del/dup/loss/gain word, copy number or type).
    NoDirection,
    /// An interval that does not lift to the background's assembly.
    Liftover,
    /// Any other label.
    Unparsed,
}

/// The smallest `N` in `a` that is followed by an exon word, e.g. `5` of `exon 5`, with the
/// range end: `exons 2-4`, `Ex8-9del`, `exons 1 through 3`, `exon1-7`, `E2_E5del`.
fn exon_range(low: &str) -> Option<(u32, u32)> {
    let b = low.as_bytes();
    let digits = |mut i: usize| {
        let s = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        (i > s).then(|| (low[s..i].parse::<u32>().ok(), i))
    };
    for (i, _) in low.match_indices('e') {
        if i > 0 && b[i - 1].is_ascii_alphabetic() {
            continue;
        }
        let mut j = i + 1;
        if low[j..].starts_with("xons") {
            j += 4;
        } else if low[j..].starts_with("xon") {
            j += 3;
        } else if low[j..].starts_with('x') {
            j += 1;
        }
        while j < b.len() && (b[j] == b' ' || b[j] == b':') {
            j += 1;
        }
        let Some((Some(first), k)) = digits(j) else {
            continue;
        };
        let rest = &low[k..];
        let mut last = first;
        for sep in [" through ", " to ", " - ", "-", "_e", "_"] {
            if let Some(r) = rest.strip_prefix(sep) {
                let off = k + sep.len();
                let off = off + usize::from(sep == "_" && r.starts_with('e'));
                if let Some((Some(n), _)) = digits(off) {
                    last = n;
                }
                break;
            }
        }
        return Some((first, last));
    }
    None
}

/// Loss (true) or gain from the label's words, else the structural type's.
fn direction(label: &str, structural_type: &str) -> Option<bool> {
    let words = |t: &str| {
        let t = t.to_ascii_lowercase();
        let loss = t.contains("del") || t.contains("loss");
        let gain = t.contains("dup") || t.contains("gain");
        match (loss, gain) {
            (true, false) => Some(true),
            (false, true) => Some(false),
            _ => None,
        }
    };
    words(label).or_else(|| words(structural_type))
}

/// `chr9:g.137574569_138212068del`, `NC_000001.11:g.12617576_12621501del`,
/// `NC_000019.10:g.(?_32675848)_(32678300_?)del` (the inner, certainly affected bounds):
/// chromosome (when stated), assembly (from a RefSeq accession), interval.
fn hgvs_g(l: &str) -> Option<(Option<Chrom>, Option<Assembly>, u64, u64)> {
    let g = l.find("g.")?;
    let prefix = l[..g].trim_end_matches(':').trim();
    let body = &l[g + 2..];
    let stop = body.find(|c: char| c.is_ascii_alphabetic())?;
    let nums: Vec<u64> = body[..stop]
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .filter_map(|t| t.parse().ok())
        .collect();
    let [start, end] = nums[..] else { return None };
    let (chrom, asm) = if let Some(c) = prefix.to_ascii_lowercase().strip_prefix("chr") {
        (Some(c.parse().ok()?), None)
    } else if prefix.starts_with("NC_") {
        let hit = [Assembly::GRCh37, Assembly::GRCh38]
            .into_iter()
            .find_map(|a| {
                Chrom::all()
                    .find(|c| *c != Chrom::MT && a.refseq_accession(*c) == prefix)
                    .map(|c| (c, a))
            })?;
        (Some(hit.0), Some(hit.1))
    } else {
        (None, None)
    };
    Some((chrom, asm, start, end))
}

/// The assembly in which `chrom:start-end` overlaps the causal gene's canonical transcript:
/// exactly one of GRCh37/GRCh38, else the reason.
fn infer_assembly(
    chrom: Chrom,
    start: u64,
    end: u64,
    gene: Option<&str>,
    models: &dyn Fn(Assembly, &str) -> Option<GeneModel>,
) -> Result<Assembly, Skip> {
    let gene = gene.ok_or(Skip::NoCausalGene)?;
    let hits: Vec<Assembly> = [Assembly::GRCh37, Assembly::GRCh38]
        .into_iter()
        .filter(|a| {
            models(*a, gene).is_some_and(|m| {
                m.chrom == chrom && m.span().is_some_and(|(s, e)| s <= end && start <= e)
            })
        })
        .collect();
    match hits[..] {
        [a] => Ok(a),
        [] => Err(Skip::AssemblyNotInferred),
        _ => Err(Skip::AssemblyAmbiguous),
    }
}

/// An interval label without an assembly (ISCN `16q24.3(89249149_89376186)x1`, `g.` HGVS,
/// `chrN:a-b`), placed in the assembly a RefSeq accession names or [`infer_assembly`] finds.
/// `None` when the label has no interval.
fn interval_without_assembly(
    s: &StructuralLabel,
    gene: Option<&str>,
    models: &dyn Fn(Assembly, &str) -> Option<GeneModel>,
) -> Option<Result<ParsedLabel, Skip>> {
    let l = &s.label;
    let (chrom, asm, start, end, cn) = if let Some((c, a, b, n)) = iscn(l) {
        (Some(c), None, a, b, n)
    } else if let Some((c, asm, a, b)) = hgvs_g(l) {
        (c, asm, a, b, None)
    } else {
        let (c, a, b) = colon_interval(l)?;
        (Some(c), None, a, b, None)
    };
    let low = l.to_ascii_lowercase();
    if ["build 36", "ncbi36", "hg18"]
        .iter()
        .any(|w| low.contains(w))
    {
        return Some(Err(Skip::UnsupportedAssembly));
    }
    let Some(chrom) = chrom else {
        return Some(Err(Skip::NoChromosome));
    };
    if start == 0 || end <= start {
        return Some(Err(Skip::Unparsed));
    }
    let loss = match cn {
        Some(n) if n != 2 => n < 2,
        Some(_) => return Some(Err(Skip::NoDirection)),
        None => match direction(l, &s.structural_type) {
            Some(d) => d,
            None => return Some(Err(Skip::NoDirection)),
        },
    };
    let assembly = match asm {
        Some(a) => a,
        None => match infer_assembly(chrom, start, end, gene, models) {
            Ok(a) => a,
            Err(e) => return Some(Err(e)),
        },
    };
    Some(Ok(ParsedLabel {
        assembly,
        chrom,
        start,
        end,
        copy_number: cn,
        loss,
    }))
}

/// Exons `first..=last` (numbered 5'→3' on the transcript) of `m` as a genomic interval
/// whose breakpoints are the midpoints of the flanking introns; a range reaching the
/// outermost exon on a side ends [`GENE_MARGIN`] bases beyond it.
pub fn exon_interval(m: &GeneModel, first: u32, last: u32) -> Option<(u64, u64)> {
    let n = m.exons.len();
    let (first, last) = (first as usize, last as usize);
    if first == 0 || last < first || last > n {
        return None;
    }
    // genomic indices of the range (exon k is index k-1 forward, n-k reverse)
    let (lo, hi) = if m.forward {
        (first - 1, last - 1)
    } else {
        (n - last, n - first)
    };
    let start = match lo {
        0 => m.exons[0].0.saturating_sub(GENE_MARGIN).max(1),
        i => (m.exons[i - 1].1 + m.exons[i].0) / 2,
    };
    let end = if hi + 1 == n {
        m.exons[hi].1 + GENE_MARGIN
    } else {
        (m.exons[hi].1 + m.exons[hi + 1].0) / 2
    };
    Some((start, end))
}

/// Whether a label states a whole-gene event: `gene deletion`, `gene duplication`,
/// `deletion of entire PYCR1 gene`, `DEL_AHDC1_gene`, `Total_AMT_gene_deletion`,
/// `... whole POGZ-gene`; not `intragenic`, not several `genes`.
fn whole_gene(low: &str) -> bool {
    low.contains("gene")
        && !low.contains("intragenic")
        && !low.contains("genes")
        && [
            "entire",
            "whole",
            "total",
            "gene deletion",
            "gene duplication",
            "_gene",
        ]
        .iter()
        .any(|w| low.contains(w))
}

/// Places a structural label: the form that placed it and the event, or why not. `gene` is
/// the case's causal gene (HGNC symbol), `models(assembly, symbol)` its canonical transcript
/// in the embedded gene models, `target` the assembly exon-range and whole-gene events are
/// placed in (the background's). Rules, in order (docs/structural-variants.md):
/// coordinates with an assembly ([`parse_label`]); an interval without one (assembly from a
/// RefSeq accession, else the one of GRCh37/GRCh38 in which the interval overlaps the causal
/// gene); an exon range ([`exon_interval`]); a whole gene (its span ± [`GENE_MARGIN`]).
pub fn place(
    s: &StructuralLabel,
    gene: Option<&str>,
    models: &dyn Fn(Assembly, &str) -> Option<GeneModel>,
    target: Assembly,
) -> Result<(Form, ParsedLabel), Skip> {
    if let Some(p) = parse_label(&s.label, &s.structural_type) {
        return Ok((Form::IntervalWithAssembly, p));
    }
    let low = s.label.to_ascii_lowercase();
    if low.contains("translocation")
        || low.contains("inversion")
        || low.contains("inv]")
        || low.contains("inv;")
        || s.structural_type.contains("translocation")
    {
        return Err(Skip::Translocation);
    }
    if let Some(r) = interval_without_assembly(s, gene, models) {
        return r.map(|p| (Form::IntervalInferredAssembly, p));
    }
    let exons = exon_range(&low).filter(|_| !low.contains("intron"));
    if exons.is_none() && !whole_gene(&low) {
        return Err(if low.contains("c.") || low.contains("intron") {
            Skip::Unparsed
        } else {
            Skip::NoPosition
        });
    }
    let loss = direction(&s.label, &s.structural_type).ok_or(Skip::NoDirection)?;
    let gene = gene.ok_or(Skip::NoCausalGene)?;
    let m = models(target, gene).ok_or(Skip::GeneNotInModels)?;
    let (start, end) = match exons {
        Some((a, b)) => exon_interval(&m, a, b).ok_or(Skip::ExonOutOfRange)?,
        None => {
            let (a, b) = m.span().ok_or(Skip::GeneNotInModels)?;
            (a.saturating_sub(GENE_MARGIN).max(1), b + GENE_MARGIN)
        }
    };
    let form = if exons.is_some() {
        Form::ExonRange
    } else {
        Form::WholeGene
    };
    Ok((
        form,
        ParsedLabel {
            assembly: target,
            chrom: m.chrom,
            start,
            end,
            copy_number: None,
            loss,
        },
    ))
}

/// The canonical transcript of every gene in the embedded gene models of `assembly`: the
/// MANE Select transcript, else the one flagged canonical, else the first in the models'
/// order; loaded once. `None` for a symbol not in the models (and for every symbol if the
/// embedded models failed to decode, which their own tests rule out).
pub fn embedded_gene_model(assembly: Assembly, symbol: &str) -> Option<GeneModel> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static CACHE: [OnceLock<HashMap<String, GeneModel>>; 2] = [OnceLock::new(), OnceLock::new()];
    let slot = &CACHE[usize::from(assembly == Assembly::GRCh38)];
    let map = slot.get_or_init(|| {
        let mut best: HashMap<String, (u8, GeneModel)> = HashMap::new();
        let Ok(a) = odyssey_annotate::Annotator::embedded(assembly) else {
            return HashMap::new();
        };
        for t in &a.data().transcripts {
            let Some(sym) = t.gene_symbol.as_deref() else {
                continue;
            };
            let rank = if t.flags.mane_select {
                0
            } else if t.flags.canonical {
                1
            } else {
                2
            };
            if best.get(sym).is_some_and(|(r, _)| *r <= rank) {
                continue;
            }
            let m = GeneModel {
                chrom: t.chrom,
                forward: t.strand == odyssey_annotate::Strand::Forward,
                exons: t
                    .exons
                    .iter()
                    .map(|(s, e)| (u64::from(*s), u64::from(*e)))
                    .collect(),
            };
            best.insert(sym.to_string(), (rank, m));
        }
        best.into_iter().map(|(k, (_, m))| (k, m)).collect()
    });
    map.get(symbol).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(l: &str, structural_type: &str) -> StructuralLabel {
        StructuralLabel {
            label: l.into(),
            gene: None,
            allelic_state: crate::corpus::AllelicState::Heterozygous,
            structural_type: structural_type.into(),
        }
    }

    /// Four exons of 101 bases at 10,000/10,300/10,500/10,700 on chr2; introns
    /// 10,201-10,299, 10,401-10,499, 10,601-10,699.
    fn four_exons(forward: bool) -> GeneModel {
        GeneModel {
            chrom: Chrom::autosome(2).unwrap(),
            forward,
            exons: vec![
                (10_000, 10_100),
                (10_300, 10_400),
                (10_500, 10_600),
                (10_700, 10_800),
            ],
        }
    }

    /// `GENE` on chr2 in both assemblies (the same hand-made model), `ANK` on chr16 at
    /// 89,334,029-89,556,969 (GRCh37) and 89,267,621-89,490,561 (GRCh38), `NINE` on chr9 at
    /// 137,600,000-137,700,000 (GRCh37) and 134,700,000-134,800,000 (GRCh38).
    fn models(a: Assembly, g: &str) -> Option<GeneModel> {
        let one = |c: u8, s: u64, e: u64| GeneModel {
            chrom: Chrom::autosome(c).unwrap(),
            forward: true,
            exons: vec![(s, e)],
        };
        let b37 = a == Assembly::GRCh37;
        match g {
            "GENE" => Some(four_exons(true)),
            "REV" => Some(four_exons(false)),
            "ANK" if b37 => Some(one(16, 89_334_029, 89_556_969)),
            "ANK" => Some(one(16, 89_267_621, 89_490_561)),
            "NINE" if b37 => Some(one(9, 137_600_000, 137_700_000)),
            "NINE" => Some(one(9, 134_700_000, 134_800_000)),
            _ => None,
        }
    }

    fn placed(l: &str, st: &str, gene: &str) -> Result<(Form, Assembly, u64, u64, bool), Skip> {
        place(&label(l, st), Some(gene), &models, Assembly::GRCh38)
            .map(|(f, p)| (f, p.assembly, p.start, p.end, p.loss))
    }

    #[test]
    fn exon_range_forms() {
        for (l, want) in [
            ("Ex8-9del", (8, 9)),
            ("DEL Ex 3-5", (3, 5)),
            ("exon 5 deletion", (5, 5)),
            ("deletion of exons 2-4", (2, 4)),
            ("Deletion of exons 6 through 9", (6, 9)),
            ("E2_E5del", (2, 5)),
            ("DEL exon1-7", (1, 7)),
            ("DEL:exon 6-8", (6, 8)),
            ("exon23 del c.(2059+1_2060-1)_(2235+1_ 2236-1)del", (23, 23)),
            ("32 kb del in 1q21.3 (Exons 4-19)", (4, 19)),
        ] {
            assert_eq!(exon_range(&l.to_ascii_lowercase()), Some(want), "{l}");
        }
        assert_eq!(exon_range("type-1 microdeletion"), None);
        assert_eq!(exon_range("del 3-5"), None);
    }

    #[test]
    fn exon_ranges_on_a_hand_made_model() {
        let f = four_exons(true);
        // exons 2-3: midpoints of introns 10,101-10,299 and 10,601-10,699
        assert_eq!(exon_interval(&f, 2, 3), Some((10_200, 10_650)));
        // exon 1 reaches the gene's start: 1,000 bases before it
        assert_eq!(exon_interval(&f, 1, 2), Some((9_000, 10_450)));
        assert_eq!(exon_interval(&f, 4, 4), Some((10_650, 11_800)));
        assert_eq!(exon_interval(&f, 3, 5), None);
        assert_eq!(exon_interval(&f, 3, 2), None);
        // reverse strand: exon 1 is the rightmost
        let r = four_exons(false);
        assert_eq!(exon_interval(&r, 1, 2), Some((10_450, 11_800)));
        assert_eq!(exon_interval(&r, 4, 4), Some((9_000, 10_200)));
        assert_eq!(
            placed("DEL Ex 2-3", "", "GENE"),
            Ok((Form::ExonRange, Assembly::GRCh38, 10_200, 10_650, true))
        );
        assert_eq!(
            placed("gain of GENE exon 4", "", "GENE"),
            Ok((Form::ExonRange, Assembly::GRCh38, 10_650, 11_800, false))
        );
        assert_eq!(placed("Exons 7-8", "", "GENE"), Err(Skip::NoDirection));
        assert_eq!(
            placed("Exons 1-2", "chromosomal_deletion", "REV"),
            Ok((Form::ExonRange, Assembly::GRCh38, 10_450, 11_800, true))
        );
        assert_eq!(
            placed("exons 3-9 del", "", "GENE"),
            Err(Skip::ExonOutOfRange)
        );
        assert_eq!(
            placed("exon 2 del", "", "ABSENT"),
            Err(Skip::GeneNotInModels)
        );
        assert_eq!(
            placed("duplication in intron 1 and exon 2", "", "GENE"),
            Err(Skip::Unparsed)
        );
    }

    #[test]
    fn whole_genes() {
        for l in [
            "gene deletion",
            "deletion of entire GENE gene",
            "DEL_GENE_gene",
            "Total_GENE_gene_deletion",
        ] {
            assert_eq!(
                placed(l, "", "GENE"),
                Ok((Form::WholeGene, Assembly::GRCh38, 9_000, 11_800, true)),
                "{l}"
            );
        }
        assert_eq!(
            placed("gene duplication", "", "GENE").map(|p| p.4),
            Ok(false)
        );
        assert_eq!(
            placed("4,997-bp intragenic deletion in the GENE gene", "", "GENE"),
            Err(Skip::NoPosition)
        );
        assert_eq!(
            place(&label("gene deletion", ""), None, &models, Assembly::GRCh38),
            Err(Skip::NoCausalGene)
        );
    }

    #[test]
    fn intervals_without_assembly() {
        // ISCN with `_`: 89,547,555-89,556,020 overlaps ANK only in GRCh37 (GRCh38 ends at
        // 89,490,561)
        assert_eq!(
            placed("16q24.3(89547555_89556020)x1", "", "ANK"),
            Ok((
                Form::IntervalInferredAssembly,
                Assembly::GRCh37,
                89_547_555,
                89_556_020,
                true
            ))
        );
        // overlaps both assemblies' ANK: ambiguous
        assert_eq!(
            placed("16q24.3(89249149_89376186)x1", "", "ANK"),
            Err(Skip::AssemblyAmbiguous)
        );
        // gain from the copy number; overlaps neither
        assert_eq!(
            placed("16q24.3(80000000_80100000)x3", "", "ANK"),
            Err(Skip::AssemblyNotInferred)
        );
        // g. HGVS on chr9 overlapping NINE in GRCh37 only
        assert_eq!(
            placed("chr9:g.137574569_138212068del", "", "NINE"),
            Ok((
                Form::IntervalInferredAssembly,
                Assembly::GRCh37,
                137_574_569,
                138_212_068,
                true
            ))
        );
        assert_eq!(
            placed("chr9:g.137610632_137625064dup", "", "NINE").map(|p| p.4),
            Ok(false)
        );
        // a RefSeq accession names the assembly (NC_000001.11 is GRCh38's chr1,
        // NC_000002.11 GRCh37's chr2); uncertain ends keep the inner bounds
        assert_eq!(
            placed("NC_000001.11:g.12617576_12621501del", "", "OTHER"),
            Ok((
                Form::IntervalInferredAssembly,
                Assembly::GRCh38,
                12_617_576,
                12_621_501,
                true
            ))
        );
        assert_eq!(
            placed("NC_000002.11:g.213900960_213921017dup", "", "OTHER").map(|p| (p.1, p.4)),
            Ok((Assembly::GRCh37, false))
        );
        assert_eq!(
            placed("NC_000019.10:g.(?_32675848)_(32678300_?)del", "", "OTHER").map(|p| (p.2, p.3)),
            Ok((32_675_848, 32_678_300))
        );
        assert_eq!(
            placed("g.8783887_9068578del", "", "NINE"),
            Err(Skip::NoChromosome)
        );
        assert_eq!(
            placed("chr22:g.49275958_49362964del(NCBI Build 36.1)", "", "NINE"),
            Err(Skip::UnsupportedAssembly)
        );
        assert_eq!(
            placed("chr9:g.(?_135204722)_qterdel", "", "NINE"),
            Err(Skip::NoPosition)
        );
        // no gene to infer from
        assert_eq!(
            place(
                &label("16q24.3(89547555_89556020)x1", ""),
                None,
                &models,
                Assembly::GRCh38
            ),
            Err(Skip::NoCausalGene)
        );
    }

    #[test]
    fn unplaceable_labels() {
        assert_eq!(
            placed("Type-1 microdeletion", "", "GENE"),
            Err(Skip::NoPosition)
        );
        assert_eq!(placed("DEL 12kb", "", "GENE"), Err(Skip::NoPosition));
        assert_eq!(
            placed("translocation", "chromosomal_translocation", "GENE"),
            Err(Skip::Translocation)
        );
        assert_eq!(
            placed(
                "NC_000003.12:g.[136152145_136152149delinsC;136152802_136152981inv]",
                "",
                "GENE"
            ),
            Err(Skip::Translocation)
        );
        // a label with coordinates and an assembly keeps its own placement
        assert_eq!(
            placed("del hg38; Chr7:146,711,006-146,914,175", "", "GENE"),
            Ok((
                Form::IntervalWithAssembly,
                Assembly::GRCh38,
                146_711_006,
                146_914_175,
                true
            ))
        );
    }

    #[test]
    fn labels_of_phenopacket_store() {
        let p = parse_label(
            "deletion of 105 kb at 12q12(46125066-46230365)x1 (GRCh37/hg19)",
            "chromosome_structure_variation",
        )
        .unwrap();
        assert_eq!(
            (p.assembly, p.chrom, p.start, p.end, p.copy_number, p.loss),
            (
                Assembly::GRCh37,
                Chrom::autosome(12).unwrap(),
                46_125_066,
                46_230_365,
                Some(1),
                true
            )
        );
        let p = parse_label("del hg38; Chr7:146,711,006-146,914,175", "").unwrap();
        assert_eq!(
            (p.assembly, p.chrom, p.start, p.end, p.loss),
            (
                Assembly::GRCh38,
                Chrom::autosome(7).unwrap(),
                146_711_006,
                146_914_175,
                true
            )
        );
        let p = parse_label("GRCh37 16q24.2-q24.3 (88641808-89332049)x3", "").unwrap();
        assert_eq!((p.chrom, p.loss), (Chrom::autosome(16).unwrap(), false));
        // a cytoband after an `arr{hg38}` prefix, thousands separators
        let p = parse_label("arr{hg38}9q34.11 (128,582,754-128,587,726)x1", "").unwrap();
        assert_eq!(
            (p.assembly, p.chrom, p.start, p.end),
            (
                Assembly::GRCh38,
                Chrom::autosome(9).unwrap(),
                128_582_754,
                128_587_726
            )
        );
        // the direction from the structural type when the label has none
        let p = parse_label("Chr9:108,331,353-110,707,332(hg19)", "chromosomal_deletion").unwrap();
        assert!(p.loss);
        assert!(parse_label("Chr9:108,331,353-110,707,332(hg19)", "").is_none());
        // start after end (a typo in the source): refused
        assert!(parse_label("arr[GRCh37] 1p31.1(705835088-70682550)x1", "").is_none());
        // no assembly stated: not guessed
        assert!(parse_label("16q24.3(89161684-89505106)x1", "").is_none());
        // no coordinates
        assert!(parse_label("deletion of exons 2-9 (GRCh37)", "").is_none());
        // copy number 2 is no change
        assert!(parse_label("1p36(1000-2000)x2 hg19", "").is_none());
    }
}
