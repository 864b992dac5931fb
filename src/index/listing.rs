//! The vault as it is now: every file with its size and modification time.
//!
//! The first scan lists every folder. Later scans use the note table's
//! folder records: a folder's time changes when an entry is added, removed
//! or renamed in it (not when a file in it is edited), so only folders whose
//! time changed are listed again, and the files of the others are the ones
//! the table knows. Every file is still stat'ed, so edits are always seen.
//! This is git's "untracked cache" idea.
//!
//! A record is trusted only when the folder's time was at least `RACY` (2 s)
//! older than the start of the scan that made it: on file systems with
//! coarse times, a folder changed in the same tick as its listing could
//! otherwise keep its time. A folder whose listing had problems (an
//! unreadable entry, a skipped symlink) is listed every time, so that its
//! problems are reported on every run; so is a folder holding a name that
//! is not in NFC on disk (its vault path, normalised, would not find it).

use std::collections::HashSet;
use std::path::Path;
use std::time::SystemTime;

use globset::GlobSet;
use rayon::prelude::*;

use super::table::{Folder, Folders, Table};
use crate::error::Result;
use crate::model::{Diagnostic, Severity};
use crate::vault::scan::{self, Listed, ScannedFile};

/// How much older than its scan a folder's time must be to be trusted
/// (FAT keeps times to 2 s).
const RACY: u64 = 2_000_000_000;

/// A vault file as the scan sees it now.
#[derive(Debug, Clone)]
pub struct Current {
    /// The file.
    pub file: ScannedFile,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: u64,
    /// Where it is in the scan, which is in path order.
    pub position: usize,
}

impl AsRef<ScannedFile> for Current {
    fn as_ref(&self) -> &ScannedFile {
        &self.file
    }
}

impl AsMut<ScannedFile> for Current {
    fn as_mut(&mut self) -> &mut ScannedFile {
        &mut self.file
    }
}

/// What a scan found.
#[derive(Debug, Default)]
pub struct Listing {
    /// Every file, in path order.
    pub current: Vec<Current>,
    /// Entries that could not be read, and symlinks that were skipped,
    /// sorted by path.
    pub problems: Vec<Diagnostic>,
    /// The folders, as records for the next scan.
    pub folders: Folders,
    /// How many folders were listed (the others were known unchanged).
    pub listed: usize,
    /// Whether folders listed only because their records were too recent
    /// to trust are old enough now: records written now would let the next
    /// scan skip them.
    pub settled: bool,
}

/// Scans the vault at `root`. `known` is the note table of the last scan,
/// if any; `ignore_key` identifies the `ignore` globs (records made under
/// other globs are not used).
pub fn scan(
    root: &Path,
    ignore: &GlobSet,
    ignore_key: u64,
    known: Option<&Table>,
) -> Result<Listing> {
    scan::check_root(root)?;
    let listed_at = now();
    let usable = known.filter(|t| t.folders.ignore == ignore_key && !t.folders.list.is_empty());
    if let Some(table) = usable
        && let Some(listing) = rescan(root, ignore, table, listed_at)
    {
        return Ok(listing);
    }
    let mut found = Found::default();
    found.add_folder(root, String::new(), root, ignore, true);
    Ok(found
        .finish(root, ignore_key, listed_at)
        .unwrap_or_default())
}

