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

/// A name made ready to be matched many times: folded, with the set of
/// its characters, which tells without reading the name that most names
/// lack one of the typed characters.
pub struct Name {
    folded: String,
    chars: CharSet,
}

impl Name {
    pub fn new(name: &str) -> Self {
        let folded = fold(name);
        let chars = CharSet::of(&folded);
        Self { folded, chars }
    }
}

/// Which characters a text has, some sharing a bit: a name may have the
/// characters of a set that another name's holds only when every bit of
/// the set is in the other's.
#[derive(Clone, Copy)]
struct CharSet(u64);

impl CharSet {
    fn of(text: &str) -> Self {
        Self(
            text.chars()
                .fold(0, |set, c| set | 1 << (u32::from(c) % 64)),
        )
    }

    fn holds(self, other: Self) -> bool {
        other.0 & !self.0 == 0
    }
}

/// Typed text to match against many names, folded once.
pub struct Pattern {
    typed: String,
    chars: CharSet,
    /// Finds the typed text inside a name, set up once for every name.
    inside: memmem::Finder<'static>,
}

impl Pattern {
    /// The pattern of what the user typed.
    pub fn new(typed: &str) -> Self {
        let typed = fold(typed);
        let chars = CharSet::of(&typed);
        let inside = memmem::Finder::new(typed.as_bytes()).into_owned();
        Self {
            typed,
            chars,
            inside,
        }
    }

    /// How well the pattern matches `name`; `None` when its characters do
    /// not all appear in `name` in order, case aside.
    pub fn rank(&self, name: &str) -> Option<Rank> {
        self.rank_name(&Name::new(name))
    }

    /// [`Pattern::rank`] of a name made ready: what matching many names
    /// each time needs, as it allocates nothing and mostly reads nothing
    /// of the name but its set of characters.
    pub fn rank_name(&self, name: &Name) -> Option<Rank> {
        if !name.chars.holds(self.chars) {
            return None;
        }
        let (typed, name) = (self.typed.as_str(), name.folded.as_str());
        if typed == name {
            return Some(Rank::Exact);
        }
        if name.starts_with(typed) {
            return Some(Rank::Prefix);
        }
        if self.inside.find(name.as_bytes()).is_some() {
            return Some(Rank::Inside);
        }
        // An ASCII byte in UTF-8 is always that character.
        let scattered = if typed.is_ascii() {
            let mut rest = name.bytes();
            typed.bytes().all(|wanted| rest.any(|b| b == wanted))
        } else {
            let mut rest = name.chars();
            typed.chars().all(|wanted| rest.any(|c| c == wanted))
        };
        scattered.then_some(Rank::Scattered)
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
    fn names_made_ready_rank_as_their_originals() {
        let pattern = Pattern::new("ÉTÉ");
        let expected = [
            ("été", Some(Rank::Exact)),
            ("e\u{301}te\u{301}", Some(Rank::Exact)),
            ("Été 2024", Some(Rank::Prefix)),
            ("Un été", Some(Rank::Inside)),
            ("Étape tôt été", Some(Rank::Inside)),
            ("L'étang tétu", Some(Rank::Scattered)),
            ("Tête", None),
            ("Bref", None),
        ];
        for (name, rank) in expected {
            assert_eq!(pattern.rank_name(&Name::new(name)), rank, "{name}");
        }
        // `!` and `a` share a bit of the set.
        assert_eq!(rank("a", "!!"), None);
        assert_eq!(rank("!a", "x!ya"), Some(Rank::Scattered));
    }

    #[test]
    fn better_matches_sort_first() {
        assert!(Rank::Exact < Rank::Prefix);
        assert!(Rank::Prefix < Rank::Inside);
        assert!(Rank::Inside < Rank::Scattered);
    }
}
