//! Loopback load test of the workspace: an in-process server on 127.0.0.1 (SQLite in a
//! temporary folder), C concurrent clients that each, in a loop, upload a small phenopacket,
//! read it back and list their cases, for S seconds. Prints requests, errors (any status other
//! than the expected one, or a connection failure) and p50/p95/max latency per request kind.
//!
//! `cargo run --release -p odyssey-server --example load_test -- [CLIENTS] [SECONDS]`
//! (default 50 clients, 60 s). Bounded: loopback only, fixed duration.

use std::sync::Arc;
use std::time::{Duration, Instant};

use odyssey_server::db::users::Role;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Mutex;

async fn http(port: u16, req: &[u8]) -> std::io::Result<(u16, String)> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    s.write_all(req).await?;
    let mut out = Vec::new();
    s.read_to_end(&mut out).await?;
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((
        status,
        text.split_once("\r\n\r\n")
            .map(|x| x.1.to_string())
            .unwrap_or_default(),
    ))
}

fn request(method: &str, path: &str, token: &str, ctype: &str, body: &[u8]) -> Vec<u8> {
    let mut r = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r
}

fn upload_body(label: &str) -> (String, Vec<u8>) {
    let b = "LoAdTeStBoUnDaRy";
    let doc = format!(
        r#"{{"id":"{label}","subject":{{"id":"s","sex":"FEMALE"}},"phenotypicFeatures":[{{"type":{{"id":"HP:0001250"}}}},{{"type":{{"id":"HP:0001263"}}}}],"metaData":{{"phenopacketSchemaVersion":"2.0"}}}}"#
    );
    let body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"project\"\r\n\r\nload\r\n--{b}\r\n\
         Content-Disposition: form-data; name=\"case\"; filename=\"{label}.json\"\r\n\r\n{doc}\r\n--{b}--\r\n"
    );
    (
        format!("multipart/form-data; boundary={b}"),
        body.into_bytes(),
    )
}

type Samples = Arc<Mutex<Vec<(&'static str, f64, bool)>>>;

async fn client(port: u16, token: String, n: usize, until: Instant, samples: Samples) {
    let mut i = 0;
    while Instant::now() < until {
        i += 1;
        let (ct, body) = upload_body(&format!("c{n}-{i}"));
        let t = Instant::now();
        let r = http(port, &request("POST", "/api/v1/cases", &token, &ct, &body)).await;
        let ok = matches!(&r, Ok((201, _)));
        samples
            .lock()
            .await
            .push(("upload", t.elapsed().as_secs_f64() * 1e3, ok));
        let id = match r {
            Ok((201, b)) => serde_json::from_str::<serde_json::Value>(&b)
                .ok()
                .and_then(|v| v["id"].as_str().map(str::to_string)),
            _ => None,
        };
        if let Some(id) = id {
            let t = Instant::now();
            let r = http(
                port,
                &request(
                    "GET",
                    &format!("/api/v1/cases/{id}"),
                    &token,
                    "text/plain",
                    b"",
                ),
            )
            .await;
            samples.lock().await.push((
                "get case",
                t.elapsed().as_secs_f64() * 1e3,
                matches!(r, Ok((200, _))),
            ));
        }
        let t = Instant::now();
        let r = http(
            port,
            &request("GET", "/api/v1/cases?status=new", &token, "text/plain", b""),
        )
        .await;
        samples.lock().await.push((
            "list cases",
            t.elapsed().as_secs_f64() * 1e3,
            matches!(r, Ok((200, _))),
        ));
    }
}

fn pct(v: &[f64], p: f64) -> f64 {
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let clients: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(60);
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut config = odyssey_server::Config::new(dir.path());
    config.workers = 1;
    let analyzer = odyssey_server::ops::analyzer_for(&config).expect("knowledge base");
    let state = odyssey_server::ops::open_state(config, analyzer)
        .await
        .expect("workspace");
    let token = {
        let mut tx = state.db.begin_write().await.unwrap();
        let (_, t) =
            odyssey_server::db::users::add_user(&mut tx, "load", Role::Clinician, &["load".into()])
                .await
                .unwrap();
        tx.commit().await.unwrap();
        t
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(odyssey_server::ops::serve_on(
        state,
        listener,
        std::future::pending(),
    ));
    let samples: Samples = Arc::new(Mutex::new(Vec::new()));
    let until = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|n| tokio::spawn(client(port, token.clone(), n, until, samples.clone())))
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let wall = start.elapsed().as_secs_f64();
    let samples = samples.lock().await;
    println!("{clients} clients, {wall:.1} s, SQLite, loopback");
    println!("kind\trequests\terrors\tp50_ms\tp95_ms\tmax_ms\treq_per_s");
    for kind in ["upload", "get case", "list cases"] {
        let mut v: Vec<f64> = samples
            .iter()
            .filter(|s| s.0 == kind)
            .map(|s| s.1)
            .collect();
        let errors = samples.iter().filter(|s| s.0 == kind && !s.2).count();
        if v.is_empty() {
            continue;
        }
        v.sort_by(f64::total_cmp);
        println!(
            "{kind}\t{}\t{errors}\t{:.1}\t{:.1}\t{:.1}\t{:.0}",
            v.len(),
            pct(&v, 0.5),
            pct(&v, 0.95),
            v[v.len() - 1],
            v.len() as f64 / wall
        );
    }
}
