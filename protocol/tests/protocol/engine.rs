//! The conversation engine's rules, on the default protocol.

use chrono::Duration;
use homewatch_protocol::{messages, Conversation, Effect, Reply, Step};

use crate::{default_protocol, t0};

fn replies(step: &Step) -> Vec<&str> {
    step.replies.iter().map(|r| r.message.as_str()).collect()
}

fn awaiting(question: &str, tries: u32) -> Conversation {
    Conversation::Awaiting {
        question: question.into(),
        tries,
        since: t0(),
    }
}

#[test]
fn start_check_in_asks_the_first_question_and_records_when() {
    let step = default_protocol().start_check_in(&Conversation::Idle, t0());
    assert_eq!(step.conversation, awaiting("feeling", 0));
    assert_eq!(replies(&step), ["question-feeling"]);
    assert!(step.effects.is_empty());
}

#[test]
fn start_check_in_while_a_question_is_open_asks_it_again_keeping_tries() {
    let open = awaiting("breathing", 2);
    let later = t0() + Duration::days(1);
    let step = default_protocol().start_check_in(&open, later);
    assert_eq!(step.conversation, open);
    assert_eq!(replies(&step), ["question-breathing"]);
    assert!(step.effects.is_empty());
}

#[test]
fn a_reply_that_matches_nothing_is_re_prompted_and_counted() {
    let protocol = default_protocol();
    let later = t0() + Duration::minutes(5);
    let first = protocol.handle(&awaiting("feeling", 0), "en", "maybe", later);
    assert_eq!(
        first.conversation,
        awaiting("feeling", 1),
        "`since` stays when first asked"
    );
    assert_eq!(
        replies(&first),
        [messages::NOT_UNDERSTOOD, "question-feeling"]
    );
    assert_eq!(
        first.effects,
        [Effect::NotUnderstood {
            question: "feeling".into(),
            tries: 1
        }]
    );

    let second = protocol.handle(&first.conversation, "en", "4", later);
    assert_eq!(second.conversation, awaiting("feeling", 2));
    assert_eq!(
        second.effects,
        [Effect::NotUnderstood {
            question: "feeling".into(),
            tries: 2
        }]
    );
}

#[test]
fn an_answer_asks_the_next_question_from_scratch() {
    let later = t0() + Duration::minutes(3);
    let step = default_protocol().handle(&awaiting("feeling", 2), "en", "3", later);
    let expected = Conversation::Awaiting {
        question: "breathing".into(),
        tries: 0,
        since: later,
    };
    assert_eq!(step.conversation, expected);
    assert_eq!(replies(&step), ["question-breathing"]);
    assert_eq!(
        step.effects,
        [Effect::Answered {
            question: "feeling".into(),
            answer: "worse".into()
        }]
    );
}

#[test]
fn an_escalating_outcome_reports_escalate_then_finished() {
    let step = default_protocol().handle(&awaiting("breathing", 0), "en", "yes", t0());
    assert_eq!(step.conversation, Conversation::Idle);
    assert_eq!(
        step.replies,
        [Reply {
            message: "outcome-nurse-call".into()
        }]
    );
    assert_eq!(
        step.effects,
        [
            Effect::Answered {
                question: "breathing".into(),
                answer: "yes".into()
            },
            Effect::Escalate {
                outcome: "nurse-call".into()
            },
            Effect::Finished {
                outcome: "nurse-call".into()
            },
        ]
    );
}

#[test]
fn free_text_while_idle_says_no_check_in_is_open() {
    let step = default_protocol().handle(&Conversation::Idle, "en", "thanks!", t0());
    assert_eq!(step.conversation, Conversation::Idle);
    assert_eq!(replies(&step), [messages::NO_CHECK_IN_OPEN]);
    assert!(step.effects.is_empty());
}

#[test]
fn a_start_word_while_idle_starts_a_check_in() {
    let protocol = default_protocol();
    for (language, word) in [
        ("en", "Ready"),
        ("en", "hi!"),
        ("es", "hola"),
        ("es", "ready"),
    ] {
        let step = protocol.handle(&Conversation::Idle, language, word, t0());
        assert_eq!(
            step.conversation,
            awaiting("feeling", 0),
            "{language} {word}"
        );
        assert_eq!(replies(&step), ["question-feeling"]);
    }
}

/// COVID Watch let patients text WORSE at any time; here that is data (`anytime`).
#[test]
fn worse_while_idle_starts_a_check_in_already_answered_worse() {
    let protocol = default_protocol();
    for (language, word) in [
        ("en", "WORSE"),
        ("en", "3"),
        ("es", "peor"),
        ("es", "worse"),
    ] {
        let step = protocol.handle(&Conversation::Idle, language, word, t0());
        assert_eq!(
            step.conversation,
            awaiting("breathing", 0),
            "{language} {word}"
        );
        assert_eq!(
            step.effects,
            [Effect::Answered {
                question: "feeling".into(),
                answer: "worse".into()
            }]
        );
    }
    let better = protocol.handle(&Conversation::Idle, "en", "1", t0());
    assert_eq!(
        replies(&better),
        [messages::NO_CHECK_IN_OPEN],
        "only `worse` is anytime"
    );
}

#[test]
fn an_unsupported_language_is_matched_with_the_fallback_words() {
    let step = default_protocol().handle(&awaiting("breathing", 0), "fr", "yes", t0());
    assert!(step.effects.contains(&Effect::Escalate {
        outcome: "nurse-call".into()
    }));
}

