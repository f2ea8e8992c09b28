//! The clinical protocol of Homewatch as reviewable data, and a pure conversation engine.
//!
//! A protocol is two kinds of files: one `protocol.toml` holding its structure (questions,
//! answers, where each answer leads) and one Project Fluent `.ftl` file per language holding
//! every text, including the words a patient may reply. Clinicians review the structure,
//! translators touch only the texts. [`Protocol::load`] validates everything at once and
//! reports each problem with its file and line.
//!
//! The engine ([`Protocol::start_check_in`], [`Protocol::handle`]) is a pure function of the
//! conversation state, the patient's reply and the time given to it: no I/O, no clock, no
//! randomness. The caller stores the returned [`Conversation`], sends the [`Reply`]s and acts
//! on the [`Effect`]s.
//!
//! # Glossary
//!
//! - **protocol**: the questions of a daily check-in, their answers, where each answer leads,
//!   and all texts in every supported language. Identified by an id such as
//!   `covid-19-home-monitoring`.
//! - **check-in**: one run through the protocol, started by the schedule (or by the patient
//!   texting a start word) and ending in an outcome.
//! - **question**: a text asking the patient something, with a closed set of answers.
//! - **answer**: one accepted reply to a question (e.g. `worse`), recognised by a list of words
//!   per language (e.g. `3, worse` in English, `3, peor` in Spanish). Each answer leads to
//!   another question or to an outcome.
//! - **outcome**: the end of a check-in, with a closing text; either `done` or `escalate`.
//! - **escalation**: an outcome that asks a nurse to call the patient.
//! - **conversation**: the state kept between two texts: idle, or awaiting the answer to one
//!   question.
#![deny(missing_docs)]

mod engine;
mod error;
mod load;
mod normalize;
mod structure;
mod texts;

pub mod builtin;
pub mod qnabot;
pub mod segments;

use std::sync::Arc;

pub use engine::{Conversation, Effect, Reply, Step};
pub use error::{LoadError, LoadErrors, Location, RenderError};
pub use normalize::normalize;
pub use structure::OutcomeKind;

/// One source file given to the loader (the caller reads files; this crate does no I/O).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// Where the text came from, used in error messages (e.g. `protocols/x/protocol.toml`).
    pub path: String,
    /// The whole content of the file.
    pub text: String,
}

impl Source {
    /// A source from a path and its text.
    pub fn new(path: impl Into<String>, text: impl Into<String>) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }
}

/// All files of one protocol: its structure and one text file per language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProtocolSources {
    /// The `protocol.toml` file.
    pub structure: Source,
    /// One `.ftl` file per language, keyed by language tag (e.g. `"en"`).
    pub texts: Vec<(String, Source)>,
}

/// A language a protocol is written in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Language {
    /// Language tag, e.g. `es`.
    pub code: String,
    /// The language's name in itself (endonym), e.g. `Español`.
    pub name: String,
}

/// A question as the structure declares it, for review tables.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct QuestionInfo {
    /// Question id.
    pub id: String,
    /// Message id of its text.
    pub prompt: String,
    /// Its answers in declared order: (answer id, target id).
    pub answers: Vec<(String, String)>,
}

/// An outcome as the structure declares it, for review tables.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct OutcomeInfo {
    /// Outcome id.
    pub id: String,
    /// Whether it escalates to a nurse call.
    pub kind: OutcomeKind,
    /// Message id of its closing text.
    pub message: String,
}

/// A loaded, validated protocol. Cheap to clone (shared behind an `Arc`).
#[derive(Clone, Debug)]
pub struct Protocol {
    inner: Arc<load::Loaded>,
}

impl Protocol {
    /// Parses and validates a protocol; every problem found is reported, not only the first.
    pub fn load(sources: &ProtocolSources) -> Result<Protocol, LoadErrors> {
        load::load(sources).map(|inner| Protocol {
            inner: Arc::new(inner),
        })
    }

    /// Protocol id, e.g. `covid-19-home-monitoring`.
    pub fn id(&self) -> &str {
        &self.inner.structure.id
    }

    /// Title for staff.
    pub fn title(&self) -> &str {
        &self.inner.structure.title
    }

    /// Version of the protocol as written by its authors.
    pub fn version(&self) -> &str {
        &self.inner.structure.version
    }

