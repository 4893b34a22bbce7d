//! `GET /api/v1/cases` a page at a time (`limit`, `offset`, `total`, `next`, `previous`) on
//! SQLite and, when a server answers, PostgreSQL; more cases than the default page.

mod common;

use axum::http::StatusCode;
use common::Ws;
use odyssey_server::db::cases::{insert, insert_blob, NewCase};
use odyssey_server::db::users::Role;

/// Stores `n` cases of `project`, 2 ms apart so that their times differ; returns their ids in
/// insertion order (oldest first).
async fn store_cases(ws: &Ws, project: &str, n: usize) -> Vec<String> {
    let mut ids = Vec::new();
    let sha = "0".repeat(64);
    for i in 0..n {
        let mut tx = ws.state.db.begin_write().await.unwrap();
        insert_blob(&mut tx, &sha, 1).await.unwrap();
        let id = format!("c_{project}_{i:04}");
        let label = format!("L{i}");
        insert(
            &mut tx,
            &NewCase {
                id: &id,
                project,
                label: &label,
                case_file: ("case.json", &sha),
                vcf: None,
                ped: None,
                created_by: "test",
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        ids.push(id);
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    ids
}

fn ids(v: &serde_json::Value) -> Vec<String> {
    v["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

async fn pages(ws: &mut Ws) {
    let t = ws.user("pat", Role::Clinician, &["big", "small"]).await;
    let other = ws.user("oz", Role::Clinician, &["elsewhere"]).await;
    let mut big = store_cases(ws, "big", 130).await;
    store_cases(ws, "elsewhere", 3).await;
    big.reverse(); // newest first
                   // default page: 100 of 130, a next link, no previous one
    let (s, v) = ws.get("/api/v1/cases?project=big", Some(&t)).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(
        (v["total"].as_u64(), v["limit"].as_u64()),
        (Some(130), Some(100))
    );
    assert_eq!(ids(&v), big[..100]);
    assert_eq!(v["next"], "/api/v1/cases?limit=100&offset=100&project=big");
    assert!(v["previous"].is_null());
    // following the next links with pages of 30 visits every case once, in order
    let mut seen = Vec::new();
    let mut link = Some("/api/v1/cases?limit=30".to_string());
    let mut n_pages = 0;
    while let Some(l) = link {
        let (s, v) = ws.get(&l, Some(&t)).await;
        assert_eq!(s, StatusCode::OK, "{l}: {v}");
        assert_eq!(v["total"], 130, "another project's cases are not counted");
        seen.extend(ids(&v));
        link = v["next"].as_str().map(String::from);
        n_pages += 1;
    }
    assert_eq!((n_pages, seen), (5, big.clone())); // 30+30+30+30+10
                                                   // the last page links back
    let (_, v) = ws.get("/api/v1/cases?limit=30&offset=120", Some(&t)).await;
    assert_eq!(ids(&v), big[120..]);
    assert_eq!(v["previous"], "/api/v1/cases?limit=30&offset=90");
    assert!(v["next"].is_null());
    // beyond the end: empty, total still given
    let (s, v) = ws.get("/api/v1/cases?offset=500", Some(&t)).await;
    assert_eq!(
        (s, ids(&v).len(), v["total"].as_u64()),
        (StatusCode::OK, 0, Some(130))
    );
    // a status filter is kept in the links
    let (_, v) = ws.get("/api/v1/cases?status=new&limit=1", Some(&t)).await;
    assert_eq!(v["next"], "/api/v1/cases?limit=1&offset=1&status=new");
    let (_, v) = ws.get("/api/v1/cases?status=solved", Some(&t)).await;
    assert_eq!(v["total"], 0);
    // bad limits: 400 with a message naming the range
    for q in ["limit=0", "limit=1001", "limit=x", "offset=-1"] {
        let (s, v) = ws.get(&format!("/api/v1/cases?{q}"), Some(&t)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{q}: {v}");
        assert!(v["message"].is_string(), "{q}: {v}");
    }
    let (_, v) = ws.get("/api/v1/cases?limit=1000", Some(&t)).await;
    assert_eq!(ids(&v).len(), 130);
    // the other user sees only their 3
    let (_, v) = ws.get("/api/v1/cases", Some(&other)).await;
    assert_eq!((ids(&v).len(), v["total"].as_u64()), (3, Some(3)));
}
both_databases!(pages_db, super::pages);
