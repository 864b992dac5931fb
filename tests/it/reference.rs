//! The CLI reference (`docs/cli.md`) and the man pages (`docs/man/`) are
//! generated from the same clap definitions as `--help`, and committed. These
//! tests fail when a committed file is out of date; `UPDATE_DOCS=1 cargo test`
//! writes them anew.

use std::path::Path;

use clap::CommandFactory;

// The command line lives in the binary crate; the reference needs its clap
// definitions, so the test compiles them in as well.
#[path = "../../src/cli/mod.rs"]
#[allow(dead_code)]
mod cli;

/// Width of the help text in the reference: the same on every machine.
const WIDTH: usize = 100;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn command() -> clap::Command {
    // Environment values are the reader's, not the reference's.
    let mut command = cli::Cli::command()
        .mut_args(|arg| arg.hide_env_values(true))
        .term_width(WIDTH)
        .max_term_width(WIDTH);
    command.build();
    command
}

/// Every command and subcommand, depth first, with its full name.
fn commands(command: &clap::Command, name: String, into: &mut Vec<(String, clap::Command)>) {
    into.push((name.clone(), command.clone()));
    for sub in command
        .get_subcommands()
        .filter(|sub| sub.get_name() != "help")
    {
        commands(sub, format!("{name} {}", sub.get_name()), into);
    }
}

/// `docs/cli.md`: each command's `--help`, as clap prints it.
fn markdown_reference() -> String {
    let mut all = Vec::new();
    commands(&command(), "vaultkit".to_owned(), &mut all);
    let mut text = String::from(
        "# Command-line reference\n\n\
         <!-- Generated from the clap definitions in src/cli/ by tests/it/reference.rs:\n     \
         run `UPDATE_DOCS=1 cargo test --test it reference` after changing an option. -->\n\n\
         This is what `vaultkit help COMMAND` prints. The manual, with an example of each\n\
         command on the bundled vault, is [commands.md](commands.md); the man pages are in\n\
         [man/](man/vaultkit.1).\n\n",
    );
    for (name, _) in &all {
        let anchor = name.replace(' ', "-");
        text.push_str(&format!("- [`{name}`](#{anchor})\n"));
    }
    for (name, mut command) in all {
        let help = command.render_long_help().to_string();
        let help: Vec<&str> = help.lines().map(str::trim_end).collect();
        text.push_str(&format!(
            "\n## {name}\n\n```text\n{}\n```\n",
            help.join("\n")
        ));
    }
    text
}

/// `docs/man/*.1`: a page for `vaultkit` and one per subcommand.
fn man_pages() -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    commands(&command(), "vaultkit".to_owned(), &mut all);
    all.into_iter()
        .map(|(name, command)| {
            let mut page = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut page)
                .expect("the man page renders");
            (format!("{}.1", name.replace(' ', "-")), page)
        })
        .collect()
}

/// Compares `expected` with the committed file, or writes it with `UPDATE_DOCS=1`.
fn check(path: &Path, expected: &[u8]) -> Option<String> {
    let committed = std::fs::read(path).unwrap_or_default();
    if committed == expected {
        return None;
    }
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().expect("a folder")).expect("mkdir");
        std::fs::write(path, expected).expect("write the reference");
        return None;
    }
    Some(format!("{} is out of date", path.display()))
}

#[test]
fn the_committed_cli_reference_matches_the_clap_definitions() {
    let path = repository().join("docs/cli.md");
    let stale = check(&path, markdown_reference().as_bytes());
    assert!(
        stale.is_none(),
        "{}: run `UPDATE_DOCS=1 cargo test --test it reference`",
        stale.unwrap_or_default()
    );
}

#[test]
fn the_committed_man_pages_match_the_clap_definitions() {
    let folder = repository().join("docs/man");
    let pages = man_pages();
    let mut stale: Vec<String> = pages
        .iter()
        .filter_map(|(name, page)| check(&folder.join(name), page))
        .collect();
    // A page whose command is gone is stale too.
    let names: Vec<&str> = pages.iter().map(|(name, _)| name.as_str()).collect();
    for entry in std::fs::read_dir(&folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !names.contains(&name.as_str()) {
            if std::env::var_os("UPDATE_DOCS").is_some() {
                std::fs::remove_file(entry.path()).expect("remove a stale page");
            } else {
                stale.push(format!("docs/man/{name} names no command"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "{stale:#?}: run `UPDATE_DOCS=1 cargo test --test it reference`"
    );
}

#[test]
fn the_reference_says_what_help_says() {
    // The reference is rendered in-process; the binary must print the same.
    let output = assert_cmd::cargo::cargo_bin_cmd!("vaultkit")
        .args(["help", "search"])
        .env_remove("VAULTKIT_VAULT")
        .env("COLUMNS", WIDTH.to_string())
        .output()
        .expect("vaultkit runs");
    let help = String::from_utf8(output.stdout).expect("UTF-8");
    let reference = markdown_reference();
    let first_option = help
        .lines()
        .find(|line| line.trim_start().starts_with("--"))
        .expect("search has options");
    assert!(
        reference.contains(first_option.trim_end()),
        "{first_option}"
    );
}
