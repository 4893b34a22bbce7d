//! Parsing of source lines (VCF or TSV) into normalised keys and numeric values.

use odyssey_genome::{Chrom, VariantKey};

use super::clinvar::{review_stars, ClinicalSignificance};
use super::config::{ResolvedSource, Role, ScoreKind, SourceFormat};
use crate::annotation::vcf_csq::info_value;

/// One normalised source entry.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub key: VariantKey,
    pub values: Vec<f32>,
}

/// How values of two entries with the same key combine: scores keep the maximum (AlphaMissense
/// and REVEL list a variant once per transcript), other roles keep the first entry.
pub(crate) fn merge_values(role: Role, into: &mut [f32], other: &[f32]) {
    if role == Role::Score {
        for (a, b) in into.iter_mut().zip(other) {
            if a.is_nan() || (!b.is_nan() && *b > *a) {
                *a = *b;
            }
        }
    }
}

/// Parser of one source's data lines.
#[derive(Clone, Debug)]
pub(crate) struct LineParser {
    format: SourceFormat,
    role: Role,
    score: Option<ScoreKind>,
    keys: Vec<String>,
    pass_only: bool,
    delimiter: u8,
    cols: [usize; 4],
    value_cols: Vec<Option<usize>>,
    last_chrom: (String, Option<Chrom>),
}

pub(crate) fn parse_f32(s: &str) -> f32 {
    match s {
        "" | "." | "NA" | "nan" | "NaN" => f32::NAN,
        s => s.parse::<f32>().unwrap_or(f32::NAN),
    }
}

/// The value of a per-ALT INFO field for ALT `i` (1-based) out of `n` ALTs.
pub(crate) fn per_allele(v: &str, i: usize, n: usize) -> &str {
    if !v.contains(',') {
        return v;
    }
    let parts: Vec<&str> = v.split(',').collect();
    if parts.len() == n {
        parts[i - 1]
    } else if parts.len() == n + 1 {
        parts[i]
    } else {
        parts[0]
    }
}

/// Maximum delta score of a SpliceAI INFO value for one ALT
/// (`ALLELE|SYMBOL|DS_AG|DS_AL|DS_DG|DS_DL|DP_AG|DP_AL|DP_DG|DP_DL`, comma-separated per allele
/// and gene).
pub(crate) fn spliceai_max(v: &str, alt: &str) -> f32 {
    let mut best = f32::NAN;
    for e in v.split(',') {
        let f: Vec<&str> = e.split('|').collect();
        if f.len() < 6 || !f[0].eq_ignore_ascii_case(alt) {
            continue;
        }
        for ds in &f[2..6] {
            let x = parse_f32(ds);
            if !x.is_nan() && (best.is_nan() || x > best) {
                best = x;
            }
        }
    }
    best
}

/// Index of a TSV column named `want` (case-insensitive) or given by its 1-based number.
pub(crate) fn column_index(names: &[String], want: &str) -> Option<usize> {
    if let Ok(n) = want.parse::<usize>() {
        return (n >= 1 && n <= names.len()).then(|| n - 1);
    }
    names.iter().position(|c| c.eq_ignore_ascii_case(want))
}

impl LineParser {
    /// A parser for a VCF source.
    pub(crate) fn vcf(src: &ResolvedSource) -> LineParser {
        LineParser {
            format: SourceFormat::Vcf,
            role: src.role,
            score: src.score,
            keys: src.keys.clone(),
            pass_only: src.pass_only,
            delimiter: b'\t',
            cols: [0, 1, 3, 4],
            value_cols: Vec::new(),
            last_chrom: (String::new(), None),
        }
    }

