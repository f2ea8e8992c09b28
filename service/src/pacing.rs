//! Sending at the carrier's pace: a token bucket per origination number, counted in message
//! parts (AWS counts parts: a two-part UCS-2 text costs two).
//!
//! The bucket is kept as its "theoretical arrival time" (the generic cell-rate form of a token
//! bucket): each reservation of `parts` starts no earlier than the previous one plus its cost
//! `parts / rate`, less the burst tolerance. With the default burst of one part no credit
//! builds up while idle, so a large cohort goes out at the rate with no burst above it. Time
//! is whole microseconds so that rounding never lets one part too many into a second.

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
}

impl TokenBucket {
    /// A bucket for `parts_per_second` (at least one part a second up to 10,000) with room
    /// for `burst` parts at once (at least 1).
    pub fn new(parts_per_second: f64, burst: u32) -> TokenBucket {
        let rate = parts_per_second.clamp(0.001, 10_000.0);
        let cost = ((MICROS as f64) / rate).ceil() as i64;
        TokenBucket {
            cost,
            tolerance: cost * i64::from(burst.max(1) - 1),
            next_free: i64::MIN,
        }
    }

    /// Reserves `parts` at `now_micros` (any monotonic clock); returns when they may be sent
    /// (`now_micros` or later). The reservation is kept: call it once per text.
    pub fn reserve(&mut self, parts: u32, now_micros: i64) -> i64 {
        let start = now_micros.max(self.next_free.saturating_sub(self.tolerance));
        self.next_free = start.max(self.next_free) + self.cost * i64::from(parts.max(1));
        start
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
