//! How much of a full parse is the crates' own floor: times, on one thread and
//! with every note already in memory, pulldown-cmark alone, gray_matter's YAML
//! engine alone, and vaultkit's whole `parse_note`.
//!
//! ```sh
//! cargo run --release --example parse_floor -- /tmp/vaultkit-bench/synthetic-20k
//! ```

use std::path::Path;
use std::time::{Duration, Instant};

use gray_matter::engine::{Engine, YAML};
use pulldown_cmark::{Options, Parser};

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: parse_floor VAULT_DIR");
        std::process::exit(2);
    };
    let notes = read_notes(Path::new(&root));
    let megabytes = notes.iter().map(|(_, text)| text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "{} notes, {megabytes:.1} MB, one thread, best of 3:",
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
    println!("  pulldown-cmark events       {markdown:>8.0?}");
    let yaml = best_of_3(|| {
        for (_, text) in &notes {
            if let Some(yaml) = front_matter(text) {
                let _ = YAML::parse(yaml);
            }
        }
    });
    println!("  gray_matter YAML engine     {yaml:>8.0?}");
    let whole = best_of_3(|| {
        for (path, text) in &notes {
            drop(vaultkit::parse::parse_note(path, text));
        }
    });
    println!("  vaultkit parse_note         {whole:>8.0?}");
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
