//! Graph formats: Graphviz DOT, Mermaid, and the human `graph stats` summary.

use std::collections::HashMap;
use std::io::{self, Write};

use super::Palette;
use crate::graph::{GraphExport, GraphStats};
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
    for edge in &graph.edges {
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
    for edge in &graph.edges {
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

fn mermaid_text(text: &str) -> String {
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
