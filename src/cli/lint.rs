//! `lint`: run the rules, print the findings, exit 1 when any reaches `--fail-on`.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use vaultkit::config::Config;
use vaultkit::lint::cache::{self, Kept};
use vaultkit::lint::changes::{self, Scope};
use vaultkit::lint::fix::{self, FixLookup};
use vaultkit::lint::rewrite::{self, Outcome};
use vaultkit::lint::{self, baseline, baseline::Baseline};
use vaultkit::model::{Diagnostic, Severity};
use vaultkit::render::{self, Palette};
use vaultkit::vault::live::LiveVault;
use vaultkit::vault::{FileId, Vault};

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Only report findings in these files or folders (vault-relative or on disk).
    #[arg(value_name = "PATHS")]
    paths: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit 1 when a finding is at least this severe.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Print what a rule checks and how to fix its findings, then exit.
    #[arg(long, value_name = "RULE")]
    explain: Option<String>,
    /// `--deny warnings` is `--fail-on warning`.
    #[arg(long, value_name = "warnings", value_parser = ["warnings"], conflicts_with = "fail_on")]
    deny: Option<String>,
    /// Report only findings that are not in this baseline file, and list its
    /// entries that no longer occur.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every current finding to this baseline file, then exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Only report findings in files changed since this git revision (and
    /// broken links into files deleted or renamed since).
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// Apply the safe fixes (link case, legacy tags, links to an alias), then
    /// report what is left.
    #[arg(long, conflicts_with = "write_baseline")]
    fix: bool,
    /// With --fix: print the changes as a unified diff and write nothing
    /// (exit 1 when there is something to fix).
    #[arg(long, requires = "fix")]
    dry_run: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Grouped by file, for people.
    Human,
    /// `{"diagnostics": [...], "summary": {...}}`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions annotations (`::error file=…,line=…::…`).
    Github,
    /// JUnit XML, for GitLab and other CI test reports.
    Junit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

/// `--explain RULE`, which needs no vault.
pub fn explain(args: &LintArgs, out: &mut dyn Write) -> Option<Result<ExitCode>> {
    let id = args.explain.as_deref()?;
    Some(match lint::explain(id) {
        Some(doc) => writeln!(out, "{id}\n\n{doc}")
            .map(|()| ExitCode::SUCCESS)
            .map_err(Into::into),
        None => Err(anyhow::anyhow!(
            "no rule `{id}`; rules: {}",
            lint::RULES
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
                .join(", ")
        )),
    })
}

