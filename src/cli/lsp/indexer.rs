//! Keeping a vault's index under `.vaultkit/` up to date, off the main
//! loop, so that the next `vaultkit` command finds it warm and the server's
//! searches have it to answer from.
//!
//! A thread per vault refreshes the index when the server starts (building
//! it when there is none), then each time files of the vault changed on disk
//! and the changes have paused for [`QUIET`]. Between refreshes it blocks on
//! its channel: an idle server uses no CPU. A refresh commits in steps of
//! about [`STEP`] (see [`index::Options::step`]), taking the write lock for
//! each step only, so that a command run meanwhile waits at most one step.
//! Unsaved buffers never go into the index: it holds the files.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use vaultkit::config::Config;
use vaultkit::index::{self, Index, Refresh};

/// How long changes on disk must pause before the index is refreshed: a
/// save, or a `git checkout`, ends in one refresh.
const QUIET: Duration = Duration::from_millis(300);

/// About how long one step of a refresh reads files while it holds the
/// index's write lock.
pub const STEP: Duration = Duration::from_millis(200);

/// A refresh done: the index of the vault at `root` as it left it, or why
/// it could not be opened.
pub struct Indexed {
    pub root: PathBuf,
    pub opened: Result<(Index, Refresh), String>,
}

/// The thread keeping one vault's index up to date; it ends when dropped,
/// after the refresh it may be running.
pub struct Indexer {
    changed: Sender<Config>,
}

impl Indexer {
    /// Starts refreshing the index of the vault at `root` (kept in
    /// `data_dir` when given) after each change, and now unless it is
    /// `current` (the vault was just read from it), sending each refresh
    /// done through `wrap` to `sender`.
    pub fn start<T: Send + 'static>(
        root: &Path,
        config: Config,
        data_dir: Option<PathBuf>,
        current: bool,
        sender: Sender<T>,
        wrap: fn(Box<Indexed>) -> T,
    ) -> Self {
        let (changed, changes) = channel();
        let options = index::Options {
            data_dir,
            rebuild: false,
            progress: false,
            step: Some(STEP),
            only_existing: false,
        };
        let root = root.to_owned();
        std::thread::spawn(move || {
            refresh_on_change(&root, config, !current, &options, &changes, &sender, wrap)
        });
        Self { changed }
    }

    /// Files of the vault changed on disk, and this is its configuration
    /// now: the index is refreshed once the changes pause.
    pub fn changed(&self, config: &Config) {
        // The thread lives as long as this sender.
        let _ = self.changed.send(config.clone());
    }
}

/// Refreshes the index now (if `now`), then after every pause in the
/// changes, until nobody reports changes or receives refreshes any more.
fn refresh_on_change<T>(
    root: &Path,
    mut config: Config,
    mut now: bool,
    options: &index::Options,
    changes: &Receiver<Config>,
    sender: &Sender<T>,
    wrap: fn(Box<Indexed>) -> T,
) {
    loop {
        if now {
            let opened = open(root, &config, options);
            let indexed = Indexed {
                root: root.to_owned(),
                opened,
            };
            if sender.send(wrap(Box::new(indexed))).is_err() {
                return;
            }
        }
        now = true;
        let Ok(newer) = changes.recv() else { return };
        config = newer;
        loop {
            match changes.recv_timeout(QUIET) {
                Ok(newer) => config = newer,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }
}

/// Opens the index, bringing it up to date. When another process kept the
/// write lock past [`Index::open`]'s wait, it was writing the index: the
/// index is opened again once that process is done, since what it had read
/// may predate the changes this refresh is for, and a build in steps it cut
/// short is not whole.
fn open(
    root: &Path,
    config: &Config,
    options: &index::Options,
) -> Result<(Index, Refresh), String> {
    loop {
        match Index::open(root, config, options) {
            Ok((_, refresh)) if refresh.stale => continue,
            opened => return opened.map_err(|err| err.to_string()),
        }
    }
}
