//! What readers ask of the store: the runs, newest first, and a run's
//! tasks, state changes, artifacts and metrics.

use rusqlite::{OptionalExtension, Row, params};

use super::records::{
    ArtifactRecord, EventRecord, MetricKind, MetricRecord, RunRecord, TaskRecord,
};
use super::{Store, StoreError};
use crate::state::{RunState, TaskState};

/// Which runs to list.
#[derive(Clone, Debug, Default)]
pub struct RunFilter {
    /// Only runs of this pipeline (`pipelineInfo.name`).
    pub pipeline: Option<String>,
    /// Only runs in this state.
    pub state: Option<RunState>,
    /// At most this many (all when `None`).
    pub limit: Option<u32>,
    /// Skip this many of the newest first.
    pub offset: u32,
}

const RUN_COLUMNS: &str =
    "id, name, pipeline_name, pipeline_file, state, error, parameters, outputs,
    created_at, finished_at, pipeline_root, options, pid";

const TASK_COLUMNS: &str =
    "id, run_id, path, parent_path, task_name, display_name, component, kind,
    iteration, state, message, fingerprint, attempts, created_at, started_at, finished_at, inputs,
    outputs, command, log_path";

impl Store {
    /// The runs that match `filter`, newest first.
    ///
    /// # Errors
    /// When SQLite refuses or a stored value does not read.
    pub fn runs(&self, filter: &RunFilter) -> Result<Vec<RunRecord>, StoreError> {
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs
             WHERE (?1 IS NULL OR pipeline_name = ?1) AND (?2 IS NULL OR state = ?2)
             ORDER BY created_at DESC, rowid DESC LIMIT ?3 OFFSET ?4"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let limit = filter.limit.map_or(-1, i64::from);
        let rows = stmt.query_map(
            params![
                filter.pipeline,
                filter.state.map(RunState::as_str),
                limit,
                filter.offset
            ],
            run_row,
        )?;
        rows.map(|r| r?).collect()
    }

    /// How many runs match `filter` (its limit and offset aside).
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn count_runs(&self, filter: &RunFilter) -> Result<u64, StoreError> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM runs
             WHERE (?1 IS NULL OR pipeline_name = ?1) AND (?2 IS NULL OR state = ?2)",
            params![filter.pipeline, filter.state.map(RunState::as_str)],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    /// The run whose id is `id`, or starts with `id` when only one does.
    ///
    /// # Errors
    /// [`StoreError::NoSuchRun`] when no run or several match.
    pub fn run(&self, id: &str) -> Result<RunRecord, StoreError> {
        let pattern = format!("{}%", id.replace(['%', '_'], ""));
        let sql = format!(
            "SELECT {RUN_COLUMNS} FROM runs WHERE id LIKE ?1 ORDER BY created_at DESC LIMIT 3"
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut found: Vec<RunRecord> = stmt
            .query_map([&pattern], run_row)?
            .map(|r| r?)
            .collect::<Result<_, _>>()?;
        if let Some(exact) = found.iter().position(|r| r.id == id) {
            return Ok(found.swap_remove(exact));
        }
        match found.len() {
            1 => Ok(found.remove(0)),
            0 => Err(StoreError::NoSuchRun(format!(
                "no run `{id}` in {} (`kfp local runs` lists them)",
                self.path.display()
            ))),
            _ => Err(StoreError::NoSuchRun(format!(
                "`{id}` is the start of several run ids; give more of it"
            ))),
        }
    }

    /// The pipeline spec a run ran (`run_id` is a whole id), as JSON.
    ///
    /// # Errors
    /// [`StoreError::NoSuchRun`] when no run has that id; a stored value
    /// that does not read.
    pub fn run_spec(&self, run_id: &str) -> Result<serde_json::Value, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT pipeline_spec FROM runs WHERE id = ?1")?;
        let text: Option<String> = stmt.query_row([run_id], |r| r.get(0)).optional()?;
        let text = text.ok_or_else(|| {
            StoreError::NoSuchRun(format!("no run `{run_id}` in {}", self.path.display()))
        })?;
        Ok(serde_json::from_str(&text)?)
    }

