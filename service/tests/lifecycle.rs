//! Programme lifecycle through the service API, with time passed in: episodes, schedule, quiet
//! hours, downtime, escalation pause, reminders and missed check-ins, the daily cap.

use chrono::{DateTime, Utc};
use homewatch_service::{
    Config, ConsentInput, ConsentMethod, EnrollRequest, Homewatch, InboundSms, PatientUpdate, Staff,
};

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn staff() -> Staff {
    Staff::operator("Ana Nurse")
}

async fn service_with(config: impl FnOnce(&mut Config)) -> (tempfile::TempDir, Homewatch) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Config::embedded(dir.path());
    settings.parts_per_second = 1000.0;
    config(&mut settings);
    let service = Homewatch::open(settings).await.unwrap();
    (dir, service)
}

fn request(phone: &str, zone: &str, days: u32, times: Option<&str>) -> EnrollRequest {
    EnrollRequest {
        name: None,
        phone: phone.into(),
        language: "en".into(),
        timezone: Some(zone.into()),
        days: Some(days),
        check_in_times: times.map(Into::into),
        thresholds: None,
        consent: ConsentInput {
            obtained_by: "Ana Nurse".into(),
            method: ConsentMethod::Written,
        },
    }
}

async fn text(service: &Homewatch, phone: &str, body: &str, when: &str) {
    let inbound = InboundSms {
        from: phone.into(),
        to: None,
        body: body.into(),
        provider_id: None,
    };
    service.receive_sms(inbound, at(when)).await.unwrap();
}

/// The protocol messages a phone was sent, in order, with their status.
async fn sent(service: &Homewatch, phone: &str) -> Vec<(String, String)> {
    let texts = service.outbox(Some(phone)).await.unwrap();
    texts.into_iter().map(|t| (t.message, t.status)).collect()
}

fn messages(list: &[(String, String)]) -> Vec<&str> {
    list.iter()
        .filter(|(_, s)| s == "sent")
        .map(|(m, _)| m.as_str())
        .collect()
}

