//! HTML report: content, escaping, self-containment, and agreement with the JSON of the same
//! report.

mod common;

use common::*;
use odyssey_report::*;

/// Independent formatting of a probability as the report must show it.
fn expected_text(p: Option<f64>) -> String {
    match p {
        None => "–".to_string(),
        Some(p) if p < 0.001 => "<0.1%".to_string(),
        Some(p) if p > 0.999 => ">99.9%".to_string(),
        Some(p) => format!("{:.1}%", (p * 1000.0).round() / 10.0),
    }
}

/// The text of the first `<span class="ptext">` after a row's start tag.
fn row_probability_text<'a>(html: &'a str, row_tag: &str) -> &'a str {
    let at = html.find(row_tag).expect("row");
    let rest = &html[at..];
    let i = rest.find("<span class=\"ptext\">").expect("ptext") + "<span class=\"ptext\">".len();
    let j = i + rest[i..].find('<').unwrap();
    &rest[i..j]
}

/// Compares every rank and probability of the HTML with the JSON, in order: exact equality of
/// the numbers parsed back from the `data-*` attributes, and the visible percentage (Resnik: the
/// similarity with two decimals).
pub fn assert_agree(html: &str, json: &serde_json::Value) {
    let resnik = json["odyssey"]["method"] == "resnik";
    for (kind, key, list) in [("gene", "symbol", "genes"), ("disease", "id", "diseases")] {
        let rows = tags_with(html, &format!("data-kind=\"{kind}\""));
        let items = json[list].as_array().unwrap();
        assert_eq!(rows.len(), items.len(), "{list}: HTML rows vs JSON entries");
        for (row, item) in rows.iter().zip(items) {
            assert_eq!(
                attr(row, "data-rank").unwrap().parse::<u64>().unwrap(),
                item["rank"].as_u64().unwrap(),
                "{row}"
            );
            assert_eq!(
                attr(row, &format!("data-{key}")).unwrap(),
                item[key].as_str().unwrap()
            );
            let p_html = attr(row, "data-probability").unwrap();
            let p_json = item["post_test_probability"].as_f64();
            match p_json {
                Some(p) => assert_eq!(p_html.parse::<f64>().unwrap(), p, "{row}"),
                None => assert_eq!(p_html, ""),
            }
            assert_eq!(
                attr(row, "data-score").unwrap().parse::<f64>().unwrap(),
                item["score"].as_f64().unwrap()
            );
            let shown = if resnik {
                format!("{:.2}", item["score"].as_f64().unwrap())
            } else {
                expected_text(p_json)
            };
            assert_eq!(
                row_probability_text(html, row)
                    .replace("&lt;", "<")
                    .replace("&gt;", ">"),
                shown,
                "{row}"
            );
        }
    }
}

