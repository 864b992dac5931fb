//! A parsed note: its metadata, structure and outgoing links.

use compact_str::CompactString;
use serde::Serialize;

use super::{Link, Span};

/// One front-matter property, in the order it appears in the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    /// The key as written.
    pub key: CompactString,
    /// The value, as JSON-like data (YAML dates stay strings).
    pub value: serde_json::Value,
    /// Position of the key.
    #[serde(skip)]
    pub span: Span,
}

/// Where a tag came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TagSource {
    /// The `tags` front-matter property.
    Property,
    /// An inline `#tag` in the body.
    Body,
}

/// A tag, written without `#`; nested tags keep their `/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// The tag as written, without `#` (`inbox/to-read`).
    pub name: CompactString,
    /// Front matter or body.
    pub source: TagSource,
    /// Position of the tag (for a property tag, of its list item).
    pub span: Span,
}

/// An ATX or setext heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The heading text as written, without the `#` markers.
    pub text: CompactString,
    /// Position of the whole heading line.
    pub span: Span,
    /// Whether any content (text, list, code...) follows before the next heading.
    pub has_content: bool,
}

/// A block identifier (`^id`) that links can target with `#^id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockId {
    /// The id without `^`.
    pub id: CompactString,
    /// Position of `^id`.
    pub span: Span,
}

/// A link to something outside the vault (`https:`, `mailto:`, `obsidian:`...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalLink {
    /// The destination URL as written.
    pub url: String,
    /// Position of the link.
    #[serde(flatten)]
    pub span: Span,
}

/// Everything vaultkit knows about one Markdown note, parsed without looking at
/// any other file. The note's text itself is not kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Note {
    /// Vault-relative path with `/` separators, NFC-normalised (`Topics/Git.md`).
    pub path: String,
    /// The file name without `.md`: what `[[links]]` name.
    pub title: String,
    /// Front-matter properties in file order.
    pub properties: Vec<Property>,
    /// Names from the `aliases` property.
    pub aliases: Vec<String>,
    /// Tags from front matter and body, in file order.
    pub tags: Vec<Tag>,
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Block ids in document order.
    pub blocks: Vec<BlockId>,
    /// Internal links: front matter first, then the body, in file order.
    pub links: Vec<Link>,
    /// External links in file order.
    pub external: Vec<ExternalLink>,
    /// Words of prose in the body (code, comments and markup excluded).
    pub word_count: usize,
    /// Whether the body holds anything besides whitespace.
    pub has_body: bool,
    /// Whether the body holds a ```` ```base ```` code block, which lint
    /// reads from the note's text.
    pub has_base_block: bool,
    /// Whether the text holds a character outside the Basic Multilingual
    /// Plane (most emoji): only then does an editor's UTF-16 column differ
    /// from a [`Span`]'s character column.
    pub has_astral: bool,
}

impl Note {
    /// The value of a property by key (exact key match).
    pub fn property(&self, key: &str) -> Option<&serde_json::Value> {
        self.properties
            .iter()
            .find(|p| p.key == key)
            .map(|p| &p.value)
    }

    /// Releases spare capacity: a vault keeps many notes in memory at once.
    pub fn shrink_to_fit(&mut self) {
        self.properties.shrink_to_fit();
        self.aliases.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.headings.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.links.shrink_to_fit();
        self.external.shrink_to_fit();
    }

    /// Distinct tag names, lowercased for comparison, first spelling kept.
    pub fn tag_names(&self) -> Vec<&str> {
        tag_names(&self.tags)
    }
}

/// Distinct names of `tags`, lowercased for comparison, first spelling kept.
pub fn tag_names(tags: &[Tag]) -> Vec<&str> {
    // A note has a handful of tags: comparing each with the names kept so
    // far costs less than hashing a lowercased copy of every one.
    if tags.len() > FEW_TAGS {
        let mut seen = std::collections::HashSet::new();
        return tags
            .iter()
            .filter(|t| seen.insert(t.name.to_lowercase()))
            .map(|t| t.name.as_str())
            .collect();
    }
    let mut kept: Vec<(&str, bool)> = Vec::with_capacity(tags.len());
    for tag in tags {
        let name = (tag.name.as_str(), tag.name.is_ascii());
        if !kept.iter().any(|&seen| same_tag(seen, name)) {
            kept.push(name);
        }
    }
    kept.into_iter().map(|(name, _)| name).collect()
}

/// Up to how many tags [`tag_names`] compares them pairwise.
const FEW_TAGS: usize = 32;

/// Whether two tag names, each with whether it is ASCII, are the same tag:
/// equal once lowercased.
fn same_tag((a, a_ascii): (&str, bool), (b, b_ascii): (&str, bool)) -> bool {
    if a_ascii && b_ascii {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}
