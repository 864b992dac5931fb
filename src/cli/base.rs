//! `base` and `query`: Obsidian Bases evaluated over the vault.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use vaultkit::base::{Base, BaseError, Context, FileStat, blocks_in, run_view, split_fields};
use vaultkit::render;
use vaultkit::vault::{FileId, Vault};

use super::Ctx;

#[derive(Debug, Args)]
pub struct BaseArgs {
    /// A `.base` file, or a note with ```base code blocks (a path, from the
    /// working directory or the vault).
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The view to show (default: the first).
    #[arg(long, value_name = "NAME")]
    view: Option<String>,
    /// For a note: which ```base block, counting from 1.
    #[arg(long, value_name = "N", default_value_t = 1)]
    block: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Args)]
pub struct QueryArgs {
    /// A filter in the Bases expression language, e.g. `status == "draft"`.
    #[arg(value_name = "EXPR")]
    expression: String,
    /// Columns: property ids (`status`, `file.mtime`) or expressions,
    /// comma-separated (default: file.name).
    #[arg(long, value_name = "A,B")]
    fields: Option<String>,
    /// Sort by a property or expression; append `:desc` for largest first.
    #[arg(long, value_name = "KEY")]
    sort: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// An aligned table.
    Table,
    /// The JSON contract (see docs/bases.md).
    Json,
    /// Comma-separated values with a header.
    Csv,
    /// A Markdown table, links as wikilinks.
    Md,
    /// One path per line.
    Paths,
}

/// Runs a view of a base file or block; exit 1 when it has no rows.
pub fn run(context: &Ctx, args: &BaseArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let vault = &context.vault;
    let path = locate(vault, &args.file)?;
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let this = file_in_vault(vault, &path);
    let shown = display_path(vault, &path);
    let is_note = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("md"));
    let (base, name) = if is_note {
        let blocks = blocks_in(&text);
        let Some((yaml, lines)) = args.block.checked_sub(1).and_then(|i| blocks.get(i)) else {
            bail!(
                "{} has {} ```base block(s); there is no block {}",
                path.display(),
                blocks.len(),
                args.block
            );
        };
        let base = Base::parse(yaml).map_err(|e| invalid(&shown, e.shifted(*lines)))?;
        (base.shifted(*lines), format!("{shown}#{}", args.block))
    } else {
        let base = Base::parse(&text).map_err(|e| invalid(&shown, e))?;
        (base, shown.clone())
    };
    for notice in &base.notices {
        eprintln!(
            "note: {shown}:{}:{}: {}",
            notice.position.line, notice.position.column, notice.message
        );
    }
    show(
        context,
        &base,
        &name,
        this,
        args.view.as_deref(),
        args.format,
        out,
    )
}

/// Runs a one-off filter; exit 1 when nothing matches.
pub fn query(context: &Ctx, args: &QueryArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let fields = args.fields.as_deref().map(split_fields).unwrap_or_default();
    let base = Base::query(&args.expression, &fields, args.sort.as_deref())
        .map_err(|e| anyhow!("invalid expression: {e}"))?;
    show(
        context,
        &base,
        &args.expression,
        None,
        None,
        args.format,
        out,
    )
}

fn show(
    context: &Ctx,
    base: &Base,
    name: &str,
    this: Option<FileId>,
    view: Option<&str>,
    format: Format,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let vault = &context.vault;
    let mut evaluation = Context::new(vault).with_this(this);
    if base.reads_file_stats() {
        let stats = stats(vault, &evaluation);
        evaluation = evaluation.with_stats(stats);
    }
    let result = run_view(base, view, &evaluation).ok_or_else(|| {
        let names: Vec<&str> = base.views.iter().map(|v| v.name.as_str()).collect();
        anyhow!(
            "no view named `{}`; the views are: {}",
            view.unwrap_or_default(),
            names.join(", ")
        )
    })?;
    for problem in &result.problems {
        eprintln!("warning: {problem}");
    }
    // Standard output flushes every line; a view can have many thousands.
    let out = &mut std::io::BufWriter::new(out);
    match format {
        Format::Table => render::base::table(out, &result, vault, context.palette)?,
        Format::Json => render::base::json(out, name, &result, vault)?,
        Format::Csv => render::base::csv(out, &result, vault)?,
        Format::Md => render::base::markdown(out, &result, vault)?,
        Format::Paths => render::base::paths(out, &result)?,
    }
    out.flush()?;
    Ok(if result.row_count() == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn invalid(shown: &str, err: BaseError) -> anyhow::Error {
    anyhow!("invalid base {shown}:{err}")
}

/// The file as given, else under the vault.
fn locate(vault: &Vault, file: &Path) -> Result<PathBuf> {
    if file.is_file() {
        return Ok(file.to_owned());
    }
    if let Some(root) = vault.root()
        && root.join(file).is_file()
    {
        return Ok(root.join(file));
    }
    bail!("no such file: {}", file.display())
}

/// The path relative to the vault, when the file is in it.
fn relative(vault: &Vault, path: &Path) -> Option<String> {
    let root = vault.root()?.canonicalize().ok()?;
    let path = path.canonicalize().ok()?;
    let relative = path.strip_prefix(root).ok()?;
    Some(relative.to_str()?.replace('\\', "/"))
}

/// How the base is named in output: its vault path, else as given.
fn display_path(vault: &Vault, path: &Path) -> String {
    relative(vault, path).unwrap_or_else(|| path.display().to_string())
}

/// The vault's file at `path`: what `this` is.
fn file_in_vault(vault: &Vault, path: &Path) -> Option<FileId> {
    let relative = relative(vault, path)?;
    if let Some(id) = vault.note_by_path(&relative) {
        return Some(FileId::Note(id));
    }
    vault.attachment(&relative)
}

/// Every file's size and times, in the evaluation's file order.
fn stats(vault: &Vault, evaluation: &Context<'_>) -> Vec<Option<FileStat>> {
    let Some(root) = vault.root() else {
        return Vec::new();
    };
    let files: Vec<FileId> = evaluation.files().collect();
    files
        .par_iter()
        .map(|&file| {
            let metadata = std::fs::metadata(root.join(vault.file_path(file))).ok()?;
            let time = |t: std::io::Result<std::time::SystemTime>| {
                t.ok().and_then(|t| jiff::Timestamp::try_from(t).ok())
            };
            Some(FileStat {
                size: metadata.len(),
                created: time(metadata.created()),
                modified: time(metadata.modified()),
            })
        })
        .collect()
}
