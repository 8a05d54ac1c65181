//! The store on a PostgreSQL server: connecting, checking and upgrading the schema, and write
//! transactions with the same guarantees as on SQLite (one transaction, the actor's permission
//! checked, every changed row sealed before the commit, the audit actor set).
//!
//! Writers are serialized with a transaction-scoped advisory lock, as SQLite's IMMEDIATE
//! transactions serialize them: the record of changes and the audit trail are hash chains whose
//! next entry depends on the newest one. Readers are never blocked.

use super::db::{Db, PgConn};
use super::seal::{self, Head};
use super::{Result, SCHEMA_VERSION, StoreError, audit};
use crate::db_params;
use crate::domain::account::{Action, Actor};

/// The advisory lock key of FrontDesk's writers ("FDK1").
const WRITE_LOCK: i64 = 0x4644_4B31;

/// The session's temporary tables: the rows changed in the current transaction (filled by the
/// schema's triggers, see `store/pg/0006_row_seals.sql`) and the acting user.
const SESSION: &str =
    "CREATE TEMP TABLE IF NOT EXISTS changed_rows (tbl TEXT NOT NULL, row_key TEXT NOT NULL);
     CREATE INDEX IF NOT EXISTS changed_rows_key ON changed_rows (tbl, row_key);";

/// What the server's database holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemaState {
    /// No tables at all: a new database.
    Empty,
    /// FrontDesk's schema at this version.
    Ours(i32),
    /// Tables of another application.
    Foreign,
}

/// Reads the version marker (`frontdesk_meta`).
pub fn schema_state(db: Db<'_>) -> Result<SchemaState> {
    if db.table_exists("frontdesk_meta")? {
        let app: Option<String> = db.query_opt(
            "SELECT value FROM frontdesk_meta WHERE key = 'application_id'",
            db_params![],
            |r| r.get(0),
        )?;
        if app.as_deref() != Some("FDK1") {
            return Ok(SchemaState::Foreign);
        }
        let version: Option<String> = db.query_opt(
            "SELECT value FROM frontdesk_meta WHERE key = 'schema_version'",
            db_params![],
            |r| r.get(0),
        )?;
        return Ok(SchemaState::Ours(
            version.and_then(|v| v.parse().ok()).unwrap_or(0),
        ));
    }
    let tables: i64 = db.query_value(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
        db_params![],
    )?;
    Ok(if tables == 0 {
        SchemaState::Empty
    } else {
        SchemaState::Foreign
    })
}

/// Connects to `url` (a `postgres://` URL), refuses another application's or a newer
/// FrontDesk's database before anything is written, brings an older one up to date (one
/// transaction per step, under the writers' lock, so two desks starting at once do not both
/// upgrade), and prepares the session.
pub fn open(url: &str) -> Result<PgConn> {
    let pg = connect(url)?;
    migrate(&pg, url)?;
    Db::Postgres(&pg).execute_batch(SESSION)?;
    Ok(pg)
}

/// Connects to `url` for reading only (reports, exports, `check`): a database of another
/// application, of a newer FrontDesk, an empty one or an out-of-date one is refused, as the
/// same files are on SQLite, and the session cannot write (`default_transaction_read_only`).
pub fn open_read_only(url: &str) -> Result<PgConn> {
    let pg = connect(url)?;
    let db = Db::Postgres(&pg);
    let shown = std::path::PathBuf::from(super::redacted_url(url));
    let state = schema_state(db)?;
    refuse_foreign_or_newer(&state, url)?;
    match state {
        SchemaState::Ours(v) if v < SCHEMA_VERSION => {
            return Err(StoreError::OutOfDate {
                path: shown,
                found: v,
                supported: SCHEMA_VERSION,
            });
        }
        SchemaState::Empty => return Err(StoreError::Uninitialised { path: shown }),
        _ => {}
    }
    db.execute_batch("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")?;
    Ok(pg)
}

