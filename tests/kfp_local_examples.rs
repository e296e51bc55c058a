//! The executor against a third party's executor input: examples run by
//! kfp.local (Python kfp 2.17's local runner, through
//! `../shared/kfp-api/tools/kfp_local_run.py`), each compiled with this
//! test binary in place of the image's path. kfp.local writes the
//! `{{$}}` these Rust components read (numbers as Python's `json` writes
//! them: the integers inside a list as `8.0`), and reads back the
//! executor output they write.
//!
//! Like `container_runner`, this test has its own `main`: run with
//! `--executor_input`, the binary is the executor of the example named by
//! `KFP_RS_EXAMPLE`. It needs a Python with kfp (`$KFP_PYTHON`, else the
//! workspace's `.venv`, which CI makes) and `../shared`, and says that it
//! is skipped without them.

mod kfp_python;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use kfp_dsl::PipelineEntry;
use kfp_ir_schema::ExecutorSpec;

/// How a run by kfp.local ends.
enum Expect {
    /// It succeeds, and kfp.local prints these outputs (any when empty).
    Outputs(&'static str),
    /// It fails, as it does on KFP (a task fails on purpose) or because
    /// kfp.local cannot go on (said where), after these tasks succeeded;
    /// the log says `because`.
    Fails {
        after: &'static [&'static str],
        because: &'static str,
    },
}

/// The examples run: `stem = "file" => pipeline [ARG=JSON, ...] => Expect`.
macro_rules! examples {
    ($($stem:ident = $file:literal => $pipeline:ident [$($arg:literal),*] => $expect:expr;)*) => {
        $(
            #[allow(dead_code)]
            #[path = $file]
            mod $stem;
        )*

        /// The pipeline of the example `stem`.
        fn entry(stem: &str) -> Option<PipelineEntry> {
            match stem {
                $(stringify!($stem) => Some($stem::$pipeline::ENTRY),)*
                _ => None,
            }
        }

        /// Each example's name, arguments and how its run ends.
        const EXAMPLES: &[(&str, &[&str], Expect)] =
            &[$((stringify!($stem), &[$($arg),*], $expect)),*];
    };
}

