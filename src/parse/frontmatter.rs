//! Front matter: finding the `---` block, checking its YAML against the limits
//! in [`yaml`], reading it with gray_matter's YAML engine, and locating every
//! property, tag and link in the original lines.

use std::sync::LazyLock;

use gray_matter::Pod;
use gray_matter::engine::{Engine, YAML};
use regex::Regex;
use serde_json::Value;

use super::tags;
use super::wikilink;
use super::yaml::{self, YamlError};
use crate::model::{Diagnostic, LineIndex, Link, LinkOrigin, Property, Severity, Tag, TagSource};

/// The raw front-matter block of a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of `yaml` in the note.
    pub yaml_start: usize,
    /// Byte offset where the body starts (after the closing `---` line).
    pub body_start: usize,
}

/// Finds front matter: `---` alone on the very first line, closed by a later `---` line.
pub fn split(text: &str) -> Option<Block<'_>> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let yaml_start = first_end + 1;
    let mut line_start = yaml_start;
    while line_start <= text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        if text[line_start..line_end].trim_end() == "---" {
            return Some(Block {
                yaml: &text[yaml_start..line_start],
                yaml_start,
                body_start: (line_end + 1).min(text.len()),
            });
        }
        if line_end == text.len() {
            break;
        }
        line_start = line_end + 1;
    }
    None
}

