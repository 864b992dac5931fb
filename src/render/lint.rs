//! Lint findings as text for people (with code frames) and in the formats CI
//! systems read.

use std::collections::HashMap;
use std::io::{self, Write};

use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use rayon::prelude::*;
use serde::Serialize;

use super::Palette;
use crate::lint::Summary;
use crate::model::{Diagnostic, Severity, Span};

/// The text of notes, by vault path, for fingerprints. A finding whose file
/// is missing here is fingerprinted without its text.
pub type Sources = HashMap<String, String>;

/// Findings grouped by file: each with its rule, `path:line:column`, a code
/// frame underlining the offending text, and its help; then the summary line.
/// `source` gives the text of a file with positioned findings (`None` when it
/// cannot be read, which leaves its findings without a frame); files are
/// read and rendered in parallel, a batch at a time, and written in order.
pub fn human(
    out: &mut dyn Write,
    findings: &[Diagnostic],
    source: &(dyn Fn(&str) -> Option<String> + Sync),
    palette: Palette,
) -> io::Result<()> {
    let renderer = if palette.enabled() {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let groups: Vec<&[Diagnostic]> = findings.chunk_by(|a, b| a.path == b.path).collect();
    for batch in groups.chunks(256) {
        let rendered: Vec<String> = batch
            .par_iter()
            .map(|group| {
                let path = &group[0].path;
                let text = group
                    .iter()
                    .any(|f| f.span.is_some())
                    .then(|| source(path))
                    .flatten();
                let mut block = palette.path(palette.title(path));
                block.push('\n');
                for finding in *group {
                    block.push_str(&renderer.render(&[report(finding, text.as_deref())]));
                    block.push_str("\n\n");
                }
                block
            })
            .collect();
        for block in rendered {
            out.write_all(block.as_bytes())?;
        }
    }
    let summary = Summary::of(findings);
    writeln!(
        out,
        "{} errors, {} warnings, {} infos in {} notes",
        summary.errors, summary.warnings, summary.infos, summary.notes
    )
}

/// One finding as an annotate-snippets report: title, frame (or just the
/// location when there is no text to show), help.
fn report<'a>(finding: &'a Diagnostic, source: Option<&'a str>) -> Group<'a> {
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level.primary_title(&finding.message).id(finding.rule);
    let frame = finding
        .span
        .zip(source)
        .and_then(|(span, text)| frame(&finding.path, span, text));
    let mut group = match (frame, finding.span) {
        (Some(snippet), _) => title.element(snippet),
        (None, Some(span)) => title.element(
            Origin::path(&finding.path)
                .line(span.line as usize)
                .char_column(span.column as usize),
        ),
        (None, None) => title.element(Origin::path(&finding.path)),
    };
    if let Some(help) = &finding.help {
        group = group.element(Level::HELP.message(help));
    }
    group
}

/// The lines `span` covers, with the span underlined; `None` when the text no
/// longer matches the span (the file changed since it was linted).
fn frame<'a>(
    path: &'a str,
    span: Span,
    text: &'a str,
) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let (start, end) = (span.start as usize, span.end as usize);
    if start > end
        || end > text.len()
        || !text.is_char_boundary(start)
        || !text.is_char_boundary(end)
    {
        return None;
    }
    let first = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let last = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let lines = text[first..last].trim_end_matches('\r');
    let underline = (start - first)..(end - first).min(lines.len()).max(start - first);
    Some(
        Snippet::source(lines)
            .line_start(span.line as usize)
            .path(path)
            .annotation(AnnotationKind::Primary.span(underline)),
    )
}

/// The JSON report. Keys are written in alphabetical order, as in every
/// earlier release (which built a sorted `serde_json::Value` first).
#[derive(Serialize)]
struct JsonReport<'a> {
    diagnostics: Vec<JsonFinding<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    column: Option<u32>,
    end_column: Option<u32>,
    end_line: Option<u32>,
    help: Option<&'a str>,
    line: Option<u32>,
    message: &'a str,
    path: &'a str,
    rule: &'a str,
    severity: Severity,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    infos: usize,
    notes: usize,
    warnings: usize,
}

