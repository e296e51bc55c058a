//! Write Kubeflow Pipelines in Rust.
//!
//! A pipeline is ordinary Rust: `#[component]` functions run inside
//! containers, `#[container_component]` functions describe a container with
//! typed placeholders, and a `#[pipeline]` function wires them together.
//! Every connection is checked by rustc: a `Model` output cannot go to a
//! `Dataset` input, a parameter cannot go where an artifact is expected, a
//! `String` cannot go to an `i64` input, and a required input cannot be left
//! out.
//!
//! ```no_run
//! use kfp_dsl::prelude::*;
//!
//! /// Adds two numbers.
//! #[component]
//! fn add(a: i64, b: i64) -> i64 {
//!     a + b
//! }
//!
//! #[pipeline(name = "add-twice")]
//! fn add_twice(a: i64, #[kfp(default = 3)] b: i64) -> i64 {
//!     let first = add(a, b);
//!     add(first.output(), 10).output()
//! }
//!
//! fn main() -> std::process::ExitCode {
//!     kfp_dsl::main!(add_twice)
//! }
//! ```
//!
//! The binary is also the executor: KFP starts it with
//! `--executor_input {{$}} --function_to_execute add` and it runs `add`.
//!
//! # How it works
//!
//! * **Two halves from one function.** `#[component] fn add(..)` keeps the
//!   body (run by the executor inside the container) and generates a task
//!   builder `add(required inputs) -> add::Task` plus a module `add` with
//!   `Task`, `Outputs`, `DEFINITION` and `ENTRY`. Optional inputs and task
//!   settings ([`TaskSettings`]) are methods of the task; `outputs()` gives
//!   typed handles ([`ParamOutput`], [`ArtifactOutput`]).
//! * **The pipeline body runs at definition time**, with handles
//!   ([`PipelineParam`], [`PipelineArtifact`]) in place of values. Each
//!   builder call records a task in the `kfp_compiler::graph::Pipeline`
//!   being defined (a thread-local stack, one frame per pipeline, so a
//!   pipeline called inside another records a sub-DAG). `kfp_compiler`
//!   lowers the graph to IR, which is validated before it is written.
//! * **Wiring is checked by rustc.** Inputs take `impl IntoParam<T>` /
//!   `impl IntoArtifact<A>`; the impls that exist are exactly the legal
//!   connections, and `#[diagnostic::on_unimplemented]` words the others in
//!   KFP's terms, at the offending argument.
//! * **Loops.** [`parallel_for`] (kfp's `dsl.ParallelFor`) runs its body
//!   once at definition time with a [`LoopItem`] handle; the tasks it adds
//!   run once per item. Outputs of those tasks are read after the loop
//!   through [`collected`] (kfp's `dsl.Collected`): a `ParamOutput<T>`
//!   becomes a `Vec<T>` value, an `ArtifactOutput<A>` a `Vec<Input<A>>`
//!   value. The compiler routes values into and out of the loop's DAG as
//!   kfp does.
//! * **f-strings.** A [`PipelineParam`], [`ParamOutput`] or [`LoopItem`]
//!   formatted into a string (`format!("{n} items")`) is read when the task
//!   runs, as in kfp's `f'{n} items'`, when the string goes to a `String`
//!   input.
//! * **Components from YAML.** [`load_component!`] reads a compiled
//!   component or pipeline, or a legacy v1 component, when the crate is
//!   built and generates a typed component, called like a `#[component]`
//!   and checked by rustc; [`LoadedComponent`] reads one when the program
//!   runs, wired by name and checked when the pipeline is recorded.
//! * **Importers.** [`importer`] (kfp's `dsl.importer`) adds a task that
//!   registers an artifact that already exists at a URI; its
//!   [`output`](ImporterTask::output) goes to `Input<A>` inputs.
//! * **Workspaces.** `#[pipeline(pipeline_config = ...)]` takes a
//!   [`PipelineConfig`] (kfp's `dsl.PipelineConfig`) with a
//!   [`WorkspaceConfig`]: a volume shared by a run's tasks, which reach it
//!   through [`placeholders::WORKSPACE_PATH`] or an importer's
//!   [`download_to_workspace`](ImporterTask::download_to_workspace).
//! * **One binary, many roles.** [`run`] (through [`main!`]) compiles, prints
//!   a Dockerfile, or runs a component: it finds the executor by recording the
//!   pipeline, which collects the Rust-native components it reaches; there is
//!   no global registry.

