//! The values expressions compute: JavaScript-like primitives, dates and
//! durations, lists and objects, links, files, regular expressions, and the
//! HTML, image and icon values views render.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use jiff::civil::DateTime;
use jiff::{Span, SpanTotal, Unit};

use crate::vault::{FileId, Vault};

/// A value.
#[derive(Debug, Clone)]
pub enum Value {
    /// No value: a missing property, `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (a double, as in JavaScript).
    Number(f64),
    /// Text.
    String(String),
    /// A date, with or without a time of day (local time).
    Date(Date),
    /// A duration, in calendar units (`1M` is a month, not 30 days).
    Duration(Box<Span>),
    /// A list.
    List(Vec<Value>),
    /// Key-value pairs.
    Object(BTreeMap<String, Value>),
    /// A link, resolved like every link of the vault.
    Link(Box<Link>),
    /// A file of the vault.
    File(FileId),
    /// A regular expression.
    Regex(Box<Pattern>),
    /// Something a view renders rather than shows as text.
    Markup(Markup, String),
}

/// Structural equality (for tests and deduplication); `==` in expressions
/// is [`equals`].
impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Null, Self::Null) => true,
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Number(a), Self::Number(b)) => a == b,
            (Self::String(a), Self::String(b)) => a == b,
            (Self::Date(a), Self::Date(b)) => a == b,
            (Self::Duration(a), Self::Duration(b)) => a.fieldwise() == b.fieldwise(),
            (Self::List(a), Self::List(b)) => a == b,
            (Self::Object(a), Self::Object(b)) => a == b,
            (Self::Link(a), Self::Link(b)) => a == b,
            (Self::File(a), Self::File(b)) => a == b,
            (Self::Regex(a), Self::Regex(b)) => a == b,
            (Self::Markup(k, a), Self::Markup(l, b)) => k == l && a == b,
            _ => false,
        }
    }
}

/// A date and whether its time of day means anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// The local date and time (midnight for a date alone).
    pub at: DateTime,
    /// Whether it was given a time of day.
    pub has_time: bool,
}

/// A link value.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// The target as written (`Folder/Note`, `https://…`).
    pub target: String,
    /// Display text, when given.
    pub display: Option<String>,
    /// The file it resolves to, if any.
    pub file: Option<FileId>,
}

/// A regular expression: the compiled pattern, its source and whether `g` was set.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The compiled pattern.
    pub regex: regex::Regex,
    /// The pattern as written, with its flags: `/a+/gi`.
    pub source: String,
    /// The `g` flag: replace every match.
    pub global: bool,
}

impl Pattern {
    /// Compiles `/pattern/flags`: `i`, `m` and `s` as in JavaScript, `g` to
    /// replace every match; `u` and `y` change nothing here.
    pub fn new(pattern: &str, flags: &str) -> Result<Self, String> {
        let mut builder = regex::RegexBuilder::new(pattern);
        for flag in flags.chars() {
            match flag {
                'i' => builder.case_insensitive(true),
                'm' => builder.multi_line(true),
                's' => builder.dot_matches_new_line(true),
                'g' | 'u' | 'y' => &mut builder,
                other => return Err(format!("unknown regular expression flag `{other}`")),
            };
        }
        let regex = builder
            .size_limit(1 << 20)
            .build()
            .map_err(|err| format!("invalid regular expression: {err}"))?;
        Ok(Self {
            regex,
            source: format!("/{pattern}/{flags}"),
            global: flags.contains('g'),
        })
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

/// What a [`Value::Markup`] renders as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Markup {
    /// `html(…)`: HTML.
    Html,
    /// `image(…)`: an image, by path or URL.
    Image,
    /// `icon(…)`: a Lucide icon, by name.
    Icon,
}

impl Value {
    /// A duration value.
    pub fn duration(span: Span) -> Self {
        Self::Duration(Box::new(span))
    }

    /// A link value.
    pub fn link(link: Link) -> Self {
        Self::Link(Box::new(link))
    }

