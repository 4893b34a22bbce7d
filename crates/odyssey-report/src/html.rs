//! The HTML report: one self-contained file (inline CSS, JS and SVG; no fonts, scripts or images
//! fetched at view time), readable on a laptop and printable.
//!
//! The page is rendered by minijinja from `templates/report.html` (embedded at compile time)
//! with HTML auto-escaping on. Everything the template shows is prepared here as a view model
//! (texts, links, bar geometry), so the template holds layout only.
//!
//! Machine-readable hooks, used by the tests and stable for other tools: every ranked gene row
//! carries `data-kind="gene"`, `data-rank`, `data-symbol`, `data-score` and
//! `data-probability`; every disease row `data-kind="disease"`, `data-rank`, `data-id`,
//! `data-score` and `data-probability`. Numbers in `data-*` attributes are written with Rust's
//! shortest round-trip formatting, so they parse back to the JSON's values exactly; an absent
//! probability is an empty attribute. Evidence bars are `<rect class="bar ...">` elements with
//! `data-lr` and `data-term`.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use minijinja::value::{Serde, Value};
use minijinja::{context, Environment};
use serde::Serialize;

use crate::links::{clinvar_url, curie_url, gnomad_url};
use crate::model::{AnalysisReport, DiseaseResult, GeneResult, TermEvidence, VariantResult};
use crate::ReportError;

const TEMPLATE: &str = include_str!("../templates/report.html");
const CSS: &str = include_str!("../templates/report.css");
const JS: &str = include_str!("../templates/report.js");

/// What the HTML report shows in detail.
#[derive(Clone, Debug)]
pub struct HtmlOptions {
    /// Genes shown as detailed cards (diseases, variants, evidence); all reported genes are in
    /// the summary table.
    pub detail_genes: usize,
    /// Diseases whose evidence is listed (collapsed) in the disease section.
    pub detail_diseases: usize,
}

impl Default for HtmlOptions {
    fn default() -> Self {
        HtmlOptions {
            detail_genes: 10,
            detail_diseases: 20,
        }
    }
}

/// Writes the HTML report with default options.
pub fn write_html<W: Write>(report: &AnalysisReport, mut out: W) -> Result<(), ReportError> {
    let html = render_html(report, &HtmlOptions::default())?;
    out.write_all(html.as_bytes())?;
    Ok(())
}

/// Renders the HTML report to a string.
///
/// Errors: [`ReportError::Template`] only if the embedded template is broken (a bug).
pub fn render_html(report: &AnalysisReport, opts: &HtmlOptions) -> Result<String, ReportError> {
    let mut env = Environment::new();
    // the name ends in `.html`: minijinja's default callback turns HTML auto-escaping on
    env.add_template("report.html", TEMPLATE)?;
    let page = page_view(report, opts);
    let tmpl = env.get_template("report.html")?;
    let html = tmpl.render(context! {
        page => Value::from(Serde(&page)),
        css => Value::from_safe_string(CSS.to_string()),
        js => Value::from_safe_string(JS.to_string()),
    })?;
    Ok(html)
}

// ---------------------------------------------------------------------------------------------
// formatting helpers (pub(crate) so that tests can check them against independent formatting)

/// A probability for people: `83.1%`, `<0.1%` below 0.001, `>99.9%` above 0.999, `–` when
/// absent.
pub fn format_probability(p: Option<f64>) -> String {
    match p {
        None => "–".into(),
        Some(p) if p.is_nan() => "–".into(),
        Some(p) if p < 0.001 => "<0.1%".into(),
        Some(p) if p > 0.999 => ">99.9%".into(),
        Some(p) => format!("{:.1}%", p * 100.0),
    }
}

/// A likelihood ratio for people: three significant digits between 0.01 and 1000, else
/// scientific (`2.1e-4`, `3.5e6`).
pub fn format_lr(lr: f64) -> String {
    if !lr.is_finite() {
        return if lr.is_nan() {
            "–".into()
        } else if lr > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    if lr == 0.0 {
        return "0".into();
    }
    let a = lr.abs();
    if (0.01..1000.0).contains(&a) {
        let digits = (2 - a.log10().floor() as i32).max(0) as usize;
        format!("{lr:.digits$}")
    } else {
        let e = a.log10().floor() as i32;
        format!("{:.1}e{e}", lr / 10f64.powi(e))
    }
}

/// Shortest round-trip text of a number (for `data-*` attributes); empty when absent.
fn attr_num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// ISO 8601 duration to words: `P3Y6M` → `3 years 6 months`; other text unchanged.
pub fn humanize_age(iso: &str) -> String {
    let Some(rest) = iso.strip_prefix('P') else {
        return iso.to_string();
    };
    let date = rest.split('T').next().unwrap_or("");
    let mut parts = Vec::new();
    let mut num = String::new();
    for c in date.chars() {
        if c.is_ascii_digit() || c == '.' {
            num.push(c);
            continue;
        }
        let unit = match c {
            'Y' => "year",
            'M' => "month",
            'W' => "week",
            'D' => "day",
            _ => return iso.to_string(),
        };
        if num.is_empty() {
            return iso.to_string();
        }
        let plural = if num == "1" { "" } else { "s" };
        parts.push(format!("{num} {unit}{plural}"));
        num.clear();
    }
    if parts.is_empty() || !num.is_empty() {
        return iso.to_string();
    }
    parts.join(" ")
}

fn display_date(rfc3339: &str) -> String {
    // 2026-11-29T20:13:40Z -> 2026-11-29 20:13 UTC
    match (rfc3339.get(..10), rfc3339.get(11..16)) {
        (Some(d), Some(t)) if rfc3339.ends_with('Z') => format!("{d} {t} UTC"),
        _ => rfc3339.to_string(),
    }
}

fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_string())
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// view model

#[derive(Serialize)]
struct Link {
    text: String,
    title: String,
    url: Option<String>,
    /// Shown after the link when the report holds nothing more on it (a disease outside the
    /// reported top N).
    note: String,
    /// The link shows the name (`title`): write the id after it, `Name (OMIM:123456)`.
    show_id: bool,
}

impl Link {
    fn curie(id: &str, label: Option<&str>) -> Link {
        Link {
            text: id.to_string(),
            title: label.unwrap_or("").to_string(),
            url: curie_url(id),
            note: String::new(),
            show_id: false,
        }
    }
}

