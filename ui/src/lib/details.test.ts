import { describe, expect, it } from 'vitest';

import { changedDetails, type Details } from './details';

const current: Details = {
  language: 'es',
  timezone: 'America/Los_Angeles',
  check_in_times: '10:00',
};

describe('changedDetails', () => {
  it('sends nothing when nothing changed', () => {
    expect(changedDetails(current, { ...current })).toBeNull();
    expect(changedDetails(current, { ...current, timezone: ' America/Los_Angeles ' })).toBeNull();
  });

  it('sends only the fields that differ', () => {
    expect(changedDetails(current, { ...current, language: 'en' })).toEqual({ language: 'en' });
    expect(
      changedDetails(current, {
        ...current,
        timezone: 'America/Chicago',
        check_in_times: '09:00, 18:00',
      }),
    ).toEqual({ timezone: 'America/Chicago', check_in_times: '09:00,18:00' });
  });

  it('leaves a field emptied by staff as it is', () => {
    expect(changedDetails(current, { ...current, timezone: '', check_in_times: ' ' })).toBeNull();
  });

  it('never sends check-in times for a patient without an open episode', () => {
    const ended = { ...current, check_in_times: null };
    expect(changedDetails(ended, { ...ended, check_in_times: '09:00' })).toBeNull();
  });
});
