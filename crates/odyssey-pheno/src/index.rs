//! Posting lists over the knowledge base that make scoring a case a matter of walking the
//! ancestors of its terms: for every term t, the diseases that show t (directly or through a
//! more specific annotation) with the frequency, the diseases annotated exactly at t, and the
//! diseases with a `NOT` annotation at t. Built once per knowledge base and model settings
//! (tens of milliseconds), shared by all cases.

use odyssey_kb::{DiseaseDb, DiseaseIdx, KnowledgeBase, TermIdx};

use crate::profile::ProfileBuilder;

/// How a disease's frequency of a general term is derived from its more specific annotations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Propagation {
    /// f(a) = max over annotated descendants (LIRICAL's rule, Robinson et al. 2020).
    Max,
    /// f(a) = 1 - prod(1 - f_i), the features assumed independent.
    NoisyOr,
}

/// Settings that shape the index.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct IndexOptions {
    /// Disease databases whose diseases are ranked.
    pub databases: Vec<DiseaseDb>,
    /// Frequency assumed for an annotation without one (a proportion in (0, 1]).
    pub unknown_frequency: f64,
    /// Frequency propagation to ancestors.
    pub propagation: Propagation,
}

/// `u32 -> [(u32, f32)]` postings in flat arrays.
#[derive(Clone, Debug, Default)]
pub(crate) struct Postings {
    offsets: Vec<u32>,
    pos: Vec<u32>,
    freq: Vec<f32>,
}

impl Postings {
    fn from_rows(rows: Vec<Vec<(u32, f32)>>) -> Postings {
        let mut p = Postings {
            offsets: Vec::with_capacity(rows.len() + 1),
            ..Default::default()
        };
        p.offsets.push(0);
        for r in rows {
            for (a, b) in r {
                p.pos.push(a);
                p.freq.push(b);
            }
            p.offsets.push(p.pos.len() as u32);
        }
        p
    }

    #[inline]
    pub(crate) fn row(&self, t: TermIdx) -> (&[u32], &[f32]) {
        let (s, e) = (
            self.offsets[t as usize] as usize,
            self.offsets[t as usize + 1] as usize,
        );
        (&self.pos[s..e], &self.freq[s..e])
    }
}

/// `u32 -> [u32]` rows in flat arrays.
#[derive(Clone, Debug, Default)]
pub(crate) struct Rows {
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl Rows {
    fn push(&mut self, row: impl IntoIterator<Item = u32>) {
        if self.offsets.is_empty() {
            self.offsets.push(0);
        }
        self.values.extend(row);
        self.offsets.push(self.values.len() as u32);
    }

    #[inline]
    pub(crate) fn row(&self, i: usize) -> &[u32] {
        &self.values[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }
}

/// The index. Diseases are addressed by their position in [`PhenoIndex::diseases`].
#[derive(Clone, Debug)]
pub struct PhenoIndex {
    pub(crate) diseases: Vec<DiseaseIdx>,
    /// t -> diseases showing t or a descendant, with the propagated frequency.
    pub(crate) implied: Postings,
    /// t -> diseases annotated exactly at t, with the annotation frequency.
    pub(crate) direct: Postings,
    /// t -> diseases with `NOT t` (or a frequency of zero).
    pub(crate) negated: Postings,
    /// position -> directly annotated phenotype terms (flat rows).
    pub(crate) disease_terms: Rows,
    /// position -> genes of the disease (flat rows).
    pub(crate) disease_genes: Rows,
    /// Background P(t | a random disease of the index) = mean propagated frequency.
    pub(crate) background: Vec<f64>,
    pub(crate) options: IndexOptions,
}

impl PhenoIndex {
    /// Builds the index for the diseases of `options.databases` that have at least one
    /// phenotype annotation. Annotations with aspect other than P are not used; a positive
    /// annotation with frequency zero (`0/n`, HP:0040285 Excluded) counts as `NOT`.
    pub fn build(kb: &KnowledgeBase, options: IndexOptions) -> PhenoIndex {
        let n_terms = kb.ontology().len();
        let mut implied: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_terms];
        let mut direct: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_terms];
        let mut negated: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n_terms];
        let mut diseases = Vec::new();
        let mut disease_terms = Rows::default();
        let mut disease_genes = Rows::default();
        let mut background = vec![0.0f64; n_terms];
        let mut builder = ProfileBuilder::new(n_terms);
        for (di, d) in kb.diseases().iter().enumerate() {
            if !options.databases.contains(&d.id.db) {
                continue;
            }
            let Some(profile) = builder.build(kb, d, &options, &|_| false) else {
                continue;
            };
            let pos = diseases.len() as u32;
            diseases.push(di as DiseaseIdx);
            for &(a, f) in &profile.implied {
                implied[a as usize].push((pos, f));
                background[a as usize] += f64::from(f);
            }
            for &(t, f) in &profile.direct {
                direct[t as usize].push((pos, f));
            }
            for &t in &profile.negated {
                negated[t as usize].push((pos, 0.0));
            }
            disease_terms.push(profile.direct.iter().map(|e| e.0));
            disease_genes.push(d.genes.iter().copied());
        }
        let n = diseases.len().max(1) as f64;
        for b in &mut background {
            *b /= n;
        }
        PhenoIndex {
            diseases,
            implied: Postings::from_rows(implied),
            direct: Postings::from_rows(direct),
            negated: Postings::from_rows(negated),
            disease_terms,
            disease_genes,
            background,
            options,
        }
    }

    /// The ranked diseases (knowledge-base indices), by position.
    pub fn diseases(&self) -> &[DiseaseIdx] {
        &self.diseases
    }

    /// Background probability of a term: the mean, over the indexed diseases, of the
    /// probability that a patient with the disease shows the term.
    pub fn background(&self, t: TermIdx) -> f64 {
        self.background[t as usize]
    }

    /// Number of direct phenotype annotations of the disease at `pos`.
    pub fn disease_terms_len(&self, pos: usize) -> usize {
        self.disease_terms.row(pos).len()
    }

    /// Settings the index was built with.
    pub fn options(&self) -> &IndexOptions {
        &self.options
    }

    /// Position of a disease in the index.
    pub fn position(&self, d: DiseaseIdx) -> Option<usize> {
        self.diseases.binary_search(&d).ok()
    }
}
