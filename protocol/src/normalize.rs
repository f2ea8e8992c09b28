//! How a patient's reply is compared with the accepted words.
//!
//! Every comparison of replies (answers, start words, courtesy words, and the service's SMS
//! keywords) goes through [`normalize_with`], so that a word a translator writes in a `.ftl`
//! file and the same word texted by a patient from any phone compare equal.

/// Normalizes a reply or an accepted word for comparison, keeping accents.
///
/// The same as [`normalize_with`] with `fold_accents = false`.
///
/// ```
/// use homewatch_protocol::normalize;
/// assert_eq!(normalize("  ¡Sí! "), "sí");
/// assert_eq!(normalize("3."), "3");
/// assert_eq!(normalize("No   change"), "no change");
/// assert_eq!(normalize("３"), "3");
/// ```
pub fn normalize(text: &str) -> String {
    normalize_with(text, false)
}

/// Normalizes a reply or an accepted word for comparison:
///
/// 1. full-width forms (U+FF01 to U+FF5E, as Chinese and Japanese keyboards type them) become
///    their ASCII letters, digits and signs, and the ideographic space a space;
/// 2. lowercase, for every script that has case (Latin, Cyrillic, Greek...);
/// 3. with `fold_accents`, Latin letters lose their accents (Spanish and Vietnamese
///    diacritics, `đ` becomes `d`, combining marks are dropped) and Cyrillic `ё` becomes `е`,
///    so a patient typing without accents is understood;
/// 4. punctuation and symbols separate words, except a hyphen or apostrophe inside a word
///    (`no-change`) and a point or comma between digits (`94.5`); runs of whitespace become
///    one space, with none at either end.
///
/// The result is stable: normalizing it again changes nothing.
///
/// ```
/// use homewatch_protocol::normalize_with;
/// assert_eq!(normalize_with("Có, cảm ơn!", true), "co cam on");
/// assert_eq!(normalize_with("ＹＥＳ！", false), "yes");
/// assert_eq!(normalize_with("ДА.", false), "да");
/// assert_eq!(normalize_with("是，谢谢", false), "是 谢谢");
/// ```
pub fn normalize_with(text: &str, fold_accents: bool) -> String {
    let mut chars: Vec<char> = Vec::with_capacity(text.len());
    for c in text.chars().map(fold_width) {
        for lower in c.to_lowercase() {
            if !fold_accents {
                chars.push(lower);
            } else if !is_combining_mark(lower) {
                chars.push(fold_accent(lower));
            }
        }
    }

    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let keep = if is_word_char(c) {
            true
        } else if matches!(c, '-' | '\'') {
            before.is_some_and(is_word_char) && after.is_some_and(is_word_char)
        } else if matches!(c, '.' | ',') {
            before.is_some_and(|b| b.is_ascii_digit()) && after.is_some_and(|a| a.is_ascii_digit())
        } else {
            false
        };
        if keep {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

/// Letters, digits, and the combining marks some phones send after a base letter.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The combining diacritical mark blocks (Latin, Vietnamese tones typed as separate marks),
/// and the Ethiopic combining marks.
fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
        | '\u{135D}'..='\u{135F}')
}

/// Han ideographs, kana and CJK punctuation: scripts written without spaces between words, so
/// a word may end next to one of them without a space.
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// Full-width ASCII forms to ASCII; the ideographic space to a space.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        other => other,
    }
}

/// Each base letter with the lowercase accented letters that fold to it: Latin-1, Latin
/// Extended-A and the Vietnamese letters of Latin Extended Additional.
const ACCENTED: &[(char, &str)] = &[
    ('a', "àáâãäåāăąǎạảấầẩẫậắằẳẵặ"),
    ('c', "çćĉċč"),
    ('d', "đďð"),
    ('e', "èéêëēĕėęěẹẻẽếềểễệ"),
    ('g', "ĝğġģ"),
    ('h', "ĥħ"),
    ('i', "ìíîïĩīĭįıǐỉị"),
    ('j', "ĵ"),
    ('k', "ķ"),
    ('l', "ĺļľŀł"),
    ('n', "ñńņňǹ"),
    ('o', "òóôõöøōŏőơǒọỏốồổỗộớờởỡợ"),
    ('r', "ŕŗř"),
    ('s', "śŝşš"),
    ('t', "ţťŧ"),
    ('u', "ùúûüũūŭůűųưǔụủứừửữự"),
    ('w', "ŵ"),
    ('y', "ýÿŷỳỵỷỹ"),
    ('z', "źżž"),
    // Russian writers often type е for ё; other Cyrillic letters are distinct letters.
    ('е', "ё"),
];

