//! Faults a CI tool meets: bad vault paths, unreadable and malformed files,
//! huge or deeply nested notes, symlinks, a read-only vault, a damaged index,
//! a lock left by a killed process, a note edited during `lint --fix`, and a
//! full disk. Each test asserts what vaultkit does about it.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::util::{fixture_copy, json, skip, vaultkit};

/// A fresh vault holding `notes` (path, content).
fn vault_with(notes: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, content) in notes {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(file, content).expect("write");
    }
    dir
}

/// The vault paths `search QUERY --format paths` prints.
fn search_paths(vault: &Path, query: &str) -> Vec<String> {
    let output = vaultkit(vault, &["search", query, "--format", "paths"])
        .output()
        .expect("runs");
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// Whether permission bits stop this process (false as root, which reads anyway).
#[cfg(unix)]
fn permissions_apply(locked: &Path) -> bool {
    let readable = if locked.is_dir() {
        std::fs::read_dir(locked).is_ok()
    } else {
        std::fs::read(locked).is_ok()
    };
    if readable {
        skip("running as root (chmod 000 does not stop this process reading)");
    }
    !readable
}

/// Mounts a tmpfs of `size` at `at`; `false` (with a skip notice) where
/// mounting is not allowed.
#[cfg(target_os = "linux")]
fn mount_tmpfs(at: &Path, size: &str) -> bool {
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
        .arg(at)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        skip("cannot mount a tmpfs here (needs root)");
    }
    mounted
}

#[cfg(target_os = "linux")]
fn unmount(at: &Path) {
    let _ = Command::new("umount").arg(at).status();
}

#[test]
fn a_missing_vault_or_a_file_as_vault_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("nope");
    for command in [&["lint"][..], &["search", "x"], &["index"]] {
        vaultkit(&missing, command)
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!("error: {}: no such folder\n", missing.display()));
    }
    let file = dir.path().join("note.md");
    std::fs::write(&file, "# not a folder\n").expect("write");
    vaultkit(&file, &["lint"]).assert().code(2).stderr(format!(
        "error: {}: is a file, not a vault folder\n",
        file.display()
    ));
    assert!(!dir.path().join(".vaultkit").exists());
}

