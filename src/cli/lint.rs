//! `lint`: run the rules, print the findings, exit 1 when any reaches `--fail-on`.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};
use jiff::civil::Date;
use rayon::prelude::*;
use vaultkit::config::Config;
use vaultkit::error::Error;
use vaultkit::index::{Index, codec, kept};
use vaultkit::lint::{self, baseline, baseline::Baseline, changes, fix};
use vaultkit::model::{Diagnostic, Severity, Span};
use vaultkit::render::{self, Palette};
use vaultkit::vault::Vault;

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

/// The findings of `lint` an index keeps for an unchanged vault. They also
/// depend on the configuration, today's date (`future-date`) and the
/// problems the scan found: those make the key.
pub struct Kept<'a> {
    index: &'a Index,
    key: Vec<u8>,
    today: Date,
}

impl<'a> Kept<'a> {
    /// The findings `index` may keep for a run with `config` whose scan found `problems`.
    pub fn new(index: &'a Index, config: &Config, problems: &[Diagnostic]) -> Self {
        let today = today();
        let mut key = format!("{config:?}\n{today}\n").into_bytes();
        key.extend(codec::encode_diagnostics(problems));
        Self { index, key, today }
    }

    /// The findings kept for this vault and key, if any.
    fn findings(&self) -> Option<Vec<Diagnostic>> {
        let rules: Vec<&'static str> = lint::RULES.iter().map(|rule| rule.id).collect();
        let bytes = self.index.kept(kept::LINT, &self.key)?;
        codec::decode_diagnostics(&bytes, &rules).ok()
    }

    fn keep(&self, findings: &[Diagnostic]) {
        let bytes = codec::encode_diagnostics(findings);
        self.index.keep(kept::LINT, &self.key, &bytes);
    }
}

fn today() -> Date {
    jiff::ZonedDateTime::now().date()
}

