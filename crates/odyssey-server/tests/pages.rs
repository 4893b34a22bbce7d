//! The web pages in-process (tower `oneshot`): sign-in, CSRF refusal, session expiry and
//! sign-out, new case upload, and project isolation of the case page.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use odyssey_server::analysis::{Analyzer, CaseInputs, Outcome};
use odyssey_server::db::users::Role;
use odyssey_server::pages::session;
use odyssey_server::{build_router, AppState, Config};
use tower::ServiceExt;

/// An analyzer that is never run by these tests (no workers are started).
struct Idle;

impl Analyzer for Idle {
    fn engine_key(&self) -> String {
        "idle".into()
    }
    fn settings(&self) -> serde_json::Value {
        serde_json::json!({})
    }
    fn kb_release(&self) -> String {
        "2025-01-16".into()
    }
    fn analyze(&self, _: &CaseInputs, _: &dyn Fn(f64, &str)) -> Result<Outcome, String> {
        Err("not used in these tests".into())
    }
}

struct App {
    _dir: tempfile::TempDir,
    state: AppState,
    router: Router,
}

async fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let config = Config::new(dir.path());
    let state = odyssey_server::ops::open_state(config, Arc::new(Idle))
        .await
        .unwrap();
    for (name, project) in [("ada", "neuro"), ("bob", "cardio")] {
        let mut tx = state.db.begin_write().await.unwrap();
        odyssey_server::db::users::add_user(&mut tx, name, Role::Clinician, &[project.into()])
            .await
            .unwrap();
        assert!(
            session::set_password(&mut tx, name, &format!("{name}-password-1"))
                .await
                .unwrap()
        );
        tx.commit().await.unwrap();
    }
    let router = build_router(state.clone());
    App {
        _dir: dir,
        state,
        router,
    }
}

struct Resp {
    status: StatusCode,
    location: Option<String>,
    cookies: Vec<String>,
    body: String,
}

async fn send(app: &App, req: Request<Body>) -> Resp {
    let r = app.router.clone().oneshot(req).await.unwrap();
    let status = r.status();
    let location = r
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string());
    let cookies = r
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let body = String::from_utf8_lossy(&r.into_body().collect().await.unwrap().to_bytes()).into();
    Resp {
        status,
        location,
        cookies,
        body,
    }
}

fn get(path: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(path);
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::empty()).unwrap()
}

fn post_form(path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Request<Body> {
    let body = form
        .iter()
        .map(|(k, v)| format!("{}={}", k, session::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    let mut b =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

fn cookie_value<'a>(set_cookies: &'a [String], name: &str) -> Option<&'a str> {
    set_cookies
        .iter()
        .find_map(|c| c.strip_prefix(&format!("{name}=")))
        .map(|rest| rest.split(';').next().unwrap())
}

/// Signs in; the session cookie ("odyssey_session=…") and the page's CSRF token.
async fn sign_in(app: &App, name: &str, password: &str) -> (String, String) {
    let form = send(app, get("/signin", None)).await;
    assert_eq!(form.status, StatusCode::OK);
    let pre = cookie_value(&form.cookies, session::SIGNIN_COOKIE)
        .unwrap()
        .to_string();
    let r = send(
        app,
        post_form(
            "/signin",
            Some(&format!("{}={pre}", session::SIGNIN_COOKIE)),
            &[
                ("name", name),
                ("password", password),
                ("csrf", &pre),
                ("next", "/cases"),
            ],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some("/cases"));
    let sid = cookie_value(&r.cookies, session::COOKIE)
        .expect("session cookie")
        .to_string();
    let cookie = format!("{}={sid}", session::COOKIE);
    let page = send(app, get("/cases", Some(&cookie))).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page
        .body
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a form with a csrf field")
        .to_string();
    (cookie, csrf)
}

/// A multipart body with text fields and files.
fn multipart(fields: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "odysseyBoundary7MA4YWxk";
    let mut body = Vec::new();
    for (name, file, data) in fields {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match file {
            Some(f) => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
            ),
            None => body.extend_from_slice(
                format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
            ),
        }
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &App, cookie: &str, fields: &[(&str, Option<&str>, &[u8])]) -> Resp {
    let (ct, body) = multipart(fields);
    let req = Request::post("/cases/new")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, ct)
        .body(Body::from(body))
        .unwrap();
    send(app, req).await
}

fn family_json() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/family/family.json"
    ))
    .unwrap()
}

