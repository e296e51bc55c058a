//! Control flow: loops over lists (kfp's `dsl.ParallelFor`), conditions
//! (kfp's `dsl.If`) and If/Elif/Else chains with the value of the branch
//! that ran (`dsl.Elif`, `dsl.Else`, `dsl.OneOf`: see [`Branches`]), and
//! the gathering of outputs (kfp's `dsl.Collected`), and exit handlers
//! (kfp's `dsl.ExitHandler`, see [`ExitHandler`]).
//!
//! ```
//! use kfp_dsl::prelude::*;
//! use kfp_dsl::{collected, parallel_for};
//!
//! #[component]
//! fn double(num: i64) -> i64 {
//!     2 * num
//! }
//!
//! #[component]
//! fn add(nums: Vec<i64>) -> i64 {
//!     nums.iter().sum()
//! }
//!
//! #[pipeline(name = "math-pipeline")]
//! fn math_pipeline() -> Vec<i64> {
//!     let doubled = parallel_for(vec![1, 2, 3], |num| double(num).output());
//!     add(collected(doubled));
//!     collected(doubled)
//! }
//!
//! fn main() {
//!     let (name, yaml) = kfp_dsl::compile_to_string(math_pipeline::ENTRY, false).unwrap();
//!     assert_eq!(name, "math-pipeline");
//!     // kfp numbers groups with one counter; a static list takes an id too.
//!     assert!(yaml.contains("comp-for-loop-2:"));
//!     assert!(yaml.contains("parameterIterator:"));
//! }
//! ```

mod artifacts;
mod branches;
mod exit;

use std::marker::PhantomData;

use kfp_compiler::graph::{self, Binding, GroupId, LoopItemKind, LoopItems};

use crate::artifact::ArtifactType;
use crate::handle::{
    AcceptsArtifact, ArtifactOutput, IntoArtifact, IntoArtifactList, IntoParam, ParamOutput,
    PipelineParam, same_pipeline,
};
use crate::param::{Parameter, StructParameter, Untyped};
use crate::recorder::{current_frame_id, report, with_current};

pub use branches::{BranchValue, Branches, OneOf};
pub use exit::{ExitHandler, PipelineTaskFinalStatus, exit_handler};

/// What a loop can iterate over: a list of `T` values fixed when the
/// pipeline is compiled (`Vec<T>`, `[T; N]`, `&[T]`), a pipeline input
/// `PipelineParam<Vec<T>>`, a task's output `ParamOutput<Vec<T>>` (the
/// loop then runs after that task, as kfp's `dsl.ParallelFor(task.output)`),
/// or a `Vec<T>` field of an enclosing loop's item, `item.field("xs")`
/// (kfp's `dsl.ParallelFor(item.xs)`); or a task's list of artifacts of
/// type `A`, `ArtifactListOutput<A>`, whose items are `Input<A>` (kfp's
/// `dsl.ParallelFor(task.output)` over a `List[Artifact]`, an
/// `artifactIterator`: see [`LoopItem`]'s conversions).
///
/// ```
/// use kfp_dsl::prelude::*;
///
/// #[component]
/// fn shards() -> Vec<String> {
///     vec!["a".into(), "b".into()]
/// }
///
/// #[component]
/// fn process(shard: String) {
///     println!("{shard}");
/// }
///
/// #[pipeline]
/// fn fan_out() {
///     parallel_for(shards().output(), |shard| process(shard));
/// }
///
/// fn main() {
///     let (_, yaml) = kfp_dsl::compile_to_string(fan_out::ENTRY, false).unwrap();
///     assert!(yaml.contains("inputParameter: pipelinechannel--shards-Output"));
///     assert!(yaml.contains("itemInput: pipelinechannel--shards-Output-loop-item"));
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "a loop cannot iterate over `{Self}`",
    note = "`parallel_for` takes a list of values (`Vec<T>`, `[T; N]`, `&[T]`), a \
            `Vec<T>` pipeline input, a `Vec<T>` task output, a `Vec<T>` field of an \
            enclosing loop's item or a task's list of artifacts"
)]
pub trait IntoLoopItems<T> {
    /// The items, as the graph holds them.
    fn into_items(self) -> LoopItems;
}

impl<T: Parameter> IntoLoopItems<T> for Vec<T> {
    fn into_items(self) -> LoopItems {
        LoopItems::Raw(self.iter().map(Parameter::to_value).collect())
    }
}

impl<T: Parameter, const N: usize> IntoLoopItems<T> for [T; N] {
    fn into_items(self) -> LoopItems {
        LoopItems::Raw(self.iter().map(Parameter::to_value).collect())
    }
}

