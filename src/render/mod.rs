//! Output formats. Every function writes a report value to any `io::Write`;
//! nothing here decides what to show, only how.

pub mod base;
pub mod graph;
pub mod lint;
pub mod note;
pub mod outline;
pub mod plan;
pub mod search;
pub mod tags;

use std::fmt::Display;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use serde::Serialize;

/// Terminal styling, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Palette {
    enabled: bool,
}

impl Palette {
    /// Styling on (`true`) or off.
    pub fn new(enabled: bool) -> Self {
        Self { enabled }
    }

    /// Whether styling is on.
    pub fn enabled(self) -> bool {
        self.enabled
    }

    fn paint(self, style: Style, text: impl Display) -> String {
        if self.enabled {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    /// A file path.
    pub fn path(self, text: impl Display) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Magenta.into())), text)
    }

    /// A heading or title.
    pub fn title(self, text: impl Display) -> String {
        self.paint(Style::new().bold(), text)
    }

    /// Line numbers and other secondary detail.
    pub fn dim(self, text: impl Display) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    /// Something that worked out.
    pub fn good(self, text: impl Display) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Green.into())), text)
    }

    /// Something broken.
    pub fn bad(self, text: impl Display) -> String {
        self.paint(
            Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            text,
        )
    }

    /// Something questionable.
    pub fn warn(self, text: impl Display) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Yellow.into())), text)
    }

    /// A matched word.
    pub fn matched(self, text: impl Display) -> String {
        self.paint(
            Style::new().fg_color(Some(AnsiColor::Red.into())).bold(),
            text,
        )
    }

    /// A tag.
    pub fn tag(self, text: impl Display) -> String {
        self.paint(Style::new().fg_color(Some(AnsiColor::Cyan.into())), text)
    }
}

/// Writes `value` as pretty-printed JSON and a final newline.
pub fn json<T: Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// What writing `new` over `old`, the text of the file at vault path `path`,
/// would change, as a unified diff (`lint --fix --dry-run`, `outline
/// --check`). Every line of the diff ends in `\n` whatever the file's line
/// endings: a line ending in a lone `\r` (old Mac files) would otherwise run
/// into the next line, or the next file's header.
pub fn diff(out: &mut dyn Write, path: &str, old: &str, new: &str) -> io::Result<()> {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut unified = diff.unified_diff();
    unified.context_radius(3);
    for (n, hunk) in unified.iter_hunks().enumerate() {
        if n == 0 {
            writeln!(out, "--- a/{path}\n+++ b/{path}")?;
        }
        writeln!(out, "{}", hunk.header())?;
        for change in hunk.iter_changes() {
            let line = change.value();
            write!(out, "{}{line}", change.tag())?;
            if !line.ends_with('\n') {
                writeln!(out)?;
            }
            if !line.ends_with(['\n', '\r']) {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}

/// Text escaped for XML content or an attribute value (JUnit, OPML);
/// characters XML 1.0 cannot hold are dropped.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if c < ' ' || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diffed(old: &str, new: &str) -> String {
        let mut out = Vec::new();
        diff(&mut out, "a.md", old, new).expect("write");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn a_change_is_shown_as_a_unified_diff() {
        assert_eq!(
            diffed("one\n[[x]]\nthree\n", "one\n[[X]]\nthree\n"),
            "--- a/a.md\n+++ b/a.md\n@@ -1,3 +1,3 @@\n one\n-[[x]]\n+[[X]]\n three\n"
        );
        assert_eq!(diffed("same\n", "same\n"), "");
        assert_eq!(
            diffed("[[x]]", "[[X]]"),
            "--- a/a.md\n+++ b/a.md\n@@ -1 +1 @@\n-[[x]]\n\\ No newline at end of file\n+[[X]]\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn every_diff_line_ends_in_a_line_feed_whatever_the_line_endings() {
        assert_eq!(
            diffed("a\r[[x]]\r", "a\r[[X]]\r"),
            "--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,2 @@\n a\r\n-[[x]]\r\n+[[X]]\r\n"
        );
        assert_eq!(
            diffed("a\r\n[[x]]\r\n", "a\r\n[[X]]\r\n"),
            "--- a/a.md\n+++ b/a.md\n@@ -1,2 +1,2 @@\n a\r\n-[[x]]\r\n+[[X]]\r\n"
        );
    }
}
