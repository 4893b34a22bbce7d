//! The compiled knowledge base: ontology, diseases, genes and information content.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::annotation::{Annotation, Aspect};
use crate::asof::{filter_as_of, AsOfReport, CurationDate};
use crate::disease::{Disease, DiseaseIdx, Gene, GeneIdx, ModeOfInheritance};
use crate::error::{Error, Result};
use crate::g2p::{read_genes_to_phenotype_checked, GeneDiseaseLink};
use crate::hpoa::{read_hpoa, HpoaFile};
use crate::id::{DiseaseDb, DiseaseId, HpoId, NcbiGeneId};
use crate::obo::{read_obo, OboFile};
use crate::ontology::{Ontology, Resolution, TermIdx};
use crate::pool::{Span, StrPool};
use crate::textfile::find_in;

/// Where the knowledge base came from: versions and the source files' checksums.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KbMeta {
    /// HPO release date (YYYY-MM-DD) from `hp.obo`'s `data-version`.
    pub hpo_release: String,
    /// `#version` of `phenotype.hpoa` (YYYY-MM-DD).
    pub annotations_release: String,
    /// Odyssey version that compiled the file.
    pub built_with: String,
    /// Source files: (file name, xxh3-64 of the bytes as read, hex).
    pub sources: Vec<(String, String)>,
}

/// Counts reported by `odyssey kb info`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KbStats {
    /// Current (non-obsolete) terms.
    pub terms: usize,
    /// Current terms under HP:0000118.
    pub phenotype_terms: usize,
    /// Alternative and obsolete ids the resolver maps.
    pub secondary_ids: usize,
    /// Diseases per namespace (OMIM, ORPHA, DECIPHER).
    pub diseases: Vec<(String, usize)>,
    /// Genes linked to at least one disease.
    pub genes: usize,
    /// All annotation lines.
    pub annotations: usize,
    /// Annotation lines with the NOT qualifier.
    pub negated_annotations: usize,
    /// Gene-disease links.
    pub gene_disease_links: usize,
}

/// Non-fatal findings while building, to be shown to the user.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BuildReport {
    /// Annotation ids that were alternative or obsolete ids, mapped to current terms
    /// (id, replacement).
    pub remapped: Vec<(HpoId, HpoId)>,
    /// Annotation lines dropped because their term is obsolete without replacement (line).
    pub dropped_obsolete: Vec<(usize, HpoId)>,
    /// Gene-disease links whose disease has no annotation in `phenotype.hpoa` (kept as genes
    /// without that disease).
    pub links_without_disease: usize,
    /// Extra annotation rows ([`KnowledgeBase::build_with`]) dropped because this release
    /// does not know their term.
    pub extra_unknown_terms: usize,
    /// Rows kept and dropped by an as-of date ([`KnowledgeBase::build_as_of`]); `None` for a
    /// build of the whole release.
    pub as_of: Option<AsOfReport>,
}

/// The knowledge base. Build it with [`KnowledgeBase::build`] or load a compiled file
/// ([`KnowledgeBase::load`], [`KnowledgeBase::embedded`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnowledgeBase {
    pub(crate) meta: KbMeta,
    pub(crate) ontology: Ontology,
    pub(crate) diseases: Vec<Disease>,
    pub(crate) genes: Vec<Gene>,
    pub(crate) strings: StrPool,
    pub(crate) pool: Vec<u32>,
    pub(crate) ic: Vec<f64>,
    pub(crate) term_disease_counts: Vec<u32>,
    pub(crate) diseases_counted: u32,
    /// Terms of a newer HPO release mapped to known ancestors (given at run time, never
    /// stored in the compiled file).
    #[serde(skip)]
    pub(crate) newer: Option<crate::NewerTerms>,
    /// MONDO exact matches of the diseases (attached when built or loaded, never stored).
    #[serde(skip)]
    pub(crate) equivalents: crate::equivalents::Equivalents,
    /// Calibration and case report ids: stored after the main record (format version 2,
    /// see the `file` module), so not part of its postcard encoding.
    #[serde(skip)]
    pub(crate) supplement: crate::Supplement,
}

