//! Interrupted runs (issue 13): a run killed with SIGKILL at any moment, or interrupted with
//! SIGINT/SIGTERM, leaves no temporary file, and a multi-format output set is either complete
//! and new or untouched (old, or absent).
//!
//! Signals are sent at known moments through the `ODYSSEY_TEST_PAUSE` hook (the run prints
//! `odyssey-test-pause: POINT` and sleeps there): `staged` (every file of the set written to its
//! temporary file, nothing moved yet) and `commit` (the first file moved, the others not yet);
//! also at fixed delays from the start. `ODYSSEY_TEST_NAMED_TEMPS` forces the named temporary
//! files used where `O_TMPFILE` is missing, to check that the signal clean-up removes them.
#![cfg(target_os = "linux")]

mod common;

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::Duration;

use common::Scratch;

/// The files of `analyze --format json,tsv,html -o out/case` (phenotype only).
const SET: [&str; 4] = [
    "case.json",
    "case.genes.tsv",
    "case.diseases.tsv",
    "case.html",
];

const OLD: &str = "old output\n";

/// `odyssey ARGS` in `dir`, standard error piped, with extra environment variables.
fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut c = Command::new(env!("CARGO_BIN_EXE_odyssey"));
    c.args(args)
        .current_dir(dir)
        .env_remove("ODYSSEY_REFDATA")
        .env_remove("ODYSSEY_KB")
        .env_remove("ODYSSEY_TEST_PAUSE")
        .env_remove("ODYSSEY_TEST_NAMED_TEMPS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    for (k, v) in env {
        c.env(k, v);
    }
    c.spawn().unwrap()
}

fn signal(child: &Child, sig: libc::c_int) {
    // SAFETY: kill(2) on the pid of a child not yet waited for.
    assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, sig) }, 0);
}

/// Waits until the run prints `odyssey-test-pause: POINT` (panics if it ends first); the rest of
/// its standard error is drained in the background.
fn wait_for_pause(child: &mut Child, point: &str) {
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let want = format!("odyssey-test-pause: {point}");
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        if line == want {
            std::thread::spawn(move || lines.for_each(drop));
            return;
        }
        seen.push(line);
    }
    panic!("the run ended before {want}: {seen:?}");
}

/// Every file under `dir`, recursively, relative to it.
fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// No temporary file anywhere under `dir` (they start with `.`).
fn assert_no_temporary(dir: &Path, when: &str) {
    let hidden: Vec<PathBuf> = all_files(dir)
        .into_iter()
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    assert!(
        hidden.is_empty(),
        "{when}: temporary files left: {hidden:?}"
    );
}

/// What the set in `out/` is after a run: `"absent"`, `"old"` or `"new"` (a mix panics).
fn set_state(out: &Path, when: &str) -> &'static str {
    let states: Vec<&str> = SET
        .iter()
        .map(|n| match std::fs::read_to_string(out.join(n)) {
            Err(_) => "absent",
            Ok(t) if t == OLD => "old",
            Ok(_) => "new",
        })
        .collect();
    assert!(
        states.iter().all(|s| *s == states[0]),
        "{when}: a mixed set: {:?}",
        SET.iter().zip(&states).collect::<Vec<_>>()
    );
    states[0]
}

fn write_old_set(out: &Path) {
    std::fs::create_dir_all(out).unwrap();
    for n in SET {
        std::fs::write(out.join(n), OLD).unwrap();
    }
}

const ANALYZE: [&str; 8] = [
    "analyze",
    "--hpo",
    "HP:0001250,HP:0001263",
    "--format",
    "json,tsv,html",
    "-o",
    "out/case",
    "--force",
];

fn died_by(status: ExitStatus, sig: libc::c_int, when: &str) {
    assert_eq!(status.signal(), Some(sig), "{when}: {status:?}");
}

/// SIGKILL while every file of the set is written but none moved: with unnamed temporary files
/// nothing is left, and the old set is untouched (or nothing appears).
#[test]
fn sigkill_with_a_staged_set_leaves_nothing() {
    for old in [true, false] {
        let s = Scratch::new(&format!("kill-staged-{old}"));
        if old {
            write_old_set(&s.path("out"));
        }
        let mut child = spawn(&s.0, &ANALYZE, &[("ODYSSEY_TEST_PAUSE", "staged:20000")]);
        wait_for_pause(&mut child, "staged");
        signal(&child, libc::SIGKILL);
        died_by(child.wait().unwrap(), libc::SIGKILL, "SIGKILL");
        assert_no_temporary(&s.0, "SIGKILL at staged");
        assert_eq!(
            set_state(&s.path("out"), "SIGKILL at staged"),
            if old { "old" } else { "absent" }
        );
    }
}

