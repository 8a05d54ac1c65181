//! Callbacks (回访): scheduled from a call, a complaint or a customer; due list; results.

use chrono::{NaiveDate, NaiveDateTime};

use super::db::{Db, Row};
use super::{Result, StoreError};
use crate::db_params;
use crate::domain::call::{Callback, CallbackResult};
use crate::domain::complaint::Satisfaction;

const COLUMNS: &str = "id, due, name, phone, purpose, call_id, complaint_id, customer_id, done_at,
    done_by, quality, usage, satisfaction, notes";

fn from_row(r: &Row<'_>) -> Result<Callback> {
    let quality: Option<String> = r.get(10)?;
    let satisfaction: Option<String> = r.get(12)?;
    Ok(Callback {
        id: r.get(0)?,
        due: r.get(1)?,
        name: r.get(2)?,
        phone: r.get(3)?,
        purpose: r.get(4)?,
        call_id: r.get(5)?,
        complaint_id: r.get(6)?,
        customer_id: r.get(7)?,
        done_at: r.get(8)?,
        done_by: r.get(9)?,
        quality: quality.as_deref().and_then(Satisfaction::parse),
        usage: r.get(11)?,
        satisfaction: satisfaction.as_deref().and_then(Satisfaction::parse),
        notes: r.get(13)?,
    })
}

/// Schedules a callback. Returns its id.
pub fn schedule<'a>(
    db: impl Into<Db<'a>>,
    c: &Callback,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let c = c.scheduled(now)?;
    db.into().query_value(
        "INSERT INTO callbacks (due, name, phone, purpose, call_id, complaint_id, customer_id, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         RETURNING id",
        db_params![
            c.due,
            c.name,
            c.phone,
            c.purpose,
            c.call_id,
            c.complaint_id,
            c.customer_id,
            now,
            staff
        ],
    )
}

/// Open callbacks due on or before `until`, earliest first.
pub fn open_until<'a>(db: impl Into<Db<'a>>, until: NaiveDate) -> Result<Vec<Callback>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM callbacks WHERE done_at IS NULL AND due <= ?1 ORDER BY due, id"
        ),
        db_params![until],
        from_row,
    )
}

/// Records the callback's result.
pub fn complete<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    result: &CallbackResult,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<()> {
    let CallbackResult {
        quality,
        usage,
        satisfaction,
        notes,
        staff_feedback,
    } = result.checked()?;
    let db = db.into();
    let n = db.execute(
        "UPDATE callbacks SET done_at = ?2, done_by = ?3, quality = ?4, usage = ?5, satisfaction = ?6, notes = ?7,
            staff_feedback = ?8
         WHERE id = ?1 AND done_at IS NULL",
        db_params![
            id,
            now,
            staff,
            quality.map(Satisfaction::as_zh),
            usage,
            satisfaction.map(Satisfaction::as_zh),
            notes,
            (!staff_feedback.is_empty()).then_some(staff_feedback)
        ],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    // A completed callback counts as a revisit of a key account.
    let customer: Option<i64> = db.query_value(
        "SELECT customer_id FROM callbacks WHERE id = ?1",
        db_params![id],
    )?;
    if let Some(c) = customer {
        super::customers::mark_revisit(db, c, now)?;
    }
    Ok(())
}

/// A key account's feedback on the staff serving it, given with a completed revisit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaffFeedback {
    /// The callback (revisit).
    pub callback_id: i64,
    /// When the revisit was done.
    pub at: NaiveDateTime,
    /// Who did the revisit.
    pub done_by: Option<i64>,
    /// What the customer said about the staff.
    pub text: String,
}

/// The feedback on the staff given in customer `customer_id`'s completed revisits, newest first.
pub fn staff_feedback<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Vec<StaffFeedback>> {
    db.into().query_map(
        "SELECT id, done_at, done_by, staff_feedback FROM callbacks
         WHERE customer_id = ?1 AND done_at IS NOT NULL AND staff_feedback IS NOT NULL
         ORDER BY done_at DESC, id DESC",
        db_params![customer_id],
        |r| {
            Ok(StaffFeedback {
                callback_id: r.get(0)?,
                at: r.get(1)?,
                done_by: r.get(2)?,
                text: r.get(3)?,
            })
        },
    )
}
