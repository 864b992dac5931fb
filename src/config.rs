//! `vaultkit.toml` at the vault root: typed, every key optional, unknown keys refused.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::error::{Error, Result};

/// The config file's name, looked for at the vault root.
pub const FILE_NAME: &str = "vaultkit.toml";

/// The whole configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Globs (vault-relative) of files that are not part of the vault, e.g. `templates/**`.
    pub ignore: Vec<String>,
    /// Lint settings.
    pub lint: LintConfig,
    /// Front-matter schema.
    pub schema: Schema,
    /// Migration checks.
    pub migration: Migration,
    /// Search settings.
    pub search: Search,
    /// Index settings.
    pub index: IndexConfig,
}

/// `[lint]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    /// Rule id to level.
    pub rules: BTreeMap<String, RuleLevel>,
}

/// A rule's configured level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Report as an error.
    Error,
    /// Report as a warning.
    Warning,
    /// Report as information.
    Info,
    /// Do not run.
    Off,
}

/// `[schema]`: rules for every note, plus per-`type` rules.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Schema {
    /// Properties every note must have.
    pub required: Vec<String>,
    /// Property name to its expected shape.
    pub fields: BTreeMap<String, Field>,
    /// Extra rules for notes whose `type` property has this value.
    pub types: BTreeMap<String, TypeSchema>,
}

impl Schema {
    /// The property shapes for a note whose `type` property is `note_type`:
    /// every note's, then that type's, which win.
    pub fn fields_for(&self, note_type: Option<&str>) -> BTreeMap<&str, &Field> {
        let mut fields: BTreeMap<&str, &Field> =
            self.fields.iter().map(|(k, f)| (k.as_str(), f)).collect();
        if let Some(extra) = note_type.and_then(|t| self.types.get(t)) {
            fields.extend(extra.fields.iter().map(|(k, f)| (k.as_str(), f)));
        }
        fields
    }

    /// The properties a note whose `type` property is `note_type` must have.
    pub fn required_for(&self, note_type: Option<&str>) -> Vec<&str> {
        let mut required: Vec<&str> = self.required.iter().map(String::as_str).collect();
        if let Some(extra) = note_type.and_then(|t| self.types.get(t)) {
            required.extend(extra.required.iter().map(String::as_str));
        }
        required
    }
}

/// `[schema.types.<name>]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypeSchema {
    /// Properties these notes must have.
    pub required: Vec<String>,
    /// Property shapes for these notes.
    pub fields: BTreeMap<String, Field>,
}

/// The expected shape of one property.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: FieldType,
    /// For `enum`: the allowed values.
    #[serde(default)]
    pub values: Vec<String>,
}

/// Property types a schema can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    /// Any text.
    String,
    /// One of `values`.
    Enum,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDTHH:MM[:SS]`.
    Datetime,
    /// An integer or decimal.
    Number,
    /// `true` or `false`.
    Bool,
    /// A list.
    List,
    /// A list of resolvable `[[links]]`.
    Links,
    /// A list of valid tags.
    Tags,
}

/// `[migration]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Migration {
    /// Allowed values of `migrated_from`; empty allows any.
    pub sources: Vec<String>,
}

/// `[search]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Search {
    /// Stemming language, or `"none"`.
    pub language: String,
}

impl Default for Search {
    fn default() -> Self {
        Self {
            language: "en".to_owned(),
        }
    }
}

/// `[index]`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct IndexConfig {
    /// Whether a refresh may skip listing folders whose modification time
    /// did not change. Off for file systems that do not update a folder's
    /// time when a file is added to it (some network and cloud mounts).
    pub folder_times: bool,
}

impl Default for IndexConfig {
    fn default() -> Self {
        Self { folder_times: true }
    }
}

impl Config {
    /// Parses a config from TOML text; `origin` names it in errors.
    pub fn from_toml(text: &str, origin: &Path) -> Result<Self> {
        let config: Self = toml::from_str(text).map_err(|err| Error::Config {
            path: origin.to_owned(),
            message: toml_error(text, &err),
        })?;
        config.ignore_set(origin)?;
        // Checked here, so that every command refuses a bad language, not
        // only those that build the index.
        crate::index::schema::analyzer(&config.search.language, origin)?;
        Ok(config)
    }

    /// Reads `<root>/vaultkit.toml`, or the defaults when there is none.
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(FILE_NAME);
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::from_toml(&text, &path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(err) => Err(Error::io(path, err)),
        }
    }

    /// The `ignore` globs, compiled; `origin` names the config in errors.
    pub fn ignore_set(&self, origin: &Path) -> Result<GlobSet> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &self.ignore {
            let glob = Glob::new(pattern).map_err(|err| Error::Config {
                path: origin.to_owned(),
                message: format!("invalid `ignore` pattern `{pattern}`: {err}"),
            })?;
            builder.add(glob);
        }
        builder.build().map_err(|err| Error::Config {
            path: origin.to_owned(),
            message: err.to_string(),
        })
    }
}

