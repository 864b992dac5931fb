//! Operators: arithmetic as in JavaScript, date arithmetic with durations,
//! and comparisons.
//!
//! A missing value (`null`) on either side of arithmetic gives `null`, so
//! that a formula over a property some notes lack leaves their cell empty.

use jiff::Span;

use super::eval::{EvalError, Evaluated, Evaluator};
use super::expr::BinaryOp;
use super::functions::date::parse_duration;
use super::value::{Date, Value, compare, duration_millis, equals};

/// `-value`.
pub fn negate(value: Value) -> Evaluated {
    match value {
        Value::Null => Ok(Value::Null),
        Value::Number(n) => Ok(Value::Number(-n)),
        Value::Duration(span) => Ok(Value::duration(span.negate())),
        other => Err(EvalError(format!("cannot negate a {}", other.type_name()))),
    }
}

/// `a op b` for every operator but `&&` and `||` (which short-circuit).
pub fn binary(ev: &Evaluator<'_, '_>, op: BinaryOp, a: Value, b: Value) -> Evaluated {
    use BinaryOp::{Add, Div, Eq, Ge, Gt, Le, Lt, Mul, Ne, Rem, Sub};
    let ordered = |wanted: fn(std::cmp::Ordering) -> bool, a, b| {
        let (a, b) = dates_from_text(a, b);
        Value::Bool(compare(&a, &b).is_some_and(wanted))
    };
    Ok(match op {
        Eq => {
            let (a, b) = dates_from_text(a, b);
            Value::Bool(equals(&a, &b))
        }
        Ne => {
            let (a, b) = dates_from_text(a, b);
            Value::Bool(!equals(&a, &b))
        }
        Lt => ordered(std::cmp::Ordering::is_lt, a, b),
        Le => ordered(std::cmp::Ordering::is_le, a, b),
        Gt => ordered(std::cmp::Ordering::is_gt, a, b),
        Ge => ordered(std::cmp::Ordering::is_ge, a, b),
        Add => add(ev, a, b)?,
        Sub => subtract(a, b)?,
        Mul | Div | Rem => arithmetic(op, a, b)?,
        BinaryOp::And | BinaryOp::Or => unreachable!("short-circuited by the evaluator"),
    })
}

/// Text written as a date compares as a date against a date.
fn dates_from_text(a: Value, b: Value) -> (Value, Value) {
    let as_date = |text: &str| {
        super::functions::date::parse_date(text)
            .map_or_else(|| Value::String(text.to_owned()), Value::Date)
    };
    match (a, b) {
        (a @ Value::Date(_), Value::String(text)) => (a, as_date(&text)),
        (Value::String(text), b @ Value::Date(_)) => (as_date(&text), b),
        pair => pair,
    }
}

fn add(ev: &Evaluator<'_, '_>, a: Value, b: Value) -> Evaluated {
    Ok(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x + y),
        (Value::Date(date), Value::Duration(span)) | (Value::Duration(span), Value::Date(date)) => {
            shift(date, *span)?
        }
        (Value::Date(date), Value::String(text)) => shift(date, duration_of(&text)?)?,
        (Value::Duration(x), Value::Duration(y)) => Value::duration(
            x.checked_add((*y, jiff::civil::date(1970, 1, 1)))
                .map_err(|err| EvalError(err.to_string()))?,
        ),
        (Value::Duration(span), Value::String(text)) => Value::duration(
            span.checked_add((duration_of(&text)?, jiff::civil::date(1970, 1, 1)))
                .map_err(|err| EvalError(err.to_string()))?,
        ),
        (a @ Value::String(_), b) | (a, b @ Value::String(_)) => {
            let vault = ev.vault();
            Value::String(a.text(vault) + &b.text(vault))
        }
        (Value::List(mut x), Value::List(y)) => {
            x.extend(y);
            Value::List(x)
        }
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (a, b) => return Err(mismatch("add", &a, &b)),
    })
}

fn subtract(a: Value, b: Value) -> Evaluated {
    Ok(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(x - y),
        (Value::Date(date), Value::Duration(span)) => shift(date, span.negate())?,
        (Value::Date(date), Value::String(text)) => shift(date, duration_of(&text)?.negate())?,
        (Value::Date(x), Value::Date(y)) => {
            Value::Number(x.at.duration_since(y.at).as_millis() as f64)
        }
        (Value::Duration(x), Value::Duration(y)) => Value::duration(
            x.checked_add((y.negate(), jiff::civil::date(1970, 1, 1)))
                .map_err(|err| EvalError(err.to_string()))?,
        ),
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (a, b) => return Err(mismatch("subtract", &a, &b)),
    })
}

