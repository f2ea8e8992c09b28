import { describe, expect, it } from 'vitest';

import { toCommandError, type LanguageInfo } from './api';
import {
  consentTextFor,
  episodeProgress,
  flagLabel,
  formatDateTime,
  languageName,
  patientLabel,
  statusLabel,
} from './format';

const review = {
  review_status: 'draft' as const,
  reviewed_by: null,
  reviewed_on: null,
  enrollable: true,
};
const languages: LanguageInfo[] = [
  { code: 'en', name: 'English', consent_text: 'You agree to daily texts.', ...review },
  { code: 'es', name: 'Español', consent_text: 'Acepta recibir mensajes diarios.', ...review },
];

describe('formatDateTime', () => {
  it('renders an RFC 3339 instant in the given zone', () => {
    const text = formatDateTime('2026-12-04T15:30:00Z', {
      locale: 'en-US',
      timeZone: 'America/Los_Angeles',
    });
    expect(text).toContain('Dec 4, 2026');
    expect(text).toContain('7:30');
  });

  it('shows a dash for a missing time and the raw text for a malformed one', () => {
    expect(formatDateTime(null)).toBe('—');
    expect(formatDateTime('yesterday')).toBe('yesterday');
  });
});

describe('episodeProgress', () => {
  it('counts days within the episode', () => {
    expect(episodeProgress({ episode_day: 3, programme_days: 14 })).toBe('Day 3 of 14');
    expect(episodeProgress({ episode_day: 3, programme_days: null })).toBe('Day 3');
    expect(episodeProgress({ episode_day: null, programme_days: 14 })).toBe('—');
  });
});

describe('languages', () => {
  it('finds the consent text in the selected language', () => {
    expect(consentTextFor('es', languages)).toBe('Acepta recibir mensajes diarios.');
    expect(consentTextFor('vi', languages)).toBeNull();
  });

  it('names a language, falling back to its code', () => {
    expect(languageName('es', languages)).toBe('Español');
    expect(languageName('am', languages)).toBe('am');
  });
});

describe('labels', () => {
  it('names statuses the way staff say them', () => {
    expect(statusLabel('opted_out')).toBe('Opted out');
  });

  it('names flag kinds, keeping a kind it does not know', () => {
    expect(flagLabel('call_failed')).toBe('Nurse call failed');
    expect(flagLabel('something_new')).toBe('something_new');
  });

  it('falls back to the phone number for a patient without a name', () => {
    expect(patientLabel({ name: null, phone: '+12065550142' })).toBe('+12065550142');
    expect(patientLabel({ name: '  ', phone: '+12065550142' })).toBe('+12065550142');
    expect(patientLabel({ name: 'Ana', phone: '+12065550142' })).toBe('Ana');
  });
});

describe('toCommandError', () => {
  it('keeps the code and message of a command error', () => {
    expect(toCommandError({ code: 'conflict', message: 'already enrolled' })).toEqual({
      code: 'conflict',
      message: 'already enrolled',
    });
  });

  it('wraps what Tauri rejects with when arguments do not decode', () => {
    expect(toCommandError('invalid args `request`')).toEqual({
      code: 'internal',
      message: 'invalid args `request`',
    });
  });
});
