//! GA4GH Phenopacket v2 output: the input phenopacket with Odyssey's candidates added as
//! `interpretations` (Phenopacket Schema v2, Jacobsen et al., Nat Biotechnol 2022;
//! <https://phenopacket-schema.readthedocs.io>, messages `Interpretation`, `Diagnosis`,
//! `GenomicInterpretation`, `VariantInterpretation`, VRSATILE `VariationDescriptor`).
//!
//! The input is kept as a JSON value, so fields Odyssey does not model pass through unchanged;
//! existing interpretations are kept and Odyssey's are appended. One interpretation is added per
//! candidate gene among the top N: `progressStatus` `IN_PROGRESS`, a `diagnosis` naming the
//! gene's best-ranked disease, and `genomicInterpretations` with `interpretationStatus`
//! `CANDIDATE`: one per candidate variant that passed the filters (variation descriptor with
//! `vcfRecord`, `geneContext`, `hgvs.c`/`hgvs.p` expressions and the proband's `allelicState`
//! as a GENO term), or a gene-level one (`gene`) when the analysis had no variants. After a
//! variant analysis (the report has `filters`), only genes with at least one variant that passed
//! the filters are candidates: a gene without variants is not a candidate genetic diagnosis.
//! Relative `files[].uri` can be made absolute ([`PhenopacketOptions::resolve_files_against`])
//! so that a phenopacket written to another folder still finds its VCF.
//! `metaData.resources` gains the ontologies and databases the new CURIEs come from, and
//! `metaData.updates` records the change. A GA4GH Family gets the interpretations on its
//! proband. A v1 phenopacket (which has no v2 interpretations) is replaced by a new v2
//! phenopacket built from the report's case.

use std::path::{Path, PathBuf};

use serde_json::{json, Map, Value};

use crate::model::{AnalysisReport, GeneResult, VariantResult};
use crate::ReportError;

/// GENO terms for the allelic state of a variant in the proband.
pub const HETEROZYGOUS: (&str, &str) = ("GENO:0000135", "heterozygous");
/// Homozygous (two copies of the alternate allele).
pub const HOMOZYGOUS: (&str, &str) = ("GENO:0000136", "homozygous");
/// Hemizygous (one copy on a haploid chromosome, e.g. X in a male).
pub const HEMIZYGOUS: (&str, &str) = ("GENO:0000134", "hemizygous");

/// What to add.
#[derive(Clone, Debug)]
pub struct PhenopacketOptions {
    /// Candidate genes added: the first N of the report's genes (after a variant analysis, of
    /// those with a variant that passed the filters).
    pub top: usize,
    /// Genome assembly for `vcfRecord.genomeAssembly`; when `None`, the report's
    /// (`odyssey.parameters.assembly`) or the input's VCF file attributes are used.
    pub assembly: Option<String>,
    /// The input phenopacket's folder, absolute. When set, relative file URIs (`file://rel.vcf`,
    /// `rel.vcf`, `file:rel.vcf`) are rewritten as absolute `file:///folder/rel.vcf` URIs (see
    /// [`absolute_file_uris`]), so a phenopacket written elsewhere still points at its files.
    /// `None` keeps URIs as they are.
    pub resolve_files_against: Option<PathBuf>,
}

impl Default for PhenopacketOptions {
    fn default() -> Self {
        PhenopacketOptions {
            top: 10,
            assembly: None,
            resolve_files_against: None,
        }
    }
}

/// The absolute `file://` URI of a relative file URI resolved against `base` (an absolute
/// folder), as Odyssey's reader resolves it: `file://rel.vcf`, `file:rel.vcf` and bare relative
/// paths are relative to the phenopacket's folder. `None` for URIs that stay as they are:
/// absolute paths (`file:///abs`, `/abs`), other schemes (`https://`, `s3://`) and empty ones.
pub fn absolute_file_uri(uri: &str, base: &Path) -> Option<String> {
    let u = uri.trim();
    let rel = if let Some(rest) = u.strip_prefix("file://") {
        rest
    } else if u.contains("://") {
        return None;
    } else {
        u.strip_prefix("file:").unwrap_or(u)
    };
    let p = Path::new(rel);
    if rel.is_empty() || p.is_absolute() {
        return None;
    }
    // `./x` and `a/./b` lose their `.` parts; `..` is kept (resolving it by text is wrong through
    // a symbolic link)
    let path: PathBuf = base
        .join(p)
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    Some(format!("file://{}", path.display()))
}

