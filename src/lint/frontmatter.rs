//! Front-matter value rules: dates and the migration fields of notes moved in
//! from another tool (`migrated_from`, `migrated_at`).

use jiff::civil::{Date, DateTime};
use serde_json::Value;

use crate::config::Config;
use crate::model::{Diagnostic, Note, Severity};

/// Properties that hold a date whenever they are present.
pub(super) const DATE_FIELDS: &[&str] = &["created", "migrated_at"];

/// Adds findings for a note's dates and migration fields.
pub fn check(note: &Note, config: &Config, today: Date, out: &mut Vec<Diagnostic>) {
    let finding = |rule, severity, key: &str, message: String| {
        let diagnostic = Diagnostic::new(rule, severity, note.path.as_str(), message);
        diagnostic.at(note
            .properties
            .iter()
            .find(|p| p.key == key)
            .map(|p| p.span))
    };
    let mut dates = Vec::new();
    for &key in DATE_FIELDS {
        let Some(value) = present(note, key) else {
            continue;
        };
        match parse_date(value) {
            Some(date) if date > today => out.push(finding(
                "future-date",
                Severity::Warning,
                key,
                format!("`{key}: {date}` is after today ({today})"),
            )),
            Some(date) => dates.push((key, date)),
            None => out.push(
                finding(
                    "invalid-date",
                    Severity::Error,
                    key,
                    format!("`{key}` is not a valid date: it holds {}", describe(value)),
                )
                .with_help("write an ISO 8601 date such as 2026-01-10 (or 2026-01-10T09:30)"),
            ),
        }
    }
    let from = present(note, "migrated_from");
    let at = present(note, "migrated_at");
    match (from, at) {
        (Some(_), None) => out.push(
            finding(
                "migration-incomplete",
                Severity::Error,
                "migrated_from",
                "`migrated_from` is set but `migrated_at` is missing".to_owned(),
            )
            .with_help("add `migrated_at:` with the date the note was moved"),
        ),
        (None, Some(_)) => out.push(
            finding(
                "migration-incomplete",
                Severity::Error,
                "migrated_at",
                "`migrated_at` is set but `migrated_from` is missing".to_owned(),
            )
            .with_help("add `migrated_from:` with the tool the note came from"),
        ),
        _ => {}
    }
    let date_of = |key| dates.iter().find(|(k, _)| *k == key).map(|(_, d)| *d);
    if let (Some(created), Some(migrated)) = (date_of("created"), date_of("migrated_at"))
        && migrated < created
    {
        out.push(
            finding(
                "migration-before-created",
                Severity::Error,
                "migrated_at",
                format!("`migrated_at: {migrated}` is before `created: {created}`"),
            )
            .with_help("a note cannot be migrated before it was created: check both dates"),
        );
    }
    let sources = &config.migration.sources;
    if let Some(source) = from.and_then(Value::as_str)
        && !sources.is_empty()
        && !sources.iter().any(|s| s.eq_ignore_ascii_case(source))
    {
        out.push(
            finding(
                "unknown-migration-source",
                Severity::Error,
                "migrated_from",
                format!("`migrated_from: {source}` is not a known source"),
            )
            .with_help(format!(
                "known sources ([migration] sources): {}",
                sources.join(", ")
            )),
        );
    }
}

/// `2026-01-10` or `2026-01-10T09:30[:00]`: the date part; `None` when the
/// value is not text or not a real calendar date.
pub(super) fn parse_date(value: &Value) -> Option<Date> {
    let text = value.as_str()?.trim();
    text.parse::<Date>()
        .ok()
        .filter(|_| text.len() == 10)
        .or_else(|| text.parse::<DateTime>().ok().map(|dt| dt.date()))
}

/// A property's value, unless it is missing or empty (`key:` alone).
pub(super) fn present<'n>(note: &'n Note, key: &str) -> Option<&'n Value> {
    note.property(key).filter(|v| !v.is_null())
}

/// What a value is, in words, for a message.
pub(super) fn describe(value: &Value) -> String {
    match value {
        Value::String(s) => format!("`{s}`"),
        Value::Number(n) => format!("the number {n}"),
        Value::Bool(b) => format!("`{b}`"),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => {
            "a mapping (an unquoted `{{…}}` placeholder is YAML for one)".to_owned()
        }
        Value::Null => "nothing".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(front: &str, config: &Config) -> Vec<&'static str> {
        let text = format!("---\n{front}\n---\nbody");
        let note = crate::parse::parse_note("n.md", &text).note;
        let mut out = Vec::new();
        check(&note, config, Date::constant(2026, 11, 26), &mut out);
        out.iter().map(|d| d.rule).collect()
    }

    #[test]
    fn the_seed_notes_fields_pass() {
        let seed = "created: 2026-01-10\nmigrated_from: notion\nmigrated_at: 2026-01-10";
        assert!(rules(seed, &Config::default()).is_empty());
    }

    #[test]
    fn dates_must_be_real_iso_dates() {
        let config = Config::default();
        assert_eq!(rules("created: 2026-02-30", &config), ["invalid-date"]);
        assert_eq!(rules("created: 10/01/2026", &config), ["invalid-date"]);
        assert_eq!(rules("created: 2026", &config), ["invalid-date"]);
        assert!(rules("created: 2026-01-10T09:30:00", &config).is_empty());
        assert!(rules("created:", &config).is_empty());
        assert_eq!(rules("created: {{date}}", &config), ["invalid-date"]);
        assert_eq!(rules("created: 2027-01-01", &config), ["future-date"]);
    }

    #[test]
    fn migration_fields_go_together_and_in_order() {
        let config = Config::default();
        assert_eq!(
            rules("migrated_from: notion", &config),
            ["migration-incomplete"]
        );
        assert_eq!(
            rules("migrated_at: 2026-01-10", &config),
            ["migration-incomplete"]
        );
        assert_eq!(
            rules(
                "created: 2026-02-01\nmigrated_from: notion\nmigrated_at: 2026-01-10",
                &config
            ),
            ["migration-before-created"]
        );
    }

    #[test]
    fn migration_sources_come_from_the_config() {
        let config = Config::from_toml(
            "[migration]\nsources = [\"notion\"]",
            std::path::Path::new("vaultkit.toml"),
        )
        .expect("valid");
        let front = "migrated_from: evernote\nmigrated_at: 2026-01-10";
        assert_eq!(rules(front, &config), ["unknown-migration-source"]);
        assert!(rules(front, &Config::default()).is_empty());
    }
}
