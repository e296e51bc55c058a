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
