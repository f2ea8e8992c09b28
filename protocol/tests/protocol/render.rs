//! Rendering messages.

use homewatch_protocol::{messages, RenderError};

use crate::default_protocol;

#[test]
fn render_fills_variables_without_isolation_marks() {
    let protocol = default_protocol();
    let args = [
        ("days", "14"),
        ("callback", "(206) 555-0199"),
        ("per_day", "1"),
    ];
    let text = protocol.render("en", messages::ENROLLED, &args).unwrap();
    assert_eq!(
        text,
        "You are signed up for Homewatch. We will text you once a day for 14 days. Questions? \
         Call (206) 555-0199. Reply HELP for help, STOP to stop."
    );
    assert!(!text.contains('\u{2068}') && !text.contains('\u{2069}'));

    let spanish = protocol.render("es", "outcome-nurse-call", &args).unwrap();
    assert!(
        spanish.ends_with("llámenos al (206) 555-0199."),
        "{spanish}"
    );
    assert!(!spanish.contains('\u{2068}'));
}

#[test]
fn render_reports_unknown_language_missing_message_and_missing_variable() {
    let protocol = default_protocol();
    assert_eq!(
        protocol.render("fr", messages::HELP, &[]),
        Err(RenderError::UnknownLanguage {
            language: "fr".into()
        })
    );
    assert_eq!(
        protocol.render("en", "no-such-message", &[]),
        Err(RenderError::MissingMessage {
            language: "en".into(),
            message: "no-such-message".into()
        })
    );
    let missing = protocol.render("en", messages::HELP, &[]).unwrap_err();
    assert!(matches!(missing, RenderError::Format { .. }), "{missing:?}");
    assert!(missing.to_string().contains("support"), "{missing}");
}

#[test]
fn every_language_has_every_required_message() {
    let protocol = default_protocol();
    let args = [
        ("days", "14"),
        ("callback", "(206) 555-0199"),
        ("support", "(206) 555-0100"),
        ("per_day", "1"),
    ];
    for language in protocol.languages() {
        for message in messages::REQUIRED {
            let text = protocol.render(&language.code, message, &args).unwrap();
            assert!(!text.trim().is_empty(), "{} {message}", language.code);
        }
    }
}
