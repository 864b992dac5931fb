//! From a place in an expression to a place in the base's text.
//!
//! An expression is the decoded text of a YAML scalar: quotes, escapes and
//! folded line breaks are gone. [`Origin`] walks the scalar as written beside
//! its decoded text, so that the n-th character of the expression maps to the
//! line and column where it was written.

use super::Position;
use super::yaml::{Node, Style};

/// Where each character of an expression was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The position of each character, then of the end.
    positions: Vec<Position>,
}

impl Origin {
    /// An expression given on its own (on a command line): line 1, column 1.
    pub fn standalone(expression: &str) -> Self {
        let mut positions = Vec::with_capacity(expression.len() + 1);
        let mut at = Position::START;
        for c in expression.chars() {
            positions.push(at);
            if c == '\n' {
                at = Position {
                    line: at.line + 1,
                    column: 1,
                };
            } else {
                at.column += 1;
            }
        }
        positions.push(at);
        Self { positions }
    }

    /// The expression held by the scalar `node`, whose text is `value`, in `source`.
    pub fn of_scalar(source: &str, node: &Node, value: &str, style: Style) -> Self {
        let start = node.at;
        let raw = raw_from(source, start);
        let mut raw = raw.chars().peekable();
        let mut at = start;
        let advance = |at: &mut Position, c: char| {
            if c == '\n' {
                *at = Position {
                    line: at.line + 1,
                    column: 1,
                };
            } else {
                at.column += 1;
            }
        };
        match style {
            Style::SingleQuoted | Style::DoubleQuoted => {
                raw.next();
                advance(&mut at, '\'');
            }
            // Where a block scalar's text starts is not worth the work:
            // errors point at its `|` or `>`.
            Style::Block => {
                return Self {
                    positions: vec![start; value.chars().count() + 1],
                };
            }
            Style::Plain => {}
        }
        let mut positions = Vec::with_capacity(value.len() + 1);
        let mut lost = false;
        for c in value.chars() {
            positions.push(at);
            if lost {
                continue;
            }
            match raw.next() {
                Some(r)
                    if r == c
                        && !(r == '\\' && style == Style::DoubleQuoted)
                        && !(r == '\'' && style == Style::SingleQuoted) =>
                {
                    advance(&mut at, r);
                }
                Some('\'') if style == Style::SingleQuoted && c == '\'' => {
                    advance(&mut at, '\'');
                    raw.next();
                    advance(&mut at, '\'');
                }
                Some('\\') if style == Style::DoubleQuoted => {
                    advance(&mut at, '\\');
                    let width = match raw.next() {
                        Some('x') => 3,
                        Some('u') => 5,
                        Some('U') => 9,
                        Some(_) => 1,
                        None => 0,
                    };
                    advance(&mut at, ' ');
                    for _ in 1..width {
                        raw.next();
                        advance(&mut at, ' ');
                    }
                }
                // A line break folded into a space: skip the break and the
                // next line's indentation.
                Some(r @ ('\n' | '\r')) if c == ' ' || c == '\n' => {
                    advance(&mut at, r);
                    while let Some(&next) = raw.peek() {
                        if !matches!(next, ' ' | '\t' | '\n' | '\r') {
                            break;
                        }
                        advance(&mut at, next);
                        raw.next();
                    }
                }
                _ => lost = true,
            }
        }
        positions.push(at);
        Self { positions }
    }

    /// The position of the character `index` (in characters) of the expression.
    pub fn position(&self, index: usize) -> Position {
        self.positions
            .get(index)
            .or(self.positions.last())
            .copied()
            .unwrap_or(Position::START)
    }
}

/// The source text from `start` on.
fn raw_from(source: &str, start: Position) -> &str {
    let line_start = source
        .split_inclusive('\n')
        .take(start.line.saturating_sub(1) as usize)
        .map(str::len)
        .sum::<usize>();
    let line = &source[line_start..];
    let offset = line
        .char_indices()
        .nth(start.column.saturating_sub(1) as usize)
        .map_or(line.len(), |(i, _)| i);
    &line[offset..]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::yaml::{self, Yaml};

    fn origin_of(source: &str) -> (String, Origin) {
        let root = yaml::parse(source).unwrap().unwrap();
        let node = &root.as_map().unwrap()[0].1;
        let Yaml::Scalar(text, style) = &node.value else {
            panic!("a scalar")
        };
        (text.clone(), Origin::of_scalar(source, node, text, *style))
    }

    #[test]
    fn characters_map_back_through_quotes_escapes_and_folds() {
        let (text, origin) = origin_of("f: 'it''s x'\n");
        assert_eq!(text, "it's x");
        assert_eq!(
            origin.position(5),
            Position {
                line: 1,
                column: 11
            }
        );
        let (text, origin) = origin_of("f: \"a\\\"b c\"\n");
        assert_eq!(text, "a\"b c");
        assert_eq!(
            origin.position(4),
            Position {
                line: 1,
                column: 10
            }
        );
        let (text, origin) = origin_of("f: a +\n   b\n");
        assert_eq!(text, "a + b");
        assert_eq!(origin.position(4), Position { line: 2, column: 4 });
        let standalone = Origin::standalone("ab\ncd");
        assert_eq!(standalone.position(4), Position { line: 2, column: 2 });
    }
}
