//! Global functions: `if`, `date`, `duration`, `link`, `list`, `now`...

use super::date::{not_a_date, parse_date, parse_duration};
use super::{Signature, number_arg, sig, variadic};
use crate::base::eval::{EvalError, Evaluated, Evaluator, Scope, link_to};
use crate::base::expr::Node;
use crate::base::value::{Date, Link, Markup, Value};
use crate::vault::FileId;

pub const FUNCTIONS: &[Signature] = &[
    sig("escapeHTML", 1, 1),
    sig("date", 1, 1),
    sig("duration", 1, 1),
    sig("file", 1, 1),
    sig("html", 1, 1),
    sig("if", 2, 3),
    sig("image", 1, 1),
    sig("icon", 1, 1),
    sig("link", 1, 2),
    sig("list", 1, 1),
    variadic("max", 1),
    variadic("min", 1),
    sig("now", 0, 0),
    sig("number", 1, 1),
    sig("today", 0, 0),
    sig("random", 0, 0),
];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    if name == "if" {
        return Some(conditional(ev, scope, args));
    }
    let args = match ev.all(args, scope) {
        Ok(args) => args,
        Err(err) => return Some(Err(err)),
    };
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Value::Null);
    let now = ev.context.now;
    Some(Ok(match name {
        "escapeHTML" => Value::String(escape_html(&arg(0).text(ev.vault()))),
        "date" => match arg(0) {
            date @ Value::Date(_) => date,
            Value::String(text) => match parse_date(&text) {
                Some(date) => Value::Date(date),
                None => return Some(Err(not_a_date(&text))),
            },
            Value::Null => Value::Null,
            other => {
                return Some(Err(EvalError(format!(
                    "cannot read a {} as a date",
                    other.type_name()
                ))));
            }
        },
        "duration" => match arg(0) {
            duration @ Value::Duration(_) => duration,
            Value::String(text) => match parse_duration(&text) {
                Some(span) => Value::duration(span),
                None => return Some(Err(EvalError(format!("`{text}` is not a duration")))),
            },
            other => {
                return Some(Err(EvalError(format!(
                    "cannot read a {} as a duration",
                    other.type_name()
                ))));
            }
        },
        "file" => file_of(ev, &arg(0)),
        "html" => Value::Markup(Markup::Html, arg(0).text(ev.vault())),
        "image" => Value::Markup(Markup::Image, target_text(ev, &arg(0))),
        "icon" => Value::Markup(Markup::Icon, arg(0).text(ev.vault())),
        "link" => {
            let mut link = match arg(0) {
                Value::File(file) => link_to(ev.vault(), file),
                Value::Link(link) => *link,
                other => {
                    let text = other.text(ev.vault());
                    ev.wikilink(&text, ev.source_path())
                        .unwrap_or_else(|| Link {
                            file: ev.vault().resolve(&text, ev.source_path()),
                            target: text,
                            display: None,
                        })
                }
            };
            if let Some(display) = args.get(1) {
                link.display = Some(display.text(ev.vault()));
            }
            Value::link(link)
        }
        "list" => match arg(0) {
            list @ Value::List(_) => list,
            other => Value::List(vec![other]),
        },
        "max" | "min" => {
            let numbers: Result<Vec<f64>, EvalError> =
                args.iter().map(|a| number_arg(a, name)).collect();
            let numbers = match numbers {
                Ok(numbers) => numbers,
                Err(err) => return Some(Err(err)),
            };
            let pick = if name == "max" { f64::max } else { f64::min };
            Value::Number(numbers.into_iter().reduce(pick).unwrap_or(f64::NAN))
        }
        "now" => Value::Date(Date {
            at: now,
            has_time: true,
        }),
        "today" => Value::Date(Date {
            at: now.date().to_datetime(jiff::civil::Time::midnight()),
            has_time: false,
        }),
        "number" => match to_number(ev, &arg(0)) {
            Ok(n) => Value::Number(n),
            Err(err) => return Some(Err(err)),
        },
        "random" => Value::Number(ev.random.borrow_mut().f64()),
        _ => return None,
    }))
}

/// `if(condition, then, else?)`, evaluating only the branch taken.
fn conditional(ev: &Evaluator<'_, '_>, scope: &Scope<'_>, args: &[Node]) -> Evaluated {
    let [condition, then, rest @ ..] = args else {
        return Err(EvalError("`if` takes 2 to 3 arguments".to_owned()));
    };
    if ev.node(condition, scope)?.is_truthy() {
        ev.node(then, scope)
    } else {
        rest.first()
            .map_or(Ok(Value::Null), |otherwise| ev.node(otherwise, scope))
    }
}

