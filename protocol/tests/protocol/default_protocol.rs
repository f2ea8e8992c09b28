//! The shipped default protocol: every path, in every language.

use homewatch_protocol::{Conversation, Effect};

use crate::{default_protocol, run};

#[test]
fn loads() {
    let protocol = default_protocol();
    assert_eq!(protocol.id(), homewatch_protocol::builtin::DEFAULT_ID);
    assert_eq!(protocol.programme_days(), 14);
    assert_eq!(protocol.fallback_language(), "en");
    assert_eq!(protocol.consent_version(), "2026-12-01");
    let codes: Vec<_> = protocol
        .languages()
        .into_iter()
        .map(|l| (l.code, l.name))
        .collect();
    assert_eq!(
        codes,
        [
            ("en".into(), "English".into()),
            ("es".into(), "Español".into())
        ]
    );
}

#[test]
fn worse_then_no_does_not_escalate() {
    let steps = run(&default_protocol(), "en", &["3", "no"]);
    let last = steps.last().unwrap();
    println!("{steps:#?}");
    assert!(!last
        .effects
        .iter()
        .any(|e| matches!(e, Effect::Escalate { .. })));
    assert_eq!(last.conversation, Conversation::Idle);
}
