//! Regular expressions: `matches`.

use super::{Signature, sig, text_arg};
use crate::base::eval::{Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::Value;

pub const FUNCTIONS: &[Signature] = &[sig("matches", 1, 1)];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    let Value::Regex(pattern) = receiver else {
        return None;
    };
    (name == "matches").then(|| {
        ev.node(&args[0], scope)
            .and_then(|text| text_arg(&text, name))
            .map(|text| Value::Bool(pattern.regex.is_match(&text)))
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use crate::base::value::Value;

    #[test]
    fn regular_expressions_match() {
        assert_eq!(eval("/abc/.matches(\"abcde\")"), Value::Bool(true));
        assert_eq!(eval("/^B/i.matches(\"book\")"), Value::Bool(true));
        assert_eq!(eval("/x/.matches(\"abc\")"), Value::Bool(false));
        assert_eq!(text("/a/"), "/a/");
    }
}
