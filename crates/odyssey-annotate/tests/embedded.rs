//! The embedded default models. Expected coordinates come from NCBI's RefSeq alignments as
//! distributed in cdot 0.2.12 (BRCA1 NM_007294.4: CDS ends, on the minus strand, at
//! chr17:43,124,096 in GRCh38 and chr17:41,276,113 in GRCh37; 23 exons; the ATG in exon 2) —
//! a source independent of the GENCODE tables the embedded models were derived from.

use odyssey_annotate::Annotator;
use odyssey_genome::{Assembly, Chrom, Consequence as C, VariantKey};

fn chr17() -> Chrom {
    Chrom::autosome(17).unwrap()
}

fn brca1(ann: &Annotator, pos: u32, r: &str, a: &str) -> odyssey_annotate::TranscriptAnnotation {
    let v = VariantKey::new(chr17(), pos, r, a).unwrap();
    ann.annotate(&v)
        .into_iter()
        .find(|t| t.refseq_transcript_id.as_deref() == Some("NM_007294.4"))
        .unwrap_or_else(|| panic!("BRCA1 MANE transcript not hit at {pos}"))
}

#[test]
fn brca1_start_codon_in_both_assemblies() {
    for (asm, c1) in [
        (Assembly::GRCh38, 43_124_096),
        (Assembly::GRCh37, 41_276_113),
    ] {
        let ann = Annotator::embedded(asm).unwrap();
        assert_eq!(ann.assembly(), asm);
        assert!(!ann.has_sequence());
        // genomic T (minus strand) = the A of ATG
        let t = brca1(&ann, c1, "T", "C");
        assert_eq!(t.gene_symbol.as_deref(), Some("BRCA1"));
        assert!(t.is_mane_select);
        assert_eq!(t.ncbi_gene_id, Some(672));
        assert_eq!(t.hgnc_id.as_deref(), Some("HGNC:1100"));
        assert_eq!(
            t.exon.map(|r| r.to_string()).as_deref(),
            Some("2/23"),
            "{asm}"
        );
        assert_eq!(
            t.consequences,
            vec![C::CodingSequenceVariant],
            "no sequence: no amino-acid effect"
        );
        assert!(
            t.hgvs_c.as_deref().unwrap().ends_with(":c.1A>G"),
            "{asm}: {:?}",
            t.hgvs_c
        );
        assert!(
            t.hgvs_p.as_deref().unwrap().ends_with(":p.?"),
            "{:?}",
            t.hgvs_p
        );
        // one base upstream of the ATG is 5' UTR
        let u = brca1(&ann, c1 + 1, "C", "T");
        assert_eq!(u.consequences, vec![C::FivePrimeUtrVariant], "{asm}");
        assert!(
            u.hgvs_c.as_deref().unwrap().ends_with(":c.-1G>A"),
            "{asm}: {:?}",
            u.hgvs_c
        );
        // a 1-bp deletion in the CDS is a frameshift from its length alone
        let d = brca1(&ann, c1 - 10, "AT", "A");
        assert_eq!(d.consequences, vec![C::FrameshiftVariant], "{asm}");
    }
}

#[test]
fn embedded_release_labels_and_intergenic() {
    let a = Annotator::embedded(Assembly::GRCh38).unwrap();
    assert!(a.release().contains("MANE"), "{}", a.release());
    // second call shares the decoded data
    let b = Annotator::embedded(Assembly::GRCh38).unwrap();
    assert_eq!(a.data().transcripts.len(), b.data().transcripts.len());
    // chrY:10,000,000 GRCh38 lies in no gene model (centromere-adjacent gap region)
    let v = VariantKey::new(Chrom::Y, 10_600_000, "A", "G").unwrap();
    let anns = a.annotate(&v);
    assert_eq!(anns.len(), 1);
    assert_eq!(anns[0].consequences, vec![C::IntergenicVariant]);
}

/// Issue 12: the 37 mitochondrial genes on the rCRS, in both assemblies and under both
/// contig names. Expected genes and positions from MITOMAP's rCRS gene map (independent of
/// the GENCODE tables): m.3243A>G in MT-TL1 (MELAS), m.8993T>G in MT-ATP6 (NARP),
/// m.11778G>A in MT-ND4 and m.14484T>C in MT-ND6 (LHON; MT-ND6 is on the minus strand),
/// m.1555A>G in MT-RNR1; m.16519 lies in the control region (no gene).
#[test]
fn mitochondrial_genes_on_the_rcrs() {
    for asm in [Assembly::GRCh38, Assembly::GRCh37] {
        let ann = Annotator::embedded(asm).unwrap();
        for name in ["MT", "chrM"] {
            let mt: Chrom = name.parse().unwrap();
            let genes = |pos: u32, r: &str, a: &str| -> Vec<(String, Vec<C>)> {
                let v = VariantKey::new(mt, pos, r, a).unwrap();
                // genes hit, not the up/downstream ones (5 kb flank)
                ann.annotate(&v)
                    .into_iter()
                    .filter(|t| {
                        !t.consequences
                            .iter()
                            .all(|c| matches!(c, C::UpstreamGeneVariant | C::DownstreamGeneVariant))
                    })
                    .map(|t| {
                        (
                            t.gene_symbol.as_deref().unwrap_or("").to_string(),
                            t.consequences,
                        )
                    })
                    .collect()
            };
            let g = genes(3243, "A", "G");
            assert_eq!(g.len(), 1, "{asm} {name}: {g:?}");
            assert_eq!(g[0].0, "MT-TL1");
            assert_eq!(g[0].1, vec![C::NonCodingTranscriptExonVariant]);
            assert_eq!(genes(8993, "T", "G")[0].0, "MT-ATP6");
            assert_eq!(genes(8993, "T", "G")[0].1, vec![C::CodingSequenceVariant]);
            assert_eq!(genes(11778, "G", "A")[0].0, "MT-ND4");
            assert_eq!(genes(14484, "T", "C")[0].0, "MT-ND6");
            assert_eq!(genes(1555, "A", "G")[0].0, "MT-RNR1");
            assert!(genes(16519, "T", "C").is_empty());
        }
        let mt: std::collections::BTreeSet<&str> = ann
            .data()
            .transcripts
            .iter()
            .filter(|t| t.chrom == Chrom::MT)
            .filter_map(|t| t.gene_symbol.as_deref())
            .collect();
        assert_eq!(mt.len(), 37, "{asm}: {mt:?}");
        let coding = ann
            .data()
            .transcripts
            .iter()
            .filter(|t| t.chrom == Chrom::MT && t.biotype.as_ref() == "protein_coding")
            .count();
        assert_eq!(coding, 13, "{asm}");
    }
}
