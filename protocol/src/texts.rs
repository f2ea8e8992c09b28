//! The text files (`<language>.ftl`): parsing, checking, rendering and reply words.

use std::collections::HashMap;
use std::fmt;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::resolver::errors::{ReferenceKind, ResolverError};
use fluent_bundle::{FluentArgs, FluentError, FluentResource, FluentValue};

use crate::error::{LoadError, Location, RenderError};
use crate::normalize::{is_unspaced, normalize_with};
use crate::structure::{answer_message, Reference, Structure};

/// The texts of one language, ready to render and to match replies against.
pub(crate) struct Texts {
    bundle: FluentBundle<FluentResource>,
    /// Whether accents are folded when matching replies in this language.
    pub fold_accents: bool,
    /// Normalized courtesy words a reply may begin or end with ("thanks"), longest first.
    pub ignore_words: Vec<String>,
    /// Per question: (normalized word, answer id), in declared order.
    pub answer_words: HashMap<String, Vec<(String, String)>>,
    /// Normalized words that start a check-in while none is open.
    pub start_words: Vec<String>,
    /// Normalized words accepted while no check-in is open: (word, question, answer).
    pub anytime_words: Vec<(String, String, String)>,
}

impl fmt::Debug for Texts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Texts")
            .field("locales", &self.bundle.locales)
            .field("fold_accents", &self.fold_accents)
            .field("ignore_words", &self.ignore_words)
            .field("answer_words", &self.answer_words)
            .field("start_words", &self.start_words)
            .field("anytime_words", &self.anytime_words)
            .finish_non_exhaustive()
    }
}

impl Texts {
    /// Normalizes a reply or a word of this language (see [`crate::normalize_with`]).
    pub fn normalize(&self, text: &str) -> String {
        normalize_with(text, self.fold_accents)
    }

    /// A reply as compared with accepted words: normalized, then stripped of courtesy words
    /// at either end ("yes thanks", "gracias, sí"), unless nothing else is left.
    pub fn reply_form(&self, text: &str) -> String {
        let mut text = self.normalize(text);
        loop {
            let stripped = self.ignore_words.iter().find_map(|word| {
                strip_word(&text, word, true).or_else(|| strip_word(&text, word, false))
            });
            match stripped {
                Some(rest) if !rest.is_empty() => text = rest,
                _ => return text,
            }
        }
    }

    /// Renders one message with Fluent variables.
    pub fn render(
        &self,
        language: &str,
        message: &str,
        args: &[(&str, &str)],
    ) -> Result<String, RenderError> {
        let missing = || RenderError::MissingMessage {
            language: language.to_string(),
            message: message.to_string(),
        };
        let pattern = self
            .bundle
            .get_message(message)
            .and_then(|m| m.value())
            .ok_or_else(missing)?;

        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, argument(value));
        }
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&fluent_args), &mut errors);
        if let Some(first) = errors.first() {
            return Err(RenderError::Format {
                language: language.to_string(),
                message: message.to_string(),
                problem: first.to_string(),
            });
        }
        Ok(text.into_owned())
    }

    /// Renders without variables for checks and for word lists: a missing variable is expected
    /// here, anything else is reported.
    fn render_plain(&self, message: &str) -> Result<Option<String>, String> {
        let Some(pattern) = self.bundle.get_message(message).and_then(|m| m.value()) else {
            return Ok(None);
        };
        let mut errors = Vec::new();
        let text = self.bundle.format_pattern(pattern, None, &mut errors);
        let problem = errors.iter().find(|e| !is_missing_variable(e));
        match problem {
            Some(problem) => Err(problem.to_string()),
            None => Ok(Some(text.into_owned())),
        }
    }
}

/// `text` without `word` at its end (or start), when `word` stands there as a whole word: a
/// space separates them, or one side is written without spaces (Chinese: "是谢谢").
fn strip_word(text: &str, word: &str, at_end: bool) -> Option<String> {
    let (rest, joint_rest, joint_word) = if at_end {
        let rest = text.strip_suffix(word)?;
        (rest, rest.chars().next_back(), word.chars().next())
    } else {
        let rest = text.strip_prefix(word)?;
        (rest, rest.chars().next(), word.chars().next_back())
    };
    let whole = match joint_rest {
        None => true,
        Some(' ') => true,
        Some(c) => is_unspaced(c) || joint_word.is_some_and(is_unspaced),
    };
    whole.then(|| rest.trim().to_string())
}

