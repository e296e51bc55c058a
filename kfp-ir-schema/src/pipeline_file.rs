//! [`PipelineFile`]: what a pipeline file holds. [`crate::validate`] reads
//! one and [`crate::file`] writes it; both build on this module.

use crate::pipeline_spec::{PipelineSpec, PlatformSpec};

/// A pipeline file: the pipeline spec and its optional platform spec.
///
/// [`crate::file`] reads it ([`PipelineFile::read`],
/// [`PipelineFile::from_str`]) and writes it ([`PipelineFile::write`],
/// [`PipelineFile::to_yaml`]) as kfp does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PipelineFile {
    /// The first document.
    pub spec: PipelineSpec,
    /// The platform documents, merged into one, when the file has any.
    pub platform: Option<PlatformSpec>,
    /// The description of the YAML header comment, when it is not
    /// `pipelineInfo.description` (`None`: the header shows that one).
    /// kfp writes the docstring of a component compiled on its own there
    /// but not in `pipelineInfo`, and `load_component_from_file` reads the
    /// component's description back from it; reading a YAML file keeps it.
    pub description: Option<String>,
}

impl PipelineFile {
    /// The platform spec when it configures any platform: what kfp writes
    /// as the second YAML document, and what a run sends beside the
    /// pipeline spec. An empty platform spec is as good as none.
    pub fn platform_settings(&self) -> Option<&PlatformSpec> {
        self.platform.as_ref().filter(|p| !p.platforms.is_empty())
    }
}
