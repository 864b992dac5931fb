//! Editing one note's front matter in place: set, unset, rename, and add or
//! remove list items, as byte-range replacements that leave every other byte
//! as it was (comments, order, quoting, other keys, list styles, line
//! endings).
//!
//! YAML's parser locates each top-level key and its value (its events carry
//! their start positions); where a value ends is read from the text, knowing
//! its style. Values are written by [`yaml_value`].

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use super::plan::Replacement;
use super::yaml_value::{self, Context};
use crate::parse::frontmatter::{self, Block};

/// One change to a note's properties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyEdit {
    /// Give `key` this value, adding the key when it is absent.
    Set {
        /// The property.
        key: String,
        /// The value.
        value: NewValue,
    },
    /// Remove `key` (with the front matter, when it was the last property).
    Unset {
        /// The property.
        key: String,
    },
    /// Rename the key `from` to `to`, keeping its value as written.
    Rename {
        /// The current name.
        from: String,
        /// The new name.
        to: String,
    },
    /// Append `value` to the list `key` unless it holds it already.
    Add {
        /// The list property.
        key: String,
        /// The item.
        value: String,
    },
    /// Remove every item `value` from the list `key`.
    Remove {
        /// The list property.
        key: String,
        /// The item.
        value: String,
    },
}

/// A value to set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewValue {
    /// One value (text, number, date, `true`, a `[[link]]`).
    Scalar(String),
    /// A list, written in block style (or in the flow style the note
    /// already uses for this key).
    List(Vec<String>),
}

/// Why a note's front matter cannot be edited.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The front matter is not valid YAML.
    #[error("its front matter is not valid YAML (line {line}): {message}")]
    InvalidYaml {
        /// The parser's message.
        message: String,
        /// Line in the file, from 1.
        line: usize,
    },
    /// The front matter is not a mapping of keys to values.
    #[error("its front matter is not a list of `key: value` properties")]
    NotAMapping,
    /// A key that is not plain text (a list or map used as a key).
    #[error("its front matter has a key that is not text")]
    ComplexKey,
    /// The key appears twice, so which one to edit is unclear.
    #[error("`{0}` appears twice in its front matter")]
    DuplicateKey(String),
    /// `rename` to a key the note already has.
    #[error("it already has a `{0}` property")]
    KeyExists(String),
    /// `add`/`remove` on a value that is a map.
    #[error("`{0}` holds a map or a block of text, not a list")]
    NotAList(String),
    /// An empty key.
    #[error("a property name cannot be empty")]
    EmptyKey,
    /// A list written in a way this editor cannot follow.
    #[error("cannot locate the items of `{0}` in its front matter")]
    Unlocatable(String),
}

/// The replacements that make `edit` on the note `text` (decoded, without a
/// byte-order mark), in text order; empty when the note already says so.
pub fn edit(text: &str, edit: &PropertyEdit) -> Result<Vec<Replacement>, EditError> {
    let key = match edit {
        PropertyEdit::Set { key, .. }
        | PropertyEdit::Unset { key }
        | PropertyEdit::Add { key, .. }
        | PropertyEdit::Remove { key, .. } => key,
        PropertyEdit::Rename { from, .. } => from,
    };
    if key.is_empty() {
        return Err(EditError::EmptyKey);
    }
    let line_break = if text.split('\n').next().is_some_and(|l| l.ends_with('\r')) {
        "\r\n"
    } else {
        "\n"
    };
    let block = if text.starts_with("---") {
        frontmatter::split(text)
    } else {
        None
    };
    let Some(block) = block else {
        return Ok(match new_entry(edit, line_break) {
            Some(entry) => vec![Replacement::insert(
                0,
                format!("---{line_break}{entry}---{line_break}"),
            )],
            None => Vec::new(),
        });
    };
    let entries = locate(text, block)?;
    let found = entries.iter().find(|entry| entry.key == *key);
    let editor = Editor {
        text,
        block,
        line_break,
        entries: &entries,
    };
    let mut replacements = match found {
        None => new_entry(edit, line_break)
            .map(|entry| {
                vec![Replacement::insert(
                    block.yaml_start + block.yaml.len(),
                    entry,
                )]
            })
            .unwrap_or_default(),
        Some(entry) => editor.change(entry, edit)?,
    };
    replacements.sort_by_key(|r| (r.start, r.end));
    Ok(replacements)
}

/// The lines of a new property for `edit` on a note without it.
fn new_entry(edit: &PropertyEdit, line_break: &str) -> Option<String> {
    let (key, value) = match edit {
        PropertyEdit::Set { key, value } => (key, value.clone()),
        PropertyEdit::Add { key, value } => (key, NewValue::List(vec![value.clone()])),
        PropertyEdit::Unset { .. } | PropertyEdit::Rename { .. } | PropertyEdit::Remove { .. } => {
            return None;
        }
    };
    let written = match value {
        NewValue::Scalar(v) => format!(" {}", yaml_value::scalar(&v, Context::Block)),
        NewValue::List(items) => yaml_value::block_list(&items, LIST_INDENT, line_break),
    };
    Some(format!("{}:{written}{line_break}", yaml_value::key(key)))
}

