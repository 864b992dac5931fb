//! Link rules: broken links, embeds, headings and blocks; ambiguous links;
//! case mismatches. Front-matter links are checked like body links and
//! reported at their own line and column.

use super::Lookup;
use crate::model::{Diagnostic, Link, Note, Severity};
use crate::parse::title_of;
use crate::vault::resolve::AnchorMatch;
use crate::vault::{FileId, NoteId, Resolution};

/// Adds a finding for every link of the note `id` that does not lead where it says.
pub fn check(vault: &impl Lookup, id: NoteId, note: &Note, out: &mut Vec<Diagnostic>) {
    for (link, resolution) in note.links.iter().zip(vault.resolutions(id)) {
        if let Some(finding) = finding(vault, &note.path, link, resolution) {
            out.push(finding);
        }
    }
}

fn finding(
    vault: &impl Lookup,
    path: &str,
    link: &Link,
    resolution: &Resolution,
) -> Option<Diagnostic> {
    let at = |rule, severity, message: String| {
        Diagnostic::new(rule, severity, path, message).at(link.span)
    };
    let Some(target) = resolution.target else {
        let rule = if link.is_embed() {
            "broken-embed"
        } else {
            "broken-link"
        };
        let finding = at(
            rule,
            Severity::Error,
            format!(
                "`{}` leads nowhere: no note or file is named `{}`",
                link.raw, link.target
            ),
        );
        return Some(match vault.alias_owners(&link.target).first() {
            Some(owner) => {
                let owner = title_of(owner);
                finding.with_help(format!(
                    "`{}` is an alias of `{owner}`, and Obsidian does not resolve aliases: write `[[{owner}|{}]]`",
                    link.target, link.target
                ))
            }
            None => finding.with_help(missing_help(link)),
        });
    };
    match resolution.anchor {
        Some(AnchorMatch::Missing) => {
            let target_path = vault.file_path(target);
            return Some(match (&link.block, &link.heading) {
                (Some(block), _) => at(
                    "broken-block",
                    Severity::Error,
                    format!("`{}`: `{target_path}` has no block `^{block}`", link.raw),
                )
                .with_help("add ` ^id` at the end of the paragraph to link, or fix the id"),
                (None, heading) => at(
                    "broken-heading",
                    Severity::Error,
                    format!(
                        "`{}`: `{target_path}` has no heading `{}`",
                        link.raw,
                        heading.as_deref().unwrap_or_default()
                    ),
                )
                .with_help(format!(
                    "`vaultkit show \"{target_path}\"` lists its headings"
                )),
            });
        }
        Some(AnchorMatch::Found {
            exact_case: false, ..
        }) => {
            return Some(at(
                "case-mismatch",
                Severity::Info,
                format!(
                    "`{}` matches its heading only when case is ignored",
                    link.raw
                ),
            ));
        }
        _ => {}
    }
    if resolution.is_ambiguous() {
        let candidates: Vec<&str> = resolution
            .candidates
            .iter()
            .map(|&c| vault.file_path(c))
            .collect();
        // Names that differ only in Unicode normalisation look the same:
        // their code points tell them apart.
        let look_alike = (candidates.iter().map(|c| crate::vault::resolve::nfc(c)))
            .collect::<std::collections::HashSet<_>>()
            .len()
            < candidates.len();
        let shown = |path: &str| {
            if look_alike {
                path.chars()
                    .map(|c| match c.is_ascii() {
                        true => c.to_string(),
                        false => c.escape_unicode().to_string(),
                    })
                    .collect()
            } else {
                path.to_owned()
            }
        };
        let candidates: Vec<String> = candidates.into_iter().map(shown).collect();
        return Some(
            at(
                "ambiguous-link",
                Severity::Warning,
                format!(
                    "`{}` matches {} files equally well; Obsidian's rules pick `{}`",
                    link.raw,
                    candidates.len(),
                    shown(vault.file_path(target))
                ),
            )
            .with_help(format!(
                "write the path to choose one: {}",
                candidates.join(", ")
            )),
        );
    }
    if !resolution.exact_case {
        let target_path = vault.file_path(target);
        let real = match target {
            FileId::Note(_) => title_of(target_path),
            FileId::Attachment(_) => target_path.rsplit('/').next().unwrap_or_default(),
        };
        return Some(
            at(
                "case-mismatch",
                Severity::Info,
                format!(
                    "`{}` matches `{}` only when case is ignored",
                    link.raw,
                    vault.file_path(target)
                ),
            )
            .with_help(format!("write `{real}` as the file is named")),
        );
    }
    None
}

