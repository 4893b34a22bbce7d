//! Annotating a VCF: every ALT allele of every record gets VEP-style `CSQ` entries, one per
//! transcript, in an INFO field whose header lists the subfields.
//!
//! The header is validated with noodles-vcf; records are read line by line (plain, gzip or
//! bgzip input) so that everything except INFO is copied unchanged. Output ending in `.gz` is
//! bgzip-compressed (noodles-bgzf), so it can be indexed with `tabix`.

use std::io::{BufRead, Write};
use std::path::Path;

use odyssey_genome::{Chrom, VariantKey};
use rayon::prelude::*;

use crate::annotator::{Annotator, TranscriptAnnotation};
use crate::build::input_open;
use crate::error::Error;

/// Subfields of the CSQ field, in order.
pub const CSQ_FIELDS: &[&str] = &[
    "Allele",
    "Consequence",
    "IMPACT",
    "SYMBOL",
    "Gene",
    "Feature_type",
    "Feature",
    "BIOTYPE",
    "EXON",
    "INTRON",
    "HGVSc",
    "HGVSp",
    "cDNA_position",
    "CDS_position",
    "Protein_position",
    "Amino_acids",
    "Codons",
    "DISTANCE",
    "STRAND",
    "HGNC_ID",
    "MANE_SELECT",
    "MANE_PLUS_CLINICAL",
    "CANONICAL",
    "REFSEQ_MATCH",
    "SEQUENCE",
];

/// Options for [`annotate_vcf`].
#[derive(Clone, Debug)]
pub struct VcfOptions {
    /// INFO key to write (default `CSQ`); an input already carrying it is refused.
    pub field: String,
    /// Worker threads for annotation (1 = annotate on the calling thread).
    pub threads: usize,
    /// Records annotated per batch.
    pub batch: usize,
    /// Write `HGVSp` as HGVS predicted consequences, in parentheses (`p.(Arg97Cys)`); default
    /// `false`: the bare form VEP writes.
    pub predicted_parentheses: bool,
}

impl Default for VcfOptions {
    fn default() -> Self {
        VcfOptions {
            field: "CSQ".into(),
            threads: 1,
            batch: 4096,
            predicted_parentheses: false,
        }
    }
}

/// What happened during [`annotate_vcf`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VcfStats {
    /// Data lines read.
    pub records: u64,
    /// ALT alleles annotated.
    pub alleles: u64,
    /// ALT alleles not annotated: symbolic (`<DEL>`), breakends, `*`, or on a contig that is not
    /// a primary chromosome.
    pub skipped_alleles: u64,
    /// Records whose REF disagrees with the stored reference sequence (when available).
    pub ref_mismatches: u64,
    /// The first (up to 5) of [`VcfStats::ref_mismatches`], in input order:
    /// `line 12: 1:12345 REF A, reference G`.
    pub ref_mismatch_examples: Vec<String>,
}

/// Bytes that must be percent-encoded inside an INFO value (VCF 4.3 §1.2) or a CSQ subfield.
const SPECIAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b';' as usize] = true;
    t[b'=' as usize] = true;
    t[b',' as usize] = true;
    t[b'|' as usize] = true;
    t[b' ' as usize] = true;
    t[b'%' as usize] = true;
    t
};

