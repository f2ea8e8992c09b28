//! The outbox: texts are decided inside the transaction that changes state, and sent after it.
//!
//! A queued row names a protocol message, not a text: it is rendered when it is sent, in the
//! patient's language at that moment. Each row is handed to the gateway with the idempotency
//! key `out-<id>`, so a crash between sending and marking it sent does not send it twice.

use chrono::{DateTime, Utc};
use homewatch_protocol::messages;
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
    reason == Reason::CheckIn.as_str() || reason == Reason::Lifecycle.as_str()
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

impl Homewatch {
    /// Hands every queued text to the gateway. Returns (sent, failed).
    pub(crate) async fn dispatch(&self, at: DateTime<Utc>) -> anyhow::Result<(u32, u32)> {
        // One dispatcher at a time in this process: two must never pick up the same row.
        let _guard = self.inner.dispatch_lock.lock().await;
        let rows = sqlx::query(
            "SELECT o.id, o.patient_id, o.message, o.reason, p.phone, p.language, p.timezone,
                    p.opted_out_at IS NOT NULL AS opted_out, e.programme_days
             FROM outbound_messages o
             JOIN patients p ON p.id = o.patient_id
             LEFT JOIN episodes e ON e.id = o.episode_id
             WHERE o.status = 'queued' ORDER BY o.id",
        )
        .fetch_all(&self.inner.pool)
        .await?;

        let (mut sent, mut failed) = (0, 0);
        for row in rows {
            let id: i64 = row.get("id");
            let message: String = row.get("message");
            let reason: String = row.get("reason");
            let opted_out: bool = row.get("opted_out");

            // Opted out after this was queued: only the opt-out confirmation may still go.
            if opted_out && !(reason == "keyword" && message == messages::OPTED_OUT) {
                sqlx::query("UPDATE outbound_messages SET status = 'suppressed' WHERE id = ?")
                    .bind(id)
                    .execute(&self.inner.pool)
                    .await?;
                tracing::info!(outbound_id = id, "suppressed: patient opted out");
                continue;
            }

            // Quiet hours: an automated text waits in the outbox for the window to open.
            if waits_for_window(&reason) {
                let zone =
                    crate::schedule::parse_zone(row.get("timezone")).map_err(anyhow::Error::msg)?;
                if !self.inner.config.send_window.contains_instant(zone, at) {
                    continue;
                }
            }

            let language: String = row.get("language");
            let days = row
                .get::<Option<i64>, _>("programme_days")
                .map_or(self.inner.protocol.programme_days().to_string(), |d| {
                    d.to_string()
                });
            let (language, body) = self.render(id, &language, &message, &days)?;
            let sms = OutgoingSms {
                idempotency_key: format!("out-{id}"),
                to: Sensitive::new(row.get("phone")),
                body: Sensitive::new(body),
            };
            match self.inner.sms.send(&sms, at).await {
                Ok(provider_id) => {
                    sqlx::query(
                        "UPDATE outbound_messages SET status = 'sent', sent_at = ?, language = ?,
                         body = ?, provider_id = ?, attempts = attempts + 1 WHERE id = ?",
                    )
                    .bind(ts(at))
                    .bind(&language)
                    .bind(sms.body.expose())
                    .bind(provider_id)
                    .bind(id)
                    .execute(&self.inner.pool)
                    .await?;
                    sent += 1;
                    tracing::info!(outbound_id = id, message = %message, "sent");
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
                    failed += 1;
                    tracing::warn!(
                        outbound_id = id,
                        code = error.code,
                        retryable = error.retryable,
                        "send failed"
                    );
                }
            }
        }
        Ok((sent, failed))
    }

    /// Renders a message in the patient's language, or in the protocol's fallback language when
    /// that fails: a patient never receives an empty or missing text.
    fn render(
        &self,
        outbound_id: i64,
        language: &str,
        message: &str,
        days: &str,
    ) -> anyhow::Result<(String, String)> {
        let protocol = &self.inner.protocol;
        let config = &self.inner.config;
        let args = [
            ("days", days),
            ("callback", config.callback_number.as_str()),
            ("support", config.support_contact.as_str()),
        ];
        match protocol.render(language, message, &args) {
            Ok(body) if !body.trim().is_empty() => Ok((language.to_string(), body)),
            outcome => {
                // TODO(languages): record this for staff, not only in the log.
                tracing::warn!(
                    outbound_id,
                    language,
                    message,
                    error = outcome.err().map(|e| e.to_string()),
                    "rendered in the fallback language"
                );
                let fallback = protocol.fallback_language();
                let body = protocol
                    .render(fallback, message, &args)
                    .map_err(|e| anyhow::anyhow!("rendering {message} in {fallback}: {e}"))?;
                Ok((fallback.to_string(), body))
            }
        }
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
