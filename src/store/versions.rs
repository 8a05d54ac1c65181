//! No lost updates between desks: which change of a record a screen's form was based on, and a
//! refusal to save over a newer change made elsewhere.
//!
//! Every change of a visit, a complaint or a claim appends a line to its log (`visit_log`,
//! `complaint_events`, `claim_events`); the id of the newest line is the record's *stamp*. A screen
//! notes the stamp of what it shows when a form is started; the save runs
//! [`ensure_unchanged`] inside its own transaction (on a server after taking the write lock), so
//! of two desks acting on the same record the second one is told who changed it and when, keeps
//! what it typed, and saves again once it has seen the newer state.

use chrono::NaiveDateTime;

use super::db::Db;
use super::{Result, StoreError};
use crate::db_params;

/// A kind of record that several desks may change at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Record {
    /// A visit on the reception board.
    Visit,
    /// A complaint.
    Complaint,
    /// A claim.
    Claim,
}

impl Record {
    /// The log of this kind of record and its column naming the record.
    fn log(self) -> (&'static str, &'static str) {
        match self {
            Self::Visit => ("visit_log", "visit_id"),
            Self::Complaint => ("complaint_events", "complaint_id"),
            Self::Claim => ("claim_events", "claim_id"),
        }
    }
}

/// A record's newest change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The id of its log line (the record's stamp).
    pub stamp: i64,
    /// Who made it (the staff member chosen at the desk), if known.
    pub staff: Option<String>,
    /// At which desk (`None` for changes made before desks were recorded).
    pub desk: Option<String>,
    /// When.
    pub at: NaiveDateTime,
}

impl Change {
    /// "张三(前台1)", "张三", "前台1" or "".
    pub fn by(&self) -> String {
        let staff = self.staff.as_deref().unwrap_or_default();
        match (staff, self.desk.as_deref().filter(|d| !d.is_empty())) {
            ("", Some(desk)) => desk.to_owned(),
            (staff, Some(desk)) => format!("{staff}({desk})"),
            (staff, None) => staff.to_owned(),
        }
    }
}

/// The stamp a form was based on: `record` `id` as it was at its log line `stamp` (0: no line).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seen {
    /// What kind of record.
    pub record: Record,
    /// Which one.
    pub id: i64,
    /// Its stamp then.
    pub stamp: i64,
}

/// The newest change of `record` `id`, if it has any.
pub fn latest<'a>(db: impl Into<Db<'a>>, record: Record, id: i64) -> Result<Option<Change>> {
    let db = db.into();
    let (log, key) = record.log();
    db.query_opt(
        &format!(
            "SELECT l.id, s.name, l.desk, l.at FROM {log} l LEFT JOIN staff s ON s.id = l.staff_id
             WHERE l.{key} = ?1 ORDER BY l.id DESC LIMIT 1"
        ),
        db_params![id],
        |r| {
            Ok(Change {
                stamp: r.get(0)?,
                staff: r.get(1)?,
                desk: r.get(2)?,
                at: r.get(3)?,
            })
        },
    )
}

/// The stamp of `record` `id` now (0 when it has no log line).
pub fn stamp<'a>(db: impl Into<Db<'a>>, record: Record, id: i64) -> Result<i64> {
    Ok(latest(db, record, id)?.map_or(0, |c| c.stamp))
}

/// Refuses with [`StoreError::Changed`] when the record changed since `seen`.
pub fn ensure_unchanged<'a>(db: impl Into<Db<'a>>, seen: Seen) -> Result<()> {
    match latest(db, seen.record, seen.id)? {
        Some(change) if change.stamp != seen.stamp => Err(StoreError::Changed {
            by: change.by(),
            at: change.at,
            stamp: change.stamp,
        }),
        _ => Ok(()),
    }
}
