//! `outline`: a course outline from a root note (or a tag, or a search),
//! printed, written into the vault between managed markers, or checked for drift.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Mutex, PoisonError};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use vaultkit::atomic;
use vaultkit::index::{self, Index};
use vaultkit::outline::relation::Relation;
use vaultkit::outline::{self, Options, Outline, Source, lesson, managed};
use vaultkit::parse;
use vaultkit::render;
use vaultkit::search::{self, Sort};

use super::Ctx;
use super::note::find;

#[derive(Debug, Args)]
pub struct OutlineArgs {
    /// The root note: a vault path or a name resolved like a [[wikilink]].
    #[arg(
        value_name = "ROOT",
        required_unless_present_any = ["tag", "query"],
        conflicts_with_all = ["tag", "query"]
    )]
    root: Option<String>,
    /// Make the course from every note with this tag (nested tags included).
    #[arg(long, value_name = "TAG", conflicts_with = "query")]
    tag: Option<String>,
    /// Make the course from the notes matching this search (the syntax of
    /// `vaultkit search`).
    #[arg(long, value_name = "QUERY")]
    query: Option<String>,
    /// Edge kinds to follow from the root, comma-separated: related,
    /// prerequisites, up, down, next, prev, body, embeds [default: all but embeds].
    #[arg(long, value_name = "KINDS", value_delimiter = ',')]
    follow: Option<Vec<Relation>>,
    /// How many links away from the root to go.
    #[arg(long, default_value_t = 2)]
    depth: usize,
    /// Reading speed for lesson minutes, in words a minute.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    wpm: u32,
    /// Notes the learner already knows: left out, with what they require.
    #[arg(long, value_name = "NOTE", num_args = 1..)]
    known: Vec<String>,
    /// Notes with this tag are known (repeatable).
    #[arg(long, value_name = "TAG")]
    known_tag: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Md)]
    format: Format,
    /// Write the Markdown outline into this note (a vault path), between
    /// managed markers; the rest of the note is kept.
    #[arg(long, value_name = "PATH", conflicts_with_all = ["check", "format"])]
    write: Option<String>,
    /// Exit 1 and print a diff when this note's outline is out of date.
    #[arg(long, value_name = "PATH", conflicts_with = "format")]
    check: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A Markdown note with front matter (what --write keeps in the vault).
    Md,
    /// The outline as JSON (its schema: docs/schemas/outline.schema.json).
    Json,
    /// OPML 2.0, for outliners and mind-map tools.
    Opml,
    /// A Mermaid flowchart.
    Mermaid,
}

impl OutlineArgs {
    /// Whether the command needs the index: `--query` searches it.
    pub fn needs_index(&self) -> bool {
        self.query.is_some()
    }
}

/// What `--query` matched: the query's text and the vault paths of its hits.
pub struct Matches {
    text: String,
    paths: Vec<String>,
}

/// Runs `--query` on the index, if it was given.
pub fn search(index: &Index, root: &Path, args: &OutlineArgs) -> Result<Option<Matches>> {
    let Some(text) = &args.query else {
        return Ok(None);
    };
    let query = super::search::parse(text)?;
    let results = search::search(index, root, &search::OnDisk, &query, Sort::Path, usize::MAX)?;
    Ok(Some(Matches {
        text: text.clone(),
        paths: results.hits.into_iter().map(|hit| hit.path).collect(),
    }))
}

