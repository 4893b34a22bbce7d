//! Consistency checks of source files (issue 13): `##contig` lengths of another assembly,
//! conflicting duplicate records of frequency sources, and tabix/CSI indexes that do not
//! match their file.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use noodles::core::Position;
use noodles::csi::BinningIndex;
use odyssey_genome::{Assembly, Chrom, VariantKey};

use super::config::{ResolvedSource, Role, SourceFormat};
use super::text::{for_each_line, open_text};
use crate::error::{Error, Location, Result};

/// One `##contig=<ID=..,length=..>` line of a VCF header: name, length, 1-based line.
pub(crate) type ContigLine = (String, u64, u64);

/// The `##contig` lines with a length in the header of a VCF source (plain or gzip).
pub(crate) fn read_vcf_contigs(path: &Path) -> Result<Vec<ContigLine>> {
    let mut r = open_text(path)?;
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut n = 0u64;
    loop {
        buf.clear();
        if r.read_line(&mut buf).map_err(|e| Error::io(path, e))? == 0 {
            break;
        }
        n += 1;
        let l = buf.trim_end_matches(['\n', '\r']);
        if !l.starts_with("##") {
            break;
        }
        let Some(rest) = l.strip_prefix("##contig=<") else {
            continue;
        };
        let rest = rest.trim_end_matches('>');
        let (mut id, mut len) = (None, None);
        for kv in rest.split(',') {
            if let Some(v) = kv.trim().strip_prefix("ID=") {
                id = Some(v.to_string());
            } else if let Some(v) = kv.trim().strip_prefix("length=") {
                len = v.parse::<u64>().ok();
            }
        }
        if let (Some(id), Some(len)) = (id, len) {
            out.push((id, len, n));
        }
    }
    Ok(out)
}

/// Refuses a VCF source whose `##contig` length of a primary chromosome (MT aside: the same
/// rCRS in both) is the length of the *other* assembly than `assembly` (lengths from the NCBI
/// assembly reports, [`Assembly::length`]), and warns about lengths of primary chromosomes
/// matching neither assembly ([`unknown_contig_lengths`]).
///
/// Returns the warnings (at most one per file). Errors: [`Error::AssemblyMismatch`] naming
/// the file, the line, the contig and both lengths.
pub(crate) fn check_contig_lengths(
    src: &ResolvedSource,
    path: &Path,
    assembly: Assembly,
) -> Result<Vec<String>> {
    if src.format != SourceFormat::Vcf {
        return Ok(Vec::new());
    }
    let other = other_assembly(assembly);
    let contigs = read_vcf_contigs(path)?;
    for (name, len, line) in &contigs {
        let Ok(chrom) = name.parse::<Chrom>() else {
            continue;
        };
        if chrom == Chrom::MT {
            continue;
        }
        let here = u64::from(assembly.length(chrom));
        if *len != here && *len == u64::from(other.length(chrom)) {
            return Err(Error::AssemblyMismatch {
                path: path.to_path_buf(),
                message: format!(
                    "line {line}: source {:?}: ##contig {name} has length {len}, which is {other}'s (expected {here} for {assembly}): the source's positions are {other} positions",
                    src.name
                ),
            });
        }
    }
    Ok(unknown_contig_lengths(src, path, &contigs)
        .into_iter()
        .collect())
}

/// A warning when `##contig` lines of primary chromosomes (MT aside) of a VCF source give a
/// length that is neither GRCh37's nor GRCh38's (another assembly such as T2T-CHM13, another
/// species, an edited header): the source's positions may not be the analysis's. Names the
/// file, the first such line and contig, and how many more there are.
pub(crate) fn unknown_contig_lengths(
    src: &ResolvedSource,
    path: &Path,
    contigs: &[ContigLine],
) -> Option<String> {
    let odd: Vec<&ContigLine> = contigs
        .iter()
        .filter(|(name, len, _)| {
            name.parse::<Chrom>().is_ok_and(|c| {
                c != Chrom::MT
                    && [Assembly::GRCh37, Assembly::GRCh38]
                        .iter()
                        .all(|a| u64::from(a.length(c)) != *len)
            })
        })
        .collect();
    let (name, len, line) = odd.first()?;
    let c: Chrom = name.parse().ok()?;
    Some(format!(
        "{}: line {line}: source {:?}: ##contig {name} has length {len}, which is neither GRCh37's ({}) nor GRCh38's ({}){}: check that the source's positions are on the analysis's assembly",
        path.display(),
        src.name,
        Assembly::GRCh37.length(c),
        Assembly::GRCh38.length(c),
        match odd.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more ##contig line{} likewise)", if n == 1 { "" } else { "s" }),
        }
    ))
}