/// Whole numbers go to Fluent as numbers so translators can select plural forms on them;
/// anything else (phone numbers with leading zeros included) stays text.
fn argument(value: &str) -> FluentValue<'static> {
    match value.parse::<u32>() {
        Ok(n) if n.to_string() == value => FluentValue::from(n),
        _ => FluentValue::from(value.to_string()),
    }
}

fn is_missing_variable(error: &FluentError) -> bool {
    matches!(
        error,
        FluentError::ResolverError(ResolverError::Reference(ReferenceKind::Variable { .. }))
    )
}

/// Line of each message definition (`id = ...` at the start of a line), in file order.
fn message_lines(text: &str) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let id_len = line
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .unwrap_or(line.len());
        let (id, rest) = line.split_at(id_len);
        let starts_like_id = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if starts_like_id && rest.trim_start().starts_with('=') {
            found.push((id.to_string(), index + 1));
        }
    }
    found
}

/// One language's file, loaded and checked against the structure.
pub(crate) fn load(
    structure: &Structure,
    references: &[Reference],
    language: &str,
    path: &str,
    text: &str,
    errors: &mut Vec<LoadError>,
) -> Texts {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (resource, had_syntax_errors) = match FluentResource::try_new(text.to_string()) {
        Ok(resource) => (resource, false),
        Err((resource, syntax_errors)) => {
            for e in syntax_errors {
                let at = Location::offset(path, text, e.pos.start);
                errors.push(LoadError::FluentSyntax {
                    at,
                    message: e.to_string(),
                });
            }
            (resource, true)
        }
    };

    let lines = message_lines(text);
    let mut first_lines: HashMap<&str, usize> = HashMap::new();
    for (id, line) in &lines {
        match first_lines.get(id.as_str()) {
            Some(first_line) => errors.push(LoadError::DuplicateMessage {
                at: Location::at(path, *line),
                message: id.clone(),
                first_line: *first_line,
            }),
            None => {
                first_lines.insert(id, *line);
            }
        }
    }
    let at_message = |message: &str| match first_lines.get(message) {
        Some(line) => Location::at(path, *line),
        None => Location::file(path),
    };

    let langid = language.parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    let fold_accents = structure
        .fold_accents
        .get(language)
        .copied()
        .unwrap_or(false);
    // Without this Fluent wraps every placeable in U+2068/U+2069, which turns each SMS into
    // UCS-2 (70 characters a part instead of 160) and adds invisible characters.
    bundle.set_use_isolating(false);
    // Duplicates are reported above with their lines; the first definition wins.
    let _ = bundle.add_resource(resource);
    let mut texts = Texts {
        bundle,
        fold_accents,
        ignore_words: Vec::new(),
        answer_words: HashMap::new(),
        start_words: Vec::new(),
        anytime_words: Vec::new(),
    };

    let required = crate::messages::REQUIRED.iter().map(|m| Reference {
        message: m.to_string(),
        needed_by: "required of every protocol".to_string(),
    });
    for reference in required.chain(references.iter().cloned()) {
        let message = reference.message.as_str();
        match texts.render_plain(message) {
            Ok(Some(rendered)) if rendered.trim().is_empty() => {
                errors.push(LoadError::EmptyMessage {
                    at: at_message(message),
                    message: message.to_string(),
                })
            }
            Ok(Some(_)) => {}
            // Written in the file but lost to a syntax error, reported above.
            Ok(None) if !texts.bundle.has_message(message) && first_lines.contains_key(message) => {
            }
            Ok(None) => {
                let exists = texts.bundle.has_message(message);
                let error = if exists {
                    // Defined with attributes only: there is no text to send.
                    LoadError::EmptyMessage {
                        at: at_message(message),
                        message: message.to_string(),
                    }
                } else {
                    LoadError::MissingMessage {
                        at: Location::file(path),
                        language: language.to_string(),
                        message: message.to_string(),
                        needed_by: reference.needed_by.clone(),
                    }
                };
                errors.push(error);
            }
            Err(problem) => errors.push(LoadError::BrokenMessage {
                at: at_message(message),
                message: message.to_string(),
                problem,
            }),
        }
    }

    check_variables(&texts, path, text, had_syntax_errors, &at_message, errors);

    if let Some(message) = &structure.ignore_words {
        let mut words = texts.word_list(message);
        // Longest first, so "thank you" goes before "thank" could leave "you".
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        texts.ignore_words = words;
    }

    // Reply words: one comma-separated list per answer; a word may select only one answer.
    for question in &structure.questions {
        let mut words: Vec<(String, String)> = Vec::new();
        for answer in &question.answers {
            // A numeric answer may have words too (none of the shipped ones do); if its message
            // is absent, that is not an error.
            if answer.range.is_some()
                && !texts
                    .bundle
                    .has_message(&answer_message(&question.id, &answer.id))
            {
                continue;
            }
            let message = answer_message(&question.id, &answer.id);
            let list = texts.word_list(&message);
            let only_commas =
                matches!(texts.render_plain(&message), Ok(Some(t)) if !t.trim().is_empty());
            if list.is_empty() && only_commas {
                let at = at_message(&message);
                errors.push(LoadError::EmptyMessage {
                    at,
                    message: message.clone(),
                });
            }
            for word in list {
                match words.iter().find(|(w, _)| *w == word) {
                    Some((_, first)) if *first != answer.id => {
                        errors.push(LoadError::AmbiguousWord {
                            at: at_message(&message),
                            question: question.id.clone(),
                            word: word.clone(),
                            first: first.clone(),
                            second: answer.id.clone(),
                        })
                    }
                    Some(_) => {}
                    None => words.push((word, answer.id.clone())),
                }
            }
        }
        texts.answer_words.insert(question.id.clone(), words);
    }

    // Words accepted while no check-in is open must not be ambiguous either.
    if let Some(message) = &structure.start_words {
        texts.start_words = texts.word_list(message);
    }
    let mut idle: Vec<(String, String)> = texts
        .start_words
        .iter()
        .map(|w| (w.clone(), "start".to_string()))
        .collect();
    for question in &structure.questions {
        for answer in &question.anytime {
            let message = answer_message(&question.id, answer);
            for word in texts.word_list(&message) {
                let name = format!("{}/{}", question.id, answer);
                match idle.iter().find(|(w, _)| *w == word) {
                    Some((_, first)) if *first != name => errors.push(LoadError::AmbiguousWord {
                        at: at_message(&message),
                        question: "texted while no check-in is open".to_string(),
                        word: word.clone(),
                        first: first.clone(),
                        second: name,
                    }),
                    Some(_) => {}
                    None => {
                        idle.push((word.clone(), name));
                        texts
                            .anytime_words
                            .push((word, question.id.clone(), answer.clone()));
                    }
                }
            }
        }
    }
    texts
}

