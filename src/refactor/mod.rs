//! Refactoring a vault from the terminal: changes planned in full before
//! anything is written ([`plan`]), then shown or applied all at once.
//!
//! - [`props`]: bulk edits of front-matter properties, made by the
//!   [`frontmatter`] editor, which leaves every other byte as it was.

pub mod frontmatter;
pub mod plan;
pub mod props;
pub mod yaml_value;