/// How Obsidian indents the items of a block list.
const LIST_INDENT: &str = "  ";

struct Editor<'a> {
    text: &'a str,
    block: Block<'a>,
    line_break: &'a str,
    entries: &'a [Entry],
}

impl Editor<'_> {
    fn change(&self, entry: &Entry, edit: &PropertyEdit) -> Result<Vec<Replacement>, EditError> {
        Ok(match edit {
            PropertyEdit::Set { value, .. } => self.set(entry, value),
            PropertyEdit::Unset { .. } => vec![self.unset(entry)],
            PropertyEdit::Rename { to, .. } => {
                if to.is_empty() {
                    return Err(EditError::EmptyKey);
                }
                if *to == entry.key {
                    return Ok(Vec::new());
                }
                if self.entries.iter().any(|e| e.key == *to) {
                    return Err(EditError::KeyExists(to.clone()));
                }
                let written = match entry.key_quote {
                    Some('\'') => format!("'{}'", to.replace('\'', "''")),
                    Some(_) => yaml_value::double_quoted(to),
                    None => yaml_value::key(to),
                };
                vec![Replacement::new(entry.key_start, entry.key_end, written)]
            }
            PropertyEdit::Add { value, .. } => self.add(entry, value)?,
            PropertyEdit::Remove { value, .. } => self.remove(entry, value)?,
        })
    }

    fn set(&self, entry: &Entry, new: &NewValue) -> Vec<Replacement> {
        let unchanged = match (&entry.value, new) {
            (
                Value::Scalar {
                    text: Some(old), ..
                },
                NewValue::Scalar(new),
            ) => old == new,
            (
                Value::BlockList { items, .. } | Value::FlowList { items, .. },
                NewValue::List(new),
            ) => {
                items.len() == new.len()
                    && items
                        .iter()
                        .zip(new)
                        .all(|(i, n)| i.text.as_ref() == Some(n))
            }
            _ => false,
        };
        if unchanged {
            return Vec::new();
        }
        let (start, end) = entry.value.range(entry.colon_end);
        let after_colon = start == entry.colon_end;
        let written = match (new, &entry.value) {
            (NewValue::List(items), Value::FlowList { .. }) => {
                let items: Vec<String> = items
                    .iter()
                    .map(|item| yaml_value::scalar(item, Context::Flow))
                    .collect();
                format!("[{}]", items.join(", "))
            }
            (NewValue::List(items), old) => {
                let indent = match old {
                    Value::BlockList { items: old, .. } => old
                        .first()
                        .map_or(LIST_INDENT, |item| &self.text[item.line_start..item.dash]),
                    _ => LIST_INDENT,
                };
                return vec![Replacement::new(
                    entry.colon_end,
                    end,
                    yaml_value::block_list(items, indent, self.line_break),
                )];
            }
            (NewValue::Scalar(v), _) => yaml_value::scalar(v, Context::Block),
        };
        let written = if after_colon {
            format!(" {written}")
        } else {
            written
        };
        vec![Replacement::new(start, end, written)]
    }

    fn unset(&self, entry: &Entry) -> Replacement {
        let end = line_end(self.text, entry.value.range(entry.colon_end).1, true);
        let yaml_end = self.block.yaml_start + self.block.yaml.len();
        let rest_empty = self.text[self.block.yaml_start..entry.line_start].is_empty()
            && self.text[end.min(yaml_end)..yaml_end].is_empty();
        if rest_empty {
            Replacement::new(0, self.block.body_start, String::new())
        } else {
            Replacement::new(entry.line_start, end, String::new())
        }
    }

    fn add(&self, entry: &Entry, value: &str) -> Result<Vec<Replacement>, EditError> {
        let item =
            |indent: &str| yaml_value::block_list(&[value.to_owned()], indent, self.line_break);
        Ok(match &entry.value {
            Value::Empty => vec![Replacement::insert(entry.colon_end, item(LIST_INDENT))],
            Value::Scalar {
                text: Some(old), ..
            } if old == value => Vec::new(),
            // A single value becomes the first item of the list, as written.
            Value::Scalar {
                start,
                end,
                text: Some(_),
            } => {
                let old = &self.text[*start..*end];
                let list = format!(
                    "{}{LIST_INDENT}- {old}{}",
                    self.line_break,
                    item(LIST_INDENT)
                );
                vec![Replacement::new(entry.colon_end, *end, list)]
            }
            Value::BlockList { items, .. }
                if items.iter().any(|i| i.text.as_deref() == Some(value)) =>
            {
                Vec::new()
            }
            Value::BlockList { items, end } => {
                let indent = items
                    .last()
                    .map_or(LIST_INDENT, |last| &self.text[last.line_start..last.dash]);
                vec![Replacement::insert(*end, item(indent))]
            }
            Value::FlowList { items, .. }
                if items.iter().any(|i| i.text.as_deref() == Some(value)) =>
            {
                Vec::new()
            }
            Value::FlowList { items, open, .. } => {
                let written = yaml_value::scalar(value, Context::Flow);
                match items.last() {
                    Some(last) => vec![Replacement::insert(last.end, format!(", {written}"))],
                    None => vec![Replacement::insert(open + 1, written)],
                }
            }
            Value::Scalar { text: None, .. } | Value::Other { .. } => {
                return Err(EditError::NotAList(entry.key.clone()));
            }
        })
    }

    fn remove(&self, entry: &Entry, value: &str) -> Result<Vec<Replacement>, EditError> {
        let matches = |item: &Item| item.text.as_deref() == Some(value);
        Ok(match &entry.value {
            Value::Empty => Vec::new(),
            Value::Scalar {
                text: Some(old),
                end,
                ..
            } if old == value => {
                vec![Replacement::new(entry.colon_end, *end, String::new())]
            }
            Value::Scalar { .. } => Vec::new(),
            Value::BlockList { items, end } if items.iter().all(matches) => {
                vec![Replacement::new(entry.colon_end, *end, String::new())]
            }
            Value::BlockList { items, end } => items
                .iter()
                .enumerate()
                .filter(|(_, item)| matches(item))
                .map(|(i, item)| {
                    let next = items
                        .get(i + 1)
                        .map_or_else(|| line_end(self.text, *end, true), |n| n.line_start);
                    Replacement::new(item.line_start, next, String::new())
                })
                .collect(),
            Value::FlowList { items, open, close } if items.iter().all(matches) => {
                if items.is_empty() {
                    Vec::new()
                } else {
                    vec![Replacement::new(open + 1, *close, String::new())]
                }
            }
            Value::FlowList { items, .. } => {
                let mut out = Vec::new();
                let mut i = 0;
                while i < items.len() {
                    if !matches(&items[i]) {
                        i += 1;
                        continue;
                    }
                    let run_start = i;
                    while i < items.len() && matches(&items[i]) {
                        i += 1;
                    }
                    // A run is removed with the separator after it, or the
                    // one before it when it ends the list.
                    out.push(match items.get(i) {
                        Some(next) => {
                            Replacement::new(items[run_start].start, next.start, String::new())
                        }
                        None => Replacement::new(
                            items[run_start - 1].end,
                            items[i - 1].end,
                            String::new(),
                        ),
                    });
                }
                out
            }
            Value::Other { .. } => return Err(EditError::NotAList(entry.key.clone())),
        })
    }
}