/// Characters of the offending line shown on each side of a TOML error.
const EXCERPT_RADIUS: usize = 40;

/// A TOML error as `line L, column C: message` and the part of the line
/// around the error, marked: at most about `2 * EXCERPT_RADIUS` characters,
/// however long the line is.
fn toml_error(text: &str, err: &toml::de::Error) -> String {
    let message = err.message().trim_end();
    let Some(at) = err.span().map(|span| span.start.min(text.len())) else {
        return message.to_owned();
    };
    let at = (0..=at)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find(['\n', '\r']).map_or(text.len(), |i| at + i);
    let line_number = text[..at].matches('\n').count() + 1;
    let before: Vec<char> = text[line_start..at].chars().collect();
    let after: Vec<char> = text[at..line_end].chars().collect();
    let column = before.len() + 1;
    let shown_before = &before[before.len().saturating_sub(EXCERPT_RADIUS)..];
    let shown_after = &after[..after.len().min(EXCERPT_RADIUS)];
    let lead = if shown_before.len() < before.len() {
        "…"
    } else {
        ""
    };
    let tail = if shown_after.len() < after.len() {
        "…"
    } else {
        ""
    };
    let excerpt: String = lead
        .chars()
        .chain(shown_before.iter().copied())
        .chain(shown_after.iter().copied())
        .chain(tail.chars())
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let gutter = " ".repeat(line_number.to_string().len());
    let caret = " ".repeat(lead.chars().count() + shown_before.len());
    format!(
        "line {line_number}, column {column}: {message}\n{gutter} |\n{line_number} | {excerpt}\n{gutter} | {caret}^"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config> {
        Config::from_toml(text, Path::new("vaultkit.toml"))
    }

    #[test]
    fn the_documented_example_parses() {
        let config = parse(
            r#"
ignore = ["templates/**"]
[lint.rules]
orphan-note = "warning"
[schema]
required = ["created", "status"]
[schema.fields]
status = { type = "enum", values = ["active", "draft", "archived"] }
created = { type = "date" }
related = { type = "links" }
[schema.types.resource]
required = ["tags"]
[migration]
sources = ["notion", "evernote"]
[search]
language = "none"
[index]
folder_times = false
"#,
        )
        .expect("valid config");
        assert_eq!(config.ignore, ["templates/**"]);
        assert_eq!(config.lint.rules["orphan-note"], RuleLevel::Warning);
        assert_eq!(config.schema.fields["status"].values.len(), 3);
        assert_eq!(config.schema.fields["created"].kind, FieldType::Date);
        assert_eq!(config.schema.types["resource"].required, ["tags"]);
        assert_eq!(config.search.language, "none");
        assert!(!config.index.folder_times);
        assert!(Config::default().index.folder_times);
    }

    #[test]
    fn empty_config_is_the_default() {
        assert_eq!(parse("").expect("valid"), Config::default());
        assert_eq!(Config::default().search.language, "en");
    }

    #[test]
    fn unknown_keys_are_named() {
        let err = parse("ignored = []").expect_err("unknown key").to_string();
        assert!(err.contains("ignored"), "{err}");
        let err = parse("[schema]\nrequird = []")
            .expect_err("unknown key")
            .to_string();
        assert!(err.contains("requird"), "{err}");
    }

    #[test]
    fn a_syntax_error_shows_a_bounded_excerpt_of_its_line() {
        let err = parse("x = \n").expect_err("no value").to_string();
        assert!(
            err.starts_with("vaultkit.toml: line 1, column 5: string values must be quoted"),
            "{err}"
        );
        assert!(err.ends_with("\n  |\n1 | x = \n  |     ^"), "{err}");
        let long = format!("a = 1\nx = \"{}\" y\n", "é".repeat(200_000));
        let err = parse(&long).expect_err("junk after the value").to_string();
        assert!(err.len() < 400, "{} bytes: {err}", err.len());
        assert!(err.contains("line 2, column 200008:"), "{err}");
        assert!(err.contains("\n2 | …éééé"), "{err}");
        assert!(
            err.ends_with(&format!("{}^", " ".repeat(EXCERPT_RADIUS + 1))),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_language_is_refused_when_the_config_loads() {
        let err = parse("[search]\nlanguage = \"klingon\"")
            .expect_err("no such stemmer")
            .to_string();
        assert!(
            err.starts_with(
                "vaultkit.toml: [search] language = \"klingon\" is not a stemming language"
            ),
            "{err}"
        );
        assert!(parse("[search]\nlanguage = \"de\"").is_ok());
    }

    #[test]
    fn bad_globs_are_reported() {
        let err = parse("ignore = [\"a/[\"]")
            .expect_err("bad glob")
            .to_string();
        assert!(err.contains("a/["), "{err}");
    }
}
