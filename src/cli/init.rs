//! `init`: write a commented `vaultkit.toml` inferred from the vault.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use vaultkit::config::{Config, FILE_NAME};
use vaultkit::infer;
use vaultkit::vault::Vault;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite an existing vaultkit.toml.
    #[arg(long)]
    force: bool,
    /// Print the config instead of writing it.
    #[arg(long)]
    print: bool,
}

pub fn run(root: &Path, args: &InitArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let path = root.join(FILE_NAME);
    let exists = path.exists();
    if exists && !args.force && !args.print {
        bail!(
            "{} already exists; pass --force to replace it (or --print to see what init would write)",
            path.display()
        );
    }
    // An existing config's `ignore` still says which files are not notes.
    let current = if exists {
        Config::load(root).unwrap_or_else(|err| {
            eprintln!("note: not using the current {FILE_NAME}: {err}");
            Config::default()
        })
    } else {
        Config::default()
    };
    let vault = Vault::load(root, &current)
        .with_context(|| format!("cannot load the vault at {}", root.display()))?;
    let mut ignore = current.ignore.clone();
    for glob in infer::template_globs(&vault) {
        if !ignore.contains(&glob) {
            ignore.push(glob);
        }
    }
    let text = infer::config_for(&vault, &ignore);
    Config::from_toml(&text, &path).context("the inferred config does not parse")?;
    if args.print {
        out.write_all(text.as_bytes())?;
    } else {
        vaultkit::atomic::write(&path, text.as_bytes())?;
        eprintln!(
            "wrote {} from {} notes; `vaultkit lint` now checks the vault against it",
            path.display(),
            vault.note_count()
        );
    }
    Ok(ExitCode::SUCCESS)
}
