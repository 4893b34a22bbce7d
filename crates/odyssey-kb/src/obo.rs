//! Reader for `hp.obo` (OBO flat file format 1.4), built on the `fastobo` parser.
//!
//! Syntax errors come from fastobo with their line and column. Semantic checks made here
//! (every id must be an `HP:` id with 7 digits, a term needs a name) name the line of the
//! offending clause, found by scanning the file text, because fastobo's syntax tree keeps no
//! positions.

use std::path::Path;

use fastobo::ast::{EntityFrame, HeaderClause, SynonymScope, TermClause};

use crate::error::{Error, Result};
use crate::id::HpoId;
use crate::textfile::read_text;

/// Synonym scope, as in OBO (`EXACT`, `BROAD`, `NARROW`, `RELATED`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum SynonymKind {
    /// Same meaning.
    Exact,
    /// Broader meaning.
    Broad,
    /// Narrower meaning.
    Narrow,
    /// Related meaning.
    Related,
}

/// A term synonym with its scope.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Synonym {
    /// The synonym text.
    pub text: String,
    /// Its scope.
    pub kind: SynonymKind,
}

/// One `[Term]` frame of `hp.obo`, with the clauses Odyssey keeps.
#[derive(Clone, Debug, Default)]
pub struct OboTerm {
    /// `id:`
    pub id: Option<HpoId>,
    /// `name:`
    pub name: String,
    /// `def:` text.
    pub definition: Option<String>,
    /// `synonym:` clauses.
    pub synonyms: Vec<Synonym>,
    /// `is_a:` parents.
    pub parents: Vec<HpoId>,
    /// `alt_id:` secondary ids.
    pub alt_ids: Vec<HpoId>,
    /// `is_obsolete: true`.
    pub obsolete: bool,
    /// `replaced_by:`
    pub replaced_by: Option<HpoId>,
    /// `consider:` suggestions for obsolete terms.
    pub consider: Vec<HpoId>,
    /// 1-based line of the frame's `id:` clause.
    pub line: usize,
}

/// The parsed ontology file.
#[derive(Clone, Debug)]
pub struct OboFile {
    /// `data-version:` header, e.g. `hp/releases/2025-01-16`.
    pub data_version: Option<String>,
    /// All term frames in file order (obsolete ones included).
    pub terms: Vec<OboTerm>,
}

impl OboFile {
    /// The release date `YYYY-MM-DD` taken from `data-version`, when it ends with one.
    pub fn release_date(&self) -> Option<String> {
        let v = self.data_version.as_deref()?;
        let last = v.rsplit('/').next()?;
        is_date(last).then(|| last.to_string())
    }
}

pub(crate) fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Lines of each clause keyed by (tag, value), to point errors at a line.
fn locate(text: &str, frame_line: usize, tag: &str, value: &str) -> usize {
    let wanted = format!("{tag}: {value}");
    text.lines()
        .enumerate()
        .skip(frame_line.saturating_sub(1))
        .take_while(|(i, l)| *i + 1 == frame_line || !l.starts_with('['))
        .find(|(_, l)| l.starts_with(&wanted))
        .map(|(i, _)| i + 1)
        .unwrap_or(frame_line)
}

/// Reads `hp.obo` (plain or gzip).
///
/// Errors: [`Error::Io`]; [`Error::Malformed`] for OBO syntax errors (line from the parser) and
/// for ids that are not `HP:` + 7 digits (line of the clause); [`Error::Invalid`] when there are
/// no terms.
pub fn read_obo(path: &Path) -> Result<OboFile> {
    let text = read_text(path)?;
    parse_obo(&text, path)
}

/// Parses OBO text; `path` is used in error messages only. See [`read_obo`].
pub fn parse_obo(text: &str, path: &Path) -> Result<OboFile> {
    let doc = parse_guarded(text, path)?;
    let data_version = doc.header().iter().find_map(|c| match c {
        HeaderClause::DataVersion(v) => Some(v.as_str().to_string()),
        _ => None,
    });
    // line numbers of `[Term]` frames' id lines, in order
    let id_lines: Vec<usize> = {
        let mut out = Vec::new();
        let mut in_term = false;
        for (i, l) in text.lines().enumerate() {
            if l.starts_with('[') {
                in_term = l.trim_end() == "[Term]";
            } else if in_term && l.starts_with("id:") {
                out.push(i + 1);
                in_term = false;
            }
        }
        out
    };
    let mut terms = Vec::new();
    for entity in doc.entities() {
        let EntityFrame::Term(frame) = entity else {
            continue;
        };
        let line = id_lines.get(terms.len()).copied().unwrap_or(0);
        let parse_id = |tag: &str, s: String| -> Result<HpoId> {
            s.parse::<HpoId>().map_err(|e| {
                Error::malformed(path, locate(text, line, tag, &s), tag, e.to_string())
            })
        };
        let mut t = OboTerm {
            line,
            ..Default::default()
        };
        t.id = Some(parse_id("id", frame.id().as_inner().to_string())?);
        for clause in frame.clauses() {
            match clause.as_inner() {
                TermClause::Name(n) => t.name = n.as_str().to_string(),
                TermClause::Def(d) => t.definition = Some(d.text().as_str().to_string()),
                TermClause::Synonym(s) => t.synonyms.push(Synonym {
                    text: s.description().as_str().to_string(),
                    kind: match s.scope() {
                        SynonymScope::Exact => SynonymKind::Exact,
                        SynonymScope::Broad => SynonymKind::Broad,
                        SynonymScope::Narrow => SynonymKind::Narrow,
                        SynonymScope::Related => SynonymKind::Related,
                    },
                }),
                TermClause::IsA(p) => t.parents.push(parse_id("is_a", p.to_string())?),
                TermClause::AltId(a) => t.alt_ids.push(parse_id("alt_id", a.to_string())?),
                TermClause::IsObsolete(b) => t.obsolete = *b,
                TermClause::ReplacedBy(r) => {
                    t.replaced_by = Some(parse_id("replaced_by", r.to_string())?)
                }
                TermClause::Consider(c) => t.consider.push(parse_id("consider", c.to_string())?),
                _ => {}
            }
        }
        if t.name.is_empty() {
            return Err(Error::malformed(
                path,
                line,
                "name",
                "term has no name: clause",
            ));
        }
        terms.push(t);
    }
    if terms.is_empty() {
        return Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "no [Term] frames: not an OBO ontology".into(),
        });
    }
    Ok(OboFile {
        data_version,
        terms,
    })
}

