//! KFP's placeholders: the `{{$...}}` strings in a container's command
//! line and in task inputs, which the backend replaces when a task runs.
//!
//! This module is the one place that knows their text: the compiler writes
//! them with [`Placeholder`]'s `Display`, and the local runner finds and
//! reads them with [`parse`] and [`find`].
//!
//! ```
//! use kfp_ir_schema::placeholder::{self, ArtifactField, Placeholder};
//!
//! let p = Placeholder::InputArtifact { name: "data".into(), field: ArtifactField::Path };
//! assert_eq!(p.to_string(), "{{$.inputs.artifacts['data'].path}}");
//! assert_eq!(placeholder::parse("{{$.inputs.artifacts['data'].path}}"), Some(p));
//! assert_eq!(placeholder::input_parameter("n"), "{{$.inputs.parameters['n']}}");
//! ```

use std::fmt;
use std::ops::Range;

/// `{{$}}`: the whole executor input, as JSON.
pub const EXECUTOR_INPUT: &str = "{{$}}";
/// The run's display name (`dsl.PIPELINE_JOB_NAME_PLACEHOLDER`).
pub const PIPELINE_JOB_NAME: &str = "{{$.pipeline_job_name}}";
/// The run's resource name (`dsl.PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER`).
pub const PIPELINE_JOB_RESOURCE_NAME: &str = "{{$.pipeline_job_resource_name}}";
/// The run's id (`dsl.PIPELINE_JOB_ID_PLACEHOLDER`).
pub const PIPELINE_JOB_ID: &str = "{{$.pipeline_job_uuid}}";
/// The task's name (`dsl.PIPELINE_TASK_NAME_PLACEHOLDER`).
pub const PIPELINE_TASK_NAME: &str = "{{$.pipeline_task_name}}";
/// The task's id (`dsl.PIPELINE_TASK_ID_PLACEHOLDER`).
pub const PIPELINE_TASK_ID: &str = "{{$.pipeline_task_uuid}}";
/// When the run was created (`dsl.PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER`).
pub const PIPELINE_JOB_CREATE_TIME_UTC: &str = "{{$.pipeline_job_create_time_utc}}";
/// When the run was scheduled (`dsl.PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER`).
pub const PIPELINE_JOB_SCHEDULE_TIME_UTC: &str = "{{$.pipeline_job_schedule_time_utc}}";
/// The mount path of the pipeline's workspace (`dsl.WORKSPACE_PATH_PLACEHOLDER`).
pub const WORKSPACE_PATH: &str = "{{$.workspace_path}}";

/// Which property of an artifact a placeholder stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArtifactField {
    /// `.uri`: where it is stored.
    Uri,
    /// `.path`: the local path of that URI.
    Path,
    /// `.metadata`: its metadata, as JSON.
    Metadata,
    /// `.metadata['key']`: one metadata value.
    MetadataKey(String),
}

/// One placeholder of a container's command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Placeholder {
    /// `{{$}}`.
    ExecutorInput,
    /// `{{$.inputs.parameters['name']}}`, with `.json_escape[n]` when the
    /// text is escaped for a JSON string `n` times.
    InputParameter {
        /// The input's name.
        name: String,
        /// How many times the text is JSON-escaped (0: not at all).
        json_escape: u8,
    },
    /// `{{$.inputs.artifacts['name'].field}}`.
    InputArtifact {
        /// The input's name.
        name: String,
        /// Which property.
        field: ArtifactField,
    },
    /// `{{$.inputs.artifacts['name']}}`: a list-of-artifacts input, as JSON.
    InputArtifactList(String),
    /// `{{$.outputs.artifacts['name'].field}}`.
    OutputArtifact {
        /// The output's name.
        name: String,
        /// Which property.
        field: ArtifactField,
    },
    /// `{{$.outputs.parameters['name'].output_file}}`: where the command
    /// writes the output parameter's value.
    OutputParameterFile(String),
    /// `{{$.outputs.output_file}}`: where the command may write its
    /// executor output.
    OutputMetadataFile,
    /// A runtime value, e.g. `{{$.pipeline_job_name}}`: the text after
    /// `{{$.`, up to `}}`.
    Runtime(String),
}

/// The text of an input parameter's placeholder.
pub fn input_parameter(name: &str) -> String {
    Placeholder::InputParameter {
        name: name.to_owned(),
        json_escape: 0,
    }
    .to_string()
}

impl fmt::Display for ArtifactField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Uri => f.write_str(".uri"),
            Self::Path => f.write_str(".path"),
            Self::Metadata => f.write_str(".metadata"),
            Self::MetadataKey(key) => write!(f, ".metadata['{key}']"),
        }
    }
}

