//! The run store's SQL schema and its migrations.
//!
//! The schema's version is SQLite's `user_version`. Each migration takes
//! the database from one version to the next in one transaction; a store
//! newer than this build is refused rather than misread.

use rusqlite::{Connection, Transaction};

use super::StoreError;

/// Each migration, in order: migration `i` takes version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: runs, tasks and their state changes, artifacts, metrics, cache.
    r#"
    CREATE TABLE runs (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        pipeline_name  TEXT NOT NULL,
        pipeline_file  TEXT,
        pipeline_spec  TEXT NOT NULL,
        platform_spec  TEXT,
        parameters     TEXT NOT NULL,
        state          TEXT NOT NULL,
        error          TEXT,
        outputs        TEXT,
        created_at     TEXT NOT NULL,
        finished_at    TEXT,
        pipeline_root  TEXT NOT NULL,
        options        TEXT NOT NULL,
        pid            INTEGER NOT NULL
    );
    CREATE INDEX runs_by_time ON runs (created_at DESC);
    CREATE INDEX runs_by_pipeline ON runs (pipeline_name, created_at DESC);

    CREATE TABLE tasks (
        id            INTEGER PRIMARY KEY,
        run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        path          TEXT NOT NULL,
        parent_path   TEXT,
        task_name     TEXT NOT NULL,
        display_name  TEXT NOT NULL,
        component     TEXT NOT NULL,
        kind          TEXT NOT NULL,
        iteration     INTEGER,
        state         TEXT NOT NULL,
        message       TEXT,
        fingerprint   TEXT,
        attempts      INTEGER NOT NULL DEFAULT 0,
        created_at    TEXT NOT NULL,
        started_at    TEXT,
        finished_at   TEXT,
        inputs        TEXT,
        outputs       TEXT,
        command       TEXT,
        log_path      TEXT,
        UNIQUE (run_id, path)
    );

    CREATE TABLE task_events (
        id       INTEGER PRIMARY KEY,
        task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        at       TEXT NOT NULL,
        state    TEXT NOT NULL,
        message  TEXT
    );
    CREATE INDEX task_events_by_task ON task_events (task_id);

    CREATE TABLE attempts (
        task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        number       INTEGER NOT NULL,
        started_at   TEXT NOT NULL,
        finished_at  TEXT,
        exit_code    INTEGER,
        message      TEXT,
        PRIMARY KEY (task_id, number)
    );

    CREATE TABLE artifacts (
        id              INTEGER PRIMARY KEY,
        run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        task_id         INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        output          TEXT NOT NULL,
        position        INTEGER NOT NULL,
        name            TEXT NOT NULL,
        uri             TEXT NOT NULL,
        schema_title    TEXT,
        schema_version  TEXT,
        metadata        TEXT NOT NULL,
        digest          TEXT,
        size            INTEGER
    );
    CREATE INDEX artifacts_by_run ON artifacts (run_id);

    CREATE TABLE metrics (
        id           INTEGER PRIMARY KEY,
        run_id       TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        artifact_id  INTEGER NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
        kind         TEXT NOT NULL,
        name         TEXT NOT NULL,
        value        REAL,
        data         TEXT
    );
    CREATE INDEX metrics_by_run ON metrics (run_id);

    CREATE TABLE cache (
        fingerprint  TEXT PRIMARY KEY,
        run_id       TEXT NOT NULL,
        task_path    TEXT NOT NULL,
        outputs      TEXT NOT NULL,
        created_at   TEXT NOT NULL
    );
    "#,
    // 2: the files a cache entry's artifacts were written to.
    r#"
    ALTER TABLE cache ADD COLUMN files TEXT NOT NULL DEFAULT '[]';
    "#,
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`VERSION`].
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let current: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if current > VERSION {
        return Err(StoreError::TooNew {
            found: current,
            known: VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current as usize) {
        apply(&tx, sql, i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

fn apply(tx: &Transaction<'_>, sql: &str, version: i64) -> Result<(), StoreError> {
    tx.execute_batch(sql)?;
    tx.pragma_update(None, "user_version", version)?;
    Ok(())
}
