//! Lowering the Kubernetes settings of tasks
//! ([`graph::kubernetes`](crate::graph::kubernetes)) to the
//! `KubernetesExecutorConfig` that kfp-kubernetes 2.17 writes, and the
//! executors' configs to the `PlatformSpec` document.
//!
//! kfp-kubernetes keeps each task's settings as a
//! `google.protobuf.Struct`, one per executor label, under
//! `platforms.kubernetes.deploymentSpec.executors`: int64 values are strings
//! (`activeDeadlineSeconds: '20'`), every other number is a double
//! (`weight: 50.0`), and defaults are left out, except proto3 `optional`
//! fields such as `optional: false`, which are written whenever set. A
//! secret, config map or claim name is written twice, as kfp-kubernetes
//! does: as the deprecated literal (`secretName`, when it is one) and as an
//! `InputParameterSpec` (`secretNameParameter`).
//!
//! A name or JSON value read from a pipeline input becomes a
//! `componentInputParameter`, one read from a task output a
//! `taskOutputParameter` (and the task must run after its producer). On a
//! task inside a loop, condition or exit handler, such a value crosses the
//! group boundary as any other value does: it is punched into each group on
//! the way in as a `pipelinechannel--…` input, which the setting then reads
//! (`componentInputParameter: pipelinechannel--secret_name`), as kfp does.
//! The task itself gets no extra input.

use std::collections::BTreeMap;

use kfp_ir_schema::kubernetes as k8s;
use kfp_ir_schema::{self as ir, CompactString};
use serde_json::Value;

use crate::error::{CompileError, TaskError};
use crate::graph::kubernetes::{
    EmptyDirMount, EphemeralVolume, JsonSetting, KeysAsEnv, KubernetesConfig, MountedObject,
    NodeAffinityTerm, OrJson, PvcMount, SecurityContext, SelectorRequirement, Toleration,
};
use crate::graph::{
    Component, ConfigValue, GroupId, Implementation, OutputRef, ParameterType, Pipeline, Task,
    TaskId,
};
use crate::groups::Scopes;
use crate::to_ir::parameter_spec;

/// Routes a run-time value read by a setting of a task to the task's own
/// DAG, rewriting the reference to what the task can read there
/// (see [`Router::route_parameter`](crate::groups::Router::route_parameter)).
pub(crate) type Route<'r> = dyn FnMut(&mut ir::InputParameterKind) -> Result<(), CompileError> + 'r;

/// The task whose Kubernetes settings are lowered, with what its settings
/// may refer to.
#[derive(Clone, Copy)]
pub(crate) struct TaskRef<'a> {
    /// The pipeline the task is in.
    pub(crate) pipeline: &'a Pipeline,
    /// The kfp names of the pipeline's tasks.
    pub(crate) names: &'a [CompactString],
    /// The pipeline's groups.
    pub(crate) scopes: &'a Scopes<'a>,
    /// The task's index in the pipeline.
    pub(crate) index: usize,
    /// The task.
    pub(crate) task: &'a Task,
}

/// The platform key of Kubernetes settings in the `PlatformSpec`.
pub const KUBERNETES: &str = "kubernetes";

/// The `KubernetesExecutorConfig` of `task`, in the `Struct` form the IR
/// stores, or `None` when the task has no Kubernetes settings. Every
/// pipeline input or task output a setting reads goes through `route`.
///
/// # Errors
/// When the task runs a pipeline (kfp: "Platform-specific features can
/// only be set on primitive components"), when a name or JSON value refers
/// to a pipeline input or task output that does not exist, is not earlier,
/// or is out of the task's reach, or when a value is out of range.
pub(crate) fn executor_config(
    task: TaskRef<'_>,
    component: &Component,
    route: &mut Route<'_>,
) -> Result<Option<ir::Struct>, CompileError> {
    let config = &task.task.config.kubernetes;
    if config.is_empty() {
        return Ok(None);
    }
    let mut cx = Lowering { task, route };
    let setting = "Kubernetes settings (kfp-kubernetes)";
    match component.implementation {
        Implementation::Pipeline(_) | Implementation::Compiled(_) => {
            return Err(cx.err(TaskError::ContainerSettingOnPipeline { setting }));
        }
        Implementation::Importer(_) => {
            return Err(cx.err(TaskError::ContainerSettingOnImporter { setting }));
        }
        Implementation::Container(_) => {}
    }
    Ok(Some(cx.config(config)?.to_struct()))
}

