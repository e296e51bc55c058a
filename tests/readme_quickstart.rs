//! The README's quick start shows `examples/quickstart.rs` and the YAML it
//! compiles to: both must be what the project really has and writes. It
//! runs locally as `examples/README.md` says. The README's example of JSON
//! defaults is `train` below, and compiles to those defaults.

mod local_runs;

use std::collections::BTreeMap;

use kfp_dsl::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::json;

// The README's example of JSON defaults, as it shows it.
#[derive(Serialize, Deserialize)]
struct Layer {
    kind: String,
    units: i64,
}
kfp_dsl::struct_parameter!(Layer);

#[component]
fn train(
    #[kfp(default = json!({"depth": 3, "width": 8}))] config: BTreeMap<String, i64>,
    #[kfp(default = json!({"kind": "dense", "units": 64}))] layer: Layer,
) -> String {
    format!("{config:?} {} {}", layer.kind, layer.units)
}

#[pipeline]
fn train_with_defaults() {
    train();
}

#[test]
fn the_readme_shows_json_defaults_that_compile_to_kfp_defaults() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let source = std::fs::read_to_string(format!("{root}/tests/readme_quickstart.rs")).unwrap();
    let shown = block_after(&readme, "A default for a map", "rust");
    assert!(
        source.contains(shown),
        "the README's JSON-default example is not `train` of tests/readme_quickstart.rs"
    );

    let spec = kfp_dsl::compile(train_with_defaults::ENTRY).unwrap().spec;
    let inputs = serde_json::to_value(&spec.components["comp-train"].input_definitions)
        .unwrap()["parameters"]
        .clone();
    assert_eq!(
        inputs["config"]["defaultValue"],
        json!({"depth": 3.0, "width": 8.0})
    );
    assert_eq!(inputs["config"]["parameterType"], "STRUCT");
    assert_eq!(
        inputs["layer"]["defaultValue"],
        json!({"kind": "dense", "units": 64.0})
    );
    assert_eq!(inputs["layer"]["parameterType"], "STRUCT");
}

#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;

#[test]
fn the_quickstart_runs_locally() {
    local_runs::check("quickstart", quickstart::word_count::ENTRY);
}

/// The fenced block of `lang` that follows `marker` in the README.
fn block_after<'a>(readme: &'a str, marker: &str, lang: &str) -> &'a str {
    let rest = &readme[readme.find(marker).expect("marker in README")..];
    let open = format!("```{lang}\n");
    let start = rest.find(&open).expect("code block") + open.len();
    let end = rest[start..].find("```").expect("closing fence");
    &rest[start..start + end]
}

#[test]
fn the_readme_shows_the_quickstart_source_and_its_output() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).unwrap();
    let source = std::fs::read_to_string(format!("{root}/examples/quickstart.rs")).unwrap();

    let shown_source = block_after(&readme, "## Quick start", "rust");
    assert!(
        source.contains(shown_source),
        "the README's quick-start code is not examples/quickstart.rs"
    );

    // Compiled with the image the example's `main` gives, and the command
    // path the binary has in that image.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("word-count.yaml");
    let status = kfp_dsl::run_with_args(
        quickstart::word_count::ENTRY,
        Some("ghcr.io/acme/word-count:0.1"),
        ["quickstart", "compile", "-o", path.to_str().unwrap()],
    );
    assert_eq!(status, 0);
    let written = std::fs::read_to_string(&path).unwrap();
    let shown = block_after(&readme, "`cargo run --example quickstart` writes", "yaml");
    // The executor command is the binary's path in the image, which depends
    // on the binary's name: the test binary is not called `quickstart`.
    let normalize = |text: &str| {
        text.lines()
            .map(|line| {
                if line.trim_start().starts_with("- /usr/local/bin/") {
                    "        - /usr/local/bin/BINARY".to_owned()
                } else {
                    line.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(normalize(shown), normalize(&written));
    if let Some(out) = std::env::var_os("KFP_IR_OUT_DIR") {
        let out = std::path::Path::new(&out).join("examples");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("quickstart.yaml"), &written).unwrap();
    }
}
