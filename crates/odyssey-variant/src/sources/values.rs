//! Range checks of frequency-source values (issue 13): an allele frequency that is negative,
//! NaN, infinite, above 1 or not a number (AF −0.5 once gave a genotype score of −300) is an
//! error naming the file and line (the caller adds them), not a silently missing or wrong value.
//!
//! Fields, in store order (see `config::F_AF`…): `af` and `popmax` and every `pop:<name>` are
//! proportions in [0, 1]; `nhomalt` and `hemizygotes` are counts ≥ 0. Empty, `.` and `NA` mean
//! missing.

use super::config::{F_HEMI, F_NHOMALT};
use super::parse::per_allele;
use crate::annotation::vcf_csq::info_value;

/// Checks one frequency value `v` parsed from `raw` for field `field` (store index) named `key`.
fn check(field: usize, key: &str, raw: &str, v: f32) -> Result<(), String> {
    let raw = raw.trim();
    if matches!(raw, "" | "." | "NA") {
        return Ok(());
    }
    let count = field == F_NHOMALT || field == F_HEMI;
    let ok = v.is_finite() && v >= 0.0 && (count || v <= 1.0);
    if ok {
        return Ok(());
    }
    let expected = if count {
        "a count ≥ 0"
    } else {
        "a frequency between 0 and 1"
    };
    Err(format!(
        "{key} value {raw:?}: expected {expected} (or '.' for missing)"
    ))
}

/// VCF: checks the values of ALT `alt` (1-based) of `n_alts`, read from `info` with `keys`.
pub(crate) fn check_frequency_values(
    values: &[f32],
    keys: &[String],
    info: &str,
    alt: usize,
    n_alts: usize,
) -> Result<(), String> {
    for (field, (k, &v)) in keys.iter().zip(values).enumerate() {
        if k.is_empty() {
            continue;
        }
        let raw = info_value(info, k).map_or("", |t| per_allele(t, alt, n_alts));
        check(field, k, raw, v)?;
    }
    Ok(())
}

/// TSV: checks values parsed from the cells `raw` (same order).
pub(crate) fn check_tsv_frequency_values(values: &[f32], raw: &[&str]) -> Result<(), String> {
    for (field, (r, &v)) in raw.iter().zip(values).enumerate() {
        check(field, &format!("column {}", field + 1), r, v)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::build_store;
    use crate::sources::config::parse_sources_toml;

    fn build(info: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let vcf = dir.path().join("f.vcf");
        std::fs::write(
            &vcf,
            format!("##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n##INFO=<ID=nhomalt,Number=A,Type=Integer,Description=\"n\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t100\t.\tC\tT\t.\tPASS\tAF=0.1\n1\t101\t.\tC\tT\t.\tPASS\t{info}\n"),
        )
        .unwrap();
        let toml = format!(
            "[[source]]\nname='f'\nrole='frequency'\nnhomalt='nhomalt'\npath='{}'\n",
            vcf.display()
        );
        let src = parse_sources_toml(&toml, &dir.path().join("s.toml"))
            .unwrap()
            .1
            .remove(0);
        match build_store(&src, &dir.path().join("f.ostore")) {
            Ok(s) => format!("ok {}", s.records),
            Err(e) => e
                .to_string()
                .replace(&dir.path().display().to_string(), "D"),
        }
    }

    #[test]
    fn out_of_range_frequencies_name_file_and_line() {
        for (info, want) in [
            (
                "AF=-0.5",
                "AF value \"-0.5\": expected a frequency between 0 and 1",
            ),
            ("AF=1.5", "AF value \"1.5\""),
            ("AF=nan", "AF value \"nan\""),
            ("AF=inf", "AF value \"inf\""),
            ("AF=abc", "AF value \"abc\""),
            (
                "AF=0.2;nhomalt=-1",
                "nhomalt value \"-1\": expected a count ≥ 0",
            ),
        ] {
            let m = build(info);
            assert!(
                m.contains("D/f.vcf") && m.contains("line 6") && m.contains(want),
                "{info}: {m}"
            );
        }
        // valid extremes and missing markers are accepted
        assert_eq!(build("AF=1;nhomalt=3"), "ok 2");
        assert_eq!(build("AF=0"), "ok 2");
        assert_eq!(build("AF=."), "ok 1");
    }

    #[test]
    fn counts_may_exceed_one() {
        assert!(check(F_NHOMALT, "nhomalt", "12", 12.0).is_ok());
        assert!(check(0, "AF", "12", 12.0).is_err());
    }
}

#[cfg(test)]
mod empty_build {
    #[test]
    fn lines_giving_no_record_fail() {
        let dir = tempfile::tempdir().unwrap();
        let vcf = dir.path().join("f.vcf");
        // two data lines, neither with an AF value: nothing to store
        std::fs::write(
            &vcf,
            "##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t100\t.\tC\tT\t.\tPASS\tAF=.\n1\t101\t.\tC\tT\t.\tPASS\tDP=4\n",
        )
        .unwrap();
        let toml = format!(
            "[[source]]\nname='f'\nrole='frequency'\npath='{}'\n",
            vcf.display()
        );
        let src = crate::sources::config::parse_sources_toml(&toml, &dir.path().join("s.toml"))
            .unwrap()
            .1
            .remove(0);
        let out = dir.path().join("f.ostore");
        let e = crate::sources::build_store(&src, &out)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("f.vcf") && e.contains("2 data lines on primary chromosomes gave 0 records"),
            "{e}"
        );
        assert!(!out.exists());
    }
}
