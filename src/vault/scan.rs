//! Finding the vault's files: every note (`.md`) and every other file (an
//! attachment, which links can target), in a deterministic order.
//!
//! Dot-files and dot-folders (`.obsidian`, `.trash`, `.git`, `.vaultkit`) are
//! not part of the vault, nor are files matching the config's `ignore` globs,
//! nor the config file itself.
//! Symbolic links are never followed: this keeps every read inside the vault
//! and makes symlink loops impossible.

use std::path::{Path, PathBuf};

use globset::GlobSet;
use walkdir::WalkDir;

use crate::error::{Error, Result};
use crate::model::{Diagnostic, Severity};

/// One file found in the vault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScannedFile {
    /// Vault-relative path, `/`-separated, NFC-normalised.
    pub path: String,
    /// Where it is on disk.
    pub absolute: PathBuf,
    /// Whether it is a Markdown note (`.md`, any case).
    pub is_note: bool,
}

/// The vault's files as they are found, in no particular order, with a
/// diagnostic for each entry that could not be read or was skipped. Lets
/// callers start reading files before the walk is over.
pub fn walk<'a>(
    root: &'a Path,
    ignore: &'a GlobSet,
) -> Result<impl Iterator<Item = Result<ScannedFile, Diagnostic>> + Send + 'a> {
    check_root(root)?;
    Ok(
        list(root, ignore, root, true).filter_map(|listed| match listed {
            Ok(Listed::File(file)) => Some(Ok(file)),
            Ok(Listed::Folder { .. }) => None,
            Err(problem) => Some(Err(problem)),
        }),
    )
}

/// An entry of a [`list`]ing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listed {
    /// A file of the vault.
    File(ScannedFile),
    /// A folder.
    Folder {
        /// Vault path, `/`-separated, NFC-normalised.
        path: String,
        /// Where it is on disk.
        absolute: PathBuf,
    },
}

/// What the folder `folder` (on disk, in the vault at `root`) holds: its
/// files and sub-folders, and with `deep` everything below them too, in no
/// particular order. Dot-entries are skipped, ignored files left out.
pub fn list<'a>(
    root: &'a Path,
    ignore: &'a GlobSet,
    folder: &Path,
    deep: bool,
) -> impl Iterator<Item = Result<Listed, Diagnostic>> + Send + 'a {
    WalkDir::new(folder)
        .min_depth(1)
        .max_depth(if deep { usize::MAX } else { 1 })
        .follow_links(false)
        .into_iter()
        .filter_entry(|entry| !is_hidden(entry.file_name()))
        .filter_map(move |entry| found(root, ignore, entry))
}

/// One walk entry: a file or folder of the vault, a problem, or nothing
/// (ignored files, and whatever is neither a file nor a folder).
fn found(
    root: &Path,
    ignore: &GlobSet,
    entry: walkdir::Result<walkdir::DirEntry>,
) -> Option<Result<Listed, Diagnostic>> {
    let entry = match entry {
        Ok(entry) => entry,
        Err(err) => {
            let path = err.path().map_or_else(String::new, |p| relative(root, p));
            let message = err
                .io_error()
                .map_or_else(|| err.to_string(), ToString::to_string);
            return Some(Err(Diagnostic::new(
                "unreadable-file",
                Severity::Error,
                path,
                format!("cannot read this entry: {message}"),
            )));
        }
    };
    let path = relative(root, entry.path());
    if entry.path_is_symlink() {
        return Some(Err(Diagnostic::new(
            "symlink-skipped",
            Severity::Info,
            path,
            "symbolic link not followed: vaultkit never reads outside the vault or follows links that could loop",
        )
        .with_help("move or copy the target into the vault to include it")));
    }
    if entry.file_type().is_dir() {
        return Some(Ok(Listed::Folder {
            path,
            absolute: entry.into_path(),
        }));
    }
    if !entry.file_type().is_file()
        || path == crate::config::FILE_NAME
        || (!ignore.is_empty() && ignore.is_match(&path))
    {
        return None;
    }
    let is_note = is_markdown(&path);
    Some(Ok(Listed::File(ScannedFile {
        path,
        absolute: entry.into_path(),
        is_note,
    })))
}