/// A top-level property as written. Offsets are bytes in the note's text.
#[derive(Debug)]
struct Entry {
    key: String,
    /// The quote around the key, if any.
    key_quote: Option<char>,
    line_start: usize,
    key_start: usize,
    key_end: usize,
    /// Just after the `:`.
    colon_end: usize,
    value: Value,
}

/// A property's value as written.
#[derive(Debug)]
enum Value {
    /// Nothing after the colon (YAML's null).
    Empty,
    /// One scalar (`text` is `None` for an alias or a block scalar).
    Scalar {
        start: usize,
        end: usize,
        text: Option<String>,
    },
    /// `- item` lines; `end` is the end of the last item.
    BlockList { items: Vec<Item>, end: usize },
    /// `[a, b]`: the offsets of `[` and `]`.
    FlowList {
        items: Vec<Item>,
        open: usize,
        close: usize,
    },
    /// A map, or anything else only replaced or removed as a whole.
    Other { start: usize, end: usize },
}

impl Value {
    /// The bytes the value covers; block lists and maps start just after the
    /// colon (`colon_end`), so that replacing them keeps no line of theirs.
    fn range(&self, colon_end: usize) -> (usize, usize) {
        match self {
            Self::Empty => (colon_end, colon_end),
            Self::Scalar { start, end, .. } | Self::Other { start, end } => (*start, *end),
            Self::BlockList { end, .. } => (colon_end, *end),
            Self::FlowList { open, close, .. } => (*open, close + 1),
        }
    }
}

/// An item of a list.
#[derive(Debug)]
struct Item {
    /// The item's text when it is a scalar.
    text: Option<String>,
    start: usize,
    end: usize,
    /// Block lists: the start of the item's line and its `-`.
    line_start: usize,
    dash: usize,
}

/// A value as the parser reports it, before its end is located.
enum Parsed {
    Scalar(String, TScalarStyle, usize),
    Alias(usize),
    Sequence {
        start: usize,
        end: usize,
        items: Vec<ParsedItem>,
    },
    Mapping {
        start: usize,
        end: usize,
    },
}

/// A list item as the parser reports it.
struct ParsedItem {
    /// Its text, when it is a scalar.
    text: Option<String>,
    /// Its style, when it is a scalar or an alias (`None`: a nested list or map).
    style: Option<TScalarStyle>,
    start: usize,
    /// The end of a nested flow list or map (its closing bracket).
    nested_end: usize,
}

