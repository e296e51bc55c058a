//! `kfp pipeline upload|list|get|versions|delete|apply`.

#[cfg(feature = "kube")]
use std::path::Path;
use std::path::PathBuf;

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use kfp_client::Client;
use kfp_client::models::{ListOptions, Pipeline, PipelineUpload, PipelineVersion};
use kfp_ir_schema::PipelineFile;
use kfp_ir_schema::validate::UncheckedFile;

use crate::connect::GlobalOpts;
use crate::listing::{ListArgs, list_options};
use crate::output::{Output, Table, opt_str, unsure};

/// `kfp pipeline ...`.
#[derive(Subcommand, Debug, Clone)]
pub enum PipelineCommand {
    /// Upload a pipeline file (YAML or JSON) as a new pipeline, or as a new
    /// version of an existing one. The file is checked against the IR
    /// schema and the KFP backend's rules first, and refused before
    /// anything is sent if it is not valid.
    Upload {
        /// The pipeline file.
        file: PathBuf,
        /// Send the file unchecked (say, to a newer KFP server whose IR has
        /// fields this `kfp` does not know).
        #[arg(long)]
        no_validate: bool,
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
    #[command(disable_version_flag = true)]
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

/// Runs `kfp pipeline ...`.
pub async fn execute(
    client: &Client,
    g: &GlobalOpts,
    out: &Output,
    cmd: PipelineCommand,
) -> Result<i32> {
    let ns = g.namespace.as_deref();
    match cmd {
        PipelineCommand::Upload {
            file,
            no_validate,
            name,
            display_name,
            description,
            version_of,
        } => {
            // Checked here (unless told not to), then sent as it is, so the
            // server stores the user's own text.
            let pipeline_name = if no_validate {
                let unchecked = UncheckedFile::read(&file).ok();
                unchecked.and_then(|f| f.name().map(str::to_owned))
            } else {
                PipelineFile::read(&file)?.spec.name().map(str::to_owned)
            };
            let content =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let file_name = file
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_else(|| "pipeline.yaml".into());
            let mut upload = PipelineUpload::new(file_name, content);
            upload.name = name.or(pipeline_name);
            upload.display_name = display_name;
            upload.description = description;
            let shown = upload
                .name
                .clone()
                .unwrap_or_else(|| upload.file_name.clone());
            match version_of {
                Some(pipeline_id) => {
                    let v = client
                        .upload_pipeline_version(&pipeline_id, &upload)
                        .await
                        .map_err(|e| {
                            unsure(e, || format!(
                                "a version of pipeline {pipeline_id} may have been uploaded: check with `kfp pipeline versions {pipeline_id}` before uploading it again"
                            ))
                        })?;
                    out.value(&v, || versions_table(std::slice::from_ref(&v)))?;
                }
                None => {
                    upload.namespace = g.namespace.clone();
                    let p = client.upload_pipeline(&upload).await.map_err(|e| {
                        unsure(e, || format!(
                            "pipeline `{shown}` may have been uploaded: check with `kfp pipeline list --name-contains '{shown}'` before uploading it again"
                        ))
                    })?;
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
    use std::collections::BTreeMap;

    use kfp_client::k8s::{self, PipelineResource, PipelineVersionResource};
    let loaded = PipelineFile::read(file)?;
    let pipeline_name = name
        .or_else(|| loaded.spec.name().map(str::to_owned))
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
            pipeline: loaded,
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

/// The newest version of a stored pipeline.
pub async fn latest_version(client: &Client, pipeline_id: &str) -> Result<PipelineVersion> {
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