/// Connects to the server of `url` (TLS and password: [`super::connect`]).
pub fn connect(url: &str) -> Result<PgConn> {
    super::connect::connect(url)
}

/// Refuses another application's database and a newer FrontDesk's, before anything is written.
fn refuse_foreign_or_newer(state: &SchemaState, url: &str) -> Result<()> {
    let shown = || std::path::PathBuf::from(super::redacted_url(url));
    match state {
        SchemaState::Foreign => Err(StoreError::ForeignFile {
            path: shown(),
            found: 0,
        }),
        SchemaState::Ours(v) if *v > SCHEMA_VERSION => Err(StoreError::NewerSchema {
            path: shown(),
            found: *v,
            supported: SCHEMA_VERSION,
        }),
        _ => Ok(()),
    }
}

fn migrate(pg: &PgConn, url: &str) -> Result<()> {
    let db = Db::Postgres(pg);
    let check = |state: &SchemaState| refuse_foreign_or_newer(state, url);
    let state = schema_state(db)?;
    check(&state)?;
    if state == SchemaState::Ours(SCHEMA_VERSION) {
        return Ok(());
    }
    db.execute_batch("BEGIN")?;
    let upgraded = (|| -> Result<()> {
        db.query_value::<i64>(
            "SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) AS locked",
            db_params![WRITE_LOCK],
        )?;
        // Read again under the lock: another desk may have upgraded meanwhile.
        let state = schema_state(db)?;
        check(&state)?;
        let from = match state {
            SchemaState::Ours(v) => v,
            _ => 0,
        };
        for step in super::pg::MIGRATIONS
            .iter()
            .skip(usize::try_from(from).unwrap_or(0))
        {
            db.execute_batch(step)?;
        }
        // Version 6 brought the seals: the rows already there are sealed as they are.
        if from < 6 {
            db.execute_batch(SESSION)?;
            for (table, key) in seal::SEALED {
                db.execute(
                    &format!(
                        "INSERT INTO changed_rows SELECT '{table}', CAST({key} AS TEXT) FROM public.{table}"
                    ),
                    db_params![],
                )?;
            }
            seal::seal_pending(db)?;
        }
        // Version 10 added the text indexes of visits, calls and complaints.
        if from < 10 {
            for index in &super::text_search::ALL {
                super::text_search::reindex_all(db, index)?;
            }
        }
        Ok(())
    })();
    match upgraded {
        Ok(()) => db.execute_batch("COMMIT"),
        Err(e) => {
            let _ = db.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// Runs `f` in one transaction as `actor`, if it may do `action`: writers one at a time, the
/// rows `f` changed sealed before the commit; on any error nothing is written. Returns `f`'s
/// value and the new head of the record of changes (`None` when nothing sealed changed).
pub fn write<T>(
    pg: &PgConn,
    actor: &Actor,
    desk: &str,
    action: Action,
    f: impl FnOnce(Db<'_>) -> Result<T>,
) -> Result<(T, Option<Head>)> {
    actor.require(action)?;
    let db = Db::Postgres(pg);
    db.execute_batch("BEGIN")?;
    let written = (|| -> Result<(T, Option<Head>)> {
        db.query_value::<i64>(
            "SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) AS locked",
            db_params![WRITE_LOCK],
        )?;
        db.execute("DELETE FROM changed_rows", db_params![])?;
        audit::set_actor(db, actor, desk)?;
        let value = f(db)?;
        let tables: Vec<String> = db.query_map(
            "SELECT DISTINCT tbl FROM changed_rows ORDER BY 1",
            db_params![],
            |r| r.get(0),
        )?;
        super::text_search::reindex_pending(db)?;
        let head = seal::seal_pending(db)?;
        // The other desks hear of it when (and only if) the transaction commits.
        if let Some(h) = &head {
            db.execute(
                "SELECT pg_notify(?1, ?2)",
                db_params![
                    super::watch::CHANNEL,
                    super::watch::payload(h.entry, &tables)
                ],
            )?;
        }
        Ok((value, head))
    })();
    match written {
        Ok(done) => {
            db.execute_batch("COMMIT")?;
            Ok(done)
        }
        Err(e) => {
            let _ = db.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// `frontdesk check` on a server database: the schema version, every constraint validated and
/// every guard trigger enabled (`ALTER TABLE … DISABLE TRIGGER` or a `NOT VALID` constraint is
/// found), every sealed row against its seal, the record of changes, and the audit chain. Reads
/// only.
pub fn check(url: &str) -> Result<super::CheckReport> {
    let pg = connect(url)?;
    check_db(Db::Postgres(&pg))
}

/// [`check`] on an open connection.
pub fn check_db(db: Db<'_>) -> Result<super::CheckReport> {
    let mut problems = Vec::new();
    match schema_state(db)? {
        SchemaState::Ours(v) if v == SCHEMA_VERSION => {}
        SchemaState::Ours(v) => {
            problems.push(format!("schema version {v}, expected {SCHEMA_VERSION}"));
        }
        SchemaState::Empty => problems.push("the database has no FrontDesk schema".to_owned()),
        SchemaState::Foreign => {
            problems.push("the database is not a FrontDesk database".to_owned())
        }
    }
    let unvalidated: Vec<(String, String)> = db.query_map(
        "SELECT c.conrelid::regclass::text, c.conname FROM pg_constraint c
         JOIN pg_namespace n ON n.oid = c.connamespace
         WHERE n.nspname = 'public' AND NOT c.convalidated ORDER BY 1, 2",
        db_params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (table, name) in unvalidated {
        problems.push(format!("table {table}: constraint {name} is not validated"));
    }
    let disabled: Vec<(String, String)> = db.query_map(
        "SELECT t.tgrelid::regclass::text, t.tgname FROM pg_trigger t
         JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND NOT t.tgisinternal AND t.tgenabled = 'D' ORDER BY 1, 2",
        db_params![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (table, name) in disabled {
        problems.push(format!("table {table}: guard {name} is disabled"));
    }
    let seals = seal::verify(db, &[])?;
    problems.extend(seals.problems.iter().cloned());
    if let Some(id) = audit::first_broken(db)? {
        problems.push(format!(
            "audit trail: row {id} was changed or removed outside FrontDesk (hash chain broken)"
        ));
    }
    let audit_entries = if db.table_exists("audit")? {
        db.query_value("SELECT count(*) FROM audit", db_params![])?
    } else {
        0
    };
    Ok(super::CheckReport {
        problems,
        seals,
        audit_entries,
        as_backup: false,
    })
}

/// Sets up a server database for FrontDesk as a database administrator (`admin_url`): the
/// roles and rights of [`super::pg::SERVER_SETUP`], the schema created or upgraded as the owner
/// role, then the rights granted again on what the upgrade made (the order the setup file
/// documents). Safe to run again after every upgrade.
pub fn setup(admin_url: &str) -> Result<()> {
    let pg = connect(admin_url)?;
    let db = Db::Postgres(&pg);
    db.execute_batch(super::pg::SERVER_SETUP)?;
    db.execute_batch("SET ROLE frontdesk_owner")?;
    let migrated = migrate(&pg, admin_url);
    db.execute_batch("RESET ROLE")?;
    migrated?;
    db.execute_batch(super::pg::SERVER_SETUP)?;
    Ok(())
}

/// How far the server's clock is ahead of this PC's (see [`crate::clock::OffsetClock`]);
/// `None` when it cannot be read.
pub fn clock_offset(db: Db<'_>) -> Option<chrono::Duration> {
    crate::clock::offset_to(|| {
        db.query_value(
            "SELECT CAST(extract(epoch FROM clock_timestamp()) AS DOUBLE PRECISION)",
            db_params![],
        )
        .ok()
    })
}