/// SIGKILL at fixed delays from the start (loading, analysing, writing, done): never a
/// temporary file, never a mixed set.
#[test]
fn sigkill_at_several_moments_leaves_no_temporary_file_and_no_mixed_set() {
    let s = Scratch::new("kill-delays");
    let mut seen = std::collections::BTreeMap::new();
    for ms in [0u64, 10, 30, 60, 100, 150, 250, 400, 700] {
        write_old_set(&s.path("out"));
        let child = spawn(&s.0, &ANALYZE, &[]);
        std::thread::sleep(Duration::from_millis(ms));
        let mut child = child;
        signal(&child, libc::SIGKILL);
        child.wait().unwrap();
        let when = format!("SIGKILL after {ms} ms");
        assert_no_temporary(&s.0, &when);
        *seen.entry(set_state(&s.path("out"), &when)).or_insert(0) += 1;
    }
    // the delays span the run: some kills came before the set was moved (an untouched old set)
    assert!(seen.contains_key("old"), "{seen:?}");
}

/// SIGINT and SIGTERM with named temporary files on disk (the fallback without `O_TMPFILE`):
/// the clean-up removes them (and the folder made for them), the old set stays whole, and the
/// run ends by the signal.
#[test]
fn sigint_and_sigterm_remove_named_temporary_files() {
    for (sig, old) in [
        (libc::SIGINT, true),
        (libc::SIGTERM, true),
        (libc::SIGTERM, false),
    ] {
        let s = Scratch::new(&format!("signal-named-{sig}-{old}"));
        if old {
            write_old_set(&s.path("out"));
        }
        let mut child = spawn(
            &s.0,
            &ANALYZE,
            &[
                ("ODYSSEY_TEST_PAUSE", "staged:20000"),
                ("ODYSSEY_TEST_NAMED_TEMPS", "1"),
            ],
        );
        wait_for_pause(&mut child, "staged");
        let hidden = all_files(&s.path("out"))
            .iter()
            .filter(|p| p.to_string_lossy().contains(".tmp"))
            .count();
        // the named temporary files really are there when the signal comes
        assert_eq!(hidden, SET.len(), "signal {sig}");
        signal(&child, sig);
        let when = format!("signal {sig} at staged");
        died_by(child.wait().unwrap(), sig, &when);
        assert_no_temporary(&s.0, &when);
        if old {
            assert_eq!(set_state(&s.path("out"), &when), "old");
        } else {
            assert!(!s.path("out").exists(), "{when}: the folder made is left");
        }
    }
}

/// SIGTERM while the set is being moved into place (the first file moved): the move is
/// finished first, so the set is complete and new, with no temporary file.
#[test]
fn sigterm_during_the_move_lets_the_set_finish() {
    for named in [false, true] {
        let s = Scratch::new(&format!("signal-commit-{named}"));
        write_old_set(&s.path("out"));
        let mut env = vec![("ODYSSEY_TEST_PAUSE", "commit:300")];
        if named {
            env.push(("ODYSSEY_TEST_NAMED_TEMPS", "1"));
        }
        let mut child = spawn(&s.0, &ANALYZE, &env);
        wait_for_pause(&mut child, "commit");
        // the first file of the set is already the new one
        assert_ne!(
            std::fs::read_to_string(s.path("out/case.json")).unwrap(),
            OLD
        );
        signal(&child, libc::SIGTERM);
        let status = child.wait().unwrap();
        let when = format!("SIGTERM during the move (named: {named})");
        // ended by the signal once the set was moved, or normally if it finished first
        assert!(
            status.signal() == Some(libc::SIGTERM) || status.success(),
            "{when}: {status:?}"
        );
        assert_no_temporary(&s.0, &when);
        assert_eq!(set_state(&s.path("out"), &when), "new");
    }
}

