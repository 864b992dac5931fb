//! `vaultkit init`: a `vaultkit.toml` inferred from what the vault already is,
//! so that adopting the linter starts from a config the vault passes.
//!
//! Each property gets a type when every value it holds has that type; a text
//! property with a few distinct values becomes an enum of them; a property
//! every note (or every note of one `type`) has becomes required, and one that
//! nearly every such note has is suggested in a comment, with the notes that
//! lack it. Nothing is declared that the vault itself would fail.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use crate::config::FieldType;
use crate::model::Note;
use crate::parse::wikilink;
use crate::vault::Vault;

/// A text property with at most this many distinct values becomes an enum…
const MAX_ENUM_VALUES: usize = 8;
/// …when it appears at least this many times as often as it has values.
const ENUM_REPEATS: usize = 2;
/// "Nearly every note": at least this share (in percent) of the notes.
const NEARLY_ALL_PERCENT: usize = 80;
/// Notes that a comment names, at most.
const NAMED_NOTES: usize = 5;

/// The inferred `vaultkit.toml`, commented. `ignore` lists globs of folders
/// (such as templates) whose notes were left out of the inference.
pub fn config_for(vault: &Vault, ignore: &[String]) -> String {
    let notes: Vec<&Note> = vault
        .notes()
        .filter(|n| !ignore.iter().any(|glob| under_glob(&n.path, glob)))
        .collect();
    let mut out = String::new();
    out.push_str(
        "# vaultkit.toml, written by `vaultkit init` from the vault's notes.\n\
         # `vaultkit lint` checks every note against it; edit it to say what the\n\
         # vault should be. Rules and their levels: docs/rules.md, or\n\
         # `vaultkit lint --explain RULE`.\n\n",
    );
    if !ignore.is_empty() {
        out.push_str("# Templates hold placeholders, not notes.\n");
        let _ = writeln!(out, "ignore = {}\n", toml_list(ignore));
    }
    out.push_str(
        "[lint.rules]\n# orphan-note = \"warning\"   # \"error\" | \"warning\" | \"info\" | \"off\"\n\n",
    );
    let fields = infer_fields(&notes);
    let global = write_schema(&mut out, &notes, &fields);
    write_types(&mut out, &notes, &global);
    let sources: BTreeSet<&str> = notes
        .iter()
        .filter_map(|n| n.property("migrated_from")?.as_str())
        .collect();
    if !sources.is_empty() {
        out.push_str("[migration]\n# `migrated_from` values seen in the vault.\n");
        let _ = writeln!(out, "sources = {}", toml_list(sources));
    }
    out
}

/// Top-level folders whose name says they hold templates, as `Folder/**` globs.
pub fn template_globs(vault: &Vault) -> Vec<String> {
    let folders: BTreeSet<&str> = vault
        .notes()
        .filter_map(|n| n.path.split_once('/').map(|(top, _)| top))
        .filter(|top| {
            matches!(
                top.to_lowercase().as_str(),
                "templates" | "template" | "_templates"
            )
        })
        .collect();
    folders.into_iter().map(|f| format!("{f}/**")).collect()
}

fn under_glob(path: &str, glob: &str) -> bool {
    glob.strip_suffix("/**")
        .and_then(|folder| path.strip_prefix(folder))
        .is_some_and(|rest| rest.starts_with('/'))
}

/// What one property looks like across the notes.
struct FieldInfo {
    /// The type every value has, if they agree.
    kind: Option<FieldType>,
    /// For text: the distinct values.
    values: BTreeSet<String>,
    /// How many notes have it (with a value).
    count: usize,
}

fn kind_of(key: &str, value: &Value) -> Option<FieldType> {
    let is_link = |v: &Value| {
        v.as_str()
            .is_some_and(|s| wikilink::is_whole_link(s.trim()))
    };
    Some(match value {
        Value::Bool(_) => FieldType::Bool,
        Value::Number(_) => FieldType::Number,
        Value::Array(items) if !items.is_empty() && items.iter().all(is_link) => FieldType::Links,
        Value::Array(_) if key.eq_ignore_ascii_case("tags") => FieldType::Tags,
        Value::Array(_) => FieldType::List,
        Value::String(_) if is_link(value) => FieldType::Links,
        Value::String(text) => {
            let text = text.trim();
            if text.len() == 10 && text.parse::<jiff::civil::Date>().is_ok() {
                FieldType::Date
            } else if text.parse::<jiff::civil::DateTime>().is_ok() {
                FieldType::Datetime
            } else {
                FieldType::String
            }
        }
        Value::Null | Value::Object(_) => return None,
    })
}

