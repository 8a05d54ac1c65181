//! The backup engine against real files: checked copies made beside a writer, rotation, restore
//! (permissions, pre-restore copy, superseded chain heads, older schemas), pre-migration backups
//! and the replacement of a damaged file.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use frontdesk::clock::Clock as _;
use frontdesk::domain::account::{AccountRole, Actor};
use frontdesk::domain::staff::Role;
use frontdesk::store::backup::{self, Kind, Rotation};
use frontdesk::store::{self, Store, StoreError, seal, staff, visits};
use rusqlite::Connection;

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

fn staff_names(conn: &Connection) -> Vec<String> {
    let mut stmt = conn.prepare("SELECT name FROM staff ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn add_staff(store: &mut Store, name: &str) {
    let now = common::clock().now();
    store
        .write(|tx| staff::add(tx, name, Role::ServiceRep, now))
        .unwrap();
}

/// A store whose anchor lives in `dir/anchors`, acting as an admin.
fn admin_store(dir: &Path) -> (Store, PathBuf) {
    let db = dir.join("fd.sqlite3");
    let mut store = Store::open(&db).unwrap();
    store.set_anchor_dir(Some(dir.join("anchors")));
    store.set_actor(Actor {
        account_id: None,
        name: "管理员".into(),
        role: AccountRole::Admin,
    });
    (store, db)
}

fn check_clean(db: &Path, dir: &Path) -> store::CheckReport {
    let report =
        store::check_file_report(db, Some(&dir.join("anchors")), &dir.join("backups")).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    report
}

#[test]
fn a_backup_is_a_checked_self_contained_copy_with_the_same_head() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _db) = admin_store(dir.path());
    add_staff(&mut store, "李娜");
    let folder = dir.path().join("backups");
    let mut steps = Vec::new();
    let path = store
        .backup_into(
            &folder,
            at("2026-11-23 09:30:00"),
            Kind::Manual,
            Rotation::default(),
            &mut |p| {
                steps.push(p);
                std::ops::ControlFlow::Continue(())
            },
        )
        .unwrap();
    assert_eq!(
        path.file_name().unwrap().to_str().unwrap(),
        "frontdesk-20261123-093000-manual.sqlite3"
    );
    let last = steps.last().unwrap();
    assert!(last.total > 0 && last.done == last.total, "{steps:?}");
    // One file: no WAL, no partial file left beside it.
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["frontdesk-20261123-093000-manual.sqlite3"]);
    let copy = Connection::open(&path).unwrap();
    let mode: String = copy
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    assert!(backup::integrity_problems(&copy).unwrap().is_empty());
    assert_eq!(seal::head(&copy).unwrap(), seal::head(store.db()).unwrap());
    assert_eq!(staff_names(&copy), ["李娜"]);
    // A second backup in the same second gets its own name.
    let second = store
        .backup_into(
            &folder,
            at("2026-11-23 09:30:00"),
            Kind::Manual,
            Rotation::default(),
            &mut backup::keep_going,
        )
        .unwrap();
    assert!(second.to_string_lossy().ends_with("-manual-2.sqlite3"));
    let listed = backup::list(&folder);
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|b| b.kind == Kind::Manual
        && b.database_id.is_some()
        && b.head == seal::head(store.db()).unwrap()));
    let counts = backup::inspect(&path).unwrap();
    assert_eq!(counts.schema_version, store::SCHEMA_VERSION);
}

#[test]
fn data_changed_since_the_last_backup_is_noticed() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _db) = admin_store(dir.path());
    let folder = dir.path().join("backups");
    add_staff(&mut store, "李娜");
    assert!(store.changed_since_last_backup(&folder).unwrap());
    store
        .backup_into(
            &folder,
            at("2026-11-23 09:30:00"),
            Kind::Automatic,
            Rotation::default(),
            &mut backup::keep_going,
        )
        .unwrap();
    assert!(!store.changed_since_last_backup(&folder).unwrap());
    add_staff(&mut store, "张伟");
    assert!(store.changed_since_last_backup(&folder).unwrap());
}