/// Builds the outline and prints, writes or checks it. `matches` holds what
/// `--query` found (see [`search`]).
pub fn run(
    context: &Ctx,
    args: &OutlineArgs,
    matches: Option<Matches>,
    index: Option<&Index>,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let vault = &context.vault;
    let root = vault.root().context("the vault has no folder")?;
    let target = args
        .write
        .as_deref()
        .or(args.check.as_deref())
        .map(|path| note_in_vault(root, path))
        .transpose()?;
    let source = match (&args.root, &args.tag, matches) {
        (Some(note), ..) => Source::Root(find(context, note)?),
        (None, Some(tag), _) => Source::Tag(tag.clone()),
        (None, None, Some(Matches { text, paths })) => Source::Query {
            text,
            notes: paths
                .iter()
                .filter_map(|path| vault.note_by_path(path))
                .collect(),
        },
        (None, None, None) => bail!("give a ROOT note, --tag TAG or --query QUERY"),
    };
    let options = Options {
        follow: args.follow.clone().unwrap_or_else(Relation::default_follow),
        depth: args.depth,
        wpm: args.wpm,
        known: args
            .known
            .iter()
            .map(|note| find(context, note))
            .collect::<Result<_>>()?,
        known_tags: args.known_tag.clone(),
        exclude: target
            .as_ref()
            .and_then(|(_, relative)| vault.note_by_path(relative))
            .into_iter()
            .collect(),
    };
    // First paragraphs: kept by the index, by note content, or read now.
    let kept = index.map(|index| index.kept_by_content(index::kept::LEADS));
    let read = Mutex::new(Vec::new());
    let lead = |note: &vaultkit::model::Note| {
        let known = index.and_then(|index| index.file_hash(&note.path));
        if let Some(lead) = known.and_then(|hash| kept.as_ref()?.get(&hash)) {
            return lead.clone();
        }
        let bytes = std::fs::read(root.join(&note.path)).ok()?;
        let lead = lesson::first_paragraph(&parse::decode(&note.path, &bytes).0);
        let mut read = read.lock().unwrap_or_else(PoisonError::into_inner);
        read.push((index::content_hash(&bytes), lead.clone()));
        lead
    };
    let outline = outline::build(vault.live(), &source, &options, &lead);
    let read = read.into_inner().unwrap_or_else(PoisonError::into_inner);
    if let (Some(index), Some(mut kept)) = (index, kept)
        && !read.is_empty()
    {
        kept.extend(read);
        index.keep_by_content(index::kept::LEADS, kept);
    }
    match (&target, args.write.is_some()) {
        (Some((path, relative)), true) => write(&outline, path, relative),
        (Some((path, relative)), false) => check(&outline, path, relative, out),
        (None, _) => {
            match args.format {
                Format::Md => render::outline::markdown(out, &outline)?,
                Format::Json => render::json(out, &outline)?,
                Format::Opml => render::outline::opml(out, &outline)?,
                Format::Mermaid => render::outline::mermaid(out, &outline)?,
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `--write`: splice the outline into the note, writing only when it changes.
fn write(outline: &Outline, path: &Path, relative: &str) -> Result<ExitCode> {
    let existing = read_existing(path)?;
    let updated = spliced(outline, existing.as_deref(), relative)?;
    match existing {
        Some(old) if old == updated => eprintln!("{relative} is up to date"),
        Some(old) => {
            if !atomic::write_if_unchanged(path, old.as_bytes(), updated.as_bytes())? {
                bail!("{relative} changed while the outline was being built; run again");
            }
            eprintln!("wrote {relative} ({} lessons)", outline.lessons);
        }
        None => {
            atomic::write(path, updated.as_bytes())?;
            eprintln!("wrote {relative} ({} lessons)", outline.lessons);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `--check`: exit 1 with a unified diff when `--write` would change the note.
fn check(outline: &Outline, path: &Path, relative: &str, out: &mut dyn Write) -> Result<ExitCode> {
    let existing = read_existing(path)?;
    let expected = spliced(outline, existing.as_deref(), relative)?;
    let current = existing.unwrap_or_default();
    if current == expected {
        eprintln!("{relative} is up to date");
        return Ok(ExitCode::SUCCESS);
    }
    render::diff(out, relative, &current, &expected)?;
    eprintln!("{relative} is out of date; rerun with --write {relative} to update it");
    Ok(ExitCode::from(1))
}

fn spliced(outline: &Outline, existing: Option<&str>, relative: &str) -> Result<String> {
    managed::splice(
        existing,
        &render::outline::properties(outline),
        &render::outline::markdown_body(outline),
    )
    .with_context(|| relative.to_owned())
}

fn read_existing(path: &Path) -> Result<Option<String>> {
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map(Some)
            .with_context(|| format!("{} is not UTF-8; not touching it", path.display())),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Where `--write`/`--check` PATH is on disk, and its vault path. PATH is
/// relative to the vault folder (or absolute); it must be a `.md` note inside
/// the vault, in a folder that exists.
fn note_in_vault(root: &Path, path: &str) -> Result<(PathBuf, String)> {
    let given = Path::new(path);
    if !given
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
    {
        bail!("{path}: the outline must go into a Markdown note (.md)");
    }
    if path.contains('\\') {
        bail!("{path}: refusing a path with `\\`; vault paths use `/`");
    }
    if given.components().any(|c| c == Component::ParentDir) {
        bail!("{path}: refusing a path with `..`; give a path inside the vault");
    }
    let joined = if given.is_absolute() {
        given.to_owned()
    } else {
        root.join(given)
    };
    let vault = root
        .canonicalize()
        .with_context(|| format!("cannot read the vault folder {}", root.display()))?;
    let name = joined.file_name().context("no file name")?;
    let folder = joined
        .parent()
        .context("no folder")?
        .canonicalize()
        .with_context(|| format!("{path}: its folder does not exist"))?;
    let target = folder.join(name);
    // Writing through a link would change the note it points to, under
    // another name than the one given.
    if target.is_symlink() {
        bail!("{path}: refusing to write through a symbolic link; give the path of a note");
    }
    let Ok(relative) = target.strip_prefix(&vault) else {
        bail!(
            "{path}: refusing to write outside the vault ({})",
            vault.display()
        );
    };
    let relative: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    // Dot-folders hold the index (`.vaultkit`) and Obsidian's settings
    // (`.obsidian`); a note there would not be part of the vault either.
    if let Some(hidden) = relative.iter().find(|name| name.starts_with('.')) {
        bail!(
            "{path}: refusing to write into `{hidden}`, which is not part of the vault (dot-files and dot-folders are left out); choose a path outside it"
        );
    }
    Ok((target, relative.join("/")))
}