/// What the front matter contributes to a note.
#[derive(Debug, Default)]
pub struct FrontMatter {
    /// Properties in file order.
    pub properties: Vec<Property>,
    /// The `aliases` property.
    pub aliases: Vec<String>,
    /// The `tags` property.
    pub tags: Vec<Tag>,
    /// Whole-value `"[[links]]"` in any property.
    pub links: Vec<Link>,
    /// Problems found on the way.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a front-matter block. Invalid YAML yields a diagnostic and nothing else,
/// as in Obsidian, where such a note has no properties, tags or aliases.
pub fn parse(block: Block<'_>, lines: &LineIndex<'_>, path: &str) -> FrontMatter {
    let mut out = FrontMatter::default();
    if block.yaml.trim().is_empty() {
        return out;
    }
    let loaded = yaml::check(block.yaml).and_then(|()| {
        // The check has parsed every document, so the load is not expected
        // to fail; if it does, its message has no position to keep.
        YAML::parse(block.yaml).map_err(|err| YamlError {
            message: err.to_string(),
            over_limit: false,
            line: 1,
            column: 0,
        })
    });
    let entries = match loaded {
        Err(err) => {
            out.diagnostics.push(yaml_error(&err, block, lines, path));
            return out;
        }
        Ok(Pod::Hash(map)) => map,
        Ok(Pod::Null) => return out,
        _ => {
            let span = lines.span(
                block.yaml_start,
                block.yaml_start + block.yaml.trim_end().len(),
            );
            out.diagnostics.push(
                Diagnostic::new(
                    "invalid-frontmatter",
                    Severity::Error,
                    path,
                    "front matter is not a list of `key: value` properties",
                )
                .at(span)
                .with_help("write each property as `key: value`, with a space after the colon"),
            );
            return out;
        }
    };
    let keys = locate_keys(block);
    let mut entries: Vec<(String, Pod)> = entries.into_iter().collect();
    entries.sort_by_cached_key(|(key, _)| {
        let position = keys
            .iter()
            .position(|k| k.name == *key)
            .unwrap_or(usize::MAX);
        (position, key.clone())
    });
    for (key, pod) in entries {
        let located = keys.iter().find(|k| k.name == key);
        let (key_start, block_range) = located.map_or(
            (block.yaml_start, (block.yaml_start, block.yaml_start)),
            |k| (k.start, (k.start, k.block_end)),
        );
        let key_span = lines.span(key_start, key_start + key.len());
        let finder = Finder {
            text: lines,
            source: lines.text(),
            range: block_range,
            fallback: key_span,
        };
        let value = to_json(pod);
        out.links.extend(property_links(&key, &value, &finder));
        if key.eq_ignore_ascii_case("tags") {
            read_tags(&value, &finder, path, &mut out);
        } else if key.eq_ignore_ascii_case("tag") {
            out.diagnostics.push(
                Diagnostic::new(
                    "invalid-tag",
                    Severity::Warning,
                    path,
                    "the `tag` property was removed in Obsidian 1.9; its value is not read as tags",
                )
                .at(key_span)
                .with_help("rename it to `tags` and write the tags as a list"),
            );
        } else if key.eq_ignore_ascii_case("aliases") {
            out.aliases = string_items(&value);
        }
        out.properties.push(Property {
            key: key.into(),
            value,
            span: key_span,
        });
    }
    out
}

/// A top-level key and the byte range of its lines.
struct KeyLocation {
    name: String,
    start: usize,
    block_end: usize,
}

/// Top-level keys: lines that start at column 1 with a key followed by `:`
/// and a space or the end of the line. Quoted keys lose their quotes.
fn locate_keys(block: Block<'_>) -> Vec<KeyLocation> {
    let mut keys: Vec<KeyLocation> = Vec::new();
    let mut offset = 0;
    for line in block.yaml.split_inclusive('\n') {
        if let Some((start, name)) = top_level_key(line) {
            keys.push(KeyLocation {
                name: name.into(),
                start: block.yaml_start + offset + start,
                block_end: 0,
            });
        }
        offset += line.len();
    }
    let yaml_end = block.yaml_start + block.yaml.len();
    for i in 0..keys.len() {
        keys[i].block_end = keys.get(i + 1).map_or(yaml_end, |next| next.start);
    }
    keys
}

/// The key of a `key: value` line: (offset of the name in the line, name).
fn top_level_key(line: &str) -> Option<(usize, &str)> {
    let line = line.trim_end_matches(['\n', '\r']);
    let first = line.chars().next()?;
    if first == '"' || first == '\'' {
        let close = line[1..].find(first)? + 1;
        let rest = line[close + 1..].trim_start_matches([' ', '\t']);
        return is_colon(rest).then(|| (1, &line[1..close]));
    }
    if first.is_whitespace() || matches!(first, '#' | '-' | '[' | '{') {
        return None;
    }
    let colon = line
        .char_indices()
        .find(|&(i, c)| c == ':' && is_colon(&line[i..]))?
        .0;
    Some((0, line[..colon].trim_end()))
}

/// Whether `rest` starts with a mapping colon: `:` then a space, tab or the end.
fn is_colon(rest: &str) -> bool {
    rest.strip_prefix(':')
        .is_some_and(|after| after.is_empty() || after.starts_with([' ', '\t']))
}

/// Finds the position of a value inside its key's lines.
struct Finder<'a, 'b> {
    text: &'b LineIndex<'a>,
    source: &'a str,
    range: (usize, usize),
    fallback: crate::model::Span,
}

impl Finder<'_, '_> {
    /// The raw lines of the key.
    fn block_text(&self) -> &str {
        self.source.get(self.range.0..self.range.1).unwrap_or("")
    }