/// A backup taken while another process-like connection keeps writing is whole and consistent,
/// and the writer is not stopped.
#[test]
fn a_backup_runs_beside_a_writer() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, db) = admin_store(dir.path());
    for i in 0..300 {
        add_staff(&mut store, &format!("员工{i}"));
    }
    let writer_db = db.clone();
    let writer = std::thread::spawn(move || {
        let mut w = Store::open(&writer_db).unwrap();
        let now = common::clock().now();
        for _ in 0..200 {
            w.write(|tx| visits::arrive(tx, now, None)).unwrap();
        }
    });
    let reader = Store::open_read_only(&db).unwrap();
    let folder = dir.path().join("backups");
    let mut made = Vec::new();
    for i in 0..5 {
        made.push(
            reader
                .backup_into(
                    &folder,
                    at("2026-11-23 10:00:00") + chrono::Duration::minutes(i),
                    Kind::Automatic,
                    Rotation::default(),
                    &mut backup::keep_going,
                )
                .unwrap(),
        );
    }
    writer.join().unwrap();
    for path in made {
        let copy = Connection::open(&path).unwrap();
        assert!(backup::integrity_problems(&copy).unwrap().is_empty());
        // Every copy verifies on its own: rows and seals are of one moment.
        let report = seal::verify(&copy, &[]).unwrap();
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
    check_clean(&db, dir.path());
}

#[test]
fn rotation_on_disk_keeps_what_the_policy_says_and_special_kinds_by_number() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _db) = admin_store(dir.path());
    add_staff(&mut store, "李娜");
    let folder = dir.path().join("backups");
    let first = store
        .backup_into(
            &folder,
            at("2026-01-01 08:00:00"),
            Kind::Automatic,
            Rotation::default(),
            &mut backup::keep_going,
        )
        .unwrap();
    // Copies of it under the names of 60 days of backups, and 5 pre-purge copies.
    let mut day = at("2026-01-02 08:00:00");
    for _ in 0..60 {
        std::fs::copy(&first, folder.join(backup::file_name(day, Kind::Automatic))).unwrap();
        day += chrono::Duration::days(1);
    }
    for i in 0..5 {
        let t = at("2026-02-01 12:00:00") + chrono::Duration::hours(i);
        std::fs::copy(&first, folder.join(backup::file_name(t, Kind::PrePurge))).unwrap();
    }
    // Files of another database and other files are left alone.
    std::fs::write(folder.join("notes.txt"), "x").unwrap();
    let other_dir = tempfile::tempdir().unwrap();
    let other = Store::open(other_dir.path().join("o.sqlite3")).unwrap();
    other
        .backup_to(&folder.join(backup::file_name(
            at("2025-01-01 08:00:00"),
            Kind::Automatic,
        )))
        .unwrap();
    let r = Rotation::from_counts([3, 5, 2, 2]);
    let removed = backup::rotate(&folder, store_id(&store).as_deref(), r).unwrap();
    let left = backup::list(&folder);
    let ours: Vec<_> = left
        .iter()
        .filter(|b| b.database_id == store_id(&store))
        .collect();
    let automatic: Vec<NaiveDateTime> = ours
        .iter()
        .filter(|b| b.kind == Kind::Automatic)
        .map(|b| b.made_at)
        .collect();
    // 3 recent (03-02, 03-01, 02-28), 5 daily (03-02 … 02-26), 2 weeks (W10: 03-02, W09:
    // 03-01), 2 months (03-02, 02-28): one file each, whatever the number of reasons.
    assert_eq!(
        automatic,
        [
            at("2026-03-02 08:00:00"),
            at("2026-03-01 08:00:00"),
            at("2026-02-28 08:00:00"),
            at("2026-02-27 08:00:00"),
            at("2026-02-26 08:00:00"),
        ]
    );
    assert_eq!(
        ours.iter().filter(|b| b.kind == Kind::PrePurge).count(),
        backup::KEEP_SPECIAL
    );
    assert_eq!(removed.len(), 61 + 5 - ours.len());
    assert!(folder.join("notes.txt").exists());
    assert_eq!(left.len(), ours.len() + 1);
}

fn store_id(store: &Store) -> Option<String> {
    seal::database_id(store.db()).unwrap()
}

