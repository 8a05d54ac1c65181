//! Jobs that only read (`report …`, `backup`, `check`, `config`) never create or change a
//! database, and a refused file is left exactly as it was, with nothing new beside it.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use frontdesk::store::{APPLICATION_ID, SCHEMA_VERSION, Store, StoreError};
use rusqlite::Connection;

fn frontdesk(db: &Path, args: &[&str]) -> Output {
    // Configuration and per-user folders point at a folder outside the one under test, so the
    // listing of the database's folder shows only what the job did to it.
    let home = Path::new(env!("CARGO_TARGET_TMPDIR")).join("read_only_home");
    common::frontdesk_command(&home)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("run frontdesk")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir` (recursively) with its content.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files.insert(path.clone(), Vec::new());
                todo.push(path);
            } else {
                files.insert(path.clone(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

fn assert_unchanged(dir: &Path, before: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    let after = snapshot(dir);
    let names = |m: &BTreeMap<PathBuf, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&after),
        names(before),
        "{what}: files appeared or went"
    );
    for (path, bytes) in before {
        assert!(
            after.get(path) == Some(bytes),
            "{what}: {} changed",
            path.display()
        );
    }
}

/// The jobs that only read, each as its arguments; `backup --out` writes into `out_dir`.
fn read_jobs(out_dir: &Path) -> Vec<Vec<String>> {
    let out = out_dir.join("copy.sqlite3").to_string_lossy().into_owned();
    [
        &[
            "report",
            "reception",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
        ][..],
        &["report", "complaints", "--week", "2026-W47"],
        &["report", "claims", "--month", "2026-11"],
        &["report", "inspections", "--month", "2026-11"],
        &["backup", "--out", &out],
        &["backup"],
    ]
    .iter()
    .map(|args| args.iter().map(|s| (*s).to_owned()).collect())
    .collect()
}

fn run(db: &Path, args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    frontdesk(db, &args)
}

#[test]
fn read_only_jobs_on_a_missing_file_say_so_and_create_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let before = snapshot(dir.path());
    for db in [
        dir.path().join("frontdesk.sqlite3"),
        dir.path().join("typo").join("frontdesk.sqlite3"),
    ] {
        let mut jobs = read_jobs(out_dir.path());
        jobs.push(vec!["check".into()]);
        for job in jobs {
            let out = run(&db, &job);
            let what = format!("{job:?} on {}", db.display());
            assert!(!out.status.success(), "{what} must fail");
            let message = stderr(&out);
            assert!(
                message.contains("数据库文件不存在") && message.contains(&db.display().to_string()),
                "{what}: {message}"
            );
            assert!(message.contains("frontdesk init"), "{what}: {message}");
            assert_unchanged(dir.path(), &before, &what);
        }
    }
    assert!(std::fs::read_dir(out_dir.path()).unwrap().next().is_none());
}

#[test]
fn config_says_whether_the_database_exists_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("frontdesk.sqlite3");
    let before = snapshot(dir.path());
    let out = frontdesk(&db, &["config"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("数据库文件尚不存在"),
        "{}",
        stdout(&out)
    );
    assert_unchanged(dir.path(), &before, "config");
    assert_success(&frontdesk(&db, &["init"]));
    let out = frontdesk(&db, &["config"]);
    assert!(stdout(&out).contains("数据库文件存在"), "{}", stdout(&out));
}

fn assert_success(out: &Output) {
    assert!(out.status.success(), "{}{}", stderr(out), stdout(out));
}

#[test]
fn read_only_jobs_on_an_empty_file_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("frontdesk.sqlite3");
    std::fs::write(&db, b"").unwrap();
    let before = snapshot(dir.path());
    for job in read_jobs(out_dir.path()) {
        let out = run(&db, &job);
        assert!(!out.status.success(), "{job:?} must fail");
        assert!(stderr(&out).contains("是空的"), "{job:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("frontdesk init"), "{}", stderr(&out));
        assert_unchanged(dir.path(), &before, &format!("{job:?}"));
    }
    let out = frontdesk(&db, &["check"]);
    assert!(!out.status.success());
    assert_unchanged(dir.path(), &before, "check");
}

/// A database file in WAL mode, closed (so nothing lies beside it), made by `setup`.
fn wal_file(path: &Path, setup: &str) {
    let conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.execute_batch(setup).unwrap();
    drop(conn);
    assert!(!Path::new(&format!("{}-wal", path.display())).exists());
}

#[test]
fn refused_files_are_left_exactly_as_they_were_with_nothing_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let foreign = dir.path().join("other-app.db");
    wal_file(
        &foreign,
        "PRAGMA application_id = 305419896; CREATE TABLE t (x); INSERT INTO t VALUES (1);",
    );
    let plain = dir.path().join("plain.db");
    wal_file(&plain, "CREATE TABLE notes (x TEXT);");
    let newer = dir.path().join("newer.sqlite3");
    wal_file(
        &newer,
        &format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {};
             CREATE TABLE future (x);",
            SCHEMA_VERSION + 1
        ),
    );
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "这不是数据库 not a database at all.\n".repeat(20)).unwrap();
    let register = out_dir.path().join("register.csv");
    std::fs::write(
        &register,
        "arrived_at,surname,honorific\n2026-11-02 09:00:00,王,先生\n",
    )
    .unwrap();
    let before = snapshot(dir.path());
    for db in [&foreign, &plain, &newer, &text] {
        let mut jobs = read_jobs(out_dir.path());
        for writer in [
            &["import", "visits", register.to_str().unwrap()][..],
            &["init"],
            &["demo"],
            &["purge"],
        ] {
            jobs.push(writer.iter().map(|s| (*s).to_owned()).collect());
        }
        for job in jobs {
            let out = run(db, &job);
            let what = format!("{job:?} on {}", db.display());
            assert!(!out.status.success(), "{what} must be refused");
            let message = stderr(&out);
            assert!(
                message.contains("未做任何修改") || message.contains("不是前台客服台的数据库"),
                "{what}: {message}"
            );
            assert_unchanged(dir.path(), &before, &what);
        }
        assert!(matches!(
            Store::open(db).unwrap_err(),
            StoreError::ForeignFile { .. } | StoreError::NewerSchema { .. }
        ));
        assert!(matches!(
            Store::open_read_only(db).unwrap_err(),
            StoreError::ForeignFile { .. } | StoreError::NewerSchema { .. }
        ));
        assert_unchanged(dir.path(), &before, "Store::open");
    }
}

#[test]
fn an_out_of_date_file_is_refused_by_read_jobs_and_upgraded_by_init() {
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let old = SCHEMA_VERSION - 1;
    let sql = std::fs::read_to_string(format!("{fixtures}/v{old}.sql")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("frontdesk.sqlite3");
    wal_file(&db, &sql);
    let before = snapshot(dir.path());
    for job in read_jobs(out_dir.path()) {
        let out = run(&db, &job);
        assert!(!out.status.success(), "{job:?} must be refused");
        let message = stderr(&out);
        assert!(
            message.contains("旧版本") && message.contains("frontdesk init"),
            "{job:?}: {message}"
        );
        assert_unchanged(dir.path(), &before, &format!("{job:?}"));
    }
    assert!(matches!(
        Store::open_read_only(&db).unwrap_err(),
        StoreError::OutOfDate { found, .. } if found == old
    ));
    assert_success(&frontdesk(&db, &["init"]));
    let report = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-02",
        ],
    );
    assert_success(&report);
}

/// `backup` of a closed WAL database (no `-shm`, no `-wal` beside it) works, and leaves the
/// folder as it was apart from the copy; reports too.
#[test]
fn backup_and_report_of_a_closed_wal_database_leave_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("frontdesk.sqlite3");
    assert_success(&frontdesk(&db, &["init"]));
    let header = std::fs::read(&db).unwrap();
    assert_eq!(header[18], 2, "the database is in WAL mode");
    let before = snapshot(dir.path());
    assert_eq!(before.len(), 1, "only the database: {:?}", before.keys());
    let copy = out_dir.path().join("copy.sqlite3");
    let out = frontdesk(&db, &["backup", "--out", copy.to_str().unwrap()]);
    assert_success(&out);
    assert_unchanged(dir.path(), &before, "backup");
    let report = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-02",
        ],
    );
    assert_success(&report);
    assert_unchanged(dir.path(), &before, "report");
    let check = frontdesk(&copy, &["check"]);
    assert_success(&check);
    // The library's read-only store reads, refuses to write, and leaves nothing behind.
    let mut store = Store::open_read_only(&db).unwrap();
    assert!(
        store
            .write(|tx| {
                tx.execute("DELETE FROM settings", frontdesk::db_params![])?;
                Ok(())
            })
            .is_err()
    );
    drop(store);
    assert_unchanged(dir.path(), &before, "Store::open_read_only");
}

#[test]
fn a_read_that_fails_says_reading_failed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("frontdesk.sqlite3");
    assert_success(&frontdesk(&db, &["init"]));
    {
        let conn = Connection::open(&db).unwrap();
        conn.execute_batch("PRAGMA foreign_keys = OFF; ALTER TABLE visits RENAME TO visits_gone;")
            .unwrap();
    }
    let out = frontdesk(
        &db,
        &[
            "report",
            "reception",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-02",
        ],
    );
    assert!(!out.status.success());
    let message = stderr(&out);
    assert!(message.contains("读取数据库失败"), "{message}");
    assert!(!message.contains("保存"), "{message}");
}

#[test]
fn open_read_only_refuses_a_missing_file_without_creating_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sub").join("frontdesk.sqlite3");
    assert!(matches!(
        Store::open_read_only(&db).unwrap_err(),
        StoreError::Missing { .. }
    ));
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}
