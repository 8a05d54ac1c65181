//! SQL on either backend: the embedded SQLite file of one PC, or a shared PostgreSQL server.
//!
//! The store writes its SQL once, with SQLite's numbered placeholders (`?1`, `?2`, …) and in the
//! common dialect both engines speak (`RETURNING`, `ON CONFLICT`, CTEs, window functions,
//! `coalesce`, `||`, `substr`); where they differ, [`Db::pick`] chooses the text per backend in
//! the one place that needs it. Parameters and results travel as [`Value`]s — the five kinds
//! SQLite stores — converted to and from the column types the server expects, so the same
//! Rust code reads `i64`, `String`, `bool`, `Option<…>` and times from either backend.
//!
//! On PostgreSQL, placeholders are rewritten to `$1`, `$2`, … (outside string literals and
//! quoted names), statements are prepared once per connection and cached, `bigint`, `integer`,
//! `smallint`, `boolean`, `double precision`, `real`, `numeric`, `text`/`varchar` and `bytea`
//! are read and written, and `numeric` results (e.g. `sum(bigint)`, `avg`) come back as whole
//! numbers when they have no fraction.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error as StdError;

use bytes::BytesMut;
use chrono::{NaiveDate, NaiveDateTime};
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::{ToSqlOutput, ValueRef};

use super::{Result, StoreError};

/// Which engine a connection talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A value as the store passes and reads it: SQLite's five storage classes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Bytes.
    Blob(Vec<u8>),
}

/// A Rust value that can be a parameter.
pub trait ToValue {
    /// The value.
    fn to_value(&self) -> Value;
}

/// A Rust value that can be read from a column.
pub trait FromValue: Sized {
    /// Converts, or says why not.
    fn from_value(v: Value) -> std::result::Result<Self, String>;
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

macro_rules! int_to_value {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Int(i64::from(*self))
            }
        }
    )*};
}
int_to_value!(i64, i32, i16, i8, u32, u16, u8, bool);

impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToValue for u64 {
    fn to_value(&self) -> Value {
        Value::Int(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}

impl ToValue for f64 {
    fn to_value(&self) -> Value {
        Value::Real(*self)
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_owned())
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Blob(self.clone())
    }
}

impl<const N: usize> ToValue for [u8; N] {
    fn to_value(&self) -> Value {
        Value::Blob(self.to_vec())
    }
}

/// Times are stored as local time text `YYYY-MM-DD HH:MM:SS` on both backends (see
/// [`crate::domain::TIMESTAMP_FORMAT`]).
impl ToValue for NaiveDateTime {
    fn to_value(&self) -> Value {
        Value::Text(super::ts(*self))
    }
}

/// Days are stored as `YYYY-MM-DD`.
impl ToValue for NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format("%Y-%m-%d").to_string())
    }
}

impl FromValue for Value {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        Ok(v)
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            other => T::from_value(other).map(Some),
        }
    }
}

impl FromValue for i64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            other => Err(format!("expected a whole number, found {other:?}")),
        }
    }
}

macro_rules! int_from_value {
    ($($t:ty),*) => {$(
        impl FromValue for $t {
            fn from_value(v: Value) -> std::result::Result<Self, String> {
                let i = i64::from_value(v)?;
                <$t>::try_from(i).map_err(|_| format!("{i} is out of range"))
            }
        }
    )*};
}
int_from_value!(i32, i16, u32, u16, u8, u64, usize);

impl FromValue for bool {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        i64::from_value(v).map(|i| i != 0)
    }
}

impl FromValue for f64 {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            #[expect(
                clippy::cast_precision_loss,
                reason = "whole numbers read as real, as SQLite does"
            )]
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}

impl FromValue for String {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

impl FromValue for NaiveDateTime {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        let s = String::from_value(v)?;
        NaiveDateTime::parse_from_str(&s, crate::domain::TIMESTAMP_FORMAT)
            .map_err(|e| format!("{s:?} is not a time: {e}"))
    }
}

