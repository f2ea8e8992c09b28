import { describe, expect, it } from 'vitest';

import { toCommandError, type LanguageInfo } from './api';
import {
  checkInLabel,
  consentTextFor,
  episodeProgress,
  flagLabel,
  formatDateTime,
  languageName,
  languageOption,
  languageReview,
  missedCheckIns,
  patientLabel,
  statusLabel,
  thresholdsText,
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

describe('language review', () => {
  const reviewed: LanguageInfo = {
    ...languages[1],
    review_status: 'reviewed',
    reviewed_by: 'Dr. Marta Ruiz',
    reviewed_on: '2026-11-02',
  };

  it('marks draft languages in the choice list', () => {
    expect(languageOption(languages[1])).toBe('Español (draft texts)');
    expect(languageOption(reviewed)).toBe('Español');
  });

  it('says who reviewed the texts, or that they are a draft', () => {
    expect(languageReview(reviewed)).toBe('Texts reviewed by Dr. Marta Ruiz on 2026-11-02.');
    expect(languageReview({ ...reviewed, reviewed_by: null, reviewed_on: null })).toBe(
      'Texts reviewed by a reviewer.',
    );
    expect(languageReview(languages[1])).toMatch(/^The Español texts are a draft/);
  });
});

describe('check-ins', () => {
  it('counts missed check-ins in words', () => {
    expect(missedCheckIns(1)).toBe('1 missed check-in');
    expect(missedCheckIns(3)).toBe('3 missed check-ins');
  });

  it('reads a sent slot by its status and a skipped one by why', () => {
    expect(checkInLabel({ outcome: 'sent', status: 'finished' })).toBe('Answered');
    expect(checkInLabel({ outcome: 'sent', status: 'missed' })).toBe('Missed');
    expect(checkInLabel({ outcome: 'skipped_late', status: null })).toBe(
      'Not sent: too late in the day',
    );
    expect(checkInLabel({ outcome: 'sent', status: null })).toBe('sent');
    expect(checkInLabel({ outcome: 'held_back', status: null })).toBe('held back');
  });

  it('lists per-patient ranges, or says the protocol’s apply', () => {
    expect(thresholdsText(null)).toBe('The protocol’s');
    expect(thresholdsText({})).toBe('The protocol’s');
    expect(thresholdsText({ oxygen: { normal: [88, 100], low: [0, 87] } })).toBe(
      'oxygen normal 88–100; oxygen low 0–87',
    );
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
