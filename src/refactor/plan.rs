//! A refactoring planned before anything is written: files to move, and
//! files whose text changes, each as replacements in the text read. The
//! plan is shown (a dry run) or applied all at once ([`apply`]).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::atomic;
use crate::error::{Error, Result};
use crate::model::LineIndex;

/// Replace bytes `start..end` of a text with `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    /// Start of the replaced bytes.
    pub start: usize,
    /// End of the replaced bytes.
    pub end: usize,
    /// What replaces them.
    pub text: String,
}

impl Replacement {
    /// Replace `start..end` with `text`.
    pub fn new(start: usize, end: usize, text: String) -> Self {
        Self { start, end, text }
    }

    /// Insert `text` at `at`.
    pub fn insert(at: usize, text: String) -> Self {
        Self::new(at, at, text)
    }
}

/// `text` with `replacements` (in text order, not overlapping) made.
pub fn replace(text: &str, replacements: &[Replacement]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for replacement in replacements {
        out.push_str(&text[at..replacement.start]);
        out.push_str(&replacement.text);
        at = replacement.end;
    }
    out.push_str(&text[at..]);
    out
}

/// A file to move, by vault path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Move {
    /// Where it is.
    pub from: String,
    /// Where it goes.
    pub to: String,
}

/// A file whose text changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    /// Its vault path (before any move).
    pub path: String,
    /// Its bytes as read, checked again before writing.
    pub read: Vec<u8>,
    /// Its text as read (decoded: without a byte-order mark).
    pub before: String,
    /// The changes, in text order.
    pub replacements: Vec<Replacement>,
    /// Its new text.
    pub after: String,
}

impl FileEdit {
    /// The edit of the file at `path`, read as `read` and decoded as
    /// `before`, by `replacements`.
    pub fn new(
        path: String,
        read: Vec<u8>,
        before: String,
        replacements: Vec<Replacement>,
    ) -> Self {
        let after = replace(&before, &replacements);
        Self {
            path,
            read,
            before,
            replacements,
            after,
        }
    }
}

/// What a refactoring does: moves, then edits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to move, in order.
    pub moves: Vec<Move>,
    /// Files to rewrite, by path.
    pub edits: Vec<FileEdit>,
}

/// One replacement as the JSON output shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShownEdit<'a> {
    /// The file's vault path.
    pub path: &'a str,
    /// 1-based line of the replaced text in the file as read.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
    /// The replaced text.
    pub old: &'a str,
    /// The new text.
    pub new: &'a str,
}

impl Plan {
    /// Whether the plan changes nothing.
    pub fn is_empty(&self) -> bool {
        self.moves.is_empty() && self.edits.is_empty()
    }

    /// Every replacement with its position, by file and then text order.
    pub fn shown_edits(&self) -> Vec<ShownEdit<'_>> {
        let mut shown = Vec::new();
        for edit in &self.edits {
            let lines = LineIndex::new(&edit.before);
            for replacement in &edit.replacements {
                let (line, column) = lines.position(replacement.start);
                shown.push(ShownEdit {
                    path: &edit.path,
                    line,
                    column,
                    old: &edit.before[replacement.start..replacement.end],
                    new: &replacement.text,
                });
            }
        }
        shown
    }
}

/// Carries out `plan` in the vault at `root`, all or nothing: every file is
/// checked first (unchanged since it was read, replaceable without losing
/// its owner, links or attributes; each move's destination free), every new
/// version is written beside its file and synced, then each is renamed into
/// place (if its file is still unchanged) and the files moved. When a step
/// fails, the steps already done are undone before the error is returned.
pub fn apply(plan: &Plan, root: &Path) -> Result<()> {
    apply_moving(plan, root, &rename)
}

/// Moves `from` to `to` (a file or a folder), making `to`'s folder first.
pub fn rename(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(folder) = to.parent() {
        std::fs::create_dir_all(folder)?;
    }
    std::fs::rename(from, to)
}

