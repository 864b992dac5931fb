//! Running a [`Query`] against the index: which notes match, in what order,
//! and the line that shows why.
//!
//! Words, phrases, tags, properties and links are answered by the index.
//! What the index cannot know exactly (`match-case:`, `/regex/`, `line:`,
//! `block:`, `section:`, the task operators) is checked on the note's text,
//! read from disk, and only for notes the index has not already ruled out.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query as TantivyQuery, RangeQuery,
    TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, TantivyDocument, Value};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, Term as IndexTerm};

use super::blocks::blocks;
use super::matcher::{Matcher, RegexError};
use super::query::{Query, Scope, Term, Text, Unit};
use super::tasks::tasks;
use crate::index::{Fields, Index};
use crate::model::Note;
use crate::parse;
use crate::vault::FileId;
use crate::vault::live::LiveVault;
use crate::vault::resolve::Resolver;

/// How to order hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first: title and alias matches, then headings, then BM25.
    #[default]
    Relevance,
    /// By title, A to Z.
    Title,
    /// By vault path.
    Path,
    /// Newest `created` first (notes without it last).
    Created,
    /// Most recently modified first.
    Modified,
}

/// One matching note (or file).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Vault path.
    pub path: String,
    /// Title (file name without `.md`).
    pub title: String,
    /// BM25 score of the matched words (0 when only filters matched).
    pub score: f32,
    /// The best matching line, 1-based, if a line shows the match.
    pub line: Option<u32>,
    /// That line's text (trimmed, at most about 200 characters).
    pub snippet: Option<String>,
    /// Byte ranges of the matched words within `snippet`.
    pub highlights: Vec<(usize, usize)>,
    /// The parsed note; `None` for attachments.
    pub note: Option<Note>,
}

/// The result of a search.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// How many notes matched in all.
    pub total: usize,
    /// The first hits, in order, up to the limit.
    pub hits: Vec<Hit>,
}

/// A search that cannot run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// A `/regex/` is not valid or too large.
    #[error(transparent)]
    Regex(#[from] RegexError),
    /// `links-to:` or `linked-from:` names no note.
    #[error("no note matches `{0}` (in links-to:/linked-from:)")]
    NoSuchNote(String),
    /// The index failed.
    #[error("{0}")]
    Index(String),
}

impl From<std::io::Error> for SearchError {
    fn from(error: std::io::Error) -> Self {
        Self::Index(error.to_string())
    }
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        Self::Index(error.to_string())
    }
}

/// Where a search reads the text of a note for line and section queries and
/// for snippets: a newer text the caller holds (an editor's buffer), or else
/// the file on disk. Words, properties and tags are matched and ranked as the
/// index holds them, from the files.
pub trait Buffers {
    /// The note's text when it is not its file's.
    fn buffer(&self, path: &str) -> Option<&str>;
}

/// No buffers: every note's text is its file's.
pub struct OnDisk;

impl Buffers for OnDisk {
    fn buffer(&self, _path: &str) -> Option<&str> {
        None
    }
}

impl Buffers for LiveVault {
    fn buffer(&self, path: &str) -> Option<&str> {
        LiveVault::buffer(self, self.note_id(path)?)
    }
}

/// Runs `query` on the index of the vault at `root`, reading note texts
/// from `buffers` before the files.
pub fn search(
    index: &Index,
    root: &Path,
    buffers: &dyn Buffers,
    query: &Query,
    sort: Sort,
    limit: usize,
) -> Result<Results, SearchError> {
    let searcher = index.searcher();
    let mut engine = Engine::new(index, &searcher, root, buffers)?;
    let mut texts = TextCache::default();
    let matched = engine.matching(query, &mut texts)?;

    let positive = query.positive_texts();
    let scores = engine.scores(&positive)?;
    let tiers = engine.tiers(&positive)?;
    let mut ranked: Vec<Ranked> = matched
        .iter()
        .map(|doc| Ranked {
            doc: *doc,
            path: engine.path(*doc).to_owned(),
            score: scores.get(doc).copied().unwrap_or(0.0),
            tier: tiers.get(doc).copied().unwrap_or(0),
        })
        .collect();
    engine.order(&mut ranked, sort)?;
    let total = ranked.len();
    ranked.truncate(limit);
    let highlighter = Highlighter::new(&positive, &engine.matchers);
    let hits = ranked
        .into_iter()
        .map(|r| engine.hit(r, &highlighter, &mut texts))
        .collect::<Result<_, _>>()?;
    Ok(Results { total, hits })
}

