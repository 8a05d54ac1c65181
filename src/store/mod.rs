//! The only module that talks to SQLite.
//!
//! * One file holds everything. On open: WAL, foreign keys on, a busy timeout, `trusted_schema`
//!   off, our own `application_id`, and schema migrations tracked in `user_version` (one `.sql`
//!   file per version under `store/sql/`).
//! * A file of another application, or one written by a newer FrontDesk, is refused before
//!   anything is written to it.
//! * Writes run in IMMEDIATE transactions ([`Store::write`]); functions that write take a
//!   `&Transaction`, functions that read a `&Connection`.
//! * Times are stored as local time text `YYYY-MM-DD HH:MM:SS` (see [`crate::domain::TIMESTAMP_FORMAT`]),
//!   which sorts correctly and reads the same in any SQLite tool.

pub mod accounts;
pub mod audit;
pub mod callbacks;
pub mod calls;
pub mod claims;
pub mod complaints;
pub mod customers;
pub mod inbox;
pub mod inspections;
pub mod privacy;
pub mod settings;
pub mod staff;
pub mod visits;

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use thiserror::Error;

use crate::domain::account::{Action, Actor};
use crate::domain::{DomainError, TIMESTAMP_FORMAT};

/// `PRAGMA application_id` of a FrontDesk database ("FDK1").
pub const APPLICATION_ID: i32 = 0x4644_4B31;

/// The schema steps, in order; step `i` brings the file to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_init.sql"),
    include_str!("sql/0002_calls_complaints.sql"),
    include_str!("sql/0003_claims.sql"),
    include_str!("sql/0004_supervision.sql"),
    include_str!("sql/0005_customer_archive.sql"),
];

/// The schema version this program writes.
pub const SCHEMA_VERSION: i32 = MIGRATIONS.len() as i32;

/// What can go wrong in the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The file belongs to another application.
    #[error("{path} is not a FrontDesk database (application id {found:#x})")]
    ForeignFile {
        /// The file.
        path: PathBuf,
        /// Its application id.
        found: i32,
    },
    /// The file was written by a newer FrontDesk.
    #[error(
        "{path} has schema version {found}, newer than this program's {supported}; use a newer FrontDesk"
    )]
    NewerSchema {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: i32,
        /// Ours.
        supported: i32,
    },
    /// A record that should exist does not.
    #[error("record not found")]
    NotFound,
    /// A business rule refused the change.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A file the user picked was refused.
    #[error("{name}: {reason}")]
    File {
        /// The file's name.
        name: String,
        /// Why.
        reason: Box<DomainError>,
    },
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file system failed.
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
}

impl StoreError {
    /// The message for the user, in the current UI language.
    pub fn user_message(&self) -> String {
        use crate::i18n::{t, tf};
        match self {
            Self::ForeignFile { path, .. } => tf(
                "store.foreign_file",
                &[("path", &path.display().to_string())],
            ),
            Self::NewerSchema {
                path,
                found,
                supported,
            } => tf(
                "store.newer_schema",
                &[
                    ("path", &path.display().to_string()),
                    ("found", &found.to_string()),
                    ("supported", &supported.to_string()),
                ],
            ),
            Self::NotFound => t("store.not_found").to_owned(),
            Self::Domain(e) => e.user_message(),
            Self::File { name, reason } => format!("{name}: {}", reason.user_message()),
            Self::Sqlite(e) if is_busy(e) => t("store.busy").to_owned(),
            Self::Sqlite(e) => tf("store.sqlite", &[("detail", &e.to_string())]),
            Self::Io(e) => tf("store.io", &[("detail", &e.to_string())]),
        }
    }
}

fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Result of store functions.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open FrontDesk database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    generation: u64,
    actor: Actor,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        if path.exists() && std::fs::metadata(&path)?.len() > 0 {
            inspect_read_only(&path)?;
        }
        let conn = Connection::open(&path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "trusted_schema", false)?;
        // Deleted or overwritten personal data is zeroed on disk, not left in free space.
        conn.pragma_update(None, "secure_delete", true)?;
        let mut store = Self {
            conn,
            path,
            generation: 0,
            actor: Actor::desk(),
        };
        store.migrate()?;
        Ok(store)
    }

    /// Applies the missing schema steps in one transaction.
    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Checked again inside the write lock: another process may have migrated meanwhile.
        let (app_id, version, _) = header(&tx)?;
        check_header(&path, app_id, version, false)?;
        if version < SCHEMA_VERSION {
            for (i, step) in MIGRATIONS
                .iter()
                .enumerate()
                .skip(usize::try_from(version).unwrap_or(0))
            {
                tx.execute_batch(step)?;
                tx.pragma_update(
                    None,
                    "user_version",
                    i32::try_from(i + 1).unwrap_or(i32::MAX),
                )?;
            }
            tx.pragma_update(None, "application_id", APPLICATION_ID)?;
            // Version 5 added the search index, built here from the customers already archived.
            if version < 5 {
                customers::reindex_all(&tx)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The database file in use.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A connection for reads.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Counts committed writes through this store; screens reload their cached rows when it moves.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// SQLite's `data_version`: changes when another connection (another desk, a command-line
    /// import) commits to the file. Cheap enough to ask every frame.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Who is acting (the desk until someone logs in; the command line acts as the system).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Sets who is acting; every later write and supervisor read is checked against it.
    pub fn set_actor(&mut self, actor: Actor) {
        self.actor = actor;
    }

    /// Desk work (reception, calls, complaints, claims) in one IMMEDIATE transaction; on any error
    /// nothing is written.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        self.write_as(Action::DeskWork, f)
    }

    /// Runs `f` in one IMMEDIATE transaction if the actor may do `action`, and commits it.
    pub fn write_as<T>(
        &mut self,
        action: Action,
        f: impl FnOnce(&Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        self.actor.require(action)?;
        audit::set_actor(&self.conn, &self.actor)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx)?;
        tx.commit()?;
        self.generation += 1;
        Ok(value)
    }

    /// Reads data that needs `action` (supervisor data), refusing actors without it.
    pub fn read_as<T>(
        &self,
        action: Action,
        f: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        self.actor.require(action)?;
        f(&self.conn)
    }

    /// Integrity and schema check: a list of problems, empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        checks(&self.conn)
    }
}