/// Every top-level property of the front matter `block` of `text`.
fn locate(text: &str, block: Block<'_>) -> Result<Vec<Entry>, EditError> {
    let yaml = block.yaml;
    let base = block.yaml_start;
    crate::parse::yaml::check(yaml).map_err(|err| EditError::InvalidYaml {
        message: err.message.clone(),
        line: text[..base].matches('\n').count() + err.line,
    })?;
    let bytes = ByteOffsets::new(yaml);
    let mut events = Vec::new();
    let mut parser = Parser::new_from_str(yaml);
    loop {
        let (event, marker) = parser.next_token().map_err(|err| EditError::InvalidYaml {
            message: err.info().to_owned(),
            line: text[..base].matches('\n').count() + err.marker().line(),
        })?;
        if event == Event::StreamEnd {
            break;
        }
        if !matches!(
            event,
            Event::StreamStart | Event::DocumentStart | Event::DocumentEnd
        ) {
            events.push((event, base + bytes.of(marker.index())));
        }
    }
    let mut events = events.into_iter().peekable();
    match events.next() {
        None => return Ok(Vec::new()),
        Some((Event::MappingStart(..), _)) => {}
        Some(_) => return Err(EditError::NotAMapping),
    }
    let mut raw: Vec<(String, TScalarStyle, usize, Parsed)> = Vec::new();
    while let Some((event, at)) = events.next() {
        let (key, style) = match event {
            Event::MappingEnd => break,
            Event::Scalar(key, style, ..) => (key, style),
            _ => return Err(EditError::ComplexKey),
        };
        let value = match events.next() {
            Some((Event::Scalar(text, style, ..), start)) => Parsed::Scalar(text, style, start),
            Some((Event::Alias(_), start)) => Parsed::Alias(start),
            Some((Event::SequenceStart(..), start)) => {
                let mut items = Vec::new();
                let end = loop {
                    match events.next() {
                        Some((Event::SequenceEnd, end)) => break end,
                        Some((Event::Scalar(text, style, ..), at)) => items.push(ParsedItem {
                            text: Some(text),
                            style: Some(style),
                            start: at,
                            nested_end: at,
                        }),
                        Some((Event::Alias(_), at)) => items.push(ParsedItem {
                            text: None,
                            style: Some(TScalarStyle::Plain),
                            start: at,
                            nested_end: at,
                        }),
                        Some((Event::SequenceStart(..) | Event::MappingStart(..), at)) => {
                            let end = skip_collection(&mut events);
                            items.push(ParsedItem {
                                text: None,
                                style: None,
                                start: at,
                                nested_end: end + 1,
                            });
                        }
                        _ => return Err(EditError::NotAMapping),
                    }
                };
                Parsed::Sequence { start, end, items }
            }
            Some((Event::MappingStart(..), start)) => {
                let end = skip_collection(&mut events);
                Parsed::Mapping { start, end }
            }
            _ => return Err(EditError::NotAMapping),
        };
        raw.push((key, style, at, value));
    }
    let yaml_end = base + yaml.len();
    let mut entries: Vec<Entry> = Vec::with_capacity(raw.len());
    let starts: Vec<usize> = raw
        .iter()
        .map(|(_, _, at, _)| line_start(text, *at))
        .collect();
    for (i, (key, style, key_start, value)) in raw.into_iter().enumerate() {
        if entries.iter().any(|e| e.key == key) {
            return Err(EditError::DuplicateKey(key));
        }
        let bound = starts.get(i + 1).copied().unwrap_or(yaml_end);
        let key_quote = quote_of(style);
        let key_end = match key_quote {
            Some(quote) => quoted_end(text, key_start, quote),
            None => plain_key_end(text, key_start, bound),
        };
        let colon_end = text[key_end..bound]
            .find(':')
            .map_or(key_end, |i| key_end + i + 1);
        let value = match value {
            Parsed::Scalar(text_value, TScalarStyle::Plain, _) if text_value.is_empty() => {
                Value::Empty
            }
            Parsed::Scalar(_, TScalarStyle::Literal | TScalarStyle::Folded, _) => {
                let start = colon_end + text[colon_end..bound].len()
                    - text[colon_end..bound].trim_start_matches([' ', '\t']).len();
                Value::Scalar {
                    start,
                    end: block_end(text, start, bound),
                    text: None,
                }
            }
            Parsed::Scalar(text_value, style, start) => Value::Scalar {
                start,
                end: scalar_end(text, start, style, bound, Context::Block),
                text: Some(text_value),
            },
            Parsed::Alias(start) => Value::Scalar {
                start,
                end: scalar_end(text, start, TScalarStyle::Plain, bound, Context::Block),
                text: None,
            },
            Parsed::Mapping { start, end } if text[start..].starts_with('{') => Value::Other {
                start,
                end: end + 1,
            },
            Parsed::Mapping { .. } => Value::Other {
                start: colon_end,
                end: block_end(text, colon_end, bound),
            },
            Parsed::Sequence { start, end, items } if text[start..].starts_with('[') => {
                let mut located: Vec<Item> = Vec::with_capacity(items.len());
                for (j, item) in items.iter().enumerate() {
                    let item_bound = items.get(j + 1).map_or(end, |next| next.start);
                    let item_end = match item.style {
                        None => item.nested_end,
                        Some(style) => {
                            scalar_end(text, item.start, style, item_bound, Context::Flow)
                        }
                    };
                    located.push(Item {
                        text: item.text.clone(),
                        start: item.start,
                        end: item_end,
                        line_start: 0,
                        dash: 0,
                    });
                }
                Value::FlowList {
                    items: located,
                    open: start,
                    close: end,
                }
            }
            Parsed::Sequence { items, .. } => block_list(text, &key, colon_end, bound, items)?,
        };
        entries.push(Entry {
            key,
            key_quote,
            line_start: line_start(text, key_start),
            key_start,
            key_end,
            colon_end,
            value,
        });
    }
    Ok(entries)
}

