//! Report values for `show`, `links`, `backlinks` and `tags`: plain data with a
//! stable JSON shape, built from a vault and rendered elsewhere.

use std::collections::{BTreeMap, BTreeSet};

use compact_str::CompactString;
use serde::Serialize;

use crate::model::{Link, LinkKind, LinkOrigin};
use crate::vault::resolve::{AnchorMatch, fold};
use crate::vault::{FileId, NoteId, Resolution, Vault};

/// Everything about one note (`vaultkit show`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoteReport {
    /// Vault path.
    pub path: String,
    /// File name without `.md`.
    pub title: String,
    /// The `aliases` property.
    pub aliases: Vec<String>,
    /// Distinct tags from front matter and body, without `#`.
    pub tags: Vec<String>,
    /// Front-matter properties in file order.
    pub properties: Properties,
    /// Headings in order.
    pub headings: Vec<HeadingReport>,
    /// Internal links in file order.
    pub links: Vec<LinkReport>,
    /// External URLs in file order.
    pub external: Vec<ExternalReport>,
    /// Links to this note from anywhere in the vault.
    pub backlinks: Vec<BacklinkReport>,
}

/// Properties as `(key, value)` pairs, written as a JSON object in file order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Properties(pub Vec<(CompactString, serde_json::Value)>);

impl Serialize for Properties {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

/// A heading in a [`NoteReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeadingReport {
    /// 1 to 6.
    pub level: u8,
    /// Text as written.
    pub text: CompactString,
    /// 1-based line.
    pub line: u32,
}

/// An outgoing link and where it leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkReport {
    /// As written.
    pub raw: String,
    /// Path part; empty for a same-note link.
    pub target: CompactString,
    /// Heading chain, if any.
    pub heading: Option<CompactString>,
    /// Block id, if any.
    pub block: Option<CompactString>,
    /// Display text, if any.
    pub display: Option<CompactString>,
    /// `wiki`, `markdown` or `embed`.
    pub kind: LinkKind,
    /// `body` or `property:<key>`.
    pub origin: LinkOrigin,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// Vault path of the file it resolves to, or `null`.
    pub resolved: Option<String>,
    /// `found` or `missing` when the link names a heading or block of a note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anchor: Option<&'static str>,
    /// When several files tied, all of them (the chosen one first).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// For an unresolved link whose target is another note's alias: that note.
    /// Obsidian does not resolve aliases; `[[Note|alias]]` is the link to write.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alias_of: Option<String>,
}

/// An external link in a [`NoteReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternalReport {
    /// The URL.
    pub url: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

/// A link pointing at a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BacklinkReport {
    /// The linking note.
    pub path: String,
    /// 1-based line of the link there.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    /// The link as written.
    pub raw: String,
    /// `wiki`, `markdown` or `embed`.
    pub kind: LinkKind,
    /// `body` or `property:<key>`.
    pub origin: LinkOrigin,
}

/// Builds the full report of one note.
pub fn note_report(vault: &Vault, id: NoteId) -> NoteReport {
    let note = vault.note(id);
    NoteReport {
        path: note.path.clone(),
        title: note.title.clone(),
        aliases: note.aliases.clone(),
        tags: note.tag_names().into_iter().map(str::to_owned).collect(),
        properties: Properties(
            note.properties
                .iter()
                .map(|p| (p.key.clone(), p.value.clone()))
                .collect(),
        ),
        headings: note
            .headings
            .iter()
            .map(|h| HeadingReport {
                level: h.level,
                text: h.text.clone(),
                line: h.span.line,
            })
            .collect(),
        links: link_reports(vault, id),
        external: note
            .external
            .iter()
            .map(|e| ExternalReport {
                url: e.url.clone(),
                line: e.span.line,
                column: e.span.column,
            })
            .collect(),
        backlinks: backlink_reports(vault, id),
    }
}

/// A note's outgoing links with their resolution, in file order.
pub fn link_reports(vault: &Vault, id: NoteId) -> Vec<LinkReport> {
    vault
        .links_of(id)
        .map(|(link, resolution)| link_report(vault, link, resolution))
        .collect()
}

fn link_report(vault: &Vault, link: &Link, resolution: &Resolution) -> LinkReport {
    LinkReport {
        raw: link.raw.clone(),
        target: link.target.clone(),
        heading: link.heading.clone(),
        block: link.block.clone(),
        display: link.display.clone(),
        kind: link.kind,
        origin: link.origin.clone(),
        line: link.span.line,
        column: link.span.column,
        resolved: resolution.target.map(|t| vault.file_path(t).to_owned()),
        anchor: resolution.anchor.map(|a| match a {
            AnchorMatch::Found { .. } => "found",
            AnchorMatch::Missing => "missing",
        }),
        alias_of: match (resolution.target, vault.notes_with_alias(&link.target)) {
            (None, [id, ..]) => Some(vault.note(*id).path.clone()),
            _ => None,
        },
        candidates: if resolution.is_ambiguous() {
            resolution
                .candidates
                .iter()
                .map(|&c| vault.file_path(c).to_owned())
                .collect()
        } else {
            Vec::new()
        },
    }
}

