//! Searching the index with Obsidian's search syntax.

pub mod query;

pub use query::{Query, SyntaxError};
pub mod run;

pub use run::{Buffers, Hit, OnDisk, Results, SearchError, Sort, search};
