//! The weekly complaint summary (每周投诉汇总表).
//!
//! `dimension,value,complaints,first_response_met,resolution_met,overdue_open,company_at_fault,rated,satisfied`
//! — rows for `category`, `severity`, `channel`, `status` (one per value that occurs), then `total,all`.

use chrono::{Datelike as _, Duration, NaiveDate, NaiveDateTime, Weekday};

use super::{Cell, Table};
use crate::domain::complaint::{AtFault, Complaint, SlaRules};

/// The report's columns, in order.
pub const COLUMNS: [&str; 9] = [
    "dimension",
    "value",
    "complaints",
    "first_response_met",
    "resolution_met",
    "overdue_open",
    "company_at_fault",
    "rated",
    "satisfied",
];

/// Parses an ISO week `2026-W47` into its Monday.
pub fn parse_week(s: &str) -> Option<NaiveDate> {
    let (year, week) = s.trim().split_once("-W")?;
    let year: i32 = year.parse().ok()?;
    if !crate::domain::validation::REPORT_YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_isoywd_opt(year, week.parse().ok()?, Weekday::Mon)
}

/// The ISO week of `day`, as `2026-W47`.
pub fn week_of(day: NaiveDate) -> String {
    let w = day.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

/// `[monday 00:00, next monday 00:00)`.
pub fn week_bounds(monday: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let start = monday.and_hms_opt(0, 0, 0).unwrap_or_default();
    (start, start + Duration::days(7))
}

/// Figures of one row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// `category`, `severity`, `channel`, `status` or `total`.
    pub dimension: String,
    /// The value (or `all`).
    pub value: String,
    /// Complaints.
    pub complaints: i64,
    /// First response within the limit.
    pub first_response_met: i64,
    /// Resolved within the limit.
    pub resolution_met: i64,
    /// Still open and past a limit.
    pub overdue_open: i64,
    /// Company at fault (是).
    pub company_at_fault: i64,
    /// Satisfaction recorded.
    pub rated: i64,
    /// 满意 or 基本满意.
    pub satisfied: i64,
}

fn row_of<'a>(
    dimension: &str,
    value: &str,
    items: impl Iterator<Item = &'a Complaint>,
    rules: &SlaRules,
    now: NaiveDateTime,
) -> Row {
    use crate::domain::complaint::Clock;
    let mut r = Row {
        dimension: dimension.to_owned(),
        value: value.to_owned(),
        ..Row::default()
    };
    for c in items {
        r.complaints += 1;
        if c.first_response_clock(rules, now) == Clock::Met {
            r.first_response_met += 1;
        }
        if c.resolution_clock(rules, now) == Clock::Met {
            r.resolution_met += 1;
        }
        if c.status().is_open() && c.is_overdue(rules, now) {
            r.overdue_open += 1;
        }
        if c.at_fault == Some(AtFault::Yes) {
            r.company_at_fault += 1;
        }
        if let Some(s) = c.satisfaction {
            r.rated += 1;
            if s.is_satisfied() {
                r.satisfied += 1;
            }
        }
    }
    r
}

/// Builds the summary of `complaints` as of `now`. Categories come in the order of
/// `category_order`, others after them by name.
pub fn build(
    complaints: &[Complaint],
    category_order: &[String],
    rules: &SlaRules,
    now: NaiveDateTime,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut categories: Vec<&str> = complaints.iter().map(|c| c.category.as_str()).collect();
    categories.sort_by_key(|c| {
        (
            category_order
                .iter()
                .position(|o| o == c)
                .unwrap_or(usize::MAX),
            c.to_string(),
        )
    });
    categories.dedup();
    for cat in categories {
        rows.push(row_of(
            "category",
            cat,
            complaints.iter().filter(|c| c.category == cat),
            rules,
            now,
        ));
    }
    let mut dimension =
        |name: &str, values: Vec<&'static str>, get: &dyn Fn(&Complaint) -> &'static str| {
            for v in values {
                let of: Vec<&Complaint> = complaints.iter().filter(|c| get(c) == v).collect();
                if !of.is_empty() {
                    rows.push(row_of(name, v, of.into_iter(), rules, now));
                }
            }
        };
    use crate::domain::complaint::{Channel, Severity, Status};
    dimension(
        "severity",
        Severity::ALL.iter().map(|s| s.as_zh()).collect(),
        &|c| c.severity().as_zh(),
    );
    dimension(
        "channel",
        Channel::ALL.iter().map(|s| s.as_zh()).collect(),
        &|c| c.channel.map_or("", Channel::as_zh),
    );
    dimension(
        "status",
        Status::ALL.iter().map(|s| s.as_zh()).collect(),
        &|c| c.status().as_zh(),
    );
    rows.push(row_of("total", "all", complaints.iter(), rules, now));
    rows
}

/// The summary as a [`Table`].
pub fn table(rows: &[Row]) -> Table {
    Table::new(
        &COLUMNS,
        rows.iter()
            .map(|r| {
                vec![
                    Cell::Text(r.dimension.clone()),
                    Cell::Text(r.value.clone()),
                    Cell::Int(r.complaints),
                    Cell::Int(r.first_response_met),
                    Cell::Int(r.resolution_met),
                    Cell::Int(r.overdue_open),
                    Cell::Int(r.company_at_fault),
                    Cell::Int(r.rated),
                    Cell::Int(r.satisfied),
                ]
            })
            .collect(),
    )
}

/// The complaints themselves, for a second XLSX sheet.
pub fn detail_table(complaints: &[Complaint]) -> Table {
    Table::new(
        &[
            "id",
            "received_at",
            "channel",
            "customer",
            "waybill",
            "category",
            "severity",
            "at_fault",
            "status",
            "satisfaction",
            "content",
        ],
        complaints
            .iter()
            .map(|c| {
                vec![
                    Cell::Int(c.id),
                    Cell::Text(
                        c.received_at
                            .format(crate::domain::TIMESTAMP_FORMAT)
                            .to_string(),
                    ),
                    Cell::Text(c.channel.map_or("", |x| x.as_zh()).to_owned()),
                    Cell::Text(c.customer_name.clone()),
                    Cell::Text(c.waybill.clone()),
                    Cell::Text(c.category.clone()),
                    Cell::Text(c.severity().as_zh().to_owned()),
                    Cell::Text(c.at_fault.map_or("", AtFault::as_zh).to_owned()),
                    Cell::Text(c.status().as_zh().to_owned()),
                    Cell::Text(c.satisfaction.map_or("", |s| s.as_zh()).to_owned()),
                    Cell::Text(c.content.clone()),
                ]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_weeks() {
        let monday = parse_week("2026-W47").unwrap();
        assert_eq!(monday.to_string(), "2026-11-16");
        assert_eq!(
            week_of(NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()),
            "2026-W47"
        );
        assert_eq!(
            week_of(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()),
            "2026-W48"
        );
        assert_eq!(parse_week("2026-47"), None);
        assert_eq!(parse_week("2026-W60"), None);
        assert_eq!(parse_week("262142-W52"), None);
        assert_eq!(parse_week("1999-W01"), None);
        assert_eq!(parse_week("2100-W01"), None);
        assert!(parse_week("2099-W52").is_some());
    }
}