/// Values every message is formatted with at load, one set per combination: enough numbers to
/// reach each plural form of the shipped languages (1, 2, 5, 21) and both check-in counts.
fn sample_arguments() -> Vec<FluentArgs<'static>> {
    let mut sets = Vec::new();
    for days in [1u32, 2, 5, 14, 21] {
        for per_day in [1u32, 2] {
            let mut args = FluentArgs::new();
            for variable in crate::messages::VARIABLES {
                let value = match variable {
                    "days" => FluentValue::from(days),
                    "per_day" => FluentValue::from(per_day),
                    "callback" => FluentValue::from("(206) 555-0199"),
                    _ => FluentValue::from("the care team at (206) 555-0199"),
                };
                args.set(variable, value);
            }
            sets.push(args);
        }
    }
    sets
}

/// Every variable a message's source uses, with its line: `$name` inside a placeable (outside
/// a string literal), attributed to the message being defined. Terms (`-term = ...`) are left
/// out: their variables are the arguments the message passes them.
fn variable_uses(text: &str) -> Vec<(String, String, usize)> {
    let mut found = Vec::new();
    let mut current: Option<String> = None;
    let mut depth = 0usize;
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        if depth == 0 && line.starts_with(|c: char| !c.is_whitespace()) {
            current = None;
            if let Some((id, _)) = message_lines(line).first() {
                current = Some(id.clone());
                rest = line.split_once('=').map_or("", |(_, value)| value);
            } else if line.starts_with('#') {
                continue;
            }
        }
        let mut in_string = false;
        let mut chars = rest.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' if depth > 0 => in_string = !in_string,
                _ if in_string => {}
                '{' => depth += 1,
                '}' => depth = depth.saturating_sub(1),
                '$' if depth > 0 => {
                    let name: String = rest[at + 1..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                        .collect();
                    if let (Some(message), false) = (&current, name.is_empty()) {
                        found.push((message.clone(), name, index + 1));
                    }
                }
                _ => {}
            }
        }
    }
    found
}