    /// A parser for a TSV source with the given header line (without its leading `#`).
    /// Errors when a configured column is not in the header.
    pub(crate) fn tsv(src: &ResolvedSource, header: &str) -> Result<LineParser, String> {
        let names = tsv_column_names(src, header);
        let mut cols = [0usize; 4];
        for (i, want) in src.columns.iter().enumerate() {
            cols[i] = column_index(&names, want).ok_or_else(|| {
                format!("column {want:?} not in the header ({})", names.join(", "))
            })?;
        }
        let mut value_cols = Vec::new();
        for k in &src.keys {
            if k.is_empty() {
                value_cols.push(None);
                continue;
            }
            match column_index(&names, k) {
                Some(c) => value_cols.push(Some(c)),
                // preset keys a release lacks (checked and reported when the source is opened)
                None if src.optional_keys.contains(k) => value_cols.push(None),
                None => {
                    return Err(format!(
                        "column {k:?} not in the header ({})",
                        names.join(", ")
                    ))
                }
            }
        }
        Ok(LineParser {
            format: SourceFormat::Tsv,
            role: src.role,
            score: src.score,
            keys: src.keys.clone(),
            pass_only: src.pass_only,
            delimiter: src.delimiter,
            cols,
            value_cols,
            last_chrom: (String::new(), None),
        })
    }

    fn chrom(&mut self, name: &str) -> Option<Chrom> {
        if self.last_chrom.0 != name {
            self.last_chrom = (name.to_string(), name.parse::<Chrom>().ok());
        }
        self.last_chrom.1
    }

    /// Parses a data line; entries are appended to `out`. Returns the line's chromosome and
    /// position (`None` for non-primary contigs or skipped lines).
    pub(crate) fn parse(
        &mut self,
        line: &str,
        out: &mut Vec<Entry>,
    ) -> Result<Option<(Chrom, u32)>, String> {
        match self.format {
            SourceFormat::Tsv => self.parse_tsv(line, out),
            _ => self.parse_vcf(line, out),
        }
    }

    fn parse_vcf(
        &mut self,
        line: &str,
        out: &mut Vec<Entry>,
    ) -> Result<Option<(Chrom, u32)>, String> {
        let f: Vec<&str> = line.splitn(9, '\t').collect();
        if f.len() < 8 {
            return Err(format!(
                "expected 8 or more tab-separated VCF columns, found {}",
                f.len()
            ));
        }
        let Some(chrom) = self.chrom(f[0]) else {
            return Ok(None);
        };
        let pos = f[1]
            .parse::<u32>()
            .map_err(|_| format!("POS {:?} is not a positive integer", f[1]))?;
        if self.pass_only && !(f[6] == "PASS" || f[6] == ".") {
            return Ok(Some((chrom, pos)));
        }
        let info = f[7];
        let alts: Vec<&str> = f[4].split(',').collect();
        for (i, alt) in alts.iter().enumerate() {
            let Ok(key) = VariantKey::new(chrom, pos, f[3], alt) else {
                continue;
            };
            let mut values = Vec::with_capacity(self.keys.len());
            match self.role {
                Role::Clinvar => {
                    let sig = info_value(info, &self.keys[0]).map(ClinicalSignificance::parse);
                    let stars = info_value(info, &self.keys[1]).map(review_stars);
                    values.push(sig.map_or(f32::NAN, |s| s.code()));
                    values.push(stars.map_or(f32::NAN, f32::from));
                }
                Role::Score if self.score == Some(ScoreKind::Spliceai) => {
                    values.push(
                        info_value(info, &self.keys[0]).map_or(f32::NAN, |v| spliceai_max(v, alt)),
                    );
                }
                _ => {
                    for k in &self.keys {
                        let v = if k.is_empty() {
                            f32::NAN
                        } else {
                            info_value(info, k)
                                .map_or(f32::NAN, |v| parse_f32(per_allele(v, i + 1, alts.len())))
                        };
                        values.push(v);
                    }
                }
            }
            if matches!(self.role, Role::Frequency | Role::LocalFrequency) {
                super::values::check_frequency_values(
                    &values,
                    &self.keys,
                    info,
                    i + 1,
                    alts.len(),
                )?;
            }
            if values.iter().all(|v| v.is_nan()) {
                continue;
            }
            out.push(Entry { key, values });
        }
        Ok(Some((chrom, pos)))
    }

