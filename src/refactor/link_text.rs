//! A link's target as written in a note's text: where its path and subpath
//! sit inside the link, and how a new path or subpath is written in the
//! link's own style (a wikilink as is, a Markdown destination in `<…>` or
//! percent-encoded, a front-matter link escaped for its YAML quotes).

use std::ops::Range;

use percent_encoding::percent_decode_str;

use crate::model::{Link, LinkKind, LinkOrigin};

/// How a link's path is spelled in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Between `[[` and `]]`, as is.
    Wiki,
    /// A Markdown destination between `<` and `>`.
    Angle,
    /// A Markdown destination, percent-encoded; `non_ascii` when it spelled
    /// its non-ASCII characters encoded too.
    Encoded {
        /// Whether non-ASCII characters are percent-encoded.
        non_ascii: bool,
    },
}

/// Where a link's parts are in its note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// The path part, without surrounding spaces (byte range in the text).
    pub path: Range<usize>,
    /// The heading chain or block after the `#` (without it), if any.
    pub subpath: Option<Range<usize>>,
    /// How the path is spelled.
    pub style: Style,
    /// The quote of the YAML string a front-matter link is written in.
    pub quote: Option<char>,
}

/// The length of the `^` that starts a block link's subpath as written
/// (plain, or percent-encoded in a Markdown link); `None` when it does not
/// start with one.
pub fn caret_len(subpath: &str) -> Option<usize> {
    if subpath.starts_with('^') {
        Some(1)
    } else {
        (subpath.get(..3)?.eq_ignore_ascii_case("%5E")).then_some(3)
    }
}

/// Finds the parts of `link` in `text`, the text of its note; `None` when
/// the link is not at its span as written, or its path as written does not
/// read as the link's target (a backslash escape or an escaped YAML quote),
/// so that it cannot be rewritten in place.
pub fn locate(text: &str, link: &Link) -> Option<Located> {
    let (start, end) = (link.span.start as usize, link.span.end as usize);
    let raw = text.get(start..end)?;
    if raw != link.raw {
        return None;
    }
    let quote = match &link.origin {
        LinkOrigin::Body => None,
        LinkOrigin::Property(_) => text[..start]
            .chars()
            .next_back()
            .filter(|c| matches!(c, '"' | '\'')),
    };
    let (inner, style) = match link.kind {
        _ if raw.starts_with("[[") || raw.starts_with("![[") => (wiki_inner(raw)?, Style::Wiki),
        LinkKind::Wiki => return None,
        LinkKind::Markdown | LinkKind::Embed => markdown_destination(raw)?,
    };
    let part = &raw[inner.clone()];
    let (path, subpath) = match part.find('#') {
        Some(hash) => (
            inner.start..inner.start + hash,
            Some(inner.start + hash + 1..inner.end),
        ),
        None => (inner, None),
    };
    let written = &raw[path.clone()];
    let lead = written.len() - written.trim_start().len();
    let path = path.start + lead..path.start + written.trim_end().len();
    let read = match style {
        Style::Wiki => raw[path.clone()].to_owned(),
        Style::Angle | Style::Encoded { .. } => percent_decode_str(&raw[path.clone()])
            .decode_utf8()
            .ok()?
            .trim()
            .to_owned(),
    };
    if read != link.target {
        return None;
    }
    let style = match style {
        Style::Encoded { .. } => Style::Encoded {
            non_ascii: encodes_non_ascii(&raw[path.clone()]),
        },
        other => other,
    };
    let shift = |r: Range<usize>| start + r.start..start + r.end;
    Some(Located {
        path: shift(path),
        subpath: subpath.map(shift),
        style,
        quote,
    })
}

/// The path and subpath of a wikilink `[[…]]` or `![[…]]`: up to the
/// first `|` (or table-escaped `\|`), as the parser splits it.
fn wiki_inner(raw: &str) -> Option<Range<usize>> {
    let open = if raw.starts_with('!') { 3 } else { 2 };
    let close = raw.len().checked_sub(2)?;
    let inner = raw.get(open..close)?;
    let end = match inner.find('|') {
        Some(bar) if inner[..bar].ends_with('\\') => bar - 1,
        Some(bar) => bar,
        None => inner.len(),
    };
    Some(open..open + end)
}

/// The destination of an inline Markdown link `[text](dest "title")`, with
/// its style: the first `](` after which a destination and an optional
/// title run to the closing `)` (link text may hold brackets).
fn markdown_destination(raw: &str) -> Option<(Range<usize>, Style)> {
    let body = raw.strip_suffix(')')?;
    let mut from = 0;
    while let Some(found) = body[from..].find("](") {
        let open = from + found + 2;
        if let Some(found) = destination_at(body, open) {
            return Some(found);
        }
        from = open;
    }
    None
}

