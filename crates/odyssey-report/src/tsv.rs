//! Tab-separated tables. Columns are documented in `docs/tsv-output.md`. Every table starts
//! with `#` lines carrying the provenance (version, knowledge base, case, date).

use std::io::Write;

use crate::model::AnalysisReport;

fn header<W: Write>(r: &AnalysisReport, out: &mut W) -> std::io::Result<()> {
    let o = &r.odyssey;
    writeln!(out, "## odyssey {} method={} hpo_release={} annotations_release={} kb={} kb_checksum={} created={}",
        o.version, o.method, o.knowledge_base.hpo_release, o.knowledge_base.annotations_release,
        o.knowledge_base.source, o.knowledge_base.checksum, o.created)?;
    writeln!(out, "## case={} observed={} excluded={}", r.case.id, r.case.observed.join(","), r.case.excluded.join(","))?;
    for i in &o.inputs {
        writeln!(out, "## input {}={}", i.role, i.path)?;
    }
    Ok(())
}

fn num(x: Option<f64>) -> String {
    x.map(|v| format!("{v:.6}")).unwrap_or_default()
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

/// Gene table: rank, tie_size, symbol, ncbi_gene_id, score, post_test_probability,
/// phenotype_score, genotype_score, modes_of_inheritance, diseases, variants (count).
pub fn write_genes_tsv<W: Write>(r: &AnalysisReport, mut out: W) -> std::io::Result<()> {
    header(r, &mut out)?;
    writeln!(out, "rank\ttie_size\tsymbol\tncbi_gene_id\tscore\tpost_test_probability\tphenotype_score\tgenotype_score\tmodes_of_inheritance\tdiseases\tvariants")?;
    for g in &r.genes {
        writeln!(out, "{}\t{}\t{}\t{}\t{:.4}\t{}\t{}\t{}\t{}\t{}\t{}", g.rank, g.tie_size, clean(&g.symbol), g.ncbi_gene_id, g.score,
            num(g.post_test_probability), g.phenotype_score.map(|v| format!("{v:.4}")).unwrap_or_default(),
            g.genotype_score.map(|v| format!("{v:.4}")).unwrap_or_default(), g.modes_of_inheritance.join(","), g.diseases.join(","), g.variants.len())?;
    }
    Ok(())
}

/// Disease table: rank, tie_size, id, label, score, post_test_probability,
/// modes_of_inheritance, genes, evidence (`HP:id:match:lr` per term, `-` prefix for excluded).
pub fn write_diseases_tsv<W: Write>(r: &AnalysisReport, mut out: W) -> std::io::Result<()> {
    header(r, &mut out)?;
    writeln!(out, "rank\ttie_size\tid\tlabel\tscore\tpost_test_probability\tmodes_of_inheritance\tgenes\tevidence")?;
    for d in &r.diseases {
        let genes: Vec<&str> = d.genes.iter().map(|g| g.symbol.as_str()).collect();
        let ev: Vec<String> = d.evidence.iter().map(|e| format!("{}{}:{}:{:.3}", if e.observed { "" } else { "-" }, e.term, e.match_kind, e.lr)).collect();
        writeln!(out, "{}\t{}\t{}\t{}\t{:.4}\t{}\t{}\t{}\t{}", d.rank, d.tie_size, d.id, clean(&d.label), d.score, num(d.post_test_probability),
            d.modes_of_inheritance.join(","), genes.join(","), ev.join(";"))?;
    }
    Ok(())
}
