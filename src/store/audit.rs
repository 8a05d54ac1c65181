//! The audit trail: who changed what, when, with before and after; append-only and hash-chained.
//!
//! Each write transaction first records the acting user in a TEMP table of the connection, so the
//! store functions can call [`record`] without passing the actor around.

use chrono::NaiveDateTime;
use sha2::{Digest as _, Sha256};

use super::db::Db;
use super::{Result, ts};
use crate::db_params;
use crate::domain::account::Actor;

/// Sets the actor of the connection's next writes, and the desk they are made at (kept with
/// each step of a visit, complaint or claim).
pub(super) fn set_actor<'a>(db: impl Into<Db<'a>>, actor: &Actor, desk: &str) -> Result<()> {
    let db = db.into();
    db.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS session_actor (id BIGINT, name TEXT NOT NULL, desk TEXT NOT NULL)",
    )?;
    db.execute("DELETE FROM session_actor", db_params![])?;
    db.execute(
        "INSERT INTO session_actor (id, name, desk) VALUES (?1, ?2, ?3)",
        db_params![actor.account_id, actor.name, desk],
    )?;
    Ok(())
}

fn actor(db: Db<'_>) -> Result<(Option<i64>, String)> {
    Ok(db
        .query_opt("SELECT id, name FROM session_actor", db_params![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?
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
pub fn record<'a>(
    db: impl Into<Db<'a>>,
    now: NaiveDateTime,
    action: &str,
    entity: &str,
    entity_id: Option<i64>,
    before: &str,
    after: &str,
) -> Result<()> {
    let db = db.into();
    let (actor_id, actor) = actor(db)?;
    let prev: String = db
        .query_opt(
            "SELECT hash FROM audit ORDER BY id DESC LIMIT 1",
            db_params![],
            |r| r.get(0),
        )?
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
    db.execute(
        "INSERT INTO audit (at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        db_params![at, actor_id, actor, action, entity, entity_id, before, after, prev, hash],
    )?;
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
pub fn recent<'a>(db: impl Into<Db<'a>>, limit: i64) -> Result<Vec<Entry>> {
    db.into().query_map(
        "SELECT id, at, actor, action, entity, entity_id, before, after FROM audit ORDER BY id DESC LIMIT ?1",
        db_params![limit],
        |r| {
            Ok(Entry {
                id: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                action: r.get(3)?,
                entity: r.get(4)?,
                entity_id: r.get(5)?,
                before: r.get(6)?,
                after: r.get(7)?,
            })
        },
    )
}

/// Walks the chain; returns the id of the first row whose hash does not match, if any.
pub fn first_broken<'a>(db: impl Into<Db<'a>>) -> Result<Option<i64>> {
    let db = db.into();
    if !db.table_exists("audit")? {
        return Ok(None);
    }
    let mut prev = String::new();
    let mut broken = None;
    db.query_each(
        "SELECT id, at, actor_id, actor, action, entity, entity_id, before, after, prev_hash, hash FROM audit ORDER BY id",
        db_params![],
        |r| {
            if broken.is_some() {
                return Ok(());
            }
            let id: i64 = r.get(0)?;
            let stored_prev: String = r.get(9)?;
            let stored: String = r.get(10)?;
            let expect = hash_of(
                &prev,
                &[
                    &r.get::<String>(1)?,
                    &id_text(r.get(2)?),
                    &r.get::<String>(3)?,
                    &r.get::<String>(4)?,
                    &r.get::<String>(5)?,
                    &id_text(r.get(6)?),
                    &r.get::<String>(7)?,
                    &r.get::<String>(8)?,
                ],
            );
            if stored_prev != prev || stored != expect {
                broken = Some(id);
            }
            prev = stored;
            Ok(())
        },
    )?;
    Ok(broken)
}
