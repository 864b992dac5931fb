//! `lint --fix` on disk: each note with safe fixes is read again, checked to
//! hold what was linted, fixed and written atomically; or, for a dry run,
//! shown as the text it would become.

use std::path::Path;

use crate::atomic;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::lint::fix::{self, Enabled, Fix, FixLookup};
use crate::lint::is_enabled;
use crate::parse::decode;

/// What became of one note that had something to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The note was rewritten with these fixes.
    Fixed {
        /// Vault path of the note.
        path: String,
        /// The fixes made.
        fixes: Vec<Fix>,
        /// Its text now (decoded: without a byte-order mark), for the
        /// caller to give its vault.
        text: String,
    },
    /// A dry run: the note's text and what it would become.
    WouldFix {
        /// Vault path of the note.
        path: String,
        /// Its text now.
        before: String,
        /// Its text fixed.
        after: String,
    },
    /// The note was left alone.
    Skipped {
        /// Vault path of the note.
        path: String,
        /// Why, and what to do.
        reason: String,
    },
}

/// Which fixes `config` enables: each with the rule whose findings it fixes.
pub fn enabled(config: &Config) -> Enabled {
    Enabled {
        case: is_enabled(config, "case-mismatch"),
        tags: is_enabled(config, "invalid-tag"),
        aliases: is_enabled(config, "broken-link"),
    }
}

/// Fixes every note of `vault` (read from the folder `root`) that `wanted`
/// accepts and has safe fixes, in path order; with `dry_run`, writes nothing.
/// A note that changed since the vault was loaded, is not valid UTF-8, or
/// cannot be rewritten without losing something is skipped with the reason.
pub fn rewrite(
    vault: &impl FixLookup,
    root: &Path,
    config: &Config,
    wanted: &dyn Fn(&str) -> bool,
    dry_run: bool,
) -> Result<Vec<Outcome>> {
    let enabled = enabled(config);
    let mut outcomes = Vec::new();
    for id in fix::candidates(vault, enabled) {
        let Some(path) = vault.note(id).map(|note| &note.path) else {
            continue;
        };
        if !wanted(path) {
            continue;
        }
        let skipped = |reason: &str| Outcome::Skipped {
            path: path.clone(),
            reason: reason.to_owned(),
        };
        let file = root.join(path);
        let bytes = std::fs::read(&file).map_err(|err| Error::io(&file, err))?;
        // Fixes are made on the decoded text: a note that does not decode
        // exactly (bytes that are not UTF-8) would lose the bytes that were
        // replaced, so it is left alone.
        let (text, problem) = decode(path, &bytes);
        if problem.is_some() {
            outcomes.push(skipped(
                "it is not valid UTF-8 text; save it as UTF-8 to fix it",
            ));
            continue;
        }
        let (fixed, fixes) = match fix::fix_note(vault, id, &text, enabled) {
            Ok(Some(done)) => done,
            Ok(None) => continue,
            Err(fix::Stale) => {
                outcomes.push(skipped(STALE));
                continue;
            }
        };
        if dry_run {
            outcomes.push(Outcome::WouldFix {
                path: path.clone(),
                before: text.into_owned(),
                after: fixed,
            });
            continue;
        }
        let new_bytes = atomic::keep_bom(&bytes, &fixed);
        outcomes.push(
            match atomic::write_if_unchanged(&file, &bytes, &new_bytes) {
                Ok(true) => Outcome::Fixed {
                    path: path.clone(),
                    fixes,
                    text: fixed,
                },
                Ok(false) => skipped(STALE),
                Err(Error::Refused { reason, .. }) => skipped(&reason),
                Err(err) => return Err(err),
            },
        );
    }
    Ok(outcomes)
}

const STALE: &str = "it changed since it was read; run lint --fix again";
