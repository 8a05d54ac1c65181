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

/// The reward/penalty details: one row per entry, then per-person totals.
pub fn rewards_table(entries: &[RewardPenalty], name_of: impl Fn(i64) -> String) -> Table {
    let mut rows: Vec<Vec<Cell>> = entries
        .iter()
        .map(|e| {
            vec![
                Cell::Text(e.on.format("%Y-%m-%d").to_string()),
                Cell::Text(name_of(e.staff_id)),
                Cell::Text(if e.reward { "reward" } else { "penalty" }.into()),
                Cell::Int(e.amount_fen),
                Cell::Text(e.reason.clone()),
                e.inspection_id.map_or(Cell::Empty, Cell::Int),
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
        rows.push(vec![
            Cell::Text("total".into()),
            Cell::Text(name),
            Cell::Text("net".into()),
            Cell::Int(reward - penalty),
            Cell::Text(format!("reward {reward} / penalty {penalty}")),
            Cell::Empty,
        ]);
    }
    Table::new(
        &[
            "date",
            "staff",
            "kind",
            "amount_fen",
            "reason",
            "inspection",
        ],
        rows,
    )
}
