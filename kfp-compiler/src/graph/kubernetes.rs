//! The Kubernetes settings of a task: what kfp-kubernetes
//! (`kfp.kubernetes.add_toleration(task, ...)`, `use_secret_as_env`, ...)
//! configures, as the user declared it.
//!
//! Like the rest of the graph this model holds no IR types: the compiler
//! lowers a [`KubernetesConfig`] to the `KubernetesExecutorConfig` of
//! kfp-kubernetes 2.17 under
//! `platforms.kubernetes.deploymentSpec.executors.exec-<task>`, in the
//! second YAML document of the pipeline file. Only tasks that run a
//! container can have Kubernetes settings (as in kfp).
//!
//! ```
//! use kfp_compiler::graph::kubernetes::{KubernetesConfig, TaintEffect, Toleration};
//!
//! let mut config = KubernetesConfig::default();
//! assert!(config.is_empty());
//! config
//!     .tolerations
//!     .push(Toleration::exists("nvidia.com/gpu").effect(TaintEffect::NoSchedule).into());
//! config.pod_labels.insert("team".into(), "vision".into());
//! assert!(!config.is_empty());
//! ```

use std::collections::BTreeMap;

use serde_json::Value;

use super::alloc_on_write::{AllocOnWrite, Unwritten};
use super::binding::ConfigValue;
use super::{GroupId, TaskId};

/// The Kubernetes settings of one task (kfp-kubernetes). Lists keep the
/// order the settings were made in, as kfp-kubernetes appends them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct KubernetesConfig {
    /// Secret keys exposed as environment variables (`use_secret_as_env`).
    pub secret_as_env: Vec<KeysAsEnv>,
    /// Secrets mounted as volumes (`use_secret_as_volume`).
    pub secret_as_volume: Vec<MountedObject>,
    /// Config map keys exposed as environment variables
    /// (`use_config_map_as_env`).
    pub config_map_as_env: Vec<KeysAsEnv>,
    /// Config maps mounted as volumes (`use_config_map_as_volume`).
    pub config_map_as_volume: Vec<MountedObject>,
    /// Existing persistent volume claims mounted into the container
    /// (`mount_pvc`).
    pub pvc_mounts: Vec<PvcMount>,
    /// Generic ephemeral volumes (`add_ephemeral_volume`).
    pub ephemeral_volumes: Vec<EphemeralVolume>,
    /// `emptyDir` volumes (`empty_dir_mount`).
    pub empty_dir_mounts: Vec<EmptyDirMount>,
    /// Node labels the pod must be scheduled on (`add_node_selector`).
    pub node_selector: BTreeMap<String, String>,
    /// The whole node selector as JSON (`add_node_selector_json`).
    pub node_selector_json: Option<JsonSetting>,
    /// Tolerations of node taints (`add_toleration`,
    /// `add_toleration_json`).
    pub tolerations: Vec<OrJson<Toleration>>,
    /// Node affinity terms (`add_node_affinity`, `add_node_affinity_json`).
    pub node_affinity: Vec<OrJson<NodeAffinityTerm>>,
    /// Labels of the task's pod (`add_pod_label`).
    pub pod_labels: BTreeMap<String, String>,
    /// Annotations of the task's pod (`add_pod_annotation`).
    pub pod_annotations: BTreeMap<String, String>,
    /// Secrets used to pull the image (`set_image_pull_secrets`).
    pub image_pull_secrets: Vec<ConfigValue>,
    /// When the image is pulled (`set_image_pull_policy`).
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Pod fields exposed as environment variables
    /// (`use_field_path_as_env`).
    pub field_path_as_env: Vec<FieldPathAsEnv>,
    /// The pod's `activeDeadlineSeconds` (`set_timeout`); 0 means no
    /// timeout, as in kfp-kubernetes.
    pub active_deadline_seconds: u64,
    /// The user and group the container runs as (`set_security_context`).
    pub security_context: Option<SecurityContext>,
}

