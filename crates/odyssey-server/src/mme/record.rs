//! A stored case as an MME patient record: what other centres see of a shared case, and what
//! an outgoing query sends.
//!
//! * `id`: the workspace's case id (`c_` + 24 random hex digits): stable, and carries no
//!   personal data (the phenopacket's own ids and label are not sent).
//! * `contact`: the contact given when the case was shared.
//! * `features`, `sex`, `genomicFeatures`: the proband's phenopacket, converted by
//!   [`odyssey_mme::convert::patient_from_phenopacket`] (HPO features with `observed: "no"` for
//!   excluded ones; the genes and variants of its genomic interpretations). Diagnoses are not
//!   sent.
//! * plus, as `genomicFeatures` with the gene alone, every gene the reviewers kept as a
//!   candidate (gene reviews `candidate`, `likely_causative` or `causative`) that the
//!   phenopacket does not already name: an unsolved case's candidate genes.

use odyssey_mme::convert::{patient_from_phenopacket, ConvertOptions};
use odyssey_mme::model::{Contact, GeneRef, GenomicFeature, Patient};
use odyssey_pheno::phenopacket::parse_case_file;

use crate::db::mme::{self, ShareContact};
use crate::db::{cases, Db};
use crate::storage::BlobStore;

/// The MME `contact` of a share.
pub fn contact(c: &ShareContact) -> Contact {
    Contact {
        name: c.name.clone(),
        institution: c.institution.clone(),
        href: c.href.clone(),
        ..Contact::default()
    }
}

/// The MME record of case `case_id` with `contact`. Errors (a missing case, an unreadable
/// document, a database failure) are texts naming the case.
pub async fn case_patient(
    db: &Db,
    blobs: &BlobStore,
    case_id: &str,
    contact: Contact,
) -> Result<Patient, String> {
    let (case, genes) = {
        let mut conn = db
            .pool
            .acquire()
            .await
            .map_err(|e| format!("database: {e}"))?;
        let case = cases::get(&mut conn, case_id)
            .await
            .map_err(|e| format!("database: {e}"))?
            .ok_or_else(|| format!("case {case_id} does not exist"))?;
        let genes = mme::candidate_genes(&mut conn, case_id)
            .await
            .map_err(|e| format!("database: {e}"))?;
        (case, genes)
    };
    let blobs = blobs.clone();
    let sha = case.case_file.sha256.clone();
    let name = case.case_file.filename.clone();
    let id = case_id.to_string();
    tokio::task::spawn_blocking(move || {
        let bytes = blobs
            .read_verified(&sha)
            .map_err(|e| format!("case {id}: {name}: {e}"))?;
        let text =
            String::from_utf8(bytes).map_err(|_| format!("case {id}: {name}: not UTF-8 text"))?;
        let file = parse_case_file(&text, std::path::Path::new(&name))
            .map_err(|e| format!("case {id}: {e}"))?;
        let mut p =
            patient_from_phenopacket(file.proband(), &id, contact, &ConvertOptions::default());
        add_candidate_genes(&mut p, &genes);
        Ok(p)
    })
    .await
    .map_err(|e| format!("case {case_id}: conversion stopped: {e}"))?
}

/// Adds each gene symbol the record does not name yet (case-insensitive), gene alone.
pub fn add_candidate_genes(p: &mut Patient, genes: &[String]) {
    for g in genes {
        if !p
            .genomic_features
            .iter()
            .any(|f| f.gene.id.eq_ignore_ascii_case(g))
        {
            p.genomic_features.push(GenomicFeature {
                gene: GeneRef { id: g.clone() },
                variant: None,
                zygosity: None,
                effect: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidate_genes_are_added_once() {
        let mut p = Patient {
            genomic_features: vec![GenomicFeature {
                gene: GeneRef { id: "NGLY1".into() },
                variant: None,
                zygosity: Some(2),
                effect: None,
            }],
            ..Patient::default()
        };
        add_candidate_genes(&mut p, &["ngly1".into(), "SCN1A".into()]);
        let ids: Vec<&str> = p
            .genomic_features
            .iter()
            .map(|g| g.gene.id.as_str())
            .collect();
        assert_eq!(ids, ["NGLY1", "SCN1A"]);
        assert_eq!(p.genomic_features[0].zygosity, Some(2));
    }
}