/// What the page says of a disease it has no details on: the report holds only the top N.
fn not_in_top(n: usize) -> String {
    if n == 0 {
        "not among the ranked diseases".to_string()
    } else {
        format!(
            "not in the top {n} disease{}",
            if n == 1 { "" } else { "s" }
        )
    }
}

#[derive(Serialize)]
struct TermView {
    id: String,
    label: String,
    url: Option<String>,
}

#[derive(Serialize)]
struct FamilyRow {
    id: String,
    sample: String,
    sex: String,
    status: String,
    father: String,
    mother: String,
    proband: bool,
}

#[derive(Serialize)]
struct CaseView {
    id: String,
    subject_id: Option<String>,
    sex: Option<String>,
    age: Option<String>,
    age_iso: Option<String>,
    observed: Vec<TermView>,
    excluded: Vec<TermView>,
    ignored: Vec<(String, String)>,
    remapped: Vec<(String, String, String)>,
    family: Vec<FamilyRow>,
}

#[derive(Serialize)]
struct InputView {
    role: String,
    name: String,
    path: String,
    checksum: String,
}

#[derive(Serialize)]
struct RunView {
    version: String,
    method: String,
    method_name: String,
    hpo_release: String,
    annotations_release: String,
    kb_source: String,
    kb_checksum: String,
    created: String,
    created_display: String,
    inputs: Vec<InputView>,
    sources: Vec<(String, String, String)>,
    command: String,
    parameters: String,
    assembly: Option<String>,
}

#[derive(Serialize)]
struct GeneRow {
    #[serde(flatten)]
    cells: RankCells,
    symbol: String,
    gene_url: Option<String>,
    anchor: String,
    has_card: bool,
    phenotype_score_text: Option<String>,
    genotype_score_text: Option<String>,
    diseases: Vec<Link>,
    more_diseases: usize,
    /// Modes of inheritance of the gene's diseases.
    disease_modes: Vec<String>,
    /// Variant analysis: the modes the family's genotypes fit.
    genotype_fits: Vec<String>,
    variant_count: usize,
    /// Every variant's most telling name (p., else c., else position), most pathogenic first.
    variant_names: Vec<String>,
}

/// The rank, probability and score cells shared by gene and disease rows.
#[derive(Serialize)]
struct RankCells {
    rank: usize,
    /// In the best-ranked group (rank 1, or the tie at the top)
    top: bool,
    rank_label: String,
    tie_note: String,
    probability_attr: String,
    probability_text: String,
    probability_width: String,
    score_attr: String,
    /// LR model: the log10 LR; Resnik: empty (the similarity is the bold value already).
    score_text: String,
}

/// The cells of a row ranked `rank` in a tie group of `tie`, in a list whose first row is
/// ranked `top_rank` and whose best score is `best`.
fn rank_cells(
    method: &str,
    lr_model: bool,
    (rank, tie, top_rank): (usize, usize, usize),
    p: Option<f64>,
    score: f64,
    best: f64,
) -> RankCells {
    let (rank_label, tie_note) = rank_label(rank, tie);
    let (probability_text, probability_width) = headline(lr_model, p, score, best);
    RankCells {
        rank,
        top: rank == top_rank,
        rank_label,
        tie_note,
        probability_attr: attr_num(p),
        probability_text,
        probability_width,
        score_attr: score.to_string(),
        score_text: if lr_model {
            score_text(method, score)
        } else {
            String::new()
        },
    }
}

#[derive(Serialize)]
struct DiseaseRow {
    #[serde(flatten)]
    cells: RankCells,
    id: String,
    /// MONDO exact matches, comma-separated (empty when none).
    equivalent_ids: String,
    label: String,
    url: Option<String>,
    anchor: String,
    has_card: bool,
    modes: Vec<String>,
    genes: Vec<Link>,
}

#[derive(Serialize)]
struct BarView {
    x: String,
    width: String,
    class: String,
    clipped: Option<String>,
    title: String,
}

#[derive(Serialize)]
struct EvidenceRow {
    term: String,
    label: String,
    url: Option<String>,
    observed: bool,
    match_kind: String,
    match_text: String,
    disease_term: Option<String>,
    disease_term_label: Option<String>,
    disease_term_url: Option<String>,
    /// Said before the disease term (a partial match: it is a broader term both share).
    disease_term_prefix: String,
    frequency_text: String,
    lr_attr: String,
    lr_text: String,
    log10_text: String,
    contradiction: bool,
    bar: BarView,
}

#[derive(Serialize)]
struct EvidenceView {
    anchor: String,
    disease_id: String,
    disease_label: String,
    disease_url: Option<String>,
    rank: usize,
    probability_text: String,
    modes: Vec<String>,
    combined_text: String,
    score_text: String,
    supporting: usize,
    against: usize,
    contradictions: usize,
    rows: Vec<EvidenceRow>,
}

#[derive(Serialize)]
struct ClinVarView {
    significance: String,
    stars: String,
    stars_count: u8,
    url: Option<String>,
}

#[derive(Serialize)]
struct VariantView {
    position: String,
    gnomad_url: Option<String>,
    transcript: String,
    hgvs_c: String,
    hgvs_p: String,
    consequence: String,
    /// Mitochondrial variants: `heteroplasmy 10%`.
    heteroplasmy_text: Option<String>,
    genotypes: Vec<(String, String)>,
    af_text: String,
    af_source: String,
    clinvar: Option<ClinVarView>,
    scores: Vec<(String, String)>,
    pathogenicity_text: String,
    modes: Vec<String>,
    filter: String,
    pass: bool,
}

/// A genotype column's header: the person (pedigree id, else sample id), the VCF sample when
/// it differs (shown as `father (VCF: NA12891)`), and a note (`proband, affected`).
#[derive(Serialize)]
struct SampleHeader {
    name: String,
    vcf_sample: Option<String>,
    note: String,
}

#[derive(Serialize)]
struct GeneCard {
    anchor: String,
    rank: usize,
    rank_label: String,
    symbol: String,
    gene_url: Option<String>,
    ncbi_gene_id: String,
    probability_text: String,
    score_text: String,
    phenotype_score_text: Option<String>,
    genotype_score_text: Option<String>,
    diseases: Vec<DiseaseBrief>,
    modes: Vec<String>,
    samples: Vec<SampleHeader>,
    variants: Vec<VariantView>,
    evidence: Option<EvidenceView>,
    more_evidence: Vec<EvidenceView>,
}