/// The vault paths of every file `query` matches (all the hits [`search`]
/// finds, unranked and without snippets), in path order.
pub fn matching_paths(
    index: &Index,
    root: &Path,
    query: &Query,
) -> Result<Vec<String>, SearchError> {
    let searcher = index.searcher();
    let mut engine = Engine::new(index, &searcher, root, &OnDisk)?;
    let mut texts = TextCache::default();
    let mut paths: Vec<String> = engine
        .matching(query, &mut texts)?
        .into_iter()
        .map(|doc| engine.path(doc).to_owned())
        .collect();
    paths.sort_unstable();
    Ok(paths)
}

struct Ranked {
    doc: DocAddress,
    path: String,
    score: f32,
    tier: u8,
}

struct Engine<'a> {
    index: &'a Index,
    searcher: &'a Searcher,
    fields: Fields,
    analyzer: TextAnalyzer,
    root: &'a Path,
    buffers: &'a dyn Buffers,
    /// Documents the index says match each leaf (keyed by the leaf's address).
    sets: HashMap<*const Query, HashSet<DocAddress>>,
    /// How each text term is found in text (keyed by the term's address).
    matchers: HashMap<*const Text, Matcher>,
    /// Notes with no links in or out, once a query asks.
    orphans: Option<HashSet<DocAddress>>,
    /// Resolves `links-to:` and `linked-from:` names, once a query has one.
    resolver: Option<Resolver>,
    paths: Vec<Vec<String>>,
}

/// Note texts read so far in this search.
#[derive(Default)]
struct TextCache(HashMap<DocAddress, String>);

impl<'a> Engine<'a> {
    fn new(
        index: &'a Index,
        searcher: &'a Searcher,
        root: &'a Path,
        buffers: &'a dyn Buffers,
    ) -> Result<Self, SearchError> {
        Ok(Engine {
            index,
            searcher,
            fields: index.fields(),
            analyzer: index
                .analyzer()
                .map_err(|e| SearchError::Index(e.to_string()))?,
            root,
            buffers,
            sets: HashMap::new(),
            matchers: HashMap::new(),
            orphans: None,
            resolver: None,
            paths: index
                .doc_paths(searcher)
                .map_err(|e| SearchError::Index(e.to_string()))?,
        })
    }

    /// The documents `query` matches: notes, and other files when the
    /// query is only about files.
    fn matching(
        &mut self,
        query: &Query,
        texts: &mut TextCache,
    ) -> Result<Vec<DocAddress>, SearchError> {
        self.prepare(query)?;
        let notes = self.run(&TermQuery::new(
            IndexTerm::from_field_text(self.fields.kind, "note"),
            IndexRecordOption::Basic,
        ))?;
        let universe: Vec<DocAddress> = if query.is_about_files() {
            self.run(&AllQuery)?.into_iter().collect()
        } else {
            notes.into_iter().collect()
        };
        Ok(universe
            .into_iter()
            .filter(|doc| self.matches(query, *doc, texts))
            .collect())
    }

    fn path(&self, doc: DocAddress) -> &str {
        &self.paths[doc.segment_ord as usize][doc.doc_id as usize]
    }

    fn run(&self, query: &dyn TantivyQuery) -> Result<HashSet<DocAddress>, SearchError> {
        Ok(self.searcher.search(query, &DocSetCollector)?)
    }

