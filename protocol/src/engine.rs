//! The conversation engine: a pure function from (state, reply, time) to the next step.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::load::Loaded;
use crate::messages;
use crate::normalize::normalize;
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
    /// The reply matched no answer; the question was asked again.
    NotUnderstood {
        /// Question id.
        question: String,
        /// Replies not understood so far, this one included.
        tries: u32,
    },
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
) -> Step {
    let word = normalize(text);
    let languages = languages(protocol, language);

    let (question, tries) = match conversation {
        Conversation::Awaiting {
            question, tries, ..
        } => match protocol.structure.question(question) {
            Some(open) => (open, *tries),
            // The open question is gone (the protocol changed since it was asked): start over.
            None => return start_check_in(protocol, &Conversation::Idle, now),
        },
        Conversation::Idle => return handle_idle(protocol, &languages, &word, now),
    };

    match find_answer(&languages, &question.id, &word) {
        Some(answer) => answered(protocol, question, &answer, now),
        None => {
            let tries = tries.saturating_add(1);
            let since = match conversation {
                Conversation::Awaiting { since, .. } => *since,
                Conversation::Idle => now,
            };
            Step {
                conversation: Conversation::Awaiting {
                    question: question.id.clone(),
                    tries,
                    since,
                },
                replies: vec![reply(messages::NOT_UNDERSTOOD), reply(&question.prompt)],
                effects: vec![Effect::NotUnderstood {
                    question: question.id.clone(),
                    tries,
                }],
            }
        }
    }
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

fn find_answer(languages: &[&Texts], question: &str, word: &str) -> Option<String> {
    languages.iter().find_map(|texts| {
        texts
            .answer_words
            .get(question)?
            .iter()
            .find(|(w, _)| w == word)
            .map(|(_, a)| a.clone())
    })
}

fn handle_idle(protocol: &Loaded, languages: &[&Texts], word: &str, now: DateTime<Utc>) -> Step {
    for texts in languages {
        if texts.start_words.iter().any(|w| w == word) {
            return start_check_in(protocol, &Conversation::Idle, now);
        }
        let anytime = texts.anytime_words.iter().find(|(w, _, _)| w == word);
        if let Some((_, question, answer)) = anytime {
            if let Some(question) = protocol.structure.question(question) {
                return answered(protocol, question, answer, now);
            }
        }
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
            if outcome.kind == OutcomeKind::Escalate {
                effects.push(Effect::Escalate {
                    outcome: outcome.id.clone(),
                });
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
