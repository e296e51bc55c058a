//! What every layout must satisfy.

use kfp_graph::{Layout, PipelineGraph, Rect};

/// Checks `layout` of `graph`: each task is found by its path, no two boxes
/// of one DAG overlap, every box lies inside its group's, and every edge
/// runs from the bottom of its source's box to the top of its target's.
/// Returns the first problem.
pub fn check(graph: &PipelineGraph, layout: &Layout) -> Result<(), String> {
    for task in graph.tasks() {
        if graph.find(&task.path) != Some(task.id) {
            return Err(format!("{} is not found by its path", task.path));
        }
        let rect = layout.rect(task.id);
        if !(rect.width > 0.0 && rect.height > 0.0) {
            return Err(format!("{} has an empty box", task.path));
        }
        if !graph.children(task.parent).contains(&task.id) {
            return Err(format!("{} is not among its group's tasks", task.path));
        }
    }
    let mut boxes: Vec<(Option<kfp_graph::TaskId>, Rect, &str)> = graph
        .tasks()
        .iter()
        .map(|t| (t.parent, layout.rect(t.id), t.path.as_str()))
        .collect();
    // Siblings, sorted by left side: a sweep finds overlaps without
    // comparing every pair.
    boxes.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.x.total_cmp(&b.1.x)));
    for (i, (parent, rect, path)) in boxes.iter().enumerate() {
        if let Some(p) = parent
            && !layout.rect(*p).contains(rect)
        {
            return Err(format!("{path} is outside its group"));
        }
        for (other_parent, other, other_path) in &boxes[i + 1..] {
            if other_parent != parent || other.x >= rect.x + rect.width {
                break;
            }
            if rect.overlaps(other) {
                return Err(format!("{path} {rect:?} overlaps {other_path} {other:?}"));
            }
        }
    }
    if !(layout.size.width >= 0.0 && layout.size.height >= 0.0) {
        return Err(format!("size {:?}", layout.size));
    }
    for (i, edge) in graph.edges().iter().enumerate() {
        let route = layout.route(i);
        let (from, to) = (layout.rect(edge.from), layout.rect(edge.to));
        let on = |p: &kfp_graph::Point, r: &Rect, y: f64| {
            (p.y - y).abs() < 0.01 && p.x >= r.x - 0.01 && p.x <= r.x + r.width + 0.01
        };
        let (Some(first), Some(last)) = (route.first(), route.last()) else {
            return Err(format!("edge {i} has no route"));
        };
        if !on(first, &from, from.y + from.height) || !on(last, &to, to.y) {
            return Err(format!(
                "edge {i} runs from {first:?} to {last:?}, not {from:?} to {to:?}"
            ));
        }
    }
    Ok(())
}