/// A task's [`KubernetesConfig`], which takes memory only once a setting
/// is made: it reads as [`KubernetesConfig::EMPTY`] until it is written
/// (through `DerefMut`). Most tasks make none, and the config is over 400
/// bytes, which a large pipeline would otherwise hold for every task.
///
/// ```
/// use kfp_compiler::graph::kubernetes::TaskKubernetes;
///
/// let mut config = TaskKubernetes::default();
/// assert!(config.is_empty());
/// config.active_deadline_seconds = 60;
/// assert!(!config.is_empty());
/// ```
pub type TaskKubernetes = AllocOnWrite<KubernetesConfig>;

impl Unwritten for KubernetesConfig {
    const UNWRITTEN: &'static Self = &KubernetesConfig::EMPTY;
}

impl KubernetesConfig {
    /// No setting made: what a [`TaskKubernetes`] reads as until it is
    /// written.
    pub const EMPTY: KubernetesConfig = KubernetesConfig {
        secret_as_env: Vec::new(),
        secret_as_volume: Vec::new(),
        config_map_as_env: Vec::new(),
        config_map_as_volume: Vec::new(),
        pvc_mounts: Vec::new(),
        ephemeral_volumes: Vec::new(),
        empty_dir_mounts: Vec::new(),
        node_selector: BTreeMap::new(),
        node_selector_json: None,
        tolerations: Vec::new(),
        node_affinity: Vec::new(),
        pod_labels: BTreeMap::new(),
        pod_annotations: BTreeMap::new(),
        image_pull_secrets: Vec::new(),
        image_pull_policy: None,
        field_path_as_env: Vec::new(),
        active_deadline_seconds: 0,
        security_context: None,
    };

    /// Whether no setting is made: such a task gets no platform config.
    pub fn is_empty(&self) -> bool {
        *self == Self::EMPTY
    }

    /// The tasks whose outputs the settings read (a secret name from a task
    /// output, say), in the order they appear. kfp-kubernetes runs the task
    /// after each of them; the DSL records them in
    /// [`TaskConfig::after`](super::TaskConfig::after).
    pub fn producers(&self) -> Vec<TaskId> {
        let names = self
            .secret_as_env
            .iter()
            .map(|s| &s.name)
            .chain(self.secret_as_volume.iter().map(|s| &s.name))
            .chain(self.config_map_as_env.iter().map(|s| &s.name))
            .chain(self.config_map_as_volume.iter().map(|s| &s.name))
            .chain(self.pvc_mounts.iter().map(|p| &p.pvc_name))
            .chain(&self.image_pull_secrets)
            .filter_map(|v| match v {
                ConfigValue::TaskOutput { task, .. } => Some(*task),
                _ => None,
            });
        let json = self
            .node_selector_json
            .iter()
            .chain(self.tolerations.iter().filter_map(OrJson::json))
            .chain(self.node_affinity.iter().filter_map(OrJson::json))
            .filter_map(|j| match j {
                JsonSetting::TaskOutput { task, .. } => Some(*task),
                _ => None,
            });
        let mut producers: Vec<TaskId> = Vec::new();
        for task in names.chain(json) {
            if !producers.contains(&task) {
                producers.push(task);
            }
        }
        producers
    }
}

/// Keys of a secret or config map exposed as environment variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysAsEnv {
    /// The secret's or config map's name.
    pub name: ConfigValue,
    /// Which key goes to which environment variable: `(key, variable)`.
    pub key_to_env: Vec<(String, String)>,
    /// Whether the pod may start without the object (kfp's `optional`).
    pub optional: bool,
}

/// A secret or config map mounted as a volume.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MountedObject {
    /// The secret's or config map's name.
    pub name: ConfigValue,
    /// Where its keys appear as files in the container.
    pub mount_path: String,
    /// Whether the pod may start without the object (kfp's `optional`).
    pub optional: bool,
}

/// An existing persistent volume claim mounted into the container.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PvcMount {
    /// The claim's name.
    pub pvc_name: ConfigValue,
    /// Where it is mounted.
    pub mount_path: String,
    /// The sub-path of the volume to mount (empty: the whole volume).
    pub sub_path: String,
}