/// `{"diagnostics":[…],"summary":{"errors","infos","notes","warnings"}}`.
pub fn json(out: &mut dyn Write, findings: &[Diagnostic]) -> io::Result<()> {
    let diagnostics = findings
        .iter()
        .map(|f| JsonFinding {
            column: f.span.map(|s| s.column),
            end_column: f.span.map(|s| s.end_column),
            end_line: f.span.map(|s| s.end_line),
            help: f.help.as_deref(),
            line: f.span.map(|s| s.line),
            message: &f.message,
            path: &f.path,
            rule: f.rule,
            severity: f.severity,
        })
        .collect();
    let Summary {
        errors,
        warnings,
        infos,
        notes,
    } = Summary::of(findings);
    let summary = JsonSummary {
        errors,
        infos,
        notes,
        warnings,
    };
    super::json(
        out,
        &JsonReport {
            diagnostics,
            summary,
        },
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
        let path = super::xml(&group[0].path);
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
                super::xml(&finding.message),
                super::xml(finding.help.as_deref().unwrap_or_default())
            )?;
            writeln!(out, "    </testcase>")?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// The SARIF 2.1.0 schema this output follows.
const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Characters a SARIF `uri` (a relative URI reference) cannot hold as they are.
const URI_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// A SARIF 2.1.0 log, for GitHub code scanning and other SARIF viewers: every
/// rule's metadata (with its documentation) under `tool.driver.rules`, and one
/// result per finding, with its baseline fingerprint (`fingerprints`, one per
/// finding) as `partialFingerprints`, so code scanning follows a finding
/// across unrelated edits. Paths are relative to the vault (`uriBaseId`
/// `VAULTROOT`), which is `vault_prefix` (the `--vault` folder as typed, empty
/// for `.`): under `%SRCROOT%`, the folder vaultkit ran in, unless absolute.
pub fn sarif(
    out: &mut dyn Write,
    findings: &[Diagnostic],
    fingerprints: &[String],
    vault_prefix: &str,
) -> io::Result<()> {
    let rules: Vec<serde_json::Value> = crate::lint::RULES.iter().map(sarif_rule).collect();
    let results: Vec<serde_json::Value> = findings
        .iter()
        .zip(fingerprints)
        .map(|(finding, fingerprint)| sarif_result(finding, fingerprint))
        .collect();
    let encoded = percent_encoding::utf8_percent_encode(vault_prefix, URI_PATH);
    let root = match vault_prefix {
        "" => serde_json::json!({ "uri": "./", "uriBaseId": "%SRCROOT%" }),
        absolute if absolute.starts_with('/') => {
            serde_json::json!({ "uri": format!("file://{encoded}") })
        }
        _ => serde_json::json!({ "uri": encoded.to_string(), "uriBaseId": "%SRCROOT%" }),
    };
    super::json(
        out,
        &serde_json::json!({
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": {
                    "name": "vaultkit",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }},
                "originalUriBaseIds": { "VAULTROOT": root },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }],
        }),
    )
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A rule's `reportingDescriptor`: its summary, the first paragraph of its
/// documentation, the whole of it as help, and its default level.
fn sarif_rule(rule: &crate::lint::Rule) -> serde_json::Value {
    let doc = crate::lint::explain(rule.id).unwrap_or(rule.summary);
    // Every section starts "Default: <level>." before the description proper.
    let description = doc.split("\n\n").next().unwrap_or(doc);
    let description = description
        .split_once(". ")
        .filter(|(head, _)| head.starts_with("Default:"))
        .map_or(description, |(_, rest)| rest);
    let configuration = match rule.default {
        Some(severity) => serde_json::json!({ "level": sarif_level(severity) }),
        None => serde_json::json!({ "enabled": false }),
    };
    serde_json::json!({
        "id": rule.id,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": description.replace('\n', " ") },
        "help": { "text": doc, "markdown": doc },
        "defaultConfiguration": configuration,
    })
}

