//! Output formats. Every function writes a report value to any `io::Write`;
//! nothing here decides what to show, only how.

pub mod base;
pub mod graph;
pub mod lint;
pub mod note;
pub mod outline;
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
