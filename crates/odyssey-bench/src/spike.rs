//! Spike-in: a case's causal variants inserted into a real background exome.
//!
//! The background VCF (plain, gzip or BGZF; one sample) is read once: its header is parsed by
//! noodles, and every record line is parsed by noodles (chromosome, position, REF, INFO) and
//! kept verbatim, so the spiked file differs from the background only by the inserted lines.
//! Background records flagged `SPIKED` in INFO (an earlier spike-in, e.g. the FGFR2 variant of
//! Exomiser's Pfeiffer example) are removed: they would plant a second causal variant.
//!
//! A spiked variant becomes one record `CHROM POS . REF ALT 100 PASS . FORMAT SAMPLE` with
//! the genotype of its allelic state (heterozygous `0/1`, homozygous `1/1`, hemizygous `1` on
//! chrX/chrY unless the proband is female, where it is written `1/1`), and, when the
//! background header defines them, `AD` (het 15,15; hom/hemi 0,30), `DP` 30 and `GQ` 99. Its
//! INFO is empty: a spiked variant is annotated by the pipeline like every background variant,
//! with no flag it could use. A background record overlapping a spiked variant is removed
//! (the spiked allele replaces it); where they overlap, the background's REF bases (real
//! sequence of the background's assembly) must equal the spiked REF's, otherwise the case is
//! refused ([`SpikeError::RefConflict`]).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use noodles::vcf;
use odyssey_genome::{Assembly, Chrom};

use crate::error::{BenchError, Result};

/// Genotype written for a spiked variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Genotype {
    /// `0/1`.
    Heterozygous,
    /// `1/1`.
    HomozygousAlt,
    /// `1` (haploid call).
    Hemizygous,
}

impl Genotype {
    /// The GT value.
    pub fn gt(self) -> &'static str {
        match self {
            Genotype::Heterozygous => "0/1",
            Genotype::HomozygousAlt => "1/1",
            Genotype::Hemizygous => "1",
        }
    }

    fn ad(self) -> &'static str {
        match self {
            Genotype::Heterozygous => "15,15",
            _ => "0,30",
        }
    }
}

/// A variant to insert, in the background's assembly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpikeVariant {
    /// Chromosome.
    pub chrom: Chrom,
    /// 1-based position.
    pub pos: u64,
    /// REF.
    pub reference: String,
    /// ALT.
    pub alternate: String,
    /// Genotype.
    pub genotype: Genotype,
    /// INFO of a symbolic structural record (`SVTYPE=DEL;END=46230365`), `None` for sequence
    /// alleles (INFO `.`).
    pub info: Option<String>,
}

impl SpikeVariant {
    fn end(&self) -> u64 {
        self.pos + self.reference.len() as u64 - 1
    }
}

#[derive(Clone, Debug)]
struct BgRecord {
    /// Index of the sequence name (in order of first appearance).
    name: u32,
    /// Record number in the file (1-based, after the header).
    number: u32,
    chrom: Option<Chrom>,
    pos: u64,
    reference: String,
    line: String,
}

/// Why a case's variants cannot be spiked into the background.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpikeError {
    /// A background record overlapping the spiked variant has different REF bases there.
    #[error("REF {spiked} at {chrom}:{pos} disagrees with the background's REF {background} at {chrom}:{bg_pos}")]
    RefConflict {
        /// Chromosome.
        chrom: String,
        /// Spiked position.
        pos: u64,
        /// Spiked REF.
        spiked: String,
        /// Background position.
        bg_pos: u64,
        /// Background REF.
        background: String,
    },
}

/// A background exome held in memory.
pub struct Background {
    /// File.
    pub path: PathBuf,
    /// Assembly (from the `##contig` lengths, or given).
    pub assembly: Assembly,
    /// The sample.
    pub sample: String,
    header_text: String,
    /// `##contig` ids of the header.
    contigs: Vec<String>,
    records: Vec<BgRecord>,
    /// chromosome -> (order of first appearance, range of records)
    chroms: HashMap<Chrom, (usize, std::ops::Range<usize>)>,
    ucsc_names: bool,
    format_keys: Vec<&'static str>,
    /// Records flagged `SPIKED` that were removed on reading.
    pub removed_spiked: usize,
    longest_ref: u64,
}

fn open_text(path: &Path) -> Result<Box<dyn BufRead>> {
    let f = std::fs::File::open(path).map_err(|e| BenchError::io(path, e))?;
    let mut r = BufReader::new(f);
    let gz = r
        .fill_buf()
        .map_err(|e| BenchError::io(path, e))?
        .starts_with(&[0x1f, 0x8b]);
    Ok(if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(r))) as Box<dyn BufRead>
    } else {
        Box::new(r)
    })
}

