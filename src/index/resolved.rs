//! Every link's resolution, kept beside the note table: a warm run on a
//! vault that did not change takes them back instead of resolving each link
//! again.
//!
//! The file names the note table it was made from by that table's header,
//! whose checksums cover every file path and every parsed note: all a
//! resolution depends on. A file made from another table, or damaged, is
//! ignored (the links are resolved again and the file rewritten); what it
//! holds is checked against the notes before use ([`crate::vault::Vault::assemble`]).
//!
//! Layout: a magic line, the table's header (length-prefixed), the xxh3 of
//! the rest, then per note its number of links and per link its target,
//! case and anchor, and its tied candidates (varints, see [`super::codec`]).

use std::path::Path;

use super::codec::{Corrupt, Reader, Writer};
use crate::vault::resolve::AnchorMatch;
use crate::vault::{FileId, NoteId, Resolution};

/// The file's name, in the index's data folder.
pub const FILE_NAME: &str = "links.bin";
/// First bytes of the file; bump the version when resolution rules change.
const MAGIC: &[u8] = b"vaultkit-links 1\n";

/// Writes `resolutions` (every note's, in note order) as made from the
/// table whose header is `table`. Not synced: a torn file fails its checksum.
pub fn save(
    path: &Path,
    table: &[u8],
    resolutions: &[Vec<Resolution>],
) -> crate::error::Result<()> {
    let mut body = Writer(Vec::with_capacity(resolutions.len() * 8));
    body.uint(resolutions.len() as u64);
    for links in resolutions {
        body.uint(links.len() as u64);
        for resolution in links {
            body.uint(file_code(resolution.target));
            let anchor = match resolution.anchor {
                None => 0,
                Some(AnchorMatch::Missing) => 1,
                Some(AnchorMatch::Found { index, exact_case }) => {
                    2 + 2 * index as u64 + u64::from(exact_case)
                }
            };
            body.uint(anchor << 1 | u64::from(resolution.exact_case));
            body.uint(resolution.candidates.len() as u64);
            for &candidate in &resolution.candidates {
                body.uint(file_code(Some(candidate)));
            }
        }
    }
    let mut head = Writer(MAGIC.to_vec());
    head.uint(table.len() as u64);
    head.0.extend_from_slice(table);
    head.0
        .extend_from_slice(&super::xxh3(&body.0).to_le_bytes());
    crate::atomic::write_cache(path, &[&head.0, &body.0])
}

/// The resolutions in the file at `path`, if it was made from the table
/// whose header is `table` and is whole.
pub fn load(path: &Path, table: &[u8]) -> Option<Vec<Vec<Resolution>>> {
    let bytes = std::fs::read(path).ok()?;
    let mut input = Reader(bytes.strip_prefix(MAGIC)?);
    let len = input.uint().ok()?;
    if input.bytes(len).ok()? != table {
        return None;
    }
    let hash = input.bytes(8).ok()?;
    if hash != super::xxh3(input.0).to_le_bytes() {
        return None;
    }
    decode(input).ok()
}

fn decode(mut input: Reader<'_>) -> Result<Vec<Vec<Resolution>>, Corrupt> {
    let count = |input: &mut Reader<'_>| {
        // Every item takes at least a byte: a count beyond that is damage.
        usize::try_from(input.uint()?)
            .ok()
            .filter(|&n| n <= input.0.len())
            .ok_or(Corrupt)
    };
    let notes = count(&mut input)?;
    let mut resolutions = Vec::with_capacity(notes);
    for _ in 0..notes {
        let links = count(&mut input)?;
        let mut note = Vec::with_capacity(links);
        for _ in 0..links {
            let target = file(input.uint()?)?;
            let flags = input.uint()?;
            let anchor = match flags >> 1 {
                0 => None,
                1 => Some(AnchorMatch::Missing),
                code => Some(AnchorMatch::Found {
                    index: usize::try_from((code - 2) / 2).map_err(|_| Corrupt)?,
                    exact_case: code % 2 == 1,
                }),
            };
            let candidates = (0..count(&mut input)?)
                .map(|_| file(input.uint()?)?.ok_or(Corrupt))
                .collect::<Result<_, _>>()?;
            note.push(Resolution {
                target,
                candidates,
                exact_case: flags & 1 == 1,
                anchor,
            });
        }
        resolutions.push(note);
    }
    if input.0.is_empty() {
        Ok(resolutions)
    } else {
        Err(Corrupt)
    }
}

/// `0` for no file, then notes and attachments interleaved.
fn file_code(file: Option<FileId>) -> u64 {
    match file {
        None => 0,
        Some(FileId::Note(id)) => 1 + 2 * u64::from(id.0),
        Some(FileId::Attachment(i)) => 2 + 2 * u64::from(i),
    }
}

fn file(code: u64) -> Result<Option<FileId>, Corrupt> {
    let index = u32::try_from((code.max(1) - 1) / 2).map_err(|_| Corrupt)?;
    Ok(match code {
        0 => None,
        _ if code % 2 == 1 => Some(FileId::Note(NoteId(index))),
        _ => Some(FileId::Attachment(index)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Vec<Resolution>> {
        let resolution = |target, candidates, exact_case, anchor| Resolution {
            target,
            candidates,
            exact_case,
            anchor,
        };
        vec![
            vec![
                resolution(None, vec![], true, None),
                resolution(Some(FileId::Note(NoteId(1))), vec![], false, None),
                resolution(
                    Some(FileId::Attachment(300)),
                    vec![FileId::Attachment(300), FileId::Note(NoteId(0))],
                    true,
                    None,
                ),
            ],
            vec![],
            vec![
                resolution(
                    Some(FileId::Note(NoteId(0))),
                    vec![],
                    true,
                    Some(AnchorMatch::Missing),
                ),
                resolution(
                    Some(FileId::Note(NoteId(2))),
                    vec![],
                    true,
                    Some(AnchorMatch::Found {
                        index: 70,
                        exact_case: false,
                    }),
                ),
                resolution(
                    Some(FileId::Note(NoteId(2))),
                    vec![],
                    false,
                    Some(AnchorMatch::Found {
                        index: 0,
                        exact_case: true,
                    }),
                ),
            ],
        ]
    }

    #[test]
    fn resolutions_load_back_for_the_same_table_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        assert_eq!(load(&path, b"table header"), None, "no file");
        save(&path, b"table header", &sample()).unwrap();
        assert_eq!(load(&path, b"table header"), Some(sample()));
        assert_eq!(load(&path, b"another table"), None);
        save(&path, b"table header", &[]).unwrap();
        assert_eq!(load(&path, b"table header"), Some(vec![]));
    }

    #[test]
    fn a_damaged_file_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        save(&path, b"table header", &sample()).unwrap();
        let whole = std::fs::read(&path).unwrap();
        for cut in [1, MAGIC.len() + 3, whole.len() - 1] {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert_eq!(load(&path, b"table header"), None, "cut at {cut}");
        }
        for at in (0..whole.len()).step_by(3) {
            let mut damaged = whole.clone();
            damaged[at] ^= 0x10;
            std::fs::write(&path, &damaged).unwrap();
            assert_eq!(load(&path, b"table header"), None, "byte {at} flipped");
        }
    }
}
