//! The syntax tree of an expression, and property ids (`note.status`,
//! `file.name`, `formula.age`).

use super::locate::Origin;
use super::value::{Pattern, Value};
use super::{BaseError, Position};

/// A parsed expression, with where its text came from (for errors found
/// while checking it against the base).
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// The root node.
    pub(crate) root: Node,
    /// The expression as written.
    pub(crate) text: String,
    /// Where each of its characters sits in the base.
    pub(crate) origin: Origin,
}

impl Expr {
    /// The expression as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The base position of the character offset `at` of the expression.
    pub(crate) fn position(&self, at: usize) -> Position {
        self.origin.position(at)
    }

    /// An error at the node `node` of this expression.
    pub(crate) fn error(&self, node: &Node, message: impl Into<String>) -> BaseError {
        BaseError::new(self.position(node.start), message)
    }

    /// The expression reading property `id` (no text of its own).
    pub(crate) fn of_property(id: &PropertyId) -> Self {
        let root = match id {
            PropertyId::Note(name) => member(NodeKind::Ident("note".into()), name),
            PropertyId::File(name) => member(NodeKind::Ident("file".into()), name),
            PropertyId::Formula(name) => member(NodeKind::Ident("formula".into()), name),
        };
        let text = id.to_string();
        Self {
            origin: Origin::standalone(&text),
            root,
            text,
        }
    }
}

fn member(object: NodeKind, name: &str) -> Node {
    let object = Node {
        kind: object,
        start: 0,
        depth: 1,
    };
    Node {
        kind: NodeKind::Member(Box::new(object), name.to_owned()),
        start: 0,
        depth: 2,
    }
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub kind: NodeKind,
    /// Character offset in the expression where it starts.
    pub start: usize,
    /// Levels of nodes from here down (1 for a leaf).
    pub depth: usize,
}

impl Node {
    /// The direct children of the node.
    pub(crate) fn children(&self) -> Vec<&Node> {
        match &self.kind {
            NodeKind::List(items) | NodeKind::Call(_, items) => items.iter().collect(),
            NodeKind::Object(entries) => entries.iter().map(|(_, v)| v).collect(),
            NodeKind::Member(object, _) | NodeKind::Unary(_, object) => vec![object],
            NodeKind::Index(a, b) | NodeKind::Binary(_, a, b) => vec![a, b],
            NodeKind::Method(receiver, _, _, args) => {
                std::iter::once(&**receiver).chain(args).collect()
            }
            NodeKind::Null
            | NodeKind::Bool(_)
            | NodeKind::Number(_)
            | NodeKind::String(_)
            | NodeKind::Regex(_)
            | NodeKind::Value(_)
            | NodeKind::Ident(_) => Vec::new(),
        }
    }

    /// The direct children of the node, to change.
    pub(crate) fn children_mut(&mut self) -> Vec<&mut Node> {
        match &mut self.kind {
            NodeKind::List(items) | NodeKind::Call(_, items) => items.iter_mut().collect(),
            NodeKind::Object(entries) => entries.iter_mut().map(|(_, v)| v).collect(),
            NodeKind::Member(object, _) | NodeKind::Unary(_, object) => vec![object],
            NodeKind::Index(a, b) | NodeKind::Binary(_, a, b) => vec![a, b],
            NodeKind::Method(receiver, _, _, args) => {
                std::iter::once(&mut **receiver).chain(args).collect()
            }
            NodeKind::Null
            | NodeKind::Bool(_)
            | NodeKind::Number(_)
            | NodeKind::String(_)
            | NodeKind::Regex(_)
            | NodeKind::Value(_)
            | NodeKind::Ident(_) => Vec::new(),
        }
    }
}

/// The kinds of node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Regex(Pattern),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
    /// A bare name: a local (`value`, `index`, `acc`, `values`), a root
    /// (`file`, `note`, `formula`, `this`) or a note property.
    Ident(String),
    /// `object.name`.
    Member(Box<Node>, String),
    /// `object[index]`.
    Index(Box<Node>, Box<Node>),
    /// `name(args)`: a global function.
    Call(String, Vec<Node>),
    /// `receiver.name(args)`: a method, with the offset of its name.
    Method(Box<Node>, String, usize, Vec<Node>),
    /// `!x`, `-x`.
    Unary(UnaryOp, Box<Node>),
    /// `a + b`, `a && b`...
    Binary(BinaryOp, Box<Node>, Box<Node>),
    /// A part computed before the rows, the same for each (see
    /// [`fold`](super::fold)); never parsed.
    Value(Value),
}

/// Prefix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UnaryOp {
    Not,
    Negate,
}

/// Infix operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

/// A property as views name it: `note.x` (or bare `x`), `file.x`, `formula.x`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PropertyId {
    /// A front-matter property.
    Note(String),
    /// A file property (`name`, `mtime`...).
    File(String),
    /// A formula of the base.
    Formula(String),
}

impl PropertyId {
    /// Reads `note.x`, `file.x`, `formula.x` or a bare note property name.
    pub fn parse(text: &str) -> Self {
        let text = text.trim();
        if let Some(name) = text.strip_prefix("note.") {
            Self::Note(name.to_owned())
        } else if let Some(name) = text.strip_prefix("file.") {
            Self::File(name.to_owned())
        } else if let Some(name) = text.strip_prefix("formula.") {
            Self::Formula(name.to_owned())
        } else {
            Self::Note(text.to_owned())
        }
    }

    /// The name without its kind: the default column heading.
    pub fn name(&self) -> &str {
        match self {
            Self::Note(name) | Self::File(name) | Self::Formula(name) => name,
        }
    }
}

impl std::fmt::Display for PropertyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Note(name) => write!(f, "note.{name}"),
            Self::File(name) => write!(f, "file.{name}"),
            Self::Formula(name) => write!(f, "formula.{name}"),
        }
    }
}
