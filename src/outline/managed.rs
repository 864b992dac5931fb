//! Keeping a generated outline inside a note: the outline goes between two
//! managed markers and its properties into the front matter; everything else
//! the author wrote stays as it was. Pure text in, text out.

use crate::parse::frontmatter;

/// Opens the generated part of a note.
pub const START: &str = "<!-- vaultkit:outline:start -->";
/// Closes the generated part of a note.
pub const END: &str = "<!-- vaultkit:outline:end -->";

/// Why a note's managed part cannot be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MarkerError {
    /// One marker without the other, markers out of order, or repeated.
    #[error("the note's `{START}` and `{END}` markers do not form one pair; fix them by hand")]
    Unpaired,
}

/// The text `existing` (or a new note) becomes with `body` between the
/// markers and `properties` (key, YAML value) set in its front matter. Other
/// front-matter keys and all text outside the markers are kept; a note
/// without markers gets them at its end. A byte-order mark and CRLF line
/// endings are kept. Applying it twice gives the same text.
pub fn splice(
    existing: Option<&str>,
    properties: &[(&str, String)],
    body: &str,
) -> Result<String, MarkerError> {
    let Some(existing) = existing else {
        return Ok(format!(
            "{}{START}\n{body}{END}\n",
            front_matter(&[], properties)
        ));
    };
    let (bom, text) = match existing.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", existing),
    };
    let crlf = text.contains("\r\n");
    let text = text.replace("\r\n", "\n");
    let (front, rest) = match frontmatter::split(&text) {
        Some(block) => (
            front_matter(&lines(block.yaml), properties),
            &text[block.body_start..],
        ),
        None => (front_matter(&[], properties), text.as_str()),
    };
    let rest = match (
        rest.match_indices(START).count(),
        rest.match_indices(END).count(),
    ) {
        (0, 0) => {
            let separator = match rest {
                "" => "",
                r if r.ends_with("\n\n") => "",
                r if r.ends_with('\n') => "\n",
                _ => "\n\n",
            };
            format!("{rest}{separator}{START}\n{body}{END}\n")
        }
        (1, 1) => {
            let start = rest.find(START).unwrap_or(0);
            let end = rest.find(END).unwrap_or(0);
            if end < start {
                return Err(MarkerError::Unpaired);
            }
            format!(
                "{}{START}\n{body}{END}{}",
                &rest[..start],
                &rest[end + END.len()..]
            )
        }
        _ => return Err(MarkerError::Unpaired),
    };
    let spliced = format!("{front}{rest}");
    let spliced = if crlf {
        spliced.replace('\n', "\r\n")
    } else {
        spliced
    };
    Ok(format!("{bom}{spliced}"))
}

/// The YAML's lines, each with its `\n`.
fn lines(yaml: &str) -> Vec<&str> {
    yaml.split_inclusive('\n').collect()
}

/// A front-matter block: the existing entries with the managed keys
/// replaced where they stand, then the managed keys not yet there.
fn front_matter(existing: &[&str], properties: &[(&str, String)]) -> String {
    let mut out = String::from("---\n");
    let mut written = vec![false; properties.len()];
    let mut skipping = false;
    for line in existing {
        if let Some(key) = top_level_key(line) {
            skipping = false;
            if let Some(p) = properties.iter().position(|(k, _)| *k == key) {
                skipping = true;
                if !written[p] {
                    written[p] = true;
                    out.push_str(&format!("{key}: {}\n", properties[p].1));
                }
                continue;
            }
        }
        if !skipping {
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    for ((key, value), done) in properties.iter().zip(written) {
        if !done {
            out.push_str(&format!("{key}: {value}\n"));
        }
    }
    out.push_str("---\n");
    out
}

/// The key a YAML line starts, when it starts a top-level entry.
fn top_level_key(line: &str) -> Option<&str> {
    let first = line.chars().next()?;
    if first.is_whitespace() || matches!(first, '-' | '#') {
        return None;
    }
    let (key, _) = line.split_once(':')?;
    Some(key.trim().trim_matches(['"', '\'']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props() -> Vec<(&'static str, String)> {
        vec![("type", "course-outline".into()), ("lessons", "3".into())]
    }

    #[test]
    fn a_new_note_gets_front_matter_and_markers() {
        let text = splice(None, &props(), "# Course\n").expect("splices");
        assert_eq!(
            text,
            format!("---\ntype: course-outline\nlessons: 3\n---\n{START}\n# Course\n{END}\n")
        );
    }

    #[test]
    fn text_outside_the_markers_and_other_keys_survive_and_it_is_idempotent() {
        let before = format!(
            "---\ntags:\n  - a\nlessons: 1\n---\nIntro.\n\n{START}\nold\n{END}\n\nOutro.\n"
        );
        let once = splice(Some(&before), &props(), "new\n").expect("splices");
        assert_eq!(
            once,
            format!(
                "---\ntags:\n  - a\nlessons: 3\ntype: course-outline\n---\nIntro.\n\n{START}\nnew\n{END}\n\nOutro.\n"
            )
        );
        assert_eq!(splice(Some(&once), &props(), "new\n").as_ref(), Ok(&once));
    }

    #[test]
    fn markers_are_appended_once_and_crlf_and_bom_are_kept() {
        let before = "\u{feff}Notes by hand.\r\n";
        let once = splice(Some(before), &props(), "new\n").expect("splices");
        assert!(once.starts_with("\u{feff}---\r\ntype: course-outline\r\n"));
        assert!(once.contains("Notes by hand.\r\n\r\n<!-- vaultkit:outline:start -->\r\nnew\r\n"));
        assert!(!once.replace("\r\n", "").contains('\n'));
        assert_eq!(splice(Some(&once), &props(), "new\n").as_ref(), Ok(&once));
    }

    #[test]
    fn unpaired_markers_are_refused() {
        let text = format!("{END}\n{START}\n");
        assert_eq!(
            splice(Some(&text), &props(), ""),
            Err(MarkerError::Unpaired)
        );
        assert_eq!(
            splice(Some(START), &props(), ""),
            Err(MarkerError::Unpaired)
        );
    }
}
