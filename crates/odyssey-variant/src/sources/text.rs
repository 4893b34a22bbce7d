//! VCF/TSV sources read as text: sequentially (whole-file loading, store building) or as an
//! ordered stream alongside the analysed VCF, seeking with a tabix/CSI index only when the
//! chromosome changes or the VCF goes backwards.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use noodles::bgzf;
use noodles::core::Position;
use noodles::csi::BinningIndex;
use odyssey_genome::{Chrom, VariantKey};

use super::config::{ResolvedSource, SourceFormat};
use super::parse::{merge_values, tsv_header, Entry, LineParser};
use crate::error::{Error, Location, Result};

/// Opens a text file, decompressing gzip/BGZF transparently.
pub(crate) fn open_text(path: &Path) -> Result<Box<dyn BufRead + Send>> {
    let mut f = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic).map_err(|e| Error::io(path, e))?;
    let f = File::open(path).map_err(|e| Error::io(path, e))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(f),
        )))
    } else {
        Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
    }
}

/// Builds the line parser of a source file: VCF, or TSV with its header found among the
/// first lines. Returns the parser and the number of header lines to skip (TSV).
pub(crate) fn parser_for(src: &ResolvedSource, path: &Path) -> Result<(LineParser, usize)> {
    match src.format {
        SourceFormat::Tsv => {
            let (header, n) = read_tsv_header(path)?;
            let p = LineParser::tsv(src, &header).map_err(|m| {
                Error::parse(
                    path,
                    Location::Line(n as u64),
                    format!("source {:?}: {m}", src.name),
                )
            })?;
            // lines up to and including the header are skipped; a header that was a data-looking
            // first line (REVEL) is skipped too
            Ok((p, n))
        }
        _ => Ok((LineParser::vcf(src), 0)),
    }
}

/// The header line of a TSV source (see [`tsv_header`]) and its 1-based line number.
pub(crate) fn read_tsv_header(path: &Path) -> Result<(String, usize)> {
    let mut r = open_text(path)?;
    let mut lines = Vec::new();
    let mut buf = String::new();
    while lines.len() < 10_000 {
        buf.clear();
        if r.read_line(&mut buf).map_err(|e| Error::io(path, e))? == 0 {
            break;
        }
        let l = buf.trim_end_matches(['\n', '\r']).to_string();
        let data = !l.starts_with('#');
        lines.push(l);
        if data {
            break;
        }
    }
    tsv_header(lines.iter().map(String::as_str)).ok_or_else(|| {
        Error::parse(
            path,
            Location::Line(1),
            "empty file (expected a header line)",
        )
    })
}

/// The INFO keys declared by `##INFO=<ID=...>` lines of a VCF source's header, in file order.
/// Errors: unreadable file; a file whose first line is not a VCF meta-information or header
/// line.
pub(crate) fn read_vcf_info_keys(path: &Path) -> Result<Vec<String>> {
    let mut r = open_text(path)?;
    let mut keys = Vec::new();
    let mut buf = String::new();
    let mut n = 0u64;
    loop {
        buf.clear();
        if r.read_line(&mut buf).map_err(|e| Error::io(path, e))? == 0 {
            break;
        }
        n += 1;
        let l = buf.trim_end_matches(['\n', '\r']);
        if n == 1 && !l.starts_with('#') {
            return Err(Error::parse(
                path,
                Location::Line(1),
                "expected a VCF header ('##fileformat=...' or '#CHROM'); a BCF source must be converted to VCF (bcftools view -Oz)",
            ));
        }
        if !l.starts_with("##") {
            break;
        }
        if let Some(rest) = l.strip_prefix("##INFO=<") {
            // the ID is one of the comma-separated key=value pairs before any quoted text
            let plain = rest.split('"').next().unwrap_or("");
            if let Some(id) = plain
                .split(',')
                .find_map(|kv| kv.trim().strip_prefix("ID="))
            {
                keys.push(id.trim_end_matches('>').to_string());
            }
        }
    }
    Ok(keys)
}

/// Reads every entry of one source file in file order, calling `f(entries of one line, chrom,
/// pos, 1-based line number)` per data line.
pub(crate) fn for_each_line(
    src: &ResolvedSource,
    path: &Path,
    mut f: impl FnMut(&mut Vec<Entry>, Chrom, u32, u64) -> Result<()>,
) -> Result<()> {
    let (mut parser, skip) = parser_for(src, path)?;
    let mut r = open_text(path)?;
    let mut line = String::new();
    let mut n = 0u64;
    let mut out = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line).map_err(|e| Error::io(path, e))? == 0 {
            break;
        }
        n += 1;
        if (n as usize) <= skip || line.starts_with('#') {
            continue;
        }
        let l = line.trim_end_matches(['\n', '\r']);
        if l.is_empty() {
            continue;
        }
        out.clear();
        match parser.parse(l, &mut out) {
            Ok(Some((c, p))) => f(&mut out, c, p, n)?,
            Ok(None) => {}
            Err(m) => return Err(Error::parse(path, Location::Line(n), m)),
        }
    }
    Ok(())
}

