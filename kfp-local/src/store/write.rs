//! What the engine writes: each call is one transaction, so that the store
//! is consistent whenever the runner stops.

use kfp_ir_schema::executor::RuntimeArtifact;
use kfp_ir_schema::{ArtifactTypeKind, ArtifactTypeSchema};
use rusqlite::{Connection, OptionalExtension, Params, Transaction, TransactionBehavior, params};

use super::records::{CacheEntry, MetricKind, NewRun, NewTask};
use super::{Store, StoreError};
use crate::driver::Values;
use crate::state::{RunState, TaskState};
use crate::time;

/// An output artifact to record, with what is known of its content.
#[derive(Clone, Copy, Debug)]
pub struct ArtifactRow<'a> {
    /// The output's name.
    pub output: &'a str,
    /// Its position in the output's list.
    pub position: usize,
    /// The artifact.
    pub artifact: &'a RuntimeArtifact,
    /// The SHA-256 of its content.
    pub digest: Option<&'a str>,
    /// Its size in bytes.
    pub size: Option<u64>,
}

impl Store {
    /// Records a new run, `RUNNING`, owned by this process.
    ///
    /// # Errors
    /// When SQLite refuses (e.g. the id exists).
    pub fn create_run(&mut self, run: &NewRun<'_>) -> Result<(), StoreError> {
        exec(&self.conn,
            "INSERT INTO runs (id, name, pipeline_name, pipeline_file, pipeline_spec, platform_spec,
                parameters, state, created_at, pipeline_root, options, pid)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                run.id,
                run.name,
                run.pipeline_name,
                run.pipeline_file,
                run.pipeline_spec.to_string(),
                run.platform_spec.map(ToString::to_string),
                serde_json::Value::Object(run.parameters.clone()).to_string(),
                RunState::Running.as_str(),
                run.created_at,
                run.pipeline_root,
                run.options.to_string(),
                std::process::id(),
            ],
        )?;
        Ok(())
    }

    /// Records how a run ended, with the pipeline's outputs.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn finish_run(
        &mut self,
        run_id: &str,
        state: RunState,
        outputs: Option<&Values>,
        error: Option<&str>,
    ) -> Result<(), StoreError> {
        let outputs = outputs.map(serde_json::to_string).transpose()?;
        exec(
            &self.conn,
            "UPDATE runs SET state = ?2, outputs = ?3, error = ?4, finished_at = ?5 WHERE id = ?1",
            params![run_id, state.as_str(), outputs, error, time::now()],
        )?;
        Ok(())
    }

    /// Records a task execution, `PENDING`; returns its row id.
    ///
    /// # Errors
    /// When SQLite refuses (e.g. the path exists in the run).
    pub fn create_task(&mut self, run_id: &str, task: &NewTask<'_>) -> Result<i64, StoreError> {
        let tx = write_transaction(&mut self.conn)?;
        let now = time::now();
        let parent = parent_path(task.path);
        let iteration = match task.path.segments().last() {
            Some(crate::Segment::Iteration(i)) => Some(*i as i64),
            _ => None,
        };
        exec(&tx,
            "INSERT INTO tasks (run_id, path, parent_path, task_name, display_name, component, kind,
                iteration, state, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                run_id,
                task.path.to_string(),
                parent,
                task.task_name,
                task.display_name,
                task.component,
                task.kind.as_str(),
                iteration,
                TaskState::Pending.as_str(),
                now,
            ],
        )?;
        let id = tx.last_insert_rowid();
        event(&tx, id, &now, TaskState::Pending, None)?;
        tx.commit()?;
        Ok(id)
    }

    /// Records a task's new state (and why), stamping when it started or
    /// ended.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn set_task_state(
        &mut self,
        task_id: i64,
        state: TaskState,
        message: Option<&str>,
    ) -> Result<(), StoreError> {
        let tx = write_transaction(&mut self.conn)?;
        update_state(&tx, task_id, state, message)?;
        tx.commit()?;
        Ok(())
    }

    /// Records a task's resolved inputs.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn set_task_inputs(&mut self, task_id: i64, inputs: &Values) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "UPDATE tasks SET inputs = ?2 WHERE id = ?1",
            params![task_id, serde_json::to_string(inputs)?],
        )?;
        Ok(())
    }

    /// Records a container task's cache fingerprint.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn set_task_fingerprint(
        &mut self,
        task_id: i64,
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "UPDATE tasks SET fingerprint = ?2 WHERE id = ?1",
            params![task_id, fingerprint],
        )?;
        Ok(())
    }

    /// Records the start of attempt `number` (from 1) of a container task,
    /// with its command line and log file.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn start_attempt(
        &mut self,
        task_id: i64,
        number: u32,
        command: &[String],
        log_path: &str,
    ) -> Result<(), StoreError> {
        let tx = write_transaction(&mut self.conn)?;
        let now = time::now();
        exec(
            &tx,
            "INSERT INTO attempts (task_id, number, started_at) VALUES (?1, ?2, ?3)",
            params![task_id, number, now],
        )?;
        exec(
            &tx,
            "UPDATE tasks SET attempts = ?2, command = ?3, log_path = ?4 WHERE id = ?1",
            params![task_id, number, serde_json::to_string(command)?, log_path],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Records how an attempt ended.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn finish_attempt(
        &mut self,
        task_id: i64,
        number: u32,
        exit_code: Option<i32>,
        message: Option<&str>,
    ) -> Result<(), StoreError> {
        exec(
            &self.conn,
            "UPDATE attempts SET finished_at = ?3, exit_code = ?4, message = ?5
             WHERE task_id = ?1 AND number = ?2",
            params![task_id, number, time::now(), exit_code, message],
        )?;
        Ok(())
    }

    /// Records that a task ended: its state, why, its outputs, and its
    /// output artifacts with their metrics, in one transaction.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn finish_task(
        &mut self,
        run_id: &str,
        task_id: i64,
        state: TaskState,
        message: Option<&str>,
        outputs: Option<&Values>,
        artifacts: &[ArtifactRow<'_>],
    ) -> Result<(), StoreError> {
        let tx = write_transaction(&mut self.conn)?;
        if let Some(outputs) = outputs {
            exec(
                &tx,
                "UPDATE tasks SET outputs = ?2 WHERE id = ?1",
                params![task_id, serde_json::to_string(outputs)?],
            )?;
        }
        for row in artifacts {
            insert_artifact(&tx, run_id, task_id, row)?;
        }
        update_state(&tx, task_id, state, message)?;
        tx.commit()?;
        Ok(())
    }

    /// Remembers a task's outputs under its cache fingerprint, with the
    /// files its artifacts were written to (a hit needs them all still
    /// there).
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn cache_put(&mut self, fingerprint: &str, entry: &CacheEntry) -> Result<(), StoreError> {
        exec(&self.conn,
            "INSERT OR REPLACE INTO cache (fingerprint, run_id, task_path, outputs, files, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                fingerprint,
                entry.run_id,
                entry.task_path,
                serde_json::to_string(&entry.outputs)?,
                serde_json::to_string(&entry.files)?,
                time::now()
            ],
        )?;
        Ok(())
    }

    /// The entry cached under a fingerprint.
    ///
    /// # Errors
    /// When SQLite refuses or the stored outputs do not read.
    pub fn cache_get(&self, fingerprint: &str) -> Result<Option<CacheEntry>, StoreError> {
        let row: Option<(String, String, String, String)> = self
            .conn
            .query_row(
                "SELECT outputs, files, run_id, task_path FROM cache WHERE fingerprint = ?1",
                [fingerprint],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        row.map(|(outputs, files, run_id, task_path)| {
            Ok(CacheEntry {
                outputs: serde_json::from_str(&outputs)?,
                files: serde_json::from_str(&files)?,
                run_id,
                task_path,
            })
        })
        .transpose()
    }

    /// Marks every `RUNNING` run whose runner is gone as `INTERRUPTED`,
    /// and its unfinished tasks as `CANCELED`; returns their ids.
    /// `runner_alive` says whether a run's runner still holds it.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn mark_interrupted(
        &mut self,
        runner_alive: &dyn Fn(&str) -> bool,
    ) -> Result<Vec<String>, StoreError> {
        let running: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT id FROM runs WHERE state = 'RUNNING'")?;
            stmt.query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        };
        let mut marked = Vec::new();
        for id in running.into_iter().filter(|id| !runner_alive(id)) {
            let tx = write_transaction(&mut self.conn)?;
            let now = time::now();
            let message = "the runner stopped before the run ended (killed or crashed)";
            let unfinished: Vec<i64> = {
                let mut stmt = tx.prepare(
                    "SELECT id FROM tasks WHERE run_id = ?1 AND state IN ('PENDING', 'RUNNING')",
                )?;
                stmt.query_map([&id], |r| r.get(0))?
                    .collect::<Result<_, _>>()?
            };
            for task in unfinished {
                update_state(&tx, task, TaskState::Canceled, Some(message))?;
            }
            exec(
                &tx,
                "UPDATE runs SET state = 'INTERRUPTED', error = ?2, finished_at = ?3
                 WHERE id = ?1 AND state = 'RUNNING'",
                params![id, message, now],
            )?;
            tx.commit()?;
            marked.push(id);
        }
        Ok(marked)
    }
}

