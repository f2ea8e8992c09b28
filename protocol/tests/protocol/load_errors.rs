//! Broken protocols: every problem is reported with its file, line and what to fix.

use homewatch_protocol::{LoadErrors, Protocol, ProtocolSources, Source};

/// A small valid protocol; the line numbers below refer to it.
const TOML: &str = r#"id = "mini"
title = "Mini"
version = "1"
consent_version = "2026-12-01"
fallback_language = "en"
programme_days = 7
start = "q1"

[[languages]]
code = "en"
name = "English"

[[languages]]
code = "es"
name = "Español"

[[questions]]
id = "q1"
prompt = "question-q1"
answers = [
    { id = "yes", next = "q2" },
    { id = "no", next = "fine" },
]

[[questions]]
id = "q2"
prompt = "question-q2"
answers = [
    { id = "yes", next = "call" },
    { id = "no", next = "fine" },
]

[[outcomes]]
id = "fine"
kind = "done"
message = "outcome-fine"

[[outcomes]]
id = "call"
kind = "escalate"
message = "outcome-call"
"#;

const EN: &str = "consent = Consent for { $days } days.
enrolled = Enrolled for { $days } days. Call { $callback }. Reply STOP to stop, HELP for help.
opted-out = Opted out. Reply START to join again.
opted-in = Opted in.
help = Help: { $support }. Not for symptoms. Emergencies: 911.
programme-ended = Ended. Reply START to join again.
not-understood = Not understood.
no-check-in-open = No check-in open.
question-q1 = Q1?
question-q2 = Q2?
outcome-fine = Fine.
outcome-call = A nurse will call you.
answer-q1-yes = yes, y
answer-q1-no = no, n
answer-q2-yes = yes, y
answer-q2-no = no, n
reminder = Please answer.
handed-to-staff = The care team will look at your answers.
";

fn es() -> String {
    EN.replace("yes, y", "sí, si").replace("Q1?", "¿P1?")
}

fn sources(toml: &str, en: &str, es: &str) -> ProtocolSources {
    ProtocolSources {
        structure: Source::new("mini/protocol.toml", toml),
        texts: vec![
            ("en".into(), Source::new("mini/en.ftl", en)),
            ("es".into(), Source::new("mini/es.ftl", es)),
        ],
    }
}

fn errors_of(sources: &ProtocolSources) -> LoadErrors {
    match Protocol::load(sources) {
        Ok(_) => panic!("expected load errors"),
        Err(errors) => errors,
    }
}

#[test]
fn the_mini_protocol_loads() {
    let protocol = Protocol::load(&sources(TOML, EN, &es())).unwrap();
    assert_eq!(protocol.id(), "mini");
    assert_eq!(protocol.answer_words("es", "q1", "yes"), ["sí", "si"]);
}

/// (what is broken, sources, file, line, words the message must contain)
type Case = (
    &'static str,
    ProtocolSources,
    &'static str,
    Option<usize>,
    &'static [&'static str],
);

