//! The reception report (SPEC "Reception report"): one row per day, then a total row.
//!
//! `date,visits,greeted,greeted_within_limit,greeting_compliance_pct,median_greeting_s,
//! max_greeting_s,water_served,water_served_pct,seen_off,seen_off_pct,seen_off_checklist,
//! seen_off_checklist_pct`
//!
//! The `*_pct` columns are shares of the visits, except `seen_off_checklist_pct`: the share of
//! the departures (`seen_off`) seen off with the whole checklist done.

use std::collections::BTreeMap;

use chrono::{Datelike as _, Duration, Months, NaiveDate, NaiveDateTime};

use super::{Cell, Table};
use crate::domain::visit::{Visit, percent, secs_between};

/// The report's columns, in order.
pub const COLUMNS: [&str; 13] = [
    "date",
    "visits",
    "greeted",
    "greeted_within_limit",
    "greeting_compliance_pct",
    "median_greeting_s",
    "max_greeting_s",
    "water_served",
    "water_served_pct",
    "seen_off",
    "seen_off_pct",
    "seen_off_checklist",
    "seen_off_checklist_pct",
];

/// Figures of one day (or of the whole period).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReceptionRow {
    /// `YYYY-MM-DD`, or `total`.
    pub date: String,
    /// Visits that arrived.
    pub visits: i64,
    /// Of those, greeted.
    pub greeted: i64,
    /// Greeted within the limit.
    pub greeted_within_limit: i64,
    /// `greeted_within_limit / visits` %.
    pub greeting_compliance_pct: Option<f64>,
    /// Median greeting latency in seconds.
    pub median_greeting_s: Option<f64>,
    /// Worst greeting latency in seconds.
    pub max_greeting_s: Option<f64>,
    /// Served water.
    pub water_served: i64,
    /// `water_served / visits` %.
    pub water_served_pct: Option<f64>,
    /// Seen off (departure recorded).
    pub seen_off: i64,
    /// `seen_off / visits` %.
    pub seen_off_pct: Option<f64>,
    /// Of those seen off, the ones seen off with the whole checklist done
    /// ([`Visit::seen_off_with_checklist`]).
    pub seen_off_checklist: i64,
    /// `seen_off_checklist / seen_off` %: a share of the departures, not of the visits.
    pub seen_off_checklist_pct: Option<f64>,
}

/// Median of `values` (average of the two middle ones for an even count), one decimal.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    #[expect(clippy::cast_precision_loss, reason = "latencies are far below 2^52")]
    let m = if n % 2 == 1 {
        values[n / 2] as f64
    } else {
        (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
    };
    Some((m * 10.0).round() / 10.0)
}

/// What the report needs of one visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VisitTimes {
    /// When it arrived.
    pub arrived_at: NaiveDateTime,
    /// When it was greeted.
    pub greeted_at: Option<NaiveDateTime>,
    /// Water was served.
    pub water_served: bool,
    /// The departure was recorded.
    pub departed: bool,
    /// It departed with the whole seeing-off checklist done.
    pub seen_off_checklist: bool,
}

impl VisitTimes {
    /// The times of `v`.
    pub fn of(v: &Visit) -> Self {
        Self {
            arrived_at: v.arrived_at,
            greeted_at: v.greeted_at,
            water_served: v.water_served_at.is_some(),
            departed: v.departed_at.is_some(),
            seen_off_checklist: v.seen_off_with_checklist(),
        }
    }
}

/// Figures being summed up. Greeting latencies are counted per second of latency, so the
/// median and the maximum need memory for the distinct latencies, not for every visit.
#[derive(Default)]
struct Tally {
    visits: i64,
    greeted: i64,
    within: i64,
    water: i64,
    seen_off: i64,
    seen_off_checklist: i64,
    latencies: BTreeMap<i64, i64>,
}

impl Tally {
    fn add(&mut self, v: &VisitTimes, limit_secs: i64) {
        self.visits += 1;
        if let Some(g) = v.greeted_at {
            let latency = secs_between(v.arrived_at, g);
            self.greeted += 1;
            *self.latencies.entry(latency).or_default() += 1;
            if latency <= limit_secs {
                self.within += 1;
            }
        }
        self.water += i64::from(v.water_served);
        self.seen_off += i64::from(v.departed);
        self.seen_off_checklist += i64::from(v.departed && v.seen_off_checklist);
    }

