//! What the service shows callers: the console over IPC, the CLI, and later HTTPS clients.
//!
//! These are transport types: plain data, serializable, exposing patient data on purpose for
//! staff screens. They are built at the boundary and never logged.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A staff member's role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Enrolls patients and follows their check-ins.
    Nurse,
    /// Also creates staff accounts and opts patients out.
    Supervisor,
}

impl Role {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Nurse => "nurse",
            Role::Supervisor => "supervisor",
        }
    }

    /// Reads the stored form.
    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "nurse" => Some(Role::Nurse),
            "supervisor" => Some(Role::Supervisor),
            _ => None,
        }
    }
}

/// A signed-in staff member, or the CLI operator acting under a name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Staff {
    /// The account id; 0 for the CLI operator, who has no account.
    pub id: i64,
    /// Sign-in name.
    pub username: String,
    /// Name shown to staff and written to the audit trail.
    pub display_name: String,
    /// What the staff member may do.
    pub role: Role,
}

impl Staff {
    /// The operator of a data directory using the CLI: acts with a supervisor's rights, and every
    /// change is audited under `name`.
    pub fn operator(name: &str) -> Staff {
        Staff {
            id: 0,
            username: "operator".into(),
            display_name: name.trim().to_string(),
            role: Role::Supervisor,
        }
    }
}

/// A new staff account.
#[derive(Clone, Deserialize)]
pub struct NewStaff {
    /// Sign-in name: letters, digits, dot, dash or underscore.
    pub username: String,
    /// Name shown to staff.
    pub display_name: String,
    /// At least 10 characters.
    pub password: String,
    /// What the account may do.
    pub role: Role,
}

/// What the console needs to know about the programme to enroll patients.
#[derive(Clone, Debug, Serialize)]
pub struct ProgrammeInfo {
    /// The protocol new enrollments follow.
    pub protocol_id: String,
    /// Its title.
    pub protocol_title: String,
    /// Languages patients can be enrolled in, with the consent text in each.
    pub languages: Vec<LanguageInfo>,
    /// Programme length when staff give none.
    pub default_days: u32,
    /// Time zone when staff give none.
    pub default_timezone: String,
    /// Local check-in times when staff give none, e.g. "10:00".
    pub check_in_times: String,
    /// Local times in which automated texts may go out, e.g. "08:00-21:00".
    pub send_window: String,
    /// Version of the consent text.
    pub consent_version: String,
    /// True on the embedded default: SMS and calls are simulated.
    pub simulated: bool,
    /// Whether enrollment is refused in languages whose texts are not reviewed.
    pub requires_reviewed_languages: bool,
}

/// One language of the programme.
#[derive(Clone, Debug, Serialize)]
pub struct LanguageInfo {
    /// Language tag, e.g. "es".
    pub code: String,
    /// Its own name, e.g. "Español".
    pub name: String,
    /// The consent text to read to the patient, in this language.
    pub consent_text: String,
    /// Whether the texts were reviewed: "draft" or "reviewed".
    pub review_status: String,
    /// Who reviewed them, when reviewed.
    pub reviewed_by: Option<String>,
    /// When (YYYY-MM-DD), when reviewed.
    pub reviewed_on: Option<String>,
    /// False when the programme refuses enrollment in unreviewed languages and this is one.
    pub enrollable: bool,
}

/// An enrollment request from staff.
#[derive(Clone, Deserialize)]
pub struct EnrollRequest {
    /// The patient's name, for staff screens only (never texted).
    pub name: Option<String>,
    /// Mobile number, in any common form; stored in E.164.
    pub phone: String,
    /// Language tag of the patient's preferred language.
    pub language: String,
    /// IANA time zone; the programme default when absent.
    pub timezone: Option<String>,
    /// Programme length in days; the protocol's default when absent.
    pub days: Option<u32>,
    /// Local check-in times, "10:00" or "10:00,18:00"; the programme's when absent.
    #[serde(default)]
    pub check_in_times: Option<String>,
    /// Per-patient numeric ranges replacing the protocol's (e.g. a lower oxygen band), as
    /// `{"question": {"answer": [low, high]}}`.
    #[serde(default)]
    pub thresholds: Option<homewatch_protocol::Thresholds>,
    /// How consent was obtained.
    pub consent: ConsentInput,
}

/// Who obtained consent and how.
#[derive(Clone, Debug, Deserialize)]
pub struct ConsentInput {
    /// The staff member who obtained it.
    pub obtained_by: String,
    /// How.
    pub method: ConsentMethod,
}

