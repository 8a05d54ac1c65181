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
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod callbacks;
pub mod calls;
pub mod claims;
pub mod complaints;
pub mod connect;
pub mod customers;
pub mod daily_reports;
pub mod db;
pub mod inbox;
pub mod incidents;
pub mod inspections;
pub mod migrate;
pub mod paging;
pub mod pg;
pub mod privacy;
pub mod quality_measures;
pub mod seal;
pub mod server;
pub mod settings;
pub mod staff;
pub mod text_search;
pub mod transfers;
pub mod versions;
pub mod visits;
pub mod watch;
pub mod waybill_changes;

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::db_params;
use chrono::NaiveDateTime;
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use thiserror::Error;

use crate::domain::account::{Action, Actor};
use crate::domain::{DomainError, TIMESTAMP_FORMAT};

/// How long a connection waits for another desk or job to finish writing before it gives up
/// with "busy" (SQLite's busy handler retries with a growing pause, from 1 ms up to 100 ms).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// `PRAGMA application_id` of a FrontDesk database ("FDK1").
pub const APPLICATION_ID: i32 = 0x4644_4B31;

/// The schema steps, in order; step `i` brings the file to version `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_init.sql"),
    include_str!("sql/0002_calls_complaints.sql"),
    include_str!("sql/0003_claims.sql"),
    include_str!("sql/0004_supervision.sql"),
    include_str!("sql/0005_customer_archive.sql"),
    include_str!("sql/0006_row_seals.sql"),
    include_str!("sql/0007_seal_notes.sql"),
    include_str!("sql/0008_search_phrase.sql"),
    include_str!("sql/0009_desks.sql"),
    include_str!("sql/0010_text_search.sql"),
    include_str!("sql/0011_claim_calls.sql"),
    include_str!("sql/0012_claim_deadlines.sql"),
    include_str!("sql/0013_service_rules.sql"),
    include_str!("sql/0014_quality_measures.sql"),
    include_str!("sql/0015_waybill_changes.sql"),
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
    /// A read-only job was pointed at a file that does not exist (nothing was created).
    #[error("{path} does not exist")]
    Missing {
        /// The file.
        path: PathBuf,
    },
    /// A read-only job was pointed at an empty file, or one FrontDesk never set up.
    #[error("{path} is empty: no FrontDesk database was created in it yet")]
    Uninitialised {
        /// The file.
        path: PathBuf,
    },
    /// A read-only job was pointed at a file of an older schema; reading it would need the
    /// upgrade that only a writer may do.
    #[error("{path} has schema version {found}, older than this program's {supported}")]
    OutOfDate {
        /// The file.
        path: PathBuf,
        /// Its version.
        found: i32,
        /// Ours.
        supported: i32,
    },
    /// The backup folder's disk has too little free space for a copy.
    #[error("not enough free space in {folder}: {free} bytes free, {needed} needed")]
    LowSpace {
        /// The backup folder.
        folder: PathBuf,
        /// Bytes free.
        free: u64,
        /// Bytes needed (the copy and a reserve).
        needed: u64,
    },
    /// A backup (to be made or to be restored) failed its check.
    #[error("{path} is not a usable backup: {reason}")]
    BadBackup {
        /// The file.
        path: PathBuf,
        /// What the check found.
        reason: String,
    },
    /// What only a SQLite file has (its backups, restores, a damaged-file repair) was asked of
    /// a PostgreSQL server.
    #[error("{url} is a PostgreSQL server; this works on a SQLite database file only")]
    ServerNotSupported {
        /// The URL, without its password.
        url: String,
    },
    /// A server URL FrontDesk cannot use.
    #[error("{url}: {detail}")]
    ServerUrl {
        /// The URL, without its password.
        url: String,
        /// What is wrong with it.
        detail: String,
    },
    /// The server cannot be reached (or refused the connection for another reason than the
    /// password).
    #[error("cannot connect to {url}: {detail}")]
    ServerConnect {
        /// The URL, without its password.
        url: String,
        /// Why.
        detail: String,
    },
    /// `frontdesk migrate` cannot copy this file into this server database.
    #[error("migration refused: {reason}")]
    MigrateRefused {
        /// Why.
        reason: String,
    },
    /// TLS to the server cannot be set up (a root certificate file, no trusted roots).
    #[error("{url}: TLS: {detail}")]
    ServerTls {
        /// The URL, without its password.
        url: String,
        /// Why.
        detail: String,
    },
    /// The server wants a password that was not given, or refused the one given.
    #[error("{url}: the server refused the login (password {})", if *wrong { "wrong" } else { "missing" })]
    ServerPassword {
        /// The URL, without its password.
        url: String,
        /// A password was given and refused.
        wrong: bool,
    },
    /// A record that should exist does not.
    #[error("record not found")]
    NotFound,
    /// Someone else changed the record since the form was started ([`versions`]).
    #[error("the record was changed by {by} at {at}")]
    Changed {
        /// Who and at which desk ([`versions::Change::by`]).
        by: String,
        /// When.
        at: NaiveDateTime,
        /// The record's stamp now (a save based on it goes through).
        stamp: i64,
    },
    /// The user stopped the job (a backup, the purge) before it finished; what it had done is
    /// whole or was taken back.
    #[error("stopped by the user")]
    Stopped,
    /// Another program kept old pages of the file in use, so they could not all be overwritten.
    #[error("another program is reading the database; old contents may remain in its WAL file")]
    ScrubIncomplete,
    /// A purge anonymised the database, but some backups of it could not be rewritten.
    #[error("personal data remains in {} backup(s): {detail}", paths.len())]
    BackupsNotScrubbed {
        /// The backups.
        paths: Vec<PathBuf>,
        /// Why, for each.
        detail: String,
    },
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
    /// The PostgreSQL server (or the connection to it) failed.
    #[error("database server error: {0}")]
    Postgres(#[from] postgres::Error),
    /// A column held a value of another kind than the program expects.
    #[error("column {column}: {message}")]
    Conversion {
        /// The column's name.
        column: String,
        /// What was found.
        message: String,
    },
    /// The file system failed.
    #[error("file error: {0}")]
    Io(#[from] std::io::Error),
    /// A printed document could not be sent to the printer: the sentence for the user (see
    /// [`crate::platform::print_to_default_printer`]).
    #[error("printing failed: {0}")]
    Printing(String),
    /// The file's check found damaged pages after it was opened: nothing is written to it any
    /// more ([`Store::refuse_writes`]).
    #[error("the database file is damaged, nothing is written to it: {detail}")]
    DamagedFile {
        /// What the check found.
        detail: String,
    },
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
            Self::Missing { path } => tf("store.missing", &[("path", &path.display().to_string())]),
            Self::Uninitialised { path } => tf(
                "store.uninitialised",
                &[("path", &path.display().to_string())],
            ),
            Self::OutOfDate {
                path,
                found,
                supported,
            } => tf(
                "store.out_of_date",
                &[
                    ("path", &path.display().to_string()),
                    ("found", &found.to_string()),
                    ("supported", &supported.to_string()),
                ],
            ),
            Self::LowSpace {
                folder,
                free,
                needed,
            } => tf(
                "store.low_space",
                &[
                    ("folder", &folder.display().to_string()),
                    ("free", &megabytes(*free)),
                    ("needed", &megabytes(*needed)),
                ],
            ),
            Self::BadBackup { path, reason } => tf(
                "store.bad_backup",
                &[("path", &path.display().to_string()), ("reason", reason)],
            ),
            Self::ServerNotSupported { url } => tf("store.server_not_supported", &[("url", url)]),
            Self::ServerUrl { url, detail } => {
                tf("store.server_url", &[("url", url), ("detail", detail)])
            }
            Self::ServerConnect { url, detail } => {
                tf("store.server_connect", &[("url", url), ("detail", detail)])
            }
            Self::MigrateRefused { reason } => tf("store.migrate_refused", &[("reason", reason)]),
            Self::ServerTls { url, detail } => {
                tf("store.server_tls", &[("url", url), ("detail", detail)])
            }
            Self::ServerPassword { url, wrong: true } => {
                tf("store.server_password_wrong", &[("url", url)])
            }
            Self::ServerPassword { url, wrong: false } => {
                tf("store.server_password_missing", &[("url", url)])
            }
            Self::NotFound => t("store.not_found").to_owned(),
            Self::Changed { by, at, .. } => tf(
                "store.changed",
                &[
                    (
                        "by",
                        if by.is_empty() {
                            t("store.changed_someone")
                        } else {
                            by
                        },
                    ),
                    ("at", &at.format("%H:%M").to_string()),
                ],
            ),
            Self::ScrubIncomplete => t("store.scrub_incomplete").to_owned(),
            Self::Stopped => t("store.stopped").to_owned(),
            Self::BackupsNotScrubbed { paths, detail } => tf(
                "store.backups_not_scrubbed",
                &[
                    (
                        "paths",
                        &paths
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    ("detail", detail),
                ],
            ),
            Self::Domain(e) => e.user_message(),
            Self::File { name, reason } => format!("{name}: {}", reason.user_message()),
            Self::Sqlite(e) if is_busy(e) => t("store.busy").to_owned(),
            Self::Sqlite(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull) => {
                t("store.full").to_owned()
            }
            Self::Sqlite(e) => tf("store.sqlite", &[("detail", &e.to_string())]),
            Self::Postgres(_) if self.is_connection_lost() => t("store.server_offline").to_owned(),
            Self::Postgres(e) => tf("store.postgres", &[("detail", &connect::with_causes(e))]),
            Self::Conversion { column, message } => tf(
                "store.sqlite",
                &[("detail", &format!("{column}: {message}"))],
            ),
            Self::Io(e) => tf("store.io", &[("detail", &e.to_string())]),
            Self::Printing(said) => said.clone(),
            Self::DamagedFile { .. } => t("store.damaged_file").to_owned(),
        }
    }
}

