//! Times the live vault's in-place updates on a real vault folder, each with
//! the lint findings it may change linted again (as the language server
//! does): one note upserted (its text only, a changed link, a new note that
//! captures unresolved links), and a note linked from 500 notes renamed (no
//! file is written: the vault is read once, then changed in memory).
//!
//! ```sh
//! cargo run --release --example live_model -- /tmp/vaultkit-bench/synthetic-20k [SAMPLES]
//! ```

use std::collections::BTreeSet;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use vaultkit::config::{self, Config};
use vaultkit::lint::live::Findings;
use vaultkit::parse;
use vaultkit::vault::change::{ChangeError, Changes};
use vaultkit::vault::live::LiveVault;
use vaultkit::vault::scan;

/// How many notes must link to the renamed note.
const LINKED_FROM: usize = 500;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(root) = args.next() else {
        eprintln!("usage: live_model VAULT_DIR [SAMPLES]");
        return ExitCode::from(2);
    };
    let samples: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(200);
    let (notes, attachments, config) = match read_vault(Path::new(&root)) {
        Ok(found) => found,
        Err(err) => {
            eprintln!("live_model: {err}");
            return ExitCode::from(2);
        }
    };
    let start = Instant::now();
    let pairs = notes.iter().map(|(p, t)| (p.as_str(), t.as_str()));
    let today = jiff::ZonedDateTime::now().date();
    let mut live = LiveVault::from_sources(pairs, attachments.iter().cloned());
    let mut findings = Findings::new(&live, config, today);
    println!(
        "{root}: {} notes, {} attachments; model built and linted in {} ms",
        notes.len(),
        attachments.len(),
        start.elapsed().as_millis()
    );
    // Evenly spread notes, the same on every run.
    let step = (notes.len() / samples.max(1)).max(1);
    let picked: Vec<&Source> = notes.iter().step_by(step).take(samples).collect();

    let mut text_only = Vec::new();
    for (path, text) in &picked {
        let edited = format!("{text}\nOne more line of prose.\n");
        text_only.push(timed(|| {
            change(&mut live, &mut findings, |live| {
                live.upsert_note(path, &edited)
            })
        }));
        change(&mut live, &mut findings, |live| {
            live.upsert_note(path, text)
        });
    }
    report("upsert, text only", &mut text_only);

    let mut new_link = Vec::new();
    for (i, (path, text)) in picked.iter().enumerate() {
        let other = &picked[(i + 1) % picked.len()].0;
        let target = other.strip_suffix(".md").unwrap_or(other);
        let edited = format!("{text}\nSee [[{target}]].\n");
        new_link.push(timed(|| {
            change(&mut live, &mut findings, |live| {
                live.upsert_note(path, &edited)
            })
        }));
        change(&mut live, &mut findings, |live| {
            live.upsert_note(path, text)
        });
    }
    report("upsert, a changed link", &mut new_link);

    let mut captures = Vec::new();
    let mut captured = 0;
    for target in unresolved_names(&live).into_iter().take(samples) {
        let path = format!("{target}.md");
        if live.file_id(&path).is_some() {
            continue;
        }
        let start = Instant::now();
        let changes = change(&mut live, &mut findings, |live| {
            live.upsert_note(&path, "# Captured\n")
        });
        captures.push(start.elapsed());
        captured += changes.resolutions.len();
        change(&mut live, &mut findings, |live| live.remove(&path));
    }
    report("upsert, a new note capturing links", &mut captures);
    println!("  ({captured} notes' links captured in all)");

    let Some((hub_path, _)) = notes.first() else {
        return ExitCode::SUCCESS;
    };
    let hub_link = hub_path.strip_suffix(".md").unwrap_or(hub_path).to_owned();
    for (path, text) in notes.iter().skip(1).take(LINKED_FROM) {
        live.upsert_note(path, &format!("{text}\n[[{hub_link}]]\n"))
            .expect("a note");
    }
    let hub = live.file_id(hub_path).expect("the hub");
    let linking: BTreeSet<_> = live.backlinks(hub).map(|at| at.source).collect();
    println!("rename of {hub_path}, linked from {} notes:", linking.len());
    let name = hub_path.rsplit('/').next().unwrap_or(hub_path);
    let moves = [
        (
            "to another folder (its links still lead to it)",
            format!("moved away/{name}"),
        ),
        (
            "to another name (its links break)",
            "Renamed hub.md".to_owned(),
        ),
    ];
    for (label, to) in moves {
        let mut times = Vec::new();
        for _ in 0..5 {
            times.push(timed(|| {
                change(&mut live, &mut findings, |live| live.rename(hub_path, &to))
            }));
            change(&mut live, &mut findings, |live| live.rename(&to, hub_path));
        }
        report(label, &mut times);
    }
    ExitCode::SUCCESS
}

/// A note's path and text.
type Source = (String, String);

/// The vault's notes (in path order), attachment paths and configuration,
/// found as `vaultkit` finds them.
fn read_vault(root: &Path) -> vaultkit::error::Result<(Vec<Source>, Vec<String>, Config)> {
    let config = Config::load(root)?;
    let ignore = config.ignore_set(&root.join(config::FILE_NAME))?;
    let mut notes = Vec::new();
    let mut attachments = Vec::new();
    for file in scan::walk(root, &ignore)?.flatten() {
        if file.is_note {
            let bytes = std::fs::read(&file.absolute).unwrap_or_default();
            let text = parse::decode(&file.path, &bytes).0.into_owned();
            notes.push((file.path, text));
        } else {
            attachments.push(file.path);
        }
    }
    notes.sort();
    Ok((notes, attachments, config))
}

/// Distinct targets of unresolved links that name a file at the vault root.
fn unresolved_names(live: &LiveVault) -> Vec<String> {
    let mut names = BTreeSet::new();
    for id in live.note_ids() {
        let Some(note) = live.note(id) else { continue };
        for (link, resolution) in note.links.iter().zip(live.resolutions(id)) {
            let target = link.target.as_str();
            let plain = !target.is_empty() && !target.contains(['/', '.', '\\', '#']);
            if resolution.target.is_none() && plain {
                names.insert(target.trim().to_owned());
            }
        }
    }
    names.into_iter().filter(|n| !n.is_empty()).collect()
}

/// Applies a change and lints again the notes it may have changed.
fn change(
    live: &mut LiveVault,
    findings: &mut Findings,
    apply: impl FnOnce(&mut LiveVault) -> Result<Changes, ChangeError>,
) -> Changes {
    let changes = apply(live).expect("a valid change");
    findings.update(live, &changes);
    changes
}

/// How long `run` took.
fn timed<T>(run: impl FnOnce() -> T) -> Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}

/// Prints p50, p95 and the slowest of `times`.
fn report(label: &str, times: &mut [Duration]) {
    times.sort_unstable();
    let at = |share: usize| {
        let index = (times.len() * share).div_ceil(100).saturating_sub(1);
        times.get(index).map_or(0.0, |t| t.as_secs_f64() * 1e3)
    };
    println!(
        "  {label:<50} n={:<4} p50 {:.3} ms  p95 {:.3} ms  max {:.3} ms",
        times.len(),
        at(50),
        at(95),
        at(100)
    );
}
