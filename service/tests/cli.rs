//! The `homewatch` CLI as a script would use it: exit codes, stderr, JSON, replayed time.

use std::path::Path;
use std::process::{Command, Output};

fn homewatch(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_homewatch"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("HOMEWATCH_DATA_DIR")
        .output()
        .expect("the CLI runs")
}

fn ok(data_dir: &Path, args: &[&str]) -> serde_json::Value {
    let output = homewatch(data_dir, &[&["--json"], args].concat());
    assert!(
        output.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

fn fails(data_dir: &Path, args: &[&str]) -> String {
    let output = homewatch(data_dir, args);
    assert!(!output.status.success(), "{args:?} should fail");
    assert!(output.stdout.is_empty(), "errors go to stderr only");
    String::from_utf8(output.stderr).unwrap()
}

#[test]
fn a_programme_replayed_through_the_cli() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let patient = ok(
        d,
        &[
            "--at",
            "2026-12-04T20:00:00Z",
            "enroll",
            "--phone",
            "(206) 555-0123",
            "--language",
            "en",
            "--consent-by",
            "Ana Nurse",
            "--days",
            "2",
            "--timezone",
            "America/Chicago",
        ],
    );
    assert_eq!(patient["phone"], "+12065550123");
    assert_eq!(patient["status"], "active");

    // Two check-ins at 10:00 Chicago time (16:00 UTC), then the final message.
    for day in [
        "2026-12-05T16:00:00Z",
        "2026-12-06T16:00:00Z",
        "2026-12-07T16:00:00Z",
    ] {
        ok(d, &["--at", day, "tick"]);
    }
    let outbox = ok(d, &["outbox", "--phone", "+12065550123"]);
    let messages: Vec<&str> = outbox
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        [
            "enrolled",
            "question-feeling",
            "question-feeling",
            "programme-ended"
        ]
    );
    let detail = ok(d, &["patient", "2065550123"]);
    assert_eq!(detail["summary"]["status"], "completed");

    // A STOP after the end is recorded; START re-enrolls into a new episode.
    ok(
        d,
        &[
            "--at",
            "2026-12-07T17:00:00Z",
            "text",
            "--from",
            "+12065550123",
            "--body",
            "START",
        ],
    );
    let detail = ok(d, &["patient", "+12065550123"]);
    assert_eq!(detail["summary"]["status"], "active");
    assert_eq!(detail["episodes"].as_array().unwrap().len(), 2);
    assert_eq!(detail["consents"][0]["method"], "sms_keyword");

    // Every staff change is in the audit trail under the name given: checked via opt-out.
    ok(
        d,
        &[
            "--at",
            "2026-12-07T18:00:00Z",
            "opt-out",
            "2065550123",
            "--by",
            "Sam",
            "--reason",
            "moved",
        ],
    );
    let detail = ok(d, &["patient", "+12065550123"]);
    assert_eq!(detail["summary"]["status"], "opted_out");
}

#[test]
fn bad_input_fails_with_a_message_that_says_what_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "enroll",
                "--phone",
                "12",
                "--language",
                "en",
                "--consent-by",
                "A",
            ],
            "country code",
        ),
        (
            &[
                "enroll",
                "--phone",
                "2065550100",
                "--language",
                "xx",
                "--consent-by",
                "A",
            ],
            "choose one of",
        ),
        (
            &[
                "enroll",
                "--phone",
                "2065550100",
                "--language",
                "en",
                "--consent-by",
                "A",
                "--timezone",
                "Mars/Base",
            ],
            "IANA",
        ),
        (
            &[
                "enroll",
                "--phone",
                "2065550100",
                "--language",
                "en",
                "--consent-by",
                " ",
            ],
            "empty",
        ),
        (&["--at", "yesterday", "tick"], "RFC 3339"),
        (&["patient", "2065550100"], "no patient"),
        (
            &["protocol", "check", "/nonexistent/protocol"],
            "protocol.toml",
        ),
    ];
    for (args, expected) in cases {
        let stderr = fails(d, args);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
    // Nothing half-written: the failed enrollments left no patient behind.
    assert_eq!(ok(d, &["outbox"]), serde_json::json!([]));
}