/// Whether a database location is a PostgreSQL URL (`postgres://…` or `postgresql://…`), never
/// a file path.
pub fn is_server_url(location: &Path) -> bool {
    let s = location.to_string_lossy();
    let lower = s.trim_start().to_ascii_lowercase();
    lower.starts_with("postgres://") || lower.starts_with("postgresql://")
}

/// A database location as it may be shown: a file's path, or a server URL without its password.
pub fn shown_location(location: &Path) -> String {
    if is_server_url(location) {
        redacted_url(&location.to_string_lossy())
    } else {
        location.display().to_string()
    }
}

/// A PostgreSQL URL with its password (if any) replaced by `***`, for messages and logs.
pub fn redacted_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Refuses a server URL where a file is expected, before anything is created.
fn refuse_server_url(location: &Path) -> Result<()> {
    if is_server_url(location) {
        return Err(StoreError::ServerNotSupported {
            url: redacted_url(&location.to_string_lossy()),
        });
    }
    Ok(())
}

/// Bytes as megabytes with one decimal, for messages.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

impl StoreError {
    /// Whether SQLite found the file damaged (not a database, or a corrupt page).
    pub fn is_damage(&self) -> bool {
        matches!(
            self,
            Self::Sqlite(e) if matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
            )
        )
    }

    /// Whether the connection to the server broke (closed, or its socket failed) rather than the
    /// server refusing a statement.
    pub fn is_connection_lost(&self) -> bool {
        let Self::Postgres(e) = self else {
            return false;
        };
        e.is_closed()
            || (e.as_db_error().is_none()
                && std::error::Error::source(e).is_some_and(|s| s.is::<std::io::Error>()))
    }

    /// Whether the file may be a damaged database: SQLite found it damaged, or it is not an
    /// SQLite file at all (its header may be what was damaged). The window then offers a backup
    /// instead of only showing the error.
    pub fn may_be_damaged(&self) -> bool {
        self.is_damage() || matches!(self, Self::ForeignFile { found: 0, .. })
    }

    /// The message for the user when a read failed (a report, a backup): it says that reading
    /// failed, not saving, and that nothing was changed.
    pub fn user_message_reading(&self) -> String {
        use crate::i18n::tf;
        match self {
            Self::Sqlite(e) => tf("store.read_failed", &[("detail", &e.to_string())]),
            Self::Io(e) => tf("store.read_failed", &[("detail", &e.to_string())]),
            Self::Postgres(_) if self.is_connection_lost() => {
                crate::i18n::t("store.server_offline_reading").to_owned()
            }
            other => other.user_message(),
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

/// The connection behind a [`Store`].
enum Conn {
    /// The embedded SQLite file.
    Sqlite(Connection),
    /// A shared PostgreSQL server (boxed: its client is much larger than a SQLite handle).
    Server(Box<db::PgConn>),
}

/// Stops what a [`Store`] runs, from another thread ([`Store::interrupter`]).
pub struct Interrupter(Interrupt);

enum Interrupt {
    Sqlite(rusqlite::InterruptHandle),
    Server {
        /// Where to send the cancel request (with the TLS mode of the connection).
        url: String,
        token: postgres::CancelToken,
    },
}

impl std::fmt::Debug for Interrupter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Interrupter").finish_non_exhaustive()
    }
}

