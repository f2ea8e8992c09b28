//! The outside world the service talks to, behind traits: an SMS gateway and a nurse dialer.
//!
//! The embedded default uses the simulated ones below, which store what they "sent" in the
//! database so that the console's phone simulator and the CLI's `outbox` can show it.
//! AWS adapters (End User Messaging SMS, Connect) implement the same traits.

use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use sqlx::SqlitePool;

use crate::schedule::ts;
use crate::sensitive::Sensitive;

/// A boxed future, so the traits can be used as `dyn`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A text to hand to the gateway.
pub struct OutgoingSms {
    /// Stable per outbound message: a gateway that sees it twice sends once.
    pub idempotency_key: String,
    /// E.164 destination.
    pub to: Sensitive<String>,
    /// Rendered text.
    pub body: Sensitive<String>,
}

/// Why a send or call failed, classified once.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct GatewayError {
    /// Stable code staff can look up.
    pub code: &'static str,
    /// Worth trying again later.
    pub retryable: bool,
    /// What happened, without patient data.
    pub detail: String,
}

/// Sends SMS.
pub trait SmsGateway: Send + Sync {
    /// Sends one text; returns the provider's message id.
    fn send<'a>(
        &'a self,
        sms: &'a OutgoingSms,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<String, GatewayError>>;
}

/// A nurse call to place for an escalation.
pub struct CallRequest {
    /// Stable per escalation (Connect's `ClientToken`): placed once however often retried.
    pub idempotency_key: String,
    /// E.164 number of the patient.
    pub to: Sensitive<String>,
    /// Patient's language, so the call is routed to a nurse who speaks it.
    pub language: String,
}

/// Places nurse calls.
pub trait Dialer: Send + Sync {
    /// Places a call; returns the provider's contact id.
    fn place_call<'a>(
        &'a self,
        call: &'a CallRequest,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<String, GatewayError>>;
}

/// The embedded default's SMS gateway: records each text in `simulated_sms`, once per key.
pub struct SimulatedSms {
    pool: SqlitePool,
}

impl SimulatedSms {
    /// A gateway writing to the service's database.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

impl SmsGateway for SimulatedSms {
    fn send<'a>(
        &'a self,
        sms: &'a OutgoingSms,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO simulated_sms (idempotency_key, to_phone, body, sent_at)
                 VALUES (?, ?, ?, ?)
                 ON CONFLICT (idempotency_key) DO UPDATE SET attempts = attempts + 1",
            )
            .bind(&sms.idempotency_key)
            .bind(sms.to.expose())
            .bind(sms.body.expose())
            .bind(ts(at))
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
            Ok(format!("sim-{}", sms.idempotency_key))
        })
    }
}

/// The embedded default's dialer: records each call in `simulated_calls`, once per key.
pub struct SimulatedDialer {
    pool: SqlitePool,
}

impl SimulatedDialer {
    /// A dialer writing to the service's database.
    pub fn new(pool: SqlitePool) -> Self {
        Self { pool }
    }
}

impl Dialer for SimulatedDialer {
    fn place_call<'a>(
        &'a self,
        call: &'a CallRequest,
        at: DateTime<Utc>,
    ) -> BoxFuture<'a, Result<String, GatewayError>> {
        Box::pin(async move {
            sqlx::query(
                "INSERT INTO simulated_calls (idempotency_key, to_phone, language, placed_at)
                 VALUES (?, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING",
            )
            .bind(&call.idempotency_key)
            .bind(call.to.expose())
            .bind(&call.language)
            .bind(ts(at))
            .execute(&self.pool)
            .await
            .map_err(unavailable)?;
            Ok(format!("sim-call-{}", call.idempotency_key))
        })
    }
}

fn unavailable(error: sqlx::Error) -> GatewayError {
    GatewayError {
        code: "simulator_unavailable",
        retryable: true,
        detail: format!("the simulated gateway could not record the message: {error}"),
    }
}