#[derive(Serialize)]
struct DiseaseBrief {
    id: String,
    label: String,
    /// Said after the label when the disease is not among the reported ones.
    note: String,
    url: Option<String>,
    rank: Option<usize>,
    probability_text: String,
    modes: Vec<String>,
}

#[derive(Serialize)]
struct FilterCountView {
    reason: String,
    /// What the reason means, for people (empty when unknown).
    meaning: String,
    count: u64,
    bar_width: String,
}

#[derive(Serialize)]
struct FiltersView {
    records: u64,
    variants: u64,
    passed: u64,
    removed_total: u64,
    removed: Vec<FilterCountView>,
    /// Removed variants listed on the page: (variant, gene, reason).
    filtered: Vec<(String, String, String)>,
    listed: usize,
    /// Variants removed for a listed reason but not on the page (cap, or not in the JSON's list).
    more: u64,
    /// Reasons counted but not listed variant by variant, as `reason (count)`.
    unlisted_reasons: Vec<String>,
    /// The JSON's list of removed variants, as written.
    json_listed: usize,
    /// Some listed variants are in reported genes (and come first).
    gene_first: bool,
}

#[derive(Serialize)]
struct Tick {
    x: String,
    label: String,
    major: bool,
}

#[derive(Serialize)]
struct AxisView {
    width: u32,
    center: String,
    /// SVG path of the decade grid lines except LR = 1, for 16 px high rows
    grid_path: String,
    ticks: Vec<Tick>,
    max_log10: i32,
}

#[derive(Serialize)]
struct PageView {
    title: String,
    /// The analysis warnings, shown at the top.
    warnings: Vec<String>,
    case: CaseView,
    run: RunView,
    lr_model: bool,
    genes: Vec<GeneRow>,
    diseases: Vec<DiseaseRow>,
    gene_cards: Vec<GeneCard>,
    disease_cards: Vec<EvidenceView>,
    filters: Option<FiltersView>,
    axis: AxisView,
    variant_analysis: bool,
    /// Reported genes that share a disease, as `A and B (disease)` (LR model: their
    /// probabilities overlap).
    shared_diseases: Vec<String>,
    more_shared: usize,
}

/// Evidence bar scale: the axis spans ±`max_log10` decades around LR = 1.
struct Scale {
    max_log10: i32,
}

const BAR_WIDTH: f64 = 220.0;
const BAR_PAD: f64 = 6.0;

impl Scale {
    fn new<'a>(evidence: impl Iterator<Item = &'a TermEvidence>) -> Scale {
        let m = evidence
            .map(|e| e.lr.log10().abs())
            .filter(|x| x.is_finite())
            .fold(0.0f64, f64::max);
        Scale {
            max_log10: (m.ceil() as i32).clamp(1, 5),
        }
    }

    fn half(&self) -> f64 {
        BAR_WIDTH / 2.0 - BAR_PAD
    }

    fn x(&self, log10: f64) -> f64 {
        let d = f64::from(self.max_log10);
        BAR_WIDTH / 2.0 + log10.clamp(-d, d) / d * self.half()
    }

    fn axis(&self) -> AxisView {
        let label = |k: i32| match k {
            0 => "1".to_string(),
            k if k > 0 => format!("{}", 10u64.pow(k as u32)),
            k => format!("1/{}", 10u64.pow((-k) as u32)),
        };
        let ticks = (-self.max_log10..=self.max_log10)
            .map(|k| Tick {
                x: format!("{:.1}", self.x(f64::from(k))),
                label: label(k),
                major: k.abs() <= 1 || k.abs() == self.max_log10,
            })
            .collect();
        let grid_path = (-self.max_log10..=self.max_log10)
            .filter(|&k| k != 0)
            .map(|k| format!("M{:.1} 0V16", self.x(f64::from(k))))
            .collect();
        AxisView {
            width: BAR_WIDTH as u32,
            center: format!("{:.1}", BAR_WIDTH / 2.0),
            grid_path,
            ticks,
            max_log10: self.max_log10,
        }
    }

    fn bar(&self, e: &TermEvidence) -> BarView {
        let l = e.lr.log10();
        let l = if l.is_nan() { 0.0 } else { l };
        let c = BAR_WIDTH / 2.0;
        let x = self.x(l);
        let (x0, w) = if x >= c { (c, x - c) } else { (x, c - x) };
        let w = w.max(1.0); // an LR of exactly 1 still shows a tick
        let x0 = if x < c { c - w } else { x0 };
        let class = if e.match_kind == "not" {
            "bar not"
        } else if e.observed {
            "bar obs"
        } else {
            "bar exc"
        };
        let d = f64::from(self.max_log10);
        let clipped = if l > d {
            Some("right".to_string())
        } else if l < -d {
            Some("left".to_string())
        } else {
            None
        };
        BarView {
            x: format!("{x0:.1}"),
            width: format!("{w:.1}"),
            class: class.to_string(),
            clipped,
            title: format!(
                "{} {}: LR {} (log10 {:+.2})",
                if e.observed { "observed" } else { "excluded" },
                e.term,
                format_lr(e.lr),
                l
            ),
        }
    }
}

fn match_text(kind: &str) -> &'static str {
    match kind {
        "exact" => "same term",
        "ancestor" => "disease has a broader term",
        "descendant" => "disease has a more specific term",
        "partial" => "partial match",
        "none" => "no match",
        "not" => "the disease is annotated as not having this feature",
        _ => "",
    }
}

/// What a match means, in words, with the frequency of the disease's feature when known. A
/// partial match (docs/phenotype-model.md) is no annotated feature: the patient's term is not
/// annotated to the disease, and the closest the disease has is a broader term that both share
/// (implied by other, more specific features of the disease), discounted by `partial_match`.
fn match_note(e: &TermEvidence) -> String {
    let freq = e.frequency.map(|f| format!("{:.0}%", f * 100.0));
    if e.match_kind == "partial" {
        let broader = e
            .disease_term_label
            .as_deref()
            .or(e.disease_term.as_deref())
            .unwrap_or("a broader term");
        let direction = if e.lr < 1.0 {
            "Counts against the disease."
        } else {
            "Weak support only."
        };
        return format!(
            "partial match: {} is not annotated to this disease. The closest the disease has is the broader shared ancestor {broader} (through other, more specific features{}). {direction}",
            e.label,
            freq.map(|f| format!("; in {f} of patients")).unwrap_or_default()
        );
    }
    let text = match_text(&e.match_kind);
    match freq {
        Some(f) => format!("{text} · in {f} of patients"),
        None => text.to_string(),
    }
}

