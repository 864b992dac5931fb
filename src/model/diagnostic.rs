//! Findings about a note: data, never errors.

use serde::Serialize;

use super::Span;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something a reader would call broken.
    Error,
    /// Likely a mistake, or a form Obsidian only half supports.
    Warning,
    /// Worth knowing; not a problem.
    Info,
}

impl Severity {
    /// The lowercase name used in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Error => "error",
            Self::Warning => "warning",
            Self::Info => "info",
        }
    }
}

/// One finding about one note (or file), with its position when known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable kebab-case rule id, e.g. `invalid-frontmatter`.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// Vault-relative path of the file.
    pub path: String,
    /// Where in the file, when known.
    pub span: Option<Span>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A finding of `rule` in `path`.
    pub fn new(
        rule: &'static str,
        severity: Severity,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule,
            severity,
            path: path.into(),
            span: None,
            message: message.into(),
            help: None,
        }
    }

    /// Sets the position (a `Span`, or an `Option<Span>` that may be unknown).
    #[must_use]
    pub fn at(mut self, span: impl Into<Option<Span>>) -> Self {
        self.span = span.into();
        self
    }

    /// Sets the help line.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sort key: path, line, column, rule.
    pub fn sort_key(&self) -> (&str, u32, u32, &str) {
        let (line, column) = self.span.map_or((0, 0), |s| (s.line, s.column));
        (&self.path, line, column, self.rule)
    }
}
