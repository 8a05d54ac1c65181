//! Backups and restores.
//!
//! * A backup is made with SQLite's online backup API from a connection that only reads, so desks
//!   keep working meanwhile. It is written to a temporary file beside the target, switched out of
//!   WAL mode (one self-contained file), checked (`integrity_check`, FrontDesk's application id),
//!   synced to disk and only then renamed into place: a backup that exists is whole.
//! * Backups in the backup folder are named `frontdesk-YYYYMMDD-HHMMSS[-kind][-N].sqlite3`; the
//!   kind says why it was made ([`Kind`]). [`rotate`] keeps recent, daily, weekly and monthly
//!   copies ([`Rotation`]) and the newest few of each special kind.
//! * A backup is refused, before anything is written, when the folder's disk has less free space
//!   than the copy needs plus a reserve ([`enough_space`]).
//! * A restore copies a checked backup into the open database through the backup API (never a
//!   file copy over an open database), after a pre-restore copy of the current file. The chain
//!   entries of the replaced tail are noted as superseded, so `check` does not take the restore
//!   for a cut (see [`super::seal`]).
//! * `--out` copies made outside the backup folder are listed in a small file beside the anchors,
//!   so a purge can scrub them too and `check` can use them as witnesses.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{Datelike as _, NaiveDateTime};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OptionalExtension as _};

use super::seal::{self, Head};
use super::{APPLICATION_ID, Result, SCHEMA_VERSION, Store, StoreError, audit, ts};
use crate::domain::account::Action;

/// Why a backup was made (the end of its file name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Made by the app while it runs (at most every [`AUTOMATIC_INTERVAL_MINUTES`], only when data
    /// changed), or by `frontdesk backup` without `--out`.
    Automatic,
    /// Made by a user pressing the backup button.
    Manual,
    /// Made just before a schema upgrade.
    PreMigration,
    /// The current file, kept just before a restore replaced it.
    PreRestore,
    /// Made just before a purge of personal data.
    PrePurge,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Self; 5] = [
        Self::Automatic,
        Self::Manual,
        Self::PreMigration,
        Self::PreRestore,
        Self::PrePurge,
    ];

    fn suffix(self) -> &'static str {
        match self {
            Self::Automatic => "",
            Self::Manual => "-manual",
            Self::PreMigration => "-pre-migration",
            Self::PreRestore => "-pre-restore",
            Self::PrePurge => "-pre-purge",
        }
    }

    /// Translation key of the kind's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Self::Automatic => "backup.kind_automatic",
            Self::Manual => "backup.kind_manual",
            Self::PreMigration => "backup.kind_pre_migration",
            Self::PreRestore => "backup.kind_pre_restore",
            Self::PrePurge => "backup.kind_pre_purge",
        }
    }

    /// Automatic and manual backups follow the rotation; the others are kept by number.
    fn rotated(self) -> bool {
        matches!(self, Self::Automatic | Self::Manual)
    }
}

/// The app makes an automatic backup at most this often, and only when data changed.
pub const AUTOMATIC_INTERVAL_MINUTES: i64 = 30;

/// Of each special kind (pre-migration, pre-restore, pre-purge) the newest this many are kept.
pub const KEEP_SPECIAL: usize = 3;

/// Pages copied per step of the backup API; progress is reported after each step.
const STEP_PAGES: i32 = 256;

/// What a copy reports after each step: how far it is. It answers whether to go on; a break
/// stops the copy there ([`StoreError::Stopped`]) and nothing is left of it.
pub type OnProgress<'a> = &'a mut dyn FnMut(Progress) -> ControlFlow<()>;

/// A progress callback that hears nothing and never stops the copy.
pub fn keep_going(_: Progress) -> ControlFlow<()> {
    ControlFlow::Continue(())
}

/// Free space left over after a backup, at least: a backup never fills a disk.
pub const RESERVE_BYTES: u64 = 32 * 1024 * 1024;

/// How many backups the rotation keeps (like restic's `--keep-*`): the `recent` newest, and the
/// newest backup of each of the `daily` most recent days, `weekly` ISO weeks and `monthly`
/// months that have one. A backup kept for several reasons counts once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rotation {
    /// Newest backups kept whatever their age.
    pub recent: u32,
    /// Days.
    pub daily: u32,
    /// ISO weeks.
    pub weekly: u32,
    /// Months.
    pub monthly: u32,
}

