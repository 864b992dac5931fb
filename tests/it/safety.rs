//! vaultkit never reads or writes outside the vault: not through config
//! globs, command-line paths or links. It writes only its index, the notes
//! `lint --fix` fixes and the note `outline --write` names, each atomically,
//! keeping permissions, line endings and a byte-order mark.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use predicates::prelude::*;

use crate::util::{copy_of, fixture, fixture_copy, json, skip, vaultkit, written_as};

/// A folder holding a vault (`vault/`, a copy of `fixture`) and, beside it,
/// a note that must stay out of reach (`outside.md`, with a unique word and a
/// broken link that lint would report if it read it).
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new(fixture_name: &str) -> Self {
        let copy = copy_of(&fixture(fixture_name));
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::rename(copy.path(), dir.path().join("vault")).expect("move the vault");
        std::fs::write(
            dir.path().join("outside.md"),
            "# Outside\noutsideword [[Nowhere at all]]\n",
        )
        .expect("write");
        Self { dir }
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("vault")
    }

    fn outside(&self) -> PathBuf {
        self.dir.path().join("outside.md")
    }

    /// Every file under the sandbox with its bytes, except the index.
    fn files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        walkdir(self.dir.path())
    }
}

fn walkdir(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("ls") {
            let path = entry.expect("entry").path();
            if path.file_name().is_some_and(|n| n == ".vaultkit") {
                continue;
            }
            if path.is_symlink() {
                files.insert(path, b"symlink".to_vec());
            } else if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("read");
                files.insert(path, bytes);
            }
        }
    }
    files
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
}

#[test]
fn read_only_commands_write_nothing_but_the_index() {
    let sandbox = Sandbox::new("outline-order");
    let before = sandbox.files();
    for args in [
        &["index"][..],
        &["search", "lesson"],
        &["lint"],
        &["show", "A"],
        &["links", "A"],
        &["backlinks", "B"],
        &["tags"],
        &["graph", "stats"],
        &["graph", "--format", "dot"],
        &["outline", "Root"],
        &["outline", "Root", "--check", "Course.md"],
        &["init", "--print"],
    ] {
        vaultkit(&sandbox.vault(), args).output().expect("runs");
    }
    assert_eq!(sandbox.files(), before);
    assert!(sandbox.vault().join(".vaultkit/index/meta.json").is_file());
}

#[test]
fn config_globs_pointing_outside_change_nothing() {
    let sandbox = Sandbox::new("outline-order");
    let plain = json(&sandbox.vault(), &["graph", "--format", "json"]);
    std::fs::write(
        sandbox.vault().join("vaultkit.toml"),
        r#"ignore = ["../**", "/etc/**", "**/../outside.md", '\\?\C:\**']"#,
    )
    .expect("write");
    let with_config = json(&sandbox.vault(), &["graph", "--format", "json"]);
    assert_eq!(with_config, plain);
    vaultkit(&sandbox.vault(), &["search", "outsideword"])
        .assert()
        .code(1);
    vaultkit(&sandbox.vault(), &["lint"])
        .assert()
        .stdout(predicate::str::contains("Nowhere").not());
}

#[test]
fn command_line_paths_cannot_reach_outside() {
    let sandbox = Sandbox::new("outline-order");
    let vault = sandbox.vault();
    for note in [
        "../outside",
        "../outside.md",
        &sandbox.outside().display().to_string(),
    ] {
        vaultkit(&vault, &["show", note])
            .assert()
            .code(2)
            .stderr(format!("error: no note matches `{note}`\n"));
    }
    // A lint scope outside the vault selects no note of the vault, and reads none outside.
    vaultkit(&vault, &["lint", "..", "--format", "json"])
        .assert()
        .stdout(predicate::str::contains("outside").not())
        .stdout(predicate::str::contains("Nowhere").not());
}