/// A scan that lists only the folders whose records do not hold; `None`
/// when the table turns out not to match the vault (a known folder or file
/// is gone from a folder whose time did not change, or a listed folder no
/// longer shows a known one), for a full scan instead.
fn rescan(root: &Path, ignore: &GlobSet, table: &Table, listed_at: u64) -> Option<Listing> {
    let records = &table.folders;
    let times: Vec<Option<(u64, u64)>> = records
        .list
        .par_iter()
        .map(|folder| folder_time(root, &folder.path))
        .collect();
    let mut found = Found::default();
    let mut trusted: HashSet<&str> = HashSet::new();
    // Known folders to list, with their time and identity now.
    let mut to_list: Vec<(String, (u64, u64))> = Vec::new();
    for (record, time) in records.list.iter().zip(&times) {
        let up = parent(&record.path);
        // A record counts only below a known folder: `symlink_metadata`
        // follows a symlink in the middle of a path.
        if !record.path.is_empty() && !found.known.contains(up) {
            continue;
        }
        let Some((time, id)) = *time else {
            // Gone from a folder that did not change: the records do not hold.
            if !record.path.is_empty() && trusted.contains(up) {
                return None;
            }
            continue;
        };
        found.known.insert(record.path.clone());
        // A time of 0 is a file system without folder times: never trusted.
        let same = time != 0
            && time == record.modified
            && id == record.id
            && !record.reread
            && time <= listed_at;
        if same && record.modified.saturating_add(RACY) < records.listed_at {
            trusted.insert(&record.path);
            found.folders.push(record.clone());
        } else {
            // Too recent then, old enough now: new records would hold.
            found.settled |= same && time.saturating_add(RACY) < listed_at;
            to_list.push((record.path.clone(), (time, id)));
        }
    }
    found.files = table
        .entries
        .iter()
        .filter(|entry| trusted.contains(parent(&entry.path)))
        .map(|entry| ScannedFile {
            path: entry.path.clone(),
            absolute: root.join(&entry.path),
            is_note: scan::is_markdown(&entry.path),
        })
        .collect();
    found.from_table = found.files.len();
    let listed: HashSet<String> = to_list.iter().map(|(p, _)| p.clone()).collect();
    for (path, (time, id)) in to_list {
        found.folders.push(Folder {
            path: path.clone(),
            modified: time,
            id,
            reread: false,
        });
        let at = root.join(&path);
        found.add_folder(root, path, &at, ignore, false);
    }
    // A known folder its listed parent did not show (say, renamed in case
    // only on a case-insensitive disk): the records do not hold.
    if found
        .known
        .iter()
        .any(|k| !k.is_empty() && listed.contains(parent(k)) && !found.seen.contains(k))
    {
        return None;
    }
    found.finish(root, records.ignore, listed_at)
}

/// What a scan gathers before it stats the files.
#[derive(Default)]
struct Found {
    files: Vec<ScannedFile>,
    /// How many of `files` (the first ones) came from the note table.
    from_table: usize,
    folders: Vec<Folder>,
    /// Folders that exist and have a record.
    known: HashSet<String>,
    /// Folders found by listing, not yet timed.
    new_folders: Vec<String>,
    problems: Vec<Diagnostic>,
    /// Known folders seen in a listing.
    seen: HashSet<String>,
    /// Folders holding an entry whose name on disk is not its vault path.
    respelled: HashSet<String>,
    listed: usize,
    settled: bool,
}

impl Found {
    /// Lists `folder` (a vault path; `at` on disk); with `deep`, everything
    /// below it too. Sub-folders without a record are listed whole.
    fn add_folder(&mut self, root: &Path, folder: String, at: &Path, ignore: &GlobSet, deep: bool) {
        if deep {
            self.new_folders.push(folder.clone());
        }
        self.listed += 1;
        let mut unknown = Vec::new();
        for listed in scan::list(root, ignore, at, deep) {
            match listed {
                Ok(Listed::File(file)) => {
                    self.check_spelling(&file.path, &file.absolute);
                    self.files.push(file);
                }
                Ok(Listed::Folder { path, absolute }) => {
                    self.check_spelling(&path, &absolute);
                    if deep {
                        self.listed += 1;
                        self.new_folders.push(path);
                    } else if !self.known.contains(&path) {
                        unknown.push((path, absolute));
                    } else {
                        self.seen.insert(path);
                    }
                }
                Err(problem) => self.problems.push(problem),
            }
        }
        for (path, absolute) in unknown {
            self.add_folder(root, path, &absolute, ignore, true);
        }
    }

    /// Notes the folder of an entry whose vault path is not its name on disk
    /// (a name normalised to NFC): the table's path cannot find it there, so
    /// that folder is listed every time.
    fn check_spelling(&mut self, path: &str, absolute: &Path) {
        if !absolute.ends_with(path) {
            self.respelled.insert(parent(path).to_owned());
        }
    }

