//! The base file format: `filters`, `formulas`, `properties`, `summaries`
//! and `views`, read from YAML with every expression parsed and checked.
//!
//! Keys the format does not know are kept out of the way with a
//! [`Notice`], as the app tolerates them.

use std::collections::BTreeMap;

use super::expr::{Expr, Node, NodeKind, PropertyId};
use super::locate::Origin;
use super::parser;
use super::summary;
use super::yaml::{self, Node as YamlNode, Yaml};
use super::{BaseError, Position};

/// A parsed base.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Base {
    /// Filters every view applies.
    pub filters: Option<Filter>,
    /// Formulas, in file order.
    pub(crate) formulas: Vec<Formula>,
    /// Display names by property.
    pub display_names: BTreeMap<PropertyId, String>,
    /// Custom summary formulas (over `values`), by name.
    pub(crate) summaries: Vec<Formula>,
    /// The views, in file order (the first is the default).
    pub views: Vec<View>,
    /// Keys that were ignored, and other things worth knowing.
    pub notices: Vec<Notice>,
}

/// A named expression: a formula, or a custom summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// Its name.
    pub name: String,
    /// Its expression.
    pub expr: Expr,
}

/// A filter: a statement, or `and` / `or` / `not` over more filters.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// Every one holds.
    And(Vec<Filter>),
    /// At least one holds.
    Or(Vec<Filter>),
    /// None holds.
    Not(Vec<Filter>),
    /// An expression, true when truthy.
    Expr(Expr),
}

/// One view.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// The layout (`table`, `cards`, `list`, `map`...).
    pub kind: String,
    /// The name.
    pub name: String,
    /// At most this many rows.
    pub limit: Option<usize>,
    /// Filters of this view alone (joined to the base's with "and").
    pub filters: Option<Filter>,
    /// The columns, in order.
    pub columns: Vec<ViewColumn>,
    /// Sort keys, most significant first.
    pub sort: Vec<SortKey>,
    /// The property rows are grouped by, and the groups' order.
    pub group_by: Option<SortKey>,
    /// Summaries: a property and the summary computed over it.
    pub summaries: Vec<SummarySpec>,
}

/// A column of a view.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewColumn {
    /// Its id: `note.status`, `file.name`, `formula.age`, or an expression.
    pub id: String,
    /// Its heading: the display name, or a name made from the id.
    pub name: String,
    /// How its value is computed.
    pub(crate) expr: Expr,
}

/// A property to sort or group by, and in which direction.
#[derive(Debug, Clone, PartialEq)]
pub struct SortKey {
    /// The property's id.
    pub id: String,
    /// Largest first.
    pub descending: bool,
    pub(crate) expr: Expr,
}

/// A summary of a view: which property, and which summary.
#[derive(Debug, Clone, PartialEq)]
pub struct SummarySpec {
    /// The property's id.
    pub id: String,
    /// The summary's name (`Average`, or one of the base's own).
    pub summary: String,
    pub(crate) expr: Expr,
}

/// Something about the base worth telling, but no error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Where.
    pub position: Position,
    /// What.
    pub message: String,
}

/// Layout settings the app's own views keep in a view; read by no
/// evaluation, so ignored without a notice.
const LAYOUT_KEYS: &[&str] = &[
    "columnSize",
    "rowHeight",
    "image",
    "imageFit",
    "imageAspectRatio",
    "cardSize",
    "markers",
    "indentProperties",
    "separator",
    "coordinates",
    "markerIcon",
    "markerColor",
    "center",
    "defaultZoom",
    "minZoom",
    "maxZoom",
    "mapHeight",
    "mapTiles",
];