// The examples made of Rust-native components, but those kfp.local 2.17
// cannot run: it cannot read the outputs of a condition inside a loop
// (`artifacts_complex`, `conditional_producer_and_consumers`: "task
// 'condition-5' not found"), refuses a OneOf over artifacts
// (`if_else_with_oneof_artifacts`), input artifacts of the pipeline it is
// called with (`component_with_metadata_fields`, `input_artifact`,
// `pipeline_with_metadata_fields`), task outputs in resource fields
// (`pipeline_with_string_machine_fields_task_output`), placeholders of
// runtime values (`pipeline_with_placeholders`) and a task's artifact
// given to a sub-pipeline's input (`pythonic_artifacts_with_multiple_returns`:
// "Parent pipeline input argument 'in_dataset' not found"), does not hand an
// artifact's `custom_path` on (`pipeline_with_artifact_custom_path`), and
// does not let a task read a failed task's outputs
// (`pipeline_with_task_using_ignore_upstream_failure`); an `oci://` import
// (`modelcar`) has nothing behind it here, kfp.local ignores the
// Kubernetes settings that other examples' components check (pod metadata,
// secrets, volumes: `pipeline_with_pod_metadata`,
// `create_pod_metadata_complex`, `missing_kubernetes_optional_inputs`,
// `pipeline_with_secret_as_env`, `pipeline_with_secret_as_volume`,
// `pvc_mount`), and `log_streaming_compiled` takes a minute by design.
examples! {
    add_numbers = "../examples/add_numbers.rs" => add_numbers ["a=1", "b=2"]
        => Expect::Outputs("{'Output': 3}");
    artifact_cache = "../examples/artifact_cache.rs" => crust [] => Expect::Outputs("");
    collected_parameters = "../examples/collected_parameters.rs" => collected_param_pipeline []
        => Expect::Outputs("");
    component_with_env_variable =
        "../examples/component_with_env_variable.rs" => pipeline_with_env_variable []
        => Expect::Outputs("{'Output': 'env_var_value'}");
    component_with_optional_inputs =
        "../examples/component_with_optional_inputs.rs" => pipeline [] => Expect::Outputs("");
    concat_message = "../examples/concat_message.rs" => concat_message
        ["message1=\"a\"", "message2=\"b\""] => Expect::Outputs("{'Output': 'ab'}");
    cross_loop_after_topology = "../examples/cross_loop_after_topology.rs" => my_pipeline []
        => Expect::Outputs("");
    dict_input = "../examples/dict_input.rs" => dict_input ["struct={\"a\": 1.0, \"b\": [2]}"]
        => Expect::Outputs("{}");
    flip_coin = "../examples/flip_coin.rs" => flipcoin_pipeline [] => Expect::Outputs("");
    identity = "../examples/identity.rs" => identity ["value=\"x\""]
        => Expect::Outputs("{'Output': 'x'}");
    if_elif_else_complex = "../examples/if_elif_else_complex.rs" => lucky_number_pipeline []
        => Expect::Outputs("");
    if_elif_else_with_oneof_parameters =
        "../examples/if_elif_else_with_oneof_parameters.rs" => outer_pipeline []
        => Expect::Outputs("");
    if_else_with_oneof_parameters =
        "../examples/if_else_with_oneof_parameters.rs" => flip_coin_pipeline []
        => Expect::Outputs("");
    loop_consume_upstream = "../examples/loop_consume_upstream.rs" => loop_consume_upstream []
        => Expect::Outputs("");
    metrics_visualization_v2 =
        "../examples/metrics_visualization_v2.rs" => metrics_visualization_pipeline []
        => Expect::Outputs("");
    mixed_parameters = "../examples/mixed_parameters.rs" => crust [] => Expect::Outputs("");
    multiple_artifacts_namedtuple = "../examples/multiple_artifacts_namedtuple.rs" => crust []
        => Expect::Outputs("");
    multiple_parameters_namedtuple = "../examples/multiple_parameters_namedtuple.rs" => crust []
        => Expect::Outputs("");
    nested_return = "../examples/nested_return.rs" => nested_return []
        => Expect::Outputs("");
    nested_with_parameters = "../examples/nested_with_parameters.rs" => math_pipeline []
        => Expect::Outputs("");
    output_metrics = "../examples/output_metrics.rs" => output_metrics [] => Expect::Outputs("");
    parallel_for_after_dependency =
        "../examples/parallel_for_after_dependency.rs" => loop_with_after_dependency_set []
        => Expect::Outputs("");
    parameter_cache = "../examples/parameter_cache.rs" => crust [] => Expect::Outputs("");
    parameter_oneof = "../examples/parameter_oneof.rs" => crust [] => Expect::Outputs("");
    // The probe of item 11: `simple-add` in the loop gets the doubled
    // numbers collected as `[8.0, 10.0, 12.0]`, and `nested-add` the lists
    // of lists; both read them as integers. Then kfp.local hands the tasks
    // of the third loop, which read values collected out of the first, the
    // loop's item (`0`) instead (Python kfp's own golden fails there too).
    parameters_complex = "../examples/parameters_complex.rs" => math_pipeline []
        => Expect::Fails {
            after: &["simple-add", "nested-add"],
            because: "the input parameter `nums` has the wrong type: expected a list, got `0`",
        };
    // The exit tasks run and read how the group ended (kfp.local writes
    // the final status's keys in snake_case); `fail-op` fails on purpose.
    pipeline_as_exit_task = "../examples/pipeline_as_exit_task.rs" => my_pipeline []
        => Expect::Fails { after: &["get-run-state", "print-op-2"], because: "'fail-op'" };
    pipeline_producer_consumer = "../examples/pipeline_producer_consumer.rs" => math_pipeline []
        => Expect::Outputs("");
    pipeline_with_condition = "../examples/pipeline_with_condition.rs" => my_pipeline []
        => Expect::Outputs("");
    pipeline_with_exit_handler = "../examples/pipeline_with_exit_handler.rs" => my_pipeline []
        => Expect::Fails { after: &["print-op"], because: "'fail-op'" };
    // The status is read; kfp.local says `SUCCEEDED` where the backend
    // says `COMPLETE`, which the example checks.
    pipeline_with_input_status_state =
        "../examples/pipeline_with_input_status_state.rs" => status_state_pipeline []
        => Expect::Fails { after: &["some-task"], because: "left: \"SUCCEEDED\"" };
    pipeline_with_loops = "../examples/pipeline_with_loops.rs" => my_pipeline
        ["loop_parameter=[\"a\", \"b\"]"] => Expect::Outputs("");
    pipeline_with_metrics_outputs =
        "../examples/pipeline_with_metrics_outputs.rs" => my_pipeline [] => Expect::Outputs("");
    pipeline_with_multiple_exit_handlers =
        "../examples/pipeline_with_multiple_exit_handlers.rs" => my_pipeline []
        => Expect::Fails { after: &["print-op", "print-op-2"], because: "'fail-op'" };
    pipeline_with_nested_conditions =
        "../examples/pipeline_with_nested_conditions.rs" => my_pipeline [] => Expect::Outputs("");
    pipeline_with_parallelfor_pipeline_param =
        "../examples/pipeline_with_parallelfor_pipeline_param.rs" => pipeline
        ["loop_parameter=[\"a\", \"b\"]", "prefix=\"p-\""] => Expect::Outputs("");
    pipeline_with_params_containing_format =
        "../examples/pipeline_with_params_containing_format.rs" => my_pipeline []
        => Expect::Outputs("");
    // Components that return the artifacts they make (`get_uri` under
    // kfp.local's task root); `train-model` checks the `length` metadata
    // of the dataset `gen-data` returned.
    pythonic_artifacts_test_pipeline =
        "../examples/pythonic_artifacts_test_pipeline.rs" => pythonic_artifacts_test_pipeline []
        => Expect::Outputs("");
    pythonic_artifacts_with_list_of_artifacts =
        "../examples/pythonic_artifacts_with_list_of_artifacts.rs" => make_and_join_datasets []
        => Expect::Outputs("");
    // Loops over lists of artifacts (`artifactIterator`), which kfp.local
    // iterates: each `print-artifact-name` gets one artifact a sub-pipeline
    // made.
    pipeline_with_parallelfor_list_artifacts_gh_12033 =
        "../examples/pipeline_with_parallelfor_list_artifacts_GH-12033.rs"
        => pipeline_parallelfor_artifacts [] => Expect::Outputs("");
    lightweight_python_functions_with_outputs =
        "../examples/lightweight_python_functions_with_outputs.rs" => pipeline
        ["first_message=\"Hello\"", "second_message=\" world\"", "first_number=1",
         "second_number=2"] => Expect::Outputs("");
    pipeline_with_retry = "../examples/pipeline_with_retry.rs" => pipeline_with_retry []
        => Expect::Outputs("");
    pipeline_with_reused_component =
        "../examples/pipeline_with_reused_component.rs" => pipeline_with_reused_component []
        => Expect::Outputs("");
    pipeline_with_string_machine_fields_pipeline_input =
        "../examples/pipeline_with_string_machine_fields_pipeline_input.rs" => pipeline []
        => Expect::Outputs("");
    pipeline_with_task_final_status =
        "../examples/pipeline_with_task_final_status.rs" => my_pipeline []
        => Expect::Fails { after: &["exit-op"], because: "'fail-op'" };
    pipeline_with_utils = "../examples/pipeline_with_utils.rs" => pipeline_with_utils []
        => Expect::Outputs("");
    nested_parallel_for_secret = "../examples/nested_parallel_for_secret.rs" => pipeline []
        => Expect::Outputs("");
    parallel_for_secret = "../examples/parallel_for_secret.rs" => pipeline []
        => Expect::Outputs("");
}

