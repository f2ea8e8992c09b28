//! Language tags from records, phones and staff matched to the languages a protocol offers.

use homewatch_protocol::{builtin, Protocol};

use crate::default_protocol;

#[test]
fn resolve_language_matches_case_then_primary_subtag() {
    let protocol = default_protocol();
    #[rustfmt::skip]
    let cases: &[(&str, Option<&str>)] = &[
        ("es", Some("es")),
        ("ES", Some("es")),
        ("ZH-HANS", Some("zh-Hans")),
        ("zh-hans", Some("zh-Hans")),
        (" en ", Some("en")),
        ("es-MX", Some("es")),
        ("es_419", Some("es")),
        ("en-US", Some("en")),
        ("ru-RU", Some("ru")),
        ("am-ET", Some("am")),
        ("vi-VN", Some("vi")),
        ("zh", Some("zh-Hans")),
        ("zh-CN", Some("zh-Hans")),
        ("zh-SG", Some("zh-Hans")),
        ("zh-Hans-CN", Some("zh-Hans")),
        ("zh_CN", Some("zh-Hans")),
        ("fr", None),
        ("", None),
        ("-", None),
    ];
    for (tag, expected) in cases {
        assert_eq!(
            protocol.resolve_language(tag).as_deref(),
            *expected,
            "{tag:?}"
        );
    }
}

#[test]
fn traditional_chinese_never_resolves_to_simplified() {
    let protocol = default_protocol();
    for tag in [
        "zh-TW",
        "zh-Hant",
        "zh-HK",
        "zh-MO",
        "zh-Hant-TW",
        "ZH-HANT",
        "zh-Hant-CN",
    ] {
        assert_eq!(protocol.resolve_language(tag), None, "{tag}");
    }
}

#[test]
fn a_language_the_protocol_does_not_offer_resolves_to_none() {
    let protocol = Protocol::load(&builtin::covid_19_pulse_oximetry()).unwrap();
    assert_eq!(protocol.resolve_language("zh-CN"), None);
    assert_eq!(protocol.resolve_language("EN-gb").as_deref(), Some("en"));
}
