//! Deterministic synthetic vault generator for vaultkit's benchmarks and tests.
//!
//! ```text
//! cargo run --release --example gen_vault -- --notes 20000 --seed 42 --out /tmp/vault20k
//! ```
//!
//! The same `--notes` and `--seed` always produce byte-identical output: all
//! randomness comes from a small seeded PRNG (SplitMix64), only integer
//! arithmetic decides what is written (no platform-dependent floating point),
//! and hash sets are used for membership tests only, never iterated.
//!
//! Generation happens in two phases:
//!
//! 1. **Plan.** The folder tree (about one folder per 50 notes, 1–3 levels
//!    deep) and every note's folder, name, aliases, headings and target size
//!    are decided up front, so links can point at notes and headings that
//!    really exist. Repeated basenames (about 2% of notes share a file name
//!    with a note in another folder) and ambiguous pairs (two notes with the
//!    same name whose paths have the same depth and the same length) are
//!    introduced here on purpose, to give a link resolver's tie-break rules
//!    some work.
//! 2. **Render.** Every note is written from its own PRNG stream, derived from
//!    the seed and the note's index: optional YAML front matter (about 85% of
//!    notes), then headings, paragraphs of pseudo-words, lists, tasks,
//!    callouts, tables and the occasional fenced code block, with wikilinks in
//!    all their forms at roughly one per 150 words. About 3% of links point at
//!    names that do not exist.
//!
//! Sizes follow a log-normal-ish distribution (median about 1.6 KB, mean about
//! 2 KB) with a long tail: roughly 0.3% of notes are 20–50 KB.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::OnceLock;

/// Seed used when `--seed` is not given.
const DEFAULT_SEED: u64 = 42;
/// Upper bound for `--notes`, to catch typos before they fill a disk.
const MAX_NOTES: usize = 10_000_000;
/// Roughly one folder per this many notes.
const NOTES_PER_FOLDER: usize = 50;
/// Deepest folder level (top-level folders have depth 1).
const MAX_FOLDER_DEPTH: usize = 3;
/// Share of notes that start with YAML front matter.
const FRONT_MATTER_PER_MILLE: u32 = 850;
/// Share of notes placed directly in the vault root.
const ROOT_NOTE_PER_MILLE: u32 = 20;
/// Share of notes that get a name already used in another folder.
const REPEATED_NAME_PER_MILLE: usize = 14;
/// Share of links whose target does not exist.
const BROKEN_LINK_PER_MILLE: u32 = 30;
/// Chance, per prose word, of a link (about one per 150 words).
const LINK_PER_WORD_PER_MILLE: u32 = 4;
/// Share of notes in the long tail of 20–50 KB.
const HUGE_NOTE_PER_MILLE: u32 = 3;

/// Quantiles, in bytes, of a log-normal distribution (median 1250 B,
/// σ = 0.6) at p = 0.2%, 1/32, 2/32, …, 31/32 and 99.8%. Sampling a uniform
/// point between two neighbours keeps the distribution's shape while staying
/// in integer arithmetic. The median is set a little below the wanted one
/// because a section's last block overshoots its share of the target.
const SIZE_QUANTILES: [usize; 33] = [
    222, 409, 498, 567, 627, 682, 734, 784, 834, 883, 932, 982, 1032, 1084, 1137, 1193, 1250, 1310,
    1374, 1441, 1513, 1591, 1676, 1769, 1874, 1992, 2129, 2291, 2493, 2756, 3138, 3822, 7029,
];

/// Names for top-level folders.
const AREA_WORDS: &str = "\
    Projects Areas Resources Archive Journal Work Personal Reading Research Meetings People \
    Ideas Health Finance Travel Recipes Writing Learning Engineering Design Marketing Clients \
    Garden Music Books Courses Home Family Hobbies Fitness Teaching Inbox Templates Zettelkasten \
    Références Notizen";

/// Words that note titles, subfolder names and headings are made of. A few
/// carry accents so that non-ASCII names (and their percent-encoding) occur.
const TITLE_WORDS: &str = "\
    account action agenda agile algorithm analysis annual apple atlas audit autumn backlog \
    balance baseline basil battery beacon bicycle birch blueprint board book bridge brief budget \
    cabin cache café calendar campaign canvas capital carbon career cedar chapter checklist \
    classic client climate cloud coffee compass concept contract copper course craft crème \
    customer daily dashboard database deadline deep design desk diagram diet draft dream early \
    editor energy engine essay estimate event exercise experiment façade feedback festival field \
    final fitness focus forest framework fresh garden gear goal golden grant green guide habit \
    harbor harvest hidden hiking history horizon idea insight interview inventory invoice \
    jalapeño journal kitchen lantern large launch lean lecture ledger lesson library license \
    lighthouse local logbook major maple market meadow meeting memo mentor metric migration \
    milestone mindset minor model modern module monthly morning mountain museum naïve network \
    newsletter northern notebook oak objective ocean onboarding orbit outline paper pattern \
    payroll pepper personal pipeline plan planet playbook podcast policy portfolio practice \
    pricing prism process product profile project prototype puzzle quarter question quiet quick \
    reading recipe release remote renovation report research resource résumé retreat review \
    river roadmap rough routine runbook salary sample schedule scope season seminar shared \
    silver simple sketch small sourdough southern spring sprint stack standup strategy studio \
    summary summer survey syllabus system target task team template tennis thesis ticket \
    timeline tomato toolkit training travel trip tutorial urgent valley vendor venture video \
    vision voyage wallet weekly whiteboard wild winter workflow workshop writing yoga zone";

/// Titles that real vaults repeat across folders; most repeated basenames
/// come from here.
const COMMON_TITLES: &[&str] = &[
    "Index",
    "Overview",
    "Notes",
    "Ideas",
    "Todo",
    "Inbox",
    "Meeting notes",
    "Reading list",
    "Roadmap",
    "Retrospective",
    "Questions",
    "Glossary",
    "Resources",
    "Summary",
    "Changelog",
    "Contacts",
];

