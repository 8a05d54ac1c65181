//! Backups while the app runs, off the UI thread.
//!
//! * Automatic backups: at most every [`backup::AUTOMATIC_INTERVAL_MINUTES`] (counted from the
//!   start of the app and from the newest backup in the folder, so several desks on one file do
//!   not each make one), and only when data changed since the newest backup.
//! * The backup button (设置 → 数据) and a restore (admins) run the same way: one job at a time,
//!   on a worker thread with a store of its own, reporting progress through shared counters.
//! * Listing the backup folder and checking a backup before a restore run on threads too: the
//!   folder may be on a slow network share and a check reads the whole file.
//! * The daily purge of personal data past retention runs as a job too (it makes a pre-purge
//!   backup, scrubs the file and rewrites every backup), and so does the scrub after an erase on
//!   request.
//! * [`Recovery`] finds the good backups of a damaged database file and puts one in its place
//!   (the damaged-file window of `ui::damaged`).
//!
//! Workers never format messages (the UI language is per thread): they hand back the
//! [`StoreError`], and the UI thread turns it into text. Nor do they wake the UI: while one runs
//! the UI asks for a frame every [`POLL_INTERVAL`] to move its progress bar and take in the
//! result, and asks for none otherwise.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};

use chrono::{Duration, NaiveDateTime};

use crate::clock::{Clock, whole_seconds};
use crate::config::{Config, Source};
use crate::domain::account::{Action, Actor};
use crate::store::backup::{self, BackupInfo, Counts, Kind, Progress, RestoreReport, Rotation};
use crate::store::privacy::{self, PurgeEverywhere};
use crate::store::{Result, Store, StoreError};

/// The automatic interval.
fn interval() -> Duration {
    Duration::minutes(backup::AUTOMATIC_INTERVAL_MINUTES)
}

/// Pages done and pages in all of a running copy, written by the worker and read by the UI;
/// and whether the user asked the job to stop, written by the UI and read by the worker.
#[derive(Debug, Default)]
struct SharedProgress {
    done: AtomicU64,
    total: AtomicU64,
    stop: AtomicBool,
    /// Tests: while set, the job waits at each step until it is stopped ([`Backups::hold`]).
    held: Arc<AtomicBool>,
}

/// How often the UI looks at a running worker (progress, result).
pub const POLL_INTERVAL: std::time::Duration = std::time::Duration::from_millis(250);

impl SharedProgress {
    fn set(&self, p: Progress) {
        self.total.store(p.total, Ordering::Relaxed);
        self.done.store(p.done, Ordering::Relaxed);
    }

    /// A progress callback for a worker: it breaks once the user asked to stop.
    fn reporter(self: Arc<Self>) -> impl FnMut(Progress) -> ControlFlow<()> + Send + 'static {
        move |p| {
            self.set(p);
            while self.held.load(Ordering::Relaxed) && !self.stop.load(Ordering::Relaxed) {
                wait_a_little();
            }
            if self.stop.load(Ordering::Relaxed) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
    }

    fn get(&self) -> Progress {
        Progress {
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }
}

/// A short wait of a held job (tests only: [`Backups::hold`]).
#[expect(
    clippy::disallowed_methods,
    reason = "a held job waits on its worker thread for the test to stop it"
)]
fn wait_a_little() {
    std::thread::sleep(std::time::Duration::from_millis(2));
}

/// Runs `work` on a named thread; its result arrives on the receiver. A thread that panics
/// drops the sender: the receiver then reports it disconnected, which callers take as a
/// failure.
fn spawn<T: Send + 'static>(
    name: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> std::io::Result<mpsc::Receiver<T>> {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let _ = tx.send(work());
        })?;
    Ok(rx)
}

/// What a worker thread's receiver holds right now.
enum Polled<T> {
    Pending,
    Done(T),
    /// The thread ended without an answer (it panicked).
    Lost,
}

fn poll<T>(rx: &mpsc::Receiver<T>) -> Polled<T> {
    match rx.try_recv() {
        Ok(v) => Polled::Done(v),
        Err(mpsc::TryRecvError::Empty) => Polled::Pending,
        Err(mpsc::TryRecvError::Disconnected) => Polled::Lost,
    }
}

/// The error reported for a worker thread that ended without an answer.
fn lost_worker() -> StoreError {
    StoreError::Io(std::io::Error::other(
        "the backup worker stopped unexpectedly",
    ))
}

