//! Service calls: log, list with filters and paging; escalated calls go to the inbox.

use chrono::{NaiveDate, NaiveDateTime};

use super::db::{Db, Row, Value};
use super::{Result, StoreError, inbox, ts};
use crate::db_params;
use crate::domain::call::{Call, Category, Outcome};

const COLUMNS: &str = "id, at, rings, apology_said, caller_name, phone, region, category, content,
    answer, repeated_back, outcome, escalated, staff_id, customer_id, complaint_id, transferred_to,
    transfer_note";

fn from_row(r: &Row<'_>) -> Result<Call> {
    let category: String = r.get(7)?;
    let outcome: String = r.get(11)?;
    Ok(Call {
        id: r.get(0)?,
        at: r.get(1)?,
        rings: r.get(2)?,
        apology_said: r.get(3)?,
        caller_name: r.get(4)?,
        phone: r.get(5)?,
        region: r.get(6)?,
        category: Category::parse(&category),
        content: r.get(8)?,
        answer: r.get(9)?,
        repeated_back: r.get(10)?,
        outcome: Outcome::parse(&outcome),
        escalated: r.get(12)?,
        staff_id: r.get(13)?,
        customer_id: r.get(14)?,
        complaint_id: r.get(15)?,
        transferred_to: r.get(16)?,
        transfer_note: r.get::<Option<String>>(17)?.unwrap_or_default(),
    })
}

/// Saves a call; an escalated call also goes to the supervisors' inbox. Returns its id.
pub fn insert<'a>(db: impl Into<Db<'a>>, c: &Call) -> Result<i64> {
    let db = db.into();
    let id: i64 = db.query_value(
        "INSERT INTO calls (at, rings, apology_said, caller_name, phone, region, category, content,
            answer, repeated_back, outcome, escalated, staff_id, customer_id, transferred_to,
            transfer_note)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)
         RETURNING id",
        db_params![
            c.at,
            c.rings,
            c.apology_said,
            c.caller_name,
            c.phone,
            c.region,
            c.category.map(Category::as_zh),
            c.content,
            c.answer,
            c.repeated_back,
            c.outcome().as_zh(),
            c.escalated,
            c.staff_id,
            c.customer_id,
            c.transferred_to,
            c.transferred_to.map(|_| c.transfer_note.as_str()),
        ],
    )?;
    if c.escalated {
        inbox::add(db, inbox::Kind::Call, id, c.at, &c.inbox_summary())?;
    }
    Ok(id)
}

/// One call.
pub fn get<'a>(db: impl Into<Db<'a>>, id: i64) -> Result<Call> {
    db.into().query_row(
        &format!("SELECT {COLUMNS} FROM calls WHERE id = ?1"),
        db_params![id],
        from_row,
    )
}

/// Filter of the call list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallFilter {
    /// At or after.
    pub from: Option<NaiveDateTime>,
    /// Before.
    pub to: Option<NaiveDateTime>,
    /// Category.
    pub category: Option<Category>,
    /// Who took the call.
    pub staff_id: Option<i64>,
    /// Text in name, phone, region, content or answer.
    pub text: String,
}

