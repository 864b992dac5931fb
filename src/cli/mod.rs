//! The command line: the only place clap lives. Each command parses its
//! arguments, asks the library for a report, and hands it to a renderer.

mod base;
mod graph;
mod index;
mod init;
mod lint;
mod lsp;
mod mv;
mod note;
mod outline;
mod props;
mod search;
mod tags;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use vaultkit::config::Config;
use vaultkit::index::{Decode, Index, Refresh};
use vaultkit::model::Severity;
use vaultkit::render::Palette;
use vaultkit::vault::Vault;

const EXAMPLES: &str = "\
Examples:
  vaultkit --vault vault search \"product manager\"
  vaultkit --vault vault lint
  vaultkit --vault vault graph stats
  vaultkit --vault vault show \"Becoming a Technical Product Manager\"
  vaultkit --vault vault backlinks Agile
  vaultkit --vault vault tags
  vaultkit --vault vault graph --from Git --depth 1 --format mermaid

The vault is --vault DIR, else $VAULTKIT_VAULT, else the nearest folder above
the working directory that holds .obsidian/ or vaultkit.toml.";

/// A fast toolkit for Obsidian-compatible Markdown vaults.
#[derive(Debug, Parser)]
#[command(name = "vaultkit", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// The vault folder.
    #[arg(long, global = true, env = "VAULTKIT_VAULT", value_name = "DIR")]
    vault: Option<PathBuf>,
    /// Where to keep the index (default: <vault>/.vaultkit).
    #[arg(long, global = true, env = "VAULTKIT_INDEX_DIR", value_name = "DIR")]
    index_dir: Option<PathBuf>,
    /// When to colour output.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,
    /// Print no notices about problem files on stderr.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// List every problem found while reading the vault on stderr.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Search notes with Obsidian's search syntax; exit 1 when nothing matches.
    #[command(
        after_help = "Examples:\n  vaultkit search agile\n  vaultkit search 'tag:#pm \"user research\"' --format json\n  vaultkit search '[status:draft]' --format table --fields status,created\n  vaultkit search 'links-to:Git -path:Archive' --format paths\n\nSyntax: words (all must match; a word matches the words it begins), \"phrases\",\nOR, -negation, ( groups ), file: path: content: tag:#x line:( ) section:( )\nmatch-case: ignore-case: /regex/ [property] [property:value] [property:null]\nlinks-to:NOTE linked-from:NOTE orphan:true"
    )]
    Search(search::SearchArgs),
    /// Build or refresh the index in <vault>/.vaultkit/ (other commands refresh it too).
    #[command(
        after_help = "Examples:\n  vaultkit index\n  vaultkit index --stats\n  vaultkit index --rebuild"
    )]
    Index(index::IndexArgs),
    /// Show a note: properties, tags, headings, links (resolved) and backlinks.
    #[command(
        after_help = "Example:\n  vaultkit show \"Becoming a Technical Product Manager\" --format json"
    )]
    Show(note::ShowArgs),
    /// List a note's outgoing links and where each one leads.
    #[command(
        after_help = "Example:\n  vaultkit links \"Create a course to become a Technical Product Manager\""
    )]
    Links(note::LinksArgs),
    /// List the links that point at a note, with file and line.
    #[command(after_help = "Example:\n  vaultkit backlinks Agile")]
    Backlinks(note::LinksArgs),
    /// Count notes per tag; nested tags (`a/b`) form a tree.
    #[command(after_help = "Example:\n  vaultkit tags --sort count")]
    Tags(tags::TagsArgs),
    /// Check links, anchors and front matter; exit 1 when a finding reaches --fail-on.
    #[command(
        after_help = "Examples:\n  vaultkit lint\n  vaultkit lint Topics/ --format json\n  vaultkit lint --deny warnings\n  vaultkit lint --explain broken-link\n  vaultkit lint --fix --dry-run\n  vaultkit lint --changed-since origin/main --format github"
    )]
    Lint(lint::LintArgs),
    /// Evaluate an Obsidian base (a .base file, or a ```base block in a note); exit 1 when the view has no rows.
    #[command(
        after_help = "Examples:\n  vaultkit base Lessons.base\n  vaultkit base Lessons.base --view Drafts --format md\n  vaultkit base \"Course.md\" --block 2 --format json"
    )]
    Base(base::BaseArgs),
    /// Filter the vault with a Bases expression; exit 1 when nothing matches.
    #[command(
        after_help = "Examples:\n  vaultkit query 'status == \"draft\" && created < today() - \"30d\"'\n  vaultkit query 'file.hasTag(\"lesson\")' --fields status,created --sort created:desc\n  vaultkit query 'file.inFolder(\"Topics\")' --format paths"
    )]
    Query(base::QueryArgs),
    /// Write a vaultkit.toml inferred from the vault's notes (types, enums, required fields).
    #[command(after_help = "Examples:\n  vaultkit init\n  vaultkit init --print")]
    Init(init::InitArgs),
    /// Export the link graph (JSON, DOT, Mermaid) or summarise it (`graph stats`).
    #[command(
        after_help = "Examples:\n  vaultkit graph stats\n  vaultkit graph --format dot | dot -Tsvg > vault.svg\n  vaultkit graph --from Git --depth 2 --format mermaid"
    )]
    Graph(graph::GraphArgs),
    /// Turn a note and what it links to into an ordered course outline.
    #[command(
        after_help = "Examples:\n  vaultkit outline \"Create a course to become a Technical Product Manager\"\n  vaultkit outline Git --depth 1 --format json\n  vaultkit outline ROOT --write \"Course outline.md\"\n  vaultkit outline ROOT --check \"Course outline.md\""
    )]
    Outline(outline::OutlineArgs),
    /// Edit one property in many notes' front matter (set, unset, rename, add, remove), all or nothing.
    #[command(
        after_help = "Examples:\n  vaultkit props set status active --where '[status:draft]' --dry-run\n  vaultkit props add tags course \"Topics/Git.md\" \"Topics/Agile.md\"\n  vaultkit props rename migrated_from source --where '[migrated_from]' --format json\n\nValues are written as Obsidian writes them: dates and numbers plain, [[links]]\nquoted, lists one `- item` a line. Every other byte of the note stays as it was.\nNothing is written when any chosen note cannot take the edit (see docs/refactor.md)."
    )]
    Props(props::PropsArgs),
    /// Move notes, attachments or folders, or rename a heading, rewriting every link so that it leads where it led.
    #[command(
        after_help = "Examples:\n  vaultkit mv \"Topics/Git.md\" Tools/\n  vaultkit mv Agile \"Agile methods\" --dry-run\n  vaultkit mv Topics Subjects --format json\n  vaultkit mv \"Git#Branching\" \"Branches\"\n  vaultkit mv Git Scrum Tools/ --git\n\nLinks keep their form: a full path stays a full path, a relative one relative,\nand a name stays the shortest text that leads there alone. Nothing is written\nwhen a link could not keep its meaning (see docs/refactor.md)."
    )]
    Mv(mv::MvArgs),
    /// Serve editors as a language server on stdin/stdout (the vault is the editor's workspace folder).
    #[command(
        after_help = "Examples:\n  vaultkit lsp\n  vaultkit lsp --vault ~/notes\n\nThe vault is --vault DIR (or $VAULTKIT_VAULT) when given, else each workspace\nfolder the editor names, else its root, else the nearest vault above the\nworking directory. Setup for Neovim, Helix, VS Code and Zed: docs/lsp.md."
    )]
    Lsp,
    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  vaultkit completions bash > ~/.local/share/bash-completion/completions/vaultkit"
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// What every command that reads the vault gets.
pub struct Ctx {
    vault: Vault,
    palette: Palette,
}

