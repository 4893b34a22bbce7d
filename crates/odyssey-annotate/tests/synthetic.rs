//! Consequences and HGVS on a hand-made gene (see `common.rs`): expected values derived by hand,
//! then checked again on the mirror-image gene on the reverse strand.

mod common;

use common::*;
use odyssey_annotate::TranscriptAnnotation;
use odyssey_genome::Consequence as C;

fn on(anns: &[TranscriptAnnotation], gene: &str) -> TranscriptAnnotation {
    anns.iter()
        .find(|a| a.gene_symbol.as_deref() == Some(gene))
        .cloned()
        .unwrap_or_else(|| panic!("no {gene} in {anns:?}"))
}

/// (VCF pos, ref, alt) on the forward gene → (consequences, c., p.)
/// (VCF pos, REF, ALT), consequences, c., p.
type Case = (
    (u32, &'static str, &'static str),
    Vec<C>,
    Option<&'static str>,
    Option<&'static str>,
);

fn cases() -> Vec<Case> {
    vec![
        // c.4 A>C: AAA→CAA, Lys→Gln
        (
            (24, "A", "C"),
            vec![C::MissenseVariant],
            Some("c.4A>C"),
            Some("p.Lys2Gln"),
        ),
        // c.6 A>G: AAA→AAG, still Lys
        (
            (26, "A", "G"),
            vec![C::SynonymousVariant],
            Some("c.6A>G"),
            Some("p.Lys2="),
        ),
        // c.4 A>T: AAA→TAA
        (
            (24, "A", "T"),
            vec![C::StopGained],
            Some("c.4A>T"),
            Some("p.Lys2Ter"),
        ),
        // T inserted between c.3 and c.4: ATG|TAA → immediate stop in the new frame
        (
            (23, "G", "GT"),
            vec![C::FrameshiftVariant],
            Some("c.3_4insT"),
            Some("p.Lys2Ter"),
        ),
        // AAA inserted after c.6 duplicates c.4-6 (Lys2)
        (
            (26, "A", "AAAA"),
            vec![C::InframeInsertion],
            Some("c.4_6dup"),
            Some("p.Lys2dup"),
        ),
        // intron +1 G>A
        (
            (41, "G", "A"),
            vec![C::SpliceDonorVariant],
            Some("c.20+1G>A"),
            None,
        ),
        // intron +5 G>A; the intron has only 20 bases, so +5 is also −16, inside the
        // polypyrimidine tract (−17..−3)
        (
            (45, "G", "A"),
            vec![
                C::SpliceDonor5thBaseVariant,
                C::SplicePolypyrimidineTractVariant,
                C::IntronVariant,
            ],
            Some("c.20+5G>A"),
            None,
        ),
        // intron −2 A>G
        (
            (59, "A", "G"),
            vec![C::SpliceAcceptorVariant],
            Some("c.21-2A>G"),
            None,
        ),
        // middle of the 20-base intron: +10 (= −11) and −10, both in the polypyrimidine tract
        (
            (50, "C", "T"),
            vec![C::SplicePolypyrimidineTractVariant, C::IntronVariant],
            Some("c.20+10C>T"),
            None,
        ),
        (
            (51, "C", "T"),
            vec![C::SplicePolypyrimidineTractVariant, C::IntronVariant],
            Some("c.21-10C>T"),
            None,
        ),
        // last exon-1 base c.20 G>A: TGG (c.19-21) → TAG, within 3 bases of the junction
        (
            (40, "G", "A"),
            vec![C::StopGained, C::SpliceRegionVariant],
            Some("c.20G>A"),
            Some("p.Trp7Ter"),
        ),
        // 5' UTR, 3' UTR
        (
            (15, "C", "T"),
            vec![C::FivePrimeUtrVariant],
            Some("c.-6C>T"),
            None,
        ),
        (
            (80, "G", "A"),
            vec![C::ThreePrimeUtrVariant],
            Some("c.*7G>A"),
            None,
        ),
        // stop codon TAA→TAG; TAA→CAA with no new stop before the transcript ends
        (
            (73, "A", "G"),
            vec![C::StopRetainedVariant],
            Some("c.33A>G"),
            Some("p.Ter11="),
        ),
        (
            (71, "T", "C"),
            vec![C::StopLost],
            Some("c.31T>C"),
            Some("p.Ter11GlnextTer?"),
        ),
        // start codon ATG→ACG
        (
            (22, "T", "C"),
            vec![C::StartLost],
            Some("c.2T>C"),
            Some("p.Met1?"),
        ),
    ]
}

#[test]
fn forward_gene_by_hand() {
    let ann = annotator(true);
    for ((pos, r, a), cons, c, p) in cases() {
        let t = on(&ann.annotate(&key(chr1(), pos, r, a)), "GENEA");
        assert_eq!(t.consequences, cons, "{pos} {r}>{a}");
        assert_eq!(
            t.hgvs_c.as_deref(),
            c.map(|c| format!("TX1.1:{c}")).as_deref(),
            "{pos} {r}>{a}"
        );
        assert_eq!(
            t.hgvs_p.as_deref(),
            p.map(|p| format!("P1.1:{p}")).as_deref(),
            "{pos} {r}>{a}"
        );
        assert!(t.sequence_available);
    }
}

