//! Phone numbers: everything we store and send is E.164.

use crate::error::ServiceError;
use crate::sensitive::Sensitive;

/// A phone number in E.164 form (`+12065550100`).
pub type E164 = Sensitive<String>;

/// Normalizes a number as staff or a provider wrote it to E.164.
///
/// Numbers without a country code are read in `default_region` (ISO 3166 code such as "US",
/// "GB", "ET"), so `(206) 555-0100` and `+12065550100` are the same patient. The error message
/// does not repeat the number: it may be logged.
pub fn normalize(raw: &str, default_region: &str) -> Result<E164, ServiceError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(ServiceError::invalid(
            "the phone number is empty: enter the patient's mobile",
        ));
    }
    // Only digits and the usual separators: a letter is a typo (or a vanity number), never
    // part of a patient's mobile, and trailing text such as an extension is refused rather
    // than dropped.
    let international = trimmed.starts_with('+');
    let allowed = |(i, c): (usize, char)| {
        c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/') || (c == '+' && i == 0)
    };
    if !trimmed.char_indices().all(allowed) {
        return Err(ServiceError::invalid(
            "the phone number may contain only digits, spaces, dashes, dots, brackets and a \
             leading +: check it for typos or an extension",
        ));
    }
    let region = default_region
        .to_ascii_uppercase()
        .parse::<phonenumber::country::Id>()
        .map_err(|_| {
            ServiceError::invalid(format!(
                "the default region {default_region:?} is not an ISO 3166 country code such as US"
            ))
        })?;
    // A number with its country code is read without the default region, whose national
    // prefix would otherwise be stripped from it (US "1" from German "+49 151...").
    let number = phonenumber::parse((!international).then_some(region), trimmed).map_err(|_| {
        ServiceError::invalid(
            "the phone number could not be read: enter it with its country code, e.g. +1 206 555 0100",
        )
    })?;
    if !phonenumber::is_valid(&number) {
        return Err(ServiceError::invalid(format!(
            "the phone number is not a valid number (read in region {default_region} unless it \
             starts with +): check the digits and the country code"
        )));
    }
    let e164 = number.format().mode(phonenumber::Mode::E164).to_string();

    // Never store a number whose digits differ from what was typed: a texted stranger is
    // worse than an error.
    let typed: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let stored = &e164[1..];
    let country = number.code().value().to_string();
    let national = &stored[country.len()..];
    let same = if international {
        typed == stored
    } else {
        typed.strip_suffix(national).is_some_and(|prefix| {
            prefix.is_empty() || prefix == "0" || (prefix == "1" && country == "1")
        })
    };
    if !same {
        return Err(ServiceError::invalid(
            "the phone number could not be read without changing its digits: enter it in full \
             with its country code, e.g. +49 151 23456789",
        ));
    }
    Ok(Sensitive::new(e164))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_and_international_forms_are_the_same_number() {
        for raw in [
            "(206) 555-0100",
            "+12065550100",
            " 206.555.0100 ",
            "+1 (206) 555-0100",
        ] {
            assert_eq!(
                normalize(raw, "US").unwrap().expose(),
                "+12065550100",
                "{raw}"
            );
        }
    }

    #[test]
    fn other_regions_are_read_in_their_own_plan() {
        assert_eq!(
            normalize("020 7946 0018", "GB").unwrap().expose(),
            "+442079460018"
        );
        assert_eq!(
            normalize("+44 20 7946 0018", "US").unwrap().expose(),
            "+442079460018"
        );
    }

    #[test]
    fn foreign_numbers_keep_every_digit() {
        // The US national prefix "1" must not be stripped from a German or Chinese mobile.
        for (raw, e164) in [
            ("+49 1512 3456789", "+4915123456789"),
            ("+49 170 1234567", "+491701234567"),
            ("+86 139 1234 5678", "+8613912345678"),
            ("+55 11 91234-5678", "+5511912345678"),
            ("+251 91 123 4567", "+251911234567"),
        ] {
            assert_eq!(normalize(raw, "US").unwrap().expose(), e164, "{raw}");
        }
        assert_eq!(
            normalize("01512 3456789", "DE").unwrap().expose(),
            "+4915123456789"
        );
    }

    #[test]
    fn letters_and_trailing_text_are_refused_not_dropped() {
        for raw in [
            "206555014a",
            "2065550142;DROP",
            "+12065550142x",
            "+1 (206) 555-0142 ext 5",
            "1-800-FLOWERS",
        ] {
            let error = normalize(raw, "US").unwrap_err();
            assert!(
                error.message.contains("only digits"),
                "{raw}: {}",
                error.message
            );
        }
    }

    #[test]
    fn bad_numbers_say_what_to_fix_without_echoing_the_number() {
        for raw in ["", "hello", "12", "+999 123"] {
            let error = normalize(raw, "US").unwrap_err();
            assert_eq!(error.code, crate::error::ErrorCode::InvalidInput);
            if !raw.is_empty() {
                assert!(!error.message.contains(raw), "{}", error.message);
            }
        }
        assert!(normalize("2065550100", "XX")
            .unwrap_err()
            .message
            .contains("ISO 3166"));
    }
}
