//! Exit handlers (`exit-handler-N` groups): the exit task runs after the
//! group however it ended, and may depend on nothing else.

mod common;

use kfp_compiler::graph::*;
use kfp_compiler::{CompileError, TaskError, compile, compile_file};
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
    let file = compile_file(&p).unwrap();
    insta::assert_json_snapshot!("exit_handler", common::snapshot(&file));
    let spec = file.spec;
    let root = dag(spec.root.as_ref().unwrap());
    let exit_task = &root.tasks["say-2"];
    assert_eq!(exit_task.dependent_tasks, ["exit-handler-1"]);
    assert_eq!(
        exit_task.trigger_policy,
        Some(ir::TriggerPolicy {
            condition: Default::default(),
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
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
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

/// `report(status: TASK_FINAL_STATUS)`, optional as kfp declares it.
fn report(p: &mut Pipeline) -> ComponentId {
    p.add_component(
        Component::from_function_name("report")
            .with_input(InputParameter::new("status", ParameterType::TaskFinalStatus).optional())
            .with_implementation(ContainerSpec::new("img")),
    )
}

fn final_status(spec: &ir::PipelineTaskSpec) -> Option<&ir::InputParameterKind> {
    spec.inputs
        .as_ref()?
        .parameters
        .get("status")?
        .kind
        .as_ref()
}

#[test]
fn a_final_status_input_is_set_on_exit_tasks_and_tasks_ignoring_failures() {
    let (mut p, say, first) = base();
    let report = report(&mut p);
    let exit = p.add_task(Task::new(report));
    let handler = p.add_group(Group::exit_handler(None, exit));
    p.add_task(
        Task::new(say)
            .in_group(handler)
            .bind("text", Binding::constant("x")),
    );
    let mut after_first = Task::new(report);
    after_first.config.after.push(first);
    after_first.config.ignore_upstream_failure = true;
    p.add_task(after_first);
    let spec = compile(&p).unwrap();
    let root = dag(spec.root.as_ref().unwrap());
    let status = |producer: &str| {
        ir::InputParameterKind::TaskFinalStatus(ir::TaskFinalStatus {
            producer_task: producer.into(),
        })
    };
    assert_eq!(
        final_status(&root.tasks["report"]),
        Some(&status("exit-handler-1"))
    );
    assert_eq!(final_status(&root.tasks["report-2"]), Some(&status("say")));
    let declared = &spec.components["comp-report"]
        .input_definitions
        .as_ref()
        .unwrap()
        .parameters["status"];
    assert_eq!(declared.parameter_type, ir::ParameterType::TaskFinalStatus);
    assert!(declared.is_optional);

    // Anywhere else there is no status to give.
    let mut plain = p.clone();
    plain.add_task(Task::new(report));
    match compile(&plain) {
        Err(CompileError::Task { task, error, .. }) => {
            assert_eq!(task, "report-3");
            assert!(
                error.to_string().contains("given to an exit task"),
                "{error}"
            );
        }
        other => panic!("expected a task error, got {other:?}"),
    }
    // Ignoring failures of two tasks, it is not known whose status to give.
    let mut two = p.clone();
    let last = TaskId(two.tasks.len() - 1);
    let second = two.add_task(Task::new(say).bind("text", Binding::constant("2")));
    two.tasks.swap(last.0, second.0);
    two.task_mut(second).config.after.push(last);
    assert!(compile(&two).is_err());
}

#[test]
fn exit_tasks_are_built_last_as_kfp_does() {
    // The exit task, a pipeline with a `say` task, is added first; kfp
    // still merges its components after the group's, so the group's `say`
    // keeps `comp-say` and the inner one is renamed.
    let (mut inner, say_in_inner, _) = base();
    inner.name = "notify".into();
    inner.tasks[0] = Task::new(say_in_inner).bind("text", Binding::pipeline_parameter("text"));
    let (mut p, say, _) = base();
    p.tasks.clear(); // no task before the exit task
    let notify = p.add_component(Component::from_pipeline(inner));
    let exit = p.add_task(Task::new(notify).bind("text", Binding::pipeline_parameter("text")));
    let handler = p.add_group(Group::exit_handler(None, exit));
    p.add_task(
        Task::new(say)
            .in_group(handler)
            .bind("text", Binding::constant("x")),
    );
    let spec = compile(&p).unwrap();
    let group = dag(&spec.components["comp-exit-handler-1"]);
    assert_eq!(
        group.tasks["say"].component_ref.as_ref().unwrap().name,
        "comp-say"
    );
    let notify = dag(&spec.components["comp-notify"]);
    assert_eq!(
        notify.tasks["say"].component_ref.as_ref().unwrap().name,
        "comp-say-2"
    );

    let mut missing = p.clone();
    missing.groups[0].kind = GroupKind::ExitHandler {
        exit_task: TaskId(99),
    };
    assert!(compile(&missing).is_err());
}
