//! GFF3 gene models: Ensembl, GENCODE and NCBI RefSeq flavours, read with noodles-gff.
//!
//! A transcript is any feature that is the `Parent` of `exon` features, whatever its type
//! (`mRNA`, `transcript`, `lnc_RNA`, `NMD_transcript_variant`, `pseudogenic_transcript`…); its
//! own `Parent` is the gene. `CDS` and `stop_codon` children give the coding region.

use std::collections::HashMap;
use std::path::Path;

use noodles::gff;
use noodles::gff::feature::record::{Phase, Strand as GffStrand};
use odyssey_genome::Assembly;

use super::assemble::RawTx;
use super::contig::{classify, Contig};
use super::input::open_text;
use super::BuildStats;
use crate::error::Error;
use crate::model::Strand;

#[derive(Default)]
struct Feat {
    ty: String,
    parents: Vec<String>,
    attrs: Vec<(String, Vec<String>)>,
    chrom_line: u64,
}

impl Feat {
    fn get(&self, key: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.first())
            .map(|s| s.as_str())
    }

    fn all(&self, key: &str) -> &[String] {
        self.attrs
            .iter()
            .find(|(k, _)| k == key)
            .map_or(&[], |(_, v)| v.as_slice())
    }
}

struct Child {
    parents: Vec<String>,
    kind: ChildKind,
    start: u32,
    end: u32,
    phase: u8,
    protein_id: Option<String>,
    chrom: Contig,
    strand: Option<Strand>,
    line: u64,
}

#[derive(PartialEq, Eq)]
enum ChildKind {
    Exon,
    Cds,
    StopCodon,
}

const KEEP: &[&str] = &[
    "ID",
    "Parent",
    "Name",
    "biotype",
    "transcript_id",
    "version",
    "gene_id",
    "gene_name",
    "gene_type",
    "transcript_type",
    "transcript_biotype",
    "gene_biotype",
    "tag",
    "protein_id",
    "Dbxref",
    "gene",
    "gbkey",
    "ncrna_class",
    "hgnc_id",
];

/// Reads a GFF3 file into raw transcripts, in steps: the features (exon, CDS and stop codon
/// children; other features by ID for their attributes) → the children grouped by transcript
/// → each transcript completed from its own and its gene's attributes. Features on
/// non-primary contigs are skipped (counted in `stats`); a `NC_` accession of the other
/// assembly is an error.
pub(crate) fn read_gff3(
    path: &Path,
    assembly: Assembly,
    stats: &mut BuildStats,
) -> Result<Vec<RawTx>, Error> {
    let (feats, children) = read_features(path, assembly, stats)?;
    let txs = group_by_transcript(path, children)?;
    complete_transcripts(path, txs, &feats, stats)
}

/// One GFF3 record, read.
enum Parsed {
    /// An exon, CDS or stop codon.
    Child(Child),
    /// Another feature with an ID.
    Feat(String, Feat),
    /// A child on a non-primary contig.
    Skipped,
    /// A feature without an ID, not a child.
    Nothing,
}

/// The features of the file, up to a `##FASTA` directive.
fn read_features(
    path: &Path,
    assembly: Assembly,
    stats: &mut BuildStats,
) -> Result<(HashMap<String, Feat>, Vec<Child>), Error> {
    let reader = open_text(path)?;
    let mut reader = gff::io::Reader::new(reader);
    let mut feats: HashMap<String, Feat> = HashMap::new();
    let mut children: Vec<Child> = Vec::new();
    let mut contigs: HashMap<String, Contig> = HashMap::new();
    let mut line_no = 0u64;
    let mut line = gff::Line::default();
    loop {
        let n = reader
            .read_line(&mut line)
            .map_err(|e| Error::parse(path, line_no + 1, format!("unreadable GFF3 line: {e}")))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if let Some(d) = line.as_directive() {
            if d.key() == "FASTA" {
                break;
            }
            continue;
        }
        if line.as_ref().iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let Some(rec) = line.as_record() else {
            continue;
        };
        let rec =
            rec.map_err(|e| Error::parse(path, line_no, format!("malformed GFF3 record: {e}")))?;
        match parse_record(path, line_no, &rec, assembly, &mut contigs)? {
            Parsed::Child(c) => children.push(c),
            Parsed::Feat(id, f) => {
                feats.insert(id, f);
            }
            Parsed::Skipped => stats.skipped_features += 1,
            Parsed::Nothing => {}
        }
    }
    Ok((feats, children))
}

