//! Tab-separated tables. Columns are documented in `docs/tsv-output.md`. Every table starts
//! with `##` lines carrying the provenance (version, knowledge base, case, proband and family,
//! date, inputs), then
//! `## ignored=ID (reason); -ID (reason)` for the case's terms not used (`-`: given as
//! excluded) and one `## warning=TEXT` line per analysis warning, when there are any.

use std::io::Write;

use crate::model::{AnalysisReport, SampleGenotype};

fn header<W: Write>(r: &AnalysisReport, out: &mut W) -> std::io::Result<()> {
    let o = &r.odyssey;
    writeln!(out, "## odyssey {} method={} hpo_release={} annotations_release={} kb={} kb_checksum={} created={}",
        clean(&o.version), clean(&o.method), clean(&o.knowledge_base.hpo_release),
        clean(&o.knowledge_base.annotations_release), clean(&o.knowledge_base.source),
        clean(&o.knowledge_base.checksum), clean(&o.created))?;
    writeln!(
        out,
        "## case={} observed={} excluded={}",
        clean(&r.case.id),
        clean(&r.case.observed.join(",")),
        clean(&r.case.excluded.join(","))
    )?;
    // who was analysed: the proband (individual and VCF sample) and family of a variant
    // analysis, else the phenopacket subject
    let proband = r.case.family.iter().find(|m| m.proband);
    writeln!(
        out,
        "## proband={} sample={} family={}",
        clean(
            proband
                .map(|m| m.id.as_str())
                .or(r.case.subject_id.as_deref())
                .unwrap_or("-")
        ),
        clean(proband.and_then(|m| m.sample.as_deref()).unwrap_or("-")),
        clean(r.case.family_id.as_deref().unwrap_or("-"))
    )?;
    for i in &o.inputs {
        writeln!(out, "## input {}={}", clean(&i.role), clean(&i.path))?;
    }
    if !r.case.ignored.is_empty() {
        let ignored: Vec<String> = r
            .case
            .ignored
            .iter()
            .map(|i| {
                format!(
                    "{}{} ({})",
                    if i.excluded { "-" } else { "" },
                    clean(&i.id),
                    clean(&i.reason)
                )
            })
            .collect();
        writeln!(out, "## ignored={}", ignored.join("; "))?;
    }
    for w in &r.warnings {
        writeln!(out, "## warning={}", clean(w))?;
    }
    Ok(())
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.6}")).unwrap_or_default()
}

/// The names of `ids` (from the report's `disease_labels`, else the disease table), `;`-separated
/// (a `;` inside a name becomes `,`); an unknown name is left empty.
fn disease_names(r: &AnalysisReport, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            let name = r.disease_labels.get(id).map(String::as_str).or_else(|| {
                r.diseases
                    .iter()
                    .find(|d| &d.id == id)
                    .map(|d| d.label.as_str())
            });
            clean(name.unwrap_or_default()).replace(';', ",")
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// `s` with every control character (tab, line feed, carriage return, other C0 characters and
/// DEL) replaced by a space: no field or header line can gain a column or a row (issue 13).
fn clean(s: &str) -> String {
    s.replace(|c: char| c.is_ascii_control(), " ")
}

/// Gene table: rank, tie_size, symbol, ncbi_gene_id, score, post_test_probability,
/// phenotype_score, genotype_score, disease_modes, genotype_fits, diseases, disease_names
/// (`;`-separated, in the order of `diseases`), evidence, variants (count).
pub fn write_genes_tsv<W: Write>(r: &AnalysisReport, mut out: W) -> std::io::Result<()> {
    header(r, &mut out)?;
    writeln!(out, "rank\ttie_size\tsymbol\tncbi_gene_id\tscore\tpost_test_probability\tphenotype_score\tgenotype_score\tdisease_modes\tgenotype_fits\tdiseases\tdisease_names\tevidence\tvariants")?;
    for g in &r.genes {
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{:.4}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            g.rank,
            g.tie_size,
            clean(&g.symbol),
            g.ncbi_gene_id,
            g.score,
            num(g.post_test_probability),
            g.phenotype_score
                .map(|v| format!("{v:.4}"))
                .unwrap_or_default(),
            g.genotype_score
                .map(|v| format!("{v:.4}"))
                .unwrap_or_default(),
            clean(&g.disease_modes.join(",")),
            clean(&g.genotype_fits.join(",")),
            clean(&g.diseases.join(",")),
            disease_names(r, &g.diseases),
            clean(g.evidence.as_deref().unwrap_or_default()),
            g.variants.len()
        )?;
    }
    Ok(())
}

