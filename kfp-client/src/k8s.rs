//! Kubernetes integration (cargo feature `kube`).
//!
//! * [`kube_client`]: a Kubernetes client from the current kubeconfig
//!   context, or the in-cluster service account.
//! * [`PortForward`]: with no KFP host given, forwards a local port on
//!   127.0.0.1 to `svc/ml-pipeline` port 8888 in `kubeflow` (one pod behind
//!   the service, found by its selector), so [`crate::Client`] can talk to
//!   `http://127.0.0.1:PORT`.
//! * [`mint_token`]: a bearer token for the KFP API from the kubeconfig's
//!   credentials, through the TokenRequest API, with the audience the KFP
//!   server checks (`pipelines.kubeflow.org`).
//! * [`apply_pipeline`] and [`apply_pipeline_version`]: the
//!   Kubernetes-native pipeline store (KFP ≥ 2.14 with
//!   `--pipelinesStoreKubernetes`): `Pipeline` and `PipelineVersion` custom
//!   resources of `pipelines.kubeflow.org/v2beta1`, created or updated by
//!   server-side apply.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use k8s_openapi::api::authentication::v1::{TokenRequest, TokenRequestSpec};
use k8s_openapi::api::core::v1::{Pod, Service, ServiceAccount};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kfp_ir_schema::PipelineFile;
use kube::api::{
    Api, ApiResource, DynamicObject, GroupVersionKind, ListParams, Patch, PatchParams, PostParams,
};
use serde_json::{Value, json};

use crate::error::{Error, Result};

/// The namespace of a standard KFP install.
pub const KFP_NAMESPACE: &str = "kubeflow";
/// The service of the KFP API server.
pub const KFP_SERVICE: &str = "ml-pipeline";
/// The REST port of the KFP API server.
pub const KFP_PORT: u16 = 8888;
/// The token audience the KFP server's TokenReview checks.
pub const TOKEN_AUDIENCE: &str = "pipelines.kubeflow.org";
/// The field manager of server-side apply.
pub const FIELD_MANAGER: &str = "kfp-rs";
/// The group of the KFP custom resources.
pub const CRD_GROUP: &str = "pipelines.kubeflow.org";
/// The version of the KFP custom resources.
pub const CRD_VERSION: &str = "v2beta1";

fn kube_error(what: impl Into<String>) -> impl FnOnce(kube::Error) -> Error {
    let what = what.into();
    move |source| Error::Kubernetes {
        what,
        source: Box::new(source),
    }
}

/// A Kubernetes client from the current kubeconfig context, or from the
/// in-cluster service account when running in a pod.
pub async fn kube_client() -> Result<kube::Client> {
    kube::Client::try_default().await.map_err(kube_error(
        "no Kubernetes credentials (kubeconfig or in-cluster)",
    ))
}

/// A Kubernetes client from a kubeconfig file, with its current context or
/// the named one.
pub async fn kube_client_from_kubeconfig(
    path: &std::path::Path,
    context: Option<&str>,
) -> Result<kube::Client> {
    let what = || format!("cannot use the kubeconfig {}", path.display());
    let boxed = |what: String| {
        move |e: kube::config::KubeconfigError| Error::Kubernetes {
            what,
            source: Box::new(e),
        }
    };
    let kubeconfig = kube::config::Kubeconfig::read_from(path).map_err(boxed(what()))?;
    let options = kube::config::KubeConfigOptions {
        context: context.map(str::to_owned),
        ..Default::default()
    };
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &options)
        .await
        .map_err(boxed(what()))?;
    kube::Client::try_from(config).map_err(kube_error(what()))
}

/// The pod and container port that a service port leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTarget {
    /// A running pod behind the service.
    pub pod: String,
    /// The port on that pod.
    pub port: u16,
}

/// Finds a running, ready pod behind `service` and the pod port that the
/// service's `port` targets.
pub async fn resolve_service(
    kube: &kube::Client,
    namespace: &str,
    service: &str,
    port: u16,
) -> Result<ServiceTarget> {
    let services: Api<Service> = Api::namespaced(kube.clone(), namespace);
    let svc = services.get(service).await.map_err(kube_error(format!(
        "cannot read service {namespace}/{service}"
    )))?;
    let spec = svc.spec.unwrap_or_default();
    let selector = spec.selector.unwrap_or_default();
    if selector.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "service {namespace}/{service} has no pod selector; cannot port-forward to it"
        )));
    }
    let target = spec
        .ports
        .unwrap_or_default()
        .into_iter()
        .find(|p| p.port == i32::from(port))
        .and_then(|p| p.target_port);
    let labels: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let pods: Api<Pod> = Api::namespaced(kube.clone(), namespace);
    let list = pods
        .list(&ListParams::default().labels(&labels.join(",")))
        .await
        .map_err(kube_error(format!(
            "cannot list the pods of {namespace}/{service}"
        )))?;
    let pod = list
        .items
        .into_iter()
        .find(is_running_and_ready)
        .ok_or_else(|| {
            Error::InvalidRequest(format!(
                "no running, ready pod behind service {namespace}/{service}"
            ))
        })?;
    let pod_port = match target {
        Some(IntOrString::Int(n)) => u16::try_from(n).ok(),
        Some(IntOrString::String(name)) => named_container_port(&pod, &name),
        None => Some(port),
    }
    .ok_or_else(|| {
        Error::InvalidRequest(format!(
            "service {namespace}/{service} port {port} leads to no port of its pod"
        ))
    })?;
    Ok(ServiceTarget {
        pod: pod.metadata.name.unwrap_or_default(),
        port: pod_port,
    })
}