impl<T: Parameter> IntoLoopItems<T> for &[T] {
    fn into_items(self) -> LoopItems {
        LoopItems::Raw(self.iter().map(Parameter::to_value).collect())
    }
}

impl<const N: usize> IntoLoopItems<String> for [&str; N] {
    fn into_items(self) -> LoopItems {
        LoopItems::Raw(self.iter().map(|s| (*s).into()).collect())
    }
}

impl IntoLoopItems<String> for Vec<&str> {
    fn into_items(self) -> LoopItems {
        LoopItems::Raw(self.into_iter().map(Into::into).collect())
    }
}

impl<T> IntoLoopItems<T> for PipelineParam<Vec<T>> {
    fn into_items(self) -> LoopItems {
        LoopItems::PipelineParameter(self.name().to_owned())
    }
}

impl<T> IntoLoopItems<T> for ParamOutput<Vec<T>> {
    fn into_items(self) -> LoopItems {
        // A handle of another pipeline is reported here; the recording
        // then fails, so the items it names are never compiled.
        same_pipeline(self.frame(), "task output", self.name());
        LoopItems::TaskOutput {
            task: self.task(),
            output: self.name().to_owned(),
        }
    }
}

/// A list field of the item of an enclosing loop (kfp's
/// `dsl.ParallelFor(item.field)`): the inner loop reads the item and KFP
/// selects the field when it runs.
impl<T> IntoLoopItems<T> for LoopItemField<Vec<T>> {
    fn into_items(self) -> LoopItems {
        // A stray item is reported; the recording then fails, so the items
        // it names are never compiled.
        self.item.in_current_pipeline();
        LoopItems::LoopItemField {
            group: self.item.group,
            field: self.field,
        }
    }
}

/// What the items of a loop are: a parameter value `T` (`T: Parameter`), or
/// one artifact of type `A` of a list of artifacts, `Input<A>` (see
/// [`IntoLoopItems`]).
#[diagnostic::on_unimplemented(
    message = "a loop cannot have items of type `{Self}`",
    note = "the items of a loop are parameter values, or the artifacts (`Input<A>`) of a \
            task's list-of-artifacts output"
)]
pub trait LoopItemType {
    /// What one item is, as the graph holds it.
    const ITEM_KIND: LoopItemKind;
}

impl<T: Parameter> LoopItemType for T {
    const ITEM_KIND: LoopItemKind = LoopItemKind::Parameter(T::KIND);
}

/// The current item of a loop, inside its body: passed to inputs of type
/// `T` like any other value (an artifact item, `LoopItem<Input<A>>`, to
/// artifact inputs that accept an `A`).
pub struct LoopItem<T> {
    frame: u64,
    group: GroupId,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for LoopItem<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for LoopItem<T> {}

impl<T> std::fmt::Debug for LoopItem<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopItem")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl<T> LoopItem<T> {
    /// Whether the item belongs to the pipeline being recorded; if not, the
    /// mistake is reported.
    #[track_caller]
    fn in_current_pipeline(&self) -> bool {
        let here = self.frame == current_frame_id();
        if !here {
            report("a loop item was used in another pipeline".to_owned());
        }
        here
    }

    /// The item as the value of a task setting (a resource, a Kubernetes
    /// object's name).
    #[track_caller]
    pub(crate) fn config_value(self) -> graph::ConfigValue {
        graph::ConfigValue::LoopItem(self.group())
    }

    /// The item's loop, for a setting that reads the item.
    #[track_caller]
    pub(crate) fn group(self) -> GroupId {
        // A stray item is reported; the value is never compiled then.
        self.in_current_pipeline();
        self.group
    }

    /// Field `name` of the item, as a value of type `U` (kfp's `item.name`
    /// on a loop over dicts). The task reads the whole item and KFP selects
    /// the field when it runs (`parameterExpressionSelector`), so the
    /// field's name and type are not checked here: a missing field or one
    /// of another type fails the task. A field can be given to inputs,
    /// compared in a [`condition`] (`item.field::<String>("a").eq("x")`),
    /// and, a `Vec<U>` field, looped over by an inner [`parallel_for`]
    /// (kfp's `dsl.ParallelFor(item.a)`).
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use kfp_dsl::prelude::*;
    ///
    /// #[component]
    /// fn train(learning_rate: String) {}
    ///
    /// #[pipeline]
    /// fn sweep(settings: Vec<BTreeMap<String, String>>) {
    ///     parallel_for(settings, |setting| {
    ///         train(setting.field("lr"));
    ///     });
    /// }
    ///
    /// fn main() {
    ///     let (_, yaml) = kfp_dsl::compile_to_string(sweep::ENTRY, false).unwrap();
    ///     assert!(yaml.contains(r#"parameterExpressionSelector: parseJson(string_value)["lr"]"#));
    /// }
    /// ```
    pub fn field<U>(self, name: impl Into<String>) -> LoopItemField<U>
    where
        T: StructParameter,
    {
        LoopItemField {
            item: LoopItem {
                frame: self.frame,
                group: self.group,
                _type: PhantomData,
            },
            field: name.into(),
            _type: PhantomData,
        }
    }
}

