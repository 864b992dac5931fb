//! Refactoring a vault from the terminal: changes planned in full before
//! anything is written ([`plan`]), then shown or applied all at once.
//!
//! - [`mv`]: notes, attachments and folders moved, or headings renamed,
//!   with every link rewritten to lead where it led ([`link_text`] finds and
//!   writes a link's target in its own style).
//! - [`props`]: bulk edits of front-matter properties, made by the
//!   [`frontmatter`] editor, which leaves every other byte as it was.

pub mod frontmatter;
pub mod link_text;
pub mod mv;
pub mod plan;
pub mod props;
pub mod yaml_value;
