//! The outbox: texts are decided inside the transaction that changes state, and sent after it.
//!
//! A queued row names a protocol message, not a text: it is rendered when it is sent, in the
//! patient's language at that moment. Each row is handed to the gateway with the idempotency
//! key `out-<id>`, so a crash between sending and marking it sent does not send it twice.

use chrono::{DateTime, Utc};
use homewatch_protocol::{messages, segments};
use sqlx::{Row as _, SqliteConnection};

use crate::error::Result;
use crate::gateway::OutgoingSms;
use crate::schedule::{parse_ts, ts};
use crate::sensitive::Sensitive;
use crate::views::OutboundSms;
use crate::Homewatch;

/// Why a text was queued; also decides whether it may go to an opted-out patient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// A scheduled check-in question.
    CheckIn,
    /// The one reminder of an unanswered check-in.
    Reminder,
    /// The protocol's reply to the patient's text.
    Reply,
    /// The answer to a keyword (the opt-out confirmation among them).
    Keyword,
    /// The enrollment confirmation: the patient is with staff, expecting it.
    Enrollment,
    /// The programme's final message.
    Lifecycle,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::CheckIn => "check_in",
            Reason::Reminder => "reminder",
            Reason::Reply => "reply",
            Reason::Keyword => "keyword",
            Reason::Enrollment => "enrollment",
            Reason::Lifecycle => "lifecycle",
        }
    }
}

/// Whether texts queued for this stored reason wait for the patient's send window: automated
/// texts do; answers to something the patient or staff just did do not.
fn waits_for_window(reason: &str) -> bool {
    [Reason::CheckIn, Reason::Reminder, Reason::Lifecycle]
        .iter()
        .any(|r| r.as_str() == reason)
}

/// Midnight UTC of `at`'s day: daily caps count per UTC day.
fn utc_day_start(at: DateTime<Utc>) -> DateTime<Utc> {
    at.date_naive().and_time(chrono::NaiveTime::MIN).and_utc()
}

/// What happened to one queued text.
enum Outcome {
    Sent,
    Failed,
    Expired,
    Suppressed,
    /// Still queued: quiet hours, or another dispatcher took it.
    Held,
}

/// Queues a protocol message for a patient inside the caller's transaction.
pub(crate) async fn queue(
    conn: &mut SqliteConnection,
    patient_id: i64,
    episode_id: Option<i64>,
    message: &str,
    reason: Reason,
    at: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let row = sqlx::query(
        "INSERT INTO outbound_messages (patient_id, episode_id, message, reason, created_at, status)
         VALUES (?, ?, ?, ?, ?, 'queued')",
    )
    .bind(patient_id)
    .bind(episode_id)
    .bind(message)
    .bind(reason.as_str())
    .bind(ts(at))
    .execute(conn)
    .await?;
    Ok(row.last_insert_rowid())
}

/// What one dispatch pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Dispatched {
    pub sent: u32,
    pub failed: u32,
    pub held_by_cap: u32,
    pub expired: u32,
}

/// Which queued texts a dispatch pass hands over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Everything that may go now: the scheduler's pass.
    Everything,
    /// Only answers to what a patient or staff member just did, so that a text from a patient
    /// is answered at once and never waits behind a cohort's check-ins.
    Answers,
}

impl Homewatch {
    /// Hands queued texts to the gateway, answers to patients first, at the number's pace.
    pub(crate) async fn dispatch(
        &self,
        at: DateTime<Utc>,
        scope: Scope,
    ) -> anyhow::Result<Dispatched> {
        // One dispatcher at a time in this process: two must never pick up the same row, and
        // the bucket paces everything that leaves through the number.
        let mut bucket = self.inner.dispatch.lock().await;
        let mut done = Dispatched::default();

        // Replies and keyword answers before automated texts.
        let queued: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, reason FROM outbound_messages WHERE status = 'queued' ORDER BY id",
        )
        .fetch_all(&self.inner.pool)
        .await?;
        let (mut ids, automated): (Vec<_>, Vec<_>) = queued
            .into_iter()
            .partition(|(_, reason)| !waits_for_window(reason));
        if scope == Scope::Everything {
            ids.extend(automated);
        }

