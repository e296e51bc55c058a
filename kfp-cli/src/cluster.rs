//! `kfp pipeline|run|experiment|recurring-run`: the subcommands that talk to
//! a Kubeflow Pipelines API server (v2beta1 REST), through `kfp-client`.
//!
//! Hook for `main.rs`: flatten [`ClusterCommand`] into the subcommand enum
//! and [`GlobalOpts`] into the top-level parser, then call [`run`]:
//!
//! ```text
//! #[derive(Parser)]
//! struct Cli {
//!     #[command(flatten)]
//!     cluster: cluster::GlobalOpts,
//!     #[command(subcommand)]
//!     command: Command,
//! }
//! #[derive(Subcommand)]
//! enum Command {
//!     // ... the local subcommands ...
//!     #[command(flatten)]
//!     Cluster(cluster::ClusterCommand),
//! }
//! // in main: Command::Cluster(cmd) => match cluster::run(cmd, &cli.cluster) {
//! //     Ok(code) => ExitCode::from(code as u8),
//! //     Err(e) => { eprintln!("error: {e:#}"); ExitCode::from(2) }
//! // }
//! ```
//!
//! Exit status of [`run`]: 0 success (a waited run SUCCEEDED or was
//! SKIPPED), 1 a waited run FAILED or was CANCELED, 3 the wait timed out,
//! 130 the wait was interrupted by Ctrl-C (the run goes on). Errors are
//! returned as `Err` (the caller exits 2).
//!
//! The host comes from `--host` or `KF_PIPELINES_ENDPOINT` (see [`connect`]
//! for the in-cluster and port-forward fallbacks); the token from
//! `--token`, `KF_PIPELINES_TOKEN`, or the file named by
//! `KF_PIPELINES_SA_TOKEN_PATH` (re-read on every request). kfp.Client's
//! `~/.config/kfp/context.json` gives defaults for the namespace, a cookie
//! and an auth header. Tokens, headers and cookies are never printed.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use kfp_client::models::*;
use kfp_client::{Client, Error, WaitOptions, check_arguments};
use serde::Serialize;
use serde_json::Value;

/// Options of every cluster subcommand.
#[derive(Args, Debug, Clone, Default)]
pub struct GlobalOpts {
    /// The API server, e.g. `http://localhost:8888` or
    /// `https://kubeflow.example.com/pipeline` [env: KF_PIPELINES_ENDPOINT].
    #[arg(long, global = true, value_name = "URL")]
    pub host: Option<String>,
    /// A bearer token [env: KF_PIPELINES_TOKEN; else the file named by
    /// KF_PIPELINES_SA_TOKEN_PATH].
    #[arg(long, global = true, value_name = "TOKEN")]
    pub token: Option<String>,
    /// The namespace (Kubeflow profile) in multi-user mode.
    #[arg(long, short = 'n', global = true)]
    pub namespace: Option<String>,
    /// An extra header for an auth proxy, `NAME: VALUE` (repeatable).
    #[arg(long = "header", global = true, value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// A cookie, `NAME=VALUE`, e.g. `oauth2_proxy_kubeflow=...`
    /// (repeatable).
    #[arg(long = "cookie", global = true, value_name = "NAME=VALUE")]
    pub cookies: Vec<String>,
    /// Mint the KFP token for this service account (in `--namespace`)
    /// with the kubeconfig's credentials.
    #[cfg(feature = "kube")]
    #[arg(long, global = true, value_name = "NAME")]
    pub kube_service_account: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long, global = true)]
    pub json: bool,
    /// The timeout of each request, in seconds.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = 30)]
    pub request_timeout: u64,
}

/// The cluster subcommands.
#[derive(Subcommand, Debug, Clone)]
pub enum ClusterCommand {
    /// Upload, list, show and delete pipelines on the server.
    #[command(subcommand)]
    Pipeline(PipelineCommand),
    /// Create, list, follow and stop runs.
    #[command(subcommand)]
    Run(RunCommand),
    /// Create and list experiments.
    #[command(subcommand)]
    Experiment(ExperimentCommand),
    /// Create, list, enable, disable and delete recurring (scheduled) runs.
    #[command(subcommand, name = "recurring-run")]
    RecurringRun(RecurringRunCommand),
}

/// `kfp pipeline ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum PipelineCommand {
    /// Upload a pipeline file (YAML or JSON) as a new pipeline, or as a new
    /// version of an existing one.
    Upload {
        /// The pipeline file.
        file: PathBuf,
        /// The unique name (default: `pipelineInfo.name` of the file).
        #[arg(long)]
        name: Option<String>,
        /// The name shown in the UI.
        #[arg(long)]
        display_name: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        /// Upload as a new version of this pipeline (an id).
        #[arg(long, value_name = "PIPELINE_ID")]
        version_of: Option<String>,
    },
    /// List pipelines.
    List(ListArgs),
    /// Show a pipeline, by id or with `--name`.
    Get {
        /// The pipeline id.
        #[arg(required_unless_present = "name")]
        id: Option<String>,
        /// Find the pipeline by its unique name instead.
        #[arg(long, conflicts_with = "id")]
        name: Option<String>,
    },
    /// List the versions of a pipeline.
    Versions {
        /// The pipeline id.
        id: String,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Delete a pipeline.
    Delete {
        /// The pipeline id.
        id: String,
        /// Delete its versions too.
        #[arg(long)]
        cascade: bool,
    },
    /// Kubernetes-native store: apply a pipeline file as `Pipeline` and
    /// `PipelineVersion` custom resources (server-side apply, with the
    /// kubeconfig's credentials) in `--namespace`.
    #[cfg(feature = "kube")]
    Apply {
        /// The pipeline file.
        file: PathBuf,
        /// The version name (DNS-1123).
        #[arg(long)]
        version: String,
        /// The pipeline name (default: `pipelineInfo.name` of the file).
        #[arg(long)]
        name: Option<String>,
        /// The name shown in the UI.
        #[arg(long)]
        display_name: Option<String>,
        /// A description.
        #[arg(long)]
        description: Option<String>,
    },
}

