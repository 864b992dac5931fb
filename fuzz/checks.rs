//! What the fuzz targets check, shared with the regression test that replays
//! the crashers kept in `tests/fuzz_regressions/` (`tests/it/fuzz_regressions.rs`).

use std::path::{Path, PathBuf};

use vaultkit::config::Config;
use vaultkit::index::{Index, Options};
use vaultkit::model::{LineIndex, Span};
use vaultkit::parse::yaml::{MAX_ALIASED_TEXT, MAX_ALIASED_VALUES};
use vaultkit::parse::{ParsedNote, decode, parse_note};
use vaultkit::search::{MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, Query, Sort, search};

/// Parses arbitrary bytes as a note: no panic, and every position reported
/// points into the text, on a character boundary, with the line and column
/// of that offset.
pub fn note(bytes: &[u8]) {
    let (text, _) = decode("n.md", bytes);
    parsed_and_checked(&text);
}

fn parsed_and_checked(text: &str) -> ParsedNote {
    let parsed = parse_note("n.md", text);
    let note = &parsed.note;
    let lines = LineIndex::new(text);
    let spans = note
        .links
        .iter()
        .map(|l| l.span)
        .chain(note.tags.iter().map(|t| t.span))
        .chain(note.headings.iter().map(|h| h.span))
        .chain(note.blocks.iter().map(|b| b.span))
        .chain(note.external.iter().map(|e| e.span))
        .chain(note.properties.iter().map(|p| p.span))
        .chain(parsed.diagnostics.iter().filter_map(|d| d.span));
    for span in spans {
        check_span(text, &lines, span);
    }
    parsed
}

