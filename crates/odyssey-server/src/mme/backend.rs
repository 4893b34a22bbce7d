//! [`DbBackend`]: the shared cases as MME records, and every answered incoming query logged.

use odyssey_mme::backend::{BackendError, BackendFuture};
use odyssey_mme::{MatchBackend, MatchEvent, Patient};

use crate::db::{audit, mme, now, Db};
use crate::storage::BlobStore;

/// The database behind the `/mme` router.
pub struct DbBackend {
    db: Db,
    blobs: BlobStore,
}

impl DbBackend {
    /// A backend over the workspace's database and files.
    pub fn new(db: Db, blobs: BlobStore) -> Self {
        DbBackend { db, blobs }
    }

    async fn shared(&self) -> Result<Vec<Patient>, BackendError> {
        let shares = {
            let mut conn = self.db.pool.acquire().await.map_err(db_error)?;
            mme::active_shares(&mut conn).await.map_err(db_error)?
        };
        let mut out = Vec::with_capacity(shares.len());
        for s in &shares {
            match super::record::case_patient(
                &self.db,
                &self.blobs,
                &s.case_id,
                super::record::contact(&s.contact),
            )
            .await
            {
                Ok(p) => out.push(p),
                // one unreadable case must not stop the others being matched
                Err(e) => {
                    tracing::warn!(case = %s.case_id, error = %e, "shared case left out of MME matching")
                }
            }
        }
        Ok(out)
    }

    async fn log(&self, e: &MatchEvent) -> Result<(), BackendError> {
        let at = now();
        let ids: Vec<String> = e.results.iter().map(|(id, _)| id.clone()).collect();
        let mut tx = self.db.begin_write().await.map_err(db_error)?;
        mme::insert_incoming(&mut tx, e, &at)
            .await
            .map_err(db_error)?;
        let projects = mme::projects_of(&mut tx, &ids).await.map_err(db_error)?;
        let actor = format!("mme:{}", e.node);
        for (rank, (case_id, score)) in e.results.iter().enumerate() {
            let Some((_, project)) = projects.iter().find(|(id, _)| id == case_id) else {
                continue;
            };
            audit::record(
                &mut tx,
                audit::Change {
                    actor: &actor,
                    project: Some(project),
                    case_id: Some(case_id),
                    action: "mme.match_sent",
                    target: Some(&e.node),
                    before: None,
                    after: Some(serde_json::json!({
                        "node": e.node, "query_patient_id": e.query_patient_id,
                        "score": score, "rank": rank + 1, "test": e.test,
                    })),
                },
            )
            .await
            .map_err(db_error)?;
        }
        tx.commit().await.map_err(db_error)
    }
}

fn db_error(e: sqlx::Error) -> BackendError {
    BackendError(format!("database: {e}"))
}

impl MatchBackend for DbBackend {
    fn shared_patients<'a>(
        &'a self,
        _query: Option<&'a Patient>,
    ) -> BackendFuture<'a, Vec<Patient>> {
        Box::pin(self.shared())
    }

    fn record<'a>(&'a self, event: &'a MatchEvent) -> BackendFuture<'a, ()> {
        Box::pin(self.log(event))
    }
}