impl Base {
    /// Reads a base from its YAML text.
    pub fn parse(source: &str) -> Result<Self, BaseError> {
        let mut base = Self::default();
        let Some(root) = yaml::parse(source)? else {
            base.views.push(default_view(&base)?);
            return Ok(base);
        };
        let entries = root.as_map().ok_or_else(|| {
            BaseError::new(
                root.at,
                format!("a base is a mapping of keys, not {}", root.kind()),
            )
        })?;
        let reader = Reader { source };
        // Formulas and properties first: views refer to them.
        for (key, value) in entries {
            match key.as_str().unwrap_or_default() {
                "formulas" => base.formulas = reader.named_expressions(value)?,
                "summaries" => base.summaries = reader.named_expressions(value)?,
                "properties" => {
                    base.display_names = reader.display_names(value, &mut base.notices)?
                }
                _ => {}
            }
        }
        check_formulas(&base.formulas)?;
        for (key, value) in entries {
            match key.as_str().unwrap_or_default() {
                "filters" => base.filters = reader.filter(value)?,
                "views" => {
                    let items = reader.list(value, "views")?;
                    let mut notices = Vec::new();
                    for item in items {
                        let view = reader.view(item, &base, base.views.len(), &mut notices)?;
                        base.views.push(view);
                    }
                    base.notices.append(&mut notices);
                }
                "formulas" | "summaries" | "properties" => {}
                other => base.notices.push(Notice {
                    position: key.at,
                    message: format!("unknown key `{other}` ignored"),
                }),
            }
        }
        if base.views.is_empty() {
            base.views.push(default_view(&base)?);
        }
        base.check_references();
        Ok(base)
    }

    /// A one-view base for a query: rows where `filter` holds, with `fields`
    /// as columns (property ids or expressions), sorted by `sort` (a property
    /// id or expression, `:desc` for largest first).
    pub fn query(filter: &str, fields: &[String], sort: Option<&str>) -> Result<Self, BaseError> {
        let mut base = Self {
            filters: Some(Filter::Expr(parser::parse_expression(filter)?)),
            ..Self::default()
        };
        let mut view = default_view(&base)?;
        view.name = "query".to_owned();
        if !fields.is_empty() {
            view.columns = fields
                .iter()
                .map(|field| field_column(field, &base))
                .collect::<Result<_, _>>()?;
        }
        if let Some(sort) = sort {
            let (key, descending) = match sort.rsplit_once(':') {
                Some((key, "desc")) => (key, true),
                Some((key, "asc")) => (key, false),
                _ => (sort, false),
            };
            let column = field_column(key, &base)?;
            view.sort.push(SortKey {
                id: column.id,
                descending,
                expr: column.expr,
            });
        }
        base.views.push(view);
        base.refuse_formulas()?;
        Ok(base)
    }

    /// The view named `name`, or the first.
    pub fn view(&self, name: Option<&str>) -> Option<&View> {
        match name {
            Some(name) => self.views.iter().find(|v| v.name == name),
            None => self.views.first(),
        }
    }

    /// Whether any expression reads a file's size or times (which the
    /// caller must then read from disk).
    pub fn reads_file_stats(&self) -> bool {
        self.expressions()
            .any(|e| mentions(&e.root, &|name| matches!(name, "size" | "ctime" | "mtime")))
    }

