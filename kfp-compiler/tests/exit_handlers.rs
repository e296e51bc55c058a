//! Exit handlers (`exit-handler-N` groups): the exit task runs after the
//! group however it ended, and may depend on nothing else.

use kfp_compiler::graph::*;
use kfp_compiler::{CompileError, TaskError, compile};
use kfp_ir_schema as ir;
use serde_json::json;

/// `say(text: str) -> Output: str`, with a task `first` of it at the top.
fn base() -> (Pipeline, ComponentId, TaskId) {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("text", ParameterType::String));
    let say = p.add_component(
        Component::from_function_name("say")
            .with_input(InputParameter::new("text", ParameterType::String))
            .with_output(OutputParameter::new("Output", ParameterType::String))
            .with_implementation(ContainerSpec::new("img")),
    );
    let first = p.add_task(Task::new(say).bind("text", Binding::constant("first")));
    (p, say, first)
}

fn dag(spec: &ir::ComponentSpec) -> &ir::DagSpec {
    match &spec.implementation {
        Some(ir::ComponentImplementation::Dag(d)) => d,
        other => panic!("not a DAG: {other:?}"),
    }
}

#[test]
fn the_exit_task_runs_after_the_group_whatever_happened() {
    let (mut p, say, _) = base();
    let exit = p.add_task(Task::new(say).bind("text", Binding::pipeline_parameter("text")));
    let mut group = Group::exit_handler(None, exit);
    group.display_name = Some("cleanup".into());
    let handler = p.add_group(group);
    p.add_task(
        Task::new(say)
            .in_group(handler)
            .bind("text", Binding::pipeline_parameter("text")),
    );
    let spec = compile(&p).unwrap();
    let root = dag(spec.root.as_ref().unwrap());
    let exit_task = &root.tasks["say-2"];
    assert_eq!(exit_task.dependent_tasks, ["exit-handler-1"]);
    assert_eq!(
        exit_task.trigger_policy,
        Some(ir::TriggerPolicy {
            condition: String::new(),
            strategy: ir::TriggerStrategy::AllUpstreamTasksCompleted,
        })
    );
    let handler_task = &root.tasks["exit-handler-1"];
    assert_eq!(handler_task.task_info.as_ref().unwrap().name, "cleanup");
    assert!(handler_task.trigger_policy.is_none());
    let inner = dag(&spec.components["comp-exit-handler-1"]);
    assert_eq!(
        inner.tasks["say-3"].inputs.as_ref().unwrap().parameters["text"].kind,
        Some(ir::InputParameterKind::ComponentInputParameter(
            "pipelinechannel--text".into()
        ))
    );
}

#[test]
fn the_exit_task_depends_on_no_task_and_runs_where_its_handler_is() {
    let (mut p, say, first) = base();
    let exit = p.add_task(Task::new(say).bind("text", Binding::constant("bye")));
    let handler = p.add_group(Group::exit_handler(None, exit));
    p.add_task(
        Task::new(say)
            .in_group(handler)
            .bind("text", Binding::constant("x")),
    );

    let mut reads = p.clone();
    reads
        .task_mut(exit)
        .set_argument("text", Binding::task_output_parameter(first, "Output"));
    match compile(&reads) {
        Err(CompileError::Task { error, .. }) => assert!(
            matches!(&*error, TaskError::OutOfScope { input, reason }
                if input == "text" && reason.contains("cannot read another task's output")),
            "{error}"
        ),
        other => panic!("expected a task error, got {other:?}"),
    }

    let mut after = p.clone();
    after.task_mut(exit).config.after.push(first);
    assert!(compile(&after).is_err());

    let mut elsewhere = p.clone();
    let other_loop = elsewhere.add_group(Group::parallel_for(
        None,
        ParallelFor {
            items: LoopItems::Raw(vec![json!(1)]),
            item_kind: ParameterType::Integer,
            parallelism: None,
        },
    ));
    elsewhere.task_mut(exit).group = Some(other_loop);
    match compile(&elsewhere) {
        Err(CompileError::Component { reason, .. }) => {
            assert!(
                reason.contains("runs where `exit-handler-1` is"),
                "{reason}"
            )
        }
        other => panic!("expected a component error, got {other:?}"),
    }

    let mut twice = p.clone();
    twice.add_group(Group::exit_handler(None, exit));
    match compile(&twice) {
        Err(CompileError::Component { reason, .. }) => {
            assert!(reason.contains("exit task of both"), "{reason}")
        }
        other => panic!("expected a component error, got {other:?}"),
    }
}
