//! `mv`: notes, attachments and folders moved, or a heading renamed, with
//! every link rewritten so that it leads where it led before.
//!
//! The planner records how every link resolves, makes the move in the live
//! vault (in memory), and looks at each link whose resolution changed: one
//! to a moved file written as a path that no longer leads there, one in a
//! moved note whose relative path or same-folder tie-break no longer holds,
//! one that a moved file would now capture or make ambiguous. Each gets the
//! shortest text that leads to its old target in the moved vault (a full
//! path stays a full path, a relative path stays relative), checked with
//! the vault's resolver, and only its path part is rewritten. A link that
//! cannot be written so is a [`Refusal`].
//!
//! A heading or a block id renamed is rewritten in its note, and so is the
//! heading chain or block id of every link to it.

use std::collections::hash_map::Entry;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::link_text::{self, Located, Style};
use super::plan::{FileEdit, Move, Plan, Replacement};
use crate::error::{Error, Result};
use crate::model::{Heading, Link};
use crate::parse::{decode, parse_note};
use crate::vault::live::LiveVault;
use crate::vault::resolve::{AnchorMatch, find_block, find_heading, fold};
use crate::vault::{FileId, NoteId, Resolution};

/// What to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// Files (notes or attachments) or folders, each to a new vault path.
    Paths(Vec<Move>),
    /// The heading of the note at `note` (by index in its headings) given the text `text`.
    Heading {
        /// The note's vault path.
        note: String,
        /// Which heading.
        index: usize,
        /// Its new text.
        text: String,
    },
    /// The block id of the note at `note` (by index in its blocks) renamed to `id`.
    Block {
        /// The note's vault path.
        note: String,
        /// Which block id.
        index: usize,
        /// Its new id (without `^`).
        id: String,
    },
}

impl Request {
    /// What `mv SRC… DEST` asks of `vault`. Each source is a vault path of
    /// a file or a folder, else a name resolved like a wikilink from the
    /// vault root, else `NOTE#Heading` or `NOTE#^id` (alone, DEST being the
    /// heading's new text or the new block id). With several sources, or when `into_folder` (DEST is a folder
    /// already), each goes into the folder DEST under its own name; else
    /// DEST is its new path (a note's gets `.md` when it has none).
    pub fn new(
        vault: &LiveVault,
        sources: &[String],
        dest: &str,
        into_folder: bool,
    ) -> Result<Self> {
        if let [source] = sources
            && vault.file_id(source).is_none()
            && files_under(vault, source).is_empty()
            && let Some((note, chain)) = source.split_once('#')
        {
            let id = match find_file(vault, note)? {
                FileId::Note(id) => id,
                FileId::Attachment(_) => {
                    return Err(Error::refused(note, "not a note: it has no headings"));
                }
            };
            let note = vault.note(id);
            let path = vault.file_path(FileId::Note(id)).unwrap_or_default();
            if let Some(block) = chain.strip_prefix('^') {
                let blocks = note.map(|n| n.blocks.as_slice()).unwrap_or_default();
                let AnchorMatch::Found { index, .. } = find_block(blocks, block) else {
                    return Err(Error::refused(source, "the note has no such block id"));
                };
                return Ok(Self::Block {
                    note: path.to_owned(),
                    index,
                    id: dest.to_owned(),
                });
            }
            let headings = note.map(|n| n.headings.as_slice()).unwrap_or_default();
            let Some(AnchorMatch::Found { index, .. }) = find_heading(headings, chain) else {
                return Err(Error::refused(source, "the note has no such heading"));
            };
            return Ok(Self::Heading {
                note: path.to_owned(),
                index,
                text: dest.to_owned(),
            });
        }
        let dest = inside(dest)?;
        let into_folder = into_folder || sources.len() > 1;
        let mut moves = Vec::new();
        for source in sources {
            let from = inside(source)?;
            let (from, is_note) =
                if vault.file_id(&from).is_some() || !files_under(vault, &from).is_empty() {
                    let is_note = matches!(vault.file_id(&from), Some(FileId::Note(_)));
                    (from, is_note)
                } else {
                    let file = find_file(vault, source)?;
                    let path = vault.file_path(file).unwrap_or_default().to_owned();
                    (path, matches!(file, FileId::Note(_)))
                };
            let name = from.rsplit('/').next().unwrap_or(&from);
            let to = if into_folder {
                if dest.is_empty() {
                    name.to_owned()
                } else {
                    format!("{dest}/{name}")
                }
            } else if is_note && !fold(&dest).ends_with(".md") {
                format!("{dest}.md")
            } else {
                dest.clone()
            };
            if to.is_empty() {
                return Err(Error::refused(
                    source,
                    "the destination is the vault itself",
                ));
            }
            moves.push(Move { from, to });
        }
        Ok(Self::Paths(moves))
    }
}

/// `path` as a vault path; refused when it leads out of the vault.
fn inside(path: &str) -> Result<String> {
    let trimmed = path.trim_matches('/');
    let outside = path.starts_with('/') || trimmed.split('/').any(|part| part == "..");
    if outside {
        return Err(Error::refused(path, "it is outside the vault"));
    }
    let parts: Vec<&str> = trimmed
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    Ok(parts.join("/"))
}

/// The file a name leads to from the vault root, as a wikilink would;
/// refused when none does, or several tie.
fn find_file(vault: &LiveVault, name: &str) -> Result<FileId> {
    let name = name.trim();
    let found = vault.resolve_path(name, "");
    match found.target {
        Some(_) if found.candidates.len() > 1 => {
            let paths: Vec<&str> = (found.candidates.iter())
                .filter_map(|&c| vault.file_path(c))
                .collect();
            Err(Error::refused(
                name,
                format!(
                    "it names {} files ({}); give a vault path",
                    paths.len(),
                    paths.join(", ")
                ),
            ))
        }
        Some(file) => Ok(file),
        None => Err(Error::refused(
            name,
            "no note, attachment or folder of the vault is there",
        )),
    }
}

/// A link the move cannot keep leading where it led.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Its note's vault path (before the move).
    pub path: String,
    /// 1-based line and column of the link.
    pub line: u32,
    /// See `line`.
    pub column: u32,
    /// The link as written.
    pub raw: String,
    /// Why.
    pub reason: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (path, line, column) = (&self.path, self.line, self.column);
        write!(f, "{path}:{line}:{column}: {}: {}", self.raw, self.reason)
    }
}

