//! Evaluating an expression for one row (one file) of a base.
//!
//! [`Context`] holds what every row shares: the vault, `this`, the current
//! time and the files' sizes and times, all given from outside. An
//! [`Evaluator`] works on one row and keeps that row's formula values.

use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

use super::expr::{BinaryOp, Expr, Node, NodeKind, UnaryOp};
use super::file::Formula;
use super::functions;
use super::functions::date::parse_date;
use super::ops;
use super::value::{Date, Link, Value};
use crate::model::{LinkKind, tag_names};
use crate::parse::wikilink;
use crate::vault::notes::Front;
use crate::vault::{FileId, NoteId, Vault};

/// A file's size and times, read by the caller (evaluation reads no disk).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// Size in bytes.
    pub size: u64,
    /// When it was created, where the file system knows.
    pub created: Option<Timestamp>,
    /// When it was last modified.
    pub modified: Option<Timestamp>,
}

/// What every row of an evaluation shares.
pub struct Context<'v> {
    pub(crate) vault: &'v Vault,
    /// The base file, or the note that embeds the base block.
    pub(crate) this: Option<FileId>,
    /// "Now", in local time.
    pub(crate) now: DateTime,
    pub(crate) time_zone: TimeZone,
    /// Sizes and times by file (notes, then attachments); empty when not read.
    stats: Vec<Option<FileStat>>,
    /// Where `random()` starts.
    seed: u64,
}

impl<'v> Context<'v> {
    /// A context over `vault` at the current time in the system's time zone,
    /// with no `this` and no file sizes or times.
    pub fn new(vault: &'v Vault) -> Self {
        let now = ZonedDateTime::now();
        Self {
            vault,
            this: None,
            now: now.datetime(),
            time_zone: now.time_zone().clone(),
            stats: Vec::new(),
            seed: now.timestamp().as_nanosecond().unsigned_abs() as u64,
        }
    }

    /// Evaluates as if it were `now` in `time_zone` (and seeds `random()` from it).
    #[must_use]
    pub fn at(mut self, now: DateTime, time_zone: TimeZone) -> Self {
        self.now = now;
        self.time_zone = time_zone;
        self.seed = now.date().day_of_year().unsigned_abs().into();
        self
    }

    /// Sets what `this` is: the base file or the note embedding the block.
    #[must_use]
    pub fn with_this(mut self, this: Option<FileId>) -> Self {
        self.this = this;
        self
    }

    /// Gives the files' sizes and times, by file: notes in path order, then attachments.
    #[must_use]
    pub fn with_stats(mut self, stats: Vec<Option<FileStat>>) -> Self {
        self.stats = stats;
        self
    }

    /// Every file of the vault: notes, then attachments.
    pub fn files(&self) -> impl Iterator<Item = FileId> + '_ {
        self.vault.file_ids()
    }

    fn stat(&self, file: FileId) -> Option<FileStat> {
        let index = match file {
            FileId::Note(id) => id.index(),
            FileId::Attachment(i) => self.vault.note_count() + i as usize,
        };
        self.stats.get(index).copied().flatten()
    }

    /// A local date from a timestamp.
    fn local(&self, at: Timestamp) -> Value {
        Value::Date(Date {
            at: at.to_zoned_datetime(self.time_zone.clone()).datetime(),
            has_time: true,
        })
    }
}

/// A failure while evaluating one value (a type mismatch, a bad date): the
/// cell shows nothing and a filter does not keep the row.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EvalError(pub String);

/// The result of evaluating.
pub type Evaluated = Result<Value, EvalError>;

/// Names bound while evaluating: `value`, `index` and `acc` inside
/// `filter`, `map` and `reduce`; `values` in a summary.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    binding: Option<(&'a str, &'a Value, &'a Scope<'a>)>,
}

impl<'a> Scope<'a> {
    /// No names bound.
    pub const EMPTY: Scope<'static> = Scope { binding: None };

    /// This scope with `name` bound to `value`.
    pub fn with(&'a self, name: &'a str, value: &'a Value) -> Scope<'a> {
        Scope {
            binding: Some((name, value, self)),
        }
    }

    fn get(&self, wanted: &str) -> Option<&'a Value> {
        let mut scope = self;
        while let Some((name, value, parent)) = scope.binding {
            if name == wanted {
                return Some(value);
            }
            scope = parent;
        }
        None
    }
}

