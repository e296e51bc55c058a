//! Invalid graphs fail to compile with an error naming the task and input.

use kfp_compiler::graph::*;
use kfp_compiler::{CompileError, TaskError, compile};

/// A pipeline with one component `train(data: Dataset, epochs: int) ->
/// (model: Model, score: float)` and a producer `load() -> Dataset`.
fn base() -> (Pipeline, ComponentId, ComponentId) {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("n", ParameterType::String));
    let load = p.add_component(
        Component::from_function_name("load")
            .with_output_artifact(OutputArtifact::new("data", ArtifactType::system("Dataset")))
            .with_output_artifact(OutputArtifact::new("model", ArtifactType::system("Model")))
            .with_implementation(ContainerSpec::new("img")),
    );
    let train = p.add_component(
        Component::from_function_name("train")
            .with_input_artifact(InputArtifact::new("data", ArtifactType::system("Dataset")))
            .with_input(InputParameter::new("epochs", ParameterType::Integer))
            .with_output(OutputParameter::new("score", ParameterType::Double))
            .with_implementation(ContainerSpec::new("img").arg(Arg::input_value("epochs"))),
    );
    (p, load, train)
}

fn task_error(p: &Pipeline) -> (String, TaskError) {
    match compile(p) {
        Err(CompileError::Task { task, error, .. }) => (task, *error),
        other => panic!("expected a task error, got {other:?}"),
    }
}

#[test]
fn a_missing_required_input_names_task_and_input() {
    let (mut p, load, train) = base();
    let l = p.add_task(Task::new(load));
    p.add_task(Task::new(train).bind("data", Binding::task_output_artifact(l, "data")));
    let (task, error) = task_error(&p);
    assert_eq!(task, "train");
    assert_eq!(
        error,
        TaskError::MissingInput {
            input: "epochs".into()
        }
    );
    let message = compile(&p).unwrap_err().to_string();
    assert_eq!(
        message,
        "pipeline `p`, task `train`: required input `epochs` is not set"
    );
}

#[test]
fn wrong_kinds_and_types_are_rejected() {
    let (mut p, load, train) = base();
    let l = p.add_task(Task::new(load));
    let t = p.add_task(
        Task::new(train)
            .bind("data", Binding::task_output_artifact(l, "model"))
            .bind("epochs", Binding::constant(3)),
    );
    assert!(matches!(
        task_error(&p).1,
        TaskError::ArtifactTypeMismatch { input, .. } if input == "data"
    ));
    p.task_mut(t)
        .set_argument("data", Binding::pipeline_parameter("n"));
    assert_eq!(
        task_error(&p).1,
        TaskError::ExpectedArtifact {
            input: "data".into()
        }
    );
    p.task_mut(t)
        .set_argument("data", Binding::task_output_artifact(l, "data"));
    p.task_mut(t)
        .set_argument("epochs", Binding::pipeline_parameter("n"));
    assert!(matches!(
        task_error(&p).1,
        TaskError::ParameterTypeMismatch {
            expected: ParameterType::Integer,
            found: ParameterType::String,
            ..
        }
    ));
    p.task_mut(t)
        .set_argument("epochs", Binding::constant("three"));
    assert!(matches!(
        task_error(&p).1,
        TaskError::ConstantTypeMismatch { .. }
    ));
    p.task_mut(t).set_argument("epochs", Binding::constant(3));
    p.task_mut(t).set_argument("epoch", Binding::constant(3));
    assert!(matches!(task_error(&p).1, TaskError::UnknownInput { input, .. } if input == "epoch"));
}

#[test]
fn references_to_later_or_unknown_tasks_are_rejected() {
    let (mut p, load, train) = base();
    let t = p.add_task(
        Task::new(train)
            .bind("data", Binding::task_output_artifact(TaskId(1), "data"))
            .bind("epochs", Binding::constant(1)),
    );
    p.add_task(Task::new(load));
    assert_eq!(
        task_error(&p).1,
        TaskError::ForwardReference {
            input: "data".into(),
            producer: "load".into()
        }
    );
    p.task_mut(t)
        .set_argument("data", Binding::task_output_artifact(TaskId(9), "data"));
    assert!(matches!(task_error(&p).1, TaskError::UnknownTask { .. }));
}

#[test]
fn invalid_settings_are_rejected() {
    let (mut p, load, _) = base();
    let l = p.add_task(Task::new(load));
    p.task_mut(l).config.resources.cpu_limit = Some("two".into());
    assert!(matches!(
        task_error(&p).1,
        TaskError::InvalidSetting {
            setting: "cpu_limit",
            ..
        }
    ));
    p.task_mut(l).config.resources.cpu_limit = None;
    p.task_mut(l).config.retry = Some(RetryPolicy {
        backoff_duration: Some("60".into()),
        ..RetryPolicy::new(2)
    });
    assert!(matches!(
        task_error(&p).1,
        TaskError::InvalidSetting {
            setting: "backoff_duration",
            ..
        }
    ));
}

#[test]
fn invalid_pipelines_are_rejected() {
    assert!(matches!(
        compile(&Pipeline::new("p")),
        Err(CompileError::EmptyPipeline { .. })
    ));
    let (mut p, load, _) = base();
    p.add_task(Task::new(load));
    p.name = "---".into();
    assert!(matches!(
        compile(&p),
        Err(CompileError::InvalidPipelineName { .. })
    ));
    p.name = "My Pipeline".into();
    let spec = compile(&p).expect("renamed as kfp does");
    assert_eq!(spec.pipeline_info.unwrap().name, "my-pipeline");
}