    /// Every expression of the base.
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        let filters = self
            .filters
            .iter()
            .chain(self.views.iter().flat_map(|v| &v.filters));
        let mut from_filters = Vec::new();
        for filter in filters {
            filter.collect(&mut from_filters);
        }
        let views = self.views.iter().flat_map(|v| {
            v.columns
                .iter()
                .map(|c| &c.expr)
                .chain(v.sort.iter().chain(&v.group_by).map(|s| &s.expr))
                .chain(v.summaries.iter().map(|s| &s.expr))
        });
        from_filters
            .into_iter()
            .chain(self.formulas.iter().chain(&self.summaries).map(|f| &f.expr))
            .chain(views)
    }

    /// A notice for every `formula.x` that names no formula (the app
    /// shows such values empty; so does evaluation here).
    fn check_references(&mut self) {
        let mut missing = Vec::new();
        for expr in self.expressions() {
            for (name, node) in formula_references(&expr.root) {
                if !self.formulas.iter().any(|f| f.name == name) {
                    missing.push(Notice {
                        position: expr.position(node.start),
                        message: format!("there is no formula `{name}`; its values are empty"),
                    });
                }
            }
        }
        self.notices.append(&mut missing);
    }

    /// An error for the first `formula.x`: a query has no formulas, so one
    /// named there can only be a mistake (unlike a note property, which any
    /// note may have).
    fn refuse_formulas(&self) -> Result<(), BaseError> {
        for expr in self.expressions() {
            if let Some((name, node)) = formula_references(&expr.root).first() {
                return Err(expr.error(
                    node,
                    format!(
                        "unknown formula `{name}` in `{}`: a query has no formulas (a .base file defines them under `formulas`)",
                        expr.text()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// Moves every position down by `lines` (for a base in a code block
    /// that starts after `lines` lines of a note).
    pub fn shifted(mut self, lines: u32) -> Self {
        for notice in &mut self.notices {
            notice.position.line += lines;
        }
        self
    }
}

impl Filter {
    fn collect<'a>(&'a self, out: &mut Vec<&'a Expr>) {
        match self {
            Self::Expr(expr) => out.push(expr),
            Self::And(items) | Self::Or(items) | Self::Not(items) => {
                for item in items {
                    item.collect(out);
                }
            }
        }
    }
}

impl BaseError {
    /// The same error, `lines` lines further down.
    #[must_use]
    pub fn shifted(mut self, lines: u32) -> Self {
        self.line += lines;
        self
    }
}

/// The view a base without views shows: a table of file names.
fn default_view(base: &Base) -> Result<View, BaseError> {
    Ok(View {
        kind: "table".to_owned(),
        name: "Table".to_owned(),
        limit: None,
        filters: None,
        columns: vec![property_column(&PropertyId::File("name".into()), base)],
        sort: Vec::new(),
        group_by: None,
        summaries: Vec::new(),
    })
}

/// The column showing property `id`.
fn property_column(id: &PropertyId, base: &Base) -> ViewColumn {
    let name = base
        .display_names
        .get(id)
        .cloned()
        .unwrap_or_else(|| match id {
            PropertyId::File(name) => format!("file {name}"),
            other => other.name().to_owned(),
        });
    ViewColumn {
        id: id.to_string(),
        name,
        expr: Expr::of_property(id),
    }
}

/// A column for a field of a query: a property id when it reads as one
/// (`status`, `note.x`, `file.name`), else an expression.
fn field_column(field: &str, base: &Base) -> Result<ViewColumn, BaseError> {
    let field = field.trim();
    let is_name = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
    };
    let simple = match field.split_once('.') {
        Some(("note" | "file" | "formula", rest)) => is_name(rest),
        None => is_name(field) && !matches!(field, "true" | "false" | "null"),
        Some(_) => false,
    };
    if simple {
        return Ok(property_column(&PropertyId::parse(field), base));
    }
    Ok(ViewColumn {
        id: field.to_owned(),
        name: field.to_owned(),
        expr: parser::parse_expression(field)?,
    })
}

/// Reads sections of the YAML, parsing the expressions in them.
struct Reader<'s> {
    source: &'s str,
}

impl Reader<'_> {
    fn expression(&self, node: &YamlNode) -> Result<Expr, BaseError> {
        let Yaml::Scalar(text, style) = &node.value else {
            return Err(BaseError::new(
                node.at,
                format!("expected an expression, found {}", node.kind()),
            ));
        };
        parser::parse(text, Origin::of_scalar(self.source, node, text, *style))
    }

    fn list<'n>(&self, node: &'n YamlNode, what: &str) -> Result<&'n [YamlNode], BaseError> {
        match &node.value {
            Yaml::List(items) => Ok(items),
            _ if node.is_null() => Ok(&[]),
            _ => Err(BaseError::new(
                node.at,
                format!("`{what}` is a list, not {}", node.kind()),
            )),
        }
    }

    fn map<'n>(
        &self,
        node: &'n YamlNode,
        what: &str,
    ) -> Result<&'n [(YamlNode, YamlNode)], BaseError> {
        match &node.value {
            Yaml::Map(entries) => Ok(entries),
            _ if node.is_null() => Ok(&[]),
            _ => Err(BaseError::new(
                node.at,
                format!("`{what}` is a mapping, not {}", node.kind()),
            )),
        }
    }

    fn text<'n>(&self, node: &'n YamlNode, what: &str) -> Result<&'n str, BaseError> {
        node.as_str().ok_or_else(|| {
            BaseError::new(node.at, format!("`{what}` is a value, not {}", node.kind()))
        })
    }

    /// `name: expression` pairs.
    fn named_expressions(&self, node: &YamlNode) -> Result<Vec<Formula>, BaseError> {
        self.map(node, "formulas")?
            .iter()
            .map(|(key, value)| {
                Ok(Formula {
                    name: self.text(key, "a formula name")?.to_owned(),
                    expr: self.expression(value)?,
                })
            })
            .collect()
    }

    /// `properties: {id: {displayName: …}}`.
    fn display_names(
        &self,
        node: &YamlNode,
        notices: &mut Vec<Notice>,
    ) -> Result<BTreeMap<PropertyId, String>, BaseError> {
        let mut names = BTreeMap::new();
        for (key, config) in self.map(node, "properties")? {
            let id = PropertyId::parse(self.text(key, "a property id")?);
            for (setting, value) in self.map(config, "a property's settings")? {
                match self.text(setting, "a setting")? {
                    "displayName" => {
                        names.insert(id.clone(), self.text(value, "displayName")?.to_owned());
                    }
                    other => notices.push(Notice {
                        position: setting.at,
                        message: format!("unknown property setting `{other}` ignored"),
                    }),
                }
            }
        }
        Ok(names)
    }

    /// A filter: a statement, or a mapping with one of `and`, `or`, `not`.
    fn filter(&self, node: &YamlNode) -> Result<Option<Filter>, BaseError> {
        if node.is_null() {
            return Ok(None);
        }
        let Some(entries) = node.as_map() else {
            return self.expression(node).map(|e| Some(Filter::Expr(e)));
        };
        let [(key, value)] = entries else {
            return Err(BaseError::new(
                node.at,
                "a filter group holds exactly one of `and`, `or` or `not`",
            ));
        };
        let items = self
            .list(value, "a filter group")?
            .iter()
            .map(|item| self.filter(item))
            .filter_map(Result::transpose)
            .collect::<Result<Vec<_>, _>>()?;
        match key.as_str().unwrap_or_default() {
            "and" => Ok(Some(Filter::And(items))),
            "or" => Ok(Some(Filter::Or(items))),
            "not" => Ok(Some(Filter::Not(items))),
            other => Err(BaseError::new(
                key.at,
                format!("unknown filter group `{other}`: use `and`, `or` or `not`"),
            )),
        }
    }

    fn view(
        &self,
        node: &YamlNode,
        base: &Base,
        index: usize,
        notices: &mut Vec<Notice>,
    ) -> Result<View, BaseError> {
        let mut view = default_view(base)?;
        view.name = format!("View {}", index + 1);
        let mut order = None;
        for (key, value) in self.map(node, "a view")? {
            match self.text(key, "a view setting")? {
                "type" => self.text(value, "type")?.clone_into(&mut view.kind),
                "name" => self.text(value, "name")?.clone_into(&mut view.name),
                "limit" => {
                    let text = self.text(value, "limit")?;
                    view.limit = Some(text.trim().parse().map_err(|_| {
                        BaseError::new(value.at, format!("`limit` is a whole number, not `{text}`"))
                    })?);
                }
                "filters" => view.filters = self.filter(value)?,
                "order" => {
                    order = Some(
                        self.list(value, "order")?
                            .iter()
                            .map(|item| {
                                let id = PropertyId::parse(self.text(item, "a column")?);
                                Ok(property_column(&id, base))
                            })
                            .collect::<Result<Vec<_>, BaseError>>()?,
                    );
                }
                "sort" => {
                    view.sort = self
                        .list(value, "sort")?
                        .iter()
                        .map(|item| self.sort_key(item, base))
                        .collect::<Result<_, _>>()?;
                }
                "groupBy" => view.group_by = Some(self.sort_key(value, base)?),
                "summaries" => {
                    for (property, summary) in self.map(value, "summaries")? {
                        let id = PropertyId::parse(self.text(property, "a property id")?);
                        let name = self.text(summary, "a summary")?;
                        if !summary::is_builtin(name)
                            && !base.summaries.iter().any(|s| s.name == name)
                        {
                            return Err(BaseError::new(
                                summary.at,
                                format!(
                                    "unknown summary `{name}`: use one of {} or a name under `summaries`",
                                    summary::BUILTIN.join(", ")
                                ),
                            ));
                        }
                        view.summaries.push(SummarySpec {
                            id: id.to_string(),
                            summary: name.to_owned(),
                            expr: Expr::of_property(&id),
                        });
                    }
                }
                other if LAYOUT_KEYS.contains(&other) => {}
                other => notices.push(Notice {
                    position: key.at,
                    message: format!("unknown view setting `{other}` ignored"),
                }),
            }
        }
        if let Some(columns) = order {
            view.columns = columns;
        }
        Ok(view)
    }

    /// `{property: id, direction: ASC|DESC}`.
    fn sort_key(&self, node: &YamlNode, base: &Base) -> Result<SortKey, BaseError> {
        let mut property = None;
        let mut descending = false;
        for (key, value) in self.map(node, "a sort key")? {
            match self.text(key, "a sort setting")? {
                "property" => property = Some(PropertyId::parse(self.text(value, "property")?)),
                "direction" => {
                    descending = match self.text(value, "direction")?.to_ascii_uppercase().as_str()
                    {
                        "ASC" => false,
                        "DESC" => true,
                        other => {
                            return Err(BaseError::new(
                                value.at,
                                format!("`direction` is ASC or DESC, not `{other}`"),
                            ));
                        }
                    };
                }
                other => {
                    return Err(BaseError::new(
                        key.at,
                        format!("unknown sort setting `{other}`: use `property` and `direction`"),
                    ));
                }
            }
        }
        let property =
            property.ok_or_else(|| BaseError::new(node.at, "a sort key needs a `property`"))?;
        let column = property_column(&property, base);
        Ok(SortKey {
            id: column.id,
            descending,
            expr: column.expr,
        })
    }
}