    /// Words as the index stores them.
    fn words(&self, text: &str) -> Vec<String> {
        let mut analyzer = self.analyzer.clone();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    /// Computes, for every leaf, what the index can tell.
    fn prepare(&mut self, query: &Query) -> Result<(), SearchError> {
        let key = std::ptr::from_ref(query);
        match query {
            Query::Compare { .. } => {}
            Query::Orphan(_) => {
                if self.orphans.is_none() {
                    self.orphans = Some(self.orphans()?);
                }
            }
            Query::And(parts) | Query::Or(parts) => {
                for part in parts {
                    self.prepare(part)?;
                }
            }
            Query::Not(inner) | Query::Within(_, inner) => self.prepare(inner)?,
            Query::Text(text) => {
                if let Some(index_query) = self.text_query(text, false)? {
                    let set = self.run(index_query.as_ref())?;
                    self.sets.insert(key, set);
                }
                let matcher = Matcher::new(text, &self.analyzer)?;
                self.matchers.insert(std::ptr::from_ref(text), matcher);
            }
            Query::Tag(tag) => {
                let set = self.run(&term_query(self.fields.tags, tag))?;
                self.sets.insert(key, set);
            }
            Query::HasProperty(name) => {
                let set = self.run(&term_query(self.fields.prop_keys, name))?;
                self.sets.insert(key, set);
            }
            Query::NullProperty(name) => {
                let set = self.run(&term_query(self.fields.prop_null, name))?;
                self.sets.insert(key, set);
            }
            Query::LinksTo(name) => {
                let target = self.resolve(name)?;
                let set = self.run(&term_query(self.fields.links, &target))?;
                self.sets.insert(key, set);
            }
            Query::LinkedFrom(name) => {
                let source = self.resolve(name)?;
                let docs = self.run(&term_query(self.fields.path, &source))?;
                let mut targets = Vec::new();
                for doc in docs {
                    let stored: TantivyDocument = self.searcher.doc(doc)?;
                    targets.extend(
                        stored
                            .get_all(self.fields.links)
                            .filter_map(|v| v.as_str().map(str::to_owned)),
                    );
                }
                let any: Vec<(Occur, Box<dyn TantivyQuery>)> = targets
                    .iter()
                    .map(|t| {
                        (
                            Occur::Should,
                            Box::new(term_query(self.fields.path, t)) as Box<dyn TantivyQuery>,
                        )
                    })
                    .collect();
                let set = if any.is_empty() {
                    HashSet::new()
                } else {
                    self.run(&BooleanQuery::new(any))?
                };
                self.sets.insert(key, set);
            }
        }
        Ok(())
    }

    /// Notes with no resolved links out and none in.
    fn orphans(&self) -> Result<HashSet<DocAddress>, SearchError> {
        let mut linked: HashSet<String> = HashSet::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(self.fields.links)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                linked.insert(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        let no_links_out = self.run(&TermQuery::new(
            IndexTerm::from_field_u64(self.fields.links_hash, crate::index::links_hash(&[])),
            IndexRecordOption::Basic,
        ))?;
        Ok(no_links_out
            .into_iter()
            .filter(|doc| !linked.contains(self.path(*doc)))
            .collect())
    }

    /// The vault path a note name stands for, resolved like a wikilink from
    /// the root. The resolver is built once per search, whatever the number
    /// of names.
    fn resolve(&mut self, name: &str) -> Result<String, SearchError> {
        // Files are numbered by their place among all documents' paths.
        let paths = || self.paths.iter().flatten().map(String::as_str);
        let resolver = self.resolver.get_or_insert_with(|| {
            Resolver::new(
                paths()
                    .enumerate()
                    .filter(|(_, path)| !path.is_empty())
                    .map(|(i, path)| {
                        (
                            FileId::Attachment(u32::try_from(i).unwrap_or(u32::MAX)),
                            path,
                        )
                    }),
            )
        });
        match resolver.resolve(name, "").target {
            Some(FileId::Attachment(i) | FileId::Note(crate::vault::NoteId(i))) => paths()
                .nth(i as usize)
                .map(str::to_owned)
                .ok_or_else(|| SearchError::NoSuchNote(name.to_owned())),
            None => Err(SearchError::NoSuchNote(name.to_owned())),
        }
    }

    /// The index query for a text leaf, or `None` when only the text can
    /// answer (a regex). With `for_scoring`, fields carry their boosts.
    fn text_query(
        &self,
        text: &Text,
        for_scoring: bool,
    ) -> Result<Option<Box<dyn TantivyQuery>>, SearchError> {
        let f = &self.fields;
        let fields: Vec<(Field, f32)> = match &text.scope {
            Scope::Any => vec![
                (f.title, 4.0),
                (f.aliases, 4.0),
                (f.headings, 2.0),
                (f.body, 1.0),
            ],
            Scope::Content => vec![(f.body, 1.0)],
            Scope::File => vec![(f.file, 1.0)],
            Scope::Path => vec![(f.path_words, 1.0)],
            Scope::Property(key) => return Ok(self.property_query(key, &text.term)),
        };
        let fields: Vec<(Field, f32)> = if for_scoring {
            fields
        } else {
            fields.into_iter().map(|(field, _)| (field, 1.0)).collect()
        };
        self.words_query(&text.term, &fields)
    }

    /// A word or phrase in any of `fields` (each with its boost).
    fn words_query(
        &self,
        term: &Term,
        fields: &[(Field, f32)],
    ) -> Result<Option<Box<dyn TantivyQuery>>, SearchError> {
        let words = match term {
            Term::Regex(_) => return Ok(None),
            Term::Word(word) | Term::Phrase(word) => self.words(word),
        };
        if words.is_empty() {
            return Ok(None);
        }
        let phrase = matches!(term, Term::Phrase(_)) && words.len() > 1;
        let mut per_field: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for &(field, boost) in fields {
            // The body has no positions: its phrases are checked on the text.
            let query: Box<dyn TantivyQuery> = if phrase && field != self.fields.body {
                Box::new(PhraseQuery::new(
                    words
                        .iter()
                        .map(|w| IndexTerm::from_field_text(field, w))
                        .collect(),
                ))
            } else {
                // Every word of the term must be there; the last one may
                // also be the beginning of a longer word.
                let mut all: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
                for (i, word) in words.iter().enumerate() {
                    let exact: Box<dyn TantivyQuery> = Box::new(TermQuery::new(
                        IndexTerm::from_field_text(field, word),
                        IndexRecordOption::WithFreqs,
                    ));
                    let part: Box<dyn TantivyQuery> =
                        if i + 1 == words.len() && matches!(term, Term::Word(_)) {
                            let prefix = longer_words(field, word);
                            Box::new(BooleanQuery::new(vec![
                                (Occur::Should, Box::new(BoostQuery::new(exact, 2.0))),
                                (
                                    Occur::Should,
                                    Box::new(BoostQuery::new(Box::new(prefix), 0.5)),
                                ),
                            ]))
                        } else {
                            exact
                        };
                    all.push((Occur::Must, part));
                }
                Box::new(BooleanQuery::new(all))
            };
            let query: Box<dyn TantivyQuery> = if (boost - 1.0).abs() > f32::EPSILON {
                Box::new(BoostQuery::new(query, boost))
            } else {
                query
            };
            per_field.push((Occur::Should, query));
        }
        Ok(Some(Box::new(BooleanQuery::new(per_field))))
    }

    /// `[key:value]`: the value's words in that property.
    fn property_query(&self, key: &str, term: &Term) -> Option<Box<dyn TantivyQuery>> {
        let (Term::Word(value) | Term::Phrase(value)) = term else {
            return None;
        };
        let terms: Vec<IndexTerm> = self
            .words(value)
            .iter()
            .map(|word| {
                let mut term = IndexTerm::from_field_json_path(self.fields.props, key, false);
                term.append_type_and_str(word);
                term
            })
            .collect();
        match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                terms.into_iter().next()?,
                IndexRecordOption::Basic,
            ))),
            _ => Some(Box::new(PhraseQuery::new(terms))),
        }
    }

    /// Whether `doc` matches `query`.
    fn matches(&self, query: &Query, doc: DocAddress, texts: &mut TextCache) -> bool {
        let key = std::ptr::from_ref(query);
        match query {
            Query::And(parts) => parts.iter().all(|p| self.matches(p, doc, texts)),
            Query::Or(parts) => parts.iter().any(|p| self.matches(p, doc, texts)),
            Query::Not(inner) => !self.matches(inner, doc, texts),
            Query::Text(text) => {
                let indexed = self.sets.get(&key).map(|set| set.contains(&doc));
                if indexed == Some(false) {
                    return false;
                }
                // Punctuation-only terms (`!!!`) leave the index nothing to
                // look up: like case and regexes, the text answers them.
                let needs_text = text.match_case
                    || indexed.is_none()
                    || match &text.term {
                        Term::Regex(_) => true,
                        // The index has no positions in the body, nor
                        // punctuation anywhere: the text tells.
                        Term::Phrase(phrase) => {
                            phrase.split_whitespace().nth(1).is_some()
                                || phrase.chars().any(|c| !c.is_alphanumeric())
                        }
                        Term::Word(_) => false,
                    };
                if !needs_text {
                    return indexed.unwrap_or(false);
                }
                let Some(matcher) = self.matchers.get(&std::ptr::from_ref(text)) else {
                    return false;
                };
                match &text.scope {
                    Scope::File => matcher.is_match(file_name(self.path(doc))),
                    Scope::Path => matcher.is_match(self.path(doc)),
                    Scope::Content => matcher.is_match(self.body(doc, texts)),
                    Scope::Any => {
                        matcher.is_match(parse::title_of(self.path(doc)))
                            || matcher.is_match(self.body(doc, texts))
                            || self.note(doc).is_some_and(|note| {
                                note.aliases.iter().any(|alias| matcher.is_match(alias))
                            })
                    }
                    Scope::Property(key) => self
                        .property_text(doc, key)
                        .is_some_and(|value| matcher.is_match(&value)),
                }
            }
            Query::Within(unit, inner) => {
                if !has_negation(inner) && !self.matches(inner, doc, texts) {
                    return false;
                }
                let body = self.body(doc, texts).to_owned();
                let parts: Vec<&str> = match unit {
                    Unit::Line => body.lines().collect(),
                    Unit::Block => blocks(&body).into_iter().map(|b| b.text).collect(),
                    Unit::Section => sections(&body),
                    Unit::Task(which) => tasks(&body, *which),
                };
                parts.iter().any(|part| self.matches_text(inner, part))
            }
            Query::Orphan(wanted) => {
                self.orphans.as_ref().is_some_and(|set| set.contains(&doc)) == *wanted
            }
            Query::Compare { key, order, value } => self.note(doc).is_some_and(|note| {
                note.properties
                    .iter()
                    .filter(|p| p.key.to_lowercase() == *key)
                    .any(|p| compares(&p.value, *order, value))
            }),
            _ => self.sets.get(&key).is_some_and(|set| set.contains(&doc)),
        }
    }

    /// Whether a piece of text (a line, block, section or task) matches `query` on its own.
    fn matches_text(&self, query: &Query, text: &str) -> bool {
        match query {
            Query::And(parts) => parts.iter().all(|p| self.matches_text(p, text)),
            Query::Or(parts) => parts.iter().any(|p| self.matches_text(p, text)),
            Query::Not(inner) => !self.matches_text(inner, text),
            Query::Within(_, inner) => self.matches_text(inner, text),
            Query::Text(term) => self
                .matchers
                .get(&std::ptr::from_ref(term))
                .is_some_and(|m| m.is_match(text)),
            Query::Tag(tag) => text.split(|c: char| c.is_whitespace()).any(|word| {
                word.strip_prefix('#').is_some_and(|t| {
                    let t = t.to_lowercase();
                    t == *tag || t.starts_with(&format!("{tag}/"))
                })
            }),
            _ => false,
        }
    }

    /// The body of a note (after its front matter), read once per search:
    /// its buffer's, or its file's.
    fn body<'t>(&self, doc: DocAddress, texts: &'t mut TextCache) -> &'t str {
        let path = self.path(doc);
        let text = texts.0.entry(doc).or_insert_with(|| {
            if let Some(buffer) = self.buffers.buffer(path) {
                return buffer.to_owned();
            }
            let bytes = std::fs::read(self.root.join(path)).unwrap_or_default();
            parse::decode(path, &bytes).0.into_owned()
        });
        &text[parse::body_start(text).min(text.len())..]
    }

    /// A property's value as text, from the stored note.
    fn property_text(&self, doc: DocAddress, key: &str) -> Option<String> {
        let note = self.note(doc)?;
        let value = note
            .properties
            .iter()
            .find(|p| p.key.to_lowercase() == key)?
            .value
            .clone();
        Some(match value {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        })
    }

    fn note(&self, doc: DocAddress) -> Option<Note> {
        self.index.note(self.path(doc)).ok().flatten()
    }

    /// BM25 scores of the positive words, with field boosts.
    fn scores(&self, positive: &[&Text]) -> Result<HashMap<DocAddress, f32>, SearchError> {
        let mut parts: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
        for text in positive {
            if (text.scope == Scope::Any || text.scope == Scope::Content)
                && let Some(query) = self.text_query(text, true)?
            {
                parts.push((Occur::Should, query));
            }
        }
        if parts.is_empty() {
            return Ok(HashMap::new());
        }
        let limit = (self.searcher.num_docs() as usize).max(1);
        let top = self
            .searcher
            .search(&BooleanQuery::new(parts), &TopDocs::with_limit(limit))?;
        Ok(top.into_iter().map(|(score, doc)| (doc, score)).collect())
    }

    /// 2 for notes whose title or an alias matches a positive word, 1 for a heading.
    fn tiers(&self, positive: &[&Text]) -> Result<HashMap<DocAddress, u8>, SearchError> {
        let f = &self.fields;
        let mut tiers = HashMap::new();
        for text in positive.iter().filter(|t| t.scope == Scope::Any) {
            for (tier, fields) in [(1u8, [f.headings, f.headings]), (2, [f.title, f.aliases])] {
                let fields = fields.map(|field| (field, 1.0));
                let Some(query) = self.words_query(&text.term, &fields)? else {
                    continue;
                };
                for doc in self.run(query.as_ref())? {
                    let entry = tiers.entry(doc).or_insert(0);
                    *entry = (*entry).max(tier);
                }
            }
        }
        Ok(tiers)
    }

    fn order(&self, ranked: &mut [Ranked], sort: Sort) -> Result<(), SearchError> {
        match sort {
            Sort::Relevance => ranked.sort_by(|a, b| {
                b.tier
                    .cmp(&a.tier)
                    .then(b.score.total_cmp(&a.score))
                    .then_with(|| a.path.cmp(&b.path))
            }),
            Sort::Path => ranked.sort_by(|a, b| a.path.cmp(&b.path)),
            Sort::Title => ranked
                .sort_by_cached_key(|r| (parse::title_of(&r.path).to_lowercase(), r.path.clone())),
            Sort::Created => self.newest_first(ranked, |fast| {
                fast.i64("created")
                    .map(|c| c.first_or_default_col(i64::MIN))
            })?,
            Sort::Modified => self.newest_first(ranked, |fast| {
                fast.u64("modified").map(|c| c.first_or_default_col(0))
            })?,
        }
        Ok(())
    }

    /// Sorts by a fast field's value, largest first, then by path.
    fn newest_first<V: Ord + Copy + std::fmt::Debug + 'static>(
        &self,
        ranked: &mut [Ranked],
        column: impl Fn(
            &tantivy::fastfield::FastFieldReaders,
        )
            -> tantivy::Result<std::sync::Arc<dyn tantivy::columnar::ColumnValues<V>>>,
    ) -> Result<(), SearchError> {
        let columns = self
            .searcher
            .segment_readers()
            .iter()
            .map(|segment| column(segment.fast_fields()))
            .collect::<Result<Vec<_>, _>>()?;
        ranked.sort_by_cached_key(|r| {
            let value = columns[r.doc.segment_ord as usize].get_val(r.doc.doc_id);
            (std::cmp::Reverse(value), r.path.clone())
        });
        Ok(())
    }

    fn hit(
        &self,
        ranked: Ranked,
        highlighter: &Highlighter,
        texts: &mut TextCache,
    ) -> Result<Hit, SearchError> {
        let note = self.note(ranked.doc);
        let best = if note.is_some() {
            self.body(ranked.doc, texts);
            let text = texts.0.get(&ranked.doc).map_or("", String::as_str);
            highlighter.best_line(text)
        } else {
            None
        };
        let (line, snippet, highlights) = match best {
            Some(best) => (Some(best.line), Some(best.text), best.highlights),
            None => (None, None, Vec::new()),
        };
        Ok(Hit {
            title: parse::title_of(&ranked.path).to_owned(),
            path: ranked.path,
            score: ranked.score,
            line,
            snippet,
            highlights,
            note,
        })
    }
}

