//! The graph of KFP's own compiled pipelines (`../shared/kfp-golden`):
//! every file gives a graph with every task, edges between tasks that
//! exist, a layout whose boxes do not overlap, a well-formed SVG, and the
//! same bytes every time; a few files are checked in detail, and the DOT
//! and Mermaid of three are snapshots.

mod common;

use std::path::{Path, PathBuf};

use common::check::check;
use common::xml;
use kfp_graph::{EdgeKind, Format, Layout, PipelineGraph, TaskKind, dot, mermaid, render};
use kfp_ir_schema::{ComponentImplementation, DagSpec, PipelineFile, PipelineSpec};

fn golden() -> Option<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/kfp-golden/sdk_compiled_pipelines/valid");
    folder.is_dir().then_some(folder)
}

fn yaml_files(folder: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.push(path);
        }
    }
}

fn read(relative: &str) -> Option<PipelineSpec> {
    let Some(folder) = golden() else {
        println!("skipped: ../shared not found");
        return None;
    };
    Some(PipelineFile::read(folder.join(relative)).unwrap().spec)
}

/// The number of tasks in `dag` and the DAGs of its tasks' components.
fn count_tasks(spec: &PipelineSpec, dag: &DagSpec) -> usize {
    dag.tasks
        .values()
        .map(|task| {
            let name = task.component_ref.as_ref().map_or("", |r| r.name.as_str());
            1 + match spec
                .components
                .get(name)
                .and_then(|c| c.implementation.as_ref())
            {
                Some(ComponentImplementation::Dag(inner)) => count_tasks(spec, inner),
                _ => 0,
            }
        })
        .sum()
}

