//! What can go wrong when loading or rendering a protocol, told so the author can fix it.

use std::fmt;

/// Where a problem is: a file and, when known, a 1-based line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// Path of the file as given in [`crate::Source::path`].
    pub path: String,
    /// 1-based line, when the problem is at a line (a missing message has none).
    pub line: Option<usize>,
}

impl Location {
    /// A location at a line of a file.
    pub fn at(path: &str, line: usize) -> Location {
        Location {
            path: path.to_string(),
            line: Some(line),
        }
    }

    /// A location naming a whole file.
    pub fn file(path: &str) -> Location {
        Location {
            path: path.to_string(),
            line: None,
        }
    }

    /// The location of a byte offset in a text.
    pub(crate) fn offset(path: &str, text: &str, offset: usize) -> Location {
        Location::at(path, line_of(text, offset))
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}", self.path, line),
            None => write!(f, "{}", self.path),
        }
    }
}

/// 1-based line of a byte offset (clamped to the text).
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// One rule of the protocol format that the sources break.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The structure file is not valid TOML, or does not have the expected fields and types.
    #[error("{at}: {message} — fix the TOML here (see protocol/README.md for the format)")]
    Toml {
        /// Where.
        at: Location,
        /// The parser's description.
        message: String,
    },
    /// A value that must not be empty is empty (or zero).
    #[error("{at}: `{field}` is empty — give it a value")]
    EmptyField {
        /// Where.
        at: Location,
        /// Field name.
        field: String,
    },
    /// Two questions, outcomes, answers of one question or languages share an id.
    #[error(
        "{at}: duplicate {kind} id `{id}` (first declared on line {first_line}) — rename \
         one of them"
    )]
    DuplicateId {
        /// Where the second one is.
        at: Location,
        /// `question`, `outcome`, `answer` or `language`.
        kind: String,
        /// The id.
        id: String,
        /// Line of the first declaration.
        first_line: usize,
    },
    /// `start` names no question.
    #[error("{at}: `start` is `{start}`, which is not a question — use the id of a question")]
    UnknownStart {
        /// Where.
        at: Location,
        /// The value given.
        start: String,
    },
    /// An answer leads to an id that is neither a question nor an outcome.
    #[error(
        "{at}: answer `{answer}` of question `{question}` leads to `{target}`, which is neither a \
         question nor an outcome — use one of their ids"
    )]
    UnknownTarget {
        /// Where.
        at: Location,
        /// The question.
        question: String,
        /// The answer.
        answer: String,
        /// The unknown target.
        target: String,
    },
    /// An `anytime` entry names no answer of its question.
    #[error(
        "{at}: `anytime` of question `{question}` names `{answer}`, which is not one of its \
         answers — use an answer id"
    )]
    UnknownAnytimeAnswer {
        /// Where.
        at: Location,
        /// The question.
        question: String,
        /// The unknown answer id.
        answer: String,
    },
    /// A question has no answers, so a check-in could never leave it.
    #[error("{at}: question `{question}` has no answers — add at least one `answers` entry")]
    NoAnswers {
        /// Where.
        at: Location,
        /// The question.
        question: String,
    },
    /// No path from `start` reaches this question or outcome.
    #[error(
        "{at}: {kind} `{id}` can never be reached from `start` — lead an answer to it or \
         remove it"
    )]
    Unreachable {
        /// Where it is declared.
        at: Location,
        /// `question` or `outcome`.
        kind: String,
        /// Its id.
        id: String,
    },
    /// From this question no sequence of answers reaches an outcome: the check-in never ends.
    #[error(
        "{at}: question `{question}` can never lead to an outcome — lead an answer to an outcome"
    )]
    NoWayOut {
        /// Where.
        at: Location,
        /// The question.
        question: String,
    },
    /// No language declared.
    #[error("{at}: no `[[languages]]` declared — declare at least the fallback language")]
    NoLanguages {
        /// The structure file.
        at: Location,
    },
    /// A language code is not a valid language tag.
    #[error("{at}: `{code}` is not a valid language tag — use a tag such as `en` or `es`")]
    BadLanguageTag {
        /// Where.
        at: Location,
        /// The code given.
        code: String,
    },
    /// `fallback_language` is not one of `languages`.
    #[error(
        "{at}: fallback_language `{language}` is not declared in `[[languages]]` — declare it \
         or pick a declared language"
    )]
    UnknownFallbackLanguage {
        /// Where.
        at: Location,
        /// The value given.
        language: String,
    },
    /// A declared language has no text file.
    #[error(
        "{at}: language `{language}` is declared but no text file was given — add {language}.ftl"
    )]
    MissingLanguageFile {
        /// Where the language is declared.
        at: Location,
        /// The language.
        language: String,
    },
    /// A text file was given for a language the structure does not declare.
    #[error(
        "{at}: text file for language `{language}`, which protocol.toml does not declare — \
         declare it in `[[languages]]` or remove the file"
    )]
    UndeclaredLanguage {
        /// The text file.
        at: Location,
        /// The language.
        language: String,
    },
    /// Two text files for one language.
    #[error("{at}: a second text file for language `{language}` — keep one")]
    DuplicateLanguageFile {
        /// The second file.
        at: Location,
        /// The language.
        language: String,
    },
    /// The Fluent parser rejected part of a text file.
    #[error("{at}: Fluent syntax error: {message} — fix the syntax here")]
    FluentSyntax {
        /// Where.
        at: Location,
        /// The parser's description.
        message: String,
    },
    /// A message the protocol needs is missing from a language's text file.
    #[error(
        "{at}: message `{message}` is missing ({needed_by}) — add `{message} = ...` to the \
         {language} texts"
    )]
    MissingMessage {
        /// The text file.
        at: Location,
        /// Its language.
        language: String,
        /// The message id.
        message: String,
        /// Why it is needed, e.g. `prompt of question feeling`.
        needed_by: String,
    },
    /// A message the protocol needs is defined twice in one file.
    #[error("{at}: message `{message}` is defined twice (first on line {first_line}) — keep one")]
    DuplicateMessage {
        /// Where the second one is.
        at: Location,
        /// The message id.
        message: String,
        /// Line of the first.
        first_line: usize,
    },
    /// A message renders to nothing.
    #[error("{at}: message `{message}` is empty — write its text")]
    EmptyMessage {
        /// Where.
        at: Location,
        /// The message id.
        message: String,
    },
    /// A message cannot be rendered (e.g. it refers to a message that does not exist).
    #[error("{at}: message `{message}` cannot be rendered: {problem} — fix the reference")]
    BrokenMessage {
        /// Where.
        at: Location,
        /// The message id.
        message: String,
        /// Fluent's description.
        problem: String,
    },
    /// A message uses a variable the service does not pass (e.g. `$dayz` for `$days`): it
    /// would be sent with the variable's name in place of a value, or not at all.
    #[error(
        "{at}: message `{message}` uses ${variable}, which is not provided: use one of {}",
        provided_variables()
    )]
    UnknownVariable {
        /// Where the variable is used.
        at: Location,
        /// The message id.
        message: String,
        /// The variable's name, without `$`.
        variable: String,
    },
    /// A language's `review` is incomplete or contradicts itself.
    #[error("{at}: the review of language `{language}` {problem}")]
    BadReview {
        /// Where.
        at: Location,
        /// The language.
        language: String,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// A numeric answer's `range` is backwards or overlaps another answer's.
    #[error("{at}: the range of answer `{answer}` of question `{question}` {problem}")]
    BadRange {
        /// Where.
        at: Location,
        /// The question.
        question: String,
        /// The answer.
        answer: String,
        /// What is wrong and how to fix it.
        problem: String,
    },
    /// One reply word would select two different answers.
    #[error(
        "{at}: the word `{word}` is accepted for both `{first}` and `{second}` of question \
         `{question}` — keep it in one answer only"
    )]
    AmbiguousWord {
        /// Where the second use is.
        at: Location,
        /// The question (or `start words` / `anytime answers` for idle words).
        question: String,
        /// The normalized word.
        word: String,
        /// The answer that has it first.
        first: String,
        /// The answer that has it too.
        second: String,
    },
}

