//! Kubernetes settings of a task, as the `kfp-kubernetes` package sets them
//! (`from kfp import kubernetes`).
//!
//! Where kfp writes `kubernetes.add_toleration(task, ...)`, kfp-rs writes
//! `task.add_toleration(...)`: the methods of [`KubernetesSettings`] have
//! kfp-kubernetes' names and arguments, and chain like the
//! [`TaskSettings`] of every task. The settings go to the second YAML
//! document of the compiled file
//! (`platforms.kubernetes.deploymentSpec.executors.exec-<task>`), exactly as
//! kfp-kubernetes 2.17 writes them.
//!
//! ```
//! use kfp_dsl::kubernetes::{EmptyDirMount, KubernetesSettings, TaintEffect, Toleration};
//! use kfp_dsl::prelude::*;
//!
//! #[container_component]
//! fn train() -> ContainerSpec {
//!     ContainerSpec::new("python:3.11").command(["python", "train.py"])
//! }
//!
//! #[pipeline(name = "train-on-gpu")]
//! fn train_on_gpu(secret_name: String) {
//!     train()
//!         .set_accelerator_type("nvidia.com/gpu")
//!         .add_toleration(Toleration::exists("nvidia.com/gpu").effect(TaintEffect::NoSchedule))
//!         .add_node_selector("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")
//!         .use_secret_as_env(secret_name, [("token", "HF_TOKEN")])
//!         .use_config_map_as_volume("train-config", "/etc/train")
//!         .empty_dir_mount(EmptyDirMount::new("scratch", "/scratch").medium("Memory"))
//!         .add_pod_label("team", "vision")
//!         .set_timeout(3600);
//! }
//!
//! fn main() {
//!     let (_, yaml) = kfp_dsl::compile_to_string(train_on_gpu::ENTRY, false).unwrap();
//!     let platform = yaml.split("\n---\n").nth(1).unwrap();
//!     assert!(platform.contains("exec-train:"));
//!     assert!(platform.contains("activeDeadlineSeconds: '3600'"));
//!     // A secret named by a pipeline input is read at run time.
//!     assert!(platform.contains("componentInputParameter: secret_name"));
//!     // kfp writes platform config only to YAML.
//!     assert!(kfp_dsl::compile_to_string(train_on_gpu::ENTRY, true).is_err());
//! }
//! ```
//!
//! # Names and values resolved at run time
//!
//! A secret, config map, claim or image pull secret is named by a literal,
//! by a `String` pipeline input (also `Option<String>`), by a `String`
//! output of an earlier task (the task then runs after that task, as in
//! kfp-kubernetes), or by the item of an enclosing loop over strings or
//! over a list of unknown element type ([`IntoResourceName`]): every
//! setting kfp-kubernetes 2.17 lets read a run-time value reads one. A
//! string with a pipeline value formatted into it (`format!("{input}-tls")`)
//! is refused wherever a Kubernetes setting takes a string, naming the
//! setting and the task: kfp-kubernetes would write it as it is,
//! placeholder and all. The `*_json` settings take a JSON
//! constant or a pipeline input or task output of any type
//! ([`IntoJsonSetting`]). On a task inside a loop, condition or exit
//! handler, such a value is routed into the group as kfp does (an input
//! `pipelinechannel--…` of each group on the way in, which the setting
//! reads); an output of a task inside a loop or condition the task is not
//! in is refused.
//!
//! kfp-kubernetes' `optional=True` of secrets and config maps is
//! [`optional`]: `task.use_secret_as_volume(optional("tls"), "/etc/tls")`.
//!
//! # Persistent volume claims made by the pipeline
//!
//! kfp-kubernetes' `CreatePVC` and `DeletePVC` are components, not
//! settings: [`create_pvc()`] and [`delete_pvc()`] here. KFP's driver carries
//! them out itself (their images are stubs it recognises), so they need no
//! image of yours. A task mounts the claim by the `name` output of the
//! `create_pvc` task, which also makes it run after that task:
//!
//! ```
//! use kfp_dsl::kubernetes::{KubernetesSettings, create_pvc, delete_pvc};
//! use kfp_dsl::prelude::*;
//!
//! #[container_component]
//! fn train() -> ContainerSpec {
//!     ContainerSpec::new("python:3.11").command(["python", "train.py", "--out", "/data"])
//! }
//!
//! #[pipeline(name = "train-on-scratch")]
//! fn train_on_scratch() {
//!     let pvc = create_pvc(["ReadWriteOnce"], "5Gi")
//!         .pvc_name_suffix("-scratch")
//!         .storage_class_name("standard");
//!     let claim = pvc.outputs().name;
//!     let trained = train().mount_pvc(claim, "/data");
//!     delete_pvc(claim).after(&trained);
//! }
//!
//! fn main() {
//!     let (_, yaml) = kfp_dsl::compile_to_string(train_on_scratch::ENTRY, false).unwrap();
//!     assert!(yaml.contains("image: argostub/createpvc"));
//!     assert!(yaml.contains("producerTask: createpvc"));
//! }
//! ```
//!
//! Not covered: `add_init_container` (newer than kfp-kubernetes 2.17), and
//! the pod affinity and shared memory fields that kfp-kubernetes has no
//! function for.

