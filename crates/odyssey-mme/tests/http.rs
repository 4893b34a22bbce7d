//! The router over HTTP on loopback: status codes, and two Odyssey nodes matching each
//! other's patients through the outgoing client. Every request sent and every answer read is
//! checked against the specification at the strict level.

mod common;

use std::time::Duration;

use common::{patient, patients, send, start_node, V10};
use odyssey_mme::config::Outgoing;
use odyssey_mme::validate::{self, Level};
use odyssey_mme::{MatchRequest, MmeClient, NodeError, NodeSettings};
use serde_json::{json, Value};

fn body_of(p: &odyssey_mme::Patient) -> Vec<u8> {
    let r = MatchRequest {
        disclaimer: Some("test disclaimer".into()),
        terms: None,
        patient: p.clone(),
    };
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(validate::request(&v, Level::Strict), vec![]);
    serde_json::to_vec(&v).unwrap()
}

fn outgoing(name: &str, base_url: String, token: &str, timeout_seconds: Option<f64>) -> Outgoing {
    Outgoing {
        name: name.into(),
        base_url,
        token: token.into(),
        timeout_seconds,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_codes_and_json_messages() {
    let settings = NodeSettings {
        max_body_bytes: 4096,
        ..NodeSettings::default()
    };
    let node = start_node(
        patients("centre-b.json"),
        &[("Centre A", "token-a")],
        settings,
    )
    .await;
    let a = node.addr;
    let ok_body = body_of(&patient("centre-a.json", "A1"));
    let auth = ("X-Auth-Token", "token-a");
    let mme = ("Content-Type", V10);

    let r = send(a, "POST", "/mme/match", &[mme], ok_body.clone()).await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (401, Some("missing X-Auth-Token header"))
    );
    let r = send(
        a,
        "POST",
        "/mme/match",
        &[mme, ("X-Auth-Token", "nope")],
        ok_body.clone(),
    )
    .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (401, Some("unknown X-Auth-Token"))
    );
    let r = send(a, "GET", "/mme/heartbeat", &[], vec![]).await;
    assert_eq!(r.status, 401);

    let r = send(
        a,
        "POST",
        "/mme/match",
        &[auth, ("Content-Type", "application/json")],
        ok_body.clone(),
    )
    .await;
    assert_eq!(r.status, 415);
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .contains("application/vnd.ga4gh.matchmaker.v1.0+json"));

    let r = send(
        a,
        "POST",
        "/mme/match",
        &[
            auth,
            ("Content-Type", "application/vnd.ga4gh.matchmaker.v2.0+json"),
        ],
        ok_body.clone(),
    )
    .await;
    assert_eq!(r.status, 406);
    assert_eq!(r.body["supportedVersions"], json!(["1.0", "1.1"]));
    assert_eq!(r.content_type, "application/vnd.ga4gh.matchmaker.v1.1+json");
    let r = send(
        a,
        "POST",
        "/mme/match",
        &[
            auth,
            mme,
            ("Accept", "application/vnd.ga4gh.matchmaker.v2.0+json"),
        ],
        ok_body.clone(),
    )
    .await;
    assert_eq!(r.status, 406);

    let r = send(
        a,
        "POST",
        "/mme/match",
        &[auth, mme],
        b"{\"patient\": ".to_vec(),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .starts_with("request body is not JSON"));

    let mut bad: Value = serde_json::from_slice(&ok_body).unwrap();
    bad["patient"]["features"][2]["id"] = json!("HP:2910");
    let r = send(
        a,
        "POST",
        "/mme/match",
        &[auth, mme],
        serde_json::to_vec(&bad).unwrap(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "patient.features[2].id");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .contains("patient.features[2].id"));

    let mut many: Value = serde_json::from_slice(&ok_body).unwrap();
    many["patient"]["genomicFeatures"] = json!(vec![json!({"gene": {"id": "NGLY1"}}); 101]);
    let r = send(
        a,
        "POST",
        "/mme/match",
        &[auth, mme],
        serde_json::to_vec(&many).unwrap(),
    )
    .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["errors"][0]["field"], "patient.genomicFeatures");

    let mut big: Value = serde_json::from_slice(&ok_body).unwrap();
    big["patient"]["_padding"] = json!("x".repeat(5000));
    let r = send(
        a,
        "POST",
        "/mme/match",
        &[auth, mme],
        serde_json::to_vec(&big).unwrap(),
    )
    .await;
    assert_eq!(
        (r.status, r.body["message"].as_str()),
        (413, Some("request body larger than 4096 bytes"))
    );

    let r = send(a, "GET", "/mme/match", &[auth], vec![]).await;
    assert_eq!(r.status, 405);
    assert!(r.body["message"].is_string());

    // a v1.1 request with charset parameter is answered in v1.1
    let r = send(
        a,
        "POST",
        "/mme/match",
        &[
            auth,
            (
                "Content-Type",
                "application/vnd.ga4gh.matchmaker.v1.1+json; charset=utf-8",
            ),
        ],
        ok_body.clone(),
    )
    .await;
    assert_eq!(
        (r.status, r.content_type.as_str()),
        (200, "application/vnd.ga4gh.matchmaker.v1.1+json")
    );
    assert_eq!(validate::response(&r.body, Level::Strict), vec![]);
    let r = send(a, "POST", "/mme/match", &[auth, mme], ok_body).await;
    assert_eq!((r.status, r.content_type.as_str()), (200, V10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn heartbeat_and_metrics_count_test_queries_apart() {
    let node = start_node(
        patients("centre-b.json"),
        &[("Centre A", "token-a")],
        NodeSettings::default(),
    )
    .await;
    let auth = ("X-Auth-Token", "token-a");
    let hb = send(node.addr, "GET", "/mme/heartbeat", &[auth], vec![]).await;
    assert_eq!(hb.status, 200);
    assert_eq!(validate::heartbeat(&hb.body, Level::Strict), vec![]);
    assert_eq!(
        hb.body["heartbeat"]["accept"],
        json!([
            "application/vnd.ga4gh.matchmaker.v1.0+json",
            "application/vnd.ga4gh.matchmaker.v1.1+json"
        ])
    );

    let a1 = patient("centre-a.json", "A1");
    let mut test_query = a1.clone();
    test_query.test = true;
    for (q, expect_ids) in [(&a1, vec!["B1"]), (&test_query, vec!["B1", "B3"])] {
        let r = send(
            node.addr,
            "POST",
            "/mme/match",
            &[auth, ("Content-Type", V10)],
            body_of(q),
        )
        .await;
        assert_eq!(validate::response(&r.body, Level::Strict), vec![]);
        let ids: Vec<&str> = r.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["patient"]["id"].as_str().unwrap())
            .collect();
        // B3 (a test record) only answers test queries; B2 shares no gene and little phenotype
        assert_eq!(&ids[..expect_ids.len()], expect_ids.as_slice(), "{ids:?}");
    }
    let m = send(node.addr, "GET", "/mme/metrics", &[auth], vec![]).await;
    assert_eq!(m.status, 200);
    assert_eq!(validate::metrics(&m.body, Level::Strict), vec![]);
    let mm = &m.body["metrics"];
    // B1, B2 shared (B3 is a test record): 2 cases, 1 submitter href, 2 genes, 1 variant,
    // 7 features, 1 case with a disorder
    assert_eq!(mm["numberOfCases"], 2);
    assert_eq!(mm["numberOfSubmitters"], 1);
    assert_eq!(mm["numberOfGenes"], 2);
    assert_eq!(mm["numberOfVariants"], 1);
    assert_eq!(mm["numberOfFeatures"], 7);
    assert_eq!(mm["numberOfCasesWithDiagnosis"], 1);
    assert_eq!(mm["numberOfRequestsReceived"], 1);
    assert_eq!(mm["_testRequestsReceived"], 1);
    assert_eq!(mm["numberOfUniqueGenesMatched"], 1);
    let events = node.backend.events();
    assert_eq!(events.len(), 2);
    assert_eq!(
        (events[0].node.as_str(), events[0].test, events[1].test),
        ("Centre A", false, true)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_match_each_others_patients_and_a_dead_node_fails_alone() {
    let node_a = start_node(
        patients("centre-a.json"),
        &[("Centre B", "b-to-a")],
        NodeSettings::default(),
    )
    .await;
    let node_b = start_node(
        patients("centre-b.json"),
        &[("Centre A", "a-to-b")],
        NodeSettings::default(),
    )
    .await;
    // a port with nothing listening, and a listener that never answers
    let dead = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_addr = silent.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let client = MmeClient::new();

    // A asks B (and two broken nodes) about A1
    let a_out = vec![
        outgoing("Centre B", node_b.base_url(), "a-to-b", Some(5.0)),
        outgoing("Dead", format!("http://{dead}/mme"), "x", Some(5.0)),
        outgoing(
            "Silent",
            format!("http://{silent_addr}/mme"),
            "x",
            Some(0.3),
        ),
        outgoing(
            "Centre B, wrong token",
            node_b.base_url(),
            "wrong",
            Some(5.0),
        ),
    ];
    let a1 = patient("centre-a.json", "A1");
    body_of(&a1);
    let req = MatchRequest {
        disclaimer: None,
        terms: None,
        patient: a1,
    };
    let started = std::time::Instant::now();
    let outcomes = client.query_all(&a_out, &req).await;
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "the silent node held up the others"
    );
    assert_eq!(
        outcomes.iter().map(|o| o.node.as_str()).collect::<Vec<_>>(),
        ["Centre B", "Dead", "Silent", "Centre B, wrong token"]
    );
    let ans = outcomes[0].result.as_ref().unwrap();
    assert_eq!(validate::response(&ans.raw, Level::Strict), vec![]);
    assert_eq!(ans.response.results[0].patient.id, "B1");
    assert_eq!(ans.response.results[0].patient.contact.name, "Dr B. Beta");
    assert!(
        ans.response.results.iter().all(|r| r.patient.id != "B3"),
        "test record answered a real query"
    );
    assert!(
        matches!(&outcomes[1].result, Err(NodeError::Transport { .. })),
        "{:?}",
        outcomes[1].result
    );
    assert_eq!(outcomes[2].result, Err(NodeError::Timeout { seconds: 0.3 }));
    assert_eq!(
        outcomes[3].result,
        Err(NodeError::Status {
            status: 401,
            message: "unknown X-Auth-Token".into()
        })
    );

    // B asks A about B1
    let b_out = vec![outgoing("Centre A", node_a.base_url(), "b-to-a", None)];
    let b1 = patient("centre-b.json", "B1");
    body_of(&b1);
    let req = MatchRequest {
        disclaimer: None,
        terms: None,
        patient: b1,
    };
    let outcomes = client.query_all(&b_out, &req).await;
    let ans = outcomes[0].result.as_ref().unwrap();
    assert_eq!(validate::response(&ans.raw, Level::Strict), vec![]);
    let ids: Vec<&str> = ans
        .response
        .results
        .iter()
        .map(|r| r.patient.id.as_str())
        .collect();
    assert_eq!(ids[0], "A1", "{ids:?}");
    let scores: Vec<f64> = ans
        .response
        .results
        .iter()
        .map(|r| r.score.patient)
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert_eq!(node_a.backend.events()[0].node, "Centre B");
    assert_eq!(node_b.state.counters().requests, 1);
}
