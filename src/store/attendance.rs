//! 签到: one sign-in and sign-out per staff member and day, at the desk's on-duty picker.

use chrono::{NaiveDate, NaiveDateTime};

use super::db::{Db, Row};
use super::{Result, StoreError};
use crate::db_params;
use crate::domain::attendance::AttendanceDay;

const COLUMNS: &str = "id, staff_id, day, signed_in_at, signed_out_at, desk";

/// A day from a row of [`COLUMNS`] (after `first` columns of something else).
pub(super) fn from_row_at(r: &Row<'_>, first: usize) -> Result<AttendanceDay> {
    Ok(AttendanceDay {
        id: r.get(first)?,
        staff_id: r.get(first + 1)?,
        day: r.get(first + 2)?,
        signed_in_at: r.get(first + 3)?,
        signed_out_at: r.get(first + 4)?,
        desk: r.get(first + 5)?,
    })
}

fn from_row(r: &Row<'_>) -> Result<AttendanceDay> {
    from_row_at(r, 0)
}

/// Signs `staff_id` in at `now` at `desk`, unless they signed in that day already. Returns
/// whether this was their sign-in.
pub fn sign_in<'a>(
    db: impl Into<Db<'a>>,
    staff_id: i64,
    now: NaiveDateTime,
    desk: &str,
) -> Result<bool> {
    let n = db.into().execute(
        "INSERT INTO attendance (staff_id, day, signed_in_at, desk) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (staff_id, day) DO NOTHING",
        db_params![staff_id, now.date(), now, desk],
    )?;
    Ok(n > 0)
}

/// Signs `staff_id` out at `now` (today's sign-in; once).
pub fn sign_out<'a>(db: impl Into<Db<'a>>, staff_id: i64, now: NaiveDateTime) -> Result<()> {
    let db = db.into();
    let Some(day) = on_day(db, staff_id, now.date())? else {
        return Err(crate::domain::DomainError::WrongState("att.not_signed_in").into());
    };
    day.check_sign_out(now)?;
    let n = db.execute(
        "UPDATE attendance SET signed_out_at = ?3
         WHERE staff_id = ?1 AND day = ?2 AND signed_out_at IS NULL",
        db_params![staff_id, now.date(), now],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// `staff_id`'s attendance on `day`, if they signed in.
pub fn on_day<'a>(
    db: impl Into<Db<'a>>,
    staff_id: i64,
    day: NaiveDate,
) -> Result<Option<AttendanceDay>> {
    db.into().query_opt(
        &format!("SELECT {COLUMNS} FROM attendance WHERE staff_id = ?1 AND day = ?2"),
        db_params![staff_id, day],
        from_row,
    )
}

/// The day of attendance `id`, if there is one.
pub fn by_id<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Option<AttendanceDay>> {
    db.into().query_opt(
        &format!("SELECT {COLUMNS} FROM attendance WHERE id = ?1"),
        db_params![id],
        from_row,
    )
}

/// Everyone's attendance on the days `[from, to)`, by staff member, then day.
pub fn between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AttendanceDay>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM attendance WHERE day >= ?1 AND day < ?2 ORDER BY staff_id, day"
        ),
        db_params![from, to],
        from_row,
    )
}
