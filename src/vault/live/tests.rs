use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use jiff::civil::Date;
use proptest::prelude::*;

use super::*;
use crate::lint::live::{self as lint, Findings};
use crate::vault::Vault;
use crate::vault::notes::Notes;
use crate::vault::resolve::AnchorMatch;

/// A resolution with files named by path, comparable across vaults.
#[derive(Debug, PartialEq)]
struct Resolved {
    target: Option<String>,
    candidates: Vec<String>,
    exact_case: bool,
    anchor: Option<AnchorMatch>,
}

/// Everything the live vault must agree on with a vault built from scratch,
/// by path: each note, every lint finding (parse problems included), each
/// link's resolution, and each file's backlinks (source path, link index).
#[derive(Debug, PartialEq)]
struct Picture {
    notes: Vec<Note>,
    diagnostics: Vec<Diagnostic>,
    resolutions: BTreeMap<String, Vec<Resolved>>,
    backlinks: BTreeMap<String, BTreeSet<(String, u32)>>,
}

fn resolved(resolution: &Resolution, path: impl Fn(FileId) -> String) -> Resolved {
    Resolved {
        target: resolution.target.map(&path),
        candidates: resolution.candidates.iter().map(|&c| path(c)).collect(),
        exact_case: resolution.exact_case,
        anchor: resolution.anchor,
    }
}

/// The lint configuration of both sides: every rule on, orphans included.
fn config() -> Config {
    Config::from_toml(
        "[lint.rules]\norphan-note = \"warning\"\n",
        Path::new("vaultkit.toml"),
    )
    .expect("a valid config")
}

const TODAY: Date = Date::constant(2026, 1, 10);

/// Notes parsed earlier in a test case, by path and text: the oracle
/// resolves from scratch, but parsing is the same function on both sides.
type Parses = HashMap<(String, String), ParsedNote>;

/// The picture of a vault built from scratch: the oracle. Its backlinks are its
/// resolutions turned around, as its link graph's are.
fn oracle(files: &BTreeMap<String, Option<String>>, parses: &mut Parses) -> Picture {
    let parsed = (files.iter())
        .filter_map(|(path, text)| Some((path, text.as_ref()?)))
        .map(|(path, text)| {
            (parses.entry((path.clone(), text.clone())))
                .or_insert_with(|| parse::parse_note(path, text))
                .clone()
        })
        .collect();
    let attachments = files
        .iter()
        .filter(|(_, text)| text.is_none())
        .map(|(path, _)| path.clone())
        .collect();
    let notes = Notes::parsed(parsed);
    let vault = Vault::assemble(Path::new("/v"), notes, attachments, Vec::new(), None);
    let path = |file| vault.file_path(file).to_owned();
    let mut resolutions = BTreeMap::new();
    let mut backlinks: BTreeMap<String, BTreeSet<(String, u32)>> = BTreeMap::new();
    for id in vault.note_ids() {
        let source = vault.note(id).path.clone();
        for (i, resolution) in vault.resolutions(id).iter().enumerate() {
            if let Some(target) = resolution.target {
                let at = (source.clone(), u32::try_from(i).expect("few links"));
                backlinks.entry(path(target)).or_default().insert(at);
            }
        }
        let mine = vault.resolutions(id).iter().map(|r| resolved(r, path));
        resolutions.insert(source, mine.collect());
    }
    Picture {
        notes: vault.notes().cloned().collect(),
        diagnostics: lint::findings(vault.live(), &config(), TODAY),
        resolutions,
        backlinks,
    }
}

fn picture(live: &LiveVault, findings: &Findings) -> Picture {
    let path = |file| live.file_path(file).expect("a live file").to_owned();
    let mut diagnostics: Vec<Diagnostic> = (live.note_ids())
        .flat_map(|id| findings.of(id).iter().cloned())
        .collect();
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let mut backlinks = BTreeMap::new();
    for (target, file) in live.files() {
        let links: BTreeSet<(String, u32)> = (live.backlinks(file))
            .map(|at| (path(FileId::Note(at.source)), at.link))
            .collect();
        if !links.is_empty() {
            backlinks.insert(target.to_owned(), links);
        }
    }
    Picture {
        notes: live
            .note_ids()
            .filter_map(|id| live.note(id).cloned())
            .collect(),
        diagnostics,
        resolutions: (live.note_ids())
            .map(|id| {
                let mine = live.resolutions(id).iter().map(|r| resolved(r, path));
                (path(FileId::Note(id)), mine.collect())
            })
            .collect(),
        backlinks,
    }
}