/// The plan of a move, and the links it was refused for.
#[derive(Debug, Default)]
pub struct Planned {
    /// The moves and the rewritten notes.
    pub plan: Plan,
    /// Links that cannot keep their meaning; when there are any, the plan
    /// must not be applied.
    pub refusals: Vec<Refusal>,
}

/// Reads a file of the vault by vault path.
pub type Read<'a> = &'a (dyn Fn(&str) -> Result<Vec<u8>> + Sync);

/// Plans `request` in `vault` (which is left moved), reading the notes to
/// rewrite with `read`. Refuses, as an error, a source that is not in the
/// vault and a destination that is taken.
pub fn plan(vault: &mut LiveVault, request: &Request, read: Read<'_>) -> Result<Planned> {
    match request {
        Request::Paths(moves) => plan_moves(vault, moves, read),
        Request::Heading { note, index, text } => plan_heading(vault, note, *index, text, read),
        Request::Block { note, index, id } => plan_block(vault, note, *index, id, read),
    }
}

/// Plans `request` as [`plan`] does, then puts `vault` back as it was
/// (whether the plan was made or refused): for a caller that keeps its
/// vault, such as an editor's server, which leaves the writing to the editor.
/// `read` must give each note's text as `vault` holds it.
pub fn preview(vault: &mut LiveVault, request: &Request, read: Read<'_>) -> Result<Planned> {
    let kept = match request {
        Request::Paths(_) => None,
        Request::Heading { note, .. } | Request::Block { note, .. } => vault
            .note_id(note)
            .map(|id| (note.as_str(), id, vault.buffer(id).map(str::to_owned))),
    };
    let planned = plan(vault, request, read);
    let undone = match (request, kept) {
        (Request::Paths(moves), _) => moves.iter().rev().try_for_each(|step| {
            let (from, to) = (step.from.trim_matches('/'), step.to.trim_matches('/'));
            if vault.file_id(to).is_some() && vault.file_id(from).is_none() {
                vault.rename(to, from).map(drop)
            } else if files_under(vault, from).is_empty() && !files_under(vault, to).is_empty() {
                vault.rename_folder(to, from).map(drop)
            } else {
                Ok(())
            }
        }),
        (_, Some((path, id, was))) if vault.buffer(id) != was.as_deref() => {
            let text = match was {
                Some(text) => text,
                None => decode(path, &read(path)?).0.into_owned(),
            };
            vault.upsert_note(path, &text).map(drop)
        }
        _ => Ok(()),
    };
    undone.map_err(|err| Error::refused("", format!("the vault could not be put back: {err}")))?;
    planned
}

/// A note's links as they resolved before the change.
type Before = FxHashMap<NoteId, Vec<Resolution>>;

fn plan_moves(vault: &mut LiveVault, moves: &[Move], read: Read<'_>) -> Result<Planned> {
    let before: Before = (vault.note_ids())
        .map(|id| (id, vault.resolutions(id).to_vec()))
        .collect();
    // Where each moved file was: a full-path link is recognised by it.
    let mut old_paths: FxHashMap<FileId, String> = FxHashMap::default();
    let mut changed: FxHashSet<NoteId> = FxHashSet::default();
    let mut moved_notes: FxHashSet<NoteId> = FxHashSet::default();
    for step in moves {
        let (from, to) = (step.from.trim_matches('/'), step.to.trim_matches('/'));
        let changes = if vault.file_id(from).is_some() {
            check_free(vault, to)?;
            old_paths.extend(vault.file_id(from).map(|id| (id, from.to_owned())));
            vault.rename(from, to)
        } else {
            let files = files_under(vault, from);
            if files.is_empty() {
                return Err(Error::refused(
                    from,
                    "no file or folder of the vault is there",
                ));
            }
            check_free(vault, to)?;
            for (path, id) in files {
                old_paths.entry(id).or_insert(path);
            }
            vault.rename_folder(from, to)
        }
        .map_err(|err| Error::refused(to, err.to_string()))?;
        changed.extend(changes.resolutions);
        moved_notes.extend(changes.moved.iter().filter_map(|file| match file {
            FileId::Note(id) => Some(*id),
            FileId::Attachment(_) => None,
        }));
    }
    let mut planner = Planner::new(vault, read, &old_paths);
    let mut changed: Vec<NoteId> = changed.union(&moved_notes).copied().collect();
    changed.sort_by_key(|&id| planner.old_path(FileId::Note(id)));
    // The links to rewrite, each with the file it led to.
    let mut repaths: Vec<(NoteId, usize, Link, FileId)> = Vec::new();
    for source in changed {
        let Some(before) = before.get(&source) else {
            continue;
        };
        let after = planner.vault.resolutions(source);
        let links = planner.vault.note(source).map(|n| n.links.as_slice());
        for (i, link) in links.into_iter().flatten().enumerate() {
            let (Some(was), Some(now)) = (before.get(i), after.get(i)) else {
                continue;
            };
            // A moved note's relative links are written anew even where
            // they still lead there: relative to where the note is now.
            let kept = now.target == was.target
                && (!now.is_ambiguous() || was.is_ambiguous())
                && !(moved_notes.contains(&source) && is_relative(&link.target));
            if link.is_self() || kept {
                continue;
            }
            if let Some(target) = was.target {
                repaths.push((source, i, link.clone(), target));
            }
        }
    }
    planner.read_all(repaths.iter().map(|(source, ..)| *source))?;
    for (source, i, link, target) in repaths {
        planner.repath(source, i, &link, target)?;
    }
    let mut plan = planner.finish()?;
    plan.plan.moves = moves.to_vec();
    Ok(plan)
}

/// Refuses `to` when a file of the vault is there or under it.
fn check_free(vault: &LiveVault, to: &str) -> Result<()> {
    if vault.file_id(to).is_some() || !files_under(vault, to).is_empty() {
        return Err(Error::refused(
            to,
            "a file or folder of the vault is already there",
        ));
    }
    Ok(())
}

/// The files under the folder `folder`, with their ids.
fn files_under(vault: &LiveVault, folder: &str) -> Vec<(String, FileId)> {
    let prefix = format!("{}/", folder.trim_matches('/'));
    (vault.files())
        .filter(|(path, _)| path.starts_with(&prefix))
        .map(|(path, id)| (path.to_owned(), id))
        .collect()
}

