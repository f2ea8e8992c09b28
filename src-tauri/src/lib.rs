//! Homewatch console: the desktop window care staff use to enroll patients, follow their daily
//! check-ins and see escalations.
//!
//! This crate is a thin shell. Each command in [`commands`] decodes its arguments, checks that
//! someone is signed in, calls [`homewatch_service::Homewatch`] and hands back its answer or its
//! `{code, message}` error. Every rule about patients lives in the service; the screens in
//! `ui/` only show what it returns.
//!
//! # Glossary
//! - **Staff**: a local account (nurse or supervisor) signed in to this window.
//! - **Enrollment / episode**: one run of the programme for a patient, started with consent.
//! - **Check-in**: the daily conversation by text, in the patient's language.
//! - **Escalation**: a worsening answer; it opens a record and places a nurse call.
//! - **Opt-out**: no more texts for the patient; supervisors record one with a reason.
//! - **Phone simulator**: on the embedded default, SMS and calls are simulated; the simulator
//!   panel shows what a patient's phone received and replies as the patient.

mod commands;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context as _;
use homewatch_service::{Config, Homewatch, Staff};
use tauri::Manager as _;

/// Environment variable naming the data directory; the platform's app data directory otherwise.
pub const DATA_DIR_VAR: &str = "HOMEWATCH_DATA_DIR";

/// What the commands share: the service and who is signed in to this window.
pub struct Console {
    homewatch: Homewatch,
    signed_in: Mutex<Option<Staff>>,
}

impl Console {
    /// A console over `homewatch` with nobody signed in.
    pub fn new(homewatch: Homewatch) -> Self {
        Self {
            homewatch,
            signed_in: Mutex::new(None),
        }
    }
}

/// Starts the console and returns when its window closes.
pub fn run() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    // GTK panics without a display; say what to do instead.
    if !has_display() {
        eprintln!(
            "homewatch-console: no display: run under Xvfb, e.g. \
             `xvfb-run -a cargo run -p homewatch-console`"
        );
        return ExitCode::FAILURE;
    }

    let result = with_commands(tauri::Builder::default())
        .setup(|app| {
            let console = open(app.handle()).context("opening the Homewatch service")?;
            app.manage(console);
            Ok(())
        })
        .run(tauri::generate_context!());

    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("homewatch-console: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Registers every command; shared by [`run`] and the tests, which start from a mock builder.
fn with_commands<R: tauri::Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder.invoke_handler(tauri::generate_handler![
        commands::needs_first_account,
        commands::create_first_account,
        commands::create_staff,
        commands::sign_in,
        commands::sign_out,
        commands::current_staff,
        commands::programme,
        commands::enroll,
        commands::patients,
        commands::patient,
        commands::extend_episode,
        commands::update_patient,
        commands::opt_out,
        commands::resolve_escalation,
        commands::open_flags,
        commands::resolve_flag,
        commands::simulate_inbound_sms,
        commands::outbox,
    ])
}

/// Opens the service in the data directory and starts its scheduler on Tauri's runtime.
fn open<R: tauri::Runtime>(app: &tauri::AppHandle<R>) -> anyhow::Result<Console> {
    let dir = match std::env::var_os(DATA_DIR_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => app
            .path()
            .app_data_dir()
            .context("finding the app data directory")?,
    };
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("creating the data directory {}", dir.display()))?;

    let config = Config::load(&dir)?;
    let homewatch = tauri::async_runtime::block_on(Homewatch::open(config))?;
    tauri::async_runtime::spawn(homewatch.clone().run_scheduler());
    tracing::info!("console started");
    Ok(Console::new(homewatch))
}

/// Whether a windowing system is reachable. Only Linux and the BSDs need one named in the
/// environment; elsewhere the desktop is always there.
fn has_display() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    ["DISPLAY", "WAYLAND_DISPLAY"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|value| !value.is_empty()))
}

#[cfg(test)]
mod tests;
