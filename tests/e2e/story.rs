use chrono::{DateTime, Utc};
use homewatch_service::{
    Config, ConsentInput, ConsentMethod, Direction, EnrollRequest, ErrorCode, EscalationStatus,
    Homewatch, InboundSms, NewStaff, PatientStatus, Role,
};

use crate::logs::CapturedLogs;

const PHONE_AS_TYPED: &str = "(206) 555-0142";
const PHONE: &str = "+12065550142";
const NAME: &str = "Rosa Quintero";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn text(from: &str, body: &str, id: &str) -> InboundSms {
    InboundSms {
        from: from.into(),
        to: Some("+12125550101".into()),
        body: body.into(),
        provider_id: Some(id.into()),
    }
}

#[tokio::test]
async fn spanish_patient_worsens_is_called_and_opted_out_without_leaking_to_logs() {
    let logs = CapturedLogs::default();
    let _guard = logs.install();
    let dir = tempfile::tempdir().unwrap();
    let service = Homewatch::open(Config::embedded(dir.path())).await.unwrap();

    // Staff: the first account is a supervisor; a nurse is added by her.
    assert!(service.needs_first_account().await.unwrap());
    let supervisor = service
        .create_staff(
            None,
            NewStaff {
                username: "sam".into(),
                display_name: "Sam Supervisor".into(),
                password: "correct horse battery".into(),
                role: Role::Supervisor,
            },
            at("2026-12-04T14:00:00Z"),
        )
        .await
        .unwrap();
    let nurse = service
        .create_staff(
            Some(&supervisor),
            NewStaff {
                username: "ana".into(),
                display_name: "Ana Nurse".into(),
                password: "another long secret".into(),
                role: Role::Nurse,
            },
            at("2026-12-04T14:01:00Z"),
        )
        .await
        .unwrap();
    let wrong = service
        .sign_in("ana", "not the password", at("2026-12-04T14:02:00Z"))
        .await;
    assert_eq!(wrong.unwrap_err().code, ErrorCode::Unauthorized);
    let nurse_session = service.sign_in("ANA", "another long secret", at("2026-12-04T14:02:00Z"));
    assert_eq!(nurse_session.await.unwrap(), nurse);

    // Enrollment at 15:00 New York time on 4 December, in Spanish, with verbal consent.
    let enrolled = service
        .enroll(
            &nurse,
            EnrollRequest {
                name: Some(NAME.into()),
                phone: PHONE_AS_TYPED.into(),
                language: "es".into(),
                timezone: Some("America/New_York".into()),
                days: None,
                check_in_times: None,
                thresholds: None,
                consent: ConsentInput {
                    obtained_by: "Ana Nurse".into(),
                    method: ConsentMethod::Verbal,
                },
            },
            at("2026-12-04T20:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(enrolled.phone, PHONE);
    assert_eq!(enrolled.status, PatientStatus::Active);
    assert_eq!(enrolled.programme_days, Some(14));

    // The same number typed another way is the same patient, already enrolled.
    let again = EnrollRequest {
        name: None,
        phone: PHONE.into(),
        language: "en".into(),
        timezone: None,
        days: None,
        check_in_times: None,
        thresholds: None,
        consent: ConsentInput {
            obtained_by: "Ana Nurse".into(),
            method: ConsentMethod::Verbal,
        },
    };
    let conflict = service
        .enroll(&nurse, again, at("2026-12-04T20:01:00Z"))
        .await
        .unwrap_err();
    assert_eq!(conflict.code, ErrorCode::Conflict);

    // The confirmation went out at once, in Spanish.
    let outbox = service.outbox(Some(PHONE)).await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].message, "enrolled");
    assert_eq!(outbox[0].status, "sent");
    assert!(outbox[0].body.contains("14"), "{}", outbox[0].body);
    assert!(outbox[0].body.contains("STOP"), "{}", outbox[0].body);

    // Nothing is due in the evening; the check-in goes at 10:00 local the next morning.
    let evening = service.tick(at("2026-12-04T23:00:00Z")).await.unwrap();
    assert_eq!(evening.check_ins_sent, 0);
    let morning = service.tick(at("2026-12-05T15:00:00Z")).await.unwrap();
    assert_eq!(morning.check_ins_sent, 1);
    let repeat = service.tick(at("2026-12-05T15:00:30Z")).await.unwrap();
    assert_eq!(repeat.check_ins_sent, 0, "one slot yields one check-in");
    let question = service.outbox(Some(PHONE)).await.unwrap().pop().unwrap();
    assert_eq!(question.sent_at, Some(at("2026-12-05T15:00:00Z")));
    assert!(question.body.contains("3"), "{}", question.body);

    // "3" (worse), then "sí" to the breathing question: escalation and a nurse call in Spanish.
    service
        .receive_sms(text(PHONE, "3", "in-1"), at("2026-12-05T15:04:00Z"))
        .await
        .unwrap();
    // The provider delivers the same message twice: it is handled once.
    service
        .receive_sms(text(PHONE, "3", "in-1"), at("2026-12-05T15:04:05Z"))
        .await
        .unwrap();
    service
        .receive_sms(
            text("206-555-0142", "sí", "in-2"),
            at("2026-12-05T15:05:00Z"),
        )
        .await
        .unwrap();

    let detail = service.patient(enrolled.id).await.unwrap();
    assert!(detail.summary.open_escalation);
    assert_eq!(detail.escalations.len(), 1);
    let escalation = &detail.escalations[0];
    assert_eq!(escalation.status, EscalationStatus::Open);
    let call = escalation.call.as_ref().expect("a nurse call was placed");
    assert_eq!(
        (call.outcome.as_str(), call.language.as_str()),
        ("placed", "es")
    );

    // History: confirmation, question, 3, breathing question, sí, nurse-call reply.
    let inbound: Vec<_> = detail
        .timeline
        .iter()
        .filter(|e| e.direction == Direction::Inbound)
        .collect();
    assert_eq!(
        inbound.len(),
        2,
        "the duplicate delivery was not recorded twice"
    );
    assert_eq!(inbound[0].answer.as_deref(), Some("worse"));
    assert_eq!(inbound[1].answer.as_deref(), Some("yes"));
    let outbound: Vec<_> = detail
        .timeline
        .iter()
        .filter(|e| e.direction == Direction::Outbound)
        .collect();
    assert_eq!(outbound.len(), 4);
    let nurse_reply = &outbound[3].body;
    assert!(
        nurse_reply.contains("911") && nurse_reply.contains("555-0199"),
        "{nurse_reply}"
    );
    assert_eq!(detail.consents[0].language, "es");
    assert_eq!(detail.consents[0].obtained_by, "Ana Nurse");

    // While the escalation is open, the next day's check-in pauses.
    let paused = service.tick(at("2026-12-06T15:00:00Z")).await.unwrap();
    assert_eq!((paused.check_ins_sent, paused.check_ins_skipped), (0, 1));

    // Only a supervisor opts a patient out; the patient is told once, then hears nothing.
    let refused = service.opt_out(
        &nurse,
        enrolled.id,
        "moved".into(),
        at("2026-12-06T16:00:00Z"),
    );
    assert_eq!(refused.await.unwrap_err().code, ErrorCode::Forbidden);
    let opted_out = service
        .opt_out(
            &supervisor,
            enrolled.id,
            "admitted to hospital".into(),
            at("2026-12-06T16:00:00Z"),
        )
        .await
        .unwrap();
    assert_eq!(opted_out.status, PatientStatus::OptedOut);
    let sent_before = service.outbox(Some(PHONE)).await.unwrap().len();
    assert_eq!(
        service
            .outbox(Some(PHONE))
            .await
            .unwrap()
            .last()
            .unwrap()
            .message,
        "opted-out"
    );
    service.tick(at("2026-12-07T15:00:00Z")).await.unwrap();
    service
        .receive_sms(text(PHONE, "HELP", "in-3"), at("2026-12-07T15:10:00Z"))
        .await
        .unwrap();
    assert_eq!(
        service.outbox(Some(PHONE)).await.unwrap().len(),
        sent_before
    );

    // No phone number, name or message text in any log line.
    let captured = logs.text();
    assert!(captured.contains("escalation opened"), "logs were captured");
    let mut secrets = vec![
        PHONE.to_string(),
        "2065550142".into(),
        "555-0142".into(),
        NAME.into(),
        "Rosa".into(),
        "sí".into(),
    ];
    secrets.extend(
        service
            .outbox(Some(PHONE))
            .await
            .unwrap()
            .into_iter()
            .map(|t| t.body),
    );
    for secret in secrets {
        assert!(
            !captured.contains(&secret),
            "the logs contain patient data: {secret:?}"
        );
    }
}
