//! Reading a vault folder: every note read and parsed (on all cores, while
//! the walk goes on), every other file listed, and every problem met on the
//! way. The live vault ([`super::live::LiveVault`], which every
//! [`super::Vault`] is) is built from what [`read`] returns, so a note
//! found on disk is read and decoded one way.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

use rayon::prelude::*;

use super::scan;
use crate::config::Config;
use crate::error::Result;
use crate::model::{Diagnostic, Severity};
use crate::parse::{self, ParsedNote};

/// What a vault folder holds, read.
pub struct Scanned {
    /// Every note, parsed, in path order.
    pub notes: Vec<ParsedNote>,
    /// Every other file's vault path, in path order.
    pub attachments: Vec<String>,
    /// Problems of the scan, not of any one note (unreadable files and
    /// folders, skipped links), in the order found.
    pub problems: Vec<Diagnostic>,
}

/// Walks the vault at `root`, reading and parsing its notes as they are
/// found. Unreadable or malformed files become diagnostics.
pub fn read(root: &Path, config: &Config) -> Result<Scanned> {
    let ignore = config.ignore_set(&root.join(crate::config::FILE_NAME))?;
    let found: Vec<Found> = scan::walk(root, &ignore)?
        .par_bridge()
        .map(|entry| match entry {
            Ok(file) if file.is_note => Found::Note(read_note(&file.path, &file.absolute)),
            Ok(file) => Found::Attachment(file.path),
            Err(diagnostic) => Found::Problem(diagnostic),
        })
        .collect();
    let mut attachments = Vec::new();
    let mut problems = Vec::new();
    // Collected in place: the notes reuse the buffer of what was found.
    let mut notes: Vec<ParsedNote> = found
        .into_iter()
        .filter_map(|item| match item {
            Found::Note(note) => Some(note),
            Found::Attachment(path) => {
                attachments.push(path);
                None
            }
            Found::Problem(diagnostic) => {
                problems.push(diagnostic);
                None
            }
        })
        .collect();
    sort_by_path(&mut notes);
    attachments.sort_unstable();
    unshare_paths(root, &ignore, &mut notes, &mut attachments)?;
    Ok(Scanned {
        notes,
        attachments,
        problems,
    })
}

/// What the walk turned up, once read.
enum Found {
    Note(ParsedNote),
    Attachment(String),
    Problem(Diagnostic),
}

/// Files whose names differ only in Unicode normalisation share a vault
/// path as found (see [`scan::unshare_paths`]); it is rare, so they are
/// looked for only when notes or attachments (each sorted) share a path,
/// and then read again under their names as on disk.
fn unshare_paths(
    root: &Path,
    ignore: &globset::GlobSet,
    parsed: &mut Vec<ParsedNote>,
    attachments: &mut Vec<String>,
) -> Result<()> {
    let shared: HashSet<String> = (parsed.windows(2))
        .filter(|w| w[0].note.path == w[1].note.path)
        .map(|w| w[0].note.path.clone())
        .chain(
            (attachments.windows(2))
                .filter(|w| w[0] == w[1])
                .map(|w| w[0].clone()),
        )
        .collect();
    if shared.is_empty() {
        return Ok(());
    }
    let mut twins: Vec<scan::ScannedFile> = scan::walk(root, ignore)?
        .filter_map(Result::ok)
        .filter(|file| shared.contains(&file.path))
        .collect();
    twins.sort_by(|a, b| a.path.cmp(&b.path));
    scan::unshare_paths(root, &mut twins);
    parsed.retain(|p| !shared.contains(&p.note.path));
    attachments.retain(|path| !shared.contains(path));
    for twin in twins {
        if twin.is_note {
            parsed.push(read_note(&twin.path, &twin.absolute));
        } else {
            attachments.push(twin.path);
        }
    }
    sort_by_path(parsed);
    attachments.sort_unstable();
    Ok(())
}

/// Sorts parsed notes by path. A note is a few hundred bytes: this sorts
/// their positions, then moves each note once.
fn sort_by_path(parsed: &mut [ParsedNote]) {
    let mut order: Vec<usize> = (0..parsed.len()).collect();
    order.sort_unstable_by(|&a, &b| parsed[a].note.path.cmp(&parsed[b].note.path));
    // Position `k` takes the note at `order[k]`, one cycle of moves at a time;
    // a placed position points at itself.
    for start in 0..order.len() {
        let mut k = start;
        loop {
            let from = order[k];
            order[k] = k;
            if from == start {
                break;
            }
            parsed.swap(k, from);
            k = from;
        }
    }
}

thread_local! {
    /// The bytes of the note a thread is reading, reused from note to note.
    static READ_BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Reads and parses one note; a read failure leaves an empty note and a diagnostic.
fn read_note(path: &str, absolute: &Path) -> ParsedNote {
    READ_BUFFER.with_borrow_mut(|bytes| {
        bytes.clear();
        // `Take` reads into the buffer's spare room without first asking the
        // file's size (one system call fewer per note).
        let read =
            std::fs::File::open(absolute).and_then(|file| file.take(u64::MAX).read_to_end(bytes));
        let parsed = match read {
            Ok(_) => {
                let (text, problem) = parse::decode(path, bytes);
                let mut parsed = parse::parse_note(path, &text);
                parsed.diagnostics.extend(problem);
                parsed
            }
            Err(err) => read_failure(path, &err),
        };
        // A huge note's buffer is not kept for the rest of the run.
        if bytes.capacity() > KEPT_READ_BUFFER {
            *bytes = Vec::new();
        }
        parsed
    })
}

/// The largest read buffer a thread keeps between notes.
const KEPT_READ_BUFFER: usize = 1 << 20;

/// An empty note and a diagnostic, for a note that could not be read.
fn read_failure(path: &str, err: &std::io::Error) -> ParsedNote {
    let mut parsed = parse::parse_note(path, "");
    parsed.diagnostics.push(Diagnostic::new(
        "unreadable-file",
        Severity::Error,
        path,
        format!("cannot read this note: {err}"),
    ));
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn notes_sort_by_path_whatever_the_order_found(
            paths in Just((0..12).map(|i| format!("n{i:02}.md")).collect::<Vec<_>>()).prop_shuffle()
        ) {
            let mut parsed: Vec<ParsedNote> =
                paths.iter().map(|p| parse::parse_note(p, "")).collect();
            sort_by_path(&mut parsed);
            let sorted: Vec<&str> = parsed.iter().map(|p| p.note.path.as_str()).collect();
            let mut expected: Vec<&str> = paths.iter().map(String::as_str).collect();
            expected.sort_unstable();
            prop_assert_eq!(sorted, expected);
        }
    }
}
