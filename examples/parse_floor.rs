//! How much of a full parse, and of a cold index, is the crates' own floor:
//! times, with every note already in memory, pulldown-cmark alone, gray_matter's
//! YAML engine alone, the limit check run before it and vaultkit's whole `parse_note` (one thread), then
//! tantivy indexing nothing but the note texts, with vaultkit's word analyzer
//! with and without English stemming (tantivy's own threads, one commit).
//!
//! ```sh
//! cargo run --release --example parse_floor -- /tmp/vaultkit-bench/synthetic-20k
//! ```

use std::error::Error;
use std::path::Path;
use std::time::{Duration, Instant};

use gray_matter::engine::{Engine, YAML};
use pulldown_cmark::{Options, Parser};
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::{Index, IndexWriter, TantivyDocument};
use vaultkit::index::schema::WORDS;

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor VAULT_DIR");
        std::process::exit(2);
    };
    let notes = read_notes(Path::new(&root));
    let megabytes = notes.iter().map(|(_, text)| text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{} notes, {megabytes:.1} MB, best of 3 (parsing on one thread, tantivy on its own):",
        notes.len()
    );
    let markdown = best_of_3(|| {
        let options = Options::ENABLE_WIKILINKS
            | Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS
            | Options::ENABLE_MATH
            | Options::ENABLE_GFM;
        for (_, text) in &notes {
            Parser::new_ext(text, options)
                .into_offset_iter()
                .for_each(drop);
        }
    });
    row("pulldown-cmark events", markdown);
    let yaml = best_of_3(|| {
        for (_, text) in &notes {
            if let Some(yaml) = front_matter(text) {
                let _ = YAML::parse(yaml);
            }
        }
    });
    row("gray_matter YAML engine", yaml);
    let limits = best_of_3(|| {
        for (_, text) in &notes {
            if let Some(yaml) = front_matter(text) {
                let _ = vaultkit::parse::yaml::check(yaml);
            }
        }
    });
    row("front-matter limit check", limits);
    let whole = best_of_3(|| {
        for (path, text) in &notes {
            drop(vaultkit::parse::parse_note(path, text));
        }
    });
    row("vaultkit parse_note", whole);
    for language in ["none", "en"] {
        let mut failed = None;
        let indexing = best_of_3(|| {
            if let Err(e) = index_texts(&notes, language) {
                failed = Some(e);
            }
        });
        match failed {
            None => row(
                &format!("tantivy, texts only, stemming {language}"),
                indexing,
            ),
            Some(e) => eprintln!("tantivy failed: {e}"),
        }
    }
}

/// Indexes each note's whole text as one field, words and counts only (as
/// vaultkit indexes bodies), into a temporary folder.
fn index_texts(notes: &[(String, String)], language: &str) -> Result<(), Box<dyn Error>> {
    let mut schema = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(WORDS)
        .set_index_option(IndexRecordOption::WithFreqs);
    let text = schema.add_text_field(
        "text",
        TextOptions::default().set_indexing_options(indexing),
    );
    let folder = tempfile::tempdir()?;
    let index = Index::create_in_dir(folder.path(), schema.build())?;
    index.tokenizers().register(
        WORDS,
        vaultkit::index::schema::analyzer(language, std::path::Path::new("vaultkit.toml"))?,
    );
    let mut writer: IndexWriter = index.writer(48 << 20)?;
    for (_, body) in notes {
        let mut document = TantivyDocument::new();
        document.add_text(text, body);
        writer.add_document(document)?;
    }
    writer.commit()?;
    Ok(())
}

fn read_notes(root: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            Some((e.path().display().to_string(), text))
        })
        .collect()
}

/// The YAML between a first `---` line and the next one.
fn front_matter(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---\n")?;
    rest.find("\n---").map(|end| &rest[..end])
}

fn row(label: &str, took: Duration) {
    println!("  {label:<36} {:>6} ms", took.as_millis());
}

fn best_of_3(mut run: impl FnMut()) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}
