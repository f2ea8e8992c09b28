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
            "consent",
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
