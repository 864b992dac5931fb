//! Front-matter YAML read into JSON-like values, one parser event at a time,
//! within limits on size, nesting and alias expansion: a YAML loader that
//! copies every alias lets 422 bytes of `&a [*b, *b]` lines grow into
//! gigabytes, and a loader or value that recurses per level overflows the
//! stack on deep nesting.

use std::collections::HashMap;

use serde_json::{Map, Number, Value};
use yaml_rust2::Yaml;
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// The largest front matter read, in bytes.
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest nesting of lists and maps.
pub const MAX_DEPTH: usize = 64;
/// The most values that aliases (`*name`) may repeat in one front matter.
pub const MAX_ALIASED_VALUES: usize = 10_000;
/// The most text, in bytes, that aliases may repeat in one front matter.
pub const MAX_ALIASED_TEXT: usize = 1 << 20;

/// Why front matter could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// What is wrong, for the diagnostic's message.
    pub message: String,
    /// Whether a limit was reached (rather than the YAML being invalid).
    pub over_limit: bool,
    /// Line in the YAML, from 1.
    pub line: usize,
    /// Column in that line, in characters, from 0.
    pub column: usize,
}

impl YamlError {
    fn at(marker: Marker, message: String, over_limit: bool) -> Self {
        Self {
            message,
            over_limit,
            line: marker.line(),
            column: marker.col(),
        }
    }
}

/// Reads the first YAML document of `yaml`: `Null` when it is empty.
/// Scalars resolve as in YAML 1.2's core schema; map keys become text, and an
/// entry whose key is a list or a map is dropped.
pub fn load(yaml: &str) -> Result<Value, YamlError> {
    if yaml.len() > MAX_BYTES {
        return Err(YamlError {
            message: format!(
                "front matter is larger than {} KiB ({} bytes)",
                MAX_BYTES / 1024,
                yaml.len()
            ),
            over_limit: true,
            line: 1,
            column: 0,
        });
    }
    let mut parser = Parser::new_from_str(yaml);
    let mut builder = Builder::default();
    loop {
        let (event, marker) = parser
            .next_token()
            .map_err(|err| YamlError::at(*err.marker(), err.info().to_owned(), false))?;
        match event {
            Event::StreamEnd => break,
            // Later documents are parsed for errors only, never built.
            _ if builder.finished => {}
            event => builder.push(event, marker)?,
        }
    }
    Ok(builder.root.map_or(Value::Null, |node| node.value))
}

/// What a value costs to copy.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    /// The values it holds, itself included.
    values: usize,
    /// The bytes of text in them, map keys included.
    text: usize,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.values = self.values.saturating_add(other.values);
        self.text = self.text.saturating_add(other.text);
    }
}

/// A finished value and what it costs to copy.
#[derive(Clone)]
struct Node {
    value: Value,
    cost: Cost,
    /// Its text as a map key.
    key: KeyText,
}

/// What a node's text is as a map key.
#[derive(Clone)]
enum KeyText {
    /// Its value's text (`true`, `12`, `null`, or the text itself).
    OfValue,
    /// A real's text as written (`2.50`), which its value does not keep.
    Written(String),
    /// None: a list, a map or an unreadable scalar, whose entry is dropped.
    Unfit,
}

impl Node {
    fn into_key(self) -> Option<String> {
        match (self.key, self.value) {
            (KeyText::Written(text), _) => Some(text),
            (KeyText::Unfit, _) => None,
            (KeyText::OfValue, Value::String(text)) => Some(text),
            (KeyText::OfValue, Value::Null) => Some("null".to_owned()),
            (KeyText::OfValue, value) => Some(value.to_string()),
        }
    }
}

/// A list or map still being read.
enum Open {
    List(Vec<Value>),
    Map {
        entries: Vec<(String, Value)>,
        /// The key read, awaiting its value: `Some(None)` for a key that is
        /// not text, whose entry is dropped.
        key: Option<Option<String>>,
    },
}

struct Frame {
    open: Open,
    anchor: usize,
    cost: Cost,
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    aliased: Cost,
    root: Option<Node>,
    finished: bool,
}

