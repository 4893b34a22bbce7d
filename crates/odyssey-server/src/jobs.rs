//! The job runner: `workers` tasks take queued analyses from the database (oldest first), run
//! each on a blocking thread, report progress and store the report (and, for a reanalysis,
//! what changed) in one transaction. The queue is the `analyses` table, so nothing is lost
//! when the server stops; interrupted jobs are queued again on start.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, Notify};

use crate::analysis::{Analyzer, CaseInputs};
use crate::db::{analyses, cases, Db};
use crate::diff::diff_reports;
use crate::storage::BlobStore;

/// What the workers share.
#[derive(Clone)]
pub struct JobContext {
    /// Database.
    pub db: Db,
    /// Uploaded files.
    pub blobs: BlobStore,
    /// The analysis.
    pub analyzer: Arc<dyn Analyzer>,
    /// Wakes idle workers when a job is queued.
    pub wake: Arc<Notify>,
    /// Folder for the files of running jobs.
    pub work_dir: PathBuf,
    /// N of the reanalysis "top N" comparison.
    pub top_n: u64,
}

/// Starts `workers` worker tasks; they run until the runtime stops. With `until_empty`, each
/// worker returns when no job for its engine is left (batch reanalysis).
pub fn spawn_workers(
    ctx: JobContext,
    workers: usize,
    until_empty: bool,
) -> Vec<tokio::task::JoinHandle<()>> {
    (0..workers.max(1))
        .map(|_| {
            let ctx = ctx.clone();
            tokio::spawn(async move { worker(ctx, until_empty).await })
        })
        .collect()
}

async fn worker(ctx: JobContext, until_empty: bool) {
    let key = ctx.analyzer.engine_key();
    loop {
        let claimed = async {
            let mut tx = ctx.db.begin_write().await?;
            let c = analyses::claim_next(&mut tx, &key).await?;
            tx.commit().await?;
            Ok::<_, sqlx::Error>(c)
        }
        .await;
        match claimed {
            Ok(Some(job)) => run_job(&ctx, job).await,
            Ok(None) if until_empty => return,
            Ok(None) => {
                let _ = tokio::time::timeout(Duration::from_secs(2), ctx.wake.notified()).await;
            }
            Err(e) => {
                tracing::error!(error = %e, "job queue: cannot claim a job");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn run_job(ctx: &JobContext, job: analyses::Claimed) {
    let result = execute(ctx, &job).await;
    let stored = async {
        let mut tx = ctx.db.begin_write().await?;
        match &result {
            Ok(report) => {
                analyses::finish_done(&mut tx, &job.id, report, &ctx.analyzer.kb_release()).await?;
                if let Some(prev) = &job.reanalysis_of {
                    record_changes(&mut tx, ctx.top_n, &job, prev, report).await?;
                }
            }
            Err(e) => analyses::finish_failed(&mut tx, &job.id, e).await?,
        }
        tx.commit().await
    }
    .await;
    if let Err(e) = stored {
        tracing::error!(analysis = %job.id, error = %e, "cannot store the analysis result");
    }
    let _ = tokio::fs::remove_dir_all(ctx.work_dir.join(&job.id)).await;
}

async fn record_changes(
    conn: &mut sqlx::AnyConnection,
    top_n: u64,
    job: &analyses::Claimed,
    prev: &str,
    report: &str,
) -> Result<(), sqlx::Error> {
    let Some(old) = analyses::report(conn, prev).await? else {
        return Ok(());
    };
    let (Ok(old), Ok(new)) = (
        serde_json::from_str::<serde_json::Value>(&old),
        serde_json::from_str::<serde_json::Value>(report),
    ) else {
        return Ok(());
    };
    let d = diff_reports(&old, &new, top_n);
    crate::db::reanalysis::insert_change(conn, &job.id, &job.case_id, prev, &d).await
}

/// Prepares the inputs, runs the analysis on a blocking thread and returns the JSON report.
async fn execute(ctx: &JobContext, job: &analyses::Claimed) -> Result<String, String> {
    let inputs = prepare_inputs(ctx, job)
        .await
        .map_err(|e| format!("cannot prepare the case files: {e}"))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<(f64, String)>();
    let analyzer = ctx.analyzer.clone();
    let task = tokio::task::spawn_blocking(move || {
        let progress = |f: f64, stage: &str| {
            let _ = tx.send((f, stage.to_string()));
        };
        analyzer.analyze(&inputs, &progress)
    });
    let db = ctx.db.clone();
    let id = job.id.clone();
    let progress_writer = tokio::spawn(async move {
        while let Some((f, stage)) = rx.recv().await {
            if let Ok(mut tx) = db.begin_write().await {
                let _ = analyses::set_progress(&mut tx, &id, f, &stage).await;
                let _ = tx.commit().await;
            }
        }
    });
    let outcome = task
        .await
        .map_err(|e| format!("the analysis stopped unexpectedly: {e}"))?;
    let _ = progress_writer.await;
    outcome.map(|o| o.report_json)
}

async fn prepare_inputs(
    ctx: &JobContext,
    job: &analyses::Claimed,
) -> Result<CaseInputs, Box<dyn std::error::Error + Send + Sync>> {
    let case = {
        let mut conn = ctx.db.pool.acquire().await?;
        cases::get(&mut conn, &job.case_id)
            .await?
            .ok_or_else(|| format!("case {} is gone", job.case_id))?
    };
    let dir = ctx.work_dir.join(&job.id);
    tokio::fs::create_dir_all(&dir).await?;
    let blobs = ctx.blobs.clone();
    let case_bytes = {
        let b = blobs.clone();
        let sha = case.case_file.sha256.clone();
        tokio::task::spawn_blocking(move || b.read_verified(&sha)).await??
    };
    let case_text = String::from_utf8(case_bytes)
        .map_err(|_| format!("{}: not UTF-8 text", case.case_file.filename))?;
    let link = |f: Option<crate::db::cases::CaseFileInfo>| {
        let blobs = blobs.clone();
        let dir = dir.clone();
        async move {
            match f {
                None => Ok::<_, std::io::Error>(None),
                Some(f) => {
                    let dest = dir.join(safe_name(&f.filename));
                    tokio::task::spawn_blocking(move || {
                        blobs
                            .read_verified_to(&f.sha256, &dest)
                            .map(|()| Some(dest))
                    })
                    .await
                    .map_err(std::io::Error::other)?
                }
            }
        }
    };
    let vcf = link(case.vcf.clone()).await?;
    let ped = link(case.ped.clone()).await?;
    Ok(CaseInputs {
        case_name: case.case_file.filename.clone(),
        case_text,
        vcf,
        ped,
        command: vec![
            "odyssey".into(),
            "serve".into(),
            format!("case={}", case.id),
            format!("analysis={}", job.id),
        ],
    })
}

/// The file name without folders or unusual characters (the extension is kept: it tells a
/// `.vcf.gz` from a `.bcf`).
fn safe_name(name: &str) -> String {
    let base = Path::new(name)
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let clean: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.trim_matches('.').is_empty() {
        "file".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::safe_name;

    #[test]
    fn safe_names_keep_extensions_and_drop_folders() {
        assert_eq!(safe_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_name("trio exome.vcf.gz"), "trio_exome.vcf.gz");
        assert_eq!(safe_name(".."), "file");
    }
}
