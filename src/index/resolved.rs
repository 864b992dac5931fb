//! Every link's resolution in a compact binary form, for the index to keep
//! (see [`super::kept`]) with the content hash of each note they were made
//! from: a run on a vault with the same files takes back those of unchanged
//! notes instead of resolving each link again
//! ([`crate::vault::Vault::assemble`] checks them against the notes).
//!
//! Per note its content hash and number of links, and per link its target,
//! case and anchor, and its tied candidates (varints, see [`super::codec`]).

use super::codec::{Corrupt, Reader, Writer};
use crate::vault::resolve::AnchorMatch;
use crate::vault::{FileId, NoteId, Resolution};

/// Encodes every note's content hash and resolutions, in note order.
pub fn encode(contents: &[u64], resolutions: &[&[Resolution]]) -> Vec<u8> {
    let mut body = Writer::new(Vec::with_capacity(resolutions.len() * 16));
    body.uint(resolutions.len() as u64);
    for (content, links) in contents.iter().zip(resolutions) {
        body.0.extend_from_slice(&content.to_le_bytes());
        body.uint(links.len() as u64);
        for resolution in *links {
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
    body.0
}

/// Decodes what [`encode`] wrote: the content hashes and the resolutions.
pub fn decode(bytes: &[u8]) -> Result<(Vec<u64>, Vec<Vec<Resolution>>), Corrupt> {
    let mut input = Reader::new(bytes);
    let count = |input: &mut Reader<'_>| {
        // Every item takes at least a byte: a count beyond that is damage.
        usize::try_from(input.uint()?)
            .ok()
            .filter(|&n| n <= input.0.len())
            .ok_or(Corrupt)
    };
    let notes = count(&mut input)?;
    let mut contents = Vec::with_capacity(notes);
    let mut resolutions = Vec::with_capacity(notes);
    for _ in 0..notes {
        let content = input.bytes(8)?;
        contents.push(u64::from_le_bytes(content.try_into().map_err(|_| Corrupt)?));
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
        Ok((contents, resolutions))
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

    fn borrowed(resolutions: &[Vec<Resolution>]) -> Vec<&[Resolution]> {
        resolutions.iter().map(Vec::as_slice).collect()
    }

    #[test]
    fn resolutions_decode_as_they_were() {
        let contents = vec![7, u64::MAX, 0];
        assert_eq!(
            decode(&encode(&contents, &borrowed(&sample()))),
            Ok((contents, sample()))
        );
        assert_eq!(decode(&encode(&[], &[])), Ok((vec![], vec![])));
    }

    #[test]
    fn cut_or_padded_bytes_are_damage() {
        let whole = encode(&[1, 2, 3], &borrowed(&sample()));
        for cut in 0..whole.len() {
            assert_eq!(decode(&whole[..cut]), Err(Corrupt), "cut at {cut}");
        }
        let padded = [&whole[..], &[0]].concat();
        assert_eq!(decode(&padded), Err(Corrupt));
    }
}