use std::collections::BTreeMap;

use kfp_compiler::graph;
use kfp_compiler::graph::kubernetes::{
    FieldPathAsEnv, JsonSetting, KeysAsEnv, KubernetesConfig, MountedObject, OrJson, PvcMount,
};

pub use kfp_compiler::graph::kubernetes::{
    EmptyDirMount, EphemeralVolume, ImagePullPolicy, NodeAffinityTerm, SecurityContext,
    SelectorOperator, SelectorRequirement, TaintEffect, Toleration, TolerationOperator,
};

use crate::Untyped;
use crate::control::LoopItem;
use crate::fstring::check_setting;
use crate::handle::{ParamOutput, PipelineParam};
use crate::recorder::report;
use crate::task::TaskSettings;

mod texts;
mod tolerations;

/// The name of a Kubernetes object (a secret, a config map, a persistent
/// volume claim): a literal, a `String` pipeline input, a `String` output of
/// an earlier task, or the item of an enclosing loop over strings (or over
/// a list of unknown element type, whose items are strings to kfp).
///
/// A literal is the name itself: a string with a pipeline value formatted
/// into it (`format!("{input}-secret")`) is refused by the setting it is
/// given to, naming the setting and the task, since the name would reach
/// Kubernetes as it is written (kfp-kubernetes writes such an f-string as
/// a constant, placeholder and all). A field of a loop item cannot name an
/// object either: kfp-kubernetes refers to a `…-subvar-…` input that no
/// group defines, so the driver would not find it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot name a Kubernetes object",
    note = "a name is a `&str` or `String`, a `String` (or `Option<String>`) pipeline input, \
            a `String` task output, or the item of a loop over strings",
    note = "a field of a loop item cannot name one: kfp-kubernetes refers to an input that no \
            group defines"
)]
pub trait IntoResourceName {
    /// The name as a graph value.
    fn into_resource_name(self) -> graph::ConfigValue;
}

impl IntoResourceName for &str {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        self.to_owned().into_resource_name()
    }
}

/// A literal; the setting it is given to refuses a string with a pipeline
/// value formatted into it.
impl IntoResourceName for String {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        graph::ConfigValue::Literal(self)
    }
}

impl IntoResourceName for PipelineParam<String> {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        graph::ConfigValue::PipelineParameter(self.name().to_owned())
    }
}

impl IntoResourceName for PipelineParam<Option<String>> {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        graph::ConfigValue::PipelineParameter(self.name().to_owned())
    }
}

impl IntoResourceName for LoopItem<String> {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        self.config_value()
    }
}

/// The item of a loop over a list of unknown element type (`Vec<Untyped>`,
/// Python's bare `list`), which kfp passes as a string.
impl IntoResourceName for LoopItem<Untyped> {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        self.config_value()
    }
}