    /// Supported languages, in declared order.
    pub fn languages(&self) -> Vec<Language> {
        self.inner.structure.languages.clone()
    }

    /// Whether texts exist in this language.
    pub fn supports(&self, language: &str) -> bool {
        self.inner.texts.contains_key(language)
    }

    /// Language used when a patient's language is not supported; its answer words are always
    /// accepted too.
    pub fn fallback_language(&self) -> &str {
        &self.inner.structure.fallback_language
    }

    /// Default programme length in days.
    pub fn programme_days(&self) -> u32 {
        self.inner.structure.programme_days
    }

    /// Version of the consent text patients agree to.
    pub fn consent_version(&self) -> &str {
        &self.inner.structure.consent_version
    }

    /// Id of the first question of a check-in.
    pub fn start_question(&self) -> &str {
        &self.inner.structure.start
    }

    /// The questions in declared order, for review.
    pub fn questions(&self) -> Vec<QuestionInfo> {
        self.inner
            .structure
            .questions
            .iter()
            .map(structure::Question::info)
            .collect()
    }

    /// The outcomes in declared order, for review.
    pub fn outcomes(&self) -> Vec<OutcomeInfo> {
        self.inner
            .structure
            .outcomes
            .iter()
            .map(structure::Outcome::info)
            .collect()
    }

    /// Accepted words (normalized) for an answer in one language, as the texts declare them.
    pub fn answer_words(&self, language: &str, question: &str, answer: &str) -> Vec<String> {
        self.inner
            .texts
            .get(language)
            .and_then(|t| t.answer_words.get(question))
            .map(|words| {
                words
                    .iter()
                    .filter(|(_, a)| a == answer)
                    .map(|(w, _)| w.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Renders a message in a language. Args are Fluent variables, e.g.
    /// `[("days", "14"), ("callback", "(206) 555-0199")]`.
    pub fn render(
        &self,
        language: &str,
        message: &str,
        args: &[(&str, &str)],
    ) -> Result<String, RenderError> {
        let texts = self
            .inner
            .texts
            .get(language)
            .ok_or_else(|| RenderError::UnknownLanguage {
                language: language.to_string(),
            })?;
        texts.render(language, message, args)
    }

    /// Engine: a scheduled check-in begins (sends the first question).
    pub fn start_check_in(
        &self,
        conversation: &Conversation,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Step {
        engine::start_check_in(&self.inner, conversation, now)
    }

    /// Engine: the patient texted `text` (already known NOT to be an opt-out/opt-in/help
    /// keyword: the service handles keywords first).
    pub fn handle(
        &self,
        conversation: &Conversation,
        language: &str,
        text: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Step {
        engine::handle(&self.inner, conversation, language, text, now)
    }
}

/// Message ids every protocol must provide in every language (the service sends them).
pub mod messages {
    /// Consent text shown to the patient at enrollment (args: `$days`).
    pub const CONSENT: &str = "consent";
    /// Confirmation after enrollment (args: `$days`, `$callback`); says how to stop (STOP)
    /// and that HELP gives support info.
    pub const ENROLLED: &str = "enrolled";
    /// Opt-out confirmation; says reply START to re-join (never CANCEL).
    pub const OPTED_OUT: &str = "opted-out";
    /// Opt-in confirmation.
    pub const OPTED_IN: &str = "opted-in";
    /// Support contact (args: `$support`); says it is NOT for symptoms; emergencies 911.
    pub const HELP: &str = "help";
    /// Final message; how to re-enroll (reply START or ask the care team).
    pub const PROGRAMME_ENDED: &str = "programme-ended";
    /// Prefix before a re-prompt.
    pub const NOT_UNDERSTOOD: &str = "not-understood";
    /// Reply to free text when no question is open.
    pub const NO_CHECK_IN_OPEN: &str = "no-check-in-open";

    /// Every message above, in the order authors are told about them.
    pub const REQUIRED: [&str; 8] = [
        CONSENT,
        ENROLLED,
        OPTED_OUT,
        OPTED_IN,
        HELP,
        PROGRAMME_ENDED,
        NOT_UNDERSTOOD,
        NO_CHECK_IN_OPEN,
    ];
}