/// Rewrites every relative `files[].uri` of a phenopacket, of a Family (its own `files`, its
/// proband's and its relatives') as an absolute `file://` URI resolved against `base` (see
/// [`absolute_file_uri`]). Returns the number of URIs rewritten.
pub fn absolute_file_uris(doc: &mut Value, base: &Path) -> usize {
    fn files(packet: &mut Value, base: &Path) -> usize {
        let mut n = 0;
        for f in packet
            .get_mut("files")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            let new = f
                .get("uri")
                .and_then(Value::as_str)
                .and_then(|u| absolute_file_uri(u, base));
            if let Some(u) = new {
                f["uri"] = json!(u);
                n += 1;
            }
        }
        n
    }
    let mut n = files(doc, base);
    if let Some(p) = doc.get_mut("proband") {
        n += files(p, base);
    }
    for r in doc
        .get_mut("relatives")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        n += files(r, base);
    }
    n
}

/// Reads a phenopacket (or Family) file as JSON or YAML (by extension `.yml`/`.yaml`, or by
/// content when it does not start with `{`) into a JSON value.
///
/// Errors: [`ReportError::Read`], [`ReportError::Phenopacket`] with the parser's message.
pub fn read_phenopacket_value(path: &Path) -> Result<Value, ReportError> {
    let text = odyssey_genome::text::read_text_file(path).map_err(|source| ReportError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let yaml =
        ext == "yml" || ext == "yaml" || (ext != "json" && !text.trim_start().starts_with('{'));
    let perr = |message: String| ReportError::Phenopacket {
        path: path.to_path_buf(),
        message,
    };
    let v: Value = if yaml {
        serde_saphyr::from_str(&text).map_err(|e| perr(format!("YAML: {e}")))?
    } else {
        serde_json::from_str(&text).map_err(|e| perr(format!("JSON: {e}")))?
    };
    if !v.is_object() {
        return Err(perr("the top level is not an object".into()));
    }
    Ok(v)
}

/// A new v2 phenopacket for the report's case: `id`, `subject` (id, sex, age),
/// `phenotypicFeatures` (observed and excluded terms with labels) and `metaData`.
pub fn phenopacket_from_report(report: &AnalysisReport) -> Value {
    let c = &report.case;
    let mut subject = Map::new();
    subject.insert(
        "id".into(),
        json!(c.subject_id.clone().unwrap_or_else(|| c.id.clone())),
    );
    if let Some(s) = &c.sex {
        subject.insert("sex".into(), json!(s.to_ascii_uppercase()));
    }
    if let Some(a) = &c.age {
        subject.insert(
            "timeAtLastEncounter".into(),
            json!({ "age": { "iso8601duration": a } }),
        );
    }
    let features: Vec<Value> = c
        .terms
        .iter()
        .map(|t| {
            let mut f = json!({ "type": { "id": t.id, "label": t.label } });
            if !t.observed {
                f["excluded"] = json!(true);
            }
            f
        })
        .collect();
    json!({
        "id": c.id,
        "subject": Value::Object(subject),
        "phenotypicFeatures": features,
        "metaData": {
            "created": report.odyssey.created,
            "createdBy": format!("Odyssey {}", report.odyssey.version),
            "resources": [],
            "phenopacketSchemaVersion": "2.0"
        }
    })
}

fn is_v1(packet: &Value) -> bool {
    let v = packet
        .pointer("/metaData/phenopacketSchemaVersion")
        .and_then(Value::as_str)
        .unwrap_or("");
    v.trim().trim_start_matches(['v', 'V']).starts_with('1')
}

/// Counts the copies of allele `1` in a genotype (`0/1`, `1|1`, `1`, `./1`, `1/2`...) and the
/// ploidy, and maps them to a GENO allelic state: one copy of two → heterozygous, two of two →
/// homozygous, one of one → hemizygous; anything else (missing, reference) → `None`.
pub fn allelic_state(genotype: &str) -> Option<(&'static str, &'static str)> {
    let alleles: Vec<&str> = genotype.split(['/', '|']).map(str::trim).collect();
    let alt = alleles.iter().filter(|a| **a == "1").count();
    match (alleles.len(), alt) {
        (2, 1) => Some(HETEROZYGOUS),
        (2, 2) => Some(HOMOZYGOUS),
        (1, 1) => Some(HEMIZYGOUS),
        _ => None,
    }
}

/// The proband's sample id: the family member marked proband (its sample, else its id), else
/// the subject id, else the case id.
fn proband_sample(report: &AnalysisReport) -> Option<String> {
    report
        .case
        .family
        .iter()
        .find(|m| m.proband)
        .map(|m| m.sample.clone().unwrap_or_else(|| m.id.clone()))
        .or_else(|| report.case.subject_id.clone())
}

fn proband_genotype<'a>(v: &'a VariantResult, proband: Option<&str>) -> Option<&'a str> {
    if let Some(p) = proband {
        if let Some(g) = v.genotypes.iter().find(|g| g.sample == p) {
            return Some(&g.genotype);
        }
    }
    // a single-sample VCF: that sample is the proband
    (v.genotypes.len() == 1).then(|| v.genotypes[0].genotype.as_str())
}