fn render(r: &AnalysisReport) -> String {
    let mut out = Vec::new();
    write_html(r, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn json_of(r: &AnalysisReport) -> serde_json::Value {
    let mut out = Vec::new();
    write_json(r, &mut out).unwrap();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn html_and_json_agree_on_every_rank_and_probability() {
    for r in [full_report(), phenotype_only_report()] {
        let html = render(&r);
        assert_agree(&html, &json_of(&r));
    }
    // a Resnik report has no probabilities: empty attributes, the similarity on screen
    let mut r = phenotype_only_report();
    r.odyssey.method = "resnik".into();
    for d in &mut r.diseases {
        d.post_test_probability = None;
        d.evidence.clear();
    }
    for g in &mut r.genes {
        g.post_test_probability = None;
    }
    let html = render(&r);
    assert_agree(&html, &json_of(&r));
    assert!(html.contains("similarity 4.50"));
}

/// The bar of a ranked row: the width of the first `<span class="pbar">`'s inner span.
fn row_bar_width(html: &str, row_tag: &str) -> f64 {
    let at = html.find(row_tag).expect("row");
    let rest = &html[at..];
    let i = rest
        .find("<span class=\"pbar\" aria-hidden=\"true\"><span style=\"width: ")
        .expect("pbar")
        + "<span class=\"pbar\" aria-hidden=\"true\"><span style=\"width: ".len();
    let j = i + rest[i..].find('%').unwrap();
    rest[i..j].parse().unwrap()
}

/// Resnik mode: the legend explains similarities (no likelihood ratios, no probabilities) and
/// the bars show each similarity as a fraction of the best one of its table.
#[test]
fn resnik_report_explains_and_draws_similarities() {
    let mut r = phenotype_only_report();
    r.odyssey.method = "resnik".into();
    for d in &mut r.diseases {
        d.post_test_probability = None;
        d.evidence.clear();
    }
    for g in &mut r.genes {
        g.post_test_probability = None;
    }
    // similarities in nats (made up): genes 4.5, 1.25, 0.9; diseases 3.1234, 1.9, 0.5, 0.5
    r.genes[2].score = 0.9;
    let html = render(&r);
    assert!(html.contains("Resnik semantic similarity"), "legend");
    assert!(
        !html.contains("Bars: likelihood ratio"),
        "an LR legend in Resnik mode"
    );
    assert!(
        !html.contains("Post-test probabilities give"),
        "footer speaks of probabilities"
    );
    assert!(html.contains("<th>Similarity</th>"));
    let genes = tags_with(&html, "data-kind=\"gene\"");
    for (row, expected) in genes
        .iter()
        .zip([100.0, 1.25 / 4.5 * 100.0, 0.9 / 4.5 * 100.0])
    {
        assert!(
            (row_bar_width(&html, row) - expected).abs() <= 0.05,
            "{row}: {expected}"
        );
    }
    let diseases = tags_with(&html, "data-kind=\"disease\"");
    for (row, expected) in diseases.iter().zip([
        100.0,
        1.9 / 3.1234 * 100.0,
        0.5 / 3.1234 * 100.0,
        0.5 / 3.1234 * 100.0,
    ]) {
        assert!(
            (row_bar_width(&html, row) - expected).abs() <= 0.05,
            "{row}: {expected}"
        );
    }
    // the LR model keeps the probability bars
    let html = render(&phenotype_only_report());
    let first = tags_with(&html, "data-kind=\"gene\"")[0];
    assert!((row_bar_width(&html, first) - 95.1).abs() <= 0.05);
    assert!(html.contains("Bars: likelihood ratio"));
}

/// A gene's disease outside the reported top N is linked, named from `disease_labels` and said
/// to be outside it, in the gene table and in the gene's card; without a name, the bare id.
#[test]
fn diseases_outside_the_top_are_named_as_such() {
    let r = full_report();
    let html = render(&r).replace("&#x2f;", "/");
    // TWIST1's only disease, OMIM:101400, is not among the 4 reported diseases
    assert!(!r.diseases.iter().any(|d| d.id == "OMIM:101400"));
    let row = html.find("data-symbol=\"TWIST1\"").unwrap();
    let row = &html[row..row + html[row..].find("</tr>").unwrap()];
    assert!(
        row.contains("href=\"https://omim.org/entry/101400\""),
        "{row}"
    );
    assert!(row.contains(">Saethre-Chotzen syndrome</a> (OMIM:101400), <span class=\"muted\">not in the top 4 diseases</span>"), "{row}");
    let card = html
        .find("data-kind=\"gene-card\" data-rank=\"3\"")
        .unwrap();
    let card = &html[card..card + html[card..].find("</article>").unwrap()];
    assert!(card.contains("OMIM:101400</a> Saethre-Chotzen syndrome <span class=\"muted\">(not in the top 4 diseases)</span>"), "{card}");
    // a reported disease keeps its name
    assert!(!html[html.find("data-symbol=\"FGFR2\"").unwrap()..]
        .split("</tr>")
        .next()
        .unwrap()
        .contains("not in the top"));
    // a report without names (older JSON): the id alone, as before
    let mut r = full_report();
    r.disease_labels.clear();
    let html = render(&r).replace("&#x2f;", "/");
    let row = html.find("data-symbol=\"TWIST1\"").unwrap();
    let row = &html[row..row + html[row..].find("</tr>").unwrap()];
    assert!(
        row.contains("OMIM:101400</a> <span class=\"muted\">(not in the top 4 diseases)</span>"),
        "{row}"
    );
}

/// The text of an HTML fragment: tags removed, entities decoded, whitespace collapsed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The element with this `id="..."`, from its start tag to the first `</tag>` after it.
fn element<'a>(html: &'a str, id: &str, tag: &str) -> &'a str {
    let i = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..i].rfind('<').unwrap();
    let end = i + html[i..].find(&format!("</{tag}>")).unwrap();
    &html[start..end]
}

