//! Visits: arrival, greeting, water, registration, hand-over, seeing-off, cancellation.
//!
//! Every change is a load → domain rule → save → log entry inside the caller's transaction.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::db::{Db, Row, ToValue, Value};
use super::{Result, StoreError, customers};
use crate::db_params;
use crate::domain::DomainError;
use crate::domain::customer::Honorific;
use crate::domain::visit::{self, CustomerLink, Registration, SeeOffChecklist, TravelMode, Visit};

pub use crate::domain::visit::ImportedVisit;

const COLUMNS: &str =
    "id, customer_id, arrived_at, surname, honorific, name, phone, company, region,
    party_size, purpose, is_returning, registered_at, greeted_at, greeted_by, water_served_at,
    water_served_by, handed_over_at, handed_over_to, seeing_off_at, departed_at, offered_accompany,
    travel_mode, reminded_belongings, reminded_documents, reminded_next_contact, seen_off_by,
    cancelled_at, cancel_reason";

/// A visit from the columns of [`COLUMNS`], in that order.
fn from_row(r: &Row<'_>) -> Result<Visit> {
    let honorific: Option<String> = r.get(4)?;
    let travel: Option<String> = r.get(22)?;
    Ok(Visit {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        arrived_at: r.get(2)?,
        surname: r.get(3)?,
        honorific: honorific.as_deref().and_then(Honorific::parse),
        name: r.get(5)?,
        phone: r.get(6)?,
        company: r.get(7)?,
        region: r.get(8)?,
        party_size: r.get(9)?,
        purpose: r.get(10)?,
        returning: r.get(11)?,
        registered_at: r.get(12)?,
        greeted_at: r.get(13)?,
        greeted_by: r.get(14)?,
        water_served_at: r.get(15)?,
        water_served_by: r.get(16)?,
        handed_over_at: r.get(17)?,
        handed_over_to: r.get(18)?,
        seeing_off_at: r.get(19)?,
        departed_at: r.get(20)?,
        offered_accompany: r.get(21)?,
        travel_mode: travel.as_deref().and_then(TravelMode::parse),
        reminded_belongings: r.get(23)?,
        reminded_documents: r.get(24)?,
        reminded_next_contact: r.get(25)?,
        seen_off_by: r.get(26)?,
        cancelled_at: r.get(27)?,
        cancel_reason: r.get(28)?,
    })
}

/// One visit.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Visit> {
    db.into().query_row(
        &format!("SELECT {COLUMNS} FROM visits WHERE id = ?1"),
        db_params![id],
        from_row,
    )
}

/// Everyone in the building now (not left, not cancelled), in arrival order.
pub fn present<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Visit>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM visits WHERE departed_at IS NULL AND cancelled_at IS NULL
             ORDER BY arrived_at, id"
        ),
        db_params![],
        from_row,
    )
}

/// What the reception report needs of each (non-cancelled) visit that arrived in `[from, to)`,
/// handed to `f` one at a time in arrival order: nothing is kept, so ten years of visits take no
/// more memory than a day's. The seeing-off checklist comes in the same row, and whether it was
/// done whole is the domain's rule ([`SeeOffChecklist::is_complete`]), not a copy of it in SQL.
pub fn times_between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
    f: &mut dyn FnMut(&crate::report::reception::VisitTimes),
) -> Result<()> {
    db.into().query_each(
        "SELECT arrived_at, greeted_at, water_served_at, departed_at, offered_accompany,
                travel_mode, reminded_belongings, reminded_documents, reminded_next_contact
         FROM visits
         WHERE arrived_at >= ?1 AND arrived_at < ?2 AND cancelled_at IS NULL
         ORDER BY arrived_at",
        db_params![from, to],
        |r| {
            let departed = r.get::<Option<NaiveDateTime>>(3)?.is_some();
            let travel: Option<String> = r.get(5)?;
            let checklist = SeeOffChecklist {
                offered_accompany: r.get(4)?,
                travel_mode: travel.as_deref().and_then(TravelMode::parse),
                reminded_belongings: r.get(6)?,
                reminded_documents: r.get(7)?,
                reminded_next_contact: r.get(8)?,
            };
            f(&crate::report::reception::VisitTimes {
                arrived_at: r.get(0)?,
                greeted_at: r.get(1)?,
                water_served: r.get::<Option<NaiveDateTime>>(2)?.is_some(),
                departed,
                seen_off_checklist: departed && checklist.is_complete(),
            });
            Ok(())
        },
    )
}

