//! KFP's pipeline workspace (`dsl.PipelineConfig(workspace=...)`): a volume
//! that every task of a run shares, mounted at [`MOUNT_PATH`]. Tasks reach
//! it through the `{{$.workspace_path}}` placeholder
//! ([`placeholder::WORKSPACE_PATH`](crate::placeholder::WORKSPACE_PATH)),
//! and an importer with `downloadToWorkspace` downloads its artifact into
//! it. This module holds KFP's rules about it: when a pipeline uses it,
//! which sizes kfp accepts, and where an artifact lands in it.
//!
//! ```
//! use kfp_ir_schema::workspace;
//!
//! assert!(workspace::uses_workspace("{{$.workspace_path}}/data"));
//! assert!(workspace::uses_workspace("/kfp-workspace/data"));
//! assert!(!workspace::uses_workspace("/tmp/data"));
//! assert_eq!(workspace::check_size(" 1Gi "), Ok("1Gi"));
//! assert!(workspace::check_size("1 GB").is_err());
//! assert_eq!(
//!     workspace::artifact_path("gs://bucket/data.csv").unwrap(),
//!     std::path::Path::new(".artifacts/gcs/bucket/data.csv"),
//! );
//! ```

use std::path::PathBuf;

use crate::ValueOrRuntimeParameter;
use crate::executor::{UriError, local_path};
use crate::placeholder::WORKSPACE_PATH;
use crate::{ComponentImplementation, ExecutorSpec, InputParameterKind, PipelineSpec};

/// Where the backend mounts the workspace in a task's container
/// (`dsl.constants.WORKSPACE_MOUNT_PATH`).
pub const MOUNT_PATH: &str = "/kfp-workspace";

/// Whether a task input's text uses the workspace, as kfp's compiler
/// decides it: it holds `{{$.workspace_path}}` or starts with
/// [`MOUNT_PATH`].
pub fn uses_workspace(text: &str) -> bool {
    text.contains(WORKSPACE_PATH) || text.starts_with(MOUNT_PATH)
}

/// A workspace size that kfp refuses (`WorkspaceConfig.size`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    /// No size, or only spaces.
    #[error("Workspace size is required and cannot be empty")]
    Empty,
    /// Not a Kubernetes quantity.
    #[error(
        "Workspace size \"{0}\" is invalid. Must be a valid Kubernetes resource quantity (e.g., \"10Gi\", \"500Mi\", \"1Ti\")"
    )]
    Invalid(String),
}

/// The workspace size as kfp writes it (spaces around it trimmed), if kfp
/// accepts it: a Kubernetes quantity matching
/// `^(0|[1-9]\d*)(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|K|M|G|T|P|E)?$`.
///
/// # Errors
/// [`SizeError`], with kfp's message.
pub fn check_size(size: &str) -> Result<&str, SizeError> {
    let trimmed = size.trim();
    if trimmed.is_empty() {
        return Err(SizeError::Empty);
    }
    const UNITS: [&str; 12] = [
        "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "K", "M", "G", "T", "P", "E",
    ];
    let number = UNITS
        .iter()
        .find_map(|unit| trimmed.strip_suffix(unit))
        .unwrap_or(trimmed);
    let (int, frac) = match number.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (number, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let int_ok = digits(int) && (int == "0" || !int.starts_with('0'));
    if int_ok && frac.is_none_or(digits) {
        Ok(trimmed)
    } else {
        Err(SizeError::Invalid(size.to_owned()))
    }
}

/// Where the launcher downloads an artifact into the workspace, relative
/// to the workspace (`LocalWorkspacePathForURI` without its mount path):
/// `.artifacts/` and the URI's local path ([`local_path`]).
///
/// # Errors
/// A URI the launcher cannot map, and an `oci://` URI, which the
/// workspace does not take.
pub fn artifact_path(uri: &str) -> Result<PathBuf, UriError> {
    if uri.starts_with("oci://") {
        return Err(UriError::OciInWorkspace(uri.to_owned()));
    }
    let path = local_path(uri)?;
    let relative = path.strip_prefix("/").unwrap_or(&path);
    Ok(PathBuf::from(".artifacts").join(relative))
}

/// Something in a pipeline spec that needs the workspace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Use {
    /// A task input given a constant that uses the workspace
    /// ([`uses_workspace`]).
    TaskInput {
        /// The key of the component whose DAG has the task (`root` for
        /// the root).
        component: String,
        /// The task.
        task: String,
        /// The input.
        input: String,
    },
    /// An importer that downloads its artifact into the workspace.
    Importer {
        /// The importer's executor label.
        executor: String,
    },
}

/// The first thing in `spec` that needs the workspace, in the order of
/// kfp's checks: a task input of any DAG, then an importer with
/// `downloadToWorkspace`.
pub fn first_use(spec: &PipelineSpec) -> Option<Use> {
    let dags = spec
        .root
        .iter()
        .map(|root| ("root", root))
        .chain(spec.components.iter().map(|(k, c)| (k.as_str(), c)));
    for (component, spec) in dags {
        let Some(ComponentImplementation::Dag(dag)) = &spec.implementation else {
            continue;
        };
        for (task, task_spec) in dag.tasks.iter() {
            let parameters = task_spec.inputs.iter().flat_map(|i| i.parameters.iter());
            for (input, parameter) in parameters {
                if let Some(InputParameterKind::RuntimeValue(ValueOrRuntimeParameter::Constant(
                    serde_json::Value::String(text),
                ))) = &parameter.kind
                    && uses_workspace(text)
                {
                    return Some(Use::TaskInput {
                        component: component.to_owned(),
                        task: task.to_string(),
                        input: input.to_string(),
                    });
                }
            }
        }
    }
    let mut executors = spec.deployment_spec.iter().flat_map(|d| d.executors.iter());
    executors.find_map(|(label, executor)| match executor {
        ExecutorSpec::Importer(importer) if importer.download_to_workspace => Some(Use::Importer {
            executor: label.to_string(),
        }),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_kfps_regex() {
        for ok in ["1Gi", "0", "10", "1.5Ti", "250Mi", "3E", " 2G "] {
            assert!(check_size(ok).is_ok(), "{ok}");
        }
        for bad in ["01Gi", "1.Gi", ".5Gi", "1GB", "1 Gi", "-1Gi", "Gi", "1gi"] {
            assert_eq!(
                check_size(bad),
                Err(SizeError::Invalid(bad.to_owned())),
                "{bad}"
            );
        }
        assert_eq!(check_size("  "), Err(SizeError::Empty));
    }

    #[test]
    fn artifacts_land_under_dot_artifacts() {
        assert_eq!(
            artifact_path("/tmp/root/ds").unwrap(),
            PathBuf::from(".artifacts/tmp/root/ds")
        );
        assert_eq!(
            artifact_path("minio://b/k").unwrap(),
            PathBuf::from(".artifacts/minio/b/k")
        );
        assert!(artifact_path("oci://r/m:1").is_err());
    }
}
