//! If/Elif/Else chains (kfp's `dsl.If`, `dsl.Elif`, `dsl.Else`) and the
//! value of whichever branch ran (kfp's `dsl.OneOf`).
//!
//! ```
//! use kfp_dsl::prelude::*;
//!
//! #[component]
//! fn flip_coin() -> String {
//!     "heads".to_owned()
//! }
//!
//! #[component]
//! fn announce(text: String) -> String {
//!     text
//! }
//!
//! #[pipeline(name = "flip-coin")]
//! fn flip() -> String {
//!     let side = flip_coin().output();
//!     // Like Rust's `if`/`else`, the chain is an expression: the value of
//!     // the branch that ran.
//!     let said = If::new(side.eq("heads"))
//!         .then(|| announce("Got heads!").output())
//!         .else_if(side.eq("tails"), || announce("Got tails!").output())
//!         .otherwise(|| announce("On its edge!").output());
//!     announce(said);
//!     said
//! }
//!
//! fn main() {
//!     let (_, yaml) = kfp_dsl::compile_to_string(flip::ENTRY, false).unwrap();
//!     assert!(yaml.contains("comp-condition-branches-1:"));
//!     assert!(yaml.contains("valueFromOneof:"));
//! }
//! ```

use std::marker::PhantomData;

use kfp_compiler::graph::{self, Binding, GroupId, OneOfId, OutputSource, TaskId};

use super::{Close, If};
use crate::artifact::ArtifactType;
use crate::executor::Output;
use crate::handle::{AcceptsArtifact, ArtifactOutput, IntoArtifact, IntoParam, ParamOutput};
use crate::outputs::{IntoPipelineOutput, PipelineReturn, PublishedOutput, SINGLE_OUTPUT};
use crate::param::Parameter;
use crate::recorder::{current_frame_id, report, with_current};

