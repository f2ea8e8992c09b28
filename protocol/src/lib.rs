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
//!   per language (e.g. `3, worse` in English, `3, peor` in Spanish), or by a range of whole
//!   numbers (an oxygen saturation of 95 to 100). Each answer leads to another question or to
//!   an outcome.
//! - **thresholds**: one patient's own numeric ranges, replacing the protocol's.
//! - **review status**: whether a language's texts were checked by a person who speaks it.
//! - **outcome**: the end of a check-in, with a closing text: `done`, `escalate`, or `review`
//!   (staff look at the answers; no call).
//! - **escalation**: an outcome that asks a nurse to call the patient.
//! - **conversation**: the state kept between two texts: idle, or awaiting the answer to one
//!   question.
#![deny(missing_docs)]

mod budget;
mod engine;
mod error;
mod load;
mod normalize;
mod structure;
mod tags;
mod texts;
mod thresholds;

pub mod builtin;
pub mod qnabot;
pub mod segments;

use std::sync::Arc;

pub use budget::{budget_table, BudgetRow};
pub use engine::{Conversation, Effect, Reply, Step, Thresholds};
pub use error::{LoadError, LoadErrors, Location, RenderError};
pub use normalize::{is_unspaced, normalize, normalize_with};
pub use segments::Encoding;
pub use structure::{OutcomeKind, Review, ReviewStatus};

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
    /// Whether its texts were reviewed, by whom and when (a draft when `protocol.toml` says
    /// nothing).
    #[serde(default)]
    pub review: Review,
}

/// A text as rendered for sending, and whether the fallback language had to stand in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rendered {
    /// The language the text is in.
    pub language_used: String,
    /// The text to send (never empty).
    pub text: String,
    /// True when the patient's language could not render it and the fallback language was
    /// used: the service records this for staff.
    pub fell_back: bool,
}

/// A question that takes numbers (and so per-patient [`Thresholds`]): its id, and each numeric
/// answer's id with the protocol's own inclusive range, `[low, high]`.
pub type ThresholdQuestion = (String, Vec<(String, [u32; 2])>);