impl Default for Rotation {
    fn default() -> Self {
        Self {
            recent: 8,
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

/// The settings keys of the rotation counts, in the order of [`Rotation::counts`].
pub const ROTATION_KEYS: [&str; 4] = [
    "backup_keep_recent",
    "backup_keep_daily",
    "backup_keep_weekly",
    "backup_keep_monthly",
];

/// The largest count accepted for any rotation setting.
pub const MAX_KEEP: u32 = 1000;

impl Rotation {
    /// The four counts, in the order of [`ROTATION_KEYS`].
    pub fn counts(self) -> [u32; 4] {
        [self.recent, self.daily, self.weekly, self.monthly]
    }

    /// From the four counts, in the order of [`ROTATION_KEYS`].
    pub fn from_counts(c: [u32; 4]) -> Self {
        Self {
            recent: c[0],
            daily: c[1],
            weekly: c[2],
            monthly: c[3],
        }
    }
}

/// The rotation saved in settings (admins change it in 设置 → 数据); defaults where unset. Values
/// outside 0…[`MAX_KEEP`] are clamped. The config file can override each count (see
/// [`crate::config`]).
pub fn rotation_setting<'a>(db: impl Into<super::db::Db<'a>>) -> Result<Rotation> {
    let conn = db.into();
    let mut counts = Rotation::default().counts();
    for (i, key) in ROTATION_KEYS.iter().enumerate() {
        if let Some(v) = super::settings::value(conn, key)?
            && let Ok(n) = v.trim().parse::<i64>()
        {
            counts[i] = u32::try_from(n.clamp(0, i64::from(MAX_KEEP))).unwrap_or(MAX_KEEP);
        }
    }
    Ok(Rotation::from_counts(counts))
}

/// Saves the rotation (admins).
pub fn set_rotation(tx: super::db::Db<'_>, r: Rotation) -> Result<()> {
    for (key, n) in ROTATION_KEYS.iter().zip(r.counts()) {
        crate::domain::validation::keep_count(n)?;
        super::settings::set_value(tx, key, &n.to_string())?;
    }
    Ok(())
}

/// Progress of a backup or restore: pages copied of the file's pages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Pages copied.
    pub done: u64,
    /// Pages in all.
    pub total: u64,
}

impl Progress {
    /// Share done, 0.0 to 1.0.
    pub fn fraction(self) -> f32 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0) as f32
        }
    }
}

/// The file name of a backup made at `at`.
pub fn file_name(at: NaiveDateTime, kind: Kind) -> String {
    format!(
        "frontdesk-{}{}.sqlite3",
        at.format("%Y%m%d-%H%M%S"),
        kind.suffix()
    )
}

/// When and why a backup was made, read from its file name; `None` for other files.
pub fn parse_file_name(name: &str) -> Option<(NaiveDateTime, Kind)> {
    let rest = name.strip_prefix("frontdesk-")?.strip_suffix(".sqlite3")?;
    let stamp = rest.get(..15)?;
    let at = NaiveDateTime::parse_from_str(stamp, "%Y%m%d-%H%M%S").ok()?;
    let mut tail = &rest[15..];
    // A second backup in the same second gets "-2", "-3", …
    if let Some((head, n)) = tail.rsplit_once('-')
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
    {
        tail = head;
    }
    let kind = Kind::ALL.into_iter().find(|k| k.suffix() == tail)?;
    Some((at, kind))
}

/// Whether a disk with `free` bytes can take a copy of `needed` bytes and keep the reserve.
pub fn enough_space(needed: u64, free: u64) -> bool {
    needed
        .checked_add(RESERVE_BYTES.max(needed / 10))
        .is_some_and(|total| free >= total)
}

/// Bytes a copy of the database needs (its pages in use).
fn needed_bytes(conn: &Connection) -> Result<u64> {
    let pages: i64 = conn.pragma_query_value(None, "page_count", |r| r.get(0))?;
    let free: i64 = conn.pragma_query_value(None, "freelist_count", |r| r.get(0))?;
    let size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
    Ok(u64::try_from((pages - free).max(0) * size).unwrap_or(u64::MAX))
}

