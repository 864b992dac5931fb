//! `vaultkit lint`: rules over a loaded vault, as findings.
//!
//! Every rule has a stable kebab-case id and a default severity; `vaultkit.toml`
//! can change a rule's severity or turn it off. Findings about reading a note
//! (invalid YAML, a legacy tag form, a file that is not UTF-8) are produced
//! while parsing; the rules here add links, front-matter values and structure.

pub mod baseline;
mod bases;
pub mod cache;
pub mod changes;
pub mod fix;
mod frontmatter;
mod links;
pub mod rewrite;
mod schema;
mod structure;

use std::collections::BTreeMap;

use jiff::civil::Date;

use crate::config::{Config, RuleLevel};
use crate::model::{Diagnostic, Note, Severity};
use crate::vault::{FileId, NoteId, Resolution};
pub use bases::{BaseSource, read_sources as read_bases};

/// A lint rule: its id, default severity (`None` when off by default) and a
/// one-line summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable kebab-case id.
    pub id: &'static str,
    /// Severity when the config says nothing; `None` means off.
    pub default: Option<Severity>,
    /// What the rule checks.
    pub summary: &'static str,
}

const fn rule(id: &'static str, default: Option<Severity>, summary: &'static str) -> Rule {
    Rule {
        id,
        default,
        summary,
    }
}

use Severity::{Error, Info, Warning};

/// Every rule, in the order they are documented.
pub const RULES: &[Rule] = &[
    rule(
        "broken-link",
        Some(Error),
        "a link whose target is no note or file",
    ),
    rule(
        "broken-embed",
        Some(Error),
        "an embed whose target is no note or file",
    ),
    rule(
        "broken-heading",
        Some(Error),
        "a link to a heading the target note does not have",
    ),
    rule(
        "broken-block",
        Some(Error),
        "a link to a block id the target note does not have",
    ),
    rule(
        "ambiguous-link",
        Some(Warning),
        "a link that several files match equally well",
    ),
    rule(
        "case-mismatch",
        Some(Info),
        "a link that matches its target only when case is ignored",
    ),
    rule(
        "invalid-frontmatter",
        Some(Error),
        "front matter that is not valid YAML properties",
    ),
    rule(
        "missing-field",
        Some(Error),
        "a property the schema requires is missing or empty",
    ),
    rule(
        "invalid-value",
        Some(Error),
        "a property value outside the schema's allowed values",
    ),
    rule(
        "invalid-type",
        Some(Error),
        "a property whose value is not of the schema's type",
    ),
    rule(
        "invalid-tag",
        Some(Warning),
        "a tag Obsidian does not read, or a legacy tag form",
    ),
    rule(
        "invalid-date",
        Some(Error),
        "a date property that is not an ISO 8601 date, or impossible",
    ),
    rule(
        "future-date",
        Some(Warning),
        "a `created` or `migrated_at` date after today",
    ),
    rule(
        "migration-incomplete",
        Some(Error),
        "`migrated_from` without `migrated_at`, or the reverse",
    ),
    rule(
        "migration-before-created",
        Some(Error),
        "`migrated_at` earlier than `created`",
    ),
    rule(
        "unknown-migration-source",
        Some(Error),
        "`migrated_from` not among `[migration] sources`",
    ),
    rule(
        "duplicate-alias",
        Some(Warning),
        "an alias claimed by two notes, or naming another note",
    ),
    rule(
        "empty-section",
        Some(Info),
        "a heading with nothing under it",
    ),
    rule(
        "empty-note",
        Some(Warning),
        "a note with neither properties nor text",
    ),
    rule("orphan-note", None, "a note with no links in or out"),
    rule(
        "invalid-base",
        Some(Error),
        "a base file or block that does not parse, or calls what does not exist",
    ),
    rule(
        "base-type-mismatch",
        Some(Warning),
        "a base compares a property with a literal its schema type never matches",
    ),
    rule(
        "invalid-encoding",
        Some(Error),
        "a note that is not valid UTF-8",
    ),
    rule(
        "unreadable-note",
        Some(Error),
        "a .md file that holds binary data",
    ),
    rule(
        "unreadable-file",
        Some(Error),
        "a file or folder that cannot be read",
    ),
    rule(
        "symlink-skipped",
        Some(Info),
        "a symbolic link, which vaultkit does not follow",
    ),
];

