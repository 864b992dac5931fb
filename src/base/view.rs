//! Running a view: one row per file that the base's and the view's filters
//! keep, with its columns computed, sorted, limited, grouped and summarised.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::sync::Mutex;

use rayon::prelude::*;

use super::eval::{Context, Evaluator, Scope};
use super::expr::Expr;
use super::file::{Base, Filter, View};
use super::fold;
use super::summary;
use super::value::{Value, sort_order};
use crate::vault::FileId;

/// A view's result.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewResult {
    /// The view's name.
    pub view: String,
    /// The view's layout.
    pub kind: String,
    /// The columns: id and heading.
    pub columns: Vec<Column>,
    /// The rows, in groups (one group with no key when the view does not group).
    pub groups: Vec<Group>,
    /// Summaries over all rows, by property id.
    pub summaries: Vec<(String, Value)>,
    /// Values that could not be computed (shown empty), once per message.
    pub problems: Vec<String>,
}

/// A column of the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The property id or expression.
    pub id: String,
    /// The heading.
    pub name: String,
}

/// Rows sharing a value of the view's `groupBy` property.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The shared value (`null` when the view does not group).
    pub key: Value,
    /// The rows.
    pub rows: Vec<Row>,
}

/// One file's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The file.
    pub file: FileId,
    /// Its vault path.
    pub path: String,
    /// Column values, in column order.
    pub values: Vec<Value>,
}

impl ViewResult {
    /// Every row, group after group.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.groups.iter().flat_map(|g| &g.rows)
    }

    /// How many rows the view has.
    pub fn row_count(&self) -> usize {
        self.groups.iter().map(|g| g.rows.len()).sum()
    }
}

/// A row while the view is computed: column values, then sort keys, then
/// the group key, then the summarised values.
struct Computed {
    file: FileId,
    path: String,
    values: Vec<Value>,
}

/// The most distinct problems a result keeps.
const MAX_PROBLEMS: usize = 20;

