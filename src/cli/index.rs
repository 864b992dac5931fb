//! `index`: build or refresh the index, and report on it.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use vaultkit::index::{Index, Refresh};

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Build the index from scratch.
    #[arg(long)]
    pub rebuild: bool,
    /// Print the index's size and what this refresh did.
    #[arg(long)]
    stats: bool,
}

pub fn run(
    index: &Index,
    refresh: &Refresh,
    args: &IndexArgs,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if let Some(reason) = &refresh.failed {
        bail!("the index was not updated: {reason}");
    }
    let stats = index.stats()?;
    if !args.stats {
        writeln!(
            out,
            "indexed {} notes and {} other files in {} ms ({} parsed)",
            refresh.notes,
            refresh.attachments,
            refresh.elapsed.as_millis(),
            refresh.parsed
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    let share = if refresh.note_bytes > 0 {
        format!(
            " ({:.0}% of the notes' {})",
            100.0 * stats.bytes as f64 / refresh.note_bytes as f64,
            human_bytes(refresh.note_bytes)
        )
    } else {
        String::new()
    };
    writeln!(out, "notes        {}", stats.notes)?;
    writeln!(out, "other files  {}", stats.attachments)?;
    writeln!(out, "terms        {}", stats.terms)?;
    writeln!(out, "segments     {}", stats.segments)?;
    writeln!(out, "size         {}{share}", human_bytes(stats.bytes))?;
    writeln!(
        out,
        "refresh      {} ms: parsed {}, added {}, changed {}, removed {}, relinked {}; listed {} of {} folders",
        refresh.elapsed.as_millis(),
        refresh.parsed,
        refresh.added,
        refresh.changed,
        refresh.removed,
        refresh.relinked,
        refresh.listed,
        refresh.folders
    )?;
    Ok(ExitCode::SUCCESS)
}

fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}