/// Paging and sorting of a list.
#[derive(Args, Debug, Clone, Default)]
pub struct ListArgs {
    /// Entries per page (the server caps at 200).
    #[arg(long, default_value_t = 20)]
    pub page_size: u32,
    /// The `next_page_token` printed by the previous page.
    #[arg(long)]
    pub page_token: Option<String>,
    /// Sort key and direction, e.g. `created_at desc`.
    #[arg(long)]
    pub sort_by: Option<String>,
    /// Only entries whose name contains this text.
    #[arg(long)]
    pub name_contains: Option<String>,
}

/// What a run or recurring run executes, and with which arguments.
#[derive(Args, Debug, Clone, Default)]
pub struct PipelineArgs {
    /// The pipeline file (YAML or JSON) to run inline.
    #[arg(required_unless_present = "pipeline_id")]
    pub file: Option<PathBuf>,
    /// Run a stored pipeline instead of a file (its latest version unless
    /// `--version-id` is given).
    #[arg(long, conflicts_with = "file")]
    pub pipeline_id: Option<String>,
    /// The stored version to run.
    #[arg(long, requires = "pipeline_id")]
    pub version_id: Option<String>,
    /// The experiment, by name; created when missing (default: `Default`
    /// when `--namespace` is given).
    #[arg(long, short = 'e')]
    pub experiment: Option<String>,
    /// A pipeline parameter, `NAME=VALUE` (repeatable); the value is
    /// parsed by the parameter's type.
    #[arg(long = "param", short = 'p', value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// Where artifacts go, e.g. `minio://mlpipeline/v2`.
    #[arg(long)]
    pub pipeline_root: Option<String>,
    /// The Kubernetes service account of the run's pods.
    #[arg(long)]
    pub service_account: Option<String>,
    /// Turn caching off for every task (inline files only).
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,
    /// Turn caching on for every task (inline files only).
    #[arg(long)]
    pub cache: bool,
    /// A description.
    #[arg(long)]
    pub description: Option<String>,
}

/// `kfp run ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum RunCommand {
    /// Create a run of a pipeline file or a stored pipeline.
    Create {
        #[command(flatten)]
        pipeline: PipelineArgs,
        /// The run name (default: `<pipeline name> <date time>`).
        #[arg(long)]
        name: Option<String>,
        /// Wait until the run ends.
        #[arg(long)]
        wait: bool,
        /// With `--wait`: give up after this many seconds.
        #[arg(long, value_name = "SECONDS", requires = "wait")]
        timeout: Option<u64>,
    },
    /// Show a run and its tasks.
    Get {
        /// The run id.
        id: String,
    },
    /// List runs.
    List {
        /// Only runs of this experiment (a name).
        #[arg(long, short = 'e')]
        experiment: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Wait until a run ends.
    Wait {
        /// The run id.
        id: String,
        /// Give up after this many seconds.
        #[arg(long, value_name = "SECONDS")]
        timeout: Option<u64>,
    },
    /// Stop a run (it moves to CANCELING, then CANCELED).
    Terminate {
        /// The run id.
        id: String,
    },
    /// Retry a failed or terminated run.
    Retry {
        /// The run id.
        id: String,
    },
    /// Archive a run.
    Archive {
        /// The run id.
        id: String,
    },
    /// Delete a run.
    Delete {
        /// The run id.
        id: String,
    },
}

/// `kfp experiment ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum ExperimentCommand {
    /// Create an experiment.
    Create {
        /// Its name.
        name: String,
        /// A description.
        #[arg(long)]
        description: Option<String>,
    },
    /// List experiments.
    List(ListArgs),
}

/// `kfp recurring-run ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum RecurringRunCommand {
    /// Create a recurring run with a cron or periodic trigger.
    Create(Box<RecurringCreate>),
    /// List recurring runs.
    List {
        /// Only those of this experiment (a name).
        #[arg(long, short = 'e')]
        experiment: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Enable a recurring run.
    Enable {
        /// Its id.
        id: String,
    },
    /// Disable a recurring run.
    Disable {
        /// Its id.
        id: String,
    },
    /// Delete a recurring run.
    Delete {
        /// Its id.
        id: String,
    },
}

/// `kfp recurring-run create`.
#[derive(Args, Debug, Clone)]
#[command(group = clap::ArgGroup::new("trigger").required(true).args(["cron", "every"]))]
pub struct RecurringCreate {
    /// Its name.
    #[arg(long)]
    pub name: String,
    /// What to run, with which arguments.
    #[command(flatten)]
    pub pipeline: PipelineArgs,
    /// A cron expression with seconds, e.g. `0 0 9 ? * 2-6`.
    #[arg(long)]
    pub cron: Option<String>,
    /// Start a run every this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub every: Option<i64>,
    /// No runs before this time (RFC 3339).
    #[arg(long)]
    pub start_time: Option<String>,
    /// No runs after this time (RFC 3339).
    #[arg(long)]
    pub end_time: Option<String>,
    /// At most this many runs at once.
    #[arg(long, default_value_t = 1)]
    pub max_concurrency: i64,
    /// Do not backfill missed runs.
    #[arg(long)]
    pub no_catchup: bool,
    /// Create it disabled.
    #[arg(long)]
    pub disabled: bool,
}

/// Fills options not given from kfp.Client's context file
/// (`~/.config/kfp/context.json`): `namespace`,
/// `client_authentication_cookie`, and `client_authentication_header_name`
/// with `client_authentication_header_value`.
pub fn with_context_file(global: &GlobalOpts, path: &Path) -> Result<GlobalOpts> {
    let mut merged = global.clone();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(merged),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let context: Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not a JSON object", path.display()))?;
    let field = |key: &str| {
        context
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    if merged.namespace.is_none() {
        merged.namespace = field("namespace");
    }
    if merged.cookies.is_empty()
        && let Some(cookie) = field("client_authentication_cookie")
    {
        merged.cookies.push(cookie);
    }
    if let (Some(name), Some(value)) = (
        field("client_authentication_header_name"),
        field("client_authentication_header_value"),
    ) && !merged.headers.iter().any(|h| {
        h.split(':')
            .next()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(&name))
    }) {
        merged.headers.push(format!("{name}: {value}"));
    }
    Ok(merged)
}

