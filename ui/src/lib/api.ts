// TODO(bindings): generate these types from Rust (ts-rs) so they cannot drift
/**
 * One typed function per console command. Each mirrors a `#[tauri::command]` in
 * `src-tauri/src/commands.rs`; the types mirror `homewatch_service`'s serialized shapes.
 * Timestamps arrive as RFC 3339 strings.
 */
import { invoke } from '@tauri-apps/api/core';

export type ErrorCode =
  'invalid_input' | 'not_found' | 'unauthorized' | 'forbidden' | 'conflict' | 'internal';

/** The one error shape every command rejects with. */
export interface CommandError {
  code: ErrorCode;
  message: string;
}

export type Role = 'nurse' | 'supervisor';

export interface Staff {
  id: number;
  username: string;
  display_name: string;
  role: Role;
}

export interface NewStaff {
  username: string;
  display_name: string;
  password: string;
  role: Role;
}

export interface LanguageInfo {
  code: string;
  name: string;
  consent_text: string;
  /** Whether the texts in this language were reviewed: "draft" or "reviewed". */
  review_status: 'draft' | 'reviewed';
  reviewed_by: string | null;
  reviewed_on: string | null;
  /** False when the programme enrolls only in reviewed languages and this is a draft. */
  enrollable: boolean;
}

export interface ProgrammeInfo {
  protocol_id: string;
  protocol_title: string;
  languages: LanguageInfo[];
  default_days: number;
  default_timezone: string;
  /** Local check-in times when staff give none, e.g. "10:00" or "10:00,18:00". */
  check_in_times: string;
  /** Local times in which automated texts may go out, e.g. "08:00-21:00". */
  send_window: string;
  consent_version: string;
  simulated: boolean;
  /** Whether enrollment is refused in languages whose texts are not reviewed. */
  requires_reviewed_languages: boolean;
}

/** `sms_keyword`: the patient opted back in by text; staff never choose it. */
export type ConsentMethod = 'verbal' | 'written' | 'electronic' | 'sms_keyword';

export interface ConsentInput {
  obtained_by: string;
  method: ConsentMethod;
}

export interface EnrollRequest {
  name: string | null;
  phone: string;
  language: string;
  timezone: string | null;
  days: number | null;
  check_in_times: string | null;
  consent: ConsentInput;
}

export type PatientStatus = 'active' | 'opted_out' | 'completed';

/**
 * Per-patient numeric ranges replacing the protocol's, keyed by question id, then answer id; each
 * range `[low, high]` is inclusive.
 */
export type Thresholds = Record<string, Record<string, [number, number]>>;

export interface PatientSummary {
  id: number;
  name: string | null;
  phone: string;
  language: string;
  timezone: string;
  status: PatientStatus;
  episode_day: number | null;
  programme_days: number | null;
  last_check_in: string | null;
  open_escalation: boolean;
  /** Open staff flags (missed check-ins, answers to review, ...). */
  open_flags: number;
  /** Check-ins of the open episode that got no finished answer. */
  missed_check_ins: number;
  /** Per-patient numeric ranges, when set; the protocol's apply otherwise. */
  thresholds: Thresholds | null;
}

/** Staff changes to a patient's details; absent fields stay as they are. */
export interface PatientUpdate {
  language?: string;
  timezone?: string;
  /** Local check-in times of the open episode, e.g. "10:00" or "10:00,18:00". */
  check_in_times?: string;
  /** An empty object returns to the protocol's ranges. */
  thresholds?: Thresholds;
}

export interface EpisodeView {
  id: number;
  started_at: string;
  ends_at: string;
  ended_at: string | null;
  end_reason: string | null;
  programme_days: number;
  protocol_id: string;
  check_in_times: string;
}

export interface ConsentView {
  obtained_at: string;
  obtained_by: string;
  method: ConsentMethod;
  consent_version: string;
  language: string;
}

export type Direction = 'inbound' | 'outbound';

export interface TimelineEntry {
  at: string;
  direction: Direction;
  body: string;
  answer: string | null;
  question: string | null;
  status: string;
}

export type EscalationStatus = 'open' | 'resolved';