/// The analysis warnings are in a box at the top of the page, before the gene table, each in
/// full; no box when there is none.
#[test]
fn warnings_are_shown_at_the_top() {
    let r = full_report();
    let html = render(&r);
    let box_at = html.find("id=\"warnings\"").expect("a warnings box");
    assert!(
        box_at < html.find("id=\"top-genes\"").unwrap(),
        "the box comes before the gene table"
    );
    let text = text_of(element(&html, "warnings", "section"));
    assert!(text.starts_with("Warnings (2)"), "{text}");
    for w in &r.warnings {
        assert!(text.contains(w.as_str()), "{w} not in {text}");
    }
    let mut r = full_report();
    r.warnings.clear();
    assert!(!render(&r).contains("id=\"warnings\""));
}

/// Terms of the case that were not used are listed, visible, under the observed and excluded
/// terms with their reason.
#[test]
fn ignored_terms_are_shown_with_their_reason() {
    let html = render(&full_report());
    let patient = element(&html, "patient", "section");
    let list = text_of(element(patient, "ignored-terms", "ul"));
    assert_eq!(list, "Not used: HP:9999999 (unknown HPO term) Not used: excluded HP:0000005 (not a phenotypic abnormality (mode of inheritance))");
    // after the excluded terms, and not collapsed
    let at = patient.find("id=\"ignored-terms\"").unwrap();
    assert!(patient.find("Excluded: looked for").unwrap() < at);
    assert!(
        !patient[..at].contains("<details"),
        "the list is not hidden in a collapsed block"
    );
    // no terms ignored: no list
    let mut r = full_report();
    r.case.ignored.clear();
    assert!(!render(&r).contains("id=\"ignored-terms\""));
}

/// A partial match says what it is: the patient's term is not annotated to the disease, the
/// disease term shown is a broader shared ancestor, and an LR below 1 counts against.
#[test]
fn partial_matches_are_worded_as_such() {
    let r = full_report();
    let html = render(&r);
    // Crouzon's Cryptorchidism row (LR 0.78, shared ancestor HP:0000032)
    let table = html
        .find("<table class=\"evidence\" data-disease=\"OMIM:123500\"")
        .unwrap();
    let table = &html[table..table + html[table..].find("</table>").unwrap()];
    let row = table.find("data-term=\"HP:0000028\"").unwrap();
    let row = text_of(&table[row..row + table[row..].find("</tr>").unwrap()]);
    assert!(
        row.contains("shared broader term: Abnormality of male external genitalia HP:0000032"),
        "{row}"
    );
    assert!(row.contains("partial match: Cryptorchidism is not annotated to this disease. The closest the disease has is the broader shared ancestor Abnormality of male external genitalia (through other, more specific features; in 50% of patients). Counts against the disease."), "{row}");
    assert!(!row.contains("related term"), "{row}");
    // an exact match keeps the plain wording
    let row = table.find("data-term=\"HP:0000520\"").unwrap();
    let row = text_of(&table[row..row + table[row..].find("</tr>").unwrap()]);
    assert!(row.contains("same term · in 90% of patients"), "{row}");
    assert!(!row.contains("partial"), "{row}");
}