/// Skips the events of a nested list or map whose start was just read;
/// returns the offset of its end event.
fn skip_collection(events: &mut impl Iterator<Item = (Event, usize)>) -> usize {
    let mut depth = 1;
    for (event, at) in events {
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
            Event::SequenceEnd | Event::MappingEnd => {
                depth -= 1;
                if depth == 0 {
                    return at;
                }
            }
            _ => {}
        }
    }
    0
}

/// The items of a block list between `colon_end` and `bound`: the `-` lines
/// at the first item's indent, matched in order with the parsed items.
fn block_list(
    text: &str,
    key: &str,
    colon_end: usize,
    bound: usize,
    parsed: Vec<ParsedItem>,
) -> Result<Value, EditError> {
    let mut dashes: Vec<(usize, usize)> = Vec::new();
    let mut indent: Option<usize> = None;
    let mut at = line_end(text, colon_end, true);
    while at < bound {
        let line = &text[at..line_end(text, at, false)];
        let content = line.trim_start_matches([' ', '\t']);
        let width = line.len() - content.len();
        let is_item = content.starts_with('-')
            && content[1..]
                .chars()
                .next()
                .is_none_or(|c| matches!(c, ' ' | '\t' | '\r'));
        if is_item && indent.is_none_or(|i| i == width) {
            indent = Some(width);
            dashes.push((at, at + width));
        }
        at = line_end(text, at, true);
    }
    if dashes.len() != parsed.len() {
        return Err(EditError::Unlocatable(key.to_owned()));
    }
    let end = block_end(text, colon_end, bound);
    let mut items = Vec::with_capacity(parsed.len());
    for (i, (item, (line, dash))) in parsed.into_iter().zip(&dashes).enumerate() {
        let item_bound = dashes.get(i + 1).map_or(end, |next| next.0);
        let after = dash + 1;
        let rest = &text[after..line_end(text, after, false)];
        let start = after + rest.len() - rest.trim_start_matches([' ', '\t']).len();
        let item_end = match (&item.text, item.style) {
            (Some(t), Some(TScalarStyle::Plain)) if t.is_empty() => start.min(item_bound),
            (
                _,
                Some(
                    style @ (TScalarStyle::Plain
                    | TScalarStyle::SingleQuoted
                    | TScalarStyle::DoubleQuoted),
                ),
            ) => scalar_end(text, start, style, item_bound, Context::Block),
            _ => block_end(text, start, item_bound),
        };
        items.push(Item {
            text: item.text,
            start,
            end: item_end,
            line_start: *line,
            dash: *dash,
        });
    }
    Ok(Value::BlockList { items, end })
}

/// Where a scalar starting at `start` ends, reading no further than `bound`.
fn scalar_end(
    text: &str,
    start: usize,
    style: TScalarStyle,
    bound: usize,
    context: Context,
) -> usize {
    match quote_of(style) {
        Some(quote) => quoted_end(text, start, quote),
        None => {
            // A plain scalar ends at a comment (` #`), and in a flow list
            // at `,` or `]`; trailing blanks are not part of it.
            let bytes = text.as_bytes();
            let mut end = bound.min(text.len());
            for i in start..end {
                let b = bytes[i];
                let comment = b == b'#' && i > start && bytes[i - 1].is_ascii_whitespace();
                let separator = context == Context::Flow && matches!(b, b',' | b']' | b'}');
                if comment || separator {
                    end = i;
                    break;
                }
            }
            start + text[start..end].trim_end().len()
        }
    }
}

/// The offset just after the closing quote of a quoted scalar at `start`.
fn quoted_end(text: &str, start: usize, quote: char) -> usize {
    let mut chars = text[start + 1..].char_indices();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && text[start + 1 + i + 1..].starts_with('\'') {
                chars.next();
                continue;
            }
            return start + 1 + i + 1;
        }
    }
    text.len()
}

/// The end of a plain key: the colon followed by a blank or the line's end.
fn plain_key_end(text: &str, start: usize, bound: usize) -> usize {
    let line = &text[start..line_end(text, start, false).min(bound.max(start))];
    line.char_indices()
        .find(|&(i, c)| {
            c == ':'
                && line[i + 1..]
                    .chars()
                    .next()
                    .is_none_or(|n| matches!(n, ' ' | '\t' | '\r'))
        })
        .map_or(start + line.len(), |(i, _)| {
            start + line[..i].trim_end().len()
        })
}

/// The end of a multi-line value from `start`: `bound`, less the blank lines
/// and top-level comments before it, and the line break of the last line.
fn block_end(text: &str, start: usize, bound: usize) -> usize {
    let mut end = bound;
    while end > start {
        let previous = line_start(text, end.saturating_sub(1));
        let line = &text[previous.max(start)..end];
        let blank = line.trim().is_empty();
        let comment = previous >= start && line.starts_with('#');
        if !(blank || comment) || previous <= start {
            break;
        }
        end = previous;
    }
    let line = &text[line_start(text, end.saturating_sub(1)).max(start)..end];
    (end - line.len() + line.trim_end_matches(['\n', '\r']).len()).max(start)
}

