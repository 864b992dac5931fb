//! Matching what the user typed against names, as editors filter lists:
//! case aside, the typed characters in order, ranked better when they
//! are the whole name, its start or one run inside it.

use vaultkit::vault::resolve::fold;

/// How well typed text matches a name, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rank {
    /// The whole name.
    Exact,
    /// The name's start.
    Prefix,
    /// One run inside the name.
    Inside,
    /// Its characters in order, with others between them.
    Scattered,
}

/// Typed text to match against many names, folded once.
pub struct Pattern(String);

impl Pattern {
    /// The pattern of what the user typed.
    pub fn new(typed: &str) -> Self {
        Self(fold(typed))
    }

    /// How well the pattern matches `name`; `None` when its characters do
    /// not all appear in `name` in order, case aside.
    pub fn rank(&self, name: &str) -> Option<Rank> {
        let (typed, name) = (self.0.as_str(), fold(name));
        if typed == name {
            return Some(Rank::Exact);
        }
        if name.starts_with(typed) {
            return Some(Rank::Prefix);
        }
        if name.contains(typed) {
            return Some(Rank::Inside);
        }
        let mut rest = name.chars();
        (typed.chars().all(|wanted| rest.any(|c| c == wanted))).then_some(Rank::Scattered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rank(typed: &str, name: &str) -> Option<Rank> {
        Pattern::new(typed).rank(name)
    }

    #[test]
    fn typed_characters_match_in_order_case_aside() {
        assert_eq!(rank("", "Git"), Some(Rank::Prefix));
        assert_eq!(rank("git", "Git"), Some(Rank::Exact));
        assert_eq!(rank("GI", "Git"), Some(Rank::Prefix));
        assert_eq!(rank("it", "Git"), Some(Rank::Inside));
        assert_eq!(rank("gt", "Git"), Some(Rank::Scattered));
        assert_eq!(rank("TOPgit", "Topics/Git"), Some(Rank::Scattered));
        assert_eq!(rank("tg", "Git"), None);
    }

    #[test]
    fn better_matches_sort_first() {
        assert!(Rank::Exact < Rank::Prefix);
        assert!(Rank::Prefix < Rank::Inside);
        assert!(Rank::Inside < Rank::Scattered);
    }
}
