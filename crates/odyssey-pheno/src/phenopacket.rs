//! GA4GH Phenopacket reader (schema v2, and v1 where it differs), JSON or YAML, and the GA4GH
//! Family message read for its proband.
//!
//! Only the fields Odyssey uses are modelled; unknown fields are ignored. 64-bit integers
//! (`vcfRecord.pos`) are accepted as JSON numbers or as strings, the canonical protobuf JSON
//! form. Schema versions 1.x and 2.x (`"2"`, `"2.0"`, `"2.0.2"`) are read; v1 spells an
//! excluded feature `negated: true` and lists files under `htsFiles`.
//!
//! Spec: GA4GH Phenopacket Schema v2 (Jacobsen et al., Nat Biotechnol 2022;
//! <https://phenopacket-schema.readthedocs.io>).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer};

/// Errors reading a phenopacket or family file.
#[derive(Debug, thiserror::Error)]
pub enum PhenopacketError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The text is not a phenopacket (syntax or shape), with the parser's location.
    #[error("{path}: not a valid GA4GH Phenopacket or Family ({format}): {message}")]
    Parse {
        /// File.
        path: PathBuf,
        /// `JSON` or `YAML`.
        format: &'static str,
        /// Parser message, with line and column.
        message: String,
    },
    /// A schema version Odyssey does not read.
    #[error("{path}: phenopacketSchemaVersion {version:?} is not supported (expected 1.x or 2.x)")]
    Version {
        /// File.
        path: PathBuf,
        /// The version found.
        version: String,
    },
}

/// An ontology class `{id, label}`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct OntologyClass {
    /// CURIE, e.g. `HP:0001250`.
    pub id: String,
    /// Label.
    pub label: String,
}

/// `Age { iso8601duration }`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct Age {
    /// ISO 8601 duration, e.g. `P3Y6M`.
    pub iso8601duration: String,
}

/// `TimeElement` (v2): an age, an age range, an ontology class, or a timestamp.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct TimeElement {
    /// Age.
    pub age: Option<Age>,
    /// Onset class such as HP:0003577 Congenital onset.
    pub ontology_class: Option<OntologyClass>,
}

/// One entry of `phenotypicFeatures`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct PhenotypicFeature {
    /// The HPO term.
    #[serde(rename = "type")]
    pub kind: OntologyClass,
    /// v2: the feature was looked for and not found.
    pub excluded: bool,
    /// v1 spelling of `excluded`.
    pub negated: bool,
    /// Onset.
    pub onset: Option<TimeElement>,
}

impl PhenotypicFeature {
    /// True when excluded (v2) or negated (v1).
    pub fn is_excluded(&self) -> bool {
        self.excluded || self.negated
    }
}

/// `Individual` (the subject).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Individual {
    /// Subject id.
    pub id: String,
    /// `MALE`, `FEMALE`, `OTHER_SEX`, `UNKNOWN_SEX` (empty when absent); other values are a
    /// parse error (the X-linked analysis depends on it).
    #[serde(deserialize_with = "sex_enum")]
    pub sex: String,
    /// v2 age at last encounter.
    pub time_at_last_encounter: Option<TimeElement>,
    /// v1 age.
    pub age_at_collection: Option<Age>,
}

/// A `vcfRecord` of a variation descriptor.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct VcfRecord {
    /// `hg19`, `hg38`, `GRCh37`, `GRCh38`.
    pub genome_assembly: String,
    /// Chromosome.
    pub chrom: String,
    /// 1-based position (number or string in JSON).
    #[serde(deserialize_with = "u64_flexible")]
    pub pos: u64,
    /// Reference allele.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Alternate allele.
    pub alt: String,
}

/// `geneContext` / `geneDescriptor`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct GeneDescriptor {
    /// e.g. `HGNC:3689`.
    pub value_id: String,
    /// HGNC symbol.
    pub symbol: String,
}

