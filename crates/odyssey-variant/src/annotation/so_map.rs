//! Mapping of consequence names written by VEP, SnpEff and bcftools csq to Sequence Ontology
//! terms ([`Consequence`]).

use std::str::FromStr;

use odyssey_genome::Consequence;

/// Maps one consequence name to an SO term.
///
/// Accepts SO names and accessions (`missense_variant`, `SO:0001583`), bcftools csq's short
/// names (`missense`, `5_prime_utr`, `non_coding`, `inframe_altering`), SnpEff's extensions
/// (`disruptive_inframe_deletion`, `exon_loss_variant`, `intergenic_region`,
/// `5_prime_UTR_premature_start_codon_gain_variant`...) and older VEP names
/// (`nc_transcript_variant`, `non_coding_exon_variant`). Returns `None` for unknown names.
pub fn map_consequence_term(name: &str) -> Option<Consequence> {
    use Consequence::*;
    let name = name.trim();
    if let Ok(c) = Consequence::from_str(name) {
        return Some(c);
    }
    let lower = name.to_ascii_lowercase();
    let c = match lower.as_str() {
        // bcftools csq
        "missense" => MissenseVariant,
        "synonymous" => SynonymousVariant,
        "stop_gained" => StopGained,
        "stop_lost" => StopLost,
        "start_lost" => StartLost,
        "stop_retained" => StopRetainedVariant,
        "start_retained" => StartRetainedVariant,
        "frameshift" => FrameshiftVariant,
        "inframe_deletion" => InframeDeletion,
        "inframe_insertion" => InframeInsertion,
        "inframe_altering" => ProteinAlteringVariant,
        "splice_acceptor" => SpliceAcceptorVariant,
        "splice_donor" => SpliceDonorVariant,
        "splice_region" => SpliceRegionVariant,
        "5_prime_utr" => FivePrimeUtrVariant,
        "3_prime_utr" => ThreePrimeUtrVariant,
        "non_coding" => NonCodingTranscriptExonVariant,
        "coding_sequence" => CodingSequenceVariant,
        "intron" => IntronVariant,
        "intergenic" => IntergenicVariant,
        "feature_elongation" => FeatureElongation,
        // SnpEff
        "conservative_inframe_insertion" | "disruptive_inframe_insertion" => InframeInsertion,
        "conservative_inframe_deletion" | "disruptive_inframe_deletion" => InframeDeletion,
        "exon_loss_variant" | "exon_loss" => ExonLossVariant,
        "5_prime_utr_premature_start_codon_gain_variant" | "5_prime_utr_truncation" => {
            FivePrimeUtrVariant
        }
        "3_prime_utr_truncation" => ThreePrimeUtrVariant,
        "initiator_codon_variant" | "non_canonical_start_codon" => StartRetainedVariant,
        "rare_amino_acid_variant" => MissenseVariant,
        "intergenic_region" | "conserved_intergenic_variant" => IntergenicVariant,
        "conserved_intron_variant" | "intron_variant" => IntronVariant,
        "non_coding_exon_variant" | "non_coding_transcript_exon_variant" => {
            NonCodingTranscriptExonVariant
        }
        "mirna" => MatureMirnaVariant,
        "gene_fusion" | "bidirectional_gene_fusion" | "feature_ablation" => TranscriptAblation,
        "intragenic_variant"
        | "structural_interaction_variant"
        | "protein_protein_contact"
        | "sequence_feature"
        | "transcript_variant"
        | "exon_variant"
        | "gene_variant" => SequenceVariant,
        // older VEP
        "nc_transcript_variant" | "non_coding_transcript_variant" => NonCodingTranscriptVariant,
        "nmd_transcript_variant" => NmdTranscriptVariant,
        "splice_donor_5th_base" => SpliceDonor5thBaseVariant,
        "splice_donor_region" => SpliceDonorRegionVariant,
        "splice_polypyrimidine_tract" => SplicePolypyrimidineTractVariant,
        _ => {
            let with_suffix = format!("{lower}_variant");
            return Consequence::from_str(&with_suffix).ok();
        }
    };
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use Consequence::*;

    #[test]
    fn maps_tool_dialects() {
        assert_eq!(
            map_consequence_term("missense_variant"),
            Some(MissenseVariant)
        );
        assert_eq!(map_consequence_term("SO:0001587"), Some(StopGained));
        assert_eq!(map_consequence_term("missense"), Some(MissenseVariant));
        assert_eq!(
            map_consequence_term("5_prime_utr"),
            Some(FivePrimeUtrVariant)
        );
        assert_eq!(
            map_consequence_term("disruptive_inframe_deletion"),
            Some(InframeDeletion)
        );
        assert_eq!(
            map_consequence_term("intergenic_region"),
            Some(IntergenicVariant)
        );
        assert_eq!(
            map_consequence_term("upstream_gene"),
            Some(UpstreamGeneVariant)
        );
        assert_eq!(
            map_consequence_term("NMD_transcript_variant"),
            Some(NmdTranscriptVariant)
        );
        assert_eq!(map_consequence_term("no_such_thing"), None);
    }
}