impl IntoResourceName for ParamOutput<String> {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        graph::ConfigValue::TaskOutput {
            task: self.task(),
            output: self.name().to_owned(),
        }
    }
}

/// A name of any kind ([`IntoResourceName`]) as one type, so that one
/// list mixes them, as kfp-kubernetes' lists do:
///
/// ```
/// use kfp_dsl::kubernetes::{KubernetesSettings, ResourceName};
/// use kfp_dsl::prelude::*;
///
/// #[component]
/// fn secret_name() -> String {
///     "from-task".to_owned()
/// }
///
/// #[container_component]
/// fn train() -> ContainerSpec {
///     ContainerSpec::new("registry.example.com/train")
/// }
///
/// #[pipeline]
/// fn pulls(pull_secret: String) {
///     let name = secret_name();
///     train().set_image_pull_secrets([
///         ResourceName::from("constant"),
///         pull_secret.into(),
///         name.output().into(),
///     ]);
/// }
///
/// fn main() {
///     let (_, yaml) = kfp_dsl::compile_to_string(pulls::ENTRY, false).unwrap();
///     assert!(yaml.contains("componentInputParameter: pull_secret"));
///     assert!(yaml.contains("producerTask: secret-name"));
/// }
/// ```
#[derive(Clone, Debug)]
pub struct ResourceName(graph::ConfigValue);

impl IntoResourceName for ResourceName {
    #[track_caller]
    fn into_resource_name(self) -> graph::ConfigValue {
        self.0
    }
}

macro_rules! resource_name_from {
    ($($name:ty),*) => {$(
        impl From<$name> for ResourceName {
            #[track_caller]
            fn from(name: $name) -> Self {
                ResourceName(name.into_resource_name())
            }
        }
    )*};
}
resource_name_from!(
    &str,
    String,
    PipelineParam<String>,
    PipelineParam<Option<String>>,
    LoopItem<String>,
    LoopItem<Untyped>,
    ParamOutput<String>
);

/// A secret or config map that the pod may start without (kfp-kubernetes'
/// `optional=True`); made by [`optional`].
#[derive(Clone, Copy, Debug)]
pub struct Optional<N>(N);

/// Marks a secret or config map as optional: the pod starts even when it
/// does not exist.
///
/// ```
/// use kfp_dsl::kubernetes::{KubernetesSettings, optional};
/// use kfp_dsl::prelude::*;
///
/// #[container_component]
/// fn serve() -> ContainerSpec {
///     ContainerSpec::new("nginx")
/// }
///
/// #[pipeline]
/// fn web() {
///     serve().use_secret_as_volume(optional("tls"), "/etc/tls");
/// }
///
/// fn main() {
///     let (_, yaml) = kfp_dsl::compile_to_string(web::ENTRY, false).unwrap();
///     assert!(yaml.contains("optional: true"));
/// }
/// ```
pub fn optional<N: IntoResourceName>(name: N) -> Optional<N> {
    Optional(name)
}

/// A secret or config map to use: a name ([`IntoResourceName`]), which the
/// pod needs, or an [`optional`] one.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot name a secret or config map",
    note = "give a name (`&str`, `String`, a `String` pipeline input, task output or loop item), \
            or `kubernetes::optional(name)`"
)]
pub trait IntoObjectRef {
    /// The name, and whether the object is optional.
    fn into_object_ref(self) -> (graph::ConfigValue, bool);
}

impl<N: IntoResourceName> IntoObjectRef for N {
    fn into_object_ref(self) -> (graph::ConfigValue, bool) {
        (self.into_resource_name(), false)
    }
}

impl<N: IntoResourceName> IntoObjectRef for Optional<N> {
    fn into_object_ref(self) -> (graph::ConfigValue, bool) {
        (self.0.into_resource_name(), true)
    }
}