    /// The `k`-th smallest latency (0-based).
    fn nth_latency(&self, k: i64) -> Option<i64> {
        let mut seen = 0;
        for (&latency, &n) in &self.latencies {
            seen += n;
            if seen > k {
                return Some(latency);
            }
        }
        None
    }

    fn row(&self, date: String) -> ReceptionRow {
        let n = self.greeted;
        #[expect(clippy::cast_precision_loss, reason = "latencies are far below 2^52")]
        let median = if n == 0 {
            None
        } else if n % 2 == 1 {
            self.nth_latency(n / 2).map(|m| m as f64)
        } else {
            self.nth_latency(n / 2 - 1)
                .zip(self.nth_latency(n / 2))
                .map(|(a, b)| (a + b) as f64 / 2.0)
        };
        #[expect(clippy::cast_precision_loss, reason = "latencies are far below 2^52")]
        let max = self.latencies.keys().next_back().map(|&m| m as f64);
        ReceptionRow {
            date,
            visits: self.visits,
            greeted: self.greeted,
            greeted_within_limit: self.within,
            greeting_compliance_pct: percent(self.within, self.visits),
            median_greeting_s: median.map(|m| (m * 10.0).round() / 10.0),
            max_greeting_s: max,
            water_served: self.water,
            water_served_pct: percent(self.water, self.visits),
            seen_off: self.seen_off,
            seen_off_pct: percent(self.seen_off, self.visits),
            seen_off_checklist: self.seen_off_checklist,
            seen_off_checklist_pct: percent(self.seen_off_checklist, self.seen_off),
        }
    }
}

/// Builds the report from the (non-cancelled) visits that arrived from `from` to `to` inclusive.
pub fn build(
    visits: &[Visit],
    from: NaiveDate,
    to: NaiveDate,
    limit_secs: i64,
) -> Vec<ReceptionRow> {
    build_by(Rows::Daily, visits, from, to, limit_secs)
}

/// Builds the report while `stream` hands over the (non-cancelled) visits in arrival order, one
/// at a time: one day's figures and the period's are kept, whatever the number of visits (ten
/// years of a busy desk fit in a few kilobytes). Visits outside `from..=to` are ignored.
///
/// # Errors
/// What `stream` returns.
pub fn build_streamed<E>(
    from: NaiveDate,
    to: NaiveDate,
    limit_secs: i64,
    stream: impl FnOnce(&mut dyn FnMut(&VisitTimes)) -> Result<(), E>,
) -> Result<Vec<ReceptionRow>, E> {
    build_streamed_by(Rows::Daily, from, to, limit_secs, stream)
}

/// What one row of the report covers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Rows {
    /// A day (`2026-11-02`).
    #[default]
    Daily,
    /// A calendar month (`2026-11`), of its days within the period.
    Monthly,
}

impl Rows {
    /// Monthly rows when `monthly`, else daily ones.
    pub fn from_monthly(monthly: bool) -> Self {
        if monthly { Self::Monthly } else { Self::Daily }
    }

    /// The first day of the row `day` falls in.
    fn start_of(self, day: NaiveDate) -> NaiveDate {
        match self {
            Self::Daily => day,
            Self::Monthly => day.with_day(1).unwrap_or(day),
        }
    }

    /// The first day of the row after the one starting on `start`.
    fn next(self, start: NaiveDate) -> NaiveDate {
        match self {
            Self::Daily => start + Duration::days(1),
            Self::Monthly => start
                .checked_add_months(Months::new(1))
                .unwrap_or(NaiveDate::MAX),
        }
    }

    /// The row's label: `YYYY-MM-DD`, or `YYYY-MM` for a month.
    fn label(self, start: NaiveDate) -> String {
        match self {
            Self::Daily => start.format("%Y-%m-%d").to_string(),
            Self::Monthly => start.format("%Y-%m").to_string(),
        }
    }
}

