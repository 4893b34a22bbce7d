//! A validator for MME API v1.1 messages, written from the specification's text
//! (`search-api.md`, `heartbeat-api.md`, `metrics-api.md`; the specification ships no JSON
//! Schema). It works on raw JSON, so type errors are reported with the field path too, and
//! returns every violated rule, each naming its field as a path such as
//! `patient.features[2].id`.
//!
//! Two levels: [`Level::Server`] checks what a node needs to answer (mandatory fields, id
//! forms, ranges) and ignores unknown fields; [`Level::Strict`] also rejects fields the
//! specification does not define unless they start with `_` (its rule for non-standard
//! fields). Tests validate every message they exchange at the strict level.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How strictly to validate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Mandatory fields and their forms; unknown fields ignored.
    Server,
    /// Also: no fields outside the specification except `_`-prefixed ones; disorder ids only
    /// `MIM:` or `Orphanet:`.
    Strict,
}

/// One violated rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    /// Path of the offending field, e.g. `patient.features[2].id`.
    pub field: String,
    /// What was expected and what was found.
    pub problem: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.problem)
    }
}

/// Validates a `POST /match` request body.
pub fn request(v: &Value, level: Level) -> Vec<Violation> {
    let mut c = Checker::new(level);
    if let Some(o) = c.object("", v) {
        c.only(o, "", &["disclaimer", "terms", "patient"]);
        c.opt_string(o, "", "disclaimer", usize::MAX);
        c.opt_string(o, "", "terms", usize::MAX);
        match o.get("patient") {
            Some(p) => c.patient("patient", p),
            None => c.missing("", "patient"),
        }
    }
    c.out
}

/// Validates a `POST /match` response body.
pub fn response(v: &Value, level: Level) -> Vec<Violation> {
    let mut c = Checker::new(level);
    if let Some(o) = c.object("", v) {
        c.only(o, "", &["disclaimer", "terms", "results"]);
        c.opt_string(o, "", "disclaimer", usize::MAX);
        c.opt_string(o, "", "terms", usize::MAX);
        match o.get("results") {
            None => c.missing("", "results"),
            Some(Value::Array(rs)) => {
                for (i, r) in rs.iter().enumerate() {
                    c.result(&format!("results[{i}]"), r);
                }
            }
            Some(other) => c.wrong("results", "an array", other),
        }
    }
    c.out
}

/// Validates a patient object on its own (`path` prefixes the reported fields).
pub fn patient(path: &str, v: &Value, level: Level) -> Vec<Violation> {
    let mut c = Checker::new(level);
    c.patient(path, v);
    c.out
}

/// Validates a `GET /heartbeat` response body.
pub fn heartbeat(v: &Value, level: Level) -> Vec<Violation> {
    let mut c = Checker::new(level);
    if let Some(o) = c.object("", v) {
        c.only(o, "", &["heartbeat", "disclaimer"]);
        c.opt_string(o, "", "disclaimer", usize::MAX);
        match o.get("heartbeat") {
            None => c.missing("", "heartbeat"),
            Some(h) => {
                if let Some(h) = c.object("heartbeat", h) {
                    c.only(h, "heartbeat", &["production", "version", "accept"]);
                    match h.get("production") {
                        Some(Value::Bool(_)) => {}
                        Some(x) => c.wrong("heartbeat.production", "true or false", x),
                        None => c.missing("heartbeat", "production"),
                    }
                    c.req_string(h, "heartbeat", "version", usize::MAX);
                    c.string_array(h, "heartbeat", "accept", true, |s| {
                        s.starts_with("application/vnd.ga4gh.matchmaker.v") && s.ends_with("+json")
                    });
                }
            }
        }
    }
    c.out
}

const METRIC_COUNTS: [&str; 13] = [
    "numberOfCases",
    "numberOfSubmitters",
    "numberOfGenes",
    "numberOfUniqueGenes",
    "numberOfVariants",
    "numberOfUniqueVariants",
    "numberOfFeatures",
    "numberOfUniqueFeatures",
    "numberOfFeatureSets",
    "numberOfUniqueGenesMatched",
    "numberOfCasesWithDiagnosis",
    "numberOfRequestsReceived",
    "numberOfPotentialMatchesSent",
];

