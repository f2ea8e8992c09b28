//! The structure file (`protocol.toml`): parsing with positions, and the rules it must follow.

use std::collections::{HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::error::{LoadError, Location};
use crate::{Language, OutcomeInfo, QuestionInfo};

/// What happens at the end of a check-in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The check-in ends; nothing else happens.
    Done,
    /// The check-in ends and a nurse is asked to call the patient.
    Escalate,
    /// The check-in ends and staff are asked to look at the answers, without a call (e.g. an
    /// oxygen saturation of 93 or 94%).
    Review,
}

/// Whether a language's texts were checked by a person who speaks it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// Written but not yet reviewed.
    #[default]
    Draft,
    /// Reviewed (by whom and when is recorded with it).
    Reviewed,
}

/// The review of one language's texts, as `protocol.toml` records it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Draft or reviewed.
    pub status: ReviewStatus,
    /// Who reviewed the texts (name and role), when reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// When (a `YYYY-MM-DD` date), when reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStructure {
    id: Spanned<String>,
    title: Spanned<String>,
    version: Spanned<String>,
    consent_version: Spanned<String>,
    fallback_language: Spanned<String>,
    programme_days: Spanned<u32>,
    start: Spanned<String>,
    start_words: Option<Spanned<String>>,
    ignore_words: Option<Spanned<String>>,
    max_tries: Option<Spanned<u32>>,
    part_budget: Option<Spanned<usize>>,
    #[serde(default)]
    require_reviewed_languages: bool,
    #[serde(default)]
    languages: Vec<RawLanguage>,
    #[serde(default)]
    questions: Vec<RawQuestion>,
    #[serde(default)]
    outcomes: Vec<RawOutcome>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    code: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    fold_accents: bool,
    review: Option<Spanned<Review>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    prompt: Spanned<String>,
    #[serde(default)]
    answers: Vec<RawAnswer>,
    #[serde(default)]
    anytime: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    id: Spanned<String>,
    next: Spanned<String>,
    range: Option<Spanned<[u32; 2]>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    id: Spanned<String>,
    kind: OutcomeKind,
    message: Spanned<String>,
}

/// The validated structure of a protocol.
#[derive(Clone, Debug)]
pub(crate) struct Structure {
    pub id: String,
    pub title: String,
    pub version: String,
    pub consent_version: String,
    pub fallback_language: String,
    pub programme_days: u32,
    pub start: String,
    pub start_words: Option<String>,
    pub ignore_words: Option<String>,
    pub max_tries: u32,
    pub part_budget: usize,
    pub require_reviewed_languages: bool,
    pub languages: Vec<Language>,
    /// Per language code: whether accents are folded when matching replies.
    pub fold_accents: HashMap<String, bool>,
    pub questions: Vec<Question>,
    pub outcomes: Vec<Outcome>,
}

#[derive(Clone, Debug)]
pub(crate) struct Question {
    pub id: String,
    pub prompt: String,
    pub answers: Vec<Answer>,
    /// Answers also accepted while no check-in is open.
    pub anytime: Vec<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct Answer {
    pub id: String,
    pub next: String,
    /// For a numeric answer: the inclusive range of numbers it accepts.
    pub range: Option<(u32, u32)>,
}

#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub id: String,
    pub kind: OutcomeKind,
    pub message: String,
}

/// Where an answer leads.
pub(crate) enum Target<'a> {
    Question(&'a Question),
    Outcome(&'a Outcome),
}

impl Question {
    pub fn info(&self) -> QuestionInfo {
        QuestionInfo {
            id: self.id.clone(),
            prompt: self.prompt.clone(),
            answers: self
                .answers
                .iter()
                .map(|a| (a.id.clone(), a.next.clone()))
                .collect(),
            ranges: self
                .answers
                .iter()
                .filter_map(|a| a.range.map(|r| (a.id.clone(), r)))
                .collect(),
        }
    }
}

impl Outcome {
    pub fn info(&self) -> OutcomeInfo {
        OutcomeInfo {
            id: self.id.clone(),
            kind: self.kind,
            message: self.message.clone(),
        }
    }
}

impl Structure {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    pub fn target(&self, id: &str) -> Option<Target<'_>> {
        if let Some(q) = self.question(id) {
            return Some(Target::Question(q));
        }
        self.outcomes
            .iter()
            .find(|o| o.id == id)
            .map(Target::Outcome)
    }
}