/// The indexed words of `field` that begin with `word` and are longer: the
/// terms after `word` and before its last byte's successor (UTF-8 never ends
/// in 0xFF). A range of the term dictionary, not a regex to compile.
fn longer_words(field: Field, word: &str) -> RangeQuery {
    let mut end = word.as_bytes().to_vec();
    if let Some(last) = end.last_mut() {
        *last = last.saturating_add(1);
    }
    RangeQuery::new(
        Bound::Excluded(IndexTerm::from_field_text(field, word)),
        Bound::Excluded(IndexTerm::from_field_bytes(field, &end)),
    )
}

fn term_query(field: Field, text: &str) -> TermQuery {
    TermQuery::new(
        IndexTerm::from_field_text(field, text),
        IndexRecordOption::Basic,
    )
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn has_negation(query: &Query) -> bool {
    match query {
        Query::Not(_) => true,
        Query::And(parts) | Query::Or(parts) => parts.iter().any(has_negation),
        Query::Within(_, inner) => has_negation(inner),
        _ => false,
    }
}

/// The text split at headings: each part runs from a heading (or the start)
/// to the next heading.
fn sections(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        if offset > start && is_heading(line) {
            parts.push(&body[start..offset]);
            start = offset;
        }
        offset += line.len();
    }
    parts.push(&body[start..]);
    parts
}