fn is_running_and_ready(pod: &Pod) -> bool {
    let Some(status) = &pod.status else {
        return false;
    };
    let running = status.phase.as_deref() == Some("Running");
    let ready = status
        .conditions
        .iter()
        .flatten()
        .any(|c| c.type_ == "Ready" && c.status == "True");
    running && ready && pod.metadata.deletion_timestamp.is_none()
}

fn named_container_port(pod: &Pod, name: &str) -> Option<u16> {
    pod.spec
        .iter()
        .flat_map(|s| &s.containers)
        .flat_map(|c| c.ports.iter().flatten())
        .find(|p| p.name.as_deref() == Some(name))
        .and_then(|p| u16::try_from(p.container_port).ok())
}

/// A local port on 127.0.0.1 forwarded to a pod port; each accepted
/// connection opens its own port-forward stream. Dropping it stops
/// forwarding.
#[derive(Debug)]
pub struct PortForward {
    local: SocketAddr,
    target: ServiceTarget,
    task: tokio::task::JoinHandle<()>,
}

impl PortForward {
    /// Forwards to `svc/ml-pipeline` port 8888 in `kubeflow`.
    pub async fn to_kfp(kube: &kube::Client) -> Result<Self> {
        Self::to_service(kube, KFP_NAMESPACE, KFP_SERVICE, KFP_PORT).await
    }

    /// Forwards to `port` of `service` in `namespace`.
    pub async fn to_service(
        kube: &kube::Client,
        namespace: &str,
        service: &str,
        port: u16,
    ) -> Result<Self> {
        let target = resolve_service(kube, namespace, service, port).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| Error::Config(format!("cannot listen on 127.0.0.1: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::Config(format!("cannot read the local address: {e}")))?;
        let pods: Api<Pod> = Api::namespaced(kube.clone(), namespace);
        let (pod, pod_port) = (target.pod.clone(), target.port);
        let task = tokio::spawn(async move {
            while let Ok((conn, _)) = listener.accept().await {
                tokio::spawn(forward(pods.clone(), pod.clone(), pod_port, conn));
            }
        });
        Ok(Self {
            local,
            target,
            task,
        })
    }

    /// The URL to give [`crate::Client::builder`].
    pub fn host(&self) -> String {
        format!("http://{}", self.local)
    }

    /// The pod and port forwarded to.
    pub fn target(&self) -> &ServiceTarget {
        &self.target
    }
}

impl Drop for PortForward {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn forward(pods: Api<Pod>, pod: String, port: u16, mut conn: tokio::net::TcpStream) {
    let Ok(mut forwarder) = pods.portforward(&pod, &[port]).await else {
        return;
    };
    if let Some(mut upstream) = forwarder.take_stream(port) {
        let _ = tokio::io::copy_bidirectional(&mut conn, &mut upstream).await;
    }
    let _ = forwarder.join().await;
}

/// Mints a token for `service_account` in `namespace` with the audience
/// the KFP server checks, through the TokenRequest API (what
/// `kubectl create token SA --audience=pipelines.kubeflow.org` does).
pub async fn mint_token(
    kube: &kube::Client,
    namespace: &str,
    service_account: &str,
    expiration_seconds: Option<i64>,
) -> Result<String> {
    let accounts: Api<ServiceAccount> = Api::namespaced(kube.clone(), namespace);
    let request = TokenRequest {
        spec: TokenRequestSpec {
            audiences: vec![TOKEN_AUDIENCE.to_owned()],
            expiration_seconds,
            ..TokenRequestSpec::default()
        },
        ..TokenRequest::default()
    };
    let answer: TokenRequest = accounts
        .create_subresource("token", service_account, &PostParams::default(), &request)
        .await
        .map_err(kube_error(format!(
            "cannot mint a token for service account {namespace}/{service_account}"
        )))?;
    answer
        .status
        .map(|s| s.token)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::InvalidRequest("the TokenRequest answer carries no token".into()))
}

/// A `Pipeline` custom resource (`spec: {displayName, description, tags}`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PipelineResource {
    /// The pipeline name (the CR name, `pipelineInfo.name`).
    pub name: String,
    /// The name shown in the UI.
    pub display_name: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// User tags.
    pub tags: BTreeMap<String, String>,
}

/// A `PipelineVersion` custom resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PipelineVersionResource {
    /// The pipeline it belongs to.
    pub pipeline_name: String,
    /// The version name (DNS-1123). The CR is named
    /// `<pipeline>-<version>`, or `<version>` when both are equal, as the
    /// KFP backend names them.
    pub version_name: String,
    /// The name shown in the UI.
    pub display_name: Option<String>,
    /// A description.
    pub description: Option<String>,
    /// A link to the source code.
    pub code_source_url: Option<String>,
    /// The pipeline: its spec, and its platform spec when that has
    /// settings.
    pub pipeline: PipelineFile,
    /// User tags.
    pub tags: BTreeMap<String, String>,
}

