//! Transcript models: exon chains, coding regions and the flags kept from GFF3/GTF.

use std::sync::Arc;

use odyssey_genome::Chrom;
use serde::{Deserialize, Serialize};

/// Genomic strand of a transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Strand {
    /// `+`: the transcript reads with increasing coordinates.
    Forward,
    /// `-`: the transcript reads with decreasing coordinates.
    Reverse,
}

impl Strand {
    /// `1` or `-1`, as in VEP's `STRAND` field.
    pub fn sign(self) -> i8 {
        match self {
            Strand::Forward => 1,
            Strand::Reverse => -1,
        }
    }
}

/// Boolean transcript attributes kept from the gene model (GFF3 `tag` / GTF `tag` values).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TranscriptFlags {
    /// Tagged `MANE_Select` (Ensembl/GENCODE) or listed as MANE Select (RefSeq `tag=MANE Select`).
    pub mane_select: bool,
    /// Tagged `MANE_Plus_Clinical`.
    pub mane_plus_clinical: bool,
    /// Tagged `Ensembl_canonical` (or the gene's only/selected transcript in the embedded data).
    pub canonical: bool,
    /// Tagged `basic`.
    pub basic: bool,
    /// Tagged `cds_start_NF`: the annotated CDS does not start with a complete start codon.
    pub cds_start_nf: bool,
    /// Tagged `cds_end_NF`: the annotated CDS does not end with a stop codon.
    pub cds_end_nf: bool,
}

/// What is known about the coding region of a transcript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CodingRegion {
    /// A non-coding transcript (no CDS annotated, biotype not protein coding).
    NonCoding,
    /// A protein-coding gene whose CDS bounds are not in the model (some embedded models):
    /// exonic variants can only be called `coding_transcript_variant`.
    Unknown,
    /// The annotated CDS.
    Coding(Cds),
}

/// A coding region in genomic coordinates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cds {
    /// Lowest genomic position of the CDS (1-based, inclusive), stop codon included when annotated.
    pub start: u32,
    /// Highest genomic position of the CDS (1-based, inclusive).
    pub end: u32,
    /// GFF3 phase of the 5'-most CDS segment in transcript orientation: the number of bases to
    /// skip before the first complete codon (non-zero only for `cds_start_NF` transcripts).
    pub phase: u8,
}

/// One transcript model.
///
/// Invariants (checked by [`Transcript::validate`]): at least one exon; exons sorted by start,
/// non-overlapping; the CDS, if any, lies within the first exon start and last exon end and its
/// bounds fall inside exons.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// Versioned transcript accession (`ENST00000380152.8`, `NM_000059.4`); `None` for embedded
    /// exon chains whose source gives no identifier.
    pub id: Option<Arc<str>>,
    /// Gene identifier (`ENSG…` or NCBI `GeneID`), when given.
    pub gene_id: Option<Arc<str>>,
    /// Gene symbol (HGNC symbol for human genes).
    pub gene_symbol: Option<Arc<str>>,
    /// NCBI Gene id, when the source gives it (RefSeq `Dbxref=GeneID:`, MANE summary).
    pub ncbi_gene_id: Option<u32>,
    /// HGNC identifier (`HGNC:1100`), when the source gives it.
    pub hgnc_id: Option<Arc<str>>,
    /// Protein accession of the CDS (`ENSP…`, `NP_…`), when given.
    pub protein_id: Option<Arc<str>>,
    /// Transcript biotype (`protein_coding`, `lncRNA`, `nonsense_mediated_decay`, …).
    pub biotype: Arc<str>,
    /// Chromosome.
    pub chrom: Chrom,
    /// Strand.
    pub strand: Strand,
    /// Exons as (start, end), 1-based inclusive, sorted ascending by position.
    pub exons: Vec<(u32, u32)>,
    /// Coding region.
    pub coding: CodingRegion,
    /// Flags from the model's tags.
    pub flags: TranscriptFlags,
    /// Accession of the identical RefSeq transcript (MANE pairs: `NM_…` for an `ENST…`).
    pub refseq_match: Option<Arc<str>>,
    /// Its protein accession (`NP_…`).
    pub refseq_protein: Option<Arc<str>>,
}

impl Transcript {
    /// First genomic base of the transcript.
    pub fn start(&self) -> u32 {
        self.exons[0].0
    }

    /// Last genomic base of the transcript.
    pub fn end(&self) -> u32 {
        self.exons[self.exons.len() - 1].1
    }

    /// The CDS when annotated.
    pub fn cds(&self) -> Option<&Cds> {
        match &self.coding {
            CodingRegion::Coding(c) => Some(c),
            _ => None,
        }
    }

    /// Spliced length (sum of exon lengths).
    pub fn spliced_len(&self) -> u32 {
        self.exons.iter().map(|(s, e)| e - s + 1).sum()
    }

    /// Checks the invariants listed on the type; returns a description of the first violation.
    pub fn validate(&self) -> Result<(), String> {
        let name = self.id.as_deref().unwrap_or("(unnamed transcript)");
        if self.exons.is_empty() {
            return Err(format!("{name}: no exons"));
        }
        for w in self.exons.windows(2) {
            if w[0].1 >= w[1].0 {
                return Err(format!(
                    "{name}: exons {:?} and {:?} overlap or are unsorted",
                    w[0], w[1]
                ));
            }
        }
        for &(s, e) in &self.exons {
            if s == 0 || e < s {
                return Err(format!("{name}: invalid exon {s}-{e}"));
            }
        }
        if let Some(c) = self.cds() {
            if c.start > c.end || c.start < self.start() || c.end > self.end() {
                return Err(format!(
                    "{name}: CDS {}-{} outside the transcript",
                    c.start, c.end
                ));
            }
            let inside = |p: u32| self.exons.iter().any(|&(s, e)| s <= p && p <= e);
            if !inside(c.start) || !inside(c.end) {
                return Err(format!(
                    "{name}: CDS bound {}-{} falls in an intron",
                    c.start, c.end
                ));
            }
            if c.phase > 2 {
                return Err(format!("{name}: CDS phase {} is not 0, 1 or 2", c.phase));
            }
        }
        Ok(())
    }

    /// Is the biotype a nonsense-mediated-decay target (`nonsense_mediated_decay`)?
    pub fn is_nmd(&self) -> bool {
        &*self.biotype == "nonsense_mediated_decay"
    }
}
