//! `lint --fix`: the safe, mechanical fixes, as text edits on one note.
//!
//! - a link that finds its file only when case is ignored gets the file's name
//!   as written on disk (`[[topic]]` → `[[Topic]]`);
//! - `tags: a, b` and the removed `tag:` become one `tags:` list;
//! - `[[alias]]`, which Obsidian does not resolve, becomes `[[Real name|alias]]`
//!   when exactly one note has that alias (not in a table or a heading).
//!
//! Everything here is pure: the caller reads the note's text, checks that it is
//! the text the vault was loaded from, and writes the result. The fixes read
//! the vault through [`FixLookup`], so that they hold no vault type.

use serde_json::Value;

use crate::lint::Lookup;
use crate::model::{Link, LinkKind, Note};
use crate::parse::title_of;
use crate::vault::resolve::fold;
use crate::vault::{FileId, NoteId, Resolution};

/// What the fixes read of a vault beyond what the rules read: its notes, and
/// where a name written at the vault's root leads.
pub trait FixLookup: Lookup {
    /// Every note's id, in path order.
    fn note_ids(&self) -> Vec<NoteId>;
    /// The file that a link path written in a note at the vault's root leads to.
    fn resolve_from_root(&self, link_path: &str) -> Option<FileId>;
}

/// One edit: replace bytes `start..end` of the note's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// The rule whose finding this fixes.
    pub rule: &'static str,
    /// Byte range in the decoded text (without a byte-order mark).
    pub start: usize,
    /// End of the range.
    pub end: usize,
    /// The new text.
    pub replacement: String,
}

/// Which fixes to make (each is on when its rule is enabled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enabled {
    /// Case-mismatched link names (`case-mismatch`).
    pub case: bool,
    /// Legacy tag forms (`invalid-tag`).
    pub tags: bool,
    /// Links to an alias (`broken-link`).
    pub aliases: bool,
}

/// The fixes for note `id`, whose current text is `text`, in text order and
/// never overlapping. A fix whose target text is not where the vault saw it
/// is left out, so a caller that checked the text is unchanged loses nothing.
pub fn fixes(vault: &impl FixLookup, id: NoteId, text: &str, enabled: Enabled) -> Vec<Fix> {
    let Some(note) = vault.note(id) else {
        return Vec::new();
    };
    let mut found: Vec<Fix> = Vec::new();
    for (link, resolution) in note.links.iter().zip(vault.resolutions(id)) {
        let fix = if resolution.target.is_some() {
            enabled
                .case
                .then(|| case_fix(vault, link, resolution, text))
        } else {
            // Not in a heading: it would change the heading's text, which
            // links to that heading name.
            let in_heading = note
                .headings
                .iter()
                .any(|h| h.span.start <= link.span.start && link.span.end <= h.span.end);
            (enabled.aliases && !in_heading).then(|| alias_fix(vault, link, text))
        };
        found.extend(fix.flatten());
    }
    if enabled.tags {
        found.extend(tag_fixes(note, text));
    }
    found.sort_by_key(|f| (f.start, f.end));
    // Keep the first of any overlapping fixes.
    let mut kept: Vec<Fix> = Vec::with_capacity(found.len());
    for fix in found {
        if kept.last().is_none_or(|last| last.end <= fix.start) {
            kept.push(fix);
        }
    }
    kept
}

/// The note `id` fixed, from `text`, its current content: `Ok(None)` when
/// there is nothing to fix, `Err(Stale)` when `text` is not what the vault
/// was loaded from (the file changed since), so nothing may be touched.
pub fn fix_note(
    vault: &impl FixLookup,
    id: NoteId,
    text: &str,
    enabled: Enabled,
) -> Result<Option<(String, Vec<Fix>)>, Stale> {
    let note = vault.note(id).ok_or(Stale)?;
    if crate::parse::parse_note(&note.path, text).note != *note {
        return Err(Stale);
    }
    let fixes = fixes(vault, id, text, enabled);
    Ok((!fixes.is_empty()).then(|| (apply(text, &fixes), fixes)))
}

/// The note's text is not the one the vault was loaded from (or the vault
/// no longer holds the note).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stale;

