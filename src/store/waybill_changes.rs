//! Waybill change requests (更改收货人、联系电话): recorded from a call or a visit, passed to a
//! department, answered, and confirmed back to the customer. Every step is in the audit trail.

use chrono::NaiveDateTime;

use super::db::{Db, Row};
use super::{Result, StoreError};
use crate::db_params;
use crate::domain::DomainError;
use crate::domain::waybill::{ChangeDraft, WaybillChange};

const COLUMNS: &str = "id, at, waybill_no, customer_id, call_id, visit_id, requester,
    requester_phone, identity_checked, new_consignee, new_phone, note, department, recorded_by,
    handled_at, handled_by, changed, handling_note, confirmed_at, confirmed_by, confirm_note, desk";

fn from_row(r: &Row<'_>) -> Result<WaybillChange> {
    let checked: i64 = r.get(8)?;
    let changed: Option<i64> = r.get(16)?;
    Ok(WaybillChange {
        id: r.get(0)?,
        at: r.get(1)?,
        waybill_no: r.get(2)?,
        customer_id: r.get(3)?,
        call_id: r.get(4)?,
        visit_id: r.get(5)?,
        requester: r.get(6)?,
        requester_phone: r.get(7)?,
        identity_checked: checked != 0,
        new_consignee: r.get(9)?,
        new_phone: r.get(10)?,
        note: r.get(11)?,
        department: r.get(12)?,
        recorded_by: r.get(13)?,
        handled_at: r.get(14)?,
        handled_by: r.get(15)?,
        changed: changed.map(|n| n != 0),
        handling_note: r.get(17)?,
        confirmed_at: r.get(18)?,
        confirmed_by: r.get(19)?,
        confirm_note: r.get(20)?,
        desk: r.get(21)?,
    })
}

/// What the audit trail says of a request: the waybill and what is to change, without the
/// people's names and phones (the trail outlives the purge).
fn summary(waybill_no: &str, new_consignee: &str, new_phone: &str) -> String {
    let mut what = Vec::new();
    if !new_consignee.is_empty() {
        what.push("consignee");
    }
    if !new_phone.is_empty() {
        what.push("phone");
    }
    format!("{waybill_no}: {}", what.join("+"))
}

/// Records a request at `now` by `staff`, with the desk of the session; the call or visit it
/// names must exist. Returns its id.
pub fn record<'a>(
    db: impl Into<Db<'a>>,
    draft: &ChangeDraft,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let db = db.into();
    let d = draft.checked()?;
    for (table, id) in [("calls", d.call_id), ("visits", d.visit_id)] {
        if let Some(id) = id {
            let n: i64 = db.query_value(
                &format!("SELECT count(*) FROM {table} WHERE id = ?1"),
                db_params![id],
            )?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
        }
    }
    let id: i64 = db.query_value(
        "INSERT INTO waybill_changes (at, waybill_no, customer_id, call_id, visit_id, requester,
             requester_phone, identity_checked, new_consignee, new_phone, note, department,
             recorded_by, desk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, ?8, ?9, ?10, ?11, ?12,
             (SELECT desk FROM session_actor))
         RETURNING id",
        db_params![
            now,
            d.waybill_no,
            d.customer_id,
            d.call_id,
            d.visit_id,
            d.requester,
            d.requester_phone,
            d.new_consignee,
            d.new_phone,
            d.note,
            d.department,
            staff
        ],
    )?;
    super::audit::record(
        db,
        now,
        "create",
        "waybill_change",
        Some(id),
        "",
        &format!(
            "{} → {}",
            summary(&d.waybill_no, &d.new_consignee, &d.new_phone),
            d.department
        ),
    )?;
    Ok(id)
}

/// One request.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<WaybillChange> {
    db.into()
        .query_opt(
            &format!("SELECT {COLUMNS} FROM waybill_changes WHERE id = ?1"),
            db_params![id],
            from_row,
        )?
        .ok_or(StoreError::NotFound)
}

