//! Import of the QnABot sample export, run through the engine.

use homewatch_protocol::qnabot::{self, ImportError, Imported};
use homewatch_protocol::{messages, Conversation, Effect, OutcomeKind, Protocol};

use crate::{escalated, finished, run, t0};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../shared/fixtures/seed/qnabot_covid_connect.json"
);

fn fixture() -> String {
    std::fs::read_to_string(FIXTURE).expect("the QnABot sample export is readable")
}

fn imported() -> Imported {
    qnabot::import(&fixture(), "qnabot_covid_connect.json").expect("the sample imports")
}

fn load(imported: &Imported) -> Protocol {
    match Protocol::load(&imported.sources()) {
        Ok(protocol) => protocol,
        Err(errors) => panic!("the import does not load:\n{errors}\n{:#?}", imported.files),
    }
}

#[test]
fn the_fixture_starts_with_a_byte_order_mark() {
    assert!(fixture().starts_with('\u{feff}'));
}

/// The sample's rule is `symptom == Yes || breathe == Yes`, evaluated only after a first Yes:
/// every first Yes escalates and the breathing answer never matters. The import keeps the
/// rule as it is (and warns); the default protocol does not have this defect.
#[test]
fn sample_rule_escalates_every_first_yes_even_when_breathing_is_fine() {
    let protocol = load(&imported());
    let steps = run(&protocol, "en", &["yes", "no"]);
    assert!(escalated(&steps), "{steps:#?}");
    assert_eq!(
        finished(&steps).as_deref(),
        Some("we-will-connect-you-soon")
    );
}

#[test]
fn sample_yes_then_yes_escalates() {
    let steps = run(&load(&imported()), "en", &["Yes", "yep"]);
    assert!(escalated(&steps));
}

#[test]
fn sample_no_finishes_without_escalation() {
    let steps = run(&load(&imported()), "en", &["no"]);
    assert!(!escalated(&steps));
    assert_eq!(finished(&steps).as_deref(), Some("wait-until-next-checkin"));
    assert_eq!(steps.last().unwrap().conversation, Conversation::Idle);
}

#[test]
fn sample_start_words_begin_a_check_in() {
    let protocol = load(&imported());
    for word in ["ready", "R", "hello", "Hi!"] {
        let step = protocol.handle(&Conversation::Idle, "en", word, t0());
        assert_eq!(step.replies[0].message, "question-symptom", "{word}");
    }
}

#[test]
fn sample_tree_has_two_questions_and_two_outcomes() {
    let protocol = load(&imported());
    let questions: Vec<_> = protocol
        .questions()
        .into_iter()
        .map(|q| (q.id, q.answers))
        .collect();
    let answers = |yes: &str, no: &str| vec![("yes".into(), yes.into()), ("no".into(), no.into())];
    assert_eq!(
        questions,
        [
            (
                "symptom".into(),
                answers("breathe", "wait-until-next-checkin")
            ),
            (
                "breathe".into(),
                answers("we-will-connect-you-soon", "we-will-connect-you-soon")
            ),
        ]
    );
    let outcomes: Vec<_> = protocol
        .outcomes()
        .into_iter()
        .map(|o| (o.id, o.kind))
        .collect();
    assert_eq!(
        outcomes,
        [
            ("we-will-connect-you-soon".into(), OutcomeKind::Escalate),
            ("wait-until-next-checkin".into(), OutcomeKind::Done),
        ]
    );
}

#[test]
fn sample_texts_are_reproduced_exactly() {
    let protocol = load(&imported());
    let call = protocol
        .render("en", "outcome-we-will-connect-you-soon", &[])
        .unwrap();
    assert_eq!(
        call,
        "Thank you! Our nursing team members will call you in just a moment. If this is an \
         emergency, please call 911.\nIf you missed the call, please reach out us immediately at \
         888 888 8888"
    );
    let opted_out = protocol.render("en", messages::OPTED_OUT, &[]).unwrap();
    assert!(opted_out.contains("'JOIN' or 'CANCEL'"), "{opted_out}");
    let opted_in = protocol.render("en", messages::OPTED_IN, &[]).unwrap();
    assert_eq!(
        opted_in,
        "Thank you very much to confirm your subscription."
    );
}

#[test]
fn sample_warnings_name_its_defects() {
    let warnings = imported().warnings.join("\n");
    assert!(warnings.contains("reply CANCEL to re-enroll"), "{warnings}");
    assert!(warnings.contains("HELP is a carrier keyword"), "{warnings}");
    assert!(warnings.contains("question `breathe`"), "{warnings}");
    assert!(warnings.contains("the answer never matters"), "{warnings}");
}