/// Runs a statement through the connection's cache of prepared
/// statements: the engine runs the same few for every task.
/// A transaction that takes the write lock when it begins (`BEGIN
/// IMMEDIATE`), so that it waits its turn under the busy timeout. A deferred
/// one that reads first and then writes, while another runner of the same
/// home has written since its read, fails at once with "database is locked"
/// (WAL's snapshot rule), whatever the timeout.
fn write_transaction(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
}

fn exec(conn: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

fn parent_path(path: &crate::TaskPath) -> String {
    let text = path.to_string();
    let segments = path.segments();
    // The parent of `a/0/b` is `a/0`; of `a/0` it is `a`; of `a` the root.
    match segments.len() {
        0 | 1 => String::new(),
        _ => text
            .rsplit_once('/')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default(),
    }
}

fn update_state(
    tx: &Transaction<'_>,
    task_id: i64,
    state: TaskState,
    message: Option<&str>,
) -> Result<(), StoreError> {
    let now = time::now();
    exec(tx,
        "UPDATE tasks SET state = ?2, message = COALESCE(?3, message),
            started_at = CASE WHEN ?2 = 'RUNNING' AND started_at IS NULL THEN ?4 ELSE started_at END,
            finished_at = CASE WHEN ?5 THEN ?4 ELSE finished_at END
         WHERE id = ?1",
        params![task_id, state.as_str(), message, now, state.is_final()],
    )?;
    event(tx, task_id, &now, state, message)
}

fn event(
    tx: &Transaction<'_>,
    task_id: i64,
    at: &str,
    state: TaskState,
    message: Option<&str>,
) -> Result<(), StoreError> {
    exec(
        tx,
        "INSERT INTO task_events (task_id, at, state, message) VALUES (?1, ?2, ?3, ?4)",
        params![task_id, at, state.as_str(), message],
    )?;
    Ok(())
}

fn insert_artifact(
    tx: &Transaction<'_>,
    run_id: &str,
    task_id: i64,
    row: &ArtifactRow<'_>,
) -> Result<(), StoreError> {
    let (title, version) = type_names(row.artifact.r#type.as_ref());
    let metadata = row.artifact.metadata.clone().unwrap_or_default();
    exec(
        tx,
        "INSERT INTO artifacts (run_id, task_id, output, position, name, uri, schema_title,
            schema_version, metadata, digest, size)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            run_id,
            task_id,
            row.output,
            row.position as i64,
            row.artifact.name,
            row.artifact.uri,
            title,
            version,
            serde_json::Value::Object(metadata.clone()).to_string(),
            row.digest,
            row.size.map(|s| s as i64),
        ],
    )?;
    let artifact_id = tx.last_insert_rowid();
    for (kind, name, value, data) in
        crate::metrics::of_artifact(title.as_deref(), row.output, &metadata)
    {
        exec(
            tx,
            "INSERT INTO metrics (run_id, task_id, artifact_id, kind, name, value, data)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                run_id,
                task_id,
                artifact_id,
                MetricKind::as_str(kind),
                name,
                value,
                data.map(|d| d.to_string()),
            ],
        )?;
    }
    Ok(())
}

fn type_names(schema: Option<&ArtifactTypeSchema>) -> (Option<String>, Option<String>) {
    let Some(schema) = schema else {
        return (None, None);
    };
    let title = match &schema.kind {
        Some(ArtifactTypeKind::SchemaTitle(t)) => Some(t.to_string()),
        _ => None,
    };
    let version = (!schema.schema_version.is_empty()).then(|| schema.schema_version.to_string());
    (title, version)
}
