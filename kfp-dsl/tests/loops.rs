//! Loops recorded through the DSL: tasks join the loop they are added in,
//! and misuse is reported when the pipeline compiles.

use kfp_dsl::__private::graph::{Binding, Comparison, GroupId, GroupKind, LoopItems};
use kfp_dsl::prelude::*;
use kfp_dsl::{ArtifactListOutput, ArtifactOutput};
use serde_json::json;

#[component]
fn square(n: i64) -> i64 {
    n * n
}

#[component]
fn total(ns: Vec<i64>) -> i64 {
    ns.iter().sum()
}

/// The sum of what two nested loops gathered: a list of lists.
#[component]
fn nested_total(ns: Vec<Vec<i64>>) -> i64 {
    ns.iter().flatten().sum()
}

#[pipeline]
fn squares(xs: Vec<i64>) -> i64 {
    let inner = ParallelFor::new(xs).parallelism(4).run(|x| {
        parallel_for([1, 2], |y| {
            square(x);
            square(y).output()
        })
    });
    nested_total(collected(inner)).output()
}

#[test]
fn tasks_join_the_innermost_loop_and_items_bind_to_their_loop() {
    let recorded = squares::__kfp_record();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    assert_eq!(p.groups.len(), 2);
    assert_eq!(p.groups[0].parent, None);
    assert_eq!(p.groups[1].parent, Some(GroupId(0)));
    let GroupKind::ParallelFor(outer) = &p.groups[0].kind else {
        panic!("not a loop")
    };
    assert_eq!(outer.items, LoopItems::PipelineParameter("xs".into()));
    assert_eq!(outer.parallelism, Some(4));
    let GroupKind::ParallelFor(inner) = &p.groups[1].kind else {
        panic!("not a loop")
    };
    assert_eq!(inner.items, LoopItems::Raw(vec![json!(1), json!(2)]));

    let groups: Vec<_> = p.tasks.iter().map(|t| t.group).collect();
    assert_eq!(groups, [Some(GroupId(1)), Some(GroupId(1)), None]);
    assert_eq!(
        p.tasks[0].argument("n"),
        Some(&Binding::LoopItem(GroupId(0)))
    );
    assert_eq!(
        p.tasks[1].argument("n"),
        Some(&Binding::LoopItem(GroupId(1)))
    );
    assert!(matches!(
        p.tasks[2].argument("ns"),
        Some(Binding::Collected { output, .. }) if output == "Output"
    ));

    let (_, yaml) = kfp_dsl::compile_to_string(squares::ENTRY, false).unwrap();
    assert!(
        yaml.contains("inputParameter: pipelinechannel--xs"),
        "{yaml}"
    );
    assert!(yaml.contains("raw: '[1, 2]'"), "{yaml}");
}

#[pipeline]
fn item_escapes() -> i64 {
    let item = parallel_for([1, 2], |x| x);
    square(item).output()
}

#[pipeline]
fn uncollected() -> i64 {
    let inside = parallel_for([1, 2], |x| square(x).output());
    square(inside).output()
}

#[pipeline]
fn flattened() -> i64 {
    let inner = parallel_for([1, 2], |_| parallel_for([3, 4], |y| square(y).output()));
    total(collected(inner)).output()
}

#[pipeline]
fn nested_once() -> Vec<Vec<i64>> {
    let inside = parallel_for([1, 2], |x| square(x).output());
    nested_total(collected(inside));
    collected(inside)
}

#[test]
fn what_nested_loops_gather_is_a_list_of_lists() {
    let err = kfp_dsl::compile_to_string(flattened::ENTRY, false)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "`collected` output `Output` is gathered out of 2 nested loops, so kfp passes it \
             as a `Vec<Vec<T>>`; it cannot go where a `Vec<T>` is expected"
        ),
        "{err}"
    );

    // One loop gathers a flat list: neither an input nor a pipeline output
    // declared as a list of lists takes it.
    let err = kfp_dsl::compile_to_string(nested_once::ENTRY, false)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err.matches(
            "is gathered out of one loop, so kfp passes it as a `Vec<T>`; it cannot go \
                     where a `Vec<Vec<T>>` is expected"
        )
        .count(),
        2,
        "{err}"
    );
}

