//! Calendar arithmetic for check-ins: pure functions of time zone, hour and instants.
//!
//! Rules, in one place:
//! - A check-in slot is the configured local hour on a local date in the patient's IANA zone.
//!   On a daylight-saving gap the slot moves to the first instant that exists after it; on an
//!   overlap it is the earlier of the two instants. So no day is skipped or doubled.
//! - The first slot is the first one strictly after enrollment; the episode ends at the slot
//!   `programme_days` days after the first, which is when the final message goes out.
//! - After downtime a missed slot is still sent if `now` is on the slot's local date and inside
//!   the send window; otherwise it is recorded as skipped (a late check-in on the next morning
//!   would read as a second check-in that day).

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Local hours in which automated, non-urgent texts may go out: from `SEND_WINDOW.0` inclusive
/// to `SEND_WINDOW.1` exclusive (the US federal baseline of 8 a.m. to 9 p.m.).
pub const SEND_WINDOW: (u32, u32) = (8, 21);

/// Formats an instant the way the database stores it: text order is time order.
pub fn ts(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// Reads an instant stored by [`ts`].
pub fn parse_ts(text: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)
        .map_err(|e| anyhow::anyhow!("stored instant {text:?} is not RFC 3339: {e}"))?
        .with_timezone(&Utc))
}

/// Parses an IANA zone name, with a message saying what to enter.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        format!("{name:?} is not an IANA time zone: use a name such as America/New_York")
    })
}

/// The instant of the check-in hour on a local date.
pub fn slot_on(zone: Tz, date: NaiveDate, hour: u32) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("hour below 24"));
    match zone.from_local_datetime(&local) {
        LocalResult::Single(at) => at.with_timezone(&Utc),
        LocalResult::Ambiguous(earlier, _) => earlier.with_timezone(&Utc),
        // A gap: walk forward a minute at a time to the first local time that exists.
        LocalResult::None => (1..=24 * 60)
            .find_map(|minutes| {
                zone.from_local_datetime(&(local + Duration::minutes(minutes)))
                    .earliest()
            })
            .expect("a daylight-saving gap is shorter than a day")
            .with_timezone(&Utc),
    }
}

/// The first check-in slot strictly after `enrolled_at`.
pub fn first_slot(zone: Tz, hour: u32, enrolled_at: DateTime<Utc>) -> DateTime<Utc> {
    let today = enrolled_at.with_timezone(&zone).date_naive();
    let slot = slot_on(zone, today, hour);
    if slot > enrolled_at {
        slot
    } else {
        slot_on(zone, today.succ_opt().expect("date in range"), hour)
    }
}

/// The slot on the local day after `slot`'s.
pub fn next_slot(zone: Tz, hour: u32, slot: DateTime<Utc>) -> DateTime<Utc> {
    let date = slot.with_timezone(&zone).date_naive();
    slot_on(zone, date.succ_opt().expect("date in range"), hour)
}

/// When an episode whose first slot is `first` ends: `days` local days later, at the hour.
pub fn episode_end(zone: Tz, hour: u32, first: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let date = first.with_timezone(&zone).date_naive() + Duration::days(i64::from(days));
    slot_on(zone, date, hour)
}

/// Whether a due slot is still worth sending at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lateness {
    /// On the slot's local date and inside the send window: send it.
    OnTime,
    /// Too late: record it as skipped.
    Missed,
}

/// Decides a due slot (`slot <= now`) by the rule in the module docs.
pub fn lateness(zone: Tz, slot: DateTime<Utc>, now: DateTime<Utc>) -> Lateness {
    let slot_local = slot.with_timezone(&zone);
    let now_local = now.with_timezone(&zone);
    let same_day = slot_local.date_naive() == now_local.date_naive();
    if same_day && in_send_window(now_local.hour()) {
        Lateness::OnTime
    } else {
        Lateness::Missed
    }
}

/// Whether a local hour lies in [`SEND_WINDOW`].
pub fn in_send_window(hour: u32) -> bool {
    (SEND_WINDOW.0..SEND_WINDOW.1).contains(&hour)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        parse_ts(text).unwrap()
    }

    #[test]
    fn stored_instants_round_trip_and_sort_as_text() {
        let a = utc("2026-12-04T10:00:00Z");
        let b = a + Duration::milliseconds(5);
        assert_eq!(ts(a), "2026-12-04T10:00:00.000Z");
        assert_eq!(parse_ts(&ts(b)).unwrap(), b);
        assert!(ts(a) < ts(b));
    }

    #[test]
    fn first_slot_is_today_before_the_hour_and_tomorrow_after_it() {
        let zone: Tz = "America/New_York".parse().unwrap();
        // 09:00 EST is 14:00 UTC.
        assert_eq!(
            first_slot(zone, 10, utc("2026-12-04T14:00:00Z")),
            utc("2026-12-04T15:00:00Z")
        );
        assert_eq!(
            first_slot(zone, 10, utc("2026-12-04T15:00:00Z")),
            utc("2026-12-05T15:00:00Z")
        );
    }

    #[test]
    fn slots_keep_local_time_across_daylight_saving_changes() {
        let zone: Tz = "America/New_York".parse().unwrap();
        // Clocks go forward on 2027-03-14: 10:00 EST then 10:00 EDT.
        let before = utc("2027-03-13T15:00:00Z");
        assert_eq!(next_slot(zone, 10, before), utc("2027-03-14T14:00:00Z"));
        // A 02:00 slot on the gap day moves to 03:00 EDT, and is not doubled next day.
        let gap = slot_on(zone, NaiveDate::from_ymd_opt(2027, 3, 14).unwrap(), 2);
        assert_eq!(gap, utc("2027-03-14T07:00:00Z"));
        assert_eq!(next_slot(zone, 2, gap), utc("2027-03-15T06:00:00Z"));
        // Clocks go back on 2026-11-01: 01:00 happens twice; the earlier one is taken.
        let overlap = slot_on(zone, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(), 1);
        assert_eq!(overlap, utc("2026-11-01T05:00:00Z"));
    }

    #[test]
    fn episode_ends_the_given_number_of_local_days_after_the_first_slot() {
        let zone: Tz = "Europe/Madrid".parse().unwrap();
        let first = utc("2026-12-05T09:00:00Z");
        assert_eq!(
            episode_end(zone, 10, first, 14),
            utc("2026-12-19T09:00:00Z")
        );
    }

    #[test]
    fn a_missed_slot_is_sent_only_the_same_local_day_inside_the_window() {
        let zone: Tz = "America/Los_Angeles".parse().unwrap();
        let slot = utc("2026-12-04T18:00:00Z"); // 10:00 PST
        assert_eq!(
            lateness(zone, slot, utc("2026-12-04T23:00:00Z")),
            Lateness::OnTime
        ); // 15:00
        assert_eq!(
            lateness(zone, slot, utc("2026-12-05T05:30:00Z")),
            Lateness::Missed
        ); // 21:30
        assert_eq!(
            lateness(zone, slot, utc("2026-12-05T18:00:00Z")),
            Lateness::Missed
        ); // next day
    }
}