/// Section headings; note-specific titles are mixed in as well.
const HEADING_WORDS: &[&str] = &[
    "Summary",
    "Notes",
    "Next steps",
    "Background",
    "Open questions",
    "Action items",
    "References",
    "Ideas",
    "Log",
    "Decisions",
    "Links",
    "Context",
    "Details",
    "Tasks",
    "Takeaways",
    "Risks",
    "Timeline",
    "Highlights",
];

/// Tags used in front matter (bare) and in bodies (with `#`).
const TAGS: &str = "\
    project idea reading meeting todo review book article person journal inbox evergreen \
    seedling log recipe area/health area/finance area/work area/work/hiring project/alpha \
    project/beta status/wip type/reference research/ml research/biology travel/europe \
    recipe/dinner topic/rust topic/writing";

/// The whitespace-separated word lists above, split once.
struct Vocabulary {
    areas: Vec<&'static str>,
    titles: Vec<&'static str>,
    tags: Vec<&'static str>,
}

/// The shared [`Vocabulary`].
fn vocabulary() -> &'static Vocabulary {
    static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
    VOCABULARY.get_or_init(|| Vocabulary {
        areas: AREA_WORDS.split_whitespace().collect(),
        titles: TITLE_WORDS.split_whitespace().collect(),
        tags: TAGS.split_whitespace().collect(),
    })
}

/// Values of the `type` front matter property.
const NOTE_TYPES: &[&str] = &[
    "note",
    "project",
    "meeting",
    "person",
    "reference",
    "daily",
    "idea",
    "book",
];

/// Values of the `status` front matter property.
const STATUSES: &[&str] = &["active", "draft", "archived"];

/// Languages of fenced code blocks (empty: no info string).
const CODE_LANGS: &[&str] = &["python", "js", "bash", "rust", "sql", "json", ""];

/// Frequent English words mixed into the pseudo-word prose.
const STOP_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "is", "that", "for", "it", "with", "as", "on", "was", "be",
    "at", "by", "this", "from", "or", "an",
];

/// Syllable parts of pseudo-words.
const ONSETS: &[&str] = &[
    "b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z", "br",
    "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "ai", "ea", "io", "ou"];
const CODAS: &[&str] = &["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st"];

/// Size of the pseudo-word vocabulary.
const LEXICON_SIZE: usize = 4096;

// ---------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------

const USAGE: &str = "\
gen_vault: write a deterministic synthetic Obsidian vault

USAGE:
    cargo run --release --example gen_vault -- --notes N --out DIR [--seed S] [--force]

OPTIONS:
    -n, --notes N    number of notes to write (1 to 10000000)
    -o, --out DIR    output folder; created if missing, must be empty unless --force
    -s, --seed S     PRNG seed, an unsigned 64-bit integer (default 42)
    -f, --force      write into a non-empty folder; files with the same paths are
                     overwritten, other files are left alone
    -h, --help       print this help

The same N and S always produce byte-identical output. A one-line summary
(notes, folders, bytes, links) is printed to stderr at the end.
";

/// Validated command-line options for a generation run.
#[derive(Debug)]
struct Options {
    notes: usize,
    seed: u64,
    out: PathBuf,
    force: bool,
}

/// What the command line asks for.
#[derive(Debug)]
enum Command {
    Help,
    Generate(Options),
}

/// Parses the arguments that follow the program name.
fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let mut notes = None;
    let mut seed = DEFAULT_SEED;
    let mut out = None;
    let mut force = false;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = split_flag(&arg);
        match flag {
            "-h" | "--help" => return Ok(Command::Help),
            "-f" | "--force" => {
                if inline.is_some() {
                    return Err(format!("{flag} takes no value"));
                }
                force = true;
            }
            "-n" | "--notes" => notes = Some(parse_notes(&flag_value(flag, inline, &mut args)?)?),
            "-s" | "--seed" => seed = parse_seed(&flag_value(flag, inline, &mut args)?)?,
            "-o" | "--out" => out = Some(PathBuf::from(flag_value(flag, inline, &mut args)?)),
            _ => return Err(format!("unknown argument `{arg}`")),
        }
    }
    let notes = notes.ok_or("missing required option --notes N")?;
    let out = out.ok_or("missing required option --out DIR")?;
    Ok(Command::Generate(Options {
        notes,
        seed,
        out,
        force,
    }))
}

/// Splits `--flag=value` into its parts; other arguments have no inline value.
fn split_flag(arg: &str) -> (&str, Option<&str>) {
    match arg.split_once('=') {
        Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
        _ => (arg, None),
    }
}

/// Returns a flag's value, given inline (`--notes=5`) or as the next argument.
fn flag_value(
    flag: &str,
    inline: Option<&str>,
    rest: &mut impl Iterator<Item = String>,
) -> Result<String, String> {
    match inline {
        Some(value) => Ok(value.to_owned()),
        None => rest.next().ok_or_else(|| format!("{flag} needs a value")),
    }
}

/// Parses `--notes`: a whole number from 1 to [`MAX_NOTES`], `_` allowed.
fn parse_notes(value: &str) -> Result<usize, String> {
    let notes: usize = value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("--notes expects a whole number, got `{value}`"))?;
    if notes == 0 || notes > MAX_NOTES {
        return Err(format!(
            "--notes must be between 1 and {MAX_NOTES}, got {notes}"
        ));
    }
    Ok(notes)
}

/// Parses `--seed`: any unsigned 64-bit integer.
fn parse_seed(value: &str) -> Result<u64, String> {
    value
        .replace('_', "")
        .parse()
        .map_err(|_| format!("--seed expects an unsigned 64-bit integer, got `{value}`"))
}

