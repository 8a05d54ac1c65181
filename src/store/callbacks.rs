//! Callbacks (回访): scheduled from a call, a complaint or a customer; due list; results.

use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, Row, Transaction, params};

use super::{Result, StoreError, parse_ts_opt, ts};
use crate::domain::call::{Callback, CallbackResult};
use crate::domain::complaint::Satisfaction;

const COLUMNS: &str = "id, due, name, phone, purpose, call_id, complaint_id, customer_id, done_at,
    done_by, quality, usage, satisfaction, notes";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Callback> {
    let due: String = r.get("due")?;
    let quality: Option<String> = r.get("quality")?;
    let satisfaction: Option<String> = r.get("satisfaction")?;
    Ok(Callback {
        id: r.get("id")?,
        due: NaiveDate::parse_from_str(&due, "%Y-%m-%d").map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(1, rusqlite::types::Type::Text, Box::new(e))
        })?,
        name: r.get("name")?,
        phone: r.get("phone")?,
        purpose: r.get("purpose")?,
        call_id: r.get("call_id")?,
        complaint_id: r.get("complaint_id")?,
        customer_id: r.get("customer_id")?,
        done_at: parse_ts_opt(r.get("done_at")?)?,
        done_by: r.get("done_by")?,
        quality: quality.as_deref().and_then(Satisfaction::parse),
        usage: r.get("usage")?,
        satisfaction: satisfaction.as_deref().and_then(Satisfaction::parse),
        notes: r.get("notes")?,
    })
}

/// Schedules a callback. Returns its id.
pub fn schedule(
    tx: &Transaction<'_>,
    c: &Callback,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let c = c.scheduled(now)?;
    tx.execute(
        "INSERT INTO callbacks (due, name, phone, purpose, call_id, complaint_id, customer_id, created_at, created_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            c.due.format("%Y-%m-%d").to_string(),
            c.name,
            c.phone,
            c.purpose,
            c.call_id,
            c.complaint_id,
            c.customer_id,
            ts(now),
            staff
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Open callbacks due on or before `until`, earliest first.
pub fn open_until(conn: &Connection, until: NaiveDate) -> Result<Vec<Callback>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM callbacks WHERE done_at IS NULL AND due <= ?1 ORDER BY due, id"
    ))?;
    let rows = stmt.query_map([until.format("%Y-%m-%d").to_string()], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records the callback's result.
pub fn complete(
    tx: &Transaction<'_>,
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
    } = result.checked()?;
    let n = tx.execute(
        "UPDATE callbacks SET done_at = ?2, done_by = ?3, quality = ?4, usage = ?5, satisfaction = ?6, notes = ?7
         WHERE id = ?1 AND done_at IS NULL",
        params![
            id,
            ts(now),
            staff,
            quality.map(Satisfaction::as_zh),
            usage,
            satisfaction.map(Satisfaction::as_zh),
            notes
        ],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    // A completed callback counts as a revisit of a key account.
    let customer: Option<i64> = tx.query_row(
        "SELECT customer_id FROM callbacks WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    if let Some(c) = customer {
        super::customers::mark_revisit(tx, c, now)?;
    }
    Ok(())
}
