//! Search results: ripgrep-like text, JSON, bare paths, CSV and tables.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Palette;
use crate::search::{Hit, Results};

/// Path and title, then the best line with its number and the matched words marked.
pub fn pretty(out: &mut dyn Write, results: &Results, palette: Palette) -> io::Result<()> {
    for (i, hit) in results.hits.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(
            out,
            "{}  {}",
            palette.path(&hit.path),
            palette.title(&hit.title)
        )?;
        if let (Some(line), Some(snippet)) = (hit.line, &hit.snippet) {
            let mut marked = String::new();
            let mut at = 0;
            for &(start, end) in &hit.highlights {
                marked.push_str(&snippet[at..start]);
                marked.push_str(&palette.matched(&snippet[start..end]));
                at = end;
            }
            marked.push_str(&snippet[at..]);
            writeln!(out, "{}:{marked}", palette.dim(line))?;
        }
    }
    if results.total > results.hits.len() {
        writeln!(
            out,
            "\n{}",
            palette.dim(format!(
                "{} of {} notes shown; use --limit to see more",
                results.hits.len(),
                results.total
            ))
        )?;
    }
    Ok(())
}

/// The JSON contract: `{"query","total","hits":[{"path","title","score","line","snippet","tags"}]}`,
/// plus `"fields"` on each hit when fields were asked for.
pub fn json(
    out: &mut dyn Write,
    query: &str,
    results: &Results,
    fields: &[String],
) -> io::Result<()> {
    let hits: Vec<Value> = results
        .hits
        .iter()
        .map(|hit| {
            let mut value = json!({
                "path": hit.path,
                "title": hit.title,
                "score": (f64::from(hit.score) * 1000.0).round() / 1000.0,
                "line": hit.line,
                "snippet": hit.snippet,
                "tags": tags(hit),
            });
            if !fields.is_empty() {
                value["fields"] = fields
                    .iter()
                    .map(|name| (name.clone(), field_json(hit, name)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
            }
            value
        })
        .collect();
    super::json(
        out,
        &json!({ "query": query, "total": results.total, "hits": hits }),
    )
}

/// One path per line, for `xargs` and `fzf`.
pub fn paths(out: &mut dyn Write, results: &Results) -> io::Result<()> {
    for hit in &results.hits {
        writeln!(out, "{}", hit.path)?;
    }
    Ok(())
}

/// A CSV table: a header row, then one row per hit.
pub fn csv(out: &mut dyn Write, results: &Results, columns: &[String]) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(columns)?;
    for hit in &results.hits {
        writer.write_record(columns.iter().map(|c| field_text(hit, c)))?;
    }
    writer.flush()
}

/// An aligned text table, like Dataview's TABLE.
pub fn table(
    out: &mut dyn Write,
    results: &Results,
    columns: &[String],
    palette: Palette,
) -> io::Result<()> {
    let rows: Vec<Vec<String>> = results
        .hits
        .iter()
        .map(|hit| columns.iter().map(|c| field_text(hit, c)).collect())
        .collect();
    let widths: Vec<usize> = (0..columns.len())
        .map(|i| {
            rows.iter()
                .map(|r| r[i].chars().count())
                .chain([columns[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_owned()
    };
    writeln!(out, "{}", palette.title(line(columns)))?;
    for row in &rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}

fn tags(hit: &Hit) -> Vec<&str> {
    hit.note.as_ref().map_or_else(Vec::new, |n| n.tag_names())
}

/// A column's value: `path`, `title`, `tags`, `score`, `line`, or a property.
fn field_json(hit: &Hit, name: &str) -> Value {
    match name {
        "path" => json!(hit.path),
        "title" => json!(hit.title),
        "tags" => json!(tags(hit)),
        "score" => json!(hit.score),
        "line" => json!(hit.line),
        _ => hit
            .note
            .as_ref()
            .and_then(|n| {
                n.properties
                    .iter()
                    .find(|p| p.key.eq_ignore_ascii_case(name))
            })
            .map_or(Value::Null, |p| p.value.clone()),
    }
}

fn field_text(hit: &Hit, name: &str) -> String {
    match field_json(hit, name) {
        Value::Null => String::new(),
        Value::String(s) => s,
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => other.to_string(),
    }
}
