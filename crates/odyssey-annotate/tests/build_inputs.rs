//! Building reference data from GFF3/GTF/FASTA files written by the test itself (the hand-made
//! gene of `common.rs` in Ensembl GFF3, GENCODE-style GTF and NCBI RefSeq GFF3 flavours).

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};

use common::*;
use odyssey_annotate::build::{build, BuildOptions};
use odyssey_annotate::vcf::{annotate_vcf, VcfOptions};
use odyssey_annotate::{Annotator, CodingRegion, Error, RefData};
use odyssey_genome::{Assembly, Consequence as C};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p)
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    p
}

fn fasta(dir: &Path, name: &str) -> PathBuf {
    let s = forward_sequence();
    let mut t = format!(">{name} test construct\n");
    for chunk in s.as_bytes().chunks(50) {
        t.push_str(std::str::from_utf8(chunk).unwrap());
        t.push('\n');
    }
    write(dir, "ref.fa", &t)
}

const ENSEMBL_GFF3: &str = "##gff-version 3
1\tensembl\tgene\t11\t90\t.\t+\t.\tID=gene:G1;Name=GENEA;biotype=protein_coding;gene_id=G1
1\tensembl\tmRNA\t11\t90\t.\t+\t.\tID=transcript:TX1;Parent=gene:G1;biotype=protein_coding;transcript_id=TX1;version=1;tag=basic,Ensembl_canonical,MANE_Select
1\tensembl\texon\t11\t40\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t21\t40\t.\t+\t0\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
1\tensembl\texon\t61\t90\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t61\t73\t.\t+\t1\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
";

const GENCODE_GTF: &str = "chr1\tHAVANA\tgene\t11\t90\t.\t+\t.\tgene_id \"G1.1\"; gene_type \"protein_coding\"; gene_name \"GENEA\";
chr1\tHAVANA\ttranscript\t11\t90\t.\t+\t.\tgene_id \"G1.1\"; transcript_id \"TX1.1\"; gene_name \"GENEA\"; transcript_type \"protein_coding\"; tag \"basic\"; tag \"MANE_Select\";
chr1\tHAVANA\texon\t11\t40\t.\t+\t.\tgene_id \"G1.1\"; transcript_id \"TX1.1\"; gene_name \"GENEA\";
chr1\tHAVANA\tCDS\t21\t40\t.\t+\t0\tgene_id \"G1.1\"; transcript_id \"TX1.1\"; gene_name \"GENEA\"; protein_id \"P1.1\";
chr1\tHAVANA\texon\t61\t90\t.\t+\t.\tgene_id \"G1.1\"; transcript_id \"TX1.1\"; gene_name \"GENEA\";
chr1\tHAVANA\tCDS\t61\t70\t.\t+\t1\tgene_id \"G1.1\"; transcript_id \"TX1.1\"; gene_name \"GENEA\"; protein_id \"P1.1\";
chr1\tHAVANA\tstop_codon\t71\t73\t.\t+\t0\tgene_id \"G1.1\"; transcript_id \"TX1.1\"; gene_name \"GENEA\";
";

const REFSEQ_GFF3: &str = "##gff-version 3
NC_000001.11\tBestRefSeq\tgene\t11\t90\t.\t+\t.\tID=gene-GENEA;Dbxref=GeneID:4242,HGNC:HGNC:99;Name=GENEA;gene_biotype=protein_coding
NC_000001.11\tBestRefSeq\tmRNA\t11\t90\t.\t+\t.\tID=rna-NM_1.1;Parent=gene-GENEA;Dbxref=GeneID:4242;gbkey=mRNA;gene=GENEA;tag=MANE Select;transcript_id=NM_1.1
NC_000001.11\tBestRefSeq\texon\t11\t40\t.\t+\t.\tParent=rna-NM_1.1
NC_000001.11\tBestRefSeq\texon\t61\t90\t.\t+\t.\tParent=rna-NM_1.1
NC_000001.11\tBestRefSeq\tCDS\t21\t40\t.\t+\t0\tID=cds-NP_1.1;Parent=rna-NM_1.1;protein_id=NP_1.1
NC_000001.11\tBestRefSeq\tCDS\t61\t73\t.\t+\t1\tID=cds-NP_1.1;Parent=rna-NM_1.1;protein_id=NP_1.1
NC_000001.11\tRefSeq\texon\t100\t110\t.\t+\t.\tParent=gene-PSEUDO;gbkey=exon
NC_000001.11\tRefSeq\tgene\t100\t110\t.\t+\t.\tID=gene-PSEUDO;Name=PSEUDO;gene_biotype=pseudogene
NT_187361.1\tRefSeq\texon\t1\t10\t.\t+\t.\tParent=rna-X
";

