//! Searches running while another process rebuilds the index all answer,
//! from a whole commit (the old one or the new), never a half-built index.

use std::process::{Command, Output, Stdio};

use crate::util::{fixture_copy, vaultkit};

fn spawn(vault: &std::path::Path, args: &[&str]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_vaultkit"))
        .env_remove("VAULTKIT_VAULT")
        .env_remove("VAULTKIT_INDEX_DIR")
        .arg("--vault")
        .arg(vault)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn vaultkit")
}

fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn searches_during_a_rebuild_all_answer_the_same() {
    let vault = fixture_copy("search");
    // Enough notes that the rebuild takes a while.
    std::fs::create_dir(vault.path().join("Gen")).expect("mkdir");
    for i in 0..600 {
        let body =
            format!("# Generated {i}\nfiller words number {i} about nothing in particular\n");
        std::fs::write(vault.path().join(format!("Gen/N{i}.md")), body).expect("write");
    }
    let query = ["search", "alpha", "--format", "paths", "--sort", "path"];
    vaultkit(vault.path(), &["index"]).assert().success();
    let expected = vaultkit(vault.path(), &query).output().expect("runs");
    let expected = text(&expected).0;
    assert_eq!(expected, "Alpha.md\nBeta.md\nDelta.md\n");

    let rebuild = spawn(vault.path(), &["index", "--rebuild"]);
    let searches: Vec<_> = (0..8).map(|_| spawn(vault.path(), &query)).collect();
    for search in searches {
        let output = search.wait_with_output().expect("search ends");
        let (stdout, stderr) = text(&output);
        assert!(output.status.success(), "search failed: {stderr}");
        assert_eq!(stdout, expected, "{stderr}");
        // Answered at once from the last commit: no waiting, no rebuilding.
        assert_eq!(stderr, "");
    }
    let output = rebuild.wait_with_output().expect("rebuild ends");
    assert!(output.status.success(), "{}", text(&output).1);
    assert!(
        text(&output)
            .0
            .starts_with("indexed 605 notes and 1 other files")
    );
    // And after it, the same answer from the new index.
    assert_eq!(
        text(&vaultkit(vault.path(), &query).output().expect("runs")).0,
        expected
    );
}
