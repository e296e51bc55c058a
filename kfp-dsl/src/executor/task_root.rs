//! The task root of the component running on this thread, and
//! [`get_uri`], kfp's `dsl.get_uri`: a URI for an artifact the function
//! makes itself.

use std::cell::RefCell;
use std::path::Path;

use kfp_ir_schema::executor::{ExecutorInput, remote_uri};

use super::error::ExecutorError;

/// The task root where kfp's `dsl.get_uri` is not supported: the folder
/// of the executor output on the KFP backend.
const BACKEND_TASK_ROOT: &str = "/tmp/kfp_outputs";

thread_local! {
    /// The task root of the run on this thread, if any.
    static TASK_ROOT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// While it lives, the task root of this thread is a run's: the folder of
/// its executor output (`outputs.outputFile`), as kfp's executor sets
/// `CONTAINER_TASK_ROOT`. The one before is back when it is dropped.
pub(super) struct TaskRootScope {
    previous: Option<String>,
}

impl TaskRootScope {
    /// Makes the task root of `input` this thread's.
    pub(super) fn enter(input: &ExecutorInput) -> Self {
        let root = input
            .outputs
            .as_ref()
            .filter(|o| !o.output_file.is_empty())
            .map(|o| {
                Path::new(&o.output_file)
                    .parent()
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_default()
            });
        TaskRootScope {
            previous: TASK_ROOT.with(|r| r.replace(root)),
        }
    }
}

impl Drop for TaskRootScope {
    fn drop(&mut self) {
        let previous = self.previous.take();
        TASK_ROOT.with(|r| *r.borrow_mut() = previous);
    }
}

/// A URI for an artifact the running component makes itself (kfp's
/// `dsl.get_uri(suffix)`): the remote form of the task root (the folder of
/// the executor output; `/gcs/…` read back as `gs://…`, see
/// [`remote_uri`]) joined with `suffix`. kfp's default suffix is
/// `"Output"`; give each artifact of a function its own.
///
/// ```
/// use kfp_dsl::prelude::*;
///
/// #[component]
/// fn make_dataset(text: String) -> Result<Output<Dataset>, Box<dyn std::error::Error>> {
///     let dataset = Output::<Dataset>::at(get_uri("Output")?)?;
///     dataset.set_metadata("length", text.len());
///     std::fs::write(dataset.path(), &text)?;
///     Ok(dataset)
/// }
///
/// fn main() {
///     // Outside a component's run there is no task root.
///     assert!(get_uri("data").is_err());
/// }
/// ```
///
/// # Errors
/// Outside a component's run, [`ExecutorError::NoTaskRoot`], as kfp
/// raises. On the KFP backend, whose task root is `/tmp/kfp_outputs`
/// (not object storage), [`ExecutorError::GetUriUnsupported`]: kfp warns
/// and returns `""` there, an artifact nothing would upload; kfp-rs makes
/// it an error on purpose, so that the function gives a URI of its own.
pub fn get_uri(suffix: &str) -> Result<String, ExecutorError> {
    let root = TASK_ROOT
        .with(|r| r.borrow().clone())
        .ok_or(ExecutorError::NoTaskRoot)?;
    if root == BACKEND_TASK_ROOT {
        return Err(ExecutorError::GetUriUnsupported { root });
    }
    Ok(join(&remote_uri(&root), suffix))
}

/// Python's `os.path.join(root, suffix)`.
fn join(root: &str, suffix: &str) -> String {
    if suffix.starts_with('/') || root.is_empty() {
        suffix.to_owned()
    } else if root.ends_with('/') {
        format!("{root}{suffix}")
    } else {
        format!("{root}/{suffix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(output_file: &str) -> ExecutorInput {
        serde_json::from_value(serde_json::json!({"outputs": {"outputFile": output_file}})).unwrap()
    }

    #[test]
    fn the_task_root_is_the_executor_outputs_folder_in_its_remote_form() {
        assert!(matches!(get_uri("x"), Err(ExecutorError::NoTaskRoot)));
        {
            let _run = TaskRootScope::enter(&input("/gcs/b/p/run/train/executor_output.json"));
            assert_eq!(get_uri("model").unwrap(), "gs://b/p/run/train/model");
            {
                let _inner =
                    TaskRootScope::enter(&input("/tmp/home/runs/1/gen/executor_output.json"));
                assert_eq!(get_uri("Output").unwrap(), "/tmp/home/runs/1/gen/Output");
            }
            assert_eq!(get_uri("m/").unwrap(), "gs://b/p/run/train/m/");
        }
        assert!(matches!(get_uri("x"), Err(ExecutorError::NoTaskRoot)));
    }

    #[test]
    fn on_the_kfp_backend_get_uri_is_an_error_not_an_empty_uri() {
        let _run = TaskRootScope::enter(&input("/tmp/kfp_outputs/output_metadata.json"));
        let error = get_uri("model").unwrap_err();
        assert!(error.to_string().contains("/tmp/kfp_outputs"), "{error}");
    }

    #[test]
    fn suffixes_join_as_python_joins_paths() {
        assert_eq!(join("gs://b/t", "a"), "gs://b/t/a");
        assert_eq!(join("gs://b/t/", "a"), "gs://b/t/a");
        assert_eq!(join("gs://b/t", "/abs"), "/abs");
        assert_eq!(join("", "a"), "a");
    }
}