/// Runs a cluster subcommand; see the module docs for the exit status.
pub fn run(cmd: ClusterCommand, global: &GlobalOpts) -> Result<i32> {
    let context_file =
        std::env::var_os("HOME").map(|home| Path::new(&home).join(".config/kfp/context.json"));
    let global = &match context_file {
        Some(path) => with_context_file(global, &path)?,
        None => global.clone(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async {
        let connection = connect(global).await?;
        let client = &connection.client;
        let out = Output { json: global.json };
        match cmd {
            ClusterCommand::Pipeline(c) => pipeline(client, global, &out, c).await,
            ClusterCommand::Run(c) => run_cmd(client, global, &out, c).await,
            ClusterCommand::Experiment(c) => experiment(client, global, &out, c).await,
            ClusterCommand::RecurringRun(c) => recurring(client, global, &out, c).await,
        }
    })
}

/// A client and, when it goes through one, the port-forward that must
/// live as long as it.
pub struct Connection {
    /// The client.
    pub client: Client,
    /// The port-forward to `svc/ml-pipeline`, when no host was given.
    #[cfg(feature = "kube")]
    #[expect(dead_code, reason = "held, not read: it keeps the forward open")]
    pub port_forward: Option<kfp_client::k8s::PortForward>,
}

/// Builds the client from the global options and the environment.
///
/// The host is `--host`, else `KF_PIPELINES_ENDPOINT`, else (in a pod) the
/// in-cluster service `ml-pipeline.kubeflow`, else (feature `kube`) a
/// port-forward to `svc/ml-pipeline` port 8888 in `kubeflow` with the
/// current kubeconfig context. The token is `--token`, else
/// `KF_PIPELINES_TOKEN`, else (feature `kube`) one minted for
/// `--kube-service-account` in `--namespace`, else the file named by
/// `KF_PIPELINES_SA_TOKEN_PATH` (in a pod, its default path).
pub async fn connect(global: &GlobalOpts) -> Result<Connection> {
    let explicit_host = global
        .host
        .clone()
        .or_else(|| std::env::var("KF_PIPELINES_ENDPOINT").ok())
        .filter(|h| !h.trim().is_empty());
    let token = global
        .token
        .clone()
        .or_else(|| std::env::var("KF_PIPELINES_TOKEN").ok())
        .filter(|t| !t.trim().is_empty());
    #[cfg(feature = "kube")]
    let mut port_forward = None;
    let mut builder = match explicit_host {
        Some(host) => Client::builder(host).token_file_from_env(),
        None if kfp_client::running_in_cluster() => kfp_client::ClientBuilder::in_cluster(None),
        #[cfg(feature = "kube")]
        None => {
            let kube = kfp_client::k8s::kube_client().await.context(
                "no --host, no KF_PIPELINES_ENDPOINT, and no usable kubeconfig to port-forward with",
            )?;
            let forward = kfp_client::k8s::PortForward::to_kfp(&kube).await?;
            eprintln!(
                "port-forwarding {} to kubeflow/{} port {}",
                forward.host(),
                forward.target().pod,
                forward.target().port
            );
            let builder = Client::builder(forward.host()).token_file_from_env();
            port_forward = Some(forward);
            builder
        }
        #[cfg(not(feature = "kube"))]
        None => bail!(
            "no API server given: pass --host URL or set KF_PIPELINES_ENDPOINT (for a cluster, e.g. `kubectl port-forward -n kubeflow svc/ml-pipeline 8888:8888` then --host http://localhost:8888)"
        ),
    };
    builder = builder.timeout(Duration::from_secs(global.request_timeout.max(1)));
    if let Some(t) = token {
        builder = builder.token(t);
    } else {
        #[cfg(feature = "kube")]
        if let Some(account) = &global.kube_service_account {
            let kube = kfp_client::k8s::kube_client().await?;
            let namespace = global
                .namespace
                .clone()
                .unwrap_or_else(|| kube.default_namespace().to_owned());
            builder = builder
                .token(kfp_client::k8s::mint_token(&kube, &namespace, account, Some(3600)).await?);
        }
    }
    for header in &global.headers {
        let (name, value) = header
            .split_once(':')
            .ok_or_else(|| anyhow!("--header wants `NAME: VALUE`, got a value without `:`"))?;
        builder = builder.header(name.trim(), value.trim());
    }
    for cookie in &global.cookies {
        builder = builder.cookie(cookie);
    }
    Ok(Connection {
        client: builder.build()?,
        #[cfg(feature = "kube")]
        port_forward,
    })
}

// ----- pipeline files ------------------------------------------------------

/// A pipeline file as JSON: the pipeline spec, the platform spec if any,
/// and the raw bytes (for upload).
#[derive(Debug, Clone)]
pub struct LoadedPipeline {
    /// The `PipelineSpec` document.
    pub spec: Value,
    /// The `PlatformSpec` documents merged, when the file has any.
    pub platform: Option<Value>,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl LoadedPipeline {
    /// `pipelineInfo.name`.
    pub fn name(&self) -> Option<&str> {
        self.spec
            .pointer("/pipelineInfo/name")
            .and_then(Value::as_str)
    }
}

/// Reads a pipeline file: JSON for `.json`, YAML (one pipeline document,
/// then optional platform documents) otherwise.
pub fn load_pipeline(path: &Path) -> Result<LoadedPipeline> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = std::str::from_utf8(&bytes)
        .with_context(|| format!("{}: not UTF-8 text", path.display()))?;
    let mut docs: Vec<Value> = if path.extension().is_some_and(|e| e == "json") {
        vec![
            serde_json::from_str(text)
                .with_context(|| format!("{}: invalid JSON", path.display()))?,
        ]
    } else {
        kfp_ir_schema::yaml::load(text)
            .map_err(|e| anyhow!("{}: {e}", path.display()))?
            .into_iter()
            .map(|d| d.value)
            .collect()
    };
    if docs.is_empty() {
        bail!("{}: the file holds no pipeline", path.display());
    }
    let spec = docs.remove(0);
    if !spec.is_object() || spec.get("root").is_none() {
        bail!(
            "{}: the first document is not a pipeline spec (no `root`)",
            path.display()
        );
    }
    let platform = merge_platform_docs(docs);
    Ok(LoadedPipeline {
        spec,
        platform,
        bytes,
    })
}

/// Merges platform documents (`{"platforms": {...}}`) one level deep, as
/// protobuf's `MergeFrom` does for the platform map.
fn merge_platform_docs(docs: Vec<Value>) -> Option<Value> {
    let mut platforms = serde_json::Map::new();
    for doc in docs {
        if let Some(Value::Object(p)) = doc.get("platforms") {
            for (k, v) in p {
                platforms.insert(k.clone(), v.clone());
            }
        }
    }
    (!platforms.is_empty()).then(|| serde_json::json!({ "platforms": platforms }))
}

/// The root input definitions of a pipeline spec (or of a
/// `{pipeline_spec, platform_spec}` wrapper).
fn root_inputs(spec: &Value) -> Value {
    let spec = match spec.get("pipeline_spec") {
        Some(inner) if spec.get("root").is_none() => inner,
        _ => spec,
    };
    spec.pointer("/root/inputDefinitions")
        .cloned()
        .unwrap_or(Value::Null)
}

// ----- output --------------------------------------------------------------

struct Output {
    json: bool,
}

impl Output {
    fn value<T: Serialize>(&self, value: &T, table: impl FnOnce() -> Table) -> Result<()> {
        if self.json {
            println!("{}", serde_json::to_string_pretty(value)?);
        } else {
            print!("{}", table().render());
        }
        Ok(())
    }

    fn done(&self, what: &str, id: &str) {
        if self.json {
            println!("{}", serde_json::json!({ "ok": what, "id": id }));
        } else {
            println!("{what} {id}");
        }
    }
}

/// A text table with aligned columns.
#[derive(Debug, Default)]
pub struct Table {
    header: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    footer: Option<String>,
}

impl Table {
    fn new(header: &[&'static str]) -> Self {
        Self {
            header: header.to_vec(),
            ..Self::default()
        }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn next_page(mut self, token: &str) -> Self {
        if !token.is_empty() {
            self.footer = Some(format!("next page: --page-token {token}"));
        }
        self
    }

    /// The table as text, columns separated by two spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate() {
                if let Some(w) = widths.get_mut(i) {
                    *w = (*w).max(cell.chars().count());
                }
            }
        }
        let line = |cells: Vec<&str>| {
            let mut s = String::new();
            for (i, cell) in cells.iter().enumerate() {
                if i + 1 == cells.len() {
                    s.push_str(cell);
                } else {
                    s.push_str(&format!("{cell:<w$}  ", w = widths[i]));
                }
            }
            s.trim_end().to_owned() + "\n"
        };
        let mut out = line(self.header.clone());
        for row in &self.rows {
            out.push_str(&line(row.iter().map(String::as_str).collect()));
        }
        if let Some(f) = &self.footer {
            out.push_str(f);
            out.push('\n');
        }
        out
    }
}

