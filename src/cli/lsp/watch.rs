//! Watching the vault folders for changes made by other programs, for
//! editors that do not report them (`workspace/didChangeWatchedFiles`).
//!
//! Each debounced batch of changed paths goes to the server's one input
//! channel, beside the editor's messages. The paths are all the server
//! needs: it reads each one again and makes the model agree with the disk,
//! so the kind of each event (created, modified, renamed) does not matter.
//! That is why the small debouncer suffices.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify_debouncer_mini::notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_mini::{DebounceEventResult, Debouncer, new_debouncer};

/// How long a path must be quiet before its change is reported: a save
/// (write, rename, touch) ends in one report, and a `git checkout` in a
/// few batches.
const QUIET: Duration = Duration::from_millis(50);

/// A running watch of one folder; it stops when dropped.
pub struct Watch {
    _debouncer: Debouncer<RecommendedWatcher>,
}

/// Watches `root` and everything below it, sending each batch of changed
/// paths through `wrap` to `sender`.
pub fn start<T: Send + 'static>(
    root: &Path,
    sender: Sender<T>,
    wrap: fn(Vec<PathBuf>) -> T,
) -> notify_debouncer_mini::notify::Result<Watch> {
    let mut debouncer = new_debouncer(QUIET, move |batch: DebounceEventResult| match batch {
        Ok(events) => {
            let paths = events.into_iter().map(|event| event.path).collect();
            // The server has ended when nobody receives.
            let _ = sender.send(wrap(paths));
        }
        Err(err) => eprintln!("vaultkit lsp: watching the vault: {err}"),
    })?;
    debouncer.watcher().watch(root, RecursiveMode::Recursive)?;
    Ok(Watch {
        _debouncer: debouncer,
    })
}
