//! What is being typed at the cursor: the part of a note's text the
//! completion replaces and the kind of thing it names. Pure text work, on
//! the current line and the note's front-matter and code fences.

use vaultkit::parse::{frontmatter, tags};

/// The text being typed at the cursor and what it names.
#[derive(Debug, PartialEq, Eq)]
pub struct Context<'a> {
    /// Byte offset where the typed text starts; it ends at the cursor.
    pub from: usize,
    /// The typed text, which a completion replaces.
    pub typed: &'a str,
    pub kind: Kind<'a>,
}

/// What the typed text names.
#[derive(Debug, PartialEq, Eq)]
pub enum Kind<'a> {
    /// A file in a wikilink (`[[`) or an embed (`![[`), which offer the
    /// same files; `closed` when `]]` follows the cursor already.
    Link { closed: bool },
    /// A heading of the note `note` after `[[note#`.
    Heading { note: &'a str, closed: bool },
    /// A block id of the note `note` after `[[note#^`.
    Block { note: &'a str, closed: bool },
    /// A tag after `#` in the body, without the `#`.
    Tag,
    /// A property key at the start of a front-matter line.
    PropertyKey,
    /// The value of the property `key`, after `key: `.
    PropertyValue { key: &'a str },
    /// The destination of a Markdown link, after `](`.
    Destination,
}

/// What is being typed at byte offset `cursor` of `text`; `None` where
/// nothing is completed (plain prose, code, a finished link).
pub fn detect(text: &str, cursor: usize) -> Option<Context<'_>> {
    let line_start = text[..cursor].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..cursor];
    if let Some(context) = wikilink(text, line_start, cursor) {
        return Some(context);
    }
    let front = frontmatter::split(text);
    match front {
        Some(block) if cursor < block.yaml_start + block.yaml.len() => property(before, line_start),
        Some(block) if cursor < block.body_start => None,
        _ => {
            let body_start = front.map_or(0, |block| block.body_start);
            if in_code(&text[body_start..line_start], before) {
                return None;
            }
            destination(before, line_start).or_else(|| tag(before, line_start))
        }
    }
}

fn context<'a>(text: &'a str, from: usize, cursor: usize, kind: Kind<'a>) -> Option<Context<'a>> {
    Some(Context {
        from,
        typed: text.get(from..cursor)?,
        kind,
    })
}

/// Inside `[[` or `![[` on the cursor's line, before `|` or `]]`.
fn wikilink(text: &str, line_start: usize, cursor: usize) -> Option<Context<'_>> {
    let before = &text[line_start..cursor];
    let open = before.rfind("[[")?;
    let inner = &before[open + 2..];
    if inner.contains("]]") || inner.contains('|') {
        return None;
    }
    let from = line_start + open + 2;
    let closed = text[cursor..].starts_with("]]");
    let kind = match inner.split_once('#') {
        Some((note, anchor)) => match anchor.strip_prefix('^') {
            Some(_) => {
                return context(
                    text,
                    from + note.len() + 2,
                    cursor,
                    Kind::Block { note, closed },
                );
            }
            None => {
                return context(
                    text,
                    from + note.len() + 1,
                    cursor,
                    Kind::Heading { note, closed },
                );
            }
        },
        None => Kind::Link { closed },
    };
    context(text, from, cursor, kind)
}

/// A key at a front-matter line's start, or a value after `key: `.
fn property(before: &str, line_start: usize) -> Option<Context<'_>> {
    let is_key = |key: &str| {
        !key.is_empty() && !key.starts_with(['-', '#']) && !key.contains(char::is_whitespace)
    };
    match before.split_once(':') {
        None if before.is_empty() || is_key(before) => Some(Context {
            from: line_start,
            typed: before,
            kind: Kind::PropertyKey,
        }),
        Some((key, rest)) if is_key(key) && rest.starts_with(' ') => {
            let typed = rest.trim_start();
            Some(Context {
                from: line_start + before.len() - typed.len(),
                typed,
                kind: Kind::PropertyValue { key },
            })
        }
        _ => None,
    }
}

/// The properties written in the front matter of `text`, as `(key, value)`
/// with the value's quotes trimmed: read from the lines, so that a key
/// being typed (which leaves the YAML invalid for a moment) hides no other.
pub fn written_properties(text: &str) -> Vec<(&str, &str)> {
    let Some(block) = frontmatter::split(text) else {
        return Vec::new();
    };
    (block.yaml.lines())
        .filter(|line| !line.starts_with(char::is_whitespace))
        .filter_map(|line| line.split_once(':'))
        .filter(|(key, _)| is_key(key))
        .map(|(key, value)| (key, value.trim().trim_matches(['"', '\'']).trim()))
        .collect()
}

/// Whether `key` can be a property key: a word, not a list item or comment.
fn is_key(key: &str) -> bool {
    !key.is_empty() && !key.starts_with(['-', '#']) && !key.contains(char::is_whitespace)
}

/// After `](` on the line, before the destination ends.
fn destination(before: &str, line_start: usize) -> Option<Context<'_>> {
    let open = before.rfind("](")? + 2;
    let typed = &before[open..];
    (!typed.contains([')', ' ', '\t'])).then_some(Context {
        from: line_start + open,
        typed,
        kind: Kind::Destination,
    })
}

