//! The conversation engine: a pure function from (state, reply, time) to the next step.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::load::Loaded;
use crate::messages;
use crate::structure::{OutcomeKind, Question, Target};
use crate::texts::Texts;

/// The state kept between two texts of one patient.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Conversation {
    /// No question is open.
    #[default]
    Idle,
    /// A question was sent and its answer is awaited.
    Awaiting {
        /// The open question's id.
        question: String,
        /// How many replies to it were not understood so far.
        tries: u32,
        /// When the question was sent.
        since: DateTime<Utc>,
    },
}

/// What the engine decided: the new state, the texts to send and what the service must do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The state to store.
    pub conversation: Conversation,
    /// Texts to send, in order.
    pub replies: Vec<Reply>,
    /// Things that happened, in order.
    pub effects: Vec<Effect>,
}

/// A text to send, by message id: the service renders it at SEND time in the patient's
/// current language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    /// Message id.
    pub message: String,
}

/// Something the service must record or act on.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// A question was answered: the recorded answer id, e.g. `worse` or `yes`.
    Answered {
        /// Question id.
        question: String,
        /// Answer id.
        answer: String,
    },
    /// Open an escalation (nurse call).
    Escalate {
        /// Outcome id.
        outcome: String,
    },
    /// The check-in finished with this outcome.
    Finished {
        /// Outcome id.
        outcome: String,
    },
    /// The reply matched no answer; the question was asked again (or, at the protocol's
    /// `max_tries`, handed to staff: [`Effect::NeedsReview`] follows).
    NotUnderstood {
        /// Question id.
        question: String,
        /// Replies not understood so far, this one included.
        tries: u32,
    },
    /// `max_tries` replies in a row were not understood: the check-in stopped, the patient was
    /// told the care team will look at the answers, and staff must do so.
    NeedsReview {
        /// The question left unanswered.
        question: String,
        /// Replies not understood, the last one included.
        tries: u32,
    },
    /// The check-in finished with an outcome of kind `review`: staff should look at the
    /// answers; no call is placed.
    ReviewRequested {
        /// Outcome id.
        outcome: String,
    },
}

/// Per-patient numeric thresholds that replace a protocol's default ranges, e.g. a lower
/// oxygen band for a patient whose usual saturation is low. Keyed by question id, then answer
/// id; each range is inclusive. Answers not named keep the protocol's range.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Thresholds(pub BTreeMap<String, BTreeMap<String, [u32; 2]>>);

impl Thresholds {
    /// No overrides: the protocol's ranges apply.
    pub fn none() -> Thresholds {
        Thresholds::default()
    }

    /// These thresholds with one answer's range replaced.
    pub fn with(mut self, question: &str, answer: &str, low: u32, high: u32) -> Thresholds {
        self.0
            .entry(question.to_string())
            .or_default()
            .insert(answer.to_string(), [low, high]);
        self
    }

    fn range(&self, question: &str, answer: &str) -> Option<(u32, u32)> {
        let [low, high] = *self.0.get(question)?.get(answer)?;
        Some((low, high))
    }
}

fn reply(message: &str) -> Reply {
    Reply {
        message: message.to_string(),
    }
}

/// Asks a question afresh.
fn ask(question: &Question, now: DateTime<Utc>, effects: Vec<Effect>) -> Step {
    Step {
        conversation: Conversation::Awaiting {
            question: question.id.clone(),
            tries: 0,
            since: now,
        },
        replies: vec![reply(&question.prompt)],
        effects,
    }
}

pub(crate) fn start_check_in(
    protocol: &Loaded,
    conversation: &Conversation,
    now: DateTime<Utc>,
) -> Step {
    if let Conversation::Awaiting { question, .. } = conversation {
        if let Some(open) = protocol.structure.question(question) {
            // A new check-in while one is open re-asks the open question; the count of
            // misunderstood replies and the time it was first asked are kept.
            return Step {
                conversation: conversation.clone(),
                replies: vec![reply(&open.prompt)],
                effects: Vec::new(),
            };
        }
    }
    let first = protocol
        .structure
        .question(&protocol.structure.start)
        .expect("loading checked that `start` is a question");
    ask(first, now, Vec::new())
}

pub(crate) fn handle(
    protocol: &Loaded,
    conversation: &Conversation,
    language: &str,
    text: &str,
    now: DateTime<Utc>,
    overrides: &Thresholds,
) -> Step {
    let languages = languages(protocol, language);

    let (question, tries) = match conversation {
        Conversation::Awaiting {
            question, tries, ..
        } => match protocol.structure.question(question) {
            Some(open) => (open, *tries),
            // The open question is gone (the protocol changed since it was asked): start over.
            None => return start_check_in(protocol, &Conversation::Idle, now),
        },
        Conversation::Idle => return handle_idle(protocol, &languages, text, now),
    };

    if let Some(answer) = find_answer(&languages, question, text, overrides) {
        return answered(protocol, question, &answer, now);
    }
    // WORSE at any time, also while another question is open: the word of an `anytime` answer
    // that is not an answer here records that answer and goes where it leads. Digits are left
    // out: "3" means an answer code (or a number) of the open question, not "worse".
    if let Some((other, answer)) = find_anytime(protocol, &languages, text) {
        if !is_number(text, &languages) {
            return answered(protocol, other, &answer, now);
        }
    }

    let tries = tries.saturating_add(1);
    let since = match conversation {
        Conversation::Awaiting { since, .. } => *since,
        Conversation::Idle => now,
    };
    let mut effects = vec![Effect::NotUnderstood {
        question: question.id.clone(),
        tries,
    }];
    if tries >= protocol.structure.max_tries {
        // Never left to re-prompt without end, and never dropped silently.
        effects.push(Effect::NeedsReview {
            question: question.id.clone(),
            tries,
        });
        return Step {
            conversation: Conversation::Idle,
            replies: vec![reply(messages::HANDED_TO_STAFF)],
            effects,
        };
    }
    Step {
        conversation: Conversation::Awaiting {
            question: question.id.clone(),
            tries,
            since,
        },
        replies: vec![reply(messages::NOT_UNDERSTOOD), reply(&question.prompt)],
        effects,
    }
}