/// Two kinds seen for one property: the one both satisfy, if any. (A list
/// of links and another list could be a `list`, but a single link is no
/// list, so that mix is left undeclared.)
fn unify(a: FieldType, b: FieldType) -> Option<FieldType> {
    use FieldType::{Date, Datetime};
    match (a, b) {
        _ if a == b => Some(a),
        (Date, Datetime) | (Datetime, Date) => Some(Datetime),
        _ => None,
    }
}

fn infer_fields(notes: &[&Note]) -> BTreeMap<String, FieldInfo> {
    let mut fields: BTreeMap<String, (Option<Option<FieldType>>, FieldInfo)> = BTreeMap::new();
    for note in notes {
        for property in &note.properties {
            if property.value.is_null() {
                continue;
            }
            let (seen, info) = fields.entry(property.key.to_string()).or_insert((
                None,
                FieldInfo {
                    kind: None,
                    values: BTreeSet::new(),
                    count: 0,
                },
            ));
            let kind = kind_of(&property.key, &property.value);
            *seen = Some(match *seen {
                None => kind,
                Some(before) => before.zip(kind).and_then(|(a, b)| unify(a, b)),
            });
            info.count += 1;
            if let Some(text) = property.value.as_str() {
                info.values.insert(text.to_owned());
            }
        }
    }
    fields
        .into_iter()
        .map(|(key, (seen, mut info))| {
            info.kind = seen.flatten();
            (key, info)
        })
        .collect()
}

fn is_enum(info: &FieldInfo) -> bool {
    info.kind == Some(FieldType::String)
        && info.values.len() <= MAX_ENUM_VALUES
        && info.count >= ENUM_REPEATS * info.values.len()
}

fn type_name(kind: FieldType) -> &'static str {
    match kind {
        FieldType::String => "string",
        FieldType::Enum => "enum",
        FieldType::Date => "date",
        FieldType::Datetime => "datetime",
        FieldType::Number => "number",
        FieldType::Bool => "bool",
        FieldType::List => "list",
        FieldType::Links => "links",
        FieldType::Tags => "tags",
    }
}

fn write_schema(
    out: &mut String,
    notes: &[&Note],
    fields: &BTreeMap<String, FieldInfo>,
) -> Vec<String> {
    out.push_str("[schema]\n");
    let (required, text) = required(notes, "every note", &[]);
    out.push_str(&text);
    out.push_str("\n[schema.fields]\n# Each property's type, as every note that has it uses it.\n");
    for (key, info) in fields {
        let line = match info.kind {
            Some(_) if is_enum(info) => format!(
                "{} = {{ type = \"enum\", values = {} }}",
                toml_key(key),
                toml_list(&info.values)
            ),
            Some(kind) => format!("{} = {{ type = \"{}\" }}", toml_key(key), type_name(kind)),
            None => format!(
                "# {}: values of different types, not checked",
                toml_key(key)
            ),
        };
        let _ = writeln!(out, "{line}");
    }
    out.push('\n');
    required
}

/// What all `notes` have, beyond `already` (required for every note): the
/// list, and its TOML with a comment for each field nearly all have. `who`
/// names the notes in comments.
fn required(notes: &[&Note], who: &str, already: &[String]) -> (Vec<String>, String) {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for note in notes {
        let keys: BTreeSet<&str> = note
            .properties
            .iter()
            .filter(|p| !p.value.is_null())
            .map(|p| p.key.as_str())
            .collect();
        for key in keys {
            *counts.entry(key).or_default() += 1;
        }
    }
    counts.retain(|key, _| !already.iter().any(|k| k == key));
    let all: Vec<String> = counts
        .iter()
        .filter(|&(_, &n)| n == notes.len() && notes.len() > 1)
        .map(|(k, _)| (*k).to_owned())
        .collect();
    let mut out = String::new();
    for (field, &count) in &counts {
        if count < notes.len() && count * 100 >= notes.len() * NEARLY_ALL_PERCENT {
            let lacking: Vec<&str> = notes
                .iter()
                .filter(|n| n.property(field).is_none_or(Value::is_null))
                .map(|n| n.path.as_str())
                .collect();
            let more = lacking.len().saturating_sub(NAMED_NOTES);
            let mut named = lacking[..lacking.len().min(NAMED_NOTES)].join(", ");
            if more > 0 {
                let _ = write!(named, " and {more} more");
            }
            let _ = writeln!(
                out,
                "# `{field}` is in {count} of {} notes; to require it, add it below and fill it in: {named}",
                notes.len()
            );
        }
    }
    let _ = writeln!(out, "# Properties {who} has.");
    let _ = writeln!(out, "required = {}", toml_list(&all));
    (all, out)
}