/// Parses the command line. An environment variable that is set but empty
/// (`VAULTKIT_VAULT=`) counts as unset, as it does for most tools.
pub fn parse() -> Cli {
    let command = <Cli as clap::CommandFactory>::command().mut_args(|arg| {
        let empty = arg
            .get_env()
            .and_then(std::env::var_os)
            .is_some_and(|value| value.is_empty());
        if empty { arg.env(None) } else { arg }
    });
    let matches = command.get_matches();
    <Cli as clap::FromArgMatches>::from_arg_matches(&matches).unwrap_or_else(|err| err.exit())
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if let Command::Completions { shell } = cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(shell, &mut command, "vaultkit", &mut out);
        return Ok(ExitCode::SUCCESS);
    }
    if let Command::Lint(args) = &cli.command
        && let Some(explained) = lint::explain(args, &mut out)
    {
        return explained;
    }
    if let Command::Lsp = cli.command {
        let discovered = match cli.vault {
            Some(_) => None,
            None => locate_vault(None).ok(),
        };
        return lsp::run(cli.vault, discovered, cli.index_dir);
    }
    if let Command::Init(args) = &cli.command {
        let root = match cli.vault {
            Some(root) => root,
            None => locate_vault(None).or_else(|_| std::env::current_dir())?,
        };
        return init::run(&root, args, &mut out);
    }
    let palette = Palette::new(use_color(cli.color));
    let root = locate_vault(cli.vault)?;
    vaultkit::vault::scan::check_root(&root)?;
    let config = Config::load(&root)?;
    let options = vaultkit::index::Options {
        data_dir: cli.index_dir.clone(),
        rebuild: matches!(&cli.command, Command::Index(args) if args.rebuild),
        progress: !cli.quiet,
        step: None,
        only_existing: false,
    };
    let needs_index = match &cli.command {
        Command::Search(_) | Command::Index(_) => true,
        Command::Outline(args) => args.needs_index(),
        Command::Props(args) => args.needs_index(),
        _ => false,
    };
    // Without an index, other commands read the vault directly rather than
    // build one: a first run (or CI on a fresh clone) pays no indexing.
    // `props` on named notes reads only those.
    let skips_index = matches!(&cli.command, Command::Props(_));
    let opened = if needs_index || (!skips_index && Index::exists(&root, &options)) {
        Index::open(&root, &config, &options).map(Some)
    } else {
        Ok(None)
    };
    let (index, refresh) = match opened {
        Ok(None) => (None, None),
        Ok(Some((index, refresh))) => {
            report_refresh(&refresh, cli.quiet, cli.verbose);
            (Some(index), Some(refresh))
        }
        Err(err @ vaultkit::error::Error::NotAVault { .. }) => return Err(err.into()),
        Err(err) if !needs_index => {
            if !cli.quiet {
                eprintln!("note: cannot use the index ({err}); reading the vault directly");
            }
            (None, None)
        }
        Err(err) => {
            return Err(err)
                .with_context(|| format!("cannot index the vault at {}", root.display()));
        }
    };
    let queried = match (&cli.command, &index) {
        (Command::Outline(args), Some(index)) => outline::search(index, &root, args)?,
        _ => None,
    };
    match (&cli.command, &index, &refresh) {
        (Command::Search(args), Some(index), _) => {
            let code = search::run(index, &root, args, palette, &mut out)?;
            out.flush()?;
            return Ok(code);
        }
        (Command::Props(args), index, _) => {
            let code = props::run(index.as_ref(), &root, &config, args, &mut out)?;
            out.flush()?;
            return Ok(code);
        }
        (Command::Index(args), Some(index), Some(refresh)) => {
            let code = index::run(index, refresh, args, &mut out)?;
            out.flush()?;
            return Ok(code);
        }
        _ => {}
    }
    let kept =
        match (&cli.command, &index, &refresh) {
            (Command::Lint(_), Some(index), Some(refresh)) => Some(
                vaultkit::lint::cache::Kept::new(index, &config, &refresh.problems),
            ),
            _ => None,
        };
    // An outline reads a part of the vault, a base reads each note as its
    // row is evaluated, and a move the notes whose links it may change;
    // every other command reads all of it first.
    let decode = match &cli.command {
        Command::Outline(_) | Command::Base(_) | Command::Query(_) | Command::Mv(_) => {
            Decode::WhenNeeded
        }
        _ => Decode::Now,
    };
    let from_index = index.as_ref().zip(refresh).map(|(index, refresh)| {
        || {
            grow_heaps_in_large_steps();
            index
                .vault(&root, refresh.problems, decode)
                .with_context(|| format!("cannot read the index of {}", root.display()))
        }
    });
    if let Command::Lint(args) = &cli.command {
        // Lint reports the vault's problems as findings, and may not need
        // to load the vault at all.
        let code = lint::run(
            from_index,
            &root,
            &config,
            args,
            kept.as_ref(),
            palette,
            &mut out,
        )?;
        out.flush()?;
        return Ok(code);
    }
    let vault = match from_index {
        Some(load) => load()?,
        None => read_vault(&root, &config)?,
    };
    report_problems(&vault, cli.quiet, cli.verbose);
    if let Command::Mv(args) = &cli.command {
        let code = mv::run(vault, &root, args, &mut out)?;
        out.flush()?;
        return Ok(code);
    }
    let context = Ctx { vault, palette };
    let code = match cli.command {
        Command::Show(args) => note::show(&context, &args, &mut out),
        Command::Links(args) => note::links(&context, &args, &mut out),
        Command::Backlinks(args) => note::backlinks(&context, &args, &mut out),
        Command::Tags(args) => tags::run(&context, &args, &mut out),
        Command::Graph(args) => graph::run(&context, &args, &mut out),
        Command::Base(args) => base::run(&context, &args, &mut out),
        Command::Query(args) => base::query(&context, &args, &mut out),
        Command::Outline(args) => outline::run(&context, &args, queried, index.as_ref(), &mut out),
        Command::Completions { .. }
        | Command::Lsp
        | Command::Init(_)
        | Command::Search(_)
        | Command::Index(_)
        | Command::Props(_)
        | Command::Mv(_)
        | Command::Lint(_) => {
            unreachable!("handled above")
        }
    }?;
    out.flush()?;
    // The process ends here: let the OS reclaim the vault's many small
    // allocations at once instead of freeing them one by one.
    std::mem::forget(context);
    Ok(code)
}