#[test]
fn every_golden_file_is_drawn_whole_and_the_same_every_time() {
    let Some(folder) = golden() else {
        println!("skipped: ../shared not found");
        return;
    };
    let mut files = Vec::new();
    yaml_files(&folder, &mut files);
    assert!(files.len() > 100, "{} files", files.len());
    let mut problems = Vec::new();
    for path in &files {
        let name = path.strip_prefix(&folder).unwrap().display().to_string();
        let spec = PipelineFile::read(path).unwrap().spec;
        let graph = PipelineGraph::from_spec(&spec);
        let root = match spec.root.as_ref().and_then(|r| r.implementation.as_ref()) {
            Some(ComponentImplementation::Dag(dag)) => dag,
            _ => panic!("{name}: no root DAG"),
        };
        if graph.tasks().len() != count_tasks(&spec, root) {
            problems.push(format!(
                "{name}: {} tasks, not {}",
                graph.tasks().len(),
                count_tasks(&spec, root)
            ));
        }
        let layout = Layout::of(&graph);
        for (i, edge) in graph.edges().iter().enumerate() {
            if graph.contains(edge.from, edge.to) || graph.contains(edge.to, edge.from) {
                problems.push(format!(
                    "{name}: edge {i} joins a group and a task inside it"
                ));
            }
        }
        if let Err(problem) = check(&graph, &layout) {
            problems.push(format!("{name}: {problem}"));
        }
        let svg = render(&spec, Format::Svg);
        match xml::check(&svg) {
            Ok(elements) if elements > graph.tasks().len() => {}
            Ok(elements) => problems.push(format!("{name}: only {elements} SVG elements")),
            Err(problem) => problems.push(format!("{name}: SVG not well-formed: {problem}")),
        }
        for format in [Format::Svg, Format::Dot, Format::Mermaid] {
            if render(&spec, format) != render(&spec, format) {
                problems.push(format!("{name}: {format} differs between two runs"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    println!("{} golden files drawn", files.len());
}

#[test]
fn loops_show_what_they_iterate_over() {
    let Some(spec) = read("parallel_and_nested/pipeline_with_loops.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    assert_eq!(graph.tasks().len(), 11);
    let loops: Vec<(&str, String)> = graph
        .tasks()
        .iter()
        .filter_map(|t| match &t.kind {
            TaskKind::Loop(l) => Some((t.path.as_str(), l.items.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        loops,
        [
            ("for-loop-1", "loop_parameter".to_owned()),
            ("for-loop-2", "args-generator-op.Output".to_owned()),
            (
                "for-loop-4",
                r#"[{"A_a": "1", "B_b": "2"}, {"A_a": "10", "B_b": "20"}]"#.to_owned()
            ),
        ]
    );
    let for_loop_2 = graph.find("for-loop-2").unwrap();
    assert_eq!(graph.task(for_loop_2).children.len(), 3);
    // The loop reads the list; the tasks inside read its items, not the list.
    let [edge] = graph.edges() else {
        panic!("{:?}", graph.edges())
    };
    assert_eq!(edge.from, graph.find("args-generator-op").unwrap());
    assert_eq!((edge.to, edge.kind), (for_loop_2, EdgeKind::Parameter));
    assert_eq!(edge.values, ["Output → items"]);
}

#[test]
fn a_parallelism_limit_is_shown() {
    let Some(spec) = read("pipeline_with_parallelfor_parallelism.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    let limited: Vec<u32> = graph
        .tasks()
        .iter()
        .filter_map(|t| match &t.kind {
            TaskKind::Loop(l) => l.parallelism,
            _ => None,
        })
        .collect();
    assert!(!limited.is_empty());
    let task = graph
        .tasks()
        .iter()
        .find(|t| matches!(&t.kind, TaskKind::Loop(l) if l.parallelism.is_some()))
        .unwrap();
    assert!(
        kfp_graph::label::caption(task).ends_with(" at a time"),
        "{}",
        kfp_graph::label::caption(task)
    );
}

#[test]
fn an_exit_handler_holds_its_tasks_and_the_exit_task_waits_for_it() {
    let Some(spec) = read("failing/pipeline_with_exit_handler.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    let handler = graph.find("exit-handler-1").unwrap();
    assert_eq!(graph.task(handler).kind, TaskKind::ExitHandler);
    let inside: Vec<&str> = graph
        .task(handler)
        .children
        .iter()
        .map(|&c| graph.task(c).key.as_str())
        .collect();
    assert_eq!(inside, ["fail-op", "print-op-2"]);
    let exit = graph.find("print-op").unwrap();
    assert!(graph.task(exit).ignores_upstream_failure);
    let [edge] = graph.edges() else {
        panic!("{:?}", graph.edges())
    };
    assert_eq!(
        (edge.from, edge.to, edge.kind),
        (handler, exit, EdgeKind::Order)
    );
    assert!(edge.values.is_empty());

    // With the final status passed, the edge carries it.
    let Some(spec) = read("pipeline_with_task_final_status.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    let handler = graph.find("exit-handler-1").unwrap();
    assert_eq!(graph.task(handler).display_name, "my-pipeline");
    let [edge] = graph.edges() else {
        panic!("{:?}", graph.edges())
    };
    assert_eq!(
        (edge.from, edge.to, edge.kind),
        (handler, graph.find("exit-op").unwrap(), EdgeKind::Parameter)
    );
    assert_eq!(edge.values, ["final status → status"]);
}

#[test]
fn if_elif_else_nests_its_branches_and_names_what_they_compare() {
    let Some(spec) = read("if_elif_else_complex.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    let find = |path: &str| graph.find(path).unwrap_or_else(|| panic!("{path}"));
    let branches = find("for-loop-1/condition-branches-4");
    assert_eq!(graph.task(branches).kind, TaskKind::Branches);
    assert_eq!(
        graph.depth(find("for-loop-1/condition-2/condition-3/print-and-return")),
        3
    );
    let readable = |path: &str| {
        graph
            .task(find(path))
            .condition
            .as_ref()
            .unwrap()
            .readable
            .clone()
    };
    assert_eq!(readable("for-loop-1/condition-2"), "add_drumroll == true");
    assert_eq!(
        readable("for-loop-1/condition-2/condition-3"),
        "for-loop-1.item == 3"
    );
    assert_eq!(
        readable("for-loop-1/condition-branches-4/condition-8"),
        "int-0-to-9999.Output < 5000"
    );
    assert_eq!(
        readable("for-loop-1/condition-branches-4/condition-13"),
        "!(int-0-to-9999.Output < 5000) && !(int-0-to-9999.Output > 5000)"
    );
    let edge = |from: &str, to: &str| {
        let (from, to) = (find(from), find(to));
        graph
            .edges()
            .iter()
            .find(|e| e.from == from && e.to == to)
            .map(|e| e.kind)
    };
    // Out of the loop: the collected outputs of the task inside.
    assert_eq!(
        edge("for-loop-1/int-0-to-9999", "print-ints"),
        Some(EdgeKind::Parameter)
    );
    // Into a branch: what its condition compares.
    assert_eq!(
        edge(
            "for-loop-1/int-0-to-9999",
            "for-loop-1/condition-branches-4/condition-8"
        ),
        Some(EdgeKind::Parameter)
    );
    // Out of an If/Else as a OneOf: from each branch's task.
    for branch in [
        "condition-6/print-and-return-2",
        "condition-7/print-and-return-3",
    ] {
        assert_eq!(
            edge(
                &format!(
                    "for-loop-1/condition-branches-4/condition-8/condition-branches-5/{branch}"
                ),
                "for-loop-1/condition-branches-4/condition-8/print-and-return-4"
            ),
            Some(EdgeKind::Parameter),
            "{branch}"
        );
    }
    // Groups are clusters: 2 loops, 10 conditions, 3 chains.
    let groups = graph.tasks().iter().filter(|t| t.kind.is_group()).count();
    assert_eq!(groups, 15);
}

#[test]
fn nested_pipelines_are_groups_and_their_outputs_come_from_inside() {
    let Some(spec) = read("parallel_and_nested/pipeline_in_pipeline.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    let inner = graph.find("inner-pipeline").unwrap();
    assert_eq!(graph.task(inner).kind, TaskKind::Pipeline);
    assert_eq!(
        kfp_graph::label::caption(graph.task(inner)),
        "pipeline inner-pipeline"
    );
    let [edge] = graph.edges() else {
        panic!("{:?}", graph.edges())
    };
    assert_eq!(edge.from, graph.find("inner-pipeline/print-op1").unwrap());
    assert_eq!(edge.to, graph.find("inner-pipeline/print-op2").unwrap());

    let Some(spec) = read("critical/artifact_crust.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    let [edge] = graph.edges() else {
        panic!("{:?}", graph.edges())
    };
    assert_eq!(edge.from, graph.find("mantle/core/core-comp").unwrap());
    assert_eq!(
        (edge.to, edge.kind),
        (graph.find("crust-comp").unwrap(), EdgeKind::Artifact)
    );
    assert_eq!(edge.values, ["dataset → input"]);
}

#[test]
fn an_importer_is_a_task_of_its_own_kind() {
    let Some(spec) = read("pipeline_with_importer.yaml") else {
        return;
    };
    let graph = PipelineGraph::from_spec(&spec);
    let importers = graph
        .tasks()
        .iter()
        .filter(|t| t.kind == TaskKind::Importer)
        .count();
    assert!(importers >= 1);
    assert!(
        graph
            .edges()
            .iter()
            .any(|e| e.kind == EdgeKind::Artifact && graph.task(e.from).kind == TaskKind::Importer)
    );
}

#[test]
fn dot_and_mermaid_snapshots() {
    for file in [
        "parallel_and_nested/pipeline_with_loops.yaml",
        "pipeline_with_task_final_status.yaml",
        "critical/artifact_crust.yaml",
    ] {
        let Some(spec) = read(file) else {
            return;
        };
        let graph = PipelineGraph::from_spec(&spec);
        let stem = Path::new(file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        insta::assert_snapshot!(format!("{stem}.dot"), dot::render(&graph));
        insta::assert_snapshot!(format!("{stem}.mmd"), mermaid::render(&graph));
    }
}