/// A JSON setting read at run time: a pipeline input, a task output or the
/// item of an enclosing loop, of any type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a pipeline input, task output or loop item",
    note = "give a pipeline input, a task output or a loop item"
)]
pub trait IntoJsonParameter {
    /// The setting as a graph value.
    fn into_json_parameter(self) -> JsonSetting;
}

impl<T> IntoJsonParameter for PipelineParam<T> {
    fn into_json_parameter(self) -> JsonSetting {
        JsonSetting::PipelineParameter(self.name().to_owned())
    }
}

impl<T> IntoJsonParameter for LoopItem<T> {
    fn into_json_parameter(self) -> JsonSetting {
        JsonSetting::LoopItem(self.group())
    }
}

impl<T> IntoJsonParameter for ParamOutput<T> {
    fn into_json_parameter(self) -> JsonSetting {
        JsonSetting::TaskOutput {
            task: self.task(),
            output: self.name().to_owned(),
        }
    }
}

/// A JSON setting (`add_node_selector_json`, `add_toleration_json`,
/// `add_node_affinity_json`): a constant [`serde_json::Value`], or a
/// pipeline input, task output or loop item.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a JSON setting",
    note = "give a `serde_json::Value` (`serde_json::json!`), a pipeline input, a task output \
            or a loop item"
)]
pub trait IntoJsonSetting {
    /// The setting as a graph value.
    fn into_json_setting(self) -> JsonSetting;
}

impl IntoJsonSetting for serde_json::Value {
    fn into_json_setting(self) -> JsonSetting {
        JsonSetting::Constant(self)
    }
}

impl<P: IntoJsonParameter> IntoJsonSetting for P {
    fn into_json_setting(self) -> JsonSetting {
        self.into_json_parameter()
    }
}

/// Changes the task's Kubernetes settings; a task whose settings read a
/// task output runs after that task, as kfp-kubernetes does.
#[track_caller]
fn configure<T: TaskSettings>(task: T, what: &str, f: impl FnOnce(&mut KubernetesConfig)) -> T {
    task.task_handle().update(what, |t| {
        f(&mut t.config.kubernetes);
        for producer in t.config.kubernetes.producers() {
            if !t.config.after.contains(&producer) {
                t.config.after.push(producer);
            }
        }
    });
    task
}

/// Reports a pipeline value formatted into one of `texts`, given to
/// `setting` of `task`, naming both: kfp-kubernetes would write the string
/// as it is, placeholder and all, and Kubernetes would read it so.
#[track_caller]
fn check_texts<'t>(
    task: &impl TaskSettings,
    setting: &str,
    texts: impl IntoIterator<Item = &'t str>,
) {
    let handle = task.task_handle();
    for text in texts {
        check_setting(handle, setting, text);
    }
}

/// The Kubernetes settings of kfp-kubernetes, as methods of every task
/// (see the [module docs](self)). Each returns the task, so settings chain.
/// They apply to tasks that run a container; a pipeline used as a
/// component cannot have them (the compiler says so).
pub trait KubernetesSettings: TaskSettings {
    /// Exposes keys of the secret `secret_name` as environment variables:
    /// `[("password", "DB_PASSWORD")]` sets `DB_PASSWORD` to the secret's
    /// `password` (`use_secret_as_env`).
    #[track_caller]
    fn use_secret_as_env<K: Into<String>, V: Into<String>>(
        self,
        secret_name: impl IntoObjectRef,
        secret_key_to_env: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let (name, optional) = secret_name.into_object_ref();
        let key_to_env = pairs(secret_key_to_env);
        check_texts(
            &self,
            "use_secret_as_env",
            texts::name(&name)
                .into_iter()
                .chain(texts::pairs(&key_to_env)),
        );
        configure(self, "use_secret_as_env", |k| {
            k.secret_as_env.push(KeysAsEnv {
                name,
                key_to_env,
                optional,
            })
        })
    }

