//! A patient's phenotype as Odyssey scores it: observed and excluded HPO terms resolved
//! against the knowledge base, with every term that could not be used reported and why.

use serde::Serialize;

use odyssey_kb::{HpoId, KnowledgeBase, NewerTerms, Ontology, Resolution, Sex, TermIdx};

use crate::phenopacket::Phenopacket;

/// A term as given by the user or a phenopacket, before resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TermInput {
    /// The id as written.
    pub id: String,
    /// Label, when given.
    pub label: Option<String>,
    /// Looked for and not found.
    pub excluded: bool,
}

/// A case before resolution against a knowledge base.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CaseInput {
    /// Case id (phenopacket id, or given on the command line).
    pub id: String,
    /// Subject id within the case (phenopacket `subject.id`).
    pub subject_id: Option<String>,
    /// Sex of the subject.
    pub sex: Option<Sex>,
    /// Age as an ISO 8601 duration (`P3Y6M`).
    pub age: Option<String>,
    /// Features.
    pub terms: Vec<TermInput>,
}

impl CaseInput {
    /// Takes id, subject, sex, age (`timeAtLastEncounter.age`, or v1 `ageAtCollection`) and
    /// phenotypic features from a phenopacket.
    pub fn from_phenopacket(p: &Phenopacket) -> CaseInput {
        let subject = p.subject.as_ref();
        let age = subject.and_then(|s| {
            s.time_at_last_encounter
                .as_ref()
                .and_then(|t| t.age.as_ref())
                .or(s.age_at_collection.as_ref())
                .map(|a| a.iso8601duration.clone())
        });
        CaseInput {
            id: if p.id.is_empty() {
                subject.map(|s| s.id.clone()).unwrap_or_default()
            } else {
                p.id.clone()
            },
            subject_id: subject.map(|s| s.id.clone()).filter(|s| !s.is_empty()),
            sex: subject.and_then(|s| Sex::parse(&s.sex)),
            age: age.filter(|a| !a.is_empty()),
            terms: p
                .phenotypic_features
                .iter()
                .map(|f| TermInput {
                    id: f.kind.id.clone(),
                    label: (!f.kind.label.is_empty()).then(|| f.kind.label.clone()),
                    excluded: f.is_excluded(),
                })
                .collect(),
        }
    }
}

/// A term of the input that is not used for scoring, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IgnoredTerm {
    /// The id as given.
    pub id: String,
    /// True when it was given as excluded.
    pub excluded: bool,
    /// Why it is not used.
    pub reason: String,
    /// True when the id is not an HPO term id or not a term of the release (a typo or a
    /// newer release), as opposed to a valid term that cannot be used (obsolete without
    /// replacement, outside the phenotypic abnormality branch, contradictory).
    #[serde(skip)]
    pub invalid_id: bool,
    /// Position of the term in [`CaseInput::terms`] (0-based).
    #[serde(skip)]
    pub input_index: usize,
}

/// An alternative or obsolete id that was mapped to its current term.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemappedTerm {
    /// The id as given.
    pub from: String,
    /// The current term used instead.
    pub to: String,
    /// `alternative id`, `obsolete, replaced`, or `term of HPO <newer> unknown to HPO <kb>,
    /// nearest known ancestor` (one entry per ancestor).
    pub how: String,
    /// True when the id is a term of a newer HPO release mapped to a known ancestor
    /// ([`KnowledgeBase::load_newer_ontology`]).
    #[serde(skip)]
    pub via_newer_release: bool,
}

/// A resolved case.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Case {
    /// Case id.
    pub id: String,
    /// Subject id.
    pub subject_id: Option<String>,
    /// Sex.
    pub sex: Option<Sex>,
    /// Age (ISO 8601 duration) as given, when valid.
    pub age: Option<String>,
    /// Observed phenotypic-abnormality terms used for scoring: current ids, deduplicated, with
    /// terms implied by a more specific observed term removed.
    #[serde(skip)]
    pub observed: Vec<TermIdx>,
    /// Excluded terms used for scoring: deduplicated, with exclusions implied by a more
    /// general excluded term removed.
    #[serde(skip)]
    pub excluded: Vec<TermIdx>,
    /// Input terms not used, with the reason.
    pub ignored: Vec<IgnoredTerm>,
    /// Input ids mapped to current terms.
    pub remapped: Vec<RemappedTerm>,
}

/// Why a case cannot be scored.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// No term survived resolution.
    #[error(
        "case {case}: no usable HPO term (observed or excluded phenotypic abnormality); {details}"
    )]
    NoUsableTerms {
        /// Case id.
        case: String,
        /// What happened to each input term.
        details: String,
    },
    /// An age that is not an ISO 8601 duration, or not a human age ([`age_problem`]).
    #[error("case {case}: age {age:?} is {problem}")]
    BadAge {
        /// Case id.
        case: String,
        /// The text.
        age: String,
        /// What is wrong ([`age_problem`]).
        problem: String,
    },
}

