//! One rule for "does this value fit this parameter type", followed by every
//! path a value takes: a constant, a default and a compile-time argument in
//! the compiler, a compile override, a run's arguments (which the cluster
//! client and the local runner both check with `kfp_ir_schema::arguments`),
//! and a local run. The same values go through each, and each path agrees
//! with `ParameterType::accepts`: a whole-number float is an integer (KFP's
//! values are `google.protobuf.Value`s, whose numbers are doubles), and a
//! fractional one, a string or a boolean is not.

use std::collections::BTreeMap;

use kfp_compiler::graph::{
    Binding, Component, ContainerSpec, InputParameter, ParameterType as GraphType, Pipeline, Task,
};
use kfp_compiler::{Overrides, compile};
use kfp_ir_schema::arguments::{ArgValue, check_arguments};
use kfp_ir_schema::{ParameterType, PipelineFile};
use kfp_local::progress::Silent;
use serde_json::{Value, json};

/// The values sent down every path, for an integer parameter.
fn values() -> Vec<Value> {
    vec![
        json!(2),
        json!(2.0),
        json!(-7.0),
        json!(2.5),
        json!("2"),
        json!(true),
        json!(1e300),
    ]
}

fn accepted(value: &Value) -> bool {
    ParameterType::NumberInteger.accepts(value).is_ok()
}

/// A pipeline whose integer input `n` has `default`, with a task that
/// gives the integer input `steps` the constant `constant`, `n` given
/// `argument` at compile time.
fn graph(default: Value, constant: Value, argument: Value) -> Pipeline {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("n", GraphType::Integer).with_default(default));
    p.set_argument("n", argument);
    let train = p.add_component(
        Component::from_function_name("train")
            .with_input(InputParameter::new("steps", GraphType::Integer))
            .with_implementation(ContainerSpec::new("alpine").command(["true"])),
    );
    p.add_task(Task::new(train).bind("steps", Binding::constant(constant)));
    p
}

#[test]
fn the_rule_is_what_the_backend_takes() {
    let verdicts: Vec<bool> = values().iter().map(accepted).collect();
    assert_eq!(verdicts, [true, true, true, false, false, false, false]);
}

#[test]
fn the_compiler_takes_what_the_rule_takes() {
    for value in values() {
        let ok = json!(1);
        for (place, pipeline) in [
            ("a constant", graph(ok.clone(), value.clone(), ok.clone())),
            ("a default", graph(value.clone(), ok.clone(), ok.clone())),
            (
                "a compile-time argument",
                graph(ok.clone(), ok.clone(), value.clone()),
            ),
        ] {
            assert_eq!(
                compile(&pipeline).is_ok(),
                accepted(&value),
                "{value} as {place}"
            );
        }
    }
}

#[test]
fn overrides_take_what_the_rule_takes() {
    let base = compile(&graph(json!(1), json!(1), json!(1))).unwrap();
    for value in values() {
        let mut spec = base.clone();
        let applied = Overrides::default()
            .parameter("n", value.clone())
            .apply(&mut spec);
        assert_eq!(applied.is_ok(), accepted(&value), "{value}");
    }
}

#[test]
fn run_arguments_take_what_the_rule_takes() {
    let spec = compile(&graph(json!(1), json!(1), json!(1))).unwrap();
    let inputs = spec.root.as_ref().unwrap().input_definitions.as_ref();
    for value in values() {
        let args = BTreeMap::from([("n".to_owned(), ArgValue::Json(value.clone()))]);
        let checked = check_arguments(inputs, &args);
        assert_eq!(checked.is_ok(), accepted(&value), "{value}");
        if let Ok(values) = checked {
            // Given to a run as the integer it stands for.
            assert!(values["n"].is_i64(), "{value}");
        }
    }
    // Text from a command line follows the same rule.
    for (text, ok) in [("2", true), ("2.0", true), ("2.5", false), ("two", false)] {
        let args = BTreeMap::from([("n".to_owned(), ArgValue::Text(text.into()))]);
        assert_eq!(check_arguments(inputs, &args).is_ok(), ok, "{text}");
    }
}

#[test]
fn a_local_run_takes_what_the_rule_takes() {
    let file = PipelineFile {
        spec: compile(&graph(json!(1), json!(1), json!(1))).unwrap(),
        platform: None,
        description: None,
    };
    let home = tempfile::tempdir().unwrap();
    let runner = kfp_local::Runner::new(home.path());
    for value in values() {
        let args = BTreeMap::from([("n".to_owned(), ArgValue::Json(value.clone()))]);
        match runner.run(&file, &args, &mut Silent) {
            Ok(outcome) => {
                assert!(accepted(&value), "{value} was taken");
                assert!(outcome.succeeded(), "{:?}", outcome.run.error);
                assert_eq!(
                    outcome.run.parameters["n"],
                    json!(value.as_f64().unwrap() as i64)
                );
            }
            Err(e) => {
                assert!(!accepted(&value), "{value} was refused: {e}");
                assert!(e.is_bad_input());
            }
        }
    }
}
