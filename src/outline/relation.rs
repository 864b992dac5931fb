//! What a link means for a course: which kind of edge it is, which edges the
//! selection follows, and which ones say "teach this first".

use std::str::FromStr;

use serde::Serialize;

use crate::model::{Link, LinkOrigin};

/// The kind of edge a link makes, by where it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// `related` and any other front-matter link property not named below.
    Related,
    /// `prerequisites` or `requires`: the target is taught first.
    Prerequisites,
    /// `up` (or `parent`): the target is the broader note.
    Up,
    /// `down` (or `children`): the target is a narrower note.
    Down,
    /// `next`: the target follows.
    Next,
    /// `prev` (or `previous`): the target comes before.
    Prev,
    /// A link in the body.
    Body,
    /// An embed in the body (`![[...]]`).
    Embeds,
}

impl Relation {
    /// Every relation, in the order `--follow` lists them.
    pub const ALL: [Self; 8] = [
        Self::Related,
        Self::Prerequisites,
        Self::Up,
        Self::Down,
        Self::Next,
        Self::Prev,
        Self::Body,
        Self::Embeds,
    ];

    /// What `--follow` follows unless told otherwise: everything but embeds.
    pub fn default_follow() -> Vec<Self> {
        Self::ALL
            .into_iter()
            .filter(|r| *r != Self::Embeds)
            .collect()
    }

    /// The relation a link stands for.
    pub fn of(link: &Link) -> Self {
        match &link.origin {
            LinkOrigin::Body if link.is_embed() => Self::Embeds,
            LinkOrigin::Body => Self::Body,
            LinkOrigin::Property(key) => {
                // Runs for every property link of the vault: no allocation.
                let is = |names: &[&str]| names.iter().any(|n| key.eq_ignore_ascii_case(n));
                if is(&["prerequisites", "prerequisite", "requires"]) {
                    Self::Prerequisites
                } else if is(&["up", "parent", "parents"]) {
                    Self::Up
                } else if is(&["down", "child", "children"]) {
                    Self::Down
                } else if is(&["next"]) {
                    Self::Next
                } else if is(&["prev", "previous"]) {
                    Self::Prev
                } else {
                    Self::Related
                }
            }
        }
    }

    /// The relation the target has to the source, for hierarchy and sequence
    /// links (Breadcrumbs' implied edges): a note's `up` makes it the parent's `down`.
    pub fn implied(self) -> Option<Self> {
        match self {
            Self::Up => Some(Self::Down),
            Self::Down => Some(Self::Up),
            Self::Next => Some(Self::Prev),
            Self::Prev => Some(Self::Next),
            _ => None,
        }
    }

    /// For a link of this relation from `source` to `target`, whether the
    /// target must be taught before the source (`Some(true)`), after it
    /// (`Some(false)`), or neither (`None`).
    pub fn target_first(self) -> Option<bool> {
        match self {
            Self::Prerequisites | Self::Up | Self::Prev => Some(true),
            Self::Down | Self::Next => Some(false),
            Self::Related | Self::Body | Self::Embeds => None,
        }
    }

    /// The name used by `--follow` and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Related => "related",
            Self::Prerequisites => "prerequisites",
            Self::Up => "up",
            Self::Down => "down",
            Self::Next => "next",
            Self::Prev => "prev",
            Self::Body => "body",
            Self::Embeds => "embeds",
        }
    }
}

/// A name `--follow` does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown edge kind `{0}` (expected one of: related, prerequisites, up, down, next, prev, body, embeds)"
)]
pub struct UnknownRelation(String);

impl FromStr for Relation {
    type Err = UnknownRelation;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_lowercase();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == wanted || (wanted == "requires" && *r == Self::Prerequisites))
            .ok_or_else(|| UnknownRelation(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for relation in Relation::ALL {
            assert_eq!(relation.as_str().parse::<Relation>(), Ok(relation));
        }
        assert_eq!("requires".parse::<Relation>(), Ok(Relation::Prerequisites));
        assert!("sideways".parse::<Relation>().is_err());
    }

    #[test]
    fn property_keys_match_in_any_case() {
        let vault = crate::vault::live::LiveVault::from_sources(
            [(
                "a.md",
                "---\nRequires: \"[[b]]\"\nUP: \"[[b]]\"\nsee: \"[[b]]\"\n---\n[[b]] ![[b]]",
            )],
            ["b.md"],
        );
        let relations: Vec<Relation> = vault
            .note_or_empty(crate::vault::NoteId(0))
            .links
            .iter()
            .map(Relation::of)
            .collect();
        assert_eq!(
            relations,
            [
                Relation::Prerequisites,
                Relation::Up,
                Relation::Related,
                Relation::Body,
                Relation::Embeds
            ]
        );
    }

    #[test]
    fn hierarchy_and_sequence_imply_their_inverse() {
        assert_eq!(Relation::Up.implied(), Some(Relation::Down));
        assert_eq!(Relation::Next.implied(), Some(Relation::Prev));
        assert_eq!(Relation::Related.implied(), None);
        assert_eq!(Relation::Prerequisites.target_first(), Some(true));
        assert_eq!(Relation::Next.target_first(), Some(false));
    }
}
