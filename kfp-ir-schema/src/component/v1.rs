//! Legacy (v1) component files and their conversion to v2, as kfp 2.17
//! converts them (`kfp/dsl/structures.py::ComponentSpec.from_v1_component_spec`,
//! `kfp/dsl/placeholders.py::maybe_convert_v1_yaml_placeholder_to_v2_placeholder`,
//! `kfp/dsl/types/type_utils.py`).
//!
//! * Names: every input and output name goes through kfp's
//!   `sanitize_input_name` (`Training data` → `training_data`), in the
//!   interface and in the placeholders alike.
//! * Types ([`V1Type`]): `PipelineTaskFinalStatus`; a parameter type
//!   (`Integer`, `Float`, `String`, `Boolean`, `JsonObject`, `JsonArray`,
//!   `List[...]`, …, case-insensitive); a Google type (`google.VertexModel`,
//!   version `0.0.1`); a system artifact class (`Dataset`, `Model`, …);
//!   anything else, or no type, is a `system.Artifact`.
//! * Defaults are cast to the parameter's type as kfp casts them (`'10'` is
//!   `10` for an `Integer`, `'true'` is `true` for a `Boolean`, a JSON
//!   string is parsed for a `JsonObject`); an input with a default, or
//!   `optional: true`, is optional.
//! * Placeholders: `inputValue`, `inputPath`, `inputUri`, `outputPath` (an
//!   output parameter's file or an output artifact's path, by the output's
//!   type), `outputUri`, `executorInput`, `concat` and `if` with
//!   `cond: {isPresent: NAME}`. Each is checked as kfp checks it: it names
//!   an input or output of its kind.
//!
//! Where kfp 2.17 fails on a v1 file (an `ifPresent` key, a number where a
//! string is expected, a `graph` implementation) this module reports why.
//! One difference: kfp leaves a single (not list) `else` of an `if`
//! unconverted, so a placeholder there reaches the IR as a v1 object; here
//! it is converted like every other.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{ComponentInput, ComponentOutput, Format, Implementation, LoadedComponent};
use crate::diagnostic::{Diagnostic, Document, JsonPointer};
use crate::naming::sanitize_input_name;
use crate::pipeline_spec::{
    ArtifactTypeKind, ArtifactTypeSchema, ComponentInputArtifactSpec, ComponentInputParameterSpec,
    ComponentOutputArtifactSpec, ComponentOutputParameterSpec, EnvVar, ParameterType,
    PipelineContainerSpec,
};
use crate::placeholder::{ArtifactField, Branch, EXECUTOR_INPUT, Element, Placeholder};
use crate::suggest::did_you_mean;
use crate::validate::ValidationError;
use crate::{CompactString, yaml};

/// A v1 component (`v1_structures.ComponentSpec`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComponentSpec {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    metadata: Option<Value>,
    #[serde(default)]
    inputs: Option<Vec<InputSpec>>,
    #[serde(default)]
    outputs: Option<Vec<OutputSpec>>,
    implementation: ImplementationSpec,
    #[serde(default)]
    #[allow(dead_code)]
    version: Option<String>,
}

/// A v1 input (`v1_structures.InputSpec`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InputSpec {
    name: String,
    #[serde(default, rename = "type")]
    type_: Option<Value>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    default: Option<Value>,
    #[serde(default)]
    optional: Option<bool>,
    #[serde(default)]
    #[allow(dead_code)]
    annotations: Option<Value>,
}

/// A v1 output (`v1_structures.OutputSpec`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OutputSpec {
    name: String,
    #[serde(default, rename = "type")]
    type_: Option<Value>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    annotations: Option<Value>,
}

/// `implementation`: a container (a `graph` is refused, as kfp refuses it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImplementationSpec {
    #[serde(default)]
    container: Option<ContainerSpec>,
    #[serde(default)]
    graph: Option<Value>,
}

/// `implementation.container` (`v1_structures.ContainerSpec`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContainerSpec {
    image: String,
    #[serde(default)]
    command: Option<Vec<Value>>,
    #[serde(default)]
    args: Option<Vec<Value>>,
    #[serde(default)]
    env: Option<BTreeMap<String, Value>>,
    #[serde(default, rename = "fileOutputs")]
    #[allow(dead_code)]
    file_outputs: Option<Value>,
}

