//! The layout of made-up pipelines: random DAGs whose tasks sit in groups
//! (values passed in and out of the groups as kfp passes them), a long
//! chain and a wide fan-out. No two boxes of one DAG overlap, every box
//! lies inside its group's, every edge runs from its source's box to its
//! target's, and the SVG is well-formed.

mod common;

use common::check::check;
use common::{generate, xml};
use kfp_graph::{EdgeKind, Layout, PipelineGraph, SvgOptions, svg};

#[test]
fn random_grouped_dags_are_laid_out_without_overlaps() {
    for seed in 1..=60 {
        let tasks = 5 + (seed as usize * 7) % 60;
        let groups = (seed as usize) % 5;
        let spec = generate::random(seed, tasks, groups);
        let graph = PipelineGraph::from_spec(&spec);
        assert_eq!(graph.tasks().len(), tasks + groups, "seed {seed}");
        let layout = Layout::of(&graph);
        if let Err(problem) = check(&graph, &layout) {
            panic!("seed {seed} ({tasks} tasks, {groups} groups): {problem}");
        }
        let drawn = svg::render(&graph, &layout, &SvgOptions::default());
        if let Err(problem) = xml::check(&drawn) {
            panic!("seed {seed}: {problem}");
        }
        assert_eq!(
            Layout::of(&graph),
            layout,
            "seed {seed}: the layout is deterministic"
        );
    }
}

#[test]
fn cycles_which_no_valid_spec_has_are_drawn_all_the_same() {
    // 0 -> 1 -> 2 -> 0, and 3 (in a loop) reads 2 while 2 reads 3.
    let mut tasks: Vec<generate::Task> = (0..4)
        .map(|i| generate::Task {
            reads: vec![((i + 2) % 3, false)],
            group: None,
        })
        .collect();
    tasks[3] = generate::Task {
        reads: vec![(2, true)],
        group: Some(0),
    };
    tasks[2].reads.push((3, false));
    let graph = PipelineGraph::from_spec(&generate::spec("cycles", &tasks, 1));
    assert_eq!(graph.edges().len(), 5);
    let layout = Layout::of(&graph);
    for (i, _) in graph.edges().iter().enumerate() {
        assert!(layout.route(i).len() >= 2, "edge {i}");
    }
    for a in graph.roots() {
        for b in graph.roots() {
            assert!(a == b || !layout.rect(*a).overlaps(&layout.rect(*b)));
        }
    }
    xml::check(&svg::render(&graph, &layout, &SvgOptions::default())).unwrap();
}

#[test]
fn values_crossing_groups_become_edges_between_the_tasks() {
    // Task 1 (in loop 1) reads task 0 (root); task 2 (root) reads task 1;
    // task 3 (in loop 2) reads task 1 as an artifact.
    let tasks = [
        generate::Task {
            reads: vec![],
            group: None,
        },
        generate::Task {
            reads: vec![(0, false)],
            group: Some(0),
        },
        generate::Task {
            reads: vec![(1, false)],
            group: None,
        },
        generate::Task {
            reads: vec![(1, true)],
            group: Some(1),
        },
    ];
    let graph = PipelineGraph::from_spec(&generate::spec("crossing", &tasks, 2));
    let edges: Vec<(&str, &str, EdgeKind)> = graph
        .edges()
        .iter()
        .map(|e| {
            (
                graph.task(e.from).path.as_str(),
                graph.task(e.to).path.as_str(),
                e.kind,
            )
        })
        .collect();
    assert_eq!(
        edges,
        [
            ("for-loop-1/task-1", "for-loop-2/task-3", EdgeKind::Artifact),
            ("for-loop-1/task-1", "task-2", EdgeKind::Parameter),
            ("task-0", "for-loop-1/task-1", EdgeKind::Parameter),
        ]
    );
    let layout = Layout::of(&graph);
    check(&graph, &layout).unwrap();
    // The edge into the loop enters at its top and goes on to the task.
    let into = graph
        .edges()
        .iter()
        .position(|e| graph.task(e.from).key == "task-0")
        .unwrap();
    let loop_box = layout.rect(graph.find("for-loop-1").unwrap());
    assert!(
        layout
            .route(into)
            .iter()
            .any(|p| (p.y - loop_box.y).abs() < 0.01),
        "{:?}",
        layout.route(into)
    );
}

#[test]
fn a_long_chain_goes_straight_down() {
    let graph = PipelineGraph::from_spec(&generate::chain(300));
    let layout = Layout::of(&graph);
    check(&graph, &layout).unwrap();
    let xs: Vec<f64> = graph.tasks().iter().map(|t| layout.rect(t.id).x).collect();
    assert!(xs.iter().all(|&x| (x - xs[0]).abs() < 0.01), "one column");
    assert!(layout.size.height > 300.0 * 46.0);
}

#[test]
fn a_wide_fan_out_is_one_row_per_step() {
    let graph = PipelineGraph::from_spec(&generate::wide(200));
    let layout = Layout::of(&graph);
    check(&graph, &layout).unwrap();
    let mut rows: Vec<i64> = graph
        .tasks()
        .iter()
        .map(|t| layout.rect(t.id).y.round() as i64)
        .collect();
    rows.sort_unstable();
    rows.dedup();
    assert_eq!(rows.len(), 4, "{rows:?}");
    // Each reader of the fan-out sits right below the task it reads.
    for i in 0..200 {
        let a = layout.rect(graph.find(&format!("task-{}", 1 + i)).unwrap());
        let b = layout.rect(graph.find(&format!("task-{}", 201 + i)).unwrap());
        assert!(
            (a.x - b.x).abs() < 0.01,
            "task-{} and task-{}",
            1 + i,
            201 + i
        );
    }
}
