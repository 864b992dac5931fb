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
//! Layout: a magic line, then four little-endian `u64`s (the length of the
//! entries section, the xxh3 of the commit's word and the entries, the xxh3
//! of the rest, and the tantivy commit the table describes), the entries and the
//! folder records (varints and length-prefixed paths, see [`super::codec`]
//! and [`super::listing`]), then the parsed notes in
//! zstd-compressed blocks of consecutive notes. A block ends after a note
//! whose path hashes to a multiple of `BLOCK_SPLIT` (128), so adding or removing
//! a note changes only its own block, and a refresh recompresses only the
//! blocks whose notes changed. Blocks are decompressed when first needed: a
//! search needs none.

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use super::codec::{Corrupt, Reader, Writer};

/// The table's file name, in the index's data folder.
pub const FILE_NAME: &str = "notes.bin";
/// First bytes of the file; another version means a rebuild.
const MAGIC: &[u8] = b"vaultkit-notes 9\n";
const HEADER: usize = MAGIC.len() + 32;
/// A block ends after a note whose path hash is a multiple of this (about
/// this many notes per block), or once it holds [`BLOCK_BYTES`].
const BLOCK_SPLIT: u64 = 128;
const BLOCK_BYTES: usize = 1 << 20;
/// zstd's default level: a third of the size at a few ms per MB.
const LEVEL: i32 = 3;

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
    /// Where the note's encoded parsed form lies; `None` for attachments.
    pub note: Option<NoteAt>,
}

/// A folder as a scan listed it (see [`super::listing`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// Vault path (`""` for the vault's own folder).
    pub path: String,
    /// Modification time, nanoseconds since the epoch, taken before the listing.
    pub modified: u64,
    /// Which folder it is (the inode on Unix, the creation time elsewhere),
    /// so that another folder moved to its path with the same time is not
    /// taken for it.
    pub id: u64,
    /// Whether something in it could not be read or was skipped: such a
    /// folder is listed on every scan, so its problems are reported again.
    pub reread: bool,
}

/// The vault's folders as the scan that made the table found them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folders {
    /// When that scan started, nanoseconds since the epoch.
    pub listed_at: u64,
    /// A hash of the `ignore` globs it applied.
    pub ignore: u64,
    /// Every folder, in path order.
    pub list: Vec<Folder>,
}

/// The place of an encoded note: its block and its bytes there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteAt {
    block: u32,
    range: Range<usize>,
}

/// Bytes owned by a block, or a range of the table file it was read from:
/// a block carried into the next table shares them instead of copying.
#[derive(Clone)]
struct Shared {
    data: Arc<Vec<u8>>,
    range: Range<usize>,
}

impl Shared {
    fn new(bytes: Vec<u8>) -> Self {
        let range = 0..bytes.len();
        Self {
            data: Arc::new(bytes),
            range,
        }
    }

    fn bytes(&self) -> &[u8] {
        &self.data[self.range.clone()]
    }
}

/// Consecutive encoded notes, compressed.
struct Block {
    notes: usize,
    raw_hash: u64,
    raw_len: usize,
    compressed: Shared,
    raw: OnceLock<Option<Vec<u8>>>,
}

impl Block {
    /// The decompressed notes, kept once read.
    fn raw(&self) -> Option<&[u8]> {
        self.raw
            .get_or_init(|| {
                let mut raw = Vec::new();
                self.decompress_into(&mut raw)?;
                Some(raw)
            })
            .as_deref()
    }

    /// Decompresses into `buffer` (replacing what it held) and checks the
    /// checksum; `None` when the block is damaged.
    fn decompress_into<'b>(&self, buffer: &'b mut Vec<u8>) -> Option<&'b [u8]> {
        buffer.resize(self.raw_len, 0);
        let written = zstd::bulk::decompress_to_buffer(self.compressed.bytes(), buffer).ok()?;
        (written == self.raw_len && super::xxh3(buffer) == self.raw_hash)
            .then_some(buffer.as_slice())
    }
}

