//! Monthly inspection report: `item,checked,passed,failed,not_applicable,pass_pct` — one row per
//! checklist item checked that month (in first-seen order), then `total`.
//! `pass_pct` is passed ÷ (passed + failed) × 100, one decimal, empty when nothing applied.

use super::{Cell, Table};
use crate::domain::inspection::{Inspection, ItemResult};
use crate::domain::visit::percent;

/// The report's columns.
pub const COLUMNS: [&str; 6] = [
    "item",
    "checked",
    "passed",
    "failed",
    "not_applicable",
    "pass_pct",
];

/// One row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// Item text, or `total`.
    pub item: String,
    /// Times checked.
    pub checked: i64,
    /// Passed.
    pub passed: i64,
    /// Failed.
    pub failed: i64,
    /// Not applicable.
    pub not_applicable: i64,
}

impl Row {
    /// Pass rate over applicable checks.
    pub fn pass_pct(&self) -> Option<f64> {
        percent(self.passed, self.passed + self.failed)
    }

    fn add(&mut self, r: ItemResult) {
        self.checked += 1;
        match r {
            ItemResult::Pass => self.passed += 1,
            ItemResult::Fail => self.failed += 1,
            ItemResult::NotApplicable => self.not_applicable += 1,
        }
    }
}

/// Builds the report.
pub fn build(inspections: &[Inspection]) -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    let mut total = Row {
        item: "total".into(),
        ..Row::default()
    };
    // Oldest inspection first, so items appear in the order they were first checked.
    for i in inspections.iter().rev() {
        for item in &i.items {
            let idx = match rows.iter().position(|r| r.item == item.text) {
                Some(idx) => idx,
                None => {
                    rows.push(Row {
                        item: item.text.clone(),
                        ..Row::default()
                    });
                    rows.len() - 1
                }
            };
            rows[idx].add(item.result);
            total.add(item.result);
        }
    }
    rows.push(total);
    rows
}

/// Items by failures, most failed first (the "top failing items").
pub fn top_failing(rows: &[Row], n: usize) -> Vec<&Row> {
    let mut v: Vec<&Row> = rows
        .iter()
        .filter(|r| r.item != "total" && r.failed > 0)
        .collect();
    v.sort_by_key(|r| std::cmp::Reverse(r.failed));
    v.truncate(n);
    v
}

/// As a [`Table`].
pub fn table(rows: &[Row]) -> Table {
    Table::new(
        &COLUMNS,
        rows.iter()
            .map(|r| {
                vec![
                    Cell::Text(r.item.clone()),
                    Cell::Int(r.checked),
                    Cell::Int(r.passed),
                    Cell::Int(r.failed),
                    Cell::Int(r.not_applicable),
                    r.pass_pct().map_or(Cell::Empty, Cell::Dec1),
                ]
            })
            .collect(),
    )
}
