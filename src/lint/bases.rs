//! Base rules: every `.base` file and ```` ```base ```` block must parse
//! (YAML, expressions, functions and their arguments), and the literals its
//! expressions compare note properties with must fit the schema's types.
//!
//! The vault keeps no note text, so the files these rules need are read
//! again ([`read_sources`]).

use std::path::Path;

use rayon::prelude::*;
use serde_json::Value;

use super::frontmatter::parse_date;
use crate::base::{Base, BaseError, Comparison, Position, blocks_in};
use crate::config::{Field, FieldType, Schema};
use crate::model::{Diagnostic, LineIndex, Severity, Span};

/// The text of a `.base` file, or of a note that may hold ```` ```base ````
/// blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseSource {
    /// Vault path.
    pub path: String,
    /// The whole file.
    pub text: String,
}

impl BaseSource {
    /// Whether the file is a `.base` file (rather than a note).
    pub fn is_base_file(path: &str) -> bool {
        path.rsplit_once('.')
            .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("base"))
    }
}

/// Reads the files at vault paths `paths` (`.base` files and notes with
/// ```` ```base ```` blocks) from the vault folder `root`; a file that cannot
/// be read again is left out, as it has been reported while scanning.
pub fn read_sources(root: &Path, paths: Vec<&str>) -> Vec<BaseSource> {
    paths
        .into_par_iter()
        .filter_map(|path| {
            let bytes = std::fs::read(root.join(path)).ok()?;
            let (text, _) = crate::parse::decode(path, &bytes);
            Some(BaseSource {
                path: path.to_owned(),
                text: text.into_owned(),
            })
        })
        .collect()
}

/// Adds findings for every base in `sources`.
pub fn check(sources: &[BaseSource], schema: &Schema, out: &mut Vec<Diagnostic>) {
    for source in sources {
        let lines = LineIndex::new(&source.text);
        let mut check_one = |yaml: &str, shift: u32| match Base::parse(yaml) {
            Err(err) => out.push(invalid(source, &lines, err.shifted(shift))),
            Ok(base) => out.extend(
                base.comparisons()
                    .iter()
                    .filter_map(|c| mismatch(source, &lines, c, shift, schema)),
            ),
        };
        if BaseSource::is_base_file(&source.path) {
            check_one(&source.text, 0);
        } else {
            for (yaml, shift) in blocks_in(&source.text) {
                check_one(&yaml, shift);
            }
        }
    }
}

fn invalid(source: &BaseSource, lines: &LineIndex<'_>, err: BaseError) -> Diagnostic {
    let at = Position {
        line: err.line,
        column: err.column,
    };
    Diagnostic::new("invalid-base", Severity::Error, &source.path, err.message)
        .with_help("`vaultkit base` refuses this base; fix it where shown")
        .at(span_at(lines, &source.text, at))
}

/// A finding when the schema types `comparison`'s property and its literal
/// can never match a value of that type.
fn mismatch(
    source: &BaseSource,
    lines: &LineIndex<'_>,
    comparison: &Comparison,
    shift: u32,
    schema: &Schema,
) -> Option<Diagnostic> {
    let field = schema.fields.get(&comparison.property)?;
    let key = &comparison.property;
    let literal = &comparison.literal;
    let problem = match field.kind {
        FieldType::Enum if !comparison.ordering => match literal.as_str() {
            Some(text) if field.values.iter().any(|v| v == text) => return None,
            Some(text) => format!(
                "`{key}` is never `{text}`: its allowed values are {}",
                field.values.join(", ")
            ),
            None => wrong_type(key, field, literal),
        },
        _ if fits(field, literal) => return None,
        _ => wrong_type(key, field, literal),
    };
    let at = Position {
        line: comparison.position.line + shift,
        column: comparison.position.column,
    };
    let help = match field.kind {
        FieldType::List | FieldType::Tags | FieldType::Links => {
            format!("a list never equals one value: test `{key}.contains(…)`")
        }
        _ => format!(
            "`{key}` is declared in [schema] of vaultkit.toml; compare it with a value of its type"
        ),
    };
    Some(
        Diagnostic::new(
            "base-type-mismatch",
            Severity::Warning,
            &source.path,
            problem,
        )
        .with_help(help)
        .at(span_at(lines, &source.text, at)),
    )
}

/// Whether a property of `field`'s type can equal or be ordered against `literal`.
fn fits(field: &Field, literal: &Value) -> bool {
    match field.kind {
        FieldType::String | FieldType::Enum => literal.is_string(),
        FieldType::Number => literal.is_number(),
        FieldType::Bool => literal.is_boolean(),
        FieldType::Date | FieldType::Datetime => parse_date(literal).is_some(),
        FieldType::List | FieldType::Tags | FieldType::Links => false,
    }
}