/// The variable that names the example whose executor this binary is.
const EXAMPLE_VAR: &str = "KFP_RS_EXAMPLE";

fn main() -> ExitCode {
    if std::env::args().any(|a| a == "--executor_input") {
        let stem = std::env::var(EXAMPLE_VAR).unwrap_or_default();
        let Some(entry) = entry(&stem) else {
            eprintln!("{EXAMPLE_VAR}={stem:?} is not an example of this test");
            return ExitCode::FAILURE;
        };
        return kfp_dsl::run(entry, None);
    }
    if std::env::args().any(|a| a == "--list") {
        println!("kfp_local_examples: test");
        return ExitCode::SUCCESS;
    }
    let Some((python, script)) = tools() else {
        return ExitCode::SUCCESS;
    };
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let mut failed = Vec::new();
    for (stem, args, expect) in EXAMPLES {
        if !filter.is_empty() && !filter.iter().any(|f| stem.contains(f.as_str())) {
            continue;
        }
        let started = Instant::now();
        let outcome = run_example(&python, &script, stem, args);
        let seconds = started.elapsed().as_secs_f64();
        match check(expect, outcome) {
            Ok(()) => eprintln!("ok {stem} ({seconds:.1} s)"),
            Err(why) => failed.push(format!("{stem}: {why}")),
        }
    }
    if failed.is_empty() {
        eprintln!("kfp_local_examples: ok");
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "kfp_local_examples: {} failed:\n{}",
            failed.len(),
            failed.join("\n\n")
        );
        ExitCode::FAILURE
    }
}

