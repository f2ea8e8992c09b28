//! Matching a language tag someone gave (a patient record, a phone's setting, staff typing)
//! to a language a protocol offers.

/// The script a tag asks for: its own script subtag, or, for Chinese, the one its region
/// implies (Taiwan, Hong Kong and Macau write Traditional, elsewhere Simplified). `None` when
/// the tag does not say and nothing is implied.
fn script(subtags: &[String]) -> Option<String> {
    let explicit = subtags[1..]
        .iter()
        .find(|s| s.len() == 4 && s.chars().all(|c| c.is_ascii_alphabetic()));
    if let Some(script) = explicit {
        return Some(script.clone());
    }
    if subtags[0] != "zh" {
        return None;
    }
    let region = subtags[1..].iter().find(|s| match s.len() {
        2 => s.chars().all(|c| c.is_ascii_alphabetic()),
        3 => s.chars().all(|c| c.is_ascii_digit()),
        _ => false,
    });
    match region.map(String::as_str) {
        Some("tw" | "hk" | "mo") => Some("hant".to_string()),
        _ => Some("hans".to_string()),
    }
}

/// A tag's subtags, lowercased (`_` taken as `-`, as in `es_MX`); `None` when it is empty.
fn subtags(tag: &str) -> Option<Vec<String>> {
    let subtags: Vec<String> = tag
        .trim()
        .split(['-', '_'])
        .map(str::to_ascii_lowercase)
        .collect();
    (!subtags.iter().any(String::is_empty)).then_some(subtags)
}

/// The offered language `tag` means: the same tag in any case, else the only offered language
/// of the same primary language, unless the two name different scripts (Traditional Chinese
/// is never resolved to Simplified).
pub(crate) fn resolve<'a>(offered: impl IntoIterator<Item = &'a str>, tag: &str) -> Option<String> {
    let offered: Vec<&str> = offered.into_iter().collect();
    let wanted = tag.trim();
    if let Some(exact) = offered.iter().find(|o| o.eq_ignore_ascii_case(wanted)) {
        return Some(exact.to_string());
    }

    let wanted = subtags(wanted)?;
    let mut same_language = offered.iter().filter_map(|o| {
        let subtags = subtags(o)?;
        (subtags[0] == wanted[0]).then_some((*o, subtags))
    });
    let (only, its_subtags) = same_language.next()?;
    if same_language.next().is_some() {
        // Two offered variants (say `pt-BR` and `pt-PT`): guessing could pick the wrong one.
        return None;
    }
    match (script(&wanted), script(&its_subtags)) {
        (Some(a), Some(b)) if a != b => None,
        _ => Some(only.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_read_or_implied_for_chinese_only() {
        let script = |tag: &str| script(&subtags(tag).unwrap());
        assert_eq!(script("zh").as_deref(), Some("hans"));
        assert_eq!(script("zh-TW").as_deref(), Some("hant"));
        assert_eq!(script("zh-Hant-CN").as_deref(), Some("hant"));
        assert_eq!(script("sr-Latn").as_deref(), Some("latn"));
        assert_eq!(script("es-419").as_deref(), None);
        assert_eq!(subtags("es--MX"), None);
    }

    #[test]
    fn two_variants_of_one_language_are_not_guessed_between() {
        let offered = ["pt-BR", "pt-PT", "en"];
        assert_eq!(resolve(offered, "pt"), None);
        assert_eq!(resolve(offered, "PT-br").as_deref(), Some("pt-BR"));
    }
}