/// What a v1 type means in v2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum V1Type {
    /// `PipelineTaskFinalStatus` (inputs only).
    FinalStatus,
    /// A parameter type.
    Parameter(ParameterType),
    /// An artifact type: its schema title and version.
    Artifact(String, &'static str),
}

/// The version kfp gives every system and Google artifact type.
const ARTIFACT_VERSION: &str = "0.0.1";

/// The system artifact classes by lower-cased name
/// (`type_utils.ARTIFACT_CLASSES_MAPPING`).
const ARTIFACT_CLASSES: &[(&str, &str)] = &[
    ("artifact", "system.Artifact"),
    ("model", "system.Model"),
    ("dataset", "system.Dataset"),
    ("metrics", "system.Metrics"),
    ("classificationmetrics", "system.ClassificationMetrics"),
    (
        "slicedclassificationmetrics",
        "system.SlicedClassificationMetrics",
    ),
    ("html", "system.HTML"),
    ("markdown", "system.Markdown"),
];

/// The parameter type of a lower-cased v1 type name
/// (`type_utils.PARAMETER_TYPES_MAPPING`).
fn parameter_type(lower: &str) -> Option<ParameterType> {
    Some(match lower {
        "integer" | "int" => ParameterType::NumberInteger,
        "double" | "float" => ParameterType::NumberDouble,
        "string" | "str" | "text" => ParameterType::String,
        "bool" | "boolean" => ParameterType::Boolean,
        "dict" | "jsonobject" => ParameterType::Struct,
        "list" | "jsonarray" => ParameterType::List,
        _ => return None,
    })
}

/// kfp's `get_canonical_name_for_outer_generic`: `typing.` dropped, and
/// `List[...]`/`Dict[...]` cut to `List`/`Dict`.
fn canonical(type_name: &str) -> &str {
    let name = type_name.strip_prefix("typing.").unwrap_or(type_name);
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("list") || lower.starts_with("dict") {
        name.split('[').next().unwrap_or(name)
    } else {
        name
    }
}

/// kfp's `_GOOGLE_TYPES_PATTERN`, `^google.[A-Za-z]+$` (its `.` matches
/// any character).
fn is_google_type(name: &str) -> bool {
    let Some(rest) = name.strip_prefix("google") else {
        return false;
    };
    let mut chars = rest.chars();
    let letters = chars.next().map(|_| chars.as_str());
    letters.is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// What the v1 type `type_` means, for an input (`input`) or an output.
pub(crate) fn v1_type(type_: Option<&Value>, input: bool) -> V1Type {
    let Some(Value::String(raw)) = type_ else {
        // No type, or a structured type (`{GCSPath: …}`): an artifact.
        return V1Type::Artifact("system.Artifact".into(), ARTIFACT_VERSION);
    };
    let name = canonical(raw);
    let lower = name.to_ascii_lowercase();
    if input && name == "PipelineTaskFinalStatus" {
        return V1Type::FinalStatus;
    }
    if let Some(kind) = parameter_type(&lower) {
        return V1Type::Parameter(kind);
    }
    if is_google_type(name) {
        return V1Type::Artifact(name.to_owned(), ARTIFACT_VERSION);
    }
    let title = ARTIFACT_CLASSES
        .iter()
        .find(|(class, _)| *class == lower)
        .map_or("system.Artifact", |(_, title)| title);
    V1Type::Artifact(title.to_owned(), ARTIFACT_VERSION)
}

/// The artifact type schema of a title and version.
fn artifact_type(title: &str, version: &str) -> Option<ArtifactTypeSchema> {
    Some(ArtifactTypeSchema {
        kind: Some(ArtifactTypeKind::SchemaTitle(title.into())),
        schema_version: version.into(),
    })
}

/// Converts the one document of a v1 file.
pub(super) fn convert(document: yaml::Document) -> Result<LoadedComponent, ValidationError> {
    let index = document.index;
    let locate = |mut d: Diagnostic| {
        d.location = index.nearest_position(&d.path);
        d
    };
    let spec: ComponentSpec = serde_path_to_error::deserialize(document.value).map_err(|e| {
        let path = pointer_of(e.path());
        let message = e.inner().to_string();
        ValidationError::new(vec![locate(Diagnostic::new(
            Document::Component,
            path.as_str(),
            message,
        ))])
    })?;
    let mut cx = Converter {
        spec: &spec,
        index: &index,
        problems: Vec::new(),
    };
    let loaded = cx.component();
    if cx.problems.is_empty()
        && let Some(loaded) = loaded
    {
        return Ok(loaded);
    }
    Err(ValidationError::new(
        cx.problems.into_iter().map(locate).collect(),
    ))
}

/// The JSON pointer of a serde path.
fn pointer_of(path: &serde_path_to_error::Path) -> JsonPointer {
    let mut pointer = JsonPointer::root();
    for segment in path.iter() {
        pointer = match segment {
            serde_path_to_error::Segment::Seq { index } => pointer.join(index),
            serde_path_to_error::Segment::Map { key } => pointer.join(key),
            serde_path_to_error::Segment::Enum { variant } => pointer.join(variant),
            serde_path_to_error::Segment::Unknown => pointer,
        };
    }
    pointer
}

/// The conversion of one v1 component, collecting every problem.
struct Converter<'a> {
    spec: &'a ComponentSpec,
    /// Where each node of the document is (for the order of `env`).
    index: &'a yaml::LineIndex,
    problems: Vec<Diagnostic>,
}

