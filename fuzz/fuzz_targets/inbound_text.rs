//! Any text from a patient, in any language and state: the engine always answers, never panics.
#![no_main]

use std::sync::OnceLock;

use chrono::{TimeZone, Utc};
use homewatch_protocol::{builtin, normalize_with, Conversation, Protocol};
use libfuzzer_sys::fuzz_target;

fn protocols() -> &'static [Protocol] {
    static LOADED: OnceLock<Vec<Protocol>> = OnceLock::new();
    LOADED.get_or_init(|| {
        builtin::all()
            .into_iter()
            .map(|(_, sources)| Protocol::load(&sources).expect("shipped protocols load"))
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let once = normalize_with(&text, selector % 2 == 0);
    assert_eq!(normalize_with(&once, selector % 2 == 0), once);

    let now = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
    for protocol in protocols() {
        let languages = protocol.languages();
        let language = &languages[usize::from(selector) % languages.len()].code;
        let mut states = vec![Conversation::Idle];
        states.extend(protocol.questions().into_iter().map(|q| Conversation::Awaiting {
            question: q.id,
            tries: u32::from(selector % 4),
            since: now,
        }));
        for state in states {
            let step = protocol.handle(&state, language, &text, now);
            assert!(!step.replies.is_empty(), "every reply gets an answer");
        }
    }
});
