use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Impact class of a consequence, as Ensembl VEP groups them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Impact {
    /// Likely disruptive (LoF, splice site, start/stop changes).
    High,
    /// Non-disruptive but may change protein effectiveness (missense, in-frame indels).
    Moderate,
    /// Mostly harmless (synonymous, splice region).
    Low,
    /// Non-coding or unknown effect.
    Modifier,
}

macro_rules! consequences {
    ($( $variant:ident, $name:literal, $so:literal, $impact:ident; )*) => {
        /// A Sequence Ontology variant consequence term, in Ensembl VEP's order of severity
        /// (most severe first; "Calculated variant consequences", Ensembl VEP documentation).
        ///
        /// The derived `Ord` follows that order, so the *minimum* of a set is its most severe term.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum Consequence { $( #[doc = $name] $variant, )* }

        impl Consequence {
            /// Every term, most severe first.
            pub const ALL: &'static [Consequence] = &[$(Consequence::$variant,)*];

            /// The SO term name, e.g. `missense_variant`.
            pub fn as_str(self) -> &'static str {
                match self { $(Consequence::$variant => $name,)* }
            }

            /// The SO accession, e.g. `SO:0001583`.
            pub fn so_id(self) -> &'static str {
                match self { $(Consequence::$variant => $so,)* }
            }

            /// VEP's impact class.
            pub fn impact(self) -> Impact {
                match self { $(Consequence::$variant => Impact::$impact,)* }
            }
        }

        impl FromStr for Consequence {
            type Err = UnknownConsequence;
            /// Parses an SO term name (as written by VEP, SnpEff and bcftools csq) or accession.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name | $so => Ok(Consequence::$variant),)*
                    _ => Err(UnknownConsequence(s.to_string())),
                }
            }
        }
    };
}

consequences! {
    TranscriptAblation, "transcript_ablation", "SO:0001893", High;
    ExonLossVariant, "exon_loss_variant", "SO:0001572", High;
    SpliceAcceptorVariant, "splice_acceptor_variant", "SO:0001574", High;
    SpliceDonorVariant, "splice_donor_variant", "SO:0001575", High;
    StopGained, "stop_gained", "SO:0001587", High;
    FrameshiftVariant, "frameshift_variant", "SO:0001589", High;
    StopLost, "stop_lost", "SO:0001578", High;
    StartLost, "start_lost", "SO:0002012", High;
    TranscriptAmplification, "transcript_amplification", "SO:0001889", High;
    FeatureElongation, "feature_elongation", "SO:0001907", High;
    FeatureTruncation, "feature_truncation", "SO:0001906", High;
    InframeInsertion, "inframe_insertion", "SO:0001821", Moderate;
    InframeDeletion, "inframe_deletion", "SO:0001822", Moderate;
    MissenseVariant, "missense_variant", "SO:0001583", Moderate;
    ProteinAlteringVariant, "protein_altering_variant", "SO:0001818", Moderate;
    SpliceDonor5thBaseVariant, "splice_donor_5th_base_variant", "SO:0001787", Low;
    SpliceRegionVariant, "splice_region_variant", "SO:0001630", Low;
    SpliceDonorRegionVariant, "splice_donor_region_variant", "SO:0002170", Low;
    SplicePolypyrimidineTractVariant, "splice_polypyrimidine_tract_variant", "SO:0002169", Low;
    IncompleteTerminalCodonVariant, "incomplete_terminal_codon_variant", "SO:0001626", Low;
    StartRetainedVariant, "start_retained_variant", "SO:0002019", Low;
    StopRetainedVariant, "stop_retained_variant", "SO:0001567", Low;
    SynonymousVariant, "synonymous_variant", "SO:0001819", Low;
    CodingSequenceVariant, "coding_sequence_variant", "SO:0001580", Modifier;
    MatureMirnaVariant, "mature_miRNA_variant", "SO:0001620", Modifier;
    FivePrimeUtrVariant, "5_prime_UTR_variant", "SO:0001623", Modifier;
    ThreePrimeUtrVariant, "3_prime_UTR_variant", "SO:0001624", Modifier;
    NonCodingTranscriptExonVariant, "non_coding_transcript_exon_variant", "SO:0001792", Modifier;
    IntronVariant, "intron_variant", "SO:0001627", Modifier;
    NmdTranscriptVariant, "NMD_transcript_variant", "SO:0001621", Modifier;
    NonCodingTranscriptVariant, "non_coding_transcript_variant", "SO:0001619", Modifier;
    CodingTranscriptVariant, "coding_transcript_variant", "SO:0001968", Modifier;
    UpstreamGeneVariant, "upstream_gene_variant", "SO:0001631", Modifier;
    DownstreamGeneVariant, "downstream_gene_variant", "SO:0001632", Modifier;
    TfbsAblation, "TFBS_ablation", "SO:0001895", Modifier;
    TfbsAmplification, "TFBS_amplification", "SO:0001892", Modifier;
    TfBindingSiteVariant, "TF_binding_site_variant", "SO:0001782", Modifier;
    RegulatoryRegionAblation, "regulatory_region_ablation", "SO:0001894", Modifier;
    RegulatoryRegionAmplification, "regulatory_region_amplification", "SO:0001891", Modifier;
    RegulatoryRegionVariant, "regulatory_region_variant", "SO:0001566", Modifier;
    IntergenicVariant, "intergenic_variant", "SO:0001628", Modifier;
    SequenceVariant, "sequence_variant", "SO:0001060", Modifier;
}

impl fmt::Display for Consequence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A consequence name that is not one of the SO terms Odyssey knows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown Sequence Ontology consequence term {0:?}")]
pub struct UnknownConsequence(pub String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_severity() {
        assert!(Consequence::StopGained < Consequence::MissenseVariant);
        assert!(Consequence::MissenseVariant < Consequence::SynonymousVariant);
        assert!(Consequence::SpliceRegionVariant < Consequence::IntronVariant);
        let worst = [Consequence::IntronVariant, Consequence::SpliceDonorVariant]
            .into_iter()
            .min();
        assert_eq!(worst, Some(Consequence::SpliceDonorVariant));
    }

    #[test]
    fn names_round_trip() {
        for c in Consequence::ALL {
            assert_eq!(c.as_str().parse::<Consequence>().unwrap(), *c);
            assert_eq!(c.so_id().parse::<Consequence>().unwrap(), *c);
        }
        assert_eq!(Consequence::ALL.len(), 42);
        assert!("missense".parse::<Consequence>().is_err());
    }
}