/// A tag being typed, without its `#`.
fn tag(before: &str, line_start: usize) -> Option<Context<'_>> {
    let hash = tags::typed_start(before)?;
    Some(Context {
        from: line_start + hash + 1,
        typed: &before[hash + 1..],
        kind: Kind::Tag,
    })
}

/// Whether the cursor, after `before` on its line, is in code: inside a
/// fenced block opened in `lines_above` (the body's earlier lines) and not
/// closed, or inside a code span opened earlier on the line.
fn in_code(lines_above: &str, before: &str) -> bool {
    let mut fence: Option<&str> = None;
    for line in lines_above.lines() {
        let line = line.trim_start();
        match fence {
            Some(marker) if line.starts_with(marker) => fence = None,
            Some(_) => {}
            None => {
                fence = ["```", "~~~"]
                    .into_iter()
                    .find(|marker| line.starts_with(marker))
            }
        }
    }
    fence.is_some() || before.matches('`').count() % 2 == 1
}

#[cfg(test)]
mod tests {
    use vaultkit::model::{LineIndex, Utf16Position};

    use super::*;

    /// The context at a 0-based line and UTF-16 column, with its typed text.
    fn at(text: &str, line: u32, character: u32) -> Option<(Kind<'_>, &str)> {
        let cursor = LineIndex::new(text)
            .offset_of_utf16(Utf16Position { line, character })
            .expect("a position in the text");
        detect(text, cursor).map(|context| (context.kind, context.typed))
    }

    const NOTE: &str = "---\nstatus: dr\nty\n---\n# Title\nSee [[Git#Br]] and ![[dia\n";

    #[test]
    fn wikilinks_embeds_and_their_anchors() {
        let link = |closed| Kind::Link { closed };
        assert_eq!(at("[[Gi", 0, 4), Some((link(false), "Gi")));
        assert_eq!(at("x ![[dia", 0, 8), Some((link(false), "dia")));
        assert_eq!(at("[[]]", 0, 2), Some((link(true), "")));
        assert_eq!(
            at(NOTE, 5, 12),
            Some((
                Kind::Heading {
                    note: "Git",
                    closed: true
                },
                "Br"
            ))
        );
        assert_eq!(
            at("[[Git#^in", 0, 9),
            Some((
                Kind::Block {
                    note: "Git",
                    closed: false
                },
                "in"
            ))
        );
        assert_eq!(at("[[Git|al", 0, 8), None);
        assert_eq!(at("[[Git]] x", 0, 9), None);
    }

    #[test]
    fn columns_count_utf16_units() {
        // `😀` is two UTF-16 units, `漢` one.
        assert_eq!(
            at("😀漢 [[Gi", 0, 8),
            Some((Kind::Link { closed: false }, "Gi"))
        );
        assert_eq!(at("😀 #ta", 0, 6), Some((Kind::Tag, "ta")));
    }

    #[test]
    fn front_matter_keys_and_values() {
        assert_eq!(at(NOTE, 2, 2), Some((Kind::PropertyKey, "ty")));
        assert_eq!(at(NOTE, 2, 0), Some((Kind::PropertyKey, "")));
        assert_eq!(
            at(NOTE, 1, 10),
            Some((Kind::PropertyValue { key: "status" }, "dr"))
        );
        assert_eq!(at(NOTE, 1, 7), None, "no space after the colon yet");
        assert_eq!(at("---\n- item\n---\n", 1, 6), None);
        assert_eq!(at(NOTE, 3, 3), None, "the closing line");
    }

    #[test]
    fn written_properties_survive_a_key_being_typed() {
        let text = "---\nstatus: \"draft\"\nty\ntags:\n  - a\n# note\n---\nbody: no\n";
        assert_eq!(
            written_properties(text),
            [("status", "draft"), ("tags", "")]
        );
        assert!(written_properties("no: front matter").is_empty());
    }

    #[test]
    fn tags_in_the_body_only() {
        assert_eq!(at("text #pro", 0, 9), Some((Kind::Tag, "pro")));
        assert_eq!(at("#", 0, 1), Some((Kind::Tag, "")));
        assert_eq!(at(NOTE, 4, 1), Some((Kind::Tag, "")));
        assert_eq!(at(NOTE, 4, 2), None, "a heading's marker");
        assert_eq!(at("---\na: 1\n# x\n---\n", 2, 1), None, "front matter");
        assert_eq!(at("`code #ta", 0, 9), None, "a code span");
        assert_eq!(at("`code` #ta", 0, 10), Some((Kind::Tag, "ta")));
        assert_eq!(at("```\n#ta", 1, 3), None, "a fenced block");
        assert_eq!(at("```\nx\n```\n#ta", 3, 3), Some((Kind::Tag, "ta")));
    }

    #[test]
    fn markdown_link_destinations() {
        assert_eq!(at("[a](To", 0, 6), Some((Kind::Destination, "To")));
        assert_eq!(at("[a](", 0, 4), Some((Kind::Destination, "")));
        assert_eq!(at("[a](b.md) c", 0, 11), None);
    }
}