    /// The type name `isType` takes and messages use.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Bool(_) => "boolean",
            Self::Number(_) => "number",
            Self::String(_) => "string",
            Self::Date(_) => "date",
            Self::Duration(_) => "duration",
            Self::List(_) => "list",
            Self::Object(_) => "object",
            Self::Link(_) => "link",
            Self::File(_) => "file",
            Self::Regex(_) => "regexp",
            Self::Markup(Markup::Html, _) => "html",
            Self::Markup(Markup::Image, _) => "image",
            Self::Markup(Markup::Icon, _) => "icon",
        }
    }

    /// Whether a filter keeps a row for this value: as JavaScript, except
    /// that an empty list or object is false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Self::Null => false,
            Self::Bool(b) => *b,
            Self::Number(n) => *n != 0.0 && !n.is_nan(),
            Self::String(s) => !s.is_empty(),
            Self::List(items) => !items.is_empty(),
            Self::Object(entries) => !entries.is_empty(),
            _ => true,
        }
    }

    /// Whether a summary counts this value as empty: no value, `""`, `[]` or `{}`.
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Null => true,
            Self::String(s) => s.is_empty(),
            Self::List(items) => items.is_empty(),
            Self::Object(entries) => entries.is_empty(),
            _ => false,
        }
    }

    /// The value as text (`toString()`, string concatenation, tables).
    pub fn text(&self, vault: &Vault) -> String {
        match self {
            Self::Null => String::new(),
            Self::Bool(b) => b.to_string(),
            Self::Number(n) => number_text(*n),
            Self::String(s) | Self::Markup(_, s) => s.clone(),
            Self::Date(date) => date.text(),
            Self::Duration(span) => format!("{span:#}"),
            Self::List(items) => items
                .iter()
                .map(|v| v.text(vault))
                .collect::<Vec<_>>()
                .join(", "),
            Self::Object(_) => self.to_json(vault).to_string(),
            Self::Link(link) => link.display.clone().unwrap_or_else(|| link.target.clone()),
            Self::File(file) => vault.file_path(*file).to_owned(),
            Self::Regex(pattern) => pattern.source.clone(),
        }
    }

    /// The value as JSON: dates in ISO 8601, links as `[[wikilinks]]`, files
    /// as their vault paths.
    pub fn to_json(&self, vault: &Vault) -> serde_json::Value {
        use serde_json::Value as Json;
        match self {
            Self::Null => Json::Null,
            Self::Bool(b) => Json::Bool(*b),
            Self::Number(n) => number_json(*n),
            Self::List(items) => Json::Array(items.iter().map(|v| v.to_json(vault)).collect()),
            Self::Object(entries) => Json::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json(vault)))
                    .collect(),
            ),
            Self::Link(_) | Self::File(_) => Json::String(self.markdown(vault)),
            other => Json::String(other.text(vault)),
        }
    }

    /// The value as Markdown: links and files as wikilinks, images embedded.
    pub fn markdown(&self, vault: &Vault) -> String {
        match self {
            Self::Link(link) => link.markdown(),
            Self::File(file) => file_wikilink(vault, *file, None),
            Self::List(items) => items
                .iter()
                .map(|v| v.markdown(vault))
                .collect::<Vec<_>>()
                .join(", "),
            Self::Markup(Markup::Image, target) if is_url(target) => format!("![]({target})"),
            Self::Markup(Markup::Image, target) => format!("![[{target}]]"),
            other => other.text(vault),
        }
    }
}

/// A wikilink to `file`: by name when no other file shares it, else by path.
pub fn file_wikilink(vault: &Vault, file: FileId, display: Option<&str>) -> String {
    let path = vault.file_path(file);
    let target = if vault.shares_file_name(path) {
        path.strip_suffix(".md").unwrap_or(path)
    } else {
        crate::parse::title_of(path)
    };
    match display {
        Some(display) => format!("[[{target}|{display}]]"),
        None => format!("[[{target}]]"),
    }
}

fn is_url(text: &str) -> bool {
    text.contains("://")
}