impl FromValue for NaiveDate {
    fn from_value(v: Value) -> std::result::Result<Self, String> {
        let s = String::from_value(v)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|e| format!("{s:?} is not a day: {e}"))
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Self::Null => ToSqlOutput::Owned(rusqlite::types::Value::Null),
            Self::Int(i) => ToSqlOutput::Owned(rusqlite::types::Value::Integer(*i)),
            Self::Real(f) => ToSqlOutput::Owned(rusqlite::types::Value::Real(*f)),
            Self::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Self::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

impl From<ValueRef<'_>> for Value {
    fn from(v: ValueRef<'_>) -> Self {
        match v {
            ValueRef::Null => Self::Null,
            ValueRef::Integer(i) => Self::Int(i),
            ValueRef::Real(f) => Self::Real(f),
            ValueRef::Text(t) => Self::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Blob(b) => Self::Blob(b.to_vec()),
        }
    }
}

type BoxError = Box<dyn StdError + Sync + Send>;

fn is_text(ty: &Type) -> bool {
    matches!(
        *ty,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN
    )
}

/// A parameter for the server, in the type the server expects for its place.
impl ToSql for Value {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        let mismatch = || -> BoxError { format!("cannot send {self:?} as {ty}").into() };
        match self {
            Self::Null => Ok(IsNull::Yes),
            Self::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                #[expect(clippy::cast_precision_loss, reason = "as SQLite compares them")]
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                #[expect(clippy::cast_precision_loss, reason = "as SQLite compares them")]
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::NUMERIC => {
                    encode_numeric_int(*i, out);
                    Ok(IsNull::No)
                }
                _ if is_text(ty) => i.to_string().to_sql(&Type::TEXT, out),
                _ => Err(mismatch()),
            },
            Self::Real(f) => match *ty {
                Type::FLOAT8 => f.to_sql(ty, out),
                #[expect(clippy::cast_possible_truncation, reason = "the column is real")]
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ if is_text(ty) => f.to_string().to_sql(&Type::TEXT, out),
                _ => Err(mismatch()),
            },
            Self::Text(s) => match *ty {
                _ if is_text(ty) => s.as_str().to_sql(&Type::TEXT, out),
                _ => Err(mismatch()),
            },
            Self::Blob(b) => match *ty {
                Type::BYTEA => b.as_slice().to_sql(ty, out),
                _ => Err(mismatch()),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A result column from the server, whatever its type among those the store uses.
impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Self::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Self::Int(i64::from(i32::from_sql(ty, raw)?)),
            Type::INT2 => Self::Int(i64::from(i16::from_sql(ty, raw)?)),
            Type::BOOL => Self::Int(i64::from(bool::from_sql(ty, raw)?)),
            Type::FLOAT8 => Self::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Self::Real(f64::from(f32::from_sql(ty, raw)?)),
            Type::BYTEA => Self::Blob(Vec::<u8>::from_sql(ty, raw)?),
            Type::NUMERIC => decode_numeric(raw)?,
            _ if is_text(ty) => Self::Text(String::from_sql(&Type::TEXT, raw)?),
            _ => return Err(format!("the store does not read columns of type {ty}").into()),
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, BoxError> {
        Ok(Self::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// PostgreSQL's binary `numeric`: a whole number when it has no fraction digits and fits, else
/// a float.
fn decode_numeric(raw: &[u8]) -> std::result::Result<Value, BoxError> {
    let word = |i: usize| -> std::result::Result<u16, BoxError> {
        raw.get(i..i + 2)
            .map(|b| u16::from_be_bytes([b[0], b[1]]))
            .ok_or_else(|| "short numeric".into())
    };
    let ndigits = usize::from(word(0)?);
    let weight = i32::from(word(2)? as i16);
    let sign = word(4)?;
    let dscale = word(6)?;
    if sign == 0xC000 {
        return Ok(Value::Real(f64::NAN));
    }
    let negative = sign == 0x4000;
    let mut digits = Vec::with_capacity(ndigits);
    for i in 0..ndigits {
        digits.push(word(8 + 2 * i)?);
    }
    // Whole number: every digit group at or above the decimal point.
    if dscale == 0 {
        let mut v: i128 = 0;
        let mut whole = true;
        for (i, d) in digits.iter().enumerate() {
            let exponent = weight - i32::try_from(i).unwrap_or(i32::MAX);
            if exponent < 0 {
                whole = false;
                break;
            }
            v = v
                .checked_mul(10_000)
                .and_then(|v| v.checked_add(i128::from(*d)))
                .ok_or("numeric out of range")?;
        }
        if whole {
            let last = weight - i32::try_from(ndigits).unwrap_or(0) + 1;
            for _ in 0..last.max(0) {
                v = v.checked_mul(10_000).ok_or("numeric out of range")?;
            }
            let v = if negative { -v } else { v };
            if let Ok(i) = i64::try_from(v) {
                return Ok(Value::Int(i));
            }
        }
    }
    let mut f = 0.0_f64;
    for (i, d) in digits.iter().enumerate() {
        let exponent = weight - i32::try_from(i).unwrap_or(i32::MAX);
        f += f64::from(*d) * 10_000_f64.powi(exponent);
    }
    Ok(Value::Real(if negative { -f } else { f }))
}

/// A whole number as PostgreSQL's binary `numeric`.
fn encode_numeric_int(i: i64, out: &mut BytesMut) {
    let negative = i < 0;
    let mut v = i.unsigned_abs();
    let mut groups = Vec::new();
    while v > 0 {
        groups.push(u16::try_from(v % 10_000).unwrap_or(0));
        v /= 10_000;
    }
    groups.reverse();
    let ndigits = u16::try_from(groups.len()).unwrap_or(0);
    let weight = i16::try_from(groups.len()).unwrap_or(1) - 1;
    out.extend_from_slice(&ndigits.to_be_bytes());
    out.extend_from_slice(&weight.max(0).to_be_bytes());
    out.extend_from_slice(&(if negative { 0x4000_u16 } else { 0 }).to_be_bytes());
    out.extend_from_slice(&0_u16.to_be_bytes());
    for g in groups {
        out.extend_from_slice(&g.to_be_bytes());
    }
}

/// Rewrites SQLite placeholders (`?`, `?NNN`) as PostgreSQL's `$N`, leaving string literals,
/// quoted names and comments alone.
pub fn postgres_placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 1_u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut number = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    number.push(d);
                    chars.next();
                }
                let n = if number.is_empty() {
                    let n = next;
                    next += 1;
                    n
                } else {
                    let n: u32 = number.parse().unwrap_or(0);
                    next = n + 1;
                    n
                };
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

/// A connection to a PostgreSQL server, with its prepared statements.
pub struct PgConn {
    client: RefCell<postgres::Client>,
    statements: RefCell<HashMap<String, postgres::Statement>>,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConn").finish_non_exhaustive()
    }
}

impl PgConn {
    /// Wraps a connected client.
    pub fn new(client: postgres::Client) -> Self {
        Self {
            client: RefCell::new(client),
            statements: RefCell::new(HashMap::new()),
        }
    }

    /// Connects without TLS (tests on loopback; the app's connector is chosen by the caller).
    pub fn connect_plain(url: &str) -> Result<Self> {
        Ok(Self::new(postgres::Client::connect(url, postgres::NoTls)?))
    }

    /// Whether the connection is broken (the server went away or restarted).
    pub fn is_closed(&self) -> bool {
        self.client.borrow().is_closed()
    }

    /// What cancels the statement this connection runs, from another thread.
    pub fn cancel_token(&self) -> postgres::CancelToken {
        self.client.borrow().cancel_token()
    }

    fn statement(&self, sql: &str) -> Result<postgres::Statement> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let translated = postgres_placeholders(sql);
        let stmt = self.client.borrow_mut().prepare(&translated)?;
        self.statements
            .borrow_mut()
            .insert(sql.to_owned(), stmt.clone());
        Ok(stmt)
    }

    fn params(params: &[&dyn ToValue]) -> Vec<Value> {
        params.iter().map(|p| p.to_value()).collect()
    }
}

/// Where a query runs: a SQLite connection (or transaction) or a PostgreSQL connection.
#[derive(Clone, Copy, Debug)]
pub enum Db<'a> {
    /// SQLite.
    Sqlite(&'a rusqlite::Connection),
    /// PostgreSQL.
    Postgres(&'a PgConn),
}

impl<'a> From<&'a rusqlite::Connection> for Db<'a> {
    fn from(c: &'a rusqlite::Connection) -> Self {
        Self::Sqlite(c)
    }
}

impl<'a> From<&'a rusqlite::Transaction<'_>> for Db<'a> {
    fn from(tx: &'a rusqlite::Transaction<'_>) -> Self {
        Self::Sqlite(tx)
    }
}

impl<'a> From<&'a PgConn> for Db<'a> {
    fn from(c: &'a PgConn) -> Self {
        Self::Postgres(c)
    }
}

