//! Stemming with a memo: a vault has far fewer distinct words than words, so
//! each distinct word is stemmed once per analyzer instead of every time.

use rust_stemmers::Algorithm;
use rustc_hash::FxHashMap as HashMap;
use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

/// Distinct words remembered before the memo starts over (bounds memory).
const MEMO_LIMIT: usize = 200_000;

/// A token filter that replaces each word with its stem.
#[derive(Clone, Copy)]
pub struct MemoStemmer(pub Algorithm);

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            algorithm: self.0,
            memo: HashMap::default(),
            inner,
        }
    }
}

/// [`MemoStemmer`] applied to a tokenizer.
#[derive(Clone)]
pub struct MemoStemmerFilter<T> {
    algorithm: Algorithm,
    memo: HashMap<String, String>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() > MEMO_LIMIT {
            self.memo.clear();
        }
        MemoStemmerStream {
            stemmer: rust_stemmers::Stemmer::create(self.algorithm),
            memo: &mut self.memo,
            tail: self.inner.token_stream(text),
        }
    }
}

/// The token stream of [`MemoStemmerFilter`].
pub struct MemoStemmerStream<'a, S> {
    stemmer: rust_stemmers::Stemmer,
    memo: &'a mut HashMap<String, String>,
    tail: S,
}

impl<S: TokenStream> TokenStream for MemoStemmerStream<'_, S> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        if let Some(stem) = self.memo.get(&token.text) {
            token.text.clone_from(stem);
        } else {
            let stem = self.stemmer.stem(&token.text).into_owned();
            self.memo
                .insert(std::mem::replace(&mut token.text, stem.clone()), stem);
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    use super::*;

    #[test]
    fn stems_like_the_snowball_stemmer_and_remembers() {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(LowerCaser)
            .filter(MemoStemmer(Algorithm::English))
            .build();
        let mut words = Vec::new();
        let mut stream = analyzer.token_stream("Managers manage management; managers happily");
        while let Some(token) = stream.next() {
            words.push(token.text.clone());
        }
        assert_eq!(words, ["manag", "manag", "manag", "manag", "happili"]);
    }
}
