//! Two full workspaces as Matchmaker Exchange nodes on loopback (SQLite, two data folders, each
//! started with an `--mme` file naming the other as incoming and outgoing node). Every MME
//! request and answer between them passes through a proxy that validates it against the
//! specification at the strict level. Checked: a shared case is matched with its score and
//! contact, an unshared one never leaves, a withdrawn one stops matching, a node that is down
//! or slow is reported as that node's error while the other answers, sharing and withdrawing
//! are audited, another project's user can neither share nor query, and a server without
//! `--mme` says so.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use common::{multipart, scripted, Ws};
use http_body_util::BodyExt;
use odyssey_mme::config::Outgoing;
use odyssey_mme::validate::{self, Level};
use odyssey_mme::{MatchRequest, MmeClient, NodeError};
use odyssey_server::db::users::Role;
use odyssey_server::{AppState, Config};
use serde_json::{json, Value};
use tower::ServiceExt;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/mme");

fn case_file(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}/{name}")).unwrap()
}

/// Every MME message the proxies saw that breaks the specification, and how many requests.
#[derive(Clone, Default)]
struct Checks {
    violations: Arc<Mutex<Vec<String>>>,
    requests: Arc<AtomicUsize>,
}

impl Checks {
    fn add(&self, what: &str, vs: Vec<validate::Violation>) {
        let mut all = self.violations.lock().unwrap();
        all.extend(vs.into_iter().map(|v| format!("{what}: {v}")));
    }
}

#[derive(Clone)]
struct Proxy {
    target: String,
    checks: Checks,
}

/// Forwards `POST /mme/match` to the target node, validating the request and the answer.
async fn proxy_match(State(p): State<Proxy>, headers: HeaderMap, body: Bytes) -> Response {
    p.checks.requests.fetch_add(1, Ordering::SeqCst);
    let ct = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct.starts_with("application/vnd.ga4gh.matchmaker.v1.") {
        p.checks.add(
            "request",
            vec![validate::Violation {
                field: "Content-Type".into(),
                problem: ct.into(),
            }],
        );
    }
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    p.checks
        .add("request", validate::request(&v, Level::Strict));
    let request: MatchRequest = match serde_json::from_value(v) {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    };
    let token = headers
        .get("x-auth-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let node = Outgoing {
        name: "proxied".into(),
        base_url: p.target.clone(),
        token,
        timeout_seconds: Some(10.0),
    };
    let outcome = MmeClient::new().query(&node, &request).await;
    match outcome.result {
        Ok(a) => {
            p.checks
                .add("response", validate::response(&a.raw, Level::Strict));
            (
                StatusCode::OK,
                [("content-type", a.content_type)],
                a.raw.to_string(),
            )
                .into_response()
        }
        Err(NodeError::Status { status, message }) => (
            StatusCode::from_u16(status).unwrap(),
            axum::Json(json!({ "message": message })),
        )
            .into_response(),
        Err(e) => (
            StatusCode::BAD_GATEWAY,
            axum::Json(json!({ "message": e.to_string() })),
        )
            .into_response(),
    }
}

async fn listener() -> (tokio::net::TcpListener, String) {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    (l, url)
}

async fn start_proxy(target: String, checks: Checks) -> String {
    let (l, url) = listener().await;
    let app = Router::new()
        .route("/mme/match", post(proxy_match))
        .with_state(Proxy { target, checks });
    tokio::spawn(async move { axum::serve(l, app).await });
    format!("{url}/mme")
}

/// A node that answers after 30 s.
async fn start_slow() -> String {
    let (l, url) = listener().await;
    let app = Router::new().route(
        "/mme/match",
        post(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "{}"
        }),
    );
    tokio::spawn(async move { axum::serve(l, app).await });
    format!("{url}/mme")
}

/// An address where nothing listens.
async fn down_url() -> String {
    let (l, url) = listener().await;
    drop(l);
    format!("{url}/mme")
}

struct Node {
    state: AppState,
    _dir: tempfile::TempDir,
}

impl Node {
    /// A workspace serving on `l` with the MME configuration `toml`.
    async fn start(l: tokio::net::TcpListener, toml: &str) -> Node {
        Self::start_on(l, toml, None).await
    }

