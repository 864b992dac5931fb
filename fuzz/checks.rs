//! What the fuzz targets check, shared with the regression test that replays
//! the crashers kept in `tests/fuzz_regressions/` (`tests/it/fuzz_regressions.rs`).

use std::path::{Path, PathBuf};

use vaultkit::config::Config;
use vaultkit::index::{Index, Options};
use vaultkit::model::{LineIndex, Span};
use vaultkit::parse::{decode, parse_note};
use vaultkit::search::{OnDisk, Query, Sort, search};

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

    /// Parses arbitrary text as a query and runs it when it parses: no panic,
    /// every hit a file of the vault, its highlights inside its snippet.
    pub fn query(&self, text: &str) {
        let Ok(query) = Query::parse(text) else {
            return;
        };
        let Ok(results) = search(
            &self.index,
            &self.root,
            &OnDisk,
            &query,
            Sort::Relevance,
            50,
        ) else {
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