/// Which job runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    /// An automatic backup.
    Automatic,
    /// The backup button.
    Manual,
    /// A restore.
    Restore,
    /// The automatic purge of personal data (with its pre-purge backup and the scrub of every
    /// backup), or the scrub after an erase on request.
    Purge,
}

/// The running job, as the settings screen shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JobStatus {
    /// What runs.
    pub kind: JobKind,
    /// How far it is.
    pub progress: Progress,
    /// Whether the user may stop it ([`Backups::stop`]): backups and the daily purge, not a
    /// restore nor the scrub after an erase on request.
    pub stoppable: bool,
    /// The user asked it to stop; it stops at its next step.
    pub stopping: bool,
}

/// Where a rotation count in force comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CountSource {
    /// A line of a configuration file (wins over the settings; shown read-only).
    Config(Source),
    /// Saved in the app's settings (设置 → 数据).
    Settings,
    /// Neither: the built-in default.
    Default,
}

/// One rotation count in force and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationCount {
    /// The count in force.
    pub value: u32,
    /// Where it came from.
    pub source: CountSource,
    /// The count saved in the settings (or the default): what an admin edits.
    pub saved: u32,
}

/// What the settings screen shows of the backups besides the folder listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupStatus {
    /// The job running, if any.
    pub job: Option<JobStatus>,
    /// When the last automatic backup of this session was made.
    pub last_automatic: Option<NaiveDateTime>,
    /// The rotation counts in force, in the order of [`backup::ROTATION_KEYS`].
    pub counts: [RotationCount; 4],
}

impl Default for BackupStatus {
    fn default() -> Self {
        let counts = Rotation::default().counts().map(|value| RotationCount {
            value,
            source: CountSource::Default,
            saved: value,
        });
        Self {
            job: None,
            last_automatic: None,
            counts,
        }
    }
}

impl BackupStatus {
    /// The rotation in force.
    pub fn rotation(&self) -> Rotation {
        Rotation::from_counts(self.counts.clone().map(|c| c.value))
    }
}

/// The rotation counts in force: the configuration file's where set, else the settings', else
/// the defaults.
pub fn rotation_counts(
    conn: crate::store::db::Db<'_>,
    config: &Config,
) -> Result<[RotationCount; 4]> {
    let saved = backup::rotation_setting(conn)?.counts();
    let mut counts = BackupStatus::default().counts;
    for (i, key) in backup::ROTATION_KEYS.iter().enumerate() {
        let (value, source) = match &config.backup_keep[i] {
            Some(c) => (c.value, CountSource::Config(c.source.clone())),
            None if crate::store::settings::value(conn, key)?.is_some() => {
                (saved[i], CountSource::Settings)
            }
            None => (saved[i], CountSource::Default),
        };
        counts[i] = RotationCount {
            value,
            source,
            saved: saved[i],
        };
    }
    Ok(counts)
}

/// How an automatic check ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Automatic {
    /// A backup was made.
    Made(PathBuf),
    /// Nothing changed since the newest backup.
    Unchanged,
    /// A backup of this database is younger than the interval: the next check is then.
    NotDue(NaiveDateTime),
}

/// A job that ended, for the app to show.
#[derive(Debug)]
pub enum Finished {
    /// An automatic check.
    Automatic(Result<Automatic>),
    /// The backup button.
    Manual(Result<PathBuf>),
    /// A restore of `from`.
    Restore {
        /// The backup restored.
        from: PathBuf,
        /// What the restore did.
        result: Result<RestoreReport>,
    },
    /// A purge: what it did, or `None` when nothing was due.
    Purge(Result<Option<PurgeEverywhere>>),
}

struct Running {
    kind: JobKind,
    stoppable: bool,
    progress: Arc<SharedProgress>,
    done: mpsc::Receiver<Finished>,
}

/// Where the app's data is, for the workers.
#[derive(Clone, Debug)]
pub struct Paths {
    /// The database file.
    pub database: PathBuf,
    /// The backup folder.
    pub folder: PathBuf,
    /// Where the anchors of the database's head are kept (see `store::seal`).
    pub anchor_dir: Option<PathBuf>,
}

