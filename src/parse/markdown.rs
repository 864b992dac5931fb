//! The Markdown body, read in one pulldown-cmark pass: headings, links, embeds,
//! block ids, inline tags and external URLs, skipping code, math, HTML and
//! `%% comments %%`.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use regex::Regex;

use super::{tags, wikilink};
use crate::model::{
    BlockId, ExternalLink, Heading, LineIndex, Link, LinkKind, LinkOrigin, Tag as NoteTag,
    TagSource,
};

/// What the body contributes to a note.
#[derive(Debug, Default)]
pub struct Body {
    pub headings: Vec<Heading>,
    pub blocks: Vec<BlockId>,
    pub links: Vec<Link>,
    pub external: Vec<ExternalLink>,
    pub tags: Vec<NoteTag>,
    pub word_count: usize,
    pub has_body: bool,
    pub has_base_block: bool,
}

/// The Markdown extensions Obsidian's syntax needs.
pub fn options() -> Options {
    Options::ENABLE_WIKILINKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// Scans the body of `text`, which starts at byte `body_start`.
pub fn scan(text: &str, body_start: usize, lines: &LineIndex<'_>) -> Body {
    let body = &text[body_start..];
    let masked = mask_comments(body);
    let source = masked.as_deref().unwrap_or(body);
    let mut scanner = Scanner {
        source,
        base: body_start,
        lines,
        body: Body {
            has_body: !source.trim().is_empty(),
            ..Body::default()
        },
        prose: Vec::new(),
        heading: None,
        markdown_link: None,
        code_depth: 0,
        link_depth: 0,
        quote_depth: 0,
        table_depth: 0,
        pending_block: None,
    };
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        scanner.event(event, range);
    }
    scanner.commit_block();
    scanner.scan_prose();
    scanner.body
}

/// A heading being read: its level, whole range and the range of its text.
struct OpenHeading {
    level: u8,
    range: Range<usize>,
    inner: Option<Range<usize>>,
}

struct Scanner<'s, 'l> {
    source: &'s str,
    base: usize,
    lines: &'l LineIndex<'l>,
    body: Body,
    /// Contiguous runs of plain text outside code, links and HTML.
    prose: Vec<Range<usize>>,
    heading: Option<OpenHeading>,
    /// Index in `body.links` of an open Markdown link and the range of its text.
    markdown_link: Option<(usize, Option<Range<usize>>)>,
    code_depth: usize,
    link_depth: usize,
    quote_depth: usize,
    table_depth: usize,
    /// A `^id` that becomes a block id if its paragraph or item ends right after it.
    pending_block: Option<BlockId>,
}

