//! Searching the index with Obsidian's search syntax.

pub mod matcher;
pub mod query;

pub use matcher::RegexError;
pub use query::{MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, Query, SyntaxError};
pub mod run;

pub use run::{Buffers, Hit, OnDisk, Results, SearchError, Sort, search};
