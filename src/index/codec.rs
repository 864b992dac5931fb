//! The binary form of a parsed note, stored in the index so that a warm run
//! parses nothing.
//!
//! The model's serde impls are the JSON contract users read (some fields are
//! skipped or flattened there), so the cache has its own compact encoding:
//! little-endian varints and length-prefixed UTF-8, field by field. A note
//! keeps all its strings' bytes together in front of its fields (a string
//! pool), so that decoding checks their UTF-8 once. Any mismatch on decoding
//! is [`Corrupt`], which makes the caller rebuild.

use compact_str::CompactString;
use serde_json::{Number, Value};

use crate::model::{
    BlockId, Diagnostic, ExternalLink, Heading, Link, LinkKind, LinkOrigin, Note, Property,
    Severity, Span, Tag, TagSource,
};
use crate::parse::ParsedNote;
use crate::vault::notes::{Counts, Front};

/// The bytes could not be decoded: the cache is stale or damaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the cached note data is damaged")]
pub struct Corrupt;

/// Encodes a parsed note: its [`Counts`] first (so that they can be read
/// without decoding the rest), then its strings, all in one piece (so that
/// decoding checks their UTF-8 once, not once per string), then its fields.
pub fn encode(parsed: &ParsedNote) -> Vec<u8> {
    let mut fields = Writer(Vec::with_capacity(256), Some(String::with_capacity(256)));
    parsed.note.write(&mut fields);
    fields.seq(&parsed.diagnostics);
    let strings = fields.1.take().unwrap_or_default();
    let mut out = Writer::new(Vec::with_capacity(strings.len() + fields.0.len() + 12));
    Counts::of(parsed).write(&mut out);
    out.str(&strings);
    out.0.extend_from_slice(&fields.0);
    out.0
}

/// The counts at the head of what [`encode`] wrote.
pub fn counts(bytes: &[u8]) -> Result<Counts, Corrupt> {
    Counts::read(&mut Reader::new(bytes))
}

/// Decodes what [`encode`] wrote. A diagnostic whose rule is not one the
/// parser emits, or counts that do not match the note, are damage.
pub fn decode(bytes: &[u8]) -> Result<ParsedNote, Corrupt> {
    let mut head = Reader::new(bytes);
    let counts = Counts::read(&mut head)?;
    let strings = head.text()?;
    let mut input = Reader(head.0, Some(strings));
    let note = Note::read(&mut input)?;
    let diagnostics = input.seq()?;
    if !input.0.is_empty() || input.1.is_some_and(|rest| !rest.is_empty()) {
        return Err(Corrupt);
    }
    let parsed = ParsedNote { note, diagnostics };
    if Counts::of(&parsed) == counts {
        Ok(parsed)
    } else {
        Err(Corrupt)
    }
}

/// Decodes the front (properties and tags) of what [`encode`] wrote for
/// the note at `path`, reading no further than the tags; a note at another
/// path is [`Corrupt`].
pub fn decode_front(bytes: &[u8], path: &str) -> Result<Front<'static>, Corrupt> {
    let mut head = Reader::new(bytes);
    Counts::read(&mut head)?;
    let strings = head.text()?;
    let mut input = Reader(head.0, Some(strings));
    if input.text()? != path {
        return Err(Corrupt);
    }
    let _title = input.text()?;
    let properties: Vec<Property> = input.seq()?;
    let _aliases: Vec<String> = input.seq()?;
    let tags: Vec<Tag> = input.seq()?;
    Ok(Front {
        properties: properties.into(),
        tags: tags.into(),
    })
}

/// Encodes findings of any rule, e.g. a lint run's.
pub fn encode_diagnostics(diagnostics: &[Diagnostic]) -> Vec<u8> {
    let mut out = Writer::new(Vec::with_capacity(diagnostics.len() * 64));
    out.seq(diagnostics);
    out.0
}