impl CallFilter {
    /// The `WHERE` clause and its parameters. The text is looked up in the calls' text index
    /// ([`super::text_search`]): contained in one of the fields, case and punctuation ignored.
    fn sql(&self, db: Db<'_>) -> (String, Vec<Value>) {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut args = Vec::new();
        let mut push = |clause: &str, value: Value, args: &mut Vec<Value>| {
            args.push(value);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(from) = self.from {
            push("at >= ?", Value::Text(ts(from)), &mut args);
        }
        if let Some(to) = self.to {
            push("at < ?", Value::Text(ts(to)), &mut args);
        }
        if let Some(c) = self.category {
            push("category = ?", Value::Text(c.as_zh().to_owned()), &mut args);
        }
        if let Some(s) = self.staff_id {
            push("staff_id = ?", Value::Int(s), &mut args);
        }
        if let Some((clause, value)) = super::text_search::condition(
            db,
            &super::text_search::CALLS,
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

fn refs(args: &[Value]) -> Vec<&dyn super::db::ToValue> {
    args.iter().map(|v| v as &dyn super::db::ToValue).collect()
}

/// Number of calls matching `filter`.
pub fn count<'a>(db: impl Into<Db<'a>>, filter: &CallFilter) -> Result<i64> {
    let db = db.into();
    let (clause, args) = filter.sql(db);
    super::paging::count(db, "calls", &clause, &args)
}

/// The page of calls matching `filter` at `position`, newest first, with the counts the pager
/// shows (keyset paging, [`super::paging`]).
pub fn page_at<'a>(
    db: impl Into<Db<'a>>,
    filter: &CallFilter,
    position: super::paging::Position,
    limit: i64,
) -> Result<super::paging::Page<Call>> {
    let db = db.into();
    let (clause, args) = filter.sql(db);
    super::paging::page(
        db,
        &super::paging::List {
            table: "calls",
            time: "at",
            columns: COLUMNS,
            clause: &clause,
            args: &args,
            from_row,
            key: |c: &Call| (c.at, c.id),
        },
        position,
        limit,
    )
}

/// A page of calls matching `filter`, newest first.
pub fn page<'a>(
    db: impl Into<Db<'a>>,
    filter: &CallFilter,
    offset: i64,
    limit: i64,
) -> Result<Vec<Call>> {
    let db = db.into();
    let (clause, mut args) = filter.sql(db);
    args.push(Value::Int(limit));
    args.push(Value::Int(offset));
    let n = args.len();
    db.query_map(
        &format!(
            "SELECT {COLUMNS} FROM calls WHERE {clause}
             ORDER BY at DESC, id DESC LIMIT ?{} OFFSET ?{n}",
            n - 1
        ),
        &refs(&args),
        from_row,
    )
}

/// Links a call to the complaint made from it.
pub fn link_complaint<'a>(db: impl Into<Db<'a>>, call_id: i64, complaint_id: i64) -> Result<()> {
    let n = db.into().execute(
        "UPDATE calls SET complaint_id = ?2, outcome = ?3 WHERE id = ?1",
        db_params![call_id, complaint_id, Outcome::Converted.as_zh()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// How fast one staff member (or nobody recorded: `staff_id` none) answered the phone in a
/// period: calls answered within 2 rings, within 3–5, after more than 5, and of those how many
/// began with the apology (让您久等了).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rings {
    /// Who answered.
    pub staff_id: Option<i64>,
    /// 1–2 rings.
    pub within_2: i64,
    /// 3–5 rings.
    pub within_5: i64,
    /// More than 5 rings.
    pub over_5: i64,
    /// More than 5 rings, with the apology said.
    pub over_5_apologised: i64,
}

impl Rings {
    /// All calls counted.
    pub fn calls(&self) -> i64 {
        self.within_2 + self.within_5 + self.over_5
    }

    /// `part` of the calls in per cent, one decimal; `None` without calls.
    pub fn pct(&self, part: i64) -> Option<f64> {
        crate::domain::visit::percent(part, self.calls())
    }

    /// The figures of several rows added up (the whole desk).
    pub fn total(rows: &[Self]) -> Self {
        rows.iter().fold(Self::default(), |a, r| Self {
            staff_id: None,
            within_2: a.within_2 + r.within_2,
            within_5: a.within_5 + r.within_5,
            over_5: a.over_5 + r.over_5,
            over_5_apologised: a.over_5_apologised + r.over_5_apologised,
        })
    }
}

/// The columns [`rings_between`] and [`rings_per_day`] count, in [`Rings`]' order: within 2
/// rings, 3–5, over 5, over 5 with the apology.
const RINGS_COUNTS: &str = "COALESCE(SUM(CASE WHEN rings <= 2 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN rings BETWEEN 3 AND 5 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN rings > 5 THEN 1 ELSE 0 END), 0),
    COALESCE(SUM(CASE WHEN rings > 5 AND apology_said = 1 THEN 1 ELSE 0 END), 0)";

/// The [`Rings`] counted in the columns from `first` on ([`RINGS_COUNTS`]).
fn rings_from(r: &Row<'_>, first: usize, staff_id: Option<i64>) -> Result<Rings> {
    Ok(Rings {
        staff_id,
        within_2: r.get(first)?,
        within_5: r.get(first + 1)?,
        over_5: r.get(first + 2)?,
        over_5_apologised: r.get(first + 3)?,
    })
}

/// Answering speed of the calls in `[from, to)`, one row per staff member who answered (in the
/// order of their ids, nobody recorded last): one statement through the calls' time index.
pub fn rings_between<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<Rings>> {
    db.into().query_map(
        &format!(
            "SELECT staff_id, {RINGS_COUNTS}
             FROM calls WHERE at >= ?1 AND at < ?2
             GROUP BY staff_id ORDER BY staff_id IS NULL, staff_id"
        ),
        db_params![ts(from), ts(to)],
        |r| rings_from(r, 1, r.get(0)?),
    )
}

/// How fast the whole desk answered the phone on one day ([`rings_per_day`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayRings {
    /// The day.
    pub day: NaiveDate,
    /// Its calls, everyone's together (`staff_id` none).
    pub rings: Rings,
}

impl DayRings {
    /// One row for each of the `days` days from `first`, oldest first: the day's counts from
    /// `per_day` ([`rings_per_day`]'s days with calls), zeros on a day without any.
    pub fn each_day(per_day: &[Self], first: NaiveDate, days: u32) -> Vec<Self> {
        first
            .iter_days()
            .take(days as usize)
            .map(|day| {
                per_day
                    .iter()
                    .find(|d| d.day == day)
                    .copied()
                    .unwrap_or(Self {
                        day,
                        rings: Rings::default(),
                    })
            })
            .collect()
    }
}

/// Answering speed of the calls in `[from, to)` per day with calls, oldest first, the desk as a
/// whole: one statement grouped by the day through the calls' time index (both backends store
/// times as `YYYY-MM-DD HH:MM:SS` text, so the day is its first ten characters).
pub fn rings_per_day<'a>(
    db: impl Into<Db<'a>>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<DayRings>> {
    db.into().query_map(
        &format!(
            "SELECT substr(at, 1, 10) AS day, {RINGS_COUNTS}
             FROM calls WHERE at >= ?1 AND at < ?2
             GROUP BY day ORDER BY day"
        ),
        db_params![ts(from), ts(to)],
        |r| {
            let day: String = r.get(0)?;
            Ok(DayRings {
                day: NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default(),
                rings: rings_from(r, 1, None)?,
            })
        },
    )
}
