//! `mv`: move notes, attachments and folders, or rename a heading, with
//! every link rewritten to lead where it led; planned in full, then shown
//! or applied all at once.

use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use vaultkit::refactor::mv::{self, Request};
use vaultkit::refactor::plan;
use vaultkit::render;
use vaultkit::vault::Vault;

#[derive(Debug, Args)]
pub struct MvArgs {
    /// What to move, then where: SRC… DEST. A SRC is a vault path or a
    /// name resolved like a [[wikilink]], or NOTE#Heading to rename a
    /// heading (DEST is then its new text), or NOTE#^id to rename a block id
    /// (DEST is then the new id). With several SRC, DEST is a folder.
    #[arg(value_name = "PATH", num_args = 2.., required = true)]
    paths: Vec<String>,
    /// Print the plan (the moves, then a unified diff of every edit) and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Move files with `git mv` (the vault must be in a git work tree and the files tracked).
    #[arg(long)]
    git: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// A summary, or the moves and diff with --dry-run.
    Text,
    /// The plan as JSON: {"moves":[{"from","to"}],"edits":[{"path","line","column","old","new"}]}.
    Json,
}

/// Plans the move in `vault`, then prints or applies the plan. Exit 2,
/// with nothing written, when a source is missing, a destination taken, or
/// a link could not keep its meaning.
pub fn run(vault: Vault, root: &Path, args: &MvArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let Some((dest, sources)) = args.paths.split_last() else {
        bail!("give what to move and where: SRC… DEST");
    };
    let sources = vaultkit::lint::changes::vault_paths(root, sources);
    let dest_path = vault_path(root, dest)?;
    let into_folder = dest.ends_with('/') || root.join(&dest_path).is_dir();
    let mut live = vault.into_live();
    let request = Request::new(&live, &sources, &dest_path, into_folder)?;
    if let Request::Paths(moves) = &request {
        for step in moves {
            if root.join(&step.to).exists() {
                bail!("{}: not moved: something is already there", step.to);
            }
        }
    }
    let read = |path: &str| {
        let file = root.join(path);
        std::fs::read(&file).map_err(|err| vaultkit::error::Error::io(file, err))
    };
    let planned = mv::plan(&mut live, &request, &read)?;
    if !planned.refusals.is_empty() {
        for refusal in &planned.refusals {
            eprintln!("error: {refusal}");
        }
        bail!(
            "nothing was written: {} links would no longer lead where they lead",
            planned.refusals.len()
        );
    }
    // The process ends soon: let the OS reclaim the vault's many small
    // allocations at once instead of freeing them one by one.
    std::mem::forget(live);
    let plan = &planned.plan;
    if !args.dry_run {
        if args.git {
            check_work_tree(root)?;
            plan::apply_moving(plan, root, &|from, to| git_mv(root, from, to))?;
        } else {
            plan::apply(plan, root)?;
        }
    }
    match args.format {
        Format::Json => render::plan::json(out, plan)?,
        Format::Text if args.dry_run => render::plan::dry_run(out, plan)?,
        Format::Text => {}
    }
    let (moved, rewritten) = if args.dry_run {
        ("would move", "rewrite")
    } else {
        ("moved", "rewrote")
    };
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "{moved} {} and {rewritten} {}",
        count(plan.moves.len(), "path"),
        count(plan.edits.len(), "note")
    );
    Ok(ExitCode::SUCCESS)
}

/// DEST as a vault path: a path on disk when it is absolute or starts with
/// `./` or `../` (it must be inside the vault), else a vault path already.
fn vault_path(root: &Path, dest: &str) -> Result<String> {
    let on_disk =
        Path::new(dest).is_absolute() || dest.starts_with("./") || dest.starts_with("../");
    if !on_disk {
        return Ok(dest.to_owned());
    }
    let cwd = std::env::current_dir().context("cannot read the working directory")?;
    // As written, then with links in the working directory and the root
    // followed (either may be reached through a link).
    let spelled = (
        lexical(&cwd.join(dest)),
        lexical(&std::path::absolute(root)?),
    );
    let real = (cwd.canonicalize().ok())
        .zip(root.canonicalize().ok())
        .map(|(cwd, root)| (lexical(&cwd.join(dest)), root));
    for (path, root) in std::iter::once(spelled).chain(real) {
        if let Ok(inside) = path.strip_prefix(&root) {
            return Ok(inside.to_string_lossy().replace('\\', "/"));
        }
    }
    bail!(
        "{dest}: not moved: it is outside the vault at {}",
        root.display()
    )
}

/// `path` with its `.` and `..` parts worked out, without asking the disk.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Refuses `--git` outside a git work tree.
fn check_work_tree(root: &Path) -> Result<()> {
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--is-inside-work-tree"])
        .output()
        .context("cannot run git")?;
    if !output.status.success() || output.stdout.trim_ascii() != b"true" {
        bail!("--git: {} is not in a git work tree", root.display());
    }
    Ok(())
}

/// `git mv FROM TO`, run in the vault, making TO's folder first.
fn git_mv(root: &Path, from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(folder) = to.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["mv", "--"])
        .arg(from)
        .arg(to)
        .output()?;
    if output.status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!(
            "git mv failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}
