//! Positions in a note's original text: 1-based lines and columns.

use serde::Serialize;

/// Where something sits in a note: 1-based line and column (in characters) of
/// its first and last character, plus its byte range in the decoded text.
///
/// Positions count from the start of the file, front matter included; a UTF-8
/// byte-order mark is not counted as a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct Span {
    /// 1-based line of the first character.
    pub line: u32,
    /// 1-based column (Unicode scalar values) of the first character.
    pub column: u32,
    /// 1-based line just after the last character.
    pub end_line: u32,
    /// 1-based column just after the last character.
    pub end_column: u32,
    /// Byte offset of the first character in the decoded text.
    #[serde(skip)]
    pub start: u32,
    /// Byte offset just after the last character.
    #[serde(skip)]
    pub end: u32,
}

/// Maps byte offsets of one text to line/column positions.
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    /// Whether the text is all ASCII, where a column is a byte count.
    ascii: bool,
}

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `text` (`\n` and `\r\n` both end a line).
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Self {
            text,
            line_starts,
            ascii: text.is_ascii(),
        }
    }

    /// Characters in `start..end` (both on character boundaries).
    fn chars_between(&self, start: usize, end: usize) -> usize {
        if self.ascii {
            end - start
        } else {
            self.text[start..end].chars().count()
        }
    }

    /// The 1-based (line, column) of a byte offset, clamped to the text.
    pub fn position(&self, offset: usize) -> (u32, u32) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_start = self.line_starts[line];
        let column = self.chars_between(line_start, offset) + 1;
        (to_u32(line + 1), to_u32(column))
    }

    /// The span covering bytes `start..end`, clamped to the text and to
    /// character boundaries.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let start = floor_char_boundary(self.text, start.min(self.text.len()));
        let end = floor_char_boundary(self.text, end.max(start).min(self.text.len()));
        let (line, column) = self.position(start);
        // Most spans end on the line they start on: count on from the start
        // rather than from the line's beginning again.
        let next_line = self.line_starts.get(line as usize).copied();
        let (end_line, end_column) = if next_line.is_none_or(|next| end < next) {
            (line, column + to_u32(self.chars_between(start, end)))
        } else {
            self.position(end)
        };
        Span {
            line,
            column,
            end_line,
            end_column,
            start: to_u32(start),
            end: to_u32(end),
        }
    }

    /// Byte offset where the 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.line_starts.get(index).copied()
    }

    /// The indexed text.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Number of lines in the text.
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let index = LineIndex::new("ab\r\ncé d\nx");
        assert_eq!(index.position(0), (1, 1));
        assert_eq!(index.position(4), (2, 1));
        // "é" is two bytes but one column.
        assert_eq!(index.position(7), (2, 3));
        assert_eq!(index.position(10), (3, 1));
        assert_eq!(index.position(999), (3, 2));
    }

    #[test]
    fn spans_on_one_line_and_across_lines() {
        let index = LineIndex::new("ab\r\ncé d\nx");
        let columns = |s: Span| (s.line, s.column, s.end_line, s.end_column);
        assert_eq!(columns(index.span(4, 8)), (2, 1, 2, 4));
        assert_eq!(columns(index.span(0, 4)), (1, 1, 2, 1));
        assert_eq!(columns(index.span(5, 11)), (2, 2, 3, 2));
        assert_eq!(columns(index.span(10, 99)), (3, 1, 3, 2));
        assert_eq!(columns(index.span(3, 3)), (1, 4, 1, 4));
        let ascii = LineIndex::new("ab\ncd e");
        assert_eq!(columns(ascii.span(1, 4)), (1, 2, 2, 2));
        assert_eq!(columns(ascii.span(3, 9)), (2, 1, 2, 5));
    }

    #[test]
    fn offsets_inside_a_character_snap_back() {
        let index = LineIndex::new("é");
        assert_eq!(index.position(1), (1, 1));
    }
}
