//! Consequence annotations already in a VCF: Ensembl VEP `CSQ`, SnpEff `ANN` (the
//! "ANN field" specification, Cingolani et al. 2012) and bcftools csq `BCSQ` (Danecek & McCarthy
//! 2017). The order of the `|`-separated sub-fields is read from the INFO header's description
//! (`Format: Allele|Consequence|...`), so any VEP field selection works.

use std::collections::BTreeSet;

use noodles::vcf;
use serde::{Deserialize, Serialize};

use super::so_map::map_consequence_term;
use super::GeneEffect;

/// Which pre-computed annotation to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VcfAnnotationKind {
    /// Ensembl VEP, INFO/CSQ.
    Csq,
    /// SnpEff, INFO/ANN.
    Ann,
    /// bcftools csq, INFO/BCSQ.
    Bcsq,
}

impl VcfAnnotationKind {
    /// The INFO key.
    pub fn info_key(self) -> &'static str {
        match self {
            VcfAnnotationKind::Csq => "CSQ",
            VcfAnnotationKind::Ann => "ANN",
            VcfAnnotationKind::Bcsq => "BCSQ",
        }
    }
}

impl std::str::FromStr for VcfAnnotationKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "csq" | "vep" => Ok(Self::Csq),
            "ann" | "snpeff" => Ok(Self::Ann),
            "bcsq" | "bcftools" => Ok(Self::Bcsq),
            _ => Err(format!(
                "unknown VCF annotation {s:?} (expected CSQ, ANN or BCSQ)"
            )),
        }
    }
}

#[derive(Clone, Debug, Default)]
struct Layout {
    allele: Option<usize>,
    allele_num: Option<usize>,
    consequence: Option<usize>,
    symbol: Option<usize>,
    gene: Option<usize>,
    feature: Option<usize>,
    hgvsc: Option<usize>,
    hgvsp: Option<usize>,
    canonical: Option<usize>,
    mane: Option<usize>,
}

/// Parser for one kind of in-VCF consequence annotation, configured from the header.
#[derive(Clone, Debug)]
pub struct VcfAnnotations {
    kind: VcfAnnotationKind,
    layout: Layout,
    fields: Vec<String>,
    unknown_terms: BTreeSet<String>,
}

/// Finds the value of an INFO key in a raw INFO string (`A=1;B;CSQ=...`).
pub(crate) fn info_value<'a>(info: &'a str, key: &str) -> Option<&'a str> {
    for entry in info.split(';') {
        if let Some(rest) = entry.strip_prefix(key) {
            if let Some(v) = rest.strip_prefix('=') {
                return Some(v);
            }
            if rest.is_empty() {
                return Some("");
            }
        }
    }
    None
}

fn parse_format(kind: VcfAnnotationKind, description: &str) -> Option<Vec<String>> {
    let body = match kind {
        VcfAnnotationKind::Csq => description.split_once("Format:")?.1,
        VcfAnnotationKind::Ann => {
            // Functional annotations: 'Allele | Annotation | ... '
            let start = description.find('\'')?;
            let rest = &description[start + 1..];
            &rest[..rest.find('\'').unwrap_or(rest.len())]
        }
        VcfAnnotationKind::Bcsq => {
            let b = description.split_once("Format:")?.1;
            let b = b.trim().trim_start_matches('\'');
            &b[..b.find('\'').unwrap_or(b.len())]
        }
    };
    let cleaned: String = body
        .chars()
        .filter(|c| *c != '[' && *c != ']' && *c != '"')
        .collect();
    let fields: Vec<String> = cleaned
        .trim()
        .split('|')
        .map(|f| f.trim().trim_start_matches('*').trim().to_string())
        .collect();
    (fields.len() >= 2).then_some(fields)
}

