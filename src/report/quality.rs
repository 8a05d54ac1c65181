//! Monthly supervisor reports: the reward/penalty details (监察奖罚明细报表) and the
//! quality-anomaly analysis (质量异常分析报表).

use super::{Cell, Table};
use crate::domain::inspection::RewardPenalty;
use crate::domain::money::Fen;

/// The quality-anomaly figures of a month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quality {
    /// Inspections done.
    pub inspections: i64,
    /// Items passed ÷ applicable, %.
    pub pass_pct: Option<f64>,
    /// Most failed items: (item, failures).
    pub top_failing: Vec<(String, i64)>,
    /// Complaints received by category: (category, count).
    pub complaints_by_category: Vec<(String, i64)>,
    /// Greeted within the limit, % of visits.
    pub greeting_pct: Option<f64>,
    /// Water served, % of visits.
    pub water_pct: Option<f64>,
    /// Rectifications overdue now.
    pub overdue_rectifications: i64,
    /// The month's inspection report: one row per checklist item checked, the total last.
    pub items: Vec<super::inspections::Row>,
    /// The improvement measures agreed for this month's failing items.
    pub measures: Vec<crate::domain::quality::QualityMeasure>,
    /// The previous month's measures with their items' failures then and now.
    pub previous_measures: Vec<crate::domain::quality::MeasureEffect>,
}

/// The quality report as `section,item,value` rows.
pub fn quality_table(q: &Quality) -> Table {
    let pct = |p: Option<f64>| p.map_or(Cell::Empty, Cell::Dec1);
    let mut rows = vec![
        vec![
            Cell::Text("inspections".into()),
            Cell::Text("count".into()),
            Cell::Int(q.inspections),
        ],
        vec![
            Cell::Text("inspections".into()),
            Cell::Text("pass_pct".into()),
            pct(q.pass_pct),
        ],
    ];
    for (item, n) in &q.top_failing {
        rows.push(vec![
            Cell::Text("top_failing".into()),
            Cell::Text(item.clone()),
            Cell::Int(*n),
        ]);
    }
    for (cat, n) in &q.complaints_by_category {
        rows.push(vec![
            Cell::Text("complaints".into()),
            Cell::Text(cat.clone()),
            Cell::Int(*n),
        ]);
    }
    rows.push(vec![
        Cell::Text("reception".into()),
        Cell::Text("greeting_compliance_pct".into()),
        pct(q.greeting_pct),
    ]);
    rows.push(vec![
        Cell::Text("reception".into()),
        Cell::Text("water_served_pct".into()),
        pct(q.water_pct),
    ]);
    rows.push(vec![
        Cell::Text("rectifications".into()),
        Cell::Text("overdue".into()),
        Cell::Int(q.overdue_rectifications),
    ]);
    Table::new(&["section", "item", "value"], rows)
}

/// The measures sheet: the previous month's measures with their items' failures then
/// (`failures_before`) and this month (`failures_after`) and their reviews, then this month's
/// measures with their items' failures this month (the month after is still to come).
pub fn measures_table(q: &Quality) -> Table {
    use crate::domain::quality::QualityMeasure;
    let row = |m: &QualityMeasure, before: i64, after: Option<i64>| {
        vec![
            Cell::Text(m.month.clone()),
            Cell::Text(m.item.clone()),
            Cell::Text(m.cause.clone()),
            Cell::Text(m.measure.clone()),
            Cell::Text(m.owner.clone()),
            Cell::Text(m.due.format("%Y-%m-%d").to_string()),
            Cell::Int(before),
            after.map_or(Cell::Empty, Cell::Int),
            match m.effective {
                Some(true) => Cell::Text("yes".into()),
                Some(false) => Cell::Text("no".into()),
                None => Cell::Empty,
            },
        ]
    };
    let mut rows: Vec<Vec<Cell>> = q
        .previous_measures
        .iter()
        .map(|e| row(&e.measure, e.failures_before, Some(e.failures_after)))
        .collect();
    for m in &q.measures {
        rows.push(row(m, failures_of(&q.items, &m.item), None));
    }
    Table::new(
        &[
            "month",
            "item",
            "cause",
            "measure",
            "owner",
            "due",
            "failures_before",
            "failures_after",
            "effective",
        ],
        rows,
    )
}

/// The failures of `item` in a month's inspection report (0 when it was not failed).
pub fn failures_of(rows: &[super::inspections::Row], item: &str) -> i64 {
    rows.iter()
        .find(|r| r.item == item && r.item != "total")
        .map_or(0, |r| r.failed)
}

