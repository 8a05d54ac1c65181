//! Durability tests: the store is held to SQLite's own promises.
//!
//! * A transaction that has committed survives the process being killed (`kill -9`) at any moment,
//!   and the file stays intact.
//! * A transaction is all or nothing: a killed import leaves either all of its rows or none.
//! * A full disk (or a database at its size limit) refuses the write with a clear message, loses
//!   nothing that was saved before, and writes work again once there is room.
//!
//! The database runs in WAL mode with `synchronous=NORMAL`. Under that setting a *power loss* may
//! lose the last few transactions (the WAL is not synced on every commit), but a *process kill*
//! must not: a commit has reached the operating system's page cache, which outlives the process.
//! The kill tests check exactly that promise; they cannot simulate a power loss.
//!
//! The writer that gets killed is this test binary itself, started again with `--exact
//! writer_child` and [`WRITER_DB_ENV`] set: no extra program or command-line option is needed.
//! Randomness comes from a seed printed at the start of each test; set
//! `FRONTDESK_DURABILITY_SEED` to replay a run, and `FRONTDESK_DURABILITY_TRIALS` /
//! `FRONTDESK_DURABILITY_IMPORT_TRIALS` for more (or fewer) kill trials.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use common::type_into;

use std::collections::HashMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable as _;
use frontdesk::clock::Clock as _;
use frontdesk::domain::customer::Honorific;
use frontdesk::domain::visit::{Registration, RegistrationDraft};
use frontdesk::i18n::{self, Lang, t};
use frontdesk::store::{self, Store, StoreError, visits};
use rusqlite::Connection;

/// Set in the re-executed test binary: the database the writer child writes to.
const WRITER_DB_ENV: &str = "FRONTDESK_TEST_WRITER_DB";
/// Set in the re-executed test binary: the trial number, which keeps phone numbers unique.
const WRITER_TRIAL_ENV: &str = "FRONTDESK_TEST_WRITER_TRIAL";
/// The name of the test that acts as the writer child.
const WRITER_TEST: &str = "writer_child";
/// How many registrations one writer child makes at most if nobody kills it.
const WRITER_MAX_RECORDS: u32 = 5_000;

/// The random seed: `FRONTDESK_DURABILITY_SEED` if set, else a fresh one. Printed so a failing
/// run can be replayed.
fn seeded_rng(test: &str) -> fastrand::Rng {
    let seed = std::env::var("FRONTDESK_DURABILITY_SEED")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    println!("{test}: seed {seed} (replay with FRONTDESK_DURABILITY_SEED={seed})");
    fastrand::Rng::with_seed(seed)
}

/// The number in environment variable `var` if set, else `default`.
fn trials(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(default)
}

/// Waits before a kill. Only the kill tests wait like this; the app never sleeps.
#[allow(
    clippy::disallowed_methods,
    reason = "a test waits a random moment before killing a child process"
)]
fn pause(d: Duration) {
    std::thread::sleep(d);
}

/// The rows of `PRAGMA integrity_check`, joined: `"ok"` when the file is sound.
fn integrity(conn: &Connection) -> String {
    let mut stmt = conn.prepare("PRAGMA integrity_check").unwrap();
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    rows.join("\n")
}

/// Runs the real `frontdesk` binary on `db`, with configuration and per-user folders inside the
/// database's folder so nothing of this machine is read or written.
fn frontdesk(db: &Path, args: &[&str]) -> Command {
    let mut cmd = common::frontdesk_command(db.parent().unwrap());
    cmd.args(args).arg("--db").arg(db);
    cmd
}

