//! The audit trail: who changed what, when, with before and after; append-only and hash-chained.
//!
//! Each write transaction first records the acting user in a TEMP table of the connection, so the
//! store functions can call [`record`] without passing the actor around.

use chrono::NaiveDateTime;
use rusqlite::{Connection, OptionalExtension as _, Transaction, params};
use sha2::{Digest as _, Sha256};

use super::{Result, parse_ts, ts};
use crate::domain::account::Actor;

/// Sets the actor of the connection's next writes.
pub(super) fn set_actor(conn: &Connection, actor: &Actor) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS session_actor (id INTEGER, name TEXT NOT NULL)",
    )?;
    conn.execute("DELETE FROM temp.session_actor", [])?;
    conn.execute(
        "INSERT INTO temp.session_actor (id, name) VALUES (?1, ?2)",
        params![actor.account_id, actor.name],
    )?;
    Ok(())
}

fn actor(tx: &Transaction<'_>) -> Result<(Option<i64>, String)> {
    Ok(tx
        .query_row("SELECT id, name FROM temp.session_actor", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or((None, "?".into())))
}

/// SHA-256 over the previous hash and the row's fields, separated by a unit separator.
fn hash_of(prev: &str, fields: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    for part in fields {
        h.update([0x1f]);
        h.update(part.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

/// Appends an entry for the connection's actor.
pub fn record(
    tx: &Transaction<'_>,
    now: NaiveDateTime,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: &str,
    after: &str,
) -> Result<()> {
    let (actor_id, actor) = actor(tx)?;
    let prev: String = tx
        .query_row("SELECT hash FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?
        .unwrap_or_default();
    let at = ts(now);
    let hash = hash_of(
        &prev,
        &[
            &at,
            &id_text(actor_id),
            &actor,
            action,
            entity,
            &id_text(entity_id),
            before,
            after,
        ],
    );
    tx.prepare_cached(
        "INSERT INTO audit (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![at, actor_id, actor, action, entity, entity_id, before, after, prev, hash])?;
    Ok(())
}

/// One audit entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Row id.
    pub id: i64,
    /// When.
    pub at: NaiveDateTime,
    /// Who.
    pub actor: String,
    /// What was done.
    pub action: String,
    /// To what.
    pub entity: String,
    /// Which one.
    pub entity_id: Option<i64>,
    /// Before.
    pub before: String,
    /// After.
    pub after: String,
}

/// The newest `limit` entries, newest first.
pub fn recent(conn: &Connection, limit: i64) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit ORDER BY id DESC LIMIT ?1",
    )?;
    let rows = stmt.query_map([limit], |r| {
        Ok(Entry {
            id: r.get(0)?,
            at: parse_ts(&r.get::<_, String>(1)?)?,
            actor: r.get(2)?,
            action: r.get(3)?,
            entity: r.get(4)?,
            entity_id: r.get(5)?,
            before: r.get(6)?,
            after: r.get(7)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Walks the chain; returns the id of the first row whose hash does not match, if any.
pub fn first_broken(conn: &Connection) -> Result<Option<i64>> {
    if !super::table_exists(conn, "audit")? {
        return Ok(None);
    }
    let mut stmt = conn.prepare(
        "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit ORDER BY id",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = String::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(0)?;
        let stored_prev: String = r.get(9)?;
        let stored: String = r.get(10)?;
        let expect = hash_of(
            &prev,
            &[
                &r.get::<_, String>(1)?,
                &id_text(r.get(2)?),
                &r.get::<_, String>(3)?,
                &r.get::<_, String>(4)?,
                &r.get::<_, String>(5)?,
                &id_text(r.get(6)?),
                &r.get::<_, String>(7)?,
                &r.get::<_, String>(8)?,
            ],
        );
        if stored_prev != prev || stored != expect {
            return Ok(Some(id));
        }
        prev = stored;
    }
    Ok(None)
}