impl Interrupter {
    /// Stops the statement the store runs now, if any: it fails with an error (SQLite's
    /// "interrupted", the server's "canceling statement"); with none running, nothing happens.
    /// On a server it sends a cancel request over a short connection of its own, so it blocks:
    /// call it from a worker thread.
    pub fn interrupt(&self) {
        match &self.0 {
            Interrupt::Sqlite(handle) => handle.interrupt(),
            Interrupt::Server { url, token } => {
                if let Err(e) = connect::cancel(url, token) {
                    tracing::warn!("cannot cancel a statement on the server: {e}");
                }
            }
        }
    }
}

/// An open FrontDesk database: the SQLite file of one PC, or a PostgreSQL server shared by
/// several desks. Screens, reports and jobs use the same API on both.
pub struct Store {
    conn: Conn,
    path: PathBuf,
    /// Where it was opened from (for a server, the URL with its password).
    location: PathBuf,
    /// On a server: the thread hearing other desks' changes ([`Store::watch_changes`]).
    watch: Option<watch::Watch>,
    /// On a server: when the last attempt to connect again was made.
    reconnect_tried: Option<std::time::Instant>,
    /// On a server: the server process of this store's connection (the watch ignores its
    /// notifications); 0 for a file.
    own_pid: std::sync::Arc<std::sync::atomic::AtomicI32>,
    generation: u64,
    actor: Actor,
    database_id: Option<String>,
    anchor_dir: Option<PathBuf>,
    /// The next write's check against a newer change ([`Store::expect_unchanged`]).
    expect: Option<versions::Seen>,
    /// This desk's name, kept with each step of a visit, complaint or claim ([`Store::set_desk`]).
    desk: String,
    /// Why every write is refused: the file was found damaged ([`Store::refuse_writes`]).
    refused: Option<String>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating it and its folder if needed) the database at `path` and brings its schema
    /// up to date. For the window and the jobs that write (`init`, `demo`, `import`, `purge`).
    ///
    /// A file of the current version is opened without taking the write lock, so any number of
    /// desks and jobs can open it at once; the lock is taken only to switch a file to WAL or to
    /// migrate it, and every write waits up to [`BUSY_TIMEOUT`] for another writer.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Self::open_with_backups(path, None)
    }

    /// [`Store::open`], and when the file needs a schema upgrade, first a backup of it (kind
    /// pre-migration) in `backups.0`, named for the time `backups.1`. The window and the jobs
    /// pass the configured backup folder; the upgrade does not start if that backup fails.
    pub fn open_with_backups(
        path: impl AsRef<Path>,
        backups: Option<(&Path, NaiveDateTime)>,
    ) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if is_server_url(&path) {
            return Self::open_server(&path, false);
        }
        // Refused files are refused here, before SQLite creates anything beside them.
        if inspect_read_only(&path)? == FileState::Missing
            && let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir)?;
        }
        let conn = Connection::open(&path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Switching to WAL needs the lock: only done when the file is not in WAL mode yet.
        let journal: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
        if !journal.eq_ignore_ascii_case("wal") {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // 32 MB of page cache (SQLite's default is 2 MB): an import or the text indexes touch
        // more pages than that in one transaction, and would read them back from the OS again
        // and again. The window's own reads use a few hundred kilobytes of it.
        conn.pragma_update(None, "cache_size", -32_000)?;
        // The notes of changed rows (`temp.changed_rows`) and sorts stay in memory: no temp file
        // with personal data, and a bulk write does not go through a 2 MB temp cache.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "trusted_schema", false)?;
        // Deleted or overwritten personal data is zeroed on disk, not left in free space.
        conn.pragma_update(None, "secure_delete", true)?;
        migrate(&path, &conn, backups)?;
        seal::install_change_triggers(&conn)?;
        let database_id = seal::database_id(&conn)?;
        // Outside `write_as` the connection only reads: a write through `db()` fails, so no
        // write can skip the actor's permission check or the seals.
        conn.pragma_update(None, "query_only", true)?;
        Ok(Self {
            conn: Conn::Sqlite(conn),
            location: path.clone(),
            watch: None,
            reconnect_tried: None,
            own_pid: std::sync::Arc::default(),
            path,
            generation: 0,
            actor: Actor::desk(),
            database_id,
            anchor_dir: None,
            expect: None,
            desk: crate::platform::pc_name(),
            refused: None,
        })
    }

    /// Opens a server database (`location` is a `postgres://` URL): brought up to date
    /// ([`server::open`]) unless `read_only`, when an out-of-date one is refused like an
    /// out-of-date file and the session cannot write at all.
    fn open_server(location: &Path, read_only: bool) -> Result<Self> {
        let url = location.to_string_lossy();
        let pg = if read_only {
            server::open_read_only(&url)?
        } else {
            server::open(&url)?
        };
        let database_id = seal::database_id(db::Db::Postgres(&pg))?;
        Ok(Self {
            conn: Conn::Server(Box::new(pg)),
            path: PathBuf::from(redacted_url(&url)),
            location: location.to_path_buf(),
            watch: None,
            reconnect_tried: None,
            own_pid: std::sync::Arc::default(),
            generation: 0,
            actor: Actor::desk(),
            database_id,
            anchor_dir: None,
            expect: None,
            desk: crate::platform::pc_name(),
            refused: None,
        })
    }

    /// Opens an existing database for reading only (reports, backups): never creates, migrates
    /// or writes it. A missing or empty file, another application's file, a newer one and an
    /// out-of-date one (to be upgraded by opening it in the app or by `frontdesk init`) are
    /// refused, and a refused file is left exactly as it was, with nothing created beside it.
    ///
    /// The connection is a [`read_connection`]: it never writes, and leaves no `-wal`/`-shm`
    /// behind once the last connection to the file closes.
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_path_buf();
        if is_server_url(&path) {
            return Self::open_server(&path, true);
        }
        let refuse = |state: FileState, path: &Path| match state {
            FileState::Missing => Err(StoreError::Missing {
                path: path.to_path_buf(),
            }),
            FileState::Empty => Err(StoreError::Uninitialised {
                path: path.to_path_buf(),
            }),
            FileState::Ours { version } if version < SCHEMA_VERSION => Err(StoreError::OutOfDate {
                path: path.to_path_buf(),
                found: version,
                supported: SCHEMA_VERSION,
            }),
            FileState::Ours { .. } => Ok(()),
        };
        refuse(inspect_read_only(&path)?, &path)?;
        let conn = read_connection(&path)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.pragma_update(None, "trusted_schema", false)?;
        // Checked again through SQLite, which also sees what is still in the WAL.
        let (app_id, version, objects) = header(&conn)?;
        check_header(&path, app_id, version, objects > 0)?;
        let state = if app_id == 0 {
            FileState::Empty
        } else {
            FileState::Ours { version }
        };
        refuse(state, &path)?;
        let database_id = seal::database_id(&conn)?;
        Ok(Self {
            conn: Conn::Sqlite(conn),
            location: path.clone(),
            watch: None,
            reconnect_tried: None,
            own_pid: std::sync::Arc::default(),
            path,
            generation: 0,
            actor: Actor::desk(),
            database_id,
            anchor_dir: None,
            expect: None,
            desk: crate::platform::pc_name(),
            refused: None,
        })
    }

    /// The database file in use (for a server, its URL without the password).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the store was opened from, to open it again (a worker's own store, after a
    /// restore): the file, or the server's URL *with* its password — never to be shown.
    pub fn location(&self) -> &Path {
        &self.location
    }

    /// On a server: starts hearing other desks' changes as they commit ([`watch`]); `wake` is
    /// called from the watch's thread after each (the window asks for a repaint). Nothing on a
    /// file, whose window asks SQLite's cheap `data_version` each frame.
    pub fn watch_changes(&mut self, wake: impl Fn() + Send + 'static) {
        if self.is_server() && self.watch.is_none() {
            self.note_own_pid();
            self.watch = Some(watch::Watch::start(
                self.location.to_string_lossy().into_owned(),
                std::sync::Arc::clone(&self.own_pid),
                Box::new(wake),
            ));
        }
    }

    /// The watch of other desks' changes, if one runs.
    pub fn watch(&self) -> Option<&watch::Watch> {
        self.watch.as_ref()
    }

    /// Whether the server cannot be reached now (its connection broke, or the watch's did).
    /// Always false for a file.
    pub fn offline(&self) -> bool {
        match &self.conn {
            Conn::Sqlite(_) => false,
            Conn::Server(pg) => pg.is_closed() || self.watch.as_ref().is_some_and(|w| !w.online()),
        }
    }

    /// On a server whose connection broke (it restarted, the network dropped): connects again,
    /// at most every [`watch::RETRY`]. Returns whether it did; screens then reload. Writes made
    /// meanwhile failed with a clear message and nothing was half-written (each is one
    /// transaction); the forms kept their contents.
    pub fn reconnect_if_needed(&mut self) -> Result<bool> {
        let Conn::Server(pg) = &self.conn else {
            return Ok(false);
        };
        let watch_lost = self.watch.as_ref().is_some_and(|w| !w.online());
        if !pg.is_closed() && !watch_lost {
            return Ok(false);
        }
        if self
            .reconnect_tried
            .is_some_and(|t| t.elapsed() < watch::RETRY)
        {
            return Ok(false);
        }
        self.reconnect_tried = Some(std::time::Instant::now());
        if !pg.is_closed() && db::Db::Postgres(pg).execute_batch("SELECT 1").is_ok() {
            // Only the watch noticed, and this connection still works.
            return Ok(false);
        }
        let location = self.location.to_string_lossy().into_owned();
        let fresh = server::open(&location)?;
        self.conn = Conn::Server(Box::new(fresh));
        self.name_session();
        self.note_own_pid();
        self.generation += 1;
        Ok(true)
    }

    /// On a server: how far the server's clock is ahead of this PC's (see
    /// [`crate::clock::OffsetClock`]); `None` for a file or when it cannot be read.
    pub fn clock_offset(&self) -> Option<chrono::Duration> {
        match &self.conn {
            Conn::Sqlite(_) => None,
            Conn::Server(pg) => server::clock_offset(db::Db::Postgres(pg)),
        }
    }

    /// The clock for work on this database: on a server, `local` moved onto the server's time
    /// (desks whose clocks differ then stamp records and run timers alike); else `local`. Also
    /// returns the offset measured (server minus this PC), to tell the user.
    pub fn clock_for(
        &self,
        local: std::sync::Arc<dyn crate::clock::Clock>,
    ) -> (
        std::sync::Arc<dyn crate::clock::Clock>,
        Option<chrono::Duration>,
    ) {
        match self.clock_offset() {
            Some(offset) => {
                if offset.num_seconds().abs() >= 2 {
                    tracing::warn!(
                        "this PC's clock is {} s off the server's; records and timers use the server's time",
                        -offset.num_seconds()
                    );
                }
                (
                    std::sync::Arc::new(crate::clock::OffsetClock::new(local, offset)),
                    Some(offset),
                )
            }
            None => (local, None),
        }
    }

    /// What stops the statement this store runs, from another thread (a read the window no
    /// longer needs, a job the user stopped).
    pub fn interrupter(&self) -> Interrupter {
        Interrupter(match &self.conn {
            Conn::Sqlite(c) => Interrupt::Sqlite(c.get_interrupt_handle()),
            Conn::Server(pg) => Interrupt::Server {
                url: self.location.to_string_lossy().into_owned(),
                token: pg.cancel_token(),
            },
        })
    }

    /// Whether the database is on a PostgreSQL server.
    pub fn is_server(&self) -> bool {
        matches!(self.conn, Conn::Server(_))
    }

    /// Where reads run, on either backend. Outside [`Store::write_as`] it cannot write.
    pub fn db(&self) -> db::Db<'_> {
        match &self.conn {
            Conn::Sqlite(c) => db::Db::Sqlite(c),
            Conn::Server(pg) => db::Db::Postgres(pg),
        }
    }

    /// The SQLite connection, for what only a file has (backups, restores, `VACUUM` of the
    /// file); on a server, [`StoreError::ServerNotSupported`].
    pub fn sqlite(&self) -> Result<&Connection> {
        match &self.conn {
            Conn::Sqlite(c) => Ok(c),
            Conn::Server(_) => Err(StoreError::ServerNotSupported {
                url: self.path.to_string_lossy().into_owned(),
            }),
        }
    }

    /// [`Store::sqlite`], for changing the connection (a restore copies pages into it).
    fn sqlite_mut(&mut self) -> Result<&mut Connection> {
        match &mut self.conn {
            Conn::Sqlite(c) => Ok(c),
            Conn::Server(_) => Err(StoreError::ServerNotSupported {
                url: self.path.to_string_lossy().into_owned(),
            }),
        }
    }

    /// Counts committed writes through this store; screens reload their cached rows when it moves.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// SQLite's `data_version`: changes when another connection (another desk, a command-line
    /// import) commits to the file. Cheap enough to ask every frame.
    ///
    /// On a server, the newest entry of the record of changes: every committed FrontDesk write
    /// that changed a record adds one, whichever desk made it. While the watch listens it is the
    /// newest entry the watch heard of (no query); otherwise the server is asked.
    pub fn data_version(&self) -> Result<i64> {
        match &self.conn {
            Conn::Sqlite(c) => Ok(c.pragma_query_value(None, "data_version", |r| r.get(0))?),
            Conn::Server(_) if self.watch.as_ref().is_some_and(watch::Watch::listening) => {
                Ok(self.watch.as_ref().map_or(0, watch::Watch::entry))
            }
            Conn::Server(pg) => db::Db::Postgres(pg)
                .query_value("SELECT coalesce(max(id), 0) FROM seal_chain", db_params![]),
        }
    }

    /// Who is acting (the desk until someone logs in; the command line acts as the system).
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// Sets who is acting; every later write and supervisor read is checked against it.
    pub fn set_actor(&mut self, actor: Actor) {
        self.actor = actor;
        self.name_session();
    }

    /// On a server, remembers which server process this store's connection is (see `own_pid`).
    fn note_own_pid(&self) {
        if let Conn::Server(pg) = &self.conn {
            let pid: Result<i64> =
                db::Db::Postgres(pg).query_value("SELECT pg_backend_pid()", db_params![]);
            if let Ok(pid) = pid {
                self.own_pid.store(
                    i32::try_from(pid).unwrap_or(0),
                    std::sync::atomic::Ordering::Release,
                );
            }
        }
    }

    /// Names this desk (the PC's name unless set otherwise, e.g. "1号台"): kept with every step
    /// it records and shown in the list of connected desks.
    pub fn set_desk(&mut self, name: &str) {
        let name = name.trim();
        if !name.is_empty() {
            name.clone_into(&mut self.desk);
            self.name_session();
        }
    }

    /// This desk's name ([`Store::set_desk`]).
    pub fn desk(&self) -> &str {
        &self.desk
    }

    /// On a server, names this desk's session after the desk and who is signed in, for the
    /// supervisors' list of connected desks ([`Store::desks`]).
    fn name_session(&self) {
        if let Conn::Server(pg) = &self.conn {
            let name = connect::desk_name(&self.desk, self.actor.account_id);
            let named = db::Db::Postgres(pg).execute(
                "SELECT set_config('application_name', ?1, false)",
                db_params![name],
            );
            if let Err(e) = named {
                tracing::warn!("cannot name this desk's session on the server: {e}");
            }
        }
    }

    /// On a server, for supervisors: the desks connected now — PC, who is signed in there, and
    /// since when — oldest first. Empty for a file.
    pub fn desks(&self) -> Result<Vec<DeskSession>> {
        self.actor.require(Action::ReadSupervisorData)?;
        let Conn::Server(pg) = &self.conn else {
            return Ok(Vec::new());
        };
        let rows: Vec<(String, f64)> = db::Db::Postgres(pg).query_map(
            "SELECT application_name::text,
                    CAST(extract(epoch FROM backend_start) AS DOUBLE PRECISION)
             FROM pg_stat_activity
             WHERE datname = current_database() AND starts_with(application_name, ?1)
             ORDER BY backend_start",
            db_params![connect::DESK_PREFIX],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        let names: std::collections::HashMap<i64, String> = db::Db::Postgres(pg)
            .query_map("SELECT id, display_name FROM accounts", db_params![], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?
            .into_iter()
            .collect();
        Ok(rows
            .into_iter()
            .filter_map(|(name, since)| {
                let (account, pc) = connect::parse_desk_name(&name)?;
                Some(DeskSession {
                    pc,
                    account: account
                        .and_then(|id| names.get(&id).cloned())
                        .unwrap_or_default(),
                    since: crate::clock::local_time_of_epoch(since),
                })
            })
            .collect())
    }

    /// Desk work (reception, calls, complaints, claims) in one transaction; on any error nothing
    /// is written.
    pub fn write<T>(&mut self, f: impl FnOnce(db::Db<'_>) -> Result<T>) -> Result<T> {
        self.write_as(Action::DeskWork, f)
    }

    /// Runs `f` in one transaction if the actor may do `action`, seals the rows it changed and
    /// commits. On SQLite an IMMEDIATE transaction; on a server one writer at a time
    /// ([`server::write`]).
    pub fn write_as<T>(
        &mut self,
        action: Action,
        f: impl FnOnce(db::Db<'_>) -> Result<T>,
    ) -> Result<T> {
        self.actor.require(action)?;
        let seen = self.expect.take();
        if let Some(detail) = &self.refused {
            return Err(StoreError::DamagedFile {
                detail: detail.clone(),
            });
        }
        let f = |db: db::Db<'_>| {
            if let Some(seen) = seen {
                versions::ensure_unchanged(db, seen)?;
            }
            f(db)
        };
        let (value, head) = match &mut self.conn {
            Conn::Sqlite(conn) => {
                conn.pragma_update(None, "query_only", false)?;
                let written = write_sqlite(conn, &self.actor, &self.desk, f);
                conn.pragma_update(None, "query_only", true)?;
                written?
            }
            Conn::Server(pg) => server::write(pg, &self.actor, &self.desk, action, f)?,
        };
        self.generation += 1;
        if let Some(head) = head {
            self.write_anchor(&head);
        }
        Ok(value)
    }

    /// From now on every write and maintenance is refused with [`StoreError::DamagedFile`]:
    /// the file's check found it damaged, and writing more to it could spread the damage or
    /// rotate its good backups away. Reading goes on, so the user can still see and copy out.
    pub fn refuse_writes(&mut self, detail: impl Into<String>) {
        self.refused = Some(detail.into());
    }

    /// Why writes are refused, if they are ([`Store::refuse_writes`]).
    pub fn writes_refused(&self) -> Option<&str> {
        self.refused.as_deref()
    }

    /// Makes the next write refuse with [`StoreError::Changed`] when the record changed since
    /// `seen` (checked inside that write's transaction). `None` clears it.
    pub fn expect_unchanged(&mut self, seen: Option<versions::Seen>) {
        self.expect = seen;
    }

    /// Runs maintenance that rewrites storage without changing any record (`VACUUM`), if the
    /// actor may do `action`. On a server `f` runs outside any transaction.
    pub fn maintain<T>(
        &self,
        action: Action,
        f: impl FnOnce(db::Db<'_>) -> Result<T>,
    ) -> Result<T> {
        self.actor.require(action)?;
        if let Some(detail) = &self.refused {
            return Err(StoreError::DamagedFile {
                detail: detail.clone(),
            });
        }
        match &self.conn {
            Conn::Sqlite(conn) => {
                conn.pragma_update(None, "query_only", false)?;
                let result = f(db::Db::Sqlite(conn));
                conn.pragma_update(None, "query_only", true)?;
                result
            }
            Conn::Server(pg) => f(db::Db::Postgres(pg)),
        }
    }

    /// Rewrites the file without its free space (`VACUUM`), if the actor may do `action`. It runs
    /// on a connection of its own whose temporary storage is a file: the store's connections keep
    /// temporary tables in memory, where `VACUUM` would build its copy of the whole database (as
    /// much memory as the file is large). SQLite deletes that temporary file when it closes it.
    /// No record changes, so nothing is sealed. Files only.
    pub fn vacuum(&self, action: Action) -> Result<()> {
        self.maintain(action, |_| {
            let conn = rusqlite::Connection::open(self.sqlite_path()?)?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.pragma_update(None, "temp_store", "FILE")?;
            conn.execute_batch("VACUUM")?;
            Ok(())
        })
    }

    /// The database file's path (files only).
    fn sqlite_path(&self) -> Result<&Path> {
        self.sqlite()?;
        Ok(&self.location)
    }

    /// Keeps the chain head outside the file too, so a cut or rewritten tail is found by
    /// `check`. The write is already committed: a failure here is logged, not returned.
    fn write_anchor(&self, head: &seal::Head) {
        let (Some(dir), Some(id)) = (&self.anchor_dir, &self.database_id) else {
            return;
        };
        if let Err(e) = seal::write_anchor(dir, id, head) {
            tracing::warn!("cannot update the anchor in {}: {e}", dir.display());
        }
    }

    /// Where this store keeps the anchor of its chain head (see [`seal`]); `None` keeps none.
    pub fn set_anchor_dir(&mut self, dir: Option<PathBuf>) {
        self.anchor_dir = dir;
    }

    /// Reads data that needs `action` (supervisor data), refusing actors without it.
    pub fn read_as<T>(&self, action: Action, f: impl FnOnce(db::Db<'_>) -> Result<T>) -> Result<T> {
        self.actor.require(action)?;
        f(self.db())
    }

    /// Integrity and schema check: a list of problems, empty when all is well.
    pub fn check(&self) -> Result<Vec<String>> {
        match &self.conn {
            Conn::Sqlite(conn) => Ok(checks(conn, &[])?.problems),
            Conn::Server(pg) => Ok(server::check_db(db::Db::Postgres(pg))?.problems),
        }
    }
}

/// The transaction of [`Store::write_as`] on SQLite, once the actor is allowed and writes are
/// on: IMMEDIATE, the changed rows sealed before the commit.
fn write_sqlite<T>(
    conn: &mut Connection,
    actor: &Actor,
    desk: &str,
    f: impl FnOnce(db::Db<'_>) -> Result<T>,
) -> Result<(T, Option<seal::Head>)> {
    audit::set_actor(&*conn, actor, desk)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let value = f(db::Db::from(&tx))?;
    // The text indexes follow the rows this transaction changed, which are then sealed, all in
    // the same transaction.
    text_search::reindex_pending(&tx)?;
    let head = seal::seal_pending(&tx)?;
    tx.commit()?;
    Ok((value, head))
}

/// Applies the missing schema steps in one transaction. A file already at this version is
/// only read (no write lock); otherwise the write lock is taken and the version read again
/// inside it, as another process may have migrated meanwhile.
fn migrate(path: &Path, conn: &Connection, backups: Option<(&Path, NaiveDateTime)>) -> Result<()> {
    let (app_id, version, _) = header(conn)?;
    if app_id == APPLICATION_ID && version == SCHEMA_VERSION {
        return Ok(());
    }
    if let Some((folder, now)) = backups
        && app_id == APPLICATION_ID
        && (1..SCHEMA_VERSION).contains(&version)
    {
        backup::make(
            conn,
            folder,
            now,
            backup::Kind::PreMigration,
            &mut backup::keep_going,
        )?;
    }
    let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
    // Checked again inside the write lock: another process may have migrated meanwhile.
    let (app_id, version, _) = header(&tx)?;
    check_header(path, app_id, version, false)?;
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
        // Version 6 brought the seals: the rows already there are sealed as they are.
        if version < 6 {
            seal::note_all_rows(&tx)?;
            seal::seal_pending(&tx)?;
        }
        // Version 10 added the text indexes of visits, calls and complaints.
        if version < 10 {
            for index in &text_search::ALL {
                text_search::reindex_all(&tx, index)?;
            }
        }
    }
    tx.commit()?;
    Ok(())
}

/// A desk connected to the server ([`Store::desks`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeskSession {
    /// The PC's name.
    pub pc: String,
    /// Who is signed in there (empty: the desk without a login).
    pub account: String,
    /// Since when it is connected (this PC's local time).
    pub since: Option<NaiveDateTime>,
}

/// What `check` verified and found.
#[derive(Clone, Debug, Default)]
pub struct CheckReport {
    /// What is wrong, one line each; empty when all is well.
    pub problems: Vec<String>,
    /// What the seal check looked at.
    pub seals: seal::Report,
    /// Entries in the audit trail's own hash chain.
    pub audit_entries: i64,
    /// The file is a backup (named like one, rewritten by a purge, or a remembered `--out`
    /// copy): a snapshot of an earlier moment, so the newer heads seen by the anchor and the
    /// other backups were not compared with it.
    pub as_backup: bool,
}

/// Checks the file at `path` without writing to it, with its seals compared with the heads seen
/// by its anchor in `anchor_dir` and the backups in `backup_folder`.
pub fn check_file_report(
    path: &Path,
    anchor_dir: Option<&Path>,
    backup_folder: &Path,
) -> Result<CheckReport> {
    refuse_server_url(path)?;
    if !path.exists() {
        return Ok(CheckReport {
            problems: vec![format!("{} does not exist", path.display())],
            ..CheckReport::default()
        });
    }
    let conn = read_connection(path)?;
    let as_backup = is_backup_copy(&conn, path, anchor_dir)?;
    let witnesses = if as_backup {
        Vec::new()
    } else {
        seal::witnesses(&conn, path, anchor_dir, backup_folder)?
    };
    let mut report = checks(&conn, &witnesses)?;
    report.as_backup = as_backup;
    Ok(report)
}

/// Whether the file at `path` is a backup: named like one, rewritten by a purge (it has a
/// `copied_from` note), or an `--out` copy remembered beside the anchors.
fn is_backup_copy(conn: &Connection, path: &Path, anchor_dir: Option<&Path>) -> Result<bool> {
    let named = path
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(backup::parse_file_name)
        .is_some();
    if named {
        return Ok(true);
    }
    if seal::witness_head(conn)? != seal::head(conn)? {
        return Ok(true);
    }
    let (Some(dir), Some(id)) = (anchor_dir, seal::database_id(conn)?) else {
        return Ok(false);
    };
    let own = std::fs::canonicalize(path).ok();
    Ok(backup::remembered_copies(dir, &id)
        .iter()
        .any(|c| std::fs::canonicalize(c).ok() == own))
}

/// Checks the file at `path` without writing to it: a list of problems, empty when all is well.
pub fn check_file(path: &Path) -> Result<Vec<String>> {
    if !path.exists() {
        return Ok(vec![format!("{} does not exist", path.display())]);
    }
    let conn = read_connection(path)?;
    Ok(checks(&conn, &[])?.problems)
}

fn checks(conn: &Connection, witnesses: &[seal::Witness]) -> Result<CheckReport> {
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
            if !table_exists(conn, table)? {
                problems.push(format!("table {table} is missing"));
            }
        }
        if let Some(id) = audit::first_broken(conn)? {
            problems.push(format!(
                "audit trail: row {id} was changed or removed outside FrontDesk (hash chain broken)"
            ));
        }
        let seals = seal::verify(conn, witnesses)?;
        problems.extend(seals.problems.iter().cloned());
        let audit_entries = conn
            .query_row("SELECT count(*) FROM audit", [], |r| r.get(0))
            .unwrap_or(0);
        Ok(CheckReport {
            problems,
            seals,
            audit_entries,
            as_backup: false,
        })
    }
}

/// At most this many ids go into one `IN (…)` list.
pub(crate) const IDS_PER_QUERY: usize = 512;

/// `?1, ?2, …, ?n` for `n` ids, `n` rounded up to a power of two (at least 8) so that only a
/// few statement texts are ever prepared; the places beyond the ids repeat the last one.
pub(crate) fn id_list(ids: &[i64]) -> (String, Vec<i64>) {
    let n = ids.len().next_power_of_two().max(8);
    let mut padded = ids.to_vec();
    padded.resize(n, ids.last().copied().unwrap_or(0));
    let places = (1..=n)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    (places, padded)
}

/// Rows of `table` per day of its time column `at` in `[from, to)`, days with any, oldest
/// first (both backends store times as `YYYY-MM-DD HH:MM:SS` text: the day is its first ten
/// characters). `table` and `at` are the store's own names, never user input.
fn per_day(
    db: db::Db<'_>,
    table: &str,
    at: &str,
    from: chrono::NaiveDateTime,
    to: chrono::NaiveDateTime,
) -> Result<Vec<(chrono::NaiveDate, i64)>> {
    db.query_map(
        &format!(
            "SELECT substr({at}, 1, 10) AS day, count(*) FROM {table}
             WHERE {at} >= ?1 AND {at} < ?2 GROUP BY day ORDER BY day"
        ),
        db_params![from, to],
        |r| {
            let day: String = r.get(0)?;
            Ok((
                chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or_default(),
                r.get(1)?,
            ))
        },
    )
}

/// Whether the file has a table of that name.
pub(crate) fn table_exists(conn: &Connection, table: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
        [table],
        |r| r.get(0),
    )?)
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