/// The backup work of the app: the running job, the automatic schedule, folder listings and
/// checks of single backups.
#[derive(Default)]
pub struct Backups {
    running: Option<Running>,
    next_automatic: Option<NaiveDateTime>,
    last_automatic: Option<NaiveDateTime>,
    listing: Option<mpsc::Receiver<Vec<BackupInfo>>>,
    inspecting: Option<(PathBuf, mpsc::Receiver<Result<Counts>>)>,
    held: Arc<AtomicBool>,
}

impl Backups {
    /// The running job, if any.
    pub fn job(&self) -> Option<JobStatus> {
        self.running.as_ref().map(|r| JobStatus {
            kind: r.kind,
            progress: r.progress.get(),
            stoppable: r.stoppable,
            stopping: r.progress.stop.load(Ordering::Relaxed),
        })
    }

    /// Tests: while `held`, jobs wait at each step of their progress until they are stopped,
    /// as a long backup or purge of years of records does between its steps.
    pub fn hold(&self, held: bool) {
        self.held.store(held, Ordering::Relaxed);
    }

    /// Asks the running job to stop at its next step, when it may be stopped: a backup then
    /// leaves no file, a purge keeps what it anonymised and leaves the rest for the next one.
    pub fn stop(&self) {
        if let Some(r) = self.running.as_ref().filter(|r| r.stoppable) {
            r.progress.stop.store(true, Ordering::Relaxed);
        }
    }

    /// When the last automatic backup of this session was made.
    pub fn last_automatic(&self) -> Option<NaiveDateTime> {
        self.last_automatic
    }

    /// Whether any worker (job, listing, check) is still running.
    pub fn busy(&self) -> bool {
        self.running.is_some() || self.listing.is_some() || self.inspecting.is_some()
    }

    /// Whether a restore is running.
    pub fn restoring(&self) -> bool {
        self.running
            .as_ref()
            .is_some_and(|r| r.kind == JobKind::Restore)
    }

    /// When the automatic schedule next needs a look (for the repaint schedule).
    pub fn next_automatic(&self) -> Option<NaiveDateTime> {
        self.next_automatic
    }

    /// Starts an automatic check when it is due and nothing else runs (`setting` gives where
    /// and with which rotation, asked only then). The first one is due an interval after the
    /// app started.
    pub fn tick(&mut self, now: NaiveDateTime, setting: impl FnOnce() -> (Paths, Rotation)) {
        let next = match self.next_automatic {
            // A clock set back (or a first call) starts the interval again from now.
            Some(next) if next <= now + interval() => next,
            _ => {
                self.next_automatic = Some(now + interval());
                return;
            }
        };
        if now < next || self.running.is_some() {
            return;
        }
        self.next_automatic = Some(now + interval());
        let (paths, rotation) = setting();
        if let Err(e) = self.start(JobKind::Automatic, true, move |progress| {
            Finished::Automatic(automatic(&paths, now, rotation, progress))
        }) {
            tracing::warn!("cannot start the automatic backup: {e}");
        }
    }

    /// Starts a manual backup. Refused while another job runs.
    pub fn backup_now(
        &mut self,
        now: NaiveDateTime,
        paths: &Paths,
        rotation: Rotation,
    ) -> Result<()> {
        let paths = paths.clone();
        self.start(JobKind::Manual, true, move |progress| {
            Finished::Manual(Store::open_read_only(&paths.database).and_then(|store| {
                store.backup_into(&paths.folder, now, Kind::Manual, rotation, progress)
            }))
        })
    }

    /// Starts a restore of `from` by `actor` (checked by the store: admins only). Refused while
    /// another job runs.
    pub fn restore(
        &mut self,
        from: PathBuf,
        now: NaiveDateTime,
        paths: &Paths,
        actor: Actor,
    ) -> Result<()> {
        let paths = paths.clone();
        self.start(JobKind::Restore, false, move |progress| {
            let result = Store::open(&paths.database).and_then(|mut store| {
                store.set_actor(actor);
                store.set_anchor_dir(paths.anchor_dir.clone());
                store.restore_from(&from, &paths.folder, now, &mut |p| {
                    let _ = progress(p);
                })
            });
            Finished::Restore { from, result }
        })
    }