#[test]
fn messages_missing_from_the_export_are_written_and_marked_for_review() {
    let imported = imported();
    let (_, en) = imported
        .files
        .iter()
        .find(|(name, _)| name == "en.ftl")
        .unwrap();
    for message in [
        "consent",
        "enrolled",
        "help",
        "programme-ended",
        "not-understood",
    ] {
        let marked = format!(
            "# Not in the QnABot export: written by the importer; review before use.\n{message} ="
        );
        assert!(en.contains(&marked), "{message}");
    }
    let protocol = load(&imported);
    let args = [
        ("days", "14"),
        ("callback", "(206) 555-0199"),
        ("support", "(206) 555-0100"),
        ("per_day", "1"),
    ];
    let enrolled = protocol.render("en", messages::ENROLLED, &args).unwrap();
    assert!(
        enrolled.contains("14 days") && enrolled.contains("(206) 555-0199"),
        "{enrolled}"
    );
}

#[test]
fn import_errors_say_what_and_where() {
    let item = |qid: &str, q: &str, hook: &str, chaining: &str| {
        serde_json::json!({
            "qid": qid, "q": [q], "a": format!("Text of {qid}"),
            "elicitResponse": { "responsebot_hook": hook, "response_sessionattr_namespace": qid },
            "conditionalChaining": chaining,
        })
    };
    let export = |items: Vec<serde_json::Value>| serde_json::json!({ "qna": items }).to_string();
    type Case = (String, fn(&ImportError) -> bool, &'static str);
    let cases: Vec<Case> = vec![
        (
            "{".into(),
            |e| matches!(e, ImportError::Json { .. }),
            "not valid JSON",
        ),
        (
            "{}".into(),
            |e| matches!(e, ImportError::NotAnExport { .. }),
            "no `qna`",
        ),
        (
            export(vec![item("a", "hello there", "QNAYesNo", "'x'")]),
            |e| matches!(e, ImportError::NoStartItem { .. }),
            "start word",
        ),
        (
            export(vec![item(
                "a",
                "ready",
                "QNAYesNo",
                "SessionAttributes.a.Yes_No > 'x'",
            )]),
            |e| matches!(e, ImportError::Expression { column: 28, .. }),
            "`>` is not supported",
        ),
        (
            export(vec![item("a", "ready", "QNAYesNo", "'nowhere'")]),
            |e| matches!(e, ImportError::UnknownUtterance { .. }),
            "\"nowhere\"",
        ),
        (
            export(vec![item("a", "ready", "QNAYesNo", "'ready'")]),
            |e| matches!(e, ImportError::Loop { .. }),
            "leads back",
        ),
        (
            export(vec![item("a", "ready", "QNADate", "'x'")]),
            |e| matches!(e, ImportError::UnsupportedHook { .. }),
            "QNADate",
        ),
        (
            export(vec![item("a", "ready", "QNAYesNo", "")]),
            |e| matches!(e, ImportError::NoChaining { .. }),
            "no conditionalChaining",
        ),
        (
            export(vec![item(
                "a",
                "ready",
                "QNAYesNo",
                "SessionAttributes.a.Yes_No == 'Yes'",
            )]),
            |e| matches!(e, ImportError::NotAnUtterance { .. }),
            "not an utterance",
        ),
    ];
    for (json, is_expected, words) in cases {
        let error = qnabot::import(&json, "exports/bot.json").unwrap_err();
        assert!(is_expected(&error), "{json}: {error:?}");
        let text = error.to_string();
        assert!(text.starts_with("exports/bot.json: "), "{text}");
        assert!(text.contains(words), "{json}: {text}");
    }
}

#[test]
fn a_minimal_export_without_keyword_items_still_loads() {
    let json = serde_json::json!({ "qna": [
        {
            "qid": "q", "q": ["hi"], "a": "Any fever? Reply YES or NO.",
            "elicitResponse": {
                "responsebot_hook": "QNAYesNo", "response_sessionattr_namespace": "ns.fever"
            },
            "conditionalChaining":
                "SessionAttributes.ns.fever.Yes_No == 'Yes' ? 'call' : 'bye'"
        },
        { "qid": "c", "q": ["call"], "a": "A nurse will call you today. {Stay home}" },
        { "qid": "b", "q": ["bye"], "a": "Thanks.\n[Until tomorrow]" }
    ]})
    .to_string();
    let imported = qnabot::import(&json, "bot.json").unwrap();
    let protocol = load(&imported);
    let steps = run(&protocol, "en", &["y"]);
    assert!(steps.last().unwrap().effects.contains(&Effect::Escalate {
        outcome: "call".into()
    }));
    let call = protocol.render("en", "outcome-call", &[]).unwrap();
    assert_eq!(call, "A nurse will call you today. {Stay home}");
    assert_eq!(
        protocol.render("en", "outcome-bye", &[]).unwrap(),
        "Thanks.\n[Until tomorrow]"
    );
}
