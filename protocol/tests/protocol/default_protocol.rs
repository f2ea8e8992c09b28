//! The shipped default protocol: every path, in every language.

use homewatch_protocol::{messages, Conversation, Effect};

use crate::{default_protocol, escalated, finished, run};

#[test]
fn loads_with_its_declared_settings() {
    let protocol = default_protocol();
    assert_eq!(protocol.id(), homewatch_protocol::builtin::DEFAULT_ID);
    assert_eq!(protocol.title(), "COVID-19 home monitoring");
    assert_eq!(protocol.programme_days(), 14);
    assert_eq!(protocol.fallback_language(), "en");
    assert_eq!(protocol.consent_version(), "2026-12-01");
    assert_eq!(protocol.max_tries(), 3);
    assert_eq!(protocol.part_budget(), 3);
    assert!(!protocol.requires_reviewed_languages());
    let languages: Vec<_> = protocol
        .languages()
        .into_iter()
        .map(|l| (l.code, l.name))
        .collect();
    let expected = [
        ("en", "English"),
        ("es", "Español"),
        ("vi", "Tiếng Việt"),
        ("am", "አማርኛ"),
        ("ru", "Русский"),
        ("zh-Hans", "简体中文"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect();
    assert_eq!(languages, expected);
    for (code, _) in &expected {
        assert!(protocol.supports(code), "{code}");
    }
    assert!(!protocol.supports("fr"));
    assert!(!protocol.supports("zh"));
}

#[test]
fn three_then_no_does_not_escalate() {
    let steps = run(&default_protocol(), "en", &["3", "no"]);
    assert!(!escalated(&steps));
    assert_eq!(finished(&steps).as_deref(), Some("thanks-worse"));
    assert_eq!(steps.last().unwrap().conversation, Conversation::Idle);
}

#[test]
fn three_then_yes_escalates() {
    let steps = run(&default_protocol(), "en", &["3", "yes"]);
    assert!(escalated(&steps));
    assert_eq!(finished(&steps).as_deref(), Some("nurse-call"));
}

#[test]
fn three_then_si_escalates_in_spanish() {
    let steps = run(&default_protocol(), "es", &["3", "sí"]);
    assert!(escalated(&steps));
    assert_eq!(finished(&steps).as_deref(), Some("nurse-call"));
}

/// Every path of the protocol, in each language, with the words patients may use.
#[test]
fn every_path_in_every_language() {
    const BETTER: (&str, &str) = ("feeling", "better");
    const SAME: (&str, &str) = ("feeling", "same");
    const WORSE: (&str, &str) = ("feeling", "worse");
    const FINE: (&str, &str) = ("breathing", "no");
    const BREATHLESS: (&str, &str) = ("breathing", "yes");
    /// (language, replies, answers recorded, outcome, escalates)
    type Path = (
        &'static str,
        &'static [&'static str],
        &'static [(&'static str, &'static str)],
        &'static str,
        bool,
    );
    #[rustfmt::skip]
    let paths: &[Path] = &[
        ("en", &["1"], &[BETTER], "thanks", false),
        ("en", &["Better!"], &[BETTER], "thanks", false),
        ("en", &["2"], &[SAME], "thanks", false),
        ("en", &["same"], &[SAME], "thanks", false),
        ("en", &["3", "no"], &[WORSE, FINE], "thanks-worse", false),
        ("en", &["worse", "N"], &[WORSE, FINE], "thanks-worse", false),
        ("en", &["3", "yes"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("en", &["3.", " YES "], &[WORSE, BREATHLESS], "nurse-call", true),
        ("es", &["1"], &[BETTER], "thanks", false),
        ("es", &["mejor"], &[BETTER], "thanks", false),
        ("es", &["2"], &[SAME], "thanks", false),
        ("es", &["Igual"], &[SAME], "thanks", false),
        ("es", &["peor", "no"], &[WORSE, FINE], "thanks-worse", false),
        ("es", &["3", "No."], &[WORSE, FINE], "thanks-worse", false),
        ("es", &["3", "sí"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("es", &["3", "si"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("es", &["PEOR", "¡Sí!"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("es", &["Me siento peor", "Sí, gracias"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("es", &["３", "claro"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("vi", &["1"], &[BETTER], "thanks", false),
        ("vi", &["Khá hơn"], &[BETTER], "thanks", false),
        ("vi", &["2"], &[SAME], "thanks", false),
        ("vi", &["nhu cu"], &[SAME], "thanks", false),
        ("vi", &["3", "không"], &[WORSE, FINE], "thanks-worse", false),
        ("vi", &["te hon", "ko"], &[WORSE, FINE], "thanks-worse", false),
        ("vi", &["3", "có"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("vi", &["Tệ hơn", "co a"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("vi", &["3", "Có ạ, cảm ơn"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("am", &["1"], &[BETTER], "thanks", false),
        ("am", &["ተሻለኝ"], &[BETTER], "thanks", false),
        ("am", &["2"], &[SAME], "thanks", false),
        ("am", &["ያው ነው።"], &[SAME], "thanks", false),
        ("am", &["3", "አይ"], &[WORSE, FINE], "thanks-worse", false),
        ("am", &["ባሰ", "አይደለም"], &[WORSE, FINE], "thanks-worse", false),
        ("am", &["3", "አዎ"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("am", &["3", "አዎ አመሰግናለሁ"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("ru", &["1"], &[BETTER], "thanks", false),
        ("ru", &["Лучше"], &[BETTER], "thanks", false),
        ("ru", &["2"], &[SAME], "thanks", false),
        ("ru", &["без изменений"], &[SAME], "thanks", false),
        ("ru", &["3", "нет"], &[WORSE, FINE], "thanks-worse", false),
        ("ru", &["ХУЖЕ", "Нет."], &[WORSE, FINE], "thanks-worse", false),
        ("ru", &["3", "да"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("ru", &["хуже", "Да, спасибо"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("zh-Hans", &["1"], &[BETTER], "thanks", false),
        ("zh-Hans", &["好一些"], &[BETTER], "thanks", false),
        ("zh-Hans", &["２"], &[SAME], "thanks", false),
        ("zh-Hans", &["差不多"], &[SAME], "thanks", false),
        ("zh-Hans", &["３", "否"], &[WORSE, FINE], "thanks-worse", false),
        ("zh-Hans", &["更差", "没有。"], &[WORSE, FINE], "thanks-worse", false),
        ("zh-Hans", &["3", "是"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("zh-Hans", &["变差", "是的，谢谢"], &[WORSE, BREATHLESS], "nurse-call", true),
        ("zh-Hans", &["3", "是谢谢"], &[WORSE, BREATHLESS], "nurse-call", true),
        // The fallback language's words are accepted too.
        ("es", &["worse", "yes"], &[WORSE, BREATHLESS], "nurse-call", true),
    ];
    let protocol = default_protocol();
    for (language, replies, answers, outcome, escalates) in paths {
        let steps = run(&protocol, language, replies);
        let case = format!("{language} {replies:?}");
        let recorded: Vec<(String, String)> = steps
            .iter()
            .flat_map(|s| &s.effects)
            .filter_map(|e| match e {
                Effect::Answered { question, answer } => Some((question.clone(), answer.clone())),
                _ => None,
            })
            .collect();
        let expected: Vec<(String, String)> = answers
            .iter()
            .map(|(q, a)| (q.to_string(), a.to_string()))
            .collect();
        assert_eq!(recorded, expected, "{case}");
        assert_eq!(finished(&steps).as_deref(), Some(*outcome), "{case}");
        assert_eq!(escalated(&steps), *escalates, "{case}");
        assert_eq!(
            steps.last().unwrap().conversation,
            Conversation::Idle,
            "{case}"
        );

        // Every text the path sends renders in the patient's language.
        for reply in steps.iter().flat_map(|s| &s.replies) {
            let text = protocol.render(language, &reply.message, &args()).unwrap();
            assert!(!text.trim().is_empty(), "{case}: {}", reply.message);
        }
    }
}

fn args() -> [(&'static str, &'static str); 4] {
    [
        ("days", "14"),
        ("callback", "(206) 555-0199"),
        ("support", "(206) 555-0100"),
        ("per_day", "1"),
    ]
}

fn every_message(protocol: &homewatch_protocol::Protocol) -> Vec<String> {
    let mut ids: Vec<String> = messages::REQUIRED.iter().map(|m| m.to_string()).collect();
    ids.extend(protocol.questions().into_iter().map(|q| q.prompt));
    ids.extend(protocol.outcomes().into_iter().map(|o| o.message));
    ids
}

/// One character outside GSM-7 makes a whole SMS UCS-2 (70 characters a part, not 160).
#[test]
fn english_texts_are_gsm7_and_free_of_isolation_marks() {
    // The basic GSM 03.38 set (the extension characters cost two and are left out).
    const GSM7: &str = concat!(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?",
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà",
    );
    let protocol = default_protocol();
    for message in every_message(&protocol) {
        for language in protocol.languages().iter().map(|l| l.code.as_str()) {
            let text = protocol.render(language, &message, &args()).unwrap();
            assert!(
                !text.contains(['\u{2068}', '\u{2069}']),
                "{language} {message}"
            );
            assert!(
                !text.contains("{$") && !text.contains("{ $"),
                "{language} {message}: {text}"
            );
            if language == "en" {
                let outside: Vec<char> = text.chars().filter(|c| !GSM7.contains(*c)).collect();
                assert!(
                    outside.is_empty(),
                    "{message} has non GSM-7 {outside:?}: {text}"
                );
            }
        }
    }
}

/// Texts the service relies on say what they must.
#[test]
fn keyword_texts_say_what_the_rules_require() {
    let protocol = default_protocol();
    for language in protocol.languages().iter().map(|l| l.code.as_str()) {
        let render = |m: &str| protocol.render(language, m, &args()).unwrap();
        assert!(render(messages::OPTED_OUT).contains("START"), "{language}");
        assert!(
            !render(messages::OPTED_OUT).contains("CANCEL"),
            "{language}"
        );
        assert!(render(messages::ENROLLED).contains("STOP"), "{language}");
        assert!(render(messages::ENROLLED).contains("HELP"), "{language}");
        assert!(
            render(messages::ENROLLED).contains("(206) 555-0199"),
            "{language}"
        );
        assert!(render(messages::HELP).contains("911"), "{language}");
        assert!(
            render(messages::HELP).contains("(206) 555-0100"),
            "{language}"
        );
        assert!(
            render(messages::PROGRAMME_ENDED).contains("START"),
            "{language}"
        );
        assert!(render("outcome-nurse-call").contains("911"), "{language}");
        assert!(
            render("outcome-nurse-call").contains("(206) 555-0199"),
            "{language}"
        );
        assert!(render(messages::CONSENT).contains("14"), "{language}");
    }
}

/// Every language has a word for WORSE that works at any time, and says so in its texts.
#[test]
fn every_language_has_a_worse_word_that_works_while_idle() {
    let protocol = default_protocol();
    #[rustfmt::skip]
    let words = [
        ("en", "WORSE", true), ("es", "peor", true), ("vi", "TỆ HƠN", true),
        ("vi", "te hon", true), ("am", "ባሰ", true), ("ru", "Хуже", true),
        ("zh-Hans", "更差", true), ("zh-Hans", "变差", false),
    ];
    for (language, word, shown) in words {
        let step = protocol.handle(&Conversation::Idle, language, word, crate::t0());
        assert_eq!(
            step.effects,
            [Effect::Answered {
                question: "feeling".into(),
                answer: "worse".into()
            }],
            "{language} {word}"
        );
        let reminder = protocol
            .render(language, messages::REMINDER, &args())
            .unwrap();
        // The reminder tells the patient the word (accents aside).
        let fold = |t: &str| homewatch_protocol::normalize_with(t, true);
        assert!(
            !shown || fold(&reminder).contains(&fold(word)),
            "{language}: {reminder}"
        );
    }
}

/// The original sample escalated every first "yes" whatever the breathing answer. Here feeling
/// worse but breathing as usual must not call a nurse, in any language.
#[test]
fn regression_sample_rule_every_first_yes_escalated_is_not_ours() {
    let protocol = default_protocol();
    for language in protocol.languages() {
        let no = protocol.answer_words(&language.code, "breathing", "no");
        let steps = run(&protocol, &language.code, &["3", &no[0]]);
        assert!(!escalated(&steps), "{}", language.code);
        assert_eq!(finished(&steps).as_deref(), Some("thanks-worse"));
    }
}