/// Decodes what [`encode_diagnostics`] wrote; a rule not among `rules` is
/// damage.
pub fn decode_diagnostics(
    bytes: &[u8],
    rules: &[&'static str],
) -> Result<Vec<Diagnostic>, Corrupt> {
    let mut input = Reader::new(bytes);
    let count = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
    // A finding takes at least 8 bytes: no count can reserve more than that.
    let mut diagnostics = Vec::with_capacity(count.min(bytes.len() / 8));
    for _ in 0..count {
        diagnostics.push(read_diagnostic(&mut input, rules)?);
    }
    if input.0.is_empty() {
        Ok(diagnostics)
    } else {
        Err(Corrupt)
    }
}

/// Rule ids the parser and scanner emit: a cached diagnostic names one of these.
const PARSE_RULES: &[&str] = &[
    "invalid-encoding",
    "invalid-frontmatter",
    "invalid-tag",
    "unreadable-file",
    "unreadable-note",
];

/// Appends varints and length-prefixed strings to a buffer; with a string
/// pool (the second field), a string's bytes go there and only its length
/// into the buffer.
pub(super) struct Writer(pub(super) Vec<u8>, Option<String>);

impl Writer {
    pub(super) fn new(bytes: Vec<u8>) -> Self {
        Self(bytes, None)
    }

    pub(super) fn uint(&mut self, mut n: u64) {
        while n >= 0x80 {
            self.0.push((n as u8) | 0x80);
            n >>= 7;
        }
        self.0.push(n as u8);
    }

    pub(super) fn str(&mut self, s: &str) {
        self.uint(s.len() as u64);
        self.text(s);
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.uint(0),
            Some(s) => {
                self.uint(s.len() as u64 + 1);
                self.text(s);
            }
        }
    }

    /// A string's bytes, after its length.
    fn text(&mut self, s: &str) {
        match &mut self.1 {
            Some(pool) => pool.push_str(s),
            None => self.0.extend_from_slice(s.as_bytes()),
        }
    }

    fn seq<T: Codec>(&mut self, items: &[T]) {
        self.uint(items.len() as u64);
        for item in items {
            item.write(self);
        }
    }
}

/// Reads what [`Writer`] wrote; running short or past the end is [`Corrupt`].
/// With a string pool (the second field), strings are taken from it in turn.
pub(super) struct Reader<'a>(pub(super) &'a [u8], Option<&'a str>);

impl<'a> Reader<'a> {
    pub(super) fn new(bytes: &'a [u8]) -> Self {
        Self(bytes, None)
    }

    pub(super) fn uint(&mut self) -> Result<u64, Corrupt> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&byte, rest) = self.0.split_first().ok_or(Corrupt)?;
            self.0 = rest;
            n |= u64::from(byte & 0x7f) << shift;
            if byte < 0x80 {
                return Ok(n);
            }
        }
        Err(Corrupt)
    }

    fn u32(&mut self) -> Result<u32, Corrupt> {
        u32::try_from(self.uint()?).map_err(|_| Corrupt)
    }

    pub(super) fn bytes(&mut self, len: u64) -> Result<&'a [u8], Corrupt> {
        let len = usize::try_from(len).map_err(|_| Corrupt)?;
        if len > self.0.len() {
            return Err(Corrupt);
        }
        let (head, rest) = self.0.split_at(len);
        self.0 = rest;
        Ok(head)
    }

    /// A length-prefixed string, borrowed.
    pub(super) fn text(&mut self) -> Result<&'a str, Corrupt> {
        let len = self.uint()?;
        self.string_of(len)
    }

    /// A length-prefixed string, owned as `S` (a `String`, or a
    /// `CompactString` that keeps a short one inline).
    pub(super) fn str<S: From<&'a str>>(&mut self) -> Result<S, Corrupt> {
        self.text().map(S::from)
    }

    fn opt_str<S: From<&'a str>>(&mut self) -> Result<Option<S>, Corrupt> {
        match self.uint()? {
            0 => Ok(None),
            len => self.string_of(len - 1).map(|text| Some(S::from(text))),
        }
    }

    /// The next `len` bytes of string: from the pool, or from the input.
    fn string_of(&mut self, len: u64) -> Result<&'a str, Corrupt> {
        let Some(pool) = self.1 else {
            return std::str::from_utf8(self.bytes(len)?).map_err(|_| Corrupt);
        };
        // A length past the pool, or ending inside a character, is damage.
        let len = usize::try_from(len).map_err(|_| Corrupt)?;
        let (text, rest) = pool.split_at_checked(len).ok_or(Corrupt)?;
        self.1 = Some(rest);
        Ok(text)
    }

    fn seq<T: Codec>(&mut self) -> Result<Vec<T>, Corrupt> {
        let len = usize::try_from(self.uint()?).map_err(|_| Corrupt)?;
        // Every item takes at least one byte: a length beyond that is damage.
        if len > self.0.len() {
            return Err(Corrupt);
        }
        // Sized once (collecting `Result`s would grow the vector by
        // doubling), up to a bound: damaged lengths must not reserve much.
        let mut items = Vec::with_capacity(len.min(MAX_RESERVED));
        for _ in 0..len {
            items.push(T::read(self)?);
        }
        Ok(items)
    }
}