    /// Mounts the secret `secret_name` at `mount_path`, one file per key
    /// (`use_secret_as_volume`).
    #[track_caller]
    fn use_secret_as_volume(
        self,
        secret_name: impl IntoObjectRef,
        mount_path: impl Into<String>,
    ) -> Self {
        let (name, optional) = secret_name.into_object_ref();
        let mount_path = mount_path.into();
        check_texts(
            &self,
            "use_secret_as_volume",
            texts::name(&name).into_iter().chain([mount_path.as_str()]),
        );
        configure(self, "use_secret_as_volume", |k| {
            k.secret_as_volume.push(MountedObject {
                name,
                mount_path,
                optional,
            })
        })
    }

    /// Exposes keys of the config map `config_map_name` as environment
    /// variables, `(key, variable)` (`use_config_map_as_env`).
    #[track_caller]
    fn use_config_map_as_env<K: Into<String>, V: Into<String>>(
        self,
        config_map_name: impl IntoObjectRef,
        config_map_key_to_env: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let (name, optional) = config_map_name.into_object_ref();
        let key_to_env = pairs(config_map_key_to_env);
        check_texts(
            &self,
            "use_config_map_as_env",
            texts::name(&name)
                .into_iter()
                .chain(texts::pairs(&key_to_env)),
        );
        configure(self, "use_config_map_as_env", |k| {
            k.config_map_as_env.push(KeysAsEnv {
                name,
                key_to_env,
                optional,
            })
        })
    }

    /// Mounts the config map `config_map_name` at `mount_path`
    /// (`use_config_map_as_volume`).
    #[track_caller]
    fn use_config_map_as_volume(
        self,
        config_map_name: impl IntoObjectRef,
        mount_path: impl Into<String>,
    ) -> Self {
        let (name, optional) = config_map_name.into_object_ref();
        let mount_path = mount_path.into();
        check_texts(
            &self,
            "use_config_map_as_volume",
            texts::name(&name).into_iter().chain([mount_path.as_str()]),
        );
        configure(self, "use_config_map_as_volume", |k| {
            k.config_map_as_volume.push(MountedObject {
                name,
                mount_path,
                optional,
            })
        })
    }

    /// Mounts the existing persistent volume claim `pvc_name` at
    /// `mount_path` (`mount_pvc`).
    #[track_caller]
    fn mount_pvc(self, pvc_name: impl IntoResourceName, mount_path: impl Into<String>) -> Self {
        self.mount_pvc_sub_path(pvc_name, mount_path, "")
    }

    /// Mounts the directory `sub_path` of the claim `pvc_name` at
    /// `mount_path` (`mount_pvc(..., sub_path=...)`).
    #[track_caller]
    fn mount_pvc_sub_path(
        self,
        pvc_name: impl IntoResourceName,
        mount_path: impl Into<String>,
        sub_path: impl Into<String>,
    ) -> Self {
        let mount = PvcMount {
            pvc_name: pvc_name.into_resource_name(),
            mount_path: mount_path.into(),
            sub_path: sub_path.into(),
        };
        let paths = [mount.mount_path.as_str(), mount.sub_path.as_str()];
        check_texts(
            &self,
            "mount_pvc",
            texts::name(&mount.pvc_name).into_iter().chain(paths),
        );
        configure(self, "mount_pvc", |k| k.pvc_mounts.push(mount))
    }

    /// Adds a generic ephemeral volume, a claim that lives as long as the
    /// pod (`add_ephemeral_volume`).
    #[track_caller]
    fn add_ephemeral_volume(self, volume: EphemeralVolume) -> Self {
        check_texts(
            &self,
            "add_ephemeral_volume",
            texts::ephemeral_volume(&volume),
        );
        configure(self, "add_ephemeral_volume", |k| {
            k.ephemeral_volumes.push(volume)
        })
    }

    /// Mounts an `emptyDir` volume (`empty_dir_mount`).
    #[track_caller]
    fn empty_dir_mount(self, mount: EmptyDirMount) -> Self {
        check_texts(&self, "empty_dir_mount", texts::empty_dir(&mount));
        configure(self, "empty_dir_mount", |k| k.empty_dir_mounts.push(mount))
    }

