//! SMS keywords, handled before anything reaches the clinical protocol.
//!
//! The words are data: `service/keywords/keywords.toml`, one table per language, read once.
//! Every language's words apply to every patient: a patient enrolled in Spanish who texts STOP
//! is opted out.
//!
//! Rules:
//! - A message is compared after [`normalize`]: case, punctuation, extra spaces and full-width
//!   forms do not matter, and neither do accents, except in languages whose table says
//!   `fold_accents = false` (Vietnamese: without accents "dừng", stop, and "đúng", right, are
//!   both "dung"; there the accented word and only the unambiguous unaccented forms are listed).
//! - A message that is only a keyword acts as that keyword.
//! - An opt-out *phrase* (`opt_out_anywhere`) anywhere in a longer message ("please stop
//!   texting me", "no more texts") opts out: a reasonable person reads it as a revocation, and
//!   wrongly honouring an opt-out costs a phone call, while ignoring one breaks the law and the
//!   patient's trust. A phrase must stand as whole words; in Chinese, which has no spaces, as
//!   a run of characters, so only phrases that cannot sit inside a symptom belong there
//!   ("不要再发" is not one: "不要再发烧" is "no more fever").
//! - Single opt-out words (`opt_out`: STOP, QUIT, "ya no") act only as the whole message:
//!   "the pain does not stop" and "ya no me duele" (it no longer hurts) reach the protocol.
//! - Opt-in and help act only as the whole message, so "I need help breathing" is not
//!   mistaken for a request for support details: it goes to the protocol.

use homewatch_protocol::is_unspaced;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// What a keyword asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    /// Stop all texts.
    OptOut,
    /// Start texts again after an opt-out.
    OptIn,
    /// Send the programme's support contact details.
    Help,
}

impl Keyword {
    /// How the inbound message is recorded.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::OptOut => "opt_out",
            Keyword::OptIn => "opt_in",
            Keyword::Help => "help",
        }
    }
}

/// The keyword file as written.
const KEYWORDS_TOML: &str = include_str!("../keywords/keywords.toml");

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLanguage {
    #[serde(default = "yes")]
    fold_accents: bool,
    opt_out: Vec<String>,
    #[serde(default)]
    opt_out_anywhere: Vec<String>,
    opt_in: Vec<String>,
    help: Vec<String>,
}

fn yes() -> bool {
    true
}

/// One language's keywords, normalized as messages will be.
#[derive(Debug)]
struct Language {
    /// The language tag; only the tests name it, in their messages.
    #[cfg_attr(not(test), allow(dead_code))]
    code: String,
    fold_accents: bool,
    opt_out: Vec<String>,
    opt_out_anywhere: Vec<String>,
    opt_in: Vec<String>,
    help: Vec<String>,
}

/// Parses the keyword file; an error names the language and what to fix.
fn parse(text: &str) -> Result<Vec<Language>, String> {
    let raw: BTreeMap<String, RawLanguage> =
        toml::from_str(text).map_err(|e| format!("keywords.toml: {e}"))?;
    let mut languages = Vec::new();
    for (code, raw) in raw {
        let fold = raw.fold_accents;
        let list = |name: &str, words: Vec<String>| -> Result<Vec<String>, String> {
            let words: Vec<String> = words
                .iter()
                .map(|w| homewatch_protocol::normalize_with(w, fold))
                .collect();
            if words.iter().any(String::is_empty) {
                return Err(format!("keywords.toml: [{code}] {name} has an empty word"));
            }
            Ok(words)
        };
        languages.push(Language {
            opt_out: list("opt_out", raw.opt_out)?,
            opt_out_anywhere: list("opt_out_anywhere", raw.opt_out_anywhere)?,
            opt_in: list("opt_in", raw.opt_in)?,
            help: list("help", raw.help)?,
            fold_accents: fold,
            code,
        });
    }
    Ok(languages)
}

fn languages() -> &'static [Language] {
    static LANGUAGES: OnceLock<Vec<Language>> = OnceLock::new();
    // The file is part of the binary and a test parses it, so a failure here is a build defect.
    LANGUAGES.get_or_init(|| parse(KEYWORDS_TOML).expect("keywords.toml is checked by a test"))
}

