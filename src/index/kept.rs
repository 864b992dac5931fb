//! Results computed from a whole vault (every link's resolution, the lint
//! findings), kept in files beside the note table so that a run on a vault
//! that did not change takes them back instead of computing them again.
//!
//! Each file carries a stamp of what its result was computed from: the note
//! table's header (whose checksums cover every file path and parsed note),
//! the size and time of the vaultkit binary that computed it, and the
//! caller's own key (the configuration, the date...). A file with another
//! stamp, or damaged, is ignored; the caller computes the result and keeps
//! it anew.
//!
//! Layout: a magic line, the stamp (length-prefixed), the xxh3 of the body,
//! then the body.

use std::path::Path;

use super::codec::{Reader, Writer};

/// First bytes of every such file.
const MAGIC: &[u8] = b"vaultkit-kept 1\n";

/// The stamp for results computed now from the table whose header is
/// `table`, with the caller's `key`.
pub fn stamp(table: &[u8], key: &[u8]) -> Vec<u8> {
    let mut stamp = Writer(Vec::with_capacity(table.len() + 32));
    stamp.uint(table.len() as u64);
    stamp.0.extend_from_slice(table);
    let binary = std::env::current_exe().and_then(std::fs::metadata);
    let (size, modified) = binary.map_or((0, 0), |meta| {
        (meta.len(), meta.modified().map_or(0, super::listing::nanos))
    });
    stamp.uint(size);
    stamp.uint(modified);
    stamp.0.extend_from_slice(&super::xxh3(key).to_le_bytes());
    stamp.0
}

/// Writes `body` with `stamp` to `path`. Not synced: a torn file fails its
/// checksum.
pub fn save(path: &Path, stamp: &[u8], body: &[u8]) -> crate::error::Result<()> {
    let mut head = Writer(MAGIC.to_vec());
    head.uint(stamp.len() as u64);
    head.0.extend_from_slice(stamp);
    head.0.extend_from_slice(&super::xxh3(body).to_le_bytes());
    crate::atomic::write_cache(path, &[&head.0, body])
}

/// The body of the file at `path`, if it carries `stamp` and is whole.
pub fn load(path: &Path, stamp: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let mut input = Reader(bytes.strip_prefix(MAGIC)?);
    let len = input.uint().ok()?;
    if input.bytes(len).ok()? != stamp {
        return None;
    }
    let hash = input.bytes(8).ok()?;
    if hash != super::xxh3(input.0).to_le_bytes() {
        return None;
    }
    let start = bytes.len() - input.0.len();
    bytes.drain(..start);
    Some(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_loads_back_with_its_stamp_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.bin");
        let stamp = stamp(b"table header", b"key");
        assert_eq!(load(&path, &stamp), None, "no file");
        save(&path, &stamp, b"the body").unwrap();
        assert_eq!(load(&path, &stamp).as_deref(), Some(&b"the body"[..]));
        assert_eq!(
            load(&path, &super::stamp(b"table header", b"other key")),
            None
        );
        assert_eq!(load(&path, &super::stamp(b"other table", b"key")), None);
        save(&path, &stamp, b"").unwrap();
        assert_eq!(load(&path, &stamp).as_deref(), Some(&b""[..]));
    }

    #[test]
    fn a_damaged_file_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.bin");
        let stamp = stamp(b"table header", b"key");
        save(&path, &stamp, b"the body of the file").unwrap();
        let whole = std::fs::read(&path).unwrap();
        for cut in [1, MAGIC.len() + 3, whole.len() - 1] {
            std::fs::write(&path, &whole[..cut]).unwrap();
            assert_eq!(load(&path, &stamp), None, "cut at {cut}");
        }
        for at in 0..whole.len() {
            let mut damaged = whole.clone();
            damaged[at] ^= 0x10;
            std::fs::write(&path, &damaged).unwrap();
            assert_eq!(load(&path, &stamp), None, "byte {at} flipped");
        }
    }
}
