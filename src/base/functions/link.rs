//! Links: `asFile`, `linksTo`.

use super::file::links_to;
use super::{Signature, sig};
use crate::base::eval::{Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::Value;

pub const FUNCTIONS: &[Signature] = &[sig("asFile", 0, 0), sig("linksTo", 1, 1)];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    let Value::Link(link) = receiver else {
        return None;
    };
    Some(match name {
        "asFile" => Ok(link.file.map_or(Value::Null, Value::File)),
        "linksTo" => ev
            .node(&args[0], scope)
            .map(|other| Value::Bool(link.file.is_some_and(|file| links_to(ev, file, &other)))),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use crate::base::value::Value;

    #[test]
    fn links_become_files_and_know_their_links() {
        assert_eq!(text("link(\"[[Dune]]\").asFile()"), "Books/Dune.md");
        assert_eq!(eval("link(\"Nowhere\").asFile()"), Value::Null);
        assert_eq!(
            eval("link(\"Dune\").linksTo(file(\"Frank Herbert.md\"))"),
            Value::Bool(true)
        );
        assert_eq!(
            eval("link(\"Dune\").linksTo(\"Textbook\")"),
            Value::Bool(false)
        );
    }
}
