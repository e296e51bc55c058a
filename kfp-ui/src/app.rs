//! The UI as a request handler: reads the run store for each request and
//! answers with a page, a file or JSON, every response with the security
//! headers.

use std::fs::File;

use kfp_local::RunState;
use kfp_local::layout::Layout;
use kfp_local::store::{RunFilter, RunRecord, Store, StoreError, TaskRecord};
use serde_json::json;

use crate::artifact;
use crate::assets;
use crate::http::{Body, Handler, Request, Response};
use crate::pages::compare::Compared;
use crate::pages::run::RunParts;
use crate::pages::runs::{PAGE_SIZE, RunsView};
use crate::pages::task::{LOG_TAIL_LINES, TaskView};
use crate::pages::{self, compare, dag, run, runs, task};
use crate::route::{self, Route, RouteError, RunsQuery};

/// The policy of every page: scripts, styles and images from this origin
/// only (no inline script or style), frames only from it (HTML
/// artifacts), and no framing of the UI by other sites.
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; frame-src 'self'; connect-src 'self'; form-action 'self'; \
     base-uri 'none'; frame-ancestors 'self'";

/// The policy of artifact files: a sandbox (an origin of its own, no
/// script), whether shown in the UI's frame or opened directly.
pub const ARTIFACT_POLICY: &str = "sandbox; default-src 'none'; img-src 'self' data:; \
     style-src 'self' 'unsafe-inline'; media-src 'self'; frame-ancestors 'self'";

/// The most runs the compare page takes.
pub const MAX_COMPARED: usize = 10;

/// Why a request gets no page: the status and what to say.
struct Failure(u16, String);

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NoSuchRun(message) => Self(404, message),
            other => Self(500, other.to_string()),
        }
    }
}

fn not_found(what: &str) -> Failure {
    Failure(404, what.to_owned())
}

/// The UI over the run store of a home folder: one per worker thread,
/// each with its own connection to the store.
#[derive(Debug)]
pub struct Ui {
    layout: Layout,
    store: Option<Store>,
}

impl Ui {
    /// The UI over `layout`'s run store, opened on the first request.
    pub fn new(layout: Layout) -> Self {
        Self {
            layout,
            store: None,
        }
    }

    /// The UI with its store opened now (runs whose runner is gone are
    /// marked interrupted, as every reader of the store does).
    ///
    /// # Errors
    /// When the store cannot be opened.
    pub fn open(layout: Layout) -> Result<Self, StoreError> {
        let store = kfp_local::open_store(&layout)?;
        Ok(Self {
            layout,
            store: Some(store),
        })
    }

    fn store(&mut self) -> Result<&mut Store, Failure> {
        if self.store.is_none() {
            self.store = Some(kfp_local::open_store(&self.layout)?);
        }
        Ok(self.store.as_mut().expect("opened above"))
    }

    /// The response to `request`.
    pub fn respond(&mut self, request: &Request) -> Response {
        let answered = match route::parse(&request.target) {
            Ok(route) => self.route(route),
            Err(RouteError::NotFound) => Err(not_found("There is no such page.")),
            Err(RouteError::BadRequest(message)) => Err(Failure(400, message)),
        };
        let response = answered.unwrap_or_else(|Failure(status, message)| {
            Response::html(status, pages::error(status, &message))
        });
        secure(response)
    }

    fn route(&mut self, route: Route) -> Result<Response, Failure> {
        match route {
            Route::Runs(query) => self.runs(&query),
            Route::Run(id) => {
                let run = self.run(&id)?;
                let parts = self.parts(&run, None)?;
                Ok(Response::html(200, run::render(&run, &parts, None)))
            }
            Route::Graph(id) => {
                let run = self.run(&id)?;
                let tasks = self.store()?.tasks(&run.id)?;
                let svg = self.graph(&run, &tasks)?;
                Ok(
                    Response::new(200, "image/svg+xml", Body::Bytes(svg.into_bytes()))
                        .header("Content-Security-Policy", dag::GRAPH_POLICY),
                )
            }
            Route::Task { run, path } => self.task(&run, &path),
            Route::Artifact {
                run,
                artifact,
                rest,
                download,
            } => self.artifact(&run, artifact, &rest, download),
            Route::Compare(ids) => self.compare(&ids),
            Route::Api { run, task } => {
                let run = self.run(&run)?;
                let parts = self.parts(&run, task.as_deref())?;
                Ok(Response::json(&json!({
                    "id": run.id,
                    "state": run.state,
                    "finished": run.state != RunState::Running,
                    "header": parts.header,
                    "dag": parts.dag,
                    "tasks": parts.tasks,
                    "panel": parts.panel,
                })))
            }
            Route::Static(name) => {
                let (kind, bytes) = assets::get(&name).ok_or_else(|| not_found("No such file."))?;
                Ok(Response::new(200, kind, Body::Static(bytes))
                    .header("Cache-Control", "no-cache"))
            }
        }
    }

