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
    /// `.fai` layout: byte offset of the first base, bases per line, bytes per line.
    layout: (u64, u64, u64),
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
                    layout: (
                        rec.position(),
                        rec.line_base_count().get(),
                        rec.line_width().get(),
                    ),
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
                let bases = rec.sequence().as_ref();
                if let Some((i, b)) = first_non_base(bases) {
                    let q = u64::from(lo - p.offset) + i as u64; // 1-based in the record
                    let (off, lb, lw) = p.layout;
                    let byte = off + (q - 1) / lb * lw + (q - 1) % lb;
                    let line = line_of_byte(&paths[p.file], byte);
                    return Err(Error::parse(
                        &paths[p.file],
                        line,
                        bad_base_message(b, (q - 1) % lb + 1, &p.name, q),
                    ));
                }
                parts.push((lo, bases.to_vec()));
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
/// for a compressed file lacking `.fai` or `.gzi` (read by streaming). An existing `.fai` of
/// an uncompressed FASTA is checked against it ([`check_index`]); record names must be unique.
fn load_index(path: &Path) -> Result<Option<fasta::fai::Index>, Error> {
    check_fasta_start(path)?;
    let gz = path.extension().is_some_and(|e| e == "gz" || e == "bgz");
    let fai = path.with_added_extension("fai");
    if gz {
        let gzi = path.with_added_extension("gzi");
        return match fasta::fs::read_associated_index(path) {
            Ok(i) if gzi.exists() => {
                unique_names(&fai, &i)?;
                check_bgzip_index(path, &fai, &gzi, &i)?;
                Ok(Some(i))
            }
            _ => Ok(None),
        };
    }
    match fasta::fs::read_associated_index(path) {
        Ok(i) => {
            unique_names(&fai, &i)?;
            let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let size = f.metadata().map_err(|e| Error::io(path, e))?.len();
            check_index(path, &fai, &i, f, size)?;
            Ok(Some(i))
        }
        Err(_) => {
            let i = fasta::fs::index(path).map_err(|e| match locate_layout_problem(path) {
                Some((line, what)) => {
                    Error::parse(path, line, format!("cannot index FASTA: {what}"))
                }
                None => Error::parse(path, 0, format!("cannot index FASTA: {e}")),
            })?;
            unique_names(path, &i)?;
            Ok(Some(i))
        }
    }
}

/// Where an uncompressed FASTA breaks the layout an index needs (every line of a record but
/// the last as long as the first, no blank line inside a record): the 1-based line and what
/// is wrong. `None` when no such line is found (the indexer's own message is used).
fn locate_layout_problem(path: &Path) -> Option<(u64, String)> {
    use std::io::BufRead;
    let mut r = super::input::open_text(path).ok()?;
    let mut line = Vec::new();
    let (mut ln, mut name) = (0u64, String::new());
    // (first line's length, a shorter line seen at line n)
    let mut width: Option<usize> = None;
    let mut short: Option<(u64, usize)> = None;
    loop {
        line.clear();
        if r.read_until(b'\n', &mut line).ok()? == 0 {
            return None;
        }
        ln += 1;
        let l = line.strip_suffix(b"\n").unwrap_or(&line);
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        if let Some(h) = l.strip_prefix(b">") {
            name = String::from_utf8_lossy(h)
                .split_whitespace()
                .next()
                .unwrap_or("")
                .to_string();
            (width, short) = (None, None);
            continue;
        }
        if let Some((at, n)) = short {
            let what = if n == 0 {
                "a blank line".to_string()
            } else {
                format!("a line of {n} bases")
            };
            return Some((at, format!("{what} inside record {name:?} before line {ln}: every line of a record but the last must be as long as the first ({} bases)", width.unwrap_or(0))));
        }
        match width {
            None if l.is_empty() => short = Some((ln, 0)),
            None => width = Some(l.len()),
            Some(w) if l.len() > w => {
                return Some((
                    ln,
                    format!(
                    "a line of {} bases in record {name:?}, longer than its first line ({w} bases)",
                    l.len()
                ),
                ))
            }
            Some(w) if l.len() < w => short = Some((ln, l.len())),
            Some(_) => {}
        }
    }
}

