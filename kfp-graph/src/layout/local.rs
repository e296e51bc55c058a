//! The layered (Sugiyama) layout of one DAG: its items are tasks and the
//! boxes of groups already laid out, plus up to two ports, the points where
//! edges from outside the group enter it (at the top) and leave it (at the
//! bottom).
//!
//! Ranks ([`super::rank`]), a dummy node in every rank an edge passes
//! through, the order in each rank ([`super::order`]), horizontal positions
//! ([`super::place`]), then rows: each rank as tall as its tallest item,
//! items centred in it. An edge runs from the bottom of its source through
//! its dummies (straight down each row) to the top of its target.

use super::place::{self, Nodes};
use super::rank;
use super::{Point, Size};

/// The vertical gap between two rows.
const ROW_GAP: f64 = 44.0;
/// The vertical gap between a port's row and the next.
const PORT_GAP: f64 = 18.0;

/// An item to place.
#[derive(Clone, Copy, Debug)]
pub(super) struct Item {
    /// Its size (zero for a port).
    pub size: Size,
    /// Where edges enter it, from its left side.
    pub enter_at: f64,
    /// Where edges leave it, from its left side.
    pub leave_at: f64,
}

impl Item {
    /// A box whose edges enter and leave at the middle.
    pub fn new(size: Size) -> Self {
        Self {
            size,
            enter_at: size.width / 2.0,
            leave_at: size.width / 2.0,
        }
    }
}

/// One DAG to lay out.
#[derive(Debug, Default)]
pub(super) struct Graph {
    /// The items; ports included.
    pub items: Vec<Item>,
    /// The edges, between items.
    pub edges: Vec<(usize, usize)>,
    /// The item that is the top port, where outside edges come in.
    pub in_port: Option<usize>,
    /// The item that is the bottom port, where edges go out.
    pub out_port: Option<usize>,
}

/// Where everything of a [`Graph`] went, from the top left of its content.
#[derive(Debug, Default)]
pub(super) struct Placed {
    /// The top left of each item.
    pub at: Vec<Point>,
    /// The size of the content.
    pub size: Size,
    /// Each edge's points, from its source to its target.
    pub routes: Vec<Vec<Point>>,
}

/// A ranked graph with dummies: nodes `0..items` are the items.
struct Ranked {
    rank: Vec<usize>,
    preds: Vec<Vec<u32>>,
    succs: Vec<Vec<u32>>,
    /// Each edge's nodes, from its upper end to its lower end.
    chains: Vec<Vec<u32>>,
    /// Whether each edge was turned around to break a cycle.
    reversed: Vec<bool>,
}

/// Lays out `graph`.
pub(super) fn lay_out(graph: &Graph) -> Placed {
    let n = graph.items.len();
    if n == 0 {
        return Placed::default();
    }
    let ranked = rank_with_dummies(graph);
    let layers = super::order::order(&ranked.rank, &ranked.preds, &ranked.succs);
    let total = ranked.rank.len();
    let mut width = vec![0.0; total];
    let mut out_offset = vec![0.0; total];
    let mut in_offset = vec![0.0; total];
    let dummy: Vec<bool> = (0..total).map(|v| v >= n).collect();
    for (v, item) in graph.items.iter().enumerate() {
        width[v] = item.size.width;
        out_offset[v] = item.leave_at - item.size.width / 2.0;
        in_offset[v] = item.enter_at - item.size.width / 2.0;
    }
    let centre = place::centres(
        &layers,
        &Nodes {
            width: &width,
            dummy: &dummy,
            out_offset: &out_offset,
            in_offset: &in_offset,
            preds: &ranked.preds,
            succs: &ranked.succs,
        },
    );
    // Rows.
    let is_port = |v: usize| Some(v) == graph.in_port || Some(v) == graph.out_port;
    let mut row_height = vec![0.0f64; layers.len()];
    let mut port_row = vec![false; layers.len()];
    for (v, item) in graph.items.iter().enumerate() {
        let r = ranked.rank[v];
        row_height[r] = row_height[r].max(item.size.height);
        port_row[r] |= is_port(v);
    }
    let mut row_top = Vec::with_capacity(layers.len());
    let mut y = 0.0;
    for r in 0..layers.len() {
        if r > 0 {
            y += if port_row[r] || port_row[r - 1] {
                PORT_GAP
            } else {
                ROW_GAP
            };
        }
        row_top.push(y);
        y += row_height[r];
    }
    let left = (0..total)
        .map(|v| centre[v] - width[v] / 2.0)
        .fold(f64::INFINITY, f64::min);
    let right = (0..total)
        .map(|v| centre[v] + width[v] / 2.0)
        .fold(f64::NEG_INFINITY, f64::max);
    let at: Vec<Point> = (0..total)
        .map(|v| {
            let r = ranked.rank[v];
            let height = graph.items.get(v).map_or(0.0, |i| i.size.height);
            Point {
                x: centre[v] - width[v] / 2.0 - left,
                y: row_top[r] + (row_height[r] - height) / 2.0,
            }
        })
        .collect();
    let routes = ranked
        .chains
        .iter()
        .zip(&ranked.reversed)
        .map(|(chain, &reversed)| {
            route(
                chain,
                graph,
                &at,
                &ranked.rank,
                &row_top,
                &row_height,
                reversed,
            )
        })
        .collect();
    let mut at = at;
    at.truncate(n);
    Placed {
        at,
        size: Size {
            width: right - left,
            height: y,
        },
        routes,
    }
}

