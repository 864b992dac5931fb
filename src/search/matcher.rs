//! How a text term is found in plain text (a body, a line, a title, a path):
//! for what the index cannot answer (case, punctuation, phrases in the body,
//! regular expressions) and for the highlights in snippets.
//!
//! Words and phrases are matched by walking the text, never by a regex built
//! from them: a regex for `manag\w*` costs hundreds of kilobytes once Unicode
//! `\w` is compiled, and one for a long phrase outgrows any size limit. The
//! walk costs the term's length times the text's length, whatever the term.

use regex::{Regex, RegexBuilder};
use regex_syntax::is_word_character;
use tantivy::tokenizer::TextAnalyzer;

use super::query::{Term, Text};

/// The largest compiled size of a `/regex/`, in bytes.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Finds one text term.
#[derive(Debug)]
pub enum Matcher {
    /// A user's `/regex/`.
    Regex(Regex),
    /// A word, or the words of a phrase in order with white space between.
    Pieces(Vec<Piece>),
}

/// One word of a word or phrase term.
#[derive(Debug)]
pub struct Piece {
    /// What to find, lowercase unless case must match.
    text: String,
    match_case: bool,
    /// Whether the piece must begin a word.
    at_word_start: bool,
    /// Whether the match runs on to the end of the word (`manag` covers
    /// `management`), as the index's prefix search does.
    to_word_end: bool,
}

/// A `/regex/` that cannot be compiled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegexError {
    /// The syntax is wrong.
    #[error("invalid regular expression /{pattern}/: {message}")]
    Invalid {
        /// The pattern.
        pattern: String,
        /// Why.
        message: String,
    },
    /// It compiles to more than [`REGEX_SIZE_LIMIT`].
    #[error(
        "the regular expression /{0}/ is too large once compiled (the limit is 1 MiB): \
         repeat less, or use an ASCII class such as `[a-z0-9_]` or `(?-u:\\w)` in place \
         of `\\w`, which stands for every letter and digit in Unicode"
    )]
    TooLarge(String),
}

impl Matcher {
    /// The matcher for a text term. Words and phrases match as the index
    /// finds them: case-insensitively, each word at the start of a word and
    /// by its stem, so `managers` finds `Management`.
    pub fn new(text: &Text, analyzer: &TextAnalyzer) -> Result<Self, RegexError> {
        let piece = |word: &str, in_phrase: bool| {
            let starts_word = word.starts_with(is_word_character);
            if text.match_case {
                Piece {
                    text: word.to_owned(),
                    match_case: true,
                    at_word_start: starts_word,
                    to_word_end: false,
                }
            } else if in_phrase && !word.chars().all(char::is_alphanumeric) {
                // Punctuation inside a phrase is found literally.
                Piece {
                    text: word.to_lowercase(),
                    match_case: false,
                    at_word_start: false,
                    to_word_end: false,
                }
            } else {
                Piece {
                    text: stem_prefix(word, analyzer),
                    match_case: false,
                    at_word_start: starts_word,
                    to_word_end: true,
                }
            }
        };
        match &text.term {
            Term::Regex(pattern) => compile(pattern).map(Self::Regex),
            Term::Word(word) => Ok(Self::Pieces(vec![piece(word, false)])),
            Term::Phrase(phrase) => Ok(Self::Pieces(
                phrase.split_whitespace().map(|w| piece(w, true)).collect(),
            )),
        }
    }

    /// Whether the term occurs in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Self::Regex(regex) => regex.is_match(text),
            Self::Pieces(_) => self.find_at(text, 0).is_some(),
        }
    }

    /// The byte ranges of the term's occurrences in `text`, left to right,
    /// not overlapping.
    pub fn find_iter<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        let mut from = Some(0);
        std::iter::from_fn(move || {
            let (start, end) = self.find_at(text, from?)?;
            // After an empty match, move on by one character.
            from = if end > start {
                Some(end)
            } else {
                text[end..].chars().next().map(|c| end + c.len_utf8())
            };
            Some((start, end))
        })
    }

    /// The first occurrence that starts at `from` or later.
    fn find_at(&self, text: &str, from: usize) -> Option<(usize, usize)> {
        match self {
            Self::Regex(regex) => regex.find_at(text, from).map(|m| (m.start(), m.end())),
            Self::Pieces(pieces) => {
                let at = |start: usize| Some((start, pieces_at(pieces, text, start)?));
                match pieces.first()?.first_bytes() {
                    Some((one, other)) => {
                        memchr::memchr2_iter(one, other, &text.as_bytes()[from..])
                            .find_map(|i| at(from + i))
                    }
                    None => text[from..].char_indices().find_map(|(i, _)| at(from + i)),
                }
            }
        }
    }
}

