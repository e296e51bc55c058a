//! The interface of a component or pipeline: its input and output
//! parameters and artifacts, and their types.

use serde_json::Value;

/// The type of a parameter (`ParameterType.ParameterTypeEnum` of the IR).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParameterType {
    /// A string (`STRING`; Rust `String`).
    String,
    /// An integer (`NUMBER_INTEGER`; every Rust integer type).
    Integer,
    /// A floating point number (`NUMBER_DOUBLE`; `f32`, `f64`).
    Double,
    /// A boolean (`BOOLEAN`).
    Boolean,
    /// A JSON array (`LIST`; `Vec<T>`).
    List,
    /// A JSON object (`STRUCT`; maps and serde structs).
    Struct,
    /// The final status of the tasks an exit task follows
    /// (`TASK_FINAL_STATUS`, kfp's `dsl.PipelineTaskFinalStatus`): an
    /// input the compiler sets on an exit task, or on a task that ignores
    /// upstream failures, to the status of what it follows. It may be
    /// passed on to a `Struct` input.
    TaskFinalStatus,
}

impl ParameterType {
    /// Every parameter type.
    pub const ALL: [ParameterType; 7] = [
        ParameterType::String,
        ParameterType::Integer,
        ParameterType::Double,
        ParameterType::Boolean,
        ParameterType::List,
        ParameterType::Struct,
        ParameterType::TaskFinalStatus,
    ];
}

/// An artifact type: a schema title such as `system.Dataset` and its
/// version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArtifactType {
    /// The schema title, e.g. `system.Model` or `google.VertexModel`.
    pub schema_title: String,
    /// The schema version, e.g. `0.0.1`.
    pub schema_version: String,
}

impl ArtifactType {
    /// An artifact type with the given title and version.
    pub fn new(schema_title: impl Into<String>, schema_version: impl Into<String>) -> Self {
        Self {
            schema_title: schema_title.into(),
            schema_version: schema_version.into(),
        }
    }

    /// A KFP system type, `system.<class>` at version `0.0.1` (for example
    /// `ArtifactType::system("Dataset")`).
    pub fn system(class: &str) -> Self {
        Self::new(format!("system.{class}"), "0.0.1")
    }

    /// kfp's artifact compatibility (`check_artifact_type_compatibility`):
    /// whether an input of type `expected` (a list when `expected_list`)
    /// takes `given`: the same list-ness, and `system.Artifact` on either
    /// side or the same title with the same major version.
    ///
    /// ```
    /// use kfp_compiler::graph::ArtifactType;
    ///
    /// let dataset = ArtifactType::system("Dataset");
    /// assert!(ArtifactType::compatible(&ArtifactType::system("Artifact"), false, &dataset, false));
    /// assert!(!ArtifactType::compatible(&ArtifactType::system("Model"), false, &dataset, false));
    /// assert!(!ArtifactType::compatible(&dataset, true, &dataset, false));
    /// ```
    pub fn compatible(
        given: &ArtifactType,
        given_list: bool,
        expected: &ArtifactType,
        expected_list: bool,
    ) -> bool {
        fn major(version: &str) -> &str {
            version.split('.').next().unwrap_or("")
        }
        given_list == expected_list
            && (given.schema_title == "system.Artifact"
                || expected.schema_title == "system.Artifact"
                || (given.schema_title == expected.schema_title
                    && major(&given.schema_version) == major(&expected.schema_version)))
    }
}

/// An input parameter of a component or pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct InputParameter {
    /// The input's name (the Rust parameter name, unchanged).
    pub name: String,
    /// Its type.
    pub kind: ParameterType,
    /// Its default, if any. The compiler writes numbers as kfp does (as
    /// doubles). A default makes the input optional.
    pub default: Option<Value>,
    /// Whether the input may be left unset even without a default
    /// (`Option<T>` with a `None` default).
    pub optional: bool,
    /// A description (from doc comments).
    pub description: Option<String>,
}

impl InputParameter {
    /// A required input parameter.
    pub fn new(name: impl Into<String>, kind: ParameterType) -> Self {
        Self {
            name: name.into(),
            kind,
            default: None,
            optional: false,
            description: None,
        }
    }

    /// Sets a default (which also makes the input optional).
    pub fn with_default(mut self, default: impl Into<Value>) -> Self {
        self.default = Some(default.into());
        self
    }

    /// Makes the input optional without a default (kfp's `= None`).
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether the input may be left unset: it has a default or is optional.
    pub fn is_optional(&self) -> bool {
        self.optional || self.default.is_some()
    }
}

/// An input artifact of a component or pipeline.
#[derive(Clone, Debug, PartialEq)]
pub struct InputArtifact {
    /// The input's name.
    pub name: String,
    /// Its artifact type.
    pub artifact_type: ArtifactType,
    /// Whether it takes a list of artifacts (`isArtifactList`).
    pub is_list: bool,
    /// Whether it may be left unset.
    pub optional: bool,
    /// A description.
    pub description: Option<String>,
}

impl InputArtifact {
    /// A required input artifact of one artifact.
    pub fn new(name: impl Into<String>, artifact_type: ArtifactType) -> Self {
        Self {
            name: name.into(),
            artifact_type,
            is_list: false,
            optional: false,
            description: None,
        }
    }

    /// Makes it take a list of artifacts.
    pub fn list(mut self) -> Self {
        self.is_list = true;
        self
    }

    /// Makes it optional.
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// An output parameter of a component.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputParameter {
    /// The output's name (`Output` for a single return value, as in kfp).
    pub name: String,
    /// Its type.
    pub kind: ParameterType,
    /// A description.
    pub description: Option<String>,
}

impl OutputParameter {
    /// An output parameter.
    pub fn new(name: impl Into<String>, kind: ParameterType) -> Self {
        Self {
            name: name.into(),
            kind,
            description: None,
        }
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// An output artifact of a component.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputArtifact {
    /// The output's name.
    pub name: String,
    /// Its artifact type.
    pub artifact_type: ArtifactType,
    /// Whether it is a list of artifacts.
    pub is_list: bool,
    /// A description.
    pub description: Option<String>,
}

impl OutputArtifact {
    /// An output artifact of one artifact.
    pub fn new(name: impl Into<String>, artifact_type: ArtifactType) -> Self {
        Self {
            name: name.into(),
            artifact_type,
            is_list: false,
            description: None,
        }
    }

    /// Makes it a list of artifacts.
    pub fn list(mut self) -> Self {
        self.is_list = true;
        self
    }

    /// Sets the description.
    pub fn with_description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// A component output looked up by name: a parameter or an artifact.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OutputRef<'a> {
    /// An output parameter.
    Parameter(&'a OutputParameter),
    /// An output artifact.
    Artifact(&'a OutputArtifact),
}
