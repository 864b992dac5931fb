//! What one change to a live vault changed, so that a caller redoes only that.

use std::collections::BTreeSet;

use super::{FileId, NoteId};

/// The outcome of one mutation of a [`super::live::LiveVault`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that came (new ids).
    pub added: BTreeSet<FileId>,
    /// Files that went: their ids are no longer valid (and may be reused).
    pub removed: BTreeSet<FileId>,
    /// Files that moved, keeping their ids.
    pub moved: BTreeSet<FileId>,
    /// Notes whose text was replaced: their content and parse diagnostics are new.
    pub edited: BTreeSet<NoteId>,
    /// Notes with a link that resolves differently now (another file,
    /// other candidates, another case match or anchor).
    pub resolutions: BTreeSet<NoteId>,
    /// Files whose incoming links changed: a link (a note's link by index)
    /// leads to them now or no longer does.
    pub backlinks: BTreeSet<FileId>,
    /// Notes whose lint findings may have changed: every note given (new,
    /// edited or moved), those with a link resolved again, those whose
    /// backlinks changed, and those that read an alias or title that
    /// changed. `lint::live::Findings::update` lints them again.
    pub lint: BTreeSet<NoteId>,
}

impl Changes {
    /// Every note still in the vault whose text, resolutions or backlinks
    /// may have changed.
    pub fn notes(&self) -> BTreeSet<NoteId> {
        let files =
            (self.added.iter().chain(&self.moved).chain(&self.backlinks)).filter_map(|file| {
                match file {
                    FileId::Note(id) => Some(*id),
                    FileId::Attachment(_) => None,
                }
            });
        (self.edited.iter().chain(&self.resolutions).copied())
            .chain(files)
            .filter(|id| !self.removed.contains(&FileId::Note(*id)))
            .collect()
    }
}

/// Why a mutation was refused (the vault is left as it was).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeError {
    /// No file or folder at this path.
    #[error("no file or folder `{0}` in the vault")]
    Missing(String),
    /// Not a vault path: empty, or with an empty, `.` or `..` part.
    #[error("`{0}` is not a path inside the vault")]
    InvalidPath(String),
    /// A file is already at this path.
    #[error("`{0}` already exists")]
    Exists(String),
    /// A note's path (`.md`) where an attachment's was meant, or the reverse.
    #[error("`{0}` is the wrong kind of path here (a note's is `.md`, an attachment's is not)")]
    WrongKind(String),
    /// A folder cannot move into itself.
    #[error("cannot move folder `{from}` into itself (`{to}`)")]
    IntoItself {
        /// The folder.
        from: String,
        /// The destination inside it.
        to: String,
    },
}
