//! Code actions on a range of a note: each `lint --fix` fix there (the same
//! fixes, from the same code) as a quick fix for its finding, and "Create
//! note" for each link there that leads nowhere, at the path Obsidian would
//! create the note at.

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CreateFile,
    CreateFileOptions, DocumentChangeOperation, ResourceOp,
};
use vaultkit::lint::fix;
use vaultkit::lint::rewrite;
use vaultkit::model::{Diagnostic, LineIndex};
use vaultkit::vault::NoteId;
use vaultkit::vault::new_note::{self, Location};

use super::convert;
use super::edit::{self, Support};
use super::workspace::Workspace;

/// The quick fixes for the range the editor asks about in the note `id`:
/// the lint fixes touching it, then the notes to create, in text order.
/// None when the editor asks only for other kinds of actions.
pub fn quick_fixes(
    workspace: &Workspace,
    id: NoteId,
    params: &CodeActionParams,
    support: Support,
) -> Vec<CodeActionOrCommand> {
    let wanted = (params.context.only.as_ref()).is_none_or(|kinds| {
        (kinds.iter()).any(|kind| CodeActionKind::QUICKFIX.as_str().starts_with(kind.as_str()))
    });
    let range = params.range;
    let (true, Some(note), Some(text), Some(uri)) = (
        wanted,
        workspace.live().note(id),
        workspace.text(id),
        workspace.uri(vaultkit::vault::FileId::Note(id)),
    ) else {
        return Vec::new();
    };
    let lines = LineIndex::new(&text);
    let offset = |position| convert::offset(&lines, position).unwrap_or(text.len());
    let (start, end) = (offset(range.start), offset(range.end));
    // An empty range is the cursor: it may stand at either end of the part.
    let touches = |from: usize, to: usize| {
        if start == end {
            from <= start && start <= to
        } else {
            from < end && start < to
        }
    };
    let findings = workspace.findings(id);
    let finding = |rule: &str, from: usize, to: usize| -> Vec<lsp_types::Diagnostic> {
        (findings.iter())
            .filter(|found| found.rule == rule && found_in(found, from, to))
            .map(|found| convert::diagnostic(&lines, found))
            .collect()
    };
    let mut actions = Vec::new();
    let enabled = rewrite::enabled(workspace.config());
    for fix in fix::fixes(workspace.live(), id, &text, enabled) {
        if !touches(fix.start, fix.end) {
            continue;
        }
        let old = text.get(fix.start..fix.end).unwrap_or_default();
        let title = if old.contains('\n') || fix.replacement.contains('\n') {
            format!("Fix `{}` as `vaultkit lint --fix` does", fix.rule)
        } else {
            format!("Replace `{old}` with `{}` ({})", fix.replacement, fix.rule)
        };
        let text_edit = edit::text_edit(&lines, fix.start, fix.end, fix.replacement.clone());
        let version = workspace.version(&note.path);
        let changes = vec![edit::document(uri.clone(), version, vec![text_edit])];
        actions.push(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(finding(fix.rule, fix.start, fix.end)),
            edit: Some(edit::workspace_edit(support, changes)),
            is_preferred: Some(true),
            ..CodeAction::default()
        });
    }
    if support.create {
        let location = Location::read(workspace.root());
        let mut created = Vec::new();
        let resolutions = workspace.live().resolutions(id);
        for (link, resolution) in note.links.iter().zip(resolutions) {
            let (from, to) = (link.span.start as usize, link.span.end as usize);
            if resolution.target.is_some() || link.is_self() || !touches(from, to) {
                continue;
            }
            let Some(path) = new_note::path(&link.target, &note.path, &location) else {
                continue;
            };
            let Some(new_uri) = workspace.path_uri(&path) else {
                continue;
            };
            if created.contains(&path) {
                continue;
            }
            let create = CreateFile {
                uri: new_uri,
                options: Some(CreateFileOptions {
                    overwrite: Some(false),
                    ignore_if_exists: Some(true),
                }),
                annotation_id: None,
            };
            let changes = vec![DocumentChangeOperation::Op(ResourceOp::Create(create))];
            actions.push(CodeAction {
                title: format!("Create note `{path}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(finding("broken-link", from, to)),
                edit: Some(edit::workspace_edit(support, changes)),
                ..CodeAction::default()
            });
            created.push(path);
        }
    }
    actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect()
}

/// Whether a finding is about the bytes `from..to` (overlaps them).
fn found_in(found: &Diagnostic, from: usize, to: usize) -> bool {
    found
        .span
        .is_some_and(|span| (span.start as usize) < to.max(from + 1) && from < span.end as usize)
}