/// Checks that `root` is a folder, naming what is wrong when it is not.
pub fn check_root(root: &Path) -> Result<()> {
    match std::fs::metadata(root) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(Error::NotAVault {
            path: root.to_owned(),
            reason: "is a file, not a vault folder",
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(Error::NotAVault {
            path: root.to_owned(),
            reason: "no such folder",
        }),
        Err(err) => Err(Error::io(root, err)),
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

/// Whether a vault path names a Markdown note (`.md`, any case).
pub fn is_markdown(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(stem, ext)| !stem.is_empty() && ext.eq_ignore_ascii_case("md"))
}

/// Vault paths are NFC, so files whose names differ only in Unicode
/// normalisation (`Café.md` composed and decomposed) would share one: each
/// such twin keeps its name as on disk instead, and `items` (sorted by path)
/// are sorted again.
pub fn unshare_paths<T: AsRef<ScannedFile> + AsMut<ScannedFile>>(root: &Path, items: &mut [T]) {
    let mut changed = false;
    let mut start = 0;
    while start < items.len() {
        let path = &items[start].as_ref().path;
        let twins = items[start..]
            .iter()
            .take_while(|item| item.as_ref().path == *path)
            .count();
        if twins > 1 {
            for item in &mut items[start..start + twins] {
                let file = item.as_mut();
                file.path = as_on_disk(root, &file.absolute);
            }
            changed = true;
        }
        start += twins;
    }
    if changed {
        items.sort_by(|a, b| a.as_ref().path.cmp(&b.as_ref().path));
    }
}

impl AsRef<ScannedFile> for ScannedFile {
    fn as_ref(&self) -> &ScannedFile {
        self
    }
}

impl AsMut<ScannedFile> for ScannedFile {
    fn as_mut(&mut self) -> &mut ScannedFile {
        self
    }
}

/// `root/a/b.md` -> `a/b.md`, NFC-normalised with `/` separators.
fn relative(root: &Path, path: &Path) -> String {
    let spelled = as_on_disk(root, path);
    match super::resolve::nfc(&spelled) {
        std::borrow::Cow::Borrowed(_) => spelled,
        std::borrow::Cow::Owned(normalised) => normalised,
    }
}

/// `root/a/b.md` -> `a/b.md` with `/` separators, spelled as on disk.
fn as_on_disk(root: &Path, path: &Path) -> String {
    // Walk entries start with `root` itself: cut it off as bytes, which is
    // much cheaper than comparing path components.
    let rel = match path
        .as_os_str()
        .as_encoded_bytes()
        .strip_prefix(root.as_os_str().as_encoded_bytes())
    {
        Some(rest) => {
            let rest = rest
                .strip_prefix(std::path::MAIN_SEPARATOR_STR.as_bytes())
                .unwrap_or(rest);
            String::from_utf8_lossy(rest)
        }
        None => path.strip_prefix(root).unwrap_or(path).to_string_lossy(),
    };
    if std::path::MAIN_SEPARATOR == '/' {
        rel.into_owned()
    } else {
        rel.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files in path order, and the problems.
    fn scan(root: &Path, ignore: &GlobSet) -> Result<(Vec<ScannedFile>, Vec<Diagnostic>)> {
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        for found in walk(root, ignore)? {
            match found {
                Ok(file) => files.push(file),
                Err(problem) => problems.push(problem),
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok((files, problems))
    }

    fn write(root: &Path, path: &str) {
        let full = root.join(path);
        std::fs::create_dir_all(full.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(full, "x").expect("write");
    }

    #[test]
    fn skips_dot_entries_and_ignored_globs_in_sorted_order() {
        let dir = tempfile::tempdir().expect("tempdir");
        for path in [
            "b.md",
            "A/z.md",
            "A/img.png",
            ".obsidian/app.json",
            ".trash/old.md",
            "sub/.hidden.md",
            "templates/t.md",
            "vaultkit.toml",
        ] {
            write(dir.path(), path);
        }
        let mut builder = globset::GlobSetBuilder::new();
        builder.add(globset::Glob::new("templates/**").expect("glob"));
        let (files, _) = scan(dir.path(), &builder.build().expect("set")).expect("scan");
        let paths: Vec<_> = files.iter().map(|f| (f.path.as_str(), f.is_note)).collect();
        assert_eq!(
            paths,
            [("A/img.png", false), ("A/z.md", true), ("b.md", true)]
        );
    }

    #[test]
    fn a_missing_vault_is_an_error() {
        let err = scan(Path::new("/no/such/vault"), &GlobSet::empty()).expect_err("missing");
        assert!(err.to_string().contains("no such folder"));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_reported_and_not_followed() {
        let dir = tempfile::tempdir().expect("tempdir");
        write(dir.path(), "a.md");
        std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).expect("symlink");
        let (files, problems) = scan(dir.path(), &GlobSet::empty()).expect("scan");
        assert_eq!(files.len(), 1);
        assert_eq!(problems[0].rule, "symlink-skipped");
        assert_eq!(problems[0].path, "loop");
    }
}
