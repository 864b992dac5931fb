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

/// GitHub Actions workflow commands, one per finding, which GitHub shows as
/// annotations on the pull request. `prefix` is the vault folder as seen from
/// the repository root (e.g. `vault/`), since GitHub wants repository paths.
pub fn github(out: &mut dyn Write, findings: &[Diagnostic], prefix: &str) -> io::Result<()> {
    for finding in findings {
        let level = match finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut properties = format!(
            "file={}",
            github_property(&format!("{prefix}{}", finding.path))
        );
        if let Some(span) = finding.span {
            properties.push_str(&format!(
                ",line={},col={},endLine={},endColumn={}",
                span.line, span.column, span.end_line, span.end_column
            ));
        }
        properties.push_str(&format!(",title={}", github_property(finding.rule)));
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        writeln!(out, "::{level} {properties}::{}", github_data(&message))?;
    }
    Ok(())
}

/// Escapes a workflow command's message.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// A JUnit XML report, as GitLab and other CI systems read it: one test suite
/// per file with findings, one failing test case per finding.
pub fn junit(out: &mut dyn Write, findings: &[Diagnostic]) -> io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="vaultkit lint" tests="{0}" failures="{0}">"#,
        findings.len()
    )?;
    for group in findings.chunk_by(|a, b| a.path == b.path) {
        let path = xml(&group[0].path);
        writeln!(
            out,
            r#"  <testsuite name="{path}" tests="{0}" failures="{0}">"#,
            group.len()
        )?;
        for finding in group {
            let position = finding
                .span
                .map_or_else(String::new, |s| format!(":{}:{}", s.line, s.column));
            writeln!(
                out,
                r#"    <testcase name="{rule} {path}{position}" classname="{path}">"#,
                rule = finding.rule
            )?;
            writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                finding.severity.as_str(),
                xml(&finding.message),
                xml(finding.help.as_deref().unwrap_or_default())
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// Escapes text for XML content and attribute values.
fn xml(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
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

    /// A finding whose path and message need escaping in every format.
    fn awkward() -> Diagnostic {
        let mut finding = findings().remove(0);
        finding.path = "Notes/a, b.md".into();
        finding.message = "`[[x]]` leads <nowhere> & 100%".into();
        finding
    }

    #[test]
    fn github_commands_escape_properties_and_data() {
        let mut out = Vec::new();
        github(&mut out, &[awkward()], "vault/").expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "::error file=vault/Notes/a%2C b.md,line=3,col=5,endLine=3,endColumn=12,title=broken-link::`[[x]]` leads <nowhere> & 100%25%0Ahelp: create x.md\n"
        );
    }

    #[test]
    fn junit_escapes_and_counts() {
        let mut out = Vec::new();
        junit(&mut out, &[awkward(), awkward()]).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(
            text.contains(r#"<testsuites name="vaultkit lint" tests="2" failures="2">"#),
            "{text}"
        );
        assert_eq!(text.matches("<testsuite ").count(), 1, "{text}");
        assert!(text.contains(r#"<failure type="error" message="`[[x]]` leads &lt;nowhere&gt; &amp; 100%">create x.md</failure>"#), "{text}");
    }
}