/// The live vault by id: what [`Changes`] must account for.
#[derive(Debug, PartialEq)]
struct ById {
    paths: BTreeMap<String, FileId>,
    resolutions: BTreeMap<NoteId, Vec<Resolution>>,
    backlinks: BTreeMap<FileId, BTreeSet<LinkAt>>,
    diagnostics: BTreeMap<NoteId, Vec<Diagnostic>>,
}

fn by_id(live: &LiveVault, findings: &Findings) -> ById {
    ById {
        paths: live.files().map(|(p, id)| (p.to_owned(), id)).collect(),
        resolutions: (live.note_ids())
            .map(|id| (id, live.resolutions(id).to_vec()))
            .collect(),
        backlinks: (live.files())
            .map(|(_, file)| (file, live.backlinks(file).collect()))
            .collect(),
        diagnostics: (live.note_ids())
            .map(|id| (id, findings.of(id).to_vec()))
            .collect(),
    }
}

/// Whether `changes` (and `relinted`, the notes whose findings the
/// update after it changed) names every note and file that changed from
/// `before` to `after`, and whether every file kept its id.
fn check_changes(
    before: &ById,
    after: &ById,
    changes: &Changes,
    relinted: &BTreeSet<NoteId>,
) -> Result<(), String> {
    let notes = changes.notes();
    for (id, resolutions) in &after.resolutions {
        if before.resolutions.get(id) != Some(resolutions) && !notes.contains(id) {
            return Err(format!("{id:?}'s resolutions changed, unreported"));
        }
    }
    for (id, diagnostics) in &after.diagnostics {
        let old = before.diagnostics.get(id).map_or(&[][..], Vec::as_slice);
        if old != diagnostics.as_slice() && !relinted.contains(id) {
            return Err(format!("{id:?}'s lint findings changed, unreported"));
        }
    }
    for (file, links) in &after.backlinks {
        let changed = before.backlinks.get(file).is_none_or(|old| old != links);
        if changed && !changes.backlinks.contains(file) && !changes.added.contains(file) {
            return Err(format!("{file:?}'s backlinks changed, unreported"));
        }
    }
    for (path, id) in &before.paths {
        match after.paths.get(path) {
            Some(now) if now != id => return Err(format!("{path} changed id")),
            None if !changes.removed.contains(id) && !changes.moved.contains(id) => {
                return Err(format!("{path} went, unreported"));
            }
            _ => {}
        }
    }
    Ok(())
}

// Small alphabets, so that names collide across folders and in case.
const FOLDERS: &[&str] = &["", "a/", "A/", "b/", "a/c/", "b/a/"];
const NAMES: &[&str] = &["x", "X", "y", "Note", "note", "z z"];
const TARGETS: &[&str] = &[
    "x", "X", "y", "Note", "note", "z z", "a/x", "A/x", "b/a/note", "c/x", "x.md", "./x", "../x",
    "./y.md", "x.png", "x.pdf", "Missing", "a/c/X",
];

/// A piece of a note's text; `{}` is a link target.
const PIECES: &[&str] = &[
    "[[{}]] ",
    "[[{}#H1]] ",
    "[[{}#H1#Sub]] ",
    "[[{}#^b1]] ",
    "[[{}|shown]] ",
    "![[{}]] ",
    "[t](<{}.md>) ",
    "[t]({}) ",
    "[[#H1]] ",
    "[[#^b1]] ",
    "\n# H1\n",
    "\n## Sub\n",
    "\n# h1\n",
    "\ntext ^b1\n",
    "\n---\n",
];

/// Aliases: names of notes (so that one can be a note's title), and a
/// name no note has (so that a broken link can be written to an alias).
const ALIASES: &[&str] = &["x", "X", "y", "Note", "z z", "Missing", "missing"];

fn text() -> impl Strategy<Value = String> {
    let aliases = prop::collection::vec(prop::sample::select(ALIASES), 1..3)
        .prop_map(|aliases| aliases.join(", "));
    let front = prop::option::of((prop::sample::select(TARGETS), aliases));
    let pieces = prop::collection::vec(
        (prop::sample::select(PIECES), prop::sample::select(TARGETS)),
        0..7,
    );
    (front, pieces).prop_map(|(front, pieces)| {
        let mut text = String::new();
        if let Some((up, alias)) = front {
            text.push_str(&format!("---\naliases: [{alias}]\nup: \"[[{up}]]\"\n---\n"));
        }
        for (piece, target) in pieces {
            text.push_str(&piece.replace("{}", target));
        }
        text
    })
}

