//! The REST contract in-process (router + `oneshot`), on SQLite and, when a server answers,
//! PostgreSQL: authentication (401), project isolation (403/404), uploads (201, 413, 422),
//! review and case workflow with their audit entries, the append-only log, jobs.

mod common;

use axum::http::StatusCode;
use common::{phenopacket, Ws};
use odyssey_server::db::users::Role;
use serde_json::json;

async fn auth_and_isolation(ws: &mut Ws) {
    let alice = ws.user("alice", Role::Clinician, &["neuro"]).await;
    let bob = ws.user("bob", Role::Clinician, &["cardio"]).await;
    // no token, malformed header, unknown token: 401 with a JSON message
    let (s, v) = ws.get("/api/v1/cases", None).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(v["message"].as_str().unwrap().contains("token"), "{v}");
    let (s, _) = ws.get("/api/v1/cases", Some("ody_0000")).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    // health and the OpenAPI document need no token
    let (s, v) = ws.get("/api/v1/health", None).await;
    assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (s, v) = ws.get("/api/v1/openapi.json", None).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        v["paths"]["/api/v1/cases/{id}/analyses"]["post"].is_object(),
        "{v}"
    );
    // alice uploads into her project
    let (s, v) = ws
        .upload(
            &alice,
            &[
                ("project", "", b"neuro"),
                ("case", "case.json", &phenopacket("PX1")),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let id = v["id"].as_str().unwrap().to_string();
    // ... but not into bob's: 403
    let (s, _) = ws
        .upload(
            &alice,
            &[
                ("project", "", b"cardio"),
                ("case", "case.json", &phenopacket("PX2")),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // bob sees nothing of alice's: empty list, 404 on the case, its audit and analyses
    let (s, v) = ws.get("/api/v1/cases", Some(&bob)).await;
    assert_eq!(
        (s, v["cases"].as_array().unwrap().len()),
        (StatusCode::OK, 0)
    );
    assert_eq!(v["total"], 0);
    for path in [
        format!("/api/v1/cases/{id}"),
        format!("/api/v1/cases/{id}/audit"),
        format!("/api/v1/cases/{id}/reviews"),
    ] {
        let (s, _) = ws.get(&path, Some(&bob)).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    let (s, _) = ws
        .json(
            "PATCH",
            &format!("/api/v1/cases/{id}"),
            &bob,
            json!({ "status": "solved" }),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = ws
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/analyses"),
            &bob,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = ws.get("/api/v1/cases?project=neuro", Some(&bob)).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // alice sees her case with its label and checksum
    let (s, v) = ws.get(&format!("/api/v1/cases/{id}"), Some(&alice)).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["label"], "PX1");
    assert_eq!(v["status"], "new");
    assert_eq!(v["case_file"]["sha256"].as_str().unwrap().len(), 64);
}
both_databases!(auth_and_isolation_db, super::auth_and_isolation);

async fn uploads_rejected(ws: &mut Ws) {
    let t = ws.user("carol", Role::Clinician, &["p"]).await;
    // larger than the 1 MiB limit of the test configuration: 413
    let big = vec![b'#'; 1200 * 1024];
    let (s, v) = ws
        .upload(
            &t,
            &[
                ("project", "", b"p"),
                ("case", "case.json", &phenopacket("A")),
                ("vcf", "x.vcf", &big),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{v}");
    assert!(v["message"].is_string());
    // not a phenopacket: 422 naming the problem
    let (s, v) = ws
        .upload(
            &t,
            &[("project", "", b"p"), ("case", "case.json", b"{\"id\": 3")],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    // missing case, unknown field: 400
    let (s, _) = ws.upload(&t, &[("project", "", b"p")]).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = ws
        .upload(
            &t,
            &[
                ("project", "", b"p"),
                ("case", "c.json", &phenopacket("A")),
                ("x", "", b"1"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    // nothing was stored, no file left behind in the upload area
    let (_, v) = ws.get("/api/v1/cases", Some(&t)).await;
    assert_eq!(v["cases"].as_array().unwrap().len(), 0);
    let tmp = ws.dir.path().join("blobs/tmp");
    assert_eq!(std::fs::read_dir(tmp).unwrap().count(), 0);
}
both_databases!(uploads_rejected_db, super::uploads_rejected);

async fn review_and_audit(ws: &mut Ws) {
    let a = ws.user("alice", Role::Clinician, &["neuro"]).await;
    let _b = ws.user("dave", Role::Clinician, &["neuro"]).await;
    let (_, v) = ws
        .upload(
            &a,
            &[
                ("project", "", b"neuro"),
                ("case", "c.json", &phenopacket("PX")),
            ],
        )
        .await;
    let id = v["id"].as_str().unwrap().to_string();
    let review = |status: &str, crit: Vec<&str>, class: Option<&str>| {
        json!({ "target_kind": "variant", "target": "16:3254626:G:A", "status": status,
                "acmg_criteria": crit, "acmg_class": class })
    };
    let path = format!("/api/v1/cases/{id}/reviews");
    let (s, v) = ws
        .json("PUT", &path, &a, review("candidate", vec!["PM2"], None))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (s, _) = ws
        .json(
            "PUT",
            &path,
            &a,
            review(
                "causative",
                vec!["PVS1", "PM2_Supporting"],
                Some("pathogenic"),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = ws
        .json("PUT", &path, &a, review("causative", vec!["PX9"], None))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = ws
        .json(
            "PUT",
            &path,
            &a,
            json!({ "target_kind": "gene", "target": "MLC1", "status": "great" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (s, _) = ws
        .json(
            "POST",
            &format!("/api/v1/cases/{id}/comments"),
            &a,
            json!({ "body": "segregates", "target_kind": "gene", "target": "MLC1" }),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, v) = ws
        .json(
            "PATCH",
            &format!("/api/v1/cases/{id}"),
            &a,
            json!({ "status": "in_review", "assignee": "dave" }),
        )
        .await;
    assert_eq!(
        (s, v["assignee"].as_str()),
        (StatusCode::OK, Some("dave")),
        "{v}"
    );
    let (s, _) = ws
        .json(
            "PATCH",
            &format!("/api/v1/cases/{id}"),
            &a,
            json!({ "assignee": "bob-not-member" }),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // the audit trail, oldest first: who, what, before, after
    let (_, log) = ws.get(&format!("/api/v1/cases/{id}/audit"), Some(&a)).await;
    let log = log.as_array().unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "case.create",
            "review.set",
            "review.set",
            "comment.add",
            "case.status",
            "case.assignee"
        ]
    );
    assert!(log.iter().all(|e| e["actor"] == "alice"));
    assert!(log[1]["before"].is_null());
    assert_eq!(log[2]["before"]["status"], "candidate");
    assert_eq!(log[2]["after"]["status"], "causative");
    assert_eq!(log[2]["after"]["acmg_class"], "pathogenic");
    assert_eq!(log[2]["target"], "variant:16:3254626:G:A");
    assert_eq!(
        (log[4]["before"].as_str(), log[4]["after"].as_str()),
        (Some("new"), Some("in_review"))
    );
    assert_eq!(log[5]["after"], "dave");
    // append-only: the database refuses to change or delete entries
    for sql in [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
    ] {
        let e = sqlx::query(sql).execute(&ws.state.db.pool).await;
        assert!(e.is_err(), "{sql} was allowed");
    }
    let (_, log2) = ws.get(&format!("/api/v1/cases/{id}/audit"), Some(&a)).await;
    assert_eq!(log2.as_array().unwrap().len(), 6);
}
both_databases!(review_and_audit_db, super::review_and_audit);

async fn jobs_and_reanalysis(ws: &mut Ws) {
    let a = ws.user("alice", Role::Clinician, &["neuro"]).await;
    let admin = ws.user("root", Role::Admin, &["neuro"]).await;
    let workers = odyssey_server::jobs::spawn_workers(ws.state.job_context(), 2, false);
    let (_, v) = ws
        .upload(
            &a,
            &[
                ("project", "", b"neuro"),
                ("case", "c.json", &phenopacket("PX")),
            ],
        )
        .await;
    let case = v["id"].as_str().unwrap().to_string();
    let (s, v) = ws
        .json(
            "POST",
            &format!("/api/v1/cases/{case}/analyses"),
            &a,
            json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    let job = v["id"].as_str().unwrap().to_string();
    let done = ws.wait_analysis(&a, &job).await;
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["progress"], 1.0);
    let (s, report) = ws
        .get(&format!("/api/v1/analyses/{job}/report"), Some(&a))
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(report["genes"][0]["symbol"], "A");
    // a failing case: status failed with the analyzer's message, report 409
    let (_, v) = ws
        .upload(
            &a,
            &[
                ("project", "", b"neuro"),
                ("case", "c.json", &phenopacket("fail-me")),
            ],
        )
        .await;
    let bad = v["id"].as_str().unwrap().to_string();
    let (_, v) = ws
        .json(
            "POST",
            &format!("/api/v1/cases/{bad}/analyses"),
            &a,
            json!({}),
        )
        .await;
    let fj = v["id"].as_str().unwrap().to_string();
    let failed = ws.wait_analysis(&a, &fj).await;
    assert_eq!(failed["status"], "failed");
    assert!(failed["error"]
        .as_str()
        .unwrap()
        .contains("scripted failure"));
    let (s, _) = ws
        .get(&format!("/api/v1/analyses/{fj}/report"), Some(&a))
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    // reanalysis is admin-only
    let (s, _) = ws
        .json("POST", "/api/v1/admin/reanalyses", &a, json!({}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    for w in workers {
        w.abort();
    }
    // a "new knowledge base": gene B enters, A gains a disease
    let new = common::scripted(
        "k2",
        vec![("B", vec!["OMIM:9"]), ("A", vec!["OMIM:1", "OMIM:2"])],
    );
    ws.state.analyzer = new;
    let ws2 = &*ws;
    let (s, v) = ws2
        .json("POST", "/api/v1/admin/reanalyses", &admin, json!({}))
        .await;
    assert_eq!(
        (s, v["queued"].as_u64()),
        (StatusCode::ACCEPTED, Some(2)),
        "{v}"
    );
    let run = v["id"].as_str().unwrap().to_string();
    for w in odyssey_server::jobs::spawn_workers(ws2.state.job_context(), 2, true) {
        w.await.unwrap();
    }
    let (_, st) = ws2
        .get(&format!("/api/v1/admin/reanalyses/{run}"), Some(&admin))
        .await;
    assert_eq!(st["analyses"]["done"], 1, "{st}");
    assert_eq!(st["analyses"]["failed"], 1, "{st}");
    assert_eq!(st["noteworthy"], 1);
    let (_, inbox) = ws2.get("/api/v1/inbox", Some(&a)).await;
    let inbox = inbox.as_array().unwrap();
    assert_eq!(inbox.len(), 1, "{inbox:?}");
    assert_eq!(inbox[0]["case_id"], case);
    let ch = &inbox[0]["changes"];
    assert_eq!(ch["entered"][0]["symbol"], "B");
    assert_eq!(ch["moved"][0], json!({ "symbol": "A", "from": 1, "to": 2 }));
    let links: Vec<&str> = ch["new_links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["disease"].as_str().unwrap())
        .collect();
    assert_eq!(links, ["OMIM:9", "OMIM:2"]);
}
both_databases!(jobs_and_reanalysis_db, super::jobs_and_reanalysis);