/// A source loaded whole into a hash map.
pub(crate) struct MemorySource {
    map: HashMap<VariantKey, Vec<f32>>,
}

impl MemorySource {
    /// Loads every file of `src`. Errors: parse errors (file and line); two records of one
    /// variant with different values in a frequency source (both lines named).
    pub(crate) fn load(src: &ResolvedSource) -> Result<MemorySource> {
        let mut map: HashMap<VariantKey, Vec<f32>> = HashMap::new();
        for path in &src.paths {
            for_each_line(src, path, |entries, _, _, _| {
                for e in entries.drain(..) {
                    match map.get_mut(&e.key) {
                        Some(v) if super::checks::conflicting(src.role, v, &e.values) => {
                            return Err(super::checks::conflict_error(src, &e.key));
                        }
                        Some(v) => merge_values(src.role, v, &e.values),
                        None => {
                            map.insert(e.key, e.values);
                        }
                    }
                }
                Ok(())
            })?;
        }
        Ok(MemorySource { map })
    }

    pub(crate) fn get(&self, key: &VariantKey) -> Option<&[f32]> {
        self.map.get(key).map(Vec::as_slice)
    }

    pub(crate) fn len(&self) -> usize {
        self.map.len()
    }
}

/// Finds the index of a BGZF file (`X.tbi` or `X.csi`).
pub(crate) fn find_index(path: &Path) -> Option<PathBuf> {
    ["tbi", "csi"]
        .iter()
        .map(|ext| PathBuf::from(format!("{}.{ext}", path.display())))
        .find(|p| p.exists())
}

/// One indexed BGZF file read as an ordered stream.
struct IndexedFile {
    path: PathBuf,
    reader: bgzf::io::Reader<File>,
    index: Box<dyn BinningIndex + Send>,
    /// Reference-sequence id in the index per chromosome.
    ref_ids: HashMap<Chrom, usize>,
}

/// A source read in position order alongside the analysed VCF.
///
/// Lookups must come in non-decreasing position order per chromosome to stay streaming; a
/// new chromosome or a step backwards triggers one index seek. Within a chromosome, source
/// records are read forward until their position passes the query, and entries are kept in
/// a small buffer until the queries pass them (left trimming can move an entry's position
/// forward, never backwards).
pub(crate) struct IndexedSource {
    src: ResolvedSource,
    files: Vec<IndexedFile>,
    parser: LineParser,
    current: Option<(Chrom, usize)>,
    last_pos: u32,
    frontier: u32,
    exhausted: bool,
    /// Entries read ahead, ordered by position, with the virtual position of their line.
    buffer: VecDeque<(Entry, bgzf::VirtualPosition)>,
    line: String,
    scratch: Vec<Entry>,
    result: Vec<f32>,
    /// Number of index seeks performed (for provenance and tests).
    pub(crate) seeks: u64,
}

impl IndexedSource {
    /// Opens the files of `src` with their indexes; returns the source and warnings (an index
    /// older than its file). Errors: a missing, unreadable or stale index (see
    /// [`super::checks::check_index`]).
    pub(crate) fn open(src: &ResolvedSource) -> Result<(IndexedSource, Vec<String>)> {
        let mut warnings = Vec::new();
        let mut files = Vec::new();
        let mut parser = None;
        for path in &src.paths {
            let idx_path = find_index(path).ok_or_else(|| {
                Error::config(
                    format!("source {:?}", src.name),
                    format!("{} has no .tbi or .csi index (index it with tabix, use mode = \"memory\", or build a store with `odyssey sources build`)", path.display()),
                )
            })?;
            let index: Box<dyn BinningIndex + Send> =
                if idx_path.extension().is_some_and(|e| e == "tbi") {
                    Box::new(noodles::tabix::fs::read(&idx_path).map_err(|e| {
                        Error::parse(
                            &idx_path,
                            Location::File,
                            format!("invalid tabix index: {e}"),
                        )
                    })?)
                } else {
                    Box::new(noodles::csi::fs::read(&idx_path).map_err(|e| {
                        Error::parse(&idx_path, Location::File, format!("invalid CSI index: {e}"))
                    })?)
                };
            let header = index.header().ok_or_else(|| {
                Error::parse(
                    &idx_path,
                    Location::File,
                    "index has no sequence-name header (expected a tabix-style index)",
                )
            })?;
            let mut ref_ids = HashMap::new();
            let names: Vec<String> = header
                .reference_sequence_names()
                .iter()
                .map(|n| String::from_utf8_lossy(n).into_owned())
                .collect();
            for (i, name) in names.iter().enumerate() {
                if let Ok(c) = name.parse::<Chrom>() {
                    ref_ids.insert(c, i);
                }
            }
            warnings.extend(super::checks::check_index(
                path,
                &idx_path,
                index.as_ref(),
                &names,
            )?);
            if parser.is_none() {
                parser = Some(parser_for(src, path)?.0);
            }
            let reader = bgzf::io::Reader::new(File::open(path).map_err(|e| Error::io(path, e))?);
            files.push(IndexedFile {
                path: path.clone(),
                reader,
                index,
                ref_ids,
            });
        }
        Ok((
            IndexedSource {
                src: src.clone(),
                files,
                parser: parser.expect("at least one path"),
                current: None,
                last_pos: 0,
                frontier: 0,
                exhausted: true,
                buffer: VecDeque::new(),
                line: String::new(),
                scratch: Vec::new(),
                result: Vec::new(),
                seeks: 0,
            },
            warnings,
        ))
    }

