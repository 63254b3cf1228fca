//! Strongly connected components of the shape graph, without recursion: a model can chain
//! thousands of shapes, and the generator must not need a stack as deep as its input.

/// The strongly connected component of every node of a graph given as successor lists.
///
/// Tarjan's algorithm with an explicit stack. Components are numbered in reverse topological
/// order: for an edge `u → v` between two components, `component[v] < component[u]`, so a walk
/// over the components in increasing order sees every successor before its predecessors.
/// Linear in nodes and edges.
pub fn components(successors: &[Vec<usize>]) -> Vec<usize> {
    const UNVISITED: usize = usize::MAX;
    let n = successors.len();
    let mut index = vec![UNVISITED; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut component = vec![UNVISITED; n];
    let (mut next_index, mut next_component) = (0, 0);
    // The depth-first walk: (node, how many of its successors have been looked at).
    let mut calls: Vec<(usize, usize)> = Vec::new();
    for root in 0..n {
        if index[root] != UNVISITED {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        calls.push((root, 0));
        while let Some(&mut (node, ref mut next)) = calls.last_mut() {
            if let Some(&succ) = successors[node].get(*next) {
                *next += 1;
                if index[succ] == UNVISITED {
                    index[succ] = next_index;
                    low[succ] = next_index;
                    next_index += 1;
                    stack.push(succ);
                    on_stack[succ] = true;
                    calls.push((succ, 0));
                } else if on_stack[succ] {
                    low[node] = low[node].min(index[succ]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

/// For every node, whether it lies on a cycle: its component has another node, or it has an
/// edge to itself.
pub fn on_cycle(successors: &[Vec<usize>], component: &[usize]) -> Vec<bool> {
    let mut size = vec![0usize; successors.len()];
    for &c in component {
        size[c] += 1;
    }
    successors
        .iter()
        .enumerate()
        .map(|(node, next)| size[component[node]] > 1 || next.contains(&node))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_share_a_component_and_successors_come_first() {
        // 0 → 1 → 2 → 1, 2 → 3, 4 alone, 5 → 5.
        let graph = vec![vec![1], vec![2], vec![1, 3], vec![], vec![], vec![5]];
        let c = components(&graph);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[0], c[1]);
        assert!(c[3] < c[1] && c[1] < c[0]);
        assert_eq!(on_cycle(&graph, &c), [false, true, true, false, false, true]);
    }

    #[test]
    fn a_long_chain_needs_no_deep_stack() {
        // Run on a small thread stack: recursion would overflow it.
        let n = 200_000;
        let graph: Vec<Vec<usize>> =
            (0..n).map(|i| if i + 1 < n { vec![i + 1] } else { vec![] }).collect();
        let c = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || components(&graph))
            .expect("thread")
            .join()
            .expect("no overflow");
        assert!((1..n).all(|i| c[i] < c[i - 1]));
    }
}
