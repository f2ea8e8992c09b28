//! Languages: review status, falling back when a text cannot be rendered, and SMS cost.

use homewatch_protocol::{
    budget_table, messages, Encoding, Protocol, RenderError, Review, ReviewStatus,
};

use crate::default_protocol;

#[test]
fn every_shipped_language_is_a_draft_until_reviewed() {
    let protocol = default_protocol();
    for language in protocol.languages() {
        assert_eq!(language.review, Review::default(), "{}", language.code);
        assert_eq!(
            protocol.language_review(&language.code).map(|r| r.status),
            Some(ReviewStatus::Draft)
        );
    }
    assert_eq!(protocol.language_review("fr"), None);
}

fn with_review(review: &str) -> Result<Protocol, homewatch_protocol::LoadErrors> {
    let mut sources = homewatch_protocol::builtin::covid_19_home_monitoring();
    sources.structure.text = sources.structure.text.replacen(
        "name = \"Español\"\nfold_accents = true\nreview = { status = \"draft\" }",
        &format!("name = \"Español\"\nfold_accents = true\nreview = {review}"),
        1,
    );
    assert!(sources.structure.text.contains(review));
    Protocol::load(&sources)
}

#[test]
fn a_review_names_who_and_when() {
    let protocol =
        with_review(r#"{ status = "reviewed", by = "A. Reviewer, RN", on = "2026-12-01" }"#)
            .unwrap();
    let review = protocol.language_review("es").unwrap();
    assert_eq!(review.status, ReviewStatus::Reviewed);
    assert_eq!(review.by.as_deref(), Some("A. Reviewer, RN"));
    assert_eq!(review.on.as_deref(), Some("2026-12-01"));
    let json = serde_json::to_value(&protocol.languages()[1]).unwrap();
    assert_eq!(json["review"]["status"], "reviewed");

    for (review, says) in [
        (
            r#"{ status = "reviewed", on = "2026-12-01" }"#,
            "does not say `by`",
        ),
        (
            r#"{ status = "reviewed", by = "A. Reviewer", on = "soon" }"#,
            "`on` is not a date",
        ),
        (
            r#"{ status = "draft", by = "A. Reviewer" }"#,
            "is a draft but names",
        ),
    ] {
        let errors = with_review(review).unwrap_err().to_string();
        assert!(errors.contains("protocol.toml:"), "{errors}");
        assert!(errors.contains(says), "{review}: {errors}");
    }
}

#[test]
fn render_or_fallback_uses_the_fallback_language_and_says_so() {
    let protocol = default_protocol();
    let args = [
        ("days", "14"),
        ("callback", "(206) 555-0199"),
        ("per_day", "1"),
    ];
    let own = protocol
        .render_or_fallback("vi", messages::ENROLLED, &args)
        .unwrap();
    assert!(!own.fell_back);
    assert_eq!(own.language_used, "vi");

    let unknown = protocol
        .render_or_fallback("fr", messages::ENROLLED, &args)
        .unwrap();
    assert!(unknown.fell_back);
    assert_eq!(unknown.language_used, "en");
    assert!(unknown.text.starts_with("You are signed up"));

    // Without its variable the fallback cannot render it either: an error, never a blank.
    let error = protocol
        .render_or_fallback("es", messages::HELP, &[])
        .unwrap_err();
    assert!(matches!(error, RenderError::Format { .. }), "{error:?}");
}

#[test]
fn the_budget_covers_every_text_in_every_language() {
    let protocol = default_protocol();
    let rows = protocol.budget();
    let messages_sent = messages::REQUIRED.len() + 2 + 3;
    assert_eq!(rows.len(), messages_sent * 6);
    let english_ucs2: Vec<_> = rows
        .iter()
        .filter(|r| r.language == "en" && r.encoding != Encoding::Gsm7)
        .collect();
    assert!(english_ucs2.is_empty(), "{english_ucs2:?}");
    let table = budget_table(&rows, protocol.part_budget());
    assert!(table.starts_with("message"), "{table}");
    assert_eq!(
        table.lines().filter(|l| !l.starts_with("warning")).count(),
        rows.len() + 1
    );
    // Printed for `cargo test -- --nocapture`: the table authors look at.
    println!("{table}");
}