    fn parse_tsv(
        &mut self,
        line: &str,
        out: &mut Vec<Entry>,
    ) -> Result<Option<(Chrom, u32)>, String> {
        let f: Vec<&str> = line.split(self.delimiter as char).collect();
        let need = self
            .cols
            .iter()
            .chain(self.value_cols.iter().flatten())
            .max()
            .copied()
            .unwrap_or(0)
            + 1;
        if f.len() < need {
            return Err(format!(
                "expected at least {need} columns, found {}",
                f.len()
            ));
        }
        let Some(chrom) = self.chrom(f[self.cols[0]]) else {
            return Ok(None);
        };
        let p = f[self.cols[1]];
        if p == "." || p.is_empty() {
            return Ok(None);
        }
        let pos = p
            .parse::<u32>()
            .map_err(|_| format!("position {p:?} is not a positive integer"))?;
        let Ok(key) = VariantKey::new(chrom, pos, f[self.cols[2]], f[self.cols[3]]) else {
            return Ok(Some((chrom, pos)));
        };
        let values: Vec<f32> = self
            .value_cols
            .iter()
            .map(|c| c.map_or(f32::NAN, |c| parse_f32(f[c].trim())))
            .collect();
        if matches!(self.role, Role::Frequency | Role::LocalFrequency) {
            let raw: Vec<&str> = self
                .value_cols
                .iter()
                .map(|c| c.map_or("", |c| f[c].trim()))
                .collect();
            super::values::check_tsv_frequency_values(&values, &raw)?;
        }
        if !values.iter().all(|v| v.is_nan()) {
            out.push(Entry { key, values });
        }
        Ok(Some((chrom, pos)))
    }
}

/// Column names of a TSV header line (without a leading `#`).
pub(crate) fn tsv_column_names(src: &ResolvedSource, header: &str) -> Vec<String> {
    header
        .split(src.delimiter as char)
        .map(|s| s.trim().trim_start_matches('#').to_string())
        .collect()
}

