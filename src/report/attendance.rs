//! The monthly attendance table and the day's daily work reports, as exported.

use super::{Cell, Table};
use crate::domain::TIMESTAMP_FORMAT;
use crate::domain::attendance::{AttendanceSummary, DailyReport};
use crate::store::settings::Settings;

fn name_of(names: &[(i64, String)], id: i64) -> String {
    names
        .iter()
        .find(|(i, _)| *i == id)
        .map_or_else(|| id.to_string(), |(_, n)| n.clone())
}

fn time(t: Option<chrono::NaiveDateTime>) -> Cell {
    t.map_or(Cell::Empty, |t| {
        Cell::Text(t.format(TIMESTAMP_FORMAT).to_string())
    })
}

/// The month's attendance: one row per staff member (days present, late arrivals and their
/// minutes, missing sign-outs, working days absent), and every day of each with its sign-in, sign-out, minutes late
/// and desk.
pub fn tables(
    rows: &[AttendanceSummary],
    settings: &Settings,
    names: &[(i64, String)],
) -> (Table, Table) {
    let summary = Table::new(
        &[
            "staff",
            "days_present",
            "late_count",
            "late_minutes",
            "missing_sign_outs",
            "absences",
        ],
        rows.iter()
            .map(|r| {
                vec![
                    Cell::Text(name_of(names, r.staff_id)),
                    Cell::Int(r.days_present),
                    Cell::Int(r.late_count),
                    Cell::Int(r.late_minutes),
                    Cell::Int(r.missing_sign_outs),
                    Cell::Int(r.absences),
                ]
            })
            .collect(),
    );
    let days = Table::new(
        &[
            "staff",
            "day",
            "signed_in_at",
            "signed_out_at",
            "late_minutes",
            "desk",
        ],
        rows.iter()
            .flat_map(|r| r.days.iter())
            .map(|d| {
                vec![
                    Cell::Text(name_of(names, d.staff_id)),
                    Cell::Text(d.day.format("%Y-%m-%d").to_string()),
                    time(Some(d.signed_in_at)),
                    time(d.signed_out_at),
                    Cell::Int(d.late_minutes(settings.shift_start)),
                    Cell::Text(d.desk.clone().unwrap_or_default()),
                ]
            })
            .collect(),
    );
    (summary, days)
}

/// The day's daily work reports, one row each, with their figures, remarks and who read them.
pub fn daily_table(reports: &[DailyReport], names: &[(i64, String)]) -> Table {
    Table::new(
        &[
            "staff",
            "day",
            "visits_greeted",
            "greeted_on_time",
            "calls_answered",
            "calls_on_time",
            "complaints_taken",
            "complaints_closed",
            "callbacks_done",
            "claims_worked",
            "remarks",
            "submitted_at",
            "read_at",
            "read_by",
        ],
        reports
            .iter()
            .map(|r| {
                let f = &r.figures;
                vec![
                    Cell::Text(name_of(names, r.staff_id)),
                    Cell::Text(r.day.format("%Y-%m-%d").to_string()),
                    Cell::Int(f.visits_greeted),
                    Cell::Int(f.greeted_on_time),
                    Cell::Int(f.calls_answered),
                    Cell::Int(f.calls_on_time),
                    Cell::Int(f.complaints_taken),
                    Cell::Int(f.complaints_closed),
                    Cell::Int(f.callbacks_done),
                    Cell::Int(f.claims_worked),
                    Cell::Text(r.remarks.clone()),
                    time(Some(r.submitted_at)),
                    time(r.read_at),
                    Cell::Text(r.read_by.clone()),
                ]
            })
            .collect(),
    )
}