impl KnowledgeBase {
    /// Builds the knowledge base from an HPO release folder holding `hp.obo`,
    /// `phenotype.hpoa` and `genes_to_phenotype.txt` (each plain or `.gz`).
    ///
    /// Errors: any reader error (file, line, field); an annotation term unknown to the
    /// ontology ([`Error::Malformed`] naming the line of `phenotype.hpoa` or
    /// `genes_to_phenotype.txt`); a file present both plain and `.gz` with different contents.
    pub fn build(dir: &Path) -> Result<(KnowledgeBase, BuildReport)> {
        Self::build_as_of(dir, None)
    }

    /// Builds the knowledge base as its annotations stood on `as_of` (inclusive): only the
    /// `phenotype.hpoa` rows whose earliest biocuration date is on or before it, plus undated
    /// rows (see the `asof` module for the rules and what cannot be dated: Orphanet rows carry
    /// the import date). The date is recorded in [`KbMeta::annotations_release`] as
    /// `"<release> as of <date>"`, so every report names it. `None` builds the whole release.
    ///
    /// Errors: as [`KnowledgeBase::build`].
    pub fn build_as_of(
        dir: &Path,
        as_of: Option<CurationDate>,
    ) -> Result<(KnowledgeBase, BuildReport)> {
        Self::build_with(dir, as_of, None)
    }

    /// As [`KnowledgeBase::build_as_of`], plus `extra` phenotype annotations (e.g. derived
    /// from published case reports, [`ExtraKnowledge`]) appended to `phenotype.hpoa`'s rows
    /// (not filtered by `as_of`), and gene links for the diseases that
    /// `genes_to_phenotype.txt` links to no gene. Extra rows whose term this release does not
    /// know are dropped and counted in [`BuildReport::extra_unknown_terms`]; the extra
    /// source's name and checksum are recorded in [`KbMeta::sources`] and its description in
    /// [`KbMeta::annotations_release`].
    ///
    /// Errors: as [`KnowledgeBase::build`].
    pub fn build_with(
        dir: &Path,
        as_of: Option<CurationDate>,
        extra: Option<&ExtraKnowledge>,
    ) -> Result<(KnowledgeBase, BuildReport)> {
        let obo_path = find_in(dir, "hp.obo")?;
        let hpoa_path = find_in(dir, "phenotype.hpoa")?;
        let g2p_path = find_in(dir, "genes_to_phenotype.txt")?;
        let obo = read_obo(&obo_path)?;
        let ontology = Ontology::from_obo(&obo, &obo_path)?;
        let mut hpoa = read_hpoa(&hpoa_path)?;
        let known = |id| ontology.resolve(id).is_ok();
        let links = read_genes_to_phenotype_checked(&g2p_path, &known, &obo_path)?;
        let mut report = BuildReport {
            as_of: as_of.map(|d| filter_as_of(&mut hpoa, d)),
            ..BuildReport::default()
        };
        let mut links = links;
        if let Some(x) = extra {
            report.extra_unknown_terms = append_extra(&mut hpoa, &mut links, x, &ontology);
        }

        let mut strings = StrPool::default();
        let mut pool: Vec<u32> = Vec::new();
        let sources = SourcePaths {
            obo: &obo_path,
            hpoa: &hpoa_path,
        };
        let mut diseases = collect_diseases(
            &hpoa,
            &ontology,
            sources,
            &mut report,
            &mut strings,
            &mut pool,
        )?;
        let genes = link_genes(&links, &mut diseases, &mut report);
        let per_disease = phenotype_terms_per_disease(&diseases);
        let info = crate::ic::compute(&ontology, per_disease.iter().map(Vec::as_slice));
        let mut meta = build_meta(&obo, &hpoa, &obo_path, &hpoa_path, &g2p_path)?;
        if let Some(d) = as_of {
            meta.annotations_release = format!("{} as of {d}", meta.annotations_release);
        }
        if let Some(x) = extra {
            meta.annotations_release = format!("{} + {}", meta.annotations_release, x.description);
            meta.sources.push((x.name.clone(), x.checksum()));
        }
        report.remapped.sort();
        report.remapped.dedup();
        let kb = KnowledgeBase {
            meta,
            ontology,
            diseases,
            genes,
            strings,
            pool,
            ic: info.ic,
            term_disease_counts: info.counts,
            diseases_counted: info.diseases_counted,
            newer: None,
            equivalents: Default::default(),
            supplement: crate::Supplement {
                calibration: None,
                case_reports: extra
                    .map(|x| sorted_ids(&x.case_reports))
                    .unwrap_or_default(),
            },
        };
        Ok((kb.with_equivalents(), report))
    }

