//! The note table: what the index knows of every vault file (its size,
//! modification time, content hash and the hash of its resolved link
//! targets) and every note's parsed form, in one flat file beside the
//! tantivy index.
//!
//! A refresh compares the table with a stat pass and touches only what
//! changed; a warm run rebuilds the vault from it without parsing anything.
//! The file is a cache: it names the tantivy commit it goes with and carries
//! checksums, and anything that does not check out makes the caller rebuild.
//!
//! Layout: a magic line, then three little-endian `u64`s (the length of the
//! entries section, its xxh3 and the xxh3 of the note data), the entries
//! (varints and length-prefixed paths, see [`super::codec`]), then the
//! encoded parsed notes back to back.

use std::ops::Range;
use std::path::Path;

use super::codec::{Corrupt, Reader, Writer};

/// The table's file name, in the index's data folder.
pub const FILE_NAME: &str = "notes.bin";
/// First bytes of the file; another version means a rebuild.
const MAGIC: &[u8] = b"vaultkit-notes 1\n";
const HEADER: usize = MAGIC.len() + 24;

/// A vault file as the index last saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Vault path.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: u64,
    /// Content hash (xxh3).
    pub hash: u64,
    /// Hash of the note's sorted resolved link targets (see [`super::links_hash`]).
    pub links_hash: u64,
    /// Where the note's encoded parsed form lies in the note data; `None`
    /// for attachments.
    pub note: Option<Range<usize>>,
}

/// The note table of one index commit.
pub struct Table {
    /// The tantivy commit (opstamp) this table describes.
    pub opstamp: u64,
    /// Every file, in path order.
    pub entries: Vec<Entry>,
    /// The encoded notes, back to back.
    notes: Vec<u8>,
}

impl Table {
    /// An empty table (an index with no commit yet).
    pub fn empty() -> Self {
        Builder::default().finish(0)
    }

    /// Reads the table at `path`: `Err` with the reason when it is missing,
    /// of another version or damaged.
    pub fn load(path: &Path) -> Result<Self, String> {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err("there was no note table".to_owned());
            }
            Err(e) => return Err(format!("the note table could not be read ({e})")),
        };
        let header = bytes.get(..HEADER).ok_or_else(|| damaged(()))?;
        if &header[..MAGIC.len()] != MAGIC {
            return Err("the note table was written by another version".to_owned());
        }
        let word = |i: usize| {
            let at = MAGIC.len() + 8 * i;
            let mut word = [0u8; 8];
            word.copy_from_slice(&header[at..at + 8]);
            u64::from_le_bytes(word)
        };
        let (entries_len, entries_hash, notes_hash) = (word(0), word(1), word(2));
        let body = &bytes[HEADER..];
        let entries_len = usize::try_from(entries_len).map_err(damaged)?;
        if entries_len > body.len() {
            return Err(damaged(()));
        }
        let (entries, notes) = body.split_at(entries_len);
        if super::xxh3(entries) != entries_hash || super::xxh3(notes) != notes_hash {
            return Err(damaged(()));
        }
        let (opstamp, entries) = decode_entries(entries, notes.len()).map_err(damaged)?;
        Ok(Self {
            opstamp,
            entries,
            notes: notes.to_vec(),
        })
    }

    /// Writes the table to `path`, replacing the old one in one rename.
    /// Not synced to disk: a table lost or torn by a crash fails its
    /// checksums or its commit check, and the index is rebuilt.
    pub fn save(&self, path: &Path) -> crate::error::Result<()> {
        let mut entries = Writer(Vec::with_capacity(self.entries.len() * 64));
        entries.uint(self.opstamp);
        entries.uint(self.entries.len() as u64);
        for entry in &self.entries {
            entries.str(&entry.path);
            for n in [entry.size, entry.modified, entry.hash, entry.links_hash] {
                entries.uint(n);
            }
            entries.uint(
                entry
                    .note
                    .as_ref()
                    .map_or(0, |range| range.len() as u64 + 1),
            );
        }
        let entries = entries.0;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        for word in [
            entries.len() as u64,
            super::xxh3(&entries),
            super::xxh3(&self.notes),
        ] {
            header.extend_from_slice(&word.to_le_bytes());
        }
        crate::atomic::write_cache(path, &[&header, &entries, &self.notes])
    }

    /// The entry for a vault path.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The entries and the note data they point into.
    pub fn into_parts(self) -> (Vec<Entry>, Vec<u8>) {
        (self.entries, self.notes)
    }

    /// The encoded parsed note of an entry (`None` for attachments).
    pub fn encoded(&self, entry: &Entry) -> Option<&[u8]> {
        self.notes.get(entry.note.clone()?)
    }
}

