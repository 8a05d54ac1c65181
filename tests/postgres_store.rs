//! The store's core on a real PostgreSQL server: opening and upgrading a database, refusing a
//! foreign or newer one before writing, write transactions that check the actor and seal every
//! changed row, and a raw edit made outside FrontDesk (as with psql) named by the seal check.
#![allow(clippy::unwrap_used, reason = "test code: a panic is a failed test")]

mod common;

use chrono::NaiveDateTime;
use frontdesk::db_params;
use frontdesk::domain::account::{Action, Actor};
use frontdesk::store::db::Db;
use frontdesk::store::{SCHEMA_VERSION, StoreError, audit, seal, server};

fn now() -> NaiveDateTime {
    NaiveDateTime::parse_from_str("2026-11-23 09:00:00", "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn a_new_server_database_is_set_up_sealed_and_guarded() {
    let Some(pg) = common::pg::PgServer::start() else {
        return;
    };
    let url = pg.create_database("fd");
    // Two desks starting at once: one upgrades, the other waits and finds it done.
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || server::open(&url).map(|_| ()))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    let conn = server::open(&url).unwrap();
    let db = Db::Postgres(&conn);
    assert_eq!(
        server::schema_state(db).unwrap(),
        server::SchemaState::Ours(SCHEMA_VERSION)
    );
    assert!(seal::database_id(db).unwrap().is_some());
    // The default rows were sealed when the schema was made.
    let report = seal::verify(db, &[]).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(report.rows > 0 && report.chain_len == 1, "{report:?}");

    // A desk may not do an admin's write: refused, nothing written.
    let refused = server::write(
        &conn,
        &Actor::desk(),
        "test",
        Action::ManageAccounts,
        |db| {
            db.execute(
                "INSERT INTO staff (name, role, active, created_at) VALUES ('x', 'rep', 1, ?1)",
                db_params![now()],
            )
        },
    );
    assert!(matches!(refused, Err(StoreError::Domain(_))), "{refused:?}");
    // A write is sealed and audited in its transaction.
    let (id, head) = server::write(&conn, &Actor::system(), "test", Action::ChangeSettings, |db| {
        let id: i64 = db.query_value(
            "INSERT INTO staff (name, role, active, created_at) VALUES (?1, 'rep', 1, ?2) RETURNING id",
            db_params!["李娜", now()],
        )?;
        audit::record(db, now(), "create", "staff", Some(id), "", "李娜")?;
        Ok(id)
    })
    .unwrap();
    assert_eq!(head.unwrap().entry, 2);
    // A failing write leaves nothing behind, the seal notes included.
    let failed = server::write(
        &conn,
        &Actor::system(),
        "test",
        Action::ChangeSettings,
        |db| {
            db.execute(
                "UPDATE staff SET name = '王芳' WHERE id = ?1",
                db_params![id],
            )?;
            db.execute("INSERT INTO staff (name) VALUES (NULL)", db_params![])
        },
    );
    assert!(failed.is_err());
    let name: String = db
        .query_value("SELECT name FROM staff WHERE id = ?1", db_params![id])
        .unwrap();
    assert_eq!(name, "李娜");
    let report = seal::verify(db, &[]).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(audit::first_broken(db).unwrap(), None);
    let entries = audit::recent(db, 5).unwrap();
    assert_eq!(entries[0].actor, "命令行");
    assert_eq!(entries[0].entity_id, Some(id));

    // Someone edits the row with psql (a session without FrontDesk's temporary tables): the
    // edit is not stopped, and the seal check names the table and the row.
    let mut raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    raw.batch_execute(&format!("UPDATE staff SET name = '李四' WHERE id = {id}"))
        .unwrap();
    let report = seal::verify(db, &[]).unwrap();
    assert_eq!(
        report.problems,
        [format!("table staff row {id}: changed outside FrontDesk")]
    );
    // The audit trail refuses changes even to its owner.
    let e = raw
        .batch_execute("UPDATE audit SET actor = 'x'")
        .unwrap_err();
    let message = e
        .as_db_error()
        .map(|d| d.message().to_owned())
        .unwrap_or_default();
    assert!(message.contains("append-only"), "{e:?}");
}