/// Validates a `GET /metrics` response body.
pub fn metrics(v: &Value, level: Level) -> Vec<Violation> {
    let mut c = Checker::new(level);
    if let Some(o) = c.object("", v) {
        c.only(o, "", &["metrics", "disclaimer", "terms"]);
        c.opt_string(o, "", "disclaimer", usize::MAX);
        c.opt_string(o, "", "terms", usize::MAX);
        match o.get("metrics") {
            None => c.missing("", "metrics"),
            Some(m) => {
                if let Some(m) = c.object("metrics", m) {
                    let mut allowed: Vec<&str> = METRIC_COUNTS.to_vec();
                    allowed.push("dateGenerated");
                    c.only(m, "metrics", &allowed);
                    for k in METRIC_COUNTS {
                        if let Some(x) = m.get(k) {
                            if x.as_u64().is_none() {
                                c.wrong(&format!("metrics.{k}"), "a non-negative integer", x);
                            }
                        }
                    }
                    if let Some(d) = c.opt_string(m, "metrics", "dateGenerated", usize::MAX) {
                        if !is_iso_date_prefix(d) {
                            c.push(
                                "metrics.dateGenerated",
                                format!("expected an ISO 8601 date (YYYY-MM-DD…), found {d:?}"),
                            );
                        }
                    }
                }
            }
        }
    }
    c.out
}

fn is_iso_date_prefix(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
}

/// Whether `s` is `PREFIX:` followed by exactly `n` digits (`n == 0`: one or more digits).
pub(crate) fn is_curie_digits(s: &str, prefix: &str, n: usize) -> bool {
    s.strip_prefix(prefix)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|r| {
            !r.is_empty() && (n == 0 || r.len() == n) && r.bytes().all(|b| b.is_ascii_digit())
        })
}

