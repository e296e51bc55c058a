//! The container of a Rust-native component: the pipeline binary itself,
//! told which function to run, in the image the binary's settings name.

use std::cell::RefCell;

use kfp_compiler::graph;

/// Settings of the binary that shape native components.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// The image of native components that set none.
    pub(crate) default_image: String,
    /// The path of the pipeline binary inside the image.
    pub(crate) binary_path: String,
}

impl Default for Settings {
    fn default() -> Self {
        let name = binary_name();
        Settings {
            default_image: format!("{name}:latest"),
            binary_path: format!("/usr/local/bin/{name}"),
        }
    }
}

/// The file name of the running binary (`pipeline` if unknown).
pub(crate) fn binary_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "pipeline".to_owned())
}

thread_local! {
    static SETTINGS: RefCell<Option<Settings>> = const { RefCell::new(None) };
}

/// Replaces the native-component settings for this thread.
pub(crate) fn set_settings(settings: Settings) {
    SETTINGS.with(|s| *s.borrow_mut() = Some(settings));
}

/// The native-component settings of this thread (the defaults when none
/// were set).
pub(crate) fn settings() -> Settings {
    SETTINGS.with(|s| s.borrow().clone().unwrap_or_default())
}

/// The container of a Rust-native component: the pipeline binary, told to
/// run `function`, in `image` or the binary's default image.
pub fn native_container(function: &str, image: Option<&str>) -> graph::ContainerSpec {
    let settings = settings();
    graph::ContainerSpec::new(image.map_or(settings.default_image, str::to_owned))
        .command([settings.binary_path])
        .args([
            graph::Arg::literal("--executor_input"),
            graph::Arg::ExecutorInput,
            graph::Arg::literal("--function_to_execute"),
            graph::Arg::literal(function),
        ])
}