fn escape(s: &str, out: &mut String) {
    let b = s.as_bytes();
    if !b.iter().any(|&c| SPECIAL[c as usize]) {
        out.push_str(s);
        return;
    }
    let mut last = 0;
    for (i, &c) in b.iter().enumerate() {
        if !SPECIAL[c as usize] {
            continue;
        }
        out.push_str(&s[last..i]);
        out.push_str(match c {
            b';' => "%3B",
            b'=' => "%3D",
            b',' => "%2C",
            b'|' => "%7C",
            b' ' => "%20",
            _ => "%25",
        });
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// A gzip (or bgzip) decoding reader.
pub fn gz_reader<R: std::io::Read>(r: R) -> impl std::io::Read {
    flate2::read::MultiGzDecoder::new(r)
}

/// Appends one CSQ entry (values percent-encoded where they would clash with VCF syntax).
pub fn csq_entry(allele: &str, a: &TranscriptAnnotation, out: &mut String) {
    use crate::fmtnum::push_u64;
    let sep = |out: &mut String| out.push('|');
    let opt = |out: &mut String, v: Option<&str>| {
        if let Some(v) = v {
            escape(v, out);
        }
    };
    escape(allele, out);
    sep(out);
    for (i, c) in a.consequences.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(c.as_str());
    }
    sep(out);
    out.push_str(match a.impact() {
        odyssey_genome::Impact::High => "HIGH",
        odyssey_genome::Impact::Moderate => "MODERATE",
        odyssey_genome::Impact::Low => "LOW",
        odyssey_genome::Impact::Modifier => "MODIFIER",
    });
    sep(out);
    opt(out, a.gene_symbol.as_deref());
    sep(out);
    opt(out, a.gene_id.as_deref());
    sep(out);
    if a.biotype.is_some() {
        out.push_str("Transcript");
    }
    sep(out);
    opt(out, a.transcript_id.as_deref());
    sep(out);
    opt(out, a.biotype.as_deref());
    sep(out);
    if let Some(r) = a.exon {
        r.push_to(out);
    }
    sep(out);
    if let Some(r) = a.intron {
        r.push_to(out);
    }
    sep(out);
    opt(out, a.hgvs_c.as_deref());
    sep(out);
    opt(out, a.hgvs_p.as_deref());
    let range = |out: &mut String, p: Option<(u32, u32)>| match p {
        Some((x, y)) if x == y => push_u64(out, u64::from(x)),
        Some((x, y)) => {
            push_u64(out, u64::from(x.min(y)));
            out.push('-');
            push_u64(out, u64::from(x.max(y)));
        }
        None => {}
    };
    sep(out);
    range(out, a.cdna_position);
    sep(out);
    range(out, a.cds_position);
    sep(out);
    range(out, a.protein_position);
    sep(out);
    opt(out, a.amino_acids.as_deref());
    sep(out);
    opt(out, a.codons.as_deref());
    sep(out);
    if let Some(d) = a.distance {
        push_u64(out, u64::from(d));
    }
    sep(out);
    if let Some(st) = a.strand {
        out.push_str(if st.sign() > 0 { "1" } else { "-1" });
    }
    sep(out);
    opt(out, a.hgnc_id.as_deref());
    sep(out);
    if a.is_mane_select {
        out.push_str("YES");
    }
    sep(out);
    if a.is_mane_plus_clinical {
        out.push_str("YES");
    }
    sep(out);
    if a.is_canonical {
        out.push_str("YES");
    }
    sep(out);
    opt(out, a.refseq_transcript_id.as_deref());
    sep(out);
    if a.biotype.is_some() {
        out.push_str(if a.sequence_available { "YES" } else { "NO" });
    }
}

/// The `##INFO` header line describing the CSQ field.
pub fn csq_header(field: &str, release: &str) -> String {
    format!(
        "##INFO=<ID={field},Number=.,Type=String,Description=\"Consequence annotations from Odyssey ({}). Format: {}\">",
        release.replace('"', "'"),
        CSQ_FIELDS.join("|")
    )
}

enum Out {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File(std::io::BufWriter<std::fs::File>),
    Bgzf(noodles::bgzf::io::MultithreadedWriter<std::fs::File>),
}

impl Out {
    fn file(file: std::fs::File, bgzf: bool, threads: usize) -> Out {
        if bgzf {
            let workers = std::num::NonZero::new(threads.max(1)).expect("non-zero");
            Out::Bgzf(noodles::bgzf::io::MultithreadedWriter::with_worker_count(
                workers, file,
            ))
        } else {
            Out::File(std::io::BufWriter::with_capacity(1 << 20, file))
        }
    }

    /// Flushes everything (the BGZF end-of-file block included); the file, if any.
    fn finish(self) -> std::io::Result<Option<std::fs::File>> {
        match self {
            Out::Stdout(mut w) => w.flush().map(|()| None),
            Out::File(w) => w.into_inner().map(Some).map_err(|e| e.into_error()),
            Out::Bgzf(mut w) => w.finish().map(Some),
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Out::Stdout(w) => w.write(buf),
            Out::File(w) => w.write(buf),
            Out::Bgzf(w) => w.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Out::Stdout(w) => w.flush(),
            Out::File(w) => w.flush(),
            Out::Bgzf(w) => w.flush(),
        }
    }
}

/// True when [`annotate_vcf`] writes an output of this name BGZF-compressed (`.gz`, `.bgz`).
pub fn bgzf_output(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "gz" || e == "bgz")
}

