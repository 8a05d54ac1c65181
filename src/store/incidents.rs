//! 突发事件: the on-site incident log — recorded, listed newest first, resolved with the handling.

use chrono::NaiveDateTime;

use super::db::{Db, Row};
use super::{Result, StoreError};
use crate::db_params;
use crate::domain::DomainError;
use crate::domain::incident::{Incident, IncidentDraft, IncidentKind};

const COLUMNS: &str =
    "id, at, kind, description, customers_informed, handling, resolved_at, recorded_by, desk";

fn from_row(r: &Row<'_>) -> Result<Incident> {
    let kind: String = r.get(2)?;
    let informed: Option<i64> = r.get(4)?;
    Ok(Incident {
        id: r.get(0)?,
        at: r.get(1)?,
        kind: IncidentKind::parse(&kind).unwrap_or(IncidentKind::Other),
        description: r.get(3)?,
        customers_informed: informed.map(|n| n != 0),
        handling: r.get(5)?,
        resolved_at: r.get(6)?,
        recorded_by: r.get(7)?,
        desk: r.get(8)?,
    })
}

/// Records an incident at `now` by `staff`, with the desk of the session. Returns its id.
pub fn record<'a>(
    db: impl Into<Db<'a>>,
    draft: &IncidentDraft,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let db = db.into();
    let d = draft.checked(now)?;
    let id: i64 = db.query_value(
        "INSERT INTO incidents (at, kind, description, customers_informed, handling, recorded_by, desk)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT desk FROM session_actor))
         RETURNING id",
        db_params![
            d.at,
            d.kind.as_db(),
            d.description,
            d.customers_informed.map(i64::from),
            d.handling,
            staff
        ],
    )?;
    super::audit::record(
        db,
        now,
        "create",
        "incident",
        Some(id),
        "",
        &format!("{} {}", d.kind.as_db(), d.description),
    )?;
    Ok(id)
}

/// One incident.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Incident> {
    db.into()
        .query_opt(
            &format!("SELECT {COLUMNS} FROM incidents WHERE id = ?1"),
            db_params![id],
            from_row,
        )?
        .ok_or(StoreError::NotFound)
}

/// Resolves incident `id` at `now` with the handling; an outage also needs the answer whether
/// the waiting customers were told (given now or recorded before).
pub fn resolve<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    handling: &str,
    customers_informed: Option<bool>,
    now: NaiveDateTime,
) -> Result<()> {
    let db = db.into();
    let incident = get(db, id)?;
    let (handling, informed) = incident.resolution(handling, customers_informed)?;
    let n = db.execute(
        "UPDATE incidents SET handling = ?2, customers_informed = ?3, resolved_at = ?4
         WHERE id = ?1 AND resolved_at IS NULL",
        db_params![id, handling, informed.map(i64::from), now],
    )?;
    if n == 0 {
        return Err(DomainError::WrongState("incident.err_resolved").into());
    }
    super::audit::record(
        db,
        now,
        "resolve",
        "incident",
        Some(id),
        &incident.handling,
        &handling,
    )
}

/// A page of the incident log, newest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IncidentPage {
    /// The rows of the page.
    pub rows: Vec<Incident>,
    /// The position of its first row in the whole list.
    pub offset: i64,
    /// Whether there are older incidents after this page.
    pub more: bool,
    /// How many incidents are open in all.
    pub open: i64,
}

/// The incidents from `offset` on, newest first, at most `limit`; the open count with them.
pub fn page<'a>(db: impl Into<Db<'a>>, offset: i64, limit: i64) -> Result<IncidentPage> {
    let db = db.into();
    let (rows, more) = super::paging::split_more(
        db.query_map(
            &format!(
                "SELECT {COLUMNS} FROM incidents ORDER BY at DESC, id DESC LIMIT ?1 OFFSET ?2"
            ),
            db_params![limit + 1, offset],
            from_row,
        )?,
        limit,
    );
    Ok(IncidentPage {
        rows,
        offset,
        more,
        open: open_count(db)?,
    })
}

/// How many incidents are not resolved.
pub fn open_count<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    db.into().query_value(
        "SELECT COUNT(*) FROM incidents WHERE resolved_at IS NULL",
        db_params![],
    )
}

/// The incidents that happened in `from..to`, newest first.
pub fn between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Incident>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM incidents WHERE at >= ?1 AND at < ?2 ORDER BY at DESC, id DESC"
        ),
        db_params![from, to],
        from_row,
    )
}