#[test]
fn links_cannot_reach_outside() {
    let sandbox = Sandbox::new("outline-order");
    std::fs::write(
        sandbox.vault().join("Escape.md"),
        format!(
            "[[../outside]] [[../../etc/passwd]] [o](../outside.md) [p](/etc/passwd) \
             ![[../outside.md]] [[{}]] [w](<\\\\?\\C:\\outside.md>)\n",
            sandbox.outside().display()
        ),
    )
    .expect("write");
    let report = json(&sandbox.vault(), &["show", "Escape", "--format", "json"]);
    let links = report["links"].as_array().expect("links");
    assert_eq!(links.len(), 7);
    for link in links {
        assert_eq!(link["resolved"], serde_json::Value::Null, "{link}");
    }
    vaultkit(&sandbox.vault(), &["search", "links-to:../outside"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no note matches `../outside`"));
}

#[test]
fn outline_write_refuses_every_path_outside_the_vault() {
    let sandbox = Sandbox::new("outline-order");
    let vault = sandbox.vault();
    let elsewhere = tempfile::tempdir().expect("tempdir");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(elsewhere.path(), vault.join("Linked")).expect("symlink");
        std::os::unix::fs::symlink(sandbox.outside(), vault.join("Alias.md")).expect("symlink");
    }
    let absolute = sandbox.dir.path().join("x.md").display().to_string();
    let before = sandbox.files();
    let mut cases = vec![
        (
            "../x.md",
            "refusing a path with `..`; give a path inside the vault",
        ),
        (
            "Sub/../../x.md",
            "refusing a path with `..`; give a path inside the vault",
        ),
        (absolute.as_str(), "refusing to write outside the vault"),
        (
            r"\\?\C:\x.md",
            r"refusing a path with `\`; vault paths use `/`",
        ),
        (r"..\x.md", r"refusing a path with `\`; vault paths use `/`"),
    ];
    if cfg!(unix) {
        cases.push(("Linked/x.md", "refusing to write outside the vault"));
        cases.push((
            "Alias.md",
            "refusing to write through a symbolic link; give the path of a note",
        ));
    }
    for (path, message) in cases {
        for flag in ["--write", "--check"] {
            vaultkit(&vault, &["-q", "outline", "Root", flag, path])
                .assert()
                .code(2)
                .stderr(predicate::str::starts_with(format!(
                    "error: {path}: {message}"
                )));
        }
    }
    assert_eq!(sandbox.files(), before);
    assert_eq!(std::fs::read_dir(elsewhere.path()).expect("ls").count(), 0);
}

/// `outline --write` replaces the note atomically, keeping its mode, CRLF
/// line endings and byte-order mark; a new note gets the usual mode.
#[test]
fn outline_write_keeps_mode_line_endings_and_bom() {
    let vault = fixture_copy("outline-order");
    let course = vault.path().join("Course.md");
    std::fs::write(
        &course,
        b"\xEF\xBB\xBF---\r\ntitle: My course\r\n---\r\n# Course\r\nIntro kept.\r\n",
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&course, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    vaultkit(vault.path(), &["outline", "Root", "--write", "Course.md"])
        .assert()
        .success();
    let written = std::fs::read(&course).expect("read");
    assert!(written.starts_with(b"\xEF\xBB\xBF---\r\ntitle: My course\r\n"));
    assert!(written.windows(17).any(|w| w == b"# Course\r\nIntro k"));
    let text = String::from_utf8(written).expect("UTF-8");
    assert!(
        text.contains("<!-- vaultkit:outline:start -->\r\n"),
        "{text}"
    );
    assert_eq!(
        text.matches('\n').count(),
        text.matches("\r\n").count(),
        "every line ends in CRLF: {text:?}"
    );
    #[cfg(unix)]
    {
        assert_eq!(mode(&course), 0o640);
        // A new note: the mode any new file gets here (the umask), not 0600.
        let probe = vault.path().join("probe.txt");
        std::fs::write(&probe, "").expect("write");
        vaultkit(vault.path(), &["outline", "Root", "--write", "New.md"])
            .assert()
            .success();
        assert_eq!(mode(&vault.path().join("New.md")), mode(&probe));
    }
    let names: Vec<_> = std::fs::read_dir(vault.path())
        .expect("ls")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".tmp"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

/// `lint --fix` writes only the notes it fixes (its atomic writes keeping
/// BOM, CRLF and mode are checked in `lint.rs`).
#[test]
fn lint_fix_writes_only_the_notes_it_fixes() {
    let sandbox = Sandbox::new("lint-fix");
    let before = sandbox.files();
    vaultkit(&sandbox.vault(), &["lint", "--fix"])
        .output()
        .expect("runs");
    let after = sandbox.files();
    let changed: Vec<_> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| {
            path.strip_prefix(sandbox.dir.path())
                .expect("inside")
                .to_owned()
        })
        .collect();
    assert_eq!(
        changed,
        [Path::new("vault/Home.md"), Path::new("vault/Legacy.md")]
    );
    assert_eq!(after.len(), before.len());
}

/// A note that is not UTF-8 is never rewritten by `lint --fix`: decoding it
/// would replace its other bytes, which the fix was not asked to change.
#[test]
fn lint_fix_leaves_a_note_that_is_not_utf8_byte_for_byte() {
    let vault = fixture_copy("lint-fix");
    let latin1 = vault.path().join("Latin.md");
    let bytes = b"caf\xe9 [[topic]] [[AI]] \xff\xfe\n";
    std::fs::write(&latin1, bytes).expect("write");
    for dry_run in [true, false] {
        let args: &[&str] = if dry_run {
            &["lint", "--fix", "--dry-run"]
        } else {
            &["lint", "--fix"]
        };
        let output = vaultkit(vault.path(), args).output().expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("skipped Latin.md: it is not valid UTF-8 text"),
            "{stderr}"
        );
        assert!(!String::from_utf8_lossy(&output.stdout).contains("a/Latin.md"));
        assert_eq!(std::fs::read(&latin1).expect("read"), bytes);
    }
    // The other notes are still fixed.
    assert!(
        std::fs::read_to_string(vault.path().join("Home.md"))
            .expect("read")
            .contains("[[Topic]]")
    );
}

/// A note rewritten by `lint --fix` or `outline --write` keeps its owner,
/// group and extended attributes (checked where the test may set them: as
/// root, on a file system with `user.*` attributes).
#[cfg(unix)]
#[test]
fn rewrites_keep_owner_group_and_extended_attributes() {
    use std::os::unix::fs::MetadataExt;
    let nobody = 65534;
    let vault = fixture_copy("lint-fix");
    let home = vault.path().join("Home.md");
    let course = vault.path().join("Course.md");
    std::fs::write(&course, "# Course\n").expect("write");
    let mut owned = true;
    let mut tagged = true;
    for note in [&home, &course] {
        owned &= std::os::unix::fs::chown(note, Some(nobody), Some(nobody)).is_ok();
        tagged &= xattr::set(note, "user.vaultkit-test", b"kept").is_ok();
    }
    let inodes = [written_as(&home), written_as(&course)];
    vaultkit(vault.path(), &["lint", "--fix"])
        .assert()
        .stderr(predicate::str::contains("fixed Home.md"));
    vaultkit(vault.path(), &["outline", "Home", "--write", "Course.md"])
        .assert()
        .success();
    assert_ne!(inodes, [written_as(&home), written_as(&course)]);
    for note in [&home, &course] {
        let meta = std::fs::metadata(note).expect("stat");
        if owned {
            assert_eq!(
                (meta.uid(), meta.gid()),
                (nobody, nobody),
                "{}",
                note.display()
            );
        }
        if tagged {
            let value = xattr::get(note, "user.vaultkit-test").expect("getxattr");
            assert_eq!(
                value.as_deref(),
                Some(b"kept".as_slice()),
                "{}",
                note.display()
            );
        }
    }
    if !owned {
        skip("owner check: only root can give a file to uid 65534");
    }
    if !tagged {
        skip("extended attribute check: this file system has no user.* attributes");
    }
}

/// A note with several hard links is not replaced, which would split it from
/// its other names: `lint --fix` skips it with the reason, `outline --write`
/// fails with it; every name keeps the old text.
#[cfg(unix)]
#[test]
fn hard_linked_notes_are_refused_with_the_reason() {
    let vault = fixture_copy("lint-fix");
    let home = vault.path().join("Home.md");
    let other = vault.path().join("Home copy.txt");
    std::fs::hard_link(&home, &other).expect("hard link");
    let before = std::fs::read(&home).expect("read");
    vaultkit(vault.path(), &["lint", "--fix"])
        .assert()
        .stderr(predicate::str::contains(
            "skipped Home.md: it has 2 hard links, and replacing it would split it from its other names",
        ))
        .stderr(predicate::str::contains("fixed Legacy.md"));
    vaultkit(vault.path(), &["outline", "Home", "--write", "Home.md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "Home.md: not written: it has 2 hard links",
        ));
    assert_eq!(std::fs::read(&home).expect("read"), before);
    assert_eq!(std::fs::read(&other).expect("read"), before);
}

/// `outline --write` refuses a symbolic link to a note in the vault (it
/// would rewrite that note) and the vault's dot-folders.
#[test]
fn outline_write_refuses_links_and_dot_folders() {
    let vault = fixture_copy("outline-order");
    std::fs::create_dir_all(vault.path().join(".obsidian")).expect("mkdir");
    let mut cases = vec![
        (".obsidian/Course.md", "refusing to write into `.obsidian`"),
        (".vaultkit/Course.md", "refusing to write into `.vaultkit`"),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("A.md", vault.path().join("Link.md")).expect("symlink");
        cases.push(("Link.md", "refusing to write through a symbolic link"));
    }
    // The index folder exists once a command has run.
    vaultkit(vault.path(), &["index"]).assert().success();
    let before = walkdir(vault.path());
    for (path, message) in cases {
        for flag in ["--write", "--check"] {
            vaultkit(vault.path(), &["-q", "outline", "Root", flag, path])
                .assert()
                .code(2)
                .stderr(predicate::str::starts_with(format!(
                    "error: {path}: {message}"
                )));
        }
        assert!(!vault.path().join(path).exists() || path == "Link.md");
    }
    assert_eq!(walkdir(vault.path()), before);
}