/// Writes a token that stands for the item in a string given to a `String`
/// input, as a kfp f-string does (see [`ParamOutput`]'s `Display`).
impl<T> std::fmt::Display for LoopItem<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        crate::fstring::write_token(f, self.frame, crate::fstring::Channel::LoopItem(self.group))
    }
}

impl<T> IntoParam<T> for LoopItem<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        self.in_current_pipeline()
            .then_some(Binding::LoopItem(self.group))
    }
}

/// A field of the current item of a loop over objects, passed to inputs of
/// type `T`; made by [`LoopItem::field`].
pub struct LoopItemField<T> {
    item: LoopItem<()>,
    field: String,
    _type: PhantomData<fn() -> T>,
}

impl<T> Clone for LoopItemField<T> {
    fn clone(&self) -> Self {
        Self {
            item: self.item,
            field: self.field.clone(),
            _type: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for LoopItemField<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoopItemField")
            .field("group", &self.item.group)
            .field("field", &self.field)
            .finish_non_exhaustive()
    }
}

impl<T> IntoParam<T> for LoopItemField<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        self.item
            .in_current_pipeline()
            .then(|| Binding::LoopItemField {
                group: self.item.group,
                field: self.field.into(),
            })
    }
}

impl<T> IntoParam<Option<T>> for LoopItemField<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<T>>::into_binding(self)
    }
}

impl<T> IntoParam<Option<T>> for LoopItem<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<T>>::into_binding(self)
    }
}

/// The item of a list of unknown element type is a `STRING` to kfp: it
/// goes to `String` inputs as it is.
impl IntoParam<String> for LoopItem<Untyped> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<Untyped>>::into_binding(self)
    }
}

impl IntoParam<Option<String>> for LoopItem<Untyped> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        <Self as IntoParam<Untyped>>::into_binding(self)
    }
}

/// A loop being set up (kfp's `dsl.ParallelFor`); [`run`](Self::run) records
/// its body. [`parallel_for`] is the short form.
#[derive(Debug)]
#[must_use = "a loop records nothing until `run` is called"]
pub struct ParallelFor<T> {
    items: LoopItems,
    parallelism: Option<u32>,
    display_name: Option<String>,
    _type: PhantomData<fn() -> T>,
}

impl<T: LoopItemType> ParallelFor<T> {
    /// A loop over `items`.
    pub fn new(items: impl IntoLoopItems<T>) -> Self {
        Self {
            items: items.into_items(),
            parallelism: None,
            display_name: None,
            _type: PhantomData,
        }
    }

    /// Runs at most `limit` iterations at once.
    pub fn parallelism(mut self, limit: u32) -> Self {
        self.parallelism = Some(limit);
        self
    }

    /// The name shown for the loop (kfp's `name=`).
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Records the loop: `body` runs once, now, with a handle to the item,
    /// and every task it adds runs once per item. Returns what `body`
    /// returns (read task outputs after the loop with [`collected`]).
    ///
    /// # Panics
    ///
    /// Outside a `#[pipeline]` function.
    pub fn run<R>(self, body: impl FnOnce(LoopItem<T>) -> R) -> R {
        let item_kind = T::ITEM_KIND;
        let (frame, group) = with_current(|frame| {
            let mut group = graph::Group::parallel_for(
                frame.groups.last().copied(),
                graph::ParallelFor {
                    items: self.items,
                    item_kind,
                    parallelism: self.parallelism,
                },
            );
            group.display_name = self.display_name;
            let id = frame.pipeline.add_group(group);
            frame.groups.push(id);
            (frame.id, id)
        });
        let close = Close;
        let result = body(LoopItem {
            frame,
            group,
            _type: PhantomData,
        });
        drop(close);
        result
    }
}

/// Records a loop over `items` (kfp's `with dsl.ParallelFor(items) as
/// item:`): see [`ParallelFor::run`].
pub fn parallel_for<T: LoopItemType, R>(
    items: impl IntoLoopItems<T>,
    body: impl FnOnce(LoopItem<T>) -> R,
) -> R {
    ParallelFor::new(items).run(body)
}

