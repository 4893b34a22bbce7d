//! Shared test helpers: the embedded knowledge base, fixture patients, loopback nodes and a
//! raw HTTP helper.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use odyssey_kb::KnowledgeBase;
use odyssey_mme::config::{Incoming, MmeConfig};
use odyssey_mme::{mme_router, InMemoryBackend, MmeState, NodeSettings, Patient};

pub fn kb() -> Arc<KnowledgeBase> {
    static KB: OnceLock<Arc<KnowledgeBase>> = OnceLock::new();
    KB.get_or_init(|| Arc::new(KnowledgeBase::embedded().expect("embedded KB")))
        .clone()
}

pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

pub fn patients(name: &str) -> Vec<Patient> {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn patient(name: &str, id: &str) -> Patient {
    patients(name).into_iter().find(|p| p.id == id).unwrap()
}

/// `../shared/data/mme-apis` when present.
pub fn shared_mme() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/mme-apis");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: ../shared/data/mme-apis is not present");
        None
    }
}

pub struct Node {
    pub addr: SocketAddr,
    pub backend: Arc<InMemoryBackend>,
    pub state: MmeState,
}

impl Node {
    pub fn base_url(&self) -> String {
        format!("http://{}/mme", self.addr)
    }
}

/// A node on 127.0.0.1:0 sharing `patients`, accepting the given (name, token) pairs, with
/// the router nested under /mme as the workspace server mounts it.
pub async fn start_node(
    patients: Vec<Patient>,
    incoming: &[(&str, &str)],
    settings: NodeSettings,
) -> Node {
    let backend = Arc::new(InMemoryBackend::new(patients));
    let config = MmeConfig {
        incoming: incoming
            .iter()
            .map(|(n, t)| Incoming {
                name: n.to_string(),
                token: t.to_string(),
            })
            .collect(),
        outgoing: Vec::new(),
    };
    let state = MmeState::new(backend.clone(), config, kb(), settings);
    let app = axum::Router::new().nest("/mme", mme_router(state.clone()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Node {
        addr,
        backend,
        state,
    }
}

pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: serde_json::Value,
}

/// Sends one request and reads the JSON answer (`Null` when the body is not JSON).
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Answer {
    let client = hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
        .build_http::<Full<Bytes>>();
    let mut req = hyper::Request::builder()
        .method(method)
        .uri(format!("http://{addr}{path}"));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = client
        .request(req.body(Full::new(Bytes::from(body))).unwrap())
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let body = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    Answer {
        status,
        content_type,
        body,
    }
}

pub const V10: &str = "application/vnd.ga4gh.matchmaker.v1.0+json";
