//! Business-hours calendar for SLA clocks: which weekdays are working days and the working hours.
//! When disabled, every second counts (a 24 h limit is 24 wall-clock hours).

use chrono::{Datelike as _, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// Working days and hours; `enabled == false` means clocks run around the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BusinessCalendar {
    /// Whether only working time counts.
    pub enabled: bool,
    /// Monday first.
    pub workdays: [bool; 7],
    /// Start of the working day.
    pub start: NaiveTime,
    /// End of the working day (after `start`).
    pub end: NaiveTime,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        Self {
            enabled: false,
            workdays: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(17, 30, 0).unwrap_or_default(),
        }
    }
}

impl BusinessCalendar {
    /// Whether `day` falls on one of the working weekdays (whether or not the clocks count only
    /// working time).
    pub fn is_workday(&self, day: NaiveDate) -> bool {
        self.workdays[day.weekday().num_days_from_monday() as usize]
    }

    fn window(&self, day: NaiveDate) -> Option<(NaiveDateTime, NaiveDateTime)> {
        (self.is_workday(day) && self.start < self.end)
            .then(|| (day.and_time(self.start), day.and_time(self.end)))
    }

    /// Seconds that count between `from` and `to` (0 when `to` is not after `from`).
    pub fn secs_between(&self, from: NaiveDateTime, to: NaiveDateTime) -> i64 {
        if to <= from {
            return 0;
        }
        if !self.enabled {
            return (to - from).num_seconds();
        }
        let mut total = 0;
        let mut day = from.date();
        while day <= to.date() {
            if let Some((open, close)) = self.window(day) {
                let a = open.max(from);
                let b = close.min(to);
                if b > a {
                    total += (b - a).num_seconds();
                }
            }
            day += Duration::days(1);
        }
        total
    }

    /// The moment at which `secs` counting seconds have passed after `from`.
    pub fn add_secs(&self, from: NaiveDateTime, secs: i64) -> NaiveDateTime {
        if !self.enabled || secs <= 0 {
            return from + Duration::seconds(secs.max(0));
        }
        if !self.workdays.iter().any(|&w| w) || self.start >= self.end {
            // No working time at all: the deadline never comes; show it far away.
            return from + Duration::days(3650);
        }
        let mut left = secs;
        let mut day = from.date();
        loop {
            if let Some((open, close)) = self.window(day) {
                let a = open.max(from);
                if close > a {
                    let available = (close - a).num_seconds();
                    if available >= left {
                        return a + Duration::seconds(left);
                    }
                    left -= available;
                }
            }
            day += Duration::days(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn office() -> BusinessCalendar {
        BusinessCalendar {
            enabled: true,
            ..BusinessCalendar::default()
        }
    }

    #[test]
    fn disabled_counts_every_second() {
        let c = BusinessCalendar::default();
        assert_eq!(
            c.secs_between(at("2026-11-20 17:00:00"), at("2026-11-23 09:00:00")),
            64 * 3600
        );
        assert_eq!(
            c.add_secs(at("2026-11-20 17:00:00"), 24 * 3600),
            at("2026-11-21 17:00:00")
        );
    }

    #[test]
    fn working_hours_skip_nights_and_the_weekend() {
        let c = office();
        // Friday 2026-11-20 17:00 → Monday 09:00: 30 min on Friday + 30 min on Monday.
        assert_eq!(
            c.secs_between(at("2026-11-20 17:00:00"), at("2026-11-23 09:00:00")),
            3600
        );
        // Saturday to Sunday: nothing counts.
        assert_eq!(
            c.secs_between(at("2026-11-21 10:00:00"), at("2026-11-22 16:00:00")),
            0
        );
        // 24 working hours from Friday 17:00: 0.5 h Fri, 9 h Mon, 9 h Tue, 5.5 h Wed → Wed 14:00.
        assert_eq!(
            c.add_secs(at("2026-11-20 17:00:00"), 24 * 3600),
            at("2026-11-25 14:00:00")
        );
        // Received on Saturday: the clock starts Monday 08:30.
        assert_eq!(
            c.add_secs(at("2026-11-21 11:00:00"), 3600),
            at("2026-11-23 09:30:00")
        );
    }

    #[test]
    fn add_and_between_agree() {
        let c = office();
        let from = at("2026-11-19 16:45:10");
        for secs in [1, 600, 3600 * 9, 3600 * 30, 3600 * 48] {
            let to = c.add_secs(from, secs);
            assert_eq!(c.secs_between(from, to), secs, "{secs}");
        }
    }
}
