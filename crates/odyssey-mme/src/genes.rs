//! Gene identity across the three forms the MME specification allows for `gene.id`: Ensembl
//! gene id (`ENSG…`, version suffix ignored), NCBI (Entrez) gene id (digits, also
//! `NCBIGene:`/`Entrez:` prefixed) and HGNC symbol (case-insensitive).
//!
//! Every id is mapped to one key: the HGNC symbol in upper case when the resolver knows the
//! gene, else the normalised id itself (so two records naming an unknown gene the same way
//! still match). The knowledge base supplies NCBI id ↔ symbol for its disease genes
//! ([`GeneResolver::from_kb`]); Ensembl ids, and genes outside the knowledge base, come
//! from [`GeneResolver::add`] (e.g. fed from a gene model table).

use std::collections::HashMap;

use odyssey_kb::KnowledgeBase;

/// Maps gene ids to a canonical key.
#[derive(Clone, Debug, Default)]
pub struct GeneResolver {
    /// Normalised id (upper case, no version, no prefix) → canonical key.
    keys: HashMap<String, String>,
}

/// The normalised form of an id: trimmed, upper case, `NCBIGene:`/`Entrez:`/`HGNC:`-free,
/// Ensembl version suffix removed.
pub fn normalise(id: &str) -> String {
    let mut s = id.trim().to_ascii_uppercase();
    for prefix in ["NCBIGENE:", "ENTREZ:", "ENTREZGENE:", "ENSEMBL:"] {
        if let Some(r) = s.strip_prefix(prefix) {
            s = r.to_string();
        }
    }
    if s.starts_with("ENSG") {
        if let Some((base, _version)) = s.split_once('.') {
            s = base.to_string();
        }
    }
    s
}

impl GeneResolver {
    /// An empty resolver: every id is its own key after [`normalise`].
    pub fn new() -> Self {
        Self::default()
    }

    /// NCBI gene id and HGNC symbol of every gene of the knowledge base.
    pub fn from_kb(kb: &KnowledgeBase) -> Self {
        let mut r = Self::new();
        for g in kb.genes() {
            r.add(&g.symbol, &[&g.id.0.to_string()]);
        }
        r
    }

    /// Adds the Ensembl and NCBI gene ids of every transcript model of Odyssey's embedded
    /// gene models (GRCh38 and GRCh37, `odyssey_annotate::Annotator::embedded`), so that
    /// `ENSG…` ids resolve to HGNC symbols. Errors when an embedded model cannot be decoded.
    #[cfg(feature = "annotate")]
    pub fn with_gene_models(mut self) -> Result<Self, odyssey_annotate::Error> {
        for assembly in [
            odyssey_genome::Assembly::GRCh38,
            odyssey_genome::Assembly::GRCh37,
        ] {
            let annotator = odyssey_annotate::Annotator::embedded(assembly)?;
            for t in &annotator.data().transcripts {
                let Some(symbol) = &t.gene_symbol else {
                    continue;
                };
                let ncbi = t.ncbi_gene_id.map(|n| n.to_string());
                let aliases: Vec<&str> = t
                    .gene_id
                    .as_deref()
                    .into_iter()
                    .chain(ncbi.as_deref())
                    .collect();
                self.add(symbol, &aliases);
            }
        }
        Ok(self)
    }

    /// Registers a gene by HGNC symbol with other ids (Ensembl, NCBI) that mean it.
    pub fn add(&mut self, symbol: &str, aliases: &[&str]) {
        let key = normalise(symbol);
        for a in aliases {
            let a = normalise(a);
            if !a.is_empty() {
                self.keys.entry(a).or_insert_with(|| key.clone());
            }
        }
        self.keys.insert(key.clone(), key);
    }

    /// The canonical key of `id`.
    pub fn key(&self, id: &str) -> String {
        let n = normalise(id);
        self.keys.get(&n).cloned().unwrap_or(n)
    }

    /// Number of ids known.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no id is known.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}
