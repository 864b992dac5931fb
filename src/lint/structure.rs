//! Structure rules: empty sections, empty notes and orphans.

use super::Lookup;
use crate::model::{Diagnostic, Note, Severity};
use crate::vault::{FileId, NoteId};

/// Adds findings for a note's empty sections, for an empty note, and for
/// an orphan when asked for.
pub fn check(
    vault: &impl Lookup,
    id: NoteId,
    note: &Note,
    with_orphans: bool,
    out: &mut Vec<Diagnostic>,
) {
    empty_sections(note, out);
    if !note.has_body && note.properties.is_empty() {
        out.push(
            Diagnostic::new(
                "empty-note",
                Severity::Warning,
                note.path.as_str(),
                "the note is empty",
            )
            .with_help("write something in it, or delete it"),
        );
    }
    if with_orphans && is_orphan(vault, id) {
        out.push(
            Diagnostic::new(
                "orphan-note",
                Severity::Warning,
                note.path.as_str(),
                "no note links here and this note links nowhere",
            )
            .with_help("link it from a related note or a map of content"),
        );
    }
}

/// A note with no link in or out; links to itself do not count, and an
/// unresolved link is a link out.
fn is_orphan(vault: &impl Lookup, id: NoteId) -> bool {
    let links_out = (vault.resolutions(id).iter()).any(|r| r.target != Some(FileId::Note(id)));
    !links_out && !vault.linked_from_others(id)
}

/// A heading is an empty section when nothing follows it before the next
/// heading of the same or a higher level. A first heading that repeats the
/// note's title is the title, not a section.
fn empty_sections(note: &Note, out: &mut Vec<Diagnostic>) {
    for (i, heading) in note.headings.iter().enumerate() {
        let is_title =
            i == 0 && heading.level == 1 && heading.text.eq_ignore_ascii_case(&note.title);
        let has_subsections = note
            .headings
            .get(i + 1)
            .is_some_and(|next| next.level > heading.level);
        if heading.has_content || has_subsections || is_title {
            continue;
        }
        out.push(
            Diagnostic::new(
                "empty-section",
                Severity::Info,
                note.path.as_str(),
                format!("`{}` has nothing under it yet", heading.text),
            )
            .at(heading.span),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::each_note;
    use crate::vault::Vault;

    fn findings(notes: &[(&str, &str)], with_orphans: bool) -> Vec<(String, &'static str, u32)> {
        let vault = Vault::from_sources(notes.iter().copied(), Vec::<String>::new());
        let out = each_note(&vault, |vault, id, note, out| {
            check(vault, id, note, with_orphans, out);
        });
        out.iter()
            .map(|d| (d.path.clone(), d.rule, d.span.map_or(0, |s| s.line)))
            .collect()
    }

    #[test]
    fn empty_sections_skip_the_title_and_parents() {
        let note = "# n\n\n# Parent\n## Child\ntext\n## Empty\n# Last\n";
        assert_eq!(
            findings(&[("n.md", note)], false),
            [
                ("n.md".into(), "empty-section", 6),
                ("n.md".into(), "empty-section", 7)
            ]
        );
    }

    #[test]
    fn empty_notes_and_orphans() {
        let notes = [
            ("a.md", "[[b]]"),
            ("b.md", "text"),
            ("c.md", "alone"),
            ("d.md", "  \n"),
            ("e.md", "---\ntype: x\n---\n"),
        ];
        let found = findings(&notes, true);
        assert!(found.contains(&("d.md".into(), "empty-note", 0)));
        assert!(!found.iter().any(|f| f.0 == "e.md" && f.1 == "empty-note"));
        let orphans: Vec<_> = found
            .iter()
            .filter(|f| f.1 == "orphan-note")
            .map(|f| f.0.as_str())
            .collect();
        assert_eq!(orphans, ["c.md", "d.md", "e.md"]);
        assert!(!findings(&notes, false).iter().any(|f| f.1 == "orphan-note"));
    }
}
