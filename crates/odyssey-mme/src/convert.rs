//! An Odyssey case (GA4GH Phenopacket v2) as an MME patient record: the record a workspace
//! shares, or the query it sends.
//!
//! * `features`: every phenotypic feature with an `HP:` id; `excluded` → `observed: "no"`.
//! * `sex`: `MALE`/`FEMALE`/`OTHER_SEX` → `MALE`/`FEMALE`/`OTHER`; otherwise omitted.
//! * `genomicFeatures`: every genomic interpretation of every diagnosis, gene by HGNC
//!   symbol (the `geneContext`/`gene` descriptor's `symbol`, else its `valueId`), with the
//!   variant's `vcfRecord` converted to MME coordinates (VCF position − 1 = 0-based start,
//!   end = start + length of REF, `chr` dropped, `hg19`/`hg38` → GRCh37/GRCh38) and zygosity
//!   from the GENO allelic state (heterozygous or hemizygous 1, homozygous 2).
//! * `disorders` (only with [`ConvertOptions::include_disorders`]): non-excluded `OMIM:` and
//!   `ORPHA:` diseases as `MIM:` and `Orphanet:`.
//!
//! The phenopacket's own ids are not copied: the caller chooses the MME `id` (stable per
//! case, no personal data) and the contact.

use odyssey_pheno::phenopacket::{GenomicInterpretation, Phenopacket, VcfRecord};

use crate::model::{Contact, Disorder, Feature, GeneRef, GenomicFeature, Patient, Variant};
use crate::profile::assembly_base;

/// What to include.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConvertOptions {
    /// Copy the diagnoses into `disorders` (off: an unsolved case has none, and a solved one
    /// may not want to show it).
    pub include_disorders: bool,
}

/// The MME record of a phenopacket, with the given `id` and `contact`.
pub fn patient_from_phenopacket(
    p: &Phenopacket,
    id: &str,
    contact: Contact,
    options: &ConvertOptions,
) -> Patient {
    let sex = p
        .subject
        .as_ref()
        .and_then(|s| match s.sex.to_ascii_uppercase().as_str() {
            "MALE" => Some("MALE".to_string()),
            "FEMALE" => Some("FEMALE".to_string()),
            "OTHER_SEX" => Some("OTHER".to_string()),
            _ => None,
        });
    let features = p
        .phenotypic_features
        .iter()
        .filter(|f| f.kind.id.starts_with("HP:"))
        .map(|f| Feature {
            id: f.kind.id.clone(),
            label: (!f.kind.label.is_empty()).then(|| f.kind.label.clone()),
            observed: Some(if f.is_excluded() { "no" } else { "yes" }.to_string()),
            age_of_onset: None,
        })
        .collect();
    let genomic_features = p
        .interpretations
        .iter()
        .filter_map(|i| i.diagnosis.as_ref())
        .flat_map(|d| &d.genomic_interpretations)
        .filter_map(genomic_feature)
        .collect();
    let disorders = if options.include_disorders {
        p.diseases
            .iter()
            .filter(|d| !d.excluded)
            .filter_map(|d| {
                let (prefix, rest) = d.term.id.split_once(':')?;
                let id = match prefix {
                    "OMIM" | "MIM" => format!("MIM:{rest}"),
                    "ORPHA" | "Orphanet" => format!("Orphanet:{rest}"),
                    _ => return None,
                };
                Some(Disorder {
                    id,
                    label: (!d.term.label.is_empty()).then(|| d.term.label.clone()),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    Patient {
        id: id.to_string(),
        contact,
        sex,
        features,
        genomic_features,
        disorders,
        ..Patient::default()
    }
}

fn genomic_feature(g: &GenomicInterpretation) -> Option<GenomicFeature> {
    let vd = g
        .variant_interpretation
        .as_ref()
        .and_then(|v| v.variation_descriptor.as_ref());
    let gene = vd
        .and_then(|v| v.gene_context.as_ref())
        .or(g.gene.as_ref())?;
    let gene_id = if gene.symbol.is_empty() {
        gene.value_id.clone()
    } else {
        gene.symbol.clone()
    };
    if gene_id.is_empty() {
        return None;
    }
    let zygosity = vd
        .and_then(|v| v.allelic_state.as_ref())
        .and_then(|s| match s.id.as_str() {
            "GENO:0000135" | "GENO:0000134" => Some(1),
            "GENO:0000136" => Some(2),
            _ => None,
        });
    Some(GenomicFeature {
        gene: GeneRef { id: gene_id },
        variant: vd.and_then(|v| v.vcf_record.as_ref()).and_then(variant),
        zygosity,
        effect: None,
    })
}

fn variant(r: &VcfRecord) -> Option<Variant> {
    if r.pos == 0
        || r.reference.is_empty()
        || r.alt.is_empty()
        || r.genome_assembly.trim().is_empty()
    {
        return None;
    }
    let chrom = r.chrom.trim_start_matches("chr");
    let chrom = if chrom == "M" { "MT" } else { chrom };
    let bases = |s: &str| {
        s.bytes()
            .all(|b| matches!(b, b'A' | b'C' | b'G' | b'T' | b'N'))
            .then(|| s.to_string())
    };
    let start = r.pos - 1;
    Some(Variant {
        assembly: assembly_base(&r.genome_assembly),
        reference_name: chrom.to_string(),
        start: Some(start),
        end: Some(start + r.reference.len() as u64),
        reference_bases: bases(&r.reference),
        alternate_bases: bases(&r.alt),
    })
}