/// The most items a sequence reserves room for before reading them (more
/// than nearly any note has links, headings or tags).
const MAX_RESERVED: usize = 1024;

trait Codec: Sized {
    fn write(&self, out: &mut Writer);
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt>;
}

impl Codec for String {
    fn write(&self, out: &mut Writer) {
        out.str(self);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        input.str()
    }
}

impl Codec for CompactString {
    fn write(&self, out: &mut Writer) {
        out.str(self);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        input.str()
    }
}

impl Codec for Counts {
    fn write(&self, out: &mut Writer) {
        for n in [
            self.links,
            self.property_links,
            self.headings,
            self.blocks,
            self.diagnostics,
        ] {
            out.uint(u64::from(n));
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            links: input.u32()?,
            property_links: input.u32()?,
            headings: input.u32()?,
            blocks: input.u32()?,
            diagnostics: input.u32()?,
        })
    }
}

impl Codec for Span {
    fn write(&self, out: &mut Writer) {
        for n in [
            self.line,
            self.column,
            self.end_line,
            self.end_column,
            self.start,
            self.end,
        ] {
            out.uint(u64::from(n));
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            line: input.u32()?,
            column: input.u32()?,
            end_line: input.u32()?,
            end_column: input.u32()?,
            start: input.u32()?,
            end: input.u32()?,
        })
    }
}

impl Codec for Option<Span> {
    fn write(&self, out: &mut Writer) {
        out.uint(u64::from(self.is_some()));
        if let Some(span) = self {
            span.write(out);
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        match input.uint()? {
            0 => Ok(None),
            1 => Span::read(input).map(Some),
            _ => Err(Corrupt),
        }
    }
}

impl Codec for Property {
    fn write(&self, out: &mut Writer) {
        out.str(&self.key);
        self.value.write(out);
        self.span.write(out);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            key: input.str()?,
            value: Value::read(input)?,
            span: Span::read(input)?,
        })
    }
}

/// A property value, field by field: a kind byte, then its content.
impl Codec for Value {
    fn write(&self, out: &mut Writer) {
        match self {
            Value::Null => out.uint(0),
            Value::Bool(b) => out.uint(1 + u64::from(*b)),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => {
                    out.uint(3);
                    out.uint(u);
                }
                (None, Some(i)) => {
                    out.uint(4);
                    out.uint(i.unsigned_abs());
                }
                (None, None) => {
                    out.uint(5);
                    out.uint(n.as_f64().unwrap_or_default().to_bits());
                }
            },
            Value::String(text) => {
                out.uint(6);
                out.str(text);
            }
            Value::Array(items) => {
                out.uint(7);
                out.seq(items);
            }
            Value::Object(map) => {
                out.uint(8);
                out.uint(map.len() as u64);
                for (key, value) in map {
                    out.str(key);
                    value.write(out);
                }
            }
        }
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(match input.uint()? {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => Value::from(input.uint()?),
            // Only negative numbers are written as 4.
            4 => Value::from(0i64.checked_sub_unsigned(input.uint()?).ok_or(Corrupt)?),
            5 => Value::Number(Number::from_f64(f64::from_bits(input.uint()?)).ok_or(Corrupt)?),
            6 => Value::String(input.str()?),
            7 => Value::Array(input.seq()?),
            8 => {
                let len = usize::try_from(input.uint()?).map_err(|_| Corrupt)?;
                if len > input.0.len() {
                    return Err(Corrupt);
                }
                let mut map = serde_json::Map::new();
                for _ in 0..len {
                    let key = input.str()?;
                    map.insert(key, Value::read(input)?);
                }
                Value::Object(map)
            }
            _ => return Err(Corrupt),
        })
    }
}