impl Builder {
    fn push(&mut self, event: Event, marker: Marker) -> Result<(), YamlError> {
        match event {
            Event::SequenceStart(anchor, _) => self.open(Open::List(Vec::new()), anchor, marker)?,
            Event::MappingStart(anchor, _) => {
                let map = Open::Map {
                    entries: Vec::new(),
                    key: None,
                };
                self.open(map, anchor, marker)?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(frame) = self.stack.pop() {
                    let value = match frame.open {
                        Open::List(items) => Value::Array(items),
                        Open::Map { mut entries, .. } => {
                            // Sorted, so that the same YAML gives the same
                            // value whatever order serde_json keeps; of two
                            // equal keys the later one stays.
                            entries.sort_by(|a, b| a.0.cmp(&b.0));
                            Value::Object(entries.into_iter().collect::<Map<_, _>>())
                        }
                    };
                    let node = Node {
                        value,
                        cost: frame.cost,
                        key: KeyText::Unfit,
                    };
                    self.close(node, frame.anchor);
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                self.close(scalar(text, style, tag.as_ref()), anchor);
            }
            Event::Alias(anchor) => {
                let node = self.anchors.get(&anchor).cloned();
                let node = node.unwrap_or_else(|| scalar_node(Value::Null, KeyText::Unfit));
                self.aliased.add(node.cost);
                let over = if self.aliased.values > MAX_ALIASED_VALUES {
                    Some(format!("{MAX_ALIASED_VALUES} values"))
                } else if self.aliased.text > MAX_ALIASED_TEXT {
                    Some(format!("{} KiB of text", MAX_ALIASED_TEXT / 1024))
                } else {
                    None
                };
                if let Some(limit) = over {
                    return Err(YamlError::at(
                        marker,
                        format!("aliases in front matter repeat more than {limit}"),
                        true,
                    ));
                }
                self.close(node, 0);
            }
            Event::DocumentEnd => self.finished = true,
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentStart => {}
        }
        Ok(())
    }

    fn open(&mut self, open: Open, anchor: usize, marker: Marker) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError::at(
                marker,
                format!("front matter nests lists and maps more than {MAX_DEPTH} deep"),
                true,
            ));
        }
        self.stack.push(Frame {
            open,
            anchor,
            cost: Cost { values: 1, text: 0 },
        });
        Ok(())
    }

    /// Puts a finished node into the list or map around it, or makes it the root.
    fn close(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(node);
            return;
        };
        match &mut frame.open {
            Open::List(items) => {
                frame.cost.add(node.cost);
                items.push(node.value);
            }
            Open::Map { entries, key } => match key.take() {
                None => *key = Some(node.into_key()),
                Some(Some(name)) => {
                    frame.cost.add(node.cost);
                    frame.cost.text = frame.cost.text.saturating_add(name.len());
                    entries.push((name, node.value));
                }
                Some(None) => {}
            },
        }
    }
}

/// A scalar's value: quoted text is text; plain text is resolved, or checked
/// against a core tag (`!!int`), a mismatch giving `Null`.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Node {
    let core_tag = tag
        .filter(|tag| tag.handle == "tag:yaml.org,2002:")
        .map(|tag| tag.suffix.as_str());
    let yaml = if style != TScalarStyle::Plain || (tag.is_some() && core_tag.is_none()) {
        Yaml::String(text)
    } else {
        let resolved = Yaml::from_str(&text);
        match (core_tag, resolved) {
            (Some("str"), _) => Yaml::String(text),
            (None, resolved)
            | (Some("bool"), resolved @ Yaml::Boolean(_))
            | (Some("int"), resolved @ Yaml::Integer(_))
            | (Some("null"), resolved @ Yaml::Null)
            | (Some("float"), resolved @ Yaml::Real(_)) => resolved,
            (Some("float"), Yaml::Integer(_)) => Yaml::Real(text),
            (Some("bool" | "int" | "null" | "float"), _) => Yaml::BadValue,
            (Some(_), _) => Yaml::String(text),
        }
    };
    let (value, key) = match yaml {
        Yaml::String(s) => (Value::String(s), KeyText::OfValue),
        Yaml::Real(s) => {
            // Rust reads neither `.inf` nor `.nan`: they become 0.
            let number = s.parse().unwrap_or(0.0);
            let number = Number::from_f64(number).map_or(Value::Null, Value::Number);
            (number, KeyText::Written(s))
        }
        Yaml::Integer(i) => (Value::from(i), KeyText::OfValue),
        Yaml::Boolean(b) => (Value::Bool(b), KeyText::OfValue),
        Yaml::Null => (Value::Null, KeyText::OfValue),
        _ => (Value::Null, KeyText::Unfit),
    };
    scalar_node(value, key)
}

