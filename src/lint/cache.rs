//! The findings of `lint` an index keeps for an unchanged vault, so that a
//! second run on the same vault answers without running the rules.

use jiff::civil::Date;

use crate::config::Config;
use crate::index::{Index, codec, kept};
use crate::lint::RULES;
use crate::model::Diagnostic;

/// The findings `index` keeps. They depend on the vault, and also on the
/// configuration, today's date (`future-date`) and the problems the scan
/// found: those make the key.
pub struct Kept<'a> {
    index: &'a Index,
    key: Vec<u8>,
    today: Date,
}

impl<'a> Kept<'a> {
    /// The findings `index` may keep for a run with `config` whose scan found `problems`.
    pub fn new(index: &'a Index, config: &Config, problems: &[Diagnostic]) -> Self {
        let today = today();
        let mut key = format!("{config:?}\n{today}\n").into_bytes();
        key.extend(codec::encode_diagnostics(problems));
        Self { index, key, today }
    }

    /// The date the findings are for.
    pub fn today(&self) -> Date {
        self.today
    }

    /// The findings kept for this vault and key, if any.
    pub fn findings(&self) -> Option<Vec<Diagnostic>> {
        let rules: Vec<&'static str> = RULES.iter().map(|rule| rule.id).collect();
        let bytes = self.index.kept(kept::LINT, &self.key)?;
        codec::decode_diagnostics(&bytes, &rules).ok()
    }

    /// Keeps `findings` for this vault and key.
    pub fn keep(&self, findings: &[Diagnostic]) {
        let bytes = codec::encode_diagnostics(findings);
        self.index.keep(kept::LINT, &self.key, &bytes);
    }
}

/// Today's date where vaultkit runs.
pub fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}
