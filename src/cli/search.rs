//! `search`: Obsidian's search syntax over the index.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow};
use clap::{Args, ValueEnum};
use vaultkit::index::Index;
use vaultkit::render::{self, Palette};
use vaultkit::search::{self, Query, Sort};

#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query, in Obsidian's search syntax (several arguments are joined
    /// with spaces; put `--` before a query that starts with `-`).
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    /// How many hits to show.
    #[arg(long, default_value_t = 20, value_name = "N")]
    limit: usize,
    /// Order of hits.
    #[arg(long, value_enum, default_value_t = SortArg::Relevance)]
    sort: SortArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Pretty)]
    format: Format,
    /// Columns for json/csv/table: path, title, tags, score, line, or any property.
    #[arg(long, value_delimiter = ',', value_name = "A,B")]
    fields: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortArg {
    /// Title and alias matches first, then headings, then BM25.
    Relevance,
    /// By title.
    Title,
    /// By vault path.
    Path,
    /// Newest `created` property first.
    Created,
    /// Most recently modified first.
    Modified,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Path, title and the best matching line.
    Pretty,
    /// JSON (its schema: docs/schemas/search.schema.json).
    Json,
    /// One path per line.
    Paths,
    /// Comma-separated values with a header.
    Csv,
    /// An aligned table.
    Table,
}

/// Parses a query, or says what is wrong with it, quoting the query (its
/// start, when it is long).
pub fn parse(text: &str) -> Result<Query> {
    const QUOTED_CHARS: usize = 80;
    Query::parse(text).map_err(|e| {
        let mut quoted: String = text.chars().take(QUOTED_CHARS).collect();
        if quoted.len() < text.len() {
            quoted.push('…');
        }
        anyhow!("invalid query `{quoted}`: {e}")
    })
}

/// Runs a search; exit 1 when nothing matched, like grep and ripgrep.
pub fn run(
    index: &Index,
    root: &std::path::Path,
    args: &SearchArgs,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let text = args.query.join(" ");
    let query = parse(&text)?;
    let sort = match args.sort {
        SortArg::Relevance => Sort::Relevance,
        SortArg::Title => Sort::Title,
        SortArg::Path => Sort::Path,
        SortArg::Created => Sort::Created,
        SortArg::Modified => Sort::Modified,
    };
    let results = search::search(index, root, &query, sort, args.limit)?;
    let columns: Vec<String> = if args.fields.is_empty() {
        ["path", "title", "tags"].map(String::from).to_vec()
    } else {
        ["path", "title"]
            .map(String::from)
            .into_iter()
            .chain(args.fields.iter().map(|f| f.trim().to_owned()))
            .collect()
    };
    match args.format {
        Format::Pretty => render::search::pretty(out, &results, palette)?,
        Format::Json => render::search::json(out, &text, &results, &args.fields)?,
        Format::Paths => render::search::paths(out, &results)?,
        Format::Csv => render::search::csv(out, &results, &columns)?,
        Format::Table => render::search::table(out, &results, &columns, palette)?,
    }
    Ok(if results.total == 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
