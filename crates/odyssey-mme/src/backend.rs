//! Where the shared patients come from and where answered requests go: the
//! [`MatchBackend`] the workspace server implements over its database of shared cases (and
//! audit log), and [`InMemoryBackend`] for tests and small deployments.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, RwLock};

use serde::{Deserialize, Serialize};

use crate::model::Patient;

/// The future returned by backend methods (boxed so the trait is object-safe).
pub type BackendFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, BackendError>> + Send + 'a>>;

/// A backend failure; the message is logged, the querying node gets a 500 without it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BackendError(pub String);

/// One answered `POST /match`, for the audit log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchEvent {
    /// Name of the querying node (its `[[incoming]]` entry).
    pub node: String,
    /// The query patient's id at the querying node.
    pub query_patient_id: String,
    /// Whether the query was a test (`"test": true`).
    pub test: bool,
    /// API version of the request, e.g. `1.0`.
    pub api_version: String,
    /// The returned patients, best first: (our patient id, score).
    pub results: Vec<(String, f64)>,
    /// Canonical keys of the genes matched on.
    pub genes_matched: Vec<String>,
}

/// The source of the patients a node shares. Methods are async (boxed futures) so that a
/// database-backed implementation can await its queries.
pub trait MatchBackend: Send + Sync + 'static {
    /// The patients users chose to share, as MME patient records with the contact to show
    /// other centres. `query` is the incoming query (an implementation may pre-filter on
    /// it, e.g. by gene, but may return every shared patient; the matcher scores them all);
    /// `None` asks for every shared patient (metrics). Records with `test: true` are only
    /// matched by test queries.
    fn shared_patients<'a>(&'a self, query: Option<&'a Patient>)
        -> BackendFuture<'a, Vec<Patient>>;

    /// Records an answered request (audit log). An error fails the request with a 500.
    fn record<'a>(&'a self, event: &'a MatchEvent) -> BackendFuture<'a, ()>;
}

/// Patients and events kept in memory.
#[derive(Debug, Default)]
pub struct InMemoryBackend {
    patients: RwLock<Vec<Patient>>,
    events: Mutex<Vec<MatchEvent>>,
}

impl InMemoryBackend {
    /// A backend sharing `patients`.
    pub fn new(patients: Vec<Patient>) -> Self {
        InMemoryBackend {
            patients: RwLock::new(patients),
            events: Mutex::new(Vec::new()),
        }
    }

    /// Shares one more patient, replacing a shared patient with the same id.
    pub fn share(&self, p: Patient) {
        let mut ps = self.patients.write().unwrap_or_else(|e| e.into_inner());
        ps.retain(|x| x.id != p.id);
        ps.push(p);
    }

    /// Withdraws a patient; whether it was shared.
    pub fn withdraw(&self, id: &str) -> bool {
        let mut ps = self.patients.write().unwrap_or_else(|e| e.into_inner());
        let n = ps.len();
        ps.retain(|x| x.id != id);
        ps.len() != n
    }

    /// The events recorded so far.
    pub fn events(&self) -> Vec<MatchEvent> {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

impl MatchBackend for InMemoryBackend {
    fn shared_patients<'a>(
        &'a self,
        _query: Option<&'a Patient>,
    ) -> BackendFuture<'a, Vec<Patient>> {
        let ps = self
            .patients
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        Box::pin(async move { Ok(ps) })
    }

    fn record<'a>(&'a self, event: &'a MatchEvent) -> BackendFuture<'a, ()> {
        self.events
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(event.clone());
        Box::pin(async { Ok(()) })
    }
}
