//! The library's failures: things that stop a command, as opposed to findings
//! about notes (those are [`crate::model::Diagnostic`]s).

use std::path::PathBuf;

/// A failure that stops the current operation.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file was not written because writing it would lose something the
    /// caller did not ask to change (its owner, links or attributes).
    #[error("{}: not written: {reason}", path.display())]
    Refused {
        /// The file.
        path: PathBuf,
        /// Why, and what to do.
        reason: String,
    },
    /// The vault folder does not exist or is not a folder.
    #[error("{}: {reason}", path.display())]
    NotAVault {
        /// The path given as the vault.
        path: PathBuf,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// `vaultkit.toml` is not valid.
    #[error("{}: {message}", path.display())]
    Config {
        /// The config file.
        path: PathBuf,
        /// What is wrong, with line and column when known.
        message: String,
    },
    /// `git`, run to list the files changed since a revision, failed.
    #[error("{message}")]
    Git {
        /// What failed, and git's own message.
        message: String,
    },
    /// A refactoring failed half-way, and some of its steps could not be
    /// undone.
    #[error("{cause}; these files could not be restored and hold the change: {}", left.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    PartlyApplied {
        /// What made it fail.
        cause: Box<Error>,
        /// The files left changed (or moved).
        left: Vec<PathBuf>,
    },
    /// The search index could not be opened, read or written.
    #[error("index at {}: {message}", path.display())]
    Index {
        /// The index folder.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }

    /// A refusal to write `path`, for `reason`.
    pub fn refused(path: impl Into<PathBuf>, reason: impl Into<String>) -> Self {
        Self::Refused {
            path: path.into(),
            reason: reason.into(),
        }
    }
}