    /// Starts the purge of personal data past retention as the system, on its own connection:
    /// when `always` (after an erase on request) or when something is due, the whole
    /// [`privacy::purge_everywhere`] (pre-purge backup, purge, file scrub, every backup
    /// scrubbed); then `last_purge_on` is set to today. Refused while another job runs. The
    /// daily purge may be stopped; the scrub after an erase on request (`always`) may not.
    pub fn purge(
        &mut self,
        now: NaiveDateTime,
        paths: &Paths,
        rotation: Rotation,
        always: bool,
    ) -> Result<()> {
        let paths = paths.clone();
        self.start(JobKind::Purge, !always, move |progress| {
            Finished::Purge(purge(&paths, now, rotation, always, progress))
        })
    }

    fn start(
        &mut self,
        kind: JobKind,
        stoppable: bool,
        work: impl FnOnce(backup::OnProgress<'_>) -> Finished + Send + 'static,
    ) -> Result<()> {
        if self.running.is_some() {
            return Err(crate::domain::DomainError::WrongState("backup.busy").into());
        }
        let progress = Arc::new(SharedProgress {
            held: Arc::clone(&self.held),
            ..SharedProgress::default()
        });
        let mut report = Arc::clone(&progress).reporter();
        let done = spawn("frontdesk-backup", move || work(&mut report))?;
        self.running = Some(Running {
            kind,
            stoppable,
            progress,
            done,
        });
        Ok(())
    }

    /// The job that ended since the last call, if any.
    pub fn poll_job(&mut self) -> Option<Finished> {
        let running = self.running.as_ref()?;
        let finished = match poll(&running.done) {
            Polled::Pending => return None,
            Polled::Done(f) => f,
            Polled::Lost => match running.kind {
                JobKind::Automatic => Finished::Automatic(Err(lost_worker())),
                JobKind::Manual => Finished::Manual(Err(lost_worker())),
                JobKind::Restore => Finished::Restore {
                    from: PathBuf::new(),
                    result: Err(lost_worker()),
                },
                JobKind::Purge => Finished::Purge(Err(lost_worker())),
            },
        };
        self.running = None;
        match &finished {
            Finished::Automatic(Ok(Automatic::Made(path))) => {
                self.last_automatic = backup::parse_file_name(
                    &path.file_name().unwrap_or_default().to_string_lossy(),
                )
                .map(|(at, _)| at);
            }
            Finished::Automatic(Ok(Automatic::NotDue(at))) => self.next_automatic = Some(*at),
            _ => {}
        }
        Some(finished)
    }

    /// Lists the backup folder on a worker thread (the settings screen asked for it).
    pub fn list(&mut self, folder: &Path) {
        let folder = folder.to_path_buf();
        match spawn("frontdesk-backup-list", move || backup::list(&folder)) {
            Ok(rx) => self.listing = Some(rx),
            Err(e) => tracing::warn!("cannot list the backups: {e}"),
        }
    }

    /// The folder listing, once it arrived.
    pub fn poll_list(&mut self) -> Option<Vec<BackupInfo>> {
        let rx = self.listing.as_ref()?;
        let list = match poll(rx) {
            Polled::Pending => return None,
            Polled::Done(list) => list,
            Polled::Lost => Vec::new(),
        };
        self.listing = None;
        Some(list)
    }

    /// Checks a backup and counts its records on a worker thread; a check still running for
    /// another file is forgotten.
    pub fn inspect(&mut self, path: &Path) {
        let file = path.to_path_buf();
        match spawn("frontdesk-backup-check", move || backup::inspect(&file)) {
            Ok(rx) => self.inspecting = Some((path.to_path_buf(), rx)),
            Err(e) => tracing::warn!("cannot check the backup: {e}"),
        }
    }

    /// The result of the check, once it arrived.
    pub fn poll_inspect(&mut self) -> Option<(PathBuf, Result<Counts>)> {
        let (path, rx) = self.inspecting.as_ref()?;
        let result = match poll(rx) {
            Polled::Pending => return None,
            Polled::Done(r) => r,
            Polled::Lost => Err(lost_worker()),
        };
        let path = path.clone();
        self.inspecting = None;
        Some((path, result))
    }
}

/// The automatic check on the worker: not when a backup of this database is younger than the
/// interval, nor when nothing changed since the newest one.
fn automatic(
    paths: &Paths,
    now: NaiveDateTime,
    rotation: Rotation,
    progress: backup::OnProgress<'_>,
) -> Result<Automatic> {
    let store = Store::open_read_only(&paths.database)?;
    // The folder is listed once: each listing opens every backup in it.
    let newest = store.newest_backup(&paths.folder);
    if let Some(b) = &newest
        && b.made_at <= now
        && b.made_at + interval() > now
    {
        return Ok(Automatic::NotDue(b.made_at + interval()));
    }
    if !store.changed_since(newest.as_ref())? {
        return Ok(Automatic::Unchanged);
    }
    store
        .backup_into(&paths.folder, now, Kind::Automatic, rotation, progress)
        .map(Automatic::Made)
}

/// The purge on the worker (see [`Backups::purge`]).
fn purge(
    paths: &Paths,
    now: NaiveDateTime,
    rotation: Rotation,
    always: bool,
    progress: backup::OnProgress<'_>,
) -> Result<Option<PurgeEverywhere>> {
    let mut store = Store::open(&paths.database)?;
    store.set_actor(Actor::system());
    store.set_anchor_dir(paths.anchor_dir.clone());
    let retention = privacy::retention(store.db())?;
    let done = if always || privacy::purge_due(store.db(), now, retention)? {
        Some(privacy::purge_everywhere(
            &mut store,
            &paths.folder,
            paths.anchor_dir.as_deref(),
            now,
            rotation,
            &mut |_, p| progress(p),
        )?)
    } else {
        None
    };
    let today = now.date().format("%Y-%m-%d").to_string();
    store.write_as(Action::ManageAccounts, |tx| {
        crate::store::settings::set_value(tx, "last_purge_on", &today)
    })?;
    Ok(done)
}

/// Whether a backup offered for a damaged file is good.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Not checked yet.
    Pending,
    /// Whole and usable.
    Good,
    /// Not usable: why, in the UI language.
    Bad(String),
}

