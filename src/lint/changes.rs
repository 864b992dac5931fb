//! Linting a change (`--changed-since REV`, or PATHS that name a deleted
//! file): besides the findings in changed files, a deleted or renamed note
//! breaks links in notes nobody touched, and those belong to the change too.

use crate::model::Span;
use crate::vault::resolve::Resolver;
use crate::vault::{FileId, Vault};

/// Where the vault's unresolved links are that one of `deleted` (vault paths
/// of files that no longer exist) would have resolved: `(note path, span)`.
pub fn links_into_deleted(vault: &Vault, deleted: &[String]) -> Vec<(String, Span)> {
    if deleted.is_empty() {
        return Vec::new();
    }
    let gone = Resolver::new(deleted.iter().enumerate().map(|(i, path)| {
        (
            FileId::Attachment(u32::try_from(i).unwrap_or(u32::MAX)),
            path.as_str(),
        )
    }));
    let mut found = Vec::new();
    vault.decode_all();
    for id in vault.note_ids() {
        let path = &vault.note(id).path;
        for (link, resolution) in vault.links_of(id) {
            if resolution.target.is_none()
                && !link.is_self()
                && gone.resolve(&link.target, path).target.is_some()
            {
                found.push((path.clone(), link.span));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_links_the_deleted_file_would_satisfy() {
        let vault = Vault::from_sources(
            [
                ("a.md", "[[Old]] [[Never]]\n[[sub/Old#Part]]"),
                ("b.md", "![[pic.png]]"),
            ],
            Vec::<String>::new(),
        );
        let lines = |deleted: &[&str]| -> Vec<(String, u32)> {
            let deleted: Vec<String> = deleted.iter().map(|d| (*d).to_owned()).collect();
            links_into_deleted(&vault, &deleted)
                .into_iter()
                .map(|(path, span)| (path, span.column))
                .collect()
        };
        assert_eq!(
            lines(&["sub/Old.md"]),
            [("a.md".to_owned(), 1), ("a.md".to_owned(), 1)]
        );
        assert_eq!(lines(&["img/pic.png"]), [("b.md".to_owned(), 1)]);
        assert!(lines(&["Other.md"]).is_empty());
    }
}