/// Finds the header line of a TSV source among its first lines: the last line starting with
/// `#` before the first data line (CADD, AlphaMissense), or else the first line (REVEL).
pub(crate) fn tsv_header<'a, I: Iterator<Item = &'a str>>(lines: I) -> Option<(String, usize)> {
    let mut header = None;
    for (i, l) in lines.enumerate() {
        if let Some(h) = l.strip_prefix('#') {
            if !h.starts_with('#') || header.is_none() {
                header = Some((h.trim_start_matches('#').to_string(), i + 1));
            }
            continue;
        }
        return Some(header.unwrap_or((l.to_string(), i + 1)));
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::config::parse_sources_toml;
    use std::path::Path;

    fn src(toml: &str) -> ResolvedSource {
        parse_sources_toml(toml, Path::new("/x/s.toml"))
            .unwrap()
            .1
            .remove(0)
    }

    #[test]
    fn vcf_frequency_lines() {
        let s = src("[[source]]\nname='g'\nrole='frequency'\npath='g.vcf.gz'\npreset='gnomad3'\n");
        let mut p = LineParser::vcf(&s);
        let mut out = Vec::new();
        // multi-allelic, Number=A values
        let line = "chr1\t100\t.\tAT\tA,ATT\t.\tPASS\tAF=0.1,0.002;AF_popmax=0.2,0.003;nhomalt=5,0;AF_afr=0.3,0.001";
        assert_eq!(
            p.parse(line, &mut out).unwrap(),
            Some((Chrom::autosome(1).unwrap(), 100))
        );
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].key.to_string(), "1-100-AT-A");
        assert_eq!(out[0].values[0], 0.1);
        assert_eq!(out[1].values[0], 0.002);
        assert_eq!(out[1].values[2], 0.0);
        assert!(out[1].values[3].is_nan()); // no AC_XY
        let afr = s.fields.iter().position(|f| f == "pop:afr").unwrap();
        assert_eq!(out[0].values[afr], 0.3);
        // non-primary contig skipped
        assert_eq!(
            p.parse("chrUn_x\t5\t.\tA\tC\t.\t.\tAF=0.1", &mut out)
                .unwrap(),
            None
        );
        assert!(p
            .parse("chr1\tx\t.\tA\tC\t.\t.\tAF=0.1", &mut out)
            .unwrap_err()
            .contains("POS"));
    }

    #[test]
    fn clinvar_and_spliceai() {
        let s = src("[[source]]\nname='c'\nrole='clinvar'\npath='c.vcf.gz'\n");
        let mut p = LineParser::vcf(&s);
        let mut out = Vec::new();
        p.parse("1\t5\t1\tG\tA\t.\t.\tCLNREVSTAT=criteria_provided,_multiple_submitters,_no_conflicts;CLNSIG=Likely_pathogenic", &mut out).unwrap();
        assert_eq!(
            ClinicalSignificance::from_code(out[0].values[0]),
            Some(ClinicalSignificance::LikelyPathogenic)
        );
        assert_eq!(out[0].values[1], 2.0);
        let s = src("[[source]]\nname='s'\nrole='score'\nscore='spliceai'\npath='s.vcf.gz'\n");
        let mut p = LineParser::vcf(&s);
        out.clear();
        p.parse(
            "1\t69092\t.\tT\tA\t.\t.\tSpliceAI=A|OR4F5|0.00|0.00|0.22|0.00|2|41|1|23",
            &mut out,
        )
        .unwrap();
        assert_eq!(out[0].values, vec![0.22]);
        assert!(spliceai_max("C|X|0.1|0.2|0.3|0.4|0|0|0|0", "A").is_nan());
    }

    #[test]
    fn tsv_with_header_names() {
        let s = src("assembly='GRCh37'\n[[source]]\nname='r'\nrole='score'\nscore='revel'\npath='revel.csv'\n");
        let (h, n) = tsv_header(
            [
                "chr,hg19_pos,grch38_pos,ref,alt,aaref,aaalt,REVEL,Ensembl_transcriptid",
                "1,35142,35142,G,A,T,M,0.027,ENST1",
            ]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(n, 1);
        let mut p = LineParser::tsv(&s, &h).unwrap();
        let mut out = Vec::new();
        p.parse("1,35142,35142,G,A,T,M,0.027,ENST1", &mut out)
            .unwrap();
        assert_eq!(out[0].key.to_string(), "1-35142-G-A");
        assert_eq!(out[0].values, vec![0.027]);
        let (h, n) = tsv_header(
            [
                "## CADD v1.6",
                "#Chrom\tPos\tRef\tAlt\tRawScore\tPHRED",
                "1\t1\tA\tC\t0.1\t5.2",
            ]
            .into_iter(),
        )
        .unwrap();
        assert_eq!(
            (h.as_str(), n),
            ("Chrom\tPos\tRef\tAlt\tRawScore\tPHRED", 2)
        );
        let s = src("[[source]]\nname='c'\nrole='score'\nscore='cadd_phred'\npath='c.tsv.gz'\n");
        let mut p = LineParser::tsv(&s, &h).unwrap();
        out.clear();
        p.parse("1\t1\tA\tC\t0.1\t5.2", &mut out).unwrap();
        assert_eq!(out[0].values, vec![5.2]);
        let bad = src("[[source]]\nname='c'\nrole='score'\nscore='cadd_phred'\npath='c.tsv.gz'\nfield='Nope'\n");
        assert!(LineParser::tsv(&bad, &h).unwrap_err().contains("Nope"));
    }

    #[test]
    fn merging() {
        let mut a = vec![0.2, f32::NAN];
        merge_values(Role::Score, &mut a, &[0.5, 0.1]);
        assert_eq!(a, vec![0.5, 0.1]);
        let mut b = vec![0.2];
        merge_values(Role::Frequency, &mut b, &[0.5]);
        assert_eq!(b, vec![0.2]);
    }
}
