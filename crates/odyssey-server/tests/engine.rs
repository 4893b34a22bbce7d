//! The real analysis through the API: the README's example trio uploaded with its VCF and PED
//! ranks MLC1 first (AR), and the stored report is the one the library's own JSON renderer
//! (what `odyssey analyze --format json` writes) gives for the same files, except for the
//! fields that name the run (command, time, input paths).

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::StatusCode;
use common::Ws;
use odyssey_server::db::users::Role;
use odyssey_server::engine::EngineAnalyzer;
use serde_json::{json, Value};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/family")
}

/// The report without what names the run: command line, creation time, file paths and the
/// role name of the case document.
fn without_run_fields(mut r: Value) -> Value {
    let o = &mut r["odyssey"];
    o.as_object_mut().unwrap().remove("command");
    o.as_object_mut().unwrap().remove("created");
    for key in ["inputs", "sources"] {
        for i in o[key].as_array_mut().into_iter().flatten() {
            i.as_object_mut().unwrap().remove("path");
            i.as_object_mut().unwrap().remove("role");
        }
    }
    // warnings open with the input file as given: the CLI's path, the server's upload name
    for w in r["warnings"].as_array_mut().into_iter().flatten() {
        if let Some((path, rest)) = w.as_str().and_then(|s| s.split_once(": ")) {
            if let Some((_, base)) = path.rsplit_once('/') {
                *w = Value::String(format!("{base}: {rest}"));
            }
        }
    }
    r
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn example_trio_through_the_api() {
    let ex = examples();
    let sources = ex.join("sources.toml");
    let analyzer = EngineAnalyzer::open(None, Some(sources.clone()), 20).unwrap();
    let ws = Ws::sqlite(Arc::new(analyzer)).await;
    let t = ws.user("alice", Role::Clinician, &["neuro"]).await;
    let _workers = odyssey_server::jobs::spawn_workers(ws.state.job_context(), 1, false);
    let read = |n: &str| std::fs::read(ex.join(n)).unwrap();
    let (case, vcf, ped) = (
        read("family.json"),
        read("family.vcf.gz"),
        read("family.ped"),
    );
    // the test configuration limits uploads to 1 MiB; the example VCF is smaller
    assert!(vcf.len() < 1_000_000, "{}", vcf.len());
    let (s, v) = ws
        .upload(
            &t,
            &[
                ("project", "", b"neuro"),
                ("case", "family.json", &case),
                ("vcf", "family.vcf.gz", &vcf),
                ("ped", "family.ped", &ped),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let (s, v) = ws
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/analyses"),
            &t,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    let aid = v["id"].as_str().unwrap().to_string();
    let done = ws.wait_analysis(&t, &aid).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["kb_release"], "2025-01-16");
    assert_eq!(done["settings"]["top"], 20);
    let (s, report) = ws
        .get(&format!("/api/v1/analyses/{aid}/report"), Some(&t))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(report["genes"][0]["symbol"], "MLC1");
    assert_eq!(report["genes"][0]["modes_of_inheritance"], json!(["AR"]));
    // the server's storage folders never show: warnings name the file as uploaded
    let warnings = report["warnings"].as_array().unwrap();
    assert!(warnings
        .iter()
        .any(|w| w.as_str().unwrap().starts_with("family.vcf.gz: ")));
    let data_dir = ws.dir.path().to_string_lossy().into_owned();
    assert!(
        !report.to_string().contains(&data_dir),
        "{}",
        report["warnings"]
    );
    // the same analysis straight from the library, as the CLI runs it
    let engine = odyssey::Engine::open(None).unwrap();
    let mut r = odyssey::AnalysisRequest::new(odyssey::CaseSource::File(ex.join("family.json")));
    r.vcf = Some(ex.join("family.vcf.gz"));
    r.ped = Some(ex.join("family.ped"));
    r.sources = Some(sources);
    let direct = engine.analyze(&r).unwrap();
    let bytes = odyssey::output::render(&direct, odyssey::output::Format::Json).unwrap();
    let direct: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(
        without_run_fields(report.clone()),
        without_run_fields(direct)
    );
    // the other renderings come from the same stored report
    let req = axum::http::Request::get(format!("/api/v1/analyses/{aid}/report?format=tsv"))
        .header("authorization", format!("Bearer {t}"))
        .body(axum::body::Body::empty())
        .unwrap();
    let (s, tsv) = ws.send(req).await;
    assert_eq!(s, StatusCode::OK);
    let tsv = tsv.as_str().unwrap();
    let first = tsv.lines().find(|l| l.starts_with("1\t")).unwrap();
    assert!(first.contains("\tMLC1\t"), "{first}");
    let (s, _) = ws
        .get(
            &format!("/api/v1/analyses/{aid}/report?format=pdf"),
            Some(&t),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unusable_case_fails_with_the_reason() {
    let analyzer = EngineAnalyzer::open(None, None, 20).unwrap();
    let ws = Ws::sqlite(Arc::new(analyzer)).await;
    let t = ws.user("alice", Role::Clinician, &["neuro"]).await;
    let _workers = odyssey_server::jobs::spawn_workers(ws.state.job_context(), 1, false);
    // parses as a phenopacket, but HP:9999999 is no term of the release
    let doc = json!({ "id": "bad", "subject": { "id": "s" },
        "phenotypicFeatures": [ { "type": { "id": "HP:9999999", "label": "?" } } ],
        "metaData": { "phenopacketSchemaVersion": "2.0" } });
    let (s, v) = ws
        .upload(
            &t,
            &[
                ("project", "", b"neuro"),
                ("case", "bad.json", doc.to_string().as_bytes()),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    let (_, v) = ws
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/analyses"),
            &t,
            json!({}),
        )
        .await;
    let done = ws.wait_analysis(&t, v["id"].as_str().unwrap()).await;
    assert_eq!(done["status"], "failed");
    assert!(
        done["error"].as_str().unwrap().contains("HP:9999999"),
        "{done}"
    );
}