    fn runs(&mut self, query: &RunsQuery) -> Result<Response, Failure> {
        let filter = RunFilter {
            pipeline: query.pipeline.clone(),
            state: query.state,
            limit: Some(PAGE_SIZE),
            offset: (query.page - 1).saturating_mul(PAGE_SIZE),
        };
        let store = self.store()?;
        let found = store.runs(&filter)?;
        let total = store.count_runs(&filter)?;
        let pipelines = store.pipelines()?;
        Ok(Response::html(
            200,
            runs::render(&RunsView {
                runs: &found,
                total,
                query,
                pipelines: &pipelines,
            }),
        ))
    }

    /// The run `id` names (or starts); a run still `RUNNING` is checked
    /// for a runner that died.
    fn run(&mut self, id: &str) -> Result<RunRecord, Failure> {
        let layout = self.layout.clone();
        let store = self.store()?;
        let run = store.run(id)?;
        if run.state != RunState::Running {
            return Ok(run);
        }
        kfp_local::mark_interrupted_runs(store, &layout)?;
        Ok(store.run(&run.id)?)
    }

    /// The drawing of a run's graph.
    fn graph(&mut self, run: &RunRecord, tasks: &[TaskRecord]) -> Result<String, Failure> {
        let spec = self.store()?.run_spec(&run.id)?;
        let spec: kfp_ir_schema::PipelineSpec = serde_json::from_value(spec)
            .map_err(|e| Failure(500, format!("the run's pipeline spec cannot be read: {e}")))?;
        Ok(dag::svg(&run.id, &spec, tasks))
    }

    /// The parts of a run's page, with `selected`'s panel.
    fn parts(&mut self, run: &RunRecord, selected: Option<&str>) -> Result<RunParts, Failure> {
        let tasks = self.store()?.tasks(&run.id)?;
        let panel = match selected {
            Some(path) => {
                let task = tasks
                    .iter()
                    .find(|t| t.path == path)
                    .ok_or_else(|| not_found(&format!("The run has no task `{path}`.")))?;
                self.panel(run, task)?
            }
            None => run::details(run),
        };
        let dag = match self.graph(run, &tasks) {
            Ok(svg) => dag::frame(&run.id, &svg, &tasks),
            Err(Failure(_, message)) => {
                format!("<p class=\"error\">{}</p>", crate::html::Esc(&message))
            }
        };
        Ok(RunParts {
            header: run::header(run),
            dag,
            tasks: run::tasks_table(&run.id, &tasks, selected),
            panel,
        })
    }

    fn panel(&mut self, run: &RunRecord, task: &TaskRecord) -> Result<String, Failure> {
        let store = self.store()?;
        let artifacts = store.artifacts(&run.id)?;
        let metrics = store.metrics(&run.id)?;
        let own: Vec<_> = artifacts.iter().filter(|a| a.task_id == task.id).collect();
        let own_metrics: Vec<_> = metrics.iter().filter(|m| m.task_id == task.id).collect();
        let log = self.log_file(run, task);
        let tail = log
            .as_ref()
            .map(|path| kfp_local::artifacts::log_tail(path, LOG_TAIL_LINES));
        Ok(task::render(&TaskView {
            run,
            task,
            artifacts: &own,
            metrics: &own_metrics,
            log_tail: tail.as_deref(),
        }))
    }

    /// A task's log file, if it has one inside its run's folder.
    fn log_file(&self, run: &RunRecord, task: &TaskRecord) -> Option<std::path::PathBuf> {
        let log = task.log_path.as_deref()?;
        artifact::inside(&self.layout.run_dir(&run.id), std::path::Path::new(log))
    }

    fn task(&mut self, run: &str, path: &str) -> Result<Response, Failure> {
        let run = self.run(run)?;
        if let Some(owner) = path.strip_suffix("/log") {
            let tasks = self.store()?.tasks(&run.id)?;
            if let Some(task) = tasks
                .iter()
                .find(|t| t.path == owner && t.log_path.is_some())
            {
                return self.log(&run, task);
            }
        }
        let parts = self.parts(&run, Some(path))?;
        Ok(Response::html(200, run::render(&run, &parts, Some(path))))
    }

