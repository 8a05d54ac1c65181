//! Tamper tests: records changed, added or removed outside FrontDesk (raw SQL on the file, as the
//! audit did with the sqlite3 shell) are named by `frontdesk check` with their table and row, and
//! a cut tail of the record of changes is found against the anchor and the backups.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use rusqlite::Connection;

/// Runs the real binary with the configuration and per-user folders inside `dir`.
fn frontdesk(dir: &Path, db: &Path, args: &[&str]) -> Output {
    common::frontdesk_command(dir)
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A demo database in its own folder (with its own anchor), made by the real binary.
fn demo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fd.sqlite3");
    let out = frontdesk(dir.path(), &db, &["demo"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = frontdesk(dir.path(), &db, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    (dir, db)
}

/// Applies raw SQL to the file, as someone with the sqlite3 shell would.
fn tamper(db: &Path, sql: &str) {
    let conn = Connection::open(db).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// `check` fails and names every expected fragment.
fn check_finds(dir: &Path, db: &Path, expected: &[&str]) {
    let out = frontdesk(dir, db, &["check"]);
    let err = text(&out.stderr);
    assert!(!out.status.success(), "check passed after tampering");
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
}

fn one_id(db: &Path, sql: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn check_prints_what_it_verified() {
    let (dir, db) = demo();
    let out = frontdesk(dir.path(), &db, &["check"]);
    let said = text(&out.stdout);
    assert!(
        said.contains("verified: integrity, schema, 34 sealed tables"),
        "{said}"
    );
    assert!(said.contains("1 outside copies of its head"), "{said}");
    assert!(said.contains("audit entries"), "{said}");
}

#[test]
fn each_edit_of_a_business_record_is_named_with_its_table_and_row() {
    let (dir, db) = demo();
    let base = dir.path().join("base.sqlite3");
    let out = frontdesk(
        dir.path(),
        &db,
        &["backup", "--out", base.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let complaint = one_id(&base, "SELECT min(id) FROM complaints");
    let event = one_id(&base, "SELECT min(id) FROM complaint_events");
    let visit = one_id(
        &base,
        "SELECT min(id) FROM visits WHERE greeted_at IS NOT NULL",
    );
    let claim = one_id(&base, "SELECT min(id) FROM claims");
    let supervisor = one_id(&base, "SELECT id FROM accounts WHERE role = 'supervisor'");
    let last_audit = one_id(&base, "SELECT max(id) FROM audit");
    let cases: Vec<(String, Vec<String>)> = vec![
        (
            format!("UPDATE complaints SET content = 'nothing happened' WHERE id = {complaint}"),
            vec![format!("table complaints row {complaint}: changed outside FrontDesk")],
        ),
        (
            format!(
                "DROP TRIGGER IF EXISTS complaint_events_no_update;
                 UPDATE complaint_events SET detail = 'rewritten' WHERE id = {event}"
            ),
            vec![format!("table complaint_events row {event}: changed outside FrontDesk")],
        ),
        (
            format!(
                "UPDATE visits SET greeted_at = arrived_at WHERE id = {visit}"
            ),
            vec![format!("table visits row {visit}: changed outside FrontDesk")],
        ),
        (
            format!("UPDATE claims SET paid_fen = 99999999 WHERE id = {claim}"),
            vec![format!("table claims row {claim}: changed outside FrontDesk")],
        ),
        (
            format!("UPDATE accounts SET role = 'admin' WHERE id = {supervisor}"),
            vec![format!("table accounts row {supervisor}: changed outside FrontDesk")],
        ),
        (
            format!("DROP TRIGGER IF EXISTS audit_no_delete; DELETE FROM audit WHERE id = {last_audit}"),
            vec![format!("table audit row {last_audit}: removed outside FrontDesk")],
        ),
        (
            "DROP TRIGGER IF EXISTS audit_no_delete; DELETE FROM audit".to_owned(),
            vec![
                "table audit row 1: removed outside FrontDesk".to_owned(),
                format!("table audit row {last_audit}: removed outside FrontDesk"),
            ],
        ),
        (
            "INSERT INTO settings (key, value) VALUES ('greeting_limit_secs', '3600')
               ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                .to_owned(),
            vec!["table settings row greeting_limit_secs:".to_owned()],
        ),
        (
            "INSERT INTO staff (name, role, created_at) VALUES ('影子', '客服代表', '2026-01-01 00:00:00')"
                .to_owned(),
            vec!["table staff row".to_owned(), "added outside FrontDesk".to_owned()],
        ),
    ];
    for (i, (sql, expected)) in cases.iter().enumerate() {
        let case = dir.path().join(format!("case{i}.sqlite3"));
        std::fs::copy(&base, &case).unwrap();
        tamper(&case, sql);
        let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
        check_finds(dir.path(), &case, &expected);
    }
}

#[test]
fn an_audit_row_rewritten_with_a_recomputed_hash_chain_is_found() {
    let (dir, db) = demo();
    // Rewrite the first audit row and recompute every later hash, as the audit did.
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER IF EXISTS audit_no_update; UPDATE audit SET actor = 'nobody' WHERE id = 1",
    )
    .unwrap();
    let rows: Vec<(i64, Vec<String>)> = {
        let mut stmt = conn
            .prepare(
                "SELECT id, at, coalesce(actor_id, ''), actor, action, entity, coalesce(entity_id, ''), before, after FROM audit ORDER BY id",
            )
            .unwrap();
        stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                (1..=8)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i).map(|v| match v {
                            rusqlite::types::Value::Integer(n) => n.to_string(),
                            rusqlite::types::Value::Text(t) => t,
                            _ => String::new(),
                        })
                    })
                    .collect::<rusqlite::Result<_>>()?,
            ))
        })
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    };
    let mut prev = String::new();
    for (id, fields) in rows {
        use sha2::Digest as _;
        let mut h = sha2::Sha256::new();
        h.update(prev.as_bytes());
        for f in &fields {
            h.update([0x1f]);
            h.update(f.as_bytes());
        }
        let hash: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        conn.execute(
            "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
            rusqlite::params![prev, hash, id],
        )
        .unwrap();
        prev = hash;
    }
    drop(conn);
    let out = frontdesk(dir.path(), &db, &["check"]);
    let err = text(&out.stderr);
    assert!(!out.status.success());
    // The audit table's own chain now verifies; the seals do not.
    assert!(!err.contains("hash chain broken"), "{err}");
    assert!(
        err.contains("table audit row 1: changed outside FrontDesk"),
        "{err}"
    );
}