/// The vault, read from its folder.
fn read_vault(root: &Path, config: &Config) -> Result<Vault> {
    Vault::load(root, config)
        .with_context(|| format!("cannot load the vault at {}", root.display()))
}

fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
                && std::io::stdout().is_terminal()
        }
    }
}

/// `--vault` / `$VAULTKIT_VAULT`, else the nearest ancestor that looks like a vault.
fn locate_vault(explicit: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = explicit {
        return Ok(path);
    }
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    if let Some(found) = cwd.ancestors().find(|dir| looks_like_vault(dir)) {
        return Ok(found.to_owned());
    }
    bail!(
        "no vault found: neither {} nor any folder above it holds .obsidian/ or vaultkit.toml\n\
         hint: pass --vault DIR, or set VAULTKIT_VAULT",
        cwd.display()
    )
}

fn looks_like_vault(dir: &Path) -> bool {
    dir.join(".obsidian").is_dir() || dir.join(vaultkit::config::FILE_NAME).is_file()
}

/// What the index refresh did, on stderr: a notice when the index had to be
/// rebuilt or was busy, and the counts with `-v`.
fn report_refresh(refresh: &Refresh, quiet: bool, verbose: bool) {
    if quiet {
        return;
    }
    if let Some(reason) = &refresh.rebuilt
        && (verbose || refresh.had_index)
    {
        eprintln!("note: rebuilding the index: {reason}");
    }
    if let Some(data) = &refresh.relocated {
        eprintln!(
            "note: the vault is read-only; its index is kept in {}",
            data.display()
        );
    }
    if let Some(reason) = &refresh.failed {
        eprintln!("note: cannot update the index ({reason}); using it as it was");
    }
    if refresh.stale {
        eprintln!("note: another vaultkit process is updating the index; using it as it was");
    }
    if verbose {
        eprintln!(
            "index: {} notes, {} other files; listed {} of {} folders; parsed {}, added {}, changed {}, removed {}, relinked {} in {} ms",
            refresh.notes,
            refresh.attachments,
            refresh.listed,
            refresh.folders,
            refresh.parsed,
            refresh.added,
            refresh.changed,
            refresh.removed,
            refresh.relinked,
            refresh.elapsed.as_millis()
        );
    }
}

