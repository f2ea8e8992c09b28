//! The console's commands: decode, check who is signed in, delegate to the service.
//!
//! Every command answers `Result<T, ServiceError>`; the error crosses IPC as `{code, message}`.
//! Arguments arrive in camelCase from the UI (`patientId`), as Tauri converts them.

use std::sync::{MutexGuard, PoisonError};

use chrono::Utc;
use homewatch_service::{
    EnrollRequest, FlagView, InboundSms, NewStaff, OutboundSms, PatientDetail, PatientSummary,
    PatientUpdate, ProgrammeInfo, ServiceError, Staff,
};
use tauri::State;

use crate::Console;

type Answer<T> = Result<T, ServiceError>;

impl Console {
    /// The signed-in staff member, or the `unauthorized` error every guarded command returns.
    fn staff(&self) -> Answer<Staff> {
        self.signed_in()
            .clone()
            .ok_or_else(|| ServiceError::unauthorized("sign in first"))
    }

    fn set_staff(&self, staff: Option<Staff>) {
        *self.signed_in() = staff;
    }

    fn signed_in(&self) -> MutexGuard<'_, Option<Staff>> {
        // A panic cannot leave an `Option<Staff>` half-written, so a poisoned lock is still sound.
        self.signed_in
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The phone simulator only exists where texts are simulated: on a real SMS channel it would
    /// let staff put words in a patient's mouth.
    fn simulator(&self) -> Answer<Staff> {
        let staff = self.staff()?;
        if !self.homewatch.programme().simulated {
            return Err(ServiceError::forbidden(
                "the phone simulator is off: this console sends real texts",
            ));
        }
        Ok(staff)
    }
}

#[tauri::command]
pub async fn needs_first_account(console: State<'_, Console>) -> Answer<bool> {
    console.homewatch.needs_first_account().await
}

/// Creates the first account of a new installation; the service refuses once one exists.
#[tauri::command]
pub async fn create_first_account(console: State<'_, Console>, account: NewStaff) -> Answer<Staff> {
    console
        .homewatch
        .create_staff(None, account, Utc::now())
        .await
}

/// A supervisor adds a colleague's account.
#[tauri::command]
pub async fn create_staff(console: State<'_, Console>, account: NewStaff) -> Answer<Staff> {
    let actor = console.staff()?;
    console
        .homewatch
        .create_staff(Some(&actor), account, Utc::now())
        .await
}

#[tauri::command]
pub async fn sign_in(
    console: State<'_, Console>,
    username: String,
    password: String,
) -> Answer<Staff> {
    let staff = console
        .homewatch
        .sign_in(&username, &password, Utc::now())
        .await?;
    console.set_staff(Some(staff.clone()));
    Ok(staff)
}

#[tauri::command]
pub fn sign_out(console: State<'_, Console>) {
    console.set_staff(None);
}

/// Who is signed in to this window, if anyone (the window may have been reloaded).
#[tauri::command]
pub fn current_staff(console: State<'_, Console>) -> Option<Staff> {
    console.signed_in().clone()
}

#[tauri::command]
pub fn programme(console: State<'_, Console>) -> Answer<ProgrammeInfo> {
    console.staff()?;
    Ok(console.homewatch.programme())
}

#[tauri::command]
pub async fn enroll(console: State<'_, Console>, request: EnrollRequest) -> Answer<PatientSummary> {
    let actor = console.staff()?;
    console.homewatch.enroll(&actor, request, Utc::now()).await
}

#[tauri::command]
pub async fn patients(console: State<'_, Console>) -> Answer<Vec<PatientSummary>> {
    console.staff()?;
    console.homewatch.patients().await
}

#[tauri::command]
pub async fn patient(console: State<'_, Console>, id: i64) -> Answer<PatientDetail> {
    console.staff()?;
    console.homewatch.patient(id).await
}

/// Staff lengthen a patient's open episode by `days`; the service checks the longest programme.
#[tauri::command]
pub async fn extend_episode(
    console: State<'_, Console>,
    patient_id: i64,
    days: u32,
) -> Answer<PatientSummary> {
    let actor = console.staff()?;
    console
        .homewatch
        .extend_episode(&actor, patient_id, days, Utc::now())
        .await
}

/// Staff change a patient's language, time zone or check-in times; absent fields stay as they
/// are. The changes apply from the next message on.
#[tauri::command]
pub async fn update_patient(
    console: State<'_, Console>,
    patient_id: i64,
    update: PatientUpdate,
) -> Answer<PatientSummary> {
    let actor = console.staff()?;
    console
        .homewatch
        .update_patient(&actor, patient_id, update, Utc::now())
        .await
}

/// Supervisors only; the service checks the role and records the reason.
#[tauri::command]
pub async fn opt_out(
    console: State<'_, Console>,
    patient_id: i64,
    reason: String,
) -> Answer<PatientSummary> {
    let actor = console.staff()?;
    console
        .homewatch
        .opt_out(&actor, patient_id, reason, Utc::now())
        .await
}

/// Staff mark an escalation handled, saying what was done; check-ins resume.
#[tauri::command]
pub async fn resolve_escalation(
    console: State<'_, Console>,
    escalation_id: i64,
    note: String,
) -> Answer<PatientSummary> {
    let actor = console.staff()?;
    console
        .homewatch
        .resolve_escalation(&actor, escalation_id, note, Utc::now())
        .await
}

/// Open flags across the programme, those about no patient (the daily cap) included.
#[tauri::command]
pub async fn open_flags(console: State<'_, Console>) -> Answer<Vec<FlagView>> {
    console.staff()?;
    console.homewatch.open_flags(None).await
}

/// Staff mark a flag (missed check-ins, an answer to review, ...) handled.
#[tauri::command]
pub async fn resolve_flag(console: State<'_, Console>, flag_id: i64) -> Answer<()> {
    let actor = console.staff()?;
    console
        .homewatch
        .resolve_flag(&actor, flag_id, Utc::now())
        .await
}

/// Phone simulator: hands the service a text as if `from` had sent it.
#[tauri::command]
pub async fn simulate_inbound_sms(
    console: State<'_, Console>,
    from: String,
    body: String,
) -> Answer<()> {
    console.simulator()?;
    let inbound = InboundSms {
        from,
        to: None,
        body,
        provider_id: None,
    };
    console.homewatch.receive_sms(inbound, Utc::now()).await
}

/// Phone simulator: what was sent to `phone`, or to everyone.
#[tauri::command]
pub async fn outbox(
    console: State<'_, Console>,
    phone: Option<String>,
) -> Answer<Vec<OutboundSms>> {
    console.simulator()?;
    console.homewatch.outbox(phone.as_deref()).await
}