fn opts(models: Vec<PathBuf>, fasta: Vec<PathBuf>) -> BuildOptions {
    BuildOptions {
        models,
        fasta,
        assembly: Assembly::GRCh38,
        label: Some("test".into()),
        flank: 10,
        whole_transcripts: false,
    }
}

fn check_model(d: &RefData, id: &str) {
    assert_eq!(d.transcripts.len(), 1, "{:?}", d.transcripts);
    let t = &d.transcripts[0];
    assert_eq!(t.id.as_deref(), Some(id));
    assert_eq!(t.exons, vec![(11, 40), (61, 90)]);
    match &t.coding {
        CodingRegion::Coding(c) => assert_eq!((c.start, c.end, c.phase), (21, 73, 0)),
        other => panic!("{other:?}"),
    }
    assert!(t.flags.mane_select);
    assert_eq!(t.gene_symbol.as_deref(), Some("GENEA"));
}

#[test]
fn three_flavours_give_the_same_model_and_annotation() {
    let dir = tempfile::tempdir().unwrap();
    let fa = fasta(dir.path(), "chr1");
    let cases = [
        (write(dir.path(), "ens.gff3", ENSEMBL_GFF3), "TX1.1", "P1"),
        (
            write(dir.path(), "gencode.gtf", GENCODE_GTF),
            "TX1.1",
            "P1.1",
        ),
        (
            write(dir.path(), "refseq.gff", REFSEQ_GFF3),
            "NM_1.1",
            "NP_1.1",
        ),
    ];
    for (path, id, prot) in cases {
        let (d, stats) = build(&opts(vec![path.clone()], vec![fa.clone()])).unwrap();
        check_model(&d, id);
        assert_eq!(
            stats.sequence_bases, 100,
            "exons ± 10 bases, merged: 1..=50 and 51..=100"
        );
        let ann = Annotator::new(d);
        let t = &ann.annotate(&key(chr1(), 24, "A", "C"))[0];
        assert_eq!(t.consequences, vec![C::MissenseVariant]);
        assert_eq!(t.hgvs_c.as_deref(), Some(format!("{id}:c.4A>C").as_str()));
        assert_eq!(
            t.hgvs_p.as_deref(),
            Some(format!("{prot}:p.Lys2Gln").as_str())
        );
    }
    // RefSeq extras: NCBI/HGNC ids from Dbxref, pseudogene exons hung on a gene are skipped
    let (d, stats) = build(&opts(vec![dir.path().join("refseq.gff")], vec![])).unwrap();
    assert_eq!(d.transcripts[0].ncbi_gene_id, Some(4242));
    assert_eq!(d.transcripts[0].hgnc_id.as_deref(), Some("HGNC:99"));
    assert_eq!(stats.gene_level_exons, 1);
    assert_eq!(stats.skipped_features, 1, "the NT_ contig");
}

#[test]
fn compiled_file_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let fa = fasta(dir.path(), "1");
    let g = write(dir.path(), "ens.gff3", ENSEMBL_GFF3);
    let (d, _) = build(&opts(vec![g], vec![fa])).unwrap();
    let out = dir.path().join("x.odyref");
    d.save(&out, 3).unwrap();
    let a = Annotator::from_path(&out).unwrap();
    assert!(a.has_sequence());
    assert_eq!(a.release(), "test");
    assert_eq!(
        a.annotate(&key(chr1(), 26, "A", "AAAA"))[0]
            .hgvs_p
            .as_deref(),
        Some("P1:p.Lys2dup")
    );
    // a file that is not one
    let bad = write(dir.path(), "bad.odyref", "hello");
    assert!(matches!(
        Annotator::from_path(&bad),
        Err(Error::BadStore { .. })
    ));
}

