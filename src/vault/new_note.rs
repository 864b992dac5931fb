//! Where Obsidian creates the note that a link leading nowhere names: in
//! the folder the link names, else in the vault's default location for new
//! notes (Settings › Files and links, kept in `.obsidian/app.json`): the
//! vault's root, the linking note's folder, or a folder of its own.

use std::path::Path;

use serde::Deserialize;

use super::resolve::fold;

/// The default location for new notes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Location {
    /// The vault's root (Obsidian's default).
    #[default]
    Root,
    /// The folder of the note the link is in.
    Current,
    /// This folder (a vault path).
    Folder(String),
}

/// The settings of `.obsidian/app.json` that say where new notes go.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppSettings {
    new_file_location: Option<String>,
    new_file_folder_path: Option<String>,
}

impl Location {
    /// The location the vault at `root` sets; the root when its settings
    /// are missing or unreadable.
    pub fn read(root: &Path) -> Self {
        let settings = std::fs::read(root.join(".obsidian/app.json"))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<AppSettings>(&bytes).ok());
        let Some(settings) = settings else {
            return Self::Root;
        };
        match settings.new_file_location.as_deref() {
            Some("current") => Self::Current,
            Some("folder") => {
                let folder = settings.new_file_folder_path.unwrap_or_default();
                let folder = folder.trim_matches('/');
                if folder.is_empty() {
                    Self::Root
                } else {
                    Self::Folder(folder.to_owned())
                }
            }
            _ => Self::Root,
        }
    }
}

/// The extensions of the files Obsidian opens other than notes (and of its
/// canvases and bases): a link ending in one names no note to create.
const NOT_NOTES: [&str; 22] = [
    "avif", "bmp", "gif", "jpeg", "jpg", "png", "svg", "webp", "flac", "m4a", "mp3", "ogg", "wav",
    "webm", "3gp", "mkv", "mov", "mp4", "ogv", "pdf", "canvas", "base",
];

/// The vault path of the note that a link written `target` (its path part)
/// in the note at `source` creates, with `.md` added unless it has it;
/// `None` for a path that leads out of the vault or names no note (a file
/// of a kind Obsidian opens otherwise, such as an image).
pub fn path(target: &str, source: &str, location: &Location) -> Option<String> {
    let target = target.trim().replace('\\', "/");
    let source_folder = source.rsplit_once('/').map_or("", |(folder, _)| folder);
    let relative = target.starts_with("./") || target.starts_with("../");
    let (base, written) = if relative {
        (source_folder, target.as_str())
    } else if target.trim_start_matches('/').contains('/') {
        ("", target.trim_start_matches('/'))
    } else {
        let folder = match location {
            Location::Root => "",
            Location::Current => source_folder,
            Location::Folder(folder) => folder.as_str(),
        };
        (folder, target.as_str())
    };
    let mut parts: Vec<&str> = base.split('/').filter(|part| !part.is_empty()).collect();
    for part in written.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            _ => parts.push(part),
        }
    }
    let name = parts.last()?;
    let extension = name.rsplit_once('.').map(|(_, extension)| fold(extension));
    if extension.is_some_and(|extension| NOT_NOTES.contains(&extension.as_ref())) {
        return None;
    }
    let md = if fold(name).ends_with(".md") {
        ""
    } else {
        ".md"
    };
    Some(format!("{}{md}", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_with_a_folder_creates_the_note_there() {
        let folder = Location::Folder("Inbox".into());
        for location in [Location::Root, Location::Current, folder] {
            assert_eq!(
                path("Plans/Roadmap", "a/b.md", &location).as_deref(),
                Some("Plans/Roadmap.md")
            );
            assert_eq!(
                path("/Plans/Roadmap.MD", "a/b.md", &location).as_deref(),
                Some("Plans/Roadmap.MD")
            );
            assert_eq!(
                path("../Plans/Roadmap", "a/b.md", &location).as_deref(),
                Some("Plans/Roadmap.md")
            );
            assert_eq!(path("./x", "a/b.md", &location).as_deref(), Some("a/x.md"));
        }
    }

    #[test]
    fn a_name_alone_goes_to_the_default_location() {
        let at = |location| path("Ideas", "a/b.md", &location);
        assert_eq!(at(Location::Root).as_deref(), Some("Ideas.md"));
        assert_eq!(at(Location::Current).as_deref(), Some("a/Ideas.md"));
        assert_eq!(
            at(Location::Folder("Inbox/New".into())).as_deref(),
            Some("Inbox/New/Ideas.md")
        );
    }

    #[test]
    fn a_path_out_of_the_vault_or_to_no_file_is_none() {
        assert_eq!(path("../../x", "a/b.md", &Location::Root), None);
        assert_eq!(path("./", "b.md", &Location::Root), None);
        assert_eq!(path("  ", "b.md", &Location::Root), None);
        assert_eq!(path("pic.PNG", "b.md", &Location::Root), None);
        assert_eq!(path("a/Board.canvas", "b.md", &Location::Root), None);
        assert_eq!(
            path("v1.2", "b.md", &Location::Root).as_deref(),
            Some("v1.2.md")
        );
    }

    #[test]
    fn the_location_is_read_from_the_obsidian_settings() {
        let dir = tempfile::tempdir().expect("a folder");
        assert_eq!(Location::read(dir.path()), Location::Root);
        std::fs::create_dir(dir.path().join(".obsidian")).expect("a folder");
        let settings = dir.path().join(".obsidian/app.json");
        for (json, expected) in [
            (r#"{"newFileLocation":"current"}"#, Location::Current),
            (
                r#"{"newFileLocation":"folder","newFileFolderPath":"/Inbox/"}"#,
                Location::Folder("Inbox".into()),
            ),
            (r#"{"newFileLocation":"folder"}"#, Location::Root),
            (r#"{"newFileLocation":"root"}"#, Location::Root),
            ("not json", Location::Root),
        ] {
            std::fs::write(&settings, json).expect("written");
            assert_eq!(Location::read(dir.path()), expected, "{json}");
        }
    }
}