impl LoadError {
    /// Where the problem is.
    pub fn location(&self) -> &Location {
        match self {
            LoadError::Toml { at, .. }
            | LoadError::EmptyField { at, .. }
            | LoadError::DuplicateId { at, .. }
            | LoadError::UnknownStart { at, .. }
            | LoadError::UnknownTarget { at, .. }
            | LoadError::UnknownAnytimeAnswer { at, .. }
            | LoadError::NoAnswers { at, .. }
            | LoadError::Unreachable { at, .. }
            | LoadError::NoWayOut { at, .. }
            | LoadError::NoLanguages { at }
            | LoadError::BadLanguageTag { at, .. }
            | LoadError::UnknownFallbackLanguage { at, .. }
            | LoadError::MissingLanguageFile { at, .. }
            | LoadError::UndeclaredLanguage { at, .. }
            | LoadError::DuplicateLanguageFile { at, .. }
            | LoadError::FluentSyntax { at, .. }
            | LoadError::MissingMessage { at, .. }
            | LoadError::DuplicateMessage { at, .. }
            | LoadError::EmptyMessage { at, .. }
            | LoadError::BrokenMessage { at, .. }
            | LoadError::UnknownVariable { at, .. }
            | LoadError::BadReview { at, .. }
            | LoadError::BadRange { at, .. }
            | LoadError::AmbiguousWord { at, .. } => at,
        }
    }

    /// Path of the file the problem is in.
    pub fn path(&self) -> &str {
        &self.location().path
    }

    /// 1-based line of the problem, when known.
    pub fn line(&self) -> Option<usize> {
        self.location().line
    }
}

/// `$days, $callback, $support, $per_day`: what a text may use.
fn provided_variables() -> String {
    let names: Vec<String> = crate::messages::VARIABLES
        .iter()
        .map(|v| format!("${v}"))
        .collect();
    names.join(", ")
}

/// Every problem found while loading a protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadErrors(pub Vec<LoadError>);

impl fmt::Display for LoadErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadErrors {}

/// Why a message could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RenderError {
    /// The protocol has no texts in this language.
    #[error("no texts in language `{language}`")]
    UnknownLanguage {
        /// The language asked for.
        language: String,
    },
    /// The language's texts have no such message.
    #[error("no message `{message}` in language `{language}`")]
    MissingMessage {
        /// The language.
        language: String,
        /// The message id.
        message: String,
    },
    /// Fluent could not format the message (e.g. a variable was not given).
    #[error("message `{message}` in `{language}` could not be formatted: {problem}")]
    Format {
        /// The language.
        language: String,
        /// The message id.
        message: String,
        /// Fluent's description.
        problem: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_from_one() {
        let text = "a\nb\nc";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 2), 2);
        assert_eq!(line_of(text, 4), 3);
        assert_eq!(line_of(text, 99), 3);
    }

    #[test]
    fn errors_are_listed_one_per_line() {
        let errors = LoadErrors(vec![
            LoadError::NoLanguages {
                at: Location::file("p.toml"),
            },
            LoadError::EmptyField {
                at: Location::at("p.toml", 3),
                field: "id".into(),
            },
        ]);
        let text = errors.to_string();
        assert_eq!(text.lines().count(), 2);
        assert!(text.lines().nth(1).unwrap().starts_with("p.toml:3: "));
    }
}