/// The oldest age accepted, in years: above the longest documented human life (122 years), so
/// an age beyond it is a typo or hostile input, never a patient.
pub const MAX_AGE_YEARS: f64 = 150.0;

/// What is wrong with an age given as an ISO 8601 duration, or `None` when it is a usable
/// age: "not an ISO 8601 duration such as P3Y6M or P10D", or "1.000e20 years: more than 150
/// years, not a human age" (one decimal below a million years; see [`MAX_AGE_YEARS`]).
pub fn age_problem(s: &str) -> Option<String> {
    match parse_duration_years(s) {
        None => Some("not an ISO 8601 duration such as P3Y6M or P10D".into()),
        Some(y) if !(0.0..=MAX_AGE_YEARS).contains(&y) => {
            let shown = if y < 1e6 {
                format!("{y:.1}")
            } else {
                format!("{y:.3e}")
            };
            Some(format!(
                "{shown} years: more than {MAX_AGE_YEARS} years, not a human age"
            ))
        }
        Some(_) => None,
    }
}

/// Parses an ISO 8601 duration (`PnYnMnWnD`, time part allowed) into years (365.25 d/y);
/// `None` when it is not one, or is more than [`MAX_AGE_YEARS`] (not a human age).
pub fn parse_age_years(s: &str) -> Option<f64> {
    parse_duration_years(s).filter(|y| (0.0..=MAX_AGE_YEARS).contains(y))
}

/// Parses an ISO 8601 duration into years, without a range check.
fn parse_duration_years(s: &str) -> Option<f64> {
    let rest = s.trim().strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        // ISO 8601: a `T` is followed by at least one time element (`PT` alone is not one)
        Some((_, "")) => return None,
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let mut years = 0.0;
    let mut parse_part = |part: &str, units: &[(char, f64)]| -> Option<()> {
        let mut num = String::new();
        let mut order = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
            } else {
                let pos = units.iter().position(|(u, _)| *u == c)?;
                if pos < order || num.is_empty() {
                    return None;
                }
                order = pos + 1;
                years += num.parse::<f64>().ok()? * units[pos].1;
                num.clear();
            }
        }
        num.is_empty().then_some(())
    };
    parse_part(
        date,
        &[
            ('Y', 1.0),
            ('M', 1.0 / 12.0),
            ('W', 7.0 / 365.25),
            ('D', 1.0 / 365.25),
        ],
    )?;
    if let Some(t) = time {
        parse_part(
            t,
            &[
                ('H', 1.0 / 8766.0),
                ('M', 1.0 / 525_960.0),
                ('S', 1.0 / 31_557_600.0),
            ],
        )?;
    }
    Some(years)
}