/// Checks the file at `path` without writing to it: a list of problems, empty when all is well.
pub fn check_file(path: &Path) -> Result<Vec<String>> {
    if !path.exists() {
        return Ok(vec![format!("{} does not exist", path.display())]);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    checks(&conn)
}

fn checks(conn: &Connection) -> Result<Vec<String>> {
    {
        let mut problems = Vec::new();
        let (app_id, version, _) = header(conn)?;
        if app_id != APPLICATION_ID {
            problems.push(format!(
                "application_id is {app_id:#x}, expected {APPLICATION_ID:#x}"
            ));
        }
        if version != SCHEMA_VERSION {
            problems.push(format!(
                "schema version {version}, expected {SCHEMA_VERSION}"
            ));
        }
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(format!("integrity: {row}"));
            }
        }
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let table: String = row.get(0)?;
            let rowid: Option<i64> = row.get(1)?;
            let parent: String = row.get(2)?;
            problems.push(format!(
                "foreign key: {table} row {} points to a missing {parent}",
                rowid.unwrap_or_default()
            ));
        }
        for table in [
            "settings",
            "staff",
            "customers",
            "visits",
            "visit_log",
            "calls",
            "complaints",
            "complaint_events",
            "callbacks",
            "inbox",
            "complaint_weeks",
            "claims",
            "claim_parties",
            "claim_events",
            "claim_files",
            "accounts",
            "audit",
            "inspections",
            "rectifications",
            "rewards_penalties",
            "credit_history",
        ] {
            let exists: bool = conn.query_row(
                "SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
                [table],
                |r| r.get(0),
            )?;
            if !exists {
                problems.push(format!("table {table} is missing"));
            }
        }
        if let Some(id) = audit::first_broken(conn)? {
            problems.push(format!(
                "audit trail: row {id} was changed or removed outside FrontDesk (hash chain broken)"
            ));
        }
        Ok(problems)
    }
}

/// `(application_id, user_version, number of schema objects)`.
fn header(conn: &Connection) -> Result<(i32, i32, i64)> {
    let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
    let version: i32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))?;
    Ok((app_id, version, objects))
}

fn check_header(path: &Path, app_id: i32, version: i32, has_objects: bool) -> Result<()> {
    let foreign = || StoreError::ForeignFile {
        path: path.to_path_buf(),
        found: app_id,
    };
    if app_id != APPLICATION_ID && app_id != 0 {
        return Err(foreign());
    }
    // A file with no application id is only ours to take if it is empty.
    if app_id == 0 && (version != 0 || has_objects) {
        return Err(foreign());
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// Looks at an existing file without writing to it.
fn inspect_read_only(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let (app_id, version, objects) = match header(&conn) {
        Ok(h) => h,
        // Not a database at all (e.g. a text file) counts as foreign.
        Err(StoreError::Sqlite(e))
            if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) =>
        {
            return Err(StoreError::ForeignFile {
                path: path.to_path_buf(),
                found: 0,
            });
        }
        Err(e) => return Err(e),
    };
    check_header(path, app_id, version, objects > 0)
}

/// Formats a time the way it is stored.
pub fn ts(t: NaiveDateTime) -> String {
    t.format(TIMESTAMP_FORMAT).to_string()
}

/// Formats an optional time the way it is stored.
pub fn ts_opt(t: Option<NaiveDateTime>) -> Option<String> {
    t.map(ts)
}

/// Parses a stored time.
pub fn parse_ts(s: &str) -> rusqlite::Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(s, TIMESTAMP_FORMAT).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Parses an optional stored time.
pub fn parse_ts_opt(s: Option<String>) -> rusqlite::Result<Option<NaiveDateTime>> {
    s.as_deref().map(parse_ts).transpose()
}