/// What the branches of a chain may give: nothing (`()`), a task output
/// ([`ParamOutput`], [`ArtifactOutput`]), or a tuple of task outputs. After
/// the `Else`, each output becomes a [`OneOf`]: the value of the branch
/// that ran.
#[diagnostic::on_unimplemented(
    message = "the branches of an If/Elif/Else chain cannot give `{Self}`",
    note = "a branch gives `()`, a task output (`ParamOutput<T>`, `ArtifactOutput<A>`) or a \
            tuple of task outputs; after `otherwise`, each is the value of the branch that ran"
)]
pub trait BranchValue {
    /// What the chain gives once complete: a [`OneOf`] for each output.
    type OneOf;
    #[doc(hidden)]
    fn __outputs(&self, outputs: &mut Vec<(u64, TaskId, &'static str)>);
    #[doc(hidden)]
    fn __one_of(ids: &mut dyn Iterator<Item = Option<(u64, OneOfId)>>) -> Self::OneOf;
}

impl BranchValue for () {
    type OneOf = ();
    fn __outputs(&self, _: &mut Vec<(u64, TaskId, &'static str)>) {}
    fn __one_of(_: &mut dyn Iterator<Item = Option<(u64, OneOfId)>>) -> Self::OneOf {}
}

impl<T> BranchValue for ParamOutput<T> {
    type OneOf = OneOf<ParamOutput<T>>;
    fn __outputs(&self, outputs: &mut Vec<(u64, TaskId, &'static str)>) {
        outputs.push((self.frame(), self.task(), self.name()));
    }
    fn __one_of(ids: &mut dyn Iterator<Item = Option<(u64, OneOfId)>>) -> Self::OneOf {
        OneOf::new(ids.next().flatten())
    }
}

impl<A> BranchValue for ArtifactOutput<A> {
    type OneOf = OneOf<ArtifactOutput<A>>;
    fn __outputs(&self, outputs: &mut Vec<(u64, TaskId, &'static str)>) {
        outputs.push((self.frame(), self.task(), self.name()));
    }
    fn __one_of(ids: &mut dyn Iterator<Item = Option<(u64, OneOfId)>>) -> Self::OneOf {
        OneOf::new(ids.next().flatten())
    }
}

macro_rules! tuple_branch_value {
    ($($v:ident),+) => {
        impl<$($v: BranchValue),+> BranchValue for ($($v,)+) {
            type OneOf = ($($v::OneOf,)+);
            #[allow(non_snake_case)]
            fn __outputs(&self, outputs: &mut Vec<(u64, TaskId, &'static str)>) {
                let ($($v,)+) = self;
                $($v.__outputs(outputs);)+
            }
            fn __one_of(ids: &mut dyn Iterator<Item = Option<(u64, OneOfId)>>) -> Self::OneOf {
                ($($v::__one_of(ids),)+)
            }
        }
    };
}
tuple_branch_value!(A);
tuple_branch_value!(A, B);
tuple_branch_value!(A, B, C);
tuple_branch_value!(A, B, C, D);

/// The value of whichever branch of an If/Elif/Else chain ran (kfp's
/// `dsl.OneOf`): `OneOf<ParamOutput<T>>` is passed where a `T` is
/// expected, `OneOf<ArtifactOutput<A>>` where an `A` artifact is, and
/// either can be a pipeline's output. Read after the chain, where it runs.
pub struct OneOf<H> {
    /// The frame and the recorded OneOf; `None` when the chain was
    /// reported as wrongly wired.
    id: Option<(u64, OneOfId)>,
    _handle: PhantomData<fn() -> H>,
}

impl<H> OneOf<H> {
    fn new(id: Option<(u64, OneOfId)>) -> Self {
        Self {
            id,
            _handle: PhantomData,
        }
    }

    /// Its binding, if it belongs to the pipeline being defined.
    fn binding(self) -> Option<Binding> {
        let (frame, id) = self.id?;
        if frame != current_frame_id() {
            report(
                "a OneOf belongs to another pipeline; pass values into a sub-pipeline through \
                 its inputs"
                    .to_owned(),
            );
            return None;
        }
        Some(Binding::OneOf(id))
    }

    fn published(self) -> Option<PublishedOutput> {
        self.id
            .map(|(_, id)| PublishedOutput(OutputSource::OneOf(id)))
    }
}

impl<H: BranchValue<OneOf = OneOf<H>>> OneOf<H> {
    /// The value of whichever of some branches of a complete If/Elif/Else
    /// chain ran (kfp's `dsl.OneOf(a, b)`): `outputs` are outputs of tasks
    /// directly in branches of one chain, any of them (kfp 2.17 allows
    /// some branches only). Each OneOf of a chain takes the next number,
    /// the chain's own value included, read or not, as in kfp.
    ///
    /// ```
    /// use kfp_dsl::prelude::*;
    ///
    /// #[component]
    /// fn say(text: String) -> String {
    ///     text
    /// }
    ///
    /// #[pipeline]
    /// fn pick() -> String {
    ///     let side = say("heads").output();
    ///     let (mut heads, mut edge) = (None, None);
    ///     If::new(side.eq("heads"))
    ///         .then(|| *heads.insert(say("heads").output()))
    ///         .else_if(side.eq("tails"), || say("tails").output())
    ///         .otherwise(|| *edge.insert(say("edge").output()));
    ///     OneOf::of(heads.into_iter().chain(edge))
    /// }
    /// # fn main() {
    /// #     let (_, yaml) = kfp_dsl::compile_to_string(pick::ENTRY, false).unwrap();
    /// #     assert!(yaml.contains("pipelinechannel--condition-branches-1-oneof-2"));
    /// # }
    /// ```
    ///
    /// # Panics
    ///
    /// Outside a `#[pipeline]` function.
    pub fn of(outputs: impl IntoIterator<Item = H>) -> Self {
        let mut given = Vec::new();
        for output in outputs {
            output.__outputs(&mut given);
        }
        let id = with_current(|frame| {
            let mut recorded = Vec::with_capacity(given.len());
            for (handle_frame, task, name) in given {
                if handle_frame != frame.id {
                    frame.errors.push(format!(
                        "a OneOf takes the task output `{name}` of another pipeline"
                    ));
                    return None;
                }
                recorded.push((task, name.to_owned()));
            }
            // The chain is the group of the first task's branch, as in kfp.
            let pipeline = &frame.pipeline;
            let chain = recorded
                .first()
                .and_then(|(task, _)| pipeline.get_task(*task)?.group)
                .and_then(|branch| pipeline.get_group(branch)?.parent)
                .filter(|chain| {
                    pipeline.get_group(*chain).map(|g| &g.kind)
                        == Some(&graph::GroupKind::ConditionBranches)
                });
            let Some(branches) = chain else {
                frame.errors.push(
                    "`OneOf::of` takes outputs of tasks directly in the branches of an \
                     If/Elif/Else chain"
                        .to_owned(),
                );
                return None;
            };
            let id = frame.pipeline.add_one_of(graph::OneOf {
                branches,
                outputs: recorded,
            });
            Some((frame.id, id))
        });
        Self::new(id)
    }
}

impl<H> Clone for OneOf<H> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<H> Copy for OneOf<H> {}

impl<H> std::fmt::Debug for OneOf<H> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OneOf")
            .field("id", &self.id.map(|(_, id)| id))
            .finish()
    }
}

impl<T> IntoParam<T> for OneOf<ParamOutput<T>> {
    fn into_binding(self) -> Option<Binding> {
        self.binding()
    }
}

impl<T> IntoParam<Option<T>> for OneOf<ParamOutput<T>> {
    fn into_binding(self) -> Option<Binding> {
        self.binding()
    }
}

impl<A: ArtifactType, B: ArtifactType> IntoArtifact<A> for OneOf<ArtifactOutput<B>>
where
    A: AcceptsArtifact<B>,
{
    fn into_binding(self) -> Option<Binding> {
        self.binding()
    }
}

impl<T: Parameter> IntoPipelineOutput<T> for OneOf<ParamOutput<T>> {
    fn into_output_ref(self) -> Option<PublishedOutput> {
        self.published()
    }
}

impl<A: ArtifactType> IntoPipelineOutput<Output<A>> for OneOf<ArtifactOutput<A>> {
    fn into_output_ref(self) -> Option<PublishedOutput> {
        self.published()
    }
}

impl<T: Parameter> PipelineReturn<T> for OneOf<ParamOutput<T>> {
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        self.published()
            .map(|o| (SINGLE_OUTPUT, o))
            .into_iter()
            .collect()
    }
}

impl<A: ArtifactType> PipelineReturn<Output<A>> for OneOf<ArtifactOutput<A>> {
    fn outputs(self) -> Vec<(&'static str, PublishedOutput)> {
        self.published()
            .map(|o| (SINGLE_OUTPUT, o))
            .into_iter()
            .collect()
    }
}

/// An If/Elif/Else chain being recorded, made by [`If::then`]: add
/// branches with [`else_if`](Self::else_if) and end it with
/// [`otherwise`](Self::otherwise). A chain left without `otherwise` is an
/// If/Elif with no `Else` (and gives no value).
#[derive(Debug)]
pub struct Branches<R> {
    /// The frame, the group the chain is in, and its first branch; `None`
    /// when the first comparison was reported as wrongly wired.
    chain: Option<Chain>,
    /// What each branch gave, in order.
    values: Vec<R>,
}

#[derive(Clone, Copy, Debug)]
struct Chain {
    frame: u64,
    parent: Option<GroupId>,
    first: GroupId,
    /// The `condition-branches` group, once a second branch is added.
    wrapper: Option<GroupId>,
}

impl If {
    /// Starts an If/Elif/Else chain with this condition as its first
    /// branch (kfp's `with dsl.If(...)` followed by `dsl.Elif`/`dsl.Else`):
    /// `body` runs once, now, and its tasks run only when the comparison
    /// holds.
    ///
    /// # Panics
    ///
    /// Outside a `#[pipeline]` function.
    pub fn then<R: BranchValue>(self, body: impl FnOnce() -> R) -> Branches<R> {
        let Some(condition) = self.comparison.condition else {
            // Reported already; record the body so its mistakes are too.
            return Branches {
                chain: None,
                values: vec![body()],
            };
        };
        let chain = with_current(|frame| {
            let parent = frame.groups.last().copied();
            let mut group = graph::Group::condition(parent, condition);
            group.display_name = self.display_name;
            let first = frame.pipeline.add_group(group);
            frame.groups.push(first);
            Chain {
                frame: frame.id,
                parent,
                first,
                wrapper: None,
            }
        });
        let close = Close;
        let value = body();
        drop(close);
        Branches {
            chain: Some(chain),
            values: vec![value],
        }
    }
}

impl<R: BranchValue> Branches<R> {
    /// Adds a branch (kfp's `dsl.Elif`): `body` runs once, now, and its
    /// tasks run only when `condition` holds and no earlier branch's did.
    /// `condition` is a comparison, or an [`If`] to give it a display name.
    ///
    /// # Panics
    ///
    /// Outside a `#[pipeline]` function.
    pub fn else_if(mut self, condition: impl Into<If>, body: impl FnOnce() -> R) -> Self {
        let branch: If = condition.into();
        let wrapper = self.wrapper();
        let value = match (wrapper, branch.comparison.condition) {
            (Some(wrapper), Some(condition)) => {
                let mut group = graph::Group::condition(Some(wrapper), condition);
                group.display_name = branch.display_name;
                record_branch(group, body)
            }
            _ => body(),
        };
        self.values.push(value);
        self
    }

    /// Ends the chain with its last branch (kfp's `dsl.Else`): `body` runs
    /// once, now, and its tasks run only when no earlier branch's
    /// comparison holds. Returns the value of the branch that ran: a
    /// [`OneOf`] for each task output the branches give.
    ///
    /// # Panics
    ///
    /// Outside a `#[pipeline]` function.
    pub fn otherwise(mut self, body: impl FnOnce() -> R) -> R::OneOf {
        let wrapper = self.wrapper();
        let value = match wrapper {
            Some(wrapper) => record_branch(graph::Group::else_branch(wrapper), body),
            None => body(),
        };
        self.values.push(value);
        let ids = match wrapper {
            Some(wrapper) => self.one_ofs(wrapper),
            None => Vec::new(),
        };
        R::__one_of(&mut ids.into_iter())
    }

    /// The `condition-branches` group, made when the second branch is
    /// added: kfp wraps the first branch once a second follows it. `None`
    /// when the chain is broken or used in another pipeline (reported).
    fn wrapper(&mut self) -> Option<GroupId> {
        let chain = self.chain.as_mut()?;
        if let Some(wrapper) = chain.wrapper {
            return Some(wrapper);
        }
        let made = with_current(|frame| {
            if frame.id != chain.frame {
                frame
                    .errors
                    .push("an If/Elif/Else chain was continued in another pipeline".to_owned());
                return None;
            }
            let wrapper = frame
                .pipeline
                .add_group(graph::Group::condition_branches(chain.parent));
            frame.pipeline.groups[chain.first.0].parent = Some(wrapper);
            Some(wrapper)
        });
        chain.wrapper = made;
        made
    }

    /// Records one OneOf per output the branches give, from the outputs of
    /// each branch in order.
    fn one_ofs(&self, wrapper: GroupId) -> Vec<Option<(u64, OneOfId)>> {
        let per_branch: Vec<Vec<(u64, TaskId, &'static str)>> = self
            .values
            .iter()
            .map(|v| {
                let mut outputs = Vec::new();
                v.__outputs(&mut outputs);
                outputs
            })
            .collect();
        let count = per_branch.first().map_or(0, Vec::len);
        with_current(|frame| {
            (0..count)
                .map(|k| {
                    let mut outputs = Vec::with_capacity(per_branch.len());
                    for branch in &per_branch {
                        let (handle_frame, task, name) = branch[k];
                        if handle_frame != frame.id {
                            frame.errors.push(format!(
                                "a branch gives the task output `{name}` of another pipeline"
                            ));
                            return None;
                        }
                        outputs.push((task, name.to_owned()));
                    }
                    let id = frame.pipeline.add_one_of(graph::OneOf {
                        branches: wrapper,
                        outputs,
                    });
                    Some((frame.id, id))
                })
                .collect()
        })
    }
}

/// Opens branch `group`, runs `body` in it and closes it.
fn record_branch<R>(group: graph::Group, body: impl FnOnce() -> R) -> R {
    with_current(|frame| {
        let id = frame.pipeline.add_group(group);
        frame.groups.push(id);
    });
    let close = Close;
    let value = body();
    drop(close);
    value
}

impl From<super::Comparison> for If {
    fn from(comparison: super::Comparison) -> Self {
        If::new(comparison)
    }
}