#[tokio::test]
async fn twice_daily_check_ins_run_their_days_and_the_final_message_waits_for_the_window() {
    let (_dir, service) = service_with(|_| {}).await;
    let phone = "+12065550111";
    // Enrolled 4 Dec 15:00 Chicago; check-ins 10:00 and 18:00 for 1 day.
    let patient = service
        .enroll(
            &staff(),
            request(phone, "America/Chicago", 1, Some("18:00,10:00")),
            at("2026-12-04T21:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(
        service.patient(patient.id).await.unwrap().episodes[0].check_in_times,
        "10:00,18:00"
    );
    // A day of two check-ins: 4 Dec 18:00 and 5 Dec 10:00 (00:00 and 16:00 UTC).
    for tick in ["2026-12-05T00:00:00Z", "2026-12-05T16:00:00Z"] {
        assert_eq!(service.tick(at(tick)).await.unwrap().check_ins_sent, 1);
    }
    let list = sent(&service, phone).await;
    assert_eq!(
        messages(&list),
        ["enrolled", "question-feeling", "question-feeling"]
    );
    // The end is due at 5 Dec 18:00; the scheduler was down until 05:00 the next morning,
    // outside the window: the final message waits for 08:00.
    let night = service.tick(at("2026-12-06T11:00:00Z")).await.unwrap();
    assert_eq!((night.episodes_completed, night.check_ins_sent), (0, 0));
    let morning = service.tick(at("2026-12-06T14:00:00Z")).await.unwrap();
    assert_eq!(morning.episodes_completed, 1);
    assert_eq!(
        messages(&sent(&service, phone).await).last(),
        Some(&"programme-ended")
    );
}

#[tokio::test]
async fn after_downtime_a_missed_slot_is_skipped_not_sent_the_next_morning() {
    let (_dir, service) = service_with(|_| {}).await;
    let phone = "+12065550112";
    service
        .enroll(
            &staff(),
            request(phone, "America/New_York", 14, None),
            at("2026-12-04T20:00:00Z"),
        )
        .await
        .unwrap();
    // Down from before the 5 Dec check-in until 6 Dec 08:30 local: the 5 Dec slot is skipped,
    // and the 6 Dec slot is not due yet.
    let report = service.tick(at("2026-12-06T13:30:00Z")).await.unwrap();
    assert_eq!((report.check_ins_sent, report.check_ins_skipped), (0, 1));
    // Same day, later, inside the window: a late slot is still sent.
    let report = service.tick(at("2026-12-06T19:00:00Z")).await.unwrap();
    assert_eq!(report.check_ins_sent, 1);
}

#[tokio::test]
async fn staff_changes_apply_to_the_next_message_and_extensions_move_the_end() {
    let (_dir, service) = service_with(|_| {}).await;
    let phone = "+12065550113";
    let patient = service
        .enroll(
            &staff(),
            request(phone, "America/New_York", 2, None),
            at("2026-12-04T20:00:00Z"),
        )
        .await
        .unwrap();
    let before = service.patient(patient.id).await.unwrap().episodes[0].ends_at;
    let extended = service
        .extend_episode(&staff(), patient.id, 7, at("2026-12-04T20:05:00Z"))
        .await
        .unwrap();
    assert_eq!(extended.programme_days, Some(9));
    let after = service.patient(patient.id).await.unwrap().episodes[0].ends_at;
    assert_eq!(after - before, chrono::Duration::days(7));

    // Spanish and Los Angeles from now on: the next check-in is at 10:00 Pacific, in Spanish.
    let update = PatientUpdate {
        language: Some("es".into()),
        timezone: Some("America/Los_Angeles".into()),
        ..PatientUpdate::default()
    };
    service
        .update_patient(&staff(), patient.id, update, at("2026-12-04T20:10:00Z"))
        .await
        .unwrap();
    assert_eq!(
        service
            .tick(at("2026-12-05T15:00:00Z"))
            .await
            .unwrap()
            .check_ins_sent,
        0
    );
    assert_eq!(
        service
            .tick(at("2026-12-05T18:00:00Z"))
            .await
            .unwrap()
            .check_ins_sent,
        1
    );
    let question = service.outbox(Some(phone)).await.unwrap().pop().unwrap();
    let spanish = service
        .protocol()
        .render("es", "question-feeling", &[])
        .unwrap();
    assert_eq!(question.body, spanish);

    let bad = service
        .extend_episode(&staff(), patient.id, 200, at("2026-12-05T19:00:00Z"))
        .await;
    assert!(bad.unwrap_err().message.contains("days"));
}

#[tokio::test]
async fn an_open_escalation_pauses_check_ins_until_staff_resolve_it() {
    let (_dir, service) = service_with(|_| {}).await;
    let phone = "+12065550114";
    let patient = service
        .enroll(
            &staff(),
            request(phone, "America/New_York", 14, None),
            at("2026-12-04T20:00:00Z"),
        )
        .await
        .unwrap();
    service.tick(at("2026-12-05T15:00:00Z")).await.unwrap();
    text(&service, phone, "3", "2026-12-05T15:01:00Z").await;
    text(&service, phone, "yes", "2026-12-05T15:02:00Z").await;
    let escalation = service.patient(patient.id).await.unwrap().escalations[0].id;

    let paused = service.tick(at("2026-12-06T15:00:00Z")).await.unwrap();
    assert_eq!((paused.check_ins_sent, paused.check_ins_skipped), (0, 1));
    service
        .resolve_escalation(
            &staff(),
            escalation,
            "called back".into(),
            at("2026-12-06T16:00:00Z"),
        )
        .await
        .unwrap();
    let resumed = service.tick(at("2026-12-07T15:00:00Z")).await.unwrap();
    assert_eq!(resumed.check_ins_sent, 1);
}

#[tokio::test]
async fn unanswered_check_ins_get_one_reminder_then_count_missed_and_two_flag_staff() {
    let (_dir, service) = service_with(|_| {}).await;
    let phone = "+12065550115";
    let patient = service
        .enroll(
            &staff(),
            request(phone, "America/New_York", 14, None),
            at("2026-12-04T20:00:00Z"),
        )
        .await
        .unwrap();
    service.tick(at("2026-12-05T15:00:00Z")).await.unwrap();
    let reminded = service.tick(at("2026-12-05T17:00:00Z")).await.unwrap();
    assert_eq!(reminded.reminders, 1);
    let again = service.tick(at("2026-12-05T17:30:00Z")).await.unwrap();
    assert_eq!(again.reminders, 0, "one reminder only");
    let missed = service.tick(at("2026-12-05T21:00:00Z")).await.unwrap();
    assert_eq!(missed.check_ins_missed, 1);
    let kinds = |flags: Vec<homewatch_service::FlagView>| -> Vec<String> {
        flags
            .into_iter()
            .map(|f| f.kind)
            .filter(|k| k == "missed_check_ins")
            .collect()
    };
    let flags = service.patient(patient.id).await.unwrap().flags;
    assert!(kinds(flags).is_empty(), "one miss is no flag");

    service.tick(at("2026-12-06T15:00:00Z")).await.unwrap();
    service.tick(at("2026-12-06T21:00:00Z")).await.unwrap();
    let detail = service.patient(patient.id).await.unwrap();
    assert_eq!(kinds(detail.flags), ["missed_check_ins"]);
    assert_eq!(detail.summary.missed_check_ins, 2);
    let statuses: Vec<_> = detail
        .check_ins
        .iter()
        .map(|c| c.status.as_deref())
        .collect();
    assert_eq!(statuses, [Some("missed"), Some("missed")]);
    assert!(detail.check_ins[1].reminded_at.is_some());

    // Answering the next one finishes it: no new miss.
    service.tick(at("2026-12-07T15:00:00Z")).await.unwrap();
    text(&service, phone, "1", "2026-12-07T15:10:00Z").await;
    let later = service.tick(at("2026-12-07T23:00:00Z")).await.unwrap();
    assert_eq!((later.reminders, later.check_ins_missed), (0, 0));
}

#[tokio::test]
async fn the_daily_cap_holds_texts_back_and_tells_staff() {
    let (_dir, service) = service_with(|config| config.daily_message_cap = Some(3)).await;
    for i in 0..3 {
        let phone = format!("+1206555012{i}");
        service
            .enroll(
                &staff(),
                request(&phone, "America/New_York", 14, None),
                at("2026-12-04T20:00:00Z"),
            )
            .await
            .unwrap();
    }
    // Three confirmations used the 4 Dec cap... of the UTC day: the next day starts fresh.
    let report = service.tick(at("2026-12-05T15:00:00Z")).await.unwrap();
    assert_eq!((report.messages_sent, report.messages_held_by_cap), (3, 0));
    // A fourth patient on 5 Dec: the cap is spent, the confirmation waits and staff are told.
    let phone = "+12065550129";
    service
        .enroll(
            &staff(),
            request(phone, "America/New_York", 14, None),
            at("2026-12-05T16:00:00Z"),
        )
        .await
        .unwrap();
    let flags = service.open_flags(None).await.unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!(flags[0].kind, "daily_cap");
    assert_eq!(
        sent(&service, phone).await,
        [("enrolled".to_string(), "queued".to_string())]
    );
    // Next UTC day it goes.
    service.tick(at("2026-12-06T14:00:00Z")).await.unwrap();
    assert_eq!(
        messages(&sent(&service, phone).await).first(),
        Some(&"enrolled")
    );
}

#[tokio::test]
async fn a_check_in_held_by_quiet_hours_expires_at_the_end_of_its_day() {
    // Check-ins at 20:30 with a window closing at 21:00; the scheduler was down until 21:10.
    let (_dir, service) = service_with(|config| {
        config.check_in_times = homewatch_service::schedule::CheckInTimes::parse("20:30").unwrap();
    })
    .await;
    let phone = "+12065550116";
    service
        .enroll(
            &staff(),
            request(phone, "America/New_York", 14, None),
            at("2026-12-04T20:00:00Z"),
        )
        .await
        .unwrap();
    // 20:30 local = 01:30 UTC next day. A plan at 20:45 queues it, but sending fails to happen
    // before the window closes (nothing dispatched until 21:10).
    service.plan(at("2026-12-05T01:45:00Z")).await.unwrap();
    let late = service.tick(at("2026-12-05T02:10:00Z")).await.unwrap();
    assert_eq!(late.messages_sent, 0, "held in quiet hours");
    let next_day = service.tick(at("2026-12-05T13:00:00Z")).await.unwrap();
    assert_eq!(next_day.messages_expired, 1);
    let question = ("question-feeling".to_string(), "expired".to_string());
    assert_eq!(sent(&service, phone).await[1], question);
}

#[tokio::test]
async fn a_patients_text_is_answered_at_once_without_sending_the_cohorts_check_ins() {
    let (_dir, service) = service_with(|_| {}).await;
    for phone in ["+12065550131", "+12065550132"] {
        service
            .enroll(
                &staff(),
                request(phone, "America/New_York", 14, None),
                at("2026-12-04T20:00:00Z"),
            )
            .await
            .unwrap();
    }
    // The morning's check-ins are decided but not yet handed over when a patient writes in.
    service.plan(at("2026-12-05T15:00:00Z")).await.unwrap();
    text(&service, "+12065550131", "HELP", "2026-12-05T15:00:01Z").await;
    let first = sent(&service, "+12065550131").await;
    assert_eq!(
        first.last().unwrap(),
        &("help".to_string(), "sent".to_string())
    );
    let second = sent(&service, "+12065550132").await;
    assert_eq!(
        second.last().unwrap(),
        &("question-feeling".to_string(), "queued".to_string())
    );
    // The scheduler's pass sends them.
    assert_eq!(
        service
            .tick(at("2026-12-05T15:00:30Z"))
            .await
            .unwrap()
            .messages_sent,
        2
    );
}