fn opt_str(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

fn pipelines_table(pipelines: &[Pipeline]) -> Table {
    let mut t = Table::new(&[
        "PIPELINE ID",
        "NAME",
        "DISPLAY NAME",
        "NAMESPACE",
        "CREATED",
    ]);
    for p in pipelines {
        t.row(vec![
            p.pipeline_id.clone(),
            p.name.clone(),
            p.display_name.clone(),
            p.namespace.clone(),
            opt_str(&p.created_at),
        ]);
    }
    t
}

fn versions_table(versions: &[PipelineVersion]) -> Table {
    let mut t = Table::new(&["VERSION ID", "NAME", "DISPLAY NAME", "CREATED"]);
    for v in versions {
        t.row(vec![
            v.pipeline_version_id.clone(),
            v.name.clone(),
            v.display_name.clone(),
            opt_str(&v.created_at),
        ]);
    }
    t
}

fn runs_table(runs: &[Run]) -> Table {
    let mut t = Table::new(&[
        "RUN ID",
        "NAME",
        "STATE",
        "EXPERIMENT ID",
        "CREATED",
        "FINISHED",
    ]);
    for r in runs {
        t.row(vec![
            r.run_id.clone(),
            r.display_name.clone(),
            r.state.to_string(),
            r.experiment_id.clone(),
            opt_str(&r.created_at),
            opt_str(&r.finished_at),
        ]);
    }
    t
}

fn run_detail_table(run: &Run) -> Table {
    let mut t = runs_table(std::slice::from_ref(run));
    if let Some(details) = &run.run_details {
        t.row(Vec::new());
        t.row(vec!["TASK".into(), "STATE".into(), "POD".into()]);
        for task in &details.task_details {
            t.row(vec![
                task.display_name.clone(),
                task.state.to_string(),
                task.pod_name.clone(),
            ]);
        }
    }
    if let Some(error) = &run.error {
        t.footer = Some(format!("error: {}", error.user_message()));
    }
    t
}

fn experiments_table(experiments: &[Experiment]) -> Table {
    let mut t = Table::new(&["EXPERIMENT ID", "NAME", "NAMESPACE", "STATE", "CREATED"]);
    for e in experiments {
        t.row(vec![
            e.experiment_id.clone(),
            e.display_name.clone(),
            e.namespace.clone(),
            e.storage_state.to_string(),
            opt_str(&e.created_at),
        ]);
    }
    t
}

fn recurring_table(runs: &[RecurringRun]) -> Table {
    let mut t = Table::new(&[
        "RECURRING RUN ID",
        "NAME",
        "STATUS",
        "TRIGGER",
        "EXPERIMENT ID",
    ]);
    for r in runs {
        let trigger = match &r.trigger {
            Some(Trigger {
                cron_schedule: Some(c),
                ..
            }) => format!("cron {}", c.cron),
            Some(Trigger {
                periodic_schedule: Some(p),
                ..
            }) => format!("every {}s", p.interval_second.unwrap_or_default()),
            _ => String::new(),
        };
        t.row(vec![
            r.recurring_run_id.clone(),
            r.display_name.clone(),
            r.status.to_string(),
            trigger,
            r.experiment_id.clone(),
        ]);
    }
    t
}

fn list_options(list: &ListArgs, namespace: Option<&str>, name_key: &str) -> ListOptions {
    ListOptions {
        page_token: list.page_token.clone(),
        page_size: Some(list.page_size),
        sort_by: list.sort_by.clone(),
        filter: list.name_contains.as_ref().map(|text| {
            Filter::default().and(
                name_key,
                PredicateOperation::IsSubstring,
                PredicateValue::String(text.clone()),
            )
        }),
        namespace: namespace.map(str::to_owned),
    }
}

// ----- subcommands ---------------------------------------------------------

async fn pipeline(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    cmd: PipelineCommand,
) -> Result<i32> {
    let ns = g.namespace.as_deref();
    match cmd {
        PipelineCommand::Upload {
            file,
            name,
            display_name,
            description,
            version_of,
        } => {
            let loaded = load_pipeline(&file)?;
            let file_name = file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| "pipeline.yaml".into());
            let mut upload = PipelineUpload::new(file_name, loaded.bytes.clone());
            upload.name = name.or_else(|| loaded.name().map(str::to_owned));
            upload.display_name = display_name;
            upload.description = description;
            match version_of {
                Some(pipeline_id) => {
                    let v = client
                        .upload_pipeline_version(&pipeline_id, &upload)
                        .await?;
                    out.value(&v, || versions_table(std::slice::from_ref(&v)))?;
                }
                None => {
                    upload.namespace = g.namespace.clone();
                    let p = client.upload_pipeline(&upload).await?;
                    out.value(&p, || pipelines_table(std::slice::from_ref(&p)))?;
                }
            }
        }
        PipelineCommand::List(list) => {
            let page = client
                .list_pipelines(&list_options(&list, ns, "name"))
                .await?;
            out.value(&page, || {
                pipelines_table(&page.pipelines).next_page(&page.next_page_token)
            })?;
        }
        PipelineCommand::Get { id, name } => {
            let p = match (id, name) {
                (Some(id), _) => client.get_pipeline(&id).await?,
                (None, Some(name)) => client
                    .get_pipeline_by_name(&name, ns)
                    .await?
                    .ok_or_else(|| anyhow!("no pipeline is named `{name}`"))?,
                (None, None) => bail!("give a pipeline id or --name"),
            };
            out.value(&p, || pipelines_table(std::slice::from_ref(&p)))?;
        }
        PipelineCommand::Versions { id, list } => {
            let page = client
                .list_pipeline_versions(&id, &list_options(&list, None, "name"))
                .await?;
            out.value(&page, || {
                versions_table(&page.pipeline_versions).next_page(&page.next_page_token)
            })?;
        }
        PipelineCommand::Delete { id, cascade } => {
            client.delete_pipeline(&id, cascade).await?;
            out.done("deleted pipeline", &id);
        }
        #[cfg(feature = "kube")]
        PipelineCommand::Apply {
            file,
            version,
            name,
            display_name,
            description,
        } => apply_resources(g, out, &file, version, name, display_name, description).await?,
    }
    Ok(0)
}

