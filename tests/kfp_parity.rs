//! Pipelines written twice, in Python for kfp 2.17 (`kfp_parity/<stem>.py`,
//! compiled by kfp into the committed `kfp_parity/<stem>.yaml`) and in Rust
//! (`kfp_parity/<stem>.rs`), compile to the same IR: the DSL features kfp's
//! golden files do not show (issue 14), compared as the golden examples are
//! (`golden::check`). Regenerate a YAML file with
//! `$KFP_PYTHON tests/kfp_parity/<stem>.py`.

mod golden;

use std::path::Path;

use kfp_dsl::{Overrides, PipelineEntry};

/// One test per pipeline: `stem = "file" => pipeline` compiles `pipeline`
/// of `kfp_parity/<file>` and compares it with `kfp_parity/<stem>.yaml`.
macro_rules! parity {
    ($($stem:ident = $file:literal => $pipeline:ident;)*) => {
        $(
            #[allow(dead_code)]
            #[path = $file]
            mod $stem;

            #[test]
            fn $stem() {
                check(stringify!($stem), $stem::$pipeline::ENTRY);
            }
        )*
    };
}

parity! {
    python_input_names = "kfp_parity/python_input_names.rs" => python_input_names;
    struct_defaults = "kfp_parity/struct_defaults.rs" => struct_defaults;
    kubernetes_runtime_settings =
        "kfp_parity/kubernetes_runtime_settings.rs" => kubernetes_runtime_settings;
    setting_reads_later_task = "kfp_parity/setting_reads_later_task.rs" => setting_reads_later_task;
    one_of_some_branches = "kfp_parity/one_of_some_branches.rs" => one_of_some_branches;
    kubernetes_runtime_names =
        "kfp_parity/kubernetes_runtime_names.rs" => kubernetes_runtime_names;
    workspace_and_nested_values =
        "kfp_parity/workspace_and_nested_values.rs" => workspace_and_nested_values;
    pipeline_config_lifetime = "kfp_parity/pipeline_config_lifetime.rs" => pipeline_config_lifetime;
}

fn check(stem: &str, entry: PipelineEntry) {
    let yaml = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/kfp_parity")
        .join(format!("{stem}.yaml"));
    golden::check(stem, &yaml, entry, &Overrides::default());
}
