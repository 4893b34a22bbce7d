//! Writing to a closed standard output (`odyssey analyze ... | head -1`, a pager quit early)
//! ends the run quietly with exit status 0, as ripgrep does (docs/robustness.md): no "error:
//! Broken pipe", no panic. Each command is run as a child process whose standard output is a
//! pipe that the test closes, either before the child writes or after reading one line.

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

/// Runs `odyssey ARGS` with standard output piped; closes the pipe at once (`lines` 0) or
/// after reading `lines` lines; returns the exit status and standard error.
fn run_closing_stdout(args: &[&str], lines: usize) -> (std::process::ExitStatus, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_odyssey"))
        .args(args)
        .env_remove("ODYSSEY_REFDATA")
        .env_remove("ODYSSEY_KB")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    if lines > 0 {
        let mut r = BufReader::new(out);
        for _ in 0..lines {
            let mut l = String::new();
            r.read_line(&mut l).unwrap();
            assert!(!l.is_empty(), "{args:?}: fewer than {lines} lines");
        }
        drop(r);
    } else {
        drop(out);
    }
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    (child.wait().unwrap(), err)
}

#[test]
fn a_closed_stdout_ends_the_run_quietly_with_status_0() {
    let hpo = ["analyze", "--hpo", "HP:0001250,HP:0001263"];
    let cases: Vec<(Vec<&str>, usize)> = vec![
        (hpo.to_vec(), 0),
        (hpo.to_vec(), 1),
        // with --top 500 the TSV (about 158 kB) and JSON (about 890 kB) are larger than a
        // pipe's buffer (64 KiB): the child is still writing when the pipe is closed after
        // one line
        ([&hpo[..], &["--top", "500"]].concat(), 1),
        (
            [&hpo[..], &["--top", "500", "--format", "json"]].concat(),
            0,
        ),
        (
            [&hpo[..], &["--top", "500", "--format", "json"]].concat(),
            1,
        ),
        ([&hpo[..], &["--format", "html"]].concat(), 1),
        (vec!["kb", "term", "HP:0001250"], 0),
        (vec!["kb", "info"], 0),
        (vec!["--version"], 0),
    ];
    for (args, lines) in cases {
        let (status, err) = run_closing_stdout(&args, lines);
        assert_eq!(
            status.code(),
            Some(0),
            "{args:?} (pipe closed after {lines} lines): {status:?}, stderr: {err}"
        );
        assert!(
            !err.contains("error") && !err.contains("Broken pipe") && !err.contains("panicked"),
            "{args:?} (pipe closed after {lines} lines): stderr: {err}"
        );
    }
}
