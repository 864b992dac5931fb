//! `show`, `links` and `backlinks`: one note, looked up by path or name.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use vaultkit::render;
use vaultkit::report;
use vaultkit::vault::NoteId;

use super::Ctx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Readable text.
    Pretty,
    /// JSON (its schemas: docs/json.md).
    Json,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// A vault path (`Topics/Git.md`) or a name resolved like a [[wikilink]].
    #[arg(value_name = "NOTE")]
    note: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Pretty)]
    format: Format,
}

pub type LinksArgs = ShowArgs;

pub fn show(context: &Ctx, args: &ShowArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let id = find(context, &args.note)?;
    let report = report::note_report(&context.vault, id);
    match args.format {
        Format::Pretty => render::note::show(out, &report, context.palette)?,
        Format::Json => render::json(out, &report)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn links(context: &Ctx, args: &LinksArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let id = find(context, &args.note)?;
    let links = report::link_reports(&context.vault, id);
    match args.format {
        Format::Pretty => render::note::links(out, &links, context.palette)?,
        Format::Json => render::json(out, &links)?,
    }
    Ok(ExitCode::SUCCESS)
}

pub fn backlinks(context: &Ctx, args: &LinksArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let id = find(context, &args.note)?;
    let backlinks = report::backlink_reports(&context.vault, id);
    match args.format {
        Format::Pretty => render::note::backlinks(out, &backlinks, context.palette)?,
        Format::Json => render::json(out, &backlinks)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Looks a note up, telling the user on stderr when the name was ambiguous.
pub fn find(context: &Ctx, query: &str) -> Result<NoteId> {
    let (id, resolution) = context.vault.find_note(query)?;
    if resolution.is_ambiguous() {
        let candidates: Vec<&str> = resolution
            .candidates
            .iter()
            .map(|&c| context.vault.file_path(c))
            .collect();
        eprintln!(
            "note: `{query}` matches {} notes ({}); showing {}",
            candidates.len(),
            candidates.join(", "),
            context.vault.note(id).path
        );
    }
    Ok(id)
}
