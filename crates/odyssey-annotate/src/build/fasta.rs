//! Reference sequence extraction from FASTA with `.fai` (and bgzip `.gzi`) random access,
//! read with noodles-fasta.
//!
//! Record names may be chromosome names (`chr1`, `1`, `NC_000001.11`) or region names as
//! written by `samtools faidx ref.fa 21:1000-2000`, whose sequence then starts at that offset.
//!
//! A compressed FASTA without `.fai` + `.gzi` (for example Ensembl's plain-gzip
//! `*.dna.primary_assembly.fa.gz`) is streamed once instead, keeping only the needed intervals.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use noodles::core::{Position, Region};
use noodles::fasta;
use odyssey_genome::{Assembly, Chrom};

use super::contig::{classify, Contig};
use crate::error::Error;
use crate::seq::SequenceStore;

struct Piece {
    file: usize,
    name: String,
    offset: u32,
    len: u32,
}

/// Fetches the given intervals (merged, sorted per chromosome) from the FASTA files into a
/// store; parts not present in any FASTA are left out. Errors name the file.
pub(crate) fn extract(
    paths: &[PathBuf],
    assembly: Assembly,
    intervals: &BTreeMap<Chrom, Vec<(u32, u32)>>,
) -> Result<SequenceStore, Error> {
    let mut readers = Vec::new();
    let mut pieces: BTreeMap<Chrom, Vec<Piece>> = BTreeMap::new();
    let mut streamed: Vec<(u32, Chrom, Vec<u8>)> = Vec::new();
    for (fi, path) in paths.iter().enumerate() {
        let Some(index) = load_index(path)? else {
            stream(path, assembly, intervals, &mut streamed)?;
            readers.push(None);
            continue;
        };
        for rec in index.as_ref() {
            let name = rec.name().to_string();
            match classify(&name, assembly) {
                Contig::Primary(c, offset) => pieces.entry(c).or_default().push(Piece {
                    file: fi,
                    name,
                    offset,
                    len: rec.length() as u32,
                }),
                Contig::Other => {}
                Contig::WrongAssembly(msg) => {
                    return Err(Error::parse(
                        path,
                        0,
                        format!(
                            "FASTA record {msg}: the FASTA is for another assembly than {assembly}"
                        ),
                    ))
                }
            }
        }
        let reader = fasta::io::indexed_reader::Builder::default()
            .set_index(index)
            .build_from_path(path)
            .map_err(|e| Error::io(path, e))?;
        readers.push(Some(reader));
    }
    let mut store = SequenceStore::new();
    for (chrom, ivs) in intervals {
        let mut parts: Vec<(u32, Vec<u8>)> = Vec::new();
        for (s, c, bases) in streamed.iter_mut() {
            if c == chrom {
                parts.push((*s, std::mem::take(bases)));
            }
        }
        let ps = pieces.get(chrom).map_or(&[][..], Vec::as_slice);
        for &(a, b) in ivs {
            for p in ps {
                let lo = a.max(p.offset + 1);
                let hi = b.min(p.offset + p.len);
                if lo > hi {
                    continue;
                }
                let start = Position::try_from((lo - p.offset) as usize).expect("positive");
                let end = Position::try_from((hi - p.offset) as usize).expect("positive");
                let region = Region::new(p.name.as_str(), start..=end);
                let reader = readers[p.file]
                    .as_mut()
                    .expect("indexed FASTA has a reader");
                let rec = reader.query(&region).map_err(|e| {
                    Error::parse(
                        &paths[p.file],
                        0,
                        format!(
                            "cannot read {}:{}-{}: {e}",
                            p.name,
                            lo - p.offset,
                            hi - p.offset
                        ),
                    )
                })?;
                parts.push((lo, rec.sequence().as_ref().to_vec()));
            }
        }
        parts.sort_by_key(|x| x.0);
        let mut next_free = 0u32;
        for (start, bases) in parts {
            // overlapping FASTA records: keep the first copy of each base
            let skip = next_free.saturating_sub(start) as usize;
            if skip >= bases.len() {
                continue;
            }
            let s = start + skip as u32;
            store
                .add(*chrom, s, &bases[skip..])
                .map_err(Error::Invalid)?;
            next_free = s + (bases.len() - skip) as u32;
        }
    }
    Ok(store)
}

