//! The benchmark corpus: a folder of GA4GH phenopackets grouped in cohort folders
//! (`<cases>/<cohort>/<case>.json`, the layout of phenopacket-store), and what each case
//! knows to be true: causal genes, diagnoses, causal variants and the publication it comes
//! from.

use std::path::{Path, PathBuf};

use odyssey_kb::Sex;
use odyssey_pheno::phenopacket::{parse_case_file, Phenopacket};
use odyssey_pheno::CaseInput;
use serde::Deserialize;

use crate::error::{BenchError, Result};

/// Zygosity of a causal variant (GENO terms of `variationDescriptor.allelicState`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum AllelicState {
    /// GENO:0000135.
    Heterozygous,
    /// GENO:0000136.
    Homozygous,
    /// GENO:0000134.
    Hemizygous,
    /// Absent or another GENO term.
    Unknown,
}

impl AllelicState {
    /// From a GENO id or label.
    pub fn parse(id: &str, label: &str) -> AllelicState {
        match (id, label.to_ascii_lowercase().as_str()) {
            ("GENO:0000135", _) | (_, "heterozygous") => AllelicState::Heterozygous,
            ("GENO:0000136", _) | (_, "homozygous") => AllelicState::Homozygous,
            ("GENO:0000134", _) | (_, "hemizygous") => AllelicState::Hemizygous,
            _ => AllelicState::Unknown,
        }
    }
}

/// A causal variant as the phenopacket gives it (`vcfRecord`, before any liftover).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseVariant {
    /// `vcfRecord.genomeAssembly` as written (`hg38`, `GRCh38`, `hg19`, ...).
    pub assembly: String,
    /// Chromosome as written.
    pub chrom: String,
    /// 1-based position.
    pub pos: u64,
    /// REF.
    pub reference: String,
    /// ALT.
    pub alternate: String,
    /// Zygosity.
    pub allelic_state: AllelicState,
    /// Gene symbol of the variant, when given.
    pub gene: Option<String>,
    /// The `hgvs.g` expression, when given (e.g. `NC_000015.10:g.67236720del`).
    pub hgvs_g: Option<String>,
}

/// One benchmark case.
#[derive(Clone, Debug)]
pub struct BenchCase {
    /// Path relative to the cases folder, `/`-separated (`COHORT/file.json`).
    pub rel_path: String,
    /// Cohort: the first folder of `rel_path` (phenopacket-store groups cases by gene).
    pub cohort: String,
    /// Phenopacket id.
    pub id: String,
    /// Publications the case is taken from, as `PMID:<digits>` (see [`publications`]).
    pub publications: Vec<String>,
    /// Causal genes (HGNC symbols) of the interpretations, deduplicated, in file order.
    pub gold_genes: Vec<String>,
    /// Diagnoses (disease ids as written, e.g. `OMIM:148600`), deduplicated.
    pub gold_diseases: Vec<String>,
    /// (disease id, label) as the phenopacket names its diagnoses and diseases, first label
    /// per id (used to name a disease that only case reports describe).
    pub disease_labels: Vec<(String, String)>,
    /// Causal variants with a `vcfRecord`.
    pub variants: Vec<CaseVariant>,
    /// Causal variant interpretations without a `vcfRecord` (structural variants).
    pub variants_without_vcf_record: usize,
    /// The labels of those interpretations (spiked when they state coordinates, see
    /// [`crate::structural`]).
    pub structural: Vec<crate::structural::StructuralLabel>,
    /// Sex of the proband.
    pub sex: Option<Sex>,
    /// The phenotype as Odyssey reads it.
    pub input: CaseInput,
}

