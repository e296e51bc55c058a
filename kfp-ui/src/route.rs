//! The UI's URLs, both ways: [`parse`] reads a request target into a
//! [`Route`], and the `…_href` functions write the links the pages hold.
//!
//! ```text
//! /                                   runs (?pipeline=&state=&page=)
//! /runs/<id>                          a run: its DAG and tasks
//! /runs/<id>/graph.svg                its DAG, drawn (shown in the run's page)
//! /runs/<id>/tasks/<task path>        a task's panel
//! /runs/<id>/tasks/<task path>/log    its log, to download
//! /runs/<id>/artifacts/<artifact>/…   an artifact's file, or a folder's listing
//! /compare?runs=<id>,<id>             runs side by side
//! /api/runs/<id>(?task=<task path>)   a run's state and parts, for live updates
//! /static/<name>                      the assets compiled into the binary
//! ```
//!
//! Each path segment is percent-decoded once, and a segment that decodes
//! to nothing, `.`, `..`, or something holding `/`, `\` or NUL makes the
//! whole URL unknown (`404`): no route ever sees such a segment.

use kfp_local::RunState;

use crate::html::{decode, encode};

/// What the runs page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunsQuery {
    /// Only runs of this pipeline.
    pub pipeline: Option<String>,
    /// Only runs in this state.
    pub state: Option<RunState>,
    /// The page, from 1.
    pub page: u32,
}

/// A page or file of the UI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// The runs, newest first.
    Runs(RunsQuery),
    /// A run.
    Run(String),
    /// A run's graph, as SVG.
    Graph(String),
    /// A task execution's panel, or (when `path` ends in `/log` and the
    /// rest names a task with a log) its log.
    Task {
        /// The run.
        run: String,
        /// The task path (`for-loop-2/0/train`).
        path: String,
    },
    /// A file of an artifact, or a folder's listing.
    Artifact {
        /// The run.
        run: String,
        /// The artifact's id in the store.
        artifact: i64,
        /// The path inside the artifact, one name per segment.
        rest: Vec<String>,
        /// Sent as an attachment (`?download`).
        download: bool,
    },
    /// Runs side by side.
    Compare(Vec<String>),
    /// A run as JSON, for live updates.
    Api {
        /// The run.
        run: String,
        /// The task whose panel is shown too.
        task: Option<String>,
    },
    /// A static asset.
    Static(String),
}

/// Why a target is not a route.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RouteError {
    /// No such page (`404`).
    #[error("no such page")]
    NotFound,
    /// A page, asked for wrongly (`400`).
    #[error("{0}")]
    BadRequest(String),
}

/// Reads a request target (`/runs/abc?x=1`).
///
/// # Errors
/// [`RouteError::NotFound`] for an unknown or unsafe path,
/// [`RouteError::BadRequest`] for a bad query.
pub fn parse(target: &str) -> Result<Route, RouteError> {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let path = path.strip_prefix('/').ok_or(RouteError::NotFound)?;
    let path = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<String> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('/')
            .map(|raw| decode(raw, false).filter(|s| safe_segment(s)))
            .collect::<Option<_>>()
            .ok_or(RouteError::NotFound)?
    };
    let query = Query::parse(query)?;
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    Ok(match segments.as_slice() {
        [] => Route::Runs(runs_query(&query)?),
        ["runs", run] => Route::Run((*run).to_owned()),
        ["runs", run, "graph.svg"] => Route::Graph((*run).to_owned()),
        ["runs", run, "tasks", path @ ..] if !path.is_empty() => Route::Task {
            run: (*run).to_owned(),
            path: path.join("/"),
        },
        ["runs", run, "artifacts", artifact, rest @ ..] => Route::Artifact {
            run: (*run).to_owned(),
            artifact: artifact.parse().map_err(|_| RouteError::NotFound)?,
            rest: rest.iter().map(|s| (*s).to_owned()).collect(),
            download: query.has("download"),
        },
        ["compare"] => Route::Compare(compare_ids(&query)),
        ["api", "runs", run] => Route::Api {
            run: (*run).to_owned(),
            task: query
                .get("task")
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        },
        ["static", name] => Route::Static((*name).to_owned()),
        _ => return Err(RouteError::NotFound),
    })
}

