//! 每日工作报表: each staff member's day counted from the records, submitted with their remarks,
//! and read by a supervisor.
//!
//! A submission stores the figures as generated at that moment. Submitting again the same day
//! replaces the figures and the remarks, until a supervisor has read the report; from then on it
//! stays as read.

use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::db::{Db, Row};
use super::{Result, StoreError};
use crate::db_params;
use crate::domain::attendance::{self, DailyReport, DayFigures};

const COLUMNS: &str = "id, staff_id, day, visits_greeted, greeted_on_time, calls_answered,
    calls_on_time, complaints_taken, complaints_closed, callbacks_done, claims_worked, remarks,
    submitted_at, read_at, read_by_id, read_by";

fn from_row(r: &Row<'_>) -> Result<DailyReport> {
    Ok(DailyReport {
        id: r.get(0)?,
        staff_id: r.get(1)?,
        day: r.get(2)?,
        figures: DayFigures {
            visits_greeted: r.get(3)?,
            greeted_on_time: r.get(4)?,
            calls_answered: r.get(5)?,
            calls_on_time: r.get(6)?,
            complaints_taken: r.get(7)?,
            complaints_closed: r.get(8)?,
            callbacks_done: r.get(9)?,
            claims_worked: r.get(10)?,
        },
        remarks: r.get(11)?,
        submitted_at: r.get(12)?,
        read_at: r.get(13)?,
        read_by_id: r.get(14)?,
        read_by: r.get(15)?,
    })
}

/// `staff_id`'s figures of `day`, counted from the records: visits they greeted (in time: at
/// most `limit_secs` after arriving, cancelled visits left out), calls they answered (in time:
/// within 2 rings), complaints they received and closed, callbacks they made, and the claims
/// with an event of theirs.
///
/// Each count reads its table through an index on its time (the callbacks done and the claim
/// events through those of schema 15), never the whole table (`tests/query_plans.rs`).
pub fn figures<'a>(
    db: impl Into<Db<'a>>,
    staff_id: i64,
    day: NaiveDate,
    limit_secs: i64,
) -> Result<DayFigures> {
    let db = db.into();
    let from = day.and_time(chrono::NaiveTime::MIN);
    let to = from + Duration::days(1);
    let latency = db.pick(
        "unixepoch(greeted_at) - unixepoch(arrived_at)",
        "EXTRACT(EPOCH FROM CAST(greeted_at AS timestamp) - CAST(arrived_at AS timestamp))",
    );
    let (visits_greeted, greeted_on_time) = db.query_row(
        &format!(
            "SELECT count(*), count(CASE WHEN {latency} <= ?4 THEN 1 END) FROM visits
             WHERE arrived_at >= ?5 AND arrived_at < ?3
               AND greeted_by = ?1 AND greeted_at >= ?2 AND greeted_at < ?3
               AND cancelled_at IS NULL"
        ),
        // Through the arrival index: a visitor greeted that day arrived that day or, just
        // before midnight, the day before.
        db_params![staff_id, from, to, limit_secs, from - Duration::days(1)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (calls_answered, calls_on_time) = db.query_row(
        "SELECT count(*), count(CASE WHEN rings <= 2 THEN 1 END) FROM calls
         WHERE staff_id = ?1 AND at >= ?2 AND at < ?3",
        db_params![staff_id, from, to],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let count = |sql: &str| -> Result<i64> { db.query_value(sql, db_params![staff_id, from, to]) };
    Ok(DayFigures {
        visits_greeted,
        greeted_on_time,
        calls_answered,
        calls_on_time,
        complaints_taken: count(
            "SELECT count(*) FROM complaints
             WHERE received_by = ?1 AND received_at >= ?2 AND received_at < ?3",
        )?,
        complaints_closed: count(
            "SELECT count(DISTINCT complaint_id) FROM complaint_events
             WHERE staff_id = ?1 AND at >= ?2 AND at < ?3 AND kind = 'status' AND status = '已结案'",
        )?,
        callbacks_done: count(
            "SELECT count(*) FROM callbacks WHERE done_by = ?1 AND done_at >= ?2 AND done_at < ?3",
        )?,
        claims_worked: count(
            "SELECT count(DISTINCT claim_id) FROM claim_events
             WHERE staff_id = ?1 AND at >= ?2 AND at < ?3",
        )?,
    })
}

/// `staff_id`'s report of `day`, if submitted.
pub fn get<'a>(
    db: impl Into<Db<'a>>,
    staff_id: i64,
    day: NaiveDate,
) -> Result<Option<DailyReport>> {
    db.into().query_opt(
        &format!("SELECT {COLUMNS} FROM daily_reports WHERE staff_id = ?1 AND day = ?2"),
        db_params![staff_id, day],
        from_row,
    )
}

/// The reports submitted for `day`, by staff member.
pub fn on_day<'a>(db: impl Into<Db<'a>>, day: NaiveDate) -> Result<Vec<DailyReport>> {
    db.into().query_map(
        &format!("SELECT {COLUMNS} FROM daily_reports WHERE day = ?1 ORDER BY staff_id"),
        db_params![day],
        from_row,
    )
}

/// Submits `staff_id`'s report of today (`now`'s day) with `remarks`: the figures are counted
/// now. Again the same day, it replaces figures and remarks until a supervisor has read it.
/// Returns its id.
pub fn submit<'a>(
    db: impl Into<Db<'a>>,
    staff_id: i64,
    remarks: &str,
    now: NaiveDateTime,
    limit_secs: i64,
) -> Result<i64> {
    let db = db.into();
    let remarks = attendance::remarks(remarks)?;
    let day = now.date();
    if let Some(existing) = get(db, staff_id, day)? {
        existing.check_resubmit()?;
    }
    let f = figures(db, staff_id, day, limit_secs)?;
    db.query_value(
        "INSERT INTO daily_reports (staff_id, day, visits_greeted, greeted_on_time,
             calls_answered, calls_on_time, complaints_taken, complaints_closed, callbacks_done,
             claims_worked, remarks, submitted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (staff_id, day) DO UPDATE SET
             visits_greeted = excluded.visits_greeted,
             greeted_on_time = excluded.greeted_on_time,
             calls_answered = excluded.calls_answered,
             calls_on_time = excluded.calls_on_time,
             complaints_taken = excluded.complaints_taken,
             complaints_closed = excluded.complaints_closed,
             callbacks_done = excluded.callbacks_done,
             claims_worked = excluded.claims_worked,
             remarks = excluded.remarks,
             submitted_at = excluded.submitted_at
         RETURNING id",
        db_params![
            staff_id,
            day,
            f.visits_greeted,
            f.greeted_on_time,
            f.calls_answered,
            f.calls_on_time,
            f.complaints_taken,
            f.complaints_closed,
            f.callbacks_done,
            f.claims_worked,
            remarks,
            now
        ],
    )
}

/// Marks report `id` read at `now` by the supervisor account `reader_id` named `reader`.
pub fn mark_read<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    now: NaiveDateTime,
    reader_id: Option<i64>,
    reader: &str,
) -> Result<()> {
    let db = db.into();
    let Some(report) = db.query_opt(
        &format!("SELECT {COLUMNS} FROM daily_reports WHERE id = ?1"),
        db_params![id],
        from_row,
    )?
    else {
        return Err(StoreError::NotFound);
    };
    report.check_read()?;
    db.execute(
        "UPDATE daily_reports SET read_at = ?2, read_by_id = ?3, read_by = ?4
         WHERE id = ?1 AND read_at IS NULL",
        db_params![id, now, reader_id, reader],
    )?;
    Ok(())
}