/// `frontdesk check` on `db` must pass.
fn assert_frontdesk_check(db: &Path) {
    let out: Output = frontdesk(db, &["check"]).output().unwrap();
    assert!(
        out.status.success(),
        "frontdesk check failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A walk-in registration as the desk types it; `purpose` makes it as large as wanted.
fn registration(phone: &str, purpose: &str) -> Registration {
    RegistrationDraft {
        surname: "王".into(),
        honorific: Some(Honorific::Mr),
        name: "王堃".into(),
        phone: phone.into(),
        company: "顺达贸易有限公司".into(),
        region: "华东".into(),
        purpose: purpose.into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

/// Registers a walk-in visit the way the app's "保存登记" does: one `Store::write` around
/// `visits::register`.
fn register(store: &mut Store, reg: &Registration) -> Result<i64, StoreError> {
    let now = common::clock().now();
    store.write(|tx| visits::register(tx, None, reg, now, None))
}

/// The writer child: when started by [`killed_writer_loses_no_acknowledged_visit`], registers
/// visits one by one and prints `ack <id> <phone>` after each commit has returned. Run normally,
/// it does nothing.
#[test]
fn writer_child() {
    let Some(db) = std::env::var_os(WRITER_DB_ENV) else {
        return;
    };
    let trial: u32 = std::env::var(WRITER_TRIAL_ENV).unwrap().parse().unwrap();
    let mut store = Store::open(PathBuf::from(db)).unwrap();
    // Written straight to the process's standard output (not the test harness's capture), one
    // flushed line per acknowledged commit.
    let mut out = std::io::stdout();
    for n in 0..WRITER_MAX_RECORDS {
        let phone = format!("139{trial:04}{n:04}");
        let reg = registration(&phone, "提货,咨询运费与时效");
        let id = register(&mut store, &reg).unwrap();
        writeln!(out, "ack {id} {phone}").unwrap();
        out.flush().unwrap();
    }
}

/// When the parent kills the writer.
#[derive(Clone, Copy, Debug)]
enum KillAt {
    /// After this many acknowledged records have been read.
    Acks(usize),
    /// This long after the start.
    Millis(u64),
}

/// Starts the writer child on `db`; returns it and a channel of its acknowledged `(id, phone)`.
fn start_writer(db: &Path, trial: usize) -> (Child, mpsc::Receiver<(i64, String)>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", WRITER_TEST, "--nocapture", "--test-threads=1"])
        .env(WRITER_DB_ENV, db)
        .env(WRITER_TRIAL_ENV, trial.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("writer-stdout".into())
        .spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                // Other lines are the test harness's own ("running 1 test", …).
                let Some(rest) = line.strip_prefix("ack ") else {
                    continue;
                };
                let (id, phone) = rest.split_once(' ').unwrap();
                if tx.send((id.parse().unwrap(), phone.to_owned())).is_err() {
                    break;
                }
            }
        })
        .unwrap();
    (child, rx)
}

/// Kills `child` (SIGKILL on Unix) unless it has already ended; an early end must be a success
/// (else the child's standard error, when piped, is shown). Returns whether it was killed.
fn kill(child: &mut Child) -> bool {
    if let Some(status) = child.try_wait().unwrap() {
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            std::io::Read::read_to_string(&mut pipe, &mut stderr).unwrap();
        }
        assert!(
            status.success(),
            "the child failed on its own: {status}\n{stderr}"
        );
        return false;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    true
}

/// kill -9 at random moments while visits are being registered: every visit whose commit was
/// acknowledged is in the file afterwards, with its data, and the file is intact.
#[test]
fn killed_writer_loses_no_acknowledged_visit() {
    let started = Instant::now();
    let mut rng = seeded_rng("killed_writer_loses_no_acknowledged_visit");
    let trials = trials("FRONTDESK_DURABILITY_TRIALS", 200);
    // One database for all trials, so the file grows and kills hit a busier file.
    let (_dir, db) = common::temp_db();
    let mut acknowledged: HashMap<i64, String> = HashMap::new();
    let mut killed = 0;
    for trial in 0..trials {
        let kill_at = if rng.bool() {
            KillAt::Acks(rng.usize(0..40))
        } else {
            KillAt::Millis(rng.u64(0..60))
        };
        let (mut child, acks) = start_writer(&db, trial);
        let deadline = Instant::now()
            + match kill_at {
                KillAt::Acks(_) => Duration::from_secs(30),
                KillAt::Millis(ms) => Duration::from_millis(ms),
            };
        let mut seen = 0;
        loop {
            if let KillAt::Acks(n) = kill_at
                && seen >= n
            {
                break;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match acks.recv_timeout(left) {
                Ok((id, phone)) => {
                    seen += 1;
                    assert!(acknowledged.insert(id, phone).is_none(), "id {id} twice");
                }
                Err(_) => break,
            }
        }
        if kill(&mut child) {
            killed += 1;
        }
        // Lines already in the pipe were acknowledged before the kill too.
        for (id, phone) in acks.iter() {
            assert!(acknowledged.insert(id, phone).is_none(), "id {id} twice");
        }
        // Open the file the way the app does (this recovers the WAL), then check it.
        let store = Store::open(&db).unwrap_or_else(|e| {
            panic!("trial {trial} ({kill_at:?}): the file does not open after the kill: {e}")
        });
        assert_eq!(
            integrity(store.sqlite().unwrap()),
            "ok",
            "trial {trial} ({kill_at:?})"
        );
        let mut stmt = store
            .sqlite()
            .unwrap()
            .prepare("SELECT id, phone FROM visits")
            .unwrap();
        let saved: HashMap<i64, String> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let lost: Vec<_> = acknowledged
            .iter()
            .filter(|&(id, phone)| saved.get(id) != Some(phone))
            .collect();
        assert!(
            lost.is_empty(),
            "trial {trial} ({kill_at:?}): {} acknowledged visit(s) lost or changed: {lost:?}",
            lost.len()
        );
    }
    assert!(
        !acknowledged.is_empty(),
        "no commit was ever acknowledged: the kills came too early to test anything"
    );
    assert_frontdesk_check(&db);
    println!(
        "killed_writer_loses_no_acknowledged_visit: {trials} trials ({killed} killed), {} acknowledged visits checked after every kill, 0 lost, {:.1} s",
        acknowledged.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Rows in an import file.
const IMPORT_ROWS: usize = 500;

/// Writes a visit register of [`IMPORT_ROWS`] rows whose purpose is `marker`.
fn write_register(path: &Path, batch: usize, marker: &str) {
    let mut csv = String::from("surname,honorific,arrived_at,phone,company,purpose\n");
    for row in 0..IMPORT_ROWS {
        let minute = row % 60;
        let hour = 8 + (row / 60) % 10;
        let day = 1 + row / 600;
        csv.push_str(&format!(
            "李,女士,2026-10-{day:02} {hour:02}:{minute:02}:00,138{batch:04}{row:04},远通物流有限公司,{marker}\n"
        ));
    }
    std::fs::write(path, csv).unwrap();
}

/// `(visits, their log entries, customers)` of the import marked `marker`.
fn imported(conn: &Connection, marker: &str, batch: usize) -> (i64, i64, i64) {
    let visits = conn
        .query_row(
            "SELECT count(*) FROM visits WHERE purpose = ?1",
            [marker],
            |r| r.get(0),
        )
        .unwrap();
    let logs = conn
        .query_row(
            "SELECT count(*) FROM visit_log WHERE visit_id IN (SELECT id FROM visits WHERE purpose = ?1)",
            [marker],
            |r| r.get(0),
        )
        .unwrap();
    let customers = conn
        .query_row(
            "SELECT count(*) FROM customers WHERE phone LIKE ?1",
            [format!("138{batch:04}%")],
            |r| r.get(0),
        )
        .unwrap();
    (visits, logs, customers)
}

/// Runs `frontdesk import visits` of `file` into `db` to its end; returns how long it took.
fn import_to_the_end(db: &Path, file: &Path) -> Duration {
    let started = Instant::now();
    let out = frontdesk(db, &["import", "visits"])
        .arg(file)
        .output()
        .unwrap();
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    took
}

/// kill -9 of `frontdesk import visits` at random moments: the file has all rows of the import
/// or none of them, and stays intact.
#[test]
fn killed_import_is_all_or_nothing() {
    let started = Instant::now();
    let mut rng = seeded_rng("killed_import_is_all_or_nothing");
    let trials = trials("FRONTDESK_DURABILITY_IMPORT_TRIALS", 30);
    let all = i64::try_from(IMPORT_ROWS).unwrap();
    // Every trial imports into a copy of the same file (one earlier import in it), so each run
    // takes about as long as the measured one and the kill moments mean the same in every trial.
    let (dir, base) = common::temp_db();
    let file = dir.path().join("register.csv");
    write_register(&file, 0, "导入批次0");
    import_to_the_end(&base, &file);
    // Each copy gets its own folder and so its own per-user folders: copies share the file's
    // identity, and what an earlier copy left in the per-user data is not this copy's history.
    let mut copies = 0;
    let mut fresh_copy = || {
        copies += 1;
        let folder = dir.path().join(format!("copy{copies}"));
        std::fs::create_dir(&folder).unwrap();
        let db = folder.join("frontdesk.sqlite3");
        std::fs::copy(&base, &db).unwrap();
        db
    };
    write_register(&file, 1, "导入批次1");
    let mut full_run = Duration::ZERO;
    let mut db = PathBuf::new();
    for _ in 0..2 {
        db = fresh_copy();
        full_run = import_to_the_end(&db, &file);
    }
    let conn = Connection::open(&db).unwrap();
    assert_eq!(imported(&conn, "导入批次1", 1), (all, all, all));
    drop(conn);

    let (mut none, mut complete, mut finished) = (0, 0, 0);
    for trial in 1..=trials {
        let marker = format!("导入批次{trial}");
        write_register(&file, trial, &marker);
        let db = fresh_copy();
        let mut child = frontdesk(&db, &["import", "visits"])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Half of the kills anywhere in the run, half near its end, where the commit is.
        let share = if rng.bool() {
            rng.f64() * 1.1
        } else {
            0.8 + rng.f64() * 0.3
        };
        let wait = full_run.mul_f64(share);
        pause(wait);
        let killed = kill(&mut child);
        if !killed {
            finished += 1;
        }
        let conn = Connection::open(&db).unwrap();
        assert_eq!(
            integrity(&conn),
            "ok",
            "trial {trial}, killed after {wait:?}"
        );
        let rows = imported(&conn, &marker, trial);
        match rows {
            (0, 0, 0) if killed => none += 1,
            r if r == (all, all, all) => complete += 1,
            r => panic!(
                "trial {trial}, killed after {wait:?} (killed: {killed}): a partial or missing import (visits, log entries, customers) = {r:?} of {all}"
            ),
        }
        drop(conn);
        assert_frontdesk_check(&db);
        std::fs::remove_dir_all(db.parent().unwrap()).unwrap();
    }
    println!(
        "killed_import_is_all_or_nothing: {trials} trials of {IMPORT_ROWS} rows (a full import takes {:.0} ms): {none} left nothing, {complete} left everything ({finished} of them had ended before the kill), 0 partial, {:.1} s",
        full_run.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64()
    );
}

/// `PRAGMA page_count` of the main database.
fn page_count(conn: &Connection) -> i64 {
    conn.pragma_query_value(None, "page_count", |r| r.get(0))
        .unwrap()
}

/// Sets `PRAGMA max_page_count` on this connection; returns the limit now in force.
fn set_max_page_count(conn: &Connection, pages: i64) -> i64 {
    conn.pragma_update_and_check(None, "max_page_count", pages, |r| r.get(0))
        .unwrap()
}

/// Number of visits in the file.
fn visit_count(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM visits", [], |r| r.get(0))
        .unwrap()
}

/// The longest purpose the form accepts (200 characters), so each registration takes room.
fn long_purpose() -> String {
    "提货咨询运费时效及理赔事宜"
        .repeat(16)
        .chars()
        .take(200)
        .collect()
}

/// Registers large visits until a write fails; returns how many succeeded and the error.
fn fill_until_full(store: &mut Store, prefix: &str, limit: usize) -> (usize, StoreError) {
    let purpose = long_purpose();
    for n in 0..limit {
        let reg = registration(&format!("{prefix}{n:05}"), &purpose);
        if let Err(e) = register(store, &reg) {
            return (n, e);
        }
    }
    panic!("{limit} registrations fitted: the file never became full");
}

/// The write refused for lack of room is a clear `StoreError` whose message says so.
fn assert_full_error(e: &StoreError) {
    assert!(
        matches!(e, StoreError::Sqlite(s) if s.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)),
        "expected SQLITE_FULL, got {e:?}"
    );
    i18n::set_lang(Lang::ZhCn);
    let message = e.user_message();
    assert_eq!(message, t("store.full"));
    assert!(message.contains("未保存"), "{message}");
    i18n::set_lang(Lang::En);
    assert!(e.user_message().contains("full"), "{}", e.user_message());
    i18n::set_lang(Lang::ZhCn);
}

/// A database at its size limit (`max_page_count`, what a full disk looks like to SQLite)
/// refuses the write, keeps everything saved before, and takes writes again once it may grow.
#[test]
fn a_full_database_refuses_the_write_and_keeps_what_was_saved() {
    let (_dir, db) = common::temp_db();
    let mut store = Store::open(&db).unwrap();
    for n in 0..20 {
        register(&mut store, &registration(&format!("1370000{n:04}"), "提货")).unwrap();
    }
    // A little room left, so some registrations still fit before the limit is hit.
    let pages = page_count(store.sqlite().unwrap()) + 16;
    assert_eq!(set_max_page_count(store.sqlite().unwrap(), pages), pages);
    let (fitted, e) = fill_until_full(&mut store, "136000", 100_000);
    assert_full_error(&e);
    println!(
        "a_full_database_refuses_the_write: {fitted} registrations fitted in {pages} pages, then: {}",
        e.user_message()
    );

    // The refused registration left nothing behind; everything before it is there.
    let saved = visit_count(store.sqlite().unwrap());
    assert_eq!(saved, 20 + i64::try_from(fitted).unwrap());
    let refused_phone = format!("136000{fitted:05}");
    let orphans: i64 = store
        .sqlite()
        .unwrap()
        .query_row(
            "SELECT count(*) FROM customers WHERE phone = ?1",
            [&refused_phone],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "the refused registration's customer was kept");
    assert_eq!(integrity(store.sqlite().unwrap()), "ok");
    assert_eq!(store.check().unwrap(), Vec::<String>::new());
    // Still full: a second try is refused the same way.
    assert_full_error(
        &register(&mut store, &registration(&refused_phone, &long_purpose())).unwrap_err(),
    );

    // Room again: the same registration goes through.
    set_max_page_count(store.sqlite().unwrap(), 1_073_741_823);
    let id = register(&mut store, &registration(&refused_phone, &long_purpose())).unwrap();
    assert_eq!(visits::get(store.db(), id).unwrap().phone, refused_phone);
    assert_eq!(visit_count(store.sqlite().unwrap()), saved + 1);
    drop(store);
    assert_eq!(store::check_file(&db).unwrap(), Vec::<String>::new());
}

/// Unmounts a file system when dropped.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let unmounted = Command::new("umount")
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success());
        if !unmounted {
            // Something still holds it open; detach it so the temporary folder can go.
            let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        }
    }
}

/// Mounts a 2 MiB tmpfs at `dir`; `Err` says why not (not Linux, not allowed, no `mount`).
fn mount_small_tmpfs(dir: &Path) -> Result<Mounted, String> {
    if !cfg!(target_os = "linux") {
        return Err("not Linux".into());
    }
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(dir)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("mount: {e}"))?;
    if out.status.success() {
        Ok(Mounted(dir.to_path_buf()))
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_owned())
    }
}

