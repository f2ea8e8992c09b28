//! How many SMS parts a text costs, and in which encoding it travels.
//!
//! GSM-7 carries 160 characters in one message and 153 per part when split; the extension
//! characters (`^ { } \ [ ] ~ | €` and form feed) take two of those. One character outside
//! GSM-7 sends the whole text as UCS-2: 70 UTF-16 units in one message, 67 per part (an emoji
//! is two units). A part never splits an escape pair or a surrogate pair.

/// The encoding a text is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    /// The GSM 03.38 default alphabet with its extension table.
    Gsm7,
    /// UTF-16 code units.
    Ucs2,
}

/// What sending a text costs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Segments {
    /// GSM-7 or UCS-2.
    pub encoding: Encoding,
    /// Length in the encoding's units: septets (extension characters count 2) or UTF-16 units.
    pub units: usize,
    /// Number of message parts (1 for an empty text).
    pub parts: usize,
    /// The first character that forced UCS-2, if any.
    pub first_non_gsm: Option<char>,
}

/// The GSM 03.38 default alphabet, excluding the escape code.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// Characters of the extension table: each costs an escape plus itself.
const GSM_EXTENSION: &str = "\u{000C}^{}\\[~]|€";

/// GSM-7 cost of a character: 1, 2 (extension), or `None` when it is not GSM-7.
fn gsm_cost(c: char) -> Option<usize> {
    if GSM_BASIC.contains(c) {
        Some(1)
    } else if GSM_EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// Counts a text's encoding, length and parts.
pub fn count(text: &str) -> Segments {
    let first_non_gsm = text.chars().find(|&c| gsm_cost(c).is_none());
    let (encoding, costs): (Encoding, Vec<usize>) = match first_non_gsm {
        None => (
            Encoding::Gsm7,
            text.chars()
                .map(|c| gsm_cost(c).expect("checked"))
                .collect(),
        ),
        Some(_) => (Encoding::Ucs2, text.chars().map(char::len_utf16).collect()),
    };
    let (single, per_part) = match encoding {
        Encoding::Gsm7 => (160, 153),
        Encoding::Ucs2 => (70, 67),
    };
    let units: usize = costs.iter().sum();
    let parts = if units <= single {
        1
    } else {
        // Fill parts greedily: a character that does not fit whole starts the next part.
        let mut parts = 1;
        let mut used = 0;
        for cost in costs {
            if used + cost > per_part {
                parts += 1;
                used = 0;
            }
            used += cost;
        }
        parts
    };
    Segments {
        encoding,
        units,
        parts,
        first_non_gsm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gsm7_limits_are_160_then_153_per_part() {
        assert_eq!(count(&"a".repeat(160)).parts, 1);
        assert_eq!(count(&"a".repeat(161)).parts, 2);
        assert_eq!(count(&"a".repeat(306)).parts, 2);
        assert_eq!(count(&"a".repeat(307)).parts, 3);
        assert_eq!(count("").parts, 1);
    }

    #[test]
    fn extension_characters_cost_two_and_are_not_split() {
        let text = format!("{}€", "a".repeat(159));
        let segments = count(&text);
        assert_eq!(
            (segments.encoding, segments.units, segments.parts),
            (Encoding::Gsm7, 161, 2)
        );
        // 152 septets then an escape pair: the pair moves whole to the second part.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(10));
        assert_eq!(count(&text).parts, 2);
    }

    #[test]
    fn one_character_outside_gsm7_makes_the_whole_text_ucs2() {
        let segments = count("Responda SÍ o NO. ¿Le cuesta respirar?");
        assert_eq!(segments.encoding, Encoding::Ucs2);
        assert_eq!(segments.first_non_gsm, Some('Í'));
        // é, ñ, ü, ¿ and ¡ are GSM-7; á is not.
        assert_eq!(count("¿Qué tal? ¡Señor Müller!").encoding, Encoding::Gsm7);
        assert_eq!(count("más").first_non_gsm, Some('á'));
        assert_eq!(count(&"я".repeat(70)).parts, 1);
        assert_eq!(count(&"я".repeat(71)).parts, 2);
    }

    #[test]
    fn emoji_cost_two_utf16_units_and_are_not_split() {
        let segments = count("🙂");
        assert_eq!((segments.units, segments.parts), (2, 1));
        let text = format!("{}🙂", "я".repeat(69));
        assert_eq!(count(&text).parts, 2);
    }
}