/// A table's file but for its header: see [`Table::encode`].
pub struct Encoded {
    entries: Vec<u8>,
    blocks: Vec<u8>,
    blocks_hash: u64,
}

/// The checksum of the header's commit word and the entries section.
fn entries_checksum(opstamp: u64, entries: &[u8]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(&opstamp.to_le_bytes());
    hasher.update(entries);
    hasher.digest()
}

/// The note table of one index commit.
pub struct Table {
    /// The tantivy commit (opstamp) this table describes.
    pub opstamp: u64,
    /// Every file, in path order.
    pub entries: Vec<Entry>,
    /// Every folder, for a scan that lists only what changed.
    pub folders: Folders,
    /// Shared with the [`NoteBytes`] of vaults read from this table.
    blocks: Arc<[Block]>,
    /// The header of the file it was loaded from or saved to (empty if
    /// neither): its checksums identify the file's whole content.
    stored_header: Vec<u8>,
}

impl Table {
    /// An empty table (an index with no commit yet).
    pub fn empty() -> Self {
        Self {
            opstamp: 0,
            entries: Vec::new(),
            folders: Folders::default(),
            blocks: Arc::from([]),
            stored_header: Vec::new(),
        }
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
        let (entries_len, entries_hash, blocks_hash) = (word(0), word(1), word(2));
        let body = &bytes[HEADER..];
        let entries_len = usize::try_from(entries_len).map_err(damaged)?;
        if entries_len > body.len() {
            return Err(damaged(()));
        }
        let (entries, blocks) = body.split_at(entries_len);
        if entries_checksum(word(3), entries) != entries_hash || super::xxh3(blocks) != blocks_hash
        {
            return Err(damaged(()));
        }
        let blocks = HEADER + entries_len..bytes.len();
        let stored_header = header.to_vec();
        let opstamp = word(3);
        let file = Arc::new(bytes);
        let mut table = decode(&file, HEADER..blocks.start, blocks).map_err(damaged)?;
        table.opstamp = opstamp;
        table.stored_header = stored_header;
        Ok(table)
    }

    /// Whether the file at `path` is still the one this table was loaded
    /// from or saved to (its header, checksums included, is the same): no
    /// other process has written a new table since.
    pub fn is_stored_at(&self, path: &Path) -> bool {
        let mut header = [0u8; HEADER];
        !self.stored_header.is_empty()
            && std::fs::File::open(path)
                .and_then(|mut file| std::io::Read::read_exact(&mut file, &mut header))
                .is_ok()
            && header[..] == self.stored_header[..]
    }

    /// Writes the table to `path`, replacing the old one in one rename.
    /// Not synced to disk: a table lost or torn by a crash fails its
    /// checksums or its commit check, and the index is rebuilt.
    pub fn save(&mut self, path: &Path) -> crate::error::Result<()> {
        let encoded = self.encode();
        self.write(path, &encoded)
    }

