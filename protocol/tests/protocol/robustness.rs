//! What the fuzz targets check (fuzz/), as ordinary tests over generated inputs, so a stable
//! toolchain runs them too: no input makes loading or the engine panic.

use homewatch_protocol::{builtin, normalize_with, Conversation, Protocol};
use proptest::prelude::*;

use crate::t0;

fn shipped() -> &'static [Protocol] {
    static LOADED: std::sync::OnceLock<Vec<Protocol>> = std::sync::OnceLock::new();
    LOADED.get_or_init(|| {
        builtin::all()
            .into_iter()
            .map(|(_, sources)| Protocol::load(&sources).unwrap())
            .collect()
    })
}

/// Text as phones send it: any Unicode, and runs of the characters our rules look at.
fn inbound() -> impl Strategy<Value = String> {
    prop_oneof![
        ".{0,60}",
        "[0-9０-９ .,%\\-]{0,8}",
        "[a-zA-ZáéíóúñđệơưÁÉ\u{301}\u{3000} ,.!?'\\-]{0,30}",
        "[да нетхужеспасибо是否更差谢谢አዎአይባሰ።]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn robustness_any_reply_in_any_state_gets_an_answer(
        text in inbound(),
        language in 0usize..8,
        tries in 0u32..5,
    ) {
        for protocol in shipped() {
            let languages = protocol.languages();
            // Past the end: a language the protocol does not have.
            let code = languages.get(language).map_or("fr", |l| l.code.as_str());
            let mut states = vec![Conversation::Idle];
            states.extend(protocol.questions().into_iter().map(|q| Conversation::Awaiting {
                question: q.id,
                tries,
                since: t0(),
            }));
            for state in states {
                let step = protocol.handle(&state, code, &text, t0());
                prop_assert!(!step.replies.is_empty());
            }
        }
        for fold in [false, true] {
            let once = normalize_with(&text, fold);
            prop_assert_eq!(normalize_with(&once, fold), once);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    #[test]
    fn robustness_a_mangled_protocol_fails_to_load_without_panicking(
        cut in 0usize..3000,
        insert in ".{0,12}",
        which in 0usize..3,
    ) {
        let mut sources = builtin::covid_19_pulse_oximetry();
        let text = match which {
            0 => &mut sources.structure.text,
            _ => &mut sources.texts[which - 1].1.text,
        };
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.insert_str(at, &insert);
        if let Ok(protocol) = Protocol::load(&sources) {
            prop_assert!(!protocol.budget().is_empty());
        }
    }
}
