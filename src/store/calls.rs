//! Service calls: log, list with filters and paging; escalated calls go to the inbox.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, Row, Transaction, params};

use super::{Result, StoreError, inbox, parse_ts, ts};
use crate::domain::call::{Call, Category, Outcome};

const COLUMNS: &str = "id, at, rings, apology_said, caller_name, phone, region, category, content,
    answer, repeated_back, outcome, escalated, staff_id, customer_id, complaint_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Call> {
    let category: String = r.get("category")?;
    let outcome: String = r.get("outcome")?;
    Ok(Call {
        id: r.get("id")?,
        at: parse_ts(&r.get::<_, String>("at")?)?,
        rings: r.get("rings")?,
        apology_said: r.get("apology_said")?,
        caller_name: r.get("caller_name")?,
        phone: r.get("phone")?,
        region: r.get("region")?,
        category: Category::parse(&category),
        content: r.get("content")?,
        answer: r.get("answer")?,
        repeated_back: r.get("repeated_back")?,
        outcome: Outcome::parse(&outcome),
        escalated: r.get("escalated")?,
        staff_id: r.get("staff_id")?,
        customer_id: r.get("customer_id")?,
        complaint_id: r.get("complaint_id")?,
    })
}

/// Saves a call; an escalated call also goes to the supervisors' inbox. Returns its id.
pub fn insert(tx: &Transaction<'_>, c: &Call) -> Result<i64> {
    tx.execute(
        "INSERT INTO calls (at, rings, apology_said, caller_name, phone, region, category, content,
            answer, repeated_back, outcome, escalated, staff_id, customer_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        params![
            ts(c.at),
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
        ],
    )?;
    let id = tx.last_insert_rowid();
    if c.escalated {
        inbox::add(tx, inbox::Kind::Call, id, c.at, &c.inbox_summary())?;
    }
    Ok(id)
}

/// One call.
pub fn get(conn: &Connection, id: i64) -> Result<Call> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM calls WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or(StoreError::NotFound)
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
    fn sql(&self) -> (String, Vec<String>) {
        let mut clauses = vec!["1 = 1".to_owned()];
        let mut args = Vec::new();
        let mut push = |clause: &str, value: String, args: &mut Vec<String>| {
            args.push(value);
            clauses.push(clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(from) = self.from {
            push("at >= ?", ts(from), &mut args);
        }
        if let Some(to) = self.to {
            push("at < ?", ts(to), &mut args);
        }
        if let Some(c) = self.category {
            push("category = ?", c.as_zh().to_owned(), &mut args);
        }
        if let Some(s) = self.staff_id {
            push("staff_id = CAST(? AS INTEGER)", s.to_string(), &mut args);
        }
        let text = self.text.trim();
        if !text.is_empty() {
            args.push(format!("%{}%", text.replace(['%', '_'], "")));
            let n = args.len();
            clauses.push(format!(
                "(caller_name LIKE ?{n} OR phone LIKE ?{n} OR region LIKE ?{n} OR content LIKE ?{n} OR answer LIKE ?{n})"
            ));
        }
        (clauses.join(" AND "), args)
    }
}

/// Number of calls matching `filter`.
pub fn count(conn: &Connection, filter: &CallFilter) -> Result<i64> {
    let (clause, args) = filter.sql();
    Ok(conn
        .prepare_cached(&format!("SELECT count(*) FROM calls WHERE {clause}"))?
        .query_row(rusqlite::params_from_iter(args), |r| r.get(0))?)
}

/// A page of calls matching `filter`, newest first.
pub fn page(conn: &Connection, filter: &CallFilter, offset: i64, limit: i64) -> Result<Vec<Call>> {
    let (clause, mut args) = filter.sql();
    args.push(limit.to_string());
    args.push(offset.to_string());
    let n = args.len();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM calls WHERE {clause}
         ORDER BY at DESC, id DESC LIMIT CAST(?{} AS INTEGER) OFFSET CAST(?{n} AS INTEGER)",
        n - 1
    ))?;
    let rows = stmt.query_map(rusqlite::params_from_iter(args), from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Links a call to the complaint made from it.
pub fn link_complaint(tx: &Transaction<'_>, call_id: i64, complaint_id: i64) -> Result<()> {
    let n = tx.execute(
        "UPDATE calls SET complaint_id = ?2, outcome = ?3 WHERE id = ?1",
        params![call_id, complaint_id, Outcome::Converted.as_zh()],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