/// Refuses formulas that refer to themselves, directly or not, or that
/// chain deeper than the evaluator should follow.
fn check_formulas(formulas: &[Formula]) -> Result<(), BaseError> {
    const MAX_CHAIN: usize = 32;
    // Depth-first with an explicit stack: (formula, chain so far).
    for (start, formula) in formulas.iter().enumerate() {
        let mut stack = vec![(start, vec![start])];
        while let Some((current, chain)) = stack.pop() {
            let expr = &formulas[current].expr;
            for (name, _) in formula_references(&expr.root) {
                let Some(next) = formulas.iter().position(|f| f.name == name) else {
                    continue;
                };
                if next == start {
                    let names: Vec<&str> =
                        chain.iter().map(|&i| formulas[i].name.as_str()).collect();
                    return Err(formula.expr.error(
                        &formula.expr.root,
                        format!(
                            "formula `{}` refers to itself: {} → {}",
                            formula.name,
                            names.join(" → "),
                            formula.name
                        ),
                    ));
                }
                if chain.len() >= MAX_CHAIN {
                    return Err(formula.expr.error(
                        &formula.expr.root,
                        format!(
                            "formula `{}` goes through more than {MAX_CHAIN} other formulas",
                            formula.name
                        ),
                    ));
                }
                if !chain.contains(&next) {
                    let mut longer = chain.clone();
                    longer.push(next);
                    stack.push((next, longer));
                }
            }
        }
    }
    Ok(())
}