fn compile(pattern: &str) -> Result<Regex, RegexError> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|error| match error {
            regex::Error::CompiledTooBig(_) => RegexError::TooLarge(pattern.to_owned()),
            other => RegexError::Invalid {
                pattern: pattern.to_owned(),
                message: other.to_string(),
            },
        })
}

/// Where `pieces` end when they match at `start`, with white space between
/// them. Each piece matches in one way only (a word runs to its end, and
/// white space is all taken), so no backtracking is needed.
fn pieces_at(pieces: &[Piece], text: &str, start: usize) -> Option<usize> {
    let mut at = start;
    for (i, piece) in pieces.iter().enumerate() {
        if i > 0 {
            let space: usize = text[at..]
                .chars()
                .take_while(|c| c.is_whitespace())
                .map(char::len_utf8)
                .sum();
            if space == 0 {
                return None;
            }
            at += space;
        }
        at = piece.end_at(text, at)?;
    }
    Some(at)
}

impl Piece {
    /// The bytes a match must begin with, when there are only one or two:
    /// the piece's first byte, and for ASCII letters the other case too.
    /// Only `İ` and the Kelvin sign lowercase to ASCII (`i`, `k`), so any
    /// other lowercase ASCII letter is found by its two cases alone.
    fn first_bytes(&self) -> Option<(u8, u8)> {
        let first = *self.text.as_bytes().first()?;
        if self.match_case || (first.is_ascii() && !first.is_ascii_alphabetic()) {
            Some((first, first))
        } else if first.is_ascii_alphabetic() && first != b'i' && first != b'k' {
            Some((first, first.to_ascii_uppercase()))
        } else {
            None
        }
    }

    /// Where the piece ends when it matches at `at`.
    fn end_at(&self, text: &str, at: usize) -> Option<usize> {
        if self.at_word_start
            && text[..at]
                .chars()
                .next_back()
                .is_some_and(is_word_character)
        {
            return None;
        }
        let rest = &text[at..];
        let len = if self.match_case {
            rest.starts_with(&self.text).then_some(self.text.len())?
        } else {
            caseless_prefix(rest, &self.text)?
        };
        let mut end = at + len;
        if self.to_word_end {
            end += text[end..]
                .chars()
                .take_while(|c| is_word_character(*c))
                .map(char::len_utf8)
                .sum::<usize>();
        }
        Some(end)
    }
}

/// The length of the start of `text` that lowercases to `lower`.
fn caseless_prefix(text: &str, lower: &str) -> Option<usize> {
    let mut wanted = lower.chars().peekable();
    for (i, c) in text.char_indices() {
        if wanted.peek().is_none() {
            return Some(i);
        }
        for folded in c.to_lowercase() {
            if wanted.next() != Some(folded) {
                return None;
            }
        }
    }
    wanted.peek().is_none().then_some(text.len())
}

