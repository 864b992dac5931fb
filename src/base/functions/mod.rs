//! The function library, one module per family as Obsidian's help lists
//! them: global functions, then the methods of any value, dates, strings,
//! numbers, lists, links, files, objects and regular expressions.
//!
//! Every function receives its arguments unevaluated, so that `if` evaluates
//! one branch and `filter`, `map` and `reduce` evaluate theirs per item.

mod any;
pub mod date;
mod file;
mod global;
mod link;
pub mod list;
mod number;
mod object;
mod regex;
mod string;

use super::BaseError;
use super::eval::{EvalError, Evaluated, Evaluator, Scope};
use super::expr::{Expr, Node, NodeKind};
use super::value::Value;

/// A function's name and how many arguments it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signature {
    /// The name.
    pub name: &'static str,
    /// Fewest arguments.
    pub min: usize,
    /// Most arguments; `None` for any number.
    pub max: Option<usize>,
}

/// A function taking between `min` and `max` arguments.
const fn sig(name: &'static str, min: usize, max: usize) -> Signature {
    Signature {
        name,
        min,
        max: Some(max),
    }
}

/// A function taking `min` arguments or more.
const fn variadic(name: &'static str, min: usize) -> Signature {
    Signature {
        name,
        min,
        max: None,
    }
}

/// The method families, by the name of the type they apply to.
const METHOD_FAMILIES: &[(&str, &[Signature])] = &[
    ("any value", any::FUNCTIONS),
    ("date", date::FUNCTIONS),
    ("string", string::FUNCTIONS),
    ("number", number::FUNCTIONS),
    ("list", list::FUNCTIONS),
    ("link", link::FUNCTIONS),
    ("file", file::FUNCTIONS),
    ("object", object::FUNCTIONS),
    ("regular expression", regex::FUNCTIONS),
];

/// Every global function and every method, by family.
#[cfg(test)]
fn all() -> impl Iterator<Item = (&'static str, &'static Signature)> {
    let globals = global::FUNCTIONS.iter().map(|s| ("global", s));
    let methods = METHOD_FAMILIES
        .iter()
        .flat_map(|(family, list)| list.iter().map(move |s| (*family, s)));
    globals.chain(methods)
}

/// Checks that every function `expr` calls exists and gets an argument
/// count it takes.
pub fn check(expr: &Expr) -> Result<(), BaseError> {
    check_node(expr, &expr.root)
}

fn check_node(expr: &Expr, node: &Node) -> Result<(), BaseError> {
    match &node.kind {
        NodeKind::Call(name, args) => {
            let Some(signature) = global::FUNCTIONS.iter().find(|s| s.name == name) else {
                let hint = if METHOD_FAMILIES
                    .iter()
                    .any(|(_, list)| list.iter().any(|s| s.name == name))
                {
                    format!("; `{name}` is a method: write `value.{name}(…)`")
                } else {
                    String::new()
                };
                return Err(expr.error(node, format!("unknown function `{name}`{hint}")));
            };
            arity(expr, node, &[signature], args.len())?;
            args.iter().try_for_each(|a| check_node(expr, a))
        }
        NodeKind::Method(receiver, name, name_at, args) => {
            let at = Node {
                kind: NodeKind::Null,
                start: *name_at,
                depth: 1,
            };
            let signatures: Vec<&Signature> = METHOD_FAMILIES
                .iter()
                .flat_map(|(_, list)| list.iter())
                .filter(|s| s.name == name)
                .collect();
            if signatures.is_empty() {
                return Err(expr.error(&at, format!("unknown function `{name}`")));
            }
            arity(expr, &at, &signatures, args.len())?;
            check_node(expr, receiver)?;
            args.iter().try_for_each(|a| check_node(expr, a))
        }
        NodeKind::List(items) => items.iter().try_for_each(|i| check_node(expr, i)),
        NodeKind::Object(entries) => entries.iter().try_for_each(|(_, v)| check_node(expr, v)),
        NodeKind::Member(object, _) | NodeKind::Unary(_, object) => check_node(expr, object),
        NodeKind::Index(a, b) | NodeKind::Binary(_, a, b) => {
            check_node(expr, a)?;
            check_node(expr, b)
        }
        NodeKind::Null
        | NodeKind::Bool(_)
        | NodeKind::Number(_)
        | NodeKind::String(_)
        | NodeKind::Regex(_)
        | NodeKind::Value(_)
        | NodeKind::Ident(_) => Ok(()),
    }
}

/// Whether some signature of the name takes `count` arguments.
fn arity(
    expr: &Expr,
    node: &Node,
    signatures: &[&Signature],
    count: usize,
) -> Result<(), BaseError> {
    if signatures
        .iter()
        .any(|s| count >= s.min && s.max.is_none_or(|max| count <= max))
    {
        return Ok(());
    }
    let s = signatures[0];
    let wanted = match s.max {
        Some(max) if max == s.min => format!("{max}"),
        Some(max) => format!("{} to {max}", s.min),
        None => format!("at least {}", s.min),
    };
    let plural = if s.min == 1 && s.max.is_none_or(|max| max == 1) {
        ""
    } else {
        "s"
    };
    Err(expr.error(
        node,
        format!("`{}` takes {wanted} argument{plural}, not {count}", s.name),
    ))
}

/// Calls the global function `name`.
pub fn call_global(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    name: &str,
    args: &[Node],
) -> Evaluated {
    global::call(ev, scope, name, args)
        .unwrap_or_else(|| Err(EvalError(format!("unknown function `{name}`"))))
}