impl VcfAnnotations {
    /// Configures the parser from the header's INFO description of `kind`'s key; with `None`,
    /// the first of CSQ, ANN, BCSQ present in the header.
    ///
    /// Errors (as a message): the key is absent, or its description has no recognisable field
    /// list, or lacks the consequence or gene-symbol field.
    pub fn from_header(
        header: &vcf::Header,
        kind: Option<VcfAnnotationKind>,
    ) -> Result<Self, String> {
        let kinds: Vec<VcfAnnotationKind> = match kind {
            Some(k) => vec![k],
            None => vec![
                VcfAnnotationKind::Csq,
                VcfAnnotationKind::Ann,
                VcfAnnotationKind::Bcsq,
            ],
        };
        let Some((kind, info)) = kinds
            .iter()
            .find_map(|k| header.infos().get(k.info_key()).map(|i| (*k, i)))
        else {
            return Err(format!(
                "the VCF header has no INFO/{} description (no pre-computed consequence annotations)",
                kinds.iter().map(|k| k.info_key()).collect::<Vec<_>>().join(", INFO/")
            ));
        };
        Self::from_description(kind, info.description())
    }

    /// Configures the parser from an INFO description string.
    pub fn from_description(kind: VcfAnnotationKind, description: &str) -> Result<Self, String> {
        let fields = parse_format(kind, description).ok_or_else(|| {
            format!(
                "INFO/{} description has no '|'-separated field list: {description:?}",
                kind.info_key()
            )
        })?;
        let find = |names: &[&str]| {
            fields
                .iter()
                .position(|f| names.iter().any(|n| f.eq_ignore_ascii_case(n)))
        };
        let layout = match kind {
            VcfAnnotationKind::Csq => Layout {
                allele: find(&["Allele"]),
                allele_num: find(&["ALLELE_NUM"]),
                consequence: find(&["Consequence"]),
                symbol: find(&["SYMBOL"]),
                gene: find(&["Gene"]),
                feature: find(&["Feature"]),
                hgvsc: find(&["HGVSc"]),
                hgvsp: find(&["HGVSp"]),
                canonical: find(&["CANONICAL"]),
                mane: find(&["MANE_SELECT", "MANE"]),
            },
            VcfAnnotationKind::Ann => Layout {
                allele: find(&["Allele"]),
                consequence: find(&["Annotation", "Effect"]),
                symbol: find(&["Gene_Name"]),
                gene: find(&["Gene_ID"]),
                feature: find(&["Feature_ID"]),
                hgvsc: find(&["HGVS.c"]),
                hgvsp: find(&["HGVS.p"]),
                ..Default::default()
            },
            VcfAnnotationKind::Bcsq => Layout {
                consequence: find(&["consequence"]),
                symbol: find(&["gene"]),
                feature: find(&["transcript"]),
                allele: find(&["dna_change"]),
                ..Default::default()
            },
        };
        if layout.consequence.is_none() || layout.symbol.is_none() {
            return Err(format!(
                "INFO/{} description lacks a consequence or gene-symbol field (fields: {})",
                kind.info_key(),
                fields.join("|")
            ));
        }
        Ok(VcfAnnotations {
            kind,
            layout,
            fields,
            unknown_terms: BTreeSet::new(),
        })
    }

    /// The kind read.
    pub fn kind(&self) -> VcfAnnotationKind {
        self.kind
    }

    /// Provenance line, e.g. `VCF INFO/CSQ (Allele|Consequence|...)`.
    pub fn describe(&self) -> String {
        format!(
            "VCF INFO/{} ({})",
            self.kind.info_key(),
            self.fields.join("|")
        )
    }

    /// Consequence names seen that map to no SO term (they were read as `sequence_variant`).
    pub fn unknown_terms(&self) -> &BTreeSet<String> {
        &self.unknown_terms
    }

