//! Reader for `phenotype.hpoa`, the HPO disease annotation file (HPOA format, 2021 onwards).
//!
//! Columns: database_id, disease_name, qualifier, hpo_id, reference, evidence, onset, frequency,
//! sex, modifier, aspect, biocuration. The header line must name them in this order; `#` lines
//! before it are metadata (`#version: 2025-01-16`).

use std::path::Path;

use crate::annotation::{Aspect, Evidence, Frequency, Sex};
use crate::error::{Error, Result};
use crate::id::{DiseaseId, HpoId};
use crate::textfile::read_text;

/// The expected header columns.
pub const HPOA_COLUMNS: [&str; 12] = [
    "database_id",
    "disease_name",
    "qualifier",
    "hpo_id",
    "reference",
    "evidence",
    "onset",
    "frequency",
    "sex",
    "modifier",
    "aspect",
    "biocuration",
];

/// One parsed line of `phenotype.hpoa`, ids not yet resolved against the ontology.
#[derive(Clone, Debug, PartialEq)]
pub struct HpoaRecord {
    /// 1-based line number in the file.
    pub line: usize,
    /// `database_id`.
    pub disease: DiseaseId,
    /// `disease_name`.
    pub disease_name: String,
    /// `qualifier` is `NOT`.
    pub negated: bool,
    /// `hpo_id`.
    pub term: HpoId,
    /// `reference`, split on `;`.
    pub references: Vec<String>,
    /// `evidence`.
    pub evidence: Evidence,
    /// `onset`.
    pub onset: Option<HpoId>,
    /// `frequency`.
    pub frequency: Frequency,
    /// `sex`.
    pub sex: Option<Sex>,
    /// `modifier`, split on `;`.
    pub modifiers: Vec<HpoId>,
    /// `aspect`.
    pub aspect: Aspect,
    /// `biocuration`.
    pub biocuration: String,
}

/// The parsed file.
#[derive(Clone, Debug)]
pub struct HpoaFile {
    /// From `#version:` (YYYY-MM-DD).
    pub version: Option<String>,
    /// All annotation lines.
    pub records: Vec<HpoaRecord>,
}

/// Reads `phenotype.hpoa` (plain or gzip).
///
/// Errors: [`Error::Malformed`] naming line and column for a wrong column count, a bad id, an
/// unknown qualifier, evidence, sex or aspect, or a frequency in none of the three encodings;
/// [`Error::Invalid`] when the header line is missing or different.
pub fn read_hpoa(path: &Path) -> Result<HpoaFile> {
    let text = read_text(path)?;
    parse_hpoa(&text, path)
}

/// Parses HPOA text; `path` is used in messages only. See [`read_hpoa`].
pub fn parse_hpoa(text: &str, path: &Path) -> Result<HpoaFile> {
    let mut version = None;
    let mut header_seen = false;
    let mut records = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(meta) = line.strip_prefix('#') {
            if let Some(v) = meta.strip_prefix("version:") {
                version = Some(v.trim().to_string());
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        if !header_seen {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols != HPOA_COLUMNS {
                return Err(Error::malformed(
                    path,
                    n,
                    "header",
                    format!(
                        "expected the HPOA header `{}`, found `{}`",
                        HPOA_COLUMNS.join("\t"),
                        line
                    ),
                ));
            }
            header_seen = true;
            continue;
        }
        records.push(parse_line(line, n, path)?);
    }
    if !header_seen {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "no HPOA header line (database_id\tdisease_name\t...)".into(),
        });
    }
    Ok(HpoaFile { version, records })
}