/// SIGKILL of the run while its set is being moved into place (the first file moved, the
/// others not yet): the moves are made by a process that the kill does not stop, so the set
/// still ends complete and new, with no temporary file.
#[test]
fn sigkill_during_the_move_still_completes_the_set() {
    for named in [false, true] {
        let s = Scratch::new(&format!("kill-commit-{named}"));
        write_old_set(&s.path("out"));
        let mut env = vec![("ODYSSEY_TEST_PAUSE", "commit:300")];
        if named {
            env.push(("ODYSSEY_TEST_NAMED_TEMPS", "1"));
        }
        let mut child = spawn(&s.0, &ANALYZE, &env);
        wait_for_pause(&mut child, "commit");
        let first_new = std::fs::read_to_string(s.path("out/case.json")).unwrap() != OLD;
        let rest_old = SET[1..]
            .iter()
            .all(|n| std::fs::read_to_string(s.path("out").join(n)).unwrap() == OLD);
        // the kill comes with the set half moved
        assert!(first_new && rest_old, "named: {named}");
        signal(&child, libc::SIGKILL);
        let when = format!("SIGKILL during the move (named: {named})");
        died_by(child.wait().unwrap(), libc::SIGKILL, &when);
        // the mover finishes about 300 ms later
        let t = std::time::Instant::now();
        while t.elapsed() < Duration::from_secs(10)
            && SET
                .iter()
                .any(|n| std::fs::read_to_string(s.path("out").join(n)).unwrap() == OLD)
        {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(set_state(&s.path("out"), &when), "new");
        assert_no_temporary(&s.0, &when);
    }
}

/// The other writers: `annotate`, `refdata build`, `kb build`, `sources build` and `--batch`,
/// killed (SIGKILL) or terminated (SIGTERM, named temporary files) with their output staged:
/// no temporary file and no output.
#[test]
fn every_writing_command_leaves_nothing_when_interrupted() {
    let kb_fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../odyssey-kb/tests/fixtures/mini"
    );
    let runs: [(&str, Vec<&str>); 5] = [
        ("annotate", vec!["annotate", "in.vcf", "-o", "out/a.vcf.gz"]),
        (
            "refdata",
            vec![
                "refdata",
                "build",
                "--gff",
                "g.gff3",
                "--assembly",
                "GRCh38",
                "-o",
                "out/g.odyref",
            ],
        ),
        (
            "kb",
            vec!["kb", "build", "--hpo", kb_fixture, "-o", "out/k.odkb"],
        ),
        (
            "sources",
            vec!["sources", "build", "--config", "s.toml", "--out-dir", "out"],
        ),
        ("batch", vec!["analyze", "--batch", "cases", "-o", "out"]),
    ];
    for (name, args) in &runs {
        for (sig, named) in [(libc::SIGKILL, false), (libc::SIGTERM, true)] {
            let s = Scratch::new(&format!("writers-{name}-{sig}"));
            write_inputs(&s);
            let mut env = vec![("ODYSSEY_TEST_PAUSE", "staged:20000")];
            if named {
                env.push(("ODYSSEY_TEST_NAMED_TEMPS", "1"));
            }
            let mut child = spawn(&s.0, args, &env);
            wait_for_pause(&mut child, "staged");
            if named {
                assert!(
                    all_files(&s.path("out"))
                        .iter()
                        .any(|p| p.to_string_lossy().contains(".tmp")),
                    "{name}: no named temporary file at the pause"
                );
            }
            signal(&child, sig);
            let when = format!("{name}, signal {sig}");
            died_by(child.wait().unwrap(), sig, &when);
            assert_no_temporary(&s.0, &when);
            let left = all_files(&s.path("out"));
            assert!(left.is_empty(), "{when}: outputs appeared: {left:?}");
        }
    }
}

/// Inputs of [`every_writing_command_leaves_nothing_when_interrupted`].
fn write_inputs(s: &Scratch) {
    s.write(
        "in.vcf",
        "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\nchr1\t1000000\t.\tC\tT\t.\tPASS\t.\n",
    );
    s.write(
        "g.gff3",
        "##gff-version 3
1\tensembl\tgene\t11\t90\t.\t+\t.\tID=gene:G1;Name=GENEA;biotype=protein_coding;gene_id=G1
1\tensembl\tmRNA\t11\t90\t.\t+\t.\tID=transcript:TX1;Parent=gene:G1;biotype=protein_coding;transcript_id=TX1;version=1
1\tensembl\texon\t11\t40\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t21\t40\t.\t+\t0\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
1\tensembl\texon\t61\t90\t.\t+\t.\tParent=transcript:TX1
1\tensembl\tCDS\t61\t73\t.\t+\t1\tID=CDS:P1;Parent=transcript:TX1;protein_id=P1
",
    );
    s.write(
        "freq.vcf",
        "##fileformat=VCFv4.2\n##contig=<ID=1,length=248956422>\n##INFO=<ID=AF,Number=A,Type=Float,Description=\"AF\">\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n1\t1000\t.\tC\tT\t.\tPASS\tAF=0.01\n",
    );
    s.write("s.toml", "assembly = \"GRCh38\"\n[[source]]\nname = \"pop\"\nrole = \"frequency\"\npath = \"freq.vcf\"\nformat = \"vcf\"\naf = \"AF\"\n");
    std::fs::create_dir_all(s.path("cases")).unwrap();
    s.write(
        "cases/one.json",
        r#"{"id":"one","phenotypicFeatures":[{"type":{"id":"HP:0001250"}}]}"#,
    );
}
