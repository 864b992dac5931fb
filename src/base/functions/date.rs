//! Dates: fields, `date()`, `format()` (Moment.js patterns), `time()`,
//! `relative()`; and reading dates and durations from text.

use jiff::Span;
use jiff::civil::{DateTime, Time};

use super::{Signature, sig, text_arg};
use crate::base::eval::{EvalError, Evaluated, Evaluator, Scope};
use crate::base::expr::Node;
use crate::base::value::{Date, Value};

pub const FUNCTIONS: &[Signature] = &[
    sig("date", 0, 0),
    sig("format", 1, 1),
    sig("time", 0, 0),
    sig("relative", 0, 0),
    sig("isEmpty", 0, 0),
];

pub fn call(
    ev: &Evaluator<'_, '_>,
    scope: &Scope<'_>,
    receiver: &Value,
    name: &str,
    args: &[Node],
) -> Option<Evaluated> {
    let Value::Date(date) = receiver else {
        return None;
    };
    Some(Ok(match name {
        "date" => Value::Date(Date {
            at: date.at.date().to_datetime(Time::midnight()),
            has_time: false,
        }),
        "format" => {
            let pattern = match ev
                .node(&args[0], scope)
                .and_then(|p| text_arg(&p, "format"))
            {
                Ok(pattern) => pattern,
                Err(err) => return Some(Err(err)),
            };
            Value::String(format(date.at, &pattern))
        }
        "time" => Value::String(format(date.at, "HH:mm:ss")),
        "relative" => Value::String(relative(date.at, ev.context.now)),
        "isEmpty" => Value::Bool(false),
        _ => return None,
    }))
}

/// `date.year` and the other fields.
pub fn field(date: &Date, name: &str) -> Value {
    let at = date.at;
    let n = |v: i64| Value::Number(v as f64);
    match name {
        "year" => n(at.year().into()),
        "month" => n(at.month().into()),
        "day" => n(at.day().into()),
        "hour" => n(at.hour().into()),
        "minute" => n(at.minute().into()),
        "second" => n(at.second().into()),
        "millisecond" => n(at.millisecond().into()),
        _ => Value::Null,
    }
}

/// Reads `YYYY-MM-DD`, optionally followed by ` HH:mm[:ss[.SSS]]` or
/// `THH:mm…`; a trailing `Z` or offset is ignored (dates are local).
pub fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() == 10
        && let Ok(date) = text.parse::<jiff::civil::Date>()
    {
        return Some(Date {
            at: date.to_datetime(Time::midnight()),
            has_time: false,
        });
    }
    let normalised = text.replacen(' ', "T", 1);
    let at = normalised.parse::<DateTime>().ok().or_else(|| {
        normalised
            .parse::<jiff::Timestamp>()
            .ok()
            .map(|t| t.to_zoned_datetime(jiff::tz::TimeZone::UTC).datetime())
    })?;
    Some(Date { at, has_time: true })
}

/// Reads a duration: one or more `<number> <unit>` (`1d`, `2 weeks`,
/// `1M 4h`), optionally signed. `M` is months and `m` minutes.
pub fn parse_duration(text: &str) -> Option<Span> {
    let text = text.trim();
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text.strip_prefix('+').unwrap_or(text).trim_start()),
    };
    if rest.is_empty() {
        return None;
    }
    let mut span = Span::new();
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let amount: i64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let letters = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let unit = &rest[..letters];
        rest = rest[letters..].trim_start_matches([' ', ',']);
        span = match unit {
            "y" | "year" | "years" => span.try_years(i64::from(span.get_years()) + amount),
            "M" | "month" | "months" => span.try_months(i64::from(span.get_months()) + amount),
            "w" | "week" | "weeks" => span.try_weeks(i64::from(span.get_weeks()) + amount),
            "d" | "day" | "days" => span.try_days(i64::from(span.get_days()) + amount),
            "h" | "hour" | "hours" => span.try_hours(i64::from(span.get_hours()) + amount),
            "m" | "minute" | "minutes" => span.try_minutes(span.get_minutes() + amount),
            "s" | "second" | "seconds" => span.try_seconds(span.get_seconds() + amount),
            _ => return None,
        }
        .ok()?;
    }
    Some(if negative { span.negate() } else { span })
}

