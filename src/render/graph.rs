//! Graph formats: Graphviz DOT, Mermaid, and the human `graph stats` summary.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};

use super::Palette;
use crate::graph::{ExportEdge, GraphExport, GraphStats};
use crate::model::LinkKind;

/// Graphviz DOT: notes as boxes, attachments as notes, unresolved targets dashed red.
pub fn dot(out: &mut dyn Write, graph: &GraphExport) -> io::Result<()> {
    writeln!(out, "digraph vault {{")?;
    writeln!(out, "  rankdir=LR;")?;
    writeln!(out, "  node [shape=box, style=rounded];")?;
    for node in &graph.nodes {
        let style = if node.unresolved {
            ", style=dashed, color=red"
        } else if node.attachment {
            ", shape=note"
        } else {
            ""
        };
        writeln!(
            out,
            "  {} [label={}{style}];",
            dot_quote(&node.id),
            dot_quote(&node.title)
        )?;
    }
    for edge in distinct_edges(graph) {
        let style = if edge.kind == LinkKind::Embed {
            " [style=dashed]"
        } else {
            ""
        };
        writeln!(
            out,
            "  {} -> {}{style};",
            dot_quote(&edge.source),
            dot_quote(&edge.target)
        )?;
    }
    writeln!(out, "}}")
}

/// One edge per (source, target, kind): a picture shows a link once, however
/// often it is written.
fn distinct_edges(graph: &GraphExport) -> impl Iterator<Item = &ExportEdge> {
    let mut seen = HashSet::new();
    graph
        .edges
        .iter()
        .filter(move |e| seen.insert((&e.source, &e.target, e.kind)))
}

fn dot_quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A Mermaid flowchart; embeds are dotted, unresolved targets dashed.
pub fn mermaid(out: &mut dyn Write, graph: &GraphExport) -> io::Result<()> {
    writeln!(out, "flowchart LR")?;
    let ids: HashMap<&str, String> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| (node.id.as_str(), format!("n{i}")))
        .collect();
    for node in &graph.nodes {
        let class = if node.unresolved { ":::unresolved" } else { "" };
        writeln!(
            out,
            "  {}[\"{}\"]{class}",
            ids[node.id.as_str()],
            mermaid_text(&node.title)
        )?;
    }
    for edge in distinct_edges(graph) {
        let arrow = if edge.kind == LinkKind::Embed {
            "-.->"
        } else {
            "-->"
        };
        writeln!(
            out,
            "  {} {arrow} {}",
            ids[edge.source.as_str()],
            ids[edge.target.as_str()]
        )?;
    }
    writeln!(
        out,
        "  classDef unresolved stroke-dasharray: 5 5,stroke:#c00;"
    )
}

pub(super) fn mermaid_text(text: &str) -> String {
    text.replace('"', "#quot;")
}

/// The `graph stats` summary as aligned lines.
pub fn stats(out: &mut dyn Write, stats: &GraphStats, palette: Palette) -> io::Result<()> {
    let kinds: Vec<String> = stats
        .by_kind
        .iter()
        .map(|(kind, n)| format!("{kind} {n}"))
        .collect();
    let plain = |n: usize| format!("{n:>7}");
    let flag = |n: usize| {
        if n == 0 {
            palette.good(plain(n))
        } else {
            palette.warn(plain(n))
        }
    };
    let rows = [
        ("notes", plain(stats.notes), String::new()),
        ("attachments", plain(stats.attachments), String::new()),
        (
            "links",
            plain(stats.links),
            format!(
                "{}; {} in properties",
                kinds.join(", "),
                stats.property_links
            ),
        ),
        ("external links", plain(stats.external_links), String::new()),
        (
            "unresolved links",
            flag(stats.unresolved_links),
            format!("{} distinct targets", stats.unresolved_targets),
        ),
        (
            "ambiguous links",
            flag(stats.ambiguous_links),
            String::new(),
        ),
        (
            "broken anchors",
            flag(stats.broken_anchors),
            "heading or block not found".to_owned(),
        ),
        (
            "orphans",
            plain(stats.orphans),
            "notes with no links in or out".to_owned(),
        ),
        (
            "components",
            plain(stats.components),
            "groups of linked files".to_owned(),
        ),
    ];
    for (name, value, detail) in rows {
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!("  {}", palette.dim(format!("({detail})")))
        };
        writeln!(out, "{name:<17}{value}{detail}")?;
    }
    if !stats.top_hubs.is_empty() {
        writeln!(out, "{}", palette.title("most linked notes (in / out)"))?;
        for hub in &stats.top_hubs {
            writeln!(
                out,
                "  {:>5} / {:<4} {}",
                hub.incoming,
                hub.outgoing,
                palette.path(&hub.path)
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ExportNode;
    use crate::model::LinkOrigin;

    fn node(id: &str, unresolved: bool) -> ExportNode {
        ExportNode {
            id: id.into(),
            path: (!unresolved).then(|| id.into()),
            title: id.trim_end_matches(".md").into(),
            tags: Vec::new(),
            unresolved,
            attachment: false,
        }
    }

    fn edge(source: &str, target: &str, kind: LinkKind) -> ExportEdge {
        ExportEdge {
            source: source.into(),
            target: target.into(),
            kind,
            origin: LinkOrigin::Body,
            line: 1,
        }
    }

    fn graph() -> GraphExport {
        GraphExport {
            nodes: vec![
                node("a.md", false),
                node("say \"hi\".md", false),
                node("gone", true),
            ],
            edges: vec![
                edge("a.md", "say \"hi\".md", LinkKind::Wiki),
                edge("a.md", "say \"hi\".md", LinkKind::Wiki),
                edge("a.md", "gone", LinkKind::Embed),
            ],
        }
    }

    #[test]
    fn dot_quotes_names_and_draws_each_link_once() {
        let mut out = Vec::new();
        dot(&mut out, &graph()).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains(r#""say \"hi\".md" [label="say \"hi\""];"#),
            "{text}"
        );
        assert_eq!(
            text.matches(r#""a.md" -> "say \"hi\".md";"#).count(),
            1,
            "{text}"
        );
        assert!(
            text.contains(r#""gone" [label="gone", style=dashed, color=red];"#),
            "{text}"
        );
        assert!(
            text.contains(r#""a.md" -> "gone" [style=dashed];"#),
            "{text}"
        );
    }

    #[test]
    fn mermaid_uses_short_ids_and_escapes_quotes() {
        let mut out = Vec::new();
        mermaid(&mut out, &graph()).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        let expected = "flowchart LR\n  n0[\"a\"]\n  n1[\"say #quot;hi#quot;\"]\n  n2[\"gone\"]:::unresolved\n  n0 --> n1\n  n0 -.-> n2\n";
        assert!(text.starts_with(expected), "{text}");
    }
}