fn write_types(out: &mut String, notes: &[&Note], global: &[String]) {
    let mut by_type: BTreeMap<&str, Vec<&Note>> = BTreeMap::new();
    for note in notes {
        if let Some(kind) = note.property("type").and_then(Value::as_str) {
            by_type.entry(kind).or_default().push(note);
        }
    }
    for (kind, members) in by_type.into_iter().filter(|(_, m)| m.len() > 1) {
        let (extra, text) = required(&members, &format!("every `type: {kind}` note"), global);
        if extra.is_empty() && !text.contains("to require it") {
            continue;
        }
        let _ = writeln!(out, "[schema.types.{}]", toml_key(kind));
        out.push_str(&text);
        out.push('\n');
    }
}

fn toml_key(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn toml_list<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<String> = items.into_iter().map(|s| toml_string(s.as_ref())).collect();
    format!("[{}]", items.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn vault() -> Vault {
        Vault::from_sources(
            [
                (
                    "a.md",
                    "---\ntype: book\nstatus: read\ncreated: 2026-01-02\nrating: 4\nrelated: [\"[[b]]\"]\ntags: [x]\n---\n",
                ),
                (
                    "b.md",
                    "---\ntype: book\nstatus: reading\ncreated: 2026-01-03T10:00\nrating: 5\n---\n",
                ),
                (
                    "c.md",
                    "---\ntype: book\nstatus: read\nauthor: \"[[b]]\"\n---\n",
                ),
                (
                    "d.md",
                    "---\ntype: person\nstatus: read\nmixed: 1\nmigrated_from: notion\nmigrated_at: 2026-01-01\n---\n",
                ),
                ("e.md", "---\nstatus: read\nmixed: text\n---\n"),
                ("Templates/t.md", "---\ncreated: {{date}}\n---\n"),
            ],
            Vec::<String>::new(),
        )
    }

    #[test]
    fn the_inferred_config_parses_and_describes_the_vault() {
        let vault = vault();
        let ignore = template_globs(&vault);
        assert_eq!(ignore, ["Templates/**"]);
        let text = config_for(&vault, &ignore);
        let config = Config::from_toml(&text, std::path::Path::new("vaultkit.toml")).expect(&text);
        let fields = &config.schema.fields;
        assert_eq!(fields["status"].kind, FieldType::Enum, "{text}");
        assert_eq!(fields["status"].values, ["read", "reading"]);
        assert_eq!(fields["created"].kind, FieldType::Datetime);
        assert_eq!(fields["rating"].kind, FieldType::Number);
        assert_eq!(fields["related"].kind, FieldType::Links);
        assert_eq!(fields["author"].kind, FieldType::Links);
        assert_eq!(fields["tags"].kind, FieldType::Tags);
        assert!(!fields.contains_key("mixed"));
        assert!(
            text.contains("# mixed: values of different types"),
            "{text}"
        );
        assert_eq!(config.schema.required, ["status"]);
        assert_eq!(config.schema.types["book"].required, ["type"]);
        assert!(!config.schema.types.contains_key("person"));
        assert_eq!(config.migration.sources, ["notion"]);
        assert_eq!(config.ignore, ["Templates/**"]);
    }

    #[test]
    fn a_field_nearly_every_note_has_is_suggested_with_the_notes_that_lack_it() {
        let notes: Vec<(String, String)> = (1..=5)
            .map(|i| {
                let front = if i == 3 { "x: 1" } else { "x: 1\nstatus: ok" };
                (format!("n{i}.md"), format!("---\n{front}\n---\n"))
            })
            .collect();
        let vault = Vault::from_sources(notes, Vec::<String>::new());
        let text = config_for(&vault, &[]);
        assert!(text.contains("required = [\"x\"]\n"), "{text}");
        assert!(
            text.contains(
                "# `status` is in 4 of 5 notes; to require it, add it below and fill it in: n3.md\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn odd_keys_are_quoted() {
        assert_eq!(toml_key("date created"), "\"date created\"");
        assert_eq!(toml_key("due-date_2"), "due-date_2");
    }
}