fn missing_help(link: &Link) -> String {
    if names_a_file_type(&link.target) {
        "create the file, or fix the name".to_owned()
    } else {
        format!(
            "create `{}.md`, or fix the name; a link to a non-Markdown file needs its extension",
            link.target
        )
    }
}

/// Whether a link's last segment ends in something like a file extension
/// (`.png`, `.canvas`), not merely a dot in a name (`J.D. Salinger`,
/// `2021.07.17`): those name notes, so Obsidian would create `<name>.md`.
fn names_a_file_type(target: &str) -> bool {
    let name = target.rsplit('/').next().unwrap_or_default();
    name.rsplit_once('.').is_some_and(|(_, extension)| {
        extension.chars().all(|c| c.is_ascii_alphanumeric())
            && extension.chars().any(|c| c.is_ascii_alphabetic())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::each_note;
    use crate::vault::Vault;

    fn rules(notes: &[(&str, &str)]) -> Vec<(&'static str, u32)> {
        let vault = Vault::from_sources(notes.iter().copied(), ["pic.png"]);
        let out = each_note(&vault, check);
        out.iter()
            .map(|d| (d.rule, d.span.map_or(0, |s| s.line)))
            .collect()
    }

    #[test]
    fn each_link_rule_fires_and_stays_quiet() {
        let notes = [
            (
                "a.md",
                "[[b]]\n[[nope]]\n![[nope.png]]\n[[b#Nope]]\n[[b#^nope]]\n[[B]]\n[[b#head]]\n[[Note]]\n![[pic.png]]\n[[b#Head]]\n[[b#^id]]",
            ),
            ("b.md", "# Head\ntext ^id\n"),
            ("x/Note.md", ""),
            ("y/Note.md", ""),
        ];
        assert_eq!(
            rules(&notes),
            [
                ("broken-link", 2),
                ("broken-embed", 3),
                ("broken-heading", 4),
                ("broken-block", 5),
                ("case-mismatch", 6),
                ("case-mismatch", 7),
                ("ambiguous-link", 8),
            ]
        );
    }

    #[test]
    fn property_links_are_checked_at_their_line() {
        let notes = [("a.md", "---\nrelated:\n  - \"[[gone]]\"\n---\n")];
        assert_eq!(rules(&notes), [("broken-link", 3)]);
    }

    #[test]
    fn a_link_to_an_alias_says_how_to_write_it() {
        let vault = Vault::from_sources(
            [
                ("a.md", "[[AI]]"),
                ("Artificial Intelligence.md", "---\naliases: [AI]\n---\n"),
            ],
            Vec::<String>::new(),
        );
        let out = each_note(&vault, check);
        assert_eq!(out[0].rule, "broken-link");
        assert!(
            out[0]
                .help
                .as_deref()
                .unwrap_or_default()
                .contains("[[Artificial Intelligence|AI]]")
        );
    }

    #[test]
    fn only_a_real_extension_makes_a_missing_link_a_file() {
        assert!(names_a_file_type("pics/Figure 1.png"));
        assert!(names_a_file_type("Board.canvas"));
        for note in [
            "J.D. Salinger",
            "E. M. Forster",
            "2021.07.17",
            "Publish.",
            "a.b/Note",
        ] {
            assert!(!names_a_file_type(note), "{note}");
        }
    }
}