#[test]
fn restore_needs_an_admin_and_replaces_the_data_keeping_a_pre_restore_copy() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, db) = admin_store(dir.path());
    let folder = dir.path().join("backups");
    add_staff(&mut store, "李娜");
    let saved = store
        .backup_into(
            &folder,
            at("2026-11-23 09:30:00"),
            Kind::Automatic,
            Rotation::default(),
            &mut backup::keep_going,
        )
        .unwrap();
    add_staff(&mut store, "张伟");
    add_staff(&mut store, "王芳");
    // Another desk has the file open all along.
    let other_desk = Store::open(&db).unwrap();
    assert_eq!(staff_names(other_desk.sqlite().unwrap()).len(), 3);

    store.set_actor(Actor::desk());
    let refused = store.restore_from(&saved, &folder, at("2026-11-23 11:00:00"), &mut |_| {});
    assert!(matches!(refused, Err(StoreError::Domain(_))), "{refused:?}");
    assert_eq!(staff_names(store.sqlite().unwrap()).len(), 3);

    store.set_actor(Actor::system());
    let report = store
        .restore_from(&saved, &folder, at("2026-11-23 11:00:00"), &mut |_| {})
        .unwrap();
    assert_eq!(staff_names(store.sqlite().unwrap()), ["李娜"]);
    assert_eq!(staff_names(other_desk.sqlite().unwrap()), ["李娜"]);
    // The restored file is still a WAL database that works.
    let mode: String = store
        .sqlite()
        .unwrap()
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    add_staff(&mut store, "赵敏");
    // The pre-restore copy holds what was replaced.
    assert_eq!(report.pre_restore.parent(), Some(folder.as_path()));
    let pre = Connection::open(&report.pre_restore).unwrap();
    assert_eq!(staff_names(&pre), ["李娜", "张伟", "王芳"]);
    assert_eq!(report.superseded, 2);
    // `check` takes neither the anchor's older view nor the pre-restore copy for a cut.
    let checked = check_clean(&db, dir.path());
    assert!(checked.seals.witnesses >= 2, "{:?}", checked.seals);
    // The restore is in the audit trail.
    let restores: i64 = store
        .sqlite()
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'restore'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(restores, 1);
    // A cut after the restore is still found.
    drop(store);
    drop(other_desk);
    let raw = Connection::open(&db).unwrap();
    raw.execute_batch(
        "DROP TRIGGER seal_chain_append_only_delete; DROP TRIGGER seal_log_append_only_delete;
         DELETE FROM seal_log WHERE entry = (SELECT max(id) FROM seal_chain);
         DELETE FROM seal_chain WHERE id = (SELECT max(id) FROM seal_chain);
         DELETE FROM staff WHERE name = '赵敏';",
    )
    .unwrap();
    drop(raw);
    let report = store::check_file_report(&db, Some(&dir.path().join("anchors")), &folder).unwrap();
    assert!(
        report.problems.iter().any(|p| p.contains("cut")),
        "{:?}",
        report.problems
    );
}

#[test]
fn a_damaged_or_foreign_backup_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, db) = admin_store(dir.path());
    let folder = dir.path().join("backups");
    add_staff(&mut store, "李娜");
    let saved = store
        .backup_into(
            &folder,
            at("2026-11-23 09:30:00"),
            Kind::Automatic,
            Rotation::default(),
            &mut backup::keep_going,
        )
        .unwrap();
    // Damage the headers of a few b-tree pages of the copy.
    let mut bytes = std::fs::read(&saved).unwrap();
    for page in 2..6 {
        bytes[4096 * page..4096 * page + 8].copy_from_slice(&[0x5a; 8]);
    }
    let damaged = folder.join("damaged.sqlite3");
    std::fs::write(&damaged, &bytes).unwrap();
    // A name changed inside a record: `integrity_check` cannot see it, the seals do.
    let edited = folder.join("edited.sqlite3");
    std::fs::copy(&saved, &edited).unwrap();
    Connection::open(&edited)
        .unwrap()
        .execute("UPDATE staff SET name = '李四' WHERE name = '李娜'", [])
        .unwrap();
    let foreign = dir.path().join("foreign.sqlite3");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read_dir(&folder).unwrap().count();
    for bad in [
        &damaged,
        &edited,
        &foreign,
        &dir.path().join("missing.sqlite3"),
    ] {
        let e = store
            .restore_from(bad, &folder, at("2026-11-23 11:00:00"), &mut |_| {})
            .unwrap_err();
        assert!(!e.user_message().is_empty());
    }
    assert_eq!(staff_names(store.sqlite().unwrap()), ["李娜"]);
    // No pre-restore copy was made for a refused restore.
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), before);
    check_clean(&db, dir.path());
}