#[test]
fn values_read_outside_their_loop_are_reported() {
    let err = kfp_dsl::compile_to_string(item_escapes::ENTRY, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("outside that loop"), "{err}");

    let err = kfp_dsl::compile_to_string(uncollected::ENTRY, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Collected"), "{err}");
}

#[pipeline]
fn gated(limit: i64) -> Vec<i64> {
    let big = parallel_for([1, 5], |x| {
        If::new(x.gt(limit))
            .display_name("big enough")
            .run(|| square(x).output())
    });
    collected(big)
}

#[test]
fn conditions_record_their_comparison_and_nest_in_loops() {
    let recorded = gated::__kfp_record();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    assert_eq!(p.groups[1].parent, Some(GroupId(0)));
    assert_eq!(p.groups[1].display_name.as_deref(), Some("big enough"));
    let GroupKind::Condition(c) = &p.groups[1].kind else {
        panic!("not a condition")
    };
    assert_eq!(c.left, Binding::LoopItem(GroupId(0)));
    assert_eq!(c.op, Comparison::Gt);
    assert_eq!(c.right, Binding::PipelineParameter("limit".into()));
    assert_eq!(p.tasks[0].group, Some(GroupId(1)));

    let (_, yaml) = kfp_dsl::compile_to_string(gated::ENTRY, false).unwrap();
    assert!(
        yaml.contains(
            "condition: int(inputs.parameter_values['pipelinechannel--loop-item-param-1'])\n              > int(inputs.parameter_values['pipelinechannel--limit'])"
        ),
        "{yaml}"
    );
    assert!(yaml.contains("name: big enough"), "{yaml}");
}

#[component]
fn write_number(n: i64, out: Output<Dataset>) -> std::io::Result<()> {
    std::fs::write(out.path(), n.to_string())
}

#[component]
fn count_datasets(datasets: Vec<Input<Dataset>>, best: Input<Dataset>) -> i64 {
    let _ = best;
    datasets.len() as i64
}

/// Named outputs of every kind a pipeline can publish.
#[derive(Outputs)]
pub struct Gathered {
    /// One dataset per item.
    datasets: Vec<Output<Dataset>>,
    squares: Vec<i64>,
    best: Output<Dataset>,
    count: i64,
}

#[pipeline]
fn gather(limit: i64) -> Gathered {
    let (datasets, squared) = parallel_for([1, 2, 3], |x| {
        let squared = square(x).output();
        let written = condition(x.le(limit), || write_number(squared).outputs().out);
        (written, squared)
    });
    let best = write_number(limit).outputs().out;
    let count = count_datasets(collected(datasets), best).output();
    GatheredHandles {
        datasets: collected(datasets),
        squares: collected(squared),
        best,
        count,
    }
}

#[pipeline]
fn reuse_gathered() -> i64 {
    let gathered = gather(2).output();
    count_datasets(gathered.datasets, gathered.best).output()
}

fn compiled(entry: kfp_dsl::PipelineEntry) -> serde_json::Value {
    let (_, json) = kfp_dsl::compile_to_string(entry, true).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&json).unwrap()
}

#[test]
fn named_outputs_publish_artifacts_and_collected_lists() {
    let recorded = gather::__kfp_record();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let names: Vec<_> = recorded.pipeline.outputs.iter().map(|o| &o.name).collect();
    assert_eq!(names, ["datasets", "squares", "best", "count"]);

    let ir = compiled(gather::ENTRY);
    let root = &ir["root"];
    let definitions = &root["outputDefinitions"];
    assert_eq!(definitions["artifacts"]["datasets"]["isArtifactList"], true);
    assert_eq!(
        definitions["artifacts"]["datasets"]["description"],
        "One dataset per item."
    );
    assert_eq!(definitions["artifacts"]["best"].get("isArtifactList"), None);
    assert_eq!(
        definitions["parameters"]["squares"]["parameterType"],
        "LIST"
    );
    assert_eq!(
        definitions["parameters"]["count"]["parameterType"],
        "NUMBER_INTEGER"
    );
    // The datasets come out of the condition, then out of the loop.
    assert_eq!(
        root["dag"]["outputs"]["artifacts"]["datasets"]["artifactSelectors"][0],
        json!({
            "producerSubtask": "for-loop-2",
            "outputArtifactKey": "pipelinechannel--write-number-out"
        })
    );
    let loop_dag = &ir["components"]["comp-for-loop-2"]["dag"];
    assert_eq!(
        loop_dag["outputs"]["artifacts"]["pipelinechannel--write-number-out"]["artifactSelectors"]
            [0]["producerSubtask"],
        "condition-3"
    );
}

#[test]
fn a_task_of_a_pipeline_gives_handles_to_its_named_outputs() {
    let ir = compiled(reuse_gathered::ENTRY);
    let tasks = &ir["root"]["dag"]["tasks"];
    let inputs = &tasks["count-datasets"]["inputs"]["artifacts"];
    assert_eq!(
        inputs["datasets"]["taskOutputArtifact"],
        json!({"producerTask": "gather", "outputArtifactKey": "datasets"})
    );
    assert_eq!(
        inputs["best"]["taskOutputArtifact"],
        json!({"producerTask": "gather", "outputArtifactKey": "best"})
    );
    let gather = &ir["components"]["comp-gather"]["outputDefinitions"];
    assert_eq!(gather["artifacts"]["datasets"]["isArtifactList"], true);
    assert_eq!(
        gather["artifacts"]["datasets"]["description"],
        "One dataset per item."
    );
}

