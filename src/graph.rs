//! The link graph: notes, attachments and unresolved targets as nodes, one
//! edge per link. petgraph stays private; callers get vault ids and plain data.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::model::{Link, LinkKind, LinkOrigin};
use crate::vault::resolve::fold;
use crate::vault::{FileId, NoteId, Vault};

/// A node of the link graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// A file in the vault.
    File(FileId),
    /// A link target that matches no file, by its first spelling.
    Unresolved(String),
}

/// One link as an edge: which note wrote it and which of its links it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Edge {
    source: NoteId,
    link: usize,
}

/// The vault's link graph.
pub struct LinkGraph<'v> {
    vault: &'v Vault,
    /// Notes are nodes `0..notes`, attachments follow, then unresolved targets.
    graph: DiGraph<Node, Edge>,
}

/// A backlink or outgoing link: the note it is written in and the link itself.
#[derive(Debug, Clone, Copy)]
pub struct LinkRef<'v> {
    /// The note that contains the link.
    pub source: NoteId,
    /// The link.
    pub link: &'v Link,
}

impl<'v> LinkGraph<'v> {
    /// Builds the graph of a vault.
    pub fn build(vault: &'v Vault) -> Self {
        vault.decode_all();
        let mut graph = DiGraph::new();
        for file in vault.file_ids() {
            graph.add_node(Node::File(file));
        }
        let mut unresolved: HashMap<String, NodeIndex> = HashMap::new();
        for source in vault.note_ids() {
            for (link_index, (link, resolution)) in vault.links_of(source).enumerate() {
                let target = match resolution.target {
                    Some(file) => file_node(vault, file),
                    None => *unresolved
                        .entry(unresolved_key(&link.target))
                        .or_insert_with(|| {
                            graph.add_node(Node::Unresolved(link.target.to_string()))
                        }),
                };
                graph.add_edge(
                    file_node(vault, FileId::Note(source)),
                    target,
                    Edge {
                        source,
                        link: link_index,
                    },
                );
            }
        }
        Self { vault, graph }
    }

    /// Number of links into and out of a file.
    pub fn degree(&self, file: FileId) -> (usize, usize) {
        let node = file_node(self.vault, file);
        (
            self.graph.edges_directed(node, Direction::Incoming).count(),
            self.graph.edges_directed(node, Direction::Outgoing).count(),
        )
    }

    /// Notes with no link in or out (links to themselves do not count).
    pub fn orphans(&self) -> Vec<NoteId> {
        self.vault
            .note_ids()
            .filter(|&id| {
                let node = file_node(self.vault, FileId::Note(id));
                self.graph.neighbors_undirected(node).all(|n| n == node)
            })
            .collect()
    }

    /// Groups of files connected by resolved links (direction ignored).
    pub fn components(&self) -> usize {
        let mut sets = UnionFind::new(self.graph.node_count());
        for edge in self.graph.edge_references() {
            if matches!(self.graph[edge.target()], Node::File(_)) {
                sets.union(edge.source().index(), edge.target().index());
            }
        }
        let files = self.vault.note_count() + self.vault.attachment_count();
        let roots: HashSet<usize> = (0..files).map(|n| sets.find(n)).collect();
        roots.len()
    }

    /// Everything within `depth` links of a note, following links both ways.
    pub fn neighbourhood(&self, id: NoteId, depth: usize) -> GraphExport {
        let start = file_node(self.vault, FileId::Note(id));
        let mut seen = HashSet::from([start]);
        let mut queue = VecDeque::from([(start, 0)]);
        while let Some((node, distance)) = queue.pop_front() {
            if distance == depth {
                continue;
            }
            for next in self.graph.neighbors_undirected(node) {
                if seen.insert(next) {
                    queue.push_back((next, distance + 1));
                }
            }
        }
        self.export_where(|n| seen.contains(&n))
    }

    /// The whole graph as plain data.
    pub fn export(&self) -> GraphExport {
        self.export_where(|_| true)
    }

    fn export_where(&self, keep: impl Fn(NodeIndex) -> bool) -> GraphExport {
        let mut nodes: Vec<ExportNode> = self
            .graph
            .node_indices()
            .filter(|&n| keep(n))
            .map(|n| self.export_node(&self.graph[n]))
            .collect();
        nodes.sort_by(|a, b| (a.unresolved, &a.id).cmp(&(b.unresolved, &b.id)));
        let mut edges: Vec<ExportEdge> = self
            .graph
            .edge_references()
            .filter(|e| keep(e.source()) && keep(e.target()))
            .map(|e| {
                let link = self.link_ref(*e.weight()).link;
                ExportEdge {
                    source: self.node_id(&self.graph[e.source()]),
                    target: self.node_id(&self.graph[e.target()]),
                    kind: link.kind,
                    origin: link.origin.clone(),
                    line: link.span.line,
                }
            })
            .collect();
        edges.sort_by(|a, b| (&a.source, a.line, &a.target).cmp(&(&b.source, b.line, &b.target)));
        GraphExport { nodes, edges }
    }

