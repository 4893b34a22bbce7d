//! `odyssey serve` as a real process on 127.0.0.1 (port 0): users added with
//! `odyssey users add`, cases uploaded and reviewed by concurrent clients, then the server is
//! killed with SIGKILL mid-traffic. After a restart every acknowledged case, review and audit
//! entry is there, uploads verify against their checksums, and analyses that were queued or
//! running when it died finish.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::Scratch;

struct Server {
    child: Child,
    port: u16,
}

fn start(data: &Path, workers: &str) -> Server {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/family");
    let mut child = Command::new(env!("CARGO_BIN_EXE_odyssey"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--workers",
            workers,
            "--data",
        ])
        .arg(data)
        .arg("--sources")
        .arg(examples.join("sources.toml"))
        .env_remove("ODYSSEY_KB")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let port = loop {
        let line = lines
            .next()
            .expect("server exited before listening")
            .unwrap();
        if let Some(addr) = line.strip_prefix("listening on ") {
            break addr.rsplit(':').next().unwrap().parse().unwrap();
        }
    };
    // keep draining the log so the server never blocks on a full pipe
    std::thread::spawn(move || for _ in lines {});
    Server { child, port }
}

/// One HTTP/1.1 request (Connection: close); returns the status and the body.
fn http(
    port: u16,
    method: &str,
    path: &str,
    token: &str,
    ctype: &str,
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes())?;
    s.write_all(body)?;
    let mut out = Vec::new();
    s.read_to_end(&mut out)?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no HTTP status in {text:?}")))?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|x| x.1.to_string())
        .unwrap_or_default();
    Ok((status, body))
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

fn multipart(project: &str, case_id: &str) -> (String, Vec<u8>) {
    let b = "XbOuNdArYx";
    let doc = format!(
        r#"{{"id":"{case_id}","subject":{{"id":"s"}},"phenotypicFeatures":[{{"type":{{"id":"HP:0001250"}}}}],"metaData":{{"phenopacketSchemaVersion":"2.0"}}}}"#
    );
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\n{project}\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"case\"; filename=\"{case_id}.json\"\r\n\r\n{doc}\r\n--{b}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={b}"),
        body.into_bytes(),
    )
}

fn add_user(data: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_odyssey"))
        .args([
            "users",
            "add",
            "alice",
            "--role",
            "admin",
            "--project",
            "neuro",
            "--data",
        ])
        .arg(data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let token = stdout.lines().last().unwrap().to_string();
    assert!(token.starts_with("ody_") && token.len() == 68, "{token}");
    // stored only as a hash: the token's text is nowhere in the database files
    for e in std::fs::read_dir(data).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let bytes = std::fs::read(&p).unwrap();
            assert!(
                !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
                "{}",
                p.display()
            );
        }
    }
    token
}

/// Clients upload a case and review it, recording what the server acknowledged.
fn client_traffic(
    port: u16,
    token: String,
    worker: usize,
    acked: Arc<Mutex<Vec<(String, String)>>>,
    stop: Instant,
) {
    let mut i = 0;
    while Instant::now() < stop {
        i += 1;
        let label = format!("w{worker}-{i}");
        let (ct, body) = multipart("neuro", &label);
        let Ok((201, b)) = http(port, "POST", "/api/v1/cases", &token, &ct, &body) else {
            return;
        };
        let id = json(&b)["id"].as_str().unwrap().to_string();
        let review = format!(
            r#"{{"target_kind":"gene","target":"G{i}","status":"causative","acmg_criteria":["PVS1"]}}"#
        );
        match http(
            port,
            "PUT",
            &format!("/api/v1/cases/{id}/reviews"),
            &token,
            "application/json",
            review.as_bytes(),
        ) {
            Ok((200, _)) => acked.lock().unwrap().push((id, format!("G{i}"))),
            _ => {
                acked.lock().unwrap().push((id, String::new()));
                return;
            }
        }
    }
}

#[test]
fn kill_9_loses_no_acknowledged_write() {
    let dir = Scratch::new("workspace-kill9");
    let data = dir.path("data");
    let token = add_user(&data);
    let mut server = start(&data, "1");
    let port = server.port;
    // queue three analyses of the example trio for the single worker
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/family");
    let b = "XbOuNdArYx";
    let mut body =
        format!("--{b}\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\nneuro\r\n")
            .into_bytes();
    for (field, file) in [
        ("case", "family.json"),
        ("vcf", "family.vcf.gz"),
        ("ped", "family.ped"),
    ] {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file}\"\r\n\r\n").bytes());
        body.extend(std::fs::read(ex.join(file)).unwrap());
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").bytes());
    let (s, r) = http(
        port,
        "POST",
        "/api/v1/cases",
        &token,
        &format!("multipart/form-data; boundary={b}"),
        &body,
    )
    .unwrap();
    assert_eq!(s, 201, "{r}");
    let trio = json(&r)["id"].as_str().unwrap().to_string();
    let jobs: Vec<String> = (0..3)
        .map(|_| {
            let (s, r) = http(
                port,
                "POST",
                &format!("/api/v1/cases/{trio}/analyses"),
                &token,
                "application/json",
                b"",
            )
            .unwrap();
            assert_eq!(s, 202, "{r}");
            json(&r)["id"].as_str().unwrap().to_string()
        })
        .collect();
    // 8 clients write for a while, then SIGKILL while they are still writing
    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Instant::now() + Duration::from_secs(30);
    let clients: Vec<_> = (0..8)
        .map(|w| {
            let (t, a) = (token.clone(), acked.clone());
            std::thread::spawn(move || client_traffic(port, t, w, a, stop))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    server.child.kill().unwrap(); // SIGKILL on Unix
    server.child.wait().unwrap();
    for c in clients {
        c.join().unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 8,
        "too little traffic before the kill: {}",
        acked.len()
    );
    // restart on the same data: everything acknowledged is there
    let mut server = start(&data, "2");
    let port = server.port;
    for (id, gene) in &acked {
        let (s, r) = http(
            port,
            "GET",
            &format!("/api/v1/cases/{id}"),
            &token,
            "application/json",
            b"",
        )
        .unwrap();
        assert_eq!(s, 200, "case {id} acknowledged but lost: {r}");
        let v = json(&r);
        if !gene.is_empty() {
            assert_eq!(v["reviews"][0]["target"], gene.as_str(), "{r}");
            let (_, log) = http(
                port,
                "GET",
                &format!("/api/v1/cases/{id}/audit"),
                &token,
                "application/json",
                b"",
            )
            .unwrap();
            let actions: Vec<String> = json(&log)
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["action"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(actions, ["case.create", "review.set"]);
        }
    }
    // the queued and interrupted analyses finish after the restart, each with MLC1 first
    for job in &jobs {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let (_, r) = http(
                port,
                "GET",
                &format!("/api/v1/analyses/{job}"),
                &token,
                "application/json",
                b"",
            )
            .unwrap();
            let v = json(&r);
            if v["status"] == "done" {
                break;
            }
            assert_ne!(v["status"], "failed", "{r}");
            assert!(
                Instant::now() < deadline,
                "analysis {job} never finished: {r}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
        let (s, r) = http(
            port,
            "GET",
            &format!("/api/v1/analyses/{job}/report"),
            &token,
            "application/json",
            b"",
        )
        .unwrap();
        assert_eq!(s, 200);
        assert_eq!(json(&r)["genes"][0]["symbol"], "MLC1");
    }
    server.child.kill().unwrap();
    server.child.wait().unwrap();
}
