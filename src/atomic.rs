//! Writing files atomically: the new content goes to a temporary file in the
//! same folder, which then replaces the old file in one rename, so a reader
//! (or a crash) never sees half a file.
//!
//! A replaced file keeps what a rename would otherwise lose: its permissions,
//! owner and group, and extended attributes (ACLs and labels among them).
//! When one of those cannot be kept, or the file is a symbolic link or has
//! other names (hard links) that a rename would split from it, nothing is
//! written and the caller gets [`Error::Refused`]. A new file gets the usual
//! permissions. Caches ([`write_cache`]) keep only their permissions.

use std::fs::{File, Metadata};
use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Replaces (or creates) `path` with `bytes`, synced to disk, keeping the
/// old file's owner, group, permissions and extended attributes, or refusing.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    replace(path, &[bytes], Kind::Document)
}

/// Replaces (or creates) `path` with `parts`, one after the other, without
/// waiting for the disk: for caches that are checked when read, where a
/// crash may cost a rebuild but never a wrong answer. Readers still see the
/// old file or the new one. Only the old file's permissions are kept, and
/// nothing is refused: a cache is vaultkit's own file, and splitting it
/// from a hard-linked copy (of a vault copied with `cp -al`) is harmless.
pub fn write_cache(path: &Path, parts: &[&[u8]]) -> Result<()> {
    replace(path, parts, Kind::Cache)
}

/// What is being replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A person's file: synced, and everything about it kept.
    Document,
    /// One of vaultkit's caches.
    Cache,
}

fn replace(path: &Path, parts: &[&[u8]], kind: Kind) -> Result<()> {
    let temp = new_version(path, parts, kind)?;
    if kind == Kind::Document {
        temp.as_file()
            .sync_all()
            .map_err(|err| Error::io(path, err))?;
    }
    temp.persist(path)
        .map_err(|err| Error::io(path, err.error))?;
    Ok(())
}

/// The new version of `path`, holding `parts`, in a temporary file beside it
/// with the metadata `kind` keeps; not yet synced, nor in place.
fn new_version(path: &Path, parts: &[&[u8]], kind: Kind) -> Result<tempfile::NamedTempFile> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let io = |err| Error::io(path, err);
    let old = match kind {
        Kind::Document => replaceable(path)?,
        Kind::Cache => match std::fs::metadata(path) {
            Ok(old) => Some(old),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
            Err(err) => return Err(io(err)),
        },
    };
    let mut builder = tempfile::Builder::new();
    // A new file gets the usual mode (0666 less the umask), not the
    // temporary file's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(folder).map_err(io)?;
    for part in parts {
        temp.write_all(part).map_err(io)?;
    }
    match (&old, kind) {
        (Some(old), Kind::Document) => keep_metadata(path, old, temp.as_file())?,
        (Some(old), Kind::Cache) => temp
            .as_file()
            .set_permissions(old.permissions())
            .map_err(io)?,
        (None, _) => {}
    }
    Ok(temp)
}

/// A document's new version, written beside it but not yet in place: many
/// files are staged, synced at once ([`sync_staged`]) and then committed,
/// so that a batch of files is replaced in the time of their renames, and
/// one slow sync serves them all. Dropped uncommitted, it leaves nothing.
pub struct Staged {
    path: std::path::PathBuf,
    temp: tempfile::NamedTempFile,
}

/// Stages the replacement of the document at `path` by `bytes`, keeping
/// what [`write`] keeps, or refusing as it does.
pub fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    Ok(Staged {
        path: path.to_owned(),
        temp: new_version(path, &[bytes], Kind::Document)?,
    })
}

/// Puts every staged file's content on disk: one sync of the file system
/// on Linux (a sync per file costs a journal commit each), else each file.
pub fn sync_staged(staged: &[Staged]) -> Result<()> {
    #[cfg(target_os = "linux")]
    if let Some(first) = staged.first() {
        return rustix::fs::syncfs(first.temp.as_file())
            .map_err(|err| Error::io(&first.path, err.into()));
    }
    for one in staged {
        one.temp
            .as_file()
            .sync_all()
            .map_err(|err| Error::io(&one.path, err))?;
    }
    Ok(())
}

