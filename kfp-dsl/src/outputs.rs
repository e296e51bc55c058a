//! Return values: how what a component returns becomes its outputs (the
//! single output named `Output`, as in kfp, or one per field of a
//! `#[derive(Outputs)]` struct; parameters, or artifacts the function made
//! itself), and how the handles a pipeline returns become its outputs.

use kfp_compiler::graph::{Component, OutputArtifact, OutputParameter, OutputSource, TaskId};
use serde_json::Value;

use crate::artifact::{ArtifactType, artifact_type_of};
use crate::control::{Collected, CollectedArtifacts};
use crate::executor::{ExecutorError, Output, OutputValue};
use crate::handle::{ArtifactListOutput, ArtifactOutput, ParamOutput};
use crate::param::Parameter;
use crate::recorder::TaskHandle;

/// One output a component's return value declares.
#[derive(Clone, Debug, PartialEq)]
pub enum OutputSpec {
    /// An output parameter.
    Parameter(OutputParameter),
    /// An output artifact (kfp's `-> Model`, or a `Model` field of a
    /// `NamedTuple`).
    Artifact(OutputArtifact),
}

impl OutputSpec {
    /// The output's name.
    pub fn name(&self) -> &str {
        match self {
            OutputSpec::Parameter(p) => &p.name,
            OutputSpec::Artifact(a) => &a.name,
        }
    }

    /// The output's description.
    pub fn description(&self) -> Option<&str> {
        match self {
            OutputSpec::Parameter(p) => p.description.as_deref(),
            OutputSpec::Artifact(a) => a.description.as_deref(),
        }
    }
}

