//! Typed handles to the values of a pipeline, and the conversions that make
//! wiring type-checked.
//!
//! A task input of parameter type `T` accepts anything that is
//! [`IntoParam<T>`]: a value of type `T`, a pipeline input
//! [`PipelineParam<T>`] or a task output [`ParamOutput<T>`]. An artifact input
//! of type `A` accepts anything that is [`IntoArtifact<A>`]: an
//! [`ArtifactOutput<B>`] or [`PipelineArtifact<B>`] where an `A` input accepts
//! a `B` artifact (the same type, or any type when `A` is
//! [`Artifact`](crate::Artifact)). Every other combination is a compile
//! error that names the input and the types, in KFP's words.

use std::marker::PhantomData;

use kfp_compiler::graph::{Binding, TaskId};

use crate::artifact::ArtifactType;
use crate::fstring::{self, Channel};
use crate::param::Parameter;
use crate::recorder::{current_frame_id, report};

/// An output parameter of a task, of type `T`.
pub struct ParamOutput<T> {
    frame: u64,
    task: TaskId,
    name: &'static str,
    _type: PhantomData<fn() -> T>,
}

/// An output artifact of a task, of artifact type `A`.
pub struct ArtifactOutput<A> {
    frame: u64,
    task: TaskId,
    name: &'static str,
    _type: PhantomData<fn() -> A>,
}

/// An output of a task that is a list of artifacts of type `A`: the
/// `Vec<Output<A>>` output of a pipeline used as a task (such as the
/// `collected(..)` artifacts of a loop it publishes). Passed to
/// `Vec<Input<A>>` inputs.
pub struct ArtifactListOutput<A> {
    frame: u64,
    task: TaskId,
    name: &'static str,
    _type: PhantomData<fn() -> A>,
}

/// An input parameter of the pipeline being defined, of type `T`.
pub struct PipelineParam<T> {
    frame: u64,
    name: &'static str,
    _type: PhantomData<fn() -> T>,
}

/// An input artifact of the pipeline being defined, of artifact type `A`.
pub struct PipelineArtifact<A> {
    frame: u64,
    name: &'static str,
    _type: PhantomData<fn() -> A>,
}

/// A list-of-artifacts input of the pipeline being defined
/// (`Vec<Input<A>>`), of artifact type `A`.
pub struct PipelineArtifacts<A> {
    frame: u64,
    name: &'static str,
    _type: PhantomData<fn() -> A>,
}

impl<A> PipelineArtifacts<A> {
    #[doc(hidden)]
    pub fn __new(frame: u64, name: &'static str) -> Self {
        PipelineArtifacts {
            frame,
            name,
            _type: PhantomData,
        }
    }

    /// The input's name.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The pipeline recording that issued it.
    pub(crate) fn frame(&self) -> u64 {
        self.frame
    }
}

macro_rules! copy_handle {
    ($($h:ident),*) => {$(
        impl<T> Clone for $h<T> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<T> Copy for $h<T> {}
        impl<T> std::fmt::Debug for $h<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($h)).field("name", &self.name).finish_non_exhaustive()
            }
        }
    )*};
}
copy_handle!(
    ParamOutput,
    ArtifactOutput,
    ArtifactListOutput,
    PipelineParam,
    PipelineArtifact,
    PipelineArtifacts
);

/// What every handle of a task output has: a constructor for generated
/// code, the output's name and the producing task.
macro_rules! task_output_handle {
    ($($h:ident),*) => {$(
        impl<T> $h<T> {
            #[doc(hidden)]
            pub fn __new(task: crate::recorder::TaskHandle, name: &'static str) -> Self {
                $h {
                    frame: task.frame,
                    task: task.task,
                    name,
                    _type: PhantomData,
                }
            }

            /// The output's name in its component.
            pub fn name(&self) -> &'static str {
                self.name
            }

            /// The producing task.
            pub fn task(&self) -> TaskId {
                self.task
            }
        }
    )*};
}
task_output_handle!(ParamOutput, ArtifactOutput, ArtifactListOutput);

impl<T> ParamOutput<T> {
    /// The pipeline recording that issued it.
    pub(crate) fn frame(&self) -> u64 {
        self.frame
    }
}

impl<A> ArtifactOutput<A> {
    /// The pipeline recording that issued it.
    pub(crate) fn frame(&self) -> u64 {
        self.frame
    }
}

impl<A> ArtifactListOutput<A> {
    /// The pipeline recording that issued it.
    pub(crate) fn frame(&self) -> u64 {
        self.frame
    }
}

impl<T> PipelineParam<T> {
    #[doc(hidden)]
    pub fn __new(frame: u64, name: &'static str) -> Self {
        PipelineParam {
            frame,
            name,
            _type: PhantomData,
        }
    }