fn scalar_node(value: Value, key: KeyText) -> Node {
    let text = value.as_str().map_or(0, str::len);
    Node {
        value,
        cost: Cost { values: 1, text },
        key,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bomb(levels: usize) -> String {
        let mut yaml = "a0: &a0 [x, y]\n".to_owned();
        for n in 1..=levels {
            yaml.push_str(&format!("a{n}: &a{n} [*a{}, *a{}]\n", n - 1, n - 1));
        }
        yaml
    }

    #[test]
    fn an_alias_bomb_stops_at_the_alias_over_the_limit() {
        for levels in [20, 40, 400] {
            let err = load(&bomb(levels)).expect_err("over the limit");
            assert!(err.over_limit);
            assert!(err.message.contains("aliases"), "{}", err.message);
            // Line n+1 defines `an`, of 2^(n+2)-1 values, and its aliases repeat
            // 2^(n+2)-2 of them: 8,164 in all by line 11, and the first alias
            // on line 12 goes over 10,000.
            assert_eq!((err.line, err.column), (12, 11));
        }
        let value = load(&bomb(8)).expect("within the limit");
        assert_eq!(value["a8"][1][0][0][0][0][0][0][0][1], "y");
    }

    #[test]
    fn aliases_repeating_long_text_stop_at_the_text_limit() {
        let long = "x".repeat(100_000);
        let mut yaml = format!("a: &a \"{long}\"\nb: &b {{k: *a}}\nc:\n");
        yaml.push_str(&"  - *b\n".repeat(11));
        let err = load(&yaml).expect_err("over the limit");
        assert!(
            err.message.ends_with("more than 1024 KiB of text"),
            "{}",
            err.message
        );
        // `b` copies `a`'s 100,000 bytes and holds 100,001 (its key too):
        // its tenth copy, on line 13, goes over 1 MiB.
        assert_eq!((err.line, err.column), (13, 4));
    }

    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let yaml = format!("k:\n  {}x\n", "- ".repeat(10_000));
        let err = load(&yaml).expect_err("too deep");
        assert!(err.over_limit && err.message.contains("64 deep"));
        assert_eq!(err.line, 2);
        let yaml = format!("k: {}x{}\n", "[".repeat(100), "]".repeat(100));
        assert!(load(&yaml).expect_err("too deep").over_limit);
        let yaml = format!("k: {}x{}\n", "[".repeat(63), "]".repeat(63));
        assert!(load(&yaml).is_ok());
    }

    #[test]
    fn large_front_matter_is_refused_whole() {
        let yaml = "k: v\n".repeat(MAX_BYTES / 5 + 1);
        let err = load(&yaml).expect_err("too large");
        assert!(err.over_limit && err.message.contains("1024 KiB"));
        assert_eq!(err.line, 1);
    }

    #[test]
    fn syntax_errors_carry_their_position() {
        let err = load("a: 1\nb: [x\n").expect_err("invalid");
        assert!(!err.over_limit && !err.message.is_empty());
        assert!(err.line >= 2, "{err:?}");
    }

    #[test]
    fn scalars_resolve_as_in_the_core_schema() {
        let value = load(
            "s: 'true'\nb: True\ni: 0x1f\nf: 2.50\nn: ~\nt: !!str 12\nbad: !!int x\nown: !mine 3\n",
        )
        .expect("valid");
        assert_eq!(
            value.to_string(),
            r#"{"b":true,"bad":null,"f":2.5,"i":31,"n":null,"own":"3","s":"true","t":"12"}"#
        );
    }

    #[test]
    fn keys_become_text_and_only_the_first_document_counts() {
        let value = load("2.50: a\nTrue: b\n[x]: c\n...\n---\nz: [\n").err();
        // Later documents are still checked for errors.
        assert!(value.is_some());
        let value = load("2.50: a\nTrue: b\n[x]: c\n...\n---\nz: 1\n").expect("valid");
        assert_eq!(value.to_string(), r#"{"2.50":"a","true":"b"}"#);
    }
}
