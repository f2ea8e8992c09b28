//! Benchmarks of the scheduler (not timed tests): run them with `--release`.
//!
//! - `plan`: plans a whole day for N active episodes (default 1,000,000) spread over time
//!   zones, ticking every 15 minutes, and reports time per pass and peak memory.
//! - `pacing`: sends texts through the real outbox and a recording gateway at a configured
//!   rate, and reports the most message parts sent in any one-second window.
//!
//! ```sh
//! cargo run --release -p homewatch-service --bin homewatch-bench -- plan --episodes 1000000
//! cargo run --release -p homewatch-service --bin homewatch-bench -- pacing --rate 20 --texts 600
//! ```

use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context as _;
use chrono::{DateTime, Duration, Utc};
use clap::{Parser, Subcommand};
use homewatch_protocol::segments;
use homewatch_service::gateway::{
    BoxFuture, GatewayError, OutgoingSms, SimulatedDialer, SmsGateway,
};
use homewatch_service::pacing::max_parts_in_any_second;
use homewatch_service::schedule::ts;
use homewatch_service::{Config, Gateways, Homewatch};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions as _;

#[derive(Parser)]
#[command(name = "homewatch-bench", about = "Scheduler benchmarks")]
struct Cli {
    #[command(subcommand)]
    command: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// Plan a day for many active episodes.
    Plan {
        /// Active episodes.
        #[arg(long, default_value_t = 1_000_000)]
        episodes: usize,
    },
    /// Measure pacing accuracy on the simulated path.
    Pacing {
        /// Parts per second the number may send.
        #[arg(long, default_value_t = 20.0)]
        rate: f64,
        /// Texts to send.
        #[arg(long, default_value_t = 600)]
        texts: usize,
    },
}

const ZONES: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/Madrid",
    "Asia/Ho_Chi_Minh",
];

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Bench::Plan { episodes } => plan(episodes).await,
        Bench::Pacing { rate, texts } => pacing(rate, texts).await,
    }
}

/// Fills the database directly: enrolling a million patients one by one through the API would
/// measure enrollment, not planning.
async fn fill(
    dir: &std::path::Path,
    episodes: usize,
    zones: &[&str],
    enrolled: DateTime<Utc>,
) -> anyhow::Result<()> {
    let mut conn = SqliteConnectOptions::new()
        .filename(dir.join("homewatch.db"))
        .synchronous(sqlx::sqlite::SqliteSynchronous::Off)
        .connect()
        .await?;
    let mut tx = sqlx::Connection::begin(&mut conn).await?;
    let idle = r#"{"state":"idle"}"#;
    for i in 0..episodes {
        let zone = zones[i % zones.len()];
        let phone = format!("+1{:03}555{:04}", 201 + (i / 10_000) % 700, i % 10_000);
        let patient = sqlx::query(
            "INSERT INTO patients (phone, language, timezone, conversation, created_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(&phone)
        .bind(if i % 3 == 0 { "es" } else { "en" })
        .bind(zone)
        .bind(idle)
        .bind(ts(enrolled))
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        let first = homewatch_service::schedule::slot_after(
            zone.parse()?,
            &homewatch_service::schedule::CheckInTimes::parse("10:00")
                .map_err(anyhow::Error::msg)?,
            enrolled,
        );
        sqlx::query(
            "INSERT INTO episodes (patient_id, protocol_id, started_at, programme_days,
                                   check_in_times, next_check_in_at, ends_at)
             VALUES (?, 'covid-19-home-monitoring', ?, 14, '10:00', ?, ?)",
        )
        .bind(patient)
        .bind(ts(enrolled))
        .bind(ts(first))
        .bind(ts(first + Duration::days(14)))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

async fn plan(episodes: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let enrolled: DateTime<Utc> = "2026-12-04T20:00:00Z".parse()?;
    drop(Homewatch::open(Config::embedded(dir.path())).await?); // creates the schema
    let started = Instant::now();
    fill(dir.path(), episodes, ZONES, enrolled)
        .await
        .context("filling the database")?;
    println!(
        "filled {episodes} episodes in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let service = Homewatch::open(Config::embedded(dir.path())).await?;
    let day_start: DateTime<Utc> = "2026-12-05T00:00:00Z".parse()?;
    let (mut planned, mut slowest, mut total) = (0u32, 0f64, 0f64);
    for quarter in 0..96 {
        let at = day_start + Duration::minutes(15 * quarter);
        let pass = Instant::now();
        let report = service
            .plan(at)
            .await
            .map_err(|e| anyhow::anyhow!("{}", e.message))?;
        let seconds = pass.elapsed().as_secs_f64();
        planned += report.check_ins_sent;
        slowest = slowest.max(seconds);
        total += seconds;
        if report.check_ins_sent > 0 {
            println!(
                "{at}: {} check-ins planned in {seconds:.1} s",
                report.check_ins_sent
            );
        }
    }
    println!(
        "day planned: {planned} check-ins for {episodes} episodes; planning passes took {total:.1} s \
         in all, the slowest {slowest:.1} s ({:.0} check-ins/s); peak memory {:.0} MiB",
        f64::from(planned) / total,
        peak_rss_mib()
    );
    anyhow::ensure!(
        planned as usize == episodes,
        "every episode gets exactly one check-in"
    );
    Ok(())
}

/// A gateway that records when each text left and how many parts it cost.
struct Recording {
    started: Instant,
    sends: Arc<Mutex<Vec<(i64, u32)>>>,
}

impl SmsGateway for Recording {
    fn send<'a>(
        &'a self,
        sms: &'a OutgoingSms,
        _at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(async move {
            let parts = segments::count(sms.body.expose()).parts as u32;
            let micros = self.started.elapsed().as_micros() as i64;
            self.sends.lock().unwrap().push((micros, parts));
            Ok(sms.idempotency_key.clone())
        })
    }
}

async fn pacing(rate: f64, texts: usize) -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let enrolled: DateTime<Utc> = "2026-12-04T20:00:00Z".parse()?;
    drop(Homewatch::open(Config::embedded(dir.path())).await?);
    fill(dir.path(), texts, &["America/New_York"], enrolled).await?;

    let mut config = Config::embedded(dir.path());
    config.parts_per_second = rate;
    let sends = Arc::new(Mutex::new(Vec::new()));
    let recording = Recording {
        started: Instant::now(),
        sends: sends.clone(),
    };
    let service = Homewatch::open_with(config, move |pool| Gateways {
        sms: Box::new(recording),
        dialer: Box::new(SimulatedDialer::new(pool.clone())),
        simulated: true,
    })
    .await?;
    // Everyone's 10:00 check-in (15:00 UTC) is planned, then the outbox is sent.
    let at: DateTime<Utc> = "2026-12-05T15:00:00Z".parse()?;
    service
        .plan(at)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let started = Instant::now();
    let report = service
        .tick(at)
        .await
        .map_err(|e| anyhow::anyhow!("{}", e.message))?;
    let seconds = started.elapsed().as_secs_f64();

    let sends = sends.lock().unwrap().clone();
    let parts: u32 = sends.iter().map(|s| s.1).sum();
    let max_window = max_parts_in_any_second(&sends);
    println!(
        "sent {} texts ({parts} parts) in {seconds:.2} s at a configured {rate} parts/s: \
         {:.2} parts/s on average, at most {max_window} parts in any one-second window",
        report.messages_sent,
        f64::from(parts) / seconds
    );
    Ok(())
}