fn other_assembly(a: Assembly) -> Assembly {
    match a {
        Assembly::GRCh37 => Assembly::GRCh38,
        Assembly::GRCh38 => Assembly::GRCh37,
    }
}

/// The assembly the `##contig` lengths of a source's VCF files agree on
/// ([`Assembly::from_contig_lengths`]), `None` for TSV sources or headers without lengths.
pub(crate) fn contig_assembly(src: &ResolvedSource) -> Result<Option<Assembly>> {
    if src.format != SourceFormat::Vcf {
        return Ok(None);
    }
    let mut all = Vec::new();
    for p in &src.paths {
        all.extend(read_vcf_contigs(p)?);
    }
    Ok(Assembly::from_contig_lengths(
        all.iter().map(|(n, l, _)| (n.as_str(), *l)),
    ))
}

/// True when two entries for one variant of a source of role `role` disagree: frequency
/// sources must list a variant once (or repeat the same values); scores (one row per
/// transcript in REVEL and AlphaMissense) and ClinVar (several submissions normalising to one
/// allele) are merged instead (see `merge_values`).
pub(crate) fn conflicting(role: Role, a: &[f32], b: &[f32]) -> bool {
    matches!(role, Role::Frequency | Role::LocalFrequency)
        && a.iter()
            .zip(b)
            .any(|(x, y)| x != y && !(x.is_nan() && y.is_nan()))
}