/// The formulas a node names (`formula.x`, `formula["x"]`), with where.
fn formula_references(node: &Node) -> Vec<(&str, &Node)> {
    let mut found = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Member(object, name) if matches!(&object.kind, NodeKind::Ident(root) if root == "formula") =>
            {
                found.push((name.as_str(), node));
            }
            NodeKind::Index(object, index) if matches!(&object.kind, NodeKind::Ident(root) if root == "formula") => {
                if let NodeKind::String(name) = &index.kind {
                    found.push((name.as_str(), node));
                }
            }
            _ => {}
        }
        stack.extend(node.children());
    }
    found
}

/// Whether a node reads a file field named as `wanted` accepts.
fn mentions(node: &Node, wanted: &dyn Fn(&str) -> bool) -> bool {
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        if let NodeKind::Member(_, name) = &node.kind
            && wanted(name)
        {
            return true;
        }
        stack.extend(node.children());
    }
    false
}

/// The ```` ```base ```` code blocks of a note: each block's YAML and the
/// number of lines before it in the note.
pub fn blocks_in(text: &str) -> Vec<(String, u32)> {
    use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
    let body = crate::parse::body_start(text);
    let mut blocks = Vec::new();
    let mut current: Option<(String, u32)> = None;
    for (event, range) in Parser::new(&text[body..]).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("base") =>
            {
                let start = body + range.start;
                let fence_line = text[..start].matches('\n').count();
                current = Some((
                    String::new(),
                    u32::try_from(fence_line + 1).unwrap_or(u32::MAX),
                ));
            }
            Event::Text(content) => {
                if let Some((yaml, _)) = &mut current {
                    yaml.push_str(&content);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "filters:\n  or:\n    - file.hasTag(\"tag\")\n    - and:\n        - file.hasTag(\"book\")\n        - file.hasLink(\"Textbook\")\n    - not:\n        - file.hasTag(\"book\")\n        - file.inFolder(\"Required Reading\")\nformulas:\n  formatted_price: 'if(price, price.toFixed(2) + \" dollars\")'\n  ppu: \"(price / age).toFixed(2)\"\nproperties:\n  status:\n    displayName: Status\n  formula.formatted_price:\n    displayName: \"Price\"\n  file.ext:\n    displayName: Extension\nsummaries:\n  customAverage: 'values.mean().round(3)'\nviews:\n  - type: table\n    name: \"My table\"\n    limit: 10\n    groupBy:\n      property: note.age\n      direction: DESC\n    filters:\n      and:\n        - 'status != \"done\"'\n        - or:\n            - \"formula.ppu > 5\"\n            - \"price > 2.1\"\n    order:\n      - file.name\n      - file.ext\n      - note.age\n      - formula.ppu\n      - formula.formatted_price\n    summaries:\n      formula.ppu: Average\n";

    #[test]
    fn the_documented_example_reads_whole() {
        let base = Base::parse(EXAMPLE).unwrap();
        assert!(matches!(&base.filters, Some(Filter::Or(items)) if items.len() == 3));
        assert_eq!(base.formulas.len(), 2);
        assert_eq!(base.summaries[0].name, "customAverage");
        let view = &base.views[0];
        assert_eq!(
            (view.kind.as_str(), view.name.as_str(), view.limit),
            ("table", "My table", Some(10))
        );
        let columns: Vec<(&str, &str)> = view
            .columns
            .iter()
            .map(|c| (c.id.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(
            columns,
            [
                ("file.name", "file name"),
                ("file.ext", "Extension"),
                ("note.age", "age"),
                ("formula.ppu", "ppu"),
                ("formula.formatted_price", "Price")
            ]
        );
        let group = view.group_by.as_ref().unwrap();
        assert_eq!((group.id.as_str(), group.descending), ("note.age", true));
        assert_eq!(view.summaries[0].summary, "Average");
        assert!(base.notices.is_empty());
    }

    #[test]
    fn errors_point_into_the_file() {
        let err = |text: &str| Base::parse(text).unwrap_err().to_string();
        assert_eq!(
            err("filters: 'a +'\n"),
            "1:14: the expression ends where a value was expected"
        );
        assert_eq!(
            err("formulas:\n  x: \"nope(1)\"\n"),
            "2:7: unknown function `nope`"
        );
        assert_eq!(
            err("formulas:\n  a: formula.b + 1\n  b: formula.a\n"),
            "2:6: formula `a` refers to itself: a → b → a"
        );
        assert_eq!(
            err("views:\n  - limit: ten\n"),
            "2:12: `limit` is a whole number, not `ten`"
        );
        assert_eq!(
            err("views:\n  - summaries:\n      price: Mean\n"),
            "3:14: unknown summary `Mean`: use one of Average, Min, Max, Sum, Range, Median, Stddev, Earliest, Latest, Checked, Unchecked, Empty, Filled, Unique or a name under `summaries`"
        );
        assert_eq!(
            err("filters:\n  xor: []\n"),
            "2:3: unknown filter group `xor`: use `and`, `or` or `not`"
        );
        assert_eq!(err("- a\n"), "1:1: a base is a mapping of keys, not a list");
    }

    #[test]
    fn unknown_keys_are_noticed_and_ignored() {
        let base = Base::parse("source: x\nviews:\n  - type: cards\n    cardSize: 200\n").unwrap();
        assert_eq!(base.notices.len(), 1);
        assert_eq!(base.notices[0].message, "unknown key `source` ignored");
        assert_eq!(base.views[0].kind, "cards");
        assert_eq!(base.views[0].name, "View 1");
        let base = Base::parse("filters:\n  and:\n    - formula.x > 1\n").unwrap();
        assert_eq!(base.notices[0].position, Position { line: 3, column: 7 });
        assert_eq!(
            base.notices[0].message,
            "there is no formula `x`; its values are empty"
        );
    }

    #[test]
    fn code_blocks_are_found_with_their_line() {
        let note =
            "---\na: 1\n---\n# T\n\n```base\nviews:\n  - type: table\n```\n\n```yaml\nx: 1\n```\n";
        assert_eq!(
            blocks_in(note),
            [("views:\n  - type: table\n".to_owned(), 6)]
        );
    }
}
