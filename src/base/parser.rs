//! The expression parser: precedence climbing over [`lexer`](super::lexer)
//! tokens, with JavaScript's precedence (`||` < `&&` < equality < comparison
//! < `+ -` < `* / %` < prefix `! -` < `.`, `[]` and calls).
//!
//! Nesting is capped at [`MAX_DEPTH`] levels, both while parsing (so that
//! `((((…` cannot exhaust the stack) and in the finished tree (so that a long
//! `a.b.c.d…` chain cannot either when it is evaluated or dropped).

use super::BaseError;
use super::expr::{BinaryOp, Expr, Node, NodeKind, UnaryOp};
use super::functions;
use super::lexer::{self, Token, TokenKind};
use super::locate::Origin;
use super::value::Pattern;

/// Deeper expressions than this are refused.
pub const MAX_DEPTH: usize = 64;

/// Parses an expression given on its own (positions count from line 1,
/// column 1 of `text`) and checks its functions.
pub fn parse_expression(text: &str) -> Result<Expr, BaseError> {
    parse(text, Origin::standalone(text))
}

/// Parses `text`, written where `origin` says, and checks that every function
/// it calls exists and gets a number of arguments it takes.
pub(crate) fn parse(text: &str, origin: Origin) -> Result<Expr, BaseError> {
    let at = |offset: usize| origin.position(offset);
    let tokens = lexer::tokenize(text).map_err(|err| BaseError::new(at(err.at), err.message))?;
    let end = text.chars().count();
    let mut parser = Parser {
        tokens: &tokens,
        next: 0,
        end,
        nesting: 0,
    };
    let root = parser
        .expression()
        .and_then(|root| match parser.peek() {
            None => Ok(root),
            Some(token) => Err(Failure {
                at: token.start,
                message: format!("unexpected {} after the expression", describe(token)),
            }),
        })
        .map_err(|failure| BaseError::new(at(failure.at), failure.message))?;
    let expr = Expr {
        root,
        text: text.to_owned(),
        origin,
    };
    functions::check(&expr)?;
    Ok(expr)
}

/// Splits a comma-separated list of expressions at its top-level commas
/// (`a, if(b, c), d` is three). Text that does not tokenize is split at
/// every comma.
pub fn split_fields(text: &str) -> Vec<String> {
    let Ok(tokens) = lexer::tokenize(text) else {
        return text.split(',').map(|f| f.trim().to_owned()).collect();
    };
    let chars: Vec<char> = text.chars().collect();
    let mut fields = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for token in &tokens {
        match token.kind {
            TokenKind::Punct("(" | "[" | "{") => depth += 1,
            TokenKind::Punct(")" | "]" | "}") => depth = depth.saturating_sub(1),
            TokenKind::Punct(",") if depth == 0 => {
                fields.push(chars[start..token.start].iter().collect::<String>());
                start = token.end;
            }
            _ => {}
        }
    }
    fields.push(chars[start..].iter().collect());
    fields
        .into_iter()
        .map(|f| f.trim().to_owned())
        .filter(|f| !f.is_empty())
        .collect()
}

/// A parse error at a character offset.
struct Failure {
    at: usize,
    message: String,
}

type Parsed = Result<Node, Failure>;

struct Parser<'t> {
    tokens: &'t [Token],
    next: usize,
    /// Character length of the text: where "the end" is.
    end: usize,
    /// How many nested calls of [`Parser::unary`] are running.
    nesting: usize,
}

/// Binding power of an infix operator token.
fn infix(token: &Token) -> Option<(BinaryOp, u8)> {
    let TokenKind::Punct(p) = token.kind else {
        return None;
    };
    Some(match p {
        "||" => (BinaryOp::Or, 1),
        "&&" => (BinaryOp::And, 2),
        "==" => (BinaryOp::Eq, 3),
        "!=" => (BinaryOp::Ne, 3),
        "<" => (BinaryOp::Lt, 4),
        "<=" => (BinaryOp::Le, 4),
        ">" => (BinaryOp::Gt, 4),
        ">=" => (BinaryOp::Ge, 4),
        "+" => (BinaryOp::Add, 5),
        "-" => (BinaryOp::Sub, 5),
        "*" => (BinaryOp::Mul, 6),
        "/" => (BinaryOp::Div, 6),
        "%" => (BinaryOp::Rem, 6),
        _ => return None,
    })
}

