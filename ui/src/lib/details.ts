/**
 * The "Edit details" form's one decision: which of the fields staff touched differ from what the
 * patient has. Only those are sent, so a field left alone never overwrites a change made
 * elsewhere in the meantime.
 */
import type { PatientUpdate } from './api';

export interface Details {
  language: string;
  timezone: string;
  /** Null when the patient has no open episode, whose times these are. */
  check_in_times: string | null;
}

/** The fields of `draft` that differ from `current` (blanks trimmed), or null when none do. */
export function changedDetails(current: Details, draft: Details): PatientUpdate | null {
  const update: PatientUpdate = {};
  const language = draft.language.trim();
  const timezone = draft.timezone.trim();
  const times = draft.check_in_times?.replace(/\s+/g, '') ?? '';

  if (language !== '' && language !== current.language) update.language = language;
  if (timezone !== '' && timezone !== current.timezone) update.timezone = timezone;
  if (current.check_in_times !== null && times !== '' && times !== current.check_in_times) {
    update.check_in_times = times;
  }
  return Object.keys(update).length === 0 ? null : update;
}