/// The points of one edge: out of the bottom of its upper end, down each
/// row it passes, into the top of its lower end; turned around if the edge
/// was.
fn route(
    chain: &[u32],
    graph: &Graph,
    at: &[Point],
    rank: &[usize],
    row_top: &[f64],
    row_height: &[f64],
    reversed: bool,
) -> Vec<Point> {
    let n = graph.items.len();
    let (first, last) = (chain[0] as usize, chain[chain.len() - 1] as usize);
    let mut points = Vec::with_capacity(chain.len() * 2);
    // Out of the row of the upper end straight down, and into the row of
    // the lower end straight down, so that an edge never cuts across a
    // taller neighbour of either.
    let upper = graph.items[first];
    let start = Point {
        x: at[first].x + upper.leave_at,
        y: at[first].y + upper.size.height,
    };
    points.push(start);
    let row_bottom = row_top[rank[first]] + row_height[rank[first]];
    if start.y < row_bottom {
        points.push(Point {
            y: row_bottom,
            ..start
        });
    }
    for &d in &chain[1..chain.len() - 1] {
        let d = d as usize;
        debug_assert!(d >= n);
        let r = rank[d];
        points.push(Point {
            x: at[d].x,
            y: row_top[r],
        });
        if row_height[r] > 0.0 {
            points.push(Point {
                x: at[d].x,
                y: row_top[r] + row_height[r],
            });
        }
    }
    let lower = graph.items[last];
    let end = Point {
        x: at[last].x + lower.enter_at,
        y: at[last].y,
    };
    if end.y > row_top[rank[last]] {
        points.push(Point {
            y: row_top[rank[last]],
            ..end
        });
    }
    points.push(end);
    if reversed {
        points.reverse();
    }
    points
}

/// Ranks the items (ports above and below all others), and adds a dummy
/// node for each rank an edge passes through.
fn rank_with_dummies(graph: &Graph) -> Ranked {
    let n = graph.items.len();
    let is_port = |v: usize| Some(v) == graph.in_port || Some(v) == graph.out_port;
    // Rank the items without the ports, then put the ports around them.
    let inner: Vec<usize> = (0..n).filter(|&v| !is_port(v)).collect();
    let mut slot = vec![usize::MAX; n];
    for (i, &v) in inner.iter().enumerate() {
        slot[v] = i;
    }
    let inner_edges: Vec<(usize, usize)> = graph
        .edges
        .iter()
        .filter(|&&(u, v)| !is_port(u) && !is_port(v))
        .map(|&(u, v)| (slot[u], slot[v]))
        .collect();
    let (inner_rank, inner_reversed) = rank::assign(inner.len(), &inner_edges);
    let shift = usize::from(graph.in_port.is_some());
    let mut rank = vec![0usize; n];
    for (i, &v) in inner.iter().enumerate() {
        rank[v] = inner_rank[i] + shift;
    }
    let deepest = inner_rank.iter().max().map_or(0, |&r| r + shift);
    if let Some(p) = graph.out_port {
        rank[p] = deepest + 1;
    }
    let mut inner_turned = inner_reversed.into_iter();
    let mut ranked = Ranked {
        rank,
        preds: vec![Vec::new(); n],
        succs: vec![Vec::new(); n],
        chains: Vec::with_capacity(graph.edges.len()),
        reversed: Vec::with_capacity(graph.edges.len()),
    };
    for &(u, v) in &graph.edges {
        let turned = if is_port(u) || is_port(v) {
            false
        } else {
            inner_turned.next().unwrap_or(false)
        };
        let (upper, lower) = if turned { (v, u) } else { (u, v) };
        let mut chain = vec![upper as u32];
        for r in ranked.rank[upper] + 1..ranked.rank[lower] {
            let d = ranked.rank.len();
            ranked.rank.push(r);
            ranked.preds.push(Vec::new());
            ranked.succs.push(Vec::new());
            chain.push(d as u32);
        }
        chain.push(lower as u32);
        for pair in chain.windows(2) {
            ranked.succs[pair[0] as usize].push(pair[1]);
            ranked.preds[pair[1] as usize].push(pair[0]);
        }
        ranked.chains.push(chain);
        ranked.reversed.push(turned);
    }
    ranked
}