impl Converter<'_> {
    fn problem(&mut self, at: &JsonPointer, message: String) {
        self.problems
            .push(Diagnostic::new(Document::Component, at.as_str(), message));
    }

    /// The whole component; `None` when a problem leaves nothing to build.
    fn component(&mut self) -> Option<LoadedComponent> {
        let spec = self.spec;
        let root = JsonPointer::root();
        let implementation = root.join("implementation");
        let Some(container) = &spec.implementation.container else {
            let message = if spec.implementation.graph.is_some() {
                "a v1 graph component cannot be loaded (kfp loads only `implementation.container`)"
            } else {
                "`implementation` has no `container`"
            };
            self.problem(&implementation, message.to_owned());
            return None;
        };
        let inputs = self.inputs();
        let outputs = self.outputs();
        let container = self.container(container, &implementation.join("container"));
        Some(LoadedComponent {
            // kfp: `component_dict.get('name', 'name')`.
            name: spec.name.clone().unwrap_or_else(|| "name".to_owned()),
            description: spec.description.clone().filter(|d| !d.is_empty()),
            inputs,
            outputs,
            implementation: Implementation::Container(container),
            format: Format::V1,
        })
    }

    fn inputs(&mut self) -> Vec<(CompactString, ComponentInput)> {
        let mut out: Vec<(CompactString, ComponentInput)> = Vec::new();
        let specs = self.spec.inputs.as_deref().unwrap_or_default();
        for (i, input) in specs.iter().enumerate() {
            let at = JsonPointer::root().join("inputs").join(i);
            let Some(name) = self.name_of(&input.name, &at, out.iter().map(|(n, _)| n)) else {
                continue;
            };
            let default = input.default.as_ref().filter(|d| !d.is_null());
            let optional = input.optional.unwrap_or(false) || default.is_some();
            let description = input.description.as_deref().unwrap_or_default().into();
            let converted = match v1_type(input.type_.as_ref(), true) {
                V1Type::FinalStatus => ComponentInput::Parameter(ComponentInputParameterSpec {
                    parameter_type: ParameterType::TaskFinalStatus,
                    is_optional: true,
                    description,
                    ..Default::default()
                }),
                V1Type::Parameter(kind) => {
                    let default_value = match default.map(|d| cast_default(kind, d)) {
                        Some(Err(message)) => {
                            self.problem(&at.join("default"), message);
                            None
                        }
                        // Held as the IR holds it: numbers as doubles.
                        Some(Ok(value)) => Some(crate::parameter::protobuf_value(&value)),
                        None => None,
                    };
                    ComponentInput::Parameter(ComponentInputParameterSpec {
                        parameter_type: kind,
                        default_value,
                        is_optional: optional,
                        description,
                        ..Default::default()
                    })
                }
                V1Type::Artifact(title, version) => {
                    ComponentInput::Artifact(ComponentInputArtifactSpec {
                        artifact_type: artifact_type(&title, version),
                        is_optional: optional,
                        description,
                        ..Default::default()
                    })
                }
            };
            out.push((name, converted));
        }
        out
    }

    fn outputs(&mut self) -> Vec<(CompactString, ComponentOutput)> {
        let mut out: Vec<(CompactString, ComponentOutput)> = Vec::new();
        let specs = self.spec.outputs.as_deref().unwrap_or_default();
        for (i, output) in specs.iter().enumerate() {
            let at = JsonPointer::root().join("outputs").join(i);
            let Some(name) = self.name_of(&output.name, &at, out.iter().map(|(n, _)| n)) else {
                continue;
            };
            let description = output.description.as_deref().unwrap_or_default().into();
            let converted = match v1_type(output.type_.as_ref(), false) {
                V1Type::Parameter(kind) => {
                    ComponentOutput::Parameter(ComponentOutputParameterSpec {
                        parameter_type: kind,
                        description,
                        ..Default::default()
                    })
                }
                other => {
                    let (title, version) = match other {
                        V1Type::Artifact(title, version) => (title, version),
                        // Only an input is a final status.
                        _ => ("system.Artifact".to_owned(), ARTIFACT_VERSION),
                    };
                    ComponentOutput::Artifact(ComponentOutputArtifactSpec {
                        artifact_type: artifact_type(&title, version),
                        description,
                        ..Default::default()
                    })
                }
            };
            out.push((name, converted));
        }
        out
    }

    /// The v2 name of an input or output: kfp's `sanitize_input_name`,
    /// which must leave a name, and one no earlier name was given.
    fn name_of<'n>(
        &mut self,
        raw: &str,
        at: &JsonPointer,
        mut taken: impl Iterator<Item = &'n CompactString>,
    ) -> Option<CompactString> {
        let name = sanitize_input_name(raw);
        if name.is_empty() {
            self.problem(
                &at.join("name"),
                format!("`{raw}` leaves no name once kfp sanitizes it (letters, digits and `_`)"),
            );
            return None;
        }
        if taken.any(|t| *t == name) {
            self.problem(
                &at.join("name"),
                format!("`{raw}` becomes `{name}`, as an earlier name does (kfp's `sanitize_input_name`)"),
            );
            return None;
        }
        Some(name.into())
    }
}