/// One record: its type, coordinates (children only), strand, contig and kept attributes.
fn parse_record(
    path: &Path,
    line_no: u64,
    rec: &gff::Record<'_>,
    assembly: Assembly,
    contigs: &mut HashMap<String, Contig>,
) -> Result<Parsed, Error> {
    let ty = rec.ty().to_string();
    let kind = match ty.as_str() {
        "exon" | "pseudogenic_exon" => Some(ChildKind::Exon),
        "CDS" => Some(ChildKind::Cds),
        "stop_codon" => Some(ChildKind::StopCodon),
        _ => None,
    };
    let bad = |what: &str, e: std::io::Error| {
        Error::parse(
            path,
            line_no,
            format!("invalid {what}: {e} (expected GFF3's 9 tab-separated columns)"),
        )
    };
    // coordinates matter only for exon/CDS/stop_codon features; genes and transcripts are
    // kept for their attributes
    let (start, end) = if kind.is_some() {
        let start = rec.start().map_err(|e| bad("start", e))?.get() as u32;
        let end = rec.end().map_err(|e| bad("end", e))?.get() as u32;
        if end < start {
            return Err(Error::parse(
                path,
                line_no,
                format!("feature end {end} before start {start}"),
            ));
        }
        (start, end)
    } else {
        (0, 0)
    };
    let strand = match rec.strand().map_err(|e| bad("strand", e))? {
        GffStrand::Forward => Some(Strand::Forward),
        GffStrand::Reverse => Some(Strand::Reverse),
        _ => None,
    };
    let seqid = rec.reference_sequence_name().to_string();
    let contig = match contigs.get(&seqid) {
        Some(c) => clone_contig(c),
        None => {
            let c = classify(&seqid, assembly);
            contigs.insert(seqid.clone(), clone_contig(&c));
            c
        }
    };
    if let Contig::WrongAssembly(msg) = &contig {
        return Err(Error::parse(
            path,
            line_no,
            format!("{msg}: this file is for another assembly than {assembly}"),
        ));
    }
    let mut attrs: Vec<(String, Vec<String>)> = Vec::new();
    for kv in rec.attributes().iter() {
        let (k, v) =
            kv.map_err(|e| Error::parse(path, line_no, format!("malformed attributes: {e}")))?;
        if !KEEP.contains(&k.to_string().as_str()) {
            continue;
        }
        let vals: Vec<String> = match v {
            gff::record::attributes::field::Value::String(s) => vec![s.to_string()],
            gff::record::attributes::field::Value::Array(a) => {
                a.iter().map(|x| x.to_string()).collect()
            }
        };
        attrs.push((k.to_string(), vals));
    }
    let parents: Vec<String> = attrs
        .iter()
        .find(|(k, _)| k == "Parent")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    if let Some(kind) = kind {
        if matches!(contig, Contig::Other) {
            return Ok(Parsed::Skipped);
        }
        let phase = match rec.phase() {
            Some(Ok(Phase::Zero)) | None => 0,
            Some(Ok(Phase::One)) => 1,
            Some(Ok(Phase::Two)) => 2,
            Some(Err(e)) => return Err(bad("phase", e)),
        };
        if parents.is_empty() {
            return Err(Error::parse(
                path,
                line_no,
                format!("{ty} feature without a Parent attribute"),
            ));
        }
        let protein_id = attrs
            .iter()
            .find(|(k, _)| k == "protein_id")
            .and_then(|(_, v)| v.first().cloned());
        return Ok(Parsed::Child(Child {
            parents,
            kind,
            start,
            end,
            phase,
            protein_id,
            chrom: contig,
            strand,
            line: line_no,
        }));
    }
    if let Some(id) = attrs
        .iter()
        .find(|(k, _)| k == "ID")
        .and_then(|(_, v)| v.first().cloned())
    {
        return Ok(Parsed::Feat(
            id,
            Feat {
                ty,
                parents,
                attrs,
                chrom_line: line_no,
            },
        ));
    }
    Ok(Parsed::Nothing)
}

/// Children grouped by transcript (a child may have several parents).
fn group_by_transcript(path: &Path, children: Vec<Child>) -> Result<HashMap<String, RawTx>, Error> {
    let mut txs: HashMap<String, RawTx> = HashMap::new();
    for c in children {
        let Contig::Primary(chrom, _) = c.chrom else {
            continue;
        };
        for p in &c.parents {
            let t = txs.entry(p.clone()).or_insert_with(|| RawTx {
                id: p.clone(),
                line: c.line,
                ..Default::default()
            });
            if t.chrom.is_some_and(|x| x != chrom) {
                return Err(Error::parse(
                    path,
                    c.line,
                    format!("transcript {p} has parts on two chromosomes"),
                ));
            }
            t.chrom = Some(chrom);
            if t.strand.is_none() {
                t.strand = c.strand;
            }
            match c.kind {
                ChildKind::Exon => {
                    t.exons.push((c.start, c.end));
                    t.exon_lines.push(c.line);
                }
                ChildKind::Cds => {
                    t.cds.push((c.start, c.end, c.phase));
                    if t.protein_id.is_none() {
                        t.protein_id = c.protein_id.clone();
                    }
                }
                ChildKind::StopCodon => t.stop_codons.push((c.start, c.end)),
            }
        }
    }
    Ok(txs)
}