fn is_url(s: &str) -> bool {
    // RFC 3986 scheme, a colon, and something after it
    match s.split_once(':') {
        Some((scheme, rest)) => {
            let mut b = scheme.bytes();
            b.next().is_some_and(|c| c.is_ascii_alphabetic())
                && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
                && !rest.is_empty()
                && !rest.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

fn is_bases(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| matches!(b, b'A' | b'C' | b'G' | b'T' | b'N'))
}

fn is_assembly(s: &str) -> bool {
    // <assembly>[.<patch>], e.g. GRCh37, GRCh38.p1, NCBI36
    let (name, patch) = match s.split_once('.') {
        Some((n, p)) => (n, Some(p)),
        None => (s, None),
    };
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric())
        && patch.is_none_or(|p| {
            p.len() > 1 && p.starts_with('p') && p[1..].bytes().all(|b| b.is_ascii_digit())
        })
}

const CHROMOSOMES: [&str; 24] = [
    "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15", "16", "17",
    "18", "19", "20", "21", "22", "X", "Y",
];

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

struct Checker {
    level: Level,
    out: Vec<Violation>,
}

impl Checker {
    fn new(level: Level) -> Self {
        Checker {
            level,
            out: Vec::new(),
        }
    }

    fn push(&mut self, field: &str, problem: String) {
        let field = if field.is_empty() { "(body)" } else { field };
        self.out.push(Violation {
            field: field.to_string(),
            problem,
        });
    }

    fn missing(&mut self, path: &str, key: &str) {
        self.push(&join(path, key), "mandatory field is missing".to_string());
    }

    fn wrong(&mut self, field: &str, expected: &str, found: &Value) {
        let shown = match found {
            Value::String(s) => format!("{s:?}"),
            Value::Number(n) => n.to_string(),
            other => json_kind(other).to_string(),
        };
        self.push(field, format!("expected {expected}, found {shown}"));
    }

    fn object<'v>(&mut self, path: &str, v: &'v Value) -> Option<&'v Map<String, Value>> {
        match v {
            Value::Object(o) => Some(o),
            other => {
                self.wrong(path, "an object", other);
                None
            }
        }
    }

    /// In strict mode, flags keys outside `allowed` that do not start with `_`.
    fn only(&mut self, o: &Map<String, Value>, path: &str, allowed: &[&str]) {
        if self.level != Level::Strict {
            return;
        }
        for k in o.keys() {
            if !k.starts_with('_') && !allowed.contains(&k.as_str()) {
                self.push(
                    &join(path, k),
                    "field not defined by the MME specification (non-standard fields must start with '_')".to_string(),
                );
            }
        }
    }

    fn opt_string<'v>(
        &mut self,
        o: &'v Map<String, Value>,
        path: &str,
        key: &str,
        max: usize,
    ) -> Option<&'v str> {
        match o.get(key) {
            None => None,
            Some(Value::String(s)) => {
                if s.len() > max {
                    self.push(
                        &join(path, key),
                        format!("at most {max} bytes of UTF-8, found {}", s.len()),
                    );
                }
                Some(s)
            }
            Some(other) => {
                self.wrong(&join(path, key), "a string", other);
                None
            }
        }
    }

    fn req_string<'v>(
        &mut self,
        o: &'v Map<String, Value>,
        path: &str,
        key: &str,
        max: usize,
    ) -> Option<&'v str> {
        if !o.contains_key(key) {
            self.missing(path, key);
            return None;
        }
        let s = self.opt_string(o, path, key, max)?;
        if s.trim().is_empty() {
            self.push(&join(path, key), "must not be empty".to_string());
        }
        Some(s)
    }

    /// A string field that must satisfy `ok`; `expected` describes the form.
    fn formed(
        &mut self,
        o: &Map<String, Value>,
        path: &str,
        key: &str,
        mandatory: bool,
        expected: &str,
        ok: impl Fn(&str) -> bool,
    ) {
        let s = if mandatory {
            if !o.contains_key(key) {
                self.missing(path, key);
                return;
            }
            self.opt_string(o, path, key, usize::MAX)
        } else {
            self.opt_string(o, path, key, usize::MAX)
        };
        if let Some(s) = s {
            if !ok(s) {
                self.push(
                    &join(path, key),
                    format!("expected {expected}, found {s:?}"),
                );
            }
        }
    }

    fn string_array(
        &mut self,
        o: &Map<String, Value>,
        path: &str,
        key: &str,
        mandatory: bool,
        ok: impl Fn(&str) -> bool,
    ) {
        match o.get(key) {
            None if mandatory => self.missing(path, key),
            None => {}
            Some(Value::Array(a)) => {
                for (i, x) in a.iter().enumerate() {
                    let f = format!("{}[{i}]", join(path, key));
                    match x {
                        Value::String(s) if ok(s) => {}
                        Value::String(s) => self.push(&f, format!("unexpected value {s:?}")),
                        other => self.wrong(&f, "a string", other),
                    }
                }
            }
            Some(other) => self.wrong(&join(path, key), "an array of strings", other),
        }
    }

    fn array<'v>(&mut self, o: &'v Map<String, Value>, path: &str, key: &str) -> &'v [Value] {
        match o.get(key) {
            None => &[],
            Some(Value::Array(a)) => a,
            Some(other) => {
                self.wrong(&join(path, key), "an array", other);
                &[]
            }
        }
    }

    fn result(&mut self, path: &str, v: &Value) {
        let Some(o) = self.object(path, v) else {
            return;
        };
        self.only(o, path, &["score", "patient"]);
        match o.get("score") {
            None => self.missing(path, "score"),
            Some(s) => {
                let sp = join(path, "score");
                if let Some(s) = self.object(&sp, s) {
                    self.only(s, &sp, &["patient"]);
                    match s.get("patient") {
                        None => self.missing(&sp, "patient"),
                        Some(x) => match x.as_f64() {
                            Some(f) if (0.0..=1.0).contains(&f) => {}
                            _ => self.wrong(&join(&sp, "patient"), "a number in [0, 1]", x),
                        },
                    }
                }
            }
        }
        match o.get("patient") {
            None => self.missing(path, "patient"),
            Some(p) => self.patient(&join(path, "patient"), p),
        }
    }

    fn patient(&mut self, path: &str, v: &Value) {
        let Some(o) = self.object(path, v) else {
            return;
        };
        self.only(
            o,
            path,
            &[
                "id",
                "label",
                "contact",
                "species",
                "sex",
                "ageOfOnset",
                "inheritanceMode",
                "disorders",
                "features",
                "genomicFeatures",
                "test",
            ],
        );
        self.req_string(o, path, "id", 255);
        self.opt_string(o, path, "label", 255);
        match o.get("contact") {
            None => self.missing(path, "contact"),
            Some(c) => self.contact(&join(path, "contact"), c),
        }
        self.formed(
            o,
            path,
            "species",
            false,
            "an NCBI taxon id like NCBITaxon:9606",
            |s| is_curie_digits(s, "NCBITaxon", 0),
        );
        self.formed(
            o,
            path,
            "sex",
            false,
            "one of FEMALE, MALE, OTHER, MIXED_SAMPLE, NOT_APPLICABLE",
            |s| {
                matches!(
                    s,
                    "FEMALE" | "MALE" | "OTHER" | "MIXED_SAMPLE" | "NOT_APPLICABLE"
                )
            },
        );
        self.formed(
            o,
            path,
            "ageOfOnset",
            false,
            "an HPO id like HP:0003577",
            |s| is_curie_digits(s, "HP", 7),
        );
        self.formed(
            o,
            path,
            "inheritanceMode",
            false,
            "an HPO id like HP:0000006",
            |s| is_curie_digits(s, "HP", 7),
        );
        if let Some(x) = o.get("test") {
            if !x.is_boolean() {
                self.wrong(&join(path, "test"), "true or false", x);
            }
        }
        let strict = self.level == Level::Strict;
        for (i, d) in self.array(o, path, "disorders").iter().enumerate() {
            let p = format!("{}[{i}]", join(path, "disorders"));
            let Some(d) = self.object(&p, d) else {
                continue;
            };
            self.only(d, &p, &["id", "label"]);
            let (expected, ok): (&str, fn(&str) -> bool) = if strict {
                (
                    "an OMIM or Orphanet id like MIM:610536 or Orphanet:558",
                    |s| is_curie_digits(s, "MIM", 0) || is_curie_digits(s, "Orphanet", 0),
                )
            } else {
                ("a disorder id like MIM:610536 or Orphanet:558", |s| {
                    s.split_once(':')
                        .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
                })
            };
            self.formed(d, &p, "id", true, expected, ok);
            self.opt_string(d, &p, "label", usize::MAX);
        }
        let features = self.array(o, path, "features");
        for (i, f) in features.iter().enumerate() {
            self.feature(&format!("{}[{i}]", join(path, "features")), f);
        }
        let genomic = self.array(o, path, "genomicFeatures");
        for (i, g) in genomic.iter().enumerate() {
            self.genomic_feature(&format!("{}[{i}]", join(path, "genomicFeatures")), g);
        }
        if features.is_empty() && genomic.is_empty() {
            self.push(
                &join(path, "features"),
                "at least one of features and genomicFeatures must be a non-empty list".to_string(),
            );
        }
    }

    fn contact(&mut self, path: &str, v: &Value) {
        let Some(o) = self.object(path, v) else {
            return;
        };
        self.only(o, path, &["name", "institution", "href", "email", "roles"]);
        self.req_string(o, path, "name", 255);
        self.opt_string(o, path, "institution", 255);
        self.formed(
            o,
            path,
            "href",
            true,
            "a URL of the form <scheme>:<address>",
            is_url,
        );
        self.formed(o, path, "email", false, "an e-mail address", |s| {
            s.split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && !b.is_empty())
        });
        self.string_array(o, path, "roles", false, |s| {
            matches!(s, "clinician" | "researcher" | "patient")
        });
    }

    fn feature(&mut self, path: &str, v: &Value) {
        let Some(o) = self.object(path, v) else {
            return;
        };
        self.only(o, path, &["id", "label", "observed", "ageOfOnset"]);
        self.formed(o, path, "id", true, "an HPO id like HP:0001250", |s| {
            is_curie_digits(s, "HP", 7)
        });
        self.opt_string(o, path, "label", usize::MAX);
        self.formed(o, path, "observed", false, "\"yes\" or \"no\"", |s| {
            s == "yes" || s == "no"
        });
        self.formed(
            o,
            path,
            "ageOfOnset",
            false,
            "an HPO id like HP:0003577",
            |s| is_curie_digits(s, "HP", 7),
        );
    }

    fn genomic_feature(&mut self, path: &str, v: &Value) {
        let Some(o) = self.object(path, v) else {
            return;
        };
        self.only(o, path, &["gene", "variant", "zygosity", "type"]);
        match o.get("gene") {
            None => self.missing(path, "gene"),
            Some(g) => {
                let gp = join(path, "gene");
                if let Some(g) = self.object(&gp, g) {
                    self.only(g, &gp, &["id"]);
                    self.req_string(g, &gp, "id", usize::MAX);
                }
            }
        }
        if let Some(x) = o.get("variant") {
            self.variant(&join(path, "variant"), x);
        }
        if let Some(z) = o.get("zygosity") {
            if !matches!(z.as_u64(), Some(1 | 2)) {
                self.wrong(
                    &join(path, "zygosity"),
                    "1 (heterozygous or hemizygous) or 2 (homozygous)",
                    z,
                );
            }
        }
        if let Some(t) = o.get("type") {
            let tp = join(path, "type");
            if let Some(t) = self.object(&tp, t) {
                self.only(t, &tp, &["id", "label"]);
                self.formed(
                    t,
                    &tp,
                    "id",
                    true,
                    "a Sequence Ontology id like SO:0001587",
                    |s| is_curie_digits(s, "SO", 7),
                );
                self.opt_string(t, &tp, "label", usize::MAX);
            }
        }
    }

    fn variant(&mut self, path: &str, v: &Value) {
        let Some(o) = self.object(path, v) else {
            return;
        };
        self.only(
            o,
            path,
            &[
                "assembly",
                "referenceName",
                "start",
                "end",
                "referenceBases",
                "alternateBases",
            ],
        );
        self.formed(
            o,
            path,
            "assembly",
            true,
            "an assembly like GRCh37, GRCh38.p1 or NCBI36",
            is_assembly,
        );
        let strict = self.level == Level::Strict;
        self.formed(
            o,
            path,
            "referenceName",
            true,
            "a chromosome 1-22, X or Y",
            |s| CHROMOSOMES.contains(&s) || (!strict && s == "MT"),
        );
        let start = match o.get("start") {
            None => {
                self.missing(path, "start");
                None
            }
            Some(x) => match x.as_u64() {
                Some(s) => Some(s),
                None => {
                    self.wrong(&join(path, "start"), "a non-negative integer (0-based)", x);
                    None
                }
            },
        };
        if let Some(x) = o.get("end") {
            match x.as_u64() {
                Some(e) if start.is_none_or(|s| e >= s) => {}
                Some(_) => self.wrong(
                    &join(path, "end"),
                    "an integer not below start (0-based, exclusive)",
                    x,
                ),
                None => self.wrong(
                    &join(path, "end"),
                    "a non-negative integer (0-based, exclusive)",
                    x,
                ),
            }
        }
        self.formed(
            o,
            path,
            "referenceBases",
            false,
            "VCF-style bases (A, C, G, T, N), at least one",
            is_bases,
        );
        self.formed(
            o,
            path,
            "alternateBases",
            false,
            "VCF-style bases (A, C, G, T, N), at least one",
            is_bases,
        );
    }
}

/// The violations as one human-readable message (the first few, then a count).
pub fn summary(violations: &[Violation]) -> String {
    let shown: Vec<String> = violations.iter().take(5).map(|v| v.to_string()).collect();
    let mut s = shown.join("; ");
    if violations.len() > 5 {
        s.push_str(&format!("; and {} more", violations.len() - 5));
    }
    s
}