    /// The names of the pipelines that have runs, each with how many, by
    /// name.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn pipelines(&self) -> Result<Vec<(String, u64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT pipeline_name, COUNT(*) FROM runs GROUP BY pipeline_name ORDER BY pipeline_name",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A run's task executions, in the order they were recorded.
    ///
    /// # Errors
    /// When SQLite refuses or a stored value does not read.
    pub fn tasks(&self, run_id: &str) -> Result<Vec<TaskRecord>, StoreError> {
        let sql = format!("SELECT {TASK_COLUMNS} FROM tasks WHERE run_id = ?1 ORDER BY id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map([run_id], task_row)?;
        rows.map(|r| r?).collect()
    }

    /// Every state change of a run's tasks, in order.
    ///
    /// # Errors
    /// When SQLite refuses.
    pub fn events(&self, run_id: &str) -> Result<Vec<EventRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT e.task_id, e.at, e.state, e.message FROM task_events e
             JOIN tasks t ON t.id = e.task_id WHERE t.run_id = ?1 ORDER BY e.id",
        )?;
        let rows = stmt.query_map([run_id], |r| {
            Ok(EventRecord {
                task_id: r.get(0)?,
                at: r.get(1)?,
                state: state(r, 2)?,
                message: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A run's output artifacts.
    ///
    /// # Errors
    /// When SQLite refuses or a stored value does not read.
    pub fn artifacts(&self, run_id: &str) -> Result<Vec<ArtifactRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, task_id, output, position, uri, schema_title, schema_version, metadata,
                digest, size FROM artifacts WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run_id], |r| {
            let metadata: String = r.get(7)?;
            Ok((
                ArtifactRecord {
                    id: r.get(0)?,
                    task_id: r.get(1)?,
                    output: r.get(2)?,
                    position: r.get(3)?,
                    uri: r.get(4)?,
                    schema_title: r.get(5)?,
                    schema_version: r.get(6)?,
                    metadata: Default::default(),
                    digest: r.get(8)?,
                    size: r.get(9)?,
                },
                metadata,
            ))
        })?;
        rows.map(|row| {
            let (mut record, metadata) = row?;
            record.metadata = serde_json::from_str(&metadata)?;
            Ok(record)
        })
        .collect()
    }

    /// A run's metrics.
    ///
    /// # Errors
    /// When SQLite refuses or a stored value does not read.
    pub fn metrics(&self, run_id: &str) -> Result<Vec<MetricRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT task_id, artifact_id, kind, name, value, data FROM metrics
             WHERE run_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([run_id], |r| {
            let kind: String = r.get(2)?;
            let data: Option<String> = r.get(5)?;
            Ok((
                MetricRecord {
                    task_id: r.get(0)?,
                    artifact_id: r.get(1)?,
                    kind: MetricKind::parse(&kind).unwrap_or(MetricKind::Scalar),
                    name: r.get(3)?,
                    value: r.get(4)?,
                    data: None,
                },
                data,
            ))
        })?;
        rows.map(|row| {
            let (mut record, data) = row?;
            record.data = data.map(|d| serde_json::from_str(&d)).transpose()?;
            Ok(record)
        })
        .collect()
    }
}

fn json<T: serde::de::DeserializeOwned>(text: Option<String>) -> Result<Option<T>, StoreError> {
    Ok(text.map(|t| serde_json::from_str(&t)).transpose()?)
}

fn state<T: std::str::FromStr>(r: &Row<'_>, i: usize) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    text.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Text,
            format!("unknown state `{text}`").into(),
        )
    })
}

fn run_row(r: &Row<'_>) -> rusqlite::Result<Result<RunRecord, StoreError>> {
    let parameters: String = r.get(6)?;
    let outputs: Option<String> = r.get(7)?;
    let options: String = r.get(11)?;
    let record = RunRecord {
        id: r.get(0)?,
        name: r.get(1)?,
        pipeline_name: r.get(2)?,
        pipeline_file: r.get(3)?,
        state: state(r, 4)?,
        error: r.get(5)?,
        parameters: Default::default(),
        outputs: None,
        created_at: r.get(8)?,
        finished_at: r.get(9)?,
        pipeline_root: r.get(10)?,
        options: serde_json::Value::Null,
        pid: r.get(12)?,
    };
    Ok((|| {
        Ok(RunRecord {
            parameters: serde_json::from_str(&parameters)?,
            outputs: json(outputs)?,
            options: serde_json::from_str(&options)?,
            ..record
        })
    })())
}

fn task_row(r: &Row<'_>) -> rusqlite::Result<Result<TaskRecord, StoreError>> {
    let kind: String = r.get(7)?;
    let (inputs, outputs, command): (Option<String>, Option<String>, Option<String>) =
        (r.get(16)?, r.get(17)?, r.get(18)?);
    let record = TaskRecord {
        id: r.get(0)?,
        run_id: r.get(1)?,
        path: r.get(2)?,
        parent_path: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
        task_name: r.get(4)?,
        display_name: r.get(5)?,
        component: r.get(6)?,
        kind: kind.parse().map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(
                7,
                rusqlite::types::Type::Text,
                format!("unknown kind `{kind}`").into(),
            )
        })?,
        iteration: r.get(8)?,
        state: state::<TaskState>(r, 9)?,
        message: r.get(10)?,
        fingerprint: r.get(11)?,
        attempts: r.get(12)?,
        created_at: r.get(13)?,
        started_at: r.get(14)?,
        finished_at: r.get(15)?,
        inputs: None,
        outputs: None,
        command: None,
        log_path: r.get(19)?,
    };
    Ok((|| {
        Ok(TaskRecord {
            inputs: json(inputs)?,
            outputs: json(outputs)?,
            command: json(command)?,
            ..record
        })
    })())
}
