//! Any bytes as a protocol's structure or English texts: loading may fail, never panic.
#![no_main]

use homewatch_protocol::{builtin, Protocol};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Half the inputs replace the structure, half the English texts of the default protocol.
    let mut sources = builtin::covid_19_home_monitoring();
    if data.first().is_some_and(|b| b % 2 == 0) {
        sources.structure.text = text.to_string();
    } else {
        sources.texts[0].1.text = text.to_string();
    }
    if let Ok(protocol) = Protocol::load(&sources) {
        let _ = protocol.budget();
    }
});
