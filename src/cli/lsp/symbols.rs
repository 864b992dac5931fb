//! A note's outline: its headings as a tree of document symbols.

use lsp_types::{DocumentSymbol, SymbolKind};
use vaultkit::model::LineIndex;
use vaultkit::model::Note;

use super::convert;

/// The heading tree: each heading's range runs to the next heading of its
/// level or above (or the end of the note); its selection is its line.
pub fn document_symbols(note: &Note, lines: &LineIndex<'_>) -> Vec<DocumentSymbol> {
    let headings = &note.headings;
    // Open headings, outermost first, each with its level.
    let mut open: Vec<(u8, DocumentSymbol)> = Vec::new();
    let mut roots = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        let section_end = (headings[i + 1..].iter())
            .find(|next| next.level <= heading.level)
            .map_or(lines.text().len(), |next| next.span.start as usize);
        let name = match heading.text.trim() {
            "" => "#".repeat(usize::from(heading.level)),
            text => text.to_owned(),
        };
        #[allow(deprecated)] // `deprecated` has no default but must be set
        let symbol = DocumentSymbol {
            name,
            detail: None,
            kind: SymbolKind::STRING,
            tags: None,
            deprecated: None,
            range: lsp_types::Range {
                start: convert::position(lines, heading.span.start as usize),
                end: convert::position(lines, section_end),
            },
            selection_range: convert::range(lines, heading.span),
            children: None,
        };
        close_until(&mut open, &mut roots, heading.level);
        open.push((heading.level, symbol));
    }
    close_until(&mut open, &mut roots, 0);
    roots
}

/// Closes the open headings of `level` or deeper, each into its parent
/// (or the roots).
fn close_until(open: &mut Vec<(u8, DocumentSymbol)>, roots: &mut Vec<DocumentSymbol>, level: u8) {
    while open
        .last()
        .is_some_and(|(open_level, _)| *open_level >= level)
    {
        let Some((_, symbol)) = open.pop() else { break };
        match open.last_mut() {
            Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(symbol),
            None => roots.push(symbol),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_nest_by_level_and_sections_end_at_the_next_peer() {
        let text = "# A\nx\n### B\n## C\ny\n# D\n";
        let note = vaultkit::parse::parse_note("n.md", text).note;
        let symbols = document_symbols(&note, &LineIndex::new(text));
        let shape: Vec<String> = symbols
            .iter()
            .map(|s| {
                let children: Vec<String> = (s.children.iter().flatten())
                    .map(|c| format!("{}@{}-{}", c.name, c.range.start.line, c.range.end.line))
                    .collect();
                format!(
                    "{}@{}-{} [{}]",
                    s.name,
                    s.range.start.line,
                    s.range.end.line,
                    children.join(" ")
                )
            })
            .collect();
        assert_eq!(shape, ["A@0-5 [B@2-3 C@3-5]", "D@5-6 []"]);
    }
}
