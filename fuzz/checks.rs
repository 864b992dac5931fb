//! What the fuzz targets check, shared with the regression test that replays
//! the crashers kept in `tests/fuzz_regressions/` (`tests/it/fuzz_regressions.rs`).

use std::path::{Path, PathBuf};

use vaultkit::config::Config;
use vaultkit::index::{Index, Options};
use vaultkit::model::{LineIndex, Span};
use vaultkit::parse::{decode, parse_note};
use vaultkit::search::{MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, Query, Sort, search};

/// Parses arbitrary bytes as a note: no panic, and every position reported
/// points into the text, on a character boundary, with the line and column
/// of that offset.
pub fn note(bytes: &[u8]) {
    let (text, _) = decode("n.md", bytes);
    let parsed = parse_note("n.md", &text);
    let note = &parsed.note;
    let lines = LineIndex::new(&text);
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
        check_span(&text, &lines, span);
    }
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
