//! The MME API v1.1 request and response objects (GA4GH Matchmaker Exchange, `search-api.md`,
//! `heartbeat-api.md`, `metrics-api.md`; Buske et al., Hum. Mutat. 36:922-927, 2015), as serde
//! types with the specification's camelCase field names.
//!
//! Deserialising into these types checks JSON types only; [`crate::validate`] checks the
//! specification's rules (mandatory fields, id forms, ranges) and names the offending field.
//! Optional fields that are absent are omitted when serialising.

use serde::{Deserialize, Serialize};

/// The media type of MME API v1.x, major version 1, minor version `minor`.
pub fn media_type(minor: u32) -> String {
    format!("application/vnd.ga4gh.matchmaker.v1.{minor}+json")
}

/// The API versions this implementation supports, as listed in 406 answers and heartbeats.
pub const SUPPORTED_VERSIONS: [&str; 2] = ["1.0", "1.1"];

/// `POST /match` body: the query patient, with optional disclaimer and terms.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchRequest {
    /// Disclaimer text of the querying service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclaimer: Option<String>,
    /// Terms and conditions of the querying service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    /// The query patient.
    pub patient: Patient,
}

/// A patient record, the same shape in queries and in results.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Patient {
    /// Identifier, unique within the node that holds the record (at most 255 UTF-8 bytes).
    pub id: String,
    /// A user-assigned label without personally identifiable information.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Who to contact about a match.
    pub contact: Contact,
    /// NCBI taxon (`NCBITaxon:9606`, the default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub species: Option<String>,
    /// `FEMALE`, `MALE`, `OTHER`, `MIXED_SAMPLE` or `NOT_APPLICABLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<String>,
    /// HPO onset term (a descendant of HP:0003674).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_of_onset: Option<String>,
    /// HPO mode-of-inheritance term (a descendant of HP:0000005).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inheritance_mode: Option<String>,
    /// Diagnoses (`MIM:` or `Orphanet:` ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disorders: Vec<Disorder>,
    /// Phenotypic features (HPO terms, observed or explicitly not observed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<Feature>,
    /// Candidate causal genes and variants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub genomic_features: Vec<GenomicFeature>,
    /// `true` for a test query or a test record: answered, counted apart.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test: bool,
}

/// Contact of the record's owner.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    /// Person or organisation (mandatory).
    pub name: String,
    /// Institution.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    /// Public URL (`http(s):` or `mailto:`) to follow up a match (mandatory).
    pub href: String,
    /// E-mail address (v1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `clinician`, `researcher`, `patient` (v1.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
}

/// A diagnosis.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disorder {
    /// `MIM:######` or `Orphanet:#####`.
    pub id: String,
    /// Disease name (v1.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// A phenotypic feature.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Feature {
    /// HPO term id `HP:#######`.
    pub id: String,
    /// Term name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `"yes"` (the default when absent) or `"no"` (explicitly not observed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed: Option<String>,
    /// HPO onset term of this feature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_of_onset: Option<String>,
}

impl Feature {
    /// Observed unless `observed` is `"no"`.
    pub fn is_observed(&self) -> bool {
        self.observed.as_deref() != Some("no")
    }
}

/// A candidate gene, optionally with a variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenomicFeature {
    /// The gene.
    pub gene: GeneRef,
    /// The variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<Variant>,
    /// 1 heterozygous or hemizygous, 2 homozygous.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zygosity: Option<u8>,
    /// Effect as a Sequence Ontology term.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub effect: Option<OntologyTerm>,
}

/// A gene identifier: Ensembl gene id, NCBI (Entrez) gene id or HGNC symbol.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeneRef {
    /// The id.
    pub id: String,
}

/// A variant, VCF-style alleles with 0-based coordinates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Variant {
    /// `GRCh37`, `GRCh38.p1`, `NCBI36`, ...
    pub assembly: String,
    /// `1`..`22`, `X`, `Y` (also `MT`).
    pub reference_name: String,
    /// 0-based start (mandatory in the specification, absent in some benchmark records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<u64>,
    /// 0-based exclusive end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<u64>,
    /// Reference allele.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_bases: Option<String>,
    /// Alternate allele.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_bases: Option<String>,
}

/// An ontology term with an optional label (used for the variant type, an SO term).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OntologyTerm {
    /// Term id, e.g. `SO:0001587`.
    pub id: String,
    /// Label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// `POST /match` answer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MatchResponse {
    /// Disclaimer of the answering node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclaimer: Option<String>,
    /// Terms of the answering node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
    /// Matches, best first (may be empty).
    pub results: Vec<MatchResult>,
}

/// One match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchResult {
    /// How well the patient matched.
    pub score: Score,
    /// The matched patient.
    pub patient: Patient,
}

/// The match score.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// Overall score in [0, 1]; 1 is a perfect match.
    pub patient: f64,
}

/// `GET /heartbeat` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HeartbeatResponse {
    /// The heartbeat.
    pub heartbeat: Heartbeat,
    /// Disclaimer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclaimer: Option<String>,
}

/// Health and supported versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Heartbeat {
    /// Whether this is a production system.
    pub production: bool,
    /// Software version.
    pub version: String,
    /// Supported media types.
    pub accept: Vec<String>,
}

/// `GET /metrics` answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MetricsResponse {
    /// The metrics.
    pub metrics: Metrics,
    /// Disclaimer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disclaimer: Option<String>,
    /// Terms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terms: Option<String>,
}

/// Node statistics (all optional in the specification; Odyssey fills every one). Test
/// queries are counted apart, in the non-standard `_test…` fields.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    /// Shared cases.
    pub number_of_cases: u64,
    /// Distinct contacts (by `href`) among shared cases.
    pub number_of_submitters: u64,
    /// Genomic features naming a gene, with duplicates.
    pub number_of_genes: u64,
    /// Distinct genes.
    pub number_of_unique_genes: u64,
    /// Genomic features with a variant, with duplicates.
    pub number_of_variants: u64,
    /// Distinct variants.
    pub number_of_unique_variants: u64,
    /// Features, with duplicates.
    pub number_of_features: u64,
    /// Distinct feature ids.
    pub number_of_unique_features: u64,
    /// Cases with at least one feature.
    pub number_of_feature_sets: u64,
    /// Distinct genes matched on in answers to non-test requests.
    pub number_of_unique_genes_matched: u64,
    /// Cases with a disorder.
    pub number_of_cases_with_diagnosis: u64,
    /// Non-test match requests answered.
    pub number_of_requests_received: u64,
    /// Results sent in answers to non-test requests.
    pub number_of_potential_matches_sent: u64,
    /// `YYYY-MM-DD` (UTC).
    pub date_generated: String,
    /// Test requests answered (non-standard).
    #[serde(rename = "_testRequestsReceived", default)]
    pub test_requests_received: u64,
    /// Results sent in answers to test requests (non-standard).
    #[serde(rename = "_testPotentialMatchesSent", default)]
    pub test_potential_matches_sent: u64,
}

/// An error answer: a human-readable `message`, the offending fields when the body broke the
/// specification, and the supported versions for a 406.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// What went wrong.
    pub message: String,
    /// One entry per violated rule (422).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<crate::validate::Violation>,
    /// Supported API versions (406).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supported_versions: Vec<String>,
}
