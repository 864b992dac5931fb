//! Linting a change (`--changed-since REV`, or PATHS that name a deleted
//! file): besides the findings in changed files, a deleted or renamed note
//! breaks links in notes nobody touched, and those belong to the change too.

use std::collections::HashSet;
use std::path::Path;

use crate::error::{Error, Result};
use crate::model::{Link, Span};
use crate::vault::FileId;
use crate::vault::resolve::Resolver;

/// Which of a vault's `unresolved` links (each with the path of its note)
/// one of `deleted` (vault paths of files that no longer exist) would have
/// resolved: `(note path, span)`.
pub fn links_into_deleted<'v>(
    unresolved: impl IntoIterator<Item = (&'v str, &'v Link)>,
    deleted: &[String],
) -> Vec<(String, Span)> {
    if deleted.is_empty() {
        return Vec::new();
    }
    let gone = Resolver::new(deleted.iter().enumerate().map(|(i, path)| {
        (
            FileId::Attachment(u32::try_from(i).unwrap_or(u32::MAX)),
            path.as_str(),
        )
    }));
    (unresolved.into_iter())
        .filter(|(path, link)| !link.is_self() && gone.resolve(&link.target, path).target.is_some())
        .map(|(path, link)| (path.to_owned(), link.span))
        .collect()
}

/// What to report: files under PATHS, changed since a git revision (both,
/// when both are given), plus links into files deleted since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// Vault-relative prefixes from PATHS; empty means everything.
    prefixes: Vec<String>,
    /// Files changed since the revision, when asked.
    changed: Option<HashSet<String>>,
    /// Files that no longer exist: deleted or renamed since the revision, or
    /// named in PATHS.
    pub deleted: Vec<String>,
}

impl Scope {
    /// The scope of a lint of the vault at `root`: `paths` as given on the
    /// command line (on disk, or vault-relative), and the files changed since
    /// git revision `changed_since`, when given.
    pub fn new(root: &Path, paths: &[String], changed_since: Option<&str>) -> Result<Self> {
        let prefixes = vault_paths(root, paths);
        let mut deleted = Vec::new();
        for (prefix, given) in prefixes.iter().zip(paths) {
            // Named, but neither in the vault nor anywhere else on disk.
            if !prefix.is_empty() && !root.join(prefix).exists() && !Path::new(given).exists() {
                deleted.push(prefix.clone());
                // `Old note` means the note `Old note.md`.
                if !prefix.rsplit('/').next().unwrap_or_default().contains('.') {
                    deleted.push(format!("{prefix}.md"));
                }
            }
        }
        let changed = match changed_since {
            None => None,
            Some(rev) => {
                let (changed, gone) = git_changes(root, rev)?;
                deleted.extend(gone);
                Some(changed)
            }
        };
        let mut scope = Self {
            prefixes,
            changed,
            deleted: Vec::new(),
        };
        scope.deleted = deleted
            .into_iter()
            .filter(|path| scope.under_paths(path))
            .collect();
        Ok(scope)
    }

    fn under_paths(&self, path: &str) -> bool {
        self.prefixes.is_empty() || self.prefixes.iter().any(|p| in_scope(path, p))
    }

    /// Whether findings in the file at vault path `path` are reported.
    pub fn wants_file(&self, path: &str) -> bool {
        self.under_paths(path) && self.changed.as_ref().is_none_or(|c| c.contains(path))
    }
}

/// Files of the vault (at `root`) changed since git revision `rev`, tracked
/// or new and untracked; and those deleted since (a rename is both).
fn git_changes(root: &Path, rev: &str) -> Result<(HashSet<String>, Vec<String>)> {
    if rev.starts_with('-') {
        return Err(Error::Git {
            message: format!("--changed-since: `{rev}` is not a git revision"),
        });
    }
    let git = |args: &[&str]| -> Result<Vec<String>> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|err| Error::Git {
                message: format!("--changed-since runs git, which could not be started: {err}"),
            })?;
        if !output.status.success() {
            return Err(Error::Git {
                message: format!(
                    "--changed-since: `git {}` failed: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(|s| crate::vault::resolve::nfc(s).into_owned())
            .collect())
    };
    let diff = git(&[
        "diff",
        "--name-status",
        "-z",
        "--no-renames",
        "--relative",
        rev,
        "--",
    ])?;
    let mut changed = HashSet::new();
    let mut deleted = Vec::new();
    for pair in diff.chunks(2) {
        if let [status, path] = pair {
            if status == "D" {
                deleted.push(path.clone());
            } else {
                changed.insert(path.clone());
            }
        }
    }
    changed.extend(git(&["ls-files", "-z", "--others", "--exclude-standard"])?);
    Ok((changed, deleted))
}

/// PATHS as vault-relative prefixes: a path on disk inside the vault is made
/// relative to it; anything else is taken as vault-relative already.
pub fn vault_paths(root: &Path, paths: &[String]) -> Vec<String> {
    let root = root.canonicalize().ok();
    paths
        .iter()
        .map(|p| {
            let on_disk = Path::new(p).canonicalize().ok();
            let relative = root
                .as_deref()
                .zip(on_disk.as_deref())
                .and_then(|(root, path)| path.strip_prefix(root).ok())
                .map(|rel| rel.to_string_lossy().replace('\\', "/"));
            relative.unwrap_or_else(|| p.trim_start_matches("./").to_owned())
        })
        .map(|scope| scope.trim_end_matches('/').to_owned())
        .collect()
}

/// Whether vault path `path` is `scope` or inside the folder `scope`.
fn in_scope(path: &str, scope: &str) -> bool {
    scope.is_empty()
        || path == scope
        || path
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scope_is_a_path_or_a_folder_above_it() {
        assert!(in_scope("a/b.md", "a"));
        assert!(in_scope("a/b.md", "a/b.md"));
        assert!(in_scope("a/b.md", ""));
        assert!(!in_scope("ab/c.md", "a"));
        assert!(!in_scope("a.md", "a/b.md"));
    }

    use crate::config::Config;
    use crate::vault::Vault;
    use crate::vault::live::LiveVault;

    #[test]
    fn only_links_the_deleted_file_would_satisfy() {
        let notes = [
            ("a.md", "[[Old]] [[Never]]\n[[sub/Old#Part]]"),
            ("b.md", "![[pic.png]]"),
        ];
        let vault = Vault::from_sources(notes, Vec::<String>::new());
        let lines = |deleted: &[&str]| -> Vec<(String, u32)> {
            let deleted: Vec<String> = deleted.iter().map(|d| (*d).to_owned()).collect();
            links_into_deleted(vault.unresolved_links(), &deleted)
                .into_iter()
                .map(|(path, span)| (path, span.column))
                .collect()
        };
        assert_eq!(
            lines(&["sub/Old.md"]),
            [("a.md".to_owned(), 1), ("a.md".to_owned(), 1)]
        );
        assert_eq!(lines(&["img/pic.png"]), [("b.md".to_owned(), 1)]);
        assert!(lines(&["Other.md"]).is_empty());
        // The live vault's unresolved links are the same.
        let today = jiff::civil::Date::constant(2026, 1, 1);
        let live = LiveVault::from_sources(notes, Vec::<String>::new(), Config::default(), today);
        let deleted = ["sub/Old.md".to_owned()];
        assert_eq!(
            links_into_deleted(live.unresolved_links(), &deleted),
            links_into_deleted(vault.unresolved_links(), &deleted)
        );
    }
}