#[cfg(feature = "kube")]
async fn apply_resources(
    g: &GlobalOpts,
    out: &Output,
    file: &Path,
    version: String,
    name: Option<String>,
    display_name: Option<String>,
    description: Option<String>,
) -> Result<()> {
    use kfp_client::k8s::{self, PipelineResource, PipelineVersionResource};
    let loaded = load_pipeline(file)?;
    let pipeline_name = name
        .or_else(|| loaded.name().map(str::to_owned))
        .ok_or_else(|| anyhow!("{}: no pipelineInfo.name; pass --name", file.display()))?;
    let kube = k8s::kube_client().await?;
    let namespace = g
        .namespace
        .clone()
        .unwrap_or_else(|| kube.default_namespace().to_owned());
    let pipeline = k8s::apply_pipeline(
        &kube,
        &namespace,
        &PipelineResource {
            name: pipeline_name.clone(),
            display_name: display_name.clone(),
            description: description.clone(),
            tags: BTreeMap::new(),
        },
    )
    .await?;
    let applied = k8s::apply_pipeline_version(
        &kube,
        &namespace,
        &PipelineVersionResource {
            pipeline_name,
            version_name: version,
            display_name,
            description,
            pipeline_spec: loaded.spec,
            platform_spec: loaded.platform,
            ..PipelineVersionResource::default()
        },
    )
    .await?;
    let summary = serde_json::json!({
        "namespace": namespace,
        "pipeline": pipeline.metadata.name,
        "pipeline_id": pipeline.metadata.uid,
        "pipeline_version": applied.metadata.name,
        "pipeline_version_id": applied.metadata.uid,
    });
    out.value(&summary, || {
        let mut t = Table::new(&[
            "NAMESPACE",
            "PIPELINE",
            "PIPELINE ID",
            "VERSION",
            "VERSION ID",
        ]);
        let field = |k: &str| summary[k].as_str().unwrap_or_default().to_owned();
        t.row(
            [
                "namespace",
                "pipeline",
                "pipeline_id",
                "pipeline_version",
                "pipeline_version_id",
            ]
            .map(field)
            .to_vec(),
        );
        t
    })
}

/// The source, parameters and runtime config of a run, checked against the
/// pipeline's root inputs before anything is created.
struct PreparedRun {
    source: PipelineSource,
    runtime_config: RuntimeConfig,
    experiment_id: Option<String>,
    pipeline_name: String,
}

