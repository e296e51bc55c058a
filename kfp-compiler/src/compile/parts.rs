//! The components and executors a pipeline is lowered to, under kfp's
//! keys: `comp-<name>` and `exec-<task>`, each made unique with `-2`, `-3`…
//! in the order kfp adds them, and a sub-pipeline's merged into its outer
//! pipeline's, renamed as kfp's `merge_deployment_spec_and_component_spec`
//! renames them.

use kfp_ir_schema::{self as ir, CompactString};

use crate::naming::{self, NameMap, UniqueNames};

/// A lowered pipeline: its name, its root component, and the components
/// and executors it needs.
pub(super) struct Lowered {
    /// The pipeline's kfp name.
    pub(super) name: String,
    pub(super) root: ir::ComponentSpec,
    pub(super) parts: Parts,
}

impl Lowered {
    /// A pipeline compiled before, as if lowered here: its root, its
    /// components and executors (in key order), and its executors'
    /// Kubernetes configs. kfp merges a loaded pipeline's platform spec
    /// into the outer one's executor by executor, and drops the rest (its
    /// `pipelineConfig`).
    pub(super) fn compiled(file: &ir::PipelineFile) -> Lowered {
        let spec = &file.spec;
        let executors = spec
            .deployment_spec
            .iter()
            .flat_map(|d| d.executors.iter())
            .map(|(label, executor)| (label.clone(), executor.clone()))
            .collect();
        let platform = file
            .platform
            .iter()
            .filter_map(|p| p.platforms.get(crate::platform::KUBERNETES))
            .filter_map(|k| k.deployment_spec.as_ref())
            .flat_map(|d| d.executors.iter())
            .map(|(label, config)| (label.clone(), config.clone()))
            .collect();
        Lowered {
            name: spec
                .pipeline_info
                .as_ref()
                .map(|i| i.name.to_string())
                .unwrap_or_default(),
            root: spec.root.clone().unwrap_or_default(),
            parts: Parts {
                components: spec
                    .components
                    .iter()
                    .map(|(key, c)| (key.clone(), c.clone()))
                    .collect(),
                executors,
                platform,
                ..Parts::default()
            },
        }
    }
}

/// The components and executors of a pipeline being lowered, in the order
/// kfp adds them (which decides renames when it is merged into an outer
/// pipeline), with the keys taken so far.
#[derive(Default)]
pub(super) struct Parts {
    pub(super) components: Vec<(CompactString, ir::ComponentSpec)>,
    component_keys: UniqueNames,
    pub(super) executors: Vec<(CompactString, ir::ExecutorSpec)>,
    executor_keys: UniqueNames,
    /// The Kubernetes config of each executor that has one.
    pub(super) platform: Vec<(CompactString, ir::Struct)>,
}

impl Parts {
    /// Empty, with room for a pipeline of `n` tasks.
    pub(super) fn with_capacity(n: usize) -> Self {
        Parts {
            components: Vec::with_capacity(n),
            component_keys: UniqueNames::with_capacity(n),
            executors: Vec::with_capacity(n),
            executor_keys: UniqueNames::with_capacity(n),
            platform: Vec::new(),
        }
    }

    /// Takes the component key of a task or group called `name`.
    pub(super) fn claim_component_key(&mut self, name: &str) -> CompactString {
        self.component_keys.claim_owned(naming::component_key(name))
    }

    /// Adds a component under a key taken with
    /// [`claim_component_key`](Self::claim_component_key).
    pub(super) fn add_component(&mut self, key: CompactString, spec: ir::ComponentSpec) {
        self.components.push((key, spec));
    }

    /// Adds the executor of task `task`, with its Kubernetes config if it
    /// has one, and returns its label.
    pub(super) fn add_executor(
        &mut self,
        task: &str,
        executor: ir::ExecutorSpec,
        kubernetes: Option<ir::Struct>,
    ) -> CompactString {
        let label = self.executor_keys.claim_owned(naming::executor_label(task));
        self.executors.push((label.clone(), executor));
        self.platform
            .extend(kubernetes.map(|config| (label.clone(), config)));
        label
    }

    /// Merges a lowered inner pipeline's executors and components into
    /// these, renaming collisions with `-2`… as kfp's
    /// `merge_deployment_spec_and_component_spec` does, and returns the
    /// inner root with its references renamed.
    ///
    /// kfp renames executor labels one after another, which can mislabel a
    /// component when a renamed label equals a later original label; here
    /// all renames apply at once, which gives kfp's result whenever kfp's
    /// is consistent.
    pub(super) fn merge(&mut self, inner: Lowered) -> ir::ComponentSpec {
        let Parts {
            components,
            executors,
            platform,
            ..
        } = inner.parts;
        let mut executor_renames = NameMap::default();
        for (label, executor) in executors {
            let new = self.executor_keys.claim(&label);
            self.executors.push((new.clone(), executor));
            executor_renames.insert(label, new);
        }
        for (label, config) in platform {
            let label = executor_renames.get(&label).cloned().unwrap_or(label);
            self.platform.push((label, config));
        }
        // kfp checks each name against the outer names and the inner names
        // already mapped (old and new).
        let mut component_renames = NameMap::default();
        let mut mapped = self.component_keys.clone();
        for (key, _) in &components {
            let new = mapped.claim(key);
            mapped.insert(key.clone());
            component_renames.insert(key.clone(), new);
        }
        for (key, mut spec) in components {
            rename_refs(&mut spec, &executor_renames, &component_renames);
            let new = component_renames[&key].clone();
            self.component_keys.insert(new.clone());
            self.components.push((new, spec));
        }
        let mut root = inner.root;
        rename_refs(&mut root, &executor_renames, &component_renames);
        root
    }
}

/// Renames the executor label or the tasks' component references of
/// `spec`.
fn rename_refs(
    spec: &mut ir::ComponentSpec,
    executors: &NameMap<CompactString, CompactString>,
    components: &NameMap<CompactString, CompactString>,
) {
    match &mut spec.implementation {
        Some(ir::ComponentImplementation::ExecutorLabel(label)) => {
            if let Some(new) = executors.get(label) {
                *label = new.clone();
            }
        }
        Some(ir::ComponentImplementation::Dag(dag)) => {
            for task in dag.tasks.values_mut() {
                if let Some(r) = &mut task.component_ref
                    && let Some(new) = components.get(&r.name)
                {
                    r.name = new.clone();
                }
            }
        }
        None => {}
    }
}
