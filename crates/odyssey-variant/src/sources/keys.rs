//! Checks, when a source is opened or compiled, that the INFO keys (VCF) or columns (TSV) it is
//! configured to read exist in the file's header: a misspelt key is an error naming the
//! source, the file and the key, not a source that silently yields nothing.

use super::config::{ResolvedSource, SourceFormat};
use super::parse::{column_index, tsv_column_names};
use super::text::{read_tsv_header, read_vcf_info_keys};
use crate::error::{Error, Result};

/// Up to 60 names, then how many there are in all.
fn listing(names: &[String]) -> String {
    let shown: Vec<&str> = names.iter().take(60).map(String::as_str).collect();
    let more = if names.len() > shown.len() {
        format!(", ... ({} in all)", names.len())
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(", "))
}

/// Checks every configured key of `src` against the header of each of its files.
///
/// VCF sources: each non-empty key must have a `##INFO=<ID=key,...>` line (VCF keys are
/// case-sensitive). TSV sources: each key must name a header column (case-insensitive, or a
/// 1-based column number). Keys in [`ResolvedSource::optional_keys`] (population keys implied
/// by a preset) may be missing: the returned warnings name them. Stores are not checked here
/// (their keys were checked when they were built).
///
/// Errors: [`Error::Config`] naming the source, the file, each missing key with its TOML
/// setting, and the keys the file has; unreadable files.
pub(crate) fn check_source_keys(src: &ResolvedSource) -> Result<Vec<String>> {
    let mut optional_missing: Vec<&str> = Vec::new();
    for path in &src.paths {
        let names: Vec<String> = match src.format {
            SourceFormat::Vcf => read_vcf_info_keys(path)?,
            SourceFormat::Tsv => tsv_column_names(src, &read_tsv_header(path)?.0),
            SourceFormat::Store => return Ok(Vec::new()),
        };
        let present = |k: &str| match src.format {
            SourceFormat::Tsv => column_index(&names, k).is_some(),
            _ => names.iter().any(|n| n == k),
        };
        let mut missing = Vec::new();
        for (i, k) in src.keys.iter().enumerate() {
            if k.is_empty() || present(k) {
                continue;
            }
            if src.optional_keys.contains(k) {
                if !optional_missing.contains(&k.as_str()) {
                    optional_missing.push(k);
                }
                continue;
            }
            let mut m = format!("{k:?} (`{}`)", src.setting_of_key(i));
            if let Some(n) = names.iter().find(|n| n.eq_ignore_ascii_case(k)) {
                m.push_str(&format!(" [the file has {n:?}; keys are case-sensitive]"));
            }
            missing.push(m);
        }
        if !missing.is_empty() {
            let message = match src.format {
                SourceFormat::Tsv => format!(
                    "column(s) {} not in the header; the columns are: {}",
                    missing.join(", "),
                    listing(&names)
                ),
                _ => format!(
                    "INFO key(s) {} not declared in the header (no ##INFO=<ID=...> line); {}",
                    missing.join(", "),
                    if names.is_empty() {
                        "the file declares no INFO keys".to_string()
                    } else {
                        format!("the INFO keys it declares are: {}", listing(&names))
                    }
                ),
            };
            return Err(Error::config(
                format!("source {:?} ({})", src.name, path.display()),
                message,
            ));
        }
    }
    let mut warnings = Vec::new();
    if !optional_missing.is_empty() {
        warnings.push(format!(
            "source {:?}: the preset's population key(s) {} are not in {}: those populations are left out",
            src.name,
            optional_missing.join(", "),
            if src.paths.len() == 1 { src.paths[0].display().to_string() } else { "its files".into() }
        ));
    }
    Ok(warnings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::config::parse_sources_toml;

    const GNOMAD_HEADER: &str = "##fileformat=VCFv4.2\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"Alt allele frequency, ID=x\">\n##INFO=<Number=1,ID=nhomalt,Type=Integer,Description=\"n\">\n##INFO=<ID=AF_popmax,Number=A,Type=Float,Description=\"p\">\n##INFO=<ID=AC_male,Number=A,Type=Integer,Description=\"m\">\n##INFO=<ID=AF_afr,Number=A,Type=Float,Description=\"a\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t5\t.\tA\tC\t.\tPASS\tAF=0.1\n";

    fn resolve(dir: &std::path::Path, toml: &str) -> ResolvedSource {
        parse_sources_toml(toml, &dir.join("s.toml"))
            .unwrap()
            .1
            .remove(0)
    }

    /// Regression (QA, /tmp/qa/s5.toml): `af = "NOSUCHFIELD"` was silently ignored.
    #[test]
    fn misspelt_vcf_info_keys_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("g.vcf"), GNOMAD_HEADER).unwrap();
        let src = resolve(
            dir.path(),
            "[[source]]\nname='x'\nrole='frequency'\npath='g.vcf'\naf='NOSUCHFIELD'\n",
        );
        let e = check_source_keys(&src).unwrap_err().to_string();
        assert!(e.starts_with("source \"x\" ("), "{e}");
        assert!(
            e.contains("g.vcf): INFO key(s) \"NOSUCHFIELD\" (`af`) not declared"),
            "{e}"
        );
        assert!(
            e.contains("the INFO keys it declares are: AF, nhomalt, AF_popmax, AC_male, AF_afr"),
            "{e}"
        );
        // case matters in VCF, and the message says so
        let src = resolve(
            dir.path(),
            "[[source]]\nname='x'\nrole='frequency'\npath='g.vcf'\nnhomalt='NHOMALT'\n",
        );
        let e = check_source_keys(&src).unwrap_err().to_string();
        assert!(
            e.contains(
                "\"NHOMALT\" (`nhomalt`) [the file has \"nhomalt\"; keys are case-sensitive]"
            ),
            "{e}"
        );
        // explicitly listed populations must exist; a preset's may be missing (with a warning)
        let src = resolve(
            dir.path(),
            "[[source]]\nname='x'\nrole='frequency'\npath='g.vcf'\npopulations=['afr','sas']\n",
        );
        assert!(check_source_keys(&src)
            .unwrap_err()
            .to_string()
            .contains("\"AF_sas\" (`populations`)"));
        let src = resolve(
            dir.path(),
            "[[source]]\nname='g2'\nrole='frequency'\npath='g.vcf'\npreset='gnomad2'\n",
        );
        let w = check_source_keys(&src).unwrap();
        assert_eq!(w.len(), 1);
        assert!(
            w[0].contains("AF_amr, AF_asj, AF_eas, AF_fin, AF_nfe, AF_oth, AF_sas are not in"),
            "{}",
            w[0]
        );
        // ClinVar and score keys
        let src = resolve(
            dir.path(),
            "[[source]]\nname='cv'\nrole='clinvar'\npath='g.vcf'\n",
        );
        let e = check_source_keys(&src).unwrap_err().to_string();
        assert!(
            e.contains("\"CLNSIG\" (`clnsig`), \"CLNREVSTAT\" (`clnrevstat`)"),
            "{e}"
        );
        let src = resolve(
            dir.path(),
            "[[source]]\nname='s'\nrole='score'\nscore='spliceai'\npath='g.vcf'\n",
        );
        assert!(check_source_keys(&src)
            .unwrap_err()
            .to_string()
            .contains("\"SpliceAI\" (`field`)"));
        // a header without INFO lines
        std::fs::write(
            dir.path().join("bare.vcf"),
            "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
        )
        .unwrap();
        let src = resolve(
            dir.path(),
            "[[source]]\nname='b'\nrole='frequency'\npath='bare.vcf'\n",
        );
        assert!(check_source_keys(&src)
            .unwrap_err()
            .to_string()
            .contains("the file declares no INFO keys"));
    }

    #[test]
    fn tsv_columns_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("f.tsv"),
            "#chrom\tpos\tref\talt\tmy_af\n1\t5\tA\tC\t0.1\n",
        )
        .unwrap();
        let cols = "columns={chrom='chrom',pos='pos',ref='ref',alt='alt'}\n";
        let src = resolve(
            dir.path(),
            &format!(
                "[[source]]\nname='t'\nrole='local_frequency'\npath='f.tsv'\naf='MY_AF'\n{cols}"
            ),
        );
        assert_eq!(check_source_keys(&src).unwrap(), Vec::<String>::new());
        let src = resolve(
            dir.path(),
            &format!("[[source]]\nname='t'\nrole='local_frequency'\npath='f.tsv'\naf='AF'\n{cols}"),
        );
        let e = check_source_keys(&src).unwrap_err().to_string();
        assert!(e.contains("source \"t\"") && e.contains("column(s) \"AF\" (`af`) not in the header; the columns are: chrom, pos, ref, alt, my_af"), "{e}");
    }
}
