//! Lint findings as text for people and as JSON for tools.

use std::io::{self, Write};

use serde::Serialize;

use super::Palette;
use crate::lint::Summary;
use crate::model::{Diagnostic, Severity};

/// Findings grouped by file, one `line:column severity rule message` line
/// each with its help below, then the summary line.
pub fn human(out: &mut dyn Write, findings: &[Diagnostic], palette: Palette) -> io::Result<()> {
    let mut current: Option<&str> = None;
    for finding in findings {
        if current != Some(finding.path.as_str()) {
            if current.is_some() {
                writeln!(out)?;
            }
            writeln!(out, "{}", palette.path(&finding.path))?;
            current = Some(&finding.path);
        }
        let position = finding
            .span
            .map_or_else(|| "-".to_owned(), |s| format!("{}:{}", s.line, s.column));
        let severity = format!("{:<7}", finding.severity.as_str());
        let severity = match finding.severity {
            Severity::Error => palette.bad(severity),
            Severity::Warning => palette.warn(severity),
            Severity::Info => palette.dim(severity),
        };
        writeln!(
            out,
            "  {} {severity} {} {}",
            palette.dim(format!("{position:>7}")),
            palette.dim(finding.rule),
            finding.message
        )?;
        if let Some(help) = &finding.help {
            writeln!(out, "          {} {help}", palette.title("help:"))?;
        }
    }
    let summary = Summary::of(findings);
    if current.is_some() {
        writeln!(out)?;
    }
    writeln!(
        out,
        "{} errors, {} warnings, {} infos in {} notes",
        summary.errors, summary.warnings, summary.infos, summary.notes
    )
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: Severity,
    path: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    end_line: Option<u32>,
    end_column: Option<u32>,
    message: &'a str,
    help: Option<&'a str>,
}

/// `{"diagnostics":[…],"summary":{"errors","warnings","infos","notes"}}`.
pub fn json(out: &mut dyn Write, findings: &[Diagnostic]) -> io::Result<()> {
    let diagnostics: Vec<JsonFinding<'_>> = findings
        .iter()
        .map(|f| JsonFinding {
            rule: f.rule,
            severity: f.severity,
            path: &f.path,
            line: f.span.map(|s| s.line),
            column: f.span.map(|s| s.column),
            end_line: f.span.map(|s| s.end_line),
            end_column: f.span.map(|s| s.end_column),
            message: &f.message,
            help: f.help.as_deref(),
        })
        .collect();
    super::json(
        out,
        &serde_json::json!({ "diagnostics": diagnostics, "summary": Summary::of(findings) }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;

    fn findings() -> Vec<Diagnostic> {
        let span = Span {
            line: 3,
            column: 5,
            end_line: 3,
            end_column: 12,
            start: 0,
            end: 7,
        };
        vec![
            Diagnostic::new(
                "broken-link",
                Severity::Error,
                "a.md",
                "`[[x]]` leads nowhere",
            )
            .at(span)
            .with_help("create x.md"),
            Diagnostic::new("empty-note", Severity::Warning, "b.md", "the note is empty"),
        ]
    }

    #[test]
    fn human_output_groups_by_file() {
        let mut out = Vec::new();
        human(&mut out, &findings(), Palette::new(false)).expect("write");
        let expected = "a.md\n      3:5 error   broken-link `[[x]]` leads nowhere\n          help: create x.md\n\nb.md\n        - warning empty-note the note is empty\n\n1 errors, 1 warnings, 0 infos in 2 notes\n";
        assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
    }

    #[test]
    fn json_output_has_positions_and_a_summary() {
        let mut out = Vec::new();
        json(&mut out, &findings()).expect("write");
        let value: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(value["diagnostics"][0]["end_column"], 12);
        assert_eq!(value["diagnostics"][1]["line"], serde_json::Value::Null);
        assert_eq!(value["summary"]["errors"], 1);
        assert_eq!(value["summary"]["notes"], 2);
    }
}