/// One day's reception counts ([`day_counts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayFigures {
    /// The day.
    pub day: NaiveDate,
    /// Visits that arrived (cancelled ones excluded).
    pub visits: i64,
    /// Of those, greeted within `limit_secs` of arriving.
    pub greeted_within_limit: i64,
    /// Of those, served water.
    pub water_served: i64,
}

/// Per day of `[from, to)` with visits, oldest first: the counts the dashboard and the monthly
/// report show, aggregated by the database (the reception report streams the visits instead,
/// for its medians). A visit counts as greeted in time as [`crate::report::reception`] counts
/// it: at most `limit_secs` whole seconds after arriving.
pub fn day_counts<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit_secs: i64,
) -> Result<Vec<DayFigures>> {
    let db = db.into();
    db.query_map(
        &format!(
            "SELECT substr(arrived_at, 1, 10) AS day, {}
             FROM visits
             WHERE arrived_at >= ?1 AND arrived_at < ?2 AND cancelled_at IS NULL
             GROUP BY day ORDER BY day",
            counts(db)
        ),
        db_params![from, to, limit_secs],
        |r| {
            let day: String = r.get(0)?;
            Ok(DayFigures {
                day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default(),
                visits: r.get(1)?,
                greeted_within_limit: r.get(2)?,
                water_served: r.get(3)?,
            })
        },
    )
}

/// The counts of [`DayFigures`] over `[from, to)` as a whole (its `day` is `from`'s).
pub fn counts_between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
    limit_secs: i64,
) -> Result<DayFigures> {
    let db = db.into();
    db.query_row(
        &format!(
            "SELECT {} FROM visits
             WHERE arrived_at >= ?1 AND arrived_at < ?2 AND cancelled_at IS NULL",
            counts(db)
        ),
        db_params![from, to, limit_secs],
        |r| {
            Ok(DayFigures {
                day: from.date(),
                visits: r.get(0)?,
                greeted_within_limit: r.get(1)?,
                water_served: r.get(2)?,
            })
        },
    )
}

/// The columns [`day_counts`] and [`counts_between`] count: visits, greeted within `?3`
/// seconds, served water.
fn counts(db: Db<'_>) -> String {
    let latency = match db {
        Db::Sqlite(_) => "unixepoch(greeted_at) - unixepoch(arrived_at)",
        Db::Postgres(_) => {
            "EXTRACT(EPOCH FROM CAST(greeted_at AS timestamp) - CAST(arrived_at AS timestamp))"
        }
    };
    format!("count(*), count(CASE WHEN {latency} <= ?3 THEN 1 END), count(water_served_at)")
}

/// Visits that arrived in `[from, to)`, cancelled ones excluded, in arrival order.
pub fn arrived_between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Visit>> {
    db.into().query_map(
        &format!(
            "SELECT {COLUMNS} FROM visits
             WHERE arrived_at >= ?1 AND arrived_at < ?2 AND cancelled_at IS NULL
             ORDER BY arrived_at, id"
        ),
        db_params![from, to],
        from_row,
    )
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
    /// The WHERE clause and its parameters. The text is looked up in the visits' text index
    /// ([`super::text_search`]): contained in one of the fields, case and punctuation ignored.
    fn sql(&self, db: Db<'_>) -> (String, Vec<Value>) {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut args = Vec::new();
        if let Some(from) = self.from {
            args.push(from.to_value());
            clauses.push(format!("arrived_at >= ?{}", args.len()));
        }
        if let Some(to) = self.to {
            args.push(to.to_value());
            clauses.push(format!("arrived_at < ?{}", args.len()));
        }
        if let Some((clause, value)) = super::text_search::condition(
            db,
            &super::text_search::VISITS,
            &self.text,
            "id",
            args.len() + 1,
        ) {
            args.push(value);
            clauses.push(clause);
        }
        (clauses.join(" AND "), args)
    }
}

/// Number of visits matching `filter` (cancelled included).
pub fn count<'a>(db: impl Into<Db<'a>>, filter: &HistoryFilter) -> Result<i64> {
    let db = db.into();
    let (clause, args) = filter.sql(db);
    super::paging::count(db, "visits", &clause, &args)
}

