//! How a patient's reply is compared with the accepted words.

/// Normalizes a reply or an accepted word for comparison: surrounding whitespace and
/// punctuation removed, lowercase, inner runs of whitespace made one space.
///
/// Every comparison of replies goes through this one function, so that a word a translator
/// writes in a `.ftl` file and the same word texted by a patient always compare equal.
///
/// ```
/// use homewatch_protocol::normalize;
/// assert_eq!(normalize("  ¡Sí! "), "sí");
/// assert_eq!(normalize("3."), "3");
/// assert_eq!(normalize("No   change"), "no change");
/// ```
pub fn normalize(text: &str) -> String {
    let trimmed = text.trim_matches(|c: char| c.is_whitespace() || is_punctuation(c));
    let mut out = String::with_capacity(trimmed.len());
    for (i, word) in trimmed.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Punctuation and symbols a reply may be wrapped in (ASCII and the Spanish ¡ ¿, quotes,
/// dashes), but not letters or digits.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '¡' | '¿' | '«' | '»' | '‘' | '’' | '“' | '”' | '–' | '—' | '…' | '·'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_inner_punctuation_and_accents() {
        assert_eq!(normalize("\"YES\""), "yes");
        assert_eq!(normalize("¿Peor?"), "peor");
        assert_eq!(normalize("no-change"), "no-change");
        assert_eq!(normalize("SÍ"), "sí");
        assert_eq!(normalize("   "), "");
    }

    proptest! {
        #[test]
        fn is_idempotent(text in ".{0,40}") {
            let once = normalize(&text);
            prop_assert_eq!(normalize(&once), once.clone());
        }

        #[test]
        fn ignores_surrounding_punctuation_and_case(
            word in "[a-z0-9]{1,12}",
            pre in "[ .!?¡¿]{0,3}",
            post in "[ .!?]{0,3}",
        ) {
            let wrapped = format!("{pre}{}{post}", word.to_uppercase());
            prop_assert_eq!(normalize(&wrapped), word);
        }
    }
}