#[test]
fn the_qnabot_sample_imports_and_checks() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/seed/qnabot_covid_connect.json");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("imported");
    let out_arg = out.to_str().unwrap();
    let output = homewatch(
        dir.path(),
        &[
            "protocol",
            "import-qnabot",
            fixture.to_str().unwrap(),
            "--out",
            out_arg,
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let warnings = String::from_utf8_lossy(&output.stderr);
    assert!(
        warnings.contains("CANCEL"),
        "the sample's opt-out text defect is reported: {warnings}"
    );
    let checked = ok(dir.path(), &["protocol", "check", out_arg]);
    assert_eq!(checked["languages"], serde_json::json!(["en"]));
}

#[test]
fn regressions_found_by_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let enroll = |phone: &str, extra: &[&str]| -> Vec<String> {
        let mut args: Vec<String> = ["--at", "2026-12-04T20:00:00Z", "enroll", "--phone", phone]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(
            ["--language", "en", "--consent-by", "Ana"]
                .iter()
                .map(|s| s.to_string()),
        );
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };
    let run_ok = |args: Vec<String>| ok(d, &args.iter().map(String::as_str).collect::<Vec<_>>());
    let run_fails =
        |args: Vec<String>| fails(d, &args.iter().map(String::as_str).collect::<Vec<_>>());

    // A German mobile keeps its digits (the US national prefix is not stripped from it).
    let german = run_ok(enroll("+49 1512 3456789", &[]));
    assert_eq!(german["phone"], "+4915123456789");
    // Letters and trailing text are refused, not dropped.
    assert!(run_fails(enroll("+12065550142x", &[])).contains("only digits"));
    // Control characters in a name are refused; an empty actor too.
    let name = enroll("2065550142", &["--name", "Bob\u{1b}[2J"]);
    assert!(run_fails(name).contains("control characters"));
    run_ok(enroll("2065550142", &[]));
    let stderr = fails(d, &["opt-out", "2065550142", "--by", " ", "--reason", "r"]);
    assert!(stderr.contains("empty"), "{stderr}");
    // A staff action dated before the enrollment is refused.
    let early = [
        "--at",
        "2026-12-04T19:00:00Z",
        "opt-out",
        "2065550142",
        "--by",
        "Sam",
    ];
    let stderr = fails(d, &[&early[..], &["--reason", "r"]].concat());
    assert!(
        stderr.contains("before this patient's enrollment"),
        "{stderr}"
    );
    // An instant the service cannot store is refused before anything is written.
    let far = fails(d, &["--at", "9999-12-31T12:00:00Z", "tick"]);
    assert!(far.contains("2199"), "{far}");

    // A reused provider id from another number does not swallow a patient's STOP.
    let hi = [
        "--at",
        "2026-12-05T15:03:00Z",
        "text",
        "--from",
        "+4915123456789",
    ];
    ok(d, &[&hi[..], &["--body", "hi", "--id", "x"]].concat());
    let stop = [
        "--at",
        "2026-12-05T15:04:00Z",
        "text",
        "--from",
        "2065550142",
    ];
    ok(d, &[&stop[..], &["--body", "STOP", "--id", "x"]].concat());
    assert_eq!(
        ok(d, &["patient", "2065550142"])["summary"]["status"],
        "opted_out"
    );

    // Moving a patient west after today's check-in does not send a second one today.
    run_ok(enroll("2065550143", &[]));
    ok(d, &["--at", "2026-12-05T15:00:00Z", "tick"]);
    let west = ["--timezone", "America/Los_Angeles"];
    let update = [
        "--at",
        "2026-12-05T15:30:00Z",
        "update",
        "2065550143",
        "--by",
        "Ana",
    ];
    ok(d, &[&update[..], &west[..]].concat());
    ok(d, &["--at", "2026-12-05T18:00:00Z", "tick"]);
    let texts = ok(d, &["outbox", "--phone", "2065550143"]);
    let check_ins = texts
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["message"] == "question-feeling")
        .count();
    assert_eq!(check_ins, 1);

    // Importing over an existing protocol directory is refused and leaves it whole.
    let existing = d.join("existing");
    std::fs::create_dir(&existing).unwrap();
    std::fs::write(existing.join("protocol.toml"), "keep me").unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/seed/qnabot_covid_connect.json");
    let (fixture, out) = (fixture.to_str().unwrap(), existing.to_str().unwrap());
    assert!(fails(d, &["protocol", "import-qnabot", fixture, "--out", out]).contains("not empty"));
    assert_eq!(
        std::fs::read_to_string(existing.join("protocol.toml")).unwrap(),
        "keep me"
    );
}