impl Scanner<'_, '_> {
    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        if self.is_inline(&event) {
            self.pending_block = None;
            self.extend_inner(&range);
        } else if !matches!(event, Event::End(_)) || is_block_end(&event) {
            self.commit_block();
        }
        match event {
            Event::Start(tag) => self.start(tag, range),
            Event::End(end) => self.end(end),
            Event::Text(text) => self.text(&text, range),
            Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::Rule
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_) => self.mark_content(),
            Event::SoftBreak | Event::HardBreak => {}
        }
    }

    fn is_inline(&self, event: &Event<'_>) -> bool {
        match event {
            Event::Text(_)
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::FootnoteReference(_) => true,
            Event::Start(tag) => matches!(
                tag,
                Tag::Emphasis
                    | Tag::Strong
                    | Tag::Strikethrough
                    | Tag::Superscript
                    | Tag::Subscript
                    | Tag::Link { .. }
                    | Tag::Image { .. }
            ),
            _ => false,
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        match tag {
            Tag::Heading { level, .. } => {
                self.heading = Some(OpenHeading {
                    level: level as u8,
                    range,
                    inner: None,
                });
            }
            Tag::CodeBlock(kind) => {
                if let CodeBlockKind::Fenced(info) = kind {
                    self.body.has_base_block |= info.split_whitespace().next() == Some("base");
                }
                self.code_depth += 1;
                self.mark_content();
            }
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => self.link(link_type, &dest_url, range, false),
            Tag::Image {
                link_type,
                dest_url,
                ..
            } => self.link(link_type, &dest_url, range, true),
            Tag::BlockQuote(_) => self.quote_depth += 1,
            Tag::Table(_) => self.table_depth += 1,
            _ => {}
        }
    }

    fn end(&mut self, end: TagEnd) {
        match end {
            TagEnd::Heading(_) => self.close_heading(),
            TagEnd::CodeBlock => self.code_depth = self.code_depth.saturating_sub(1),
            TagEnd::Link | TagEnd::Image => {
                self.link_depth = self.link_depth.saturating_sub(1);
                if let Some((index, Some(inner))) = self.markdown_link.take() {
                    self.body.links[index].display = Some(self.source[inner].into());
                }
            }
            TagEnd::BlockQuote(_) => self.quote_depth = self.quote_depth.saturating_sub(1),
            TagEnd::Table => self.table_depth = self.table_depth.saturating_sub(1),
            _ => {}
        }
    }

    fn text(&mut self, text: &CowStr<'_>, range: Range<usize>) {
        if self.code_depth > 0 {
            return;
        }
        self.body.word_count += count_words(text);
        if self.heading.is_none() && self.awaits_content() && !text.trim().is_empty() {
            self.mark_content();
        }
        if self.link_depth > 0 {
            if let Some((_, inner)) = &mut self.markdown_link {
                extend(inner, &range);
            }
            return;
        }
        match self.prose.last_mut() {
            Some(last) if last.end == range.start => last.end = range.end,
            _ => self.prose.push(range.clone()),
        }
        self.pending_block = self.block_id_at_end(range);
    }

    /// Whether the last heading has no content yet (so text could give it some).
    fn awaits_content(&self) -> bool {
        self.body.headings.last().is_some_and(|h| !h.has_content)
    }

    fn mark_content(&mut self) {
        if self.heading.is_none()
            && let Some(last) = self.body.headings.last_mut()
        {
            last.has_content = true;
        }
    }

    fn extend_inner(&mut self, range: &Range<usize>) {
        if let Some(heading) = &mut self.heading {
            extend(&mut heading.inner, range);
        }
    }

    fn close_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let text = open
            .inner
            .map_or("", |inner| self.source[inner].trim())
            .into();
        let line_end = self.source[open.range.clone()]
            .find('\n')
            .map_or(open.range.end, |i| open.range.start + i);
        self.body.headings.push(Heading {
            level: open.level,
            text,
            span: self.span(open.range.start, line_end),
            has_content: false,
        });
    }

    fn link(&mut self, link_type: LinkType, dest: &str, range: Range<usize>, embed: bool) {
        self.link_depth += 1;
        self.mark_content();
        let raw = &self.source[range.clone()];
        let span = self.span(range.start, range.end);
        match link_type {
            // Obsidian ends a wikilink at the end of its line: `[[` and a
            // `]]` on a later line are text.
            LinkType::WikiLink { .. } if raw.contains(['\n', '\r']) => {}
            LinkType::WikiLink { .. } => {
                let inner = raw
                    .trim_start_matches('!')
                    .strip_prefix("[[")
                    .and_then(|r| r.strip_suffix("]]"))
                    .unwrap_or(dest);
                let link = wikilink::link(inner, embed, raw, LinkOrigin::Body, span);
                self.body.links.push(link);
            }
            LinkType::Autolink | LinkType::Email => self.external(dest, span),
            _ if is_external(dest) => self.external(dest, span),
            _ if dest.is_empty() => {}
            _ => {
                let link = markdown_link(raw, dest, embed, span);
                self.markdown_link = Some((self.body.links.len(), None));
                self.body.links.push(link);
            }
        }
    }

    fn external(&mut self, url: &str, span: crate::model::Span) {
        self.body.external.push(ExternalLink {
            url: url.to_owned(),
            span,
        });
    }

    /// A `^id` ending this text, preceded by whitespace, a line start or an embed's `]]`.
    fn block_id_at_end(&self, range: Range<usize>) -> Option<BlockId> {
        if self.table_depth > 0 || self.heading.is_some() {
            return None;
        }
        let (caret, id) = trailing_block_id(&self.source[range.clone()])?;
        let caret = range.start + caret;
        let before = &self.source[..caret];
        // Inside a quote or callout only a `^id` line of its own (a lazy
        // continuation line right after it) names a block: the whole quote.
        if self.quote_depth > 0 && !(before.is_empty() || before.ends_with('\n')) {
            return None;
        }
        let boundary =
            before.is_empty() || before.ends_with([' ', '\t', '\n']) || before.ends_with("]]");
        boundary.then(|| BlockId {
            id: id.into(),
            span: self.span(caret, caret + 1 + id.len()),
        })
    }

    fn commit_block(&mut self) {
        if let Some(block) = self.pending_block.take() {
            self.body.blocks.push(block);
        }
    }

    /// Tags and bare URLs in the collected prose.
    fn scan_prose(&mut self) {
        for range in std::mem::take(&mut self.prose) {
            let prose = &self.source[range.clone()];
            for tag in tags::find_in_prose(self.source, range.start, prose) {
                self.body.tags.push(NoteTag {
                    name: tag.name.into(),
                    source: TagSource::Body,
                    span: self.span(range.start + tag.start, range.start + tag.end),
                });
            }
            if has_url_mark(prose) {
                for url in BARE_URL.find_iter(prose) {
                    let trimmed = url
                        .as_str()
                        .trim_end_matches(['.', ',', ';', ':', '!', '?']);
                    let span = self.span(
                        range.start + url.start(),
                        range.start + url.start() + trimmed.len(),
                    );
                    self.external(trimmed, span);
                }
            }
        }
        self.body.external.sort_by_key(|e| e.span.start);
    }

    fn span(&self, start: usize, end: usize) -> crate::model::Span {
        self.lines.span(self.base + start, self.base + end)
    }
}

