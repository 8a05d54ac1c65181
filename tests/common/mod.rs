//! Shared fixtures of the integration tests.
#![allow(dead_code, reason = "each test file uses a different subset")]

pub mod pg;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use frontdesk::app::App;
use frontdesk::clock::{Clock, FakeClock};
use frontdesk::domain::staff::Role;
use frontdesk::store::{Store, settings, staff};

/// The environment variable that runs the tests built on [`temp_db`] against a PostgreSQL
/// server: the URL of a database on a server where the test's user may create databases. The
/// README's test command sets it for a second run of the UI and input tests (see `.ci/test`).
pub const SERVER_ENV: &str = "FRONTDESK_TEST_SERVER";

/// Whether this run's [`temp_db`] databases are on a PostgreSQL server.
pub fn on_server() -> bool {
    std::env::var_os(SERVER_ENV).is_some_and(|v| !v.is_empty())
}

/// A fresh temporary directory and a new, empty database: a file inside the directory, or —
/// when [`SERVER_ENV`] is set — a new database of its own on that server (its URL).
pub fn temp_db() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(server) = std::env::var(SERVER_ENV).ok().filter(|v| !v.is_empty()) else {
        let path = dir.path().join("frontdesk.sqlite3");
        return (dir, path);
    };
    let name = format!("t_{:016x}", fastrand::u64(..));
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("connect");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create database");
    let (base, _) = server.rsplit_once('/').expect("a URL with a database name");
    (dir, PathBuf::from(format!("{base}/{name}")))
}

/// What the settings' data tab shows of the database [`temp_db`] gave.
pub fn shown_database(path: &Path) -> String {
    if on_server() {
        path.to_string_lossy().into_owned()
    } else {
        "frontdesk.sqlite3".to_owned()
    }
}

/// The fake clock all tests start from: Monday 2026-11-23 09:00:00.
pub fn clock() -> FakeClock {
    FakeClock::at("2026-11-23 09:00:00")
}

/// A store with two staff members, 李娜 (service rep, at the desk) and 张伟 (salesperson).
/// Returns the store and their ids.
pub fn store_with_staff(path: &std::path::Path, clock: &FakeClock) -> (Store, i64, i64) {
    let mut store = Store::open(path).expect("open store");
    let (li, zhang) = store
        .write(|tx| {
            let li = staff::add(tx, "李娜", Role::ServiceRep, clock.now())?;
            let zhang = staff::add(tx, "张伟", Role::Salesperson, clock.now())?;
            settings::set_operator(tx, Some(li))?;
            Ok((li, zhang))
        })
        .expect("add staff");
    (store, li, zhang)
}

/// The app on `store` with `clock`, without the work it schedules on its own (automatic
/// backups, the daily purge: `tests/ui_backups.rs` tests those with [`app_with_scheduled_work`]),
/// so the frames of other tests never wait for a worker the clock started.
pub fn app(store: Store, clock: &FakeClock) -> App {
    app_with_scheduled_work(store, clock).without_scheduled_work()
}

/// The app on `store` with `clock`, as it runs for real.
pub fn app_with_scheduled_work(store: Store, clock: &FakeClock) -> App {
    let clock: Arc<dyn Clock> = Arc::new(clock.clone());
    // A test never sends anything to the printer of the PC it runs on.
    App::new(store, clock).expect("app").with_printer(None)
}

/// A UI test harness driving the real app, with the bundled CJK font installed (a missing
/// glyph fails the test).
pub fn harness(app: App) -> egui_kittest::Harness<'static, App> {
    egui_kittest::Harness::builder()
        .with_size([1280.0, 860.0])
        // An answer from a worker (the history's pages) takes a frame or two more to settle.
        .with_max_steps(8)
        .with_context_setup(frontdesk::ui::theme::install)
        // Each frame's reads on workers answer within it, so the next frame shows them, as a
        // person sees them a moment later (the window itself never waits).
        .build_ui_state(
            |ui, app: &mut App| {
                app.run_frame(ui);
                app.wait_for_reads(std::time::Duration::from_secs(5));
            },
            app,
        )
}

/// The supervisor's password in tests.
pub const SUPERVISOR_PASSWORD: &str = "监察2026-abc";

/// Creates an admin and a supervisor account ("wuhao") in `store`.
pub fn add_supervisor(store: &mut Store, clock: &FakeClock) {
    use frontdesk::domain::account::{AccountRole, Action, Actor};
    use frontdesk::store::accounts;
    let now = clock.now();
    store
        .write(|tx| accounts::create_first_admin(tx, "admin", "管理员", SUPERVISOR_PASSWORD, now))
        .expect("admin");
    let desk = store.actor().clone();
    store.set_actor(Actor::system());
    store
        .write_as(Action::ManageAccounts, |tx| {
            accounts::create(
                tx,
                "wuhao",
                "吴昊",
                AccountRole::Supervisor,
                SUPERVISOR_PASSWORD,
                now,
            )
        })
        .expect("supervisor");
    store.set_actor(desk);
}

/// The real `frontdesk` binary with its configuration files and per-user folders (data,
/// config, anchors) inside `dir`, so nothing of this machine is read or written.
pub fn frontdesk_command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_frontdesk"));
    cmd.env("FRONTDESK_LOG", "error")
        .env("FRONTDESK_MACHINE_CONFIG", dir.join("machine.toml"))
        .env("FRONTDESK_USER_CONFIG", dir.join("user.toml"))
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("home/data"))
        .env("XDG_CONFIG_HOME", dir.join("home/config"));
    cmd
}

/// Runs the real binary with `args` on the database `db` (a file or a server URL), its
/// folders in `dir`.
pub fn frontdesk_on(dir: &Path, db: impl AsRef<std::ffi::OsStr>, args: &[&str]) -> Output {
    frontdesk_command(dir)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run frontdesk")
}