/// The same on a real full file system: a 2 MiB tmpfs when this machine lets the test mount one
/// (root on Linux); otherwise the test says so and passes (the size-limit test above covers the
/// store's side).
#[test]
fn a_full_file_system_refuses_the_write_and_keeps_what_was_saved() {
    let dir = tempfile::tempdir().unwrap();
    let mount_point = dir.path().join("small");
    let _mounted = match mount_small_tmpfs(&mount_point) {
        Ok(m) => m,
        Err(why) => {
            println!("the tmpfs variant was not run: cannot mount a small tmpfs ({why})");
            return;
        }
    };
    // Room to give back later, taken first.
    let spare = mount_point.join("spare.bin");
    std::fs::write(&spare, vec![0_u8; 256 * 1024]).unwrap();
    let db = mount_point.join("frontdesk.sqlite3");
    let mut store = Store::open(&db).unwrap();
    for n in 0..5 {
        register(&mut store, &registration(&format!("1370000{n:04}"), "提货")).unwrap();
    }
    let (fitted, e) = fill_until_full(&mut store, "135000", 100_000);
    assert_full_error(&e);
    println!(
        "a_full_file_system_refuses_the_write: {fitted} registrations fitted on a 2 MiB tmpfs, then: {}",
        e.user_message()
    );
    let saved = visit_count(store.sqlite().unwrap());
    assert_eq!(saved, 5 + i64::try_from(fitted).unwrap());
    assert_eq!(integrity(store.sqlite().unwrap()), "ok");

    std::fs::remove_file(&spare).unwrap();
    let refused_phone = format!("135000{fitted:05}");
    let id = register(&mut store, &registration(&refused_phone, &long_purpose())).unwrap();
    assert_eq!(visits::get(store.db(), id).unwrap().phone, refused_phone);
    assert_eq!(visit_count(store.sqlite().unwrap()), saved + 1);
    drop(store);
    assert_eq!(store::check_file(&db).unwrap(), Vec::<String>::new());
    assert_frontdesk_check(&db);
}

