//! Loops (`ParallelFor` groups): how values cross loop boundaries, and the
//! errors for values read where they do not exist.

use kfp_compiler::graph::*;
use kfp_compiler::{CompileError, TaskError, compile};
use kfp_ir_schema as ir;
use serde_json::json;

/// `produce() -> n: int`, `consume(n: int)`, `sum(ns: list)`.
fn base() -> (Pipeline, ComponentId, ComponentId, ComponentId) {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("xs", ParameterType::List));
    let produce = p.add_component(
        Component::from_function_name("produce")
            .with_input(InputParameter::new("k", ParameterType::Integer).optional())
            .with_output(OutputParameter::new("n", ParameterType::Integer))
            .with_implementation(ContainerSpec::new("img")),
    );
    let consume = p.add_component(
        Component::from_function_name("consume")
            .with_input(InputParameter::new("n", ParameterType::Integer))
            .with_implementation(ContainerSpec::new("img")),
    );
    let sum = p.add_component(
        Component::from_function_name("sum")
            .with_input(InputParameter::new("ns", ParameterType::List))
            .with_implementation(ContainerSpec::new("img")),
    );
    (p, produce, consume, sum)
}

fn static_loop(p: &mut Pipeline, parent: Option<GroupId>) -> GroupId {
    p.add_group(Group::parallel_for(
        parent,
        ParallelFor {
            items: LoopItems::Raw(vec![json!(1), json!(2)]),
            item_kind: ParameterType::Integer,
            parallelism: None,
        },
    ))
}

fn task_error(p: &Pipeline) -> (String, TaskError) {
    match compile(p) {
        Err(CompileError::Task { task, error, .. }) => (task, *error),
        other => panic!("expected a task error, got {other:?}"),
    }
}

fn dag(spec: &ir::ComponentSpec) -> &ir::DagSpec {
    match &spec.implementation {
        Some(ir::ComponentImplementation::Dag(d)) => d,
        other => panic!("not a DAG: {other:?}"),
    }
}

#[test]
fn an_output_inside_a_loop_is_read_outside_only_collected() {
    let (mut p, produce, consume, _) = base();
    let g = static_loop(&mut p, None);
    let t = p.add_task(Task::new(produce).in_group(g));
    p.add_task(Task::new(consume).bind("n", Binding::task_output_parameter(t, "n")));
    let (task, error) = task_error(&p);
    assert_eq!(task, "consume");
    assert!(
        matches!(&error, TaskError::OutOfScope { input, reason }
            if input == "n" && reason.contains("Collected")),
        "{error}"
    );
}

#[test]
fn a_loop_item_is_read_only_inside_its_loop() {
    let (mut p, _, consume, _) = base();
    let g = static_loop(&mut p, None);
    p.add_task(Task::new(consume).bind("n", Binding::LoopItem(g)));
    let (_, error) = task_error(&p);
    assert!(
        matches!(&error, TaskError::OutOfScope { reason, .. } if reason.contains("for-loop-2")),
        "{error}"
    );
}

#[test]
fn collected_needs_a_task_inside_a_loop_and_a_list_input() {
    let (mut p, produce, _, sum) = base();
    let t = p.add_task(Task::new(produce));
    p.add_task(Task::new(sum).bind(
        "ns",
        Binding::Collected {
            task: t,
            output: "n".into(),
        },
    ));
    let (_, error) = task_error(&p);
    assert!(matches!(error, TaskError::OutOfScope { .. }), "{error}");
}

#[test]
fn an_unknown_group_is_an_error() {
    let (mut p, produce, _, _) = base();
    p.add_task(Task::new(produce).in_group(GroupId(7)));
    let (_, error) = task_error(&p);
    assert_eq!(error, TaskError::UnknownGroup { group: 7 });
}

#[test]
fn values_are_punched_into_nested_loops_and_dependencies_lifted() {
    let (mut p, produce, consume, sum) = base();
    let first = p.add_task(Task::new(produce));
    let outer = p.add_group(Group::parallel_for(
        None,
        ParallelFor {
            items: LoopItems::PipelineParameter("xs".into()),
            item_kind: ParameterType::Integer,
            parallelism: Some(3),
        },
    ));
    let inner = static_loop(&mut p, Some(outer));
    let inside = p.add_task(
        Task::new(produce)
            .in_group(inner)
            .bind("k", Binding::LoopItem(outer)),
    );
    p.add_task(
        Task::new(consume)
            .in_group(inner)
            .bind("n", Binding::task_output_parameter(first, "n")),
    );
    p.add_task(Task::new(sum).bind(
        "ns",
        Binding::Collected {
            task: inside,
            output: "n".into(),
        },
    ));
    let spec = compile(&p).unwrap();
    let root = dag(spec.root.as_ref().unwrap());

    // for-loop-1 iterates over the pipeline input, after `produce`.
    let outer_task = &root.tasks["for-loop-1"];
    assert_eq!(outer_task.dependent_tasks, ["produce"]);
    assert_eq!(
        outer_task
            .iterator_policy
            .as_ref()
            .unwrap()
            .parallelism_limit,
        3
    );
    let inputs = &outer_task.inputs.as_ref().unwrap().parameters;
    assert!(inputs.contains_key("pipelinechannel--xs"));
    assert!(inputs.contains_key("pipelinechannel--produce-n"));

    // The inner loop (item 2, loop 3) reads the outer item and the output
    // through its inputs; `consume` reads them from there.
    let outer_comp = &spec.components["comp-for-loop-1"];
    let inner_task = &dag(outer_comp).tasks["for-loop-3"];
    assert!(inner_task.dependent_tasks.is_empty());
    let inner_comp = &spec.components["comp-for-loop-3"];
    let declared = &inner_comp.input_definitions.as_ref().unwrap().parameters;
    for name in [
        "pipelinechannel--loop-item-param-2",
        "pipelinechannel--xs-loop-item",
        "pipelinechannel--produce-n",
    ] {
        assert!(declared.contains_key(name), "{name} in {declared:?}");
    }
    let consume_task = &dag(inner_comp).tasks["consume"];
    assert!(consume_task.dependent_tasks.is_empty());

    // `sum` reads the collected list from the outer loop.
    let sum_task = &root.tasks["sum"];
    assert_eq!(sum_task.dependent_tasks, ["for-loop-1"]);
    let collected =
        &outer_comp.output_definitions.as_ref().unwrap().parameters["pipelinechannel--produce-2-n"];
    assert_eq!(collected.parameter_type, ir::ParameterType::List);
}

#[test]
fn a_pipeline_publishing_a_loop_output_is_a_component_with_a_list_output() {
    let (mut p, produce, _, _) = base();
    let g = static_loop(&mut p, None);
    let t = p.add_task(Task::new(produce).in_group(g));
    p.add_output("Output", t, "n");
    let spec = compile(&p).unwrap();
    let root = spec.root.as_ref().unwrap();
    let out = &root.output_definitions.as_ref().unwrap().parameters["Output"];
    assert_eq!(out.parameter_type, ir::ParameterType::List);

    let component = Component::from_pipeline(p);
    assert_eq!(component.outputs[0].kind, ParameterType::List);
}
