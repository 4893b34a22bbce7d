//! [`GeneAnnotator`] for Odyssey's own annotator (`odyssey-annotate`), behind the `annotate`
//! feature.

use odyssey_genome::VariantKey;

use super::{GeneAnnotator, GeneEffect};

impl GeneAnnotator for odyssey_annotate::Annotator {
    /// From the reference sequence compiled into the reference data (the transcripts'
    /// stretches and their flanks), when it has one.
    fn reference_bases(
        &self,
        chrom: odyssey_genome::Chrom,
        start: u32,
        end: u32,
    ) -> Option<Vec<u8>> {
        self.data().sequence.as_ref()?.fetch(chrom, start, end)
    }

    fn describe(&self) -> String {
        format!(
            "odyssey-annotate {} ({}{})",
            self.release(),
            self.assembly(),
            if self.has_sequence() {
                ""
            } else {
                ", without reference sequence"
            }
        )
    }

    /// One effect per transcript with a gene symbol; intergenic results give none. The NCBI
    /// Gene id is the model's (MANE and RefSeq models), else the gene id when numeric. MANE Select and Ensembl canonical
    /// transcripts are marked preferred.
    fn annotate(&self, key: &VariantKey) -> Vec<GeneEffect> {
        odyssey_annotate::Annotator::annotate(self, key)
            .into_iter()
            .filter_map(|t| {
                let symbol = t.gene_symbol.as_deref()?.to_string();
                Some(GeneEffect {
                    gene_symbol: symbol,
                    ncbi_gene_id: t
                        .ncbi_gene_id
                        .or_else(|| t.gene_id.as_deref().and_then(|g| g.parse::<u32>().ok())),
                    transcript: t.transcript_id.as_deref().map(str::to_string),
                    consequences: t.consequences.clone(),
                    hgvs_c: t.hgvs_c.clone(),
                    hgvs_p: t.hgvs_p.clone(),
                    preferred: t.is_mane_select || t.is_canonical,
                })
            })
            .collect()
    }

    /// One effect per transcript with a gene symbol (rules: `odyssey_annotate::structural`);
    /// the structural detail goes with it, and `hgvs_c` carries the effect in words.
    fn annotate_structural(
        &self,
        sv: &odyssey_genome::SvInterval,
    ) -> Vec<(GeneEffect, crate::structural::SvGeneDetail)> {
        odyssey_annotate::Annotator::annotate_structural(self, sv)
            .into_iter()
            .filter_map(|(t, e)| {
                let symbol = t.gene_symbol.as_deref()?.to_string();
                let transcript = t.id.as_deref().map(str::to_string);
                let effect = GeneEffect {
                    gene_symbol: symbol,
                    ncbi_gene_id: t
                        .ncbi_gene_id
                        .or_else(|| t.gene_id.as_deref().and_then(|g| g.parse::<u32>().ok())),
                    transcript: transcript.clone(),
                    consequences: e.consequences.clone(),
                    hgvs_c: Some(e.description.clone()),
                    hgvs_p: None,
                    preferred: t.flags.mane_select || t.flags.canonical,
                };
                let detail = crate::structural::SvGeneDetail {
                    transcript,
                    whole_transcript: e.whole_transcript,
                    intragenic: e.intragenic,
                    exons: e.exons,
                    exon_count: e.exon_count,
                    coding_bases: e.coding_bases,
                    in_frame: e.in_frame,
                    description: e.description,
                };
                Some((effect, detail))
            })
            .collect()
    }

    /// True when some transcript of the models carries the symbol (a linear scan, used
    /// once per `--explain` gene that matched no variant).
    fn knows_gene(&self, symbol: &str) -> Option<bool> {
        Some(
            self.data()
                .transcripts
                .iter()
                .any(|t| t.gene_symbol.as_deref() == Some(symbol)),
        )
    }
}