impl Background {
    /// Reads a single-sample background VCF. `assembly`: given, or taken from the header's
    /// `##contig` lengths.
    ///
    /// Errors (file and record named): unreadable file; invalid header; not exactly one
    /// sample; a record noodles cannot parse; records not grouped by chromosome or not sorted
    /// by position; unknown assembly.
    pub fn read(path: &Path, assembly: Option<Assembly>) -> Result<Background> {
        let verr = |message: String| BenchError::Vcf {
            path: path.into(),
            message,
        };
        let mut r = open_text(path)?;
        let mut header_text = String::new();
        let mut line = String::new();
        loop {
            line.clear();
            let n = r
                .read_line(&mut line)
                .map_err(|e| BenchError::io(path, e))?;
            if n == 0 {
                return Err(verr("no #CHROM header line".into()));
            }
            header_text.push_str(&line);
            if line.starts_with("#CHROM") {
                break;
            }
            if !line.starts_with("##") {
                return Err(verr(format!(
                    "expected a ## meta line or the #CHROM line, found {:?}",
                    line.trim_end()
                )));
            }
        }
        if !header_text.ends_with('\n') {
            header_text.push('\n');
        }
        let header: vcf::Header = header_text
            .parse()
            .map_err(|e| verr(format!("invalid VCF header: {e}")))?;
        let samples: Vec<String> = header.sample_names().iter().cloned().collect();
        if samples.len() != 1 {
            return Err(verr(format!(
                "a background must have exactly one sample; found {}",
                samples.len()
            )));
        }
        let contigs = header
            .contigs()
            .iter()
            .filter_map(|(name, c)| c.length().map(|l| (name.as_str(), l as u64)));
        let assembly = match assembly.or_else(|| Assembly::from_contig_lengths(contigs)) {
            Some(a) => a,
            None => {
                return Err(verr(
                    "cannot tell the assembly from the ##contig lengths; give it explicitly".into(),
                ))
            }
        };
        let contig_ids: Vec<String> = header.contigs().keys().cloned().collect();
        let format_keys: Vec<&'static str> = ["AD", "DP", "GQ"]
            .into_iter()
            .filter(|k| header.formats().contains_key(*k))
            .collect();
        let mut records = Vec::new();
        let mut removed_spiked = 0;
        let mut ucsc_names = None;
        let mut longest_ref = 1;
        let mut n = 0usize;
        let mut names: Vec<String> = Vec::new();
        let mut text = String::new();
        r.read_to_string(&mut text)
            .map_err(|e| BenchError::io(path, e))?;
        for l in text.lines() {
            if l.is_empty() {
                continue;
            }
            n += 1;
            let rec = vcf::Record::try_from(l.as_bytes())
                .map_err(|e| verr(format!("record {n}: {e}")))?;
            let pos = match rec.variant_start() {
                Some(Ok(p)) => usize::from(p) as u64,
                _ => return Err(verr(format!("record {n}: missing or invalid POS"))),
            };
            let name = rec.reference_sequence_name();
            ucsc_names.get_or_insert_with(|| name.to_ascii_lowercase().starts_with("chr"));
            if rec.info().as_ref().split(';').any(|k| k == "SPIKED") {
                removed_spiked += 1;
                continue;
            }
            let reference = rec.reference_bases().to_ascii_uppercase();
            longest_ref = longest_ref.max(reference.len() as u64);
            let name_idx = match names.iter().rposition(|x| x == name) {
                Some(i) => i,
                None => {
                    names.push(name.to_string());
                    names.len() - 1
                }
            } as u32;
            records.push(BgRecord {
                name: name_idx,
                number: n as u32,
                chrom: name.parse().ok(),
                pos,
                reference,
                line: l.to_string(),
            });
        }
        // grouping and order: records of one sequence are contiguous and sorted by position
        let mut chroms: HashMap<Chrom, (usize, std::ops::Range<usize>)> = HashMap::new();
        let mut seen = vec![false; names.len()];
        let mut i = 0;
        while i < records.len() {
            let name = records[i].name;
            let start = i;
            if std::mem::replace(&mut seen[name as usize], true) {
                return Err(verr(format!(
                    "record {}: records of sequence {} are not contiguous",
                    records[i].number, names[name as usize]
                )));
            }
            while i < records.len() && records[i].name == name {
                if i > start && records[i].pos < records[i - 1].pos {
                    return Err(verr(format!(
                        "record {}: records are not sorted by position ({} after {} on {})",
                        records[i].number,
                        records[i].pos,
                        records[i - 1].pos,
                        names[name as usize]
                    )));
                }
                i += 1;
            }
            if let Some(c) = records[start].chrom {
                let order = chroms.len();
                if chroms.insert(c, (order, start..i)).is_some() {
                    return Err(verr(format!("chromosome {c} appears under two names")));
                }
            }
        }
        Ok(Background {
            path: path.into(),
            assembly,
            sample: samples[0].clone(),
            header_text,
            contigs: contig_ids,
            records,
            chroms,
            ucsc_names: ucsc_names.unwrap_or(false),
            format_keys,
            removed_spiked,
            longest_ref,
        })
    }