/// An expression such as `{syntax: "hgvs.c", value: "NM_000141.5:c.1A>G"}`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Expression {
    /// `hgvs.c`, `hgvs.p`, `hgvs.g`, ...
    pub syntax: String,
    /// The expression.
    pub value: String,
}

/// `VariationDescriptor`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct VariationDescriptor {
    /// Id.
    pub id: String,
    /// Label (structural variants without a VCF record often state their coordinates here,
    /// e.g. `12q12(46125066-46230365)x1 (GRCh37/hg19)`).
    pub label: Option<String>,
    /// Gene.
    pub gene_context: Option<GeneDescriptor>,
    /// HGVS and other expressions.
    pub expressions: Vec<Expression>,
    /// VCF-style coordinates.
    pub vcf_record: Option<VcfRecord>,
    /// Zygosity, e.g. GENO:0000135 heterozygous.
    pub allelic_state: Option<OntologyClass>,
    /// Structural variant type, when it has no VCF record.
    pub structural_type: Option<OntologyClass>,
}

/// `VariantInterpretation`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct VariantInterpretation {
    /// ACMG class.
    pub acmg_pathogenicity_classification: String,
    /// The variant.
    pub variation_descriptor: Option<VariationDescriptor>,
}

/// `GenomicInterpretation`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct GenomicInterpretation {
    /// Subject or biosample.
    pub subject_or_biosample_id: String,
    /// `CAUSATIVE`, `CANDIDATE`, `CONTRIBUTORY`, `REJECTED`, ...
    pub interpretation_status: String,
    /// A gene-level interpretation.
    pub gene: Option<GeneDescriptor>,
    /// A variant-level interpretation.
    pub variant_interpretation: Option<VariantInterpretation>,
}

/// `Diagnosis`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Diagnosis {
    /// The disease.
    pub disease: Option<OntologyClass>,
    /// Genes and variants.
    pub genomic_interpretations: Vec<GenomicInterpretation>,
}

/// `Interpretation`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Interpretation {
    /// Id.
    pub id: String,
    /// `SOLVED`, `IN_PROGRESS`, ...
    pub progress_status: String,
    /// Diagnosis.
    pub diagnosis: Option<Diagnosis>,
}

/// `Disease` entry of `diseases`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct DiseaseEntry {
    /// The disease term, e.g. OMIM:101600.
    pub term: OntologyClass,
    /// True when the disease was excluded.
    pub excluded: bool,
}

/// `fileAttributes` / v1 `htsFile` attributes.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct FileAttributes {
    /// `VCF`, `BCF`, ...
    pub hts_format: Option<String>,
    /// Alternative key some producers use.
    pub file_format: Option<String>,
    /// e.g. `GRCh38`, `hg19`.
    pub genome_assembly: Option<String>,
}

/// A `File` (v2) or `HtsFile` (v1).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct PacketFile {
    /// URI: `file:///abs/path.vcf.gz`, `file://rel.vcf`, or a relative path.
    pub uri: String,
    /// v2: individual id -> sample id in the file.
    pub individual_to_file_identifiers: std::collections::BTreeMap<String, String>,
    /// v1: individual id -> sample id.
    pub individual_to_sample_identifiers: std::collections::BTreeMap<String, String>,
    /// v2 attributes.
    pub file_attributes: std::collections::BTreeMap<String, String>,
    /// v1 `htsFormat`.
    pub hts_format: Option<String>,
    /// v1 `genomeAssembly`.
    pub genome_assembly: Option<String>,
}

impl PacketFile {
    /// The format, from `fileAttributes.htsFormat`/`fileFormat` (v2) or `htsFormat` (v1), upper-cased.
    pub fn format(&self) -> Option<String> {
        self.file_attributes
            .get("htsFormat")
            .or_else(|| self.file_attributes.get("fileFormat"))
            .or(self.hts_format.as_ref())
            .map(|s| s.to_ascii_uppercase())
    }