/// One result row.
pub enum Row<'a> {
    /// From SQLite.
    Sqlite(&'a rusqlite::Row<'a>),
    /// From PostgreSQL.
    Postgres(&'a postgres::Row),
}

impl Row<'_> {
    /// The value of column `index` (0-based).
    pub fn value(&self, index: usize) -> Result<Value> {
        match self {
            Self::Sqlite(r) => Ok(Value::from(r.get_ref(index)?)),
            Self::Postgres(r) => Ok(r.try_get::<_, Value>(index)?),
        }
    }

    /// Column `index` as `T`.
    pub fn get<T: FromValue>(&self, index: usize) -> Result<T> {
        T::from_value(self.value(index)?).map_err(|message| StoreError::Conversion {
            column: self.column_name(index).unwrap_or_default(),
            message,
        })
    }

    /// Number of columns.
    pub fn len(&self) -> usize {
        match self {
            Self::Sqlite(r) => r.as_ref().column_count(),
            Self::Postgres(r) => r.len(),
        }
    }

    /// Whether the row has no columns.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name of column `index`.
    pub fn column_name(&self, index: usize) -> Option<String> {
        match self {
            Self::Sqlite(r) => r.as_ref().column_name(index).ok().map(str::to_owned),
            Self::Postgres(r) => r.columns().get(index).map(|c| c.name().to_owned()),
        }
    }
}

