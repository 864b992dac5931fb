//! Order: "teach this first" constraints as a petgraph graph, how
//! foundational each lesson is, and a topological order with tie-breaks.
//!
//! petgraph's own `toposort` cannot break ties, so the order is Kahn's
//! algorithm with a priority queue over petgraph's adjacency; cycles are
//! found with `tarjan_scc` and broken before ordering (see [`Constraints::break_cycles`]).

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet, VecDeque};

use fixedbitset::FixedBitSet;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

/// How ties between lessons that could come next are broken: an `order`
/// property first (notes without one after), then the more foundational
/// note, then title, then path.
#[derive(Debug, Clone, PartialEq)]
pub struct TieKey {
    /// The `order` property, when it is a number.
    pub order: Option<f64>,
    /// How many notes of the selection depend on this one.
    pub dependents: usize,
    /// Title, case-folded.
    pub title: String,
    /// Vault path.
    pub path: String,
}

impl Eq for TieKey {}

impl Ord for TieKey {
    fn cmp(&self, other: &Self) -> Ordering {
        let order = match (self.order, other.order) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        order
            .then(other.dependents.cmp(&self.dependents))
            .then_with(|| self.title.cmp(&other.title))
            .then_with(|| self.path.cmp(&other.path))
    }
}

impl PartialOrd for TieKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Each key's position when the keys are sorted: comparing ranks is
/// comparing keys.
pub fn ranks<K: Ord>(keys: &[K]) -> Vec<usize> {
    let mut by_key: Vec<usize> = (0..keys.len()).collect();
    by_key.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
    let mut rank = vec![0; keys.len()];
    for (position, index) in by_key.into_iter().enumerate() {
        rank[index] = position;
    }
    rank
}

/// "`before` is taught before `after`" constraints between items `0..n`.
pub struct Constraints {
    graph: DiGraph<(), ()>,
}

impl Constraints {
    /// The constraints among `n` items; repeats and self-references are dropped.
    pub fn new(n: usize, edges: impl IntoIterator<Item = (usize, usize)>) -> Self {
        let mut graph = DiGraph::with_capacity(n, 0);
        for _ in 0..n {
            graph.add_node(());
        }
        let mut seen = HashSet::new();
        for (before, after) in edges {
            if before != after && seen.insert((before, after)) {
                graph.add_edge(NodeIndex::new(before), NodeIndex::new(after), ());
            }
        }
        Self { graph }
    }

    /// For each item, how many others come after it, directly or not (the
    /// members of a cycle all count each other).
    pub fn dependents(&self) -> Vec<usize> {
        let n = self.graph.node_count();
        // tarjan_scc lists components in reverse topological order: every
        // component's successors come before it.
        let components = tarjan_scc(&self.graph);
        let mut component_of = vec![0; n];
        for (c, members) in components.iter().enumerate() {
            for node in members {
                component_of[node.index()] = c;
            }
        }
        let mut reach: Vec<FixedBitSet> = Vec::with_capacity(components.len());
        for (c, members) in components.iter().enumerate() {
            let mut set = FixedBitSet::with_capacity(n);
            for node in members {
                for next in self.graph.neighbors(*node) {
                    let d = component_of[next.index()];
                    if d != c {
                        set.union_with(&reach[d]);
                        for member in &components[d] {
                            set.insert(member.index());
                        }
                    }
                }
            }
            reach.push(set);
        }
        (0..n)
            .map(|i| {
                let c = component_of[i];
                reach[c].count_ones(..) + components[c].len() - 1
            })
            .collect()
    }

    /// Removes constraints until none is circular, and returns each cycle
    /// found, as items in teaching order with the first repeated at the end.
    ///
    /// Deterministic: the cycle broken first is the one holding the
    /// best-ranked item still in a cycle; its shortest cycle (neighbours
    /// tried in rank order) is reported, and the constraint that closes it
    /// (last → first) is dropped, so that item is taught first.
    pub fn break_cycles(&mut self, rank: &[usize]) -> Vec<Vec<usize>> {
        let mut cycles = Vec::new();
        loop {
            let Some(first) = tarjan_scc(&self.graph)
                .into_iter()
                .filter(|members| members.len() > 1)
                .filter_map(|members| {
                    let first = *members.iter().min_by_key(|n| rank[n.index()])?;
                    Some((members, first))
                })
                .min_by_key(|(_, first)| rank[first.index()])
            else {
                return cycles;
            };
            let (members, start) = first;
            let members: HashSet<NodeIndex> = members.into_iter().collect();
            let path = self.shortest_cycle(start, &members, rank);
            let Some(&last) = path.last() else {
                return cycles;
            };
            if let Some(edge) = self.graph.find_edge(last, start) {
                self.graph.remove_edge(edge);
            }
            let mut cycle: Vec<usize> = path.iter().map(|n| n.index()).collect();
            cycle.push(start.index());
            cycles.push(cycle);
        }
    }