/// Formats with a Moment.js pattern: `YYYY YY Q MMMM MMM MM M DDDD DDD DD D
/// Do dddd ddd dd d HH H hh h mm m ss s SSS A a X x`, `[literal text]`.
pub fn format(at: DateTime, pattern: &str) -> String {
    const TOKENS: &[&str] = &[
        "YYYY", "YY", "Q", "MMMM", "MMM", "MM", "M", "DDDD", "DDD", "DD", "Do", "D", "dddd", "ddd",
        "dd", "d", "HH", "H", "hh", "h", "mm", "m", "ss", "s", "SSS", "A", "a", "X", "x",
    ];
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const DAYS: [&str; 7] = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let mut out = String::new();
    let mut rest = pattern;
    let hour12 = match at.hour() % 12 {
        0 => 12,
        h => h,
    };
    let weekday = usize::try_from(at.weekday().to_sunday_zero_offset()).unwrap_or(0);
    let month = usize::try_from(at.month() - 1).unwrap_or(0);
    let epoch_seconds = at
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_second());
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            let close = rest.find(']').unwrap_or(rest.len());
            out.push_str(&rest[1..close]);
            rest = rest.get(close + 1..).unwrap_or("");
            continue;
        }
        let Some(token) = TOKENS.iter().find(|t| rest.starts_with(**t)) else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        rest = &rest[token.len()..];
        let piece = match *token {
            "YYYY" => format!("{:04}", at.year()),
            "YY" => format!("{:02}", at.year().rem_euclid(100)),
            "Q" => ((at.month() - 1) / 3 + 1).to_string(),
            "MMMM" => MONTHS[month].to_owned(),
            "MMM" => MONTHS[month][..3].to_owned(),
            "MM" => format!("{:02}", at.month()),
            "M" => at.month().to_string(),
            "DDDD" => format!("{:03}", at.day_of_year()),
            "DDD" => at.day_of_year().to_string(),
            "DD" => format!("{:02}", at.day()),
            "Do" => ordinal(at.day()),
            "D" => at.day().to_string(),
            "dddd" => DAYS[weekday].to_owned(),
            "ddd" => DAYS[weekday][..3].to_owned(),
            "dd" => DAYS[weekday][..2].to_owned(),
            "d" => weekday.to_string(),
            "HH" => format!("{:02}", at.hour()),
            "H" => at.hour().to_string(),
            "hh" => format!("{hour12:02}"),
            "h" => hour12.to_string(),
            "mm" => format!("{:02}", at.minute()),
            "m" => at.minute().to_string(),
            "ss" => format!("{:02}", at.second()),
            "s" => at.second().to_string(),
            "SSS" => format!("{:03}", at.millisecond()),
            "A" => if at.hour() < 12 { "AM" } else { "PM" }.to_owned(),
            "a" => if at.hour() < 12 { "am" } else { "pm" }.to_owned(),
            "X" => epoch_seconds.to_string(),
            _ => (epoch_seconds * 1000 + i64::from(at.millisecond())).to_string(),
        };
        out.push_str(&piece);
    }
    out
}