/// `number(value)`: dates as milliseconds since the epoch, booleans as 1 or 0.
fn to_number(ev: &Evaluator<'_, '_>, value: &Value) -> Result<f64, EvalError> {
    match value {
        Value::Number(n) => Ok(*n),
        Value::Bool(b) => Ok(f64::from(u8::from(*b))),
        Value::Date(date) => ev
            .context
            .time_zone
            .to_timestamp(date.at)
            .map(|t| t.as_millisecond() as f64)
            .map_err(|err| EvalError(err.to_string())),
        Value::Duration(span) => Ok(crate::base::value::duration_millis(span)),
        Value::String(text) => {
            let trimmed = text.trim();
            if trimmed.is_empty() {
                return Ok(0.0);
            }
            trimmed
                .parse::<f64>()
                .map_err(|_| EvalError(format!("`{text}` is not a number")))
        }
        other => Err(EvalError(format!(
            "cannot read a {} as a number",
            other.type_name()
        ))),
    }
}

/// `file(path | link | file)`: the file, or nothing when none matches.
fn file_of(ev: &Evaluator<'_, '_>, value: &Value) -> Value {
    let vault = ev.vault();
    let found = match value {
        Value::File(file) => Some(*file),
        Value::Link(link) => link.file,
        Value::String(text) => {
            let exact =
                (vault.note_by_path(text).map(FileId::Note)).or_else(|| vault.attachment(text));
            exact
                .or_else(|| ev.wikilink(text, ev.source_path()).and_then(|l| l.file))
                .or_else(|| vault.resolve(text, ev.source_path()))
        }
        _ => None,
    };
    found.map_or(Value::Null, Value::File)
}

/// What `image()` shows: a file's path, a link's target, or the text.
fn target_text(ev: &Evaluator<'_, '_>, value: &Value) -> String {
    match value {
        Value::File(file) => ev.vault().file_path(*file).to_owned(),
        Value::Link(link) => link.file.map_or_else(
            || link.target.clone(),
            |f| ev.vault().file_path(f).to_owned(),
        ),
        other => other.text(ev.vault()),
    }
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, eval_in, text};
    use crate::base::value::Value;

    #[test]
    fn global_functions() {
        assert_eq!(
            text("escapeHTML(\"<a href='x'>&</a>\")"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(text("date(\"2025-01-01 12:00:00\")"), "2025-01-01T12:00:00");
        assert_eq!(text("date(\"2025-01-01\")"), "2025-01-01");
        assert_eq!(text("date(\"soon\")"), "error: `soon` is not a date");
        assert_eq!(text("duration(\"1d\") * 2"), "2d");
        assert_eq!(text("if(1 > 2, \"yes\", \"no\")"), "no");
        assert_eq!(eval("if(false, 1)"), Value::Null);
        assert_eq!(text("if(true, 1, number(\"x\"))"), "1");
        assert_eq!(text("list(\"value\")"), "value");
        assert_eq!(eval("list([1, 2]).length"), Value::Number(2.0));
        assert_eq!(eval("max(1, 5, 3)"), Value::Number(5.0));
        assert_eq!(eval("min(4, -1)"), Value::Number(-1.0));
        assert_eq!(text("now()"), "2025-06-01T12:00:00");
        assert_eq!(text("today()"), "2025-06-01");
        assert_eq!(eval("number(\"3.4\")"), Value::Number(3.4));
        assert_eq!(eval("number(true)"), Value::Number(1.0));
        assert_eq!(
            eval("number(date(\"1970-01-02\"))"),
            Value::Number(86_400_000.0)
        );
        assert_eq!(text("number(\"x\")"), "error: `x` is not a number");
        let random = eval("random()");
        assert!(matches!(random, Value::Number(n) if (0.0..1.0).contains(&n)));
        assert_eq!(text("html(\"<b>x</b>\")"), "<b>x</b>");
        assert_eq!(text("icon(\"arrow-right\")"), "arrow-right");
        assert_eq!(
            text("image(\"https://obsidian.md/x.svg\")"),
            "https://obsidian.md/x.svg"
        );
    }

    #[test]
    fn links_and_files_resolve_as_everywhere_in_the_vault() {
        assert_eq!(text("link(\"Dune\").asFile()"), "Books/Dune.md");
        assert_eq!(text("link(\"Dune\", \"the book\")"), "the book");
        assert_eq!(text("file(\"Books/Dune.md\").name"), "Dune.md");
        assert_eq!(text("file(link(\"[[Dune]]\")).basename"), "Dune");
        assert_eq!(text("file(\"cover.png\").ext"), "png");
        assert_eq!(eval("file(\"nothing\")"), Value::Null);
        assert_eq!(
            eval_in(Some("Books/Dune.md"), "author == link(\"Frank Herbert\")"),
            Ok(Value::Bool(true))
        );
    }
}