/// The `PlatformSpec` holding the Kubernetes config of each executor and
/// the pipeline's config, or `None` when there is neither (kfp then writes
/// no second document).
pub(crate) fn platform_spec(
    executors: Vec<(CompactString, ir::Struct)>,
    pipeline_config: Option<ir::PipelineConfig>,
) -> Option<ir::PlatformSpec> {
    if executors.is_empty() && pipeline_config.is_none() {
        return None;
    }
    let kubernetes = ir::SinglePlatformSpec {
        deployment_spec: (!executors.is_empty()).then(|| ir::PlatformDeploymentConfig {
            executors: executors.into_iter().collect(),
        }),
        pipeline_config,
        ..ir::SinglePlatformSpec::default()
    };
    Some(ir::PlatformSpec {
        platforms: ir::VecMap::from([(KUBERNETES.into(), kubernetes)]),
    })
}

/// One task's settings being lowered, with what they may refer to.
struct Lowering<'a, 'r> {
    task: TaskRef<'a>,
    route: &'r mut Route<'r>,
}

impl Lowering<'_, '_> {
    fn err(&self, error: TaskError) -> CompileError {
        CompileError::Task {
            pipeline: self.task.pipeline.name.clone(),
            task: self.task.names[self.task.index].to_string(),
            error: Box::new(error),
        }
    }

    fn invalid(&self, setting: &'static str, value: String, reason: &'static str) -> CompileError {
        self.err(TaskError::InvalidSetting {
            setting,
            value,
            reason,
        })
    }

    fn config(
        &mut self,
        c: &KubernetesConfig,
    ) -> Result<k8s::KubernetesExecutorConfig, CompileError> {
        Ok(k8s::KubernetesExecutorConfig {
            secret_as_volume: self.secret_as_volume(&c.secret_as_volume)?,
            secret_as_env: self.secret_as_env(&c.secret_as_env)?,
            pvc_mount: self.pvc_mounts(&c.pvc_mounts)?,
            node_selector: self.node_selector(c)?,
            pod_metadata: pod_metadata(&c.pod_labels, &c.pod_annotations),
            image_pull_secret: self.image_pull_secrets(&c.image_pull_secrets)?,
            image_pull_policy: c
                .image_pull_policy
                .map(|p| p.as_str().to_owned())
                .unwrap_or_default(),
            config_map_as_volume: self.config_map_as_volume(&c.config_map_as_volume)?,
            config_map_as_env: self.config_map_as_env(&c.config_map_as_env)?,
            active_deadline_seconds: i64::try_from(c.active_deadline_seconds).map_err(|_| {
                self.invalid(
                    "set_timeout seconds",
                    c.active_deadline_seconds.to_string(),
                    "it must fit in an int64",
                )
            })?,
            field_path_as_env: c
                .field_path_as_env
                .iter()
                .map(|f| k8s::FieldPathAsEnv {
                    name: f.name.clone(),
                    field_path: f.field_path.clone(),
                })
                .collect(),
            tolerations: self.tolerations(&c.tolerations)?,
            generic_ephemeral_volume: c.ephemeral_volumes.iter().map(ephemeral_volume).collect(),
            node_affinity: self.node_affinity(&c.node_affinity)?,
            empty_dir_mounts: c.empty_dir_mounts.iter().map(empty_dir_mount).collect(),
            security_context: c
                .security_context
                .as_ref()
                .map(|s| self.security_context(s))
                .transpose()?,
            ..k8s::KubernetesExecutorConfig::default()
        })
    }