/// Builds the report as [`build_streamed`] does, with one row per day or per month (`rows`).
/// A month's figures are summed up from its visits, as a day's are — its median greeting time
/// is the median of the month's visits, never a figure of its days' medians.
///
/// # Errors
/// What `stream` returns.
pub fn build_streamed_by<E>(
    rows: Rows,
    from: NaiveDate,
    to: NaiveDate,
    limit_secs: i64,
    stream: impl FnOnce(&mut dyn FnMut(&VisitTimes)) -> Result<(), E>,
) -> Result<Vec<ReceptionRow>, E> {
    let mut out = Vec::new();
    let mut start = rows.start_of(from);
    let last = rows.start_of(to);
    let mut tally = Tally::default();
    let mut total = Tally::default();
    stream(&mut |v| {
        let arrived = v.arrived_at.date();
        if arrived < from || arrived > to {
            return;
        }
        // Arrival order: the rows before this visit's are complete.
        let its = rows.start_of(arrived);
        while start < its {
            out.push(std::mem::take(&mut tally).row(rows.label(start)));
            start = rows.next(start);
        }
        tally.add(v, limit_secs);
        total.add(v, limit_secs);
    })?;
    while start <= last {
        out.push(std::mem::take(&mut tally).row(rows.label(start)));
        if start == NaiveDate::MAX {
            break;
        }
        start = rows.next(start);
    }
    out.push(total.row("total".to_owned()));
    Ok(out)
}

/// Builds the report of `visits` (non-cancelled ones, any order) with one row per day or month.
pub fn build_by(
    rows: Rows,
    visits: &[Visit],
    from: NaiveDate,
    to: NaiveDate,
    limit_secs: i64,
) -> Vec<ReceptionRow> {
    let mut times: Vec<VisitTimes> = visits
        .iter()
        .filter(|v| v.cancelled_at.is_none())
        .map(VisitTimes::of)
        .collect();
    times.sort_by_key(|t| t.arrived_at);
    let streamed: Result<_, std::convert::Infallible> =
        build_streamed_by(rows, from, to, limit_secs, |add| {
            times.iter().for_each(add);
            Ok(())
        });
    streamed.unwrap_or_else(|never| match never {})
}