/// A generic ephemeral volume: a claim created with the pod and deleted
/// with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EphemeralVolume {
    /// The volume's name in the pod.
    pub volume_name: String,
    /// Where it is mounted.
    pub mount_path: String,
    /// The claim's access modes, e.g. `ReadWriteOnce`.
    pub access_modes: Vec<String>,
    /// The requested size, e.g. `5Gi`.
    pub size: String,
    /// The storage class; `None` for the cluster's default.
    pub storage_class_name: Option<String>,
    /// Labels of the claim.
    pub labels: BTreeMap<String, String>,
    /// Annotations of the claim.
    pub annotations: BTreeMap<String, String>,
}

impl EphemeralVolume {
    /// A volume `volume_name` at `mount_path`, of `size` (e.g. `5Gi`),
    /// with the access modes given (e.g. `["ReadWriteOnce"]`) and the
    /// default storage class.
    pub fn new(
        volume_name: impl Into<String>,
        mount_path: impl Into<String>,
        access_modes: impl IntoIterator<Item = impl Into<String>>,
        size: impl Into<String>,
    ) -> Self {
        Self {
            volume_name: volume_name.into(),
            mount_path: mount_path.into(),
            access_modes: access_modes.into_iter().map(Into::into).collect(),
            size: size.into(),
            storage_class_name: None,
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
        }
    }

    /// Uses the storage class `name` instead of the default.
    pub fn storage_class_name(mut self, name: impl Into<String>) -> Self {
        self.storage_class_name = Some(name.into());
        self
    }

    /// Adds a label to the claim.
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Adds an annotation to the claim.
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(key.into(), value.into());
        self
    }
}

/// An `emptyDir` volume: scratch space that lives as long as the pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EmptyDirMount {
    /// The volume's name in the pod.
    pub volume_name: String,
    /// Where it is mounted.
    pub mount_path: String,
    /// The storage medium: `Memory` for a tmpfs, `None` for the node's
    /// disk.
    pub medium: Option<String>,
    /// The size limit, e.g. `1Gi`.
    pub size_limit: Option<String>,
}

impl EmptyDirMount {
    /// A volume `volume_name` at `mount_path`, on the node's disk, with no
    /// size limit.
    pub fn new(volume_name: impl Into<String>, mount_path: impl Into<String>) -> Self {
        Self {
            volume_name: volume_name.into(),
            mount_path: mount_path.into(),
            medium: None,
            size_limit: None,
        }
    }

    /// Sets the storage medium (`Memory`).
    pub fn medium(mut self, medium: impl Into<String>) -> Self {
        self.medium = Some(medium.into());
        self
    }

    /// Sets the size limit (`1Gi`).
    pub fn size_limit(mut self, size_limit: impl Into<String>) -> Self {
        self.size_limit = Some(size_limit.into());
        self
    }
}

/// A JSON value for a setting kfp-kubernetes also takes as a whole object
/// (`add_node_selector_json`, `add_toleration_json`,
/// `add_node_affinity_json`): a constant, or a parameter resolved at run
/// time.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonSetting {
    /// A constant, written into the IR.
    Constant(Value),
    /// An input parameter of the enclosing pipeline.
    PipelineParameter(String),
    /// An output parameter of an earlier task.
    TaskOutput {
        /// The producing task.
        task: TaskId,
        /// Its output's name.
        output: String,
    },
    /// The item of an enclosing loop (over objects or lists).
    LoopItem(GroupId),
}

/// A setting given field by field, or as JSON (see [`JsonSetting`]).
#[derive(Clone, Debug, PartialEq)]
pub enum OrJson<T> {
    /// Field by field.
    Typed(T),
    /// As JSON.
    Json(JsonSetting),
}

impl<T> OrJson<T> {
    /// The JSON setting, if this is one.
    pub fn json(&self) -> Option<&JsonSetting> {
        match self {
            OrJson::Json(j) => Some(j),
            OrJson::Typed(_) => None,
        }
    }
}

