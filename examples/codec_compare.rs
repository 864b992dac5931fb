//! Compares the index's hand-written note codec with a serde codec
//! (postcard) on a real vault: bytes stored, and the time to decode every
//! note on one core (what a warm load does per note, on all cores).
//!
//! The model's own serde impls are the JSON contract (fields skipped,
//! flattened or written as text), so postcard encodes a mirror of the note
//! with every field, the form a serde codec of the note table would need.
//!
//! ```sh
//! cargo run --release --example codec_compare -- /tmp/vaultkit-bench/synthetic-20k
//! ```

use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use vaultkit::config::Config;
use vaultkit::index::codec;
use vaultkit::model::{LinkKind, LinkOrigin, Note, Span};
use vaultkit::parse::ParsedNote;
use vaultkit::vault::live::LiveVault;

/// How many times each decoding pass runs; the fastest counts.
const PASSES: usize = 5;

fn main() -> ExitCode {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: codec_compare VAULT_DIR");
        return ExitCode::from(2);
    };
    let root = Path::new(&root);
    let loaded = Config::load(root).and_then(|config| LiveVault::load(root, &config));
    let vault = match loaded {
        Ok(vault) => vault,
        Err(err) => {
            eprintln!("codec_compare: {err}");
            return ExitCode::from(2);
        }
    };
    let parsed: Vec<ParsedNote> = (vault.note_ids())
        .filter_map(|id| {
            Some(ParsedNote {
                note: vault.note(id)?.clone(),
                diagnostics: vault.parse_diagnostics(id).to_vec(),
            })
        })
        .collect();
    let ours: Vec<Vec<u8>> = parsed.iter().map(codec::encode).collect();
    let theirs: Vec<Vec<u8>> = (parsed.iter())
        .map(|p| postcard::to_allocvec(&Mirror::of(&p.note)).unwrap_or_default())
        .collect();
    let ours_time = fastest(|| {
        ours.iter()
            .filter(|bytes| codec::decode(bytes).is_ok())
            .count()
    });
    let theirs_time = fastest(|| {
        (theirs.iter())
            .filter(|bytes| postcard::from_bytes::<Mirror>(bytes).is_ok())
            .count()
    });
    let size = |all: &[Vec<u8>]| all.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    println!("{}: {} notes", root.display(), parsed.len());
    println!(
        "  hand-written codec: {:>7.2} MB, decoded in {:>6.1} ms",
        size(&ours),
        ours_time.as_secs_f64() * 1e3
    );
    println!(
        "  postcard (serde):   {:>7.2} MB, decoded in {:>6.1} ms ({:.2}x)",
        size(&theirs),
        theirs_time.as_secs_f64() * 1e3,
        theirs_time.as_secs_f64() / ours_time.as_secs_f64()
    );
    ExitCode::SUCCESS
}

/// The fastest of [`PASSES`] runs of `decode_all`, which returns how many
/// notes it decoded (kept, so that the work is not optimised away).
fn fastest(decode_all: impl Fn() -> usize) -> Duration {
    (0..PASSES)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(decode_all());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// A note with every field, as a serde codec would store it (parse
/// diagnostics left out: few notes have any).
#[derive(Serialize, Deserialize)]
struct Mirror {
    path: String,
    title: String,
    properties: Vec<(String, PropertyValue, Position)>,
    aliases: Vec<String>,
    tags: Vec<(String, bool, Position)>,
    headings: Vec<(u8, String, Position, bool)>,
    blocks: Vec<(String, Position)>,
    links: Vec<MirrorLink>,
    external: Vec<(String, Position)>,
    word_count: u64,
    has_body: bool,
    has_base_block: bool,
}

#[derive(Serialize, Deserialize)]
struct MirrorLink {
    raw: String,
    target: String,
    heading: Option<String>,
    block: Option<String>,
    fragment: Option<String>,
    display: Option<String>,
    size: Option<String>,
    kind: u8,
    origin: Option<String>,
    span: Position,
}

/// A span: line, column, end line, end column, byte start and end.
type Position = (u32, u32, u32, u32, u32, u32);

/// A property value: postcard cannot decode `serde_json::Value`, which
/// asks the format for its types.
#[derive(Serialize, Deserialize)]
enum PropertyValue {
    Null,
    Bool(bool),
    Number(String),
    Text(String),
    List(Vec<PropertyValue>),
    Map(Vec<(String, PropertyValue)>),
}

impl PropertyValue {
    fn of(value: &serde_json::Value) -> Self {
        use serde_json::Value;
        match value {
            Value::Null => Self::Null,
            Value::Bool(b) => Self::Bool(*b),
            Value::Number(n) => Self::Number(n.to_string()),
            Value::String(s) => Self::Text(s.clone()),
            Value::Array(items) => Self::List(items.iter().map(Self::of).collect()),
            Value::Object(map) => {
                Self::Map(map.iter().map(|(k, v)| (k.clone(), Self::of(v))).collect())
            }
        }
    }
}

fn position(span: Span) -> Position {
    (
        span.line,
        span.column,
        span.end_line,
        span.end_column,
        span.start,
        span.end,
    )
}

impl Mirror {
    fn of(note: &Note) -> Self {
        let text = |s: &Option<compact_str::CompactString>| s.as_ref().map(ToString::to_string);
        Self {
            path: note.path.clone(),
            title: note.title.clone(),
            properties: (note.properties.iter())
                .map(|p| {
                    (
                        p.key.to_string(),
                        PropertyValue::of(&p.value),
                        position(p.span),
                    )
                })
                .collect(),
            aliases: note.aliases.clone(),
            tags: (note.tags.iter())
                .map(|t| {
                    (
                        t.name.to_string(),
                        matches!(t.source, vaultkit::model::TagSource::Body),
                        position(t.span),
                    )
                })
                .collect(),
            headings: (note.headings.iter())
                .map(|h| (h.level, h.text.to_string(), position(h.span), h.has_content))
                .collect(),
            blocks: (note.blocks.iter())
                .map(|b| (b.id.to_string(), position(b.span)))
                .collect(),
            links: (note.links.iter())
                .map(|l| MirrorLink {
                    raw: l.raw.clone(),
                    target: l.target.to_string(),
                    heading: text(&l.heading),
                    block: text(&l.block),
                    fragment: text(&l.fragment),
                    display: text(&l.display),
                    size: text(&l.size),
                    kind: match l.kind {
                        LinkKind::Wiki => 0,
                        LinkKind::Markdown => 1,
                        LinkKind::Embed => 2,
                    },
                    origin: match &l.origin {
                        LinkOrigin::Body => None,
                        LinkOrigin::Property(key) => Some(key.to_string()),
                    },
                    span: position(l.span),
                })
                .collect(),
            external: (note.external.iter())
                .map(|e| (e.url.clone(), position(e.span)))
                .collect(),
            word_count: note.word_count as u64,
            has_body: note.has_body,
            has_base_block: note.has_base_block,
        }
    }
}
