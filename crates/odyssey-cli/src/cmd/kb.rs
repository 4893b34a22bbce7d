//! `odyssey kb`: build, inspect and search the knowledge base.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::bail;
use clap::Subcommand;
use odyssey::terms::{search_terms, term_view};
use odyssey_kb::{AsOfReport, CurationDate, ExtraKnowledge, KnowledgeBase};

use super::Global;

/// `--case-excluded`: see [`odyssey_bench::case_knowledge::ExcludedTerms`].
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
pub enum CaseExcluded {
    /// No row.
    Ignore,
    /// 0/n rows.
    Zero,
}

#[derive(Subcommand, Debug)]
pub enum KbCommand {
    /// Compile an HPO release folder (hp.obo, phenotype.hpoa, genes_to_phenotype.txt; plain or .gz).
    Build {
        /// Release folder.
        #[arg(long, value_name = "DIR")]
        hpo: PathBuf,
        /// Output file (.odkb).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
        /// Overwrite an existing output file.
        #[arg(long)]
        force: bool,
        /// Keep only the annotations curated on or before this date (a row's earliest
        /// biocuration date; undated rows are kept). Orphanet rows carry their import date, so
        /// only OMIM and DECIPHER rows are dated. Recorded in the annotations release.
        #[arg(long, value_name = "YYYY-MM-DD", conflicts_with = "cases")]
        as_of: Option<CurationDate>,
        /// Also compile published case reports as knowledge: a folder of Phenopacket v2 files
        /// (`<DIR>/<cohort>/*.json`, phenopacket-store's layout), each with a diagnosis and its
        /// PubMed id; per (diagnosis, publication) every recorded term becomes a `k/n`
        /// annotation citing that PMID (docs/phenotype-model.md, "Published patients as
        /// knowledge").
        #[arg(long, value_name = "DIR")]
        cases: Option<PathBuf>,
        /// With --cases: what a term excluded in a publication's patients (and observed in
        /// none) becomes: nothing (`ignore`, the default: measured better on both halves of
        /// the cohort split) or a 0/n row (`zero`, a NOT once pooled to zero). Excluded
        /// patients count in n either way.
        #[arg(long, value_enum, default_value_t = CaseExcluded::Ignore, requires = "cases")]
        case_excluded: CaseExcluded,
        /// Record this calibration of the post-test probabilities in the knowledge base:
        /// temperature θ > 0, its decay κ ≥ 0 with the number of observed terms, pretest
        /// probability p_u in [0, 1) of "none of them", and optionally the gene-rank prior's
        /// weight ε in [0, 1) and rank-1 mass c in [0, 0.6] (without them: no gene-rank
        /// prior, unlike the global defaults, which have ε 0.3, c 0.181;
        /// docs/phenotype-model.md, "Calibration", "Gene-rank prior"). Default: with
        /// --cases the values fitted for case-knowledge knowledge bases; otherwise none (the
        /// global defaults apply).
        #[arg(long, value_name = "THETA,KAPPA,PU[,EPSILON,C]", value_parser = parse_calibration)]
        calibration: Option<odyssey_kb::ProbabilityCalibration>,
    },
    /// Release date and counts of the knowledge base in use.
    Info {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show one term: name, definition, synonyms, parents, children, IC, annotated diseases.
    Term {
        /// HPO id, e.g. HP:0001250 (alternative and obsolete ids are resolved).
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Find terms by name or synonym.
    Search {
        /// Words to look for, e.g. "seizure".
        query: String,
        /// Maximum number of hits.
        #[arg(short = 'n', long, default_value_t = 20, value_parser = clap::value_parser!(u16).range(1..))]
        limit: u16,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: KbCommand, global: &Global) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match cmd {
        KbCommand::Build {
            hpo,
            output,
            force,
            as_of,
            cases,
            case_excluded,
            calibration,
        } => {
            // the global options name a knowledge base to read; building reads --hpo only
            if let Some(k) = &global.kb {
                note!("warning: --kb (or ODYSSEY_KB) {} is not used by kb build, which compiles --hpo", k.display());
            }
            if let Some(n) = &global.newer_ontology {
                note!(
                    "warning: --newer-ontology {} is not used by kb build, which compiles --hpo",
                    n.display()
                );
            }
            let extra = match &cases {
                Some(dir) => Some(case_knowledge(dir, case_excluded)?),
                None => None,
            };
            if let (Some(x), None) = (&extra, &calibration) {
                warn_small_case_knowledge(x.case_reports.len());
            }
            // case knowledge changes the likelihood ratios' scale: its own fitted calibration
            let calibration = calibration.or_else(|| {
                cases
                    .is_some()
                    .then(odyssey_bench::case_knowledge::case_knowledge_calibration)
            });
            let target = Target {
                output: &output,
                force,
                calibration,
            };
            build(&hpo, &target, as_of, extra.as_ref(), &mut out)
        }
        KbCommand::Info { json } => info(global, json, &mut out),
        KbCommand::Term { id, json } => term(global, &id, json, &mut out),
        KbCommand::Search { query, limit, json } => {
            search(global, &query, usize::from(limit), json, &mut out)
        }
    }
}

/// `--calibration THETA,KAPPA,PU[,EPSILON,C]`: three or five numbers, checked for range
/// (without the last two, no gene-rank prior).
fn parse_calibration(s: &str) -> Result<odyssey_kb::ProbabilityCalibration, String> {
    let v: Vec<&str> = s.split(',').map(str::trim).collect();
    let (t, k, p, e, c) = match v[..] {
        [t, k, p] => (t, k, p, "0", "0"),
        [t, k, p, e, c] => (t, k, p, e, c),
        _ => {
            return Err(format!(
                "{s:?}: expected three or five comma-separated numbers THETA,KAPPA,PU[,EPSILON,C] (e.g. 7,0.7,0 or 9,0.8,0,0.15,0.5)"
            ))
        }
    };
    // + 0.0 turns -0 into 0 (so that reports never show "-0")
    let num = |x: &str, what: &str| {
        x.parse::<f64>()
            .map(|v| v + 0.0)
            .map_err(|_| format!("{what} {x:?} is not a number"))
    };
    let c = odyssey_kb::ProbabilityCalibration {
        temperature: num(t, "temperature θ")?,
        term_decay: num(k, "term decay κ")?,
        pretest_unknown: num(p, "pretest probability p_u")?,
        rank_mixture: num(e, "rank mixture ε")?,
        rank_prior: num(c, "rank prior c")?,
        fitted: "given with kb build --calibration".into(),
    };
    c.check()?;
    Ok(c)
}

/// Where and what `kb build` writes besides the annotations.
struct Target<'a> {
    output: &'a Path,
    force: bool,
    calibration: Option<odyssey_kb::ProbabilityCalibration>,
}

/// `odyssey kb build`: compiles a release folder (optionally as of a date), warning about
/// remapped and dropped annotations, and records the calibration.
fn build(
    hpo: &Path,
    target: &Target,
    as_of: Option<CurationDate>,
    extra: Option<&ExtraKnowledge>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (output, force) = (target.output, target.force);
    // an existing file only with --force, and never a device node, link or folder
    odyssey::output::check_target(output, force)?;
    if !hpo.is_dir() {
        bail!("{}: no such folder (expected an HPO release folder with hp.obo, phenotype.hpoa and genes_to_phenotype.txt)", hpo.display());
    }
    let (mut kb, report) = KnowledgeBase::build_with(hpo, as_of, extra)?;
    kb.set_calibration(target.calibration.clone())
        .map_err(|e| anyhow::anyhow!("--calibration: {e}"))?;
    if report.extra_unknown_terms > 0 {
        note!(
            "warning: {} case-knowledge rows name a term this HPO release does not know; left out",
            report.extra_unknown_terms
        );
    }
    if let Some(r) = &report.as_of {
        warn_as_of(r);
    }
    for (from, to) in &report.remapped {
        note!("warning: annotation term {from} is an alternative or obsolete id; mapped to {to}");
    }
    for (line, id) in &report.dropped_obsolete {
        note!("warning: phenotype.hpoa line {line}: {id} is obsolete without replacement; annotation dropped");
    }
    if report.links_without_disease > 0 {
        note!(
            "warning: {} gene-disease links name a disease without annotations; skipped",
            report.links_without_disease
        );
    }
    // through an unnamed temporary file moved into place (see odyssey::output::Staged)
    odyssey::output::write_file(output, force, |w| w.write_all(&kb.to_bytes()))?;
    let s = kb.stats();
    writeln!(
        out,
        "built {} from HPO {}, annotations {} ({} terms, {} diseases, {} genes)",
        output.display(),
        kb.meta().hpo_release,
        kb.meta().annotations_release,
        s.terms,
        s.diseases.iter().map(|d| d.1).sum::<usize>(),
        s.genes
    )?;
    writeln!(out, "probability calibration: {}", calibration_text(&kb))?;
    Ok(())
}

/// Fewer case reports than this, and the calibration fitted on phenopacket-store's 8,719
/// (recorded by default with `--cases`) is warned as likely not to suit.
const SMALL_CASE_KNOWLEDGE: usize = 1000;

/// Warns that the default case-knowledge calibration was fitted on 8,719 published cases and
/// may not suit a knowledge base with far fewer (`n` case reports).
fn warn_small_case_knowledge(n: usize) {
    if n < SMALL_CASE_KNOWLEDGE {
        note!(
            "warning: only {n} case reports: the probability calibration recorded by default with --cases was fitted on a knowledge base of 8,719 published cases, and the post-test probabilities may be miscalibrated for this one; fit one (docs/phenotype-model.md, \"Gene-rank prior\") and pass --calibration THETA,KAPPA,PU[,EPSILON,C]"
        );
    }
}

/// The recorded calibration, or that there is none.
fn calibration_text(kb: &KnowledgeBase) -> String {
    match kb.calibration() {
        Some(c) => format!("{} ({})", c.short(), c.fitted),
        None => "none recorded (the global defaults apply)".into(),
    }
}

/// Reads a folder of case reports into extra annotations, reporting what was left out on
/// stderr. Errors: the folder cannot be listed, or no case could be used.
fn case_knowledge(dir: &Path, excluded: CaseExcluded) -> anyhow::Result<ExtraKnowledge> {
    use odyssey_bench::case_knowledge::{case_knowledge, ExcludedTerms};
    let corpus = odyssey_bench::phenotype::Corpus::load(dir, None)?;
    if corpus.files == 0 {
        bail!(
            "{}: no case files found: expected a phenopacket-store style folder, DIR/<cohort>/*.json (or .yml, .yaml); files directly in DIR or deeper than one folder are not read",
            dir.display()
        );
    }
    for e in &corpus.errors {
        note!("warning: case left out of the knowledge: {e}");
    }
    let cases: Vec<_> = corpus.cases.iter().collect();
    let rule = match excluded {
        CaseExcluded::Zero => ExcludedTerms::ZeroCount,
        CaseExcluded::Ignore => ExcludedTerms::Ignore,
    };
    let (extra, r) = case_knowledge(&cases, rule);
    report_left_out(dir, &r);
    note!(
        "case knowledge from {}: {} of {} cases used ({} without a PubMed id, {} without an OMIM/ORPHA/DECIPHER diagnosis, {} unreadable), {} (diagnosis, publication) groups, {} rows ({} of them 0/n)",
        dir.display(),
        r.cases_used,
        corpus.files,
        r.without_publication,
        r.without_diagnosis,
        corpus.errors.len(),
        r.groups,
        r.rows,
        r.zero_rows
    );
    if r.cases_used == 0 {
        bail!(
            "{}: no case with a diagnosis and a PubMed id (metaData.externalReferences PMID:…)",
            dir.display()
        );
    }
    Ok(extra)
}

/// Names, on stderr, the first cases left out of the knowledge and the first repeated cases
/// (each list is counted in full in the summary line).
fn report_left_out(dir: &Path, r: &odyssey_bench::case_knowledge::CaseKnowledgeReport) {
    const SHOWN: usize = 10;
    for (path, why) in r.left_out.iter().take(SHOWN) {
        note!("warning: {}: {why}", dir.join(path).display());
    }
    if r.left_out.len() > SHOWN {
        note!(
            "warning: ... and {} more left out",
            r.left_out.len() - SHOWN
        );
    }
    for (kept, repeat) in r.duplicates.iter().take(SHOWN) {
        note!(
            "warning: {}: same phenopacket id as {}; counted once",
            dir.join(repeat).display(),
            dir.join(kept).display()
        );
    }
    if r.duplicates.len() > SHOWN {
        note!(
            "warning: ... and {} more repeated cases",
            r.duplicates.len() - SHOWN
        );
    }
}

/// The as-of filter's counts and its limits, on stderr.
fn warn_as_of(r: &AsOfReport) {
    let date = r.as_of.map(|d| d.to_string()).unwrap_or_default();
    let total = r.kept + r.dropped_after + r.dropped_orpha;
    note!(
        "as of {date}: kept {} of {total} phenotype.hpoa rows (earliest biocuration date on or before {date}); dropped {} OMIM/DECIPHER rows curated after it",
        r.kept, r.dropped_after
    );
    if r.dropped_orpha > 0 {
        note!(
            "warning: dropped {} Orphanet rows: they carry the date of the Orphanet import, not of their curation, so an as-of knowledge base dates only OMIM and DECIPHER rows",
            r.dropped_orpha
        );
    }
    if r.undated_kept > 0 {
        note!(
            "warning: {} rows have no parsable biocuration date ([YYYY-MM-DD]); kept",
            r.undated_kept
        );
    }
}

/// `odyssey kb info`: source, releases and counts.
fn info(global: &Global, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let loaded = global.load_kb()?;
    let kb = &loaded.kb;
    let s = kb.stats();
    if json {
        let v = serde_json::json!({
            "source": loaded.source, "checksum": loaded.checksum,
            "hpo_release": kb.meta().hpo_release, "annotations_release": kb.meta().annotations_release,
            "built_with": kb.meta().built_with, "stats": s,
            "calibration": kb.calibration(), "case_reports": kb.case_reports().len(),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    writeln!(
        out,
        "knowledge base   {} (checksum {})",
        loaded.source, loaded.checksum
    )?;
    writeln!(out, "HPO release      {}", kb.meta().hpo_release)?;
    writeln!(
        out,
        "annotations      phenotype.hpoa {}",
        kb.meta().annotations_release
    )?;
    writeln!(out, "built with       odyssey {}", kb.meta().built_with)?;
    writeln!(out, "calibration      {}", calibration_text(kb))?;
    if !kb.case_reports().is_empty() {
        writeln!(
            out,
            "case reports     {} (phenopacket ids recorded)",
            kb.case_reports().len()
        )?;
    }
    writeln!(
        out,
        "terms            {} current ({} phenotypic abnormality), {} alternative/obsolete ids",
        s.terms, s.phenotype_terms, s.secondary_ids
    )?;
    for (ns, n) in &s.diseases {
        writeln!(out, "diseases {:<8} {n}", ns)?;
    }
    writeln!(
        out,
        "genes            {} ({} gene-disease links)",
        s.genes, s.gene_disease_links
    )?;
    writeln!(
        out,
        "annotations      {} ({} NOT)",
        s.annotations, s.negated_annotations
    )?;
    Ok(())
}

/// `odyssey kb term`: one term, as text or JSON.
fn term(global: &Global, id: &str, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let loaded = global.load_kb()?;
    let kb = &loaded.kb;
    let v = term_view(kb, id).map_err(|e| match e {
        // the parser's or the ontology's own message names the id
        odyssey::Error::Term { source, .. } => anyhow::anyhow!("{source}"),
        e => e.into(),
    })?;
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(());
    }
    if let Some(n) = &v.note {
        writeln!(out, "note: {n}")?;
    }
    writeln!(out, "{}  {}", v.id, v.name)?;
    if let Some(d) = &v.definition {
        writeln!(out, "definition: {d}")?;
    }
    if !v.synonyms.is_empty() {
        writeln!(out, "synonyms: {}", v.synonyms.join("; "))?;
    }
    for p in &v.parents {
        writeln!(out, "parent: {}  {}", p.id, p.name)?;
    }
    writeln!(out, "children: {}", v.children)?;
    writeln!(out, "information content: {:.3} nats", v.ic_nats)?;
    writeln!(
        out,
        "annotated diseases: {} of {} (including descendants)",
        v.annotated_diseases,
        kb.diseases_counted()
    )?;
    Ok(())
}

/// `odyssey kb search`: terms by name and synonym.
fn search(
    global: &Global,
    query: &str,
    limit: usize,
    json: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let loaded = global.load_kb()?;
    let hits = search_terms(&loaded.kb, query, limit);
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&hits)?)?;
        return Ok(());
    }
    if hits.is_empty() {
        writeln!(out, "no term matches {query:?}")?;
    }
    for h in hits {
        if h.via_synonym {
            writeln!(out, "{}  {}  (synonym: {})", h.id, h.name, h.matched)?;
        } else {
            writeln!(out, "{}  {}", h.id, h.name)?;
        }
    }
    Ok(())
}
