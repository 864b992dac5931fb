//! Objects: `isEmpty`, `keys`, `values`.

use super::{Signature, sig};
use crate::base::eval::{Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::Value;

pub const FUNCTIONS: &[Signature] = &[sig("isEmpty", 0, 0), sig("keys", 0, 0), sig("values", 0, 0)];

pub fn call(
    _ev: &Evaluator<'_, '_>,
    _scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    _args: &[Node],
) -> Option<Evaluated> {
    let Value::Object(entries) = receiver else {
        return None;
    };
    Some(Ok(match name {
        "isEmpty" => Value::Bool(entries.is_empty()),
        "keys" => Value::List(entries.keys().cloned().map(Value::String).collect()),
        "values" => Value::List(entries.values().cloned().collect()),
        _ => return None,
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use crate::base::value::Value;

    #[test]
    fn object_functions_as_documented() {
        assert_eq!(eval("{}.isEmpty()"), Value::Bool(true));
        assert_eq!(eval("{\"a\": 1}.isEmpty()"), Value::Bool(false));
        assert_eq!(text("{\"b\": 2, \"a\": 1}.keys()"), "a, b");
        assert_eq!(text("{\"b\": 2, \"a\": 1}.values()"), "1, 2");
        assert_eq!(eval("{\"a\": {\"b\": 3}}.a.b"), Value::Number(3.0));
        assert_eq!(eval("{a: 1}[\"a\"]"), Value::Number(1.0));
    }
}
