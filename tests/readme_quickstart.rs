//! The README's quick start shows `examples/quickstart.rs` and the YAML it
//! compiles to: both must be what the project really has and writes. It
//! runs locally as `examples/README.md` says.

mod local_runs;

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
