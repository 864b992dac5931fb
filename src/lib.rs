//! vaultkit: understand an Obsidian vault the way Obsidian does.
//!
//! The pipeline runs one way: [`vault::scan`] finds the files, [`parse`] reads
//! each note on its own, [`vault::Vault`] resolves every link with Obsidian's
//! rules, and [`graph::LinkGraph`] answers questions about the link graph.
//!
//! ```
//! use vaultkit::vault::Vault;
//!
//! let vault = Vault::from_sources(
//!     [
//!         ("Course.md", "# Course\nStart with [[Git]], then [[Agile#Sprints]]."),
//!         ("Topics/Git.md", "---\ntags: [dev]\n---\n# Git\n"),
//!         ("Topics/Agile.md", "# Agile\n## Sprints\n"),
//!     ],
//!     Vec::<String>::new(),
//! );
//! let course = vault.note_by_path("Course.md").unwrap();
//! let targets: Vec<_> = vault
//!     .resolutions(course)
//!     .iter()
//!     .map(|r| r.target.map(|t| vault.file_path(t)))
//!     .collect();
//! assert_eq!(targets, [Some("Topics/Git.md"), Some("Topics/Agile.md")]);
//! ```

#![warn(missing_docs)]

pub mod atomic;
pub mod base;
pub mod config;
pub mod error;
pub mod graph;
pub mod index;
pub mod infer;
pub mod lint;
pub mod model;
pub mod outline;
pub mod parse;
pub mod refactor;
pub mod render;
pub mod report;
pub mod search;
pub mod vault;
