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
    let region = default_region
        .parse::<phonenumber::country::Id>()
        .map_err(|_| {
            ServiceError::invalid(format!(
                "the default region {default_region:?} is not an ISO 3166 country code such as US"
            ))
        })?;
    let number = phonenumber::parse(Some(region), trimmed).map_err(|_| {
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
    Ok(Sensitive::new(
        number.format().mode(phonenumber::Mode::E164).to_string(),
    ))
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
