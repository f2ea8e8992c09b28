//! Calendar arithmetic for check-ins: pure functions of time zone, times of day and instants.
//!
//! Rules, in one place:
//! - A check-in slot is one of the episode's local check-in times (once or twice a day) on a
//!   local date in the patient's IANA zone. On a daylight-saving gap the slot moves to the
//!   first instant that exists after it; on an overlap it is the earlier of the two instants.
//!   So no check-in is skipped or doubled on the change days.
//! - The first slot is the first one strictly after enrollment. A programme of `days` days
//!   with n check-in times has `days × n` check-ins; the slot after the last one is the end,
//!   when the final message goes out.
//! - After downtime a missed slot is still sent if `now` is on the slot's local date, inside
//!   the send window, and no later slot is due yet; otherwise it is recorded as skipped. A
//!   check-in sent the next morning would read as a second check-in that day, and one sent
//!   after a later slot would ask the same question twice.
//! - Automated, non-urgent texts go out only inside the send window (patient local time,
//!   default 08:00–21:00; a window may cross midnight). Replies to a patient who just wrote
//!   are not held back.

use std::fmt;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

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

/// Instants the service accepts to act at: a clock or a replay far outside this range is a
/// mistake, and storing it would break the text order of stored instants.
pub fn check_instant(at: DateTime<Utc>) -> Result<(), String> {
    use chrono::Datelike as _;
    if (2000..=2199).contains(&at.year()) {
        Ok(())
    } else {
        Err(format!(
            "the instant {} is outside the years 2000 to 2199: check the clock",
            ts(at)
        ))
    }
}

/// Parses an IANA zone name, with a message saying what to enter.
pub fn parse_zone(name: &str) -> Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        format!("{name:?} is not an IANA time zone: use a name such as America/New_York")
    })
}

/// The local times of day an episode's check-ins go out, sorted, at least one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckInTimes(Vec<NaiveTime>);

impl CheckInTimes {
    /// Parses "10:00" or "10:00,18:00": one or two different times.
    pub fn parse(text: &str) -> Result<CheckInTimes, String> {
        let mut times = text
            .split(',')
            .map(|part| {
                NaiveTime::parse_from_str(part.trim(), "%H:%M").map_err(|_| {
                    format!(
                        "check-in time {:?} is not a local time such as 10:00",
                        part.trim()
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        times.sort();
        if times.windows(2).any(|pair| pair[0] == pair[1]) {
            return Err("the same check-in time is given twice: give two different times".into());
        }
        if times.is_empty() || times.len() > 2 {
            return Err(
                "give one or two check-in times a day, such as 10:00 or 10:00,18:00".into(),
            );
        }
        Ok(CheckInTimes(times))
    }

    /// The times, earliest first.
    pub fn times(&self) -> &[NaiveTime] {
        &self.0
    }
}

impl fmt::Display for CheckInTimes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let texts: Vec<String> = self
            .0
            .iter()
            .map(|t| t.format("%H:%M").to_string())
            .collect();
        f.write_str(&texts.join(","))
    }
}

/// Local times in which automated, non-urgent texts may go out: from `open` inclusive to
/// `close` exclusive. When `close` is not after `open` the window crosses midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendWindow {
    /// First local time a text may go out.
    pub open: NaiveTime,
    /// Local time from which texts wait for the next opening.
    pub close: NaiveTime,
}

impl SendWindow {
    /// The US federal baseline for solicitations, applied to every non-urgent text.
    pub const DEFAULT: SendWindow = SendWindow {
        open: NaiveTime::from_hms_opt(8, 0, 0).expect("valid"),
        close: NaiveTime::from_hms_opt(21, 0, 0).expect("valid"),
    };

    /// Parses "08:00-21:00" (or "20:00-06:00", crossing midnight).
    pub fn parse(text: &str) -> Result<SendWindow, String> {
        let bad = || format!("send window {text:?} is not of the form 08:00-21:00");
        let (open, close) = text.split_once('-').ok_or_else(bad)?;
        let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").map_err(|_| bad());
        let window = SendWindow {
            open: time(open)?,
            close: time(close)?,
        };
        if window.open == window.close {
            return Err(format!(
                "send window {text:?} is empty: open and close differ"
            ));
        }
        Ok(window)
    }

    /// Whether a local time lies inside the window.
    pub fn contains(&self, local: NaiveTime) -> bool {
        if self.open < self.close {
            self.open <= local && local < self.close
        } else {
            local >= self.open || local < self.close
        }
    }

    /// Whether an instant lies inside the window in a zone.
    pub fn contains_instant(&self, zone: Tz, at: DateTime<Utc>) -> bool {
        self.contains(at.with_timezone(&zone).time())
    }
}

impl fmt::Display for SendWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}-{}",
            self.open.format("%H:%M"),
            self.close.format("%H:%M")
        )
    }
}

/// The instant of a local time on a local date.
pub fn slot_on(zone: Tz, date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let local = date.and_time(time);
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

/// The first slot strictly after `after`.
pub fn slot_after(zone: Tz, times: &CheckInTimes, after: DateTime<Utc>) -> DateTime<Utc> {
    let mut date = after.with_timezone(&zone).date_naive();
    // The previous local date too: a slot moved forward by a gap can fall on the next date.
    date = date.pred_opt().unwrap_or(date);
    loop {
        for &time in times.times() {
            let slot = slot_on(zone, date, time);
            if slot > after {
                return slot;
            }
        }
        date = date.succ_opt().expect("date in range");
    }
}

/// When an episode whose first slot is `first` ends: the slot after its `days × n` check-ins.
pub fn episode_end(
    zone: Tz,
    times: &CheckInTimes,
    first: DateTime<Utc>,
    days: u32,
) -> DateTime<Utc> {
    let check_ins = days as usize * times.times().len();
    (0..check_ins).fold(first, |slot, _| slot_after(zone, times, slot))
}

/// Whether a due slot is still worth sending at `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lateness {
    /// Send it now.
    OnTime,
    /// Too late: record it as skipped.
    Missed,
}