/// The values of an output parameter of type `T` of a task inside a loop,
/// gathered after the loop: passed to `Vec<T>` inputs.
pub struct Collected<T> {
    output: ParamOutput<T>,
}

/// The artifacts of an output of type `A` of a task inside a loop, gathered
/// after the loop: passed to `Vec<Input<A>>` inputs.
pub struct CollectedArtifacts<A> {
    output: ArtifactOutput<A>,
}

macro_rules! copy_collected {
    ($($c:ident),*) => {$(
        impl<T> Clone for $c<T> {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl<T> Copy for $c<T> {}
        impl<T> std::fmt::Debug for $c<T> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($c)).field("output", &self.output).finish()
            }
        }
    )*};
}
copy_collected!(Collected, CollectedArtifacts);

impl<T> Collected<T> {
    /// The task output gathered.
    pub fn output(&self) -> ParamOutput<T> {
        self.output
    }
}

impl<A> CollectedArtifacts<A> {
    /// The task output gathered.
    pub fn output(&self) -> ArtifactOutput<A> {
        self.output
    }
}

/// A task output that can be gathered after a loop.
pub trait Collect {
    /// The gathered handle.
    type Collected;
    /// Gathers it.
    fn collect(self) -> Self::Collected;
}

impl<T> Collect for ParamOutput<T> {
    type Collected = Collected<T>;
    fn collect(self) -> Collected<T> {
        Collected { output: self }
    }
}

impl<A> Collect for ArtifactOutput<A> {
    type Collected = CollectedArtifacts<A>;
    fn collect(self) -> CollectedArtifacts<A> {
        CollectedArtifacts { output: self }
    }
}

/// Gathers the values of an output of a task inside a loop, to use after
/// the loop (kfp's `dsl.Collected`): a parameter `T` becomes a `Vec<T>`
/// input's value (`Vec<Vec<T>>` when the task is inside two nested loops,
/// as kfp gathers it), an artifact `A` a `Vec<Input<A>>` input's artifacts.
pub fn collected<H: Collect>(output: H) -> H::Collected {
    output.collect()
}

/// The binding of a gathered output, from the binding of the output itself
/// (which checks that it belongs to the pipeline being defined).
fn collected_binding(output: Option<Binding>) -> Option<Binding> {
    match output? {
        Binding::TaskOutputParameter { task, output }
        | Binding::TaskOutputArtifact { task, output } => Some(Binding::Collected { task, output }),
        other => Some(other),
    }
}

/// How many loops a gathered output of `task` comes out of, seen from the
/// scope being recorded: the loops that hold the task but not that scope.
fn loops_gathered(task: graph::TaskId) -> usize {
    with_current(|frame| {
        let groups = &frame.pipeline.groups;
        let mut depth = 0;
        let mut group = frame.pipeline.tasks.get(task.0).and_then(|t| t.group);
        while let Some(id) = group.filter(|id| !frame.groups.contains(id)) {
            let Some(g) = groups.get(id.0) else { break };
            if matches!(g.kind, graph::GroupKind::ParallelFor(_)) {
                depth += 1;
            }
            group = g.parent;
        }
        depth
    })
}

/// Checks that `output`, gathered where it is used, comes out of `levels`
/// loops: kfp gathers the output of a task inside two nested loops as a
/// list of lists, so it goes to a `Vec<Vec<T>>`, not a `Vec<T>`. Returns
/// whether it does (an output in no loop is left to the compiler, which
/// names the task).
pub(crate) fn gathered_from_loops<T>(output: ParamOutput<T>, levels: usize) -> bool {
    let depth = loops_gathered(output.task());
    if depth == 0 || depth == levels {
        return true;
    }
    let nested = |n: usize| format!("{}T{}", "Vec<".repeat(n), ">".repeat(n));
    let loops = match depth {
        1 => "one loop".to_owned(),
        n => format!("{n} nested loops"),
    };
    report(format!(
        "`collected` output `{}` is gathered out of {loops}, so kfp passes it as a `{}`; it \
         cannot go where a `{}` is expected",
        output.name(),
        nested(depth),
        nested(levels),
    ));
    false
}

/// The binding of `output` gathered out of `levels` loops, if it is.
fn gathered_binding<T>(output: ParamOutput<T>, levels: usize) -> Option<Binding> {
    let binding = collected_binding(<ParamOutput<T> as IntoParam<T>>::into_binding(output))?;
    gathered_from_loops(output, levels).then_some(binding)
}

impl<T> IntoParam<Vec<T>> for Collected<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        gathered_binding(self.output, 1)
    }
}

