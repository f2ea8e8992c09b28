//! Crash test: the CLI, which runs the scheduler and inbound handling, is killed at random
//! points many times during a two-day programme for a cohort. Every command that was killed is
//! run again (as a provider redelivers an inbound text, or a scheduler restarts) until it
//! completes. Afterwards every due text was delivered exactly once and every inbound text
//! recorded and handled exactly once.
//!
//! Randomness is a seeded generator: the seed is printed, and `CRASH_SEED=n` replays a run.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

const PATIENTS: usize = 12;

/// xorshift64*: enough randomness for kill timing, and reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Harness<'a> {
    dir: &'a Path,
    rng: Rng,
    kills: u32,
    runs: u32,
}

impl Harness<'_> {
    /// Runs a command, killing it at a random point in two runs out of three, until it
    /// completes once.
    fn run_until_done(&mut self, args: &[&str]) {
        loop {
            self.runs += 1;
            let mut child = Command::new(env!("CARGO_BIN_EXE_homewatch"))
                .arg("--data-dir")
                .arg(self.dir)
                .args(args)
                .env_remove("HOMEWATCH_DATA_DIR")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("the CLI starts");
            if self.rng.below(3) > 0 {
                std::thread::sleep(Duration::from_micros(self.rng.below(60_000)));
                if child.try_wait().expect("wait").is_none() {
                    child.kill().expect("kill");
                    child.wait().expect("reap");
                    self.kills += 1;
                    continue;
                }
            }
            let output = child.wait_with_output().expect("the CLI finishes");
            assert!(
                output.status.success(),
                "{args:?} failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            return;
        }
    }
}

fn phone(i: usize) -> String {
    format!("+1206555{:04}", 100 + i)
}

#[test]
fn killed_at_random_points_nothing_is_lost_or_sent_twice() {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_2026);
    println!("crash test seed: {seed}");
    let dir = tempfile::tempdir().unwrap();
    // Fast pacing: the test is about crashes, not throughput.
    std::fs::write(
        dir.path().join("homewatch.toml"),
        "parts_per_second = 5000.0\n",
    )
    .unwrap();
    let mut h = Harness {
        dir: dir.path(),
        rng: Rng(seed | 1),
        kills: 0,
        runs: 0,
    };

    for i in 0..PATIENTS {
        let phone = phone(i);
        h.run_until_done(&[
            "--at",
            "2026-12-04T20:00:00Z",
            "enroll",
            "--phone",
            &phone,
            "--language",
            if i % 2 == 0 { "en" } else { "es" },
            "--consent-by",
            "Ana",
            "--days",
            "2",
        ]);
    }
    let mut inbound_ids = Vec::new();
    for (day, tick_at) in [(5, "2026-12-05T15:00:00Z"), (6, "2026-12-06T15:00:00Z")] {
        h.run_until_done(&["--at", tick_at, "tick"]);
        for i in 0..PATIENTS {
            let phone = phone(i);
            // Half answer "same"; the others "worse" then "no": no escalation, two answers.
            let answers: &[&str] = if i % 2 == 0 { &["2"] } else { &["3", "no"] };
            for (n, body) in answers.iter().enumerate() {
                let id = format!("in-{day}-{i}-{n}");
                let at = format!("2026-12-{day:02}T16:{:02}:{:02}Z", i, n * 10);
                h.run_until_done(&[
                    "--at", &at, "text", "--from", &phone, "--body", body, "--id", &id,
                ]);
                inbound_ids.push(id);
            }
        }
    }
    // The programme ends on day 7; a last pass without kills flushes nothing new.
    h.run_until_done(&["--at", "2026-12-07T15:00:00Z", "tick"]);
    let mut last = Command::new(env!("CARGO_BIN_EXE_homewatch"));
    let output = last
        .args(["--data-dir"])
        .arg(dir.path())
        .args(["--json", "--at", "2026-12-07T15:30:00Z", "tick"])
        .output()
        .unwrap();
    assert!(output.status.success());
    println!("runs: {}, killed: {}", h.runs, h.kills);
    assert!(
        h.kills >= 10,
        "the test must really kill the process: {} kills",
        h.kills
    );

    // Read the outcome straight from the database.
    let db = dir.path().join("homewatch.db");
    let query = |sql: &str| -> String {
        let output = Command::new("sqlite3")
            .arg(&db)
            .arg(sql)
            .output()
            .expect("sqlite3 runs");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    };

    // Every decided text was handed over and delivered once: one delivery per outbound row.
    assert_eq!(
        query("SELECT COUNT(*) FROM outbound_messages WHERE status != 'sent'"),
        "0"
    );
    let outbound = query("SELECT COUNT(*) FROM outbound_messages");
    let delivered = query("SELECT COUNT(*) FROM simulated_sms");
    assert_eq!(outbound, delivered);
    assert_eq!(
        query(
            "SELECT COUNT(*) FROM outbound_messages o LEFT JOIN simulated_sms s
             ON s.idempotency_key = 'out-' || o.id WHERE s.id IS NULL"
        ),
        "0"
    );
    // Per patient: the confirmation, two check-ins, the replies, the final message. Nothing
    // twice: enrolled 1, question-feeling 2, programme-ended 1.
    for (message, expected) in [
        ("enrolled", 1),
        ("question-feeling", 2),
        ("programme-ended", 1),
    ] {
        let counts = query(&format!(
            "SELECT COUNT(*) FROM outbound_messages WHERE message = '{message}' GROUP BY patient_id"
        ));
        let counts: Vec<&str> = counts.lines().collect();
        assert_eq!(counts.len(), PATIENTS, "{message}");
        assert!(
            counts.iter().all(|c| *c == expected.to_string()),
            "{message}: {counts:?}"
        );
    }
    // Every inbound text recorded once and handled.
    assert_eq!(
        query("SELECT COUNT(*) FROM inbound_messages"),
        inbound_ids.len().to_string()
    );
    assert_eq!(
        query("SELECT COUNT(*) FROM inbound_messages WHERE handled_as IS NULL"),
        "0"
    );
    assert_eq!(
        query("SELECT COUNT(*) FROM answers"),
        inbound_ids.len().to_string()
    );
    assert_eq!(query("SELECT COUNT(*) FROM escalations"), "0");
    println!(
        "texts delivered: {delivered}, redelivered hand-overs deduplicated: {}",
        query("SELECT COALESCE(SUM(attempts - 1), 0) FROM simulated_sms")
    );
}