    /// The genome assembly as written (`GRCh38`, `hg19`, ...).
    pub fn assembly(&self) -> Option<&str> {
        self.file_attributes
            .get("genomeAssembly")
            .or(self.genome_assembly.as_ref())
            .map(String::as_str)
    }

    /// Sample id in the file for an individual (v2 or v1 map).
    pub fn sample_for(&self, individual: &str) -> Option<&str> {
        self.individual_to_file_identifiers
            .get(individual)
            .or_else(|| self.individual_to_sample_identifiers.get(individual))
            .map(String::as_str)
    }

    /// The local path of the URI, resolved against the phenopacket's folder: `file:///abs`,
    /// `file://rel` and bare relative or absolute paths. `None` for other schemes (http, s3...).
    pub fn local_path(&self, base: &Path) -> Option<PathBuf> {
        let uri = self.uri.trim();
        let path = if let Some(rest) = uri.strip_prefix("file://") {
            rest
        } else if uri.contains("://") {
            return None;
        } else {
            uri.strip_prefix("file:").unwrap_or(uri)
        };
        let p = Path::new(path);
        Some(if p.is_absolute() {
            p.to_path_buf()
        } else {
            base.join(p)
        })
    }
}

/// `MetaData` (the fields Odyssey reads).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct MetaData {
    /// `"2"`, `"2.0"`, `"2.0.2"`, `"1.0"`...
    pub phenopacket_schema_version: String,
}

/// A GA4GH Phenopacket (v2, with the v1 spellings Odyssey understands).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Phenopacket {
    /// Phenopacket id.
    pub id: String,
    /// The subject.
    pub subject: Option<Individual>,
    /// Observed and excluded features.
    pub phenotypic_features: Vec<PhenotypicFeature>,
    /// Diagnoses and causal variants.
    pub interpretations: Vec<Interpretation>,
    /// Diseases.
    pub diseases: Vec<DiseaseEntry>,
    /// v2 files.
    pub files: Vec<PacketFile>,
    /// v1 files.
    pub hts_files: Vec<PacketFile>,
    /// Metadata.
    pub meta_data: MetaData,
}

/// A pedigree person (GA4GH `Pedigree.Person`).
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default, rename_all = "camelCase")]
pub struct PedigreePerson {
    /// Family id.
    pub family_id: String,
    /// Individual id.
    pub individual_id: String,
    /// Father's id, or empty/`0`.
    pub paternal_id: String,
    /// Mother's id, or empty/`0`.
    pub maternal_id: String,
    /// `MALE`, `FEMALE`, `OTHER_SEX`, `UNKNOWN_SEX` (validated as [`Individual::sex`]).
    #[serde(deserialize_with = "sex_enum")]
    pub sex: String,
    /// `AFFECTED`, `UNAFFECTED`, `MISSING`.
    pub affected_status: String,
}

/// A GA4GH `Pedigree`.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Pedigree {
    /// Members.
    pub persons: Vec<PedigreePerson>,
}

/// A GA4GH Family: a proband, relatives, a pedigree and shared files.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default, rename_all = "camelCase")]
pub struct Family {
    /// Family id.
    pub id: String,
    /// The proband's phenopacket.
    pub proband: Phenopacket,
    /// Relatives' phenopackets.
    pub relatives: Vec<Phenopacket>,
    /// Pedigree.
    pub pedigree: Option<Pedigree>,
    /// Files (e.g. a multi-sample VCF).
    pub files: Vec<PacketFile>,
    /// v1 files.
    pub hts_files: Vec<PacketFile>,
    /// Metadata.
    pub meta_data: MetaData,
}

/// What a case file held: a single phenopacket, or a family (read for its proband).
#[derive(Clone, Debug, PartialEq)]
pub enum CaseFile {
    /// A phenopacket.
    Phenopacket(Phenopacket),
    /// A family.
    Family(Family),
}