/// Finds the keyword a message is, if any, by the rules in the module docs.
pub fn classify(body: &str) -> Option<Keyword> {
    let languages = languages();
    // Folded and unfolded forms of the message, each computed once.
    let folded = normalize(body);
    let exact = homewatch_protocol::normalize_with(body, false);
    let text_for = |language: &Language| {
        if language.fold_accents {
            folded.as_str()
        } else {
            exact.as_str()
        }
    };
    if folded.is_empty() {
        return None;
    }

    // Opt-out first: of two readings, the one that stops texts wins.
    let opts_out = languages.iter().any(|language| {
        let text = text_for(language);
        language.opt_out.iter().any(|w| w == text)
            || language
                .opt_out_anywhere
                .iter()
                .any(|phrase| contains_phrase(text, phrase))
    });
    if opts_out {
        return Some(Keyword::OptOut);
    }
    if languages
        .iter()
        .any(|l| l.opt_in.iter().any(|w| w == text_for(l)))
    {
        return Some(Keyword::OptIn);
    }
    if languages
        .iter()
        .any(|l| l.help.iter().any(|w| w == text_for(l)))
    {
        return Some(Keyword::Help);
    }
    None
}

/// Lowercase, accents folded, full-width forms made ASCII, punctuation other than inner
/// hyphens and apostrophes dropped, spaces collapsed (the protocol's one normalization).
pub fn normalize(body: &str) -> String {
    homewatch_protocol::normalize_with(body, true)
}

