//! Pure data types shared by every stage: notes, links, positions and
//! diagnostics. Nothing here performs I/O or exposes a foreign crate's type.

mod diagnostic;
mod link;
mod note;
mod span;

pub use diagnostic::{Diagnostic, Severity};
pub use link::{Link, LinkKind, LinkOrigin};
pub use note::{BlockId, ExternalLink, Heading, Note, Property, Tag, TagSource, tag_names};
pub use span::{LineIndex, Span, Utf16Position};
