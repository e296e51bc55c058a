//! Graphs built by hand that must compile to kfp's own goldens
//! (`../shared/kfp-golden/sdk_compiled_pipelines/valid`), compared as JSON
//! by kfp's rule (see `common::normalize`).

mod common;

use common::{assert_golden, function_runner};
use kfp_compiler::graph::*;

const UBI: &str = "registry.access.redhat.com/ubi9/python-311:latest";

fn string(name: &str) -> InputParameter {
    InputParameter::new(name, ParameterType::String)
}

#[test]
fn hello_world() {
    let mut p = Pipeline::new("echo");
    let echo = p.add_component(
        Component::from_function_name("echo").with_implementation(
            ContainerSpec::new(UBI)
                .command(["echo"])
                .args(["hello world"]),
        ),
    );
    p.add_task(Task::new(echo));
    assert_golden("hello_world", &p);
}

#[test]
fn container_no_input() {
    let mut p = Pipeline::from_function_name("container_no_input");
    let c = p.add_component(
        Component::from_function_name("container_no_input")
            .with_implementation(ContainerSpec::new(UBI).command(["echo", "hello world"])),
    );
    p.add_task(Task::new(c));
    assert_golden("container_no_input", &p);
}

#[test]
fn container_io() {
    let mut p = Pipeline::from_function_name("container_io");
    p.inputs.push(string("text"));
    let c = p.add_component(
        Component::from_function_name("container_io")
            .with_input(string("text"))
            .with_output(OutputParameter::new("output_path", ParameterType::String))
            .with_implementation(
                ContainerSpec::new(UBI)
                    .command([Arg::literal("my_program"), Arg::input_value("text")])
                    .args([
                        Arg::literal("--output_path"),
                        Arg::output_parameter_file("output_path"),
                    ]),
            ),
    );
    let t = p.add_task(Task::new(c).bind("text", Binding::pipeline_parameter("text")));
    p.add_output("output_path", t, "output_path");
    assert_golden("container_io", &p);
}

#[test]
fn pipeline_with_env() {
    let mut p = Pipeline::new("pipeline-with-env");
    let op = p.add_component(
        Component::from_function_name("print_env_op")
            .with_implementation(function_runner("print_env_op")),
    );
    let env = p.add_component(Component::new("print-env").with_implementation(
        ContainerSpec::new("alpine").command([
            "sh",
            "-c",
            "set -e -x\necho \"$ENV1\"\necho \"$ENV2\"\necho \"$ENV3\"\n",
        ]),
    ));
    let t = p.add_task(Task::new(op));
    p.task_mut(t).config.set_env("ENV1", "val1");
    let t = p.add_task(Task::new(env));
    let config = &mut p.task_mut(t).config;
    config.set_env("ENV1", "val1");
    config.set_env("ENV2", "val2");
    config.set_env("ENV3", "val3");
    // Setting a variable again replaces its value in place, as kfp's dict.
    config.set_env("ENV1", "val0");
    assert_golden("pipeline_with_env", &p);
}

#[test]
fn pipeline_with_retry() {
    let mut p = Pipeline::new("test-pipeline");
    for (name, default) in [("a", 1.0), ("b", 7.0)] {
        p.inputs
            .push(InputParameter::new(name, ParameterType::Double).with_default(default));
    }
    let add = p.add_component(
        Component::from_function_name("add")
            .with_input(InputParameter::new("a", ParameterType::Double))
            .with_input(InputParameter::new("b", ParameterType::Double))
            .with_output(OutputParameter::new("Output", ParameterType::Double))
            .with_implementation(function_runner("add")),
    );
    let t = p.add_task(
        Task::new(add)
            .bind("a", Binding::pipeline_parameter("a"))
            .bind("b", Binding::pipeline_parameter("b")),
    );
    p.task_mut(t).config.retry = Some(RetryPolicy::new(3));
    assert_golden("pipeline_with_retry", &p);
}

#[test]
fn pipeline_with_after() {
    let mut p = Pipeline::new("pipeline-with-after");
    let print_text = p.add_component(
        Component::from_function_name("print_text")
            .with_input(string("text"))
            .with_implementation(ContainerSpec::new("alpine").command([
                Arg::literal("sh"),
                Arg::literal("-c"),
                Arg::literal("set -e -x\necho \"$0\"\n"),
                Arg::input_value("text"),
            ])),
    );
    let first = p.add_task(Task::new(print_text).bind("text", Binding::constant("1st task")));
    let second = p.add_task(Task::new(print_text).bind("text", Binding::constant("2nd task")));
    p.task_mut(second).config.after.push(first);
    let third = p.add_task(Task::new(print_text).bind("text", Binding::constant("3rd task")));
    p.task_mut(third).config.after.extend([first, second]);
    assert_golden("pipeline_with_after", &p);
}