        let mut sent_today = self.sent_today(at).await?;
        for &(id, _) in &ids {
            if let Some(cap) = self.inner.config.daily_message_cap {
                if sent_today >= i64::from(cap) {
                    done.held_by_cap += 1;
                    continue;
                }
            }
            match self.dispatch_one(&mut bucket, id, at).await? {
                Outcome::Sent => {
                    done.sent += 1;
                    sent_today += 1;
                }
                Outcome::Failed => done.failed += 1,
                Outcome::Expired => done.expired += 1,
                Outcome::Held | Outcome::Suppressed => {}
            }
        }
        if done.held_by_cap > 0 {
            self.flag_daily_cap(done.held_by_cap, at).await?;
        }
        Ok(done)
    }

    /// Texts sent since the start of `at`'s UTC day.
    async fn sent_today(&self, at: DateTime<Utc>) -> anyhow::Result<i64> {
        let day_start = utc_day_start(at);
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM outbound_messages WHERE status = 'sent' AND sent_at >= ?",
        )
        .bind(ts(day_start))
        .fetch_one(&self.inner.pool)
        .await?)
    }

    /// Raises (once a UTC day) the programme-wide flag that the daily cap held texts back.
    async fn flag_daily_cap(&self, held: u32, at: DateTime<Utc>) -> anyhow::Result<()> {
        let cap = self.inner.config.daily_message_cap.unwrap_or_default();
        let day_start = utc_day_start(at);
        let detail = format!(
            "the daily cap of {cap} texts for the sending number was reached: {held} texts wait \
             for tomorrow (check-ins among them expire at the end of their day)"
        );
        let raised = sqlx::query(
            "INSERT INTO staff_flags (patient_id, raised_at, kind, detail)
             SELECT NULL, ?1, 'daily_cap', ?2 WHERE NOT EXISTS (
                 SELECT 1 FROM staff_flags WHERE kind = 'daily_cap' AND raised_at >= ?3)",
        )
        .bind(ts(at))
        .bind(&detail)
        .bind(ts(day_start))
        .execute(&self.inner.pool)
        .await?;
        if raised.rows_affected() > 0 {
            tracing::warn!(cap, held, "daily cap reached");
        }
        Ok(())
    }

    /// Sends one queued text if it may go now.
    async fn dispatch_one(
        &self,
        bucket: &mut crate::pacing::TokenBucket,
        id: i64,
        at: DateTime<Utc>,
    ) -> anyhow::Result<Outcome> {
        let row = sqlx::query(
            "SELECT o.patient_id, o.message, o.reason, o.created_at, p.phone, p.language,
                    p.timezone, p.opted_out_at IS NOT NULL AS opted_out, e.programme_days,
                    e.check_in_times
             FROM outbound_messages o
             JOIN patients p ON p.id = o.patient_id
             LEFT JOIN episodes e ON e.id = o.episode_id
             WHERE o.id = ? AND o.status = 'queued'",
        )
        .bind(id)
        .fetch_optional(&self.inner.pool)
        .await?;
        let Some(row) = row else {
            return Ok(Outcome::Held);
        };
        let message: String = row.get("message");
        let reason: String = row.get("reason");
        let patient_id: i64 = row.get("patient_id");

        // Opted out after this was queued: only the opt-out confirmation may still go.
        let opted_out: bool = row.get("opted_out");
        if opted_out && !(reason == Reason::Keyword.as_str() && message == messages::OPTED_OUT) {
            self.set_status(id, "suppressed").await?;
            tracing::info!(outbound_id = id, "suppressed: patient opted out");
            return Ok(Outcome::Suppressed);
        }

        // Quiet hours: an automated text waits in the outbox for the window to open; a
        // check-in that could not go out on its own local day expires instead of going stale.
        if waits_for_window(&reason) {
            let zone =
                crate::schedule::parse_zone(row.get("timezone")).map_err(anyhow::Error::msg)?;
            let created = parse_ts(row.get("created_at"))?;
            let stale =
                created.with_timezone(&zone).date_naive() < at.with_timezone(&zone).date_naive();
            if stale && reason != Reason::Lifecycle.as_str() {
                self.set_status(id, "expired").await?;
                tracing::info!(outbound_id = id, patient_id, "expired: not sent on its day");
                return Ok(Outcome::Expired);
            }
            if !self.inner.config.send_window.contains_instant(zone, at) {
                return Ok(Outcome::Held);
            }
        }

        let language: String = row.get("language");
        let days = row
            .get::<Option<i64>, _>("programme_days")
            .map_or(self.inner.protocol.programme_days().to_string(), |d| {
                d.to_string()
            });
        let per_day = row
            .get::<Option<&str>, _>("check_in_times")
            .map_or(self.inner.config.check_in_times.times().len(), |t| {
                t.split(',').count()
            })
            .to_string();
        let (language, body) = match self
            .render(id, patient_id, &language, &message, (&days, &per_day), at)
            .await
        {
            Ok(rendered) => rendered,
            Err(error) => {
                // Not even the fallback language has it: never send an empty text; staff
                // are told instead, and the rest of the outbox goes on.
                tracing::error!(
                    outbound_id = id,
                    error = format!("{error:#}"),
                    "render failed"
                );
                self.set_status(id, "failed").await?;
                let detail = format!("text {message} could not be rendered in any language");
                crate::flags::raise(
                    &self.inner.pool,
                    Some(patient_id),
                    "render_failed",
                    &detail,
                    at,
                )
                .await?;
                return Ok(Outcome::Failed);
            }
        };
        let parts = segments::count(&body).parts as u32;

        // Pace the number: wait until the bucket has room for this text's parts, then record
        // the instant it really leaves.
        loop {
            let now = self.inner.started.elapsed().as_micros() as i64;
            let start = bucket.earliest(parts, now);
            if start <= now {
                bucket.record(parts, now);
                break;
            }
            tokio::time::sleep(std::time::Duration::from_micros((start - now) as u64)).await;
        }

        let sms = OutgoingSms {
            idempotency_key: format!("out-{id}"),
            to: Sensitive::new(row.get("phone")),
            body: Sensitive::new(body),
        };
        match self.inner.sms.send(&sms, at).await {
            Ok(provider_id) => {
                sqlx::query(
                    "UPDATE outbound_messages SET status = 'sent', sent_at = ?, language = ?,
                     body = ?, parts = ?, provider_id = ?, attempts = attempts + 1 WHERE id = ?",
                )
                .bind(ts(at))
                .bind(&language)
                .bind(sms.body.expose())
                .bind(parts)
                .bind(provider_id)
                .bind(id)
                .execute(&self.inner.pool)
                .await?;
                tracing::info!(outbound_id = id, message = %message, parts, "sent");
                Ok(Outcome::Sent)
            }
            Err(error) => {
                // TODO(delivery): give up after a number of attempts and flag it for staff.
                let status = if error.retryable { "queued" } else { "failed" };
                sqlx::query(
                    "UPDATE outbound_messages SET status = ?, attempts = attempts + 1,
                     last_error = ? WHERE id = ?",
                )
                .bind(status)
                .bind(error.code)
                .bind(id)
                .execute(&self.inner.pool)
                .await?;
                tracing::warn!(
                    outbound_id = id,
                    code = error.code,
                    retryable = error.retryable,
                    "send failed"
                );
                Ok(Outcome::Failed)
            }
        }
    }

    async fn set_status(&self, id: i64, status: &str) -> anyhow::Result<()> {
        sqlx::query("UPDATE outbound_messages SET status = ? WHERE id = ?")
            .bind(status)
            .bind(id)
            .execute(&self.inner.pool)
            .await?;
        Ok(())
    }

    /// Renders a message in the patient's language, or in the protocol's fallback language when
    /// that fails: a patient never receives an empty or missing text.
    async fn render(
        &self,
        outbound_id: i64,
        patient_id: i64,
        language: &str,
        message: &str,
        (days, per_day): (&str, &str),
        at: DateTime<Utc>,
    ) -> anyhow::Result<(String, String)> {
        let protocol = &self.inner.protocol;
        let config = &self.inner.config;
        let args = [
            ("days", days),
            ("per_day", per_day),
            ("callback", config.callback_number.as_str()),
            ("support", config.support_contact.as_str()),
        ];
        let rendered = protocol
            .render_or_fallback(language, message, &args)
            .map_err(|e| anyhow::anyhow!("rendering {message}: {e}"))?;
        if rendered.fell_back {
            let detail = format!(
                "text {message} could not be rendered in {language}: sent in {}",
                rendered.language_used
            );
            crate::flags::raise(
                &self.inner.pool,
                Some(patient_id),
                "fallback_language",
                &detail,
                at,
            )
            .await?;
            tracing::warn!(
                outbound_id,
                language,
                message,
                "rendered in the fallback language"
            );
        }
        Ok((rendered.language_used, rendered.text))
    }

    /// Texts decided for patients, newest last; only those for `phone` when given.
    pub async fn outbox(&self, phone: Option<&str>) -> Result<Vec<OutboundSms>> {
        let phone = match phone {
            Some(raw) => Some(crate::phone::normalize(
                raw,
                &self.inner.config.default_region,
            )?),
            None => None,
        };
        let rows = sqlx::query(
            "SELECT o.id, p.phone, o.body, o.message, o.created_at, o.sent_at, o.status
             FROM outbound_messages o JOIN patients p ON p.id = o.patient_id
             WHERE ?1 IS NULL OR p.phone = ?1 ORDER BY o.id",
        )
        .bind(phone.as_ref().map(|p| p.expose().as_str()))
        .fetch_all(&self.inner.pool)
        .await?;
        rows.into_iter()
            .map(|row| {
                let message: String = row.get("message");
                Ok(OutboundSms {
                    id: row.get("id"),
                    to: row.get("phone"),
                    body: row
                        .get::<Option<String>, _>("body")
                        .unwrap_or_else(|| message.clone()),
                    created_at: parse_ts(row.get("created_at"))?,
                    sent_at: row
                        .get::<Option<&str>, _>("sent_at")
                        .map(parse_ts)
                        .transpose()?,
                    message,
                    status: row.get("status"),
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()
            .map_err(Into::into)
    }
}