    fn export_node(&self, node: &Node) -> ExportNode {
        match node {
            Node::File(file) => {
                let (title, tags) = match file {
                    FileId::Note(id) => {
                        let note = self.vault.note(*id);
                        (
                            note.title.clone(),
                            note.tag_names().into_iter().map(str::to_owned).collect(),
                        )
                    }
                    FileId::Attachment(_) => {
                        let path = self.vault.file_path(*file);
                        (
                            path.rsplit('/').next().unwrap_or(path).to_owned(),
                            Vec::new(),
                        )
                    }
                };
                ExportNode {
                    id: self.vault.file_path(*file).to_owned(),
                    path: Some(self.vault.file_path(*file).to_owned()),
                    title,
                    tags,
                    unresolved: false,
                    attachment: matches!(file, FileId::Attachment(_)),
                }
            }
            Node::Unresolved(name) => ExportNode {
                id: name.clone(),
                path: None,
                title: name.clone(),
                tags: Vec::new(),
                unresolved: true,
                attachment: false,
            },
        }
    }

    fn node_id(&self, node: &Node) -> String {
        match node {
            Node::File(file) => self.vault.file_path(*file).to_owned(),
            Node::Unresolved(name) => name.clone(),
        }
    }

    fn link_ref(&self, edge: Edge) -> LinkRef<'v> {
        LinkRef {
            source: edge.source,
            link: &self.vault.note(edge.source).links[edge.link],
        }
    }

    /// Counts for `graph stats`.
    pub fn stats(&self, top: usize) -> GraphStats {
        let mut stats = GraphStats {
            notes: self.vault.note_count(),
            attachments: self.vault.attachment_count(),
            ..GraphStats::default()
        };
        let mut unresolved_targets = HashSet::new();
        for id in self.vault.note_ids() {
            for (link, resolution) in self.vault.links_of(id) {
                stats.links += 1;
                *stats.by_kind.entry(link.kind.as_str()).or_default() += 1;
                if matches!(link.origin, LinkOrigin::Property(_)) {
                    stats.property_links += 1;
                }
                match resolution.target {
                    None => {
                        stats.unresolved_links += 1;
                        unresolved_targets.insert(unresolved_key(&link.target));
                    }
                    Some(_) if resolution.is_ambiguous() => stats.ambiguous_links += 1,
                    Some(_) => {}
                }
                if matches!(
                    resolution.anchor,
                    Some(crate::vault::resolve::AnchorMatch::Missing)
                ) {
                    stats.broken_anchors += 1;
                }
            }
            stats.external_links += self.vault.note(id).external.len();
        }
        stats.unresolved_targets = unresolved_targets.len();
        stats.orphans = self.orphans().len();
        stats.components = self.components();
        let mut by_degree: Vec<(NoteId, (usize, usize))> = self
            .vault
            .note_ids()
            .map(|id| (id, self.degree(FileId::Note(id))))
            .filter(|(_, (incoming, _))| *incoming > 0)
            .collect();
        // Note ids are in path order, so ties stay sorted by path.
        by_degree.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        stats.top_hubs = by_degree
            .into_iter()
            .take(top)
            .map(|(id, (incoming, outgoing))| {
                let note = self.vault.note(id);
                Hub {
                    path: note.path.clone(),
                    title: note.title.clone(),
                    incoming,
                    outgoing,
                }
            })
            .collect();
        stats
    }
}

/// The node of a file: notes first, then attachments, in vault order.
fn file_node(vault: &Vault, file: FileId) -> NodeIndex {
    match file {
        FileId::Note(id) => NodeIndex::new(id.index()),
        FileId::Attachment(i) => NodeIndex::new(vault.note_count() + i as usize),
    }
}

/// `[[Missing]]`, `[[missing.md]]` and `[[MISSING]]` name one unresolved target.
pub(crate) fn unresolved_key(target: &str) -> String {
    let folded = fold(target);
    match folded.strip_suffix(".md") {
        Some(stem) => stem.to_owned(),
        None => folded,
    }
}

