//! Obsidian's tag rules: which characters a tag may hold and where `#` starts one.

use std::sync::LazyLock;

use regex::Regex;

/// `#` followed by the characters Obsidian allows in a tag: anything but
/// whitespace, general punctuation (U+2000–U+206F, U+2E00–U+2E7F) and ASCII
/// punctuation other than `_`, `-` and `/`.
static BODY_TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r##"#([^\u{2000}-\u{206F}\u{2E00}-\u{2E7F}'!"#$%&()*+,.:;<=>?@^`{|}~\[\]\\\s]+)"##)
        .expect("the tag pattern is valid")
});

/// A tag found in a piece of prose: byte range of `#name` and the name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundTag<'a> {
    /// Offset of `#` within the scanned text.
    pub start: usize,
    /// Offset just after the name.
    pub end: usize,
    /// The name without `#`.
    pub name: &'a str,
}

/// Inline tags in `prose`, a slice of `source` starting at `offset`.
///
/// A `#` starts a tag only at the start of a line or after whitespace (also
/// through a run of emphasis markers such as `**#x**`); `foo#bar`, `\#x` and
/// URL fragments are not tags. Names made of digits only are not tags.
pub fn find_in_prose<'a>(source: &'a str, offset: usize, prose: &'a str) -> Vec<FoundTag<'a>> {
    if memchr::memchr(b'#', prose.as_bytes()).is_none() {
        return Vec::new();
    }
    BODY_TAG
        .find_iter(prose)
        .filter_map(|found| {
            // The match is `#` (one byte) and the name.
            let name = &found.as_str()[1..];
            let starts_tag = at_tag_boundary(source, offset + found.start());
            (starts_tag && !is_all_digits(name)).then_some(FoundTag {
                start: found.start(),
                end: found.end(),
                name,
            })
        })
        .collect()
}

/// Whether a tag name written in front matter follows Obsidian's rules.
/// Returns the reason it does not.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("the tag is empty");
    }
    if name.chars().any(char::is_whitespace) {
        return Err("tags cannot contain spaces");
    }
    let hashed = format!("#{name}");
    if BODY_TAG.find(&hashed).map(|m| m.len()) != Some(hashed.len()) {
        return Err("tags may only hold letters, digits, `_`, `-` and `/`");
    }
    if is_all_digits(name) {
        return Err("a tag needs at least one non-numeric character");
    }
    Ok(())
}

/// Where a tag being typed at the end of `before` (the text up to the
/// cursor) has its `#`: `#` alone or `#` and tag characters, at a place
/// where `#` starts a tag. Digits alone count, as they may start a name.
pub fn typed_start(before: &str) -> Option<usize> {
    let hash = before.rfind('#')?;
    let typed = &before[hash..];
    let whole = typed.len() == 1 || BODY_TAG.find(typed).is_some_and(|m| m.len() == typed.len());
    (whole && at_tag_boundary(before, hash)).then_some(hash)
}

fn is_all_digits(name: &str) -> bool {
    name.chars().all(|c| c.is_ascii_digit())
}

fn at_tag_boundary(source: &str, hash: usize) -> bool {
    let before = source[..hash].trim_end_matches(['*', '_', '=', '~']);
    match before.chars().next_back() {
        None => true,
        Some(c) => c.is_whitespace(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(text: &str) -> Vec<&str> {
        find_in_prose(text, 0, text)
            .into_iter()
            .map(|t| t.name)
            .collect()
    }

    #[test]
    fn a_tag_being_typed_starts_at_its_hash() {
        assert_eq!(typed_start("see #"), Some(4));
        assert_eq!(typed_start("#pro"), Some(0));
        assert_eq!(typed_start("x **#a/b-c"), Some(4));
        assert_eq!(typed_start("#20"), Some(0));
        assert_eq!(typed_start("# Heading"), None);
        assert_eq!(typed_start("##"), None);
        assert_eq!(typed_start("a#b"), None);
        assert_eq!(typed_start("#a.b"), None);
        assert_eq!(typed_start("no hash"), None);
    }

    #[test]
    fn numbers_alone_are_not_tags() {
        // Edge case 28.
        assert_eq!(tags("#1984 #y1984 #2024/notes"), ["y1984", "2024/notes"]);
    }

    #[test]
    fn punctuation_ends_a_tag() {
        // Edge case 30.
        assert_eq!(tags("#tag. #tag, #a—b"), ["tag", "tag", "a"]);
    }

    #[test]
    fn unicode_and_emoji_are_allowed() {
        // Edge case 31.
        assert_eq!(tags("#日本語 #café #🚀idea"), ["日本語", "café", "🚀idea"]);
    }

    #[test]
    fn hash_inside_a_word_or_url_is_not_a_tag() {
        // Edge case 32 and `#tag#b`.
        assert_eq!(tags("foo#bar https://x.com/#frag #tag#b"), ["tag"]);
    }

    #[test]
    fn escaped_hash_is_not_a_tag() {
        // Edge case 34: pulldown-cmark hands over the text after the backslash.
        let source = r"\#escaped";
        assert!(find_in_prose(source, 1, &source[1..]).is_empty());
    }

    #[test]
    fn emphasis_markers_do_not_block_a_tag() {
        assert_eq!(tags("**#bold** ==#mark=="), ["bold", "mark"]);
    }

    #[test]
    fn nested_tags_keep_slashes() {
        assert_eq!(tags("see #inbox/to-read now"), ["inbox/to-read"]);
    }

    #[test]
    fn property_tag_names_are_checked() {
        assert!(check_name("project/alpha").is_ok());
        assert!(check_name("1984").is_err());
        assert!(check_name("two words").is_err());
        assert!(check_name("a,b").is_err());
        assert!(check_name("").is_err());
    }
}