#[component]
fn word(text: String) -> String {
    text
}

#[component]
fn label(n: i64, out: Output<Dataset>) -> std::io::Result<()> {
    std::fs::write(out.path(), n.to_string())
}

#[pipeline]
fn branching(limit: i64) -> String {
    let squared = square(limit).output();
    // An If/Elif without an Else gives no value.
    If::new(squared.gt(100))
        .then(|| {
            word("big");
        })
        .else_if(squared.gt(10), || {
            word("medium");
        });
    let (said, labelled) = If::new(limit.lt(0))
        .display_name("negative")
        .then(|| (word("negative").output(), label(limit).outputs().out))
        .otherwise(|| (word("other").output(), label(squared).outputs().out));
    count_datasets(vec_of(labelled), labelled);
    word(said).output()
}

/// A list of one dataset, from a sub-pipeline (so `count_datasets` can
/// take the OneOf both as its list and as its single input).
#[pipeline]
fn one_dataset(data: Input<Dataset>) -> Vec<Output<Dataset>> {
    let written = parallel_for([1], |n| label(n).outputs().out);
    let _ = data;
    collected(written)
}

fn vec_of(data: OneOf<ArtifactOutput<Dataset>>) -> ArtifactListOutput<Dataset> {
    one_dataset(data).output()
}

#[test]
fn chains_wrap_their_first_branch_and_record_one_of_per_output() {
    let recorded = branching::__kfp_record();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    let kinds: Vec<_> = p
        .groups
        .iter()
        .map(|g| match g.kind {
            GroupKind::Condition(_) => "condition",
            GroupKind::ConditionBranches => "branches",
            GroupKind::Else => "else",
            GroupKind::ParallelFor(_) => "loop",
            GroupKind::ExitHandler { .. } => "exit handler",
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "condition",
            "branches",
            "condition",
            "condition",
            "branches",
            "else"
        ]
    );
    // Each If is moved into the wrapper made when its second branch came.
    assert_eq!(p.groups[0].parent, Some(GroupId(1)));
    assert_eq!(p.groups[2].parent, Some(GroupId(1)));
    assert_eq!(p.groups[3].parent, Some(GroupId(4)));
    assert_eq!(p.groups[3].display_name.as_deref(), Some("negative"));
    assert_eq!(p.one_ofs.len(), 2);
    assert!(p.one_ofs.iter().all(|o| o.branches == GroupId(4)));
    assert_eq!(p.one_ofs[1].outputs[0].1, "out");

    let ir = compiled(branching::ENTRY);
    let root = &ir["root"]["dag"];
    assert_eq!(
        root["outputs"]["parameters"]["Output"]["valueFromParameter"]["producerSubtask"],
        "word-5"
    );
    let wrapper = &ir["components"]["comp-condition-branches-4"]["dag"]["outputs"];
    assert!(wrapper["parameters"]["pipelinechannel--condition-branches-4-oneof-1"].is_object());
    assert!(wrapper["artifacts"]["pipelinechannel--condition-branches-4-oneof-2"].is_object());
    assert_eq!(
        root["tasks"]["one-dataset"]["inputs"]["artifacts"]["data"]["taskOutputArtifact"]["producerTask"],
        "condition-branches-4"
    );
}

#[pipeline]
fn guarded(limit: i64) {
    let cleanup = word("cleaned up");
    ExitHandler::new(&cleanup)
        .display_name("guarded work")
        .run(|| {
            square(limit);
        });
}

#[pipeline]
fn exit_reads_a_task() {
    let first = square(2).output();
    let cleanup = square(first);
    exit_handler(&cleanup, || {
        square(3);
    });
}

#[test]
fn exit_handlers_record_their_exit_task() {
    let recorded = guarded::__kfp_record();
    assert!(recorded.errors.is_empty(), "{:?}", recorded.errors);
    let p = &recorded.pipeline;
    assert_eq!(
        p.groups[0].kind,
        GroupKind::ExitHandler {
            exit_task: kfp_dsl::__private::graph::TaskId(0)
        }
    );
    assert_eq!(p.groups[0].display_name.as_deref(), Some("guarded work"));
    assert_eq!(p.tasks[1].group, Some(GroupId(0)));

    let ir = compiled(guarded::ENTRY);
    let root = &ir["root"]["dag"];
    assert_eq!(
        root["tasks"]["word"]["dependentTasks"],
        json!(["exit-handler-1"])
    );
    assert_eq!(
        root["tasks"]["exit-handler-1"]["taskInfo"]["name"],
        "guarded work"
    );

    let err = kfp_dsl::compile_to_string(exit_reads_a_task::ENTRY, false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("cannot read another task's output"), "{err}");
}