    fn secret_as_env(&mut self, list: &[KeysAsEnv]) -> Result<Vec<k8s::SecretAsEnv>, CompileError> {
        list.iter()
            .map(|s| {
                let (secret_name, parameter) =
                    self.name("use_secret_as_env secret_name", &s.name)?;
                Ok(k8s::SecretAsEnv {
                    secret_name,
                    key_to_env: s
                        .key_to_env
                        .iter()
                        .map(|(key, var)| k8s::SecretKeyToEnvMap {
                            secret_key: key.clone(),
                            env_var: var.clone(),
                        })
                        .collect(),
                    optional: Some(s.optional),
                    secret_name_parameter: Some(parameter),
                })
            })
            .collect()
    }

    fn secret_as_volume(
        &mut self,
        list: &[MountedObject],
    ) -> Result<Vec<k8s::SecretAsVolume>, CompileError> {
        list.iter()
            .map(|s| {
                let (secret_name, parameter) =
                    self.name("use_secret_as_volume secret_name", &s.name)?;
                Ok(k8s::SecretAsVolume {
                    secret_name,
                    mount_path: s.mount_path.clone(),
                    optional: Some(s.optional),
                    secret_name_parameter: Some(parameter),
                })
            })
            .collect()
    }

    fn config_map_as_env(
        &mut self,
        list: &[KeysAsEnv],
    ) -> Result<Vec<k8s::ConfigMapAsEnv>, CompileError> {
        list.iter()
            .map(|s| {
                let (config_map_name, parameter) =
                    self.name("use_config_map_as_env config_map_name", &s.name)?;
                Ok(k8s::ConfigMapAsEnv {
                    config_map_name,
                    key_to_env: s
                        .key_to_env
                        .iter()
                        .map(|(key, var)| k8s::ConfigMapKeyToEnvMap {
                            config_map_key: key.clone(),
                            env_var: var.clone(),
                        })
                        .collect(),
                    optional: Some(s.optional),
                    config_map_name_parameter: Some(parameter),
                })
            })
            .collect()
    }

    fn config_map_as_volume(
        &mut self,
        list: &[MountedObject],
    ) -> Result<Vec<k8s::ConfigMapAsVolume>, CompileError> {
        list.iter()
            .map(|s| {
                let (config_map_name, parameter) =
                    self.name("use_config_map_as_volume config_map_name", &s.name)?;
                Ok(k8s::ConfigMapAsVolume {
                    config_map_name,
                    mount_path: s.mount_path.clone(),
                    optional: Some(s.optional),
                    config_map_name_parameter: Some(parameter),
                })
            })
            .collect()
    }

    fn pvc_mounts(&mut self, list: &[PvcMount]) -> Result<Vec<k8s::PvcMount>, CompileError> {
        list.iter()
            .map(|m| {
                let (_, parameter) = self.name("mount_pvc pvc_name", &m.pvc_name)?;
                Ok(k8s::PvcMount {
                    pvc_reference: pvc_reference(&parameter),
                    mount_path: m.mount_path.clone(),
                    pvc_name_parameter: Some(parameter),
                    sub_path: m.sub_path.clone(),
                })
            })
            .collect()
    }

    fn image_pull_secrets(
        &mut self,
        names: &[ConfigValue],
    ) -> Result<Vec<k8s::ImagePullSecret>, CompileError> {
        names
            .iter()
            .map(|name| {
                let (secret_name, parameter) =
                    self.name("set_image_pull_secrets secret_names", name)?;
                Ok(k8s::ImagePullSecret {
                    secret_name,
                    secret_name_parameter: Some(parameter),
                })
            })
            .collect()
    }

    fn node_selector(
        &mut self,
        c: &KubernetesConfig,
    ) -> Result<Option<k8s::NodeSelector>, CompileError> {
        if c.node_selector.is_empty() && c.node_selector_json.is_none() {
            return Ok(None);
        }
        Ok(Some(k8s::NodeSelector {
            labels: c.node_selector.clone(),
            node_selector_json: c
                .node_selector_json
                .as_ref()
                .map(|j| self.json("add_node_selector_json", j))
                .transpose()?,
        }))
    }