/// Refuses a backup into `folder` when its disk is too full (see [`enough_space`]).
fn require_space(conn: &Connection, folder: &Path) -> Result<()> {
    let needed = needed_bytes(conn)?;
    let free = fs4::available_space(folder)?;
    if enough_space(needed, free) {
        Ok(())
    } else {
        Err(StoreError::LowSpace {
            folder: folder.to_path_buf(),
            free,
            needed: needed.saturating_add(RESERVE_BYTES.max(needed / 10)),
        })
    }
}

/// Copies the database behind `src` into `out` (which must not exist): through the online backup
/// API into `out` + `.partial`, out of WAL mode, checked, synced, then renamed into place. On
/// any failure, or when `progress` breaks, nothing is left at `out` and the partial file is
/// removed.
pub fn write_copy(src: &Connection, out: &Path, progress: OnProgress<'_>) -> Result<()> {
    if out.exists() {
        return Err(StoreError::Io(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{} already exists", out.display()),
        )));
    }
    let mut partial = out.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    let written = copy_checked(src, &partial, progress).and_then(|()| {
        std::fs::File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, out)?;
        sync_folder(out);
        Ok(())
    });
    if written.is_err() {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = partial.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
    written
}

/// Makes the rename of a new file durable (its folder's entry), where the system allows it.
fn sync_folder(file: &Path) {
    #[cfg(unix)]
    if let Some(dir) = file.parent()
        && let Ok(d) = std::fs::File::open(if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        })
    {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = file;
}

fn copy_checked(src: &Connection, to: &Path, progress: OnProgress<'_>) -> Result<()> {
    let mut dst = Connection::open(to)?;
    copy_pages(src, &mut dst, progress)?;
    let _: String = dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    let app_id: i32 = dst.pragma_query_value(None, "application_id", |r| r.get(0))?;
    if app_id != APPLICATION_ID {
        return Err(StoreError::BadBackup {
            path: to.to_path_buf(),
            reason: format!("application id {app_id:#x}"),
        });
    }
    let problems = integrity_problems(&dst)?;
    if !problems.is_empty() {
        return Err(StoreError::BadBackup {
            path: to.to_path_buf(),
            reason: problems.join("; "),
        });
    }
    dst.close().map_err(|(_, e)| e)?;
    Ok(())
}