    /// Schedules the pod only on nodes with the label
    /// `label_key=label_value` (`add_node_selector`).
    #[track_caller]
    fn add_node_selector(
        self,
        label_key: impl Into<String>,
        label_value: impl Into<String>,
    ) -> Self {
        let (key, value) = (label_key.into(), label_value.into());
        check_texts(&self, "add_node_selector", [key.as_str(), value.as_str()]);
        configure(self, "add_node_selector", |k| {
            k.node_selector.insert(key, value);
        })
    }

    /// Sets the whole node selector from JSON, `{"label": "value"}`
    /// (`add_node_selector_json`).
    #[track_caller]
    fn add_node_selector_json(self, node_selector_json: impl IntoJsonSetting) -> Self {
        let json = node_selector_json.into_json_setting();
        check_texts(&self, "add_node_selector_json", texts::json(&json));
        configure(self, "add_node_selector_json", |k| {
            k.node_selector_json = Some(json)
        })
    }

    /// Adds a toleration of node taints (`add_toleration`).
    #[track_caller]
    fn add_toleration(self, toleration: Toleration) -> Self {
        check_texts(&self, "add_toleration", texts::toleration(&toleration));
        configure(self, "add_toleration", |k| {
            k.tolerations.push(OrJson::Typed(toleration))
        })
    }

    /// Adds tolerations given as JSON, a Kubernetes toleration or a list
    /// of them (`add_toleration_json`). A constant is read field by field
    /// as kfp-kubernetes reads it (`key`, `operator`, `value`, `effect`,
    /// `toleration_seconds`) and written as [`add_toleration`] writes it;
    /// a pipeline input, task output or loop item is read at run time.
    ///
    /// [`add_toleration`]: KubernetesSettings::add_toleration
    #[track_caller]
    fn add_toleration_json(self, toleration_json: impl IntoJsonSetting) -> Self {
        let json = toleration_json.into_json_setting();
        check_texts(&self, "add_toleration_json", texts::json(&json));
        let added: Vec<OrJson<Toleration>> = match json {
            JsonSetting::Constant(json) => match tolerations::from_json(&json) {
                Ok(typed) => typed.into_iter().map(OrJson::Typed).collect(),
                Err(e) => {
                    report(format!("`add_toleration_json`: {e}"));
                    return self;
                }
            },
            runtime => vec![OrJson::Json(runtime)],
        };
        configure(self, "add_toleration_json", |k| k.tolerations.extend(added))
    }

    /// Adds a node affinity term (`add_node_affinity`).
    #[track_caller]
    fn add_node_affinity(self, term: NodeAffinityTerm) -> Self {
        check_texts(&self, "add_node_affinity", texts::node_affinity(&term));
        configure(self, "add_node_affinity", |k| {
            k.node_affinity.push(OrJson::Typed(term))
        })
    }

    /// Sets the node affinity from JSON, a Kubernetes `NodeAffinity`
    /// (`add_node_affinity_json`); like kfp-kubernetes, it replaces the
    /// JSON affinity set before and keeps the terms added field by field.
    #[track_caller]
    fn add_node_affinity_json(self, node_affinity_json: impl IntoJsonSetting) -> Self {
        let json = node_affinity_json.into_json_setting();
        check_texts(&self, "add_node_affinity_json", texts::json(&json));
        configure(self, "add_node_affinity_json", |k| {
            k.node_affinity.retain(|t| t.json().is_none());
            k.node_affinity.push(OrJson::Json(json));
        })
    }

    /// Adds a label to the task's pod (`add_pod_label`).
    #[track_caller]
    fn add_pod_label(self, label_key: impl Into<String>, label_value: impl Into<String>) -> Self {
        let (key, value) = (label_key.into(), label_value.into());
        check_texts(&self, "add_pod_label", [key.as_str(), value.as_str()]);
        configure(self, "add_pod_label", |k| {
            k.pod_labels.insert(key, value);
        })
    }

