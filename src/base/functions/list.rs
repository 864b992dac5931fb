//! Lists: `contains`, `filter`, `map`, `reduce`, `join`, `sort`, `unique`...
//!
//! `filter`, `map` and `reduce` evaluate their argument once per item, with
//! `value`, `index` (and `acc` for `reduce`) bound to the item.

use super::{Signature, number_arg, sig, slice_bounds, variadic};
use crate::base::eval::{EvalError, Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::{Value, equals, sort_order};

pub const FUNCTIONS: &[Signature] = &[
    sig("contains", 1, 1),
    variadic("containsAll", 1),
    variadic("containsAny", 1),
    sig("filter", 1, 1),
    sig("flat", 0, 0),
    sig("isEmpty", 0, 0),
    sig("join", 0, 1),
    sig("map", 1, 1),
    sig("mean", 0, 0),
    sig("reduce", 2, 2),
    sig("reverse", 0, 0),
    sig("slice", 1, 2),
    sig("sort", 0, 0),
    sig("unique", 0, 0),
];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    let Value::List(items) = receiver else {
        return None;
    };
    Some(match name {
        "filter" => each(
            ev,
            scope,
            items,
            &args[0],
            |item, kept: &mut Vec<Value>, keep: Value| {
                if keep.is_truthy() {
                    kept.push(item.clone());
                }
            },
        ),
        "map" => each(
            ev,
            scope,
            items,
            &args[0],
            |_, mapped: &mut Vec<Value>, value| {
                mapped.push(value);
            },
        ),
        "reduce" => reduce(ev, scope, items, &args[0], &args[1]),
        _ if FUNCTIONS.iter().any(|s| s.name == name) => ev
            .all(args, scope)
            .and_then(|args| apply(ev, items, name, &args)),
        _ => return None,
    })
}

/// Evaluates `expression` for each item and lets `step` build the new list.
fn each(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    items: &[Value],
    expression: &Node,
    step: impl Fn(&Value, &mut Vec<Value>, Value),
) -> Evaluated {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let index = Value::Number(i as f64);
        let inner = scope.with("index", &index);
        let inner = inner.with("value", item);
        step(item, &mut out, ev.node(expression, &inner)?);
    }
    Ok(Value::List(out))
}

fn reduce(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    items: &[Value],
    expression: &Node,
    initial: &Node,
) -> Evaluated {
    let mut acc = ev.node(initial, scope)?;
    for (i, item) in items.iter().enumerate() {
        let index = Value::Number(i as f64);
        let inner = scope.with("index", &index);
        let inner = inner.with("value", item);
        let inner = inner.with("acc", &acc);
        acc = ev.node(expression, &inner)?;
    }
    Ok(acc)
}

fn apply(ev: &Evaluator<'_, '_>, items: &[Value], name: &str, args: &[Value]) -> Evaluated {
    let contains = |wanted: &Value| items.iter().any(|item| equals(item, wanted));
    Ok(match name {
        "contains" => Value::Bool(contains(&args[0])),
        "containsAll" => Value::Bool(args.iter().all(contains)),
        "containsAny" => Value::Bool(args.iter().any(contains)),
        "flat" => Value::List(
            items
                .iter()
                .flat_map(|item| match item {
                    Value::List(inner) => inner.clone(),
                    other => vec![other.clone()],
                })
                .collect(),
        ),
        "isEmpty" => Value::Bool(items.is_empty()),
        "join" => {
            let separator = args
                .first()
                .map_or_else(|| ",".to_owned(), |s| s.text(ev.vault()));
            Value::String(
                items
                    .iter()
                    .map(|item| item.text(ev.vault()))
                    .collect::<Vec<_>>()
                    .join(&separator),
            )
        }
        "mean" => mean(items),
        "reverse" => Value::List(items.iter().rev().cloned().collect()),
        "slice" => {
            let end = args.get(1).map(|e| number_arg(e, name)).transpose()?;
            let (start, end) = slice_bounds(items.len(), number_arg(&args[0], name)?, end);
            Value::List(items[start..end].to_vec())
        }
        "sort" => {
            let mut sorted = items.to_vec();
            sorted.sort_by(|a, b| sort_order(a, b, ev.vault()));
            Value::List(sorted)
        }
        "unique" => {
            let mut unique: Vec<Value> = Vec::new();
            for item in items {
                if !unique.iter().any(|u| equals(u, item)) {
                    unique.push(item.clone());
                }
            }
            Value::List(unique)
        }
        _ => return Err(EvalError(format!("a list has no function `{name}`"))),
    })
}

/// The mean of the numbers of a list (other items ignored); nothing when it has none.
pub fn mean(items: &[Value]) -> Value {
    let numbers: Vec<f64> = numbers(items).collect();
    if numbers.is_empty() {
        return Value::Null;
    }
    Value::Number(numbers.iter().sum::<f64>() / numbers.len() as f64)
}

/// The numbers among `items`.
pub fn numbers(items: &[Value]) -> impl Iterator<Item = f64> + '_ {
    items.iter().filter_map(|item| match item {
        Value::Number(n) if !n.is_nan() => Some(*n),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use crate::base::value::Value;

    #[test]
    fn list_functions_as_documented() {
        let yes = Value::Bool(true);
        assert_eq!(eval("[1,2,3].length"), Value::Number(3.0));
        assert_eq!(eval("[1,2,3].contains(2)"), yes);
        assert_eq!(eval("[1,2,3].containsAll(2,3)"), yes);
        assert_eq!(eval("[1,2,3].containsAny(3,4)"), yes);
        assert_eq!(text("[1,2,3,4].filter(value > 2)"), "3, 4");
        assert_eq!(text("[5,6,7].filter(index != 1)"), "5, 7");
        assert_eq!(text("[1,[2,3]].flat()"), "1, 2, 3");
        assert_eq!(eval("[1,2,3].isEmpty()"), Value::Bool(false));
        assert_eq!(text("[1,2,3].join(\",\")"), "1,2,3");
        assert_eq!(text("[1,2,3,4].map(value + 1)"), "2, 3, 4, 5");
        assert_eq!(eval("[1,2,3].reduce(acc + value, 0)"), Value::Number(6.0));
        assert_eq!(
            eval(
                "[3, \"x\", 7, 5].filter(value.isType(\"number\")).reduce(if(acc == null || value > acc, value, acc), null)"
            ),
            Value::Number(7.0)
        );
        assert_eq!(text("[1,2,3].reverse()"), "3, 2, 1");
        assert_eq!(text("[1,2,3,4].slice(1,3)"), "2, 3");
        assert_eq!(text("[3, 1, 2].sort()"), "1, 2, 3");
        assert_eq!(text("[\"c\", \"a\", \"b\"].sort()"), "a, b, c");
        assert_eq!(text("[1,2,2,3].unique()"), "1, 2, 3");
        assert_eq!(eval("[1,2,3,4].mean().round(3)"), Value::Number(2.5));
        assert_eq!(eval("[1,2][5]"), Value::Null);
        assert_eq!(eval("[1,2][-1]"), Value::Number(2.0));
    }
}