    /// Times the new folders, stats every file and puts it all in order;
    /// `None` if a file the table knows is gone.
    fn finish(mut self, root: &Path, ignore_key: u64, listed_at: u64) -> Option<Listing> {
        let timed: Vec<Folder> = self
            .new_folders
            .par_iter()
            .filter_map(|path| {
                let (modified, id) = folder_time(root, path)?;
                Some(Folder {
                    path: path.clone(),
                    modified,
                    id,
                    reread: false,
                })
            })
            .collect();
        self.folders.extend(timed);
        let from_table = self.from_table;
        let stats: Vec<(bool, std::result::Result<Current, Diagnostic>)> = self
            .files
            .into_par_iter()
            .enumerate()
            .with_min_len(512)
            .map_init(OpenFolders::default, |open, (i, file)| {
                (i < from_table, stat(file, open))
            })
            .collect();
        let mut current = Vec::with_capacity(stats.len());
        for (from_table, stat) in stats {
            match stat {
                Ok(file) => current.push(file),
                // The table has it, and its folder did not change: the
                // records do not hold after all.
                Err(_) if from_table => return None,
                Err(problem) => self.problems.push(problem),
            }
        }
        current.sort_unstable_by(|a, b| a.file.path.cmp(&b.file.path));
        scan::unshare_paths(root, &mut current);
        for (position, file) in current.iter_mut().enumerate() {
            file.position = position;
        }
        self.problems
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        // An unreadable folder is troubled itself, not only its parent.
        let troubled: HashSet<&str> = self
            .problems
            .iter()
            .flat_map(|p| [parent(&p.path), p.path.as_str()])
            .collect();
        for folder in &mut self.folders {
            folder.reread |=
                troubled.contains(folder.path.as_str()) || self.respelled.contains(&folder.path);
        }
        self.folders.sort_unstable_by(|a, b| a.path.cmp(&b.path));
        // Two spellings of one folder (NFC and not) share a vault path: no
        // record for either, so both are listed whole every time.
        let twice: HashSet<String> = self
            .folders
            .windows(2)
            .filter(|w| w[0].path == w[1].path)
            .map(|w| w[0].path.clone())
            .collect();
        self.folders.retain(|f| !twice.contains(&f.path));
        Some(Listing {
            current,
            problems: self.problems,
            folders: Folders {
                listed_at,
                ignore: ignore_key,
                list: self.folders,
            },
            listed: self.listed,
            settled: self.settled,
        })
    }
}

/// A file with its size and time, or why it could not be stat'ed. `open`
/// are the folders a rayon job keeps open for the files it stats.
fn stat(file: ScannedFile, open: &mut OpenFolders) -> std::result::Result<Current, Diagnostic> {
    let problem = |message: String| {
        Err(Diagnostic::new(
            "unreadable-file",
            Severity::Error,
            file.path.clone(),
            message,
        ))
    };
    match open.stat(&file.absolute) {
        Ok(found) if !found.is_file => {
            problem("cannot read this entry: it is no longer a file".into())
        }
        Ok(found) => Ok(Current {
            size: found.size,
            modified: found.modified,
            file,
            position: 0,
        }),
        Err(e) => problem(format!("cannot read this entry: {e}")),
    }
}

/// What a stat tells of a file.
struct Stat {
    is_file: bool,
    size: u64,
    /// Nanoseconds since the epoch.
    modified: u64,
}

/// Folders kept open, so that a file in one is stat'ed by name: the kernel
/// then walks one path component instead of the whole path (on a 20,000-file
/// vault, the path walks were a quarter of a warm run's stat pass). They are
/// the last file's folder and those above it that were open: in path order
/// a folder's files come before and after its sub-folders', so each folder
/// is opened once.
#[cfg(unix)]
#[derive(Default)]
struct OpenFolders(Vec<(std::path::PathBuf, Option<rustix::fd::OwnedFd>)>);