/// The report as a [`Table`].
pub fn table(rows: &[ReceptionRow]) -> Table {
    let opt = |x: Option<f64>| x.map_or(Cell::Empty, Cell::Dec1);
    Table::new(
        &COLUMNS,
        rows.iter()
            .map(|r| {
                vec![
                    Cell::Text(r.date.clone()),
                    Cell::Int(r.visits),
                    Cell::Int(r.greeted),
                    Cell::Int(r.greeted_within_limit),
                    opt(r.greeting_compliance_pct),
                    opt(r.median_greeting_s),
                    opt(r.max_greeting_s),
                    Cell::Int(r.water_served),
                    opt(r.water_served_pct),
                    Cell::Int(r.seen_off),
                    opt(r.seen_off_pct),
                    Cell::Int(r.seen_off_checklist),
                    opt(r.seen_off_checklist_pct),
                ]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDateTime;

    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn visit(arrived: &str, greet_after: Option<i64>, water: bool, left: bool) -> Visit {
        let a = at(arrived);
        Visit {
            arrived_at: a,
            greeted_at: greet_after.map(|s| a + Duration::seconds(s)),
            water_served_at: water.then_some(a + Duration::seconds(120)),
            departed_at: left.then_some(a + Duration::seconds(1800)),
            party_size: 1,
            ..Visit::default()
        }
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [30, 10, 20]), Some(20.0));
        assert_eq!(median(&mut [10, 20, 30, 45]), Some(25.0));
        assert_eq!(median(&mut [1, 2]), Some(1.5));
    }

    #[test]
    fn days_without_visits_are_rows_and_total_covers_all() {
        let visits = vec![
            visit("2026-11-02 09:00:00", Some(30), true, true),
            visit("2026-11-02 10:00:00", Some(90), false, true),
            visit("2026-11-02 11:00:00", None, false, false),
            visit("2026-11-04 09:00:00", Some(60), true, false),
            visit("2026-11-05 09:00:00", Some(5), true, true), // outside the period
        ];
        let rows = build(
            &visits,
            NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 4).unwrap(),
            60,
        );
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].visits, 3);
        assert_eq!(rows[0].greeted, 2);
        assert_eq!(rows[0].greeted_within_limit, 1);
        assert_eq!(rows[0].greeting_compliance_pct, Some(33.3));
        assert_eq!(rows[0].median_greeting_s, Some(60.0));
        assert_eq!(rows[0].max_greeting_s, Some(90.0));
        assert_eq!(rows[0].water_served_pct, Some(33.3));
        assert_eq!(rows[0].seen_off_pct, Some(66.7));
        assert_eq!(rows[1].date, "2026-11-03");
        assert_eq!(rows[1].visits, 0);
        assert_eq!(rows[1].greeting_compliance_pct, None);
        assert_eq!(rows[1].median_greeting_s, None);
        assert_eq!(
            rows[2].greeted_within_limit, 1,
            "60 s is within a 60 s limit"
        );
        let total = &rows[3];
        assert_eq!(total.date, "total");
        assert_eq!(total.visits, 4);
        assert_eq!(total.greeted_within_limit, 2);
        assert_eq!(total.median_greeting_s, Some(60.0));
        assert_eq!(total.greeting_compliance_pct, Some(50.0));
    }

    /// A month's median is the median of its visits' greeting times, not a mean of its days'
    /// medians; a month only partly in the period counts its days within it; a month without
    /// visits is a row.
    #[test]
    fn monthly_rows_sum_up_the_visits_of_each_month() {
        let visits = vec![
            visit("2026-09-30 09:00:00", Some(1), true, true), // before the period
            visit("2026-10-01 09:00:00", Some(10), true, true),
            visit("2026-10-01 10:00:00", Some(20), false, true),
            visit("2026-10-01 11:00:00", Some(30), false, false),
            visit("2026-10-02 09:00:00", Some(100), true, true),
            visit("2026-10-31 09:00:00", None, true, false),
            visit("2026-12-05 09:00:00", Some(40), false, true),
            visit("2026-12-05 09:30:00", Some(50), true, true),
            visit("2026-12-20 09:00:00", Some(5), true, true), // after the period
        ];
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let rows = build_by(Rows::Monthly, &visits, day(10, 1), day(12, 10), 30);
        let dates: Vec<&str> = rows.iter().map(|r| r.date.as_str()).collect();
        assert_eq!(dates, ["2026-10", "2026-11", "2026-12", "total"]);
        let october = &rows[0];
        assert_eq!(october.visits, 5);
        assert_eq!(october.greeted, 4);
        assert_eq!(october.greeted_within_limit, 3);
        assert_eq!(october.greeting_compliance_pct, Some(60.0));
        // Days' medians are 20 and 100 (their mean 60); the month's visits' median is 25.
        assert_eq!(october.median_greeting_s, Some(25.0));
        assert_eq!(october.max_greeting_s, Some(100.0));
        assert_eq!(october.water_served, 3);
        assert_eq!(october.water_served_pct, Some(60.0));
        assert_eq!(october.seen_off, 3);
        assert_eq!(rows[1].visits, 0);
        assert_eq!(rows[1].median_greeting_s, None);
        assert_eq!(rows[2].visits, 2);
        assert_eq!(rows[2].median_greeting_s, Some(45.0));
        assert_eq!(rows[2].greeted_within_limit, 0);
        let total = &rows[3];
        assert_eq!(total.visits, 7);
        assert_eq!(total.median_greeting_s, Some(35.0));
        assert_eq!(total.max_greeting_s, Some(100.0));
        // The total row is the daily report's.
        let daily = build(&visits, day(10, 1), day(12, 10), 30);
        assert_eq!(daily.len(), 71 + 1);
        assert_eq!(daily.last(), rows.last());
    }

    /// Seen off with the checklist, on a fake clock: each visit is walked through the desk's
    /// steps (arrive, greet, depart with its checklist). Only departures with every point done
    /// count, and the share is of the departures: a day whose visitors are all still in the
    /// building has no share, and the total and a month's row sum the days up.
    #[test]
    fn seen_off_with_checklist_is_a_share_of_the_departures() {
        use crate::clock::{Clock as _, FakeClock};
        use crate::domain::visit::{SeeOffChecklist, TravelMode};
        let whole = SeeOffChecklist {
            offered_accompany: true,
            travel_mode: Some(TravelMode::Plane),
            reminded_belongings: true,
            reminded_documents: true,
            reminded_next_contact: true,
        };
        let no_next_contact = SeeOffChecklist {
            reminded_next_contact: false,
            ..whole.clone()
        };
        let clock = FakeClock::at("2026-11-02 09:00:00");
        // (minutes after the last one, seeing-off checklist; `None` still in the building)
        let plan = [
            (0, Some(&whole)),
            (30, Some(&no_next_contact)),
            (30, Some(&whole)),
            (30, None),
            (24 * 60, None), // 11-03: nobody has left yet
            (24 * 60, Some(&SeeOffChecklist::default())), // 11-04
        ];
        let mut visits = Vec::new();
        for (after, checklist) in plan {
            clock.advance_secs(after * 60);
            let mut v = Visit {
                arrived_at: clock.now(),
                party_size: 1,
                ..Visit::default()
            };
            v.greet(Some(1), clock.now() + Duration::seconds(20))
                .unwrap();
            if let Some(c) = checklist {
                v.depart(c, Some(1), clock.now() + Duration::minutes(20))
                    .unwrap();
            }
            visits.push(v);
        }
        let mut cancelled = visits[0].clone();
        cancelled.cancel("重复登记", clock.now()).unwrap();
        visits.push(cancelled);
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let rows = build(&visits, day(2), day(4), 60);
        let figures: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    r.date.as_str(),
                    r.seen_off,
                    r.seen_off_checklist,
                    r.seen_off_checklist_pct,
                )
            })
            .collect();
        assert_eq!(
            figures,
            [
                ("2026-11-02", 3, 2, Some(66.7)),
                ("2026-11-03", 0, 0, None),
                ("2026-11-04", 1, 0, Some(0.0)),
                ("total", 4, 2, Some(50.0)),
            ]
        );
        assert_eq!(rows[0].seen_off_pct, Some(75.0), "of the visits");
        let monthly = build_by(Rows::Monthly, &visits, day(2), day(4), 60);
        assert_eq!(monthly[0].seen_off_checklist, 2);
        assert_eq!(monthly[0].seen_off_checklist_pct, Some(50.0));
        assert_eq!(monthly.last(), rows.last());
        // The table carries both columns, after the seen-off ones.
        let table = table(&rows);
        let at = |name: &str| COLUMNS.iter().position(|c| *c == name).unwrap();
        assert_eq!(at("seen_off_checklist"), at("seen_off_pct") + 1);
        assert_eq!(table.rows[0][at("seen_off_checklist")], Cell::Int(2));
        assert_eq!(
            table.rows[0][at("seen_off_checklist_pct")],
            Cell::Dec1(66.7)
        );
        assert_eq!(table.rows[1][at("seen_off_checklist_pct")], Cell::Empty);
    }

    proptest::proptest! {
        /// The median and maximum from latencies counted per second equal those of the sorted
        /// list, for any mix of latencies (negative ones included: a clock set back).
        #[test]
        fn counted_latencies_give_the_sorted_lists_median(
            latencies in proptest::collection::vec(-5i64..400, 0..60),
            limit in 0i64..300,
        ) {
            let visits: Vec<Visit> = latencies
                .iter()
                .enumerate()
                .map(|(i, &l)| {
                    let arrived = at("2026-11-02 08:00:00") + Duration::minutes(i64::try_from(i).unwrap());
                    Visit {
                        arrived_at: arrived,
                        greeted_at: Some(arrived + Duration::seconds(l)),
                        ..Visit::default()
                    }
                })
                .collect();
            let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
            let rows = build(&visits, day, day, limit);
            let mut sorted = latencies.clone();
            proptest::prop_assert_eq!(rows[0].median_greeting_s, median(&mut sorted));
            #[expect(clippy::cast_precision_loss, reason = "small test values")]
            let max = latencies.iter().max().map(|&m| m as f64);
            proptest::prop_assert_eq!(rows[0].max_greeting_s, max);
            let within = latencies.iter().filter(|&&l| l <= limit).count();
            proptest::prop_assert_eq!(rows[1].greeted_within_limit, i64::try_from(within).unwrap());
        }
    }
}
