//! Keyset paging for the long lists (the visit history, the call log), newest first: a page is
//! read from the index at its first row — the rows just older or newer than a row shown — instead
//! of counting off every row before it with `OFFSET`, so a page ten years back costs what the
//! first one does. Rows that share a time are ordered by id.

use chrono::NaiveDateTime;

use super::Result;
use super::db::{Db, Row, ToValue, Value};

/// Where a page starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Position {
    /// The newest rows.
    #[default]
    Newest,
    /// The rows just older than this one (its time and id): the next page.
    OlderThan(NaiveDateTime, i64),
    /// The rows just newer than this one: the previous page.
    NewerThan(NaiveDateTime, i64),
    /// The newest rows before this time (a jump to a date: the next midnight).
    Before(NaiveDateTime),
}

/// A page of a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    /// Rows matching the filter.
    pub total: i64,
    /// Of those, how many are newer than the page's first row (the page shows rows
    /// `newer + 1 ..= newer + rows.len()`).
    pub newer: i64,
    /// The page, newest first.
    pub rows: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            total: 0,
            newer: 0,
            rows: Vec::new(),
        }
    }
}

/// The rows of a page read with `LIMIT limit + 1` (the short logs paged by offset: incidents,
/// waybill change requests): at most `limit` of them, and whether there were more.
pub(super) fn split_more<T>(mut rows: Vec<T>, limit: i64) -> (Vec<T>, bool) {
    let limit = usize::try_from(limit).unwrap_or(0);
    let more = rows.len() > limit;
    rows.truncate(limit);
    (rows, more)
}

/// What to page through: `SELECT {columns} FROM {table} WHERE {clause}` (with `args`), by
/// `{time}` and `id`; `key` reads a row's time and id.
pub(super) struct List<'q, T> {
    pub table: &'q str,
    pub time: &'q str,
    pub columns: &'q str,
    pub clause: &'q str,
    pub args: &'q [Value],
    pub from_row: fn(&Row<'_>) -> Result<T>,
    pub key: fn(&T) -> (NaiveDateTime, i64),
}

fn refs(values: &[Value]) -> Vec<&dyn ToValue> {
    values.iter().map(|v| v as &dyn ToValue).collect()
}

/// The rows of `table` that `clause` (with `args`) selects.
pub(super) fn count(db: Db<'_>, table: &str, clause: &str, args: &[Value]) -> Result<i64> {
    db.query_value(
        &format!("SELECT count(*) FROM {table} WHERE {clause}"),
        &refs(args),
    )
}

/// The page of `list` at `position`, with the counts a pager shows.
pub(super) fn page<T>(
    db: Db<'_>,
    list: &List<'_, T>,
    position: Position,
    limit: i64,
) -> Result<Page<T>> {
    let List {
        table,
        time,
        columns,
        clause,
        args,
        ..
    } = *list;
    let total = count(db, table, clause, args)?;
    // The first condition gives the index range; the second orders ties by id.
    let a = args.len() + 1;
    let (after, extra, newest_first) = match position {
        Position::Newest => (String::new(), Vec::new(), true),
        Position::OlderThan(at, id) => (
            format!("AND {time} <= ?{a} AND ({time} < ?{a} OR id < ?{})", a + 1),
            vec![at.to_value(), Value::Int(id)],
            true,
        ),
        Position::NewerThan(at, id) => (
            format!("AND {time} >= ?{a} AND ({time} > ?{a} OR id > ?{})", a + 1),
            vec![at.to_value(), Value::Int(id)],
            false,
        ),
        Position::Before(at) => (format!("AND {time} < ?{a}"), vec![at.to_value()], true),
    };
    let mut all = args.to_vec();
    all.extend(extra);
    all.push(Value::Int(limit));
    let order = if newest_first { "DESC" } else { "ASC" };
    let mut rows = db.query_map(
        &format!(
            "SELECT {columns} FROM {table} WHERE {clause} {after}
             ORDER BY {time} {order}, id {order} LIMIT ?{}",
            all.len()
        ),
        &refs(&all),
        list.from_row,
    )?;
    if !newest_first {
        rows.reverse();
        // A previous page that ran into the newest rows is the newest page.
        if i64::try_from(rows.len()).unwrap_or(0) < limit {
            return page(db, list, Position::Newest, limit);
        }
    }
    let newer = match rows.first().map(list.key) {
        Some((at, id)) => {
            let mut all = args.to_vec();
            all.push(at.to_value());
            all.push(Value::Int(id));
            db.query_value(
                &format!(
                    "SELECT count(*) FROM {table} WHERE {clause}
                     AND {time} >= ?{a} AND ({time} > ?{a} OR id > ?{})",
                    a + 1
                ),
                &refs(&all),
            )?
        }
        None => total,
    };
    Ok(Page { total, newer, rows })
}
