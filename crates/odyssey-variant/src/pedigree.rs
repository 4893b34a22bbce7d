//! Pedigrees: PED files (PLINK/LINKAGE six-column format) and GA4GH-style pedigree records,
//! checked for consistency, and the [`Family`] of one proband used by the inheritance checks.
//!
//! PED columns: family id, individual id, paternal id, maternal id, sex (`1` male, `2` female,
//! `0`/`-9`/other-unknown), phenotype (`1` unaffected, `2` affected, `0`/`-9` unknown). Columns
//! are separated by tabs or spaces; lines starting with `#` and blank lines are skipped; columns
//! beyond the sixth (PLINK genotypes) are ignored.
//!
//! A parent named in a child's row but without a row of their own is added with the sex of
//! the parental role and unknown affection status. When the VCF has a sample of that id,
//! the parent is a sequenced member whose genotypes are used ([`Family::match_samples`]
//! says so in a warning); otherwise an unsequenced one.
//!
//! Unknown affection status ([`Affection::Unknown`]) counts as neither affected nor
//! unaffected in segregation: such a member never contradicts a dominant, recessive or
//! compound heterozygous pattern and adds no co-segregation factor (see
//! [`crate::inheritance`]). Their genotypes still count wherever the rule is about
//! parents rather than affection: a sequenced parent must be homozygous reference for a
//! de novo call, must not be homozygous reference for an AR homozygous call, and the
//! parents' genotypes must give one allele each for a compound heterozygous call.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Result};

/// Sex as recorded in the pedigree (or phenopacket).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    /// Male (XY).
    Male,
    /// Female (XX).
    Female,
    /// Not recorded.
    Unknown,
}

/// Affected status for the disease under study.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Affection {
    /// Shows the disease.
    Affected,
    /// Does not show the disease (constrains segregation).
    Unaffected,
    /// Not recorded (does not constrain segregation).
    Unknown,
}

/// One row of a pedigree, as read from a PED file or built from a GA4GH `Family.pedigree`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PedRecord {
    /// Family identifier.
    pub family: String,
    /// Individual identifier (matched against VCF sample names).
    pub id: String,
    /// Paternal identifier, `None` for a founder.
    pub father: Option<String>,
    /// Maternal identifier, `None` for a founder.
    pub mother: Option<String>,
    /// Sex.
    pub sex: Sex,
    /// Affected status.
    pub affection: Affection,
}

/// A checked pedigree: one or more families of uniquely named individuals.
#[derive(Clone, Debug, Serialize)]
pub struct Pedigree {
    /// Where the pedigree came from (file path or description), used in messages.
    source: String,
    records: Vec<PedRecord>,
    /// Notes about implicit fixes (parents not listed, sexes implied by parenthood).
    warnings: Vec<String>,
    /// Parents added without a row of their own: (id, index in `warnings` of the note).
    implicit: Vec<(String, usize)>,
}

fn parse_sex(s: &str) -> Option<Sex> {
    match s.to_ascii_lowercase().as_str() {
        "1" | "m" | "male" => Some(Sex::Male),
        "2" | "f" | "female" => Some(Sex::Female),
        "0" | "-9" | "." | "u" | "unknown" | "other" | "other_sex" | "unknown_sex" => {
            Some(Sex::Unknown)
        }
        _ => None,
    }
}

fn parse_affection(s: &str) -> Option<Affection> {
    match s.to_ascii_lowercase().as_str() {
        "2" | "affected" => Some(Affection::Affected),
        "1" | "unaffected" => Some(Affection::Unaffected),
        "0" | "-9" | "." | "missing" | "unknown" => Some(Affection::Unknown),
        _ => None,
    }
}

fn parent_id(s: &str) -> Option<String> {
    match s {
        "0" | "." | "" | "-9" => None,
        s => Some(s.to_string()),
    }
}

impl Pedigree {
    /// Reads and checks a PED file.
    ///
    /// Errors: [`Error::Io`]; [`Error::Parse`] with the line for fewer than six columns, an
    /// unknown sex or phenotype code, or a duplicated individual; [`Error::Pedigree`] for the
    /// consistency failures listed at [`Pedigree::from_records`].
    pub fn from_ped_file(path: &Path) -> Result<Pedigree> {
        // invalid UTF-8 or a damaged gzip stream: the error names the line and byte
        let text = odyssey_genome::text::read_text_file(path).map_err(|e| Error::io(path, e))?;
        Self::from_ped_str(&text, path)
    }

