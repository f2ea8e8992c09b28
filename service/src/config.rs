//! The service's one typed configuration.
//!
//! Precedence, lowest first: built-in defaults, then `<data dir>/homewatch.toml`, then
//! environment variables (`HOMEWATCH_*`), then command-line flags (applied by the caller).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

use crate::schedule::{CheckInTimes, SendWindow};

/// How the service is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the SQLite database (and nothing else of the patients') lives.
    pub data_dir: PathBuf,
    /// Region used to read phone numbers written without a country code (ISO 3166, e.g. "US").
    pub default_region: String,
    /// Time zone of a patient enrolled without one (IANA, e.g. "America/New_York").
    pub default_timezone: String,
    /// Local times of the check-ins in the patient's time zone, e.g. "10:00" or "10:00,18:00".
    pub check_in_times: CheckInTimes,
    /// Local times in which automated, non-urgent texts may go out.
    pub send_window: SendWindow,
    /// Number the escalation text tells patients to call if they miss the nurse's call.
    pub callback_number: String,
    /// Support contact given in answer to HELP.
    pub support_contact: String,
    /// The built-in protocol new enrollments follow: `covid-19-home-monitoring` (default) or
    /// `covid-19-pulse-oximetry`.
    pub protocol: String,
    /// A protocol directory to use instead of a built-in protocol.
    pub protocol_dir: Option<PathBuf>,
    /// Seconds between scheduler ticks when the service runs its own scheduler.
    pub tick_seconds: u64,
    /// Message parts per second the origination number may send (its MPS).
    pub parts_per_second: f64,
    /// Parts the number may send at once before the rate applies.
    pub burst_parts: u32,
    /// Texts the number may send in a UTC day (10DLC caps); none when absent.
    pub daily_message_cap: Option<u32>,
    /// Minutes after a check-in without an answer before the one reminder.
    pub reminder_after_minutes: u32,
    /// Minutes after a check-in without a finished answer before it counts as missed.
    pub missed_after_minutes: u32,
}

/// The optional file `<data dir>/homewatch.toml`: every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default_region: Option<String>,
    default_timezone: Option<String>,
    check_in_times: Option<String>,
    send_window: Option<String>,
    callback_number: Option<String>,
    support_contact: Option<String>,
    protocol: Option<String>,
    protocol_dir: Option<PathBuf>,
    tick_seconds: Option<u64>,
    parts_per_second: Option<f64>,
    burst_parts: Option<u32>,
    daily_message_cap: Option<u32>,
    reminder_after_minutes: Option<u32>,
    missed_after_minutes: Option<u32>,
}