/// Whether the reply, in the patient's language, is a whole number (kept from anytime jumps).
fn is_number(text: &str, languages: &[&Texts]) -> bool {
    languages
        .first()
        .map(|texts| texts.reply_form(text))
        .is_some_and(|word| parse_number(&word).is_some())
}

/// A reply that is a whole number, e.g. `95` (a `%` was already dropped by normalizing).
fn parse_number(word: &str) -> Option<u32> {
    if word.is_empty() || word.len() > 9 || !word.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    word.parse().ok()
}

/// The patient's language first, then the fallback: its words are always accepted too.
fn languages<'a>(protocol: &'a Loaded, language: &str) -> Vec<&'a Texts> {
    let fallback = protocol.structure.fallback_language.as_str();
    let mut found: Vec<&Texts> = protocol.texts.get(language).into_iter().collect();
    if language != fallback {
        found.extend(protocol.texts.get(fallback));
    }
    found
}

/// The answer a reply selects: an accepted word of the patient's language or the fallback's,
/// else a number within an answer's range (the patient's own thresholds first, then, for a
/// number they leave uncovered, the protocol's).
fn find_answer(
    languages: &[&Texts],
    question: &Question,
    text: &str,
    overrides: &Thresholds,
) -> Option<String> {
    let by_word = languages.iter().find_map(|texts| {
        let word = texts.reply_form(text);
        texts
            .answer_words
            .get(&question.id)?
            .iter()
            .find(|(w, _)| *w == word)
            .map(|(_, a)| a.clone())
    });
    if by_word.is_some() {
        return by_word;
    }
    let number = languages
        .iter()
        .find_map(|texts| parse_number(&texts.reply_form(text)))?;
    let in_range =
        |range: Option<(u32, u32)>| range.is_some_and(|(l, h)| (l..=h).contains(&number));
    let patients = question
        .answers
        .iter()
        .find(|answer| in_range(overrides.range(&question.id, &answer.id).or(answer.range)));
    // Defence in depth: `check_thresholds` refuses overrides that leave a gap, but thresholds
    // stored before that check (or never checked) may still have one. A reading the protocol
    // understands must never become "not understood" because of them: 85 in a gap is still
    // an oxygen reading, and the protocol's own bands say what it means.
    let answer = patients.or_else(|| question.answers.iter().find(|a| in_range(a.range)))?;
    Some(answer.id.clone())
}

/// An `anytime` answer (of any question) the reply is a word of.
fn find_anytime<'p>(
    protocol: &'p Loaded,
    languages: &[&Texts],
    text: &str,
) -> Option<(&'p Question, String)> {
    languages.iter().find_map(|texts| {
        let word = texts.reply_form(text);
        let (_, question, answer) = texts.anytime_words.iter().find(|(w, _, _)| *w == word)?;
        Some((protocol.structure.question(question)?, answer.clone()))
    })
}

fn handle_idle(protocol: &Loaded, languages: &[&Texts], text: &str, now: DateTime<Utc>) -> Step {
    for texts in languages {
        let word = texts.reply_form(text);
        if texts.start_words.contains(&word) {
            return start_check_in(protocol, &Conversation::Idle, now);
        }
    }
    if let Some((question, answer)) = find_anytime(protocol, languages, text) {
        return answered(protocol, question, &answer, now);
    }
    Step {
        conversation: Conversation::Idle,
        replies: vec![reply(messages::NO_CHECK_IN_OPEN)],
        effects: Vec::new(),
    }
}

/// Records an answer and moves to where it leads.
fn answered(protocol: &Loaded, question: &Question, answer: &str, now: DateTime<Utc>) -> Step {
    let mut effects = vec![Effect::Answered {
        question: question.id.clone(),
        answer: answer.to_string(),
    }];
    let next = question
        .answers
        .iter()
        .find(|a| a.id == answer)
        .and_then(|a| protocol.structure.target(&a.next))
        .expect("loading checked every answer's target");
    match next {
        Target::Question(next) => ask(next, now, effects),
        Target::Outcome(outcome) => {
            let id = outcome.id.clone();
            match outcome.kind {
                OutcomeKind::Escalate => effects.push(Effect::Escalate { outcome: id }),
                OutcomeKind::Review => effects.push(Effect::ReviewRequested { outcome: id }),
                OutcomeKind::Done => {}
            }
            effects.push(Effect::Finished {
                outcome: outcome.id.clone(),
            });
            Step {
                conversation: Conversation::Idle,
                replies: vec![reply(&outcome.message)],
                effects,
            }
        }
    }
}
