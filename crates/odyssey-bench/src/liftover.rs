//! Coordinate liftover through UCSC chain files (e.g. `hg38ToHg19.over.chain.gz`).
//!
//! Chain format (UCSC Genome Browser, <https://genome.ucsc.edu/goldenPath/help/chain.html>):
//! each chain opens with `chain score tName tSize tStrand tStart tEnd qName qSize qStrand
//! qStart qEnd id`, followed by alignment lines `size dt dq` (an ungapped block of `size`
//! bases, then `dt` bases skipped in the target (the assembly lifted from) and `dq` in the
//! query (the assembly lifted to)) and a last line `size`. Coordinates are zero-based,
//! half-open; on a `-` strand they count from the end of the reverse-complemented sequence.
//!
//! Mapping is simple interval mapping, as UCSC `liftOver` does with `-minMatch=1`: an interval
//! maps when it lies entirely inside one ungapped block; when blocks of several chains contain
//! it, the highest-scoring chain wins (ties: the chain listed first).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use odyssey_genome::Chrom;

use crate::error::{BenchError, Result};

/// An ungapped aligned block.
#[derive(Clone, Copy, Debug)]
struct Block {
    t_start: u64,
    t_end: u64,
    /// Start in query coordinates of the query strand.
    q_start: u64,
    chain: u32,
}

#[derive(Clone, Debug)]
struct ChainInfo {
    score: f64,
    order: u32,
    q_name: String,
    q_size: u64,
    q_minus: bool,
}

/// A chain file loaded for lookups.
pub struct ChainMap {
    blocks: HashMap<String, Vec<Block>>,
    /// Longest block per target sequence (bounds the backward scan of a lookup).
    longest: HashMap<String, u64>,
    chains: Vec<ChainInfo>,
}

/// Where an interval maps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mapped {
    /// Query sequence name as in the chain file (e.g. `chr15`).
    pub chrom: String,
    /// Zero-based start on the query's forward strand.
    pub start: u64,
    /// Zero-based exclusive end on the query's forward strand.
    pub end: u64,
    /// The interval maps to the reverse strand.
    pub minus: bool,
}

fn bad(path: &Path, line: usize, message: String) -> BenchError {
    BenchError::Line {
        path: path.into(),
        line,
        message,
    }
}

impl ChainMap {
    /// Reads a chain file (plain or gzip). Errors: unreadable file; a malformed line (line
    /// number and the expected form given); blocks that overrun their chain's span.
    pub fn from_path(path: &Path) -> Result<ChainMap> {
        let f = std::fs::File::open(path).map_err(|e| BenchError::io(path, e))?;
        let mut head = [0u8; 2];
        let mut reader = BufReader::new(f);
        let gz = {
            let buf = reader.fill_buf().map_err(|e| BenchError::io(path, e))?;
            head.iter_mut().zip(buf).for_each(|(h, b)| *h = *b);
            head == [0x1f, 0x8b]
        };
        let r: Box<dyn Read> = if gz {
            Box::new(flate2::read::MultiGzDecoder::new(reader))
        } else {
            Box::new(reader)
        };
        Self::from_reader(BufReader::new(r), path)
    }