fn is_heading(line: &str) -> bool {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    (1..=6).contains(&hashes) && line[hashes..].starts_with([' ', '\t', '\n', '\r'])
}

/// Whether a property's value (or, for a list, one of its items) is below
/// or above `wanted`: as numbers when both are numbers, else as lowercase
/// text, so ISO dates (`2024-01-05`) compare as dates.
fn compares(value: &serde_json::Value, order: Ordering, wanted: &str) -> bool {
    use serde_json::Value;
    let scalar = |value: &Value| -> Option<Ordering> {
        let text = match value {
            Value::String(text) => text.clone(),
            Value::Number(_) | Value::Bool(_) => value.to_string(),
            Value::Null | Value::Array(_) | Value::Object(_) => return None,
        };
        match (text.trim().parse::<f64>(), wanted.parse::<f64>()) {
            (Ok(found), Ok(wanted)) => found.partial_cmp(&wanted),
            _ => Some(text.to_lowercase().cmp(&wanted.to_lowercase())),
        }
    };
    match value {
        Value::Array(items) => items.iter().any(|item| scalar(item) == Some(order)),
        _ => scalar(value) == Some(order),
    }
}

/// Finds the line that best shows why a note matched.
struct Highlighter<'m> {
    matchers: Vec<&'m Matcher>,
}