/// Calls the method `name` on `receiver`: the receiver's family first, then
/// the methods of any value. Methods of a missing value give nothing.
pub fn call_method(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: Value,
    name: &str,
    args: &[Node],
) -> Evaluated {
    let found = match &receiver {
        Value::Date(_) => date::call(ev, scope, &receiver, name, args),
        Value::String(_) => string::call(ev, scope, &receiver, name, args),
        Value::Number(_) => number::call(ev, scope, &receiver, name, args),
        Value::List(_) => list::call(ev, scope, &receiver, name, args),
        Value::Link(_) => link::call(ev, scope, &receiver, name, args),
        Value::File(_) => file::call(ev, scope, &receiver, name, args),
        Value::Object(_) => object::call(ev, scope, &receiver, name, args),
        Value::Regex(_) => regex::call(ev, scope, &receiver, name, args),
        _ => None,
    };
    found
        .or_else(|| any::call(ev, scope, &receiver, name, args))
        .unwrap_or_else(|| match receiver {
            Value::Null => Ok(Value::Null),
            other => Err(EvalError(format!(
                "a {} has no function `{name}`",
                other.type_name()
            ))),
        })
}

/// The text of a string argument.
fn text_arg(value: &Value, function: &str) -> Result<String, EvalError> {
    match value {
        Value::String(s) => Ok(s.clone()),
        other => Err(EvalError(format!(
            "`{function}` wants text, not a {}",
            other.type_name()
        ))),
    }
}

/// A number argument.
fn number_arg(value: &Value, function: &str) -> Result<f64, EvalError> {
    match value {
        Value::Number(n) => Ok(*n),
        other => Err(EvalError(format!(
            "`{function}` wants a number, not a {}",
            other.type_name()
        ))),
    }
}

/// JavaScript's `slice` bounds: negative counts from the end, clamped.
fn slice_bounds(len: usize, start: f64, end: Option<f64>) -> (usize, usize) {
    let clamp = |at: f64| {
        let at = if at < 0.0 { len as f64 + at } else { at };
        at.clamp(0.0, len as f64) as usize
    };
    let start = clamp(start.trunc());
    let end = end.map_or(len, |e| clamp(e.trunc()));
    (start, end.max(start))
}

#[cfg(test)]
pub(super) mod test_support {
    //! Evaluating expressions over a small vault, for the family tests.

    use crate::base::eval::{Context, Evaluator, Scope};
    use crate::base::parse_expression;
    use crate::base::value::Value;
    use crate::vault::{FileId, Vault};

    /// A vault with a few linked notes and an attachment.
    pub fn vault() -> Vault {
        Vault::from_sources(
            [
                (
                    "Books/Dune.md",
                    "---\nauthor: \"[[Frank Herbert]]\"\nprice: 9.5\ntags: [book, scifi/classic]\ncreated: 2024-02-29\n---\nSee [[Frank Herbert]] and ![[cover.png]].\n#fiction\n",
                ),
                (
                    "Frank Herbert.md",
                    "---\nborn: 1920\n---\nWrote [[Dune]].\n",
                ),
                ("Textbook.md", "# Textbook\n"),
            ],
            ["cover.png"],
        )
    }

    /// Evaluates `text` for the row `row` (a path) of [`vault`].
    pub fn eval_in(row: Option<&str>, text: &str) -> Result<Value, String> {
        let vault = vault();
        let context = Context::new(&vault).at(
            jiff::civil::datetime(2025, 6, 1, 12, 0, 0, 0),
            jiff::tz::TimeZone::UTC,
        );
        let row = row
            .and_then(|path| vault.note_by_path(path))
            .map(FileId::Note);
        let ev = Evaluator::new(&context, &[], row);
        let expr = parse_expression(text).map_err(|e| e.to_string())?;
        ev.eval(&expr, &Scope::EMPTY).map_err(|e| e.0)
    }

    /// Evaluates `text` with no row, as text.
    pub fn text(text: &str) -> String {
        let vault = vault();
        match eval_in(None, text) {
            Ok(value) => value.text(&vault),
            Err(err) => format!("error: {err}"),
        }
    }

    /// Evaluates `text` with no row.
    pub fn eval(text: &str) -> Value {
        eval_in(None, text).unwrap_or_else(|err| panic!("{text}: {err}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::parse_expression;

    #[test]
    fn unknown_functions_and_wrong_counts_are_found_before_running() {
        let err = |text: &str| parse_expression(text).unwrap_err().to_string();
        assert_eq!(err("x + nope(1)"), "1:5: unknown function `nope`");
        assert_eq!(
            err("lower(\"A\")"),
            "1:1: unknown function `lower`; `lower` is a method: write `value.lower(…)`"
        );
        assert_eq!(err("if(a)"), "1:1: `if` takes 2 to 3 arguments, not 1");
        assert_eq!(
            err("a.round(1, 2)"),
            "1:3: `round` takes 0 to 1 arguments, not 2"
        );
        assert_eq!(err("now(1)"), "1:1: `now` takes 0 arguments, not 1");
        assert_eq!(
            err("a.b.frobnicate()"),
            "1:5: unknown function `frobnicate`"
        );
        assert!(parse_expression("a.containsAny(1, 2, 3)").is_ok());
    }

    #[test]
    fn function_names_are_unique_within_a_family() {
        let mut seen = std::collections::HashSet::new();
        for (family, signature) in all() {
            assert!(
                seen.insert((family, signature.name)),
                "{family} {}",
                signature.name
            );
        }
    }
}