/// Runs the view named `view` of `base` (the first when `None`); `None` when
/// the base has no such view.
pub fn run_view(base: &Base, view: Option<&str>, context: &Context<'_>) -> Option<ViewResult> {
    let view = base.view(view)?;
    let problems = Mutex::new(BTreeSet::new());
    let note = |message: String| {
        if let Ok(mut problems) = problems.lock()
            && problems.len() < MAX_PROBLEMS
        {
            problems.insert(message);
        }
    };
    let constants = Evaluator::new(context, &base.formulas, None);
    let computed_exprs: Vec<Expr> = view
        .columns
        .iter()
        .map(|c| &c.expr)
        .chain(view.sort.iter().chain(&view.group_by).map(|s| &s.expr))
        .chain(view.summaries.iter().map(|s| &s.expr))
        .map(|expr| fold::expr(expr, &constants))
        .collect();
    let filters: Vec<Filter> = [&base.filters, &view.filters]
        .into_iter()
        .flatten()
        .map(|filter| fold::filter(filter, &constants))
        .collect();
    let formulas = fold::formulas(&base.formulas, &constants);
    let vault = context.vault;
    let files: Vec<FileId> = context.files().collect();
    let mut rows: Vec<Computed> = files
        .into_par_iter()
        .filter_map(|file| {
            let ev = Evaluator::new(context, &formulas, Some(file));
            let keep = filters.iter().all(|filter| holds(&ev, filter, &note));
            keep.then(|| Computed {
                file,
                path: vault.file_path(file).to_owned(),
                values: computed_exprs
                    .iter()
                    .map(|expr| {
                        ev.eval(expr, &Scope::EMPTY).unwrap_or_else(|err| {
                            note(format!("{}: {err}", expr.text()));
                            Value::Null
                        })
                    })
                    .collect(),
            })
        })
        .collect();
    let columns = view.columns.len();
    let sorts = view.sort.len();
    rows.sort_by(|a, b| {
        view.sort
            .iter()
            .enumerate()
            .map(|(i, key)| {
                ordered(
                    &a.values[columns + i],
                    &b.values[columns + i],
                    key.descending,
                    context,
                )
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| a.path.cmp(&b.path))
    });
    if let Some(limit) = view.limit {
        rows.truncate(limit);
    }
    let summaries = summarise(
        base,
        view,
        &rows,
        columns + sorts + usize::from(view.group_by.is_some()),
        context,
    );
    let groups = group(view, rows, columns + sorts, context);
    Some(ViewResult {
        view: view.name.clone(),
        kind: view.kind.clone(),
        columns: view
            .columns
            .iter()
            .map(|c| Column {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect(),
        groups,
        summaries,
        problems: problems
            .into_inner()
            .unwrap_or_default()
            .into_iter()
            .collect(),
    })
}

/// Whether a filter keeps the row; a filter that fails does not.
fn holds(ev: &Evaluator<'_, '_>, filter: &Filter, note: &impl Fn(String)) -> bool {
    match filter {
        Filter::And(items) => items.iter().all(|f| holds(ev, f, note)),
        Filter::Or(items) => items.iter().any(|f| holds(ev, f, note)),
        Filter::Not(items) => !items.iter().any(|f| holds(ev, f, note)),
        Filter::Expr(expr) => match ev.eval(expr, &Scope::EMPTY) {
            Ok(value) => value.is_truthy(),
            Err(err) => {
                note(format!("{}: {err}", expr.text()));
                false
            }
        },
    }
}

/// Sort order of two values; empty values last in either direction.
fn ordered(a: &Value, b: &Value, descending: bool, context: &Context<'_>) -> Ordering {
    let order = sort_order(a, b, context.vault);
    if descending && !a.is_empty() && !b.is_empty() {
        order.reverse()
    } else {
        order
    }
}

/// Splits sorted rows into groups by the value at `key`, groups in the
/// `groupBy` direction (rows keep their order within a group).
fn group(view: &View, rows: Vec<Computed>, key: usize, context: &Context<'_>) -> Vec<Group> {
    let columns = view.columns.len();
    let into_row = |mut computed: Computed| {
        computed.values.truncate(columns);
        Row {
            file: computed.file,
            path: computed.path,
            values: computed.values,
        }
    };
    let Some(group_by) = &view.group_by else {
        return vec![Group {
            key: Value::Null,
            rows: rows.into_iter().map(into_row).collect(),
        }];
    };
    let mut groups: Vec<Group> = Vec::new();
    for computed in rows {
        let value = computed.values[key].clone();
        let row = into_row(computed);
        match groups
            .iter_mut()
            .find(|g| super::value::equals(&g.key, &value))
        {
            Some(group) => group.rows.push(row),
            None => groups.push(Group {
                key: value,
                rows: vec![row],
            }),
        }
    }
    groups.sort_by(|a, b| ordered(&a.key, &b.key, group_by.descending, context));
    groups
}

/// The view's summaries over the rows, the summarised values starting at `first`.
fn summarise(
    base: &Base,
    view: &View,
    rows: &[Computed],
    first: usize,
    context: &Context<'_>,
) -> Vec<(String, Value)> {
    view.summaries
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let values: Vec<Value> = rows.iter().map(|r| r.values[first + i].clone()).collect();
            let value = match base.summaries.iter().find(|s| s.name == spec.summary) {
                Some(custom) => {
                    let ev = Evaluator::new(context, &base.formulas, None);
                    let list = Value::List(values);
                    let scope = Scope::EMPTY;
                    let scope = scope.with("values", &list);
                    ev.eval(&custom.expr, &scope).unwrap_or(Value::Null)
                }
                None => summary::builtin(&spec.summary, &values, context.vault),
            };
            (spec.id.clone(), value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::Vault;

    fn vault() -> Vault {
        Vault::from_sources(
            [
                ("a.md", "---\nstatus: draft\nprice: 3\n---\n"),
                ("b.md", "---\nstatus: done\nprice: 10\n---\n"),
                ("c.md", "---\nstatus: draft\nprice: 5\n---\n"),
                ("d.md", "no properties"),
            ],
            ["pic.png"],
        )
    }

    fn run(yaml: &str) -> ViewResult {
        let vault = vault();
        let base = Base::parse(yaml).unwrap();
        let context = Context::new(&vault);
        run_view(&base, None, &context).unwrap()
    }

    fn paths(result: &ViewResult) -> Vec<&str> {
        result.rows().map(|r| r.path.as_str()).collect()
    }

    #[test]
    fn every_file_is_a_row_until_filtered() {
        assert_eq!(paths(&run("")), ["a.md", "b.md", "c.md", "d.md", "pic.png"]);
        assert_eq!(paths(&run("filters: 'file.ext == \"png\"'")), ["pic.png"]);
    }

    #[test]
    fn sort_limit_group_and_summaries() {
        let result = run(
            "summaries:\n  double: 'values.map(value * 2).reduce(acc + value, 0)'\nviews:\n  - type: table\n    filters: 'price'\n    order: [price]\n    sort:\n      - property: price\n        direction: DESC\n    groupBy:\n      property: status\n      direction: ASC\n    limit: 2\n    summaries:\n      price: Sum\n      note.price: double\n",
        );
        assert_eq!(paths(&result), ["b.md", "c.md"]);
        assert_eq!(result.groups[0].key, Value::String("done".into()));
        assert_eq!(result.groups[1].rows[0].values, [Value::Number(5.0)]);
        assert_eq!(
            result.summaries,
            [
                ("note.price".to_owned(), Value::Number(15.0)),
                ("note.price".to_owned(), Value::Number(30.0))
            ]
        );
    }

    #[test]
    fn failures_leave_cells_empty_and_are_reported() {
        let result = run(
            "filters: 'price'\nformulas:\n  bad: 'price * \"x\".lower().length.toFixed(true)'\nviews:\n  - type: table\n    order: [formula.bad]\n",
        );
        assert_eq!(result.rows().next().unwrap().values, [Value::Null]);
        assert_eq!(result.problems.len(), 1, "{:?}", result.problems);
    }
}