    /// Encodes all of the table but its header (which names the commit):
    /// this can be done while that commit is still being made.
    pub fn encode(&self) -> Encoded {
        let mut entries = Writer::new(Vec::with_capacity(self.entries.len() * 64));
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
                    .map_or(0, |at| at.range.len() as u64 + 1),
            );
        }
        entries.uint(self.folders.listed_at);
        entries.uint(self.folders.ignore);
        entries.uint(self.folders.list.len() as u64);
        for folder in &self.folders.list {
            entries.str(&folder.path);
            entries.uint(folder.modified);
            entries.uint(folder.id);
            entries.uint(u64::from(folder.reread));
        }
        let mut blocks = Writer::new(Vec::with_capacity(self.blocks.len() * 16));
        blocks.uint(self.blocks.len() as u64);
        for block in self.blocks.iter() {
            blocks.uint(block.notes as u64);
            blocks.uint(block.raw_len as u64);
            blocks.uint(block.raw_hash);
            blocks.uint(block.compressed.range.len() as u64);
        }
        for block in self.blocks.iter() {
            blocks.0.extend_from_slice(block.compressed.bytes());
        }
        Encoded {
            entries: entries.0,
            blocks_hash: super::xxh3(&blocks.0),
            blocks: blocks.0,
        }
    }

    /// Writes what [`Table::encode`] made of this table, with a header
    /// naming its commit (`opstamp`), to `path` (see [`Table::save`]).
    pub fn write(&mut self, path: &Path, encoded: &Encoded) -> crate::error::Result<()> {
        let Encoded {
            entries,
            blocks,
            blocks_hash,
        } = encoded;
        let mut header = Vec::with_capacity(HEADER);
        header.extend_from_slice(MAGIC);
        for word in [
            entries.len() as u64,
            entries_checksum(self.opstamp, entries),
            *blocks_hash,
            self.opstamp,
        ] {
            header.extend_from_slice(&word.to_le_bytes());
        }
        crate::atomic::write_cache(path, &[&header, entries, blocks])?;
        self.stored_header = header;
        Ok(())
    }

    /// The header of the file this table was loaded from or saved to: its
    /// checksums name this table's content, for caches derived from it.
    pub fn stored_header(&self) -> Option<&[u8]> {
        (!self.stored_header.is_empty()).then_some(&self.stored_header[..])
    }

    /// The entry for a vault path.
    pub fn get(&self, path: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// The encoded parsed note of an entry (`None` for attachments, or if
    /// its block does not decompress).
    pub fn encoded(&self, entry: &Entry) -> Option<&[u8]> {
        self.bytes(entry.note.as_ref()?)
    }

    fn bytes(&self, at: &NoteAt) -> Option<&[u8]> {
        self.blocks
            .get(at.block as usize)?
            .raw()?
            .get(at.range.clone())
    }

    /// The block `parts` are, whole and in order, if they are one of this table's.
    fn whole_block(&self, parts: &[Part]) -> Option<&Block> {
        let (mut block, mut end) = (None, 0);
        for part in parts {
            let Part::Kept(at) = part else {
                return None;
            };
            if *block.get_or_insert(at.block) != at.block || at.range.start != end {
                return None;
            }
            end = at.range.end;
        }
        self.blocks
            .get(block? as usize)
            .filter(|found| found.raw_len == end)
    }

    /// Decompresses every block now, in parallel (for callers about to read
    /// many notes); `Err` if one is damaged.
    pub fn preload(&self) -> Result<(), String> {
        self.blocks
            .par_iter()
            .try_for_each(|block| block.raw().map(drop).ok_or_else(|| damaged(())))
    }

    /// Every note's encoded bytes, in path order, sharing this table's
    /// blocks: each block is decompressed when a note in it is first read.
    pub fn note_bytes(&self) -> NoteBytes {
        NoteBytes {
            blocks: Arc::clone(&self.blocks),
            at: (self.entries.iter())
                .filter_map(|e| e.note.clone())
                .collect(),
        }
    }

    /// Every note, decoded by `decode`, in path order. Blocks are decoded
    /// in parallel, each right after it is decompressed into a buffer its
    /// thread reuses, so the decompressed notes are never all in memory.
    pub fn decode_notes<T: Send>(
        &self,
        decode: impl Fn(&[u8]) -> Result<T, Corrupt> + Sync,
    ) -> Result<Vec<T>, String> {
        // Notes fill the blocks in order (see `decode`): block by block,
        // the ranges of their notes.
        let mut ranges: Vec<Vec<Range<usize>>> = vec![Vec::new(); self.blocks.len()];
        for at in self.entries.iter().filter_map(|e| e.note.as_ref()) {
            ranges
                .get_mut(at.block as usize)
                .ok_or_else(|| damaged(()))?
                .push(at.range.clone());
        }
        let decoded = self
            .blocks
            .par_iter()
            .zip(ranges)
            .map_init(Vec::new, |buffer, (block, ranges)| {
                let raw = match block.raw.get() {
                    Some(raw) => raw.as_deref().ok_or_else(|| damaged(()))?,
                    None => block.decompress_into(buffer).ok_or_else(|| damaged(()))?,
                };
                ranges
                    .into_iter()
                    .map(|range| raw.get(range).ok_or(Corrupt).and_then(&decode))
                    .map(|decoded| decoded.map_err(damaged))
                    .collect::<Result<Vec<T>, String>>()
            })
            .collect::<Result<Vec<Vec<T>>, String>>()?;
        Ok(decoded.into_iter().flatten().collect())
    }

    /// Takes the entries out, leaving the notes readable through
    /// [`Table::encoded`] with the taken entries.
    pub fn take_entries(&mut self) -> Vec<Entry> {
        std::mem::take(&mut self.entries)
    }
}

