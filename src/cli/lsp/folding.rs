//! Folding ranges: the front matter, each heading's section and each
//! fenced code block.
//!
//! A section folds from its heading to its last line that is not blank
//! before the next heading of its level or above, so a folded section keeps
//! the blank line that sets it apart. The front matter is a `region`, not a
//! `comment`: it is the note's data, which "fold all comments" should leave
//! open. A range of a single line is left out, as there is nothing to fold.

use lsp_types::{FoldingRange, FoldingRangeKind};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};
use vaultkit::model::{LineIndex, Note};

/// The note's folding ranges, by start line (the front matter, then
/// sections and code blocks as they come).
pub fn folding_ranges(note: &Note, lines: &LineIndex<'_>) -> Vec<FoldingRange> {
    let text = lines.text();
    let body_start = vaultkit::parse::body_start(text);
    let mut found = Vec::new();
    if body_start > 0 {
        found.extend(range(lines, 0, body_start, Some(FoldingRangeKind::Region)));
    }
    let headings = &note.headings;
    for (i, heading) in headings.iter().enumerate() {
        let section_end = (headings[i + 1..].iter())
            .find(|next| next.level <= heading.level)
            .map_or(text.len(), |next| next.span.start as usize);
        found.extend(range(lines, heading.span.start as usize, section_end, None));
    }
    let body = &text[body_start..];
    for (event, span) in Parser::new(body).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = event {
            let (start, end) = (body_start + span.start, body_start + span.end);
            found.extend(range(lines, start, end, None));
        }
    }
    found.sort_by_key(|range| range.start_line);
    found
}

/// The lines from the one holding byte `start` to the last one holding
/// anything but whitespace before byte `end`; `None` for a single line.
fn range(
    lines: &LineIndex<'_>,
    start: usize,
    end: usize,
    kind: Option<FoldingRangeKind>,
) -> Option<FoldingRange> {
    let text = lines.text();
    let last = start + text[start..end].trim_end().len();
    let start_line = lines.utf16_position(start).line;
    let end_line = lines.utf16_position(last).line;
    (end_line > start_line).then_some(FoldingRange {
        start_line,
        start_character: None,
        end_line,
        end_character: None,
        kind,
        collapsed_text: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folds(text: &str) -> Vec<(u32, u32, bool)> {
        let note = vaultkit::parse::parse_note("n.md", text).note;
        (folding_ranges(&note, &LineIndex::new(text)).iter())
            .map(|r| (r.start_line, r.end_line, r.kind.is_some()))
            .collect()
    }

    #[test]
    fn sections_fold_to_their_last_line_before_the_next_peer() {
        let text = "---\na: 1\n---\n# A\nx\n\n## B\ny\n\n# C\n```rust\nfn f() {}\n```\n\n# D\n";
        assert_eq!(
            folds(text),
            [
                (0, 2, true),
                (3, 7, false),
                (6, 7, false),
                (9, 12, false),
                (10, 12, false)
            ]
        );
    }

    #[test]
    fn one_line_and_unclosed_parts_fold_as_far_as_they_go() {
        assert_eq!(folds("# A\n# B\n"), []);
        // An unclosed fence runs to the end; front matter never closed is none.
        assert_eq!(folds("---\na: 1\n```\nx\n"), [(2, 3, false)]);
    }
}
