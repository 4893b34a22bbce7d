//! `odyssey kb`: build, inspect and search the knowledge base.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::Subcommand;
use odyssey_kb::{search, HpoId, KnowledgeBase, Resolution};

use super::Global;

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
        KbCommand::Build { hpo, output, force } => {
            if output.exists() && !force {
                bail!("{} exists; pass --force to overwrite it", output.display());
            }
            if !hpo.is_dir() {
                bail!("{}: no such folder (expected an HPO release folder with hp.obo, phenotype.hpoa and genes_to_phenotype.txt)", hpo.display());
            }
            let (kb, report) = KnowledgeBase::build(&hpo)?;
            for (from, to) in &report.remapped {
                eprintln!("warning: annotation term {from} is an alternative or obsolete id; mapped to {to}");
            }
            for (line, id) in &report.dropped_obsolete {
                eprintln!("warning: phenotype.hpoa line {line}: {id} is obsolete without replacement; annotation dropped");
            }
            if report.links_without_disease > 0 {
                eprintln!(
                    "warning: {} gene-disease links name a disease without annotations; skipped",
                    report.links_without_disease
                );
            }
            kb.save(&output)?;
            let s = kb.stats();
            writeln!(
                out,
                "built {} from HPO {} ({} terms, {} diseases, {} genes)",
                output.display(),
                kb.meta().hpo_release,
                s.terms,
                s.diseases.iter().map(|d| d.1).sum::<usize>(),
                s.genes
            )?;
        }
        KbCommand::Info { json } => {
            let loaded = global.load_kb()?;
            let kb = &loaded.kb;
            let s = kb.stats();
            if json {
                let v = serde_json::json!({
                    "source": loaded.source, "checksum": loaded.checksum,
                    "hpo_release": kb.meta().hpo_release, "annotations_release": kb.meta().annotations_release,
                    "built_with": kb.meta().built_with, "stats": s,
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
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
                writeln!(out, "terms            {} current ({} phenotypic abnormality), {} alternative/obsolete ids", s.terms, s.phenotype_terms, s.secondary_ids)?;
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
            }
        }
        KbCommand::Term { id, json } => {
            let loaded = global.load_kb()?;
            let kb = &loaded.kb;
            let o = kb.ontology();
            let hpo: HpoId = id.parse()?;
            let res = o.resolve(hpo)?;
            let t = match &res {
                Resolution::ObsoleteUnreplaced {
                    obsolete_name,
                    consider,
                } => {
                    let c: Vec<String> = consider.iter().map(|c| c.to_string()).collect();
                    bail!(
                        "{hpo} ({obsolete_name}) is obsolete without replacement; consider: {}",
                        if c.is_empty() {
                            "-".into()
                        } else {
                            c.join(", ")
                        }
                    );
                }
                r => r.term().context("unresolvable term")?,
            };
            let note = match &res {
                Resolution::Alternative(_) => {
                    Some(format!("{hpo} is an alternative id of {}", o.id(t)))
                }
                Resolution::Replaced { obsolete_name, .. } => Some(format!(
                    "{hpo} ({obsolete_name}) is obsolete, replaced by {}",
                    o.id(t)
                )),
                _ => None,
            };
            let term_ref =
                |x: u32| serde_json::json!({"id": o.id(x).to_string(), "name": o.name(x)});
            if json {
                let v = serde_json::json!({
                    "id": o.id(t).to_string(), "name": o.name(t), "definition": o.definition(t),
                    "synonyms": o.synonyms(t).map(|s| s.0).collect::<Vec<_>>(),
                    "parents": o.parents(t).iter().map(|&p| term_ref(p)).collect::<Vec<_>>(),
                    "children": o.children(t).len(), "ic_nats": kb.ic(t) + 0.0, "annotated_diseases": kb.diseases_annotated(t),
                    "is_phenotype": o.is_phenotype(t), "note": note,
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                if let Some(n) = note {
                    writeln!(out, "note: {n}")?;
                }
                writeln!(out, "{}  {}", o.id(t), o.name(t))?;
                if let Some(d) = o.definition(t) {
                    writeln!(out, "definition: {d}")?;
                }
                let s: Vec<&str> = o.synonyms(t).map(|s| s.0).collect();
                if !s.is_empty() {
                    writeln!(out, "synonyms: {}", s.join("; "))?;
                }
                for &p in o.parents(t) {
                    writeln!(out, "parent: {}  {}", o.id(p), o.name(p))?;
                }
                writeln!(out, "children: {}", o.children(t).len())?;
                writeln!(out, "information content: {:.3} nats", kb.ic(t) + 0.0)?; // + 0.0 turns -0 into 0
                writeln!(
                    out,
                    "annotated diseases: {} of {} (including descendants)",
                    kb.diseases_annotated(t),
                    kb.diseases_counted()
                )?;
            }
        }
        KbCommand::Search { query, limit, json } => {
            let loaded = global.load_kb()?;
            let kb = &loaded.kb;
            let o = kb.ontology();
            let hits = search(kb, &query, usize::from(limit));
            if json {
                let v: Vec<_> = hits.iter().map(|h| serde_json::json!({
                    "id": o.id(h.term).to_string(), "name": o.name(h.term), "matched": h.matched, "via_synonym": h.via_synonym,
                })).collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
            } else {
                if hits.is_empty() {
                    writeln!(out, "no term matches {query:?}")?;
                }
                for h in hits {
                    if h.via_synonym {
                        writeln!(
                            out,
                            "{}  {}  (synonym: {})",
                            o.id(h.term),
                            o.name(h.term),
                            h.matched
                        )?;
                    } else {
                        writeln!(out, "{}  {}", o.id(h.term), o.name(h.term))?;
                    }
                }
            }
        }
    }
    Ok(())
}
