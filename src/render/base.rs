//! A base view's rows: an aligned table, JSON, CSV, a Markdown table, or paths.

use std::io::{self, Write};

use rayon::prelude::*;

use serde_json::{Map, Value as Json, json};

use super::Palette;
use crate::base::{Value, ViewResult};
use crate::vault::Vault;

/// The JSON contract: `{"base","view","columns":[{"id","name"}],
/// "groups":[{"key","rows":[{"path","values":{}}]}],"summaries":{}}`.
pub fn json(out: &mut dyn Write, base: &str, result: &ViewResult, vault: &Vault) -> io::Result<()> {
    let columns: Vec<Json> = result
        .columns
        .iter()
        .map(|c| json!({ "id": c.id, "name": c.name }))
        .collect();
    let groups: Vec<Json> = result
        .groups
        .iter()
        .map(|group| {
            let rows: Vec<Json> = group
                .rows
                .iter()
                .map(|row| {
                    let values: Map<String, Json> = result
                        .columns
                        .iter()
                        .zip(&row.values)
                        .map(|(c, v)| (c.id.clone(), v.to_json(vault)))
                        .collect();
                    json!({ "path": row.path, "values": values })
                })
                .collect();
            json!({ "key": group.key.to_json(vault), "rows": rows })
        })
        .collect();
    let summaries: Map<String, Json> = result
        .summaries
        .iter()
        .map(|(id, v)| (id.clone(), v.to_json(vault)))
        .collect();
    super::json(
        out,
        &json!({
            "base": base,
            "view": result.view,
            "columns": columns,
            "groups": groups,
            "summaries": summaries,
        }),
    )
}

/// One path per line.
pub fn paths(out: &mut dyn Write, result: &ViewResult) -> io::Result<()> {
    for row in result.rows() {
        writeln!(out, "{}", row.path)?;
    }
    Ok(())
}

/// CSV: the column headings, then one line per row.
pub fn csv(out: &mut dyn Write, result: &ViewResult, vault: &Vault) -> io::Result<()> {
    let mut writer = ::csv::Writer::from_writer(out);
    writer.write_record(result.columns.iter().map(|c| &c.name))?;
    for row in result.rows() {
        writer.write_record(row.values.iter().map(|v| v.text(vault)))?;
    }
    writer.flush()
}

/// An aligned table; grouped rows under their group's value; summaries last.
pub fn table(
    out: &mut dyn Write,
    result: &ViewResult,
    vault: &Vault,
    palette: Palette,
) -> io::Result<()> {
    let headings: Vec<Cell> = result
        .columns
        .iter()
        .map(|c| Cell::new(c.name.clone()))
        .collect();
    // Cells are computed on all cores: a view can have many thousands of rows.
    let cells: Vec<Vec<Vec<Cell>>> = result
        .groups
        .iter()
        .map(|g| {
            g.rows
                .par_iter()
                .map(|r| {
                    (r.values.iter())
                        .map(|v| Cell::new(one_line(v.text(vault))))
                        .collect()
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = (0..headings.len())
        .map(|i| {
            cells
                .iter()
                .flatten()
                .map(|row: &Vec<Cell>| row[i].width)
                .chain([headings[i].width])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut line = String::new();
    writeln!(
        out,
        "{}",
        palette.title(fill(&mut line, &headings, &widths))
    )?;
    let grouped = result.groups.len() > 1 || result.groups.iter().any(|g| g.key != Value::Null);
    for (group, rows) in result.groups.iter().zip(&cells) {
        if grouped {
            writeln!(
                out,
                "{}",
                palette.dim(format!("── {}", group_name(&group.key, vault)))
            )?;
        }
        for row in rows {
            writeln!(out, "{}", fill(&mut line, row, &widths))?;
        }
    }
    for (id, value) in &result.summaries {
        writeln!(
            out,
            "{}",
            palette.dim(format!("{id}: {}", value.text(vault)))
        )?;
    }
    Ok(())
}

/// A Markdown table (links as wikilinks), one per group under a heading
/// with the group's value; summaries as a list after.
pub fn markdown(out: &mut dyn Write, result: &ViewResult, vault: &Vault) -> io::Result<()> {
    let grouped = result.groups.len() > 1 || result.groups.iter().any(|g| g.key != Value::Null);
    let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    for (i, group) in result.groups.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        if grouped {
            writeln!(out, "### {}\n", cell(&group_name(&group.key, vault)))?;
        }
        writeln!(
            out,
            "{}",
            row(result.columns.iter().map(|c| cell(&c.name)).collect())
        )?;
        writeln!(
            out,
            "{}",
            row(result.columns.iter().map(|_| "---".to_owned()).collect())
        )?;
        for r in &group.rows {
            writeln!(
                out,
                "{}",
                row(r.values.iter().map(|v| cell(&v.markdown(vault))).collect())
            )?;
        }
    }
    if !result.summaries.is_empty() {
        writeln!(out)?;
        for (id, value) in &result.summaries {
            writeln!(out, "- **{}**: {}", cell(id), cell(&value.markdown(vault)))?;
        }
    }
    Ok(())
}

fn group_name(key: &Value, vault: &Vault) -> String {
    match key {
        Value::Null => "(none)".to_owned(),
        other => other.text(vault),
    }
}

/// Text for a table cell: pipes escaped, line breaks as `<br>`.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Fills `line` (a buffer each line reuses) with the cells of `row`, padded
/// to `widths`, and gives it without trailing blanks.
fn fill<'l>(line: &'l mut String, row: &[Cell], widths: &[usize]) -> &'l str {
    line.clear();
    for (i, (cell, width)) in row.iter().zip(widths).enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        line.push_str(&cell.text);
        line.extend(std::iter::repeat_n(' ', width - cell.width));
    }
    line.trim_end()
}

/// A table cell's text and its width in characters.
struct Cell {
    text: String,
    width: usize,
}

impl Cell {
    fn new(text: String) -> Self {
        let width = text.chars().count();
        Self { text, width }
    }
}

fn one_line(mut text: String) -> String {
    if text.contains(['\n', '\r']) {
        text = text.replace(['\n', '\r'], " ");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::{Column, Group, Row};
    use crate::vault::FileId;

    #[test]
    fn table_pads_by_characters_keeps_cells_on_one_line_and_trims_line_ends() {
        let vault = Vault::from_sources([("é.md", ""), ("b.md", "")], Vec::<String>::new());
        let row = |path: &str, values: Vec<Value>| Row {
            file: FileId::Attachment(0),
            path: path.to_owned(),
            values,
        };
        let column = |id: &str| Column {
            id: id.to_owned(),
            name: id.to_owned(),
        };
        let result = ViewResult {
            view: "v".to_owned(),
            kind: "table".to_owned(),
            columns: vec![column("name"), column("note")],
            groups: vec![Group {
                key: Value::Null,
                rows: vec![
                    row("é.md", vec![Value::String("é".into()), Value::Null]),
                    row(
                        "b.md",
                        vec![
                            Value::String("bb\nb".into()),
                            Value::String("x\r\ny".into()),
                        ],
                    ),
                ],
            }],
            summaries: vec![("note".to_owned(), Value::Number(2.0))],
            problems: Vec::new(),
        };
        let mut out = Vec::new();
        table(&mut out, &result, &vault, Palette::new(false)).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "name  note\né\nbb b  x  y\nnote: 2\n"
        );
    }
}