impl fmt::Display for Placeholder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ExecutorInput => f.write_str(EXECUTOR_INPUT),
            Self::InputParameter { name, json_escape } => {
                write!(f, "{{{{$.inputs.parameters['{name}']")?;
                if *json_escape > 0 {
                    write!(f, ".json_escape[{json_escape}]")?;
                }
                f.write_str("}}")
            }
            Self::InputArtifact { name, field } => {
                write!(f, "{{{{$.inputs.artifacts['{name}']{field}}}}}")
            }
            Self::InputArtifactList(name) => write!(f, "{{{{$.inputs.artifacts['{name}']}}}}"),
            Self::OutputArtifact { name, field } => {
                write!(f, "{{{{$.outputs.artifacts['{name}']{field}}}}}")
            }
            Self::OutputParameterFile(name) => {
                write!(f, "{{{{$.outputs.parameters['{name}'].output_file}}}}")
            }
            Self::OutputMetadataFile => f.write_str("{{$.outputs.output_file}}"),
            Self::Runtime(name) => write!(f, "{{{{$.{name}}}}}"),
        }
    }
}

/// One element of a container's `command` or `args` as kfp writes it: a
/// string (which may hold `{{$...}}` placeholders), or one of kfp's
/// container placeholders, `Concat` and `IfPresent`, which kfp writes as a
/// JSON document in one string (`json.dumps` of `_to_dict()`,
/// `kfp/dsl/placeholders.py`). Nested inside one another they are JSON
/// objects, not strings.
///
/// This is the one place that knows that form: the compiler writes a
/// component's container with it, and loading a legacy (v1) component
/// converts its `concat` and `if` placeholders to it.
///
/// ```
/// use kfp_ir_schema::placeholder::{Branch, Element};
///
/// let flag = Element::IfPresent {
///     input: "depth".into(),
///     then: Branch::List(vec!["--depth".into(), "{{$.inputs.parameters['depth']}}".into()]),
///     otherwise: None,
/// };
/// assert_eq!(
///     flag.to_arg(),
///     r#"{"IfPresent": {"InputName": "depth", "Then": ["--depth", "{{$.inputs.parameters['depth']}}"]}}"#
/// );
/// let joined = Element::Concat(vec!["gs://".into(), "{{$.inputs.parameters['b']}}".into()]);
/// assert_eq!(joined.to_arg(), r#"{"Concat": ["gs://", "{{$.inputs.parameters['b']}}"]}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    /// A string, written as it is.
    Text(String),
    /// `Concat`: the items joined into one argument.
    Concat(Vec<Element>),
    /// `IfPresent`: `then` when the input `input` is set, else `otherwise`.
    IfPresent {
        /// The input whose presence is tested.
        input: String,
        /// The element or elements when it is set.
        then: Branch,
        /// The element or elements when it is not.
        otherwise: Option<Branch>,
    },
}

/// A branch of an [`Element::IfPresent`]: one element, written as it is,
/// or a list of elements, written as a JSON list (kfp keeps the form it was
/// given; inside a `Concat` a branch must be one element).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Branch {
    /// One element.
    One(Box<Element>),
    /// A list of elements.
    List(Vec<Element>),
}

impl From<&str> for Element {
    fn from(text: &str) -> Self {
        Element::Text(text.to_owned())
    }
}

impl From<String> for Element {
    fn from(text: String) -> Self {
        Element::Text(text)
    }
}

impl Branch {
    /// Whether Python finds the branch true: kfp writes `Else` only then
    /// (`if self.else_:`), so an empty list or an empty string is left out.
    fn is_truthy(&self) -> bool {
        match self {
            Branch::One(element) => !matches!(&**element, Element::Text(t) if t.is_empty()),
            Branch::List(items) => !items.is_empty(),
        }
    }
}

impl Element {
    /// The string kfp writes for the element at the top of `command` or
    /// `args`: a string as it is, a container placeholder as Python's
    /// `json.dumps` writes its JSON document.
    pub fn to_arg(&self) -> String {
        match self {
            Element::Text(text) => text.clone(),
            container => crate::python_json::to_string(&Json(container)),
        }
    }
}

/// An element as the JSON kfp's `_to_dict` gives it, keys in kfp's order
/// (`InputName`, `Then`, `Else`), which `python_json` keeps.
struct Json<'a>(&'a Element);

/// A branch as JSON.
struct BranchJson<'a>(&'a Branch);

impl serde::Serialize for Json<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self.0 {
            Element::Text(text) => serializer.serialize_str(text),
            Element::Concat(items) => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry("Concat", &items.iter().map(Json).collect::<Vec<_>>())?;
                map.end()
            }
            Element::IfPresent {
                input,
                then,
                otherwise,
            } => {
                let mut map = serializer.serialize_map(Some(1))?;
                map.serialize_entry(
                    "IfPresent",
                    &IfPresentJson {
                        input,
                        then,
                        otherwise: otherwise.as_ref().filter(|b| b.is_truthy()),
                    },
                )?;
                map.end()
            }
        }
    }
}

/// The body of an `IfPresent`.
struct IfPresentJson<'a> {
    input: &'a str,
    then: &'a Branch,
    otherwise: Option<&'a Branch>,
}

impl serde::Serialize for IfPresentJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("InputName", self.input)?;
        map.serialize_entry("Then", &BranchJson(self.then))?;
        if let Some(otherwise) = self.otherwise {
            map.serialize_entry("Else", &BranchJson(otherwise))?;
        }
        map.end()
    }
}

