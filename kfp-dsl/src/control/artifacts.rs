//! Loops over a list of artifacts (kfp's `dsl.ParallelFor(items)` over a
//! `List[Artifact]`, written as an `artifactIterator`): the list is a
//! task's [`ArtifactListOutput<A>`], such as a sub-pipeline's outputs
//! collected out of its own loop, or a pipeline's `Vec<Input<A>>` input
//! ([`PipelineArtifacts<A>`]); each item is an `Input<A>`, given to
//! artifact inputs that accept an `A`.
//!
//! ```
//! use kfp_dsl::prelude::*;
//!
//! #[component]
//! fn make_dataset(text: String) -> Result<Output<Dataset>, kfp_dsl::ExecutorError> {
//!     let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
//!     dataset.set_metadata("text", text);
//!     Ok(dataset)
//! }
//!
//! #[pipeline]
//! fn make_datasets(texts: Vec<String>) -> Vec<Output<Dataset>> {
//!     collected(parallel_for(texts, |text| make_dataset(text).output()))
//! }
//!
//! #[component]
//! fn show(dataset: Input<Dataset>) {
//!     println!("{}", dataset.uri());
//! }
//!
//! #[pipeline]
//! fn each_dataset(texts: Vec<String>) {
//!     parallel_for(make_datasets(texts).output(), |dataset| show(dataset));
//! }
//!
//! fn main() {
//!     let (_, yaml) = kfp_dsl::compile_to_string(each_dataset::ENTRY, false).unwrap();
//!     assert!(yaml.contains("artifactIterator:"));
//!     assert!(yaml.contains("inputArtifact: pipelinechannel--make-datasets-Output"));
//! }
//! ```

use kfp_compiler::graph::{Binding, LoopItemKind, LoopItems};

use super::{IntoLoopItems, LoopItem, LoopItemType};
use crate::artifact::ArtifactType;
use crate::executor::Input;
use crate::handle::{
    AcceptsArtifact, ArtifactListOutput, IntoArtifact, PipelineArtifacts, same_pipeline,
};

/// An item of a loop over a list of artifacts of type `A` is one artifact.
impl<A: ArtifactType> LoopItemType for Input<A> {
    const ITEM_KIND: LoopItemKind = LoopItemKind::Artifact;
}

/// A task's list-of-artifacts output (kfp's `artifactIterator`): the loop
/// runs after the task, once per artifact.
impl<A: ArtifactType> IntoLoopItems<Input<A>> for ArtifactListOutput<A> {
    fn into_items(self) -> LoopItems {
        // A handle of another pipeline is reported here; the recording
        // then fails, so the items it names are never compiled.
        same_pipeline(self.frame(), "task output", self.name());
        LoopItems::TaskArtifacts {
            task: self.task(),
            output: self.name().to_owned(),
        }
    }
}

/// A pipeline's list-of-artifacts input (`Vec<Input<A>>`, kfp's
/// `artifactIterator` over a `List[Artifact]` input).
impl<A: ArtifactType> IntoLoopItems<Input<A>> for PipelineArtifacts<A> {
    fn into_items(self) -> LoopItems {
        // A handle of another pipeline is reported here; the recording
        // then fails, so the items it names are never compiled.
        same_pipeline(self.frame(), "pipeline input", self.name());
        LoopItems::PipelineArtifacts(self.name().to_owned())
    }
}

/// The current artifact goes to artifact inputs that accept an `A` (its
/// own type, or a generic `Artifact`).
impl<A: ArtifactType, B: ArtifactType> IntoArtifact<B> for LoopItem<Input<A>>
where
    B: AcceptsArtifact<A>,
{
    #[track_caller]
    fn into_binding(self) -> Option<Binding> {
        self.in_current_pipeline()
            .then_some(Binding::LoopItem(self.group))
    }
}