/// True for a segment that names one thing inside its parent.
fn safe_segment(segment: &str) -> bool {
    !segment.is_empty() && segment != "." && segment != ".." && !segment.contains(['/', '\\', '\0'])
}

/// A query's pairs, decoded.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: &str) -> Result<Self, RouteError> {
        let pairs = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                Some((decode(name, true)?, decode(value, true)?))
            })
            .collect::<Option<_>>()
            .ok_or_else(|| RouteError::BadRequest("the query is not well encoded".into()))?;
        Ok(Self(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.0
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(n, _)| n == name)
    }
}

fn runs_query(query: &Query) -> Result<RunsQuery, RouteError> {
    let state = match query.get("state").filter(|s| !s.is_empty()) {
        Some(name) => Some(
            name.parse()
                .map_err(|_| RouteError::BadRequest(format!("unknown run state `{name}`")))?,
        ),
        None => None,
    };
    let page =
        match query.get("page").filter(|s| !s.is_empty()) {
            Some(n) => n.parse::<u32>().ok().filter(|&n| n >= 1).ok_or_else(|| {
                RouteError::BadRequest(format!("page `{n}` is not a number from 1"))
            })?,
            None => 1,
        };
    Ok(RunsQuery {
        pipeline: query
            .get("pipeline")
            .filter(|p| !p.is_empty())
            .map(str::to_owned),
        state,
        page,
    })
}

/// The ids of `?runs=a,b&runs=c`, in order, each once.
fn compare_ids(query: &Query) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for id in query.all("runs").flat_map(|v| v.split(',')).map(str::trim) {
        if !id.is_empty() && !ids.iter().any(|known| known == id) {
            ids.push(id.to_owned());
        }
    }
    ids
}

/// The runs page with `query`.
pub fn runs_href(query: &RunsQuery) -> String {
    let mut pairs = Vec::new();
    if let Some(pipeline) = &query.pipeline {
        pairs.push(format!("pipeline={}", encode(pipeline)));
    }
    if let Some(state) = query.state {
        pairs.push(format!("state={state}"));
    }
    if query.page > 1 {
        pairs.push(format!("page={}", query.page));
    }
    if pairs.is_empty() {
        "/".into()
    } else {
        format!("/?{}", pairs.join("&"))
    }
}

/// A run's page.
pub fn run_href(run: &str) -> String {
    format!("/runs/{}", encode(run))
}

/// A run's graph, as SVG.
pub fn graph_href(run: &str) -> String {
    format!("{}/graph.svg", run_href(run))
}

/// A task path, each segment encoded.
fn path_segments(path: &str) -> String {
    path.split('/').map(encode).collect::<Vec<_>>().join("/")
}

/// A task's panel.
pub fn task_href(run: &str, path: &str) -> String {
    format!("{}/tasks/{}", run_href(run), path_segments(path))
}

/// A task's log, to download.
pub fn log_href(run: &str, path: &str) -> String {
    format!("{}/log", task_href(run, path))
}

/// An artifact (its file, or its folder's listing), or a file inside a
/// folder artifact (`rest`: a relative path with `/`).
pub fn artifact_href(run: &str, artifact: i64, rest: &str) -> String {
    let base = format!("{}/artifacts/{artifact}/", run_href(run));
    if rest.is_empty() {
        base
    } else {
        base + &path_segments(rest)
    }
}

/// Runs side by side.
pub fn compare_href<S: AsRef<str>>(runs: &[S]) -> String {
    let ids: Vec<String> = runs.iter().map(|r| encode(r.as_ref())).collect();
    format!("/compare?runs={}", ids.join(","))
}