    /// Reads a newer HPO release's `hp.obo` (plain or gzip) and keeps its map from terms this
    /// release does not know to their nearest known ancestors ([`crate::NewerTerms`]), which
    /// case resolution then uses. Nothing is written to a compiled file.
    ///
    /// Errors: the OBO reader's (file, line); [`Error::Invalid`] without a release date.
    pub fn load_newer_ontology(&mut self, obo: &Path) -> Result<()> {
        self.newer = Some(crate::NewerTerms::read(obo, &self.ontology)?);
        Ok(())
    }

    /// Attaches the compiled MONDO exact matches ([`crate::equivalents`]).
    pub(crate) fn with_equivalents(mut self) -> KnowledgeBase {
        self.equivalents = crate::equivalents::Equivalents::embedded(&self.diseases);
        self
    }

    /// The other ids of a disease by MONDO exact match (`MONDO:n`, then `OMIM:n`, then
    /// `ORPHA:n`, each ascending; ids outside the knowledge base included), empty when none.
    /// Source: MONDO mapping sets, release [`KnowledgeBase::mondo_release`].
    pub fn equivalent_ids(&self, d: DiseaseIdx) -> &[String] {
        self.equivalents
            .ids
            .get(d as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// The representative of a disease's entity (diseases sharing a MONDO id, transitively):
    /// its OMIM disease with the lowest number, else its ORPHA disease with the lowest
    /// number; the disease itself when it has no equivalent in the knowledge base.
    pub fn representative(&self, d: DiseaseIdx) -> DiseaseIdx {
        self.equivalents
            .representative
            .get(d as usize)
            .copied()
            .unwrap_or(d)
    }

    /// The MONDO release of the exact matches (`YYYY-MM-DD`).
    pub fn mondo_release(&self) -> &str {
        &self.equivalents.release
    }

    /// Sets (or, with `None`, clears) the newer-release map.
    pub fn set_newer_terms(&mut self, newer: Option<crate::NewerTerms>) {
        self.newer = newer;
    }

    /// The newer-release map, when one was loaded.
    pub fn newer_terms(&self) -> Option<&crate::NewerTerms> {
        self.newer.as_ref()
    }

    /// The calibration of post-test probabilities recorded with this knowledge base, or
    /// `None` (a plain HPO build, or a file of format version 1): then the scorer's global
    /// defaults apply (`odyssey_pheno::ScorerOptions::for_kb`).
    pub fn calibration(&self) -> Option<&crate::ProbabilityCalibration> {
        self.supplement.calibration.as_ref()
    }

    /// Records (or, with `None`, removes) the calibration written with the knowledge base.
    ///
    /// Errors: a message naming the value out of range
    /// ([`crate::ProbabilityCalibration::check`]).
    pub fn set_calibration(
        &mut self,
        calibration: Option<crate::ProbabilityCalibration>,
    ) -> std::result::Result<(), String> {
        if let Some(c) = &calibration {
            c.check()?;
        }
        self.supplement.calibration = calibration;
        Ok(())
    }

    /// Phenopacket ids of the case reports compiled into the knowledge
    /// ([`ExtraKnowledge::case_reports`]), sorted; empty for a plain HPO build.
    pub fn case_reports(&self) -> &[String] {
        &self.supplement.case_reports
    }

    /// True when a case report with this phenopacket id was compiled into the knowledge.
    pub fn holds_case_report(&self, id: &str) -> bool {
        self.supplement
            .case_reports
            .binary_search_by(|x| x.as_str().cmp(id))
            .is_ok()
    }

    #[doc(hidden)]
    pub fn meta_mut_for_tests(&mut self) -> &mut KbMeta {
        &mut self.meta
    }

    /// Provenance: release dates, builder version, source checksums.
    pub fn meta(&self) -> &KbMeta {
        &self.meta
    }

    /// The ontology.
    pub fn ontology(&self) -> &Ontology {
        &self.ontology
    }

    /// All diseases, sorted by id.
    pub fn diseases(&self) -> &[Disease] {
        &self.diseases
    }

    /// One disease.
    pub fn disease(&self, d: DiseaseIdx) -> &Disease {
        &self.diseases[d as usize]
    }

    /// Looks a disease up by id.
    pub fn disease_index(&self, id: DiseaseId) -> Option<DiseaseIdx> {
        self.diseases
            .binary_search_by_key(&id, |d| d.id)
            .ok()
            .map(|i| i as DiseaseIdx)
    }

    /// All genes linked to diseases, sorted by NCBI Gene id.
    pub fn genes(&self) -> &[Gene] {
        &self.genes
    }

    /// One gene.
    pub fn gene(&self, g: GeneIdx) -> &Gene {
        &self.genes[g as usize]
    }

    /// Looks a gene up by NCBI Gene id.
    pub fn gene_by_id(&self, id: NcbiGeneId) -> Option<GeneIdx> {
        self.genes
            .binary_search_by_key(&id, |g| g.id)
            .ok()
            .map(|i| i as GeneIdx)
    }

    /// Looks a gene up by HGNC symbol (exact, case-sensitive; linear scan over ~5,000 genes).
    pub fn gene_by_symbol(&self, symbol: &str) -> Option<GeneIdx> {
        self.genes
            .iter()
            .position(|g| g.symbol == symbol)
            .map(|i| i as GeneIdx)
    }

    /// The references of an annotation (`PMID:...`, `OMIM:...`, `ISBN:...`).
    pub fn references<'a>(&'a self, a: &Annotation) -> impl Iterator<Item = &'a str> + 'a {
        a.references
            .of(&self.pool)
            .iter()
            .map(|&i| self.strings.get(i))
    }

    /// The modifier terms of an annotation.
    pub fn modifiers(&self, a: &Annotation) -> &[TermIdx] {
        a.modifiers.of(&self.pool)
    }

    /// The biocuration entry of an annotation, e.g. `HPO:probinson[2021-06-21]`.
    pub fn biocuration(&self, a: &Annotation) -> &str {
        self.strings.get(a.biocuration)
    }

    /// Information content of a term in nats (see the `ic` module docs for the formula).
    pub fn ic(&self, t: TermIdx) -> f64 {
        self.ic[t as usize]
    }

    /// Number of diseases annotated to `t` or a descendant (true-path rule, aspect P, no NOT).
    pub fn diseases_annotated(&self, t: TermIdx) -> u32 {
        self.term_disease_counts[t as usize]
    }

    /// N: diseases with at least one phenotype annotation (the IC denominator).
    pub fn diseases_counted(&self) -> u32 {
        self.diseases_counted
    }

    /// Modes of inheritance of a disease, mapped from its aspect-I terms through the
    /// ontology (a subclass of AD counts as AD; unrecognised modes as `Other`), deduplicated.
    pub fn modes_of_inheritance(&self, d: DiseaseIdx) -> Vec<ModeOfInheritance> {
        use ModeOfInheritance as M;
        let order = [
            M::AutosomalDominant,
            M::AutosomalRecessive,
            M::XLinkedDominant,
            M::XLinkedRecessive,
            M::XLinked,
            M::Mitochondrial,
            M::YLinked,
        ];
        let mut out = Vec::new();
        for &t in &self.diseases[d as usize].inheritance {
            let mode = order
                .iter()
                .copied()
                .find(|m| {
                    self.ontology
                        .index(m.hpo_id())
                        .is_some_and(|a| self.ontology.is_ancestor_or_self(a, t))
                })
                .unwrap_or(M::Other);
            if !out.contains(&mode) {
                out.push(mode);
            }
        }
        out.sort();
        out
    }

    /// Summary counts.
    pub fn stats(&self) -> KbStats {
        let o = &self.ontology;
        let annotations = self.diseases.iter().map(|d| d.annotations.len()).sum();
        let negated = self
            .diseases
            .iter()
            .flat_map(|d| &d.annotations)
            .filter(|a| a.negated)
            .count();
        KbStats {
            terms: o.len(),
            phenotype_terms: o.terms().filter(|&t| o.is_phenotype(t)).count(),
            secondary_ids: o.secondary_id_count(),
            diseases: DiseaseDb::ALL
                .iter()
                .map(|db| {
                    (
                        db.prefix().to_string(),
                        self.diseases.iter().filter(|d| d.id.db == *db).count(),
                    )
                })
                .collect(),
            genes: self.genes.len(),
            annotations,
            negated_annotations: negated,
            gene_disease_links: self.genes.iter().map(|g| g.diseases.len()).sum(),
        }
    }

    pub(crate) fn check(&self) -> std::result::Result<(), String> {
        let n = self.ontology.len();
        if !self.ontology.check_rows() || self.ic.len() != n || self.term_disease_counts.len() != n
        {
            return Err("term tables have inconsistent lengths".into());
        }
        let nd = self.diseases.len() as u32;
        let ng = self.genes.len() as u32;
        let ns = self.strings.len() as u32;
        let np = self.pool.len();
        if !self.strings.is_valid() {
            return Err("string table is damaged".into());
        }
        for d in &self.diseases {
            let ok = d.genes.iter().all(|&g| g < ng)
                && d.inheritance.iter().all(|&t| (t as usize) < n)
                && d.annotations.iter().all(|a| {
                    (a.term as usize) < n
                        && a.onset.is_none_or(|o| (o as usize) < n)
                        && a.modifiers.fits(np)
                        && a.modifiers.of(&self.pool).iter().all(|&m| (m as usize) < n)
                        && a.references.fits(np)
                        && a.references.of(&self.pool).iter().all(|&r| r < ns)
                        && a.biocuration < ns
                });
            if !ok {
                return Err(format!("disease {} refers outside the tables", d.id));
            }
        }
        if self
            .genes
            .iter()
            .any(|g| g.diseases.iter().any(|&d| d >= nd))
        {
            return Err("a gene refers to a missing disease".into());
        }
        Ok(())
    }
}

/// Biocuration prefix of annotation rows derived from case reports (`k/n` per publication):
/// the phenotype model pools these rows of one disease and term into one frequency Σk/Σn
/// instead of taking the highest (see `odyssey_pheno::ProfileBuilder::build`).
pub const POOLED_CURATION: &str = "ODYSSEY:case-knowledge";

/// Phenotype annotations from another source than `phenotype.hpoa`, in its row format, with
/// gene links by HGNC symbol: the input of [`KnowledgeBase::build_with`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExtraKnowledge {
    /// Source name recorded in [`KbMeta::sources`] (e.g. `case-knowledge`).
    pub name: String,
    /// Short description appended to [`KbMeta::annotations_release`] (e.g. `8,719 case
    /// reports`).
    pub description: String,
    /// Annotation rows, as if read from an HPOA file (their `line` numbers the row in this
    /// list, 1-based).
    pub records: Vec<crate::hpoa::HpoaRecord>,
    /// (disease, HGNC symbol): used only for a disease that `genes_to_phenotype.txt` links to
    /// no gene, and only when the symbol is a gene of `genes_to_phenotype.txt` (its NCBI Gene
    /// id comes from there).
    pub gene_links: Vec<(DiseaseId, String)>,
    /// Ids of the case reports (phenopackets) the rows come from, recorded in the knowledge
    /// base ([`KnowledgeBase::case_reports`]) so that an analysis of one of them can say
    /// that its own record is in the knowledge; empty for another source.
    pub case_reports: Vec<String>,
}