/// The filtering section counts every reason, lists the removed variants of the reasons that
/// concern a candidate (not those the proband does not carry), the reported genes' first, at
/// most `FILTERED_LISTED_MAX`, and says how many more there are and where to find them.
#[test]
fn filtered_variants_skip_uninteresting_reasons_and_are_capped() {
    let r = full_report();
    let html = render(&r);
    let section = element(&html, "filters", "section");
    // counts: every reason, with its meaning when known
    for c in &r.filters.as_ref().unwrap().removed {
        assert!(
            section.contains(&format!(
                "data-reason=\"{}\" data-count=\"{}\"",
                c.reason.replace('\'', "&#x27;"),
                c.count
            )),
            "{}",
            c.reason
        );
    }
    assert!(text_of(section).contains("not_in_proband not carried by the proband 700"));
    assert!(text_of(element(section, "unlisted-reasons", "p"))
        .contains("not carried by the proband (700)"));
    let table = element(section, "filtered-table", "table");
    assert!(
        !table.contains("chr1:900:G:T"),
        "a variant the proband does not carry is listed"
    );
    // the 4 other variants; FGFR2's (gene rank 1) first, then FGFR1's (from the reason's
    // GENE:consequence), then the others in the JSON's order
    let rows: Vec<String> = table
        .split("<tr>")
        .skip(2)
        .map(|t| text_of(t).split(' ').next().unwrap().to_string())
        .collect();
    assert_eq!(
        rows,
        [
            "chr10:121520200:A:G",
            "chr8:38411500:A:G",
            "chr1:1000:C:T",
            "chr4:1800000:G:A"
        ]
    );
    // 200 + 120 + 12 + 8 removed for listed reasons, 4 listed
    assert!(section.contains("(4 listed, 336 more)"), "{section}");
    let more = text_of(element(section, "filtered-more", "p"));
    assert!(more.starts_with("336 more removed variants not listed here (variants of the reported genes are listed first): see filters.filtered_variants in the JSON output (5 listed there)"), "{more}");
    assert!(more.contains("--explain CHROM:POS"), "{more}");

    // the cap: 1,000 listable variants in the JSON, FILTERED_LISTED_MAX on the page
    let mut r = full_report();
    let f = r.filters.as_mut().unwrap();
    f.filtered_variants = (0..1000u32)
        .map(|i| FilteredVariant {
            variant: format!("chr2:{}:A:G", 1000 + i),
            gene: None,
            reason: if i % 2 == 0 {
                "not_in_proband: proband GT 0/0".into()
            } else {
                "allele frequency above 0.001".into()
            },
        })
        .collect();
    let html = render(&r);
    let section = element(&html, "filters", "section");
    let table = element(section, "filtered-table", "table");
    assert_eq!(table.matches("<tr>").count() - 1, html::FILTERED_LISTED_MAX);
    assert!(!table.contains("not_in_proband"));
    // 340 listable by the counts, 300 listed
    assert!(section.contains(&format!(
        "({} listed, {} more)",
        html::FILTERED_LISTED_MAX,
        340 - html::FILTERED_LISTED_MAX
    )));
    // the JSON keeps every removed variant
    assert_eq!(
        json_of(&r)["filters"]["filtered_variants"]
            .as_array()
            .unwrap()
            .len(),
        1000
    );
}

/// The Variants cell lists every variant of the gene (a compound heterozygous pair: both).
#[test]
fn every_variant_of_a_gene_is_listed() {
    let mut r = full_report();
    let mut second = r.genes[1].variants[0].clone();
    second.pos += 100;
    second.hgvs_c = Some("c.1100C>T".into());
    second.hgvs_p = Some("p.(Ala367Val)".into());
    r.genes[1].variants.push(second);
    let html = render(&r);
    let row = html.find("data-symbol=\"FGFR1\"").unwrap();
    let row = &html[row..row + html[row..].find("</tr>").unwrap()];
    assert!(row.contains("2 variants: <span class=\"mono\">p.(Thr334fs)</span>, <span class=\"mono\">p.(Ala367Val)</span>"), "{row}");
    // one variant: its name alone
    let row = html.find("data-symbol=\"FGFR2\"").unwrap();
    let row = &html[row..row + html[row..].find("</tr>").unwrap()];
    assert!(
        row.contains("<td class=\"variants\"><span class=\"mono\">p.(Tyr340Cys)</span></td>"),
        "{row}"
    );
}

/// Genes sharing a disease get a note that their probabilities overlap; none otherwise.
#[test]
fn shared_diseases_note() {
    let r = full_report();
    let html = render(&r);
    // FGFR2 and FGFR1 are both genes of Pfeiffer syndrome (OMIM:101600)
    let note = html
        .find("id=\"shared-diseases\"")
        .map(|i| &html[i..i + html[i..].find("</p>").unwrap()])
        .expect("note");
    assert!(
        note.contains("FGFR2 and FGFR1 (Pfeiffer syndrome, OMIM:101600)"),
        "{note}"
    );
    assert!(
        note.contains("one of that gene&#x27;s diseases")
            || note.contains("one of that gene's diseases"),
        "{note}"
    );
    let mut r = full_report();
    r.genes[1].diseases = vec!["OMIM:123456".into()];
    assert!(!render(&r).contains("id=\"shared-diseases\""));
    // a gene below 1% does not change what the reader sees: no note
    let mut r = full_report();
    r.genes[1].post_test_probability = Some(0.009);
    assert!(!render(&r).contains("id=\"shared-diseases\""));
    // Resnik scores are no probabilities: no note
    let mut r = full_report();
    r.odyssey.method = "resnik".into();
    assert!(!render(&r).contains("id=\"shared-diseases\""));
}

