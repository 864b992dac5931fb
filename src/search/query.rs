//! Obsidian's search syntax, parsed into a [`Query`] tree.
//!
//! Words must all match (`a b`), `OR` offers alternatives, `-` negates,
//! parentheses group, `"…"` is a phrase, `/…/` a regular expression.
//! Operators scope what follows them: `file:`, `path:`, `content:`,
//! `match-case:`, `ignore-case:`, `tag:`, `line:( … )`, `block:( … )`,
//! `section:( … )`, `task:( … )`, `task-todo:( … )`, `task-done:( … )`,
//! `[property]`, `[property:value]`, `[property:null]`, `[property:<value]`,
//! `[property:>value]`; and vaultkit's graph filters `links-to:NOTE`,
//! `linked-from:NOTE`, `orphan:true`.
//!
//! A query is bounded so that the work of running it stays proportional to
//! its length times the vault's size: see [`MAX_QUERY_CHARS`], [`MAX_TERMS`]
//! and [`MAX_DEPTH`].

use std::cmp::Ordering;
use std::fmt;

use super::tasks::Tasks;

/// The longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 2000;

/// The most terms a query may have: words, phrases, regexes and operators,
/// with each group (`( … )`, `[key:…]`) counting as one besides its own terms.
pub const MAX_TERMS: usize = 100;

/// The deepest nesting of groups, negations and operators: `-(a (b))` is 3
/// deep. Deeper queries would only exhaust the stack.
pub const MAX_DEPTH: usize = 20;

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Every part matches.
    And(Vec<Query>),
    /// At least one part matches.
    Or(Vec<Query>),
    /// The part does not match.
    Not(Box<Query>),
    /// A word, phrase or regex in a place.
    Text(Text),
    /// Some line, block, section or task of the note matches the whole inner query.
    Within(Unit, Box<Query>),
    /// The note has this tag or one nested under it (lowercase, no `#`).
    Tag(String),
    /// The note has this property (lowercase key).
    HasProperty(String),
    /// The property is present and empty (lowercase key).
    NullProperty(String),
    /// The note links to the note named here (resolved like a wikilink).
    LinksTo(String),
    /// The note named here links to the note.
    LinkedFrom(String),
    /// Whether the note has no links in or out.
    Orphan(bool),
    /// The property (lowercase key), or one of its values, is below
    /// (`Ordering::Less`) or above (`Ordering::Greater`) `value`.
    Compare {
        /// The lowercase key.
        key: String,
        /// Below or above.
        order: Ordering,
        /// What the value is compared with.
        value: String,
    },
}

/// A text term and where it must occur.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Where to look.
    pub scope: Scope,
    /// What to look for.
    pub term: Term,
    /// Whether case must match (`match-case:`).
    pub match_case: bool,
}

/// Where a text term is looked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// File name, aliases, headings and body.
    Any,
    /// The file name (`file:`).
    File,
    /// The vault path (`path:`).
    Path,
    /// The body (`content:`).
    Content,
    /// The value of a property (`[key:…]`), by lowercase key.
    Property(String),
}

/// A word, a phrase or a regular expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    /// Matches any word it begins (`prod` matches `product`).
    Word(String),
    /// Words in this order, next to each other.
    Phrase(String),
    /// A regular expression.
    Regex(String),
}

/// The unit `line:`, `block:`, `section:` and the task operators look within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// One line.
    Line,
    /// One paragraph, heading, list item, quote, code block or table.
    Block,
    /// The text between two headings.
    Section,
    /// One task (a list item with a `[ ]` status), of those selected.
    Task(Tasks),
}

/// A query that does not parse: where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based character position in the query.
    pub column: usize,
    /// What is wrong or was expected there.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for SyntaxError {}

impl Query {
    /// Parses a query in Obsidian's search syntax. An empty query is an
    /// error (Obsidian shows nothing for it), and so is one beyond the limits.
    pub fn parse(input: &str) -> Result<Self, SyntaxError> {
        let length = input.chars().count();
        if length > MAX_QUERY_CHARS {
            return Err(SyntaxError {
                column: MAX_QUERY_CHARS + 1,
                message: format!(
                    "the query has {length} characters, more than the {MAX_QUERY_CHARS} allowed"
                ),
            });
        }
        let mut parser = Parser {
            chars: input.chars().collect(),
            pos: 0,
            depth: 0,
            terms: 0,
        };
        match parser.expression(&Context::default(), None)? {
            Some(query) => Ok(query),
            None => parser.error(
                0,
                "the query is empty: give a word, a phrase or an operator",
            ),
        }
    }