fn describe(token: &Token) -> String {
    match &token.kind {
        TokenKind::Number(n) => format!("number `{n}`"),
        TokenKind::String(s) => format!("string \"{s}\""),
        TokenKind::Regex(p, f) => format!("regular expression `/{p}/{f}`"),
        TokenKind::Ident(name) => format!("`{name}`"),
        TokenKind::Punct(p) => format!("`{p}`"),
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn is(&self, punct: &str) -> bool {
        matches!(self.peek(), Some(Token { kind: TokenKind::Punct(p), .. }) if *p == punct)
    }

    fn here(&self) -> usize {
        self.peek().map_or(self.end, |t| t.start)
    }

    fn expect(&mut self, punct: &str, context: &str) -> Result<(), Failure> {
        if self.is(punct) {
            self.next += 1;
            return Ok(());
        }
        let found = self
            .peek()
            .map_or_else(|| "the end of the expression".to_owned(), describe);
        Err(Failure {
            at: self.here(),
            message: format!("expected `{punct}` {context}, found {found}"),
        })
    }

    /// A node over children this deep, refused when the tree would grow too deep.
    fn node(&self, kind: NodeKind, start: usize, children: &[usize]) -> Parsed {
        let depth = 1 + children.iter().copied().max().unwrap_or(0);
        if depth > MAX_DEPTH {
            return Err(Failure {
                at: start,
                message: format!("the expression nests more than {MAX_DEPTH} levels deep"),
            });
        }
        Ok(Node { kind, start, depth })
    }

    fn expression(&mut self) -> Parsed {
        self.binary(0)
    }

    /// Operators binding tighter than `min`, left to right.
    fn binary(&mut self, min: u8) -> Parsed {
        let mut left = self.unary()?;
        while let Some((op, power)) = self.peek().and_then(infix) {
            if power <= min {
                break;
            }
            self.next += 1;
            let right = self.binary(power)?;
            let (start, depths) = (left.start, [left.depth, right.depth]);
            left = self.node(
                NodeKind::Binary(op, Box::new(left), Box::new(right)),
                start,
                &depths,
            )?;
        }
        Ok(left)
    }

    fn unary(&mut self) -> Parsed {
        self.nesting += 1;
        let parsed = if self.nesting > MAX_DEPTH {
            Err(Failure {
                at: self.here(),
                message: format!("the expression nests more than {MAX_DEPTH} levels deep"),
            })
        } else {
            self.prefixed()
        };
        self.nesting -= 1;
        parsed
    }

    fn prefixed(&mut self) -> Parsed {
        let start = self.here();
        let op = if self.is("!") {
            Some(UnaryOp::Not)
        } else if self.is("-") {
            Some(UnaryOp::Negate)
        } else {
            None
        };
        let Some(op) = op else {
            return self.postfix();
        };
        self.next += 1;
        let operand = self.unary()?;
        let depth = operand.depth;
        self.node(NodeKind::Unary(op, Box::new(operand)), start, &[depth])
    }

    /// A primary followed by `.name`, `.name(args)` and `[index]`.
    fn postfix(&mut self) -> Parsed {
        let mut node = self.primary()?;
        loop {
            let start = node.start;
            if self.is(".") {
                self.next += 1;
                let name_at = self.here();
                let name = match self.peek() {
                    Some(Token {
                        kind: TokenKind::Ident(name),
                        ..
                    }) => name.clone(),
                    other => {
                        return Err(Failure {
                            at: self.here(),
                            message: format!(
                                "expected a property or function name after `.`, found {}",
                                other.map_or_else(|| "the end".to_owned(), describe)
                            ),
                        });
                    }
                };
                self.next += 1;
                if self.is("(") {
                    let args = self.arguments()?;
                    let mut depths: Vec<usize> = args.iter().map(|a| a.depth).collect();
                    depths.push(node.depth);
                    let kind = NodeKind::Method(Box::new(node), name, name_at, args);
                    node = self.node(kind, start, &depths)?;
                } else {
                    let depth = node.depth;
                    node = self.node(NodeKind::Member(Box::new(node), name), start, &[depth])?;
                }
            } else if self.is("[") {
                self.next += 1;
                let index = self.expression()?;
                self.expect("]", "to close the index")?;
                let depths = [node.depth, index.depth];
                let kind = NodeKind::Index(Box::new(node), Box::new(index));
                node = self.node(kind, start, &depths)?;
            } else {
                return Ok(node);
            }
        }
    }

    /// `(a, b, …)` after a function name.
    fn arguments(&mut self) -> Result<Vec<Node>, Failure> {
        self.expect("(", "to open the arguments")?;
        let mut args = Vec::new();
        if self.is(")") {
            self.next += 1;
            return Ok(args);
        }
        loop {
            args.push(self.expression()?);
            if self.is(",") {
                self.next += 1;
            } else {
                self.expect(")", "to close the arguments")?;
                return Ok(args);
            }
        }
    }

    fn primary(&mut self) -> Parsed {
        let Some(token) = self.peek().cloned() else {
            return Err(Failure {
                at: self.end,
                message: "the expression ends where a value was expected".to_owned(),
            });
        };
        let start = token.start;
        self.next += 1;
        let kind = match token.kind {
            TokenKind::Number(n) => NodeKind::Number(n),
            TokenKind::String(s) => NodeKind::String(s),
            TokenKind::Regex(pattern, flags) => NodeKind::Regex(
                Pattern::new(&pattern, &flags).map_err(|message| Failure { at: start, message })?,
            ),
            TokenKind::Ident(name) => match name.as_str() {
                "true" => NodeKind::Bool(true),
                "false" => NodeKind::Bool(false),
                "null" => NodeKind::Null,
                _ if self.is("(") => {
                    let args = self.arguments()?;
                    let depths: Vec<usize> = args.iter().map(|a| a.depth).collect();
                    return self.node(NodeKind::Call(name, args), start, &depths);
                }
                _ => NodeKind::Ident(name),
            },
            TokenKind::Punct("(") => {
                let inner = self.expression()?;
                self.expect(")", "to close the parenthesis")?;
                return Ok(inner);
            }
            TokenKind::Punct("[") => {
                let items = self.items("]", |p| p.expression())?;
                let depths: Vec<usize> = items.iter().map(|i| i.depth).collect();
                return self.node(NodeKind::List(items), start, &depths);
            }
            TokenKind::Punct("{") => {
                let entries = self.items("}", Parser::entry)?;
                let depths: Vec<usize> = entries.iter().map(|(_, v)| v.depth).collect();
                return self.node(NodeKind::Object(entries), start, &depths);
            }
            _ => {
                return Err(Failure {
                    at: start,
                    message: format!("expected a value, found {}", describe(&token)),
                });
            }
        };
        self.node(kind, start, &[])
    }

    /// Comma-separated items up to `close` (the opener already read).
    fn items<T>(
        &mut self,
        close: &str,
        mut item: impl FnMut(&mut Self) -> Result<T, Failure>,
    ) -> Result<Vec<T>, Failure> {
        let mut items = Vec::new();
        while !self.is(close) {
            items.push(item(self)?);
            if self.is(",") {
                self.next += 1;
            } else {
                break;
            }
        }
        self.expect(close, "to close the literal")?;
        Ok(items)
    }

    /// `"key": value` or `key: value` in an object literal.
    fn entry(&mut self) -> Result<(String, Node), Failure> {
        let key = match self.peek().map(|t| &t.kind) {
            Some(TokenKind::String(key) | TokenKind::Ident(key)) => key.clone(),
            _ => {
                return Err(Failure {
                    at: self.here(),
                    message: "expected a key in the object".to_owned(),
                });
            }
        };
        self.next += 1;
        self.expect(":", "after the key")?;
        Ok((key, self.expression()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::Position;

    /// Where parsing `text` fails.
    fn position_of(text: &str) -> Position {
        let err = parse_expression(text).unwrap_err();
        Position {
            line: err.line,
            column: err.column,
        }
    }

    fn shape(text: &str) -> String {
        fn show(node: &Node) -> String {
            match &node.kind {
                NodeKind::Binary(op, a, b) => format!("({} {op:?} {})", show(a), show(b)),
                NodeKind::Unary(op, a) => format!("({op:?} {})", show(a)),
                NodeKind::Method(r, name, _, args) => format!(
                    "{}.{name}({})",
                    show(r),
                    args.iter().map(show).collect::<Vec<_>>().join(", ")
                ),
                NodeKind::Member(r, name) => format!("{}.{name}", show(r)),
                NodeKind::Ident(name) => name.clone(),
                NodeKind::Number(n) => n.to_string(),
                other => format!("{other:?}"),
            }
        }
        show(&parse_expression(text).unwrap().root)
    }

    #[test]
    fn precedence_follows_javascript() {
        assert_eq!(shape("a + b * c"), "(a Add (b Mul c))");
        assert_eq!(shape("a - b - c"), "((a Sub b) Sub c)");
        assert_eq!(shape("!a && b || c"), "(((Not a) And b) Or c)");
        assert_eq!(shape("(2.5).round()"), "2.5.round()");
        assert_eq!(shape("-x.abs()"), "(Negate x.abs())");
        assert_eq!(shape("file.name.lower()"), "file.name.lower()");
    }

    #[test]
    fn errors_name_line_and_column() {
        assert_eq!(position_of("a +"), Position { line: 1, column: 4 });
        assert_eq!(position_of("f(1,\n  2"), Position { line: 2, column: 4 });
        assert_eq!(position_of("a b"), Position { line: 1, column: 3 });
        let err = parse_expression("(").unwrap_err();
        assert!(err.message.contains("ends where a value"), "{err}");
    }

    #[test]
    fn nesting_is_capped_without_exhausting_the_stack() {
        for deep in [
            format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000)),
            format!("{}x", "!".repeat(100_000)),
            format!("x{}", ".a".repeat(100_000)),
            format!("1{}", " + 1".repeat(100)),
            format!("{}1{}", "[".repeat(100), "]".repeat(100)),
        ] {
            let err = parse_expression(&deep).unwrap_err();
            assert!(err.message.contains("nests more than 64"), "{err}");
        }
        assert!(parse_expression(&format!("1{}", " + 1".repeat(60))).is_ok());
    }

    #[test]
    fn fields_split_at_top_level_commas() {
        assert_eq!(
            split_fields("status, if(a, b), file.name"),
            ["status", "if(a, b)", "file.name"]
        );
    }
}