impl Codec for Tag {
    fn write(&self, out: &mut Writer) {
        out.str(&self.name);
        out.uint(match self.source {
            TagSource::Property => 0,
            TagSource::Body => 1,
        });
        self.span.write(out);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            name: input.str()?,
            source: match input.uint()? {
                0 => TagSource::Property,
                1 => TagSource::Body,
                _ => return Err(Corrupt),
            },
            span: Span::read(input)?,
        })
    }
}

impl Codec for Heading {
    fn write(&self, out: &mut Writer) {
        out.uint(u64::from(self.level));
        out.str(&self.text);
        self.span.write(out);
        out.uint(u64::from(self.has_content));
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            level: u8::try_from(input.uint()?).map_err(|_| Corrupt)?,
            text: input.str()?,
            span: Span::read(input)?,
            has_content: input.uint()? != 0,
        })
    }
}

impl Codec for BlockId {
    fn write(&self, out: &mut Writer) {
        out.str(&self.id);
        self.span.write(out);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            id: input.str()?,
            span: Span::read(input)?,
        })
    }
}

impl Codec for ExternalLink {
    fn write(&self, out: &mut Writer) {
        out.str(&self.url);
        self.span.write(out);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            url: input.str()?,
            span: Span::read(input)?,
        })
    }
}

impl Codec for Link {
    fn write(&self, out: &mut Writer) {
        out.str(&self.raw);
        out.str(&self.target);
        out.opt_str(self.heading.as_deref());
        out.opt_str(self.block.as_deref());
        out.opt_str(self.fragment.as_deref());
        out.opt_str(self.display.as_deref());
        out.opt_str(self.size.as_deref());
        out.uint(match self.kind {
            LinkKind::Wiki => 0,
            LinkKind::Markdown => 1,
            LinkKind::Embed => 2,
        });
        out.opt_str(match &self.origin {
            LinkOrigin::Body => None,
            LinkOrigin::Property(key) => Some(key),
        });
        self.span.write(out);
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            raw: input.str()?,
            target: input.str()?,
            heading: input.opt_str()?,
            block: input.opt_str()?,
            fragment: input.opt_str()?,
            display: input.opt_str()?,
            size: input.opt_str()?,
            kind: match input.uint()? {
                0 => LinkKind::Wiki,
                1 => LinkKind::Markdown,
                2 => LinkKind::Embed,
                _ => return Err(Corrupt),
            },
            origin: input
                .opt_str()?
                .map_or(LinkOrigin::Body, LinkOrigin::Property),
            span: Span::read(input)?,
        })
    }
}

impl Codec for Diagnostic {
    fn write(&self, out: &mut Writer) {
        out.str(self.rule);
        out.uint(match self.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        });
        out.str(&self.path);
        self.span.write(out);
        out.str(&self.message);
        out.opt_str(self.help.as_deref());
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        read_diagnostic(input, PARSE_RULES)
    }
}

/// Reads a diagnostic whose rule must be one of `rules`.
fn read_diagnostic(input: &mut Reader<'_>, rules: &[&'static str]) -> Result<Diagnostic, Corrupt> {
    let rule = input.text()?;
    let rule = rules.iter().find(|known| **known == rule).ok_or(Corrupt)?;
    Ok(Diagnostic {
        rule,
        severity: match input.uint()? {
            0 => Severity::Error,
            1 => Severity::Warning,
            2 => Severity::Info,
            _ => return Err(Corrupt),
        },
        path: input.str()?,
        span: Option::<Span>::read(input)?,
        message: input.str()?,
        help: input.opt_str()?,
    })
}