/// A connection that reads an existing file and cannot write to it: opened read-write without
/// `SQLITE_OPEN_CREATE` (a missing file is an error, never created) and with `query_only` on.
///
/// Read-write, because a reader of a WAL file must be able to create the shared-memory index
/// (`-shm`) when no other connection has, and the last connection to close removes it and the
/// empty `-wal` again; a connection opened with `SQLITE_OPEN_READ_ONLY` leaves both behind.
/// SQLite falls back to reading only by itself when the file is write-protected.
pub fn read_connection(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_URI
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "query_only", true)?;
    Ok(conn)
}

/// Prepared statements kept per connection. rusqlite keeps 16; one complaint step alone runs
/// more different statements than that, so each was compiled again every time (7 % of a bulk
/// write).
const STATEMENT_CACHE: usize = 256;

/// What a look at a database file without opening it in SQLite shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FileState {
    /// There is no file.
    Missing,
    /// A file of no length, or a database with neither an application id nor any table (a new
    /// file whose first migration never committed).
    Empty,
    /// A FrontDesk database of this schema version or an older one.
    Ours {
        /// Its schema version.
        version: i32,
    },
}

/// The SQLite file header's magic string.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Looks at a file without writing to it or creating anything beside it: a plain read of its
/// 100-byte header (`user_version` at byte 60, the schema cookie at 40, `application_id` at 68),
/// so opening a current file takes no lock and a refused file gets no `-wal`/`-shm` beside it.
/// Another application's file and a newer one are refused here.
///
/// When a non-empty `-wal` or `-journal` lies beside the file, its header may not be the latest
/// committed one; then SQLite reads it through a read-only connection (the files it uses exist
/// already).
fn inspect_read_only(path: &Path) -> Result<FileState> {
    use std::io::Read as _;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileState::Missing),
        Err(e) => return Err(e.into()),
    };
    let mut head = Vec::with_capacity(100);
    file.take(100).read_to_end(&mut head)?;
    if head.is_empty() {
        return Ok(FileState::Empty);
    }
    let foreign = |found| StoreError::ForeignFile {
        path: path.to_path_buf(),
        found,
    };
    // Not a database at all (e.g. a text file) counts as foreign.
    if head.len() < 100 || !head.starts_with(SQLITE_MAGIC) {
        return Err(foreign(0));
    }
    let word = |at: usize| -> i32 {
        head.get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map_or(0, i32::from_be_bytes)
    };
    let (app_id, version, has_objects) =
        if has_sidecar(path, "-wal") || has_sidecar(path, "-journal") {
            let conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            match header(&conn) {
                Ok((app_id, version, objects)) => (app_id, version, objects > 0),
                Err(StoreError::Sqlite(e))
                    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) =>
                {
                    return Err(foreign(0));
                }
                Err(e) => return Err(e),
            }
        } else {
            // Every change to the schema moves the schema cookie: zero means no table was ever made.
            (word(68), word(60), word(40) != 0)
        };
    check_header(path, app_id, version, has_objects)?;
    Ok(if app_id == 0 {
        FileState::Empty
    } else {
        FileState::Ours { version }
    })
}

