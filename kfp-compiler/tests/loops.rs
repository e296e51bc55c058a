//! Loops (`ParallelFor` groups): how values cross loop boundaries, and the
//! errors for values read where they do not exist.

mod common;

use kfp_compiler::graph::*;
use kfp_compiler::{CompileError, TaskError, compile, compile_file};
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
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
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
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
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
    let file = compile_file(&p).unwrap();
    insta::assert_json_snapshot!("nested_loops", common::snapshot(&file));
    let spec = file.spec;
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

fn dataset() -> ArtifactType {
    ArtifactType::system("Dataset")
}

/// `write(n: int) -> out: Dataset` and `merge(ins: List[Dataset]) -> out: Dataset`.
fn artifact_components(p: &mut Pipeline) -> (ComponentId, ComponentId) {
    let write = p.add_component(
        Component::from_function_name("write")
            .with_input(InputParameter::new("n", ParameterType::Integer))
            .with_output_artifact(OutputArtifact::new("out", dataset()))
            .with_implementation(ContainerSpec::new("img")),
    );
    let merge = p.add_component(
        Component::from_function_name("merge")
            .with_input_artifact(InputArtifact::new("ins", dataset()).list())
            .with_output_artifact(OutputArtifact::new("out", dataset()))
            .with_implementation(ContainerSpec::new("img")),
    );
    (write, merge)
}

fn selector(spec: &ir::DagOutputArtifactSpec) -> (&str, &str) {
    let s = &spec.artifact_selectors[0];
    (&s.producer_subtask, &s.output_artifact_key)
}

#[test]
fn artifacts_are_collected_out_of_a_condition_in_nested_loops() {
    let mut p = Pipeline::new("p");
    p.inputs
        .push(InputParameter::new("threshold", ParameterType::Integer));
    let (write, merge) = artifact_components(&mut p);
    let outer = static_loop(&mut p, None);
    let inner = static_loop(&mut p, Some(outer));
    let gate = p.add_group(Group::condition(
        Some(inner),
        Condition {
            left: Binding::LoopItem(inner),
            op: Comparison::Ge,
            right: Binding::pipeline_parameter("threshold"),
        },
    ));
    let written = p.add_task(
        Task::new(write)
            .in_group(gate)
            .bind("n", Binding::LoopItem(inner)),
    );
    let collected = Binding::Collected {
        task: written,
        output: "out".into(),
    };
    let merged = p.add_task(Task::new(merge).bind("ins", collected));
    p.add_output("all", written, "out");
    p.add_output("merged", merged, "out");
    let file = compile_file(&p).unwrap();
    insta::assert_json_snapshot!(
        "artifacts_collected_out_of_nested_groups",
        common::snapshot(&file)
    );
    let spec = file.spec;

    // Each level publishes the list under one name, read from the level
    // below: the task in the condition, then the condition, then the loop.
    let channel = "pipelinechannel--write-out";
    for (group, from, key) in [
        ("comp-condition-5", "write", "out"),
        ("comp-for-loop-4", "condition-5", channel),
        ("comp-for-loop-2", "for-loop-4", channel),
    ] {
        let component = &spec.components[group];
        let declared = &component.output_definitions.as_ref().unwrap().artifacts[channel];
        assert!(declared.is_artifact_list, "{group}");
        let outputs = dag(component).outputs.as_ref().unwrap();
        assert_eq!(
            selector(&outputs.artifacts[channel]),
            (from, key),
            "{group}"
        );
    }
    // The condition reads the inner item and the pipeline input.
    let condition = &spec.components["comp-condition-5"];
    let inputs = &condition.input_definitions.as_ref().unwrap().parameters;
    assert!(inputs.contains_key("pipelinechannel--loop-item-param-3"));
    assert!(inputs.contains_key("pipelinechannel--threshold"));

    // The consumer and the pipeline output read the outer loop's list.
    let root_spec = spec.root.as_ref().unwrap();
    let root = dag(root_spec);
    let merge_task = &root.tasks["merge"];
    assert_eq!(merge_task.dependent_tasks, ["for-loop-2"]);
    assert_eq!(
        merge_task.inputs.as_ref().unwrap().artifacts["ins"],
        ir::InputArtifactSpec::TaskOutputArtifact(ir::TaskOutputArtifactSpec {
            producer_task: "for-loop-2".into(),
            output_artifact_key: channel.into(),
        })
    );
    let outputs = root.outputs.as_ref().unwrap();
    assert_eq!(selector(&outputs.artifacts["all"]), ("for-loop-2", channel));
    assert_eq!(selector(&outputs.artifacts["merged"]), ("merge", "out"));
    let declared = &root_spec.output_definitions.as_ref().unwrap().artifacts;
    assert!(declared["all"].is_artifact_list);
    assert!(!declared["merged"].is_artifact_list);
}