fn expression(syntax: &str, value: &str, prefix: Option<&str>) -> Value {
    let value = match prefix {
        Some(p) if !value.contains(':') && !p.is_empty() => format!("{p}:{value}"),
        _ => value.to_string(),
    };
    json!({ "syntax": syntax, "value": value })
}

fn variant_interpretation(
    v: &VariantResult,
    g: &GeneResult,
    subject: &str,
    assembly: Option<&str>,
    proband: Option<&str>,
) -> Value {
    let mut vcf = Map::new();
    if let Some(a) = assembly {
        vcf.insert("genomeAssembly".into(), json!(a));
    }
    vcf.insert("chrom".into(), json!(v.chrom));
    vcf.insert("pos".into(), json!(v.pos));
    vcf.insert("ref".into(), json!(v.reference));
    vcf.insert("alt".into(), json!(v.alt));
    let mut expressions = Vec::new();
    // a structural event's hgvs_c holds its effect in words, not an HGVS expression
    if let Some(c) = v.hgvs_c.as_ref().filter(|_| v.structural.is_none()) {
        let syntax = if c.contains("n.") && !c.contains("c.") {
            "hgvs.n"
        } else {
            "hgvs.c"
        };
        expressions.push(expression(syntax, c, v.transcript.as_deref()));
    }
    if let Some(p) = &v.hgvs_p {
        expressions.push(expression("hgvs.p", p, None));
    }
    let mut desc = Map::new();
    desc.insert(
        "id".into(),
        json!(format!("{}-{}-{}-{}", v.chrom, v.pos, v.reference, v.alt)),
    );
    desc.insert(
        "geneContext".into(),
        json!({ "valueId": g.ncbi_gene_id, "symbol": g.symbol }),
    );
    if !expressions.is_empty() {
        desc.insert("expressions".into(), Value::Array(expressions));
    }
    desc.insert("vcfRecord".into(), Value::Object(vcf));
    desc.insert("moleculeContext".into(), json!("genomic"));
    if let Some((id, label)) = proband_genotype(v, proband).and_then(allelic_state) {
        desc.insert("allelicState".into(), json!({ "id": id, "label": label }));
    }
    json!({
        "subjectOrBiosampleId": subject,
        "interpretationStatus": "CANDIDATE",
        "variantInterpretation": {
            // Odyssey does not classify variants by the ACMG/AMP criteria
            "acmgPathogenicityClassification": "NOT_PROVIDED",
            "therapeuticActionability": "UNKNOWN_ACTIONABILITY",
            "variationDescriptor": Value::Object(desc)
        }
    })
}

fn interpretation(
    report: &AnalysisReport,
    g: &GeneResult,
    subject: &str,
    assembly: Option<&str>,
) -> Value {
    let proband = proband_sample(report);
    let passed: Vec<&VariantResult> = g.variants.iter().filter(|v| v.filter == "PASS").collect();
    let genomic: Vec<Value> = if passed.is_empty() {
        vec![json!({
            "subjectOrBiosampleId": subject,
            "interpretationStatus": "CANDIDATE",
            "gene": { "valueId": g.ncbi_gene_id, "symbol": g.symbol }
        })]
    } else {
        passed
            .iter()
            .map(|v| variant_interpretation(v, g, subject, assembly, proband.as_deref()))
            .collect()
    };
    let mut diagnosis = Map::new();
    if let Some(did) = g.diseases.first() {
        let mut disease = Map::new();
        disease.insert("id".into(), json!(did));
        // the label of a ranked disease, else the knowledge base's name when the report has it
        let label = report
            .diseases
            .iter()
            .find(|d| &d.id == did)
            .map(|d| &d.label)
            .or_else(|| report.disease_labels.get(did));
        if let Some(label) = label {
            disease.insert("label".into(), json!(label));
        }
        diagnosis.insert("disease".into(), Value::Object(disease));
    }
    diagnosis.insert("genomicInterpretations".into(), Value::Array(genomic));
    let probability = g
        .post_test_probability
        .map(|p| format!(", post-test probability {p:.4}"))
        .unwrap_or_default();
    let tie = if g.tie_size > 1 {
        format!(" (tied with {} others)", g.tie_size - 1)
    } else {
        String::new()
    };
    json!({
        "id": format!("odyssey-{}-{}", g.rank, g.symbol),
        "progressStatus": "IN_PROGRESS",
        "diagnosis": Value::Object(diagnosis),
        "summary": format!(
            "Odyssey {} candidate gene rank {}{tie}: {} score {:.4}{probability}",
            report.odyssey.version, g.rank, report.odyssey.method, g.score
        )
    })
}

