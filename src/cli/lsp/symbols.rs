//! Symbols: a note's outline (its headings as a tree), and the vault's
//! notes, aliases and headings found by name, or the notes a search finds.

use lsp_types::{DocumentSymbol, Location, OneOf, Position, Range, SymbolKind, WorkspaceSymbol};
use vaultkit::model::{LineIndex, Note};
use vaultkit::search::query::{Scope, Term, Text};
use vaultkit::search::{Hit, Query};
use vaultkit::vault::{FileId, NoteId};

use super::convert;
use super::fuzzy::{self, Rank};
use super::workspace::Workspace;

/// The most symbols one answer holds: the best matches.
const MOST_SYMBOLS: usize = 200;

/// The heading tree: each heading's range runs to the next heading of its
/// level or above (or the end of the note); its selection is its line.
pub fn document_symbols(note: &Note, lines: &LineIndex<'_>) -> Vec<DocumentSymbol> {
    let headings = &note.headings;
    // Open headings, outermost first, each with its level.
    let mut open: Vec<(u8, DocumentSymbol)> = Vec::new();
    let mut roots = Vec::new();
    for (i, heading) in headings.iter().enumerate() {
        let section_end = (headings[i + 1..].iter())
            .find(|next| next.level <= heading.level)
            .map_or(lines.text().len(), |next| next.span.start as usize);
        let name = match heading.text.trim() {
            "" => "#".repeat(usize::from(heading.level)),
            text => text.to_owned(),
        };
        #[allow(deprecated)] // `deprecated` has no default but must be set
        let symbol = DocumentSymbol {
            name,
            detail: None,
            kind: SymbolKind::STRING,
            tags: None,
            deprecated: None,
            range: lsp_types::Range {
                start: convert::position(lines, heading.span.start as usize),
                end: convert::position(lines, section_end),
            },
            selection_range: convert::range(lines, heading.span),
            children: None,
        };
        close_until(&mut open, &mut roots, heading.level);
        open.push((heading.level, symbol));
    }
    close_until(&mut open, &mut roots, 0);
    roots
}

/// Closes the open headings of `level` or deeper, each into its parent
/// (or the roots).
fn close_until(open: &mut Vec<(u8, DocumentSymbol)>, roots: &mut Vec<DocumentSymbol>, level: u8) {
    while open
        .last()
        .is_some_and(|(open_level, _)| *open_level >= level)
    {
        let Some((_, symbol)) = open.pop() else { break };
        match open.last_mut() {
            Some((_, parent)) => parent.children.get_or_insert_with(Vec::new).push(symbol),
            None => roots.push(symbol),
        }
    }
}

/// One name matching a workspace symbol query.
struct Found<'a> {
    rank: Rank,
    what: What,
    name: &'a str,
    workspace: &'a Workspace,
    /// The workspace's place among the workspaces.
    number: usize,
    id: NoteId,
    note: &'a Note,
}

/// What a found name names: the note, or its alias or heading by index.
#[derive(Clone, Copy)]
enum What {
    Note,
    Alias(usize),
    Heading(usize),
}

impl Found<'_> {
    /// Best match first, then notes before aliases before headings, shorter
    /// names first, in path order, and then as the workspaces and the
    /// note's aliases and headings come.
    fn order(&self) -> impl Ord + '_ {
        let (kind, index) = match self.what {
            What::Note => (0, 0),
            What::Alias(i) => (1, i),
            What::Heading(i) => (2, i),
        };
        let path = self.note.path.as_str();
        (self.rank, kind, self.name.len(), path, self.number, index)
    }
}

