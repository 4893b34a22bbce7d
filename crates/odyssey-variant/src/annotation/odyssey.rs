//! [`GeneAnnotator`] for Odyssey's own annotator (`odyssey-annotate`), behind the `annotate`
//! feature.

use odyssey_genome::VariantKey;

use super::{GeneAnnotator, GeneEffect};

impl GeneAnnotator for odyssey_annotate::Annotator {
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

    /// One effect per transcript with a gene symbol; intergenic results give none. The gene
    /// id is taken as an NCBI Gene id when numeric. MANE Select and Ensembl canonical
    /// transcripts are marked preferred.
    fn annotate(&self, key: &VariantKey) -> Vec<GeneEffect> {
        odyssey_annotate::Annotator::annotate(self, key)
            .into_iter()
            .filter_map(|t| {
                let symbol = t.gene_symbol.as_deref()?.to_string();
                Some(GeneEffect {
                    gene_symbol: symbol,
                    ncbi_gene_id: t.gene_id.as_deref().and_then(|g| g.parse::<u32>().ok()),
                    transcript: t.transcript_id.as_deref().map(str::to_string),
                    consequences: t.consequences.clone(),
                    hgvs_c: t.hgvs_c.clone(),
                    hgvs_p: t.hgvs_p.clone(),
                    preferred: t.is_mane_select || t.is_canonical,
                })
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
