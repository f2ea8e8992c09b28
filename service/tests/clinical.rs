//! Clinical rules as the service applies them: the pulse-oximetry protocol with per-patient
//! thresholds, answers that cannot be read handed to staff, and keywords in other languages.

use chrono::{DateTime, Utc};
use homewatch_protocol::Thresholds;
use homewatch_service::{
    Config, ConsentInput, ConsentMethod, EnrollRequest, Homewatch, InboundSms, PatientSummary,
    PatientUpdate, Staff,
};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn open(protocol: &str) -> (tempfile::TempDir, Homewatch) {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::embedded(dir.path());
    config.protocol = protocol.into();
    config.parts_per_second = 1000.0;
    (dir, Homewatch::open(config).await.unwrap())
}

async fn enroll(
    service: &Homewatch,
    phone: &str,
    language: &str,
    thresholds: Option<Thresholds>,
) -> PatientSummary {
    let request = EnrollRequest {
        name: None,
        phone: phone.into(),
        language: language.into(),
        timezone: Some("America/New_York".into()),
        days: None,
        check_in_times: None,
        thresholds,
        consent: ConsentInput {
            obtained_by: "Ana".into(),
            method: ConsentMethod::Verbal,
        },
    };
    let ana = Staff::operator("Ana");
    let patient = service
        .enroll(&ana, request, at("2026-12-04T20:00:00Z"))
        .await
        .unwrap();
    service.tick(at("2026-12-05T15:00:00Z")).await.unwrap();
    patient
}

async fn say(service: &Homewatch, phone: &str, body: &str) {
    let inbound = InboundSms {
        from: phone.into(),
        to: None,
        body: body.into(),
        provider_id: None,
    };
    service
        .receive_sms(inbound, at("2026-12-05T15:10:00Z"))
        .await
        .unwrap();
}

#[tokio::test]
async fn oxygen_bands_escalate_flag_or_thank_and_thresholds_are_per_patient() {
    let (_dir, service) = open("covid-19-pulse-oximetry").await;
    // (reading, escalates, review flag) with the NHS bands.
    for (i, (reading, escalates, review)) in [
        ("97", false, false),
        ("94", false, true),
        ("92%", true, false),
    ]
    .into_iter()
    .enumerate()
    {
        let phone = format!("+1206555014{i}");
        let patient = enroll(&service, &phone, "en", None).await;
        say(&service, &phone, "same").await;
        say(&service, &phone, reading).await;
        let detail = service.patient(patient.id).await.unwrap();
        assert_eq!(!detail.escalations.is_empty(), escalates, "{reading}");
        let reviewed = detail.flags.iter().any(|f| f.kind == "review_requested");
        assert_eq!(reviewed, review, "{reading}");
    }

    // A patient whose usual saturation is low: 92 is their normal, and needs no call.
    let usual = Thresholds::none()
        .with("oxygen", "normal", 92, 100)
        .with("oxygen", "borderline", 90, 91)
        .with("oxygen", "low", 0, 89);
    let phone = "+12065550149";
    let patient = enroll(&service, phone, "es", Some(usual)).await;
    assert!(patient.thresholds.is_some());
    say(&service, phone, "igual").await;
    say(&service, phone, "92").await;
    assert!(service
        .patient(patient.id)
        .await
        .unwrap()
        .escalations
        .is_empty());

    let ana = Staff::operator("Ana");
    // Thresholds that overlap are refused with a message saying why.
    let bad = Thresholds::none().with("oxygen", "normal", 90, 100);
    let update = PatientUpdate {
        thresholds: Some(bad),
        ..PatientUpdate::default()
    };
    let refused = service.update_patient(&ana, patient.id, update, at("2026-12-05T16:00:00Z"));
    assert!(refused
        .await
        .unwrap_err()
        .message
        .starts_with("thresholds:"));
}

#[tokio::test]
async fn unreadable_answers_are_handed_to_staff_after_the_protocols_tries() {
    let (_dir, service) = open("covid-19-home-monitoring").await;
    let phone = "+12065550150";
    let patient = enroll(&service, phone, "en", None).await;
    for _ in 0..3 {
        say(&service, phone, "purple").await;
    }
    let detail = service.patient(patient.id).await.unwrap();
    assert!(
        detail.flags.iter().any(|f| f.kind == "needs_review"),
        "{:?}",
        detail.flags
    );
    let last = service.outbox(Some(phone)).await.unwrap().pop().unwrap();
    assert_eq!(last.message, "handed-to-staff");
}