    fn seek(&mut self, chrom: Chrom, pos: u32) -> Result<()> {
        self.buffer.clear();
        self.exhausted = true;
        self.frontier = 0;
        self.current = None;
        for (fi, f) in self.files.iter_mut().enumerate() {
            let Some(&rid) = f.ref_ids.get(&chrom) else {
                continue;
            };
            let start = Position::try_from(pos.max(1) as usize).expect("pos >= 1");
            let chunks = f.index.query(rid, (start..).into()).map_err(|e| {
                Error::parse(&f.path, Location::File, format!("index query failed: {e}"))
            })?;
            self.seeks += 1;
            self.current = Some((chrom, fi));
            if let Some(first) = chunks.iter().map(|c| c.start()).min() {
                f.reader.seek(first).map_err(|e| Error::io(&f.path, e))?;
                self.exhausted = false;
            }
            break;
        }
        if self.current.is_none() {
            self.current = Some((chrom, usize::MAX));
        }
        Ok(())
    }

    /// Values for `key`, merged over duplicate entries.
    pub(crate) fn get(&mut self, key: &VariantKey) -> Result<Option<&[f32]>> {
        let same_chrom = self.current.is_some_and(|(c, _)| c == key.chrom);
        if !same_chrom || key.pos < self.last_pos {
            self.seek(key.chrom, key.pos)?;
        }
        self.last_pos = key.pos;
        while self.buffer.front().is_some_and(|e| e.0.key.pos < key.pos) {
            self.buffer.pop_front();
        }
        let fi = self.current.map(|c| c.1).unwrap_or(usize::MAX);
        while !self.exhausted && self.frontier <= key.pos {
            let f = &mut self.files[fi];
            self.line.clear();
            // the start of the line, normalised to the next block when this one is used up
            f.reader.fill_buf().map_err(|e| Error::io(&f.path, e))?;
            let vpos = f.reader.virtual_position();
            let n = f
                .reader
                .read_line(&mut self.line)
                .map_err(|e| Error::io(&f.path, e))?;
            if n == 0 {
                self.exhausted = true;
                break;
            }
            let l = self.line.trim_end_matches(['\n', '\r']);
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            self.scratch.clear();
            match self.parser.parse(l, &mut self.scratch) {
                Ok(Some((c, p))) => {
                    if c != key.chrom {
                        self.exhausted = true;
                        break;
                    }
                    self.frontier = p;
                    for e in self.scratch.drain(..) {
                        if e.key.pos >= key.pos {
                            // keep the buffer ordered by position
                            let at = self
                                .buffer
                                .iter()
                                .rposition(|b| b.0.key.pos <= e.key.pos)
                                .map_or(0, |i| i + 1);
                            self.buffer.insert(at, (e, vpos));
                        }
                    }
                }
                Ok(None) => {
                    // non-primary contig or unplaced line: past our chromosome
                    self.exhausted = true;
                }
                Err(m) => {
                    return Err(Error::parse(
                        &f.path,
                        Location::File,
                        format!(
                            "{m} (in the record after a seek for {}:{})",
                            key.chrom, key.pos
                        ),
                    ))
                }
            }
        }
        let mut first: Option<bgzf::VirtualPosition> = None;
        let mut conflict = None;
        for (e, vpos) in self.buffer.iter().take_while(|e| e.0.key.pos == key.pos) {
            if e.key != *key {
                continue;
            }
            match first {
                None => {
                    self.result.clear();
                    self.result.extend_from_slice(&e.values);
                    first = Some(*vpos);
                }
                Some(a) if super::checks::conflicting(self.src.role, &self.result, &e.values) => {
                    conflict = Some((a, self.result.clone(), *vpos, e.values.clone()));
                    break;
                }
                Some(_) => merge_values(self.src.role, &mut self.result, &e.values),
            }
        }
        if let Some((a, a_values, b, b_values)) = conflict {
            let f = &self.files[fi];
            let e = super::checks::stream_conflict_error(
                &self.src,
                &f.path,
                key,
                (a, &a_values),
                (b, &b_values),
            );
            // the stream is left mid-chromosome: a later lookup seeks again
            self.current = None;
            return Err(e);
        }
        let found = first.is_some();
        Ok(found.then_some(self.result.as_slice()))
    }
}