/// One page of visits matching `filter`, newest first (cancelled included).
pub fn page<'a>(
    db: impl Into<Db<'a>>,
    filter: &HistoryFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<Visit>> {
    let db = db.into();
    let (clause, mut args) = filter.sql(db);
    args.push(Value::Int(limit));
    args.push(Value::Int(offset));
    let n = args.len();
    let params: Vec<&dyn ToValue> = args.iter().map(|a| a as &dyn ToValue).collect();
    db.query_map(
        &format!(
            "SELECT {COLUMNS} FROM visits WHERE {clause}
             ORDER BY arrived_at DESC, id DESC LIMIT ?{} OFFSET ?{n}",
            n - 1
        ),
        &params,
        from_row,
    )
}

pub use super::paging::Position;

/// A page of the visit history.
pub type HistoryPage = super::paging::Page<Visit>;

/// The page of visits matching `filter` at `position`, newest first (cancelled included), with
/// the counts the pager shows (keyset paging, [`super::paging`]).
pub fn history_page<'a>(
    db: impl Into<Db<'a>>,
    filter: &HistoryFilter,
    position: Position,
    limit: i64,
) -> Result<HistoryPage> {
    let db = db.into();
    let (clause, args) = filter.sql(db);
    super::paging::page(
        db,
        &super::paging::List {
            table: "visits",
            time: "arrived_at",
            columns: COLUMNS,
            clause: &clause,
            args: &args,
            from_row,
            key: |v: &Visit| (v.arrived_at, v.id),
        },
        position,
        limit,
    )
}

/// Appends to the visit log.
pub fn log<'a>(
    db: impl Into<Db<'a>>,
    visit_id: i64,
    at: NaiveDateTime,
    staff: Option<i64>,
    action: &str,
    detail: &str,
) -> Result<()> {
    db.into().execute(
        "INSERT INTO visit_log (visit_id, at, staff_id, action, detail, desk)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT desk FROM session_actor))",
        db_params![visit_id, at, staff, action, detail],
    )?;
    Ok(())
}

/// One entry of a visit's log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry {
    /// Its id (the newest one is the visit's stamp, see [`super::versions`]).
    pub id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// Who.
    pub staff_id: Option<i64>,
    /// What (`arrive`, `greet`, `water`, `register`, `hand_over`, `see_off`, `depart`, `cancel`, `correct`).
    pub action: String,
    /// Details (for corrections: what changed and why).
    pub detail: String,
    /// At which desk (`None` before schema version 9).
    pub desk: Option<String>,
}

const LOG_COLUMNS: &str = "l.id, l.at, l.staff_id, l.action, l.detail, l.desk";

fn log_entry(r: &Row<'_>, first: usize) -> Result<LogEntry> {
    Ok(LogEntry {
        id: r.get(first)?,
        at: r.get(first + 1)?,
        staff_id: r.get(first + 2)?,
        action: r.get(first + 3)?,
        detail: r.get(first + 4)?,
        desk: r.get(first + 5)?,
    })
}

/// A visit's log, oldest first.
pub fn log_of<'a>(db: impl Into<Db<'a>>, visit_id: i64) -> Result<Vec<LogEntry>> {
    db.into().query_map(
        &format!("SELECT {LOG_COLUMNS} FROM visit_log l WHERE l.visit_id = ?1 ORDER BY l.id"),
        db_params![visit_id],
        |r| log_entry(r, 0),
    )
}

/// The logs of everyone present (the reception board: who did each step at which desk), by
/// visit id, each oldest first.
pub fn present_logs<'a>(db: impl Into<Db<'a>>) -> Result<HashMap<i64, Vec<LogEntry>>> {
    let rows = db.into().query_map(
        &format!(
            "SELECT l.visit_id, {LOG_COLUMNS} FROM visit_log l
             WHERE l.visit_id IN (SELECT id FROM visits
                                  WHERE departed_at IS NULL AND cancelled_at IS NULL)
             ORDER BY l.id"
        ),
        db_params![],
        |r| Ok((r.get::<i64>(0)?, log_entry(r, 1)?)),
    )?;
    let mut out: HashMap<i64, Vec<LogEntry>> = HashMap::new();
    for (visit, entry) in rows {
        out.entry(visit).or_default().push(entry);
    }
    Ok(out)
}

/// "客户到达": starts a visit (and its greeting timer) at `now`; details can follow.
pub fn arrive<'a>(db: impl Into<Db<'a>>, now: NaiveDateTime, staff: Option<i64>) -> Result<i64> {
    let db = db.into();
    let id: i64 = db.query_value(
        "INSERT INTO visits (arrived_at, created_by) VALUES (?1, ?2) RETURNING id",
        db_params![now, staff],
    )?;
    log(db, id, now, staff, "arrive", "")?;
    Ok(id)
}