#[test]
fn a_foreign_or_newer_server_database_is_refused_before_anything_is_written() {
    let Some(pg) = common::pg::PgServer::start() else {
        return;
    };
    let foreign = pg.create_database("other");
    let mut raw = postgres::Client::connect(&foreign, postgres::NoTls).unwrap();
    raw.batch_execute("CREATE TABLE invoices (id BIGINT)")
        .unwrap();
    let e = server::open(&foreign).unwrap_err();
    assert!(matches!(e, StoreError::ForeignFile { .. }), "{e:?}");
    let tables: i64 = raw
        .query_one(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);

    let newer = pg.create_database("newer");
    drop(server::open(&newer).unwrap());
    let mut raw = postgres::Client::connect(&newer, postgres::NoTls).unwrap();
    raw.batch_execute("UPDATE frontdesk_meta SET value = '99' WHERE key = 'schema_version'")
        .unwrap();
    let e = server::open(&newer).unwrap_err();
    assert!(
        matches!(e, StoreError::NewerSchema { found: 99, .. }),
        "{e:?}"
    );
    assert!(e.user_message().contains("99"));
}

/// Office IT sets up a server with `frontdesk server-setup` (as the administrator); the desks'
/// login can then open and write, but not rewrite the audit trail; `frontdesk check` on the
/// server passes, and names a row edited with psql, a guard disabled by hand and a cut audit row.
#[test]
fn server_setup_and_check_through_the_real_binary() {
    let Some(pg) = common::pg::PgServer::start() else {
        return;
    };
    let admin = pg.create_database("office");
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        common::frontdesk_command(dir.path())
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["server-setup", "--print"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("frontdesk_desk"));
    let out = run(&["server-setup", &admin]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The desks' login.
    let desk_url = admin.replacen("frontdesk@", "frontdesk_desk@", 1);
    let desk = server::open(&desk_url).unwrap();
    server::write(&desk, &Actor::system(), "test", Action::ChangeSettings, |db| {
        let id: i64 = db.query_value(
            "INSERT INTO staff (name, role, active, created_at) VALUES ('李娜', 'rep', 1, ?1) RETURNING id",
            db_params![now()],
        )?;
        audit::record(db, now(), "create", "staff", Some(id), "", "李娜")
    })
    .unwrap();
    let mut raw_desk = postgres::Client::connect(&desk_url, postgres::NoTls).unwrap();
    let denied = raw_desk.batch_execute("DELETE FROM audit").unwrap_err();
    assert_eq!(
        denied.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
        "{denied:?}"
    );

    let out = run(&["check", "--db", &desk_url]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("ok: postgres://frontdesk_desk@"),
        "{stdout}"
    );

    // The owner (or a superuser) edits by hand.
    let mut raw = postgres::Client::connect(&admin, postgres::NoTls).unwrap();
    raw.batch_execute(
        "UPDATE staff SET name = '李四' WHERE name = '李娜';
         ALTER TABLE audit DISABLE TRIGGER USER;
         DELETE FROM audit WHERE id = (SELECT max(id) FROM audit);",
    )
    .unwrap();
    let out = run(&["check", "--db", &desk_url]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{stderr}");
    assert!(
        stderr.contains("table staff row 1: changed outside FrontDesk"),
        "{stderr}"
    );
    assert!(stderr.contains("table audit: guard"), "{stderr}");
    assert!(stderr.contains("is disabled"), "{stderr}");
    assert!(stderr.contains("removed outside FrontDesk"), "{stderr}");
}

/// A statement running on the server is cancelled by the store's interrupter, from another
/// thread (the window stopping a read or an export it no longer needs). The statement would
/// sleep an hour: without the cancel the test fails at its timeout.
#[test]
fn an_interrupter_cancels_the_statement_running_on_the_server() {
    let Some(pg) = common::pg::PgServer::start() else {
        return;
    };
    let url = pg.create_database("fd");
    drop(frontdesk::store::Store::open(&url).unwrap());
    let (handle, interrupter) = std::sync::mpsc::channel();
    let (ended, result) = std::sync::mpsc::channel();
    let worker = std::thread::spawn(move || {
        let store = frontdesk::store::Store::open_read_only(&url).unwrap();
        handle.send(store.interrupter()).unwrap();
        let slept = store
            .db()
            .query_value::<String>("SELECT pg_sleep(3600)::text", &[]);
        ended.send(slept).unwrap();
    });
    let interrupter = interrupter.recv().unwrap();
    let answer = loop {
        // Again until it ends: the first cancel may come before the statement started.
        interrupter.interrupt();
        match result.recv_timeout(std::time::Duration::from_millis(200)) {
            Ok(answer) => break answer,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
            Err(e) => panic!("{e}"),
        }
    };
    worker.join().unwrap();
    let cancelled = match &answer {
        Err(StoreError::Postgres(e)) => {
            e.code() == Some(&postgres::error::SqlState::QUERY_CANCELED)
        }
        _ => false,
    };
    assert!(cancelled, "{answer:?}");
}