/// Transcripts completed from their feature and gene attributes, in file order; exons hung
/// directly on a gene are counted and dropped.
fn complete_transcripts(
    path: &Path,
    txs: HashMap<String, RawTx>,
    feats: &HashMap<String, Feat>,
    stats: &mut BuildStats,
) -> Result<Vec<RawTx>, Error> {
    let mut out = Vec::with_capacity(txs.len());
    for (key, mut t) in txs {
        if t.exons.is_empty() {
            // CDS without exons: GFF3 files that list only CDS (e.g. some RefSeq V/C gene
            // segments); use the CDS segments as exons
            t.exons = t.cds.iter().map(|c| (c.0, c.1)).collect();
        }
        let Some(f) = feats.get(&key) else {
            return Err(Error::parse(
                path,
                t.line,
                format!("exon/CDS Parent {key:?} has no feature with that ID"),
            ));
        };
        // exons hung directly on a top-level gene (RefSeq pseudogenes) describe no transcript
        if f.parents.is_empty() && (f.ty == "gene" || f.ty.ends_with("_gene")) {
            stats.gene_level_exons += t.exons.len() as u64;
            continue;
        }
        let gene = f.parents.first().and_then(|g| feats.get(g));
        fill(&mut t, &key, f, gene);
        let _ = f.chrom_line;
        out.push(t);
    }
    out.sort_by_key(|t| t.line);
    Ok(out)
}

fn clone_contig(c: &Contig) -> Contig {
    match c {
        Contig::Primary(a, b) => Contig::Primary(*a, *b),
        Contig::Other => Contig::Other,
        Contig::WrongAssembly(s) => Contig::WrongAssembly(s.clone()),
    }
}

fn strip_prefix(id: &str) -> &str {
    for p in ["transcript:", "rna-", "gene:", "gene-", "CDS:", "cds-"] {
        if let Some(s) = id.strip_prefix(p) {
            return s;
        }
    }
    id
}

fn fill(t: &mut RawTx, key: &str, f: &Feat, gene: Option<&Feat>) {
    // transcript id, versioned when the file gives a separate version (Ensembl GFF3)
    let id = f
        .get("transcript_id")
        .map(str::to_string)
        .unwrap_or_else(|| strip_prefix(key).to_string());
    t.id = match f.get("version") {
        Some(v) if !id.contains('.') && f.get("transcript_id").is_some() => format!("{id}.{v}"),
        _ => id,
    };
    t.tags = f.all("tag").to_vec();
    // biotype: Ensembl `biotype`, GENCODE `transcript_type`, else derived from the RefSeq type
    t.biotype = f
        .get("biotype")
        .or_else(|| f.get("transcript_type"))
        .or_else(|| f.get("transcript_biotype").filter(|b| *b != "mRNA"))
        .map(str::to_string)
        .or_else(|| refseq_biotype(f, !t.cds.is_empty()));
    // gene symbol and ids
    t.gene_symbol = f
        .get("gene_name")
        .or_else(|| f.get("gene"))
        .or_else(|| gene.and_then(|g| g.get("Name")))
        .or_else(|| gene.and_then(|g| g.get("gene_name")))
        .or_else(|| gene.and_then(|g| g.get("gene")))
        .map(str::to_string);
    let dbx: Vec<&String> = f
        .all("Dbxref")
        .iter()
        .chain(gene.map_or(&[][..], |g| g.all("Dbxref")))
        .collect();
    t.gene_id = f
        .get("gene_id")
        .or_else(|| gene.and_then(|g| g.get("gene_id")))
        .map(str::to_string)
        .or_else(|| {
            dbx.iter()
                .find_map(|d| d.strip_prefix("GeneID:"))
                .map(str::to_string)
        })
        .or_else(|| {
            gene.and_then(|_| f.parents.first())
                .map(|p| strip_prefix(p).to_string())
        });
    t.ncbi_gene_id = dbx
        .iter()
        .find_map(|d| d.strip_prefix("GeneID:"))
        .and_then(|g| g.parse().ok());
    t.hgnc_id = f
        .get("hgnc_id")
        .or_else(|| gene.and_then(|g| g.get("hgnc_id")))
        .map(str::to_string)
        .or_else(|| {
            dbx.iter()
                .find_map(|d| d.strip_prefix("HGNC:"))
                .map(str::to_string)
        });
    if let Some(p) = &t.protein_id {
        t.protein_id = Some(strip_prefix(p).to_string());
    }
}

/// RefSeq GFF3 carries no biotype attribute on transcripts: derive it from the feature type,
/// `gbkey` and `ncrna_class` (`mRNA` → `protein_coding`, `lnc_RNA` → `lncRNA`, …).
fn refseq_biotype(f: &Feat, coding: bool) -> Option<String> {
    if coding {
        return Some("protein_coding".into());
    }
    if let Some(c) = f.get("ncrna_class") {
        return Some(c.to_string());
    }
    Some(match f.ty.as_str() {
        "mRNA" => "protein_coding".into(),
        "lnc_RNA" => "lncRNA".into(),
        "transcript" => f.get("gbkey").unwrap_or("transcript").to_string(),
        other => other.to_string(),
    })
}