/// Parses a note whose front matter is either `bytes` as text or, built
/// from them, lines rich in anchors and aliases (`k3: &a3 [*a1, *a2]`):
/// the checks of [`note`], and property values no larger than the front
/// matter's own text plus what aliases may repeat. libFuzzer's `-timeout`
/// and `-rss_limit_mb` bound the time and memory of each run.
pub fn front_matter(bytes: &[u8]) {
    let yaml = match bytes.split_first() {
        Some((mode, rest)) if mode % 2 == 1 => aliased_yaml(rest),
        Some((_, rest)) => String::from_utf8_lossy(rest).into_owned(),
        None => String::new(),
    };
    let text = format!("---\n{yaml}\n---\nbody\n");
    let parsed = parsed_and_checked(&text);
    let (mut values, mut text_bytes) = (0, 0);
    let mut stack: Vec<&serde_json::Value> =
        parsed.note.properties.iter().map(|p| &p.value).collect();
    while let Some(value) = stack.pop() {
        values += 1;
        match value {
            serde_json::Value::String(s) => text_bytes += s.len(),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => {
                text_bytes += map.keys().map(String::len).sum::<usize>();
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    assert!(
        values <= yaml.len() + MAX_ALIASED_VALUES,
        "{values} values from {} bytes",
        yaml.len()
    );
    // A key may grow in the reading (`~` is `null`), never more than fourfold.
    assert!(
        text_bytes <= 4 * yaml.len() + MAX_ALIASED_TEXT,
        "{text_bytes} bytes of text from {} bytes",
        yaml.len()
    );
}

/// YAML lines, each defining a key and an anchor from a few bytes: a list,
/// map, nested lists or block list of aliases to earlier anchors, a plain
/// alias, or a long text.
fn aliased_yaml(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut yaml = String::new();
    let mut anchors = 0;
    let mut bytes = bytes.iter().map(|&b| usize::from(b));
    while let (Some(kind), Some(arg)) = (bytes.next(), bytes.next()) {
        let mut alias = || match anchors {
            0 => "x".to_owned(),
            n => format!("*a{}", bytes.next().unwrap_or(0) % n),
        };
        let n = anchors;
        let _ = match kind % 6 {
            0 => {
                let items: Vec<String> = (0..arg % 8).map(|_| alias()).collect();
                writeln!(yaml, "k{n}: &a{n} [{}]", items.join(", "))
            }
            1 => writeln!(yaml, "k{n}: &a{n} {{x: {}, y: {}}}", alias(), alias()),
            2 => writeln!(yaml, "k{n}: &a{n} \"{}\"", "y".repeat(arg * 1024)),
            3 => {
                let depth = arg % 80;
                let inner = alias();
                writeln!(
                    yaml,
                    "k{n}: &a{n} {}{inner}{}",
                    "[".repeat(depth),
                    "]".repeat(depth)
                )
            }
            4 => {
                let items: String = (0..arg % 8).map(|_| format!("  - {}\n", alias())).collect();
                write!(yaml, "k{n}: &a{n}\n{items}")
            }
            _ => writeln!(yaml, "k{n}: &a{n} {}", alias()),
        };
        anchors += 1;
    }
    yaml
}

fn check_span(text: &str, lines: &LineIndex<'_>, span: Span) {
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(
        start <= end && end <= text.len(),
        "{span:?} outside the text"
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{span:?} splits a character"
    );
    assert_eq!(lines.position(start), (span.line, span.column), "{span:?}");
    assert_eq!(
        lines.position(end),
        (span.end_line, span.end_column),
        "{span:?}"
    );
}

/// Parses arbitrary text as `vaultkit.toml`: an error or a config, never a
/// panic; a config that parsed compiles its globs again.
pub fn config(text: &str) {
    if let Ok(config) = Config::from_toml(text, Path::new("vaultkit.toml")) {
        config
            .ignore_set(Path::new("vaultkit.toml"))
            .expect("globs that parsed once compile again");
    }
}

/// A small vault and its index (kept in a temporary folder).
pub struct SearchFixture {
    root: PathBuf,
    index: Index,
    _data: tempfile::TempDir,
}

impl SearchFixture {
    /// Indexes the vault at `root`.
    pub fn new(root: PathBuf) -> Self {
        let data = tempfile::tempdir().expect("temporary folder");
        let options = Options {
            data_dir: Some(data.path().to_owned()),
            ..Options::default()
        };
        let (index, _) = Index::open(&root, &Config::default(), &options).expect("index");
        Self {
            root,
            index,
            _data: data,
        }
    }

    /// Parses arbitrary text as a query and runs it when it parses: no panic;
    /// a query beyond the limits refused before it runs, so that what runs
    /// stays within the time and memory given to the fuzzer (`-timeout`,
    /// `-rss_limit_mb`); every hit a file of the vault, its highlights inside
    /// its snippet.
    pub fn query(&self, text: &str) {
        let parsed = Query::parse(text);
        if text.chars().count() > MAX_QUERY_CHARS {
            assert!(parsed.is_err(), "a query over the length limit is refused");
        }
        let Ok(query) = parsed else {
            return;
        };
        let (leaves, depth) = shape(&query);
        assert!(leaves <= MAX_TERMS, "{leaves} terms ran");
        // Each level of nesting is at most an OR, an AND and a negation or operator.
        assert!(depth <= 3 * MAX_DEPTH, "{depth} levels ran");
        let Ok(results) = search(&self.index, &self.root, &query, Sort::Relevance, 50) else {
            return;
        };
        assert!(results.hits.len() <= results.total);
        for hit in &results.hits {
            assert!(self.root.join(&hit.path).is_file(), "{}", hit.path);
            let snippet = hit.snippet.as_deref().unwrap_or_default();
            for &(start, end) in &hit.highlights {
                assert!(
                    start <= end && end <= snippet.len(),
                    "{start}..{end} in {snippet:?}"
                );
                assert!(snippet.is_char_boundary(start) && snippet.is_char_boundary(end));
            }
        }
    }
}

/// How many leaves a query has, and how deep it nests.
fn shape(query: &Query) -> (usize, usize) {
    let parts: Vec<&Query> = match query {
        Query::And(parts) | Query::Or(parts) => parts.iter().collect(),
        Query::Not(inner) | Query::Within(_, inner) => vec![inner],
        _ => return (1, 1),
    };
    parts
        .into_iter()
        .map(shape)
        .fold((0, 0), |(leaves, depth), (l, d)| {
            (leaves + l, depth.max(d + 1))
        })
}
