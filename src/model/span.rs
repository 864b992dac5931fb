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

impl Span {
    /// Where the span starts and ends as an editor counts, in a text with
    /// no character outside the Basic Multilingual Plane (a note without
    /// `has_astral`): there a UTF-16 column is a character column, so no
    /// text is needed.
    pub fn utf16_in_bmp(&self) -> (Utf16Position, Utf16Position) {
        let at = |line: u32, column: u32| Utf16Position {
            line: line.saturating_sub(1),
            character: column.saturating_sub(1),
        };
        (
            at(self.line, self.column),
            at(self.end_line, self.end_column),
        )
    }
}

/// A position as editors count it: 0-based line, and 0-based column in
/// UTF-16 code units (an emoji outside the Basic Multilingual Plane counts
/// two, a CJK ideograph or a combining mark one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Utf16Position {
    /// 0-based line.
    pub line: u32,
    /// 0-based UTF-16 code units from the line's start.
    pub character: u32,
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

    /// The editor position (0-based line, UTF-16 code units into it) of a
    /// byte offset, clamped to the text and snapped back to a character
    /// boundary: what the Language Server Protocol calls a `Position`.
    pub fn utf16_position(&self, offset: usize) -> Utf16Position {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let before = &self.text[self.line_starts[line]..offset];
        Utf16Position {
            line: to_u32(line),
            character: to_u32(before.encode_utf16().count()),
        }
    }

    /// The byte offset of an editor position; `None` past the last line. A
    /// character past the line's end means its end (before `\n` or `\r\n`),
    /// and one inside a surrogate pair means the start of its character.
    pub fn offset_of_utf16(&self, position: Utf16Position) -> Option<usize> {
        let line = usize::try_from(position.line).ok()?;
        let start = *self.line_starts.get(line)?;
        // A line's content ends before its `\n` or `\r\n`; the last line has neither.
        let content = match self.line_starts.get(line + 1) {
            Some(&next) => {
                let line = &self.text[start..next - 1];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => &self.text[start..],
        };
        let mut units = 0;
        for (i, c) in content.char_indices() {
            units += c.len_utf16();
            if units > position.character as usize {
                return Some(start + i);
            }
        }
        Some(start + content.len())
    }

    /// A span's start and end as editor positions.
    pub fn utf16_range(&self, span: Span) -> (Utf16Position, Utf16Position) {
        (
            self.utf16_position(span.start as usize),
            self.utf16_position(span.end as usize),
        )
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

    #[test]
    fn utf16_positions_count_code_units() {
        // "😀" is 4 bytes and 2 UTF-16 units, "漢" 3 bytes and 1 unit, and
        // "e\u{301}" (e + combining acute) 3 bytes and 2 units.
        let text = "a😀b\r\n漢字 x\ne\u{301}!\n";
        let index = LineIndex::new(text);
        let at = |line, character| Utf16Position { line, character };
        let cases = [
            (0, at(0, 0)),
            (1, at(0, 1)),
            (5, at(0, 3)),
            (6, at(0, 4)),
            (8, at(1, 0)),
            (11, at(1, 1)),
            (15, at(1, 3)),
            (17, at(2, 0)),
            (18, at(2, 1)),
            (20, at(2, 2)),
            (22, at(3, 0)),
        ];
        for (offset, position) in cases {
            assert_eq!(index.utf16_position(offset), position, "offset {offset}");
            assert_eq!(
                index.offset_of_utf16(position),
                Some(offset),
                "{position:?}"
            );
        }
        // Inside the emoji: back to its start, both ways.
        assert_eq!(index.utf16_position(3), at(0, 1));
        assert_eq!(index.offset_of_utf16(at(0, 2)), Some(1));
        // Past a line's end: its end, before `\r\n`; past the last line: none.
        assert_eq!(index.offset_of_utf16(at(0, 99)), Some(6));
        assert_eq!(index.offset_of_utf16(at(3, 5)), Some(22));
        assert_eq!(index.offset_of_utf16(at(4, 0)), None);
        assert_eq!(index.utf16_position(999), at(3, 0));
        // A lone `\r` ends no line: it is the last line's content.
        let lone = LineIndex::new("a\r");
        assert_eq!(lone.offset_of_utf16(at(0, 2)), Some(2));
    }

    #[test]
    fn spans_convert_to_utf16_ranges_and_back() {
        let text = "# 日本\n[[Café 😀]] ok\n";
        let index = LineIndex::new(text);
        let start = text.find("[[").expect("a link");
        let end = text.find(" ok").expect("after");
        let (from, to) = index.utf16_range(index.span(start, end));
        assert_eq!(
            (from.line, from.character, to.line, to.character),
            (1, 0, 1, 11)
        );
        assert_eq!(index.offset_of_utf16(from), Some(start));
        assert_eq!(index.offset_of_utf16(to), Some(end));
    }

    proptest::proptest! {
        #[test]
        fn utf16_positions_round_trip(
            chars in proptest::collection::vec(
                proptest::sample::select(vec!['a', ' ', '\n', '\r', '😀', '漢', 'é', '\u{301}', '\u{10348}']),
                0..40,
            )
        ) {
            let text: String = chars.into_iter().collect();
            let index = LineIndex::new(&text);
            // Every character boundary but the one inside `\r\n` (which is
            // not on any line's content).
            for (offset, _) in text.char_indices().chain([(text.len(), ' ')]) {
                if text[..offset].ends_with('\r') && text[offset..].starts_with('\n') {
                    continue;
                }
                let position = index.utf16_position(offset);
                proptest::prop_assert_eq!(index.offset_of_utf16(position), Some(offset));
            }
        }
    }
}