fn score_text(method: &str, score: f64) -> String {
    if method == "resnik" {
        format!("similarity {score:.2}")
    } else {
        format!("log10 LR {score:.2}")
    }
}

/// The bold value and the bar of a ranked row: LR model, the post-test probability (`–` when
/// absent); Resnik, the similarity and its fraction of the best similarity in the list.
fn headline(lr_model: bool, p: Option<f64>, score: f64, best: f64) -> (String, String) {
    if lr_model {
        (
            format_probability(p),
            format!("{:.1}", p.unwrap_or(0.0).clamp(0.0, 1.0) * 100.0),
        )
    } else {
        let frac = if best > 0.0 && score.is_finite() {
            (score / best).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (format!("{score:.2}"), format!("{:.1}", frac * 100.0))
    }
}

/// The shortest telling name of a variant: HGVS p. when known, else c., else the position.
fn variant_name(v: &VariantResult) -> String {
    let p = v
        .hgvs_p
        .clone()
        .filter(|p| !p.ends_with("p.?") && !p.ends_with("p.(?)"));
    let short = |s: String| s.rsplit(':').next().map(String::from).unwrap_or(s);
    p.map(short)
        .or_else(|| v.hgvs_c.clone().map(short))
        .unwrap_or_else(|| format!("{}:{} {}>{}", v.chrom, v.pos, v.reference, v.alt))
}

/// Genes below this post-test probability are left out of the overlap note: their share of a
/// disease does not change what the reader sees (`<0.1%`, `0.4%`).
const SHARED_MIN_PROBABILITY: f64 = 0.01;

/// Groups of reported genes with a post-test probability of at least
/// [`SHARED_MIN_PROBABILITY`] that share a disease: `EVC and EVC2 (Ellis-van Creveld syndrome,
/// OMIM:225500)`, in the order the diseases first appear in the gene list; one entry per
/// distinct group of genes.
fn shared_diseases(r: &AnalysisReport, label: &HashMap<&str, &DiseaseResult>) -> Vec<String> {
    let mut order: Vec<&str> = Vec::new();
    let mut genes_of: HashMap<&str, Vec<&str>> = HashMap::new();
    for g in r.genes.iter().filter(|g| {
        g.post_test_probability
            .is_some_and(|p| p >= SHARED_MIN_PROBABILITY)
    }) {
        for d in &g.diseases {
            let list = genes_of.entry(d.as_str()).or_insert_with(|| {
                order.push(d.as_str());
                Vec::new()
            });
            if !list.contains(&g.symbol.as_str()) {
                list.push(g.symbol.as_str());
            }
        }
    }
    let mut seen: BTreeSet<Vec<&str>> = BTreeSet::new();
    let mut out = Vec::new();
    for d in order {
        let genes = &genes_of[d];
        if genes.len() < 2 || !seen.insert(genes.clone()) {
            continue;
        }
        let names = match genes.split_last() {
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => continue,
        };
        let disease = match label
            .get(d)
            .map(|x| x.label.as_str())
            .or_else(|| r.disease_labels.get(d).map(String::as_str))
        {
            Some(x) => format!("{x}, {d}"),
            None => d.to_string(),
        };
        out.push(format!("{names} ({disease})"));
    }
    out
}

fn rank_label(rank: usize, tie: usize) -> (String, String) {
    if tie > 1 {
        (
            format!("={rank}"),
            format!(
                "tied with {} other{}; ties share the worst rank",
                tie - 1,
                if tie == 2 { "" } else { "s" }
            ),
        )
    } else {
        (rank.to_string(), String::new())
    }
}

fn evidence_view(d: &DiseaseResult, scale: &Scale, anchor: String) -> EvidenceView {
    let rows: Vec<EvidenceRow> = d
        .evidence
        .iter()
        .map(|e| {
            let l = e.lr.log10();
            EvidenceRow {
                term: e.term.clone(),
                label: e.label.clone(),
                url: curie_url(&e.term),
                observed: e.observed,
                match_kind: e.match_kind.clone(),
                match_text: match_note(e),
                disease_term: e.disease_term.clone(),
                disease_term_label: e.disease_term_label.clone(),
                disease_term_url: e.disease_term.as_deref().and_then(curie_url),
                disease_term_prefix: if e.match_kind == "partial" {
                    "shared broader term:".into()
                } else {
                    String::new()
                },
                frequency_text: e
                    .frequency
                    .map(|f| format!("{:.0}%", f * 100.0))
                    .unwrap_or_default(),
                lr_attr: e.lr.to_string(),
                lr_text: format_lr(e.lr),
                log10_text: if l.is_finite() {
                    format!("{l:+.2}")
                } else {
                    String::new()
                },
                contradiction: e.match_kind == "not",
                bar: scale.bar(e),
            }
        })
        .collect();
    EvidenceView {
        anchor,
        disease_id: d.id.clone(),
        disease_label: d.label.clone(),
        disease_url: curie_url(&d.id),
        rank: d.rank,
        probability_text: format_probability(d.post_test_probability),
        modes: d.modes_of_inheritance.clone(),
        combined_text: {
            let sum: f64 = d.evidence.iter().map(|e| e.lr.log10()).sum();
            format!("{} (log10 {sum:+.2})", format_lr(10f64.powf(sum)))
        },
        score_text: format!("{:.2}", d.score),
        supporting: d.evidence.iter().filter(|e| e.lr > 1.0).count(),
        against: d.evidence.iter().filter(|e| e.lr < 1.0).count(),
        contradictions: d.evidence.iter().filter(|e| e.match_kind == "not").count(),
        rows,
    }
}

fn variant_view(v: &VariantResult, samples: &[String], assembly: Option<&str>) -> VariantView {
    let genotype_text = |s: &String| {
        let Some(g) = v.genotypes.iter().find(|g| &g.sample == s) else {
            return ("–".to_string(), String::new());
        };
        let mut extra = Vec::new();
        if let Some(q) = g.gq {
            extra.push(format!("GQ {q}"));
        }
        if let Some(d) = g.dp {
            extra.push(format!("DP {d}"));
        }
        if !g.ad.is_empty() {
            extra.push(format!(
                "AD {}",
                g.ad.iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            ));
        }
        (g.genotype.clone(), extra.join(", "))
    };
    let af_text = match v.allele_frequency {
        None => "not seen".to_string(),
        Some(0.0) => "0".to_string(),
        Some(f) if f < 0.001 => format!("{f:.1e}"),
        Some(f) => format!("{f:.4}"),
    };
    VariantView {
        position: format!("{}:{} {}>{}", v.chrom, v.pos, v.reference, v.alt),
        gnomad_url: gnomad_url(&v.chrom, v.pos, &v.reference, &v.alt, assembly),
        transcript: v.transcript.clone().unwrap_or_default(),
        hgvs_c: v.hgvs_c.clone().unwrap_or_default(),
        hgvs_p: v.hgvs_p.clone().unwrap_or_default(),
        consequence: v.consequence.replace('_', " "),
        heteroplasmy_text: v
            .heteroplasmy
            .map(|h| format!("heteroplasmy {:.0}%", h * 100.0)),
        genotypes: samples.iter().map(genotype_text).collect(),
        af_text,
        af_source: v.frequency_source.clone().unwrap_or_default(),
        clinvar: v.clinvar.as_ref().map(|c| ClinVarView {
            significance: c.significance.replace('_', " "),
            stars: format!(
                "{}{}",
                "★".repeat(c.stars.min(4) as usize),
                "☆".repeat(4 - c.stars.min(4) as usize)
            ),
            stars_count: c.stars,
            url: c.id.as_deref().and_then(clinvar_url),
        }),
        scores: v
            .scores
            .iter()
            .map(|(k, x)| {
                (
                    k.clone(),
                    if x.abs() >= 100.0 {
                        format!("{x:.0}")
                    } else {
                        format!("{x:.3}")
                    },
                )
            })
            .collect(),
        pathogenicity_text: format!("{:.2}", v.pathogenicity),
        modes: v.modes_of_inheritance.clone(),
        filter: v.filter.clone(),
        pass: v.filter == "PASS",
    }
}

/// Filter reasons whose variants the page counts but does not list one by one: they say nothing
/// about a candidate (the proband does not carry the allele; no gene; not a primary contig).
/// Reason codes are `odyssey-variant`'s (`FilterReason::as_str`).
pub const UNLISTED_FILTER_REASONS: [&str; 3] = ["not_in_proband", "no_gene", "non_primary_contig"];

/// At most this many removed variants are listed on the page (the JSON has the full list).
pub const FILTERED_LISTED_MAX: usize = 300;

/// A filter reason code in words.
fn filter_reason_meaning(code: &str) -> &'static str {
    match code {
        "non_primary_contig" => "not on a primary chromosome",
        "unsupported_allele" => "symbolic, breakend or otherwise unsupported allele",
        "not_in_proband" => "not carried by the proband",
        "failed_filter" => "VCF FILTER not PASS",
        "low_qual" => "QUAL below the minimum",
        "low_genotype_quality" => "proband genotype quality (GQ) below the minimum",
        "low_depth" => "proband read depth (DP) below the minimum",
        "allele_balance" => "proband allele balance outside the accepted range",
        "outside_regions" => "outside the --regions BED intervals",
        "no_gene" => "in no gene (intergenic)",
        "not_in_panel" => "in no gene of the --panel",
        "frequency" => "population allele frequency too high",
        "local_frequency" => "in-house allele frequency too high",
        "consequence" => "consequence unlikely to be pathogenic (e.g. synonymous, deep intronic)",
        "clinvar_benign" => "ClinVar benign or likely benign",
        _ => "",
    }
}

