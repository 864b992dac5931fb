//! Strings: `contains`, `replace`, `split`, `slice`, `title`...

use super::{Signature, number_arg, sig, slice_bounds, text_arg, variadic};
use crate::base::eval::{EvalError, Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::Value;

pub const FUNCTIONS: &[Signature] = &[
    sig("contains", 1, 1),
    variadic("containsAll", 1),
    variadic("containsAny", 1),
    sig("endsWith", 1, 1),
    sig("isEmpty", 0, 0),
    sig("lower", 0, 0),
    sig("replace", 2, 2),
    sig("repeat", 1, 1),
    sig("reverse", 0, 0),
    sig("slice", 1, 2),
    sig("split", 1, 2),
    sig("startsWith", 1, 1),
    sig("title", 0, 0),
    sig("trim", 0, 0),
];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    let Value::String(text) = receiver else {
        return None;
    };
    if !FUNCTIONS.iter().any(|s| s.name == name) {
        return None;
    }
    Some(
        ev.all(args, scope)
            .and_then(|args| apply(text, name, &args)),
    )
}

fn apply(text: &str, name: &str, args: &[Value]) -> Evaluated {
    let text_at = |i: usize| text_arg(&args[i], name);
    Ok(match name {
        "contains" => Value::Bool(text.contains(&text_at(0)?)),
        "containsAll" => Value::Bool(
            (0..args.len())
                .map(text_at)
                .collect::<Result<Vec<_>, _>>()?
                .iter()
                .all(|needle| text.contains(needle.as_str())),
        ),
        "containsAny" => Value::Bool(
            (0..args.len())
                .map(text_at)
                .collect::<Result<Vec<_>, _>>()?
                .iter()
                .any(|needle| text.contains(needle.as_str())),
        ),
        "endsWith" => Value::Bool(text.ends_with(&text_at(0)?)),
        "startsWith" => Value::Bool(text.starts_with(&text_at(0)?)),
        "isEmpty" => Value::Bool(text.is_empty()),
        "lower" => Value::String(text.to_lowercase()),
        "replace" => {
            let replacement = text_at(1)?;
            Value::String(match &args[0] {
                Value::Regex(pattern) if pattern.global => pattern
                    .regex
                    .replace_all(text, replacement.as_str())
                    .into_owned(),
                Value::Regex(pattern) => pattern
                    .regex
                    .replace(text, replacement.as_str())
                    .into_owned(),
                _ => text.replace(&text_at(0)?, &replacement),
            })
        }
        "repeat" => {
            let count = number_arg(&args[0], name)?;
            if !(0.0..=10_000.0).contains(&count) || text.len() as f64 * count > 1e7 {
                return Err(EvalError(format!("cannot repeat a string {count} times")));
            }
            Value::String(text.repeat(count as usize))
        }
        "reverse" => Value::String(text.chars().rev().collect()),
        "slice" => {
            let chars: Vec<char> = text.chars().collect();
            let end = args.get(1).map(|e| number_arg(e, name)).transpose()?;
            let (start, end) = slice_bounds(chars.len(), number_arg(&args[0], name)?, end);
            Value::String(chars[start..end].iter().collect())
        }
        "split" => {
            let mut parts: Vec<Value> = match &args[0] {
                Value::Regex(pattern) => pattern
                    .regex
                    .split(text)
                    .map(|p| Value::String(p.to_owned()))
                    .collect(),
                _ => {
                    let separator = text_at(0)?;
                    if separator.is_empty() {
                        text.chars().map(|c| Value::String(c.to_string())).collect()
                    } else {
                        text.split(separator.as_str())
                            .map(|p| Value::String(p.to_owned()))
                            .collect()
                    }
                }
            };
            if let Some(limit) = args.get(1) {
                parts.truncate(number_arg(limit, name)?.max(0.0) as usize);
            }
            Value::List(parts)
        }
        "title" => Value::String(title_case(text)),
        "trim" => Value::String(text.trim().to_owned()),
        _ => unreachable!("checked against FUNCTIONS"),
    })
}

/// The first letter of each word in capitals, the rest as written.
fn title_case(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at_word_start = true;
    for c in text.chars() {
        if at_word_start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        at_word_start = c.is_whitespace();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use crate::base::value::Value;

    #[test]
    fn string_functions_as_documented() {
        let yes = Value::Bool(true);
        assert_eq!(eval("\"hello\".length"), Value::Number(5.0));
        assert_eq!(eval("\"hello\".contains(\"ell\")"), yes);
        assert_eq!(eval("\"hello\".containsAll(\"h\", \"e\")"), yes);
        assert_eq!(eval("\"hello\".containsAny(\"x\", \"y\", \"e\")"), yes);
        assert_eq!(eval("\"hello\".endsWith(\"lo\")"), yes);
        assert_eq!(eval("\"Hello world\".isEmpty()"), Value::Bool(false));
        assert_eq!(eval("\"\".isEmpty()"), yes);
        assert_eq!(text("\"HeLLo\".lower()"), "hello");
        assert_eq!(text("\"a:b:c:d\".replace(/:/, \"-\")"), "a-b:c:d");
        assert_eq!(text("\"a:b:c:d\".replace(/:/g, \"-\")"), "a-b-c-d");
        assert_eq!(text("\"a:b:c:d\".replace(\":\", \"-\")"), "a-b-c-d");
        assert_eq!(
            text("\"John Smith\".replace(/(\\w+) (\\w+)/, \"$2, $1\")"),
            "Smith, John"
        );
        assert_eq!(text("\"123\".repeat(2)"), "123123");
        assert_eq!(text("\"hello\".reverse()"), "olleh");
        assert_eq!(text("\"hello\".slice(1, 4)"), "ell");
        assert_eq!(text("\"hello\".slice(-3)"), "llo");
        assert_eq!(text("\"a,b,c,d\".split(\",\", 3)"), "a, b, c");
        assert_eq!(text("\"a,b,c,d\".split(/,/, 3)"), "a, b, c");
        assert_eq!(eval("\"hello\".startsWith(\"he\")"), yes);
        assert_eq!(text("\"hello world\".title()"), "Hello World");
        assert_eq!(text("\"  hi  \".trim()"), "hi");
        assert_eq!(
            text("\"x\".repeat(1000000000)"),
            "error: cannot repeat a string 1000000000 times"
        );
        assert_eq!(
            text("\"x\".contains(1)"),
            "error: `contains` wants text, not a number"
        );
    }
}