impl<'a> Db<'a> {
    /// Which engine.
    pub fn backend(self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQL text for this backend, where the dialects differ.
    pub fn pick<'s>(self, sqlite: &'s str, postgres: &'s str) -> &'s str {
        match self {
            Self::Sqlite(_) => sqlite,
            Self::Postgres(_) => postgres,
        }
    }

    /// Runs a statement; returns the number of rows changed.
    pub fn execute(self, sql: &str, params: &[&dyn ToValue]) -> Result<usize> {
        match self {
            Self::Sqlite(c) => {
                let values = PgConn::params(params);
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(values.iter()))?)
            }
            Self::Postgres(p) => {
                let stmt = p.statement(sql)?;
                let values = PgConn::params(params);
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let n = p.client.borrow_mut().execute(&stmt, &refs)?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    }

    /// Runs several statements without parameters (schema steps).
    pub fn execute_batch(self, sql: &str) -> Result<()> {
        match self {
            Self::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Self::Postgres(p) => Ok(p.client.borrow_mut().batch_execute(sql)?),
        }
    }

    /// Every row, each through `f`.
    pub fn query_map<T>(
        self,
        sql: &str,
        params: &[&dyn ToValue],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        let values = PgConn::params(params);
        match self {
            Self::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row::Sqlite(r))?);
                }
                Ok(out)
            }
            Self::Postgres(p) => {
                let stmt = p.statement(sql)?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let rows = p.client.borrow_mut().query(&stmt, &refs)?;
                rows.iter().map(|r| f(&Row::Postgres(r))).collect()
            }
        }
    }

    /// [`Db::query_map`] planned anew for these parameters on a server (the statement is not
    /// kept prepared, so the server never falls back to a generic plan): for a search whose
    /// best plan depends on how common its pattern is. On SQLite the same as `query_map`.
    pub fn query_map_planned<T>(
        self,
        sql: &str,
        params: &[&dyn ToValue],
        mut f: impl FnMut(&Row<'_>) -> Result<T>,
    ) -> Result<Vec<T>> {
        match self {
            Self::Sqlite(_) => self.query_map(sql, params, f),
            Self::Postgres(p) => {
                let values = PgConn::params(params);
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let translated = postgres_placeholders(sql);
                let rows = p.client.borrow_mut().query(translated.as_str(), &refs)?;
                rows.iter().map(|r| f(&Row::Postgres(r))).collect()
            }
        }
    }

    /// Every row through `f`, one at a time, without keeping them (large tables).
    pub fn query_each(
        self,
        sql: &str,
        params: &[&dyn ToValue],
        mut f: impl FnMut(&Row<'_>) -> Result<()>,
    ) -> Result<()> {
        let values = PgConn::params(params);
        match self {
            Self::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                while let Some(r) = rows.next()? {
                    f(&Row::Sqlite(r))?;
                }
                Ok(())
            }
            Self::Postgres(p) => {
                use postgres::fallible_iterator::FallibleIterator as _;
                let stmt = p.statement(sql)?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let mut client = p.client.borrow_mut();
                let mut rows = client.query_raw(&stmt, refs)?;
                while let Some(r) = rows.next()? {
                    f(&Row::Postgres(&r))?;
                }
                Ok(())
            }
        }
    }

    /// `table` in the database's own schema (SQLite's `main`, not a TEMP table of that name).
    pub fn table(self, table: &str) -> String {
        match self {
            Self::Sqlite(_) => format!("main.{table}"),
            Self::Postgres(_) => format!("public.{table}"),
        }
    }

    /// Whether the database has a table of that name.
    pub fn table_exists(self, table: &str) -> Result<bool> {
        self.query_value(
            self.pick(
                "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                "SELECT count(*) > 0 FROM information_schema.tables
                 WHERE table_schema = 'public' AND table_name = ?1",
            ),
            crate::db_params![table],
        )
    }

    /// The first row through `f`, or `None` when there is none.
    pub fn query_opt<T>(
        self,
        sql: &str,
        params: &[&dyn ToValue],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<Option<T>> {
        let values = PgConn::params(params);
        match self {
            Self::Sqlite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter()))?;
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)).map(Some),
                    None => Ok(None),
                }
            }
            Self::Postgres(p) => {
                let stmt = p.statement(sql)?;
                let refs: Vec<&(dyn ToSql + Sync)> =
                    values.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let rows = p.client.borrow_mut().query(&stmt, &refs)?;
                match rows.first() {
                    Some(r) => f(&Row::Postgres(r)).map(Some),
                    None => Ok(None),
                }
            }
        }
    }

    /// The first row through `f`; [`StoreError::NotFound`] when there is none.
    pub fn query_row<T>(
        self,
        sql: &str,
        params: &[&dyn ToValue],
        f: impl FnOnce(&Row<'_>) -> Result<T>,
    ) -> Result<T> {
        self.query_opt(sql, params, f)?.ok_or(StoreError::NotFound)
    }

    /// The first column of the first row.
    pub fn query_value<T: FromValue>(self, sql: &str, params: &[&dyn ToValue]) -> Result<T> {
        self.query_row(sql, params, |r| r.get(0))
    }
}