#[test]
fn reverse_strand_mirror_gives_the_same_descriptions() {
    let ann = annotator(true);
    for ((pos, r, a), cons, c, p) in cases() {
        let k = mirror(pos, r, a);
        let t = on(&ann.annotate(&k), "GENEB");
        assert_eq!(t.consequences, cons, "mirror of {pos} {r}>{a}: {k}");
        assert_eq!(
            t.hgvs_c.as_deref(),
            c.map(|c| format!("TX2.1:{c}")).as_deref(),
            "mirror of {pos} {r}>{a}: {k}"
        );
        assert_eq!(
            t.hgvs_p.as_deref(),
            p.map(|p| format!("P2.1:{p}")).as_deref(),
            "mirror of {pos} {r}>{a}"
        );
    }
}

#[test]
fn deletion_in_a_run_is_shifted_three_prime() {
    let ann = annotator(true);
    // delete one G of GGG (c.7-9): written at its 3'-most position c.9; reading frame then
    // GGC CCT TTG: first changed residue is Phe5 → Leu
    let t = on(&ann.annotate(&key(chr1(), 26, "AG", "A")), "GENEA");
    assert_eq!(t.hgvs_c.as_deref(), Some("TX1.1:c.9del"));
    assert_eq!(t.consequences, vec![C::FrameshiftVariant]);
    assert!(
        t.hgvs_p
            .as_deref()
            .unwrap()
            .starts_with("P1.1:p.Phe5LeufsTer"),
        "{:?}",
        t.hgvs_p
    );
    // on the reverse-strand mirror the 3' end of the run is at the lower genomic position
    let m = on(&ann.annotate(&mirror(26, "AG", "A")), "GENEB");
    assert_eq!(m.hgvs_c.as_deref(), Some("TX2.1:c.9del"));
}

#[test]
fn flanks_and_intergenic() {
    let ann = annotator(true);
    let up = on(&ann.annotate(&key(chr1(), 5, "T", "G")), "GENEA");
    assert_eq!(
        (up.consequences.as_slice(), up.distance),
        (&[C::UpstreamGeneVariant][..], Some(6))
    );
    assert_eq!(up.hgvs_c, None);
    let down = on(&ann.annotate(&key(chr1(), 100, "A", "G")), "GENEA");
    assert_eq!(
        (down.consequences.as_slice(), down.distance),
        (&[C::DownstreamGeneVariant][..], Some(10))
    );
    let far = ann.annotate(&key(chr1(), 20_000, "A", "G"));
    assert_eq!(far.len(), 1);
    assert_eq!(far[0].consequences, vec![C::IntergenicVariant]);
    assert!(far[0].gene_symbol.is_none() && far[0].transcript_id.is_none());
}

#[test]
fn ranks_and_positions() {
    let ann = annotator(true);
    let t = on(&ann.annotate(&key(chr1(), 24, "A", "C")), "GENEA");
    assert_eq!(t.exon.map(|r| r.to_string()).as_deref(), Some("1/2"));
    assert_eq!(t.intron, None);
    assert_eq!(t.cds_position, Some((4, 4)));
    assert_eq!(t.protein_position, Some((2, 2)));
    assert_eq!(t.amino_acids.as_deref(), Some("K/Q"));
    let i = on(&ann.annotate(&key(chr1(), 50, "C", "T")), "GENEA");
    assert_eq!(i.intron.map(|r| r.to_string()).as_deref(), Some("1/1"));
}

#[test]
fn without_sequence_only_what_the_model_tells() {
    let ann = annotator(false);
    assert!(!ann.has_sequence());
    // coding SNV: position known, amino-acid effect unknown
    let t = on(&ann.annotate(&key(chr1(), 24, "A", "C")), "GENEA");
    assert_eq!(t.consequences, vec![C::CodingSequenceVariant]);
    assert_eq!(t.hgvs_c.as_deref(), Some("TX1.1:c.4A>C"));
    assert_eq!(t.hgvs_p.as_deref(), Some("P1.1:p.?"));
    assert!(!t.sequence_available);
    // frameshift vs in-frame from the length alone; no c. for indels (3' rule needs sequence)
    let fs = on(&ann.annotate(&key(chr1(), 26, "AG", "A")), "GENEA");
    assert_eq!(
        (fs.consequences.as_slice(), fs.hgvs_c.as_deref()),
        (&[C::FrameshiftVariant][..], None)
    );
    let inf = on(&ann.annotate(&key(chr1(), 26, "A", "AAAA")), "GENEA");
    assert_eq!(inf.consequences, vec![C::InframeInsertion]);
    // location-only terms are unchanged
    let sp = on(&ann.annotate(&key(chr1(), 41, "G", "A")), "GENEA");
    assert_eq!(sp.consequences, vec![C::SpliceDonorVariant]);
    assert_eq!(sp.hgvs_c.as_deref(), Some("TX1.1:c.20+1G>A"));
    assert_eq!(
        sp.hgvs_p, None,
        "intronic: no protein description, as with sequence"
    );
    assert_eq!(fs.hgvs_p.as_deref(), Some("P1.1:p.?"));
}

#[test]
fn most_severe_per_gene_picks_by_severity_then_mane() {
    let ann = annotator(true);
    let anns = ann.annotate(&key(chr1(), 24, "A", "T"));
    let best = odyssey_annotate::most_severe_per_gene(&anns);
    assert_eq!(best.len(), 1);
    assert_eq!(best[0].most_severe(), C::StopGained);
}

#[test]
fn annotator_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<odyssey_annotate::Annotator>();
}