/// Notes that may have something to fix (so only those need reading).
pub fn candidates(vault: &impl FixLookup, enabled: Enabled) -> Vec<NoteId> {
    let mut ids = vault.note_ids();
    ids.retain(|&id| {
        let Some(note) = vault.note(id) else {
            return false;
        };
        let links =
            (note.links.iter().zip(vault.resolutions(id))).any(
                |(link, resolution)| match resolution.target {
                    Some(_) => enabled.case && !resolution.exact_case,
                    None => enabled.aliases && vault.alias_owners(&link.target).len() == 1,
                },
            );
        let tags = enabled.tags
            && note.properties.iter().any(|p| {
                p.key.eq_ignore_ascii_case("tag")
                    || (p.key.eq_ignore_ascii_case("tags") && p.value.is_string())
            });
        links || tags
    });
    ids
}

/// `text` with `fixes` (sorted, not overlapping) applied.
pub fn apply(text: &str, fixes: &[Fix]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for fix in fixes {
        out.push_str(&text[at..fix.start]);
        out.push_str(&fix.replacement);
        at = fix.end;
    }
    out.push_str(&text[at..]);
    out
}

/// Where the link's target is written inside `text`: the byte range of the
/// path part, when the link is still exactly where the vault saw it.
fn target_range(link: &Link, text: &str) -> Option<(usize, usize)> {
    let (start, end) = (link.span.start as usize, link.span.end as usize);
    if text.get(start..end)? != link.raw {
        return None;
    }
    let after = match link.raw.find("[[") {
        Some(open) => open + 2,
        None if link.kind != LinkKind::Wiki => link.raw.rfind("](")? + 2,
        None => return None,
    };
    let offset = after + link.raw[after..].find(|c: char| !c.is_whitespace() && c != '<')?;
    link.raw[offset..]
        .starts_with(link.target.as_str())
        .then(|| (start + offset, start + offset + link.target.len()))
}

fn case_fix(
    vault: &impl FixLookup,
    link: &Link,
    resolution: &Resolution,
    text: &str,
) -> Option<Fix> {
    let target = resolution.target?;
    if resolution.exact_case || resolution.is_ambiguous() || link.is_self() {
        return None;
    }
    let written = link.target.as_str();
    let mut real = vault.file_path(target);
    if matches!(target, FileId::Note(_)) && !written.to_lowercase().ends_with(".md") {
        real = real.strip_suffix(".md").unwrap_or(real);
    }
    // The last as many path components as the link has, in the file's case.
    let depth = written.split('/').count();
    let cut = real
        .match_indices('/')
        .map(|(i, _)| i + 1)
        .rev()
        .nth(depth - 1)
        .unwrap_or(0);
    let real = &real[cut..];
    if real == written || fold(real) != fold(written) {
        return None;
    }
    let (start, end) = target_range(link, text)?;
    Some(Fix {
        rule: "case-mismatch",
        start,
        end,
        replacement: real.to_owned(),
    })
}

fn alias_fix(vault: &impl FixLookup, link: &Link, text: &str) -> Option<Fix> {
    let plain = link.kind != LinkKind::Markdown
        && !link.is_embed()
        && link.heading.is_none()
        && link.block.is_none()
        && link.display.is_none();
    let [owner_path] = vault.alias_owners(&link.target)[..] else {
        return None;
    };
    let (start, end) = (link.span.start as usize, link.span.end as usize);
    if !plain || text.get(start..end)? != link.raw || !link.raw.starts_with("[[") {
        return None;
    }
    // In a table a `|` would end the cell.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if text[line_start..start].trim_start().starts_with('|') {
        return None;
    }
    // The title alone when it leads to the owner, else its path.
    let title = title_of(owner_path);
    let by_title = vault.resolve_from_root(title.trim());
    let name = match by_title.map(|file| vault.file_path(file)) {
        Some(found) if found == owner_path => title,
        _ => owner_path.strip_suffix(".md").unwrap_or(owner_path),
    };
    Some(Fix {
        rule: "broken-link",
        start,
        end,
        replacement: format!("[[{name}|{}]]", link.target),
    })
}