/// The code of a removed variant's reason (`frequency: AF 0.2 ...` -> `frequency`).
fn reason_code(reason: &str) -> &str {
    reason.split(':').next().unwrap_or(reason).trim()
}

/// The filtering section: every count; the removed variants listed for the reasons that concern
/// a candidate only (not [`UNLISTED_FILTER_REASONS`]), those of the reported genes first, then in
/// the JSON's order, at most [`FILTERED_LISTED_MAX`].
fn filters_view(f: &crate::model::FilterSummary, r: &AnalysisReport) -> FiltersView {
    let removed_total: u64 = f.removed.iter().map(|c| c.count).sum();
    let max = f.removed.iter().map(|c| c.count).max().unwrap_or(0).max(1);
    let unlisted = |code: &str| UNLISTED_FILTER_REASONS.contains(&code);
    let reported: HashMap<&str, usize> = r
        .genes
        .iter()
        .enumerate()
        .map(|(i, g)| (g.symbol.as_str(), i))
        .collect();
    // the variant's genes: its `gene`, else the `GENE:consequence` pairs of the reason's detail
    let gene_rank = |v: &crate::model::FilteredVariant| -> usize {
        let mut genes: Vec<&str> = v
            .gene
            .as_deref()
            .map(|g| g.split(',').map(str::trim).collect())
            .unwrap_or_default();
        if let Some((_, detail)) = v.reason.split_once(':') {
            genes.extend(
                detail
                    .split([',', ' ', ';'])
                    .filter_map(|t| t.split_once(':').map(|(g, _)| g.trim())),
            );
        }
        genes
            .iter()
            .filter_map(|s| reported.get(s).copied())
            .min()
            .unwrap_or(usize::MAX)
    };
    let mut listed: Vec<(usize, usize, &crate::model::FilteredVariant)> = f
        .filtered_variants
        .iter()
        .enumerate()
        .filter(|(_, v)| !unlisted(reason_code(&v.reason)))
        .map(|(i, v)| (gene_rank(v), i, v))
        .collect();
    listed.sort_by_key(|&(g, i, _)| (g, i));
    listed.truncate(FILTERED_LISTED_MAX);
    let gene_first = listed.first().is_some_and(|l| l.0 != usize::MAX);
    let listable: u64 = f
        .removed
        .iter()
        .filter(|c| !unlisted(&c.reason))
        .map(|c| c.count)
        .sum();
    FiltersView {
        records: f.records,
        variants: f.variants,
        passed: f.passed,
        removed_total,
        removed: f
            .removed
            .iter()
            .map(|c| FilterCountView {
                reason: c.reason.clone(),
                meaning: filter_reason_meaning(&c.reason).to_string(),
                count: c.count,
                bar_width: format!("{:.1}", c.count as f64 / max as f64 * 100.0),
            })
            .collect(),
        more: listable.saturating_sub(listed.len() as u64),
        unlisted_reasons: f
            .removed
            .iter()
            .filter(|c| unlisted(&c.reason) && c.count > 0)
            .map(|c| {
                let m = filter_reason_meaning(&c.reason);
                if m.is_empty() {
                    format!("{} ({})", c.reason, c.count)
                } else {
                    format!("{m} ({})", c.count)
                }
            })
            .collect(),
        listed: listed.len(),
        filtered: listed
            .into_iter()
            .map(|(_, _, v)| {
                (
                    v.variant.clone(),
                    v.gene.clone().unwrap_or_default(),
                    v.reason.clone(),
                )
            })
            .collect(),
        json_listed: f.filtered_variants.len(),
        gene_first,
    }
}