/// Copies every page of `src` into `dst` with the backup API, reporting progress (a break
/// stops it with [`StoreError::Stopped`], `dst` then partly written). When other
/// connections keep writing to `src` the copy starts over; after a few restarts the rest is
/// copied in one step (a read transaction, which in WAL mode does not stop the writers).
///
/// It waits briefly while the destination is locked, so it runs in jobs and on worker threads,
/// never on the UI thread.
#[allow(clippy::disallowed_methods)]
fn copy_pages(src: &Connection, dst: &mut Connection, progress: OnProgress<'_>) -> Result<()> {
    let backup = Backup::new(src, dst)?;
    let mut restarts = 0;
    let mut last_remaining = i64::MAX;
    loop {
        let step = if restarts >= 3 { -1 } else { STEP_PAGES };
        match backup.step(step)? {
            StepResult::Done => {
                let p = backup.progress();
                let total = u64::try_from(p.pagecount).unwrap_or(0);
                // A stop asked now still leaves nothing: the copy is not checked nor kept.
                if progress(Progress { done: total, total }).is_break() {
                    return Err(StoreError::Stopped);
                }
                return Ok(());
            }
            StepResult::More => {
                let p = backup.progress();
                let remaining = i64::from(p.remaining);
                if remaining > last_remaining {
                    restarts += 1;
                }
                last_remaining = remaining;
                let total = u64::try_from(p.pagecount).unwrap_or(0);
                let done = total.saturating_sub(u64::try_from(p.remaining).unwrap_or(0));
                if progress(Progress { done, total }).is_break() {
                    return Err(StoreError::Stopped);
                }
            }
            // Busy, locked (and any later variant): wait and try again.
            _ => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

/// `PRAGMA integrity_check` lines other than "ok".
pub fn integrity_problems(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check(20)")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// `PRAGMA quick_check` of an open database: what is wrong, one line each; empty when the file
/// looks whole. The window runs it before it opens, so a damaged file is found before anyone
/// works on it.
pub fn quick_check(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA quick_check(20)")?;
    let lines = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(lines.into_iter().filter(|l| l != "ok").collect())
}

/// A new backup file's path in `folder` for a backup made at `at`: the plain name, or "-2", "-3"…
/// when a backup of the same second exists.
fn free_name(folder: &Path, at: NaiveDateTime, kind: Kind) -> PathBuf {
    let first = folder.join(file_name(at, kind));
    if !first.exists() {
        return first;
    }
    let base = file_name(at, kind);
    let stem = base.trim_end_matches(".sqlite3");
    (2..)
        .map(|n| folder.join(format!("{stem}-{n}.sqlite3")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Makes a backup of the database behind `conn` in `folder` (created if needed), named for `at`
/// and `kind`. Refused when the disk is too full. Returns the new file.
pub fn make(
    conn: &Connection,
    folder: &Path,
    at: NaiveDateTime,
    kind: Kind,
    progress: OnProgress<'_>,
) -> Result<PathBuf> {
    std::fs::create_dir_all(folder)?;
    require_space(conn, folder)?;
    let out = free_name(folder, at, kind);
    write_copy(conn, &out, progress)?;
    Ok(out)
}

impl Store {
    /// Writes a checked backup of the database to `out`, which must not exist yet (see
    /// [`write_copy`]). Reads only, so it runs beside desks and jobs that write, and works on a
    /// store opened with [`Store::open_read_only`].
    pub fn backup_to(&self, out: &Path) -> Result<()> {
        if let Some(folder) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            require_space(self.sqlite()?, folder)?;
        }
        write_copy(self.sqlite()?, out, &mut keep_going)
    }

    /// Makes a backup of `kind` in `folder` (see [`make`]) and applies the rotation there. A
    /// break of `progress` stops it: no file is made and nothing rotated.
    pub fn backup_into(
        &self,
        folder: &Path,
        at: NaiveDateTime,
        kind: Kind,
        rotation: Rotation,
        progress: OnProgress<'_>,
    ) -> Result<PathBuf> {
        let out = make(self.sqlite()?, folder, at, kind, progress)?;
        if let Err(e) = rotate(folder, self.database_id.as_deref(), rotation) {
            tracing::warn!("backup rotation in {} failed: {e}", folder.display());
        }
        Ok(out)
    }

    /// Whether data changed since the newest backup of this database in `folder` (its head
    /// differs from the database's), so an automatic backup is worth making.
    pub fn changed_since_last_backup(&self, folder: &Path) -> Result<bool> {
        self.changed_since(self.newest_backup(folder).as_ref())
    }

    /// The newest backup of this database in `folder`, if any.
    pub fn newest_backup(&self, folder: &Path) -> Option<BackupInfo> {
        list(folder)
            .into_iter()
            .find(|b| b.database_id.is_some() && b.database_id == self.database_id)
    }

    /// Whether data changed since `backup` (a backup of this database) was made: its head
    /// differs from the database's. Always true without one.
    pub fn changed_since(&self, backup: Option<&BackupInfo>) -> Result<bool> {
        Ok(match backup {
            Some(b) => b.head != seal::head(self.db())?,
            None => true,
        })
    }

    /// Replaces the database's contents with the backup `from`, through the backup API, if the
    /// actor may restore. The backup is checked first; the current file is kept as a
    /// pre-restore copy in `folder`; the replaced chain tail is noted as superseded; the restore
    /// is audited. A backup of an older schema is upgraded after the copy. Another desk that
    /// has the file open sees the restored data at its next read.
    pub fn restore_from(
        &mut self,
        from: &Path,
        folder: &Path,
        now: NaiveDateTime,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RestoreReport> {
        self.actor.require(Action::RestoreBackup)?;
        let source = open_backup(from)?;
        let conn = self.sqlite()?;
        let pre_restore = make(conn, folder, now, Kind::PreRestore, &mut keep_going)?;
        let superseded = superseded_entries(conn, &source)?;
        let page_size = |c: &Connection| -> Result<i64> {
            Ok(c.pragma_query_value(None, "page_size", |r| r.get(0))?)
        };
        if page_size(&source)? != page_size(conn)? {
            return Err(StoreError::BadBackup {
                path: from.to_path_buf(),
                reason: "page size differs from the database's".to_owned(),
            });
        }
        let conn = self.sqlite_mut()?;
        conn.pragma_update(None, "query_only", false)?;
        let copied = copy_pages(&source, conn, &mut |p| {
            progress(p);
            ControlFlow::Continue(())
        });
        let _ = conn.pragma_update(None, "query_only", true);
        copied?;
        drop(source);
        // Reopened: the copy may be of an older schema (upgraded here) and the connection's
        // TEMP triggers must match the restored tables.
        let actor = self.actor.clone();
        let anchor_dir = self.anchor_dir.clone();
        let mut reopened = Store::open_with_backups(&self.path, None)?;
        reopened.set_actor(actor);
        reopened.set_anchor_dir(anchor_dir);
        *self = reopened;
        let restored_head = seal::head(self.db())?;
        let name = from
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let count = superseded.len();
        self.write_as(Action::RestoreBackup, |tx| {
            tx.execute(
                "DELETE FROM seal_notes WHERE kind = 'copied_from'",
                crate::db_params![],
            )?;
            note_superseded(tx, &superseded, now, &format!("restore of {name}"))?;
            audit::record(
                tx,
                now,
                "restore",
                "database",
                None,
                "",
                &format!("{name}; {count} later entries replaced"),
            )
        })?;
        Ok(RestoreReport {
            pre_restore,
            restored_head,
            superseded: count,
        })
    }
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreReport {
    /// The copy of the file as it was before the restore.
    pub pre_restore: PathBuf,
    /// The chain head of the restored backup.
    pub restored_head: Option<Head>,
    /// Chain entries of the replaced file that the restored one does not have.
    pub superseded: usize,
}

/// Opens a backup for copying from, after checking it: a FrontDesk file, not newer than this
/// program, whole (`integrity_check`), every row matching its seal.
pub fn open_backup(path: &Path) -> Result<Connection> {
    let conn = super::read_connection(path)?;
    let (app_id, version, _) = super::header(&conn)?;
    if app_id != APPLICATION_ID {
        return Err(StoreError::ForeignFile {
            path: path.to_path_buf(),
            found: app_id,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let problems = integrity_problems(&conn)?;
    if !problems.is_empty() {
        return Err(StoreError::BadBackup {
            path: path.to_path_buf(),
            reason: problems.join("; "),
        });
    }
    // SQLite has no page checksums: a changed byte inside a record passes `integrity_check`.
    // The seals find it (files of schema 6 and later).
    if seal::has_seals(&conn)? {
        let report = seal::verify(&conn, &[])?;
        if let Some(first) = report.problems.first() {
            return Err(StoreError::BadBackup {
                path: path.to_path_buf(),
                reason: format!("{first} ({} problem(s) in all)", report.problems.len()),
            });
        }
    }
    Ok(conn)
}

/// Chain entries (and earlier superseded notes) of `current` that `restored` does not have.
fn superseded_entries(current: &Connection, restored: &Connection) -> Result<Vec<Head>> {
    let kept: std::collections::HashSet<Head> = known_heads(restored)?.into_iter().collect();
    let mut out: Vec<Head> = known_heads(current)?
        .into_iter()
        .filter(|h| !kept.contains(h))
        .collect();
    out.dedup();
    Ok(out)
}

/// Every head a file knows: its chain entries, then the heads earlier restores superseded.
fn known_heads(c: &Connection) -> Result<Vec<Head>> {
    if !seal::has_seals(c)? {
        return Ok(Vec::new());
    }
    let head = |r: &super::db::Row<'_>| {
        Ok(Head {
            entry: r.get(0)?,
            hash: r.get(1)?,
        })
    };
    let db = super::db::Db::Sqlite(c);
    let mut heads = db.query_map(
        "SELECT id, hash FROM seal_chain ORDER BY id",
        crate::db_params![],
        head,
    )?;
    if db.table_exists("seal_notes")? {
        heads.extend(db.query_map(
            "SELECT entry, hash FROM seal_notes WHERE kind = 'superseded' ORDER BY id",
            crate::db_params![],
            head,
        )?);
    }
    Ok(heads)
}

fn note_superseded(
    tx: super::db::Db<'_>,
    heads: &[Head],
    now: NaiveDateTime,
    note: &str,
) -> Result<()> {
    for h in heads {
        tx.execute(
            "INSERT INTO seal_notes (kind, entry, hash, at, note) VALUES ('superseded', ?1, ?2, ?3, ?4)",
            crate::db_params![h.entry, h.hash, ts(now), note],
        )?;
    }
    Ok(())
}

/// Puts a backup in the place of a damaged database file that cannot be opened: the damaged
/// file (and its `-wal`/`-shm`) is moved aside unchanged, named `…damaged-YYYYMMDD-HHMMSS`, a
/// new file is filled from the checked backup through the backup API and upgraded, and the
/// restore is audited (the head the anchor had seen is noted as superseded). Returns where the
/// damaged file was moved.
pub fn replace_damaged(
    damaged: &Path,
    from: &Path,
    anchor_dir: Option<&Path>,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(Progress),
) -> Result<PathBuf> {
    let source = open_backup(from)?;
    let mut aside = damaged.as_os_str().to_owned();
    aside.push(format!(".damaged-{}", now.format("%Y%m%d-%H%M%S")));
    let aside = PathBuf::from(aside);
    if damaged.exists() {
        std::fs::rename(damaged, &aside)?;
    }
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = damaged.as_os_str().to_owned();
        side.push(suffix);
        let side = PathBuf::from(side);
        if side.exists() {
            let mut to = aside.as_os_str().to_owned();
            to.push(suffix);
            std::fs::rename(&side, PathBuf::from(to))?;
        }
    }
    {
        let mut dst = Connection::open(damaged)?;
        copy_pages(&source, &mut dst, &mut |p| {
            progress(p);
            ControlFlow::Continue(())
        })?;
        let _: String =
            dst.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0))?;
    }
    let mut store = Store::open_with_backups(damaged, None)?;
    let seen = match (anchor_dir, store.database_id.as_deref()) {
        (Some(dir), Some(id)) => seal::read_anchor(dir, id).ok().flatten(),
        _ => None,
    };
    let restored = seal::head(store.db())?;
    let superseded: Vec<Head> = seen
        .map(|w| w.head)
        .filter(|h| Some(h) != restored.as_ref())
        .into_iter()
        .collect();
    store.set_anchor_dir(anchor_dir.map(Path::to_path_buf));
    store.set_actor(crate::domain::account::Actor::system());
    let name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let aside_name = aside
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    store.write_as(Action::RestoreBackup, |tx| {
        tx.execute(
            "DELETE FROM seal_notes WHERE kind = 'copied_from'",
            crate::db_params![],
        )?;
        note_superseded(
            tx,
            &superseded,
            now,
            &format!("damaged file replaced by {name}"),
        )?;
        audit::record(
            tx,
            now,
            "restore",
            "database",
            None,
            "",
            &format!("{name}; damaged file kept as {aside_name}"),
        )
    })?;
    Ok(aside)
}

/// What is known of a backup file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupInfo {
    /// The file.
    pub path: PathBuf,
    /// When it was made (from its name).
    pub made_at: NaiveDateTime,
    /// Why.
    pub kind: Kind,
    /// Its size.
    pub bytes: u64,
    /// The id of the database it is a copy of (`None` when unreadable).
    pub database_id: Option<String>,
    /// The head it stands witness for (see [`seal::witness_head`]).
    pub head: Option<Head>,
}

/// The backups in `folder`, newest first (files named like backups; unreadable ones too, with
/// no id).
pub fn list(folder: &Path) -> Vec<BackupInfo> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut found: Vec<BackupInfo> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            let path = e.path();
            let (made_at, kind) = parse_file_name(path.file_name()?.to_str()?)?;
            let bytes = e.metadata().map(|m| m.len()).unwrap_or(0);
            let (database_id, head) = match super::read_connection(&path) {
                Ok(c) => (
                    seal::database_id(&c).ok().flatten(),
                    seal::witness_head(&c).ok().flatten(),
                ),
                Err(_) => (None, None),
            };
            Some(BackupInfo {
                path,
                made_at,
                kind,
                bytes,
                database_id,
                head,
            })
        })
        .collect();
    found.sort_by(|a, b| b.made_at.cmp(&a.made_at).then(b.path.cmp(&a.path)));
    found
}

/// Record counts of a backup, shown before a restore.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Schema version of the file.
    pub schema_version: i32,
    /// Visits.
    pub visits: i64,
    /// Service calls.
    pub calls: i64,
    /// Complaints.
    pub complaints: i64,
    /// Claims.
    pub claims: i64,
    /// Customers.
    pub customers: i64,
    /// Inspections.
    pub inspections: i64,
    /// The newest time recorded anywhere in the file (visits, calls, audit).
    pub newest_record: Option<String>,
}

/// Checks a backup (see [`open_backup`]) and counts its records.
pub fn inspect(path: &Path) -> Result<Counts> {
    let conn = open_backup(path)?;
    let (_, version, _) = super::header(&conn)?;
    let count = |table: &str| -> Result<i64> {
        if !super::table_exists(&conn, table)? {
            return Ok(0);
        }
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    let newest = if super::table_exists(&conn, "audit")? {
        conn.query_row("SELECT max(at) FROM audit", [], |r| r.get(0))
            .optional()?
            .flatten()
    } else {
        None
    };
    Ok(Counts {
        schema_version: version,
        visits: count("visits")?,
        calls: count("calls")?,
        complaints: count("complaints")?,
        claims: count("claims")?,
        customers: count("customers")?,
        inspections: count("inspections")?,
        newest_record: newest,
    })
}

/// The backups (of `kind`s that rotate, made at the given times) the rotation keeps: indexes into
/// `made`, which must be sorted newest first.
pub fn keep(made: &[NaiveDateTime], r: Rotation) -> Vec<bool> {
    let mut kept = vec![false; made.len()];
    for k in kept.iter_mut().take(r.recent as usize) {
        *k = true;
    }
    let mut bucket = |key: &dyn Fn(NaiveDateTime) -> (i32, u32), n: u32| {
        let mut seen: Vec<(i32, u32)> = Vec::new();
        for (i, at) in made.iter().enumerate() {
            let b = key(*at);
            if seen.contains(&b) {
                continue;
            }
            if seen.len() >= n as usize {
                break;
            }
            seen.push(b);
            kept[i] = true;
        }
    };
    bucket(&|t| (t.year(), t.ordinal()), r.daily);
    bucket(
        &|t| {
            let w = t.iso_week();
            (w.year(), w.week())
        },
        r.weekly,
    );
    bucket(&|t| (t.year(), t.month()), r.monthly);
    kept
}

/// Applies the rotation to the backups of database `database_id` in `folder` (all backups with
/// no readable id are left alone): automatic and manual ones by [`keep`], each special kind
/// down to its newest [`KEEP_SPECIAL`]. Returns the files removed.
pub fn rotate(folder: &Path, database_id: Option<&str>, r: Rotation) -> Result<Vec<PathBuf>> {
    let ours: Vec<BackupInfo> = list(folder)
        .into_iter()
        .filter(|b| b.database_id.is_some() && b.database_id.as_deref() == database_id)
        .collect();
    let mut removed = Vec::new();
    let rotated: Vec<&BackupInfo> = ours.iter().filter(|b| b.kind.rotated()).collect();
    let made: Vec<NaiveDateTime> = rotated.iter().map(|b| b.made_at).collect();
    for (b, kept) in rotated.iter().zip(keep(&made, r)) {
        if !kept {
            std::fs::remove_file(&b.path)?;
            removed.push(b.path.clone());
        }
    }
    for kind in Kind::ALL.into_iter().filter(|k| !k.rotated()) {
        for b in ours.iter().filter(|b| b.kind == kind).skip(KEEP_SPECIAL) {
            std::fs::remove_file(&b.path)?;
            removed.push(b.path.clone());
        }
    }
    Ok(removed)
}

/// The file beside the anchors that lists the `--out` copies of database `database_id`.
pub fn copies_list_path(anchor_dir: &Path, database_id: &str) -> PathBuf {
    anchor_dir.join(format!("{database_id}.copies"))
}

/// Remembers a `--out` copy of database `database_id` (one absolute path per line).
pub fn remember_copy(anchor_dir: &Path, database_id: &str, copy: &Path) -> std::io::Result<()> {
    let copy = std::fs::canonicalize(copy)?;
    let list_path = copies_list_path(anchor_dir, database_id);
    let mut copies = remembered_copies(anchor_dir, database_id);
    if !copies.contains(&copy) {
        copies.push(copy);
    }
    write_copies(&list_path, &copies)
}

/// The `--out` copies of database `database_id` that still exist.
pub fn remembered_copies(anchor_dir: &Path, database_id: &str) -> Vec<PathBuf> {
    std::fs::read_to_string(copies_list_path(anchor_dir, database_id))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(PathBuf::from)
        .filter(|p| p.exists())
        .collect()
}

fn write_copies(list_path: &Path, copies: &[PathBuf]) -> std::io::Result<()> {
    if let Some(dir) = list_path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut text = String::new();
    for c in copies {
        text.push_str(&c.to_string_lossy());
        text.push('\n');
    }
    let tmp = list_path.with_extension("copies.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, list_path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn file_names_round_trip() {
        let t = at("2026-11-27 09:05:03");
        for kind in Kind::ALL {
            let name = file_name(t, kind);
            assert_eq!(parse_file_name(&name), Some((t, kind)), "{name}");
        }
        assert_eq!(
            parse_file_name("frontdesk-20261127-090503-pre-restore-3.sqlite3"),
            Some((t, Kind::PreRestore))
        );
        assert_eq!(
            parse_file_name("frontdesk-20261127-090503-2.sqlite3"),
            Some((t, Kind::Automatic))
        );
        for other in [
            "frontdesk.sqlite3",
            "frontdesk-2026112-090503.sqlite3",
            "frontdesk-20261127-090503-weird.sqlite3",
            "frontdesk-20261127-090503.sqlite3.partial",
            "frontdesk-20261327-090503.sqlite3",
        ] {
            assert_eq!(parse_file_name(other), None, "{other}");
        }
    }

    #[test]
    fn space_check_keeps_a_reserve() {
        assert!(enough_space(1_000_000, 100 * 1024 * 1024));
        assert!(!enough_space(1_000_000, 2 * 1024 * 1024));
        assert!(!enough_space(u64::MAX, u64::MAX));
        // Large files keep a tenth of their size free beyond the copy.
        let gib = 1024 * 1024 * 1024;
        assert!(!enough_space(10 * gib, 10 * gib + 512 * 1024 * 1024));
        assert!(enough_space(10 * gib, 11 * gib + 1));
    }

    #[test]
    fn rotation_keeps_recent_daily_weekly_monthly() {
        // A backup every 30 minutes, 8:00–18:00, every day for 400 days up to 2026-11-27.
        let end = at("2026-11-27 18:00:00");
        let mut made = Vec::new();
        let mut t = end;
        while t > end - chrono::Duration::days(400) {
            if (8..=18).contains(&chrono::Timelike::hour(&t)) {
                made.push(t);
            }
            t -= chrono::Duration::minutes(30);
        }
        let r = Rotation::default();
        let kept = keep(&made, r);
        let kept_times: Vec<NaiveDateTime> = made
            .iter()
            .zip(&kept)
            .filter(|(_, k)| **k)
            .map(|(t, _)| *t)
            .collect();
        // The 8 newest.
        assert_eq!(&kept_times[..8], &made[..8]);
        // One per day for the last 7 days (today's is among the recent ones).
        for d in 0..7 {
            let day = (end - chrono::Duration::days(d)).date();
            assert!(kept_times.iter().any(|t| t.date() == day), "day {day}");
        }
        // The newest of each of the last 12 months is there; nothing older than 12 months.
        assert!(kept_times.contains(&at("2026-10-31 18:30:00")));
        assert!(kept_times.contains(&at("2025-12-31 18:30:00")));
        assert!(kept_times.iter().all(|t| *t >= at("2025-12-01 00:00:00")));
        // Each is counted once: at most recent + daily + weekly + monthly.
        assert!(kept_times.len() <= 8 + 7 + 4 + 12, "{}", kept_times.len());
        assert!(kept_times.len() >= 12 + 4);
        // Nothing kept when every count is zero.
        assert!(
            keep(&made, Rotation::from_counts([0; 4]))
                .iter()
                .all(|k| !k)
        );
    }

    #[test]
    fn progress_fraction_is_bounded() {
        assert_eq!(Progress { done: 0, total: 0 }.fraction(), 1.0);
        assert_eq!(Progress { done: 5, total: 10 }.fraction(), 0.5);
        assert_eq!(
            Progress {
                done: 15,
                total: 10
            }
            .fraction(),
            1.0
        );
    }
}
