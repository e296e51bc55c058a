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
        let pieces = Pieces::of(graph);
        let inside = InsideOut::lay_out(graph, &pieces);
        // Outside in: each DAG's origin, then its tasks' boxes.
        let tasks = graph.tasks();
        let mut origin = vec![Point::default(); tasks.len() + 1];
        let mut rects = vec![Rect::default(); tasks.len()];
        for dag in std::iter::once(None).chain(tasks.iter().map(|t| Some(t.id))) {
            let Some(laid) = inside.placed.get(&dag_of(dag)) else {
                continue;
            };
            let o = origin[dag_of(dag)];
            for (&child, at) in graph.children(dag).iter().zip(&laid.at) {
                let (c, size) = (child.index(), inside.items[child.index()].size);
                rects[c] = Rect {
                    x: o.x + at.x,
                    y: o.y + at.y,
                    width: size.width,
                    height: size.height,
                };
                origin[c + 1] = Point {
                    x: rects[c].x + inside.offsets[c].x,
                    y: rects[c].y + inside.offsets[c].y,
                };
            }
        }
        let routes = pieces
            .of_edge
            .iter()
            .map(|list| join(list, &origin, &inside.placed))
            .collect();
        Layout {
            size: inside.placed[&0].size,
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

/// The edges of the graph cut into pieces, one per DAG they pass through.
struct Pieces {
    /// The pieces in each DAG ([`dag_of`]), between its tasks and ports.
    by_dag: BTreeMap<usize, Vec<(End, End)>>,
    /// Each edge's pieces, from its source to its target: the DAG and the
    /// piece's index in it.
    of_edge: Vec<Vec<(usize, usize)>>,
}

impl Pieces {
    fn of(graph: &PipelineGraph) -> Self {
        let tasks = graph.tasks();
        let mut position = vec![0usize; tasks.len()];
        for dag in std::iter::once(None).chain(tasks.iter().map(|t| Some(t.id))) {
            for (i, &child) in graph.children(dag).iter().enumerate() {
                position[child.index()] = i;
            }
        }
        let at = |id: TaskId| End::Task(position[id.index()]);
        let mut pieces = Pieces {
            by_dag: BTreeMap::new(),
            of_edge: Vec::with_capacity(graph.edges().len()),
        };
        let mut index: BTreeMap<(usize, End, End), usize> = BTreeMap::new();
        for edge in graph.edges() {
            let mut list = Vec::new();
            let mut piece = |dag: Option<TaskId>, from: End, to: End| {
                let dag = dag_of(dag);
                let i = *index.entry((dag, from, to)).or_insert_with(|| {
                    let in_dag = pieces.by_dag.entry(dag).or_default();
                    in_dag.push((from, to));
                    in_dag.len() - 1
                });
                list.push((dag, i));
            };
            if let Some((a, b, common)) = graph.siblings_holding(edge.from, edge.to) {
                // Up from the source to its group's bottom port, and so on.
                for x in graph.ancestors(edge.from).take_while(|&x| x != a) {
                    piece(tasks[x.index()].parent, at(x), End::Out);
                }
                piece(common, at(a), at(b));
                // Down from each group's top port to the target.
                let down: Vec<TaskId> = graph.ancestors(edge.to).take_while(|&y| y != b).collect();
                for &y in down.iter().rev() {
                    piece(tasks[y.index()].parent, End::In, at(y));
                }
            }
            pieces.of_edge.push(list);
        }
        pieces
    }
}

/// Every DAG laid out, from the innermost groups out to the root.
struct InsideOut {
    /// What each task is in its DAG's layout: its box, and a group's ports.
    items: Vec<local::Item>,
    /// Where each group's content starts in its box.
    offsets: Vec<Point>,
    /// The layout of each DAG ([`dag_of`]).
    placed: BTreeMap<usize, local::Placed>,
}

impl InsideOut {
    fn lay_out(graph: &PipelineGraph, pieces: &Pieces) -> Self {
        let tasks = graph.tasks();
        let mut done = InsideOut {
            items: vec![local::Item::new(Size::default()); tasks.len()],
            offsets: vec![Point::default(); tasks.len()],
            placed: BTreeMap::new(),
        };
        let edges_of = |dag: usize| pieces.by_dag.get(&dag).map_or(&[][..], Vec::as_slice);
        // A group's tasks have larger ids than the group.
        for task in tasks.iter().rev() {
            let i = task.id.index();
            if task.kind.is_group() {
                let dag = dag_of(Some(task.id));
                let local = local_graph(&task.children, edges_of(dag), &done.items);
                let laid = local::lay_out(&local);
                (done.items[i], done.offsets[i]) = group_item(task, &local, &laid);
                done.placed.insert(dag, laid);
            } else {
                done.items[i] = local::Item::new(node_size(task));
            }
        }
        let root = local_graph(graph.roots(), edges_of(0), &done.items);
        done.placed.insert(0, local::lay_out(&root));
        done
    }
}

/// The points of an edge: its pieces' routes, each moved to its DAG's
/// origin, joined (a point shared by two pieces once).
fn join(
    pieces: &[(usize, usize)],
    origin: &[Point],
    placed: &BTreeMap<usize, local::Placed>,
) -> Vec<Point> {
    let mut points: Vec<Point> = Vec::new();
    for &(dag, piece) in pieces {
        let o = origin[dag];
        for p in &placed[&dag].routes[piece] {
            let p = Point {
                x: o.x + p.x,
                y: o.y + p.y,
            };
            let repeat = points
                .last()
                .is_some_and(|l| (l.x - p.x).abs() < 0.01 && (l.y - p.y).abs() < 0.01);
            if !repeat {
                points.push(p);
            }
        }
    }
    points
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