/// A question as the structure declares it, for review tables.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct QuestionInfo {
    /// Question id.
    pub id: String,
    /// Message id of its text.
    pub prompt: String,
    /// Its answers in declared order: (answer id, target id).
    pub answers: Vec<(String, String)>,
    /// Numeric answers with their inclusive range: (answer id, (low, high)).
    pub ranges: Vec<(String, (u32, u32))>,
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

    /// Whether and by whom a language's texts were reviewed; `None` for a language the
    /// protocol does not have.
    pub fn language_review(&self, code: &str) -> Option<Review> {
        self.inner
            .structure
            .languages
            .iter()
            .find(|l| l.code == code)
            .map(|l| l.review.clone())
    }

    /// Whether patients may be enrolled only in reviewed languages (`require_reviewed_languages`
    /// in `protocol.toml`, default false).
    pub fn requires_reviewed_languages(&self) -> bool {
        self.inner.structure.require_reviewed_languages
    }

    /// Not-understood replies in a row after which a question is handed to staff (`max_tries`,
    /// default 3).
    pub fn max_tries(&self) -> u32 {
        self.inner.structure.max_tries
    }

    /// SMS parts a text may cost before `homewatch protocol check` warns (`part_budget`,
    /// default 3). Texts are never cut.
    pub fn part_budget(&self) -> usize {
        self.inner.structure.part_budget
    }

    /// Every text of every language rendered with representative values (14 days, a fictional
    /// programme number), with what it costs to send.
    pub fn budget(&self) -> Vec<BudgetRow> {
        budget::rows(self)
    }

    /// Checks per-patient thresholds against the protocol. Each must name a numeric answer of
    /// a question that takes numbers and run low to high; and the question's effective ranges
    /// (these merged over the protocol's own) must cover exactly the numbers the protocol's own
    /// ranges cover together, each number once: no gap (a dangerous reading would not be
    /// understood) and no overlap. The error names the problem and shows the protocol's ranges.
    pub fn check_thresholds(&self, thresholds: &Thresholds) -> Result<(), String> {
        thresholds::check(&self.inner.structure, thresholds)
    }

    /// The questions that take numbers (and so per-patient thresholds), in declared order, each
    /// with its numeric answers and their default inclusive ranges: `[("oxygen", [("normal",
    /// [95, 100]), ("borderline", [93, 94]), ("low", [0, 92])])]`.
    pub fn threshold_questions(&self) -> Vec<ThresholdQuestion> {
        thresholds::questions(&self.inner.structure)
    }

    /// The offered language a tag means, or `None`: an offered tag in any case first (`ES` is
    /// `es`, `ZH-HANS` is `zh-Hans`), then the only offered language with the same primary
    /// subtag (`es-MX` is `es`; `zh`, `zh-CN` and `zh-SG` are `zh-Hans`), unless the scripts
    /// differ: `zh-TW`, `zh-HK` and `zh-Hant` never resolve to Simplified Chinese.
    pub fn resolve_language(&self, tag: &str) -> Option<String> {
        let offered = self
            .inner
            .structure
            .languages
            .iter()
            .map(|l| l.code.as_str());
        tags::resolve(offered, tag)
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
    /// `[("days", "14"), ("callback", "(206) 555-0199")]`; the service passes every one of
    /// [`messages::VARIABLES`]. Whole numbers become Fluent numbers, so texts can select plural
    /// forms on them.
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

    /// Renders a message in the patient's language, or, if that fails or renders blank, in the
    /// fallback language: a patient never gets an empty text. Fails only when the fallback
    /// cannot render it either (e.g. a variable was not given).
    pub fn render_or_fallback(
        &self,
        language: &str,
        message: &str,
        args: &[(&str, &str)],
    ) -> Result<Rendered, RenderError> {
        let blank = |language: &str| RenderError::MissingMessage {
            language: language.to_string(),
            message: message.to_string(),
        };
        let own = self.render(language, message, args);
        match own {
            Ok(text) if !text.trim().is_empty() => {
                return Ok(Rendered {
                    language_used: language.to_string(),
                    text,
                    fell_back: false,
                });
            }
            Ok(_) if language == self.fallback_language() => return Err(blank(language)),
            Err(e) if language == self.fallback_language() => return Err(e),
            _ => {}
        }
        let fallback = self.fallback_language();
        let text = self.render(fallback, message, args)?;
        if text.trim().is_empty() {
            return Err(blank(fallback));
        }
        Ok(Rendered {
            language_used: fallback.to_string(),
            text,
            fell_back: true,
        })
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
    /// keyword: the service handles keywords first). Numeric answers use the protocol's ranges.
    pub fn handle(
        &self,
        conversation: &Conversation,
        language: &str,
        text: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Step {
        engine::handle(
            &self.inner,
            conversation,
            language,
            text,
            now,
            &Thresholds::none(),
        )
    }

    /// Engine: as [`Protocol::handle`], with the patient's own numeric thresholds in place of
    /// the protocol's ranges where given (check them first with
    /// [`Protocol::check_thresholds`]).
    pub fn handle_with(
        &self,
        conversation: &Conversation,
        language: &str,
        text: &str,
        now: chrono::DateTime<chrono::Utc>,
        overrides: &Thresholds,
    ) -> Step {
        engine::handle(&self.inner, conversation, language, text, now, overrides)
    }
}

/// Message ids every protocol must provide in every language (the service sends them).
pub mod messages {
    /// Consent text shown to the patient at enrollment (args: `$days`, `$per_day`).
    pub const CONSENT: &str = "consent";
    /// Confirmation after enrollment (args: `$days`, `$per_day`, `$callback`); says how to stop
    /// (STOP) and that HELP gives support info.
    pub const ENROLLED: &str = "enrolled";
    /// Opt-out confirmation; says reply START to re-join (never CANCEL).
    pub const OPTED_OUT: &str = "opted-out";
    /// Opt-in confirmation (args: `$per_day`).
    pub const OPTED_IN: &str = "opted-in";
    /// Support contact (args: `$support`); says it is NOT for symptoms; emergencies 911.
    pub const HELP: &str = "help";
    /// Final message; how to re-enroll (reply START or ask the care team).
    pub const PROGRAMME_ENDED: &str = "programme-ended";
    /// Prefix before a re-prompt.
    pub const NOT_UNDERSTOOD: &str = "not-understood";
    /// Reply to free text when no question is open.
    pub const NO_CHECK_IN_OPEN: &str = "no-check-in-open";
    /// Sent when a check-in got no answer after a delay; asks for an answer to the last
    /// question (whichever it is) and recalls WORSE. The service may send the question again
    /// after it.
    pub const REMINDER: &str = "reminder";
    /// Sent when `max_tries` replies in a row were not understood: the care team will look at
    /// the answers. The check-in stops ([`crate::Effect::NeedsReview`]).
    pub const HANDED_TO_STAFF: &str = "handed-to-staff";

    /// The variables the service passes to every text, and the only ones a text may use:
    /// `days` (programme length in days), `callback` (the programme's phone number), `support`
    /// (support contact) and `per_day` (check-ins a day, 1 or 2). Loading formats every
    /// message with all of them and rejects a text that uses any other.
    pub const VARIABLES: [&str; 4] = ["days", "callback", "support", "per_day"];

    /// Every message above, in the order authors are told about them.
    pub const REQUIRED: [&str; 10] = [
        CONSENT,
        ENROLLED,
        OPTED_OUT,
        OPTED_IN,
        HELP,
        PROGRAMME_ENDED,
        NOT_UNDERSTOOD,
        NO_CHECK_IN_OPEN,
        REMINDER,
        HANDED_TO_STAFF,
    ];
}
