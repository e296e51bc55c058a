//! A pipeline file read without its checks: stage 1 only (text, YAML or
//! JSON, the size limit), for a caller told to send a file on as it is
//! (`kfp run create --no-validate`), say to a newer KFP server whose IR
//! has fields this schema does not know.

use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::{Format, ValidationError, parse};
use crate::diagnostic::Document;
use crate::file::{FileError, Source};
use crate::pipeline_spec::ComponentInputsSpec;

/// A pipeline file's documents as JSON values, neither checked against
/// the schema nor against the backend's rules: the pipeline spec and, when
/// there is one, the platform spec (kfp writes at most these two).
#[derive(Clone, Debug, PartialEq)]
pub struct UncheckedFile {
    /// The first document, the `PipelineSpec`.
    pub spec: Value,
    /// The second document, the `PlatformSpec`, if the file has one.
    pub platform: Option<Value>,
}

impl UncheckedFile {
    /// Reads pipeline text into its documents, unchecked.
    ///
    /// ```
    /// use kfp_ir_schema::validate::{Format, UncheckedFile};
    ///
    /// // `futureField` is not in the 2.1.0 schema: not checked here.
    /// let text = "pipelineInfo: {name: demo}\nfutureField: 1\nroot:\n  inputDefinitions:\n    parameters:\n      n: {parameterType: NUMBER_INTEGER}\n";
    /// let file = UncheckedFile::from_str(text, Format::Yaml).unwrap();
    /// assert_eq!(file.name(), Some("demo"));
    /// assert!(file.root_inputs().unwrap().parameters.contains_key("n"));
    /// assert!(UncheckedFile::from_str("a: [", Format::Yaml).is_err());
    /// ```
    ///
    /// # Errors
    /// Text over the size limit, that is not YAML (or JSON), that holds no
    /// document or more than two, or whose first document is not an
    /// object.
    pub fn from_str(text: &str, format: Format) -> Result<Self, ValidationError> {
        if text.len() > super::MAX_FILE_SIZE {
            return Err(super::too_large(Some(text.len() as u64)));
        }
        let mut documents = parse(text, format)?.into_iter().map(|d| d.value);
        let spec = documents.next().unwrap_or_default();
        if !spec.is_object() {
            return Err(ValidationError::one(
                Document::PipelineSpec,
                "",
                None,
                "expected a PipelineSpec object".to_owned(),
            ));
        }
        let platform = documents.next();
        if documents.next().is_some() {
            return Err(ValidationError::one(
                Document::File,
                "",
                None,
                "the file holds more than two documents: expected a PipelineSpec and at most one PlatformSpec".to_owned(),
            ));
        }
        Ok(UncheckedFile { spec, platform })
    }

    /// Reads a pipeline file into its documents, unchecked; the file is read
    /// and its format found as for [`PipelineFile::read`](crate::PipelineFile::read)
    /// (a regular file, at most the size limit).
    ///
    /// # Errors
    /// As [`from_str`](Self::from_str), and when the file cannot be read.
    pub fn read(path: impl AsRef<Path>) -> Result<Self, FileError> {
        let path = path.as_ref();
        let source = Source::File(path);
        let text = source.read_text()?;
        Self::from_str(&text, source.format(&text)).map_err(|source| FileError::Invalid {
            path: path.to_owned(),
            source,
        })
    }

    /// `pipelineInfo.name`, when it is a string.
    pub fn name(&self) -> Option<&str> {
        self.spec.get("pipelineInfo")?.get("name")?.as_str()
    }

    /// The root's `inputDefinitions`, when they read as the 2.1.0 type.
    pub fn root_inputs(&self) -> Option<ComponentInputsSpec> {
        let inputs = self.spec.get("root")?.get("inputDefinitions")?;
        ComponentInputsSpec::deserialize(inputs).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_spec_and_its_platform_are_read_as_they_are() {
        let text = "pipelineInfo: {name: 7}\nroot: {inputDefinitions: {parameters: {n: 1}}}\n---\nplatforms: {x: {}}\n";
        let file = UncheckedFile::from_str(text, Format::Yaml).unwrap();
        assert_eq!(file.platform, Some(json!({"platforms": {"x": {}}})));
        assert_eq!(file.name(), None, "a name that is not a string");
        assert_eq!(file.root_inputs(), None, "inputs that are not the type");
        let json = UncheckedFile::from_str(r#"{"pipelineInfo": {"name": "j"}}"#, Format::Json);
        assert_eq!(json.unwrap().name(), Some("j"));
    }

    #[test]
    fn what_is_not_a_pipeline_file_at_all_is_refused() {
        for (text, expected) in [
            ("", "no document"),
            ("[1]", "expected a PipelineSpec object"),
            ("a: 1\n---\nb: 1\n---\nc: 1\n", "more than two documents"),
        ] {
            let err = UncheckedFile::from_str(text, Format::Yaml).unwrap_err();
            assert!(err.to_string().contains(expected), "{text:?}: {err}");
        }
    }
}
