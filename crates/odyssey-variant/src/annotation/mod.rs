//! Gene and consequence annotation of variants.
//!
//! Two ways in:
//! * a [`GeneAnnotator`] (Odyssey's own transcript annotator, `odyssey-annotate`, or any other
//!   implementation), asked once per variant;
//! * annotations already present in the VCF ([`VcfAnnotations`]): Ensembl VEP `CSQ`, SnpEff
//!   `ANN` and bcftools `BCSQ`, whose sub-fields are located from the INFO header descriptions,
//!   not from fixed positions.
//!
//! Either way the result is a list of per-transcript [`GeneEffect`]s, reduced by
//! [`worst_per_gene`] to one [`GeneConsequence`] per gene: the most severe Sequence Ontology
//! term (Ensembl VEP's severity order, [`Consequence`]'s `Ord`) decides.

#[cfg(feature = "annotate")]
mod odyssey;
mod so_map;
mod symbols;
pub(crate) mod vcf_csq;

use std::collections::BTreeMap;

use odyssey_genome::{Consequence, VariantKey};
use serde::{Deserialize, Serialize};

pub use so_map::map_consequence_term;
pub use symbols::{GeneSymbols, Resolution, SymbolLog, GENE_ALIASES};
pub use vcf_csq::{VcfAnnotationKind, VcfAnnotations};

/// The effect of a variant on one transcript of one gene.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeneEffect {
    /// HGNC gene symbol.
    pub gene_symbol: String,
    /// NCBI Gene id when the annotator knows it.
    pub ncbi_gene_id: Option<u32>,
    /// Transcript accession (e.g. `NM_000141.5`, `ENST00000358487.10`).
    pub transcript: Option<String>,
    /// Sequence Ontology consequence terms on this transcript.
    pub consequences: Vec<Consequence>,
    /// HGVS coding/non-coding notation (`c.`/`n.`), as the annotator wrote it.
    pub hgvs_c: Option<String>,
    /// HGVS protein notation (`p.`).
    pub hgvs_p: Option<String>,
    /// True for the gene's preferred transcript (MANE Select, or the annotator's canonical).
    pub preferred: bool,
}

/// Source of gene and consequence annotations: implement for any annotator.
///
/// `annotate` receives a variant in minimal representation ([`VariantKey`]) and returns one
/// [`GeneEffect`] per overlapped transcript (an empty list for intergenic variants).
pub trait GeneAnnotator: Send + Sync {
    /// Name and version for provenance, e.g. `odyssey-annotate (RefSeq GRCh38 2024-08)`.
    fn describe(&self) -> String;
    /// Effects of the variant on every overlapped transcript.
    fn annotate(&self, key: &VariantKey) -> Vec<GeneEffect>;
    /// Whether the gene models contain a transcript of this HGNC symbol (case-sensitive):
    /// used to tell a misspelt `--explain` gene from a gene without variants. `None` (the
    /// default) when the annotator cannot tell.
    fn knows_gene(&self, symbol: &str) -> Option<bool> {
        let _ = symbol;
        None
    }
    /// Effects of a structural event on every transcript it touches or flanks, each with
    /// its structural detail (whole transcript, exons, coding bases, frame, the effect in
    /// words); see docs/structural-variants.md. The default: none (an annotator that cannot
    /// place structural events).
    fn annotate_structural(
        &self,
        sv: &odyssey_genome::SvInterval,
    ) -> Vec<(GeneEffect, crate::structural::SvGeneDetail)> {
        let _ = sv;
        Vec::new()
    }
    /// Upper-case reference bases of `chrom:start-end` (1-based, inclusive) when the
    /// annotator holds that stretch of the reference sequence, used to warn about VCF REF
    /// alleles that differ from it. The default: `None` (no sequence).
    fn reference_bases(
        &self,
        chrom: odyssey_genome::Chrom,
        start: u32,
        end: u32,
    ) -> Option<Vec<u8>> {
        let _ = (chrom, start, end);
        None
    }
}