    /// Records kept (after removing `SPIKED` ones).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when the background has no record.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Chromosomes with records.
    pub fn chromosomes(&self) -> Vec<Chrom> {
        let mut v: Vec<(usize, Chrom)> = self.chroms.iter().map(|(c, (o, _))| (*o, *c)).collect();
        v.sort();
        v.into_iter().map(|x| x.1).collect()
    }

    fn chrom_name(&self, c: Chrom) -> String {
        if self.ucsc_names {
            c.ucsc_name()
        } else {
            c.name().to_string()
        }
    }

    /// Background records overlapping a variant (indices), after checking their REF bases
    /// against the variant's on the overlap.
    fn overlaps(&self, v: &SpikeVariant) -> std::result::Result<Vec<usize>, SpikeError> {
        // a symbolic record (REF N, ALT <DEL>) states no bases to compare and replaces none
        if v.alternate.starts_with('<') {
            return Ok(Vec::new());
        }
        let Some((_, range)) = self.chroms.get(&v.chrom) else {
            return Ok(Vec::new());
        };
        let recs = &self.records[range.clone()];
        let from = recs.partition_point(|r| r.pos + self.longest_ref <= v.pos);
        let mut out = Vec::new();
        for (k, r) in recs.iter().enumerate().skip(from) {
            if r.pos > v.end() {
                break;
            }
            let r_end = r.pos + r.reference.len() as u64 - 1;
            if r_end < v.pos {
                continue;
            }
            let (lo, hi) = (r.pos.max(v.pos), r_end.min(v.end()));
            let a = &r.reference.as_bytes()[(lo - r.pos) as usize..=(hi - r.pos) as usize];
            let b = &v.reference.as_bytes()[(lo - v.pos) as usize..=(hi - v.pos) as usize];
            if a != b && !a.contains(&b'N') {
                return Err(SpikeError::RefConflict {
                    chrom: self.chrom_name(v.chrom),
                    pos: v.pos,
                    spiked: v.reference.clone(),
                    bg_pos: r.pos,
                    background: r.reference.clone(),
                });
            }
            out.push(range.start + k);
        }
        Ok(out)
    }

    /// Checks the variants against the background: returns the number of background records
    /// they replace, or the REF conflict.
    pub fn check(&self, spikes: &[SpikeVariant]) -> std::result::Result<usize, SpikeError> {
        let mut n = 0;
        for v in spikes {
            n += self.overlaps(v)?.len();
        }
        Ok(n)
    }

    fn spike_line(&self, v: &SpikeVariant) -> String {
        let mut keys = vec!["GT"];
        let mut vals = vec![v.genotype.gt().to_string()];
        for k in &self.format_keys {
            keys.push(k);
            vals.push(match *k {
                "AD" => v.genotype.ad().to_string(),
                "DP" => "30".into(),
                _ => "99".into(),
            });
        }
        format!(
            "{}\t{}\t.\t{}\t{}\t100\tPASS\t{}\t{}\t{}",
            self.chrom_name(v.chrom),
            v.pos,
            v.reference,
            v.alternate,
            v.info.as_deref().unwrap_or("."),
            keys.join(":"),
            vals.join(":")
        )
    }

