//! The eframe application: screen switch, applying commands, cached data, repaint scheduling.
//!
//! Data flows one way: a screen returns [`Command`]s, [`App::apply`] checks them with the domain
//! rules and runs one store transaction each, and the cached rows are reloaded when the store's
//! change counter moves. Screens never touch the store.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime, Timelike as _};

use crate::clock::{Clock, whole_seconds};
use crate::config::Config;
use crate::domain::DomainError;
use crate::domain::account::{Action, Actor};
use crate::domain::staff::Staff;
use crate::domain::visit::{DayCounts, Visit};
use crate::i18n::{self, t, tf};
use crate::store::settings::Settings;
use crate::store::{self, Store, StoreError, customers, staff, visits};
use crate::ui;

mod background;
pub mod backups;
mod command;
mod files;
mod incidents;
pub mod server_login;
mod service;
mod supervision;
mod views;
mod waybills;

use background::Background;
pub use backups::BackupStatus;
pub use command::{
    BackupCommand, Command, CustomerCommand, ExportFormat, FileFor, IncidentCommand, Screen,
    ServiceCommand, SupervisorCommand, Tab, WaybillCommand,
};
pub use files::{FileOpener, FilePicker, Printer};
pub use service::{
    export_week, month_analysis, month_tables, sheets, week_analysis, week_tables, write_export,
};
pub use supervision::{attendance_month, monthly, monthly_tables};
pub use views::dashboard;
pub(crate) use views::reception_rows;
pub use waybills::waybill_tables;

/// What the reception board shows, reloaded only when the data or the day changes.
#[derive(Clone, Debug, Default)]
pub struct BoardData {
    /// Everyone present, in arrival order.
    pub present: Vec<Visit>,
    /// Their logs (who did each step, when, at which desk), by visit id, oldest first; the
    /// newest entry's id is the stamp a step is checked against ([`store::versions`]).
    pub logs: std::collections::HashMap<i64, Vec<visits::LogEntry>>,
    /// Today's counts.
    pub today: DayCounts,
    /// Open callbacks due today or earlier.
    pub callbacks: Vec<crate::domain::call::Callback>,
    /// Inbox entries waiting for acknowledgement.
    pub inbox_open: i64,
    /// Complaint categories offered.
    pub categories: Vec<String>,
    /// Claim causes offered.
    pub causes: Vec<String>,
    /// Whether any account exists.
    pub has_accounts: bool,
    /// Incidents (突发事件) not resolved yet.
    pub incidents_open: i64,
    /// Waybill change requests not confirmed back to the customer yet.
    pub waybills_open: i64,
}

/// What every screen may read while drawing.
pub struct ViewCtx<'a> {
    /// The current time.
    pub now: NaiveDateTime,
    /// Settings.
    pub settings: &'a Settings,
    /// All staff (active and not).
    pub staff: &'a [Staff],
    /// The reception board's data.
    pub board: &'a BoardData,
    /// Where the database and backups are, and where that choice came from.
    pub config: &'a Config,
    /// Who is acting.
    pub actor: &'a Actor,
    /// Whether any account exists (otherwise login offers to create the admin).
    pub has_accounts: bool,
    /// The backup job running, the rotation in force.
    pub backups: &'a BackupStatus,
    /// On a server: how far the server's clock is ahead of this PC's (records and timers use
    /// the server's time).
    pub clock_offset: Option<Duration>,
    /// This desk's name (kept with each step it records).
    pub desk: &'a str,
    /// Whether a list or report is being read on a worker (the top bar shows a spinner).
    pub loading: bool,
    /// Whether an export is being written (the top bar offers to stop it).
    pub exporting: bool,
    /// Whether this PC sends documents to its default printer ("直接打印" is offered).
    pub can_print: bool,
}

impl ViewCtx<'_> {
    /// Whether the actor may see supervisor screens.
    pub fn is_supervisor(&self) -> bool {
        self.actor.require(Action::ReadSupervisorData).is_ok()
    }

    /// A staff member's name, or "—".
    pub fn staff_name(&self, id: Option<i64>) -> String {
        id.and_then(|id| self.staff.iter().find(|s| s.id == id))
            .map_or_else(|| "—".to_owned(), |s| s.name.clone())
    }

    /// Active staff, for pickers.
    pub fn active_staff(&self) -> impl Iterator<Item = &Staff> {
        self.staff.iter().filter(|s| s.active)
    }

    /// Active staff by role (front desk first, supervisors last), for pickers that name a
    /// colleague for a matter: a business question goes to a 业务员, a claim to a 理赔员.
    pub fn active_staff_by_role(&self) -> Vec<&Staff> {
        crate::domain::staff::by_role(self.active_staff())
    }
}

/// A message in the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusMessage {
    /// The text, already translated.
    pub text: String,
    /// Errors are red and stay until dismissed.
    pub is_error: bool,
}

/// The FrontDesk application.
pub struct App {
    store: Store,
    clock: Arc<dyn Clock>,
    settings: Settings,
    staff: Vec<Staff>,
    screen: Screen,
    board: BoardData,
    loaded: Option<(u64, i64, NaiveDate)>,
    reception: ui::reception::ReceptionView,
    history: ui::history::HistoryView,
    calls: ui::calls::CallsView,
    complaints: ui::complaints::ComplaintsView,
    inbox: ui::inbox::InboxView,
    weekly: ui::weekly::WeeklyView,
    daily: ui::daily::DailyView,
    reception_report: ui::reception_report::ReceptionReportView,
    claims: ui::claims::ClaimsView,
    claims_report: ui::claims_report::ClaimsReportView,
    my_cases: ui::transfers::MyCasesView,
    supervisor: ui::supervisor::SupervisorView,
    customers: ui::customers::CustomersView,
    incidents: ui::incidents::IncidentsView,
    waybills: ui::waybills::WaybillsView,
    settings_view: ui::settings::SettingsView,
    message: Option<StatusMessage>,
    started: Option<std::time::Instant>,
    last_activity: NaiveDateTime,
    login: ui::login::LoginView,
    config: Config,
    anchor_dir: Option<PathBuf>,
    backups: backups::Backups,
    backup_status: BackupStatus,
    /// An erase on request asked for the file and the backups to be scrubbed.
    purge_wanted: bool,
    /// The day the purge job was last started by this window.
    purge_started_on: Option<String>,
    /// Whether automatic backups and the daily purge run (see [`App::without_scheduled_work`]).
    scheduled_work: bool,
    /// The stamp of the visit an open dialog (registration, hand-over, seeing-off, cancel) acts
    /// on, taken when it opened: its save is refused if another desk changed the visit since.
    visit_form: Option<store::versions::Seen>,
    /// On a server: how far its clock is ahead of this PC's ([`App::with_clock_offset`]).
    clock_offset: Option<Duration>,
    /// How many reloads there were and what the last one loaded ([`App::reloaded`]).
    reloaded: (u64, Vec<&'static str>),
    /// With `--exit-after-frames`: the frames to draw, those drawn, the first frame's time.
    exit_after: Option<(u64, u64, Option<u128>)>,
    /// The lists and reports read on workers (a search or a report over years of records).
    reads: Reads,
    /// Answers of the reads are left waiting ([`App::hold_reads`]).
    reads_held: bool,
    /// The file's own check (`PRAGMA quick_check`) is still to start ([`App::with_file_check`]).
    file_check_due: bool,
    /// That check, on a worker: it reads the whole file (seconds for years of records).
    file_check: Background<(), Vec<String>>,
    /// Exports that read much (the whole customer archive), written on a worker; the status bar
    /// says "正在导出…" meanwhile, then where the file is or why it is not.
    exports: Background<u64, PathBuf>,
    /// Answers file dialogs: the system's, or a test's.
    file_picker: FilePicker,
    /// Opens a file written for the user (a PDF) in the system's viewer, or tells a test.
    file_opener: FileOpener,
    /// Sends a printed document to the default printer (none: this PC cannot, "直接打印" is not
    /// offered).
    printer: Option<Printer>,
    /// The document being written to go to the printer rather than to the viewer: its file and
    /// the record.
    direct_print: Option<(PathBuf, crate::pdf::documents::Record)>,
    export_seq: u64,
    /// Repaints the window from a worker (set at the first frame).
    wake: egui::Context,
    /// Set when the user asks to restore the damaged file from a backup: the window closes and
    /// the program opens the damaged-file window.
    recover: Arc<std::sync::Mutex<Option<Recover>>>,
}

/// The user asked to restore the damaged database file from a backup.
#[derive(Clone, Debug)]
pub struct Recover {
    /// What the file's check found.
    pub detail: String,
    /// The database's id (its backups carry it), when it could be read.
    pub database_id: Option<String>,
}

/// A page of the visit history: the filter and where the page starts.
type HistoryRequest = (visits::HistoryFilter, visits::Position);

/// The reads that run on workers, one of each kind at a time.
#[derive(Debug, Default)]
struct Reads {
    history: Background<HistoryRequest, visits::HistoryPage>,
    calls: Background<views::CallsKey, ui::calls::CallsPage>,
    call_case: Background<i64, ui::calls::CallCase>,
    complaints: Background<String, Vec<crate::domain::complaint::Complaint>>,
    complaint: Background<i64, ui::complaints::ComplaintDetail>,
    customers: Background<String, Vec<crate::domain::customer::Customer>>,
    revisits: Background<NaiveDate, Vec<(crate::domain::customer::Customer, Option<NaiveDate>)>>,
    customer: Background<i64, ui::customers::CustomerPage>,
    supervisor: Background<(), ui::supervisor::SupervisorData>,
    monthly: Background<String, ui::supervisor::Monthly>,
    photos: Background<i64, Vec<(i64, ui::supervisor::Decoded)>>,
    suggestions: Background<String, Vec<crate::domain::customer::Customer>>,
    call_suggestions: Background<String, Vec<crate::domain::customer::Customer>>,
    log: Background<i64, Vec<visits::LogEntry>>,
    weekly: Background<(String, NaiveDate), ui::weekly::WeekData>,
    reception_report:
        Background<ui::reception_report::Period, Vec<crate::report::reception::ReceptionRow>>,
    claims_report: Background<(String, NaiveDate), ui::claims_report::MonthData>,
    inbox: Background<(), Vec<store::inbox::Item>>,
    my_cases: Background<(i64, bool), store::transfers::MyCases>,
    claims: Background<
        ClaimsKey,
        (
            store::paging::Page<crate::domain::claim::Claim>,
            store::claims::Totals,
        ),
    >,
    claim: Background<i64, ui::claims::ClaimDetail>,
    thumbs: Background<Vec<i64>, Vec<(i64, ui::claims::Decoded)>>,
    full_image: Background<i64, Vec<(i64, ui::claims::Decoded)>>,
    incidents: Background<i64, store::incidents::IncidentPage>,
    waybills:
        Background<(store::waybill_changes::ChangeFilter, i64), store::waybill_changes::ChangePage>,
    daily: Background<ui::daily::DayKey, ui::daily::DeskDay>,
    attendance: Background<String, Vec<crate::domain::attendance::AttendanceSummary>>,
    day_reports: Background<NaiveDate, Vec<crate::domain::attendance::DailyReport>>,
}

/// The claims list's page to read: its filter and where the page starts.
type ClaimsKey = (store::claims::ClaimFilter, store::paging::Position);

impl Reads {
    fn busy(&self) -> bool {
        self.history.busy()
            || self.calls.busy()
            || self.call_case.busy()
            || self.complaints.busy()
            || self.complaint.busy()
            || self.customers.busy()
            || self.revisits.busy()
            || self.customer.busy()
            || self.supervisor.busy()
            || self.monthly.busy()
            || self.photos.busy()
            || self.suggestions.busy()
            || self.call_suggestions.busy()
            || self.log.busy()
            || self.weekly.busy()
            || self.reception_report.busy()
            || self.claims_report.busy()
            || self.inbox.busy()
            || self.my_cases.busy()
            || self.claims.busy()
            || self.claim.busy()
            || self.thumbs.busy()
            || self.full_image.busy()
            || self.incidents.busy()
            || self.waybills.busy()
            || self.daily.busy()
            || self.attendance.busy()
            || self.day_reports.busy()
    }