    fn tolerations(
        &mut self,
        list: &[OrJson<Toleration>],
    ) -> Result<Vec<k8s::Toleration>, CompileError> {
        list.iter()
            .map(|t| match t {
                OrJson::Typed(t) => Ok(toleration(t)),
                OrJson::Json(j) => Ok(k8s::Toleration {
                    toleration_json: Some(self.json("add_toleration_json", j)?),
                    ..k8s::Toleration::default()
                }),
            })
            .collect()
    }

    fn node_affinity(
        &mut self,
        list: &[OrJson<NodeAffinityTerm>],
    ) -> Result<Vec<k8s::NodeAffinityTerm>, CompileError> {
        list.iter()
            .map(|t| match t {
                OrJson::Typed(t) => self.node_affinity_term(t),
                OrJson::Json(j) => Ok(k8s::NodeAffinityTerm {
                    node_affinity_json: Some(self.json("add_node_affinity_json", j)?),
                    ..k8s::NodeAffinityTerm::default()
                }),
            })
            .collect()
    }

    /// kfp-kubernetes' `set_security_context`, with its checks.
    fn security_context(&self, s: &SecurityContext) -> Result<k8s::SecurityContext, CompileError> {
        if s.run_as_user.is_none() && s.run_as_group.is_none() && s.run_as_non_root.is_none() {
            return Err(self.invalid(
                "set_security_context",
                "{}".to_owned(),
                "at least one of run_as_user, run_as_group and run_as_non_root must be set",
            ));
        }
        for (setting, id) in [
            ("set_security_context run_as_user", s.run_as_user),
            ("set_security_context run_as_group", s.run_as_group),
        ] {
            if let Some(id) = id.filter(|id| *id < 0) {
                return Err(self.invalid(setting, id.to_string(), "it must be 0 or more"));
            }
        }
        Ok(k8s::SecurityContext {
            run_as_user: s.run_as_user,
            run_as_group: s.run_as_group,
            run_as_non_root: s.run_as_non_root,
        })
    }

    /// kfp-kubernetes' `add_node_affinity`, with its checks.
    fn node_affinity_term(
        &self,
        term: &NodeAffinityTerm,
    ) -> Result<k8s::NodeAffinityTerm, CompileError> {
        if let Some(weight) = term.weight.filter(|w| !(1..=100).contains(w)) {
            return Err(self.invalid(
                "add_node_affinity weight",
                weight.to_string(),
                "it must be between 1 and 100",
            ));
        }
        let requirements = |list: &[SelectorRequirement]| -> Result<_, CompileError> {
            list.iter()
                .map(|r| {
                    if r.key.is_empty() {
                        return Err(self.invalid(
                            "add_node_affinity",
                            format!("{} {:?}", r.operator.as_str(), r.values),
                            "each match expression and match field needs a non-empty key",
                        ));
                    }
                    Ok(k8s::SelectorRequirement {
                        key: r.key.clone(),
                        operator: r.operator.as_str().to_owned(),
                        values: r.values.clone(),
                    })
                })
                .collect()
        };
        Ok(k8s::NodeAffinityTerm {
            match_expressions: requirements(&term.match_expressions)?,
            match_fields: requirements(&term.match_fields)?,
            weight: term.weight,
            node_affinity_json: None,
        })
    }