    /// The input's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

impl<A> PipelineArtifact<A> {
    #[doc(hidden)]
    pub fn __new(frame: u64, name: &'static str) -> Self {
        PipelineArtifact {
            frame,
            name,
            _type: PhantomData,
        }
    }

    /// The input's name.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// Checks that a handle belongs to the pipeline being defined; reports it
/// when it does not.
#[track_caller]
pub(crate) fn same_pipeline(frame: u64, what: &str, name: &str) -> bool {
    let ok = frame == current_frame_id();
    if !ok {
        report(format!(
            "the {what} `{name}` belongs to another pipeline; pass values into a \
             sub-pipeline through its inputs"
        ));
    }
    ok
}

/// A value that can be passed to a parameter input of type `T`.
///
/// Implemented for values of type `T` (and `&str` for `String`, an array
/// of `&str` for `Vec<String>`), for [`PipelineParam<T>`] and
/// [`ParamOutput<T>`], and, for an optional input `Option<T>`, for
/// everything that an input of type `T` accepts.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed to a parameter input of type `{T}`",
    label = "expected a `{T}` value, pipeline input or task output",
    note = "a parameter input of type `{T}` takes a `{T}` value, a `PipelineParam<{T}>` or a `ParamOutput<{T}>`; \
            artifacts go to `Input<_>` inputs"
)]
pub trait IntoParam<T> {
    /// Where the input takes its value from (`None`: leave it unset).
    fn into_binding(self) -> Option<Binding>;
}

impl<T: Parameter> IntoParam<T> for T {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        match self.to_value() {
            serde_json::Value::Null if T::OPTIONAL => None,
            // A string, list or struct may hold pipeline values formatted
            // into its strings.
            serde_json::Value::String(text) => fstring::text_binding(text),
            value => fstring::value_binding(value),
        }
    }
}

impl IntoParam<String> for &str {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        fstring::text_binding(self.to_owned())
    }
}

impl IntoParam<Option<String>> for &str {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        fstring::text_binding(self.to_owned())
    }
}

impl<const N: usize> IntoParam<Vec<String>> for [&str; N] {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        fstring::value_binding(self.into_iter().collect())
    }
}

impl<const N: usize> IntoParam<Option<Vec<String>>> for [&str; N] {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<Vec<String>>>::into_binding(self)
    }
}

impl<T: Parameter> IntoParam<Option<T>> for T {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        match self.to_value() {
            serde_json::Value::String(text) => fstring::text_binding(text),
            value => fstring::value_binding(value),
        }
    }
}

/// What a float input (`f64`, `f32`, or an optional one) is given through:
/// exactly what [`IntoParam`] takes, in words that also name the mistake
/// particular to such an input, an integer (`scale(1)` where `scale` takes
/// an `f64`), which kfp refuses too (`comp(x=1)` for `x: float`:
/// "Argument type 'NUMBER_INTEGER' is incompatible with the input type
/// 'NUMBER_DOUBLE'"). Write the number as a float: `scale(1.0)`. A default
/// may be an integer (`#[kfp(default = 1)]`), as kfp takes `x: float = 1`.
///
/// The macros bound a float input's argument by this trait and every
/// other parameter input's by [`IntoParam`], so only a float input's
/// errors carry these words. Its one impl forwards to [`IntoParam`] and is
/// `do_not_recommend`, so that rustc reports a mistake here, in these
/// words, rather than inside the impl.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed to a parameter input of type `{T}`",
    label = "expected a `{T}` value, pipeline input or task output",
    note = "a parameter input of type `{T}` takes a `{T}` value, a `PipelineParam<{T}>` or a \
            `ParamOutput<{T}>`; artifacts go to `Input<_>` inputs",
    note = "a number for a float input is written as a float, `1.0` rather than `1` (kfp \
            refuses an `int` argument for a `float` input too)"
)]
pub trait IntoFloatParam<T>: IntoParam<T> {}

#[diagnostic::do_not_recommend]
impl<T, X: IntoParam<T>> IntoFloatParam<T> for X {}