    /// Writes the background with `spikes` inserted in order (records of chromosomes absent
    /// from the background go at the end, in karyotypic order). Returns the number of
    /// background records replaced. Errors: REF conflict (nothing is written then); write
    /// failure.
    pub fn write_spiked(
        &self,
        spikes: &[SpikeVariant],
        out: &mut dyn Write,
    ) -> std::result::Result<usize, SpikeIoError> {
        let mut drop = Vec::new();
        for v in spikes {
            drop.extend(self.overlaps(v).map_err(SpikeIoError::Spike)?);
        }
        drop.sort_unstable();
        let key = |c: Chrom, pos: u64| (self.chroms.get(&c).map_or(1000 + c.index(), |x| x.0), pos);
        let mut sp: Vec<(usize, u64, String)> = spikes
            .iter()
            .map(|v| {
                let (o, p) = key(v.chrom, v.pos);
                (o, p, self.spike_line(v))
            })
            .collect();
        sp.sort();
        let mut w = std::io::BufWriter::with_capacity(1 << 16, out);
        // a spiked chromosome the header does not declare gets a ##contig line (length from
        // the assembly) before #CHROM
        let mut missing: Vec<Chrom> = spikes
            .iter()
            .map(|v| v.chrom)
            .filter(|c| {
                !self
                    .contigs
                    .iter()
                    .any(|id| id.parse::<Chrom>().ok() == Some(*c))
            })
            .collect();
        missing.sort();
        missing.dedup();
        let split = self.header_text.rfind("#CHROM").unwrap_or(0);
        w.write_all(&self.header_text.as_bytes()[..split])?;
        for c in missing {
            writeln!(
                w,
                "##contig=<ID={},length={}>",
                self.chrom_name(c),
                self.assembly.length(c)
            )?;
        }
        w.write_all(&self.header_text.as_bytes()[split..])?;
        let mut next = 0;
        // records of non-primary contigs keep their place: they sort with the preceding key
        let mut last_key = (0usize, 0u64);
        for (i, r) in self.records.iter().enumerate() {
            if let Some(c) = r.chrom {
                last_key = key(c, r.pos);
            }
            while next < sp.len() && (sp[next].0, sp[next].1) <= last_key {
                writeln!(w, "{}", sp[next].2)?;
                next += 1;
            }
            if drop.binary_search(&i).is_ok() {
                continue;
            }
            writeln!(w, "{}", r.line)?;
        }
        for s in &sp[next..] {
            writeln!(w, "{}", s.2)?;
        }
        w.flush()?;
        Ok(drop.len())
    }
}

