//! Errors that say where (issue 13): invalid UTF-8 and damaged gzip streams in PED,
//! phenopacket and HPO release files name the line and byte; an empty GFF3 names the file.

mod common;

use std::io::Write;

use common::{odyssey, Scratch};

fn error_line(o: &std::process::Output) -> String {
    assert!(!o.status.success());
    let e = String::from_utf8_lossy(&o.stderr);
    e.lines()
        .find(|l| l.starts_with("error: "))
        .unwrap_or_else(|| panic!("no error line in {e}"))
        .to_string()
}

#[test]
fn invalid_utf8_names_line_and_byte() {
    let s = Scratch::new("utf8");
    // PED: byte 0xff on line 2 (its offset counted from the bytes written)
    let ped = b"fam\tkid\t0\t0\t1\t2\nfam\tdad\t0\t0\t1\t1\xff\n";
    std::fs::write(s.path("bad.ped"), ped).unwrap();
    let at = ped.iter().position(|&b| b == 0xff).unwrap();
    s.write(
        "in.vcf",
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"GT\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\nchr1\t1000000\t.\tC\tT\t.\tPASS\t.\tGT\t0/1\n",
    );
    let o = odyssey(
        &s.0,
        &[
            "analyze",
            "--hpo",
            "HP:0001250",
            "--vcf",
            "in.vcf",
            "--ped",
            "bad.ped",
        ],
    );
    assert_eq!(
        error_line(&o),
        format!("error: bad.ped: line 2 (byte {at}): not valid UTF-8 text (found byte 0xff; expected a UTF-8 text file)")
    );
    // a phenopacket
    std::fs::write(
        s.path("bad.json"),
        b"{\n\"id\":\"x\xfe\",\"phenotypicFeatures\":[{\"type\":{\"id\":\"HP:0001250\"}}]}",
    )
    .unwrap();
    let o = odyssey(&s.0, &["analyze", "bad.json"]);
    assert_eq!(
        error_line(&o),
        "error: bad.json: line 2 (byte 9): not valid UTF-8 text (found byte 0xfe; expected a UTF-8 text file)"
    );
}

#[test]
fn hpo_release_files_name_line_and_byte() {
    let s = Scratch::new("hpo-utf8");
    let mini = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../odyssey-kb/tests/fixtures/mini"
    );
    std::fs::create_dir_all(s.path("hpo")).unwrap();
    for f in ["hp.obo", "phenotype.hpoa", "genes_to_phenotype.txt"] {
        std::fs::copy(format!("{mini}/{f}"), s.path("hpo").join(f)).unwrap();
    }
    let obo = std::fs::read(s.path("hpo/hp.obo")).unwrap();
    let name = b"name: Autosomal recessive inheritance";
    let at = obo.windows(name.len()).position(|w| w == name).unwrap();
    let mut bad = obo.clone();
    bad[at + 6] = 0xff; // the 'A' of the name
    std::fs::write(s.path("hpo/hp.obo"), &bad).unwrap();
    let line = obo[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let o = odyssey(&s.0, &["kb", "build", "--hpo", "hpo", "-o", "k.odkb"]);
    assert_eq!(
        error_line(&o),
        format!(
            "error: hpo/hp.obo: line {line} (byte {}): not valid UTF-8 text (found byte 0xff; expected a UTF-8 text file)",
            at + 6
        )
    );
    assert!(!s.path("k.odkb").exists());
    // a truncated gzip phenotype.hpoa: the line reached is named
    std::fs::write(s.path("hpo/hp.obo"), &obo).unwrap();
    let hpoa = std::fs::read(s.path("hpo/phenotype.hpoa")).unwrap();
    std::fs::remove_file(s.path("hpo/phenotype.hpoa")).unwrap();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(&hpoa.repeat(40)).unwrap();
    let gz = e.finish().unwrap();
    std::fs::write(s.path("hpo/phenotype.hpoa.gz"), &gz[..gz.len() / 2]).unwrap();
    let o = odyssey(&s.0, &["kb", "build", "--hpo", "hpo", "-o", "k.odkb"]);
    let e = error_line(&o);
    assert!(
        e.starts_with("error: hpo/phenotype.hpoa.gz: line ")
            && e.contains("bytes of decompressed text)")
            && e.ends_with("the compressed file is truncated or damaged"),
        "{e}"
    );
}

