//! Querying other MME nodes: `POST <base_url>/match` to every `[[outgoing]]` node in
//! parallel, each with its own timeout; a node that is down, slow or answers badly yields
//! an error for that node only.
//!
//! Plain HTTP/1.1 through hyper-util's client (no TLS in this build; see
//! [`crate::config`]). Requests are sent as `application/vnd.ga4gh.matchmaker.v1.0+json`
//! (the form every v1 node accepts); answers of any v1.x are read, checked against the
//! specification ([`crate::validate`], server level) and returned with their raw JSON.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::header;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;

use crate::config::Outgoing;
use crate::media;
use crate::model::{media_type, MatchRequest, MatchResponse};
use crate::validate::{self, Level, Violation};

/// Largest answer read from a node, bytes.
pub const MAX_RESPONSE_BYTES: usize = 32 << 20;

/// Why one node gave no usable answer.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NodeError {
    /// No answer within the node's timeout.
    #[error("no answer within {seconds} s")]
    Timeout {
        /// The timeout.
        seconds: f64,
    },
    /// The request could not be sent or the answer not read (connection refused, reset...).
    #[error("request failed: {message}")]
    Transport {
        /// Cause.
        message: String,
    },
    /// A status other than 200, with the node's `message` when it gave one.
    #[error("HTTP {status}: {message}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The node's message, or the start of its body.
        message: String,
    },
    /// The answer is not JSON, or not a v1 MME media type.
    #[error("unreadable answer: {message}")]
    Unreadable {
        /// What is wrong.
        message: String,
    },
    /// The answer breaks the specification.
    #[error(
        "answer does not follow the MME specification: {}",
        validate::summary(violations)
    )]
    Invalid {
        /// The violations.
        violations: Vec<Violation>,
    },
}

/// A node's usable answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeAnswer {
    /// The parsed answer.
    pub response: MatchResponse,
    /// The answer as received.
    pub raw: serde_json::Value,
    /// The answer's `Content-Type`.
    pub content_type: String,
    /// Time to answer, milliseconds.
    pub elapsed_ms: u64,
}

/// The outcome for one node.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeOutcome {
    /// The node's `name`.
    pub node: String,
    /// The URL queried.
    pub url: String,
    /// The answer or the error.
    pub result: Result<NodeAnswer, NodeError>,
}

/// An HTTP client for MME nodes (cheap to clone; connections are pooled).
#[derive(Clone)]
pub struct MmeClient {
    http: Client<HttpConnector, Full<Bytes>>,
}

impl Default for MmeClient {
    fn default() -> Self {
        Self::new()
    }
}

impl MmeClient {
    /// A client.
    pub fn new() -> Self {
        MmeClient {
            http: Client::builder(TokioExecutor::new()).build_http(),
        }
    }

    /// Queries every node in parallel; one outcome per node, in the order of `nodes`.
    pub async fn query_all(&self, nodes: &[Outgoing], request: &MatchRequest) -> Vec<NodeOutcome> {
        let request = Arc::new(request.clone());
        let mut set = tokio::task::JoinSet::new();
        for (i, node) in nodes.iter().cloned().enumerate() {
            let (client, request) = (self.clone(), Arc::clone(&request));
            set.spawn(async move { (i, client.query(&node, &request).await) });
        }
        let mut out: Vec<Option<NodeOutcome>> = vec![None; nodes.len()];
        while let Some(joined) = set.join_next().await {
            if let Ok((i, o)) = joined {
                out[i] = Some(o);
            }
        }
        out.into_iter()
            .enumerate()
            .map(|(i, o)| {
                o.unwrap_or_else(|| NodeOutcome {
                    node: nodes[i].name.clone(),
                    url: nodes[i].match_url(),
                    result: Err(NodeError::Transport {
                        message: "query task failed".into(),
                    }),
                })
            })
            .collect()
    }

    /// Queries one node within its timeout.
    pub async fn query(&self, node: &Outgoing, request: &MatchRequest) -> NodeOutcome {
        let url = node.match_url();
        let started = Instant::now();
        let timeout = node.timeout();
        let result =
            match tokio::time::timeout(timeout, self.send(&url, &node.token, request)).await {
                Ok(r) => r.map(|(response, raw, content_type)| NodeAnswer {
                    response,
                    raw,
                    content_type,
                    elapsed_ms: started.elapsed().as_millis() as u64,
                }),
                Err(_) => Err(NodeError::Timeout {
                    seconds: duration_secs(timeout),
                }),
            };
        NodeOutcome {
            node: node.name.clone(),
            url,
            result,
        }
    }

    async fn send(
        &self,
        url: &str,
        token: &str,
        request: &MatchRequest,
    ) -> Result<(MatchResponse, serde_json::Value, String), NodeError> {
        let transport = |e: &dyn std::fmt::Display| NodeError::Transport {
            message: e.to_string(),
        };
        let body = serde_json::to_vec(request).map_err(|e| transport(&e))?;
        let req = hyper::Request::post(url)
            .header(header::CONTENT_TYPE, media_type(0))
            .header(
                header::ACCEPT,
                format!("{}, {}", media_type(0), media_type(1)),
            )
            .header(crate::router::AUTH_HEADER, token)
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| transport(&e))?;
        let resp = self
            .http
            .request(req)
            .await
            .map_err(|e| transport(&error_chain(&e)))?;
        let status = resp.status();
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = Limited::new(resp.into_body(), MAX_RESPONSE_BYTES)
            .collect()
            .await
            .map_err(|e| transport(&e))?
            .to_bytes();
        if !status.is_success() {
            let message = serde_json::from_slice::<serde_json::Value>(&bytes)
                .ok()
                .and_then(|v| {
                    v.get("message")
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| {
                    String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned()
                });
            return Err(NodeError::Status {
                status: status.as_u16(),
                message,
            });
        }
        let mime = content_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if mime != "application/json" && !matches!(media::mme_version(&mime), Some((1, _))) {
            return Err(NodeError::Unreadable {
                message: format!("Content-Type {content_type:?} is not an MME v1.x media type"),
            });
        }
        let raw: serde_json::Value =
            serde_json::from_slice(&bytes).map_err(|e| NodeError::Unreadable {
                message: format!("not JSON: {e}"),
            })?;
        let violations = validate::response(&raw, Level::Server);
        if !violations.is_empty() {
            return Err(NodeError::Invalid { violations });
        }
        let response = serde_json::from_value(raw.clone()).map_err(|e| NodeError::Unreadable {
            message: e.to_string(),
        })?;
        Ok((response, raw, content_type))
    }
}

fn duration_secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The error and its causes, joined (`connection refused` is usually a cause).
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
