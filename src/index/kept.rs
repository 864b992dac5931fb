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

use std::collections::HashMap;
use std::path::Path;

use super::codec::{Corrupt, Reader, Writer};

/// First bytes of every such file.
const MAGIC: &[u8] = b"vaultkit-kept 2\n";

/// Every link's resolution (see [`super::resolved`]).
pub const LINKS: &str = "links.bin";
/// The last `lint` findings.
pub const LINT: &str = "lint.bin";
/// Outline lessons' first paragraphs, by note content.
pub const LEADS: &str = "leads.bin";

/// The stamp of results computed now by this binary from `inputs` (the
/// note table's header, a configuration, a list of paths...); `None` when
/// the running binary cannot be told from another (then nothing is kept or
/// taken back).
pub fn stamp(inputs: &[&[u8]]) -> Option<Vec<u8>> {
    let binary = std::env::current_exe().and_then(std::fs::metadata).ok()?;
    let mut stamp = Writer::new(Vec::with_capacity(48));
    for word in binary_identity(&binary) {
        stamp.uint(word);
    }
    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    for input in inputs {
        hash.update(&(input.len() as u64).to_le_bytes());
        hash.update(input);
    }
    stamp.0.extend_from_slice(&hash.digest().to_le_bytes());
    Some(stamp.0)
}

/// What tells one build of the binary from another: its size and
/// modification time and, on Unix, its inode and change time, which a copy
/// or an install that keeps the modification time (`cp -p`, a Nix store,
/// a reproducible image) does not carry over.
fn binary_identity(meta: &std::fs::Metadata) -> [u64; 4] {
    let modified = meta.modified().map_or(0, super::listing::nanos);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let changed = (meta.ctime() as u64)
            .wrapping_mul(1_000_000_000)
            .wrapping_add(meta.ctime_nsec() as u64);
        [meta.len(), modified, meta.ino(), changed]
    }
    #[cfg(not(unix))]
    [meta.len(), modified, 0, 0]
}

/// Writes `body` with `stamp` to `path`. Not synced: a torn file fails its
/// checksum.
pub fn save(path: &Path, stamp: &[u8], body: &[u8]) -> crate::error::Result<()> {
    let mut head = Writer::new(MAGIC.to_vec());
    head.uint(stamp.len() as u64);
    head.0.extend_from_slice(stamp);
    head.0.extend_from_slice(&super::xxh3(body).to_le_bytes());
    crate::atomic::write_cache(path, &[&head.0, body])
}

/// The body of the file at `path`, if it carries `stamp` and is whole.
pub fn load(path: &Path, stamp: &[u8]) -> Option<Vec<u8>> {
    let mut bytes = std::fs::read(path).ok()?;
    let mut input = Reader::new(bytes.strip_prefix(MAGIC)?);
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

/// Texts computed from one note alone (its first paragraph, say), by the
/// hash of the note's content: they hold however the rest of the vault changes.
pub type ByContent = HashMap<u64, Option<String>>;

/// Encodes texts by content hash, in hash order.
pub fn encode_by_content(texts: &ByContent) -> Vec<u8> {
    let mut sorted: Vec<(&u64, &Option<String>)> = texts.iter().collect();
    sorted.sort_unstable_by_key(|(hash, _)| **hash);
    let mut out = Writer::new(Vec::with_capacity(texts.len() * 64));
    out.uint(sorted.len() as u64);
    for (hash, text) in sorted {
        out.0.extend_from_slice(&hash.to_le_bytes());
        match text {
            None => out.uint(0),
            Some(text) => {
                out.uint(1);
                out.str(text);
            }
        }
    }
    out.0
}

/// Decodes what [`encode_by_content`] wrote.
pub fn decode_by_content(bytes: &[u8]) -> Result<ByContent, Corrupt> {
    let mut input = Reader::new(bytes);
    let count = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
    let mut texts = ByContent::with_capacity(count.min(bytes.len() / 9));
    for _ in 0..count {
        let hash = input.bytes(8)?;
        let hash = u64::from_le_bytes(hash.try_into().map_err(|_| Corrupt)?);
        let text = match input.uint()? {
            0 => None,
            1 => Some(input.str()?),
            _ => return Err(Corrupt),
        };
        texts.insert(hash, text);
    }
    if input.0.is_empty() {
        Ok(texts)
    } else {
        Err(Corrupt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_loads_back_with_its_stamp_only() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.bin");
        let stamp = stamp(&[b"table header", b"key"]).unwrap();
        assert_eq!(load(&path, &stamp), None, "no file");
        save(&path, &stamp, b"the body").unwrap();
        assert_eq!(load(&path, &stamp).as_deref(), Some(&b"the body"[..]));
        assert_eq!(
            load(
                &path,
                &super::stamp(&[b"table header", b"other key"]).unwrap()
            ),
            None
        );
        assert_eq!(
            load(&path, &super::stamp(&[b"other table", b"key"]).unwrap()),
            None
        );
        save(&path, &stamp, b"").unwrap();
        assert_eq!(load(&path, &stamp).as_deref(), Some(&b""[..]));
    }

    #[test]
    fn a_copy_of_the_binary_with_its_size_and_time_is_another_binary() {
        // Nix's store, `cp -p` and reproducible images give two builds the
        // same modification time; a fix of one character, the same size.
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old"), dir.path().join("new"));
        std::fs::write(&old, b"vaultkit 1.0").unwrap();
        std::fs::write(&new, b"vaultkit 1.1").unwrap();
        let epoch = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1);
        for path in [&old, &new] {
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(epoch).unwrap();
        }
        let identity = |path: &Path| binary_identity(&std::fs::metadata(path).unwrap());
        assert_ne!(identity(&old), identity(&new));
        assert_eq!(
            identity(&old),
            identity(&old),
            "the same file is the same binary"
        );
    }

    #[test]
    fn texts_by_content_decode_as_they_were() {
        let texts = ByContent::from([
            (7, Some("seven".to_owned())),
            (u64::MAX, None),
            (0, Some(String::new())),
        ]);
        let bytes = encode_by_content(&texts);
        assert_eq!(decode_by_content(&bytes), Ok(texts));
        for cut in 0..bytes.len() {
            assert_eq!(
                decode_by_content(&bytes[..cut]),
                Err(Corrupt),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn a_damaged_file_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kept.bin");
        let stamp = stamp(&[b"table header", b"key"]).unwrap();
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
