//! The inside of a wikilink: `target#heading|display`, as Obsidian splits it.

use crate::model::{Link, LinkKind, LinkOrigin, Span};

/// `Embed` for `![[…]]`, `Wiki` for `[[…]]`.
fn kind(embed: bool) -> LinkKind {
    if embed {
        LinkKind::Embed
    } else {
        LinkKind::Wiki
    }
}

/// `[[X]]` or `![[X]]` as the whole of `text` (no other text, no second link):
/// (is embed, the text between the brackets).
pub fn whole(text: &str) -> Option<(bool, &str)> {
    let (embed, rest) = match text.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let inner = rest.strip_prefix("[[")?.strip_suffix("]]")?;
    (!inner.contains("]]") && !inner.contains("[[")).then_some((embed, inner))
}

/// Whether `text` is a single whole wikilink.
pub fn is_whole_link(text: &str) -> bool {
    whole(text).is_some()
}

/// The link written as `raw` at `span` whose text between `[[` and `]]` is
/// `inner`: split at the first `|` (or table-escaped `\|`) and the first `#`.
pub fn link(inner: &str, embed: bool, raw: &str, origin: LinkOrigin, span: Span) -> Link {
    let (link_text, display) = split_display(inner);
    let (path, subpath) = match link_text.split_once('#') {
        Some((path, subpath)) => (path, Some(subpath)),
        None => (link_text, None),
    };
    let mut link = Link::new(raw, path.trim(), kind(embed), origin, span);
    if let Some(subpath) = subpath {
        link.set_subpath(subpath);
    }
    match display {
        Some(d) if embed && is_size(d) => link.size = Some(d.into()),
        Some(d) => link.display = Some(d.into()),
        None => {}
    }
    link
}

fn split_display(inner: &str) -> (&str, Option<&str>) {
    match inner.find('|') {
        // In a table cell the pipe is written `\|`; the backslash is not part of the target.
        Some(bar) => {
            let link_text = &inner[..bar];
            let link_text = link_text.strip_suffix('\\').unwrap_or(link_text);
            (link_text, Some(&inner[bar + 1..]))
        }
        None => (inner, None),
    }
}

/// `100`, `100x145`: an embed size rather than display text.
fn is_size(text: &str) -> bool {
    let mut dims = text.trim().splitn(2, 'x');
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    dims.next().is_some_and(all_digits) && dims.next().is_none_or(all_digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(inner: &str, embed: bool) -> Link {
        link(inner, embed, inner, LinkOrigin::Body, Span::default())
    }

    #[test]
    fn plain_target() {
        assert_eq!(parts("Note", false).target, "Note");
        assert_eq!(parts(" Spaced Note ", false).target, "Spaced Note");
    }

    #[test]
    fn heading_then_display_text() {
        // Edge case 46: [[Note.md#H|Alias]].
        let p = parts("Note.md#H|Alias", false);
        assert_eq!(p.target, "Note.md");
        assert_eq!(p.heading.as_deref(), Some("H"));
        assert_eq!(p.display.as_deref(), Some("Alias"));
    }

    #[test]
    fn heading_chain_is_kept_whole() {
        let p = parts("Note#Parent#Child", false);
        assert_eq!(p.heading.as_deref(), Some("Parent#Child"));
    }

    #[test]
    fn block_ids_and_same_note_links() {
        let p = parts("Note#^37066d", false);
        assert_eq!(p.block.as_deref(), Some("37066d"));
        assert_eq!(p.heading, None);
        let p = parts("#^id", false);
        assert_eq!(p.target, "");
        assert_eq!(p.block.as_deref(), Some("id"));
        let p = parts("#Some heading", false);
        assert_eq!(p.target, "");
        assert_eq!(p.heading.as_deref(), Some("Some heading"));
    }

    #[test]
    fn table_escaped_pipe_splits_display() {
        // Edge case 19.
        let p = parts(r"Note\|Alias", false);
        assert_eq!(p.target, "Note");
        assert_eq!(p.display.as_deref(), Some("Alias"));
    }

    #[test]
    fn empty_display_text() {
        // Edge case 47.
        let p = parts("Note|", false);
        assert_eq!(p.target, "Note");
        assert_eq!(p.display.as_deref(), Some(""));
    }

    #[test]
    fn embed_sizes_are_not_display_text() {
        // Edge case 18.
        let p = parts("img.png|100x200", true);
        assert_eq!(p.size.as_deref(), Some("100x200"));
        assert_eq!(p.display, None);
        assert_eq!(parts("img.png|100", true).size.as_deref(), Some("100"));
        assert_eq!(
            parts("img.png|a caption", true).display.as_deref(),
            Some("a caption")
        );
        // In a plain link, digits are display text.
        assert_eq!(parts("Note|100", false).display.as_deref(), Some("100"));
    }

    #[test]
    fn pdf_fragment_is_not_a_heading() {
        // Edge case 45.
        let p = parts("Doc.pdf#page=3", true);
        assert_eq!(p.target, "Doc.pdf");
        assert_eq!(p.fragment.as_deref(), Some("page=3"));
        assert_eq!(p.heading, None);
    }

    #[test]
    fn a_single_bracket_stays_in_the_target() {
        // Edge case 12 (the outer split is pulldown-cmark's; the inner text keeps `]`).
        assert_eq!(parts("Sq]uare", false).target, "Sq]uare");
    }
}
