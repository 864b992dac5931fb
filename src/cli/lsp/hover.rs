//! What a link leads to, in a few lines of Markdown: the target's title,
//! main properties and first paragraph; for a link that does not lead
//! where it should, why (the lint findings on it) and the candidates.

use std::fmt::Write;

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};
use serde_json::Value;
use vaultkit::model::LineIndex;
use vaultkit::vault::resolve::AnchorMatch;
use vaultkit::vault::{FileId, NoteId};

use super::convert;
use super::navigate::Cursor;
use super::workspace::Workspace;

/// How many properties a hover shows, in file order.
const SHOWN_PROPERTIES: usize = 6;

/// The longest paragraph a hover shows, in characters.
const PARAGRAPH_CHARS: usize = 500;

/// The hover for the link under the cursor.
pub fn hover(workspace: &Workspace, cursor: &Cursor<'_>) -> Option<Hover> {
    let live = workspace.live();
    let (i, resolution) = cursor.link(live)?;
    let link = &cursor.note.links[i];
    let mut text = String::new();
    // The findings on this link say what is wrong with it, as configured.
    for finding in workspace.findings(cursor.id) {
        if finding.span == Some(link.span) {
            let _ = writeln!(
                text,
                "**{}** ({}): {}\n",
                finding.rule,
                finding.severity.as_str(),
                finding.message
            );
            if let Some(help) = &finding.help {
                let _ = writeln!(text, "help: {help}\n");
            }
        }
    }
    match resolution.target {
        None if text.is_empty() => {
            let _ = writeln!(
                text,
                "`{}` leads nowhere: no note or file is named `{}`",
                link.raw, link.target
            );
        }
        None => {}
        Some(target) => {
            if resolution.is_ambiguous() {
                text.push_str("Candidates (tied after the same-folder and shortest-path rules; the first in path order wins):\n\n");
                for &candidate in &resolution.candidates {
                    let _ = writeln!(
                        text,
                        "- `{}`",
                        live.file_path(candidate).unwrap_or_default()
                    );
                }
                text.push('\n');
            }
            match target {
                FileId::Note(id) => {
                    let anchor = match resolution.anchor {
                        Some(AnchorMatch::Found { index, .. }) => {
                            Some((link.block.is_some(), index))
                        }
                        _ => None,
                    };
                    preview(workspace, id, anchor, &mut text);
                }
                FileId::Attachment(_) => {
                    let _ = writeln!(
                        text,
                        "attachment `{}`",
                        live.file_path(target).unwrap_or_default()
                    );
                }
            }
        }
    }
    let lines_text = workspace.text(cursor.id)?;
    let lines = LineIndex::new(&lines_text);
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text.trim_end().to_owned(),
        }),
        range: Some(convert::range(&lines, link.span)),
    })
}

/// A note's title (and the heading or block linked), its first properties
/// and the first paragraph of the part linked.
fn preview(workspace: &Workspace, id: NoteId, anchor: Option<(bool, usize)>, out: &mut String) {
    let Some(note) = workspace.live().note(id) else {
        return;
    };
    let _ = write!(out, "**{}**", note.title);
    let text = workspace.text(id).unwrap_or_default();
    let mut from = vaultkit::parse::body_start(&text);
    match anchor {
        Some((false, index)) => {
            if let Some(heading) = note.headings.get(index) {
                let _ = write!(out, " › {}", heading.text);
                from = heading.span.end as usize;
            }
        }
        Some((true, index)) => {
            if let Some(block) = note.blocks.get(index) {
                let _ = write!(out, " › ^{}", block.id);
                // The block is the paragraph the id ends.
                from = text[..(block.span.start as usize).min(text.len())]
                    .rfind("\n\n")
                    .map_or(from, |i| i + 2)
                    .max(from);
            }
        }
        None => {}
    }
    let _ = writeln!(out, " — `{}`\n", note.path);
    for property in note.properties.iter().take(SHOWN_PROPERTIES) {
        let _ = writeln!(out, "- {}: {}", property.key, shown(&property.value));
    }
    if !note.properties.is_empty() {
        out.push('\n');
    }
    if let Some(paragraph) = text.get(from..).and_then(first_paragraph) {
        out.push_str(&paragraph);
        out.push('\n');
    }
}

/// A property value in one line: lists comma-separated, text unquoted.
fn shown(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(", "),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The first run of non-blank lines that are not headings, cut to
/// [`PARAGRAPH_CHARS`].
fn first_paragraph(text: &str) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim_end)
        .skip_while(|line| line.trim().is_empty() || line.starts_with('#'))
        .take_while(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .collect();
    if lines.is_empty() {
        return None;
    }
    let paragraph = lines.join("\n");
    Some(match paragraph.char_indices().nth(PARAGRAPH_CHARS) {
        Some((cut, _)) => format!("{}…", &paragraph[..cut]),
        None => paragraph,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_paragraph_skips_blank_lines_and_headings() {
        let text = "\n# Title\n\nOne\ntwo\n\nThree\n";
        assert_eq!(first_paragraph(text).as_deref(), Some("One\ntwo"));
        assert_eq!(first_paragraph("## Only\n\n"), None);
    }

    #[test]
    fn property_values_show_on_one_line() {
        let value = serde_json::json!(["[[A]]", "b", 3]);
        assert_eq!(shown(&value), "[[A]], b, 3");
        assert_eq!(shown(&serde_json::json!(true)), "true");
    }
}