    /// The terms that count for ranking and snippets: text outside any negation.
    pub fn positive_texts(&self) -> Vec<&Text> {
        let mut out = Vec::new();
        self.collect_positive(&mut out);
        out
    }

    fn collect_positive<'a>(&'a self, out: &mut Vec<&'a Text>) {
        match self {
            Self::And(parts) | Self::Or(parts) => {
                parts.iter().for_each(|p| p.collect_positive(out));
            }
            Self::Within(_, inner) => inner.collect_positive(out),
            Self::Text(text) => out.push(text),
            _ => {}
        }
    }

    /// Whether every leaf looks only at file names or paths: such a query
    /// may match attachments, as Obsidian's `file:` and `path:` do.
    pub fn is_about_files(&self) -> bool {
        match self {
            Self::And(parts) | Self::Or(parts) => parts.iter().all(Self::is_about_files),
            Self::Not(inner) => inner.is_about_files(),
            Self::Text(text) => matches!(text.scope, Scope::File | Scope::Path),
            _ => false,
        }
    }
}

/// What the operators around a term say about it.
#[derive(Debug, Clone, Default)]
struct Context {
    scope: Option<Scope>,
    match_case: bool,
    /// Inside `[key:…]`: the character that closes it.
    in_property: bool,
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// How many terms and groups are open around the cursor.
    depth: usize,
    /// How many terms were read so far.
    terms: usize,
}