#[test]
fn a_sub_pipeline_takes_and_publishes_artifact_lists() {
    // inner(ins: List[Dataset]) -> (merged: Dataset, each: List[Dataset])
    let mut inner = Pipeline::new("inner");
    inner
        .input_artifacts
        .push(InputArtifact::new("ins", dataset()).list());
    let (write, merge) = artifact_components(&mut inner);
    let merged = inner.add_task(Task::new(merge).bind("ins", Binding::pipeline_artifact("ins")));
    let g = static_loop(&mut inner, None);
    let written = inner.add_task(Task::new(write).in_group(g).bind("n", Binding::LoopItem(g)));
    inner.add_output("merged", merged, "out");
    inner.add_output("each", written, "out");
    let component = Component::from_pipeline(inner);
    assert!(!component.output_artifacts[0].is_list);
    assert!(component.output_artifacts[1].is_list);

    // outer: the loop's datasets into the sub-pipeline, whose list output
    // feeds another merge and is published again.
    let mut outer = Pipeline::new("outer");
    let (write, merge) = artifact_components(&mut outer);
    let sub = outer.add_component(component);
    let g = static_loop(&mut outer, None);
    let written = outer.add_task(Task::new(write).in_group(g).bind("n", Binding::LoopItem(g)));
    let sub_task = outer.add_task(Task::new(sub).bind(
        "ins",
        Binding::Collected {
            task: written,
            output: "out".into(),
        },
    ));
    outer.add_task(Task::new(merge).bind("ins", Binding::task_output_artifact(sub_task, "each")));
    outer.add_output("each", sub_task, "each");
    let spec = compile(&outer).unwrap();

    let inner_spec = &spec.components["comp-inner"];
    let declared = &inner_spec.output_definitions.as_ref().unwrap().artifacts;
    assert!(declared["each"].is_artifact_list);
    assert!(inner_spec.input_definitions.as_ref().unwrap().artifacts["ins"].is_artifact_list);
    let root_spec = spec.root.as_ref().unwrap();
    let root = dag(root_spec);
    assert_eq!(root.tasks["inner"].dependent_tasks, ["for-loop-2"]);
    assert_eq!(
        root.tasks["merge"].inputs.as_ref().unwrap().artifacts["ins"],
        ir::InputArtifactSpec::TaskOutputArtifact(ir::TaskOutputArtifactSpec {
            producer_task: "inner".into(),
            output_artifact_key: "each".into(),
        })
    );
    let outputs = root.outputs.as_ref().unwrap();
    assert_eq!(selector(&outputs.artifacts["each"]), ("inner", "each"));
    assert!(root_spec.output_definitions.as_ref().unwrap().artifacts["each"].is_artifact_list);

    // A single artifact where a list is expected is refused.
    let mut wrong = outer.clone();
    let merged = wrong.tasks.len() - 1;
    wrong.tasks[merged].set_argument("ins", Binding::task_output_artifact(written, "out"));
    assert!(compile(&wrong).is_err());
}

/// `ids() -> list`: the list a loop iterates over.
fn with_list_producer(p: &mut Pipeline) -> ComponentId {
    p.add_component(
        Component::from_function_name("ids")
            .with_output(OutputParameter::new("Output", ParameterType::List))
            .with_implementation(ContainerSpec::new("img")),
    )
}

fn loop_over(p: &mut Pipeline, parent: Option<GroupId>, task: TaskId, output: &str) -> GroupId {
    p.add_group(Group::parallel_for(
        parent,
        ParallelFor {
            items: LoopItems::TaskOutput {
                task,
                output: output.into(),
            },
            item_kind: LoopItemKind::Parameter(ParameterType::Integer),
            parallelism: None,
        },
    ))
}

