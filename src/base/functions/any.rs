//! Functions of any value: `isTruthy`, `isType`, `toString`, and
//! `isEmpty` for values without one of their own.

use super::{Signature, sig, text_arg};
use crate::base::eval::{Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::Value;

pub const FUNCTIONS: &[Signature] = &[
    sig("isTruthy", 0, 0),
    sig("isType", 1, 1),
    sig("toString", 0, 0),
    sig("isEmpty", 0, 0),
];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    Some(match name {
        "isTruthy" => Ok(Value::Bool(receiver.is_truthy())),
        "isType" => ev
            .node(&args[0], scope)
            .and_then(|wanted| text_arg(&wanted, name))
            .map(|wanted| Value::Bool(is_type(receiver, &wanted))),
        "toString" => Ok(Value::String(receiver.text(ev.vault()))),
        "isEmpty" => Ok(Value::Bool(receiver.is_empty())),
        _ => return None,
    })
}

/// Whether `value` is of the type named `wanted` (a few aliases accepted).
fn is_type(value: &Value, wanted: &str) -> bool {
    let wanted = wanted.to_ascii_lowercase();
    let actual = value.type_name();
    actual == wanted
        || matches!(
            (actual, wanted.as_str()),
            ("boolean", "bool") | ("list", "array") | ("regexp", "regex")
        )
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use crate::base::value::Value;

    #[test]
    fn functions_of_any_value() {
        let yes = Value::Bool(true);
        assert_eq!(eval("1.isTruthy()"), yes);
        assert_eq!(eval("0.isTruthy()"), Value::Bool(false));
        assert_eq!(eval("\"example\".isType(\"string\")"), yes);
        assert_eq!(eval("true.isType(\"boolean\")"), yes);
        assert_eq!(eval("[1].isType(\"list\")"), yes);
        assert_eq!(eval("now().isType(\"date\")"), yes);
        assert_eq!(eval("missing.isType(\"null\")"), yes);
        assert_eq!(text("123.toString()"), "123");
        assert_eq!(eval("missing.isEmpty()"), yes);
        assert_eq!(eval("missing.lower()"), Value::Null);
        assert_eq!(
            text("true.lower()"),
            "error: a boolean has no function `lower`"
        );
    }
}
