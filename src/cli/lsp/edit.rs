//! Workspace edits as the editor can take them: what its client applies,
//! and the server's changes (a refactoring plan, a fix, a new file) as one
//! `WorkspaceEdit`. The server writes nothing: the editor applies the edit.

use std::collections::HashMap;

use lsp_types::{
    ClientCapabilities, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, RenameFile, ResourceOp, ResourceOperationKind,
    TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};
use vaultkit::model::LineIndex;
use vaultkit::refactor::plan::Plan;

use super::convert;
use super::workspace::Workspace;

/// What the editor's client can apply in a workspace edit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Support {
    /// `documentChanges`: text edits and file operations, in order.
    pub document_changes: bool,
    /// Files renamed among the document changes.
    pub rename: bool,
    /// Files created among the document changes.
    pub create: bool,
}

impl Support {
    /// What a client with these capabilities applies.
    pub fn of(capabilities: &ClientCapabilities) -> Self {
        let edit = (capabilities.workspace.as_ref()).and_then(|w| w.workspace_edit.as_ref());
        let operations = (edit.and_then(|e| e.resource_operations.as_deref())).unwrap_or_default();
        // Resource operations exist only in `documentChanges`: a client that
        // lists them applies those (Neovim before 0.8 lists them alone).
        let document_changes =
            edit.and_then(|e| e.document_changes) == Some(true) || !operations.is_empty();
        let supports = |kind| document_changes && operations.contains(&kind);
        Self {
            document_changes,
            rename: supports(ResourceOperationKind::Rename),
            create: supports(ResourceOperationKind::Create),
        }
    }
}

/// The edit replacing bytes `start..end` of a text (whose lines are `lines`) with `new_text`.
pub fn text_edit(lines: &LineIndex<'_>, start: usize, end: usize, new_text: String) -> TextEdit {
    TextEdit {
        range: lsp_types::Range {
            start: convert::position(lines, start),
            end: convert::position(lines, end),
        },
        new_text,
    }
}

/// Text edits of the document at `uri`, as a document change: of the
/// buffer at `version` when the note is open (the editor applies them to
/// that text only), else of the file.
pub fn document(uri: Uri, version: Option<i32>, edits: Vec<TextEdit>) -> DocumentChangeOperation {
    DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier { uri, version },
        edits: edits.into_iter().map(OneOf::Left).collect(),
    })
}

/// A refactoring plan as document changes: every note's text edits (in
/// the text the plan read, named by its URI before any move), then the
/// moves. `None` when a file has no URI.
pub fn of_plan(workspace: &Workspace, plan: &Plan) -> Option<Vec<DocumentChangeOperation>> {
    let mut changes = Vec::new();
    for edit in &plan.edits {
        let lines = LineIndex::new(&edit.before);
        let edits = (edit.replacements.iter())
            .map(|r| text_edit(&lines, r.start, r.end, r.text.clone()))
            .collect();
        let (uri, version) = (
            workspace.path_uri(&edit.path)?,
            workspace.version(&edit.path),
        );
        changes.push(document(uri, version, edits));
    }
    for step in &plan.moves {
        changes.push(DocumentChangeOperation::Op(ResourceOp::Rename(
            RenameFile {
                old_uri: workspace.path_uri(&step.from)?,
                new_uri: workspace.path_uri(&step.to)?,
                options: None,
                annotation_id: None,
            },
        )));
    }
    Some(changes)
}

/// Document changes as the client takes them: as they are, or (for a
/// client without `documentChanges`) text edits by URI, which only works
/// for changes without file operations: the caller checks [`Support`] first.
// `WorkspaceEdit::changes` is keyed by `Uri`, whose lazily cached parts
// are interior mutability that never changes its hash.
#[allow(clippy::mutable_key_type)]
pub fn workspace_edit(support: Support, changes: Vec<DocumentChangeOperation>) -> WorkspaceEdit {
    if support.document_changes {
        return WorkspaceEdit {
            document_changes: Some(DocumentChanges::Operations(changes)),
            ..WorkspaceEdit::default()
        };
    }
    let mut by_uri: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for change in changes {
        if let DocumentChangeOperation::Edit(edit) = change {
            let edits = edit.edits.into_iter().map(|edit| match edit {
                OneOf::Left(edit) => edit,
                OneOf::Right(annotated) => annotated.text_edit,
            });
            by_uri
                .entry(edit.text_document.uri)
                .or_default()
                .extend(edits);
        }
    }
    WorkspaceEdit {
        changes: Some(by_uri),
        ..WorkspaceEdit::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn support(workspace_edit: serde_json::Value) -> Support {
        let capabilities = serde_json::json!({ "workspace": { "workspaceEdit": workspace_edit } });
        Support::of(&serde_json::from_value(capabilities).expect("capabilities"))
    }

    #[test]
    fn file_operations_need_their_kind_and_bring_document_changes() {
        let all = serde_json::json!({ "documentChanges": true, "resourceOperations": ["create", "rename"] });
        let expected = Support {
            document_changes: true,
            rename: true,
            create: true,
        };
        assert_eq!(support(all), expected);
        let no_kinds = serde_json::json!({ "documentChanges": true });
        let expected = Support {
            document_changes: true,
            ..Support::default()
        };
        assert_eq!(support(no_kinds), expected);
        // As Neovim 0.7 says it: the operations, without `documentChanges`.
        let operations_alone =
            serde_json::json!({ "resourceOperations": ["rename", "create", "delete"] });
        let expected = Support {
            document_changes: true,
            rename: true,
            create: true,
        };
        assert_eq!(support(operations_alone), expected);
        let nothing = serde_json::json!({ "documentChanges": false });
        assert_eq!(support(nothing), Support::default());
        assert_eq!(
            Support::of(&ClientCapabilities::default()),
            Support::default()
        );
    }
}
