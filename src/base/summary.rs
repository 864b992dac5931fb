//! The built-in summaries of a view's column.

use super::functions::list::{mean, numbers};
use super::value::{Date, Value, equals, sort_order};
use crate::vault::Vault;

/// The built-in summaries, by name.
pub const BUILTIN: &[&str] = &[
    "Average",
    "Min",
    "Max",
    "Sum",
    "Range",
    "Median",
    "Stddev",
    "Earliest",
    "Latest",
    "Checked",
    "Unchecked",
    "Empty",
    "Filled",
    "Unique",
];

/// Whether `name` is a built-in summary.
pub fn is_builtin(name: &str) -> bool {
    BUILTIN.contains(&name)
}

/// The built-in summary `name` over a column's values. Number summaries
/// read the numbers among them, date summaries the dates; `Range` is a
/// number's difference, or a duration between dates.
pub fn builtin(name: &str, values: &[Value], vault: &Vault) -> Value {
    let count = |keep: &dyn Fn(&Value) -> bool| {
        Value::Number(values.iter().filter(|v| keep(v)).count() as f64)
    };
    let mut sorted: Vec<f64> = numbers(values).collect();
    sorted.sort_by(f64::total_cmp);
    let dates: Vec<Date> = values
        .iter()
        .filter_map(|v| match v {
            Value::Date(date) => Some(*date),
            _ => None,
        })
        .collect();
    let number = |n: Option<f64>| n.map_or(Value::Null, Value::Number);
    let date = |d: Option<&Date>| d.map_or(Value::Null, |d| Value::Date(*d));
    match name {
        "Average" => mean(values),
        "Min" => number(sorted.first().copied()),
        "Max" => number(sorted.last().copied()),
        "Sum" => Value::Number(sorted.iter().sum()),
        "Range" if sorted.is_empty() && !dates.is_empty() => {
            let (first, last) = (dates.iter().min(), dates.iter().max());
            match (first, last) {
                (Some(first), Some(last)) => {
                    last.at.since(first.at).map_or(Value::Null, Value::duration)
                }
                _ => Value::Null,
            }
        }
        "Range" => number(
            sorted
                .first()
                .zip(sorted.last())
                .map(|(min, max)| max - min),
        ),
        "Median" => number(median(&sorted)),
        "Stddev" => number(deviation(&sorted)),
        "Earliest" => date(dates.iter().min()),
        "Latest" => date(dates.iter().max()),
        "Checked" => count(&|v| *v == Value::Bool(true)),
        "Unchecked" => count(&|v| *v == Value::Bool(false)),
        "Empty" => count(&Value::is_empty),
        "Filled" => count(&|v| !v.is_empty()),
        "Unique" => {
            let mut filled: Vec<&Value> = values.iter().filter(|v| !v.is_empty()).collect();
            filled.sort_by(|a, b| sort_order(a, b, vault));
            filled.dedup_by(|a, b| equals(a, b));
            Value::Number(filled.len() as f64)
        }
        _ => Value::Null,
    }
}

fn median(sorted: &[f64]) -> Option<f64> {
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        n if n % 2 == 1 => Some(sorted[middle]),
        _ => Some((sorted[middle - 1] + sorted[middle]) / 2.0),
    }
}

/// The population standard deviation.
fn deviation(numbers: &[f64]) -> Option<f64> {
    if numbers.is_empty() {
        return None;
    }
    let n = numbers.len() as f64;
    let mean = numbers.iter().sum::<f64>() / n;
    Some((numbers.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::functions::date::parse_date;

    #[test]
    fn every_builtin_summary() {
        let vault = Vault::from_sources(Vec::<(String, String)>::new(), Vec::<String>::new());
        let n = Value::Number;
        let values = [
            n(2.0),
            n(4.0),
            Value::Null,
            n(4.0),
            n(5.0),
            Value::String(String::new()),
        ];
        let run = |name| builtin(name, &values, &vault);
        assert_eq!(run("Average"), n(3.75));
        assert_eq!(run("Min"), n(2.0));
        assert_eq!(run("Max"), n(5.0));
        assert_eq!(run("Sum"), n(15.0));
        assert_eq!(run("Range"), n(3.0));
        assert_eq!(run("Median"), n(4.0));
        assert_eq!(run("Stddev"), n((1.1875f64).sqrt()));
        assert_eq!(run("Empty"), n(2.0));
        assert_eq!(run("Filled"), n(4.0));
        assert_eq!(run("Unique"), n(3.0));
        let date = |t| Value::Date(parse_date(t).unwrap());
        let dates = [date("2025-01-03"), date("2024-12-30"), Value::Null];
        assert_eq!(builtin("Earliest", &dates, &vault), date("2024-12-30"));
        assert_eq!(builtin("Latest", &dates, &vault), date("2025-01-03"));
        assert_eq!(builtin("Range", &dates, &vault).text(&vault), "4d");
        let flags = [Value::Bool(true), Value::Bool(false), Value::Bool(true)];
        assert_eq!(builtin("Checked", &flags, &vault), n(2.0));
        assert_eq!(builtin("Unchecked", &flags, &vault), n(1.0));
        assert_eq!(builtin("Median", &[], &vault), Value::Null);
    }
}