fn cases() -> Vec<Case> {
    let es = es();
    let with_toml = |from: &str, to: &str| {
        assert!(TOML.contains(from), "{from}");
        sources(&TOML.replacen(from, to, 1), EN, &es)
    };
    let with_en = |from: &str, to: &str| {
        assert!(EN.contains(from), "{from}");
        sources(TOML, &EN.replacen(from, to, 1), &es)
    };
    let mut undeclared = sources(TOML, EN, &es);
    undeclared
        .texts
        .push(("fr".into(), Source::new("mini/fr.ftl", EN)));
    let mut without_es = sources(TOML, EN, &es);
    without_es.texts.pop();

    vec![
        (
            "unknown branch target",
            with_toml(
                r#"{ id = "yes", next = "call" }"#,
                r#"{ id = "yes", next = "nurse" }"#,
            ),
            "mini/protocol.toml",
            Some(29),
            &[
                "answer `yes` of question `q2` leads to `nurse`",
                "neither a question nor an",
            ],
        ),
        (
            "missing translation in es.ftl",
            sources(TOML, EN, &es.replace("question-q2 = Q2?\n", "")),
            "mini/es.ftl",
            None,
            &[
                "message `question-q2` is missing",
                "prompt of question q2",
                "to the es texts",
            ],
        ),
        (
            "unreachable question",
            with_toml(
                r#"{ id = "yes", next = "q2" }"#,
                r#"{ id = "yes", next = "call" }"#,
            ),
            "mini/protocol.toml",
            Some(26),
            &["question `q2` can never be reached from `start`"],
        ),
        (
            "empty message text",
            with_en(EN.lines().nth(4).unwrap(), "help = { \"\" }"),
            "mini/en.ftl",
            Some(5),
            &["message `help` is empty", "write its text"],
        ),
        (
            "bad TOML",
            with_toml("programme_days = 7", "programme_days = "),
            "mini/protocol.toml",
            Some(6),
            &["fix the TOML"],
        ),
        (
            "wrong type in TOML",
            with_toml("programme_days = 7", "programme_days = \"seven\""),
            "mini/protocol.toml",
            Some(6),
            &["fix the TOML"],
        ),
        (
            "duplicate answer id",
            with_toml(
                r#"{ id = "no", next = "fine" }"#,
                r#"{ id = "yes", next = "fine" }"#,
            ),
            "mini/protocol.toml",
            Some(22),
            &["duplicate answer id `yes`", "line 21"],
        ),
        (
            "duplicate question or outcome id",
            with_toml("id = \"call\"", "id = \"q1\""),
            "mini/protocol.toml",
            Some(39),
            &["duplicate question or outcome id `q1`", "line 18"],
        ),
        (
            "question with no answers",
            with_toml(
                concat!(
                    "answers = [\n    { id = \"yes\", next = \"call\" },\n",
                    "    { id = \"no\", next = \"fine\" },\n]",
                ),
                "answers = []",
            ),
            "mini/protocol.toml",
            Some(26),
            &["question `q2` has no answers"],
        ),
        (
            "unknown start",
            with_toml("start = \"q1\"", "start = \"q0\""),
            "mini/protocol.toml",
            Some(7),
            &["`start` is `q0`"],
        ),
        (
            "unknown fallback language",
            with_toml("fallback_language = \"en\"", "fallback_language = \"fr\""),
            "mini/protocol.toml",
            Some(5),
            &["fallback_language `fr` is not declared"],
        ),
        (
            "language file for an undeclared language",
            undeclared,
            "mini/fr.ftl",
            None,
            &["language `fr`, which protocol.toml does not declare"],
        ),
        (
            "declared language without a file",
            without_es,
            "mini/protocol.toml",
            Some(14),
            &["language `es` is declared but no text file", "es.ftl"],
        ),
        (
            "ambiguous answer word",
            with_en("answer-q1-no = no, n", "answer-q1-no = no, Y"),
            "mini/en.ftl",
            Some(14),
            &["word `y` is accepted for both `yes` and `no` of question `q1`"],
        ),
        (
            "Fluent syntax error",
            with_en("opted-in = Opted in.", "opted-in = { Opted in."),
            "mini/en.ftl",
            Some(4),
            &["Fluent syntax error"],
        ),
        (
            "message defined twice",
            sources(TOML, &format!("{EN}outcome-fine = Again.\n"), &es),
            "mini/en.ftl",
            Some(19),
            &["message `outcome-fine` is defined twice", "line 11"],
        ),
        (
            "message referring to a missing message",
            with_en("opted-in = Opted in.", "opted-in = { opted-inn }"),
            "mini/en.ftl",
            Some(4),
            &["`opted-in` cannot be rendered", "opted-inn"],
        ),
    ]
}

#[test]
fn each_broken_input_is_reported_at_its_file_and_line() {
    for (what, sources, path, line, words) in cases() {
        let errors = errors_of(&sources);
        let found = errors.0.iter().find(|e| {
            let text = e.to_string();
            e.path() == path && e.line() == line && words.iter().all(|w| text.contains(w))
        });
        assert!(
            found.is_some(),
            "{what}: expected {path}:{line:?} {words:?}, got:\n{errors}"
        );
        let text = found.unwrap().to_string();
        let prefix = match line {
            Some(line) => format!("{path}:{line}: "),
            None => format!("{path}: "),
        };
        assert!(text.starts_with(&prefix), "{what}: {text}");
        assert!(text.contains(" — "), "{what}: says what to fix: {text}");
    }
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let toml = TOML.replacen("next = \"call\"", "next = \"nurse\"", 1);
    let es = es().replace("question-q2 = Q2?\n", "").replace(
        "help = Help: { $support }. Not for symptoms. Emergencies: 911.",
        "help = { \"\" }",
    );
    let errors = errors_of(&sources(&toml, EN, &es));
    let text = errors.to_string();
    assert!(text.contains("mini/protocol.toml:29: answer `yes` of question `q2` leads to `nurse`"));
    assert!(text.contains("mini/protocol.toml:39: outcome `call` can never be reached"));
    assert!(text.contains("mini/es.ftl: message `question-q2` is missing"));
    assert!(text.contains("mini/es.ftl:5: message `help` is empty"));
    assert_eq!(
        text.lines().count(),
        errors.0.len(),
        "one error per line:\n{text}"
    );
    assert_eq!(errors.0.len(), 4, "{text}");
}

#[test]
fn the_whole_default_protocol_is_checked_per_language() {
    let mut sources = homewatch_protocol::builtin::covid_19_home_monitoring();
    let es = &mut sources.texts[1].1;
    es.text = es
        .text
        .replace("answer-breathing-yes", "answer-breathing-yess");
    let errors = errors_of(&sources);
    assert!(
        errors.to_string().contains(
            "protocols/covid-19-home-monitoring/es.ftl: message `answer-breathing-yes` is missing \
             (reply words for answer yes of question breathing)"
        ),
        "{errors}"
    );
}

#[test]
fn one_mistake_is_reported_once_not_as_a_cascade() {
    let unknown_start = sources(
        &TOML.replacen("start = \"q1\"", "start = \"q0\"", 1),
        EN,
        &es(),
    );
    assert_eq!(
        errors_of(&unknown_start).0.len(),
        1,
        "{}",
        errors_of(&unknown_start)
    );

    let broken = EN.replacen("opted-in = Opted in.", "opted-in = { Opted in.", 1);
    let syntax = sources(TOML, &broken, &es());
    assert_eq!(errors_of(&syntax).0.len(), 1, "{}", errors_of(&syntax));
}