fn damaged<E>(_: E) -> String {
    "the note table is damaged".to_owned()
}

/// The encoded notes of a table, in path order (see [`Table::note_bytes`]).
pub struct NoteBytes {
    blocks: Arc<[Block]>,
    at: Vec<NoteAt>,
}

impl NoteBytes {
    /// How many notes.
    pub fn len(&self) -> usize {
        self.at.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// The encoded note at `position`; `None` if out of range or if its
    /// block cannot be decompressed.
    pub fn get(&self, position: usize) -> Option<&[u8]> {
        let at = self.at.get(position)?;
        self.blocks
            .get(at.block as usize)?
            .raw()?
            .get(at.range.clone())
    }
}

/// A note's bytes in a block being built: new, or where they are in the
/// previous table.
enum Part {
    New(Vec<u8>),
    Kept(NoteAt),
}

impl Part {
    fn len(&self) -> usize {
        match self {
            Part::New(bytes) => bytes.len(),
            Part::Kept(at) => at.range.len(),
        }
    }
}

/// Collects the entries of a new table, in path order. A block whose notes
/// are exactly one block of the previous table is carried over compressed,
/// without being read.
pub struct Builder<'a> {
    previous: Option<&'a Table>,
    entries: Vec<Entry>,
    /// Closed blocks, and the one being filled with its length.
    closed: Vec<Vec<Part>>,
    open: Vec<Part>,
    open_len: usize,
}

impl<'a> Builder<'a> {
    /// A builder with room for `entries` files, whose kept notes come from `previous`.
    pub fn new(previous: Option<&'a Table>, entries: usize) -> Self {
        Self {
            previous,
            entries: Vec::with_capacity(entries),
            closed: Vec::new(),
            open: Vec::new(),
            open_len: 0,
        }
    }

    /// Adds a file; `encoded` is its encoded parsed note (`None` for an attachment).
    pub fn push(&mut self, entry: Entry, encoded: Option<Vec<u8>>) {
        self.add(entry, encoded.map(Part::New));
    }

    /// Adds a file of the previous table, its note unchanged.
    pub fn push_kept(&mut self, mut entry: Entry) {
        let part = entry.note.take().map(Part::Kept);
        self.add(entry, part);
    }

    fn add(&mut self, mut entry: Entry, part: Option<Part>) {
        if let Some(part) = part {
            let start = self.open_len;
            self.open_len += part.len();
            entry.note = Some(NoteAt {
                block: u32::try_from(self.closed.len()).unwrap_or(u32::MAX),
                range: start..self.open_len,
            });
            self.open.push(part);
            if super::xxh3(entry.path.as_bytes()).is_multiple_of(BLOCK_SPLIT)
                || self.open_len >= BLOCK_BYTES
            {
                self.close();
            }
        }
        self.entries.push(entry);
    }

    fn close(&mut self) {
        self.closed.push(std::mem::take(&mut self.open));
        self.open_len = 0;
    }