    fn wait(&mut self, timeout: std::time::Duration) {
        self.history.wait(timeout);
        self.calls.wait(timeout);
        self.call_case.wait(timeout);
        self.complaints.wait(timeout);
        self.complaint.wait(timeout);
        self.customers.wait(timeout);
        self.revisits.wait(timeout);
        self.customer.wait(timeout);
        self.supervisor.wait(timeout);
        self.monthly.wait(timeout);
        self.photos.wait(timeout);
        self.suggestions.wait(timeout);
        self.call_suggestions.wait(timeout);
        self.log.wait(timeout);
        self.weekly.wait(timeout);
        self.reception_report.wait(timeout);
        self.claims_report.wait(timeout);
        self.inbox.wait(timeout);
        self.my_cases.wait(timeout);
        self.claims.wait(timeout);
        self.claim.wait(timeout);
        self.thumbs.wait(timeout);
        self.full_image.wait(timeout);
        self.incidents.wait(timeout);
        self.waybills.wait(timeout);
        self.daily.wait(timeout);
        self.attendance.wait(timeout);
        self.day_reports.wait(timeout);
    }
}

/// Starts the read `want` asks for (when it asks for one) on a worker, as the store's actor,
/// and hands out an answer that arrived.
fn read_on_worker<K: Clone + PartialEq + Send + 'static, T: Send + 'static>(
    reads: &mut Background<K, T>,
    want: Option<K>,
    (store, held): (&Store, bool),
    ctx: &egui::Context,
    job: impl FnOnce(&Store, K) -> Result<T, StoreError> + Send + 'static,
) -> Option<(K, Result<T, StoreError>)> {
    if let Some(key) = want {
        let asked = key.clone();
        reads.request(
            &key,
            store.location().to_path_buf(),
            store.actor().clone(),
            ctx.clone(),
            move |store| job(store, asked),
        );
    }
    if held {
        return None;
    }
    reads.poll()
}

/// From how many seconds of difference between this PC's clock and the server's every screen
/// says so (records and timers use the server's time either way).
pub const CLOCK_NOTE_SECS: i64 = 5;

/// "本机时钟比服务器慢 12 秒 …" when the difference is at least `from_secs` seconds.
pub fn clock_note(offset: Option<Duration>, from_secs: i64) -> Option<String> {
    let secs = offset?.num_seconds();
    if secs.abs() < from_secs {
        return None;
    }
    let key = if secs > 0 {
        "app.clock_behind"
    } else {
        "app.clock_ahead"
    };
    Some(tf(key, &[("secs", &secs.abs().to_string())]))
}

impl App {
    /// Shows `config` (the files read and where the database and backups are) in Settings.
    pub fn with_config(mut self, config: Config) -> Self {
        if let Some(desk) = &config.desk_name {
            self.store.set_desk(&desk.value);
        }
        self.config = config;
        self.loaded = None;
        if let Err(e) = self.refresh() {
            tracing::warn!("cannot reload after the configuration changed: {e}");
        }
        self
    }

    /// Where the heads of the database's record of changes are kept outside the file (the store
    /// already knows; the restore's own store needs it too).
    pub fn with_anchor_dir(mut self, dir: Option<PathBuf>) -> Self {
        self.store.set_anchor_dir(dir.clone());
        self.anchor_dir = dir;
        self
    }

    /// Without the work the app schedules on its own (the automatic backups and the daily
    /// purge): for tests of other screens, whose frames should not wait for a worker started by
    /// the clock. The backup button, restores and the scrub after an erase still run.
    pub fn without_scheduled_work(mut self) -> Self {
        self.scheduled_work = false;
        self
    }

    /// With the file's own check (`PRAGMA quick_check`) run on a worker once the window is open:
    /// it reads the whole file, seconds for years of records, so the window does not wait for it.
    /// Automatic backups and the purge wait for it; when it finds damage, writes stop
    /// ([`Store::refuse_writes`]), a red bar says so and offers the damaged-file window
    /// ([`App::recover_request`]).
    pub fn with_file_check(mut self) -> Self {
        self.file_check_due = self.store.sqlite().is_ok();
        self
    }

    /// Filled when the user asked to restore the damaged file from a backup: the window closed
    /// and the damaged-file window should open.
    pub fn recover_request(&self) -> Arc<std::sync::Mutex<Option<Recover>>> {
        Arc::clone(&self.recover)
    }

    /// Whether the automatic backups and the daily purge may run now: not before the file's
    /// check said it is sound, never on a damaged file.
    fn scheduled_work_may_run(&self) -> bool {
        self.scheduled_work
            && !self.file_check_due
            && !self.file_check.busy()
            && self.store.writes_refused().is_none()
    }

    /// Says how an export on a worker ended.
    fn exports_done(&mut self) {
        if let Some((_, done)) = self.exports.poll() {
            self.show_export(done);
        }
    }

    fn show_export(&mut self, done: Result<PathBuf, StoreError>) {
        let direct = self.direct_print.take();
        self.message = Some(match (done, direct) {
            (Ok(path), Some((printed, record))) if path == printed => {
                let name = FileFor::Print(record).suggested_name();
                StatusMessage {
                    text: tf("print.sent", &[("name", name.trim_end_matches(".pdf"))]),
                    is_error: false,
                }
            }
            (Ok(path), _) => {
                // A printed document opens in the system's viewer, to print or to look at.
                let pdf = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
                if pdf {
                    (self.file_opener)(&path);
                }
                StatusMessage {
                    text: tf("app.exported_to", &[("path", &path.display().to_string())]),
                    is_error: false,
                }
            }
            (Err(e), _) => StatusMessage {
                text: e.user_message(),
                is_error: true,
            },
        });
    }

    /// One export at a time: a second one while the first is written is refused with a message
    /// (it would stop the first, whose file the user asked for).
    fn no_export_running(&mut self) -> Result<(), StoreError> {
        // One that has finished says so first.
        self.exports_done();
        if self.exports.busy() {
            return Err(DomainError::WrongState("app.export_busy").into());
        }
        Ok(())
    }

    /// The top bar's "停止导出": the export stops and its file is not written (or taken away);
    /// one that finished meanwhile says where its file is instead.
    fn stop_export(&mut self) {
        if let Some((_, done)) = self.exports.poll() {
            self.show_export(done);
            return;
        }
        self.exports.forget();
        self.message = Some(StatusMessage {
            text: t("app.export_stopped").to_owned(),
            is_error: false,
        });
    }

    /// Starts the file's check, and takes its answer.
    fn file_check(&mut self, ctx: &egui::Context) {
        if std::mem::take(&mut self.file_check_due) {
            self.file_check.request(
                &(),
                self.store.location().to_path_buf(),
                self.store.actor().clone(),
                ctx.clone(),
                |store| store.sqlite().and_then(store::backup::quick_check),
            );
        }
        let Some(((), answer)) = self.file_check.poll() else {
            return;
        };
        let detail = match answer {
            Ok(problems) if problems.is_empty() => {
                tracing::info!("the file's check found no damage");
                return;
            }
            Ok(problems) => problems.join("; "),
            Err(e) if e.may_be_damaged() => e.to_string(),
            Err(e) => {
                tracing::warn!("the file's check could not run: {e}");
                return;
            }
        };
        tracing::error!("{} is damaged: {detail}", self.store.path().display());
        self.store.refuse_writes(detail);
    }

    /// On a server: how far its clock is ahead of this PC's. The app's clock already runs on the
    /// server's time ([`Store::clock_for`]); this is for telling the user.
    pub fn with_clock_offset(mut self, offset: Option<Duration>) -> Self {
        self.clock_offset = offset;
        self
    }

    /// Closes the window after `n` frames, printing `first_frame_ms=…` on standard output (for
    /// measuring start-up); `None`: runs until closed.
    pub fn with_exit_after_frames(mut self, n: Option<u64>) -> Self {
        self.exit_after = n.map(|n| (n, 0, None));
        self
    }

    /// Remembers when the program started, to log the time to the first frame.
    pub fn with_start_time(mut self, started: std::time::Instant) -> Self {
        self.started = Some(started);
        self
    }

    /// Opens the app on `store` with `clock`.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        let settings = store::settings::load_for_desk(store.db(), store.desk())?;
        i18n::set_lang(settings.lang);
        let staff = staff::all(store.db())?;
        let config = Config::for_database(store.path());
        let mut app = Self {
            config,
            store,
            clock,
            settings_view: ui::settings::SettingsView::new(&settings),
            settings,
            staff,
            screen: Screen::Reception,
            board: BoardData::default(),
            loaded: None,
            reception: ui::reception::ReceptionView::default(),
            history: ui::history::HistoryView::default(),
            calls: ui::calls::CallsView::default(),
            complaints: ui::complaints::ComplaintsView::default(),
            inbox: ui::inbox::InboxView::default(),
            weekly: ui::weekly::WeeklyView::default(),
            daily: ui::daily::DailyView::default(),
            reception_report: ui::reception_report::ReceptionReportView::default(),
            claims: ui::claims::ClaimsView::default(),
            claims_report: ui::claims_report::ClaimsReportView::default(),
            my_cases: ui::transfers::MyCasesView::default(),
            supervisor: ui::supervisor::SupervisorView::default(),
            customers: ui::customers::CustomersView::default(),
            incidents: ui::incidents::IncidentsView::default(),
            waybills: ui::waybills::WaybillsView::default(),
            message: None,
            started: None,
            last_activity: NaiveDateTime::default(),
            login: ui::login::LoginView::default(),
            anchor_dir: None,
            backups: backups::Backups::default(),
            backup_status: BackupStatus::default(),
            purge_wanted: false,
            purge_started_on: None,
            scheduled_work: true,
            visit_form: None,
            clock_offset: None,
            reloaded: (0, Vec::new()),
            reads: Reads::default(),
            reads_held: false,
            file_check_due: false,
            file_check: Background::default(),
            recover: Arc::default(),
            exports: Background::default(),
            file_picker: Box::new(files::system_dialog),
            file_opener: Box::new(files::system_viewer),
            printer: crate::platform::can_print_directly()
                .then(|| Arc::new(crate::platform::print_to_default_printer) as Printer),
            direct_print: None,
            export_seq: 0,
            wake: egui::Context::default(),
            exit_after: None,
        };
        app.refresh()?;
        Ok(app)
    }