/// Assembly from the phenopacket's VCF file attributes (`files[].fileAttributes.genomeAssembly`
/// or v1 `htsFiles[].genomeAssembly`).
fn packet_assembly(packet: &Value) -> Option<String> {
    let files = packet
        .get("files")
        .and_then(Value::as_array)
        .into_iter()
        .flatten();
    for f in files {
        if let Some(a) = f
            .pointer("/fileAttributes/genomeAssembly")
            .and_then(Value::as_str)
        {
            return Some(a.to_string());
        }
    }
    None
}

fn resource(prefix: &str, report: &AnalysisReport) -> Option<Value> {
    let kb = &report.odyssey.knowledge_base;
    let (id, name, url, version, iri) = match prefix {
        "HP" => (
            "hp",
            "human phenotype ontology",
            "http://purl.obolibrary.org/obo/hp.owl",
            kb.hpo_release.as_str(),
            "http://purl.obolibrary.org/obo/HP_",
        ),
        "GENO" => (
            "geno",
            "Genotype Ontology",
            "http://purl.obolibrary.org/obo/geno.owl",
            "unspecified",
            "http://purl.obolibrary.org/obo/GENO_",
        ),
        "OMIM" => (
            "omim",
            "Online Mendelian Inheritance in Man",
            "https://www.omim.org",
            kb.annotations_release.as_str(),
            "https://www.omim.org/entry/",
        ),
        "ORPHA" => (
            "orpha",
            "Orphanet Rare Disease Ontology",
            "https://www.orpha.net",
            kb.annotations_release.as_str(),
            "https://www.orpha.net/en/disease/detail/",
        ),
        "DECIPHER" => (
            "decipher",
            "DECIPHER",
            "https://www.deciphergenomics.org",
            kb.annotations_release.as_str(),
            "https://www.deciphergenomics.org/syndrome/",
        ),
        "NCBIGene" => (
            "ncbigene",
            "NCBI Gene",
            "https://www.ncbi.nlm.nih.gov/gene",
            kb.annotations_release.as_str(),
            "https://www.ncbi.nlm.nih.gov/gene/",
        ),
        _ => return None,
    };
    Some(
        json!({ "id": id, "name": name, "url": url, "version": version, "namespacePrefix": prefix, "iriPrefix": iri }),
    )
}

fn add_metadata(target: &mut Map<String, Value>, report: &AnalysisReport, prefixes: &[String]) {
    if !target.get("metaData").is_some_and(Value::is_object) {
        target.insert("metaData".into(), json!({}));
    }
    let Some(meta) = target.get_mut("metaData").and_then(Value::as_object_mut) else {
        return;
    };
    if !meta.contains_key("phenopacketSchemaVersion") {
        meta.insert("phenopacketSchemaVersion".into(), json!("2.0"));
    }
    if !meta.contains_key("created") {
        meta.insert("created".into(), json!(report.odyssey.created));
    }
    if !meta.contains_key("createdBy") {
        meta.insert(
            "createdBy".into(),
            json!(format!("Odyssey {}", report.odyssey.version)),
        );
    }
    let resources = if prefixes.is_empty() {
        None
    } else {
        Some(meta.entry("resources").or_insert_with(|| json!([])))
    };
    if let Some(Value::Array(list)) = resources {
        for p in prefixes {
            let have = list.iter().any(|r| {
                r.get("namespacePrefix")
                    .and_then(Value::as_str)
                    .is_some_and(|x| x.eq_ignore_ascii_case(p))
            });
            if !have {
                if let Some(r) = resource(p, report) {
                    list.push(r);
                }
            }
        }
    }
    let updates = meta.entry("updates").or_insert_with(|| json!([]));
    if let Value::Array(list) = updates {
        list.push(json!({
            "timestamp": report.odyssey.created,
            "updatedBy": format!("Odyssey {}", report.odyssey.version),
            "comment": "candidate genomic interpretations added by Odyssey (progressStatus IN_PROGRESS, interpretationStatus CANDIDATE)"
        }));
    }
}