    /// The shortest path from `start` back to it within `members`, without
    /// repeating `start` at the end.
    fn shortest_cycle(
        &self,
        start: NodeIndex,
        members: &HashSet<NodeIndex>,
        rank: &[usize],
    ) -> Vec<NodeIndex> {
        let mut parent = std::collections::HashMap::new();
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            let mut next: Vec<NodeIndex> = self
                .graph
                .neighbors(node)
                .filter(|n| members.contains(n))
                .collect();
            next.sort_by_key(|n| rank[n.index()]);
            for n in next {
                if n == start {
                    let mut path = vec![node];
                    let mut at = node;
                    while let Some(&p) = parent.get(&at) {
                        path.push(p);
                        at = p;
                    }
                    path.reverse();
                    return path;
                }
                if n != start && !parent.contains_key(&n) {
                    parent.insert(n, node);
                    queue.push_back(n);
                }
            }
        }
        vec![start]
    }

    /// The constraints, as `(before, after)` pairs.
    pub fn edges(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.graph
            .edge_references()
            .map(|e| (e.source().index(), e.target().index()))
    }
}

/// A topological order of items `0..rank.len()` under `edges` (`before`,
/// `after`), taking the best-ranked available item at each step. Should the
/// edges still hold a cycle, the best-ranked waiting item goes next.
pub fn sequence(rank: &[usize], edges: &[(usize, usize)]) -> Vec<usize> {
    let n = rank.len();
    let mut waiting_on = vec![0usize; n];
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(before, later) in edges {
        if before != later {
            waiting_on[later] += 1;
            after[before].push(later);
        }
    }
    let mut ready: BinaryHeap<Reverse<(usize, usize)>> = (0..n)
        .filter(|&i| waiting_on[i] == 0)
        .map(|i| Reverse((rank[i], i)))
        .collect();
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    while order.len() < n {
        let next = match ready.pop() {
            Some(Reverse((_, i))) if placed[i] => continue,
            Some(Reverse((_, i))) => i,
            None => match (0..n).filter(|&i| !placed[i]).min_by_key(|&i| rank[i]) {
                Some(i) => i,
                None => break,
            },
        };
        placed[next] = true;
        order.push(next);
        for &later in &after[next] {
            waiting_on[later] = waiting_on[later].saturating_sub(1);
            if waiting_on[later] == 0 && !placed[later] {
                ready.push(Reverse((rank[later], later)));
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_go_to_the_better_rank() {
        // 0 before 2; 1 and 0 tie, 1 ranks better.
        let order = sequence(&[1, 0, 2], &[(0, 2)]);
        assert_eq!(order, [1, 0, 2]);
        // 1 ranks best but waits for 2, which beats 0.
        assert_eq!(sequence(&[2, 0, 1], &[(2, 1)]), [2, 1, 0]);
    }

    #[test]
    fn dependents_count_everything_downstream() {
        let constraints = Constraints::new(4, [(0, 1), (1, 2), (0, 3), (0, 1)]);
        assert_eq!(constraints.dependents(), [3, 1, 0, 0]);
    }

    #[test]
    fn a_cycle_is_reported_from_its_best_ranked_member_and_broken_before_it() {
        // 0 → 1 → 2 → 0, and 2 ranks best.
        let mut constraints = Constraints::new(3, [(0, 1), (1, 2), (2, 0)]);
        assert_eq!(constraints.dependents(), [2, 2, 2]);
        let cycles = constraints.break_cycles(&[1, 2, 0]);
        assert_eq!(cycles, [vec![2, 0, 1, 2]]);
        let edges: Vec<_> = constraints.edges().collect();
        assert!(!edges.contains(&(1, 2)));
        assert_eq!(sequence(&[1, 2, 0], &edges), [2, 0, 1]);
    }

    #[test]
    fn an_order_property_beats_everything_else() {
        let key = |order, dependents, title: &str| TieKey {
            order,
            dependents,
            title: title.to_owned(),
            path: format!("{title}.md"),
        };
        let keys = [
            key(None, 9, "a"),
            key(Some(2.0), 0, "b"),
            key(Some(1.0), 0, "c"),
            key(None, 1, "d"),
        ];
        assert_eq!(ranks(&keys), [2, 1, 0, 3]);
    }
}
