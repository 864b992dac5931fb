//! Human output for `show`, `links` and `backlinks`.

use std::io::{self, Write};

use super::Palette;
use crate::report::{BacklinkReport, LinkReport, NoteReport};

/// The whole note report, section by section.
pub fn show(out: &mut dyn Write, report: &NoteReport, palette: Palette) -> io::Result<()> {
    writeln!(
        out,
        "{}  {}",
        palette.title(&report.title),
        palette.path(&report.path)
    )?;
    if !report.aliases.is_empty() {
        writeln!(out, "  aliases: {}", report.aliases.join(", "))?;
    }
    if !report.tags.is_empty() {
        let tags: Vec<String> = report
            .tags
            .iter()
            .map(|t| palette.tag(format!("#{t}")))
            .collect();
        writeln!(out, "  tags: {}", tags.join(" "))?;
    }
    if !report.properties.0.is_empty() {
        section(out, "Properties", report.properties.0.len(), palette)?;
        for (key, value) in &report.properties.0 {
            writeln!(out, "  {}: {}", palette.dim(key), plain_value(value))?;
        }
    }
    if !report.headings.is_empty() {
        section(out, "Headings", report.headings.len(), palette)?;
        for heading in &report.headings {
            let indent = "  ".repeat(usize::from(heading.level.saturating_sub(1)));
            let marks = "#".repeat(usize::from(heading.level));
            writeln!(
                out,
                "  {} {indent}{marks} {}",
                palette.dim(format!("{:>4}", heading.line)),
                heading.text
            )?;
        }
    }
    section(out, "Links", report.links.len(), palette)?;
    links(out, &report.links, palette)?;
    if !report.external.is_empty() {
        section(out, "External", report.external.len(), palette)?;
        for link in &report.external {
            writeln!(
                out,
                "  {} {}",
                palette.dim(format!("{:>4}", link.line)),
                link.url
            )?;
        }
    }
    section(out, "Backlinks", report.backlinks.len(), palette)?;
    backlinks(out, &report.backlinks, palette)
}

/// One line per outgoing link: line, link as written, and where it leads.
pub fn links(out: &mut dyn Write, links: &[LinkReport], palette: Palette) -> io::Result<()> {
    for link in links {
        let position = palette.dim(format!("{:>4}:{:<3}", link.line, link.column));
        let destination = match (&link.resolved, link.anchor) {
            (None, _) => match &link.alias_of {
                Some(owner) => format!(
                    "{} {}",
                    palette.bad("unresolved"),
                    palette.warn(format!(
                        "(an alias of {owner}: aliases do not resolve links; write [[{}|{}]])",
                        crate::parse::title_of(owner),
                        link.target
                    ))
                ),
                None => palette.bad("unresolved"),
            },
            (Some(path), Some("missing")) => format!(
                "{} {}",
                palette.path(path),
                palette.bad("(anchor not found)")
            ),
            (Some(path), _) if link.candidates.len() > 1 => format!(
                "{} {}",
                palette.path(path),
                palette.warn(format!("(ambiguous: {})", link.candidates.join(", ")))
            ),
            (Some(path), _) => palette.path(path),
        };
        let origin = match link.origin.to_string().as_str() {
            "body" => String::new(),
            origin => format!(" {}", palette.dim(format!("[{origin}]"))),
        };
        writeln!(out, "  {position} {}{origin} -> {destination}", link.raw)?;
    }
    Ok(())
}

/// One line per backlink, `path:line:column  link`, as editors and grep read it.
pub fn backlinks(
    out: &mut dyn Write,
    backlinks: &[BacklinkReport],
    palette: Palette,
) -> io::Result<()> {
    for backlink in backlinks {
        writeln!(
            out,
            "  {}{} {}",
            palette.path(&backlink.path),
            palette.dim(format!(":{}:{}", backlink.line, backlink.column)),
            backlink.raw
        )?;
    }
    Ok(())
}

fn section(out: &mut dyn Write, name: &str, count: usize, palette: Palette) -> io::Result<()> {
    writeln!(out, "{}", palette.title(format!("{name} ({count})")))
}

/// A property value as a person would write it: text unquoted, lists comma-separated.
fn plain_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        serde_json::Value::Array(items) => {
            items.iter().map(plain_value).collect::<Vec<_>>().join(", ")
        }
        other => other.to_string(),
    }
}
