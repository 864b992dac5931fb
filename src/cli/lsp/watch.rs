//! Watching the vault folders for changes made by other programs, for
//! editors that do not report them (`workspace/didChangeWatchedFiles`).
//!
//! The operating system's events become batches of changed paths, sent to
//! the server's one input channel beside the editor's messages. The paths
//! are all the server needs: it reads each one again and makes the model
//! agree with the disk, so the kind of each change (created, modified,
//! renamed) does not matter. Reads are left out, since the server's own
//! reads would otherwise wake it again and again: that is why the batching
//! is done here, by a thread that blocks until a change comes, rather than
//! by `notify-debouncer-mini`, which reports paths without their kinds.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

/// How long the changes must pause before a batch is sent: a save (write,
/// rename, touch) ends in one batch.
const QUIET: Duration = Duration::from_millis(50);

/// The longest a batch waits for a pause: a long `git checkout` is taken
/// in a few batches rather than at its end.
const LONGEST: Duration = Duration::from_millis(500);

/// A running watch of one folder; it stops when dropped.
pub struct Watch {
    _watcher: RecommendedWatcher,
}

/// Watches `root` and everything below it, sending each batch of changed
/// paths through `wrap` to `sender`.
pub fn start<T: Send + 'static>(
    root: &Path,
    sender: Sender<T>,
    wrap: fn(Vec<PathBuf>) -> T,
) -> notify::Result<Watch> {
    let (changed, paths) = channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        match event {
            Ok(event) if matches!(event.kind, EventKind::Access(_)) => {}
            Ok(event) => {
                for path in event.paths {
                    // Nobody receives once the watch is dropped.
                    let _ = changed.send(path);
                }
            }
            Err(err) => eprintln!("vaultkit lsp: watching the vault: {err}"),
        }
    })?;
    watcher.watch(root, RecursiveMode::Recursive)?;
    std::thread::spawn(move || batch(&paths, &sender, wrap));
    Ok(Watch { _watcher: watcher })
}

/// Gathers the changed paths into batches, each sent once the changes
/// pause (or have gone on for [`LONGEST`]); it blocks while nothing
/// changes and ends with the watcher.
fn batch<T>(paths: &Receiver<PathBuf>, sender: &Sender<T>, wrap: fn(Vec<PathBuf>) -> T) {
    while let Ok(first) = paths.recv() {
        let deadline = Instant::now() + LONGEST;
        let mut batch = BTreeSet::from([first]);
        loop {
            let wait = QUIET.min(deadline.saturating_duration_since(Instant::now()));
            match paths.recv_timeout(wait) {
                Ok(path) => {
                    batch.insert(path);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if sender.send(wrap(batch.into_iter().collect())).is_err() {
            return;
        }
    }
}
