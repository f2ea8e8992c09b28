//! The subset of QnABot's `conditionalChaining` expressions that clinical exports use:
//! string literals, `SessionAttributes.…` paths, `==`, `!=`, `&&`, `||`, parentheses and
//! `?:`. Anything else is refused with its position rather than guessed at.

use std::fmt;

/// A parsed expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Expr {
    Text(String),
    Path(String),
    Equals {
        left: Box<Expr>,
        right: Box<Expr>,
        negated: bool,
    },
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Choice {
        condition: Box<Expr>,
        then: Box<Expr>,
        otherwise: Box<Expr>,
    },
}

/// A value while evaluating.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    Text(String),
    Bool(bool),
    /// A path with no value yet (JavaScript's `undefined`).
    Undefined,
}

impl Value {
    /// JavaScript truthiness, for the values this subset produces.
    fn truthy(&self) -> bool {
        match self {
            Value::Text(text) => !text.is_empty(),
            Value::Bool(b) => *b,
            Value::Undefined => false,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(text) => write!(f, "{text:?}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Undefined => write!(f, "undefined"),
        }
    }
}

/// Why an expression was refused: what, and at which character (1-based column).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub column: usize,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Text(String),
    Path(String),
    Eq,
    NotEq,
    And,
    Or,
    Open,
    Close,
    Question,
    Colon,
}

fn tokenize(src: &str) -> Result<Vec<(usize, Token)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let error = |i: usize, message: String| {
        Err(ParseError {
            column: i + 1,
            message,
        })
    };
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
        let three: String = chars[i..(i + 3).min(chars.len())].iter().collect();
        let token = if c.is_whitespace() {
            i += 1;
            continue;
        } else if c == '\'' || c == '"' {
            let mut text = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return error(start, "string literal is not closed".into()),
                    Some('\\') => {
                        match chars.get(i + 1) {
                            Some(escaped) => text.push(*escaped),
                            None => return error(i, "string literal is not closed".into()),
                        }
                        i += 2;
                    }
                    Some(q) if *q == c => {
                        i += 1;
                        break;
                    }
                    Some(other) => {
                        text.push(*other);
                        i += 1;
                    }
                }
            }
            Token::Text(text)
        } else if c.is_ascii_alphabetic() || c == '_' || c == '$' {
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || "_$.".contains(chars[i]))
            {
                i += 1;
            }
            Token::Path(chars[start..i].iter().collect())
        } else if three == "===" || three == "!==" {
            i += 3;
            if c == '=' {
                Token::Eq
            } else {
                Token::NotEq
            }
        } else if ["==", "!=", "&&", "||"].contains(&two.as_str()) {
            i += 2;
            match two.as_str() {
                "==" => Token::Eq,
                "!=" => Token::NotEq,
                "&&" => Token::And,
                _ => Token::Or,
            }
        } else {
            i += 1;
            match c {
                '(' => Token::Open,
                ')' => Token::Close,
                '?' => Token::Question,
                ':' => Token::Colon,
                other => {
                    return error(
                        start,
                        format!(
                            "`{other}` is not supported (only string literals, \
                             SessionAttributes paths, ==, !=, &&, ||, parentheses and ?: are)"
                        ),
                    )
                }
            }
        };
        tokens.push((start, token));
    }
    Ok(tokens)
}

