//! The order of the nodes in each rank: barycenter sweeps, down and up,
//! keeping the order with the fewest edge crossings.
//!
//! Each sweep sorts a rank by the mean position of each node's neighbours
//! in the rank before it (a stable sort: ties keep their order, so the
//! result is deterministic). Crossings between two ranks are counted as
//! inversions with a Fenwick tree (Barth, Jünger and Mutzel), so a sweep
//! costs O(E log V).

/// How many sweeps at most; the search stops earlier when two sweeps in a
/// row find nothing better.
const MAX_SWEEPS: usize = 12;

/// The nodes of each rank, left to right. `rank[v]` is node `v`'s rank;
/// every edge joins adjacent ranks (`succs` one rank down, `preds` one up).
pub(super) fn order(rank: &[usize], preds: &[Vec<u32>], succs: &[Vec<u32>]) -> Vec<Vec<u32>> {
    let ranks = rank.iter().max().map_or(0, |&r| r + 1);
    let mut layers: Vec<Vec<u32>> = vec![Vec::new(); ranks];
    for (v, &r) in rank.iter().enumerate() {
        layers[r].push(v as u32);
    }
    let mut pos = vec![0usize; rank.len()];
    for layer in &layers {
        index(layer, &mut pos);
    }
    let mut best = layers.clone();
    let mut fewest = crossings(&layers, succs, &pos);
    let mut stale = 0;
    for sweep in 0..MAX_SWEEPS {
        if fewest == 0 || stale == 2 {
            break;
        }
        if sweep % 2 == 0 {
            for layer in layers.iter_mut().skip(1) {
                sort_by_barycenter(layer, preds, &mut pos);
            }
        } else {
            for layer in layers.iter_mut().rev().skip(1) {
                sort_by_barycenter(layer, succs, &mut pos);
            }
        }
        let count = crossings(&layers, succs, &pos);
        if count < fewest {
            fewest = count;
            best.clone_from(&layers);
            stale = 0;
        } else {
            stale += 1;
        }
    }
    best
}

/// Records each node's position in its layer.
fn index(layer: &[u32], pos: &mut [usize]) {
    for (i, &v) in layer.iter().enumerate() {
        pos[v as usize] = i;
    }
}

/// Sorts `layer` by the mean position of each node's `neighbours` (in the
/// adjacent layer); a node without any keeps its own position as its key.
fn sort_by_barycenter(layer: &mut [u32], neighbours: &[Vec<u32>], pos: &mut [usize]) {
    let mut keyed: Vec<(f64, u32)> = layer
        .iter()
        .map(|&v| {
            let near = &neighbours[v as usize];
            let key = if near.is_empty() {
                pos[v as usize] as f64
            } else {
                near.iter().map(|&n| pos[n as usize] as f64).sum::<f64>() / near.len() as f64
            };
            (key, v)
        })
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (slot, (_, v)) in layer.iter_mut().zip(keyed) {
        *slot = v;
    }
    index(layer, pos);
}

/// The number of edge crossings between all adjacent layers.
fn crossings(layers: &[Vec<u32>], succs: &[Vec<u32>], pos: &[usize]) -> u64 {
    let mut total = 0;
    let mut south = Vec::new();
    for pair in layers.windows(2) {
        let (north, below) = (&pair[0], &pair[1]);
        south.clear();
        for &u in north {
            let start = south.len();
            south.extend(succs[u as usize].iter().map(|&v| pos[v as usize]));
            south[start..].sort_unstable();
        }
        total += inversions(&south, below.len());
    }
    total
}

/// The pairs `i < j` with `seq[i] > seq[j]`, for values below `size`.
fn inversions(seq: &[usize], size: usize) -> u64 {
    let mut tree = vec![0u64; size + 1];
    let mut count = 0;
    for (seen, &x) in seq.iter().enumerate() {
        // How many seen so far are <= x.
        let mut at = x + 1;
        let mut not_above = 0;
        while at > 0 {
            not_above += tree[at];
            at &= at - 1;
        }
        count += seen as u64 - not_above;
        let mut at = x + 1;
        while at <= size {
            tree[at] += 1;
            at += at & at.wrapping_neg();
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inversions_are_counted() {
        assert_eq!(inversions(&[0, 1, 2], 3), 0);
        assert_eq!(inversions(&[2, 1, 0], 3), 3);
        assert_eq!(inversions(&[1, 0, 1, 0], 2), 3);
    }

    #[test]
    fn crossed_edges_are_uncrossed() {
        // Rank 0: a=0, b=1; rank 1: c=2, d=3; a->d, b->c cross in index order.
        let rank = [0, 0, 1, 1];
        let succs = vec![vec![3], vec![2], vec![], vec![]];
        let preds = vec![vec![], vec![], vec![1], vec![0]];
        let layers = order(&rank, &preds, &succs);
        let mut pos = vec![0; 4];
        for layer in &layers {
            index(layer, &mut pos);
        }
        assert_eq!(crossings(&layers, &succs, &pos), 0, "{layers:?}");
    }
}