    /// Adds an annotation to the task's pod (`add_pod_annotation`).
    #[track_caller]
    fn add_pod_annotation(
        self,
        annotation_key: impl Into<String>,
        annotation_value: impl Into<String>,
    ) -> Self {
        let (key, value) = (annotation_key.into(), annotation_value.into());
        check_texts(&self, "add_pod_annotation", [key.as_str(), value.as_str()]);
        configure(self, "add_pod_annotation", |k| {
            k.pod_annotations.insert(key, value);
        })
    }

    /// Pulls the image with these secrets (`set_image_pull_secrets`).
    #[track_caller]
    fn set_image_pull_secrets<N: IntoResourceName>(
        self,
        secret_names: impl IntoIterator<Item = N>,
    ) -> Self {
        let names: Vec<_> = secret_names
            .into_iter()
            .map(IntoResourceName::into_resource_name)
            .collect();
        check_texts(
            &self,
            "set_image_pull_secrets",
            names.iter().filter_map(texts::name),
        );
        configure(self, "set_image_pull_secrets", |k| {
            k.image_pull_secrets.extend(names)
        })
    }

    /// Sets when the image is pulled (`set_image_pull_policy`).
    #[track_caller]
    fn set_image_pull_policy(self, policy: ImagePullPolicy) -> Self {
        configure(self, "set_image_pull_policy", |k| {
            k.image_pull_policy = Some(policy)
        })
    }

    /// Sets the environment variable `env_name` to a field of the pod, such
    /// as `metadata.name` or
    /// `metadata.annotations['pipelines.kubeflow.org/run_name']`
    /// (`use_field_path_as_env`).
    #[track_caller]
    fn use_field_path_as_env(
        self,
        env_name: impl Into<String>,
        field_path: impl Into<String>,
    ) -> Self {
        let field = FieldPathAsEnv {
            name: env_name.into(),
            field_path: field_path.into(),
        };
        check_texts(
            &self,
            "use_field_path_as_env",
            [field.name.as_str(), field.field_path.as_str()],
        );
        configure(self, "use_field_path_as_env", |k| {
            k.field_path_as_env.push(field)
        })
    }

    /// Stops the pod after `seconds` (its `activeDeadlineSeconds`); 0
    /// removes the timeout (`set_timeout`).
    #[track_caller]
    fn set_timeout(self, seconds: u64) -> Self {
        configure(self, "set_timeout", |k| k.active_deadline_seconds = seconds)
    }

    /// Sets the user and group the container runs as; fields already set
    /// and not set again are kept (`set_security_context`).
    #[track_caller]
    fn set_security_context(self, context: SecurityContext) -> Self {
        configure(self, "set_security_context", |k| {
            k.security_context = Some(k.security_context.take().unwrap_or_default().merge(context))
        })
    }
}

impl<T: TaskSettings> KubernetesSettings for T {}

fn pairs<K: Into<String>, V: Into<String>>(
    items: impl IntoIterator<Item = (K, V)>,
) -> Vec<(String, String)> {
    items
        .into_iter()
        .map(|(k, v)| (k.into(), v.into()))
        .collect()
}

// kfp-kubernetes' `CreatePVC` and `DeletePVC`. The descriptions of their
// inputs are kfp-kubernetes' own, word for word, as its compiled pipelines
// carry them.

