//! Protocols shipped with Homewatch, embedded in the binary.

use crate::{ProtocolSources, Source};

/// Id of the protocol used when none is chosen.
pub const DEFAULT_ID: &str = "covid-19-home-monitoring";

/// The shipped default protocol (files in `protocol/protocols/covid-19-home-monitoring/`).
pub fn covid_19_home_monitoring() -> ProtocolSources {
    const DIR: &str = "protocols/covid-19-home-monitoring";
    ProtocolSources {
        structure: Source::new(
            format!("{DIR}/protocol.toml"),
            include_str!("../protocols/covid-19-home-monitoring/protocol.toml"),
        ),
        texts: vec![
            (
                "en".to_string(),
                Source::new(
                    format!("{DIR}/en.ftl"),
                    include_str!("../protocols/covid-19-home-monitoring/en.ftl"),
                ),
            ),
            (
                "es".to_string(),
                Source::new(
                    format!("{DIR}/es.ftl"),
                    include_str!("../protocols/covid-19-home-monitoring/es.ftl"),
                ),
            ),
        ],
    }
}

/// Every shipped protocol by id.
pub fn all() -> Vec<(&'static str, ProtocolSources)> {
    vec![(DEFAULT_ID, covid_19_home_monitoring())]
}
