//! `homewatch`: the headless command line of the service, for scripting, training and tests.
//!
//! It acts as the operator of its data directory; every change it makes is written to the
//! audit trail under the staff name given. `--at` sets the instant a command acts at, so a
//! whole programme can be replayed: `homewatch --at 2026-12-05T15:00:00Z tick`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use clap::{Parser, Subcommand};
use homewatch_protocol::{qnabot, Protocol, Thresholds};
use homewatch_service::{
    read_protocol_dir, Config, ConsentInput, ConsentMethod, EnrollRequest, Homewatch, InboundSms,
    PatientDetail, PatientUpdate, Staff, TickReport,
};
use serde::Serialize;

#[derive(Parser)]
#[command(
    name = "homewatch",
    version,
    about = "Homewatch service: check-ins by text message"
)]
struct Cli {
    /// Data directory holding the database and optional homewatch.toml.
    #[arg(
        long,
        global = true,
        env = "HOMEWATCH_DATA_DIR",
        default_value = "homewatch-data"
    )]
    data_dir: PathBuf,
    /// Print machine-readable JSON.
    #[arg(long, global = true)]
    json: bool,
    /// The instant the command acts at (RFC 3339, e.g. 2026-12-05T15:00:00Z); default now.
    #[arg(long, global = true, value_parser = parse_instant)]
    at: Option<DateTime<Utc>>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Enroll a patient who has consented; sends the confirmation text.
    Enroll {
        /// Mobile number, any common form.
        #[arg(long)]
        phone: String,
        /// Preferred language tag, e.g. en or es.
        #[arg(long)]
        language: String,
        /// Staff member who obtained consent.
        #[arg(long)]
        consent_by: String,
        /// How consent was obtained: verbal, written or electronic.
        #[arg(long, default_value = "verbal")]
        consent_method: String,
        /// Patient's name (staff screens only).
        #[arg(long)]
        name: Option<String>,
        /// IANA time zone, e.g. America/Chicago.
        #[arg(long)]
        timezone: Option<String>,
        /// Programme length in days.
        #[arg(long)]
        days: Option<u32>,
        /// Local check-in times, e.g. 10:00 or 10:00,18:00.
        #[arg(long)]
        times: Option<String>,
        /// Per-patient numeric ranges, e.g. '{"oxygen":{"normal":[92,100],"borderline":[90,91],"low":[0,89]}}'.
        #[arg(long, value_parser = parse_thresholds)]
        thresholds: Option<Thresholds>,
    },
    /// Simulate an SMS from a patient's phone.
    Text {
        /// Sender number.
        #[arg(long)]
        from: String,
        /// Message text.
        #[arg(long)]
        body: String,
        /// Provider message id: the same id is handled once.
        #[arg(long)]
        id: Option<String>,
    },
    /// Run everything due at the instant.
    Tick,
    /// What the simulated gateway sent.
    Outbox {
        /// Only texts to this number.
        #[arg(long)]
        phone: Option<String>,
    },
    /// A patient's status, episodes, history and escalations.
    Patient {
        /// Phone number, any common form.
        phone: String,
    },
    /// Opt a patient out (supervisor action).
    OptOut {
        /// Phone number.
        phone: String,
        /// Staff member acting.
        #[arg(long)]
        by: String,
        /// Why.
        #[arg(long)]
        reason: String,
    },
    /// Extend a patient's open episode by some days.
    Extend {
        /// Phone number.
        phone: String,
        /// Days to add, e.g. 7.
        #[arg(long)]
        days: u32,
        /// Staff member acting.
        #[arg(long)]
        by: String,
    },
    /// Change a patient's language, time zone or check-in times (from the next message on).
    Update {
        /// Phone number.
        phone: String,
        /// Staff member acting.
        #[arg(long)]
        by: String,
        /// New language tag.
        #[arg(long)]
        language: Option<String>,
        /// New IANA time zone.
        #[arg(long)]
        timezone: Option<String>,
        /// New local check-in times, e.g. 09:00,19:00.
        #[arg(long)]
        times: Option<String>,
        /// New per-patient numeric ranges as JSON; '{}' returns to the protocol's.
        #[arg(long, value_parser = parse_thresholds)]
        thresholds: Option<Thresholds>,
    },
    /// Mark an escalation handled; check-ins resume.
    Resolve {
        /// Escalation id (see `patient`).
        escalation: i64,
        /// Staff member acting.
        #[arg(long)]
        by: String,
        /// What was done.
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Protocol tools.
    #[command(subcommand)]
    Protocol(ProtocolCommand),
}