fn quote_of(style: TScalarStyle) -> Option<char> {
    match style {
        TScalarStyle::SingleQuoted => Some('\''),
        TScalarStyle::DoubleQuoted => Some('"'),
        _ => None,
    }
}

/// The start of the line holding `offset`.
fn line_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind('\n').map_or(0, |i| i + 1)
}

/// The end of the line holding `offset`: after its line break when
/// `with_break`, else before it (and before a `\r`).
fn line_end(text: &str, offset: usize, with_break: bool) -> usize {
    match text[offset..].find('\n') {
        Some(i) if with_break => offset + i + 1,
        Some(i) => offset + i - usize::from(text[..offset + i].ends_with('\r')),
        None => text.len(),
    }
}

/// Byte offsets of the parser's character positions.
struct ByteOffsets {
    /// `None` for ASCII text, where they are the same.
    of_char: Option<Vec<usize>>,
    len: usize,
}

impl ByteOffsets {
    fn new(text: &str) -> Self {
        let of_char = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Self {
            of_char,
            len: text.len(),
        }
    }

    fn of(&self, char_index: usize) -> usize {
        match &self.of_char {
            None => char_index.min(self.len),
            Some(offsets) => offsets.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::refactor::plan::replace;

    fn edited(text: &str, change: &PropertyEdit) -> String {
        let replacements = edit(text, change).unwrap_or_else(|err| panic!("{err}: {text:?}"));
        replace(text, &replacements)
    }

    fn set(key: &str, value: &str) -> PropertyEdit {
        PropertyEdit::Set {
            key: key.into(),
            value: NewValue::Scalar(value.into()),
        }
    }

    fn set_list(key: &str, values: &[&str]) -> PropertyEdit {
        PropertyEdit::Set {
            key: key.into(),
            value: NewValue::List(values.iter().map(|v| (*v).to_owned()).collect()),
        }
    }

    fn unset(key: &str) -> PropertyEdit {
        PropertyEdit::Unset { key: key.into() }
    }

    fn rename(from: &str, to: &str) -> PropertyEdit {
        PropertyEdit::Rename {
            from: from.into(),
            to: to.into(),
        }
    }

    fn add(key: &str, value: &str) -> PropertyEdit {
        PropertyEdit::Add {
            key: key.into(),
            value: value.into(),
        }
    }

    fn remove(key: &str, value: &str) -> PropertyEdit {
        PropertyEdit::Remove {
            key: key.into(),
            value: value.into(),
        }
    }

    /// Front matter with comments, both list styles and every quoting.
    const NOTE: &str = "---\n# migrated from Notion\ntype: resource # kept\ncreated: 2026-01-10\nstatus: 'draft'\ntitle: \"A: B\"\ntags:\n  - career\n  - \"pm\"   # quoted\naliases: [One, 'Two, too']\nempty:\n---\n# Body\nstatus: not a property\n";

    #[test]
    fn set_replaces_only_the_value() {
        assert_eq!(
            edited(NOTE, &set("type", "course")),
            NOTE.replace("type: resource # kept", "type: course # kept")
        );
        assert_eq!(
            edited(NOTE, &set("status", "active")),
            NOTE.replace("status: 'draft'", "status: active")
        );
        assert_eq!(
            edited(NOTE, &set("title", "[[Git]]")),
            NOTE.replace("title: \"A: B\"", "title: \"[[Git]]\"")
        );
        assert_eq!(
            edited(NOTE, &set("empty", "2026-02-01")),
            NOTE.replace("empty:\n", "empty: 2026-02-01\n")
        );
    }

    #[test]
    fn set_of_what_the_note_says_already_changes_nothing() {
        assert_eq!(edit(NOTE, &set("status", "draft")), Ok(Vec::new()));
        assert_eq!(
            edit(NOTE, &set_list("tags", &["career", "pm"])),
            Ok(Vec::new())
        );
    }

    #[test]
    fn set_of_an_absent_key_appends_it() {
        assert_eq!(
            edited(NOTE, &set("migrated_at", "2026-01-12")),
            NOTE.replace("empty:\n---", "empty:\nmigrated_at: 2026-01-12\n---")
        );
        assert_eq!(
            edited(NOTE, &set_list("related", &["[[Git]]", "Agile"])),
            NOTE.replace(
                "empty:\n---",
                "empty:\nrelated:\n  - \"[[Git]]\"\n  - Agile\n---"
            )
        );
    }

    #[test]
    fn set_of_a_list_keeps_the_list_style() {
        assert_eq!(
            edited(NOTE, &set_list("tags", &["a", "b c"])),
            NOTE.replace(
                "tags:\n  - career\n  - \"pm\"   # quoted\n",
                "tags:\n  - a\n  - b c\n"
            )
        );
        assert_eq!(
            edited(NOTE, &set_list("aliases", &["x", "y, z"])),
            NOTE.replace("[One, 'Two, too']", "[x, \"y, z\"]")
        );
        assert_eq!(
            edited(NOTE, &set("tags", "solo")),
            NOTE.replace("tags:\n  - career\n  - \"pm\"   # quoted\n", "tags: solo\n")
        );
    }

    #[test]
    fn a_note_without_front_matter_gets_one() {
        assert_eq!(
            edited("# Title\n", &set("status", "draft")),
            "---\nstatus: draft\n---\n# Title\n"
        );
        assert_eq!(edited("", &add("tags", "pm")), "---\ntags:\n  - pm\n---\n");
        assert_eq!(edit("# Title\n", &unset("status")), Ok(Vec::new()));
    }

    #[test]
    fn unset_removes_the_key_and_its_lines() {
        assert_eq!(
            edited(NOTE, &unset("tags")),
            NOTE.replace("tags:\n  - career\n  - \"pm\"   # quoted\n", "")
        );
        assert_eq!(
            edited(NOTE, &unset("type")),
            NOTE.replace("type: resource # kept\n", "")
        );
        assert_eq!(edit(NOTE, &unset("absent")), Ok(Vec::new()));
        // The last property goes with its front matter.
        assert_eq!(edited("---\na: 1\n---\nBody\n", &unset("a")), "Body\n");
    }

    #[test]
    fn rename_changes_only_the_key() {
        assert_eq!(
            edited(NOTE, &rename("type", "kind")),
            NOTE.replace("type: resource", "kind: resource")
        );
        assert_eq!(
            edited(NOTE, &rename("tags", "topics")),
            NOTE.replace("tags:\n", "topics:\n")
        );
        assert_eq!(
            edited("---\n'a b': 1\n---\n", &rename("a b", "it's")),
            "---\n'it''s': 1\n---\n"
        );
        assert_eq!(
            edited("---\n\"a\": 1\n---\n", &rename("a", "b\"")),
            "---\n\"b\\\"\": 1\n---\n"
        );
        assert_eq!(
            edit(NOTE, &rename("type", "status")),
            Err(EditError::KeyExists("status".into()))
        );
        assert_eq!(edit(NOTE, &rename("absent", "x")), Ok(Vec::new()));
    }

    #[test]
    fn add_appends_an_absent_item_in_the_list_style() {
        assert_eq!(
            edited(NOTE, &add("tags", "#new")),
            NOTE.replace(
                "  - \"pm\"   # quoted\n",
                "  - \"pm\"   # quoted\n  - \"#new\"\n"
            )
        );
        assert_eq!(edit(NOTE, &add("tags", "pm")), Ok(Vec::new()));
        assert_eq!(
            edited(NOTE, &add("aliases", "Three")),
            NOTE.replace("'Two, too']", "'Two, too', Three]")
        );
        assert_eq!(
            edited(NOTE, &add("type", "course")),
            NOTE.replace(
                "type: resource # kept",
                "type:\n  - resource\n  - course # kept"
            )
        );
        assert_eq!(
            edited(NOTE, &add("empty", "x")),
            NOTE.replace("empty:\n", "empty:\n  - x\n")
        );
        assert_eq!(
            edited("---\nl: []\n---\n", &add("l", "a")),
            "---\nl: [a]\n---\n"
        );
        assert_eq!(
            edited("---\nl:\n- a\n---\n", &add("l", "b")),
            "---\nl:\n- a\n- b\n---\n"
        );
        assert_eq!(
            edit("---\nm:\n  k: v\n---\n", &add("m", "x")),
            Err(EditError::NotAList("m".into()))
        );
    }

    #[test]
    fn remove_takes_out_every_matching_item() {
        assert_eq!(
            edited(NOTE, &remove("tags", "career")),
            NOTE.replace("  - career\n", "")
        );
        assert_eq!(
            edited(NOTE, &remove("tags", "pm")),
            NOTE.replace("  - \"pm\"   # quoted\n", "")
        );
        assert_eq!(edit(NOTE, &remove("tags", "absent")), Ok(Vec::new()));
        assert_eq!(edit(NOTE, &remove("absent", "x")), Ok(Vec::new()));
        assert_eq!(
            edited(NOTE, &remove("aliases", "Two, too")),
            NOTE.replace("[One, 'Two, too']", "[One]")
        );
        assert_eq!(
            edited(NOTE, &remove("aliases", "One")),
            NOTE.replace("[One, 'Two, too']", "['Two, too']")
        );
        assert_eq!(
            edited("---\nl: [a, b, a, c, a]\n---\n", &remove("l", "a")),
            "---\nl: [b, c]\n---\n"
        );
        assert_eq!(
            edited("---\nl:\n  - a\n  - a\nn: 1\n---\n", &remove("l", "a")),
            "---\nl:\nn: 1\n---\n"
        );
        assert_eq!(
            edited(NOTE, &remove("type", "resource")),
            NOTE.replace("type: resource # kept", "type: # kept")
        );
    }

    #[test]
    fn crlf_and_non_ascii_text_are_kept() {
        let note = "---\r\ntitle: Café\r\ntags:\r\n  - é\r\n---\r\nBody\r\n";
        assert_eq!(
            edited(note, &add("tags", "ü")),
            "---\r\ntitle: Café\r\ntags:\r\n  - é\r\n  - ü\r\n---\r\nBody\r\n"
        );
        assert_eq!(
            edited(note, &set("status", "draft")),
            "---\r\ntitle: Café\r\ntags:\r\n  - é\r\nstatus: draft\r\n---\r\nBody\r\n"
        );
        assert_eq!(
            edited(note, &set("title", "Thé")),
            note.replace("Café", "Thé")
        );
        assert_eq!(
            edited("Body\r\n", &set("a", "1")),
            "---\r\na: 1\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn block_scalars_and_maps_are_replaced_whole() {
        let note = "---\ndesc: |\n  two\n  lines\n# about m\nm:\n  k: v\nz: 1\n---\n";
        assert_eq!(
            edited(note, &set("desc", "one")),
            "---\ndesc: one\n# about m\nm:\n  k: v\nz: 1\n---\n"
        );
        assert_eq!(
            edited(note, &unset("m")),
            "---\ndesc: |\n  two\n  lines\n# about m\nz: 1\n---\n"
        );
    }

    #[test]
    fn front_matter_that_cannot_be_edited_is_refused() {
        assert!(matches!(
            edit("---\na: [\n---\n", &set("a", "1")),
            Err(EditError::InvalidYaml { line: 3, .. })
        ));
        assert_eq!(
            edit("---\n- a\n---\n", &set("a", "1")),
            Err(EditError::NotAMapping)
        );
        assert_eq!(
            edit("---\na: 1\na: 2\n---\n", &set("a", "1")),
            Err(EditError::DuplicateKey("a".into()))
        );
        assert_eq!(edit("x", &set("", "1")), Err(EditError::EmptyKey));
    }

    /// A note's front matter from parts: plain and quoted values, comments,
    /// block and flow lists, CRLF, none at all (never an empty block: its
    /// last property removed, front matter goes).
    fn note() -> impl Strategy<Value = String> {
        let value = prop_oneof![
            "[a-z][a-z ]{0,8}[a-z]",
            "'[a-z:# ]{0,6}'",
            "\"[a-z\\[\\]]{0,6}\"",
            Just("2026-01-10".to_owned()),
            Just("[a, 'b, c']".to_owned()),
            Just("\n  - x\n  - \"y\" # c".to_owned()),
            Just("".to_owned()),
        ];
        let entry = ("[a-z]{1,6}", value, prop::bool::ANY).prop_map(|(key, value, comment)| {
            let space = if value.starts_with('\n') || value.is_empty() {
                ""
            } else {
                " "
            };
            let comment = if comment { "\n# note" } else { "" };
            format!("{key}:{space}{value}{comment}\n")
        });
        (
            prop::collection::vec(entry, 0..5),
            prop::bool::ANY,
            "[a-z #\n]{0,20}",
        )
            .prop_map(|(entries, crlf, body)| {
                let mut seen = std::collections::HashSet::new();
                let unique: String = entries
                    .into_iter()
                    .filter(|e| seen.insert(e.split(':').next().unwrap_or_default().to_owned()))
                    .collect();
                let text = if unique.is_empty() {
                    body
                } else {
                    format!("---\n{unique}---\n{body}")
                };
                if crlf {
                    text.replace('\n', "\r\n")
                } else {
                    text
                }
            })
    }

    proptest! {
        #[test]
        fn set_of_an_absent_key_then_unset_gives_back_the_note(
            text in note(),
            value in "[ -~]{0,12}",
        ) {
            let added = edited(&text, &set("zz_new", &value));
            prop_assert_ne!(&added, &text);
            prop_assert_eq!(edited(&added, &unset("zz_new")), text);
        }

        #[test]
        fn rename_then_rename_back_gives_back_the_note(text in note(), to in "[A-Z][a-z_]{0,8}") {
            let Some(from) = parse_keys(&text).into_iter().next() else {
                return Ok(());
            };
            let renamed = edited(&text, &rename(&from, &to));
            prop_assert_eq!(edited(&renamed, &rename(&to, &from)), text);
        }

        #[test]
        fn add_of_an_absent_item_then_remove_gives_back_a_list(text in note(), item in "[A-Z][a-z]{0,5}") {
            let Some(key) = parse_keys(&text).into_iter().next() else {
                return Ok(());
            };
            let Ok(replacements) = edit(&text, &add(&key, &item)) else {
                return Ok(());
            };
            let added = replace(&text, &replacements);
            let parsed = crate::parse::parse_note("n.md", &added).note;
            let value = parsed.property(&key).cloned().unwrap_or_default();
            prop_assert!(value.as_array().is_some_and(|items| items.iter().any(|i| i == &item)), "{added:?}");
            let removed = edited(&added, &remove(&key, &item));
            let parsed = crate::parse::parse_note("n.md", &removed).note;
            let value = parsed.property(&key).cloned().unwrap_or_default();
            prop_assert!(!value.as_array().is_some_and(|items| items.iter().any(|i| i == &item)), "{removed:?}");
        }
    }

    fn parse_keys(text: &str) -> Vec<String> {
        crate::parse::parse_note("n.md", text)
            .note
            .properties
            .into_iter()
            .map(|p| p.key.to_string())
            .collect()
    }
}