#[cfg(unix)]
#[test]
fn an_unreadable_note_is_reported_and_the_rest_processed() {
    let vault = vault_with(&[
        ("Open.md", b"# Open\nfindme [[Secret]]\n"),
        ("Secret.md", b"# Secret\nfindme too\n"),
    ]);
    let secret = vault.path().join("Secret.md");
    chmod(&secret, 0o000);
    if !permissions_apply(&secret) {
        return;
    }
    vaultkit(vault.path(), &["search", "findme", "--format", "paths"])
        .assert()
        .success()
        .stdout("Open.md\n");
    vaultkit(vault.path(), &["links", "Open"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Secret.md"))
        .stderr(predicate::str::contains(
            "error: Secret.md: cannot read this note: Permission denied",
        ));
    chmod(&secret, 0o644);
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_reported_and_the_rest_processed() {
    let vault = vault_with(&[
        ("Open.md", b"# Open\nfindme\n"),
        ("Locked/Inside.md", b"# Inside\nfindme\n"),
    ]);
    let locked = vault.path().join("Locked");
    chmod(&locked, 0o000);
    if !permissions_apply(&locked) {
        chmod(&locked, 0o755);
        return;
    }
    vaultkit(vault.path(), &["graph", "stats"])
        .assert()
        .success()
        .stderr(
            "error: Locked: cannot read this entry: Permission denied (os error 13) [unreadable-file]\n",
        );
    vaultkit(vault.path(), &["lint"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "Locked\nerror[unreadable-file]: cannot read this entry: Permission denied",
        ));
    assert_eq!(search_paths(vault.path(), "findme"), ["Open.md"]);
    chmod(&locked, 0o755);
}

#[test]
fn non_utf8_and_binary_notes_are_reported_with_their_line() {
    let vault = vault_with(&[
        ("Latin1.md", b"# Caf\xe9\nline two\n"),
        ("Late.md", b"fine\nstill fine\nbad \xff here [[Latin1]]\n"),
        ("Binary.md", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        ("Ok.md", b"# Ok\n"),
    ]);
    vaultkit(vault.path(), &["graph", "stats"])
        .assert()
        .success()
        .stderr(
            "error: Binary.md: this .md file holds binary data (a NUL byte), so its content was not read [unreadable-note]\n\
             error: Late.md:3:5: the file is not valid UTF-8 (first bad byte on line 3); invalid bytes were replaced [invalid-encoding]\n\
             error: Latin1.md:1:6: the file is not valid UTF-8 (first bad byte on line 1); invalid bytes were replaced [invalid-encoding]\n",
        );
    vaultkit(vault.path(), &["lint"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("3 errors, 1 warnings"));
    // As in Obsidian, a binary `.md` file is still a note that links reach.
    let stats = json(vault.path(), &["graph", "stats", "--format", "json"]);
    assert_eq!(stats["notes"], 4);
    // The rest of a note with bad bytes is still read.
    let report = json(vault.path(), &["show", "Late", "--format", "json"]);
    assert_eq!(report["links"][0]["resolved"], "Latin1.md");
}

#[test]
fn a_20_mb_note_is_indexed_and_searched() {
    let mut text = String::from("# Big\n");
    let line = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do\n";
    while text.len() < 20 << 20 {
        text.push_str(line);
    }
    text.push_str("the needle is at the very end [[Small]]\n");
    let vault = vault_with(&[("Big.md", text.as_bytes()), ("Small.md", b"# Small\n")]);
    assert_eq!(search_paths(vault.path(), "needle"), ["Big.md"]);
    let report = json(vault.path(), &["show", "Big", "--format", "json"]);
    assert_eq!(report["links"][0]["resolved"], "Small.md");
    assert_eq!(
        report["links"][0]["line"],
        u64::try_from(text.lines().count()).expect("fits")
    );
}

#[test]
fn a_note_with_50k_links_keeps_them_all() {
    let mut text = String::from("# Hub\n");
    for i in 0..50_000 {
        text.push_str(&format!("[[Target|{i}]] "));
        if i % 10 == 9 {
            text.push('\n');
        }
    }
    let vault = vault_with(&[("Hub.md", text.as_bytes()), ("Target.md", b"# Target\n")]);
    let report = json(vault.path(), &["show", "Hub", "--format", "json"]);
    let links = report["links"].as_array().expect("links");
    assert_eq!(links.len(), 50_000);
    assert!(links.iter().all(|l| l["resolved"] == "Target.md"));
    vaultkit(vault.path(), &["lint"]).assert().success();
}

#[test]
fn five_hundred_levels_of_lists_and_quotes_parse() {
    let mut quotes = String::from("# Quotes\n");
    quotes.push_str(&"> ".repeat(500));
    quotes.push_str("deep [[Target]] #deeptag\n");
    let mut lists = String::from("# Lists\n");
    for level in 0..500 {
        lists.push_str(&"  ".repeat(level));
        lists.push_str("- item\n");
    }
    lists.push_str(&"  ".repeat(500));
    lists.push_str("- deep [[Target]]\n");
    let vault = vault_with(&[
        ("Quotes.md", quotes.as_bytes()),
        ("Lists.md", lists.as_bytes()),
        ("Target.md", b"# Target\n"),
    ]);
    for (note, line) in [("Quotes", 2), ("Lists", 502)] {
        let report = json(vault.path(), &["show", note, "--format", "json"]);
        assert_eq!(report["links"][0]["resolved"], "Target.md", "{note}");
        assert_eq!(report["links"][0]["line"], line, "{note}");
    }
    assert_eq!(search_paths(vault.path(), "tag:#deeptag"), ["Quotes.md"]);
}

/// Front matter whose aliases double at each line (`&a1 [*a0, *a0]`) would
/// hold 2^41 values if expanded: it is refused at the alias that goes over
/// the limit, as is nesting deeper than the limit, and every command runs.
#[test]
fn alias_bombs_and_deep_front_matter_are_refused_at_their_line() {
    let bomb = |levels: usize| {
        let mut text = String::from("---\na0: &a0 [x, y]\n");
        for n in 1..=levels {
            text.push_str(&format!("a{n}: &a{n} [*a{}, *a{}]\n", n - 1, n - 1));
        }
        text + "---\nthe bomb body\n"
    };
    let deep = format!("---\nk:\n  {}x\n---\nthe deep body\n", "- ".repeat(50_000));
    let vault = vault_with(&[
        ("Small.md", bomb(12).as_bytes()),
        ("Bomb.md", bomb(40).as_bytes()),
        ("Deep.md", deep.as_bytes()),
    ]);
    let output = vaultkit(vault.path(), &["lint", "--format", "json"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let found = |path: &str| {
        report["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .find(|d| d["path"] == path && d["rule"] == "invalid-frontmatter")
            .map(|d| (d["line"].clone(), d["message"].clone()))
    };
    let alias_message = "aliases in front matter repeat more than 10000 values";
    assert_eq!(found("Small.md"), Some((13.into(), alias_message.into())));
    assert_eq!(found("Bomb.md"), Some((13.into(), alias_message.into())));
    assert_eq!(
        found("Deep.md"),
        Some((
            3.into(),
            "front matter nests lists and maps more than 64 deep".into()
        ))
    );
    assert_eq!(
        search_paths(vault.path(), "body"),
        ["Bomb.md", "Deep.md", "Small.md"]
    );
    vaultkit(vault.path(), &["graph", "stats"])
        .assert()
        .success();
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_in_loops_or_out_of_the_vault() {
    let outside = vault_with(&[("Outside.md", b"# Outside\nsecretword\n")]);
    let vault = vault_with(&[("Home.md", b"# Home\n[[Outside]] homeword\n")]);
    std::os::unix::fs::symlink(vault.path(), vault.path().join("loop")).expect("symlink");
    std::os::unix::fs::symlink(
        outside.path().join("Outside.md"),
        vault.path().join("Outside.md"),
    )
    .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), vault.path().join("Elsewhere")).expect("symlink");
    assert_eq!(
        search_paths(vault.path(), "secretword"),
        Vec::<String>::new()
    );
    assert_eq!(search_paths(vault.path(), "homeword"), ["Home.md"]);
    let output = vaultkit(vault.path(), &["-v", "graph", "stats"])
        .output()
        .expect("runs");
    let skipped: Vec<_> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|l| l.ends_with("[symlink-skipped]"))
        .map(|l| l.split(':').nth(1).unwrap_or_default().trim().to_owned())
        .collect();
    assert_eq!(skipped, ["Elsewhere", "Outside.md", "loop"]);
    let report = json(vault.path(), &["show", "Home", "--format", "json"]);
    assert_eq!(report["links"][0]["resolved"], serde_json::Value::Null);
}

/// A read-only vault (a read-only bind mount as root, else `chmod 555`) keeps
/// its index in the user's cache folder, says so, and is not written.
#[cfg(target_os = "linux")]
#[test]
fn a_read_only_vault_keeps_its_index_in_the_user_cache() {
    let source = fixture_copy("search");
    let cache = tempfile::tempdir().expect("tempdir");
    let mount = tempfile::tempdir().expect("tempdir");
    let mounted = Command::new("mount")
        .arg("--bind")
        .arg(source.path())
        .arg(mount.path())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
        && Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(mount.path())
            .status()
            .is_ok_and(|s| s.success());
    let vault = if mounted {
        mount.path()
    } else {
        chmod(source.path(), 0o555);
        source.path()
    };
    if std::fs::create_dir(vault.join(".probe")).is_ok() {
        skip("cannot make a read-only folder here");
        chmod(source.path(), 0o755);
        return;
    }
    let output = vaultkit(vault, &["search", "alpha", "--format", "paths"])
        .env("XDG_CACHE_HOME", cache.path())
        .output()
        .expect("runs");
    if mounted {
        unmount(mount.path());
    } else {
        chmod(source.path(), 0o755);
    }
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Alpha.md\nBeta.md\nDelta.md\n"
    );
    let stored: Vec<_> = std::fs::read_dir(cache.path().join("vaultkit"))
        .expect("the cache holds the index")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].join("index/meta.json").is_file());
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        format!(
            "note: the vault is read-only; its index is kept in {}\n",
            stored[0].display()
        )
    );
    assert!(!source.path().join(".vaultkit").exists());
}

/// Damages the index of a copy of the `search` fixture with `damage`, then
/// checks that a search rebuilds it, says why, and answers as before.
fn rebuilt_after(damage: impl Fn(&Path), reason: &str) {
    let vault = fixture_copy("search");
    vaultkit(vault.path(), &["index"]).assert().success();
    damage(&vault.path().join(".vaultkit/index"));
    vaultkit(vault.path(), &["search", "alpha", "--format", "paths"])
        .assert()
        .success()
        .stdout("Alpha.md\nBeta.md\nDelta.md\n")
        .stderr(predicate::str::starts_with(format!(
            "note: rebuilding the index: {reason}"
        )));
    // The rebuilt index is whole: no notice the second time.
    vaultkit(vault.path(), &["search", "alpha", "--format", "paths"])
        .assert()
        .success()
        .stderr("");
}

fn segment_files(dir: &Path, extension: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .expect("ls")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect()
}

/// An index made for a vault with no files is committed like any other:
/// the next run uses it instead of taking it for another version's.
#[test]
fn the_index_of_an_empty_vault_is_kept() {
    let vault = vault_with(&[]);
    for args in [
        ["search", "anything"],
        ["graph", "stats"],
        ["search", "again"],
    ] {
        let assert = vaultkit(vault.path(), &args).assert().stderr("");
        assert.code(if args[0] == "search" { 1 } else { 0 });
    }
    std::fs::write(vault.path().join("First.md"), "# First\n").expect("write");
    assert_eq!(search_paths(vault.path(), "first"), ["First.md"]);
}

#[test]
fn a_corrupt_index_is_rebuilt() {
    rebuilt_after(
        |dir| std::fs::write(dir.join("meta.json"), "{ not json").expect("write"),
        "the index could not be opened (Data corrupted",
    );
}

#[test]
fn a_truncated_index_is_rebuilt() {
    rebuilt_after(
        |dir| {
            for term in segment_files(dir, "term") {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(term)
                    .expect("open");
                file.set_len(10).expect("truncate");
            }
        },
        "the index files are damaged (",
    );
    rebuilt_after(
        |dir| {
            for store in segment_files(dir, "store") {
                std::fs::write(store, b"").expect("empty");
            }
        },
        "the index files are damaged (",
    );
}

/// tantivy reads a segment's files only when a search needs them, and checks
/// their checksums only when asked: each is checked when the index opens, so
/// that a missing, emptied, garbled or flipped file is rebuilt, never an
/// error or a wrong answer.
#[test]
fn a_missing_or_damaged_segment_file_is_rebuilt() {
    let unreadable = "the index files are damaged (one cannot be read)\n";
    rebuilt_after(
        |dir| {
            segment_files(dir, "pos")
                .into_iter()
                .for_each(|f| std::fs::remove_file(f).expect("rm"))
        },
        unreadable,
    );
    rebuilt_after(
        |dir| {
            segment_files(dir, "pos")
                .into_iter()
                .for_each(|f| std::fs::write(f, b"").expect("empty"))
        },
        unreadable,
    );
    let flip = |extension: &'static str, at: fn(usize) -> usize| {
        move |dir: &Path| {
            for file in segment_files(dir, extension) {
                let mut bytes = std::fs::read(&file).expect("read");
                let i = at(bytes.len());
                bytes[i] ^= 0x01;
                std::fs::write(file, bytes).expect("write");
            }
        }
    };
    rebuilt_after(flip("pos", |len| len / 2), "the index files are damaged (");
    rebuilt_after(flip("fast", |len| len / 3), "the index files are damaged (");
}

#[test]
fn an_index_from_a_future_version_is_rebuilt() {
    rebuilt_after(
        |dir| {
            let meta = std::fs::read_to_string(dir.join("meta.json")).expect("read");
            assert!(meta.contains("vaultkit-index 3;"));
            let future = meta.replace("vaultkit-index 3;", "vaultkit-index 99;");
            std::fs::write(dir.join("meta.json"), future).expect("write");
        },
        "the index was written by another version or language\n",
    );
}

#[test]
fn a_damaged_note_table_is_rebuilt() {
    rebuilt_after(
        |dir| {
            let table = dir.with_file_name("notes.bin");
            let mut bytes = std::fs::read(&table).expect("read");
            let last = bytes.len() - 1;
            bytes[last] ^= 0xff;
            std::fs::write(table, bytes).expect("write");
        },
        "the note table is damaged\n",
    );
}

/// A table left from an earlier commit (as a crash between the commit and
/// the table's replacement would leave it) is never paired with a newer index.
#[test]
fn a_note_table_of_another_commit_is_rebuilt() {
    let vault = fixture_copy("search");
    vaultkit(vault.path(), &["index"]).assert().success();
    let table = vault.path().join(".vaultkit/notes.bin");
    let old = std::fs::read(&table).expect("read");
    std::fs::write(
        vault.path().join("Alpha.md"),
        "# Alpha\n\nnow about okapis\n",
    )
    .expect("edit");
    vaultkit(vault.path(), &["index"]).assert().success();
    std::fs::write(&table, old).expect("put the old table back");
    vaultkit(vault.path(), &["search", "okapis", "--format", "paths"])
        .assert()
        .success()
        .stdout("Alpha.md\n")
        .stderr("note: rebuilding the index: the note table does not match the index\n");
}

/// The write lock is an OS lock (flock), so a process killed while holding it
/// releases it: the next run does not wait for it. A lock file left behind is
/// only a file.
#[cfg(target_os = "linux")]
#[test]
fn a_lock_left_by_a_killed_process_does_not_block() {
    let vault = fixture_copy("search");
    vaultkit(vault.path(), &["index"]).assert().success();
    let lock = vault.path().join(".vaultkit/write.lock");
    assert!(lock.is_file(), "the lock file stays between runs");

    // A holder that takes the lock the way vaultkit does, then is killed.
    let Ok(mut holder) = Command::new("flock")
        .arg("--close")
        .arg(&lock)
        .args(["sleep", "60"])
        .spawn()
    else {
        skip("`flock` (util-linux) is not installed");
        return;
    };
    let probe = std::fs::File::open(&lock).expect("open the lock");
    let deadline = Instant::now() + Duration::from_secs(10);
    while probe.try_lock().is_ok() {
        probe.unlock().expect("unlock");
        assert!(Instant::now() < deadline, "flock never took the lock");
        std::thread::sleep(Duration::from_millis(20));
    }
    let pid = holder.id().to_string();
    Command::new("kill")
        .args(["-KILL", &pid])
        .status()
        .expect("kill");
    holder.wait().expect("reaped");

    std::fs::write(vault.path().join("New.md"), "# New\nalpha again\n").expect("write");
    let started = Instant::now();
    vaultkit(
        vault.path(),
        &["search", "alpha", "--format", "paths", "--sort", "path"],
    )
    .assert()
    .success()
    .stdout("Alpha.md\nBeta.md\nDelta.md\nNew.md\n")
    .stderr("");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "waited {:?} for a dead process's lock",
        started.elapsed()
    );
}

