//! The MME node configuration: a TOML file with `[[incoming]]` entries (the nodes allowed to
//! query us, each with the token it sends in `X-Auth-Token`) and `[[outgoing]]` entries (the
//! nodes we query: `base_url` is the node's MME root, `/match` is appended).
//!
//! ```toml
//! [[incoming]]
//! name = "Centre A"
//! token = "a-long-random-secret"
//!
//! [[outgoing]]
//! name = "Centre B"
//! base_url = "http://mme.centre-b.example/mme"
//! token = "the-token-centre-b-gave-us"
//! timeout_seconds = 20   # optional, default 30
//! ```
//!
//! Errors name the file and the entry (`incoming[2]`, with its `name` when it has one).

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Default time allowed to an outgoing node for one query.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A node allowed to query us.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Incoming {
    /// Display name (used in the audit log and metrics).
    pub name: String,
    /// The `X-Auth-Token` it sends.
    pub token: String,
}

/// A node we query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outgoing {
    /// Display name.
    pub name: String,
    /// The node's MME root, `http://host[:port][/path]`; `/match` is appended.
    pub base_url: String,
    /// The `X-Auth-Token` we send.
    pub token: String,
    /// Time allowed for one query, seconds (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<f64>,
}

impl Outgoing {
    /// `base_url` + `/match` (one slash).
    pub fn match_url(&self) -> String {
        format!("{}/match", self.base_url.trim_end_matches('/'))
    }

    /// The timeout for one query.
    pub fn timeout(&self) -> Duration {
        self.timeout_seconds
            .map(Duration::from_secs_f64)
            .unwrap_or(DEFAULT_TIMEOUT)
    }
}

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MmeConfig {
    /// Nodes allowed to query us.
    #[serde(default)]
    pub incoming: Vec<Incoming>,
    /// Nodes we query.
    #[serde(default)]
    pub outgoing: Vec<Outgoing>,
}

/// A configuration error, naming the file and, for a rule broken by one entry, the entry.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read the MME configuration: {source}")]
    Io {
        /// File.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// Not TOML, or not the expected shape (the TOML message gives line and column).
    #[error("{path}: not a valid MME configuration: {message}")]
    Syntax {
        /// File.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// An entry breaks a rule.
    #[error("{path}: {entry}: {message}")]
    Entry {
        /// File.
        path: PathBuf,
        /// `incoming[0] ("Centre A")`.
        entry: String,
        /// What is wrong and what was expected.
        message: String,
    },
}

impl MmeConfig {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<MmeConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::parse(&text, path)
    }

    /// Parses and checks configuration text; `path` is used in messages.
    ///
    /// Rules: non-empty names and tokens; names unique within each list; incoming tokens
    /// unique (a token identifies its node); `base_url` starting with `http://` (this build
    /// has no TLS client: reach HTTPS nodes through a local TLS proxy); timeouts positive.
    pub fn parse(text: &str, path: &Path) -> Result<MmeConfig, ConfigError> {
        let cfg: MmeConfig = toml::from_str(text).map_err(|e| ConfigError::Syntax {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        cfg.check(path)?;
        Ok(cfg)
    }

    fn check(&self, path: &Path) -> Result<(), ConfigError> {
        let err = |list: &str, i: usize, name: &str, message: String| ConfigError::Entry {
            path: path.to_path_buf(),
            entry: if name.trim().is_empty() {
                format!("{list}[{i}]")
            } else {
                format!("{list}[{i}] ({name:?})")
            },
            message,
        };
        for (i, e) in self.incoming.iter().enumerate() {
            if e.name.trim().is_empty() {
                return Err(err(
                    "incoming",
                    i,
                    &e.name,
                    "`name` must not be empty".into(),
                ));
            }
            if e.token.trim().is_empty() {
                return Err(err(
                    "incoming",
                    i,
                    &e.name,
                    "`token` must not be empty".into(),
                ));
            }
            if let Some(j) = self.incoming[..i].iter().position(|o| o.name == e.name) {
                return Err(err(
                    "incoming",
                    i,
                    &e.name,
                    format!("same name as incoming[{j}]"),
                ));
            }
            if let Some(j) = self.incoming[..i].iter().position(|o| o.token == e.token) {
                return Err(err(
                    "incoming",
                    i,
                    &e.name,
                    format!("same token as incoming[{j}]; each node needs its own token"),
                ));
            }
        }
        for (i, e) in self.outgoing.iter().enumerate() {
            if e.name.trim().is_empty() {
                return Err(err(
                    "outgoing",
                    i,
                    &e.name,
                    "`name` must not be empty".into(),
                ));
            }
            if e.token.trim().is_empty() {
                return Err(err(
                    "outgoing",
                    i,
                    &e.name,
                    "`token` must not be empty".into(),
                ));
            }
            if let Some(j) = self.outgoing[..i].iter().position(|o| o.name == e.name) {
                return Err(err(
                    "outgoing",
                    i,
                    &e.name,
                    format!("same name as outgoing[{j}]"),
                ));
            }
            if let Err(m) = check_base_url(&e.base_url) {
                return Err(err("outgoing", i, &e.name, m));
            }
            if let Some(t) = e.timeout_seconds {
                if !(t.is_finite() && t > 0.0) {
                    return Err(err(
                        "outgoing",
                        i,
                        &e.name,
                        format!(
                            "`timeout_seconds` must be a positive number of seconds, found {t}"
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The name of the incoming node whose token is `token` (compared in constant time).
    pub fn incoming_node(&self, token: &str) -> Option<&str> {
        let mut found = None;
        for e in &self.incoming {
            if constant_time_eq(e.token.as_bytes(), token.as_bytes()) {
                found = Some(e.name.as_str());
            }
        }
        found
    }
}

fn check_base_url(u: &str) -> Result<(), String> {
    if u.starts_with("https://") {
        return Err(format!("`base_url` {u:?}: https is not supported by this build (no TLS client); use http:// through a local TLS proxy"));
    }
    let rest = u
        .strip_prefix("http://")
        .ok_or_else(|| format!("`base_url` {u:?}: expected http://host[:port][/path]"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("`base_url` {u:?}: no host"));
    }
    u.parse::<hyper::Uri>()
        .map(|_| ())
        .map_err(|e| format!("`base_url` {u:?}: not a valid URL ({e})"))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