    /// The store (tests read saved rows through it).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The current settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The status-bar message, if any.
    pub fn message(&self) -> Option<&StatusMessage> {
        self.message.as_ref()
    }

    /// The reception board's cached data.
    pub fn board(&self) -> &BoardData {
        &self.board
    }

    /// The screen shown.
    pub fn screen(&self) -> Screen {
        self.screen
    }

    /// Whether backup work (a backup, a restore, a folder listing, a check) still runs on a
    /// worker thread (tests wait for it).
    pub fn backup_work_pending(&self) -> bool {
        self.backups.busy()
    }

    fn now(&self) -> NaiveDateTime {
        self.clock.now()
    }

    /// Reloads cached data when the store changed or the day turned.
    fn refresh(&mut self) -> Result<(), StoreError> {
        let now = self.now();
        let key = (
            self.store.generation(),
            self.store.data_version()?,
            now.date(),
        );
        if self.loaded == Some(key) {
            return Ok(());
        }
        // Another desk's change on a server: only what the tables it changed feed is loaded
        // again. Everything after this desk's own writes, a new day, another program's change to
        // the file, or when the tables are not known.
        let heard = self
            .store
            .watch()
            .map(store::watch::Watch::take_tables)
            .unwrap_or_default();
        let scope = match self.loaded {
            Some((generation, _, day))
                if generation == key.0 && day == key.2 && !heard.is_empty() =>
            {
                Some(heard)
            }
            _ => None,
        };
        let feeds = |tables: &[&str]| {
            scope
                .as_ref()
                .is_none_or(|changed| tables.iter().any(|t| changed.contains(*t)))
        };
        let mut reloaded = Vec::new();
        let conn = self.store.db();
        if feeds(&["settings"]) {
            self.settings = store::settings::load_for_desk(conn, self.store.desk())?;
            reloaded.push("settings");
        }
        if feeds(&["staff"]) {
            self.staff = staff::all(conn)?;
            reloaded.push("staff");
        }
        if feeds(&["settings", "visits", "visit_log"]) {
            let day_start = now.date().and_hms_opt(0, 0, 0).unwrap_or(now);
            let today = visits::arrived_between(conn, day_start, day_start + Duration::days(1))?;
            self.board.present = visits::present(conn)?;
            self.board.logs = visits::present_logs(conn)?;
            self.board.today = DayCounts::of(&today, &self.settings.rules);
            reloaded.push("board");
        }
        if feeds(&["callbacks"]) {
            self.board.callbacks = store::callbacks::open_until(conn, now.date())?;
            reloaded.push("callbacks");
        }
        if feeds(&["inbox"]) {
            let supervisor = self
                .store
                .actor()
                .require(Action::ReadSupervisorData)
                .is_ok();
            self.board.inbox_open = if supervisor {
                store::inbox::open_count(conn)?
            } else {
                0
            };
            reloaded.push("inbox");
        }
        if feeds(&["complaint_categories", "claim_causes", "accounts"]) {
            self.board.categories = store::complaints::categories(conn)?;
            self.board.causes = store::claims::causes(conn)?;
            self.board.has_accounts = store::accounts::count(conn)? > 0;
        }
        if feeds(&["incidents"]) {
            self.board.incidents_open = store::incidents::open_count(conn)?;
            reloaded.push("incidents_open");
        }
        if feeds(&["waybill_changes"]) {
            self.board.waybills_open = store::waybill_changes::open_count(conn)?;
            reloaded.push("waybills_open");
        }
        if scope.is_none() {
            self.backup_status.counts = backups::rotation_counts(conn, &self.config)?;
        }
        self.forget_screens(&feeds, &mut reloaded);
        self.reloaded = (self.reloaded.0 + 1, reloaded);
        self.loaded = Some(key);
        Ok(())
    }