fn ordinal(day: i8) -> String {
    let suffix = match (day % 10, day % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{day}{suffix}")
}

/// How long ago (or from now) `at` is, in Moment.js's words.
pub fn relative(at: DateTime, now: DateTime) -> String {
    let seconds = now.duration_since(at).as_secs_f64();
    let past = seconds >= 0.0;
    let s = seconds.abs();
    let (minutes, hours, days) = (s / 60.0, s / 3600.0, s / 86400.0);
    let amount = |n: f64, one: &str, many: &str| {
        let n = n.round();
        if n <= 1.0 {
            one.to_owned()
        } else {
            format!("{n} {many}")
        }
    };
    let phrase = if s < 45.0 {
        "a few seconds".to_owned()
    } else if s < 90.0 {
        "a minute".to_owned()
    } else if minutes < 45.0 {
        amount(minutes, "a minute", "minutes")
    } else if minutes < 90.0 {
        "an hour".to_owned()
    } else if hours < 22.0 {
        amount(hours, "an hour", "hours")
    } else if hours < 36.0 {
        "a day".to_owned()
    } else if days < 26.0 {
        amount(days, "a day", "days")
    } else if days < 45.0 {
        "a month".to_owned()
    } else if days < 320.0 {
        amount(days / 30.4, "a month", "months")
    } else if days < 548.0 {
        "a year".to_owned()
    } else {
        amount(days / 365.25, "a year", "years")
    };
    if past {
        format!("{phrase} ago")
    } else {
        format!("in {phrase}")
    }
}

/// The error for a date that is not one, shared by callers.
pub fn not_a_date(text: &str) -> EvalError {
    EvalError(format!("`{text}` is not a date"))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{eval, text};
    use super::*;
    use crate::base::value::Value;

    #[test]
    fn date_fields_and_functions() {
        let d = "date(\"2025-05-27 14:05:09\")";
        assert_eq!(eval(&format!("{d}.year")), Value::Number(2025.0));
        assert_eq!(eval(&format!("{d}.month")), Value::Number(5.0));
        assert_eq!(eval(&format!("{d}.day")), Value::Number(27.0));
        assert_eq!(eval(&format!("{d}.hour")), Value::Number(14.0));
        assert_eq!(eval(&format!("{d}.minute")), Value::Number(5.0));
        assert_eq!(eval(&format!("{d}.second")), Value::Number(9.0));
        assert_eq!(eval(&format!("{d}.millisecond")), Value::Number(0.0));
        assert_eq!(text(&format!("{d}.date()")), "2025-05-27");
        assert_eq!(
            text(&format!("{d}.date().format(\"YYYY-MM-DD HH:mm:ss\")")),
            "2025-05-27 00:00:00"
        );
        assert_eq!(
            text(&format!(
                "{d}.format(\"dddd, MMMM Do YYYY, h:mm A [at] X\")"
            )),
            "Tuesday, May 27th 2025, 2:05 PM at 1748354709"
        );
        assert_eq!(text(&format!("{d}.time()")), "14:05:09");
        assert_eq!(eval(&format!("{d}.isEmpty()")), Value::Bool(false));
        assert_eq!(text("date(\"2025-05-29\").relative()"), "4 days ago");
        assert_eq!(text("(now() + \"2h\").relative()"), "in 2 hours");
    }

    #[test]
    fn durations_read_every_unit_form() {
        let ms = |text: &str| crate::base::value::duration_millis(&parse_duration(text).unwrap());
        assert_eq!(ms("1d"), 86_400_000.0);
        assert_eq!(ms("2 weeks"), 14.0 * 86_400_000.0);
        assert_eq!(ms("1h 30m"), 5_400_000.0);
        assert_eq!(ms("-5s"), -5000.0);
        assert_eq!(parse_duration("1M").unwrap().get_months(), 1);
        assert!(parse_duration("1 fortnight").is_none());
        assert!(parse_duration("").is_none());
    }

    #[test]
    fn dates_read_with_or_without_time() {
        assert!(!parse_date("2024-01-05").unwrap().has_time);
        assert_eq!(parse_date("2024-01-05T10:30").unwrap().at.minute(), 30);
        assert_eq!(parse_date("2024-01-05 10:30:15").unwrap().at.second(), 15);
        assert_eq!(parse_date("2024-02-30"), None);
        assert_eq!(not_a_date("x").0, "`x` is not a date");
    }
}