impl CaseFile {
    /// The proband's phenopacket.
    pub fn proband(&self) -> &Phenopacket {
        match self {
            CaseFile::Phenopacket(p) => p,
            CaseFile::Family(f) => &f.proband,
        }
    }

    /// Every file listed, proband's first, then the family's (v2 `files` and v1 `htsFiles`).
    pub fn files(&self) -> Vec<&PacketFile> {
        let p = self.proband();
        let mut out: Vec<&PacketFile> = p.files.iter().chain(&p.hts_files).collect();
        if let CaseFile::Family(f) = self {
            out.extend(f.files.iter().chain(&f.hts_files));
        }
        out
    }
}

/// The Phenopacket `Sex` enum: its names in any letter case, or its protobuf numbers 0-3
/// (UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX); returned as the upper-case name.
fn sex_enum<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    const NAMES: [&str; 4] = ["UNKNOWN_SEX", "FEMALE", "MALE", "OTHER_SEX"];
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a sex: one of UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<String, E> {
            NAMES.get(v as usize).map(|s| s.to_string()).ok_or_else(|| {
                E::custom(format!(
                    "sex {v} is not one of 0-3 (UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX)"
                ))
            })
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<String, E> {
            Err(E::custom(format!(
                "sex {v} is not one of 0-3 (UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX)"
            )))
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<String, E> {
            let up = s.trim().to_ascii_uppercase();
            if up.is_empty() || NAMES.contains(&up.as_str()) {
                Ok(up)
            } else {
                Err(E::custom(format!(
                    "sex {s:?} is not one of UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX"
                )))
            }
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
    }
    d.deserialize_any(V)
}

fn u64_flexible<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = u64;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a positive integer, as a JSON number or a string (\"12345\")")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v)
                .map_err(|_| E::custom(format!("a position must be a positive integer, found {v}")))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            Err(E::custom(format!(
                "a position must be a whole number, found {v}"
            )))
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<u64, E> {
            s.trim()
                .parse()
                .map_err(|_| E::custom(format!("{s:?} is not a positive integer")))
        }
    }
    d.deserialize_any(V)
}

/// Reads a phenopacket or family from JSON (`.json`) or YAML (`.yml`/`.yaml`, or any file
/// whose first non-blank character is not `{`).
///
/// Errors: [`PhenopacketError::Io`], [`PhenopacketError::Parse`] (with the parser's line and
/// column), [`PhenopacketError::Version`] for schema versions other than 1.x/2.x.
pub fn read_case_file(path: &Path) -> Result<CaseFile, PhenopacketError> {
    let text =
        odyssey_genome::text::read_text_file(path).map_err(|source| PhenopacketError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    parse_case_file(&text, path)
}

/// Parses phenopacket or family text; `path` is used in messages and to choose the format.
pub fn parse_case_file(text: &str, path: &Path) -> Result<CaseFile, PhenopacketError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text); // a UTF-8 byte-order mark
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if text.trim().is_empty() {
        return Err(PhenopacketError::Parse {
            path: path.to_path_buf(),
            format: if ext == "json" { "JSON" } else { "phenopacket" },
            message: "the file is empty".into(),
        });
    }
    let yaml =
        ext == "yml" || ext == "yaml" || (ext != "json" && !text.trim_start().starts_with('{'));
    let value: serde_json::Value = if yaml {
        serde_saphyr::from_str(text).map_err(|e| PhenopacketError::Parse {
            path: path.to_path_buf(),
            format: "YAML",
            message: e.to_string(),
        })?
    } else {
        serde_json::from_str(text).map_err(|e| PhenopacketError::Parse {
            path: path.to_path_buf(),
            format: "JSON",
            message: e.to_string(),
        })?
    };
    let format = if yaml { "YAML" } else { "JSON" };
    let perr = |message: String| PhenopacketError::Parse {
        path: path.to_path_buf(),
        format,
        message,
    };
    if !value.is_object() {
        return Err(perr("the top level is not an object".into()));
    }
    // typed parse from the text (not from the value) so that errors keep their line and column
    fn typed<T: serde::de::DeserializeOwned>(text: &str, yaml: bool) -> Result<T, String> {
        if yaml {
            serde_saphyr::from_str(text).map_err(|e| e.to_string())
        } else {
            serde_json::from_str(text).map_err(|e| e.to_string())
        }
    }
    let file = if value.get("proband").is_some() {
        CaseFile::Family(typed(text, yaml).map_err(perr)?)
    } else {
        let p: Phenopacket = typed(text, yaml).map_err(perr)?;
        if p.phenotypic_features.is_empty() && p.subject.is_none() && p.id.is_empty() {
            return Err(perr(
                "no id, subject or phenotypicFeatures: this does not look like a phenopacket"
                    .into(),
            ));
        }
        CaseFile::Phenopacket(p)
    };
    let version = match &file {
        CaseFile::Phenopacket(p) => &p.meta_data.phenopacket_schema_version,
        CaseFile::Family(f) => {
            if f.meta_data.phenopacket_schema_version.is_empty() {
                &f.proband.meta_data.phenopacket_schema_version
            } else {
                &f.meta_data.phenopacket_schema_version
            }
        }
    };
    let major = version
        .trim()
        .trim_start_matches(['v', 'V'])
        .split('.')
        .next()
        .unwrap_or("");
    if !version.is_empty() && major != "1" && major != "2" {
        return Err(PhenopacketError::Version {
            path: path.to_path_buf(),
            version: version.clone(),
        });
    }
    if let Some(problem) = subject_age_problem(&file) {
        return Err(perr(problem));
    }
    Ok(file)
}