/// A type a component function may return.
///
/// `()` declares no output; a parameter type, or `Output<A>` (an artifact
/// the function made with [`Output::at`]), declares the single output
/// named `Output`; a `#[derive(Outputs)]` struct one output per field.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a KFP component",
    note = "a component returns `()`, a parameter type or an `Output<A>` it made with \
            `Output::at` (the output named `Output`), a `#[derive(Outputs)]` struct of \
            parameters and `Output<A>`s, or a `Result` of those"
)]
pub trait ComponentReturn {
    /// The typed handles to the outputs, in a pipeline.
    type Handles: Copy;
    /// The outputs declared.
    fn specs() -> Vec<OutputSpec>;
    /// The handles to the outputs of `task`.
    fn handles(task: TaskHandle) -> Self::Handles;
    /// The output values, by output name.
    fn into_values(self) -> Vec<(&'static str, OutputValue)>;
}

/// What the component's function returns, turned into output values.
pub trait ComponentResult {
    /// The output values, or the function's error.
    fn into_outputs(self) -> Result<Vec<(&'static str, OutputValue)>, ExecutorError>;
}

impl<T: ComponentReturn, E: std::fmt::Display> ComponentResult for Result<T, E> {
    fn into_outputs(self) -> Result<Vec<(&'static str, OutputValue)>, ExecutorError> {
        match self {
            Ok(v) => Ok(v.into_values()),
            // `{:#}` shows an `anyhow` error with its chain of causes.
            Err(e) => Err(ExecutorError::Failed(format!("{e:#}"))),
        }
    }
}

/// Declares the outputs of a component's return value on `component`;
/// `output_description` (the macro's) describes the single output
/// `Output`.
#[doc(hidden)]
pub fn declare_return(
    component: &mut Component,
    specs: Vec<OutputSpec>,
    output_description: Option<&str>,
) {
    for spec in specs {
        let description = output_description
            .filter(|_| spec.name() == SINGLE_OUTPUT)
            .map(str::to_owned);
        match spec {
            OutputSpec::Parameter(mut p) => {
                p.description = description.or(p.description);
                component.outputs.push(p);
            }
            OutputSpec::Artifact(mut a) => {
                a.description = description.or(a.description);
                component.output_artifacts.push(a);
            }
        }
    }
}

/// The declaration of the output artifact `name` of type `A` (one artifact,
/// not a list), for a return value.
#[doc(hidden)]
pub fn artifact_output_spec<A: ArtifactType>(
    name: &str,
    description: Option<String>,
) -> OutputSpec {
    OutputSpec::Artifact(OutputArtifact {
        name: name.to_owned(),
        artifact_type: artifact_type_of::<A>(),
        is_list: false,
        description,
    })
}

/// The value of an artifact the function returned.
#[doc(hidden)]
pub fn returned_artifact<A: ArtifactType>(artifact: &Output<A>) -> OutputValue {
    OutputValue::Artifact(artifact.written())
}

/// The name kfp gives a component's single return value.
pub const SINGLE_OUTPUT: &str = "Output";

impl ComponentReturn for () {
    type Handles = ();
    fn specs() -> Vec<OutputSpec> {
        Vec::new()
    }
    fn handles(_: TaskHandle) -> Self::Handles {}
    fn into_values(self) -> Vec<(&'static str, OutputValue)> {
        Vec::new()
    }
}

/// An artifact the function made ([`Output::at`]) and returns: the single
/// output artifact `Output` (kfp's `-> Model`).
impl<A: ArtifactType> ComponentReturn for Output<A> {
    type Handles = ArtifactOutput<A>;
    fn specs() -> Vec<OutputSpec> {
        vec![artifact_output_spec::<A>(SINGLE_OUTPUT, None)]
    }
    fn handles(task: TaskHandle) -> Self::Handles {
        ArtifactOutput::__new(task, SINGLE_OUTPUT)
    }
    fn into_values(self) -> Vec<(&'static str, OutputValue)> {
        vec![(SINGLE_OUTPUT, returned_artifact(&self))]
    }
}

/// Implements [`ComponentReturn`] for a parameter type: the single output
/// `Output`.
#[doc(hidden)]
#[macro_export]
macro_rules! __single_output {
    ([$($g:tt)*] $t:ty) => {
        impl<$($g)*> $crate::__private::ComponentReturn for $t {
            type Handles = $crate::ParamOutput<$t>;
            fn specs() -> ::std::vec::Vec<$crate::__private::OutputSpec> {
                ::std::vec![$crate::__private::OutputSpec::Parameter(
                    $crate::__private::graph::OutputParameter::new(
                        $crate::__private::SINGLE_OUTPUT,
                        <$t as $crate::Parameter>::KIND,
                    ),
                )]
            }
            fn handles(task: $crate::__private::TaskHandle) -> Self::Handles {
                $crate::ParamOutput::__new(task, $crate::__private::SINGLE_OUTPUT)
            }
            fn into_values(self) -> ::std::vec::Vec<(&'static str, $crate::__private::OutputValue)> {
                ::std::vec![(
                    $crate::__private::SINGLE_OUTPUT,
                    $crate::__private::OutputValue::Parameter($crate::Parameter::to_value(&self)),
                )]
            }
        }
    };
}

__single_output!([] String);
__single_output!([] bool);
__single_output!([] i8);
__single_output!([] i16);
__single_output!([] i32);
__single_output!([] i64);
__single_output!([] u8);
__single_output!([] u16);
__single_output!([] u32);
__single_output!([] u64);
__single_output!([] isize);
__single_output!([] usize);
__single_output!([] f32);
__single_output!([] f64);
__single_output!([T: serde::Serialize + serde::de::DeserializeOwned + 'static] Vec<T>);
__single_output!([V: serde::Serialize + serde::de::DeserializeOwned + 'static] std::collections::BTreeMap<String, V>);
__single_output!([] serde_json::Map<String, Value>);

/// What a pipeline function returns: the handles it publishes as pipeline
/// outputs, matching the declared return type `R`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned by a pipeline declared to return `{R}`",
    note = "a pipeline declared `-> T` returns a `ParamOutput<T>` of one of its tasks, \
            and one declared `-> Output<A>` an `ArtifactOutput<A>`"
)]
pub trait PipelineReturn<R> {
    /// The pipeline outputs: (output name, what it publishes).
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)>;
}

/// What a pipeline publishes as one of its outputs: a task output, or the
/// value of whichever branch of an If/Elif/Else chain ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublishedOutput(pub(crate) OutputSource);

impl PublishedOutput {
    /// The output `output` of `task`.
    fn task(task: TaskId, output: &str) -> Self {
        PublishedOutput(OutputSource::Task {
            task,
            output: output.to_owned(),
        })
    }
}

impl PipelineReturn<()> for () {
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        Vec::new()
    }
}

/// The single output `Output` published from `handle`.
fn single<F, H: IntoPipelineOutput<F>>(handle: H) -> Vec<(&'static str, PublishedOutput)> {
    handle
        .into_output_ref()
        .map(|o| (SINGLE_OUTPUT, o))
        .into_iter()
        .collect()
}

impl<T: Parameter + ComponentReturn> PipelineReturn<T> for ParamOutput<T> {
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        single::<T, _>(self)
    }
}

impl<T: Parameter + ComponentReturn> PipelineReturn<Vec<T>> for Collected<T>
where
    Vec<T>: ComponentReturn + Parameter,
{
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        single::<Vec<T>, _>(self)
    }
}

/// What two nested loops gathered: a list of lists, as kfp gathers it.
impl<T: Parameter + ComponentReturn> PipelineReturn<Vec<Vec<T>>> for Collected<T>
where
    Vec<Vec<T>>: ComponentReturn + Parameter,
{
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        single::<Vec<Vec<T>>, _>(self)
    }
}

impl<A: ArtifactType> PipelineReturn<Output<A>> for ArtifactOutput<A> {
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        single::<Output<A>, _>(self)
    }
}

impl<A: ArtifactType> PipelineReturn<Vec<Output<A>>> for CollectedArtifacts<A> {
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        single::<Vec<Output<A>>, _>(self)
    }
}

impl<A: ArtifactType> PipelineReturn<Vec<Output<A>>> for ArtifactListOutput<A> {
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        single::<Vec<Output<A>>, _>(self)
    }
}

/// The pipeline outputs of what a pipeline function returned.
#[doc(hidden)]
pub fn pipeline_outputs<R, P: PipelineReturn<R>>(returned: P) -> Vec<(String, OutputSource)> {
    returned
        .outputs()
        .into_iter()
        .map(|(name, published)| (name.to_owned(), published.0))
        .collect()
}

