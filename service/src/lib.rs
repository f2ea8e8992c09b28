//! Homewatch service: the patient registry, conversations, schedule, escalations and audit
//! trail, and the gateways to the outside world.
//!
//! The console embeds this crate on the embedded default (SQLite, simulated SMS gateway and
//! dialer); the `homewatch` CLI drives the same API for scripting, training and tests. Every
//! operation takes the instant it acts at, so whole programmes can be replayed.
//!
//! # Glossary
//! - **Patient**: a person sent home and followed by text; one per E.164 phone number.
//! - **Enrollment / episode**: one run of a programme for a patient, from enrollment with
//!   consent to its last day (or an opt-out). Re-enrolling starts a new episode.
//! - **Protocol**: the clinical questions, answers and outcomes (crate `homewatch-protocol`).
//! - **Check-in**: the daily conversation the protocol runs, started at the patient's local
//!   check-in hour.
//! - **Escalation**: an answer that signals danger; it opens a record for staff and places a
//!   nurse call.
//! - **Opt-out**: the patient (or a supervisor) stops all texts; only an explicit opt-in brings
//!   them back.
//! - **Outbox**: outbound texts, decided in the same transaction as the state change that caused
//!   them and rendered in the patient's language when they are sent.
//!
//! Patient data never reaches logs: it travels in [`Sensitive`] inside the service, and logs
//! carry ids and outcomes only.

mod config;
mod conversation;
mod error;
mod flags;
pub mod gateway;
pub mod keywords;
mod outbox;
pub mod pacing;
pub mod phone;
mod registry;
pub mod schedule;
mod scheduler;
mod sensitive;
mod staff;
mod store;
mod views;

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use homewatch_protocol::{Protocol, ProtocolSources, Source};
use sqlx::SqlitePool;

pub use config::Config;
pub use error::{ErrorCode, Result, ServiceError};
pub use sensitive::Sensitive;
pub use views::*;

use gateway::{Dialer, SimulatedDialer, SimulatedSms, SmsGateway};

/// The service: cheap to clone, shared by the console's commands and the scheduler.
#[derive(Clone)]
pub struct Homewatch {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    pool: SqlitePool,
    protocol: Protocol,
    sms: Box<dyn SmsGateway>,
    dialer: Box<dyn Dialer>,
    simulated: bool,
    /// Held while handing the outbox to the gateway, so no row is picked up twice; it also
    /// paces the origination number.
    dispatch: tokio::sync::Mutex<pacing::TokenBucket>,
    /// The monotonic clock pacing is measured on.
    started: tokio::time::Instant,
}

impl Homewatch {
    /// Opens the embedded default in `config.data_dir`: SQLite, simulated SMS and dialer.
    pub async fn open(config: Config) -> anyhow::Result<Homewatch> {
        Self::open_with(config, |pool| Gateways {
            sms: Box::new(SimulatedSms::new(pool.clone())),
            dialer: Box::new(SimulatedDialer::new(pool.clone())),
            simulated: true,
        })
        .await
    }

    /// Opens the service with gateways of the caller's (AWS adapters, or test doubles), built
    /// from the service's database pool.
    pub async fn open_with(
        mut config: Config,
        gateways: impl FnOnce(&SqlitePool) -> Gateways,
    ) -> anyhow::Result<Homewatch> {
        config.validate()?;
        let protocol = load_protocol(&config)?;
        let pool = store::open(&config).await?;
        let Gateways {
            sms,
            dialer,
            simulated,
        } = gateways(&pool);
        let inner = Inner {
            sms,
            dialer,
            simulated,
            dispatch: tokio::sync::Mutex::new(pacing::TokenBucket::new(
                config.parts_per_second,
                config.burst_parts,
            )),
            started: tokio::time::Instant::now(),
            config,
            pool,
            protocol,
        };
        tracing::info!(protocol = inner.protocol.id(), "service opened");
        Ok(Homewatch {
            inner: Arc::new(inner),
        })
    }

