//! Baselines: the findings a vault already had when the linter was adopted,
//! so that CI reports only new ones.
//!
//! A finding's fingerprint hashes its rule, its file and its context: the
//! offending text (whitespace collapsed) and the message with any line or
//! column numbers masked. Lines added or removed elsewhere in the note leave
//! it unchanged; editing the offending text itself makes a new finding.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::model::Diagnostic;

/// The baseline file's format version.
const VERSION: u32 = 1;

/// A baseline file: one entry per finding (a finding that occurs twice has two).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version, 1.
    pub version: u32,
    /// The findings, in report order.
    pub findings: Vec<Entry>,
}

/// One finding in a baseline; rule, path and message are there for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// What identifies the finding across unrelated edits.
    pub fingerprint: String,
    /// The rule id.
    pub rule: String,
    /// Vault-relative path.
    pub path: String,
    /// The message when the baseline was written.
    pub message: String,
}

/// What a baseline leaves of a run's findings.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filtered {
    /// Findings the baseline does not have.
    pub new: Vec<Diagnostic>,
    /// Baseline entries no current finding matches: fixed since.
    pub gone: Vec<Entry>,
}

/// The fingerprint of `finding`; `source` is its file's text, when readable,
/// from which the offending text is taken.
pub fn fingerprint(finding: &Diagnostic, source: Option<&str>) -> String {
    static POSITION: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)\b(line|column|col)\s+\d+").expect("valid regex"));
    let offending = finding
        .span
        .zip(source)
        .and_then(|(span, text)| text.get(span.start as usize..span.end as usize))
        .unwrap_or_default();
    let mut hasher = fnv::FnvHasher::default();
    for part in [
        finding.rule,
        &finding.path,
        &collapse_whitespace(offending),
        &POSITION.replace_all(&finding.message, "$1 #"),
    ] {
        hasher.write(part.as_bytes());
        hasher.write_u8(0);
    }
    format!("{:016x}", hasher.finish())
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Baseline {
    /// A baseline of `findings`, each paired with its fingerprint.
    pub fn of(findings: &[Diagnostic], fingerprints: &[String]) -> Self {
        let findings = findings
            .iter()
            .zip(fingerprints)
            .map(|(finding, fingerprint)| Entry {
                fingerprint: fingerprint.clone(),
                rule: finding.rule.to_owned(),
                path: finding.path.clone(),
                message: finding.message.clone(),
            })
            .collect();
        Self {
            version: VERSION,
            findings,
        }
    }

    /// Reads a baseline file's text.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let baseline: Self = serde_json::from_str(text).map_err(|err| err.to_string())?;
        if baseline.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// The baseline file's text.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a baseline serializes");
        text.push('\n');
        text
    }

    /// Splits `findings` (paired with their fingerprints) into those the
    /// baseline does not have, and lists the entries nothing matched. Each
    /// entry excuses one finding: a fingerprint the baseline has twice excuses
    /// two, and a third occurrence is new.
    pub fn filter(&self, findings: Vec<Diagnostic>, fingerprints: &[String]) -> Filtered {
        let mut left: HashMap<&str, usize> = HashMap::new();
        for entry in &self.findings {
            *left.entry(entry.fingerprint.as_str()).or_default() += 1;
        }
        let mut new = Vec::new();
        for (finding, fingerprint) in findings.into_iter().zip(fingerprints) {
            match left.get_mut(fingerprint.as_str()) {
                Some(count) if *count > 0 => *count -= 1,
                _ => new.push(finding),
            }
        }
        let mut gone = Vec::new();
        for entry in self.findings.iter().rev() {
            if let Some(count) = left.get_mut(entry.fingerprint.as_str())
                && *count > 0
            {
                *count -= 1;
                gone.push(entry.clone());
            }
        }
        gone.reverse();
        Filtered { new, gone }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LineIndex;
    use crate::model::Severity;

    fn broken(text: &str, needle: &str) -> (Diagnostic, String) {
        let start = text.find(needle).expect("needle");
        let span = LineIndex::new(text).span(start, start + needle.len());
        let finding =
            Diagnostic::new("broken-link", Severity::Error, "a.md", "leads nowhere").at(span);
        let print = fingerprint(&finding, Some(text));
        (finding, print)
    }

    #[test]
    fn fingerprints_ignore_where_the_text_moved() {
        let (_, before) = broken("intro\nsee [[X]]\n", "[[X]]");
        let (_, after) = broken("new line\nintro\n\nsee  [[X]]\n", "[[X]]");
        assert_eq!(before, after);
        let (_, other) = broken("intro\nsee [[Y]]\n", "[[Y]]");
        assert_ne!(before, other);
    }

    #[test]
    fn line_numbers_in_messages_are_masked() {
        let at = |line: u32| {
            let finding = Diagnostic::new(
                "invalid-encoding",
                Severity::Error,
                "a.md",
                format!("first bad byte on line {line}"),
            );
            fingerprint(&finding, None)
        };
        assert_eq!(at(3), at(30));
    }

    #[test]
    fn each_entry_excuses_one_finding_and_unmatched_entries_are_listed() {
        let (first, print) = broken("[[X]]", "[[X]]");
        let baseline = Baseline::of(std::slice::from_ref(&first), std::slice::from_ref(&print));
        let again = baseline.filter(
            vec![first.clone(), first.clone()],
            &[print.clone(), print.clone()],
        );
        assert_eq!(again.new, std::slice::from_ref(&first));
        assert!(again.gone.is_empty());
        let fixed = baseline.filter(Vec::new(), &[]);
        assert_eq!(fixed.gone, baseline.findings);
        let text = baseline.to_json();
        assert_eq!(Baseline::from_json(&text), Ok(baseline));
        assert!(Baseline::from_json("{\"version\":2,\"findings\":[]}").is_err());
    }
}