#[test]
fn bad_inputs_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let broken = ENSEMBL_GFF3.replace("1\tensembl\texon\t61\t90", "1\tensembl\texon\t91\t60");
    let g = write(dir.path(), "broken.gff3", &broken);
    match build(&opts(vec![g.clone()], vec![])) {
        Err(Error::Parse {
            path,
            line,
            message,
        }) => {
            assert_eq!(path, g);
            assert_eq!(line, 6);
            assert!(message.contains("before start"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let orphan = write(
        dir.path(),
        "orphan.gff3",
        "1\tx\texon\t1\t10\t.\t+\t.\tParent=nowhere\n",
    );
    assert!(matches!(
        build(&opts(vec![orphan], vec![])),
        Err(Error::Parse { line: 1, .. })
    ));
    let g37 = write(
        dir.path(),
        "g37.gff",
        &REFSEQ_GFF3.replace("NC_000001.11", "NC_000001.10"),
    );
    match build(&opts(vec![g37], vec![])) {
        Err(Error::Parse { message, .. }) => assert!(message.contains("GRCh38"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn vcf_gets_a_described_csq_field() {
    let dir = tempfile::tempdir().unwrap();
    let ann = annotator(true);
    let vcf = write(
        dir.path(),
        "in.vcf",
        "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
         1\t24\trs1\tA\tC,T\t50\tPASS\tDP=10\n1\t5\t.\tT\t<DEL>\t.\t.\t.\nchrUn_x\t5\t.\tA\tG\t.\t.\t.\n",
    );
    let out = dir.path().join("out.vcf");
    let stats = annotate_vcf(&vcf, &out, &ann, &VcfOptions::default()).unwrap();
    assert_eq!(
        (
            stats.records,
            stats.alleles,
            stats.skipped_alleles,
            stats.ref_mismatches
        ),
        (3, 2, 2, 0)
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains(
        "##INFO=<ID=CSQ,Number=.,Type=String,Description=\"Consequence annotations from Odyssey"
    ));
    let line = text.lines().find(|l| l.starts_with("1\t24")).unwrap();
    let info = line.split('\t').nth(7).unwrap();
    assert!(info.starts_with("DP=10;CSQ=C|missense_variant|MODERATE|GENEA|G1|Transcript|TX1.1|protein_coding|1/2||TX1.1:c.4A>C|P1.1:p.Lys2Gln"), "{info}");
    assert!(info.contains(",T|stop_gained|HIGH|GENEA"), "{info}");
    // untouched records keep their INFO
    assert!(text.contains("1\t5\t.\tT\t<DEL>\t.\t.\t."));
    // bgzip output is readable gzip
    let gz = dir.path().join("out.vcf.gz");
    annotate_vcf(
        &vcf,
        &gz,
        &ann,
        &VcfOptions {
            threads: 2,
            ..Default::default()
        },
    )
    .unwrap();
    let mut s = String::new();
    std::io::Read::read_to_string(
        &mut flate2::read::MultiGzDecoder::new(std::fs::File::open(&gz).unwrap()),
        &mut s,
    )
    .unwrap();
    assert_eq!(s, text);
    // HGVS predicted-consequence form on request
    let paren = dir.path().join("paren.vcf");
    let opts = VcfOptions {
        predicted_parentheses: true,
        ..Default::default()
    };
    annotate_vcf(&vcf, &paren, &ann, &opts).unwrap();
    let p = std::fs::read_to_string(&paren).unwrap();
    assert!(p.contains("|TX1.1:c.4A>C|P1.1:p.(Lys2Gln)|"), "{p}");
    assert_eq!(odyssey_annotate::hgvs_p_predicted("p.?"), "p.?");
    assert_eq!(
        odyssey_annotate::hgvs_p_predicted("NP_1.1:p.Leu5="),
        "NP_1.1:p.(Leu5=)"
    );
    // a malformed record is reported with its line
    let bad = write(
        dir.path(),
        "bad.vcf",
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\tx\t.\tA\tC\t.\t.\t.\n",
    );
    match annotate_vcf(
        &bad,
        &dir.path().join("o.vcf"),
        &ann,
        &VcfOptions::default(),
    ) {
        Err(Error::Parse { line, .. }) => assert_eq!(line, 3),
        other => panic!("{other:?}"),
    }
}

#[test]
fn compressed_fasta_with_or_without_index_gives_the_same_sequence() {
    use noodles::{bgzf, fasta};
    let dir = tempfile::tempdir().unwrap();
    let s = forward_sequence();
    let mut text = String::from(">chr1 test\n");
    for chunk in s.as_bytes().chunks(7) {
        text.push_str(std::str::from_utf8(chunk).unwrap());
        text.push('\n');
    }
    text.push_str(">chrUn_x\nACGT\n");
    let plain = write(dir.path(), "plain.fa", &text);
    let gff = write(dir.path(), "ens.gff3", ENSEMBL_GFF3);
    // plain gzip (Ensembl's download format) and bgzip without indexes: streamed
    let gz = dir.path().join("ref.fa.gz");
    let mut e = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    e.write_all(text.as_bytes()).unwrap();
    e.finish().unwrap();
    let bgz = dir.path().join("ref.fa.bgz");
    let mut w = bgzf::io::Writer::new(std::fs::File::create(&bgz).unwrap());
    w.write_all(text.as_bytes()).unwrap();
    w.finish().unwrap();
    // bgzip with .fai and .gzi: random access
    let idx = dir.path().join("idx.fa.gz");
    std::fs::copy(&bgz, &idx).unwrap();
    fasta::fai::fs::write(
        dir.path().join("idx.fa.gz.fai"),
        &fasta::fs::index(&plain).unwrap(),
    )
    .unwrap();
    bgzf::gzi::fs::write(
        dir.path().join("idx.fa.gz.gzi"),
        &bgzf::gzi::Index::default(),
    )
    .unwrap();

    let seq_of = |fa: &PathBuf| {
        let mut o = opts(vec![gff.clone()], vec![fa.clone()]);
        o.flank = 2;
        let (d, stats) = build(&o).unwrap();
        assert_eq!(
            stats.sequence_bases,
            34 + 34,
            "{fa:?}: exons 11-40 and 61-90 ± 2"
        );
        let seq = d.sequence.unwrap();
        (1..=120u32)
            .map(|p| seq.fetch(chr1(), p, p))
            .collect::<Vec<_>>()
    };
    let want = seq_of(&plain);
    assert_eq!(want[8].as_deref(), Some(&s.as_bytes()[8..9]));
    assert_eq!(want[7], None, "outside the flank");
    for fa in [&gz, &bgz, &idx] {
        assert_eq!(seq_of(fa), want, "{fa:?}");
    }
}

/// A REF that differs from the reference is counted with its line and position (issue 13):
/// position 25 of the test construct is A (ATGAAAG… from 21).
#[test]
fn ref_mismatches_name_line_and_position() {
    let dir = tempfile::tempdir().unwrap();
    let ann = annotator(true);
    let vcf = write(
        dir.path(),
        "in.vcf",
        "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n\
         1\t24\t.\tA\tC\t.\t.\t.\n1\t25\t.\tC\tT,G\t.\t.\t.\n1\t24\t.\tAA\tA\t.\t.\t.\n",
    );
    let stats = annotate_vcf(
        &vcf,
        &dir.path().join("out.vcf"),
        &ann,
        &VcfOptions::default(),
    )
    .unwrap();
    // one record with two alleles counts once
    assert_eq!(stats.ref_mismatches, 1);
    assert_eq!(
        stats.ref_mismatch_examples,
        ["line 4: 1:25 REF C, reference A"]
    );
}