    /// A secret, config map or claim name: the deprecated literal field
    /// (empty unless it is a literal) and the `*NameParameter`.
    fn name(
        &mut self,
        setting: &'static str,
        value: &ConfigValue,
    ) -> Result<(String, ir::InputParameterSpec), CompileError> {
        Ok(match value {
            ConfigValue::Literal(name) => {
                if name.is_empty() {
                    return Err(self.invalid(
                        setting,
                        String::new(),
                        "a Kubernetes object name cannot be empty",
                    ));
                }
                (
                    name.clone(),
                    parameter_spec(ir::InputParameterKind::RuntimeValue(
                        ir::ValueOrRuntimeParameter::Constant(Value::String(name.clone())),
                    )),
                )
            }
            ConfigValue::PipelineParameter(name) => {
                (String::new(), self.pipeline_parameter(setting, name)?)
            }
            ConfigValue::TaskOutput { task, output } => {
                (String::new(), self.task_output(setting, *task, output)?)
            }
            ConfigValue::LoopItem(group) => (
                String::new(),
                self.loop_item(setting, *group, Some(ParameterType::String))?,
            ),
        })
    }

    /// A JSON setting as an `InputParameterSpec`.
    fn json(
        &mut self,
        setting: &'static str,
        value: &JsonSetting,
    ) -> Result<ir::InputParameterSpec, CompileError> {
        match value {
            JsonSetting::Constant(value) => {
                Ok(parameter_spec(ir::InputParameterKind::RuntimeValue(
                    ir::ValueOrRuntimeParameter::Constant(value.clone()),
                )))
            }
            JsonSetting::PipelineParameter(name) => self.pipeline_parameter(setting, name),
            JsonSetting::TaskOutput { task, output } => self.task_output(setting, *task, output),
            JsonSetting::LoopItem(group) => self.loop_item(setting, *group, None),
        }
    }

    fn pipeline_parameter(
        &mut self,
        setting: &'static str,
        name: &str,
    ) -> Result<ir::InputParameterSpec, CompileError> {
        if !self.task.pipeline.inputs.iter().any(|p| p.name == name) {
            return Err(self.err(TaskError::UnknownPipelineInput {
                input: setting.to_owned(),
                name: name.to_owned(),
            }));
        }
        self.routed(ir::InputParameterKind::ComponentInputParameter(name.into()))
    }

    fn task_output(
        &mut self,
        setting: &'static str,
        id: TaskId,
        output: &str,
    ) -> Result<ir::InputParameterSpec, CompileError> {
        let TaskRef {
            pipeline,
            names,
            scopes,
            index,
            task,
        } = self.task;
        let producer_task = pipeline.get_task(id).ok_or_else(|| {
            self.err(TaskError::UnknownTask {
                input: setting.to_owned(),
                task: id,
            })
        })?;
        let producer = names[id.0].as_str();
        // Any other task, as in kfp (see `compile::context::Reader`).
        if id.0 == index {
            return Err(self.err(TaskError::ForwardReference {
                input: setting.to_owned(),
                producer: producer.to_owned(),
            }));
        }
        let has_output = pipeline
            .get_component(producer_task.component)
            .and_then(|c| c.output(output))
            .is_some_and(|o| matches!(o, OutputRef::Parameter(_)));
        if !has_output {
            return Err(self.err(TaskError::UnknownTaskOutput {
                input: setting.to_owned(),
                producer: producer.to_owned(),
                output: output.to_owned(),
                kind: "output parameter",
            }));
        }
        // Out of a loop an output is a list of names, out of a condition it
        // may not exist: only a producer whose groups enclose the task will do.
        if !scopes.contains(producer_task.group, task.group) {
            return Err(self.err(TaskError::OutOfScope {
                input: setting.to_owned(),
                reason: format!(
                    "task `{producer}` runs inside a loop, condition or exit handler that \
                     this task is not in, so its output is not available here"
                ),
            }));
        }
        if !task.config.after.contains(&id) {
            return Err(self.err(TaskError::OutOfScope {
                input: setting.to_owned(),
                reason: format!(
                    "it reads an output of task `{producer}`, so the task must run after it: \
                     add that task to `after` (the DSL does this itself)"
                ),
            }));
        }
        self.routed(ir::InputParameterKind::TaskOutputParameter(
            ir::TaskOutputParameterSpec {
                producer_task: producer.into(),
                output_parameter_key: output.into(),
            },
        ))
    }

