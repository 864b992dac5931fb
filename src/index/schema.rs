//! The fields of the search index and the tokenizer that fills them.

use std::path::Path;

use rust_stemmers::Algorithm;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, JsonObjectOptions, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

use super::stem::MemoStemmer;

use crate::error::{Error, Result};

/// Name of the analyzer for words (lowercased, ASCII-folded, stemmed).
pub const WORDS: &str = "vk_words";

/// Every field of a document. One document per vault file: notes get every
/// field, attachments only the file ones.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Vault path, exact (for updates and `links-to:`).
    pub path: Field,
    /// `"note"` or `"file"`.
    pub kind: Field,
    /// The file name, tokenized (`file:`).
    pub file: Field,
    /// The vault path, tokenized (`path:`).
    pub path_words: Field,
    /// The note title (file stem).
    pub title: Field,
    /// Aliases.
    pub aliases: Field,
    /// Heading texts.
    pub headings: Field,
    /// Body text (without front matter), words and counts only.
    pub body: Field,
    /// Tags, lowercased, each with all its ancestors (`a`, `a/b`).
    pub tags: Field,
    /// Lowercased property keys.
    pub prop_keys: Field,
    /// Lowercased keys of properties with an empty value.
    pub prop_null: Field,
    /// Property values by lowercased key.
    pub props: Field,
    /// Vault paths of resolved link targets (self-links excluded).
    pub links: Field,
    /// The `created` property as seconds since the epoch.
    pub created: Field,
    /// Hash of the sorted resolved link targets (notes with no links share one).
    pub links_hash: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn schema() -> (Schema, Self) {
        let mut b = Schema::builder();
        let words = |positions: bool| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WORDS)
                    .set_index_option(if positions {
                        IndexRecordOption::WithFreqsAndPositions
                    } else {
                        IndexRecordOption::WithFreqs
                    }),
            )
        };
        let fields = Self {
            path: b.add_text_field("path", STRING | FAST),
            kind: b.add_text_field("kind", STRING),
            file: b.add_text_field("file", words(true)),
            path_words: b.add_text_field("path_words", words(true)),
            title: b.add_text_field("title", words(true)),
            aliases: b.add_text_field("aliases", words(true)),
            headings: b.add_text_field("headings", words(true)),
            // No positions: they would be a third of the index, and
            // phrases are checked on the text (as Obsidian matches them).
            body: b.add_text_field("body", words(false)),
            tags: b.add_text_field("tags", STRING),
            prop_keys: b.add_text_field("prop_keys", STRING),
            prop_null: b.add_text_field("prop_null", STRING),
            props: b.add_json_field(
                "props",
                JsonObjectOptions::default().set_indexing_options(
                    TextFieldIndexing::default()
                        .set_tokenizer(WORDS)
                        .set_index_option(IndexRecordOption::WithFreqsAndPositions),
                ),
            ),
            links: b.add_text_field("links", STRING | STORED),
            created: b.add_i64_field("created", FAST),
            links_hash: b.add_u64_field("links_hash", INDEXED),
        };
        (b.build(), fields)
    }
}

/// The word analyzer for a `[search] language` setting.
/// `origin` names the config file in the error for an unknown language.
pub fn analyzer(language: &str, origin: &Path) -> Result<TextAnalyzer> {
    let base = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    Ok(match stemming_language(language, origin)? {
        Some(language) => base.filter(MemoStemmer(language)).build(),
        None => base.build(),
    })
}

/// The stemmer for a language name or code; `None` for `"none"`.
fn stemming_language(name: &str, origin: &Path) -> Result<Option<Algorithm>> {
    use Algorithm::*;
    let language = match name.to_ascii_lowercase().as_str() {
        "none" | "off" | "" => return Ok(None),
        "en" | "english" => English,
        "ar" | "arabic" => Arabic,
        "da" | "danish" => Danish,
        "nl" | "dutch" => Dutch,
        "fi" | "finnish" => Finnish,
        "fr" | "french" => French,
        "de" | "german" => German,
        "el" | "greek" => Greek,
        "hu" | "hungarian" => Hungarian,
        "it" | "italian" => Italian,
        "no" | "norwegian" => Norwegian,
        "pt" | "portuguese" => Portuguese,
        "ro" | "romanian" => Romanian,
        "ru" | "russian" => Russian,
        "es" | "spanish" => Spanish,
        "sv" | "swedish" => Swedish,
        "ta" | "tamil" => Tamil,
        "tr" | "turkish" => Turkish,
        other => {
            return Err(Error::Config {
                path: origin.to_owned(),
                message: format!(
                    "[search] language = \"{other}\" is not a stemming language; use an ISO code such as \"en\", \"de\", \"fr\", or \"none\""
                ),
            });
        }
    };
    Ok(Some(language))
}