fn wrong_type(key: &str, field: &Field, literal: &Value) -> String {
    let kind = match field.kind {
        FieldType::String => "text",
        FieldType::Enum => "one of its allowed values",
        FieldType::Date => "a date",
        FieldType::Datetime => "a date and time",
        FieldType::Number => "a number",
        FieldType::Bool => "`true` or `false`",
        FieldType::List | FieldType::Tags => "a list",
        FieldType::Links => "links",
    };
    format!(
        "`{key}` is {kind} in the schema, but is compared with {}, which it never matches",
        describe(literal)
    )
}

/// A literal as the expression writes it: text in quotes, so that `"3"`
/// does not read as the number.
fn describe(literal: &Value) -> String {
    match literal {
        Value::String(text) => format!("the text `\"{text}\"`"),
        Value::Number(n) => format!("the number `{n}`"),
        other => format!("`{other}`"),
    }
}

/// A one-character span at a 1-based line and column of `text`.
fn span_at(lines: &LineIndex<'_>, text: &str, at: Position) -> Span {
    let line_start = text
        .split_inclusive('\n')
        .take(at.line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let line = &text[line_start.min(text.len())..];
    let offset = line_start
        + line
            .char_indices()
            .take_while(|&(_, c)| c != '\n')
            .nth(at.column.saturating_sub(1) as usize)
            .map_or_else(|| line.find('\n').unwrap_or(line.len()), |(i, _)| i);
    let width = text[offset.min(text.len())..]
        .chars()
        .next()
        .filter(|&c| c != '\n')
        .map_or(0, char::len_utf8);
    lines.span(offset, offset + width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    const SCHEMA: &str = r#"
[schema.fields]
status = { type = "enum", values = ["active", "draft"] }
created = { type = "date" }
level = { type = "number" }
tags = { type = "tags" }
done = { type = "bool" }
"#;

    fn findings(path: &str, text: &str) -> Vec<(&'static str, u32, u32, String)> {
        let config = Config::from_toml(SCHEMA, std::path::Path::new("vaultkit.toml")).unwrap();
        let sources = [BaseSource {
            path: path.to_owned(),
            text: text.to_owned(),
        }];
        let mut out = Vec::new();
        check(&sources, &config.schema, &mut out);
        out.into_iter()
            .map(|d| {
                let span = d.span.expect("a position");
                (d.rule, span.line, span.column, d.message)
            })
            .collect()
    }

    #[test]
    fn every_kind_of_invalid_base_is_found_at_its_line_and_column() {
        let cases = [
            // The YAML parser finds the sequence unclosed where the text ends.
            ("filters: [unclosed\n", 2, 1),
            ("filters:\n  and: x: y\n", 2, 9),
            ("views:\n  - type: table\n    filters: 'status =='\n", 3, 24),
            ("formulas:\n  x: 'nope(1)'\n", 2, 7),
            ("formulas:\n  x: 'if()'\n", 2, 7),
        ];
        for (text, line, column) in cases {
            let found = findings("a.base", text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            assert_eq!(
                (found[0].0, found[0].1, found[0].2),
                ("invalid-base", line, column),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn blocks_are_found_at_their_line_in_the_note() {
        let note = "---\nstatus: draft\n---\n# N\n\n```base\nfilters: 'level > \"high\"'\n```\n\n```base\nfilters: 'x('\n```\n";
        let found = findings("N.md", note);
        let at: Vec<_> = found.iter().map(|f| (f.0, f.1, f.2)).collect();
        assert_eq!(
            at,
            [("base-type-mismatch", 7, 19), ("invalid-base", 11, 13)],
            "{found:?}"
        );
    }

    #[test]
    fn literals_of_the_wrong_type_are_found_and_right_ones_are_not() {
        let wrong = [
            r#"status == "done""#,
            "status == 3",
            r#"created > "last week""#,
            r#"level >= "3""#,
            r#"tags == "x""#,
            r#"done == "yes""#,
        ];
        for filter in wrong {
            let found = findings("a.base", &format!("filters: '{filter}'\n"));
            assert_eq!(found.len(), 1, "{filter}: {found:?}");
            assert_eq!(found[0].0, "base-type-mismatch", "{filter}");
        }
        let right = [
            r#"status == "draft""#,
            r#"status > "a""#,
            r#"created > "2024-01-01""#,
            "level >= 3 && done == true && other == 1",
            r#"tags.contains("x") && status == null"#,
        ];
        for filter in right {
            assert_eq!(
                findings("a.base", &format!("filters: '{filter}'\n")),
                [],
                "{filter}"
            );
        }
    }
}
