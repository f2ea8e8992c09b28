//! The scheduler pass: due check-ins, ends of programmes, the outbox, nurse calls, and inbound
//! texts whose handling failed earlier.
//!
//! Each episode is handled in its own transaction, so one bad record is logged and skipped,
//! never aborting the pass for everyone else.

use chrono::{DateTime, Utc};
use homewatch_protocol::messages::{self, REMINDER};
use homewatch_protocol::Conversation;
use sqlx::{Acquire as _, Row as _, SqliteConnection};

use crate::error::Result;
use crate::gateway::CallRequest;
use crate::outbox::{self, Reason, Scope};
use crate::schedule::{self, parse_ts, ts, CheckInTimes, Lateness};
use crate::sensitive::Sensitive;
use crate::views::TickReport;
use crate::Homewatch;

/// Episodes planned per transaction.
const BATCH: usize = 500;

/// What happened to one due slot.
enum SlotOutcome {
    /// A check-in went out; `more` when another slot is due too.
    Sent {
        more: bool,
    },
    /// The slot was recorded as skipped; `more` as above.
    Skipped {
        more: bool,
    },
    Completed,
    Waiting,
}

impl Homewatch {
    /// Runs everything due at `at`.
    pub async fn tick(&self, at: DateTime<Utc>) -> Result<TickReport> {
        let mut report = self.plan(at).await?;
        let dispatched = self.dispatch(at, Scope::Everything).await?;
        report.messages_sent = dispatched.sent;
        report.messages_failed = dispatched.failed;
        report.messages_held_by_cap = dispatched.held_by_cap;
        report.messages_expired = dispatched.expired;
        report.calls_placed = self.place_calls(at).await?;
        Ok(report)
    }

    /// Decides everything due at `at` and stores it in the outbox, without sending: inbound
    /// texts left unhandled, check-in slots, ends of programmes, reminders, missed check-ins.
    pub async fn plan(&self, at: DateTime<Utc>) -> Result<TickReport> {
        crate::error::check_instant(at)?;
        let mut report = TickReport::default();

        let unhandled: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM inbound_messages WHERE handled_as IS NULL ORDER BY id",
        )
        .fetch_all(&self.inner.pool)
        .await?;
        for inbound_id in unhandled {
            match self.handle_inbound(inbound_id, at).await {
                Ok(()) => report.inbound_retried += 1,
                Err(error) => {
                    tracing::error!(inbound_id, code = ?error.code, "inbound retry failed")
                }
            }
        }

        let due: Vec<i64> = sqlx::query_scalar(
            "SELECT e.id FROM episodes e JOIN patients p ON p.id = e.patient_id
             WHERE e.ended_at IS NULL AND p.opted_out_at IS NULL AND e.next_check_in_at <= ?
             ORDER BY e.next_check_in_at",
        )
        .bind(ts(at))
        .fetch_all(&self.inner.pool)
        .await?;
        // Episodes are planned in batches, one transaction each (a commit per episode would
        // cost a disk flush per patient); each episode runs in a savepoint of its own, so one
        // bad record is rolled back alone and the rest of the batch commits.
        for batch in due.chunks(BATCH) {
            let mut tx = self.inner.pool.begin().await?;
            for &episode_id in batch {
                // Catch up slot by slot: only a slot still worth sending is sent.
                loop {
                    let mut savepoint = (&mut tx).begin().await?;
                    match self.run_due_slot(&mut savepoint, episode_id, at).await {
                        Ok(None) => break,
                        Ok(Some(outcome)) => {
                            savepoint.commit().await?;
                            match outcome {
                                // Only a scheduler that was down has another slot due.
                                SlotOutcome::Sent { more } => {
                                    report.check_ins_sent += 1;
                                    if !more {
                                        break;
                                    }
                                }
                                SlotOutcome::Skipped { more } => {
                                    report.check_ins_skipped += 1;
                                    if !more {
                                        break;
                                    }
                                }
                                SlotOutcome::Completed => {
                                    report.episodes_completed += 1;
                                    break;
                                }
                                SlotOutcome::Waiting => break,
                            }
                        }
                        Err(error) => {
                            savepoint.rollback().await?;
                            tracing::error!(
                                episode_id,
                                error = format!("{error:#}"),
                                "slot failed"
                            );
                            break;
                        }
                    }
                }
            }
            tx.commit().await?;
        }

