//! Property tests of the schedule: for random time zones, dates across daylight-saving
//! changes, check-in times and send windows (midnight-crossing ones included), no send is ever
//! decided outside the window, no local day gets more check-ins than it has times, none is
//! skipped while the scheduler runs, and each slot yields at most one message.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use homewatch_service::schedule::{lateness, slot_after, CheckInTimes, Lateness, SendWindow};
use proptest::prelude::*;

/// Zones with daylight saving at different hours, both hemispheres, half-hour offsets, and one
/// whose clocks change at midnight.
const ZONES: &[&str] = &[
    "America/New_York",
    "America/Los_Angeles",
    "America/Santiago",
    "America/Havana",
    "Europe/London",
    "Europe/Madrid",
    "Australia/Adelaide",
    "Australia/Lord_Howe",
    "Africa/Addis_Ababa",
    "Asia/Ho_Chi_Minh",
    "Asia/Shanghai",
    "Europe/Moscow",
    "America/St_Johns",
    "Asia/Kolkata",
    "Pacific/Chatham",
    "Asia/Beirut",
    "UTC",
];

fn zone() -> impl Strategy<Value = Tz> {
    proptest::sample::select(ZONES).prop_map(|name| name.parse::<Tz>().unwrap())
}

fn time(minutes: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0).unwrap()
}

/// A send window and one or two check-in times inside it, at least 2 hours apart.
fn window_and_times() -> impl Strategy<Value = (SendWindow, CheckInTimes)> {
    (0u32..24 * 4, 8u32..20 * 4, 0u32..1000, any::<bool>()).prop_filter_map(
        "times inside the window",
        |(open_q, length_q, pick, twice)| {
            let open = open_q * 15;
            let length = length_q * 15; // 2 to 20 hours
            let close = (open + length) % (24 * 60);
            let window = SendWindow {
                open: time(open),
                close: time(close),
            };
            let first = (open + 30 + pick % (length - 60).max(1)) % (24 * 60);
            let mut texts = vec![time(first).format("%H:%M").to_string()];
            if twice && length >= 4 * 60 {
                let second = (open + 30 + (pick * 7 + 120) % (length - 60)) % (24 * 60);
                let gap = (second as i64 - first as i64).rem_euclid(24 * 60);
                if (120..=24 * 60 - 120).contains(&gap) {
                    texts.push(time(second).format("%H:%M").to_string());
                }
            }
            let times = CheckInTimes::parse(&texts.join(",")).ok()?;
            times
                .times()
                .iter()
                .all(|t| window.contains(*t))
                .then_some((window, times))
        },
    )
}

fn start() -> impl Strategy<Value = DateTime<Utc>> {
    // Any minute from 2026-01-01 to the end of 2028: every zone's changes are in range.
    (0i64..3 * 366 * 24 * 60).prop_map(|minutes| {
        Utc.from_utc_datetime(
            &NaiveDate::from_ymd_opt(2026, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap(),
        ) + Duration::minutes(minutes)
    })
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 400,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_local_day_has_its_check_ins_once_across_daylight_saving(
        zone in zone(),
        (_window, times) in window_and_times(),
        from in start(),
    ) {
        let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        let mut slot = slot_after(zone, &times, from);
        let first_day = slot.with_timezone(&zone).date_naive();
        let mut last_day = first_day;
        for _ in 0..(60 * times.times().len()) {
            let next = slot_after(zone, &times, slot);
            prop_assert!(next > slot);
            last_day = slot.with_timezone(&zone).date_naive();
            *per_day.entry(last_day).or_default() += 1;
            slot = next;
        }
        for (day, count) in &per_day {
            prop_assert!(*count <= times.times().len(), "{day}: {count} check-ins");
            if *day != first_day && *day != last_day {
                // Only a daylight-saving gap that swallows both times can merge them.
                prop_assert!(*count >= 1, "{day} was skipped");
            }
        }
        let days = (last_day - first_day).num_days() + 1;
        prop_assert_eq!(per_day.len() as i64, days, "no local day between is missing");
    }

    #[test]
    fn sends_are_only_decided_inside_the_window_and_once_per_slot(
        zone in zone(),
        (window, times) in window_and_times(),
        from in start(),
        gaps in proptest::collection::vec(1i64..40 * 60, 10..60),
    ) {
        // A scheduler that runs at random moments, with downtime of up to 40 hours.
        let mut next = slot_after(zone, &times, from);
        let mut now = from;
        let mut sent: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
        for gap in gaps {
            now += Duration::minutes(gap);
            while next <= now {
                if lateness(zone, &times, window, next, now) == Lateness::OnTime {
                    sent.push((next, now));
                }
                next = slot_after(zone, &times, next);
            }
        }
        let mut slots: Vec<_> = sent.iter().map(|(slot, _)| *slot).collect();
        slots.dedup();
        prop_assert_eq!(slots.len(), sent.len(), "a slot yielded two messages");
        let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for (slot, at) in &sent {
            prop_assert!(window.contains_instant(zone, *at), "sent at {at} outside {window}");
            let day = at.with_timezone(&zone).date_naive();
            prop_assert_eq!(day, slot.with_timezone(&zone).date_naive(), "sent on another day");
            *per_day.entry(day).or_default() += 1;
        }
        prop_assert!(per_day.values().all(|n| *n <= times.times().len()));
    }

    #[test]
    fn check_in_times_print_as_they_parse(
        (_window, times) in window_and_times(),
    ) {
        prop_assert_eq!(CheckInTimes::parse(&times.to_string()).unwrap(), times);
    }
}