#[test]
fn spanish_words_are_not_accepted_from_an_english_speaker() {
    let step = default_protocol().handle(&awaiting("breathing", 0), "en", "sí", t0());
    assert_eq!(
        step.effects,
        [Effect::NotUnderstood {
            question: "breathing".into(),
            tries: 1
        }]
    );
}

#[test]
fn a_question_removed_from_the_protocol_starts_the_check_in_again() {
    let step = default_protocol().handle(&awaiting("retired-question", 1), "en", "yes", t0());
    assert_eq!(step.conversation, awaiting("feeling", 0));
    assert_eq!(replies(&step), ["question-feeling"]);
}

#[test]
fn a_protocol_is_shared_across_threads() {
    fn shareable<T: Send + Sync + Clone + std::fmt::Debug>(_: &T) {}
    let protocol = default_protocol();
    shareable(&protocol);
    let copy = protocol.clone();
    let step = std::thread::spawn(move || copy.handle(&Conversation::Idle, "en", "3", t0()));
    assert_eq!(step.join().unwrap().conversation, awaiting("breathing", 0));
}

#[test]
fn files_saved_with_a_byte_order_mark_load() {
    let mut sources = homewatch_protocol::builtin::covid_19_home_monitoring();
    sources.structure.text.insert(0, '\u{feff}');
    sources.texts[0].1.text.insert(0, '\u{feff}');
    assert!(homewatch_protocol::Protocol::load(&sources).is_ok());
}

#[test]
fn the_engine_is_pure() {
    let protocol = default_protocol();
    let state = awaiting("feeling", 0);
    let a = protocol.handle(&state, "es", "peor", t0());
    let b = protocol.handle(&state, "es", "peor", t0());
    assert_eq!(a, b);
}

#[test]
fn conversation_and_effects_serialize_with_a_tag() {
    let json = serde_json::to_value(awaiting("feeling", 1)).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "state": "awaiting", "question": "feeling", "tries": 1,
            "since": "2026-12-01T09:00:00Z"
        })
    );
    let idle = serde_json::to_value(Conversation::Idle).unwrap();
    assert_eq!(idle, serde_json::json!({ "state": "idle" }));
    let back: Conversation = serde_json::from_value(json).unwrap();
    assert_eq!(back, awaiting("feeling", 1));

    let effect = serde_json::to_value(Effect::Escalate {
        outcome: "nurse-call".into(),
    })
    .unwrap();
    assert_eq!(
        effect,
        serde_json::json!({ "effect": "escalate", "outcome": "nurse-call" })
    );
}

#[test]
fn at_max_tries_the_check_in_is_handed_to_staff_not_re_prompted() {
    let protocol = default_protocol();
    assert_eq!(protocol.max_tries(), 3);
    let step = protocol.handle(&awaiting("breathing", 2), "en", "what?", t0());
    assert_eq!(step.conversation, Conversation::Idle);
    assert_eq!(replies(&step), [messages::HANDED_TO_STAFF]);
    assert_eq!(
        step.effects,
        [
            Effect::NotUnderstood {
                question: "breathing".into(),
                tries: 3
            },
            Effect::NeedsReview {
                question: "breathing".into(),
                tries: 3
            },
        ]
    );
}

#[test]
fn max_tries_is_protocol_data() {
    let mut sources = homewatch_protocol::builtin::covid_19_home_monitoring();
    sources.structure.text = sources
        .structure
        .text
        .replace("max_tries = 3", "max_tries = 1");
    let protocol = homewatch_protocol::Protocol::load(&sources).unwrap();
    let step = protocol.handle(&awaiting("feeling", 0), "es", "quizás", t0());
    assert_eq!(replies(&step), [messages::HANDED_TO_STAFF]);

    sources.structure.text = sources
        .structure
        .text
        .replace("max_tries = 1", "max_tries = 0");
    let errors = homewatch_protocol::Protocol::load(&sources).unwrap_err();
    assert!(
        errors.to_string().contains("`max_tries` is empty"),
        "{errors}"
    );
}

/// During an open question, a WORSE word that is not an answer of that question jumps to where
/// WORSE leads (the breathing question); digits do not, as they answer the open question.
#[test]
fn worse_during_another_question_jumps_to_the_breathing_question() {
    let protocol = default_protocol();
    for (language, word) in [
        ("en", "worse"),
        ("es", "PEOR"),
        ("ru", "хуже"),
        ("zh-Hans", "更差"),
    ] {
        let step = protocol.handle(&awaiting("breathing", 1), language, word, t0());
        assert_eq!(step.conversation, awaiting("breathing", 0), "{language}");
        assert_eq!(replies(&step), ["question-breathing"], "{language}");
        assert_eq!(
            step.effects,
            [Effect::Answered {
                question: "feeling".into(),
                answer: "worse".into()
            }]
        );
    }
    let digit = protocol.handle(&awaiting("breathing", 0), "en", "3", t0());
    assert_eq!(
        digit.effects,
        [Effect::NotUnderstood {
            question: "breathing".into(),
            tries: 1
        }]
    );
}

#[test]
fn thanks_alone_is_not_an_answer_and_not_dropped() {
    let protocol = default_protocol();
    let step = protocol.handle(&awaiting("feeling", 0), "en", "Thanks!", t0());
    assert_eq!(
        replies(&step),
        [messages::NOT_UNDERSTOOD, "question-feeling"]
    );
}