/// Adds Odyssey's candidate interpretations to a phenopacket (or to a Family's proband) and
/// returns the new document. `packet` is the input as read (see [`read_phenopacket_value`]);
/// `None` builds a new phenopacket from the report ([`phenopacket_from_report`]).
///
/// Errors: [`ReportError::Phenopacket`] when the input is not a JSON object or its
/// `interpretations` is not a list.
pub fn add_interpretations(
    packet: Option<Value>,
    report: &AnalysisReport,
    opts: &PhenopacketOptions,
) -> Result<Value, ReportError> {
    let mut doc = match packet {
        Some(p) if is_v1(&p) || p.get("proband").is_some_and(is_v1) => {
            phenopacket_from_report(report)
        }
        Some(p) => p,
        None => phenopacket_from_report(report),
    };
    let perr = |message: &str| ReportError::Phenopacket {
        path: "<input>".into(),
        message: message.to_string(),
    };
    if !doc.is_object() {
        return Err(perr("the top level is not an object"));
    }
    if let Some(base) = &opts.resolve_files_against {
        absolute_file_uris(&mut doc, base);
    }
    let assembly = opts
        .assembly
        .clone()
        .or_else(|| crate::report_assembly(report).map(String::from))
        .or_else(|| packet_assembly(&doc));
    let family = doc.get("proband").is_some();
    let target = if family {
        doc.get_mut("proband").and_then(Value::as_object_mut)
    } else {
        doc.as_object_mut()
    }
    .ok_or_else(|| perr("the proband is not an object"))?;
    let subject = target
        .get("subject")
        .and_then(|s| s.get("id"))
        .and_then(Value::as_str)
        .map(String::from)
        .or_else(|| report.case.subject_id.clone())
        .unwrap_or_else(|| report.case.id.clone());

    // after a variant analysis, a gene is a candidate of a genetic diagnosis only with a variant
    let variant_analysis = report.filters.is_some();
    let genes: Vec<&GeneResult> = report
        .genes
        .iter()
        .filter(|g| !variant_analysis || g.variants.iter().any(|v| v.filter == "PASS"))
        .take(opts.top)
        .collect();
    let new: Vec<Value> = genes
        .iter()
        .map(|g| interpretation(report, g, &subject, assembly.as_deref()))
        .collect();
    match target.entry("interpretations").or_insert_with(|| json!([])) {
        Value::Array(list) => list.extend(new),
        _ => return Err(perr("`interpretations` is not a list")),
    }

    let mut prefixes: Vec<String> = vec!["HP".into(), "NCBIGene".into()];
    for g in &genes {
        if let Some(p) = g
            .diseases
            .first()
            .and_then(|d| d.split_once(':'))
            .map(|(p, _)| p.to_string())
        {
            prefixes.push(p);
        }
        if g.variants
            .iter()
            .any(|v| v.filter == "PASS" && !v.genotypes.is_empty())
        {
            prefixes.push("GENO".into());
        }
    }
    prefixes.sort();
    prefixes.dedup();
    add_metadata(target, report, &prefixes);
    if family {
        // a Family also carries its own metaData; record the update there too
        if let Some(obj) = doc.as_object_mut() {
            if obj.contains_key("metaData") {
                add_metadata(obj, report, &[]);
            }
        }
    }
    Ok(doc)
}

/// Writes a phenopacket JSON value, pretty-printed, with a trailing newline.
pub fn write_phenopacket<W: std::io::Write>(doc: &Value, mut out: W) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, doc)?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genotypes_to_geno() {
        assert_eq!(allelic_state("0/1"), Some(HETEROZYGOUS));
        assert_eq!(allelic_state("1|0"), Some(HETEROZYGOUS));
        assert_eq!(allelic_state("1/2"), Some(HETEROZYGOUS));
        assert_eq!(allelic_state("1/1"), Some(HOMOZYGOUS));
        assert_eq!(allelic_state("1"), Some(HEMIZYGOUS));
        assert_eq!(allelic_state("0/0"), None);
        assert_eq!(allelic_state("./."), None);
        assert_eq!(allelic_state("0"), None);
    }

    #[test]
    fn hgvs_prefix() {
        assert_eq!(
            expression("hgvs.c", "c.1A>G", Some("NM_1.2"))["value"],
            "NM_1.2:c.1A>G"
        );
        assert_eq!(
            expression("hgvs.c", "NM_3.1:c.1A>G", Some("NM_1.2"))["value"],
            "NM_3.1:c.1A>G"
        );
        assert_eq!(
            expression("hgvs.p", "p.(Arg1Cys)", None)["value"],
            "p.(Arg1Cys)"
        );
    }
}
