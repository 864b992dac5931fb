//! Matching what the user typed against names, as editors filter lists:
//! case aside, the typed characters in order, ranked better when they
//! are the whole name, its start or one run inside it.

use memchr::memmem;
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
pub struct Pattern {
    typed: String,
    /// Finds the typed text inside a name, set up once for every name.
    inside: memmem::Finder<'static>,
}

impl Pattern {
    /// The pattern of what the user typed.
    pub fn new(typed: &str) -> Self {
        let typed = fold(typed);
        let inside = memmem::Finder::new(typed.as_bytes()).into_owned();
        Self { typed, inside }
    }

    /// How well the pattern matches `name`; `None` when its characters do
    /// not all appear in `name` in order, case aside.
    pub fn rank(&self, name: &str) -> Option<Rank> {
        self.rank_folded(&fold(name))
    }

    /// [`Pattern::rank`] of a name folded already (by [`fold`]): what
    /// matching many names each time needs, as it allocates nothing.
    pub fn rank_folded(&self, name: &str) -> Option<Rank> {
        let typed = self.typed.as_str();
        if typed == name {
            return Some(Rank::Exact);
        }
        if name.starts_with(typed) {
            return Some(Rank::Prefix);
        }
        if self.inside.find(name.as_bytes()).is_some() {
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
    fn folded_names_rank_as_their_originals() {
        let pattern = Pattern::new("ÉTÉ");
        for name in [
            "été",
            "Été 2024",
            "Un été",
            "Étés",
            "Bref",
            "e\u{301}te\u{301}",
        ] {
            assert_eq!(
                pattern.rank_folded(&fold(name)),
                pattern.rank(name),
                "{name}"
            );
        }
        assert_eq!(pattern.rank_folded("été 2024"), Some(Rank::Prefix));
        assert_eq!(pattern.rank_folded("un été"), Some(Rank::Inside));
    }

    #[test]
    fn better_matches_sort_first() {
        assert!(Rank::Exact < Rank::Prefix);
        assert!(Rank::Prefix < Rank::Inside);
        assert!(Rank::Inside < Rank::Scattered);
    }
}