/// Annotates `input` (VCF, plain/gzip/bgzip, or `-` for stdin) into `output` (`.gz` → bgzip,
/// `-` → stdout), created or truncated at the start: callers that must not leave a partial file
/// behind write through a temporary file with [`annotate_vcf_to_file`]. Errors: unreadable files
/// ([`Error::Io`]), a malformed header or record ([`Error::Parse`] with the line number), an
/// input that already has the INFO field.
pub fn annotate_vcf(
    input: &Path,
    output: &Path,
    ann: &Annotator,
    opts: &VcfOptions,
) -> Result<VcfStats, Error> {
    let out = if output.as_os_str() == "-" {
        Out::Stdout(std::io::BufWriter::new(std::io::stdout()))
    } else {
        let f = std::fs::File::create(output).map_err(|e| Error::io(output, e))?;
        Out::file(f, bgzf_output(output), opts.threads)
    };
    annotate_into(input, out, output, ann, opts).map(|(s, _)| s)
}

/// As [`annotate_vcf`], into an open file (BGZF-compressed when `bgzf`); `output` names the
/// destination in error messages. Returns the statistics and the file, complete (flushed, not
/// synced to disk).
pub fn annotate_vcf_to_file(
    input: &Path,
    file: std::fs::File,
    bgzf: bool,
    output: &Path,
    ann: &Annotator,
    opts: &VcfOptions,
) -> Result<(VcfStats, std::fs::File), Error> {
    let (stats, file) = annotate_into(
        input,
        Out::file(file, bgzf, opts.threads),
        output,
        ann,
        opts,
    )?;
    Ok((stats, file.expect("a file output")))
}

/// With samples (more than 8 header columns), a record must have as many tab-separated
/// columns as the `#CHROM` line (issue 13: a record with fewer sample columns passed through).
fn check_columns(input: &Path, line_no: u64, line: &str, columns: usize) -> Result<(), Error> {
    if columns <= 8 {
        return Ok(());
    }
    let found = line.split('\t').count();
    if found == columns {
        return Ok(());
    }
    Err(Error::parse(
        input,
        line_no,
        format!(
            "{found} tab-separated columns, expected {columns} as in the #CHROM header line ({} sample columns)",
            columns - 9
        ),
    ))
}

fn annotate_into(
    input: &Path,
    mut out: Out,
    output: &Path,
    ann: &Annotator,
    opts: &VcfOptions,
) -> Result<(VcfStats, Option<std::fs::File>), Error> {
    let reader: Box<dyn BufRead> = if input.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        input_open(input)?
    };
    let out_err = |e| Error::io(output, e);
    let mut stats = VcfStats::default();
    let mut lines = reader.lines();
    let mut line_no = 0u64;
    // header
    let mut header = String::new();
    let mut column_line = None;
    for l in lines.by_ref() {
        let l = l.map_err(|e| Error::parse(input, line_no + 1, format!("unreadable line: {e}")))?;
        line_no += 1;
        if l.starts_with("##") {
            header.push_str(&l);
            header.push('\n');
            continue;
        }
        if l.starts_with("#CHROM") {
            column_line = Some(l);
            break;
        }
        return Err(Error::parse(
            input,
            line_no,
            "expected a VCF header (## lines, then the #CHROM line)",
        ));
    }
    let Some(column_line) = column_line else {
        return Err(Error::parse(input, line_no, "no #CHROM header line"));
    };
    let full = format!("{header}{column_line}\n");
    full.parse::<noodles::vcf::Header>()
        .map_err(|e| Error::parse(input, line_no, format!("invalid VCF header: {e}")))?;
    if header.contains(&format!("##INFO=<ID={},", opts.field)) {
        return Err(Error::parse(
            input,
            0,
            format!(
                "the input already has an INFO/{} field; choose another name with --field",
                opts.field
            ),
        ));
    }
    out.write_all(header.as_bytes()).map_err(out_err)?;
    writeln!(out, "{}", csq_header(&opts.field, ann.release())).map_err(out_err)?;
    writeln!(
        out,
        "##odyssey_annotate=<release=\"{}\",assembly={}>",
        ann.release().replace('"', "'"),
        ann.assembly()
    )
    .map_err(out_err)?;
    writeln!(out, "{column_line}").map_err(out_err)?;
    let columns = column_line.split('\t').count();

    let pool = if opts.threads > 1 {
        Some(
            rayon::ThreadPoolBuilder::new()
                .num_threads(opts.threads)
                .build()
                .map_err(|e| Error::Invalid(e.to_string()))?,
        )
    } else {
        None
    };
    let mut batch: Vec<(u64, String)> = Vec::with_capacity(opts.batch);
    let mut done = false;
    while !done {
        batch.clear();
        for l in lines.by_ref() {
            let l =
                l.map_err(|e| Error::parse(input, line_no + 1, format!("unreadable line: {e}")))?;
            line_no += 1;
            if l.is_empty() {
                continue;
            }
            check_columns(input, line_no, &l, columns)?;
            batch.push((line_no, l));
            if batch.len() == opts.batch {
                break;
            }
        }
        if batch.len() < opts.batch {
            done = true;
        }
        let work = |(n, l): &(u64, String)| annotate_line(input, *n, l, ann, opts);
        let results: Vec<Result<(String, VcfStats), Error>> = match &pool {
            Some(p) => p.install(|| batch.par_iter().map(work).collect()),
            None => batch.iter().map(work).collect(),
        };
        for r in results {
            let (text, s) = r?;
            stats.records += 1;
            stats.alleles += s.alleles;
            stats.skipped_alleles += s.skipped_alleles;
            stats.ref_mismatches += s.ref_mismatches;
            for e in s.ref_mismatch_examples {
                if stats.ref_mismatch_examples.len() < 5 {
                    stats.ref_mismatch_examples.push(e);
                }
            }
            out.write_all(text.as_bytes()).map_err(out_err)?;
            out.write_all(b"\n").map_err(out_err)?;
        }
    }
    let file = out.finish().map_err(out_err)?;
    Ok((stats, file))
}