fn fold_accent(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    ACCENTED
        .iter()
        .find(|(_, accented)| accented.contains(c))
        .map_or(c, |(base, _)| *base)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_inner_hyphens_and_accents_unless_folding() {
        assert_eq!(normalize("\"YES\""), "yes");
        assert_eq!(normalize("¿Peor?"), "peor");
        assert_eq!(normalize("no-change"), "no-change");
        assert_eq!(normalize("SÍ"), "sí");
        assert_eq!(normalize("   "), "");
        assert_eq!(normalize_with("SÍ", true), "si");
        assert_eq!(normalize_with("Tệ hơn", true), "te hon");
        assert_eq!(normalize_with("KHÔNG", true), "khong");
        assert_eq!(normalize_with("đúng", true), "dung");
        assert_eq!(normalize_with("ЕЩЁ", true), "еще");
    }

    #[test]
    fn combining_marks_stay_inside_words_and_fold_away() {
        // "có" typed as o + U+0301 (some keyboards send decomposed letters).
        assert_eq!(normalize("co\u{301}!"), "co\u{301}");
        assert_eq!(normalize_with("co\u{301}!", true), "co");
    }

    #[test]
    fn full_width_forms_become_ascii() {
        assert_eq!(normalize("３"), "3");
        assert_eq!(normalize("ＳＴＯＰ"), "stop");
        assert_eq!(normalize("９５％"), "95");
        assert_eq!(normalize("是\u{3000}谢谢。"), "是 谢谢");
    }

    #[test]
    fn punctuation_separates_words_but_numbers_keep_their_point() {
        assert_eq!(normalize("yes,thanks"), "yes thanks");
        assert_eq!(normalize("94.5"), "94.5");
        assert_eq!(normalize("3."), "3");
        assert_eq!(normalize("don't"), "don't");
        assert_eq!(normalize("አዎ።"), "አዎ");
        assert_eq!(normalize("-stop-"), "stop");
    }

    fn any_text() -> impl Strategy<Value = String> {
        prop_oneof![
            ".{0,40}",
            "[a-zA-Z0-9 .,!?'\\-]{0,30}",
            "[ａ-ｚＡ-Ｚ０-９！-～\u{3000}áéíóúñđệ\u{301}ЁёДА是谢-]{0,20}",
        ]
    }

    proptest! {
        #[test]
        fn is_idempotent(text in any_text(), fold in any::<bool>()) {
            let once = normalize_with(&text, fold);
            prop_assert_eq!(normalize_with(&once, fold), once.clone());
        }

        #[test]
        fn never_has_surrounding_or_double_spaces(text in any_text(), fold in any::<bool>()) {
            let out = normalize_with(&text, fold);
            prop_assert!(!out.starts_with(' ') && !out.ends_with(' ') && !out.contains("  "));
        }

        #[test]
        fn ignores_surrounding_punctuation_and_case(
            word in "[a-z0-9]{1,12}",
            pre in "[ .!?¡¿\u{3000}]{0,3}",
            post in "[ .!?。！]{0,3}",
        ) {
            let wrapped = format!("{pre}{}{post}", word.to_uppercase());
            prop_assert_eq!(normalize(&wrapped), word);
        }

        #[test]
        fn full_width_text_normalizes_like_ascii(word in "[!-~]{1,12}") {
            let wide: String = word
                .chars()
                .map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap())
                .collect();
            prop_assert_eq!(normalize(&wide), normalize(&word));
        }
    }
}