/// Runs the rules over the vault (or takes back the findings `kept` holds,
/// when the vault did not change), reports those in scope, and exits 1 when
/// one reaches `--fail-on`. The vault is read from the index with
/// `from_index`, else from its folder.
pub fn run(
    from_index: Option<impl FnOnce() -> Result<Vault>>,
    root: &Path,
    config: &Config,
    args: &LintArgs,
    kept: Option<&Kept<'_>>,
    palette: Palette,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let unknown = lint::unknown_rules(config);
    if !unknown.is_empty() {
        bail!(
            "vaultkit.toml: [lint.rules] names unknown rules: {} (known rules: {})",
            unknown.join(", "),
            lint::RULES
                .iter()
                .map(|r| r.id)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let scope = Scope::new(root, &args.paths, args.changed_since.as_deref())?;
    let wanted = |path: &str| scope.wants_file(path);
    // Fixes change the vault, and links into deleted files are found in it.
    let kept = kept.filter(|_| !args.fix);
    let reused = kept
        .filter(|_| scope.deleted.is_empty())
        .and_then(Kept::findings);
    let (mut findings, into_deleted) = match reused {
        Some(findings) => (findings, HashSet::new()),
        None => {
            let vault = match from_index {
                Some(load) => load()?,
                None => Vault::load(root, config)
                    .with_context(|| format!("cannot load the vault at {}", root.display()))?,
            };
            let today = kept.map_or_else(cache::today, Kept::today);
            let mut live = vault.into_live();
            if args.fix {
                let changed = fix(&live, root, config, &wanted, args.dry_run, out)?;
                if args.dry_run {
                    return Ok(dry_run_code(&changed));
                }
                // The vault takes the fixed notes' new text, as it would
                // read them again.
                for (path, text) in changed {
                    live.upsert_note(&path, &text)
                        .with_context(|| format!("cannot read {path} again"))?;
                }
            }
            let bases = lint::read_bases(root, base_paths(&live));
            let findings = lint::live::findings(&live, config, today);
            let findings = lint::with_bases(findings, &bases, config);
            if let Some(kept) = kept {
                kept.keep(&findings);
            }
            let into_deleted = changes::links_into_deleted(live.unresolved_links(), &scope.deleted);
            // As in `cli::run`: the OS reclaims the vault's many small
            // allocations at once when the process ends.
            std::mem::forget(live);
            (findings, into_deleted.into_iter().collect())
        }
    };
    findings.retain(|f| {
        wanted(&f.path)
            || f.span
                .is_some_and(|span| into_deleted.contains(&(f.path.clone(), span)))
    });
    // Fingerprints need the notes' text; other reports read it (for code
    // frames) one file at a time, or not at all.
    let needs_sources =
        args.format == Format::Sarif || args.baseline.is_some() || args.write_baseline.is_some();
    let sources = if needs_sources {
        sources(root, &findings)
    } else {
        render::lint::Sources::new()
    };
    let fingerprints = |findings: &[Diagnostic]| -> Vec<String> {
        findings
            .iter()
            .map(|f| baseline::fingerprint(f, sources.get(&f.path).map(String::as_str)))
            .collect()
    };
    if let Some(file) = &args.write_baseline {
        let written = Baseline::of(&findings, &fingerprints(&findings));
        vaultkit::atomic::write(file, written.to_json().as_bytes())?;
        eprintln!(
            "wrote {} findings to the baseline {}",
            findings.len(),
            file.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if let Some(file) = &args.baseline {
        let prints = fingerprints(&findings);
        let mut filtered = read_baseline(file)?.filter(findings, &prints);
        filtered.gone.retain(|entry| wanted(&entry.path));
        report_gone(&filtered.gone, file);
        findings = filtered.new;
    }
    // Standard output is line-buffered: write the report in large blocks.
    let mut out = std::io::BufWriter::new(out);
    let out: &mut dyn Write = &mut out;
    match args.format {
        Format::Human => {
            let source = |path: &str| read_source(root, path);
            render::lint::human(out, &findings, &source, palette)?;
        }
        Format::Json => render::lint::json(out, &findings)?,
        Format::Sarif => render::lint::sarif(
            out,
            &findings,
            &fingerprints(&findings),
            &vault_prefix(root),
        )?,
        Format::Github => render::lint::github(out, &findings, &vault_prefix(root))?,
        Format::Junit => render::lint::junit(out, &findings)?,
    }
    out.flush()?;
    let threshold = match (args.deny.is_some(), args.fail_on) {
        (true, _) | (false, FailOn::Warning) => Severity::Warning,
        (false, FailOn::Error) => Severity::Error,
        (false, FailOn::Info) => Severity::Info,
    };
    let failed = findings
        .iter()
        .any(|f: &Diagnostic| f.severity <= threshold);
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `--fix`: rewrites each note in scope of `vault` (read from `root`) that
/// has safe fixes, or with `dry_run` prints the diff; says on stderr what
/// was fixed or skipped. Returns the notes that were (or would be) changed,
/// by path, with their new text.
fn fix(
    vault: &impl FixLookup,
    root: &Path,
    config: &Config,
    wanted: &dyn Fn(&str) -> bool,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<Vec<(String, String)>> {
    let mut changed = Vec::new();
    for outcome in rewrite::rewrite(vault, root, config, wanted, dry_run)? {
        match outcome {
            Outcome::Fixed { path, fixes, text } => {
                eprintln!("fixed {path}: {}", describe(&fixes));
                changed.push((path, text));
            }
            Outcome::WouldFix {
                path,
                before,
                after,
            } => {
                render::diff(out, &path, &before, &after)?;
                changed.push((path, after));
            }
            Outcome::Skipped { path, reason } => eprintln!("skipped {path}: {reason}"),
        }
    }
    Ok(changed)
}

/// A dry run exits 1 when it found something to fix.
fn dry_run_code(changed: &[(String, String)]) -> ExitCode {
    if changed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `2 case-mismatch, 1 invalid-tag`.
fn describe(fixes: &[fix::Fix]) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for one in fixes {
        *counts.entry(one.rule).or_default() += 1;
    }
    counts
        .iter()
        .map(|(rule, n)| format!("{n} {rule}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_baseline(file: &Path) -> Result<Baseline> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("cannot read the baseline {}", file.display()))?;
    Baseline::from_json(&text)
        .map_err(|err| anyhow::anyhow!("{}: not a vaultkit baseline: {err}", file.display()))
}

/// Baseline entries that no longer occur, on stderr (stdout stays the report).
fn report_gone(gone: &[baseline::Entry], file: &Path) {
    if gone.is_empty() {
        return;
    }
    eprintln!(
        "note: {} entries of the baseline {} no longer occur (rewrite it with --write-baseline):",
        gone.len(),
        file.display()
    );
    for entry in gone {
        eprintln!("  {}: {}: {}", entry.path, entry.rule, entry.message);
    }
}

/// The text of every file with a positioned finding, for fingerprints; a
/// file that cannot be read again is fingerprinted without it.
fn sources(root: &Path, findings: &[Diagnostic]) -> render::lint::Sources {
    let mut paths: Vec<&str> = findings
        .iter()
        .filter(|f| f.span.is_some())
        .map(|f| f.path.as_str())
        .collect();
    paths.sort_unstable();
    paths.dedup();
    paths
        .into_par_iter()
        .filter_map(|path| Some((path.to_owned(), read_source(root, path)?)))
        .collect()
}

fn base_paths(live: &LiveVault) -> Vec<&str> {
    live.files()
        .filter(|&(path, file)| match file {
            FileId::Note(id) => live.note(id).is_some_and(|note| note.has_base_block),
            FileId::Attachment(_) => lint::BaseSource::is_base_file(path),
        })
        .map(|(path, _)| path)
        .collect()
}

/// The decoded text of the note at vault path `path`, if it can be read.
fn read_source(root: &Path, path: &str) -> Option<String> {
    let bytes = std::fs::read(root.join(path)).ok()?;
    let (text, _) = vaultkit::parse::decode(path, &bytes);
    Some(text.into_owned())
}

/// The vault folder as typed (`vault/`), so annotation paths match the
/// repository's when vaultkit runs from its root; empty when it is `.`.
fn vault_prefix(root: &Path) -> String {
    match root.to_string_lossy().replace('\\', "/") {
        root if !root.is_empty() && root != "." => format!("{}/", root.trim_end_matches('/')),
        _ => String::new(),
    }
}