#[test]
fn a_loop_over_a_task_output_runs_after_it_and_reads_it_through_every_group() {
    let (mut p, _, consume, _) = base();
    let ids = with_list_producer(&mut p);
    let producer = p.add_task(Task::new(ids));
    let outer = static_loop(&mut p, None);
    let inner = loop_over(&mut p, Some(outer), producer, "Output");
    p.add_task(
        Task::new(consume)
            .in_group(inner)
            .bind("n", Binding::LoopItem(inner)),
    );
    let file = compile_file(&p).unwrap();
    insta::assert_json_snapshot!("loop_over_a_task_output", common::snapshot(&file));
    let spec = file.spec;
    let channel = "pipelinechannel--ids-Output";

    // The outer loop runs after the producer and takes the list in.
    let root = dag(spec.root.as_ref().unwrap());
    let outer_task = &root.tasks["for-loop-2"];
    assert_eq!(outer_task.dependent_tasks, ["ids"]);
    let outer_in = &outer_task.inputs.as_ref().unwrap().parameters[channel];
    assert_eq!(
        outer_in.kind,
        Some(ir::InputParameterKind::TaskOutputParameter(
            ir::TaskOutputParameterSpec {
                producer_task: "ids".into(),
                output_parameter_key: "Output".into(),
            }
        ))
    );

    // The inner loop iterates over the list its parent passes in.
    assert_eq!(dag(&spec.components["comp-for-loop-3"]).tasks.len(), 1);
    let outer_dag = dag(&spec.components["comp-for-loop-2"]);
    let inner_task = &outer_dag.tasks["for-loop-3"];
    assert!(inner_task.dependent_tasks.is_empty());
    assert_eq!(
        inner_task.inputs.as_ref().unwrap().parameters[channel].kind,
        Some(ir::InputParameterKind::ComponentInputParameter(
            channel.into()
        ))
    );
    let Some(ir::TaskIterator::ParameterIterator(iterator)) = &inner_task.iterator else {
        panic!("no parameter iterator: {inner_task:?}");
    };
    assert_eq!(iterator.item_input, format!("{channel}-loop-item"));
    assert_eq!(
        iterator.items,
        Some(ir::ParameterItemsSpec::InputParameter(channel.into()))
    );
    let inner_inputs = &spec.components["comp-for-loop-3"]
        .input_definitions
        .as_ref()
        .unwrap()
        .parameters;
    assert_eq!(
        inner_inputs[format!("{channel}-loop-item").as_str()].parameter_type,
        ir::ParameterType::NumberInteger
    );
    assert_eq!(
        inner_inputs[channel].parameter_type,
        ir::ParameterType::List
    );
}

#[test]
fn a_loop_cannot_iterate_over_a_task_output_that_is_no_list_or_out_of_scope() {
    let (mut p, produce, _, _) = base();
    let single = p.add_task(Task::new(produce));
    loop_over(&mut p, None, single, "n");
    let error = compile(&p).unwrap_err().to_string();
    assert!(
        error.contains("output `n` of task `produce`, which is not a list (it is NUMBER_INTEGER)"),
        "{error}"
    );

    let (mut p, _, _, _) = base();
    let ids = with_list_producer(&mut p);
    let sibling = static_loop(&mut p, None);
    let inside = p.add_task(Task::new(ids).in_group(sibling));
    loop_over(&mut p, None, inside, "Output");
    let error = compile(&p).unwrap_err().to_string();
    assert!(
        error.contains("output `Output` of task `ids`, which runs in another loop or condition"),
        "{error}"
    );
}

#[test]
fn a_group_takes_its_component_name_before_a_later_sub_pipeline_as_in_kfp() {
    // inner: a loop of `consume` (its component `comp-for-loop-2`).
    let (mut inner, _, consume, _) = base();
    let g = static_loop(&mut inner, None);
    inner.add_task(
        Task::new(consume)
            .in_group(g)
            .bind("n", Binding::LoopItem(g)),
    );
    let sub = Component::from_pipeline(inner);

    // outer: a loop of its own (also `for-loop-2`), then the sub-pipeline.
    // kfp builds a DAG's groups before its tasks, so the outer loop keeps
    // the name and the sub-pipeline's loop becomes `comp-for-loop-2-2`,
    // whatever order they were recorded in.
    let (mut outer, produce, _, _) = base();
    let sub = outer.add_component(sub);
    outer.add_task(Task::new(sub).bind("xs", Binding::constant(json!([1]))));
    let g = static_loop(&mut outer, None);
    outer.add_task(Task::new(produce).in_group(g));
    let spec = compile(&outer).unwrap();
    let root = dag(spec.root.as_ref().unwrap());
    assert_eq!(
        root.tasks["for-loop-2"]
            .component_ref
            .as_ref()
            .unwrap()
            .name,
        "comp-for-loop-2"
    );
    let sub_key = &root.tasks["p"].component_ref.as_ref().unwrap().name;
    let sub_dag = dag(&spec.components[sub_key.as_str()]);
    assert_eq!(
        sub_dag.tasks["for-loop-2"]
            .component_ref
            .as_ref()
            .unwrap()
            .name,
        "comp-for-loop-2-2"
    );
    assert!(
        dag(&spec.components["comp-for-loop-2-2"])
            .tasks
            .contains_key("consume")
    );
    assert!(
        dag(&spec.components["comp-for-loop-2"])
            .tasks
            .contains_key("produce")
    );
}