/// `ids` sorted, without repeats.
fn sorted_ids(ids: &[String]) -> Vec<String> {
    let mut v = ids.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

impl ExtraKnowledge {
    /// xxh3-64 (hex) of the rows and links in a fixed text form: the provenance checksum.
    pub fn checksum(&self) -> String {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for r in &self.records {
            h.update(
                format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    r.disease,
                    r.negated,
                    r.term,
                    r.references.join(";"),
                    r.frequency
                )
                .as_bytes(),
            );
        }
        for (d, g) in &self.gene_links {
            h.update(format!("{d}\t{g}\n").as_bytes());
        }
        format!("{:016x}", h.digest())
    }
}

/// Appends the extra rows whose term the ontology knows (returns how many were dropped), and
/// the gene links of diseases without one.
fn append_extra(
    hpoa: &mut HpoaFile,
    links: &mut Vec<GeneDiseaseLink>,
    extra: &ExtraKnowledge,
    ontology: &Ontology,
) -> usize {
    let mut dropped = 0;
    let offset = hpoa.records.last().map_or(0, |r| r.line);
    for r in &extra.records {
        if ontology.resolve(r.term).is_ok_and(|x| x.term().is_some()) {
            let mut r = r.clone();
            r.line += offset;
            hpoa.records.push(r);
        } else {
            dropped += 1;
        }
    }
    let linked: std::collections::HashSet<DiseaseId> = links.iter().map(|l| l.disease).collect();
    let by_symbol: std::collections::HashMap<&str, NcbiGeneId> =
        links.iter().map(|l| (l.symbol.as_str(), l.gene)).collect();
    let mut add = Vec::new();
    for (d, sym) in &extra.gene_links {
        if linked.contains(d) {
            continue;
        }
        if let Some(&gene) = by_symbol.get(sym.as_str()) {
            add.push(GeneDiseaseLink {
                gene,
                symbol: sym.clone(),
                disease: *d,
                line: 0,
            });
        }
    }
    add.sort_by_key(|l| (l.disease, l.gene));
    add.dedup_by(|a, b| (a.disease, a.gene) == (b.disease, b.gene));
    links.extend(add);
    dropped
}