fn damaged<E>(_: E) -> String {
    "the note table is damaged".to_owned()
}

/// Collects the entries of a new table, in path order.
#[derive(Default)]
pub struct Builder {
    entries: Vec<Entry>,
    notes: Vec<u8>,
}

impl Builder {
    /// A builder with room for `entries` files and `bytes` of note data.
    pub fn with_capacity(entries: usize, bytes: usize) -> Self {
        Self {
            entries: Vec::with_capacity(entries),
            notes: Vec::with_capacity(bytes),
        }
    }

    /// Adds a file; `encoded` is its encoded parsed note (`None` for an attachment).
    pub fn push(&mut self, mut entry: Entry, encoded: Option<&[u8]>) {
        entry.note = encoded.map(|bytes| {
            let start = self.notes.len();
            self.notes.extend_from_slice(bytes);
            start..self.notes.len()
        });
        self.entries.push(entry);
    }

    /// The table, for the tantivy commit `opstamp`.
    pub fn finish(self, opstamp: u64) -> Table {
        Table {
            opstamp,
            entries: self.entries,
            notes: self.notes,
        }
    }
}

fn decode_entries(bytes: &[u8], notes_len: usize) -> Result<(u64, Vec<Entry>), Corrupt> {
    let mut input = Reader(bytes);
    let opstamp = input.uint()?;
    let count = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
    if count > bytes.len() {
        return Err(Corrupt);
    }
    let mut entries = Vec::with_capacity(count);
    let mut offset = 0usize;
    for _ in 0..count {
        let path = input.str()?;
        let [size, modified, hash, links_hash] = [(); 4].map(|()| input.uint());
        let note = match input.uint()? {
            0 => None,
            len => {
                let len = usize::try_from(len - 1).map_err(|_| Corrupt)?;
                let range = offset..offset.checked_add(len).ok_or(Corrupt)?;
                offset = range.end;
                Some(range)
            }
        };
        if entries.last().is_some_and(|last: &Entry| last.path >= path) {
            return Err(Corrupt);
        }
        entries.push(Entry {
            path,
            size: size?,
            modified: modified?,
            hash: hash?,
            links_hash: links_hash?,
            note,
        });
    }
    if !input.0.is_empty() || offset != notes_len {
        return Err(Corrupt);
    }
    Ok((opstamp, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, n: u64) -> Entry {
        Entry {
            path: path.to_owned(),
            size: n,
            modified: n.wrapping_mul(1_000_000_007),
            hash: n ^ 0xfeed,
            links_hash: n.wrapping_add(3),
            note: None,
        }
    }

    fn sample() -> Table {
        let mut builder = Builder::default();
        builder.push(entry("a.md", 1), Some(b"first note"));
        builder.push(entry("b/c.png", 2), None);
        builder.push(entry("b/d.md", 300), Some(b""));
        builder.push(entry("e.md", u64::MAX), Some(b"third"));
        builder.finish(42)
    }

    #[test]
    fn a_saved_table_loads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let table = sample();
        table.save(&path).unwrap();
        let loaded = Table::load(&path).unwrap();
        assert_eq!(loaded.opstamp, 42);
        assert_eq!(loaded.entries, table.entries);
        let bytes: Vec<Option<&[u8]>> = loaded.entries.iter().map(|e| loaded.encoded(e)).collect();
        assert_eq!(
            bytes,
            [Some(&b"first note"[..]), None, Some(b""), Some(b"third")]
        );
        assert_eq!(loaded.get("b/d.md").map(|e| e.size), Some(300));
        assert!(loaded.get("b").is_none());
    }

    #[test]
    fn any_damage_is_reported_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        sample().save(&path).unwrap();
        let good = std::fs::read(&path).unwrap();
        for at in 0..good.len() {
            let mut bad = good.clone();
            bad[at] ^= 0x41;
            std::fs::write(&path, &bad).unwrap();
            assert!(
                Table::load(&path).is_err(),
                "flipped byte {at} went unnoticed"
            );
        }
        for len in 0..good.len() {
            std::fs::write(&path, &good[..len]).unwrap();
            assert!(Table::load(&path).is_err(), "cut at {len} went unnoticed");
        }
        assert!(Table::load(&dir.path().join("missing")).is_err());
    }
}