impl Staged {
    /// Puts the staged version in place if the file still holds `expected`
    /// (what it held when it was read); returns whether it did.
    pub fn commit_if_unchanged(self, expected: &[u8]) -> Result<bool> {
        pause_for_tests(&self.path);
        if !holds(&self.path, expected)? {
            return Ok(false);
        }
        self.temp
            .persist(&self.path)
            .map_err(|err| Error::io(&self.path, err.error))?;
        Ok(true)
    }
}

/// Checks that [`write`] could replace the file at `path` (if there is one)
/// without losing anything: the refusals it would make, before writing.
pub fn check_replaceable(path: &Path) -> Result<()> {
    replaceable(path).map(drop)
}

/// The metadata of the file at `path`, if there is one, after checking that
/// a rename can replace it without losing anything.
fn replaceable(path: &Path) -> Result<Option<Metadata>> {
    let old = match std::fs::symlink_metadata(path) {
        Ok(old) => old,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(Error::io(path, err)),
    };
    let refuse = |reason: String| Err(Error::refused(path, reason));
    if old.file_type().is_symlink() {
        return refuse(
            "it is a symbolic link, which replacing would turn into a copy of its target".into(),
        );
    }
    if !old.is_file() {
        return refuse("it is not a regular file".into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if old.nlink() > 1 {
            return refuse(format!(
                "it has {} hard links, and replacing it would split it from its other names; \
                 edit it by hand, or make it a single file (copy it, then remove the other names)",
                old.nlink()
            ));
        }
    }
    Ok(Some(old))
}

/// Gives the new file `to` the owner, group, permissions and extended
/// attributes of `old`, the metadata of the file at `path`.
fn keep_metadata(path: &Path, old: &Metadata, to: &File) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let new = to.metadata().map_err(|err| Error::io(path, err))?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
            std::os::unix::fs::fchown(to, Some(old.uid()), Some(old.gid())).map_err(|err| {
                if err.kind() == std::io::ErrorKind::PermissionDenied {
                    Error::refused(
                        path,
                        format!(
                            "it belongs to uid {} (gid {}), and this user cannot give the \
                             rewritten file that owner; run as that user or as root",
                            old.uid(),
                            old.gid()
                        ),
                    )
                } else {
                    Error::io(path, err)
                }
            })?;
        }
    }
    // Attributes before the mode, while the new file is still writable (a
    // read-only note keeps its attributes too); the mode after the owner,
    // since changing the owner may clear the set-id bits.
    #[cfg(unix)]
    copy_xattrs(path, to)?;
    to.set_permissions(old.permissions())
        .map_err(|err| Error::io(path, err))?;
    Ok(())
}

/// Copies the extended attributes of the file at `path` to `to`. An
/// attribute the new file cannot take is a refusal, unless it already has
/// the same value (a security label the system gives every new file).
#[cfg(unix)]
fn copy_xattrs(path: &Path, to: &File) -> Result<()> {
    use xattr::FileExt;
    let names = match xattr::list(path) {
        Ok(names) => names,
        Err(err) if unsupported(&err) => return Ok(()),
        Err(err) => return Err(Error::io(path, err)),
    };
    for name in names {
        let Some(value) = xattr::get(path, &name).map_err(|err| Error::io(path, err))? else {
            continue;
        };
        if let Err(err) = to.set_xattr(&name, &value)
            && to.get_xattr(&name).ok().flatten().as_deref() != Some(value.as_slice())
        {
            return Err(Error::refused(
                path,
                format!(
                    "cannot give the new file its extended attribute `{}` ({err})",
                    name.to_string_lossy()
                ),
            ));
        }
    }
    Ok(())
}

/// Whether `err` says the file system (or platform) has no extended attributes.
#[cfg(unix)]
fn unsupported(err: &std::io::Error) -> bool {
    use rustix::io::Errno;
    err.kind() == std::io::ErrorKind::Unsupported
        || Errno::from_io_error(err)
            .is_some_and(|errno| errno == Errno::NOTSUP || errno == Errno::OPNOTSUPP)
}