#[tokio::test]
async fn a_russian_stop_opts_out_and_nothing_more_is_sent() {
    let (_dir, service) = open("covid-19-home-monitoring").await;
    let phone = "+12065550151";
    let patient = enroll(&service, phone, "ru", None).await;
    say(&service, phone, "СТОП").await;
    let summary = service.summary(patient.id).await.unwrap();
    assert_eq!(summary.status, homewatch_service::PatientStatus::OptedOut);
    let texts = service.outbox(Some(phone)).await.unwrap();
    assert_eq!(texts.last().unwrap().message, "opted-out");
    service.tick(at("2026-12-06T15:00:00Z")).await.unwrap();
    assert_eq!(
        service.outbox(Some(phone)).await.unwrap().len(),
        texts.len()
    );
}

#[tokio::test]
async fn a_programme_of_reviewed_languages_refuses_a_draft_one() {
    // The default protocol, with English marked reviewed and drafts refused.
    let sources = homewatch_protocol::builtin::covid_19_home_monitoring();
    let dir = tempfile::tempdir().unwrap();
    let protocol_dir = dir.path().join("protocol");
    std::fs::create_dir(&protocol_dir).unwrap();
    let structure = sources
        .structure
        .text
        .replace(
            "require_reviewed_languages = false",
            "require_reviewed_languages = true",
        )
        .replacen(
            r#"review = { status = "draft" }"#,
            r#"review = { status = "reviewed", by = "Dr. Example, MD", on = "2026-12-01" }"#,
            1,
        );
    std::fs::write(protocol_dir.join("protocol.toml"), structure).unwrap();
    for (language, source) in &sources.texts {
        std::fs::write(protocol_dir.join(format!("{language}.ftl")), &source.text).unwrap();
    }
    let mut config = Config::embedded(dir.path().join("data"));
    config.protocol_dir = Some(protocol_dir);
    let service = Homewatch::open(config).await.unwrap();

    let programme = service.programme();
    assert!(programme.requires_reviewed_languages);
    let english = programme.languages.iter().find(|l| l.code == "en").unwrap();
    assert!(english.enrollable && english.review_status == "reviewed");
    let spanish = programme.languages.iter().find(|l| l.code == "es").unwrap();
    assert!(!spanish.enrollable && spanish.review_status == "draft");

    let request = |language: &str| EnrollRequest {
        name: None,
        phone: "+12065550160".into(),
        language: language.into(),
        timezone: None,
        days: None,
        check_in_times: None,
        thresholds: None,
        consent: ConsentInput {
            obtained_by: "Ana".into(),
            method: ConsentMethod::Verbal,
        },
    };
    let ana = Staff::operator("Ana");
    let refused = service
        .enroll(&ana, request("es"), at("2026-12-04T20:00:00Z"))
        .await;
    assert!(refused.unwrap_err().message.contains("draft"));
    assert!(
        service.patients().await.unwrap().is_empty(),
        "nothing half-written"
    );
    let patient = service
        .enroll(&ana, request("en"), at("2026-12-04T20:00:00Z"))
        .await
        .unwrap();
    // Nor may staff switch the patient to it later.
    let update = PatientUpdate {
        language: Some("es".into()),
        ..PatientUpdate::default()
    };
    let switched = service.update_patient(&ana, patient.id, update, at("2026-12-04T20:05:00Z"));
    assert!(switched.await.unwrap_err().message.contains("draft"));
}

#[tokio::test]
async fn staff_hear_of_texts_after_an_opt_out_and_of_an_opt_in_over_a_staff_opt_out() {
    let (_dir, service) = open("covid-19-home-monitoring").await;
    let phone = "+12065550170";
    let patient = enroll(&service, phone, "en", None).await;
    let sam = Staff::operator("Sam Supervisor");
    let reason = "admitted to hospital".to_string();
    service
        .opt_out(&sam, patient.id, reason, at("2026-12-05T15:05:00Z"))
        .await
        .unwrap();
    let sent = service.outbox(Some(phone)).await.unwrap().len();

    // Worse, twice, while opted out: no reply, one flag for staff.
    say(&service, phone, "3").await;
    say(&service, phone, "3").await;
    assert_eq!(service.outbox(Some(phone)).await.unwrap().len(), sent);
    let kinds: Vec<String> = service
        .open_flags(Some(patient.id))
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(kinds, ["message_after_opt_out"]);

    // START is the patient's right; staff are told since they had opted the patient out.
    say(&service, phone, "START").await;
    let kinds: Vec<String> = service
        .open_flags(Some(patient.id))
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(
        kinds,
        ["message_after_opt_out", "opted_in_after_staff_opt_out"]
    );
    let summary = service.summary(patient.id).await.unwrap();
    assert_eq!(summary.status, homewatch_service::PatientStatus::Active);
}