async fn prepare(client: &Client, g: &GlobalOpts, args: &PipelineArgs) -> Result<PreparedRun> {
    let (mut source, inputs, pipeline_name) = match (&args.file, &args.pipeline_id) {
        (Some(file), _) => {
            let loaded = load_pipeline(file)?;
            let name = loaded.name().unwrap_or("pipeline").to_owned();
            let inputs = root_inputs(&loaded.spec);
            (
                PipelineSource::inline(loaded.spec, loaded.platform),
                inputs,
                name,
            )
        }
        (None, Some(pipeline_id)) => {
            let version = match &args.version_id {
                Some(v) => client.get_pipeline_version(pipeline_id, v).await?,
                None => latest_version(client, pipeline_id).await?,
            };
            let inputs = version
                .pipeline_spec
                .as_ref()
                .map(root_inputs)
                .unwrap_or(Value::Null);
            (
                PipelineSource::version(pipeline_id.clone(), args.version_id.clone()),
                inputs,
                version.display_name.clone(),
            )
        }
        (None, None) => bail!("give a pipeline file or --pipeline-id"),
    };
    let given = kfp_client::args::parse_key_values(args.params.iter().map(String::as_str))
        .map_err(|e| anyhow!("--param: {e}"))?;
    let parameters = check_arguments(&inputs, &given)?;
    if (args.cache || args.no_cache) && !source.set_caching(args.cache) {
        bail!(
            "--cache/--no-cache work on a pipeline file only: a stored version's caching is fixed at upload"
        );
    }
    // A run in a namespace needs an experiment there: "Default", as kfp.Client.
    let experiment = args.experiment.as_deref().or(g
        .namespace
        .as_ref()
        .map(|_| kfp_client::submit::DEFAULT_EXPERIMENT));
    let experiment_id = match experiment {
        Some(name) => Some(
            client
                .ensure_experiment(name, g.namespace.as_deref())
                .await?
                .experiment_id,
        ),
        None => None,
    };
    Ok(PreparedRun {
        source,
        runtime_config: RuntimeConfig {
            parameters,
            pipeline_root: args.pipeline_root.clone().unwrap_or_default(),
        },
        experiment_id,
        pipeline_name,
    })
}

async fn latest_version(client: &Client, pipeline_id: &str) -> Result<PipelineVersion> {
    let options = ListOptions {
        page_size: Some(1),
        sort_by: Some("created_at desc".into()),
        ..ListOptions::default()
    };
    client
        .list_pipeline_versions(pipeline_id, &options)
        .await?
        .pipeline_versions
        .into_iter()
        .next()
        .ok_or_else(|| anyhow!("pipeline {pipeline_id} has no version"))
}

async fn experiment_id_by_name(client: &Client, g: &GlobalOpts, name: &str) -> Result<String> {
    Ok(client
        .get_experiment_by_name(name, g.namespace.as_deref())
        .await?
        .ok_or_else(|| anyhow!("no experiment is named `{name}`"))?
        .experiment_id)
}

async fn run_cmd(client: &Client, g: &GlobalOpts, out: &Output, cmd: RunCommand) -> Result<i32> {
    match cmd {
        RunCommand::Create {
            pipeline,
            name,
            wait,
            timeout,
        } => {
            let prepared = prepare(client, g, &pipeline).await?;
            let display_name =
                name.unwrap_or_else(|| format!("{} {}", prepared.pipeline_name, now_stamp()));
            let mut new_run = NewRun::new(display_name, prepared.source);
            new_run.description = pipeline.description.clone();
            new_run.experiment_id = prepared.experiment_id;
            new_run.runtime_config = Some(prepared.runtime_config);
            new_run.service_account = pipeline.service_account.clone();
            let run = client.create_run(&new_run).await?;
            if !wait {
                out.value(&run, || runs_table(std::slice::from_ref(&run)))?;
                return Ok(0);
            }
            eprintln!("created run {}", run.run_id);
            wait_run(client, out, &run.run_id, timeout).await
        }
        RunCommand::Get { id } => {
            let run = client.get_run(&id).await?;
            out.value(&run, || run_detail_table(&run))?;
            Ok(0)
        }
        RunCommand::List { experiment, list } => {
            let experiment_id = match &experiment {
                Some(name) => Some(experiment_id_by_name(client, g, name).await?),
                None => None,
            };
            let mut options = list_options(&list, g.namespace.as_deref(), "display_name");
            if options.sort_by.is_none() {
                options.sort_by = Some("created_at desc".into());
            }
            let page = client.list_runs(experiment_id.as_deref(), &options).await?;
            out.value(&page, || {
                runs_table(&page.runs).next_page(&page.next_page_token)
            })?;
            Ok(0)
        }
        RunCommand::Wait { id, timeout } => wait_run(client, out, &id, timeout).await,
        RunCommand::Terminate { id } => {
            client.terminate_run(&id).await?;
            out.done("terminating run", &id);
            Ok(0)
        }
        RunCommand::Retry { id } => {
            client.retry_run(&id).await?;
            out.done("retrying run", &id);
            Ok(0)
        }
        RunCommand::Archive { id } => {
            client.archive_run(&id).await?;
            out.done("archived run", &id);
            Ok(0)
        }
        RunCommand::Delete { id } => {
            client.delete_run(&id).await?;
            out.done("deleted run", &id);
            Ok(0)
        }
    }
}

/// Waits for a run, showing its state and its tasks' states as they
/// change; Ctrl-C stops the wait (not the run).
async fn wait_run(
    client: &Client,
    out: &Output,
    run_id: &str,
    timeout: Option<u64>,
) -> Result<i32> {
    let options = WaitOptions {
        timeout: timeout.map(Duration::from_secs),
        ..WaitOptions::default()
    };
    let mut progress = Progress::new(std::io::stderr().is_terminal());
    let cancel = async {
        // If the handler cannot be installed, never cancel.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let result = client
        .wait_for_run_with(run_id, &options, cancel, |run| progress.update(run))
        .await;
    progress.finish();
    match result {
        Ok(run) => {
            out.value(&run, || run_detail_table(&run))?;
            Ok(exit_code(&run.state))
        }
        Err(Error::WaitTimeout {
            after, last_state, ..
        }) => {
            eprintln!(
                "run {run_id} is still {last_state} after {after:?}; stopped waiting (the run goes on)"
            );
            Ok(3)
        }
        Err(Error::WaitCancelled { last_state, .. }) => {
            eprintln!(
                "interrupted: run {run_id} is {last_state} and goes on; `kfp run terminate {run_id}` stops it"
            );
            Ok(130)
        }
        Err(e) => Err(e.into()),
    }
}

/// The exit status for a terminal run state.
pub fn exit_code(state: &RuntimeState) -> i32 {
    match state {
        RuntimeState::Succeeded | RuntimeState::Skipped => 0,
        _ => 1,
    }
}

/// The live display of a wait: one line per change, rewritten in place on
/// a terminal.
struct Progress {
    terminal: bool,
    started: Instant,
    last: String,
}

impl Progress {
    fn new(terminal: bool) -> Self {
        Self {
            terminal,
            started: Instant::now(),
            last: String::new(),
        }
    }

    fn update(&mut self, run: &Run) {
        let line = progress_line(run);
        if line == self.last {
            return;
        }
        let elapsed = self.started.elapsed().as_secs();
        let mut err = std::io::stderr().lock();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K[{elapsed:>4}s] {line}");
        } else {
            let _ = writeln!(err, "[{elapsed:>4}s] {line}");
        }
        let _ = err.flush();
        self.last = line;
    }

    fn finish(&self) {
        if self.terminal && !self.last.is_empty() {
            eprintln!();
        }
    }
}

