//! Limits front-matter YAML is checked against, one parser event at a time,
//! before gray_matter loads it: a YAML loader copies every alias, so 422 bytes
//! of `&a [*b, *b]` lines would grow into gigabytes, and a loader that recurses
//! per level overflows the stack on deep nesting. The same pass reports syntax
//! errors with their line and column.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// The largest front matter read, in bytes.
pub const MAX_BYTES: usize = 1 << 20;
/// The deepest nesting of lists and maps.
pub const MAX_DEPTH: usize = 64;
/// The most values that aliases (`*name`) may repeat in one front matter.
pub const MAX_ALIASED_VALUES: usize = 10_000;
/// The most text, in bytes, that aliases may repeat in one front matter.
pub const MAX_ALIASED_TEXT: usize = 1 << 20;

/// Why front matter could not be read, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct YamlError {
    /// What is wrong, for the diagnostic's message.
    pub message: String,
    /// Whether a limit was reached (rather than the YAML being invalid).
    pub over_limit: bool,
    /// Line in the YAML, from 1.
    pub line: usize,
    /// Column in that line, in characters, from 0.
    pub column: usize,
}

impl YamlError {
    fn at(marker: Marker, message: String, over_limit: bool) -> Self {
        Self {
            message,
            over_limit,
            line: marker.line(),
            column: marker.col(),
        }
    }
}

/// Checks that `yaml` parses and stays within the limits once its aliases are
/// expanded; every document is checked, as a loader reads them all.
pub fn check(yaml: &str) -> Result<(), YamlError> {
    if yaml.len() > MAX_BYTES {
        return Err(YamlError {
            message: format!(
                "front matter is larger than {} KiB ({} bytes)",
                MAX_BYTES / 1024,
                yaml.len()
            ),
            over_limit: true,
            line: 1,
            column: 0,
        });
    }
    let mut parser = Parser::new_from_str(yaml);
    let mut costs = Costs::default();
    loop {
        let (event, marker) = parser
            .next_token()
            .map_err(|err| YamlError::at(*err.marker(), err.info().to_owned(), false))?;
        if event == Event::StreamEnd {
            return Ok(());
        }
        costs.push(event, marker)?;
    }
}

/// What a value costs to copy.
#[derive(Debug, Clone, Copy, Default)]
struct Cost {
    /// The values it holds, itself included.
    values: usize,
    /// The bytes of text in them, map keys included.
    text: usize,
}

impl Cost {
    fn add(&mut self, other: Cost) {
        self.values = self.values.saturating_add(other.values);
        self.text = self.text.saturating_add(other.text);
    }
}

/// The cost of every anchored value and of the lists and maps still open.
#[derive(Default)]
struct Costs {
    /// Each open list or map: its anchor and its cost so far.
    open: Vec<(usize, Cost)>,
    anchors: HashMap<usize, Cost>,
    aliased: Cost,
}

impl Costs {
    fn push(&mut self, event: Event, marker: Marker) -> Result<(), YamlError> {
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.open.len() >= MAX_DEPTH {
                    return Err(YamlError::at(
                        marker,
                        format!("front matter nests lists and maps more than {MAX_DEPTH} deep"),
                        true,
                    ));
                }
                self.open.push((anchor, Cost { values: 1, text: 0 }));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, cost)) = self.open.pop() {
                    self.close(cost, anchor);
                }
            }
            Event::Scalar(text, _, anchor, _) => {
                let cost = Cost {
                    values: 1,
                    text: text.len(),
                };
                self.close(cost, anchor);
            }
            Event::Alias(anchor) => {
                let cost = self
                    .anchors
                    .get(&anchor)
                    .copied()
                    .unwrap_or(Cost { values: 1, text: 0 });
                self.aliased.add(cost);
                let over = if self.aliased.values > MAX_ALIASED_VALUES {
                    Some(format!("{MAX_ALIASED_VALUES} values"))
                } else if self.aliased.text > MAX_ALIASED_TEXT {
                    Some(format!("{} KiB of text", MAX_ALIASED_TEXT / 1024))
                } else {
                    None
                };
                if let Some(limit) = over {
                    return Err(YamlError::at(
                        marker,
                        format!("aliases in front matter repeat more than {limit}"),
                        true,
                    ));
                }
                self.close(cost, 0);
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
        Ok(())
    }

    /// Adds a finished value to the list or map around it.
    fn close(&mut self, cost: Cost, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, cost);
        }
        if let Some((_, open)) = self.open.last_mut() {
            open.add(cost);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bomb(levels: usize) -> String {
        let mut yaml = "a0: &a0 [x, y]\n".to_owned();
        for n in 1..=levels {
            yaml.push_str(&format!("a{n}: &a{n} [*a{}, *a{}]\n", n - 1, n - 1));
        }
        yaml
    }

    #[test]
    fn an_alias_bomb_stops_at_the_alias_over_the_limit() {
        for levels in [20, 40, 400] {
            let err = check(&bomb(levels)).expect_err("over the limit");
            assert!(err.over_limit);
            assert!(err.message.contains("aliases"), "{}", err.message);
            // Line n+1 defines `an`, of 2^(n+2)-1 values, and its aliases repeat
            // 2^(n+2)-2 of them: 8,164 in all by line 11, and the first alias
            // on line 12 goes over 10,000.
            assert_eq!((err.line, err.column), (12, 11));
        }
        assert_eq!(check(&bomb(8)), Ok(()));
    }

    #[test]
    fn aliases_repeating_long_text_stop_at_the_text_limit() {
        let long = "x".repeat(100_000);
        let mut yaml = format!("a: &a \"{long}\"\nb: &b {{k: *a}}\nc:\n");
        yaml.push_str(&"  - *b\n".repeat(11));
        let err = check(&yaml).expect_err("over the limit");
        assert!(
            err.message.ends_with("more than 1024 KiB of text"),
            "{}",
            err.message
        );
        // `b` copies `a`'s 100,000 bytes and holds 100,001 (its key too):
        // its tenth copy, on line 13, goes over 1 MiB.
        assert_eq!((err.line, err.column), (13, 4));
    }

    #[test]
    fn deep_nesting_stops_at_the_limit() {
        let yaml = format!("k:\n  {}x\n", "- ".repeat(10_000));
        let err = check(&yaml).expect_err("too deep");
        assert!(err.over_limit && err.message.contains("64 deep"));
        assert_eq!(err.line, 2);
        let yaml = format!("k: {}x{}\n", "[".repeat(100), "]".repeat(100));
        assert!(check(&yaml).expect_err("too deep").over_limit);
        let yaml = format!("k: {}x{}\n", "[".repeat(63), "]".repeat(63));
        assert_eq!(check(&yaml), Ok(()));
    }

    #[test]
    fn large_front_matter_is_refused_whole() {
        let yaml = "k: v\n".repeat(MAX_BYTES / 5 + 1);
        let err = check(&yaml).expect_err("too large");
        assert!(err.over_limit && err.message.contains("1024 KiB"));
        assert_eq!(err.line, 1);
    }

    #[test]
    fn syntax_errors_carry_their_position_even_in_a_later_document() {
        let err = check("a: 1\nb: [x\n").expect_err("invalid");
        assert!(!err.over_limit && !err.message.is_empty());
        assert!(err.line >= 2, "{err:?}");
        let err = check("a: 1\n...\n---\nz: [\n").expect_err("invalid");
        assert!(err.line >= 4, "{err:?}");
    }
}