/// `INSERT INTO table (columns) VALUES (?1, …), (…)` for `rows` rows, the parameters row by row:
/// many rows in one statement (a server answers each statement over the network). Bulk writes
/// ask for the same few statements thousands of times; each is made once per thread.
pub fn insert_rows(table: &str, columns: &[impl AsRef<str>], rows: usize) -> String {
    let names: Vec<&str> = columns.iter().map(AsRef::as_ref).collect();
    let key = (format!("{table}({})", names.join(",")), rows);
    INSERTS.with_borrow_mut(|made| {
        if made.len() > 64 {
            made.clear();
        }
        made.entry(key)
            .or_insert_with(|| {
                let n = names.len();
                let groups: Vec<String> = (0..rows)
                    .map(|r| {
                        let marks: Vec<String> =
                            (1..=n).map(|c| format!("?{}", r * n + c)).collect();
                        format!("({})", marks.join(", "))
                    })
                    .collect();
                format!(
                    "INSERT INTO {table} ({}) VALUES {}",
                    names.join(", "),
                    groups.join(", ")
                )
            })
            .clone()
    })
}

thread_local! {
    /// The statements [`insert_rows`] made, by table, columns and rows.
    static INSERTS: std::cell::RefCell<std::collections::HashMap<(String, usize), String>> =
        std::cell::RefCell::default();
}