/// `docs/rules.md`: one `## rule-id` section per rule.
const RULE_DOCS: &str = include_str!("../../docs/rules.md");

/// The documentation of a rule: its section of `docs/rules.md`.
pub fn explain(id: &str) -> Option<&'static str> {
    let heading = format!("\n## {id}\n");
    let start = RULE_DOCS.find(&heading)? + heading.len();
    let end = RULE_DOCS[start..]
        .find("\n## ")
        .map_or(RULE_DOCS.len(), |i| start + i);
    Some(RULE_DOCS[start..end].trim())
}

/// Looks a rule up by id.
pub fn rule_by_id(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Errors in the `[lint.rules]` table: ids that name no rule.
pub fn unknown_rules(config: &Config) -> Vec<String> {
    config
        .lint
        .rules
        .keys()
        .filter(|id| rule_by_id(id).is_none())
        .cloned()
        .collect()
}

/// What the rules read of a vault around the note they check, as the live
/// vault (`vault::live::LiveVault`) answers it: the rules see no more of
/// the vault than this.
pub trait Lookup {
    /// A note the vault holds.
    fn note(&self, id: NoteId) -> Option<&Note>;
    /// How each of a note's links resolves, index for index with `Note::links`.
    fn resolutions(&self, id: NoteId) -> &[Resolution];
    /// The problems found while parsing a note.
    fn parse_diagnostics(&self, id: NoteId) -> &[Diagnostic];
    /// A file's vault path (empty for an id the vault does not hold).
    fn file_path(&self, file: FileId) -> &str;
    /// The paths of the notes that list `alias` among their aliases
    /// (compared folded, once trimmed), in path order.
    fn alias_owners(&self, alias: &str) -> Vec<&str>;
    /// The path of the note whose folded title is `folded`, the last in
    /// path order when several are.
    fn titled(&self, folded: &str) -> Option<&str>;
    /// Whether a link in another note leads to this one.
    fn linked_from_others(&self, id: NoteId) -> bool;
}

/// `findings` with those about `bases` added (with the configured
/// severities), sorted by path, line and column.
pub fn with_bases(
    findings: Vec<Diagnostic>,
    bases: &[BaseSource],
    config: &Config,
) -> Vec<Diagnostic> {
    let mut about_bases = Vec::new();
    bases::check(bases, &config.schema, &mut about_bases);
    if about_bases.is_empty() {
        return findings;
    }
    with_problems(&about_bases, findings, config)
}

/// A vault's findings: the scan's `problems` with the configured severities
/// (those of rules turned off dropped), and every note's findings as
/// [`check_note`] gives them, in path order; sorted by path, line and column.
pub fn with_problems(
    problems: &[Diagnostic],
    per_note: impl IntoIterator<Item = Diagnostic>,
    config: &Config,
) -> Vec<Diagnostic> {
    let mut findings = problems.to_vec();
    with_severities(&mut findings, &config.lint.rules);
    findings.extend(per_note);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// Every enabled rule's findings about one note (its parse problems
/// included), sorted by line and column, with the configured severities.
/// Vault-wide rules (duplicate aliases, ambiguous links, orphans) look at
/// the rest of the vault through `vault`.
pub fn check_note(
    vault: &impl Lookup,
    id: NoteId,
    config: &Config,
    today: Date,
) -> Vec<Diagnostic> {
    let Some(note) = vault.note(id) else {
        return Vec::new();
    };
    let levels = &config.lint.rules;
    let mut findings = vault.parse_diagnostics(id).to_vec();
    links::check(vault, id, note, &mut findings);
    frontmatter::check(note, config, today, &mut findings);
    schema::check(vault, note, &config.schema, &mut findings);
    let with_orphans = severity_of("orphan-note", levels).is_some();
    structure::check(vault, id, note, with_orphans, &mut findings);
    with_severities(&mut findings, levels);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}

/// The findings of the front-matter rules (dates, migration fields, the
/// schema) about one note on its own, with the configured severities: what
/// an edit of its properties is checked against.
pub fn property_findings(note: &Note, config: &Config, today: Date) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    frontmatter::check(note, config, today, &mut findings);
    schema::check_note(note, &config.schema, &mut findings);
    with_severities(&mut findings, &config.lint.rules);
    findings
}

/// Gives findings their configured severities, dropping those of rules
/// turned off.
fn with_severities(findings: &mut Vec<Diagnostic>, levels: &BTreeMap<String, RuleLevel>) {
    findings.retain_mut(|finding| {
        debug_assert!(
            rule_by_id(finding.rule).is_some(),
            "unregistered rule {}",
            finding.rule
        );
        severity_of(finding.rule, levels).is_some_and(|severity| {
            finding.severity = severity;
            true
        })
    });
}

/// Whether the config leaves rule `id` on.
pub fn is_enabled(config: &Config, id: &str) -> bool {
    severity_of(id, &config.lint.rules).is_some()
}

fn severity_of(id: &str, levels: &BTreeMap<String, RuleLevel>) -> Option<Severity> {
    match levels.get(id) {
        Some(RuleLevel::Error) => Some(Error),
        Some(RuleLevel::Warning) => Some(Warning),
        Some(RuleLevel::Info) => Some(Info),
        Some(RuleLevel::Off) => None,
        None => rule_by_id(id).and_then(|r| r.default),
    }
}

/// Counts for the summary line and JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Info findings.
    pub infos: usize,
    /// Distinct files with findings.
    pub notes: usize,
}

