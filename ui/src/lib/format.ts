/**
 * How values from the service read on screen. Pure functions, no rules:
 * anything that decides what happens to a patient lives in the service.
 */
import type {
  CheckInView,
  ConsentMethod,
  LanguageInfo,
  PatientStatus,
  PatientSummary,
  Thresholds,
} from './api';

const STATUS_LABELS: Record<PatientStatus, string> = {
  active: 'Active',
  opted_out: 'Opted out',
  completed: 'Completed',
};

const METHOD_LABELS: Record<ConsentMethod, string> = {
  verbal: 'Verbal',
  written: 'Written',
  electronic: 'Electronic',
  sms_keyword: 'By text (opt-in keyword)',
};

export const statusLabel = (status: PatientStatus): string => STATUS_LABELS[status] ?? status;

export const consentMethodLabel = (method: ConsentMethod): string =>
  METHOD_LABELS[method] ?? method;

/** A date and time in the staff member's locale, or an em dash when there is none. */
export function formatDateTime(
  iso: string | null | undefined,
  options: { locale?: string; timeZone?: string } = {},
): string {
  if (!iso) return '—';
  const date = new Date(iso);
  // Show the raw value rather than "Invalid Date" so a bad timestamp is still readable.
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(options.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: options.timeZone,
  }).format(date);
}

/** "Day 3 of 14" for a patient in an episode, an em dash otherwise. */
export function episodeProgress(summary: Pick<PatientSummary, 'episode_day' | 'programme_days'>) {
  const { episode_day: day, programme_days: days } = summary;
  if (day == null) return '—';
  return days == null ? `Day ${day}` : `Day ${day} of ${days}`;
}

/** The language's name as the programme lists it, or its code when the programme lacks it. */
export function languageName(code: string, languages: LanguageInfo[]): string {
  return languages.find((l) => l.code === code)?.name ?? code;
}

/** A language as the choice lists show it: its name, marked when its texts are a draft. */
export const languageOption = (language: LanguageInfo): string =>
  language.review_status === 'draft' ? `${language.name} (draft texts)` : language.name;

/** Who reviewed a language's texts and when, or that they are a draft. */
export function languageReview(language: LanguageInfo): string {
  if (language.review_status === 'reviewed') {
    const on = language.reviewed_on ? ` on ${language.reviewed_on}` : '';
    return `Texts reviewed by ${language.reviewed_by ?? 'a reviewer'}${on}.`;
  }
  return `The ${language.name} texts are a draft, not yet reviewed by a clinician who speaks the language.`;
}

/** The consent wording to read to the patient, in the language chosen for them. */
export function consentTextFor(code: string, languages: LanguageInfo[]): string | null {
  return languages.find((l) => l.code === code)?.consent_text ?? null;
}

/** How staff name a patient: their name when recorded, their phone number otherwise. */
export const patientLabel = (summary: Pick<PatientSummary, 'name' | 'phone'>): string =>
  summary.name?.trim() || summary.phone;

const FLAG_LABELS: Record<string, string> = {
  missed_check_ins: 'Missed check-ins',
  needs_review: 'Answer to review',
  daily_cap: 'Daily text limit reached',
  fallback_language: 'Sent in a fallback language',
  call_failed: 'Nurse call failed',
};

/** A staff flag's kind as staff read it; unknown kinds show as they are. */
export const flagLabel = (kind: string): string => FLAG_LABELS[kind] ?? kind;

/** "2 missed check-ins"; the patient list shows it only when there are any. */
export const missedCheckIns = (count: number): string =>
  `${count} missed check-${count === 1 ? 'in' : 'ins'}`;

const CHECK_IN_LABELS: Record<string, string> = {
  open: 'Waiting for answers',
  finished: 'Answered',
  missed: 'Missed',
  needs_review: 'Handed to staff',
  skipped_late: 'Not sent: too late in the day',
  skipped_escalation: 'Not sent: escalation open',
};

/** What became of a check-in slot: its status once sent, why it was skipped otherwise. */
export function checkInLabel(checkIn: Pick<CheckInView, 'outcome' | 'status'>): string {
  const key = checkIn.outcome === 'sent' ? (checkIn.status ?? 'sent') : checkIn.outcome;
  return CHECK_IN_LABELS[key] ?? key.replaceAll('_', ' ');
}

/** "oxygen normal 88–100; pulse high 121–250", or the protocol's when none are set. */
export function thresholdsText(thresholds: Thresholds | null): string {
  const ranges = Object.entries(thresholds ?? {}).flatMap(([question, answers]) =>
    Object.entries(answers).map(([answer, [low, high]]) => `${question} ${answer} ${low}–${high}`),
  );
  return ranges.length === 0 ? 'The protocol’s' : ranges.join('; ');
}