/// Replaces `path` with `bytes` only if it still holds `expected` (what it
/// held when it was read); returns whether it was written.
pub fn write_if_unchanged(path: &Path, expected: &[u8], bytes: &[u8]) -> Result<bool> {
    pause_for_tests(path);
    if !holds(path, expected)? {
        return Ok(false);
    }
    write(path, bytes)?;
    Ok(true)
}

/// Whether the file at `path` holds `expected`.
pub fn holds(path: &Path, expected: &[u8]) -> Result<bool> {
    let current = std::fs::read(path).map_err(|err| Error::io(path, err))?;
    Ok(current == expected)
}

/// The bytes of the note text `text` (decoded, without a byte-order mark)
/// to write where `read` was read: with the byte-order mark `read` had.
pub fn keep_bom(read: &[u8], text: &str) -> Vec<u8> {
    let bom: &[u8] = if read.starts_with(BOM) { BOM } else { b"" };
    [bom, text.as_bytes()].concat()
}

/// UTF-8's byte-order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Fault injection for the integration tests, in debug builds only: with
/// `VAULTKIT_TEST_PAUSE_WRITE_MS` set, says `paused before writing PATH` on
/// stderr and waits that long, so a test can edit the file in between.
#[cfg(debug_assertions)]
fn pause_for_tests(path: &Path) {
    if let Some(ms) = std::env::var("VAULTKIT_TEST_PAUSE_WRITE_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        eprintln!("paused before writing {}", path.display());
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
}

#[cfg(not(debug_assertions))]
fn pause_for_tests(_: &Path) {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_keeps_permissions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("n.md");
        std::fs::write(&path, "old").expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        }
        write(&path, b"new").expect("atomic write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn owner_group_and_extended_attributes_are_kept() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("n.md");
        std::fs::write(&path, "old").expect("write");
        let nobody = 65534;
        let chowned = std::os::unix::fs::chown(&path, Some(nobody), Some(nobody)).is_ok();
        let tagged = xattr::set(&path, "user.vaultkit-test", b"kept").is_ok();
        write(&path, b"new").expect("atomic write");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        let meta = std::fs::metadata(&path).expect("stat");
        if chowned {
            assert_eq!((meta.uid(), meta.gid()), (nobody, nobody));
        } else {
            eprintln!("skipped the owner check: only root can give a file to uid 65534");
        }
        if tagged {
            let value = xattr::get(&path, "user.vaultkit-test").expect("getxattr");
            assert_eq!(value.as_deref(), Some(b"kept".as_slice()));
        } else {
            eprintln!("skipped the xattr check: this file system has no user.* attributes");
        }
    }

    #[cfg(unix)]
    #[test]
    fn hard_links_and_symbolic_links_are_refused_and_left_as_they_were() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("n.md");
        std::fs::write(&path, "old").expect("write");
        let other = dir.path().join("other name.md");
        std::fs::hard_link(&path, &other).expect("hard link");
        let err = write(&path, b"new").expect_err("refused");
        assert!(matches!(err, Error::Refused { .. }), "{err}");
        assert!(err.to_string().contains("2 hard links"), "{err}");
        assert_eq!(std::fs::read(&other).expect("read"), b"old");

        std::fs::remove_file(&other).expect("unlink");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(&path, &link).expect("symlink");
        let err = write(&link, b"new").expect_err("refused");
        assert!(err.to_string().contains("symbolic link"), "{err}");
        assert!(link.is_symlink());
        assert_eq!(std::fs::read(&path).expect("read"), b"old");
        // Nothing is left behind.
        assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 2);

        // A cache is vaultkit's own: a hard-linked copy is split from it.
        std::fs::hard_link(&path, &other).expect("hard link");
        write_cache(&path, &[b"new"]).expect("cache written");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        assert_eq!(std::fs::read(&other).expect("read"), b"old");
    }

    #[test]
    fn a_file_that_changed_is_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("n.md");
        std::fs::write(&path, "edited meanwhile").expect("write");
        assert!(!write_if_unchanged(&path, b"as read", b"fixed").expect("no error"));
        assert_eq!(
            std::fs::read_to_string(&path).expect("read"),
            "edited meanwhile"
        );
        assert!(write_if_unchanged(&path, b"edited meanwhile", b"fixed").expect("written"));
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "fixed");
    }
}