impl PipelineVersionResource {
    /// The CR name.
    pub fn resource_name(&self) -> String {
        if self.pipeline_name == self.version_name {
            self.version_name.clone()
        } else {
            format!("{}-{}", self.pipeline_name, self.version_name)
        }
    }
}

fn api_resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(CRD_GROUP, CRD_VERSION, kind), plural)
}

fn insert_opt(spec: &mut serde_json::Map<String, Value>, key: &str, value: &Option<String>) {
    if let Some(v) = value.as_ref().filter(|v| !v.is_empty()) {
        spec.insert(key.to_owned(), Value::String(v.clone()));
    }
}

/// The JSON of typed IR (kfp-ir-schema's types always serialize).
fn ir_json(ir: &impl serde::Serialize) -> Value {
    serde_json::to_value(ir).expect("IR types always serialize")
}

/// The apply document of a `Pipeline`.
pub fn pipeline_object(namespace: &str, pipeline: &PipelineResource) -> DynamicObject {
    let mut spec = serde_json::Map::new();
    insert_opt(&mut spec, "displayName", &pipeline.display_name);
    insert_opt(&mut spec, "description", &pipeline.description);
    if !pipeline.tags.is_empty() {
        spec.insert("tags".into(), json!(pipeline.tags));
    }
    DynamicObject::new(&pipeline.name, &api_resource("Pipeline", "pipelines"))
        .within(namespace)
        .data(json!({ "spec": spec }))
}

/// The apply document of a `PipelineVersion`.
pub fn pipeline_version_object(
    namespace: &str,
    version: &PipelineVersionResource,
) -> DynamicObject {
    let mut spec = serde_json::Map::new();
    spec.insert("pipelineName".into(), json!(version.pipeline_name));
    spec.insert("versionName".into(), json!(version.version_name));
    insert_opt(&mut spec, "displayName", &version.display_name);
    insert_opt(&mut spec, "description", &version.description);
    insert_opt(&mut spec, "codeSourceURL", &version.code_source_url);
    spec.insert("pipelineSpec".into(), ir_json(&version.pipeline.spec));
    if let Some(platform) = version.pipeline.platform_settings() {
        spec.insert("platformSpec".into(), ir_json(platform));
    }
    if !version.tags.is_empty() {
        spec.insert("tags".into(), json!(version.tags));
    }
    DynamicObject::new(
        &version.resource_name(),
        &api_resource("PipelineVersion", "pipelineversions"),
    )
    .within(namespace)
    .data(json!({ "spec": spec }))
}

async fn apply(
    kube: &kube::Client,
    namespace: &str,
    object: DynamicObject,
    resource: ApiResource,
) -> Result<DynamicObject> {
    let name = object.metadata.name.clone().unwrap_or_default();
    let api: Api<DynamicObject> = Api::namespaced_with(kube.clone(), namespace, &resource);
    api.patch(
        &name,
        &PatchParams::apply(FIELD_MANAGER).force(),
        &Patch::Apply(&object),
    )
    .await
    .map_err(kube_error(format!(
        "cannot apply {} {namespace}/{name}",
        resource.kind
    )))
}

/// Creates or updates a `Pipeline` by server-side apply.
pub async fn apply_pipeline(
    kube: &kube::Client,
    namespace: &str,
    pipeline: &PipelineResource,
) -> Result<DynamicObject> {
    apply(
        kube,
        namespace,
        pipeline_object(namespace, pipeline),
        api_resource("Pipeline", "pipelines"),
    )
    .await
}

/// Creates or updates a `PipelineVersion` by server-side apply. Its REST
/// `pipeline_version_id` is the returned object's `metadata.uid`.
pub async fn apply_pipeline_version(
    kube: &kube::Client,
    namespace: &str,
    version: &PipelineVersionResource,
) -> Result<DynamicObject> {
    apply(
        kube,
        namespace,
        pipeline_version_object(namespace, version),
        api_resource("PipelineVersion", "pipelineversions"),
    )
    .await
}
