//! A note's body cut into blocks as Obsidian's `block:` sees them: each
//! paragraph, heading, list item, quote, code block, table or HTML block.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::parse;

/// What kind of block a piece of text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A list item, without the items nested under it.
    ListItem,
    /// Any other block.
    Other,
}

/// One block of a note's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    /// Its kind.
    pub kind: BlockKind,
    /// Its text, markup included.
    pub text: &'a str,
}

/// The blocks of `body`, in order. A list item ends where a list nested in
/// it starts, so that each nested item is a block of its own. A quote (or
/// callout) is one block with everything in it, and its list items are
/// blocks too, as tasks in a callout are tasks.
pub fn blocks(body: &str) -> Vec<Block<'_>> {
    let mut found = Vec::new();
    // Paragraphs and the like inside a quote or a list item belong to it.
    let mut container_depth = 0usize;
    // The start of each list item still open, until a nested list ends its text.
    let mut open_items: Vec<Option<usize>> = Vec::new();
    let mut push = |kind, start: usize, end: usize| {
        let text = body[start..end].trim_end();
        if !text.trim().is_empty() {
            found.push(Block { kind, text });
        }
    };
    for (event, range) in Parser::new_ext(body, parse::markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Item) => {
                open_items.push(Some(range.start));
                container_depth += 1;
            }
            Event::End(TagEnd::Item) => {
                container_depth -= 1;
                if let Some(Some(start)) = open_items.pop() {
                    push(BlockKind::ListItem, start, range.end);
                }
            }
            Event::Start(Tag::List(_)) => {
                if let Some(open) = open_items.last_mut()
                    && let Some(start) = open.take()
                {
                    push(BlockKind::ListItem, start, range.start);
                }
            }
            Event::Start(Tag::BlockQuote(_)) => {
                if container_depth == 0 {
                    push(BlockKind::Other, range.start, range.end);
                }
                container_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => container_depth -= 1,
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::CodeBlock(_)
                | Tag::Table(_)
                | Tag::HtmlBlock
                | Tag::MetadataBlock(_),
            ) if container_depth == 0 => push(BlockKind::Other, range.start, range.end),
            _ => {}
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(body: &str) -> Vec<&str> {
        blocks(body).iter().map(|b| b.text).collect()
    }

    #[test]
    fn paragraphs_headings_code_and_tables_are_blocks() {
        let body = "# Title\nOne line\nsame paragraph\n\nNext one\n\n```\ncode\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
        assert_eq!(
            texts(body),
            [
                "# Title",
                "One line\nsame paragraph",
                "Next one",
                "```\ncode\n```",
                "| a | b |\n|---|---|\n| 1 | 2 |",
            ]
        );
    }

    #[test]
    fn each_list_item_is_a_block_without_its_nested_items_even_in_a_quote() {
        let body = "- parent\n  - child\n    more child\n- [ ] task\n\n> quote\n> - inside\n";
        let found = blocks(body);
        let kinds: Vec<_> = found.iter().map(|b| (b.kind, b.text)).collect();
        assert_eq!(
            kinds,
            [
                (BlockKind::ListItem, "- parent"),
                (BlockKind::ListItem, "- child\n    more child"),
                (BlockKind::ListItem, "- [ ] task"),
                (BlockKind::Other, "> quote\n> - inside"),
                (BlockKind::ListItem, "- inside"),
            ]
        );
    }

    #[test]
    fn an_empty_body_has_no_blocks() {
        assert!(blocks("").is_empty());
        assert!(blocks("\n\n  \n").is_empty());
    }
}
