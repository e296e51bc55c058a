//! What a run or a recurring run executes, and with which arguments: the
//! options they share, checked before anything is created.

use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use kfp_client::Client;
use kfp_client::models::{PipelineSource, RuntimeConfig};
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::arguments::{check_arguments, parse_key_values};
use kfp_ir_schema::validate::UncheckedFile;

use crate::connect::GlobalOpts;
use crate::pipeline::latest_version;

/// What a run or recurring run executes, and with which arguments.
#[derive(Args, Debug, Clone, Default)]
pub struct PipelineArgs {
    /// The pipeline file (YAML or JSON) to run inline. It is checked
    /// against the IR schema and the KFP backend's rules first, and refused
    /// before anything is sent if it is not valid.
    #[arg(required_unless_present = "pipeline_id")]
    pub file: Option<PathBuf>,
    /// Send the file as it is, unchecked (say, for a newer KFP server whose
    /// IR has fields this `kfp` does not know); `--param` values are still
    /// checked when the file's root inputs read as IR.
    #[arg(long, requires = "file")]
    pub no_validate: bool,
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

/// The source, parameters and runtime config of a run, checked against the
/// pipeline's root inputs before anything is created.
#[derive(Debug)]
pub struct PreparedRun {
    /// What runs.
    pub source: PipelineSource,
    /// The checked parameters and the pipeline root.
    pub runtime_config: RuntimeConfig,
    /// The experiment, when one was named or a namespace needs one.
    pub experiment_id: Option<String>,
    /// The pipeline's name, for the default run name.
    pub pipeline_name: String,
}

/// Reads what `args` runs (a pipeline file, or a stored version's spec),
/// checks the `--param` arguments against its root inputs, and finds or
/// creates the experiment. Nothing is created when an argument is wrong.
pub async fn prepare(client: &Client, g: &GlobalOpts, args: &PipelineArgs) -> Result<PreparedRun> {
    let (mut source, inputs, pipeline_name) = match (&args.file, &args.pipeline_id) {
        (Some(file), _) if args.no_validate => {
            let pipeline = UncheckedFile::read(file)?;
            let name = pipeline.name().unwrap_or("pipeline").to_owned();
            let inputs = pipeline.root_inputs();
            (PipelineSource::unchecked(pipeline), inputs, name)
        }
        (Some(file), _) => {
            let pipeline = PipelineFile::read(file)?;
            let name = pipeline.spec.name().unwrap_or("pipeline").to_owned();
            let inputs = pipeline.spec.root_inputs().cloned();
            (PipelineSource::inline(pipeline), inputs, name)
        }
        (None, Some(pipeline_id)) => {
            let version = match &args.version_id {
                Some(v) => client.get_pipeline_version(pipeline_id, v).await?,
                None => latest_version(client, pipeline_id).await?,
            };
            let pipeline = version.pipeline().with_context(|| {
                format!(
                    "pipeline {pipeline_id}, version {}: cannot read the pipeline spec the server sent",
                    version.pipeline_version_id
                )
            })?;
            let inputs = pipeline.and_then(|p| p.spec.root_inputs().cloned());
            (
                PipelineSource::version(pipeline_id.clone(), args.version_id.clone()),
                inputs,
                version.display_name.clone(),
            )
        }
        (None, None) => bail!("give a pipeline file or --pipeline-id"),
    };
    let given = parse_key_values(args.params.iter().map(String::as_str))
        .map_err(|e| anyhow!("--param: {e}"))?;
    let parameters = check_arguments(inputs.as_ref(), &given)?;
    if (args.cache || args.no_cache) && !source.set_caching(args.cache) {
        bail!(
            "--cache/--no-cache work on a checked pipeline file only: a stored version's caching is fixed at upload, and --no-validate sends the file as it is"
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

#[cfg(test)]
mod tests {
    use super::*;
    use kfp_ir_schema::CachingOptions;
    use serde_json::json;

    const PIPELINE: &str = "\
components:
  comp-say:
    executorLabel: exec-say
    inputDefinitions:
      parameters:
        msg:
          parameterType: STRING
deploymentSpec:
  executors:
    exec-say:
      container:
        image: alpine
pipelineInfo:
  name: demo
root:
  dag:
    tasks:
      say:
        cachingOptions:
          enableCache: true
        componentRef:
          name: comp-say
        inputs:
          parameters:
            msg:
              componentInputParameter: msg
        taskInfo:
          name: say
  inputDefinitions:
    parameters:
      msg:
        parameterType: STRING
schemaVersion: 2.1.0
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-say: {}
";

    /// Prepares a run of `text` as a pipeline file, with no server to ask
    /// (neither an experiment nor a namespace is given).
    fn prepare_file(text: &str, params: &[&str]) -> Result<PreparedRun> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, text).unwrap();
        let global = GlobalOpts {
            host: Some("http://127.0.0.1:9".into()),
            ..GlobalOpts::default()
        };
        let args = PipelineArgs {
            file: Some(path),
            params: params.iter().map(|p| p.to_string()).collect(),
            no_cache: true,
            ..PipelineArgs::default()
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let connection = crate::connect::connect(&global).await?;
            prepare(&connection.client, &global, &args).await
        })
    }

    #[test]
    fn a_pipeline_file_runs_with_its_platform_spec_and_checked_arguments() {
        let prepared = prepare_file(PIPELINE, &["msg=hi"]).unwrap();
        assert_eq!(prepared.pipeline_name, "demo");
        assert_eq!(prepared.runtime_config.parameters["msg"], json!("hi"));
        assert_eq!(prepared.experiment_id, None);
        let pipeline = prepared.source.pipeline().unwrap();
        assert!(pipeline.platform_settings().is_some());
        let root = pipeline.spec.root.as_ref().unwrap();
        let Some(kfp_ir_schema::ComponentImplementation::Dag(dag)) = &root.implementation else {
            panic!("the root is a DAG")
        };
        assert_eq!(
            dag.tasks["say"].caching_options,
            Some(CachingOptions::default()),
            "--no-cache"
        );

        let err = prepare_file(PIPELINE, &["mesg=hi"])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown parameter `mesg` (did you mean `msg`?)"),
            "{err}"
        );
        let err = prepare_file(PIPELINE, &["msg"]).unwrap_err().to_string();
        assert_eq!(err, "--param: `msg` is not of the form name=value");
        let err = prepare_file("platforms: {}\n", &[])
            .unwrap_err()
            .to_string();
        assert!(err.contains("p.yaml") && err.contains("problem"), "{err}");
    }
}