impl Link {
    /// The link as a wikilink (a URL as a Markdown link).
    pub fn markdown(&self) -> String {
        match (&self.display, is_url(&self.target)) {
            (Some(display), true) => format!("[{display}]({})", self.target),
            (None, true) => self.target.clone(),
            (Some(display), false) => format!("[[{}|{display}]]", self.target),
            (None, false) => format!("[[{}]]", self.target),
        }
    }
}

impl Date {
    /// `2025-01-31`, or `2025-01-31T10:00:00` with a time.
    pub fn text(&self) -> String {
        if self.has_time {
            self.at.to_string()
        } else {
            self.at.date().to_string()
        }
    }
}

/// A number as JavaScript prints it: no `.0` on whole numbers.
pub fn number_text(n: f64) -> String {
    if n.is_nan() {
        "NaN".to_owned()
    } else if n.is_infinite() {
        if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

fn number_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        serde_json::Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// A duration in milliseconds, days counted as 24 hours and months and
/// years from the Unix epoch (for comparing and multiplying durations).
pub fn duration_millis(span: &Span) -> f64 {
    let relative = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);
    span.total(SpanTotal::from((Unit::Millisecond, relative)))
        .or_else(|_| span.total(SpanTotal::from(Unit::Millisecond).days_are_24_hours()))
        .unwrap_or(f64::NAN)
}

/// `==` between two values: links equal the file they resolve to, and links
/// to no file equal links with the same text.
pub fn equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Link(x), Value::Link(y)) => match (x.file, y.file) {
            (Some(f), Some(g)) => f == g,
            _ => x.target == y.target,
        },
        (Value::Link(link), Value::File(file)) | (Value::File(file), Value::Link(link)) => {
            link.file == Some(*file)
        }
        (Value::Date(x), Value::Date(y)) => x.at == y.at,
        (Value::Duration(x), Value::Duration(y)) => duration_millis(x) == duration_millis(y),
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| equals(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k, a), (l, b))| k == l && equals(a, b))
        }
        _ => a == b,
    }
}

/// `<` and friends: numbers, text, dates, durations and booleans against
/// their own kind; anything else does not compare.
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
        (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.at.cmp(&y.at)),
        (Value::Duration(x), Value::Duration(y)) => {
            duration_millis(x).partial_cmp(&duration_millis(y))
        }
        (Value::Bool(x), Value::Bool(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// The order rows sort in: empty values last, then by kind (numbers, dates,
/// text without regard to case, the rest as text).
pub fn sort_order(a: &Value, b: &Value, vault: &Vault) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    if let Some(order) = compare(a, b) {
        return order;
    }
    let (x, y) = (a.text(vault), b.text(vault));
    x.to_lowercase().cmp(&y.to_lowercase()).then(x.cmp(&y))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_as_in_javascript() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(-0.1), "-0.1");
        assert_eq!(number_text(f64::NAN), "NaN");
    }

    #[test]
    fn a_value_is_small_enough_to_move_around_cheaply() {
        // Rows hold one value per column; the large kinds are boxed.
        assert!(std::mem::size_of::<Value>() <= 32);
    }

    #[test]
    fn links_equal_their_file_and_text() {
        let file = FileId::Attachment(0);
        let resolved = Value::link(Link {
            target: "a".into(),
            display: None,
            file: Some(file),
        });
        let other_text = Value::link(Link {
            target: "A.md".into(),
            display: Some("x".into()),
            file: Some(file),
        });
        assert!(equals(&resolved, &other_text));
        assert!(equals(&resolved, &Value::File(file)));
        let dangling = |t: &str| {
            Value::link(Link {
                target: t.into(),
                display: None,
                file: None,
            })
        };
        assert!(equals(&dangling("x"), &dangling("x")));
        assert!(!equals(&dangling("x"), &dangling("y")));
    }

    #[test]
    fn empty_values_sort_last() {
        let vault = Vault::from_sources(Vec::<(String, String)>::new(), Vec::<String>::new());
        let mut values = [
            Value::Null,
            Value::Number(2.0),
            Value::String(String::new()),
            Value::Number(1.0),
        ];
        values.sort_by(|a, b| sort_order(a, b, &vault));
        assert_eq!(values[..2], [Value::Number(1.0), Value::Number(2.0)]);
    }
}