fn arithmetic(op: BinaryOp, a: Value, b: Value) -> Evaluated {
    let apply = |x: f64, y: f64| match op {
        BinaryOp::Mul => x * y,
        BinaryOp::Div => x / y,
        _ => x % y,
    };
    Ok(match (a, b) {
        (Value::Number(x), Value::Number(y)) => Value::Number(apply(x, y)),
        // A duration scales from the left, as in the app.
        (Value::Duration(span), Value::Number(n)) if op != BinaryOp::Rem => {
            scale(&span, if op == BinaryOp::Mul { n } else { 1.0 / n })?
        }
        (Value::Null, _) | (_, Value::Null) => Value::Null,
        (a, b) => {
            let verb = match op {
                BinaryOp::Mul => "multiply",
                BinaryOp::Div => "divide",
                _ => "take the remainder of",
            };
            return Err(mismatch(verb, &a, &b));
        }
    })
}

/// A duration times `factor`: whole factors keep calendar units, others
/// go through milliseconds.
fn scale(span: &Span, factor: f64) -> Evaluated {
    if factor.fract() == 0.0 && factor.abs() < 1e9 {
        return span
            .checked_mul(factor as i64)
            .map(Value::duration)
            .map_err(|err| EvalError(err.to_string()));
    }
    let millis = duration_millis(span) * factor;
    if !millis.is_finite() || millis.abs() > 1e15 {
        return Err(EvalError("the duration is out of range".to_owned()));
    }
    Ok(Value::duration(
        Span::new()
            .try_milliseconds(millis.round() as i64)
            .map_err(|err| EvalError(err.to_string()))?,
    ))
}

fn duration_of(text: &str) -> Result<Span, EvalError> {
    parse_duration(text).ok_or_else(|| EvalError(format!("`{text}` is not a duration")))
}

/// A date moved by a duration; a date without a time stays one unless the
/// duration has hours, minutes or seconds.
fn shift(date: Date, span: Span) -> Evaluated {
    let at = date
        .at
        .checked_add(span)
        .map_err(|err| EvalError(format!("cannot add {span:#} to {}: {err}", date.text())))?;
    let has_time = date.has_time || at.time() != jiff::civil::Time::midnight();
    Ok(Value::Date(Date { at, has_time }))
}

fn mismatch(verb: &str, a: &Value, b: &Value) -> EvalError {
    EvalError(format!(
        "cannot {verb} a {} and a {}",
        a.type_name(),
        b.type_name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::parse_expression;
    use crate::base::{Base, Context};
    use crate::vault::Vault;

    fn eval(text: &str) -> Value {
        let vault = Vault::from_sources(Vec::<(String, String)>::new(), Vec::<String>::new());
        let context = Context::new(&vault).at(
            jiff::civil::datetime(2025, 6, 1, 12, 0, 0, 0),
            jiff::tz::TimeZone::UTC,
        );
        let base = Base::default();
        let ev = Evaluator::new(&context, &base.formulas, None);
        ev.eval(
            &parse_expression(text).unwrap(),
            &super::super::eval::Scope::EMPTY,
        )
        .unwrap()
    }

    fn text(text: &str) -> String {
        let vault = Vault::from_sources(Vec::<(String, String)>::new(), Vec::<String>::new());
        eval(text).text(&vault)
    }

    #[test]
    fn arithmetic_is_javascript_like() {
        assert_eq!(eval("1 + 2 * 3"), Value::Number(7.0));
        assert_eq!(eval("7 % 4 - 1"), Value::Number(2.0));
        assert_eq!(text("\"a\" + 1"), "a1");
        assert_eq!(eval("missing + 1"), Value::Null);
        assert_eq!(eval("1 / 0"), Value::Number(f64::INFINITY));
    }

    #[test]
    fn dates_move_by_durations() {
        assert_eq!(
            text("date(\"2024-12-01\") + \"1M\" + \"4h\" + \"3m\""),
            "2025-01-01T04:03:00"
        );
        assert_eq!(text("date(\"2024-03-31\") - \"1 month\""), "2024-02-29");
        assert_eq!(
            eval("(now() + \"1d\") - now()"),
            Value::Number(86_400_000.0)
        );
        assert_eq!(text("today() + duration('1d') * 2"), "2025-06-03");
        assert_eq!(
            eval("date('2025-01-02') > date('2025-01-01')"),
            Value::Bool(true)
        );
        assert_eq!(eval("date('2025-01-02') > '2025-01-01'"), Value::Bool(true));
    }

    #[test]
    fn mismatched_types_are_errors_not_panics() {
        let vault = Vault::from_sources(Vec::<(String, String)>::new(), Vec::<String>::new());
        let context = Context::new(&vault);
        let base = Base::default();
        let ev = Evaluator::new(&context, &base.formulas, None);
        let expr = parse_expression("true * [1]").unwrap();
        let err = ev
            .eval(&expr, &super::super::eval::Scope::EMPTY)
            .unwrap_err();
        assert_eq!(err.0, "cannot multiply a boolean and a list");
    }
}