/// The output of a task inside two nested loops, gathered after both: a
/// list of lists, as kfp gathers it.
impl<T> IntoParam<Vec<Vec<T>>> for Collected<T> {
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        gathered_binding(self.output, 2)
    }
}

impl<A: ArtifactType, B: ArtifactType> IntoArtifactList<A> for CollectedArtifacts<B>
where
    A: AcceptsArtifact<B>,
{
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        collected_binding(<ArtifactOutput<B> as IntoArtifact<A>>::into_binding(
            self.output,
        ))
    }
}

/// A comparison of two parameter values, checked when the pipeline runs;
/// made by the methods of [`Compare`] and used by [`condition`].
#[derive(Clone, Debug)]
#[must_use = "a comparison does nothing until it is given to `condition`"]
pub struct Comparison {
    /// `None` when an operand was reported as wrongly wired.
    condition: Option<graph::Condition>,
}

fn compare<T>(
    left: impl IntoParam<T>,
    op: graph::Comparison,
    right: impl IntoParam<T>,
) -> Comparison {
    let left = left.into_binding();
    let right = right.into_binding();
    Comparison {
        condition: left
            .zip(right)
            .map(|(left, right)| graph::Condition { left, op, right }),
    }
}

/// Comparisons of a pipeline input, loop item or task output parameter of
/// type `T` with anything an input of type `T` accepts (kfp's `a >= b` in
/// `dsl.If`).
pub trait Compare<T>: IntoParam<T> + Sized {
    /// `self == other`.
    fn eq(self, other: impl IntoParam<T>) -> Comparison {
        compare(self, graph::Comparison::Eq, other)
    }
    /// `self != other`.
    fn ne(self, other: impl IntoParam<T>) -> Comparison {
        compare(self, graph::Comparison::Ne, other)
    }
    /// `self < other`.
    fn lt(self, other: impl IntoParam<T>) -> Comparison {
        compare(self, graph::Comparison::Lt, other)
    }
    /// `self <= other`.
    fn le(self, other: impl IntoParam<T>) -> Comparison {
        compare(self, graph::Comparison::Le, other)
    }
    /// `self > other`.
    fn gt(self, other: impl IntoParam<T>) -> Comparison {
        compare(self, graph::Comparison::Gt, other)
    }
    /// `self >= other`.
    fn ge(self, other: impl IntoParam<T>) -> Comparison {
        compare(self, graph::Comparison::Ge, other)
    }
}

impl<T> Compare<T> for PipelineParam<T> {}
impl<T> Compare<T> for ParamOutput<T> {}
impl<T> Compare<T> for LoopItem<T> {}
/// A field of a loop item compared (kfp's `dsl.If(item.a == 'x')`): the
/// condition's group selects it from the item, as kfp does.
impl<T> Compare<T> for LoopItemField<T> {}

/// A condition being set up (kfp's `dsl.If`); [`run`](Self::run) records
/// its body. [`condition`] is the short form.
#[derive(Debug)]
#[must_use = "a condition records nothing until `run` is called"]
pub struct If {
    comparison: Comparison,
    display_name: Option<String>,
}

impl If {
    /// A condition on `comparison`.
    pub fn new(comparison: Comparison) -> Self {
        Self {
            comparison,
            display_name: None,
        }
    }

    /// The name shown for the condition (kfp's `name=`).
    pub fn display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Records the condition: `body` runs once, now, and every task it
    /// adds runs only when the comparison holds. Returns what `body`
    /// returns (read task outputs after it with [`collected`]).
    ///
    /// # Panics
    ///
    /// Outside a `#[pipeline]` function.
    pub fn run<R>(self, body: impl FnOnce() -> R) -> R {
        let Some(condition) = self.comparison.condition else {
            // The operand's mistake is already reported; record the body
            // at the current level so its own mistakes are found too.
            return body();
        };
        with_current(|frame| {
            let mut group = graph::Group::condition(frame.groups.last().copied(), condition);
            group.display_name = self.display_name;
            let id = frame.pipeline.add_group(group);
            frame.groups.push(id);
        });
        let close = Close;
        let result = body();
        drop(close);
        result
    }
}

/// Records a condition (kfp's `with dsl.If(comparison):`): see [`If::run`].
pub fn condition<R>(comparison: Comparison, body: impl FnOnce() -> R) -> R {
    If::new(comparison).run(body)
}

/// Closes the innermost group when dropped, even if the body panics (the
/// frame outlives it).
struct Close;

impl Drop for Close {
    fn drop(&mut self) {
        with_current(|frame| frame.groups.pop());
    }
}
