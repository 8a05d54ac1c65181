//! The reception report (SPEC "Reception report"): one row per day, then a total row.
//!
//! `date,visits,greeted,greeted_within_limit,greeting_compliance_pct,median_greeting_s,
//! max_greeting_s,water_served,water_served_pct,seen_off,seen_off_pct`

use chrono::{Duration, NaiveDate};

use super::{Cell, Table};
use crate::domain::visit::{Visit, percent};

/// The report's columns, in order.
pub const COLUMNS: [&str; 11] = [
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

fn row_of<'a>(
    date: String,
    visits: impl Iterator<Item = &'a Visit>,
    limit_secs: i64,
) -> ReceptionRow {
    let mut row = ReceptionRow {
        date,
        ..ReceptionRow::default()
    };
    let mut latencies = Vec::new();
    for v in visits {
        row.visits += 1;
        if let Some(l) = v.greeting_latency_secs() {
            row.greeted += 1;
            latencies.push(l);
            if l <= limit_secs {
                row.greeted_within_limit += 1;
            }
        }
        if v.water_served_at.is_some() {
            row.water_served += 1;
        }
        if v.departed_at.is_some() {
            row.seen_off += 1;
        }
    }
    row.greeting_compliance_pct = percent(row.greeted_within_limit, row.visits);
    row.water_served_pct = percent(row.water_served, row.visits);
    row.seen_off_pct = percent(row.seen_off, row.visits);
    #[expect(clippy::cast_precision_loss, reason = "latencies are far below 2^52")]
    let max = latencies.iter().max().map(|&m| m as f64);
    row.max_greeting_s = max;
    row.median_greeting_s = median(&mut latencies);
    row
}

/// Builds the report from the (non-cancelled) visits that arrived from `from` to `to` inclusive.
pub fn build(
    visits: &[Visit],
    from: NaiveDate,
    to: NaiveDate,
    limit_secs: i64,
) -> Vec<ReceptionRow> {
    let mut rows = Vec::new();
    let mut day = from;
    while day <= to {
        let of_day = visits
            .iter()
            .filter(|v| v.cancelled_at.is_none() && v.arrived_at.date() == day);
        rows.push(row_of(
            day.format("%Y-%m-%d").to_string(),
            of_day,
            limit_secs,
        ));
        day += Duration::days(1);
    }
    let all = visits
        .iter()
        .filter(|v| v.cancelled_at.is_none() && (from..=to).contains(&v.arrived_at.date()));
    rows.push(row_of("total".to_owned(), all, limit_secs));
    rows
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
}
