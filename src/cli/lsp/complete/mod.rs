//! Completion of what is being typed, one function per context (see
//! [`context`]): files in wikilinks and embeds by the link text Obsidian
//! would write, aliases as `Target|alias`, a linked note's headings and
//! block ids, tags, front-matter keys and enum values from the schema, and
//! Markdown link destinations.

mod context;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionResponse, CompletionTextEdit, Range, TextEdit,
};
use vaultkit::config::FieldType;
use vaultkit::model::{LineIndex, LinkOrigin, Note, Span};
use vaultkit::vault::{FileId, NoteId};

use self::context::{Context, Kind};
use super::workspace::Workspace;
use super::{convert, fuzzy, names};

/// The most items one answer holds; past it the list is marked incomplete
/// so the editor asks again as more is typed.
const MOST_ITEMS: usize = 200;

/// What an item inserts in place of the typed text.
type Insert<'a> = &'a dyn Fn(String) -> CompletionTextEdit;

/// The completions at `position` of the note `id`: `None` where nothing is
/// completed.
pub fn complete(
    workspace: &Workspace,
    id: NoteId,
    position: lsp_types::Position,
) -> Option<CompletionResponse> {
    let text = workspace.text(id)?;
    let lines = LineIndex::new(&text);
    let cursor = convert::offset(&lines, position)?;
    let Context { from, typed, kind } = context::detect(&text, cursor)?;
    let range = Range {
        start: convert::position(&lines, from),
        end: position,
    };
    let replace = |new_text: String| CompletionTextEdit::Edit(TextEdit { range, new_text });
    let in_link = |closed: bool| {
        move |insert: String| {
            replace(if closed {
                insert
            } else {
                format!("{insert}]]")
            })
        }
    };
    let mut items = match kind {
        Kind::Link { closed } => files(workspace, typed, &in_link(closed)),
        Kind::Heading { note, closed } => anchors(
            workspace,
            id,
            note,
            typed,
            Anchor::Heading,
            &in_link(closed),
        ),
        Kind::Block { note, closed } => {
            anchors(workspace, id, note, typed, Anchor::Block, &in_link(closed))
        }
        Kind::Tag => tags(workspace, (id, from - 1), typed, &replace),
        Kind::PropertyKey => property_keys(workspace, &text, typed, &replace),
        Kind::PropertyValue { key } => property_values(workspace, &text, key, typed, &replace),
        Kind::Destination => destinations(workspace, typed, &replace),
    };
    let incomplete = items.len() > MOST_ITEMS;
    items.truncate(MOST_ITEMS);
    Some(CompletionResponse::List(lsp_types::CompletionList {
        is_incomplete: incomplete,
        items,
    }))
}

/// Every file (and alias) whose link text matches `typed`, in path order:
/// the file name, or the path when another file has that name, with `.md`
/// left out for notes and the extension kept for attachments (see
/// [`LinkText`](super::names::LinkText)). It stops one past
/// [`MOST_ITEMS`], which is enough to tell the list is incomplete.
fn files(workspace: &Workspace, typed: &str, insert: Insert<'_>) -> Vec<CompletionItem> {
    let live = workspace.live();
    let note_names = workspace.note_names();
    let pattern = fuzzy::Pattern::new(typed);
    let mut items = Vec::new();
    for link in workspace.link_texts() {
        if items.len() > MOST_ITEMS {
            break;
        }
        let path = || live.file_path(link.file);
        if pattern.rank_name(&link.name).is_some()
            && let Some(path) = path()
        {
            let edit = insert(link.text.clone());
            items.push(item(&link.text, path, CompletionItemKind::FILE, edit));
        }
        let FileId::Note(id) = link.file else {
            continue;
        };
        let folded = note_names.get(&id).map_or(&[][..], |names| &names.aliases);
        let matching = (folded.iter().enumerate())
            .filter(|(_, alias)| pattern.rank_name(alias).is_some())
            .filter_map(|(i, _)| live.note(id)?.aliases.get(i));
        for alias in matching {
            let Some(path) = path() else { break };
            let detail = format!("alias of {path}");
            let edit = insert(format!("{}|{alias}", link.text));
            items.push(item(alias, &detail, CompletionItemKind::REFERENCE, edit));
        }
    }
    items
}

/// The note a link to `name` written in the note `source` leads to.
fn linked_note<'w>(workspace: &'w Workspace, source: NoteId, name: &str) -> Option<&'w Note> {
    let live = workspace.live();
    let raw = format!("[[{name}]]");
    let link =
        vaultkit::parse::wikilink::link(name, false, &raw, LinkOrigin::Body, Span::default());
    match live.resolve(source, &link).target? {
        FileId::Note(target) => live.note(target),
        FileId::Attachment(_) => None,
    }
}

/// What can follow `#` in a link: a heading, or (after `#^`) a block id.
#[derive(Clone, Copy)]
enum Anchor {
    Heading,
    Block,
}

/// The headings or block ids matching `typed` of the note `[[name` leads to.
fn anchors(
    workspace: &Workspace,
    source: NoteId,
    name: &str,
    typed: &str,
    anchor: Anchor,
    insert: Insert<'_>,
) -> Vec<CompletionItem> {
    let Some(target) = linked_note(workspace, source, name) else {
        return Vec::new();
    };
    let found: Vec<(&str, String)> = match anchor {
        Anchor::Heading => (target.headings.iter())
            .map(|heading| {
                let level = "#".repeat(usize::from(heading.level));
                (heading.text.as_str(), format!("{level} {}", target.path))
            })
            .collect(),
        Anchor::Block => (target.blocks.iter())
            .map(|block| (block.id.as_str(), format!("^ {}", target.path)))
            .collect(),
    };
    let pattern = fuzzy::Pattern::new(typed);
    (found.into_iter())
        .filter(|(text, _)| pattern.rank(text).is_some())
        .map(|(text, detail)| {
            item(
                text,
                &detail,
                CompletionItemKind::REFERENCE,
                insert(text.to_owned()),
            )
        })
        .collect()
}