/// `run STATE | task=STATE, ...`, tasks in name order.
pub fn progress_line(run: &Run) -> String {
    let mut tasks: Vec<(String, String)> = run
        .run_details
        .iter()
        .flat_map(|d| &d.task_details)
        .filter(|t| !t.display_name.is_empty())
        .map(|t| (t.display_name.clone(), t.state.to_string()))
        .collect();
    tasks.sort();
    let mut line = format!("run {}", run.state);
    if !tasks.is_empty() {
        let shown: Vec<String> = tasks.iter().map(|(n, s)| format!("{n}={s}")).collect();
        line.push_str(" | ");
        line.push_str(&shown.join(", "));
    }
    line
}

async fn experiment(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    cmd: ExperimentCommand,
) -> Result<i32> {
    match cmd {
        ExperimentCommand::Create { name, description } => {
            let e = client
                .create_experiment(&NewExperiment {
                    display_name: name,
                    description,
                    namespace: g.namespace.clone(),
                })
                .await?;
            out.value(&e, || experiments_table(std::slice::from_ref(&e)))?;
        }
        ExperimentCommand::List(list) => {
            let page = client
                .list_experiments(&list_options(&list, g.namespace.as_deref(), "display_name"))
                .await?;
            out.value(&page, || {
                experiments_table(&page.experiments).next_page(&page.next_page_token)
            })?;
        }
    }
    Ok(0)
}

async fn recurring(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    cmd: RecurringRunCommand,
) -> Result<i32> {
    match cmd {
        RecurringRunCommand::Create(create) => {
            let RecurringCreate {
                name,
                pipeline,
                cron,
                every,
                start_time,
                end_time,
                max_concurrency,
                no_catchup,
                disabled,
            } = *create;
            let trigger = match (cron, every) {
                (Some(expr), None) => Trigger {
                    cron_schedule: Some(CronSchedule {
                        start_time,
                        end_time,
                        cron: expr,
                    }),
                    periodic_schedule: None,
                },
                (None, Some(seconds)) if seconds > 0 => Trigger {
                    cron_schedule: None,
                    periodic_schedule: Some(PeriodicSchedule {
                        start_time,
                        end_time,
                        interval_second: Some(seconds),
                    }),
                },
                (None, Some(_)) => bail!("--every must be a positive number of seconds"),
                _ => bail!("give one of --cron or --every"),
            };
            if max_concurrency < 1 {
                bail!("--max-concurrency must be at least 1");
            }
            let prepared = prepare(client, g, &pipeline).await?;
            let mut rr = NewRecurringRun::new(name, prepared.source, trigger);
            rr.description = pipeline.description.clone();
            rr.experiment_id = prepared.experiment_id;
            rr.runtime_config = prepared.runtime_config;
            rr.service_account = pipeline.service_account.clone();
            rr.max_concurrency = max_concurrency;
            rr.no_catchup = no_catchup;
            if disabled {
                rr.mode = RecurringRunMode::Disable;
            }
            let created = client.create_recurring_run(&rr).await?;
            out.value(&created, || recurring_table(std::slice::from_ref(&created)))?;
        }
        RecurringRunCommand::List { experiment, list } => {
            let experiment_id = match &experiment {
                Some(name) => Some(experiment_id_by_name(client, g, name).await?),
                None => None,
            };
            let options = list_options(&list, g.namespace.as_deref(), "display_name");
            let page = client
                .list_recurring_runs(experiment_id.as_deref(), &options)
                .await?;
            out.value(&page, || {
                recurring_table(&page.recurring_runs).next_page(&page.next_page_token)
            })?;
        }
        RecurringRunCommand::Enable { id } => {
            client.enable_recurring_run(&id).await?;
            out.done("enabled recurring run", &id);
        }
        RecurringRunCommand::Disable { id } => {
            client.disable_recurring_run(&id).await?;
            out.done("disabled recurring run", &id);
        }
        RecurringRunCommand::Delete { id } => {
            client.delete_recurring_run(&id).await?;
            out.done("deleted recurring run", &id);
        }
    }
    Ok(0)
}

