//! Searching the index with Obsidian's search syntax.

mod blocks;
pub mod query;
mod tasks;

pub use query::{Query, SyntaxError};
pub use tasks::Tasks;
pub mod run;

pub use run::{Hit, Results, SearchError, Sort, search};
