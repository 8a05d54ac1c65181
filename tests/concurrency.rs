//! Several desks and command-line jobs on one file at once: writers wait for each other instead of
//! failing, and reports and backups read beside them.
//!
//! These tests start real processes: the `frontdesk` binary, and this test binary itself acting
//! as a writer (see [`writer_child`]).
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Instant;

use frontdesk::clock::Clock as _;
use frontdesk::store::{Store, visits};

/// Set on a child process of this test binary: the database it writes to.
const WRITER_DB: &str = "FRONTDESK_TEST_WRITER_DB";
const WRITES_PER_PROCESS: usize = 1000;
const WRITER_PROCESSES: usize = 4;

fn frontdesk(db: &Path, args: &[&str]) -> Command {
    let mut cmd = common::frontdesk_command(db.parent().unwrap());
    cmd.args(args).arg("--db").arg(db);
    cmd
}

fn spawn(mut cmd: Command) -> Child {
    cmd.stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start a process")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn count(db: &Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A register of `rows` visits whose phones are all different from every other register's.
fn register(dir: &Path, number: usize, rows: usize) -> std::path::PathBuf {
    let mut csv = String::from("arrived_at,surname,honorific,phone,purpose\n");
    for i in 0..rows {
        let minute = i % 60;
        let hour = 8 + (i / 60) % 10;
        let day = 1 + (i / 600) % 28;
        csv.push_str(&format!(
            "2026-11-{day:02} {hour:02}:{minute:02}:00,王,先生,139{number:02}{i:06},提货\n"
        ));
    }
    let path = dir.join(format!("register-{number}.csv"));
    std::fs::write(&path, csv).unwrap();
    path
}

fn assert_success(what: &str, out: &Output) {
    assert!(
        out.status.success(),
        "{what} failed: {}{}",
        text(&out.stderr),
        text(&out.stdout)
    );
}

#[test]
fn four_parallel_imports_into_a_new_file_all_succeed() {
    const ROWS: usize = 2500;
    let (dir, db) = common::temp_db();
    let files: Vec<_> = (0..4).map(|n| register(dir.path(), n, ROWS)).collect();
    let started = Instant::now();
    let children: Vec<Child> = files
        .iter()
        .map(|f| spawn(frontdesk(&db, &["import", "visits", f.to_str().unwrap()])))
        .collect();
    for (n, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert_success(&format!("import {n}"), &out);
        assert!(
            text(&out.stderr).contains(&format!("imported {ROWS} visits")),
            "{}",
            text(&out.stderr)
        );
    }
    eprintln!("4 parallel imports of {ROWS} rows: {:?}", started.elapsed());
    let expected = i64::try_from(4 * ROWS).unwrap();
    assert_eq!(count(&db, "SELECT count(*) FROM visits"), expected);
    assert_eq!(count(&db, "SELECT count(*) FROM customers"), expected);
    let check = frontdesk(&db, &["check"]).output().unwrap();
    assert_success("check", &check);
}

/// The body of a writer child: [`WRITES_PER_PROCESS`] separate write transactions through the
/// library's store, as a desk makes them.
fn writer_child(db: &Path) {
    let clock = common::clock();
    let started = Instant::now();
    let mut store = Store::open(db).expect("open store in the writer");
    for _ in 0..WRITES_PER_PROCESS {
        store
            .write(|tx| visits::arrive(tx, clock.now(), None))
            .expect("write");
    }
    println!(
        "writer: {WRITES_PER_PROCESS} writes in {:?}",
        started.elapsed()
    );
}

#[test]
fn four_processes_write_a_thousand_times_each_while_reports_and_backups_run() {
    if let Some(db) = std::env::var_os(WRITER_DB) {
        writer_child(Path::new(&db));
        return;
    }
    let (dir, db) = common::temp_db();
    drop(Store::open(&db).unwrap());
    let started = Instant::now();
    let writers: Vec<Child> = (0..WRITER_PROCESSES)
        .map(|_| {
            let mut cmd = Command::new(std::env::current_exe().unwrap());
            cmd.args([
                "--exact",
                "four_processes_write_a_thousand_times_each_while_reports_and_backups_run",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(WRITER_DB, &db);
            spawn(cmd)
        })
        .collect();
    // Reports and backups while the writers run: they read beside them and never wait for them.
    let mut reads = 0;
    for n in 0..3 {
        let report = frontdesk(
            &db,
            &[
                "report",
                "reception",
                "--from",
                "2026-11-23",
                "--to",
                "2026-11-23",
            ],
        )
        .output()
        .unwrap();
        assert_success("report during writes", &report);
        // Each copy in a folder of its own: `check` compares a file with the backups beside it.
        let folder = dir.path().join(format!("backup-{n}"));
        std::fs::create_dir(&folder).unwrap();
        let backup = folder.join("copy.sqlite3");
        let out = frontdesk(&db, &["backup", "--out", backup.to_str().unwrap()])
            .output()
            .unwrap();
        assert_success("backup during writes", &out);
        let check = frontdesk(&backup, &["check"]).output().unwrap();
        assert_success("check of a backup made during writes", &check);
        reads += 1;
    }
    for (n, child) in writers.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert_success(&format!("writer {n}"), &out);
        let stdout = text(&out.stdout);
        if let Some(at) = stdout.find("writer:") {
            eprintln!("{}", stdout[at..].lines().next().unwrap_or_default());
        }
    }
    eprintln!(
        "{WRITER_PROCESSES} × {WRITES_PER_PROCESS} writes ({reads} reports and backups beside them): {:?}",
        started.elapsed()
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM visits"),
        i64::try_from(WRITER_PROCESSES * WRITES_PER_PROCESS).unwrap()
    );
}

/// A writer that holds the write lock (an import in the middle of its transaction) does not stop
/// a report or a backup, and they see only what was committed.
#[test]
fn report_and_backup_run_while_a_writer_holds_the_lock() {
    let (dir, db) = common::temp_db();
    let register = register(dir.path(), 1, 10);
    assert_success(
        "import",
        &frontdesk(&db, &["import", "visits", register.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    let mut writer = rusqlite::Connection::open(&db).unwrap();
    let tx = writer
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    tx.execute("UPDATE visits SET purpose = 'uncommitted'", [])
        .unwrap();
    let started = Instant::now();
    let report = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-01",
        ],
    )
    .output()
    .unwrap();
    assert_success("report beside a writer", &report);
    assert!(
        text(&report.stdout).contains("2026-11-01,10,"),
        "{}",
        text(&report.stdout)
    );
    let backup = dir.path().join("beside-writer.sqlite3");
    let out = frontdesk(&db, &["backup", "--out", backup.to_str().unwrap()])
        .output()
        .unwrap();
    assert_success("backup beside a writer", &out);
    let elapsed = started.elapsed();
    assert!(
        elapsed.as_secs() < 4,
        "reading beside a writer must not wait for it ({elapsed:?})"
    );
    tx.rollback().unwrap();
    assert_eq!(count(&backup, "SELECT count(*) FROM visits"), 10);
    assert_eq!(
        count(
            &backup,
            "SELECT count(*) FROM visits WHERE purpose = 'uncommitted'"
        ),
        0
    );
}

/// A writer that keeps the lock longer than the old 5 s limit: an import started meanwhile waits
/// for it and then succeeds.
#[test]
fn an_import_waits_for_a_long_writer_instead_of_failing() {
    let (dir, db) = common::temp_db();
    drop(Store::open(&db).unwrap());
    let register = register(dir.path(), 7, 20);
    let mut writer = rusqlite::Connection::open(&db).unwrap();
    let tx = writer
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap();
    tx.execute("UPDATE settings SET value = value", []).unwrap();
    let import = spawn(frontdesk(
        &db,
        &["import", "visits", register.to_str().unwrap()],
    ));
    #[allow(
        clippy::disallowed_methods,
        reason = "the test holds the lock for longer than the old 5 s limit on purpose"
    )]
    std::thread::sleep(std::time::Duration::from_secs(7));
    tx.commit().unwrap();
    let out = import.wait_with_output().unwrap();
    assert_success("import after a long writer", &out);
    assert_eq!(count(&db, "SELECT count(*) FROM visits"), 20);
}