/// The consequence of a variant on one gene: its most severe term over the gene's transcripts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeneConsequence {
    /// HGNC gene symbol.
    pub gene_symbol: String,
    /// NCBI Gene id when known.
    pub ncbi_gene_id: Option<u32>,
    /// The most severe consequence over the gene's transcripts.
    pub consequence: Consequence,
    /// Every term of the chosen transcript, most severe first.
    pub terms: Vec<Consequence>,
    /// Transcript giving the most severe consequence.
    pub transcript: Option<String>,
    /// HGVS c./n. on that transcript.
    pub hgvs_c: Option<String>,
    /// HGVS p. on that transcript.
    pub hgvs_p: Option<String>,
}

/// Reduces per-transcript effects to one [`GeneConsequence`] per gene symbol.
///
/// The most severe consequence decides; among transcripts sharing it, a preferred transcript
/// (MANE Select/canonical) wins, then the lexicographically smallest transcript id (a stated,
/// deterministic tie rule). Output is ordered by gene symbol. Effects without any consequence
/// term are ignored.
pub fn worst_per_gene(effects: &[GeneEffect]) -> Vec<GeneConsequence> {
    let mut best: BTreeMap<&str, (&GeneEffect, Consequence)> = BTreeMap::new();
    for e in effects {
        let Some(worst) = e.consequences.iter().min().copied() else {
            continue;
        };
        if e.gene_symbol.is_empty() {
            continue;
        }
        match best.get(e.gene_symbol.as_str()) {
            None => {
                best.insert(&e.gene_symbol, (e, worst));
            }
            Some((b, bw)) => {
                let better = (
                    worst,
                    !e.preferred,
                    e.transcript.as_deref().unwrap_or("\u{10FFFF}"),
                ) < (
                    *bw,
                    !b.preferred,
                    b.transcript.as_deref().unwrap_or("\u{10FFFF}"),
                );
                if better {
                    best.insert(&e.gene_symbol, (e, worst));
                }
            }
        }
    }
    best.into_values()
        .map(|(e, worst)| {
            let mut terms = e.consequences.clone();
            terms.sort();
            terms.dedup();
            // a gene id seen on any transcript of the gene
            let ncbi = e.ncbi_gene_id.or_else(|| {
                effects
                    .iter()
                    .filter(|x| x.gene_symbol == e.gene_symbol)
                    .find_map(|x| x.ncbi_gene_id)
            });
            GeneConsequence {
                gene_symbol: e.gene_symbol.clone(),
                ncbi_gene_id: ncbi,
                consequence: worst,
                terms,
                transcript: e.transcript.clone(),
                hgvs_c: e.hgvs_c.clone(),
                hgvs_p: e.hgvs_p.clone(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eff(g: &str, tx: &str, c: &[Consequence], preferred: bool) -> GeneEffect {
        GeneEffect {
            gene_symbol: g.into(),
            ncbi_gene_id: None,
            transcript: Some(tx.into()),
            consequences: c.to_vec(),
            hgvs_c: Some(format!("{tx}:c.1A>G")),
            hgvs_p: None,
            preferred,
        }
    }

    #[test]
    fn most_severe_per_gene_with_tie_rule() {
        use Consequence::*;
        let effects = vec![
            eff("B", "T2", &[IntronVariant], false),
            eff("A", "T9", &[MissenseVariant, SpliceRegionVariant], false),
            eff("A", "T5", &[SynonymousVariant], true),
            eff("A", "T7", &[MissenseVariant], true),
            eff("A", "T1", &[MissenseVariant], false),
        ];
        let g = worst_per_gene(&effects);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].gene_symbol, "A");
        assert_eq!(g[0].consequence, MissenseVariant);
        // missense on T9, T7 (preferred) and T1: preferred wins the tie
        assert_eq!(g[0].transcript.as_deref(), Some("T7"));
        let g2 = worst_per_gene(&effects[1..2]);
        assert_eq!(g2[0].terms, vec![MissenseVariant, SpliceRegionVariant]);
        // without a preferred transcript, the smallest id wins
        let g3 = worst_per_gene(&[effects[1].clone(), effects[4].clone()]);
        assert_eq!(g3[0].transcript.as_deref(), Some("T1"));
    }
}
