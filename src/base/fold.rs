//! The parts of expressions that are the same for every row, computed once
//! per view: `date("2024-01-01")`, `today()`, `"30d"` arithmetic on
//! literals. A row then reads the value instead of computing it again.
//!
//! A part is the same for every row when it reads no name (no property, no
//! `file`, `this` or bound `value`) and calls no `random()`. A part whose
//! computation fails is left as written, so that each row reports the
//! failure as it would have.

use super::eval::{Evaluator, Scope};
use super::expr::{Expr, Node, NodeKind};
use super::file::{Filter, Formula};

/// `expr` with its row-independent parts computed by `constants` (an
/// evaluator with no row).
pub(crate) fn expr(expr: &Expr, constants: &Evaluator<'_, '_>) -> Expr {
    let mut folded = expr.clone();
    node(&mut folded.root, constants);
    folded
}

/// Every expression of `filter`, folded.
pub(crate) fn filter(filter: &Filter, constants: &Evaluator<'_, '_>) -> Filter {
    let all = |items: &[Filter]| items.iter().map(|f| self::filter(f, constants)).collect();
    match filter {
        Filter::And(items) => Filter::And(all(items)),
        Filter::Or(items) => Filter::Or(all(items)),
        Filter::Not(items) => Filter::Not(all(items)),
        Filter::Expr(e) => Filter::Expr(expr(e, constants)),
    }
}

/// Each formula, folded.
pub(crate) fn formulas(formulas: &[Formula], constants: &Evaluator<'_, '_>) -> Vec<Formula> {
    (formulas.iter())
        .map(|f| Formula {
            name: f.name.clone(),
            expr: expr(&f.expr, constants),
        })
        .collect()
}

fn node(node: &mut Node, constants: &Evaluator<'_, '_>) {
    if is_literal(node) {
        return;
    }
    if is_row_independent(node)
        && let Ok(value) = constants.node(node, &Scope::EMPTY)
    {
        node.kind = NodeKind::Value(value);
        return;
    }
    for child in node.children_mut() {
        self::node(child, constants);
    }
}

fn is_literal(node: &Node) -> bool {
    matches!(
        node.kind,
        NodeKind::Null
            | NodeKind::Bool(_)
            | NodeKind::Number(_)
            | NodeKind::String(_)
            | NodeKind::Regex(_)
            | NodeKind::Value(_)
    )
}

fn is_row_independent(node: &Node) -> bool {
    let own = match &node.kind {
        NodeKind::Ident(_) => false,
        NodeKind::Call(name, _) => name != "random",
        _ => true,
    };
    own && node.children().into_iter().all(is_row_independent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::{Context, parse_expression};
    use crate::vault::Vault;

    /// The expression folded, as its root's kind shows it.
    fn folded(text: &str) -> NodeKind {
        let vault = Vault::from_sources([("a.md", "---\nx: 1\n---\n")], Vec::<String>::new());
        let context = Context::new(&vault);
        let constants = Evaluator::new(&context, &[], None);
        expr(&parse_expression(text).unwrap(), &constants).root.kind
    }

    #[test]
    fn parts_without_names_are_computed_once() {
        let NodeKind::Value(crate::base::Value::Date(date)) =
            folded("date(\"2019-01-01\") + \"1d\"")
        else {
            panic!("not folded");
        };
        assert_eq!(date.at.date().to_string(), "2019-01-02");
        assert!(matches!(folded("today() - \"1d\""), NodeKind::Value(_)));
        // Only the part without a name is: `x` is read for each row.
        let NodeKind::Binary(_, x, limit) = folded("x >= date(\"2019-01-01\")") else {
            panic!("not a comparison");
        };
        assert!(matches!(x.kind, NodeKind::Ident(_)));
        assert!(matches!(limit.kind, NodeKind::Value(_)));
    }

    #[test]
    fn random_numbers_failures_and_literals_are_left_as_written() {
        assert!(matches!(folded("random() * 2"), NodeKind::Binary(..)));
        assert!(matches!(folded("date(\"not a date\")"), NodeKind::Call(..)));
        assert!(matches!(folded("\"text\""), NodeKind::String(_)));
        assert!(matches!(folded("file.name"), NodeKind::Member(..)));
    }
}
