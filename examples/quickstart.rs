//! The README's quick start: a Rust-native component, a container component
//! and a pipeline that wires them.
//!
//! `cargo run --example quickstart` writes `word-count.yaml`.

use kfp_dsl::prelude::*;

/// Counts the words of a text and saves the text as a dataset.
#[component]
fn count_words(text: String, corpus: Output<Dataset>) -> i64 {
    std::fs::write(corpus.path(), &text).expect("write the dataset");
    text.split_whitespace().count() as i64
}

/// Prints a dataset with `cat`.
#[container_component]
fn show(corpus: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new("alpine:3.20").command(("cat", corpus.path()))
}

/// Counts words, then shows the text.
#[pipeline(name = "word-count")]
pub fn word_count(#[kfp(default = "hello kubeflow from rust")] text: String) -> i64 {
    let counted = count_words(text).set_cpu_limit("500m");
    show(counted.outputs().corpus);
    counted.output()
}

fn main() -> std::process::ExitCode {
    kfp_dsl::main!(word_count, image = "ghcr.io/acme/word-count:0.1")
}