/// The default run name suffix, UTC: `YYYY-MM-DD HH-MM-SS`.
fn now_stamp() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    kfp_client::submit::utc_stamp(secs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use serde_json::json;

    #[derive(Parser, Debug)]
    struct TestCli {
        #[command(flatten)]
        global: GlobalOpts,
        #[command(subcommand)]
        cmd: ClusterCommand,
    }

    fn parse(args: &[&str]) -> Result<TestCli, clap::Error> {
        TestCli::try_parse_from(std::iter::once("kfp").chain(args.iter().copied()))
    }

    #[test]
    fn run_create_parses_every_option() {
        let cli = parse(&[
            "run",
            "create",
            "p.yaml",
            "--experiment",
            "exp",
            "--param",
            "msg=hi",
            "-p",
            "n=3",
            "--wait",
            "--timeout",
            "60",
            "--host",
            "http://h",
            "--token",
            "t",
            "--namespace",
            "team-a",
            "--header",
            "x-a: b",
            "--cookie",
            "c=d",
            "--json",
            "--no-cache",
        ])
        .unwrap();
        assert_eq!(cli.global.host.as_deref(), Some("http://h"));
        assert_eq!(cli.global.namespace.as_deref(), Some("team-a"));
        assert!(cli.global.json);
        let ClusterCommand::Run(RunCommand::Create {
            pipeline,
            wait,
            timeout,
            ..
        }) = cli.cmd
        else {
            panic!("not run create");
        };
        assert!(wait && pipeline.no_cache);
        assert_eq!(timeout, Some(60));
        assert_eq!(pipeline.params, ["msg=hi", "n=3"]);
        assert_eq!(pipeline.experiment.as_deref(), Some("exp"));
    }

    #[test]
    fn recurring_run_needs_exactly_one_trigger() {
        assert!(parse(&["recurring-run", "create", "--name", "r", "p.yaml"]).is_err());
        assert!(
            parse(&[
                "recurring-run",
                "create",
                "--name",
                "r",
                "p.yaml",
                "--cron",
                "0 * * * * *",
                "--every",
                "5"
            ])
            .is_err()
        );
        assert!(
            parse(&[
                "recurring-run",
                "create",
                "--name",
                "r",
                "--pipeline-id",
                "p",
                "--every",
                "60"
            ])
            .is_ok()
        );
        assert!(
            parse(&["run", "create"]).is_err(),
            "a file or --pipeline-id is required"
        );
        assert!(
            parse(&["run", "create", "p.yaml", "--timeout", "5"]).is_err(),
            "--timeout needs --wait"
        );
    }

    #[test]
    fn the_token_never_reaches_debug_output() {
        let g = GlobalOpts {
            host: Some("http://127.0.0.1:9".into()),
            token: Some("very-secret".into()),
            cookies: vec!["s=cookie-secret".into()],
            headers: vec!["x-auth: header-secret".into()],
            ..GlobalOpts::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let debug = format!("{:?}", rt.block_on(connect(&g)).unwrap().client);
        for secret in ["very-secret", "cookie-secret", "header-secret"] {
            assert!(!debug.contains(secret), "{debug}");
        }
        let bad = GlobalOpts {
            headers: vec!["no-colon".into()],
            ..g
        };
        assert!(rt.block_on(connect(&bad)).is_err());
    }

    #[test]
    fn the_kfp_context_file_fills_missing_options() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("context.json");
        let given = GlobalOpts {
            headers: vec!["x-other: 1".into()],
            ..GlobalOpts::default()
        };
        assert_eq!(
            with_context_file(&given, &path).unwrap().headers,
            given.headers,
            "a missing file changes nothing"
        );
        std::fs::write(
            &path,
            r#"{"namespace": "team-a", "client_authentication_cookie": "authservice_session=abc",
                "client_authentication_header_name": "x-auth", "client_authentication_header_value": "v"}"#,
        )
        .unwrap();
        let merged = with_context_file(&given, &path).unwrap();
        assert_eq!(merged.namespace.as_deref(), Some("team-a"));
        assert_eq!(merged.cookies, ["authservice_session=abc"]);
        assert_eq!(merged.headers, ["x-other: 1", "x-auth: v"]);
        let explicit = GlobalOpts {
            namespace: Some("mine".into()),
            cookies: vec!["c=1".into()],
            headers: vec!["X-Auth: mine".into()],
            ..GlobalOpts::default()
        };
        let merged = with_context_file(&explicit, &path).unwrap();
        assert_eq!(merged.namespace.as_deref(), Some("mine"));
        assert_eq!(merged.cookies, ["c=1"]);
        assert_eq!(merged.headers, ["X-Auth: mine"]);
        std::fs::write(&path, "not json").unwrap();
        assert!(with_context_file(&explicit, &path).is_err());
    }

    #[test]
    fn tables_align_columns() {
        let mut t = Table::new(&["A", "LONGER"]);
        t.row(vec!["value".into(), "x".into()]);
        let t = t.next_page("tok");
        assert_eq!(
            t.render(),
            "A      LONGER\nvalue  x\nnext page: --page-token tok\n"
        );
    }

    #[test]
    fn progress_shows_run_and_task_states() {
        let run: Run = serde_json::from_value(json!({
            "state": "RUNNING",
            "run_details": {"task_details": [
                {"display_name": "train", "state": "RUNNING"},
                {"display_name": "load", "state": "SUCCEEDED"},
                {"state": "PENDING"}
            ]}
        }))
        .unwrap();
        assert_eq!(
            progress_line(&run),
            "run RUNNING | load=SUCCEEDED, train=RUNNING"
        );
        assert_eq!(exit_code(&RuntimeState::Canceled), 1);
        assert_eq!(exit_code(&RuntimeState::Skipped), 0);
    }

    #[test]
    fn pipeline_files_load_with_their_platform_doc() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(
            &path,
            "pipelineInfo:\n  name: demo\nroot:\n  inputDefinitions:\n    parameters:\n      msg:\n        parameterType: STRING\nschemaVersion: 2.1.0\n---\nplatforms:\n  kubernetes:\n    deploymentSpec: {}\n",
        )
        .unwrap();
        let loaded = load_pipeline(&path).unwrap();
        assert_eq!(loaded.name(), Some("demo"));
        assert_eq!(
            loaded.platform,
            Some(json!({"platforms": {"kubernetes": {"deploymentSpec": {}}}}))
        );
        let inputs = root_inputs(&loaded.spec);
        assert_eq!(
            inputs.pointer("/parameters/msg/parameterType"),
            Some(&json!("STRING"))
        );
        let wrapped = PipelineSource::inline(loaded.spec, loaded.platform);
        let PipelineSource::PipelineSpec(w) = &wrapped else {
            panic!()
        };
        assert_eq!(root_inputs(w), inputs);

        std::fs::write(&path, "platforms: {}\n").unwrap();
        assert!(
            load_pipeline(&path)
                .unwrap_err()
                .to_string()
                .contains("not a pipeline spec")
        );
    }
}