    /// Parses PED text; `path` is used in error messages only.
    pub fn from_ped_str(text: &str, path: &Path) -> Result<Pedigree> {
        let mut records = Vec::new();
        let mut seen: HashMap<String, u64> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let lineno = i as u64 + 1;
            let t = line.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = t.split_whitespace().collect();
            let loc = Location::Line(lineno);
            if f.len() < 6 {
                return Err(Error::parse(
                    path,
                    loc,
                    format!(
                        "expected 6 columns (family, individual, father, mother, sex, phenotype), found {}",
                        f.len()
                    ),
                ));
            }
            let sex = parse_sex(f[4]).ok_or_else(|| {
                Error::parse(
                    path,
                    loc,
                    format!("sex {:?} is not 1 (male), 2 (female) or 0 (unknown)", f[4]),
                )
            })?;
            let affection = parse_affection(f[5]).ok_or_else(|| {
                Error::parse(
                    path,
                    loc,
                    format!(
                        "phenotype {:?} is not 1 (unaffected), 2 (affected) or 0/-9 (unknown)",
                        f[5]
                    ),
                )
            })?;
            if let Some(prev) = seen.insert(f[1].to_string(), lineno) {
                return Err(Error::parse(
                    path,
                    loc,
                    format!("individual {:?} already listed on line {prev}", f[1]),
                ));
            }
            records.push(PedRecord {
                family: f[0].to_string(),
                id: f[1].to_string(),
                father: parent_id(f[2]),
                mother: parent_id(f[3]),
                sex,
                affection,
            });
        }
        if records.is_empty() {
            return Err(Error::parse(
                path,
                Location::File,
                "no individuals (expected six-column PED lines)",
            ));
        }
        Self::from_records(records, &path.display().to_string())
    }

    /// Checks pedigree records (e.g. converted from a GA4GH `Family.pedigree`).
    ///
    /// Errors ([`Error::Pedigree`]): a duplicated individual id; an individual who is their own
    /// parent or ancestor; a parent listed in another family; a father recorded as female or a
    /// mother as male. A parent who is referenced but not listed is added with unknown
    /// affection status and the sex of the role (sequenced when the VCF has a sample of that
    /// id, see [`Family::match_samples`]), and a parent of unknown sex gets the sex implied by
    /// the role; both are reported in [`Pedigree::warnings`].
    pub fn from_records(mut records: Vec<PedRecord>, source_name: &str) -> Result<Pedigree> {
        let err = |m: String| Error::Pedigree {
            source_name: source_name.to_string(),
            message: m,
        };
        let mut warnings = Vec::new();
        let mut implicit = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            if r.id.is_empty() {
                return Err(err("an individual has an empty id".into()));
            }
            if index.insert(r.id.clone(), i).is_some() {
                return Err(err(format!("individual {:?} is listed twice", r.id)));
            }
        }
        // add missing parents, imply parental sex
        let n = records.len();
        for i in 0..n {
            for (is_father, parent) in [
                (true, records[i].father.clone()),
                (false, records[i].mother.clone()),
            ] {
                let Some(p) = parent else { continue };
                if p == records[i].id {
                    return Err(err(format!("{:?} is recorded as their own parent", p)));
                }
                let implied = if is_father { Sex::Male } else { Sex::Female };
                let role = if is_father { "father" } else { "mother" };
                match index.get(&p).copied() {
                    None => {
                        implicit.push((p.clone(), warnings.len()));
                        warnings.push(format!(
                            "{role} {p} of {} has no row in {source_name}; added with unknown affection status (sequenced if the VCF has a sample {p})",
                            records[i].id
                        ));
                        index.insert(p.clone(), records.len());
                        let family = records[i].family.clone();
                        records.push(PedRecord {
                            family,
                            id: p,
                            father: None,
                            mother: None,
                            sex: implied,
                            affection: Affection::Unknown,
                        });
                    }
                    Some(j) => {
                        if records[j].family != records[i].family {
                            return Err(err(format!(
                                "{role} {p:?} of {:?} belongs to family {:?}, not {:?}",
                                records[i].id, records[j].family, records[i].family
                            )));
                        }
                        match records[j].sex {
                            Sex::Unknown => {
                                warnings.push(format!(
                                    "{role} {p:?} has unknown sex; taken as {implied:?}"
                                ));
                                records[j].sex = implied;
                            }
                            s if s != implied => {
                                return Err(err(format!(
                                    "{p:?} is the {role} of {:?} but is recorded as {s:?}",
                                    records[i].id
                                )))
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
        if let Some(w) = records
            .iter()
            .find(|r| r.father.is_some() && r.father == r.mother)
        {
            return Err(err(format!(
                "{:?} has the same individual as father and mother",
                w.id
            )));
        }
        // cycles: walk up from every individual; a path longer than the number of individuals
        // or returning to its start is a cycle
        for start in 0..records.len() {
            let mut stack = vec![(start, 0usize)];
            while let Some((i, depth)) = stack.pop() {
                if depth > records.len() {
                    return Err(err(format!(
                        "{:?} is their own ancestor (cycle in the pedigree)",
                        records[start].id
                    )));
                }
                for p in [&records[i].father, &records[i].mother]
                    .into_iter()
                    .flatten()
                {
                    let j = index[p];
                    if j == start {
                        return Err(err(format!(
                            "{:?} is their own ancestor (cycle in the pedigree)",
                            records[start].id
                        )));
                    }
                    stack.push((j, depth + 1));
                }
            }
        }
        Ok(Pedigree {
            source: source_name.to_string(),
            records,
            warnings,
            implicit,
        })
    }

    /// A one-person pedigree (singleton analysis): an affected proband of the given sex.
    pub fn singleton(id: &str, sex: Sex) -> Pedigree {
        Pedigree {
            source: "singleton".to_string(),
            records: vec![PedRecord {
                family: id.to_string(),
                id: id.to_string(),
                father: None,
                mother: None,
                sex,
                affection: Affection::Affected,
            }],
            warnings: Vec::new(),
            implicit: Vec::new(),
        }
    }

    /// All records, including parents added implicitly.
    pub fn records(&self) -> &[PedRecord] {
        &self.records
    }

    /// Where the pedigree came from (file path or description).
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Notes about implicit fixes made while checking.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Family ids in first-appearance order.
    pub fn family_ids(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for r in &self.records {
            if !out.contains(&r.family.as_str()) {
                out.push(&r.family);
            }
        }
        out
    }

    /// Selects the family to analyse and its proband.
    ///
    /// * `proband`: the proband's id; when `None`, the one affected individual of the family
    ///   who has a parent in the pedigree, or else the family's only affected individual.
    /// * `family`: a family id (`--family`); when `None`, the family of the proband, or the only
    ///   family.
    ///
    /// Errors ([`Error::Pedigree`]): unknown family or proband, proband not in the chosen
    /// family, no or several candidate probands, proband recorded as unaffected.
    pub fn family(&self, family: Option<&str>, proband: Option<&str>) -> Result<Family> {
        let err = |m: String| Error::Pedigree {
            source_name: self.source.clone(),
            message: m,
        };
        let fam_id: String = match (family, proband) {
            (Some(f), _) => {
                if !self.records.iter().any(|r| r.family == f) {
                    return Err(err(format!(
                        "family {f:?} not found; families: {}",
                        self.family_ids().join(", ")
                    )));
                }
                f.to_string()
            }
            (None, Some(p)) => match self.records.iter().find(|r| r.id == p) {
                Some(r) => r.family.clone(),
                None => return Err(err(format!("proband {p:?} is not in the pedigree"))),
            },
            (None, None) => {
                let ids = self.family_ids();
                if ids.len() != 1 {
                    return Err(err(format!(
                        "the pedigree has {} families ({}); choose one with --family",
                        ids.len(),
                        ids.join(", ")
                    )));
                }
                ids[0].to_string()
            }
        };
        let recs: Vec<&PedRecord> = self.records.iter().filter(|r| r.family == fam_id).collect();
        let proband_id: String = match proband {
            Some(p) => {
                let Some(r) = recs.iter().find(|r| r.id == p) else {
                    return Err(err(format!("proband {p:?} is not in family {fam_id:?}")));
                };
                r.id.clone()
            }
            None => {
                // the affected individual(s) with the most ancestors in the pedigree; must be unique
                let affected: Vec<&&PedRecord> = recs
                    .iter()
                    .filter(|r| r.affection == Affection::Affected)
                    .collect();
                let with_parents: Vec<&&PedRecord> = affected
                    .iter()
                    .copied()
                    .filter(|r| r.father.is_some() || r.mother.is_some())
                    .collect();
                let cands = if with_parents.len() == 1 {
                    with_parents
                } else {
                    affected
                };
                if cands.len() != 1 {
                    return Err(err(format!(
                        "cannot choose a proband in family {fam_id:?} ({} candidate affected individuals); give --proband",
                        cands.len()
                    )));
                }
                cands[0].id.clone()
            }
        };
        // notes on implicit parents are replaced by [`Family::match_samples`], which knows
        // whether they are sequenced
        let mut warnings: Vec<String> = self
            .warnings
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.implicit.iter().any(|(_, w)| w == i))
            .map(|(_, w)| w.clone())
            .collect();
        let idx: HashMap<&str, usize> = recs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let members: Vec<Member> = recs
            .iter()
            .map(|r| Member {
                id: r.id.clone(),
                sex: r.sex,
                affection: r.affection,
                father: r.father.as_deref().map(|f| idx[f]),
                mother: r.mother.as_deref().map(|m| idx[m]),
                sample: None,
                listed: !self.implicit.iter().any(|(id, _)| *id == r.id),
                individual: None,
            })
            .collect();
        let pi = idx[proband_id.as_str()];
        let mut members = members;
        match members[pi].affection {
            Affection::Affected => {}
            Affection::Unaffected => {
                return Err(err(format!(
                    "proband {proband_id:?} is recorded as unaffected"
                )));
            }
            Affection::Unknown => {
                warnings.push(format!(
                    "proband {proband_id:?} has unknown affected status; taken as affected"
                ));
                members[pi].affection = Affection::Affected;
            }
        }
        Ok(Family {
            id: fam_id,
            members,
            proband: pi,
            warnings,
            source: self.source.clone(),
        })
    }
}

/// One member of the analysed family.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Member {
    /// Individual id.
    pub id: String,
    /// Sex.
    pub sex: Sex,
    /// Affected status.
    pub affection: Affection,
    /// Index of the father in [`Family::members`].
    pub father: Option<usize>,
    /// Index of the mother in [`Family::members`].
    pub mother: Option<usize>,
    /// Column of this individual among the VCF's samples, `None` when not sequenced.
    pub sample: Option<usize>,
    /// `false` for a parent named in a child's row without a row of their own (added with
    /// unknown affection status and the sex of the role).
    pub listed: bool,
    /// The pedigree's own id for this person when it differs from [`Member::id`], the VCF
    /// sample id (a GA4GH Family mapping individuals to samples through
    /// `individualToFileIdentifiers`; set by [`Family::name_individuals`]).
    pub individual: Option<String>,
}

impl Member {
    /// How messages name the member: `father (VCF: NA12891)` when the pedigree's id differs
    /// from the VCF sample id, else the id alone.
    pub fn label(&self) -> String {
        match &self.individual {
            Some(ind) if *ind != self.id => format!("{ind} (VCF: {})", self.id),
            _ => self.id.clone(),
        }
    }
}

/// The family of one proband, with members matched to VCF sample columns by
/// [`Family::match_samples`].
#[derive(Clone, Debug, Serialize)]
pub struct Family {
    /// Family id.
    pub id: String,
    /// Members; parents refer to positions in this list.
    pub members: Vec<Member>,
    /// Index of the proband in `members`.
    pub proband: usize,
    /// Notes from checking and matching (implicit parents, unsequenced members...).
    pub warnings: Vec<String>,
    /// Where the pedigree came from (file path or description), for messages.
    pub source: String,
}

impl Family {
    /// The proband.
    pub fn proband(&self) -> &Member {
        &self.members[self.proband]
    }

    /// Records the pedigree's own ids of members whose VCF sample id differs
    /// (`individuals`: VCF sample id → pedigree id), used by [`Member::label`].
    pub fn name_individuals(&mut self, individuals: &HashMap<String, String>) {
        for m in &mut self.members {
            m.individual = individuals.get(&m.id).filter(|i| **i != m.id).cloned();
        }
    }

    /// Matches members to VCF sample names (exact match). The proband must be in the VCF;
    /// other members absent from the VCF are kept as unsequenced with a warning. A parent
    /// without a row of their own ([`Member::listed`] false) who is a VCF sample is a
    /// sequenced member with unknown affection status, stated in a warning ("mother HG00097
    /// has no row in family.ped; added from the VCF sample with unknown affection status").
    ///
    /// Errors ([`Error::Sample`]): the proband is not a sample of the VCF (the message lists
    /// the VCF's samples).
    pub fn match_samples(&mut self, sample_names: &[String], vcf: &Path) -> Result<()> {
        let pos: HashMap<&str, usize> = sample_names
            .iter()
            .enumerate()
            .map(|(i, s)| (s.as_str(), i))
            .collect();
        for m in &mut self.members {
            m.sample = pos.get(m.id.as_str()).copied();
        }
        if self.proband().sample.is_none() {
            let shown: Vec<&str> = sample_names.iter().take(20).map(String::as_str).collect();
            return Err(Error::Sample {
                path: vcf.to_path_buf(),
                message: format!(
                    "proband {:?} is not a sample of the VCF (samples: {}{})",
                    self.proband().id,
                    shown.join(", "),
                    if sample_names.len() > 20 { ", ..." } else { "" }
                ),
            });
        }
        for (i, m) in self.members.iter().enumerate() {
            if !m.listed {
                let role = if m.sex == Sex::Male {
                    "father"
                } else {
                    "mother"
                };
                let child = self
                    .members
                    .iter()
                    .find(|c| c.father == Some(i) || c.mother == Some(i))
                    .map_or("?", |c| c.id.as_str());
                self.warnings.push(if m.sample.is_some() {
                    format!("{role} {} has no row in {}; added from the VCF sample with unknown affection status", m.id, self.source)
                } else {
                    format!(
                        "{role} {} of {child} has no row in {} and is not a sample of the VCF; added as an unsequenced individual with unknown affection status",
                        m.id, self.source
                    )
                });
            } else if m.sample.is_none() {
                self.warnings.push(format!(
                    "{:?} is in the pedigree but not in the VCF (treated as unsequenced)",
                    m.id
                ));
            }
        }
        Ok(())
    }

    /// Father and mother of the proband (indices), when recorded.
    pub fn proband_parents(&self) -> (Option<usize>, Option<usize>) {
        let p = self.proband();
        (p.father, p.mother)
    }

    /// Indices of sequenced members.
    pub fn sequenced(&self) -> impl Iterator<Item = usize> + '_ {
        self.members
            .iter()
            .enumerate()
            .filter(|(_, m)| m.sample.is_some())
            .map(|(i, _)| i)
    }

    /// A short structure label: singleton, duo, trio, quartet or `N-member family`, counting
    /// sequenced members.
    pub fn structure(&self) -> String {
        let n = self.sequenced().count();
        let (f, m) = self.proband_parents();
        let seq = |i: Option<usize>| i.is_some_and(|i| self.members[i].sample.is_some());
        match n {
            1 => "singleton".into(),
            2 => "duo".into(),
            3 if seq(f) && seq(m) => "trio".into(),
            4 if seq(f) && seq(m) => "quartet".into(),
            n => format!("{n}-member family"),
        }
    }

    /// Members grouped by sequenced status, for reports: id → (sex, affection, sequenced).
    pub fn summary(&self) -> BTreeMap<String, (Sex, Affection, bool)> {
        self.members
            .iter()
            .map(|m| (m.id.clone(), (m.sex, m.affection, m.sample.is_some())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ped(text: &str) -> Result<Pedigree> {
        Pedigree::from_ped_str(text, Path::new("test.ped"))
    }

    #[test]
    fn reads_quartet_and_selects_proband() {
        // the Exomiser Pfeiffer quartet layout: two affected children would be ambiguous
        let p =
            ped("FAM1 dad 0 0 1 1\nFAM1 mum 0 0 2 1\nFAM1 kid dad mum 1 2\nFAM1 sib dad mum 2 1\n")
                .unwrap();
        let fam = p.family(None, None).unwrap();
        assert_eq!(fam.proband().id, "kid");
        assert_eq!(
            fam.members[fam.proband]
                .father
                .map(|i| fam.members[i].id.as_str()),
            Some("dad")
        );
        assert_eq!(
            fam.members[fam.proband]
                .mother
                .map(|i| fam.members[i].id.as_str()),
            Some("mum")
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = ped("F a 0 0 1 2\nF b 0 0 1\n").unwrap_err().to_string();
        assert!(
            e.contains("test.ped: line 2") && e.contains("expected 6 columns"),
            "{e}"
        );
        let e = ped("F a 0 0 3 2\n").unwrap_err().to_string();
        assert!(e.contains("line 1") && e.contains("sex"), "{e}");
        let e = ped("F a 0 0 1 7\n").unwrap_err().to_string();
        assert!(e.contains("phenotype"), "{e}");
        let e = ped("F a 0 0 1 2\nF a 0 0 1 2\n").unwrap_err().to_string();
        assert!(
            e.contains("line 2") && e.contains("already listed on line 1"),
            "{e}"
        );
    }

    #[test]
    fn inconsistencies() {
        let e = ped("F kid dad mum 1 2\nF dad 0 0 2 1\nF mum 0 0 2 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("father") && e.contains("Female"), "{e}");
        let e = ped("F a b 0 1 2\nF b a 0 1 1\n").unwrap_err().to_string();
        assert!(e.contains("cycle"), "{e}");
        let e = ped("F a a 0 1 2\n").unwrap_err().to_string();
        assert!(e.contains("own parent"), "{e}");
        let e = ped("F kid dad 0 1 2\nG dad 0 0 1 1\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("belongs to family"), "{e}");
        // unlisted parent: added with a warning
        let p = ped("F kid dad 0 1 2\n").unwrap();
        assert_eq!(p.records().len(), 2);
        assert_eq!(
            p.warnings(),
            ["father dad of kid has no row in test.ped; added with unknown affection status (sequenced if the VCF has a sample dad)"]
        );
        let fam = p.family(None, None).unwrap();
        assert_eq!(
            (
                fam.members[1].id.as_str(),
                fam.members[1].sex,
                fam.members[1].listed
            ),
            ("dad", Sex::Male, false)
        );
        assert_eq!(fam.members[1].affection, Affection::Unknown);
        assert!(fam.warnings.is_empty(), "{:?}", fam.warnings);
        let mut seq = fam.clone();
        seq.match_samples(&["kid".to_string(), "dad".to_string()], Path::new("x.vcf"))
            .unwrap();
        assert_eq!(seq.members[1].sample, Some(1));
        assert_eq!(seq.warnings, ["father dad has no row in test.ped; added from the VCF sample with unknown affection status"]);
        let mut unseq = fam.clone();
        unseq
            .match_samples(&["kid".to_string()], Path::new("x.vcf"))
            .unwrap();
        assert_eq!(
            unseq.warnings,
            ["father dad of kid has no row in test.ped and is not a sample of the VCF; added as an unsequenced individual with unknown affection status"]
        );
        // an unaffected proband is an error
        let p = ped("F a 0 0 1 1\n").unwrap();
        assert!(p
            .family(None, Some("a"))
            .unwrap_err()
            .to_string()
            .contains("unaffected"));
    }

    #[test]
    fn several_families_need_a_choice() {
        let p = ped("F1 a 0 0 1 2\nF2 b 0 0 2 2\n").unwrap();
        assert!(p
            .family(None, None)
            .unwrap_err()
            .to_string()
            .contains("--family"));
        assert_eq!(p.family(Some("F2"), None).unwrap().proband().id, "b");
        assert_eq!(p.family(None, Some("a")).unwrap().id, "F1");
        assert!(p.family(Some("F1"), Some("b")).is_err());
    }

    #[test]
    fn sample_matching() {
        let p = ped("F kid dad mum 1 2\nF dad 0 0 1 1\nF mum 0 0 2 1\n").unwrap();
        let mut fam = p.family(None, None).unwrap();
        let names = vec!["mum".to_string(), "kid".to_string()];
        fam.match_samples(&names, Path::new("x.vcf")).unwrap();
        assert_eq!(fam.proband().sample, Some(1));
        assert_eq!(fam.structure(), "duo");
        assert!(fam.warnings.iter().any(|w| w.contains("\"dad\"")));
        let mut fam = p.family(None, None).unwrap();
        let e = fam
            .match_samples(&["x".to_string()], Path::new("x.vcf"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.vcf") && e.contains("proband \"kid\""), "{e}");
    }
}