const OPERATORS: &[&str] = &[
    "file",
    "path",
    "content",
    "match-case",
    "ignore-case",
    "tag",
    "line",
    "block",
    "section",
    "task",
    "task-todo",
    "task-done",
    "links-to",
    "linked-from",
    "orphan",
];

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn error<T>(&self, at: usize, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            column: at + 1,
            message: message.into(),
        })
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// An OR of ANDs, up to `closing` (which is consumed) or the end.
    fn expression(
        &mut self,
        ctx: &Context,
        closing: Option<char>,
    ) -> Result<Option<Query>, SyntaxError> {
        let start = self.pos;
        let mut alternatives: Vec<Query> = Vec::new();
        let mut terms: Vec<Query> = Vec::new();
        loop {
            self.skip_space();
            match self.peek() {
                None => {
                    if let Some(close) = closing {
                        return self.error(
                            self.pos,
                            format!(
                                "expected `{close}` to close the group opened at column {start}"
                            ),
                        );
                    }
                    break;
                }
                Some(c) if Some(c) == closing => {
                    self.pos += 1;
                    break;
                }
                Some(c @ (')' | ']')) => {
                    return self.error(self.pos, format!("unexpected `{c}`: nothing to close"));
                }
                _ if self.at_or() => {
                    if terms.is_empty() {
                        return self.error(self.pos, "expected a term before `OR`");
                    }
                    self.pos += 2;
                    alternatives.push(and(std::mem::take(&mut terms)));
                }
                _ => {
                    self.terms += 1;
                    if self.terms > MAX_TERMS {
                        return self.error(
                            self.pos,
                            format!(
                                "more than {MAX_TERMS} terms: split the search into smaller ones"
                            ),
                        );
                    }
                    terms.push(self.unary(ctx)?);
                }
            }
        }
        if terms.is_empty() {
            if !alternatives.is_empty() {
                return self.error(self.pos, "expected a term after `OR`");
            }
            return Ok(None);
        }
        alternatives.push(and(terms));
        Ok(Some(if alternatives.len() == 1 {
            alternatives.remove(0)
        } else {
            Query::Or(alternatives)
        }))
    }

    fn at_or(&self) -> bool {
        self.peek() == Some('O')
            && self.peek_at(1) == Some('R')
            && self
                .peek_at(2)
                .is_none_or(|c| c.is_whitespace() || c == '(' || c == '"')
    }

    /// A term, negated or not. Every group, negation and operator nests
    /// through here, so this is where depth is counted.
    fn unary(&mut self, ctx: &Context) -> Result<Query, SyntaxError> {
        if self.depth == MAX_DEPTH {
            return self.error(
                self.pos,
                format!("nested more than {MAX_DEPTH} deep (groups, `-` and operators)"),
            );
        }
        self.depth += 1;
        let query = if self.peek() == Some('-')
            && self
                .peek_at(1)
                .is_some_and(|c| !c.is_whitespace() && c != ')' && c != ']')
        {
            self.pos += 1;
            self.unary(ctx).map(|inner| Query::Not(Box::new(inner)))
        } else {
            self.primary(ctx)
        };
        self.depth -= 1;
        query
    }

    fn primary(&mut self, ctx: &Context) -> Result<Query, SyntaxError> {
        let at = self.pos;
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                match self.expression(ctx, Some(')'))? {
                    Some(query) => Ok(query),
                    None => self.error(at, "empty group `()`"),
                }
            }
            Some('[') if !ctx.in_property => self.property(ctx),
            Some('"') => {
                let phrase = self.quoted()?;
                if phrase.trim().is_empty() {
                    return self.error(at, "empty phrase `\"\"`");
                }
                Ok(text(ctx, Term::Phrase(phrase)))
            }
            Some('/') => Ok(text(ctx, Term::Regex(self.regex()?))),
            _ => {
                if let Some(name) = self.operator_name() {
                    return self.operator(ctx, &name);
                }
                let word = self.word(ctx);
                if word.is_empty() {
                    return self.error(at, "expected a search term");
                }
                Ok(text(ctx, Term::Word(word)))
            }
        }
    }

    /// A known `name:` at the cursor (consumed), lowercased.
    fn operator_name(&mut self) -> Option<String> {
        let rest = &self.chars[self.pos..];
        let len = rest
            .iter()
            .take_while(|c| c.is_ascii_alphabetic() || **c == '-')
            .count();
        if rest.get(len) != Some(&':') {
            return None;
        }
        let name: String = rest[..len].iter().collect::<String>().to_ascii_lowercase();
        if OPERATORS.contains(&name.as_str()) {
            self.pos += len + 1;
            Some(name)
        } else {
            None
        }
    }

    fn operator(&mut self, ctx: &Context, name: &str) -> Result<Query, SyntaxError> {
        let at = self.pos;
        let mut inner = ctx.clone();
        match name {
            "file" => inner.scope = Some(Scope::File),
            "path" => inner.scope = Some(Scope::Path),
            "content" => inner.scope = Some(Scope::Content),
            "match-case" => inner.match_case = true,
            "ignore-case" => inner.match_case = false,
            "line" | "block" | "section" | "task" | "task-todo" | "task-done" => {
                let unit = match name {
                    "line" => Unit::Line,
                    "block" => Unit::Block,
                    "section" => Unit::Section,
                    "task" => Unit::Task(Tasks::All),
                    "task-todo" => Unit::Task(Tasks::Todo),
                    _ => Unit::Task(Tasks::Done),
                };
                return Ok(Query::Within(
                    unit,
                    Box::new(self.operand(&inner, name, at)?),
                ));
            }
            "tag" => {
                let tag = self.name_operand(ctx, name, at)?;
                let tag = tag.trim_start_matches('#').trim_end_matches('/');
                if tag.is_empty() {
                    return self.error(at, "expected a tag after `tag:`, e.g. `tag:#project`");
                }
                return Ok(Query::Tag(tag.to_lowercase()));
            }
            "links-to" => return Ok(Query::LinksTo(self.name_operand(ctx, name, at)?)),
            "linked-from" => return Ok(Query::LinkedFrom(self.name_operand(ctx, name, at)?)),
            "orphan" => {
                return match self.word(ctx).to_ascii_lowercase().as_str() {
                    "true" => Ok(Query::Orphan(true)),
                    "false" => Ok(Query::Orphan(false)),
                    _ => self.error(at, "expected `true` or `false` after `orphan:`"),
                };
            }
            other => {
                return self.error(
                    at.saturating_sub(other.len() + 1),
                    format!("`{other}:` is no search operator"),
                );
            }
        }
        self.operand(&inner, name, at)
    }

    /// What follows `name:`: a group, a phrase, a regex or a word.
    fn operand(&mut self, ctx: &Context, name: &str, at: usize) -> Result<Query, SyntaxError> {
        match self.peek() {
            None => self.error(at, format!("expected a term after `{name}:`")),
            Some(c) if c.is_whitespace() => {
                self.error(at, format!("expected a term after `{name}:` (no space)"))
            }
            _ => self.unary(ctx),
        }
    }

    /// A note or tag name: a quoted string or a word; `[[…]]` is unwrapped.
    fn name_operand(
        &mut self,
        ctx: &Context,
        name: &str,
        at: usize,
    ) -> Result<String, SyntaxError> {
        let value = match self.peek() {
            Some('"') => self.quoted()?,
            Some('[') if self.peek_at(1) == Some('[') => {
                let start = self.pos;
                let rest: String = self.chars[self.pos..].iter().collect();
                match rest.find("]]") {
                    Some(end) => {
                        self.pos += rest[..end + 2].chars().count();
                        rest[2..end].to_owned()
                    }
                    None => return self.error(start, "expected `]]` to close the link"),
                }
            }
            _ => self.word(ctx),
        };
        if value.trim().is_empty() {
            return self.error(at, format!("expected a name after `{name}:`"));
        }
        Ok(value.trim().to_owned())
    }

    /// `[key]`, `[key:null]`, `[key:<value]`, `[key:>value]` or `[key:value query]`.
    fn property(&mut self, ctx: &Context) -> Result<Query, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let key_start = self.pos;
        while self.peek().is_some_and(|c| c != ':' && c != ']') {
            self.pos += 1;
        }
        let key: String = self.chars[key_start..self.pos].iter().collect();
        let key = key.trim().trim_matches('"').to_lowercase();
        if key.is_empty() {
            return self.error(key_start, "expected a property name after `[`");
        }
        match self.peek() {
            None => self.error(open, "expected `]` to close the property"),
            Some(']') => {
                self.pos += 1;
                Ok(Query::HasProperty(key))
            }
            _ if matches!(self.peek_at(1), Some('<' | '>')) => {
                self.pos += 1;
                self.comparison(key)
            }
            _ => {
                self.pos += 1;
                let inner = Context {
                    scope: Some(Scope::Property(key.clone())),
                    in_property: true,
                    ..ctx.clone()
                };
                let value_start = self.pos;
                match self.expression(&inner, Some(']'))? {
                    None => self.error(value_start, format!("expected a value after `[{key}:`")),
                    Some(Query::Text(Text {
                        term: Term::Word(word),
                        ..
                    })) if word.eq_ignore_ascii_case("null") => Ok(Query::NullProperty(key)),
                    Some(value) => Ok(value),
                }
            }
        }
    }

    /// `<value]` or `>value]`, after `[key:`; the value is a word or a phrase.
    fn comparison(&mut self, key: String) -> Result<Query, SyntaxError> {
        let sign = self.peek();
        let order = if sign == Some('<') {
            Ordering::Less
        } else {
            Ordering::Greater
        };
        self.pos += 1;
        let at = self.pos;
        let value = if self.peek() == Some('"') {
            self.quoted()?
        } else {
            let ctx = Context {
                in_property: true,
                ..Context::default()
            };
            self.word(&ctx)
        };
        if value.trim().is_empty() {
            return self.error(
                at,
                format!("expected a value after `[{key}:{}`", sign.unwrap_or('<')),
            );
        }
        self.skip_space();
        if self.peek() != Some(']') {
            return self.error(
                self.pos,
                "expected `]`: a comparison takes one value, e.g. `[duration:<5]`",
            );
        }
        self.pos += 1;
        Ok(Query::Compare {
            key,
            order,
            value: value.trim().to_owned(),
        })
    }

    /// A `"…"` string, with `\"` and `\\` escapes.
    fn quoted(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return self.error(open, "expected `\"` to close the phrase"),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') if matches!(self.peek_at(1), Some('"' | '\\')) => {
                    out.extend(self.peek_at(1));
                    self.pos += 2;
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A `/…/` regex; `\/` stands for a slash.
    fn regex(&mut self) -> Result<String, SyntaxError> {
        let open = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return self.error(open, "expected `/` to close the regular expression"),
                Some('/') => {
                    self.pos += 1;
                    if out.is_empty() {
                        return self.error(open, "empty regular expression `//`");
                    }
                    return Ok(out);
                }
                Some('\\') if self.peek_at(1) == Some('/') => {
                    out.push('/');
                    self.pos += 2;
                }
                Some('\\') => {
                    out.push('\\');
                    out.extend(self.peek_at(1));
                    self.pos += 2;
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A bare word: up to white space or a character with a meaning here.
    fn word(&mut self, ctx: &Context) -> String {
        let start = self.pos;
        while let Some(c) = self.peek() {
            let stop =
                c.is_whitespace() || matches!(c, '(' | ')' | '"') || (ctx.in_property && c == ']');
            if stop {
                break;
            }
            self.pos += 1;
        }
        self.chars[start..self.pos].iter().collect()
    }
}

fn text(ctx: &Context, term: Term) -> Query {
    Query::Text(Text {
        scope: ctx.scope.clone().unwrap_or(Scope::Any),
        term,
        match_case: ctx.match_case,
    })
}

fn and(mut terms: Vec<Query>) -> Query {
    if terms.len() == 1 {
        terms.remove(0)
    } else {
        Query::And(terms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(scope: Scope, w: &str) -> Query {
        Query::Text(Text {
            scope,
            term: Term::Word(w.to_owned()),
            match_case: false,
        })
    }

    fn any(w: &str) -> Query {
        word(Scope::Any, w)
    }

    #[test]
    fn words_and_or_and_negation_nest_as_obsidian_reads_them() {
        assert_eq!(
            Query::parse("a b").unwrap(),
            Query::And(vec![any("a"), any("b")])
        );
        assert_eq!(
            Query::parse("a b OR c").unwrap(),
            Query::Or(vec![Query::And(vec![any("a"), any("b")]), any("c")])
        );
        assert_eq!(
            Query::parse("a -(b OR c)").unwrap(),
            Query::And(vec![
                any("a"),
                Query::Not(Box::new(Query::Or(vec![any("b"), any("c")])))
            ])
        );
        // `-` alone and a lowercase `or` are words.
        assert_eq!(
            Query::parse("a - or").unwrap(),
            Query::And(vec![any("a"), any("-"), any("or")])
        );
    }

    #[test]
    fn phrases_regexes_and_escapes() {
        assert_eq!(
            Query::parse(r#""say \"hi\"""#).unwrap(),
            Query::Text(Text {
                scope: Scope::Any,
                term: Term::Phrase("say \"hi\"".into()),
                match_case: false
            })
        );
        assert_eq!(
            Query::parse(r"path:/\d{4}\/x/").unwrap(),
            Query::Text(Text {
                scope: Scope::Path,
                term: Term::Regex(r"\d{4}/x".into()),
                match_case: false
            })
        );
    }

    #[test]
    fn operators_scope_what_follows() {
        assert_eq!(
            Query::parse("file:(a b)").unwrap(),
            Query::And(vec![word(Scope::File, "a"), word(Scope::File, "b")])
        );
        assert_eq!(
            Query::parse("match-case:Git").unwrap(),
            Query::Text(Text {
                scope: Scope::Any,
                term: Term::Word("Git".into()),
                match_case: true
            })
        );
        assert_eq!(
            Query::parse("tag:#Work/Projects").unwrap(),
            Query::Tag("work/projects".into())
        );
        assert_eq!(
            Query::parse("line:(a b)").unwrap(),
            Query::Within(Unit::Line, Box::new(Query::And(vec![any("a"), any("b")])))
        );
        let within = |unit, inner| Query::Within(unit, Box::new(inner));
        assert_eq!(
            Query::parse("block:(a b) TASK:call task-todo:/x/ -task-done:a").unwrap(),
            Query::And(vec![
                within(Unit::Block, Query::And(vec![any("a"), any("b")])),
                within(Unit::Task(Tasks::All), any("call")),
                within(
                    Unit::Task(Tasks::Todo),
                    Query::Text(Text {
                        scope: Scope::Any,
                        term: Term::Regex("x".into()),
                        match_case: false
                    })
                ),
                Query::Not(Box::new(within(Unit::Task(Tasks::Done), any("a")))),
            ])
        );
        assert_eq!(
            Query::parse(r#"links-to:"Git basics" linked-from:[[Agile]] orphan:true"#).unwrap(),
            Query::And(vec![
                Query::LinksTo("Git basics".into()),
                Query::LinkedFrom("Agile".into()),
                Query::Orphan(true)
            ])
        );
        // An unknown `name:` is an ordinary word.
        assert_eq!(Query::parse("10:30").unwrap(), any("10:30"));
    }

    #[test]
    fn properties() {
        assert_eq!(
            Query::parse("[Status]").unwrap(),
            Query::HasProperty("status".into())
        );
        assert_eq!(
            Query::parse("[status:null]").unwrap(),
            Query::NullProperty("status".into())
        );
        let prop = |w: &str| word(Scope::Property("status".into()), w);
        assert_eq!(
            Query::parse("[status:draft OR active]").unwrap(),
            Query::Or(vec![prop("draft"), prop("active")])
        );
    }

    #[test]
    fn errors_say_where_and_what_was_expected() {
        let error = |q: &str| Query::parse(q).unwrap_err().to_string();
        assert_eq!(
            error("(a b"),
            "at column 5: expected `)` to close the group opened at column 1"
        );
        assert_eq!(
            error("a )"),
            "at column 3: unexpected `)`: nothing to close"
        );
        assert_eq!(error("OR a"), "at column 1: expected a term before `OR`");
        assert_eq!(error("a OR"), "at column 5: expected a term after `OR`");
        assert_eq!(
            error("\"open"),
            "at column 1: expected `\"` to close the phrase"
        );
        assert_eq!(
            error("/ab"),
            "at column 1: expected `/` to close the regular expression"
        );
        assert_eq!(
            error("[status"),
            "at column 1: expected `]` to close the property"
        );
        assert_eq!(error("tag:"), "at column 5: expected a name after `tag:`");
        assert_eq!(
            error("file: x"),
            "at column 6: expected a term after `file:` (no space)"
        );
        assert_eq!(
            error("orphan:maybe"),
            "at column 8: expected `true` or `false` after `orphan:`"
        );
        assert_eq!(
            error("task: call"),
            "at column 6: expected a term after `task:` (no space)"
        );
        assert_eq!(
            error("block:"),
            "at column 7: expected a term after `block:`"
        );
    }

    #[test]
    fn an_empty_query_or_phrase_is_an_error() {
        let error = |q: &str| Query::parse(q).unwrap_err().to_string();
        for empty in ["", "   "] {
            assert_eq!(
                error(empty),
                "at column 1: the query is empty: give a word, a phrase or an operator"
            );
        }
        assert_eq!(error(r#"a """#), "at column 3: empty phrase `\"\"`");
        assert_eq!(error(r#"" ""#), "at column 1: empty phrase `\"\"`");
    }

    #[test]
    fn comparisons_take_one_value() {
        let compare = |key: &str, order, value: &str| Query::Compare {
            key: key.into(),
            order,
            value: value.into(),
        };
        assert_eq!(
            Query::parse("[Duration:<5]").unwrap(),
            compare("duration", Ordering::Less, "5")
        );
        assert_eq!(
            Query::parse(r#"[created:>"2024-01" ]"#).unwrap(),
            compare("created", Ordering::Greater, "2024-01")
        );
        let error = |q: &str| Query::parse(q).unwrap_err().to_string();
        assert_eq!(
            error("[duration:<]"),
            "at column 12: expected a value after `[duration:<`"
        );
        assert_eq!(
            error("[duration:<5 OR >8]"),
            "at column 14: expected `]`: a comparison takes one value, e.g. `[duration:<5]`"
        );
    }

    #[test]
    fn length_terms_and_depth_are_bounded() {
        let error = |q: &str| Query::parse(q).unwrap_err().to_string();
        let longest = "a".repeat(MAX_QUERY_CHARS);
        assert!(Query::parse(&longest).is_ok());
        assert_eq!(
            error(&format!("{longest}é")),
            "at column 2001: the query has 2001 characters, more than the 2000 allowed"
        );

        let words = |n: usize| vec!["w"; n].join(" ");
        assert!(Query::parse(&words(MAX_TERMS)).is_ok());
        assert_eq!(
            error(&words(MAX_TERMS + 1)),
            "at column 201: more than 100 terms: split the search into smaller ones"
        );
        // A group is a term, and so is each term inside it.
        assert!(Query::parse(&format!("({})", words(MAX_TERMS - 1))).is_ok());
        assert!(Query::parse(&format!("({})", words(MAX_TERMS))).is_err());

        let nested = |n: usize| format!("{}a{}", "(".repeat(n - 1), ")".repeat(n - 1));
        assert!(Query::parse(&nested(MAX_DEPTH)).is_ok());
        assert_eq!(
            error(&nested(MAX_DEPTH + 1)),
            "at column 21: nested more than 20 deep (groups, `-` and operators)"
        );
        assert!(Query::parse(&format!("{}a", "-".repeat(MAX_DEPTH - 1))).is_ok());
        assert!(Query::parse(&format!("{}a", "-".repeat(MAX_DEPTH))).is_err());
        assert!(Query::parse(&format!("{}a", "line:(".repeat(MAX_DEPTH))).is_err());
        // Far beyond the limits, the answer is the same error, not a crash.
        assert!(Query::parse(&"(".repeat(60_000)).is_err());
        assert!(Query::parse(&format!("{}agile", "-".repeat(1900))).is_err());
    }
}