/// A line chosen for a snippet.
struct BestLine {
    line: u32,
    text: String,
    highlights: Vec<(usize, usize)>,
}

/// Longest snippet shown, in bytes (cut at a character boundary).
const SNIPPET_BYTES: usize = 200;

impl<'m> Highlighter<'m> {
    /// Highlights the positive terms that look in the body, with the
    /// matchers the search made for them.
    fn new(positive: &[&Text], matchers: &'m HashMap<*const Text, Matcher>) -> Self {
        let matchers = positive
            .iter()
            .filter(|text| matches!(text.scope, Scope::Any | Scope::Content))
            .filter_map(|text| matchers.get(&std::ptr::from_ref(*text)))
            .collect();
        Self { matchers }
    }

    /// The body line with the most distinct terms (the first of equals).
    fn best_line(&self, text: &str) -> Option<BestLine> {
        if self.matchers.is_empty() {
            return None;
        }
        let body_start = parse::body_start(text).min(text.len());
        let first_line = text[..body_start].matches('\n').count() + 1;
        let mut best: Option<(usize, usize, &str)> = None;
        for (i, line) in text[body_start..].lines().enumerate() {
            let found = self.matchers.iter().filter(|m| m.is_match(line)).count();
            if found > 0 && best.is_none_or(|(count, _, _)| found > count) {
                best = Some((found, i, line));
            }
        }
        let (_, index, line) = best?;
        let trimmed = line.trim();
        let mut ranges: Vec<(usize, usize)> = self
            .matchers
            .iter()
            .flat_map(|m| m.find_iter(trimmed))
            .filter(|(start, end)| end > start)
            .collect();
        ranges.sort_unstable();
        // Keep the snippet short: start a few words before the first match,
        // at a word boundary, and mark what was cut with an ellipsis.
        let mut start = 0;
        if trimmed.len() > SNIPPET_BYTES {
            let first = ranges.first().map_or(0, |r| r.0);
            let from = floor_char_boundary(trimmed, first.saturating_sub(40));
            start = trimmed[from..first]
                .find(char::is_whitespace)
                .map_or(from, |space| from + space + 1);
        }
        let mut end = floor_char_boundary(trimmed, (start + SNIPPET_BYTES).min(trimmed.len()));
        if end < trimmed.len() {
            end = trimmed[start..end]
                .rfind(char::is_whitespace)
                .map_or(end, |space| start + space);
        }
        let (before, after) = (
            if start > 0 { "…" } else { "" },
            if end < trimmed.len() { "…" } else { "" },
        );
        let text = format!("{before}{}{after}", &trimmed[start..end]);
        let highlights = merge(ranges)
            .into_iter()
            .filter(|(s, e)| *s >= start && *e <= end)
            .map(|(s, e)| (s - start + before.len(), e - start + before.len()))
            .collect();
        Some(BestLine {
            line: u32::try_from(first_line + index).unwrap_or(u32::MAX),
            text,
            highlights,
        })
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Sorted ranges with overlaps merged.
fn merge(ranges: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::schema::analyzer;

    fn word(w: &str) -> Text {
        Text {
            scope: Scope::Any,
            term: Term::Word(w.to_owned()),
            match_case: false,
        }
    }

    #[test]
    fn snippets_and_line_queries_read_a_buffer_before_the_file() {
        let dir = tempfile::tempdir().expect("a folder");
        let root = dir.path();
        std::fs::create_dir(root.join(".obsidian")).expect("a vault");
        std::fs::write(root.join("a.md"), "alpha on disk\nbeta\n").expect("a note");
        let config = crate::config::Config::default();
        let options = crate::index::Options::default();
        let (index, _) = Index::open(root, &config, &options).expect("an index");
        let mut live =
            LiveVault::from_sources([("a.md", "alpha on disk\nbeta\n")], Vec::<String>::new());
        let query = Query::parse("alpha line:(alpha beta)").expect("a query");
        let run = |buffers: &dyn Buffers| {
            let results =
                search(&index, root, buffers, &query, Sort::Relevance, 10).expect("results");
            (results.hits.first()).map(|hit| (hit.line, hit.snippet.clone()))
        };
        // The file has `alpha` and `beta` on different lines.
        assert_eq!(run(&OnDisk), None);
        assert_eq!(run(&live), None);
        live.upsert_note("a.md", "beta\nalpha and beta in the buffer\n")
            .expect("an edit");
        let (line, snippet) = run(&live).expect("a hit");
        assert_eq!(line, Some(2));
        assert_eq!(snippet.as_deref(), Some("alpha and beta in the buffer"));
    }

    #[test]
    fn sections_split_at_headings_only() {
        let body = "intro\n# One\ntext\n#tag is not a heading\n## Two\nmore\n";
        assert_eq!(
            sections(body),
            [
                "intro\n",
                "# One\ntext\n#tag is not a heading\n",
                "## Two\nmore\n"
            ]
        );
    }

    #[test]
    fn comparisons_are_numeric_between_numbers_and_textual_otherwise() {
        use serde_json::json;
        let less = |value, wanted| compares(&value, Ordering::Less, wanted);
        assert!(less(json!(4), "5"));
        assert!(!less(json!("10"), "9.5"), "numbers, not text: 10 > 9.5");
        assert!(less(json!(9), "10"), "numbers, not text: 9 < 10");
        assert!(less(json!("2023-12-01"), "2024"));
        assert!(
            !less(json!("2024-01-05"), "2024"),
            "a longer text sorts after"
        );
        assert!(less(json!("Active"), "b"), "case is ignored");
        assert!(less(json!([9, 3]), "5"), "one item of a list is enough");
        assert!(!less(json!(null), "5"));
        assert!(compares(&json!(7), Ordering::Greater, "5"));
        assert!(!compares(&json!(5), Ordering::Greater, "5"));
    }

    #[test]
    fn the_best_line_has_most_terms_and_long_lines_are_cut_at_words() {
        let analyzer = analyzer("en", Path::new("vaultkit.toml")).unwrap();
        let (a, b) = (word("alpha"), word("beta"));
        let matchers: HashMap<*const Text, Matcher> = [&a, &b]
            .into_iter()
            .map(|text| {
                (
                    std::ptr::from_ref(text),
                    Matcher::new(text, &analyzer).unwrap(),
                )
            })
            .collect();
        let highlighter = Highlighter::new(&[&a, &b], &matchers);
        let long = format!("{} alpha beta {}", "word ".repeat(30), "tail ".repeat(60));
        let text = format!("---\nx: 1\n---\nalpha only\n{long}\n");
        let best = highlighter.best_line(&text).unwrap();
        assert_eq!(best.line, 5);
        assert!(best.text.starts_with("…word "), "{}", best.text);
        assert!(best.text.ends_with("tail…"), "{}", best.text);
        let marked: Vec<&str> = best
            .highlights
            .iter()
            .map(|&(s, e)| &best.text[s..e])
            .collect();
        assert_eq!(marked, ["alpha", "beta"]);
    }
}
