//! Linting a live vault: every finding at once ([`findings`]), or each
//! note's findings kept current as the vault changes ([`Findings`]).
//!
//! The vault knows nothing of the rules: a change reports the notes whose
//! findings may have changed (`Changes::lint`), and [`Findings::update`]
//! lints those again.

use std::collections::BTreeSet;

use jiff::civil::Date;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::fix::FixLookup;
use super::{Lookup, check_note, with_problems};
use crate::config::Config;
use crate::model::{Diagnostic, Note};
use crate::vault::change::Changes;
use crate::vault::live::LiveVault;
use crate::vault::{FileId, NoteId, Resolution};

/// Every finding of the vault, as `vaultkit lint` reports them: the scan's
/// problems with their configured severities and every note's findings
/// with `config` as on the day `today`, sorted by path, line and column.
pub fn findings(vault: &LiveVault, config: &Config, today: Date) -> Vec<Diagnostic> {
    let per_note = lint_notes(vault, &vault.note_ids().collect::<Vec<_>>(), config, today);
    with_problems(vault.problems(), per_note.into_iter().flatten(), config)
}

/// Each note's findings, linted in parallel.
fn lint_notes(
    vault: &LiveVault,
    ids: &[NoteId],
    config: &Config,
    today: Date,
) -> Vec<Vec<Diagnostic>> {
    vault.build_indexes();
    ids.par_iter()
        .map(|&id| check_note(vault, id, config, today))
        .collect()
}

/// Every note's findings for a live vault, with a configuration and a day.
pub struct Findings {
    config: Config,
    today: Date,
    notes: FxHashMap<NoteId, Vec<Diagnostic>>,
}

impl Findings {
    /// Lints every note of `vault` with `config` as on the day `today`.
    pub fn new(vault: &LiveVault, config: Config, today: Date) -> Self {
        let mut findings = Self {
            config,
            today,
            notes: FxHashMap::default(),
        };
        findings.relint(vault, vault.note_ids().collect());
        findings
    }

    /// The configuration the notes are linted with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A note's findings (its parse problems included), sorted by line
    /// and column.
    pub fn of(&self, id: NoteId) -> &[Diagnostic] {
        self.notes.get(&id).map_or(&[], Vec::as_slice)
    }

    /// Lints again the notes `changes` (a change of `vault`) says may have
    /// changed, and forgets the removed ones; returns the notes whose
    /// findings changed.
    pub fn update(&mut self, vault: &LiveVault, changes: &Changes) -> BTreeSet<NoteId> {
        for file in &changes.removed {
            if let FileId::Note(id) = file {
                self.notes.remove(id);
            }
        }
        self.relint(vault, changes.lint.iter().copied().collect())
    }

    /// Lints as on the day `today` from now on; returns the notes whose
    /// findings changed.
    pub fn set_today(&mut self, vault: &LiveVault, today: Date) -> BTreeSet<NoteId> {
        if today == self.today {
            return BTreeSet::new();
        }
        self.today = today;
        self.relint(vault, vault.note_ids().collect())
    }

    /// Lints these notes again; returns those whose findings changed.
    fn relint(&mut self, vault: &LiveVault, ids: Vec<NoteId>) -> BTreeSet<NoteId> {
        let found = lint_notes(vault, &ids, &self.config, self.today);
        let mut changed = BTreeSet::new();
        for (id, diagnostics) in ids.into_iter().zip(found) {
            if self.notes.get(&id) != Some(&diagnostics) {
                self.notes.insert(id, diagnostics);
                changed.insert(id);
            }
        }
        changed
    }
}

impl Lookup for LiveVault {
    fn note(&self, id: NoteId) -> Option<&Note> {
        LiveVault::note(self, id)
    }

    fn resolutions(&self, id: NoteId) -> &[Resolution] {
        LiveVault::resolutions(self, id)
    }

    fn parse_diagnostics(&self, id: NoteId) -> &[Diagnostic] {
        LiveVault::parse_diagnostics(self, id)
    }

    fn file_path(&self, file: FileId) -> &str {
        LiveVault::file_path(self, file).unwrap_or_default()
    }

    fn alias_owners(&self, alias: &str) -> Vec<&str> {
        let mut owners: Vec<&str> = (self.notes_with_alias(alias).iter())
            .filter_map(|&id| Some(self.note(id)?.path.as_str()))
            .collect();
        owners.sort();
        owners
    }

    fn titled(&self, folded: &str) -> Option<&str> {
        (self.notes_titled(folded).iter())
            .filter_map(|&id| Some(self.note(id)?.path.as_str()))
            .max()
    }

    fn linked_from_others(&self, id: NoteId) -> bool {
        self.backlinks(FileId::Note(id)).any(|at| at.source != id)
    }
}

impl FixLookup for LiveVault {
    fn note_ids(&self) -> Vec<NoteId> {
        LiveVault::note_ids(self).collect()
    }

    fn resolve_from_root(&self, link_path: &str) -> Option<FileId> {
        self.resolve_path(link_path, "").target
    }
}