struct Parser {
    tokens: Vec<(usize, Token)>,
    next: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next).map(|(_, t)| t)
    }

    fn column(&self) -> usize {
        self.tokens.get(self.next).map_or(self.end, |(c, _)| *c) + 1
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            column: self.column(),
            message: message.into(),
        })
    }

    fn eat(&mut self, token: &Token) -> bool {
        if self.peek() == Some(token) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn expression(&mut self) -> Result<Expr, ParseError> {
        let condition = self.or()?;
        if !self.eat(&Token::Question) {
            return Ok(condition);
        }
        let then = self.expression()?;
        if !self.eat(&Token::Colon) {
            return self.fail("expected `:` of the `? :` choice");
        }
        let otherwise = self.expression()?;
        Ok(Expr::Choice {
            condition: Box::new(condition),
            then: Box::new(then),
            otherwise: Box::new(otherwise),
        })
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.eat(&Token::Or) {
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.comparison()?;
        while self.eat(&Token::And) {
            left = Expr::And(Box::new(left), Box::new(self.comparison()?));
        }
        Ok(left)
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let left = self.primary()?;
        let negated = match self.peek() {
            Some(Token::Eq) => false,
            Some(Token::NotEq) => true,
            _ => return Ok(left),
        };
        self.next += 1;
        let right = self.primary()?;
        Ok(Expr::Equals {
            left: Box::new(left),
            right: Box::new(right),
            negated,
        })
    }

    fn primary(&mut self) -> Result<Expr, ParseError> {
        let Some((_, token)) = self.tokens.get(self.next).cloned() else {
            return self.fail("the expression ends too early");
        };
        self.next += 1;
        match token {
            Token::Text(text) => Ok(Expr::Text(text)),
            Token::Path(path) => Ok(Expr::Path(path)),
            Token::Open => {
                let inner = self.expression()?;
                if !self.eat(&Token::Close) {
                    return self.fail("expected `)`");
                }
                Ok(inner)
            }
            _ => {
                self.next -= 1;
                self.fail("expected a string, a SessionAttributes path or `(`")
            }
        }
    }
}

/// Parses a whole expression.
pub(crate) fn parse(src: &str) -> Result<Expr, ParseError> {
    let tokens = tokenize(src)?;
    let mut parser = Parser {
        tokens,
        next: 0,
        end: src.chars().count(),
    };
    let expr = parser.expression()?;
    if parser.next < parser.tokens.len() {
        return parser.fail("unexpected text after the end of the expression");
    }
    Ok(expr)
}

/// Evaluates with `lookup` giving the value of a path (None: undefined).
pub(crate) fn evaluate(expr: &Expr, lookup: &dyn Fn(&str) -> Option<String>) -> Value {
    match expr {
        Expr::Text(text) => Value::Text(text.clone()),
        Expr::Path(path) => lookup(path).map_or(Value::Undefined, Value::Text),
        Expr::Equals {
            left,
            right,
            negated,
        } => {
            let equal = evaluate(left, lookup) == evaluate(right, lookup);
            Value::Bool(equal != *negated)
        }
        // As in JavaScript, `&&` and `||` give one of their operands, not a boolean.
        Expr::And(left, right) => {
            let left = evaluate(left, lookup);
            if left.truthy() {
                evaluate(right, lookup)
            } else {
                left
            }
        }
        Expr::Or(left, right) => {
            let left = evaluate(left, lookup);
            if left.truthy() {
                left
            } else {
                evaluate(right, lookup)
            }
        }
        Expr::Choice {
            condition,
            then,
            otherwise,
        } => {
            if evaluate(condition, lookup).truthy() {
                evaluate(then, lookup)
            } else {
                evaluate(otherwise, lookup)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, vars: &[(&str, &str)]) -> Value {
        let expr = parse(src).unwrap();
        let lookup = |p: &str| {
            vars.iter()
                .find(|(k, _)| *k == p)
                .map(|(_, v)| v.to_string())
        };
        evaluate(&expr, &lookup)
    }

    #[test]
    fn evaluates_the_sample_rule() {
        let rule = "(S.a == 'Yes' || S.b == 'Yes' ) ? \"call\" : \"wait\"";
        assert_eq!(
            eval(rule, &[("S.a", "Yes"), ("S.b", "No")]),
            Value::Text("call".into())
        );
        assert_eq!(eval(rule, &[("S.a", "No")]), Value::Text("wait".into()));
        assert_eq!(eval(rule, &[]), Value::Text("wait".into()));
    }

    #[test]
    fn and_binds_tighter_than_or_and_choices_nest() {
        assert_eq!(
            eval("'a' == 'b' && 'x' || 'y'", &[]),
            Value::Text("y".into())
        );
        let nested = "S.a != 'No' ? (S.b == 'Yes' ? 'p' : 'q') : 'r'";
        assert_eq!(
            eval(nested, &[("S.a", "Yes"), ("S.b", "Yes")]),
            Value::Text("p".into())
        );
        assert_eq!(eval(nested, &[("S.a", "No")]), Value::Text("r".into()));
    }

    #[test]
    fn refuses_what_it_does_not_know_with_a_column() {
        assert_eq!(parse("S.a > 3").unwrap_err().column, 5);
        assert!(parse("S.a == 'Yes' ? 'x'")
            .unwrap_err()
            .message
            .contains("`:`"));
        assert!(parse("('x'").unwrap_err().message.contains("`)`"));
        assert!(parse("'x").unwrap_err().message.contains("not closed"));
        assert!(parse("'x' 'y'")
            .unwrap_err()
            .message
            .contains("after the end"));
        assert!(parse("").unwrap_err().message.contains("ends too early"));
    }
}