/// The vault's tags matching `typed`, best match first, then by name; each
/// spelled as most notes spell it, with how many notes use it. The tag
/// being typed, whose `#` is at `typing` (a note and byte offset), is not
/// one of them.
fn tags(
    workspace: &Workspace,
    typing: (NoteId, usize),
    typed: &str,
    insert: Insert<'_>,
) -> Vec<CompletionItem> {
    let (note, at) = typing;
    let without_typed = names::tags_but(workspace.live(), note, at);
    let pattern = fuzzy::Pattern::new(typed);
    let mut ranked = Vec::new();
    workspace
        .tags()
        .each_counting(note, &without_typed, |name, notes| {
            if let Some(rank) = pattern.rank(name) {
                ranked.push((rank, name.to_owned(), notes));
            }
        });
    ranked.sort_unstable();
    (ranked.into_iter())
        .map(|(_, name, notes)| {
            let detail = format!("{notes} note{}", if notes == 1 { "" } else { "s" });
            item(
                &name,
                &detail,
                CompletionItemKind::KEYWORD,
                insert(name.clone()),
            )
        })
        .collect()
}

/// The schema's property keys matching `typed` that the note does not have
/// yet (in its `text`), in key order; each inserts `key: `.
fn property_keys(
    workspace: &Workspace,
    text: &str,
    typed: &str,
    insert: Insert<'_>,
) -> Vec<CompletionItem> {
    let written = context::written_properties(text);
    let schema = workspace.schema();
    let note_type = note_type(&written);
    let required = schema.required_for(note_type);
    let fields = schema.fields_for(note_type);
    let mut keys: Vec<&str> = fields
        .keys()
        .copied()
        .chain(required.iter().copied())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let pattern = fuzzy::Pattern::new(typed);
    (keys.into_iter())
        .filter(|key| written.iter().all(|(had, _)| had != key) && pattern.rank(key).is_some())
        .map(|key| {
            let shape = fields
                .get(key)
                .map(|field| format!("{:?}", field.kind).to_lowercase());
            let detail = match (shape, required.contains(&key)) {
                (Some(shape), true) => format!("{shape}, required"),
                (Some(shape), false) => shape,
                (None, _) => "required".to_owned(),
            };
            item(
                key,
                &detail,
                CompletionItemKind::PROPERTY,
                insert(format!("{key}: ")),
            )
        })
        .collect()
}

/// The allowed values matching `typed` of the property `key` when the
/// schema (with the `type` written in the note's `text`) makes it an enum,
/// in the schema's order.
fn property_values(
    workspace: &Workspace,
    text: &str,
    key: &str,
    typed: &str,
    insert: Insert<'_>,
) -> Vec<CompletionItem> {
    let written = context::written_properties(text);
    let fields = workspace.schema().fields_for(note_type(&written));
    let Some(field) = fields
        .get(key)
        .filter(|field| field.kind == FieldType::Enum)
    else {
        return Vec::new();
    };
    let pattern = fuzzy::Pattern::new(typed);
    let detail = format!("{key}: one of {}", field.values.join(", "));
    (field.values.iter())
        .filter(|value| pattern.rank(value).is_some())
        .map(|value| {
            item(
                value,
                &detail,
                CompletionItemKind::ENUM_MEMBER,
                insert(value.clone()),
            )
        })
        .collect()
}

/// Every file whose path matches `typed` (spaces typed as `%20`), as the
/// destination of a Markdown link: the vault path, with its extension and
/// its spaces encoded, as Obsidian writes it. It stops one past
/// [`MOST_ITEMS`], as [`files`] does.
fn destinations(workspace: &Workspace, typed: &str, insert: Insert<'_>) -> Vec<CompletionItem> {
    let live = workspace.live();
    let pattern = fuzzy::Pattern::new(&typed.replace("%20", " "));
    (workspace.link_texts().iter())
        .filter(|link| pattern.rank_name(&link.path).is_some())
        .filter_map(|link| live.file_path(link.file))
        .map(|path| {
            let destination = path.replace(' ', "%20");
            let edit = insert(destination.clone());
            let mut item = item(path, path, CompletionItemKind::FILE, edit);
            item.filter_text = Some(destination);
            item
        })
        .take(MOST_ITEMS + 1)
        .collect()
}

/// The `type` property among written properties, which picks the schema's
/// per-type rules.
fn note_type<'a>(written: &[(&str, &'a str)]) -> Option<&'a str> {
    written
        .iter()
        .find(|(key, _)| *key == "type")
        .map(|(_, value)| *value)
}

fn item(
    label: &str,
    detail: &str,
    kind: CompletionItemKind,
    text_edit: CompletionTextEdit,
) -> CompletionItem {
    CompletionItem {
        label: label.to_owned(),
        kind: Some(kind),
        detail: Some(detail.to_owned()),
        filter_text: Some(label.to_owned()),
        text_edit: Some(text_edit),
        ..CompletionItem::default()
    }
}
