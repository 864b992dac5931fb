//! Every expression and every YAML example of Obsidian's own Bases help
//! pages (`../shared/corpora/obsidian-help/en/Bases/`) must parse. Skipped,
//! with a printed reason, when the pages are absent.

use std::path::{Path, PathBuf};

use vaultkit::base::{Base, parse_expression};

use crate::util::skip;

/// Code spans in the pages that are not expressions: descriptions written
/// like code.
const NOT_EXPRESSIONS: &[(&str, &str)] = &[
    ("file.hasLink()", "names the function, without its argument"),
    ("values.reduce(...)", "an elided argument"),
];

fn pages() -> Option<PathBuf> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/obsidian-help/en/Bases");
    if path.is_dir() {
        Some(path)
    } else {
        skip(&format!(
            "the Bases help pages are absent from {}",
            path.display()
        ));
        None
    }
}

/// The fenced blocks of `text` whose info string is `language`.
fn fenced<'t>(text: &'t str, language: &str) -> Vec<&'t str> {
    let mut blocks = Vec::new();
    let mut rest = text;
    let open = format!("```{language}\n");
    while let Some(start) = rest.find(&open) {
        let body = &rest[start + open.len()..];
        let Some(end) = body.find("```") else { break };
        blocks.push(&body[..end]);
        rest = &body[end..][3..];
    }
    blocks
}

/// Inline code spans on list lines that read like expressions: a call, a
/// property path or an operator, but not a signature (`f(x: string): T`)
/// nor a wikilink or a bare name.
fn inline_expressions(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines().filter(|l| l.trim_start().starts_with("- ")) {
        for (i, span) in line.split('`').enumerate() {
            let is_code = i % 2 == 1;
            let looks_like_code = span.contains('(')
                || span.contains('.')
                || [
                    " + ", " - ", " * ", " / ", " > ", " < ", "==", "!=", "&&", "||",
                ]
                .iter()
                .any(|op| span.contains(op));
            let signature = span.contains("): ") || span.contains(": string");
            let not_code = span.starts_with("[[")
                || span.starts_with('!')
                || span.contains("://") && !span.contains('(');
            if is_code && looks_like_code && !signature && !not_code {
                found.push(span.to_owned());
            }
        }
    }
    found
}

#[test]
fn every_expression_and_yaml_example_of_the_help_parses() {
    let Some(pages) = pages() else { return };
    let read = |name: &str| std::fs::read_to_string(pages.join(name)).expect("page");
    let mut expressions: Vec<String> = Vec::new();
    for page in [
        "Functions.md",
        "Formulas.md",
        "Bases syntax.md",
        "Layouts/Table view.md",
        "Layouts/Map view.md",
    ] {
        let text = read(page);
        expressions.extend(inline_expressions(&text));
        expressions.extend(fenced(&text, "js").into_iter().map(|b| b.trim().to_owned()));
        expressions.extend(
            fenced(&text, "\tjs")
                .into_iter()
                .map(|b| b.trim().to_owned()),
        );
    }
    // `name()` alone names a function in prose: the name must be one.
    let (names, expressions): (Vec<String>, Vec<String>) = expressions.into_iter().partition(|e| {
        e.strip_suffix("()")
            .is_some_and(|name| name.chars().all(char::is_alphanumeric))
    });
    for name in &names {
        let as_method = format!("x.{name}");
        let unknown = |e: &str| {
            parse_expression(e).is_err_and(|err| err.message.starts_with("unknown function"))
        };
        assert!(
            !(unknown(name) && unknown(&as_method)),
            "`{name}` is no function"
        );
    }
    assert!(
        names.len() > 20,
        "only {} function names found",
        names.len()
    );
    let failures: Vec<String> = expressions
        .iter()
        .filter(|e| !NOT_EXPRESSIONS.iter().any(|(known, _)| known == e))
        .filter_map(|e| parse_expression(e).err().map(|err| format!("`{e}`: {err}")))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} expressions fail:\n{}",
        failures.len(),
        expressions.len(),
        failures.join("\n")
    );
    assert!(
        expressions.len() > 100,
        "only {} expressions found",
        expressions.len()
    );

    let mut examples: Vec<String> = fenced(&read("Bases syntax.md"), "yaml")
        .into_iter()
        .map(str::to_owned)
        .collect();
    examples.extend(
        fenced(&read("Create a base.md"), "base")
            .into_iter()
            .map(str::to_owned),
    );
    assert!(
        examples.len() >= 7,
        "only {} YAML examples found",
        examples.len()
    );
    for example in &examples {
        if let Err(err) = Base::parse(example) {
            panic!("{err} in\n{example}");
        }
    }
}