#[cfg(unix)]
impl OpenFolders {
    fn stat(&mut self, absolute: &Path) -> std::io::Result<Stat> {
        use rustix::fs::{AtFlags, FileType, Mode, OFlags};
        use std::os::unix::ffi::OsStrExt;
        let (Some(folder), Some(name)) = (absolute.parent(), absolute.file_name()) else {
            return std_stat(absolute);
        };
        let within = |open: &Path| {
            let (folder, open) = (folder.as_os_str().as_bytes(), open.as_os_str().as_bytes());
            folder
                .strip_prefix(open)
                .is_some_and(|rest| rest.is_empty() || rest[0] == b'/')
        };
        while self.0.last().is_some_and(|(open, _)| !within(open)) {
            self.0.pop();
        }
        if self.0.last().is_none_or(|(open, _)| open != folder) {
            // A folder that cannot be opened (no read permission, say) has
            // its files stat'ed by whole path.
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = rustix::fs::open(folder, flags, Mode::empty()).ok();
            self.0.push((folder.to_owned(), fd));
        }
        let Some((_, Some(fd))) = self.0.last() else {
            return std_stat(absolute);
        };
        let stat = rustix::fs::statat(fd, name, AtFlags::SYMLINK_NOFOLLOW)?;
        // As `nanos` counts them: a time before the epoch is 0.
        #[allow(clippy::useless_conversion, reason = "signed on some platforms")]
        let nanos = u64::try_from(stat.st_mtime_nsec).unwrap_or(0);
        let modified = u64::try_from(stat.st_mtime).map_or(0, |seconds| {
            seconds.saturating_mul(1_000_000_000).saturating_add(nanos)
        });
        Ok(Stat {
            is_file: FileType::from_raw_mode(stat.st_mode) == FileType::RegularFile,
            size: u64::try_from(stat.st_size).unwrap_or(0),
            modified,
        })
    }
}

/// Elsewhere, every file is stat'ed by its whole path.
#[cfg(not(unix))]
#[derive(Default)]
struct OpenFolders;

#[cfg(not(unix))]
impl OpenFolders {
    fn stat(&mut self, absolute: &Path) -> std::io::Result<Stat> {
        std_stat(absolute)
    }
}

/// A stat by whole path, without following a symlink.
fn std_stat(absolute: &Path) -> std::io::Result<Stat> {
    let meta = std::fs::symlink_metadata(absolute)?;
    Ok(Stat {
        is_file: meta.is_file(),
        size: meta.len(),
        modified: meta.modified().map_or(0, nanos),
    })
}

/// The modification time of a vault folder; `None` if it is gone or is no
/// longer a folder.
fn folder_time(root: &Path, path: &str) -> Option<(u64, u64)> {
    let meta = std::fs::symlink_metadata(root.join(path)).ok()?;
    #[cfg(unix)]
    let id = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let id = meta.created().map_or(0, nanos);
    meta.is_dir()
        .then(|| (meta.modified().map_or(0, nanos), id))
}

/// The folder of a vault path (`""` at the top).
fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(folder, _)| folder)
}

fn now() -> u64 {
    nanos(SystemTime::now())
}