/// Refuses an index naming one sequence twice (which copy would a query read?). Errors name
/// `file` (the `.fai`, or the FASTA when indexed in memory) and both record numbers (the
/// 1-based line of the `.fai`).
fn unique_names(file: &Path, index: &fasta::fai::Index) -> Result<(), Error> {
    let mut seen: std::collections::HashMap<&[u8], usize> = std::collections::HashMap::new();
    for (i, rec) in index.as_ref().iter().enumerate() {
        let name: &[u8] = rec.name().as_ref();
        if let Some(first) = seen.insert(name, i + 1) {
            return Err(Error::parse(
                file,
                (i + 1) as u64,
                format!(
                    "FASTA sequence name {:?} appears twice (records {first} and {}): sequence names must be unique",
                    String::from_utf8_lossy(name),
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

/// Checks a `.fai` against its uncompressed FASTA, reading a few bytes per record: the
/// header line `>NAME` ends just before the record's offset, the first sequence line ends
/// where the line width says, the sequence ends where length and line width say, and only
/// line ends lie between it and the next record's header (or the end of the file). A stale
/// index (the FASTA edited or replaced after indexing) fails here instead of yielding another
/// sequence. Errors name the `.fai`, its line, and what was found.
///
/// `f` reads the FASTA's (uncompressed) bytes, `size` is their count.
fn check_index<R: std::io::Read + std::io::Seek>(
    fasta: &Path,
    fai: &Path,
    index: &fasta::fai::Index,
    mut f: R,
    size: u64,
) -> Result<(), Error> {
    use std::io::{Read, SeekFrom};
    let mut read_at = |at: u64, n: u64| -> Result<Vec<u8>, Error> {
        let mut buf = Vec::new();
        f.seek(SeekFrom::Start(at))
            .and_then(|_| (&mut f).take(n).read_to_end(&mut buf))
            .map_err(|e| Error::io(fasta, e))?;
        Ok(buf)
    };
    let stale = |line: usize, what: String| {
        Error::parse(
            fai,
            line as u64,
            format!(
                "the index does not match {}: {what}; rebuild it (samtools faidx)",
                fasta.display()
            ),
        )
    };
    let mut order: Vec<(usize, &fasta::fai::Record)> = index.as_ref().iter().enumerate().collect();
    order.sort_by_key(|(_, r)| r.position());
    // (end of the previous record's sequence, its .fai line)
    let mut prev_end: Option<(u64, usize)> = None;
    for &(i, rec) in &order {
        let line = i + 1;
        let name = String::from_utf8_lossy(rec.name().as_ref()).into_owned();
        let (off, len) = (rec.position(), rec.length());
        let (lb, lw) = (rec.line_base_count().get(), rec.line_width().get());
        if lw < lb || off > size {
            return Err(stale(
                line,
                format!("record {name:?}: offset {off} or line width {lw} out of range"),
            ));
        }
        // the header line just before the offset
        let back = off.min(4096);
        let before = read_at(off - back, back)?;
        let text = before.strip_suffix(b"\n").unwrap_or(&[]);
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        let head_start = text.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
        let header = &text[head_start..];
        let named = header.strip_prefix(b">").is_some_and(|h| {
            h.starts_with(name.as_bytes())
                && h.get(name.len()).is_none_or(|b| b.is_ascii_whitespace())
        });
        if !named || before.last() != Some(&b'\n') {
            let found = if before.last() == Some(&b'\n') {
                format!(
                    "the line before is {:?}",
                    String::from_utf8_lossy(&header[..header.len().min(60)])
                )
            } else {
                format!("byte {} is not a line end", off.saturating_sub(1))
            };
            return Err(stale(
                line,
                format!(
                    "record {name:?} should start after a '>{name}' header line ending at byte {off}, but {found}"
                ),
            ));
        }
        let header_start = off - back + head_start as u64;
        if let Some((end, pline)) = prev_end {
            let n = header_start.saturating_sub(end);
            let gap = read_at(end, n.min(1 << 16))?;
            if header_start < end || n > 1 << 16 || gap.iter().any(|b| !b.is_ascii_whitespace()) {
                return Err(stale(
                    pline,
                    format!("the sequence before record {name:?} does not end where the index says (byte {end})"),
                ));
            }
        }
        // the first line break, then the end of the sequence
        if len > lb {
            let brk = read_at(off + lb, lw - lb)?;
            if brk.first().is_none_or(|b| !matches!(b, b'\n' | b'\r')) {
                return Err(stale(
                    line,
                    format!(
                        "record {name:?}: no line end after the first {lb} bases (byte {})",
                        off + lb
                    ),
                ));
            }
        }
        let end = off + (len / lb) * lw + len % lb;
        if end > size {
            return Err(stale(
                line,
                format!("record {name:?} ({len} bases) runs past the end of the file"),
            ));
        }
        prev_end = Some((end, line));
    }
    if let Some((end, pline)) = prev_end {
        let tail = read_at(end, (size - end).min(1 << 16))?;
        if size - end > 1 << 16 || tail.iter().any(|b| !b.is_ascii_whitespace()) {
            return Err(stale(
                pline,
                format!("more data follows the last indexed sequence (from byte {end}): a record missing from the index, or a longer sequence"),
            ));
        }
    }
    Ok(())
}

/// Checks the `.fai` and `.gzi` of a bgzip FASTA against it: the `.gzi` must be readable and
/// its blocks must decompress where it says, and the `.fai` must match the decompressed text
/// as for an uncompressed FASTA ([`check_index`], read through the `.gzi`). A FASTA
/// recompressed or replaced after indexing fails here. Errors name the `.gzi` or `.fai`.
fn check_bgzip_index(
    path: &Path,
    fai: &Path,
    gzi: &Path,
    index: &fasta::fai::Index,
) -> Result<(), Error> {
    let stale = |what: String| {
        Error::parse(
            gzi,
            0,
            format!(
                "the .gzi/.fai index does not match {}: {what}; rebuild both (samtools faidx on the bgzip file)",
                path.display()
            ),
        )
    };
    let gi =
        noodles::bgzf::gzi::fs::read(gzi).map_err(|e| stale(format!("unreadable .gzi ({e})")))?;
    // the decompressed size: the last indexed block's start plus what follows it
    let (last_c, last_u) = gi.as_ref().last().copied().unwrap_or((0, 0));
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let csize = file.metadata().map_err(|e| Error::io(path, e))?.len();
    if last_c > csize {
        return Err(stale(format!(
            "a block at compressed byte {last_c} lies past the end of the file ({csize} bytes)"
        )));
    }
    let mut tail = noodles::bgzf::io::Reader::new(file);
    let vpos = noodles::bgzf::VirtualPosition::try_from((last_c, 0))
        .map_err(|e| stale(format!("compressed offset {last_c} out of range ({e})")))?;
    tail.seek(vpos)
        .map_err(|e| stale(format!("no block starts at compressed byte {last_c} ({e})")))?;
    let rest = std::io::copy(&mut tail, &mut std::io::sink()).map_err(|e| {
        stale(format!(
            "the data from compressed byte {last_c} does not decompress ({e})"
        ))
    })?;
    let reader = noodles::bgzf::io::IndexedReader::new(
        std::fs::File::open(path).map_err(|e| Error::io(path, e))?,
        gi,
    );
    check_index(path, fai, index, reader, last_u + rest).map_err(|e| match e {
        Error::Io { source, .. } => stale(format!("reading through the .gzi failed ({source})")),
        e => e,
    })
}

/// The letters a reference sequence may hold: A, C, G, T, N and the IUPAC ambiguity codes
/// (R Y S W K M B D H V, and U), in upper or lower case (soft-masked repeats). Ambiguity
/// codes are read as unknown bases, like N (NC-IUB 1984, "Nomenclature for incompletely
/// specified bases in nucleic acid sequences").
pub const FASTA_BASE_LETTERS: &str = "ACGTNRYSWKMBDHVU";

/// The first byte of `bases` that is not a nucleotide letter or IUPAC code
/// ([`FASTA_BASE_LETTERS`], either case): its index and value.
fn first_non_base(bases: &[u8]) -> Option<(usize, u8)> {
    bases.iter().enumerate().find_map(|(i, &b)| {
        (!FASTA_BASE_LETTERS
            .as_bytes()
            .contains(&b.to_ascii_uppercase()))
        .then_some((i, b))
    })
}

fn bad_base_message(b: u8, column: u64, record: &str, pos: u64) -> String {
    let shown = if b.is_ascii_graphic() {
        format!("{:?} (byte 0x{b:02x})", b as char)
    } else {
        format!("byte 0x{b:02x}")
    };
    format!(
        "{shown} at column {column} (record {record:?}, position {pos}): expected a nucleotide letter A, C, G, T or N, or an IUPAC ambiguity code (R Y S W K M B D H V U), in upper or lower case"
    )
}

/// The 1-based line holding (decompressed) byte `byte` of a FASTA: line ends counted from the
/// start (only called for an error). 0 when the file cannot be read.
fn line_of_byte(path: &Path, byte: u64) -> u64 {
    use std::io::Read;
    let Ok(r) = super::input::open_text(path) else {
        return 0;
    };
    let mut lines = 1u64;
    let mut buf = vec![0u8; 1 << 16];
    let mut left = byte;
    let mut r = r.take(byte);
    while left > 0 {
        let Ok(n) = r.read(&mut buf) else { return 0 };
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        left -= n as u64;
    }
    lines
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
    let mut names: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
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
            if let Some(first) = names.insert(name.to_string(), ln) {
                return Err(Error::parse(
                    path,
                    ln,
                    format!("FASTA sequence name {name:?} appears twice (header lines {first} and {ln}): sequence names must be unique"),
                ));
            }
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
            let seg = &l[(s - lo) as usize..(e - lo) as usize];
            if let Some((i, b)) = first_non_base(seg) {
                let col = u64::from(s - lo) + i as u64 + 1;
                let name = names
                    .iter()
                    .max_by_key(|(_, &l)| l)
                    .map(|(n, _)| n.clone())
                    .unwrap_or_default();
                return Err(Error::parse(
                    path,
                    ln,
                    bad_base_message(b, col, &name, u64::from(s + i as u32)),
                ));
            }
            o.2.extend_from_slice(seg);
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