/// Writes every mutable column of `v`.
fn save(db: Db<'_>, v: &Visit) -> Result<()> {
    let changed = db.execute(
        "UPDATE visits SET customer_id = ?2, surname = ?3, honorific = ?4, name = ?5, phone = ?6,
            company = ?7, region = ?8, party_size = ?9, purpose = ?10, is_returning = ?11,
            registered_at = ?12, greeted_at = ?13, greeted_by = ?14, water_served_at = ?15,
            water_served_by = ?16, handed_over_at = ?17, handed_over_to = ?18, seeing_off_at = ?19,
            departed_at = ?20, offered_accompany = ?21, travel_mode = ?22, reminded_belongings = ?23,
            reminded_documents = ?24, reminded_next_contact = ?25, seen_off_by = ?26,
            cancelled_at = ?27, cancel_reason = ?28
         WHERE id = ?1",
        db_params![
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
            v.registered_at,
            v.greeted_at,
            v.greeted_by,
            v.water_served_at,
            v.water_served_by,
            v.handed_over_at,
            v.handed_over_to,
            v.seeing_off_at,
            v.departed_at,
            v.offered_accompany,
            v.travel_mode.map(TravelMode::as_zh),
            v.reminded_belongings,
            v.reminded_documents,
            v.reminded_next_contact,
            v.seen_off_by,
            v.cancelled_at,
            v.cancel_reason,
        ],
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Loads visit `id`, applies the domain rule `change`, saves it and logs `action`.
pub fn change<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    now: NaiveDateTime,
    staff: Option<i64>,
    action: &str,
    detail: &str,
    change: impl FnOnce(&mut Visit) -> Result<(), DomainError>,
) -> Result<Visit> {
    let db = db.into();
    let mut v = get(db, id)?;
    change(&mut v)?;
    save(db, &v)?;
    log(db, id, now, staff, action, detail)?;
    Ok(v)
}

/// Links a registration to the archive: the picked customer, else the one with the same phone,
/// else a new customer.
fn link_customer(db: Db<'_>, reg: &Registration, now: NaiveDateTime) -> Result<CustomerLink> {
    let typed = reg.customer();
    let existing = match reg.customer_id {
        Some(id) => Some(customers::get(db, id)?.id),
        None => customers::by_phone(db, &reg.phone)?.map(|c| c.id),
    };
    match existing {
        Some(id) => {
            customers::fill_in(db, id, &typed, now)?;
            // A visit counts as a revisit of a key account.
            customers::mark_revisit(db, id, now)?;
            Ok(CustomerLink {
                customer_id: id,
                returning: true,
            })
        }
        None => Ok(CustomerLink {
            customer_id: customers::insert(db, &typed, now)?,
            returning: false,
        }),
    }
}

/// Registers a visitor: fills in an existing visit (`visit_id`), or starts a new walk-in visit.
/// A new customer is archived in the same transaction.
pub fn register<'a>(
    db: impl Into<Db<'a>>,
    visit_id: Option<i64>,
    reg: &Registration,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<i64> {
    let db = db.into();
    let id = match visit_id {
        Some(id) => id,
        None => arrive(db, now, staff)?,
    };
    let link = link_customer(db, reg, now)?;
    change(db, id, now, staff, "register", "", |v| {
        v.register(reg, link, now)
    })?;
    Ok(id)
}

/// Corrects the registration details of a visit entered wrongly; the log keeps what changed and why.
pub fn correct<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    reg: &Registration,
    reason: &str,
    now: NaiveDateTime,
    staff: Option<i64>,
) -> Result<Visit> {
    let db = db.into();
    let reason = visit::correction_reason(reason)?;
    let detail = get(db, id)?.correction_detail(reg, reason)?;
    let link = link_customer(db, reg, now)?;
    change(db, id, now, staff, "correct", &detail, |v| {
        v.correct(reg, link, now)
    })
}

/// Visits per statement of [`insert_imported`] (17 parameters each).
const IMPORTED_PER_INSERT: usize = 500;

