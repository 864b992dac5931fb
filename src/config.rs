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
            message: err.to_string().trim_end().to_owned(),
        })?;
        config.ignore_set(origin)?;
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
    fn bad_globs_are_reported() {
        let err = parse("ignore = [\"a/[\"]")
            .expect_err("bad glob")
            .to_string();
        assert!(err.contains("a/["), "{err}");
    }
}
