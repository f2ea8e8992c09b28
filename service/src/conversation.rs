//! Inbound texts: recorded first, then keywords, then the clinical protocol.
//!
//! Every inbound text is stored (deduplicated by the provider's id) before anything else
//! happens, in its own commit. Handling it is a second transaction; if that fails, the text
//! stays unhandled and the scheduler's next pass handles it. So a text is never lost, and the
//! same provider message is acted on once.

use chrono::{DateTime, Utc};
use homewatch_protocol::{messages, Conversation, Effect};
use sqlx::{Row as _, SqliteConnection};

use crate::error::Result;
use crate::keywords::{self, Keyword};
use crate::outbox::{self, Reason};
use crate::phone;
use crate::registry;
use crate::schedule::{self, ts};
use crate::views::{ConsentMethod, InboundSms};
use crate::Homewatch;

impl Homewatch {
    /// Takes a text from a patient's phone (from the gateway, or the simulator).
    pub async fn receive_sms(&self, inbound: InboundSms, at: DateTime<Utc>) -> Result<()> {
        crate::error::check_instant(at)?;
        let config = &self.inner.config;
        let from = phone::normalize(&inbound.from, &config.default_region)?;
        let to = match inbound.to.as_deref() {
            Some(raw) => Some(phone::normalize(raw, &config.default_region)?.into_inner()),
            None => None,
        };
        let provider_id = inbound
            .provider_id
            .filter(|id| !id.trim().is_empty())
            .unwrap_or_else(|| format!("local-{}", uuid::Uuid::new_v4()));

        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO inbound_messages (provider_id, patient_id, from_phone, to_phone, body,
                                           received_at)
             VALUES (?1, (SELECT id FROM patients WHERE phone = ?2), ?2, ?3, ?4, ?5)
             ON CONFLICT (provider_id, from_phone) DO NOTHING RETURNING id",
        )
        .bind(&provider_id)
        .bind(from.expose())
        .bind(to)
        .bind(&inbound.body)
        .bind(ts(at))
        .fetch_optional(&self.inner.pool)
        .await?;
        let inbound_id = match inserted {
            Some(id) => id,
            None => {
                // Delivered before. If it was stored but its handling was cut short (a crash),
                // this redelivery handles it now, still once; otherwise there is nothing to do.
                let (id, handled): (i64, Option<String>) = sqlx::query_as(
                    "SELECT id, handled_as FROM inbound_messages
                     WHERE provider_id = ? AND from_phone = ?",
                )
                .bind(&provider_id)
                .bind(from.expose())
                .fetch_one(&self.inner.pool)
                .await?;
                if handled.is_some() {
                    tracing::info!(
                        inbound_id = id,
                        outcome = "duplicate",
                        "inbound already handled"
                    );
                    return Ok(());
                }
                id
            }
        };