impl<T> From<T> for OrJson<T> {
    fn from(value: T) -> Self {
        OrJson::Typed(value)
    }
}

/// A toleration of node taints. Unset fields are left to Kubernetes'
/// defaults (operator `Equal`, every effect).
///
/// ```
/// use kfp_compiler::graph::kubernetes::{TaintEffect, Toleration};
///
/// let gpu = Toleration::exists("nvidia.com/gpu").effect(TaintEffect::NoSchedule);
/// let spot = Toleration::equal("pool", "spot")
///     .effect(TaintEffect::NoExecute)
///     .toleration_seconds(3600);
/// assert_eq!(spot.toleration_seconds, Some(3600));
/// # let _ = gpu;
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Toleration {
    /// The taint key; `None` with [`TolerationOperator::Exists`] tolerates
    /// every taint.
    pub key: Option<String>,
    /// How the key and value are matched.
    pub operator: Option<TolerationOperator>,
    /// The taint value (with [`TolerationOperator::Equal`]).
    pub value: Option<String>,
    /// The taint effect tolerated; `None` for all.
    pub effect: Option<TaintEffect>,
    /// How long a `NoExecute` taint is tolerated before the pod is evicted.
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// Tolerates taints `key=value` (operator `Equal`).
    pub fn equal(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: Some(key.into()),
            operator: Some(TolerationOperator::Equal),
            value: Some(value.into()),
            ..Self::default()
        }
    }

    /// Tolerates taints with the key `key`, whatever their value (operator
    /// `Exists`).
    pub fn exists(key: impl Into<String>) -> Self {
        Self {
            key: Some(key.into()),
            operator: Some(TolerationOperator::Exists),
            ..Self::default()
        }
    }

    /// Tolerates only taints with this effect.
    pub fn effect(mut self, effect: TaintEffect) -> Self {
        self.effect = Some(effect);
        self
    }

    /// Tolerates a `NoExecute` taint for this many seconds.
    pub fn toleration_seconds(mut self, seconds: i64) -> Self {
        self.toleration_seconds = Some(seconds);
        self
    }
}

/// The operator of a [`Toleration`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TolerationOperator {
    /// The taint's value must equal the toleration's.
    Equal,
    /// Any value matches.
    Exists,
}

impl TolerationOperator {
    /// The name Kubernetes uses.
    pub fn as_str(self) -> &'static str {
        match self {
            TolerationOperator::Equal => "Equal",
            TolerationOperator::Exists => "Exists",
        }
    }
}

/// The effect of a node taint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaintEffect {
    /// New pods are not scheduled on the node.
    NoSchedule,
    /// The scheduler tries not to schedule new pods on the node.
    PreferNoSchedule,
    /// Running pods are evicted from the node.
    NoExecute,
}

impl TaintEffect {
    /// The name Kubernetes uses.
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
            TaintEffect::PreferNoSchedule => "PreferNoSchedule",
            TaintEffect::NoExecute => "NoExecute",
        }
    }
}

/// A node affinity term: required, or preferred with a
/// [`weight`](Self::weight).
///
/// ```
/// use kfp_compiler::graph::kubernetes::{NodeAffinityTerm, SelectorOperator};
///
/// let term = NodeAffinityTerm::new()
///     .match_expression("zone", SelectorOperator::In, ["us-west-1"])
///     .weight(50);
/// assert_eq!(term.match_expressions.len(), 1);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeAffinityTerm {
    /// Requirements on node labels.
    pub match_expressions: Vec<SelectorRequirement>,
    /// Requirements on node fields.
    pub match_fields: Vec<SelectorRequirement>,
    /// The weight (1 to 100) of a preferred term; `None` for a required
    /// term.
    pub weight: Option<i32>,
}

impl NodeAffinityTerm {
    /// A term with no requirement yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a requirement on a node label.
    pub fn match_expression(
        mut self,
        key: impl Into<String>,
        operator: SelectorOperator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.match_expressions
            .push(SelectorRequirement::new(key, operator, values));
        self
    }