/// Decides a due slot (`slot <= now`) by the rule in the module docs.
pub fn lateness(
    zone: Tz,
    times: &CheckInTimes,
    window: SendWindow,
    slot: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Lateness {
    let same_day = slot.with_timezone(&zone).date_naive() == now.with_timezone(&zone).date_naive();
    let superseded = slot_after(zone, times, slot) <= now;
    if same_day && !superseded && window.contains_instant(zone, now) {
        Lateness::OnTime
    } else {
        Lateness::Missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        parse_ts(text).unwrap()
    }

    fn times(text: &str) -> CheckInTimes {
        CheckInTimes::parse(text).unwrap()
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
    fn check_in_times_and_windows_parse_or_say_what_to_write() {
        assert_eq!(times("18:00, 10:00").to_string(), "10:00,18:00");
        assert!(CheckInTimes::parse("10").unwrap_err().contains("10:00"));
        assert!(CheckInTimes::parse("8:00,12:00,18:00")
            .unwrap_err()
            .contains("one or two"));
        let night = SendWindow::parse("20:00-06:00").unwrap();
        assert!(night.contains(NaiveTime::from_hms_opt(23, 0, 0).unwrap()));
        assert!(night.contains(NaiveTime::from_hms_opt(5, 59, 0).unwrap()));
        assert!(!night.contains(NaiveTime::from_hms_opt(12, 0, 0).unwrap()));
        assert!(SendWindow::parse("08:00").is_err());
        assert!(SendWindow::parse("08:00-08:00").is_err());
    }

    #[test]
    fn first_slot_is_today_before_the_time_and_tomorrow_after_it() {
        let zone: Tz = "America/New_York".parse().unwrap();
        let ten = times("10:00");
        // 09:00 EST is 14:00 UTC.
        assert_eq!(
            slot_after(zone, &ten, utc("2026-12-04T14:00:00Z")),
            utc("2026-12-04T15:00:00Z")
        );
        assert_eq!(
            slot_after(zone, &ten, utc("2026-12-04T15:00:00Z")),
            utc("2026-12-05T15:00:00Z")
        );
        let twice = times("10:00,18:00");
        assert_eq!(
            slot_after(zone, &twice, utc("2026-12-04T15:00:00Z")),
            utc("2026-12-04T23:00:00Z")
        );
    }

    #[test]
    fn slots_keep_local_time_across_daylight_saving_changes() {
        let zone: Tz = "America/New_York".parse().unwrap();
        // Clocks go forward on 2027-03-14: 10:00 EST then 10:00 EDT.
        let ten = times("10:00");
        assert_eq!(
            slot_after(zone, &ten, utc("2027-03-13T15:00:00Z")),
            utc("2027-03-14T14:00:00Z")
        );
        // A 02:30 slot on the gap day moves to 03:00 EDT, and is not doubled the next day.
        let early = times("02:30");
        let gap = slot_after(zone, &early, utc("2027-03-13T08:00:00Z"));
        assert_eq!(gap, utc("2027-03-14T07:00:00Z"));
        assert_eq!(slot_after(zone, &early, gap), utc("2027-03-15T06:30:00Z"));
        // Clocks go back on 2026-11-01: 01:30 happens twice; the earlier one is taken, once.
        let overlap_time = times("01:30");
        let overlap = slot_after(zone, &overlap_time, utc("2026-10-31T12:00:00Z"));
        assert_eq!(overlap, utc("2026-11-01T05:30:00Z"));
        assert_eq!(
            slot_after(zone, &overlap_time, overlap),
            utc("2026-11-02T06:30:00Z")
        );
    }

    #[test]
    fn episode_ends_the_given_number_of_local_days_after_the_first_slot() {
        let zone: Tz = "Europe/Madrid".parse().unwrap();
        let first = utc("2026-12-05T09:00:00Z");
        assert_eq!(
            episode_end(zone, &times("10:00"), first, 14),
            utc("2026-12-19T09:00:00Z")
        );
    }

    #[test]
    fn a_missed_slot_is_sent_only_the_same_local_day_inside_the_window_and_not_superseded() {
        let zone: Tz = "America/Los_Angeles".parse().unwrap();
        let (ten, window) = (times("10:00"), SendWindow::DEFAULT);
        let slot = utc("2026-12-04T18:00:00Z"); // 10:00 PST
        let decide = |times: &CheckInTimes, now| lateness(zone, times, window, slot, utc(now));
        assert_eq!(decide(&ten, "2026-12-04T23:00:00Z"), Lateness::OnTime); // 15:00
        assert_eq!(decide(&ten, "2026-12-05T05:30:00Z"), Lateness::Missed); // 21:30
        assert_eq!(decide(&ten, "2026-12-05T18:00:00Z"), Lateness::Missed); // next day
                                                                            // Twice a day: at 18:30 the 10:00 slot is superseded by the 18:00 one.
        let twice = times("10:00,18:00");
        assert_eq!(decide(&twice, "2026-12-04T23:00:00Z"), Lateness::OnTime); // 15:00
        assert_eq!(decide(&twice, "2026-12-05T02:30:00Z"), Lateness::Missed); // 18:30
    }
}