/// The answer to a workspace symbol query.
///
/// A query that uses Obsidian's search syntax — an operator (`tag:`,
/// `path:`, `file:`, `[prop:value]`…), a quoted phrase, a `-` negation,
/// `OR` or a `/regex/` — runs the full-text search, whose hits
/// are the symbols, best first ([`searched`]). Anything else, plain words
/// or what does not parse as a query (such as `tag:` while it is being
/// typed), is matched against names ([`named`]): editors send each
/// keystroke of a symbol's name, which must not cost a search.
pub fn workspace_symbols(workspaces: &[Workspace], query: &str) -> Vec<WorkspaceSymbol> {
    match Query::parse(query) {
        Ok(parsed) if !is_plain(&parsed) => searched(workspaces, &parsed),
        Ok(_) | Err(_) => named(workspaces, query),
    }
}

/// Whether a workspace symbol query runs the full-text search.
pub fn runs_search(query: &str) -> bool {
    Query::parse(query).is_ok_and(|parsed| !is_plain(&parsed))
}

/// Whether a query is nothing but words to find anywhere.
fn is_plain(query: &Query) -> bool {
    match query {
        Query::Text(Text {
            scope: Scope::Any,
            term: Term::Word(_),
            match_case: false,
        }) => true,
        Query::And(parts) => parts.iter().all(is_plain),
        _ => false,
    }
}

/// The notes (and files) a search finds in every vault, each vault's best
/// first, at their best matching line; in a vault whose index is not open
/// yet, the names that match the query's words ([`words`]).
fn searched(workspaces: &[Workspace], query: &Query) -> Vec<WorkspaceSymbol> {
    let mut found = Vec::new();
    for workspace in workspaces {
        let limit = MOST_SYMBOLS.saturating_sub(found.len());
        match workspace.search(query, limit) {
            Ok(Some(results)) => {
                found.extend((results.hits.iter()).filter_map(|hit| hit_symbol(workspace, hit)))
            }
            Ok(None) => {
                if let Some(words) = words(query) {
                    found.extend(named(std::slice::from_ref(workspace), &words));
                }
            }
            Err(err) => eprintln!("vaultkit lsp: search: {err:#}"),
        }
    }
    found
}

