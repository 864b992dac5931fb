//! Parsing one note: pure, `(path, text) -> Note`, never reading another file.
//!
//! The note is read in two parts: the front matter (see [`frontmatter`]) and
//! the Markdown body (see `markdown.rs`). Every position points into the
//! original text, front matter included.

pub mod frontmatter;
mod markdown;
#[cfg(test)]
mod properties;
pub mod tags;
pub mod wikilink;
pub mod yaml;

use std::borrow::Cow;

use crate::model::{Diagnostic, LineIndex, Note, Severity};

pub use markdown::options as markdown_options;

/// A parsed note and the problems found while reading it.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedNote {
    /// The note.
    pub note: Note,
    /// Findings such as invalid YAML or a legacy tag form.
    pub diagnostics: Vec<Diagnostic>,
}

impl ParsedNote {
    /// The same note at another vault path: a note's text is read without
    /// its path, which only names the note and its findings.
    pub fn move_to(&mut self, path: &str) {
        path.clone_into(&mut self.note.path);
        title_of(path).clone_into(&mut self.note.title);
        for diagnostic in &mut self.diagnostics {
            path.clone_into(&mut diagnostic.path);
        }
    }
}

/// Parses the text of the note at vault-relative `path`.
pub fn parse_note(path: &str, text: &str) -> ParsedNote {
    let lines = LineIndex::new(text);
    let mut diagnostics = Vec::new();
    let mut note = Note {
        path: path.to_owned(),
        title: title_of(path).to_owned(),
        ..Note::default()
    };
    let mut body_start = 0;
    if text.starts_with("---")
        && let Some(block) = frontmatter::split(text)
    {
        body_start = block.body_start;
        let front = frontmatter::parse(block, &lines, path);
        note.properties = front.properties;
        note.aliases = front.aliases;
        note.tags = front.tags;
        note.links = front.links;
        diagnostics.extend(front.diagnostics);
    }
    let body = markdown::scan(text, body_start, &lines);
    note.headings = body.headings;
    note.blocks = body.blocks;
    note.links.extend(body.links);
    note.external = body.external;
    note.tags.extend(body.tags);
    note.word_count = body.word_count;
    note.has_body = body.has_body;
    note.has_base_block = body.has_base_block;
    // A UTF-8 lead byte from 0xF0 starts a four-byte, astral character.
    note.has_astral = text.bytes().any(|byte| byte >= 0xF0);
    note.shrink_to_fit();
    ParsedNote { note, diagnostics }
}

/// Where the body starts: after the front matter, when the note has one.
pub fn body_start(text: &str) -> usize {
    if text.starts_with("---") {
        frontmatter::split(text).map_or(0, |block| block.body_start)
    } else {
        0
    }
}

/// The note title a path stands for: the file name without `.md`.
pub fn title_of(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.len().checked_sub(3) {
        Some(cut) if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".md") => {
            &name[..cut]
        }
        _ => name,
    }
}