/// The two source paths named in annotation errors.
#[derive(Clone, Copy)]
struct SourcePaths<'a> {
    obo: &'a Path,
    hpoa: &'a Path,
}

/// Groups the `phenotype.hpoa` lines into diseases (ordered by id), resolving every term
/// (alternative and obsolete ids are remapped or dropped and recorded in `report`) and
/// interning references and biocuration strings into `strings`/`pool`.
///
/// Errors: [`Error::Malformed`] naming the line of `phenotype.hpoa` whose term is unknown.
fn collect_diseases(
    hpoa: &HpoaFile,
    ontology: &Ontology,
    paths: SourcePaths<'_>,
    report: &mut BuildReport,
    strings: &mut StrPool,
    pool: &mut Vec<u32>,
) -> Result<Vec<Disease>> {
    let mut string_idx: std::collections::HashMap<String, u32> = Default::default();
    let mut intern = |s: &str| -> u32 {
        if let Some(&i) = string_idx.get(s) {
            return i;
        }
        let i = strings.push(s);
        string_idx.insert(s.to_string(), i);
        i
    };

    let mut by_disease: BTreeMap<DiseaseId, Disease> = BTreeMap::new();
    for r in &hpoa.records {
        let mut resolve = |id: HpoId, field: &str| -> Result<Option<TermIdx>> {
            resolve_annotation_term(ontology, id, r.line, field, paths, report)
        };
        let Some(term) = resolve(r.term, "hpo_id")? else {
            continue;
        };
        let onset = match r.onset {
            Some(o) => resolve(o, "onset")?,
            None => None,
        };
        let mut modifiers = Vec::new();
        for m in &r.modifiers {
            if let Some(t) = resolve(*m, "modifier")? {
                modifiers.push(t);
            }
        }
        let ann = Annotation {
            term,
            negated: r.negated,
            aspect: r.aspect,
            frequency: r.frequency,
            onset,
            sex: r.sex,
            modifiers: Span::push(pool, modifiers),
            evidence: r.evidence,
            references: {
                let refs: Vec<u32> = r.references.iter().map(|s| intern(s)).collect();
                Span::push(pool, refs)
            },
            biocuration: intern(&r.biocuration),
        };
        let d = by_disease.entry(r.disease).or_insert_with(|| Disease {
            id: r.disease,
            name: r.disease_name.clone(),
            annotations: Vec::new(),
            inheritance: Vec::new(),
            genes: Vec::new(),
        });
        if ann.aspect == Aspect::Inheritance && !ann.negated && !d.inheritance.contains(&ann.term) {
            d.inheritance.push(ann.term);
        }
        d.annotations.push(ann);
    }
    Ok(by_disease.into_values().collect())
}

