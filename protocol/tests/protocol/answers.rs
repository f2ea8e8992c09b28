//! Replies as patients type them: any case, stray punctuation and spaces, full-width digits,
//! accents present or missing, a courtesy word before or after.

use homewatch_protocol::{normalize_with, Conversation, Effect, Protocol};
use proptest::prelude::*;

use crate::{default_protocol, t0};

/// (language, question, answer, word) for every accepted word of the default protocol.
fn accepted_words(protocol: &Protocol) -> Vec<(String, String, String, String)> {
    let mut all = Vec::new();
    for language in protocol.languages() {
        for question in protocol.questions() {
            for (answer, _) in &question.answers {
                for word in protocol.answer_words(&language.code, &question.id, answer) {
                    all.push((
                        language.code.clone(),
                        question.id.clone(),
                        answer.clone(),
                        word,
                    ));
                }
            }
        }
    }
    all
}

/// The courtesy word each language's patients add most, as they would type it.
fn courtesy(language: &str) -> &'static str {
    match language {
        "en" => "Thank you",
        "es" => "Gracias",
        "vi" => "cảm ơn",
        "am" => "አመሰግናለሁ",
        "ru" => "Спасибо",
        "zh-Hans" => "谢谢",
        other => panic!("no courtesy word for {other}"),
    }
}

fn answer_of(protocol: &Protocol, language: &str, question: &str, text: &str) -> Option<String> {
    let state = Conversation::Awaiting {
        question: question.to_string(),
        tries: 0,
        since: t0(),
    };
    protocol
        .handle(&state, language, text, t0())
        .effects
        .into_iter()
        .find_map(|e| match e {
            Effect::Answered {
                question: q,
                answer,
            } if q == question => Some(answer),
            _ => None,
        })
}

fn case_mix(word: &str, pattern: &[bool]) -> String {
    word.chars()
        .zip(pattern.iter().cycle())
        .map(|(c, upper)| {
            if *upper {
                c.to_uppercase().collect::<String>()
            } else {
                c.to_string()
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn an_accepted_word_matches_however_it_is_typed(
        index in any::<prop::sample::Index>(),
        pattern in prop::collection::vec(any::<bool>(), 1..8),
        pre in "[ \\t.¡¿\"'(]{0,3}",
        post in "[ .!?…)\"]{0,3}",
        thanks in any::<bool>(),
        before in any::<bool>(),
    ) {
        let protocol = default_protocol();
        let words = accepted_words(&protocol);
        let (language, question, answer, word) = index.get(&words);
        let typed = case_mix(word, &pattern);
        let text = match (thanks, before) {
            (false, _) => format!("{pre}{typed}{post}"),
            (true, false) => format!("{pre}{typed}, {}{post}", courtesy(language)),
            (true, true) => format!("{pre}{}, {typed}{post}", courtesy(language)),
        };
        let found = answer_of(&protocol, language, question, &text);
        prop_assert_eq!(found.as_deref(), Some(answer.as_str()), "{} {:?}", language, text);
    }

    #[test]
    fn accents_may_be_left_out_where_the_language_folds_them(
        index in any::<prop::sample::Index>(),
    ) {
        let protocol = default_protocol();
        let words: Vec<_> = accepted_words(&protocol)
            .into_iter()
            .filter(|(l, ..)| ["en", "es", "vi"].contains(&l.as_str()))
            .collect();
        let (language, question, answer, word) = index.get(&words);
        let bare = normalize_with(word, true);
        let found = answer_of(&protocol, language, question, &bare);
        prop_assert_eq!(found.as_deref(), Some(answer.as_str()), "{} {}", language, bare);
    }

    #[test]
    fn full_width_digits_are_digits(digit in 1u32..=3) {
        let wide = char::from_u32(0xFF10 + digit).unwrap().to_string();
        let protocol = default_protocol();
        for language in ["en", "zh-Hans", "ru"] {
            prop_assert_eq!(
                answer_of(&protocol, language, "feeling", &wide),
                answer_of(&protocol, language, "feeling", &digit.to_string())
            );
        }
    }
}

#[test]
fn spanish_si_with_or_without_accent_and_vietnamese_co() {
    let protocol = default_protocol();
    for (language, text) in [
        ("es", "si"),
        ("es", "SÍ"),
        ("es", "Sí, gracias."),
        ("vi", "co"),
        ("vi", "CÓ"),
        ("vi", "co\u{301}"),
        ("ru", "ДА!"),
        ("zh-Hans", "是"),
        ("am", "አዎ።"),
    ] {
        let found = answer_of(&protocol, language, "breathing", text);
        assert_eq!(found.as_deref(), Some("yes"), "{language} {text}");
    }
}