#[derive(Subcommand)]
enum ProtocolCommand {
    /// Convert a QnABot content export into a protocol directory.
    ImportQnabot {
        /// The export (JSON).
        file: PathBuf,
        /// Directory to write protocol.toml and the .ftl files to.
        #[arg(long)]
        out: PathBuf,
    },
    /// Load and validate a protocol directory.
    Check {
        /// Directory with protocol.toml and <language>.ftl files.
        dir: PathBuf,
    },
}

fn parse_thresholds(text: &str) -> Result<Thresholds, String> {
    serde_json::from_str(text).map_err(|e| {
        format!("thresholds must be JSON such as {{\"oxygen\":{{\"normal\":[92,100]}}}}: {e}")
    })
}

fn parse_instant(text: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| format!("{text:?} is not an RFC 3339 instant such as 2026-12-05T15:00:00Z"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HOMEWATCH_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let at = cli.at.unwrap_or_else(Utc::now);
    let json = cli.json;
    if let Command::Protocol(command) = cli.command {
        return protocol_command(command, json);
    }
    let config = Config::load(&cli.data_dir)?;
    let service = Homewatch::open(config).await?;
    match cli.command {
        Command::Enroll {
            phone,
            language,
            consent_by,
            consent_method,
            name,
            timezone,
            days,
            times,
            thresholds,
        } => {
            let method = ConsentMethod::parse(&consent_method)
                .filter(|m| *m != ConsentMethod::SmsKeyword)
                .with_context(|| {
                    format!(
                        "--consent-method {consent_method:?}: use verbal, written or electronic"
                    )
                })?;
            let request = EnrollRequest {
                name,
                phone,
                language,
                timezone,
                days,
                check_in_times: times,
                thresholds,
                consent: ConsentInput {
                    obtained_by: consent_by.clone(),
                    method,
                },
            };
            let patient = service
                .enroll(&Staff::operator(&consent_by), request, at)
                .await?;
            print(json, &patient, || {
                format!(
                    "enrolled patient {} ({}), {} days",
                    patient.id,
                    patient.phone,
                    patient.programme_days.unwrap_or_default()
                )
            })
        }
        Command::Text { from, body, id } => {
            service
                .receive_sms(
                    InboundSms {
                        from,
                        to: None,
                        body,
                        provider_id: id,
                    },
                    at,
                )
                .await?;
            print(json, &serde_json::json!({ "received": true }), || {
                "received".into()
            })
        }
        Command::Tick => {
            let report = service.tick(at).await?;
            print(json, &report, || describe_tick(&report))
        }
        Command::Outbox { phone } => {
            let texts = service.outbox(phone.as_deref()).await?;
            print(json, &texts, || {
                texts
                    .iter()
                    .map(|t| {
                        let when = t.sent_at.unwrap_or(t.created_at).to_rfc3339();
                        format!("{when}  {}  [{}] {}", t.to, t.status, t.body)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Patient { phone } => {
            let detail = service.patient_by_phone(&phone).await?;
            print(json, &detail, || describe(&detail))
        }
        Command::OptOut { phone, by, reason } => {
            let patient = service.patient_by_phone(&phone).await?;
            let summary = service
                .opt_out(&Staff::operator(&by), patient.summary.id, reason, at)
                .await?;
            print(json, &summary, || {
                format!("patient {} opted out", summary.id)
            })
        }
        Command::Extend { phone, days, by } => {
            let patient = service.patient_by_phone(&phone).await?;
            let summary = service
                .extend_episode(&Staff::operator(&by), patient.summary.id, days, at)
                .await?;
            print(json, &summary, || {
                format!(
                    "patient {} now has {} days",
                    summary.id,
                    summary.programme_days.unwrap_or(0)
                )
            })
        }
        Command::Update {
            phone,
            by,
            language,
            timezone,
            times,
            thresholds,
        } => {
            let patient = service.patient_by_phone(&phone).await?;
            let update = PatientUpdate {
                language,
                timezone,
                check_in_times: times,
                thresholds,
            };
            let summary = service
                .update_patient(&Staff::operator(&by), patient.summary.id, update, at)
                .await?;
            print(json, &summary, || format!("patient {} updated", summary.id))
        }
        Command::Resolve {
            escalation,
            by,
            note,
        } => {
            let summary = service
                .resolve_escalation(&Staff::operator(&by), escalation, note, at)
                .await?;
            print(json, &summary, || {
                format!("escalation {escalation} resolved")
            })
        }
        Command::Protocol(_) => unreachable!("handled above"),
    }
}

fn protocol_command(command: ProtocolCommand, json: bool) -> anyhow::Result<()> {
    match command {
        ProtocolCommand::ImportQnabot { file, out } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let imported = qnabot::import(&text, &file.display().to_string())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            // Never overwrite a protocol: a half-replaced directory would be neither.
            if out.exists() && std::fs::read_dir(&out).map_or(true, |mut d| d.next().is_some()) {
                anyhow::bail!(
                    "{} exists and is not empty: give a new directory for the imported protocol",
                    out.display()
                );
            }
            std::fs::create_dir_all(&out).with_context(|| format!("creating {}", out.display()))?;
            for (name, content) in &imported.files {
                let path = out.join(name);
                std::fs::write(&path, content)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
            // Prove the result loads before saying it was imported.
            Protocol::load(&read_protocol_dir(&out)?).map_err(|errors| {
                anyhow::anyhow!("the imported protocol does not load:\n{errors}")
            })?;
            for warning in &imported.warnings {
                eprintln!("warning: {warning}");
            }
            let files: Vec<&str> = imported
                .files
                .iter()
                .map(|(name, _)| name.as_str())
                .collect();
            print(
                json,
                &serde_json::json!({ "files": files, "warnings": imported.warnings }),
                || format!("imported into {}: {}", out.display(), files.join(", ")),
            )
        }
        ProtocolCommand::Check { dir } => {
            let protocol = Protocol::load(&read_protocol_dir(&dir)?)
                .map_err(|errors| anyhow::anyhow!("{errors}"))?;
            let languages: Vec<String> = protocol.languages().into_iter().map(|l| l.code).collect();
            let rows = protocol.budget();
            let budget = protocol.part_budget();
            let summary = serde_json::json!({
                "id": protocol.id(),
                "languages": languages,
                "questions": protocol.questions().len(),
                "outcomes": protocol.outcomes().len(),
                "part_budget": budget,
                "messages": rows,
                "over_budget": rows.iter().filter(|r| r.parts > budget).count(),
            });
            print(json, &summary, || {
                format!(
                    "ok: {} ({}), {} questions, {} outcomes\n\n{}",
                    protocol.id(),
                    languages.join(", "),
                    protocol.questions().len(),
                    protocol.outcomes().len(),
                    homewatch_protocol::budget_table(&rows, budget)
                )
            })
        }
    }
}

fn describe_tick(report: &TickReport) -> String {
    let TickReport {
        check_ins_sent,
        check_ins_skipped,
        episodes_completed,
        messages_sent,
        messages_failed,
        messages_held_by_cap,
        messages_expired,
        reminders,
        check_ins_missed,
        calls_placed,
        inbound_retried,
    } = report;
    format!(
        "check-ins sent {check_ins_sent}, skipped (too late, or paused by an open escalation) \
         {check_ins_skipped}, missed \
         {check_ins_missed}; reminders {reminders}; programmes completed \
         {episodes_completed}\ntexts sent {messages_sent}, failed {messages_failed}, held by \
         the daily cap {messages_held_by_cap}, expired {messages_expired}; nurse calls placed \
         {calls_placed}; inbound texts handled on retry {inbound_retried}"
    )
}

fn describe(detail: &PatientDetail) -> String {
    let s = &detail.summary;
    let mut lines = vec![format!(
        "patient {} {}{} — {:?}, language {}, zone {}, day {}/{}, open escalation: {}",
        s.id,
        s.phone,
        s.name
            .as_deref()
            .map_or(String::new(), |n| format!(" ({})", shown(n))),
        s.status,
        s.language,
        s.timezone,
        s.episode_day.map_or("-".into(), |d| d.to_string()),
        s.programme_days.map_or("-".into(), |d| d.to_string()),
        if s.open_escalation { "yes" } else { "no" }
    )];
    for entry in &detail.timeline {
        let arrow = match entry.direction {
            homewatch_service::Direction::Inbound => "<-",
            homewatch_service::Direction::Outbound => "->",
        };
        let answer = entry
            .answer
            .as_ref()
            .map_or(String::new(), |a| format!(" (answer: {a})"));
        lines.push(format!(
            "  {} {arrow} {}{answer}",
            entry.at.to_rfc3339(),
            shown(&entry.body)
        ));
    }
    for flag in &detail.flags {
        lines.push(format!("  flag {} {}: {}", flag.id, flag.kind, flag.detail));
    }
    for escalation in &detail.escalations {
        let call = escalation.call.as_ref().map_or("no call".into(), |c| {
            format!("call {} in {}", c.outcome, c.language)
        });
        lines.push(format!(
            "  escalation {} {:?}: {} ({call})",
            escalation.id, escalation.status, escalation.reason
        ));
    }
    lines.join("\n")
}

fn print<T: Serialize>(json: bool, value: &T, text: impl FnOnce() -> String) -> anyhow::Result<()> {
    use std::io::Write as _;
    let out = if json {
        serde_json::to_string_pretty(value)?
    } else {
        text()
    };
    match writeln!(std::io::stdout().lock(), "{out}") {
        // A reader that stopped early (`| head`) is not an error of ours.
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// Shows stored text (patients' messages, names) on a terminal without letting control
/// characters forge lines or colours.
fn shown(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}