    /// The table, for the tantivy commit `opstamp` and a scan that found
    /// `folders`; new blocks are compressed in parallel. `Err` if a kept
    /// note cannot be read.
    pub fn finish(mut self, opstamp: u64, folders: Folders) -> Result<Table, String> {
        if !self.open.is_empty() {
            self.close();
        }
        let previous = self.previous;
        let blocks = self
            .closed
            .into_par_iter()
            .map(|parts| {
                if let Some(block) = previous.and_then(|table| table.whole_block(&parts)) {
                    return Ok(Block {
                        notes: block.notes,
                        raw_hash: block.raw_hash,
                        raw_len: block.raw_len,
                        compressed: block.compressed.clone(),
                        raw: OnceLock::new(),
                    });
                }
                let notes = parts.len();
                let mut raw = Vec::with_capacity(parts.iter().map(Part::len).sum());
                for part in parts {
                    match part {
                        Part::New(bytes) => raw.extend_from_slice(&bytes),
                        Part::Kept(at) => raw.extend_from_slice(
                            previous
                                .and_then(|table| table.bytes(&at))
                                .ok_or_else(|| damaged(()))?,
                        ),
                    }
                }
                // The raw bytes are not kept: a build would otherwise hold
                // every note twice until it ends.
                Ok(Block {
                    notes,
                    raw_hash: super::xxh3(&raw),
                    raw_len: raw.len(),
                    compressed: Shared::new(zstd::bulk::compress(&raw, LEVEL).map_err(damaged)?),
                    raw: OnceLock::new(),
                })
            })
            .collect::<Result<Arc<[Block]>, String>>()?;
        Ok(Table {
            opstamp,
            entries: self.entries,
            folders,
            blocks,
            stored_header: Vec::new(),
        })
    }
}