#[tokio::test]
async fn sign_in_with_password_and_cookie_flags() {
    let app = app().await;
    // not signed in: the pages redirect to the sign-in page, keeping the destination
    let r = send(&app, get("/cases?status=new", None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location.as_deref(),
        Some("/signin?next=/cases%3Fstatus%3Dnew")
    );
    // a wrong password is refused, with the form again
    let form = send(&app, get("/signin", None)).await;
    let pre = cookie_value(&form.cookies, session::SIGNIN_COOKIE)
        .unwrap()
        .to_string();
    let pre_cookie = format!("{}={pre}", session::SIGNIN_COOKIE);
    let bad = send(
        &app,
        post_form(
            "/signin",
            Some(&pre_cookie),
            &[
                ("name", "ada"),
                ("password", "bob-password-1"),
                ("csrf", &pre),
            ],
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert!(bad.body.contains("wrong password"));
    assert!(cookie_value(&bad.cookies, session::COOKIE).is_none());
    // the right one opens a session; the cookie is HttpOnly and SameSite=Strict, not Secure on
    // plain HTTP, Secure behind a TLS proxy
    let ok = send(
        &app,
        post_form(
            "/signin",
            Some(&pre_cookie),
            &[
                ("name", "ada"),
                ("password", "ada-password-1"),
                ("csrf", &pre),
            ],
        ),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let set = ok
        .cookies
        .iter()
        .find(|c| c.starts_with("odyssey_session="))
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict"),
        "{set}"
    );
    assert!(!set.contains("Secure"), "{set}");
    let mut tls = post_form(
        "/signin",
        Some(&pre_cookie),
        &[
            ("name", "ada"),
            ("password", "ada-password-1"),
            ("csrf", &pre),
        ],
    );
    tls.headers_mut()
        .insert("x-forwarded-proto", "https".parse().unwrap());
    let ok_tls = send(&app, tls).await;
    let set = ok_tls
        .cookies
        .iter()
        .find(|c| c.starts_with("odyssey_session="))
        .unwrap();
    assert!(set.contains("; Secure"), "{set}");
    // the stored hash is argon2id, not the password
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let h: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE name = 'ada'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert!(h.starts_with("$argon2id$") && !h.contains("ada-password-1"));
}

#[tokio::test]
async fn forms_without_the_csrf_token_are_refused() {
    let app = app().await;
    // sign-in form without its token
    let r = send(
        &app,
        post_form(
            "/signin",
            None,
            &[("name", "ada"), ("password", "ada-password-1")],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (cookie, csrf) = sign_in(&app, "ada", "ada-password-1").await;
    let (ct, body) = multipart(&[
        ("csrf", None, csrf.as_bytes()),
        ("project", None, b"neuro"),
        ("case", Some("family.json"), &family_json()),
    ]);
    let created = send(
        &app,
        Request::post("/cases/new")
            .header(header::COOKIE, &cookie)
            .header(header::CONTENT_TYPE, ct)
            .body(Body::from(body))
            .unwrap(),
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let case_path = created.location.unwrap();
    // a comment without the token, and with a wrong one: 403, nothing stored
    for form in [
        vec![("body", "no token")],
        vec![("body", "wrong token"), ("csrf", "0000")],
    ] {
        let r = send(
            &app,
            post_form(&format!("{case_path}/comment"), Some(&cookie), &form),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    }
    // a new case without the token: 403 and no case
    let r = upload(
        &app,
        &cookie,
        &[
            ("project", None, b"neuro"),
            ("case", Some("family.json"), &family_json()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let page = send(&app, get(&case_path, Some(&cookie))).await;
    assert!(!page.body.contains("no token") && !page.body.contains("wrong token"));
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM comments")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!((n, cases), (0, 1));
    // with the token the same comment goes through and lands in the audit trail
    let r = send(
        &app,
        post_form(
            &format!("{case_path}/comment"),
            Some(&cookie),
            &[("body", "looks like MLC"), ("csrf", &csrf)],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&app, get(&case_path, Some(&cookie))).await;
    assert!(page.body.contains("looks like MLC") && page.body.contains("comment.add"));
}

#[tokio::test]
async fn sessions_expire_and_sign_out_ends_them() {
    let app = app().await;
    let (cookie, csrf) = sign_in(&app, "ada", "ada-password-1").await;
    // sign out without the token is refused and keeps the session
    let r = send(&app, post_form("/signout", Some(&cookie), &[])).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        send(&app, get("/cases", Some(&cookie))).await.status,
        StatusCode::OK
    );
    let r = send(
        &app,
        post_form("/signout", Some(&cookie), &[("csrf", &csrf)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r
        .cookies
        .iter()
        .any(|c| c.starts_with("odyssey_session=;") && c.contains("Max-Age=0")));
    // the old cookie no longer works
    let r = send(&app, get("/cases", Some(&cookie))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(r.location.unwrap().starts_with("/signin"));
    // a session past its expiry is refused
    let (cookie2, _) = sign_in(&app, "ada", "ada-password-1").await;
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    sqlx::query("UPDATE web_sessions SET expires_at = '2000-01-01T00:00:00.000Z'")
        .execute(&mut *conn)
        .await
        .unwrap();
    let r = send(&app, get("/cases", Some(&cookie2))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = send(&app, get("/hpo/search?q=seizure", Some(&cookie2))).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn another_projects_case_page_is_not_found() {
    let app = app().await;
    let (ada, ada_csrf) = sign_in(&app, "ada", "ada-password-1").await;
    let r = upload(
        &app,
        &ada,
        &[
            ("csrf", None, ada_csrf.as_bytes()),
            ("project", None, b"neuro"),
            ("case", Some("family.json"), &family_json()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let case_path = r.location.unwrap();
    assert_eq!(
        send(&app, get(&case_path, Some(&ada))).await.status,
        StatusCode::OK
    );
    let (bob, bob_csrf) = sign_in(&app, "bob", "bob-password-1").await;
    for path in [
        case_path.clone(),
        format!("{case_path}/report"),
        format!("{case_path}/progress"),
    ] {
        let r = send(&app, get(&path, Some(&bob))).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!r.body.contains("FAM1"), "{path} reveals the case");
    }
    let r = send(
        &app,
        post_form(
            &format!("{case_path}/comment"),
            Some(&bob),
            &[("body", "x"), ("csrf", &bob_csrf)],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = send(
        &app,
        post_form(
            &format!("{case_path}/run"),
            Some(&bob),
            &[("csrf", &bob_csrf)],
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // nor in bob's list or search; in ada's
    let link = format!("href=\"{case_path}\"");
    let bobs = send(&app, get("/cases?q=FAM1", Some(&bob))).await.body;
    assert!(!bobs.contains(&link) && bobs.contains("No cases match"));
    assert!(!send(&app, get("/cases", Some(&bob)))
        .await
        .body
        .contains(&link));
    assert!(send(&app, get("/cases?q=FAM1", Some(&ada)))
        .await
        .body
        .contains(&link));
    assert!(send(&app, get("/cases?q=HP:0007341", Some(&ada)))
        .await
        .body
        .contains(&link));
    assert!(!send(&app, get("/cases?q=HP:0000118", Some(&ada)))
        .await
        .body
        .contains(&link));
    // bob cannot upload into ada's project
    let r = upload(
        &app,
        &bob,
        &[
            ("csrf", None, bob_csrf.as_bytes()),
            ("project", None, b"neuro"),
            ("case", Some("family.json"), &family_json()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn new_case_from_entered_terms_and_term_search() {
    let app = app().await;
    let (cookie, csrf) = sign_in(&app, "ada", "ada-password-1").await;
    // the term box's search, over the embedded HPO: "seizure" finds HP:0001250 Seizure first
    let r = send(&app, get("/hpo/search?q=seizure", Some(&cookie))).await;
    assert_eq!(r.status, StatusCode::OK);
    let hits: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(hits[0]["id"], "HP:0001250");
    assert_eq!(hits[0]["label"], "Seizure");
    let r = upload(
        &app,
        &cookie,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("project", None, b"neuro"),
            ("label", None, b"P-77"),
            ("sex", None, b"FEMALE"),
            ("age", None, b"P2Y"),
            ("observed", None, b"HP:0001250"),
            ("observed", None, b"HP:0001263"),
            ("excluded", None, b"HP:0000252"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = send(&app, get(&r.location.unwrap(), Some(&cookie))).await;
    assert!(page.body.contains("Case P-77"), "{}", page.body);
    // the stored phenopacket parses back with the terms, labels from the knowledge base
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let sha: String = sqlx::query_scalar("SELECT case_sha256 FROM cases WHERE label = 'P-77'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    let doc: serde_json::Value =
        serde_json::from_slice(&app.state.blobs.read_verified(&sha).unwrap()).unwrap();
    let f = &doc["phenotypicFeatures"];
    assert_eq!(f[1]["type"]["label"], "Global developmental delay");
    assert_eq!(f[2]["type"]["id"], "HP:0000252");
    assert_eq!(f[2]["excluded"], true);
    assert_eq!(
        doc["subject"]["timeAtLastEncounter"]["age"]["iso8601duration"],
        "P2Y"
    );
    // an unknown term is a clear 422 naming it
    let r = upload(
        &app,
        &cookie,
        &[
            ("csrf", None, csrf.as_bytes()),
            ("project", None, b"neuro"),
            ("label", None, b"P-78"),
            ("observed", None, b"HP:9999999"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("HP:9999999"));
}

#[tokio::test]
async fn api_tokens_are_created_and_revoked_by_their_owner_only() {
    let app = app().await;
    let (ada, ada_csrf) = sign_in(&app, "ada", "ada-password-1").await;
    let r = send(
        &app,
        post_form("/tokens", Some(&ada), &[("csrf", &ada_csrf)]),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let token = r
        .body
        .split("value=\"ody_")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(|s| format!("ody_{s}"))
        .expect("the new token is shown once");
    let api = |t: &str| {
        Request::get("/api/v1/cases")
            .header(header::AUTHORIZATION, format!("Bearer {t}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(send(&app, api(&token)).await.status, StatusCode::OK);
    // the form names the token by the SHA-256 of its text, derived here independently
    let hash = odyssey_server::db::users::token_hash(&token);
    assert!(r.body.contains(&hash[..12]), "fingerprint listed");
    // another user cannot revoke it
    let (bob, bob_csrf) = sign_in(&app, "bob", "bob-password-1").await;
    let other = send(
        &app,
        post_form(
            "/tokens/revoke",
            Some(&bob),
            &[("csrf", &bob_csrf), ("token_hash", &hash)],
        ),
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, api(&token)).await.status, StatusCode::OK);
    // without the CSRF token nothing happens
    let forged = send(
        &app,
        post_form(
            "/tokens/revoke",
            Some(&ada),
            &[("csrf", "x"), ("token_hash", &hash)],
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, api(&token)).await.status, StatusCode::OK);
    // the owner revokes it: the API refuses it from then on, and the page says revoked
    let done = send(
        &app,
        post_form(
            "/tokens/revoke",
            Some(&ada),
            &[("csrf", &ada_csrf), ("token_hash", &hash)],
        ),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("revoked"));
    assert_eq!(
        send(&app, api(&token)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let again = send(
        &app,
        post_form(
            "/tokens/revoke",
            Some(&ada),
            &[("csrf", &ada_csrf), ("token_hash", &hash)],
        ),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let mut conn = app.state.db.pool.acquire().await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'token.revoke'")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn the_case_list_is_paged() {
    let a = app().await;
    let sha = "0".repeat(64);
    for i in 0..57 {
        let mut tx = a.state.db.begin_write().await.unwrap();
        odyssey_server::db::cases::insert_blob(&mut tx, &sha, 1)
            .await
            .unwrap();
        let id = format!("c_page_{i:03}");
        odyssey_server::db::cases::insert(
            &mut tx,
            &odyssey_server::db::cases::NewCase {
                id: &id,
                project: "neuro",
                label: &format!("label-{i:03}"),
                case_file: ("case.json", &sha),
                vcf: None,
                ped: None,
                created_by: "ada",
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    let (cookie, _) = sign_in(&a, "ada", "ada-password-1").await;
    // page 1: the 50 newest (56 down to 7), a next link, no previous one (the template
    // escapes `/` as `&#x2f;` and `&` as `&amp;` in attributes)
    let p1 = send(&a, get("/cases?status=new", Some(&cookie))).await;
    assert_eq!(p1.status, StatusCode::OK);
    assert!(p1.body.contains("Cases 1–50 of 57"), "{}", p1.body);
    assert!(p1.body.contains("label-056") && p1.body.contains("label-007"));
    assert!(!p1.body.contains("label-006"));
    assert!(
        p1.body
            .contains(r#"href="&#x2f;cases?status=new&amp;page=2" rel="next""#),
        "{}",
        p1.body
    );
    assert!(!p1.body.contains("rel=\"prev\""));
    // page 2: the 7 oldest, a link back to page 1 with the filter kept
    let p2 = send(&a, get("/cases?status=new&page=2", Some(&cookie))).await;
    assert!(p2.body.contains("Cases 51–57 of 57"), "{}", p2.body);
    assert!(p2.body.contains("label-006") && p2.body.contains("label-000"));
    assert!(!p2.body.contains("label-007"));
    assert!(
        p2.body
            .contains(r#"href="&#x2f;cases?status=new" rel="prev""#),
        "{}",
        p2.body
    );
    assert!(!p2.body.contains("rel=\"next\""));
}