/// A run as JSON, with a task's panel.
pub fn api_href(run: &str, task: Option<&str>) -> String {
    let base = format!("/api/runs/{}", encode(run));
    match task {
        Some(task) => format!("{base}?task={}", encode(task)),
        None => base,
    }
}

/// A static asset.
pub fn static_href(name: &str) -> String {
    format!("/static/{}", encode(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_read_back_as_their_routes() {
        let query = RunsQuery {
            pipeline: Some("a b&c".into()),
            state: Some(RunState::Failed),
            page: 3,
        };
        assert_eq!(parse(&runs_href(&query)), Ok(Route::Runs(query)));
        assert_eq!(
            runs_href(&RunsQuery {
                page: 1,
                ..Default::default()
            }),
            "/"
        );
        assert_eq!(
            parse("/?pipeline=&state=&page="),
            Ok(Route::Runs(RunsQuery {
                page: 1,
                ..Default::default()
            }))
        );
        assert_eq!(parse(&run_href("r-1")), Ok(Route::Run("r-1".into())));
        assert_eq!(parse(&graph_href("r-1")), Ok(Route::Graph("r-1".into())));
        let task = Route::Task {
            run: "r".into(),
            path: "for-loop-2/0/train".into(),
        };
        assert_eq!(parse(&task_href("r", "for-loop-2/0/train")), Ok(task));
        assert_eq!(
            parse(&log_href("r", "t")),
            Ok(Route::Task {
                run: "r".into(),
                path: "t/log".into()
            })
        );
        assert_eq!(
            parse(&artifact_href("r", 7, "sub dir/x.csv")),
            Ok(Route::Artifact {
                run: "r".into(),
                artifact: 7,
                rest: vec!["sub dir".into(), "x.csv".into()],
                download: false,
            })
        );
        assert_eq!(
            parse("/runs/r/artifacts/7/?download"),
            Ok(Route::Artifact {
                run: "r".into(),
                artifact: 7,
                rest: vec![],
                download: true
            })
        );
        assert_eq!(
            parse(&compare_href(&["a", "b"])),
            Ok(Route::Compare(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            parse("/compare?runs=a&runs=b,a,,c"),
            Ok(Route::Compare(vec!["a".into(), "b".into(), "c".into()]))
        );
        assert_eq!(
            parse(&api_href("r", Some("a/0/b"))),
            Ok(Route::Api {
                run: "r".into(),
                task: Some("a/0/b".into())
            })
        );
        assert_eq!(
            parse(&static_href("style.css")),
            Ok(Route::Static("style.css".into()))
        );
    }

    #[test]
    fn unsafe_or_unknown_paths_are_not_found() {
        for target in [
            "/runs/r/artifacts/1/../../etc/passwd",
            "/runs/r/artifacts/1/%2e%2e/x",
            "/runs/r/artifacts/1/%2E%2E%2Fx",
            "/runs/r/artifacts/1/a%2Fb",
            "/runs/r/artifacts/1/a%5Cb",
            "/runs/r/artifacts/1/a%00b",
            "/runs/r/artifacts/1/./x",
            "/runs/r/artifacts/1//etc/passwd",
            "/runs/r/artifacts/1/%",
            "/runs/r/artifacts/x/y",
            "/runs/%2e%2e",
            "/static/../Cargo.toml",
            "/nothing",
            "/runs/r/tasks",
            "/runs/r/extra/more",
        ] {
            assert_eq!(parse(target), Err(RouteError::NotFound), "{target}");
        }
        assert!(matches!(
            parse("/?state=DONE"),
            Err(RouteError::BadRequest(_))
        ));
        assert!(matches!(parse("/?page=0"), Err(RouteError::BadRequest(_))));
        assert!(matches!(
            parse("/?pipeline=%zz"),
            Err(RouteError::BadRequest(_))
        ));
    }
}
