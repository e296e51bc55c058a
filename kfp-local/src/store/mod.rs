//! The run store: one SQLite database (WAL mode, the bundled SQLite) that
//! holds every run, each task execution with its state changes and
//! attempts, resolved inputs and outputs, artifacts with their digests,
//! metrics, and the cache.
//!
//! The store is the single source of truth: progress, `kfp local show`,
//! the Rust API and the UI read what the engine wrote here. Every state
//! change is one transaction, so a runner killed at any point leaves a
//! consistent database; a run it left `RUNNING` is marked `INTERRUPTED`
//! by the next process that opens the store.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

mod read;
mod records;
mod schema;
mod write;

pub use read::RunFilter;
pub use records::{
    ArtifactRecord, CacheEntry, EventRecord, MetricKind, MetricRecord, NewRun, NewTask, RunRecord,
    TaskKind, TaskRecord,
};
pub use schema::VERSION as SCHEMA_VERSION;
pub use write::ArtifactRow;

/// Why the store could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("run store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The store's folder could not be made.
    #[error("run store: could not create {}: {source}", path.display())]
    Create {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A store written by a newer kfp-local.
    #[error(
        "run store: its schema is version {found}, newer than this kfp-local knows ({known}); upgrade kfp-local or use another --home"
    )]
    TooNew {
        /// The store's version.
        found: i64,
        /// This build's.
        known: i64,
    },
    /// A JSON column could not be read.
    #[error("run store: a stored value is not valid: {0}")]
    Json(#[from] serde_json::Error),
    /// A run id matched no run, or several.
    #[error("{0}")]
    NoSuchRun(String),
}

/// An open run store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if need be) the store at `path`, in WAL mode, and
    /// migrates it to this build's schema.
    ///
    /// # Errors
    /// When the file cannot be opened or was written by a newer build.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Create {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let mut conn = Connection::open(path)?;
        // Several runners (two runs at once) and readers share the file.
        conn.busy_timeout(BUSY_TIMEOUT)?;
        use_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        schema::migrate(&mut conn)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs SQLite's own check of the file (`PRAGMA integrity_check`);
    /// `ok` when the database is sound.
    ///
    /// # Errors
    /// When SQLite cannot run the check.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?)
    }
}

/// How long a statement waits for another connection's lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// Puts the file in WAL mode. Two processes that open a new store at once
/// both switch it; SQLite answers one of them "database is locked" at once,
/// without waiting under the busy timeout (the switch needs the file to
/// itself, and waiting could deadlock), so the switch is retried here for
/// as long as the busy timeout.
fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests;