/// What the page's parts share: the report, its method and the reported diseases by id.
struct PageContext<'a> {
    r: &'a AnalysisReport,
    method: &'a str,
    lr_model: bool,
    assembly: Option<&'a str>,
    disease_by_id: HashMap<&'a str, &'a DiseaseResult>,
    /// "not in the top N diseases" (or the like) for a gene's disease not reported.
    outside_top: String,
}

/// The page's view, built in the order the page reads: case → run → gene table → disease
/// table → gene cards (with the family's samples as genotype columns) → disease cards →
/// filters → diseases shared between genes.
fn page_view(r: &AnalysisReport, opts: &HtmlOptions) -> PageView {
    let method = r.odyssey.method.as_str();
    let cx = PageContext {
        r,
        method,
        lr_model: method != "resnik",
        assembly: crate::report_assembly(r),
        disease_by_id: r.diseases.iter().map(|d| (d.id.as_str(), d)).collect(),
        outside_top: not_in_top(r.diseases.len()),
    };
    // one bar scale for the whole page, so bars compare across candidates
    let scale = Scale::new(r.diseases.iter().flat_map(|d| d.evidence.iter()));
    let detail_genes = r.genes.len().min(opts.detail_genes);
    let detail_diseases = r.diseases.len().min(opts.detail_diseases);
    let genes = gene_rows(&cx, detail_genes);
    let diseases = disease_rows(&cx, detail_diseases);
    let gene_cards = gene_cards(&cx, &genes, &scale);
    let disease_cards: Vec<EvidenceView> = r
        .diseases
        .iter()
        .enumerate()
        .take(detail_diseases)
        .filter(|(_, d)| !d.evidence.is_empty())
        .map(|(i, d)| evidence_view(d, &scale, disease_anchor(i, d)))
        .collect();

    // probabilities are per gene (the chance that the diagnosis is one of the gene's diseases):
    // genes sharing a disease count it each
    let mut shared = if cx.lr_model {
        shared_diseases(r, &cx.disease_by_id)
    } else {
        Vec::new()
    };
    const SHARED_SHOWN: usize = 3;
    let more_shared = shared.len().saturating_sub(SHARED_SHOWN);
    shared.truncate(SHARED_SHOWN);

    PageView {
        title: format!("Odyssey report: {}", r.case.id),
        warnings: r.warnings.clone(),
        case: case_view(&r.case),
        run: run_view(&cx),
        lr_model: cx.lr_model,
        variant_analysis: crate::has_variant_analysis(r),
        genes,
        diseases,
        gene_cards,
        disease_cards,
        filters: r.filters.as_ref().map(|f| filters_view(f, r)),
        axis: scale.axis(),
        shared_diseases: shared,
        more_shared,
    }
}

fn gene_anchor(i: usize, g: &GeneResult) -> String {
    format!("gene-{}-{}", i + 1, slug(&g.symbol))
}

fn disease_anchor(i: usize, d: &DiseaseResult) -> String {
    format!("disease-{}-{}", i + 1, slug(&d.id))
}

/// The case: its terms (observed, excluded), ignored and remapped ids, and the family.
fn case_view(case: &crate::model::CaseSummary) -> CaseView {
    let term = |t: &crate::model::TermRef| TermView {
        id: t.id.clone(),
        label: t.label.clone(),
        url: curie_url(&t.id),
    };
    CaseView {
        id: case.id.clone(),
        subject_id: case
            .subject_id
            .clone()
            .filter(|s| s != &case.id && !s.is_empty()),
        sex: case.sex.clone(),
        age: case.age.as_deref().map(humanize_age),
        age_iso: case.age.clone(),
        observed: case.terms.iter().filter(|t| t.observed).map(term).collect(),
        excluded: case
            .terms
            .iter()
            .filter(|t| !t.observed)
            .map(term)
            .collect(),
        ignored: case
            .ignored
            .iter()
            .map(|i| {
                (
                    format!("{}{}", if i.excluded { "excluded " } else { "" }, i.id),
                    i.reason.clone(),
                )
            })
            .collect(),
        remapped: case
            .remapped
            .iter()
            .map(|m| (m.from.clone(), m.to.clone(), m.how.clone()))
            .collect(),
        family: case
            .family
            .iter()
            .map(|m| FamilyRow {
                id: m.id.clone(),
                sample: m.sample.clone().unwrap_or_default(),
                sex: m.sex.clone(),
                status: m.status.clone(),
                father: m.father.clone().unwrap_or_default(),
                mother: m.mother.clone().unwrap_or_default(),
                proband: m.proband,
            })
            .collect(),
    }
}

