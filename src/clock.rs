//! The only place that reads the real clock.
//!
//! Everything that depends on "now" takes a [`Clock`] (or a `now` argument), so timers and
//! deadlines are testable with a [`FakeClock`] and never by sleeping.

use std::sync::{Arc, Mutex};

use chrono::{Duration, Local, NaiveDateTime, Timelike as _};

/// A source of local wall-clock time.
pub trait Clock: Send + Sync {
    /// The current local time (no time zone: FrontDesk works in the office's local time).
    fn now(&self) -> NaiveDateTime;
}

/// The operating system's local clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[expect(
        clippy::disallowed_methods,
        reason = "this is the one place that reads the clock"
    )]
    fn now(&self) -> NaiveDateTime {
        Local::now().naive_local()
    }
}

/// A clock that only moves when told to; shared by clones.
#[derive(Clone, Debug)]
pub struct FakeClock {
    now: Arc<Mutex<NaiveDateTime>>,
}

impl FakeClock {
    /// A fake clock standing at `start`.
    pub fn new(start: NaiveDateTime) -> Self {
        Self {
            now: Arc::new(Mutex::new(start)),
        }
    }

    /// A fake clock standing at `YYYY-MM-DD HH:MM:SS`.
    ///
    /// # Panics
    /// On a malformed literal; meant for tests and examples.
    #[expect(clippy::unwrap_used, reason = "test helper with literal input")]
    pub fn at(literal: &str) -> Self {
        Self::new(NaiveDateTime::parse_from_str(literal, "%Y-%m-%d %H:%M:%S").unwrap())
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *now += by;
    }

    /// Moves the clock forward by whole seconds.
    pub fn advance_secs(&self, secs: i64) {
        self.advance(Duration::seconds(secs));
    }

    /// Sets the clock to `to`.
    pub fn set(&self, to: NaiveDateTime) {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = to;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> NaiveDateTime {
        *self
            .now
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `now` truncated to whole seconds: the precision in which FrontDesk stores times.
pub fn whole_seconds(now: NaiveDateTime) -> NaiveDateTime {
    now.with_nanosecond(0).unwrap_or(now)
}

/// A clock that runs on another machine's time (the database server's): this PC's clock plus a
/// fixed offset measured when the server was opened. Every desk then stamps its records and
/// runs its greeting and SLA timers on the server's time, so desks whose own clocks disagree
/// agree with each other, and their timers do not jump.
pub struct OffsetClock {
    local: Arc<dyn Clock>,
    offset: Duration,
}

impl std::fmt::Debug for OffsetClock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OffsetClock")
            .field("offset", &self.offset)
            .finish_non_exhaustive()
    }
}

impl OffsetClock {
    /// `local` moved by `offset`.
    pub fn new(local: Arc<dyn Clock>, offset: Duration) -> Self {
        Self { local, offset }
    }

    /// How far this PC's clock is from the server's (server minus this PC).
    pub fn offset(&self) -> Duration {
        self.offset
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> NaiveDateTime {
        self.local.now() + self.offset
    }
}

/// Seconds since 1970 (from a server) as this PC's local time, to whole seconds.
pub fn local_time_of_epoch(seconds: f64) -> Option<NaiveDateTime> {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "seconds since 1970 fit an i64"
    )]
    let whole = seconds.floor() as i64;
    chrono::DateTime::from_timestamp(whole, 0).map(|t| t.with_timezone(&Local).naive_local())
}

/// How far `reference` (seconds since 1970 on another machine, read once) is ahead of this PC's
/// clock, taking the middle of the time the reading took; `None` when it cannot be read.
pub fn offset_to(reference: impl FnOnce() -> Option<f64>) -> Option<Duration> {
    #[expect(
        clippy::disallowed_methods,
        reason = "this is the one place that reads the clock"
    )]
    fn epoch_now() -> f64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64())
    }
    let before = epoch_now();
    let theirs = reference()?;
    let after = epoch_now();
    let ours = (before + after) / 2.0;
    #[expect(
        clippy::cast_possible_truncation,
        reason = "an offset in milliseconds fits an i64"
    )]
    let millis = ((theirs - ours) * 1000.0).round() as i64;
    Some(Duration::milliseconds(millis))
}

#[cfg(test)]
mod offset_tests {
    use super::*;

    #[test]
    fn an_offset_clock_runs_on_the_other_machines_time() {
        let local = FakeClock::at("2026-11-23 09:00:00");
        let clock = OffsetClock::new(Arc::new(local.clone()), Duration::seconds(-95));
        assert_eq!(
            clock.now(),
            NaiveDateTime::parse_from_str("2026-11-23 08:58:25", "%Y-%m-%d %H:%M:%S").unwrap()
        );
        local.advance_secs(10);
        assert_eq!(clock.now() - local.now(), Duration::seconds(-95));
        assert_eq!(clock.offset(), Duration::seconds(-95));
    }

    #[test]
    fn the_offset_is_measured_against_the_middle_of_the_reading() {
        // A reference 90 s ahead of this PC.
        let ahead = offset_to(|| {
            Some(
                std::time::SystemTime::UNIX_EPOCH
                    .elapsed()
                    .map_or(0.0, |d| d.as_secs_f64())
                    + 90.0,
            )
        })
        .unwrap();
        assert!((ahead - Duration::seconds(90)).num_milliseconds().abs() < 200);
        assert_eq!(offset_to(|| None), None);
    }
}