fn plan_heading(
    vault: &mut LiveVault,
    path: &str,
    index: usize,
    text: &str,
    read: Read<'_>,
) -> Result<Planned> {
    let refuse = |reason: &str| Error::refused(path, reason);
    let new_text = text.trim();
    if new_text.is_empty() || new_text.contains(['\n', '\r']) {
        return Err(refuse("the new heading must be one line of text"));
    }
    if new_text.contains("[[") || new_text.contains("](") {
        return Err(refuse(
            "a heading with a link in it cannot be renamed by mv",
        ));
    }
    let id = vault
        .note_id(path)
        .ok_or_else(|| refuse("no note of the vault is there"))?;
    let old_headings: Vec<Heading> = vault
        .note(id)
        .map(|n| n.headings.clone())
        .unwrap_or_default();
    let heading = old_headings
        .get(index)
        .ok_or_else(|| refuse("no such heading"))?;
    if heading.text.contains("[[") || heading.text.contains("](") {
        return Err(refuse(
            "a heading with a link in it cannot be renamed by mv",
        ));
    }
    let old_text = heading.text.to_string();
    let no_moves = FxHashMap::default();
    let mut planner = Planner::new(vault, read, &no_moves);
    let text_before = planner.text(path)?.before.clone();
    if parse_note(path, &text_before).note.headings != old_headings {
        return Err(refuse(
            "it changed since the vault was read; run the command again",
        ));
    }
    // The text follows the `#` markers of an ATX heading (a setext heading
    // has none): found there, not in the markers.
    let line = (text_before.get(heading.span.start as usize..heading.span.end as usize))
        .unwrap_or_default();
    let markers = line.len() - line.trim_start().trim_start_matches('#').len();
    let at = (line[markers..].find(old_text.as_str()))
        .map(|i| heading.span.start as usize + markers + i)
        .ok_or_else(|| refuse("the heading is not in the note as it was read"))?;
    let heading_edit = Replacement::new(at, at + old_text.len(), new_text.to_owned());
    let renamed = super::plan::replace(&text_before, std::slice::from_ref(&heading_edit));
    let links_before = planner
        .vault
        .backlinks(FileId::Note(id))
        .collect::<Vec<_>>();
    let before: Vec<(NoteId, usize, Link, AnchorMatch)> = (links_before.into_iter())
        .filter_map(|at| {
            let link = planner.vault.link(at)?.clone();
            let found = find_heading(&old_headings, link.heading.as_deref()?)?;
            Some((at.source, at.link as usize, link, found))
        })
        .collect();
    planner
        .vault
        .upsert_note(path, &renamed)
        .map_err(|err| refuse(&err.to_string()))?;
    planner.add(path, heading_edit);
    let new_headings: Vec<Heading> = (planner.vault.note(id))
        .map(|n| n.headings.clone())
        .unwrap_or_default();
    if new_headings.len() != old_headings.len() {
        return Err(refuse("the new text would change the note's headings"));
    }
    let old_words = crate::vault::resolve::normalize_heading(&old_text);
    for (source, i, link, found) in before {
        let AnchorMatch::Found { index: meant, .. } = found else {
            continue;
        };
        let Some(chain) = link.heading.as_deref() else {
            continue;
        };
        let chain: Vec<&str> = chain.split('#').collect();
        let new_chain: Vec<String> = (chain.iter())
            .map(|segment| {
                let same =
                    fold(&crate::vault::resolve::normalize_heading(segment)) == fold(&old_words);
                if same {
                    link_heading(new_text)
                } else {
                    (*segment).to_owned()
                }
            })
            .collect();
        let rewritten = new_chain.iter().zip(&chain).any(|(n, o)| n != o);
        let new_chain = new_chain.join("#");
        let leads = matches!(
            find_heading(&new_headings, &new_chain),
            Some(AnchorMatch::Found { index, .. }) if index == meant
        );
        if !leads {
            planner.refuse(
                source,
                &link,
                format!(
                    "it would no longer lead to the heading `{}` (another heading has its words)",
                    new_headings[meant].text
                ),
            )?;
        } else if rewritten {
            planner.reanchor(source, i, &link, Anchor::Heading(&new_chain))?;
        }
    }
    planner.finish()
}