#[test]
fn a_backup_of_an_older_schema_is_restored_and_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("v6.sqlite3");
    Connection::open(&old)
        .unwrap()
        .execute_batch(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v6.sql"
            ))
            .unwrap(),
        )
        .unwrap();
    let (mut store, db) = admin_store(dir.path());
    add_staff(&mut store, "新员工");
    store
        .restore_from(
            &old,
            &dir.path().join("backups"),
            at("2026-11-23 11:00:00"),
            &mut |_| {},
        )
        .unwrap();
    let version: i32 = store
        .sqlite()
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, store::SCHEMA_VERSION);
    assert_eq!(visits::get(store.db(), 1).unwrap().surname, "王");
    assert!(!staff_names(store.sqlite().unwrap()).contains(&"新员工".to_owned()));
    assert!(store.check().unwrap().is_empty());
    drop(store);
    // The restored file belongs to the fixture's database id: its own anchor starts there.
    let report = store::check_file_report(&db, None, &dir.path().join("none")).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn opening_an_older_file_for_writing_first_makes_a_pre_migration_backup() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fd.sqlite3");
    Connection::open(&db)
        .unwrap()
        .execute_batch(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/v6.sql"
            ))
            .unwrap(),
        )
        .unwrap();
    let folder = dir.path().join("backups");
    let store = Store::open_with_backups(&db, Some((&folder, at("2026-11-23 08:00:00")))).unwrap();
    let listed = backup::list(&folder);
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].kind, Kind::PreMigration);
    let copy = Connection::open(&listed[0].path).unwrap();
    let version: i32 = copy
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 6);
    drop(store);
    // A current file makes none.
    Store::open_with_backups(&db, Some((&folder, at("2026-11-23 08:05:00")))).unwrap();
    assert_eq!(backup::list(&folder).len(), 1);
}

#[test]
fn a_damaged_database_is_moved_aside_untouched_and_replaced_from_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, db) = admin_store(dir.path());
    let folder = dir.path().join("backups");
    add_staff(&mut store, "李娜");
    let saved = store
        .backup_into(
            &folder,
            at("2026-11-23 09:30:00"),
            Kind::Automatic,
            Rotation::default(),
            &mut backup::keep_going,
        )
        .unwrap();
    add_staff(&mut store, "张伟");
    drop(store);
    // The file's header is overwritten: SQLite no longer sees a database.
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[..16].copy_from_slice(b"garbage garbage!");
    std::fs::write(&db, &bytes).unwrap();
    let e = Store::open(&db).unwrap_err();
    assert!(e.may_be_damaged(), "{e:?}");
    let anchors = dir.path().join("anchors");
    let aside = backup::replace_damaged(
        &db,
        &saved,
        Some(&anchors),
        at("2026-11-23 12:00:00"),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(std::fs::read(&aside).unwrap(), bytes);
    assert!(
        aside
            .to_string_lossy()
            .ends_with("fd.sqlite3.damaged-20261123-120000")
    );
    let store = Store::open(&db).unwrap();
    assert_eq!(staff_names(store.sqlite().unwrap()), ["李娜"]);
    drop(store);
    // The anchor's newer head is noted as superseded by the replacement: `check` is clean.
    check_clean(&db, dir.path());
}

/// A backup its progress stops (the user's "停止") leaves no file, not even a partial one, and
/// nothing is rotated away; the next backup is made as usual.
#[test]
fn a_stopped_backup_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, _db) = admin_store(dir.path());
    add_staff(&mut store, "李娜");
    let folder = dir.path().join("backups");
    let made = store
        .backup_into(
            &folder,
            at("2026-11-23 09:00:00"),
            Kind::Manual,
            Rotation::default(),
            &mut backup::keep_going,
        )
        .unwrap();
    let mut steps = 0;
    let stopped = store.backup_into(
        &folder,
        at("2026-11-23 09:30:00"),
        Kind::Manual,
        Rotation::from_counts([0, 0, 0, 0]),
        &mut |_| {
            steps += 1;
            std::ops::ControlFlow::Break(())
        },
    );
    assert!(matches!(stopped, Err(StoreError::Stopped)), "{stopped:?}");
    assert_eq!(steps, 1);
    let names: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(names, [made]);
}