/// What of `word` the text must begin with to match as the index does: the
/// part the word shares with its stem (`managers` → `manage`, which begins
/// `management` as the stemmed index finds it), or the whole word when that
/// part is short or the word is several tokens.
fn stem_prefix(word: &str, analyzer: &TextAnalyzer) -> String {
    let mut analyzer = analyzer.clone();
    let mut stream = analyzer.token_stream(word);
    let stem = stream.next().map(|t| t.text.clone()).unwrap_or_default();
    let lower = word.to_lowercase();
    let common: String = lower
        .chars()
        .zip(stem.chars())
        .take_while(|(a, b)| a == b)
        .map(|(a, _)| a)
        .collect();
    if common.chars().count() >= 3 && stream.next().is_none() {
        common
    } else {
        lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::analyzer;
    use crate::search::query::Scope;

    fn matcher(term: Term, match_case: bool) -> Matcher {
        let text = Text {
            scope: Scope::Any,
            term,
            match_case,
        };
        Matcher::new(
            &text,
            &analyzer("en", std::path::Path::new("vaultkit.toml")).unwrap(),
        )
        .unwrap()
    }

    fn found<'t>(matcher: &Matcher, text: &'t str) -> Vec<&'t str> {
        matcher.find_iter(text).map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn a_word_finds_its_stemmed_forms_at_the_start_of_words() {
        let managers = matcher(Term::Word("managers".into()), false);
        assert_eq!(
            found(&managers, "Management 101, mismanagement, MANAGERS."),
            ["Management", "MANAGERS"]
        );
        let plus = matcher(Term::Word("c++".into()), false);
        assert_eq!(
            found(&plus, "C++ and c++17 but not abc++"),
            ["C++", "c++17"]
        );
        let bang = matcher(Term::Word("!!".into()), false);
        assert_eq!(found(&bang, "a!!b"), ["!!b"]);
    }

    #[test]
    fn match_case_finds_the_word_as_written() {
        let api = matcher(Term::Word("API".into()), true);
        assert_eq!(found(&api, "api APIs API"), ["API", "API"]);
        assert!(!api.is_match("rapid APi"));
    }

    #[test]
    fn a_phrase_of_any_length_matches_its_words_in_order() {
        let words: Vec<String> = (0..60).map(|i| format!("word{i}")).collect();
        let long = matcher(Term::Phrase(words.join(" ")), false);
        assert!(long.is_match(&format!("before {} after", words.join(" \n "))));
        assert!(!long.is_match(&words[1..].join(" ")));

        let story = matcher(Term::Phrase("user story".into()), false);
        assert_eq!(
            found(&story, "Two User \n Stories; a user-story; user story."),
            ["User \n Stories", "user story"]
        );
        // A piece with punctuation is found as written, case aside.
        let plus = matcher(Term::Phrase("C++ is, fine".into()), false);
        assert_eq!(found(&plus, "c++ IS, Fine. C++ is fine"), ["c++ IS, Fine"]);
    }

    #[test]
    fn case_folding_keeps_whole_characters() {
        assert_eq!(caseless_prefix("ÉTÉ ici", "été"), Some("ÉTÉ".len()));
        // `İ` lowercases to two characters: both must be wanted.
        assert_eq!(caseless_prefix("İx", "i"), None);
        assert_eq!(caseless_prefix("ab", "abc"), None);
        // Whatever the first letter, every case of it is a candidate.
        let kelvin = matcher(Term::Word("kilo".into()), false);
        assert_eq!(found(&kelvin, "KILO \u{212A}ilo"), ["KILO", "\u{212A}ilo"]);
        let armenian = matcher(Term::Word("աշխարհ".into()), false);
        assert_eq!(found(&armenian, "Աշխարհ"), ["Աշխարհ"]);
        let snow = matcher(Term::Word("❄x".into()), true);
        assert_eq!(found(&snow, "a ❄x ❄y"), ["❄x"]);
    }

    #[test]
    fn a_regex_too_large_says_what_to_do() {
        let text = Text {
            scope: Scope::Any,
            term: Term::Regex(r"\w{100}\s".into()),
            match_case: false,
        };
        let error = Matcher::new(
            &text,
            &analyzer("en", std::path::Path::new("vaultkit.toml")).unwrap(),
        )
        .unwrap_err();
        assert!(matches!(error, RegexError::TooLarge(_)), "{error}");
        assert!(error.to_string().contains("(?-u:\\w)"), "{error}");
        let ascii = matcher(Term::Regex(r"(?-u:\w){100}\s".into()), false);
        assert!(ascii.is_match(&format!("{} end", "x".repeat(100))));
    }
}
