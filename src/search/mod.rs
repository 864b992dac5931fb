//! Searching the index with Obsidian's search syntax.

mod blocks;
pub mod matcher;
pub mod query;
mod tasks;

pub use matcher::RegexError;
pub use query::{MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS, Query, SyntaxError};
pub use tasks::Tasks;
pub mod run;

pub use run::{Buffers, Hit, OnDisk, Results, SearchError, Sort, matching_paths, search};
