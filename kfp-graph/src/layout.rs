//! Where every task's box and every edge goes: a layered layout of the
//! graph, top to bottom, computed in Rust (no Graphviz).
//!
//! Groups are laid out from the inside out. Each DAG, the root's and each
//! group's, is laid out on its own ([`local`]: ranks, crossing reduction,
//! positions, routes), with each group in it one box of the size its own
//! layout needs; so a group's tasks stay together and boxes never overlap.
//! An edge between tasks of different DAGs is cut where it crosses a
//! group's border: inside the group it runs to (or from) a port on the
//! group's top (bottom) border, which the group's layout places like any
//! item; outside, it runs from (to) that port. All the pieces of one edge
//! join into one polyline.
//!
//! Everything is ordered by task id and edge order, never by hash, so the
//! same graph always gives the same layout.

mod local;
mod order;
mod place;
mod rank;

use std::collections::BTreeMap;

use crate::label;
use crate::model::{PipelineGraph, TaskId};
use crate::text;

/// The height of a task's box.
pub(crate) const NODE_HEIGHT: f64 = 46.0;
/// The narrowest and widest a task's box is: at its narrowest, a run's
/// badge (`SUCCEEDED 12.3s`) fits under its name.
const NODE_WIDTH: (f64, f64) = (160.0, 260.0);
/// The space left and right of a task's text.
pub(crate) const NODE_PADDING: f64 = 10.0;
/// The space kept left of a task's name for an icon.
pub(crate) const ICON_WIDTH: f64 = 16.0;
/// The space between a group's border and what it holds.
pub(crate) const GROUP_PADDING: f64 = 14.0;
/// The height of a group's title band (its name and caption).
pub(crate) const GROUP_TITLE_HEIGHT: f64 = 36.0;
/// The widest a group's caption is drawn.
pub(crate) const GROUP_CAPTION_WIDTH: f64 = 420.0;

/// A point, in pixels from the top left.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Point {
    /// Rightwards.
    pub x: f64,
    /// Downwards.
    pub y: f64,
}

/// A size, in pixels.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Size {
    /// Across.
    pub width: f64,
    /// Down.
    pub height: f64,
}

/// A rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    /// The left side.
    pub x: f64,
    /// The top side.
    pub y: f64,
    /// The width.
    pub width: f64,
    /// The height.
    pub height: f64,
}

impl Rect {
    /// True when the two rectangles share more than their borders.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.x + other.width
            && other.x < self.x + self.width
            && self.y < other.y + other.height
            && other.y < self.y + self.height
    }

    /// True when `other` lies inside this rectangle (borders included).
    pub fn contains(&self, other: &Rect) -> bool {
        self.x <= other.x
            && self.y <= other.y
            && other.x + other.width <= self.x + self.width
            && other.y + other.height <= self.y + self.height
    }
}

/// The layout of a [`PipelineGraph`]: a box per task (a group's box holds
/// the boxes of its tasks) and a polyline per edge, in pixels from the top
/// left of the drawing.
///
/// ```
/// use kfp_graph::{Layout, PipelineGraph};
///
/// # let spec: kfp_ir_schema::PipelineSpec = serde_json::from_value(serde_json::json!({
/// #     "pipelineInfo": {"name": "p"},
/// #     "root": {"dag": {"tasks": {
/// #         "a": {"taskInfo": {"name": "a"}, "componentRef": {"name": "comp-a"}},
/// #         "b": {"taskInfo": {"name": "b"}, "componentRef": {"name": "comp-b"},
/// #               "dependentTasks": ["a"]}
/// #     }}},
/// #     "schemaVersion": "2.1.0"
/// # }))?;
/// let graph = PipelineGraph::from_spec(&spec);
/// let layout = Layout::of(&graph);
/// let (a, b) = (graph.find("a").unwrap(), graph.find("b").unwrap());
/// assert!(layout.rect(a).y < layout.rect(b).y, "a runs first, so it is drawn above b");
/// let route = layout.route(0);
/// assert_eq!(route.first().unwrap().y, layout.rect(a).y + layout.rect(a).height);
/// assert_eq!(route.last().unwrap().y, layout.rect(b).y);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    /// The size of the whole drawing.
    pub size: Size,
    rects: Vec<Rect>,
    routes: Vec<Vec<Point>>,
}

