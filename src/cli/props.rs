//! `props`: edit one property in many notes' front matter, all at once.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand, ValueEnum};
use vaultkit::config::Config;
use vaultkit::index::Index;
use vaultkit::refactor::frontmatter::PropertyEdit;
use vaultkit::refactor::{plan, props};
use vaultkit::render;
use vaultkit::vault::scan::is_markdown;

#[derive(Debug, Args)]
pub struct PropsArgs {
    #[command(subcommand)]
    edit: Edit,
}

#[derive(Debug, Subcommand)]
enum Edit {
    /// Give KEY the value VALUE (a one-item list for list properties such as tags).
    Set {
        /// The property.
        key: String,
        /// The value: text, a number, a date, true/false or a [[link]].
        value: String,
        #[command(flatten)]
        options: Options,
    },
    /// Remove KEY.
    Unset {
        /// The property.
        key: String,
        #[command(flatten)]
        options: Options,
    },
    /// Rename the key OLD to NEW, keeping its value as written.
    Rename {
        /// The current name.
        old: String,
        /// The new name.
        new: String,
        #[command(flatten)]
        options: Options,
    },
    /// Append VALUE to the list KEY, unless it holds it already.
    Add {
        /// The list property.
        key: String,
        /// The item.
        value: String,
        #[command(flatten)]
        options: Options,
    },
    /// Remove every item VALUE from the list KEY.
    Remove {
        /// The list property.
        key: String,
        /// The item.
        value: String,
        #[command(flatten)]
        options: Options,
    },
}

/// Which notes, and what to do with the plan.
#[derive(Debug, Args)]
#[group(id = "targets", required = true, args = ["query", "paths"])]
struct Options {
    /// The notes this search query finds (Obsidian's search syntax, as `vaultkit search`).
    #[arg(long = "where", value_name = "QUERY")]
    query: Option<String>,
    /// The notes (paths on disk or in the vault).
    #[arg(value_name = "PATHS")]
    paths: Vec<String>,
    /// Print the plan (a unified diff of every edit) and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A summary, or the diff with --dry-run.
    Text,
    /// The plan as JSON: {"moves":[…],"edits":[{"path","line","column","old","new"}]}.
    Json,
}

impl PropsArgs {
    fn options(&self) -> &Options {
        match &self.edit {
            Edit::Set { options, .. }
            | Edit::Unset { options, .. }
            | Edit::Rename { options, .. }
            | Edit::Add { options, .. }
            | Edit::Remove { options, .. } => options,
        }
    }

    /// Whether the notes are chosen by a search, which needs the index.
    pub fn needs_index(&self) -> bool {
        self.options().query.is_some()
    }

    fn edit(&self, config: &Config) -> PropertyEdit {
        match &self.edit {
            Edit::Set { key, value, .. } => PropertyEdit::Set {
                key: key.clone(),
                value: props::new_value(key, value.clone(), config),
            },
            Edit::Unset { key, .. } => PropertyEdit::Unset { key: key.clone() },
            Edit::Rename { old, new, .. } => PropertyEdit::Rename {
                from: old.clone(),
                to: new.clone(),
            },
            Edit::Add { key, value, .. } => PropertyEdit::Add {
                key: key.clone(),
                value: value.clone(),
            },
            Edit::Remove { key, value, .. } => PropertyEdit::Remove {
                key: key.clone(),
                value: value.clone(),
            },
        }
    }
}

/// Plans the edit on the chosen notes, then prints or applies the plan.
/// Exit 1 when no note was chosen; 2, with nothing written, when any note
/// refuses the edit.
pub fn run(
    index: Option<&Index>,
    root: &Path,
    config: &Config,
    args: &PropsArgs,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let options = args.options();
    let paths = match (&options.query, index) {
        (Some(query), Some(index)) => {
            let query = super::search::parse(query)?;
            let mut paths = vaultkit::search::matching_paths(index, root, &query)?;
            paths.retain(|path| is_markdown(path));
            paths
        }
        (Some(_), None) => bail!("--where needs the index, which could not be opened"),
        (None, _) => note_paths(root, &options.paths)?,
    };
    if paths.is_empty() {
        eprintln!("no note matches");
        return Ok(ExitCode::from(1));
    }
    let edit = args.edit(config);
    let planned = props::plan(root, &paths, &edit, config, vaultkit::lint::cache::today())?;
    if !planned.refusals.is_empty() {
        for refusal in &planned.refusals {
            eprintln!("error: {}: {}", refusal.path, refusal.reason);
        }
        bail!(
            "nothing was written: {} of {} notes cannot take this edit",
            planned.refusals.len(),
            planned.notes
        );
    }
    let plan = &planned.plan;
    if !options.dry_run {
        plan::apply(plan, root)?;
    }
    match options.format {
        Format::Json => render::plan::json(out, plan)?,
        Format::Text if options.dry_run => render::plan::dry_run(out, plan)?,
        Format::Text => {}
    }
    let verb = if options.dry_run {
        "would change"
    } else {
        "changed"
    };
    eprintln!(
        "{verb} {} of {} notes ({} already as asked)",
        plan.edits.len(),
        planned.notes,
        planned.notes - plan.edits.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The vault paths of the notes named on the command line, each checked to
/// be a Markdown file of the vault.
fn note_paths(root: &Path, given: &[String]) -> Result<Vec<String>> {
    let mut paths = vaultkit::lint::changes::vault_paths(root, given);
    for (path, given) in paths.iter().zip(given) {
        let inside = Path::new(path)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)));
        if !inside || !is_markdown(path) || !root.join(path).is_file() {
            bail!("`{given}` is not a note of the vault at {}", root.display());
        }
    }
    paths.sort_unstable();
    paths.dedup();
    Ok(paths)
}
