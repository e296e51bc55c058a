//! Ranks: which row each item of one DAG goes in, so that every edge points
//! down.
//!
//! Edges that close a cycle (no valid spec has one, but the graph of any
//! file is drawn) are found by a depth-first search and turned around.
//! Ranks are longest paths from the sources; then each source with
//! successors moves down to just above its nearest successor, so that a
//! task with no inputs sits next to the task that reads it rather than in
//! the first row.

/// The rank of each of `n` items, and for each edge whether it was turned
/// around to break a cycle. After turning, every edge `(u, v)` has
/// `rank[u] < rank[v]`; the smallest rank is 0.
pub(super) fn assign(n: usize, edges: &[(usize, usize)]) -> (Vec<usize>, Vec<bool>) {
    let reversed = cycle_breakers(n, edges);
    let mut succs = vec![Vec::new(); n];
    let mut indegree = vec![0usize; n];
    for (&(u, v), &turned) in edges.iter().zip(&reversed) {
        let (u, v) = if turned { (v, u) } else { (u, v) };
        if u != v {
            succs[u].push(v);
            indegree[v] += 1;
        }
    }
    // Kahn's order, the sources in index order: deterministic.
    let mut order = Vec::with_capacity(n);
    let mut remaining = indegree.clone();
    order.extend((0..n).filter(|&v| remaining[v] == 0));
    let mut next = 0;
    while next < order.len() {
        let u = order[next];
        next += 1;
        for &v in &succs[u] {
            remaining[v] -= 1;
            if remaining[v] == 0 {
                order.push(v);
            }
        }
    }
    debug_assert_eq!(order.len(), n, "cycles are broken");
    let mut rank = vec![0usize; n];
    for &u in &order {
        for &v in &succs[u] {
            rank[v] = rank[v].max(rank[u] + 1);
        }
    }
    for &u in order.iter().rev() {
        if indegree[u] == 0
            && let Some(nearest) = succs[u].iter().map(|&v| rank[v]).min()
        {
            rank[u] = nearest - 1;
        }
    }
    let lowest = rank.iter().copied().min().unwrap_or(0);
    for r in &mut rank {
        *r -= lowest;
    }
    (rank, reversed)
}

/// For each edge, whether a depth-first search (from the items in index
/// order, along the edges in order) found it closing a cycle. A self-loop
/// counts as one.
fn cycle_breakers(n: usize, edges: &[(usize, usize)]) -> Vec<bool> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    for (e, &(u, v)) in edges.iter().enumerate() {
        out[u].push((v, e));
    }
    let mut reversed = vec![false; edges.len()];
    let mut mark = vec![Mark::New; n];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        mark[start] = Mark::Open;
        stack.push((start, 0));
        while let Some(top) = stack.last_mut() {
            let (u, at) = *top;
            let Some(&(v, e)) = out[u].get(at) else {
                mark[u] = Mark::Done;
                stack.pop();
                continue;
            };
            top.1 += 1;
            match mark[v] {
                Mark::Open => reversed[e] = true,
                Mark::New => {
                    mark[v] = Mark::Open;
                    stack.push((v, 0));
                }
                Mark::Done => {}
            }
        }
    }
    reversed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chain_goes_down_one_rank_per_task() {
        let (rank, reversed) = assign(4, &[(0, 1), (1, 2), (2, 3)]);
        assert_eq!(rank, [0, 1, 2, 3]);
        assert!(!reversed.iter().any(|&r| r));
    }

    #[test]
    fn a_source_sits_just_above_its_reader() {
        // 0 -> 1 -> 2 -> 3, and 4 (no inputs) read by 3.
        let (rank, _) = assign(5, &[(0, 1), (1, 2), (2, 3), (4, 3)]);
        assert_eq!(rank, [0, 1, 2, 3, 2]);
    }

    #[test]
    fn a_cycle_is_broken() {
        let edges = [(0, 1), (1, 2), (2, 0)];
        let (rank, reversed) = assign(3, &edges);
        assert_eq!(reversed, [false, false, true]);
        for (&(u, v), turned) in edges.iter().zip(reversed) {
            let (u, v) = if turned { (v, u) } else { (u, v) };
            assert!(rank[u] < rank[v]);
        }
    }
}