/// The words and phrases a query looks for (but not in a negation), as one
/// name to match: `file:agile` becomes `agile`; `tag:dev` has none.
fn words(query: &Query) -> Option<String> {
    let words: Vec<&str> = (query.positive_texts().into_iter())
        .filter_map(|text| match &text.term {
            Term::Word(word) | Term::Phrase(word) => Some(word.as_str()),
            Term::Regex(_) => None,
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// A search hit as a symbol: the note at its best matching line.
fn hit_symbol(workspace: &Workspace, hit: &Hit) -> Option<WorkspaceSymbol> {
    let uri = workspace.uri(workspace.live().file_id(&hit.path)?)?;
    let line = hit.line.map_or(0, |line| line.saturating_sub(1));
    let at = Position::new(line, 0);
    Some(WorkspaceSymbol {
        name: hit.title.clone(),
        kind: SymbolKind::FILE,
        tags: None,
        container_name: Some(hit.path.clone()),
        location: OneOf::Left(Location {
            uri,
            range: Range::new(at, at),
        }),
        data: None,
    })
}

/// The notes (by file name), aliases and headings of every vault whose
/// names match `query` (see [`fuzzy::Pattern::rank`]), best match first, then notes
/// before aliases before headings, shorter names first, in path order.
fn named(workspaces: &[Workspace], query: &str) -> Vec<WorkspaceSymbol> {
    let pattern = fuzzy::Pattern::new(query);
    let mut found = Vec::new();
    for (number, workspace) in workspaces.iter().enumerate() {
        let live = workspace.live();
        for (&id, folded) in workspace.note_names() {
            let aliases =
                (folded.aliases.iter().enumerate()).map(|(i, alias)| (What::Alias(i), alias));
            let headings = (folded.headings.iter().enumerate())
                .map(|(i, heading)| (What::Heading(i), heading));
            let names = std::iter::once((What::Note, &folded.title))
                .chain(aliases)
                .chain(headings);
            for (what, folded) in names {
                let Some(rank) = pattern.rank_name(folded) else {
                    continue;
                };
                let Some(note) = live.note(id) else { continue };
                let name = match what {
                    What::Note => Some(note.title.as_str()),
                    What::Alias(i) => note.aliases.get(i).map(String::as_str),
                    What::Heading(i) => note.headings.get(i).map(|heading| heading.text.as_str()),
                };
                if let Some(name) = name {
                    found.push(Found {
                        rank,
                        what,
                        name,
                        workspace,
                        number,
                        id,
                        note,
                    });
                }
            }
        }
    }
    let best = least(found, MOST_SYMBOLS, |a, b| a.order().cmp(&b.order()));
    best.iter().filter_map(symbol).collect()
}

/// The `most` first of `items` in the order `compare` gives, sorted:
/// the rest are never sorted.
fn least<T>(
    mut items: Vec<T>,
    most: usize,
    compare: impl Fn(&T, &T) -> std::cmp::Ordering,
) -> Vec<T> {
    if most == 0 {
        return Vec::new();
    }
    if items.len() > most {
        items.select_nth_unstable_by(most - 1, &compare);
        items.truncate(most);
    }
    items.sort_unstable_by(compare);
    items
}

/// The symbol of a found name: a note and its aliases at the note's start,
/// a heading at its line.
fn symbol(found: &Found<'_>) -> Option<WorkspaceSymbol> {
    let uri = found.workspace.uri(FileId::Note(found.id))?;
    let (kind, range) = match found.what {
        What::Note => (SymbolKind::FILE, lsp_types::Range::default()),
        What::Alias(_) => (SymbolKind::KEY, lsp_types::Range::default()),
        What::Heading(i) => {
            let heading = found.note.headings.get(i)?;
            let range = found.workspace.range_of(found.id, heading.span)?;
            (SymbolKind::STRING, range)
        }
    };
    Some(WorkspaceSymbol {
        name: found.name.to_owned(),
        kind,
        tags: None,
        container_name: Some(found.note.path.clone()),
        location: OneOf::Left(Location { uri, range }),
        data: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_least_items_come_sorted_as_a_whole_sort_would_give_them() {
        // Pairs equal by their first part keep apart by the second.
        let items: Vec<(u32, u32)> = (0..500).map(|i| ((i * 7919) % 61, i)).collect();
        let mut sorted = items.clone();
        sorted.sort_unstable();
        for most in [0, 1, 60, 200, 500, 600] {
            let least = least(items.clone(), most, |a, b| a.cmp(b));
            assert_eq!(least, sorted[..most.min(500)], "{most}");
        }
    }

    #[test]
    fn only_queries_with_search_syntax_run_a_search() {
        let plain = |query: &str| Query::parse(query).is_ok_and(|q| is_plain(&q));
        for query in ["git", "git branch", "Agile敏捷"] {
            assert!(plain(query), "{query}");
        }
        for query in [
            "tag:dev",
            "path:Topics",
            "file:git",
            "\"short cycles\"",
            "git -agile",
            "git OR agile",
            "[status:done]",
            "/gi+t/",
            "match-case:Git",
        ] {
            assert!(!plain(query), "{query}");
        }
    }

    #[test]
    fn headings_nest_by_level_and_sections_end_at_the_next_peer() {
        let text = "# A\nx\n### B\n## C\ny\n# D\n";
        let note = vaultkit::parse::parse_note("n.md", text).note;
        let symbols = document_symbols(&note, &LineIndex::new(text));
        let shape: Vec<String> = symbols
            .iter()
            .map(|s| {
                let children: Vec<String> = (s.children.iter().flatten())
                    .map(|c| format!("{}@{}-{}", c.name, c.range.start.line, c.range.end.line))
                    .collect();
                format!(
                    "{}@{}-{} [{}]",
                    s.name,
                    s.range.start.line,
                    s.range.end.line,
                    children.join(" ")
                )
            })
            .collect();
        assert_eq!(shape, ["A@0-5 [B@2-3 C@3-5]", "D@5-6 []"]);
    }
}
