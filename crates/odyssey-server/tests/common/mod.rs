//! Shared test helpers: a workspace on SQLite (temporary folder) or on a fresh PostgreSQL
//! database, requests through the router in-process, multipart bodies.
#![allow(dead_code)] // each test file uses part of it

use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use odyssey_server::analysis::{Analyzer, CaseInputs, Outcome};
use odyssey_server::db::users::Role;
use odyssey_server::{AppState, Config};
use serde_json::Value;
use tower::ServiceExt;

/// A scripted analyzer for the job-queue plumbing (the real analysis is tested end to end in
/// `engine.rs`): its report ranks the genes listed in `genes`, in that order, and fails for a
/// case document containing `"fail-me"`.
pub struct ScriptedAnalyzer {
    pub key: String,
    pub genes: Vec<(&'static str, Vec<&'static str>)>,
}

impl Analyzer for ScriptedAnalyzer {
    fn engine_key(&self) -> String {
        self.key.clone()
    }
    fn settings(&self) -> Value {
        serde_json::json!({ "engine": self.key })
    }
    fn kb_release(&self) -> String {
        "test-release".into()
    }
    fn analyze(
        &self,
        inputs: &CaseInputs,
        progress: &dyn Fn(f64, &str),
    ) -> Result<Outcome, String> {
        progress(0.5, "scoring");
        if inputs.case_text.contains("fail-me") {
            return Err("scripted failure".into());
        }
        let genes: Vec<Value> = self
            .genes
            .iter()
            .enumerate()
            .map(|(i, (s, d))| serde_json::json!({ "rank": i + 1, "symbol": s, "diseases": d }))
            .collect();
        Ok(Outcome {
            report_json: serde_json::json!({ "case": { "id": "x" }, "genes": genes }).to_string(),
        })
    }
}

pub fn scripted(key: &str, genes: Vec<(&'static str, Vec<&'static str>)>) -> Arc<dyn Analyzer> {
    Arc::new(ScriptedAnalyzer {
        key: key.into(),
        genes,
    })
}

/// A workspace under test.
pub struct Ws {
    pub state: AppState,
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// PostgreSQL server for tests (trust authentication, database `test`).
pub fn postgres_base() -> String {
    std::env::var("ODYSSEY_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

async fn fresh_postgres_db() -> Option<(String, String)> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let base = postgres_base();
    let mut conn = match tokio::time::timeout(
        std::time::Duration::from_secs(3),
        sqlx::AnyConnection::connect(&base),
    )
    .await
    {
        Ok(Ok(c)) => c,
        _ => {
            eprintln!("SKIP: no PostgreSQL answers at {base} (set ODYSSEY_TEST_POSTGRES)");
            return None;
        }
    };
    let name = odyssey_server::db::new_id("odyssey_test_");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut conn)
        .await
        .expect("CREATE DATABASE");
    let url = match base.rfind('/') {
        Some(i) => format!("{}/{name}", &base[..i]),
        None => panic!("bad ODYSSEY_TEST_POSTGRES {base}"),
    };
    Some((url, name))
}

impl Ws {
    /// SQLite in a temporary folder.
    pub async fn sqlite(analyzer: Arc<dyn Analyzer>) -> Ws {
        let dir = tempfile::tempdir().unwrap();
        let state = Self::open(dir.path().into(), None, analyzer).await;
        Ws {
            state,
            dir,
            pg: None,
        }
    }

    /// A fresh PostgreSQL database, or `None` (with a message) when no server answers.
    pub async fn postgres(analyzer: Arc<dyn Analyzer>) -> Option<Ws> {
        let (url, name) = fresh_postgres_db().await?;
        let dir = tempfile::tempdir().unwrap();
        let state = Self::open(dir.path().into(), Some(url.clone()), analyzer).await;
        Some(Ws {
            state,
            dir,
            pg: Some((url, name)),
        })
    }

    pub fn config(dir: PathBuf, db: Option<String>) -> Config {
        let mut c = Config::new(dir);
        c.database_url = db;
        c.max_upload_bytes = 1 << 20;
        c.workers = 2;
        c
    }

    async fn open(dir: PathBuf, db: Option<String>, analyzer: Arc<dyn Analyzer>) -> AppState {
        odyssey_server::ops::open_state(Self::config(dir, db), analyzer)
            .await
            .unwrap()
    }

    /// Drops the PostgreSQL test database.
    pub async fn cleanup(self) {
        self.state.db.pool.close().await;
        if let Some((_, name)) = self.pg {
            use sqlx::Connection;
            let mut conn = sqlx::AnyConnection::connect(&postgres_base())
                .await
                .unwrap();
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE {name}")))
                .execute(&mut conn)
                .await
                .unwrap();
        }
    }

    pub async fn user(&self, name: &str, role: Role, projects: &[&str]) -> String {
        let projects: Vec<String> = projects.iter().map(|s| s.to_string()).collect();
        let mut tx = self.state.db.begin_write().await.unwrap();
        let (_, token) = odyssey_server::db::users::add_user(&mut tx, name, role, &projects)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        token
    }

    /// Sends a request; returns status and body (JSON when it parses, else a string).
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, Value) {
        let app = odyssey_server::build_router(self.state.clone());
        let resp = app.oneshot(req).await.unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let v = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
        (status, v)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut r = Request::get(path);
        if let Some(t) = token {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        self.send(r.body(Body::empty()).unwrap()).await
    }

    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Value,
    ) -> (StatusCode, Value) {
        let r = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        self.send(r).await
    }

    pub async fn upload(&self, token: &str, fields: &[(&str, &str, &[u8])]) -> (StatusCode, Value) {
        let (ct, body) = multipart(fields);
        let r = Request::post("/api/v1/cases")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", ct)
            .body(Body::from(body))
            .unwrap();
        self.send(r).await
    }

    /// Waits until an analysis is done or failed (at most 60 s).
    pub async fn wait_analysis(&self, token: &str, id: &str) -> Value {
        for _ in 0..600 {
            let (_, v) = self
                .get(&format!("/api/v1/analyses/{id}"), Some(token))
                .await;
            if v["status"] == "done" || v["status"] == "failed" {
                return v;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("analysis {id} did not finish");
    }
}

/// A multipart/form-data body: (field, file name or "" for a text field, content).
pub fn multipart(fields: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "odysseytestboundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, file, content) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        if file.is_empty() {
            body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            );
        } else {
            body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(content);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A small valid phenopacket.
pub fn phenopacket(id: &str) -> Vec<u8> {
    serde_json::json!({
        "id": id,
        "subject": { "id": "P1", "sex": "FEMALE" },
        "phenotypicFeatures": [
            { "type": { "id": "HP:0001250", "label": "Seizure" } },
            { "type": { "id": "HP:0001263", "label": "Global developmental delay" } }
        ],
        "metaData": { "phenopacketSchemaVersion": "2.0" }
    })
    .to_string()
    .into_bytes()
}

/// Runs a test body on SQLite, then on PostgreSQL when a server answers.
#[macro_export]
macro_rules! both_databases {
    ($name:ident, $body:path) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let mut ws = $crate::common::Ws::sqlite($crate::common::scripted(
                    "k1",
                    vec![("A", vec!["OMIM:1"])],
                ))
                .await;
                $body(&mut ws).await;
                ws.cleanup().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(mut ws) = $crate::common::Ws::postgres($crate::common::scripted(
                    "k1",
                    vec![("A", vec!["OMIM:1"])],
                ))
                .await
                else {
                    return;
                };
                $body(&mut ws).await;
                ws.cleanup().await;
            }
        }
    };
}