/// Nanoseconds since the epoch.
pub fn nanos(time: SystemTime) -> u64 {
    time.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::index::table::{Builder, Entry};

    fn write(root: &Path, path: &str, text: &str) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// Sets the time of `root` and every folder below it to an hour ago, as
    /// if nothing had been added or removed for a while.
    fn age_folders(root: &Path) {
        let past = SystemTime::now() - Duration::from_secs(3600);
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            if entry.file_type().is_dir() {
                std::fs::File::open(entry.path())
                    .unwrap()
                    .set_modified(past)
                    .unwrap();
            }
        }
    }

    /// The note table a refresh would write after `listing`.
    fn table_of(listing: &Listing) -> Table {
        let mut builder = Builder::new(None, listing.current.len());
        for file in &listing.current {
            let entry = Entry {
                path: file.file.path.clone(),
                size: file.size,
                modified: file.modified,
                hash: 0,
                links_hash: 0,
                note: None,
            };
            let note = file.file.is_note.then(|| b"note".to_vec());
            builder.push(entry, note);
        }
        builder.finish(1, listing.folders.clone()).unwrap()
    }

    fn paths(listing: &Listing) -> Vec<&str> {
        listing
            .current
            .iter()
            .map(|c| c.file.path.as_str())
            .collect()
    }

    fn vault() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for path in [
            "a.md",
            "A/b.md",
            "A/B/c.md",
            "A/B/img.png",
            "D/d.md",
            ".obsidian/x.json",
        ] {
            write(dir.path(), path, "text");
        }
        age_folders(dir.path());
        dir
    }

    const IGNORE: u64 = 1;

    fn scan_with(root: &Path, known: Option<&Table>) -> Listing {
        scan(root, &GlobSet::empty(), IGNORE, known).unwrap()
    }

    #[test]
    fn unchanged_folders_are_not_listed_again() {
        let dir = vault();
        let first = scan_with(dir.path(), None);
        assert_eq!(first.listed, 4, "the vault, A, A/B and D; nothing hidden");
        let folders: Vec<&str> = first.folders.list.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(folders, ["", "A", "A/B", "D"]);
        let table = table_of(&first);
        let second = scan_with(dir.path(), Some(&table));
        assert_eq!(second.listed, 0);
        assert_eq!(paths(&second), paths(&first));
        assert_eq!(second.folders.list, first.folders.list);
        // An edit changes no folder's time, and the stat still sees it.
        write(dir.path(), "A/B/c.md", "longer text");
        let edited = scan_with(dir.path(), Some(&table));
        assert_eq!(edited.listed, 0);
        let c = edited
            .current
            .iter()
            .find(|c| c.file.path == "A/B/c.md")
            .unwrap();
        assert_eq!(c.size, 11);
    }

    #[test]
    fn added_removed_and_renamed_entries_are_found() {
        let dir = vault();
        let table = table_of(&scan_with(dir.path(), None));
        write(dir.path(), "A/new.md", "x");
        std::fs::remove_file(dir.path().join("D/d.md")).unwrap();
        std::fs::rename(dir.path().join("A/B"), dir.path().join("A/C")).unwrap();
        write(dir.path(), "E/F/deep.md", "x");
        let listing = scan_with(dir.path(), Some(&table));
        assert_eq!(
            paths(&listing),
            [
                "A/C/c.md",
                "A/C/img.png",
                "A/b.md",
                "A/new.md",
                "E/F/deep.md",
                "a.md"
            ]
        );
        let folders: Vec<&str> = listing
            .folders
            .list
            .iter()
            .map(|f| f.path.as_str())
            .collect();
        assert_eq!(folders, ["", "A", "A/C", "D", "E", "E/F"]);
        // The vault (E is new), A (new.md, C), D (d.md gone), and the new
        // A/C, E and E/F; not A/B, which is gone.
        assert_eq!(listing.listed, 6);
        let positions: Vec<usize> = listing.current.iter().map(|c| c.position).collect();
        assert_eq!(positions, (0..6).collect::<Vec<_>>());
    }

    #[test]
    fn recent_folders_and_other_ignore_globs_are_listed_again() {
        let dir = vault();
        let table = table_of(&scan_with(dir.path(), None));
        // A folder changed just now may change again within its time's tick.
        write(dir.path(), "D/e.md", "x");
        let recent = table_of(&scan_with(dir.path(), Some(&table)));
        let again = scan_with(dir.path(), Some(&recent));
        assert_eq!(again.listed, 1, "D is too recent to trust");
        assert!(!again.settled);
        let other = scan(dir.path(), &GlobSet::empty(), IGNORE + 1, Some(&table)).unwrap();
        assert_eq!(other.listed, 4);
    }

    #[test]
    fn records_too_recent_then_but_old_enough_now_settle() {
        let dir = vault();
        // Records made within a tick of the folders' times are not trusted;
        // the times being old enough now, new records would be.
        let mut early = table_of(&scan_with(dir.path(), None));
        early.folders.listed_at = early.folders.list[0].modified + 1;
        let settling = scan_with(dir.path(), Some(&early));
        assert_eq!((settling.listed, settling.settled), (4, true));
        let settled = scan_with(dir.path(), Some(&table_of(&settling)));
        assert_eq!((settled.listed, settled.settled), (0, false));
    }

    #[test]
    fn names_not_in_nfc_on_disk_are_found_every_time() {
        let dir = vault();
        // "Café" spelled with a combining accent, as macOS writes it.
        let decomposed = "Cafe\u{301}";
        write(dir.path(), &format!("{decomposed}/menu.md"), "x");
        write(dir.path(), &format!("A/{decomposed}.md"), "x");
        age_folders(dir.path());
        let first = scan_with(dir.path(), None);
        let second = scan_with(dir.path(), Some(&table_of(&first)));
        assert_eq!(paths(&second), paths(&first));
        assert!(paths(&second).contains(&"Caf\u{e9}/menu.md"));
        assert!(paths(&second).contains(&"A/Caf\u{e9}.md"));
        // The vault (for the folder) and A (for the note), and the folder
        // itself, whose record cannot be made under its vault path.
        assert_eq!(second.listed, 3);
    }

    #[cfg(unix)]
    #[test]
    fn folders_with_problems_are_listed_every_time() {
        let dir = vault();
        std::os::unix::fs::symlink(dir.path().join("a.md"), dir.path().join("A/link.md")).unwrap();
        age_folders(dir.path());
        let first = scan_with(dir.path(), None);
        let table = table_of(&first);
        let second = scan_with(dir.path(), Some(&table));
        assert_eq!(second.listed, 1, "A, for its symlink");
        assert_eq!(second.problems.len(), 1);
        assert_eq!(second.problems[0].path, "A/link.md");
    }

    // ---- review tests ----

    /// The rescan must agree with a full walk.
    fn agrees_with_full_walk(root: &Path, table: &Table) {
        let full = scan_with(root, None);
        let quick = scan_with(root, Some(table));
        assert_eq!(paths(&quick), paths(&full));
        let problems = |l: &Listing| {
            l.problems
                .iter()
                .map(|p| p.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(problems(&quick), problems(&full));
    }

    #[cfg(unix)]
    #[test]
    fn a_folder_replaced_by_a_symlink_hides_what_is_below() {
        let dir = vault();
        let table = table_of(&scan_with(dir.path(), None));
        // A moved away and a symlink left in its place: A/B is still a
        // folder when reached through the symlink, with its time unchanged.
        std::fs::rename(dir.path().join("A"), dir.path().join("A2")).unwrap();
        std::os::unix::fs::symlink("A2", dir.path().join("A")).unwrap();
        agrees_with_full_walk(dir.path(), &table);
    }

    #[test]
    fn a_folder_replaced_by_another_with_the_same_time_is_listed() {
        // Two folders with the same time (a file system with 1 s or 2 s
        // times, or trees unpacked from an archive); then X is replaced by Y.
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "X/one.md", "x");
        write(dir.path(), "Y/one.md", "x");
        write(dir.path(), "Y/two.md", "x");
        age_folders(dir.path());
        let table = table_of(&scan_with(dir.path(), None));
        let p = dir.path();
        std::fs::remove_dir_all(p.join("X")).unwrap();
        std::fs::rename(p.join("Y"), p.join("X")).unwrap();
        agrees_with_full_walk(dir.path(), &table);
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_reported_and_found_again() {
        use std::os::unix::fs::PermissionsExt;
        let dir = vault();
        let locked = dir.path().join("D");
        let mode =
            |m| std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(m)).unwrap();
        mode(0o000);
        if std::fs::read_dir(&locked).is_ok() {
            mode(0o755);
            eprintln!("skipped: permissions are not enforced (running as root?)");
            return;
        }
        let first = scan_with(dir.path(), None);
        assert_eq!(first.problems.len(), 1, "D cannot be read");
        let table = table_of(&first);
        let second = scan_with(dir.path(), Some(&table));
        let still = second.problems.len();
        // chmod changes no folder time: D's files must be found now.
        mode(0o755);
        let third = scan_with(dir.path(), Some(&table_of(&second)));
        let full = scan_with(dir.path(), None);
        assert_eq!(
            (still, paths(&third)),
            (1, paths(&full)),
            "D reported while unreadable, its files found once readable"
        );
    }

    #[test]
    fn a_known_file_gone_from_a_folder_with_its_recorded_time_means_a_full_scan() {
        let dir = vault();
        let table = table_of(&scan_with(dir.path(), None));
        std::fs::remove_file(dir.path().join("A/b.md")).unwrap();
        restore_folder_times(dir.path(), &table);
        let listing = scan_with(dir.path(), Some(&table));
        assert_eq!(listing.listed, 4, "a full scan after the rescan gave up");
        assert!(!paths(&listing).contains(&"A/b.md"));
    }

    #[test]
    fn a_known_file_that_became_a_folder_means_a_full_scan() {
        let dir = vault();
        let table = table_of(&scan_with(dir.path(), None));
        std::fs::remove_file(dir.path().join("A/b.md")).unwrap();
        std::fs::create_dir(dir.path().join("A/b.md")).unwrap();
        restore_folder_times(dir.path(), &table);
        agrees_with_full_walk(dir.path(), &table);
    }

    /// Puts back the folder times `table` recorded, exactly (`age_folders`
    /// picks a new time).
    fn restore_folder_times(root: &Path, table: &Table) {
        for folder in &table.folders.list {
            let at = std::time::UNIX_EPOCH + Duration::from_nanos(folder.modified);
            std::fs::File::open(root.join(&folder.path))
                .unwrap()
                .set_modified(at)
                .unwrap();
        }
    }

    #[test]
    fn a_stat_in_an_open_folder_says_what_a_stat_by_path_says() {
        let dir = vault();
        let root = dir.path();
        write(root, "a/b.md", "text");
        write(root, "a/c.md", "more text");
        write(root, "a/sub/x.md", "x");
        write(root, "ab/y.md", "why");
        write(root, "z.md", "zed");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("a/b.md"), root.join("a/link.md")).unwrap();
        let mut open = OpenFolders::default();
        // In and out of sub-folders, to a sibling whose name starts with
        // another's, up to the top; a folder, a symlink, a missing file.
        let names = [
            "a/b.md",
            "a/sub/x.md",
            "a/c.md",
            "a/sub",
            "a/link.md",
            "ab/y.md",
            "a/c.md",
            "z.md",
            "b.md",
        ];
        for name in names {
            let path = root.join(name);
            let (by_name, by_path) = (open.stat(&path), std_stat(&path));
            assert_eq!(by_name.is_ok(), by_path.is_ok(), "{name}");
            if let (Ok(a), Ok(b)) = (by_name, by_path) {
                assert_eq!(
                    (a.is_file, a.size, a.modified),
                    (b.is_file, b.size, b.modified)
                );
                assert_eq!(a.is_file, name.ends_with(".md") && !name.contains("link"));
                assert!(!a.is_file || a.size > 0, "{name}");
            }
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_vault_reached_through_a_symlink() {
        let dir = vault();
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("link");
        std::os::unix::fs::symlink(dir.path(), &root).unwrap();
        let table = table_of(&scan_with(&root, None));
        write(&root, "new.md", "x");
        agrees_with_full_walk(&root, &table);
    }

    #[test]
    fn two_spellings_of_one_folder_give_no_record() {
        let dir = vault();
        write(dir.path(), "Cafe\u{301}/a.md", "x");
        write(dir.path(), "Caf\u{e9}/b.md", "x");
        let first = scan_with(dir.path(), None);
        let folders: Vec<&str> = first.folders.list.iter().map(|f| f.path.as_str()).collect();
        let mut unique = folders.clone();
        unique.dedup();
        assert_eq!(folders, unique, "the table would not load again");
    }

    #[test]
    fn two_spellings_of_one_folder_are_both_found() {
        let dir = vault();
        write(dir.path(), "Cafe\u{301}/a.md", "x");
        write(dir.path(), "Caf\u{e9}/b.md", "x");
        age_folders(dir.path());
        let table = table_of(&scan_with(dir.path(), None));
        agrees_with_full_walk(dir.path(), &table);
    }
}