    /// Parses chain text; `path` names the source in errors.
    pub fn from_reader(r: impl BufRead, path: &Path) -> Result<ChainMap> {
        let mut map = ChainMap {
            blocks: HashMap::new(),
            longest: HashMap::new(),
            chains: Vec::new(),
        };
        // current chain: (target name, t position, q position, t end, q end, chain index, header line)
        let mut cur: Option<(String, u64, u64, u64, u64, u32, usize)> = None;
        for (i, line) in r.lines().enumerate() {
            let n = i + 1;
            let line = line.map_err(|e| BenchError::io(path, e))?;
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let f: Vec<&str> = l.split_whitespace().collect();
            if f[0] == "chain" {
                if let Some(c) = &cur {
                    return Err(bad(path, n, format!("a new chain starts before the chain of line {} ended with its last `size` line", c.6)));
                }
                if f.len() < 12 {
                    return Err(bad(path, n, format!("expected `chain score tName tSize tStrand tStart tEnd qName qSize qStrand qStart qEnd [id]`, found {} fields", f.len())));
                }
                let num = |k: usize, what: &str| -> Result<u64> {
                    f[k].parse::<u64>().map_err(|_| {
                        bad(
                            path,
                            n,
                            format!("{what} {:?} is not a non-negative integer", f[k]),
                        )
                    })
                };
                let score: f64 = f[1]
                    .parse()
                    .map_err(|_| bad(path, n, format!("score {:?} is not a number", f[1])))?;
                if f[4] != "+" {
                    return Err(bad(
                        path,
                        n,
                        format!("target strand {:?}: chain files have the target on +", f[4]),
                    ));
                }
                let q_minus = match f[9] {
                    "+" => false,
                    "-" => true,
                    s => return Err(bad(path, n, format!("query strand {s:?}: expected + or -"))),
                };
                let (t_start, t_end, q_size, q_start, q_end) = (
                    num(5, "tStart")?,
                    num(6, "tEnd")?,
                    num(8, "qSize")?,
                    num(10, "qStart")?,
                    num(11, "qEnd")?,
                );
                if t_end < t_start || q_end < q_start || q_end > q_size {
                    return Err(bad(
                        path,
                        n,
                        "chain span is inconsistent (end before start, or qEnd beyond qSize)"
                            .into(),
                    ));
                }
                let idx = map.chains.len() as u32;
                map.chains.push(ChainInfo {
                    score,
                    order: idx,
                    q_name: f[7].to_string(),
                    q_size,
                    q_minus,
                });
                cur = Some((f[2].to_string(), t_start, q_start, t_end, q_end, idx, n));
                continue;
            }
            let Some(c) = cur.as_mut() else {
                return Err(bad(
                    path,
                    n,
                    "alignment data before any `chain` header".into(),
                ));
            };
            let num = |k: usize| -> Result<u64> {
                f[k].parse::<u64>().map_err(|_| {
                    bad(
                        path,
                        n,
                        format!(
                            "{:?} is not a non-negative integer (expected `size dt dq` or `size`)",
                            f[k]
                        ),
                    )
                })
            };
            let size = num(0)?;
            let block = Block {
                t_start: c.1,
                t_end: c.1 + size,
                q_start: c.2,
                chain: c.5,
            };
            if block.t_end > c.3 || c.2 + size > c.4 {
                return Err(bad(path, n, "block runs past the end of its chain".into()));
            }
            let longest = map.longest.entry(c.0.clone()).or_insert(0);
            *longest = (*longest).max(size);
            map.blocks.entry(c.0.clone()).or_default().push(block);
            match f.len() {
                3 => {
                    c.1 += size + num(1)?;
                    c.2 += size + num(2)?;
                }
                1 => cur = None,
                k => {
                    return Err(bad(
                        path,
                        n,
                        format!("expected `size dt dq` or a last `size`, found {k} fields"),
                    ))
                }
            }
        }
        if let Some(c) = cur {
            return Err(bad(
                path,
                c.6,
                "chain is not closed by a last `size` line".into(),
            ));
        }
        for v in map.blocks.values_mut() {
            v.sort_by_key(|b| (b.t_start, b.chain));
        }
        Ok(map)
    }

    /// Number of chains.
    pub fn chains(&self) -> usize {
        self.chains.len()
    }

    /// Maps the zero-based half-open interval `[start, end)` of target sequence `chrom`
    /// (named as in the chain file). `None` when no single block contains it.
    pub fn map_interval(&self, chrom: &str, start: u64, end: u64) -> Option<Mapped> {
        let blocks = self.blocks.get(chrom)?;
        let longest = self.longest.get(chrom).copied().unwrap_or(0);
        let upto = blocks.partition_point(|b| b.t_start <= start);
        let mut best: Option<&Block> = None;
        for b in blocks[..upto].iter().rev() {
            if b.t_start + longest < start {
                break;
            }
            if b.t_start <= start && end <= b.t_end && end > start {
                let better = match best {
                    None => true,
                    Some(o) => {
                        let (x, y) = (
                            &self.chains[b.chain as usize],
                            &self.chains[o.chain as usize],
                        );
                        x.score > y.score || (x.score == y.score && x.order < y.order)
                    }
                };
                if better {
                    best = Some(b);
                }
            }
        }
        let b = best?;
        let c = &self.chains[b.chain as usize];
        let qs = b.q_start + (start - b.t_start);
        let qe = qs + (end - start);
        Some(if c.q_minus {
            Mapped {
                chrom: c.q_name.clone(),
                start: c.q_size - qe,
                end: c.q_size - qs,
                minus: true,
            }
        } else {
            Mapped {
                chrom: c.q_name.clone(),
                start: qs,
                end: qe,
                minus: false,
            }
        })
    }
}