/// A message the structure refers to, and the line that refers to it.
#[derive(Clone, Debug)]
pub(crate) struct Reference {
    pub message: String,
    pub needed_by: String,
}

/// A parsed structure with the problems found in it. `structure` is `None` only when the file
/// could not be read as a protocol at all.
pub(crate) struct Parsed {
    pub structure: Option<Structure>,
    /// Declared language codes with their line.
    pub language_lines: Vec<(String, usize)>,
    /// Messages the structure refers to (besides [`crate::messages::REQUIRED`]).
    pub references: Vec<Reference>,
    pub errors: Vec<LoadError>,
}

/// Parses `protocol.toml` and checks every structural rule.
pub(crate) fn parse(path: &str, text: &str) -> Parsed {
    // Editors on Windows may save a byte order mark; it sits on line 1 either way.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: RawStructure = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let at = match e.span() {
                Some(span) => Location::offset(path, text, span.start),
                None => Location::file(path),
            };
            let message = e.message().trim().to_string();
            return Parsed {
                structure: None,
                language_lines: Vec::new(),
                references: Vec::new(),
                errors: vec![LoadError::Toml { at, message }],
            };
        }
    };
    Checker {
        path,
        text,
        errors: Vec::new(),
    }
    .check(raw)
}

struct Checker<'a> {
    path: &'a str,
    text: &'a str,
    errors: Vec<LoadError>,
}