fn output_path_and_dataset(c: Component, dataset: &str) -> Component {
    c.with_output(OutputParameter::new("output_path", ParameterType::String))
        .with_output_artifact(OutputArtifact::new(
            dataset,
            ArtifactType::system("Dataset"),
        ))
}

#[test]
fn container_with_if_placeholder() {
    let mut p = Pipeline::from_function_name("container_with_if_placeholder");
    p.inputs
        .push(string("optional_input").with_default("default"));
    let if_present = |then| Arg::IfPresent {
        input: "optional_input".into(),
        then: vec![then],
        otherwise: Some(vec!["bye".into()]),
    };
    let c = p.add_component(output_path_and_dataset(
        Component::from_function_name("container_with_if_placeholder")
            .with_input(string("optional_input").with_default("default"))
            .with_implementation(
                ContainerSpec::new(UBI)
                    .command([
                        Arg::literal("my_program"),
                        if_present(Arg::input_value("optional_input")),
                        Arg::literal("--dataset"),
                        if_present(Arg::output_uri("dataset")),
                    ])
                    .args([
                        Arg::literal("--output_path"),
                        Arg::output_parameter_file("output_path"),
                    ]),
            ),
        "dataset",
    ));
    let t = p.add_task(Task::new(c).bind(
        "optional_input",
        Binding::pipeline_parameter("optional_input"),
    ));
    p.add_output("dataset", t, "dataset");
    p.add_output("output_path", t, "output_path");
    assert_golden("container_with_if_placeholder", &p);
}

#[test]
fn container_with_concat_placeholder() {
    let mut p = Pipeline::from_function_name("container_with_concat_placeholder");
    p.inputs.push(string("text1"));
    let c = p.add_component(output_path_and_dataset(
        Component::from_function_name("container_with_concat_placeholder")
            .with_input(string("text1"))
            .with_implementation(
                ContainerSpec::new(UBI)
                    .command([
                        Arg::literal("my_program"),
                        Arg::Concat(vec![
                            "prefix-".into(),
                            Arg::input_value("text1"),
                            Arg::output_uri("text2"),
                        ]),
                    ])
                    .args([
                        Arg::literal("--output_path"),
                        Arg::output_parameter_file("output_path"),
                    ]),
            ),
        "text2",
    ));
    let t = p.add_task(Task::new(c).bind("text1", Binding::pipeline_parameter("text1")));
    p.add_output("output_path", t, "output_path");
    p.add_output("text2", t, "text2");
    assert_golden("container_with_concat_placeholder", &p);
}

fn print_op1() -> Component {
    Component::from_function_name("print_op1")
        .with_input(string("msg"))
        .with_output(OutputParameter::new("Output", ParameterType::String))
        .with_implementation(function_runner("print_op1"))
}

#[test]
fn pipeline_in_pipeline() {
    let mut inner = Pipeline::from_function_name("inner_pipeline");
    inner.inputs.push(string("msg"));
    let op1 = inner.add_component(print_op1());
    let op2 = inner.add_component(
        Component::from_function_name("print_op2")
            .with_input(string("msg"))
            .with_implementation(
                ContainerSpec::new("alpine")
                    .command([Arg::literal("echo"), Arg::input_value("msg")]),
            ),
    );
    let t1 = inner.add_task(Task::new(op1).bind("msg", Binding::pipeline_parameter("msg")));
    inner.add_task(Task::new(op2).bind("msg", Binding::task_output_parameter(t1, "Output")));

    let mut p = Pipeline::new("pipeline-in-pipeline");
    let op1 = p.add_component(print_op1());
    let inner = p.add_component(Component::from_pipeline(inner));
    p.add_task(Task::new(op1).bind("msg", Binding::constant("Hello")));
    p.add_task(Task::new(inner).bind("msg", Binding::constant("world")));
    assert_golden("pipeline_in_pipeline", &p);
}