/// Whether `phrase` occurs in `text` as whole words. Next to a character of a script written
/// without spaces (Chinese, Japanese) any position is a word boundary.
fn contains_phrase(text: &str, phrase: &str) -> bool {
    let boundary = |c: Option<char>| c.is_none_or(|c| c == ' ' || is_unspaced(c));
    let first = phrase.chars().next();
    let last = phrase.chars().next_back();
    text.match_indices(phrase).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + phrase.len()..].chars().next();
        (boundary(before) || first.is_some_and(is_unspaced))
            && (boundary(after) || last.is_some_and(is_unspaced))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keyword_file_parses_and_no_word_means_two_things() {
        let languages = parse(KEYWORDS_TOML).unwrap();
        let codes: Vec<&str> = languages.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["am", "en", "es", "fr", "ru", "vi", "zh-Hans"]);
        let mut seen: BTreeMap<&str, (&str, &str)> = BTreeMap::new();
        for language in &languages {
            let whole = [
                ("opt_out", &language.opt_out),
                ("opt_in", &language.opt_in),
                ("help", &language.help),
            ];
            for (kind, words) in whole {
                assert!(!words.is_empty(), "[{}] {kind} is empty", language.code);
                for word in words {
                    if let Some((code, other)) = seen.insert(word, (&language.code, kind)) {
                        assert_eq!(
                            other, kind,
                            "`{word}` is {other} in [{code}] and {kind} in [{}]",
                            language.code
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_broken_keyword_file_says_what_is_wrong() {
        let error = parse("[en]\nopt_out = [\"!!\"]\nopt_in = []\nhelp = []\n").unwrap_err();
        assert!(error.contains("[en] opt_out has an empty word"), "{error}");
        assert!(parse("[en]\nopt_out = []\n").is_err());
    }

    /// (message, keyword) for every language; whole-message words in any case and punctuation.
    #[rustfmt::skip]
    const WHOLE_MESSAGES: &[(&str, &str, Keyword)] = &[
        // AWS's required list, each in capitals as carriers show it.
        ("en", "ARRET", Keyword::OptOut), ("en", "CANCEL", Keyword::OptOut),
        ("en", "END", Keyword::OptOut), ("en", "OPT-OUT", Keyword::OptOut),
        ("en", "OPTOUT", Keyword::OptOut), ("en", "QUIT", Keyword::OptOut),
        ("en", "REMOVE", Keyword::OptOut), ("en", "STOP", Keyword::OptOut),
        ("en", "TD", Keyword::OptOut), ("en", "UNSUBSCRIBE", Keyword::OptOut),
        ("en", "Stop.", Keyword::OptOut), ("en", "  stop  ", Keyword::OptOut),
        ("en", "ＳＴＯＰ", Keyword::OptOut), ("en", "Revoke", Keyword::OptOut),
        ("en", "opt out", Keyword::OptOut), ("en", "STOPALL", Keyword::OptOut),
        ("en", "START", Keyword::OptIn), ("en", "unstop", Keyword::OptIn),
        ("en", "Join", Keyword::OptIn), ("en", "ENROLL", Keyword::OptIn),
        ("en", "HELP", Keyword::Help), ("en", "info?", Keyword::Help),
        ("fr", "Arrêt", Keyword::OptOut), ("fr", "ARRÊTER", Keyword::OptOut),
        ("fr", "AIDE", Keyword::Help),
        ("es", "ALTO", Keyword::OptOut), ("es", "parar!", Keyword::OptOut),
        ("es", "Baja", Keyword::OptOut), ("es", "Ya no.", Keyword::OptOut),
        ("es", "cancelar", Keyword::OptOut), ("es", "Para", Keyword::OptOut),
        ("es", "EMPEZAR", Keyword::OptIn), ("es", "Ayuda", Keyword::Help),
        ("es", "información", Keyword::Help), ("es", "informacion", Keyword::Help),
        ("vi", "Dừng", Keyword::OptOut), ("vi", "NGỪNG", Keyword::OptOut),
        ("vi", "ngung", Keyword::OptOut), ("vi", "hủy đăng ký", Keyword::OptOut),
        ("vi", "huy dang ky", Keyword::OptOut), ("vi", "bắt đầu", Keyword::OptIn),
        ("vi", "bat dau", Keyword::OptIn), ("vi", "Giúp", Keyword::Help),
        ("vi", "tro giup", Keyword::Help),
        ("am", "አቁም", Keyword::OptOut), ("am", "አቁም።", Keyword::OptOut),
        ("am", "ጀምር", Keyword::OptIn), ("am", "እርዳታ", Keyword::Help),
        ("ru", "СТОП", Keyword::OptOut), ("ru", "Отписаться", Keyword::OptOut),
        ("ru", "хватит!", Keyword::OptOut), ("ru", "Старт", Keyword::OptIn),
        ("ru", "ПОМОЩЬ", Keyword::Help),
        ("zh-Hans", "停止", Keyword::OptOut), ("zh-Hans", "退订。", Keyword::OptOut),
        ("zh-Hans", "取消", Keyword::OptOut), ("zh-Hans", "开始", Keyword::OptIn),
        ("zh-Hans", "帮助", Keyword::Help), ("zh-Hans", "ＴＤ", Keyword::OptOut),
    ];

    #[test]
    fn whole_message_keywords_in_every_language() {
        for (language, text, expected) in WHOLE_MESSAGES {
            assert_eq!(classify(text), Some(*expected), "{language}: {text}");
        }
        let codes: Vec<&str> = WHOLE_MESSAGES.iter().map(|(l, _, _)| *l).collect();
        for language in parse(KEYWORDS_TOML).unwrap() {
            assert!(
                codes.contains(&language.code.as_str()),
                "no test for {}",
                language.code
            );
        }
    }

    #[test]
    fn opt_out_phrases_count_inside_longer_messages() {
        for text in [
            "Please stop texting me",
            "no more texts, thanks",
            "No más mensajes",
            "Por favor, ya no me escriban más",
            "Xin ngừng nhắn tin cho tôi",
            "xin ngung nhan tin",
            "Пожалуйста, больше не пишите мне",
            "请不要再发短信给我",
            "我要退订",
            "እባካችሁ መልእክት አትላኩልኝ",
        ] {
            assert_eq!(classify(text), Some(Keyword::OptOut), "{text}");
        }
    }

    #[test]
    fn ordinary_speech_containing_a_keyword_reaches_the_protocol() {
        for text in [
            // A stop word inside ordinary speech is not a revocation.
            "the pain does not stop",
            "I can't stop coughing",
            // "ya no" opts out alone, but "it no longer hurts" must reach the protocol.
            "ya no me duele",
            "para mí está igual",
            // "no more fever" in Chinese contains "不要再发".
            "我不要再发烧了",
            // Vietnamese "đúng" (right, yes) is "dung" without accents, like "dừng" (stop).
            "đúng",
            "dung",
            "I need help breathing",
            "помощь нужна, трудно дышать",
            "3",
            "sí",
            "",
            "   ",
        ] {
            assert_eq!(classify(text), None, "{text}");
        }
    }

    /// Patients answer the check-in with these words; none may be taken for a keyword.
    #[test]
    fn no_answer_word_of_a_shipped_protocol_is_a_keyword() {
        for (id, sources) in homewatch_protocol::builtin::all() {
            let protocol = homewatch_protocol::Protocol::load(&sources).unwrap();
            for language in protocol.languages() {
                for question in protocol.questions() {
                    for (answer, _) in &question.answers {
                        let words = protocol.answer_words(&language.code, &question.id, answer);
                        for word in words {
                            assert_eq!(classify(&word), None, "{id} {} {word}", language.code);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn normalize_folds_case_accents_width_and_punctuation() {
        assert_eq!(normalize("  ¡ARRÊT! "), "arret");
        assert_eq!(normalize("ｏｐｔ－ｏｕｔ"), "opt-out");
        assert_eq!(normalize("No   MÁS"), "no mas");
    }
}