/// The reward/penalty details: one row per entry (with the inspection, or the day of attendance
/// and its minutes late against `shift_start`, it was given for), then each person's totals
/// (`total` rows: the rewards, the penalties and the net amount, in fen).
pub fn rewards_table(
    entries: &[RewardPenalty],
    name_of: impl Fn(i64) -> String,
    shift_start: chrono::NaiveTime,
) -> Table {
    let mut rows: Vec<Vec<Cell>> = entries
        .iter()
        .map(|e| {
            let attendance = e.attendance_late(shift_start);
            vec![
                Cell::Text(e.on.format("%Y-%m-%d").to_string()),
                Cell::Text(name_of(e.staff_id)),
                Cell::Text(if e.reward { "reward" } else { "penalty" }.into()),
                Cell::Int(e.amount_fen),
                Cell::Text(e.reason.clone()),
                e.inspection_id.map_or(Cell::Empty, Cell::Int),
                attendance.map_or(Cell::Empty, |(day, _)| {
                    Cell::Text(day.format("%Y-%m-%d").to_string())
                }),
                attendance.map_or(Cell::Empty, |(_, late)| Cell::Int(late)),
            ]
        })
        .collect();
    let mut totals: std::collections::BTreeMap<String, (Fen, Fen)> =
        std::collections::BTreeMap::new();
    for e in entries {
        let t = totals.entry(name_of(e.staff_id)).or_default();
        if e.reward {
            t.0 += e.amount_fen;
        } else {
            t.1 += e.amount_fen;
        }
    }
    for (name, (reward, penalty)) in totals {
        for (kind, fen) in [
            ("reward", reward),
            ("penalty", penalty),
            ("net", reward - penalty),
        ] {
            rows.push(vec![
                Cell::Text("total".into()),
                Cell::Text(name.clone()),
                Cell::Text(kind.into()),
                Cell::Int(fen),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
            ]);
        }
    }
    Table::new(
        &[
            "date",
            "staff",
            "kind",
            "amount_fen",
            "reason",
            "inspection",
            "attendance_day",
            "late_minutes",
        ],
        rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_person_gets_rewards_penalties_and_net_in_fen() {
        let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        let entry = |staff_id, reward, amount_fen| RewardPenalty {
            id: 0,
            staff_id,
            reward,
            amount_fen,
            reason: "仪容".into(),
            on,
            inspection_id: Some(7),
            complaint_id: None,
            claim_id: None,
            attendance_id: None,
            attendance: None,
        };
        let signed_in_at = on.and_hms_opt(9, 12, 0).unwrap();
        let late = RewardPenalty {
            inspection_id: None,
            attendance_id: Some(4),
            attendance: Some(crate::domain::attendance::AttendanceDay {
                id: 4,
                staff_id: 2,
                day: on,
                signed_in_at,
                signed_out_at: None,
                desk: None,
            }),
            ..entry(2, false, 1000)
        };
        let entries = [entry(1, true, 5000), entry(1, false, 2000), late];
        let nine = crate::domain::attendance::default_shift_start();
        let table = rewards_table(
            &entries,
            |id| if id == 1 { "李娜" } else { "王强" }.into(),
            nine,
        );
        assert_eq!(table.rows.len(), 3 + 6);
        assert_eq!(table.rows[0][5], Cell::Int(7));
        assert_eq!(table.rows[0][6], Cell::Empty);
        assert_eq!(
            table.rows[2][5..],
            [Cell::Empty, Cell::Text("2026-11-03".into()), Cell::Int(12)]
        );
        let totals: Vec<(String, String, Cell)> = table.rows[3..]
            .iter()
            .map(|r| {
                assert_eq!(r[0], Cell::Text("total".into()));
                let text = |c: &Cell| match c {
                    Cell::Text(s) => s.clone(),
                    _ => String::new(),
                };
                (text(&r[1]), text(&r[2]), r[3].clone())
            })
            .collect();
        let row = |name: &str, kind: &str, fen| (name.to_owned(), kind.to_owned(), Cell::Int(fen));
        assert_eq!(
            totals,
            [
                row("李娜", "reward", 5000),
                row("李娜", "penalty", 2000),
                row("李娜", "net", 3000),
                row("王强", "reward", 0),
                row("王强", "penalty", 1000),
                row("王强", "net", -1000),
            ]
        );
    }
}