    /// The item of an enclosing loop (over strings when `expected` says
    /// so: a name): the loop's `pipelinechannel--` input, routed into
    /// groups inside the loop.
    fn loop_item(
        &mut self,
        setting: &'static str,
        group: GroupId,
        expected: Option<ParameterType>,
    ) -> Result<ir::InputParameterSpec, CompileError> {
        let scopes = self.task.scopes;
        let kind = scopes
            .loop_item(setting, group, self.task.task.group)
            .map_err(|e| self.err(e))?;
        if let Some(expected) = expected.filter(|e| *e != kind) {
            return Err(self.err(TaskError::ParameterTypeMismatch {
                input: setting.to_owned(),
                expected,
                found: kind,
            }));
        }
        self.routed(ir::InputParameterKind::ComponentInputParameter(
            scopes.item(group).into(),
        ))
    }

    /// A run-time value as an `InputParameterSpec`, routed into the task's
    /// group when it is in one.
    fn routed(
        &mut self,
        mut kind: ir::InputParameterKind,
    ) -> Result<ir::InputParameterSpec, CompileError> {
        (self.route)(&mut kind)?;
        Ok(parameter_spec(kind))
    }
}

/// The deprecated `oneof pvc_reference` of a claim mount, which
/// kfp-kubernetes still writes next to `pvcNameParameter`.
fn pvc_reference(parameter: &ir::InputParameterSpec) -> Option<k8s::PvcReference> {
    match parameter.kind.as_ref()? {
        ir::InputParameterKind::RuntimeValue(ir::ValueOrRuntimeParameter::Constant(
            Value::String(name),
        )) => Some(k8s::PvcReference::Constant(name.clone())),
        ir::InputParameterKind::ComponentInputParameter(name) => {
            Some(k8s::PvcReference::ComponentInputParameter(name.to_string()))
        }
        ir::InputParameterKind::TaskOutputParameter(spec) => {
            Some(k8s::PvcReference::TaskOutputParameter(spec.clone()))
        }
        _ => None,
    }
}

/// Pod labels and annotations, when there are any.
fn pod_metadata(
    labels: &BTreeMap<String, String>,
    annotations: &BTreeMap<String, String>,
) -> Option<k8s::PodMetadata> {
    (!labels.is_empty() || !annotations.is_empty()).then(|| k8s::PodMetadata {
        labels: labels.clone(),
        annotations: annotations.clone(),
    })
}

/// kfp-kubernetes' `add_ephemeral_volume`: no storage class means the
/// default one, and the claim's metadata only when there is some.
fn ephemeral_volume(v: &EphemeralVolume) -> k8s::GenericEphemeralVolume {
    k8s::GenericEphemeralVolume {
        volume_name: v.volume_name.clone(),
        mount_path: v.mount_path.clone(),
        access_modes: v.access_modes.clone(),
        size: v.size.clone(),
        default_storage_class: v.storage_class_name.is_none(),
        storage_class_name: v.storage_class_name.clone().unwrap_or_default(),
        metadata: pod_metadata(&v.labels, &v.annotations),
    }
}

fn empty_dir_mount(m: &EmptyDirMount) -> k8s::EmptyDirMount {
    k8s::EmptyDirMount {
        volume_name: m.volume_name.clone(),
        mount_path: m.mount_path.clone(),
        medium: m.medium.clone(),
        size_limit: m.size_limit.clone(),
    }
}

fn toleration(t: &Toleration) -> k8s::Toleration {
    k8s::Toleration {
        key: t.key.clone().unwrap_or_default(),
        operator: t
            .operator
            .map(|o| o.as_str().to_owned())
            .unwrap_or_default(),
        value: t.value.clone().unwrap_or_default(),
        effect: t.effect.map(|e| e.as_str().to_owned()).unwrap_or_default(),
        toleration_seconds: t.toleration_seconds,
        toleration_json: None,
    }
}
