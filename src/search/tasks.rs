//! Tasks as Obsidian's `task:`, `task-todo:` and `task-done:` see them: list
//! items that begin with a status in brackets, `[ ]` open and any other
//! character (`[x]`, `[-]`, `[>]`…) done.

use super::blocks::{BlockKind, blocks};

/// Which tasks an operator looks within.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tasks {
    /// Every task (`task:`).
    All,
    /// Open tasks, `[ ]` (`task-todo:`).
    Todo,
    /// Tasks with any other status (`task-done:`).
    Done,
}

impl Tasks {
    fn wants(self, status: char) -> bool {
        match self {
            Self::All => true,
            Self::Todo => status == ' ',
            Self::Done => status != ' ',
        }
    }
}

/// The text of every task of `body` that `which` selects, each without the
/// tasks nested under it.
pub fn tasks(body: &str, which: Tasks) -> Vec<&str> {
    blocks(body)
        .into_iter()
        .filter(|block| block.kind == BlockKind::ListItem)
        .filter(|block| status(block.text).is_some_and(|s| which.wants(s)))
        .map(|block| block.text)
        .collect()
}

/// The status character of a list item that is a task (`' '` for `- [ ] …`).
fn status(item: &str) -> Option<char> {
    let rest = item.trim_start();
    let rest = match rest.strip_prefix(['-', '*', '+']) {
        Some(rest) => rest,
        None => {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            rest[digits..]
                .strip_prefix(['.', ')'])
                .filter(|_| digits > 0)?
        }
    };
    let mut chars = rest.trim_start_matches([' ', '\t']).chars();
    let (open, status, close) = (chars.next()?, chars.next()?, chars.next()?);
    let ends = chars.next().is_none_or(char::is_whitespace);
    (open == '[' && close == ']' && ends && rest.starts_with([' ', '\t'])).then_some(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_status_character_makes_a_task() {
        assert_eq!(status("- [ ] open"), Some(' '));
        assert_eq!(status("* [x] done"), Some('x'));
        assert_eq!(status("+ [-] cancelled"), Some('-'));
        assert_eq!(status("12. [>] moved"), Some('>'));
        assert_eq!(status("1) [X]"), Some('X'));
    }

    #[test]
    fn lists_that_only_look_like_tasks_are_not() {
        assert_eq!(status("- plain item"), None);
        assert_eq!(status("- [link](x)"), None);
        assert_eq!(status("- [ab] two characters"), None);
        assert_eq!(status("-[ ] no space after the marker"), None);
        assert_eq!(status("- [ ]no space after the box"), None);
        assert_eq!(status("x. [ ] not a number"), None);
    }

    #[test]
    fn todo_and_done_split_tasks_by_status() {
        let body = "- [ ] call Ann\n- [x] email Bob\n  - [/] half way\n- not a task\n\n```\n- [ ] code\n```\n";
        assert_eq!(
            tasks(body, Tasks::All),
            ["- [ ] call Ann", "- [x] email Bob", "- [/] half way"]
        );
        assert_eq!(tasks(body, Tasks::Todo), ["- [ ] call Ann"]);
        assert_eq!(
            tasks(body, Tasks::Done),
            ["- [x] email Bob", "- [/] half way"]
        );
    }
}