/// The proband's age (`subject.timeAtLastEncounter.age.iso8601duration`, or v1
/// `subject.ageAtCollection.iso8601duration`; under `proband.` in a Family) when it is not a
/// usable age ([`crate::case::age_problem`]): the field, the value and what is wrong.
fn subject_age_problem(file: &CaseFile) -> Option<String> {
    let prefix = match file {
        CaseFile::Phenopacket(_) => "",
        CaseFile::Family(_) => "proband.",
    };
    let s = file.proband().subject.as_ref()?;
    let (field, age) = match (&s.time_at_last_encounter, &s.age_at_collection) {
        (Some(TimeElement { age: Some(a), .. }), _) => {
            ("subject.timeAtLastEncounter.age.iso8601duration", a)
        }
        (_, Some(a)) => ("subject.ageAtCollection.iso8601duration", a),
        _ => return None,
    };
    let text = age.iso8601duration.trim();
    if text.is_empty() {
        return None;
    }
    crate::case::age_problem(text).map(|p| format!("{prefix}{field} {text:?} is {p}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 13: an absurd age is refused with the file and the field, never reported.
    #[test]
    fn absurd_and_malformed_ages_are_errors_naming_the_field() {
        let with_age = |age: &str| {
            format!(
                r#"{{"id":"p","subject":{{"id":"s","timeAtLastEncounter":{{"age":{{"iso8601duration":"{age}"}}}}}},"phenotypicFeatures":[{{"type":{{"id":"HP:0001250"}}}}]}}"#
            )
        };
        let err =
            |t: &str, name: &str| parse_case_file(t, Path::new(name)).unwrap_err().to_string();
        // 10^20 years, well formed: parsed to 1.000e20 years and refused
        let e = err(&with_age("P99999999999999999999Y"), "kid.json");
        assert_eq!(
            e,
            "kid.json: not a valid GA4GH Phenopacket or Family (JSON): subject.timeAtLastEncounter.age.iso8601duration \"P99999999999999999999Y\" is 1.000e20 years: more than 150 years, not a human age"
        );
        // 151 years = 1812 months
        let e = err(&with_age("P1812M"), "kid.json");
        assert!(e.contains("\"P1812M\" is 151.0 years"), "{e}");
        let e = err(&with_age("P3X"), "kid.json");
        assert!(
            e.contains("subject.timeAtLastEncounter.age.iso8601duration \"P3X\" is not an ISO 8601 duration"),
            "{e}"
        );
        // v1 spelling, in YAML
        let e = err(
            "id: p\nsubject:\n  id: s\n  ageAtCollection:\n    iso8601duration: P200Y\nphenotypicFeatures:\n  - type: {id: 'HP:0001250'}\n",
            "kid.yaml",
        );
        assert!(
            e.starts_with("kid.yaml: not a valid GA4GH Phenopacket or Family (YAML): subject.ageAtCollection.iso8601duration \"P200Y\" is 200.0 years"),
            "{e}"
        );
        // a family names the proband's field
        let fam = format!(r#"{{"id":"f","proband":{}}}"#, with_age("P999Y"));
        assert!(err(&fam, "fam.json").contains("proband.subject.timeAtLastEncounter"));
        // 150 years and younger ages pass
        for ok in ["P150Y", "P3Y6M", "P10D", "PT4H"] {
            parse_case_file(&with_age(ok), Path::new("kid.json")).unwrap();
        }
    }

    #[test]
    fn sex_outside_the_enum_is_an_error_naming_the_values() {
        let read_phenopacket_str = |t: &str| match parse_case_file(t, Path::new("case.json")) {
            Ok(CaseFile::Phenopacket(p)) => Ok(p),
            Ok(CaseFile::Family(_)) => panic!("not a family"),
            Err(e) => Err(e),
        };
        let bad = r#"{"id":"p","subject":{"id":"s","sex":"banana"},"phenotypicFeatures":[],"metaData":{"phenopacketSchemaVersion":"2.0"}}"#;
        let e = read_phenopacket_str(bad).unwrap_err().to_string();
        assert!(
            e.contains("\"banana\" is not one of UNKNOWN_SEX, FEMALE, MALE, OTHER_SEX"),
            "{e}"
        );
        let num = r#"{"id":"p","subject":{"id":"s","sex":2},"phenotypicFeatures":[],"metaData":{"phenopacketSchemaVersion":"2.0"}}"#;
        assert_eq!(
            read_phenopacket_str(num).unwrap().subject.unwrap().sex,
            "MALE"
        );
        let lower = r#"{"id":"p","subject":{"id":"s","sex":"female"},"phenotypicFeatures":[],"metaData":{"phenopacketSchemaVersion":"2.0"}}"#;
        assert_eq!(
            read_phenopacket_str(lower).unwrap().subject.unwrap().sex,
            "FEMALE"
        );
    }

    #[test]
    fn v2_json_with_string_positions() {
        let text = r#"{"id":"p1","subject":{"id":"s1","sex":"FEMALE","timeAtLastEncounter":{"age":{"iso8601duration":"P3Y"}}},
            "phenotypicFeatures":[{"type":{"id":"HP:0001250","label":"Seizure"}},{"type":{"id":"HP:0000252"},"excluded":true}],
            "interpretations":[{"id":"i","diagnosis":{"disease":{"id":"OMIM:1"},"genomicInterpretations":[{"subjectOrBiosampleId":"s1",
              "interpretationStatus":"CAUSATIVE","variantInterpretation":{"variationDescriptor":{"geneContext":{"valueId":"HGNC:1","symbol":"ABC"},
              "vcfRecord":{"genomeAssembly":"hg38","chrom":"chr1","pos":"12345","ref":"A","alt":"G"}}}}]}}],
            "files":[{"uri":"file://x.vcf.gz","individualToFileIdentifiers":{"s1":"SAMPLE1"},"fileAttributes":{"htsFormat":"VCF","genomeAssembly":"hg38"}}],
            "metaData":{"phenopacketSchemaVersion":"2.0.2"},"somethingNew":1}"#;
        let f = parse_case_file(text, Path::new("a.json")).unwrap();
        let p = f.proband();
        assert_eq!(p.phenotypic_features.len(), 2);
        assert!(p.phenotypic_features[1].is_excluded());
        let v = p.interpretations[0]
            .diagnosis
            .as_ref()
            .unwrap()
            .genomic_interpretations[0]
            .variant_interpretation
            .as_ref()
            .unwrap()
            .variation_descriptor
            .as_ref()
            .unwrap()
            .vcf_record
            .clone()
            .unwrap();
        assert_eq!(v.pos, 12345);
        let file = &f.files()[0];
        assert_eq!(file.format().as_deref(), Some("VCF"));
        assert_eq!(file.sample_for("s1"), Some("SAMPLE1"));
        assert_eq!(
            file.local_path(Path::new("/data/cases")).unwrap(),
            PathBuf::from("/data/cases/x.vcf.gz")
        );
    }

    #[test]
    fn v1_yaml_and_family() {
        let yaml = "id: p\nsubject:\n  id: s\n  sex: MALE\nphenotypicFeatures:\n  - type: {id: 'HP:0001250'}\n    negated: true\nhtsFiles:\n  - uri: file:///abs/a.vcf\n    htsFormat: VCF\n    genomeAssembly: GRCh37\n    individualToSampleIdentifiers: {s: S1}\nmetaData:\n  phenopacketSchemaVersion: '1.0'\n";
        let f = parse_case_file(yaml, Path::new("a.yml")).unwrap();
        assert!(f.proband().phenotypic_features[0].is_excluded());
        assert_eq!(
            f.files()[0].local_path(Path::new("/x")).unwrap(),
            PathBuf::from("/abs/a.vcf")
        );
        assert_eq!(f.files()[0].assembly(), Some("GRCh37"));
        let fam = r#"{"id":"F","proband":{"id":"kid","subject":{"id":"kid"},"phenotypicFeatures":[{"type":{"id":"HP:0001250"}}]},
            "pedigree":{"persons":[{"familyId":"F","individualId":"kid","paternalId":"dad","maternalId":"mum","sex":"MALE","affectedStatus":"AFFECTED"}]}}"#;
        let f = parse_case_file(fam, Path::new("f.json")).unwrap();
        assert!(matches!(f, CaseFile::Family(_)));
        assert_eq!(f.proband().id, "kid");
    }

    #[test]
    fn errors_are_located() {
        let err = parse_case_file("{\"id\": \"x\",\n \"subject\": [}", Path::new("bad.json"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("bad.json: not a valid GA4GH Phenopacket") && err.contains("line 2"),
            "{err}"
        );
        let err = parse_case_file(
            r#"{"id":"x","metaData":{"phenopacketSchemaVersion":"3.0"}}"#,
            Path::new("v.json"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("3.0"), "{err}");
        let err = parse_case_file(r#"{"id":"x","phenotypicFeatures":[{"type":{"id":"HP:1"}}],"interpretations":[{"diagnosis":{"genomicInterpretations":[{"variantInterpretation":{"variationDescriptor":{"vcfRecord":{"pos":"twelve"}}}}]}}]}"#, Path::new("p.json")).unwrap_err().to_string();
        assert!(err.contains("twelve") && err.contains("line 1"), "{err}");
        assert!(parse_case_file("[1,2]", Path::new("l.json")).is_err());
        for (pos, want) in [
            ("-4", "positive integer, found -4"),
            ("1.5", "whole number, found 1.5"),
        ] {
            let t = format!(
                r#"{{"id":"x","interpretations":[{{"diagnosis":{{"genomicInterpretations":[{{"variantInterpretation":{{"variationDescriptor":{{"vcfRecord":{{"pos":{pos}}}}}}}}}]}}}}]}}"#
            );
            let err = parse_case_file(&t, Path::new("p.json"))
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{err}");
        }
        // a byte-order mark is not an error
        assert!(parse_case_file(
            "\u{feff}{\"id\":\"b\",\"phenotypicFeatures\":[]}",
            Path::new("bom.json")
        )
        .is_ok());
    }
}
