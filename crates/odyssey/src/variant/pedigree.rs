//! A GA4GH Family's pedigree as `odyssey-variant` records, its individuals mapped to VCF
//! samples through the family's `individualToFileIdentifiers`.

use std::collections::HashMap;
use std::path::Path;

use odyssey_pheno::phenopacket::Family;
use odyssey_variant::pedigree::{Affection, PedRecord, Pedigree, Sex as VarSex};

use super::VariantError;

/// What a Family contributes to the variant analysis.
pub(super) struct FamilyPedigree {
    /// The pedigree with sample ids (None when the Family lists no person).
    pub pedigree: Option<Pedigree>,
    /// VCF sample id -> individual id, for members whose sample id differs.
    pub individuals: HashMap<String, String>,
    /// The proband's sample id (the Family's subject).
    pub proband: Option<String>,
}

/// PED sex codes and GA4GH sex names (`MALE`, `1`, `M`...).
fn sex_of(s: &str) -> VarSex {
    match s.to_ascii_uppercase().as_str() {
        "MALE" | "M" | "1" => VarSex::Male,
        "FEMALE" | "F" | "2" => VarSex::Female,
        _ => VarSex::Unknown,
    }
}

/// The Family's pedigree (`path` names it in errors). Errors: an inconsistent pedigree
/// (`odyssey-variant`'s checks, e.g. a parent missing or of the wrong sex).
pub(super) fn family_pedigree(fam: &Family, path: &Path) -> Result<FamilyPedigree, VariantError> {
    let mut out = FamilyPedigree {
        pedigree: None,
        individuals: HashMap::new(),
        proband: None,
    };
    let Some(p) = &fam.pedigree else {
        return Ok(out);
    };
    // individual ids -> sample ids through the family's file mapping when present
    let sample = |id: &str| -> String {
        fam.files
            .iter()
            .chain(&fam.hts_files)
            .find_map(|f| f.sample_for(id))
            .unwrap_or(id)
            .to_string()
    };
    let parent = |id: &str| -> Option<String> { (!id.is_empty() && id != "0").then(|| sample(id)) };
    for x in &p.persons {
        let s = sample(&x.individual_id);
        if s != x.individual_id {
            out.individuals.insert(s, x.individual_id.clone());
        }
    }
    let records: Vec<PedRecord> = p
        .persons
        .iter()
        .map(|x| PedRecord {
            family: if x.family_id.is_empty() {
                fam.id.clone()
            } else {
                x.family_id.clone()
            },
            id: sample(&x.individual_id),
            father: parent(&x.paternal_id),
            mother: parent(&x.maternal_id),
            sex: sex_of(&x.sex),
            affection: match x.affected_status.to_ascii_uppercase().as_str() {
                "AFFECTED" => Affection::Affected,
                "UNAFFECTED" => Affection::Unaffected,
                _ => Affection::Unknown,
            },
        })
        .collect();
    if !records.is_empty() {
        out.pedigree = Some(Pedigree::from_records(
            records,
            &format!("{} (pedigree)", path.display()),
        )?);
    }
    let subject = fam
        .proband
        .subject
        .as_ref()
        .map(|s| s.id.clone())
        .unwrap_or_default();
    if !subject.is_empty() {
        out.proband = Some(sample(&subject));
    }
    Ok(out)
}
