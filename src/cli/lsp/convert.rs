//! The library's spans and findings as protocol types. Positions go
//! through [`LineIndex`]'s UTF-16 conversion, what LSP clients count in.

use std::path::PathBuf;

use lsp_types::{DiagnosticSeverity, NumberOrString, Position, Range, Uri};
use vaultkit::model::{Diagnostic, Severity, Span};
use vaultkit::model::{LineIndex, Utf16Position};

/// The editor position of a byte offset.
pub fn position(lines: &LineIndex<'_>, offset: usize) -> Position {
    editor_position(lines.utf16_position(offset))
}

fn editor_position(Utf16Position { line, character }: Utf16Position) -> Position {
    Position { line, character }
}

/// The editor range of a span.
pub fn range(lines: &LineIndex<'_>, span: Span) -> Range {
    Range {
        start: position(lines, span.start as usize),
        end: position(lines, span.end as usize),
    }
}

/// The editor range of a span in a note without astral characters, which
/// needs no text (see `Span::utf16_in_bmp`).
pub fn bmp_range(span: Span) -> Range {
    let (start, end) = span.utf16_in_bmp();
    Range {
        start: editor_position(start),
        end: editor_position(end),
    }
}

/// The byte offset of an editor position; `None` past the last line.
pub fn offset(lines: &LineIndex<'_>, position: Position) -> Option<usize> {
    lines.offset_of_utf16(Utf16Position {
        line: position.line,
        character: position.character,
    })
}

/// A lint finding as an editor diagnostic: its rule id is the code, its
/// help follows the message. A finding about the whole note sits at its start.
pub fn diagnostic(lines: &LineIndex<'_>, finding: &Diagnostic) -> lsp_types::Diagnostic {
    let message = match &finding.help {
        Some(help) => format!("{}\nhelp: {help}", finding.message),
        None => finding.message.clone(),
    };
    lsp_types::Diagnostic {
        range: finding
            .span
            .map(|span| range(lines, span))
            .unwrap_or_default(),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
        }),
        code: Some(NumberOrString::String(finding.rule.to_owned())),
        source: Some("vaultkit".to_owned()),
        message,
        ..lsp_types::Diagnostic::default()
    }
}

/// The local path a `file:` URI names.
pub fn file_path(uri: &Uri) -> Option<PathBuf> {
    url::Url::parse(uri.as_str()).ok()?.to_file_path().ok()
}

/// The `file:` URI of a local path.
pub fn file_uri(path: &std::path::Path) -> Option<Uri> {
    url::Url::from_file_path(path).ok()?.as_str().parse().ok()
}