    /// Adds a requirement on a node field.
    pub fn match_field(
        mut self,
        key: impl Into<String>,
        operator: SelectorOperator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        self.match_fields
            .push(SelectorRequirement::new(key, operator, values));
        self
    }

    /// Makes the term preferred, with this weight (1 to 100).
    pub fn weight(mut self, weight: i32) -> Self {
        self.weight = Some(weight);
        self
    }
}

/// One requirement of a [`NodeAffinityTerm`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectorRequirement {
    /// The label or field key.
    pub key: String,
    /// How the values are compared.
    pub operator: SelectorOperator,
    /// The values compared with.
    pub values: Vec<String>,
}

impl SelectorRequirement {
    /// A requirement `key operator values`.
    pub fn new(
        key: impl Into<String>,
        operator: SelectorOperator,
        values: impl IntoIterator<Item = impl Into<String>>,
    ) -> Self {
        Self {
            key: key.into(),
            operator,
            values: values.into_iter().map(Into::into).collect(),
        }
    }
}

/// The operator of a [`SelectorRequirement`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SelectorOperator {
    /// The value is one of the values.
    In,
    /// The value is none of the values.
    NotIn,
    /// The key exists.
    Exists,
    /// The key does not exist.
    DoesNotExist,
    /// The value is greater than the single value.
    Gt,
    /// The value is less than the single value.
    Lt,
}

impl SelectorOperator {
    /// The name Kubernetes uses.
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorOperator::In => "In",
            SelectorOperator::NotIn => "NotIn",
            SelectorOperator::Exists => "Exists",
            SelectorOperator::DoesNotExist => "DoesNotExist",
            SelectorOperator::Gt => "Gt",
            SelectorOperator::Lt => "Lt",
        }
    }
}

/// When the kubelet pulls the task's image.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImagePullPolicy {
    /// On every start.
    Always,
    /// Never: the image must be on the node.
    Never,
    /// Only when the node does not have it.
    IfNotPresent,
}

impl ImagePullPolicy {
    /// The name Kubernetes uses.
    pub fn as_str(self) -> &'static str {
        match self {
            ImagePullPolicy::Always => "Always",
            ImagePullPolicy::Never => "Never",
            ImagePullPolicy::IfNotPresent => "IfNotPresent",
        }
    }
}

/// A pod field (downward API) exposed as an environment variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldPathAsEnv {
    /// The environment variable.
    pub name: String,
    /// The field, e.g. `metadata.name` or
    /// `metadata.annotations['pipelines.kubeflow.org/run_name']`.
    pub field_path: String,
}

/// The user and group the task's container runs as. Unset fields keep the
/// image's or the cluster's defaults.
///
/// ```
/// use kfp_compiler::graph::kubernetes::SecurityContext;
///
/// let nobody = SecurityContext::new().run_as_user(65534).run_as_group(0);
/// assert_eq!(nobody.run_as_non_root, None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecurityContext {
    /// The user id.
    pub run_as_user: Option<i64>,
    /// The group id.
    pub run_as_group: Option<i64>,
    /// Whether the container must run as a non-root user.
    pub run_as_non_root: Option<bool>,
}

impl SecurityContext {
    /// A context that sets nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs as user `uid`.
    pub fn run_as_user(mut self, uid: i64) -> Self {
        self.run_as_user = Some(uid);
        self
    }

    /// Runs with group `gid`.
    pub fn run_as_group(mut self, gid: i64) -> Self {
        self.run_as_group = Some(gid);
        self
    }

    /// Requires (or not) a non-root user.
    pub fn run_as_non_root(mut self, non_root: bool) -> Self {
        self.run_as_non_root = Some(non_root);
        self
    }

    /// This context with the fields `other` sets replacing its own, as
    /// calling kfp-kubernetes' `set_security_context` again does.
    pub fn merge(self, other: SecurityContext) -> Self {
        Self {
            run_as_user: other.run_as_user.or(self.run_as_user),
            run_as_group: other.run_as_group.or(self.run_as_group),
            run_as_non_root: other.run_as_non_root.or(self.run_as_non_root),
        }
    }
}