/// Problems reading the vault go to stderr: errors always (unless `-q`),
/// everything with `-v`, otherwise a one-line count of the rest.
fn report_problems(vault: &Vault, quiet: bool, verbose: bool) {
    if quiet {
        return;
    }
    let mut hidden = 0;
    for diagnostic in vault.diagnostics() {
        if verbose || diagnostic.severity == Severity::Error {
            let position = diagnostic
                .span
                .map_or_else(String::new, |s| format!(":{}:{}", s.line, s.column));
            eprintln!(
                "{}: {}{position}: {} [{}]",
                diagnostic.severity.as_str(),
                diagnostic.path,
                diagnostic.message,
                diagnostic.rule
            );
        } else {
            hidden += 1;
        }
    }
    if hidden > 0 {
        eprintln!(
            "note: {hidden} more warnings about notes in this vault; run with -v to list them"
        );
    }
}

/// Loading a vault from the index makes many small allocations on every
/// thread. glibc grows each thread's heap a few pages at a time, one
/// `mprotect` call per step; asking for 64 MiB of headroom per step (address
/// space only: pages still become resident when touched) cut system time by
/// a third on a warm `graph stats` of 20k notes, for a few MB more peak RSS.
/// Not for builds: freed memory then stays with the process (a cold index of
/// 20k notes peaked 20 MB higher). Setting it also fixes glibc's threshold
/// for giving a large allocation its own mapping, which otherwise rises as
/// large blocks are freed (no effect seen here: 35 `mmap` calls instead of
/// 49 on a 6.6k-note lint).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn grow_heaps_in_large_steps() {
    // SAFETY: mallopt only changes a malloc tunable (glibc serialises it).
    unsafe {
        libc::mallopt(libc::M_TOP_PAD, 64 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn grow_heaps_in_large_steps() {}