fn note_path() -> impl Strategy<Value = String> {
    (
        prop::sample::select(FOLDERS),
        prop::sample::select(NAMES),
        prop::sample::select(&[".md", ".md", ".MD"][..]),
    )
        .prop_map(|(folder, name, ext)| format!("{folder}{name}{ext}"))
}

fn attachment_path() -> impl Strategy<Value = String> {
    (
        prop::sample::select(FOLDERS),
        // A file without an extension is found by a link's path as
        // written, before the note the link names.
        prop::sample::select(&["x.png", "x.pdf", "y.png", "x", "Note"][..]),
    )
        .prop_map(|(folder, name)| format!("{folder}{name}"))
}

#[derive(Debug, Clone)]
enum Op {
    Upsert(String, String),
    Attach(String),
    Remove(prop::sample::Index),
    Rename(prop::sample::Index, &'static str, &'static str),
    RenameFolder(&'static str, &'static str),
}

fn op() -> impl Strategy<Value = Op> {
    let folder = || prop::sample::select(FOLDERS);
    prop_oneof![
        3 => (note_path(), text()).prop_map(|(p, t)| Op::Upsert(p, t)),
        1 => attachment_path().prop_map(Op::Attach),
        2 => any::<prop::sample::Index>().prop_map(Op::Remove),
        3 => (any::<prop::sample::Index>(), folder(), prop::sample::select(NAMES))
            .prop_map(|(i, f, n)| Op::Rename(i, f, n)),
        1 => (folder(), folder()).prop_map(|(f, t)| Op::RenameFolder(f, t)),
    ]
}

fn start() -> impl Strategy<Value = BTreeMap<String, Option<String>>> {
    let notes = prop::collection::btree_map(note_path(), text().prop_map(Some), 0..9);
    let attachments = prop::collection::btree_set(attachment_path(), 0..3);
    (notes, attachments).prop_map(|(mut files, attachments)| {
        files.extend(attachments.into_iter().map(|a| (a, None)));
        files
    })
}

/// Applies `op` to the plain map of files as the live vault should: the
/// new files, or `None` where the live vault must refuse.
fn expected(
    files: &BTreeMap<String, Option<String>>,
    op: &Op,
) -> Option<BTreeMap<String, Option<String>>> {
    let mut next = files.clone();
    let pick = |index: &prop::sample::Index| {
        let paths: Vec<&String> = files.keys().collect();
        (!paths.is_empty()).then(|| index.get(&paths).as_str().to_owned())
    };
    match op {
        Op::Upsert(path, text) => {
            next.insert(path.clone(), Some(text.clone()));
        }
        Op::Attach(path) => {
            next.insert(path.clone(), None).is_none().then_some(())?;
        }
        Op::Remove(index) => {
            next.remove(&pick(index)?);
        }
        Op::Rename(index, folder, name) => {
            let from = pick(index)?;
            let to = format!("{folder}{name}{}", extension(&from));
            if to != from {
                let text = next.remove(&from)?;
                next.insert(to, text).is_none().then_some(())?;
            }
        }
        Op::RenameFolder(from, to) => {
            let (from, to) = (from.trim_end_matches('/'), to.trim_end_matches('/'));
            let moving: Vec<String> = (files.keys())
                .filter(|p| p.starts_with(&format!("{from}/")))
                .cloned()
                .collect();
            let into_itself = to.starts_with(&format!("{from}/"));
            if from.is_empty() || to.is_empty() || moving.is_empty() || into_itself {
                return None;
            }
            let texts: Vec<_> = moving.iter().map(|p| next.remove(p)).collect();
            for (path, text) in moving.iter().zip(texts) {
                let to = format!("{to}{}", &path[from.len()..]);
                next.insert(to, text?).is_none().then_some(())?;
            }
        }
    }
    Some(next)
}

/// `.md` or the attachment's extension, with the dot.
fn extension(path: &str) -> &str {
    path.rfind('.').map_or("", |dot| &path[dot..])
}

fn apply(
    live: &mut LiveVault,
    files: &BTreeMap<String, Option<String>>,
    op: &Op,
) -> Result<Changes, String> {
    let pick = |index: &prop::sample::Index| {
        let paths: Vec<&String> = files.keys().collect();
        index.get(&paths).as_str().to_owned()
    };
    let done = match op {
        Op::Upsert(path, text) => live.upsert_note(path, text),
        Op::Attach(path) => live.insert_attachment(path),
        Op::Remove(_) | Op::Rename(..) if files.is_empty() => return Err("empty".into()),
        Op::Remove(index) => live.remove(&pick(index)),
        Op::Rename(index, folder, name) => {
            let from = pick(index);
            live.rename(&from, &format!("{folder}{name}{}", extension(&from)))
        }
        Op::RenameFolder(from, to) => live.rename_folder(from, to),
    };
    done.map_err(|err| err.to_string())
}

