//! Schema rules from `[schema]` in `vaultkit.toml`: required properties, each
//! property's type and allowed values, per-`type` extras, and aliases that
//! collide.

use serde_json::Value;

use super::Lookup;
use super::frontmatter::{DATE_FIELDS, describe, parse_date, present};
use crate::config::{Field, FieldType, Schema};
use crate::model::{Diagnostic, Note, Severity};
use crate::parse::wikilink;
use crate::vault::resolve::fold;

/// Adds findings for a note's schema and its duplicate aliases.
pub fn check(vault: &impl Lookup, note: &Note, schema: &Schema, out: &mut Vec<Diagnostic>) {
    check_note(note, schema, out);
    duplicate_aliases(vault, note, out);
}

/// Adds findings for a note's properties against the schema.
pub(super) fn check_note(note: &Note, schema: &Schema, out: &mut Vec<Diagnostic>) {
    let note_type = note.property("type").and_then(Value::as_str);
    let fields = schema.fields_for(note_type);
    let required = schema.required_for(note_type);
    for key in required {
        if present(note, key).is_none() {
            out.push(
                Diagnostic::new(
                    "missing-field",
                    Severity::Error,
                    note.path.as_str(),
                    format!("the required property `{key}` is missing or empty"),
                )
                .with_help(format!("add `{key}:` to the front matter")),
            );
        }
    }
    for (key, field) in fields {
        if let Some(value) = present(note, key)
            && let Some(finding) = check_value(note, key, value, field)
        {
            out.push(finding);
        }
    }
}

fn check_value(note: &Note, key: &str, value: &Value, field: &Field) -> Option<Diagnostic> {
    let span = note
        .properties
        .iter()
        .find(|p| p.key == key)
        .map(|p| p.span);
    let finding = |rule, severity, message: String, help: String| {
        Diagnostic::new(rule, severity, note.path.as_str(), message)
            .with_help(help)
            .at(span)
    };
    let wrong_type = |expected: &str| {
        finding(
            "invalid-type",
            Severity::Error,
            format!(
                "`{key}` should be {expected}, but it holds {}",
                describe(value)
            ),
            format!("`{key}` is declared as {expected} in [schema] of vaultkit.toml"),
        )
    };
    let is_link = |v: &Value| {
        v.as_str()
            .is_some_and(|s| wikilink::is_whole_link(s.trim()))
    };
    match field.kind {
        FieldType::String => (!value.is_string()).then(|| wrong_type("text")),
        FieldType::Number => (!value.is_number()).then(|| wrong_type("a number")),
        FieldType::Bool => (!value.is_boolean()).then(|| wrong_type("`true` or `false`")),
        FieldType::List | FieldType::Tags => (!value.is_array()).then(|| wrong_type("a list")),
        FieldType::Links => {
            let all_links = match value {
                Value::Array(items) => items.iter().all(is_link),
                single => is_link(single),
            };
            (!all_links).then(|| wrong_type("a list of quoted \"[[links]]\""))
        }
        FieldType::Enum => match value.as_str() {
            Some(text) if field.values.iter().any(|v| v == text) => None,
            Some(text) => Some(finding(
                "invalid-value",
                Severity::Error,
                format!("`{key}: {text}` is not an allowed value"),
                format!("allowed values: {}", field.values.join(", ")),
            )),
            None => Some(wrong_type("one of the allowed values")),
        },
        // `created` and `migrated_at` are checked as dates in every vault.
        FieldType::Date | FieldType::Datetime if DATE_FIELDS.contains(&key) => None,
        FieldType::Date | FieldType::Datetime => parse_date(value).is_none().then(|| {
            finding(
                "invalid-date",
                Severity::Error,
                format!("`{key}` is not a valid date: it holds {}", describe(value)),
                "write an ISO 8601 date such as 2026-01-10 (or 2026-01-10T09:30)".to_owned(),
            )
        }),
    }
}

/// Two notes that claim one alias, or an alias that is another note's name.
/// An alias of `note` that another note claims too, or that is another
/// note's title.
fn duplicate_aliases(vault: &impl Lookup, note: &Note, out: &mut Vec<Diagnostic>) {
    let span = note
        .properties
        .iter()
        .find(|p| p.key.eq_ignore_ascii_case("aliases"))
        .map(|p| p.span);
    for alias in &note.aliases {
        let mut owners = vault.alias_owners(alias);
        owners.retain(|path| *path != note.path);
        let shadowed = vault.titled(&fold(alias)).filter(|path| *path != note.path);
        let message = match (owners.first(), shadowed) {
            (_, Some(path)) => format!("the alias `{alias}` is also the name of `{path}`"),
            (Some(_), None) => format!(
                "the alias `{alias}` is also claimed by {}",
                owners.join(", ")
            ),
            (None, None) => continue,
        };
        let finding = Diagnostic::new(
            "duplicate-alias",
            Severity::Warning,
            note.path.as_str(),
            message,
        )
        .with_help(
            "an alias should name one note only, in Obsidian's link suggestions and quick switcher",
        );
        out.push(finding.at(span));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::lint::each_note;
    use crate::vault::Vault;

    fn rules(notes: &[(&str, &str)], config: &str) -> Vec<(String, &'static str)> {
        let config =
            Config::from_toml(config, std::path::Path::new("vaultkit.toml")).expect("valid");
        let vault = Vault::from_sources(notes.iter().copied(), Vec::<String>::new());
        let out = each_note(&vault, |vault, _, note, out| {
            check(vault, note, &config.schema, out);
        });
        out.into_iter().map(|d| (d.path, d.rule)).collect()
    }

    const SCHEMA: &str = r#"
[schema]
required = ["created", "status"]
[schema.fields]
status = { type = "enum", values = ["active", "draft", "archived"] }
related = { type = "links" }
order = { type = "number" }
due = { type = "date" }
[schema.types.resource]
required = ["tags"]
"#;

    #[test]
    fn the_seed_note_passes_the_documented_schema() {
        let seed = "---\ntype: resource\ncreated: 2026-01-10\nstatus: active\ntags:\n  - career\nrelated:\n  - \"[[X]]\"\n---\n";
        assert!(rules(&[("seed.md", seed)], SCHEMA).is_empty());
    }

    #[test]
    fn each_schema_rule_fires() {
        let notes = [
            (
                "missing.md",
                "---\ntype: resource\ncreated: 2026-01-10\n---\n",
            ),
            (
                "values.md",
                "---\ncreated: 2026-01-10\nstatus: done\nrelated: see X\norder: first\ndue: tomorrow\n---\n",
            ),
        ];
        assert_eq!(
            rules(&notes, SCHEMA),
            [
                ("missing.md".into(), "missing-field"),
                ("missing.md".into(), "missing-field"),
                ("values.md".into(), "invalid-date"),
                ("values.md".into(), "invalid-type"),
                ("values.md".into(), "invalid-type"),
                ("values.md".into(), "invalid-value"),
            ]
        );
    }

    #[test]
    fn aliases_must_name_one_note() {
        let notes = [
            ("a.md", "---\naliases: [Shared, b]\n---\n"),
            ("b.md", "---\naliases: [shared]\n---\n"),
            ("c.md", "---\naliases: [Unique]\n---\n"),
        ];
        let found = rules(&notes, "");
        assert_eq!(
            found,
            [
                ("a.md".into(), "duplicate-alias"),
                ("a.md".into(), "duplicate-alias"),
                ("b.md".into(), "duplicate-alias"),
            ]
        );
    }
}