/// Resolves one HPO id of an annotation line to a current term: `Some` for a current,
/// alternative or replaced id (the latter two recorded in `report.remapped`), `None` for an
/// obsolete id without replacement (recorded in `report.dropped_obsolete`).
///
/// Errors: [`Error::Malformed`] naming `line` and `field` when the id is unknown.
fn resolve_annotation_term(
    ontology: &Ontology,
    id: HpoId,
    line: usize,
    field: &str,
    paths: SourcePaths<'_>,
    report: &mut BuildReport,
) -> Result<Option<TermIdx>> {
    match ontology.resolve(id) {
        Ok(Resolution::Current(t)) => Ok(Some(t)),
        Ok(res @ (Resolution::Alternative(_) | Resolution::Replaced { .. })) => {
            let t = res.term().unwrap();
            report.remapped.push((id, ontology.id(t)));
            Ok(Some(t))
        }
        Ok(Resolution::ObsoleteUnreplaced { .. }) => {
            report.dropped_obsolete.push((line, id));
            Ok(None)
        }
        Err(_) => Err(Error::malformed(
            paths.hpoa,
            line,
            field,
            format!(
                "{id} is not a term of this HPO release ({})",
                paths.obo.display()
            ),
        )),
    }
}

/// Links genes to the diseases (by index) of `genes_to_phenotype.txt`; genes without any
/// known disease are left out, and each disease gets the indices of its genes. Links to a
/// disease without annotations are counted in `report.links_without_disease`.
fn link_genes(
    links: &[GeneDiseaseLink],
    diseases: &mut [Disease],
    report: &mut BuildReport,
) -> Vec<Gene> {
    let disease_index = |id: DiseaseId, ds: &[Disease]| ds.binary_search_by_key(&id, |d| d.id).ok();

    let mut by_gene: BTreeMap<NcbiGeneId, Gene> = BTreeMap::new();
    for l in links {
        let g = by_gene.entry(l.gene).or_insert_with(|| Gene {
            id: l.gene,
            symbol: l.symbol.clone(),
            diseases: Vec::new(),
        });
        match disease_index(l.disease, diseases) {
            Some(d) => g.diseases.push(d as DiseaseIdx),
            None => report.links_without_disease += 1,
        }
    }
    let mut genes: Vec<Gene> = by_gene
        .into_values()
        .filter(|g| !g.diseases.is_empty())
        .collect();
    for (gi, g) in genes.iter_mut().enumerate() {
        g.diseases.sort_unstable();
        g.diseases.dedup();
        for &d in &g.diseases {
            diseases[d as usize].genes.push(gi as GeneIdx);
        }
    }
    genes
}

