//! Sending at the carrier's pace: a token bucket per origination number, counted in message
//! parts (AWS counts parts: a two-part UCS-2 text costs two).
//!
//! The bucket is kept as its "theoretical arrival time" (the generic cell-rate form of a token
//! bucket): each reservation of `parts` starts no earlier than the previous one plus its cost
//! `parts / rate`, less the burst tolerance. With the default burst of one part no credit
//! builds up while idle, so a large cohort goes out at the rate with no burst above it.
//!
//! A multi-part text sends all its parts at once, so the bucket alone could let the parts of
//! one second reach `rate + parts - 1`. A log of the last second's sends closes that gap: a
//! text also waits until the parts sent in the second before it leave room for its own (a text
//! with more parts than the rate goes alone). Time is whole microseconds so that rounding
//! never lets one part too many into a second.

use std::collections::VecDeque;

/// Microseconds per second.
const MICROS: i64 = 1_000_000;

/// A token bucket for one origination number.
#[derive(Clone, Debug)]
pub struct TokenBucket {
    /// Microseconds one part costs.
    cost: i64,
    /// How far ahead of the rate a reservation may start, in microseconds.
    tolerance: i64,
    /// When the bucket is next empty of debt: the earliest instant a zero-tolerance send starts.
    next_free: i64,
    /// Whole parts allowed in any one second.
    per_second: u32,
    /// Sends of the last second: (start, parts).
    recent: VecDeque<(i64, u32)>,
    /// Parts in `recent`.
    recent_parts: u32,
}

impl TokenBucket {
    /// A bucket for `parts_per_second` (up to 10,000) with room for `burst` parts at once (at
    /// least 1, and never more than the rate allows in one second).
    pub fn new(parts_per_second: f64, burst: u32) -> TokenBucket {
        let rate = parts_per_second.clamp(0.001, 10_000.0);
        let cost = ((MICROS as f64) / rate).ceil() as i64;
        TokenBucket {
            cost,
            tolerance: cost * i64::from(burst.max(1) - 1),
            next_free: i64::MIN,
            // A burst never lets one second exceed the rate: the window caps it.
            per_second: (rate.floor() as u32).max(1),
            recent: VecDeque::new(),
            recent_parts: 0,
        }
    }

    /// Reserves `parts` at `now_micros` (any monotonic clock); returns when they may be sent
    /// (`now_micros` or later). The reservation is kept: call it once per text.
    pub fn reserve(&mut self, parts: u32, now_micros: i64) -> i64 {
        let start = self.earliest(parts, now_micros);
        self.record(parts, start);
        start
    }

    /// The earliest instant at or after `now_micros` that `parts` may be sent, reserving
    /// nothing: a sender sleeps until then, then calls [`TokenBucket::record`] with the instant
    /// it really sends at (a late wake-up must not squeeze the next text closer).
    pub fn earliest(&self, parts: u32, now_micros: i64) -> i64 {
        let parts = parts.max(1);
        let room = self.per_second.max(parts);
        let mut start = now_micros.max(self.next_free.saturating_sub(self.tolerance));
        let mut in_window = self.recent_parts;
        let mut oldest = 0;
        loop {
            while let Some(&(at, sent)) = self.recent.get(oldest) {
                if at > start - MICROS {
                    break;
                }
                in_window -= sent;
                oldest += 1;
            }
            match self.recent.get(oldest) {
                Some(&(at, _)) if in_window + parts > room => start = at + MICROS,
                _ => return start,
            }
        }
    }

    /// Records that `parts` were sent at `at_micros`.
    pub fn record(&mut self, parts: u32, at_micros: i64) {
        let parts = parts.max(1);
        while let Some(&(at, sent)) = self.recent.front() {
            if at > at_micros - MICROS {
                break;
            }
            self.recent.pop_front();
            self.recent_parts -= sent;
        }
        self.recent.push_back((at_micros, parts));
        self.recent_parts += parts;
        self.next_free = at_micros.max(self.next_free) + self.cost * i64::from(parts);
    }
}

/// The most parts sent in any window of one second, given (send time in µs, parts) in time
/// order: the measure of pacing accuracy.
pub fn max_parts_in_any_second(sends: &[(i64, u32)]) -> u32 {
    let mut best = 0;
    let mut window = 0u32;
    let mut first = 0;
    for (index, &(at, parts)) in sends.iter().enumerate() {
        window += parts;
        while sends[first].0 <= at - MICROS {
            window -= sends[first].1;
            first += 1;
        }
        best = best.max(window);
        debug_assert!(first <= index);
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(rate: f64, burst: u32, parts: &[u32]) -> Vec<(i64, u32)> {
        let mut bucket = TokenBucket::new(rate, burst);
        parts.iter().map(|&p| (bucket.reserve(p, 0), p)).collect()
    }

    #[test]
    fn single_part_texts_never_exceed_the_rate_in_any_second() {
        let sends = schedule(20.0, 1, &[1; 1000]);
        assert_eq!(max_parts_in_any_second(&sends), 20);
        // 1000 parts at 20 a second: the last starts at 49.95 s.
        assert_eq!(sends.last().unwrap().0, 999 * 50_000);
    }

    #[test]
    fn a_two_part_text_costs_two_tokens() {
        let sends = schedule(1.0, 1, &[2, 1, 1]);
        let starts: Vec<i64> = sends.iter().map(|s| s.0).collect();
        assert_eq!(starts, [0, 2 * MICROS, 3 * MICROS]);
    }

    #[test]
    fn idle_time_builds_no_credit_beyond_the_burst() {
        let mut bucket = TokenBucket::new(10.0, 1);
        assert_eq!(bucket.reserve(1, 0), 0);
        // After a long idle period the next text goes at once, but the one after waits.
        let later = 60 * MICROS;
        assert_eq!(bucket.reserve(1, later), later);
        assert_eq!(bucket.reserve(1, later), later + 100_000);
    }

    #[test]
    fn a_burst_allows_that_many_parts_at_once_then_the_rate() {
        let sends = schedule(10.0, 5, &[1; 8]);
        let at_zero = sends.iter().filter(|s| s.0 == 0).count();
        assert_eq!(at_zero, 5);
        assert_eq!(sends[5].0, 100_000);
    }

    #[test]
    fn multi_part_texts_never_push_a_second_over_the_rate() {
        // Mixed one-, two- and three-part texts at rates from 1 to 50 parts a second.
        let mut seed = 0x2545_F491_u64;
        for rate in [1.0, 2.5, 3.0, 7.0, 20.0, 50.0] {
            let parts: Vec<u32> = (0..2000)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    1 + (seed >> 33) as u32 % 3
                })
                .collect();
            let sends = schedule(rate, 1, &parts);
            let limit = (rate as u32).max(3);
            assert!(max_parts_in_any_second(&sends) <= limit, "rate {rate}");
            // And the pace holds: all parts out in about parts / rate seconds.
            // Texts that do not fill a second exactly leave some room unused: within 10% at
            // 20 parts a second and more.
            if rate >= 20.0 {
                let total: u32 = parts.iter().sum();
                let seconds = sends.last().unwrap().0 as f64 / 1e6;
                assert!(
                    seconds <= f64::from(total) / rate * 1.1,
                    "rate {rate}: {seconds} s"
                );
            }
        }
    }

    #[test]
    fn the_window_measure_counts_a_sliding_second() {
        let sends = [
            (0, 1),
            (500_000, 2),
            (999_999, 1),
            (1_000_000, 1),
            (1_600_000, 3),
        ];
        assert_eq!(max_parts_in_any_second(&sends), 5);
    }
}