/// Parameters for [`Db`] calls: `params![a, b]` is `&[&a as &dyn ToValue, &b]`.
#[macro_export]
macro_rules! db_params {
    () => { &[] as &[&dyn $crate::store::db::ToValue] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::ToValue),+] as &[&dyn $crate::store::db::ToValue] };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_outside_literals_and_comments() {
        assert_eq!(
            postgres_placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?2 OR d = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c = $2 OR d = $1"
        );
        assert_eq!(
            postgres_placeholders("INSERT INTO t VALUES (?, ?, '?', \"q?\") -- why?\n; SELECT ?"),
            "INSERT INTO t VALUES ($1, $2, '?', \"q?\") -- why?\n; SELECT $3"
        );
        assert_eq!(
            postgres_placeholders("SELECT 'it''s ?' || ?12"),
            "SELECT 'it''s ?' || $12"
        );
    }

    fn numeric(i: i64) -> Value {
        let mut b = BytesMut::new();
        encode_numeric_int(i, &mut b);
        decode_numeric(&b).unwrap()
    }

    #[test]
    fn whole_numerics_round_trip() {
        for i in [
            0,
            1,
            -1,
            9_999,
            10_000,
            123_456_789,
            -98_765_432_100,
            i64::MAX,
            i64::MIN + 1,
        ] {
            assert_eq!(numeric(i), Value::Int(i), "{i}");
        }
    }

    #[test]
    fn fractional_numerics_are_reals() {
        // 12.5: ndigits 2, weight 0, positive, dscale 1, digits [12, 5000].
        let raw = [0, 2, 0, 0, 0, 0, 0, 1, 0, 12, 0x13, 0x88];
        assert_eq!(decode_numeric(&raw).unwrap(), Value::Real(12.5));
        // 20000 with trailing zero groups dropped: ndigits 1, weight 1, digits [2].
        let raw = [0, 1, 0, 1, 0, 0, 0, 0, 0, 2];
        assert_eq!(decode_numeric(&raw).unwrap(), Value::Int(20_000));
    }

    #[test]
    fn values_convert_both_ways() {
        let t = NaiveDateTime::parse_from_str("2026-11-23 09:00:05", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(t.to_value(), Value::Text("2026-11-23 09:00:05".into()));
        assert_eq!(NaiveDateTime::from_value(t.to_value()).unwrap(), t);
        assert_eq!(Option::<i64>::from_value(Value::Null).unwrap(), None);
        assert!(bool::from_value(Value::Int(1)).unwrap());
        assert!(i32::from_value(Value::Int(i64::MAX)).is_err());
        assert!(String::from_value(Value::Int(1)).is_err());
        assert_eq!(Some(3_i64).to_value(), Value::Int(3));
        assert_eq!(None::<String>.to_value(), Value::Null);
    }

    #[test]
    fn sqlite_queries_through_the_common_api() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let db = Db::Sqlite(&conn);
        db.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, at TEXT, b BLOB)")
            .unwrap();
        let t = NaiveDateTime::parse_from_str("2026-11-23 09:00:05", "%Y-%m-%d %H:%M:%S").unwrap();
        let id: i64 = db
            .query_value(
                "INSERT INTO t (name, at, b) VALUES (?1, ?2, ?3) RETURNING id",
                crate::db_params!["王", t, vec![1_u8, 2]],
            )
            .unwrap();
        assert_eq!(id, 1);
        let rows = db
            .query_map(
                "SELECT id, name, at, b FROM t WHERE id = ?1",
                crate::db_params![id],
                |r| {
                    Ok((
                        r.get::<i64>(0)?,
                        r.get::<String>(1)?,
                        r.get::<NaiveDateTime>(2)?,
                        r.get::<Vec<u8>>(3)?,
                    ))
                },
            )
            .unwrap();
        assert_eq!(rows, [(1, "王".to_owned(), t, vec![1, 2])]);
        assert!(matches!(
            db.query_row("SELECT id FROM t WHERE id = 9", crate::db_params![], |r| {
                r.get::<i64>(0)
            }),
            Err(StoreError::NotFound)
        ));
        let e = db
            .query_row("SELECT name FROM t", crate::db_params![], |r| {
                r.get::<i64>(0)
            })
            .unwrap_err();
        assert!(e.to_string().contains("name"), "{e}");
    }
}
