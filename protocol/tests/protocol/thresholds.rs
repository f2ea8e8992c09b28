//! Per-patient thresholds: refused when they would leave a reading uncovered or mean two
//! things, listed for staff, and never able to turn a dangerous reading into "not understood".

use homewatch_protocol::{builtin, Conversation, Effect, Protocol, Step, Thresholds};

use crate::{default_protocol, escalated, finished, t0};

fn oximetry() -> Protocol {
    Protocol::load(&builtin::covid_19_pulse_oximetry()).unwrap()
}

fn answer_oxygen(protocol: &Protocol, reading: &str, overrides: &Thresholds) -> Vec<Step> {
    let mut steps = vec![protocol.start_check_in(&Conversation::Idle, t0())];
    for text in ["1", reading] {
        let state = steps.last().unwrap().conversation.clone();
        steps.push(protocol.handle_with(&state, "en", text, t0(), overrides));
    }
    steps
}

const DEFAULTS: &str = "(protocol: normal 95–100, borderline 93–94, low 0–92)";

#[test]
fn thresholds_with_a_gap_are_refused_and_the_gap_named() {
    let protocol = oximetry();
    let low_only = Thresholds::none().with("oxygen", "low", 0, 80);
    assert_eq!(
        protocol.check_thresholds(&low_only).unwrap_err(),
        format!(
            "thresholds for oxygen leave 81–92 uncovered: together the ranges must cover 0–100 \
             {DEFAULTS}"
        )
    );

    // The tester's example: 85 matched nothing and was "not understood".
    let gaps = Thresholds::none()
        .with("oxygen", "normal", 98, 100)
        .with("oxygen", "borderline", 93, 94)
        .with("oxygen", "low", 0, 80);
    let error = protocol.check_thresholds(&gaps).unwrap_err();
    assert!(error.contains("leave 81–92 and 95–97 uncovered"), "{error}");
    assert!(error.contains(DEFAULTS), "{error}");
}

#[test]
fn a_reading_in_a_gap_of_unchecked_thresholds_escalates_instead_of_not_understood() {
    let protocol = oximetry();
    // Stored before thresholds were checked for gaps.
    let gaps = Thresholds::none()
        .with("oxygen", "normal", 98, 100)
        .with("oxygen", "borderline", 93, 94)
        .with("oxygen", "low", 0, 80);

    let steps = answer_oxygen(&protocol, "85", &gaps);
    assert!(escalated(&steps), "{:?}", steps.last());
    assert_eq!(finished(&steps).as_deref(), Some("nurse-call"));
    // 96 in the gap between borderline and normal: the protocol's band, not a patient's.
    let steps = answer_oxygen(&protocol, "96", &gaps);
    assert_eq!(finished(&steps).as_deref(), Some("thanks"));
    // The patient's own ranges still win where they speak.
    let steps = answer_oxygen(&protocol, "93", &gaps);
    assert_eq!(finished(&steps).as_deref(), Some("review"));
    // A number outside every range stays not understood.
    let steps = answer_oxygen(&protocol, "101", &gaps);
    assert!(matches!(
        steps.last().unwrap().effects[..],
        [Effect::NotUnderstood { .. }]
    ));
}

#[test]
fn overlapping_thresholds_say_to_override_the_others_too() {
    let protocol = oximetry();
    let raised = Thresholds::none().with("oxygen", "normal", 90, 100);
    let error = protocol.check_thresholds(&raised).unwrap_err();
    assert!(
        error.starts_with("thresholds for oxygen: `normal` 90–100 and `borderline` 93–94 overlap"),
        "{error}"
    );
    assert!(
        error.contains("`borderline` and `low` still have the protocol's ranges: override them"),
        "{error}"
    );
    assert!(
        error.contains("lowering `normal`'s low end means lowering the ranges below it"),
        "{error}"
    );
    assert!(
        error.contains("together the ranges must cover 0–100"),
        "{error}"
    );
    assert!(error.ends_with(DEFAULTS), "{error}");

    let low_raised = Thresholds::none().with("oxygen", "low", 0, 94);
    let error = protocol.check_thresholds(&low_raised).unwrap_err();
    assert!(
        error.contains("raising `low`'s high end means raising the ranges above it"),
        "{error}"
    );

    // Both overridden and still overlapping: move the ends.
    let both = Thresholds::none()
        .with("oxygen", "normal", 90, 100)
        .with("oxygen", "borderline", 88, 90)
        .with("oxygen", "low", 0, 87);
    let error = protocol.check_thresholds(&both).unwrap_err();
    assert!(error.contains("overlap at 90: move the ends"), "{error}");

    let fixed = Thresholds::none()
        .with("oxygen", "normal", 90, 100)
        .with("oxygen", "borderline", 88, 89)
        .with("oxygen", "low", 0, 87);
    protocol.check_thresholds(&fixed).unwrap();
}

#[test]
fn thresholds_beyond_the_numbers_the_protocol_takes_are_refused() {
    let protocol = oximetry();
    let beyond = Thresholds::none().with("oxygen", "normal", 95, 120);
    let error = protocol.check_thresholds(&beyond).unwrap_err();
    assert!(error.contains("reach 101–120"), "{error}");
    let backwards = Thresholds::none().with("oxygen", "low", 92, 0);
    let error = protocol.check_thresholds(&backwards).unwrap_err();
    assert!(error.contains("runs from 92 down to 0"), "{error}");
}

#[test]
fn thresholds_for_a_question_without_numbers_name_those_that_take_them() {
    let protocol = oximetry();
    let takes = "thresholds apply only to `oxygen` (normal 95–100, borderline 93–94, low 0–92)";
    for (thresholds, says) in [
        (
            Thresholds::none().with("feeling", "better", 1, 2),
            "question `feeling` takes no numbers",
        ),
        (
            Thresholds::none().with("oxygn", "normal", 90, 100),
            "there is no question `oxygn`",
        ),
    ] {
        let error = protocol.check_thresholds(&thresholds).unwrap_err();
        assert!(error.starts_with(says), "{error}");
        assert!(error.contains(takes), "{error}");
    }
    let unknown = Thresholds::none().with("oxygen", "high", 90, 100);
    let error = protocol.check_thresholds(&unknown).unwrap_err();
    assert!(
        error.contains(
            "has no answer `high`: its numeric answers are `normal`, `borderline` and `low`"
        ),
        "{error}"
    );

    let error = default_protocol()
        .check_thresholds(&Thresholds::none().with("feeling", "better", 1, 2))
        .unwrap_err();
    assert!(
        error.contains("no question of this protocol takes numbers"),
        "{error}"
    );
    assert!(default_protocol()
        .check_thresholds(&Thresholds::none())
        .is_ok());
}

#[test]
fn threshold_questions_list_the_numeric_questions_and_their_default_ranges() {
    let pair = |id: &str, range: [u32; 2]| (id.to_string(), range);
    assert_eq!(
        oximetry().threshold_questions(),
        vec![(
            "oxygen".to_string(),
            vec![
                pair("normal", [95, 100]),
                pair("borderline", [93, 94]),
                pair("low", [0, 92]),
            ]
        )]
    );
    assert!(default_protocol().threshold_questions().is_empty());
}
