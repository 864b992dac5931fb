//! The tokens of the expression language.

/// One token and the character offsets it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Character offset of its first character.
    pub start: usize,
    /// Character offset just after it.
    pub end: usize,
}

/// The kinds of token.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A number literal.
    Number(f64),
    /// A quoted string, unescaped.
    String(String),
    /// `/pattern/flags`.
    Regex(String, String),
    /// A name: a property, a function, `true`, `null`...
    Ident(String),
    /// An operator or punctuation.
    Punct(&'static str),
}

/// Operators and punctuation, longest first so that `==` wins over `=`.
const PUNCTUATION: &[&str] = &[
    "==", "!=", ">=", "<=", "&&", "||", "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}", ",",
    ".", ":", "!", ">", "<",
];

/// A lexing error: what is wrong and at which character offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Character offset.
    pub at: usize,
    /// What is wrong.
    pub message: String,
}

/// Splits an expression into tokens.
pub fn tokenize(text: &str) -> Result<Vec<Token>, LexError> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens: Vec<Token> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let kind = if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            // `1.5` is a number; in `1.round()` the dot calls a method.
            if i + 1 < chars.len() && chars[i] == '.' && chars[i + 1].is_ascii_digit() {
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let digits: String = chars[start..i].iter().collect();
            TokenKind::Number(digits.parse().map_err(|_| LexError {
                at: start,
                message: format!("`{digits}` is not a number"),
            })?)
        } else if c == '"' || c == '\'' {
            let (value, after) = string(&chars, i)?;
            i = after;
            TokenKind::String(value)
        } else if c == '/' && !ends_operand(tokens.last()) {
            let (pattern, flags, after) = regex(&chars, i)?;
            i = after;
            TokenKind::Regex(pattern, flags)
        } else if is_name_start(c) {
            while i < chars.len() && is_name_part(chars[i]) {
                i += 1;
            }
            TokenKind::Ident(chars[start..i].iter().collect())
        } else {
            let rest = &chars[i..];
            let punct = PUNCTUATION
                .iter()
                .find(|p| {
                    p.chars()
                        .enumerate()
                        .all(|(k, pc)| rest.get(k) == Some(&pc))
                })
                .ok_or_else(|| LexError {
                    at: start,
                    message: format!("unexpected character `{c}`"),
                })?;
            i += punct.len();
            TokenKind::Punct(punct)
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
        });
    }
    Ok(tokens)
}

/// Whether a `/` after this token divides (rather than opens a regex).
fn ends_operand(token: Option<&Token>) -> bool {
    match token.map(|t| &t.kind) {
        Some(
            TokenKind::Number(_)
            | TokenKind::String(_)
            | TokenKind::Regex(..)
            | TokenKind::Ident(_),
        ) => true,
        Some(TokenKind::Punct(p)) => matches!(*p, ")" | "]" | "}"),
        None => false,
    }
}

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_name_part(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// A quoted string from `chars[open]` (the quote): its value and the offset after it.
fn string(chars: &[char], open: usize) -> Result<(String, usize), LexError> {
    let quote = chars[open];
    let mut value = String::new();
    let mut i = open + 1;
    while i < chars.len() {
        match chars[i] {
            c if c == quote => return Ok((value, i + 1)),
            '\\' if i + 1 < chars.len() => {
                value.push(match chars[i + 1] {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    other => other,
                });
                i += 2;
            }
            c => {
                value.push(c);
                i += 1;
            }
        }
    }
    Err(LexError {
        at: open,
        message: "this string has no closing quote".to_owned(),
    })
}

/// A regex literal from `chars[open]` (the `/`): pattern, flags and the offset after it.
fn regex(chars: &[char], open: usize) -> Result<(String, String, usize), LexError> {
    let mut pattern = String::new();
    let mut i = open + 1;
    let mut in_class = false;
    while i < chars.len() {
        match chars[i] {
            '/' if !in_class => {
                let flags_start = i + 1;
                let mut end = flags_start;
                while end < chars.len() && chars[end].is_ascii_alphabetic() {
                    end += 1;
                }
                return Ok((pattern, chars[flags_start..end].iter().collect(), end));
            }
            '\\' if i + 1 < chars.len() => {
                pattern.push('\\');
                pattern.push(chars[i + 1]);
                i += 2;
                continue;
            }
            '[' => in_class = true,
            ']' => in_class = false,
            _ => {}
        }
        pattern.push(chars[i]);
        i += 1;
    }
    Err(LexError {
        at: open,
        message: "this regular expression has no closing `/`".to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn numbers_methods_strings_and_operators() {
        use TokenKind::*;
        assert_eq!(
            kinds("1.5 + 2.round() != 'a\\'b'"),
            [
                Number(1.5),
                Punct("+"),
                Number(2.0),
                Punct("."),
                Ident("round".into()),
                Punct("("),
                Punct(")"),
                Punct("!="),
                String("a'b".into())
            ]
        );
    }

    #[test]
    fn a_slash_is_a_regex_where_an_operand_is_expected() {
        use TokenKind::*;
        assert_eq!(kinds("a / 2"), [Ident("a".into()), Punct("/"), Number(2.0)]);
        assert_eq!(
            kinds("x.replace(/a[/]b/g, \"-\")")[4],
            Regex("a[/]b".into(), "g".into())
        );
    }

    #[test]
    fn errors_name_their_offset() {
        assert_eq!(tokenize("a + \"open").unwrap_err().at, 4);
        assert_eq!(tokenize("a # b").unwrap_err().at, 2);
        assert_eq!(tokenize("x(/ab").unwrap_err().at, 2);
    }
}