    /// The span of the first occurrence of `needle` at or after `*cursor`,
    /// advancing the cursor; the key's span when not found verbatim.
    fn span_of(&self, needle: &str, cursor: &mut usize) -> crate::model::Span {
        let from = (*cursor).max(self.range.0);
        let haystack = self.source.get(from..self.range.1).unwrap_or("");
        match haystack.find(needle) {
            Some(i) if !needle.is_empty() => {
                let start = from + i;
                *cursor = start + needle.len();
                self.text.span(start, start + needle.len())
            }
            _ => self.fallback,
        }
    }
}

fn property_links(key: &str, value: &Value, finder: &Finder<'_, '_>) -> Vec<Link> {
    let mut cursor = 0;
    let items: Vec<&str> = match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    items
        .into_iter()
        .filter_map(|item| {
            let raw = item.trim();
            let (embed, inner) = wikilink::whole(raw)?;
            let span = finder.span_of(raw, &mut cursor);
            Some(wikilink::link(
                inner,
                embed,
                raw,
                LinkOrigin::Property(key.into()),
                span,
            ))
        })
        .collect()
}

fn read_tags(value: &Value, finder: &Finder<'_, '_>, path: &str, out: &mut FrontMatter) {
    let mut cursor = 0;
    let warn = |message: String, span, help: &str| {
        Diagnostic::new("invalid-tag", Severity::Warning, path, message)
            .at(span)
            .with_help(help.to_owned())
    };
    for caps in UNQUOTED_HASH_ITEM.captures_iter(finder.block_text()) {
        let Some(comment) = caps.get(1) else { continue };
        let start = finder.range.0 + comment.start();
        let span = finder
            .text
            .span(start, start + comment.as_str().trim_end().len());
        out.diagnostics.push(warn(
            format!("`{}` is a YAML comment, not a tag", comment.as_str().trim()),
            span,
            "an unquoted `#` starts a comment in YAML: write `- tag` or `- \"#tag\"`",
        ));
    }
    match value {
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(raw) => {
                        let name = raw.trim().trim_start_matches('#');
                        let span = finder.span_of(raw.trim(), &mut cursor);
                        match tags::check_name(name) {
                            Ok(()) => out.tags.push(Tag {
                                name: name.into(),
                                source: TagSource::Property,
                                span,
                            }),
                            Err(why) => out.diagnostics.push(warn(
                                format!("`{raw}` is not a valid tag: {why}"),
                                span,
                                "use letters, digits, `_`, `-` and `/` for nesting, with at least one non-digit",
                            )),
                        }
                    }
                    // An empty item (`- ` alone) means nothing; an unquoted `- #tag` is reported below.
                    Value::Null => {}
                    other => out.diagnostics.push(warn(
                        format!("`{other}` in `tags` is not text, so Obsidian ignores it"),
                        finder.span_of(&other.to_string(), &mut cursor),
                        "a tag needs at least one non-numeric character, e.g. `y1984`",
                    )),
                }
            }
        }
        Value::String(raw) => {
            out.diagnostics.push(warn(
                "`tags` is written as text; Obsidian expects a list".to_owned(),
                finder.fallback,
                "write `tags:` followed by one `- tag` line per tag",
            ));
            for name in raw
                .split([',', ' ', '\t'])
                .map(|t| t.trim().trim_start_matches('#'))
            {
                if tags::check_name(name).is_ok() {
                    let span = finder.span_of(name, &mut cursor);
                    out.tags.push(Tag {
                        name: name.into(),
                        source: TagSource::Property,
                        span,
                    });
                }
            }
        }
        Value::Null => {}
        other => out.diagnostics.push(warn(
            format!("`tags` holds `{other}`, which is not a list of tags"),
            finder.fallback,
            "write `tags:` followed by one `- tag` line per tag",
        )),
    }
}