/// Collects the process arguments as UTF-8 strings, with a clear error.
fn utf8_args() -> Result<Vec<String>, String> {
    std::env::args_os()
        .skip(1)
        .map(|arg| {
            arg.into_string()
                .map_err(|arg| format!("argument {arg:?} is not valid UTF-8"))
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------

/// SplitMix64: a tiny, fast PRNG, more than good enough for synthetic data.
#[derive(Clone, Debug)]
struct Rng {
    state: u64,
}

impl Rng {
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

    fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// An independent stream for one `(stream, index)` pair under `seed`, so
    /// that each note's content does not depend on how much randomness the
    /// notes before it used.
    fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let mut mixer = Self::new(seed ^ stream.wrapping_mul(Self::GAMMA));
        let base = mixer.next_u64();
        let mut rng = Self::new(base ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        rng.next_u64();
        rng
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(Self::GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`; `n` must be positive.
    fn below(&mut self, n: usize) -> usize {
        // Multiply-shift maps 64 random bits onto 0..n without a modulo.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    fn per_mille(&mut self, per_mille: u32) -> bool {
        self.below(1000) < per_mille as usize
    }

    /// Skewed toward 0 (the minimum of three uniform draws): a few low indices
    /// are picked far more often than the rest, like popular notes in a vault.
    fn skewed_below(&mut self, n: usize) -> usize {
        self.below(n).min(self.below(n)).min(self.below(n))
    }

    /// A uniformly chosen element of a non-empty slice.
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// A reference to a uniformly chosen element of a non-empty slice.
    fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Salts of the independent PRNG streams.
mod stream {
    pub const PLAN: u64 = 1;
    pub const LEXICON: u64 = 2;
    pub const NOTE: u64 = 3;
}

// ---------------------------------------------------------------------------
// Words and names
// ---------------------------------------------------------------------------

/// The pseudo-word vocabulary of note bodies.
struct Lexicon {
    words: Vec<String>,
}

impl Lexicon {
    fn new(seed: u64) -> Self {
        let mut rng = Rng::derive(seed, stream::LEXICON, 0);
        let words = (0..LEXICON_SIZE).map(|_| pseudo_word(&mut rng)).collect();
        Self { words }
    }

    /// A prose word: frequent English words a third of the time, otherwise a
    /// pseudo-word with a Zipf-like bias toward the start of the vocabulary.
    fn word(&self, rng: &mut Rng) -> &str {
        if rng.below(3) == 0 {
            rng.pick(STOP_WORDS)
        } else {
            &self.words[rng.skewed_below(self.words.len())]
        }
    }
}

/// A pronounceable pseudo-word of one to three syllables.
fn pseudo_word(rng: &mut Rng) -> String {
    let mut word = String::new();
    for _ in 0..rng.between(1, 3) {
        word.push_str(rng.pick(ONSETS));
        word.push_str(rng.pick(VOWELS));
        word.push_str(rng.pick(CODAS));
    }
    word
}

/// `word` with its first character upper-cased.
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `count` title words joined by spaces, in sentence case.
fn sentence_case_words(rng: &mut Rng, count: usize) -> String {
    let words: Vec<&str> = (0..count).map(|_| rng.pick(&vocabulary().titles)).collect();
    capitalize(&words.join(" "))
}

/// A plausible note title such as "Garden budget review" or "Sprint 14".
fn make_title(rng: &mut Rng) -> String {
    match rng.below(100) {
        0..50 => {
            let count = rng.between(2, 4);
            sentence_case_words(rng, count)
        }
        50..70 => {
            let first = capitalize(rng.pick(&vocabulary().titles));
            let second = capitalize(rng.pick(&vocabulary().titles));
            format!("{first} {second}")
        }
        70..85 => {
            let word = capitalize(rng.pick(&vocabulary().titles));
            format!("{word} {}", rng.between(1, 99))
        }
        85..93 => format!("Notes on {}", rng.pick(&vocabulary().titles)),
        _ => format!("How to {}", sentence_case_words(rng, 2).to_lowercase()),
    }
}

/// A name that is not yet in `taken` (compared case-insensitively), which
/// is then added. After a few random misses a counter suffix guarantees
/// termination even when the word list is exhausted.
fn unique_name(
    rng: &mut Rng,
    taken: &mut HashSet<String>,
    mut make: impl FnMut(&mut Rng) -> String,
) -> String {
    let mut name = make(rng);
    for _ in 0..16 {
        if taken.insert(name.to_lowercase()) {
            return name;
        }
        name = make(rng);
    }
    for suffix in 2.. {
        let candidate = format!("{name} {suffix}");
        if taken.insert(candidate.to_lowercase()) {
            return candidate;
        }
    }
    unreachable!("the counter suffix always finds a free name")
}

// ---------------------------------------------------------------------------
// Plan: folders, names, sizes
// ---------------------------------------------------------------------------

/// A folder of the vault; index 0 is the vault root (empty path, depth 0).
#[derive(Debug)]
struct Folder {
    path: String,
    depth: usize,
}

/// A heading that the note will contain, and that links may point at.
#[derive(Debug)]
struct Heading {
    level: usize,
    text: String,
}

/// Everything about a note that other notes may need to know.
#[derive(Debug)]
struct NotePlan {
    folder: usize,
    name: String,
    aliases: Vec<String>,
    headings: Vec<Heading>,
    size: usize,
    front_matter: bool,
    /// Another note in another folder has the same (case-insensitive) name.
    shared_name: bool,
}

/// The whole vault before any note is rendered.
#[derive(Debug)]
struct Plan {
    folders: Vec<Folder>,
    notes: Vec<NotePlan>,
    /// Note indices per folder index.
    by_folder: Vec<Vec<usize>>,
    /// Lower-cased names of all notes, to invent names that do not exist.
    names: HashSet<String>,
    ambiguous_pairs: usize,
}

impl Plan {
    fn new(seed: u64, note_count: usize) -> Self {
        let mut rng = Rng::derive(seed, stream::PLAN, 0);
        let folders = plan_folders(&mut rng, (note_count / NOTES_PER_FOLDER).max(1));
        let mut names = HashSet::new();
        let notes = (0..note_count)
            .map(|index| plan_note(&mut rng, index, folders.len(), &mut names))
            .collect();
        let mut plan = Self {
            folders,
            notes,
            by_folder: Vec::new(),
            names: HashSet::new(),
            ambiguous_pairs: 0,
        };
        plan.index_folders();
        plan.ambiguous_pairs = plan.add_ambiguous_pairs(&mut rng);
        plan.add_repeated_names(&mut rng);
        plan.mark_shared_names();
        plan.names = plan.notes.iter().map(|n| n.name.to_lowercase()).collect();
        plan
    }

    /// Fills `by_folder` from the notes' folder assignments.
    fn index_folders(&mut self) {
        self.by_folder = vec![Vec::new(); self.folders.len()];
        for (index, note) in self.notes.iter().enumerate() {
            self.by_folder[note.folder].push(index);
        }
    }

    /// Vault-relative path of a note without the `.md` extension.
    fn link_path(&self, note: usize) -> String {
        let note = &self.notes[note];
        let folder = &self.folders[note.folder].path;
        if folder.is_empty() {
            note.name.clone()
        } else {
            format!("{folder}/{}", note.name)
        }
    }

    /// Gives a few notes the name of a note in another folder whose path has
    /// the same depth and the same length, so neither "closest" nor
    /// "shortest path" can tell them apart. Returns the number of pairs made.
    fn add_ambiguous_pairs(&mut self, rng: &mut Rng) -> usize {
        let wanted = (self.notes.len() / 1000).clamp(2, 20);
        let groups = self.folders_by_shape();
        if groups.is_empty() {
            return 0;
        }
        let mut made = 0;
        for _ in 0..wanted * 4 {
            if made == wanted {
                break;
            }
            let group = rng.pick_ref(&groups);
            let first = group[rng.below(group.len())];
            let second = group[rng.below(group.len())];
            if first != second && self.make_ambiguous(rng, first, second) {
                made += 1;
            }
        }
        made
    }

    /// Groups of at least two non-empty, non-root folders that share depth
    /// and path length (in bytes and in characters), in folder order.
    fn folders_by_shape(&self) -> Vec<Vec<usize>> {
        let mut groups: Vec<Vec<usize>> = Vec::new();
        let mut group_of: HashMap<(usize, usize, usize), usize> = HashMap::new();
        for (index, folder) in self.folders.iter().enumerate().skip(1) {
            if self.by_folder[index].is_empty() {
                continue;
            }
            let key = (folder.depth, folder.path.len(), folder.path.chars().count());
            let slot = *group_of.entry(key).or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
            groups[slot].push(index);
        }
        groups.retain(|group| group.len() >= 2);
        groups
    }

    /// Renames a note of folder `second` after a note of folder `first`,
    /// unless either note already takes part in a shared name.
    fn make_ambiguous(&mut self, rng: &mut Rng, first: usize, second: usize) -> bool {
        let a = rng.pick(&self.by_folder[first]);
        let b = rng.pick(&self.by_folder[second]);
        if self.notes[a].shared_name || self.notes[b].shared_name {
            return false;
        }
        self.notes[b].name = self.notes[a].name.clone();
        self.notes[a].shared_name = true;
        self.notes[b].shared_name = true;
        true
    }

    /// Renames about 2% of notes so that they share a basename with a note
    /// in another folder: half take a common title ("Index", "Roadmap", …),
    /// half copy the title of a random other note. Notes of ambiguous pairs
    /// are left alone, so each pair stays a pair.
    fn add_repeated_names(&mut self, rng: &mut Rng) {
        let wanted = self.notes.len() * REPEATED_NAME_PER_MILLE / 1000;
        let mut in_folder: HashSet<(usize, String)> = self
            .notes
            .iter()
            .map(|note| (note.folder, note.name.to_lowercase()))
            .collect();
        for _ in 0..wanted {
            let note = rng.below(self.notes.len());
            if self.notes[note].shared_name {
                continue;
            }
            let name = if rng.below(2) == 0 {
                rng.pick(COMMON_TITLES).to_owned()
            } else {
                let source = &self.notes[rng.below(self.notes.len())];
                if source.shared_name {
                    continue;
                }
                source.name.clone()
            };
            let folder = self.notes[note].folder;
            if in_folder.insert((folder, name.to_lowercase())) {
                self.notes[note].name = name;
            }
        }
    }

    /// Sets `shared_name` on every note whose name occurs more than once.
    fn mark_shared_names(&mut self) {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for note in &self.notes {
            *counts.entry(note.name.to_lowercase()).or_default() += 1;
        }
        for note in &mut self.notes {
            note.shared_name = counts[&note.name.to_lowercase()] > 1;
        }
    }

    /// Number of notes that share their name with another note.
    fn shared_name_count(&self) -> usize {
        self.notes.iter().filter(|note| note.shared_name).count()
    }
}

/// The folder tree: `count` folders below the root, 1 to
/// [`MAX_FOLDER_DEPTH`] levels deep. Top-level folders are distinct areas
/// ("Projects", "Journal", …); deeper ones are named from title words,
/// unique among their siblings.
fn plan_folders(rng: &mut Rng, count: usize) -> Vec<Folder> {
    let mut folders = vec![Folder {
        path: String::new(),
        depth: 0,
    }];
    let mut areas = vocabulary().areas.clone();
    shuffle(rng, &mut areas);
    areas.truncate((count / 10).clamp(1, areas.len()));
    let mut taken = HashSet::new();
    let mut parents = Vec::new();
    for area in areas {
        taken.insert(area.to_lowercase());
        parents.push(folders.len());
        folders.push(Folder {
            path: area.to_owned(),
            depth: 1,
        });
    }
    while folders.len() <= count {
        let parent = &folders[rng.pick(&parents)];
        let depth = parent.depth + 1;
        let prefix = format!("{}/", parent.path);
        let path = unique_name(rng, &mut taken, |rng| {
            format!("{prefix}{}", subfolder_name(rng))
        });
        if depth < MAX_FOLDER_DEPTH {
            parents.push(folders.len());
        }
        folders.push(Folder { path, depth });
    }
    folders
}

/// A subfolder name made of one or two title words.
fn subfolder_name(rng: &mut Rng) -> String {
    if rng.below(3) == 0 {
        sentence_case_words(rng, 2)
    } else {
        capitalize(rng.pick(&vocabulary().titles))
    }
}

/// Fisher–Yates shuffle.
fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for last in (1..items.len()).rev() {
        items.swap(last, rng.below(last + 1));
    }
}

/// Plans one note. The first note of each folder is placed there so that no
/// folder is empty; the rest favour a few large folders.
fn plan_note(
    rng: &mut Rng,
    index: usize,
    folder_count: usize,
    names: &mut HashSet<String>,
) -> NotePlan {
    let folder = if index + 1 < folder_count {
        index + 1
    } else if rng.per_mille(ROOT_NOTE_PER_MILLE) || folder_count == 1 {
        0
    } else if rng.below(2) == 0 {
        1 + rng.skewed_below(folder_count - 1)
    } else {
        rng.between(1, folder_count - 1)
    };
    let name = unique_name(rng, names, make_title);
    let size = note_size(rng);
    NotePlan {
        folder,
        aliases: plan_aliases(rng, &name),
        headings: plan_headings(rng, size),
        name,
        size,
        front_matter: rng.per_mille(FRONT_MATTER_PER_MILLE),
        shared_name: false,
    }
}

/// Target size of a note in bytes, front matter included.
fn note_size(rng: &mut Rng) -> usize {
    if rng.per_mille(HUGE_NOTE_PER_MILLE) {
        return rng.between(20_000, 50_000);
    }
    let segment = rng.below(SIZE_QUANTILES.len() - 1);
    let (low, high) = (SIZE_QUANTILES[segment], SIZE_QUANTILES[segment + 1]);
    rng.between(low, high)
}

/// Aliases for about one note in eight: initials or a variant title.
fn plan_aliases(rng: &mut Rng, name: &str) -> Vec<String> {
    if !rng.per_mille(125) {
        return Vec::new();
    }
    let initials: String = name
        .split(' ')
        .filter_map(|word| word.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    let mut aliases = vec![make_title(rng)];
    if initials.chars().count() > 1 && rng.below(2) == 0 {
        aliases.push(initials);
    }
    aliases
}

/// Section headings, about one per 500 bytes, unique within the note.
fn plan_headings(rng: &mut Rng, size: usize) -> Vec<Heading> {
    let count = (size / 500 + rng.below(2)).min(40);
    let mut taken = HashSet::new();
    let mut level = 2;
    let mut headings = Vec::with_capacity(count);
    for _ in 0..count {
        let text = unique_name(rng, &mut taken, |rng| match rng.below(3) {
            0 => sentence_case_words(rng, 2),
            _ => rng.pick(HEADING_WORDS).to_owned(),
        });
        headings.push(Heading { level, text });
        level = if level == 2 && rng.below(3) == 0 {
            3
        } else {
            2
        };
    }
    headings
}

// ---------------------------------------------------------------------------
// Render: one note's Markdown
// ---------------------------------------------------------------------------

/// Where a link points.
enum Target {
    Note(usize),
    Missing(String),
}

/// Counts kept while notes are written.
#[derive(Debug, Default)]
struct Stats {
    bytes: u64,
    links: u64,
    broken: u64,
}

/// Writes the Markdown of one note.
struct NoteWriter<'a> {
    plan: &'a Plan,
    lexicon: &'a Lexicon,
    rng: Rng,
    index: usize,
    out: String,
    links: u64,
    broken: u64,
}

impl<'a> NoteWriter<'a> {
    fn new(plan: &'a Plan, lexicon: &'a Lexicon, seed: u64, index: usize) -> Self {
        Self {
            plan,
            lexicon,
            rng: Rng::derive(seed, stream::NOTE, index as u64),
            index,
            out: String::with_capacity(plan.notes[index].size + 256),
            links: 0,
            broken: 0,
        }
    }

    /// The complete note: optional front matter, then the body.
    fn render(mut self, stats: &mut Stats) -> String {
        let note = &self.plan.notes[self.index];
        if note.front_matter {
            self.front_matter();
        }
        self.body();
        stats.links += self.links;
        stats.broken += self.broken;
        stats.bytes += self.out.len() as u64;
        self.out
    }

    // -- front matter -------------------------------------------------------

    fn front_matter(&mut self) {
        let note = &self.plan.notes[self.index];
        let created = self.rng.below(2557); // days in 2018..=2024
        self.out.push_str("---\n");
        let _ = writeln!(self.out, "type: {}", self.rng.pick(NOTE_TYPES));
        let _ = writeln!(self.out, "created: {}", iso_date(created));
        if self.rng.below(2) == 0 {
            let updated = created + self.rng.below(400);
            let _ = writeln!(self.out, "updated: {}", iso_date(updated));
        }
        let _ = writeln!(self.out, "status: {}", self.rng.pick(STATUSES));
        self.tag_list();
        yaml_list(&mut self.out, "aliases", &note.aliases);
        if self.rng.per_mille(300) {
            self.related_list();
        }
        if self.rng.per_mille(100) {
            let migrated = created + self.rng.below(30);
            let (hour, minute) = (self.rng.between(8, 19), self.rng.below(60));
            self.out.push_str("migrated_from: notion\n");
            let _ = writeln!(
                self.out,
                "migrated_at: {}T{hour:02}:{minute:02}:00",
                iso_date(migrated)
            );
        }
        self.out.push_str("---\n");
    }

    /// `tags:` as a block list of one to four distinct tags.
    fn tag_list(&mut self) {
        let count = self.rng.between(1, 4);
        let mut tags: Vec<String> = Vec::with_capacity(count);
        for _ in 0..count {
            let tag = self.rng.pick(&vocabulary().tags).to_owned();
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        yaml_list(&mut self.out, "tags", &tags);
    }

    /// `related:` as a block list of quoted wikilinks.
    fn related_list(&mut self) {
        let links: Vec<String> = (0..self.rng.between(1, 3))
            .map(|_| {
                let target = self.choose_target();
                format!("\"[[{}]]\"", self.link_text(&target))
            })
            .collect();
        yaml_list(&mut self.out, "related", &links);
    }

    // -- body ---------------------------------------------------------------

    /// Sections between the planned headings, each filled with blocks until
    /// its share of the note's target size is reached.
    fn body(&mut self) {
        let note = &self.plan.notes[self.index];
        if note.front_matter {
            self.out.push('\n');
        }
        if self.rng.per_mille(250) {
            let _ = writeln!(self.out, "# {}\n", note.name);
        }
        let start = self.out.len();
        let budget = note.size.saturating_sub(start).max(120);
        let sections = note.headings.len() + 1;
        for section in 0..sections {
            if let Some(heading) = section.checked_sub(1).map(|h| &note.headings[h]) {
                let _ = writeln!(self.out, "{} {}\n", "#".repeat(heading.level), heading.text);
            }
            let end = start + budget * (section + 1) / sections;
            self.block();
            while self.out.len() < end {
                self.block();
            }
        }
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        self.out.push('\n');
    }

    /// One block, followed by a blank line.
    fn block(&mut self) {
        match self.rng.below(100) {
            0..58 => self.paragraph(),
            58..76 => self.bullet_list(),
            76..82 => self.task_list(),
            82..86 => self.numbered_list(),
            86..90 => self.callout(),
            90..93 => self.embed_line(),
            93..96 => self.table(),
            96..98 => self.code_block(),
            _ => self.external_link_line(),
        }
        self.out.push_str("\n\n");
    }

    /// A paragraph of 25–90 words in sentences, sometimes with a block id.
    fn paragraph(&mut self) {
        let words = self.rng.between(25, 90);
        self.prose(words);
        if self.rng.per_mille(40) {
            let id = self.block_id();
            let _ = write!(self.out, " ^{id}");
        }
    }

    /// `count` words of prose with inline links, tags, emphasis and URLs.
    fn prose(&mut self, count: usize) {
        let mut sentence_left = 0;
        for position in 0..count {
            if position > 0 {
                self.out.push(' ');
            }
            if sentence_left == 0 {
                sentence_left = self.rng.between(6, 16);
                let word = capitalize(self.lexicon.word(&mut self.rng));
                self.out.push_str(&word);
            } else {
                self.inline_word();
            }
            sentence_left -= 1;
            if sentence_left == 0 || position + 1 == count {
                self.out.push('.');
            }
        }
    }

    /// One inline element: usually a word, sometimes something richer.
    fn inline_word(&mut self) {
        if self.rng.per_mille(LINK_PER_WORD_PER_MILLE) {
            self.inline_link();
            return;
        }
        match self.rng.below(1000) {
            0..8 => {
                let _ = write!(self.out, "#{}", self.rng.pick(&vocabulary().tags));
            }
            8..11 => {
                let path = self.url_path();
                let _ = write!(self.out, "https://example.com/{path}");
            }
            11..30 => {
                let word = self.lexicon.word(&mut self.rng);
                let _ = write!(self.out, "**{word}**");
            }
            30..45 => {
                let word = self.lexicon.word(&mut self.rng);
                let _ = write!(self.out, "*{word}*");
            }
            45..52 => {
                let word = self.lexicon.word(&mut self.rng);
                let _ = write!(self.out, "`{word}`");
            }
            _ => {
                let word = self.lexicon.word(&mut self.rng);
                self.out.push_str(word);
            }
        }
    }

    /// A bullet list of 3–7 items, sometimes nested, some with a link.
    fn bullet_list(&mut self) {
        let items = self.rng.between(3, 7);
        for item in 0..items {
            let indent = if item > 0 && self.rng.below(5) == 0 {
                "  "
            } else {
                ""
            };
            let _ = write!(self.out, "{indent}- ");
            self.list_item();
            if item + 1 < items {
                self.out.push('\n');
            }
        }
    }

    /// A task list of 2–6 items, some done.
    fn task_list(&mut self) {
        let items = self.rng.between(2, 6);
        for item in 0..items {
            let mark = if self.rng.below(3) == 0 { 'x' } else { ' ' };
            let _ = write!(self.out, "- [{mark}] ");
            self.list_item();
            if item + 1 < items {
                self.out.push('\n');
            }
        }
    }

    /// A numbered list of 2–5 items.
    fn numbered_list(&mut self) {
        let items = self.rng.between(2, 5);
        for item in 1..=items {
            let _ = write!(self.out, "{item}. ");
            self.list_item();
            if item < items {
                self.out.push('\n');
            }
        }
    }

    /// A short list item; one in six starts with a link.
    fn list_item(&mut self) {
        let words = self.rng.between(3, 12);
        if self.rng.below(6) == 0 {
            self.inline_link();
            self.out.push(' ');
        }
        self.prose(words);
    }

    /// An Obsidian callout with a title and two or three lines.
    fn callout(&mut self) {
        let kind = self.rng.pick(&["note", "tip", "warning", "info", "quote"]);
        let title = sentence_case_words(&mut self.rng, 2);
        let _ = write!(self.out, "> [!{kind}] {title}");
        for _ in 0..self.rng.between(2, 3) {
            self.out.push_str("\n> ");
            let words = self.rng.between(6, 18);
            self.prose(words);
        }
    }

    /// A line with a single embed of another note.
    fn embed_line(&mut self) {
        self.out.push('!');
        self.plain_link();
    }

    /// A link without heading or display text, as `|` would split a table
    /// cell.
    fn plain_link(&mut self) {
        let target = self.choose_target();
        let text = self.link_text(&target);
        let _ = write!(self.out, "[[{text}]]");
    }

    /// A small table whose first column sometimes links to notes.
    fn table(&mut self) {
        let columns = self.rng.between(2, 4);
        let header: Vec<String> = (0..columns)
            .map(|_| capitalize(self.rng.pick(&vocabulary().titles)))
            .collect();
        let _ = writeln!(self.out, "| {} |", header.join(" | "));
        let _ = write!(self.out, "|{}", "---|".repeat(columns));
        for _ in 0..self.rng.between(2, 5) {
            self.out.push_str("\n| ");
            if self.rng.below(3) == 0 {
                self.plain_link();
            } else {
                let word = capitalize(self.lexicon.word(&mut self.rng));
                self.out.push_str(&word);
            }
            for _ in 1..columns {
                self.out.push_str(" | ");
                let word = self.lexicon.word(&mut self.rng);
                self.out.push_str(word);
            }
            self.out.push_str(" |");
        }
    }

    /// A fenced code block; one in four contains `[[…]]`, which is code and
    /// therefore not a link (and not counted as one).
    fn code_block(&mut self) {
        let lang = self.rng.pick(CODE_LANGS);
        let _ = writeln!(self.out, "```{lang}");
        for _ in 0..self.rng.between(2, 8) {
            let name = self.lexicon.word(&mut self.rng).to_owned();
            let arg = self.lexicon.word(&mut self.rng).to_owned();
            let _ = match self.rng.below(4) {
                0 => writeln!(self.out, "{name} = compute({arg}, {})", self.rng.below(100)),
                1 => writeln!(self.out, "if {name} > {arg} {{ return {name} }}"),
                2 => writeln!(self.out, "# {name}: {arg}"),
                _ => writeln!(self.out, "print(\"{name} {arg}\")"),
            };
        }
        if self.rng.below(4) == 0 {
            let _ = writeln!(self.out, "text = \"[[{}]]\"", make_title(&mut self.rng));
        }
        self.out.push_str("```");
    }

    /// A line with an external Markdown link.
    fn external_link_line(&mut self) {
        let title = sentence_case_words(&mut self.rng, 3);
        let path = self.url_path();
        let _ = write!(self.out, "Source: [{title}](https://example.com/{path})");
    }

    // -- links --------------------------------------------------------------

    /// A link in running text, in one of Obsidian's forms.
    fn inline_link(&mut self) {
        let target = self.choose_target();
        let text = self.link_text(&target);
        let Target::Note(note) = target else {
            let _ = write!(self.out, "[[{text}]]");
            return;
        };
        let plan = self.plan;
        let headings = &plan.notes[note].headings;
        match self.rng.below(100) {
            0..55 => {
                let _ = write!(self.out, "[[{text}]]");
            }
            55..67 => {
                let display = self.display_text(note);
                let _ = write!(self.out, "[[{text}|{display}]]");
            }
            67..80 if !headings.is_empty() => {
                let heading = &self.rng.pick_ref(headings).text;
                let _ = write!(self.out, "[[{text}#{heading}]]");
            }
            80..85 if !headings.is_empty() => {
                let heading = &self.rng.pick_ref(headings).text;
                let display = self.display_text(note);
                let _ = write!(self.out, "[[{text}#{heading}|{display}]]");
            }
            85..91 => {
                let _ = write!(self.out, "![[{text}]]");
            }
            91..95 => {
                let path = plan.link_path(note);
                let _ = write!(self.out, "[[{path}]]");
            }
            95..100 => {
                let display = self.display_text(note);
                let path = percent_encode_path(&plan.link_path(note));
                let _ = write!(self.out, "[{display}]({path}.md)");
            }
            _ => {
                let _ = write!(self.out, "[[{text}]]");
            }
        }
    }

    /// Picks a link target and counts the link: a missing name about 3% of
    /// the time, otherwise a note of the same folder or a popular note.
    fn choose_target(&mut self) -> Target {
        self.links += 1;
        if self.rng.per_mille(BROKEN_LINK_PER_MILLE) {
            self.broken += 1;
            return Target::Missing(self.missing_name());
        }
        let plan = self.plan;
        let siblings = &plan.by_folder[plan.notes[self.index].folder];
        let target = if siblings.len() > 1 && self.rng.below(4) == 0 {
            self.rng.pick(siblings)
        } else {
            self.rng.skewed_below(plan.notes.len())
        };
        if target == self.index {
            Target::Note((target + 1) % plan.notes.len())
        } else {
            Target::Note(target)
        }
    }

    /// What goes before any `#` or `|` in a wikilink: usually the name; for
    /// names shared by several notes, often the path as Obsidian writes it;
    /// now and then the name in lower case (resolution is case-insensitive).
    fn link_text(&mut self, target: &Target) -> String {
        match target {
            Target::Missing(name) => name.clone(),
            Target::Note(note) => {
                let plan = self.plan;
                let name = &plan.notes[*note].name;
                if plan.notes[*note].shared_name && self.rng.below(2) == 0 {
                    plan.link_path(*note)
                } else if self.rng.per_mille(30) {
                    name.to_lowercase()
                } else {
                    name.clone()
                }
            }
        }
    }

    /// Display text for `[[Name|display]]`: an alias when the note has one.
    fn display_text(&mut self, note: usize) -> String {
        let aliases = &self.plan.notes[note].aliases;
        if !aliases.is_empty() && self.rng.below(2) == 0 {
            return self.rng.pick_ref(aliases).clone();
        }
        let words = self.rng.between(1, 3);
        (0..words)
            .map(|_| self.lexicon.word(&mut self.rng))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A title that no note has.
    fn missing_name(&mut self) -> String {
        loop {
            let name = make_title(&mut self.rng);
            if !self.plan.names.contains(&name.to_lowercase()) {
                return name;
            }
        }
    }

    /// A block id such as `k3x9qa` or `draft-123`.
    fn block_id(&mut self) -> String {
        if self.rng.below(2) == 0 {
            const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
            (0..6)
                .map(|_| char::from(self.rng.pick(ALPHABET)))
                .collect()
        } else {
            let word = self.lexicon.word(&mut self.rng).to_owned();
            format!("{word}-{}", self.rng.between(100, 999))
        }
    }

    /// A path for an external URL, such as `docs/brasta/42`.
    fn url_path(&mut self) -> String {
        let section = self.rng.pick(&["docs", "blog", "wiki", "papers", "r"]);
        let word = self.lexicon.word(&mut self.rng).to_owned();
        format!("{section}/{word}/{}", self.rng.below(1000))
    }
}

/// Writes `key:` followed by a YAML block list; nothing for an empty list.
fn yaml_list(out: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{key}:");
    for item in items {
        let _ = writeln!(out, "  - {item}");
    }
}

/// The ISO date `days` days after 2018-01-01.
fn iso_date(days: usize) -> String {
    // Days from 1970-01-01 to 2018-01-01.
    const EPOCH_2018: i64 = 17_532;
    let (year, month, day) = civil_from_days(EPOCH_2018 + days as i64);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Proleptic Gregorian date of a day number counted from 1970-01-01
/// (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Percent-encodes a vault path for a Markdown link: every byte except
/// unreserved characters and `/` becomes `%XX` (so a space is `%20`).
fn percent_encode_path(path: &str) -> String {
    let mut encoded = String::with_capacity(path.len() + 8);
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

/// Makes sure `out` may be written to, creates it and `.obsidian/app.json`.
fn prepare_output(out: &Path, force: bool) -> Result<(), String> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if !force && entries.next().is_some() {
                return Err(format!(
                    "{} is not empty; pass --force to write into it anyway",
                    out.display()
                ));
            }
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(format!("cannot use {}: {error}", out.display())),
    }
    let settings = out.join(".obsidian");
    fs::create_dir_all(&settings)
        .map_err(|error| format!("cannot create {}: {error}", settings.display()))?;
    write_file(&settings.join("app.json"), "{}")
}

/// Writes `contents` to `path`, with the path in the error message.
fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    fs::write(path, contents).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// Creates every folder of the plan below `out`.
fn create_folders(out: &Path, plan: &Plan) -> Result<(), String> {
    for folder in plan.folders.iter().skip(1) {
        let path = out.join(&folder.path);
        fs::create_dir_all(&path)
            .map_err(|error| format!("cannot create {}: {error}", path.display()))?;
    }
    Ok(())
}

/// Generates the whole vault and returns its statistics.
fn generate(options: &Options) -> Result<(Plan, Stats), String> {
    prepare_output(&options.out, options.force)?;
    let plan = Plan::new(options.seed, options.notes);
    let lexicon = Lexicon::new(options.seed);
    create_folders(&options.out, &plan)?;
    let mut stats = Stats::default();
    for index in 0..plan.notes.len() {
        let text = NoteWriter::new(&plan, &lexicon, options.seed, index).render(&mut stats);
        let path = options.out.join(format!("{}.md", plan.link_path(index)));
        write_file(&path, &text)?;
    }
    Ok((plan, stats))
}

/// The one-line summary printed at the end.
fn summary(options: &Options, plan: &Plan, stats: &Stats) -> String {
    format!(
        "gen_vault: {} notes, {} folders, {:.1} MB ({} bytes) of Markdown, {} links ({} broken), \
         {} notes share a basename ({} ambiguous pairs), seed {} -> {}",
        plan.notes.len(),
        plan.folders.len() - 1,
        stats.bytes as f64 / 1_000_000.0,
        stats.bytes,
        stats.links,
        stats.broken,
        plan.shared_name_count(),
        plan.ambiguous_pairs,
        options.seed,
        options.out.display(),
    )
}

fn main() -> ExitCode {
    let command = utf8_args().and_then(parse_args);
    let options = match command {
        Ok(Command::Help) => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Generate(options)) => options,
        Err(message) => {
            eprintln!("gen_vault: error: {message}\n\nRun with --help for usage.");
            return ExitCode::from(2);
        }
    };
    match generate(&options) {
        Ok((plan, stats)) => {
            eprintln!("{}", summary(&options, &plan, &stats));
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("gen_vault: error: {message}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Result<Command, String> {
        parse_args(line.split_whitespace().map(str::to_owned))
    }

    #[test]
    fn parses_options_in_both_forms() {
        let Ok(Command::Generate(options)) = args("--notes=2_000 -s 7 --out /tmp/v --force") else {
            panic!("expected options");
        };
        assert_eq!(
            (options.notes, options.seed, options.force),
            (2000, 7, true)
        );
        assert_eq!(options.out, PathBuf::from("/tmp/v"));
        assert!(matches!(args("--out /tmp/v --help"), Ok(Command::Help)));
    }

    #[test]
    fn rejects_bad_arguments() {
        for line in [
            "",
            "--notes 0 --out x",
            "--notes x --out x",
            "--notes 5",
            "--seed",
            "-x",
        ] {
            assert!(args(line).is_err(), "accepted `{line}`");
        }
    }

    #[test]
    fn rng_streams_are_reproducible_and_distinct() {
        let draw = |index| {
            let mut rng = Rng::derive(42, stream::NOTE, index);
            (0..4).map(|_| rng.next_u64()).collect::<Vec<_>>()
        };
        assert_eq!(draw(1), draw(1));
        assert_ne!(draw(1), draw(2));
    }

    #[test]
    fn dates_and_paths_are_encoded() {
        assert_eq!(iso_date(0), "2018-01-01");
        assert_eq!(iso_date(59), "2018-03-01");
        assert_eq!(iso_date(790), "2020-03-01");
        assert_eq!(percent_encode_path("A b/Café.x"), "A%20b/Caf%C3%A9.x");
    }

    #[test]
    fn plan_has_shared_and_ambiguous_names() {
        let plan = Plan::new(42, 3000);
        assert_eq!(plan.folders.len() - 1, 60);
        assert!(
            plan.folders
                .iter()
                .all(|folder| folder.depth <= MAX_FOLDER_DEPTH)
        );
        assert!(plan.ambiguous_pairs >= 2);
        let shared = plan.shared_name_count();
        assert!((30..=120).contains(&shared), "{shared} shared names");
    }

    #[test]
    fn notes_are_deterministic() {
        let plan = Plan::new(7, 200);
        let lexicon = Lexicon::new(7);
        let render =
            |index| NoteWriter::new(&plan, &lexicon, 7, index).render(&mut Stats::default());
        assert_eq!(render(5), render(5));
        assert_ne!(render(5), render(6));
    }
}
