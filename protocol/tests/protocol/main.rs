//! Integration tests of the protocol crate, one module per feature.

mod answers;
mod default_protocol;
mod engine;
mod language_tags;
mod languages;
mod load_errors;
mod pulse_oximetry;
mod qnabot;
mod render;
mod robustness;
mod thresholds;
mod variables;
mod wording;

use chrono::{DateTime, TimeZone, Utc};
use homewatch_protocol::{Conversation, Effect, Protocol, Step};

/// A fixed time for every test.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

/// The shipped default protocol, loaded.
pub fn default_protocol() -> Protocol {
    static LOADED: std::sync::OnceLock<Protocol> = std::sync::OnceLock::new();
    LOADED
        .get_or_init(|| {
            match Protocol::load(&homewatch_protocol::builtin::covid_19_home_monitoring()) {
                Ok(protocol) => protocol,
                Err(errors) => panic!("default protocol does not load:\n{errors}"),
            }
        })
        .clone()
}

/// Starts a check-in and replies each text in turn; returns every step.
pub fn run(protocol: &Protocol, language: &str, texts: &[&str]) -> Vec<Step> {
    let mut steps = vec![protocol.start_check_in(&Conversation::Idle, t0())];
    for text in texts {
        let state = steps.last().unwrap().conversation.clone();
        steps.push(protocol.handle(&state, language, text, t0()));
    }
    steps
}

/// Whether any step opened an escalation.
pub fn escalated(steps: &[Step]) -> bool {
    steps
        .iter()
        .flat_map(|s| &s.effects)
        .any(|e| matches!(e, Effect::Escalate { .. }))
}

/// The outcome the last step finished with, if any.
pub fn finished(steps: &[Step]) -> Option<String> {
    steps.last()?.effects.iter().find_map(|e| match e {
        Effect::Finished { outcome } => Some(outcome.clone()),
        _ => None,
    })
}
