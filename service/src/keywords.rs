//! SMS keywords, handled before anything reaches the clinical protocol.
//!
//! Rules:
//! - A message is compared after [`normalize`]: case, accents, punctuation and extra spaces
//!   do not matter.
//! - A message that is only a keyword acts as that keyword.
//! - An opt-out *phrase* anywhere in a longer message ("please stop texting me", "no more
//!   texts") opts out: a reasonable person reads it as a revocation, and wrongly honouring an
//!   opt-out costs a phone call, while ignoring one breaks the law and the patient's trust.
//! - Opt-in and help act only as the whole message, so "I need help breathing" is not mistaken
//!   for a request for support details: it goes to the protocol.

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

/// Whole-message opt-out words: AWS's required list, the FCC's words, Canada's ARRET, and US
/// Spanish.
const OPT_OUT_WORDS: &[&str] = &[
    "stop",
    "stopall",
    "arret",
    "cancel",
    "end",
    "opt-out",
    "optout",
    "opt out",
    "quit",
    "remove",
    "td",
    "unsubscribe",
    "revoke",
    "alto",
    "parar",
    "baja",
    "ya no",
];

/// Phrases that opt out wherever they appear in a message.
const OPT_OUT_PHRASES: &[&str] = &[
    "opt out",
    "opt me out",
    "no more texts",
    "no more messages",
    "stop texting",
    "stop sending",
    "stop messaging",
    "unsubscribe",
    "revoke",
    "no mas mensajes",
];

/// Whole-message opt-in words.
const OPT_IN_WORDS: &[&str] = &["start", "unstop", "enroll", "join"];

/// Whole-message help words.
const HELP_WORDS: &[&str] = &["help", "info", "aide", "ayuda"];

/// Finds the keyword a message is, if any, by the rules in the module docs.
pub fn classify(body: &str) -> Option<Keyword> {
    let text = normalize(body);
    if text.is_empty() {
        return None;
    }
    if OPT_OUT_WORDS.contains(&text.as_str()) || contains_phrase(&text, OPT_OUT_PHRASES) {
        return Some(Keyword::OptOut);
    }
    if OPT_IN_WORDS.contains(&text.as_str()) {
        return Some(Keyword::OptIn);
    }
    if HELP_WORDS.contains(&text.as_str()) {
        return Some(Keyword::Help);
    }
    None
}

/// Lowercase, accents folded, punctuation other than inner hyphens dropped, spaces collapsed.
pub fn normalize(body: &str) -> String {
    let folded: String = body
        .chars()
        .flat_map(char::to_lowercase)
        .map(fold_accent)
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c
            } else {
                ' '
            }
        })
        .collect();
    folded
        .split_whitespace()
        .map(|word| word.trim_matches('-'))
        .filter(|word| !word.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn contains_phrase(text: &str, phrases: &[&str]) -> bool {
    let padded = format!(" {text} ");
    phrases
        .iter()
        .any(|phrase| padded.contains(&format!(" {phrase} ")))
}

/// Folds the Latin accents used by the programme's languages; other scripts pass through.
fn fold_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_required_opt_out_word_opts_out_in_any_case_and_punctuation() {
        for word in [
            "ARRET",
            "CANCEL",
            "END",
            "OPT-OUT",
            "OPTOUT",
            "QUIT",
            "REMOVE",
            "STOP",
            "TD",
            "UNSUBSCRIBE",
            "Stop.",
            "  stop  ",
            "Arrêt",
            "ALTO",
            "parar!",
            "Revoke",
            "opt out",
        ] {
            assert_eq!(classify(word), Some(Keyword::OptOut), "{word}");
        }
    }

    #[test]
    fn opt_out_phrases_count_inside_longer_messages() {
        for text in [
            "Please stop texting me",
            "no more texts, thanks",
            "Ya no.",
            "No más mensajes",
        ] {
            assert_eq!(classify(text), Some(Keyword::OptOut), "{text}");
        }
        // A stop word inside ordinary speech is not a revocation.
        assert_eq!(classify("the pain does not stop"), None);
        // "ya no" opts out alone, but "it no longer hurts" must reach the protocol.
        assert_eq!(classify("ya no me duele"), None);
    }

    #[test]
    fn opt_in_and_help_act_only_as_the_whole_message() {
        for (text, expected) in [
            ("START", Some(Keyword::OptIn)),
            ("unstop", Some(Keyword::OptIn)),
            ("Join", Some(Keyword::OptIn)),
            ("ENROLL", Some(Keyword::OptIn)),
            ("HELP", Some(Keyword::Help)),
            ("Ayuda", Some(Keyword::Help)),
            ("info?", Some(Keyword::Help)),
            ("I need help breathing", None),
            ("3", None),
            ("sí", None),
            ("", None),
        ] {
            assert_eq!(classify(text), expected, "{text}");
        }
    }
}
