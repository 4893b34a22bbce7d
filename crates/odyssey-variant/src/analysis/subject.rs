//! Who is analysed: the family from the pedigree (or a singleton of the proband), its members
//! matched to the VCF's samples, and the check that the phenopacket subject is the proband.

use std::path::Path;

use super::AnalysisConfig;
use crate::error::{Error, Result};
use crate::pedigree::{Family, Pedigree, Sex};

/// The analysed family, its members matched to the VCF's `samples`.
///
/// Errors: a VCF without samples; a pedigree none of whose family members is a sample; the
/// proband's sex differing between pedigree and phenopacket; several samples and neither a
/// proband nor a pedigree; the pedigree's own checks ([`Pedigree::family`],
/// [`Family::match_samples`]); a phenopacket subject other than the proband ([`check_subject`]).
pub(super) fn resolve_family(
    cfg: &AnalysisConfig,
    samples: &[String],
    path: &Path,
) -> Result<Family> {
    if samples.is_empty() {
        return Err(Error::Sample {
            path: path.to_path_buf(),
            message: "the VCF has no sample columns (no genotypes)".into(),
        });
    }
    let mut family = match &cfg.pedigree {
        Some(ped) => pedigree_family(cfg, ped, samples, path)?,
        None => singleton_family(cfg, samples, path)?,
    };
    family.match_samples(samples, path)?;
    family.name_individuals(&cfg.individuals);
    check_subject(cfg, &family, samples, path)?;
    Ok(family)
}

/// The pedigree's family (`--family`, `--proband`), which must have a member among the
/// samples; the phenopacket's proband sex fills an unknown pedigree sex and must otherwise
/// agree.
fn pedigree_family(
    cfg: &AnalysisConfig,
    ped: &Pedigree,
    samples: &[String],
    path: &Path,
) -> Result<Family> {
    let mut fam = ped.family(cfg.family.as_deref(), cfg.proband.as_deref())?;
    if !fam.members.iter().any(|m| samples.contains(&m.id)) {
        let ids: Vec<&str> = fam.members.iter().map(|m| m.id.as_str()).collect();
        return Err(Error::Sample {
            path: path.to_path_buf(),
            message: format!(
                "none of the {} member(s) of pedigree family {} ({}) is a sample of the VCF (samples: {}): the pedigree {} does not describe this VCF",
                ids.len(),
                fam.id,
                ids.join(", "),
                samples.iter().take(10).cloned().collect::<Vec<_>>().join(", "),
                ped.source()
            ),
        });
    }
    if let Some(s) = cfg.proband_sex {
        let p = fam.proband;
        match fam.members[p].sex {
            Sex::Unknown => fam.members[p].sex = s,
            ps if ps != s && s != Sex::Unknown => {
                return Err(Error::Pedigree {
                    source_name: ped.source().to_string(),
                    message: format!(
                        "proband {:?} is {ps:?} in the pedigree but {s:?} in the phenopacket",
                        fam.members[p].id
                    ),
                })
            }
            _ => {}
        }
    }
    Ok(fam)
}

/// A one-member family: `--proband`, else the VCF's only sample.
fn singleton_family(cfg: &AnalysisConfig, samples: &[String], path: &Path) -> Result<Family> {
    let id =
        match &cfg.proband {
            Some(p) => p.clone(),
            None if samples.len() == 1 => samples[0].clone(),
            None => {
                return Err(Error::Sample {
                    path: path.to_path_buf(),
                    message: format!(
                    "the VCF has {} samples ({}); name the proband (--proband) or give a pedigree",
                    samples.len(),
                    samples.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
                ),
                })
            }
        };
    Pedigree::singleton(&id, cfg.proband_sex.unwrap_or(Sex::Unknown)).family(None, Some(&id))
}

/// The family's own warnings, and one when the proband's sex is unknown.
pub(super) fn family_warnings(family: &Family) -> Vec<String> {
    let mut w = family.warnings.clone();
    if family.proband().sex == Sex::Unknown {
        w.push(format!(
            "proband {:?} has unknown sex: X-linked patterns assume female unless a call is haploid",
            family.proband().id
        ));
    }
    w
}

/// The phenopacket subject must be the analysed proband when the subject is one of the VCF's
/// samples or one of the pedigree's members (of any family): otherwise the phenotype of one
/// person would be combined with the genotypes of another.
fn check_subject(
    cfg: &AnalysisConfig,
    family: &Family,
    samples: &[String],
    path: &Path,
) -> Result<()> {
    let Some(subject) = cfg.subject.as_deref().filter(|s| !s.is_empty()) else {
        return Ok(());
    };
    let proband = &family.proband().id;
    if subject == proband {
        return Ok(());
    }
    let in_vcf = samples.iter().any(|s| s == subject);
    let in_ped = cfg
        .pedigree
        .as_ref()
        .and_then(|p| p.records().iter().find(|r| r.id == subject))
        .map(|r| r.family.clone());
    if !in_vcf && in_ped.is_none() {
        return Ok(());
    }
    let where_ = match (&in_ped, in_vcf) {
        (Some(f), true) => format!("VCF sample and member of pedigree family {f}"),
        (Some(f), false) => format!("member of pedigree family {f}"),
        (None, _) => format!("sample of {}", path.display()),
    };
    Err(Error::Sample {
        path: path.to_path_buf(),
        message: format!(
            "the phenopacket subject {subject:?} ({where_}) is not the analysed proband {proband:?} (family {}): the phenotype and the genotypes would belong to different people; analyse the subject (drop --proband/--family or name the subject's family) or use the proband's phenopacket",
            family.id
        ),
    })
}