    /// As [`Node::start`], on the database `database_url` (`None`: SQLite in the data folder).
    async fn start_on(
        l: tokio::net::TcpListener,
        toml: &str,
        database_url: Option<String>,
    ) -> Node {
        let dir = tempfile::tempdir().unwrap();
        let mme = dir.path().join("mme.toml");
        std::fs::write(&mme, toml).unwrap();
        let mut config = Config::new(dir.path().join("data"));
        config.database_url = database_url;
        config.workers = 1;
        config.mme = Some(mme);
        let state = odyssey_server::ops::open_state(config, scripted("k", vec![]))
            .await
            .unwrap();
        let s = state.clone();
        tokio::spawn(
            async move { odyssey_server::ops::serve_on(s, l, std::future::pending()).await },
        );
        Node { state, _dir: dir }
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let app = odyssey_server::build_router(self.state.clone());
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let v = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, v)
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut r = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"));
        if body.is_some() {
            r = r.header("content-type", "application/json");
        }
        let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
        self.send(r.body(body).unwrap()).await
    }

    async fn mme_get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        let r = Request::get(path)
            .header("x-auth-token", token)
            .body(Body::empty())
            .unwrap();
        self.send(r).await
    }

    async fn user(&self, name: &str, project: &str) -> String {
        let mut tx = self.state.db.begin_write().await.unwrap();
        let (_, token) = odyssey_server::db::users::add_user(
            &mut tx,
            name,
            Role::Clinician,
            &[project.to_string()],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        token
    }

    async fn upload(&self, token: &str, project: &str, file: &str) -> String {
        self.upload_named(token, project, file, &case_file(file))
            .await
    }

    async fn upload_bytes(&self, token: &str, project: &str, bytes: &[u8]) -> String {
        self.upload_named(token, project, "case.json", bytes).await
    }

    async fn upload_named(&self, token: &str, project: &str, file: &str, bytes: &[u8]) -> String {
        let (ct, body) = multipart(&[("project", "", project.as_bytes()), ("case", file, bytes)]);
        let r = Request::post("/api/v1/cases")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        let (s, v) = self.send(r).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["id"].as_str().unwrap().to_string()
    }

    async fn share(&self, token: &str, case: &str, name: &str, href: &str) -> Value {
        let (s, v) = self
            .call(
                "POST",
                &format!("/api/v1/cases/{case}/mme"),
                token,
                Some(json!({ "contact": { "name": name, "href": href, "institution": "Test centre" } })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["shared"], true, "{v}");
        // the record other centres receive follows the specification (strict level)
        assert_eq!(
            validate::patient("record", &v["record"], Level::Strict),
            vec![],
            "{v}"
        );
        v
    }

    async fn query(&self, token: &str, case: &str) -> Value {
        let (s, v) = self
            .call(
                "POST",
                &format!("/api/v1/cases/{case}/matches"),
                token,
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v
    }

    async fn audit_actions(&self, token: &str, case: &str) -> Vec<Value> {
        let (s, v) = self
            .call("GET", &format!("/api/v1/cases/{case}/audit"), token, None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        v.as_array().unwrap().clone()
    }
}

fn node_named<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["node"] == name)
        .unwrap_or_else(|| panic!("no node {name} in {v}"))
}

fn patient_ids(node: &Value) -> Vec<String> {
    node["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["patient_id"].as_str().unwrap().to_string())
        .collect()
}

/// The phenotype score of two term lists, computed in the test from the phenopackets' terms.
fn expected_phenotype(q: &[&str], c: &[&str]) -> f64 {
    let kb = odyssey_kb::KnowledgeBase::embedded().unwrap();
    let terms = |ids: &[&str]| {
        let mut t: Vec<_> = ids
            .iter()
            .map(|i| {
                kb.ontology()
                    .resolve(i.parse().unwrap())
                    .unwrap()
                    .term()
                    .unwrap()
            })
            .collect();
        t.sort_unstable();
        t
    };
    odyssey_mme::matching::phenotype_score(&kb, &terms(q), &terms(c))
}

struct Pair {
    a: Node,
    b: Node,
    checks: Checks,
}

async fn two_nodes() -> Pair {
    let checks = Checks::default();
    let (la, url_a) = listener().await;
    let (lb, url_b) = listener().await;
    let via_a = start_proxy(format!("{url_a}/mme"), checks.clone()).await;
    let via_b = start_proxy(format!("{url_b}/mme"), checks.clone()).await;
    let (slow, down) = (start_slow().await, down_url().await);
    let toml_a = format!(
        "[[incoming]]\nname = \"Centre B\"\ntoken = \"b-asks-a\"\n\n\
         [[outgoing]]\nname = \"Centre B\"\nbase_url = \"{via_b}\"\ntoken = \"a-asks-b\"\n\n\
         [[outgoing]]\nname = \"Down\"\nbase_url = \"{down}\"\ntoken = \"t\"\n\n\
         [[outgoing]]\nname = \"Slow\"\nbase_url = \"{slow}\"\ntoken = \"t\"\ntimeout_seconds = 1.5\n"
    );
    let toml_b = format!(
        "[[incoming]]\nname = \"Centre A\"\ntoken = \"a-asks-b\"\n\n\
         [[outgoing]]\nname = \"Centre A\"\nbase_url = \"{via_a}\"\ntoken = \"b-asks-a\"\n"
    );
    Pair {
        a: Node::start(la, &toml_a).await,
        b: Node::start(lb, &toml_b).await,
        checks,
    }
}

const A1_TERMS: [&str; 4] = ["HP:0001263", "HP:0000522", "HP:0002910", "HP:0001252"];
const B1_TERMS: [&str; 4] = ["HP:0001263", "HP:0000522", "HP:0002910", "HP:0001266"];

struct Cases {
    alice: String,
    mallory: String,
    bob: String,
    a1: String,
    b1: String,
    b2: String,
    b3: String,
}

/// Users and cases: A1 at A (NGLY1 by review), B1..B3 at B.
async fn seed(a: &Node, b: &Node) -> Cases {
    let alice = a.user("alice", "neuro").await;
    let mallory = a.user("mallory", "other").await;
    let bob = b.user("bob", "genetics").await;
    let a1 = a.upload(&alice, "neuro", "a1.json").await;
    let (s, v) = a
        .call(
            "PUT",
            &format!("/api/v1/cases/{a1}/reviews"),
            &alice,
            Some(json!({ "target_kind": "gene", "target": "NGLY1", "status": "candidate" })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    Cases {
        b1: b.upload(&bob, "genetics", "b1.json").await,
        b2: b.upload(&bob, "genetics", "b2.json").await,
        b3: b.upload(&bob, "genetics", "b3.json").await,
        alice,
        mallory,
        bob,
        a1,
    }
}

/// Before sharing: querying is 409; another project's user gets 404 everywhere; a bad
/// contact is 422 naming the field.
async fn refused(a: &Node, c: &Cases) {
    let a1 = &c.a1;
    let (s, v) = a
        .call(
            "POST",
            &format!("/api/v1/cases/{a1}/matches"),
            &c.alice,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["message"].as_str().unwrap().contains("share"), "{v}");
    let contact = json!({ "contact": { "name": "M", "href": "mailto:m@x.org" } });
    for (method, path, body) in [
        ("POST", format!("/api/v1/cases/{a1}/mme"), Some(contact)),
        ("DELETE", format!("/api/v1/cases/{a1}/mme"), None),
        ("GET", format!("/api/v1/cases/{a1}/mme"), None),
        ("POST", format!("/api/v1/cases/{a1}/matches"), None),
        ("GET", format!("/api/v1/cases/{a1}/matches"), None),
    ] {
        let (s, v) = a.call(method, &path, &c.mallory, body).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{method} {path}: {v}");
        assert!(v["message"].is_string());
    }
    let (s, v) = a
        .call(
            "POST",
            &format!("/api/v1/cases/{a1}/mme"),
            &c.alice,
            Some(json!({ "contact": { "name": "Dr A", "href": "not a url" } })),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(
        v["message"].as_str().unwrap().contains("contact.href"),
        "{v}"
    );
}

/// A's first query: B1 first with its score and contact, B2 absent, Down and Slow failed
/// alone; the stored matches are the ones returned.
async fn first_query(a: &Node, c: &Cases) {
    let t = Instant::now();
    let v = a.query(&c.alice, &c.a1).await;
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
    let names: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["node"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Centre B", "Down", "Slow"]);
    assert_eq!(node_named(&v, "Down")["error"]["kind"], "transport", "{v}");
    assert_eq!(node_named(&v, "Slow")["error"]["kind"], "timeout", "{v}");
    let nb = node_named(&v, "Centre B");
    assert!(nb["error"].is_null(), "{v}");
    let ids = patient_ids(nb);
    assert_eq!(ids.first(), Some(&c.b1), "{v}");
    assert!(!ids.contains(&c.b2), "the unshared case left centre B: {v}");
    let top = &nb["results"][0];
    assert_eq!(top["contact"]["name"], "Dr Bea B");
    assert_eq!(top["contact"]["href"], "https://centre-b.example/mme");
    assert_eq!(top["shared_genes"], json!(["NGLY1"]));
    // same gene, no variant on A's side: genotype 0.6 (docs/mme.md); score = ½·0.6 + ½·p
    let p = expected_phenotype(&A1_TERMS, &B1_TERMS);
    assert!(p > 0.0 && p < 1.0, "{p}");
    let num = |k: &str| top[k].as_f64().unwrap();
    assert!((num("genotype_score") - 0.6).abs() < 1e-12, "{top}");
    assert!((num("phenotype_score") - p).abs() < 1e-9, "{top} vs {p}");
    assert!(
        (num("score") - (0.3 + 0.5 * p)).abs() < 1e-9,
        "{top} vs {p}"
    );
    if let Some(i) = ids.iter().position(|x| *x == c.b3) {
        assert!(nb["results"][i]["score"].as_f64().unwrap() < num("score"));
    }
    let (s, stored) = a
        .call(
            "GET",
            &format!("/api/v1/cases/{}/matches", c.a1),
            &c.alice,
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(stored["run_id"], v["run_id"]);
    assert_eq!(patient_ids(node_named(&stored, "Centre B")), ids);
    assert_eq!(
        node_named(&stored, "Slow")["error"],
        node_named(&v, "Slow")["error"]
    );
}

/// A1's case page lists the stored matches: B1 with its score and a link to its contact.
async fn a1_page(a: &Node, c: &Cases) {
    let uid: String = sqlx::Row::get(
        &sqlx::query("SELECT id FROM users WHERE name = 'alice'")
            .fetch_one(&a.state.db.pool)
            .await
            .unwrap(),
        0,
    );
    let (sid, _) = {
        let mut conn = a.state.db.pool.acquire().await.unwrap();
        odyssey_server::pages::session::open_session(&mut conn, &uid)
            .await
            .unwrap()
    };
    let r = Request::get(format!("/cases/{}", c.a1))
        .header(
            "cookie",
            format!("{}={sid}", odyssey_server::pages::session::COOKIE),
        )
        .body(Body::empty())
        .unwrap();
    let (s, _, html) = a.page(r).await;
    assert_eq!(s, StatusCode::OK);
    let table = &html[html.find("id=\"mme-table\"").expect("a matches table")..];
    let row = table
        .split("<tr>")
        .find(|r| r.contains(c.b1.as_str()))
        .expect("a row for B1")
        .replace("&#x2f;", "/"); // minijinja escapes '/' in HTML
    assert!(row.contains("<td>Centre B</td>"), "{row}");
    assert!(
        row.contains("href=\"https://centre-b.example/mme\""),
        "{row}"
    );
    assert!(
        row.contains(">Dr Bea B</a>") && row.contains("NGLY1"),
        "{row}"
    );
    assert!(html.contains("Down: request failed") && html.contains("Slow: no answer within"));
}

/// A1's trail: its share, its query, and that centre B was sent it as a match.
async fn a1_audit(a: &Node, c: &Cases) {
    let trail = a.audit_actions(&c.alice, &c.a1).await;
    let actions: Vec<&str> = trail
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for x in ["mme.share", "mme.query", "mme.match_sent"] {
        assert!(actions.contains(&x), "{x} missing in {actions:?}");
    }
    let sent = trail
        .iter()
        .find(|e| e["action"] == "mme.match_sent")
        .unwrap();
    assert_eq!(sent["actor"], "mme:Centre B");
    assert_eq!(sent["after"]["query_patient_id"], c.b1.as_str());
    let share = trail.iter().find(|e| e["action"] == "mme.share").unwrap();
    assert_eq!(share["after"]["name"], "Dr Ada A");
}

/// B withdraws B1: audited, withdrawing twice is 409, and A no longer finds it.
async fn withdrawal(a: &Node, b: &Node, c: &Cases) {
    let path = format!("/api/v1/cases/{}/mme", c.b1);
    let (s, w) = b.call("DELETE", &path, &c.bob, None).await;
    assert_eq!(s, StatusCode::OK, "{w}");
    assert_eq!(w["shared"], false);
    assert!(w["share"]["withdrawn_at"].is_string());
    let (s, _) = b.call("DELETE", &path, &c.bob, None).await;
    assert_eq!(s, StatusCode::CONFLICT);
    let trail = b.audit_actions(&c.bob, &c.b1).await;
    let w = trail
        .iter()
        .find(|e| e["action"] == "mme.withdraw")
        .unwrap();
    assert_eq!(w["before"]["name"], "Dr Bea B");
    assert!(w["after"].is_null());
    let v = a.query(&c.alice, &c.a1).await;
    let ids = patient_ids(node_named(&v, "Centre B"));
    assert!(!ids.contains(&c.b1) && !ids.contains(&c.b2), "{v}");
}

/// B's heartbeat and metrics validate; one case (B3) is left shared, two queries received.
async fn b_heartbeat_and_metrics(b: &Node) {
    let (s, hb) = b.mme_get("/mme/heartbeat", "a-asks-b").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(validate::heartbeat(&hb, Level::Strict), vec![]);
    let (s, m) = b.mme_get("/mme/metrics", "a-asks-b").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(validate::metrics(&m, Level::Strict), vec![]);
    assert_eq!(m["metrics"]["numberOfCases"], 1, "{m}");
    assert_eq!(m["metrics"]["numberOfRequestsReceived"], 2, "{m}");
    let (s, _) = b.mme_get("/mme/metrics", "a-wrong-token").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workspaces_match_each_others_shared_cases() {
    let Pair { a, b, checks } = two_nodes().await;
    let c = seed(&a, &b).await;
    refused(&a, &c).await;
    let shared = a
        .share(&c.alice, &c.a1, "Dr Ada A", "mailto:ada@centre-a.example")
        .await;
    let genes: Vec<&str> = shared["record"]["genomicFeatures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["gene"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(genes, ["NGLY1"]);
    assert_eq!(shared["record"]["id"], c.a1.as_str());
    assert_eq!(shared["record"]["features"].as_array().unwrap().len(), 5);
    for id in [&c.b1, &c.b3] {
        b.share(&c.bob, id, "Dr Bea B", "https://centre-b.example/mme")
            .await;
    }
    first_query(&a, &c).await;
    a1_page(&a, &c).await;
    // and back: B queries with B1 and finds A1 with A's contact
    let vb = b.query(&c.bob, &c.b1).await;
    let na = node_named(&vb, "Centre A");
    assert_eq!(patient_ids(na), vec![c.a1.clone()], "{vb}");
    assert_eq!(na["results"][0]["contact"]["name"], "Dr Ada A");
    a1_audit(&a, &c).await;
    withdrawal(&a, &b, &c).await;
    b_heartbeat_and_metrics(&b).await;
    // every message exchanged between the nodes followed the specification
    assert_eq!(checks.requests.load(Ordering::SeqCst), 3);
    assert_eq!(*checks.violations.lock().unwrap(), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_mme_the_api_and_mme_say_so() {
    let ws = Ws::sqlite(scripted("k", vec![])).await;
    let t = ws.user("ann", Role::Clinician, &["p"]).await;
    let (s, v) = ws
        .upload(
            &t,
            &[
                ("project", "", b"p"),
                ("case", "a1.json", &case_file("a1.json")),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let (s, v) = ws
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/mme"),
            &t,
            json!({ "contact": { "name": "A", "href": "mailto:a@x.org" } }),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    assert!(v["message"].as_str().unwrap().contains("--mme"), "{v}");
    let (s, _) = ws
        .get(&format!("/api/v1/cases/{id}/matches"), Some(&t))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, v) = ws.get("/mme/heartbeat", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("not a Matchmaker Exchange node"),
        "{v}"
    );
    // the endpoints are in the OpenAPI document
    let (_, doc) = ws.get("/api/v1/openapi.json", None).await;
    for (path, method) in [
        ("/api/v1/cases/{id}/mme", "post"),
        ("/api/v1/cases/{id}/mme", "delete"),
        ("/api/v1/cases/{id}/mme", "get"),
        ("/api/v1/cases/{id}/matches", "post"),
        ("/api/v1/cases/{id}/matches", "get"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    ws.cleanup().await;
}

impl Node {
    /// A page request: status, `Location`, body text.
    async fn page(&self, req: Request<Body>) -> (StatusCode, Option<String>, String) {
        let app = odyssey_server::build_router(self.state.clone());
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let location = resp
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_string());
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            location,
            String::from_utf8_lossy(&bytes).into_owned(),
        )
    }
}

fn form(path: &str, cookie: &str, fields: &[(&str, &str)]) -> Request<Body> {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{k}={}", odyssey_server::pages::session::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("cookie", cookie)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn case_page_shares_queries_and_withdraws() {
    use odyssey_server::pages::session;
    let (l, _) = listener().await;
    let down = down_url().await;
    let node = Node::start(
        l,
        &format!("[[outgoing]]\nname = \"Down\"\nbase_url = \"{down}\"\ntoken = \"t\"\n"),
    )
    .await;
    let (uid, token) = {
        let mut tx = node.state.db.begin_write().await.unwrap();
        let r =
            odyssey_server::db::users::add_user(&mut tx, "ada", Role::Clinician, &["neuro".into()])
                .await
                .unwrap();
        tx.commit().await.unwrap();
        r
    };
    let (sid, csrf) = {
        let mut conn = node.state.db.pool.acquire().await.unwrap();
        session::open_session(&mut conn, &uid).await.unwrap()
    };
    let cookie = format!("{}={sid}", session::COOKIE);
    let id = node.upload(&token, "neuro", "b1.json").await;
    let get = |p: String| {
        Request::get(p)
            .header("cookie", cookie.clone())
            .body(Body::empty())
            .unwrap()
    };
    let case_path = format!("/cases/{id}");

    let (s, _, html) = node.page(get(case_path.clone())).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("<h2 id=\"h-mme\">Matchmaker Exchange</h2>"),
        "{html}"
    );
    for label in [
        "for=\"mme-name\"",
        "for=\"mme-href\"",
        "for=\"mme-institution\"",
    ] {
        assert!(html.contains(label), "{label}");
    }
    assert!(html.contains("Not shared"));
    assert!(
        !html.contains("id=\"mme-query\""),
        "no query button before sharing"
    );

    // a form without the session's CSRF token changes nothing
    let share_path = format!("/cases/{id}/mme/share");
    let fields = [
        ("name", "Dr Bea B"),
        ("href", "mailto:bea@centre-b.example"),
        ("institution", "Centre B"),
    ];
    let mut bad = fields.to_vec();
    bad.push(("csrf", "wrong"));
    let (s, _, _) = node.page(form(&share_path, &cookie, &bad)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let mut good = fields.to_vec();
    good.push(("csrf", csrf.as_str()));
    let (s, loc, body) = node.page(form(&share_path, &cookie, &good)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, Some(format!("/cases/{id}#mme")));
    let (_, _, html) = node.page(get(case_path.clone())).await;
    assert!(
        html.contains("Shared with the Matchmaker Exchange"),
        "{html}"
    );
    assert!(html.contains("id=\"mme-withdraw\"") && html.contains("id=\"mme-query\""));

    // query: the only node is down, its error is shown
    let (s, _, body) = node
        .page(form(
            &format!("/cases/{id}/mme/query"),
            &cookie,
            &[("csrf", csrf.as_str())],
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, _, html) = node.page(get(case_path.clone())).await;
    assert!(html.contains("id=\"mme-error-1\""), "{html}");
    assert!(html.contains("Down: request failed"), "{html}");
    assert!(!html.contains("id=\"mme-table\""), "no results, no table");

    // withdraw
    let (s, _, _) = node
        .page(form(
            &format!("/cases/{id}/mme/withdraw"),
            &cookie,
            &[("csrf", csrf.as_str())],
        ))
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, html) = node.page(get(case_path)).await;
    assert!(html.contains("Not shared (withdrawn"), "{html}");
    let actions: Vec<String> = node
        .audit_actions(&token, &id)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        actions,
        ["case.create", "mme.share", "mme.query", "mme.withdraw"]
    );
}

/// The MME tables and queries on PostgreSQL (skipped when no server answers): share, an
/// incoming query answered with the shared case (logged and audited), an outgoing query to a
/// node that is down (stored), withdrawal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mme_on_postgres() {
    let Some(ws) = Ws::postgres(scripted("k", vec![])).await else {
        return;
    };
    let (l, _) = listener().await;
    let down = down_url().await;
    let toml = format!(
        "[[incoming]]\nname = \"Centre B\"\ntoken = \"b-asks\"\n\n\
         [[outgoing]]\nname = \"Down\"\nbase_url = \"{down}\"\ntoken = \"t\"\n"
    );
    let node = Node::start_on(l, &toml, ws.state.config.database_url.clone()).await;
    let alice = node.user("alice", "neuro").await;
    let a1 = node.upload(&alice, "neuro", "a1.json").await;
    let (s, v) = node
        .call(
            "PUT",
            &format!("/api/v1/cases/{a1}/reviews"),
            &alice,
            Some(json!({ "target_kind": "gene", "target": "NGLY1", "status": "candidate" })),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    node.share(&alice, &a1, "Dr Ada A", "mailto:ada@centre-a.example")
        .await;
    // an incoming query: B1's record, as centre B would send it
    let text = String::from_utf8(case_file("b1.json")).unwrap();
    let file = odyssey_pheno::phenopacket::parse_case_file(&text, std::path::Path::new("b1.json"))
        .unwrap();
    let pp = file.proband();
    let contact = odyssey_mme::model::Contact {
        name: "Dr Bea B".into(),
        href: "mailto:bea@centre-b.example".into(),
        ..Default::default()
    };
    let patient =
        odyssey_mme::convert::patient_from_phenopacket(pp, "b-1", contact, &Default::default());
    let body = serde_json::to_value(MatchRequest {
        disclaimer: None,
        terms: None,
        patient,
    })
    .unwrap();
    assert_eq!(validate::request(&body, Level::Strict), vec![]);
    let r = Request::post("/mme/match")
        .header("x-auth-token", "b-asks")
        .header("content-type", "application/vnd.ga4gh.matchmaker.v1.0+json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let (s, answer) = node.send(r).await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    assert_eq!(validate::response(&answer, Level::Strict), vec![]);
    assert_eq!(answer["results"][0]["patient"]["id"], a1.as_str());
    // outgoing: the only node is down, its error is stored
    let v = node.query(&alice, &a1).await;
    assert_eq!(node_named(&v, "Down")["error"]["kind"], "transport");
    let (_, stored) = node
        .call("GET", &format!("/api/v1/cases/{a1}/matches"), &alice, None)
        .await;
    assert_eq!(stored["run_id"], v["run_id"]);
    let (s, _) = node
        .call("DELETE", &format!("/api/v1/cases/{a1}/mme"), &alice, None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let actions: Vec<String> = node
        .audit_actions(&alice, &a1)
        .await
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        actions,
        [
            "case.create",
            "review.set",
            "mme.share",
            "mme.match_sent",
            "mme.query",
            "mme.withdraw"
        ]
    );
    let n: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) FROM mme_incoming")
            .fetch_one(&node.state.db.pool)
            .await
            .unwrap(),
        0,
    );
    assert_eq!(n, 1);
    node.state.db.pool.close().await;
    ws.cleanup().await;
}

/// A benchmark patient (MME record) as a phenopacket: its HPO features (excluded when
/// `observed: "no"`), sex, and its genes as gene-level genomic interpretations.
fn benchmark_phenopacket(p: &Value) -> Vec<u8> {
    let id = p["id"].as_str().unwrap();
    let features: Vec<Value> = p["features"]
        .as_array()
        .map_or(&[][..], |v| v)
        .iter()
        .map(|f| json!({ "type": { "id": f["id"], "label": f["label"] }, "excluded": f["observed"] == "no" }))
        .collect();
    let genes: Vec<Value> = p["genomicFeatures"]
        .as_array()
        .map_or(&[][..], |v| v)
        .iter()
        .map(|g| {
            json!({ "subjectOrBiosampleId": id, "interpretationStatus": "CANDIDATE",
                         "gene": { "valueId": g["gene"]["id"], "symbol": g["gene"]["id"] } })
        })
        .collect();
    let mut pp = json!({
        "id": id, "subject": { "id": id }, "phenotypicFeatures": features,
        "interpretations": [{ "id": "i", "progressStatus": "IN_PROGRESS",
                              "diagnosis": { "genomicInterpretations": genes } }],
        "metaData": { "phenopacketSchemaVersion": "2.0" }
    });
    if let Some(sex) = p["sex"].as_str().filter(|s| ["MALE", "FEMALE"].contains(s)) {
        pp["subject"]["sex"] = json!(sex);
    }
    pp.to_string().into_bytes()
}

/// The 50 MME benchmark patients (`../shared/data/mme-apis`, skipped when absent): centre B
/// shares 49 of them, centre A queries with the first patient that shares a gene id with
/// another; B's best answer must be one of those gene partners (with the unshared query
/// patient itself never returned).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn benchmark_patient_finds_a_gene_partner_across_nodes() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/data/mme-apis/testing/benchmark_patients.json"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("SKIP: {path} not found (../shared is absent)");
        return;
    };
    let all: Vec<Value> = serde_json::from_str(&text).unwrap();
    let genes_of = |p: &Value| -> Vec<String> {
        p["genomicFeatures"]
            .as_array()
            .map_or(&[][..], |v| v)
            .iter()
            .map(|g| g["gene"]["id"].as_str().unwrap().to_string())
            .collect()
    };
    let qi = (0..all.len())
        .find(|&i| {
            let g = genes_of(&all[i]);
            all.iter()
                .enumerate()
                .any(|(j, p)| j != i && genes_of(p).iter().any(|x| g.contains(x)))
        })
        .unwrap();
    let Pair { a, b, checks } = two_nodes().await;
    let alice = a.user("alice", "neuro").await;
    let bob = b.user("bob", "genetics").await;
    let q = a
        .upload_bytes(&alice, "neuro", &benchmark_phenopacket(&all[qi]))
        .await;
    a.share(&alice, &q, "Centre A", "mailto:a@centre-a.example")
        .await;
    let mut partners = Vec::new();
    let qgenes = genes_of(&all[qi]);
    for (j, p) in all.iter().enumerate() {
        if j == qi {
            continue;
        }
        let id = b
            .upload_bytes(&bob, "genetics", &benchmark_phenopacket(p))
            .await;
        b.share(&bob, &id, "Centre B", "mailto:b@centre-b.example")
            .await;
        if genes_of(p).iter().any(|g| qgenes.contains(g)) {
            partners.push(id);
        }
    }
    let v = a.query(&alice, &q).await;
    let ids = patient_ids(node_named(&v, "Centre B"));
    assert!(
        ids.first().is_some_and(|top| partners.contains(top)),
        "query {} ({qgenes:?}): top {:?} not among partners {partners:?}",
        all[qi]["id"],
        ids.first()
    );
    assert_eq!(*checks.violations.lock().unwrap(), Vec::<String>::new());
}