impl serde::Serialize for BranchJson<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Branch::One(element) => Json(element).serialize(serializer),
            Branch::List(items) => serializer.collect_seq(items.iter().map(Json)),
        }
    }
}

/// Reads a whole string as one placeholder; `None` when it is not one.
pub fn parse(text: &str) -> Option<Placeholder> {
    if text == EXECUTOR_INPUT {
        return Some(Placeholder::ExecutorInput);
    }
    let body = text.strip_prefix("{{$.")?.strip_suffix("}}")?;
    if body.contains("}}") {
        return None;
    }
    parse_body(body)
}

/// Every placeholder in `text`, with its byte range, in order.
///
/// ```
/// use kfp_ir_schema::placeholder::{find, Placeholder};
///
/// let found = find("--out={{$.outputs.parameters['n'].output_file}} {{$}}");
/// assert_eq!(found[0].0, 6..47);
/// assert_eq!(found[1].1, Placeholder::ExecutorInput);
/// ```
pub fn find(text: &str) -> Vec<(Range<usize>, Placeholder)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text[from..].find("{{$").map(|i| from + i) {
        let Some(end) = text[start..].find("}}").map(|i| start + i + 2) else {
            break;
        };
        match parse(&text[start..end]) {
            Some(p) => {
                out.push((start..end, p));
                from = end;
            }
            None => from = start + 3,
        }
    }
    out
}

fn parse_body(body: &str) -> Option<Placeholder> {
    if body == "outputs.output_file" {
        return Some(Placeholder::OutputMetadataFile);
    }
    if let Some(rest) = body.strip_prefix("inputs.parameters['") {
        let (name, rest) = rest.split_once("']")?;
        let json_escape = match rest {
            "" => 0,
            _ => rest
                .strip_prefix(".json_escape[")?
                .strip_suffix(']')?
                .parse()
                .ok()
                .filter(|n| *n > 0)?,
        };
        return Some(Placeholder::InputParameter {
            name: name.to_owned(),
            json_escape,
        });
    }
    if let Some(rest) = body.strip_prefix("outputs.parameters['") {
        let name = rest.strip_suffix("'].output_file")?;
        return (!name.contains('\'')).then(|| Placeholder::OutputParameterFile(name.to_owned()));
    }
    for (prefix, input) in [("inputs.artifacts['", true), ("outputs.artifacts['", false)] {
        let Some(rest) = body.strip_prefix(prefix) else {
            continue;
        };
        let (name, rest) = rest.split_once("']")?;
        let name = name.to_owned();
        if rest.is_empty() {
            return input.then_some(Placeholder::InputArtifactList(name));
        }
        let field = match rest {
            ".uri" => ArtifactField::Uri,
            ".path" => ArtifactField::Path,
            ".metadata" => ArtifactField::Metadata,
            _ => ArtifactField::MetadataKey(
                rest.strip_prefix(".metadata['")?
                    .strip_suffix("']")?
                    .to_owned(),
            ),
        };
        return Some(if input {
            Placeholder::InputArtifact { name, field }
        } else {
            Placeholder::OutputArtifact { name, field }
        });
    }
    let runtime = body.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    (runtime && !body.is_empty()).then(|| Placeholder::Runtime(body.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_placeholder_reads_back_as_written() {
        let all = [
            Placeholder::ExecutorInput,
            Placeholder::InputParameter {
                name: "pipelinechannel--task-Output".into(),
                json_escape: 0,
            },
            Placeholder::InputParameter {
                name: "x".into(),
                json_escape: 2,
            },
            Placeholder::InputArtifact {
                name: "a".into(),
                field: ArtifactField::Uri,
            },
            Placeholder::InputArtifact {
                name: "a".into(),
                field: ArtifactField::MetadataKey("rows".into()),
            },
            Placeholder::InputArtifactList("many".into()),
            Placeholder::OutputArtifact {
                name: "m".into(),
                field: ArtifactField::Metadata,
            },
            Placeholder::OutputParameterFile("sum".into()),
            Placeholder::OutputMetadataFile,
            Placeholder::Runtime("pipeline_job_name".into()),
        ];
        for p in all {
            assert_eq!(parse(&p.to_string()), Some(p.clone()), "{p}");
        }
        assert_eq!(PIPELINE_TASK_ID, "{{$.pipeline_task_uuid}}");
        assert_eq!(
            parse(PIPELINE_JOB_CREATE_TIME_UTC),
            Some(Placeholder::Runtime("pipeline_job_create_time_utc".into()))
        );
    }

    #[test]
    fn other_text_is_not_a_placeholder() {
        for text in [
            "{{$.inputs.parameters['x']",
            "{{$.outputs.artifacts['y']}}",
            "{{$.inputs.parameters['x'].json_escape[0]}}",
            "{{$.Weird}}",
            "{{$.}}",
            "plain",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
        assert!(find("{{$ nothing }} {{$.inputs.parameters['a']}}").len() == 1);
    }
}
