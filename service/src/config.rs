//! The service's one typed configuration.
//!
//! Precedence, lowest first: built-in defaults, then `<data dir>/homewatch.toml`, then
//! environment variables (`HOMEWATCH_*`), then command-line flags (applied by the caller).

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde::Deserialize;

/// How the service is set up.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the SQLite database (and nothing else of the patients') lives.
    pub data_dir: PathBuf,
    /// Region used to read phone numbers written without a country code (ISO 3166, e.g. "US").
    pub default_region: String,
    /// Time zone of a patient enrolled without one (IANA, e.g. "America/New_York").
    pub default_timezone: String,
    /// Local hour of the daily check-in in the patient's time zone.
    pub check_in_hour: u32,
    /// Number the escalation text tells patients to call if they miss the nurse's call.
    pub callback_number: String,
    /// Support contact given in answer to HELP.
    pub support_contact: String,
    /// A protocol directory to use instead of the built-in default protocol.
    pub protocol_dir: Option<PathBuf>,
    /// Seconds between scheduler ticks when the service runs its own scheduler.
    pub tick_seconds: u64,
}

/// The optional file `<data dir>/homewatch.toml`: every field may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default_region: Option<String>,
    default_timezone: Option<String>,
    check_in_hour: Option<u32>,
    callback_number: Option<String>,
    support_contact: Option<String>,
    protocol_dir: Option<PathBuf>,
    tick_seconds: Option<u64>,
}

impl Config {
    /// The embedded default: SQLite in `data_dir`, simulated SMS gateway and dialer, built-in
    /// defaults only.
    pub fn embedded(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            default_region: "US".into(),
            default_timezone: "America/New_York".into(),
            check_in_hour: 10,
            callback_number: "(206) 555-0199".into(),
            support_contact: "the Homewatch care team at (206) 555-0199".into(),
            protocol_dir: None,
            tick_seconds: 15,
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
            config.apply(file);
        }
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    fn apply(&mut self, file: ConfigFile) {
        let ConfigFile {
            default_region,
            default_timezone,
            check_in_hour,
            callback_number,
            support_contact,
            protocol_dir,
            tick_seconds,
        } = file;
        set(&mut self.default_region, default_region);
        set(&mut self.default_timezone, default_timezone);
        set(&mut self.check_in_hour, check_in_hour);
        set(&mut self.callback_number, callback_number);
        set(&mut self.support_contact, support_contact);
        set(&mut self.tick_seconds, tick_seconds);
        if protocol_dir.is_some() {
            self.protocol_dir = protocol_dir;
        }
    }

    fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> anyhow::Result<()> {
        set(&mut self.default_region, var("HOMEWATCH_DEFAULT_REGION"));
        set(
            &mut self.default_timezone,
            var("HOMEWATCH_DEFAULT_TIMEZONE"),
        );
        set(&mut self.callback_number, var("HOMEWATCH_CALLBACK_NUMBER"));
        set(&mut self.support_contact, var("HOMEWATCH_SUPPORT_CONTACT"));
        if let Some(hour) = var("HOMEWATCH_CHECK_IN_HOUR") {
            self.check_in_hour = hour
                .parse()
                .context("HOMEWATCH_CHECK_IN_HOUR must be a whole hour such as 10")?;
        }
        if let Some(dir) = var("HOMEWATCH_PROTOCOL_DIR") {
            self.protocol_dir = Some(PathBuf::from(dir));
        }
        Ok(())
    }

    /// Checks the values that the file, the environment or flags may have set.
    pub fn validate(&self) -> anyhow::Result<()> {
        let (open, close) = crate::schedule::SEND_WINDOW;
        anyhow::ensure!(
            crate::schedule::in_send_window(self.check_in_hour),
            "check_in_hour is {}: use an hour inside the send window, {open} to {}",
            self.check_in_hour,
            close - 1
        );
        self.default_timezone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                anyhow::anyhow!(
                    "default_timezone {:?} is not an IANA time zone such as America/New_York",
                    self.default_timezone
                )
            })?;
        self.default_region
            .parse::<phonenumber::country::Id>()
            .map_err(|_| {
                anyhow::anyhow!(
                    "default_region {:?} is not an ISO 3166 country code such as US",
                    self.default_region
                )
            })?;
        anyhow::ensure!(self.tick_seconds > 0, "tick_seconds must be at least 1");
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
        config.apply(ConfigFile {
            check_in_hour: Some(9),
            default_region: Some("GB".into()),
            ..ConfigFile::default()
        });
        config
            .apply_env(|name| (name == "HOMEWATCH_CHECK_IN_HOUR").then(|| "11".to_string()))
            .unwrap();
        assert_eq!(config.check_in_hour, 11);
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
    }
}