/// How consent was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    /// Read aloud and agreed to.
    Verbal,
    /// Signed on paper.
    Written,
    /// Signed on a screen.
    Electronic,
    /// The patient texted an opt-in keyword (START) after opting out.
    SmsKeyword,
}

impl ConsentMethod {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Verbal => "verbal",
            ConsentMethod::Written => "written",
            ConsentMethod::Electronic => "electronic",
            ConsentMethod::SmsKeyword => "sms_keyword",
        }
    }

    /// Reads the stored or typed form.
    pub fn parse(text: &str) -> Option<ConsentMethod> {
        match text {
            "verbal" => Some(ConsentMethod::Verbal),
            "written" => Some(ConsentMethod::Written),
            "electronic" => Some(ConsentMethod::Electronic),
            "sms_keyword" => Some(ConsentMethod::SmsKeyword),
            _ => None,
        }
    }
}

/// Where a patient stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PatientStatus {
    /// In an episode: receives check-ins.
    Active,
    /// Opted out: receives nothing until they opt back in.
    OptedOut,
    /// The last episode ran its days.
    Completed,
}

/// A line of the patient list.
#[derive(Clone, Debug, Serialize)]
pub struct PatientSummary {
    /// Patient id.
    pub id: i64,
    /// Name, when staff gave one.
    pub name: Option<String>,
    /// E.164 number.
    pub phone: String,
    /// Preferred language tag.
    pub language: String,
    /// IANA time zone.
    pub timezone: String,
    /// Where the patient stands.
    pub status: PatientStatus,
    /// Day of the open episode (1 = first day), if any.
    pub episode_day: Option<u32>,
    /// Length of the open or last episode.
    pub programme_days: Option<u32>,
    /// When the last check-in was sent.
    pub last_check_in: Option<DateTime<Utc>>,
    /// Whether an escalation is waiting for staff.
    pub open_escalation: bool,
    /// Open staff flags (missed check-ins, answers to review, ...).
    pub open_flags: u32,
    /// Check-ins of the open episode that got no finished answer.
    pub missed_check_ins: u32,
    /// Per-patient numeric ranges, when set.
    pub thresholds: Option<homewatch_protocol::Thresholds>,
}

/// Everything staff see on a patient's page.
#[derive(Clone, Debug, Serialize)]
pub struct PatientDetail {
    /// The list line.
    pub summary: PatientSummary,
    /// Enrollment episodes, newest first.
    pub episodes: Vec<EpisodeView>,
    /// Consent records, newest first.
    pub consents: Vec<ConsentView>,
    /// Messages in and out, oldest first.
    pub timeline: Vec<TimelineEntry>,
    /// Escalations, newest first.
    pub escalations: Vec<EscalationView>,
    /// Open staff flags for this patient.
    pub flags: Vec<FlagView>,
    /// Check-in slots of all episodes, newest first: sent (open, finished, missed, handed to
    /// staff) or skipped.
    pub check_ins: Vec<CheckInView>,
}

/// One check-in slot.
#[derive(Clone, Debug, Serialize)]
pub struct CheckInView {
    /// The slot's instant.
    pub slot_at: DateTime<Utc>,
    /// sent, skipped_late or skipped_escalation.
    pub outcome: String,
    /// For sent ones: open, finished, missed or needs_review.
    pub status: Option<String>,
    /// When the one reminder was queued.
    pub reminded_at: Option<DateTime<Utc>>,
}

/// Something staff must look at that is not an escalation.
#[derive(Clone, Debug, Serialize)]
pub struct FlagView {
    /// Flag id.
    pub id: i64,
    /// The patient, or `None` for a programme-wide flag.
    pub patient_id: Option<i64>,
    /// When it was raised.
    pub raised_at: DateTime<Utc>,
    /// missed_check_ins, needs_review, daily_cap, fallback_language or call_failed.
    pub kind: String,
    /// What happened, for staff.
    pub detail: String,
}

/// One enrollment episode.
#[derive(Clone, Debug, Serialize)]
pub struct EpisodeView {
    /// Episode id.
    pub id: i64,
    /// Enrollment instant.
    pub started_at: DateTime<Utc>,
    /// When the programme ends by schedule.
    pub ends_at: DateTime<Utc>,
    /// When it actually ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// `completed` or `opted_out`.
    pub end_reason: Option<String>,
    /// Programme length.
    pub programme_days: u32,
    /// Protocol followed.
    pub protocol_id: String,
    /// Local check-in times, e.g. "10:00,18:00".
    pub check_in_times: String,
}