    fn log(&self, run: &RunRecord, task: &TaskRecord) -> Result<Response, Failure> {
        let path = self
            .log_file(run, task)
            .ok_or_else(|| not_found("The task's log is not there."))?;
        let (file, len) = open(&path)?;
        let name = format!(
            "{}-{}.log",
            run.id.get(..8).unwrap_or(&run.id),
            task.path.replace('/', "_")
        );
        Ok(
            Response::new(200, "text/plain; charset=utf-8", Body::File(file, len))
                .header("Content-Disposition", attachment(&name)),
        )
    }

    fn artifact(
        &mut self,
        run: &str,
        id: i64,
        rest: &[String],
        download: bool,
    ) -> Result<Response, Failure> {
        let run = self.run(run)?;
        let store = self.store()?;
        let artifacts = store.artifacts(&run.id)?;
        let record = artifacts
            .iter()
            .find(|a| a.id == id)
            .ok_or_else(|| not_found("The run has no such artifact."))?;
        let path = artifact::resolve(&run.pipeline_root, &record.uri, rest)
            .ok_or_else(|| not_found("No such file in the artifact."))?;
        if path.is_dir() {
            if download {
                return Err(not_found(
                    "A folder cannot be downloaded; download its files.",
                ));
            }
            let tasks = store.tasks(&run.id)?;
            let producer = tasks
                .iter()
                .find(|t| t.id == record.task_id)
                .map_or("", |t| t.path.as_str());
            let page = pages::folder(&run, record, producer, &rest.join("/"), &path);
            return Ok(Response::html(200, page));
        }
        let html = record.schema_title.as_deref() == Some("system.HTML") && rest.is_empty();
        let kind = artifact::content_type(&path, html);
        let (file, len) = open(&path)?;
        let mut response = Response::new(200, kind, Body::File(file, len))
            .header("Content-Security-Policy", ARTIFACT_POLICY);
        if download {
            let name = path.file_name().map_or_else(
                || record.output.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
            response = response.header("Content-Disposition", attachment(&name));
        }
        Ok(response)
    }

    fn compare(&mut self, ids: &[String]) -> Result<Response, Failure> {
        if ids.len() > MAX_COMPARED {
            return Err(Failure(
                400,
                format!("At most {MAX_COMPARED} runs can be compared."),
            ));
        }
        let store = self.store()?;
        let mut found = Vec::new();
        let mut missing = Vec::new();
        for id in ids {
            match store.run(id) {
                Ok(run) => {
                    let tasks = store.tasks(&run.id)?;
                    let metrics = store.metrics(&run.id)?;
                    found.push(Compared {
                        run,
                        tasks,
                        metrics,
                    });
                }
                Err(StoreError::NoSuchRun(_)) => missing.push(id.clone()),
                Err(other) => return Err(other.into()),
            }
        }
        Ok(Response::html(200, compare::render(&found, &missing)))
    }
}

impl Handler for Ui {
    fn handle(&mut self, request: &Request) -> Response {
        self.respond(request)
    }
}

/// A file opened to be served, with its length.
fn open(path: &std::path::Path) -> Result<(File, u64), Failure> {
    let file = File::open(path).map_err(|_| not_found("No such file."))?;
    let meta = file.metadata().map_err(|_| not_found("No such file."))?;
    if !meta.is_file() {
        return Err(not_found("No such file."));
    }
    Ok((file, meta.len()))
}

/// `Content-Disposition` for a download named `name` (kept to plain
/// characters, so the header needs no encoding).
fn attachment(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.+".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("attachment; filename=\"{plain}\"")
}

/// Adds the headers every response carries.
fn secure(mut response: Response) -> Response {
    if response.header_value("Content-Security-Policy").is_none() {
        response = response.header("Content-Security-Policy", PAGE_POLICY);
    }
    if response.header_value("Cache-Control").is_none() {
        response = response.header("Cache-Control", "no-store");
    }
    response
        .header("X-Content-Type-Options", "nosniff")
        .header("X-Frame-Options", "SAMEORIGIN")
        .header("Referrer-Policy", "no-referrer")
        .header("Cross-Origin-Opener-Policy", "same-origin")
}
