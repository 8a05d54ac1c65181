//! The supervisors' escalation inbox: major complaints and calls flagged for a superior, until
//! someone acknowledges them (who, when).

use chrono::NaiveDateTime;
use rusqlite::{Connection, Transaction, params};

use super::{Result, StoreError, parse_ts, parse_ts_opt, ts};

/// What an inbox entry points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A major complaint.
    Complaint,
    /// A call flagged "需上级处理".
    Call,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Self::Complaint => "complaint",
            Self::Call => "call",
        }
    }
}

/// One inbox entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Database id.
    pub id: i64,
    /// What it points at.
    pub kind: Kind,
    /// The complaint or call id.
    pub ref_id: i64,
    /// When it arrived.
    pub created_at: NaiveDateTime,
    /// One line about it.
    pub summary: String,
    /// When acknowledged.
    pub acknowledged_at: Option<NaiveDateTime>,
    /// By whom.
    pub acknowledged_by: Option<i64>,
}

/// Adds an entry.
pub fn add(
    tx: &Transaction<'_>,
    kind: Kind,
    ref_id: i64,
    at: NaiveDateTime,
    summary: &str,
) -> Result<i64> {
    tx.execute(
        "INSERT INTO inbox (kind, ref_id, created_at, summary) VALUES (?1, ?2, ?3, ?4)",
        params![kind.code(), ref_id, ts(at), summary],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Entries not yet acknowledged (oldest first), then the 50 most recently acknowledged.
pub fn list(conn: &Connection) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare_cached(
        "SELECT * FROM (SELECT id, kind, ref_id, created_at, summary, acknowledged_at, acknowledged_by
                        FROM inbox WHERE acknowledged_at IS NULL ORDER BY created_at, id)
         UNION ALL
         SELECT * FROM (SELECT id, kind, ref_id, created_at, summary, acknowledged_at, acknowledged_by
                        FROM inbox WHERE acknowledged_at IS NOT NULL ORDER BY acknowledged_at DESC LIMIT 50)",
    )?;
    let rows = stmt.query_map([], |r| {
        let kind: String = r.get(1)?;
        Ok(Item {
            id: r.get(0)?,
            kind: if kind == "call" {
                Kind::Call
            } else {
                Kind::Complaint
            },
            ref_id: r.get(2)?,
            created_at: parse_ts(&r.get::<_, String>(3)?)?,
            summary: r.get(4)?,
            acknowledged_at: parse_ts_opt(r.get(5)?)?,
            acknowledged_by: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Number of entries waiting.
pub fn open_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM inbox WHERE acknowledged_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// Acknowledges an entry.
pub fn acknowledge(
    tx: &Transaction<'_>,
    id: i64,
    staff: Option<i64>,
    now: NaiveDateTime,
) -> Result<()> {
    let n = tx.execute(
        "UPDATE inbox SET acknowledged_at = ?2, acknowledged_by = ?3 WHERE id = ?1 AND acknowledged_at IS NULL",
        params![id, ts(now), staff],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