impl Checker<'_> {
    fn at<T>(&self, spanned: &Spanned<T>) -> Location {
        Location::offset(self.path, self.text, spanned.span().start)
    }

    fn line<T>(&self, spanned: &Spanned<T>) -> usize {
        crate::error::line_of(self.text, spanned.span().start)
    }

    fn non_empty(&mut self, field: &str, value: &Spanned<String>) {
        if value.get_ref().trim().is_empty() {
            let at = self.at(value);
            self.errors.push(LoadError::EmptyField {
                at,
                field: field.to_string(),
            });
        }
    }

    /// Records a duplicate-id error for every id seen twice.
    fn unique<'s>(&mut self, kind: &str, ids: impl IntoIterator<Item = &'s Spanned<String>>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for id in ids {
            let line = self.line(id);
            match seen.get(id.get_ref().as_str()) {
                Some(first_line) => self.errors.push(LoadError::DuplicateId {
                    at: self.at(id),
                    kind: kind.to_string(),
                    id: id.get_ref().clone(),
                    first_line: *first_line,
                }),
                None => {
                    seen.insert(id.get_ref(), line);
                }
            }
        }
    }

    fn check(mut self, raw: RawStructure) -> Parsed {
        for (field, value) in [
            ("id", &raw.id),
            ("title", &raw.title),
            ("version", &raw.version),
            ("consent_version", &raw.consent_version),
            ("start", &raw.start),
        ] {
            self.non_empty(field, value);
        }
        if *raw.programme_days.get_ref() == 0 {
            let at = self.at(&raw.programme_days);
            self.errors.push(LoadError::EmptyField {
                at,
                field: "programme_days".into(),
            });
        }
        if let Some(max_tries) = raw.max_tries.as_ref().filter(|m| *m.get_ref() == 0) {
            let at = self.at(max_tries);
            let field = "max_tries".into();
            self.errors.push(LoadError::EmptyField { at, field });
        }
        if let Some(budget) = raw.part_budget.as_ref().filter(|m| *m.get_ref() == 0) {
            let at = self.at(budget);
            let field = "part_budget".into();
            self.errors.push(LoadError::EmptyField { at, field });
        }

        self.check_languages(&raw);

        // Questions and outcomes share one id space: a target names either.
        self.unique(
            "question or outcome",
            raw.questions
                .iter()
                .map(|q| &q.id)
                .chain(raw.outcomes.iter().map(|o| &o.id)),
        );
        for question in &raw.questions {
            self.non_empty("id", &question.id);
            self.non_empty("prompt", &question.prompt);
            self.unique("answer", question.answers.iter().map(|a| &a.id));
            self.check_ranges(question);
            if question.answers.is_empty() {
                let at = self.at(&question.id);
                let question = question.id.get_ref().clone();
                self.errors.push(LoadError::NoAnswers { at, question });
            }
        }
        for outcome in &raw.outcomes {
            self.non_empty("id", &outcome.id);
            self.non_empty("message", &outcome.message);
        }
        self.check_targets(&raw);
        self.check_reachability(&raw);

        let structure = Structure {
            id: raw.id.get_ref().clone(),
            title: raw.title.get_ref().clone(),
            version: raw.version.get_ref().clone(),
            consent_version: raw.consent_version.get_ref().clone(),
            fallback_language: raw.fallback_language.get_ref().clone(),
            programme_days: *raw.programme_days.get_ref(),
            start: raw.start.get_ref().clone(),
            start_words: raw.start_words.as_ref().map(|w| w.get_ref().clone()),
            ignore_words: raw.ignore_words.as_ref().map(|w| w.get_ref().clone()),
            max_tries: raw.max_tries.as_ref().map_or(3, |m| *m.get_ref()),
            part_budget: raw.part_budget.as_ref().map_or(3, |b| *b.get_ref()),
            require_reviewed_languages: raw.require_reviewed_languages,
            languages: raw
                .languages
                .iter()
                .map(|l| Language {
                    code: l.code.get_ref().clone(),
                    name: l.name.get_ref().clone(),
                    review: l
                        .review
                        .as_ref()
                        .map(|r| r.get_ref().clone())
                        .unwrap_or_default(),
                })
                .collect(),
            fold_accents: raw
                .languages
                .iter()
                .map(|l| (l.code.get_ref().clone(), l.fold_accents))
                .collect(),
            questions: raw
                .questions
                .iter()
                .map(|q| Question {
                    id: q.id.get_ref().clone(),
                    prompt: q.prompt.get_ref().clone(),
                    answers: q
                        .answers
                        .iter()
                        .map(|a| Answer {
                            id: a.id.get_ref().clone(),
                            next: a.next.get_ref().clone(),
                            range: a.range.as_ref().map(|r| (r.get_ref()[0], r.get_ref()[1])),
                        })
                        .collect(),
                    anytime: q.anytime.iter().map(|a| a.get_ref().clone()).collect(),
                })
                .collect(),
            outcomes: raw
                .outcomes
                .iter()
                .map(|o| Outcome {
                    id: o.id.get_ref().clone(),
                    kind: o.kind,
                    message: o.message.get_ref().clone(),
                })
                .collect(),
        };
        let references = references(&structure);
        let language_lines = raw
            .languages
            .iter()
            .map(|l| (l.code.get_ref().clone(), self.line(&l.code)))
            .collect();
        Parsed {
            structure: Some(structure),
            language_lines,
            references,
            errors: self.errors,
        }
    }

    fn check_languages(&mut self, raw: &RawStructure) {
        if raw.languages.is_empty() {
            self.errors.push(LoadError::NoLanguages {
                at: Location::file(self.path),
            });
        }
        self.unique("language", raw.languages.iter().map(|l| &l.code));
        for language in &raw.languages {
            self.non_empty("name", &language.name);
            if let Some(review) = &language.review {
                self.check_review(language.code.get_ref(), review);
            }
            let code = language.code.get_ref();
            if code.parse::<unic_langid::LanguageIdentifier>().is_err() || code.trim().is_empty() {
                let at = self.at(&language.code);
                self.errors.push(LoadError::BadLanguageTag {
                    at,
                    code: code.clone(),
                });
            }
        }
        let fallback = raw.fallback_language.get_ref();
        if !raw.languages.iter().any(|l| l.code.get_ref() == fallback) {
            let at = self.at(&raw.fallback_language);
            self.errors.push(LoadError::UnknownFallbackLanguage {
                at,
                language: fallback.clone(),
            });
        }
    }

    /// A reviewed language names its reviewer and a date; a draft names neither.
    fn check_review(&mut self, language: &str, review: &Spanned<Review>) {
        let value = review.get_ref();
        let is_date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok();
        let problem = match value.status {
            ReviewStatus::Reviewed if value.by.as_deref().is_none_or(|b| b.trim().is_empty()) => {
                Some("is reviewed but does not say `by` whom — add `by = \"name, role\"`")
            }
            ReviewStatus::Reviewed if !value.on.as_deref().is_some_and(is_date) => {
                Some("is reviewed but `on` is not a date — add `on = \"YYYY-MM-DD\"`")
            }
            ReviewStatus::Draft if value.by.is_some() || value.on.is_some() => Some(
                "is a draft but names a reviewer or date — set `status = \"reviewed\"` or \
                      remove `by` and `on`",
            ),
            _ => None,
        };
        if let Some(problem) = problem {
            let at = self.at(review);
            let language = language.to_string();
            let problem = problem.to_string();
            self.errors.push(LoadError::BadReview {
                at,
                language,
                problem,
            });
        }
    }

    /// Numeric ranges run low to high and no two answers of a question share a number.
    fn check_ranges(&mut self, question: &RawQuestion) {
        let mut seen: Vec<(&str, u32, u32)> = Vec::new();
        for answer in &question.answers {
            let Some(range) = &answer.range else { continue };
            let [low, high] = *range.get_ref();
            let problem = if low > high {
                Some(format!(
                    "runs from {low} down to {high} — write the lower number first"
                ))
            } else {
                seen.iter()
                    .find(|(_, l, h)| low <= *h && *l <= high)
                    .map(|(other, l, h)| {
                        format!(
                            "overlaps answer `{other}` ({l} to {h}) — a number may select one \
                             answer only"
                        )
                    })
            };
            match problem {
                Some(problem) => self.errors.push(LoadError::BadRange {
                    at: self.at(range),
                    question: question.id.get_ref().clone(),
                    answer: answer.id.get_ref().clone(),
                    problem,
                }),
                None => seen.push((answer.id.get_ref(), low, high)),
            }
        }
    }

    fn check_targets(&mut self, raw: &RawStructure) {
        let questions: HashSet<&str> = raw
            .questions
            .iter()
            .map(|q| q.id.get_ref().as_str())
            .collect();
        let outcomes: HashSet<&str> = raw
            .outcomes
            .iter()
            .map(|o| o.id.get_ref().as_str())
            .collect();
        if !questions.contains(raw.start.get_ref().as_str()) {
            let at = self.at(&raw.start);
            self.errors.push(LoadError::UnknownStart {
                at,
                start: raw.start.get_ref().clone(),
            });
        }
        for question in &raw.questions {
            for answer in &question.answers {
                let next = answer.next.get_ref().as_str();
                if !questions.contains(next) && !outcomes.contains(next) {
                    self.errors.push(LoadError::UnknownTarget {
                        at: self.at(&answer.next),
                        question: question.id.get_ref().clone(),
                        answer: answer.id.get_ref().clone(),
                        target: next.to_string(),
                    });
                }
            }
            for anytime in &question.anytime {
                if !question
                    .answers
                    .iter()
                    .any(|a| a.id.get_ref() == anytime.get_ref())
                {
                    self.errors.push(LoadError::UnknownAnytimeAnswer {
                        at: self.at(anytime),
                        question: question.id.get_ref().clone(),
                        answer: anytime.get_ref().clone(),
                    });
                }
            }
        }
    }

    /// Every question and outcome must be reachable from `start` (or from an `anytime`
    /// answer), and every reachable question must be able to reach an outcome.
    fn check_reachability(&mut self, raw: &RawStructure) {
        // With no valid start, everything would be reported unreachable: one error is enough.
        if !raw
            .questions
            .iter()
            .any(|q| q.id.get_ref() == raw.start.get_ref())
        {
            return;
        }
        let edges: HashMap<&str, Vec<&str>> = raw
            .questions
            .iter()
            .map(|q| {
                (
                    q.id.get_ref().as_str(),
                    q.answers
                        .iter()
                        .map(|a| a.next.get_ref().as_str())
                        .collect(),
                )
            })
            .collect();

        let mut reached: HashSet<&str> = HashSet::new();
        let mut queue: VecDeque<&str> = VecDeque::new();
        queue.push_back(raw.start.get_ref());
        for question in &raw.questions {
            for anytime in &question.anytime {
                if let Some(a) = question
                    .answers
                    .iter()
                    .find(|a| a.id.get_ref() == anytime.get_ref())
                {
                    queue.push_back(a.next.get_ref());
                }
            }
        }
        while let Some(id) = queue.pop_front() {
            if reached.insert(id) {
                queue.extend(edges.get(id).into_iter().flatten());
            }
        }
        for question in &raw.questions {
            if !reached.contains(question.id.get_ref().as_str()) {
                let at = self.at(&question.id);
                let id = question.id.get_ref().clone();
                self.errors.push(LoadError::Unreachable {
                    at,
                    kind: "question".into(),
                    id,
                });
            }
        }
        for outcome in &raw.outcomes {
            if !reached.contains(outcome.id.get_ref().as_str()) {
                let at = self.at(&outcome.id);
                let id = outcome.id.get_ref().clone();
                self.errors.push(LoadError::Unreachable {
                    at,
                    kind: "outcome".into(),
                    id,
                });
            }
        }

        // Walk backwards from the outcomes: a question that cannot get there traps the patient.
        let mut ends: HashSet<&str> = raw
            .outcomes
            .iter()
            .map(|o| o.id.get_ref().as_str())
            .collect();
        loop {
            let before = ends.len();
            for (question, targets) in &edges {
                if targets.iter().any(|t| ends.contains(t)) {
                    ends.insert(question);
                }
            }
            if ends.len() == before {
                break;
            }
        }
        for question in &raw.questions {
            let id = question.id.get_ref().as_str();
            if !question.answers.is_empty() && reached.contains(id) && !ends.contains(id) {
                let at = self.at(&question.id);
                self.errors.push(LoadError::NoWayOut {
                    at,
                    question: id.to_string(),
                });
            }
        }
    }
}

/// Message id holding the accepted words of an answer.
pub(crate) fn answer_message(question: &str, answer: &str) -> String {
    format!("answer-{question}-{answer}")
}

fn references(structure: &Structure) -> Vec<Reference> {
    let mut refs = Vec::new();
    if let Some(words) = &structure.start_words {
        refs.push(Reference {
            message: words.clone(),
            needed_by: "start_words".into(),
        });
    }
    if let Some(words) = &structure.ignore_words {
        refs.push(Reference {
            message: words.clone(),
            needed_by: "ignore_words".into(),
        });
    }
    for q in &structure.questions {
        refs.push(Reference {
            message: q.prompt.clone(),
            needed_by: format!("prompt of question {}", q.id),
        });
        // A numeric answer is recognised by its range; words for it are optional.
        for a in q.answers.iter().filter(|a| a.range.is_none()) {
            refs.push(Reference {
                message: answer_message(&q.id, &a.id),
                needed_by: format!("reply words for answer {} of question {}", a.id, q.id),
            });
        }
    }
    for o in &structure.outcomes {
        refs.push(Reference {
            message: o.message.clone(),
            needed_by: format!("message of outcome {}", o.id),
        });
    }
    refs
}