/// Per disease, its distinct non-negated phenotype terms, sorted: the input of the
/// information content computation.
fn phenotype_terms_per_disease(diseases: &[Disease]) -> Vec<Vec<TermIdx>> {
    diseases
        .iter()
        .map(|d| {
            let mut ts: Vec<TermIdx> = d
                .annotations
                .iter()
                .filter(|a| a.aspect == Aspect::Phenotype && !a.negated)
                .map(|a| a.term)
                .collect();
            ts.sort_unstable();
            ts.dedup();
            ts
        })
        .collect()
}

/// Provenance of a build: release dates and the xxh3-64 checksums of the three sources.
///
/// Errors: [`Error::Io`] reading a source; [`Error::Invalid`] when no release date is found.
fn build_meta(
    obo: &OboFile,
    hpoa: &HpoaFile,
    obo_path: &Path,
    hpoa_path: &Path,
    g2p_path: &Path,
) -> Result<KbMeta> {
    let checksum = |p: &Path| -> Result<(String, String)> {
        let bytes = std::fs::read(p).map_err(|source| Error::Io {
            path: p.to_path_buf(),
            source,
        })?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok((name, format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))))
    };
    let annotations_release = hpoa.version.clone().unwrap_or_default();
    let hpo_release = obo.release_date().or_else(|| hpoa.version.clone()).ok_or_else(|| Error::Invalid {
        path: obo_path.to_path_buf(),
        message: "no release date: neither hp.obo's data-version nor phenotype.hpoa's #version ends with YYYY-MM-DD".into(),
    })?;
    Ok(KbMeta {
        hpo_release,
        annotations_release,
        built_with: env!("CARGO_PKG_VERSION").to_string(),
        sources: vec![
            checksum(obo_path)?,
            checksum(hpoa_path)?,
            checksum(g2p_path)?,
        ],
    })
}
