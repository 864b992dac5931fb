//! `graph`: the link graph as JSON, DOT or Mermaid, or its summary (`graph stats`).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use vaultkit::graph::LinkGraph;
use vaultkit::render;

use super::Ctx;
use super::note::{Format, find};

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct GraphArgs {
    #[command(subcommand)]
    command: Option<GraphCommand>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    format: ExportFormat,
    /// Only the notes around this one (path or name).
    #[arg(long, value_name = "NOTE")]
    from: Option<String>,
    /// With --from: how many links away to go.
    #[arg(long, default_value_t = 1, requires = "from")]
    depth: usize,
}

#[derive(Debug, Subcommand)]
enum GraphCommand {
    /// Notes, links, unresolved links, orphans, components and the most linked notes.
    Stats {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Pretty)]
        format: Format,
        /// How many of the most linked notes to list.
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ExportFormat {
    /// `{"nodes": [...], "edges": [...]}`.
    Json,
    /// Graphviz.
    Dot,
    /// A Mermaid flowchart.
    Mermaid,
}

pub fn run(context: &Ctx, args: &GraphArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let graph = LinkGraph::build(&context.vault);
    if let Some(GraphCommand::Stats { format, top }) = args.command {
        let stats = graph.stats(top);
        match format {
            Format::Pretty => render::graph::stats(out, &stats, context.palette)?,
            Format::Json => render::json(out, &stats)?,
        }
        return Ok(ExitCode::SUCCESS);
    }
    let export = match &args.from {
        Some(note) => graph.neighbourhood(find(context, note)?, args.depth),
        None => graph.export(),
    };
    match args.format {
        ExportFormat::Json => render::json(out, &export)?,
        ExportFormat::Dot => render::graph::dot(out, &export)?,
        ExportFormat::Mermaid => render::graph::mermaid(out, &export)?,
    }
    Ok(ExitCode::SUCCESS)
}