fn show(src: &ResolvedSource, v: &[f32]) -> String {
    src.fields
        .iter()
        .zip(v)
        .filter(|(_, x)| !x.is_nan())
        .map(|(f, x)| format!("{} {x}", f.trim_start_matches("pop:")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The error for two records of `key` with different values in a frequency source: reads the
/// source's files again to find the first record of `key` and the first later one that
/// disagrees with it, and names both lines.
pub(crate) fn conflict_error(src: &ResolvedSource, key: &VariantKey) -> Error {
    let mut first: Option<(PathBuf, u64, Vec<f32>)> = None;
    let mut second: Option<(PathBuf, u64, Vec<f32>)> = None;
    for path in &src.paths {
        let r = for_each_line(src, path, |entries, _, _, n| {
            for e in entries.iter().filter(|e| e.key == *key) {
                match &first {
                    None => first = Some((path.clone(), n, e.values.clone())),
                    Some(f) if second.is_none() && conflicting(src.role, &f.2, &e.values) => {
                        second = Some((path.clone(), n, e.values.clone()));
                        return Err(Error::config("stop", "found"));
                    }
                    _ => {}
                }
            }
            Ok(())
        });
        if r.is_err() || second.is_some() {
            break;
        }
    }
    match (first, second) {
        (Some(a), Some(b)) => Error::parse(
            &b.0,
            Location::Line(b.1),
            conflict_message(
                src,
                key,
                &b.2,
                &format!(
                    "{}line {}",
                    if a.0 == b.0 { String::new() } else { format!("{} ", a.0.display()) },
                    a.1
                ),
                &a.2,
            ),
        ),
        _ => Error::parse(
            &src.paths[0],
            Location::File,
            format!(
                "source {:?}: records for {key} with different values (expected one record per variant in a frequency source)",
                src.name
            ),
        ),
    }
}

/// The text of a conflict: the second record's values, where the first one is (`earlier`,
/// e.g. "line 5") and its values.
fn conflict_message(
    src: &ResolvedSource,
    key: &VariantKey,
    second: &[f32],
    earlier: &str,
    first: &[f32],
) -> String {
    format!(
        "source {:?}: a second record for {key} with different values ({}) than {earlier} ({}): expected one record per variant in a frequency source (remove or merge the duplicates, e.g. bcftools norm -d exact)",
        src.name,
        show(src, second),
        show(src, first)
    )
}

/// Decompressed bytes read to count the line numbers of a conflict in a streamed source
/// (about a second): past this, the records are named by their text only.
const LINE_COUNT_LIMIT: u64 = 256 << 20;

/// The error for two records of `key` with different values met while streaming `path` (a
/// BGZF file) at the virtual positions `a` and `b` (line starts, `a` before `b`): names
/// both lines when they lie within the first [`LINE_COUNT_LIMIT`] decompressed bytes
/// (counted by reading the file again from its start, only now), else quotes both records.
pub(crate) fn stream_conflict_error(
    src: &ResolvedSource,
    path: &Path,
    key: &VariantKey,
    a: (noodles::bgzf::VirtualPosition, &[f32]),
    b: (noodles::bgzf::VirtualPosition, &[f32]),
) -> Error {
    match stream_line_numbers(path, a.0, b.0) {
        Ok((Some(la), Some(lb))) => Error::parse(
            path,
            Location::Line(lb),
            conflict_message(src, key, b.1, &format!("line {la}"), a.1),
        ),
        _ => {
            let text = |v| record_text(path, v).unwrap_or_else(|| "?".into());
            Error::parse(
                path,
                Location::File,
                format!(
                    "{} (records {:?} and {:?}; their line numbers lie beyond the first {} MiB of text and were not counted)",
                    conflict_message(src, key, b.1, "the record before it", a.1),
                    text(b.0),
                    text(a.0),
                    LINE_COUNT_LIMIT >> 20
                ),
            )
        }
    }
}

/// 1-based line numbers of the lines starting at virtual positions `a` and `b` of a BGZF
/// file, `None` for a line past [`LINE_COUNT_LIMIT`] bytes.
fn stream_line_numbers(
    path: &Path,
    a: noodles::bgzf::VirtualPosition,
    b: noodles::bgzf::VirtualPosition,
) -> std::io::Result<(Option<u64>, Option<u64>)> {
    let mut r = noodles::bgzf::io::Reader::new(std::fs::File::open(path)?);
    let (mut la, mut n, mut bytes) = (None, 0u64, 0u64);
    let mut buf = Vec::new();
    while bytes <= LINE_COUNT_LIMIT {
        // normalised as the stream does: the next block once this one is used up
        r.fill_buf()?;
        let here = r.virtual_position();
        n += 1;
        if here == a {
            la = Some(n);
        }
        if here == b {
            return Ok((la, Some(n)));
        }
        buf.clear();
        let k = r.read_until(b'\n', &mut buf)?;
        if k == 0 {
            break;
        }
        bytes += k as u64;
    }
    Ok((la, None))
}

/// The line starting at virtual position `v` (at most 200 characters), for messages.
fn record_text(path: &Path, v: noodles::bgzf::VirtualPosition) -> Option<String> {
    let mut r = noodles::bgzf::io::Reader::new(std::fs::File::open(path).ok()?);
    r.seek(v).ok()?;
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    Some(line.trim_end().chars().take(200).collect())
}

/// Checks a tabix/CSI index against its BGZF file before streaming: for each of the first
/// 30 sequences of the index, the first chunk of the sequence must start at a record of that
/// sequence (its name in the index header's sequence-name column). A stale index (the file
/// was rewritten after indexing) points elsewhere or into a damaged block.
///
/// Returns a warning when the index is older than the file but matches it (downloads can
/// give any order of modification times). Errors: a mismatch, naming the index, the
/// sequence, what was found, and whether the index is older than the file.
pub(crate) fn check_index(
    path: &Path,
    idx_path: &Path,
    index: &dyn BinningIndex,
    names: &[String],
) -> Result<Option<String>> {
    // the column holding the sequence name (0-based; 0 for VCF)
    let column = index
        .header()
        .map_or(0, |h| h.reference_sequence_name_index());
    let mtime = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let older = match (mtime(idx_path), mtime(path)) {
        (Some(i), Some(f)) => i < f,
        _ => false,
    };
    let stale = |what: String| {
        Error::parse(
            idx_path,
            Location::File,
            format!(
                "the index does not match {}: {what}{}; rebuild it (tabix -p vcf, or tabix with the TSV's columns)",
                path.display(),
                if older { " (the index is older than the file)" } else { "" }
            ),
        )
    };
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = noodles::bgzf::io::Reader::new(file);
    let mut line = String::new();
    let start = Position::MIN;
    for (rid, name) in names.iter().enumerate().take(30) {
        let chunks = index
            .query(rid, (start..).into())
            .map_err(|e| stale(format!("its query of sequence {name:?} failed ({e})")))?;
        let Some(first) = chunks.iter().map(|c| c.start()).min() else {
            continue;
        };
        reader
            .seek(first)
            .map_err(|e| stale(format!("sequence {name:?} points to a damaged block ({e})")))?;
        line.clear();
        if let Err(e) = reader.read_line(&mut line) {
            return Err(stale(format!(
                "sequence {name:?} points to unreadable data ({e})"
            )));
        }
        let field = line.split('\t').nth(column).unwrap_or("");
        if field != name {
            let shown: String = line.trim_end().chars().take(40).collect();
            return Err(stale(format!(
                "sequence {name:?} points to a line that is not one of its records ({shown:?})"
            )));
        }
    }
    Ok(older.then(|| {
        format!(
            "{} is older than {}; it matches the file's records at the sequences checked, but re-index if the file was changed",
            idx_path.display(),
            path.display()
        )
    }))
}
