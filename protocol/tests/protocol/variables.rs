//! Variables in texts: a text may use only what the service passes.

use homewatch_protocol::{builtin, messages, LoadError, Protocol};

#[test]
fn the_service_passes_days_callback_support_and_per_day() {
    assert_eq!(
        messages::VARIABLES,
        ["days", "callback", "support", "per_day"]
    );
}

/// Before: `{ $dayz }` loaded, and patients got the text without the number.
#[test]
fn a_misspelt_variable_was_accepted_at_load() {
    let mut sources = builtin::covid_19_home_monitoring();
    let es = &mut sources.texts.iter_mut().find(|(l, _)| l == "es").unwrap().1;
    let enrolled = es.text.find("\nenrolled =").unwrap();
    let at = enrolled + es.text[enrolled..].find("{ $days } días").unwrap();
    es.text
        .replace_range(at..at + "{ $days }".len(), "{ $dayz }");
    let line = es.text[..at].lines().count();
    assert!(es.text[at..].starts_with("{ $dayz } días\n"));
    let message_line = es
        .text
        .lines()
        .position(|l| l.starts_with("enrolled ="))
        .unwrap()
        + 1;
    assert_ne!(
        line, message_line,
        "the variable is on a line of its own in a selector"
    );

    let errors = Protocol::load(&sources).unwrap_err();
    let found: Vec<&LoadError> = errors
        .0
        .iter()
        .filter(|e| matches!(e, LoadError::UnknownVariable { .. }))
        .collect();
    assert_eq!(found.len(), 1, "{errors}");
    assert_eq!(
        found[0].to_string(),
        format!(
            "protocols/covid-19-home-monitoring/es.ftl:{line}: message `enrolled` uses $dayz, \
             which is not provided: use one of $days, $callback, $support, $per_day"
        )
    );
}

#[test]
fn a_misspelt_variable_in_a_form_no_sample_reaches_is_found_in_the_source() {
    let mut sources = builtin::covid_19_home_monitoring();
    let en = &mut sources.texts.iter_mut().find(|(l, _)| l == "en").unwrap().1;
    let plain = "not-understood = Sorry, we did not understand your answer.";
    assert!(en.text.contains(plain));
    en.text = en.text.replace(
        plain,
        concat!(
            "not-understood = Sorry{ $days ->\n",
            "        [99] , { $tries } times\n",
            "       *[other] {\"\"}\n",
            "    }.",
        ),
    );
    let errors = Protocol::load(&sources).unwrap_err().to_string();
    assert!(
        errors.contains("message `not-understood` uses $tries, which is not provided"),
        "{errors}"
    );
    assert_eq!(errors.lines().count(), 1, "{errors}");
}

#[test]
fn a_variable_unknown_to_a_term_is_reported_for_the_message_using_it() {
    let mut sources = builtin::covid_19_pulse_oximetry();
    let es = &mut sources.texts.iter_mut().find(|(l, _)| l == "es").unwrap().1;
    es.text.push_str("\n-brand = Homewatch { $brand }\n");
    es.text = es.text.replace(
        "opted-out = No recibirá más mensajes de Homewatch.",
        "opted-out = No recibirá más mensajes de { -brand }.",
    );
    let errors = Protocol::load(&sources).unwrap_err().to_string();
    assert!(
        errors.contains("es.ftl:") && errors.contains("message `opted-out` uses $brand"),
        "{errors}"
    );
}
