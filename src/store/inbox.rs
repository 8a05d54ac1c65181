//! The supervisors' escalation inbox: major complaints, major accidents' claims and calls flagged
//! for a superior, until someone acknowledges them (who, when).

use chrono::NaiveDateTime;

use super::db::Db;
use super::{Result, StoreError};
use crate::db_params;

/// What an inbox entry points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A major complaint.
    Complaint,
    /// A call flagged "需上级处理".
    Call,
    /// A claim for a major accident (重大事故).
    Claim,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Self::Complaint => "complaint",
            Self::Call => "call",
            Self::Claim => "claim",
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
pub fn add<'a>(
    db: impl Into<Db<'a>>,
    kind: Kind,
    ref_id: i64,
    at: NaiveDateTime,
    summary: &str,
) -> Result<i64> {
    db.into().query_value(
        "INSERT INTO inbox (kind, ref_id, created_at, summary) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        db_params![kind.code(), ref_id, at, summary],
    )
}

/// Entries not yet acknowledged (oldest first), then the 50 most recently acknowledged.
///
/// The order is given by the outer query: PostgreSQL does not keep a subquery's order through
/// `UNION ALL`. Entries acknowledged at the same time come in the order they arrived.
pub fn list<'a>(db: impl Into<Db<'a>>) -> Result<Vec<Item>> {
    db.into().query_map(
        "SELECT id, kind, ref_id, created_at, summary, acknowledged_at, acknowledged_by FROM (
             SELECT id, kind, ref_id, created_at, summary, acknowledged_at, acknowledged_by, 0 AS part
             FROM inbox WHERE acknowledged_at IS NULL
             UNION ALL
             SELECT * FROM (SELECT id, kind, ref_id, created_at, summary, acknowledged_at, acknowledged_by, 1 AS part
                            FROM inbox WHERE acknowledged_at IS NOT NULL
                            ORDER BY acknowledged_at DESC, id LIMIT 50) AS recent
         ) AS entries
         ORDER BY part, CASE WHEN part = 0 THEN created_at END, acknowledged_at DESC, id",
        db_params![],
        |r| {
            let kind: String = r.get(1)?;
            Ok(Item {
                id: r.get(0)?,
                kind: match kind.as_str() {
                    "call" => Kind::Call,
                    "claim" => Kind::Claim,
                    _ => Kind::Complaint,
                },
                ref_id: r.get(2)?,
                created_at: r.get(3)?,
                summary: r.get(4)?,
                acknowledged_at: r.get(5)?,
                acknowledged_by: r.get(6)?,
            })
        },
    )
}

/// Number of entries waiting.
pub fn open_count<'a>(db: impl Into<Db<'a>>) -> Result<i64> {
    db.into().query_value(
        "SELECT count(*) FROM inbox WHERE acknowledged_at IS NULL",
        db_params![],
    )
}

/// Acknowledges an entry.
pub fn acknowledge<'a>(
    db: impl Into<Db<'a>>,
    id: i64,
    staff: Option<i64>,
    now: NaiveDateTime,
) -> Result<()> {
    let n = db.into().execute(
        "UPDATE inbox SET acknowledged_at = ?2, acknowledged_by = ?3 WHERE id = ?1 AND acknowledged_at IS NULL",
        db_params![id, now, staff],
    )?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}