fn annotate_line(
    input: &Path,
    n: u64,
    line: &str,
    ann: &Annotator,
    opts: &VcfOptions,
) -> Result<(String, VcfStats), Error> {
    let field = opts.field.as_str();
    let mut s = VcfStats::default();
    // the first eight columns; the rest (FORMAT and samples) is copied unchanged
    let mut cols: [&str; 8] = [""; 8];
    let mut rest: Option<&str> = None;
    let mut it = line.splitn(9, '\t');
    for (i, c) in cols.iter_mut().enumerate() {
        *c = it.next().ok_or_else(|| {
            Error::parse(
                input,
                n,
                format!("expected at least 8 tab-separated columns, found {i}"),
            )
        })?;
    }
    if let Some(r) = it.next() {
        rest = Some(r);
    }
    let pos: u32 = cols[1].parse().map_err(|_| {
        Error::parse(
            input,
            n,
            format!("POS {:?} is not a positive integer", cols[1]),
        )
    })?;
    let chrom = cols[0].parse::<Chrom>().ok();
    let mut out = String::with_capacity(line.len() + 1024);
    for c in &cols[..7] {
        out.push_str(c);
        out.push('\t');
    }
    let info = cols[7];
    let keep_info = !(info == "." || info.is_empty());
    if keep_info {
        out.push_str(info);
    }
    let info_end = out.len();
    let mut first = true;
    for alt in cols[4].split(',') {
        let key = chrom.and_then(|c| VariantKey::new(c, pos, cols[3], alt).ok());
        let Some(key) = key else {
            s.skipped_alleles += 1;
            continue;
        };
        s.alleles += 1;
        if let Some(seq) = ann.data().sequence.as_ref() {
            if let Some(refb) = seq.fetch(key.chrom, pos, pos + cols[3].len() as u32 - 1) {
                if !refb.eq_ignore_ascii_case(cols[3].as_bytes()) && s.ref_mismatches == 0 {
                    s.ref_mismatches = 1;
                    s.ref_mismatch_examples.push(format!(
                        "line {n}: {}:{pos} REF {}, reference {}",
                        cols[0],
                        cols[3],
                        String::from_utf8_lossy(&refb)
                    ));
                }
            }
        }
        for mut a in ann.annotate(&key) {
            if opts.predicted_parentheses {
                a.hgvs_p = a.hgvs_p.map(|p| crate::hgvs_p::predicted(&p));
            }
            if first {
                if keep_info {
                    out.push(';');
                }
                out.push_str(field);
                out.push('=');
                first = false;
            } else {
                out.push(',');
            }
            csq_entry(alt, &a, &mut out);
        }
    }
    if out.len() == info_end && !keep_info {
        out.push('.');
    }
    if let Some(r) = rest {
        out.push('\t');
        out.push_str(r);
    }
    Ok((out, s))
}
