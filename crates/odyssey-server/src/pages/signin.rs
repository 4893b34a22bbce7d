//! Sign in (name and password; a session cookie) and sign out.

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::session::{self, WebUser};
use super::{render, see_other, PageError, PageResult};
use crate::db::audit;
use crate::AppState;

/// Where to go after signing in.
#[derive(Deserialize, Default)]
pub struct Next {
    /// A local path (anything else is replaced by `/cases`).
    pub next: Option<String>,
}

fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/cases".into(),
    }
}

fn form_page(
    next: &str,
    error: Option<&str>,
    tls: bool,
    status: StatusCode,
) -> PageResult<Response> {
    let csrf = session::random_token();
    let html = render(
        "signin.html",
        minijinja::context! { title => "Sign in", next => next, error => error, csrf => csrf.clone() },
    )?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            session::set_cookie(session::SIGNIN_COOKIE, &csrf, 3600, tls),
        )],
        html,
    )
        .into_response())
}

/// `GET /signin`.
pub async fn form(headers: HeaderMap, Query(q): Query<Next>) -> PageResult<Response> {
    form_page(
        &local(q.next.as_deref()),
        None,
        session::over_tls(&headers),
        StatusCode::OK,
    )
}

/// The sign-in form.
#[derive(Deserialize)]
pub struct SignIn {
    /// User name.
    pub name: String,
    /// Password.
    pub password: String,
    /// Double-submit CSRF token (equals the `odyssey_signin` cookie).
    #[serde(default)]
    pub csrf: String,
    /// Where to go next.
    #[serde(default)]
    pub next: Option<String>,
}

/// `POST /signin`: checks the CSRF token, name and password; opens a session.
pub async fn submit(
    State(s): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<SignIn>,
) -> PageResult<Response> {
    let tls = session::over_tls(&headers);
    let cookie = session::cookie(&headers, session::SIGNIN_COOKIE).unwrap_or("");
    if cookie.is_empty() || !session::same(cookie, &f.csrf) {
        return Err(PageError::Forbidden(
            "The sign-in form has expired or did not come from this site (CSRF check failed). \
             Reload the sign-in page and try again."
                .into(),
        ));
    }
    let next = local(f.next.as_deref());
    let user_id = {
        let mut conn = s.db.pool.acquire().await?;
        session::check_password(&mut conn, f.name.trim(), &f.password).await?
    };
    let Some(user_id) = user_id else {
        return form_page(
            &next,
            Some("Unknown user name or wrong password."),
            tls,
            StatusCode::UNAUTHORIZED,
        );
    };
    let mut tx = s.db.begin_write().await?;
    let (sid, _) = session::open_session(&mut tx, &user_id).await?;
    audit::record(
        &mut tx,
        audit::Change {
            actor: f.name.trim(),
            project: None,
            case_id: None,
            action: "session.signin",
            target: None,
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    let mut resp = see_other(&next);
    let h = resp.headers_mut();
    for c in [
        session::set_cookie(session::COOKIE, &sid, session::SESSION_HOURS * 3600, tls),
        session::set_cookie(session::SIGNIN_COOKIE, "", 0, tls),
    ] {
        h.append(header::SET_COOKIE, c.parse().expect("cookie text is ASCII"));
    }
    Ok(resp)
}

/// A form with only its CSRF token.
#[derive(Deserialize)]
pub struct CsrfOnly {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
}

/// `POST /signout`: ends the session.
pub async fn signout(
    State(s): State<AppState>,
    headers: HeaderMap,
    web: WebUser,
    Form(f): Form<CsrfOnly>,
) -> PageResult<Response> {
    web.check_csrf(&f.csrf)?;
    let mut tx = s.db.begin_write().await?;
    session::close_session(&mut tx, &web.sid).await?;
    tx.commit().await?;
    let mut resp = see_other("/signin");
    resp.headers_mut().insert(
        header::SET_COOKIE,
        session::set_cookie(session::COOKIE, "", 0, session::over_tls(&headers))
            .parse()
            .expect("cookie text is ASCII"),
    );
    Ok(resp)
}