/// A backup offered for a damaged file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// The backup.
    pub info: BackupInfo,
    /// Its check.
    pub check: Check,
}

/// What the scan of the backup folder reports.
enum Scan {
    Listed(Vec<BackupInfo>),
    Checked(usize, Result<()>),
}

/// How the replacement of a damaged file ended.
#[derive(Debug)]
pub enum Replaced {
    /// The backup is in place; the damaged file was moved to `aside`.
    Done {
        /// The backup used.
        from: PathBuf,
        /// Where the damaged file is now, unchanged.
        aside: PathBuf,
    },
    /// Nothing usable was done: why, in the UI language.
    Failed(String),
}

/// Finds the good backups of a damaged database file (newest first, each checked on a worker
/// thread) and puts one in its place. The damaged file is never written: it is moved aside
/// unchanged by [`backup::replace_damaged`].
pub struct Recovery {
    database: PathBuf,
    database_id: Option<String>,
    folder: PathBuf,
    anchor_dir: Option<PathBuf>,
    clock: Arc<dyn Clock>,
    candidates: Option<Vec<Candidate>>,
    scan: Option<mpsc::Receiver<Scan>>,
    scan_started: bool,
    replacing: Option<(
        Arc<SharedProgress>,
        PathBuf,
        mpsc::Receiver<Result<PathBuf>>,
    )>,
    outcome: Option<Replaced>,
}

