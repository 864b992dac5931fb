//! Obsidian Bases, evaluated without the app.
//!
//! A base (a `.base` file, or a ```` ```base ```` block in a note) is YAML:
//! filters, formulas, display names, summaries and views. [`Base::parse`]
//! reads it and parses every expression in it, so that a syntax error, an
//! unknown function or a wrong argument count is reported at its line and
//! column before anything runs. [`run_view`] then evaluates one view over a
//! [`Vault`](crate::vault::Vault): one row per file, filtered, sorted,
//! grouped, limited and summarised.
//!
//! Evaluation is pure: the current time, the time zone and the files' sizes
//! and times come in through [`Context`]; nothing here reads the disk.
//!
//! ```
//! use vaultkit::base::{Base, Context, run_view};
//! use vaultkit::vault::Vault;
//!
//! let vault = Vault::from_sources(
//!     [("a.md", "---\nstatus: draft\n---\n"), ("b.md", "---\nstatus: done\n---\n")],
//!     Vec::<String>::new(),
//! );
//! let base = Base::parse("filters: 'status == \"draft\"'\nviews:\n  - type: table\n    name: Drafts\n").unwrap();
//! let context = Context::new(&vault);
//! let table = run_view(&base, None, &context).unwrap();
//! assert_eq!(table.rows().map(|r| r.path.as_str()).collect::<Vec<_>>(), ["a.md"]);
//! ```

mod comparisons;
mod eval;
mod expr;
mod file;
mod fold;
mod functions;
mod lexer;
mod locate;
mod ops;
mod parser;
mod summary;
mod value;
mod view;
mod yaml;

pub use comparisons::Comparison;
pub use eval::{Context, FileStat};
pub use expr::{Expr, PropertyId};
pub use file::{Base, Filter, Notice, SortKey, SummarySpec, View, ViewColumn, blocks_in};
pub use parser::{parse_expression, split_fields};
pub use value::Value;
pub use view::{Column, Group, Row, ViewResult, run_view};

/// Why a base or an expression cannot be used: what is wrong and where, as a
/// 1-based line and column in the base (or in the expression given alone).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{column}: {message}")]
pub struct BaseError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// What is wrong.
    pub message: String,
}

impl BaseError {
    fn new(position: Position, message: impl Into<String>) -> Self {
        Self {
            line: position.line,
            column: position.column,
            message: message.into(),
        }
    }
}

/// A 1-based line and column in a base's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
}

impl Position {
    /// The first character of a text.
    pub const START: Self = Self { line: 1, column: 1 };
}