/// The graph (or part of it) as nodes and edges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GraphExport {
    /// Files first, then unresolved targets, each sorted by id.
    pub nodes: Vec<ExportNode>,
    /// Sorted by source, line, target.
    pub edges: Vec<ExportEdge>,
}

/// A node in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportNode {
    /// The vault path, or for an unresolved target the link text.
    pub id: String,
    /// The vault path; `null` for an unresolved target.
    pub path: Option<String>,
    /// Note title, attachment file name, or the unresolved link text.
    pub title: String,
    /// The note's tags, without `#`.
    pub tags: Vec<String>,
    /// Whether no file matches.
    pub unresolved: bool,
    /// Whether it is an attachment rather than a note.
    pub attachment: bool,
}

/// An edge in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportEdge {
    /// The linking note's id.
    pub source: String,
    /// The target's id.
    pub target: String,
    /// `wiki`, `markdown` or `embed`.
    pub kind: LinkKind,
    /// `body` or `property:<key>`.
    pub origin: LinkOrigin,
    /// Line of the link in the source note.
    pub line: u32,
}

/// Counts that describe a vault's graph.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GraphStats {
    /// Markdown notes.
    pub notes: usize,
    /// Other files.
    pub attachments: usize,
    /// Internal links (edges), self-links included.
    pub links: usize,
    /// Links per kind.
    pub by_kind: BTreeMap<&'static str, usize>,
    /// Links written in front-matter properties.
    pub property_links: usize,
    /// Links to external URLs.
    pub external_links: usize,
    /// Links that match no file.
    pub unresolved_links: usize,
    /// Distinct unresolved targets.
    pub unresolved_targets: usize,
    /// Links where several files tied.
    pub ambiguous_links: usize,
    /// Links whose file exists but whose heading or block does not.
    pub broken_anchors: usize,
    /// Notes with no links in or out.
    pub orphans: usize,
    /// Connected groups of files.
    pub components: usize,
    /// Most linked-to notes.
    pub top_hubs: Vec<Hub>,
}

/// A much-linked note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hub {
    /// Vault path.
    pub path: String,
    /// Title.
    pub title: String,
    /// Links in.
    pub incoming: usize,
    /// Links out.
    pub outgoing: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vault() -> Vault {
        Vault::from_sources(
            [
                ("a.md", "[[b]] [[b#Part]] [[missing]] ![[pic.png]]"),
                ("b.md", "# Part\n[[a]] [[#Part]]"),
                ("c.md", "[[c]] on its own"),
                ("d.md", "[[Missing.md]]"),
            ],
            ["pic.png"],
        )
    }

    #[test]
    fn backlinks_and_degrees() {
        let vault = vault();
        let graph = LinkGraph::build(&vault);
        let b = vault.note_by_path("b.md").expect("b");
        // The vault's backlinks, by note and position, and the graph's degree.
        let sources: Vec<_> = (vault.backlinks(FileId::Note(b)).iter())
            .map(|(source, link)| (vault.note(*source).path.as_str(), link.span.line))
            .collect();
        assert_eq!(sources, [("a.md", 1), ("a.md", 1), ("b.md", 2)]);
        assert_eq!(graph.degree(FileId::Note(b)), (3, 2));
    }

    #[test]
    fn orphans_ignore_self_links() {
        let vault = vault();
        let graph = LinkGraph::build(&vault);
        let orphans: Vec<_> = graph
            .orphans()
            .iter()
            .map(|&id| vault.note(id).path.as_str())
            .collect();
        assert_eq!(orphans, ["c.md"]);
    }

    #[test]
    fn stats_count_unresolved_targets_once() {
        let vault = vault();
        let stats = LinkGraph::build(&vault).stats(3);
        assert_eq!(stats.links, 8);
        assert_eq!(stats.unresolved_links, 2);
        assert_eq!(stats.unresolved_targets, 1);
        assert_eq!(stats.by_kind["embed"], 1);
        // a-b-pic, c alone, d alone (an unresolved target joins nothing).
        assert_eq!(stats.components, 3);
        assert_eq!(stats.top_hubs[0].path, "b.md");
    }

    #[test]
    fn neighbourhood_is_bounded() {
        let vault = vault();
        let graph = LinkGraph::build(&vault);
        let d = vault.note_by_path("d.md").expect("d");
        let ids = |depth| {
            graph
                .neighbourhood(d, depth)
                .nodes
                .into_iter()
                .map(|n| n.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(1), ["d.md", "missing"]);
        assert_eq!(ids(2), ["a.md", "d.md", "missing"]);
    }
}