fn sarif_result(finding: &Diagnostic, fingerprint: &str) -> serde_json::Value {
    let mut location = serde_json::json!({
        "artifactLocation": {
            "uri": percent_encoding::utf8_percent_encode(&finding.path, URI_PATH).to_string(),
            "uriBaseId": "VAULTROOT",
        },
    });
    if let Some(span) = finding.span {
        location["region"] = serde_json::json!({
            "startLine": span.line,
            "startColumn": span.column,
            "endLine": span.end_line,
            "endColumn": span.end_column,
        });
    }
    let mut text = finding.message.clone();
    if let Some(help) = &finding.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let index = crate::lint::RULES
        .iter()
        .position(|r| r.id == finding.rule)
        .unwrap_or_default();
    serde_json::json!({
        "ruleId": finding.rule,
        "ruleIndex": index,
        "level": sarif_level(finding.severity),
        "message": { "text": text },
        "locations": [{ "physicalLocation": location }],
        "partialFingerprints": { "vaultkit/v1": fingerprint },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings() -> Vec<Diagnostic> {
        let span = Span {
            line: 3,
            column: 5,
            end_line: 3,
            end_column: 10,
            start: 9,
            end: 14,
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
    fn human_output_frames_the_span_and_groups_by_file() {
        let source = |path: &str| (path == "a.md").then(|| "# A\n\nsee [[x]] now\n".to_owned());
        let mut out = Vec::new();
        human(&mut out, &findings(), &source, Palette::new(false)).expect("write");
        let expected = "\
a.md
error[broken-link]: `[[x]]` leads nowhere
 --> a.md:3:5
  |
3 | see [[x]] now
  |     ^^^^^
  |
  = help: create x.md

b.md
warning[empty-note]: the note is empty
 --> b.md

1 errors, 1 warnings, 0 infos in 2 notes
";
        assert_eq!(String::from_utf8(out).expect("utf-8"), expected);
    }

    #[test]
    fn a_frame_is_left_out_when_the_text_no_longer_fits() {
        let source = |_: &str| Some("short".to_owned());
        let mut out = Vec::new();
        human(&mut out, &findings()[..1], &source, Palette::new(false)).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains(" --> a.md:3:5\n"), "{text}");
        assert!(!text.contains('^'), "{text}");
    }

    #[test]
    fn a_reversed_span_from_a_damaged_cache_gets_no_frame() {
        // Findings can come back from the index's files (`lint.bin`), whose
        // spans only a checksum vouches for.
        let mut finding = findings().swap_remove(0);
        finding.span = finding.span.map(|span| Span {
            start: 16,
            end: 2,
            ..span
        });
        let source = |_: &str| Some("# A\n\nsee [[x]] now\nmore\n".to_owned());
        let mut out = Vec::new();
        human(&mut out, &[finding], &source, Palette::new(false)).expect("write");
        let text = String::from_utf8(out).expect("utf-8");
        assert!(text.contains(" --> a.md:3:5\n"), "{text}");
        assert!(!text.contains('^'), "{text}");
    }

    #[test]
    fn json_output_has_positions_and_a_summary() {
        let mut out = Vec::new();
        json(&mut out, &findings()).expect("write");
        let value: serde_json::Value = serde_json::from_slice(&out).expect("json");
        assert_eq!(value["diagnostics"][0]["end_column"], 10);
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
            "::error file=vault/Notes/a%2C b.md,line=3,col=5,endLine=3,endColumn=10,title=broken-link::`[[x]]` leads <nowhere> & 100%25%0Ahelp: create x.md\n"
        );
    }

    #[test]
    fn sarif_paths_are_percent_encoded_uris_under_the_vault_root() {
        let mut finding = awkward();
        finding.path = "Notes/a #1 [draft].md".into();
        let uri = |prefix: &str| {
            let mut out = Vec::new();
            sarif(
                &mut out,
                std::slice::from_ref(&finding),
                &["f".into()],
                prefix,
            )
            .expect("write");
            let value: serde_json::Value = serde_json::from_slice(&out).expect("json");
            let run = &value["runs"][0];
            (
                run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .clone(),
                run["originalUriBaseIds"]["VAULTROOT"].clone(),
            )
        };
        let (path, root) = uri("my vault/");
        assert_eq!(path, "Notes/a%20%231%20%5Bdraft%5D.md");
        assert_eq!(
            root,
            serde_json::json!({"uri": "my%20vault/", "uriBaseId": "%SRCROOT%"})
        );
        assert_eq!(
            uri("/srv/v/").1,
            serde_json::json!({"uri": "file:///srv/v/"})
        );
        assert_eq!(uri("").1["uri"], "./");
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