#[test]
fn placeholders_must_name_declared_io() {
    let mut p = Pipeline::new("p");
    let c = p.add_component(
        Component::new("c")
            .with_implementation(ContainerSpec::new("img").arg(Arg::output_path("nope"))),
    );
    p.add_task(Task::new(c));
    assert!(
        matches!(compile(&p), Err(CompileError::Component { component, .. }) if component == "c")
    );
}

#[test]
fn reused_components_get_their_own_entries_and_output_is_deterministic() {
    let (mut p, load, train) = base();
    for _ in 0..3 {
        let l = p.add_task(Task::new(load));
        let t = p.add_task(
            Task::new(train)
                .bind("data", Binding::task_output_artifact(l, "data"))
                .bind("epochs", Binding::constant(2)),
        );
        p.task_mut(t).config.after.push(l);
    }
    let spec = compile(&p).unwrap();
    let keys: Vec<_> = spec.components.keys().cloned().collect();
    assert_eq!(
        keys,
        [
            "comp-load",
            "comp-load-2",
            "comp-load-3",
            "comp-train",
            "comp-train-2",
            "comp-train-3"
        ]
    );
    let dag = match spec.root.as_ref().unwrap().implementation.as_ref().unwrap() {
        kfp_ir_schema::ComponentImplementation::Dag(d) => d,
        other => panic!("root is not a DAG: {other:?}"),
    };
    assert_eq!(dag.tasks["train-3"].dependent_tasks, ["load-3"]);
    let first = serde_json::to_string(&spec).unwrap();
    let second = serde_json::to_string(&compile(&p).unwrap()).unwrap();
    assert_eq!(first, second);
}

#[test]
fn compile_time_arguments_set_the_default_but_not_the_optionality() {
    let (mut p, load, _) = base();
    p.add_task(Task::new(load));
    p.set_argument("n", "hello");
    let spec = compile(&p).unwrap();
    let root = spec.root.as_ref().unwrap();
    let n = &root.input_definitions.as_ref().unwrap().parameters["n"];
    assert_eq!(n.default_value, Some(serde_json::json!("hello")));
    assert!(!n.is_optional);
}

#[test]
fn a_compile_time_argument_must_name_an_input_of_its_type() {
    let (mut p, load, _) = base();
    p.add_task(Task::new(load));
    p.set_argument("missing", "x");
    let err = compile(&p).unwrap_err().to_string();
    assert!(
        err.contains("input `missing`") && err.contains("no such input"),
        "{err}"
    );

    let (mut p, load, _) = base();
    p.add_task(Task::new(load));
    p.set_argument("n", 3);
    let err = compile(&p).unwrap_err().to_string();
    assert_eq!(
        err,
        "pipeline `p`, input `n`: the value given at compile time does not fit: expected a \
         string (STRING), got the number 3"
    );
}

/// `train` with an integer input `epochs` whose default is `default`, and
/// a task of it that gives `epochs` the constant `constant`; the pipeline
/// has an integer input `n` given `argument` at compile time.
fn integer_inputs(default: f64, constant: f64, argument: f64) -> Pipeline {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("n", ParameterType::Integer));
    p.set_argument("n", argument);
    let train = p.add_component(
        Component::from_function_name("train")
            .with_input(InputParameter::new("epochs", ParameterType::Integer).with_default(default))
            .with_input(InputParameter::new("steps", ParameterType::Integer))
            .with_implementation(ContainerSpec::new("img")),
    );
    p.add_task(Task::new(train).bind("steps", Binding::constant(constant)));
    p
}

/// KFP's rule: a parameter value is a `google.protobuf.Value`, whose
/// numbers are doubles, so a whole-number float is an integer and a
/// fractional one never is, for a constant, a default and a compile-time
/// argument alike.
#[test]
fn a_whole_number_float_is_an_integer_and_a_fractional_one_is_not() {
    let spec = compile(&integer_inputs(2.0, 2.0, 2.0)).unwrap();
    let root = spec.root.as_ref().unwrap();
    let n = &root.input_definitions.as_ref().unwrap().parameters["n"];
    assert_eq!(n.default_value, Some(serde_json::json!(2.0)));
    let train = &spec.components["comp-train"];
    let epochs = &train.input_definitions.as_ref().unwrap().parameters["epochs"];
    assert_eq!(epochs.default_value, Some(serde_json::json!(2.0)));
    let dag = match root.implementation.as_ref().unwrap() {
        kfp_ir_schema::ComponentImplementation::Dag(d) => d,
        other => panic!("root is not a DAG: {other:?}"),
    };
    assert_eq!(
        dag.tasks["train"].inputs.as_ref().unwrap().parameters["steps"].kind,
        Some(kfp_ir_schema::InputParameterKind::RuntimeValue(
            kfp_ir_schema::ValueOrRuntimeParameter::Constant(serde_json::json!(2.0))
        ))
    );

    let (task, error) = task_error(&integer_inputs(2.0, 2.5, 2.0));
    assert_eq!(task, "train");
    assert!(
        matches!(&error, TaskError::ConstantTypeMismatch { input, .. } if input == "steps"),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "input `steps` is given a constant that does not fit: expected an integer \
         (NUMBER_INTEGER), got the number 2.5"
    );
    assert_eq!(
        compile(&integer_inputs(2.5, 2.0, 2.0))
            .unwrap_err()
            .to_string(),
        "component `train`: input `epochs`: its default does not fit: expected an integer \
         (NUMBER_INTEGER), got the number 2.5"
    );
    assert_eq!(
        compile(&integer_inputs(2.0, 2.0, 2.5))
            .unwrap_err()
            .to_string(),
        "pipeline `p`, input `n`: the value given at compile time does not fit: expected an \
         integer (NUMBER_INTEGER), got the number 2.5"
    );
}
