//! `workspace/executeCommand`: what the CLI's `outline` and `search`
//! print, from the server's vaults (open buffers included).
//!
//! - `vaultkit.outline` with a note's URI: the note's course outline as
//!   Markdown, as `vaultkit outline NOTE` prints it.
//! - `vaultkit.search` with a query in Obsidian's syntax (and, optionally,
//!   the URI of a document of the vault to search, else the first vault):
//!   the ranked hits as `vaultkit search --format json` prints them.

use lsp_types::{ExecuteCommandParams, Uri};
use serde_json::Value;
use vaultkit::outline::{self, Options, Source, lesson};
use vaultkit::render;

use super::workspace::Workspace;

/// The course outline of a note.
pub const OUTLINE: &str = "vaultkit.outline";
/// A full-text search.
pub const SEARCH: &str = "vaultkit.search";
/// Every command the server runs.
pub const COMMANDS: [&str; 2] = [OUTLINE, SEARCH];

/// How many hits a search gives, as `vaultkit search` does by default.
const HITS: usize = 20;

/// Runs a command: its result, or why it failed.
pub fn execute(workspaces: &[Workspace], params: &ExecuteCommandParams) -> Result<Value, String> {
    let text = |i: usize| params.arguments.get(i).and_then(Value::as_str);
    let workspace_of = |uri: &str| -> Result<(&Workspace, String), String> {
        let parsed: Uri = uri.parse().map_err(|_| format!("`{uri}` is not a URI"))?;
        (workspaces.iter())
            .find_map(|workspace| Some((workspace, workspace.note_path(&parsed)?)))
            .ok_or_else(|| format!("{uri} is not a note of the vault"))
    };
    match params.command.as_str() {
        OUTLINE => {
            let uri = text(0).ok_or("give the URI of a note")?;
            let (workspace, path) = workspace_of(uri)?;
            course_outline(workspace, &path).map(Value::String)
        }
        SEARCH => {
            let query = text(0).ok_or("give a query")?;
            let workspace = match text(1) {
                Some(uri) => workspace_of(uri)?.0,
                None => workspaces.first().ok_or("the server has no vault")?,
            };
            search_hits(workspace, query)
        }
        other => Err(format!(
            "unknown command `{other}`; the commands are {}",
            COMMANDS.join(", ")
        )),
    }
}

/// The Markdown course outline from the note at `path`.
fn course_outline(workspace: &Workspace, path: &str) -> Result<String, String> {
    let vault = workspace.live();
    let root = vault
        .note_id(path)
        .ok_or_else(|| format!("{path} is not a note of the vault"))?;
    let lead = |note: &vaultkit::model::Note| {
        let id = workspace.live().note_id(&note.path)?;
        lesson::first_paragraph(&workspace.text(id)?)
    };
    let built = outline::build(vault, &Source::Root(root), &Options::default(), &lead);
    let mut out = Vec::new();
    render::outline::markdown(&mut out, &built).map_err(|err| err.to_string())?;
    String::from_utf8(out).map_err(|err| err.to_string())
}

/// The hits of `query` in the vault, as `search --format json` writes them.
fn search_hits(workspace: &Workspace, text: &str) -> Result<Value, String> {
    let query = super::super::search::parse(text).map_err(|err| format!("{err:#}"))?;
    let results = (workspace.search(&query, HITS))
        .map_err(|err| format!("{err:#}"))?
        .ok_or_else(|| {
            format!(
                "the search index of {} is being built; search again in a moment",
                workspace.root().display()
            )
        })?;
    let mut out = Vec::new();
    render::search::json(&mut out, text, &results, &[]).map_err(|err| err.to_string())?;
    serde_json::from_slice(&out).map_err(|err| err.to_string())
}