/// One end of an edge in one DAG: a task of it, or one of its group's
/// ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    /// The task at this position among the DAG's tasks.
    Task(usize),
    /// The port where edges come into the group from outside.
    In,
    /// The port where edges leave the group.
    Out,
}

/// The DAGs of a graph: 0 is the root's, `1 + id` the DAG of group `id`.
fn dag_of(group: Option<TaskId>) -> usize {
    group.map_or(0, |g| g.index() + 1)
}

impl Layout {
    /// Lays out `graph`.
    pub fn of(graph: &PipelineGraph) -> Layout {
        let tasks = graph.tasks();
        let mut position = vec![0usize; tasks.len()];
        for dag in std::iter::once(None).chain(tasks.iter().map(|t| Some(t.id))) {
            for (i, &child) in graph.children(dag).iter().enumerate() {
                position[child.index()] = i;
            }
        }
        // The pieces of each edge, one per DAG it passes through.
        let mut dag_edges: BTreeMap<usize, Vec<(End, End)>> = BTreeMap::new();
        let mut piece_index: BTreeMap<(usize, End, End), usize> = BTreeMap::new();
        let mut piece = |dag: usize, from: End, to: End| {
            *piece_index.entry((dag, from, to)).or_insert_with(|| {
                let list = dag_edges.entry(dag).or_default();
                list.push((from, to));
                list.len() - 1
            })
        };
        let mut pieces: Vec<Vec<(usize, usize)>> = Vec::with_capacity(graph.edges().len());
        for edge in graph.edges() {
            let mut list = Vec::new();
            if let Some((a, b, common)) = graph.siblings_holding(edge.from, edge.to) {
                let mut x = edge.from;
                while x != a {
                    let up = tasks[x.index()].parent;
                    list.push((
                        dag_of(up),
                        piece(dag_of(up), End::Task(position[x.index()]), End::Out),
                    ));
                    x = up.expect("a task below `a` has a parent");
                }
                let at = dag_of(common);
                list.push((
                    at,
                    piece(
                        at,
                        End::Task(position[a.index()]),
                        End::Task(position[b.index()]),
                    ),
                ));
                let start = list.len();
                let mut y = edge.to;
                while y != b {
                    let up = tasks[y.index()].parent;
                    list.push((
                        dag_of(up),
                        piece(dag_of(up), End::In, End::Task(position[y.index()])),
                    ));
                    y = up.expect("a task below `b` has a parent");
                }
                list[start..].reverse();
            }
            pieces.push(list);
        }
        // Inside out: a group's tasks have larger ids than the group.
        let mut items = vec![local::Item::new(Size::default()); tasks.len()];
        let mut placed: BTreeMap<usize, local::Placed> = BTreeMap::new();
        let mut offsets = vec![Point::default(); tasks.len()];
        let empty = Vec::new();
        for task in tasks.iter().rev() {
            let i = task.id.index();
            if task.kind.is_group() {
                let edges = dag_edges.get(&dag_of(Some(task.id))).unwrap_or(&empty);
                let dag = local_graph(&task.children, edges, &items);
                let laid = local::lay_out(&dag);
                let (item, offset) = group_item(task, &dag, &laid);
                items[i] = item;
                offsets[i] = offset;
                placed.insert(dag_of(Some(task.id)), laid);
            } else {
                items[i] = local::Item::new(node_size(task));
            }
        }
        let root_edges = dag_edges.get(&0).unwrap_or(&empty);
        let root = local::lay_out(&local_graph(graph.roots(), root_edges, &items));
        let size = root.size;
        placed.insert(0, root);
        // Outside in: each DAG's origin, then its tasks' boxes.
        let mut origin = vec![Point::default(); tasks.len() + 1];
        let mut rects = vec![Rect::default(); tasks.len()];
        for dag in std::iter::once(None).chain(tasks.iter().map(|t| Some(t.id))) {
            let Some(laid) = placed.get(&dag_of(dag)) else {
                continue;
            };
            let o = origin[dag_of(dag)];
            for (&child, at) in graph.children(dag).iter().zip(&laid.at) {
                let c = child.index();
                let item = items[c];
                rects[c] = Rect {
                    x: o.x + at.x,
                    y: o.y + at.y,
                    width: item.size.width,
                    height: item.size.height,
                };
                origin[c + 1] = Point {
                    x: rects[c].x + offsets[c].x,
                    y: rects[c].y + offsets[c].y,
                };
            }
        }
        let routes = pieces
            .iter()
            .map(|list| {
                let mut points: Vec<Point> = Vec::new();
                for &(dag, p) in list {
                    let o = origin[dag];
                    for q in &placed[&dag].routes[p] {
                        let q = Point {
                            x: o.x + q.x,
                            y: o.y + q.y,
                        };
                        let repeat = points
                            .last()
                            .is_some_and(|l| (l.x - q.x).abs() < 0.01 && (l.y - q.y).abs() < 0.01);
                        if !repeat {
                            points.push(q);
                        }
                    }
                }
                points
            })
            .collect();
        Layout {
            size,
            rects,
            routes,
        }
    }