/// Creates a persistent volume claim for later tasks of the pipeline to
/// mount (kfp-kubernetes' `CreatePVC`); its output `name` is the claim's
/// name.
///
/// `access_modes` are the claim's `spec.accessModes` (e.g.
/// `ReadWriteOnce`) and `size` the storage it requests (e.g. `5Gi`). The
/// optional inputs are methods of the task:
///
/// * `pvc_name`: the claim's name; or
/// * `pvc_name_suffix`: a suffix for a name made at run time,
///   `<workflow-name>-<suffix>` (give one of the two);
/// * `storage_class_name`: the storage class to provision the volume from
///   (default `""`, as in kfp-kubernetes);
/// * `volume_name`: an existing persistent volume to bind;
/// * `annotations`: the claim's annotations;
/// * `data_source`: what to fill the claim from, e.g. a volume snapshot
///   (`apiGroup`, `kind` and `name`).
///
/// The task's component is called `createpvc`, as in kfp. KFP's driver
/// creates the claim itself; the image `argostub/createpvc` is a stub it
/// recognises.
#[crate::container_component(name = "createpvc")]
pub fn create_pvc(
    name: crate::OutputPath<String>,
    #[kfp(description = "Values for ``PersistentVolumeClaim.spec.accessModes``.")]
    access_modes: Vec<String>,
    #[kfp(
        description = "The size of storage requested by the PVC that will be\nprovisioned. For example, ``'5Gi'``. Corresponds to\n`PersistentVolumeClaim.spec.resources.requests.storage\n<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimSpec>`_."
    )]
    size: String,
    #[kfp(
        description = "Name of the PVC. Corresponds to\n`PersistentVolumeClaim.metadata.name\n<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaim>`_.\nOnly one of ``pvc_name`` and ``pvc_name_suffix`` can be provided."
    )]
    pvc_name: Option<String>,
    #[kfp(
        description = "Prefix to use for a dynamically generated name, which\nwill take the form ``<argo-workflow-name>-<pvc_name_suffix>``. Only\none of ``pvc_name`` and ``pvc_name_suffix`` can be provided."
    )]
    pvc_name_suffix: Option<String>,
    #[kfp(
        default = "",
        description = "Name of StorageClass from which to provision the PV\nto back the PVC. ``None`` indicates to use the cluster's default\nstorage_class_name. Set to ``''`` for a statically specified PVC."
    )]
    storage_class_name: String,
    #[kfp(
        description = "Pre-existing PersistentVolume that should back the\nprovisioned PersistentVolumeClaim. Used for statically\nspecified PV only. Corresponds to\n`PersistentVolumeClaim.spec.volumeName\n<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimSpec>`_."
    )]
    volume_name: Option<String>,
    #[kfp(
        description = "Annotations for the PVC's metadata. Corresponds to\n`PersistentVolumeClaim.metadata.annotations\n<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaim>`_."
    )]
    annotations: Option<BTreeMap<String, String>>,
    #[kfp(
        description = "Specifies the data source for the PVC. This can be used to\ncreate a PVC from a VolumeSnapshot or to clone an existing PVC.\nShould be a dictionary with ``'apiGroup'``, ``'kind'``, and\n``'name'`` keys. For example:\n``{'apiGroup': 'snapshot.storage.k8s.io', 'kind': 'VolumeSnapshot', 'name': 'my-snapshot'}``.\nCorresponds to `PersistentVolumeClaim.spec.dataSource\n<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimSpec>`_."
    )]
    data_source: Option<BTreeMap<String, String>>,
) -> crate::ContainerSpec {
    // The driver reads the inputs from the task itself.
    let _ = (name, access_modes, size, pvc_name, pvc_name_suffix);
    let _ = (storage_class_name, volume_name, annotations, data_source);
    crate::ContainerSpec::new("argostub/createpvc")
}

/// Deletes the persistent volume claim `pvc_name` (kfp-kubernetes'
/// `DeletePVC`), typically the `name` output of a [`create_pvc()`] task, once
/// the tasks that mount it are done: give it `.after(..)` those tasks.
///
/// The task's component is called `deletepvc`, as in kfp. KFP's driver
/// deletes the claim itself; the image `argostub/deletepvc` is a stub it
/// recognises.
#[crate::container_component(name = "deletepvc")]
pub fn delete_pvc(
    #[kfp(
        description = "Name of the PVC to delete. Supports passing a runtime-generated name, such as a name provided by ``kubernetes.CreatePvcOp().outputs['name']``."
    )]
    pvc_name: String,
) -> crate::ContainerSpec {
    let _ = pvc_name;
    crate::ContainerSpec::new("argostub/deletepvc")
}
