//! The database: one connection pool over SQLite (default) or PostgreSQL through sqlx's `Any`
//! driver, the same numbered migrations for both (`migrations/sqlite`, `migrations/postgres`),
//! and one table module per domain concept.
//!
//! Every acknowledged write runs in a committed transaction. SQLite runs in WAL mode with
//! `synchronous = FULL`, so a commit is on disk before the answer leaves; writers are serialised
//! in-process (SQLite has one writer at a time anyway), which avoids `SQLITE_BUSY` under load.

pub mod analyses;
pub mod audit;
pub mod cases;
pub mod mme;
pub mod reanalysis;
pub mod review;
pub mod users;

use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Which database is behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// The pool and what it needs to write safely.
#[derive(Clone)]
pub struct Db {
    /// Connection pool.
    pub pool: AnyPool,
    /// SQLite or PostgreSQL.
    pub backend: Backend,
    write_lock: Option<Arc<Mutex<()>>>,
}

/// A write transaction; on SQLite it also holds the in-process writer lock.
pub struct WriteTx {
    /// The transaction (commit it, or drop it to roll back).
    pub tx: Transaction<'static, Any>,
    _guard: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits the transaction.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

/// Error opening or migrating the database.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL is neither `sqlite:` nor `postgres:`.
    #[error("unsupported database URL {0:?}: expected sqlite://FILE or postgres://…")]
    Url(String),
    /// Connecting failed.
    #[error("cannot open the database {url}: {source}")]
    Connect {
        /// The URL (without password).
        url: String,
        /// Why.
        source: sqlx::Error,
    },
    /// A migration failed.
    #[error("cannot migrate the database {url}: {source}")]
    Migrate {
        /// The URL.
        url: String,
        /// Why.
        source: sqlx::migrate::MigrateError,
    },
}

impl Db {
    /// Opens the database at `url`, creating a SQLite file if needed, and migrates its schema
    /// forward (never backward: a database migrated by a newer Odyssey is refused).
    pub async fn open(url: &str, max_connections: u32) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::Url(url.to_string()));
        };
        let shown = redact(url);
        let opts: AnyConnectOptions = url.parse().map_err(|source| DbError::Connect {
            url: shown.clone(),
            source,
        })?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections.max(2))
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(opts)
            .await
            .map_err(|source| DbError::Connect {
                url: shown.clone(),
                source,
            })?;
        let migrator = match backend {
            Backend::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        migrator
            .run(&pool)
            .await
            .map_err(|source| DbError::Migrate { url: shown, source })?;
        let write_lock = (backend == Backend::Sqlite).then(|| Arc::new(Mutex::new(())));
        Ok(Db {
            pool,
            backend,
            write_lock,
        })
    }

    /// Starts a write transaction.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        let guard = match &self.write_lock {
            Some(l) => Some(l.clone().lock_owned().await),
            None => None,
        };
        let tx = self.pool.begin().await?;
        Ok(WriteTx { tx, _guard: guard })
    }
}

/// The URL with any password replaced by `***`.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// Now, UTC, RFC 3339 with milliseconds (`2026-12-06T07:12:03.123Z`): sortable as text.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// Milliseconds since the Unix epoch (queue order).
pub fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// A new random id: `prefix` and 24 hex digits (96 random bits from the OS).
pub fn new_id(prefix: &str) -> String {
    let mut b = [0u8; 12];
    getrandom::fill(&mut b).expect("the operating system's random source failed");
    format!("{prefix}{}", hex(&b))
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db".to_string()
        );
        assert_eq!(redact("sqlite:///x.db"), "sqlite:///x.db");
    }

    #[test]
    fn timestamps_sort_as_text() {
        let a = now();
        assert_eq!(a.len(), 24, "{a}");
        assert!(a.ends_with('Z'));
    }
}
