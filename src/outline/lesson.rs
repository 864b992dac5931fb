//! What a lesson says about its note: description, sections, reading time,
//! status, and the name a wikilink can use for it.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use regex::Regex;
use serde::Serialize;

use crate::model::{Heading, Note};
use crate::parse::frontmatter;
use crate::vault::NoteId;
use crate::vault::live::LiveVault;
use crate::vault::resolve::fold;

/// Longest description kept, in characters.
const DESCRIPTION_CHARS: usize = 240;

/// One note of the course.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lesson {
    /// Note title.
    pub title: String,
    /// Vault path.
    pub path: String,
    /// The `description` or `summary` property, else the first paragraph.
    pub description: Option<String>,
    /// Reading time, rounded up.
    pub minutes: u32,
    /// Words of prose.
    pub words: usize,
    /// The `status` property.
    pub status: Option<String>,
    /// The note's own top-level sections.
    pub sections: Vec<String>,
    /// Notes its `prerequisites`/`requires` name.
    pub prerequisites: Vec<NoteRef>,
    /// What a wikilink to it says.
    #[serde(skip)]
    pub link: String,
}

/// A note named by the outline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteRef {
    /// Note title.
    pub title: String,
    /// Vault path.
    pub path: String,
    /// What a wikilink to it says.
    #[serde(skip)]
    pub link: String,
}

/// Wikilink names that cannot be mistaken: the title when no other file
/// shares the note's file name, the path (without `.md`) when one does.
pub struct LinkNames<'a> {
    vault: &'a LiveVault,
}

impl<'a> LinkNames<'a> {
    /// Link names for the notes of `vault`.
    pub fn new(vault: &'a LiveVault) -> Self {
        Self { vault }
    }

    /// The wikilink name of a note.
    pub fn link(&self, note: &Note) -> String {
        if self.vault.shares_file_name(&note.path) {
            note.path
                .strip_suffix(".md")
                .unwrap_or(&note.path)
                .to_owned()
        } else {
            note.title.clone()
        }
    }

    /// A reference to a note.
    pub fn note_ref(&self, vault: &LiveVault, id: NoteId) -> NoteRef {
        let note = vault.note_or_empty(id);
        NoteRef {
            title: note.title.clone(),
            path: note.path.clone(),
            link: self.link(note),
        }
    }
}

/// Reading minutes for `words` at `wpm` words a minute, rounded up.
pub fn minutes(words: usize, wpm: u32) -> u32 {
    let wpm = u64::from(wpm.max(1));
    let words = u64::try_from(words).unwrap_or(u64::MAX);
    u32::try_from(words.div_ceil(wpm)).unwrap_or(u32::MAX)
}

/// A string property, trimmed, when present and not empty.
pub fn text_property(note: &Note, key: &str) -> Option<String> {
    match note.property(key)? {
        serde_json::Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The `order` property as a number (a number or a numeric string).
pub fn order(note: &Note) -> Option<f64> {
    match note.property("order")? {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The `description` or `summary` property, else the note's first
/// paragraph (asked for only then).
pub fn description(note: &Note, lead: impl FnOnce() -> Option<String>) -> Option<String> {
    text_property(note, "description")
        .or_else(|| text_property(note, "summary"))
        .or_else(lead)
}

/// Whether a heading is the note's title: a first heading that repeats it.
pub fn is_title(note: &Note, index: usize, heading: &Heading) -> bool {
    index == 0 && fold(heading.text.trim()) == fold(&note.title)
}

/// The note's sections: its shallowest headings, the title excepted.
pub fn sections(note: &Note) -> Vec<String> {
    let headings: Vec<&Heading> = note
        .headings
        .iter()
        .enumerate()
        .filter(|(i, h)| !is_title(note, *i, h))
        .map(|(_, h)| h)
        .collect();
    let top = headings.iter().map(|h| h.level).min().unwrap_or(0);
    headings
        .into_iter()
        .filter(|h| h.level == top)
        .map(|h| h.text.trim().to_owned())
        .collect()
}

/// The first top-level paragraph of a note's body as plain text, wikilinks
/// replaced by what they show, cut at a word near `DESCRIPTION_CHARS` (240).
pub fn first_paragraph(text: &str) -> Option<String> {
    static WIKILINK: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"!?\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]").expect("valid regex")
    });
    let body = frontmatter::split(text).map_or(text, |block| &text[block.body_start..]);
    let mut depth = 0usize;
    let mut inside = false;
    let mut paragraph = String::new();
    for event in Parser::new_ext(body, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => inside = true,
            Event::End(TagEnd::Paragraph) if inside => {
                let plain = WIKILINK.replace_all(&paragraph, |c: &regex::Captures<'_>| {
                    c.get(2).or(c.get(1)).map_or("", |m| m.as_str()).to_owned()
                });
                let plain = plain.split_whitespace().collect::<Vec<_>>().join(" ");
                if !plain.is_empty() {
                    return Some(shorten(&plain));
                }
                inside = false;
                paragraph.clear();
            }
            Event::Start(_) if !inside => depth += 1,
            Event::End(_) if !inside => depth = depth.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if inside => paragraph.push_str(&t),
            Event::SoftBreak | Event::HardBreak if inside => paragraph.push(' '),
            _ => {}
        }
    }
    None
}

/// Whole sentences up to [`DESCRIPTION_CHARS`]; a first sentence longer
/// than that is cut at a word.
fn shorten(text: &str) -> String {
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(DESCRIPTION_CHARS).collect();
    if let Some(end) = cut.rfind(". ") {
        return cut[..=end].to_owned();
    }
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_paragraph_skips_headings_lists_and_front_matter() {
        let text = "---\na: 1\n---\n# T\n\n- a list\n\n> quote\n\nA [[Note|shown]] and [[Other#H]]\nand `code`.\n\nSecond.";
        assert_eq!(
            first_paragraph(text).as_deref(),
            Some("A shown and Other and code.")
        );
        assert_eq!(first_paragraph("# Only a heading\n"), None);
    }

    #[test]
    fn long_paragraphs_are_cut_at_a_word() {
        let long = "word ".repeat(100);
        let short = first_paragraph(&long).expect("a paragraph");
        assert!(short.ends_with("word…"));
        assert!(short.chars().count() <= DESCRIPTION_CHARS + 1);
        let sentences = format!("First sentence. {long}");
        assert_eq!(
            first_paragraph(&sentences).as_deref(),
            Some("First sentence.")
        );
    }

    #[test]
    fn minutes_round_up() {
        assert_eq!(minutes(0, 200), 0);
        assert_eq!(minutes(1, 200), 1);
        assert_eq!(minutes(401, 200), 3);
    }
}