/// The run: version, method, knowledge base, inputs, sources, command, parameters.
fn run_view(cx: &PageContext) -> RunView {
    let o = &cx.r.odyssey;
    RunView {
        version: o.version.clone(),
        method: o.method.clone(),
        method_name: if cx.lr_model {
            "likelihood-ratio model".into()
        } else {
            "Resnik best-match average".into()
        },
        hpo_release: o.knowledge_base.hpo_release.clone(),
        annotations_release: o.knowledge_base.annotations_release.clone(),
        kb_source: o.knowledge_base.source.clone(),
        kb_checksum: o.knowledge_base.checksum.clone(),
        created: o.created.clone(),
        created_display: display_date(&o.created),
        inputs: o
            .inputs
            .iter()
            .map(|i| InputView {
                role: i.role.clone(),
                name: file_name(&i.path),
                path: i.path.clone(),
                checksum: i.checksum.clone().unwrap_or_default(),
            })
            .collect(),
        sources: o
            .sources
            .iter()
            .map(|s| (s.name.clone(), s.role.clone(), s.version.clone()))
            .collect(),
        command: o.command.join(" "),
        parameters: serde_json::to_string_pretty(&o.parameters).unwrap_or_default(),
        assembly: cx.assembly.map(String::from),
    }
}

/// The links of a gene row to its diseases: those ranked in this report (with names) first,
/// at most two; a disease outside the top N says so.
fn gene_disease_links(cx: &PageContext, g: &GeneResult) -> Vec<Link> {
    let mut ids: Vec<&String> = g
        .diseases
        .iter()
        .filter(|d| cx.disease_by_id.contains_key(d.as_str()))
        .collect();
    if ids.is_empty() {
        ids.extend(g.diseases.first());
    }
    ids.iter()
        .take(2)
        .map(|d| {
            let known = cx.disease_by_id.get(d.as_str());
            let name = known
                .map(|x| x.label.as_str())
                .or_else(|| cx.r.disease_labels.get(d.as_str()).map(String::as_str));
            let mut l = Link::curie(d, name);
            if known.is_none() {
                l.show_id = name.is_some();
                l.note = if l.show_id {
                    cx.outside_top.clone()
                } else {
                    format!("({})", cx.outside_top)
                };
            }
            l
        })
        .collect()
}

/// The gene table; the first `detail_genes` rows link to a card.
fn gene_rows(cx: &PageContext, detail_genes: usize) -> Vec<GeneRow> {
    let r = cx.r;
    let best_gene = r
        .genes
        .iter()
        .map(|g| g.score)
        .fold(f64::NEG_INFINITY, f64::max);
    r.genes
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let diseases = gene_disease_links(cx, g);
            let disease_modes = if g.disease_modes.is_empty() {
                // a report without `disease_modes`: the modes of the gene's best-ranked
                // reported disease
                g.diseases
                    .iter()
                    .find_map(|d| cx.disease_by_id.get(d.as_str()))
                    .map(|d| d.modes_of_inheritance.clone())
                    .unwrap_or_default()
            } else {
                g.disease_modes.clone()
            };
            let genotype_fits = if g.genotype_fits.is_empty() {
                g.modes_of_inheritance.clone()
            } else {
                g.genotype_fits.clone()
            };
            GeneRow {
                cells: rank_cells(
                    cx.method,
                    cx.lr_model,
                    (g.rank, g.tie_size, r.genes[0].rank),
                    g.post_test_probability,
                    g.score,
                    best_gene,
                ),
                symbol: g.symbol.clone(),
                gene_url: curie_url(&g.ncbi_gene_id),
                anchor: gene_anchor(i, g),
                has_card: i < detail_genes,
                phenotype_score_text: g.phenotype_score.map(|s| format!("{s:.2}")),
                genotype_score_text: g.genotype_score.map(|s| format!("{s:.2}")),
                more_diseases: g.diseases.len().saturating_sub(diseases.len()),
                diseases,
                disease_modes,
                genotype_fits,
                variant_count: g.variants.len(),
                variant_names: g.variants.iter().map(variant_name).collect(),
            }
        })
        .collect()
}

/// The disease table; the first `detail_diseases` rows with evidence link to a card.
fn disease_rows(cx: &PageContext, detail_diseases: usize) -> Vec<DiseaseRow> {
    let r = cx.r;
    let best_disease = r
        .diseases
        .iter()
        .map(|d| d.score)
        .fold(f64::NEG_INFINITY, f64::max);
    r.diseases
        .iter()
        .enumerate()
        .map(|(i, d)| DiseaseRow {
            cells: rank_cells(
                cx.method,
                cx.lr_model,
                (d.rank, d.tie_size, r.diseases[0].rank),
                d.post_test_probability,
                d.score,
                best_disease,
            ),
            id: d.id.clone(),
            equivalent_ids: d.equivalent_ids.join(", "),
            label: d.label.clone(),
            url: curie_url(&d.id),
            anchor: disease_anchor(i, d),
            has_card: i < detail_diseases && !d.evidence.is_empty(),
            modes: d.modes_of_inheritance.clone(),
            genes: d
                .genes
                .iter()
                .map(|g| Link::curie(&g.ncbi_gene_id, None))
                .zip(&d.genes)
                .map(|(mut l, g)| {
                    l.title = l.text.clone();
                    l.text = g.symbol.clone();
                    l
                })
                .collect(),
        })
        .collect()
}

/// Genotype columns: samples in pedigree order (proband first), then any other sample seen
/// in genotypes; with each family member's header (pedigree id, VCF sample when it differs,
/// `proband, affected`).
fn sample_columns(r: &AnalysisReport) -> (Vec<String>, HashMap<String, SampleHeader>) {
    let mut samples: Vec<String> = Vec::new();
    let mut notes: HashMap<String, SampleHeader> = HashMap::new();
    let mut fam: Vec<_> = r.case.family.iter().collect();
    fam.sort_by_key(|m| !m.proband);
    for m in fam {
        let s = m.sample.clone().unwrap_or_else(|| m.id.clone());
        let mut note = Vec::new();
        if m.proband {
            note.push("proband".to_string());
        }
        note.push(m.status.clone());
        notes.insert(
            s.clone(),
            SampleHeader {
                name: m.id.clone(),
                vcf_sample: (m.id != s).then(|| s.clone()),
                note: note.join(", "),
            },
        );
        if !samples.contains(&s) {
            samples.push(s);
        }
    }
    for g in &r.genes {
        for v in &g.variants {
            for gt in &v.genotypes {
                if !samples.contains(&gt.sample) {
                    samples.push(gt.sample.clone());
                }
            }
        }
    }
    (samples, notes)
}