    /// Forgets what each screen shows when the tables it shows were changed (`feeds`), and
    /// notes its name in `reloaded`: the screen asks again, and a read in flight is dropped.
    fn forget_screens(
        &mut self,
        feeds: &dyn Fn(&[&str]) -> bool,
        reloaded: &mut Vec<&'static str>,
    ) {
        const CLAIMS: &[&str] = &[
            "claims",
            "claim_parties",
            "claim_events",
            "claim_files",
            "claim_causes",
            "case_transfers",
            "staff",
        ];
        const COMPLAINTS: &[&str] = &[
            "complaints",
            "complaint_events",
            "complaint_categories",
            "claims",
            "case_transfers",
            "staff",
        ];
        // Each screen's cache, by the tables it shows (none: every table).
        let mut due = |tables: &[&str], name: &'static str| {
            let due = tables.is_empty() || feeds(tables);
            if due {
                reloaded.push(name);
            }
            due
        };
        if due(CLAIMS, "claims") {
            self.claims.invalidate();
            self.reads.claims.forget();
            self.reads.claim.forget();
        }
        if due(
            &["claims", "claim_events", "claim_causes", "claim_months"],
            "claims_report",
        ) {
            self.claims_report.invalidate();
            self.reads.claims_report.forget();
        }
        if due(
            &[
                "customers",
                "visits",
                "calls",
                "complaints",
                "claims",
                "credit_history",
                "callbacks",
            ],
            "customers",
        ) {
            self.customers.invalidate();
            self.reads.customers.forget();
            self.reads.revisits.forget();
            self.reads.customer.forget();
        }
        if due(&["visits", "visit_log", "customers", "staff"], "history") {
            self.history.invalidate();
            self.reads.history.forget();
            self.reads.log.forget();
        }
        if due(
            &[
                "calls",
                "callbacks",
                "claims",
                "complaints",
                "case_transfers",
                "staff",
            ],
            "calls",
        ) {
            self.calls.invalidate();
            self.reads.calls.forget();
            self.reads.call_case.forget();
        }
        if due(COMPLAINTS, "complaints") {
            self.complaints.invalidate();
            self.reads.complaints.forget();
            self.reads.complaint.forget();
        }
        if due(
            &[
                "case_transfers",
                "complaints",
                "claims",
                "staff",
                "settings",
                "waybill_changes",
            ],
            "my_cases",
        ) {
            self.my_cases.invalidate();
            self.reads.my_cases.forget();
        }
        if due(&["inbox"], "inbox_list") {
            self.inbox.invalidate();
            self.reads.inbox.forget();
        }
        if due(
            &[
                "complaints",
                "complaint_events",
                "complaint_weeks",
                "complaint_categories",
            ],
            "weekly",
        ) {
            self.weekly.invalidate();
            self.reads.weekly.forget();
        }
        if due(&["visits", "settings"], "reception_report") {
            self.reception_report.invalidate();
            self.reads.reception_report.forget();
        }
        if due(&["incidents", "staff"], "incidents") {
            self.incidents.invalidate();
            self.reads.incidents.forget();
        }
        if due(&["waybill_changes", "staff"], "waybills") {
            self.waybills.invalidate();
            self.reads.waybills.forget();
        }
        // The supervisor's dashboard and reports sum up every kind of record.
        if due(&[], "supervisor") {
            self.supervisor.invalidate();
            self.reads.supervisor.forget();
            self.reads.monthly.forget();
            self.reads.attendance.forget();
            self.reads.day_reports.forget();
        }
        if due(
            &[
                "attendance",
                "daily_reports",
                "visits",
                "calls",
                "complaints",
                "complaint_events",
                "callbacks",
                "claim_events",
                "settings",
            ],
            "daily",
        ) {
            self.daily.invalidate();
            self.reads.daily.forget();
        }
    }

    /// Whether a read on a worker is still running (tests wait for it).
    pub fn loading(&self) -> bool {
        self.reads.busy() || self.file_check.busy() || self.exports.busy()
    }

    /// How many reloads there were, and what the last one loaded again ("board", "complaints",
    /// …): after another desk's change on a server, only what the changed tables feed (tests
    /// check it).
    pub fn reloaded(&self) -> (u64, &[&'static str]) {
        (self.reloaded.0, &self.reloaded.1)
    }

    /// Loads what the open forms and lists need (suggestions, the lists and reports read on
    /// workers, the selected records), only when their inputs changed.
    /// Returns whether anything was loaded (the screen then needs another frame).
    fn load_view_data(&mut self, ctx: &egui::Context) -> Result<bool, StoreError> {
        self.note_visit_form()?;
        let now = self.clock.now();
        let mut loaded = self.read_lists(ctx, now)?;
        let on_calls = self.screen == Screen::Calls;
        let (store, reads) = ((&self.store, self.reads_held), &mut self.reads);
        let want = self.reception.suggestion_query_to_load();
        if let Some((query, answer)) =
            read_on_worker(&mut reads.suggestions, want, store, ctx, |s, query| {
                customers::suggest(s.db(), &query, 8)
            })
        {
            self.reception.set_suggestions(query, answer?);
            loaded = true;
        }
        // The call screen's complaint form and the calls' suggestions.
        let want = self.calls.suggestion_query_to_load();
        if let Some((query, answer)) =
            read_on_worker(&mut reads.call_suggestions, want, store, ctx, |s, query| {
                customers::suggest(s.db(), &query, 6)
            })
        {
            self.calls.set_suggestions(query, answer?);
            loaded = true;
        }
        // The case panel of a call (首问负责制).
        let want = self.calls.case_to_load().filter(|_| on_calls);
        if let Some((id, answer)) =
            read_on_worker(&mut reads.call_case, want, store, ctx, |s, id| {
                views::fetch_call_case(s.db(), id)
            })
        {
            self.calls.set_case(id, answer?);
            loaded = true;
        }
        let want = self.history.log_to_load();
        if let Some((id, answer)) = read_on_worker(&mut reads.log, want, store, ctx, |s, id| {
            visits::log_of(s.db(), id)
        }) {
            self.history.set_log(id, answer?);
            loaded = true;
        }
        Ok(loaded)
    }

    /// The lists and reports that may read much (a search or a report over years of records),
    /// read on workers while their screen is shown; the screen keeps what it had, with a spinner,
    /// until the answer is there. Returns whether an answer was shown.
    fn read_lists(&mut self, ctx: &egui::Context, now: NaiveDateTime) -> Result<bool, StoreError> {
        let (store, screen, reads) = ((&self.store, self.reads_held), self.screen, &mut self.reads);
        let on = |s: Screen| screen == s;
        let mut loaded = false;
        let want = self.history.page_to_load().filter(|_| on(Screen::History));
        if let Some((request, answer)) =
            read_on_worker(&mut reads.history, want, store, ctx, |store, key| {
                let (filter, position) = key;
                visits::history_page(store.db(), &filter, position, ui::history::PAGE_SIZE)
            })
        {
            // An answer to what the screen no longer asks is dropped.
            self.history.set_page(request, answer?);
            loaded = true;
        }
        self.history.set_loading(reads.history.busy());
        let want = self.calls.page_to_load().filter(|_| on(Screen::Calls));
        if let Some((key, answer)) = read_on_worker(&mut reads.calls, want, store, ctx, |s, key| {
            views::fetch_calls(s.db(), &key)
        }) {
            self.calls.set_page(key, answer?);
            loaded = true;
        }
        let want = self
            .complaints
            .list_to_load()
            .filter(|_| on(Screen::Complaints));
        if let Some((text, answer)) =
            read_on_worker(&mut reads.complaints, want, store, ctx, move |s, text| {
                views::fetch_complaints(s.db(), &text, now)
            })
        {
            self.complaints.set_list(&text, answer?);
            loaded = true;
        }
        let want = self
            .complaints
            .detail_to_load()
            .filter(|_| on(Screen::Complaints));
        if let Some((id, answer)) =
            read_on_worker(&mut reads.complaint, want, store, ctx, |s, id| {
                views::fetch_complaint(s.db(), id)
            })
        {
            self.complaints.set_detail(id, answer?);
            loaded = true;
        }
        let want = self
            .customers
            .search_to_load()
            .filter(|_| on(Screen::Customers));
        if let Some((query, answer)) =
            read_on_worker(&mut reads.customers, want, store, ctx, |s, query| {
                customers::search(s.db(), &query, 100)
            })
        {
            self.customers.set_results(query, answer?);
            loaded = true;
        }
        let want = self
            .customers
            .due_to_load(now.date())
            .filter(|_| on(Screen::Customers));
        if let Some((day, answer)) =
            read_on_worker(&mut reads.revisits, want, store, ctx, |s, day| {
                customers::revisit_due(s.db(), day)
            })
        {
            self.customers.set_due(day, answer?);
            loaded = true;
        }
        let want = self
            .customers
            .page_to_load()
            .filter(|_| on(Screen::Customers));
        if let Some((id, answer)) =
            read_on_worker(&mut reads.customer, want, store, ctx, |s, id| {
                views::fetch_customer(s.db(), id)
            })
        {
            self.customers.set_page(id, answer?);
            loaded = true;
        }
        let want = self
            .supervisor
            .to_load()
            .filter(|_| on(Screen::Supervision));
        let settings = self.settings.clone();
        if let Some(((), answer)) =
            read_on_worker(&mut reads.supervisor, want, store, ctx, move |s, ()| {
                views::fetch_supervisor(s, now, &settings)
            })
        {
            self.supervisor.set_data(answer?);
            loaded = true;
        }
        let want = if on(Screen::Supervision) && self.supervisor.is_loaded() {
            self.supervisor.monthly_to_load(now.date())
        } else {
            None
        };
        let settings = self.settings.clone();
        if let Some((month, answer)) =
            read_on_worker(&mut reads.monthly, want, store, ctx, move |s, month| {
                supervision::monthly(s, &month, now, &settings)
            })
        {
            self.supervisor.set_monthly(month, answer?);
            loaded = true;
        }
        let want = self
            .supervisor
            .photos_to_load()
            .filter(|_| on(Screen::Supervision));
        if let Some((_, answer)) = read_on_worker(&mut reads.photos, want, store, ctx, |s, id| {
            views::fetch_inspection_photos(s, id)
        }) {
            self.supervisor.set_photos(ctx, answer?);
            loaded = true;
        }
        let want = self
            .incidents
            .page_to_load()
            .filter(|_| on(Screen::Incidents));
        if let Some((offset, answer)) =
            read_on_worker(&mut reads.incidents, want, store, ctx, |s, offset| {
                store::incidents::page(s.db(), offset, ui::incidents::PAGE_SIZE)
            })
        {
            self.incidents.set_page(offset, answer?);
            loaded = true;
        }
        let want = self
            .waybills
            .page_to_load()
            .filter(|_| on(Screen::Waybills));
        if let Some((key, answer)) = read_on_worker(
            &mut reads.waybills,
            want,
            store,
            ctx,
            |s, (filter, offset)| {
                store::waybill_changes::page(s.db(), filter, offset, ui::waybills::PAGE_SIZE)
            },
        ) {
            self.waybills.set_page(key, answer?);
            loaded = true;
        }
        loaded |= self.read_reports(ctx, now)?;
        loaded |= self.read_claims(ctx)?;
        loaded |= self.read_staff_days(ctx, now)?;
        Ok(loaded)
    }

    /// The claims list, the claim shown and its evidence images, read (and the images decoded)
    /// on workers while the claims screen is shown.
    fn read_claims(&mut self, ctx: &egui::Context) -> Result<bool, StoreError> {
        let (store, reads, v) = (
            (&self.store, self.reads_held),
            &mut self.reads,
            &mut self.claims,
        );
        let on = self.screen == Screen::Claims;
        let mut loaded = false;
        let want = v.list_to_load().filter(|_| on);
        if let Some((key, answer)) =
            read_on_worker(&mut reads.claims, want, store, ctx, |s, key| {
                views::fetch_claims(s.db(), &key)
            })
        {
            let (page, totals) = answer?;
            v.set_list(key, page, totals);
            loaded = true;
        }
        let want = v.detail_to_load().filter(|_| on);
        if let Some((id, answer)) = read_on_worker(&mut reads.claim, want, store, ctx, |s, id| {
            views::fetch_claim(s.db(), id)
        }) {
            v.set_detail(id, answer?);
            loaded = true;
        }
        let want = v.thumbs_to_load().filter(|_| on);
        if let Some((_, answer)) = read_on_worker(&mut reads.thumbs, want, store, ctx, |s, ids| {
            views::fetch_images(s.db(), &ids, ui::claims::THUMB_SIDE)
        }) {
            v.set_thumbs(ctx, answer?);
            loaded = true;
        }
        let want = v.full_to_load().filter(|_| on);
        if let Some((id, answer)) =
            read_on_worker(&mut reads.full_image, want, store, ctx, |s, id| {
                views::fetch_images(s.db(), &[id], ui::claims::FULL_SIDE)
            })
        {
            let image = answer?.pop().and_then(|(_, image)| image);
            v.set_full(ctx, id, image);
            loaded = true;
        }
        Ok(loaded)
    }

    /// The person on duty's day (every screen: the top bar shows their sign-in), and the
    /// supervisors' attendance and daily report tabs, read on workers.
    fn read_staff_days(
        &mut self,
        ctx: &egui::Context,
        now: NaiveDateTime,
    ) -> Result<bool, StoreError> {
        let (store, screen, reads) = ((&self.store, self.reads_held), self.screen, &mut self.reads);
        let mut loaded = false;
        let want = self.daily.today_to_load(
            self.settings.operator_id,
            now.date(),
            screen == Screen::DailyReport,
        );
        let limit = self.settings.rules.greeting_limit_secs;
        if let Some((key, answer)) =
            read_on_worker(&mut reads.daily, want, store, ctx, move |s, key| {
                views::fetch_desk_day(s.db(), key, limit)
            })
        {
            self.daily.set_today(key, answer?);
            loaded = true;
        }
        let on = screen == Screen::Supervision;
        let want = self
            .supervisor
            .attendance_to_load(now.date())
            .filter(|_| on);
        let settings = self.settings.clone();
        if let Some((month, answer)) =
            read_on_worker(&mut reads.attendance, want, store, ctx, move |s, month| {
                supervision::attendance_month(s, &month, now, &settings)
            })
        {
            self.supervisor.set_attendance(month, answer?);
            loaded = true;
        }
        let want = self
            .supervisor
            .daily_reports_to_load(now.date())
            .filter(|_| on);
        if let Some((day, answer)) =
            read_on_worker(&mut reads.day_reports, want, store, ctx, |s, day| {
                supervision::daily_reports(s, day)
            })
        {
            self.supervisor.set_daily_reports(day, answer?);
            loaded = true;
        }
        Ok(loaded)
    }

    /// The weekly complaint report, the monthly claims report and the inbox, read on workers
    /// while their screen is shown.
    fn read_reports(
        &mut self,
        ctx: &egui::Context,
        now: NaiveDateTime,
    ) -> Result<bool, StoreError> {
        let (store, screen, reads) = ((&self.store, self.reads_held), self.screen, &mut self.reads);
        let mut loaded = false;
        let want = if screen == Screen::Weekly {
            self.weekly.week_to_load(now.date())
        } else {
            None
        };
        let settings = self.settings.clone();
        if let Some(((week, _), answer)) =
            read_on_worker(&mut reads.weekly, want, store, ctx, move |s, key| {
                views::fetch_weekly(s.db(), &key, now, &settings)
            })
        {
            self.weekly.set_week(week, answer?);
            loaded = true;
        }
        let want = if screen == Screen::ReceptionReport {
            self.reception_report.period_to_load(now.date())
        } else {
            None
        };
        let limit = self.settings.rules.greeting_limit_secs;
        if let Some((period, answer)) = read_on_worker(
            &mut reads.reception_report,
            want,
            store,
            ctx,
            move |s, key| views::reception_rows(s.db(), key, limit),
        ) {
            self.reception_report.set_rows(period, answer?);
            loaded = true;
        }
        let want = if screen == Screen::ClaimsReport {
            self.claims_report.month_to_load(now.date())
        } else {
            None
        };
        if let Some(((month, _), answer)) =
            read_on_worker(&mut reads.claims_report, want, store, ctx, move |s, key| {
                views::fetch_claims_report(s.db(), &key, now)
            })
        {
            self.claims_report.set_month(month, answer?);
            loaded = true;
        }
        let supervisor = self
            .store
            .actor()
            .require(Action::ReadSupervisorData)
            .is_ok();
        let want = if screen == Screen::MyCases {
            self.my_cases
                .to_load(self.settings.operator_id)
                .map(|staff| (staff, supervisor))
        } else {
            None
        };
        if let Some(((staff, _), answer)) =
            read_on_worker(&mut reads.my_cases, want, store, ctx, |s, (staff, all)| {
                store::transfers::my_cases(s.db(), staff, all)
            })
        {
            self.my_cases.set_cases(staff, answer?);
            loaded = true;
        }
        let want = self.inbox.to_load().filter(|()| screen == Screen::Inbox);
        if let Some(((), answer)) = read_on_worker(&mut reads.inbox, want, store, ctx, |s, ()| {
            views::fetch_inbox(s)
        }) {
            self.inbox.set_items(answer?);
            loaded = true;
        }
        Ok(loaded)
    }

    /// Tests: while `held`, the answers of the reads on workers are not taken (the screens show
    /// what they showed, with the spinner), as when the disk or the server is slow.
    pub fn hold_reads(&mut self, held: bool) {
        self.reads_held = held;
    }

    /// Tests: while `held`, backup jobs (backups, the purge) wait at each step until they are
    /// stopped, as long ones do on years of records.
    pub fn hold_backup_jobs(&self, held: bool) {
        self.backups.hold(held);
    }

    /// Tests: waits up to `timeout` for the reads started on workers to answer, so that the
    /// next frame shows them (the window itself never waits).
    pub fn wait_for_reads(&mut self, timeout: std::time::Duration) {
        self.reads.wait(timeout);
        self.file_check.wait(timeout);
        self.exports.wait(timeout);
    }

    /// Applies one command in one transaction; on error nothing is written. Returns the id of
    /// a record it created, if any.
    ///
    /// A command that changes a visit, complaint or claim is refused with
    /// [`StoreError::Changed`] when another desk changed that record after this screen showed it
    /// (or after its form was opened); the screen then shows the newer state, keeps what was
    /// typed, and the same save goes through when made again.
    pub fn apply(&mut self, cmd: &Command) -> Result<Option<i64>, StoreError> {
        let seen = self.seen_for(cmd);
        self.store.expect_unchanged(seen);
        let result = self.apply_command(cmd);
        self.store.expect_unchanged(None);
        if let (Err(StoreError::Changed { stamp, .. }), Some(seen)) = (&result, seen) {
            self.changed_elsewhere(seen, *stamp);
        }
        result
    }

    /// What the screen showed of the record `cmd` changes ([`store::versions`]).
    fn seen_for(&self, cmd: &Command) -> Option<store::versions::Seen> {
        use store::versions::{Record, Seen};
        let visit = |id: i64| {
            self.visit_form.filter(|s| s.id == id).or_else(|| {
                Some(Seen {
                    record: Record::Visit,
                    id,
                    stamp: self.board_stamp(id)?,
                })
            })
        };
        let shown = |record: Record, based_on: Option<(i64, i64)>, id: Option<i64>| {
            based_on
                .filter(|(shown, _)| id.is_none_or(|id| id == *shown))
                .map(|(id, stamp)| Seen { record, id, stamp })
        };
        match cmd {
            Command::Greet(id) | Command::ServeWater(id) | Command::StartSeeOff(id) => visit(*id),
            Command::Register {
                visit_id: Some(id), ..
            } => visit(*id),
            Command::Correct { visit_id, .. }
            | Command::HandOver { visit_id, .. }
            | Command::Depart { visit_id, .. }
            | Command::Cancel { visit_id, .. } => visit(*visit_id),
            Command::Service(s) => match s.changes()? {
                (Record::Complaint, id) => shown(Record::Complaint, self.complaints.based_on(), id),
                (Record::Claim, id) => shown(Record::Claim, self.claims.based_on(), id),
                (Record::Visit, _) => None,
            },
            _ => None,
        }
    }

    /// Another desk changed the record first: the screen reloads it, what was typed stays, and
    /// the forms now count as based on the newer state (saving again goes through).
    fn changed_elsewhere(&mut self, seen: store::versions::Seen, stamp: i64) {
        use store::versions::Record;
        match seen.record {
            Record::Complaint => {
                self.complaints.changed_elsewhere(seen.id, stamp);
                self.reads.complaint.forget();
            }
            Record::Claim => {
                self.claims.changed_elsewhere(seen.id, stamp);
                self.reads.claim.forget();
            }
            Record::Visit => {
                if let Some(form) = self.visit_form.as_mut().filter(|f| f.id == seen.id) {
                    form.stamp = stamp;
                }
            }
        }
        // The board and lists show the other desk's change at once.
        self.loaded = None;
    }

    /// The stamp of visit `id` as the board shows it (its newest step), if it is on the board.
    fn board_stamp(&self, id: i64) -> Option<i64> {
        Some(self.board.logs.get(&id)?.last()?.id)
    }

    /// Notes the stamp of the visit a dialog was opened on: the board's (what the user saw),
    /// else the stored one (a visit from the history).
    fn note_visit_form(&mut self) -> Result<(), StoreError> {
        use store::versions::{Record, Seen};
        let open = self
            .reception
            .dialog_visit()
            .or_else(|| self.history.dialog_visit());
        match open {
            None => self.visit_form = None,
            Some(id) if self.visit_form.is_none_or(|f| f.id != id) => {
                let stamp = match self.board_stamp(id) {
                    Some(stamp) => stamp,
                    None => store::versions::stamp(self.store.db(), Record::Visit, id)?,
                };
                self.visit_form = Some(Seen {
                    record: Record::Visit,
                    id,
                    stamp,
                });
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn apply_command(&mut self, cmd: &Command) -> Result<Option<i64>, StoreError> {
        let now = whole_seconds(self.now());
        // A write during a restore would be overwritten by it (or wait for it): refused.
        if self.backups.restoring() && !is_navigation(cmd) {
            return Err(DomainError::WrongState("backup.restoring").into());
        }
        let me = self.settings.operator_id;
        let mut created = None;
        match cmd {
            Command::Arrive
            | Command::Greet(_)
            | Command::ServeWater(_)
            | Command::Register { .. }
            | Command::Correct { .. }
            | Command::HandOver { .. }
            | Command::StartSeeOff(_)
            | Command::Depart { .. }
            | Command::Cancel { .. } => self.apply_visit(cmd, now, me)?,
            Command::SetOperator(_)
            | Command::SetLang(_)
            | Command::SaveSettings(_)
            | Command::AddStaff { .. }
            | Command::UpdateStaff(_)
            | Command::SetRetention(_) => self.apply_settings(cmd, now)?,
            Command::Login { .. }
            | Command::ShowLogin
            | Command::Goto(_)
            | Command::SupervisorTab(_)
            | Command::Logout
            | Command::CreateFirstAdmin { .. } => self.apply_session(cmd, now)?,
            Command::Service(_) | Command::Supervisor(_) | Command::Waybill(_)
                if is_export(cmd) =>
            {
                self.export_on_worker(cmd, now)?;
            }
            Command::Service(s) => {
                created = service::apply(&mut self.store, s, now, me, &self.settings)?;
            }
            Command::Supervisor(s) => {
                created = supervision::apply(&mut self.store, s, now)?;
            }
            Command::PickFile(want) => {
                if let Some(next) = self.pick_file(want) {
                    created = self.apply_command(&next)?;
                }
            }
            Command::PrintDirect(record) => self.print_directly(*record, now)?,
            Command::Customer(c) => self.apply_customer(c, now)?,
            Command::Incident(c) => created = incidents::apply(&mut self.store, c, now, me)?,
            Command::Waybill(c) => created = waybills::apply(&mut self.store, c, now, me)?,
            Command::OpenWaybillForm(draft) => {
                self.screen = Screen::Waybills;
                self.waybills.open_form((**draft).clone());
            }
            Command::OpenWaybill(change) => {
                self.screen = Screen::Waybills;
                self.waybills.pick((**change).clone());
            }
            Command::OpenComplaint(id) => {
                self.screen = Screen::Complaints;
                self.complaints.select(*id);
            }
            Command::OpenClaimForm(draft) => {
                self.screen = Screen::Claims;
                self.claims.open_form((**draft).clone());
            }
            Command::OpenClaim(id) => {
                self.screen = Screen::Claims;
                self.claims.select(*id);
            }
            Command::OpenCall(id) => {
                self.screen = Screen::Calls;
                self.calls.open_case(*id);
            }
            Command::Backup(b) => self.apply_backup(b, now)?,
            Command::StopExport => self.stop_export(),
        }
        self.refresh()?;
        Ok(created)
    }

    /// A step of a visit: one sealed write.
    fn apply_visit(
        &mut self,
        cmd: &Command,
        now: NaiveDateTime,
        me: Option<i64>,
    ) -> Result<(), StoreError> {
        match cmd {
            Command::Arrive => {
                self.store.write(|tx| visits::arrive(tx, now, me))?;
            }
            Command::Greet(id) => {
                self.store.write(|tx| {
                    visits::change(tx, *id, now, me, "greet", "", |v| v.greet(me, now))
                })?;
            }
            Command::ServeWater(id) => {
                self.store.write(|tx| {
                    visits::change(tx, *id, now, me, "water", "", |v| v.serve_water(me, now))
                })?;
            }
            Command::Register { visit_id, draft } => {
                let reg = draft.validate()?;
                self.store
                    .write(|tx| visits::register(tx, *visit_id, &reg, now, me))?;
            }
            Command::Correct {
                visit_id,
                draft,
                reason,
            } => {
                let reg = draft.validate()?;
                self.store
                    .write(|tx| visits::correct(tx, *visit_id, &reg, reason, now, me))?;
            }
            Command::HandOver {
                visit_id,
                to,
                purpose,
            } => {
                let Some(to) = *to else {
                    return Err(DomainError::Invalid {
                        field: "handover.to",
                        reason: "err.required",
                    }
                    .into());
                };
                let detail = format!("to={to}");
                self.store.write(|tx| {
                    visits::change(tx, *visit_id, now, me, "hand_over", &detail, |v| {
                        v.hand_over(to, purpose, now)
                    })
                })?;
            }
            Command::StartSeeOff(id) => {
                self.store.write(|tx| {
                    visits::change(tx, *id, now, me, "see_off", "", |v| v.start_seeing_off(now))
                })?;
            }
            Command::Depart {
                visit_id,
                checklist,
            } => {
                self.store.write(|tx| {
                    visits::change(tx, *visit_id, now, me, "depart", "", |v| {
                        v.depart(checklist, me, now)
                    })
                })?;
            }
            Command::Cancel { visit_id, reason } => {
                self.store.write(|tx| {
                    visits::change(tx, *visit_id, now, me, "cancel", reason.trim(), |v| {
                        v.cancel(reason, now)
                    })
                })?;
            }
            _ => {}
        }
        Ok(())
    }

    /// This desk's operator and language, the shared settings, staff and retention.
    fn apply_settings(&mut self, cmd: &Command, now: NaiveDateTime) -> Result<(), StoreError> {
        match cmd {
            Command::SetOperator(id) => {
                // Choosing the person on duty is their sign-in of the day (签到), in the same
                // transaction; a second pick the same day keeps the first sign-in.
                let desk = self.store.desk().to_owned();
                self.store.write(|tx| {
                    store::settings::set_desk_operator(tx, &desk, *id)?;
                    if let Some(staff_id) = id {
                        store::attendance::sign_in(tx, *staff_id, now, &desk)?;
                    }
                    Ok(())
                })?;
            }
            Command::SetLang(lang) => {
                let desk = self.store.desk().to_owned();
                self.store
                    .write(|tx| store::settings::set_desk_lang(tx, &desk, *lang))?;
                i18n::set_lang(*lang);
            }
            Command::SaveSettings(settings) => {
                let before = format!("{:?}", self.settings);
                self.store.write_as(Action::ChangeSettings, |tx| {
                    // This desk's operator and language are its own (set above); the shared
                    // values the other desks fall back to stay as they are.
                    let shared = store::settings::load(tx)?;
                    store::settings::save(
                        tx,
                        &Settings {
                            operator_id: shared.operator_id,
                            lang: shared.lang,
                            ..(**settings).clone()
                        },
                    )?;
                    store::audit::record(
                        tx,
                        now,
                        "update",
                        "settings",
                        None,
                        &before,
                        &format!("{settings:?}"),
                    )
                })?;
                i18n::set_lang(settings.lang);
            }
            Command::AddStaff { name, role } => {
                self.store.write_as(Action::ChangeSettings, |tx| {
                    let id = staff::add(tx, name, *role, now)?;
                    store::audit::record(
                        tx,
                        now,
                        "create",
                        "staff",
                        Some(id),
                        "",
                        &format!("{name} {}", role.code()),
                    )
                })?;
            }
            Command::UpdateStaff(s) => {
                self.store.write_as(Action::ChangeSettings, |tx| {
                    staff::update(tx, s)?;
                    store::audit::record(
                        tx,
                        now,
                        "update",
                        "staff",
                        Some(s.id),
                        "",
                        &format!("{} {} active={}", s.name, s.role.code(), s.active),
                    )
                })?;
            }
            Command::SetRetention(r) => {
                self.store.write_as(Action::ManageAccounts, |tx| {
                    store::privacy::set_retention(tx, *r, now)
                })?;
            }
            _ => {}
        }
        Ok(())
    }

    /// Signing in and out, and moving between screens.
    fn apply_session(&mut self, cmd: &Command, now: NaiveDateTime) -> Result<(), StoreError> {
        match cmd {
            Command::Login { username, password } => {
                let actor =
                    store::accounts::login_or_refuse(&mut self.store, username, password, now)?;
                self.store.set_actor(actor);
                self.last_activity = now;
            }
            Command::ShowLogin => self.login.open(),
            Command::Goto(screen) => self.screen = *screen,
            Command::SupervisorTab(tab) => {
                self.screen = Screen::Supervision;
                self.supervisor.show_tab(*tab);
            }
            Command::Logout => {
                self.store.set_actor(Actor::desk());
                if self.screen.needs_supervisor() {
                    self.screen = Screen::Reception;
                }
            }
            Command::CreateFirstAdmin {
                username,
                display_name,
                password,
            } => {
                self.store.write(|tx| {
                    store::accounts::create_first_admin(tx, username, display_name, password, now)
                })?;
                let actor =
                    store::accounts::login_or_refuse(&mut self.store, username, password, now)?;
                self.store.set_actor(actor);
                self.last_activity = now;
            }
            _ => {}
        }
        Ok(())
    }

    /// A command of the customer archive.
    fn apply_customer(
        &mut self,
        c: &CustomerCommand,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        use CustomerCommand as C;
        match c {
            C::Save(f) => self
                .store
                .write(|tx| store::customers::save_file(tx, f, now))?,
            C::SetCredit { id, grade, reason } => {
                self.store
                    .write(|tx| store::customers::set_credit(tx, *id, grade, reason, now))?;
            }
            C::RevealPhone(id) => self
                .store
                .write(|tx| store::customers::reveal_phone(tx, *id, now))?,
            C::Merge { keep, other } => self
                .store
                .write(|tx| store::customers::merge(tx, *keep, *other, now))?,
            C::Export { path, full, xlsx } => {
                self.store.actor().require(Action::ReadSupervisorData)?;
                self.no_export_running()?;
                if *full {
                    self.store.write_as(Action::ReadSupervisorData, |tx| {
                        store::audit::record(
                            tx,
                            now,
                            "export_full",
                            "customer",
                            None,
                            "",
                            &path.display().to_string(),
                        )
                    })?;
                }
                // The whole archive: read and written on a worker.
                let (path, full, xlsx) = (path.clone(), *full, *xlsx);
                self.export_seq += 1;
                self.exports.request_stoppable(
                    &self.export_seq,
                    self.store.location().to_path_buf(),
                    self.store.actor().clone(),
                    self.wake.clone(),
                    move |store, stop| {
                        let table = store.read_as(Action::ReadSupervisorData, |c| {
                            store::customers::export_table(c, full)
                        })?;
                        if stop.is_set() {
                            return Err(StoreError::Stopped);
                        }
                        service::export(&[("customers", &table)], &path, xlsx)?;
                        unless_stopped(stop, path)
                    },
                );
            }
            C::Erase(id) => {
                self.store.write_as(Action::ManageAccounts, |tx| {
                    store::privacy::erase_customer(tx, *id, now)
                })?;
                // The file, its WAL and every backup are scrubbed on the worker.
                self.purge_wanted = true;
            }
        }
        Ok(())
    }

    /// Starts an export of a report on a worker (the status bar says so, then where it was
    /// written); the permission is checked before it starts and again by the worker's store.
    fn export_on_worker(&mut self, cmd: &Command, now: NaiveDateTime) -> Result<(), StoreError> {
        self.no_export_running()?;
        let (path, job): (PathBuf, ExportJob) = match cmd.clone() {
            Command::Service(s) => {
                let path = match &s {
                    ServiceCommand::ExportWeek { path, .. }
                    | ServiceCommand::ExportReception { path, .. }
                    | ServiceCommand::ExportClaimMonth { path, .. }
                    | ServiceCommand::Print { path, .. } => path.clone(),
                    _ => return Ok(()),
                };
                let (me, settings) = (self.settings.operator_id, self.settings.clone());
                let job: ExportJob = Box::new(move |store| {
                    service::apply(store, &s, now, me, &settings).map(|_| ())
                });
                (path, job)
            }
            Command::Supervisor(s) => {
                self.store.actor().require(Action::ReadSupervisorData)?;
                let path = match &s {
                    SupervisorCommand::ExportMonthly { path, .. }
                    | SupervisorCommand::ExportAudit(path)
                    | SupervisorCommand::ExportAttendance { path, .. }
                    | SupervisorCommand::ExportDailyReports { path, .. } => path.clone(),
                    _ => return Ok(()),
                };
                let job: ExportJob =
                    Box::new(move |store| supervision::apply(store, &s, now).map(|_| ()));
                (path, job)
            }
            Command::Waybill(w) => {
                let WaybillCommand::Export { path, .. } = &w else {
                    return Ok(());
                };
                let path = path.clone();
                let job: ExportJob =
                    Box::new(move |store| waybills::apply(store, &w, now, None).map(|_| ()));
                (path, job)
            }
            _ => return Ok(()),
        };
        self.export_seq += 1;
        self.exports.request_stoppable(
            &self.export_seq,
            self.store.location().to_path_buf(),
            self.store.actor().clone(),
            self.wake.clone(),
            move |store, stop| {
                job(store)?;
                unless_stopped(stop, path)
            },
        );
        Ok(())
    }

    /// Prints `record` on the default printer: its PDF is written into the print folder
    /// ([`files::print_spool`]) and handed to the printer, both on the exports worker.
    fn print_directly(
        &mut self,
        record: crate::pdf::documents::Record,
        now: NaiveDateTime,
    ) -> Result<(), StoreError> {
        let Some(printer) = self.printer.clone() else {
            return Err(DomainError::WrongState("print.no_printer").into());
        };
        self.no_export_running()?;
        let path = files::print_spool(record, now)?;
        let print = ServiceCommand::Print {
            record,
            path: path.clone(),
        };
        let (me, settings) = (self.settings.operator_id, self.settings.clone());
        self.direct_print = Some((path.clone(), record));
        self.export_seq += 1;
        self.exports.request_stoppable(
            &self.export_seq,
            self.store.location().to_path_buf(),
            self.store.actor().clone(),
            self.wake.clone(),
            move |store, stop| {
                service::apply(store, &print, now, me, &settings)?;
                let path = unless_stopped(stop, path)?;
                printer(&path).map_err(StoreError::Printing)?;
                Ok(path)
            },
        );
        Ok(())
    }

    /// Shows the file dialog for `want` and returns the command that uses the files picked (none
    /// when cancelled). A spot-check photo is read here and kept in the form.
    fn pick_file(&mut self, want: &FileFor) -> Option<Command> {
        let paths = (self.file_picker)(want);
        if let FileFor::InspectionPhoto(index) = want {
            let path = paths.first()?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            self.supervisor
                .set_item_photo(*index, name, std::fs::read(path));
            return None;
        }
        want.command(paths)
    }

    /// Tests: answers file dialogs with `picker` instead of the system's dialog.
    #[must_use]
    pub fn with_file_picker(mut self, picker: FilePicker) -> Self {
        self.file_picker = picker;
        self
    }

    /// Tests: hands the files the app would open in the system's viewer to `opener`.
    #[must_use]
    pub fn with_file_opener(mut self, opener: FileOpener) -> Self {
        self.file_opener = opener;
        self
    }

    /// Tests: hands the documents the app would send to the default printer to `printer` (none:
    /// this PC cannot print directly).
    #[must_use]
    pub fn with_printer(mut self, printer: Option<Printer>) -> Self {
        self.printer = printer;
        self
    }

    /// Where the data and the backups are, for the backup workers.
    fn backup_paths(&self) -> backups::Paths {
        backups::Paths {
            database: self.store.location().to_path_buf(),
            folder: self.config.backup_folder.value.clone(),
            anchor_dir: self.anchor_dir.clone(),
        }
    }

    /// Starts a backup or a restore on a worker thread, or saves the rotation.
    fn apply_backup(&mut self, cmd: &BackupCommand, now: NaiveDateTime) -> Result<(), StoreError> {
        match cmd {
            BackupCommand::BackupNow => {
                let rotation = self.backup_status.rotation();
                self.backups.backup_now(now, &self.backup_paths(), rotation)
            }
            BackupCommand::Stop => {
                self.backups.stop();
                Ok(())
            }
            BackupCommand::PickFile => {
                self.store.actor().require(Action::RestoreBackup)?;
                if let Some(path) = rfd::FileDialog::new()
                    .set_title(t("backup.pick_title"))
                    .add_filter("FrontDesk", &["sqlite3", "db"])
                    .set_directory(&self.config.backup_folder.value)
                    .pick_file()
                {
                    let made = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .and_then(store::backup::parse_file_name);
                    self.settings_view.select_backup(path, made);
                }
                Ok(())
            }
            BackupCommand::Restore(from) => {
                self.store.actor().require(Action::RestoreBackup)?;
                let actor = self.store.actor().clone();
                self.backups
                    .restore(from.clone(), now, &self.backup_paths(), actor)
            }
            BackupCommand::SetRotation(r) => {
                let before = format!("{:?}", store::backup::rotation_setting(self.store.db())?);
                self.store.write_as(Action::ManageAccounts, |tx| {
                    store::backup::set_rotation(tx, *r)?;
                    store::audit::record(
                        tx,
                        now,
                        "update",
                        "settings",
                        None,
                        &before,
                        &format!("{r:?}"),
                    )
                })
            }
        }
    }

    /// Takes in what the backup workers finished, starts the automatic backup when due, and
    /// hands the settings screen the listing and checks it asked for.
    fn backup_logic(&mut self, ctx: &egui::Context) {
        if let Some(finished) = self.backups.poll_job() {
            self.on_backup_finished(finished);
        }
        if let Some(list) = self.backups.poll_list() {
            self.settings_view.set_backups(list);
        }
        if let Some((path, result)) = self.backups.poll_inspect() {
            self.settings_view
                .set_inspected(path, result.map_err(|e| e.user_message()));
        }
        let now = whole_seconds(self.now());
        let (store, config, anchor_dir) = (&self.store, &self.config, &self.anchor_dir);
        let status = &self.backup_status;
        // A server's backups are its administrator's (pg_dump): no automatic copies here.
        if self.scheduled_work_may_run() && !store.is_server() {
            self.backups.tick(now, || {
                let paths = backups::Paths {
                    database: store.location().to_path_buf(),
                    folder: config.backup_folder.value.clone(),
                    anchor_dir: anchor_dir.clone(),
                };
                (paths, status.rotation())
            });
        }
        if self.screen == Screen::Settings {
            if self.store.is_server()
                && self.settings_view.desks_to_load()
                && self
                    .store
                    .actor()
                    .require(Action::ReadSupervisorData)
                    .is_ok()
            {
                match self.store.desks() {
                    Ok(desks) => self.settings_view.set_desks(desks),
                    Err(e) => {
                        self.settings_view.set_desks(Vec::new());
                        self.message = Some(StatusMessage {
                            text: e.user_message(),
                            is_error: true,
                        });
                    }
                }
            }
            if self.settings_view.backups_to_list() {
                self.backups.list(&self.config.backup_folder.value);
            }
            if let Some(path) = self.settings_view.inspect_to_load() {
                self.backups.inspect(&path);
            }
        }
        self.backup_status.job = self.backups.job();
        self.backup_status.last_automatic = self.backups.last_automatic();
        if self.backups.busy() {
            // The progress bar moves and the result is taken in.
            ctx.request_repaint_after(backups::POLL_INTERVAL);
        }
    }

    fn on_backup_finished(&mut self, finished: backups::Finished) {
        use backups::{Automatic, Finished};
        let name = |p: &std::path::Path| {
            p.file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
        };
        match finished {
            Finished::Automatic(Ok(Automatic::Made(path))) => {
                tracing::info!("automatic backup made: {}", path.display());
                self.settings_view.backups_changed();
            }
            Finished::Automatic(Ok(Automatic::Unchanged | Automatic::NotDue(_))) => {}
            Finished::Automatic(Err(StoreError::Stopped)) => {
                self.message = Some(StatusMessage {
                    text: t("backup.auto_stopped").to_owned(),
                    is_error: false,
                });
            }
            Finished::Automatic(Err(e)) => {
                tracing::warn!("automatic backup failed: {e}");
                self.message = Some(StatusMessage {
                    text: tf("backup.auto_failed", &[("detail", &e.user_message())]),
                    is_error: true,
                });
            }
            Finished::Manual(result) => {
                let shown = match &result {
                    Ok(path) => Ok(tf("backup.made", &[("file", &name(path))])),
                    Err(StoreError::Stopped) => Ok(t("backup.stopped").to_owned()),
                    Err(e) => {
                        tracing::warn!("backup failed: {e}");
                        Err(tf("backup.failed", &[("detail", &e.user_message())]))
                    }
                };
                self.message = Some(StatusMessage {
                    text: shown.clone().unwrap_or_else(|e| e),
                    is_error: shown.is_err(),
                });
                self.settings_view.on_backup_finished(shown);
            }
            Finished::Restore { from, result } => {
                let shown = match result {
                    Ok(report) => {
                        tracing::info!(
                            "restored {}; the data before is kept in {}",
                            from.display(),
                            report.pre_restore.display()
                        );
                        if let Err(e) = self.reopen_store() {
                            tracing::warn!("cannot reopen the database after the restore: {e}");
                        }
                        Ok(tf(
                            "backup.restored",
                            &[
                                ("file", &name(&from)),
                                ("pre_restore", &name(&report.pre_restore)),
                            ],
                        ))
                    }
                    Err(e) => {
                        tracing::warn!("restore of {} failed: {e}", from.display());
                        Err(tf(
                            "backup.restore_failed",
                            &[("detail", &e.user_message())],
                        ))
                    }
                };
                self.message = Some(StatusMessage {
                    text: shown.clone().unwrap_or_else(|e| e),
                    is_error: shown.is_err(),
                });
                self.settings_view
                    .on_restore_finished(shown, &self.settings);
            }
            Finished::Purge(Ok(Some(done))) if done.stopped => {
                let r = &done.report;
                tracing::info!(
                    "purge stopped: {} visits, {} calls, {} customers, {} waybill changes anonymised",
                    r.visits,
                    r.calls,
                    r.customers,
                    r.waybills
                );
                self.message = Some(StatusMessage {
                    text: tf(
                        "backup.purge_stopped",
                        &[(
                            "rows",
                            &(r.visits + r.calls + r.customers + r.waybills).to_string(),
                        )],
                    ),
                    is_error: false,
                });
                self.settings_view.backups_changed();
            }
            Finished::Purge(Ok(done)) => {
                if let Some(done) = done {
                    tracing::info!(
                        "purge: {} visits, {} calls, {} customers, {} waybill changes anonymised; {} backups rewritten, {} removed",
                        done.report.visits,
                        done.report.calls,
                        done.report.customers,
                        done.report.waybills,
                        done.backups_rewritten,
                        done.backups_removed
                    );
                    self.settings_view.backups_changed();
                }
            }
            Finished::Purge(Err(e)) => {
                tracing::warn!("automatic purge failed: {e}");
                self.message = Some(StatusMessage {
                    text: tf("backup.purge_failed", &[("detail", &e.user_message())]),
                    is_error: true,
                });
            }
        }
    }

    /// Opens the database again after a restore, as the same actor: the restored file may have
    /// been upgraded, and every screen reloads.
    fn reopen_store(&mut self) -> Result<(), StoreError> {
        let mut store = Store::open(self.store.location())?;
        store.set_actor(self.store.actor().clone());
        store.set_anchor_dir(self.anchor_dir.clone());
        self.store = store;
        self.loaded = None;
        self.refresh()
    }

    fn apply_all(&mut self, commands: Vec<Command>) {
        // A file to pick: the dialog answers, and what it is for becomes the command.
        let commands: Vec<Command> = commands
            .into_iter()
            .filter_map(|cmd| match cmd {
                Command::PickFile(want) => self.pick_file(&want),
                cmd => Some(cmd),
            })
            .collect();
        for cmd in commands {
            match self.apply(&cmd) {
                Ok(created) => {
                    self.reception.on_applied(&cmd);
                    self.settings_view.on_applied(&cmd, &self.settings);
                    self.history.on_applied(&cmd);
                    self.calls.on_applied(&cmd, created);
                    self.complaints.on_applied(&cmd, created);
                    self.weekly.on_applied(&cmd);
                    if let (Command::Service(ServiceCommand::CreateComplaint(_)), Some(id)) =
                        (&cmd, created)
                    {
                        self.screen = Screen::Complaints;
                        self.complaints.select(id);
                    }
                    self.claims.on_applied(&cmd);
                    self.login.on_applied(&cmd);
                    self.supervisor.on_applied(&cmd, created);
                    self.customers.on_applied(&cmd);
                    self.incidents.on_applied(&cmd);
                    self.waybills.on_applied(&cmd);
                    self.claims_report.on_applied(&cmd);
                    if let (Command::Service(ServiceCommand::CreateClaim(_)), Some(id)) =
                        (&cmd, created)
                    {
                        self.screen = Screen::Claims;
                        self.claims.select(id);
                    }
                    if !is_navigation(&cmd)
                        && !matches!(cmd, Command::Backup(BackupCommand::PickFile))
                    {
                        self.message = Some(StatusMessage {
                            text: t(success_key(&cmd)).to_owned(),
                            is_error: false,
                        });
                    }
                }
                Err(e) => {
                    self.login.on_failed(&cmd);
                    tracing::warn!("command failed: {e}");
                    let text = e.user_message();
                    self.settings_view.on_failed(&cmd, &text);
                    self.message = Some(StatusMessage {
                        text,
                        is_error: true,
                    });
                }
            }
        }
    }

    /// Work that runs every frame, even while the window is hidden: reload data when needed and
    /// schedule the next repaint for when a displayed value changes.
    pub fn logic_frame(&mut self, ctx: &egui::Context) {
        self.wake.clone_from(ctx);
        self.server_connection(ctx);
        self.exports_done();
        self.file_check(ctx);
        self.lock_if_idle();
        if let Err(e) = self.daily_purge() {
            tracing::warn!("daily purge failed: {e}");
        }
        self.backup_logic(ctx);
        match self.refresh().and_then(|()| self.load_view_data(ctx)) {
            Ok(true) => ctx.request_repaint(),
            Ok(false) => {}
            // The connection bar says so already, and a save's own message stays readable.
            Err(e) if e.is_connection_lost() => tracing::debug!("cannot reload: {e}"),
            Err(e) => {
                self.message = Some(StatusMessage {
                    text: e.user_message_reading(),
                    is_error: true,
                });
            }
        }
        ctx.request_repaint_after(self.next_change().to_std().unwrap_or_default());
    }

    /// On a server: hears other desks' changes (each wakes the window, which then reloads), and
    /// connects again by itself after the connection broke; the screens reload then.
    fn server_connection(&mut self, ctx: &egui::Context) {
        if !self.store.is_server() {
            return;
        }
        if self.store.watch().is_none() {
            let ctx = ctx.clone();
            self.store.watch_changes(move || ctx.request_repaint());
        }
        match self.store.reconnect_if_needed() {
            Ok(true) => {
                self.loaded = None;
                self.message = Some(StatusMessage {
                    text: t("app.reconnected").to_owned(),
                    is_error: false,
                });
            }
            Ok(false) => {}
            Err(e) => tracing::warn!("cannot connect to the server again yet: {e}"),
        }
        if self.store.offline() {
            ctx.request_repaint_after(store::watch::RETRY);
        }
    }

    /// Once a day (the first frame of a day when no other backup job runs), the purge of
    /// personal data past retention starts on the backup worker; so does the scrub of the
    /// backups after an erase on request (`purge_wanted`). See [`backups::Backups::purge`].
    fn daily_purge(&mut self) -> Result<(), StoreError> {
        let now = whole_seconds(self.now());
        let today = now.date().format("%Y-%m-%d").to_string();
        let mut due = self.scheduled_work_may_run()
            && !self.purge_wanted
            && self.purge_started_on.as_deref() != Some(today.as_str());
        if due
            && store::settings::value(self.store.db(), "last_purge_on")?.as_deref()
                == Some(today.as_str())
        {
            // Done today already (by another desk or an earlier start): not asked again every
            // frame.
            self.purge_started_on = Some(today.clone());
            due = false;
        }
        if !(due || self.purge_wanted) || self.backups.job().is_some() {
            return Ok(());
        }
        let always = self.purge_wanted;
        self.purge_wanted = false;
        self.purge_started_on = Some(today);
        let paths = self.backup_paths();
        let rotation = self.backup_status.rotation();
        self.backups.purge(now, &paths, rotation, always)
    }

    /// Locks an idle supervisor session (back to the desk).
    fn lock_if_idle(&mut self) {
        if self.store.actor().account_id.is_none() {
            return;
        }
        let now = self.now();
        if (now - self.last_activity).num_seconds() > self.settings.idle_lock_secs {
            self.store.set_actor(Actor::desk());
            if self.screen.needs_supervisor() {
                self.screen = Screen::Reception;
            }
            self.message = Some(StatusMessage {
                text: t("app.session_locked").to_owned(),
                is_error: false,
            });
            self.loaded = None;
        }
    }

    /// Logs in without the dialog (tests and scripted set-up).
    pub fn login(&mut self, username: &str, password: &str) -> Result<(), StoreError> {
        self.apply(&Command::Login {
            username: username.into(),
            password: password.into(),
        })
        .map(|_| ())
    }

    /// When the next displayed value changes: the next whole second of a running timer when
    /// someone is present, else the next minute (the clock in the top bar).
    pub fn next_change(&self) -> Duration {
        let now = self.now();
        let next_minute = Duration::seconds(60 - i64::from(now.second()))
            - Duration::nanoseconds(i64::from(now.nanosecond() % 1_000_000_000));
        self.board
            .present
            .iter()
            .filter_map(|v| v.next_change(now))
            .min()
            .map_or(next_minute, |d| d.min(next_minute))
            .max(Duration::milliseconds(10))
    }

    /// Draws one frame.
    pub fn ui_frame(&mut self, ui: &mut egui::Ui) {
        let now = self.now();
        let cx = ViewCtx {
            now,
            settings: &self.settings,
            staff: &self.staff,
            board: &self.board,
            config: &self.config,
            actor: self.store.actor(),
            has_accounts: self.board.has_accounts,
            backups: &self.backup_status,
            clock_offset: self.clock_offset,
            desk: self.store.desk(),
            loading: self.reads.busy() || self.exports.busy(),
            exporting: self.exports.busy(),
            can_print: self.printer.is_some(),
        };
        let mut commands = Vec::new();
        let mut screen = self.screen;
        egui::Panel::top("top_bar").show(ui, |ui| {
            let today = self.daily.attendance_of(cx.settings.operator_id);
            commands.extend(ui::top_bar_ui(ui, &cx, &mut screen, today));
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            ui::status_bar_ui(ui, &mut self.message);
        });
        if self.store.offline() {
            egui::Panel::bottom("connection_bar").show(ui, |ui| {
                ui.label(
                    egui::RichText::new(t("app.offline"))
                        .strong()
                        .color(ui::theme::OVERDUE),
                );
            });
        }
        if let Some(detail) = self.store.writes_refused() {
            egui::Panel::bottom("damaged_bar").show(ui, |ui| {
                ui.horizontal_wrapped(|ui| {
                    ui.label(
                        egui::RichText::new(tf("app.damaged", &[("detail", detail)]))
                            .strong()
                            .color(ui::theme::OVERDUE),
                    );
                    if ui.button(t("app.recover")).clicked() {
                        let database_id = store::seal::database_id(self.store.db()).ok().flatten();
                        if let Ok(mut wanted) = self.recover.lock() {
                            *wanted = Some(Recover {
                                detail: detail.to_owned(),
                                database_id,
                            });
                        }
                        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                });
            });
        }
        if let Some(note) = clock_note(self.clock_offset, CLOCK_NOTE_SECS) {
            egui::Panel::bottom("clock_bar").show(ui, |ui| {
                ui.label(egui::RichText::new(note).color(ui::theme::WARN));
            });
        }
        egui::CentralPanel::default().show(ui, |ui| match screen {
            Screen::Reception => commands.extend(self.reception.ui(ui, &cx)),
            Screen::History => commands.extend(self.history.ui(ui, &cx)),
            Screen::Calls => commands.extend(self.calls.ui(ui, &cx)),
            Screen::Complaints => commands.extend(self.complaints.ui(ui, &cx)),
            Screen::Inbox => commands.extend(self.inbox.ui(ui, &cx)),
            Screen::Weekly => commands.extend(self.weekly.ui(ui, &cx)),
            Screen::ReceptionReport => commands.extend(self.reception_report.ui(ui, &cx)),
            Screen::Claims => commands.extend(self.claims.ui(ui, &cx)),
            Screen::ClaimsReport => commands.extend(self.claims_report.ui(ui, &cx)),
            Screen::MyCases => commands.extend(self.my_cases.ui(ui, &cx)),
            Screen::Customers => commands.extend(self.customers.ui(ui, &cx)),
            Screen::Supervision => commands.extend(self.supervisor.ui(ui, &cx)),
            Screen::Settings => commands.extend(self.settings_view.ui(ui, &cx)),
            Screen::Incidents => commands.extend(self.incidents.ui(ui, &cx)),
            Screen::Waybills => commands.extend(self.waybills.ui(ui, &cx)),
            Screen::DailyReport => commands.extend(self.daily.ui(ui, &cx)),
        });
        commands.extend(self.login.ui(ui, &cx));
        if ui.input(|i| !i.events.is_empty()) {
            self.last_activity = now;
        }
        if screen != self.screen {
            self.screen = screen;
            if screen == Screen::Settings {
                self.settings_view = ui::settings::SettingsView::new(&self.settings);
            }
        }
        self.apply_all(commands);
        if let Some(started) = self.started.take() {
            let ms = started.elapsed().as_millis();
            tracing::info!("first frame {ms} ms after start");
            if let Some((_, _, first)) = &mut self.exit_after {
                *first = Some(ms);
            }
        }
        if let Some((wanted, drawn, first)) = &mut self.exit_after {
            *drawn += 1;
            if *drawn >= *wanted {
                if let Some(ms) = first.take() {
                    println!("first_frame_ms={ms}");
                }
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            } else {
                ui.ctx().request_repaint();
            }
        }
    }

    /// One whole frame: logic then drawing (what eframe does; UI tests call this).
    pub fn run_frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.logic_frame(&ctx);
        self.ui_frame(ui);
    }
}

/// An export that runs on a worker (the whole customer archive has its own path).
fn is_export(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::Service(
            ServiceCommand::ExportWeek { .. }
                | ServiceCommand::ExportReception { .. }
                | ServiceCommand::ExportClaimMonth { .. }
                | ServiceCommand::Print { .. }
        ) | Command::Supervisor(
            SupervisorCommand::ExportMonthly { .. }
                | SupervisorCommand::ExportAudit(_)
                | SupervisorCommand::ExportAttendance { .. }
                | SupervisorCommand::ExportDailyReports { .. }
        ) | Command::Waybill(WaybillCommand::Export { .. })
    )
}

/// The file an export wrote, or none when the user stopped the export meanwhile: the window
/// said "no file was written", so the file is taken away again.
fn unless_stopped(stop: &background::Stop, path: PathBuf) -> Result<PathBuf, StoreError> {
    if stop.is_set() {
        let _ = std::fs::remove_file(&path);
        return Err(StoreError::Stopped);
    }
    Ok(path)
}

/// An export's work on a worker's store.
type ExportJob = Box<dyn FnOnce(&mut Store) -> Result<(), StoreError> + Send>;

/// The translation key of the message shown after `cmd` succeeded.
fn success_key(cmd: &Command) -> &'static str {
    if is_export(cmd) {
        return "app.exporting";
    }
    match cmd {
        Command::Arrive => "app.ok_arrived",
        Command::Greet(_) => "app.ok_greeted",
        Command::ServeWater(_) => "app.ok_water",
        Command::Register { .. } => "app.ok_registered",
        Command::Correct { .. } => "app.ok_corrected",
        Command::HandOver { .. } => "app.ok_handed_over",
        Command::StartSeeOff(_) => "app.ok_seeing_off",
        Command::Depart { .. } => "app.ok_departed",
        Command::Cancel { .. } => "app.ok_cancelled",
        Command::SetOperator(Some(_)) => "att.ok_on_duty",
        Command::SetOperator(None) | Command::SetLang(_) | Command::SaveSettings(_) => {
            "app.ok_settings"
        }
        Command::AddStaff { .. } | Command::UpdateStaff(_) => "app.ok_staff",
        Command::Service(s) => s.success_key(),
        Command::Supervisor(s) => s.success_key(),
        Command::Customer(CustomerCommand::RevealPhone(_)) => "app.ok_revealed",
        Command::Customer(CustomerCommand::Export { .. }) => "app.exporting",
        Command::Customer(_) => "app.ok_customer",
        Command::SetRetention(_) => "app.ok_settings",
        Command::OpenComplaint(_)
        | Command::OpenClaimForm(_)
        | Command::OpenClaim(_)
        | Command::OpenCall(_) => "app.ready",
        Command::Login { .. } | Command::CreateFirstAdmin { .. } => "app.ok_login",
        Command::Logout => "app.ok_logout",
        Command::ShowLogin
        | Command::Goto(_)
        | Command::SupervisorTab(_)
        | Command::PickFile(_) => "app.ready",
        Command::Backup(BackupCommand::BackupNow) => "backup.started",
        Command::Backup(BackupCommand::Restore(_)) => "backup.restore_started",
        Command::Backup(BackupCommand::SetRotation(_)) => "app.ok_settings",
        Command::Backup(BackupCommand::PickFile) => "app.ready",
        Command::Backup(BackupCommand::Stop) => "backup.stopping",
        Command::StopExport => "app.ready",
        Command::PrintDirect(_) => "print.preparing",
        Command::Incident(c) => c.success_key(),
        Command::Waybill(c) => c.success_key(),
        Command::OpenWaybillForm(_) | Command::OpenWaybill(_) => "app.ready",
    }
}

/// Commands that only move between screens and dialogs, or stop work on a worker (no write,
/// no success message).
fn is_navigation(cmd: &Command) -> bool {
    matches!(
        cmd,
        Command::StopExport
            | Command::OpenComplaint(_)
            | Command::OpenClaimForm(_)
            | Command::OpenClaim(_)
            | Command::OpenWaybillForm(_)
            | Command::OpenWaybill(_)
            | Command::OpenCall(_)
            | Command::ShowLogin
            | Command::Goto(_)
            | Command::SupervisorTab(_)
            | Command::PickFile(_)
    )
}

impl eframe::App for App {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.logic_frame(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_frame(ui);
    }
}