/// The `.fai` index of a FASTA, built in memory for an uncompressed file without one; `None`
/// for a compressed file lacking `.fai` or `.gzi` (read by streaming).
fn load_index(path: &Path) -> Result<Option<fasta::fai::Index>, Error> {
    check_fasta_start(path)?;
    let gz = path.extension().is_some_and(|e| e == "gz" || e == "bgz");
    if gz {
        let gzi = path.with_added_extension("gzi");
        return match fasta::fs::read_associated_index(path) {
            Ok(i) if gzi.exists() => Ok(Some(i)),
            _ => Ok(None),
        };
    }
    match fasta::fs::read_associated_index(path) {
        Ok(i) => Ok(Some(i)),
        Err(_) => fasta::fs::index(path)
            .map(Some)
            .map_err(|e| Error::parse(path, 0, format!("cannot index FASTA: {e}"))),
    }
}

/// Refuses a file whose (decompressed) first byte is not `>`, before any indexing or streaming
/// reads it whole: `/dev/zero` or a binary file fails at once (issue 13).
fn check_fasta_start(path: &Path) -> Result<(), Error> {
    use std::io::BufRead;
    let mut r = super::input::open_text(path)?;
    let first = r
        .fill_buf()
        .map_err(|e| Error::parse(path, 1, format!("unreadable FASTA: {e}")))?
        .first()
        .copied();
    match first {
        Some(b'>') => Ok(()),
        None => Err(Error::parse(
            path,
            1,
            "empty FASTA file (expected a '>' header line)".to_string(),
        )),
        Some(b) => Err(Error::parse(
            path,
            1,
            format!("expected a FASTA header line starting with '>', found byte 0x{b:02x}"),
        )),
    }
}

/// Position in the record being streamed: the chromosome's wanted intervals, the next one to
/// fill, and the 1-based position of the next base.
struct Cursor<'a> {
    ivs: &'a [(u32, u32)],
    next: usize,
    pos: u32,
}

/// Reads a (b)gzip FASTA sequentially, appending the parts of `intervals` it holds to `out`
/// as `(start, chromosome, bases)`.
fn stream(
    path: &Path,
    assembly: Assembly,
    intervals: &BTreeMap<Chrom, Vec<(u32, u32)>>,
    out: &mut Vec<(u32, Chrom, Vec<u8>)>,
) -> Result<(), Error> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    // an unwrapped chromosome 1 is a 249 Mb line; 512 MiB bounds memory for other inputs
    let mut reader = super::input::LineLimit::new(
        std::io::BufReader::with_capacity(1 << 20, flate2::read::MultiGzDecoder::new(file)),
        512 << 20,
    );
    let mut cur: Option<Cursor> = None;
    let mut line = Vec::with_capacity(256);
    let mut ln = 0u64;
    let mut open: Option<(u32, Chrom, Vec<u8>)> = None;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::parse(path, ln + 1, e.to_string()))?;
        if n == 0 {
            break;
        }
        ln += 1;
        let l = line.strip_suffix(b"\n").unwrap_or(&line);
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        if let Some(h) = l.strip_prefix(b">") {
            out.extend(open.take());
            let name = String::from_utf8_lossy(h);
            let name = name.split_whitespace().next().unwrap_or("");
            cur = match classify(name, assembly) {
                Contig::Primary(c, offset) => intervals.get(&c).map(|ivs| {
                    open = Some((0, c, Vec::new()));
                    Cursor {
                        ivs: ivs.as_slice(),
                        next: 0,
                        pos: offset + 1,
                    }
                }),
                Contig::Other => None,
                Contig::WrongAssembly(msg) => {
                    return Err(Error::parse(
                        path,
                        ln,
                        format!(
                            "FASTA record {msg}: the FASTA is for another assembly than {assembly}"
                        ),
                    ))
                }
            };
            continue;
        }
        let Some(Cursor { ivs, next, pos }) = cur.as_mut() else {
            continue;
        };
        let len = l.len() as u32;
        let (lo, hi) = (*pos, *pos + len); // [lo, hi)
        *pos = hi;
        while *next < ivs.len() && ivs[*next].1 < lo {
            *next += 1;
        }
        let mut k = *next;
        while k < ivs.len() && ivs[k].0 < hi {
            let (a, b) = ivs[k];
            let s = a.max(lo);
            let e = (b + 1).min(hi);
            let o = open.as_mut().expect("record open");
            if o.2.is_empty() || o.0 + o.2.len() as u32 != s {
                if !o.2.is_empty() {
                    let chrom = o.1;
                    out.push(std::mem::replace(o, (s, chrom, Vec::new())));
                }
                o.0 = s;
            }
            o.2.extend_from_slice(&l[(s - lo) as usize..(e - lo) as usize]);
            if b + 1 > hi {
                break;
            }
            k += 1;
        }
    }
    out.extend(open.take());
    out.retain(|x| !x.2.is_empty());
    Ok(())
}
