//! Conditions and If/Elif/Else chains (`condition-N` and
//! `condition-branches-N` groups): numbering, triggers, the values their
//! comparisons read, OneOf, and the errors for malformed chains.

mod common;

use kfp_compiler::graph::*;
use kfp_compiler::{CompileError, TaskError, compile, compile_file};
use kfp_ir_schema as ir;
use serde_json::json;

/// `flip() -> Output: str`, `say(text: str) -> Output: str`,
/// `write(text: str) -> out: Dataset`, `read(data: Dataset)`.
struct Components {
    flip: ComponentId,
    say: ComponentId,
    write: ComponentId,
    read: ComponentId,
}

fn base() -> (Pipeline, Components) {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("limit", ParameterType::Integer));
    let flip = p.add_component(
        Component::from_function_name("flip")
            .with_output(OutputParameter::new("Output", ParameterType::String))
            .with_implementation(ContainerSpec::new("img")),
    );
    let say = p.add_component(
        Component::from_function_name("say")
            .with_input(InputParameter::new("text", ParameterType::String))
            .with_output(OutputParameter::new("Output", ParameterType::String))
            .with_implementation(ContainerSpec::new("img")),
    );
    let write = p.add_component(
        Component::from_function_name("write")
            .with_input(InputParameter::new("text", ParameterType::String))
            .with_output_artifact(OutputArtifact::new("out", ArtifactType::system("Dataset")))
            .with_implementation(ContainerSpec::new("img")),
    );
    let read = p.add_component(
        Component::from_function_name("read")
            .with_input_artifact(InputArtifact::new("data", ArtifactType::system("Dataset")))
            .with_implementation(ContainerSpec::new("img")),
    );
    (
        p,
        Components {
            flip,
            say,
            write,
            read,
        },
    )
}

fn equals(task: TaskId, value: &str) -> Condition {
    Condition {
        left: Binding::task_output_parameter(task, "Output"),
        op: Comparison::Eq,
        right: Binding::constant(value),
    }
}

fn say(p: &mut Pipeline, c: &Components, group: GroupId, text: &str) -> TaskId {
    p.add_task(
        Task::new(c.say)
            .in_group(group)
            .bind("text", Binding::constant(text)),
    )
}

/// If/Elif/Else over `flip`'s output, each branch saying something, as the
/// DSL records it: the wrapper is opened when the Elif follows the If.
fn chain(p: &mut Pipeline, c: &Components, flip: TaskId) -> (GroupId, [TaskId; 3]) {
    let first = p.add_group(Group::condition(None, equals(flip, "heads")));
    let heads = say(p, c, first, "heads");
    let branches = p.add_group(Group::condition_branches(None));
    p.groups[first.0].parent = Some(branches);
    let second = p.add_group(Group::condition(Some(branches), equals(flip, "tails")));
    let tails = say(p, c, second, "tails");
    let last = p.add_group(Group::else_branch(branches));
    let edge = say(p, c, last, "edge");
    (branches, [heads, tails, edge])
}

fn dag(spec: &ir::ComponentSpec) -> &ir::DagSpec {
    match &spec.implementation {
        Some(ir::ComponentImplementation::Dag(d)) => d,
        other => panic!("not a DAG: {other:?}"),
    }
}

fn trigger(task: &ir::PipelineTaskSpec) -> &str {
    &task.trigger_policy.as_ref().expect("a trigger").condition
}

