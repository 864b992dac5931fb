//! A base's YAML as a small tree that remembers where each node was written,
//! so that an expression's errors can point into the file.
//!
//! Built from the YAML reader's events with an explicit stack (no recursion),
//! and refused beyond [`MAX_DEPTH`] levels of nesting.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::{BaseError, Position};

/// Deeper YAML than this is refused: a real base nests a few levels.
pub const MAX_DEPTH: usize = 64;

/// How a scalar was written, which decides how its text maps back to the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Unquoted.
    Plain,
    /// `'…'`.
    SingleQuoted,
    /// `"…"`.
    DoubleQuoted,
    /// `|` or `>`.
    Block,
}

/// One YAML node and where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The node.
    pub value: Yaml,
    /// Where it starts (a quoted scalar: at its opening quote).
    pub at: Position,
}

/// The kinds of YAML node.
#[derive(Debug, Clone, PartialEq)]
pub enum Yaml {
    /// A scalar's text and how it was written.
    Scalar(String, Style),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in file order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The text of a scalar (empty for a plain `~`, `null` or nothing).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Yaml::Scalar(text, _) => Some(text),
            _ => None,
        }
    }

    /// Whether this is YAML's null (`~`, `null` or nothing, unquoted).
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Yaml::Scalar(text, Style::Plain) if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The entries of a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Yaml::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// A short name for the kind of node, for messages.
    pub fn kind(&self) -> &'static str {
        match &self.value {
            Yaml::Scalar(..) => "a value",
            Yaml::List(_) => "a list",
            Yaml::Map(_) => "a mapping",
        }
    }
}

/// A node being filled while its children are read.
enum Open {
    List(Position, Vec<Node>),
    Map(Position, Vec<(Node, Node)>, Option<Node>),
}

/// Reads `text` as one YAML document; `None` when it is empty.
pub fn parse(text: &str) -> Result<Option<Node>, BaseError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut root: Option<Node> = None;
    loop {
        let (event, marker) = parser.next_token().map_err(|err| {
            BaseError::new(
                position(*err.marker()),
                format!("invalid YAML: {}", err.info()),
            )
        })?;
        let at = position(marker);
        let done = match event {
            Event::StreamEnd => return Ok(root),
            Event::Scalar(text, style, _, _) => Some(Node {
                value: Yaml::Scalar(text, style_of(style)),
                at,
            }),
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(BaseError::new(
                        at,
                        format!("the YAML nests more than {MAX_DEPTH} levels deep"),
                    ));
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Open::List(at, Vec::new())
                } else {
                    Open::Map(at, Vec::new(), None)
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(Open::List(at, items)) => Some(Node {
                    value: Yaml::List(items),
                    at,
                }),
                Some(Open::Map(at, entries, _)) => Some(Node {
                    value: Yaml::Map(entries),
                    at,
                }),
                None => None,
            },
            Event::Alias(_) => {
                return Err(BaseError::new(
                    at,
                    "YAML aliases (`*name`) are not supported in a base",
                ));
            }
            Event::DocumentStart | Event::DocumentEnd | Event::StreamStart | Event::Nothing => None,
        };
        let Some(node) = done else { continue };
        match stack.last_mut() {
            Some(Open::List(_, items)) => items.push(node),
            Some(Open::Map(_, entries, key)) => match key.take() {
                Some(key) => entries.push((key, node)),
                None => *key = Some(node),
            },
            None if root.is_none() => root = Some(node),
            None => {
                return Err(BaseError::new(
                    at,
                    "a base holds one YAML document, not several",
                ));
            }
        }
    }
}

fn style_of(style: TScalarStyle) -> Style {
    match style {
        TScalarStyle::SingleQuoted => Style::SingleQuoted,
        TScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        TScalarStyle::Literal | TScalarStyle::Folded => Style::Block,
        _ => Style::Plain,
    }
}

/// The reader's markers count lines from 1 and columns from 0.
fn position(marker: Marker) -> Position {
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    Position {
        line: to_u32(marker.line()),
        column: to_u32(marker.col()).saturating_add(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_know_where_they_start() {
        let root = parse("a: 1\nb:\n  - 'x'\n  - y: z\n").unwrap().unwrap();
        let map = root.as_map().unwrap();
        assert_eq!(map[0].0.as_str(), Some("a"));
        assert_eq!(map[0].1.at, Position { line: 1, column: 4 });
        let Yaml::List(items) = &map[1].1.value else {
            panic!("a list")
        };
        assert_eq!(items[0].at, Position { line: 3, column: 5 });
        assert_eq!(
            items[0].value,
            Yaml::Scalar("x".into(), Style::SingleQuoted)
        );
        assert_eq!(
            items[1].as_map().unwrap()[0].1.at,
            Position { line: 4, column: 8 }
        );
    }

    #[test]
    fn bad_and_deep_yaml_are_errors_with_positions() {
        let err = parse("a: [1\nb: 2\n").unwrap_err();
        assert!(err.message.starts_with("invalid YAML"), "{err}");
        assert!(err.line >= 2, "{err}");
        let deep = format!("{}1{}", "[".repeat(100), "]".repeat(100));
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("nests more than 64"), "{err}");
        assert_eq!(parse("").unwrap(), None);
        assert!(parse("a: &x 1\nb: *x\n").is_err());
    }
}