#[test]
fn an_empty_gff_names_the_file() {
    let s = Scratch::new("empty-gff");
    s.write("empty.gff3", "");
    let o = odyssey(
        &s.0,
        &[
            "refdata",
            "build",
            "--gff",
            "empty.gff3",
            "--assembly",
            "GRCh38",
            "-o",
            "e.odyref",
        ],
    );
    assert_eq!(
        error_line(&o),
        "error: empty.gff3: empty file: expected GFF3 feature lines"
    );
    s.write("header.gff3", "##gff-version 3\n");
    let o = odyssey(
        &s.0,
        &[
            "refdata",
            "build",
            "--gff",
            "header.gff3",
            "--assembly",
            "GRCh38",
            "-o",
            "e.odyref",
        ],
    );
    assert!(
        error_line(&o).contains(
            "no transcripts on primary chromosomes in the gene-model files (header.gff3)"
        ),
        "{}",
        error_line(&o)
    );
}

/// `analyze` with reference data holding the reference sequence warns about VCF REF alleles
/// that differ from it, naming the lines and positions (as `annotate` does); a VCF whose REF
/// alleles match gets no such warning.
#[test]
fn analyze_warns_about_ref_alleles_that_differ_from_the_reference() {
    let s = Scratch::new("ref-mismatch");
    // chromosome 1 is ACGT repeated: position p holds "ACGT"[(p - 1) % 4]
    s.write("ref.fa", &format!(">1\n{}\n", "ACGT".repeat(30)));
    s.write(
        "g.gff3",
        "##gff-version 3\n\
         1\tt\tgene\t11\t90\t.\t+\t.\tID=gene:G1;Name=GENEA;biotype=lncRNA\n\
         1\tt\tmRNA\t11\t90\t.\t+\t.\tID=transcript:TX1;Parent=gene:G1;biotype=lncRNA\n\
         1\tt\texon\t11\t90\t.\t+\t.\tParent=transcript:TX1\n",
    );
    let o = odyssey(
        &s.0,
        &[
            "refdata",
            "build",
            "--gff",
            "g.gff3",
            "--fasta",
            "ref.fa",
            "--assembly",
            "GRCh38",
            "-o",
            "r.odyref",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let head = "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tkid\n";
    // 25 holds A (the VCF says C), 26 holds C (matches), 31-32 hold GT (the VCF says GA)
    let rec = |pos: u32, r: &str, a: &str| format!("1\t{pos}\t.\t{r}\t{a}\t50\tPASS\t.\tGT\t0/1\n");
    s.write(
        "bad.vcf",
        &format!(
            "{head}{}{}{}",
            rec(25, "C", "T"),
            rec(26, "C", "T"),
            rec(31, "GA", "G")
        ),
    );
    s.write("good.vcf", &format!("{head}{}", rec(26, "C", "T")));
    let analyze = |vcf: &str| {
        let o = odyssey(
            &s.0,
            &[
                "analyze",
                "--hpo",
                "HP:0001250",
                "--vcf",
                vcf,
                "--refdata",
                "r.odyref",
                "--assembly",
                "GRCh38",
                "--top",
                "1",
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    let e = analyze("bad.vcf");
    assert!(
        e.contains("bad.vcf: 2 record(s) have a REF that differs from the reference sequence of the reference data (first: line 5: 1:25 REF C, reference A; line 7: 1:31 REF GA, reference GT)"),
        "{e}"
    );
    let e = analyze("good.vcf");
    assert!(!e.contains("REF that differs"), "{e}");
}