/// Waits a moment for another thread (a worker of the window, a server); the code under test
/// never sleeps.
#[allow(clippy::disallowed_methods, reason = "a test waits for another thread")]
pub fn pause(d: std::time::Duration) {
    std::thread::sleep(d);
}

/// Whether a widget with exactly this label is shown.
pub fn has_label<S>(h: &egui_kittest::Harness<'_, S>, text: &str) -> bool {
    use egui_kittest::kittest::Queryable as _;
    h.query_all_by_label(text).next().is_some()
}

/// Whether a widget whose label contains `text` is shown.
pub fn has_label_containing<S>(h: &egui_kittest::Harness<'_, S>, text: &str) -> bool {
    use egui_kittest::kittest::Queryable as _;
    h.query_all_by_label_contains(text).next().is_some()
}

/// Scrolls the widget into view, then clicks it.
pub fn click(h: &mut egui_kittest::Harness<'_, App>, label: &str) {
    use egui_kittest::kittest::Queryable as _;
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).click();
    h.run();
}

/// Scrolls the field into view, focuses it and types `text`.
pub fn type_into(h: &mut egui_kittest::Harness<'_, App>, label: &str, text: &str) {
    use egui_kittest::kittest::Queryable as _;
    h.get_by_label(label).scroll_to_me();
    h.run();
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Runs frames until the reads on workers have answered (at most 5 s).
pub fn settle(h: &mut egui_kittest::Harness<'_, App>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    // Frame by frame while a read runs (its spinner repaints), until the window settles with no
    // read running (an answer may make it ask again, e.g. after a reload).
    loop {
        h.step();
        if !h.state().loading() && h.try_run().is_ok() && !h.state().loading() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "a background read did not answer"
        );
        pause(std::time::Duration::from_millis(5));
    }
}

/// A damage claim of 100.00 yuan with waybill `waybill`, every required field filled (lists
/// with many claims).
pub fn damage_claim(waybill: &str) -> frontdesk::domain::claim::ClaimDraft {
    frontdesk::domain::claim::ClaimDraft {
        waybill: waybill.into(),
        customer_name: "王先生".into(),
        phone: "13812345678".into(),
        incident_date: "2026-11-20".into(),
        incident_place: "上海仓".into(),
        branch: "上海分公司".into(),
        claim_type: Some(frontdesk::domain::claim::ClaimType::Damage),
        cause: "装卸不当".into(),
        description: "外箱破损".into(),
        claimed: "100.00".into(),
        ..Default::default()
    }
}

/// An ordinary complaint about a late delivery, made at the desk, the company at fault (the
/// weekly report's figures).
pub fn late_delivery_complaint() -> frontdesk::domain::complaint::ComplaintDraft {
    use frontdesk::domain::complaint::{AtFault, Channel, ComplaintDraft, Severity};
    ComplaintDraft {
        channel: Some(Channel::Visit),
        customer_name: "李女士".into(),
        category: "延误".into(),
        severity: Some(Severity::Ordinary),
        at_fault: Some(AtFault::Yes),
        content: "晚到两天".into(),
        ..ComplaintDraft::default()
    }
}

/// A tracking enquiry from `caller` at `at`, answered by `staff` (lists with many calls).
pub fn tracking_call(
    at: chrono::NaiveDateTime,
    caller: &str,
    staff: i64,
) -> frontdesk::domain::call::Call {
    frontdesk::domain::call::Call {
        at,
        rings: 2,
        caller_name: caller.into(),
        phone: "13955556666".into(),
        category: Some(frontdesk::domain::call::Category::Tracking),
        content: "查询运单".into(),
        answer: "已告知".into(),
        staff_id: Some(staff),
        ..Default::default()
    }
}

/// The text of the PDF file `pdf` as `pdftotext` reads it, without any white space (it guesses
/// spaces from the gaps between glyphs, which CJK text does not have). A machine without
/// poppler-utils fails here (the README's test command installs it).
pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap_or_else(|e| panic!("pdftotext is needed (Debian: poppler-utils): {e}"));
    assert!(
        out.status.success(),
        "pdftotext {}: {}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect()
}

/// Hands case `case` from `from` to the colleague `to` (none: the department `department`) with
/// `reason` at the clock's time; an hour later it is accepted (by the colleague, or by `from`
/// for the department), and the clock moves on another hour. Returns the transfer's id.
pub fn send_and_accept(
    store: &mut Store,
    clock: &FakeClock,
    case: (frontdesk::domain::transfer::CaseKind, i64),
    (from, to, department): (i64, Option<i64>, &str),
    reason: &str,
) -> i64 {
    use frontdesk::store::transfers;
    let (kind, id) = case;
    let tid = store
        .write(|tx| {
            transfers::send(
                tx,
                kind,
                id,
                Some(from),
                to,
                department,
                reason,
                clock.now(),
            )
        })
        .expect("send");
    clock.advance_secs(3600);
    store
        .write(|tx| transfers::accept(tx, tid, Some(to.unwrap_or(from)), clock.now()))
        .expect("accept");
    clock.advance_secs(3600);
    tid
}

/// The outcome of transfer `tid` is reported at the clock's time and confirmed an hour later;
/// the clock moves on another hour.
pub fn answer_and_confirm(store: &mut Store, clock: &FakeClock, tid: i64, outcome: &str) {
    use frontdesk::store::transfers;
    store
        .write(|tx| transfers::answer(tx, tid, outcome, clock.now()))
        .expect("answer");
    clock.advance_secs(3600);
    store
        .write(|tx| transfers::confirm(tx, tid, clock.now()))
        .expect("confirm");
    clock.advance_secs(3600);
}