fn parse_line(line: &str, n: usize, path: &Path) -> Result<HpoaRecord> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != HPOA_COLUMNS.len() {
        return Err(Error::malformed(
            path,
            n,
            "line",
            format!("expected 12 tab-separated columns, found {}", f.len()),
        ));
    }
    let bad = |col: usize, msg: String| Error::malformed(path, n, HPOA_COLUMNS[col], msg);
    let hpo = |col: usize, s: &str| {
        s.trim()
            .parse::<HpoId>()
            .map_err(|e| bad(col, e.to_string()))
    };
    let disease = f[0]
        .parse::<DiseaseId>()
        .map_err(|e| bad(0, e.to_string()))?;
    let negated = match f[2] {
        "" => false,
        "NOT" => true,
        q => return Err(bad(2, format!("{q:?}: expected empty or NOT"))),
    };
    let term = hpo(3, f[3])?;
    let references = f[4]
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let evidence = Evidence::parse(f[5])
        .ok_or_else(|| bad(5, format!("{:?}: expected IEA, PCS or TAS", f[5])))?;
    let onset = if f[6].is_empty() {
        None
    } else {
        Some(hpo(6, f[6])?)
    };
    let frequency = Frequency::parse(f[7]).map_err(|m| bad(7, m))?;
    let sex = match f[8] {
        "" => None,
        s => Some(
            Sex::parse(s)
                .ok_or_else(|| bad(8, format!("{s:?}: expected MALE, FEMALE or empty")))?,
        ),
    };
    let modifiers = f[9]
        .split(';')
        .filter(|s| !s.trim().is_empty())
        .map(|s| hpo(9, s))
        .collect::<Result<_>>()?;
    let aspect = Aspect::parse(f[10])
        .ok_or_else(|| bad(10, format!("{:?}: expected P, I, C, M or H", f[10])))?;
    Ok(HpoaRecord {
        line: n,
        disease,
        disease_name: f[1].to_string(),
        negated,
        term,
        references,
        evidence,
        onset,
        frequency,
        sex,
        modifiers,
        aspect,
        biocuration: f[11].to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "#version: 2099-01-01\ndatabase_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n";

    #[test]
    fn parses_all_columns() {
        let text = format!("{HEADER}OMIM:1\tD one\tNOT\tHP:0000002\tPMID:1;PMID:2\tPCS\tHP:0003577\t2/3\tMALE\tHP:0012825;HP:0012828\tP\tHPO:x[2020-01-01]\n");
        let f = parse_hpoa(&text, Path::new("p.hpoa")).unwrap();
        assert_eq!(f.version.as_deref(), Some("2099-01-01"));
        let r = &f.records[0];
        assert_eq!(r.line, 3);
        assert!(r.negated);
        assert_eq!(r.references, vec!["PMID:1", "PMID:2"]);
        assert_eq!(r.onset, Some(HpoId::new(3577)));
        assert_eq!(r.frequency, Frequency::Ratio { n: 2, m: 3 });
        assert_eq!(r.sex, Some(Sex::Male));
        assert_eq!(r.modifiers.len(), 2);
        assert_eq!(r.aspect, Aspect::Phenotype);
    }

    #[test]
    fn malformed_lines_name_line_and_field() {
        let cases = [
            (
                "OMIM:1\tD\t\tHP:12\tPMID:1\tPCS\t\t\t\t\tP\tx\n",
                "p.hpoa:3: field `hpo_id`",
            ),
            (
                "OMIM:1\tD\t\tHP:0000002\tPMID:1\tPCS\t\t7/5\t\t\tP\tx\n",
                "p.hpoa:3: field `frequency`",
            ),
            (
                "OMIM:1\tD\tMAYBE\tHP:0000002\tPMID:1\tPCS\t\t\t\t\tP\tx\n",
                "p.hpoa:3: field `qualifier`",
            ),
            (
                "OMIM:1\tD\t\tHP:0000002\tPMID:1\tPCS\t\t\t\t\tZ\tx\n",
                "p.hpoa:3: field `aspect`",
            ),
            ("OMIM:1\tD\t\tHP:0000002\n", "p.hpoa:3: field `line`"),
            (
                "FOO:1\tD\t\tHP:0000002\tPMID:1\tPCS\t\t\t\t\tP\tx\n",
                "p.hpoa:3: field `database_id`",
            ),
        ];
        for (line, want) in cases {
            let err = parse_hpoa(&format!("{HEADER}{line}"), Path::new("p.hpoa"))
                .unwrap_err()
                .to_string();
            assert!(err.starts_with(want), "{err}");
        }
        let err = parse_hpoa("a\tb\n", Path::new("p.hpoa"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("p.hpoa:1: field `header`"), "{err}");
    }
}