    /// Effects for ALT `alt_index` (1-based) of a record with alleles `reference`/`alts`,
    /// from its raw INFO string.
    pub(crate) fn effects(
        &mut self,
        info: &str,
        reference: &str,
        alts: &[&str],
        alt_index: usize,
    ) -> Vec<GeneEffect> {
        let Some(value) = info_value(info, self.kind.info_key()) else {
            return Vec::new();
        };
        let alt = alts[alt_index - 1];
        let vep_allele = vep_allele_string(reference, alts, alt_index);
        let l = &self.layout;
        let mut out = Vec::new();
        for entry in value.split(',') {
            if entry.is_empty() || entry.starts_with('@') {
                continue; // BCSQ pointer to the record that holds a joint consequence
            }
            let f: Vec<&str> = entry.split('|').collect();
            let get =
                |i: Option<usize>| i.and_then(|i| f.get(i)).copied().filter(|s| !s.is_empty());
            // allele matching
            let matches = match self.kind {
                VcfAnnotationKind::Csq => match (get(l.allele_num), get(l.allele)) {
                    (Some(n), _) => n.parse::<usize>().ok() == Some(alt_index),
                    (None, Some(a)) => a == vep_allele || (alts.len() == 1),
                    (None, None) => true,
                },
                VcfAnnotationKind::Ann => match get(l.allele) {
                    Some(a) => a.eq_ignore_ascii_case(alt) || alts.len() == 1,
                    None => true,
                },
                VcfAnnotationKind::Bcsq => {
                    if alts.len() == 1 {
                        true
                    } else {
                        match get(l.allele) {
                            Some(d) if d.contains('>') => {
                                d.ends_with(&format!(">{alt}"))
                                    || !d.ends_with(|c: char| c.is_ascii_alphabetic())
                            }
                            _ => true,
                        }
                    }
                }
            };
            if !matches {
                continue;
            }
            let Some(symbol) = get(l.symbol) else {
                continue;
            };
            let mut consequences = Vec::new();
            if let Some(cs) = get(l.consequence) {
                for term in cs.split('&') {
                    let t = term.trim();
                    if t.is_empty() {
                        continue;
                    }
                    if let Some(rest) = t.strip_prefix('*') {
                        // bcftools: consequence downstream of a stop codon, no protein effect
                        let _ = rest;
                        consequences.push(odyssey_genome::Consequence::SequenceVariant);
                        continue;
                    }
                    match map_consequence_term(t) {
                        Some(c) => consequences.push(c),
                        None => {
                            if self.unknown_terms.len() < 100 {
                                self.unknown_terms.insert(t.to_string());
                            }
                            consequences.push(odyssey_genome::Consequence::SequenceVariant);
                        }
                    }
                }
            }
            let ncbi_gene_id = get(l.gene).and_then(|g| g.parse::<u32>().ok());
            let preferred = get(l.mane).is_some()
                || get(l.canonical).is_some_and(|c| c.eq_ignore_ascii_case("YES"));
            out.push(GeneEffect {
                gene_symbol: symbol.to_string(),
                ncbi_gene_id,
                transcript: get(l.feature).map(str::to_string),
                consequences,
                hgvs_c: get(l.hgvsc).map(str::to_string),
                hgvs_p: get(l.hgvsp).map(|p| p.replace("%3D", "=")),
                preferred,
            });
        }
        out
    }
}