/// [`apply`], with files moved (and moved back, to undo) by `mover`.
pub fn apply_moving(
    plan: &Plan,
    root: &Path,
    mover: &dyn Fn(&Path, &Path) -> std::io::Result<()>,
) -> Result<()> {
    plan.edits.par_iter().try_for_each(|edit| {
        let file = root.join(&edit.path);
        if !atomic::holds(&file, &edit.read)? {
            return Err(changed(file));
        }
        atomic::check_replaceable(&file)
    })?;
    for step in &plan.moves {
        let to = root.join(&step.to);
        if to.exists() {
            return Err(Error::refused(to, "a file is already there"));
        }
    }
    // Every new version is written and synced before the first is put in
    // place, so that a failure until then leaves every file as it was.
    // Files are read and written on all cores: most of the time is the
    // file system's.
    let staged = (plan.edits.par_iter())
        .map(|edit| {
            atomic::stage(
                &root.join(&edit.path),
                &atomic::keep_bom(&edit.read, &edit.after),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    atomic::sync_staged(&staged)?;
    let mut undo = Undo::default();
    for (edit, staged) in plan.edits.iter().zip(staged) {
        let file = root.join(&edit.path);
        match staged.commit_if_unchanged(&edit.read) {
            Ok(true) => undo.written.push((file, &edit.read)),
            Ok(false) => return Err(undo.run(changed(file), mover)),
            Err(err) => return Err(undo.run(err, mover)),
        }
    }
    for step in &plan.moves {
        let (from, to) = (root.join(&step.from), root.join(&step.to));
        match mover(&from, &to) {
            Ok(()) => undo.moved.push((from, to)),
            Err(err) => return Err(undo.run(Error::io(&from, err), mover)),
        }
    }
    Ok(())
}

fn changed(path: PathBuf) -> Error {
    Error::refused(
        path,
        "it changed since it was read, so nothing was written; run the command again",
    )
}

/// The steps of an apply done so far, to undo when a later one fails.
#[derive(Default)]
struct Undo<'a> {
    /// Files written, with the bytes they held.
    written: Vec<(PathBuf, &'a [u8])>,
    /// Files moved: (from, to).
    moved: Vec<(PathBuf, PathBuf)>,
}

impl Undo<'_> {
    /// Undoes every step, the last first; returns `cause`, or an error that
    /// names the files left changed when some step cannot be undone.
    fn run(self, cause: Error, mover: &dyn Fn(&Path, &Path) -> std::io::Result<()>) -> Error {
        let mut left = Vec::new();
        for (from, to) in self.moved.into_iter().rev() {
            if mover(&to, &from).is_err() {
                left.push(to);
            }
        }
        for (file, bytes) in self.written.into_iter().rev() {
            if atomic::write(&file, bytes).is_err() {
                left.push(file);
            }
        }
        if left.is_empty() {
            cause
        } else {
            Error::PartlyApplied {
                cause: Box::new(cause),
                left,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_for(dir: &Path, files: &[(&str, &str, &str)]) -> Plan {
        let edits = files
            .iter()
            .map(|(path, before, after)| {
                std::fs::write(dir.join(path), before).expect("write");
                FileEdit::new(
                    (*path).to_owned(),
                    before.as_bytes().to_vec(),
                    (*before).to_owned(),
                    vec![Replacement::new(0, before.len(), (*after).to_owned())],
                )
            })
            .collect();
        Plan {
            moves: Vec::new(),
            edits,
        }
    }

    #[test]
    fn replacements_are_made_in_order_and_shown_at_their_positions() {
        let before = "a\nbé c\n";
        let edit = FileEdit::new(
            "n.md".into(),
            before.as_bytes().to_vec(),
            before.into(),
            vec![
                Replacement::insert(0, "x".into()),
                Replacement::new(6, 7, "d".into()),
            ],
        );
        assert_eq!(edit.after, "xa\nbé d\n");
        let plan = Plan {
            moves: Vec::new(),
            edits: vec![edit],
        };
        let shown = plan.shown_edits();
        assert_eq!((shown[1].line, shown[1].column, shown[1].old), (2, 4, "c"));
    }

    #[test]
    fn everything_is_written_and_moved() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut plan = plan_for(dir.path(), &[("a.md", "a", "A"), ("b.md", "b", "B")]);
        plan.moves.push(Move {
            from: "b.md".into(),
            to: "sub/c.md".into(),
        });
        apply(&plan, dir.path()).expect("applied");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.md")).expect("a"),
            "A"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("sub/c.md")).expect("c"),
            "B"
        );
        assert!(!dir.path().join("b.md").exists());
    }

    #[test]
    fn a_file_changed_since_planning_stops_everything() {
        let dir = tempfile::tempdir().expect("tempdir");
        let plan = plan_for(dir.path(), &[("a.md", "a", "A"), ("b.md", "b", "B")]);
        std::fs::write(dir.path().join("b.md"), "edited").expect("edit");
        let err = apply(&plan, dir.path()).expect_err("refused");
        assert!(
            err.to_string().contains("changed since it was read"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.md")).expect("a"),
            "a"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.md")).expect("b"),
            "edited"
        );
    }

    #[test]
    fn a_failure_half_way_undoes_what_was_done() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut plan = plan_for(dir.path(), &[("a.md", "a", "A")]);
        // The move fails: its source does not exist.
        plan.moves.push(Move {
            from: "missing.md".into(),
            to: "c.md".into(),
        });
        apply(&plan, dir.path()).expect_err("failed");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.md")).expect("a"),
            "a"
        );
        assert!(!dir.path().join("c.md").exists());
    }

    #[test]
    fn a_taken_destination_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut plan = plan_for(dir.path(), &[("a.md", "a", "A"), ("c.md", "c", "c")]);
        plan.moves.push(Move {
            from: "a.md".into(),
            to: "c.md".into(),
        });
        let err = apply(&plan, dir.path()).expect_err("refused");
        assert!(err.to_string().contains("already there"), "{err}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.md")).expect("a"),
            "a"
        );
    }
}