export interface CallView {
  placed_at: string;
  language: string;
  outcome: string;
}

export interface EscalationView {
  id: number;
  opened_at: string;
  reason: string;
  status: EscalationStatus;
  call: CallView | null;
}

/** Something staff must look at that is not an escalation. */
export interface FlagView {
  id: number;
  patient_id: number | null;
  raised_at: string;
  /** missed_check_ins, needs_review, daily_cap, fallback_language or call_failed. */
  kind: string;
  detail: string;
}

/** One check-in slot. */
export interface CheckInView {
  slot_at: string;
  /** sent, skipped_late or skipped_escalation. */
  outcome: string;
  /** For sent ones: open, finished, missed or needs_review. */
  status: string | null;
  /** When the one reminder was queued. */
  reminded_at: string | null;
}

export interface PatientDetail {
  summary: PatientSummary;
  episodes: EpisodeView[];
  consents: ConsentView[];
  timeline: TimelineEntry[];
  escalations: EscalationView[];
  flags: FlagView[];
  /** Check-in slots of all episodes, newest first. */
  check_ins: CheckInView[];
}

export interface OutboundSms {
  id: number;
  to: string;
  body: string;
  created_at: string;
  sent_at: string | null;
  message: string;
  status: string;
}

/**
 * Turns whatever a command rejected with into a `CommandError`. Commands reject with
 * `{code, message}`; Tauri itself rejects with a plain string when it cannot decode the arguments.
 */
export function toCommandError(raw: unknown): CommandError {
  if (typeof raw === 'object' && raw !== null && 'code' in raw && 'message' in raw) {
    const { code, message } = raw as { code: unknown; message: unknown };
    return { code: String(code) as ErrorCode, message: String(message) };
  }
  if (raw instanceof Error) return { code: 'internal', message: raw.message };
  return { code: 'internal', message: String(raw) };
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toCommandError(raw);
  }
}

/** True until the first staff account exists on this installation. */
export const needsFirstAccount = () => call<boolean>('needs_first_account');

/** Creates the first account (a supervisor) on a new installation. */
export const createFirstAccount = (account: NewStaff) =>
  call<Staff>('create_first_account', { account });

/** A supervisor adds a colleague's account. */
export const createStaff = (account: NewStaff) => call<Staff>('create_staff', { account });

export const signIn = (username: string, password: string) =>
  call<Staff>('sign_in', { username, password });

export const signOut = () => call<void>('sign_out');

/** The staff member signed in to this window, if any. */
export const currentStaff = () => call<Staff | null>('current_staff');

export const programme = () => call<ProgrammeInfo>('programme');

export const enroll = (request: EnrollRequest) => call<PatientSummary>('enroll', { request });

export const patients = () => call<PatientSummary[]>('patients');

export const patient = (id: number) => call<PatientDetail>('patient', { id });

/** Lengthens the patient's open episode by `days`. */
export const extendEpisode = (patientId: number, days: number) =>
  call<PatientSummary>('extend_episode', { patientId, days });

/** Changes the patient's language, time zone or check-in times, from the next message on. */
export const updatePatient = (patientId: number, update: PatientUpdate) =>
  call<PatientSummary>('update_patient', { patientId, update });

/** Supervisors only; the service records the reason in the audit trail. */
export const optOut = (patientId: number, reason: string) =>
  call<PatientSummary>('opt_out', { patientId, reason });

/** Marks an escalation handled; automated check-ins for the patient resume. */
export const resolveEscalation = (escalationId: number, note: string) =>
  call<PatientSummary>('resolve_escalation', { escalationId, note });

/** Open flags across all patients, including those about no patient (the daily text limit). */
export const openFlags = () => call<FlagView[]>('open_flags');

/** Marks a staff flag handled. */
export const resolveFlag = (flagId: number) => call<void>('resolve_flag', { flagId });

/** Phone simulator: delivers a text as if the patient had sent it from `from`. */
export const simulateInboundSms = (from: string, body: string) =>
  call<void>('simulate_inbound_sms', { from, body });

/** Phone simulator: what the programme sent, to one phone or to all. */
export const outbox = (phone: string | null) => call<OutboundSms[]>('outbox', { phone });
