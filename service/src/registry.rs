//! The patient registry: enrollment with consent, opt-out by staff, and what staff see.

use chrono::{DateTime, Utc};
use homewatch_protocol::{messages, Conversation};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row as _, SqliteConnection};

use crate::error::{check_text_field, Result, ServiceError};
use crate::outbox::{self, Reason};
use crate::phone;
use crate::schedule::{self, parse_ts, ts, CheckInTimes};
use crate::store;
use crate::views::*;
use crate::Homewatch;

/// Longest programme staff may set, in days.
const MAX_PROGRAMME_DAYS: u32 = 90;

/// A validated enrollment, ready to store.
struct Enrollment {
    phone: String,
    name: Option<String>,
    language: String,
    zone: chrono_tz::Tz,
    days: u32,
    times: CheckInTimes,
    thresholds: Option<String>,
    consent: ConsentInput,
}

impl Homewatch {
    fn validate_enrollment(&self, req: EnrollRequest) -> Result<Enrollment> {
        let config = &self.inner.config;
        let protocol = &self.inner.protocol;
        let phone = phone::normalize(&req.phone, &config.default_region)?.into_inner();
        let language = protocol
            .resolve_language(&req.language)
            .unwrap_or_else(|| req.language.trim().to_string());
        if !protocol.supports(&language) {
            let known: Vec<String> = protocol.languages().into_iter().map(|l| l.code).collect();
            return Err(ServiceError::invalid(format!(
                "language {language:?} is not offered by this programme: choose one of {}",
                known.join(", ")
            )));
        }
        self.check_language_reviewed(&language)?;
        let zone_name = req.timezone.as_deref().unwrap_or(&config.default_timezone);
        let zone = schedule::parse_zone(zone_name).map_err(ServiceError::invalid)?;
        let days = req.days.unwrap_or_else(|| protocol.programme_days());
        if !(1..=MAX_PROGRAMME_DAYS).contains(&days) {
            return Err(ServiceError::invalid(format!(
                "the programme length must be 1 to {MAX_PROGRAMME_DAYS} days"
            )));
        }
        check_text_field(
            "who obtained the patient's consent",
            &req.consent.obtained_by,
            200,
        )?;
        let times = match req.check_in_times.as_deref() {
            Some(text) => CheckInTimes::parse(text).map_err(ServiceError::invalid)?,
            None => config.check_in_times.clone(),
        };
        crate::config::check_times_in_window(&times, config.send_window)
            .map_err(|e| ServiceError::invalid(e.to_string()))?;
        let thresholds = self.check_thresholds(req.thresholds)?;
        let name = req
            .name
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty());
        if let Some(name) = &name {
            check_text_field("the patient's name", name, 200)?;
        }
        Ok(Enrollment {
            phone,
            name,
            language,
            zone,
            days,
            times,
            thresholds,
            consent: req.consent,
        })
    }

    /// Refuses a draft language when the programme texts only in reviewed ones.
    fn check_language_reviewed(&self, language: &str) -> Result<()> {
        let protocol = &self.inner.protocol;
        let reviewed = protocol.language_review(language).map(|r| r.status)
            == Some(homewatch_protocol::ReviewStatus::Reviewed);
        if protocol.requires_reviewed_languages() && !reviewed {
            return Err(ServiceError::invalid(format!(
                "the texts in {language} are still a draft and this programme texts only in \
                 reviewed languages: choose a reviewed language or have the texts reviewed"
            )));
        }
        Ok(())
    }

    /// Checks per-patient thresholds against the protocol; returns their stored JSON.
    fn check_thresholds(
        &self,
        thresholds: Option<homewatch_protocol::Thresholds>,
    ) -> Result<Option<String>> {
        let Some(thresholds) = thresholds.filter(|t| !t.0.is_empty()) else {
            return Ok(None);
        };
        self.inner
            .protocol
            .check_thresholds(&thresholds)
            .map_err(|e| ServiceError::invalid(format!("thresholds: {e}")))?;
        Ok(Some(
            serde_json::to_string(&thresholds).map_err(anyhow::Error::from)?,
        ))
    }

    /// Enrolls a patient with their consent and queues the confirmation text.
    ///
    /// The same number in any form is the same patient: a patient whose last episode ended
    /// (or who opted out) starts a new episode; one in an open episode is a conflict.
    pub async fn enroll(
        &self,
        actor: &Staff,
        req: EnrollRequest,
        at: DateTime<Utc>,
    ) -> Result<PatientSummary> {
        crate::error::check_actor(actor)?;
        crate::error::check_instant(at)?;
        let enrollment = self.validate_enrollment(req)?;
        let now = ts(at);

        let mut tx = self.inner.pool.begin().await?;
        let existing: Option<(i64, bool)> = sqlx::query_as(
            "SELECT p.id, EXISTS (SELECT 1 FROM episodes e
                                  WHERE e.patient_id = p.id AND e.ended_at IS NULL)
             FROM patients p WHERE p.phone = ?",
        )
        .bind(&enrollment.phone)
        .fetch_optional(&mut *tx)
        .await?;
        let idle = serde_json::to_string(&Conversation::Idle).map_err(anyhow::Error::from)?;
        let patient_id = match existing {
            Some((id, true)) => {
                return Err(ServiceError::conflict(format!(
                    "this number is already enrolled in an active programme (patient {id}): \
                     extend or update that enrollment instead"
                )))
            }
            Some((id, false)) => {
                sqlx::query(
                    "UPDATE patients SET name = COALESCE(?, name), language = ?, timezone = ?,
                     opted_out_at = NULL, opted_out_by = NULL, conversation = ?, thresholds = ?
                     WHERE id = ?",
                )
                .bind(&enrollment.name)
                .bind(&enrollment.language)
                .bind(enrollment.zone.name())
                .bind(&idle)
                .bind(&enrollment.thresholds)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => sqlx::query(
                "INSERT INTO patients (phone, name, language, timezone, conversation, thresholds,
                                       created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&enrollment.phone)
            .bind(&enrollment.name)
            .bind(&enrollment.language)
            .bind(enrollment.zone.name())
            .bind(&idle)
            .bind(&enrollment.thresholds)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid(),
        };
        let episode_id = start_episode(
            &mut tx,
            self,
            patient_id,
            enrollment.zone,
            &enrollment.times,
            enrollment.days,
            at,
        )
        .await?;
        record_consent(
            &mut tx,
            self,
            patient_id,
            episode_id,
            &enrollment.consent.obtained_by,
            enrollment.consent.method,
            &enrollment.language,
            at,
        )
        .await?;
        outbox::queue(
            &mut tx,
            patient_id,
            Some(episode_id),
            messages::ENROLLED,
            Reason::Enrollment,
            at,
        )
        .await?;
        let detail = format!(
            "episode {episode_id}; language {}; {} days; consent {}",
            enrollment.language,
            enrollment.days,
            enrollment.consent.method.as_str()
        );
        store::audit(&mut tx, &now, actor, "enrolled", Some(patient_id), &detail).await?;
        tx.commit().await?;
        tracing::info!(patient_id, episode_id, language = %enrollment.language, "enrolled");

        self.after_commit(at).await;
        self.summary(patient_id).await
    }

    /// A supervisor opts a patient out: texts stop at once, and the patient is told so once.
    pub async fn opt_out(
        &self,
        actor: &Staff,
        patient_id: i64,
        reason: String,
        at: DateTime<Utc>,
    ) -> Result<PatientSummary> {
        crate::error::check_actor(actor)?;
        crate::error::check_instant(at)?;
        if actor.role != Role::Supervisor {
            return Err(ServiceError::forbidden(
                "only a supervisor can opt a patient out",
            ));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(ServiceError::invalid("give the reason for the opt-out"));
        }
        check_text_field("the reason", reason, 500)?;
        let mut tx = self.inner.pool.begin().await?;
        let opted_out: Option<Option<String>> =
            sqlx::query_scalar("SELECT opted_out_at FROM patients WHERE id = ?")
                .bind(patient_id)
                .fetch_optional(&mut *tx)
                .await?;
        match opted_out {
            None => return Err(ServiceError::not_found(format!("no patient {patient_id}"))),
            Some(Some(_)) => {
                return Err(ServiceError::conflict("the patient is already opted out"))
            }
            Some(None) => {}
        }
        not_before_enrollment(&mut tx, patient_id, at).await?;
        let episode_id = opt_out_in(&mut tx, patient_id, OptedOutBy::Staff, at).await?;
        outbox::queue(
            &mut tx,
            patient_id,
            episode_id,
            messages::OPTED_OUT,
            Reason::Keyword,
            at,
        )
        .await?;
        store::audit(
            &mut tx,
            &ts(at),
            actor,
            "opted_out",
            Some(patient_id),
            reason,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(patient_id, by = "staff", "opted out");

        self.after_commit(at).await;
        self.summary(patient_id).await
    }

    /// Staff extend a patient's open episode (e.g. by 7 days); the end moves by as many days.
    pub async fn extend_episode(
        &self,
        actor: &Staff,
        patient_id: i64,
        days: u32,
        at: DateTime<Utc>,
    ) -> Result<PatientSummary> {
        crate::error::check_actor(actor)?;
        crate::error::check_instant(at)?;
        if !(1..=MAX_PROGRAMME_DAYS).contains(&days) {
            return Err(ServiceError::invalid(format!(
                "extend by 1 to {MAX_PROGRAMME_DAYS} days"
            )));
        }
        let mut tx = self.inner.pool.begin().await?;
        let open = open_episode(&mut tx, patient_id).await?;
        not_before_enrollment(&mut tx, patient_id, at).await?;
        let total = open.days + days;
        if total > MAX_PROGRAMME_DAYS {
            return Err(ServiceError::invalid(format!(
                "the programme would last {total} days: the longest is {MAX_PROGRAMME_DAYS}"
            )));
        }
        let zone = schedule::parse_zone(&open.timezone).map_err(anyhow::Error::msg)?;
        let first = schedule::slot_after(zone, &open.times, open.started_at);
        let ends = schedule::episode_end(zone, &open.times, first, total);
        sqlx::query("UPDATE episodes SET programme_days = ?, ends_at = ? WHERE id = ?")
            .bind(total)
            .bind(ts(ends))
            .bind(open.id)
            .execute(&mut *tx)
            .await?;
        let detail = format!("episode {}: +{days} days, {total} in all", open.id);
        store::audit(
            &mut tx,
            &ts(at),
            actor,
            "episode_extended",
            Some(patient_id),
            &detail,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(patient_id, episode_id = open.id, total, "episode extended");
        self.summary(patient_id).await
    }

    /// Staff change a patient's language, time zone or check-in times. Texts are rendered when
    /// sent, so a new language applies to the next message, queued ones included; new times or
    /// zone move the next check-in.
    pub async fn update_patient(
        &self,
        actor: &Staff,
        patient_id: i64,
        update: PatientUpdate,
        at: DateTime<Utc>,
    ) -> Result<PatientSummary> {
        crate::error::check_actor(actor)?;
        crate::error::check_instant(at)?;
        let config = &self.inner.config;
        let language = update.language.map(|l| {
            self.inner
                .protocol
                .resolve_language(&l)
                .unwrap_or_else(|| l.trim().to_string())
        });
        if let Some(language) = &language {
            if !self.inner.protocol.supports(language) {
                let known: Vec<String> = self
                    .inner
                    .protocol
                    .languages()
                    .into_iter()
                    .map(|l| l.code)
                    .collect();
                return Err(ServiceError::invalid(format!(
                    "language {language:?} is not offered by this programme: choose one of {}",
                    known.join(", ")
                )));
            }
            self.check_language_reviewed(language)?;
        }
        let zone = match update.timezone.as_deref() {
            Some(name) => Some(schedule::parse_zone(name).map_err(ServiceError::invalid)?),
            None => None,
        };
        let times = match update.check_in_times.as_deref() {
            Some(text) => {
                let times = CheckInTimes::parse(text).map_err(ServiceError::invalid)?;
                crate::config::check_times_in_window(&times, config.send_window)
                    .map_err(|e| ServiceError::invalid(e.to_string()))?;
                Some(times)
            }
            None => None,
        };
        let thresholds = match update.thresholds {
            Some(t) if t.0.is_empty() => Some(None),
            Some(t) => Some(self.check_thresholds(Some(t))?),
            None => None,
        };
        if language.is_none() && zone.is_none() && times.is_none() && thresholds.is_none() {
            return Err(ServiceError::invalid(
                "nothing to change: give a language, a time zone, check-in times or thresholds",
            ));
        }

        let mut tx = self.inner.pool.begin().await?;
        not_before_enrollment(&mut tx, patient_id, at).await?;
        let found = sqlx::query(
            "UPDATE patients SET language = COALESCE(?, language), timezone = COALESCE(?, timezone),
                    thresholds = CASE WHEN ? THEN ? ELSE thresholds END
             WHERE id = ? RETURNING timezone",
        )
        .bind(&language)
        .bind(zone.map(|z| z.name()))
        .bind(thresholds.is_some())
        .bind(thresholds.clone().flatten())
        .bind(patient_id)
        .fetch_optional(&mut *tx)
        .await?;
        if found.is_none() {
            return Err(ServiceError::not_found(format!("no patient {patient_id}")));
        }
        if zone.is_some() || times.is_some() {
            // Re-plan the open episode's next slot and end in the new zone or times.
            if let Ok(open) = open_episode(&mut tx, patient_id).await {
                let zone = zone
                    .unwrap_or(schedule::parse_zone(&open.timezone).map_err(anyhow::Error::msg)?);
                let times = times.clone().unwrap_or(open.times.clone());
                let first = schedule::slot_after(zone, &times, open.started_at);
                let ends = schedule::episode_end(zone, &times, first, open.days);
                let next = next_unsent_slot(&mut tx, open.id, zone, &times, at).await?;
                sqlx::query(
                    "UPDATE episodes SET check_in_times = ?, next_check_in_at = ?, ends_at = ?
                     WHERE id = ?",
                )
                .bind(times.to_string())
                .bind(ts(next.min(ends)))
                .bind(ts(ends))
                .bind(open.id)
                .execute(&mut *tx)
                .await?;
            }
        }
        let mut changed = Vec::new();
        if let Some(language) = &language {
            changed.push(format!("language {language}"));
        }
        if let Some(zone) = zone {
            changed.push(format!("time zone {}", zone.name()));
        }
        if let Some(times) = &times {
            changed.push(format!("check-in times {times}"));
        }
        if let Some(thresholds) = &thresholds {
            changed.push(format!(
                "thresholds {}",
                thresholds.as_deref().unwrap_or("protocol's")
            ));
        }
        store::audit(
            &mut tx,
            &ts(at),
            actor,
            "patient_updated",
            Some(patient_id),
            &changed.join("; "),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(patient_id, "patient updated");
        self.summary(patient_id).await
    }

    /// Staff mark an escalation handled; automated check-ins for the patient resume.
    pub async fn resolve_escalation(
        &self,
        actor: &Staff,
        escalation_id: i64,
        note: String,
        at: DateTime<Utc>,
    ) -> Result<PatientSummary> {
        crate::error::check_actor(actor)?;
        crate::error::check_instant(at)?;
        let mut tx = self.inner.pool.begin().await?;
        let patient_id: Option<i64> = sqlx::query_scalar(
            "UPDATE escalations SET status = 'resolved', resolved_at = ?, resolved_by = ?
             WHERE id = ? AND status = 'open' RETURNING patient_id",
        )
        .bind(ts(at))
        .bind(&actor.display_name)
        .bind(escalation_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(patient_id) = patient_id else {
            return Err(ServiceError::not_found(format!(
                "no open escalation {escalation_id}"
            )));
        };
        if !note.trim().is_empty() {
            check_text_field("the note", &note, 1000)?;
        }
        let detail = format!("escalation {escalation_id}: {}", note.trim());
        store::audit(
            &mut tx,
            &ts(at),
            actor,
            "escalation_resolved",
            Some(patient_id),
            &detail,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(patient_id, escalation_id, "escalation resolved");
        self.summary(patient_id).await
    }

    /// The patient list, newest first.
    pub async fn patients(&self) -> Result<Vec<PatientSummary>> {
        let rows = sqlx::query(SUMMARY_QUERY)
            .bind(None::<i64>)
            .fetch_all(&self.inner.pool)
            .await?;
        rows.iter()
            .map(summary_from_row)
            .collect::<anyhow::Result<_>>()
            .map_err(Into::into)
    }

    /// One patient's list line.
    pub async fn summary(&self, patient_id: i64) -> Result<PatientSummary> {
        let row = sqlx::query(SUMMARY_QUERY)
            .bind(Some(patient_id))
            .fetch_optional(&self.inner.pool)
            .await?
            .ok_or_else(|| ServiceError::not_found(format!("no patient {patient_id}")))?;
        Ok(summary_from_row(&row)?)
    }

    /// Finds a patient by phone number in any common form.
    pub async fn patient_by_phone(&self, raw: &str) -> Result<PatientDetail> {
        let phone = phone::normalize(raw, &self.inner.config.default_region)?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM patients WHERE phone = ?")
            .bind(phone.expose())
            .fetch_optional(&self.inner.pool)
            .await?;
        let id = id.ok_or_else(|| ServiceError::not_found("no patient has that number"))?;
        self.patient(id).await
    }

    /// Everything staff see on a patient's page.
    pub async fn patient(&self, id: i64) -> Result<PatientDetail> {
        let summary = self.summary(id).await?;
        let pool = &self.inner.pool;

        let episodes = sqlx::query(
            "SELECT id, started_at, ends_at, ended_at, end_reason, programme_days, protocol_id,
                    check_in_times
             FROM episodes WHERE patient_id = ? ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(EpisodeView {
                id: row.get("id"),
                started_at: parse_ts(row.get("started_at"))?,
                ends_at: parse_ts(row.get("ends_at"))?,
                ended_at: optional_ts(row, "ended_at")?,
                end_reason: row.get("end_reason"),
                programme_days: row.get::<i64, _>("programme_days") as u32,
                protocol_id: row.get("protocol_id"),
                check_in_times: row.get("check_in_times"),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

        let consents = sqlx::query(
            "SELECT obtained_at, obtained_by, method, consent_version, language
             FROM consents WHERE patient_id = ? ORDER BY id DESC",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let method: String = row.get("method");
            Ok(ConsentView {
                obtained_at: parse_ts(row.get("obtained_at"))?,
                obtained_by: row.get("obtained_by"),
                method: ConsentMethod::parse(&method)
                    .ok_or_else(|| anyhow::anyhow!("unknown stored consent method"))?,
                consent_version: row.get("consent_version"),
                language: row.get("language"),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

        let timeline = sqlx::query(
            "SELECT i.received_at AS at, 'in' AS direction, i.body, a.answer, a.question,
                    COALESCE(i.handled_as, 'received') AS status, i.id AS seq
             FROM inbound_messages i LEFT JOIN answers a ON a.inbound_id = i.id
             WHERE i.patient_id = ?1
             UNION ALL
             SELECT COALESCE(o.sent_at, o.created_at), 'out', COALESCE(o.body, o.message), NULL,
                    NULL, o.status, o.id
             FROM outbound_messages o WHERE o.patient_id = ?1
             ORDER BY at, direction, seq",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let direction: String = row.get("direction");
            Ok(TimelineEntry {
                at: parse_ts(row.get("at"))?,
                direction: if direction == "in" {
                    Direction::Inbound
                } else {
                    Direction::Outbound
                },
                body: row.get("body"),
                answer: row.get("answer"),
                question: row.get("question"),
                status: row.get("status"),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

        let escalations = sqlx::query(
            "SELECT x.id, x.opened_at, x.reason, x.status, c.requested_at, c.placed_at,
                    c.language, c.status AS call_status
             FROM escalations x LEFT JOIN calls c ON c.escalation_id = x.id
             WHERE x.patient_id = ? ORDER BY x.id DESC",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            let status: String = row.get("status");
            let call = match row.get::<Option<String>, _>("call_status") {
                Some(outcome) => Some(CallView {
                    placed_at: match optional_ts(row, "placed_at")? {
                        Some(at) => at,
                        None => parse_ts(row.get("requested_at"))?,
                    },
                    language: row.get("language"),
                    outcome,
                }),
                None => None,
            };
            Ok(EscalationView {
                id: row.get("id"),
                opened_at: parse_ts(row.get("opened_at"))?,
                reason: row.get("reason"),
                status: if status == "open" {
                    EscalationStatus::Open
                } else {
                    EscalationStatus::Resolved
                },
                call,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;

        let flags = self.open_flags(Some(id)).await?;
        let check_ins = sqlx::query(
            "SELECT c.slot_at, c.outcome, c.status, c.reminded_at FROM check_ins c
             JOIN episodes e ON e.id = c.episode_id WHERE e.patient_id = ?
             ORDER BY c.slot_at DESC",
        )
        .bind(id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|row| {
            Ok(CheckInView {
                slot_at: parse_ts(row.get("slot_at"))?,
                outcome: row.get("outcome"),
                status: row.get("status"),
                reminded_at: optional_ts(row, "reminded_at")?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(PatientDetail {
            summary,
            episodes,
            consents,
            timeline,
            escalations,
            flags,
            check_ins,
        })
    }
}

/// Refuses a staff action dated before the patient's latest enrollment: a replay or a wrong
/// clock would otherwise end an episode before it began.
async fn not_before_enrollment(
    conn: &mut SqliteConnection,
    patient_id: i64,
    at: DateTime<Utc>,
) -> Result<()> {
    let started: Option<String> =
        sqlx::query_scalar("SELECT MAX(started_at) FROM episodes WHERE patient_id = ?")
            .bind(patient_id)
            .fetch_one(&mut *conn)
            .await?;
    match started {
        Some(started) if ts(at) < started => Err(ServiceError::invalid(format!(
            "the instant {} is before this patient's enrollment at {started}: check --at or the \
             clock",
            ts(at)
        ))),
        _ => Ok(()),
    }
}

/// The first slot after `at` that does not repeat a check-in already sent that local day: a
/// patient moved west after today's check-in must not get a second one today.
async fn next_unsent_slot(
    conn: &mut SqliteConnection,
    episode_id: i64,
    zone: chrono_tz::Tz,
    times: &CheckInTimes,
    at: DateTime<Utc>,
) -> anyhow::Result<DateTime<Utc>> {
    let midnight = chrono::NaiveTime::MIN;
    let mut next = schedule::slot_after(zone, times, at);
    loop {
        let date = next.with_timezone(&zone).date_naive();
        let day_start = schedule::slot_on(zone, date, midnight);
        let day_end = schedule::slot_on(zone, date.succ_opt().expect("date in range"), midnight);
        let sent: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM check_ins WHERE episode_id = ? AND outcome = 'sent'
             AND decided_at >= ? AND decided_at < ?",
        )
        .bind(episode_id)
        .bind(ts(day_start))
        .bind(ts(day_end))
        .fetch_one(&mut *conn)
        .await?;
        // The slot's place among its day's slots: the first `sent` of them already went.
        let place = times
            .times()
            .iter()
            .filter(|t| schedule::slot_on(zone, date, **t) < next)
            .count();
        if (place as i64) < sent {
            next = schedule::slot_after(zone, times, next);
        } else {
            return Ok(next);
        }
    }
}

/// The open episode of a patient, with what re-planning it needs.
struct OpenEpisode {
    id: i64,
    started_at: DateTime<Utc>,
    days: u32,
    times: CheckInTimes,
    timezone: String,
}

async fn open_episode(conn: &mut SqliteConnection, patient_id: i64) -> Result<OpenEpisode> {
    let row = sqlx::query(
        "SELECT e.id, e.started_at, e.programme_days, e.check_in_times, p.timezone
         FROM episodes e JOIN patients p ON p.id = e.patient_id
         WHERE e.patient_id = ? AND e.ended_at IS NULL",
    )
    .bind(patient_id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| ServiceError::conflict("the patient has no open episode: enroll them again"))?;
    Ok(OpenEpisode {
        id: row.get("id"),
        started_at: parse_ts(row.get("started_at"))?,
        days: row.get::<i64, _>("programme_days") as u32,
        times: CheckInTimes::parse(row.get("check_in_times")).map_err(anyhow::Error::msg)?,
        timezone: row.get("timezone"),
    })
}

/// Opens an episode at `at`: its first check-in is the first slot after it.
pub(crate) async fn start_episode(
    conn: &mut SqliteConnection,
    service: &Homewatch,
    patient_id: i64,
    zone: chrono_tz::Tz,
    times: &CheckInTimes,
    days: u32,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let first = schedule::slot_after(zone, times, at);
    let ends = schedule::episode_end(zone, times, first, days);
    Ok(sqlx::query(
        "INSERT INTO episodes (patient_id, protocol_id, started_at, programme_days, check_in_times,
                               next_check_in_at, ends_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(patient_id)
    .bind(service.inner.protocol.id())
    .bind(ts(at))
    .bind(days)
    .bind(times.to_string())
    .bind(ts(first))
    .bind(ts(ends))
    .execute(conn)
    .await?
    .last_insert_rowid())
}

/// Records how consent was given for an episode.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_consent(
    conn: &mut SqliteConnection,
    service: &Homewatch,
    patient_id: i64,
    episode_id: i64,
    obtained_by: &str,
    method: ConsentMethod,
    language: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO consents (patient_id, episode_id, obtained_at, obtained_by, method,
                               consent_version, language)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(patient_id)
    .bind(episode_id)
    .bind(ts(at))
    .bind(obtained_by.trim())
    .bind(method.as_str())
    .bind(service.inner.protocol.consent_version())
    .bind(language)
    .execute(conn)
    .await?;
    Ok(())
}

/// Who opted a patient out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OptedOutBy {
    /// The patient, by keyword.
    Patient,
    /// A supervisor.
    Staff,
}

/// Marks a patient opted out and ends their open episode; returns that episode's id.
pub(crate) async fn opt_out_in(
    conn: &mut SqliteConnection,
    patient_id: i64,
    by: OptedOutBy,
    at: DateTime<Utc>,
) -> anyhow::Result<Option<i64>> {
    let idle = serde_json::to_string(&Conversation::Idle)?;
    sqlx::query(
        "UPDATE patients SET opted_out_at = ?, opted_out_by = ?, conversation = ? WHERE id = ?",
    )
    .bind(ts(at))
    .bind(match by {
        OptedOutBy::Patient => "patient",
        OptedOutBy::Staff => "staff",
    })
    .bind(idle)
    .bind(patient_id)
    .execute(&mut *conn)
    .await?;
    let episode: Option<i64> = sqlx::query_scalar(
        "UPDATE episodes SET ended_at = ?, end_reason = 'opted_out'
         WHERE patient_id = ? AND ended_at IS NULL RETURNING id",
    )
    .bind(ts(at))
    .bind(patient_id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(episode)
}

/// Patient list lines; `?1` is a patient id, or NULL for everyone.
const SUMMARY_QUERY: &str = "SELECT p.id, p.name, p.phone, p.language, p.timezone, p.opted_out_at,
                p.thresholds,
                e.id AS episode_id,
                (SELECT COUNT(*) FROM check_ins c WHERE c.episode_id = e.id) AS slots_done,
                (SELECT programme_days FROM episodes l WHERE l.patient_id = p.id
                 ORDER BY l.id DESC LIMIT 1) AS programme_days,
                (SELECT MAX(c.decided_at) FROM check_ins c JOIN episodes ce ON ce.id = c.episode_id
                 WHERE ce.patient_id = p.id AND c.outcome = 'sent') AS last_check_in,
                EXISTS (SELECT 1 FROM escalations x
                        WHERE x.patient_id = p.id AND x.status = 'open') AS open_escalation,
                (SELECT COUNT(*) FROM staff_flags f
                 WHERE f.patient_id = p.id AND f.resolved_at IS NULL) AS open_flags,
                (SELECT COUNT(*) FROM check_ins c
                 WHERE c.episode_id = e.id AND c.status = 'missed') AS missed_check_ins
         FROM patients p LEFT JOIN episodes e ON e.patient_id = p.id AND e.ended_at IS NULL
         WHERE ?1 IS NULL OR p.id = ?1 ORDER BY p.id DESC";

fn summary_from_row(row: &SqliteRow) -> anyhow::Result<PatientSummary> {
    let episode: Option<i64> = row.get("episode_id");
    let status = if row.get::<Option<String>, _>("opted_out_at").is_some() {
        PatientStatus::OptedOut
    } else if episode.is_some() {
        PatientStatus::Active
    } else {
        PatientStatus::Completed
    };
    Ok(PatientSummary {
        id: row.get("id"),
        name: row.get("name"),
        phone: row.get("phone"),
        language: row.get("language"),
        timezone: row.get("timezone"),
        status,
        // Day 1 until the first check-in has gone out, then the number of the latest one.
        episode_day: episode.map(|_| row.get::<i64, _>("slots_done").max(1) as u32),
        programme_days: row
            .get::<Option<i64>, _>("programme_days")
            .map(|d| d as u32),
        last_check_in: optional_ts(row, "last_check_in")?,
        open_escalation: row.get("open_escalation"),
        open_flags: row.get::<i64, _>("open_flags") as u32,
        missed_check_ins: row.get::<i64, _>("missed_check_ins") as u32,
        thresholds: row
            .get::<Option<&str>, _>("thresholds")
            .map(serde_json::from_str)
            .transpose()?,
    })
}

fn optional_ts(row: &SqliteRow, column: &str) -> anyhow::Result<Option<DateTime<Utc>>> {
    row.get::<Option<&str>, _>(column).map(parse_ts).transpose()
}