/// Decodes a note's bytes: drops a UTF-8 byte-order mark, and replaces invalid
/// UTF-8 with U+FFFD, reporting the first bad line. Binary content (a NUL byte)
/// is refused with a diagnostic.
pub fn decode<'a>(path: &str, bytes: &'a [u8]) -> (Cow<'a, str>, Option<Diagnostic>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if memchr::memchr(0, bytes).is_some() {
        let diagnostic = Diagnostic::new(
            "unreadable-note",
            Severity::Error,
            path,
            "this .md file holds binary data (a NUL byte), so its content was not read",
        );
        return (Cow::Borrowed(""), Some(diagnostic));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), None),
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            let line = memchr::memchr_iter(b'\n', valid).count() + 1;
            let column =
                valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1) + 1;
            let text = String::from_utf8_lossy(bytes).into_owned();
            let lines = LineIndex::new(&text);
            let start = lines
                .line_start(u32::try_from(line).unwrap_or(u32::MAX))
                .unwrap_or(0);
            let mut span = lines.span(start, start);
            span.column = u32::try_from(column).unwrap_or(u32::MAX);
            let diagnostic = Diagnostic::new(
                "invalid-encoding",
                Severity::Error,
                path,
                format!("the file is not valid UTF-8 (first bad byte on line {line}); invalid bytes were replaced"),
            )
            .at(span)
            .with_help("save the note as UTF-8");
            (Cow::Owned(text), Some(diagnostic))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LinkKind, LinkOrigin};

    fn note(text: &str) -> Note {
        parse_note("n.md", text).note
    }

    fn targets(text: &str) -> Vec<String> {
        note(text)
            .links
            .into_iter()
            .map(|l| l.target.into())
            .collect()
    }

    fn tags(text: &str) -> Vec<String> {
        note(text).tags.into_iter().map(|t| t.name.into()).collect()
    }

    #[test]
    fn wikilink_forms() {
        let n = note("[[A]] [[B|b]] [[C#H]] [[D#H1#H2]] [[E#^id]] [[#Local]] [[#^blk]] ![[F]]");
        let summary: Vec<_> = n
            .links
            .iter()
            .map(|l| {
                (
                    l.target.as_str(),
                    l.heading.as_deref(),
                    l.block.as_deref(),
                    l.kind,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("A", None, None, LinkKind::Wiki),
                ("B", None, None, LinkKind::Wiki),
                ("C", Some("H"), None, LinkKind::Wiki),
                ("D", Some("H1#H2"), None, LinkKind::Wiki),
                ("E", None, Some("id"), LinkKind::Wiki),
                ("", Some("Local"), None, LinkKind::Wiki),
                ("", None, Some("blk"), LinkKind::Wiki),
                ("F", None, None, LinkKind::Embed),
            ]
        );
        assert_eq!(n.links[1].display.as_deref(), Some("b"));
        assert_eq!(n.links[0].origin, LinkOrigin::Body);
    }

    #[test]
    fn odd_wikilinks_as_obsidian_reads_them() {
        // Edge cases 11, 12 and the innermost-wins rule.
        assert_eq!(targets("[[https://example.com]]"), ["https://example.com"]);
        assert_eq!(targets("[[Sq]uare]]"), ["Sq]uare"]);
        assert_eq!(targets("[[a [[Inner]] c]]"), ["Inner"]);
        assert!(note("[[https://example.com]]").external.is_empty());
    }

    #[test]
    fn a_wikilink_ends_at_the_end_of_its_line() {
        let text = "x [[first line\nsecond line]] y\n\n![[A|b\r\nc]] and [[Real]]\n";
        let note = parse_note("n.md", text).note;
        let raws: Vec<&str> = note.links.iter().map(|l| l.raw.as_str()).collect();
        assert_eq!(raws, ["[[Real]]"]);
    }

    #[test]
    fn escaped_pipe_in_a_table_cell() {
        // Edge case 19.
        let n = note("| a | b |\n|---|---|\n| [[Note\\|Alias]] | x |\n");
        assert_eq!(n.links[0].target, "Note");
        assert_eq!(n.links[0].display.as_deref(), Some("Alias"));
    }

    #[test]
    fn embeds_with_sizes_and_pdf_pages() {
        // Edge cases 18 and 45.
        let n = note("![[img.png|100x200]] ![[Doc.pdf#page=3]]");
        assert_eq!(n.links[0].size.as_deref(), Some("100x200"));
        assert_eq!(n.links[0].display, None);
        assert_eq!(n.links[1].target, "Doc.pdf");
        assert_eq!(n.links[1].fragment.as_deref(), Some("page=3"));
        assert!(n.links.iter().all(|l| l.kind == LinkKind::Embed));
    }

    #[test]
    fn markdown_links() {
        // Edge cases 13-16.
        let n = note(
            "[y](My%20Note.md) [t](<My Note.md>) [r](My Note.md) [n](Note) [h](Note.md#Some%20Heading) [e](https://x.org) [m](mailto:a@b.c)",
        );
        let summary: Vec<_> = n
            .links
            .iter()
            .map(|l| (l.target.as_str(), l.heading.as_deref(), l.kind))
            .collect();
        assert_eq!(
            summary,
            [
                ("My Note.md", None, LinkKind::Markdown),
                ("My Note.md", None, LinkKind::Markdown),
                ("Note", None, LinkKind::Markdown),
                ("Note.md", Some("Some Heading"), LinkKind::Markdown),
            ]
        );
        assert_eq!(n.links[0].display.as_deref(), Some("y"));
        let urls: Vec<_> = n.external.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://x.org", "mailto:a@b.c"]);
    }

    #[test]
    fn bare_urls_and_autolinks_are_external() {
        let n = note("See https://example.com/a_b_c. and <https://auto.link>\n");
        let urls: Vec<_> = n.external.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://example.com/a_b_c", "https://auto.link"]);
    }

    #[test]
    fn nothing_is_taken_from_code_comments_math_or_html() {
        // Edge case 33 and section 5.
        let text = "`#notatag [[L1]]`\n\n```\n#x [[L2]]\n```\n\n    #indented [[L3]]\n\n%% #x [[L4]] %%\n\n$#x [[L5]]$\n\n<div>\n[[L6]] #x\n</div>\n\n<!-- [[L7]] -->\n\nreal [[Kept]] #kept\n";
        assert_eq!(targets(text), ["Kept"]);
        assert_eq!(tags(text), ["kept"]);
    }

    #[test]
    fn comments_span_lines_and_an_unclosed_one_runs_to_the_end() {
        assert_eq!(targets("a %%\n[[Hidden]]\n%% [[Shown]]"), ["Shown"]);
        assert_eq!(
            targets("[[Shown]] %% [[Hidden]]\n\n[[Also hidden]]"),
            ["Shown"]
        );
        // `%%` inside code does not open a comment.
        assert_eq!(targets("`%%` [[One]] `%%` [[Two]]"), ["One", "Two"]);
    }

    #[test]
    fn callouts_quotes_lists_tables_and_footnotes_keep_links_and_tags() {
        let text = "> [!tip] Title\n> see [[InCallout]] #c\n\n- item [[InList]] #l\n\n| [[InTable]] | #t |\n|---|---|\n\nText[^1]\n\n[^1]: [[InFootnote]]\n";
        assert_eq!(
            targets(text),
            ["InCallout", "InList", "InTable", "InFootnote"]
        );
        assert_eq!(tags(text), ["c", "l", "t"]);
    }

    #[test]
    fn tags_in_body_follow_obsidian() {
        // Edge cases 29, 34-36.
        assert_eq!(tags("#Tag and #tag"), ["Tag", "tag"]);
        assert_eq!(note("#Tag and #tag").tag_names(), ["Tag"]);
        assert_eq!(
            note("#Über #über #K #\u{212A} #b #B").tag_names(),
            ["Über", "K", "b"]
        );
        let many: String = (0..40)
            .map(|i| format!("#T{} #t{} ", i % 5, i % 5))
            .collect();
        assert_eq!(note(&many).tag_names(), ["T0", "T1", "T2", "T3", "T4"]);
        assert!(tags(r"\#escaped").is_empty());
        let n = note("## Heading #topic\n#tag at start\n\n# tag heading\n");
        assert_eq!(tags("## Heading #topic\n#tag at start\n"), ["topic", "tag"]);
        let headings: Vec<_> = n
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str()))
            .collect();
        assert_eq!(headings, [(2, "Heading #topic"), (1, "tag heading")]);
        // The `#` in a link's subpath is not a tag.
        assert!(tags("[[Note#Heading]] [[#Local]]").is_empty());
    }

    #[test]
    fn block_ids() {
        // Edge cases 24-27.
        let ids = |text: &str| {
            note(text)
                .blocks
                .into_iter()
                .map(|b| b.id)
                .collect::<Vec<_>>()
        };
        assert_eq!(ids("text ^my-id\n"), ["my-id"]);
        assert!(ids("text ^my_id\n").is_empty());
        assert!(ids("text^abc\n").is_empty());
        assert_eq!(ids("> quoted\n\n^quote-id\n\n"), ["quote-id"]);
        assert!(ids("> line ^in-quote\n").is_empty());
        // Obsidian's help vault names callouts with a `^id` line right after them.
        assert_eq!(
            ids("> [!info]\n> text\n^callout-id\n\nafter\n"),
            ["callout-id"]
        );
        assert!(ids("| a ^cell |\n|---|\n").is_empty());
        assert_eq!(ids("- item ^item-id\n- next\n"), ["item-id"]);
        assert!(ids("first line ^not-last\nsecond line\n").is_empty());
        // Section 10: an id may follow an embed directly.
        assert_eq!(ids("![[pic.png]]^pic-id\n"), ["pic-id"]);
    }

    #[test]
    fn headings_with_closing_hashes_setext_and_empty() {
        let n = note("# Title #\nSetext\n===\n##\n### Spaced   \n");
        let headings: Vec<_> = n
            .headings
            .iter()
            .map(|h| (h.level, h.text.as_str(), h.span.line))
            .collect();
        assert_eq!(
            headings,
            [
                (1, "Title", 1),
                (1, "Setext", 2),
                (2, "", 4),
                (3, "Spaced", 5)
            ]
        );
    }

    #[test]
    fn heading_content_is_tracked() {
        let n = note("# A\n## B\ntext\n## C\n");
        let flags: Vec<_> = n.headings.iter().map(|h| h.has_content).collect();
        assert_eq!(flags, [false, true, false]);
    }

    #[test]
    fn positions_count_from_the_top_of_the_file() {
        let text = "---\nrelated:\n  - \"[[P]]\"\n---\n# H\nx [[Body]] #t\n";
        let n = note(text);
        let link = |target: &str| {
            n.links
                .iter()
                .find(|l| l.target == target)
                .expect("link")
                .span
        };
        assert_eq!((link("P").line, link("P").column), (3, 6));
        assert_eq!((link("Body").line, link("Body").column), (6, 3));
        assert_eq!(n.headings[0].span.line, 5);
        assert_eq!((n.tags[0].span.line, n.tags[0].span.column), (6, 12));
        assert_eq!(n.links[0].origin, LinkOrigin::Property("related".into()));
    }

    #[test]
    fn crlf_and_bom() {
        let bytes = b"\xEF\xBB\xBF---\r\ntags: [a]\r\n---\r\n# Head\r\nsee [[X]]\r\n";
        let (text, problem) = decode("n.md", bytes);
        assert!(problem.is_none());
        let n = parse_note("n.md", &text).note;
        assert_eq!(n.tag_names(), ["a"]);
        assert_eq!(n.headings[0].text, "Head");
        assert_eq!((n.links[0].span.line, n.links[0].span.column), (5, 5));
    }

    #[test]
    fn invalid_utf8_is_reported_and_read_lossily() {
        let (text, problem) = decode("n.md", b"ok\nbad \xFF [[Still]]\n");
        let problem = problem.expect("a diagnostic");
        assert_eq!(problem.rule, "invalid-encoding");
        assert_eq!(problem.span.map(|s| (s.line, s.column)), Some((2, 5)));
        assert_eq!(parse_note("n.md", &text).note.links[0].target, "Still");
    }

    #[test]
    fn binary_files_are_refused() {
        let (text, problem) = decode("n.md", b"\x00\x01\x02[[x]]");
        assert!(text.is_empty());
        assert_eq!(problem.expect("a diagnostic").rule, "unreadable-note");
    }

    #[test]
    fn invalid_front_matter_still_parses_the_body() {
        let parsed = parse_note("n.md", "---\ntags:value\n---\n[[Body]] #t\n");
        assert_eq!(parsed.diagnostics[0].rule, "invalid-frontmatter");
        assert_eq!(parsed.note.links[0].target, "Body");
        assert_eq!(parsed.note.tag_names(), ["t"]);
        assert!(parsed.note.properties.is_empty());
    }

    #[test]
    fn titles_drop_the_md_extension_only() {
        assert_eq!(title_of("a/b/Note.md"), "Note");
        assert_eq!(title_of("Note.MD"), "Note");
        assert_eq!(title_of("pic.png"), "pic.png");
        assert_eq!(title_of("é.md"), "é");
    }

    #[test]
    fn words_are_counted_outside_code() {
        let n = note("---\ntitle: not counted\n---\nOne two [[three]]\n\n```\nnot counted\n```\n");
        assert_eq!(n.word_count, 3);
    }

    proptest::proptest! {
        /// Without astral characters, a span's character columns are the
        /// UTF-16 positions an editor counts: what `Span::utf16_in_bmp` relies on.
        #[test]
        fn spans_of_a_note_without_astral_characters_are_utf16_positions(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a ", "[[Note]] ", "[[é#Head|x]] ", "#tag ", "\n", "\r\n", "\n# Head 漢\n",
                    "e\u{301} ", "[md](Other%20é.md) ", "^blk ", "\u{FEFF}", "😀",
                ]),
                0..40,
            ),
            front in proptest::bool::ANY,
        ) {
            let body: String = parts.concat();
            let text = if front { format!("---\ntags: [x, 漢]\nrelated: \"[[Y]]\"\n---\n{body}") } else { body };
            let note = note(&text);
            proptest::prop_assert_eq!(note.has_astral, text.contains('😀'));
            if !note.has_astral {
                let lines = LineIndex::new(&text);
                let spans = (note.links.iter().map(|l| l.span))
                    .chain(note.tags.iter().map(|t| t.span))
                    .chain(note.headings.iter().map(|h| h.span))
                    .chain(note.blocks.iter().map(|b| b.span));
                for span in spans {
                    let by_text = (
                        lines.utf16_position(span.start as usize),
                        lines.utf16_position(span.end as usize),
                    );
                    proptest::prop_assert_eq!(span.utf16_in_bmp(), by_text, "{:?}", span);
                }
            }
        }
    }

    #[test]
    fn base_blocks_are_noticed_by_their_fence_language_only() {
        assert!(note("# N\n\n```base\nfilters: x\n```\n").has_base_block);
        assert!(note("~~~ base title\nviews: []\n~~~\n").has_base_block);
        assert!(!note("```basement\nx\n```\n\n```yaml\nbase: 1\n```\n").has_base_block);
        assert!(!note("`base` inline and\n\n    ```base indented code\n").has_base_block);
    }
}