impl Codec for Note {
    fn write(&self, out: &mut Writer) {
        out.str(&self.path);
        out.str(&self.title);
        out.seq(&self.properties);
        out.seq(&self.aliases);
        out.seq(&self.tags);
        out.seq(&self.headings);
        out.seq(&self.blocks);
        out.seq(&self.links);
        out.seq(&self.external);
        out.uint(self.word_count as u64);
        out.uint(u64::from(self.has_body));
        out.uint(u64::from(self.has_base_block));
        out.uint(u64::from(self.has_astral));
    }
    fn read(input: &mut Reader<'_>) -> Result<Self, Corrupt> {
        Ok(Self {
            path: input.str()?,
            title: input.str()?,
            properties: input.seq()?,
            aliases: input.seq()?,
            tags: input.seq()?,
            headings: input.seq()?,
            blocks: input.seq()?,
            links: input.seq()?,
            external: input.seq()?,
            word_count: usize::try_from(input.uint()?).map_err(|_| Corrupt)?,
            has_body: input.uint()? != 0,
            has_base_block: input.uint()? != 0,
            has_astral: input.uint()? != 0,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_note;

    const NOTE: &str = "---\ntags: [a, b/c]\naliases: [X]\nrelated: \"[[Other]]\"\ncreated: 2024-01-02\nstatus: null\ncount: 3\ndelta: -12\nratio: 0.25\ndone: true\nnested: {a: [1, {b: false}], c: ~}\n---\n# Title\nText with [[Link#Head|shown]] and ![[img.png|100]] and #inline.\n\n## Empty\n\npara ^block1\n\n[md](Other%20Note.md) https://example.com\n";

    #[test]
    fn a_parsed_note_survives_the_round_trip() {
        let mut parsed = parse_note("Folder/Note.md", NOTE);
        parsed.diagnostics.push(
            Diagnostic::new("invalid-tag", Severity::Warning, "Folder/Note.md", "m").with_help("h"),
        );
        assert!(!parsed.note.links.is_empty() && parsed.note.properties.len() == 10);
        assert_eq!(decode(&encode(&parsed)), Ok(parsed));
    }

    #[test]
    fn truncated_or_altered_bytes_are_corrupt_not_a_panic() {
        let bytes = encode(&parse_note("Note.md", NOTE));
        for cut in 0..bytes.len() {
            assert_eq!(decode(&bytes[..cut]), Err(Corrupt), "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(decode(&longer), Err(Corrupt));
    }

    #[test]
    fn a_string_length_that_splits_a_character_is_corrupt() {
        let parsed = parse_note("é.md", "x");
        let bytes = encode(&parsed);
        assert_eq!(decode(&bytes), Ok(parsed));
        // After the five counts and the pool (its length, then its bytes)
        // comes the first field: the length of the path `é.md`, 5 bytes.
        // Make it 1: it then ends inside `é`, which takes two.
        let pool_len = usize::from(bytes[5]);
        let mut split = bytes.clone();
        assert_eq!(split[6 + pool_len], 5);
        split[6 + pool_len] = 1;
        assert_eq!(decode(&split), Err(Corrupt));
    }

    #[test]
    fn counts_are_read_alone_and_must_match_the_note() {
        let parsed = parse_note("Note.md", NOTE);
        let bytes = encode(&parsed);
        let counts = counts(&bytes).unwrap();
        assert_eq!(counts, Counts::of(&parsed));
        assert!(counts.links > counts.property_links && counts.property_links > 0);
        assert!(counts.headings > 0);
        // Counts that do not fit the note are damage, one field at a time.
        for field in 0..5 {
            let mut altered = bytes.clone();
            altered[field] ^= 1;
            assert_eq!(decode(&altered), Err(Corrupt), "count {field}");
        }
    }

    #[test]
    fn the_front_is_decoded_alone_for_its_own_path_only() {
        let parsed = parse_note("Folder/Note.md", NOTE);
        let bytes = encode(&parsed);
        let front = decode_front(&bytes, "Folder/Note.md").unwrap();
        assert_eq!(front, Front::of(&parsed.note));
        assert!(front.properties.len() == 10 && front.tags.len() == 3);
        assert_eq!(decode_front(&bytes, "Other.md"), Err(Corrupt));
        for cut in 0..bytes.len() / 2 {
            assert_eq!(decode_front(&bytes[..cut], "Folder/Note.md"), Err(Corrupt));
        }
    }

    #[test]
    fn findings_of_the_given_rules_survive_the_round_trip() {
        let parsed = parse_note("Note.md", NOTE);
        let findings = vec![
            Diagnostic::new("broken-link", Severity::Error, "a.md", "no note")
                .at(parsed.note.links[0].span)
                .with_help("create it"),
            Diagnostic::new("empty-note", Severity::Info, "b.md", "empty"),
        ];
        let bytes = encode_diagnostics(&findings);
        let rules = ["empty-note", "broken-link"];
        assert_eq!(decode_diagnostics(&bytes, &rules), Ok(findings));
        assert_eq!(decode_diagnostics(&bytes, &rules[..1]), Err(Corrupt));
        for cut in 0..bytes.len() {
            assert_eq!(
                decode_diagnostics(&bytes[..cut], &rules),
                Err(Corrupt),
                "cut at {cut}"
            );
        }
    }
}