proptest! {
    // A thousand cases by default (about 5,000 checked steps); set
    // PROPTEST_CASES for more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_step_equals_a_vault_built_from_scratch(
        mut files in start(),
        ops in prop::collection::vec(op(), 1..8),
    ) {
        let notes = files.iter().filter_map(|(p, t)| Some((p.as_str(), t.as_deref()?)));
        let attachments = files.iter().filter(|(_, t)| t.is_none()).map(|(p, _)| p.clone());
        let mut live = LiveVault::from_sources(notes, attachments);
        let mut findings = Findings::new(&live, config(), TODAY);
        let mut parses = Parses::new();
        prop_assert_eq!(picture(&live, &findings), oracle(&files, &mut parses));
        for op in &ops {
            let before = by_id(&live, &findings);
            let expected = expected(&files, op);
            let done = apply(&mut live, &files, op);
            match (expected, done) {
                (Some(next), Ok(changes)) => {
                    files = next;
                    let relinted = findings.update(&live, &changes);
                    let after = by_id(&live, &findings);
                    if let Err(unreported) = check_changes(&before, &after, &changes, &relinted) {
                        prop_assert!(false, "{:?}: {}", op, unreported);
                    }
                }
                (None, Err(_)) => prop_assert_eq!(&by_id(&live, &findings), &before, "a refused {:?} changed the vault", op),
                (expected, done) => prop_assert!(false, "{:?}: expected {:?}, got {:?}", op, expected.is_some(), done),
            }
            prop_assert_eq!(picture(&live, &findings), oracle(&files, &mut parses), "after {:?}", op);
        }
    }
}

#[test]
fn a_new_note_takes_unresolved_links_and_ties() {
    let mut live = LiveVault::from_sources(
        [("a/src.md", "[[Note]] [[Missing]]"), ("b/Note.md", "")],
        Vec::<String>::new(),
    );
    let src = live.note_id("a/src.md").expect("src");
    let target = |live: &LiveVault, i: usize| {
        let file = live.resolutions(src)[i].target?;
        live.file_path(file).map(str::to_owned)
    };
    assert_eq!(target(&live, 0).as_deref(), Some("b/Note.md"));
    // Same-folder precedence: a/Note.md wins the link; b/Note.md loses a backlink.
    let changes = live.upsert_note("a/Note.md", "").expect("a note");
    assert_eq!(target(&live, 0).as_deref(), Some("a/Note.md"));
    let b = live.file_id("b/Note.md").expect("b");
    assert!(changes.resolutions.contains(&src));
    assert!(changes.backlinks.contains(&b));
    assert_eq!(live.backlinks(b).count(), 0);
    // An unresolved link is captured.
    live.upsert_note("c/missing.md", "").expect("a note");
    assert_eq!(target(&live, 1).as_deref(), Some("c/missing.md"));
    // Removing gives the link back to the other note.
    live.remove("a/Note.md").expect("there");
    assert_eq!(target(&live, 0).as_deref(), Some("b/Note.md"));
}

#[test]
fn renames_keep_ids_and_folder_renames_are_one_change() {
    let mut live = LiveVault::from_sources(
        [
            ("a/x.md", "[[y]]"),
            ("a/y.md", "# H\n"),
            ("z.md", "[[x#H]] [[y#H]]"),
        ],
        ["a/pic.png"],
    );
    let x = live.file_id("a/x.md").expect("x");
    let pic = live.file_id("a/pic.png").expect("pic");
    let changes = live.rename_folder("a", "b/a").expect("a folder");
    assert_eq!(changes.moved.len(), 3);
    assert_eq!(live.file_id("b/a/x.md"), Some(x));
    assert_eq!(live.file_path(pic), Some("b/a/pic.png"));
    assert_eq!(live.note(NoteId(0)).map(|n| n.title.as_str()), Some("x"));
    assert_eq!(
        live.rename_folder("b", "b/c"),
        Err(ChangeError::IntoItself {
            from: "b".into(),
            to: "b/c".into()
        })
    );
    assert_eq!(
        live.rename("z.md", "b/a/x.md"),
        Err(ChangeError::Exists("b/a/x.md".into()))
    );
    assert_eq!(
        live.rename("z.md", "z.png"),
        Err(ChangeError::WrongKind("z.png".into()))
    );
    assert_eq!(
        live.remove("nowhere.md"),
        Err(ChangeError::Missing("nowhere.md".into()))
    );
}