impl Recovery {
    /// For the damaged `database` (of id `database_id`, when it could still be read), with the
    /// backups in `folder`.
    pub fn new(
        database: PathBuf,
        database_id: Option<String>,
        folder: PathBuf,
        anchor_dir: Option<PathBuf>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            database,
            database_id,
            folder,
            anchor_dir,
            clock,
            candidates: None,
            scan: None,
            scan_started: false,
            replacing: None,
            outcome: None,
        }
    }

    /// The damaged file.
    pub fn database(&self) -> &Path {
        &self.database
    }

    /// The backup folder looked in.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The backups found so far (`None` while the folder is read).
    pub fn candidates(&self) -> Option<&[Candidate]> {
        self.candidates.as_deref()
    }

    /// The newest backup found good, if any.
    pub fn newest_good(&self) -> Option<usize> {
        self.candidates
            .as_ref()?
            .iter()
            .position(|c| c.check == Check::Good)
    }

    /// Whether the folder is still being read or checked.
    pub fn scanning(&self) -> bool {
        !self.scan_started || self.scan.is_some()
    }

    /// Progress of the replacement, while it runs.
    pub fn replacing(&self) -> Option<Progress> {
        self.replacing.as_ref().map(|(p, _, _)| p.get())
    }

    /// How the replacement ended, once it did.
    pub fn outcome(&self) -> Option<&Replaced> {
        self.outcome.as_ref()
    }

    /// Starts the scan (first call) and takes in what the workers found.
    pub fn poll(&mut self) {
        if !self.scan_started {
            self.scan_started = true;
            self.start_scan();
        }
        self.poll_scan();
        if let Some((_, from, rx)) = &self.replacing {
            let outcome = match poll(rx) {
                Polled::Pending => return,
                Polled::Done(Ok(aside)) => Replaced::Done {
                    from: from.clone(),
                    aside,
                },
                Polled::Done(Err(e)) => Replaced::Failed(e.user_message()),
                Polled::Lost => Replaced::Failed(lost_worker().user_message()),
            };
            self.replacing = None;
            self.outcome = Some(outcome);
        }
    }

    fn start_scan(&mut self) {
        let folder = self.folder.clone();
        let wanted = self.database_id.clone();
        let (tx, rx) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("frontdesk-backup-scan".to_owned())
            .spawn(move || {
                // Backups of another database are left out when the damaged file's id is
                // known; files whose id cannot be read are listed (and checked) all the same.
                let found: Vec<BackupInfo> = backup::list(&folder)
                    .into_iter()
                    .filter(|b| {
                        wanted.is_none() || b.database_id.is_none() || b.database_id == wanted
                    })
                    .collect();
                let paths: Vec<PathBuf> = found.iter().map(|b| b.path.clone()).collect();
                if tx.send(Scan::Listed(found)).is_err() {
                    return;
                }
                for (i, path) in paths.iter().enumerate() {
                    let checked = backup::open_backup(path).map(|_| ());
                    if tx.send(Scan::Checked(i, checked)).is_err() {
                        return;
                    }
                }
            });
        match started {
            Ok(_) => self.scan = Some(rx),
            Err(e) => {
                tracing::warn!("cannot look for backups: {e}");
                self.candidates = Some(Vec::new());
            }
        }
    }

    fn poll_scan(&mut self) {
        let Some(rx) = &self.scan else {
            return;
        };
        loop {
            match rx.try_recv() {
                Ok(Scan::Listed(found)) => {
                    self.candidates = Some(
                        found
                            .into_iter()
                            .map(|info| Candidate {
                                info,
                                check: Check::Pending,
                            })
                            .collect(),
                    );
                }
                Ok(Scan::Checked(i, result)) => {
                    if let Some(c) = self.candidates.as_mut().and_then(|c| c.get_mut(i)) {
                        c.check = match result {
                            Ok(()) => Check::Good,
                            Err(e) => Check::Bad(e.user_message()),
                        };
                    }
                }
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.scan = None;
                    if self.candidates.is_none() {
                        self.candidates = Some(Vec::new());
                    }
                    // Backups left unchecked by a scan that stopped are not offered.
                    for c in self.candidates.iter_mut().flatten() {
                        if c.check == Check::Pending {
                            c.check = Check::Bad(lost_worker().user_message());
                        }
                    }
                    return;
                }
            }
        }
    }

    /// Whether a worker runs (the window then looks again every [`POLL_INTERVAL`]).
    pub fn busy(&self) -> bool {
        self.scanning() || self.replacing.is_some()
    }

    /// Puts the good backup `index` in the place of the damaged file, on a worker thread.
    pub fn replace_with(&mut self, index: usize) {
        if self.replacing.is_some() || matches!(self.outcome, Some(Replaced::Done { .. })) {
            return;
        }
        let Some(c) = self.candidates.as_ref().and_then(|c| c.get(index)) else {
            return;
        };
        if c.check != Check::Good {
            return;
        }
        let from = c.info.path.clone();
        let damaged = self.database.clone();
        let anchor_dir = self.anchor_dir.clone();
        let now = whole_seconds(self.clock.now());
        let progress = Arc::new(SharedProgress::default());
        let mut report = Arc::clone(&progress).reporter();
        let source = from.clone();
        match spawn("frontdesk-replace-damaged", move || {
            backup::replace_damaged(&damaged, &source, anchor_dir.as_deref(), now, &mut |p| {
                let _ = report(p);
            })
        }) {
            Ok(rx) => {
                self.outcome = None;
                self.replacing = Some((progress, from, rx));
            }
            Err(e) => self.outcome = Some(Replaced::Failed(StoreError::Io(e).user_message())),
        }
    }
}
