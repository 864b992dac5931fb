//! `props`: one property edit planned over many notes. Each note is read,
//! edited in memory and checked against the front-matter rules; a note that
//! cannot be edited, or whose edit the rules would reject, is a refusal,
//! and with any refusal nothing is applied.

use std::path::Path;

use jiff::civil::Date;
use rayon::prelude::*;

use super::frontmatter::{self, NewValue, PropertyEdit};
use super::plan::{FileEdit, Plan};
use crate::config::{Config, FieldType};
use crate::error::{Error, Result};
use crate::lint;
use crate::model::{Diagnostic, Severity};
use crate::parse::{decode, parse_note};

/// A note the edit was refused for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Its vault path.
    pub path: String,
    /// Why, and what to do.
    pub reason: String,
}

/// The plan of an edit, and the notes it was refused for.
#[derive(Debug, Default)]
pub struct Planned {
    /// The notes that change.
    pub plan: Plan,
    /// How many notes were read.
    pub notes: usize,
    /// Notes that cannot take the edit; when there are any, the plan must
    /// not be applied.
    pub refusals: Vec<Refusal>,
}

/// The value `set KEY VALUE` writes: a one-item list for a property that
/// holds a list in Obsidian (`tags`, `aliases`, `cssclasses`) or in the
/// schema of `config`, else the value itself.
pub fn new_value(key: &str, value: String, config: &Config) -> NewValue {
    let listed = ["tags", "aliases", "cssclasses"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(key))
        || std::iter::once(&config.schema.fields)
            .chain(config.schema.types.values().map(|t| &t.fields))
            .filter_map(|fields| fields.get(key))
            .any(|field| {
                matches!(
                    field.kind,
                    FieldType::List | FieldType::Tags | FieldType::Links
                )
            });
    if listed {
        NewValue::List(vec![value])
    } else {
        NewValue::Scalar(value)
    }
}

/// Plans `edit` on the notes at vault paths `paths` of the vault at `root`,
/// checking each edited note against `config`'s rules as of `today`.
pub fn plan(
    root: &Path,
    paths: &[String],
    edit: &PropertyEdit,
    config: &Config,
    today: Date,
) -> Result<Planned> {
    let results: Vec<Result<Option<Result<FileEdit, Refusal>>>> = paths
        .par_iter()
        .map(|path| plan_note(root, path, edit, config, today))
        .collect();
    let mut planned = Planned {
        notes: paths.len(),
        ..Planned::default()
    };
    for result in results {
        match result? {
            Some(Ok(file)) => planned.plan.edits.push(file),
            Some(Err(refusal)) => planned.refusals.push(refusal),
            None => {}
        }
    }
    planned.plan.edits.sort_by(|a, b| a.path.cmp(&b.path));
    planned.refusals.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(planned)
}

/// The edit of one note: `None` when it already says so.
fn plan_note(
    root: &Path,
    path: &str,
    edit: &PropertyEdit,
    config: &Config,
    today: Date,
) -> Result<Option<Result<FileEdit, Refusal>>> {
    let refuse = |reason: String| {
        Ok(Some(Err(Refusal {
            path: path.to_owned(),
            reason,
        })))
    };
    let file = root.join(path);
    let read = std::fs::read(&file).map_err(|err| Error::io(&file, err))?;
    let (text, problem) = decode(path, &read);
    if problem.is_some() {
        // Writing the decoded text back would lose the bytes that are not UTF-8.
        return refuse("it is not valid UTF-8 text; save it as UTF-8 first".into());
    }
    let replacements = match frontmatter::edit(&text, edit) {
        Ok(replacements) if replacements.is_empty() => return Ok(None),
        Ok(replacements) => replacements,
        Err(err) => return refuse(err.to_string()),
    };
    let file = FileEdit::new(
        path.to_owned(),
        read.clone(),
        text.into_owned(),
        replacements,
    );
    let new_errors = rejected(path, &file.before, &file.after, config, today);
    if !new_errors.is_empty() {
        let messages: Vec<String> = new_errors
            .iter()
            .map(|d| match &d.help {
                Some(help) => format!("{} ({help}) [{}]", d.message, d.rule),
                None => format!("{} [{}]", d.message, d.rule),
            })
            .collect();
        return refuse(format!(
            "the edit would break the rules of vaultkit.toml: {}",
            messages.join("; ")
        ));
    }
    Ok(Some(Ok(file)))
}

/// The errors the front-matter rules find in `after` that they did not find
/// in `before`: a note that broke a rule already is not refused for it.
fn rejected(
    path: &str,
    before: &str,
    after: &str,
    config: &Config,
    today: Date,
) -> Vec<Diagnostic> {
    let errors = |text: &str| {
        let parsed = parse_note(path, text);
        let mut found = lint::property_findings(&parsed.note, config, today);
        found.extend(
            parsed
                .diagnostics
                .into_iter()
                .filter(|d| d.rule == "invalid-frontmatter"),
        );
        found.retain(|d| d.severity == Severity::Error);
        found
    };
    let old = errors(before);
    errors(after)
        .into_iter()
        .filter(|new| {
            !old.iter()
                .any(|o| o.rule == new.rule && o.message == new.message)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Config {
        Config::from_toml(toml, Path::new("vaultkit.toml")).expect("valid config")
    }

    #[test]
    fn lists_are_chosen_by_obsidian_and_the_schema() {
        let config = config("[schema.fields]\nrelated = { type = \"links\" }\n");
        let one = |key: &str| new_value(key, "x".into(), &config);
        assert_eq!(one("status"), NewValue::Scalar("x".into()));
        assert_eq!(one("tags"), NewValue::List(vec!["x".into()]));
        assert_eq!(one("related"), NewValue::List(vec!["x".into()]));
    }

    #[test]
    fn an_edit_the_schema_rejects_is_refused_with_the_rule_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("n.md"), "---\nstatus: draft\n---\n").expect("write");
        let config = config(
            "[schema.fields]\nstatus = { type = \"enum\", values = [\"draft\", \"active\"] }\n",
        );
        let today = Date::constant(2026, 1, 10);
        let set = |value: &str| PropertyEdit::Set {
            key: "status".into(),
            value: NewValue::Scalar(value.into()),
        };
        let paths = ["n.md".to_owned()];
        let planned = plan(dir.path(), &paths, &set("done"), &config, today).expect("planned");
        assert_eq!(planned.refusals.len(), 1);
        assert!(
            planned.refusals[0]
                .reason
                .contains("`status: done` is not an allowed value (allowed values: draft, active) [invalid-value]"),
            "{:?}",
            planned.refusals
        );
        let planned = plan(dir.path(), &paths, &set("active"), &config, today).expect("planned");
        assert!(planned.refusals.is_empty());
        assert_eq!(planned.plan.edits[0].after, "---\nstatus: active\n---\n");
    }
}