/// A note edited after `lint --fix` read it and before it writes is left as
/// the editor left it (a debug-build pause lets the test edit in between).
#[test]
fn a_note_edited_during_fix_is_skipped_and_untouched() {
    let vault = fixture_copy("lint-fix");
    let home = vault.path().join("Home.md");
    let mut child = Command::new(env!("CARGO_BIN_EXE_vaultkit"))
        .arg("--vault")
        .arg(vault.path())
        .args(["lint", "--fix"])
        .env("VAULTKIT_TEST_PAUSE_WRITE_MS", "1500")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut line = String::new();
    loop {
        line.clear();
        assert_ne!(stderr.read_line(&mut line).expect("read"), 0, "no pause");
        if line.starts_with("paused before writing") && line.trim_end().ends_with("Home.md") {
            break;
        }
    }
    let edited = "# Home\nRewritten by someone else meanwhile: [[topic]]\n";
    std::fs::write(&home, edited).expect("edit");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).expect("read");
    child.wait().expect("exits");
    assert!(
        rest.contains("skipped Home.md: it changed since it was read; run lint --fix again"),
        "{rest}"
    );
    assert_eq!(std::fs::read_to_string(&home).expect("read"), edited);
}

/// A disk that fills up while the index is written (a 256 KiB tmpfs holding
/// the index) fails that update, and the index of the last commit still answers.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_while_indexing_keeps_the_previous_index() {
    let vault = fixture_copy("search");
    let data = tempfile::tempdir().expect("tempdir");
    if !mount_tmpfs(data.path(), "256k") {
        return;
    }
    let with_index = |args: &[&str]| {
        let mut command = vaultkit(vault.path(), args);
        command.arg("--index-dir").arg(data.path());
        command
    };
    with_index(&["index"]).assert().success();
    // 60 000 distinct words need far more than what is left.
    let mut big = String::from("# Big\nalpha\n");
    let mut seed: u64 = 42;
    for _ in 0..60_000 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        big.push_str(&format!("w{:012x} ", seed >> 16));
    }
    std::fs::write(vault.path().join("Big.md"), big).expect("write");
    let index = with_index(&["index"]).output().expect("runs");
    let search = with_index(&["search", "alpha", "--format", "paths"])
        .output()
        .expect("runs");
    unmount(data.path());

    assert_eq!(index.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&index.stderr);
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(
        stderr.contains("error: the index was not updated:"),
        "{stderr}"
    );
    assert!(search.status.success());
    assert_eq!(
        String::from_utf8_lossy(&search.stdout),
        "Alpha.md\nBeta.md\nDelta.md\n"
    );
    let stderr = String::from_utf8_lossy(&search.stderr);
    assert!(
        stderr.starts_with("note: cannot update the index (")
            && stderr.contains("No space left on device")
            && stderr.trim_end().ends_with("); using it as it was"),
        "{stderr}"
    );
}
