//! Property tests: any input parses without panicking, and every position
//! the parser reports lies inside the text.

use proptest::prelude::*;

use super::{decode, parse_note};
use crate::model::{LineIndex, Span};

/// Every span of the parsed note, with what it belongs to.
fn spans(text: &str) -> Vec<(&'static str, Span)> {
    let parsed = parse_note("n.md", text);
    let note = parsed.note;
    let mut spans = Vec::new();
    spans.extend(note.links.iter().map(|l| ("link", l.span)));
    spans.extend(note.tags.iter().map(|t| ("tag", t.span)));
    spans.extend(note.headings.iter().map(|h| ("heading", h.span)));
    spans.extend(note.blocks.iter().map(|b| ("block", b.span)));
    spans.extend(note.external.iter().map(|e| ("external", e.span)));
    spans.extend(note.properties.iter().map(|p| ("property", p.span)));
    spans.extend(
        parsed
            .diagnostics
            .iter()
            .filter_map(|d| d.span)
            .map(|s| ("diagnostic", s)),
    );
    spans
}

fn assert_in_range(text: &str) {
    let lines = LineIndex::new(text);
    let line_count = u32::try_from(lines.line_count()).expect("few lines");
    let width = |line: u32| {
        let start = lines.line_start(line).expect("line exists");
        let end = lines.line_start(line + 1).unwrap_or(text.len());
        u32::try_from(text[start..end].chars().count()).expect("short line")
    };
    for (what, span) in spans(text) {
        assert!(span.start <= span.end, "{what} {span:?}");
        assert!(span.end as usize <= text.len(), "{what} {span:?}");
        assert!((1..=line_count).contains(&span.line), "{what} {span:?}");
        assert!((1..=line_count).contains(&span.end_line), "{what} {span:?}");
        assert!(span.line <= span.end_line, "{what} {span:?}");
        assert!(
            span.column >= 1 && span.column <= width(span.line) + 1,
            "{what} {span:?}"
        );
        assert!(
            span.end_column >= 1 && span.end_column <= width(span.end_line) + 1,
            "{what} {span:?}"
        );
    }
}

/// Text made of the characters that matter to the parser, so that the
/// generator builds front matter, links, tags, code and comments often.
const MARKDOWNISH: &str = "(---\n|\r\n|\n|\\[\\[|\\]\\]|!\\[|\\]\\(|[\\[\\]()#|^!%`$<>*_=~:\"'\\\\ a-zA-Z0-9./é😀-]){0,300}";

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..1500)) {
        let (text, _) = decode("n.md", &bytes);
        assert_in_range(&text);
    }

    #[test]
    fn markdown_like_text_keeps_positions_in_range(text in MARKDOWNISH) {
        assert_in_range(&text);
    }

    #[test]
    fn front_matter_like_text_keeps_positions_in_range(
        body in "(tags:|related:|aliases:| - |  - |\"\\[\\[|\\]\\]\"|#|:| |\n|\r\n|[a-z0-9@\\[\\]{},'\"-]){0,120}",
        rest in MARKDOWNISH,
    ) {
        assert_in_range(&format!("---\n{body}\n---\n{rest}"));
    }
}