/// Inserts imported (or demo) visits; each links to the customer with the same phone when one
/// exists, otherwise creates one (from the first of its rows; later rows with that phone are
/// returning visits). Returns the number of visits inserted. Many visits go in one statement,
/// with their log lines, and the customers are looked up many phones at a time: a year of
/// visits imports in seconds.
pub fn insert_imported<'a>(
    db: impl Into<Db<'a>>,
    rows: &[ImportedVisit],
    now: NaiveDateTime,
    source: &str,
) -> Result<usize> {
    let db = db.into();
    let rows = rows
        .iter()
        .map(ImportedVisit::checked)
        .collect::<std::result::Result<Vec<_>, DomainError>>()?;
    let links = import_customers(db, &rows, now)?;
    let desk: Option<String> = db
        .query_opt("SELECT desk FROM session_actor", db_params![], |r| r.get(0))?
        .flatten();
    for (batch, links) in rows
        .chunks(IMPORTED_PER_INSERT)
        .zip(links.chunks(IMPORTED_PER_INSERT))
    {
        let labels: Vec<(&str, Option<&str>)> = batch
            .iter()
            .map(|r| (r.honorific.as_zh(), r.travel_mode.map(TravelMode::as_zh)))
            .collect();
        let mut params: Vec<&dyn ToValue> = Vec::with_capacity(batch.len() * 17);
        for ((row, (customer_id, returning)), (honorific, travel)) in
            batch.iter().zip(links).zip(&labels)
        {
            params.extend([
                customer_id as &dyn ToValue,
                &row.arrived_at,
                &row.surname,
                honorific,
                &row.name,
                &row.phone,
                &row.company,
                &row.party_size,
                &row.purpose,
                returning,
                &row.arrived_at,
                &row.greeted_at,
                &row.water_served_at,
                &row.departed_at,
                &row.departed_at,
                travel,
                &source,
            ]);
        }
        let sql = super::db::insert_rows("visits", &IMPORTED_COLUMNS, batch.len());
        let ids: Vec<i64> = db.query_map(&format!("{sql} RETURNING id"), &params, |r| r.get(0))?;
        let mut params: Vec<&dyn ToValue> = Vec::with_capacity(ids.len() * 5);
        for id in &ids {
            params.extend([id as &dyn ToValue, &now, &source, &"", &desk]);
        }
        db.execute(
            &super::db::insert_rows(
                "visit_log",
                &["visit_id", "at", "action", "detail", "desk"],
                ids.len(),
            ),
            &params,
        )?;
    }
    Ok(rows.len())
}

/// The columns [`insert_imported`] fills, in its parameters' order.
const IMPORTED_COLUMNS: [&str; 17] = [
    "customer_id",
    "arrived_at",
    "surname",
    "honorific",
    "name",
    "phone",
    "company",
    "party_size",
    "purpose",
    "is_returning",
    "registered_at",
    "greeted_at",
    "water_served_at",
    "seeing_off_at",
    "departed_at",
    "travel_mode",
    "source",
];

/// The customer of each imported row and whether they came before: the first customer archived
/// with the row's phone (looked up 500 phones a query), else a new one made from the row, which
/// the later rows with that phone then return to.
fn import_customers(
    db: Db<'_>,
    rows: &[ImportedVisit],
    now: NaiveDateTime,
) -> Result<Vec<(i64, bool)>> {
    let mut phones: Vec<&str> = rows
        .iter()
        .map(|r| r.phone.as_str())
        .filter(|p| !p.is_empty())
        .collect();
    phones.sort_unstable();
    phones.dedup();
    let mut known: HashMap<String, i64> = HashMap::with_capacity(phones.len());
    for batch in phones.chunks(IMPORTED_PER_INSERT) {
        let marks: Vec<String> = (1..=batch.len()).map(|i| format!("?{i}")).collect();
        let params: Vec<&dyn ToValue> = batch.iter().map(|p| p as &dyn ToValue).collect();
        let found: Vec<(String, i64)> = db.query_map(
            &format!(
                "SELECT phone, min(id) FROM customers WHERE phone IN ({}) AND phone <> '' GROUP BY phone",
                marks.join(", ")
            ),
            &params,
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        known.extend(found);
    }
    let mut links = Vec::with_capacity(rows.len());
    for row in rows {
        if let Some(id) = known.get(&row.phone) {
            links.push((*id, true));
            continue;
        }
        let id = customers::insert(db, &row.customer(), row.customer_created_at(now))?;
        if !row.phone.is_empty() {
            known.insert(row.phone.clone(), id);
        }
        links.push((id, false));
    }
    Ok(links)
}
