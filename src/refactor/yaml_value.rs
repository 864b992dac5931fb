//! How vaultkit writes a property's key or value into front matter, the way
//! Obsidian writes it: plain when YAML reads the plain text back as that
//! same text (so dates, numbers and `true` stay unquoted), double-quoted
//! otherwise (`"[[Link]]"`, `"a: b"`, `"#tag"`), and lists in block style.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// Where a scalar is written: a value of a block mapping or list, or an item
/// of a flow list (`[a, b]`), where `,` `[` `]` also need quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// `key: VALUE` or `- VALUE`.
    Block,
    /// `[…, VALUE]`.
    Flow,
}

/// `value` as YAML text in `context`.
pub fn scalar(value: &str, context: Context) -> String {
    let probe = match context {
        Context::Block => format!("k: {value}"),
        Context::Flow => format!("k: [{value}]"),
    };
    if reads_back(&probe, value, context) {
        value.to_owned()
    } else {
        double_quoted(value)
    }
}

/// `key` as a mapping key: plain when YAML reads it back unchanged.
pub fn key(key: &str) -> String {
    let probe = format!("{key}: v");
    let mut parser = Parser::new_from_str(&probe);
    let plain = events(&mut parser).is_some_and(|events| {
        matches!(
            events.as_slice(),
            [Event::MappingStart(..), Event::Scalar(k, TScalarStyle::Plain, ..), Event::Scalar(v, ..), Event::MappingEnd]
                if k == key && v == "v"
        )
    });
    if plain {
        key.to_owned()
    } else {
        double_quoted(key)
    }
}

/// The lines of a block list, each `{line_break}{indent}- item`.
pub fn block_list(items: &[String], indent: &str, line_break: &str) -> String {
    items
        .iter()
        .map(|item| format!("{line_break}{indent}- {}", scalar(item, Context::Block)))
        .collect()
}

/// Whether `probe` (a one-key mapping) holds `value` as one plain scalar.
fn reads_back(probe: &str, value: &str, context: Context) -> bool {
    if value.is_empty() {
        return false;
    }
    let mut parser = Parser::new_from_str(probe);
    let Some(events) = events(&mut parser) else {
        return false;
    };
    let is_value = |event: &Event| matches!(event, Event::Scalar(text, TScalarStyle::Plain, ..) if text == value);
    match (context, events.as_slice()) {
        (
            Context::Block,
            [
                Event::MappingStart(..),
                Event::Scalar(..),
                v,
                Event::MappingEnd,
            ],
        ) => is_value(v),
        (
            Context::Flow,
            [
                Event::MappingStart(..),
                Event::Scalar(..),
                Event::SequenceStart(..),
                v,
                Event::SequenceEnd,
                Event::MappingEnd,
            ],
        ) => is_value(v),
        _ => false,
    }
}

/// The events of a one-document stream, without the stream and document
/// markers; `None` when it does not parse.
fn events(parser: &mut Parser<std::str::Chars<'_>>) -> Option<Vec<Event>> {
    let mut out = Vec::new();
    loop {
        match parser.next_token().ok()?.0 {
            Event::StreamEnd => return Some(out),
            Event::StreamStart | Event::DocumentStart | Event::DocumentEnd | Event::Nothing => {}
            event => out.push(event),
        }
    }
}

/// `text` in double quotes, with YAML's escapes.
pub fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_only_when_yaml_needs_it() {
        let block = |v| scalar(v, Context::Block);
        assert_eq!(block("2026-01-10"), "2026-01-10");
        assert_eq!(block("3"), "3");
        assert_eq!(block("true"), "true");
        assert_eq!(block("draft"), "draft");
        assert_eq!(block("Product, management"), "Product, management");
        assert_eq!(block("[[Git]]"), "\"[[Git]]\"");
        assert_eq!(block("a: b"), "\"a: b\"");
        assert_eq!(block("#tag"), "\"#tag\"");
        assert_eq!(block("x # y"), "\"x # y\"");
        assert_eq!(block(" padded"), "\" padded\"");
        assert_eq!(block(""), "\"\"");
        assert_eq!(block("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
        assert_eq!(scalar("a, b", Context::Flow), "\"a, b\"");
        assert_eq!(scalar("ab", Context::Flow), "ab");
    }

    #[test]
    fn keys_are_quoted_only_when_yaml_needs_it() {
        assert_eq!(key("status"), "status");
        assert_eq!(key("due date"), "due date");
        assert_eq!(key("a: b"), "\"a: b\"");
        assert_eq!(key("#x"), "\"#x\"");
    }

    #[test]
    fn block_lists_are_written_one_item_a_line() {
        let items = ["pm".to_owned(), "[[Git]]".to_owned()];
        assert_eq!(
            block_list(&items, "  ", "\r\n"),
            "\r\n  - pm\r\n  - \"[[Git]]\""
        );
    }
}