/// The allele string VEP writes for ALT `alt_index` (1-based): when every allele shares its
/// first base, that base is removed from all of them and an emptied allele becomes `-`.
fn vep_allele_string(reference: &str, alts: &[&str], alt_index: usize) -> String {
    let first = reference.as_bytes().first().copied();
    let shared = first.is_some()
        && alts.iter().all(|a| a.as_bytes().first().copied() == first)
        && (reference.len() > 1 || alts.iter().any(|a| a.len() > 1))
        && alts.iter().all(|a| !a.starts_with('<'));
    let alt = alts[alt_index - 1];
    if shared {
        let t = &alt[1..];
        if t.is_empty() {
            "-".to_string()
        } else {
            t.to_string()
        }
    } else {
        alt.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use odyssey_genome::Consequence::*;

    #[test]
    fn vep_csq_with_header_order() {
        let desc = "Consequence annotations from Ensembl VEP. Format: Allele|Consequence|IMPACT|SYMBOL|Gene|Feature_type|Feature|BIOTYPE|EXON|INTRON|HGVSc|HGVSp|CANONICAL";
        let mut p = VcfAnnotations::from_description(VcfAnnotationKind::Csq, desc).unwrap();
        let info = "AC=1;CSQ=-|frameshift_variant|HIGH|FGFR2|2263|Transcript|NM_000141.5|protein_coding|5/18||NM_000141.5:c.500del|NP_000132.3:p.Leu167Ter|YES,-|intron_variant|MODIFIER|FGFR2|2263|Transcript|NM_001.1|protein_coding||4/17|||";
        let e = p.effects(info, "AT", &["A"], 1);
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].gene_symbol, "FGFR2");
        assert_eq!(e[0].ncbi_gene_id, Some(2263));
        assert_eq!(e[0].consequences, vec![FrameshiftVariant]);
        assert!(e[0].preferred && !e[1].preferred);
        assert_eq!(e[0].hgvs_p.as_deref(), Some("NP_000132.3:p.Leu167Ter"));
        // a different column order is read from the description
        let desc2 = "Format: SYMBOL|Feature|Consequence|Allele";
        let mut p2 = VcfAnnotations::from_description(VcfAnnotationKind::Csq, desc2).unwrap();
        let e2 = p2.effects(
            "CSQ=GENE1|T1|missense_variant&splice_region_variant|G,GENE1|T1|stop_gained|T",
            "A",
            &["G", "T"],
            2,
        );
        assert_eq!(e2.len(), 1);
        assert_eq!(e2[0].consequences, vec![StopGained]);
        let e1 = p2.effects(
            "CSQ=GENE1|T1|missense_variant&splice_region_variant|G,GENE1|T1|stop_gained|T",
            "A",
            &["G", "T"],
            1,
        );
        assert_eq!(
            e1[0].consequences,
            vec![MissenseVariant, SpliceRegionVariant]
        );
    }

    #[test]
    fn snpeff_ann() {
        let desc = "Functional annotations: 'Allele | Annotation | Annotation_Impact | Gene_Name | Gene_ID | Feature_Type | Feature_ID | Transcript_BioType | Rank | HGVS.c | HGVS.p | cDNA.pos / cDNA.length | CDS.pos / CDS.length | AA.pos / AA.length | Distance | ERRORS / WARNINGS / INFO' ";
        let mut p = VcfAnnotations::from_description(VcfAnnotationKind::Ann, desc).unwrap();
        let info = "ANN=T|disruptive_inframe_deletion|MODERATE|ABC|ABC|transcript|NM_1.1|protein_coding|2/5|c.10_12del|p.Lys4del|||||,C|missense_variant|MODERATE|ABC|ABC|transcript|NM_1.1|protein_coding|2/5|c.10A>C|p.Lys4Gln|||||";
        let e = p.effects(info, "A", &["C", "T"], 1);
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].consequences, vec![MissenseVariant]);
        assert_eq!(e[0].hgvs_c.as_deref(), Some("c.10A>C"));
    }

    #[test]
    fn bcftools_bcsq_from_giab_header() {
        // the description in the GIAB trio VCF of ../shared
        let desc = "Local consequence annotation from BCFtools/csq. Format: '[*]consequence|gene|transcript|biotype[|strand|amino_acid_change|dna_change]' or, for consequences of variants split across multiple sites, a pointer to the record storing the consequences '@position'. '*' prefix indicates a consequence downstream from a stop";
        let mut p = VcfAnnotations::from_description(VcfAnnotationKind::Bcsq, desc).unwrap();
        let e = p.effects(
            "DP=1;BCSQ=missense|OR4F5|ENST00000335137|protein_coding|+|141T>141A|69511A>G",
            "A",
            &["G"],
            1,
        );
        assert_eq!(
            (e[0].gene_symbol.as_str(), e[0].consequences[0]),
            ("OR4F5", MissenseVariant)
        );
        assert_eq!(e[0].transcript.as_deref(), Some("ENST00000335137"));
        let e = p.effects(
            "BCSQ=non_coding|RP11-206L10.10||processed_transcript,@12345",
            "T",
            &["C"],
            1,
        );
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].consequences, vec![NonCodingTranscriptExonVariant]);
        assert_eq!(p.effects("DP=3", "T", &["C"], 1), vec![]);
    }

    #[test]
    fn vep_allele_strings() {
        assert_eq!(vep_allele_string("AT", &["A"], 1), "-");
        assert_eq!(vep_allele_string("A", &["AT"], 1), "T");
        assert_eq!(vep_allele_string("A", &["G"], 1), "G");
        assert_eq!(vep_allele_string("A", &["G", "AT"], 2), "AT");
        assert_eq!(info_value("A=1;FLAG;CSQ=x|y", "CSQ"), Some("x|y"));
        assert_eq!(info_value("A=1;FLAG;CSQ2=x", "CSQ"), None);
        assert_eq!(info_value("FLAG", "FLAG"), Some(""));
    }
}