/// Runs the rules over the vault `load` reads (or takes back the findings
/// `kept` holds, when the vault did not change), reports those in scope, and
/// exits 1 when one reaches `--fail-on`.
pub fn run(
    load: impl FnOnce() -> Result<Vault>,
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
            let loaded = load()?;
            let refreshed;
            let mut vault = &loaded;
            if args.fix {
                let changed = fix(vault, config, &wanted, args.dry_run, out)?;
                if args.dry_run {
                    return Ok(if changed > 0 {
                        ExitCode::from(1)
                    } else {
                        ExitCode::SUCCESS
                    });
                }
                if changed > 0 {
                    refreshed = Vault::load(root, config).with_context(|| {
                        format!("cannot reload the vault at {}", root.display())
                    })?;
                    vault = &refreshed;
                }
            }
            let bases = base_sources(root, vault);
            let today = kept.map_or_else(today, |k| k.today);
            let findings = lint::run(vault, config, today, &bases);
            if let Some(kept) = kept {
                kept.keep(&findings);
            }
            let into_deleted: HashSet<(String, Span)> =
                changes::links_into_deleted(vault, &scope.deleted)
                    .into_iter()
                    .collect();
            // As in `cli::run`: the OS reclaims the vault's many small
            // allocations at once when the process ends.
            std::mem::forget(loaded);
            (findings, into_deleted)
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

/// `--fix`: rewrites each note in scope that has safe fixes (atomically, and
/// only if it still holds what was linted), or with `dry_run` prints the
/// diff. Returns how many files were (or would be) changed.
fn fix(
    vault: &Vault,
    config: &Config,
    wanted: &dyn Fn(&str) -> bool,
    dry_run: bool,
    out: &mut dyn Write,
) -> Result<usize> {
    let root = vault.root().context("the vault has no folder")?;
    let enabled = fix::Enabled {
        case: lint::is_enabled(config, "case-mismatch"),
        tags: lint::is_enabled(config, "invalid-tag"),
        aliases: lint::is_enabled(config, "broken-link"),
    };
    let mut changed = 0;
    for id in fix::candidates(vault, enabled) {
        let path = &vault.note(id).path;
        if !wanted(path) {
            continue;
        }
        let file = root.join(path);
        let bytes =
            std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
        // Fixes are made on the decoded text: a note that does not decode
        // exactly (bytes that are not UTF-8) would lose the bytes that were
        // replaced, so it is left alone.
        let (text, problem) = vaultkit::parse::decode(path, &bytes);
        if problem.is_some() {
            eprintln!("skipped {path}: it is not valid UTF-8 text; save it as UTF-8 to fix it");
            continue;
        }
        let (fixed, fixes) = match fix::fix_note(vault, id, &text, enabled) {
            Ok(Some(done)) => done,
            Ok(None) => continue,
            Err(fix::Stale) => {
                eprintln!("skipped {path}: it changed since it was read; run lint --fix again");
                continue;
            }
        };
        if dry_run {
            render::diff(out, path, &text, &fixed)?;
        } else {
            let bom: &[u8] = if bytes.starts_with(BOM) { BOM } else { b"" };
            let new_bytes = [bom, fixed.as_bytes()].concat();
            match vaultkit::atomic::write_if_unchanged(&file, &bytes, &new_bytes) {
                Ok(true) => {}
                Ok(false) => {
                    eprintln!("skipped {path}: it changed since it was read; run lint --fix again");
                    continue;
                }
                Err(Error::Refused { reason, .. }) => {
                    eprintln!("skipped {path}: {reason}");
                    continue;
                }
                Err(err) => return Err(err.into()),
            }
            eprintln!("fixed {path}: {}", describe(&fixes));
        }
        changed += 1;
    }
    Ok(changed)
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

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

/// The `.base` files and the notes with ```` ```base ```` blocks, read for
/// the base rules; a file that cannot be read again is left out.
fn base_sources(root: &Path, vault: &Vault) -> Vec<lint::BaseSource> {
    let notes = vault
        .notes()
        .filter(|note| note.has_base_block)
        .map(|note| note.path.as_str());
    let files = (vault.attachments().iter())
        .map(String::as_str)
        .filter(|path| lint::BaseSource::is_base_file(path));
    let paths: Vec<&str> = notes.chain(files).collect();
    paths
        .into_par_iter()
        .filter_map(|path| {
            let text = read_source(root, path)?;
            Some(lint::BaseSource {
                path: path.to_owned(),
                text,
            })
        })
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

/// What to report: files under PATHS, changed since `--changed-since REV`
/// (both, when both are given), plus links into files deleted since.
struct Scope {
    /// Vault-relative prefixes from PATHS; empty means everything.
    prefixes: Vec<String>,
    /// Files changed since REV, when asked.
    changed: Option<HashSet<String>>,
    /// Files that no longer exist: deleted or renamed since REV, or named in PATHS.
    deleted: Vec<String>,
}

impl Scope {
    fn new(root: &Path, paths: &[String], changed_since: Option<&str>) -> Result<Self> {
        let prefixes = scopes(root, paths);
        let mut deleted = Vec::new();
        for (prefix, given) in prefixes.iter().zip(paths) {
            // Named, but neither in the vault nor anywhere else on disk.
            if !prefix.is_empty() && !root.join(prefix).exists() && !Path::new(given).exists() {
                deleted.push(prefix.clone());
                // `Old note` means the note `Old note.md`.
                if !prefix.rsplit('/').next().unwrap_or_default().contains('.') {
                    deleted.push(format!("{prefix}.md"));
                }
            }
        }
        let changed = match changed_since {
            None => None,
            Some(rev) => {
                let (changed, gone) = git_changes(root, rev)?;
                deleted.extend(gone);
                Some(changed)
            }
        };
        let mut scope = Self {
            prefixes,
            changed,
            deleted,
        };
        let deleted = std::mem::take(&mut scope.deleted);
        scope.deleted = deleted
            .into_iter()
            .filter(|path| scope.under_paths(path))
            .collect();
        Ok(scope)
    }

    fn under_paths(&self, path: &str) -> bool {
        self.prefixes.is_empty() || self.prefixes.iter().any(|p| in_scope(path, p))
    }

    /// Whether findings in this file are reported.
    fn wants_file(&self, path: &str) -> bool {
        self.under_paths(path) && self.changed.as_ref().is_none_or(|c| c.contains(path))
    }
}

/// Files of the vault (at `root`) changed since git revision `rev`, tracked
/// or new and untracked; and those deleted since (a rename is both).
fn git_changes(root: &Path, rev: &str) -> Result<(HashSet<String>, Vec<String>)> {
    if rev.starts_with('-') {
        bail!("--changed-since: `{rev}` is not a git revision");
    }
    let git = |args: &[&str]| -> Result<Vec<String>> {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .context("--changed-since runs git, which could not be started")?;
        if !output.status.success() {
            bail!(
                "--changed-since: `git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout)
            .split('\0')
            .filter(|s| !s.is_empty())
            .map(|s| vaultkit::vault::resolve::nfc(s).into_owned())
            .collect())
    };
    let diff = git(&[
        "diff",
        "--name-status",
        "-z",
        "--no-renames",
        "--relative",
        rev,
        "--",
    ])?;
    let mut changed = HashSet::new();
    let mut deleted = Vec::new();
    for pair in diff.chunks(2) {
        if let [status, path] = pair {
            if status == "D" {
                deleted.push(path.clone());
            } else {
                changed.insert(path.clone());
            }
        }
    }
    changed.extend(git(&["ls-files", "-z", "--others", "--exclude-standard"])?);
    Ok((changed, deleted))
}

/// PATHS as vault-relative prefixes: a path on disk inside the vault is made
/// relative to it; anything else is taken as vault-relative already.
fn scopes(root: &Path, paths: &[String]) -> Vec<String> {
    let root = root.canonicalize().ok();
    paths
        .iter()
        .map(|p| {
            let on_disk = Path::new(p).canonicalize().ok();
            let relative = root
                .as_deref()
                .zip(on_disk.as_deref())
                .and_then(|(root, path)| path.strip_prefix(root).ok())
                .map(|rel| rel.to_string_lossy().replace('\\', "/"));
            relative.unwrap_or_else(|| p.trim_start_matches("./").to_owned())
        })
        .map(|scope| scope.trim_end_matches('/').to_owned())
        .collect()
}

fn in_scope(path: &str, scope: &str) -> bool {
    scope.is_empty()
        || path == scope
        || path
            .strip_prefix(scope)
            .is_some_and(|rest| rest.starts_with('/'))
}