/// Writes a token that stands for the output in a string given to a
/// `String` input, as a kfp f-string does: `say(format!("{n} items"))`
/// gives `say` the string with the value of `n` in it when the task runs
/// (kfp writes `{{$.inputs.parameters['pipelinechannel--…']}}` there and
/// adds that input). The token means nothing anywhere else: a display
/// name, an environment variable or a Kubernetes setting holding one is
/// reported as a wiring mistake.
///
/// ```
/// use kfp_dsl::prelude::*;
///
/// #[component]
/// fn count() -> i64 {
///     3
/// }
///
/// #[component]
/// fn say(message: String) {
///     println!("{message}");
/// }
///
/// #[pipeline]
/// fn counting() {
///     let n = count().output();
///     say(format!("{n} items"));
/// }
///
/// fn main() {
///     let spec = serde_json::to_value(kfp_dsl::compile(counting::ENTRY).unwrap().spec).unwrap();
///     let inputs = &spec["root"]["dag"]["tasks"]["say"]["inputs"]["parameters"];
///     assert_eq!(
///         inputs["message"]["runtimeValue"]["constant"],
///         "{{$.inputs.parameters['pipelinechannel--count-Output']}} items"
///     );
///     assert_eq!(
///         inputs["pipelinechannel--count-Output"]["taskOutputParameter"]["producerTask"],
///         "count"
///     );
/// }
/// ```
impl<T> std::fmt::Display for ParamOutput<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fstring::write_token(f, self.frame, Channel::TaskOutput(self.task, self.name))
    }
}

/// Writes a token that stands for the input in a string given to a
/// `String` input, as [`ParamOutput`]'s does.
impl<T> std::fmt::Display for PipelineParam<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fstring::write_token(f, self.frame, Channel::PipelineInput(self.name))
    }
}

impl<T> IntoParam<T> for ParamOutput<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        same_pipeline(self.frame, "task output", self.name)
            .then(|| Binding::task_output_parameter(self.task, self.name))
    }
}

impl<T> IntoParam<Option<T>> for ParamOutput<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<T>>::into_binding(self)
    }
}

impl<T> IntoParam<T> for PipelineParam<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        same_pipeline(self.frame, "pipeline input", self.name)
            .then(|| Binding::pipeline_parameter(self.name))
    }
}

impl<T> IntoParam<Option<T>> for PipelineParam<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<T>>::into_binding(self)
    }
}

/// Whether an artifact input of type `Self` accepts an artifact of type `A`:
/// the same type, a generic [`Artifact`](crate::Artifact), or any type for
/// an `Artifact` input (kfp's `check_artifact_type_compatibility`: a
/// generic artifact on either side is compatible).
#[diagnostic::on_unimplemented(
    message = "a `{A}` artifact cannot be passed to an input that expects a `{Self}`",
    label = "this is a `{A}` artifact, the input expects a `{Self}`",
    note = "an input accepts artifacts of its own type and generic `Artifact`s; an \
            `Input<Artifact>` accepts any artifact"
)]
pub trait AcceptsArtifact<A> {}

/// A value that can be passed to an artifact input of type `A`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed to an artifact input of type `{A}`",
    label = "expected a `{A}` artifact (a task's output artifact or a pipeline's input artifact)",
    note = "parameters cannot be passed where an artifact is expected"
)]
pub trait IntoArtifact<A> {
    /// Where the input takes its artifact from.
    fn into_binding(self) -> Option<Binding>;
}

impl<A: ArtifactType, B: ArtifactType> IntoArtifact<A> for ArtifactOutput<B>
where
    A: AcceptsArtifact<B>,
{
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        same_pipeline(self.frame, "task output", self.name)
            .then(|| Binding::task_output_artifact(self.task, self.name))
    }
}

impl<A: ArtifactType, B: ArtifactType> IntoArtifact<A> for PipelineArtifact<B>
where
    A: AcceptsArtifact<B>,
{
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        same_pipeline(self.frame, "pipeline input", self.name)
            .then(|| Binding::pipeline_artifact(self.name))
    }
}

/// A value that can be passed to a list-of-artifacts input
/// (`Vec<Input<A>>`) of type `A`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be passed to a list-of-artifacts input of type `{A}`",
    label = "expected a list of `{A}` artifacts",
    note = "a `Vec<Input<{A}>>` input takes a pipeline's `Vec<Input<{A}>>` input, the \
            `collected(..)` outputs of a task inside a loop, or a sub-pipeline's \
            `Vec<Output<{A}>>` output"
)]
pub trait IntoArtifactList<A> {
    /// Where the input takes its artifacts from.
    fn into_binding(self) -> Option<Binding>;
}

impl<A: ArtifactType, B: ArtifactType> IntoArtifactList<A> for PipelineArtifacts<B>
where
    A: AcceptsArtifact<B>,
{
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        same_pipeline(self.frame, "pipeline input", self.name)
            .then(|| Binding::pipeline_artifact(self.name))
    }
}

impl<A: ArtifactType, B: ArtifactType> IntoArtifactList<A> for ArtifactListOutput<B>
where
    A: AcceptsArtifact<B>,
{
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        same_pipeline(self.frame, "task output", self.name)
            .then(|| Binding::task_output_artifact(self.task, self.name))
    }
}