        self.handle_inbound(inbound_id, at).await?;
        self.after_commit(at).await;
        Ok(())
    }

    /// Acts on one stored inbound text, once.
    pub(crate) async fn handle_inbound(&self, inbound_id: i64, at: DateTime<Utc>) -> Result<()> {
        let mut tx = self.inner.pool.begin().await?;
        let row = sqlx::query(
            "SELECT i.body, i.handled_as, p.id AS patient_id, p.language, p.timezone, p.thresholds,
                    p.opted_out_by,
                    p.opted_out_at IS NOT NULL AS opted_out, p.conversation, e.id AS episode_id
             FROM inbound_messages i
             LEFT JOIN patients p ON p.id = i.patient_id
             LEFT JOIN episodes e ON e.patient_id = p.id AND e.ended_at IS NULL
             WHERE i.id = ?",
        )
        .bind(inbound_id)
        .fetch_one(&mut *tx)
        .await?;
        if row.get::<Option<String>, _>("handled_as").is_some() {
            return Ok(());
        }
        let body: String = row.get("body");
        let patient: Option<i64> = row.get("patient_id");
        let episode: Option<i64> = row.get("episode_id");
        let opted_out: Option<bool> = row.get("opted_out");

        let keyword = keywords::classify(&body);
        let handled_as = match patient {
            // TODO(inbound): answer HELP from unknown numbers once outbound texts can be
            // addressed to a number without a patient record.
            None => "unknown_sender",
            Some(patient_id) => match (keyword, opted_out == Some(true), episode) {
                (Some(Keyword::OptOut), true, _) => "opt_out_repeated",
                (Some(Keyword::OptOut), false, episode) => {
                    let by = registry::OptedOutBy::Patient;
                    let ended = registry::opt_out_in(&mut tx, patient_id, by, at).await?;
                    let episode = ended.or(episode);
                    outbox::queue(
                        &mut tx,
                        patient_id,
                        episode,
                        messages::OPTED_OUT,
                        Reason::Keyword,
                        at,
                    )
                    .await?;
                    tracing::info!(patient_id, by = "patient", "opted out");
                    Keyword::OptOut.as_str()
                }
                // Back from an opt-out, or re-enrolling after the programme ended, as the
                // final message says.
                (Some(Keyword::OptIn), true, _) | (Some(Keyword::OptIn), false, None) => {
                    // The patient may always opt back in; if staff had opted them out (say, on
                    // admission to hospital), staff are told.
                    if row.get::<Option<String>, _>("opted_out_by").as_deref() == Some("staff") {
                        let detail = "the patient texted an opt-in keyword after a staff opt-out: \
                                      check-ins have resumed; check this is right";
                        crate::flags::raise(
                            &mut *tx,
                            Some(patient_id),
                            "opted_in_after_staff_opt_out",
                            detail,
                            at,
                        )
                        .await?;
                    }
                    let zone: String = row.get("timezone");
                    let language: String = row.get("language");
                    self.opt_in(&mut tx, patient_id, &zone, &language, at)
                        .await?;
                    Keyword::OptIn.as_str()
                }
                // An opted-out patient receives nothing but the one confirmation; what they
                // write is still shown to staff, who may want to call.
                (_, true, _) => {
                    let detail = "an opted-out patient wrote in (no reply was sent): read the \
                                  message and decide whether to call";
                    crate::flags::raise_once(
                        &mut tx,
                        patient_id,
                        "message_after_opt_out",
                        detail,
                        at,
                    )
                    .await?;
                    "ignored_opted_out"
                }
                (Some(Keyword::OptIn), false, Some(_)) => "opt_in_already_active",
                (Some(Keyword::Help), false, episode) => {
                    outbox::queue(
                        &mut tx,
                        patient_id,
                        episode,
                        messages::HELP,
                        Reason::Keyword,
                        at,
                    )
                    .await?;
                    Keyword::Help.as_str()
                }
                (None, false, None) => "no_open_episode",
                (None, false, Some(episode_id)) => {
                    let language: String = row.get("language");
                    let state: Conversation = serde_json::from_str(row.get("conversation"))
                        .map_err(anyhow::Error::from)?;
                    let thresholds: homewatch_protocol::Thresholds = row
                        .get::<Option<&str>, _>("thresholds")
                        .map(serde_json::from_str)
                        .transpose()
                        .map_err(anyhow::Error::from)?
                        .unwrap_or_default();
                    let step =
                        self.inner
                            .protocol
                            .handle_with(&state, &language, &body, at, &thresholds);
                    self.apply_step(
                        &mut tx,
                        patient_id,
                        episode_id,
                        Some(inbound_id),
                        step,
                        Reason::Reply,
                        at,
                    )
                    .await?;
                    "protocol"
                }
            },
        };

        sqlx::query("UPDATE inbound_messages SET handled_as = ? WHERE id = ?")
            .bind(handled_as)
            .bind(inbound_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::info!(
            inbound_id,
            patient_id = patient,
            handled_as,
            "inbound handled"
        );
        Ok(())
    }

    /// Brings an opted-out or finished patient back: a new episode, consent by keyword.
    async fn opt_in(
        &self,
        conn: &mut SqliteConnection,
        patient_id: i64,
        zone: &str,
        language: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let zone = schedule::parse_zone(zone).map_err(|e| anyhow::anyhow!(e))?;
        let days = self.inner.protocol.programme_days();
        let times = self.inner.config.check_in_times.clone();
        let idle = serde_json::to_string(&Conversation::Idle)?;
        sqlx::query(
            "UPDATE patients SET opted_out_at = NULL, opted_out_by = NULL, conversation = ?
             WHERE id = ?",
        )
        .bind(idle)
        .bind(patient_id)
        .execute(&mut *conn)
        .await?;
        let episode_id =
            registry::start_episode(conn, self, patient_id, zone, &times, days, at).await?;
        registry::record_consent(
            conn,
            self,
            patient_id,
            episode_id,
            "patient (SMS keyword)",
            ConsentMethod::SmsKeyword,
            language,
            at,
        )
        .await?;
        outbox::queue(
            conn,
            patient_id,
            Some(episode_id),
            messages::OPTED_IN,
            Reason::Keyword,
            at,
        )
        .await?;
        tracing::info!(patient_id, episode_id, "opted in");
        Ok(())
    }

    /// Stores what the engine decided: new state, replies, answers, escalations.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn apply_step(
        &self,
        conn: &mut SqliteConnection,
        patient_id: i64,
        episode_id: i64,
        inbound_id: Option<i64>,
        step: homewatch_protocol::Step,
        reason: Reason,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        sqlx::query("UPDATE patients SET conversation = ? WHERE id = ?")
            .bind(serde_json::to_string(&step.conversation)?)
            .bind(patient_id)
            .execute(&mut *conn)
            .await?;
        for reply in &step.replies {
            outbox::queue(
                conn,
                patient_id,
                Some(episode_id),
                &reply.message,
                reason,
                at,
            )
            .await?;
        }
        for effect in step.effects {
            match effect {
                Effect::Answered { question, answer } => {
                    let inbound_id =
                        inbound_id.ok_or_else(|| anyhow::anyhow!("an answer without a text"))?;
                    sqlx::query(
                        "INSERT INTO answers (patient_id, episode_id, inbound_id, question,
                                              answer, at)
                         VALUES (?, ?, ?, ?, ?, ?)",
                    )
                    .bind(patient_id)
                    .bind(episode_id)
                    .bind(inbound_id)
                    .bind(&question)
                    .bind(&answer)
                    .bind(ts(at))
                    .execute(&mut *conn)
                    .await?;
                }
                Effect::Escalate { outcome } => {
                    self.open_escalation(conn, patient_id, episode_id, &outcome, at)
                        .await?;
                }
                Effect::NotUnderstood { question, tries } => {
                    tracing::info!(patient_id, question = %question, tries, "answer not understood");
                }
                Effect::NeedsReview { question, tries } => {
                    // The protocol gave up re-prompting: the check-in is handed to staff, never
                    // dropped silently.
                    sqlx::query(
                        "UPDATE check_ins SET status = 'needs_review', closed_at = ?
                         WHERE episode_id = ? AND status IN ('open', 'missed')",
                    )
                    .bind(ts(at))
                    .bind(episode_id)
                    .execute(&mut *conn)
                    .await?;
                    let detail = format!(
                        "the answer to {question} could not be read after {tries} tries: \
                         read the patient's texts and call them"
                    );
                    crate::flags::raise(&mut *conn, Some(patient_id), "needs_review", &detail, at)
                        .await?;
                }
                Effect::ReviewRequested { outcome } => {
                    let detail =
                        format!("the check-in ended in {outcome}: a nurse should review it today");
                    crate::flags::raise(
                        &mut *conn,
                        Some(patient_id),
                        "review_requested",
                        &detail,
                        at,
                    )
                    .await?;
                }
                Effect::Finished { outcome } => {
                    // A finished conversation closes the check-in, even a late answer to a
                    // check-in already counted as missed: the answers are what matter.
                    sqlx::query(
                        "UPDATE check_ins SET status = 'finished', closed_at = ?
                         WHERE episode_id = ? AND status IN ('open', 'missed')
                           AND id = (SELECT MAX(id) FROM check_ins
                                     WHERE episode_id = ? AND outcome = 'sent')",
                    )
                    .bind(ts(at))
                    .bind(episode_id)
                    .bind(episode_id)
                    .execute(&mut *conn)
                    .await?;
                    tracing::info!(patient_id, episode_id, outcome = %outcome, "check-in finished");
                }
            }
        }
        Ok(())
    }

    /// Opens an escalation and requests the nurse call, which is placed after the commit.
    async fn open_escalation(
        &self,
        conn: &mut SqliteConnection,
        patient_id: i64,
        episode_id: i64,
        outcome: &str,
        at: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        let escalation_id = sqlx::query(
            "INSERT INTO escalations (patient_id, episode_id, opened_at, reason, status)
             VALUES (?, ?, ?, ?, 'open')",
        )
        .bind(patient_id)
        .bind(episode_id)
        .bind(ts(at))
        .bind(outcome)
        .execute(&mut *conn)
        .await?
        .last_insert_rowid();
        sqlx::query(
            "INSERT INTO calls (escalation_id, requested_at, language, status)
             SELECT ?, ?, language, 'pending' FROM patients WHERE id = ?",
        )
        .bind(escalation_id)
        .bind(ts(at))
        .bind(patient_id)
        .execute(&mut *conn)
        .await?;
        tracing::info!(patient_id, escalation_id, outcome, "escalation opened");
        Ok(())
    }
}
