//! The reanalysis inbox: cases of the user's projects whose candidates changed after a
//! reanalysis (new knowledge base or sources), with what changed.

use axum::extract::State;
use axum::response::Html;

use super::session::WebUser;
use super::{render, ser, PageResult};
use crate::db::reanalysis;
use crate::AppState;

/// `GET /inbox`.
pub async fn page(State(s): State<AppState>, web: WebUser) -> PageResult<Html<String>> {
    let mut conn = s.db.pool.acquire().await?;
    let items = reanalysis::inbox(&mut conn, &web.user.projects).await?;
    render(
        "inbox.html",
        minijinja::context! {
            title => "Reanalysis inbox", user => web.user.name, csrf => web.csrf, nav => "inbox",
            items => ser(&items),
        },
    )
}
