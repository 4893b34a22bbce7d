//! # odyssey-mme
//!
//! Odyssey as a node of the GA4GH Matchmaker Exchange (MME API v1.1, `search-api.md`,
//! `heartbeat-api.md`, `metrics-api.md` of github.com/ga4gh/mme-apis; Buske et al.,
//! "The Matchmaker Exchange API", Hum. Mutat. 36:922-927, 2015).
//!
//! * [`model`]: the request/response objects; [`validate`]: the specification's rules, every
//!   violation naming its field (`patient.features[2].id`).
//! * [`matching`]: patient scores in [0, 1] from shared genes (variant and zygosity weigh
//!   more) and HPO profile similarity on the knowledge base; [`match_patients`].
//! * [`router::mme_router`]: `POST /match`, `GET /heartbeat`, `GET /metrics` over a
//!   [`backend::MatchBackend`] that supplies the shared patients.
//! * [`config`]: the `[[incoming]]`/`[[outgoing]]` TOML file; [`client`]: queries every
//!   outgoing node in parallel, one outcome per node.
//! * [`convert`]: a GA4GH Phenopacket as an MME patient record; [`benchmark`]: gene-partner
//!   ranking (top-k, MRR, MAP).
//!
//! Score definition and benchmark figures: `docs/mme.md`.

pub mod backend;
pub mod benchmark;
pub mod client;
pub mod config;
pub mod convert;
pub mod genes;
pub mod matching;
pub mod media;
pub mod metrics;
pub mod model;
pub mod profile;
pub mod router;
pub mod validate;

pub use backend::{InMemoryBackend, MatchBackend, MatchEvent};
pub use client::{MmeClient, NodeError, NodeOutcome};
pub use config::MmeConfig;
pub use genes::GeneResolver;
pub use matching::{match_patients, MatchOptions, Matcher, Normalisation, ScoredMatch};
pub use model::{MatchRequest, MatchResponse, Patient};
pub use profile::PatientProfile;
pub use router::{mme_router, MmeState, NodeSettings};
