//! The README and the pages under `docs/` are tested so that they cannot
//! drift from the binary:
//!
//! - every `$ vaultkit …` line in a ```` ```console ```` block runs on a fresh
//!   copy of the bundled vault (the commands of one page in order, from the
//!   folder that holds `vault/`, as a reader would) and must print what the
//!   page shows under it; a line `...` stands for any number of lines and
//!   `[..]` for any text within a line;
//! - every relative link leads to a file, and every `#fragment` to a heading;
//! - no page carries a date or a commit hash, nor a timing outside a section
//!   that names the command reproducing it; the README stays short.
//!
//! After an intended change of output, `UPDATE_DOCS=1 cargo test --test it docs`
//! writes the actual output into the pages (keeping their elisions) for review.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use regex::Regex;

/// The most lines the README may have: a newcomer reads it in five minutes.
const README_LINES: usize = 300;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A page's path as the repository names it, for messages.
fn name(page: &Path) -> String {
    page.strip_prefix(repository())
        .unwrap_or(page)
        .display()
        .to_string()
}

fn updating() -> bool {
    std::env::var_os("UPDATE_DOCS").is_some()
}

/// The README, CONTRIBUTING.md and every Markdown page under `docs/`.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![
        repository().join("README.md"),
        repository().join("CONTRIBUTING.md"),
    ];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(repository().join("docs"))
        .expect("docs/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

fn read(page: &Path) -> String {
    std::fs::read_to_string(page).unwrap_or_else(|e| panic!("{}: {e}", name(page)))
}

/// A fenced code block: its info string, indentation and content lines
/// (indices into the page's lines, the fences excluded).
struct Fence {
    info: String,
    indent: usize,
    lines: std::ops::Range<usize>,
}

fn fences(lines: &[&str]) -> Vec<Fence> {
    let mut fences = Vec::new();
    let mut open: Option<(String, usize, usize)> = None;
    for (number, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        if !trimmed.starts_with("```") {
            continue;
        }
        match open.take() {
            None => {
                let info = trimmed.trim_start_matches('`').trim().to_owned();
                open = Some((info, line.len() - trimmed.len(), number + 1));
            }
            Some((info, indent, start)) if trimmed.trim_end() == "```" => fences.push(Fence {
                info,
                indent,
                lines: start..number,
            }),
            Some(still_open) => open = Some(still_open),
        }
    }
    assert!(open.is_none(), "a code block is never closed");
    fences
}

/// One `$ command` of a console block and the output shown under it.
struct Example {
    command: String,
    /// Line index of the `$` line.
    line: usize,
    shown: Vec<String>,
}

fn examples(lines: &[&str], fence: &Fence, page: &Path) -> Vec<Example> {
    let mut examples: Vec<Example> = Vec::new();
    for number in fence.lines.clone() {
        let line = lines[number].get(fence.indent..).unwrap_or("").trim_end();
        if let Some(command) = line.strip_prefix("$ ") {
            examples.push(Example {
                command: command.to_owned(),
                line: number,
                shown: Vec::new(),
            });
        } else {
            let example = examples.last_mut().unwrap_or_else(|| {
                panic!(
                    "{}:{}: a console block starts with `$ command`",
                    name(page),
                    number + 1
                )
            });
            example.shown.push(line.to_owned());
        }
    }
    for example in &mut examples {
        while example.shown.last().is_some_and(String::is_empty) {
            example.shown.pop();
        }
    }
    examples
}

/// The arguments of a shown command line: `vaultkit ARGS`, or the quick
/// start's `cargo run --release -- ARGS`.
fn vaultkit_args(command: &str) -> Result<Vec<String>, String> {
    let words = shlex::split(command).ok_or("unbalanced quotes")?;
    if words
        .iter()
        .any(|word| ["|", ">", "<", "&&", ";"].contains(&word.as_str()))
    {
        return Err("pipes and redirections do not run here; use a ```sh block".into());
    }
    match words.as_slice() {
        [first, rest @ ..] if first == "vaultkit" => Ok(rest.to_vec()),
        [cargo, run, release, dashes, rest @ ..]
            if [cargo, run, release, dashes] == ["cargo", "run", "--release", "--"] =>
        {
            Ok(rest.to_vec())
        }
        _ => Err("only `vaultkit …` runs in a console block; use a ```sh block".into()),
    }
}

/// Copies the fixture vaults a command names (`--vault tests/fixtures/NAME`)
/// beside the bundled vault, so that examples of findings run on a copy too.
fn copy_fixtures(args: &[String], folder: &Path) {
    for pair in args.windows(2).filter(|pair| pair[0] == "--vault") {
        let copy = folder.join(&pair[1]);
        if pair[1].starts_with("tests/fixtures/") && !copy.exists() {
            crate::util::copy_folder(&repository().join(&pair[1]), &copy);
        }
    }
}

/// Runs a shown command from `folder` (which holds `vault/`): stdout, then stderr.
fn run(folder: &Path, args: &[String]) -> Vec<String> {
    let output = assert_cmd::cargo::cargo_bin_cmd!("vaultkit")
        .current_dir(folder)
        .env_remove("VAULTKIT_VAULT")
        .env_remove("VAULTKIT_INDEX_DIR")
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("vaultkit runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    let mut lines: Vec<String> = text.lines().map(|l| l.trim_end().to_owned()).collect();
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// Whether a shown line stands for an actual one (`[..]` is any text).
fn line_matches(shown: &str, actual: &str) -> bool {
    let mut parts = shown.split("[..]");
    let first = parts.next().unwrap_or("");
    let Some(mut rest) = actual.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    for (i, part) in parts.iter().enumerate() {
        if i + 1 == parts.len() {
            return rest.ends_with(part);
        }
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Whether shown output stands for the actual output (`...` is any lines).
fn output_matches(shown: &[String], actual: &[String]) -> bool {
    match shown.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first == "..." => {
            (0..=actual.len()).any(|skip| output_matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, after)| line_matches(first, line) && output_matches(rest, after)),
    }
}

/// What `UPDATE_DOCS=1` writes: the actual output, cut as the shown one was
/// (as many lines before the first `...` and after the last), keeping shown
/// lines that still match.
fn rewritten(shown: &[String], actual: &[String]) -> Vec<String> {
    let Some(first) = shown.iter().position(|l| l == "...") else {
        return actual.to_vec();
    };
    let last = shown.iter().rposition(|l| l == "...").expect("found");
    let (head, tail) = (first, shown.len() - last - 1);
    if head + tail >= actual.len() {
        return actual.to_vec();
    }
    let keep = |shown: &String, actual: &String| {
        if line_matches(shown, actual) {
            shown.clone()
        } else {
            actual.clone()
        }
    };
    let mut lines: Vec<String> = shown[..head]
        .iter()
        .zip(&actual[..head])
        .map(|(s, a)| keep(s, a))
        .collect();
    lines.push("...".to_owned());
    lines.extend(
        shown[last + 1..]
            .iter()
            .zip(&actual[actual.len() - tail..])
            .map(|(s, a)| keep(s, a)),
    );
    lines
}

/// Runs every console example of a page; returns what differs, or rewrites
/// the page under `UPDATE_DOCS=1`.
fn check_examples(page: &Path) -> Vec<String> {
    let text = read(page);
    let lines: Vec<&str> = text.lines().collect();
    let folder = tempfile::tempdir().expect("tempdir");
    crate::util::copy_folder(&crate::util::sample_vault(), &folder.path().join("vault"));
    let mut failures = Vec::new();
    let mut replaced: Vec<(std::ops::Range<usize>, Vec<String>)> = Vec::new();
    for fence in fences(&lines).iter().filter(|f| f.info == "console") {
        let examples = examples(&lines, fence, page);
        for (i, example) in examples.iter().enumerate() {
            let at = format!("{}:{}", name(page), example.line + 1);
            let args = match vaultkit_args(&example.command) {
                Ok(args) => args,
                Err(why) => {
                    failures.push(format!("{at}: `{}`: {why}", example.command));
                    continue;
                }
            };
            copy_fixtures(&args, folder.path());
            let actual = run(folder.path(), &args);
            let vacuous = !example.shown.is_empty() && example.shown.iter().all(|l| l == "...");
            if vacuous && !actual.is_empty() {
                failures.push(format!(
                    "{at}: `{}`: show some of its output",
                    example.command
                ));
                continue;
            }
            if output_matches(&example.shown, &actual) {
                continue;
            }
            if updating() {
                let end = examples
                    .get(i + 1)
                    .map_or(fence.lines.end, |next| next.line);
                let indent = " ".repeat(fence.indent);
                let mut new: Vec<String> = vec![format!("{indent}$ {}", example.command)];
                new.extend(rewritten(&example.shown, &actual).into_iter().map(|l| {
                    if l.is_empty() {
                        l
                    } else {
                        format!("{indent}{l}")
                    }
                }));
                replaced.push((example.line..end, new));
            } else {
                failures.push(format!(
                    "{at}: `{}` printed:\n{}\n",
                    example.command,
                    actual.join("\n")
                ));
            }
        }
    }
    if !replaced.is_empty() {
        let mut out: Vec<String> = Vec::new();
        let mut next = 0;
        for (range, new) in replaced {
            out.extend(lines[next..range.start].iter().map(|l| (*l).to_owned()));
            out.extend(new);
            next = range.end;
        }
        out.extend(lines[next..].iter().map(|l| (*l).to_owned()));
        std::fs::write(page, out.join("\n") + "\n").expect("rewrite the page");
    }
    failures
}

fn assert_examples(page: &str) {
    let failures = check_examples(&repository().join(page));
    assert!(
        failures.is_empty(),
        "{}\n(after an intended change: UPDATE_DOCS=1 cargo test --test it docs, then review the diff)",
        failures.join("\n")
    );
}

#[test]
fn the_readme_examples_print_what_they_show() {
    assert_examples("README.md");
}

#[test]
fn the_commands_page_examples_print_what_they_show() {
    assert_examples("docs/commands.md");
}

#[test]
fn the_examples_of_every_other_page_print_what_they_show() {
    let busy = ["README.md", "commands.md"];
    let failures: Vec<String> = pages()
        .iter()
        .filter(|page| !busy.iter().any(|name| page.ends_with(name)))
        .flat_map(|page| check_examples(page))
        .collect();
    assert!(
        failures.is_empty(),
        "{}\n(after an intended change: UPDATE_DOCS=1 cargo test --test it docs, then review the diff)",
        failures.join("\n")
    );
}

/// A page's lines outside code blocks, with inline code removed.
fn prose(text: &str) -> Vec<(usize, String)> {
    let inline = Regex::new("`[^`]*`").expect("regex");
    prose_with_code_spans(text)
        .into_iter()
        .map(|(number, line)| (number, inline.replace_all(&line, "").into_owned()))
        .collect()
}

/// GitHub's anchors for a page's headings.
fn anchors(text: &str) -> HashSet<String> {
    let mut seen: HashSet<String> = HashSet::new();
    for (_, line) in prose_with_code_spans(text) {
        let Some(heading) = line.strip_prefix('#') else {
            continue;
        };
        let title = heading.trim_start_matches('#').trim();
        let slug: String = title
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let mut unique = slug.clone();
        let mut n = 1;
        while !seen.insert(unique.clone()) {
            unique = format!("{slug}-{n}");
            n += 1;
        }
    }
    seen
}

/// Lines outside code blocks, inline code kept (headings keep their words).
fn prose_with_code_spans(text: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let code: HashSet<usize> = fences(&lines)
        .iter()
        .flat_map(|f| f.lines.start.saturating_sub(1)..=f.lines.end)
        .collect();
    lines
        .iter()
        .enumerate()
        .filter(|(number, _)| !code.contains(number))
        .map(|(number, line)| (number, (*line).to_owned()))
        .collect()
}

#[test]
fn every_relative_link_leads_to_a_file_and_every_fragment_to_a_heading() {
    let link = Regex::new(r"\]\(([^)\s]+)\)").expect("regex");
    let mut broken = Vec::new();
    for page in pages() {
        let text = read(&page);
        for (number, line) in prose(&text) {
            for target in link.captures_iter(&line).map(|c| c[1].to_owned()) {
                if target.contains("://") || target.starts_with("mailto:") {
                    continue;
                }
                let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
                let file = if path.is_empty() {
                    page.clone()
                } else {
                    page.parent().expect("folder").join(path)
                };
                let at = format!("{}:{}: {target}", name(&page), number + 1);
                if !file.exists() {
                    broken.push(format!("{at}: no such file"));
                } else if !fragment.is_empty()
                    && file.extension().is_some_and(|e| e == "md")
                    && !anchors(&read(&file)).contains(fragment)
                {
                    broken.push(format!("{at}: no such heading"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn the_readme_is_short() {
    let lines = read(&repository().join("README.md")).lines().count();
    assert!(lines <= README_LINES, "README.md has {lines} lines");
}

/// Whether a section names a command that reproduces its timings.
fn names_a_benchmark(section: &str) -> bool {
    section.contains("benches/") && section.contains(".sh")
        || section.contains("cargo run --release --example")
}

#[test]
fn no_page_carries_a_date_a_commit_hash_or_an_unreproducible_timing() {
    let date = Regex::new(r"\b(19|20)\d\d-[01]\d-[0-3]\d\b").expect("regex");
    let hash = Regex::new(r"\b[0-9a-f]{7,40}\b").expect("regex");
    let timing = Regex::new(r"\b\d+(\.\d+)?\s?(ms|s|µs)\b").expect("regex");
    let inline = Regex::new("`[^`]*`").expect("regex");
    let mut found = Vec::new();
    // docs/cli.md is generated from the help text: its examples are checked there.
    for page in pages().into_iter().filter(|p| !p.ends_with("docs/cli.md")) {
        let text = read(&page);
        // Real output shown by console examples is checked by running them.
        let lines: Vec<&str> = text.lines().collect();
        let output: HashSet<usize> = fences(&lines)
            .iter()
            .filter(|f| f.info == "console")
            .flat_map(|f| f.lines.clone())
            .collect();
        let sections: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("## "))
            .map(|(n, _)| n)
            .collect();
        let section_of = |number: usize| {
            let start = sections
                .iter()
                .rev()
                .find(|&&s| s <= number)
                .copied()
                .unwrap_or(0);
            let end = sections
                .iter()
                .find(|&&s| s > number)
                .copied()
                .unwrap_or(lines.len());
            lines[start..end].join("\n")
        };
        for (number, line) in lines.iter().enumerate() {
            if output.contains(&number) {
                continue;
            }
            let at = format!("{}:{}: {line}", name(&page), number + 1);
            // Dates in inline code are example values (`2026-01-10`), not when something ran.
            if date.is_match(&inline.replace_all(line, "")) {
                found.push(format!("{at}: a date"));
            }
            if hash.find_iter(line).any(|m| {
                let word = m.as_str();
                word.chars().any(|c| c.is_ascii_digit())
                    && word.chars().any(|c| c.is_ascii_alphabetic())
            }) {
                found.push(format!("{at}: a commit hash"));
            }
            if timing.is_match(line) && !names_a_benchmark(&section_of(number)) {
                found.push(format!(
                    "{at}: a timing without the command that reproduces it"
                ));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn every_command_on_the_bundled_vault_is_shown_where_it_runs() {
    // A command on the bundled vault in a block that does not run could
    // drift unnoticed: it belongs in a console block (or repeats one).
    let mut unchecked = Vec::new();
    for page in pages().into_iter().filter(|p| !p.ends_with("docs/cli.md")) {
        let text = read(&page);
        let lines: Vec<&str> = text.lines().collect();
        let all = fences(&lines);
        let ran: HashSet<&str> = all
            .iter()
            .filter(|f| f.info == "console")
            .flat_map(|f| f.lines.clone())
            .filter_map(|n| lines[n].trim_start().strip_prefix("$ "))
            .map(str::trim_end)
            .collect();
        for fence in all.iter().filter(|f| f.info != "console") {
            for number in fence.lines.clone() {
                let command = lines[number].trim();
                let command = command.split("  #").next().unwrap_or(command).trim_end();
                let on_bundled_vault = [
                    "vaultkit --vault vault ",
                    "cargo run --release -- --vault vault ",
                ]
                .iter()
                .any(|start| command.starts_with(start));
                if on_bundled_vault && !ran.contains(command) {
                    unchecked.push(format!("{}:{}: {command}", name(&page), number + 1));
                }
            }
        }
    }
    assert!(unchecked.is_empty(), "{unchecked:#?}");
}

#[test]
fn elisions_stand_for_lines_and_text() {
    let lines = |s: &str| s.lines().map(str::to_owned).collect::<Vec<_>>();
    let actual = lines("a\nb 12 ms\nc\nd");
    assert!(output_matches(&lines("a\n...\nd"), &actual));
    assert!(output_matches(&lines("a\nb [..] ms\n..."), &actual));
    assert!(!output_matches(
        &lines("a\nb [..] s\n..."),
        &lines("a\nb 12 ms\nc")
    ));
    assert!(!output_matches(&lines("a\nc\n..."), &actual));
    assert!(!output_matches(&lines("a\n..."), &lines("b")));
    assert_eq!(
        rewritten(&lines("a\nx [..]\n...\nz"), &lines("a\nx 1\ny\nw\nq")),
        lines("a\nx [..]\n...\nq")
    );
}