/// Links to a note, sorted by linking note and position.
pub fn backlink_reports(vault: &Vault, id: NoteId) -> Vec<BacklinkReport> {
    (vault.backlinks(FileId::Note(id)).into_iter())
        .map(|(source, link)| BacklinkReport {
            path: vault.file_path(FileId::Note(source)).to_owned(),
            line: link.span.line,
            column: link.span.column,
            raw: link.raw.clone(),
            kind: link.kind,
            origin: link.origin.clone(),
        })
        .collect()
}

/// A tag with the number of notes carrying it or any tag nested under it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TagNode {
    /// Full name without `#` (`area/sub`), first spelling seen.
    pub name: String,
    /// Notes with this tag or a nested one.
    pub count: usize,
    /// Tags nested one level below.
    pub children: Vec<TagNode>,
}

/// How siblings in the tag tree are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TagOrder {
    /// Alphabetically (case-insensitive).
    #[default]
    Name,
    /// Most notes first, then by name.
    Count,
}

/// All tags as a tree of nested tags (`a` holds `a/b`), counted per note.
/// Tags compare case-insensitively; the first spelling in path order is shown.
pub fn tag_tree(vault: &Vault, order: TagOrder) -> Vec<TagNode> {
    // Folded full name -> (shown name, notes).
    let mut counts: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for note in vault.notes() {
        let mut prefixes = BTreeSet::new();
        for name in note.tag_names() {
            let name = name.trim_matches('/');
            for (i, _) in name
                .match_indices('/')
                .chain(std::iter::once((name.len(), "")))
            {
                prefixes.insert(name[..i].to_owned());
            }
        }
        for prefix in prefixes {
            let entry = counts
                .entry(fold(&prefix))
                .or_insert_with(|| (prefix.clone(), 0));
            entry.1 += 1;
        }
    }
    build_level(&counts, None, order)
}

fn build_level(
    counts: &BTreeMap<String, (String, usize)>,
    parent: Option<&str>,
    order: TagOrder,
) -> Vec<TagNode> {
    let mut level: Vec<TagNode> = counts
        .iter()
        .filter(|(key, _)| match parent {
            None => !key.contains('/'),
            Some(parent) => key
                .strip_prefix(parent)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| !rest.contains('/')),
        })
        .map(|(key, (name, count))| TagNode {
            name: name.clone(),
            count: *count,
            children: build_level(counts, Some(key), order),
        })
        .collect();
    if order == TagOrder::Count {
        level.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| fold(&a.name).cmp(&fold(&b.name)))
        });
    }
    level
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_tags_count_notes_at_every_level() {
        let vault = Vault::from_sources(
            [
                ("a.md", "#area/web #Area/web again"),
                ("b.md", "---\ntags: [area/mobile/ios]\n---\n#solo"),
                ("c.md", "#area"),
            ],
            Vec::<String>::new(),
        );
        let tree = tag_tree(&vault, TagOrder::Name);
        assert_eq!(tree.len(), 2);
        assert_eq!((tree[0].name.as_str(), tree[0].count), ("area", 3));
        let children: Vec<_> = tree[0]
            .children
            .iter()
            .map(|c| (c.name.as_str(), c.count))
            .collect();
        assert_eq!(children, [("area/mobile", 1), ("area/web", 1)]);
        assert_eq!(tree[0].children[0].children[0].name, "area/mobile/ios");
        assert_eq!((tree[1].name.as_str(), tree[1].count), ("solo", 1));
    }

    #[test]
    fn link_reports_name_the_resolved_file() {
        let vault = Vault::from_sources(
            [
                ("a.md", "[[b#Missing]] [[nowhere]]"),
                ("dir/b.md", "# Here"),
            ],
            Vec::<String>::new(),
        );
        let id = vault.note_by_path("a.md").expect("a");
        let reports = link_reports(&vault, id);
        assert_eq!(reports[0].resolved.as_deref(), Some("dir/b.md"));
        assert_eq!(reports[0].anchor, Some("missing"));
        assert_eq!(reports[1].resolved, None);
        assert_eq!(reports[1].alias_of, None);
    }

    #[test]
    fn a_link_to_an_alias_is_unresolved_with_a_hint() {
        let vault = Vault::from_sources(
            [
                ("a.md", "[[AI]]"),
                ("Artificial Intelligence.md", "---\naliases: [AI]\n---\n"),
            ],
            Vec::<String>::new(),
        );
        let id = vault.note_by_path("a.md").expect("a");
        let report = &link_reports(&vault, id)[0];
        assert_eq!(report.resolved, None);
        assert_eq!(
            report.alias_of.as_deref(),
            Some("Artificial Intelligence.md")
        );
    }
}