/// A loop over two objects with a string field `name`.
fn object_loop(p: &mut Pipeline, parent: Option<GroupId>) -> GroupId {
    p.add_group(Group::parallel_for(
        parent,
        ParallelFor {
            items: LoopItems::Raw(vec![json!({"name": "a"}), json!({"name": "b"})]),
            item_kind: LoopItemKind::Parameter(ParameterType::Struct),
            parallelism: None,
        },
    ))
}

fn field(group: GroupId, field: &str) -> Binding {
    Binding::LoopItemField {
        group,
        field: field.into(),
    }
}

#[test]
fn a_field_of_a_loop_item_is_selected_from_the_item_also_in_a_nested_group() {
    let mut p = Pipeline::new("p");
    let show = p.add_component(
        Component::from_function_name("show")
            .with_input(InputParameter::new("text", ParameterType::String))
            .with_implementation(ContainerSpec::new("img")),
    );
    let g = object_loop(&mut p, None);
    let inner = object_loop(&mut p, Some(g));
    p.add_task(Task::new(show).in_group(g).bind("text", field(g, "name")));
    p.add_task(
        Task::new(show)
            .in_group(inner)
            .bind("text", field(g, "name")),
    );
    let spec = compile(&p).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(&spec).unwrap();
    let read = json!({
        "componentInputParameter": "pipelinechannel--loop-item-param-1",
        "parameterExpressionSelector": "parseJson(string_value)[\"name\"]"
    });
    let outer = &json["components"]["comp-for-loop-2"]["dag"]["tasks"];
    assert_eq!(outer["show"]["inputs"]["parameters"]["text"], read);
    // The inner loop gets the whole item; its task selects the field.
    assert_eq!(
        outer["for-loop-4"]["inputs"]["parameters"]["pipelinechannel--loop-item-param-1"],
        json!({"componentInputParameter": "pipelinechannel--loop-item-param-1"})
    );
    assert_eq!(
        json["components"]["comp-for-loop-4"]["inputDefinitions"]["parameters"]["pipelinechannel--loop-item-param-1"],
        json!({"parameterType": "STRUCT"})
    );
    assert_eq!(
        json["components"]["comp-for-loop-4"]["dag"]["tasks"]["show-2"]["inputs"]["parameters"]["text"],
        read
    );
}

#[test]
fn a_field_is_read_only_from_object_items_and_only_with_a_name_kfp_allows() {
    let (mut p, _, consume, _) = base();
    let g = static_loop(&mut p, None);
    p.add_task(Task::new(consume).in_group(g).bind("n", field(g, "n")));
    let (_, error) = task_error(&p);
    assert!(
        matches!(&error, TaskError::NotAnObjectItem { field, found, .. }
            if field == "n" && *found == ParameterType::Integer),
        "{error}"
    );

    let (mut p, _, consume, _) = base();
    let g = object_loop(&mut p, None);
    p.add_task(Task::new(consume).in_group(g).bind("n", field(g, "a-b")));
    let (_, error) = task_error(&p);
    assert!(
        matches!(&error, TaskError::InvalidItemField { field, .. } if field == "a-b"),
        "{error}"
    );
    assert!(error.to_string().contains("identifiers"), "{error}");
}

/// A loop over field `field` of the item of loop `outer`, inside `parent`.
fn field_loop(p: &mut Pipeline, parent: GroupId, outer: GroupId, field: &str) -> GroupId {
    p.add_group(Group::parallel_for(
        Some(parent),
        ParallelFor {
            items: LoopItems::LoopItemField {
                group: outer,
                field: field.into(),
            },
            item_kind: LoopItemKind::Parameter(ParameterType::String),
            parallelism: None,
        },
    ))
}