impl Case {
    /// Resolves the input against the knowledge base.
    ///
    /// Each input id is parsed and resolved: alternative and obsolete-with-replacement ids are
    /// mapped (listed in `remapped`); malformed ids, ids unknown to the release, obsolete ids
    /// without replacement and terms outside HP:0000118 Phenotypic abnormality (modes of
    /// inheritance, onset, frequency, modifiers) are listed in `ignored` with the reason.
    /// When the knowledge base has a newer release's map
    /// ([`KnowledgeBase::load_newer_ontology`]), an observed id it does not know but the map
    /// does is scored as its nearest known ancestors (each listed in `remapped`,
    /// `via_newer_release`); an excluded one is not mapped (that a specific feature is absent
    /// says nothing about its broader ancestor) and is ignored like any unknown id. This is the
    /// one resolution both `odyssey analyze` and `odyssey bench` use. Then: duplicates are merged; a term both observed and excluded is dropped from both;
    /// an excluded term that is an ancestor of an observed term (a contradiction) is dropped;
    /// an observed term that is an ancestor of another observed term is dropped as implied;
    /// an excluded term that is a descendant of another excluded term is dropped as implied.
    ///
    /// Errors: [`CaseError::NoUsableTerms`] when nothing is left; [`CaseError::BadAge`].
    pub fn resolve(input: &CaseInput, kb: &KnowledgeBase) -> Result<Case, CaseError> {
        let o = kb.ontology();
        let newer = kb.newer_terms();
        if let Some(a) = &input.age {
            if let Some(problem) = age_problem(a) {
                return Err(CaseError::BadAge {
                    case: input.id.clone(),
                    age: a.clone(),
                    problem,
                });
            }
        }
        let mut ignored = Vec::new();
        let mut remapped = Vec::new();
        let (mut obs, mut exc) = resolve_terms(input, kb, newer, &mut ignored, &mut remapped);
        obs.sort_unstable();
        obs.dedup_by_key(|x| x.0);
        exc.sort_unstable();
        exc.dedup_by_key(|x| x.0);
        drop_conflicts(input, &mut obs, &mut exc, &mut ignored);
        drop_contradicting_exclusions(input, o, &obs, &mut exc, &mut ignored);
        drop_implied_observed(input, o, &mut obs, &mut ignored);
        drop_implied_excluded(input, o, &mut exc, &mut ignored);
        if obs.is_empty() && exc.is_empty() {
            let details = if ignored.is_empty() {
                "no terms were given".to_string()
            } else {
                ignored
                    .iter()
                    .map(|i| format!("{}: {}", i.id, i.reason))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            return Err(CaseError::NoUsableTerms {
                case: input.id.clone(),
                details,
            });
        }
        // keep the input order for display
        obs.sort_by_key(|x| x.1);
        exc.sort_by_key(|x| x.1);
        Ok(Case {
            id: input.id.clone(),
            subject_id: input.subject_id.clone(),
            sex: input.sex,
            age: input.age.clone(),
            observed: obs.into_iter().map(|x| x.0).collect(),
            excluded: exc.into_iter().map(|x| x.0).collect(),
            ignored,
            remapped,
        })
    }
}

/// A resolved term with the index of the input term it came from.
type Indexed = (TermIdx, usize);

/// An input term left out after resolution, for a reason found by comparing it with others.
fn dropped(input: &CaseInput, i: usize, excluded: bool, reason: String) -> IgnoredTerm {
    IgnoredTerm {
        id: input.terms[i].id.clone(),
        excluded,
        reason,
        invalid_id: false,
        input_index: i,
    }
}

/// Parses and resolves every input term, in input order, into (observed, excluded) lists;
/// remapped ids go to `remapped`, unusable ones to `ignored` with the reason.
fn resolve_terms(
    input: &CaseInput,
    kb: &KnowledgeBase,
    newer: Option<&NewerTerms>,
    ignored: &mut Vec<IgnoredTerm>,
    remapped: &mut Vec<RemappedTerm>,
) -> (Vec<Indexed>, Vec<Indexed>) {
    let o = kb.ontology();
    let mut obs: Vec<Indexed> = Vec::new();
    let mut exc: Vec<Indexed> = Vec::new();
    for (i, t) in input.terms.iter().enumerate() {
        let ignore = |reason: String| IgnoredTerm {
            id: t.id.clone(),
            excluded: t.excluded,
            reason,
            invalid_id: false,
            input_index: i,
        };
        let invalid = |reason: String| IgnoredTerm {
            invalid_id: true,
            ..ignore(reason)
        };
        let id: HpoId = match t.id.trim().parse() {
            Ok(id) => id,
            Err(_) => {
                ignored.push(invalid(
                    "not an HPO term id (expected HP: and 7 digits)".into(),
                ));
                continue;
            }
        };
        let term = match o.resolve(id) {
            Ok(Resolution::Current(x)) => x,
            Ok(Resolution::Alternative(x)) => {
                remapped.push(RemappedTerm {
                    from: t.id.clone(),
                    to: o.id(x).to_string(),
                    how: "alternative id".into(),
                    via_newer_release: false,
                });
                x
            }
            Ok(Resolution::Replaced { term, .. }) => {
                remapped.push(RemappedTerm {
                    from: t.id.clone(),
                    to: o.id(term).to_string(),
                    how: "obsolete, replaced".into(),
                    via_newer_release: false,
                });
                term
            }
            Ok(Resolution::ObsoleteUnreplaced { consider, .. }) => {
                let c: Vec<String> = consider.iter().map(|c| c.to_string()).collect();
                ignored.push(ignore(if c.is_empty() {
                    "obsolete term without replacement".into()
                } else {
                    format!(
                        "obsolete term without replacement (consider {})",
                        c.join(", ")
                    )
                }));
                continue;
            }
            Err(_) => {
                let mapped = newer
                    .filter(|_| !t.excluded)
                    .and_then(|n| Some((n.release(), n.ancestors(id)?)));
                if let Some((release, ancestors)) = mapped {
                    for &a in ancestors {
                        remapped.push(RemappedTerm {
                            from: t.id.clone(),
                            to: o.id(a).to_string(),
                            how: format!(
                                "term of HPO {release} unknown to HPO {}, nearest known ancestor",
                                kb.meta().hpo_release
                            ),
                            via_newer_release: true,
                        });
                        if o.is_phenotype(a) {
                            obs.push((a, i));
                        }
                    }
                    if !ancestors.iter().any(|&a| o.is_phenotype(a)) {
                        ignored.push(ignore(
                            "not a phenotypic abnormality (its known ancestors are outside HP:0000118)"
                                .into(),
                        ));
                    }
                    continue;
                }
                ignored.push(invalid(format!(
                    "unknown HPO term in HPO release {}",
                    kb.meta().hpo_release
                )));
                continue;
            }
        };
        if !o.is_phenotype(term) {
            ignored.push(ignore(format!(
                "not a phenotypic abnormality ({} is outside HP:0000118)",
                o.name(term)
            )));
            continue;
        }
        if t.excluded {
            exc.push((term, i))
        } else {
            obs.push((term, i))
        }
    }
    (obs, exc)
}

/// `HP:… (name)` for reasons.
fn term_name(o: &Ontology, t: TermIdx) -> String {
    format!("{} ({})", o.id(t), o.name(t))
}

/// Drops a term listed as both observed and excluded from both lists.
fn drop_conflicts(
    input: &CaseInput,
    obs: &mut Vec<Indexed>,
    exc: &mut Vec<Indexed>,
    ignored: &mut Vec<IgnoredTerm>,
) {
    let both: Vec<TermIdx> = obs
        .iter()
        .filter(|(t, _)| exc.iter().any(|(e, _)| e == t))
        .map(|x| x.0)
        .collect();
    for &t in &both {
        for (list, excluded) in [(&mut *obs, false), (&mut *exc, true)] {
            if let Some(p) = list.iter().position(|x| x.0 == t) {
                let (_, i) = list.remove(p);
                ignored.push(dropped(
                    input,
                    i,
                    excluded,
                    "listed as both observed and excluded".into(),
                ));
            }
        }
    }
}

/// Drops an excluded term that is an ancestor of (or equal to) an observed term: it
/// contradicts it.
fn drop_contradicting_exclusions(
    input: &CaseInput,
    o: &Ontology,
    obs: &[Indexed],
    exc: &mut Vec<Indexed>,
    ignored: &mut Vec<IgnoredTerm>,
) {
    exc.retain(
        |&(e, i)| match obs.iter().find(|(t, _)| o.is_ancestor_or_self(e, *t)) {
            Some(&(t, _)) => {
                let reason = format!("contradicts the observed term {}", term_name(o, t));
                ignored.push(dropped(input, i, true, reason));
                false
            }
            None => true,
        },
    );
}

/// Drops an observed term that is an ancestor of another observed term: it is implied.
fn drop_implied_observed(
    input: &CaseInput,
    o: &Ontology,
    obs: &mut Vec<Indexed>,
    ignored: &mut Vec<IgnoredTerm>,
) {
    let obs_terms: Vec<TermIdx> = obs.iter().map(|x| x.0).collect();
    obs.retain(|&(t, i)| {
        match obs_terms
            .iter()
            .find(|&&u| u != t && o.is_ancestor_or_self(t, u))
        {
            Some(&u) => {
                let reason = format!(
                    "implied by the more specific observed term {}",
                    term_name(o, u)
                );
                ignored.push(dropped(input, i, false, reason));
                false
            }
            None => true,
        }
    });
}

/// Drops an excluded term that is a descendant of another excluded term: it is implied.
fn drop_implied_excluded(
    input: &CaseInput,
    o: &Ontology,
    exc: &mut Vec<Indexed>,
    ignored: &mut Vec<IgnoredTerm>,
) {
    let exc_terms: Vec<TermIdx> = exc.iter().map(|x| x.0).collect();
    exc.retain(|&(t, i)| {
        match exc_terms
            .iter()
            .find(|&&u| u != t && o.is_ancestor_or_self(u, t))
        {
            Some(&u) => {
                let reason = format!(
                    "implied by the more general excluded term {}",
                    term_name(o, u)
                );
                ignored.push(dropped(input, i, true, reason));
                false
            }
            None => true,
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_durations() {
        assert_eq!(parse_age_years("P3Y"), Some(3.0));
        // a designator without any element is not a duration
        assert_eq!(parse_age_years("PT"), None);
        assert_eq!(parse_age_years("P1DT"), None);
        assert!((parse_age_years("P1DT12H").unwrap() - 1.5 / 365.25).abs() < 1e-12);
        assert!((parse_age_years("P1Y6M").unwrap() - 1.5).abs() < 1e-12);
        assert!((parse_age_years("P14D").unwrap() - 14.0 / 365.25).abs() < 1e-12);
        assert!(parse_age_years("P2Y3M1DT4H").is_some());
        for bad in ["3Y", "P", "PY", "P3M2Y", "P3X", "P3"] {
            assert_eq!(parse_age_years(bad), None, "{bad}");
        }
    }
}
