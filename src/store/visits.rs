//! Visits: arrival, greeting, water, registration, hand-over, seeing-off, cancellation.
//!
//! Every change is a load → domain rule → save → log entry inside the caller's transaction.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, Row, Transaction, params};

use super::{Result, StoreError, customers, parse_ts, parse_ts_opt, ts, ts_opt};
use crate::domain::DomainError;
use crate::domain::customer::Honorific;
use crate::domain::visit::{self, CustomerLink, Registration, TravelMode, Visit};

pub use crate::domain::visit::ImportedVisit;

const COLUMNS: &str =
    "id, customer_id, arrived_at, surname, honorific, name, phone, company, region,
    party_size, purpose, is_returning, registered_at, greeted_at, greeted_by, water_served_at,
    water_served_by, handed_over_at, handed_over_to, seeing_off_at, departed_at, offered_accompany,
    travel_mode, reminded_belongings, reminded_documents, reminded_next_contact, seen_off_by,
    cancelled_at, cancel_reason";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Visit> {
    let honorific: Option<String> = r.get("honorific")?;
    let travel: Option<String> = r.get("travel_mode")?;
    Ok(Visit {
        id: r.get("id")?,
        customer_id: r.get("customer_id")?,
        arrived_at: parse_ts(&r.get::<_, String>("arrived_at")?)?,
        surname: r.get("surname")?,
        honorific: honorific.as_deref().and_then(Honorific::parse),
        name: r.get("name")?,
        phone: r.get("phone")?,
        company: r.get("company")?,
        region: r.get("region")?,
        party_size: r.get("party_size")?,
        purpose: r.get("purpose")?,
        returning: r.get("is_returning")?,
        registered_at: parse_ts_opt(r.get("registered_at")?)?,
        greeted_at: parse_ts_opt(r.get("greeted_at")?)?,
        greeted_by: r.get("greeted_by")?,
        water_served_at: parse_ts_opt(r.get("water_served_at")?)?,
        water_served_by: r.get("water_served_by")?,
        handed_over_at: parse_ts_opt(r.get("handed_over_at")?)?,
        handed_over_to: r.get("handed_over_to")?,
        seeing_off_at: parse_ts_opt(r.get("seeing_off_at")?)?,
        departed_at: parse_ts_opt(r.get("departed_at")?)?,
        offered_accompany: r.get("offered_accompany")?,
        travel_mode: travel.as_deref().and_then(TravelMode::parse),
        reminded_belongings: r.get("reminded_belongings")?,
        reminded_documents: r.get("reminded_documents")?,
        reminded_next_contact: r.get("reminded_next_contact")?,
        seen_off_by: r.get("seen_off_by")?,
        cancelled_at: parse_ts_opt(r.get("cancelled_at")?)?,
        cancel_reason: r.get("cancel_reason")?,
    })
}

/// One visit.
pub fn get(conn: &Connection, id: i64) -> Result<Visit> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM visits WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Everyone in the building now (not left, not cancelled), in arrival order.
pub fn present(conn: &Connection) -> Result<Vec<Visit>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM visits WHERE departed_at IS NULL AND cancelled_at IS NULL
         ORDER BY arrived_at, id"
    ))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Visits that arrived in `[from, to)`, cancelled ones excluded, in arrival order.
