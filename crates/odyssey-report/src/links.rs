//! Links out to public resources, built from identifiers (never fetched).
//!
//! Each function returns `None` when the identifier does not have the expected shape, so a
//! malformed id never becomes a malformed or unexpected URL. Local parts are restricted to
//! letters, digits, `.`, `_` and `-`.

fn local_ok(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// A page for a CURIE: `HP:` (HPO browser), `OMIM:`, `ORPHA:` (Orphanet), `DECIPHER:`,
/// `NCBIGene:`, `HGNC:`, `MONDO:`. `None` for other prefixes or malformed ids.
///
/// ```
/// assert_eq!(odyssey_report::links::curie_url("OMIM:101600").as_deref(), Some("https://omim.org/entry/101600"));
/// assert_eq!(odyssey_report::links::curie_url("OMIM:1\"x"), None);
/// ```
pub fn curie_url(curie: &str) -> Option<String> {
    let (prefix, local) = curie.split_once(':')?;
    if !local_ok(local) {
        return None;
    }
    Some(match prefix {
        "HP" => format!("https://hpo.jax.org/browse/term/HP:{local}"),
        "OMIM" => format!("https://omim.org/entry/{local}"),
        "ORPHA" | "Orphanet" => format!("https://www.orpha.net/en/disease/detail/{local}"),
        "DECIPHER" => format!("https://www.deciphergenomics.org/syndrome/{local}"),
        "NCBIGene" => format!("https://www.ncbi.nlm.nih.gov/gene/{local}"),
        "HGNC" => {
            format!("https://www.genenames.org/data/gene-symbol-report/#!/hgnc_id/HGNC:{local}")
        }
        "MONDO" => format!("https://monarchinitiative.org/MONDO:{local}"),
        _ => return None,
    })
}

/// The ClinVar page of a variation id (`12345`, `VCV000012345`, or `ClinVar:12345`).
pub fn clinvar_url(id: &str) -> Option<String> {
    let id = id.trim();
    let id = id
        .strip_prefix("ClinVar:")
        .or_else(|| id.strip_prefix("clinvar:"))
        .unwrap_or(id);
    let digits = id.strip_prefix("VCV").unwrap_or(id).trim_start_matches('0');
    let digits = digits.split('.').next().unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!(
        "https://www.ncbi.nlm.nih.gov/clinvar/variation/{digits}/"
    ))
}

/// The gnomAD browser page of a small variant. The chromosome loses any `chr` prefix (`chrM`
/// becomes `M`); `assembly` chooses the dataset: GRCh37/hg19 → gnomAD v2.1.1, GRCh38/hg38 →
/// gnomAD v4; unknown → the browser's default dataset. Symbolic alleles give `None`.
pub fn gnomad_url(
    chrom: &str,
    pos: u32,
    reference: &str,
    alt: &str,
    assembly: Option<&str>,
) -> Option<String> {
    let c = chrom.strip_prefix("chr").unwrap_or(chrom);
    let c = if c == "MT" { "M" } else { c };
    let seq = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| matches!(b.to_ascii_uppercase(), b'A' | b'C' | b'G' | b'T' | b'N'))
    };
    if !local_ok(c) || !seq(reference) || !seq(alt) || pos == 0 {
        return None;
    }
    let dataset = match assembly.map(|a| a.to_ascii_lowercase()) {
        Some(a) if a.contains("37") || a == "hg19" => "?dataset=gnomad_r2_1",
        Some(a) if a.contains("38") => "?dataset=gnomad_r4",
        _ => "",
    };
    Some(format!(
        "https://gnomad.broadinstitute.org/variant/{c}-{pos}-{}-{}{dataset}",
        reference.to_ascii_uppercase(),
        alt.to_ascii_uppercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_from_ids() {
        assert_eq!(
            curie_url("HP:0001250").unwrap(),
            "https://hpo.jax.org/browse/term/HP:0001250"
        );
        assert_eq!(
            curie_url("ORPHA:558").unwrap(),
            "https://www.orpha.net/en/disease/detail/558"
        );
        assert_eq!(
            curie_url("NCBIGene:2263").unwrap(),
            "https://www.ncbi.nlm.nih.gov/gene/2263"
        );
        assert_eq!(curie_url("FOO:1"), None);
        assert_eq!(curie_url("HP:"), None);
        assert_eq!(curie_url("OMIM:1 onclick=x"), None);
        assert_eq!(
            clinvar_url("VCV000013261.5").unwrap(),
            "https://www.ncbi.nlm.nih.gov/clinvar/variation/13261/"
        );
        assert_eq!(
            clinvar_url("13261").unwrap(),
            "https://www.ncbi.nlm.nih.gov/clinvar/variation/13261/"
        );
        assert_eq!(clinvar_url("x1"), None);
        assert_eq!(
            gnomad_url("chr10", 123256215, "T", "g", Some("GRCh38")).unwrap(),
            "https://gnomad.broadinstitute.org/variant/10-123256215-T-G?dataset=gnomad_r4"
        );
        assert_eq!(
            gnomad_url("10", 1, "T", "G", Some("hg19")).unwrap(),
            "https://gnomad.broadinstitute.org/variant/10-1-T-G?dataset=gnomad_r2_1"
        );
        assert_eq!(
            gnomad_url("chrMT", 1, "T", "G", None).unwrap(),
            "https://gnomad.broadinstitute.org/variant/M-1-T-G"
        );
        assert_eq!(gnomad_url("1", 1, "T", "<DEL>", None), None);
    }
}