/// Evaluates expressions for one row.
pub struct Evaluator<'c, 'v> {
    pub(crate) context: &'c Context<'v>,
    formulas: &'c [Formula],
    /// The row's file; `None` in a summary or a query with no row.
    pub(crate) row: Option<FileId>,
    /// Formula values of this row, computed when first asked for.
    cache: RefCell<BTreeMap<usize, Value>>,
    /// The properties and tags of this row's note, read when first asked for.
    front: OnceCell<Front<'v>>,
    pub(crate) random: RefCell<fastrand::Rng>,
}

impl<'c, 'v> Evaluator<'c, 'v> {
    /// An evaluator for the row of `file`, with the base's formulas.
    pub fn new(context: &'c Context<'v>, formulas: &'c [Formula], row: Option<FileId>) -> Self {
        let salt = match row {
            Some(FileId::Note(id)) => u64::from(id.0),
            Some(FileId::Attachment(i)) => u64::from(i) | 1 << 40,
            None => 1 << 41,
        };
        Self {
            context,
            formulas,
            row,
            cache: RefCell::new(BTreeMap::new()),
            front: OnceCell::new(),
            random: RefCell::new(fastrand::Rng::with_seed(context.seed ^ salt)),
        }
    }

    /// The vault.
    pub fn vault(&self) -> &'v Vault {
        self.context.vault
    }

    /// Evaluates an expression.
    pub fn eval(&self, expr: &Expr, scope: &Scope<'_>) -> Evaluated {
        self.node(&expr.root, scope)
    }

    /// Evaluates a node.
    pub fn node(&self, node: &Node, scope: &Scope<'_>) -> Evaluated {
        Ok(match &node.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(n) => Value::Number(*n),
            NodeKind::String(s) => Value::String(s.clone()),
            NodeKind::Regex(pattern) => Value::Regex(Box::new(pattern.clone())),
            NodeKind::Value(value) => value.clone(),
            NodeKind::List(items) => Value::List(self.all(items, scope)?),
            NodeKind::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), self.node(v, scope)?)))
                    .collect::<Result<_, EvalError>>()?,
            ),
            NodeKind::Ident(name) => self.name(name, scope),
            NodeKind::Member(object, name) => match root_of(object, scope) {
                Some("note") => self.note_property(self.row, name),
                Some("formula") => self.formula(name)?,
                _ => self.member(self.node(object, scope)?, name),
            },
            NodeKind::Index(object, index) => {
                let index = self.node(index, scope)?;
                match (root_of(object, scope), &index) {
                    (Some("note"), Value::String(name)) => self.note_property(self.row, name),
                    (Some("formula"), Value::String(name)) => self.formula(name)?,
                    _ => self.index(self.node(object, scope)?, &index),
                }
            }
            NodeKind::Call(name, args) => functions::call_global(self, scope, name, args)?,
            NodeKind::Method(receiver, name, _, args) => {
                let receiver = self.node(receiver, scope)?;
                functions::call_method(self, scope, receiver, name, args)?
            }
            NodeKind::Unary(UnaryOp::Not, operand) => {
                Value::Bool(!self.node(operand, scope)?.is_truthy())
            }
            NodeKind::Unary(UnaryOp::Negate, operand) => ops::negate(self.node(operand, scope)?)?,
            NodeKind::Binary(BinaryOp::And, a, b) => {
                Value::Bool(self.node(a, scope)?.is_truthy() && self.node(b, scope)?.is_truthy())
            }
            NodeKind::Binary(BinaryOp::Or, a, b) => {
                Value::Bool(self.node(a, scope)?.is_truthy() || self.node(b, scope)?.is_truthy())
            }
            NodeKind::Binary(op, a, b) => {
                ops::binary(self, *op, self.node(a, scope)?, self.node(b, scope)?)?
            }
        })
    }

    /// Evaluates every node.
    pub fn all(&self, nodes: &[Node], scope: &Scope<'_>) -> Result<Vec<Value>, EvalError> {
        nodes.iter().map(|n| self.node(n, scope)).collect()
    }

    /// A bare name: a bound name, a root object, or a note property.
    fn name(&self, name: &str, scope: &Scope<'_>) -> Value {
        if let Some(value) = scope.get(name) {
            return value.clone();
        }
        match name {
            "file" => self.row.map_or(Value::Null, Value::File),
            "this" => self.context.this.map_or(Value::Null, Value::File),
            "note" => self.properties(self.row),
            _ => self.note_property(self.row, name),
        }
    }

    /// The value of formula `name` for this row.
    fn formula(&self, name: &str) -> Evaluated {
        let Some(index) = self.formulas.iter().position(|f| f.name == name) else {
            return Err(EvalError(format!("there is no formula `{name}`")));
        };
        if let Some(value) = self.cache.borrow().get(&index) {
            return Ok(value.clone());
        }
        let value = self.eval(&self.formulas[index].expr, &Scope::EMPTY)?;
        self.cache.borrow_mut().insert(index, value.clone());
        Ok(value)
    }

    /// `value.name`.
    pub fn member(&self, value: Value, name: &str) -> Value {
        match value {
            Value::File(file) => self.file_field(file, name),
            Value::Date(date) => functions::date::field(&date, name),
            Value::String(s) if name == "length" => Value::Number(s.chars().count() as f64),
            Value::List(items) if name == "length" => Value::Number(items.len() as f64),
            Value::Object(mut entries) => entries.remove(name).unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }

    /// `value[index]`: a list item (negative counts from the end) or an object key.
    fn index(&self, value: Value, index: &Value) -> Value {
        match (value, index) {
            (Value::List(mut items), Value::Number(n)) if n.fract() == 0.0 => {
                let len = items.len() as f64;
                let at = if *n < 0.0 { len + n } else { *n };
                if (0.0..len).contains(&at) {
                    items.swap_remove(at as usize)
                } else {
                    Value::Null
                }
            }
            (value, Value::String(name)) => self.member(value, name),
            _ => Value::Null,
        }
    }

    /// A file property; other names read the file's note property (so that
    /// `this.status` reads the embedding note's `status`).
    fn file_field(&self, file: FileId, name: &str) -> Value {
        let vault = self.vault();
        let path = vault.file_path(file);
        let file_name = path.rsplit('/').next().unwrap_or(path);
        let (stem, ext) = match file_name.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() => (stem, ext),
            _ => (file_name, ""),
        };
        match name {
            "file" => Value::File(file),
            "name" => Value::String(file_name.to_owned()),
            "basename" => Value::String(stem.to_owned()),
            "path" => Value::String(path.to_owned()),
            "folder" => Value::String(
                path.rsplit_once('/')
                    .map_or("/", |(folder, _)| folder)
                    .to_owned(),
            ),
            "ext" => Value::String(ext.to_owned()),
            "size" => self
                .context
                .stat(file)
                .map_or(Value::Null, |s| Value::Number(s.size as f64)),
            "ctime" => (self.context.stat(file).and_then(|s| s.created))
                .map_or(Value::Null, |t| self.context.local(t)),
            "mtime" => (self.context.stat(file).and_then(|s| s.modified))
                .map_or(Value::Null, |t| self.context.local(t)),
            "properties" | "note" => self.properties(Some(file)),
            "tags" => match file {
                FileId::Note(id) => self.with_front(id, |front| {
                    Value::List(
                        tag_names(&front.tags)
                            .into_iter()
                            .map(|t| Value::String(["#", t].concat()))
                            .collect(),
                    )
                }),
                FileId::Attachment(_) => Value::List(Vec::new()),
            },
            "links" => self.links(file, |kind| kind != LinkKind::Embed),
            "embeds" => self.links(file, |kind| kind == LinkKind::Embed),
            "backlinks" => {
                let mut sources: Vec<NoteId> = (vault.backlinks(file).into_iter())
                    .map(|(source, _)| source)
                    .collect();
                sources.dedup();
                Value::List(
                    sources
                        .into_iter()
                        .map(|source| Value::link(link_to(vault, FileId::Note(source))))
                        .collect(),
                )
            }
            _ => self.note_property(Some(file), name),
        }
    }

    /// The links of a note whose kind `keep` accepts, as link values.
    fn links(&self, file: FileId, keep: impl Fn(LinkKind) -> bool) -> Value {
        let FileId::Note(id) = file else {
            return Value::List(Vec::new());
        };
        let vault = self.vault();
        let title = &vault.note(id).title;
        Value::List(
            vault
                .links_of(id)
                .filter(|(link, _)| keep(link.kind))
                .map(|(link, resolution)| {
                    Value::link(Link {
                        target: if link.is_self() {
                            title.clone()
                        } else {
                            link.target.to_string()
                        },
                        display: link.display.as_ref().map(ToString::to_string),
                        file: resolution.target,
                    })
                })
                .collect(),
        )
    }

    /// All front-matter properties of a file, as an object.
    fn properties(&self, file: Option<FileId>) -> Value {
        let Some(FileId::Note(id)) = file else {
            return Value::Object(BTreeMap::new());
        };
        let path = self.vault().file_path(FileId::Note(id));
        self.with_front(id, |front| {
            Value::Object(
                (front.properties.iter())
                    .map(|p| (p.key.to_string(), self.property_value(&p.value, path)))
                    .collect(),
            )
        })
    }

    /// A front-matter property of a file (exact key, else any case).
    pub fn note_property(&self, file: Option<FileId>, key: &str) -> Value {
        let Some(FileId::Note(id)) = file else {
            return Value::Null;
        };
        let path = self.vault().file_path(FileId::Note(id));
        self.with_front(id, |front| {
            let properties = &front.properties;
            let property = (properties.iter().find(|p| p.key == key))
                .or_else(|| properties.iter().find(|p| p.key.eq_ignore_ascii_case(key)));
            property.map_or(Value::Null, |p| self.property_value(&p.value, path))
        })
    }

    /// Reads the properties and tags of a note: the row's are kept for the
    /// row's other reads, another note's are read each time.
    pub fn with_front<T>(&self, id: NoteId, read: impl FnOnce(&Front<'v>) -> T) -> T {
        if self.row == Some(FileId::Note(id)) {
            read(self.front.get_or_init(|| self.vault().front(id)))
        } else {
            read(&self.vault().front(id))
        }
    }

    /// A front-matter value: `"[[links]]"` become links resolved from the
    /// note at `source`, ISO dates become dates.
    pub fn property_value(&self, value: &serde_json::Value, source: &str) -> Value {
        use serde_json::Value as Json;
        match value {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            Json::String(text) => self.text_value(text, source),
            Json::Array(items) => Value::List(
                items
                    .iter()
                    .map(|v| self.property_value(v, source))
                    .collect(),
            ),
            Json::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), self.property_value(v, source)))
                    .collect(),
            ),
        }
    }

    fn text_value(&self, text: &str, source: &str) -> Value {
        // Most values are plain text: no `[` means no wikilink to look for.
        if text.contains('[')
            && let Some(link) = self.wikilink(text.trim(), source)
        {
            return Value::link(link);
        }
        if looks_like_date(text)
            && let Some(date) = parse_date(text)
        {
            return Value::Date(date);
        }
        Value::String(text.to_owned())
    }

    /// `[[target#heading|display]]` as a link resolved from `source`.
    pub fn wikilink(&self, text: &str, source: &str) -> Option<Link> {
        let (embed, inner) = wikilink::whole(text)?;
        let parsed = wikilink::link(
            inner,
            embed,
            text,
            crate::model::LinkOrigin::Body,
            crate::model::Span::default(),
        );
        let file = if parsed.is_self() {
            self.vault().note_by_path(source).map(FileId::Note)
        } else {
            self.vault().resolve(&parsed.target, source)
        };
        Some(Link {
            target: parsed.target.to_string(),
            display: parsed.display.map(|d| d.to_string()),
            file,
        })
    }

    /// The path links in expressions resolve from: the base's own file.
    pub fn source_path(&self) -> &'v str {
        self.context
            .this
            .map_or("", |file| self.context.vault.file_path(file))
    }
}

/// The root name a member access starts from, unless a bound name hides it.
fn root_of<'n>(node: &'n Node, scope: &Scope<'_>) -> Option<&'n str> {
    match &node.kind {
        NodeKind::Ident(name) if scope.get(name).is_none() => Some(name),
        _ => None,
    }
}

/// A link to a file of the vault, written the way a user would write it.
pub fn link_to(vault: &Vault, file: FileId) -> Link {
    let path = vault.file_path(file);
    Link {
        target: path.strip_suffix(".md").unwrap_or(path).to_owned(),
        display: None,
        file: Some(file),
    }
}

/// Whether text starts like `YYYY-MM-DD` (cheap, before parsing it as a date).
fn looks_like_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[7] == b'-'
}
