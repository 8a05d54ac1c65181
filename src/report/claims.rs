//! The monthly claims report (理赔月报).
//!
//! `dimension,value,claims,claimed_fen,agreed_fen,paid_fen,recovered_fen` — rows for `type`,
//! `cause`, `responsible_role` (amounts split by the parties' shares), `status` and `branch` (a
//! claim without one is in the total only), one per value that occurs; `major,yes` (major accidents) and `settled_directly,yes` (settled
//! directly by a branch, a driver or a loader with the customer) when there are any; then
//! `total,all`.

use chrono::{Datelike as _, NaiveDate, NaiveDateTime};

use super::{Cell, Table};
use crate::domain::claim::{Claim, ClaimStatus, ClaimType, PartyRole};
use crate::domain::money::Fen;

/// The report's columns, in order.
pub const COLUMNS: [&str; 7] = [
    "dimension",
    "value",
    "claims",
    "claimed_fen",
    "agreed_fen",
    "paid_fen",
    "recovered_fen",
];

/// Parses `2026-11` into the first day of the month.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    let (y, m) = s.trim().split_once('-')?;
    if m.len() != 2 {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    if !crate::domain::validation::REPORT_YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, 1)
}

/// The month `2026-11` as `[first day 00:00, first day of next month 00:00)`; a month that is
/// not one is refused with the report's message.
pub fn month_period(
    month: &str,
) -> Result<(NaiveDateTime, NaiveDateTime), crate::domain::DomainError> {
    parse_month(month)
        .map(month_bounds)
        .ok_or(crate::domain::DomainError::Invalid {
            field: "report.month",
            reason: "err.month_format",
        })
}

/// `[first day 00:00, first day of next month 00:00)`.
pub fn month_bounds(first: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    }
    .unwrap_or(first);
    (
        first.and_hms_opt(0, 0, 0).unwrap_or_default(),
        next.and_hms_opt(0, 0, 0).unwrap_or_default(),
    )
}

/// One row.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Row {
    /// `type`, `cause`, `responsible_role`, `status` or `total`.
    pub dimension: String,
    /// The value, or `all`.
    pub value: String,
    /// Claims.
    pub claims: i64,
    /// Claimed.
    pub claimed_fen: Fen,
    /// Agreed.
    pub agreed_fen: Fen,
    /// Paid.
    pub paid_fen: Fen,
    /// Recovered from insurers.
    pub recovered_fen: Fen,
}

impl Row {
    fn add(&mut self, c: &Claim) {
        self.claims += 1;
        self.claimed_fen += c.claimed_fen;
        self.agreed_fen += c.agreed_fen.unwrap_or(0);
        self.paid_fen += c.paid_fen.unwrap_or(0);
        self.recovered_fen += c.recovered_fen;
    }
}

fn grouped(
    dimension: &str,
    values: &[String],
    claims: &[Claim],
    key: impl Fn(&Claim) -> String,
) -> Vec<Row> {
    values
        .iter()
        .filter_map(|v| {
            let mut row = Row {
                dimension: dimension.to_owned(),
                value: v.clone(),
                ..Row::default()
            };
            for c in claims.iter().filter(|c| key(c) == *v) {
                row.add(c);
            }
            (row.claims > 0).then_some(row)
        })
        .collect()
}

/// Builds the report. Causes come in the order of `cause_order`, others after them by name.
pub fn build(claims: &[Claim], cause_order: &[String]) -> Vec<Row> {
    let mut rows = Vec::new();
    let types: Vec<String> = ClaimType::ALL
        .iter()
        .map(|t| t.as_zh().to_owned())
        .collect();
    rows.extend(grouped("type", &types, claims, |c| {
        c.claim_type.map_or("", ClaimType::as_zh).to_owned()
    }));
    let mut causes: Vec<String> = claims.iter().map(|c| c.cause.clone()).collect();
    causes.sort_by_key(|c| {
        (
            cause_order
                .iter()
                .position(|o| o == c)
                .unwrap_or(usize::MAX),
            c.clone(),
        )
    });
    causes.dedup();
    rows.extend(grouped("cause", &causes, claims, |c| c.cause.clone()));
    for role in PartyRole::ALL {
        let mut row = Row {
            dimension: "responsible_role".into(),
            value: role.as_zh().into(),
            ..Row::default()
        };
        for c in claims {
            let mine: Vec<usize> = c
                .parties
                .iter()
                .enumerate()
                .filter(|(_, p)| p.role == Some(*role))
                .map(|(i, _)| i)
                .collect();
            if mine.is_empty() {
                continue;
            }
            row.claims += 1;
            let part = |amount: Fen| -> Fen {
                let parts = c.party_amounts(amount);
                mine.iter().map(|&i| parts[i]).sum()
            };
            row.claimed_fen += part(c.claimed_fen);
            row.agreed_fen += part(c.agreed_fen.unwrap_or(0));
            row.paid_fen += part(c.paid_fen.unwrap_or(0));
            row.recovered_fen += part(c.recovered_fen);
        }
        if row.claims > 0 {
            rows.push(row);
        }
    }
    let statuses: Vec<String> = ClaimStatus::ALL
        .iter()
        .map(|s| s.as_zh().to_owned())
        .collect();
    rows.extend(grouped("status", &statuses, claims, |c| {
        c.status().as_zh().to_owned()
    }));
    // Claims without a branch are in the total only.
    let mut branches: Vec<String> = claims
        .iter()
        .filter(|c| !c.branch.is_empty())
        .map(|c| c.branch.clone())
        .collect();
    branches.sort();
    branches.dedup();
    rows.extend(grouped("branch", &branches, claims, |c| c.branch.clone()));
    let yes = ["yes".to_owned()];
    let flag = |on: bool| if on { "yes" } else { "" }.to_owned();
    rows.extend(grouped("major", &yes, claims, |c| flag(c.major)));
    rows.extend(grouped("settled_directly", &yes, claims, |c| {
        flag(c.settled_directly)
    }));
    let mut total = Row {
        dimension: "total".into(),
        value: "all".into(),
        ..Row::default()
    };
    for c in claims {
        total.add(c);
    }
    rows.push(total);
    rows
}