    /// The box of task `id`: a task's box, or a group's border.
    ///
    /// # Panics
    /// When `id` is not of the graph laid out.
    pub fn rect(&self, id: TaskId) -> Rect {
        self.rects[id.index()]
    }

    /// The points of edge `index` of [`PipelineGraph::edges`], from the
    /// bottom of its source to the top of its target; empty for an edge
    /// between a group and a task inside it, which is not drawn.
    pub fn route(&self, index: usize) -> &[Point] {
        &self.routes[index]
    }
}

/// The layout graph of one DAG: its tasks (by position), then its ports.
fn local_graph(children: &[TaskId], edges: &[(End, End)], items: &[local::Item]) -> local::Graph {
    let mut graph = local::Graph {
        items: children.iter().map(|c| items[c.index()]).collect(),
        ..local::Graph::default()
    };
    let uses = |port: End| edges.iter().any(|&(a, b)| a == port || b == port);
    let port = local::Item::new(Size::default());
    if uses(End::In) {
        graph.in_port = Some(graph.items.len());
        graph.items.push(port);
    }
    if uses(End::Out) {
        graph.out_port = Some(graph.items.len());
        graph.items.push(port);
    }
    let index = |end: End| match end {
        End::Task(i) => i,
        End::In => graph.in_port.expect("used"),
        End::Out => graph.out_port.expect("used"),
    };
    graph.edges = edges.iter().map(|&(a, b)| (index(a), index(b))).collect();
    graph
}

/// The box of a group holding `laid`, and where its content starts in it.
fn group_item(
    task: &crate::model::Task,
    dag: &local::Graph,
    laid: &local::Placed,
) -> (local::Item, Point) {
    let title = text::width(label::title(task), text::TITLE_PX * text::BOLD);
    let caption = text::width(&label::caption(task), text::SMALL_PX).min(GROUP_CAPTION_WIDTH);
    let content = laid.size;
    let width = (content.width + 2.0 * GROUP_PADDING).max(title.max(caption) + 2.0 * GROUP_PADDING);
    let height = GROUP_TITLE_HEIGHT + content.height + GROUP_PADDING;
    let offset = Point {
        x: (width - content.width) / 2.0,
        y: GROUP_TITLE_HEIGHT,
    };
    let port_x = |port: Option<usize>| port.map_or(width / 2.0, |p| offset.x + laid.at[p].x);
    let item = local::Item {
        size: Size { width, height },
        enter_at: port_x(dag.in_port),
        leave_at: port_x(dag.out_port),
    };
    (item, offset)
}

/// The size of a task's box: wide enough for its name and caption.
fn node_size(task: &crate::model::Task) -> Size {
    let text = text::width(label::title(task), text::TITLE_PX * text::BOLD)
        .max(text::width(&label::caption(task), text::SMALL_PX));
    let (narrowest, widest) = NODE_WIDTH;
    Size {
        width: (text + 2.0 * NODE_PADDING + ICON_WIDTH).clamp(narrowest, widest),
        height: NODE_HEIGHT,
    }
}
