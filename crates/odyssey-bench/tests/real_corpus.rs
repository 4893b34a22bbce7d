//! Checks on the real corpus and backgrounds in `../shared` (skipped with a note when absent).
//! They read thousands of files: run them in release mode,
//! `cargo test -p odyssey-bench --release --test real_corpus -- --ignored`.

use std::path::{Path, PathBuf};

use odyssey_bench::liftover::{lift_variant, ChainMap};
use odyssey_bench::phenotype::{run_phenotype, Corpus, PhenotypeConfig};
use odyssey_bench::report::KbInfo;
use odyssey_bench::spike::Background;
use odyssey_bench::spiked::{SpikePlan, Spiker, TsvLiftover};
use odyssey_genome::{Assembly, Chrom};
use odyssey_kb::KnowledgeBase;
use odyssey_pheno::ScorerOptions;

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("note: {} is absent; test skipped", p.display());
        None
    }
}

fn smoke_list() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/smoke-cases.txt")
}

/// On the smoke sample, every gold rank the harness counts equals the one read from the full
/// product ranking, and the leave-publication-out scoring path agrees with the fast path.
#[test]
#[ignore]
fn harness_ranks_equal_the_product_ranking() {
    let Some(data) = shared() else { return };
    let kb = KnowledgeBase::embedded().unwrap();
    let corpus = Corpus::load(&data.join("phenopacket-store/cases"), Some(&smoke_list())).unwrap();
    assert_eq!(corpus.cases.len(), 301);
    let cfg = PhenotypeConfig {
        leave_publication_out: true,
        options: ScorerOptions::default(),
        pheval: None,
        check_every: 1,
        command: "test".into(),
        date: "2000-01-01".into(),
    };
    let out = run_phenotype(&kb, KbInfo::default(), &corpus, &cfg).unwrap();
    let c = &out.report.consistency;
    assert_eq!(c.cases_checked, 301);
    assert_eq!(c.rank_mismatches, 0, "{:?}", c.mismatch_examples);
    assert!(
        c.lpo_path_max_abs_diff_lr < 1e-9 && c.lpo_path_max_abs_diff_resnik < 1e-12,
        "{c:?}"
    );
    // leave-publication-out never improves a case's own diagnosis rank
    let keys: Vec<&str> = out.runs.iter().map(|r| r.key.as_str()).collect();
    let (lpo, plain) = (
        keys.iter().position(|k| *k == "lr-lpo").unwrap(),
        keys.iter().position(|k| *k == "lr").unwrap(),
    );
    for o in &out.outcomes {
        let (a, b) = (o.ranks[lpo].disease, o.ranks[plain].disease);
        if o.lpo_annotations_removed == 0 {
            assert_eq!(a, b, "{}: nothing removed, same rank", o.rel_path);
        }
    }
}

/// Our chain-file liftover against the independent GRCh37 positions of `cases.tsv`.
#[test]
#[ignore]
fn liftover_agrees_with_cases_tsv() {
    let Some(data) = shared() else { return };
    let chain = ChainMap::from_path(&data.join("liftover/hg38ToHg19.over.chain.gz")).unwrap();
    let tsv = TsvLiftover::read(&data.join("phenopacket-store/cases.tsv")).unwrap();
    let corpus = Corpus::load(&data.join("phenopacket-store/cases"), None).unwrap();
    let (mut same, mut differ, mut we_fail, mut tsv_na, mut both_fail) = (0, 0, 0, 0, 0);
    for c in &corpus.cases {
        for v in &c.variants {
            let Ok(chrom) = v.chrom.parse::<Chrom>() else {
                continue;
            };
            let Some(rec) = tsv.get(&c.rel_path, chrom, v.pos) else {
                continue;
            };
            match (
                lift_variant(&chain, chrom, v.pos, &v.reference, &v.alternate),
                rec,
            ) {
                (Ok(l), Some(r)) if (l.chrom, l.pos) == r => same += 1,
                (Ok(_), Some(_)) => differ += 1,
                (Err(_), Some(_)) => we_fail += 1,
                (Ok(_), None) => tsv_na += 1,
                (Err(_), None) => both_fail += 1,
            }
        }
    }
    eprintln!("liftover vs cases.tsv: same {same}, different {differ}, only ours failed {we_fail}, only cases.tsv failed {tsv_na}, both failed {both_fail}");
    assert!(same > 8900, "{same}");
    assert!(
        differ + we_fail <= same / 200,
        "more than 0.5% disagreement: {differ} different, {we_fail} unmapped by us"
    );
}

/// The Pfeiffer exome as a background: its earlier FGFR2 spike is removed, and a spiked file
/// reads back with noodles with one more record per spiked variant.
#[test]
#[ignore]
fn pfeiffer_background_spikes_and_reads_back() {
    let Some(data) = shared() else { return };
    let bg = Background::read(&data.join("vcf/exomiser-pfeiffer/Pfeiffer.vcf.gz"), None).unwrap();
    assert_eq!(bg.assembly, Assembly::GRCh37);
    assert_eq!(bg.removed_spiked, 1);
    assert_eq!(bg.len(), 37_708);
    let chain = ChainMap::from_path(&data.join("liftover/hg38ToHg19.over.chain.gz")).unwrap();
    let corpus = Corpus::load(&data.join("phenopacket-store/cases"), Some(&smoke_list())).unwrap();
    let spiker = Spiker {
        background: bg,
        chain: Some(chain),
        tsv: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let mut spiked = 0;
    for c in corpus.cases.iter().take(40) {
        let SpikePlan::Spiked(vs, replaced) = spiker.plan(c) else {
            continue;
        };
        let p = dir.path().join("x.vcf");
        let mut f = std::fs::File::create(&p).unwrap();
        spiker.background.write_spiked(&vs, &mut f).unwrap();
        drop(f);
        let mut r = noodles::vcf::io::reader::Builder::default()
            .build_from_path(&p)
            .unwrap();
        r.read_header().unwrap();
        let mut n = 0;
        let mut last: Option<(String, usize)> = None;
        let mut found = 0;
        for rec in r.records() {
            let rec = rec.unwrap();
            let pos = usize::from(rec.variant_start().unwrap().unwrap());
            let chrom = rec.reference_sequence_name().to_string();
            if let Some((lc, lp)) = &last {
                assert!(
                    *lc != chrom || *lp <= pos,
                    "{}: unsorted at {chrom}:{pos}",
                    c.rel_path
                );
            }
            found += vs
                .iter()
                .filter(|v| {
                    v.pos as usize == pos
                        && v.chrom.name() == chrom
                        && v.reference == rec.reference_bases()
                })
                .count();
            last = Some((chrom, pos));
            n += 1;
        }
        assert_eq!(n, 37_708 + vs.len() - replaced, "{}", c.rel_path);
        assert_eq!(found, vs.len(), "{}", c.rel_path);
        spiked += 1;
    }
    assert!(spiked >= 30, "{spiked}");
}