/// The legacy tag forms as one `tags:` list. `tags: a, b` becomes a list;
/// the removed `tag:` key, whose value Obsidian no longer reads as tags,
/// becomes `tags:` or, beside a `tags:` key, adds its names to that list and
/// goes. The list takes the place of the first of the two keys. Nothing is
/// fixed when a value holds anything but text (a number or a map is left for
/// a person), or a key is not where the vault saw it.
fn tag_fixes(note: &Note, text: &str) -> Vec<Fix> {
    let find = |key: &str| {
        note.properties
            .iter()
            .find(|p| p.key.eq_ignore_ascii_case(key))
    };
    let (tags, tag) = (find("tags"), find("tag"));
    if tag.is_none() && !tags.is_some_and(|p| p.value.is_string()) {
        return Vec::new();
    }
    let mut names: Vec<String> = Vec::new();
    let mut entries = Vec::new();
    for property in [tags, tag].into_iter().flatten() {
        let Some(more) = tag_names(&property.value) else {
            return Vec::new();
        };
        // The names `tag:` adds, once each (tags ignore case).
        let known = names.len();
        for name in more {
            if !names[..known].iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                names.push(name);
            }
        }
        let start = property.span.start as usize;
        let Some(rest) = text.get(start..) else {
            return Vec::new();
        };
        if !rest.starts_with(property.key.as_str())
            || !rest[property.key.len()..].trim_start().starts_with(':')
        {
            return Vec::new();
        }
        entries.push((start, block_end(text, start)));
    }
    entries.sort_unstable();
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut list = "tags:".to_owned();
    for name in &names {
        list.push_str(newline);
        list.push_str("  - ");
        list.push_str(&yaml_scalar(name));
    }
    let mut fixes = Vec::with_capacity(entries.len());
    for (n, (start, end)) in entries.into_iter().enumerate() {
        let (end, replacement) = if n == 0 {
            (end, std::mem::take(&mut list))
        } else {
            // The other key goes, with its line break.
            let line_break = text[end..]
                .strip_prefix('\r')
                .unwrap_or(&text[end..])
                .starts_with('\n');
            let end = if line_break {
                end + text[end..].find('\n').map_or(0, |i| i + 1)
            } else {
                end
            };
            (end, String::new())
        };
        fixes.push(Fix {
            rule: "invalid-tag",
            start,
            end,
            replacement,
        });
    }
    fixes
}

/// The tag names in a `tags` or `tag` value; `None` when it holds anything
/// but text.
fn tag_names(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::String(raw) => Some(split_tags(raw)),
        Value::Array(items) => {
            let mut names = Vec::with_capacity(items.len());
            for item in items {
                let name = item.as_str()?.trim().trim_start_matches('#');
                if !name.is_empty() {
                    names.push(name.to_owned());
                }
            }
            Some(names)
        }
        Value::Null => Some(Vec::new()),
        _ => None,
    }
}