/// Error of [`Background::write_spiked`].
#[derive(Debug, thiserror::Error)]
pub enum SpikeIoError {
    /// The variants do not fit the background.
    #[error(transparent)]
    Spike(#[from] SpikeError),
    /// Writing failed.
    #[error("writing the spiked VCF: {0}")]
    Io(#[from] std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    const VCF: &str = "##fileformat=VCFv4.1\n\
##INFO=<ID=SPIKED,Number=0,Type=Flag,Description=\"spiked\">\n\
##FORMAT=<ID=GT,Number=1,Type=String,Description=\"Genotype\">\n\
##FORMAT=<ID=DP,Number=1,Type=Integer,Description=\"Depth\">\n\
##contig=<ID=1,length=249250621>\n##contig=<ID=2,length=243199373>\n\
#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1\n\
1\t100\t.\tA\tG\t50\tPASS\t.\tGT:DP\t0/1:20\n\
1\t200\t.\tACGT\tA\t50\tPASS\t.\tGT:DP\t0/1:20\n\
1\t300\t.\tC\tT\t50\tPASS\tSPIKED\tGT:DP\t0/1:20\n\
2\t50\t.\tG\tC\t50\tPASS\t.\tGT:DP\t1/1:20\n";

    fn bg() -> (tempfile::TempDir, Background) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bg.vcf");
        std::fs::write(&p, VCF).unwrap();
        let b = Background::read(&p, None).unwrap();
        (dir, b)
    }

    fn sv(chrom: Chrom, pos: u64, r: &str, a: &str, g: Genotype) -> SpikeVariant {
        SpikeVariant {
            info: None,
            chrom,
            pos,
            reference: r.into(),
            alternate: a.into(),
            genotype: g,
        }
    }

    fn body(b: &Background, spikes: &[SpikeVariant]) -> (usize, Vec<String>) {
        let mut out = Vec::new();
        let n = b.write_spiked(spikes, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        (
            n,
            text.lines()
                .filter(|l| !l.starts_with('#'))
                .map(|l| {
                    l.split('\t').take(5).collect::<Vec<_>>().join(" ")
                        + " "
                        + l.rsplit('\t').next().unwrap()
                })
                .collect(),
        )
    }

    #[test]
    fn reads_background_and_drops_earlier_spikes() {
        let (_d, b) = bg();
        assert_eq!(b.assembly, Assembly::GRCh37);
        assert_eq!(b.sample, "S1");
        assert_eq!(b.removed_spiked, 1);
        assert_eq!(b.len(), 3);
        assert_eq!(
            b.chromosomes(),
            vec![Chrom::autosome(1).unwrap(), Chrom::autosome(2).unwrap()]
        );
    }

    #[test]
    fn inserts_in_order_with_genotypes() {
        let (_d, b) = bg();
        let c1 = Chrom::autosome(1).unwrap();
        let spikes = [
            sv(Chrom::X, 10, "G", "A", Genotype::Hemizygous),
            sv(c1, 150, "T", "TA", Genotype::Heterozygous),
            sv(
                Chrom::autosome(2).unwrap(),
                60,
                "C",
                "G",
                Genotype::HomozygousAlt,
            ),
        ];
        let (replaced, lines) = body(&b, &spikes);
        assert_eq!(replaced, 0);
        let mut out = Vec::new();
        b.write_spiked(&spikes, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // chrX is not declared by the background: declared with its GRCh37 length before #CHROM
        assert!(
            text.contains(
                "##contig=<ID=2,length=243199373>\n##contig=<ID=X,length=155270560>\n#CHROM"
            ),
            "{text}"
        );
        assert_eq!(
            lines,
            vec![
                "1 100 . A G 0/1:20",
                "1 150 . T TA 0/1:30",
                "1 200 . ACGT A 0/1:20",
                "2 50 . G C 1/1:20",
                "2 60 . C G 1/1:30",
                "X 10 . G A 1:30",
            ]
        );
    }

    #[test]
    fn overlapping_background_records_are_replaced_or_refused() {
        let (_d, b) = bg();
        let c1 = Chrom::autosome(1).unwrap();
        // SNV inside the background deletion's REF (ACGT at 200..203): base 202 is G
        let (replaced, lines) = body(&b, &[sv(c1, 202, "G", "T", Genotype::Heterozygous)]);
        assert_eq!(replaced, 1);
        assert!(
            lines.contains(&"1 202 . G T 0/1:30".to_string())
                && !lines.iter().any(|l| l.starts_with("1 200"))
        );
        // wrong base at 202
        let err = b
            .check(&[sv(c1, 202, "C", "T", Genotype::Heterozygous)])
            .unwrap_err();
        assert!(err.to_string().contains("1:200"), "{err}");
        // same position, same REF
        assert_eq!(
            b.check(&[sv(c1, 100, "A", "C", Genotype::Heterozygous)]),
            Ok(1)
        );
        // no overlap
        assert_eq!(
            b.check(&[sv(c1, 101, "A", "C", Genotype::Heterozygous)]),
            Ok(0)
        );
    }

    #[test]
    fn the_spiked_file_reads_back_with_noodles() {
        let (d, b) = bg();
        let p = d.path().join("spiked.vcf");
        let mut f = std::fs::File::create(&p).unwrap();
        b.write_spiked(
            &[sv(
                Chrom::autosome(1).unwrap(),
                150,
                "T",
                "TA",
                Genotype::Heterozygous,
            )],
            &mut f,
        )
        .unwrap();
        drop(f);
        let mut r = vcf::io::reader::Builder::default()
            .build_from_path(&p)
            .unwrap();
        let h = r.read_header().unwrap();
        let n = r
            .records()
            .map(|x| x.unwrap())
            .filter(|x| x.reference_sequence_name() == "1")
            .count();
        assert_eq!(n, 3);
        assert_eq!(h.sample_names().len(), 1);
    }

    #[test]
    fn bad_backgrounds_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.vcf");
        std::fs::write(&p, VCF.replace("2\t50\t", "1\t50\t")).unwrap();
        let e = Background::read(&p, None).err().unwrap().to_string();
        assert!(e.contains("bad.vcf") && e.contains("not sorted"), "{e}");
        // 1, 2, then 1 again
        std::fs::write(
            &p,
            format!("{VCF}1\t500\t.\tA\tG\t50\tPASS\t.\tGT:DP\t0/1:20\n"),
        )
        .unwrap();
        let e = Background::read(&p, None).err().unwrap().to_string();
        assert!(
            e.contains("record 5") && e.contains("not contiguous"),
            "{e}"
        );
        std::fs::write(&p, VCF.replace("\tS1\n", "\tS1\tS2\n")).unwrap();
        assert!(Background::read(&p, None)
            .err()
            .unwrap()
            .to_string()
            .contains("exactly one sample"));
        std::fs::write(&p, VCF.replace("1\t100\t.\tA", "1\tx\t.\tA")).unwrap();
        let e = Background::read(&p, None).err().unwrap().to_string();
        assert!(e.contains("record 1"), "{e}");
    }
}