/// Whether `path` + `suffix` (SQLite's `-wal` or `-journal`) exists and is not empty.
fn has_sidecar(path: &Path, suffix: &str) -> bool {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    std::fs::metadata(PathBuf::from(name)).is_ok_and(|m| m.len() > 0)
}

/// Formats a time the way it is stored.
pub fn ts(t: NaiveDateTime) -> String {
    use chrono::{Datelike as _, Timelike as _};
    // The same text as `TIMESTAMP_FORMAT` without parsing the format each time (a bulk write
    // formats millions of times); years outside 0–9999 take chrono's signed form.
    if (0..=9999).contains(&t.year()) && t.nanosecond() < 1_000_000_000 {
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    } else {
        t.format(TIMESTAMP_FORMAT).to_string()
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_lists_are_padded_to_a_few_lengths() {
        assert_eq!(
            id_list(&[4, 2]),
            (
                "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8".to_owned(),
                vec![4, 2, 2, 2, 2, 2, 2, 2]
            )
        );
        let nine: Vec<i64> = (1..=9).collect();
        let (places, padded) = id_list(&nine);
        assert!(places.ends_with("?16"), "{places}");
        assert_eq!(padded[8..], [9; 8]);
        let full: Vec<i64> = (0..512).collect();
        assert_eq!(id_list(&full).1, full);
    }

    #[test]
    fn stored_times_are_written_as_the_documented_format() {
        let times = [
            "2026-11-28 09:05:07",
            "0001-01-01 00:00:00",
            "9999-12-31 23:59:59",
            "-0001-06-01 12:00:00",
            "+10000-01-01 00:00:00",
        ];
        for text in times {
            let t = NaiveDateTime::parse_from_str(text, TIMESTAMP_FORMAT).unwrap();
            assert_eq!(ts(t), t.format(TIMESTAMP_FORMAT).to_string(), "{text}");
        }
        let leap = chrono::NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_milli_opt(23, 59, 59, 1_500)
            .unwrap();
        assert_eq!(ts(leap), leap.format(TIMESTAMP_FORMAT).to_string());
    }
}
