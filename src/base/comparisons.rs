//! Comparisons of a note property with a literal (`status == "draft"`,
//! `price > 3`): what a linter checks against the types the vault's
//! properties should have.

use super::Position;
use super::expr::{BinaryOp, Expr, Node, NodeKind, UnaryOp};
use super::file::Base;

/// A note property compared with a literal boolean, number or text.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The property (`status` for `status`, `note.status` or `note["status"]`).
    pub property: String,
    /// The literal, as a front-matter value would hold it.
    pub literal: serde_json::Value,
    /// Whether the operator orders (`<`, `<=`, `>`, `>=`) rather than tests
    /// (in)equality.
    pub ordering: bool,
    /// Where the literal is written.
    pub position: Position,
}

/// Names a bare identifier may have that are no note property: the roots
/// and the locals of `filter`, `map`, `reduce` and summaries.
const NOT_PROPERTIES: &[&str] = &[
    "file", "note", "formula", "this", "value", "index", "acc", "values",
];

impl Base {
    /// Every comparison of a note property with a literal, in every
    /// expression of the base.
    pub fn comparisons(&self) -> Vec<Comparison> {
        let mut found = Vec::new();
        for expr in self.expressions() {
            let mut stack = vec![&expr.root];
            while let Some(node) = stack.pop() {
                if let Some(comparison) = comparison(expr, node) {
                    found.push(comparison);
                }
                stack.extend(node.children());
            }
        }
        found
    }
}

fn comparison(expr: &Expr, node: &Node) -> Option<Comparison> {
    let NodeKind::Binary(op, left, right) = &node.kind else {
        return None;
    };
    let ordering = match op {
        BinaryOp::Eq | BinaryOp::Ne => false,
        BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => true,
        _ => return None,
    };
    let (property, literal_node) = match (property(left), property(right)) {
        (Some(name), None) => (name, right),
        (None, Some(name)) => (name, left),
        _ => return None,
    };
    Some(Comparison {
        property: property.to_owned(),
        literal: literal(literal_node)?,
        ordering,
        position: expr.position(literal_node.start),
    })
}

/// The note property a node reads directly, if it does.
fn property(node: &Node) -> Option<&str> {
    let is_note = |object: &Node| matches!(&object.kind, NodeKind::Ident(root) if root == "note");
    match &node.kind {
        NodeKind::Ident(name) if !NOT_PROPERTIES.contains(&name.as_str()) => Some(name),
        NodeKind::Member(object, name) if is_note(object) => Some(name),
        NodeKind::Index(object, index) if is_note(object) => match &index.kind {
            NodeKind::String(name) => Some(name),
            _ => None,
        },
        _ => None,
    }
}

fn literal(node: &Node) -> Option<serde_json::Value> {
    match &node.kind {
        NodeKind::Bool(b) => Some((*b).into()),
        NodeKind::Number(n) => number(*n),
        NodeKind::String(text) => Some(text.as_str().into()),
        NodeKind::Unary(UnaryOp::Negate, inner) => match &inner.kind {
            NodeKind::Number(n) => number(-n),
            _ => None,
        },
        _ => None,
    }
}

/// A number as YAML would read it: whole numbers as integers.
fn number(n: f64) -> Option<serde_json::Value> {
    if n.fract() == 0.0 && n.abs() < 2f64.powi(53) {
        return Some((n as i64).into());
    }
    serde_json::Number::from_f64(n).map(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(filter: &str) -> Vec<(String, serde_json::Value, bool, (u32, u32))> {
        let base = Base::parse(&format!("filters: '{filter}'\n")).unwrap();
        let mut found: Vec<_> = base
            .comparisons()
            .into_iter()
            .map(|c| {
                let at = (c.position.line, c.position.column);
                (c.property, c.literal, c.ordering, at)
            })
            .collect();
        found.sort_by_key(|f| f.3);
        found
    }

    #[test]
    fn every_way_of_naming_a_property_is_found_with_the_literal_position() {
        assert_eq!(
            found(r#"status == "draft" && 3 < note.level || note["due"] != -1"#),
            [
                ("status".into(), "draft".into(), false, (1, 21)),
                ("level".into(), 3.into(), true, (1, 32)),
                ("due".into(), (-1).into(), false, (1, 65)),
            ]
        );
    }

    #[test]
    fn roots_locals_formulas_and_non_literals_are_not_comparisons() {
        assert!(found(r#"file.name == "a" && formula.x > 2 && status == today()"#).is_empty());
        assert!(found(r#"tags.filter(value == "x") && this == "y""#).is_empty());
        assert!(found("status + 1 && level == level").is_empty());
    }
}
