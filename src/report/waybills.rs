//! The month's waybill change requests, as exported: a summary (recorded, changed, refused,
//! still open, answered late, told late) and one row per request. Who asked, the new consignee
//! and the phones stay in the program: an export leaves it.

use chrono::NaiveDateTime;

use super::{Cell, Table};
use crate::domain::TIMESTAMP_FORMAT;
use crate::domain::waybill::{ChangeRules, WaybillChange};

fn time(t: Option<NaiveDateTime>) -> Cell {
    t.map_or(Cell::Empty, |t| {
        Cell::Text(t.format(TIMESTAMP_FORMAT).to_string())
    })
}

fn minutes(from: NaiveDateTime, to: Option<NaiveDateTime>) -> Cell {
    to.map_or(Cell::Empty, |to| Cell::Int((to - from).num_minutes()))
}

/// Whether the department answered later than the rules allow (or has not, and is late at
/// `now`).
fn answered_late(w: &WaybillChange, rules: &ChangeRules, now: NaiveDateTime) -> bool {
    w.handled_at.unwrap_or(now) > w.at + rules.answer_within
}

/// Whether the customer was told later than the rules allow after the answer (or has not been,
/// and it is late at `now`).
fn told_late(w: &WaybillChange, rules: &ChangeRules, now: NaiveDateTime) -> bool {
    w.handled_at
        .is_some_and(|h| w.confirmed_at.unwrap_or(now) > h + rules.confirm_within)
}

/// The summary and the rows of `changes` (the month's requests), late ones judged at `now`;
/// `staff_name` names who recorded each.
pub fn tables(
    changes: &[WaybillChange],
    now: NaiveDateTime,
    staff_name: impl Fn(Option<i64>) -> String,
) -> (Table, Table) {
    let rules = ChangeRules::default();
    let count = |f: &dyn Fn(&WaybillChange) -> bool| changes.iter().filter(|w| f(w)).count() as i64;
    let summary = Table::new(
        &["figure", "value"],
        [
            ("recorded", count(&|_| true)),
            ("changed", count(&|w| w.changed == Some(true))),
            ("refused", count(&|w| w.changed == Some(false))),
            ("open", count(&|w| w.confirmed_at.is_none())),
            ("answered_late", count(&|w| answered_late(w, &rules, now))),
            ("told_late", count(&|w| told_late(w, &rules, now))),
        ]
        .into_iter()
        .map(|(figure, n)| vec![Cell::Text(figure.to_owned()), Cell::Int(n)])
        .collect(),
    );
    let rows = Table::new(
        &[
            "id",
            "recorded_at",
            "waybill",
            "source",
            "department",
            "recorded_by",
            "answered_at",
            "answer_minutes",
            "result",
            "confirmed_at",
            "late",
        ],
        changes
            .iter()
            .map(|w| {
                let source = match (w.call_id, w.visit_id) {
                    (Some(call), _) => format!("call {call}"),
                    (None, Some(visit)) => format!("visit {visit}"),
                    (None, None) => "desk".to_owned(),
                };
                let result = match w.changed {
                    Some(true) => "changed",
                    Some(false) => "refused",
                    None => "",
                };
                let late = match (answered_late(w, &rules, now), told_late(w, &rules, now)) {
                    (true, true) => "answer+told",
                    (true, false) => "answer",
                    (false, true) => "told",
                    (false, false) => "",
                };
                vec![
                    Cell::Int(w.id),
                    time(Some(w.at)),
                    Cell::Text(w.waybill_no.clone()),
                    Cell::Text(source),
                    Cell::Text(w.department.clone()),
                    Cell::Text(staff_name(w.recorded_by)),
                    time(w.handled_at),
                    minutes(w.at, w.handled_at),
                    Cell::Text(result.to_owned()),
                    time(w.confirmed_at),
                    Cell::Text(late.to_owned()),
                ]
            })
            .collect(),
    );
    (summary, rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time")
    }

    #[test]
    fn the_summary_counts_results_and_late_steps() {
        let quick = WaybillChange {
            id: 1,
            at: at("2026-11-02 09:00"),
            waybill_no: "SD1".into(),
            call_id: Some(7),
            handled_at: Some(at("2026-11-02 09:30")),
            changed: Some(true),
            confirmed_at: Some(at("2026-11-02 10:00")),
            ..WaybillChange::default()
        };
        let slow = WaybillChange {
            id: 2,
            at: at("2026-11-03 09:00"),
            waybill_no: "SD2".into(),
            handled_at: Some(at("2026-11-03 12:00")),
            changed: Some(false),
            ..WaybillChange::default()
        };
        let now = at("2026-11-03 17:00");
        let (summary, rows) = tables(&[quick, slow], now, |_| "李娜".into());
        let figure = |name: &str| {
            summary
                .rows
                .iter()
                .find(|r| r[0] == Cell::Text(name.into()))
                .map(|r| r[1].clone())
        };
        assert_eq!(figure("recorded"), Some(Cell::Int(2)));
        assert_eq!(figure("changed"), Some(Cell::Int(1)));
        assert_eq!(figure("refused"), Some(Cell::Int(1)));
        assert_eq!(figure("open"), Some(Cell::Int(1)));
        assert_eq!(figure("answered_late"), Some(Cell::Int(1)));
        assert_eq!(
            figure("told_late"),
            Some(Cell::Int(1)),
            "5 h after the answer"
        );
        assert_eq!(rows.rows[0][3], Cell::Text("call 7".into()));
        assert_eq!(rows.rows[0][7], Cell::Int(30));
        assert_eq!(rows.rows[1][3], Cell::Text("desk".into()));
        assert_eq!(rows.rows[1][10], Cell::Text("answer+told".into()));
    }
}