// The components this crate defines itself (`kubernetes::create_pvc`)
// expand to paths through `::kfp_dsl`, as users' components do.
extern crate self as kfp_dsl;

mod artifact;
mod cli;
mod compile;
pub mod container;
mod control;
mod defaults;
mod executor;
mod fstring;
pub mod google;
mod handle;
mod importer;
pub mod kubernetes;
mod load;
pub mod local;
mod native;
mod outputs;
mod param;
mod pipeline_config;
pub mod placeholders;
mod recorder;
mod task;

pub use artifact::{
    Artifact, ArtifactType, ClassificationMetrics, Dataset, HTML, Markdown, Metrics, Model,
    SlicedClassificationMetrics, artifact_type_of,
};
pub use cli::{dockerfile, run, run_with_args};
pub use compile::{
    CompileError, PipelineEntry, compile, compile_to_file, compile_to_string, compile_with,
};
pub use container::ContainerSpec;
pub use control::{
    BranchValue, Branches, Collect, Collected, CollectedArtifacts, Compare, Comparison,
    ExitHandler, If, IntoLoopItems, LoopItem, LoopItemField, LoopItemType, OneOf, ParallelFor,
    PipelineTaskFinalStatus, collected, condition, exit_handler, parallel_for,
};
pub use defaults::ParamDefault;
pub use executor::{
    ExecutorError, ExecutorFn, ExecutorInput, ExecutorOutput, Input, Output, OutputPath,
    OutputValue, UriError, execute, get_uri, local_path, remote_uri,
};
pub use handle::{
    AcceptsArtifact, ArtifactListOutput, ArtifactOutput, IntoArtifact, IntoArtifactList,
    IntoFloatParam, IntoParam, ParamOutput, PipelineArtifact, PipelineArtifacts, PipelineParam,
};
pub use importer::{ImporterTask, importer};
pub use kfp_compiler::Overrides;
pub use kfp_compiler::graph::RetryPolicy;
pub use kfp_macros::{Outputs, component, container_component, load_component, pipeline};
pub use load::{GivenArtifact, GivenArtifacts, LoadError, LoadedCall, LoadedComponent, LoadedTask};
pub use outputs::{ComponentReturn, IntoPipelineOutput, OutputSpec, PipelineReturn};
pub use param::{ParamKind, ParamValueError, Parameter, StructParameter, Untyped};
pub use pipeline_config::{PipelineConfig, WorkspaceConfig};
pub use recorder::{Executors, Recorded, TaskHandle};
pub use task::{IntoConfigValue, TaskSettings};

/// Everything a pipeline file needs: `use kfp_dsl::prelude::*;`.
pub mod prelude {
    pub use crate::container::{concat, if_present};
    pub use crate::control::{
        Compare, ExitHandler, If, OneOf, ParallelFor, PipelineTaskFinalStatus, collected,
        condition, exit_handler, parallel_for,
    };
    pub use crate::executor::get_uri;
    pub use crate::importer::importer;
    pub use crate::{
        Artifact, ArtifactOutput, ClassificationMetrics, ContainerSpec, Dataset, HTML, Input,
        Markdown, Metrics, Model, Output, OutputPath, Outputs, ParamOutput, PipelineArtifact,
        PipelineConfig, PipelineParam, RetryPolicy, SlicedClassificationMetrics, TaskSettings,
        WorkspaceConfig, component, container_component, load_component, pipeline,
    };
}

/// The command-line entry of a pipeline binary: compiles the pipeline, runs
/// one of its components, or prints a Dockerfile (see [`run`]).
///
/// `kfp_dsl::main!(my_pipeline)` evaluates to a
/// [`std::process::ExitCode`]; the optional `image = "…"` sets the image of
/// Rust-native components that set none.
#[macro_export]
macro_rules! main {
    ($($pipeline:ident)::+) => {
        $crate::run($($pipeline)::+::ENTRY, ::core::option::Option::None)
    };
    ($($pipeline:ident)::+, image = $image:expr) => {
        $crate::run($($pipeline)::+::ENTRY, ::core::option::Option::Some($image))
    };
}