/// The placeholders kfp converts, for "did you mean".
const PLACEHOLDERS: &[&str] = &[
    "inputValue",
    "inputPath",
    "inputUri",
    "outputPath",
    "outputUri",
    "executorInput",
    "concat",
    "if",
];

/// What an input or output placeholder stands for.
#[derive(Clone, Copy)]
enum Use {
    /// `inputValue`: a parameter's value.
    Value,
    /// `inputPath`, `outputPath`: an artifact's path (for `outputPath`
    /// also an output parameter's file).
    Path,
    /// `inputUri`, `outputUri`: an artifact's URI.
    Uri,
}

impl Converter<'_> {
    /// The container: image, command and args converted, environment in
    /// the file's order (kfp keeps the mapping's order).
    fn container(&mut self, c: &ContainerSpec, at: &JsonPointer) -> PipelineContainerSpec {
        let command = self.elements(c.command.as_deref(), &at.join("command"));
        let args = self.elements(c.args.as_deref(), &at.join("args"));
        let mut env = Vec::new();
        // The mapping's order, which the JSON value does not keep.
        let mut variables: Vec<(&String, &Value)> = c.env.iter().flatten().collect();
        variables.sort_by_key(|(name, _)| {
            let at = at.join("env").join(name);
            self.index.position(at.as_str()).map(|p| (p.line, p.column))
        });
        for (name, value) in variables {
            match value {
                Value::String(v) => env.push(EnvVar {
                    name: name.as_str().into(),
                    value: v.as_str().into(),
                }),
                other => self.problem(
                    &at.join("env").join(name),
                    format!(
                        "an environment variable's value is a string, not {}",
                        super::value_kind(other)
                    ),
                ),
            }
        }
        PipelineContainerSpec {
            image: c.image.as_str().into(),
            command,
            args,
            env,
            ..Default::default()
        }
    }

    /// A command or args list as kfp writes it.
    fn elements(&mut self, list: Option<&[Value]>, at: &JsonPointer) -> Vec<CompactString> {
        let mut out = Vec::new();
        for (i, value) in list.unwrap_or_default().iter().enumerate() {
            if let Some(element) = self.element(value, &at.join(i)) {
                out.push(element.to_arg().into());
            }
        }
        out
    }

    /// One command-line element: a string, or a placeholder converted.
    fn element(&mut self, value: &Value, at: &JsonPointer) -> Option<Element> {
        let map = match value {
            Value::String(s) => return Some(Element::Text(s.clone())),
            Value::Object(map) => map,
            other => {
                self.problem(
                    at,
                    format!(
                        "expected a string or a placeholder, not {} (kfp converts no other value: quote it)",
                        super::value_kind(other)
                    ),
                );
                return None;
            }
        };
        let mut entries = map.iter();
        let (Some((key, inner)), None) = (entries.next(), entries.next()) else {
            self.problem(
                at,
                format!(
                    "a placeholder is a mapping with one key (one of {}); this one has {}",
                    PLACEHOLDERS.join(", "),
                    map.len()
                ),
            );
            return None;
        };
        let at = at.join(key);
        match key.as_str() {
            "inputValue" => self.input(inner, &at, Use::Value),
            "inputPath" => self.input(inner, &at, Use::Path),
            "inputUri" => self.input(inner, &at, Use::Uri),
            "outputPath" => self.output(inner, &at, Use::Path),
            "outputUri" => self.output(inner, &at, Use::Uri),
            "executorInput" => Some(Element::Text(EXECUTOR_INPUT.to_owned())),
            "concat" => self.concat(inner, &at),
            "if" => self.if_present(inner, &at),
            "ifPresent" | "inputMetadata" | "outputMetadata" | "inputOutputPortName" => {
                self.problem(
                    &at,
                    format!("kfp 2 does not convert the v1 placeholder `{key}`"),
                );
                None
            }
            other => {
                let hint = did_you_mean(other, PLACEHOLDERS)
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                self.problem(
                    &at,
                    format!(
                        "unknown placeholder `{other}`{hint}; expected one of: {}",
                        PLACEHOLDERS.join(", ")
                    ),
                );
                None
            }
        }
    }

    /// The name a placeholder gives: a string.
    fn placeholder_name<'v>(&mut self, inner: &'v Value, at: &JsonPointer) -> Option<&'v str> {
        match inner {
            Value::String(name) => Some(name),
            other => {
                self.problem(
                    at,
                    format!(
                        "expected the name of an input or output, not {}",
                        super::value_kind(other)
                    ),
                );
                None
            }
        }
    }

    /// The v1 input called `raw`, reported when there is none.
    fn find_input(&mut self, raw: &str, at: &JsonPointer) -> Option<&InputSpec> {
        let inputs = self.spec.inputs.as_deref().unwrap_or_default();
        let found = inputs.iter().find(|i| i.name == raw);
        if found.is_none() {
            let names: Vec<&str> = inputs.iter().map(|i| i.name.as_str()).collect();
            self.problem(at, not_declared("input", raw, &names));
        }
        found
    }

    /// `inputValue`, `inputPath` or `inputUri`, checked against the
    /// input's kind (kfp's `check_primitive_placeholder_is_used_for_correct_io_type`).
    fn input(&mut self, inner: &Value, at: &JsonPointer, use_: Use) -> Option<Element> {
        let raw = self.placeholder_name(inner, at)?;
        let input = self.find_input(raw, at)?;
        let name = sanitize_input_name(raw);
        let is_parameter = !matches!(v1_type(input.type_.as_ref(), true), V1Type::Artifact(..));
        let placeholder = match (use_, is_parameter) {
            (Use::Value, true) => Placeholder::InputParameter {
                name,
                json_escape: 0,
            },
            (Use::Path, false) => Placeholder::InputArtifact {
                name,
                field: ArtifactField::Path,
            },
            (Use::Uri, false) => Placeholder::InputArtifact {
                name,
                field: ArtifactField::Uri,
            },
            (Use::Value, false) => {
                self.problem(at, format!("`{raw}` is an artifact input: pass its `inputPath` or `inputUri`, not its `inputValue`"));
                return None;
            }
            (_, true) => {
                self.problem(at, format!("`{raw}` is a parameter input: pass its `inputValue`; only artifacts have paths and URIs"));
                return None;
            }
        };
        Some(Element::Text(placeholder.to_string()))
    }

    /// `outputPath` (an output parameter's file, or an output artifact's
    /// path) or `outputUri` (an output artifact's URI).
    fn output(&mut self, inner: &Value, at: &JsonPointer, use_: Use) -> Option<Element> {
        let raw = self.placeholder_name(inner, at)?;
        let outputs = self.spec.outputs.as_deref().unwrap_or_default();
        let Some(output) = outputs.iter().find(|o| o.name == raw) else {
            let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
            self.problem(at, not_declared("output", raw, &names));
            return None;
        };
        let name = sanitize_input_name(raw);
        let is_parameter = matches!(v1_type(output.type_.as_ref(), false), V1Type::Parameter(_));
        let placeholder = match (use_, is_parameter) {
            (Use::Path, true) => Placeholder::OutputParameterFile(name),
            (Use::Path, false) => Placeholder::OutputArtifact {
                name,
                field: ArtifactField::Path,
            },
            (_, false) => Placeholder::OutputArtifact {
                name,
                field: ArtifactField::Uri,
            },
            (_, true) => {
                self.problem(at, format!("`{raw}` is a parameter output: pass its `outputPath`; only artifacts have URIs"));
                return None;
            }
        };
        Some(Element::Text(placeholder.to_string()))
    }

    /// `concat: [ITEMS]`. An `if` among the items must have single (not
    /// list) branches, as kfp's `ConcatPlaceholder` requires.
    fn concat(&mut self, inner: &Value, at: &JsonPointer) -> Option<Element> {
        let Value::Array(items) = inner else {
            self.problem(
                at,
                format!("`concat` takes a list, not {}", super::value_kind(inner)),
            );
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            match self.element(item, &at.join(i)) {
                Some(element) if single_branches(&element) => out.push(element),
                Some(_) => {
                    self.problem(&at.join(i), "an `if` inside a `concat` must have one `then` element and at most one `else` element, not lists (kfp's rule)".to_owned());
                    ok = false;
                }
                None => ok = false,
            }
        }
        ok.then_some(Element::Concat(out))
    }

    /// `if: {cond: {isPresent: NAME}, then: …, else: …}`: kfp's
    /// `IfPresentPlaceholder` on the input `NAME`.
    fn if_present(&mut self, inner: &Value, at: &JsonPointer) -> Option<Element> {
        let Value::Object(fields) = inner else {
            self.problem(
                at,
                format!(
                    "`if` takes a mapping with `cond`, `then` and `else`, not {}",
                    super::value_kind(inner)
                ),
            );
            return None;
        };
        if let Some(key) = fields
            .keys()
            .find(|k| !["cond", "then", "else"].contains(&k.as_str()))
        {
            self.problem(
                &at.join(key),
                format!("unknown key `{key}` of `if`; expected one of: cond, then, else"),
            );
            return None;
        }
        let cond = at.join("cond");
        let Some(Value::Object(condition)) = fields.get("cond") else {
            self.problem(&cond, "`if` needs `cond: {isPresent: NAME}`".to_owned());
            return None;
        };
        let Some(raw) = condition.get("isPresent").filter(|_| condition.len() == 1) else {
            self.problem(
                &cond,
                "kfp converts only the condition `{isPresent: NAME}`".to_owned(),
            );
            return None;
        };
        let at_name = cond.join("isPresent");
        let raw = self.placeholder_name(raw, &at_name)?;
        self.find_input(raw, &at_name)?;
        let Some(then) = fields.get("then") else {
            self.problem(at, "`if` needs `then`".to_owned());
            return None;
        };
        let then = self.branch(then, &at.join("then"))?;
        let otherwise = match fields.get("else").filter(|e| !e.is_null()) {
            Some(e) => Some(self.branch(e, &at.join("else"))?),
            None => None,
        };
        Some(Element::IfPresent {
            input: sanitize_input_name(raw),
            then,
            otherwise,
        })
    }

    /// A branch of an `if`: a list of elements, or one element.
    fn branch(&mut self, value: &Value, at: &JsonPointer) -> Option<Branch> {
        match value {
            Value::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    out.push(self.element(item, &at.join(i))?);
                }
                Some(Branch::List(out))
            }
            one => Some(Branch::One(Box::new(self.element(one, at)?))),
        }
    }
}