/// A gene card's line for one of the gene's diseases (rank and probability when reported).
fn disease_brief(cx: &PageContext, id: &String) -> DiseaseBrief {
    let d = cx.disease_by_id.get(id.as_str());
    DiseaseBrief {
        id: id.clone(),
        label: d
            .map(|d| d.label.clone())
            .or_else(|| cx.r.disease_labels.get(id).cloned())
            .unwrap_or_default(),
        note: if d.is_none() {
            format!("({})", cx.outside_top)
        } else {
            String::new()
        },
        url: curie_url(id),
        rank: d.map(|d| d.rank),
        probability_text: d
            .map(|d| {
                if cx.lr_model {
                    format_probability(d.post_test_probability)
                } else {
                    score_text(cx.method, d.score)
                }
            })
            .unwrap_or_default(),
        modes: d
            .map(|d| d.modes_of_inheritance.clone())
            .unwrap_or_default(),
    }
}

/// The cards of the genes whose rows have one: diseases, phenotype evidence, variants with
/// the genotypes of the samples that carry them or are family members.
fn gene_cards(cx: &PageContext, rows: &[GeneRow], scale: &Scale) -> Vec<GeneCard> {
    let r = cx.r;
    let (samples, notes) = sample_columns(r);
    r.genes
        .iter()
        .zip(rows)
        .filter(|(_, row)| row.has_card)
        .map(|(g, row)| {
            let with_evidence: Vec<&DiseaseResult> = g
                .diseases
                .iter()
                .filter_map(|d| cx.disease_by_id.get(d.as_str()).copied())
                .filter(|d| !d.evidence.is_empty())
                .collect();
            let mut evs = with_evidence
                .iter()
                .map(|d| evidence_view(d, scale, format!("{}-{}", row.anchor, slug(&d.id))));
            let evidence = evs.next();
            let more_evidence: Vec<EvidenceView> = evs.collect();
            let card_samples: Vec<String> = samples
                .iter()
                .filter(|s| {
                    g.variants
                        .iter()
                        .any(|v| v.genotypes.iter().any(|gt| &&gt.sample == s))
                        || notes.contains_key(*s)
                })
                .cloned()
                .collect();
            GeneCard {
                anchor: row.anchor.clone(),
                rank: g.rank,
                rank_label: row.cells.rank_label.clone(),
                symbol: g.symbol.clone(),
                gene_url: row.gene_url.clone(),
                ncbi_gene_id: g.ncbi_gene_id.clone(),
                probability_text: if cx.lr_model {
                    row.cells.probability_text.clone()
                } else {
                    String::new()
                },
                score_text: score_text(cx.method, g.score),
                phenotype_score_text: row.phenotype_score_text.clone(),
                genotype_score_text: row.genotype_score_text.clone(),
                diseases: g.diseases.iter().map(|id| disease_brief(cx, id)).collect(),
                modes: g.modes_of_inheritance.clone(),
                samples: card_samples
                    .iter()
                    .map(|s| match notes.get(s) {
                        Some(h) => SampleHeader {
                            name: h.name.clone(),
                            vcf_sample: h.vcf_sample.clone(),
                            note: h.note.clone(),
                        },
                        None => SampleHeader {
                            name: s.clone(),
                            vcf_sample: None,
                            note: String::new(),
                        },
                    })
                    .collect(),
                variants: g
                    .variants
                    .iter()
                    .map(|v| variant_view(v, &card_samples, cx.assembly))
                    .collect(),
                evidence,
                more_evidence,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probability_text() {
        assert_eq!(format_probability(Some(0.8312)), "83.1%");
        assert_eq!(format_probability(Some(0.0004)), "<0.1%");
        assert_eq!(format_probability(Some(0.9996)), ">99.9%");
        assert_eq!(format_probability(Some(0.001)), "0.1%");
        assert_eq!(format_probability(None), "–");
    }

    #[test]
    fn lr_text() {
        assert_eq!(format_lr(12.345), "12.3");
        assert_eq!(format_lr(1.0), "1.00");
        assert_eq!(format_lr(0.05123), "0.0512");
        assert_eq!(format_lr(0.000213), "2.1e-4");
        assert_eq!(format_lr(3_500_000.0), "3.5e6");
        assert_eq!(format_lr(999.4), "999");
    }

    #[test]
    fn ages() {
        assert_eq!(humanize_age("P3Y6M"), "3 years 6 months");
        assert_eq!(humanize_age("P1Y"), "1 year");
        assert_eq!(humanize_age("P18M2D"), "18 months 2 days");
        assert_eq!(humanize_age("P2W"), "2 weeks");
        assert_eq!(humanize_age("adult"), "adult");
        assert_eq!(humanize_age("P3"), "P3");
        assert_eq!(display_date("2026-11-29T20:13:40Z"), "2026-11-29 20:13 UTC");
    }

    #[test]
    fn bar_geometry() {
        // scale of 2 decades: half width 104 px per 2 decades, centre 110
        let s = Scale { max_log10: 2 };
        let ev = |lr: f64, observed: bool, kind: &str| TermEvidence {
            term: "HP:1".into(),
            label: "x".into(),
            observed,
            match_kind: kind.into(),
            disease_term: None,
            disease_term_label: None,
            frequency: None,
            lr,
        };
        let b = s.bar(&ev(10.0, true, "exact")); // +1 decade: 52 px to the right
        assert_eq!(
            (b.x.as_str(), b.width.as_str(), b.class.as_str()),
            ("110.0", "52.0", "bar obs")
        );
        let b = s.bar(&ev(0.1, false, "none")); // -1 decade: 52 px to the left
        assert_eq!(
            (b.x.as_str(), b.width.as_str(), b.class.as_str()),
            ("58.0", "52.0", "bar exc")
        );
        let b = s.bar(&ev(1e-5, true, "not")); // clipped at -2 decades
        assert_eq!(
            (
                b.x.as_str(),
                b.width.as_str(),
                b.class.as_str(),
                b.clipped.as_deref()
            ),
            ("6.0", "104.0", "bar not", Some("left"))
        );
        let b = s.bar(&ev(1.0, true, "exact")); // neutral: a 1 px tick
        assert_eq!((b.x.as_str(), b.width.as_str()), ("110.0", "1.0"));
    }
}
