//! Protocols shipped with Homewatch, embedded in the binary.

use crate::{ProtocolSources, Source};

/// Id of the protocol used when none is chosen.
pub const DEFAULT_ID: &str = "covid-19-home-monitoring";

/// Embeds a shipped protocol folder: its `protocol.toml` and one `.ftl` file per language.
macro_rules! shipped {
    ($dir:literal, [$($language:literal),+ $(,)?]) => {
        ProtocolSources {
            structure: Source::new(
                concat!("protocols/", $dir, "/protocol.toml"),
                include_str!(concat!("../protocols/", $dir, "/protocol.toml")),
            ),
            texts: vec![$((
                $language.to_string(),
                Source::new(
                    concat!("protocols/", $dir, "/", $language, ".ftl"),
                    include_str!(concat!("../protocols/", $dir, "/", $language, ".ftl")),
                ),
            )),+],
        }
    };
}

/// The shipped default protocol (files in `protocol/protocols/covid-19-home-monitoring/`).
pub fn covid_19_home_monitoring() -> ProtocolSources {
    shipped!(
        "covid-19-home-monitoring",
        ["en", "es", "vi", "am", "ru", "zh-Hans"]
    )
}

/// Id of the pulse-oximetry protocol.
pub const PULSE_OXIMETRY_ID: &str = "covid-19-pulse-oximetry";

/// The default protocol plus an oxygen-saturation question with NHS bands (files in
/// `protocol/protocols/covid-19-pulse-oximetry/`).
pub fn covid_19_pulse_oximetry() -> ProtocolSources {
    shipped!("covid-19-pulse-oximetry", ["en", "es"])
}

/// Every shipped protocol by id.
pub fn all() -> Vec<(&'static str, ProtocolSources)> {
    vec![
        (DEFAULT_ID, covid_19_home_monitoring()),
        (PULSE_OXIMETRY_ID, covid_19_pulse_oximetry()),
    ]
}
