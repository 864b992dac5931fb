//! Numbers: `abs`, `ceil`, `floor`, `round`, `toFixed`, `isEmpty`.

use super::{Signature, number_arg, sig};
use crate::base::eval::{EvalError, Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::Value;

pub const FUNCTIONS: &[Signature] = &[
    sig("abs", 0, 0),
    sig("ceil", 0, 0),
    sig("floor", 0, 0),
    sig("isEmpty", 0, 0),
    sig("round", 0, 1),
    sig("toFixed", 1, 1),
];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    let Value::Number(n) = *receiver else {
        return None;
    };
    if !FUNCTIONS.iter().any(|s| s.name == name) {
        return None;
    }
    Some(ev.all(args, scope).and_then(|args| apply(n, name, &args)))
}

fn apply(n: f64, name: &str, args: &[Value]) -> Evaluated {
    let digits = |i: usize| -> Result<i32, EvalError> {
        let digits = args.get(i).map_or(Ok(0.0), |d| number_arg(d, name))?;
        if !(0.0..=100.0).contains(&digits) {
            return Err(EvalError(format!(
                "`{name}` takes 0 to 100 digits, not {digits}"
            )));
        }
        Ok(digits as i32)
    };
    Ok(match name {
        "abs" => Value::Number(n.abs()),
        "ceil" => Value::Number(n.ceil()),
        "floor" => Value::Number(n.floor()),
        "isEmpty" => Value::Bool(n.is_nan()),
        // Halves round up, as JavaScript's Math.round does.
        "round" => {
            let scale = 10f64.powi(digits(0)?);
            Value::Number((n * scale + 0.5).floor() / scale)
        }
        "toFixed" => Value::String(format!("{n:.*}", digits(0)? as usize)),
        _ => unreachable!("checked against FUNCTIONS"),
    })
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use crate::base::value::Value;

    #[test]
    fn number_functions_as_documented() {
        assert_eq!(eval("(-5).abs()"), Value::Number(5.0));
        assert_eq!(eval("(2.1).ceil()"), Value::Number(3.0));
        assert_eq!(eval("(2.9).floor()"), Value::Number(2.0));
        assert_eq!(eval("5.isEmpty()"), Value::Bool(false));
        assert_eq!(eval("(2.5).round()"), Value::Number(3.0));
        assert_eq!(eval("(2.3333).round(2)"), Value::Number(2.33));
        assert_eq!(text("(3.14159).toFixed(2)"), "3.14");
        assert_eq!(
            text("(1).toFixed(-1)"),
            "error: `toFixed` takes 0 to 100 digits, not -1"
        );
    }
}