/// Reverse complement of an allele (A, C, G, T, N; other characters are kept).
pub fn reverse_complement(s: &str) -> String {
    s.chars()
        .rev()
        .map(|c| match c.to_ascii_uppercase() {
            'A' => 'T',
            'C' => 'G',
            'G' => 'C',
            'T' => 'A',
            x => x,
        })
        .collect()
}

/// A variant lifted to the other assembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiftedVariant {
    /// Chromosome.
    pub chrom: Chrom,
    /// 1-based position of REF.
    pub pos: u64,
    /// REF (reverse-complemented when the mapping is on the minus strand).
    pub reference: String,
    /// ALT (same).
    pub alternate: String,
    /// The mapping reversed the strand.
    pub minus: bool,
}

/// Why a variant could not be lifted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LiftFailure {
    /// The chromosome is not a primary one.
    UnknownChromosome,
    /// No single ungapped block holds the REF span (unaligned, or across a gap).
    Unmapped,
    /// Maps to a non-primary sequence (alt haplotype, unplaced contig).
    NonPrimaryTarget,
    /// An indel mapped to the minus strand: its VCF anchor base would need the reference
    /// sequence (not available) to be re-placed.
    IndelOnMinusStrand,
}

/// Lifts a VCF-style variant (1-based `pos`, REF span mapped as a whole). SNVs and MNVs on a
/// minus-strand mapping are reverse-complemented; indels there are refused.
pub fn lift_variant(
    map: &ChainMap,
    chrom: Chrom,
    pos: u64,
    reference: &str,
    alternate: &str,
) -> std::result::Result<LiftedVariant, LiftFailure> {
    if pos == 0 || reference.is_empty() {
        return Err(LiftFailure::Unmapped);
    }
    let name = chrom.ucsc_name();
    let start = pos - 1;
    let end = start + reference.len() as u64;
    let m = map
        .map_interval(&name, start, end)
        .ok_or(LiftFailure::Unmapped)?;
    let target: Chrom = m.chrom.parse().map_err(|_| LiftFailure::NonPrimaryTarget)?;
    if m.chrom.contains('_') {
        return Err(LiftFailure::NonPrimaryTarget);
    }
    if m.minus {
        if reference.len() != alternate.len() {
            return Err(LiftFailure::IndelOnMinusStrand);
        }
        return Ok(LiftedVariant {
            chrom: target,
            pos: m.start + 1,
            reference: reverse_complement(reference),
            alternate: reverse_complement(alternate),
            minus: true,
        });
    }
    Ok(LiftedVariant {
        chrom: target,
        pos: m.start + 1,
        reference: reference.to_ascii_uppercase(),
        alternate: alternate.to_ascii_uppercase(),
        minus: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // chain 1: chr1 [100, 200) of a 1000-bp target -> chr1 (+) of a 2000-bp query
    //   blocks: t[100,150) -> q[1100,1150); gap t 10, q 5; t[160,200) -> q[1155,1195)
    // chain 2: chr2 [0, 50) -> chr3 (-) of a 500-bp query, q (minus-strand coords) [10, 60)
    //   forward strand: t 0 -> q_minus 10 -> forward 500-1-10 = 489
    // chain 3 (lower score): chr1 [120, 130) -> chr9, overlapping chain 1
    const CHAIN: &str = "chain 1000 chr1 1000 + 100 200 chr1 2000 + 1100 1195 1\n50 10 5\n40\n\n\
chain 500 chr2 300 + 0 50 chr3 500 - 10 60 2\n50\n\n\
chain 10 chr1 1000 + 120 130 chr9 100 + 0 10 3\n10\n";

    fn map() -> ChainMap {
        ChainMap::from_reader(CHAIN.as_bytes(), Path::new("t.chain")).unwrap()
    }

    #[test]
    fn plus_strand_blocks_and_gaps_by_hand() {
        let m = map();
        assert_eq!(m.chains(), 3);
        // t 100 -> q 1100; t 149 -> q 1149
        assert_eq!(
            m.map_interval("chr1", 100, 101).unwrap(),
            Mapped {
                chrom: "chr1".into(),
                start: 1100,
                end: 1101,
                minus: false
            }
        );
        assert_eq!(m.map_interval("chr1", 149, 150).unwrap().start, 1149);
        // after the gap: t 160 -> q 1155
        assert_eq!(m.map_interval("chr1", 160, 162).unwrap().start, 1155);
        // inside the target gap, or straddling it: unmapped
        assert_eq!(m.map_interval("chr1", 155, 156), None);
        assert_eq!(m.map_interval("chr1", 148, 152), None);
        // overlap of chains 1 and 3: the higher score (chain 1) wins
        assert_eq!(m.map_interval("chr1", 125, 126).unwrap().chrom, "chr1");
        assert_eq!(m.map_interval("chr5", 1, 2), None);
    }

    #[test]
    fn minus_strand_by_hand() {
        let m = map();
        // t [0,1) -> minus-strand q [10,11) -> forward [500-11, 500-10) = [489, 490)
        assert_eq!(
            m.map_interval("chr2", 0, 1).unwrap(),
            Mapped {
                chrom: "chr3".into(),
                start: 489,
                end: 490,
                minus: true
            }
        );
        // t [5, 8) -> minus [15, 18) -> forward [482, 485)
        assert_eq!(
            m.map_interval("chr2", 5, 8).unwrap(),
            Mapped {
                chrom: "chr3".into(),
                start: 482,
                end: 485,
                minus: true
            }
        );
        let c2 = Chrom::autosome(2).unwrap();
        // SNV at 1-based 6 (t 5): forward 0-based 484 -> 1-based 485, complemented
        let v = lift_variant(&m, c2, 6, "A", "G").unwrap();
        assert_eq!(
            (
                v.chrom,
                v.pos,
                v.reference.as_str(),
                v.alternate.as_str(),
                v.minus
            ),
            (Chrom::autosome(3).unwrap(), 485, "T", "C", true)
        );
        // MNV at 1-based 6-8 (t [5,8)) -> forward [482,485) -> 1-based 483, reverse-complemented
        let v = lift_variant(&m, c2, 6, "ACG", "TTA").unwrap();
        assert_eq!(
            (v.pos, v.reference.as_str(), v.alternate.as_str()),
            (483, "CGT", "TAA")
        );
        assert_eq!(
            lift_variant(&m, c2, 6, "A", "AT"),
            Err(LiftFailure::IndelOnMinusStrand)
        );
        assert_eq!(reverse_complement("ACGTN"), "NACGT");
    }

    #[test]
    fn variants_on_plus_strand() {
        let m = map();
        let c1 = Chrom::autosome(1).unwrap();
        // deletion TG>T at 1-based 101 spans t [100,102) -> q [1100,1102) -> 1-based 1101
        let v = lift_variant(&m, c1, 101, "tg", "t").unwrap();
        assert_eq!(
            (
                v.chrom,
                v.pos,
                v.reference.as_str(),
                v.alternate.as_str(),
                v.minus
            ),
            (c1, 1101, "TG", "T", false)
        );
        // REF crossing the gap
        assert_eq!(
            lift_variant(&m, c1, 149, "ACGT", "A"),
            Err(LiftFailure::Unmapped)
        );
        assert_eq!(
            lift_variant(&m, Chrom::X, 5, "A", "C"),
            Err(LiftFailure::Unmapped)
        );
    }

    #[test]
    fn malformed_chains_are_located() {
        let e = |t: &str| {
            ChainMap::from_reader(t.as_bytes(), Path::new("x.chain"))
                .err()
                .unwrap()
                .to_string()
        };
        assert!(e("chain 1 chr1 10 + 0 5 chr1 10 + 0 5\n5 x 1\n").contains("line 2"));
        assert!(e("chain 1 chr1 10 + 0 5 chr1 10 + 0 5\n5 0 0\n").contains("not closed"));
        assert!(e("5\n").contains("line 1"));
        assert!(e("chain 1 chr1 10 + 0 5 chr1 10 + 0 5\n9\n").contains("past the end"));
        assert!(e("chain 1 chr1 10 + 0 5 chr1 10 * 0 5\n5\n").contains("query strand"));
    }
}