static BARE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"\b(?:https?|ftp)://[^\s<>"'`\[\]()]+"#).expect("the URL pattern is valid")
});

static URL_SCHEME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z][A-Za-z0-9+.\-]+:").expect("the scheme pattern is valid")
});

/// A `^id` (letters, digits, `-`) ending `text`, before any trailing spaces
/// or tabs: the offset of `^` and the id.
fn trailing_block_id(text: &str) -> Option<(usize, &str)> {
    let trimmed = text.trim_end_matches([' ', '\t']);
    let id_len = trimmed
        .bytes()
        .rev()
        .take_while(|&b| b.is_ascii_alphanumeric() || b == b'-')
        .count();
    let caret = trimmed.len().checked_sub(id_len + 1)?;
    (id_len > 0 && trimmed.as_bytes()[caret] == b'^').then(|| (caret, &trimmed[caret + 1..]))
}

/// Whether `text` holds `://`, the sign of a bare URL. (A `memmem` search
/// sets up more than it saves on the short runs of prose this is asked about.)
fn has_url_mark(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b':', bytes).any(|i| bytes[i + 1..].starts_with(b"//"))
}

/// Words in `text`: runs of non-whitespace (ASCII whitespace only, for speed).
/// Counts word starts (a non-space byte at the start or after a space) with
/// no loop-carried state, so the compiler can vectorise it.
fn count_words(text: &str) -> usize {
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    // Byte-wide sums over chunks of at most 255 pairs cannot overflow.
    let chunk_starts = |(before, after): (&[u8], &[u8])| {
        let starts = before.iter().zip(after).fold(0u8, |sum, (&b, &a)| {
            sum + u8::from(is_space(b) & !is_space(a))
        });
        usize::from(starts)
    };
    let pairs = bytes.len() - 1;
    let starts: usize = bytes[..pairs]
        .chunks(255)
        .zip(bytes[1..].chunks(255))
        .map(chunk_starts)
        .sum();
    starts + usize::from(!is_space(first))
}