#[test]
fn an_edited_heading_is_checked_from_every_link_into_it() {
    let mut live = LiveVault::from_sources(
        [("a.md", "[[b#Part]] [[b]]"), ("b.md", "# Part\n")],
        Vec::<String>::new(),
    );
    let a = live.note_id("a.md").expect("a");
    assert!(matches!(
        live.resolutions(a)[0].anchor,
        Some(AnchorMatch::Found { .. })
    ));
    let changes = live.upsert_note("b.md", "# Other\n").expect("b");
    assert_eq!(live.resolutions(a)[0].anchor, Some(AnchorMatch::Missing));
    assert!(changes.resolutions.contains(&a));
    // A note's text alone changes nothing for notes that link to it without anchors.
    let changes = live.upsert_note("b.md", "# Other\nmore\n").expect("b");
    assert!(!changes.resolutions.contains(&a));
}

#[test]
fn lint_findings_follow_changes_elsewhere_and_are_reported() {
    let mut live = LiveVault::from_sources(
        [("a.md", "[[AI]]"), ("b.md", "text"), ("c.md", "more")],
        Vec::<String>::new(),
    );
    let (a, b) = (
        live.note_id("a.md").expect("a"),
        live.note_id("b.md").expect("b"),
    );
    let mut findings = Findings::new(&live, config(), TODAY);
    let rules = |findings: &Findings, id| -> Vec<&'static str> {
        findings.of(id).iter().map(|d| d.rule).collect()
    };
    assert_eq!(rules(&findings, a), ["broken-link"]);
    assert_eq!(rules(&findings, b), ["orphan-note"]);
    // An alias elsewhere changes the broken link's hint.
    let changes = (live.upsert_note("b.md", "---\naliases: [AI]\n---\n[[a]]")).expect("b");
    let relinted = findings.update(&live, &changes);
    let help = findings.of(a)[0].help.as_deref().unwrap_or_default();
    assert!(help.contains("[[b|AI]]"), "{help}");
    assert!(relinted.contains(&a) && relinted.contains(&b));
    assert_eq!(rules(&findings, b), Vec::<&str>::new());
    // A second claim of the alias is a duplicate, on both notes.
    let changes = (live.upsert_note("c.md", "---\naliases: [ai]\n---\n[[a]]")).expect("c");
    let relinted = findings.update(&live, &changes);
    let c = live.note_id("c.md").expect("c");
    assert_eq!(rules(&findings, b), ["duplicate-alias"]);
    assert_eq!(rules(&findings, c), ["duplicate-alias"]);
    assert!(relinted.contains(&b));
    // Text that changes no finding reports none.
    let changes = live
        .upsert_note("c.md", "---\naliases: [ai]\n---\n[[a]] more")
        .expect("c");
    assert!(findings.update(&live, &changes).is_empty());
    // A new day lints again, and reports no note when nothing depends on it.
    assert!(
        findings
            .set_today(&live, TODAY.tomorrow().expect("a day"))
            .is_empty()
    );
}

#[cfg(unix)]
#[test]
fn a_vault_read_from_disk_gives_its_findings_with_the_scans_problems() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let root = dir.path();
    std::fs::create_dir(root.join("sub")).expect("a folder");
    std::fs::write(root.join("a.md"), "[[missing]] [[b]]\n").expect("a note");
    std::fs::write(root.join("sub/b.md"), "---\ntags: x, y\n---\n# B\n").expect("a note");
    std::fs::write(root.join("pic.png"), "png").expect("an attachment");
    std::os::unix::fs::symlink(root.join("a.md"), root.join("link.md")).expect("a symlink");
    let config = Config::from_toml(
        "[lint.rules]\norphan-note = \"info\"\nsymlink-skipped = \"warning\"\n",
        Path::new("vaultkit.toml"),
    )
    .expect("a valid config");

    let live = LiveVault::load(root, &config).expect("loaded");
    let findings = lint::findings(&live, &config, TODAY);
    assert_eq!(live.problems().len(), 1);
    // The scan's problem is among them, with its configured severity.
    let skipped = (findings.iter()).find(|f| f.rule == "symlink-skipped");
    assert_eq!(
        skipped.map(|f| (f.path.as_str(), f.severity)),
        Some(("link.md", crate::model::Severity::Warning))
    );
    assert!(findings.iter().any(|f| f.rule == "broken-link"));
}
