//! The workspace as a Matchmaker Exchange node (`odyssey serve --mme FILE`, `docs/mme.md`).
//!
//! * [`MmeNode`]: the loaded configuration, the knowledge base the matcher uses, the outgoing
//!   client and the state of `odyssey_mme`'s router, mounted at `/mme` by [`mount`].
//! * [`record`]: a stored case as an MME patient record (the phenopacket's features, sex and
//!   genes, plus the genes reviewers kept as candidates).
//! * [`backend`]: [`odyssey_mme::MatchBackend`] over the database: the shared cases, and every
//!   answered query logged (`mme_incoming`, and `mme.match_sent` audit entries per case).
//! * [`outgoing`]: `POST /api/v1/cases/{id}/matches`: every outgoing node queried in parallel,
//!   the answers summarised (with locally computed phenotype scores) and stored.

pub mod backend;
pub mod outgoing;
pub mod record;

use std::path::Path;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::any;
use axum::{Json, Router};
use odyssey_kb::KnowledgeBase;
use odyssey_mme::{GeneResolver, MmeClient, MmeConfig, MmeState, NodeSettings};

use crate::db::Db;
use crate::error::ApiError;
use crate::storage::BlobStore;
use crate::AppState;

/// A workspace configured as an MME node.
pub struct MmeNode {
    /// The `[[incoming]]` and `[[outgoing]]` nodes.
    pub config: MmeConfig,
    /// Knowledge base for phenotype scores (HPO ontology and information content).
    pub kb: Arc<KnowledgeBase>,
    /// Gene id resolution (HGNC symbols, NCBI Gene ids) on that knowledge base.
    pub genes: GeneResolver,
    /// Client for the outgoing nodes.
    pub client: MmeClient,
    /// State of the `/mme` router.
    pub router_state: MmeState,
}

impl MmeNode {
    /// Loads the configuration file and the knowledge base (`kb`: an `.odkb` file, `None` =
    /// the embedded one) and builds the node over the database.
    /// Errors are texts naming the file.
    pub fn open(
        config_path: &Path,
        kb: Option<&Path>,
        db: Db,
        blobs: BlobStore,
    ) -> Result<MmeNode, String> {
        let config = MmeConfig::load(config_path).map_err(|e| e.to_string())?;
        let kb = load_kb(kb)?;
        let backend = Arc::new(backend::DbBackend::new(db, blobs));
        let router_state =
            MmeState::new(backend, config.clone(), kb.clone(), NodeSettings::default());
        Ok(MmeNode {
            genes: GeneResolver::from_kb(&kb),
            config,
            kb,
            client: MmeClient::new(),
            router_state,
        })
    }
}

fn load_kb(path: Option<&Path>) -> Result<Arc<KnowledgeBase>, String> {
    match path {
        Some(p) => KnowledgeBase::load(p).map_err(|e| format!("{}: {e}", p.display())),
        None => KnowledgeBase::embedded().map_err(|e| format!("embedded knowledge base: {e}")),
    }
    .map(Arc::new)
}

/// The MME node of the state, or the 409 answered by the sharing and matching API when the
/// server was started without `--mme`.
pub fn require(s: &AppState) -> Result<&MmeNode, ApiError> {
    s.mme.as_deref().ok_or_else(|| {
        ApiError::Conflict(
            "Matchmaker Exchange is not configured on this server (start it with \
             `odyssey serve --mme FILE`, see docs/mme.md)"
                .into(),
        )
    })
}

/// Mounts `/mme` on the application: the MME router of the node, or, without `--mme`, a JSON
/// 404 saying the workspace is not an MME node.
pub fn mount(app: Router, node: Option<&MmeNode>) -> Router {
    match node {
        Some(n) => app.nest("/mme", odyssey_mme::mme_router(n.router_state.clone())),
        None => {
            let not_configured = || async {
                let body = serde_json::json!({
                    "message": "this workspace is not a Matchmaker Exchange node (odyssey serve --mme FILE)"
                });
                (StatusCode::NOT_FOUND, Json(body)).into_response()
            };
            app.route("/mme", any(not_configured))
                .route("/mme/{*rest}", any(not_configured))
        }
    }
}