/// The destination starting at `at` (after `(`), if it and an optional
/// title make up the rest of `body`.
fn destination_at(body: &str, at: usize) -> Option<(Range<usize>, Style)> {
    let rest = &body[at..];
    let lead = rest.len() - rest.trim_start().len();
    let start = at + lead;
    let (range, style, after) = if body[start..].starts_with('<') {
        let close = body[start + 1..].find('>')? + start + 1;
        (start + 1..close, Style::Angle, close + 1)
    } else {
        let mut depth = 0usize;
        let mut end = body.len();
        let mut escaped = false;
        for (i, c) in body[start..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '(' => depth += 1,
                ')' if depth == 0 => return None,
                ')' => depth -= 1,
                c if c.is_whitespace() => {
                    end = start + i;
                    break;
                }
                _ => {}
            }
        }
        if depth != 0 || end == start {
            return None;
        }
        let style = Style::Encoded { non_ascii: false };
        (start..end, style, end)
    };
    let title = body[after..].trim();
    let is_title = title.is_empty()
        || [('"', '"'), ('\'', '\''), ('(', ')')]
            .iter()
            .any(|&(open, close)| {
                title.len() >= 2 && title.starts_with(open) && title.ends_with(close)
            });
    is_title.then_some((range, style))
}

/// Whether a percent-encoded path spells some non-ASCII character encoded.
fn encodes_non_ascii(written: &str) -> bool {
    written.split('%').skip(1).any(|escape| {
        escape
            .get(..2)
            .and_then(|hex| u8::from_str_radix(hex, 16).ok())
            .is_some_and(|byte| byte >= 0x80)
    })
}

/// `text` (a path or a heading chain) as written in a link of `style`
/// inside a YAML string quoted with `quote`.
pub fn write(text: &str, style: Style, quote: Option<char>) -> String {
    let written = match style {
        Style::Wiki | Style::Angle => text.to_owned(),
        Style::Encoded { non_ascii } => encode(text, non_ascii),
    };
    match quote {
        Some('"') => written.replace('\\', "\\\\").replace('"', "\\\""),
        Some('\'') => written.replace('\'', "''"),
        _ => written,
    }
}

/// Percent-encodes what would end or change a Markdown destination (and
/// non-ASCII characters when `non_ascii`); the rest is kept as is, as
/// Obsidian writes links.
fn encode(text: &str, non_ascii: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let plain = if c.is_ascii() {
            !c.is_ascii_control() && !" %<>()#?\\^|`\"[]".contains(c)
        } else {
            !non_ascii
        };
        if plain {
            out.push(c);
        } else {
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;

    /// The path and subpath of the first link of `text`, as written.
    fn parts(text: &str) -> (String, Option<String>, Style, Option<char>) {
        let note = parse_note("n.md", text).note;
        let located = locate(text, &note.links[0]).expect("located");
        (
            text[located.path].to_owned(),
            located.subpath.map(|s| text[s].to_owned()),
            located.style,
            located.quote,
        )
    }

    #[test]
    fn wikilink_parts() {
        assert_eq!(
            parts("see [[ A/B#H#I|shown]]"),
            ("A/B".into(), Some("H#I".into()), Style::Wiki, None)
        );
        assert_eq!(parts("![[img.png|300]]").0, "img.png");
        assert_eq!(parts("| [[Note\\|x]] |").0, "Note");
        assert_eq!(parts("[[#Local]]").0, "");
    }

    #[test]
    fn markdown_destinations() {
        let encoded = Style::Encoded { non_ascii: false };
        assert_eq!(
            parts("[a [b] c](My%20Note.md#Some%20heading \"t](x\")"),
            (
                "My%20Note.md".into(),
                Some("Some%20heading".into()),
                encoded,
                None
            )
        );
        assert_eq!(parts("[a](<My Note.md>)").2, Style::Angle);
        assert_eq!(parts("![x](a%20(b).png)").0, "a%20(b).png");
        assert_eq!(
            parts("[x](Caf%C3%A9.md)").2,
            Style::Encoded { non_ascii: true }
        );
    }

    #[test]
    fn front_matter_links_know_their_quotes() {
        let text = "---\nup: \"[[Parent]]\"\nrel:\n  - '[[B|b]]'\n---\n";
        assert_eq!(parts(text).3, Some('"'));
        let note = parse_note("n.md", text).note;
        assert_eq!(locate(text, &note.links[1]).expect("b").quote, Some('\''));
    }

    #[test]
    fn a_link_escaped_in_its_yaml_is_not_located() {
        let text = "---\nup: '[[Bob''s]]'\n---\n";
        let note = parse_note("n.md", text).note;
        assert_eq!(locate(text, &note.links[0]), None);
    }

    #[test]
    fn writing_keeps_the_style() {
        let encoded = Style::Encoded { non_ascii: false };
        assert_eq!(write("a b/(c)é.md", encoded, None), "a%20b/%28c%29é.md");
        assert_eq!(
            write("é", Style::Encoded { non_ascii: true }, None),
            "%C3%A9"
        );
        assert_eq!(write("Bob's", Style::Wiki, Some('\'')), "Bob''s");
        assert_eq!(write("a\"b", Style::Wiki, Some('"')), "a\\\"b");
        assert_eq!(write("a b", Style::Angle, None), "a b");
    }
}
