//! Pipelines and pipeline versions.

use std::collections::BTreeMap;

use kfp_ir_schema::{PipelineFile, PipelineSpec, PlatformSpec};
use serde::{Deserialize, Serialize};

use super::Status;

/// A stored pipeline (`v2beta1Pipeline`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Pipeline {
    /// Server-assigned id.
    pub pipeline_id: String,
    /// The name shown in the UI.
    pub display_name: String,
    /// The unique name (within its namespace).
    pub name: String,
    /// Free text.
    pub description: String,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// The namespace; empty for shared pipelines.
    pub namespace: String,
    /// Set when the server failed to read the pipeline.
    pub error: Option<Status>,
    /// User tags.
    pub tags: BTreeMap<String, String>,
}

/// A location of a pipeline package (`v2beta1Url`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageUrl {
    /// An https URL of the pipeline package.
    pub pipeline_url: String,
}

/// A version of a stored pipeline (`v2beta1PipelineVersion`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PipelineVersion {
    /// The pipeline this version belongs to.
    pub pipeline_id: String,
    /// Server-assigned id.
    pub pipeline_version_id: String,
    /// The name shown in the UI.
    pub display_name: String,
    /// The unique name (within its pipeline).
    pub name: String,
    /// Free text.
    pub description: String,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// Where the package was read from, when created from a URL.
    pub package_url: Option<PackageUrl>,
    /// A link to the source code.
    pub code_source_url: String,
    /// The pipeline spec (or `{pipeline_spec, platform_spec}`), as JSON.
    pub pipeline_spec: Option<serde_json::Value>,
    /// Set when the server failed to read the version.
    pub error: Option<Status>,
    /// User tags.
    pub tags: BTreeMap<String, String>,
}

impl PipelineVersion {
    /// The version's pipeline as typed IR: its spec, and its platform spec
    /// when the server sent the `{pipeline_spec, platform_spec}` wrapper;
    /// `None` when the server sent no spec.
    ///
    /// # Errors
    /// When the spec is not IR that kfp-ir-schema reads.
    pub fn pipeline(&self) -> Result<Option<PipelineFile>, serde_json::Error> {
        /// The wrapper the server keeps a pipeline with platform settings in.
        #[derive(Deserialize)]
        struct WithPlatform {
            pipeline_spec: PipelineSpec,
            #[serde(default)]
            platform_spec: Option<PlatformSpec>,
        }
        let Some(value) = &self.pipeline_spec else {
            return Ok(None);
        };
        let (spec, platform) = if value.get("pipeline_spec").is_some() {
            let wrapper = WithPlatform::deserialize(value)?;
            (wrapper.pipeline_spec, wrapper.platform_spec)
        } else {
            (PipelineSpec::deserialize(value)?, None)
        };
        Ok(Some(PipelineFile {
            spec,
            platform,
            description: None,
        }))
    }
}

/// A page of pipelines.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListPipelinesResponse {
    /// The pipelines of this page.
    pub pipelines: Vec<Pipeline>,
    /// The number of pipelines matching the filter, over all pages.
    pub total_size: i32,
    /// The token of the next page; empty on the last page.
    pub next_page_token: String,
}

/// A page of pipeline versions.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListPipelineVersionsResponse {
    /// The versions of this page.
    pub pipeline_versions: Vec<PipelineVersion>,
    /// The number of versions matching the filter, over all pages.
    pub total_size: i32,
    /// The token of the next page; empty on the last page.
    pub next_page_token: String,
}

/// A pipeline package to upload with multipart `uploadfile`, and the query
/// parameters that go with it.
///
/// The file name decides how the server parses the package: `.yaml`,
/// `.yml` and `.json` are read as is; zip and tar.gz are sniffed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PipelineUpload {
    /// The file name sent in the multipart part, e.g. `pipeline.yaml`.
    pub file_name: String,
    /// The package bytes (at most 32 MiB).
    pub content: Vec<u8>,
    /// The unique name; kfp.Client sends `pipelineInfo.name`. When absent the
    /// server takes `display_name`, then the file name.
    pub name: Option<String>,
    /// The name shown in the UI.
    pub display_name: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// The namespace (pipelines only; versions inherit their pipeline's).
    pub namespace: Option<String>,
    /// A link to the source code.
    pub code_source_url: Option<String>,
    /// User tags, sent as a JSON map.
    pub tags: BTreeMap<String, String>,
}

impl PipelineUpload {
    /// An upload of `content` under `file_name`, with no metadata.
    pub fn new(file_name: impl Into<String>, content: impl Into<Vec<u8>>) -> Self {
        Self {
            file_name: file_name.into(),
            content: content.into(),
            ..Self::default()
        }
    }

    /// The query pairs of the upload, without empty values. `namespace` is
    /// left out for a version upload, which has no such parameter.
    pub(crate) fn query(&self, version_of: Option<&str>) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        let mut push = |key: &'static str, value: Option<&str>| {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                q.push((key, v.to_owned()));
            }
        };
        push("name", self.name.as_deref());
        push("display_name", self.display_name.as_deref());
        push("pipelineid", version_of);
        push("description", self.description.as_deref());
        if version_of.is_none() {
            push("namespace", self.namespace.as_deref());
        }
        push("code_source_url", self.code_source_url.as_deref());
        if !self.tags.is_empty() {
            q.push((
                "tags",
                serde_json::to_string(&self.tags).unwrap_or_default(),
            ));
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn version(spec: serde_json::Value) -> PipelineVersion {
        PipelineVersion {
            pipeline_spec: Some(spec),
            ..PipelineVersion::default()
        }
    }

    #[test]
    fn a_version_reads_its_spec_bare_or_wrapped() {
        let spec = json!({"pipelineInfo": {"name": "demo"}, "root": {"inputDefinitions": {
            "parameters": {"n": {"parameterType": "NUMBER_INTEGER"}}}}});
        let bare = version(spec.clone()).pipeline().unwrap().unwrap();
        assert_eq!(bare.spec.name(), Some("demo"));
        assert!(
            bare.spec
                .root_inputs()
                .unwrap()
                .parameters
                .contains_key("n")
        );
        assert_eq!(bare.platform, None);

        let wrapped = version(json!({
            "pipeline_spec": spec,
            "platform_spec": {"platforms": {"kubernetes": {}}}
        }));
        let wrapped = wrapped.pipeline().unwrap().unwrap();
        assert_eq!(wrapped.spec, bare.spec);
        assert!(wrapped.platform_settings().is_some());

        assert_eq!(PipelineVersion::default().pipeline().unwrap(), None);
        assert!(version(json!({"root": {"bogus": 1}})).pipeline().is_err());
    }
}