    /// The protocol new enrollments follow.
    pub fn protocol(&self) -> &Protocol {
        &self.inner.protocol
    }

    /// The configuration in force.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// What the console needs to enroll patients.
    pub fn programme(&self) -> ProgrammeInfo {
        let protocol = &self.inner.protocol;
        let days = protocol.programme_days().to_string();
        let languages = protocol
            .languages()
            .into_iter()
            .map(|language| self.language_info(language, &days))
            .collect();
        ProgrammeInfo {
            protocol_id: protocol.id().to_string(),
            protocol_title: protocol.title().to_string(),
            languages,
            default_days: protocol.programme_days(),
            default_timezone: self.inner.config.default_timezone.clone(),
            check_in_times: self.inner.config.check_in_times.to_string(),
            send_window: self.inner.config.send_window.to_string(),
            consent_version: protocol.consent_version().to_string(),
            simulated: self.inner.simulated,
            requires_reviewed_languages: protocol.requires_reviewed_languages(),
        }
    }

    fn language_info(&self, language: homewatch_protocol::Language, days: &str) -> LanguageInfo {
        let protocol = &self.inner.protocol;
        let per_day = self.inner.config.check_in_times.times().len().to_string();
        let review = language.review;
        let reviewed = review.status == homewatch_protocol::ReviewStatus::Reviewed;
        LanguageInfo {
            consent_text: protocol
                .render(
                    &language.code,
                    homewatch_protocol::messages::CONSENT,
                    &[
                        ("days", days),
                        ("per_day", &per_day),
                        ("callback", &self.inner.config.callback_number),
                        ("support", &self.inner.config.support_contact),
                    ],
                )
                .unwrap_or_default(),
            review_status: if reviewed { "reviewed" } else { "draft" }.into(),
            reviewed_by: review.by,
            reviewed_on: review.on,
            enrollable: reviewed || !protocol.requires_reviewed_languages(),
            code: language.code,
            name: language.name,
        }
    }
}

/// The outside world the service talks to.
pub struct Gateways {
    /// Sends SMS.
    pub sms: Box<dyn SmsGateway>,
    /// Places nurse calls.
    pub dialer: Box<dyn Dialer>,
    /// True when both are simulations (the console then shows the phone simulator).
    pub simulated: bool,
}

/// The configured protocol directory, or the built-in default protocol.
pub fn load_protocol(config: &Config) -> anyhow::Result<Protocol> {
    let sources = match config.protocol_path() {
        Some(dir) => read_protocol_dir(dir)?,
        None => homewatch_protocol::builtin::all()
            .into_iter()
            .find(|(id, _)| *id == config.protocol)
            .map(|(_, sources)| sources)
            .ok_or_else(|| {
                let known: Vec<&str> = homewatch_protocol::builtin::all()
                    .iter()
                    .map(|(id, _)| *id)
                    .collect();
                anyhow::anyhow!(
                    "protocol {:?} is not built in: use one of {}, or set protocol_dir",
                    config.protocol,
                    known.join(", ")
                )
            })?,
    };
    Protocol::load(&sources)
        .map_err(|errors| anyhow::anyhow!("the protocol does not load:\n{errors}"))
}

/// Reads `protocol.toml` and every `<language>.ftl` of a protocol directory.
pub fn read_protocol_dir(dir: &Path) -> anyhow::Result<ProtocolSources> {
    let read = |path: &Path| -> anyhow::Result<Source> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(Source {
            path: path.display().to_string(),
            text,
        })
    };
    let structure = read(&dir.join("protocol.toml"))?;
    let mut texts = Vec::new();
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("listing the protocol directory {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|ext| ext == "ftl") {
            let language = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .context("a .ftl file name is not UTF-8")?
                .to_string();
            texts.push((language, read(&path)?));
        }
    }
    texts.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(ProtocolSources { structure, texts })
}
