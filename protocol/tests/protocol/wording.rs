//! Texts that say how often and how long: one or two check-ins a day, one day or many.

use homewatch_protocol::{builtin, messages, Protocol};

use crate::default_protocol;

fn oximetry() -> Protocol {
    Protocol::load(&builtin::covid_19_pulse_oximetry()).unwrap()
}

fn render(protocol: &Protocol, language: &str, message: &str, days: &str, per_day: &str) -> String {
    let args = [
        ("days", days),
        ("callback", "(206) 555-0199"),
        ("support", "(206) 555-0100"),
        ("per_day", per_day),
    ];
    match protocol.render(language, message, &args) {
        Ok(text) => text,
        Err(e) => panic!("{language} {message} days {days} per_day {per_day}: {e}"),
    }
}

fn every_message(protocol: &Protocol) -> Vec<String> {
    let mut ids: Vec<String> = messages::REQUIRED.iter().map(|m| m.to_string()).collect();
    ids.extend(protocol.questions().into_iter().map(|q| q.prompt));
    ids.extend(protocol.outcomes().into_iter().map(|o| o.message));
    ids
}

#[test]
fn every_text_renders_for_one_or_two_a_day_and_one_or_fourteen_days() {
    for protocol in [default_protocol(), oximetry()] {
        for language in protocol.languages() {
            let language = language.code.as_str();
            for message in every_message(&protocol) {
                for (days, per_day) in [("1", "1"), ("1", "2"), ("14", "1"), ("14", "2")] {
                    let text = render(&protocol, language, &message, days, per_day);
                    let case = format!(
                        "{} {language} {message} {days}/{per_day}: {text}",
                        protocol.id()
                    );
                    assert!(!text.trim().is_empty(), "{case}");
                    assert!(
                        !text.contains(['{', '}', '$', '\u{2068}', '\u{2069}']),
                        "{case}"
                    );
                    assert!(!text.contains('\n'), "{case}");
                    if language == "en" {
                        assert!(text.is_ascii(), "{case}");
                    }
                }
            }
        }
    }
}

/// Before: "We will text you once a day for 1 days" whatever the schedule.
#[test]
fn texts_said_once_a_day_and_1_days_whatever_the_schedule() {
    #[rustfmt::skip]
    let cases: &[(&str, &str, &str, &str, &[&str])] = &[
        ("en", messages::ENROLLED, "1", "1", &["once a day for 1 day."]),
        ("en", messages::ENROLLED, "14", "2", &["twice a day for 14 days."]),
        ("en", messages::CONSENT, "1", "2", &["twice a day for 1 day to"]),
        ("en", messages::OPTED_IN, "14", "2", &["twice a day."]),
        ("es", messages::ENROLLED, "1", "1", &["una vez al día durante 1 día."]),
        ("es", messages::ENROLLED, "14", "2", &["dos veces al día durante 14 días."]),
        ("es", messages::CONSENT, "14", "2", &["dos mensajes al día durante 14 días"]),
        ("es", messages::OPTED_IN, "1", "2", &["dos veces al día."]),
        ("ru", messages::ENROLLED, "1", "1", &["раз в день в течение 1 дня."]),
        ("ru", messages::ENROLLED, "14", "2", &["два раза в день в течение 14 дней."]),
        ("ru", messages::CONSENT, "21", "1", &["раз в день в течение 21 дня,"]),
        ("ru", messages::CONSENT, "3", "2", &["в течение 3 дней,"]),
        ("ru", messages::OPTED_IN, "14", "2", &["два раза в день."]),
        ("vi", messages::ENROLLED, "1", "1", &["mỗi ngày một lần trong 1 ngày."]),
        ("vi", messages::ENROLLED, "14", "2", &["mỗi ngày hai lần trong 14 ngày."]),
        ("vi", messages::OPTED_IN, "14", "2", &["mỗi ngày hai lần."]),
        ("am", messages::ENROLLED, "1", "1", &["ለ1 ቀን በቀን አንድ ጊዜ"]),
        ("am", messages::ENROLLED, "14", "2", &["ለ14 ቀናት በቀን ሁለት ጊዜ"]),
        ("am", messages::OPTED_IN, "14", "2", &["በቀን ሁለት ጊዜ"]),
        ("zh-Hans", messages::ENROLLED, "1", "1", &["在 1 天内每天给您发一条短信"]),
        ("zh-Hans", messages::ENROLLED, "14", "2", &["在 14 天内每天给您发两条短信"]),
        ("zh-Hans", messages::OPTED_IN, "14", "2", &["每天给您发两条短信"]),
    ];
    let protocol = default_protocol();
    for (language, message, days, per_day, says) in cases {
        let text = render(&protocol, language, message, days, per_day);
        for phrase in *says {
            assert!(
                text.contains(phrase),
                "{language} {message} {days}/{per_day}: {text}"
            );
        }
        if *per_day == "2" {
            for once in [
                "once a day",
                "una vez",
                "un mensaje",
                "mỗi ngày một lần",
                "一条",
            ] {
                assert!(!text.contains(once), "{language} {message}: {text}");
            }
        }
    }

    let oximetry = oximetry();
    for language in ["en", "es"] {
        let text = render(&oximetry, language, messages::CONSENT, "1", "2");
        assert!(
            !text.contains("1 days") && !text.contains("1 días"),
            "{text}"
        );
        assert!(text.contains("twice") || text.contains("dos"), "{text}");
    }
}