/// `u8::is_ascii_whitespace` as plain comparisons (space, tab, LF, FF, CR).
fn is_space(byte: u8) -> bool {
    byte == b' ' || (byte.wrapping_sub(b'\t') < 5 && byte != 0x0B)
}

fn is_block_end(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::End(
            TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::List(_)
                | TagEnd::Table
                | TagEnd::FootnoteDefinition
        )
    )
}

fn extend(inner: &mut Option<Range<usize>>, range: &Range<usize>) {
    *inner = Some(match inner.take() {
        Some(r) => r.start.min(range.start)..r.end.max(range.end),
        None => range.clone(),
    });
}

/// `https:`, `mailto:`, `obsidian:`, `//host`: anything that leaves the vault.
fn is_external(dest: &str) -> bool {
    dest.starts_with("//") || URL_SCHEME.is_match(dest)
}

/// A Markdown link to a local file: percent-decoded, split at the first `#`.
fn markdown_link(raw: &str, dest: &str, embed: bool, span: crate::model::Span) -> Link {
    let (path, fragment) = match dest.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (dest, None),
    };
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    let kind = if embed {
        LinkKind::Embed
    } else {
        LinkKind::Markdown
    };
    let mut link = Link::new(raw, decode(path).trim(), kind, LinkOrigin::Body, span);
    if let Some(fragment) = fragment {
        link.set_subpath(&decode(fragment));
    }
    link
}

/// Replaces `%% comments %%` (outside code) with spaces, keeping every byte offset.
fn mask_comments(body: &str) -> Option<String> {
    memchr::memmem::find(body.as_bytes(), b"%%")?;
    let code = code_ranges(body);
    let in_code = |at: usize| code.iter().any(|r| r.contains(&at));
    let mut marks = Vec::new();
    let mut from = 0;
    while let Some(i) = body[from..].find("%%") {
        let at = from + i;
        if !in_code(at) {
            marks.push(at);
        }
        from = at + 2;
    }
    if marks.is_empty() {
        return None;
    }
    let mut bytes = body.as_bytes().to_vec();
    for pair in marks.chunks(2) {
        let start = pair[0];
        // An unclosed comment runs to the end of the note.
        let end = pair.get(1).map_or(bytes.len(), |&close| close + 2);
        for byte in &mut bytes[start..end] {
            if *byte != b'\n' && *byte != b'\r' {
                *byte = b' ';
            }
        }
    }
    // Only whole characters between ASCII `%%` marks were replaced.
    String::from_utf8(bytes).ok()
}

fn code_ranges(body: &str) -> Vec<Range<usize>> {
    Parser::new_ext(body, options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::CodeBlock(_))
            | Event::Code(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::Html(_)
            | Event::InlineHtml(_) => Some(range),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{count_words, trailing_block_id};
    use proptest::prelude::*;

    #[test]
    fn block_ids_end_the_text() {
        assert_eq!(trailing_block_id("text ^my-id"), Some((5, "my-id")));
        assert_eq!(trailing_block_id("text ^id \t"), Some((5, "id")));
        assert_eq!(trailing_block_id("^a ^b"), Some((3, "b")));
        assert_eq!(trailing_block_id("^"), None);
        assert_eq!(trailing_block_id("text ^my_id"), None);
        assert_eq!(trailing_block_id("text ^id\n"), None);
        assert_eq!(trailing_block_id("no id"), None);
        assert_eq!(trailing_block_id("é^é"), None);
    }

    #[test]
    fn words_are_runs_of_non_whitespace() {
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("  "), 0);
        assert_eq!(count_words("one"), 1);
        assert_eq!(count_words(" one\ttwo\r\nthree\x0cfour "), 4);
        // A vertical tab is not ASCII whitespace in Rust's sense.
        assert_eq!(count_words("a\x0bb"), 1);
        assert_eq!(count_words("é ü"), 2);
    }

    proptest! {
        #[test]
        fn counts_like_split_ascii_whitespace(text in "[ a\\t\\n\\r\\x0b\\x0cé]{0,600}") {
            prop_assert_eq!(count_words(&text), text.split_ascii_whitespace().count());
        }
    }
}