impl Config {
    /// The embedded default: SQLite in `data_dir`, simulated SMS gateway and dialer, built-in
    /// defaults only.
    pub fn embedded(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            default_region: "US".into(),
            default_timezone: "America/New_York".into(),
            check_in_times: CheckInTimes::parse("10:00").expect("valid"),
            send_window: SendWindow::DEFAULT,
            callback_number: "(206) 555-0199".into(),
            // Language-neutral: it is inserted into the HELP text of every language.
            support_contact: "(206) 555-0199".into(),
            protocol: homewatch_protocol::builtin::DEFAULT_ID.into(),
            protocol_dir: None,
            tick_seconds: 15,
            parts_per_second: 10.0,
            burst_parts: 1,
            daily_message_cap: None,
            reminder_after_minutes: 120,
            missed_after_minutes: 360,
        }
    }

    /// The embedded default, then `<data dir>/homewatch.toml`, then `HOMEWATCH_*` variables.
    pub fn load(data_dir: impl Into<PathBuf>) -> anyhow::Result<Config> {
        let mut config = Config::embedded(data_dir);
        let path = config.data_dir.join("homewatch.toml");
        if path.exists() {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("reading {}", path.display()))?;
            let file: ConfigFile = toml::from_str(&text)
                .with_context(|| format!("{} is not a valid configuration", path.display()))?;
            config
                .apply(file)
                .with_context(|| format!("in {}", path.display()))?;
        }
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    fn apply(&mut self, file: ConfigFile) -> anyhow::Result<()> {
        let ConfigFile {
            default_region,
            default_timezone,
            check_in_times,
            send_window,
            callback_number,
            support_contact,
            protocol,
            protocol_dir,
            tick_seconds,
            parts_per_second,
            burst_parts,
            daily_message_cap,
            reminder_after_minutes,
            missed_after_minutes,
        } = file;
        set(&mut self.default_region, default_region);
        set(&mut self.default_timezone, default_timezone);
        if let Some(text) = check_in_times {
            self.check_in_times = CheckInTimes::parse(&text).map_err(anyhow::Error::msg)?;
        }
        if let Some(text) = send_window {
            self.send_window = SendWindow::parse(&text).map_err(anyhow::Error::msg)?;
        }
        set(&mut self.callback_number, callback_number);
        set(&mut self.support_contact, support_contact);
        set(&mut self.tick_seconds, tick_seconds);
        set(&mut self.protocol, protocol);
        set(&mut self.parts_per_second, parts_per_second);
        set(&mut self.burst_parts, burst_parts);
        set(&mut self.reminder_after_minutes, reminder_after_minutes);
        set(&mut self.missed_after_minutes, missed_after_minutes);
        if daily_message_cap.is_some() {
            self.daily_message_cap = daily_message_cap;
        }
        if protocol_dir.is_some() {
            self.protocol_dir = protocol_dir;
        }
        Ok(())
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        set(&mut self.default_region, var("HOMEWATCH_DEFAULT_REGION"));
        set(
            &mut self.default_timezone,
            var("HOMEWATCH_DEFAULT_TIMEZONE"),
        );
        set(&mut self.callback_number, var("HOMEWATCH_CALLBACK_NUMBER"));
        set(&mut self.support_contact, var("HOMEWATCH_SUPPORT_CONTACT"));
        if let Some(text) = var("HOMEWATCH_CHECK_IN_TIMES") {
            self.check_in_times = CheckInTimes::parse(&text)
                .map_err(|e| anyhow::anyhow!("HOMEWATCH_CHECK_IN_TIMES: {e}"))?;
        }
        if let Some(text) = var("HOMEWATCH_SEND_WINDOW") {
            self.send_window = SendWindow::parse(&text)
                .map_err(|e| anyhow::anyhow!("HOMEWATCH_SEND_WINDOW: {e}"))?;
        }
        set(&mut self.protocol, var("HOMEWATCH_PROTOCOL"));
        if let Some(dir) = var("HOMEWATCH_PROTOCOL_DIR") {
            self.protocol_dir = Some(PathBuf::from(dir));
        }
        Ok(())
    }

    /// Checks the values that the file, the environment or flags may have set.
    pub fn validate(&mut self) -> anyhow::Result<()> {
        check_times_in_window(&self.check_in_times, self.send_window)?;
        self.default_timezone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                anyhow::anyhow!(
                    "default_timezone {:?} is not an IANA time zone such as America/New_York",
                    self.default_timezone
                )
            })?;
        self.default_region = self.default_region.trim().to_ascii_uppercase();
        self.default_region
            .parse::<phonenumber::country::Id>()
            .map_err(|_| {
                anyhow::anyhow!(
                    "default_region {:?} is not an ISO 3166 country code such as US",
                    self.default_region
                )
            })?;
        anyhow::ensure!(self.tick_seconds > 0, "tick_seconds must be at least 1");
        let digits = self
            .callback_number
            .chars()
            .filter(char::is_ascii_digit)
            .count();
        anyhow::ensure!(
            digits >= 3 && !self.callback_number.chars().any(char::is_control),
            "callback_number {:?} is not a phone number patients can call, e.g. (206) 555-0199",
            self.callback_number
        );
        anyhow::ensure!(
            !self.support_contact.trim().is_empty()
                && !self.support_contact.chars().any(char::is_control),
            "support_contact is empty: give the number or address patients reach for support \
             (it is inserted into the HELP text of every language, so no words around it)"
        );
        anyhow::ensure!(
            self.daily_message_cap != Some(0),
            "daily_message_cap is 0, which would hold every text: leave it out for no cap"
        );
        anyhow::ensure!(
            self.parts_per_second >= 0.01 && self.parts_per_second <= 10_000.0,
            "parts_per_second is {}: use the number's MPS, e.g. 1 for 10DLC or 100 for a short code",
            self.parts_per_second
        );
        anyhow::ensure!(self.burst_parts >= 1, "burst_parts must be at least 1");
        anyhow::ensure!(
            self.reminder_after_minutes < self.missed_after_minutes,
            "reminder_after_minutes ({}) must come before missed_after_minutes ({})",
            self.reminder_after_minutes,
            self.missed_after_minutes
        );
        Ok(())
    }

    /// The SQLite database file.
    pub fn database_path(&self) -> PathBuf {
        self.data_dir.join("homewatch.db")
    }

    /// Where a relative protocol directory is read from.
    pub fn protocol_path(&self) -> Option<&Path> {
        self.protocol_dir.as_deref()
    }
}

/// Check-ins are not urgent: each time must fall inside the send window.
pub fn check_times_in_window(times: &CheckInTimes, window: SendWindow) -> anyhow::Result<()> {
    for time in times.times() {
        anyhow::ensure!(
            window.contains(*time),
            "check-in time {} lies outside the send window {window}: choose a time inside it",
            time.format("%H:%M")
        );
    }
    Ok(())
}

fn set<T>(slot: &mut T, value: Option<T>) {
    if let Some(value) = value {
        *slot = value;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_the_file_and_the_file_the_defaults() {
        let mut config = Config::embedded("/tmp/x");
        config
            .apply(ConfigFile {
                check_in_times: Some("09:00".into()),
                default_region: Some("GB".into()),
                ..ConfigFile::default()
            })
            .unwrap();
        config
            .apply_env(|name| (name == "HOMEWATCH_CHECK_IN_TIMES").then(|| "11:00".to_string()))
            .unwrap();
        assert_eq!(config.check_in_times.to_string(), "11:00");
        assert_eq!(config.default_region, "GB");
        assert_eq!(config.default_timezone, "America/New_York");
        config.validate().unwrap();
    }

    #[test]
    fn bad_values_say_what_to_use() {
        let mut config = Config::embedded("/tmp/x");
        config.default_timezone = "Mars/Olympus".into();
        assert!(config.validate().unwrap_err().to_string().contains("IANA"));
        let mut config = Config::embedded("/tmp/x");
        assert!(config.apply_env(|_| Some("ten".into())).is_err());
        let mut config = Config::embedded("/tmp/x");
        config.check_in_times = CheckInTimes::parse("07:00").unwrap();
        assert!(config
            .validate()
            .unwrap_err()
            .to_string()
            .contains("send window"));
    }
}
