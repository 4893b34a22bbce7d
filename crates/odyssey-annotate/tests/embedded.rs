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