        let (reminders, missed) = self.follow_up_check_ins(at).await?;
        report.reminders = reminders;
        report.check_ins_missed += missed;
        Ok(report)
    }

    /// Handles the episode's next slot if it is due; `None` when nothing is due.
    async fn run_due_slot(
        &self,
        tx: &mut SqliteConnection,
        episode_id: i64,
        at: DateTime<Utc>,
    ) -> anyhow::Result<Option<SlotOutcome>> {
        let row = sqlx::query(
            "SELECT e.patient_id, e.next_check_in_at, e.ends_at, e.check_in_times, p.timezone,
                    p.conversation,
                    EXISTS (SELECT 1 FROM escalations x
                            WHERE x.patient_id = p.id AND x.status = 'open') AS escalated
             FROM episodes e JOIN patients p ON p.id = e.patient_id
             WHERE e.id = ? AND e.ended_at IS NULL AND p.opted_out_at IS NULL",
        )
        .bind(episode_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let slot = parse_ts(row.get("next_check_in_at"))?;
        if slot > at {
            return Ok(None);
        }
        let patient_id: i64 = row.get("patient_id");
        let ends = parse_ts(row.get("ends_at"))?;
        let times = CheckInTimes::parse(row.get("check_in_times")).map_err(anyhow::Error::msg)?;
        let window = self.inner.config.send_window;
        let zone = schedule::parse_zone(row.get("timezone")).map_err(|e| anyhow::anyhow!(e))?;

        if slot >= ends {
            // The final message is not urgent: it waits for the send window.
            if !window.contains_instant(zone, at) {
                return Ok(Some(SlotOutcome::Waiting));
            }
            let idle = serde_json::to_string(&Conversation::Idle)?;
            sqlx::query("UPDATE episodes SET ended_at = ?, end_reason = 'completed' WHERE id = ?")
                .bind(ts(at))
                .bind(episode_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE patients SET conversation = ? WHERE id = ?")
                .bind(idle)
                .bind(patient_id)
                .execute(&mut *tx)
                .await?;
            outbox::queue(
                &mut *tx,
                patient_id,
                Some(episode_id),
                messages::PROGRAMME_ENDED,
                Reason::Lifecycle,
                at,
            )
            .await?;
            tracing::info!(patient_id, episode_id, "programme completed");
            return Ok(Some(SlotOutcome::Completed));
        }

        let escalated: bool = row.get("escalated");
        let outcome = if escalated {
            // A nurse is handling the patient: automation pauses until staff resolve it.
            "skipped_escalation"
        } else if schedule::lateness(zone, &times, window, slot, at) == Lateness::Missed {
            "skipped_late"
        } else {
            "sent"
        };
        if outcome == "sent" {
            // A check-in still open when the next one goes out was missed.
            self.mark_missed(tx, episode_id, patient_id, None, at)
                .await?;
        }
        sqlx::query(
            "INSERT INTO check_ins (episode_id, slot_at, decided_at, outcome, status)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(episode_id)
        .bind(ts(slot))
        .bind(ts(at))
        .bind(outcome)
        .bind((outcome == "sent").then_some("open"))
        .execute(&mut *tx)
        .await?;
        if outcome == "sent" {
            let state: Conversation = serde_json::from_str(row.get("conversation"))?;
            let step = self.inner.protocol.start_check_in(&state, at);
            self.apply_step(
                &mut *tx,
                patient_id,
                episode_id,
                None,
                step,
                Reason::CheckIn,
                at,
            )
            .await?;
        }
        let next = schedule::slot_after(zone, &times, slot);
        sqlx::query("UPDATE episodes SET next_check_in_at = ? WHERE id = ?")
            .bind(ts(next))
            .bind(episode_id)
            .execute(&mut *tx)
            .await?;
        tracing::info!(patient_id, episode_id, outcome, "check-in slot");
        let more = next <= at;
        Ok(Some(if outcome == "sent" {
            SlotOutcome::Sent { more }
        } else {
            SlotOutcome::Skipped { more }
        }))
    }

    /// Reminds once, then marks missed, the check-ins that got no finished answer. Returns
    /// (reminders queued, check-ins marked missed).
    async fn follow_up_check_ins(&self, at: DateTime<Utc>) -> anyhow::Result<(u32, u32)> {
        let config = &self.inner.config;
        let remind_before = at - chrono::Duration::minutes(config.reminder_after_minutes.into());
        let mut tx = self.inner.pool.begin().await?;
        let missed_before = at - chrono::Duration::minutes(config.missed_after_minutes.into());
        let late: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT DISTINCT c.episode_id, e.patient_id FROM check_ins c
             JOIN episodes e ON e.id = c.episode_id
             WHERE c.status = 'open' AND c.decided_at <= ?",
        )
        .bind(ts(missed_before))
        .fetch_all(&mut *tx)
        .await?;
        let mut missed = 0;
        for (episode_id, patient_id) in late {
            missed += self
                .mark_missed(&mut tx, episode_id, patient_id, Some(missed_before), at)
                .await?;
        }
        // Missed ones were closed above: a reminder only goes to a check-in still worth it.
        let due: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.episode_id, e.patient_id FROM check_ins c
             JOIN episodes e ON e.id = c.episode_id JOIN patients p ON p.id = e.patient_id
             WHERE c.status = 'open' AND c.reminded_at IS NULL AND c.decided_at <= ?
               AND e.ended_at IS NULL AND p.opted_out_at IS NULL",
        )
        .bind(ts(remind_before))
        .fetch_all(&mut *tx)
        .await?;
        for &(check_in_id, episode_id, patient_id) in &due {
            sqlx::query("UPDATE check_ins SET reminded_at = ? WHERE id = ?")
                .bind(ts(at))
                .bind(check_in_id)
                .execute(&mut *tx)
                .await?;
            outbox::queue(
                &mut tx,
                patient_id,
                Some(episode_id),
                REMINDER,
                Reason::Reminder,
                at,
            )
            .await?;
            tracing::info!(patient_id, check_in_id, "reminder queued");
        }

        tx.commit().await?;
        Ok((due.len() as u32, missed))
    }

    /// Marks an episode's open check-ins missed (only those sent by `sent_before`, when given),
    /// and flags the patient for staff when the last two sent check-ins were both missed.
    async fn mark_missed(
        &self,
        tx: &mut SqliteConnection,
        episode_id: i64,
        patient_id: i64,
        sent_before: Option<DateTime<Utc>>,
        at: DateTime<Utc>,
    ) -> anyhow::Result<u32> {
        let marked = sqlx::query(
            "UPDATE check_ins SET status = 'missed', closed_at = ?3
             WHERE episode_id = ?1 AND status = 'open' AND (?2 IS NULL OR decided_at <= ?2)",
        )
        .bind(episode_id)
        .bind(sent_before.map(ts))
        .bind(ts(at))
        .execute(&mut *tx)
        .await?
        .rows_affected() as u32;
        if marked == 0 {
            return Ok(0);
        }
        let last_two: Vec<String> = sqlx::query_scalar(
            "SELECT status FROM check_ins WHERE episode_id = ? AND outcome = 'sent'
             ORDER BY slot_at DESC LIMIT 2",
        )
        .bind(episode_id)
        .fetch_all(&mut *tx)
        .await?;
        let already: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM staff_flags WHERE patient_id = ?
                            AND kind = 'missed_check_ins' AND resolved_at IS NULL)",
        )
        .bind(patient_id)
        .fetch_one(&mut *tx)
        .await?;
        if last_two.len() == 2 && last_two.iter().all(|s| s == "missed") && !already {
            crate::flags::raise(
                &mut *tx,
                Some(patient_id),
                "missed_check_ins",
                "two check-ins in a row got no answer: call the patient",
                at,
            )
            .await?;
        }
        tracing::info!(patient_id, episode_id, marked, "check-ins missed");
        Ok(marked)
    }

    /// Places every requested nurse call. Returns how many were placed.
    async fn place_calls(&self, at: DateTime<Utc>) -> anyhow::Result<u32> {
        let pending = sqlx::query(
            "SELECT c.id, c.escalation_id, c.language, p.phone, p.id AS patient_id
             FROM calls c JOIN escalations x ON x.id = c.escalation_id
             JOIN patients p ON p.id = x.patient_id
             WHERE c.status = 'pending' ORDER BY c.id",
        )
        .fetch_all(&self.inner.pool)
        .await?;
        let mut placed = 0;
        for row in pending {
            let call_id: i64 = row.get("id");
            let escalation_id: i64 = row.get("escalation_id");
            let request = CallRequest {
                idempotency_key: format!("escalation-{escalation_id}"),
                to: Sensitive::new(row.get("phone")),
                language: row.get("language"),
            };
            match self.inner.dialer.place_call(&request, at).await {
                Ok(contact_id) => {
                    sqlx::query(
                        "UPDATE calls SET status = 'placed', placed_at = ?, contact_id = ?,
                         attempts = attempts + 1 WHERE id = ?",
                    )
                    .bind(ts(at))
                    .bind(contact_id)
                    .bind(call_id)
                    .execute(&self.inner.pool)
                    .await?;
                    placed += 1;
                    tracing::info!(escalation_id, language = %request.language, "nurse call placed");
                }
                Err(error) => {
                    let status = if error.retryable { "pending" } else { "failed" };
                    sqlx::query(
                        "UPDATE calls SET status = ?, attempts = attempts + 1, last_error = ?
                         WHERE id = ?",
                    )
                    .bind(status)
                    .bind(error.code)
                    .bind(call_id)
                    .execute(&self.inner.pool)
                    .await?;
                    tracing::error!(escalation_id, code = error.code, "nurse call failed");
                    if !error.retryable {
                        let detail = format!(
                            "the nurse call for escalation {escalation_id} could not be placed \
                             ({}): call the patient",
                            error.code
                        );
                        crate::flags::raise(
                            &self.inner.pool,
                            row.get::<Option<i64>, _>("patient_id"),
                            "call_failed",
                            &detail,
                            at,
                        )
                        .await?;
                    }
                }
            }
        }
        Ok(placed)
    }

    /// Sends the answers a committed change decided, at once; automated texts are the
    /// scheduler's, so an answer never waits behind a cohort. A failure is logged and left for
    /// the scheduler's next pass: the decision itself is already stored.
    pub(crate) async fn after_commit(&self, at: DateTime<Utc>) {
        if let Err(error) = self.dispatch(at, Scope::Answers).await {
            tracing::warn!(
                error = format!("{error:#}"),
                "dispatch deferred to the scheduler"
            );
        }
        if let Err(error) = self.place_calls(at).await {
            tracing::warn!(
                error = format!("{error:#}"),
                "calls deferred to the scheduler"
            );
        }
    }

    /// Runs the scheduler with the system clock until the process ends.
    pub async fn run_scheduler(self) {
        let period = std::time::Duration::from_secs(self.inner.config.tick_seconds);
        loop {
            match self.tick(Utc::now()).await {
                Ok(report) if report != TickReport::default() => {
                    tracing::info!(?report, "scheduler pass");
                }
                Ok(_) => {}
                Err(error) => tracing::error!(code = ?error.code, "scheduler pass failed"),
            }
            tokio::time::sleep(period).await;
        }
    }
}
