//! Artifact types: the `schemaTitle`/`schemaVersion` pairs KFP gives to
//! files that flow between tasks.

/// A kind of KFP artifact, named by its schema title and version.
///
/// The system types ([`Artifact`], [`Dataset`], [`Model`], …) are provided.
/// Define your own with [`artifact_type!`](crate::artifact_type), which also
/// makes outputs of your type connect to inputs of your type.
///
/// # Types kfp spells as strings
///
/// kfp also takes a type as a string, and so writes some types that have
/// no Python class. Each has a Rust spelling that compiles to the same IR:
///
/// | kfp | IR | Rust |
/// |---|---|---|
/// | `OutputPath("png")`, `InputPath("CSV")`: a string that is not a parameter type | an artifact, `system.Artifact` | `image: Output<Artifact>`, `data: Input<Artifact>` (the file is at `.path()`; in a `#[container_component]`, the placeholder of its path) |
/// | `OutputPath(int)`, `OutputPath("Integer")`: a parameter type | an output parameter | `n: OutputPath<i64>` |
/// | a schema title kfp has no class for (`google.VertexModel`) | that title and version | a type declared with [`artifact_type!`](crate::artifact_type) |
/// | an unknown type name in a v1 component (`GCSPath`) | `system.Artifact` | `Input<Artifact>` / `Output<Artifact>` |
/// | `Input[Artifact]`: an input of any schema | `system.Artifact` | `Input<Artifact>`, which accepts an artifact of every type |
///
/// ```
/// use kfp_dsl::prelude::*;
///
/// /// kfp: `def plot(data: InputPath("CSV"), image: OutputPath("png"), n: OutputPath(int))`.
/// #[component]
/// fn plot(data: Input<Artifact>, image: Output<Artifact>, n: OutputPath<i64>) {
///     let _ = (data, image, n);
/// }
///
/// fn main() {
///     let file = kfp_dsl::compile(plot::ENTRY).unwrap();
///     let spec = serde_json::to_value(&file.spec).unwrap();
///     let plot = &spec["components"]["comp-plot"];
///     let title = |io: &str, kind: &str, name: &str| {
///         plot[io][kind][name]["artifactType"]["schemaTitle"].clone()
///     };
///     assert_eq!(title("inputDefinitions", "artifacts", "data"), "system.Artifact");
///     assert_eq!(title("outputDefinitions", "artifacts", "image"), "system.Artifact");
///     assert_eq!(
///         plot["outputDefinitions"]["parameters"]["n"]["parameterType"],
///         "NUMBER_INTEGER"
///     );
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a KFP artifact type",
    note = "artifact types are `Artifact`, `Dataset`, `Model`, `Metrics`, `ClassificationMetrics`, \
            `SlicedClassificationMetrics`, `HTML`, `Markdown`, or one declared with `kfp_dsl::artifact_type!`"
)]
pub trait ArtifactType: 'static {
    /// The schema title, for example `system.Dataset`.
    const SCHEMA_TITLE: &'static str;
    /// The schema version, for example `0.0.1`.
    const SCHEMA_VERSION: &'static str;
    /// The Rust name shown in messages, for example `Dataset`.
    const NAME: &'static str;
}

/// Defines an artifact type with its own schema title and version.
///
/// ```
/// kfp_dsl::artifact_type! {
///     /// A model registered in Vertex AI.
///     pub VertexModel = "google.VertexModel", "0.0.1";
/// }
/// use kfp_dsl::ArtifactType;
/// assert_eq!(VertexModel::SCHEMA_TITLE, "google.VertexModel");
/// ```
#[macro_export]
macro_rules! artifact_type {
    ($(#[$meta:meta])* $vis:vis $name:ident = $title:literal, $version:literal;) => {
        $crate::artifact_type!(@type $(#[$meta])* $vis $name = $title, $version;);
        impl $crate::__private::AcceptsArtifact<$name> for $name {}
        impl $crate::__private::AcceptsArtifact<$crate::Artifact> for $name {}
    };
    (@type $(#[$meta:meta])* $vis:vis $name:ident = $title:literal, $version:literal;) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        $vis struct $name;

        impl $crate::ArtifactType for $name {
            const SCHEMA_TITLE: &'static str = $title;
            const SCHEMA_VERSION: &'static str = $version;
            const NAME: &'static str = ::core::stringify!($name);
        }
    };
}

artifact_type! {
    @type
    /// A generic artifact (`system.Artifact`). An input of this type accepts
    /// an artifact of any type, and an input of any type accepts it (as
    /// kfp's type check does).
    pub Artifact = "system.Artifact", "0.0.1";
}

impl<A: ArtifactType> crate::__private::AcceptsArtifact<A> for Artifact {}
artifact_type! {
    /// A dataset (`system.Dataset`).
    pub Dataset = "system.Dataset", "0.0.1";
}
artifact_type! {
    /// A model (`system.Model`).
    pub Model = "system.Model", "0.0.1";
}
artifact_type! {
    /// Scalar metrics (`system.Metrics`); log them with
    /// [`Output::log_metric`](crate::Output::log_metric).
    pub Metrics = "system.Metrics", "0.0.1";
}
artifact_type! {
    /// Classification metrics such as a confusion matrix
    /// (`system.ClassificationMetrics`).
    pub ClassificationMetrics = "system.ClassificationMetrics", "0.0.1";
}
artifact_type! {
    /// Classification metrics per slice (`system.SlicedClassificationMetrics`).
    pub SlicedClassificationMetrics = "system.SlicedClassificationMetrics", "0.0.1";
}
artifact_type! {
    /// An HTML page shown in the KFP UI (`system.HTML`).
    #[allow(clippy::upper_case_acronyms)]
    pub HTML = "system.HTML", "0.0.1";
}
artifact_type! {
    /// A Markdown page shown in the KFP UI (`system.Markdown`).
    pub Markdown = "system.Markdown", "0.0.1";
}

/// The graph's description of the artifact type `A`.
pub fn artifact_type_of<A: ArtifactType>() -> kfp_compiler::graph::ArtifactType {
    kfp_compiler::graph::ArtifactType::new(A::SCHEMA_TITLE, A::SCHEMA_VERSION)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_types_have_kfp_schema_titles() {
        assert_eq!(artifact_type_of::<Dataset>().schema_title, "system.Dataset");
        assert_eq!(artifact_type_of::<HTML>().schema_title, "system.HTML");
        assert_eq!(
            artifact_type_of::<SlicedClassificationMetrics>().schema_version,
            "0.0.1"
        );
        assert_eq!(Model::NAME, "Model");
    }
}