#[test]
fn a_loop_over_a_field_of_an_outer_item_selects_it_as_a_subvar_as_kfp_does() {
    let mut p = Pipeline::new("p");
    let show = p.add_component(
        Component::from_function_name("show")
            .with_input(InputParameter::new("text", ParameterType::String))
            .with_implementation(ContainerSpec::new("img")),
    );
    let outer = object_loop(&mut p, None);
    // A condition on the item's field `name`, with the inner loop in it.
    let cond = p.add_group(Group::condition(
        Some(outer),
        Condition {
            left: field(outer, "name"),
            op: Comparison::Eq,
            right: Binding::constant("a"),
        },
    ));
    let inner = field_loop(&mut p, cond, outer, "xs");
    p.add_task(
        Task::new(show)
            .in_group(inner)
            .bind("text", Binding::LoopItem(inner)),
    );
    let spec = compile(&p).unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_value(&spec).unwrap();
    let item = "pipelinechannel--loop-item-param-1";
    let subvar = "pipelinechannel--loop-item-param-1-subvar-xs";
    let read_item = json!({"componentInputParameter": item});
    let select = |field: &str| {
        json!({
            "componentInputParameter": item,
            "parameterExpressionSelector": format!("parseJson(string_value)[\"{field}\"]"),
        })
    };
    // The condition selects the field it compares; the item goes on in.
    let condition = &json["components"]["comp-for-loop-2"]["dag"]["tasks"]["condition-3"];
    let name = "pipelinechannel--loop-item-param-1-subvar-name";
    assert_eq!(condition["inputs"]["parameters"][name], select("name"));
    assert_eq!(condition["inputs"]["parameters"][item], read_item);
    assert_eq!(
        condition["triggerPolicy"]["condition"],
        format!("inputs.parameter_values['{name}'] == 'a'")
    );
    // The inner loop reads the item and selects the field it iterates over.
    let looped = &json["components"]["comp-condition-3"]["dag"]["tasks"]["for-loop-4"];
    assert_eq!(looped["inputs"]["parameters"][item], read_item);
    assert_eq!(looped["inputs"]["parameters"][subvar], select("xs"));
    assert_eq!(
        looped["parameterIterator"],
        json!({"itemInput": format!("{subvar}-loop-item"), "items": {"inputParameter": subvar}})
    );
    let declared = &json["components"]["comp-for-loop-4"]["inputDefinitions"]["parameters"];
    assert_eq!(declared[subvar], json!({"parameterType": "STRING"}));
    assert_eq!(declared[item], json!({"parameterType": "STRUCT"}));
    assert_eq!(
        json["components"]["comp-for-loop-4"]["dag"]["tasks"]["show"]["inputs"]["parameters"]["text"],
        json!({"componentInputParameter": format!("{subvar}-loop-item")})
    );
}

/// A task with no inputs in `group`.
fn task_in(p: &mut Pipeline, group: GroupId) {
    let c = p.add_component(
        Component::from_function_name("noop").with_implementation(ContainerSpec::new("img")),
    );
    p.add_task(Task::new(c).in_group(group));
}

#[test]
fn a_loop_over_a_field_needs_an_enclosing_loop_of_objects_and_a_name_kfp_allows() {
    let reason = |p: &Pipeline| match compile(p) {
        Err(CompileError::Component { reason, .. }) => reason,
        other => panic!("expected a component error, got {other:?}"),
    };
    // Integer items have no fields.
    let (mut p, _, _, _) = base();
    let outer = static_loop(&mut p, None);
    let inner = field_loop(&mut p, outer, outer, "xs");
    task_in(&mut p, inner);
    assert!(reason(&p).contains("not objects"), "{}", reason(&p));

    let mut p = Pipeline::new("p");
    let outer = object_loop(&mut p, None);
    let inner = field_loop(&mut p, outer, outer, "a-b");
    task_in(&mut p, inner);
    assert!(reason(&p).contains("field names"), "{}", reason(&p));

    // A sibling loop's item is not in scope.
    let mut p = Pipeline::new("p");
    let first = object_loop(&mut p, None);
    let second = object_loop(&mut p, None);
    let inner = field_loop(&mut p, second, first, "xs");
    task_in(&mut p, inner);
    assert!(reason(&p).contains("does not enclose"), "{}", reason(&p));
}

#[test]
fn a_condition_compares_a_field_only_of_object_items() {
    let (mut p, _, _, _) = base();
    let outer = static_loop(&mut p, None);
    let cond = p.add_group(Group::condition(
        Some(outer),
        Condition {
            left: field(outer, "n"),
            op: Comparison::Eq,
            right: Binding::constant("a"),
        },
    ));
    task_in(&mut p, cond);
    match compile(&p) {
        Err(CompileError::Component { reason, .. }) => {
            assert!(reason.contains("not objects"), "{reason}");
        }
        other => panic!("expected a component error, got {other:?}"),
    }
}