/// Saving a registration when the database cannot grow: the form keeps what was typed, the
/// message says the disk is full and nothing was saved; once there is room, saving again works.
#[test]
fn a_save_on_a_full_disk_keeps_the_form_and_says_why() {
    i18n::set_lang(Lang::ZhCn);
    let (_dir, db) = common::temp_db();
    let clock = common::clock();
    let (store, _, _) = common::store_with_staff(&db, &clock);
    let mut h = common::harness(common::app(store, &clock));
    h.run();

    // Another connection fills the file up to its current size with registrations as small as
    // the one typed below, until nothing more fits.
    let mut filler = Store::open(&db).unwrap();
    let pages = page_count(filler.sqlite().unwrap());
    set_max_page_count(filler.sqlite().unwrap(), pages);
    let mut refused_in_a_row = 0;
    let mut n = 0;
    while refused_in_a_row < 20 {
        let reg = RegistrationDraft {
            surname: "欧".into(),
            honorific: Some(Honorific::Ms),
            phone: format!("1340000{n:04}"),
            ..Default::default()
        }
        .validate()
        .unwrap();
        n += 1;
        match register(&mut filler, &reg) {
            Ok(_) => refused_in_a_row = 0,
            Err(e) => {
                assert_full_error(&e);
                refused_in_a_row += 1;
            }
        }
    }
    drop(filler);
    let pages = page_count(h.state().store().sqlite().unwrap());
    set_max_page_count(h.state().store().sqlite().unwrap(), pages);
    let before = visit_count(h.state().store().sqlite().unwrap());

    h.get_by_label("登记来访").click();
    h.run();
    type_into(&mut h, "姓氏", "欧阳");
    type_into(&mut h, "电话", "139 0000 1111");
    h.get_by_label("女士").click();
    h.run();
    h.get_by_label("保存登记").click();
    h.run();
    assert!(
        h.query_all_by_label(t("store.full")).next().is_some(),
        "the full-disk message is shown"
    );
    assert_eq!(
        visit_count(h.state().store().sqlite().unwrap()),
        before,
        "nothing saved"
    );
    assert_eq!(h.get_by_label("姓氏").value().as_deref(), Some("欧阳"));
    assert_eq!(
        h.get_by_label("电话").value().as_deref(),
        Some("139 0000 1111")
    );
    assert_eq!(integrity(h.state().store().sqlite().unwrap()), "ok");

    // Room again: the same form saves.
    set_max_page_count(h.state().store().sqlite().unwrap(), 1_073_741_823);
    h.get_by_label("保存登记").click();
    h.run();
    let present = visits::present(h.state().store().db()).unwrap();
    assert!(
        present.iter().any(|v| v.phone == "13900001111"),
        "saved once there is room"
    );
    assert_eq!(visit_count(h.state().store().sqlite().unwrap()), before + 1);
}