/// Lists the case files of a phenopacket-store style folder: `<dir>/<cohort>/*.{json,yml,yaml}`,
/// as `/`-separated paths relative to `dir`, sorted (the order every report uses).
/// Errors: the folder cannot be read.
pub fn list_cases(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let rd = std::fs::read_dir(dir).map_err(|e| BenchError::io(dir, e))?;
    for cohort in rd {
        let cohort = cohort.map_err(|e| BenchError::io(dir, e))?;
        let cpath = cohort.path();
        if !cpath.is_dir() {
            continue;
        }
        let cname = cohort.file_name().to_string_lossy().into_owned();
        for f in std::fs::read_dir(&cpath).map_err(|e| BenchError::io(&cpath, e))? {
            let f = f.map_err(|e| BenchError::io(&cpath, e))?;
            let name = f.file_name().to_string_lossy().into_owned();
            let ext = Path::new(&name)
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            if matches!(ext.as_str(), "json" | "yml" | "yaml") && f.path().is_file() {
                out.push(format!("{cname}/{name}"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Reads a sample list: one case path relative to the cases folder per line; blank lines and
/// lines starting with `#` are skipped. Errors: unreadable file; an absolute path or a path
/// with `..` (line given).
pub fn read_case_list(path: &Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path).map_err(|e| BenchError::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('/') || l.split('/').any(|c| c == "..") {
            return Err(BenchError::Line {
                path: path.into(),
                line: i + 1,
                message: format!(
                    "{l:?}: expected a path relative to the cases folder, like COHORT/case.json"
                ),
            });
        }
        out.push(l.to_string());
    }
    Ok(out)
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct RefOnly {
    id: String,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct MetaRefs {
    external_references: Vec<RefOnly>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct PacketRefs {
    meta_data: MetaRefs,
    proband: Option<Box<PacketRefs>>,
}

/// The publications of a case, by this rule: every `metaData.externalReferences[].id` of the
/// form `PMID:<digits>` (of the file, and of the proband of a Family), plus the PubMed id that
/// opens the phenopacket id (`PMID_<digits>_...`, phenopacket-store's naming). Deduplicated,
/// sorted, written `PMID:<digits>`. In phenopacket-store 2026-06-25 both sources agree on every
/// one of the 8,719 cases (one PMID each).
pub fn publications(id: &str, external_reference_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    for r in external_reference_ids {
        if let Some(n) = r.trim().strip_prefix("PMID:") {
            if digits(n.trim()) {
                out.push(format!("PMID:{}", n.trim()));
            }
        }
    }
    if let Some(rest) = id.strip_prefix("PMID_") {
        let n: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
        if digits(&n) {
            out.push(format!("PMID:{n}"));
        }
    }
    out.sort();
    out.dedup();
    out
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    let s = s.trim();
    if !s.is_empty() && !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// What a phenopacket says is true: genes, diagnoses, variants. Interpretations whose
/// `interpretationStatus` is `REJECTED` are ignored; the disease of `diseases[]` (not excluded)
/// is used only when no interpretation names one.
#[allow(clippy::type_complexity)]
fn gold_of(
    p: &Phenopacket,
) -> (
    Vec<String>,
    Vec<String>,
    Vec<CaseVariant>,
    usize,
    Vec<crate::structural::StructuralLabel>,
) {
    let (mut genes, mut diseases, mut variants, mut no_vcf) =
        (Vec::new(), Vec::new(), Vec::new(), 0);
    let mut structural = Vec::new();
    for i in &p.interpretations {
        let Some(d) = &i.diagnosis else { continue };
        if let Some(dis) = &d.disease {
            push_unique(&mut diseases, &dis.id);
        }
        for g in &d.genomic_interpretations {
            if g.interpretation_status.eq_ignore_ascii_case("REJECTED") {
                continue;
            }
            if let Some(gene) = &g.gene {
                push_unique(&mut genes, &gene.symbol);
            }
            let Some(vd) = g
                .variant_interpretation
                .as_ref()
                .and_then(|v| v.variation_descriptor.as_ref())
            else {
                continue;
            };
            let symbol = vd
                .gene_context
                .as_ref()
                .map(|c| c.symbol.trim().to_string())
                .filter(|s| !s.is_empty());
            if let Some(s) = &symbol {
                push_unique(&mut genes, s);
            }
            match &vd.vcf_record {
                Some(r) => {
                    let st = vd
                        .allelic_state
                        .as_ref()
                        .map_or(AllelicState::Unknown, |a| {
                            AllelicState::parse(&a.id, &a.label)
                        });
                    variants.push(CaseVariant {
                        assembly: r.genome_assembly.clone(),
                        chrom: r.chrom.clone(),
                        pos: r.pos,
                        reference: r.reference.clone(),
                        alternate: r.alt.clone(),
                        allelic_state: st,
                        gene: symbol,
                        hgvs_g: vd
                            .expressions
                            .iter()
                            .find(|e| e.syntax.eq_ignore_ascii_case("hgvs.g"))
                            .map(|e| e.value.clone()),
                    });
                }
                None => {
                    no_vcf += 1;
                    structural.push(crate::structural::StructuralLabel {
                        label: vd.label.clone().unwrap_or_default(),
                        gene: symbol.clone(),
                        allelic_state: vd
                            .allelic_state
                            .as_ref()
                            .map_or(AllelicState::Unknown, |a| {
                                AllelicState::parse(&a.id, &a.label)
                            }),
                        structural_type: vd
                            .structural_type
                            .as_ref()
                            .map(|t| t.label.clone())
                            .unwrap_or_default(),
                    });
                }
            }
        }
    }
    if diseases.is_empty() {
        for d in p.diseases.iter().filter(|d| !d.excluded) {
            push_unique(&mut diseases, &d.term.id);
        }
    }
    (genes, diseases, variants, no_vcf, structural)
}

/// The labels the phenopacket gives its diagnoses (interpretations) and diseases, first per id;
/// empty labels skipped.
fn disease_labels(p: &Phenopacket) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let diagnoses = p
        .interpretations
        .iter()
        .filter_map(|i| i.diagnosis.as_ref()?.disease.as_ref());
    let diseases = p.diseases.iter().filter(|d| !d.excluded).map(|d| &d.term);
    for c in diagnoses.chain(diseases) {
        let label = c.label.trim();
        if !label.is_empty() && !out.iter().any(|(id, _)| id == &c.id) {
            out.push((c.id.clone(), label.to_string()));
        }
    }
    out
}

impl BenchCase {
    /// Reads `cases_dir/rel_path`. Errors: unreadable or invalid phenopacket (named).
    pub fn read(cases_dir: &Path, rel_path: &str) -> Result<BenchCase> {
        let path: PathBuf = cases_dir.join(rel_path);
        let text = std::fs::read_to_string(&path).map_err(|e| BenchError::io(&path, e))?;
        Self::parse(&text, &path, rel_path)
    }

    /// Parses a phenopacket's text; `path` is used in messages and for the format.
    pub fn parse(text: &str, path: &Path, rel_path: &str) -> Result<BenchCase> {
        let file = parse_case_file(text, path).map_err(|e| {
            // the reader's message already starts with the path; name it once
            let message = e.to_string();
            let prefix = format!("{}: ", path.display());
            BenchError::Case {
                path: path.into(),
                message: message
                    .strip_prefix(&prefix)
                    .map(str::to_string)
                    .unwrap_or(message),
            }
        })?;
        let p = file.proband();
        // external references (not modelled by odyssey-pheno): JSON only; YAML cases fall
        // back to the PubMed id of the phenopacket id
        let mut refs = Vec::new();
        if text.trim_start().starts_with('{') {
            if let Ok(r) = serde_json::from_str::<PacketRefs>(text) {
                refs.extend(r.meta_data.external_references.into_iter().map(|x| x.id));
                if let Some(pr) = r.proband {
                    refs.extend(pr.meta_data.external_references.into_iter().map(|x| x.id));
                }
            }
        }
        let (gold_genes, gold_diseases, variants, variants_without_vcf_record, structural) =
            gold_of(p);
        let input = CaseInput::from_phenopacket(p);
        let cohort = rel_path
            .split('/')
            .next()
            .filter(|_| rel_path.contains('/'))
            .unwrap_or("")
            .to_string();
        Ok(BenchCase {
            rel_path: rel_path.to_string(),
            cohort,
            id: p.id.clone(),
            publications: publications(&p.id, &refs),
            gold_genes,
            gold_diseases,
            disease_labels: disease_labels(p),
            variants,
            variants_without_vcf_record,
            structural,
            sex: input.sex,
            input,
        })
    }

    /// The file stem (PhEval names result files after the phenopacket's stem).
    pub fn stem(&self) -> &str {
        let name = self.rel_path.rsplit('/').next().unwrap_or(&self.rel_path);
        name.rsplit_once('.').map_or(name, |(s, _)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CASE: &str = r#"{"id":"PMID_24573067_CASE_REPORT","subject":{"id":"CASE REPORT","sex":"FEMALE"},
      "phenotypicFeatures":[{"type":{"id":"HP:0007530"}},{"type":{"id":"HP:0001597"},"excluded":true}],
      "interpretations":[{"id":"x","progressStatus":"SOLVED","diagnosis":{"disease":{"id":"OMIM:148600"},
        "genomicInterpretations":[
          {"interpretationStatus":"CAUSATIVE","variantInterpretation":{"variationDescriptor":{"geneContext":{"valueId":"HGNC:25662","symbol":"AAGAB"},
            "expressions":[{"syntax":"hgvs.g","value":"NC_000015.10:g.67236720del"}],
            "vcfRecord":{"genomeAssembly":"hg38","chrom":"chr15","pos":"67236719","ref":"TG","alt":"T"},
            "allelicState":{"id":"GENO:0000135","label":"heterozygous"}}}},
          {"interpretationStatus":"CAUSATIVE","variantInterpretation":{"variationDescriptor":{"geneContext":{"symbol":"AAGAB"},
            "structuralType":{"id":"SO:1000029"}}}},
          {"interpretationStatus":"REJECTED","variantInterpretation":{"variationDescriptor":{"geneContext":{"symbol":"OTHER"}}}}]}}],
      "metaData":{"phenopacketSchemaVersion":"2.0.2","externalReferences":[{"id":"PMID:24573067"},{"id":"DOI:10.1/x"},{"id":"PMID:111"}]}}"#;

    #[test]
    fn reads_gold_and_publications() {
        let c = BenchCase::parse(
            CASE,
            Path::new("/x/AAGAB/PMID_24573067_CASE_REPORT.json"),
            "AAGAB/PMID_24573067_CASE_REPORT.json",
        )
        .unwrap();
        assert_eq!(c.cohort, "AAGAB");
        assert_eq!(c.stem(), "PMID_24573067_CASE_REPORT");
        assert_eq!(c.gold_genes, vec!["AAGAB"]);
        assert_eq!(c.gold_diseases, vec!["OMIM:148600"]);
        assert_eq!(c.publications, vec!["PMID:111", "PMID:24573067"]);
        assert_eq!(c.variants.len(), 1);
        assert_eq!(c.variants_without_vcf_record, 1);
        let v = &c.variants[0];
        assert_eq!(
            (
                v.chrom.as_str(),
                v.pos,
                v.reference.as_str(),
                v.alternate.as_str()
            ),
            ("chr15", 67236719, "TG", "T")
        );
        assert_eq!(v.allelic_state, AllelicState::Heterozygous);
        assert_eq!(v.hgvs_g.as_deref(), Some("NC_000015.10:g.67236720del"));
        assert_eq!(c.sex, Some(Sex::Female));
        assert_eq!(c.input.terms.len(), 2);
    }

    #[test]
    fn an_unreadable_case_names_its_path_once() {
        let path = Path::new("/x/C/bad.json");
        let e = BenchCase::parse("{bad", path, "C/bad.json")
            .unwrap_err()
            .to_string();
        assert_eq!(e.matches("/x/C/bad.json").count(), 1, "{e}");
        assert!(e.starts_with("/x/C/bad.json: not a valid"), "{e}");
    }

    #[test]
    fn publication_rule() {
        assert_eq!(publications("PMID_1_a", &[]), vec!["PMID:1"]);
        assert_eq!(
            publications("case-7", &["PMID: 12".into(), "PMID:x".into()]),
            vec!["PMID:12"]
        );
        assert!(publications("PMID_x", &["ISBN:1".into()]).is_empty());
    }

    #[test]
    fn case_list_rejects_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("list.txt");
        std::fs::write(&p, "# sample\nA/a.json\n\nB/b.json\n../c.json\n").unwrap();
        let err = read_case_list(&p).unwrap_err().to_string();
        assert!(err.contains("line 5"), "{err}");
        std::fs::write(&p, "A/a.json\n  B/b.json \n").unwrap();
        assert_eq!(read_case_list(&p).unwrap(), vec!["A/a.json", "B/b.json"]);
    }

    #[test]
    fn lists_cohort_folders_sorted() {
        let dir = tempfile::tempdir().unwrap();
        for (c, f) in [
            ("B", "2.json"),
            ("A", "9.json"),
            ("A", "1.yml"),
            ("A", "notes.txt"),
        ] {
            std::fs::create_dir_all(dir.path().join(c)).unwrap();
            std::fs::write(dir.path().join(c).join(f), "{}").unwrap();
        }
        std::fs::write(dir.path().join("top.json"), "{}").unwrap();
        assert_eq!(
            list_cases(dir.path()).unwrap(),
            vec!["A/1.yml", "A/9.json", "B/2.json"]
        );
    }
}