impl Summary {
    /// Counts `findings`.
    pub fn of(findings: &[Diagnostic]) -> Self {
        let mut summary = Self::default();
        let mut paths = std::collections::HashSet::new();
        for finding in findings {
            match finding.severity {
                Error => summary.errors += 1,
                Warning => summary.warnings += 1,
                Info => summary.infos += 1,
            }
            paths.insert(finding.path.as_str());
        }
        summary.notes = paths.len();
        summary
    }
}

/// What one rule, run on every note of `vault` in path order, finds: for
/// the rules' own tests.
#[cfg(test)]
fn each_note(
    vault: &crate::vault::Vault,
    mut rule: impl FnMut(&crate::vault::live::LiveVault, NoteId, &Note, &mut Vec<Diagnostic>),
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for id in vault.note_ids() {
        rule(vault.live(), id, vault.note(id), &mut found);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for rule in RULES {
            assert!(seen.insert(rule.id), "{} twice", rule.id);
            assert!(
                rule.id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn config_changes_severity_and_turns_rules_off() {
        let today = Date::constant(2026, 1, 1);
        let run = |config: &Config| {
            crate::vault::live::LiveVault::from_sources(
                [("a.md", "[[missing]] ![[gone.png]]")],
                Vec::<String>::new(),
                config.clone(),
                today,
            )
            .findings()
        };
        let rules = |findings: &[Diagnostic]| {
            findings
                .iter()
                .map(|f| (f.rule, f.severity))
                .collect::<Vec<_>>()
        };
        let default = run(&Config::default());
        assert_eq!(
            rules(&default),
            [("broken-link", Error), ("broken-embed", Error)]
        );
        let config = Config::from_toml(
            "[lint.rules]\nbroken-link = \"warning\"\nbroken-embed = \"off\"\n",
            std::path::Path::new("vaultkit.toml"),
        )
        .expect("valid config");
        assert_eq!(rules(&run(&config)), [("broken-link", Warning)]);
    }

    #[test]
    fn every_rule_is_documented_with_its_default() {
        for rule in RULES {
            let doc = explain(rule.id).unwrap_or_else(|| panic!("no section for {}", rule.id));
            let default = rule.default.map_or("off", Severity::as_str);
            assert!(
                doc.starts_with(&format!("Default: {default}.")),
                "{}: {doc}",
                rule.id
            );
        }
        assert_eq!(explain("no-such-rule"), None);
    }

    #[test]
    fn unknown_rule_ids_are_found() {
        let config = Config::from_toml(
            "[lint.rules]\nbroken-lnk = \"off\"\n",
            std::path::Path::new("vaultkit.toml"),
        )
        .expect("valid toml");
        assert_eq!(unknown_rules(&config), ["broken-lnk"]);
    }
}
