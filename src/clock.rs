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