fn string_items(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(|item| match item {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn to_json(pod: Pod) -> Value {
    match pod {
        Pod::Null => Value::Null,
        Pod::String(s) => Value::String(s),
        Pod::Integer(i) => Value::from(i),
        Pod::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        Pod::Boolean(b) => Value::Bool(b),
        Pod::Array(items) => Value::Array(items.into_iter().map(to_json).collect()),
        Pod::Hash(map) => {
            let mut entries: Vec<(String, Pod)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

/// A list item whose text starts with `#`: YAML reads it as a comment.
static UNQUOTED_HASH_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*-[ \t]+(#[^\s#][^\r\n]*)").expect("the comment pattern is valid")
});

fn yaml_error(err: &YamlError, block: Block<'_>, lines: &LineIndex<'_>, path: &str) -> Diagnostic {
    let file_line = lines.position(block.yaml_start).0 + (err.line as u32).saturating_sub(1);
    // The column counts characters, not bytes.
    let start = lines.line_start(file_line).map_or(block.yaml_start, |s| {
        let line = lines.text()[s..].split('\n').next().unwrap_or_default();
        s + line
            .char_indices()
            .nth(err.column)
            .map_or(line.len(), |(i, _)| i)
    });
    let (message, help) = if err.over_limit {
        (
            err.message.clone(),
            "vaultkit reads no properties, tags or aliases from this front matter; write it smaller, flatter or with fewer aliases",
        )
    } else {
        (
            format!("invalid YAML in front matter: {}", err.message),
            "Obsidian ignores all properties, tags and aliases of a note whose front matter does not parse",
        )
    };
    Diagnostic::new("invalid-frontmatter", Severity::Error, path, message)
        .at(lines.span(start, start))
        .with_help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn front(text: &str) -> FrontMatter {
        let lines = LineIndex::new(text);
        parse(split(text).expect("front matter"), &lines, "n.md")
    }

    #[test]
    fn split_needs_dashes_on_the_first_line_and_a_closing_line() {
        assert!(split("---\na: 1\n---\nbody").is_some());
        assert!(split("---\r\na: 1\r\n---\r\nbody").is_some());
        // Edge case 42: a blank line first means no front matter.
        assert!(split("\n---\na: 1\n---\n").is_none());
        assert!(split("---\na: 1\n").is_none());
        let block = split("---\na: 1\n---").expect("closed at end of file");
        assert_eq!(block.yaml, "a: 1\n");
    }

    #[test]
    fn properties_keep_file_order_and_positions() {
        let fm = front("---\nzeta: 1\nalpha: two\ncreated: 2026-01-10\n---\n");
        let keys: Vec<_> = fm.properties.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["zeta", "alpha", "created"]);
        assert_eq!(fm.properties[2].value, Value::from("2026-01-10"));
        assert_eq!(
            (fm.properties[1].span.line, fm.properties[1].span.column),
            (3, 1)
        );
    }

    #[test]
    fn tags_in_every_accepted_form() {
        // Edge case 37.
        let names = |text| {
            front(text)
                .tags
                .into_iter()
                .map(|t| t.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(names("---\ntags: [a, b]\n---\n"), ["a", "b"]);
        assert_eq!(names("---\ntags:\n  - a\n  - b\n---\n"), ["a", "b"]);
        assert_eq!(names("---\ntags: [\"#a\"]\n---\n"), ["a"]);
        let fm = front("---\ntags:\n  - #a\n---\n");
        assert!(fm.tags.is_empty());
        assert_eq!(fm.diagnostics[0].rule, "invalid-tag");
        assert_eq!(
            fm.diagnostics[0].span.map(|s| (s.line, s.column)),
            Some((3, 5))
        );
        // An empty item is simply nothing.
        let fm = front("---\ntags:\n- \n---\n");
        assert!(fm.tags.is_empty() && fm.diagnostics.is_empty());
    }

    #[test]
    fn string_tags_are_read_leniently_and_reported() {
        // Edge case 38.
        let fm = front("---\ntags: a, b\n---\n");
        assert_eq!(
            fm.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(fm.diagnostics.len(), 1);
        let fm = front("---\ntag: a\n---\n");
        assert!(fm.tags.is_empty());
        assert_eq!(fm.diagnostics[0].rule, "invalid-tag");
    }

    #[test]
    fn tag_positions_point_at_the_list_item() {
        let fm = front("---\ntags:\n  - alpha\n  - beta\n---\n");
        assert_eq!((fm.tags[1].span.line, fm.tags[1].span.column), (4, 5));
    }

    #[test]
    fn quoted_whole_value_links_are_links() {
        // Edge case 39.
        let fm = front(
            "---\nup: \"[[Parent]]\"\nrelated:\n  - \"[[A#H]]\"\n  - \"[[B|b]]\"\nlink: [[Nested]]\nnote: see [[X]] too\n---\n",
        );
        let targets: Vec<_> = fm.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["Parent", "A", "B"]);
        assert_eq!(fm.links[1].origin, LinkOrigin::Property("related".into()));
        assert_eq!(fm.links[1].heading.as_deref(), Some("H"));
        assert_eq!((fm.links[1].span.line, fm.links[1].span.column), (4, 6));
    }

    #[test]
    fn yaml_error_columns_count_characters() {
        // Found by fuzzing: the column was taken as a byte offset.
        let text = "---\nx: €€: b\n---\n";
        let fm = front(text);
        let span = fm.diagnostics[0].span.expect("a position");
        assert_eq!((span.line, span.column), (2, 6));
        assert_eq!(&text[span.start as usize..], ": b\n---\n");
    }

    #[test]
    fn text_properties_never_make_tags() {
        // Edge case 40.
        assert!(front("---\ntitle: \"#notatag\"\n---\n").tags.is_empty());
    }

    #[test]
    fn invalid_yaml_is_a_diagnostic_with_its_line() {
        // Edge case 41.
        let fm = front("---\ntitle: ok\ntags: [a\nother: 1\n---\nbody\n");
        assert!(fm.properties.is_empty() && fm.tags.is_empty());
        let diag = &fm.diagnostics[0];
        assert_eq!(diag.rule, "invalid-frontmatter");
        let line = diag.span.expect("a position").line;
        assert!((3..=5).contains(&line), "line {line}");
        let fm = front("---\ntags:value\n---\n");
        assert_eq!(fm.diagnostics[0].rule, "invalid-frontmatter");
        assert_eq!(fm.diagnostics[0].span.expect("a position").line, 2);
    }

    #[test]
    fn top_level_keys_are_found_in_each_form() {
        assert_eq!(top_level_key("title: x\n"), Some((0, "title")));
        assert_eq!(top_level_key("empty:\r\n"), Some((0, "empty")));
        assert_eq!(top_level_key("\"my key\": 1"), Some((1, "my key")));
        assert_eq!(top_level_key("url: https://x"), Some((0, "url")));
        assert_eq!(top_level_key("  nested: 1"), None);
        assert_eq!(top_level_key("- item: 1"), None);
        assert_eq!(top_level_key("# comment: 1"), None);
        assert_eq!(top_level_key("no colon"), None);
    }

    #[test]
    fn yaml_values_become_json_like_data() {
        let fm = front(
            "---\n1: one\n\"1\": uno\ntrue: yes\n~: nothing\nx: 1.5\ny: .inf\nm: {b: 1, a: [2, 3]}\nanchor: &x hi\nref: *x\n? [complex, key]\n: dropped\n---\n",
        );
        let keys: Vec<_> = fm.properties.iter().map(|p| p.key.as_str()).collect();
        // File order; a key not found at the start of a line (`~`) comes last.
        assert_eq!(keys, ["1", "true", "x", "y", "m", "anchor", "ref", "null"]);
        let value = |key: &str| {
            fm.properties
                .iter()
                .find(|p| p.key == key)
                .map(|p| p.value.to_string())
        };
        // Of two keys with the same text, the later one's value stays.
        assert_eq!(value("1").as_deref(), Some("\"uno\""));
        assert_eq!(value("x").as_deref(), Some("1.5"));
        // A real Rust cannot read (`.inf`) becomes 0.
        assert_eq!(value("y").as_deref(), Some("0.0"));
        assert_eq!(value("m").as_deref(), Some(r#"{"a":[2,3],"b":1}"#));
        assert_eq!(value("ref").as_deref(), Some("\"hi\""));
        assert_eq!(value("null").as_deref(), Some("\"nothing\""));
    }

    #[test]
    fn aliases_are_read() {
        let fm = front("---\naliases:\n  - AI\n  - Artificial Intelligence\n---\n");
        assert_eq!(fm.aliases, ["AI", "Artificial Intelligence"]);
    }
}
