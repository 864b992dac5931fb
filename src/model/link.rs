//! A link as written in a note, before any resolution.

use compact_str::CompactString;
use serde::Serialize;

use super::Span;

/// The syntax a link was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// `[[Target]]`.
    Wiki,
    /// `[text](Target.md)`.
    Markdown,
    /// `![[Target]]` or `![alt](target.png)`.
    Embed,
}

impl LinkKind {
    /// The lowercase name used in JSON and human output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Wiki => "wiki",
            Self::Markdown => "markdown",
            Self::Embed => "embed",
        }
    }
}

/// Where in the note a link was found.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LinkOrigin {
    /// The Markdown body.
    Body,
    /// A front-matter property, by key (`related: "[[X]]"`).
    Property(CompactString),
}

impl std::fmt::Display for LinkOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Body => f.write_str("body"),
            Self::Property(key) => write!(f, "property:{key}"),
        }
    }
}

impl Serialize for LinkOrigin {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// An internal link as written: what it points at, not yet resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The link exactly as written, e.g. `[[Note#Heading|shown]]`.
    pub raw: String,
    /// The path part (`Note`, `folder/Note.md`); empty for a same-note link.
    pub target: CompactString,
    /// The heading chain after `#` (`H1#H2`), if any.
    pub heading: Option<CompactString>,
    /// The block id after `#^`, if any.
    pub block: Option<CompactString>,
    /// A fragment of a non-note target, such as a PDF's `page=3`.
    pub fragment: Option<CompactString>,
    /// The display text after `|` (for embeds: unless it is a size).
    pub display: Option<CompactString>,
    /// An embed's size after `|`, e.g. `100x200` or `100`.
    pub size: Option<CompactString>,
    /// The syntax used.
    pub kind: LinkKind,
    /// Body or front-matter property.
    pub origin: LinkOrigin,
    /// Position of the whole link in the note.
    pub span: Span,
}

impl Link {
    /// A link written as `raw` at `span` to `target`, with no heading,
    /// block, fragment, display text or size yet.
    pub fn new(
        raw: &str,
        target: impl Into<CompactString>,
        kind: LinkKind,
        origin: LinkOrigin,
        span: Span,
    ) -> Self {
        Self {
            raw: raw.to_owned(),
            target: target.into(),
            heading: None,
            block: None,
            fragment: None,
            display: None,
            size: None,
            kind,
            origin,
            span,
        }
    }

    /// Files a `#` subpath as Obsidian does: a block id after `^`, a
    /// fragment of a viewer format (`Doc.pdf#page=3`), or else a heading chain.
    pub fn set_subpath(&mut self, subpath: &str) {
        let subpath = subpath.trim();
        if let Some(block) = subpath.strip_prefix('^') {
            self.block = Some(block.trim().into());
        } else if has_fragment_format(&self.target) {
            self.fragment = Some(subpath.into());
        } else {
            self.heading = Some(subpath.into());
        }
    }

    /// Whether the link points into its own note (`[[#Heading]]`, `[[#^id]]`).
    pub fn is_self(&self) -> bool {
        self.target.is_empty()
    }

    /// Whether this link embeds its target.
    pub fn is_embed(&self) -> bool {
        self.kind == LinkKind::Embed
    }
}

/// File extensions whose `#fragment` is a viewer option (`#page=3`), not a heading.
const FRAGMENT_FORMATS: &[&str] = &["pdf"];

fn has_fragment_format(target: &str) -> bool {
    target.rsplit_once('.').is_some_and(|(_, ext)| {
        FRAGMENT_FORMATS
            .iter()
            .any(|format| ext.eq_ignore_ascii_case(format))
    })
}