fn sum_numbers() -> Component {
    Component::from_function_name("sum_numbers")
        .with_input(InputParameter::new("a", ParameterType::Integer))
        .with_input(InputParameter::new("b", ParameterType::Integer))
        .with_output(OutputParameter::new("Output", ParameterType::Integer))
        .with_implementation(function_runner("sum_numbers"))
}

#[test]
fn pipeline_with_string_machine_fields_pipeline_input() {
    let mut p = Pipeline::new("pipeline");
    for (name, default) in [
        ("cpu_limit", "4000m"),
        ("memory_limit", "15G"),
        ("accelerator_type", "NVIDIA_TESLA_P4"),
        ("accelerator_limit", "1"),
    ] {
        p.inputs.push(string(name).with_default(default));
    }
    let sum = p.add_component(sum_numbers());
    let t = p.add_task(
        Task::new(sum)
            .bind("a", Binding::constant(1))
            .bind("b", Binding::constant(2)),
    );
    let input = |n: &str| Some(ConfigValue::PipelineParameter(n.into()));
    let r = &mut p.task_mut(t).config.resources;
    r.cpu_limit = input("cpu_limit");
    r.memory_limit = input("memory_limit");
    r.accelerator_type = input("accelerator_type");
    r.accelerator_limit = input("accelerator_limit");
    assert_golden("pipeline_with_string_machine_fields_pipeline_input", &p);
}

#[test]
fn pipeline_with_string_machine_fields_task_output() {
    let mut p = Pipeline::new("pipeline");
    let mut producers = Vec::new();
    for (function, value) in [
        ("cpu_limit", "4000m"),
        ("memory_limit", "15G"),
        ("accelerator_type", "NVIDIA_TESLA_P4"),
        ("accelerator_limit", "1"),
    ] {
        let _ = value;
        let c = p.add_component(
            Component::from_function_name(function)
                .with_output(OutputParameter::new("Output", ParameterType::String))
                .with_implementation(function_runner(function)),
        );
        producers.push(p.add_task(Task::new(c)));
    }
    let sum = p.add_component(sum_numbers());
    let t = p.add_task(
        Task::new(sum)
            .bind("a", Binding::constant(1))
            .bind("b", Binding::constant(2)),
    );
    let output = |task: TaskId| {
        Some(ConfigValue::TaskOutput {
            task,
            output: "Output".into(),
        })
    };
    let r = &mut p.task_mut(t).config.resources;
    r.cpu_limit = output(producers[0]);
    r.memory_limit = output(producers[1]);
    r.accelerator_type = output(producers[2]);
    r.accelerator_limit = output(producers[3]);
    assert_golden("pipeline_with_string_machine_fields_task_output", &p);
}

#[test]
fn nvidia_gpu_scheduling_check() {
    let mut p = Pipeline::new("nvidia-gpu-scheduling-check").with_description(
        "Verifies a task requesting nvidia.com/gpu with a matching toleration can schedule and complete (no CUDA/torch assertions).",
    );
    let c = p.add_component(
        Component::from_function_name("verify_gpu_scheduled").with_implementation(
            ContainerSpec::new("python:3.11")
                .command(["sh", "-c"])
                .args(["echo \"GPU scheduling check: PASS\""]),
        ),
    );
    let t = p.add_task(Task::new(c));
    let config = &mut p.task_mut(t).config;
    config.caching = false;
    config.resources.accelerator_type = Some("nvidia.com/gpu".into());
    assert_golden("nvidia_gpu_scheduling_check", &p);
}

#[test]
fn local_execution_pipeline_with_k8s_only_methods() {
    let mut p = Pipeline::new("pipeline-with-k8s-only-methods");
    p.inputs.push(string("message").with_default("hello"));
    let echo = p.add_component(
        Component::from_function_name("echo")
            .with_input(string("message"))
            .with_output(OutputParameter::new("Output", ParameterType::String))
            .with_implementation(function_runner("echo")),
    );
    let t = p.add_task(Task::new(echo).bind("message", Binding::pipeline_parameter("message")));
    p.add_output("Output", t, "Output");
    let r = &mut p.task_mut(t).config.resources;
    r.cpu_limit = Some("1000m".into());
    r.memory_limit = Some("256Mi".into());
    r.accelerator_type = Some("nvidia.com/gpu".into());
    r.accelerator_limit = Some("1".into());
    assert_golden("local_execution_pipeline_with_k8s_only_methods", &p);
}
