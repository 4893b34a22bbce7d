//! The MME media type `application/vnd.ga4gh.matchmaker.vX.Y+json` in `Content-Type` and
//! `Accept` headers (search-api.md, "Versioning"): minor versions of one major version are
//! compatible; this node speaks major version 1.

/// What a `Content-Type` header says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentType {
    /// An MME media type of major version 1, with this minor version.
    V1(u32),
    /// An MME media type of another major version (`"2.0"`).
    OtherVersion(String),
    /// Not an MME media type (or absent).
    Other,
}

/// Parses one media type (parameters after `;` ignored, case-insensitive); `None` if it is
/// not `application/vnd.ga4gh.matchmaker.vX.Y+json`, else `(X, Y)`.
pub fn mme_version(media: &str) -> Option<(u32, u32)> {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let v = m
        .strip_prefix("application/vnd.ga4gh.matchmaker.v")?
        .strip_suffix("+json")?;
    let (x, y) = v.split_once('.')?;
    Some((x.parse().ok()?, y.parse().ok()?))
}

/// Classifies a `Content-Type` header value.
pub fn content_type(header: Option<&str>) -> ContentType {
    match header.and_then(mme_version) {
        Some((1, y)) => ContentType::V1(y),
        Some((x, y)) => ContentType::OtherVersion(format!("{x}.{y}")),
        None => ContentType::Other,
    }
}

/// Whether an `Accept` header allows an MME v1 answer: absent, or listing `*/*`,
/// `application/*`, `application/json` or an MME v1.x type. An `Accept` naming only other
/// media types is refused with a 406.
pub fn accepts_v1(header: Option<&str>) -> bool {
    let Some(h) = header else { return true };
    if h.trim().is_empty() {
        return true;
    }
    h.split(',').any(|item| {
        let m = item
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        matches!(m.as_str(), "*/*" | "application/*" | "application/json")
            || matches!(mme_version(&m), Some((1, _)))
    })
}

/// The media type of our answer to a request of minor version `minor`: the same minor
/// version when we know it (1.0, 1.1), else our latest (1.1).
pub fn answer_media_type(minor: u32) -> String {
    crate::model::media_type(minor.min(1))
}

/// The latest media type we support.
pub fn latest_media_type() -> String {
    crate::model::media_type(1)
}
