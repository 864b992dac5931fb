//! Writing files atomically: the new content goes to a temporary file in the
//! same folder, which then replaces the old file in one rename, so a reader
//! (or a crash) never sees half a file. The old file's permissions are kept;
//! a new file gets the usual ones.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Replaces (or creates) `path` with `bytes`, synced to disk.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    replace(path, &[bytes], true)
}

/// Replaces (or creates) `path` with `parts`, one after the other, without
/// waiting for the disk: for caches that are checked when read, where a
/// crash may cost a rebuild but never a wrong answer. Readers still see the
/// old file or the new one.
pub fn write_cache(path: &Path, parts: &[&[u8]]) -> Result<()> {
    replace(path, parts, false)
}

fn replace(path: &Path, parts: &[&[u8]], sync: bool) -> Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let io = |err| Error::io(path, err);
    let mut builder = tempfile::Builder::new();
    // A new file gets the usual mode (0666 less the umask), not the
    // temporary file's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temp = builder.tempfile_in(folder).map_err(io)?;
    for part in parts {
        temp.write_all(part).map_err(io)?;
    }
    match std::fs::metadata(path) {
        Ok(old) => temp
            .as_file()
            .set_permissions(old.permissions())
            .map_err(io)?,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
        Err(err) => return Err(io(err)),
    }
    if sync {
        temp.as_file().sync_all().map_err(io)?;
    }
    temp.persist(path).map_err(|err| io(err.error))?;
    Ok(())
}

/// Replaces `path` with `bytes` only if it still holds `expected` (what it
/// held when it was read); returns whether it was written.
pub fn write_if_unchanged(path: &Path, expected: &[u8], bytes: &[u8]) -> Result<bool> {
    pause_for_tests(path);
    let current = std::fs::read(path).map_err(|err| Error::io(path, err))?;
    if current != expected {
        return Ok(false);
    }
    write(path, bytes)?;
    Ok(true)
}

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