#[test]
fn a_cut_tail_of_the_record_of_changes_is_found_against_the_anchor_and_a_backup() {
    let (dir, db) = demo();
    // One more write through FrontDesk (an import of one visit), then a backup beside the
    // database (the default backup folder).
    let register = dir.path().join("one.csv");
    std::fs::write(
        &register,
        "arrived_at,surname,honorific\n2026-11-20 09:00:00,赵,先生\n",
    )
    .unwrap();
    let out = frontdesk(
        dir.path(),
        &db,
        &["import", "visits", register.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = frontdesk(dir.path(), &db, &["backup"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = frontdesk(dir.path(), &db, &["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 outside copies of its head"),
        "{}",
        text(&out.stdout)
    );
    // Remove that write completely: its rows, its log lines and its chain entry. The rows and the
    // chain now agree with each other; only the heads seen outside the file tell.
    let last = one_id(&db, "SELECT max(id) FROM seal_chain");
    let cut = format!(
        "DROP TRIGGER seal_chain_append_only_delete; DROP TRIGGER seal_log_append_only_delete;
         DROP TRIGGER IF EXISTS visit_log_no_delete; DROP TRIGGER IF EXISTS audit_no_delete;
         DELETE FROM visit_log WHERE id IN (SELECT CAST(row_key AS INTEGER) FROM seal_log WHERE entry = {last} AND tbl = 'visit_log');
         DELETE FROM audit WHERE id IN (SELECT CAST(row_key AS INTEGER) FROM seal_log WHERE entry = {last} AND tbl = 'audit');
         DELETE FROM visits WHERE id IN (SELECT CAST(row_key AS INTEGER) FROM seal_log WHERE entry = {last} AND tbl = 'visits');
         DELETE FROM customers WHERE id IN (SELECT CAST(row_key AS INTEGER) FROM seal_log WHERE entry = {last} AND tbl = 'customers');
         DELETE FROM seal_log WHERE entry = {last};
         DELETE FROM seal_chain WHERE id = {last};"
    );
    tamper(&db, &cut);
    let saw = format!("saw entry {last}, the file ends at entry {}", last - 1);
    check_finds(
        dir.path(),
        &db,
        &[
            "record of changes was cut: the anchor",
            "record of changes was cut: the backup",
            &saw,
        ],
    );
    // Without the anchor, the backup still tells.
    std::fs::remove_dir_all(dir.path().join("home/data/frontdesk/anchors")).unwrap();
    check_finds(
        dir.path(),
        &db,
        &["record of changes was cut: the backup", &saw],
    );
}