pub fn arrived_between(
    conn: &Connection,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Visit>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM visits
         WHERE arrived_at >= ?1 AND arrived_at < ?2 AND cancelled_at IS NULL
         ORDER BY arrived_at, id"
    ))?;
    let rows = stmt.query_map(params![ts(from), ts(to)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Filter of the visit history list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Arrived at or after.
    pub from: Option<NaiveDateTime>,
    /// Arrived before.
    pub to: Option<NaiveDateTime>,
    /// Text in surname, name, phone, company or purpose.
    pub text: String,
}

impl HistoryFilter {
    fn sql(&self) -> (String, Vec<String>) {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut args = Vec::new();
        if let Some(from) = self.from {
            args.push(ts(from));
            clauses.push(format!("arrived_at >= ?{}", args.len()));
        }
        if let Some(to) = self.to {
            args.push(ts(to));
            clauses.push(format!("arrived_at < ?{}", args.len()));
        }
        let text = self.text.trim();
        if !text.is_empty() {
            args.push(format!("%{}%", text.replace(['%', '_'], "")));
            let n = args.len();
            clauses.push(format!(
                "(surname LIKE ?{n} OR name LIKE ?{n} OR phone LIKE ?{n} OR company LIKE ?{n} OR purpose LIKE ?{n})"
            ));
        }
        (clauses.join(" AND "), args)
    }
}

/// Number of visits matching `filter` (cancelled included).
pub fn count(conn: &Connection, filter: &HistoryFilter) -> Result<i64> {
    let (clause, args) = filter.sql();
    Ok(conn
        .prepare_cached(&format!("SELECT count(*) FROM visits WHERE {clause}"))?
        .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?)
}

/// One page of visits matching `filter`, newest first (cancelled included).
pub fn page(
    conn: &Connection,
    filter: &HistoryFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<Visit>> {
    let (clause, mut args) = filter.sql();
    args.push(limit.to_string());
    args.push(offset.to_string());
    let n = args.len();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM visits WHERE {clause}
         ORDER BY arrived_at DESC, id DESC LIMIT CAST(?{} AS INTEGER) OFFSET CAST(?{n} AS INTEGER)",
        n - 1
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Appends to the visit log.
pub fn log(
    tx: &Transaction<'_>,
    visit_id: i64,
    at: NaiveDateTime,
    staff: Option<i64>,
    action: &str,
    detail: &str,
) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO visit_log (visit_id, at, staff_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![visit_id, ts(at), staff, action, detail])?;
    Ok(())
}

/// One entry of a visit's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// When.
    pub at: NaiveDateTime,
    /// Who.
    pub staff_id: Option<i64>,
    /// What (`arrive`, `greet`, `water`, `register`, `hand_over`, `see_off`, `depart`, `cancel`, `correct`).
    pub action: String,
    /// Details (for corrections: what changed and why).
    pub detail: String,
}

/// A visit's log, oldest first.
pub fn log_of(conn: &Connection, visit_id: i64) -> Result<Vec<LogEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, staff_id, action, detail FROM visit_log WHERE visit_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([visit_id], |r| {
        Ok(LogEntry {
            at: parse_ts(&r.get::<_, String>(0)?)?,
            staff_id: r.get(1)?,
            action: r.get(2)?,
            detail: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// "客户到达": starts a visit (and its greeting timer) at `now`; details can follow.
pub fn arrive(tx: &Transaction<'_>, now: NaiveDateTime, staff: Option<i64>) -> Result<i64> {
    tx.execute(
        "INSERT INTO visits (arrived_at, created_by) VALUES (?1, ?2)",
        params![ts(now), staff],
    )?;
    let id = tx.last_insert_rowid();
    log(tx, id, now, staff, "arrive", "")?;
    Ok(id)
}

/// Writes every mutable column of `v`.
fn save(tx: &Transaction<'_>, v: &Visit) -> Result<()> {
    let changed = tx
        .prepare_cached(
            "UPDATE visits SET customer_id = ?2, surname = ?3, honorific = ?4, name = ?5, phone = ?6,
                company = ?7, region = ?8, party_size = ?9, purpose = ?10, is_returning = ?11,
                registered_at = ?12, greeted_at = ?13, greeted_by = ?14, water_served_at = ?15,
                water_served_by = ?16, handed_over_at = ?17, handed_over_to = ?18, seeing_off_at = ?19,
                departed_at = ?20, offered_accompany = ?21, travel_mode = ?22, reminded_belongings = ?23,
                reminded_documents = ?24, reminded_next_contact = ?25, seen_off_by = ?26,
                cancelled_at = ?27, cancel_reason = ?28
             WHERE id = ?1",
        )?
        .execute(params![
            v.id,
            v.customer_id,
            v.surname,
            v.honorific.map(Honorific::as_zh),
            v.name,
            v.phone,
            v.company,
            v.region,
            v.party_size,
            v.purpose,
            v.returning,
            ts_opt(v.registered_at),
            ts_opt(v.greeted_at),
            v.greeted_by,
            ts_opt(v.water_served_at),
            v.water_served_by,
            ts_opt(v.handed_over_at),
            v.handed_over_to,
            ts_opt(v.seeing_off_at),
            ts_opt(v.departed_at),
            v.offered_accompany,
            v.travel_mode.map(TravelMode::as_zh),
            v.reminded_belongings,
            v.reminded_documents,
            v.reminded_next_contact,
            v.seen_off_by,
            ts_opt(v.cancelled_at),
            v.cancel_reason,
        ])?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Loads visit `id`, applies the domain rule `change`, saves it and logs `action`.
pub fn change(
    tx: &Transaction<'_>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
    action: &str,
    detail: &str,
    change: impl FnOnce(&mut Visit) -> Result<(), DomainError>,
) -> Result<Visit> {
    let mut v = get(tx, id)?;
    change(&mut v)?;
    save(tx, &v)?;
    log(tx, id, now, staff, action, detail)?;
    Ok(v)
}

/// Links a registration to the archive: the picked customer, else the one with the same phone,
/// else a new customer.
fn link_customer(
    tx: &Transaction<'_>,
    reg: &Registration,
    now: NaiveDateTime,
) -> Result<CustomerLink> {
    let typed = reg.customer();
    let existing = match reg.customer_id {
        Some(id) => Some(customers::get(tx, id)?.id),
        None => customers::by_phone(tx, &reg.phone)?.map(|c| c.id),
    };
    match existing {
        Some(id) => {
            customers::fill_in(tx, id, &typed, now)?;
            // A visit counts as a revisit of a key account.
            customers::mark_revisit(tx, id, now)?;
            Ok(CustomerLink {
                customer_id: id,
                returning: true,
            })
        }
        None => Ok(CustomerLink {
            customer_id: customers::insert(tx, &typed, now)?,
            returning: false,
        }),
    }
}

/// Registers a visitor: fills in an existing visit (`visit_id`), or starts a new walk-in visit.
/// A new customer is archived in the same transaction.
pub fn register(
    tx: &Transaction<'_>,
    visit_id: Option<i64>,
    reg: &Registration,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let id = match visit_id {
        Some(id) => id,
        None => arrive(tx, now, staff)?,
    };
    let link = link_customer(tx, reg, now)?;
    change(tx, id, now, staff, "register", "", |v| {
        v.register(reg, link, now)
    })?;
    Ok(id)
}

/// Corrects the registration details of a visit entered wrongly; the log keeps what changed and why.
pub fn correct(
    tx: &Transaction<'_>,
    id: i64,
    reg: &Registration,
    reason: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<Visit> {
    let reason = visit::correction_reason(reason)?;
    let detail = get(tx, id)?.correction_detail(reg, reason)?;
    let link = link_customer(tx, reg, now)?;
    change(tx, id, now, staff, "correct", &detail, |v| {
        v.correct(reg, link, now)
    })
}

/// Inserts imported (or demo) visits; each links to the customer with the same phone when one
/// exists, otherwise creates one. Returns the number of visits inserted.
pub fn insert_imported(
    tx: &Transaction<'_>,
    rows: &[ImportedVisit],
    now: NaiveDateTime,
    source: &str,
) -> Result<usize> {
    let mut insert = tx.prepare_cached(
        "INSERT INTO visits (customer_id, arrived_at, surname, honorific, name, phone, company,
            party_size, purpose, is_returning, registered_at, greeted_at, water_served_at,
            seeing_off_at, departed_at, travel_mode, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?2, ?11, ?12, ?13, ?13, ?14, ?15)",
    )?;
    for row in rows {
        let checked = row.checked()?;
        let (customer_id, returning) = match customers::by_phone(tx, &row.phone)? {
            Some(c) => (c.id, true),
            None => (
                customers::insert(tx, &checked.customer(), checked.customer_created_at(now))?,
                false,
            ),
        };
        insert.execute(params![
            customer_id,
            ts(row.arrived_at),
            checked.surname,
            row.honorific.as_zh(),
            checked.name,
            checked.phone,
            checked.company,
            row.party_size,
            checked.purpose,
            returning,
            ts_opt(row.greeted_at),
            ts_opt(row.water_served_at),
            ts_opt(row.departed_at),
            row.travel_mode.map(TravelMode::as_zh),
            source,
        ])?;
        log(tx, tx.last_insert_rowid(), now, None, source, "")?;
    }
    Ok(rows.len())
}
