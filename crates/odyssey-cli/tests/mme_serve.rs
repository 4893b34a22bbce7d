//! `odyssey serve --mme FILE` as a real process: a broken configuration stops the start with a
//! message naming the file and the entry; a valid one mounts the MME endpoints at `/mme`,
//! answering the configured token and refusing others.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::Scratch;

/// `GET path` with an `X-Auth-Token`; status and body.
fn get(port: u16, path: &str, token: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: {token}\r\nConnection: close\r\n\r\n"
    );
    s.write_all(head.as_bytes()).unwrap();
    let mut out = Vec::new();
    s.read_to_end(&mut out).unwrap();
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn broken_mme_configuration_names_file_and_entry() {
    let dir = Scratch::new("mme-bad");
    let cfg = dir.write(
        "mme.toml",
        "[[incoming]]\nname = \"X\"\ntoken = \"same\"\n\n[[incoming]]\nname = \"Y\"\ntoken = \"same\"\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_odyssey"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(dir.path("data"))
        .arg("--mme")
        .arg(&cfg)
        .env_remove("ODYSSEY_KB")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("mme.toml"), "{err}");
    assert!(err.contains("incoming[1] (\"Y\")"), "{err}");
    assert!(err.contains("same token as incoming[0]"), "{err}");
}

#[test]
fn serve_with_mme_answers_heartbeat() {
    let dir = Scratch::new("mme-ok");
    let cfg = dir.write(
        "mme.toml",
        "[[incoming]]\nname = \"Centre B\"\ntoken = \"b-token\"\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_odyssey"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--data",
        ])
        .arg(dir.path("data"))
        .arg("--mme")
        .arg(&cfg)
        .env_remove("ODYSSEY_KB")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port: u16 = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        if let Some(addr) = line.strip_prefix("listening on ") {
            break addr.rsplit(':').next().unwrap().parse().unwrap();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let (status, body) = get(port, "/mme/heartbeat", "b-token");
    let (bad, _) = get(port, "/mme/heartbeat", "other");
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["heartbeat"]["accept"].is_array(), "{v}");
    assert_eq!(bad, 401);
}