#[test]
fn the_agreement_check_detects_a_difference() {
    let r = full_report();
    let html = render(&r);
    let mut j = json_of(&r);
    j["genes"][1]["post_test_probability"] = serde_json::json!(0.0310000001);
    assert!(std::panic::catch_unwind(|| assert_agree(&html, &j)).is_err());
}

#[test]
fn shows_what_a_clinician_needs() {
    let html = render(&full_report()).replace("&#x2f;", "/");
    // header: case, sex, age in words, terms with names, family, inputs, versions, date
    for s in [
        "Case SYNTHETIC-trio",
        "<b>male</b>",
        "3 years 6 months",
        "Craniosynostosis",
        "Intellectual disability",
        "HPO 2025-01-16",
        "Odyssey 0.1.0",
        "2026-11-29 20:13 UTC",
        "demo.json",
        "clinvar 2024-05",
        "200 allele frequency above 0.001",
        "<b>kid</b> (affected, proband)",
    ] {
        assert!(html.contains(s), "missing {s:?}");
    }
    // the top gene first with its probability, disease and inheritance
    let first = tags_with(&html, "data-kind=\"gene\"")[0];
    assert_eq!(attr(first, "data-symbol").unwrap(), "FGFR2");
    assert_eq!(row_probability_text(&html, first), "95.1%");
    // variants with HGVS, consequence, genotypes of each family member, AF, ClinVar, scores
    for s in [
        "NM_000141.5",
        "c.1019A&gt;G",
        "p.(Tyr340Cys)",
        "missense variant",
        "<b class=\"mono\">0/1</b><div class=\"id\">GQ 99, DP 40, AD 20,20</div>",
        "1.2e-4",
        "gnomAD exomes (nfe)",
        "Pathogenic",
        "★★☆☆",
        "REVEL 0.930",
        "CADD_PHRED 28.400",
    ] {
        assert!(html.contains(s), "missing {s:?}");
    }
    // links built from ids
    for s in [
        "https://omim.org/entry/101600",
        "https://www.orpha.net/en/disease/detail/87",
        "https://hpo.jax.org/browse/term/HP:0001363",
        "https://www.ncbi.nlm.nih.gov/clinvar/variation/13261/",
        "https://gnomad.broadinstitute.org/variant/10-121520160-G-C?dataset=gnomad_r4",
        "https://www.ncbi.nlm.nih.gov/gene/2263",
    ] {
        assert!(html.contains(&format!("href=\"{s}\"")), "missing link {s}");
    }
    // the filtered variants, collapsed and searchable
    assert!(html.contains("<details data-print=\"closed\" id=\"filtered-variants\">"));
    assert!(html.contains("data-filter-target=\"filtered-table\""));
    assert!(html.contains("chr4:1800000:G:A"));
    // tie shown as shared rank
    assert!(html.contains(">=4<"));
}