/// One consent record.
#[derive(Clone, Debug, Serialize)]
pub struct ConsentView {
    /// When consent was given.
    pub obtained_at: DateTime<Utc>,
    /// Who obtained it.
    pub obtained_by: String,
    /// How.
    pub method: ConsentMethod,
    /// Version of the consent text.
    pub consent_version: String,
    /// Language the consent text was given in.
    pub language: String,
}

/// Which way a message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the patient.
    Inbound,
    /// To the patient.
    Outbound,
}

/// A message in the patient's timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    /// Received, or sent (queued when not sent yet).
    pub at: DateTime<Utc>,
    /// Which way.
    pub direction: Direction,
    /// The text; for a queued message, its message id until it is rendered at send time.
    pub body: String,
    /// The answer recorded from this inbound message.
    pub answer: Option<String>,
    /// The question it answered.
    pub question: Option<String>,
    /// Inbound: how it was handled; outbound: queued, sent or failed.
    pub status: String,
}

/// Staff changes to a patient's details; absent fields stay as they are. They apply from the
/// next message on: texts are rendered when sent.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PatientUpdate {
    /// New preferred language.
    pub language: Option<String>,
    /// New IANA time zone.
    pub timezone: Option<String>,
    /// New local check-in times of the open episode.
    pub check_in_times: Option<String>,
    /// New per-patient numeric ranges (an empty map returns to the protocol's).
    #[serde(default)]
    pub thresholds: Option<homewatch_protocol::Thresholds>,
}

/// An escalation's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationStatus {
    /// Waiting for staff.
    Open,
    /// Handled by staff.
    Resolved,
}

/// An escalation and its nurse call.
#[derive(Clone, Debug, Serialize)]
pub struct EscalationView {
    /// Escalation id.
    pub id: i64,
    /// When the answer that opened it arrived.
    pub opened_at: DateTime<Utc>,
    /// The protocol outcome that opened it.
    pub reason: String,
    /// Open or resolved.
    pub status: EscalationStatus,
    /// The nurse call requested for it.
    pub call: Option<CallView>,
}

/// A nurse call.
#[derive(Clone, Debug, Serialize)]
pub struct CallView {
    /// When it was placed (or requested, while pending).
    pub placed_at: DateTime<Utc>,
    /// Language the call was placed in.
    pub language: String,
    /// `pending`, `placed` or `failed`.
    pub outcome: String,
}

/// An SMS from a patient, as the gateway hands it over.
#[derive(Clone, Deserialize)]
pub struct InboundSms {
    /// Sender number, in any form.
    pub from: String,
    /// Our number it was sent to.
    pub to: Option<String>,
    /// The text.
    pub body: String,
    /// The provider's message id: the same id is handled once. Generated when absent.
    pub provider_id: Option<String>,
}

/// A text the (simulated) gateway sent or will send.
#[derive(Clone, Debug, Serialize)]
pub struct OutboundSms {
    /// Outbound message id.
    pub id: i64,
    /// E.164 number.
    pub to: String,
    /// Rendered text; the message id while still queued.
    pub body: String,
    /// When it was decided.
    pub created_at: DateTime<Utc>,
    /// When the gateway took it.
    pub sent_at: Option<DateTime<Utc>>,
    /// Protocol message id.
    pub message: String,
    /// queued, sent or failed.
    pub status: String,
}

/// What one scheduler pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TickReport {
    /// Check-ins started.
    pub check_ins_sent: u32,
    /// Slots recorded as skipped (too late, or an escalation open).
    pub check_ins_skipped: u32,
    /// Episodes that ran their days.
    pub episodes_completed: u32,
    /// Texts handed to the gateway.
    pub messages_sent: u32,
    /// Texts the gateway refused this pass (retried next pass).
    pub messages_failed: u32,
    /// Texts held back by the daily cap.
    pub messages_held_by_cap: u32,
    /// Automated texts that could not go out on their day.
    pub messages_expired: u32,
    /// Reminders queued for unanswered check-ins.
    pub reminders: u32,
    /// Check-ins marked missed.
    pub check_ins_missed: u32,
    /// Nurse calls placed.
    pub calls_placed: u32,
    /// Inbound messages handled on retry.
    pub inbound_retried: u32,
}
