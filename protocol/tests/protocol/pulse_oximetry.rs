//! The pulse-oximetry protocol: numeric answers in NHS bands, per-patient thresholds, and the
//! `review` outcome.

use homewatch_protocol::{builtin, Conversation, Effect, OutcomeKind, Protocol, Thresholds};

use crate::{escalated, finished, t0};

fn protocol() -> Protocol {
    Protocol::load(&builtin::covid_19_pulse_oximetry()).unwrap()
}

fn run_with(
    protocol: &Protocol,
    language: &str,
    texts: &[&str],
    overrides: &Thresholds,
) -> Vec<homewatch_protocol::Step> {
    let mut steps = vec![protocol.start_check_in(&Conversation::Idle, t0())];
    for text in texts {
        let state = steps.last().unwrap().conversation.clone();
        steps.push(protocol.handle_with(&state, language, text, t0(), overrides));
    }
    steps
}

fn reviewed(steps: &[homewatch_protocol::Step]) -> bool {
    steps
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e, Effect::ReviewRequested { .. }))
}

#[test]
fn every_path_in_every_language() {
    // (language, replies, outcome, escalates, review)
    #[rustfmt::skip]
    let paths: &[(&str, &[&str], &str, bool, bool)] = &[
        ("en", &["1", "97"], "thanks", false, false),
        ("en", &["2", "95%"], "thanks", false, false),
        ("en", &["better", "100"], "thanks", false, false),
        ("en", &["1", "94"], "review", false, true),
        ("en", &["same", "93 %"], "review", false, true),
        ("en", &["1", "92"], "nurse-call", true, false),
        ("en", &["2", "88"], "nurse-call", true, false),
        ("en", &["3", "no", "96"], "thanks", false, false),
        ("en", &["3", "no", "93"], "review", false, true),
        ("en", &["3", "no", "90"], "nurse-call", true, false),
        ("en", &["3", "yes"], "nurse-call", true, false),
        ("en", &["1", "９６"], "thanks", false, false),
        ("en", &["1", "96, thanks"], "thanks", false, false),
        ("es", &["1", "98"], "thanks", false, false),
        ("es", &["igual", "94"], "review", false, true),
        ("es", &["mejor", "91"], "nurse-call", true, false),
        ("es", &["peor", "no", "95"], "thanks", false, false),
        ("es", &["3", "sí"], "nurse-call", true, false),
        ("es", &["3", "si", ], "nurse-call", true, false),
    ];
    let protocol = protocol();
    for (language, replies, outcome, escalates, review) in paths {
        let steps = run_with(&protocol, language, replies, &Thresholds::none());
        let case = format!("{language} {replies:?}");
        assert_eq!(finished(&steps).as_deref(), Some(*outcome), "{case}");
        assert_eq!(escalated(&steps), *escalates, "{case}");
        assert_eq!(reviewed(&steps), *review, "{case}");
    }
}

#[test]
fn numbers_outside_every_range_or_with_decimals_are_asked_again() {
    let protocol = protocol();
    for reply in ["101", "250", "94.5", "ninety"] {
        let steps = run_with(&protocol, "en", &["1", reply], &Thresholds::none());
        let last = steps.last().unwrap();
        assert!(
            matches!(last.effects[..], [Effect::NotUnderstood { ref question, tries: 1 }]
                if question == "oxygen"),
            "{reply}: {:?}",
            last.effects
        );
    }
}

#[test]
fn a_patient_may_have_their_own_thresholds() {
    let protocol = protocol();
    // A patient whose usual saturation is low: 90 and up is their normal.
    let own = Thresholds::none()
        .with("oxygen", "normal", 90, 100)
        .with("oxygen", "borderline", 88, 89)
        .with("oxygen", "low", 0, 87);
    protocol.check_thresholds(&own).unwrap();
    let steps = run_with(&protocol, "en", &["1", "91"], &own);
    assert_eq!(finished(&steps).as_deref(), Some("thanks"));
    let steps = run_with(&protocol, "en", &["1", "88"], &own);
    assert_eq!(finished(&steps).as_deref(), Some("review"));
    // `handle` keeps the protocol's own bands.
    let steps = run_with(&protocol, "en", &["1", "91"], &Thresholds::none());
    assert!(escalated(&steps));

    let overlapping = Thresholds::none().with("oxygen", "normal", 90, 100);
    assert!(protocol.check_thresholds(&overlapping).is_err());
    let backwards = Thresholds::none().with("oxygen", "low", 92, 0);
    assert!(protocol.check_thresholds(&backwards).is_err());
    let not_numeric = Thresholds::none().with("feeling", "better", 1, 2);
    assert!(protocol.check_thresholds(&not_numeric).is_err());
    let json = serde_json::to_string(&own).unwrap();
    assert!(json.starts_with(r#"{"oxygen":{"#), "{json}");
}

#[test]
fn the_review_outcome_flags_for_staff_without_a_call() {
    let outcomes = protocol().outcomes();
    let review = outcomes.iter().find(|o| o.id == "review").unwrap();
    assert_eq!(review.kind, OutcomeKind::Review);
    let ranges = &protocol().questions()[2].ranges;
    assert_eq!(
        ranges,
        &[
            ("normal".to_string(), (95, 100)),
            ("borderline".to_string(), (93, 94)),
            ("low".to_string(), (0, 92)),
        ]
    );
}

#[test]
fn backwards_or_overlapping_ranges_do_not_load() {
    let mut sources = builtin::covid_19_pulse_oximetry();
    sources.structure.text = sources
        .structure
        .text
        .replace("range = [93, 94]", "range = [94, 93]")
        .replace("range = [0, 92]", "range = [0, 95]");
    let errors = Protocol::load(&sources).unwrap_err().to_string();
    assert!(errors.contains("runs from 94 down to 93"), "{errors}");
    assert!(
        errors.contains("overlaps answer `normal` (95 to 100)"),
        "{errors}"
    );
    assert!(errors.contains("protocol.toml:"), "{errors}");
}
