//! Loops recorded through the DSL: tasks join the loop they are added in,
//! and misuse is reported when the pipeline compiles.

use kfp_dsl::__private::graph::{Binding, Comparison, GroupId, GroupKind, LoopItems};
use kfp_dsl::prelude::*;
use serde_json::json;

#[component]
fn square(n: i64) -> i64 {
    n * n
}

#[component]
fn total(ns: Vec<i64>) -> i64 {
    ns.iter().sum()
}

#[pipeline]
fn squares(xs: Vec<i64>) -> i64 {
    let inner = ParallelFor::new(xs).parallelism(4).run(|x| {
        parallel_for([1, 2], |y| {
            square(x);
            square(y).output()
        })
    });
    total(collected(inner)).output()
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
