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
//! When the system drops events (its queue overflowed), the batch holds
//! the watched folder itself: everything is to be read again.

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
    let watched = root.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<Event>| {
        match event {
            Ok(event) => {
                for path in changed_paths(event, &watched) {
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

/// The paths an event of the watch of `root` says changed: none for a
/// read, `root` itself when events were lost.
fn changed_paths(event: Event, root: &Path) -> Vec<PathBuf> {
    if event.need_rescan() {
        vec![root.to_path_buf()]
    } else if matches!(event.kind, EventKind::Access(_)) {
        Vec::new()
    } else {
        event.paths
    }
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

#[cfg(test)]
mod tests {
    use notify::event::{AccessKind, CreateKind, Flag};

    use super::*;

    #[test]
    fn lost_events_ask_for_the_whole_folder_and_reads_for_nothing() {
        let root = Path::new("/vault");
        let note = PathBuf::from("/vault/a.md");
        let created = Event::new(EventKind::Create(CreateKind::File)).add_path(note.clone());
        assert_eq!(changed_paths(created, root), std::slice::from_ref(&note));
        let read = Event::new(EventKind::Access(AccessKind::Read)).add_path(note);
        assert!(changed_paths(read, root).is_empty());
        let lost = Event::new(EventKind::Other).set_flag(Flag::Rescan);
        assert_eq!(changed_paths(lost, root), [root.to_path_buf()]);
    }
}