/// Runs the fastobo parser, turning a panic inside it into an error naming the file (found by
/// fuzzing, issue 13: fastobo 0.15 reaches `unreachable!()` on some malformed headers, such as
/// an `id:` clause in the header frame).
fn parse_guarded(text: &str, path: &Path) -> Result<fastobo::ast::OboDoc> {
    match std::panic::catch_unwind(|| fastobo::from_str(text)) {
        Ok(r) => r.map_err(|e| syntax_error(path, e)),
        Err(_) => Err(Error::Invalid {
            path: path.to_path_buf(),
            message: "OBO syntax error: the fastobo parser failed on this file (expected the OBO 1.4 format: a header, then [Term] frames)".into(),
        }),
    }
}

fn syntax_error(path: &Path, e: fastobo::error::Error) -> Error {
    use fastobo::error::{Error as FErr, SyntaxError};
    use fastobo::syntax::pest::error::LineColLocation;
    match e {
        FErr::SyntaxError {
            error: SyntaxError::ParserError { error },
        } => {
            let (line, col) = match error.line_col {
                LineColLocation::Pos((l, c)) => (l, c),
                LineColLocation::Span((l, c), _) => (l, c),
            };
            let message = format!(
                "OBO syntax error at column {col}: {}",
                error.variant.message()
            );
            Error::malformed(path, line, "obo", message)
        }
        other => Error::Invalid {
            path: path.to_path_buf(),
            message: format!("OBO error: {other}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzz_crash_header_id_clause_is_an_error() {
        // the fuzzer's finding (odyssey-fuzz --seed 1, target hp_obo, input 140): the HPO
        // mini fixture with its header mutated
        let text = include_str!("../tests/fixtures/fuzz/hp_obo-crash-1.obo");
        let e = parse_obo(text, Path::new("t.obo")).unwrap_err().to_string();
        assert!(
            e.contains("t.obo") && e.contains("fastobo parser failed"),
            "{e}"
        );
    }

    #[test]
    fn reads_clauses() {
        let text = "format-version: 1.2\ndata-version: hp/releases/2099-01-02\n\n[Term]\nid: HP:0000001\nname: All\n\n[Term]\nid: HP:0000002\nname: Child\ndef: \"A child term.\" []\nsynonym: \"Kid\" EXACT []\nis_a: HP:0000001 ! All\nalt_id: HP:0000009\n\n[Term]\nid: HP:0000003\nname: obsolete Old\nis_obsolete: true\nreplaced_by: HP:0000002\nconsider: HP:0000001\n";
        let f = parse_obo(text, Path::new("t.obo")).unwrap();
        assert_eq!(f.release_date().as_deref(), Some("2099-01-02"));
        assert_eq!(f.terms.len(), 3);
        let c = &f.terms[1];
        assert_eq!(
            (c.id.unwrap().number(), c.name.as_str(), c.line),
            (2, "Child", 9)
        );
        assert_eq!(c.definition.as_deref(), Some("A child term."));
        assert_eq!(
            c.synonyms,
            vec![Synonym {
                text: "Kid".into(),
                kind: SynonymKind::Exact
            }]
        );
        assert_eq!(c.parents, vec![HpoId::new(1)]);
        assert_eq!(c.alt_ids, vec![HpoId::new(9)]);
        let o = &f.terms[2];
        assert!(o.obsolete);
        assert_eq!(
            (o.replaced_by, o.consider.clone()),
            (Some(HpoId::new(2)), vec![HpoId::new(1)])
        );
    }

    #[test]
    fn bad_parent_id_names_its_line() {
        let text = "format-version: 1.2\n\n[Term]\nid: HP:0000001\nname: All\n\n[Term]\nid: HP:0000002\nname: Child\nis_a: HP:12 ! bad\n";
        let err = parse_obo(text, Path::new("x.obo")).unwrap_err().to_string();
        assert!(err.starts_with("x.obo:10: field `is_a`"), "{err}");
    }

    #[test]
    fn syntax_error_names_its_line() {
        let text = "format-version: 1.2\n\n[Term]\nid: HP:0000001\nname: All\nsynonym: \"unterminated EXACT []\n";
        let err = parse_obo(text, Path::new("y.obo")).unwrap_err().to_string();
        assert!(err.starts_with("y.obo:6:"), "{err}");
    }
}
