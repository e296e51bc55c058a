//! With no arguments a pipeline binary writes `<pipeline-name>.yaml` in the
//! current folder. (Its own test binary: it changes the current folder.)

use kfp_dsl::prelude::*;

#[container_component]
fn say(text: String) -> ContainerSpec {
    ContainerSpec::new("alpine").command(("echo", text))
}

#[pipeline(name = "say-hello")]
fn say_hello(#[kfp(default = "hello")] text: String) {
    say(text);
}

#[test]
fn no_arguments_write_the_pipeline_name_dot_yaml_here() {
    let dir = tempfile::tempdir().unwrap();
    std::env::set_current_dir(dir.path()).unwrap();
    assert_eq!(kfp_dsl::run_with_args(say_hello::ENTRY, None, ["bin"]), 0);
    let text = std::fs::read_to_string(dir.path().join("say-hello.yaml")).unwrap();
    assert!(
        text.starts_with("# PIPELINE DEFINITION\n# Name: say-hello\n"),
        "{text}"
    );
    assert_eq!(
        kfp_dsl::run_with_args(say_hello::ENTRY, None, ["bin", "--json"]),
        0
    );
    assert!(dir.path().join("say-hello.json").is_file());
}