/// A heading's text as a link writes it: the characters that end or split
/// a link's target turned into spaces (the words still match the heading).
fn link_heading(text: &str) -> String {
    let spaced: String = (text.chars())
        .map(|c| if "#|^[]".contains(c) { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn plan_block(
    vault: &mut LiveVault,
    path: &str,
    index: usize,
    id: &str,
    read: Read<'_>,
) -> Result<Planned> {
    let refuse = |reason: &str| Error::refused(path, reason);
    let new_id = id.trim().trim_start_matches('^');
    if new_id.is_empty()
        || !new_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(refuse("a block id is made of letters, digits and `-` only"));
    }
    let note = vault
        .note_id(path)
        .ok_or_else(|| refuse("no note of the vault is there"))?;
    let old_blocks = (vault.note(note))
        .map(|n| n.blocks.clone())
        .unwrap_or_default();
    let block = old_blocks
        .get(index)
        .ok_or_else(|| refuse("no such block id"))?;
    if block.id == new_id {
        return Ok(Planned::default());
    }
    if old_blocks.iter().any(|other| other.id == new_id) {
        return Err(refuse("another block of the note has that id"));
    }
    let links: Vec<(NoteId, usize, Link)> = (vault.backlinks(FileId::Note(note)))
        .filter_map(|at| {
            let link = vault.link(at)?;
            (link.block.as_deref() == Some(block.id.as_str()))
                .then(|| (at.source, at.link as usize, link.clone()))
        })
        .collect();
    let no_moves = FxHashMap::default();
    let mut planner = Planner::new(vault, read, &no_moves);
    let text_before = planner.text(path)?.before.clone();
    if parse_note(path, &text_before).note.blocks != old_blocks {
        return Err(refuse(
            "it changed since the vault was read; run the command again",
        ));
    }
    // The span is the `^` and the id: only the id is replaced.
    let id_edit = Replacement::new(
        block.span.start as usize + 1,
        block.span.end as usize,
        new_id.to_owned(),
    );
    let renamed = super::plan::replace(&text_before, std::slice::from_ref(&id_edit));
    planner
        .vault
        .upsert_note(path, &renamed)
        .map_err(|err| refuse(&err.to_string()))?;
    let new_ids: Vec<String> = (planner.vault.note(note).into_iter())
        .flat_map(|n| n.blocks.iter().map(|b| b.id.to_string()))
        .collect();
    let expected: Vec<String> = (old_blocks.iter().enumerate())
        .map(|(i, b)| {
            if i == index {
                new_id.to_owned()
            } else {
                b.id.to_string()
            }
        })
        .collect();
    if new_ids != expected {
        return Err(refuse("the new id would change the note's other block ids"));
    }
    planner.add(path, id_edit);
    for (source, i, link) in links {
        planner.reanchor(source, i, &link, Anchor::Block(new_id))?;
    }
    planner.finish()
}

/// The new anchor of a link: a heading chain, or a block id.
#[derive(Debug, Clone, Copy)]
enum Anchor<'a> {
    Heading(&'a str),
    Block(&'a str),
}

/// The notes read so far and their replacements, gathered into a plan.
struct Planner<'v, 'r> {
    vault: &'v mut LiveVault,
    read: Read<'r>,
    /// Where moved files were.
    old_paths: &'r FxHashMap<FileId, String>,
    /// Notes read, by vault path before the move.
    texts: FxHashMap<String, Text>,
    refusals: Vec<Refusal>,
}

/// What a rewritten link reads as once rewritten.
struct Rewritten {
    target: String,
    heading: Option<String>,
    block: Option<String>,
}

impl Rewritten {
    /// `link` as it is.
    fn of(link: &Link) -> Self {
        Self {
            target: link.target.to_string(),
            heading: link.heading.as_ref().map(ToString::to_string),
            block: link.block.as_ref().map(ToString::to_string),
        }
    }
}

/// A note as read, and the replacements planned in it.
struct Text {
    read: Vec<u8>,
    before: String,
    /// The links of the text read, checked against the vault's.
    links: Vec<Link>,
    /// What each rewritten link becomes (by link index).
    rewritten: FxHashMap<usize, Rewritten>,
    replacements: Vec<Replacement>,
}

impl Text {
    /// Reads the note at `path` with `read`; refuses one that is not UTF-8.
    fn read(read: Read<'_>, path: &str) -> Result<Self> {
        let bytes = read(path)?;
        let (text, problem) = decode(path, &bytes);
        if problem.is_some() {
            return Err(Error::refused(
                path,
                "it is not valid UTF-8 text, so its links cannot be rewritten; save it as UTF-8 first",
            ));
        }
        let before = text.into_owned();
        let links = parse_note(path, &before).note.links;
        Ok(Self {
            read: bytes,
            before,
            links,
            rewritten: FxHashMap::default(),
            replacements: Vec::new(),
        })
    }

    /// The edit of this note, and whether its new text reads back to the
    /// links planned.
    fn into_edit(mut self, path: String) -> (FileEdit, bool) {
        self.replacements.sort_by_key(|r| r.start);
        let edit = FileEdit::new(path, self.read, self.before, self.replacements);
        let reparsed = parse_note(&edit.path, &edit.after).note.links;
        let planned = (self.links.iter().enumerate()).map(|(i, link)| {
            self.rewritten
                .remove(&i)
                .unwrap_or_else(|| Rewritten::of(link))
        });
        let same = reparsed.len() == self.links.len()
            && planned.zip(&reparsed).all(|(planned, got)| {
                got.target == planned.target
                    && got.heading.as_deref() == planned.heading.as_deref()
                    && got.block.as_deref() == planned.block.as_deref()
            });
        (edit, same)
    }
}

impl<'v, 'r> Planner<'v, 'r> {
    fn new(
        vault: &'v mut LiveVault,
        read: Read<'r>,
        old_paths: &'r FxHashMap<FileId, String>,
    ) -> Self {
        Self {
            vault,
            read,
            old_paths,
            texts: FxHashMap::default(),
            refusals: Vec::new(),
        }
    }

    /// Where a file was before the move.
    fn old_path(&self, file: FileId) -> String {
        match self.old_paths.get(&file) {
            Some(path) => path.clone(),
            None => self.vault.file_path(file).unwrap_or_default().to_owned(),
        }
    }

    /// The note at `path` (before the move), read once; its links must be
    /// the vault's, else it changed since the vault was read.
    fn text(&mut self, path: &str) -> Result<&mut Text> {
        match self.texts.entry(path.to_owned()) {
            Entry::Occupied(found) => Ok(found.into_mut()),
            Entry::Vacant(vacant) => Ok(vacant.insert(Text::read(self.read, path)?)),
        }
    }

    /// Reads (and parses) these notes not read yet, on all cores: the
    /// notes a plan rewrites are known before any is rewritten.
    fn read_all(&mut self, notes: impl Iterator<Item = NoteId>) -> Result<()> {
        let mut paths: Vec<String> = notes
            .map(|id| self.old_path(FileId::Note(id)))
            .filter(|path| !self.texts.contains_key(path))
            .collect();
        paths.sort_unstable();
        paths.dedup();
        let read = self.read;
        let texts: Vec<Text> = (paths.par_iter())
            .map(|path| Text::read(read, path))
            .collect::<Result<_>>()?;
        self.texts.extend(paths.into_iter().zip(texts));
        Ok(())
    }

    /// Adds a replacement in the note at `path` (before the move).
    fn add(&mut self, path: &str, replacement: Replacement) {
        if let Some(text) = self.texts.get_mut(path) {
            text.replacements.push(replacement);
        }
    }

    /// The note `source` as read, with link `i` located in it (checked to
    /// be the vault's link); `None` (and a refusal) when it cannot be.
    fn locate(&mut self, source: NoteId, i: usize, link: &Link) -> Result<Option<Located>> {
        let path = self.old_path(FileId::Note(source));
        let text = self.text(&path)?;
        if text.links.get(i) != Some(link) {
            return Err(Error::refused(
                path,
                "it changed since the vault was read; run the command again",
            ));
        }
        let located = link_text::locate(&text.before, link);
        if located.is_none() {
            self.refuse(
                source,
                link,
                "its target cannot be rewritten in place (it is written with escapes, or in reference style); rewrite it by hand first".into(),
            )?;
        }
        Ok(located)
    }

    /// Rewrites the path of link `i` of `source` so that it leads to
    /// `target` in the moved vault, in the link's own form.
    fn repath(&mut self, source: NoteId, i: usize, link: &Link, target: FileId) -> Result<()> {
        let Some(located) = self.locate(source, i, link)? else {
            return Ok(());
        };
        match self.new_path(source, link, target, located.style) {
            Ok(path) if path == link.target => Ok(()),
            Ok(path) => {
                let written = link_text::write(&path, located.style, located.quote);
                let old = self.old_path(FileId::Note(source));
                let text = self.text(&old)?;
                let rewritten = Rewritten {
                    target: path,
                    ..Rewritten::of(link)
                };
                text.rewritten.insert(i, rewritten);
                text.replacements.push(Replacement::new(
                    located.path.start,
                    located.path.end,
                    written,
                ));
                Ok(())
            }
            Err(reason) => self.refuse(source, link, reason),
        }
    }

    /// Rewrites the heading chain or block id of link `i` of `source` to `anchor`.
    fn reanchor(&mut self, source: NoteId, i: usize, link: &Link, anchor: Anchor) -> Result<()> {
        let Some(located) = self.locate(source, i, link)? else {
            return Ok(());
        };
        let Some(subpath) = located.subpath else {
            return self.refuse(source, link, "its anchor is not where it was read".into());
        };
        let old = self.old_path(FileId::Note(source));
        let text = self.text(&old)?;
        let (replaced, new_text) = match anchor {
            Anchor::Heading(chain) => (subpath, chain),
            // The `^` stays as written (a Markdown link may encode it).
            Anchor::Block(id) => match link_text::caret_len(&text.before[subpath.clone()]) {
                Some(caret) => (subpath.start + caret..subpath.end, id),
                None => {
                    let reason = "its block id is not where it was read".into();
                    return self.refuse(source, link, reason);
                }
            },
        };
        let written = link_text::write(new_text, located.style, located.quote);
        let entry = text
            .rewritten
            .entry(i)
            .or_insert_with(|| Rewritten::of(link));
        match anchor {
            Anchor::Heading(chain) => entry.heading = Some(chain.to_owned()),
            Anchor::Block(id) => entry.block = Some(id.to_owned()),
        }
        text.replacements
            .push(Replacement::new(replaced.start, replaced.end, written));
        Ok(())
    }

    /// Notes that `link` of `source` cannot be kept, for `reason`.
    fn refuse(&mut self, source: NoteId, link: &Link, reason: String) -> Result<()> {
        self.refusals.push(Refusal {
            path: self.old_path(FileId::Note(source)),
            line: link.span.line,
            column: link.span.column,
            raw: link.raw.clone(),
            reason,
        });
        Ok(())
    }

    /// The path text that leads from `source` to `target` in the vault as
    /// it is now: relative if the link was, the full path if the link was
    /// written as one, else the shortest ending of the target's path that
    /// leads there and nowhere else.
    fn new_path(
        &self,
        source: NoteId,
        link: &Link,
        target: FileId,
        style: Style,
    ) -> Result<String, String> {
        let vault = &*self.vault;
        let target_path = vault.file_path(target).unwrap_or_default();
        let source_path = vault.note(source).map_or("", |n| n.path.as_str());
        let written = link.target.trim().replace('\\', "/");
        let is_note = matches!(target, FileId::Note(_));
        let keeps_md = !is_note || fold(&written).ends_with(".md");
        let spelled = |path: &str| -> String {
            if keeps_md {
                path.to_owned()
            } else {
                path.get(..path.len() - 3).unwrap_or(path).to_owned()
            }
        };
        let old_target = self.old_path(target);
        let unrooted = written.trim_start_matches('/');
        let full = unrooted.contains('/')
            && (fold(unrooted) == fold(&old_target)
                || format!("{}.md", fold(unrooted)) == fold(&old_target));
        let mut candidates = Vec::new();
        if is_relative(&written) {
            candidates.push(relative(source_path, &spelled(target_path)));
        } else if full {
            let rooted = if written.starts_with('/') { "/" } else { "" };
            candidates.push(format!("{rooted}{}", spelled(target_path)));
        }
        let path = spelled(target_path);
        let parts: Vec<&str> = path.split('/').collect();
        candidates.extend((1..=parts.len()).map(|k| parts[parts.len() - k..].join("/")));
        if style == Style::Wiki && (path.contains(['#', '|', '^']) || path.contains("]]")) {
            return Err(format!(
                "`{target_path}` cannot be named in a wikilink (it holds `#`, `|`, `^` or `]]`)"
            ));
        }
        candidates
            .into_iter()
            .find(|candidate| {
                let found = vault.resolve_path(candidate, source_path);
                found.target == Some(target) && found.candidates.len() <= 1
            })
            .ok_or_else(|| {
                format!("no link text would lead to `{target_path}` alone from `{source_path}`")
            })
    }

    /// The plan: every note's edit, each checked to parse to the links
    /// planned; with the refusals.
    fn finish(self) -> Result<Planned> {
        let mut edits = Vec::new();
        let mut refusals = self.refusals;
        let checked: Vec<(FileEdit, bool)> = (self.texts.into_par_iter())
            .filter(|(_, text)| !text.replacements.is_empty())
            .map(|(path, text)| text.into_edit(path))
            .collect();
        for (edit, same) in checked {
            if !same {
                refusals.push(Refusal {
                    path: edit.path.clone(),
                    line: 1,
                    column: 1,
                    raw: String::new(),
                    reason: "its links would not read back as planned once rewritten".into(),
                });
            }
            edits.push(edit);
        }
        edits.sort_by(|a, b| a.path.cmp(&b.path));
        refusals.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
        Ok(Planned {
            plan: Plan {
                moves: Vec::new(),
                edits,
            },
            refusals,
        })
    }
}

/// Whether a link path is written relative to its note's folder.
fn is_relative(written: &str) -> bool {
    let written = written.trim();
    written.starts_with("./") || written.starts_with("../")
}

/// The `./` or `../` path from the note at `source` to `target`.
fn relative(source: &str, target: &str) -> String {
    let folder: Vec<&str> = source.split('/').collect::<Vec<_>>();
    let folder = &folder[..folder.len() - 1];
    let target_parts: Vec<&str> = target.split('/').collect();
    let common = (folder.iter().zip(&target_parts))
        .take_while(|(a, b)| a == b)
        .count()
        .min(target_parts.len() - 1);
    let up = folder.len() - common;
    let down = target_parts[common..].join("/");
    if up == 0 {
        format!("./{down}")
    } else {
        format!("{}{down}", "../".repeat(up))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;
    use crate::vault::scan::is_markdown;

    type Files = BTreeMap<String, String>;

    /// Every link by (note, index): the path it leads to, whether it is
    /// ambiguous, and the text of the heading it leads to.
    type LinkMap = BTreeMap<(String, usize), (Option<String>, bool, Option<String>)>;

    fn vault_of(files: &Files) -> LiveVault {
        let notes = files.iter().filter(|(p, _)| is_markdown(p));
        let attachments = files.keys().filter(|p| !is_markdown(p)).cloned();
        LiveVault::from_sources(notes, attachments)
    }

    /// Plans `request` on `files` and, unless refused, gives the files after it.
    fn run(files: &Files, request: &Request) -> Result<Files, Vec<String>> {
        let mut vault = vault_of(files);
        let read = |path: &str| -> Result<Vec<u8>> {
            Ok(files
                .get(path)
                .map(|t| t.clone().into_bytes())
                .unwrap_or_default())
        };
        let planned = plan(&mut vault, request, &read).map_err(|err| vec![err.to_string()])?;
        if !planned.refusals.is_empty() {
            return Err(planned.refusals.iter().map(ToString::to_string).collect());
        }
        let mut after = files.clone();
        for edit in &planned.plan.edits {
            after.insert(edit.path.clone(), edit.after.clone());
        }
        for step in &planned.plan.moves {
            let prefix = format!("{}/", step.from);
            let moved: Vec<String> = (after.keys())
                .filter(|p| **p == step.from || p.starts_with(&prefix))
                .cloned()
                .collect();
            for path in moved {
                let text = after.remove(&path).expect("there");
                after.insert(format!("{}{}", step.to, &path[step.from.len()..]), text);
            }
        }
        Ok(after)
    }

    /// Every link of every note, by (note, index): the path it leads to,
    /// whether it is ambiguous, and the text of the heading it leads to.
    fn link_map(files: &Files) -> LinkMap {
        links_of(&vault_of(files))
    }

    /// [`link_map`] of a vault.
    fn links_of(vault: &LiveVault) -> LinkMap {
        let mut map = BTreeMap::new();
        for id in vault.note_ids() {
            let note = vault.note(id).expect("note");
            for (i, (link, resolution)) in vault.links_of(id).enumerate() {
                let target = resolution
                    .target
                    .and_then(|t| vault.file_path(t))
                    .map(str::to_owned);
                let heading = match (resolution.anchor, resolution.target, &link.heading) {
                    (Some(AnchorMatch::Found { index, .. }), Some(FileId::Note(t)), Some(_)) => {
                        vault.note(t).map(|n| n.headings[index].text.to_string())
                    }
                    _ => None,
                };
                map.insert(
                    (note.path.clone(), i),
                    (target, resolution.is_ambiguous(), heading),
                );
            }
        }
        map
    }

    /// The map with every path moved as `moves` says (files or folders).
    fn moved(map: LinkMap, moves: &[(&str, &str)], heading: Option<(&str, &str)>) -> LinkMap {
        let path = |p: String| {
            for (from, to) in moves {
                if p == *from {
                    return (*to).to_owned();
                }
                if let Some(rest) = p.strip_prefix(&format!("{from}/")) {
                    return format!("{to}/{rest}");
                }
            }
            p
        };
        map.into_iter()
            .map(|((source, i), (target, ambiguous, h))| {
                let h = match (h, heading) {
                    (Some(h), Some((old, new))) if h == old => Some(new.to_owned()),
                    (h, _) => h,
                };
                ((path(source), i), (target.map(path), ambiguous, h))
            })
            .collect()
    }

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter()
            .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
            .collect()
    }

    fn paths(moves: &[(&str, &str)]) -> Request {
        Request::Paths(
            (moves.iter())
                .map(|(from, to)| Move {
                    from: (*from).into(),
                    to: (*to).into(),
                })
                .collect(),
        )
    }

    /// Moves and checks that every link leads where it led.
    fn keeps_links(list: &[(&str, &str)], moves: &[(&str, &str)]) -> Files {
        let before = files(list);
        let after = run(&before, &paths(moves)).expect("planned");
        assert_eq!(
            link_map(&after),
            moved(link_map(&before), moves, None),
            "{after:#?}"
        );
        after
    }

    #[test]
    fn a_rename_rewrites_links_in_their_own_forms() {
        let after = keeps_links(
            &[
                ("a/Old.md", "# Top\n"),
                (
                    "src.md",
                    "---\nup: \"[[Old]]\"\n---\n[[Old#Top|shown]] [[a/Old]] [t](a/Old.md#Top) ![[Old]]\r\n",
                ),
                ("a/near.md", "[[./Old]] [x](<./Old.md>)\n"),
            ],
            &[("a/Old.md", "b/New Name.md")],
        );
        assert_eq!(
            after["src.md"],
            "---\nup: \"[[New Name]]\"\n---\n[[New Name#Top|shown]] [[b/New Name]] [t](b/New%20Name.md#Top) ![[New Name]]\r\n"
        );
        assert_eq!(
            after["a/near.md"],
            "[[../b/New Name]] [x](<../b/New Name.md>)\n"
        );
    }

    #[test]
    fn a_link_a_move_would_capture_gains_a_folder() {
        let after = keeps_links(
            &[
                ("a/Note.md", ""),
                ("bb/Note.md", ""),
                ("c/src.md", "[[Note]]\n"),
                ("c/other.md", ""),
            ],
            &[("bb/Note.md", "c/Note.md")],
        );
        assert_eq!(after["c/src.md"], "[[a/Note]]\n");
    }

    #[test]
    fn a_moved_note_keeps_its_relative_and_same_folder_links() {
        let after = keeps_links(
            &[
                ("a/x.md", "[[../top]] [[sib]]\n"),
                ("a/sib.md", ""),
                ("b/sib.md", ""),
                ("top.md", ""),
            ],
            &[("a/x.md", "c/d/x.md")],
        );
        assert_eq!(after["c/d/x.md"], "[[../../top]] [[a/sib]]\n");
    }

    #[test]
    fn a_folder_move_keeps_links_into_and_out_of_it() {
        let after = keeps_links(
            &[
                ("p/one.md", "[[p/two]] [[./two]] ![[p/img.png|300]]\n"),
                ("p/two.md", "[[one]]\n"),
                ("p/img.png", ""),
                ("index.md", "[[p/one]] [[two]]\n"),
            ],
            &[("p", "q/r")],
        );
        assert_eq!(
            after["q/r/one.md"],
            "[[q/r/two]] [[./two]] ![[q/r/img.png|300]]\n"
        );
        assert_eq!(after["index.md"], "[[q/r/one]] [[two]]\n");
    }

    #[test]
    fn a_heading_rename_rewrites_every_link_to_it() {
        let before = files(&[
            ("n.md", "# Intro\n\n## Old: part\n\n[[#old part]]\n"),
            (
                "m.md",
                "[[n#Old part|x]] [[n#Intro#Old part]] [y](n.md#Old%20part)\n",
            ),
        ]);
        let request = Request::Heading {
            note: "n.md".into(),
            index: 1,
            text: "New #2".into(),
        };
        let after = run(&before, &request).expect("planned");
        assert_eq!(after["n.md"], "# Intro\n\n## New #2\n\n[[#New 2]]\n");
        assert_eq!(
            after["m.md"],
            "[[n#New 2|x]] [[n#Intro#New 2]] [y](n.md#New%202)\n"
        );
        assert_eq!(
            link_map(&after),
            moved(link_map(&before), &[], Some(("Old: part", "New #2")))
        );
    }

    #[test]
    fn a_heading_rename_that_would_take_other_links_is_refused() {
        let before = files(&[("n.md", "## Old\n\n## Later\n"), ("m.md", "[[n#Later]]\n")]);
        let request = Request::Heading {
            note: "n.md".into(),
            index: 0,
            text: "Later".into(),
        };
        let refused = run(&before, &request).expect_err("refused");
        assert!(
            refused[0].starts_with("m.md:1:1: [[n#Later]]"),
            "{refused:?}"
        );
    }

    #[test]
    fn a_block_id_rename_rewrites_the_id_and_every_link_to_it() {
        let before = files(&[
            ("n.md", "Text ^old\n\nMore ^keep\n\n[[#^old]]\n"),
            (
                "m.md",
                "---\nup: \"[[n#^old]]\"\n---\n[[n#^old|see]] [x](n.md#^old) [y](n.md#%5eold) [[n#^keep]] [[n]]\n",
            ),
        ]);
        let request = Request::Block {
            note: "n.md".into(),
            index: 0,
            id: "^new-1".into(),
        };
        let after = run(&before, &request).expect("planned");
        assert_eq!(after["n.md"], "Text ^new-1\n\nMore ^keep\n\n[[#^new-1]]\n");
        assert_eq!(
            after["m.md"],
            "---\nup: \"[[n#^new-1]]\"\n---\n[[n#^new-1|see]] [x](n.md#^new-1) [y](n.md#%5enew-1) [[n#^keep]] [[n]]\n"
        );
    }

    #[test]
    fn a_block_id_rename_to_a_malformed_or_taken_id_is_refused() {
        let before = files(&[("n.md", "Text ^old\n\nMore ^keep\n")]);
        for id in ["two words", "^", "", "keep", "é"] {
            let request = Request::Block {
                note: "n.md".into(),
                index: 0,
                id: id.into(),
            };
            assert!(run(&before, &request).is_err(), "{id:?}");
        }
    }

    #[test]
    fn a_source_with_a_caret_names_a_block_id() {
        let vault = vault_of(&files(&[("n.md", "Text ^old\n\nMore ^keep\n")]));
        let request = Request::new(&vault, &["n#^keep".into()], "new", false).expect("a request");
        let expected = Request::Block {
            note: "n.md".into(),
            index: 1,
            id: "new".into(),
        };
        assert_eq!(request, expected);
        assert!(Request::new(&vault, &["n#^none".into()], "new", false).is_err());
    }

    #[test]
    fn a_preview_plans_as_a_plan_does_and_leaves_the_vault_as_it_was() {
        let before = files(&[
            ("a/n.md", "# Top\n\nText ^old\n"),
            ("m.md", "[[n#Top]] [[n#^old]] [[a/n]]\n"),
        ]);
        let requests = [
            paths(&[("a/n.md", "b/n2.md")]),
            paths(&[("a", "c")]),
            Request::Heading {
                note: "a/n.md".into(),
                index: 0,
                text: "Summit".into(),
            },
            Request::Block {
                note: "a/n.md".into(),
                index: 0,
                id: "new".into(),
            },
            // Refused: the vault is put back all the same.
            paths(&[("a/n.md", "m.md")]),
        ];
        let read = |path: &str| -> Result<Vec<u8>> { Ok(before[path].clone().into_bytes()) };
        for request in &requests {
            let mut vault = vault_of(&before);
            let links = links_of(&vault);
            let previewed = preview(&mut vault, request, &read);
            assert_eq!(links_of(&vault), links, "{request:?}");
            let planned = plan(&mut vault_of(&before), request, &read);
            match (previewed, planned) {
                (Ok(previewed), Ok(planned)) => {
                    assert_eq!(previewed.plan, planned.plan);
                    assert_eq!(previewed.refusals, planned.refusals);
                }
                (Err(previewed), Err(planned)) => {
                    assert_eq!(previewed.to_string(), planned.to_string());
                }
                (previewed, planned) => panic!("{previewed:?} but {planned:?}"),
            }
        }
    }

    #[test]
    fn a_taken_destination_is_refused() {
        let before = files(&[("a.md", ""), ("b/c.md", "")]);
        assert!(run(&before, &paths(&[("a.md", "b/c.md")])).is_err());
        assert!(run(&before, &paths(&[("a.md", "b")])).is_err());
        assert!(run(&before, &paths(&[("nothing.md", "x.md")])).is_err());
    }

    #[test]
    fn a_link_that_cannot_be_written_alone_is_refused() {
        // `A/x.md` and `a/x.md` differ in case only: no text leads to one alone.
        let before = files(&[("A/x.md", ""), ("src.md", "[[x]]\n"), ("bb/x.md", "")]);
        let refused = run(&before, &paths(&[("bb/x.md", "a/x.md")])).expect_err("refused");
        assert!(refused[0].contains("src.md:1:1: [[x]]"), "{refused:?}");
    }

    #[test]
    fn a_move_stopped_half_way_through_its_edits_is_finished_by_running_it_again() {
        let before = files(&[
            ("a/Old.md", ""),
            ("one.md", "[[Old]] [[a/Old]]\n"),
            ("two.md", "[x](a/Old.md)\n"),
            ("bb/Old.md", ""),
        ]);
        let request = paths(&[("a/Old.md", "c/New.md")]);
        let done = run(&before, &request).expect("planned");
        // Only the first edit was written, and nothing moved.
        let mut vault = vault_of(&before);
        let read = |path: &str| -> Result<Vec<u8>> { Ok(before[path].clone().into_bytes()) };
        let planned = plan(&mut vault, &request, &read).expect("planned");
        let mut half = before.clone();
        let first = &planned.plan.edits[0];
        half.insert(first.path.clone(), first.after.clone());
        assert_eq!(run(&half, &request).expect("planned again"), done);
    }

    /// A note path from a small alphabet, so that names and folders collide.
    fn note_path() -> impl Strategy<Value = String> {
        let folder = prop::sample::select(vec!["", "a/", "b/", "a/c/"]);
        let name = prop::sample::select(vec!["x", "y", "Note", "z z"]);
        (folder, name).prop_map(|(f, n)| format!("{f}{n}.md"))
    }

    /// How a generated note links to another: the forms Obsidian writes.
    #[derive(Debug, Clone, Copy)]
    enum Form {
        Shortest,
        Full,
        Relative,
        Markdown,
        Property,
        Heading,
    }

    fn vault() -> impl Strategy<Value = Files> {
        let form = prop::sample::select(vec![
            Form::Shortest,
            Form::Full,
            Form::Relative,
            Form::Markdown,
            Form::Property,
            Form::Heading,
        ]);
        (
            prop::collection::btree_set(note_path(), 2..7),
            prop::collection::vec(
                (
                    any::<prop::sample::Index>(),
                    any::<prop::sample::Index>(),
                    form,
                ),
                0..12,
            ),
        )
            .prop_map(|(paths, links)| {
                let paths: Vec<String> = paths.into_iter().collect();
                let mut files: Files = paths
                    .iter()
                    .map(|p| (p.clone(), "# Head\n".to_owned()))
                    .collect();
                let vault = vault_of(&files);
                for (from, to, form) in links {
                    let (from, to) = (from.get(&paths), to.get(&paths));
                    let Some(text) = written(&vault, from, to, form) else {
                        continue;
                    };
                    let note = files.get_mut(from).expect("note");
                    match form {
                        Form::Property if !note.starts_with("---") => {
                            *note = format!("---\nup: \"{text}\"\n---\n{note}");
                        }
                        Form::Property => {}
                        _ => note.push_str(&format!("{text}\n")),
                    }
                }
                files
            })
    }

    /// The link from `from` to `to` in `form`, if that form leads there alone.
    fn written(vault: &LiveVault, from: &str, to: &str, form: Form) -> Option<String> {
        let stem = to.strip_suffix(".md")?;
        let name = stem.rsplit('/').next()?;
        let shortest = (1..=stem.split('/').count())
            .map(|k| {
                let parts: Vec<&str> = stem.split('/').collect();
                parts[parts.len() - k..].join("/")
            })
            .find(|c| {
                let found = vault.resolve_path(c, from);
                found.candidates.is_empty()
                    && found.target.and_then(|t| vault.file_path(t)) == Some(to)
            })?;
        let text = match form {
            Form::Shortest => format!("[[{shortest}]]"),
            Form::Full if stem.contains('/') => format!("[[{stem}]]"),
            Form::Full => return None,
            Form::Relative => format!("[[{}]]", relative(from, stem)),
            Form::Markdown => format!("[{name}]({}.md)", shortest.replace(' ', "%20")),
            Form::Property => format!("[[{shortest}|{name}]]"),
            Form::Heading => format!("[[{shortest}#Head]]"),
        };
        Some(text)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn moving_back_gives_back_the_same_files(
            files in vault(),
            pick in any::<prop::sample::Index>(),
            dest in note_path(),
        ) {
            let keys: Vec<String> = files.keys().cloned().collect();
            let from = pick.get(&keys).clone();
            prop_assume!(!files.contains_key(&dest));
            let forward = [(from.as_str(), dest.as_str())];
            let Ok(moved_files) = run(&files, &paths(&forward)) else {
                return Ok(());
            };
            prop_assert_eq!(link_map(&moved_files), moved(link_map(&files), &forward, None));
            let back = [(dest.as_str(), from.as_str())];
            let Ok(returned) = run(&moved_files, &paths(&back)) else {
                return Ok(());
            };
            prop_assert_eq!(link_map(&returned), link_map(&files));
            // A shortest link that needs a folder in the moved vault keeps
            // it (it still leads there); a full path to the vault's root is
            // a name, and a shortest path may be a full one: only when a
            // link's shape changes so may the bytes differ.
            let shapes = |text: &str, vault: &Files| -> Vec<(bool, bool)> {
                (parse_note("n.md", text).note.links.iter())
                    .map(|link| {
                        let target = link.target.as_str();
                        let full = vault.contains_key(target)
                            || vault.contains_key(&format!("{target}.md"));
                        (target.contains('/'), full)
                    })
                    .collect()
            };
            let lengthened = files.iter().any(|(path, text)| {
                let now = moved_files
                    .get(path)
                    .or_else(|| (path == &from).then(|| &moved_files[&dest]))
                    .expect("kept");
                shapes(now, &moved_files) != shapes(text, &files)
            });
            if !lengthened {
                prop_assert_eq!(returned, files);
            }
        }

        #[test]
        fn folder_moves_keep_every_link(
            files in vault(),
            from in prop::sample::select(vec!["a", "b", "a/c"]),
            to in prop::sample::select(vec!["d", "a/d", "b/e/f", "c"]),
        ) {
            let has_files = |folder: &str| files.keys().any(|p| p.starts_with(&format!("{folder}/")));
            prop_assume!(has_files(from) && !has_files(to) && !to.starts_with(&format!("{from}/")));
            let forward = [(from, to)];
            let Ok(moved_files) = run(&files, &paths(&forward)) else {
                return Ok(());
            };
            prop_assert_eq!(link_map(&moved_files), moved(link_map(&files), &forward, None));
            if let Ok(returned) = run(&moved_files, &paths(&[(to, from)])) {
                prop_assert_eq!(link_map(&returned), link_map(&files));
            }
        }
    }
}
