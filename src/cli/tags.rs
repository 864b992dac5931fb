//! `tags`: tag counts, nested tags as a tree.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, ValueEnum};
use vaultkit::render;
use vaultkit::report::{self, TagOrder};

use super::Ctx;
use super::note::Format;

#[derive(Debug, Args)]
pub struct TagsArgs {
    /// Order of tags at each level.
    #[arg(long, value_enum, default_value_t = Sort::Name)]
    sort: Sort,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Pretty)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Sort {
    /// Alphabetical.
    Name,
    /// Most notes first.
    Count,
}

pub fn run(context: &Ctx, args: &TagsArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let order = match args.sort {
        Sort::Name => TagOrder::Name,
        Sort::Count => TagOrder::Count,
    };
    let tree = report::tag_tree(&context.vault, order);
    match args.format {
        Format::Pretty => render::tags::tree(out, &tree, context.palette)?,
        Format::Json => render::json(out, &serde_json::json!({ "tags": tree }))?,
    }
    Ok(ExitCode::SUCCESS)
}