/// Used by generated code. Not public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::artifact::artifact_type_of;
    pub use crate::container::{
        InputArtifact, InputArtifactList, InputValue, OutputArtifact, OutputParameter,
    };
    pub use crate::executor::{ExecutorError, ExecutorInput, ExecutorOutput, OutputValue, Run};
    pub use crate::handle::AcceptsArtifact;
    pub use crate::load::embedded as loaded_component;
    pub use crate::native::native_container;
    pub use crate::outputs::{
        ComponentResult, ComponentReturn, OutputSpec, PipelineOutputType, PipelineReturn,
        PublishedOutput, SINGLE_OUTPUT, artifact_output_spec, declare_return, pipeline_outputs,
        returned_artifact,
    };
    pub use crate::param::struct_from_value;
    pub use crate::recorder::{
        Definition, Recorded, TaskHandle, add_task, record_component, record_pipeline, set_input,
    };
    pub use kfp_compiler::graph;
    pub use serde_json;

    /// The methods of the task-settings traits ([`TaskSettings`] and
    /// [`KubernetesSettings`]), which an optional input of a component may
    /// not be named after: the macros' own list, which the test
    /// `task_settings` checks against the traits.
    ///
    /// [`TaskSettings`]: crate::TaskSettings
    /// [`KubernetesSettings`]: crate::kubernetes::KubernetesSettings
    pub const TASK_SETTINGS: &[&str] = kfp_macros::__task_settings!();

    /// The macros' copy of kfp's pipeline-name rule, which the test
    /// `pipeline_names` checks against the compiler's.
    #[cfg(test)]
    pub(crate) const PIPELINE_NAMES: &[(&str, &str)] = &[
        (
            "Vertex AI demo",
            kfp_macros::__pipeline_name!("Vertex AI demo"),
        ),
        ("my_pipeline", kfp_macros::__pipeline_name!("my_pipeline")),
        ("--A__b--C--", kfp_macros::__pipeline_name!("--A__b--C--")),
        (
            "Émile's Pipeline v2.0",
            kfp_macros::__pipeline_name!("Émile's Pipeline v2.0"),
        ),
        (
            "İstanbul KELVIN \u{212a}",
            kfp_macros::__pipeline_name!("İstanbul KELVIN \u{212a}"),
        ),
        ("!!!", kfp_macros::__pipeline_name!("!!!")),
        ("", kfp_macros::__pipeline_name!("")),
    ];

    /// Description text from doc-comment lines: trimmed and joined as kfp
    /// joins docstring lines (a parameter's description).
    pub fn doc(lines: &[&str]) -> Option<String> {
        let text = lines
            .iter()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n");
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_owned())
    }

    /// A component's or pipeline's description from its doc comment, as
    /// kfp makes one from a docstring: the first line (the short
    /// description), then, on the next line, the rest with the blank lines
    /// around it removed (the long description).
    ///
    /// ```
    /// use kfp_dsl::__private::docstring;
    ///
    /// let lines = [" Concatenates two datasets.", "", " Also returns the result."];
    /// assert_eq!(
    ///     docstring(&lines).as_deref(),
    ///     Some("Concatenates two datasets.\nAlso returns the result.")
    /// );
    /// assert_eq!(docstring(&[]), None);
    /// ```
    pub fn docstring(lines: &[&str]) -> Option<String> {
        // `doc` trims the whole text, so a long description is never blank.
        let text = doc(lines)?;
        Some(match text.split_once('\n') {
            Some((short, long)) => format!("{short}\n{}", long.trim()),
            None => text,
        })
    }
}

#[cfg(test)]
mod tests {
    /// The `#[pipeline]` macro refuses a name from the name kfp derives,
    /// with its own copy of the rule: it gives the compiler's names.
    #[test]
    fn pipeline_names() {
        for (given, derived) in crate::__private::PIPELINE_NAMES {
            assert_eq!(
                *derived,
                kfp_compiler::naming::maybe_rename_for_k8s(given),
                "{given:?}"
            );
        }
    }
}