/// Every message is formatted with every variable the service passes; a variable it does not
/// pass (`$dayz`), or any other Fluent error, is reported with the message's file and line. The
/// source is read too, so a misspelt variable in a plural form no sample reaches is found.
fn check_variables(
    texts: &Texts,
    path: &str,
    text: &str,
    had_syntax_errors: bool,
    at_message: &dyn Fn(&str) -> Location,
    errors: &mut Vec<LoadError>,
) {
    let provided = |name: &str| crate::messages::VARIABLES.contains(&name);
    let mut reported: Vec<(String, String)> = Vec::new();

    // After a syntax error the source may not split into messages as Fluent reads it; that
    // error is reported already, and formatting below still checks what Fluent kept.
    if !had_syntax_errors {
        for (message, variable, line) in variable_uses(text) {
            if provided(&variable) || reported.contains(&(message.clone(), variable.clone())) {
                continue;
            }
            errors.push(LoadError::UnknownVariable {
                at: Location::at(path, line),
                message: message.clone(),
                variable: variable.clone(),
            });
            reported.push((message, variable));
        }
    }

    let samples = sample_arguments();
    for (message, _) in message_lines(text) {
        let Some(pattern) = texts.bundle.get_message(&message).and_then(|m| m.value()) else {
            continue;
        };
        for args in &samples {
            let mut problems = Vec::new();
            let formatted = texts
                .bundle
                .format_pattern(pattern, Some(args), &mut problems);
            // Inside a term (`-brand = { $name }`) Fluent reports no error for a variable the
            // message did not pass to it: it writes `{$name}` into the text. Read it from there.
            let in_terms = formatted.match_indices("{$").filter_map(|(at, _)| {
                let name: String = formatted[at + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .collect();
                let id = (!name.is_empty()).then_some(name)?;
                let reference = ReferenceKind::Variable { id };
                Some(FluentError::ResolverError(ResolverError::Reference(
                    reference,
                )))
            });
            let problems: Vec<FluentError> = problems.into_iter().chain(in_terms).collect();
            for problem in problems {
                let error = match &problem {
                    FluentError::ResolverError(ResolverError::Reference(
                        ReferenceKind::Variable { id },
                    )) => {
                        if reported.contains(&(message.clone(), id.clone())) {
                            continue;
                        }
                        reported.push((message.clone(), id.clone()));
                        LoadError::UnknownVariable {
                            at: at_message(&message),
                            message: message.clone(),
                            variable: id.clone(),
                        }
                    }
                    _ => LoadError::BrokenMessage {
                        at: at_message(&message),
                        message: message.clone(),
                        problem: problem.to_string(),
                    },
                };
                if !errors.contains(&error) {
                    errors.push(error);
                }
            }
        }
    }
}

impl Texts {
    /// The normalized, non-empty words of a comma-separated word-list message.
    fn word_list(&self, message: &str) -> Vec<String> {
        let Ok(Some(list)) = self.render_plain(message) else {
            return Vec::new();
        };
        let mut words: Vec<String> = Vec::new();
        for word in list
            .split(',')
            .map(|w| self.normalize(w))
            .filter(|w| !w.is_empty())
        {
            if !words.contains(&word) {
                words.push(word);
            }
        }
        words
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_lines_skip_comments_terms_and_continuations() {
        let text = "# c\nhello = Hi\n    more = text\n-term = T\nbye=Bye\n";
        assert_eq!(
            message_lines(text),
            vec![("hello".into(), 2), ("bye".into(), 5)]
        );
    }

    #[test]
    fn whole_numbers_become_fluent_numbers() {
        assert!(matches!(argument("14"), FluentValue::Number(_)));
        assert!(matches!(argument("014"), FluentValue::String(_)));
        assert!(matches!(argument("(206) 555-0199"), FluentValue::String(_)));
    }
}