/// Records the department's answer to request `id` at `now`: who answered, whether the waybill
/// was changed, and their words (required for a refusal). Again, until the customer is told.
pub fn answer<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    handled_by: &str,
    changed: bool,
    note: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let w = get(db, id)?;
    let (handled_by, note) = w.answer(handled_by, changed, note)?;
    let n = db.execute(
        "UPDATE waybill_changes SET handled_at = ?2, handled_by = ?3, changed = ?4,
             handling_note = ?5
         WHERE id = ?1 AND confirmed_at IS NULL",
        db_params![id, now, handled_by, i64::from(changed), note],
    )?;
    if n == 0 {
        return Err(DomainError::WrongState("waybill.err_done").into());
    }
    super::audit::record(
        db,
        now,
        "waybill_answered",
        "waybill_change",
        Some(id),
        "",
        &format!(
            "{}: {handled_by}",
            if changed { "changed" } else { "refused" }
        ),
    )
}

/// `staff` confirms the answer of request `id` back to the customer at `now`, saying how.
pub fn confirm<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    staff: Option<i64>,
    note: &str,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let w = get(db, id)?;
    let note = w.confirmation(note)?;
    let n = db.execute(
        "UPDATE waybill_changes SET confirmed_at = ?2, confirmed_by = ?3, confirm_note = ?4
         WHERE id = ?1 AND confirmed_at IS NULL AND handled_at IS NOT NULL",
        db_params![id, now, staff, note],
    )?;
    if n == 0 {
        return Err(DomainError::WrongState("waybill.err_done").into());
    }
    super::audit::record(
        db,
        now,
        "waybill_confirmed",
        "waybill_change",
        Some(id),
        "",
        "",
    )
}

/// Which requests a page lists.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChangeFilter {
    /// Those not confirmed back to the customer yet.
    #[default]
    Open,
    /// All of them.
    All,
}

/// A page of requests, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangePage {
    /// The rows of the page.
    pub rows: Vec<WaybillChange>,
    /// The position of its first row in the whole list.
    pub offset: i64,
    /// Whether there are older requests after this page.
    pub more: bool,
    /// How many requests are open in all.
    pub open: i64,
}

/// The requests of `filter` from `offset` on, newest first, at most `limit`; the open count.
pub fn page<'a>(
    db: impl Into<Db<'a>>,
    filter: ChangeFilter,
    offset: i64,
    limit: i64,
) -> Result<ChangePage> {
    let db = db.into();
    let filter_sql = match filter {
        ChangeFilter::Open => "WHERE confirmed_at IS NULL",
        ChangeFilter::All => "",
    };
    let (rows, more) = super::paging::split_more(
        db.query_map(
            &format!(
                "SELECT {COLUMNS} FROM waybill_changes {filter_sql}
                 ORDER BY at DESC, id DESC LIMIT ?1 OFFSET ?2"
            ),
            db_params![limit + 1, offset],
            from_row,
        )?,
        limit,
    );
    Ok(ChangePage {
        rows,
        offset,
        more,
        open: open_count(db)?,
    })
}

/// How many requests are not confirmed back to the customer.
pub fn open_count<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    db.into().query_value(
        "SELECT count(*) FROM waybill_changes WHERE confirmed_at IS NULL",
        db_params![],
    )
}

/// Every open request, oldest first (a handful at any time: the dashboard's and the owners'
/// flags are counted from them).
pub fn open<'a>(db: impl Into<Db<'a>>) -> Result<Vec<WaybillChange>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM waybill_changes WHERE confirmed_at IS NULL ORDER BY at, id"
        ),
        db_params![],
        from_row,
    )
}

/// The open requests staff member `staff` recorded, oldest first (their "I follow up" list).
pub fn open_recorded_by<'a>(db: impl Into<Db<'a>>, staff: i64) -> Result<Vec<WaybillChange>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM waybill_changes
             WHERE confirmed_at IS NULL AND recorded_by = ?1 ORDER BY at, id"
        ),
        db_params![staff],
        from_row,
    )
}

/// The requests of customer `id`, newest first.
pub fn of_customer<'a>(db: impl Into<Db<'a>>, customer_id: i64) -> Result<Vec<WaybillChange>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM waybill_changes WHERE customer_id = ?1 ORDER BY at DESC, id DESC"
        ),
        db_params![customer_id],
        from_row,
    )
}

/// The requests recorded in `from..to`, oldest first (the export).
pub fn between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<WaybillChange>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM waybill_changes WHERE at >= ?1 AND at < ?2 ORDER BY at, id"
        ),
        db_params![from, to],
        from_row,
    )
}