fn reason(result: Result<ir::PipelineSpec, CompileError>) -> String {
    match result {
        Err(CompileError::Component { reason, .. }) => reason,
        Err(CompileError::PipelineOutput { reason, .. }) => reason,
        Err(CompileError::Task { error, .. }) => match *error {
            TaskError::OutOfScope { reason, .. } => reason,
            other => other.to_string(),
        },
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn a_chain_is_numbered_as_kfp_and_its_branches_negate_the_earlier_ones() {
    let (mut p, c) = base();
    let flip = p.add_task(Task::new(c.flip));
    let (branches, _) = chain(&mut p, &c, flip);
    let one_of = p.add_one_of(OneOf {
        branches,
        outputs: vec![
            (TaskId(1), "Output".into()),
            (TaskId(2), "Output".into()),
            (TaskId(3), "Output".into()),
        ],
    });
    p.add_task(Task::new(c.say).bind("text", Binding::OneOf(one_of)));
    p.add_output_from("said", OutputSource::OneOf(one_of));
    let file = compile_file(&p).unwrap();
    insta::assert_json_snapshot!("if_elif_else_with_one_of", common::snapshot(&file));
    let spec = file.spec;

    // The wrapper takes the If's number; the If the wrapper's.
    let root_spec = spec.root.as_ref().unwrap();
    let root = dag(root_spec);
    let wrapper_task = &root.tasks["condition-branches-1"];
    assert_eq!(wrapper_task.dependent_tasks, ["flip"]);
    assert!(wrapper_task.trigger_policy.is_none());
    let wrapper = dag(&spec.components["comp-condition-branches-1"]);
    let value = "inputs.parameter_values['pipelinechannel--flip-Output']";
    assert_eq!(
        trigger(&wrapper.tasks["condition-2"]),
        format!("{value} == 'heads'")
    );
    assert_eq!(
        trigger(&wrapper.tasks["condition-3"]),
        format!("!({value} == 'heads') && {value} == 'tails'")
    );
    assert_eq!(
        trigger(&wrapper.tasks["condition-4"]),
        format!("!({value} == 'heads') && !({value} == 'tails')")
    );

    // The OneOf: each branch publishes its output, the wrapper selects.
    let key = "pipelinechannel--condition-branches-1-oneof-1";
    let outputs = wrapper.outputs.as_ref().unwrap();
    let ir::DagOutputParameterSpec::ValueFromOneof(selectors) = &outputs.parameters[key] else {
        panic!("not a OneOf: {:?}", outputs.parameters[key]);
    };
    let selected: Vec<_> = selectors
        .parameter_selectors
        .iter()
        .map(|s| (s.producer_subtask.as_str(), s.output_parameter_key.as_str()))
        .collect();
    assert_eq!(
        selected,
        [
            ("condition-2", "pipelinechannel--say-Output"),
            ("condition-3", "pipelinechannel--say-2-Output"),
            ("condition-4", "pipelinechannel--say-3-Output"),
        ]
    );
    let branch = &spec.components["comp-condition-3"];
    assert_eq!(
        branch.output_definitions.as_ref().unwrap().parameters["pipelinechannel--say-2-Output"]
            .parameter_type,
        ir::ParameterType::String
    );
    let reader = &root.tasks["say-4"];
    assert_eq!(reader.dependent_tasks, ["condition-branches-1"]);
    assert_eq!(
        reader.inputs.as_ref().unwrap().parameters["text"].kind,
        Some(ir::InputParameterKind::TaskOutputParameter(
            ir::TaskOutputParameterSpec {
                producer_task: "condition-branches-1".into(),
                output_parameter_key: key.into(),
            }
        ))
    );
    let published = &root_spec.output_definitions.as_ref().unwrap().parameters["said"];
    assert_eq!(published.parameter_type, ir::ParameterType::String);
}

#[test]
fn tasks_in_nested_conditions_see_every_enclosing_comparison() {
    let (mut p, c) = base();
    let flip = p.add_task(Task::new(c.flip));
    let outer = p.add_group(Group::condition(None, equals(flip, "heads")));
    let inner = p.add_group(Group::condition(
        Some(outer),
        Condition {
            left: Binding::pipeline_parameter("limit"),
            op: Comparison::Gt,
            right: Binding::constant(3),
        },
    ));
    say(&mut p, &c, inner, "deep");
    let spec = compile(&p).unwrap();
    for group in ["comp-condition-1", "comp-condition-2"] {
        let inputs = &spec.components[group]
            .input_definitions
            .as_ref()
            .unwrap()
            .parameters;
        let names: Vec<_> = inputs.keys().map(|k| k.as_str()).collect();
        assert_eq!(
            names,
            ["pipelinechannel--flip-Output", "pipelinechannel--limit"],
            "{group}"
        );
    }
    let outer_dag = dag(&spec.components["comp-condition-1"]);
    assert_eq!(
        trigger(&outer_dag.tasks["condition-2"]),
        "int(inputs.parameter_values['pipelinechannel--limit']) > 3"
    );
    let root = dag(spec.root.as_ref().unwrap());
    assert_eq!(root.tasks["condition-1"].dependent_tasks, ["flip"]);
}

#[test]
fn a_oneof_of_artifacts_selects_each_branch_artifact() {
    let (mut p, c) = base();
    let flip = p.add_task(Task::new(c.flip));
    let first = p.add_group(Group::condition(None, equals(flip, "heads")));
    let text = Binding::task_output_parameter(flip, "Output");
    let a = p.add_task(
        Task::new(c.write)
            .in_group(first)
            .bind("text", text.clone()),
    );
    let branches = p.add_group(Group::condition_branches(None));
    p.groups[first.0].parent = Some(branches);
    let last = p.add_group(Group::else_branch(branches));
    let b = p.add_task(Task::new(c.write).in_group(last).bind("text", text));
    let one_of = p.add_one_of(OneOf {
        branches,
        outputs: vec![(a, "out".into()), (b, "out".into())],
    });
    p.add_task(Task::new(c.read).bind("data", Binding::OneOf(one_of)));
    let spec = compile(&p).unwrap();
    let wrapper = dag(&spec.components["comp-condition-branches-1"]);
    let key = "pipelinechannel--condition-branches-1-oneof-1";
    let selectors = &wrapper.outputs.as_ref().unwrap().artifacts[key].artifact_selectors;
    assert_eq!(selectors.len(), 2);
    assert_eq!(selectors[1].producer_subtask, "condition-3");
    assert_eq!(
        selectors[1].output_artifact_key,
        "pipelinechannel--write-2-out"
    );
    // The branch reads the flip through the value its condition compares.
    let branch = dag(&spec.components["comp-condition-2"]);
    assert_eq!(
        branch.tasks["write"].inputs.as_ref().unwrap().parameters["text"].kind,
        Some(ir::InputParameterKind::ComponentInputParameter(
            "pipelinechannel--flip-Output".into()
        ))
    );
}

#[test]
fn a_oneof_needs_an_else_and_outputs_of_its_branches() {
    let (mut p, c) = base();
    let flip = p.add_task(Task::new(c.flip));
    let (branches, [heads, tails, edge]) = chain(&mut p, &c, flip);
    let with = |outputs: Vec<(TaskId, String)>| {
        let mut p = p.clone();
        let id = p.add_one_of(OneOf { branches, outputs });
        p.add_task(Task::new(c.say).bind("text", Binding::OneOf(id)));
        compile(&p)
    };
    let out = |t: TaskId| (t, "Output".to_owned());

    // kfp 2.17 takes outputs of some branches only; each is selected from
    // its own branch.
    let spec = with(vec![out(heads), out(edge)]).unwrap();
    let wrapper = dag(&spec.components["comp-condition-branches-1"]);
    let key = "pipelinechannel--condition-branches-1-oneof-1";
    let Some(ir::DagOutputParameterSpec::ValueFromOneof(selectors)) =
        wrapper.outputs.as_ref().map(|o| &o.parameters[key])
    else {
        panic!("not a OneOf: {:?}", wrapper.outputs);
    };
    let selected: Vec<_> = selectors
        .parameter_selectors
        .iter()
        .map(|s| (s.producer_subtask.as_str(), s.output_parameter_key.as_str()))
        .collect();
    assert_eq!(
        selected,
        [
            ("condition-2", "pipelinechannel--say-Output"),
            ("condition-4", "pipelinechannel--say-3-Output"),
        ]
    );

    assert!(
        reason(with(vec![out(heads), out(flip), out(edge)]))
            .contains("directly in one of its branches")
    );
    assert!(reason(with(Vec::new())).contains("at least one output"));

    // Without an Else.
    let mut no_else = p.clone();
    no_else.groups.pop();
    no_else.tasks.retain(|t| t.group != Some(GroupId(3)));
    let id = no_else.add_one_of(OneOf {
        branches,
        outputs: vec![out(heads), out(tails)],
    });
    no_else.add_task(Task::new(c.say).bind("text", Binding::OneOf(id)));
    assert!(reason(compile(&no_else)).contains("needs an `Else`"));
}

#[test]
fn a_oneof_is_read_after_its_chain_only() {
    let (mut p, c) = base();
    let flip = p.add_task(Task::new(c.flip));
    let (branches, [heads, tails, edge]) = chain(&mut p, &c, flip);
    let out = |t: TaskId| (t, "Output".to_owned());
    let id = p.add_one_of(OneOf {
        branches,
        outputs: vec![out(heads), out(tails), out(edge)],
    });
    p.add_task(
        Task::new(c.say)
            .in_group(GroupId(0))
            .bind("text", Binding::OneOf(id)),
    );
    assert!(reason(compile(&p)).contains("read after its If/Elif/Else chain"));
}

#[test]
fn malformed_chains_are_refused() {
    let (mut p, c) = base();
    let flip = p.add_task(Task::new(c.flip));
    chain(&mut p, &c, flip);

    let mut stray_else = p.clone();
    stray_else.add_group(Group {
        parent: None,
        kind: GroupKind::Else,
        display_name: None,
    });
    assert!(reason(compile(&stray_else)).contains("outside an If/Elif/Else chain"));

    let mut after_else = p.clone();
    after_else.add_group(Group::condition(Some(GroupId(1)), equals(flip, "x")));
    assert!(reason(compile(&after_else)).contains("after its `Else`"));

    let mut task_in_chain = p.clone();
    task_in_chain.add_task(
        Task::new(c.say)
            .in_group(GroupId(1))
            .bind("text", Binding::constant("x")),
    );
    assert!(reason(compile(&task_in_chain)).contains("tasks go in its branches"));

    let mut loop_in_chain = p.clone();
    loop_in_chain.add_group(Group::parallel_for(
        Some(GroupId(1)),
        ParallelFor {
            items: LoopItems::Raw(vec![json!(1)]),
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
            parallelism: None,
        },
    ));
    assert!(reason(compile(&loop_in_chain)).contains("whose groups are its branches"));
}

#[test]
fn a_oneof_is_punched_into_a_group_after_its_chain() {
    let (mut p, c) = base();
    let flip = p.add_task(Task::new(c.flip));
    let (branches, [heads, tails, edge]) = chain(&mut p, &c, flip);
    let out = |t: TaskId| (t, "Output".to_owned());
    let id = p.add_one_of(OneOf {
        branches,
        outputs: vec![out(heads), out(tails), out(edge)],
    });
    let later = p.add_group(Group::parallel_for(
        None,
        ParallelFor {
            items: LoopItems::Raw(vec![json!(1), json!(2)]),
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
            parallelism: None,
        },
    ));
    p.add_task(
        Task::new(c.say)
            .in_group(later)
            .bind("text", Binding::OneOf(id)),
    );
    let file = compile_file(&p).unwrap();
    insta::assert_json_snapshot!("one_of_punched_into_a_loop", common::snapshot(&file));
    let spec = file.spec;
    let key = "pipelinechannel--condition-branches-1-oneof-1";
    let root = dag(spec.root.as_ref().unwrap());
    let loop_task = &root.tasks["for-loop-6"];
    assert_eq!(loop_task.dependent_tasks, ["condition-branches-1"]);
    assert_eq!(
        loop_task.inputs.as_ref().unwrap().parameters[key].kind,
        Some(ir::InputParameterKind::TaskOutputParameter(
            ir::TaskOutputParameterSpec {
                producer_task: "condition-branches-1".into(),
                output_parameter_key: key.into(),
            }
        ))
    );
    let loop_spec = &spec.components["comp-for-loop-6"];
    assert_eq!(
        loop_spec.input_definitions.as_ref().unwrap().parameters[key].parameter_type,
        ir::ParameterType::String
    );
    assert_eq!(
        dag(loop_spec).tasks["say-4"]
            .inputs
            .as_ref()
            .unwrap()
            .parameters["text"]
            .kind,
        Some(ir::InputParameterKind::ComponentInputParameter(key.into()))
    );
}