#[test]
fn evidence_bars_one_per_term_with_contradictions_marked() {
    let r = full_report();
    let html = render(&r);
    // the top gene's card shows the evidence of its best disease (Pfeiffer, 5 terms)
    let card_start = html
        .find("data-kind=\"gene-card\" data-rank=\"1\"")
        .unwrap();
    let card_end = card_start + html[card_start..].find("</article>").unwrap();
    let card = &html[card_start..card_end];
    // the first evidence table of the card (the other diseases' tables are collapsed below it)
    let card = &card[..card.find("</table>\n</div>\n<p class=\"muted\">").unwrap()];
    let card = &card[card
        .rfind("<table class=\"variants\"")
        .map(|i| i + 10)
        .unwrap_or(0)..];
    let bars = tags_with(card, "<rect class=\"bar ");
    let bars: Vec<&str> = bars.into_iter().filter(|t| t.contains("data-lr")).collect();
    let pfeiffer = &r.diseases[0].evidence;
    assert_eq!(bars.len(), pfeiffer.len());
    for (b, e) in bars.iter().zip(pfeiffer) {
        assert_eq!(attr(b, "data-term").unwrap(), e.term);
        assert_eq!(attr(b, "data-lr").unwrap().parse::<f64>().unwrap(), e.lr);
        let class = attr(b, "class").unwrap();
        let expected = if e.match_kind == "not" {
            "bar not"
        } else if e.observed {
            "bar obs"
        } else {
            "bar exc"
        };
        assert_eq!(class, expected);
        // geometry: log scale around x = 110; LR > 1 to the right, LR < 1 to the left
        let x: f64 = attr(b, "x").unwrap().parse().unwrap();
        let w: f64 = attr(b, "width").unwrap().parse().unwrap();
        if e.lr > 1.0 {
            assert!((x - 110.0).abs() < 1e-9 && w > 1.0);
        } else {
            assert!((x + w - 110.0).abs() < 0.11 && w > 1.0, "{b}");
        }
    }
    // the page-wide scale is ±3 decades (max |log10 LR| = log10(1/0.002) = 2.7): LR 61 is
    // 1.785 decades right, 1.785 / 3 * 104 px = 61.9 px
    let broad = bars.iter().find(|b| b.contains("HP:0011304")).unwrap();
    assert_eq!(
        attr(broad, "width").unwrap(),
        format!("{:.1}", 61f64.log10() / 3.0 * 104.0)
    );
    // the NOT row stands out
    assert!(card.contains("class=\"obs contra\" data-term=\"HP:0000028\""));
    assert!(card.contains("<span class=\"tag tag-not\">NOT</span>"));
}

#[test]
fn everything_is_escaped_and_nothing_is_fetched() {
    let mut r = full_report();
    r.case.id = "<script>alert(1)</script>".into();
    r.genes[0].symbol = "FGFR2\"><img src=x onerror=alert(1)>".into();
    let html = render(&r);
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("<img"));
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(html.contains("Apert syndrome &lt;with markup &amp; &quot;quotes&quot;&gt;"));
    // self-contained: no external stylesheets, scripts, images, fonts or imports
    let html = render(&full_report());
    assert!(!html.contains("<link"));
    assert!(!html.contains(" src="));
    assert!(!html.contains("@import"));
    assert!(!html.contains("url(http"));
    // every http(s) URL is the target of a link a person clicks
    for (i, _) in html.match_indices("http") {
        assert!(
            html[..i].ends_with("href=\""),
            "non-link URL at {}",
            &html[i.saturating_sub(40)..i + 40]
        );
    }
    assert_eq!(html.matches("<script>").count(), 1, "one inline script");
}

#[test]
fn phenotype_only_report_has_no_variant_sections() {
    let html = render(&phenotype_only_report());
    assert!(!html.contains("<th>Variants</th>"));
    assert!(!html.contains("id=\"filters\""));
    assert!(!html.contains("<dt>Family</dt>"));
    // the gene table falls back to the best disease's inheritance
    let first = html.find("data-kind=\"gene\"").unwrap();
    let row_end = first + html[first..].find("</tr>").unwrap();
    assert!(html[first..row_end].contains("<span class=\"moi\">AD</span>"));
    // top gene still has its evidence
    assert!(html.contains("Phenotype evidence for"));
}

#[test]
fn empty_report_renders() {
    let mut r = phenotype_only_report();
    r.genes.clear();
    r.diseases.clear();
    r.case.terms.clear();
    let html = render(&r);
    assert!(html.contains("No gene was ranked."));
    assert!(html.contains("No disease was ranked."));
}

/// The HTML and JSON of one real `odyssey analyze --format html,json` run agree; run by
/// `scripts/check-report-in-chromium.sh` with ODYSSEY_REPORT_HTML and ODYSSEY_REPORT_JSON.
#[test]
#[ignore]
fn real_run_html_and_json_agree() {
    let (Ok(h), Ok(j)) = (
        std::env::var("ODYSSEY_REPORT_HTML"),
        std::env::var("ODYSSEY_REPORT_JSON"),
    ) else {
        eprintln!("ODYSSEY_REPORT_HTML / ODYSSEY_REPORT_JSON not set; skipping");
        return;
    };
    let html = std::fs::read_to_string(&h).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&j).unwrap()).unwrap();
    assert!(!json["genes"].as_array().unwrap().is_empty());
    assert_agree(&html, &json);
    eprintln!(
        "{h} and {j} agree on {} genes and {} diseases",
        json["genes"].as_array().unwrap().len(),
        json["diseases"].as_array().unwrap().len()
    );
}
