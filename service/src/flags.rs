//! Staff flags: what staff must look at that is not an escalation.
//!
//! Kinds: `missed_check_ins` (two check-ins in a row without a finished answer),
//! `needs_review` (answers the protocol could not read after its tries), `daily_cap` (texts the
//! sending number's daily cap held back), `fallback_language` (a text went out in the
//! programme's fallback language), `call_failed` (a nurse call could not be placed).

use chrono::{DateTime, Utc};
use sqlx::{Row as _, SqliteExecutor};

use crate::error::{Result, ServiceError};
use crate::schedule::{parse_ts, ts};
use crate::store;
use crate::views::{FlagView, Staff};
use crate::Homewatch;

/// Raises a flag.
pub(crate) async fn raise<'e>(
    executor: impl SqliteExecutor<'e>,
    patient_id: Option<i64>,
    kind: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO staff_flags (patient_id, raised_at, kind, detail) VALUES (?, ?, ?, ?)",
    )
    .bind(patient_id)
    .bind(ts(at))
    .bind(kind)
    .bind(detail)
    .execute(executor)
    .await?;
    tracing::warn!(patient_id, kind, "staff flag raised");
    Ok(())
}

/// Raises a flag unless the same kind is already open for the patient (a chatty sender must
/// not bury staff in copies).
pub(crate) async fn raise_once(
    conn: &mut sqlx::SqliteConnection,
    patient_id: i64,
    kind: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> sqlx::Result<()> {
    let open: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM staff_flags
                        WHERE patient_id = ? AND kind = ? AND resolved_at IS NULL)",
    )
    .bind(patient_id)
    .bind(kind)
    .fetch_one(&mut *conn)
    .await?;
    if open {
        return Ok(());
    }
    raise(conn, Some(patient_id), kind, detail, at).await
}

impl Homewatch {
    /// Open flags: for one patient, or all of them (programme-wide ones included) when `None`.
    pub async fn open_flags(&self, patient_id: Option<i64>) -> Result<Vec<FlagView>> {
        let rows = sqlx::query(
            "SELECT id, patient_id, raised_at, kind, detail FROM staff_flags
             WHERE resolved_at IS NULL AND (?1 IS NULL OR patient_id = ?1) ORDER BY id",
        )
        .bind(patient_id)
        .fetch_all(&self.inner.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(FlagView {
                    id: row.get("id"),
                    patient_id: row.get("patient_id"),
                    raised_at: parse_ts(row.get("raised_at"))?,
                    kind: row.get("kind"),
                    detail: row.get("detail"),
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(Into::into)
    }

    /// Staff mark a flag handled.
    pub async fn resolve_flag(&self, actor: &Staff, flag_id: i64, at: DateTime<Utc>) -> Result<()> {
        crate::error::check_actor(actor)?;
        crate::error::check_instant(at)?;
        let mut tx = self.inner.pool.begin().await?;
        let patient: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE staff_flags SET resolved_at = ?, resolved_by = ?
             WHERE id = ? AND resolved_at IS NULL RETURNING patient_id",
        )
        .bind(ts(at))
        .bind(&actor.display_name)
        .bind(flag_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(patient_id) = patient else {
            return Err(ServiceError::not_found(format!("no open flag {flag_id}")));
        };
        let detail = format!("flag {flag_id}");
        store::audit(
            &mut tx,
            &ts(at),
            actor,
            "flag_resolved",
            patient_id,
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