/// Reads the entries and the blocks' table of contents from the table
/// `file` (the blocks stay in it); notes are assigned to blocks in order, as
/// [`Builder`] filled them.
fn decode(
    file: &Arc<Vec<u8>>,
    entries: Range<usize>,
    blocks: Range<usize>,
) -> Result<Table, Corrupt> {
    let blocks_start = blocks.start;
    let (entries, blocks) = (&file[entries], &file[blocks]);
    let mut input = Reader::new(blocks);
    let count = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
    if count > blocks.len() {
        return Err(Corrupt);
    }
    let mut sizes = Vec::with_capacity(count);
    for _ in 0..count {
        let notes = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
        let raw_len = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
        let raw_hash = input.uint()?;
        let compressed_len = input.uint()?;
        sizes.push((notes, raw_len, raw_hash, compressed_len));
    }
    let mut decoded = Vec::with_capacity(count);
    for (notes, raw_len, raw_hash, compressed_len) in sizes {
        let start = blocks_start + (blocks.len() - input.0.len());
        let len = input.bytes(compressed_len)?.len();
        decoded.push(Block {
            notes,
            raw_hash,
            raw_len,
            compressed: Shared {
                data: Arc::clone(file),
                range: start..start + len,
            },
            raw: OnceLock::new(),
        });
    }
    if !input.0.is_empty() {
        return Err(Corrupt);
    }
    let mut table = Table {
        opstamp: 0,
        entries: Vec::new(),
        folders: Folders::default(),
        blocks: decoded.into(),
        stored_header: Vec::new(),
    };

    let mut input = Reader::new(entries);
    let count = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
    if count > entries.len() {
        return Err(Corrupt);
    }
    table.entries.reserve(count);
    // Notes fill the blocks in order, each block as many as it says.
    let (mut block, mut filled, mut offset) = (0usize, 0usize, 0usize);
    for _ in 0..count {
        let path = input.str()?;
        let [size, modified, hash, links_hash] = [(); 4].map(|()| input.uint());
        let note = match input.uint()? {
            0 => None,
            len => {
                let len = usize::try_from(len - 1).map_err(|_| Corrupt)?;
                while table.blocks.get(block).ok_or(Corrupt)?.notes == filled {
                    if offset != table.blocks[block].raw_len {
                        return Err(Corrupt);
                    }
                    (block, filled, offset) = (block + 1, 0, 0);
                }
                let range = offset..offset.checked_add(len).ok_or(Corrupt)?;
                if range.end > table.blocks[block].raw_len {
                    return Err(Corrupt);
                }
                (filled, offset) = (filled + 1, range.end);
                Some(NoteAt {
                    block: u32::try_from(block).map_err(|_| Corrupt)?,
                    range,
                })
            }
        };
        if table.entries.last().is_some_and(|last| last.path >= path) {
            return Err(Corrupt);
        }
        table.entries.push(Entry {
            path,
            size: size?,
            modified: modified?,
            hash: hash?,
            links_hash: links_hash?,
            note,
        });
    }
    table.folders.listed_at = input.uint()?;
    table.folders.ignore = input.uint()?;
    let count = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
    if count > input.0.len() {
        return Err(Corrupt);
    }
    table.folders.list.reserve(count);
    for _ in 0..count {
        let path = input.str()?;
        let modified = input.uint()?;
        let id = input.uint()?;
        let reread = match input.uint()? {
            0 => false,
            1 => true,
            _ => return Err(Corrupt),
        };
        if table
            .folders
            .list
            .last()
            .is_some_and(|last| last.path >= path)
        {
            return Err(Corrupt);
        }
        table.folders.list.push(Folder {
            path,
            modified,
            id,
            reread,
        });
    }
    let whole = match table.blocks.len() {
        0 => true,
        n => {
            block + 1 == n
                && filled == table.blocks[block].notes
                && offset == table.blocks[block].raw_len
        }
    };
    if !input.0.is_empty() || !whole {
        return Err(Corrupt);
    }
    Ok(table)
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

    /// `notes` notes (`n000.md`, …) with an attachment after every tenth.
    fn table(notes: usize, body: impl Fn(usize) -> String) -> Table {
        let mut builder = Builder::new(None, notes);
        for i in 0..notes {
            builder.push(
                entry(&format!("n{i:05}.md"), i as u64),
                Some(body(i).into_bytes()),
            );
            if i % 10 == 0 {
                builder.push(entry(&format!("n{i:05}.png"), 7), None);
            }
        }
        builder
            .finish(
                42,
                Folders {
                    listed_at: 7,
                    ignore: 9,
                    list: vec![Folder {
                        id: 3,
                        path: "A".to_owned(),
                        modified: 5,
                        reread: true,
                    }],
                },
            )
            .unwrap()
    }

    fn notes_of(table: &Table) -> Vec<Option<&[u8]>> {
        table.entries.iter().map(|e| table.encoded(e)).collect()
    }

    #[test]
    fn a_saved_table_loads_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut table = table(1000, |i| format!("note {i} ").repeat(i % 7));
        assert!(table.blocks.len() > 3, "{} blocks", table.blocks.len());
        table.save(&path).unwrap();
        let loaded = Table::load(&path).unwrap();
        assert_eq!(loaded.opstamp, 42);
        assert_eq!(loaded.entries, table.entries);
        assert_eq!(loaded.folders, table.folders);
        assert_eq!(notes_of(&loaded), notes_of(&table));
        assert_eq!(loaded.encoded(loaded.get("n00010.png").unwrap()), None);
        assert_eq!(
            loaded.encoded(loaded.get("n00013.md").unwrap()),
            Some(&b"note 13 note 13 note 13 note 13 note 13 note 13 "[..])
        );
        assert!(loaded.get("n00010").is_none());
        Table::empty().save(&path).unwrap();
        assert!(Table::load(&path).unwrap().entries.is_empty());
    }

    #[test]
    fn a_loaded_table_knows_whether_its_file_was_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut built = table(50, |i| format!("note {i}"));
        assert!(!built.is_stored_at(&path), "no file yet");
        assert_eq!(built.stored_header(), None);
        built.save(&path).unwrap();
        assert!(built.is_stored_at(&path), "saved there");
        let mut loaded = Table::load(&path).unwrap();
        assert_eq!(loaded.stored_header(), built.stored_header());
        assert!(loaded.is_stored_at(&path));
        // The same content written again is the same table.
        loaded.save(&path).unwrap();
        assert!(loaded.is_stored_at(&path));
        table(50, |i| format!("note {i}, edited"))
            .save(&path)
            .unwrap();
        assert!(!loaded.is_stored_at(&path));
        std::fs::remove_file(&path).unwrap();
        assert!(!loaded.is_stored_at(&path));
    }

    #[test]
    fn every_note_decodes_in_path_order_without_keeping_blocks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        table(1000, |i| format!("note {i}")).save(&path).unwrap();
        let loaded = Table::load(&path).unwrap();
        let decoded = loaded
            .decode_notes(|bytes| Ok(String::from_utf8(bytes.to_vec()).unwrap()))
            .unwrap();
        let expected: Vec<String> = (0..1000).map(|i| format!("note {i}")).collect();
        assert_eq!(decoded, expected);
        assert!(loaded.blocks.iter().all(|b| b.raw.get().is_none()));
        // A note that does not decode fails the whole load.
        let failed = loaded.decode_notes(|bytes| match bytes {
            b"note 567" => Err(Corrupt),
            _ => Ok(()),
        });
        assert!(failed.is_err());
    }

    #[test]
    fn note_bytes_are_in_path_order_and_decompressed_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        table(1000, |i| format!("note {i}")).save(&path).unwrap();
        let loaded = Table::load(&path).unwrap();
        let notes = loaded.note_bytes();
        assert_eq!(notes.len(), 1000);
        assert!(loaded.blocks.iter().all(|b| b.raw.get().is_none()));
        assert_eq!(notes.get(567), Some(&b"note 567"[..]));
        let read = loaded.blocks.iter().filter(|b| b.raw.get().is_some());
        assert_eq!(read.count(), 1, "only the block of note 567");
        let all: Vec<&[u8]> = (0..notes.len()).filter_map(|i| notes.get(i)).collect();
        let expected: Vec<String> = (0..1000).map(|i| format!("note {i}")).collect();
        assert_eq!(
            all,
            expected.iter().map(String::as_bytes).collect::<Vec<_>>()
        );
        assert_eq!(notes.get(1000), None);
    }

    #[test]
    fn changing_one_note_changes_one_block() {
        let before = table(3000, |i| format!("note {i}"));
        let after = table(3000, |i| {
            if i == 1234 {
                "edited".to_owned()
            } else {
                format!("note {i}")
            }
        });
        let hashes = |t: &Table| -> Vec<u64> { t.blocks.iter().map(|b| b.raw_hash).collect() };
        let (old, new) = (hashes(&before), hashes(&after));
        assert_eq!(old.len(), new.len());
        assert_eq!(old.iter().zip(&new).filter(|(a, b)| a != b).count(), 1);
    }

    #[test]
    fn kept_notes_keep_their_compressed_blocks() {
        let before = table(3000, |i| format!("note {i}"));
        let mut builder = Builder::new(Some(&before), 3300);
        for entry in &before.entries {
            match entry.path.as_str() {
                "n01234.md" => builder.push(entry.clone(), Some(b"edited".to_vec())),
                _ => builder.push_kept(entry.clone()),
            }
        }
        let after = builder.finish(43, Folders::default()).unwrap();
        // Of the previous table, only the edited note's block was read.
        let read = before
            .blocks
            .iter()
            .filter(|b| b.raw.get().is_some())
            .count();
        assert_eq!(read, 1);
        assert_eq!(after.blocks.len(), before.blocks.len());
        assert_eq!(
            notes_of(&after)
                .iter()
                .filter(|n| n.is_some_and(|b| b == b"edited"))
                .count(),
            1
        );
        assert_eq!(
            after.encoded(after.get("n00007.md").unwrap()),
            Some(&b"note 7"[..])
        );
    }

    #[test]
    fn any_damage_is_reported_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        table(40, |i| format!("note {i}")).save(&path).unwrap();
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
