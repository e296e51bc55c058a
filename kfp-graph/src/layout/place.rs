//! Horizontal positions: each node as close as the order and the gaps allow
//! to where its edges pull it.
//!
//! A pass goes over the ranks one by one. In each rank, every node wants
//! the weighted mean of the positions its edges to the rank before (or
//! after) would be straight at; the positions that keep the rank's order
//! and gaps and are nearest to those wishes in the least-squares sense are
//! found exactly by isotonic regression (pool adjacent violators), in
//! linear time. Edges between dummy nodes weigh most, so long edges run
//! straight. Passes go down, up, and finally both ways at once.

/// The horizontal gap between two boxes.
const NODE_GAP: f64 = 28.0;
/// The gap between an edge passing through a rank and anything beside it.
const DUMMY_GAP: f64 = 10.0;
/// How many rounds of a pass down and a pass up.
const ROUNDS: usize = 4;

/// The nodes of a ranked graph, as placing them needs them.
pub(super) struct Nodes<'a> {
    /// Each node's width (0 for a dummy).
    pub width: &'a [f64],
    /// Whether each node is a dummy (a point an edge passes through).
    pub dummy: &'a [bool],
    /// Where each node's outgoing edges leave it, from its centre.
    pub out_offset: &'a [f64],
    /// Where each node's incoming edges enter it, from its centre.
    pub in_offset: &'a [f64],
    /// Each node's neighbours one rank up.
    pub preds: &'a [Vec<u32>],
    /// Each node's neighbours one rank down.
    pub succs: &'a [Vec<u32>],
}

/// Which neighbours a pass follows.
#[derive(Clone, Copy)]
enum Pass {
    Down,
    Up,
    Both,
}

/// The centre of each node.
pub(super) fn centres(layers: &[Vec<u32>], nodes: &Nodes<'_>) -> Vec<f64> {
    let mut x = vec![0.0; nodes.width.len()];
    for layer in layers {
        let mut at = 0.0;
        for (i, &v) in layer.iter().enumerate() {
            if i > 0 {
                at += separation(nodes, layer[i - 1], v);
            }
            x[v as usize] = at;
        }
    }
    let mut scratch = Scratch::default();
    for _ in 0..ROUNDS {
        for layer in layers.iter().skip(1) {
            fit(layer, nodes, Pass::Down, &mut x, &mut scratch);
        }
        for layer in layers.iter().rev().skip(1) {
            fit(layer, nodes, Pass::Up, &mut x, &mut scratch);
        }
    }
    for layer in layers {
        fit(layer, nodes, Pass::Both, &mut x, &mut scratch);
    }
    x
}

/// The distance between the centres of two neighbours in a rank.
fn separation(nodes: &Nodes<'_>, left: u32, right: u32) -> f64 {
    let (l, r) = (left as usize, right as usize);
    let gap = if nodes.dummy[l] || nodes.dummy[r] {
        DUMMY_GAP
    } else {
        NODE_GAP
    };
    (nodes.width[l] + nodes.width[r]) / 2.0 + gap
}

/// The weight of an edge: straight long edges matter most.
fn weight(nodes: &Nodes<'_>, a: u32, b: u32) -> f64 {
    match (nodes.dummy[a as usize], nodes.dummy[b as usize]) {
        (true, true) => 8.0,
        (false, false) => 1.0,
        _ => 2.0,
    }
}

/// Buffers reused by every [`fit`].
#[derive(Default)]
struct Scratch {
    target: Vec<f64>,
    weight: Vec<f64>,
    offset: Vec<f64>,
    blocks: Vec<Block>,
}

/// A run of adjacent nodes that sit at their least separation.
#[derive(Clone, Copy)]
struct Block {
    weight: f64,
    weighted_sum: f64,
    len: usize,
}

impl Block {
    fn mean(&self) -> f64 {
        self.weighted_sum / self.weight
    }
}

/// Moves the nodes of `layer` to where `pass` pulls them, keeping their
/// order and gaps.
fn fit(layer: &[u32], nodes: &Nodes<'_>, pass: Pass, x: &mut [f64], s: &mut Scratch) {
    s.target.clear();
    s.weight.clear();
    s.offset.clear();
    let mut offset = 0.0;
    for (i, &v) in layer.iter().enumerate() {
        if i > 0 {
            offset += separation(nodes, layer[i - 1], v);
        }
        let (mut sum, mut total) = (0.0, 0.0);
        let vi = v as usize;
        if matches!(pass, Pass::Down | Pass::Both) {
            for &p in &nodes.preds[vi] {
                let w = weight(nodes, p, v);
                let pi = p as usize;
                sum += w * (x[pi] + nodes.out_offset[pi] - nodes.in_offset[vi]);
                total += w;
            }
        }
        if matches!(pass, Pass::Up | Pass::Both) {
            for &n in &nodes.succs[vi] {
                let w = weight(nodes, v, n);
                let ni = n as usize;
                sum += w * (x[ni] + nodes.in_offset[ni] - nodes.out_offset[vi]);
                total += w;
            }
        }
        let (want, w) = if total > 0.0 {
            (sum / total, total)
        } else {
            (x[vi], 0.01)
        };
        s.target.push(want - offset);
        s.weight.push(w);
        s.offset.push(offset);
    }
    // Pool adjacent violators: non-decreasing `x - offset`, nearest to the
    // targets in weighted least squares.
    s.blocks.clear();
    for (&t, &w) in s.target.iter().zip(&s.weight) {
        let mut block = Block {
            weight: w,
            weighted_sum: w * t,
            len: 1,
        };
        while let Some(last) = s.blocks.last()
            && last.mean() > block.mean()
        {
            block.weight += last.weight;
            block.weighted_sum += last.weighted_sum;
            block.len += last.len;
            s.blocks.pop();
        }
        s.blocks.push(block);
    }
    let mut i = 0;
    for block in &s.blocks {
        let mean = block.mean();
        for _ in 0..block.len {
            x[layer[i] as usize] = mean + s.offset[i];
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fan_out_is_centred_and_keeps_its_gaps() {
        // 0 above 1, 2, 3.
        let width = [100.0; 4];
        let dummy = [false; 4];
        let zero = [0.0; 4];
        let preds = vec![vec![], vec![0], vec![0], vec![0]];
        let succs = vec![vec![1, 2, 3], vec![], vec![], vec![]];
        let nodes = Nodes {
            width: &width,
            dummy: &dummy,
            out_offset: &zero,
            in_offset: &zero,
            preds: &preds,
            succs: &succs,
        };
        let x = centres(&[vec![0], vec![1, 2, 3]], &nodes);
        assert!((x[0] - x[2]).abs() < 1e-6, "{x:?}");
        assert!((x[2] - x[1] - (100.0 + NODE_GAP)).abs() < 1e-6, "{x:?}");
        assert!((x[3] - x[2] - (100.0 + NODE_GAP)).abs() < 1e-6, "{x:?}");
    }
}