/// Tags in a text value, split as the parser reads them, without `#`.
fn split_tags(raw: &str) -> Vec<String> {
    raw.split([',', ' ', '\t'])
        .map(|t| t.trim().trim_start_matches('#'))
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The end of the YAML property whose key starts at `start`: its line, and the
/// indented or `- ` lines under it (without the final line break).
fn block_end(text: &str, start: usize) -> usize {
    let line_end = |from: usize| text[from..].find('\n').map_or(text.len(), |i| from + i);
    let mut end = line_end(start);
    while end < text.len() {
        let next = end + 1;
        let line = text[next..line_end(next)].trim_end_matches('\r');
        let continues = !line.trim().is_empty()
            && line != "---"
            && (line.starts_with([' ', '\t']) || line.starts_with("- ") || line == "-");
        if !continues {
            break;
        }
        end = line_end(next);
    }
    if text[..end].ends_with('\r') {
        end -= 1;
    }
    end
}

/// A tag as a YAML list item: plain when it can be, else double-quoted.
fn yaml_scalar(name: &str) -> String {
    let plain = !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '/'));
    if plain {
        name.to_owned()
    } else {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::vault::live::LiveVault;

    const ALL: Enabled = Enabled {
        case: true,
        tags: true,
        aliases: true,
    };

    /// A live vault of these notes (and attachments).
    fn live<'a>(
        notes: impl IntoIterator<Item = (&'a str, &'a str)>,
        attachments: &[&str],
    ) -> LiveVault {
        let attachments = attachments.iter().copied().map(str::to_owned);
        LiveVault::from_sources(notes, attachments)
    }

    fn fixed(notes: &[(&str, &str)], path: &str) -> String {
        let vault = live(notes.iter().copied(), &["img/Pic.png"]);
        let id = vault.note_id(path).expect("note");
        let text = notes.iter().find(|(p, _)| *p == path).expect("text").1;
        apply(text, &fixes(&vault, id, text, ALL))
    }

    #[test]
    fn case_mismatched_links_get_the_real_name() {
        let notes = [
            (
                "a.md",
                "[[topic]] [[notes/TOPIC#Head|x]] ![[pic.PNG]] [t](TOPIC.md) [[Topic]]",
            ),
            ("Notes/Topic.md", "# Head\n"),
        ];
        assert_eq!(
            fixed(&notes, "a.md"),
            "[[Topic]] [[Notes/Topic#Head|x]] ![[Pic.png]] [t](Topic.md) [[Topic]]"
        );
    }

    #[test]
    fn alias_links_name_the_one_note_that_has_the_alias() {
        let notes = [
            (
                "a.md",
                "[[AI]] [[AI|shown]] [[Both]]\n| [[AI]] | cell |\n# About [[AI]]\n",
            ),
            (
                "Artificial Intelligence.md",
                "---\naliases: [AI, Both]\n---\n",
            ),
            ("Other.md", "---\naliases: [Both]\n---\n"),
        ];
        assert_eq!(
            fixed(&notes, "a.md"),
            "[[Artificial Intelligence|AI]] [[AI|shown]] [[Both]]\n| [[AI]] | cell |\n# About [[AI]]\n"
        );
    }

    #[test]
    fn legacy_tag_forms_become_a_list_keeping_line_endings() {
        let text = "---\r\ntags: a, b c\r\ntitle: x\r\n---\r\nbody\r\n";
        assert_eq!(
            fixed(&[("n.md", text)], "n.md"),
            "---\r\ntags:\r\n  - a\r\n  - b\r\n  - c\r\ntitle: x\r\n---\r\nbody\r\n"
        );
        let text = "---\ntag:\n  - one\n  - \"two words\"\nx: 1\n---\n";
        assert_eq!(
            fixed(&[("n.md", text)], "n.md"),
            "---\ntags:\n  - one\n  - \"two words\"\nx: 1\n---\n"
        );
        // `tag:` beside `tags:` joins its list, once per name, and goes.
        let text = "---\ntags: [a, B]\ntag: b c\n---\n";
        assert_eq!(
            fixed(&[("n.md", text)], "n.md"),
            "---\ntags:\n  - a\n  - B\n  - c\n---\n"
        );
        let text = "---\r\ntag:\r\n  - z\r\ntitle: t\r\ntags: x, y\r\n---\r\n";
        assert_eq!(
            fixed(&[("n.md", text)], "n.md"),
            "---\r\ntags:\r\n  - x\r\n  - y\r\n  - z\r\ntitle: t\r\n---\r\n"
        );
        // A value that is not text is left for a person.
        let text = "---\ntags: [a]\ntag: [2024]\n---\n";
        assert_eq!(fixed(&[("n.md", text)], "n.md"), text);
    }

    #[test]
    fn fixing_twice_changes_nothing_more() {
        let notes = [
            ("a.md", "---\ntag: x\n---\n[[topic]] [[AI]]\n"),
            ("Topic.md", "---\naliases: [AI]\n---\n"),
        ];
        let once = fixed(&notes, "a.md");
        let again = [("a.md", once.as_str()), notes[1]];
        assert_eq!(fixed(&again, "a.md"), once);
    }

    #[test]
    fn a_note_whose_text_changed_is_stale() {
        let notes = [("a.md", "[[topic]]"), ("Topic.md", "")];
        let vault = live(notes, &[]);
        let id = vault.note_id("a.md").expect("note");
        assert_eq!(fix_note(&vault, id, "[[topic]] more", ALL), Err(Stale));
        let (text, fixes) = fix_note(&vault, id, "[[topic]]", ALL)
            .expect("current")
            .expect("a fix");
        assert_eq!((text.as_str(), fixes.len()), ("[[Topic]]", 1));
        assert_eq!(candidates(&vault, ALL), [id]);
        let none = Enabled { case: false, ..ALL };
        assert!(candidates(&vault, none).is_empty());
    }

    #[test]
    fn text_that_moved_is_not_touched() {
        let notes = [("a.md", "[[topic]]"), ("Topic.md", "")];
        let vault = live(notes, &[]);
        let id = vault.note_id("a.md").expect("note");
        assert!(fixes(&vault, id, "x[[topic]]", ALL).is_empty());
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        /// Pieces of a note body: fixable links (case, alias) and unfixable
        /// ones, a table cell, headings, tags and prose.
        const PIECES: &[&str] = &[
            "[[topic]]",
            "[[TOPIC|shown]]",
            "[[notes/deep#Part]]",
            "![[topic]]",
            "[t](TOPIC.md)",
            "[[AI]]",
            "[[Both]]",
            "[[Topic]]",
            "[[nowhere]]",
            "| [[AI]] | cell |",
            "# Heading",
            "#tag/x",
            "some prose",
            "`[[topic]]`",
        ];

        /// Front matter with or without a legacy tag form.
        const FRONT: &[&str] = &[
            "",
            "---\ntags: a, b c\n---\n",
            "---\ntag: x\ntitle: t\n---\n",
            "---\ntags: [a]\ntag: b\n---\n",
            "---\ntag: z\ntags: x, y\n---\n",
            "---\ntag:\n  - one\n  - \"two words\"\n---\n",
        ];

        fn note() -> impl Strategy<Value = String> {
            (
                prop::sample::select(FRONT),
                prop::collection::vec(
                    (
                        prop::sample::select(PIECES),
                        prop::sample::select(vec![" ", "\n"]),
                    ),
                    0..14,
                ),
                any::<bool>(),
            )
                .prop_map(|(front, pieces, crlf)| {
                    let mut text = front.to_owned();
                    for (piece, gap) in pieces {
                        text.push_str(piece);
                        text.push_str(gap);
                    }
                    if crlf {
                        text.replace('\n', "\r\n")
                    } else {
                        text
                    }
                })
        }

        fn notes_with(text: &str) -> [(&str, &str); 4] {
            [
                ("a.md", text),
                ("Topic.md", "# Topic\n"),
                ("Notes/Deep.md", "---\naliases: [AI, Both]\n---\n# Part\n"),
                ("Other.md", "---\naliases: [Both]\n---\n"),
            ]
        }

        fn vault_with(text: &str) -> LiveVault {
            live(notes_with(text), &[])
        }

        /// What a fix may not change about a link: where it points, case aside.
        fn link_key(
            vault: &LiveVault,
            id: NoteId,
        ) -> Vec<(Option<String>, Option<String>, LinkKind)> {
            vault
                .links_of(id)
                .map(|(link, resolution)| {
                    let target = resolution
                        .target
                        .and_then(|t| vault.file_path(t))
                        .map(str::to_owned);
                    (target, link.heading.as_deref().map(fold), link.kind)
                })
                .collect()
        }

        proptest! {
            #[test]
            fn a_second_fix_finds_nothing_and_only_fixed_items_change(text in note()) {
                let vault = vault_with(&text);
                let id = vault.note_id("a.md").expect("note");
                let made = fixes(&vault, id, &text, ALL);
                let once = apply(&text, &made);

                let again = vault_with(&once);
                let id_again = again.note_id("a.md").expect("note");
                prop_assert_eq!(fixes(&again, id_again, &once, ALL), Vec::<Fix>::new());

                let before = vault.note(id).expect("note");
                let after = again.note(id_again).expect("note");
                // Headings stay (a link in one may change case, which anchors ignore).
                let headings = |note: &Note| -> Vec<String> {
                    note.headings.iter().map(|h| fold(&h.text)).collect()
                };
                prop_assert_eq!(headings(before), headings(after));
                prop_assert_eq!(before.word_count, after.word_count);
                prop_assert_eq!(before.external.len(), after.external.len());
                let tags = |note: &Note| {
                    let mut names: Vec<String> =
                        note.tags.iter().map(|t| t.name.as_str().to_lowercase()).collect();
                    names.sort();
                    names
                };
                // A tag fix turns a legacy form into a list: every tag stays, and
                // the removed `tag:` form's names become tags.
                if made.iter().any(|f| f.rule == "invalid-tag") {
                    let after = tags(after);
                    for tag in tags(before) {
                        prop_assert!(after.contains(&tag), "{} lost", tag);
                    }
                } else {
                    // Positions move with the fixes; names and values do not.
                    prop_assert_eq!(tags(before), tags(after));
                    let properties = |note: &Note| -> Vec<(compact_str::CompactString, Value)> {
                        note.properties.iter().map(|p| (p.key.clone(), p.value.clone())).collect()
                    };
                    prop_assert_eq!(properties(before), properties(after));
                }
                // Links point where they pointed; a link to an alias now resolves
                // to its owner, with the alias kept as what it shows.
                let (old, new) = (link_key(&vault, id), link_key(&again, id_again));
                prop_assert_eq!(old.len(), new.len());
                let aliased: Vec<_> = vault
                    .links_of(id)
                    .map(|(link, _)| {
                        made.iter().any(|f| {
                            f.rule == "broken-link"
                                && f.start == link.span.start as usize
                        })
                    })
                    .collect();
                for ((old, new), aliased) in old.iter().zip(&new).zip(aliased) {
                    if aliased {
                        prop_assert_eq!(old.0.as_deref(), None);
                        prop_assert_eq!(new.0.as_deref(), Some("Notes/Deep.md"));
                    } else {
                        prop_assert_eq!(old, new);
                    }
                }
            }
        }
    }
}