/// Amounts by responsible party (name and role), largest paid first, for the window.
pub fn by_party(claims: &[Claim]) -> Vec<(String, Row)> {
    let mut map: std::collections::BTreeMap<(String, String), Row> =
        std::collections::BTreeMap::new();
    for c in claims {
        let agreed = c.party_amounts(c.agreed_fen.unwrap_or(c.claimed_fen));
        let paid = c.party_amounts(c.paid_fen.unwrap_or(0));
        for (i, p) in c.parties.iter().enumerate() {
            let role = p.role.map_or("", PartyRole::as_zh).to_owned();
            let row = map
                .entry((p.name.clone(), role.clone()))
                .or_insert_with(|| Row {
                    dimension: "party".into(),
                    value: p.name.clone(),
                    ..Row::default()
                });
            row.claims += 1;
            row.agreed_fen += agreed[i];
            row.paid_fen += paid[i];
        }
    }
    let mut out: Vec<(String, Row)> = map
        .into_iter()
        .map(|((_, role), row)| (role, row))
        .collect();
    out.sort_by_key(|(_, row)| std::cmp::Reverse(row.agreed_fen));
    out
}

/// Open claims by age on `today`: under 7 days, 7–30 days, over 30 days.
pub fn open_by_age(open: &[Claim], today: NaiveDate) -> [i64; 3] {
    let mut buckets = [0; 3];
    for c in open {
        let age = (today - c.reported_at.date()).num_days();
        let i = match age {
            ..7 => 0,
            7..=30 => 1,
            _ => 2,
        };
        buckets[i] += 1;
    }
    buckets
}

/// The report as a [`Table`].
pub fn table(rows: &[Row]) -> Table {
    Table::new(
        &COLUMNS,
        rows.iter()
            .map(|r| {
                vec![
                    Cell::Text(r.dimension.clone()),
                    Cell::Text(r.value.clone()),
                    Cell::Int(r.claims),
                    Cell::Int(r.claimed_fen),
                    Cell::Int(r.agreed_fen),
                    Cell::Int(r.paid_fen),
                    Cell::Int(r.recovered_fen),
                ]
            })
            .collect(),
    )
}

/// The claims themselves, for a second XLSX sheet (amounts in yuan text for reading).
pub fn detail_table(claims: &[Claim]) -> Table {
    use crate::domain::money::format_fen;
    Table::new(
        &[
            "id",
            "reported_at",
            "waybill",
            "customer",
            "type",
            "cause",
            "branch",
            "status",
            "claimed",
            "agreed",
            "paid",
            "recovered",
        ],
        claims
            .iter()
            .map(|c| {
                vec![
                    Cell::Int(c.id),
                    Cell::Text(
                        c.reported_at
                            .format(crate::domain::TIMESTAMP_FORMAT)
                            .to_string(),
                    ),
                    Cell::Text(c.waybill.clone()),
                    Cell::Text(c.customer_name.clone()),
                    Cell::Text(c.claim_type.map_or("", ClaimType::as_zh).to_owned()),
                    Cell::Text(c.cause.clone()),
                    Cell::Text(c.branch.clone()),
                    Cell::Text(c.status().as_zh().to_owned()),
                    Cell::Text(format_fen(c.claimed_fen)),
                    Cell::Text(c.agreed_fen.map(format_fen).unwrap_or_default()),
                    Cell::Text(c.paid_fen.map(format_fen).unwrap_or_default()),
                    Cell::Text(format_fen(c.recovered_fen)),
                ]
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months() {
        let first = parse_month("2026-12").unwrap();
        let (from, to) = month_bounds(first);
        assert_eq!(from.to_string(), "2026-12-01 00:00:00");
        assert_eq!(to.to_string(), "2027-01-01 00:00:00");
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_month("2026-1"), None);
    }

    #[test]
    fn branches_major_accidents_and_direct_settlements_are_counted() {
        let claim = |branch: &str, major, settled_directly, fen| Claim {
            branch: branch.into(),
            major,
            settled_directly,
            claimed_fen: fen,
            cause: "装卸不当".into(),
            ..Claim::default()
        };
        let claims = [
            claim("上海分公司", true, false, 100),
            claim("杭州分公司", false, true, 200),
            claim("上海分公司", false, true, 400),
        ];
        let rows = build(&claims, &[]);
        let of = |dimension: &str| -> Vec<(String, i64, Fen)> {
            rows.iter()
                .filter(|r| r.dimension == dimension)
                .map(|r| (r.value.clone(), r.claims, r.claimed_fen))
                .collect()
        };
        assert_eq!(
            of("branch"),
            [
                ("上海分公司".to_owned(), 2, 500),
                ("杭州分公司".to_owned(), 1, 200)
            ]
        );
        assert_eq!(of("major"), [("yes".to_owned(), 1, 100)]);
        assert_eq!(of("settled_directly"), [("yes".to_owned(), 2, 600)]);
        assert_eq!(rows.last().unwrap().claims, 3);
        // None of either: no row.
        let rows = build(&[claim("上海分公司", false, false, 100)], &[]);
        assert!(
            !rows
                .iter()
                .any(|r| r.dimension == "major" || r.dimension == "settled_directly")
        );
    }
}