/// Whether a run ended as expected: `outcome` is what kfp.local printed
/// of the outputs, or its log when it failed.
fn check(expect: &Expect, outcome: Result<String, String>) -> Result<(), String> {
    match (expect, outcome) {
        (Expect::Outputs(""), Ok(_)) => Ok(()),
        (Expect::Outputs(expected), Ok(shown)) if shown == *expected => Ok(()),
        (Expect::Outputs(expected), Ok(shown)) => {
            Err(format!("outputs {shown}, expected {expected}"))
        }
        (Expect::Fails { after, because }, Err(log)) => {
            let missing: Vec<&&str> = after
                .iter()
                .filter(|task| {
                    !log.contains(&format!("Task '{task}' finished with status SUCCESS"))
                })
                .collect();
            if missing.is_empty() && log.contains(because) {
                Ok(())
            } else {
                Err(format!(
                    "expected {missing:?} to succeed and the log to say {because:?}:\n{log}"
                ))
            }
        }
        (Expect::Fails { .. }, Ok(shown)) => Err(format!("succeeded ({shown}), expected to fail")),
        (Expect::Outputs(_), Err(log)) => Err(log),
    }
}

/// A Python with kfp and the script that runs IR with kfp.local, or `None`
/// (said to be skipped) when either is missing.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = root.join("../shared/kfp-api/tools/kfp_local_run.py");
    if !script.is_file() {
        eprintln!(
            "skipped: {} not found (../shared is absent)",
            script.display()
        );
        return None;
    }
    let python = kfp_python::find()?;
    Some((python, script))
}

/// Compiles the example with this binary as its executors' program, runs
/// it with kfp.local in a fresh folder, and returns what it prints of the
/// outputs; an error holds kfp.local's output.
fn run_example(python: &Path, script: &Path, stem: &str, args: &[&str]) -> Result<String, String> {
    let mut file = kfp_dsl::compile(entry(stem).expect("an example")).map_err(|e| e.to_string())?;
    let me = std::env::current_exe().expect("this binary");
    let executors = &mut file
        .spec
        .deployment_spec
        .as_mut()
        .expect("executors")
        .executors;
    for (_, executor) in executors.iter_mut() {
        if let ExecutorSpec::Container(container) = executor
            && container.args.iter().any(|a| a == "--executor_input")
        {
            container.command = vec![me.to_string_lossy().as_ref().into()];
        }
    }
    let dir = tempfile::tempdir().expect("a folder");
    let yaml = dir.path().join(format!("{stem}.yaml"));
    file.write(&yaml).map_err(|e| e.to_string())?;
    // Its output goes to a file: a pipe could fill up and stall it.
    let log_path = dir.path().join("kfp-local.log");
    let log = std::fs::File::create(&log_path).map_err(|e| e.to_string())?;
    let mut child = Command::new(python)
        .arg(script)
        .arg(&yaml)
        .args(args)
        .current_dir(dir.path())
        .env(EXAMPLE_VAR, stem)
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", python.display()))?;
    let deadline = Instant::now() + Duration::from_secs(300);
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let text = without_colours(&std::fs::read_to_string(&log_path).unwrap_or_default());
    let shown = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("OUTPUTS: "))
        .map(str::to_owned);
    match (status, shown) {
        (Some(status), Some(shown)) if status.success() => Ok(shown),
        (status, _) => Err(format!(
            "kfp.local {}:\n{text}",
            status.map_or_else(
                || "did not end within 300 s".to_owned(),
                |s| format!("failed ({s})")
            )
        )),
    }
}

/// Text without the colour codes (`ESC [ ... m`) kfp.local writes.
fn without_colours(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        rest = &rest[at + 2..];
        let end = rest.find('m').map_or(rest.len(), |m| m + 1);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}