/// Disease table: rank, tie_size, id, label, score, post_test_probability,
/// modes_of_inheritance, genes, evidence (`HP:id:match:lr` per term, `-` prefix for excluded),
/// equivalent_ids (MONDO exact matches, comma-separated).
pub fn write_diseases_tsv<W: Write>(r: &AnalysisReport, mut out: W) -> std::io::Result<()> {
    header(r, &mut out)?;
    writeln!(out, "rank\ttie_size\tid\tlabel\tscore\tpost_test_probability\tmodes_of_inheritance\tgenes\tevidence\tequivalent_ids")?;
    for d in &r.diseases {
        let genes: Vec<&str> = d.genes.iter().map(|g| g.symbol.as_str()).collect();
        let ev: Vec<String> = d
            .evidence
            .iter()
            .map(|e| {
                format!(
                    "{}{}:{}:{:.3}",
                    if e.observed { "" } else { "-" },
                    e.term,
                    e.match_kind,
                    e.lr
                )
            })
            .collect();
        writeln!(
            out,
            "{}\t{}\t{}\t{}\t{:.4}\t{}\t{}\t{}\t{}\t{}",
            d.rank,
            d.tie_size,
            clean(&d.id),
            clean(&d.label),
            d.score,
            num(d.post_test_probability),
            clean(&d.modes_of_inheritance.join(",")),
            clean(&genes.join(",")),
            clean(&ev.join(";")),
            clean(&d.equivalent_ids.join(","))
        )?;
    }
    Ok(())
}

/// True when the report comes from a variant analysis: a filter summary, or candidate variants.
pub fn has_variant_analysis(r: &AnalysisReport) -> bool {
    r.filters.is_some() || r.genes.iter().any(|g| !g.variants.is_empty())
}

/// `PERSON=value` per genotype, `;`-separated; PERSON is the sample id, or
/// `father (VCF: NA12891)` when the pedigree's id differs ([`SampleGenotype::label`]).
fn per_sample(gts: &[SampleGenotype], f: impl Fn(&SampleGenotype) -> String) -> String {
    gts.iter()
        .map(|g| format!("{}={}", clean(&g.label()), f(g)))
        .collect::<Vec<_>>()
        .join(";")
}

fn opt_u32(x: Option<u32>) -> String {
    x.map(|v| v.to_string()).unwrap_or_else(|| ".".into())
}

/// Variant table: one row per candidate variant of each reported gene, genes in rank order and
/// variants in the report's order (most pathogenic first). Columns (see `docs/tsv-output.md`):
/// gene_rank, gene, chrom, pos, ref, alt, transcript, hgvs_c, hgvs_p, consequence, genotypes,
/// genotype_qualities, depths, allelic_depths, allele_frequency, frequency_source,
/// clinvar_significance, clinvar_stars, clinvar_id, scores, pathogenicity, modes_of_inheritance,
/// filter, heteroplasmy (mitochondrial variants). Empty cells mean "not known".
pub fn write_variants_tsv<W: Write>(r: &AnalysisReport, mut out: W) -> std::io::Result<()> {
    header(r, &mut out)?;
    writeln!(out, "gene_rank\tgene\tchrom\tpos\tref\talt\ttranscript\thgvs_c\thgvs_p\tconsequence\tgenotypes\tgenotype_qualities\tdepths\tallelic_depths\tallele_frequency\tfrequency_source\tclinvar_significance\tclinvar_stars\tclinvar_id\tscores\tpathogenicity\tmodes_of_inheritance\tfilter\theteroplasmy")?;
    for g in &r.genes {
        for v in &g.variants {
            let cols: Vec<String> = vec![
                g.rank.to_string(),
                clean(&v.gene),
                clean(&v.chrom),
                v.pos.to_string(),
                clean(&v.reference),
                clean(&v.alt),
                v.transcript.as_deref().map(clean).unwrap_or_default(),
                v.hgvs_c.as_deref().map(clean).unwrap_or_default(),
                v.hgvs_p.as_deref().map(clean).unwrap_or_default(),
                clean(&v.consequence),
                per_sample(&v.genotypes, |g| clean(&g.genotype)),
                per_sample(&v.genotypes, |g| opt_u32(g.gq)),
                per_sample(&v.genotypes, |g| opt_u32(g.dp)),
                per_sample(&v.genotypes, |g| {
                    if g.ad.is_empty() {
                        ".".into()
                    } else {
                        g.ad.iter()
                            .map(|a| a.to_string())
                            .collect::<Vec<_>>()
                            .join(",")
                    }
                }),
                v.allele_frequency
                    .map(|f| f.to_string())
                    .unwrap_or_default(),
                v.frequency_source.as_deref().map(clean).unwrap_or_default(),
                v.clinvar
                    .as_ref()
                    .map(|c| clean(&c.significance))
                    .unwrap_or_default(),
                v.clinvar
                    .as_ref()
                    .map(|c| c.stars.to_string())
                    .unwrap_or_default(),
                v.clinvar
                    .as_ref()
                    .and_then(|c| c.id.as_deref())
                    .map(clean)
                    .unwrap_or_default(),
                v.scores
                    .iter()
                    .map(|(k, x)| format!("{}={x}", clean(k)))
                    .collect::<Vec<_>>()
                    .join(";"),
                format!("{:.4}", v.pathogenicity),
                v.modes_of_inheritance
                    .iter()
                    .map(|m| clean(m))
                    .collect::<Vec<_>>()
                    .join(","),
                clean(&v.filter),
                v.heteroplasmy
                    .map(|h| format!("{h:.4}"))
                    .unwrap_or_default(),
            ];
            writeln!(out, "{}", cols.join("\t"))?;
        }
    }
    Ok(())
}