/// Whether an element is allowed inside a `Concat`: an `IfPresent` only
/// with single branches, all the way down (kfp's
/// `_validate_then_and_else_are_only_single_element`).
fn single_branches(element: &Element) -> bool {
    match element {
        Element::Text(_) => true,
        Element::Concat(items) => items.iter().all(single_branches),
        Element::IfPresent {
            then, otherwise, ..
        } => std::iter::once(then)
            .chain(otherwise)
            .all(|branch| match branch {
                Branch::One(inner) => single_branches(inner),
                Branch::List(_) => false,
            }),
    }
}

/// "`raw` is not an input of this component", with a suggestion.
fn not_declared(what: &str, raw: &str, known: &[&str]) -> String {
    let hint = did_you_mean(raw, known)
        .map(|k| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default();
    if known.is_empty() {
        format!("`{raw}` is not an {what} of this component: it declares no {what}s")
    } else {
        format!(
            "`{raw}` is not an {what} of this component{hint}; its {what}s are: {}",
            known.join(", ")
        )
    }
}

/// A v1 default cast to the parameter's type, as kfp's
/// `deserialize_v1_component_yaml_default` casts it (`int('10')`,
/// `strtobool('true')`, `json.loads('{"a": 1}')`, `str(10)`), then held as
/// a `google.protobuf.Value` holds it (numbers as doubles).
pub(crate) fn cast_default(kind: ParameterType, value: &Value) -> Result<Value, String> {
    let fail = || {
        Err(format!(
            "the default {value} is not {}",
            match kind {
                ParameterType::NumberInteger => "an integer",
                ParameterType::NumberDouble => "a number",
                ParameterType::Boolean => "a boolean",
                ParameterType::Struct => "a JSON object",
                ParameterType::List => "a JSON list",
                _ => "a string",
            }
        ))
    };
    let number = |f: f64| serde_json::Number::from_f64(f).map(Value::Number);
    match (kind, value) {
        (ParameterType::NumberInteger, Value::String(s)) => {
            match s.trim().replace('_', "").parse::<i64>() {
                #[allow(clippy::cast_precision_loss)]
                Ok(i) => number(i as f64).map_or_else(fail, Ok),
                Err(_) => fail(),
            }
        }
        // Python's `int()` of a float truncates it.
        (ParameterType::NumberInteger, Value::Number(n)) => n
            .as_f64()
            .and_then(|f| number(f.trunc()))
            .map_or_else(fail, Ok),
        (ParameterType::NumberDouble, Value::String(s)) => match s.trim().parse::<f64>() {
            Ok(f) => number(f).map_or_else(fail, Ok),
            Err(_) => fail(),
        },
        (ParameterType::NumberDouble, Value::Number(n)) => {
            n.as_f64().and_then(number).map_or_else(fail, Ok)
        }
        (ParameterType::String, Value::String(s)) => Ok(Value::String(s.clone())),
        // Python's `str()`.
        (ParameterType::String, Value::Number(n)) => Ok(Value::String(match n.as_f64() {
            Some(f) if !n.is_i64() && !n.is_u64() => crate::python_json::float_repr(f),
            _ => n.to_string(),
        })),
        (ParameterType::String, Value::Bool(b)) => {
            Ok(Value::String(if *b { "True" } else { "False" }.to_owned()))
        }
        (ParameterType::Boolean, Value::Bool(b)) => Ok(Value::Bool(*b)),
        (ParameterType::Boolean, Value::String(s)) => match s.to_lowercase().as_str() {
            "y" | "yes" | "t" | "true" | "on" | "1" => Ok(Value::Bool(true)),
            "n" | "no" | "f" | "false" | "off" | "0" => Ok(Value::Bool(false)),
            _ => fail(),
        },
        (ParameterType::Struct, Value::Object(_)) | (ParameterType::List, Value::Array(_)) => {
            Ok(value.clone())
        }
        (ParameterType::Struct | ParameterType::List, Value::String(s)) => {
            match serde_json::from_str::<Value>(s) {
                Ok(parsed @ Value::Object(_)) if kind == ParameterType::Struct => Ok(parsed),
                Ok(parsed @ Value::Array(_)) if kind == ParameterType::List => Ok(parsed),
                _ => fail(),
            }
        }
        _ => fail(),
    }
}