/// What a pipeline declares it returns, seen from a pipeline that uses it
/// as a task: the typed handles of its outputs. Everything a component may
/// return (`Output<A>`, an artifact output named `Output`, included), plus
/// `Vec<Output<A>>` and `#[derive(Outputs)]` structs with a
/// `Vec<Output<A>>` field.
pub trait PipelineOutputType {
    /// The typed handles to the outputs.
    type Handles: Copy;
    /// The handles to the outputs of `task`.
    fn handles(task: TaskHandle) -> Self::Handles;
    /// The descriptions of the outputs that have one (output name,
    /// description): the doc comments of a `#[derive(Outputs)]` struct's
    /// fields.
    fn descriptions() -> Vec<(String, String)> {
        Vec::new()
    }
}

impl<T: ComponentReturn> PipelineOutputType for T {
    type Handles = T::Handles;
    fn handles(task: TaskHandle) -> Self::Handles {
        T::handles(task)
    }
    fn descriptions() -> Vec<(String, String)> {
        T::specs()
            .iter()
            .filter_map(|o| Some((o.name().to_owned(), o.description()?.to_owned())))
            .collect()
    }
}

/// A pipeline declared `-> Vec<Output<A>>` publishes a list of artifacts
/// (the outputs of a task inside a loop, gathered); a task of it gives a
/// handle to that list.
impl<A: ArtifactType> PipelineOutputType for Vec<Output<A>> {
    type Handles = ArtifactListOutput<A>;
    fn handles(task: TaskHandle) -> Self::Handles {
        ArtifactListOutput::__new(task, SINGLE_OUTPUT)
    }
}

/// A handle that a pipeline may publish as an output declared of type `F`:
/// a field of a `#[derive(Outputs)]` struct the pipeline returns.
///
/// | declared `F`       | published from                                          |
/// |--------------------|---------------------------------------------------------|
/// | `T` (a parameter)  | [`ParamOutput<T>`], [`OneOf<ParamOutput<T>>`]           |
/// | `Vec<T>`           | also [`Collected<T>`]: `collected(..)` of a loop's task |
/// | `Output<A>`        | [`ArtifactOutput<A>`], [`OneOf<ArtifactOutput<A>>`]     |
/// | `Vec<Output<A>>`   | [`CollectedArtifacts<A>`] or [`ArtifactListOutput<A>`]  |
///
/// [`OneOf<ParamOutput<T>>`]: crate::OneOf
/// [`OneOf<ArtifactOutput<A>>`]: crate::OneOf
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be published as a pipeline output declared `{F}`",
    label = "this value is published as an output declared `{F}`",
    note = "an output declared `T` is published from a `ParamOutput<T>`, `Vec<T>` also from the \
            `collected(..)` values of a task in a loop, `Output<A>` from an `ArtifactOutput<A>`, \
            and `Vec<Output<A>>` from the `collected(..)` artifacts of a task in a loop"
)]
pub trait IntoPipelineOutput<F> {
    /// What is published; `None` when the handle was reported as wrongly
    /// wired.
    fn into_output_ref(self) -> Option<PublishedOutput>;
}

impl<T: Parameter> IntoPipelineOutput<T> for ParamOutput<T> {
    fn into_output_ref(self) -> Option<PublishedOutput> {
        Some(PublishedOutput::task(self.task(), self.name()))
    }
}

impl<T: Parameter> IntoPipelineOutput<Vec<T>> for Collected<T>
where
    Vec<T>: Parameter,
{
    fn into_output_ref(self) -> Option<PublishedOutput> {
        let published = self.output().into_output_ref()?;
        crate::control::gathered_from_loops(self.output(), 1).then_some(published)
    }
}

/// The output of a task inside two nested loops, published as the list of
/// lists kfp gathers.
impl<T: Parameter> IntoPipelineOutput<Vec<Vec<T>>> for Collected<T>
where
    Vec<Vec<T>>: Parameter,
{
    fn into_output_ref(self) -> Option<PublishedOutput> {
        let published = self.output().into_output_ref()?;
        crate::control::gathered_from_loops(self.output(), 2).then_some(published)
    }
}

impl<A: ArtifactType> IntoPipelineOutput<Output<A>> for ArtifactOutput<A> {
    fn into_output_ref(self) -> Option<PublishedOutput> {
        Some(PublishedOutput::task(self.task(), self.name()))
    }
}

impl<A: ArtifactType> IntoPipelineOutput<Vec<Output<A>>> for CollectedArtifacts<A> {
    fn into_output_ref(self) -> Option<PublishedOutput> {
        IntoPipelineOutput::<Output<A>>::into_output_ref(self.output())
    }
}

impl<A: ArtifactType> IntoPipelineOutput<Vec<Output<A>>> for ArtifactListOutput<A> {
    fn into_output_ref(self) -> Option<PublishedOutput> {
        Some(PublishedOutput::task(self.task(), self.name()))
    }
}
