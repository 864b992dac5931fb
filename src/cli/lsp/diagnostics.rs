//! A note's findings as editor diagnostics, pushed
//! (`textDocument/publishDiagnostics`) or pulled (`textDocument/diagnostic`).
//!
//! An ambiguous link's diagnostic names every tied note as related
//! information, the one Obsidian picks first.
//!
//! When the client pulls, an open note's diagnostics are only pulled: a
//! client keeps pushed and pulled diagnostics apart and would show both.
//! Closed notes are still pushed (their findings change when a link into
//! them breaks or mends, and a client pulls only for open documents); so
//! an opened note gets an empty push, to clear what was pushed while it was
//! closed, and a change to the findings of an open note other than the one
//! edited asks the client to pull again (`workspace/diagnostic/refresh`).

use lsp_types::{
    DiagnosticRelatedInformation, DocumentDiagnosticReport, DocumentDiagnosticReportResult,
    FullDocumentDiagnosticReport, Location, Range, RelatedFullDocumentDiagnosticReport,
    RelatedUnchangedDocumentDiagnosticReport, UnchangedDocumentDiagnosticReport,
};
use vaultkit::model::{Diagnostic, LineIndex};
use vaultkit::vault::NoteId;

use super::convert;
use super::workspace::Workspace;

/// The lint rule of an ambiguous link.
const AMBIGUOUS_LINK: &str = "ambiguous-link";

/// A note's findings as diagnostics, sorted by line and column.
pub fn of_note(workspace: &Workspace, id: NoteId) -> Vec<lsp_types::Diagnostic> {
    let text = workspace.text(id).unwrap_or_default();
    let lines = LineIndex::new(&text);
    (workspace.findings(id).iter())
        .map(|finding| {
            let mut diagnostic = convert::diagnostic(&lines, finding);
            if finding.rule == AMBIGUOUS_LINK {
                diagnostic.related_information = candidates(workspace, id, finding);
            }
            diagnostic
        })
        .collect()
}

/// The tied notes of the ambiguous link a finding is about, each at its
/// start, in the order Obsidian ranks them.
fn candidates(
    workspace: &Workspace,
    id: NoteId,
    finding: &Diagnostic,
) -> Option<Vec<DiagnosticRelatedInformation>> {
    let live = workspace.live();
    let (_, resolution) = live
        .links_of(id)
        .find(|(link, _)| Some(link.span) == finding.span)?;
    let related = (resolution.candidates.iter().enumerate())
        .filter_map(|(rank, &candidate)| {
            let path = live.file_path(candidate)?;
            let message = if rank == 0 {
                format!("candidate `{path}`, the one Obsidian picks")
            } else {
                format!("candidate `{path}`")
            };
            Some(DiagnosticRelatedInformation {
                location: Location {
                    uri: workspace.uri(candidate)?,
                    range: Range::default(),
                },
                message,
            })
        })
        .collect();
    Some(related)
}

/// The answer to a pull for the note `id` (none: a document the server
/// does not know, which has no findings): the full report, or "unchanged"
/// when the client's `previous` result is still true.
pub fn pulled(
    workspace: Option<(&Workspace, NoteId)>,
    previous: Option<&str>,
) -> DocumentDiagnosticReportResult {
    let items = workspace.map_or_else(Vec::new, |(workspace, id)| of_note(workspace, id));
    let result_id = result_id(&items);
    let report = if previous == Some(result_id.as_str()) {
        DocumentDiagnosticReport::Unchanged(RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        })
    } else {
        DocumentDiagnosticReport::Full(RelatedFullDocumentDiagnosticReport {
            related_documents: None,
            full_document_diagnostic_report: FullDocumentDiagnosticReport {
                result_id: Some(result_id),
                items,
            },
        })
    };
    DocumentDiagnosticReportResult::Report(report)
}

/// Whether the client's `initialize` parameters say it pulls again when
/// asked. Read from the JSON: the protocol names the capability
/// `workspace.diagnostics`, where `lsp-types` reads `workspace.diagnostic`,
/// so both are taken.
pub fn client_refreshes(initialize: &serde_json::Value) -> bool {
    ["diagnostics", "diagnostic"].iter().any(|key| {
        let pointer = format!("/capabilities/workspace/{key}/refreshSupport");
        initialize.pointer(&pointer) == Some(&serde_json::Value::Bool(true))
    })
}

/// A result id that changes whenever the diagnostics do: a hash of them,
/// so the server keeps no record of what each client was last sent.
fn result_id(items: &[lsp_types::Diagnostic]) -> String {
    let json = serde_json::to_vec(items).unwrap_or_default();
    format!("{:016x}", vaultkit::index::content_hash(&json))
}
